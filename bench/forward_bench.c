/*
 * forward_bench: CPU cost of forwarding one video packet from a producer to
 * N consumers through mediad's forwarding path (transport.c, producer.c,
 * consumer.c), with and without SRTP on the way out.
 *
 *   forward_bench [--consumers A,B,...] [--suite NAME] [--no-srtp] [--no-nack]
 *                 [--runs N] [--packets N] [--quick]
 *
 * The world: one producer (VP8 + RTX, one stream with a signalled SSRC,
 * Chrome's MID / abs-send-time / transport-cc extension ids, NACK and PLI
 * feedback) on a fake "ingress" transport, and N consumers (simple, NACK +
 * PLI, so each keeps an RTX buffer) each on a fake transport of its own,
 * created from producer.create / consumer.create command structs as
 * channel/media_handlers.c does. The fake transports stand in for
 * webrtc_transport.c: their tx_buf() hands out the next slot of one shared
 * send ring shaped like net/udp_socket.c's (256 slots of 1,760 bytes), and
 * tx_rtp()/tx_rtcp() protect the packet in place with a real outbound
 * braid_srtp_session_t (one key per transport), then drop it: no system
 * call, so what is timed is CPU work, not the kernel.
 *
 * Packets: 1,100-1,200-byte VP8 packets as Chrome sends them (RTP header,
 * a 12-byte one-byte extension block with abs-send-time, transport-cc and
 * MID, a 4-byte VP8 descriptor with a 15-bit PictureID), built in place
 * in one of 32 receive buffers (recvmmsg's batch in net/udp_socket.c), as
 * plaintext (inbound SRTP is not part of this cost: see srtp_bench). A
 * 40-packet key frame opens the stream (the consumers sync on it; its
 * arrival also makes them ask for it with a PLI), then 6-packet delta
 * frames follow at 30 frames/s of RTP time; sequence numbers, timestamps,
 * PictureIDs and transport-cc numbers keep advancing across runs.
 *
 * Timing: after a warm-up (the key frame, and enough packets that every
 * RTX buffer has wrapped once, so page faults are behind us), each run
 * feeds --packets / N received packets (at least MIN_RX) through
 * braid_transport_receive_rtp() between two reads of the thread's CPU
 * clock; writing each packet's 32 header bytes is inside the timed loop
 * (a few ns). The SRTP and plaintext worlds run interleaved, run by run,
 * so a change of load hits both. Each cell is the median run. A protect of
 * one packet alone is timed before and after the table: on a shared
 * virtual machine the host can slow the thread's CPU down, and this shows it.
 *
 * Checks: after the warm-up, consumer 0's last packet must unprotect with
 * its key and carry the payload fed, with its SSRC and the router's PT; at
 * the end every consumer must have sent (and stored for RTX) exactly one
 * packet per packet fed, and the ingress must have sent its PLI. Anything
 * else fails loudly (exit status 1).
 *
 * Build without sanitizers (-DCMAKE_BUILD_TYPE=Release) for real numbers;
 * docs/BENCHMARKS.md has them and the command.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/bytes.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/mediad.h"
#include "mediad/net/udp_socket.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/rtx_buffer.h"
#include "mediad/rtc/transport.h"
#include "mediad/sec/srtp_session.h"
#include "mediad/wire/rtp_packet.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif

enum {
  MAX_RUNS = 99,
  MAX_COUNTS = 16, /* entries of --consumers */
  MAX_CONSUMERS = 2000,
  RX_BATCH = 32, /* receive buffers (net/udp_socket.c RX_BATCH) */
  RX_SLOT = BRAID_UDP_MAX_DATAGRAM,
  TX_RING = 256,                          /* send ring slots (net/udp_socket.c TX_RING) */
  TX_SLOT = BRAID_UDP_MAX_DATAGRAM + 160, /* net/udp_socket.c TX_SLOT */
  KEY_FRAME_PACKETS = 40,
  DELTA_FRAME_PACKETS = 6,
  WARMUP = 1200, /* > 1 MiB of ~1,150-byte packets: every RTX arena wraps */
  MIN_RX = 1000, /* received packets per run, at least */
  HDR_LEN = 32,  /* RTP header 12 + extensions 16 + VP8 descriptor 4 */
};

/* Chrome's publishing side and mediasoup's router side. */
#define VIDEO_SSRC     0x22220001u
#define VIDEO_RTX_SSRC 0x22220002u
#define MAPPED_SSRC    0xB0000001u
#define CONSUMER_SSRC  0x30000000u /* + 2 i, RTX + 2 i + 1 */
enum { PT_VP8 = 96, PT_VP8_RTX = 97, RPT_VP8 = 101, RPT_VP8_RTX = 102 };
enum { CX_ABS_SEND = 2, CX_TWCC = 3, CX_MID = 4 }; /* client ids */
enum { RX_MID = 1, RX_ABS_SEND = 4, RX_TWCC = 5 }; /* router ids */

typedef struct bench_opts {
  int counts[MAX_COUNTS];
  int ncounts;
  braid_srtp_suite_t suite;
  bool srtp; /* also run with SRTP (the default) */
  bool nack; /* consumers negotiate NACK (keep an RTX buffer) */
  int runs;
  long packets; /* forwarded packets per run */
  long warmup;
} bench_opts_t;

/* The shared send ring: every transport builds its packet in the next slot. */
typedef struct tx_ring {
  uint8_t *slots; /* owned: TX_RING * TX_SLOT */
  unsigned head;
} tx_ring_t;

/* A fake transport kind: the media half plus a way out into the ring. */
typedef struct bench_transport {
  braid_transport_t media;    /* first: the ops cast back */
  tx_ring_t *ring;            /* borrowed: the world's */
  braid_srtp_session_t *srtp; /* owned; NULL without SRTP */
  uint8_t master[BRAID_SRTP_SESSION_MASTER_MAX];
  uint8_t *cur;        /* slot of the last tx_buf() */
  const uint8_t *last; /* the last packet sent (protected), in the ring */
  size_t last_len;
  uint64_t rtp_sent, rtcp_sent, failed;
} bench_transport_t;

/* The publisher's stream: what the next packet will be. */
typedef struct source {
  uint16_t seq, twcc;
  uint32_t ts;
  uint16_t picture_id; /* 15 bits */
  int frame_left;      /* packets left in the current frame; 0: start one */
  bool key_next;       /* the next frame is a key frame */
  bool first;          /* the next packet starts a frame */
} source_t;

typedef struct world {
  braid_mediad_t md;
  tx_ring_t ring;
  bench_transport_t *ingress; /* owned */
  bench_transport_t **egress; /* owned: n of them */
  int n;
  braid_producer_t *producer;   /* owned by ingress */
  braid_consumer_t **consumers; /* owned by their transports */
  source_t src;
  uint8_t *rx;            /* owned: RX_BATCH * RX_SLOT */
  size_t last_len;        /* length of the last packet fed */
  const uint8_t *last_rx; /* and where */
  uint64_t fed;
} world_t;

/* CPU time of this thread: what a packet costs, even on a busy machine. */
static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A check or a set-up step failed: say what, loudly, and stop. */
__attribute__((format(printf, 1, 2), noreturn)) static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "forward_bench: FAILED: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

/* ---- the fake transport kind ---------------------------------------------------- */

static uint8_t *bt_tx_buf(braid_transport_t *m, size_t *cap) {
  bench_transport_t *t = (bench_transport_t *)m;
  t->cur = t->ring->slots + (size_t)t->ring->head * TX_SLOT;
  *cap = TX_SLOT - BRAID_SRTP_SESSION_TRAILER_MAX;
  return t->cur;
}

/* Protects the packet in place (as webrtc_transport.c does), then "sends"
 * it: the slot is committed and the ring moves on; a full ring wraps where
 * the real one would flush with sendmmsg(). */
static int bt_tx(braid_transport_t *m, size_t len, bool rtcp) {
  bench_transport_t *t = (bench_transport_t *)m;
  if (t->srtp != NULL) {
    int rc = rtcp ? braid_srtp_session_protect_rtcp(t->srtp, t->cur, &len, TX_SLOT)
                  : braid_srtp_session_protect_rtp(t->srtp, t->cur, &len, TX_SLOT);
    if (rc != 0) {
      t->failed++;
      return rc;
    }
  }
  t->ring->head = (t->ring->head + 1) % TX_RING;
  t->last = t->cur;
  t->last_len = len;
  if (rtcp)
    t->rtcp_sent++;
  else
    t->rtp_sent++;
  return 0;
}

static int bt_tx_rtp(braid_transport_t *m, size_t len) { return bt_tx(m, len, false); }
static int bt_tx_rtcp(braid_transport_t *m, size_t len) { return bt_tx(m, len, true); }

static const braid_transport_ops_t bench_ops = {
    .kind = "bench", .tx_buf = bt_tx_buf, .tx_rtp = bt_tx_rtp, .tx_rtcp = bt_tx_rtcp};

static bench_transport_t *bt_new(world_t *w, const char *id, int idx, const bench_opts_t *o,
                                 bool srtp) {
  bench_transport_t *t = braid_xcalloc(1, sizeof *t);
  t->ring = &w->ring;
  if (braid_transport_init(&t->media, &w->md, &bench_ops, braid_str_c(id), BRAID_STR_LIT("r1"),
                           BRAID_STR_LIT("room")) != 0)
    fail("transport_init %s", id);
  if (srtp) {
    size_t kl = braid_srtp_session_key_len(o->suite), sl = braid_srtp_session_salt_len(o->suite);
    for (size_t i = 0; i < sizeof t->master; i++)
      t->master[i] = (uint8_t)(idx * 131 + i * 29 + 7);
    int rc = braid_srtp_session_new(&t->srtp, o->suite, BRAID_SRTP_DIR_OUTBOUND, t->master, kl,
                                    t->master + kl, sl);
    if (rc != 0) fail("srtp_session_new: %s", braid_srtp_session_strerror(rc));
  }
  braid_transport_set_connected(&t->media, true);
  return t;
}

static void bt_free(bench_transport_t *t) {
  braid_transport_cleanup(&t->media);
  braid_srtp_session_free(t->srtp);
  braid_free(t);
}

/* ---- producer and consumers, from the commands the controller sends ---------------- */

static braid_producer_t *make_producer(world_t *w) {
  braid_cmd_producer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = BRAID_STR_LIT("ingress");
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
  int rc = braid_producer_new(&p, &w->ingress->media, &c, &why);
  if (rc != 0) fail("producer_new: %s (%d)", why ? why : "", rc);
  return p;
}

static braid_consumer_t *make_consumer(world_t *w, int i, bool nack) {
  char id[32];
  snprintf(id, sizeof id, "c-%d", i);
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(w->egress[i]->media.id);
  c.consumer_id = braid_str_c(id);
  c.producer_id = BRAID_STR_LIT("p-video");
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
  int rc = braid_consumer_new(&k, &w->egress[i]->media, w->producer, &c, &why);
  if (rc != 0) fail("consumer_new: %s (%d)", why ? why : "", rc);
  return k;
}

/* ---- the publisher's packets ------------------------------------------------------ */

/* Builds the next packet of the stream in buf (whose payload bytes were
 * filled once) and returns its length: 1,100..1,200 bytes. */
static size_t next_packet(source_t *s, uint8_t *p) {
  if (s->frame_left == 0) { /* a new frame */
    s->frame_left = s->key_next ? KEY_FRAME_PACKETS : DELTA_FRAME_PACKETS;
    s->first = true;
    s->ts += 3000; /* 30 frames/s at 90 kHz */
    s->picture_id = (uint16_t)((s->picture_id + 1) & 0x7fff);
  }
  bool marker = --s->frame_left == 0;
  size_t len = 1100 + (size_t)(s->seq * 37u % 101u);
  p[0] = 0x90; /* V=2, X=1 */
  p[1] = (uint8_t)((marker ? 0x80 : 0) | PT_VP8);
  braid_put16(p + 2, s->seq++);
  braid_put32(p + 4, s->ts);
  braid_put32(p + 8, VIDEO_SSRC);
  /* One-byte extensions (RFC 8285): 3 words. */
  p[12] = 0xbe, p[13] = 0xde, p[14] = 0, p[15] = 3;
  uint32_t abs = s->ts * 3u; /* any advancing 24-bit value */
  p[16] = CX_ABS_SEND << 4 | 2, p[17] = (uint8_t)(abs >> 16), p[18] = (uint8_t)(abs >> 8),
  p[19] = (uint8_t)abs;
  p[20] = CX_TWCC << 4 | 1;
  braid_put16(p + 21, s->twcc++);
  p[23] = CX_MID << 4 | 0, p[24] = '1', p[25] = p[26] = p[27] = 0;
  /* VP8 descriptor (RFC 7741 §4.2): X, S on a frame's first packet; I
   * with a 15-bit PictureID. */
  p[28] = s->first ? 0x90 : 0x80;
  p[29] = 0x80;
  p[30] = (uint8_t)(0x80 | s->picture_id >> 8);
  p[31] = (uint8_t)s->picture_id;
  if (s->first) {
    /* Frame tag (RFC 6386 §9.1): P=0 on a key frame, its start code and
     * 1280x720; P=1 on an inter frame. */
    static const uint8_t key[] = {0x10, 0x20, 0x01, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02};
    if (s->key_next)
      memcpy(p + HDR_LEN, key, sizeof key);
    else
      p[HDR_LEN] = 0x11;
    s->key_next = false;
  }
  s->first = false;
  return len;
}

static void feed(world_t *w) {
  uint8_t *buf = w->rx + (size_t)(w->fed % RX_BATCH) * RX_SLOT;
  size_t len = next_packet(&w->src, buf);
  braid_transport_receive_rtp(&w->ingress->media, buf, len);
  w->last_rx = buf;
  w->last_len = len;
  w->fed++;
}

/* ---- worlds ---------------------------------------------------------------------- */

static void world_init(world_t *w, int n, bool srtp, const bench_opts_t *o) {
  memset(w, 0, sizeof *w);
  w->md.producers = braid_map_new();
  w->md.consumers = braid_map_new();
  if (w->md.producers == NULL || w->md.consumers == NULL) fail("out of memory");
  w->ring.slots = aligned_alloc(64, (size_t)TX_RING * TX_SLOT);
  w->rx = aligned_alloc(64, (size_t)RX_BATCH * RX_SLOT);
  if (w->ring.slots == NULL || w->rx == NULL) fail("out of memory");
  memset(w->ring.slots, 0, (size_t)TX_RING * TX_SLOT);
  uint32_t x = 0x9e3779b9u; /* payload bytes: anything but zeros */
  for (size_t i = 0; i < (size_t)RX_BATCH * RX_SLOT; i++) {
    x = x * 1664525u + 1013904223u;
    w->rx[i] = (uint8_t)(x >> 24);
  }
  w->src = (source_t){.seq = 4321, .twcc = 1, .ts = 123456789, .key_next = true};
  w->ingress = bt_new(w, "ingress", 0, o, srtp);
  w->producer = make_producer(w);
  w->n = n;
  w->egress = braid_xcalloc((size_t)n + 1, sizeof *w->egress);
  w->consumers = braid_xcalloc((size_t)n + 1, sizeof *w->consumers);
  for (int i = 0; i < n; i++) {
    char id[32];
    snprintf(id, sizeof id, "egress-%d", i);
    w->egress[i] = bt_new(w, id, i + 1, o, srtp);
    w->consumers[i] = make_consumer(w, i, o->nack);
  }
}

static void world_cleanup(world_t *w) {
  bt_free(w->ingress); /* closes the producer and its consumers */
  for (int i = 0; i < w->n; i++)
    bt_free(w->egress[i]);
  if (braid_map_size(w->md.producers) != 0 || braid_map_size(w->md.consumers) != 0)
    fail("objects left registered after cleanup");
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
  braid_free(w->egress);
  braid_free(w->consumers);
  free(w->ring.slots);
  free(w->rx);
}

/* CPU ns of feeding rx packets. */
static int64_t run(world_t *w, long rx) {
  int64_t t0 = now_ns();
  for (long i = 0; i < rx; i++)
    feed(w);
  return now_ns() - t0;
}

/* Consumer 0's last packet, unprotected with its key (when SRTP is on),
 * must be the last packet fed, rewritten for it. A fresh inbound session
 * takes the rollover counter to be 0, so with SRTP this is checked after
 * the warm-up, before the consumer's sequence numbers first wrap. */
static void check_last_packet(world_t *w, const bench_opts_t *o) {
  bench_transport_t *t = w->egress[0];
  uint8_t buf[TX_SLOT];
  size_t len = t->last_len;
  memcpy(buf, t->last, len);
  if (t->srtp != NULL) {
    size_t kl = braid_srtp_session_key_len(o->suite), sl = braid_srtp_session_salt_len(o->suite);
    braid_srtp_session_t *in = NULL;
    int rc = braid_srtp_session_new(&in, o->suite, BRAID_SRTP_DIR_INBOUND, t->master, kl,
                                    t->master + kl, sl);
    if (rc == 0) rc = braid_srtp_session_unprotect_rtp(in, buf, &len);
    braid_srtp_session_free(in);
    if (rc != 0)
      fail("consumer 0's last packet does not unprotect: %s", braid_srtp_session_strerror(rc));
  }
  braid_rtp_packet_t out, src;
  if (braid_rtp_packet_parse(&out, buf, len) != 0 ||
      braid_rtp_packet_parse(&src, w->last_rx, w->last_len) != 0)
    fail("consumer 0's last packet does not parse");
  if (out.ssrc != CONSUMER_SSRC || out.pt != RPT_VP8)
    fail("consumer 0's last packet: SSRC %08" PRIx32 ", PT %u", out.ssrc, (unsigned)out.pt);
  if (out.payload_len != src.payload_len ||
      memcmp(braid_rtp_packet_payload(&out), braid_rtp_packet_payload(&src), src.payload_len) != 0)
    fail("consumer 0's last payload differs from the one fed");
}

/* Every consumer sent one packet per packet fed, through its transport. */
static void check_counts(world_t *w, const bench_opts_t *o) {
  const braid_transport_media_stats_t *in = &w->ingress->media.stats;
  if (in->rtp_unknown != 0 || in->rtp_malformed != 0)
    fail("ingress dropped packets: %" PRIu64 " unknown, %" PRIu64 " malformed", in->rtp_unknown,
         in->rtp_malformed);
  if (w->producer->rx_packets != w->fed)
    fail("producer forwarded %" PRIu64 " of %" PRIu64 " packets", w->producer->rx_packets, w->fed);
  for (int i = 0; i < w->n; i++) {
    bench_transport_t *t = w->egress[i];
    char who[32];
    snprintf(who, sizeof who, "consumer %d", i);
    if (t->failed != 0) fail("%s: %" PRIu64 " SRTP failures", who, t->failed);
    if (t->rtp_sent != w->fed || t->media.stats.rtp_forwarded != w->fed)
      fail("%s sent %" PRIu64 " RTP packets (transport counted %" PRIu64 "), expected %" PRIu64,
           who, t->rtp_sent, t->media.stats.rtp_forwarded, w->fed);
    if (o->nack && w->consumers[i]->sent == NULL) fail("%s keeps no sent ring for NACKs", who);
  }
  /* One stored copy per packet, whatever the fan-out (STYLE.md rule 16). */
  if (o->nack && w->n > 0) {
    const braid_rtx_buffer_t *store = w->consumers[0]->producer->streams[0].store;
    if (store == NULL || braid_rtx_buffer_stats(store)->stored < w->fed)
      fail("producer store kept %" PRIu64 " packets, expected %" PRIu64,
           store ? braid_rtx_buffer_stats(store)->stored : 0, w->fed);
  }
  if (w->ingress->failed != 0) fail("ingress: %" PRIu64 " SRTCP failures", w->ingress->failed);
  if (w->n > 0 && w->ingress->rtcp_sent == 0)
    fail("no key frame request (PLI) from the ingress transport");
  if (w->n > 0 && w->egress[0]->srtp == NULL) check_last_packet(w, o);
}

/* ---- measuring ------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void print_ns(double ns_rx, int n) {
  if (n > 0)
    printf(" %10.0f %10.0f", ns_rx, ns_rx / n);
  else
    printf(" %10.0f %10s", ns_rx, "-");
}

/* The machine's speed now: CPU ns of one braid_srtp_session_protect_rtp()
 * of a 1,150-byte packet on its own (srtp_bench's measurement, median of 5
 * short runs), printed before and after the table so that a table taken
 * on a slower moment of a shared virtual machine shows it. */
static double protect_ref_ns(const bench_opts_t *o) {
  enum { LEN = 1150, N = 4000 };
  static uint8_t buf[TX_SLOT];
  uint8_t master[BRAID_SRTP_SESSION_MASTER_MAX] = {1, 2, 3};
  size_t kl = braid_srtp_session_key_len(o->suite), sl = braid_srtp_session_salt_len(o->suite);
  braid_srtp_session_t *s = NULL;
  int rc =
      braid_srtp_session_new(&s, o->suite, BRAID_SRTP_DIR_OUTBOUND, master, kl, master + kl, sl);
  if (rc != 0) fail("srtp_session_new: %s", braid_srtp_session_strerror(rc));
  memset(buf, 0x5a, LEN);
  buf[0] = 0x80, buf[1] = PT_VP8;
  double r[5];
  uint16_t seq = 0;
  for (int k = 0; k < 5; k++) {
    int64_t t0 = now_ns();
    for (int i = 0; i < N; i++) {
      size_t len = LEN;
      braid_put16(buf + 2, seq++);
      if ((rc = braid_srtp_session_protect_rtp(s, buf, &len, sizeof buf)) != 0)
        fail("protect: %s", braid_srtp_session_strerror(rc));
    }
    r[k] = (double)(now_ns() - t0) / N;
  }
  braid_srtp_session_free(s);
  return median(r, 5);
}

/* One row: n consumers, with SRTP (when on) and without, runs interleaved. */
static void bench_count(int n, const bench_opts_t *o) {
  long rx = o->packets / (n > 0 ? n : 1);
  if (rx < MIN_RX) rx = MIN_RX;
  world_t ws, wp;
  double srtp_ns[MAX_RUNS], plain_ns[MAX_RUNS];
  if (o->srtp) world_init(&ws, n, true, o);
  world_init(&wp, n, false, o);
  for (long i = 0; i < o->warmup; i++) {
    if (o->srtp) feed(&ws);
    feed(&wp);
  }
  if (n > 0 && o->srtp) check_last_packet(&ws, o);
  if (n > 0) check_last_packet(&wp, o);
  for (int r = 0; r < o->runs; r++) {
    if (o->srtp) srtp_ns[r] = (double)run(&ws, rx) / (double)rx;
    plain_ns[r] = (double)run(&wp, rx) / (double)rx;
  }
  if (o->srtp) check_counts(&ws, o);
  check_counts(&wp, o);

  double plain = median(plain_ns, o->runs);
  printf("%9d %9ld", n, rx);
  if (o->srtp) {
    double srtp = median(srtp_ns, o->runs);
    print_ns(srtp, n);
    print_ns(plain, n);
    printf(" %9.0f%% %11.0f\n", 100.0 * (srtp - plain) / srtp,
           n > 0 ? 1e9 / (srtp / n) : 1e9 / srtp);
    world_cleanup(&ws);
  } else {
    print_ns(plain, n);
    printf(" %11.0f\n", n > 0 ? 1e9 / (plain / n) : 1e9 / plain);
  }
  world_cleanup(&wp);
  fflush(stdout);
}

/* ---- options ----------------------------------------------------------------------- */

static void usage(void) {
  fprintf(stderr, "usage: forward_bench [--consumers A,B,...] [--suite NAME] [--no-srtp] "
                  "[--no-nack] [--runs N] [--packets N] [--quick]\n");
  exit(2);
}

static long parse_num(const char *flag, const char *s, long lo, long hi) {
  char *end = NULL;
  long v = s != NULL ? strtol(s, &end, 10) : 0;
  if (s == NULL || *s == '\0' || *end != '\0' || v < lo || v > hi) {
    fprintf(stderr, "forward_bench: %s takes a number in %ld..%ld\n", flag, lo, hi);
    exit(2);
  }
  return v;
}

static void parse_counts(bench_opts_t *o, const char *s) {
  char tmp[256];
  if (s == NULL || strlen(s) >= sizeof tmp) usage();
  memcpy(tmp, s, strlen(s) + 1);
  o->ncounts = 0;
  for (char *tok = tmp, *next; tok != NULL; tok = next) {
    next = strchr(tok, ',');
    if (next != NULL) *next++ = '\0';
    if (o->ncounts == MAX_COUNTS) usage();
    o->counts[o->ncounts++] = (int)parse_num("--consumers", tok, 0, MAX_CONSUMERS);
  }
}

static void parse_opts(bench_opts_t *o, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--consumers") == 0 && v) {
      parse_counts(o, v), i++;
    } else if (strcmp(a, "--suite") == 0 && v) {
      if (braid_srtp_session_suite_parse(braid_str_c(v), &o->suite) != 0) {
        fprintf(stderr, "forward_bench: unknown suite %s\n", v);
        exit(2);
      }
      i++;
    } else if (strcmp(a, "--runs") == 0 && v) {
      o->runs = (int)parse_num(a, v, 1, MAX_RUNS), i++;
    } else if (strcmp(a, "--packets") == 0 && v) {
      o->packets = parse_num(a, v, 1, 1000000000), i++;
    } else if (strcmp(a, "--no-srtp") == 0) {
      o->srtp = false;
    } else if (strcmp(a, "--no-nack") == 0) {
      o->nack = false;
    } else if (strcmp(a, "--quick") == 0) {
      o->runs = 1;
      o->packets = 2000;
      o->warmup = 64;
    } else {
      usage();
    }
  }
}

int main(int argc, char **argv) {
  bench_opts_t o = {.counts = {1, 10, 100},
                    .ncounts = 3,
                    .suite = BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
                    .srtp = true,
                    .nack = true,
                    .runs = 7,
                    .packets = 200000,
                    .warmup = WARMUP};
  parse_opts(&o, argc, argv);
  int rc = braid_srtp_session_global_init();
  if (rc < 0) fail("srtp init: %s", braid_srtp_session_strerror(rc));

  printf("forward_bench: 1 VP8 producer -> N consumers, 1,100-1,200-byte packets%s; %s\n",
         o.nack ? ", NACK (RTX buffer) on" : ", no NACK",
         o.srtp ? braid_srtp_session_suite_name(o.suite) : "no SRTP");
  printf("%s, backend %s; CPU time, median of %d runs of ~%ld forwarded packets\n",
         braid_srtp_session_lib_version(), braid_srtp_backend(), o.runs, o.packets);
#ifdef BENCH_SANITIZED
  printf("WARNING: built with sanitizers: these numbers are not representative\n");
#endif
  if (o.warmup < WARMUP)
    printf(
        "--quick: a smoke test; first-touch page faults of the RTX buffers are in the numbers\n");
  if (o.srtp)
    printf("%9s %9s %10s %10s %10s %10s %10s %11s\n", "consumers", "rx/run", "ns/rx", "ns/fwd",
           "plain/rx", "plain/fwd", "SRTP share", "fwd pkt/s");
  else
    printf("%9s %9s %10s %10s %11s\n", "consumers", "rx/run", "ns/rx", "ns/fwd", "fwd pkt/s");
  double ref0 = protect_ref_ns(&o);
  for (int i = 0; i < o.ncounts; i++)
    bench_count(o.counts[i], &o);
  printf("reference, %s protect of one 1,150-byte packet alone: %.0f ns before, %.0f after\n",
         braid_srtp_session_suite_name(o.suite), ref0, protect_ref_ns(&o));
  return 0;
}
