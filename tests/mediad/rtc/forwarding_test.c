/*
 * The forwarding path of mediad end to end (transport.c, producer.c,
 * consumer.c, media_handlers.c) over a fake transport kind that captures
 * every packet its media half sends, in plaintext (no sockets, no SRTP).
 * Producers live on the "send" transport (the publisher), consumers on the
 * "recv" transport (the subscriber); their commands are built by hand with
 * Chrome's client extension ids and mediasoup's router ids.
 *
 * Time: transport.c and consumer.c read the clock themselves, so this file
 * defines braid_clock_mono_ms() and braid_clock_wall_ms() (common/clock.c
 * is then not linked in) and the tests move the clock by hand.
 */
#include <stdlib.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/map.h"
#include "mediad/channel/media_handlers.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/transport.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/fir.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sdes.h"
#include "mediad/wire/rtcp/sr.h"
#include "tests/mediad/rtc/rtp_maker.h"
#include "tests/test.h"

/* ---- the clock ----------------------------------------------------------- */

#define WALL_AT_ZERO_MS 1700000000000LL
static int64_t now_ms = 5000000;

int64_t braid_clock_mono_ms(void) { return now_ms; }
int64_t braid_clock_wall_ms(void) { return WALL_AT_ZERO_MS + now_ms; }

/* ---- constants ----------------------------------------------------------- */

#define AUDIO_SSRC     0x11110001u
#define VIDEO_SSRC     0x22220001u
#define VIDEO_RTX_SSRC 0x22220002u
#define REMOTE_SSRC    0x77770001u /* the subscriber's own RTCP sender SSRC */

/* Client payload types (Chrome) and router payload types (mapped). */
enum { PT_OPUS = 111, PT_VP8 = 96, PT_VP8_RTX = 97 };
enum { RPT_OPUS = 100, RPT_VP8 = 101, RPT_VP8_RTX = 102 };
/* Chrome's extension ids on the publishing side. */
enum { CX_AUDIO_LEVEL = 1, CX_ABS_SEND = 2, CX_TWCC = 3, CX_MID = 4, CX_RID = 10, CX_RRID = 11 };
/* mediasoup's router ids, written towards the subscriber. */
enum { RX_MID = 1, RX_ABS_SEND = 4, RX_TWCC = 5, RX_AUDIO_LEVEL = 10 };

#define VIDEO_FB (BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR | BRAID_FB_TWCC)

/* ---- the fake transport kind --------------------------------------------- */

#define MAX_CAPTURED 128

typedef struct captured {
  bool rtcp;
  size_t len;
  uint8_t data[1500];
} captured_t;

typedef struct fake_transport {
  braid_transport_t media; /* first: the ops cast back */
  uint8_t tx[1500];        /* the one packet being built */
  size_t n;
  captured_t out[MAX_CAPTURED];
} fake_transport_t;

static uint8_t *fake_tx_buf(braid_transport_t *m, size_t *cap) {
  fake_transport_t *f = (fake_transport_t *)m;
  *cap = sizeof f->tx;
  return f->tx;
}

static int fake_capture(braid_transport_t *m, size_t len, bool rtcp) {
  fake_transport_t *f = (fake_transport_t *)m;
  ASSERT(f->n < MAX_CAPTURED);
  ASSERT(len <= sizeof f->tx);
  f->out[f->n].rtcp = rtcp;
  f->out[f->n].len = len;
  memcpy(f->out[f->n].data, f->tx, len);
  f->n++;
  return 0;
}

static int fake_tx_rtp(braid_transport_t *m, size_t len) { return fake_capture(m, len, false); }
static int fake_tx_rtcp(braid_transport_t *m, size_t len) { return fake_capture(m, len, true); }

static const braid_transport_ops_t fake_ops = {fake_tx_buf, fake_tx_rtp, fake_tx_rtcp};

static fake_transport_t *fake_new(braid_mediad_t *md, const char *id) {
  fake_transport_t *f = calloc(1, sizeof *f);
  ASSERT(f != NULL);
  ASSERT_EQ(braid_transport_init(&f->media, md, &fake_ops, braid_str_c(id), BRAID_STR_LIT("r1"),
                                 BRAID_STR_LIT("room")),
            0);
  braid_transport_set_connected(&f->media, true);
  return f;
}

/* Captured packets of one kind (RTP or RTCP), and the i-th of them. */
static size_t count_of(const fake_transport_t *f, bool rtcp) {
  size_t n = 0;
  for (size_t i = 0; i < f->n; i++)
    n += f->out[i].rtcp == rtcp;
  return n;
}

static const captured_t *nth_of(const fake_transport_t *f, bool rtcp, size_t idx) {
  for (size_t i = 0, k = 0; i < f->n; i++)
    if (f->out[i].rtcp == rtcp && k++ == idx) return &f->out[i];
  BRAID_TEST_FAIL("no captured %s packet #%zu", rtcp ? "RTCP" : "RTP", idx);
}

/* An RTP packet the transport sent, parsed. */
typedef struct out_rtp {
  braid_rtp_packet_t pkt;
  braid_rtp_ext_t ext;
  const uint8_t *payload;
} out_rtp_t;

static out_rtp_t rtp_out(const fake_transport_t *f, size_t idx) {
  out_rtp_t o;
  const captured_t *c = nth_of(f, false, idx);
  ASSERT_EQ(braid_rtp_packet_parse(&o.pkt, c->data, c->len), 0);
  ASSERT_EQ(braid_rtp_ext_parse(&o.ext, &o.pkt), 0);
  o.payload = braid_rtp_packet_payload(&o.pkt);
  return o;
}

/* PLIs about media_ssrc in all the RTCP the transport sent (every
 * producer here negotiates PLI, so key frame requests are PLIs). */
static size_t keyframe_requests(const fake_transport_t *f, uint32_t media_ssrc) {
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

/* ---- the daemon ---------------------------------------------------------- */

typedef struct world {
  braid_mediad_t md;
  fake_transport_t *send; /* the publisher's transport: producers */
  fake_transport_t *recv; /* the subscriber's transport: consumers */
} world_t;

static void world_init(world_t *w) {
  memset(w, 0, sizeof *w);
  w->md.producers = braid_map_new();
  w->md.consumers = braid_map_new();
  ASSERT(w->md.producers != NULL && w->md.consumers != NULL);
  w->send = fake_new(&w->md, "t-send");
  w->recv = fake_new(&w->md, "t-recv");
}

/* Tears down both transports (the publisher's first, as when it leaves)
 * and checks that nothing is left registered. */
static void world_cleanup(world_t *w) {
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

/* producer.create as the controller sends it for Chrome: opus on
 * AUDIO_SSRC, or VP8 + RTX (one encoding on VIDEO_SSRC/VIDEO_RTX_SSRC,
 * or simulcast r0/r1/r2 without SSRCs). */
static braid_cmd_producer_create_t producer_cmd(const char *id, bool video, bool simulcast) {
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

static braid_producer_t *add_producer(world_t *w, const char *id, bool video, bool simulcast) {
  braid_cmd_producer_create_t c = producer_cmd(id, video, simulcast);
  braid_producer_t *p = NULL;
  const char *why = NULL;
  int rc = braid_producer_new(&p, &w->send->media, &c, &why);
  if (rc != 0) BRAID_TEST_FAIL("producer %s: %d %s", id, rc, why ? why : "");
  return p;
}

/* consumer.create of producer p on the recv transport, with SSRC ssrc
 * (and ssrc + 1 for RTX when video). */
static braid_consumer_t *add_consumer(world_t *w, const char *id, braid_producer_t *p,
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

/* A producer.* / consumer.* reference command through media_handlers.c. */
static void ref_cmd(world_t *w, braid_cmd_type_t type, const char *id) {
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

/* Opus on AUDIO_SSRC with MID, audio level, abs-send-time and TWCC, as
 * Chrome sends it; the payload is 20 bytes of seq & 0xff. */
static void send_opus(world_t *w, uint16_t seq, uint32_t ts, uint8_t level) {
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

/* A VP8 payload (temporal layer 0) that ends with the byte tag, so the
 * tests can tell which stream an output came from. */
static void vp8_payload(uint8_t *pl, size_t *n, bool key, uint8_t tag) {
  *n = make_vp8(pl, key, 0, false);
  pl[(*n)++] = tag;
}

/* A VP8 packet with MID "1" and, when rid is not NULL, that RID. */
static void send_vp8(world_t *w, uint32_t ssrc, const char *rid, uint16_t seq, bool key,
                     uint8_t tag) {
  uint8_t pl[32];
  size_t n;
  vp8_payload(pl, &n, key, tag);
  braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"1", CX_MID, 1},
                               {(const uint8_t *)rid, CX_RID, rid ? (uint8_t)strlen(rid) : 0}};
  test_pkt_t p;
  make_pkt_ext(&p, ssrc, PT_VP8, seq, 90u * seq, true, e, rid ? 2 : 1, pl, n);
  braid_transport_receive_rtp(&w->send->media, p.buf, p.len);
}

/* Checks that RTP outputs [from, to) of the recv transport are numbered
 * one after the other. */
static void assert_seq_continuous(const world_t *w, size_t from, size_t to) {
  for (size_t i = from + 1; i < to; i++)
    ASSERT_EQ(rtp_out(w->recv, i).pkt.seq, (uint16_t)(rtp_out(w->recv, i - 1).pkt.seq + 1));
}

/* An RTCP compound from the subscriber: an empty RR (its report) and one
 * feedback packet about media_ssrc (seq: the NACKed sequence number). */
typedef enum { FB_PLI, FB_FIR, FB_NACK } fb_kind_t;

static void recv_feedback(world_t *w, fb_kind_t kind, uint32_t media_ssrc, uint16_t seq) {
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

/* ---- 1. audio ------------------------------------------------------------ */

BRAID_TEST(audio_forwarded_with_new_header) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "pa", false, false);
  braid_consumer_t *c1 = add_consumer(&w, "ca1", p, "0", 0x55550001, false);
  braid_consumer_t *c2 = add_consumer(&w, "ca2", p, "1", 0x55550002, false);
  const size_t N = 5;
  for (size_t i = 0; i < N; i++) {
    now_ms += 20;
    send_opus(&w, (uint16_t)(65533 + i), (uint32_t)(4294966000u + 960 * i), (uint8_t)(0x80 | i));
  }
  ASSERT_EQ(count_of(w.recv, false), 2 * N);
  ASSERT_EQ(w.recv->media.stats.rtp_forwarded, 2 * N);
  ASSERT_EQ(w.send->n, 0); /* nothing goes back to the publisher */

  uint16_t first_seq[2] = {0}, twcc_prev = 0;
  uint32_t ts_off[2] = {0};
  for (size_t k = 0; k < 2 * N; k++) {
    out_rtp_t o = rtp_out(w.recv, k);
    size_t i = k / 2; /* the input packet */
    ASSERT(o.pkt.ssrc == c1->ssrc || o.pkt.ssrc == c2->ssrc);
    int which = o.pkt.ssrc == c1->ssrc ? 0 : 1;
    ASSERT_EQ(o.pkt.pt, RPT_OPUS);
    ASSERT(o.pkt.marker);
    uint32_t in_ts = (uint32_t)(4294966000u + 960 * i);
    if (i == 0) {
      first_seq[which] = o.pkt.seq;
      ts_off[which] = o.pkt.ts - in_ts;
    }
    ASSERT_EQ(o.pkt.seq, (uint16_t)(first_seq[which] + i));
    ASSERT_EQ(o.pkt.ts, (uint32_t)(in_ts + ts_off[which]));
    ASSERT_EQ(o.pkt.payload_len, 20);
    ASSERT_EQ(o.payload[0], (uint8_t)(65533 + i));

    /* MID, abs-send-time, TWCC and the copied audio level; nothing else. */
    braid_str_t mid;
    bool voice;
    uint8_t level;
    uint32_t abs;
    uint16_t twcc;
    ASSERT_EQ(o.ext.n, 4);
    ASSERT_EQ(braid_rtp_ext_get_mid(&o.ext, RX_MID, &mid), 0);
    ASSERT(braid_str_eq(mid, which == 0 ? "0" : "1"));
    ASSERT_EQ(braid_rtp_ext_get_audio_level(&o.ext, RX_AUDIO_LEVEL, &voice, &level), 0);
    ASSERT(voice);
    ASSERT_EQ(level, i);
    ASSERT_EQ(braid_rtp_ext_get_abs_send_time(&o.ext, RX_ABS_SEND, &abs), 0);
    int64_t sent_ms = now_ms - 20 * (int64_t)(N - 1 - i);
    ASSERT_EQ(abs, braid_rtp_ext_abs_send_time_from_us((uint64_t)sent_ms * 1000));
    ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&o.ext, RX_TWCC, &twcc), 0);
    if (k > 0) ASSERT_EQ(twcc, (uint16_t)(twcc_prev + 1)); /* per transport, not per consumer */
    twcc_prev = twcc;
  }
  ASSERT_EQ(p->rx_packets, N);
  ASSERT_EQ(p->streams[0].recv.received, N);
  world_cleanup(&w);
}

/* ---- 2. paused consumer, resume, key frame ------------------------------- */

BRAID_TEST(paused_consumer_waits_for_keyframe_after_resume) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "pv", true, false);
  send_vp8(&w, VIDEO_SSRC, NULL, 100, true, 0);
  send_vp8(&w, VIDEO_SSRC, NULL, 101, false, 1);
  braid_consumer_t *c = add_consumer(&w, "cv", p, "0", 0x66660001, true);
  send_vp8(&w, VIDEO_SSRC, NULL, 102, false, 2);
  ASSERT_EQ(w.recv->n, 0);
  ASSERT_EQ(w.send->n, 0); /* a paused consumer asks for nothing */

  ref_cmd(&w, BRAID_CMD_CONSUMER_RESUME, "cv");
  ASSERT(!c->paused);
  ASSERT_EQ(count_of(w.send, true), 1);
  ASSERT_EQ(keyframe_requests(w.send, VIDEO_SSRC), 1); /* a PLI: the producer has PLI */

  send_vp8(&w, VIDEO_SSRC, NULL, 103, false, 3);
  send_vp8(&w, VIDEO_SSRC, NULL, 104, false, 4);
  ASSERT_EQ(w.recv->n, 0);
  send_vp8(&w, VIDEO_SSRC, NULL, 105, true, 5);
  send_vp8(&w, VIDEO_SSRC, NULL, 106, false, 6);
  send_vp8(&w, VIDEO_SSRC, NULL, 107, false, 7);
  ASSERT_EQ(count_of(w.recv, false), 3);
  for (size_t i = 0; i < 3; i++) {
    out_rtp_t o = rtp_out(w.recv, i);
    ASSERT_EQ(o.pkt.ssrc, c->ssrc);
    ASSERT_EQ(o.pkt.pt, RPT_VP8);
    ASSERT_EQ(o.payload[o.pkt.payload_len - 1], 5 + i);
  }
  assert_seq_continuous(&w, 0, 3);
  world_cleanup(&w);
}

/* ---- 3. simulcast by RID ------------------------------------------------- */

BRAID_TEST(simulcast_by_rid_forwards_highest_stream) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "ps", true, true);
  braid_consumer_t *c = add_consumer(&w, "cs", p, "0", 0x66660001, false);
  const uint32_t ssrc[3] = {0x30000001, 0x30000002, 0x30000003};
  const char *rid[3] = {"r0", "r1", "r2"};
  /* Delta frames first: the streams are learned, nothing is forwarded. */
  for (size_t s = 0; s < 3; s++) {
    send_vp8(&w, ssrc[s], rid[s], 1000, false, (uint8_t)s);
    ASSERT_EQ(p->streams[s].ssrc, ssrc[s]);
  }
  ASSERT_EQ(w.recv->n, 0);
  ASSERT(keyframe_requests(w.send, ssrc[2]) >= 1);

  /* Key frames of the lower streams do not switch; the highest one's does. */
  send_vp8(&w, ssrc[0], rid[0], 1001, true, 0);
  send_vp8(&w, ssrc[1], rid[1], 1001, true, 1);
  ASSERT_EQ(w.recv->n, 0);
  send_vp8(&w, ssrc[2], rid[2], 1001, true, 2);
  ASSERT_EQ(c->spatial, 2);
  for (uint16_t seq = 1002; seq < 1006; seq++)
    for (size_t s = 0; s < 3; s++)
      send_vp8(&w, ssrc[s], rid[s], seq, false, (uint8_t)s);
  /* Learned SSRCs need no extension any more. */
  uint8_t pl[32];
  size_t n;
  vp8_payload(pl, &n, false, 2);
  test_pkt_t bare;
  make_pkt(&bare, ssrc[2], PT_VP8, 1006, 90u * 1006, pl, n);
  braid_transport_receive_rtp(&w.send->media, bare.buf, bare.len);

  ASSERT_EQ(count_of(w.recv, false), 6);
  for (size_t i = 0; i < 6; i++) {
    out_rtp_t o = rtp_out(w.recv, i);
    ASSERT_EQ(o.pkt.ssrc, c->ssrc);
    ASSERT_EQ(o.payload[o.pkt.payload_len - 1], 2);
  }
  assert_seq_continuous(&w, 0, 6);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 0);
  world_cleanup(&w);
}

/* ---- 4. RTX from the publisher ------------------------------------------- */

BRAID_TEST(rtx_by_rrid_is_unwrapped_and_forwarded) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "ps", true, true);
  add_consumer(&w, "cs", p, "0", 0x66660001, false);
  const uint32_t media = 0x30000003, rtx = 0x30000004;
  send_vp8(&w, media, "r2", 200, true, 0);
  send_vp8(&w, media, "r2", 202, false, 2); /* 201 is lost */
  ASSERT_EQ(count_of(w.recv, false), 2);

  /* RTX of 201: RTX SSRC and PT, MID + RRID, OSN then the payload. */
  uint8_t pl[34];
  size_t n;
  braid_put16(pl, 201);
  vp8_payload(pl + 2, &n, false, 1);
  braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"1", CX_MID, 1},
                               {(const uint8_t *)"r2", CX_RRID, 2}};
  test_pkt_t r;
  make_pkt_ext(&r, rtx, PT_VP8_RTX, 7, 90u * 201, true, e, 2, pl, n + 2);
  braid_transport_receive_rtp(&w.send->media, r.buf, r.len);

  ASSERT_EQ(p->streams[2].rtx_ssrc, rtx);
  ASSERT_EQ(p->streams[2].recv.retransmitted, 1);
  ASSERT_EQ(count_of(w.recv, false), 3);
  out_rtp_t first = rtp_out(w.recv, 0), repaired = rtp_out(w.recv, 2);
  ASSERT_EQ(repaired.pkt.pt, RPT_VP8);
  ASSERT_EQ(repaired.pkt.seq, (uint16_t)(first.pkt.seq + 1));
  ASSERT_EQ(repaired.pkt.ts, first.pkt.ts + 90);
  ASSERT_EQ(repaired.pkt.payload_len, n);
  ASSERT_MEM_EQ(repaired.payload, pl + 2, n);
  world_cleanup(&w);
}

/* ---- 5. NACK from the subscriber ----------------------------------------- */

BRAID_TEST(nack_is_answered_with_rtx) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "pv", true, false);
  braid_consumer_t *c = add_consumer(&w, "cv", p, "0", 0x66660001, false);
  for (uint16_t seq = 300; seq < 305; seq++)
    send_vp8(&w, VIDEO_SSRC, NULL, seq, seq == 300, (uint8_t)seq);
  ASSERT_EQ(count_of(w.recv, false), 5);
  out_rtp_t lost = rtp_out(w.recv, 2);

  now_ms += 30;
  recv_feedback(&w, FB_NACK, c->ssrc, lost.pkt.seq);
  ASSERT_EQ(count_of(w.recv, false), 6);
  out_rtp_t o = rtp_out(w.recv, 5);
  ASSERT_EQ(o.pkt.ssrc, c->rtx_ssrc);
  ASSERT_EQ(o.pkt.pt, RPT_VP8_RTX);
  ASSERT_EQ(o.pkt.ts, lost.pkt.ts);
  ASSERT_EQ(o.pkt.payload_len, lost.pkt.payload_len + 2);
  ASSERT_EQ(braid_get16(o.payload), lost.pkt.seq); /* OSN */
  ASSERT_MEM_EQ(o.payload + 2, lost.payload, lost.pkt.payload_len);
  out_rtp_t last = rtp_out(w.recv, 4);
  uint16_t twcc_last, twcc_rtx;
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&last.ext, RX_TWCC, &twcc_last), 0);
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&o.ext, RX_TWCC, &twcc_rtx), 0);
  ASSERT_EQ(twcc_rtx, (uint16_t)(twcc_last + 1)); /* a new transport-wide seq */
  ASSERT_EQ(c->send.retransmitted, 1);
  ASSERT_EQ(c->send.repaired, 1);

  /* Asked again after an RTT (100 ms when unknown): resent, not repaired again. */
  now_ms += 150;
  recv_feedback(&w, FB_NACK, c->ssrc, lost.pkt.seq);
  ASSERT_EQ(count_of(w.recv, false), 7);
  ASSERT_EQ(braid_get16(rtp_out(w.recv, 6).payload), lost.pkt.seq);
  ASSERT_EQ(c->send.retransmitted, 2);
  ASSERT_EQ(c->send.repaired, 1);

  /* A NACK naming the RTX SSRC or an unknown SSRC is ignored. */
  recv_feedback(&w, FB_NACK, c->rtx_ssrc, lost.pkt.seq);
  recv_feedback(&w, FB_NACK, 0x12345678, lost.pkt.seq);
  ASSERT_EQ(count_of(w.recv, false), 7);
  ASSERT_EQ(w.recv->media.stats.rtcp_malformed, 0);
  world_cleanup(&w);
}

/* ---- 6. PLI / FIR from the subscriber ------------------------------------ */

BRAID_TEST(pli_and_fir_become_merged_keyframe_requests) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "pv", true, false);
  send_vp8(&w, VIDEO_SSRC, NULL, 400, true, 0);
  braid_consumer_t *c = add_consumer(&w, "cv", p, "0", 0x66660001, false);
  ASSERT_EQ(keyframe_requests(w.send, VIDEO_SSRC), 1); /* the new consumer's */
  send_vp8(&w, VIDEO_SSRC, NULL, 401, true, 1);        /* answers it */
  ASSERT_EQ(count_of(w.recv, false), 1);

  now_ms += 100;
  recv_feedback(&w, FB_PLI, c->ssrc, 0);
  ASSERT_EQ(keyframe_requests(w.send, VIDEO_SSRC), 2);
  now_ms += 300;
  recv_feedback(&w, FB_PLI, c->ssrc, 0); /* within 1 s: merged */
  recv_feedback(&w, FB_FIR, c->ssrc, 0);
  ASSERT_EQ(keyframe_requests(w.send, VIDEO_SSRC), 2);

  /* Feedback about an SSRC nobody sends is ignored. */
  recv_feedback(&w, FB_PLI, 0x12345678, 0);
  ASSERT_EQ(count_of(w.send, true), 2);

  /* After the key frame arrives, a FIR goes out at once (as a PLI). */
  send_vp8(&w, VIDEO_SSRC, NULL, 402, true, 2);
  now_ms += 100;
  recv_feedback(&w, FB_FIR, c->ssrc, 0);
  ASSERT_EQ(keyframe_requests(w.send, VIDEO_SSRC), 3);
  world_cleanup(&w);
}

/* ---- 7. producer pause and close, transport cleanup ---------------------- */

BRAID_TEST(producer_pause_and_close) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "pa", false, false);
  braid_consumer_t *c1 = add_consumer(&w, "ca1", p, "0", 0x55550001, false);
  add_consumer(&w, "ca2", p, "1", 0x55550002, false);
  send_opus(&w, 10, 960 * 10, 1);
  ASSERT_EQ(count_of(w.recv, false), 2);

  ref_cmd(&w, BRAID_CMD_PRODUCER_PAUSE, "pa");
  ASSERT(p->paused && c1->producer_paused);
  send_opus(&w, 11, 960 * 11, 1);
  send_opus(&w, 12, 960 * 12, 1);
  ASSERT_EQ(count_of(w.recv, false), 2);

  /* On resume the output goes on where it stopped. */
  ref_cmd(&w, BRAID_CMD_PRODUCER_RESUME, "pa");
  send_opus(&w, 13, 960 * 13, 1);
  ASSERT_EQ(count_of(w.recv, false), 4);
  for (size_t k = 2; k < 4; k++) {
    out_rtp_t now = rtp_out(w.recv, k), before = rtp_out(w.recv, k - 2);
    ASSERT_EQ(now.pkt.ssrc, before.pkt.ssrc);
    ASSERT_EQ(now.pkt.seq, (uint16_t)(before.pkt.seq + 1));
  }

  ref_cmd(&w, BRAID_CMD_PRODUCER_CLOSE, "pa");
  ASSERT_EQ(braid_map_size(w.md.producers), 0);
  ASSERT_EQ(braid_map_size(w.md.consumers), 0);
  ASSERT(w.recv->media.consumers == NULL);
  ASSERT_EQ(braid_map_size(w.recv->media.consumer_by_ssrc), 0);
  send_opus(&w, 14, 960 * 14, 1);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 1);
  ASSERT_EQ(count_of(w.recv, false), 4);
  ref_cmd(&w, BRAID_CMD_PRODUCER_CLOSE, "pa"); /* idempotent */

  /* A whole set again, torn down by the transports alone. */
  braid_producer_t *pa = add_producer(&w, "pa2", false, false);
  braid_producer_t *pv = add_producer(&w, "pv2", true, false);
  add_consumer(&w, "ca3", pa, "0", 0x55550003, false);
  add_consumer(&w, "cv3", pv, "1", 0x55550004, false);
  ASSERT_EQ(braid_map_size(w.md.consumers), 2);
  world_cleanup(&w);
}

/* ---- 8. periodic RTCP ---------------------------------------------------- */

BRAID_TEST(periodic_sr_and_rr) {
  world_t w;
  world_init(&w);
  int64_t start = now_ms;
  braid_producer_t *p = add_producer(&w, "pa", false, false);
  braid_consumer_t *c = add_consumer(&w, "ca", p, "0", 0x55550001, false);
  for (uint16_t i = 0; i < 5; i++) {
    now_ms += 20;
    send_opus(&w, (uint16_t)(500 + i), 960u * i, 1);
  }
  int64_t last_sent = now_ms;
  now_ms = start + BRAID_TRANSPORT_RTCP_INTERVAL_MS + 100;
  ASSERT(braid_transport_next_timeout(&w.recv->media) <= now_ms);
  braid_transport_on_timeout(&w.recv->media, now_ms);
  braid_transport_on_timeout(&w.send->media, now_ms);

  /* Towards the subscriber: SR + SDES CNAME of the consumer. */
  ASSERT_EQ(count_of(w.recv, true), 1);
  const captured_t *cap = nth_of(w.recv, true, 0);
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t pk;
  braid_rtcp_compound_init(&it, cap->data, cap->len, BRAID_RTCP_COMPOUND_FULL);
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
  braid_rtcp_sr_t sr;
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, pk.data, pk.len, NULL), 0);
  ASSERT_EQ(sr.ssrc, c->ssrc);
  ASSERT_EQ(sr.info.packet_count, 5);
  ASSERT_EQ(sr.info.octet_count, 5 * 20);
  ASSERT_EQ(sr.info.ntp, braid_rtp_send_stats_ntp_from_unix_ms(braid_clock_wall_ms()));
  uint32_t last_ts = rtp_out(w.recv, 4).pkt.ts;
  ASSERT_EQ(sr.info.rtp_ts, last_ts + (uint32_t)(48 * (now_ms - last_sent)));
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
  braid_rtcp_sdes_t sdes;
  braid_str_t cname;
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, pk.data, pk.len, NULL), 0);
  ASSERT_EQ(braid_rtcp_sdes_find(&sdes, c->ssrc, BRAID_RTCP_SDES_CNAME, &cname), 0);
  ASSERT(braid_str_eq(cname, "router-cname"));
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 0);

  /* Towards the publisher: an RR about the producer stream. */
  ASSERT_EQ(count_of(w.send, true), 1);
  cap = nth_of(w.send, true, 0);
  braid_rtcp_compound_init(&it, cap->data, cap->len, BRAID_RTCP_COMPOUND_FULL);
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blk;
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, pk.data, pk.len, NULL), 0);
  ASSERT_EQ(rr.n_blocks, 1);
  ASSERT_EQ(braid_rtcp_rr_block(&rr, 0, &blk), 0);
  ASSERT_EQ(blk.ssrc, AUDIO_SSRC);
  ASSERT_EQ(blk.highest_seq, 504);
  ASSERT_EQ(blk.packets_lost, 0);
  ASSERT_EQ(blk.fraction_lost, 0);

  /* Not again before the next interval. */
  braid_transport_on_timeout(&w.recv->media, now_ms + 10);
  ASSERT_EQ(count_of(w.recv, true), 1);
  world_cleanup(&w);
}

/* ---- 9. bad input -------------------------------------------------------- */

BRAID_TEST(malformed_and_unknown_rtp_are_counted) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "pa", false, false);
  add_consumer(&w, "ca", p, "0", 0x55550001, false);
  uint8_t payload[20] = {0};
  test_pkt_t t;
  make_pkt(&t, AUDIO_SSRC, PT_OPUS, 1, 960, payload, sizeof payload);
  braid_transport_receive_rtp(&w.send->media, t.buf, 8); /* truncated header */
  t.buf[0] = 0x40;                                       /* version 1 */
  braid_transport_receive_rtp(&w.send->media, t.buf, t.len);
  ASSERT_EQ(w.send->media.stats.rtp_malformed, 2);

  make_pkt(&t, 0x0BADBAD0, PT_OPUS, 1, 960, payload, sizeof payload); /* no MID, no RID */
  braid_transport_receive_rtp(&w.send->media, t.buf, t.len);
  braid_rtp_ext_entry_t e = {(const uint8_t *)"9", CX_MID, 1}; /* a MID nobody has */
  make_pkt_ext(&t, 0x0BADBAD1, PT_OPUS, 1, 960, false, &e, 1, payload, sizeof payload);
  braid_transport_receive_rtp(&w.send->media, t.buf, t.len);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 2);

  uint8_t junk[3] = {0x80, 0xc8, 0x00};
  braid_transport_receive_rtcp(&w.recv->media, junk, sizeof junk);
  ASSERT_EQ(w.recv->media.stats.rtcp_malformed, 1);
  ASSERT_EQ(w.recv->n, 0);
  ASSERT_EQ(p->rx_packets, 0);
  world_cleanup(&w);
}

/* ---- regressions found while writing this file --------------------------- */

/* Chrome's audio producer has no RID/RRID extensions; creating it after a
 * simulcast video producer must not turn off RID lookups on the transport. */
BRAID_TEST(rid_lookup_survives_a_later_audio_producer) {
  world_t w;
  world_init(&w);
  braid_producer_t *pv = add_producer(&w, "ps", true, true);
  add_producer(&w, "pa", false, false);
  send_vp8(&w, 0x30000003, "r2", 10, true, 2);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 0);
  ASSERT_EQ(pv->streams[2].ssrc, 0x30000003);
  world_cleanup(&w);
}

/* A padding-only packet on the media SSRC (a bandwidth probe without RTX)
 * is not forwarded and must not leave a hole in the consumer's sequence
 * numbers: the receiver would NACK a packet that never existed. */
BRAID_TEST(padding_only_packet_leaves_no_gap) {
  world_t w;
  world_init(&w);
  braid_producer_t *p = add_producer(&w, "pv", true, false);
  add_consumer(&w, "cv", p, "0", 0x66660001, false);
  send_vp8(&w, VIDEO_SSRC, NULL, 600, true, 0);
  test_pkt_t pad;
  make_pkt(&pad, VIDEO_SSRC, PT_VP8, 601, 90u * 600, NULL, 0);
  pad.buf[0] |= 0x20; /* P: 200 bytes of padding, the last one counting them */
  memset(pad.buf + pad.len, 0, 199);
  pad.buf[pad.len + 199] = 200;
  pad.len += 200;
  braid_transport_receive_rtp(&w.send->media, pad.buf, pad.len);
  send_vp8(&w, VIDEO_SSRC, NULL, 602, false, 2);
  ASSERT_EQ(count_of(w.recv, false), 2);
  assert_seq_continuous(&w, 0, 2);
  world_cleanup(&w);
}

/* clang-format off */
BRAID_TEST_LIST(BRAID_TEST_ENTRY(audio_forwarded_with_new_header)
                BRAID_TEST_ENTRY(paused_consumer_waits_for_keyframe_after_resume)
                BRAID_TEST_ENTRY(simulcast_by_rid_forwards_highest_stream)
                BRAID_TEST_ENTRY(rtx_by_rrid_is_unwrapped_and_forwarded)
                BRAID_TEST_ENTRY(nack_is_answered_with_rtx)
                BRAID_TEST_ENTRY(pli_and_fir_become_merged_keyframe_requests)
                BRAID_TEST_ENTRY(producer_pause_and_close)
                BRAID_TEST_ENTRY(periodic_sr_and_rr)
                BRAID_TEST_ENTRY(malformed_and_unknown_rtp_are_counted)
                BRAID_TEST_ENTRY(rid_lookup_survives_a_later_audio_producer)
                BRAID_TEST_ENTRY(padding_only_packet_leaves_no_gap))
/* clang-format on */
