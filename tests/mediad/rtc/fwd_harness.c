/*
 * The forwarding test harness (fwd_harness.h): the fake clock, the fake
 * transport kind, the world and its commands, the publisher's packets and
 * the readers of captured RTCP.
 */
#include "tests/mediad/rtc/fwd_harness.h"

#include <stdlib.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/map.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/fir.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "tests/mediad/rtc/rtp_maker.h"
#include "tests/test.h"

/* ---- the clock ----------------------------------------------------------- */

#define WALL_AT_ZERO_MS 1700000000000LL

int64_t fwd_now_ms = 5000000;

/* The only definitions of the clock in a test binary (see the header). */
int64_t braid_clock_mono_ms(void) { return fwd_now_ms; }
int64_t braid_clock_wall_ms(void) { return WALL_AT_ZERO_MS + fwd_now_ms; }

/* ---- the fake transport kind --------------------------------------------- */

static uint8_t *fake_tx_buf(braid_transport_t *m, size_t *cap) {
  fwd_transport_t *f = (fwd_transport_t *)m;
  *cap = sizeof f->tx;
  return f->tx;
}

static int fake_capture(braid_transport_t *m, size_t len, bool rtcp) {
  fwd_transport_t *f = (fwd_transport_t *)m;
  ASSERT(f->n < FWD_MAX_CAPTURED);
  ASSERT(len <= sizeof f->tx);
  f->out[f->n].rtcp = rtcp;
  f->out[f->n].len = len;
  memcpy(f->out[f->n].data, f->tx, len);
  f->n++;
  return 0;
}

static int fake_tx_rtp(braid_transport_t *m, size_t len) { return fake_capture(m, len, false); }
static int fake_tx_rtcp(braid_transport_t *m, size_t len) { return fake_capture(m, len, true); }

static const braid_transport_ops_t fake_ops = {
    .kind = "fake", .tx_buf = fake_tx_buf, .tx_rtp = fake_tx_rtp, .tx_rtcp = fake_tx_rtcp};

/* The same kind with a send-side estimate, as WebRTC transports have. */
static const braid_transport_ops_t fake_bwe_ops = {.kind = "fake",
                                                   .send_side_bwe = true,
                                                   .tx_buf = fake_tx_buf,
                                                   .tx_rtp = fake_tx_rtp,
                                                   .tx_rtcp = fake_tx_rtcp};

bool fwd_send_side_bwe;

static fwd_transport_t *fake_new(braid_mediad_t *md, const char *id) {
  fwd_transport_t *f = calloc(1, sizeof *f);
  ASSERT(f != NULL);
  ASSERT_EQ(braid_transport_init(&f->media, md, fwd_send_side_bwe ? &fake_bwe_ops : &fake_ops,
                                 braid_str_c(id), BRAID_STR_LIT("r1"),
                                 BRAID_STR_LIT("room")),
            0);
  braid_transport_set_connected(&f->media, true);
  return f;
}

size_t fwd_count(const fwd_transport_t *f, bool rtcp) {
  size_t n = 0;
  for (size_t i = 0; i < f->n; i++)
    n += f->out[i].rtcp == rtcp;
  return n;
}

const fwd_captured_t *fwd_nth(const fwd_transport_t *f, bool rtcp, size_t idx) {
  for (size_t i = 0, k = 0; i < f->n; i++)
    if (f->out[i].rtcp == rtcp && k++ == idx) return &f->out[i];
  BRAID_TEST_FAIL("no captured %s packet #%zu", rtcp ? "RTCP" : "RTP", idx);
}

fwd_rtp_t fwd_rtp_out(const fwd_transport_t *f, size_t idx) {
  fwd_rtp_t o;
  const fwd_captured_t *c = fwd_nth(f, false, idx);
  ASSERT_EQ(braid_rtp_packet_parse(&o.pkt, c->data, c->len), 0);
  ASSERT_EQ(braid_rtp_ext_parse(&o.ext, &o.pkt), 0);
  o.payload = braid_rtp_packet_payload(&o.pkt);
  return o;
}

size_t fwd_keyframe_requests(const fwd_transport_t *f, uint32_t media_ssrc) {
  size_t n = 0;
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t p;
  braid_rtcp_fb_t fb;
  for (size_t i = 0; i < f->n; i++) {
    if (!f->out[i].rtcp) continue;
    braid_rtcp_compound_init(&it, f->out[i].data, f->out[i].len, 0);
    while (braid_rtcp_compound_next(&it, &p) == 1)
      if (p.hdr.pt == BRAID_RTCP_PT_PSFB && p.hdr.count == BRAID_RTCP_PSFB_PLI &&
          braid_rtcp_pli_parse(&fb, p.data, p.len, NULL) == 0 && fb.media_ssrc == media_ssrc)
        n++;
  }
  return n;
}

size_t fwd_nacks(const fwd_transport_t *f, size_t from, uint32_t media_ssrc, uint16_t *seqs,
                 size_t cap, size_t *n_seqs) {
  size_t n = 0, got = 0;
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t p;
  braid_rtcp_nack_t nack;
  for (size_t i = from; i < f->n; i++) {
    if (!f->out[i].rtcp) continue;
    braid_rtcp_compound_init(&it, f->out[i].data, f->out[i].len, 0);
    while (braid_rtcp_compound_next(&it, &p) == 1) {
      if (p.hdr.pt != BRAID_RTCP_PT_RTPFB || p.hdr.count != 1) continue;
      ASSERT_EQ(braid_rtcp_nack_parse(&nack, p.data, p.len, NULL), 0);
      if (nack.fb.media_ssrc != media_ssrc) continue;
      n++;
      if (seqs == NULL) {
        got += braid_rtcp_nack_count(&nack);
        continue;
      }
      ssize_t k = braid_rtcp_nack_expand(&nack, seqs + got, cap - got);
      ASSERT(k >= 0); /* not BRAID_ELIMIT: more than cap */
      got += (size_t)k;
    }
  }
  if (n_seqs != NULL) *n_seqs = got;
  return n;
}

/* ---- the daemon ---------------------------------------------------------- */

void fwd_world_init(fwd_world_t *w) {
  memset(w, 0, sizeof *w);
  w->md.producers = braid_map_new();
  w->md.consumers = braid_map_new();
  ASSERT(w->md.producers != NULL && w->md.consumers != NULL);
  w->send = fake_new(&w->md, "t-send");
  w->recv = fake_new(&w->md, "t-recv");
}

void fwd_world_cleanup(fwd_world_t *w) {
  braid_transport_cleanup(&w->send->media);
  free(w->send);
  ASSERT_EQ(braid_map_size(w->md.producers), 0);
  ASSERT(w->recv->media.consumers == NULL);
  braid_transport_cleanup(&w->recv->media);
  free(w->recv);
  ASSERT_EQ(braid_map_size(w->md.consumers), 0);
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
}

braid_cmd_producer_create_t fwd_producer_cmd(const char *id, bool video, bool simulcast) {
  braid_cmd_producer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = BRAID_STR_LIT("t-send");
  c.producer_id = braid_str_c(id);
  c.kind = braid_str_c(video ? "video" : "audio");
  c.type = braid_str_c(simulcast ? "simulcast" : "simple");
  c.mid = braid_str_c(video ? "1" : "0");
  c.cname = BRAID_STR_LIT("publisher");
  c.ext = (braid_rtp_ext_ids_t){.mid = CX_MID, .abs_send_time = CX_ABS_SEND, .twcc = CX_TWCC};
  if (!video) {
    c.fb = BRAID_FB_TWCC;
    c.ext.audio_level = CX_AUDIO_LEVEL;
    c.ncodecs = 1;
    c.codecs[0] =
        (braid_producer_codec_t){PT_OPUS, RPT_OPUS, BRAID_STR_LIT("audio/opus"), 48000, 0};
    c.nencodings = 1;
    c.encodings[0] = (braid_producer_encoding_t){
        .ssrc = AUDIO_SSRC, .mapped_ssrc = 0xA0000001, .temporal_layers = 1};
    return c;
  }
  c.fb = VIDEO_FB;
  c.ext.rid = CX_RID;
  c.ext.rrid = CX_RRID;
  c.ncodecs = 2;
  c.codecs[0] = (braid_producer_codec_t){PT_VP8, RPT_VP8, BRAID_STR_LIT("video/VP8"), 90000, 0};
  c.codecs[1] =
      (braid_producer_codec_t){PT_VP8_RTX, RPT_VP8_RTX, BRAID_STR_LIT("video/rtx"), 90000, PT_VP8};
  if (!simulcast) {
    c.nencodings = 1;
    c.encodings[0] = (braid_producer_encoding_t){.ssrc = VIDEO_SSRC,
                                                 .rtx_ssrc = VIDEO_RTX_SSRC,
                                                 .mapped_ssrc = 0xB0000001,
                                                 .temporal_layers = 1};
    return c;
  }
  static const char *rids[] = {"r0", "r1", "r2"};
  c.nencodings = 3;
  for (size_t i = 0; i < 3; i++)
    c.encodings[i] = (braid_producer_encoding_t){
        .rid = braid_str_c(rids[i]), .mapped_ssrc = 0xB0000010 + (uint32_t)i, .temporal_layers = 1};
  return c;
}

braid_producer_t *fwd_add_producer_cmd(fwd_world_t *w, const braid_cmd_producer_create_t *c) {
  braid_producer_t *p = NULL;
  const char *why = NULL;
  int rc = braid_producer_new(&p, &w->send->media, c, &why);
  if (rc != 0)
    BRAID_TEST_FAIL("producer %.*s: %d %s", (int)c->producer_id.len, c->producer_id.p, rc,
                    why ? why : "");
  return p;
}

braid_producer_t *fwd_add_producer(fwd_world_t *w, const char *id, bool video, bool simulcast) {
  braid_cmd_producer_create_t c = fwd_producer_cmd(id, video, simulcast);
  return fwd_add_producer_cmd(w, &c);
}

braid_consumer_t *fwd_add_consumer(fwd_world_t *w, const char *id, braid_producer_t *p,
                                   const char *mid, uint32_t ssrc, bool paused) {
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = BRAID_STR_LIT("t-recv");
  c.consumer_id = braid_str_c(id);
  c.producer_id = braid_str_c(p->id);
  c.kind = braid_str_c(p->video ? "video" : "audio");
  c.type = braid_str_c(p->type);
  c.paused = paused;
  c.mid = braid_str_c(mid);
  c.ssrc = ssrc;
  c.rtx_ssrc = p->video ? ssrc + 1 : 0;
  c.cname = BRAID_STR_LIT("router-cname");
  c.fb = p->video ? VIDEO_FB : BRAID_FB_TWCC;
  c.ext = (braid_rtp_ext_ids_t){.mid = RX_MID,
                                .abs_send_time = RX_ABS_SEND,
                                .twcc = RX_TWCC,
                                .audio_level = p->video ? 0 : RX_AUDIO_LEVEL};
  c.ncodecs = 1;
  c.codecs[0] =
      p->video ? (braid_consumer_codec_t){RPT_VP8, RPT_VP8_RTX, BRAID_STR_LIT("video/VP8"), 90000}
               : (braid_consumer_codec_t){RPT_OPUS, 0, BRAID_STR_LIT("audio/opus"), 48000};
  c.preferred_spatial = 2; /* the controller asks for the highest by default */
  c.preferred_temporal = 2;
  braid_consumer_t *k = NULL;
  const char *why = NULL;
  int rc = braid_consumer_new(&k, &w->recv->media, p, &c, &why);
  if (rc != 0) BRAID_TEST_FAIL("consumer %s: %d %s", id, rc, why ? why : "");
  return k;
}

void fwd_ref_cmd(fwd_world_t *w, braid_cmd_type_t type, const char *id) {
  braid_cmd_t cmd;
  braid_buf_t out;
  memset(&cmd, 0, sizeof cmd);
  cmd.type = type;
  cmd.id = 42;
  bool producer = type >= BRAID_CMD_PRODUCER_CLOSE && type <= BRAID_CMD_PRODUCER_RESUME;
  *(producer ? &cmd.u.producer_ref.producer_id : &cmd.u.consumer_ref.consumer_id) = braid_str_c(id);
  braid_buf_init(&out, 4096);
  int rc = producer ? braid_media_handlers_producer_ref(&w->md, &cmd, &out)
                    : braid_media_handlers_consumer_ref(&w->md, &cmd, &out);
  ASSERT_EQ(rc, 0);
  ASSERT(out.len > 0);
  braid_buf_cleanup(&out);
}

/* ---- the publisher's packets --------------------------------------------- */

void fwd_send_opus(fwd_world_t *w, uint16_t seq, uint32_t ts, uint8_t level) {
  uint8_t abs[3] = {1, 2, 3}, twcc[2], payload[20];
  braid_put16(twcc, (uint16_t)(seq + 7));
  memset(payload, seq & 0xff, sizeof payload);
  braid_rtp_ext_entry_t e[] = {{&level, CX_AUDIO_LEVEL, 1},
                               {abs, CX_ABS_SEND, 3},
                               {twcc, CX_TWCC, 2},
                               {(const uint8_t *)"0", CX_MID, 1}};
  test_pkt_t p;
  make_pkt_ext(&p, AUDIO_SSRC, PT_OPUS, seq, ts, true, e, 4, payload, sizeof payload);
  braid_transport_receive_rtp(&w->send->media, p.buf, p.len);
}

void fwd_vp8_payload(uint8_t *pl, size_t *n, bool key, uint8_t tag) {
  *n = make_vp8(pl, key, 0, false);
  pl[(*n)++] = tag;
}

void fwd_send_vp8(fwd_world_t *w, uint32_t ssrc, const char *rid, uint16_t seq, bool key,
                  uint8_t tag) {
  uint8_t pl[32];
  size_t n;
  fwd_vp8_payload(pl, &n, key, tag);
  braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"1", CX_MID, 1},
                               {(const uint8_t *)rid, CX_RID, rid ? (uint8_t)strlen(rid) : 0}};
  test_pkt_t p;
  make_pkt_ext(&p, ssrc, PT_VP8, seq, 90u * seq, true, e, rid ? 2 : 1, pl, n);
  braid_transport_receive_rtp(&w->send->media, p.buf, p.len);
}

void fwd_send_vp8_rtx(fwd_world_t *w, uint32_t rtx_ssrc, const char *rrid, uint16_t rtx_seq,
                      uint16_t osn, bool key, uint8_t tag) {
  uint8_t pl[34];
  size_t n;
  braid_put16(pl, osn);
  fwd_vp8_payload(pl + 2, &n, key, tag);
  braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"1", CX_MID, 1},
                               {(const uint8_t *)rrid, CX_RRID, rrid ? (uint8_t)strlen(rrid) : 0}};
  test_pkt_t r;
  make_pkt_ext(&r, rtx_ssrc, PT_VP8_RTX, rtx_seq, 90u * osn, true, e, rrid ? 2 : 1, pl, n + 2);
  braid_transport_receive_rtp(&w->send->media, r.buf, r.len);
}

void fwd_assert_seq_continuous(const fwd_world_t *w, size_t from, size_t to) {
  for (size_t i = from + 1; i < to; i++)
    ASSERT_EQ(fwd_rtp_out(w->recv, i).pkt.seq, (uint16_t)(fwd_rtp_out(w->recv, i - 1).pkt.seq + 1));
}

/* ---- the subscriber's feedback ------------------------------------------- */

void fwd_recv_feedback(fwd_world_t *w, fwd_fb_kind_t kind, uint32_t media_ssrc, uint16_t seq) {
  uint8_t buf[256];
  braid_rtcp_builder_t b;
  size_t room;
  braid_rtcp_fb_t fb = {REMOTE_SSRC, media_ssrc};
  braid_rtcp_fir_entry_t entry = {media_ssrc, 1};
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, REMOTE_SSRC, NULL, NULL, 0), 0);
  uint8_t *tail = braid_rtcp_builder_tail(&b, &room);
  ssize_t n = kind == FB_PLI   ? braid_rtcp_pli_write(tail, room, &fb)
              : kind == FB_FIR ? braid_rtcp_fir_write(tail, room, REMOTE_SSRC, &entry, 1)
                               : braid_rtcp_nack_write(tail, room, &fb, &seq, 1);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, n), 0);
  braid_transport_receive_rtcp(&w->recv->media, buf, braid_rtcp_builder_len(&b));
}
