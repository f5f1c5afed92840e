/*
 * The receive-side estimate sent as REMB (mediad/rtc/remb_server.h): fed
 * with abs-send-time and arrival times of a simulated stream.
 */
#include "mediad/rtc/remb_server.h"

#include "mediad/wire/rtp_ext.h"
#include "tests/test.h"

/* Feeds ms milliseconds of a stream of rate bps in 1,200-byte packets
 * whose one-way delay grows by grow_us per packet (0: a clear path). */
static void feed(braid_remb_server_t *s, int64_t *now_us, int64_t *delay_us, double bps, int64_t ms,
                 int64_t grow_us, int *rembs, uint32_t *last) {
  double gap_us = 1200 * 8 * 1e6 / bps, next = (double)*now_us;
  for (int64_t end = *now_us + ms * 1000; *now_us < end; *now_us += 1000) {
    while (next <= (double)*now_us) {
      uint32_t abs = braid_rtp_ext_abs_send_time_from_us((uint64_t)next);
      *delay_us += grow_us;
      braid_remb_server_on_packet(s, abs, 1200, (int64_t)next + 20000 + *delay_us);
      next += gap_us;
    }
    uint32_t bps_out;
    if (braid_remb_server_poll(s, *now_us / 1000, &bps_out)) {
      (*rembs)++;
      *last = bps_out;
    }
  }
}

BRAID_TEST(rises_with_a_clear_path_and_reports_every_second) {
  static braid_remb_server_t s;
  int64_t now = 63000000, delay = 0; /* abs-send-time wraps at 64 s: cross it */
  int rembs = 0;
  uint32_t last = 0, bps;
  braid_remb_server_init(&s, now / 1000);
  ASSERT(!braid_remb_server_poll(&s, now / 1000 + 1000, &bps)); /* nothing received yet */
  feed(&s, &now, &delay, 1e6, 10000, 0, &rembs, &last);
  ASSERT(rembs >= 8 && rembs <= 10);
  /* At most 1.5 x what comes in + 10 k, and above the start. */
  ASSERT(last > 600000);
  ASSERT(last <= 1510000 + 1000);
  /* A cap (setMaxIncomingBitrate). */
  s.max_bps = 300000;
  feed(&s, &now, &delay, 1e6, 1100, 0, &rembs, &last);
  ASSERT_EQ(last, 300000);
}

BRAID_TEST(falls_at_once_when_a_queue_builds) {
  static braid_remb_server_t s;
  int64_t now = 1000000, delay = 0;
  int rembs = 0;
  uint32_t last = 0;
  braid_remb_server_init(&s, now / 1000);
  /* Long enough for the estimate to pass 0.85 x the incoming rate (an
   * overuse cuts to that, never up to it). */
  feed(&s, &now, &delay, 1e6, 15000, 0, &rembs, &last);
  uint32_t before = last;
  ASSERT(before > 900000);
  int n = rembs;
  /* Each packet 0.5 ms later than the one before: the path is full. */
  feed(&s, &now, &delay, 1e6, 600, 500, &rembs, &last);
  ASSERT(rembs > n);
  ASSERT(last < before);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(rises_with_a_clear_path_and_reports_every_second)
                    BRAID_TEST_ENTRY(falls_at_once_when_a_queue_builds))
