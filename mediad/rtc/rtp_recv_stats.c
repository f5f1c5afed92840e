/* Receive statistics of an RTP stream, RFC 3550 Appendix A (see
 * rtp_recv_stats.h). */
#include "mediad/rtc/rtp_recv_stats.h"

#include <string.h>

#define RTP_SEQ_MOD ((uint32_t)1 << 16)

void braid_rtp_recv_stats_init(braid_rtp_recv_stats_t *st, uint32_t clock_rate) {
  memset(st, 0, sizeof *st);
  st->clock_rate = clock_rate;
  st->bad_seq = RTP_SEQ_MOD + 1;
  braid_rtp_score_reset(&st->score, BRAID_RTP_SCORE_MAX);
}

/* A.1 init_seq(): a new stream, or a restarted one. */
static void init_seq(braid_rtp_recv_stats_t *st, uint16_t seq) {
  st->base_seq = seq;
  st->max_seq = seq;
  st->bad_seq = RTP_SEQ_MOD + 1; /* so seq == bad_seq is false */
  st->cycles = 0;
  st->received = 0;
  st->expected_prior = st->received_prior = 0;
  st->score_expected_prior = st->score_received_prior = 0;
  st->have_transit = false;
}

/* A.1 update_seq() without probation. Returns false to discard. */
static bool update_seq(braid_rtp_recv_stats_t *st, uint16_t seq) {
  uint16_t udelta = (uint16_t)(seq - st->max_seq);
  if (udelta < BRAID_RTP_RECV_STATS_MAX_DROPOUT) {
    if (seq < st->max_seq) st->cycles += RTP_SEQ_MOD; /* wrapped */
    st->max_seq = seq;
  } else if (udelta <= RTP_SEQ_MOD - BRAID_RTP_RECV_STATS_MAX_MISORDER) {
    /* A very large jump: believe it only if the next packet follows it. */
    if (seq != st->bad_seq) {
      st->bad_seq = (seq + 1u) & (RTP_SEQ_MOD - 1);
      return false;
    }
    init_seq(st, seq);
  }
  /* else: a duplicate or a reordered packet, accepted. */
  return true;
}

/* A.8: J += (|D| - J) / 16, kept x 16 as in the RFC's integer version. */
static void update_jitter(braid_rtp_recv_stats_t *st, uint32_t ts, int64_t now_ms) {
  if (st->clock_rate == 0) return;
  uint32_t arrival = (uint32_t)((uint64_t)now_ms * st->clock_rate / 1000);
  uint32_t transit = arrival - ts;
  if (st->have_transit) {
    int32_t d = (int32_t)(transit - st->transit);
    uint32_t ad = d < 0 ? (uint32_t)-(int64_t)d : (uint32_t)d;
    st->jitter_q4 += ad - ((st->jitter_q4 + 8) >> 4);
  }
  st->transit = transit;
  st->have_transit = true;
}

int braid_rtp_recv_stats_update(braid_rtp_recv_stats_t *st, uint16_t seq, uint32_t ts,
                                size_t bytes, int64_t now_ms, bool retransmitted) {
  if (!st->started) {
    init_seq(st, seq);
    st->started = true;
  } else if (!update_seq(st, seq)) {
    st->discarded++;
    return BRAID_ESTATE;
  }
  if (retransmitted) {
    st->retransmitted++;
    return 0;
  }
  st->received++;
  st->bytes += bytes;
  st->last_packet_ms = now_ms;
  update_jitter(st, ts, now_ms);
  return 0;
}

void braid_rtp_recv_stats_on_sr(braid_rtp_recv_stats_t *st, uint64_t ntp, uint32_t rtp_ts,
                                int64_t now_ms) {
  st->have_sr = true;
  st->sr_ntp = ntp;
  st->sr_rtp_ts = rtp_ts;
  st->sr_recv_ms = now_ms;
}

/* A.3: packets expected so far. */
static inline uint32_t expected(const braid_rtp_recv_stats_t *st) {
  return braid_rtp_recv_stats_ext_max(st) - st->base_seq + 1;
}

int64_t braid_rtp_recv_stats_lost(const braid_rtp_recv_stats_t *st) {
  if (!st->started) return 0;
  return (int64_t)expected(st) - (int64_t)st->received;
}

void braid_rtp_recv_stats_report(braid_rtp_recv_stats_t *st, uint32_t ssrc, int64_t now_ms,
                                 braid_rtcp_report_block_t *blk) {
  memset(blk, 0, sizeof *blk);
  blk->ssrc = ssrc;
  if (st->started) {
    uint32_t exp = expected(st), rec = (uint32_t)st->received;
    int64_t lost = braid_rtp_recv_stats_lost(st);
    if (lost > BRAID_RTCP_LOST_MAX) lost = BRAID_RTCP_LOST_MAX;
    if (lost < BRAID_RTCP_LOST_MIN) lost = BRAID_RTCP_LOST_MIN;
    uint32_t exp_int = exp - st->expected_prior, rec_int = rec - st->received_prior;
    int64_t lost_int = (int64_t)exp_int - (int64_t)rec_int;
    st->expected_prior = exp;
    st->received_prior = rec;
    st->fraction_lost = (exp_int == 0 || lost_int <= 0) ? 0 : (uint8_t)((lost_int << 8) / exp_int);
    blk->fraction_lost = st->fraction_lost;
    blk->packets_lost = (int32_t)lost;
    blk->highest_seq = braid_rtp_recv_stats_ext_max(st);
    blk->jitter = st->jitter_q4 >> 4;
  }
  if (st->have_sr) {
    blk->lsr = (uint32_t)(st->sr_ntp >> 16);
    int64_t delay = now_ms - st->sr_recv_ms;
    if (delay < 0) delay = 0;
    blk->dlsr = (uint32_t)(((uint64_t)delay << 16) / 1000);
  }
}

bool braid_rtp_recv_stats_update_score(braid_rtp_recv_stats_t *st, bool has_rtx) {
  uint32_t exp = st->started ? expected(st) : 0, rec = (uint32_t)st->received;
  uint32_t exp_int = exp - st->score_expected_prior, rec_int = rec - st->score_received_prior;
  uint32_t rep_int = (uint32_t)st->repaired - st->score_repaired_prior;
  uint32_t rtx_int = (uint32_t)st->retransmitted - st->score_retransmitted_prior;
  st->score_expected_prior = exp;
  st->score_received_prior = rec;
  st->score_repaired_prior = (uint32_t)st->repaired;
  st->score_retransmitted_prior = (uint32_t)st->retransmitted;
  uint32_t lost = exp_int > rec_int ? exp_int - rec_int : 0;
  uint8_t sample = braid_rtp_score_sample(exp_int, rec_int, lost, rep_int, rtx_int, has_rtx);
  return braid_rtp_score_add(&st->score, sample);
}
