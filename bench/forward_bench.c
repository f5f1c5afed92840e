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
 * call, so what is timed is CPU work, not the kernel. (The fake kind, the
 * packets and the commands are in fwd_kit.h, shared with pipe_bench.c.)
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/fwd_kit.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/rtc/rtx_buffer.h"
#include "mediad/wire/rtp_packet.h"

enum {
  MAX_RUNS = 99,
  MAX_COUNTS = 16, /* entries of --consumers */
  MAX_CONSUMERS = 2000,
  WARMUP = 1200, /* > 1 MiB of ~1,150-byte packets: every RTX arena wraps */
  MIN_RX = 1000, /* received packets per run, at least */
};

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

/* ---- the publisher's packets ------------------------------------------------------ */

static void feed(world_t *w) {
  uint8_t *buf = w->rx + (size_t)(w->fed % RX_BATCH) * RX_SLOT;
  size_t len = bench_source_next(&w->src, buf);
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
  if (w->md.producers == NULL || w->md.consumers == NULL) bench_fail("out of memory");
  bench_ring_init(&w->ring);
  w->rx = bench_rx_new();
  bench_source_init(&w->src, false);
  w->ingress = bench_transport_new(&w->md, &w->ring, "ingress", 0, o->suite, srtp);
  w->producer = bench_chrome_producer(w->ingress);
  w->n = n;
  w->egress = braid_xcalloc((size_t)n + 1, sizeof *w->egress);
  w->consumers = braid_xcalloc((size_t)n + 1, sizeof *w->consumers);
  for (int i = 0; i < n; i++) {
    char id[32];
    snprintf(id, sizeof id, "egress-%d", i);
    w->egress[i] = bench_transport_new(&w->md, &w->ring, id, i + 1, o->suite, srtp);
    w->consumers[i] = bench_consumer(w->egress[i], w->producer, i, o->nack);
  }
}

static void world_cleanup(world_t *w) {
  bench_transport_free(w->ingress); /* closes the producer and its consumers */
  for (int i = 0; i < w->n; i++)
    bench_transport_free(w->egress[i]);
  if (braid_map_size(w->md.producers) != 0 || braid_map_size(w->md.consumers) != 0)
    bench_fail("objects left registered after cleanup");
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
  braid_free(w->egress);
  braid_free(w->consumers);
  bench_ring_cleanup(&w->ring);
  free(w->rx);
}

/* CPU ns of feeding rx packets. */
static int64_t run(world_t *w, long rx) {
  int64_t t0 = bench_now_ns();
  for (long i = 0; i < rx; i++)
    feed(w);
  return bench_now_ns() - t0;
}

/* Consumer 0's last packet, unprotected with its key (when SRTP is on),
 * must be the last packet fed, rewritten for it. A fresh inbound session
 * takes the rollover counter to be 0, so with SRTP this is checked after
 * the warm-up, before the consumer's sequence numbers first wrap. */
static void check_last_packet(world_t *w) {
  bench_transport_t *t = w->egress[0];
  uint8_t buf[TX_SLOT];
  size_t len = t->last_len;
  memcpy(buf, t->last, len);
  if (t->srtp != NULL) {
    braid_srtp_session_t *in = bench_transport_peer_session(t);
    int rc = braid_srtp_session_unprotect_rtp(in, buf, &len);
    braid_srtp_session_free(in);
    if (rc != 0)
      bench_fail("consumer 0's last packet does not unprotect: %s",
                 braid_srtp_session_strerror(rc));
  }
  braid_rtp_packet_t out, src;
  if (braid_rtp_packet_parse(&out, buf, len) != 0 ||
      braid_rtp_packet_parse(&src, w->last_rx, w->last_len) != 0)
    bench_fail("consumer 0's last packet does not parse");
  if (out.ssrc != CONSUMER_SSRC || out.pt != RPT_VP8)
    bench_fail("consumer 0's last packet: SSRC %08" PRIx32 ", PT %u", out.ssrc, (unsigned)out.pt);
  if (out.payload_len != src.payload_len ||
      memcmp(braid_rtp_packet_payload(&out), braid_rtp_packet_payload(&src), src.payload_len) != 0)
    bench_fail("consumer 0's last payload differs from the one fed");
}

/* Every consumer sent one packet per packet fed, through its transport. */
static void check_counts(world_t *w, const bench_opts_t *o) {
  const braid_transport_media_stats_t *in = &w->ingress->media.stats;
  if (in->rtp_unknown != 0 || in->rtp_malformed != 0)
    bench_fail("ingress dropped packets: %" PRIu64 " unknown, %" PRIu64 " malformed",
               in->rtp_unknown, in->rtp_malformed);
  if (w->producer->rx_packets != w->fed)
    bench_fail("producer forwarded %" PRIu64 " of %" PRIu64 " packets", w->producer->rx_packets,
               w->fed);
  for (int i = 0; i < w->n; i++) {
    bench_transport_t *t = w->egress[i];
    char who[32];
    snprintf(who, sizeof who, "consumer %d", i);
    if (t->failed != 0) bench_fail("%s: %" PRIu64 " SRTP failures", who, t->failed);
    if (t->rtp_sent != w->fed || t->media.stats.rtp_forwarded != w->fed)
      bench_fail("%s sent %" PRIu64 " RTP packets (transport counted %" PRIu64
                 "), expected %" PRIu64,
                 who, t->rtp_sent, t->media.stats.rtp_forwarded, w->fed);
    if (o->nack && w->consumers[i]->sent == NULL)
      bench_fail("%s keeps no sent ring for NACKs", who);
  }
  /* One stored copy per packet, whatever the fan-out (STYLE.md rule 16). */
  if (o->nack && w->n > 0) {
    const braid_rtx_buffer_t *store = w->consumers[0]->producer->streams[0].store;
    if (store == NULL || braid_rtx_buffer_stats(store)->stored < w->fed)
      bench_fail("producer store kept %" PRIu64 " packets, expected %" PRIu64,
                 store ? braid_rtx_buffer_stats(store)->stored : 0, w->fed);
  }
  if (w->ingress->failed != 0)
    bench_fail("ingress: %" PRIu64 " SRTCP failures", w->ingress->failed);
  if (w->n > 0 && w->ingress->rtcp_sent == 0)
    bench_fail("no key frame request (PLI) from the ingress transport");
  if (w->n > 0 && w->egress[0]->srtp == NULL) check_last_packet(w);
}

/* ---- measuring ------------------------------------------------------------------- */

static void print_ns(double ns_rx, int n) {
  if (n > 0)
    printf(" %10.0f %10.0f", ns_rx, ns_rx / n);
  else
    printf(" %10.0f %10s", ns_rx, "-");
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
  if (n > 0 && o->srtp) check_last_packet(&ws);
  if (n > 0) check_last_packet(&wp);
  for (int r = 0; r < o->runs; r++) {
    if (o->srtp) srtp_ns[r] = (double)run(&ws, rx) / (double)rx;
    plain_ns[r] = (double)run(&wp, rx) / (double)rx;
  }
  if (o->srtp) check_counts(&ws, o);
  check_counts(&wp, o);

  double plain = bench_median(plain_ns, o->runs);
  printf("%9d %9ld", n, rx);
  if (o->srtp) {
    double srtp = bench_median(srtp_ns, o->runs);
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

static void parse_counts(bench_opts_t *o, const char *s) {
  char tmp[256];
  if (s == NULL || strlen(s) >= sizeof tmp) usage();
  memcpy(tmp, s, strlen(s) + 1);
  o->ncounts = 0;
  for (char *tok = tmp, *next; tok != NULL; tok = next) {
    next = strchr(tok, ',');
    if (next != NULL) *next++ = '\0';
    if (o->ncounts == MAX_COUNTS) usage();
    o->counts[o->ncounts++] = (int)bench_parse_num("--consumers", tok, 0, MAX_CONSUMERS);
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
      o->runs = (int)bench_parse_num(a, v, 1, MAX_RUNS), i++;
    } else if (strcmp(a, "--packets") == 0 && v) {
      o->packets = bench_parse_num(a, v, 1, 1000000000), i++;
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
  bench_name = "forward_bench";
  int rc = braid_srtp_session_global_init();
  if (rc < 0) bench_fail("srtp init: %s", braid_srtp_session_strerror(rc));

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
  double ref0 = bench_protect_ref_ns(o.suite);
  for (int i = 0; i < o.ncounts; i++)
    bench_count(o.counts[i], &o);
  printf("reference, %s protect of one 1,150-byte packet alone: %.0f ns before, %.0f after\n",
         braid_srtp_session_suite_name(o.suite), ref0, bench_protect_ref_ns(o.suite));
  return 0;
}
