/*
 * The send-side TWCC history (mediad/rtc/twcc_history.h): feedback bytes
 * written by the wire layer resolve into the packets that were sent.
 */
#include "mediad/rtc/twcc_history.h"

#include "common/err.h"
#include "tests/test.h"

typedef struct got {
  braid_bwe_packet_t p[64];
  size_t n;
} got_t;

static void collect(const braid_bwe_packet_t *pkt, void *ud) {
  got_t *g = ud;
  ASSERT(g->n < 64);
  g->p[g->n++] = *pkt;
}

/* Writes one feedback packet reporting arr[0..n) from base, parses it and
 * resolves it against h. */
static size_t feed(braid_twcc_history_t *h, uint16_t base, const braid_rtcp_twcc_arrival_t *arr,
                   size_t n, got_t *g) {
  uint8_t buf[512];
  size_t used = 0;
  braid_rtcp_twcc_build_t in = {
      .fb = {.sender_ssrc = 1, .media_ssrc = 2}, .base_seq = base, .pkts = arr, .n = n};
  ssize_t w = braid_rtcp_twcc_write(buf, sizeof buf, &in, &used);
  ASSERT(w > 0);
  ASSERT_EQ(used, n);
  braid_rtcp_twcc_t fb;
  ASSERT_EQ(braid_rtcp_twcc_parse(&fb, buf, (size_t)w, NULL), 0);
  g->n = 0;
  return braid_twcc_history_resolve(h, &fb, collect, g);
}

BRAID_TEST(resolves_sent_packets) {
  static braid_twcc_history_t h;
  got_t g;
  braid_twcc_history_init(&h);
  for (uint16_t s = 100; s < 105; s++)
    braid_twcc_history_sent(&h, s, 1000 + s, 5000 * s, s == 104 ? 7 : -1);
  /* 100, 101 and 103 arrived; 102 and 104 were lost (104 is not covered:
   * the feedback ends at the last arrival). */
  braid_rtcp_twcc_arrival_t arr[] = {{100, 64000}, {101, 65000}, {103, 70000}};
  ASSERT_EQ(feed(&h, 100, arr, 3, &g), 4);
  ASSERT_EQ(g.p[0].send_us, 500000);
  ASSERT_EQ(g.p[0].size, 1100);
  ASSERT_EQ(g.p[0].probe, -1);
  ASSERT_EQ(g.p[1].arrival_us - g.p[0].arrival_us, 1000);
  ASSERT_EQ(g.p[2].arrival_us, -1); /* 102 lost */
  ASSERT_EQ(g.p[2].size, 1102);
  ASSERT_EQ(g.p[3].arrival_us - g.p[0].arrival_us, 6000);
  ASSERT(!g.p[0].late && !g.p[2].late);
  /* The same feedback again (a duplicate): nothing is counted twice, lost
   * or received. */
  ASSERT_EQ(feed(&h, 100, arr, 3, &g), 0);
  /* 102 arrives late after all (given once more, marked late), and 104
   * (a probe packet). */
  braid_rtcp_twcc_arrival_t late[] = {{102, 72000}, {104, 73000}};
  ASSERT_EQ(feed(&h, 102, late, 2, &g), 2);
  ASSERT(g.p[0].arrival_us >= 0);
  ASSERT(g.p[0].late);
  ASSERT_EQ(g.p[1].probe, 7);
  ASSERT(!g.p[1].late);
}

BRAID_TEST(unknown_and_overwritten) {
  static braid_twcc_history_t h;
  got_t g;
  braid_twcc_history_init(&h);
  braid_twcc_history_sent(&h, 5, 100, 1, -1);
  /* The ring comes round: 5 + SIZE overwrites 5. */
  braid_twcc_history_sent(&h, (uint16_t)(5 + BRAID_TWCC_HISTORY_SIZE), 200, 2, -1);
  braid_rtcp_twcc_arrival_t arr[] = {{5, 0}};
  ASSERT_EQ(feed(&h, 5, arr, 1, &g), 0);
  ASSERT_EQ(h.unknown, 1);
  braid_rtcp_twcc_arrival_t never[] = {{9, 0}};
  ASSERT_EQ(feed(&h, 9, never, 1, &g), 0);
  ASSERT_EQ(h.unknown, 2);
}

/* The 24-bit reference time wraps (every 12.4 days): arrivals stay
 * monotonic across it. */
BRAID_TEST(reference_time_wraps) {
  static braid_twcc_history_t h;
  got_t g;
  braid_twcc_history_init(&h);
  braid_twcc_history_sent(&h, 1, 100, 0, -1);
  braid_twcc_history_sent(&h, 2, 100, 1000, -1);
  int64_t top = ((int64_t)1 << 24) * BRAID_RTCP_TWCC_REF_US;
  braid_rtcp_twcc_arrival_t a1[] = {{1, top - 64000}};
  ASSERT_EQ(feed(&h, 1, a1, 1, &g), 1);
  int64_t first = g.p[0].arrival_us;
  braid_rtcp_twcc_arrival_t a2[] = {{2, top}}; /* written as reference 0 */
  ASSERT_EQ(feed(&h, 2, a2, 1, &g), 1);
  ASSERT_EQ(g.p[0].arrival_us - first, 64000);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(resolves_sent_packets) BRAID_TEST_ENTRY(unknown_and_overwritten)
                    BRAID_TEST_ENTRY(reference_time_wraps))
