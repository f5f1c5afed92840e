/*
 * Pipe transports between two media daemons, over real loopback sockets
 * (mediad/rtc/plain_transport.c with "pipe", pipe_consumer.c, and the
 * command handlers): two daemon contexts, A and B, each on its own loop,
 * pumped together.
 *
 *   publisher --VP8--> A: plain "in" (comedia) -> producer "pv"
 *                      A: pipe "pa" -> pipe consumer of "pv"
 *                        ===== SRTP AEAD_AES_256_GCM =====
 *                      B: pipe "pb" -> piped producer "pv" (same id)
 *                      B: plain "out" -> consumer -> viewer
 *
 * The viewer's consumer asks for a key frame, which crosses the pipe back
 * (PLI over SRTCP) to the publisher; the key frame crosses it forward; the
 * pipe's counters, getStats and pipes-hash summary show the traffic. A
 * packet lost on the pipe is repaired through RTX end to end. Then
 * the commands' rules: what create_plain with "pipe" refuses, which
 * consumer types which transports take, and --max-consumers.
 */
#include "mediad/channel/handlers.h"
#include "mediad/rtc/stats_json.h"
#include "proto/reply.h"
#include "tests/mediad/rtc/plain_harness.h"

#define WAIT_MS 3000

/* Runs both daemons' loops for a moment. */
static void pump2(ph_world_t *a, ph_world_t *b) {
  uv_run(&a->loop, UV_RUN_NOWAIT);
  uv_run(&b->loop, UV_RUN_NOWAIT);
  usleep(1000);
}

/* Pumps both until p has a datagram for which want(buf) holds (others are
 * dropped); returns its length, or fails the test after WAIT_MS. */
static size_t recv_where(ph_world_t *a, ph_world_t *b, const ph_peer_t *p, uint8_t *buf, size_t cap,
                         bool (*want)(const uint8_t *, size_t), const char *what) {
  int64_t end = braid_clock_mono_ms() + WAIT_MS;
  while (braid_clock_mono_ms() < end) {
    ssize_t n = recv(p->fd, buf, cap, MSG_DONTWAIT);
    if (n > 0 && want(buf, (size_t)n)) return (size_t)n;
    if (n < 0) pump2(a, b);
  }
  BRAID_TEST_FAIL("no %s within %d ms", what, WAIT_MS);
}

static bool is_pli(const uint8_t *d, size_t n) {
  return ph_is_rtcp(d, n) && ph_has_rtcp(d, n, BRAID_RTCP_PT_PSFB, PH_VIDEO_SSRC);
}
static bool is_rtp(const uint8_t *d, size_t n) { return !ph_is_rtcp(d, n); }

static braid_plain_transport_t *pipe_new(ph_world_t *w, const char *id, bool srtp) {
  braid_cmd_transport_create_plain_t c = {.router_id = BRAID_STR_LIT("r1"),
                                          .transport_id = braid_str_c(id),
                                          .rtcp_mux = true,
                                          .enable_srtp = srtp,
                                          .pipe = true};
  braid_plain_transport_t *t = NULL;
  ASSERT_EQ(braid_plain_transport_new(&t, &w->md, &c, BRAID_STR_LIT("room")), 0);
  ASSERT(braid_plain_transport_pipe(t));
  ASSERT_STR_EQ(braid_transport_kind(braid_plain_transport_media(t)), "pipe");
  ASSERT_EQ(braid_plain_transport_rtcp_port(t), 0);
  return t;
}

/* The router's RTX payload type of VP8, and the pipe's RTX SSRC. */
enum { RPT_VP8_RTX = 102 };
#define PIPE_RTX_SSRC 0xC0000001u

/* A VP8 producer "pv" with NACK and PLI, receiving payload type pt on
 * ssrc (both mapped to the router's); with rtx_ssrc, RTX on it with the
 * router's RTX payload type (the far end of a pipe with RTX). */
static braid_producer_t *vp8_producer(braid_plain_transport_t *t, uint8_t pt, uint32_t ssrc,
                                      uint32_t rtx_ssrc) {
  braid_cmd_producer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(braid_plain_transport_id(t));
  c.producer_id = BRAID_STR_LIT("pv");
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("simple");
  c.cname = BRAID_STR_LIT("ffmpeg");
  c.fb = BRAID_FB_NACK | BRAID_FB_PLI;
  c.ncodecs = 1;
  c.codecs[0] = (braid_producer_codec_t){pt, PH_RPT_VP8, BRAID_STR_LIT("video/VP8"), 90000, 0};
  c.nencodings = 1;
  c.encodings[0] = (braid_producer_encoding_t){
      .ssrc = ssrc, .rtx_ssrc = rtx_ssrc, .mapped_ssrc = PH_MAPPED_SSRC, .temporal_layers = 1};
  if (rtx_ssrc != 0)
    c.codecs[c.ncodecs++] = (braid_producer_codec_t){RPT_VP8_RTX, RPT_VP8_RTX,
                                                     BRAID_STR_LIT("video/rtx"), 90000, PH_RPT_VP8};
  braid_producer_t *p = NULL;
  const char *why = NULL;
  if (braid_producer_new(&p, braid_plain_transport_media(t), &c, &why) != 0)
    BRAID_TEST_FAIL("producer: %s", why ? why : "?");
  return p;
}

/* The publisher's producer. */
static braid_producer_t *origin_producer(braid_plain_transport_t *t) {
  return vp8_producer(t, PH_PT_VP8, PH_VIDEO_SSRC, 0);
}

/* The far end: the same id, SSRC = mapped SSRC, router payload type (and
 * the pipe's RTX SSRC, 0 for none). */
static braid_producer_t *piped_producer(braid_plain_transport_t *t, uint32_t rtx_ssrc) {
  return vp8_producer(t, PH_RPT_VP8, PH_MAPPED_SSRC, rtx_ssrc);
}

static braid_cmd_consumer_create_t pipe_consumer_cmd(const char *transport, const char *id) {
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(transport);
  c.consumer_id = braid_str_c(id);
  c.producer_id = BRAID_STR_LIT("pv");
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("pipe");
  c.mid = BRAID_STR_LIT("");
  c.cname = BRAID_STR_LIT("ffmpeg");
  c.fb = BRAID_FB_NACK | BRAID_FB_PLI;
  c.ncodecs = 1;
  c.codecs[0] = (braid_consumer_codec_t){PH_RPT_VP8, 0, BRAID_STR_LIT("video/VP8"), 90000};
  return c;
}

/* The value of "key" (an unsigned number) in json, or -1. */
static long long json_num(const char *json, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *at = strstr(json, pat);
  return at == NULL ? -1 : strtoll(at + strlen(pat), NULL, 10);
}

BRAID_TEST(pipe_between_two_daemons_with_srtp) {
  ph_world_t a, b;
  ph_world_init(&a);
  ph_world_init(&b);
  ph_peer_t pub = ph_peer_new(), viewer = ph_peer_new();
  char key_a[64], key_b[64];
  const char *why = NULL;
  ph_key_b64(key_a, 44, 1);
  ph_key_b64(key_b, 44, 2);

  braid_plain_transport_t *in = ph_plain(&a, "in", true, true, false);
  braid_producer_t *origin = origin_producer(in);
  braid_plain_transport_t *pa = pipe_new(&a, "pa", true), *pb = pipe_new(&b, "pb", true);
  /* Each side: the other's address and key (inbound), its own (outbound). */
  ASSERT_EQ(ph_connect(pa, "127.0.0.1", braid_plain_transport_port(pb), 0, "AEAD_AES_128_GCM",
                       key_b, key_a, &why),
            BRAID_EINVAL);
  ASSERT_STR_EQ(why, "a pipe transport takes only AEAD_AES_256_GCM");
  ASSERT_EQ(ph_connect(pa, "127.0.0.1", braid_plain_transport_port(pb), 0, "AEAD_AES_256_GCM",
                       key_b, key_a, &why),
            0);
  ASSERT_EQ(ph_connect(pb, "127.0.0.1", braid_plain_transport_port(pa), 0, "AEAD_AES_256_GCM",
                       key_a, key_b, &why),
            0);
  braid_cmd_consumer_create_t cc = pipe_consumer_cmd("pa", "pipe-pv");
  braid_consumer_t *pipe = NULL;
  ASSERT_EQ(braid_consumer_new(&pipe, braid_plain_transport_media(pa), origin, &cc, &why), 0);
  braid_producer_t *far = piped_producer(pb, 0);
  braid_plain_transport_t *out = ph_plain(&b, "out", true, false, false);
  ASSERT_EQ(ph_connect(out, "127.0.0.1", viewer.port, 0, "", "", "", &why), 0);
  ph_consumer(&b, out, far);

  /* The publisher's first packet: comedia learns it, the pipe carries it,
   * the far producer's stream starts, the viewer's consumer asks for a
   * key frame, which comes back over the pipe to the publisher. */
  test_pkt_t pkt;
  uint8_t buf[1600];
  ph_vp8(&pkt, PH_VIDEO_SSRC, 100, false, 0xa0);
  ph_send(&pub, braid_plain_transport_port(in), pkt.buf, pkt.len);
  recv_where(&a, &b, &pub, buf, sizeof buf, is_pli, "PLI at the publisher");
  ASSERT(far->streams[0].active);
  ASSERT_EQ(pipe->pli_count, 1);
  ASSERT_EQ(pipe->pipe->streams[0].keyframes_forwarded, 1);

  /* The key frame reaches the viewer through the pipe. */
  ph_vp8(&pkt, PH_VIDEO_SSRC, 101, true, 0xa1);
  ph_send(&pub, braid_plain_transport_port(in), pkt.buf, pkt.len);
  size_t n = recv_where(&a, &b, &viewer, buf, sizeof buf, is_rtp, "RTP at the viewer");
  braid_rtp_packet_t rp;
  ASSERT_EQ(braid_rtp_packet_parse(&rp, buf, n), 0);
  ASSERT_EQ(rp.ssrc, PH_CONSUMER_SSRC);
  ASSERT_EQ(rp.pt, PH_RPT_VP8);
  ASSERT_EQ(buf[n - 1], 0xa1);
  /* What the far producer got: the origin's sequence numbers. */
  ASSERT_EQ(braid_rtp_recv_stats_ext_max(&far->streams[0].recv) & 0xffff, 101);

  /* The counters and what the node publishes. */
  char json[2048];
  ssize_t len = braid_stats_json_pipe_summary(pa, braid_clock_mono_ms(), json, sizeof json);
  ASSERT(len > 0);
  ASSERT(strstr(json, "{\"transport\":\"pa\",\"router\":\"r1\",\"room\":\"room\"") == json);
  ASSERT(strstr(json, "\"remoteIp\":\"127.0.0.1\"") != NULL);
  ASSERT_EQ(json_num(json, "remotePort"), braid_plain_transport_port(pb));
  ASSERT(strstr(json, "\"srtp\":true") != NULL);
  ASSERT_EQ(json_num(json, "rtpTx"), 2);
  ASSERT_EQ(json_num(json, "consumers"), 1);
  ASSERT_EQ(json_num(json, "producers"), 0);
  ASSERT(json_num(json, "rtpRx") == 0 && json_num(json, "bytesRx") > 0); /* the PLI's SRTCP */
  len = braid_stats_json_pipe_summary(pb, braid_clock_mono_ms(), json, sizeof json);
  ASSERT(len > 0);
  ASSERT_EQ(json_num(json, "rtpRx"), 2);
  ASSERT_EQ(json_num(json, "producers"), 1);
  ASSERT(braid_plain_transport_stats(pb)->srtp_unprotect_failed == 0);
  len = braid_stats_json_plain_transport(pb, json, sizeof json);
  ASSERT(len > 0);
  ASSERT(strncmp(json, "[{\"type\":\"pipe-transport\",\"transportId\":\"pb\"", 44) == 0);
  ASSERT(strstr(json, "rtcpMux") == NULL && strstr(json, "comedia") == NULL);
  ASSERT(strstr(json, "\"tuple\":{\"localAddress\":\"127.0.0.1\"") != NULL);

  /* The origin paused: the pipe goes on (the controller pauses the far
   * producer, whose consumers then stop). */
  braid_producer_set_paused(origin, true);
  braid_producer_set_paused(far, true);
  ph_vp8(&pkt, PH_VIDEO_SSRC, 102, false, 0xa2);
  ph_send(&pub, braid_plain_transport_port(in), pkt.buf, pkt.len);
  int64_t end = braid_clock_mono_ms() + WAIT_MS;
  while (braid_rtp_recv_stats_ext_max(&far->streams[0].recv) % 65536 != 102 &&
         braid_clock_mono_ms() < end)
    pump2(&a, &b);
  ASSERT_EQ(braid_rtp_recv_stats_ext_max(&far->streams[0].recv) & 0xffff, 102);
  ssize_t got;
  while ((got = recv(viewer.fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) /* RTCP at most */
    ASSERT(!is_rtp(buf, (size_t)got));

  /* Closing the origin's producer closes its pipe consumer. */
  braid_producer_close(origin);
  ASSERT(braid_plain_transport_media(pa)->consumers == NULL);
  ASSERT_EQ(a.md.pipe_consumers, 0);
  close(pub.fd);
  close(viewer.fd);
  ph_world_cleanup(&a);
  ph_world_cleanup(&b);
}

/* RTX on the pipe (mediasoup's enableRtx): a packet lost on the pipe (its
 * consumer paused while it came, so the origin stored it but did not send
 * it) is NACKed by the piped producer, resent by the pipe consumer as RTX
 * on PIPE_RTX_SSRC, unwrapped into the far stream and its store, and
 * reaches the far consumer. */
BRAID_TEST(pipe_nack_repaired_with_rtx) {
  ph_world_t a, b;
  ph_world_init(&a);
  ph_world_init(&b);
  ph_peer_t pub = ph_peer_new(), viewer = ph_peer_new();
  char key_a[64], key_b[64];
  const char *why = NULL;
  ph_key_b64(key_a, 44, 3);
  ph_key_b64(key_b, 44, 4);
  braid_plain_transport_t *in = ph_plain(&a, "in", true, true, false);
  braid_producer_t *origin = origin_producer(in);
  braid_plain_transport_t *pa = pipe_new(&a, "pa", true), *pb = pipe_new(&b, "pb", true);
  ASSERT_EQ(ph_connect(pa, "127.0.0.1", braid_plain_transport_port(pb), 0, "AEAD_AES_256_GCM",
                       key_b, key_a, &why),
            0);
  ASSERT_EQ(ph_connect(pb, "127.0.0.1", braid_plain_transport_port(pa), 0, "AEAD_AES_256_GCM",
                       key_a, key_b, &why),
            0);
  braid_cmd_consumer_create_t cc = pipe_consumer_cmd("pa", "pipe-pv");
  cc.rtx_ssrc = PIPE_RTX_SSRC;
  cc.codecs[0].rtx_pt = RPT_VP8_RTX;
  braid_consumer_t *pipe = NULL;
  ASSERT_EQ(braid_consumer_new(&pipe, braid_plain_transport_media(pa), origin, &cc, &why), 0);
  ASSERT_EQ(pipe->pipe->streams[0].rtx_ssrc, PIPE_RTX_SSRC);
  braid_producer_t *far = piped_producer(pb, PIPE_RTX_SSRC);
  braid_plain_transport_t *out = ph_plain(&b, "out", true, false, false);
  ASSERT_EQ(ph_connect(out, "127.0.0.1", viewer.port, 0, "", "", "", &why), 0);
  ph_consumer(&b, out, far);

  test_pkt_t pkt;
  uint8_t buf[1600];
  ph_vp8(&pkt, PH_VIDEO_SSRC, 300, true, 0xb0);
  ph_send(&pub, braid_plain_transport_port(in), pkt.buf, pkt.len);
  size_t n = recv_where(&a, &b, &viewer, buf, sizeof buf, is_rtp, "RTP at the viewer");
  ASSERT_EQ(buf[n - 1], 0xb0);

  /* 301 does not cross the pipe. */
  braid_consumer_set_paused(pipe, true);
  ph_vp8(&pkt, PH_VIDEO_SSRC, 301, false, 0xb1);
  ph_send(&pub, braid_plain_transport_port(in), pkt.buf, pkt.len);
  int64_t end = braid_clock_mono_ms() + WAIT_MS;
  while ((braid_rtp_recv_stats_ext_max(&origin->streams[0].recv) & 0xffff) != 301 &&
         braid_clock_mono_ms() < end)
    pump2(&a, &b);
  ASSERT_EQ(braid_rtp_recv_stats_ext_max(&origin->streams[0].recv) & 0xffff, 301);
  braid_consumer_set_paused(pipe, false);
  ph_vp8(&pkt, PH_VIDEO_SSRC, 302, false, 0xb2);
  ph_send(&pub, braid_plain_transport_port(in), pkt.buf, pkt.len);

  /* The far consumer gets 302, then 301 repaired through RTX. */
  bool got[3] = {false, false, false};
  uint16_t seq_of[3] = {0, 0, 0};
  while (!got[1] || !got[2]) {
    n = recv_where(&a, &b, &viewer, buf, sizeof buf, is_rtp, "RTP at the viewer");
    braid_rtp_packet_t rp;
    ASSERT_EQ(braid_rtp_packet_parse(&rp, buf, n), 0);
    ASSERT_EQ(rp.ssrc, PH_CONSUMER_SSRC);
    unsigned tag = buf[n - 1] - 0xb0u;
    ASSERT(tag < 3);
    got[tag] = true;
    seq_of[tag] = rp.seq;
  }
  ASSERT_EQ(seq_of[1], (uint16_t)(seq_of[2] - 1));
  ASSERT_EQ(pipe->pipe->streams[0].resent, 1);
  ASSERT_EQ(pipe->pipe->streams[0].repaired, 1);
  ASSERT_EQ(far->streams[0].recv.retransmitted, 1);
  ASSERT_EQ(far->streams[0].recv.repaired, 1);
  ASSERT_EQ(far->streams[0].rtx_ssrc, PIPE_RTX_SSRC);
  const uint8_t *data;
  size_t len;
  braid_rtp_packet_t stored;
  ASSERT_EQ(braid_rtx_buffer_get(far->streams[0].store, 301, braid_clock_mono_ms(), &data, &len),
            0);
  ASSERT_EQ(braid_rtp_packet_parse(&stored, data, len), 0);
  ASSERT_EQ(stored.ssrc, PH_MAPPED_SSRC);
  ASSERT_EQ(stored.pt, PH_RPT_VP8);
  ASSERT_EQ(data[len - 1], 0xb1);
  ASSERT(braid_plain_transport_stats(pb)->srtp_unprotect_failed == 0);
  close(pub.fd);
  close(viewer.fd);
  ph_world_cleanup(&a);
  ph_world_cleanup(&b);
}

/* ---- the commands ---------------------------------------------------------- */

/* Runs cmd through the dispatcher; returns 0 for an ok reply, else its
 * code with its reason in why (NUL-terminated). */
static int run(ph_world_t *w, const braid_cmd_t *cmd, char *why, size_t why_len) {
  braid_buf_t out;
  braid_reply_t r;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_cmd_handle(&w->md, cmd, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  int rc = r.ok ? 0 : r.error_code;
  if (why != NULL) snprintf(why, why_len, "%.*s", (int)r.reason.len, r.reason.p);
  braid_buf_cleanup(&out);
  return rc;
}

static braid_cmd_t create_cmd(const char *id, bool rtcp_mux, bool comedia, bool pipe) {
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CREATE_PLAIN, .id = 30};
  cmd.u.transport_create_plain =
      (braid_cmd_transport_create_plain_t){.router_id = BRAID_STR_LIT("r1"),
                                           .transport_id = braid_str_c(id),
                                           .rtcp_mux = rtcp_mux,
                                           .comedia = comedia,
                                           .pipe = pipe};
  return cmd;
}

static int consume(ph_world_t *w, const char *transport, const char *id, const char *type,
                   uint32_t ssrc, char *why) {
  braid_cmd_t cmd = {.type = BRAID_CMD_CONSUMER_CREATE, .id = 31};
  cmd.u.consumer_create = pipe_consumer_cmd(transport, id);
  cmd.u.consumer_create.type = braid_str_c(type);
  cmd.u.consumer_create.ssrc = ssrc;
  return run(w, &cmd, why, BRAID_REASON_MAX + 1);
}

BRAID_TEST(pipe_commands) {
  ph_world_t w;
  char why[BRAID_REASON_MAX + 1];
  ph_world_init(&w);
  braid_cmd_t cmd = create_cmd("p1", false, false, true);
  ASSERT_EQ(run(&w, &cmd, why, sizeof why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "transport.create_plain: a pipe transport needs rtcp_mux");
  cmd = create_cmd("p1", true, true, true);
  ASSERT_EQ(run(&w, &cmd, why, sizeof why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "transport.create_plain: a pipe transport cannot be comedia");
  ASSERT_EQ(braid_map_size(w.md.transports), 0);
  cmd = create_cmd("p1", true, false, true);
  ASSERT_EQ(run(&w, &cmd, why, sizeof why), 0);
  ASSERT_EQ(run(&w, &cmd, why, sizeof why), 0); /* idempotent */
  cmd = create_cmd("p1", true, false, false);   /* the same id as a plain transport */
  ASSERT_EQ(run(&w, &cmd, why, sizeof why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "transport.create_plain: transport id taken");
  braid_transport_t *m = braid_map_get(w.md.transports, "p1", 2);
  ASSERT(m != NULL);
  ASSERT_STR_EQ(braid_transport_kind(m), "pipe");

  /* Which consumers which transport takes. */
  braid_plain_transport_t *in = ph_plain(&w, "in", true, true, false);
  origin_producer(in);
  ASSERT_EQ(consume(&w, "in", "c1", "pipe", 0, why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "consumer.create: a pipe consumer needs a pipe transport");
  ASSERT_EQ(consume(&w, "p1", "c1", "simple", 0x1234, why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "consumer.create: a pipe transport takes pipe consumers only");
  ASSERT_EQ(consume(&w, "p1", "c1", "pipe", 0, why), 0);
  ASSERT_EQ(consume(&w, "p1", "c1", "pipe", 0, why), 0); /* idempotent */
  ASSERT_EQ(w.md.pipe_consumers, 1);

  /* --max-consumers 1: one ordinary consumer; pipes do not count. */
  w.cfg.max_consumers = 1;
  braid_plain_transport_t *o1 = ph_plain(&w, "o1", true, false, false);
  (void)o1;
  ASSERT_EQ(consume(&w, "o1", "k1", "simple", 0x1001, why), 0);
  ASSERT_EQ(consume(&w, "o1", "k1", "simple", 0x1001, why), 0); /* a repeat is no new one */
  ASSERT_EQ(consume(&w, "o1", "k2", "simple", 0x1002, why), BRAID_ELIMIT);
  ASSERT_STR_EQ(why, "consumer.create: node consumer limit reached");
  cmd = create_cmd("p2", true, false, true);
  ASSERT_EQ(run(&w, &cmd, why, sizeof why), 0);
  ASSERT_EQ(consume(&w, "p2", "c2", "pipe", 0, why), 0);
  ASSERT_EQ(braid_map_size(w.md.consumers), 3);
  w.cfg.max_consumers = 0;
  ASSERT_EQ(consume(&w, "o1", "k2", "simple", 0x1002, why), 0);
  ph_world_cleanup(&w);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(pipe_between_two_daemons_with_srtp)
                    BRAID_TEST_ENTRY(pipe_nack_repaired_with_rtx) BRAID_TEST_ENTRY(pipe_commands))
