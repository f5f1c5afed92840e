/*
 * What the send-side bandwidth estimate (mediad/rtc/bwe.h, twcc_history.h)
 * costs a media daemon, per packet sent on a WebRTC transport:
 *
 *   sent      the per-packet path: read the clock and record the packet
 *             in the TWCC history (braid_transport_twcc_sent());
 *   feedback  the endpoint's TWCC feedback every 100 ms: parse it, resolve
 *             every status against the history, feed the estimate
 *             (delay trendline, acknowledged rate, loss, probes) and
 *             update it; given per packet reported (a 2.5 Mbit/s video
 *             sends ~26 packets per feedback).
 *
 * Usage: bwe_bench [packets]   (default 2,000,000)
 * Prints CPU ns per packet, the median of 3 runs. Build it optimised and
 * without sanitizers (a sanitized build only checks that it runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/sanitized.h"
#include "common/clock.h"
#include "mediad/rtc/bwe.h"
#include "mediad/rtc/twcc_history.h"
#include "mediad/wire/rtcp/twcc.h"

enum { RUNS = 3, PER_FEEDBACK = 26, PKT = 1200 };

static braid_twcc_history_t hist;
static braid_bwe_t bwe;
static volatile int64_t sink;

static double cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double bench_sent(long n) {
  double t0 = cpu_ns();
  for (long i = 0; i < n; i++)
    braid_twcc_history_sent(&hist, (uint16_t)i, PKT, braid_clock_mono_us(), -1);
  sink += hist.ring[n & (BRAID_TWCC_HISTORY_SIZE - 1)].send_us;
  return (cpu_ns() - t0) / (double)n;
}

static void on_result(const braid_bwe_packet_t *pkt, void *ud) { braid_bwe_on_packet(ud, pkt); }

/* Feedback written beforehand for packets sent 1 ms apart, arriving 1 ms
 * apart with a little jitter and 1 % loss; timed: parse + resolve +
 * update. */
static double bench_feedback(long n) {
  static uint8_t fbs[4096][128];
  static size_t lens[4096];
  long nfb = n / PER_FEEDBACK;
  if (nfb > 4096) nfb = 4096;
  braid_twcc_history_init(&hist);
  braid_bwe_init(&bwe, BRAID_BWE_START_BPS, 0, 0);
  double total = 0;
  long done = 0;
  uint16_t seq = 0;
  int64_t t_us = 1000000;
  while (done < n) {
    long k = 0;
    for (; k < nfb && done + (k + 1) * PER_FEEDBACK <= n; k++) {
      braid_rtcp_twcc_arrival_t arr[PER_FEEDBACK];
      size_t m = 0;
      uint16_t base = seq;
      for (int j = 0; j < PER_FEEDBACK; j++, seq++, t_us += 1000) {
        braid_twcc_history_sent(&hist, seq, PKT, t_us, -1);
        if (seq % 100 != 7)
          arr[m++] = (braid_rtcp_twcc_arrival_t){seq, t_us + 20000 + (seq % 5) * 100};
      }
      size_t used;
      braid_rtcp_twcc_build_t in = {.base_seq = base, .pkts = arr, .n = m};
      ssize_t w = braid_rtcp_twcc_write(fbs[k], sizeof fbs[k], &in, &used);
      if (w <= 0 || used != m) {
        fprintf(stderr, "bwe_bench: cannot write feedback\n");
        exit(1);
      }
      lens[k] = (size_t)w;
    }
    if (k == 0) break;
    double t0 = cpu_ns();
    for (long i = 0; i < k; i++) {
      braid_rtcp_twcc_t fb;
      if (braid_rtcp_twcc_parse(&fb, fbs[i], lens[i], NULL) != 0) exit(1);
      braid_twcc_history_resolve(&hist, &fb, on_result, &bwe);
      braid_bwe_on_feedback(&bwe, (t_us - (k - i) * PER_FEEDBACK * 1000) / 1000);
    }
    total += cpu_ns() - t0;
    done += k * PER_FEEDBACK;
  }
  sink += braid_bwe_estimate(&bwe);
  return total / (double)done;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double (*fn)(long), long n) {
  double r[RUNS];
  for (int i = 0; i < RUNS; i++)
    r[i] = fn(n);
  qsort(r, RUNS, sizeof r[0], cmp);
  return r[RUNS / 2];
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000;
  if (n < PER_FEEDBACK) n = PER_FEEDBACK;
#ifdef BENCH_SANITIZED
  n = n > 20000 ? 20000 : n;
  printf("bwe_bench: sanitized build: timings mean nothing, checking that it runs\n");
#endif
  printf("per packet sent (clock + history):     %6.1f ns\n", median(bench_sent, n));
  printf("per packet reported (feedback -> BWE): %6.1f ns\n", median(bench_feedback, n));
  printf("estimate after the run: %u bps\n", braid_bwe_estimate(&bwe));
  return sink == 42 ? 1 : 0;
}
