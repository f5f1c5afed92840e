/* Unit tests of mediad/rtc/keyframe_requester.c with a fake clock: the
 * 1 s window, the retry flag, key frames closing the window, forced
 * requests, coalescing delay, PLI vs FIR and FIR sequence numbers. */
#include "mediad/rtc/keyframe_requester.h"

#include "tests/test.h"

/* Runs the timer at now and returns how many requests it produced. */
static size_t tick(braid_keyframe_requester_t *kr, int64_t now, braid_keyframe_request_t *out) {
  return braid_keyframe_requester_on_timeout(kr, now, out, BRAID_KEYFRAME_REQUESTER_MAX_SSRCS);
}

BRAID_TEST(first_request_goes_out_and_opens_the_window) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, true, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1111, 1000, &r), 1);
  ASSERT_EQ(r.ssrc, 1111);
  ASSERT_EQ(r.kind, BRAID_KEYFRAME_PLI); /* PLI preferred */
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 2000);
  /* No other request in the window: at expiry the window just closes. */
  ASSERT_EQ(tick(&kr, 1999, out), 0);
  ASSERT_EQ(tick(&kr, 2000, out), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  /* The next request goes out at once again. */
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1111, 2500, &r), 1);
  ASSERT_EQ(kr.pli_count, 2);
}

BRAID_TEST(requests_in_the_window_retry_once_at_expiry) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 100, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 200, &r), 0);
  ASSERT_EQ(tick(&kr, 1000, out), 1); /* no key frame came: sent again */
  ASSERT_EQ(out[0].ssrc, 7);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 2000);
  ASSERT_EQ(tick(&kr, 2000, out), 0); /* best effort: no further retry */
  ASSERT_EQ(kr.pli_count, 2);
}

BRAID_TEST(key_frame_closes_the_window) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 10, &r), 0); /* retry flag */
  braid_keyframe_requester_received(&kr, 7);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  ASSERT_EQ(tick(&kr, 1000, out), 0);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 20, &r), 1);
  braid_keyframe_requester_received(&kr, 99); /* unknown SSRC: nothing */
}

BRAID_TEST(ssrcs_are_independent) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r;
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 2, 0, &r), 1);
  ASSERT_EQ(r.ssrc, 2);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1, 5, &r), 0);
}

BRAID_TEST(forced_request_always_goes_out_and_restarts_the_window) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 5, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 5, 600, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 1600);
  ASSERT_EQ(tick(&kr, 1000, out), 0);
  ASSERT_EQ(tick(&kr, 1600, out), 1); /* forced into a pending window: retries once */
  ASSERT_EQ(tick(&kr, 2600, out), 0);
  /* Forced with nothing pending: sent, no retry. */
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 5, 3000, &r), 1);
  ASSERT_EQ(tick(&kr, 4000, out), 0);
}

BRAID_TEST(fir_when_no_pli_with_increasing_sequence_numbers) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, false, true, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 0, &r), 1);
  ASSERT_EQ(r.kind, BRAID_KEYFRAME_FIR);
  ASSERT_EQ(r.fir_seq, 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 1, &r), 0);
  ASSERT_EQ(tick(&kr, 1000, out), 1);
  ASSERT_EQ(out[0].kind, BRAID_KEYFRAME_FIR);
  ASSERT_EQ(out[0].fir_seq, 2); /* a retry is a new command */
  braid_keyframe_requester_received(&kr, 9);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 3000, &r), 1);
  ASSERT_EQ(r.fir_seq, 3); /* kept across windows */
  ASSERT_EQ(kr.fir_count, 3);
  /* The 8-bit sequence number wraps. */
  kr.entries[0].fir_seq = 255;
  braid_keyframe_requester_received(&kr, 9);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 5000, &r), 1);
  ASSERT_EQ(r.fir_seq, 0);
}

BRAID_TEST(nothing_without_negotiated_feedback) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, false, false, 0);
  braid_keyframe_request_t r;
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 0, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 9, 0, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
}

BRAID_TEST(delay_coalesces_requests) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 300);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 0, &r), 1); /* first: at once */
  braid_keyframe_requester_received(&kr, 4);                  /* key frame came quickly */
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 50, &r), 0);  /* inside the delay: remembered */
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 100, &r), 0); /* coalesced */
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 300);
  ASSERT_EQ(tick(&kr, 300, out), 1); /* one request for both */
  ASSERT_EQ(kr.pli_count, 2);
  /* That request opened a new delay window and a wait window. */
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 600);
  ASSERT_EQ(tick(&kr, 600, out), 0);
  ASSERT_EQ(tick(&kr, 1300, out), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
}

BRAID_TEST(delay_window_without_requests_sends_nothing) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 300);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 0, &r), 1);
  ASSERT_EQ(tick(&kr, 300, out), 0);
  ASSERT_EQ(tick(&kr, 1000, out), 0);
  /* Forced: a new delay window opens and the request goes out. */
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 4, 1100, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 1200, &r), 0);
  ASSERT_EQ(tick(&kr, 1400, out), 0); /* the delayed request found the wait window open */
  ASSERT_EQ(tick(&kr, 2100, out), 1); /* ... so it is retried when that expires */
}

BRAID_TEST(table_limit_and_remove) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r;
  for (uint32_t s = 0; s < BRAID_KEYFRAME_REQUESTER_MAX_SSRCS; s++)
    ASSERT_EQ(braid_keyframe_requester_need(&kr, 100 + s, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 999, 0, &r), BRAID_ELIMIT);
  braid_keyframe_requester_remove(&kr, 100);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 999, 0, &r), 1);
}

BRAID_TEST(on_timeout_respects_cap) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[1];
  for (uint32_t s = 0; s < 3; s++) {
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 0, &r), 1);
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 1, &r), 0);
  }
  ASSERT_EQ(braid_keyframe_requester_on_timeout(&kr, 1000, out, 1), 1);
  ASSERT(braid_keyframe_requester_next_timeout(&kr) <= 1000); /* the rest is still due */
  ASSERT_EQ(braid_keyframe_requester_on_timeout(&kr, 1000, out, 1), 1);
  ASSERT_EQ(braid_keyframe_requester_on_timeout(&kr, 1000, out, 1), 1);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 2000);
}


/* Found by the fuzzer: every SSRC's wait window retries and its
 * coalescing window ends in the same tick; with cap = MAX_SSRCS nothing
 * may be left due. */
BRAID_TEST(full_table_expiring_together) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 200);
  braid_keyframe_request_t r, out[BRAID_KEYFRAME_REQUESTER_MAX_SSRCS];
  for (uint32_t s = 0; s < BRAID_KEYFRAME_REQUESTER_MAX_SSRCS; s++) {
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 0, &r), 1);
    ASSERT_EQ(braid_keyframe_requester_force(&kr, s, 800, &r), 1); /* retry set, delay to 1000 */
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 900, &r), 0);  /* delayed */
  }
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 1000);
  ASSERT_EQ(tick(&kr, 1800, out), BRAID_KEYFRAME_REQUESTER_MAX_SSRCS);
  ASSERT(braid_keyframe_requester_next_timeout(&kr) > 1800);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(first_request_goes_out_and_opens_the_window)
                BRAID_TEST_ENTRY(requests_in_the_window_retry_once_at_expiry)
                BRAID_TEST_ENTRY(key_frame_closes_the_window)
                BRAID_TEST_ENTRY(ssrcs_are_independent)
                BRAID_TEST_ENTRY(forced_request_always_goes_out_and_restarts_the_window)
                BRAID_TEST_ENTRY(fir_when_no_pli_with_increasing_sequence_numbers)
                BRAID_TEST_ENTRY(nothing_without_negotiated_feedback)
                BRAID_TEST_ENTRY(delay_coalesces_requests)
                BRAID_TEST_ENTRY(delay_window_without_requests_sends_nothing)
                BRAID_TEST_ENTRY(table_limit_and_remove)
                BRAID_TEST_ENTRY(on_timeout_respects_cap)
                BRAID_TEST_ENTRY(full_table_expiring_together))
