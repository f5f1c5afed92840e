/*
 * Test harness for plain transports over real loopback sockets
 * (plain_transport_test.c): a daemon context on its own loop with router
 * "r1"; plain transports made by transport.create_plain's handler path
 * (braid_plain_transport_new); remote endpoints ("peers") as plain BSD
 * sockets on 127.0.0.1; the loop pumped until a peer has a datagram; a
 * video producer (VP8, PLI) and its consumer; SRTP keys as keyBase64.
 * Header-only (static functions): include it in one test file.
 *
 * The clock is the real one: the transports' timers run on the loop, and
 * the periodic RTCP comes after BRAID_TRANSPORT_RTCP_INTERVAL_MS of real
 * time.
 */
#ifndef BRAID_TESTS_MEDIAD_RTC_PLAIN_HARNESS_H
#define BRAID_TESTS_MEDIAD_RTC_PLAIN_HARNESS_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/map.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/plain_transport.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/router.h"
#include "mediad/rtc/transport.h"
#include "mediad/sec/srtp_session.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/pli.h"
#include "tests/mediad/rtc/rtp_maker.h"
#include "tests/test.h"

#define PH_VIDEO_SSRC    0x22220001u /* the publisher's */
#define PH_MAPPED_SSRC   0xB0000001u /* the router's */
#define PH_CONSUMER_SSRC 0x66660001u
#define PH_REMOTE_SSRC   0x77770001u /* the subscriber's RTCP sender SSRC */
enum { PH_PT_VP8 = 96, PH_RPT_VP8 = 101 };

/* ---- the daemon ---------------------------------------------------------- */

typedef struct ph_world {
  uv_loop_t loop;
  braid_mediad_config_t cfg;
  braid_mediad_t md;
} ph_world_t;

static inline void ph_world_init(ph_world_t *w) {
  memset(w, 0, sizeof *w);
  ASSERT_EQ(uv_loop_init(&w->loop), 0);
  w->cfg = (braid_mediad_config_t){.ip = "127.0.0.1",
                                   .announced_ip = "127.0.0.1",
                                   .port_range = "",
                                   .rtc_mode = "single",
                                   .prefix = "t:"};
  w->md.loop = &w->loop;
  w->md.config = &w->cfg;
  w->md.routers = braid_router_registry_new();
  w->md.transports = braid_map_new();
  w->md.producers = braid_map_new();
  w->md.consumers = braid_map_new();
  ASSERT(w->md.transports && w->md.producers && w->md.consumers);
  braid_router_t *r;
  bool created;
  ASSERT_EQ(
      braid_router_create(w->md.routers, BRAID_STR_LIT("r1"), BRAID_STR_LIT("room"), &r, &created),
      0);
}

/* Closes every transport, lets libuv close every handle, and checks that
 * nothing is left. */
static inline void ph_world_cleanup(ph_world_t *w) {
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, w->md.transports);
  while (braid_map_iter_next(&it, NULL, NULL, &v))
    braid_transport_close(v);
  ASSERT_EQ(braid_map_size(w->md.transports), 0);
  ASSERT_EQ(braid_map_size(w->md.producers), 0);
  ASSERT_EQ(braid_map_size(w->md.consumers), 0);
  uv_run(&w->loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&w->loop), 0); /* every socket and timer closed */
  braid_router_registry_free(w->md.routers);
  braid_map_free(w->md.transports);
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
}

/* A plain transport of router r1; fails the test when refused. */
static inline braid_plain_transport_t *ph_plain(ph_world_t *w, const char *id, bool rtcp_mux,
                                                bool comedia, bool srtp) {
  braid_cmd_transport_create_plain_t c = {.router_id = BRAID_STR_LIT("r1"),
                                          .transport_id = braid_str_c(id),
                                          .rtcp_mux = rtcp_mux,
                                          .comedia = comedia,
                                          .enable_srtp = srtp};
  braid_plain_transport_t *t = NULL;
  ASSERT_EQ(braid_plain_transport_new(&t, &w->md, &c, BRAID_STR_LIT("room")), 0);
  ASSERT(braid_plain_transport_port(t) > 0);
  ASSERT_EQ(braid_plain_transport_rtcp_port(t) > 0, !rtcp_mux);
  return t;
}

/* connect_plain; returns its code (and *why). */
static inline int ph_connect(braid_plain_transport_t *t, const char *ip, int port, int rtcp_port,
                             const char *suite, const char *key, const char *local_key,
                             const char **why) {
  braid_cmd_transport_connect_plain_t c = {.ip = braid_str_c(ip),
                                           .port = (uint64_t)port,
                                           .rtcp_port = (uint64_t)rtcp_port,
                                           .srtp_suite = braid_str_c(suite),
                                           .srtp_key = braid_str_c(key),
                                           .srtp_local_key = braid_str_c(local_key)};
  return braid_plain_transport_connect(t, &c, why);
}

/* ---- remote endpoints ---------------------------------------------------- */

typedef struct ph_peer {
  int fd;
  int port;
} ph_peer_t;

static inline ph_peer_t ph_peer_new(void) {
  ph_peer_t p;
  struct sockaddr_in a = {.sin_family = AF_INET};
  socklen_t len = sizeof a;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  p.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  ASSERT(p.fd >= 0);
  ASSERT_EQ(bind(p.fd, (struct sockaddr *)&a, sizeof a), 0);
  ASSERT_EQ(getsockname(p.fd, (struct sockaddr *)&a, &len), 0);
  p.port = ntohs(a.sin_port);
  return p;
}

static inline void ph_send(const ph_peer_t *p, int to_port, const void *data, size_t len) {
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)to_port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  ASSERT_EQ(sendto(p->fd, data, len, 0, (struct sockaddr *)&to, sizeof to), (ssize_t)len);
}

/* Runs the loop until p has a datagram (returned in buf, its length the
 * result) or timeout_ms passed (-1). */
static inline ssize_t ph_recv(ph_world_t *w, const ph_peer_t *p, uint8_t *buf, size_t cap,
                              int timeout_ms) {
  int64_t end = braid_clock_mono_ms() + timeout_ms;
  for (;;) {
    ssize_t n = recv(p->fd, buf, cap, MSG_DONTWAIT);
    if (n >= 0) return n;
    ASSERT(errno == EAGAIN || errno == EWOULDBLOCK);
    if (braid_clock_mono_ms() >= end) return -1;
    uv_run(&w->loop, UV_RUN_NOWAIT);
    usleep(1000);
  }
}

/* RFC 5761: an RTCP packet type in the second byte. */
static inline bool ph_is_rtcp(const uint8_t *data, size_t len) {
  return len >= 2 && data[1] >= 192 && data[1] <= 223;
}

/* ph_recv() of the next RTP datagram: RTCP ones before it are skipped. */
static inline ssize_t ph_recv_rtp(ph_world_t *w, const ph_peer_t *p, uint8_t *buf, size_t cap,
                                  int timeout_ms) {
  ssize_t n;
  while ((n = ph_recv(w, p, buf, cap, timeout_ms)) >= 0 && ph_is_rtcp(buf, (size_t)n)) {
  }
  return n;
}

/* Runs the loop for ms of real time (lets sent datagrams arrive and be
 * handled). */
static inline void ph_pump(ph_world_t *w, int ms) {
  int64_t end = braid_clock_mono_ms() + ms;
  while (braid_clock_mono_ms() < end) {
    uv_run(&w->loop, UV_RUN_NOWAIT);
    usleep(1000);
  }
}

/* ---- media --------------------------------------------------------------- */

/* A VP8 producer on PH_VIDEO_SSRC, with PLI, as a broadcaster's would be
 * (no MID: a plain endpoint is matched by SSRC). */
static inline braid_producer_t *ph_producer(ph_world_t *w, braid_plain_transport_t *t) {
  braid_cmd_producer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(braid_plain_transport_id(t));
  c.producer_id = BRAID_STR_LIT("pv");
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("simple");
  c.cname = BRAID_STR_LIT("ffmpeg");
  c.fb = BRAID_FB_PLI;
  c.ncodecs = 1;
  c.codecs[0] =
      (braid_producer_codec_t){PH_PT_VP8, PH_RPT_VP8, BRAID_STR_LIT("video/VP8"), 90000, 0};
  c.nencodings = 1;
  c.encodings[0] = (braid_producer_encoding_t){
      .ssrc = PH_VIDEO_SSRC, .mapped_ssrc = PH_MAPPED_SSRC, .temporal_layers = 1};
  braid_producer_t *p = NULL;
  const char *why = NULL;
  if (braid_producer_new(&p, braid_plain_transport_media(t), &c, &why) != 0)
    BRAID_TEST_FAIL("producer: %s", why ? why : "?");
  (void)w;
  return p;
}

/* Its consumer on t, sending on PH_CONSUMER_SSRC. */
static inline braid_consumer_t *ph_consumer(ph_world_t *w, braid_plain_transport_t *t,
                                            braid_producer_t *p) {
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(braid_plain_transport_id(t));
  c.consumer_id = BRAID_STR_LIT("cv");
  c.producer_id = braid_str_c(p->id);
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("simple");
  c.ssrc = PH_CONSUMER_SSRC;
  c.cname = BRAID_STR_LIT("router");
  c.fb = BRAID_FB_PLI;
  c.ncodecs = 1;
  c.codecs[0] = (braid_consumer_codec_t){PH_RPT_VP8, 0, BRAID_STR_LIT("video/VP8"), 90000};
  braid_consumer_t *k = NULL;
  const char *why = NULL;
  if (braid_consumer_new(&k, braid_plain_transport_media(t), p, &c, &why) != 0)
    BRAID_TEST_FAIL("consumer: %s", why ? why : "?");
  (void)w;
  return k;
}

/* The publisher's VP8 packet seq (timestamp 90 * seq) whose payload ends
 * with tag; len in *len. */
static inline void ph_vp8(test_pkt_t *pkt, uint32_t ssrc, uint16_t seq, bool key, uint8_t tag) {
  uint8_t pl[32];
  size_t n = make_vp8(pl, key, 0, false);
  pl[n++] = tag;
  make_pkt(pkt, ssrc, PH_PT_VP8, seq, 90u * seq, pl, n);
}

/* An RTCP compound from the subscriber: an empty RR and a PLI about
 * media_ssrc. */
static inline size_t ph_pli(uint8_t *buf, size_t cap, uint32_t media_ssrc) {
  braid_rtcp_builder_t b;
  size_t room;
  braid_rtcp_fb_t fb = {PH_REMOTE_SSRC, media_ssrc};
  braid_rtcp_builder_init(&b, buf, cap);
  ASSERT_EQ(braid_rtcp_builder_report(&b, PH_REMOTE_SSRC, NULL, NULL, 0), 0);
  uint8_t *tail = braid_rtcp_builder_tail(&b, &room);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, braid_rtcp_pli_write(tail, room, &fb)), 0);
  return braid_rtcp_builder_len(&b);
}

/* An SR of the publisher about ssrc. */
static inline size_t ph_sr(uint8_t *buf, size_t cap, uint32_t ssrc) {
  braid_rtcp_builder_t b;
  braid_rtcp_sender_info_t info = {
      .ntp = 0x0123456789abcdefULL, .rtp_ts = 9000, .packet_count = 1, .octet_count = 100};
  braid_rtcp_builder_init(&b, buf, cap);
  ASSERT_EQ(braid_rtcp_builder_report(&b, ssrc, &info, NULL, 0), 0);
  return braid_rtcp_builder_len(&b);
}

/* Whether an RTCP compound holds a PLI about media_ssrc / an SR from
 * ssrc. */
static inline bool ph_has_rtcp(const uint8_t *data, size_t len, uint8_t pt, uint32_t ssrc) {
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t p;
  braid_rtcp_fb_t fb;
  braid_rtcp_compound_init(&it, data, len, BRAID_RTCP_COMPOUND_PAD_ANY);
  while (braid_rtcp_compound_next(&it, &p) == 1) {
    if (p.hdr.pt != pt) continue;
    if (pt == BRAID_RTCP_PT_PSFB && p.hdr.count == BRAID_RTCP_PSFB_PLI &&
        braid_rtcp_pli_parse(&fb, p.data, p.len, NULL) == 0 && fb.media_ssrc == ssrc)
      return true;
    if (pt == BRAID_RTCP_PT_SR && p.len >= 8 && braid_get32(p.data + 4) == ssrc) return true;
  }
  return false;
}

/* ---- SRTP ---------------------------------------------------------------- */

/* keyBase64 of key_len pseudo-random bytes (seeded by seed) into out. */
static inline void ph_key_b64(char *out, size_t key_len, unsigned seed) {
  static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint8_t k[BRAID_SRTP_SESSION_MASTER_MAX + 2] = {0};
  for (size_t i = 0; i < key_len; i++)
    k[i] = (uint8_t)(seed * 131 + i * 29 + (i >> 2));
  size_t o = 0;
  for (size_t i = 0; i < key_len; i += 3) {
    uint32_t v = (uint32_t)k[i] << 16 | (uint32_t)k[i + 1] << 8 | k[i + 2];
    out[o++] = abc[v >> 18 & 63];
    out[o++] = abc[v >> 12 & 63];
    out[o++] = i + 1 < key_len ? abc[v >> 6 & 63] : '=';
    out[o++] = i + 2 < key_len ? abc[v & 63] : '=';
  }
  out[o] = '\0';
}

#endif
