/* Send statistics of an RTP stream: SR sender info, RTT and loss from
 * report blocks, consumer score (see rtp_send_stats.h). */
#include "mediad/rtc/rtp_send_stats.h"

#include <string.h>

void braid_rtp_send_stats_init(braid_rtp_send_stats_t *st, uint32_t clock_rate) {
  memset(st, 0, sizeof *st);
  st->clock_rate = clock_rate;
  braid_rtp_score_reset(&st->score, BRAID_RTP_SCORE_MAX);
}

void braid_rtp_send_stats_on_packet(braid_rtp_send_stats_t *st, uint32_t ts, size_t payload_len,
                                    size_t len, int64_t now_ms) {
  st->packets++;
  st->octets += (uint32_t)payload_len;
  st->bytes += len;
  if (!st->started || (int32_t)(ts - st->max_ts) > 0) {
    st->max_ts = ts;
    st->max_ts_ms = now_ms;
  }
  st->started = true;
}

void braid_rtp_send_stats_on_resend(braid_rtp_send_stats_t *st, bool first) {
  st->retransmitted++;
  if (first) st->repaired++;
}

int braid_rtp_send_stats_sender_info(const braid_rtp_send_stats_t *st, uint64_t ntp_now,
                                     int64_t now_ms, braid_rtcp_sender_info_t *info) {
  if (!st->started) return BRAID_ESTATE;
  int64_t elapsed = now_ms - st->max_ts_ms;
  if (elapsed < 0) elapsed = 0;
  info->ntp = ntp_now;
  info->rtp_ts = st->max_ts + (uint32_t)((uint64_t)elapsed * st->clock_rate / 1000);
  info->packet_count = st->packets;
  info->octet_count = st->octets;
  return 0;
}

bool braid_rtp_send_stats_on_report(braid_rtp_send_stats_t *st,
                                    const braid_rtcp_report_block_t *blk, uint64_t ntp_now,
                                    bool has_rtx) {
  uint32_t a = (uint32_t)(ntp_now >> 16); /* middle 32 bits: 16.16 seconds */
  if (blk->lsr != 0 && a - blk->lsr > blk->dlsr && (int32_t)(a - blk->lsr) > 0) {
    uint32_t rtt = a - blk->lsr - blk->dlsr; /* 1/65536 s */
    st->rtt_ms = (uint32_t)(((uint64_t)rtt * 1000) >> 16);
    st->have_rtt = true;
  }
  st->fraction_lost = blk->fraction_lost;

  /* Score: the interval since the previous report. */
  uint32_t sent = st->packets - st->score_sent_prior;
  int32_t lost_delta = blk->packets_lost - st->score_lost_prior;
  uint32_t lost = lost_delta > 0 ? (uint32_t)lost_delta : 0;
  uint32_t rep = (uint32_t)st->repaired - st->score_repaired_prior;
  uint32_t rtx = (uint32_t)st->retransmitted - st->score_retransmitted_prior;
  st->score_sent_prior = st->packets;
  st->score_lost_prior = blk->packets_lost;
  st->score_repaired_prior = (uint32_t)st->repaired;
  st->score_retransmitted_prior = (uint32_t)st->retransmitted;
  st->packets_lost = blk->packets_lost;
  return braid_rtp_score_add(&st->score, braid_rtp_score_sample(sent, sent, lost, rep, rtx, has_rtx));
}
