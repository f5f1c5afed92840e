/*
 * The send-side bandwidth estimate (mediad/rtc/bwe.h, bwe_delay.h,
 * twcc_history.h) against a simulated path: a bottleneck link of a given
 * capacity with a drop-tail queue and optional random loss, 20 ms of
 * propagation, and a receiver that sends TWCC feedback every 100 ms built
 * by the wire layer's writer (so the estimate reads real feedback bytes).
 *
 * The sender is either a video encoder that follows the estimate (30
 * frames per second, 1,200-byte packets), or an application-limited one
 * that sends a fixed rate and relies on probes (bursts of padding at
 * twice the estimate, as transport_bwe.c sends them).
 */
#include "mediad/rtc/bwe.h"

#include <math.h>

#include "common/err.h"
#include "mediad/rtc/twcc_history.h"
#include "mediad/wire/rtcp/twcc.h"
#include "tests/test.h"

#define MAX_INFLIGHT 8192

typedef struct sim {
  braid_twcc_history_t hist;
  braid_bwe_t bwe;
  uint16_t seq;
  int64_t now_us;
  double capacity_bps;
  int64_t link_free_us;
  int64_t max_queue_us;
  double loss;
  uint32_t rng;
  /* Packets sent and not yet reported: seq, arrival (-1 lost). */
  struct {
    uint16_t seq;
    int64_t arrival_us;
  } fly[MAX_INFLIGHT];
  size_t nfly;
  uint8_t fb_count;
  int64_t next_fb_us;
  uint64_t delivered_bytes;
} sim_t;

static sim_t S;

static double rnd(void) {
  S.rng = S.rng * 1103515245u + 12345u;
  return (double)((S.rng >> 8) & 0xffffff) / (double)0x1000000;
}

static void sim_init(double capacity_bps, double loss) {
  memset(&S, 0, sizeof S);
  braid_twcc_history_init(&S.hist);
  braid_bwe_init(&S.bwe, BRAID_BWE_START_BPS, 0, 0);
  S.capacity_bps = capacity_bps;
  S.max_queue_us = 300000;
  S.loss = loss;
  S.rng = 42;
  S.now_us = 1000000;
  S.next_fb_us = S.now_us + 100000;
}

static void sim_send(size_t size, int probe) {
  braid_twcc_history_sent(&S.hist, S.seq, size, S.now_us, probe);
  int64_t start = S.link_free_us > S.now_us ? S.link_free_us : S.now_us;
  bool lost = start - S.now_us > S.max_queue_us || rnd() < S.loss;
  int64_t arrival = -1;
  if (!lost) {
    S.link_free_us = start + (int64_t)((double)size * 8e6 / S.capacity_bps);
    arrival = S.link_free_us + 20000;
    S.delivered_bytes += size;
  }
  ASSERT(S.nfly < MAX_INFLIGHT);
  S.fly[S.nfly].seq = S.seq;
  S.fly[S.nfly].arrival_us = arrival;
  S.nfly++;
  S.seq++;
}

static void on_result(const braid_bwe_packet_t *pkt, void *ud) { braid_bwe_on_packet(ud, pkt); }

/* The receiver's feedback: every packet up to the last one that arrived
 * by now, the others lost. */
static void sim_feedback(void) {
  size_t last = SIZE_MAX;
  for (size_t i = 0; i < S.nfly; i++)
    if (S.fly[i].arrival_us >= 0 && S.fly[i].arrival_us <= S.now_us) last = i;
  if (last == SIZE_MAX) return;
  static braid_rtcp_twcc_arrival_t arr[MAX_INFLIGHT];
  size_t n = 0;
  for (size_t i = 0; i <= last; i++)
    if (S.fly[i].arrival_us >= 0)
      arr[n++] = (braid_rtcp_twcc_arrival_t){S.fly[i].seq, S.fly[i].arrival_us};
  uint16_t base = S.fly[0].seq;
  size_t done = 0;
  while (done < n) {
    uint8_t buf[1500];
    size_t used = 0;
    braid_rtcp_twcc_build_t in = {.fb = {.sender_ssrc = 1, .media_ssrc = 2},
                                  .base_seq = done == 0 ? base : arr[done].seq,
                                  .fb_count = S.fb_count++,
                                  .pkts = arr + done,
                                  .n = n - done};
    ssize_t w = braid_rtcp_twcc_write(buf, sizeof buf, &in, &used);
    ASSERT(w > 0);
    braid_rtcp_twcc_t fb;
    ASSERT_EQ(braid_rtcp_twcc_parse(&fb, buf, (size_t)w, NULL), 0);
    braid_twcc_history_resolve(&S.hist, &fb, on_result, &S.bwe);
    done += used;
  }
  braid_bwe_on_feedback(&S.bwe, S.now_us / 1000);
  memmove(S.fly, S.fly + last + 1, (S.nfly - last - 1) * sizeof S.fly[0]);
  S.nfly -= last + 1;
}

typedef struct sender {
  double max_bps; /* what the encoder may send at most */
  bool follow;    /* follow the estimate (else send max_bps) */
  bool probes;    /* probe at twice the estimate every second */
  int64_t next_frame_us, next_probe_us;
  int probe_id, probe_left;
  int64_t probe_gap_us, probe_next_us;
} sender_t;

/* Runs the simulation for ms milliseconds, 1 ms per step. */
static void run(sender_t *s, int64_t ms) {
  for (int64_t i = 0; i < ms; i++) {
    S.now_us += 1000;
    if (S.now_us >= s->next_frame_us) {
      s->next_frame_us = S.now_us + 33333;
      double rate = s->max_bps;
      if (s->follow && braid_bwe_estimate(&S.bwe) < rate) rate = braid_bwe_estimate(&S.bwe);
      size_t bytes = (size_t)(rate / 8 / 30);
      while (bytes > 0) {
        size_t k = bytes > 1200 ? 1200 : bytes;
        sim_send(k < 100 ? 100 : k, -1);
        bytes -= k;
      }
    }
    if (s->probes && s->probe_left == 0 && S.now_us >= s->next_probe_us) {
      uint32_t target = braid_bwe_estimate(&S.bwe) * 2;
      int n = (int)((double)target * 0.03 / 8 / 272);
      if (n < 5) n = 5;
      if (braid_bwe_probe_begin(&S.bwe, ++s->probe_id, target, (unsigned)n, S.now_us / 1000)) {
        s->probe_left = n;
        s->probe_gap_us = (int64_t)(272 * 8e6 / target);
        s->probe_next_us = S.now_us;
      }
      s->next_probe_us = S.now_us + 1000000;
    }
    while (s->probe_left > 0 && S.now_us >= s->probe_next_us) {
      sim_send(272, s->probe_id);
      s->probe_left--;
      s->probe_next_us += s->probe_gap_us;
    }
    if (S.now_us >= S.next_fb_us) {
      S.next_fb_us = S.now_us + 100000;
      sim_feedback();
    }
  }
}

/* An encoder that follows the estimate finds a 2 Mbit/s link from 600
 * kbit/s and settles near it. */
BRAID_TEST(converges_to_capacity) {
  sim_init(2e6, 0);
  sender_t s = {.max_bps = 5e6, .follow = true};
  run(&s, 30000);
  uint32_t est = braid_bwe_estimate(&S.bwe);
  fprintf(stderr, "  estimate after 30 s on 2 Mbit/s: %u\n", est);
  ASSERT(est > 1400000 && est < 2600000);
}

/* When the link narrows to 300 kbit/s the estimate follows within a few
 * seconds (delay grows first, then the queue overflows). */
BRAID_TEST(follows_capacity_down) {
  sim_init(2e6, 0);
  sender_t s = {.max_bps = 5e6, .follow = true};
  run(&s, 20000);
  S.capacity_bps = 300e3;
  run(&s, 5000);
  uint32_t est = braid_bwe_estimate(&S.bwe);
  fprintf(stderr, "  estimate 5 s after 2 Mbit/s -> 300 kbit/s: %u\n", est);
  ASSERT(est < 450000);
  ASSERT(est > 100000);
  /* And back up once the link is wide again. */
  S.capacity_bps = 3e6;
  run(&s, 30000);
  est = braid_bwe_estimate(&S.bwe);
  fprintf(stderr, "  estimate 30 s after 300 kbit/s -> 3 Mbit/s: %u\n", est);
  ASSERT(est > 1500000);
}

/* A sender that uses 150 kbit/s learns nothing about more without
 * probes, and finds the capacity with them. */
BRAID_TEST(probes_find_unused_capacity) {
  sim_init(3e6, 0);
  sender_t s = {.max_bps = 150e3};
  run(&s, 10000);
  uint32_t without = braid_bwe_estimate(&S.bwe);
  fprintf(stderr, "  app-limited at 150 kbit/s, no probes: %u\n", without);
  ASSERT(without < 700000);
  s.probes = true;
  run(&s, 10000);
  uint32_t with = braid_bwe_estimate(&S.bwe);
  fprintf(stderr, "  with probes for 10 s: %u\n", with);
  ASSERT(with > 1500000);
  ASSERT(with < 4000000);
}

/* Probes do not overshoot a narrow link. */
BRAID_TEST(probes_respect_capacity) {
  sim_init(400e3, 0);
  sender_t s = {.max_bps = 150e3, .probes = true};
  run(&s, 20000);
  uint32_t est = braid_bwe_estimate(&S.bwe);
  fprintf(stderr, "  app-limited with probes on 400 kbit/s: %u\n", est);
  ASSERT(est < 600000);
}

/* 5 % random loss on a wide link: the estimate holds (loss-based bound
 * between 2 and 10 %), it does not collapse. */
BRAID_TEST(random_loss_holds) {
  sim_init(10e6, 0.05);
  sender_t s = {.max_bps = 5e6, .follow = true};
  run(&s, 20000);
  uint32_t est = braid_bwe_estimate(&S.bwe);
  fprintf(stderr, "  estimate with 5%% loss: %u (lost %llu of %llu)\n", est,
          (unsigned long long)S.bwe.packets_lost,
          (unsigned long long)(S.bwe.packets_lost + S.bwe.packets_received));
  ASSERT(est >= 500000);
  ASSERT(S.bwe.packets_lost > 0);
}

/* 30 % loss cuts it (by 15 % a second, judged over each second). */
BRAID_TEST(heavy_loss_cuts) {
  sim_init(10e6, 0.3);
  sender_t s = {.max_bps = 5e6, .follow = true};
  run(&s, 10000);
  ASSERT(braid_bwe_estimate(&S.bwe) < 300000);
}

BRAID_TEST(remb_bounds) {
  sim_init(10e6, 0);
  ASSERT(braid_bwe_on_remb(&S.bwe, 200000, 1000));
  ASSERT_EQ(braid_bwe_estimate(&S.bwe), 200000);
  /* An old REMB no longer binds. */
  sender_t s = {.max_bps = 5e6, .follow = true};
  run(&s, 8000);
  ASSERT(braid_bwe_estimate(&S.bwe) > 200000);
}

BRAID_TEST(bounds) {
  braid_bwe_t b;
  braid_bwe_init(&b, 10000, 0, 0);
  ASSERT_EQ(braid_bwe_estimate(&b), BRAID_BWE_MIN_BPS);
  braid_bwe_init(&b, 600000, 0, 300000);
  ASSERT_EQ(braid_bwe_estimate(&b), 300000);
  ASSERT(!braid_bwe_probe_begin(&b, -1, 1000, 5, 0));
  ASSERT(!braid_bwe_probe_begin(&b, 1, 1000, 0, 0));
  for (int i = 0; i < BRAID_BWE_PROBE_SLOTS; i++)
    ASSERT(braid_bwe_probe_begin(&b, i, 1000, 5, 0));
  ASSERT(!braid_bwe_probe_begin(&b, 9, 1000, 5, 0));
  ASSERT(braid_bwe_probing(&b, 10));
  ASSERT(!braid_bwe_probing(&b, 5000));
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(converges_to_capacity) BRAID_TEST_ENTRY(follows_capacity_down)
                    BRAID_TEST_ENTRY(probes_find_unused_capacity)
                        BRAID_TEST_ENTRY(probes_respect_capacity)
                            BRAID_TEST_ENTRY(random_loss_holds) BRAID_TEST_ENTRY(heavy_loss_cuts)
                                BRAID_TEST_ENTRY(remb_bounds) BRAID_TEST_ENTRY(bounds))
