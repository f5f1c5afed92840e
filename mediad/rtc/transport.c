#include "mediad/rtc/transport.h"

#include <string.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/rtp_send_stats.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/fir.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "mediad/wire/rtcp/remb.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sr.h"

/* Sequence numbers one NACK may name (16 per entry). */
#define MAX_NACKED 256

int braid_transport_init(braid_transport_t *t, braid_mediad_t *md, const braid_transport_ops_t *ops,
                         braid_str_t id, braid_str_t router_id, braid_str_t room_id) {
  memset(t, 0, sizeof *t);
  t->md = md;
  t->ops = ops;
  BRAID_ASSERT(braid_rtp_listener_new(&t->listener, BRAID_TRANSPORT_MAX_PRODUCERS) == 0);
  t->consumer_by_ssrc = braid_map_new();
  BRAID_ASSERT(t->consumer_by_ssrc != NULL);
  if (braid_str_copy(t->id, sizeof t->id, id) != 0 ||
      braid_str_copy(t->router_id, sizeof t->router_id, router_id) != 0 ||
      braid_str_copy(t->room_id, sizeof t->room_id, room_id) != 0)
    return BRAID_EINVAL;
  t->next_rtcp_ms = braid_clock_mono_ms() + BRAID_TRANSPORT_RTCP_INTERVAL_MS;
  braid_twcc_recorder_init(&t->twcc_rx);
  return 0;
}

int braid_transport_enable_sctp(braid_transport_t *t, uint16_t os, uint16_t mis,
                                size_t max_message, bool is_data_channel) {
  braid_data_transport_opts_t o = {.os = os, .mis = mis, .max_message_size = max_message,
                                   .is_data_channel = is_data_channel};
  return braid_data_transport_new(&t->data, t, &o);
}

void braid_transport_cleanup(braid_transport_t *t) {
  braid_data_transport_free(t->data);
  t->data = NULL;
  while (t->consumers != NULL) braid_consumer_close(t->consumers);
  while (t->producers != NULL) braid_producer_close(t->producers);
  braid_rtp_listener_free(t->listener);
  braid_map_free(t->consumer_by_ssrc);
  braid_transport_bwe_free(t->bwe);
  braid_free(t->remb);
  t->remb = NULL;
  t->listener = NULL;
  t->consumer_by_ssrc = NULL;
  t->bwe = NULL;
}

uint64_t braid_transport_media_dropped(const braid_transport_t *t) {
  uint64_t n = t->stats.rtp_unknown + t->stats.rtp_malformed + t->stats.rtcp_malformed;
  if (t->data != NULL) n += braid_data_transport_dropped(t->data);
  return n;
}

void braid_transport_set_connected(braid_transport_t *t, bool connected) {
  if (t->connected == connected) return;
  t->connected = connected;
  for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next)
    braid_consumer_on_transport_connected(c, connected);
}

/* Whether consumer c can drive a send-side estimate: video, on a WebRTC
 * transport, with transport-wide numbers and their feedback, or
 * abs-send-time and REMB (mediasoup-protocol.md §4.11). */
static bool drives_bwe(const braid_transport_t *t, const braid_consumer_t *c) {
  if (c->pipe != NULL || !c->video || !t->ops->send_side_bwe) return false;
  return (c->ext.twcc != 0 && (c->fb & BRAID_FB_TWCC)) ||
         (c->ext.abs_send_time != 0 && (c->fb & BRAID_FB_REMB));
}

void braid_transport_consumers_changed(braid_transport_t *t, const braid_consumer_t *added) {
  if (t->bwe == NULL && added != NULL && drives_bwe(t, added)) {
    t->bwe = braid_transport_bwe_new(0, braid_clock_mono_ms());
    if (t->bwe == NULL) BRAID_LOGW("transport", "transport %s: no memory for its bandwidth estimate", t->id);
  }
  braid_transport_bwe_reallocate(t);
}

void braid_transport_producer_added(braid_transport_t *t, const braid_producer_t *p) {
  if (t->remb != NULL || !t->ops->send_side_bwe || !p->video || p->ext.abs_send_time == 0 ||
      !(p->fb & BRAID_FB_REMB) || (p->fb & BRAID_FB_TWCC))
    return;
  t->remb = braid_calloc(1, sizeof *t->remb);
  if (t->remb == NULL) return; /* no REMB: the sender keeps its own estimate */
  braid_remb_server_init(t->remb, braid_clock_mono_ms());
  t->remb_abs_id = p->ext.abs_send_time;
}

void braid_transport_add_consumer_ssrc(braid_transport_t *t, uint32_t ssrc, braid_consumer_t *c) {
  uint8_t key[4];
  braid_put32(key, ssrc);
  braid_map_put(t->consumer_by_ssrc, (const char *)key, 4, c);
}

void braid_transport_remove_consumer_ssrc(braid_transport_t *t, uint32_t ssrc) {
  uint8_t key[4];
  braid_put32(key, ssrc);
  braid_map_del(t->consumer_by_ssrc, (const char *)key, 4);
}

static braid_consumer_t *consumer_by_ssrc(braid_transport_t *t, uint32_t ssrc) {
  uint8_t key[4];
  braid_put32(key, ssrc);
  return braid_map_get(t->consumer_by_ssrc, (const char *)key, 4);
}

/* ---- receiving ---------------------------------------------------------------- */

void braid_transport_receive_rtp(braid_transport_t *t, uint8_t *data, size_t len) {
  braid_rtp_packet_t pkt;
  braid_rtp_ext_t ext;
  braid_rtp_listener_match_t m;
  if (braid_rtp_packet_parse(&pkt, data, len) != 0) {
    t->stats.rtp_malformed++;
    return;
  }
  if (braid_rtp_ext_parse(&ext, &pkt) != 0) ext.n = 0; /* forward without extensions */
  uint16_t twcc_seq;
  if (t->twcc_ext_id != 0) {
    if (braid_rtp_ext_get_twcc_seq(&ext, t->twcc_ext_id, &twcc_seq) == 0)
      braid_twcc_recorder_record(&t->twcc_rx, twcc_seq, pkt.ssrc, braid_clock_mono_us());
  } else if (t->ops->send_side_bwe) { /* a remote endpoint may probe before producing */
    braid_twcc_recorder_keep_early(&t->twcc_rx, &ext, pkt.ssrc, braid_clock_mono_us());
  }
  if (braid_rtp_listener_lookup(t->listener, &pkt, &ext, &m) != 0) {
    t->stats.rtp_unknown++;
    return;
  }
  uint32_t abs;
  if (t->remb != NULL && braid_rtp_ext_get_abs_send_time(&ext, t->remb_abs_id, &abs) == 0)
    braid_remb_server_on_packet(t->remb, abs, len, braid_clock_mono_us());
  braid_producer_receive(m.producer, data, len, &pkt, &ext, &m, braid_clock_mono_ms());
}

static void on_sr(braid_transport_t *t, const braid_rtcp_packet_t *p, int64_t now_ms,
                  uint64_t ntp_now) {
  braid_rtcp_sr_t sr;
  braid_rtcp_report_block_t blk;
  if (braid_rtcp_sr_parse(&sr, p->data, p->len, NULL) != 0) return;
  braid_rtp_listener_match_t m;
  if (braid_rtp_listener_find_ssrc(t->listener, sr.ssrc, &m) == 0 && !m.rtx)
    braid_producer_on_sr(m.producer, sr.ssrc, sr.info.ntp, sr.info.rtp_ts, now_ms);
  /* An SR also carries report blocks about what the endpoint receives. */
  for (size_t i = 0; i < sr.n_blocks; i++) {
    if (braid_rtcp_sr_block(&sr, i, &blk) != 0) continue;
    braid_consumer_t *c = consumer_by_ssrc(t, blk.ssrc);
    if (c != NULL && braid_consumer_is_media_ssrc(c, blk.ssrc))
      braid_consumer_on_report(c, &blk, ntp_now);
  }
}

static void on_rr(braid_transport_t *t, const braid_rtcp_packet_t *p, uint64_t ntp_now) {
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blk;
  if (braid_rtcp_rr_parse(&rr, p->data, p->len, NULL) != 0) return;
  for (size_t i = 0; i < rr.n_blocks; i++) {
    if (braid_rtcp_rr_block(&rr, i, &blk) != 0) continue;
    braid_consumer_t *c = consumer_by_ssrc(t, blk.ssrc);
    if (c != NULL && braid_consumer_is_media_ssrc(c, blk.ssrc))
      braid_consumer_on_report(c, &blk, ntp_now);
  }
}

static void on_psfb(braid_transport_t *t, const braid_rtcp_packet_t *p, int64_t now_ms) {
  braid_rtcp_fb_t fb;
  if (p->hdr.count == 1) { /* PLI */
    if (braid_rtcp_pli_parse(&fb, p->data, p->len, NULL) != 0) return;
    braid_consumer_t *c = consumer_by_ssrc(t, fb.media_ssrc);
    if (c != NULL && braid_consumer_is_media_ssrc(c, fb.media_ssrc)) {
      c->pli_count++;
      braid_consumer_on_keyframe_request(c, fb.media_ssrc);
    }
  } else if (p->hdr.count == 4) { /* FIR */
    braid_rtcp_fir_t fir;
    braid_rtcp_fir_entry_t e;
    if (braid_rtcp_fir_parse(&fir, p->data, p->len, NULL) != 0) return;
    for (size_t i = 0; i < fir.n_entries; i++) {
      if (braid_rtcp_fir_entry(&fir, i, &e) != 0) continue;
      braid_consumer_t *c = consumer_by_ssrc(t, e.ssrc);
      if (c != NULL && braid_consumer_is_media_ssrc(c, e.ssrc)) {
        c->fir_count++;
        braid_consumer_on_keyframe_request(c, e.ssrc);
      }
    }
  } else if (p->hdr.count == 15) { /* application layer feedback: REMB */
    braid_rtcp_remb_t remb;
    if (braid_rtcp_remb_parse(&remb, p->data, p->len, NULL) == 0)
      braid_transport_bwe_on_remb(t, remb.bitrate, now_ms);
  }
}

static void on_rtpfb(braid_transport_t *t, const braid_rtcp_packet_t *p, int64_t now_ms) {
  if (p->hdr.count == 15) { /* transport-wide CC feedback */
    braid_transport_bwe_on_twcc(t, p->data, p->len, now_ms);
    return;
  }
  if (p->hdr.count != 1) return;
  braid_rtcp_nack_t nack;
  uint16_t seqs[MAX_NACKED];
  if (braid_rtcp_nack_parse(&nack, p->data, p->len, NULL) != 0) return;
  braid_consumer_t *c = consumer_by_ssrc(t, nack.fb.media_ssrc);
  if (c == NULL || !braid_consumer_is_media_ssrc(c, nack.fb.media_ssrc)) return;
  ssize_t n = braid_rtcp_nack_expand(&nack, seqs, MAX_NACKED);
  if (n == BRAID_ELIMIT) n = MAX_NACKED;
  c->nack_count++;
  if (n > 0) {
    c->nack_packet_count += (uint64_t)n;
    braid_consumer_on_nack(c, nack.fb.media_ssrc, seqs, (size_t)n, now_ms);
  }
}

void braid_transport_receive_rtcp(braid_transport_t *t, const uint8_t *data, size_t len) {
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t p;
  int64_t now_ms = braid_clock_mono_ms();
  uint64_t ntp_now = braid_rtp_send_stats_ntp_from_unix_ms(braid_clock_wall_ms());
  int rc;
  braid_rtcp_compound_init(&it, data, len, BRAID_RTCP_COMPOUND_PAD_ANY);
  while ((rc = braid_rtcp_compound_next(&it, &p)) == 1) {
    switch (p.hdr.pt) {
    case BRAID_RTCP_PT_SR: on_sr(t, &p, now_ms, ntp_now); break;
    case BRAID_RTCP_PT_RR: on_rr(t, &p, ntp_now); break;
    case BRAID_RTCP_PT_PSFB: on_psfb(t, &p, now_ms); break;
    case BRAID_RTCP_PT_RTPFB: on_rtpfb(t, &p, now_ms); break;
    default: break; /* SDES, BYE, XR, APP: nothing to do yet */
    }
  }
  if (rc < 0) t->stats.rtcp_malformed++;
}

/* ---- periodic reports ------------------------------------------------------------ */

static void send_reports(braid_transport_t *t, int64_t now_ms) {
  uint64_t ntp_now = braid_rtp_send_stats_ntp_from_unix_ms(braid_clock_wall_ms());
  size_t cap;
  uint8_t *buf;
  braid_rtcp_builder_t b;
  /* One compound per consumer: its SR and CNAME. */
  for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next) {
    if ((buf = braid_transport_tx_buf(t, &cap)) == NULL) return;
    braid_rtcp_builder_init(&b, buf, cap);
    if (braid_consumer_add_sr(c, &b, now_ms, ntp_now) == 0)
      braid_transport_tx_rtcp(t, braid_rtcp_builder_len(&b));
  }
  /* Receiver reports about every producer stream. */
  enum { MAX_BLOCKS = BRAID_TRANSPORT_MAX_PRODUCERS * BRAID_MAX_ENCODINGS };
  braid_rtcp_report_block_t blocks[MAX_BLOCKS];
  size_t n = 0;
  for (braid_producer_t *p = t->producers; p != NULL; p = p->next) {
    n += braid_producer_report_blocks(p, now_ms, blocks + n, MAX_BLOCKS - n);
    braid_producer_update_scores(p);
  }
  /* 31 blocks (one RR, 772 bytes) per datagram. */
  for (size_t off = 0; off < n; off += 31) {
    size_t k = n - off < 31 ? n - off : 31;
    if ((buf = braid_transport_tx_buf(t, &cap)) == NULL) return;
    braid_rtcp_builder_init(&b, buf, cap);
    if (braid_rtcp_builder_report(&b, BRAID_TRANSPORT_RTCP_SSRC, NULL, blocks + off, k) == 0)
      braid_transport_tx_rtcp(t, braid_rtcp_builder_len(&b));
  }
}

static void send_twcc_feedback(braid_transport_t *t) {
  size_t cap;
  uint8_t *buf;
  while (braid_twcc_recorder_pending(&t->twcc_rx) && (buf = braid_transport_tx_buf(t, &cap)) != NULL) {
    ssize_t n = braid_twcc_recorder_write(&t->twcc_rx, BRAID_TRANSPORT_RTCP_SSRC, buf, cap);
    if (n <= 0) return;
    braid_transport_tx_rtcp(t, (size_t)n);
  }
}

/* The receive-side estimate as REMB, about every producer stream of t. */
static void send_remb(braid_transport_t *t, uint32_t bps) {
  uint32_t ssrcs[BRAID_TRANSPORT_MAX_PRODUCERS * BRAID_MAX_ENCODINGS];
  size_t n = 0, cap;
  for (braid_producer_t *p = t->producers; p != NULL; p = p->next)
    for (size_t i = 0; i < p->nstreams && n < BRAID_RTCP_REMB_MAX_SSRCS; i++)
      if (p->streams[i].ssrc != 0) ssrcs[n++] = p->streams[i].ssrc;
  uint8_t *buf = braid_transport_tx_buf(t, &cap);
  if (n == 0 || buf == NULL) return;
  ssize_t len = braid_rtcp_remb_write(buf, cap, BRAID_TRANSPORT_RTCP_SSRC, bps, ssrcs, n);
  if (len > 0) braid_transport_tx_rtcp(t, (size_t)len);
}

int64_t braid_transport_next_timeout(const braid_transport_t *t) {
  int64_t next = t->next_rtcp_ms;
  if (t->remb != NULL && t->connected && braid_remb_server_next_timeout(t->remb) < next)
    next = braid_remb_server_next_timeout(t->remb);
  int64_t b = t->connected ? braid_transport_bwe_next_timeout(t) : INT64_MAX; /* see on_timeout */
  if (b < next) next = b;
  if (braid_twcc_recorder_pending(&t->twcc_rx) && t->next_twcc_ms < next) next = t->next_twcc_ms;
  for (const braid_producer_t *p = t->producers; p != NULL; p = p->next) {
    int64_t d = braid_producer_next_timeout(p);
    if (d < next) next = d;
  }
  return next;
}

void braid_transport_on_timeout(braid_transport_t *t, int64_t now_ms) {
  for (braid_producer_t *p = t->producers; p != NULL; p = p->next) braid_producer_on_timeout(p, now_ms);
  if (t->connected) braid_transport_bwe_on_timeout(t, now_ms);
  uint32_t remb_bps;
  if (t->remb != NULL && t->connected && braid_remb_server_poll(t->remb, now_ms, &remb_bps))
    send_remb(t, remb_bps);
  if (braid_twcc_recorder_pending(&t->twcc_rx) && now_ms >= t->next_twcc_ms) {
    t->next_twcc_ms = now_ms + BRAID_TWCC_RECORDER_INTERVAL_MS;
    send_twcc_feedback(t);
  }
  if (now_ms >= t->next_rtcp_ms) {
    t->next_rtcp_ms = now_ms + BRAID_TRANSPORT_RTCP_INTERVAL_MS;
    for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next) braid_consumer_on_tick(c, now_ms);
    if (t->connected) send_reports(t, now_ms);
  }
}
