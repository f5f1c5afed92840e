/*
 * srtp_bench: CPU cost of SRTP protect and unprotect per RTP packet, for each
 * crypto suite, with the libsrtp2 this binary links (issue 3).
 *
 *   srtp_bench [--size BYTES] [--runs N] [--packets N] [--quick]
 *
 * Each run times --packets protects of one packet in place (the sequence
 * number advances every time, as on a real stream) and as many unprotects of
 * distinct, freshly protected packets; the table shows the median run in
 * CPU ns/packet (the thread's CPU time, not the wall clock). Session set-up,
 * the first packet of a stream (libsrtp makes the stream then) and copying
 * the packets are outside the timed loops.
 * Build without sanitizers (-DCMAKE_BUILD_TYPE=Release) for real numbers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/str.h"
#include "mediad/sec/srtp_session.h"

#include "bench/sanitized.h"

enum {
  BATCH = 512,   /* distinct packets per unprotect round */
  MAX_RUNS = 99, /* --runs bound */
  MAX_SIZE = 1500,
  SLOT = MAX_SIZE + BRAID_SRTP_SESSION_TRAILER_MAX,
};

typedef struct bench_opts {
  size_t size;
  int runs;
  long packets;
} bench_opts_t;

/* CPU time of this thread: what a packet costs, even on a busy machine where
 * the wall clock would also count the time other processes ran. */
static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what, int rc) {
  fprintf(stderr, "srtp_bench: %s: %s\n", what, braid_srtp_session_strerror(rc));
  exit(1);
}

/* An RTP header (RFC 3550 §5.1: V=2, PT 96, the given seq, timestamp, SSRC
 * 0x11223344) and a payload of arbitrary bytes, size bytes in all. */
static void make_packet(uint8_t *p, size_t size, uint16_t seq) {
  for (size_t i = 12; i < size; i++) p[i] = (uint8_t)(i * 7 + 3);
  p[0] = 0x80;
  p[1] = 96;
  p[2] = (uint8_t)(seq >> 8);
  p[3] = (uint8_t)seq;
  p[4] = 0x00, p[5] = 0x01, p[6] = 0x02, p[7] = 0x03; /* timestamp */
  p[8] = 0x11, p[9] = 0x22, p[10] = 0x33, p[11] = 0x44;
}

static braid_srtp_session_t *session(braid_srtp_suite_t suite, braid_srtp_dir_t dir) {
  static const uint8_t master[BRAID_SRTP_SESSION_MASTER_MAX] = {
      0x9f, 0x1c, 0x47, 0x02, 0x6b, 0xd0, 0x35, 0xe8, 0x71, 0x2a, 0xc4, 0x5b, 0x0e,
      0x93, 0xf6, 0x28, 0x4d, 0xb1, 0x60, 0x8a, 0x17, 0xce, 0x39, 0x55, 0xe2, 0x0f,
      0x7c, 0xa8, 0x43, 0x96, 0x21, 0xdb, 0x6e, 0x04, 0xb7, 0x58, 0x8d, 0x13, 0xfa,
      0x2c, 0x65, 0x99, 0xc0, 0x3e};
  size_t kl = braid_srtp_session_key_len(suite), sl = braid_srtp_session_salt_len(suite);
  braid_srtp_session_t *s = NULL;
  int rc = braid_srtp_session_new(&s, suite, dir, master, kl, master + kl, sl);
  if (rc < 0) die("session_new", rc);
  return s;
}

/* ns/packet of one protect run. */
static double run_protect(braid_srtp_suite_t suite, const bench_opts_t *o, uint8_t *buf) {
  braid_srtp_session_t *s = session(suite, BRAID_SRTP_DIR_OUTBOUND);
  size_t len = o->size;
  make_packet(buf, o->size, 0);
  int rc = braid_srtp_session_protect_rtp(s, buf, &len, SLOT); /* makes the stream */
  if (rc < 0) die("protect", rc);
  int64_t t0 = now_ns();
  for (long i = 1; i <= o->packets; i++) {
    /* Encrypting the previous output again costs the same as fresh bytes. */
    buf[2] = (uint8_t)(i >> 8);
    buf[3] = (uint8_t)i;
    len = o->size;
    rc = braid_srtp_session_protect_rtp(s, buf, &len, SLOT);
    if (rc < 0) die("protect", rc);
  }
  int64_t t1 = now_ns();
  braid_srtp_session_free(s);
  return (double)(t1 - t0) / (double)o->packets;
}

/* ns/packet of one unprotect run: rounds of BATCH distinct packets, each
 * round with a fresh inbound session (a packet verifies only once). */
static double run_unprotect(braid_srtp_suite_t suite, const bench_opts_t *o, uint8_t *master,
                            size_t *master_len, uint8_t *work) {
  long rounds = o->packets / BATCH > 0 ? o->packets / BATCH : 1;
  int64_t total = 0;
  for (long r = 0; r < rounds; r++) {
    memcpy(work, master, (size_t)(BATCH + 1) * SLOT);
    braid_srtp_session_t *s = session(suite, BRAID_SRTP_DIR_INBOUND);
    size_t len = master_len[0];
    int rc = braid_srtp_session_unprotect_rtp(s, work, &len); /* makes the stream */
    if (rc < 0) die("unprotect", rc);
    int64_t t0 = now_ns();
    for (int i = 1; i <= BATCH; i++) {
      len = master_len[i];
      rc = braid_srtp_session_unprotect_rtp(s, work + (size_t)i * SLOT, &len);
      if (rc < 0) die("unprotect", rc);
    }
    total += now_ns() - t0;
    braid_srtp_session_free(s);
  }
  return (double)total / (double)(rounds * BATCH);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void bench_suite(braid_srtp_suite_t suite, const bench_opts_t *o, uint8_t *buf,
                        uint8_t *master, size_t *master_len, uint8_t *work) {
  /* BATCH + 1 protected packets (seq 0 makes the stream) to unprotect. */
  braid_srtp_session_t *out = session(suite, BRAID_SRTP_DIR_OUTBOUND);
  for (int i = 0; i <= BATCH; i++) {
    uint8_t *p = master + (size_t)i * SLOT;
    make_packet(p, o->size, (uint16_t)i);
    master_len[i] = o->size;
    int rc = braid_srtp_session_protect_rtp(out, p, &master_len[i], SLOT);
    if (rc < 0) die("protect", rc);
  }
  braid_srtp_session_free(out);

  double prot[MAX_RUNS], unprot[MAX_RUNS];
  for (int r = 0; r < o->runs; r++) {
    prot[r] = run_protect(suite, o, buf);
    unprot[r] = run_unprotect(suite, o, master, master_len, work);
  }
  printf("%-26s %16.0f %18.0f\n", braid_srtp_session_suite_name(suite), median(prot, o->runs),
         median(unprot, o->runs));
}

static long parse_num(const char *flag, const char *s, long lo, long hi) {
  char *end = NULL;
  long v = s != NULL ? strtol(s, &end, 10) : 0;
  if (s == NULL || *s == '\0' || *end != '\0' || v < lo || v > hi) {
    fprintf(stderr, "srtp_bench: %s takes a number in %ld..%ld\n", flag, lo, hi);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  bench_opts_t o = {.size = 1200, .runs = 7, .packets = 20480};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
      o.size = (size_t)parse_num("--size", argv[++i], 12, MAX_SIZE);
    } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      o.runs = (int)parse_num("--runs", argv[++i], 1, MAX_RUNS);
    } else if (strcmp(argv[i], "--packets") == 0 && i + 1 < argc) {
      o.packets = parse_num("--packets", argv[++i], 1, 100000000);
    } else if (strcmp(argv[i], "--quick") == 0) {
      o.runs = 1;
      o.packets = BATCH;
    } else {
      fprintf(stderr, "usage: srtp_bench [--size BYTES] [--runs N] [--packets N] [--quick]\n");
      return 2;
    }
  }
  int rc = braid_srtp_session_global_init();
  if (rc < 0) die("init", rc);

  uint8_t *buf = malloc(SLOT);
  uint8_t *master = malloc((size_t)(BATCH + 1) * SLOT);
  uint8_t *work = malloc((size_t)(BATCH + 1) * SLOT);
  size_t *master_len = malloc((BATCH + 1) * sizeof(*master_len));
  if (buf == NULL || master == NULL || work == NULL || master_len == NULL) {
    fprintf(stderr, "srtp_bench: out of memory\n");
    return 1;
  }

  printf("%s, backend %s; %zu-byte RTP packets; CPU time, median of %d runs of %ld packets\n",
         braid_srtp_session_lib_version(), braid_srtp_backend(), o.size, o.runs, o.packets);
#ifdef BENCH_SANITIZED
  printf("WARNING: built with sanitizers: these numbers are not representative\n");
#endif
  printf("%-26s %16s %18s\n", "suite", "protect ns/pkt", "unprotect ns/pkt");
  for (int s = 0; s < BRAID_SRTP_SUITE_COUNT; s++)
    bench_suite((braid_srtp_suite_t)s, &o, buf, master, master_len, work);

  free(buf);
  free(master);
  free(work);
  free(master_len);
  return 0;
}
