/*
 * Fuzzer for the stream logic of mediad/rtc (stream.cmake): the input is a
 * script of operations, with the sequence numbers, timestamps, flags,
 * payloads and clock steps a hostile peer (or a bad network) controls,
 * run against one instance of each module. Checks, beyond the sanitizers:
 *
 *   seq_rewriter    a synced input lands right after the highest output
 *                   (one more with MARK_GAP after an incomplete frame) with
 *                   a timestamp that moved forward; refusals use the
 *                   documented codes;
 *   nack_generator  batches are in RTP order without duplicates, the list
 *                   stays within max_list, and after a full batch nothing
 *                   is due before now + 1;
 *   rtx_buffer      a resent packet is an RTX packet of the right stream
 *                   that carries exactly the stored packet (OSN and bytes);
 *   rtp_recv_stats  report blocks stay in their fields' ranges;
 *   keyframe_requester  after on_timeout nothing is due before now + 1;
 *   simulcast_selector  layers stay in range; a sync is always a key frame;
 *   svc_selector    the same, and the marker bit is asked for only on a
 *                   forwarded packet that ends a layer frame.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/log.h"
#include "mediad/rtc/keyframe_requester.h"
#include "mediad/rtc/nack_generator.h"
#include "mediad/rtc/rtp_recv_stats.h"
#include "mediad/rtc/rtp_send_stats.h"
#include "mediad/rtc/rtx_buffer.h"
#include "mediad/rtc/seq_rewriter.h"
#include "mediad/rtc/simulcast_selector.h"
#include "mediad/rtc/svc_selector.h"
#include "mediad/wire/rtp_codec.h"
#include "mediad/wire/rtp_packet.h"
#include "mediad/wire/rtp_rtx.h"

#define RTX_SSRC 0x52545853u
#define MEDIA_SSRC 0x4d454449u

/* Reads the script; reads past the end give zeros (the run then ends). */
typedef struct script {
  const uint8_t *p, *end;
} script_t;

static uint8_t u8(script_t *s) { return s->p < s->end ? *s->p++ : 0; }
static uint16_t u16(script_t *s) { return (uint16_t)(u8(s) << 8 | u8(s)); }
static uint32_t u32(script_t *s) { return (uint32_t)u16(s) << 16 | u16(s); }

typedef struct world {
  int64_t now;
  braid_seq_rewriter_t rw;
  braid_nack_generator_t *nack;
  braid_rtx_buffer_t *rtx;
  braid_rtp_recv_stats_t rs;
  braid_rtp_send_stats_t ss;
  braid_keyframe_requester_t kr;
  braid_simulcast_selector_t sel;
  braid_svc_selector_t svc;
} world_t;

/* The packet stored for seq: its length and bytes follow from seq, so a
 * resend can be checked without remembering anything. */
static size_t stored_packet(uint16_t seq, uint8_t *out) {
  size_t plen = 1 + (size_t)(seq * 7u) % 1200;
  memset(out, 0, 12);
  out[0] = 0x80;
  out[1] = 96;
  out[2] = (uint8_t)(seq >> 8);
  out[3] = (uint8_t)seq;
  out[4] = (uint8_t)(seq >> 4); /* timestamp */
  for (int i = 0; i < 4; i++) out[8 + i] = (uint8_t)(MEDIA_SSRC >> (24 - 8 * i));
  for (size_t i = 0; i < plen; i++) out[12 + i] = (uint8_t)(seq ^ i);
  return 12 + plen;
}

static void op_rewrite(world_t *w, script_t *s, uint8_t op) {
  uint16_t seq = u16(s), os;
  uint32_t ts = u32(s), ots;
  bool marker = (op & 0x10) != 0;
  if (op & 0x20) {
    unsigned flags = (op >> 6) & 3;
    braid_seq_rewriter_t before = w->rw;
    braid_seq_rewriter_sync(&w->rw, seq, ts, w->now, flags);
    BRAID_ASSERT(braid_seq_rewriter_input(&w->rw, seq, ts, marker, w->now, &os, &ots) == 0);
    bool gap = (flags & BRAID_SEQ_REWRITER_MARK_GAP) && before.has_output && !before.last_marker;
    BRAID_ASSERT(os == (uint16_t)(before.max_out + 1 + (gap ? 1 : 0)));
    if (before.has_output && w->now - before.max_out_ms < 3600000)
      BRAID_ASSERT((int32_t)(ots - before.max_out_ts) > 0);
    return;
  }
  int rc = braid_seq_rewriter_input(&w->rw, seq, ts, marker, w->now, &os, &ots);
  BRAID_ASSERT(rc == 0 || rc == BRAID_ESTATE || rc == BRAID_EEXIST);
  if (op & 0x40) braid_seq_rewriter_drop(&w->rw, (uint16_t)(seq + 1));
}

static void op_nack(world_t *w, script_t *s, uint8_t op) {
  if (op & 0x10) {
    static uint16_t out[BRAID_NACK_GENERATOR_MAX_LIST];
    size_t missing = braid_nack_generator_missing(w->nack);
    size_t n = braid_nack_generator_batch(w->nack, w->now, out, BRAID_NACK_GENERATOR_MAX_LIST);
    BRAID_ASSERT(n <= missing);
    for (size_t i = 1; i < n; i++) {
      uint16_t d = (uint16_t)(out[i] - out[i - 1]);
      BRAID_ASSERT(d >= 1 && d <= 32767);
    }
    BRAID_ASSERT(braid_nack_generator_next_timeout(w->nack) > w->now);
    return;
  }
  if (op & 0x20) braid_nack_generator_set_rtt(w->nack, u16(s));
  unsigned ev = braid_nack_generator_receive(w->nack, u16(s), (op & 0x40) != 0,
                                             (op & 0x80) != 0, w->now);
  BRAID_ASSERT((ev & ~7u) == 0);
  BRAID_ASSERT(braid_nack_generator_missing(w->nack) <= 64);
}

static void op_rtx(world_t *w, script_t *s, uint8_t op) {
  static uint8_t pkt[1300], out[1400];
  uint16_t seq = u16(s);
  if (op & 0x10) {
    size_t len = stored_packet(seq, pkt);
    int rc = braid_rtx_buffer_store(w->rtx, pkt, len, w->now);
    BRAID_ASSERT(rc == 0 || rc == BRAID_ESTATE);
    return;
  }
  size_t n;
  int rc = braid_rtx_buffer_resend(w->rtx, seq, w->now, u8(s), out, sizeof out, 16, &n);
  if (rc != 0) {
    BRAID_ASSERT(rc == BRAID_ENOTFOUND || rc == BRAID_ETIMEDOUT || rc == BRAID_ESTATE ||
                 rc == BRAID_ELIMIT);
    return;
  }
  braid_rtp_packet_t r;
  BRAID_ASSERT(braid_rtp_packet_parse(&r, out, n) == 0);
  BRAID_ASSERT(r.ssrc == RTX_SSRC && r.pt == 97);
  uint16_t osn;
  BRAID_ASSERT(braid_rtp_rtx_osn(&r, &osn) == 0 && osn == seq);
  size_t len = stored_packet(seq, pkt);
  BRAID_ASSERT(r.payload_len == len - 12 + 2);
  BRAID_ASSERT(memcmp(braid_rtp_packet_payload(&r) + 2, pkt + 12, len - 12) == 0);
}

static void op_stats(world_t *w, script_t *s, uint8_t op) {
  uint16_t seq = u16(s);
  uint32_t ts = u32(s);
  if (op & 0x10) {
    braid_rtcp_report_block_t b;
    braid_rtp_recv_stats_report(&w->rs, 1, w->now, &b);
    BRAID_ASSERT(b.packets_lost >= BRAID_RTCP_LOST_MIN && b.packets_lost <= BRAID_RTCP_LOST_MAX);
    braid_rtp_recv_stats_update_score(&w->rs, (op & 0x20) != 0);
    BRAID_ASSERT(braid_rtp_recv_stats_score(&w->rs) <= BRAID_RTP_SCORE_MAX);
    b.lsr = ts;
    b.dlsr = u32(s);
    braid_rtp_send_stats_on_report(&w->ss, &b, (uint64_t)w->now << 16, (op & 0x40) != 0);
    BRAID_ASSERT(w->ss.score.score <= BRAID_RTP_SCORE_MAX);
    braid_rtcp_sender_info_t si;
    int rc = braid_rtp_send_stats_sender_info(&w->ss, 0, w->now, &si);
    BRAID_ASSERT(rc == 0 || rc == BRAID_ESTATE);
    return;
  }
  int rc = braid_rtp_recv_stats_update(&w->rs, seq, ts, 100, w->now, (op & 0x20) != 0);
  BRAID_ASSERT(rc == 0 || rc == BRAID_ESTATE);
  if (op & 0x40) braid_rtp_recv_stats_repaired(&w->rs);
  braid_rtp_send_stats_on_packet(&w->ss, ts, seq % 1200, seq % 1200 + 12, w->now);
  if (op & 0x80) braid_rtp_recv_stats_on_sr(&w->rs, (uint64_t)ts << 20, ts, w->now);
}

static void op_keyframe(world_t *w, script_t *s, uint8_t op) {
  uint32_t ssrc = u8(s) % 12; /* more SSRCs than the table holds */
  braid_keyframe_request_t r, out[BRAID_KEYFRAME_REQUESTER_MAX_SSRCS];
  int rc = 0;
  switch ((op >> 4) & 3) {
  case 0: rc = braid_keyframe_requester_need(&w->kr, ssrc, w->now, &r); break;
  case 1: rc = braid_keyframe_requester_force(&w->kr, ssrc, w->now, &r); break;
  case 2: braid_keyframe_requester_received(&w->kr, ssrc); break;
  default:
    if (braid_keyframe_requester_next_timeout(&w->kr) <= w->now)
      braid_keyframe_requester_on_timeout(&w->kr, w->now, out, BRAID_KEYFRAME_REQUESTER_MAX_SSRCS);
    BRAID_ASSERT(braid_keyframe_requester_next_timeout(&w->kr) > w->now);
    if (op & 0x40) braid_keyframe_requester_remove(&w->kr, ssrc);
    break;
  }
  BRAID_ASSERT(rc == 0 || rc == 1 || rc == BRAID_ELIMIT);
  if (rc == 1)
    BRAID_ASSERT(r.ssrc == ssrc && (r.kind == BRAID_KEYFRAME_PLI || r.kind == BRAID_KEYFRAME_FIR));
}

static void op_simulcast(world_t *w, script_t *s, uint8_t op) {
  uint8_t a = u8(s), b = u8(s);
  switch ((op >> 4) & 7) {
  case 0: braid_simulcast_selector_set_preferred(&w->sel, a % 5, (int)(b % 5) - 1); break;
  case 1: braid_simulcast_selector_set_active(&w->sel, a & 1); break;
  case 2: braid_simulcast_selector_set_stream_score(&w->sel, a % 4, b % 11); break;
  case 3:
    braid_simulcast_selector_set_available_bitrate(
        &w->sel, a == 0 ? BRAID_SIMULCAST_UNLIMITED : a * 10000u);
    break;
  case 4: braid_simulcast_selector_set_stream_bitrate(&w->sel, a % 4, b * 10000u); break;
  case 5: braid_simulcast_selector_request_keyframe(&w->sel); break;
  default: {
    /* A packet of stream a % 3 whose payload is the next b % 32 bytes. */
    size_t len = b % 32;
    if ((size_t)(s->end - s->p) < len) len = (size_t)(s->end - s->p);
    braid_rtp_codec_info_t info;
    if (braid_rtp_codec_vp8_inspect(s->p, len, &info) == 0) {
      int act = braid_simulcast_selector_input(&w->sel, a % 3, &info, len);
      BRAID_ASSERT(act >= BRAID_SIMULCAST_FORWARD && act <= BRAID_SIMULCAST_IGNORE);
      if (act == BRAID_SIMULCAST_FORWARD_SYNC) BRAID_ASSERT(info.keyframe);
    }
    s->p += len;
    break;
  }
  }
  BRAID_ASSERT(w->sel.cur_s >= -1 && w->sel.cur_s < 3 && w->sel.target_s >= -1 &&
               w->sel.target_s < 3);
  BRAID_ASSERT(w->sel.cur_t >= -1 && w->sel.cur_t < 3 && w->sel.target_t >= -1 &&
               w->sel.target_t < 3);
  BRAID_ASSERT((w->sel.cur_s < 0) == (w->sel.cur_t < 0));
}

static void op_svc(world_t *w, script_t *s, uint8_t op) {
  uint8_t a = u8(s), b = u8(s);
  switch ((op >> 4) & 7) {
  case 0: braid_svc_selector_set_preferred(&w->svc, a % 5, (int)(b % 5) - 1); break;
  case 1: braid_svc_selector_set_active(&w->svc, a & 1); break;
  case 2: braid_svc_selector_set_score(&w->svc, a % 11); break;
  case 3:
    braid_svc_selector_set_available_bitrate(&w->svc,
                                             a == 0 ? BRAID_SVC_UNLIMITED : a * 10000u);
    break;
  case 4: {
    static uint32_t bps[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL];
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 3; j++) bps[i][j] = (a >> ((i + j) & 7) & 1) ? b * 1000u : 0;
    braid_svc_selector_set_layer_bitrates(&w->svc, bps);
    break;
  }
  case 5: braid_svc_selector_request_keyframe(&w->svc); break;
  default: {
    /* A packet whose VP9 payload is the next b % 32 bytes. */
    size_t len = b % 32;
    if ((size_t)(s->end - s->p) < len) len = (size_t)(s->end - s->p);
    braid_rtp_codec_info_t info;
    if (braid_rtp_codec_vp9_inspect(s->p, len, &info) == 0) {
      bool marker = true;
      int act = braid_svc_selector_input(&w->svc, &info, a & 1 ? 0 : len, &marker);
      BRAID_ASSERT(act >= BRAID_SVC_FORWARD && act <= BRAID_SVC_IGNORE);
      if (act == BRAID_SVC_FORWARD_SYNC) BRAID_ASSERT(info.keyframe);
      if (marker) BRAID_ASSERT(act <= BRAID_SVC_FORWARD_SYNC && info.frame_end);
    }
    s->p += len;
    break;
  }
  }
  const braid_svc_selector_t *v = &w->svc;
  BRAID_ASSERT(v->cur_s >= -1 && v->cur_s < 3 && v->target_s >= -1 && v->target_s < 3);
  BRAID_ASSERT(v->cur_t >= -1 && v->cur_t < 3 && v->target_t >= -1 && v->target_t < 3);
  BRAID_ASSERT((v->cur_s < 0) == (v->cur_t < 0) && (v->target_s < 0) == (v->target_t < 0));
  BRAID_ASSERT(v->active || (v->cur_s < 0 && v->target_s < 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static world_t w;
  memset(&w, 0, sizeof w);
  w.now = 1000;
  script_t s = {data, data + size};
  braid_seq_rewriter_init(&w.rw, 90000, u16(&s));
  braid_nack_generator_config_t nc = {64, 1000, 4, u8(&s) % 50};
  BRAID_ASSERT(braid_nack_generator_new(&w.nack, &nc) == 0);
  braid_rtx_buffer_config_t rc = {.max_packets = 64, .max_bytes = 8192, .max_age_ms = 2000,
                                  .max_resends = 3, .rtx = true, .rtx_pt = 97,
                                  .rtx_ssrc = RTX_SSRC, .rtx_seq = u16(&s)};
  BRAID_ASSERT(braid_rtx_buffer_new(&w.rtx, &rc) == 0);
  braid_rtp_recv_stats_init(&w.rs, 90000);
  braid_rtp_send_stats_init(&w.ss, 90000);
  uint8_t kf = u8(&s);
  braid_keyframe_requester_init(&w.kr, kf & 1, kf & 2, kf & 4 ? 200 : 0);
  BRAID_ASSERT(braid_simulcast_selector_init(&w.sel, 3, 3, NULL, NULL) == 0);
  BRAID_ASSERT(braid_svc_selector_init(&w.svc, 3, 3, kf & 8, NULL, NULL) == 0);

  while (s.p < s.end) {
    uint8_t op = u8(&s);
    switch (op & 7) {
    case 0: op_rewrite(&w, &s, op); break;
    case 1: op_nack(&w, &s, op); break;
    case 2: op_rtx(&w, &s, op); break;
    case 3: op_stats(&w, &s, op); break;
    case 4: op_keyframe(&w, &s, op); break;
    case 5: op_simulcast(&w, &s, op); break;
    case 7: op_svc(&w, &s, op); break;
    default: w.now += u16(&s) % 1000; break;
    }
  }
  braid_nack_generator_free(w.nack);
  braid_rtx_buffer_free(w.rtx);
  return 0;
}
