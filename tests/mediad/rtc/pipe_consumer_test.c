/*
 * Pipe consumers (mediad/rtc/pipe_consumer.c through consumer.c,
 * producer.c and transport.c) over the fake transports of fwd_harness.h:
 * the "send" transport is the publisher's, the "recv" transport plays the
 * pipe towards another media daemon, whose RTCP (NACK, PLI, FIR, RR) the
 * tests inject with fwd_recv_feedback() and by hand.
 *
 * What a pipe must do (pipe_consumer.h): every encoding forwarded with its
 * mapped SSRC, the router payload type and the original sequence number
 * and timestamp, also while the producer is paused; NACKs answered from
 * the producer's store unchanged, or as RTX with an rtx_ssrc; PLI/FIR
 * turned into key frame requests of that stream, at most one per
 * BRAID_PIPE_CONSUMER_KEYFRAME_INTERVAL_MS; the producer's sender reports
 * passed through. And a piped producer (the far end: SSRC = mapped SSRC,
 * no RID, router payload types, RTX SSRCs the pipe's) is an ordinary
 * producer that consumers, and the next pipe, work off.
 */
#include "mediad/rtc/pipe_consumer.h"

#include "common/bytes.h"
#include "common/clock.h"
#include "common/map.h"
#include "mediad/rtc/stats_json.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/sdes.h"
#include "mediad/wire/rtcp/sr.h"
#include "tests/mediad/rtc/fwd_harness.h"
#include "tests/mediad/rtc/rtp_maker.h"
#include "tests/test.h"

/* The router ids the pipe writes (the consumable extensions less MID,
 * abs-send-time and TWCC). */
enum { PX_AUDIO_LEVEL = 10, PX_TOFFSET = 12 };

/* The simulcast producer's streams in fwd_producer_cmd(): learned SSRCs
 * (the client's), and the mapped ones the pipe sends. */
static const uint32_t sim_ssrc[3] = {0x30000001, 0x30000002, 0x30000003};
static const char *const sim_rid[3] = {"r0", "r1", "r2"};
#define SIM_MAPPED(i) (0xB0000010u + (uint32_t)(i))
#define VIDEO_MAPPED  0xB0000001u
#define AUDIO_MAPPED  0xA0000001u
#define PIPE_RTX      0xC0000020u /* the pipe's RTX SSRCs: PIPE_RTX + stream */

static braid_cmd_consumer_create_t pipe_cmd(const char *id, const braid_producer_t *p) {
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = BRAID_STR_LIT("t-recv");
  c.consumer_id = braid_str_c(id);
  c.producer_id = braid_str_c(p->id);
  c.kind = braid_str_c(p->video ? "video" : "audio");
  c.type = BRAID_STR_LIT("pipe");
  c.mid = BRAID_STR_LIT("");
  c.cname = BRAID_STR_LIT("publisher");
  c.fb = p->video ? BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR : 0;
  c.ext = (braid_rtp_ext_ids_t){.audio_level = p->video ? 0 : PX_AUDIO_LEVEL};
  c.ncodecs = 1;
  c.codecs[0] =
      p->video ? (braid_consumer_codec_t){RPT_VP8, RPT_VP8_RTX, BRAID_STR_LIT("video/VP8"), 90000}
               : (braid_consumer_codec_t){RPT_OPUS, 0, BRAID_STR_LIT("audio/opus"), 48000};
  return c;
}

/* A pipe consumer of p; rtx_ssrc: the first of its streams' RTX SSRCs, or
 * 0 for none. */
static braid_consumer_t *add_pipe_rtx(fwd_world_t *w, const char *id, braid_producer_t *p,
                                      uint32_t rtx_ssrc) {
  braid_cmd_consumer_create_t c = pipe_cmd(id, p);
  c.rtx_ssrc = rtx_ssrc;
  braid_consumer_t *k = NULL;
  const char *why = NULL;
  int rc = braid_consumer_new(&k, &w->recv->media, p, &c, &why);
  if (rc != 0) BRAID_TEST_FAIL("pipe consumer %s: %d %s", id, rc, why ? why : "");
  ASSERT(k->pipe != NULL);
  return k;
}

static braid_consumer_t *add_pipe(fwd_world_t *w, const char *id, braid_producer_t *p) {
  return add_pipe_rtx(w, id, p, 0);
}

static bool registered(const fwd_world_t *w, uint32_t ssrc, const braid_consumer_t *c) {
  uint8_t key[4];
  braid_put32(key, ssrc);
  return braid_map_get(w->recv->media.consumer_by_ssrc, (const char *)key, 4) == c;
}

/* The tag byte fwd_vp8_payload() ends a payload with. */
static uint8_t tag_of(const fwd_rtp_t *o) { return o->payload[o->pkt.payload_len - 1]; }

/* An SR from the publisher about ssrc. */
static void publisher_sr(fwd_world_t *w, uint32_t ssrc, uint64_t ntp, uint32_t rtp_ts) {
  uint8_t buf[128];
  braid_rtcp_builder_t b;
  braid_rtcp_sender_info_t info = {
      .ntp = ntp, .rtp_ts = rtp_ts, .packet_count = 9, .octet_count = 999};
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, ssrc, &info, NULL, 0), 0);
  braid_transport_receive_rtcp(&w->send->media, buf, braid_rtcp_builder_len(&b));
}

/* ---- 1. forwarding ---------------------------------------------------------- */

/* Every simulcast stream goes out under its mapped SSRC with its own
 * sequence numbers and timestamps as they came: no layer selection and no
 * wait for a key frame (the first packets are delta frames). */
BRAID_TEST(every_encoding_forwarded_unchanged) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  braid_consumer_t *c = add_pipe(&w, "pipe1", p);
  ASSERT_EQ(w.md.pipe_consumers, 1);
  ASSERT_EQ(p->pipe_consumers, 1);
  ASSERT_EQ(c->ssrc, SIM_MAPPED(0));
  for (size_t s = 0; s < 3; s++)
    ASSERT(registered(&w, SIM_MAPPED(s), c));
  for (uint16_t k = 0; k < 4; k++)
    for (size_t s = 0; s < 3; s++)
      fwd_send_vp8(&w, sim_ssrc[s], sim_rid[s], (uint16_t)(65534 + k + 100 * s), false,
                   (uint8_t)(16 * s + k));
  ASSERT_EQ(fwd_count(w.recv, false), 12);
  for (size_t i = 0; i < 12; i++) {
    fwd_rtp_t o = fwd_rtp_out(w.recv, i);
    size_t s = i % 3, k = i / 3;
    uint16_t seq = (uint16_t)(65534 + k + 100 * s);
    ASSERT_EQ(o.pkt.ssrc, SIM_MAPPED(s));
    ASSERT_EQ(o.pkt.pt, RPT_VP8);
    ASSERT_EQ(o.pkt.seq, seq);
    ASSERT_EQ(o.pkt.ts, 90u * seq);
    ASSERT(o.pkt.marker);
    ASSERT_EQ(tag_of(&o), 16 * s + k);
    ASSERT_EQ(o.ext.n, 0); /* no MID, RID, abs-send-time or TWCC over a pipe */
  }
  ASSERT_EQ(w.recv->media.stats.rtp_forwarded, 12);
  ASSERT_EQ(c->pipe->streams[1].send.packets, 4);

  /* getStats: one outbound-rtp per stream. */
  char json[4096];
  ssize_t n = braid_stats_json_consumer(c, json, sizeof json);
  ASSERT(n > 0);
  size_t entries = 0;
  for (const char *q = json; (q = strstr(q, "\"type\":\"outbound-rtp\"")) != NULL; q++)
    entries++;
  ASSERT_EQ(entries, 3);
  char want[64];
  snprintf(want, sizeof want, "\"ssrc\":%u", SIM_MAPPED(2));
  ASSERT(strstr(json, want) != NULL);
  ASSERT(strstr(json, "\"packetCount\":4") != NULL);

  /* Layer commands mean nothing to a pipe; close unregisters every SSRC. */
  braid_consumer_close(c);
  ASSERT_EQ(braid_map_size(w.recv->media.consumer_by_ssrc), 0);
  ASSERT_EQ(w.md.pipe_consumers, 0);
  ASSERT_EQ(p->pipe_consumers, 0);
  fwd_world_cleanup(&w);
}

/* Audio keeps its audio level, under the pipe's id; padding-only packets
 * go too (the far side would NACK a hole); and a paused producer still
 * feeds its pipes while its ordinary consumers get nothing. */
BRAID_TEST(paused_producer_still_feeds_the_pipe) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *pa = fwd_add_producer(&w, "pa", false, false);
  braid_producer_t *pv = fwd_add_producer(&w, "pv", true, false);
  braid_consumer_t *ca = add_pipe(&w, "pipe-a", pa);
  add_pipe(&w, "pipe-v", pv);
  fwd_add_consumer(&w, "ordinary", pa, "0", 0x55550001, false);
  fwd_send_opus(&w, 10, 960, 0x85);
  ASSERT_EQ(fwd_count(w.recv, false), 2);
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_PAUSE, "pa");
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_PAUSE, "pv");
  fwd_send_opus(&w, 11, 1920, 0x86);
  ASSERT_EQ(fwd_count(w.recv, false), 3); /* the pipe's only */
  fwd_rtp_t o = fwd_rtp_out(w.recv, 2);
  ASSERT_EQ(o.pkt.ssrc, AUDIO_MAPPED);
  ASSERT_EQ(o.pkt.seq, 11);
  ASSERT_EQ(o.pkt.ts, 1920);
  ASSERT_EQ(o.pkt.pt, RPT_OPUS);
  bool voice;
  uint8_t level;
  ASSERT_EQ(o.ext.n, 1);
  ASSERT_EQ(braid_rtp_ext_get_audio_level(&o.ext, PX_AUDIO_LEVEL, &voice, &level), 0);
  ASSERT(voice && level == 6);
  ASSERT_EQ(pa->rx_packets, 1); /* forwarded to consumers: the unpaused packet only */

  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 600, false, 0);
  test_pkt_t pad;
  make_pkt(&pad, VIDEO_SSRC, PT_VP8, 601, 90u * 600, NULL, 0);
  pad.buf[0] |= 0x20; /* 100 bytes of padding */
  memset(pad.buf + pad.len, 0, 99);
  pad.buf[pad.len + 99] = 100;
  pad.len += 100;
  braid_transport_receive_rtp(&w.send->media, pad.buf, pad.len);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 602, false, 2);
  ASSERT_EQ(fwd_count(w.recv, false), 6);
  ASSERT_EQ(fwd_rtp_out(w.recv, 4).pkt.seq, 601);
  ASSERT_EQ(fwd_rtp_out(w.recv, 4).pkt.payload_len, 0);

  /* A paused pipe consumer sends nothing; resumed, it goes on. */
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_PAUSE, "pipe-a");
  fwd_send_opus(&w, 12, 2880, 0x87);
  ASSERT_EQ(fwd_count(w.recv, false), 6);
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_RESUME, "pipe-a");
  fwd_send_opus(&w, 13, 3840, 0x88);
  ASSERT_EQ(fwd_count(w.recv, false), 7);
  ASSERT_EQ(fwd_rtp_out(w.recv, 6).pkt.seq, 13);
  (void)ca;
  fwd_world_cleanup(&w);
}

/* ---- 2. NACK ----------------------------------------------------------------- */

BRAID_TEST(nack_resends_from_the_store_unchanged) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  braid_consumer_t *c = add_pipe(&w, "pipe", p);
  for (uint16_t seq = 100; seq < 106; seq++)
    fwd_send_vp8(&w, VIDEO_SSRC, NULL, seq, seq == 100, (uint8_t)seq);
  ASSERT_EQ(fwd_count(w.recv, false), 6);
  fwd_rtp_t first = fwd_rtp_out(w.recv, 2);

  fwd_recv_feedback(&w, FB_NACK, VIDEO_MAPPED, 102);
  ASSERT_EQ(fwd_count(w.recv, false), 7);
  fwd_rtp_t again = fwd_rtp_out(w.recv, 6);
  ASSERT_EQ(again.pkt.ssrc, VIDEO_MAPPED); /* not RTX: the same stream */
  ASSERT_EQ(again.pkt.pt, RPT_VP8);
  ASSERT_EQ(again.pkt.seq, 102);
  ASSERT_EQ(again.pkt.ts, first.pkt.ts);
  ASSERT_EQ(again.pkt.payload_len, first.pkt.payload_len);
  ASSERT_MEM_EQ(again.payload, first.payload, first.pkt.payload_len);
  ASSERT_EQ(c->pipe->streams[0].resent, 1);
  ASSERT_EQ(c->pipe->streams[0].repaired, 1);
  ASSERT_EQ(c->nack_count, 1);

  /* Not twice within the RTT (100 ms while none is known). */
  fwd_recv_feedback(&w, FB_NACK, VIDEO_MAPPED, 102);
  ASSERT_EQ(fwd_count(w.recv, false), 7);
  /* Later, again, up to BRAID_PIPE_CONSUMER_MAX_RESENDS times in all. */
  for (int i = 1; i < 2 * BRAID_PIPE_CONSUMER_MAX_RESENDS; i++) {
    fwd_now_ms += 150;
    fwd_recv_feedback(&w, FB_NACK, VIDEO_MAPPED, 102);
  }
  ASSERT_EQ(fwd_count(w.recv, false), 6 + BRAID_PIPE_CONSUMER_MAX_RESENDS);
  ASSERT_EQ(c->pipe->streams[0].resent, BRAID_PIPE_CONSUMER_MAX_RESENDS);
  ASSERT_EQ(c->pipe->streams[0].repaired, 1);

  /* What the store does not have, the client's SSRC and an unknown SSRC
   * get nothing. */
  size_t before = fwd_count(w.recv, false);
  fwd_recv_feedback(&w, FB_NACK, VIDEO_MAPPED, 99);
  fwd_recv_feedback(&w, FB_NACK, VIDEO_SSRC, 103);
  fwd_recv_feedback(&w, FB_NACK, 0x12345678, 103);
  ASSERT_EQ(fwd_count(w.recv, false), before);
  /* A packet past the store's age is gone too (2 s of video). */
  fwd_now_ms += 2500;
  fwd_recv_feedback(&w, FB_NACK, VIDEO_MAPPED, 104);
  ASSERT_EQ(fwd_count(w.recv, false), before);
  fwd_world_cleanup(&w);
}

/* Simulcast: a NACK names one stream's mapped SSRC, and only that stream's
 * store answers. The same packets kept while the producer was paused. */
BRAID_TEST(nack_of_one_simulcast_stream_while_paused) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  add_pipe(&w, "pipe", p);
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_PAUSE, "ps");
  for (size_t s = 0; s < 3; s++)
    fwd_send_vp8(&w, sim_ssrc[s], sim_rid[s], 500, false, (uint8_t)s);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  fwd_recv_feedback(&w, FB_NACK, SIM_MAPPED(1), 500);
  ASSERT_EQ(fwd_count(w.recv, false), 4);
  fwd_rtp_t o = fwd_rtp_out(w.recv, 3);
  ASSERT_EQ(o.pkt.ssrc, SIM_MAPPED(1));
  ASSERT_EQ(o.pkt.seq, 500);
  ASSERT_EQ(tag_of(&o), 1);
  fwd_world_cleanup(&w);
}

/* With rtx_ssrc (mediasoup's enableRtx): stream i's NACKs are answered as
 * RTX on PIPE_RTX + i with the codec's RTX payload type, a sequence number
 * of that stream's own, and the OSN; the limits are today's. Its RTX SSRCs
 * are registered, and RTCP naming them is not about media. */
BRAID_TEST(nack_resends_as_rtx_per_stream) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  braid_consumer_t *c = add_pipe_rtx(&w, "pipe", p, PIPE_RTX);
  ASSERT_EQ(c->rtx_ssrc, 0); /* a pipe's RTX SSRCs are its streams' */
  for (size_t s = 0; s < 3; s++) {
    ASSERT(registered(&w, SIM_MAPPED(s), c));
    ASSERT(registered(&w, PIPE_RTX + s, c));
    ASSERT_EQ(c->pipe->streams[s].rtx_ssrc, PIPE_RTX + s);
    ASSERT(!braid_consumer_is_media_ssrc(c, PIPE_RTX + s));
  }
  ASSERT_EQ(braid_map_size(w.recv->media.consumer_by_ssrc), 6);
  for (uint16_t k = 0; k < 3; k++)
    for (size_t s = 0; s < 3; s++)
      fwd_send_vp8(&w, sim_ssrc[s], sim_rid[s], (uint16_t)(200 + k), false, (uint8_t)(16 * s + k));
  ASSERT_EQ(fwd_count(w.recv, false), 9);
  fwd_rtp_t first = fwd_rtp_out(w.recv, 3 * 1 + 1); /* stream 1, seq 201 */
  ASSERT_EQ(first.pkt.seq, 201);

  fwd_recv_feedback(&w, FB_NACK, SIM_MAPPED(1), 201);
  ASSERT_EQ(fwd_count(w.recv, false), 10);
  fwd_rtp_t rtx = fwd_rtp_out(w.recv, 9);
  ASSERT_EQ(rtx.pkt.ssrc, PIPE_RTX + 1);
  ASSERT_EQ(rtx.pkt.pt, RPT_VP8_RTX);
  ASSERT_EQ(rtx.pkt.ts, first.pkt.ts);
  ASSERT(rtx.pkt.marker == first.pkt.marker);
  ASSERT_EQ(rtx.pkt.payload_len, first.pkt.payload_len + 2);
  ASSERT_EQ(braid_get16(rtx.payload), 201); /* the OSN */
  ASSERT_MEM_EQ(rtx.payload + 2, first.payload, first.pkt.payload_len);
  const uint16_t rtx_seq = rtx.pkt.seq;
  /* The stream's next RTX packet follows on; stream 0 has its own. */
  fwd_recv_feedback(&w, FB_NACK, SIM_MAPPED(1), 200);
  rtx = fwd_rtp_out(w.recv, 10);
  ASSERT_EQ(rtx.pkt.ssrc, PIPE_RTX + 1);
  ASSERT_EQ(rtx.pkt.seq, (uint16_t)(rtx_seq + 1));
  ASSERT_EQ(braid_get16(rtx.payload), 200);
  ASSERT_EQ(tag_of(&rtx), 16);
  fwd_recv_feedback(&w, FB_NACK, SIM_MAPPED(0), 202);
  rtx = fwd_rtp_out(w.recv, 11);
  ASSERT_EQ(rtx.pkt.ssrc, PIPE_RTX);
  ASSERT_EQ(rtx.pkt.seq, (uint16_t)(c->pipe->streams[0].rtx_seq - 1));
  ASSERT_EQ(braid_get16(rtx.payload), 202);
  ASSERT_EQ(tag_of(&rtx), 2);
  ASSERT_EQ(c->pipe->streams[1].resent, 2);
  ASSERT_EQ(c->pipe->streams[1].repaired, 2);
  ASSERT_EQ(c->pipe->streams[0].resent, 1);

  /* Today's limits: not twice within the RTT, at most MAX_RESENDS. */
  fwd_recv_feedback(&w, FB_NACK, SIM_MAPPED(1), 201);
  ASSERT_EQ(fwd_count(w.recv, false), 12);
  for (int i = 1; i < 2 * BRAID_PIPE_CONSUMER_MAX_RESENDS; i++) {
    fwd_now_ms += 150;
    fwd_recv_feedback(&w, FB_NACK, SIM_MAPPED(1), 201);
  }
  ASSERT_EQ(fwd_count(w.recv, false), 11 + BRAID_PIPE_CONSUMER_MAX_RESENDS);
  ASSERT_EQ(c->pipe->streams[1].resent, 1 + BRAID_PIPE_CONSUMER_MAX_RESENDS);
  ASSERT_EQ(c->pipe->streams[1].repaired, 2);
  /* A NACK naming an RTX SSRC is no request. */
  size_t before = fwd_count(w.recv, false);
  fwd_recv_feedback(&w, FB_NACK, PIPE_RTX + 2, 200);
  ASSERT_EQ(fwd_count(w.recv, false), before);
  ASSERT_EQ(c->pipe->streams[2].nack_count, 0);

  /* Close unregisters the RTX SSRCs too. */
  braid_consumer_close(c);
  ASSERT_EQ(braid_map_size(w.recv->media.consumer_by_ssrc), 0);
  fwd_world_cleanup(&w);
}

/* Without an RTX payload type for the codec, a pipe with RTX SSRCs resends
 * unchanged. */
BRAID_TEST(nack_without_rtx_pt_resends_unchanged) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  braid_cmd_consumer_create_t cmd = pipe_cmd("pipe", p);
  cmd.rtx_ssrc = PIPE_RTX;
  cmd.codecs[0].rtx_pt = 0;
  braid_consumer_t *c = NULL;
  const char *why = NULL;
  ASSERT_EQ(braid_consumer_new(&c, &w.recv->media, p, &cmd, &why), 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 50, true, 7);
  fwd_recv_feedback(&w, FB_NACK, VIDEO_MAPPED, 50);
  ASSERT_EQ(fwd_count(w.recv, false), 2);
  fwd_rtp_t o = fwd_rtp_out(w.recv, 1);
  ASSERT_EQ(o.pkt.ssrc, VIDEO_MAPPED);
  ASSERT_EQ(o.pkt.seq, 50);
  ASSERT_EQ(o.pkt.pt, RPT_VP8);
  ASSERT_EQ(c->pipe->streams[0].resent, 1);
  fwd_world_cleanup(&w);
}

/* ---- 3. key frame requests ---------------------------------------------------- */

BRAID_TEST(pli_and_fir_reach_the_sender_rate_limited) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  braid_consumer_t *c = add_pipe(&w, "pipe", p);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 1, false, 1);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 0); /* a pipe waits for nothing */

  fwd_recv_feedback(&w, FB_PLI, VIDEO_MAPPED, 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 1);
  ASSERT_EQ(c->pli_count, 1);
  /* The sender answers at once, which closes the producer's own window:
   * from here only the pipe's interval holds the next requests back. */
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 2, true, 2);
  fwd_now_ms += 100;
  fwd_recv_feedback(&w, FB_PLI, VIDEO_MAPPED, 0);
  fwd_recv_feedback(&w, FB_FIR, VIDEO_MAPPED, 0);
  fwd_now_ms += 100;
  fwd_recv_feedback(&w, FB_PLI, VIDEO_MAPPED, 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 1);
  ASSERT_EQ(c->fir_count, 1);
  ASSERT(c->pipe->streams[0].keyframe_deferred);
  /* The stream's next packet inside the interval keeps it waiting... */
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 3, false, 3);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 1);
  /* ...the first one after it makes the one request the three were. */
  fwd_now_ms += BRAID_PIPE_CONSUMER_KEYFRAME_INTERVAL_MS - 200;
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 4, false, 4);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 2);
  ASSERT(!c->pipe->streams[0].keyframe_deferred);
  ASSERT_EQ(c->pipe->streams[0].keyframe_requests, 4);
  ASSERT_EQ(c->pipe->streams[0].keyframes_forwarded, 2);

  /* With no packet to carry it, the report tick makes a kept request. */
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 5, true, 5);
  fwd_now_ms += 10;
  fwd_recv_feedback(&w, FB_PLI, VIDEO_MAPPED, 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 2);
  fwd_now_ms += BRAID_TRANSPORT_RTCP_INTERVAL_MS + 10;
  braid_transport_on_timeout(&w.recv->media, fwd_now_ms);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 3);

  /* consumer.request_key_frame asks for every stream; one naming the
   * client's SSRC is not ours. */
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 6, true, 6);
  fwd_now_ms += BRAID_PIPE_CONSUMER_KEYFRAME_INTERVAL_MS;
  fwd_recv_feedback(&w, FB_PLI, VIDEO_SSRC, 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 3);
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME, "pipe");
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 4);
  fwd_world_cleanup(&w);
}

/* A PLI about stream 1 asks the sender for stream 1 (its client SSRC). */
BRAID_TEST(pli_names_one_simulcast_stream) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  add_pipe(&w, "pipe", p);
  for (size_t s = 0; s < 3; s++)
    fwd_send_vp8(&w, sim_ssrc[s], sim_rid[s], 7, false, (uint8_t)s);
  fwd_recv_feedback(&w, FB_PLI, SIM_MAPPED(1), 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, sim_ssrc[1]), 1);
  ASSERT_EQ(fwd_keyframe_requests(w.send, sim_ssrc[0]) + fwd_keyframe_requests(w.send, sim_ssrc[2]),
            0);
  /* Another stream has its own interval. */
  fwd_recv_feedback(&w, FB_PLI, SIM_MAPPED(2), 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, sim_ssrc[2]), 1);
  fwd_world_cleanup(&w);
}

/* ---- 4. sender and receiver reports ---------------------------------------- */

BRAID_TEST(sender_reports_pass_through) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  braid_consumer_t *c = add_pipe(&w, "pipe", p);
  for (uint16_t k = 0; k < 3; k++)
    for (size_t s = 0; s < 3; s++)
      fwd_send_vp8(&w, sim_ssrc[s], sim_rid[s], (uint16_t)(20 + k), false, 0);
  /* Nothing to pass through yet: no SR. */
  fwd_now_ms += BRAID_TRANSPORT_RTCP_INTERVAL_MS + 1;
  braid_transport_on_timeout(&w.recv->media, fwd_now_ms);
  ASSERT_EQ(fwd_count(w.recv, true), 0);

  /* The sender's SRs of streams 0 and 2 (its own clock: far from ours). */
  const uint64_t ntp0 = 0xE1000000AAAA0000ull, ntp2 = 0xE1000000BBBB0000ull;
  publisher_sr(&w, sim_ssrc[0], ntp0, 123456);
  publisher_sr(&w, sim_ssrc[2], ntp2, 654321);
  fwd_now_ms += BRAID_TRANSPORT_RTCP_INTERVAL_MS + 1;
  braid_transport_on_timeout(&w.recv->media, fwd_now_ms);
  const int64_t sr_sent = fwd_now_ms;
  ASSERT_EQ(fwd_count(w.recv, true), 1);
  const fwd_captured_t *cap = fwd_nth(w.recv, true, 0);
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t pk;
  braid_rtcp_sr_t sr;
  braid_rtcp_sdes_t sdes;
  braid_str_t cname;
  braid_rtcp_compound_init(&it, cap->data, cap->len, BRAID_RTCP_COMPOUND_FULL);
  const uint32_t want_ssrc[2] = {SIM_MAPPED(0), SIM_MAPPED(2)};
  const uint64_t want_ntp[2] = {ntp0, ntp2};
  const uint32_t want_ts[2] = {123456, 654321};
  for (size_t i = 0; i < 2; i++) {
    ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
    ASSERT_EQ(braid_rtcp_sr_parse(&sr, pk.data, pk.len, NULL), 0);
    ASSERT_EQ(sr.ssrc, want_ssrc[i]);
    ASSERT(sr.info.ntp == want_ntp[i]);
    ASSERT_EQ(sr.info.rtp_ts, want_ts[i]);
    ASSERT_EQ(sr.info.packet_count, 3); /* the pipe's counts, not the sender's 9 */
    ASSERT_EQ(sr.info.octet_count, c->pipe->streams[i * 2].send.octets);
    ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
    ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, pk.data, pk.len, NULL), 0);
    ASSERT_EQ(braid_rtcp_sdes_find(&sdes, want_ssrc[i], BRAID_RTCP_SDES_CNAME, &cname), 0);
    ASSERT(braid_str_eq(cname, "publisher"));
  }
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 0);

  /* The far side's RR about stream 2, 450 ms later, echoing that SR and
   * holding it 250 ms: an RTT of 200 ms (by our clock, not the sender's),
   * and its loss. */
  fwd_now_ms = sr_sent + 450;
  uint8_t buf[128];
  braid_rtcp_builder_t b;
  braid_rtcp_report_block_t blk = {.ssrc = SIM_MAPPED(2),
                                   .fraction_lost = 25,
                                   .packets_lost = 1,
                                   .highest_seq = 22,
                                   .lsr = (uint32_t)(ntp2 >> 16),
                                   .dlsr = 65536 / 4};
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, REMOTE_SSRC, NULL, &blk, 1), 0);
  braid_transport_receive_rtcp(&w.recv->media, buf, braid_rtcp_builder_len(&b));
  const braid_rtp_send_stats_t *st = &c->pipe->streams[2].send;
  ASSERT(st->have_rtt);
  ASSERT_EQ(st->rtt_ms, 200);
  ASSERT_EQ(st->fraction_lost, 25);
  ASSERT_EQ(st->packets_lost, 1);
  ASSERT(!c->pipe->streams[0].send.have_rtt);
  /* An LSR we did not send gives no RTT. */
  blk.ssrc = SIM_MAPPED(0);
  blk.lsr = 0x12345678;
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, REMOTE_SSRC, NULL, &blk, 1), 0);
  braid_transport_receive_rtcp(&w.recv->media, buf, braid_rtcp_builder_len(&b));
  ASSERT(!c->pipe->streams[0].send.have_rtt);
  ASSERT_EQ(c->pipe->streams[0].send.fraction_lost, 25);
  fwd_world_cleanup(&w);
}

/* ---- 5. the far side: a piped producer ------------------------------------- */

/* producer.create as the controller sends it on the far daemon: SSRC =
 * mapped SSRC, no RID or MID, router payload types both ways, the pipe's
 * extension ids. */
static braid_cmd_producer_create_t piped_cmd(const char *id) {
  braid_cmd_producer_create_t c = fwd_producer_cmd(id, true, true);
  c.mid = BRAID_STR_LIT("");
  c.fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR;
  c.ext = (braid_rtp_ext_ids_t){.toffset = PX_TOFFSET};
  c.codecs[0].pt = RPT_VP8;
  c.codecs[1] = (braid_producer_codec_t){RPT_VP8_RTX, RPT_VP8_RTX, BRAID_STR_LIT("video/rtx"),
                                         90000, RPT_VP8};
  for (size_t i = 0; i < 3; i++) {
    c.encodings[i].rid = BRAID_STR_LIT("");
    c.encodings[i].ssrc = c.encodings[i].mapped_ssrc = SIM_MAPPED(i);
  }
  return c;
}

/* What a pipe sends: a VP8 packet of stream i under its mapped SSRC. */
static void pipe_in(fwd_world_t *w, size_t i, uint16_t seq, bool key) {
  uint8_t pl[32];
  size_t n;
  fwd_vp8_payload(pl, &n, key, (uint8_t)(i * 16));
  test_pkt_t p;
  make_pkt_ext(&p, SIM_MAPPED(i), RPT_VP8, seq, 90u * seq, true, NULL, 0, pl, n);
  braid_transport_receive_rtp(&w->send->media, p.buf, p.len);
}

/* The far daemon accepts the piped producer; an ordinary simulcast
 * consumer of it picks the highest stream, switches on a key frame, and
 * its key frame requests and the producer's NACKs name the mapped SSRCs
 * (they go back over the pipe); a pipe consumer of it (the next hop of a
 * relay tree) forwards it on unchanged. */
BRAID_TEST(piped_producer_feeds_consumers_and_the_next_pipe) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_cmd_producer_create_t pc = piped_cmd("ps");
  braid_producer_t *p = fwd_add_producer_cmd(&w, &pc);
  braid_consumer_t *k = fwd_add_consumer(&w, "viewer", p, "0", 0x66660001, false);
  braid_consumer_t *next = add_pipe(&w, "relay", p);
  /* The viewer's consumer asked for the highest stream's key frame. */
  ASSERT_EQ(fwd_keyframe_requests(w.send, SIM_MAPPED(2)), 0); /* not active yet */
  for (size_t s = 0; s < 3; s++)
    pipe_in(&w, s, 1000, false);
  ASSERT(p->streams[2].active);
  ASSERT_EQ(fwd_keyframe_requests(w.send, SIM_MAPPED(2)), 1);
  size_t relayed = 3, viewed = 0;
  ASSERT_EQ(fwd_count(w.recv, false), relayed); /* the next pipe got all three */
  for (size_t s = 0; s < 3; s++)
    pipe_in(&w, s, 1001, s == 2);
  relayed += 3, viewed += 1;
  ASSERT_EQ(fwd_count(w.recv, false), relayed + viewed);
  ASSERT_EQ(k->spatial, 2);
  /* A lost packet of stream 1 is NACKed towards the pipe by its SSRC. */
  pipe_in(&w, 1, 1003, false);
  relayed++;
  uint16_t seqs[4];
  size_t n_seqs;
  ASSERT_EQ(fwd_nacks(w.send, 0, SIM_MAPPED(1), seqs, 4, &n_seqs), 1);
  ASSERT_EQ(n_seqs, 1);
  ASSERT_EQ(seqs[0], 1002);
  /* The relayed packets: unchanged again. */
  size_t found = 0;
  for (size_t i = 0; i < fwd_count(w.recv, false); i++) {
    fwd_rtp_t o = fwd_rtp_out(w.recv, i);
    if (o.pkt.ssrc == k->ssrc) continue;
    ASSERT(braid_consumer_is_media_ssrc(next, o.pkt.ssrc));
    ASSERT(o.pkt.seq == 1000 || o.pkt.seq == 1001 || o.pkt.seq == 1003);
    ASSERT_EQ(o.pkt.ts, 90u * o.pkt.seq);
    found++;
  }
  ASSERT_EQ(found, relayed);

  /* The viewer's NACK is answered from the piped producer's store (RTX of
   * the viewer's stream), and a resume asks the pipe for a key frame again. */
  uint16_t viewed_seq = 0;
  for (size_t i = 0; i < fwd_count(w.recv, false); i++)
    if (fwd_rtp_out(w.recv, i).pkt.ssrc == k->ssrc) viewed_seq = fwd_rtp_out(w.recv, i).pkt.seq;
  size_t before = fwd_count(w.recv, false);
  fwd_recv_feedback(&w, FB_NACK, k->ssrc, viewed_seq);
  ASSERT_EQ(fwd_count(w.recv, false), before + 1);
  fwd_rtp_t rtx = fwd_rtp_out(w.recv, before);
  ASSERT_EQ(rtx.pkt.ssrc, k->rtx_ssrc);
  ASSERT_EQ(rtx.pkt.pt, RPT_VP8_RTX);
  ASSERT_EQ(braid_get16(rtx.payload), viewed_seq); /* the OSN */
  ASSERT_EQ(rtx.payload[rtx.pkt.payload_len - 1],
            2 * 16); /* stream 2's key frame, from the store */
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_PAUSE, "viewer");
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_RESUME, "viewer");
  ASSERT_EQ(fwd_keyframe_requests(w.send, SIM_MAPPED(2)), 2);
  fwd_world_cleanup(&w);
}

/* The whole loop in one daemon: the pipe's output fed into a piped
 * producer whose encodings list the pipe's RTX SSRCs, one packet lost on
 * the way; its NACK goes to the pipe, whose RTX answer it unwraps into its
 * stream and store. */
BRAID_TEST(rtx_over_the_pipe_repairs_the_piped_producer) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *origin = fwd_add_producer(&w, "ps", true, true);
  braid_consumer_t *c = add_pipe_rtx(&w, "pipe", origin, PIPE_RTX);
  braid_cmd_producer_create_t pc = piped_cmd("pp");
  for (size_t i = 0; i < 3; i++)
    pc.encodings[i].rtx_ssrc = PIPE_RTX + (uint32_t)i;
  braid_producer_t *far = fwd_add_producer_cmd(&w, &pc);
  for (uint16_t seq = 300; seq < 303; seq++)
    fwd_send_vp8(&w, sim_ssrc[1], sim_rid[1], seq, seq == 300, (uint8_t)seq);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  uint8_t buf[1500];
  for (size_t i = 0; i < 3; i++) {
    const fwd_captured_t *o = fwd_nth(w.recv, false, i);
    if (i == 1) continue; /* 301: lost on the pipe */
    memcpy(buf, o->data, o->len);
    braid_transport_receive_rtp(&w.send->media, buf, o->len);
  }
  uint16_t seqs[4];
  size_t n_seqs;
  ASSERT_EQ(fwd_nacks(w.send, 0, SIM_MAPPED(1), seqs, 4, &n_seqs), 1);
  ASSERT_EQ(n_seqs, 1);
  ASSERT_EQ(seqs[0], 301);
  fwd_recv_feedback(&w, FB_NACK, SIM_MAPPED(1), 301);
  ASSERT_EQ(fwd_count(w.recv, false), 4);
  const fwd_captured_t *rtx = fwd_nth(w.recv, false, 3);
  ASSERT_EQ(braid_get32(rtx->data + 8), PIPE_RTX + 1);
  memcpy(buf, rtx->data, rtx->len);
  braid_transport_receive_rtp(&w.send->media, buf, rtx->len);
  ASSERT_EQ(far->streams[1].recv.retransmitted, 1);
  ASSERT_EQ(far->streams[1].recv.repaired, 1);
  ASSERT_EQ(far->streams[1].rtx_ssrc, PIPE_RTX + 1);
  const uint8_t *data;
  size_t len;
  braid_rtp_packet_t got;
  ASSERT_EQ(braid_rtx_buffer_get(far->streams[1].store, 301, fwd_now_ms, &data, &len), 0);
  ASSERT_EQ(braid_rtp_packet_parse(&got, data, len), 0);
  ASSERT_EQ(got.ssrc, SIM_MAPPED(1));
  ASSERT_EQ(got.pt, RPT_VP8);
  ASSERT_EQ(got.ts, 90u * 301);
  ASSERT_EQ(data[len - 1], 301 & 0xff);
  ASSERT_EQ(c->pipe->streams[1].resent, 1);
  fwd_world_cleanup(&w);
}

/* ---- 6. what consumer.create refuses ---------------------------------------- */

BRAID_TEST(pipe_consumer_refusals) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  braid_consumer_t *k = NULL;
  const char *why = NULL;
  braid_cmd_consumer_create_t c = pipe_cmd("pipe", p);
  /* RTX SSRCs: rtx_ssrc + 0..2 must not wrap, meet a mapped SSRC or one
   * used on the transport. */
  c.rtx_ssrc = UINT32_MAX - 1;
  ASSERT_EQ(braid_consumer_new(&k, &w.recv->media, p, &c, &why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "rtx ssrc range wraps");
  c.rtx_ssrc = SIM_MAPPED(0) - 2;
  ASSERT_EQ(braid_consumer_new(&k, &w.recv->media, p, &c, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "rtx ssrc range meets a mapped ssrc");
  fwd_add_consumer(&w, "other-rtx", p, "0", 0xD0000001, false); /* and RTX 0xD0000002 */
  c.rtx_ssrc = 0xD0000002 - 2;
  ASSERT_EQ(braid_consumer_new(&k, &w.recv->media, p, &c, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "rtx ssrc already used on this transport");
  ASSERT_EQ(braid_map_size(w.recv->media.consumer_by_ssrc), 2); /* the other's only */
  /* An SSRC of the transport already taken by a consumer. */
  fwd_add_consumer(&w, "other", p, "0", SIM_MAPPED(1), false);
  c = pipe_cmd("pipe", p);
  ASSERT_EQ(braid_consumer_new(&k, &w.recv->media, p, &c, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "ssrc already used on this transport");
  ASSERT_EQ(w.md.pipe_consumers, 0);
  /* Ordinary consumers still need an SSRC. */
  c = pipe_cmd("plain", p);
  c.type = BRAID_STR_LIT("simulcast");
  ASSERT_EQ(braid_consumer_new(&k, &w.recv->media, p, &c, &why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "ssrc 0");
  fwd_world_cleanup(&w);
}

/* clang-format off */
BRAID_TEST_LIST(BRAID_TEST_ENTRY(every_encoding_forwarded_unchanged)
                BRAID_TEST_ENTRY(paused_producer_still_feeds_the_pipe)
                BRAID_TEST_ENTRY(nack_resends_from_the_store_unchanged)
                BRAID_TEST_ENTRY(nack_of_one_simulcast_stream_while_paused)
                BRAID_TEST_ENTRY(nack_resends_as_rtx_per_stream)
                BRAID_TEST_ENTRY(nack_without_rtx_pt_resends_unchanged)
                BRAID_TEST_ENTRY(pli_and_fir_reach_the_sender_rate_limited)
                BRAID_TEST_ENTRY(pli_names_one_simulcast_stream)
                BRAID_TEST_ENTRY(sender_reports_pass_through)
                BRAID_TEST_ENTRY(piped_producer_feeds_consumers_and_the_next_pipe)
                BRAID_TEST_ENTRY(rtx_over_the_pipe_repairs_the_piped_producer)
                BRAID_TEST_ENTRY(pipe_consumer_refusals))
/* clang-format on */
