/* The pipe half of a "pipe" consumer: every encoding forwarded unchanged,
 * NACKs from the producer's store (RTX-wrapped or not), rate-limited key
 * frame requests, sender reports passed through (see pipe_consumer.h). */
#include "mediad/rtc/pipe_consumer.h"

#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/mem.h"
#include "mediad/rtc/consumer.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/sdes.h"
#include "mediad/wire/rtcp/sr.h"
#include "mediad/wire/rtp_rtx.h"

/* A resend record older than this is about an earlier pass of the 16-bit
 * sequence number (the producer's store keeps at most 2 s). */
#define RESEND_RECORD_MS 3000
/* The RTT assumed before a report gave one (as rtx_buffer.h). */
#define DEFAULT_RTT_MS 100

braid_pipe_consumer_t *braid_pipe_consumer_new(const braid_producer_t *p, uint32_t clock_rate,
                                               bool nack, uint32_t rtx_ssrc) {
  braid_pipe_consumer_t *pc = braid_xcalloc(1, sizeof *pc);
  pc->video = p->video;
  pc->nstreams = p->nstreams;
  if (nack && p->streams[0].store != NULL) {
    pc->resend_n = p->video ? BRAID_PIPE_CONSUMER_RESEND_VIDEO : BRAID_PIPE_CONSUMER_RESEND_AUDIO;
    pc->resend_table = braid_xcalloc(pc->nstreams * pc->resend_n, sizeof *pc->resend_table);
  }
  for (size_t i = 0; i < pc->nstreams; i++) {
    braid_pipe_stream_t *s = &pc->streams[i];
    s->ssrc = p->streams[i].mapped_ssrc;
    if (rtx_ssrc != 0) {
      s->rtx_ssrc = rtx_ssrc + (uint32_t)i;
      s->rtx_seq = (uint16_t)braid_id_random_u32(1000, 32767); /* as consumer.c */
    }
    braid_rtp_send_stats_init(&s->send, clock_rate);
    if (pc->resend_table != NULL) s->resends = pc->resend_table + i * pc->resend_n;
  }
  return pc;
}

void braid_pipe_consumer_free(braid_pipe_consumer_t *pc) {
  if (pc == NULL) return;
  braid_free(pc->resend_table);
  braid_free(pc);
}

int braid_pipe_consumer_stream_of(const braid_pipe_consumer_t *pc, uint32_t ssrc) {
  for (size_t i = 0; i < pc->nstreams; i++)
    if (pc->streams[i].ssrc == ssrc) return (int)i;
  return -1;
}

void braid_pipe_consumer_set_active(braid_pipe_consumer_t *pc, bool active) {
  if (pc->active == active) return;
  pc->active = active;
  if (!active && pc->resend_table != NULL)
    memset(pc->resend_table, 0, pc->nstreams * pc->resend_n * sizeof *pc->resend_table);
}

/* ---- key frames ----------------------------------------------------------- */

static void keyframe_now(braid_consumer_t *c, unsigned i, int64_t now_ms) {
  braid_pipe_stream_t *s = &c->pipe->streams[i];
  s->keyframe_deferred = false;
  s->keyframe_ms = now_ms;
  s->keyframes_forwarded++;
  braid_producer_request_keyframe(c->producer, i, now_ms);
}

/* A request kept inside the interval goes out once the interval is over. */
static void keyframe_due(braid_consumer_t *c, unsigned i, int64_t now_ms) {
  const braid_pipe_stream_t *s = &c->pipe->streams[i];
  if (s->keyframe_deferred && now_ms - s->keyframe_ms >= BRAID_PIPE_CONSUMER_KEYFRAME_INTERVAL_MS)
    keyframe_now(c, i, now_ms);
}

void braid_pipe_consumer_request_keyframe(braid_consumer_t *c, int stream, int64_t now_ms) {
  braid_pipe_consumer_t *pc = c->pipe;
  if (!pc->video || !pc->active) return;
  for (size_t i = 0; i < pc->nstreams; i++) {
    if (stream >= 0 && (size_t)stream != i) continue;
    braid_pipe_stream_t *s = &pc->streams[i];
    s->keyframe_requests++;
    if (s->keyframe_ms != 0 && now_ms - s->keyframe_ms < BRAID_PIPE_CONSUMER_KEYFRAME_INTERVAL_MS)
      s->keyframe_deferred = true;
    else
      keyframe_now(c, (unsigned)i, now_ms);
  }
}

void braid_pipe_consumer_on_tick(braid_consumer_t *c, int64_t now_ms) {
  if (!c->pipe->active) return;
  for (size_t i = 0; i < c->pipe->nstreams; i++)
    keyframe_due(c, (unsigned)i, now_ms);
}

/* ---- RTP ------------------------------------------------------------------ */

void braid_pipe_consumer_send(braid_consumer_t *c, const braid_rtp_fwd_t *fwd) {
  braid_pipe_consumer_t *pc = c->pipe;
  const braid_rtp_packet_t *pkt = fwd->pkt;
  size_t len;
  if (!pc->active || fwd->encoding >= pc->nstreams) return;
  braid_pipe_stream_t *s = &pc->streams[fwd->encoding];
  if (s->keyframe_deferred) keyframe_due(c, fwd->encoding, fwd->now_ms);
  /* The original sequence number and timestamp: the far side's piped
   * producer sees the sender's stream, gaps and all, under our SSRC. */
  if (braid__consumer_build(c, pkt, fwd->ext, s->ssrc, fwd->mapped_pt, pkt->seq, pkt->ts,
                            fwd->now_ms, &len) != 0)
    return;
  braid_rtp_send_stats_on_packet(&s->send, pkt->ts, pkt->payload_len, len, fwd->now_ms);
  braid_transport_tx_rtp(c->transport, len);
}

/* ---- RTCP ----------------------------------------------------------------- */

/* The RTX payload type paired with router payload type pt (0: none). */
static uint8_t rtx_pt_of(const braid_consumer_t *c, uint8_t pt) {
  for (size_t i = 0; i < c->ncodecs; i++)
    if (c->codecs[i].pt == pt) return c->codecs[i].rtx_pt;
  return 0;
}

/* Resends seq of stream i from the producer's store as it was first sent,
 * RTX-wrapped when the stream has an RTX SSRC and the codec an RTX payload
 * type. Returns 0 or why not. */
static int resend(braid_consumer_t *c, unsigned i, uint16_t seq, int64_t now_ms, uint32_t rtt_ms) {
  braid_pipe_consumer_t *pc = c->pipe;
  braid_pipe_stream_t *s = &pc->streams[i];
  braid_pipe_resend_t *slot = &s->resends[seq & (pc->resend_n - 1)];
  braid_pipe_resend_t r = {.seq = seq, .valid = true};
  if (slot->valid && slot->seq == seq && now_ms - slot->resent_ms <= RESEND_RECORD_MS) {
    if (slot->resends >= BRAID_PIPE_CONSUMER_MAX_RESENDS) return BRAID_ELIMIT;
    if (now_ms - slot->resent_ms <= (int64_t)(rtt_ms ? rtt_ms : DEFAULT_RTT_MS))
      return BRAID_ESTATE;
    r = *slot;
  }
  const uint8_t *data;
  size_t dlen, len;
  braid_rtp_packet_t orig;
  braid_rtp_ext_t ext;
  int rc = braid_rtx_buffer_get(c->producer->streams[i].store, seq, now_ms, &data, &dlen);
  if (rc != 0) return rc;
  if ((rc = braid_rtp_packet_parse(&orig, data, dlen)) != 0) return rc;
  if (braid_rtp_ext_parse(&ext, &orig) != 0) ext.n = 0;
  int pt = braid_producer_mapped_pt(c->producer, orig.pt);
  if (pt < 0) return BRAID_ENOTFOUND;
  rc = braid__consumer_build(c, &orig, &ext, s->ssrc, (uint8_t)pt, orig.seq, orig.ts, now_ms, &len);
  if (rc != 0) return rc;
  uint8_t rtx_pt = s->rtx_ssrc != 0 ? rtx_pt_of(c, (uint8_t)pt) : 0;
  if (rtx_pt != 0) {
    /* RFC 4588, in place: the RTX stream's SSRC, PT and sequence number,
     * the OSN first. */
    braid_rtp_packet_t out;
    if ((rc = braid_rtp_packet_parse(&out, c->tx_buf, len)) != 0 ||
        (rc = braid_rtp_rtx_wrap(c->tx_buf, c->tx_cap, 0, &out, s->rtx_ssrc, rtx_pt, s->rtx_seq,
                                 &len)) != 0)
      return rc;
    s->rtx_seq++;
  }
  if (r.resends == 0) s->repaired++;
  r.resends++;
  r.resent_ms = now_ms;
  *slot = r;
  s->resent++;
  braid_rtp_send_stats_on_resend(&s->send, r.resends == 1);
  braid_transport_tx_rtp(c->transport, len);
  return 0;
}

void braid_pipe_consumer_on_nack(braid_consumer_t *c, unsigned stream, const uint16_t *seqs,
                                 size_t n, int64_t now_ms) {
  braid_pipe_consumer_t *pc = c->pipe;
  if (stream >= pc->nstreams) return;
  braid_pipe_stream_t *s = &pc->streams[stream];
  s->nack_count++;
  s->nack_packet_count += n;
  if (!pc->active || s->resends == NULL || c->producer->streams[stream].store == NULL) return;
  uint32_t rtt = s->send.have_rtt ? s->send.rtt_ms : 0;
  for (size_t k = 0; k < n; k++)
    resend(c, stream, seqs[k], now_ms, rtt);
}

void braid_pipe_consumer_on_report(braid_consumer_t *c, unsigned stream,
                                   const braid_rtcp_report_block_t *blk, uint64_t ntp_now,
                                   int64_t now_ms) {
  braid_pipe_consumer_t *pc = c->pipe;
  if (stream >= pc->nstreams) return;
  braid_pipe_stream_t *s = &pc->streams[stream];
  /* The LSR echoes the NTP time of the SR we passed through: the origin
   * sender's clock, not ours. Loss and score from the block; the RTT from
   * when we sent that SR. */
  braid_rtcp_report_block_t b = *blk;
  b.lsr = 0;
  braid_rtp_send_stats_on_report(&s->send, &b, ntp_now, s->rtx_ssrc != 0);
  if (blk->lsr == 0 || s->sr_sent_ms == 0 || blk->lsr != s->sr_lsr) return;
  int64_t rtt = now_ms - s->sr_sent_ms - (int64_t)(((uint64_t)blk->dlsr * 1000) >> 16);
  if (rtt < 0) return;
  s->send.rtt_ms = (uint32_t)rtt;
  s->send.have_rtt = true;
}

/* One SR and SDES CNAME after the first stream's (the builder allows one
 * report: the others are whole packets appended at its tail). */
static int add_more(braid_rtcp_builder_t *b, uint32_t ssrc, const braid_rtcp_sender_info_t *info,
                    braid_str_t cname) {
  size_t room, mark = b->len;
  uint8_t *tail = braid_rtcp_builder_tail(b, &room);
  int rc =
      braid_rtcp_builder_commit(b, braid_rtcp_sr_write(tail, room, ssrc, info, NULL, 0, NULL, 0));
  if (rc != 0) return rc;
  tail = braid_rtcp_builder_tail(b, &room);
  rc = braid_rtcp_builder_commit(b, braid_rtcp_sdes_write_cname(tail, room, ssrc, cname));
  if (rc != 0) b->len = mark; /* no SR without its CNAME */
  return rc;
}

int braid_pipe_consumer_add_sr(braid_consumer_t *c, braid_rtcp_builder_t *b, int64_t now_ms,
                               uint64_t ntp_now) {
  braid_pipe_consumer_t *pc = c->pipe;
  braid_str_t cname = braid_str_c(c->cname);
  bool any = false;
  (void)ntp_now; /* the NTP time is the sender's */
  for (size_t i = 0; i < pc->nstreams; i++) {
    braid_pipe_stream_t *s = &pc->streams[i];
    const braid_rtp_recv_stats_t *r = &c->producer->streams[i].recv;
    if (!s->send.started || !r->have_sr) continue;
    braid_rtcp_sender_info_t info = {.ntp = r->sr_ntp,
                                     .rtp_ts = r->sr_rtp_ts,
                                     .packet_count = s->send.packets,
                                     .octet_count = s->send.octets};
    int rc;
    if (!any) {
      rc = braid_rtcp_builder_report(b, s->ssrc, &info, NULL, 0);
      if (rc == 0) rc = braid_rtcp_builder_cname(b, s->ssrc, cname);
    } else {
      rc = add_more(b, s->ssrc, &info, cname);
    }
    if (rc != 0) return any ? 0 : rc;
    any = true;
    s->sr_lsr = (uint32_t)(info.ntp >> 16);
    s->sr_sent_ms = now_ms;
  }
  return any ? 0 : BRAID_ESTATE;
}
