/*
 * pipe_bench: what a pipe (a producer piped from one media daemon to
 * another, pipe_consumer.h) costs on the media path, per received video
 * packet, next to what the same packet costs without one.
 *
 *   pipe_bench [--sections origin,far,nack] [--consumers A,B,...] [--suite NAME]
 *              [--runs N] [--packets N] [--quick] [--callgrind]
 *
 * The world is forward_bench's (fwd_kit.h): fake transports that build
 * each packet in a send ring, protect it with a real SRTP session and drop
 * it; Chrome's VP8 stream fed as plaintext; producers and consumers made
 * from the controller's command structs. Pipe transports are fakes too
 * (plain_transport.c's way out is the same: slot, protect, commit), always
 * with AEAD_AES_256_GCM when SRTP is on, as the controller makes them; the
 * pipe consumer and the piped producer are made as controller/room/
 * pipe_cmd.c makes them (type "pipe", router payload types, the producer's
 * mapped SSRC, no RTX, the pipe's extension ids without MID, abs-send-time
 * and transport-cc; on the far side producer.create with the same id and
 * SSRC = mapped SSRC).
 *
 * Sections (each with SRTP and without, worlds interleaved run by run):
 *   origin  Chrome's producer -> one ordinary consumer, against -> one pipe
 *           consumer (every packet forwarded unchanged under the mapped
 *           SSRC, then protected): what the origin daemon pays per pipe;
 *           and the receiving half alone (no consumer), which both share.
 *   far     for each N of --consumers: "direct" Chrome's producer -> N
 *           consumers (forward_bench's row); "piped" the pipe's packets
 *           (mapped SSRC, router PT, no extensions) -> the piped producer
 *           -> N consumers: what the far daemon pays; "hop" the whole way:
 *           Chrome's producer -> pipe consumer -> protect -> unprotect on
 *           the far daemon (its pipe transport's inbound session) -> piped
 *           producer -> N consumers on the far daemon, i.e. two daemons in
 *           one thread. hop - direct is what the pipe adds in all.
 *   nack    a NACK (plaintext RTCP, built before the timing; its SRTCP
 *           unprotect is not included) answered by one consumer from the
 *           producer's store: an ordinary consumer (RTX) against a pipe
 *           consumer (the packet itself, under the mapped SSRC), with 1
 *           and 17 sequence numbers per NACK, each packet NACKed once.
 *
 * Timing: forward_bench's. After a warm-up (the key frame and 1,200
 * packets), each run feeds --packets / N received packets (at least
 * MIN_RX) between two reads of the thread's CPU clock; a cell is the
 * median run; a protect of one 1,150-byte packet alone is timed before
 * and after the tables. NACK runs time only the RTCP handling: blocks of
 * NACK_BLOCK packets are fed untimed, then each of them is NACKed, timed.
 * With --callgrind (under valgrind --tool=callgrind --collect-atstart=no,
 * as bench/pipe_callgrind.sh runs it), each world does its warm-up and one
 * run; callgrind collects only the timed part and dumps it under a label
 * naming the world and how many packets (received, or resent) it handled.
 *
 * Checks (exit status 1 on failure): every consumer sent one packet per
 * packet fed, and the pipe consumer too; the pipe's packet unprotects and
 * carries the packet fed (mapped SSRC, router PT, same sequence number,
 * timestamp and payload, no extensions); consumer 0's last packet carries
 * the payload fed; every NACKed packet was resent once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/fwd_kit.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/rtc/pipe_consumer.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtp_packet.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BENCH_HAVE_CALLGRIND 1
#endif
#endif
#ifndef BENCH_HAVE_CALLGRIND
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(label) ((void)(label))
#endif

enum {
  MAX_RUNS = 99,
  MAX_COUNTS = 16,
  MAX_CONSUMERS = 1000,
  WARMUP = 1200, /* > 1 MiB of packets: the store and the rings wrapped */
  MIN_RX = 1000,
  NACK_BLOCK = 272, /* 16 NACKs of 17, or 272 of 1 */
  /* Packets a NACK world may be fed: a pipe consumer's resend record of a
   * sequence number lasts 3 s, and the bench must not come back to one
   * within that time (65,536 packets later). */
  NACK_LIFETIME = 60000,
};

/* The pipe's extension ids (the router's: dependency descriptor,
 * video orientation, toffset, abs-capture-time, playout-delay). */
static const braid_rtp_ext_ids_t pipe_ext = {
    .dd = 7, .video_orientation = 8, .toffset = 9, .abs_capture_time = 10, .playout_delay = 11};

typedef enum shape {
  SHAPE_DIRECT, /* Chrome's producer -> n ordinary consumers */
  SHAPE_PIPE,   /* Chrome's producer -> one pipe consumer */
  SHAPE_PIPED,  /* the pipe's packets -> the piped producer -> n consumers */
  SHAPE_HOP,    /* Chrome's producer -> pipe -> piped producer -> n consumers */
} shape_t;

static const char *const shape_name[] = {"direct", "pipe", "piped", "hop"};

typedef struct bench_opts {
  bool origin, far, nack;
  int counts[MAX_COUNTS];
  int ncounts;
  braid_srtp_suite_t suite; /* the consumers'; a pipe's is AEAD_AES_256_GCM */
  int runs;
  long packets;
  long warmup;
  bool callgrind;
} bench_opts_t;

/* One media daemon: its objects and its send ring. */
typedef struct daemon {
  braid_mediad_t md;
  tx_ring_t ring;
} daemon_t;

typedef struct world {
  shape_t shape;
  int n;
  bool srtp;
  daemon_t d0, d1;               /* d0 is fed; d1 is the far daemon of a hop */
  bench_transport_t *ingress;    /* owned: where packets are fed (Chrome's, or the far pipe's) */
  bench_transport_t *pipe_out;   /* owned: the origin's pipe transport (pipe, hop) */
  bench_transport_t *pipe_in;    /* owned: the far daemon's pipe transport (hop) */
  braid_srtp_session_t *pipe_rx; /* owned: its inbound session (hop with SRTP) */
  bench_transport_t **egress;    /* owned: n, on the daemon of the consumed producer */
  braid_producer_t *producer;    /* owned by ingress: the producer fed */
  braid_producer_t *piped;       /* owned by pipe_in (hop) */
  braid_consumer_t *pipe;        /* owned by pipe_out (pipe, hop) */
  braid_consumer_t **consumers;
  source_t src;
  uint8_t *rx; /* owned: RX_BATCH * RX_SLOT */
  const uint8_t *last_rx;
  size_t last_len;
  uint64_t fed, hop_failed;
  uint16_t out_delta; /* consumer 0's sequence number minus the packet's (nack) */
} world_t;

/* ---- the pipe's two ends -------------------------------------------------- */

/* consumer.create of type "pipe" (pipe_cmd.c): no SSRC of its own, no RTX. */
static braid_consumer_t *pipe_consumer(bench_transport_t *t, braid_producer_t *p) {
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(t->media.id);
  c.consumer_id = BRAID_STR_LIT("pipe-0");
  c.producer_id = braid_str_c(p->id);
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("pipe");
  c.mid = BRAID_STR_LIT("");
  c.cname = BRAID_STR_LIT("publisher");
  c.fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR;
  c.ext = pipe_ext;
  c.ncodecs = 1;
  c.codecs[0] = (braid_consumer_codec_t){RPT_VP8, 0, BRAID_STR_LIT("video/VP8"), 90000};
  braid_consumer_t *k = NULL;
  const char *why = NULL;
  int rc = braid_consumer_new(&k, &t->media, p, &c, &why);
  if (rc != 0 || k->pipe == NULL) bench_fail("pipe consumer: %s (%d)", why ? why : "", rc);
  return k;
}

/* producer.create on the far daemon (pipe_cmd.c): the same id, router
 * payload types both ways, SSRC = mapped SSRC, no MID, no RTX. */
static braid_producer_t *piped_producer(bench_transport_t *t) {
  braid_cmd_producer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(t->media.id);
  c.producer_id = BRAID_STR_LIT("p-video");
  c.kind = BRAID_STR_LIT("video");
  c.type = BRAID_STR_LIT("simple");
  c.mid = BRAID_STR_LIT("");
  c.cname = BRAID_STR_LIT("publisher");
  c.fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR;
  c.ext = pipe_ext;
  c.ncodecs = 1;
  c.codecs[0] = (braid_producer_codec_t){RPT_VP8, RPT_VP8, BRAID_STR_LIT("video/VP8"), 90000, 0};
  c.nencodings = 1;
  c.encodings[0] = (braid_producer_encoding_t){
      .ssrc = MAPPED_SSRC, .mapped_ssrc = MAPPED_SSRC, .spatial_layers = 1, .temporal_layers = 1};
  braid_producer_t *p = NULL;
  const char *why = NULL;
  int rc = braid_producer_new(&p, &t->media, &c, &why);
  if (rc != 0) bench_fail("piped producer: %s (%d)", why ? why : "", rc);
  return p;
}

/* The wire between the daemons of a hop: what the origin's pipe transport
 * sent reaches the far one's, unprotected in place as plain_transport.c
 * does. The far side's RTCP (key frame requests) goes nowhere. */
static void hop_deliver(bench_transport_t *t, uint8_t *pkt, size_t len, bool rtcp, void *ud) {
  world_t *w = ud;
  if (rtcp) return;
  if (w->pipe_rx != NULL && braid_srtp_session_unprotect_rtp(w->pipe_rx, pkt, &len) != 0) {
    w->hop_failed++;
    return;
  }
  t->last_len = len; /* for check_last() */
  braid_transport_receive_rtp(&w->pipe_in->media, pkt, len);
}

/* ---- worlds ---------------------------------------------------------------- */

static void daemon_init(daemon_t *d) {
  memset(d, 0, sizeof *d);
  d->md.producers = braid_map_new();
  d->md.consumers = braid_map_new();
  if (d->md.producers == NULL || d->md.consumers == NULL) bench_fail("out of memory");
  bench_ring_init(&d->ring);
}

static void daemon_cleanup(daemon_t *d) {
  if (d->md.producers == NULL) return;
  if (braid_map_size(d->md.producers) != 0 || braid_map_size(d->md.consumers) != 0)
    bench_fail("objects left registered after cleanup");
  braid_map_free(d->md.producers);
  braid_map_free(d->md.consumers);
  bench_ring_cleanup(&d->ring);
}

static void world_init(world_t *w, shape_t shape, int n, bool srtp, const bench_opts_t *o) {
  const braid_srtp_suite_t gcm = BRAID_SRTP_SUITE_AEAD_AES_256_GCM;
  memset(w, 0, sizeof *w);
  w->shape = shape;
  w->n = shape == SHAPE_PIPE ? 0 : n;
  w->srtp = srtp;
  daemon_init(&w->d0);
  w->rx = bench_rx_new();
  bench_source_init(&w->src, shape == SHAPE_PIPED);
  braid_producer_t *consumed;
  daemon_t *far = &w->d0;
  if (shape == SHAPE_PIPED) { /* the far daemon alone: fed by its pipe transport */
    w->ingress = bench_transport_new(&w->d0.md, &w->d0.ring, "pipe-in", 900, gcm, srtp);
    w->producer = consumed = piped_producer(w->ingress);
  } else {
    w->ingress = bench_transport_new(&w->d0.md, &w->d0.ring, "ingress", 0, o->suite, srtp);
    w->producer = consumed = bench_chrome_producer(w->ingress);
  }
  if (shape == SHAPE_PIPE || shape == SHAPE_HOP) {
    w->pipe_out = bench_transport_new(&w->d0.md, &w->d0.ring, "pipe-out", 901, gcm, srtp);
    w->pipe = pipe_consumer(w->pipe_out, w->producer);
  }
  if (shape == SHAPE_HOP) {
    daemon_init(&w->d1);
    far = &w->d1;
    w->pipe_in = bench_transport_new(&w->d1.md, &w->d1.ring, "pipe-in", 902, gcm, srtp);
    w->piped = consumed = piped_producer(w->pipe_in);
    if (srtp) w->pipe_rx = bench_transport_peer_session(w->pipe_out);
    w->pipe_out->deliver = hop_deliver;
    w->pipe_out->deliver_ud = w;
  }
  w->egress = braid_xcalloc((size_t)w->n + 1, sizeof *w->egress);
  w->consumers = braid_xcalloc((size_t)w->n + 1, sizeof *w->consumers);
  for (int i = 0; i < w->n; i++) {
    char id[32];
    snprintf(id, sizeof id, "egress-%d", i);
    w->egress[i] = bench_transport_new(&far->md, &far->ring, id, i + 1, o->suite, srtp);
    w->consumers[i] = bench_consumer(w->egress[i], consumed, i, true);
  }
}

static void world_cleanup(world_t *w) {
  bench_transport_free(w->ingress); /* closes the producer and its consumers */
  if (w->pipe_out != NULL) bench_transport_free(w->pipe_out);
  if (w->pipe_in != NULL) bench_transport_free(w->pipe_in);
  for (int i = 0; i < w->n; i++)
    bench_transport_free(w->egress[i]);
  braid_srtp_session_free(w->pipe_rx);
  daemon_cleanup(&w->d0);
  daemon_cleanup(&w->d1);
  braid_free(w->egress);
  braid_free(w->consumers);
  free(w->rx);
}

static void feed(world_t *w) {
  uint8_t *buf = w->rx + (size_t)(w->fed % RX_BATCH) * RX_SLOT;
  size_t len = bench_source_next(&w->src, buf);
  braid_transport_receive_rtp(&w->ingress->media, buf, len);
  w->last_rx = buf;
  w->last_len = len;
  w->fed++;
}

/* CPU ns of feeding rx packets (the only part callgrind collects). */
static int64_t timed_feed(world_t *w, long rx, bool cg) {
  if (cg) CALLGRIND_TOGGLE_COLLECT;
  int64_t t0 = bench_now_ns();
  for (long i = 0; i < rx; i++)
    feed(w);
  int64_t dt = bench_now_ns() - t0;
  if (cg) CALLGRIND_TOGGLE_COLLECT;
  return dt;
}

/* ---- checks ------------------------------------------------------------------ */

/* The last packet t sent, unprotected with a fresh inbound session of its
 * key (before its sequence numbers first wrap: the session takes the
 * rollover counter to be 0), parsed into *out, its bytes in buf. A hop's
 * pipe packet was unprotected in place already (hop_deliver()). */
static void last_sent(const bench_transport_t *t, bool clear, uint8_t *buf, braid_rtp_packet_t *out,
                      const char *who) {
  size_t len = t->last_len;
  if (t->last == NULL) bench_fail("%s sent nothing", who);
  memcpy(buf, t->last, len);
  if (t->srtp != NULL && !clear) {
    braid_srtp_session_t *in = bench_transport_peer_session(t);
    int rc = braid_srtp_session_unprotect_rtp(in, buf, &len);
    braid_srtp_session_free(in);
    if (rc != 0)
      bench_fail("%s's last packet does not unprotect: %s", who, braid_srtp_session_strerror(rc));
  }
  if (braid_rtp_packet_parse(out, buf, len) != 0)
    bench_fail("%s's last packet does not parse", who);
}

static void check_payload(const world_t *w, const braid_rtp_packet_t *out, const char *who) {
  braid_rtp_packet_t src;
  if (braid_rtp_packet_parse(&src, w->last_rx, w->last_len) != 0) bench_fail("fed packet?");
  if (out->payload_len != src.payload_len ||
      memcmp(braid_rtp_packet_payload(out), braid_rtp_packet_payload(&src), src.payload_len) != 0)
    bench_fail("%s's last payload differs from the one fed", who);
  if (w->pipe != NULL && out->ssrc == MAPPED_SSRC && (out->seq != src.seq || out->ts != src.ts))
    bench_fail("%s: seq %u ts %" PRIu32 ", fed %u %" PRIu32, who, out->seq, out->ts, src.seq,
               src.ts);
}

/* After the warm-up: what the pipe and consumer 0 sent last is the packet
 * fed last, in their form. */
static void check_last(world_t *w) {
  uint8_t buf[TX_SLOT];
  braid_rtp_packet_t out;
  if (w->pipe != NULL) {
    last_sent(w->pipe_out, w->shape == SHAPE_HOP, buf, &out, "the pipe");
    if (out.ssrc != MAPPED_SSRC || out.pt != RPT_VP8 || out.ext_len != 0)
      bench_fail("the pipe's packet: SSRC %08" PRIx32 ", PT %u, %zu extension bytes", out.ssrc,
                 (unsigned)out.pt, out.ext_len);
    check_payload(w, &out, "the pipe");
  }
  if (w->n > 0) {
    last_sent(w->egress[0], false, buf, &out, "consumer 0");
    if (out.ssrc != CONSUMER_SSRC || out.pt != RPT_VP8)
      bench_fail("consumer 0's packet: SSRC %08" PRIx32 ", PT %u", out.ssrc, (unsigned)out.pt);
    check_payload(w, &out, "consumer 0");
    w->out_delta = (uint16_t)(out.seq - braid_get16(w->last_rx + 2));
  }
}

static void check_counts(const world_t *w) {
  const bench_transport_t *in = w->ingress;
  if (in->media.stats.rtp_unknown != 0 || in->media.stats.rtp_malformed != 0 || in->failed != 0)
    bench_fail("%s: the ingress dropped packets", shape_name[w->shape]);
  if (w->producer->rx_packets != w->fed || (w->piped && w->piped->rx_packets != w->fed))
    bench_fail("%s: producer forwarded %" PRIu64 " of %" PRIu64, shape_name[w->shape],
               w->producer->rx_packets, w->fed);
  if (w->pipe != NULL &&
      (w->pipe_out->rtp_sent < w->fed || w->pipe->pipe->streams[0].send.packets != w->fed ||
       w->pipe_out->failed != 0 || w->hop_failed != 0))
    bench_fail("the pipe sent %" PRIu64 " packets (%" PRIu64 " failed), expected %" PRIu64,
               w->pipe_out->rtp_sent, w->pipe_out->failed + w->hop_failed, w->fed);
  for (int i = 0; i < w->n; i++) {
    const bench_transport_t *t = w->egress[i];
    uint64_t want = w->fed + (i == 0 ? w->consumers[0]->resent : 0);
    if (t->failed != 0 || t->rtp_sent < want || t->media.stats.rtp_forwarded != want)
      bench_fail("%s: consumer %d sent %" PRIu64 " RTP packets, expected %" PRIu64,
                 shape_name[w->shape], i, t->rtp_sent, w->fed);
  }
}

/* ---- origin and far ------------------------------------------------------------- */

typedef struct cell {
  world_t w;
  double ns[MAX_RUNS];
} cell_t;

/* "<section> <world> n=<ordinary consumers> <srtp|plain> units=<packets>";
 * outside "far", a direct world is named by its one consumer, or none. */
static void label(char *buf, size_t cap, const char *section, const world_t *w, long units) {
  const char *name = shape_name[w->shape];
  if (w->shape == SHAPE_DIRECT && strcmp(section, "far") != 0)
    name = w->n > 0 ? "ordinary" : "none";
  snprintf(buf, cap, "%s %s n=%d %s units=%ld", section, name, w->n, w->srtp ? "srtp" : "plain",
           units);
}

/* Runs cells[0..k) interleaved, run by run; each cell's median in ns[0]. */
static void measure(cell_t *cells, int k, long rx, const char *section, const bench_opts_t *o) {
  for (int c = 0; c < k; c++) {
    for (long i = 0; i < o->warmup; i++)
      feed(&cells[c].w);
    check_last(&cells[c].w);
  }
  for (int r = 0; r < o->runs; r++) {
    for (int c = 0; c < k; c++) {
      cells[c].ns[r] = (double)timed_feed(&cells[c].w, rx, o->callgrind) / (double)rx;
      if (o->callgrind) {
        char l[128];
        label(l, sizeof l, section, &cells[c].w, rx);
        CALLGRIND_DUMP_STATS_AT(l);
      }
    }
  }
  for (int c = 0; c < k; c++) {
    check_counts(&cells[c].w);
    cells[c].ns[0] = bench_median(cells[c].ns, o->runs);
    world_cleanup(&cells[c].w);
  }
}

static void section_origin(const bench_opts_t *o) {
  static cell_t cells[5];
  long rx = o->packets < MIN_RX ? MIN_RX : o->packets;
  for (int i = 0; i < 4; i++)
    world_init(&cells[i].w, i / 2 ? SHAPE_PIPE : SHAPE_DIRECT, 1, i % 2 == 0, o);
  world_init(&cells[4].w, SHAPE_DIRECT, 0, false, o); /* the receiving half alone */
  measure(cells, 5, rx, "origin", o);
  double none = cells[4].ns[0];
  printf("\norigin: Chrome's VP8 producer -> one consumer; CPU ns per received packet, "
         "%ld per run;\n\"own\": what the consumer adds to the receiving half alone\n",
         rx);
  printf("%-20s %8s %8s %10s %10s %10s\n", "consumer", "SRTP", "plain", "SRTP share", "own, SRTP",
         "own, plain");
  printf("%-20s %8s %8.0f\n", "none (receive only)", "", none);
  const char *names[2] = {"ordinary (simple)", "pipe"};
  for (int i = 0; i < 2; i++) {
    double s = cells[2 * i].ns[0], p = cells[2 * i + 1].ns[0];
    printf("%-20s %8.0f %8.0f %9.0f%% %10.0f %10.0f\n", names[i], s, p, 100.0 * (s - p) / s,
           s - none, p - none);
  }
  printf("%-20s %8.0f %8.0f\n", "pipe - ordinary", cells[2].ns[0] - cells[0].ns[0],
         cells[3].ns[0] - cells[1].ns[0]);
  fflush(stdout);
}

static void section_far(const bench_opts_t *o) {
  static cell_t cells[6];
  static const shape_t shapes[3] = {SHAPE_DIRECT, SHAPE_PIPED, SHAPE_HOP};
  printf("\nfar: N consumers of Chrome's producer (direct), of the piped producer fed the "
         "pipe's packets (piped),\nand both daemons of a pipe (hop: direct's work + the pipe "
         "consumer + its unprotect + piped's work);\nCPU ns per received packet\n");
  printf("%9s %9s %8s %8s %8s %8s %8s | %8s %8s %8s %8s\n", "consumers", "rx/run", "direct",
         "piped", "hop", "hop-dir", "hop/fwd", "pl:dir", "pl:piped", "pl:hop", "pl:h-d");
  for (int k = 0; k < o->ncounts; k++) {
    int n = o->counts[k];
    long rx = o->packets / n < MIN_RX ? MIN_RX : o->packets / n;
    for (int i = 0; i < 6; i++)
      world_init(&cells[i].w, shapes[i / 2], n, i % 2 == 0, o);
    measure(cells, 6, rx, "far", o);
    double d = cells[0].ns[0], p = cells[2].ns[0], h = cells[4].ns[0];
    double pd = cells[1].ns[0], pp = cells[3].ns[0], ph = cells[5].ns[0];
    printf("%9d %9ld %8.0f %8.0f %8.0f %8.0f %8.0f | %8.0f %8.0f %8.0f %8.0f\n", n, rx, d, p, h,
           h - d, h / n, pd, pp, ph, ph - pd);
    fflush(stdout);
  }
}

/* ---- nack ------------------------------------------------------------------------ */

typedef struct nack_cell {
  world_t w;
  double ns[MAX_RUNS];
  uint8_t pkts[NACK_BLOCK][64]; /* the NACKs of one block */
  size_t lens[NACK_BLOCK];
} nack_cell_t;

/* The packets a consumer resent so far. */
static uint64_t resent(const world_t *w) {
  return w->pipe != NULL ? w->pipe->pipe->streams[0].resent : w->consumers[0]->resent;
}

/* The NACKs of the block just fed, seqs sequence numbers each: the
 * pipe's name the packets' own sequence numbers and the mapped SSRC, the
 * ordinary consumer's its own. (Not an older block: under valgrind the
 * other worlds' runs take seconds, and the store keeps 2 s.) Returns how
 * many. */
static size_t build_nacks(nack_cell_t *c, int seqs) {
  world_t *w = &c->w;
  uint16_t first = (uint16_t)(braid_get16(w->last_rx + 2) - NACK_BLOCK + 1);
  braid_rtcp_fb_t fb = {.sender_ssrc = 0x0badcafe,
                        .media_ssrc = w->pipe != NULL ? MAPPED_SSRC : CONSUMER_SSRC};
  if (w->pipe == NULL) first = (uint16_t)(first + w->out_delta);
  size_t k = 0;
  for (int i = 0; i < NACK_BLOCK; i += seqs, k++) {
    uint16_t list[17];
    for (int j = 0; j < seqs; j++)
      list[j] = (uint16_t)(first + i + j);
    ssize_t len = braid_rtcp_nack_write(c->pkts[k], sizeof c->pkts[k], &fb, list, (size_t)seqs);
    if (len <= 0) bench_fail("nack_write: %zd", len);
    c->lens[k] = (size_t)len;
  }
  return k;
}

/* One run: blocks of NACK_BLOCK packets fed, each followed by NACKs of
 * all its packets (timed). Returns CPU ns per resent packet. */
static double nack_run(nack_cell_t *c, int seqs, int blocks, bool cg) {
  world_t *w = &c->w;
  int64_t ns = 0;
  for (int b = 0; b < blocks; b++) {
    for (int i = 0; i < NACK_BLOCK; i++)
      feed(w);
    size_t k = build_nacks(c, seqs);
    uint64_t before = resent(w);
    braid_transport_t *t = w->pipe != NULL ? &w->pipe_out->media : &w->egress[0]->media;
    if (cg) CALLGRIND_TOGGLE_COLLECT;
    int64_t t0 = bench_now_ns();
    for (size_t i = 0; i < k; i++)
      braid_transport_receive_rtcp(t, c->pkts[i], c->lens[i]);
    ns += bench_now_ns() - t0;
    if (cg) CALLGRIND_TOGGLE_COLLECT;
    if (resent(w) - before != NACK_BLOCK)
      bench_fail("%s consumer resent %" PRIu64 " of %d NACKed packets",
                 w->pipe != NULL ? "the pipe" : "the ordinary", resent(w) - before, NACK_BLOCK);
  }
  return (double)ns / ((double)blocks * NACK_BLOCK);
}

static void section_nack(const bench_opts_t *o) {
  static nack_cell_t cells[4];
  static const int seqs_per_nack[2] = {1, 17};
  /* Each world NACKs every packet at most once (see NACK_LIFETIME). */
  int blocks = (int)((NACK_LIFETIME - o->warmup) / ((long)NACK_BLOCK * o->runs));
  if (blocks > o->packets / NACK_BLOCK) blocks = (int)(o->packets / NACK_BLOCK);
  if (blocks < 1) blocks = 1;
  printf("\nnack: one consumer of Chrome's producer answers NACKs from the producer's store; "
         "CPU ns per resent packet,\n%d per run (the NACKs' SRTCP unprotect not included)\n",
         blocks * NACK_BLOCK);
  printf("%9s %12s %12s %12s %12s\n", "seqs/NACK", "ordinary", "pipe", "pl:ordinary", "pl:pipe");
  for (int s = 0; s < 2; s++) {
    int seqs = seqs_per_nack[s];
    for (int i = 0; i < 4; i++) {
      world_init(&cells[i].w, i / 2 ? SHAPE_PIPE : SHAPE_DIRECT, 1, i % 2 == 0, o);
      for (long p = 0; p < o->warmup; p++)
        feed(&cells[i].w);
      check_last(&cells[i].w);
    }
    for (int r = 0; r < o->runs; r++) {
      for (int i = 0; i < 4; i++) {
        cells[i].ns[r] = nack_run(&cells[i], seqs, blocks, o->callgrind);
        if (o->callgrind) {
          char l[128], sect[16];
          snprintf(sect, sizeof sect, "nack%d", seqs);
          label(l, sizeof l, sect, &cells[i].w, (long)blocks * NACK_BLOCK);
          CALLGRIND_DUMP_STATS_AT(l);
        }
      }
    }
    printf("%9d", seqs);
    for (int i = 0; i < 4; i++) {
      int j = i % 2 * 2 + i / 2; /* ordinary, pipe with SRTP; then without */
      check_counts(&cells[j].w);
      printf(" %12.0f", bench_median(cells[j].ns, o->runs));
    }
    printf("\n");
    for (int i = 0; i < 4; i++)
      world_cleanup(&cells[i].w);
    fflush(stdout);
  }
}

/* ---- options ------------------------------------------------------------------- */

static void usage(void) {
  fprintf(stderr, "usage: pipe_bench [--sections origin,far,nack] [--consumers A,B,...] "
                  "[--suite NAME] [--runs N] [--packets N] [--quick] [--callgrind]\n");
  exit(2);
}

/* Splits a comma-separated list into tmp and calls f on each item. */
static void parse_list(const char *s, void (*f)(bench_opts_t *, const char *), bench_opts_t *o) {
  char tmp[256];
  if (s == NULL || strlen(s) >= sizeof tmp) usage();
  memcpy(tmp, s, strlen(s) + 1);
  for (char *tok = tmp, *next; tok != NULL; tok = next) {
    next = strchr(tok, ',');
    if (next != NULL) *next++ = '\0';
    f(o, tok);
  }
}

static void add_count(bench_opts_t *o, const char *tok) {
  if (o->ncounts == MAX_COUNTS) usage();
  o->counts[o->ncounts++] = (int)bench_parse_num("--consumers", tok, 1, MAX_CONSUMERS);
}

static void add_section(bench_opts_t *o, const char *tok) {
  if (strcmp(tok, "origin") == 0)
    o->origin = true;
  else if (strcmp(tok, "far") == 0)
    o->far = true;
  else if (strcmp(tok, "nack") == 0)
    o->nack = true;
  else
    usage();
}

static void parse_opts(bench_opts_t *o, int argc, char **argv) {
  bool packets_given = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--sections") == 0 && v) {
      o->origin = o->far = o->nack = false;
      parse_list(v, add_section, o), i++;
    } else if (strcmp(a, "--consumers") == 0 && v) {
      o->ncounts = 0;
      parse_list(v, add_count, o), i++;
    } else if (strcmp(a, "--suite") == 0 && v) {
      if (braid_srtp_session_suite_parse(braid_str_c(v), &o->suite) != 0) {
        fprintf(stderr, "pipe_bench: unknown suite %s\n", v);
        exit(2);
      }
      i++;
    } else if (strcmp(a, "--runs") == 0 && v) {
      o->runs = (int)bench_parse_num(a, v, 1, MAX_RUNS), i++;
    } else if (strcmp(a, "--packets") == 0 && v) {
      o->packets = bench_parse_num(a, v, 1, 1000000000), i++;
      packets_given = true;
    } else if (strcmp(a, "--quick") == 0) {
      o->runs = 1;
      o->packets = 2000;
      o->warmup = 64;
    } else if (strcmp(a, "--callgrind") == 0) {
      o->callgrind = true;
    } else {
      usage();
    }
  }
  if (o->callgrind) {
#ifndef BENCH_HAVE_CALLGRIND
    fprintf(stderr, "pipe_bench: built without <valgrind/callgrind.h>: no --callgrind\n");
    exit(2);
#endif
    o->runs = 1; /* instruction counts do not vary */
    if (!packets_given) o->packets = 20000;
  }
}

/* A protect alone, as the control line (and, under callgrind, its count). */
static double protect_ref(const bench_opts_t *o) {
  if (o->callgrind) CALLGRIND_TOGGLE_COLLECT;
  double ns = bench_protect_ref_ns(BRAID_SRTP_SUITE_AEAD_AES_256_GCM);
  if (o->callgrind) {
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT("protect alone n=0 srtp units=20000");
  }
  return ns;
}

int main(int argc, char **argv) {
  bench_opts_t o = {.origin = true,
                    .far = true,
                    .nack = true,
                    .counts = {1, 10, 100},
                    .ncounts = 3,
                    .suite = BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
                    .runs = 7,
                    .packets = 200000,
                    .warmup = WARMUP};
  bench_name = "pipe_bench";
  parse_opts(&o, argc, argv);
  int rc = braid_srtp_session_global_init();
  if (rc < 0) bench_fail("srtp init: %s", braid_srtp_session_strerror(rc));

  printf("pipe_bench: Chrome's VP8 stream, 1,100-1,200-byte packets; consumers %s, pipes "
         "AEAD_AES_256_GCM (or no SRTP: \"plain\", \"pl:\")\n",
         braid_srtp_session_suite_name(o.suite));
  printf("%s, backend %s; CPU time, median of %d runs of ~%ld received packets\n",
         braid_srtp_session_lib_version(), braid_srtp_backend(), o.runs, o.packets);
#ifdef BENCH_SANITIZED
  printf("WARNING: built with sanitizers: these numbers are not representative\n");
#endif
  if (o.warmup < WARMUP)
    printf("--quick: a smoke test; first-touch page faults are in the numbers\n");
  if (o.callgrind) printf("--callgrind: one run per world; read the counts from the dumps\n");
  double ref0 = protect_ref(&o);
  if (o.origin) section_origin(&o);
  if (o.far) section_far(&o);
  if (o.nack) section_nack(&o);
  printf("\nreference, AEAD_AES_256_GCM protect of one 1,150-byte packet alone: %.0f ns before, "
         "%.0f after\n",
         ref0, protect_ref(&o));
  return 0;
}
