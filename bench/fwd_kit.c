/* What the forwarding benchmarks share (fwd_kit.h). */
#include "bench/fwd_kit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/bytes.h"
#include "common/mem.h"

const char *bench_name = "bench";

void bench_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: FAILED: ", bench_name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

int64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long bench_parse_num(const char *flag, const char *s, long lo, long hi) {
  char *end = NULL;
  long v = s != NULL ? strtol(s, &end, 10) : 0;
  if (s == NULL || *s == '\0' || *end != '\0' || v < lo || v > hi) {
    fprintf(stderr, "%s: %s takes a number in %ld..%ld\n", bench_name, flag, lo, hi);
    exit(2);
  }
  return v;
}

/* Printed before and after a table, so that a table taken on a slower
 * moment of a shared virtual machine shows it. */
double bench_protect_ref_ns(braid_srtp_suite_t suite) {
  enum { LEN = 1150, N = 4000 };
  static uint8_t buf[TX_SLOT];
  uint8_t master[BRAID_SRTP_SESSION_MASTER_MAX] = {1, 2, 3};
  size_t kl = braid_srtp_session_key_len(suite), sl = braid_srtp_session_salt_len(suite);
  braid_srtp_session_t *s = NULL;
  int rc = braid_srtp_session_new(&s, suite, BRAID_SRTP_DIR_OUTBOUND, master, kl, master + kl, sl);
  if (rc != 0) bench_fail("srtp_session_new: %s", braid_srtp_session_strerror(rc));
  memset(buf, 0x5a, LEN);
  buf[0] = 0x80, buf[1] = PT_VP8;
  double r[5];
  uint16_t seq = 0;
  for (int k = 0; k < 5; k++) {
    int64_t t0 = bench_now_ns();
    for (int i = 0; i < N; i++) {
      size_t len = LEN;
      braid_put16(buf + 2, seq++);
      if ((rc = braid_srtp_session_protect_rtp(s, buf, &len, sizeof buf)) != 0)
        bench_fail("protect: %s", braid_srtp_session_strerror(rc));
    }
    r[k] = (double)(bench_now_ns() - t0) / N;
  }
  braid_srtp_session_free(s);
  return bench_median(r, 5);
}

/* ---- the fake transport kind ------------------------------------------- */

void bench_ring_init(tx_ring_t *r) {
  r->head = 0;
  r->slots = aligned_alloc(64, (size_t)TX_RING * TX_SLOT);
  if (r->slots == NULL) bench_fail("out of memory");
  memset(r->slots, 0, (size_t)TX_RING * TX_SLOT);
}

void bench_ring_cleanup(tx_ring_t *r) {
  free(r->slots);
  r->slots = NULL;
}

static uint8_t *bt_tx_buf(braid_transport_t *m, size_t *cap) {
  bench_transport_t *t = (bench_transport_t *)m;
  t->cur = t->ring->slots + (size_t)t->ring->head * TX_SLOT;
  *cap = TX_SLOT - BRAID_SRTP_SESSION_TRAILER_MAX;
  return t->cur;
}

/* Protects the packet in place (as webrtc_transport.c and
 * plain_transport.c do), then "sends" it: the slot is committed and the
 * ring moves on; a full ring wraps where the real one would flush with
 * sendmmsg(). */
static int bt_tx(braid_transport_t *m, size_t len, bool rtcp) {
  bench_transport_t *t = (bench_transport_t *)m;
  uint8_t *pkt = t->cur;
  if (t->srtp != NULL) {
    int rc = rtcp ? braid_srtp_session_protect_rtcp(t->srtp, pkt, &len, TX_SLOT)
                  : braid_srtp_session_protect_rtp(t->srtp, pkt, &len, TX_SLOT);
    if (rc != 0) {
      t->failed++;
      return rc;
    }
  }
  t->ring->head = (t->ring->head + 1) % TX_RING;
  t->last = pkt;
  t->last_len = len;
  if (rtcp)
    t->rtcp_sent++;
  else
    t->rtp_sent++;
  if (t->deliver != NULL) t->deliver(t, pkt, len, rtcp, t->deliver_ud);
  return 0;
}

static int bt_tx_rtp(braid_transport_t *m, size_t len) { return bt_tx(m, len, false); }
static int bt_tx_rtcp(braid_transport_t *m, size_t len) { return bt_tx(m, len, true); }

static const braid_transport_ops_t bench_ops = {
    .kind = "bench", .tx_buf = bt_tx_buf, .tx_rtp = bt_tx_rtp, .tx_rtcp = bt_tx_rtcp};

static void master_key(uint8_t *m, int key_idx) {
  for (size_t i = 0; i < BRAID_SRTP_SESSION_MASTER_MAX; i++)
    m[i] = (uint8_t)(key_idx * 131 + i * 29 + 7);
}

bench_transport_t *bench_transport_new(braid_mediad_t *md, tx_ring_t *ring, const char *id,
                                       int key_idx, braid_srtp_suite_t suite, bool srtp) {
  bench_transport_t *t = braid_xcalloc(1, sizeof *t);
  t->ring = ring;
  t->suite = suite;
  if (braid_transport_init(&t->media, md, &bench_ops, braid_str_c(id), BRAID_STR_LIT("r1"),
                           BRAID_STR_LIT("room")) != 0)
    bench_fail("transport_init %s", id);
  if (srtp) {
    size_t kl = braid_srtp_session_key_len(suite), sl = braid_srtp_session_salt_len(suite);
    master_key(t->master, key_idx);
    int rc = braid_srtp_session_new(&t->srtp, suite, BRAID_SRTP_DIR_OUTBOUND, t->master, kl,
                                    t->master + kl, sl);
    if (rc != 0) bench_fail("srtp_session_new: %s", braid_srtp_session_strerror(rc));
  }
  braid_transport_set_connected(&t->media, true);
  return t;
}

void bench_transport_free(bench_transport_t *t) {
  braid_transport_cleanup(&t->media);
  braid_srtp_session_free(t->srtp);
  braid_free(t);
}

braid_srtp_session_t *bench_transport_peer_session(const bench_transport_t *t) {
  size_t kl = braid_srtp_session_key_len(t->suite), sl = braid_srtp_session_salt_len(t->suite);
  braid_srtp_session_t *in = NULL;
  int rc = braid_srtp_session_new(&in, t->suite, BRAID_SRTP_DIR_INBOUND, t->master, kl,
                                  t->master + kl, sl);
  if (rc != 0) bench_fail("srtp_session_new: %s", braid_srtp_session_strerror(rc));
  return in;
}

/* ---- the publisher's stream -------------------------------------------- */

void bench_source_init(source_t *s, bool pipe) {
  *s = (source_t){.seq = 4321, .twcc = 1, .ts = 123456789, .key_next = true, .pipe = pipe};
}

/* The header in the pipe's form: what a pipe consumer makes of Chrome's
 * packet (pipe_consumer.h): the mapped SSRC, the router's payload type,
 * the same sequence number and timestamp, and no extensions (the pipe's
 * own ids, less MID, abs-send-time and transport-cc, name none of the
 * three Chrome's packet carries). Returns the descriptor's offset. */
static size_t pipe_header(const source_t *s, uint8_t *p, bool marker) {
  p[0] = 0x80;
  p[1] = (uint8_t)((marker ? 0x80 : 0) | RPT_VP8);
  braid_put16(p + 2, s->seq);
  braid_put32(p + 4, s->ts);
  braid_put32(p + 8, MAPPED_SSRC);
  return 12;
}

static size_t chrome_header(const source_t *s, uint8_t *p, bool marker) {
  p[0] = 0x90; /* V=2, X=1 */
  p[1] = (uint8_t)((marker ? 0x80 : 0) | PT_VP8);
  braid_put16(p + 2, s->seq);
  braid_put32(p + 4, s->ts);
  braid_put32(p + 8, VIDEO_SSRC);
  /* One-byte extensions (RFC 8285): 3 words. */
  p[12] = 0xbe, p[13] = 0xde, p[14] = 0, p[15] = 3;
  uint32_t abs = s->ts * 3u; /* any advancing 24-bit value */
  p[16] = CX_ABS_SEND << 4 | 2, p[17] = (uint8_t)(abs >> 16), p[18] = (uint8_t)(abs >> 8),
  p[19] = (uint8_t)abs;
  p[20] = CX_TWCC << 4 | 1;
  braid_put16(p + 21, s->twcc);
  p[23] = CX_MID << 4 | 0, p[24] = '1', p[25] = p[26] = p[27] = 0;
  return 28;
}

size_t bench_source_next(source_t *s, uint8_t *p) {
  if (s->frame_left == 0) { /* a new frame */
    s->frame_left = s->key_next ? KEY_FRAME_PACKETS : DELTA_FRAME_PACKETS;
    s->first = true;
    s->ts += 3000; /* 30 frames/s at 90 kHz */
    s->picture_id = (uint16_t)((s->picture_id + 1) & 0x7fff);
  }
  bool marker = --s->frame_left == 0;
  size_t len = 1100 + (size_t)(s->seq * 37u % 101u);
  size_t d = s->pipe ? pipe_header(s, p, marker) : chrome_header(s, p, marker);
  if (s->pipe) len -= HDR_LEN - PIPE_HDR_LEN;
  s->seq++;
  s->twcc++;
  /* VP8 descriptor (RFC 7741 §4.2): X, S on a frame's first packet; I
   * with a 15-bit PictureID. */
  p[d] = s->first ? 0x90 : 0x80;
  p[d + 1] = 0x80;
  p[d + 2] = (uint8_t)(0x80 | s->picture_id >> 8);
  p[d + 3] = (uint8_t)s->picture_id;
  if (s->first) {
    /* Frame tag (RFC 6386 §9.1): P=0 on a key frame, its start code and
     * 1280x720; P=1 on an inter frame. */
    static const uint8_t key[] = {0x10, 0x20, 0x01, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02};
    if (s->key_next)
      memcpy(p + d + 4, key, sizeof key);
    else
      p[d + 4] = 0x11;
    s->key_next = false;
  }
  s->first = false;
  return len;
}

uint8_t *bench_rx_new(void) {
  uint8_t *rx = aligned_alloc(64, (size_t)RX_BATCH * RX_SLOT);
  if (rx == NULL) bench_fail("out of memory");
  uint32_t x = 0x9e3779b9u; /* payload bytes: anything but zeros */
  for (size_t i = 0; i < (size_t)RX_BATCH * RX_SLOT; i++) {
    x = x * 1664525u + 1013904223u;
    rx[i] = (uint8_t)(x >> 24);
  }
  return rx;
}

/* ---- producers and consumers ------------------------------------------- */

braid_producer_t *bench_chrome_producer(bench_transport_t *t) {
  braid_cmd_producer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(t->media.id);
  c.producer_id = BRAID_STR_LIT("p-video");
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("simple");
  c.mid = BRAID_STR_LIT("1");
  c.cname = BRAID_STR_LIT("publisher");
  c.fb = BRAID_FB_NACK | BRAID_FB_PLI;
  c.ext = (braid_rtp_ext_ids_t){.mid = CX_MID, .abs_send_time = CX_ABS_SEND, .twcc = CX_TWCC};
  c.ncodecs = 2;
  c.codecs[0] = (braid_producer_codec_t){PT_VP8, RPT_VP8, BRAID_STR_LIT("video/VP8"), 90000, 0};
  c.codecs[1] =
      (braid_producer_codec_t){PT_VP8_RTX, RPT_VP8_RTX, BRAID_STR_LIT("video/rtx"), 90000, PT_VP8};
  c.nencodings = 1;
  c.encodings[0] = (braid_producer_encoding_t){.ssrc = VIDEO_SSRC,
                                               .rtx_ssrc = VIDEO_RTX_SSRC,
                                               .mapped_ssrc = MAPPED_SSRC,
                                               .spatial_layers = 1,
                                               .temporal_layers = 1};
  braid_producer_t *p = NULL;
  const char *why = NULL;
  int rc = braid_producer_new(&p, &t->media, &c, &why);
  if (rc != 0) bench_fail("producer_new: %s (%d)", why ? why : "", rc);
  return p;
}

braid_consumer_t *bench_consumer(bench_transport_t *t, braid_producer_t *p, int i, bool nack) {
  char id[32];
  snprintf(id, sizeof id, "c-%d", i);
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(t->media.id);
  c.consumer_id = braid_str_c(id);
  c.producer_id = braid_str_c(p->id);
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("simple");
  c.mid = BRAID_STR_LIT("1");
  c.ssrc = CONSUMER_SSRC + 2 * (uint32_t)i;
  c.rtx_ssrc = c.ssrc + 1;
  c.cname = BRAID_STR_LIT("router-cname");
  c.fb = BRAID_FB_PLI | (nack ? BRAID_FB_NACK : 0);
  c.ext = (braid_rtp_ext_ids_t){.mid = RX_MID, .abs_send_time = RX_ABS_SEND, .twcc = RX_TWCC};
  c.ncodecs = 1;
  c.codecs[0] = (braid_consumer_codec_t){RPT_VP8, RPT_VP8_RTX, BRAID_STR_LIT("video/VP8"), 90000};
  braid_consumer_t *k = NULL;
  const char *why = NULL;
  int rc = braid_consumer_new(&k, &t->media, p, &c, &why);
  if (rc != 0) bench_fail("consumer_new: %s (%d)", why ? why : "", rc);
  return k;
}
