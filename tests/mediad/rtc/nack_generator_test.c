/* Unit tests of mediad/rtc/nack_generator.c with a fake clock: gaps,
 * wrap, reordering, recovery, RTT retries (given, and measured from
 * repairs), max retries, age, overflow with and without a key frame,
 * batches written as RTCP NACKs. */
#include "mediad/rtc/nack_generator.h"

#include "mediad/wire/rtcp/nack.h"
#include "tests/test.h"

static braid_nack_generator_t *new_gen(uint32_t max_list, uint32_t max_age, uint8_t retries,
                                       uint32_t delay) {
  braid_nack_generator_config_t cfg = {max_list, max_age, retries, delay};
  braid_nack_generator_t *g;
  ASSERT_EQ(braid_nack_generator_new(&g, &cfg), 0);
  return g;
}

static unsigned rx(braid_nack_generator_t *g, uint16_t seq, int64_t now) {
  return braid_nack_generator_receive(g, seq, false, false, now);
}

/* Takes a batch and checks it is exactly want[0..n). */
static void batch_is(braid_nack_generator_t *g, int64_t now, const uint16_t *want, size_t n) {
  uint16_t out[64];
  size_t got = braid_nack_generator_batch(g, now, out, 64);
  ASSERT_EQ(got, n);
  for (size_t i = 0; i < n; i++)
    ASSERT_EQ(out[i], want[i]);
}

BRAID_TEST(in_order_stream_needs_no_nack) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  for (uint16_t s = 100; s < 300; s++)
    ASSERT_EQ(rx(g, s, s), 0);
  ASSERT_EQ(braid_nack_generator_missing(g), 0);
  ASSERT_EQ(braid_nack_generator_next_timeout(g), INT64_MAX);
  batch_is(g, 1000, NULL, 0);
  braid_nack_generator_free(g);
}

BRAID_TEST(gap_is_nacked_at_once_then_every_rtt) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  rx(g, 1, 0);
  rx(g, 2, 0);
  ASSERT_EQ(rx(g, 5, 10), BRAID_NACK_GENERATOR_DUE);
  ASSERT_EQ(braid_nack_generator_missing(g), 2);
  const uint16_t w[] = {3, 4};
  batch_is(g, 10, w, 2);
  ASSERT_EQ(braid_nack_generator_next_timeout(g), 110);
  batch_is(g, 109, NULL, 0); /* not yet one RTT */
  batch_is(g, 110, w, 2);
  braid_nack_generator_set_rtt(g, 30);
  ASSERT_EQ(braid_nack_generator_next_timeout(g), 140);
  batch_is(g, 140, w, 2);
  ASSERT_EQ(braid_nack_generator_stats(g)->nacked, 6);
  braid_nack_generator_free(g);
}

BRAID_TEST(max_retries_gives_up) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 3, 0);
  rx(g, 1, 0);
  rx(g, 3, 0);
  const uint16_t w[] = {2};
  batch_is(g, 0, w, 1);
  batch_is(g, 100, w, 1);
  batch_is(g, 200, w, 1); /* third and last */
  ASSERT_EQ(braid_nack_generator_missing(g), 0);
  ASSERT_EQ(braid_nack_generator_next_timeout(g), INT64_MAX);
  batch_is(g, 300, NULL, 0);
  ASSERT_EQ(braid_nack_generator_stats(g)->given_up, 1);
  braid_nack_generator_free(g);
}

BRAID_TEST(missing_packet_arrival_is_recovered) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  rx(g, 10, 0);
  rx(g, 15, 0);
  ASSERT_EQ(rx(g, 12, 1), BRAID_NACK_GENERATOR_RECOVERED);
  ASSERT_EQ(braid_nack_generator_receive(g, 13, false, true, 50), BRAID_NACK_GENERATOR_RECOVERED);
  ASSERT_EQ(rx(g, 12, 51), 0); /* a duplicate is not recovered twice */
  ASSERT_EQ(rx(g, 9, 51), 0);  /* older than the start: ignored */
  const uint16_t w[] = {11, 14};
  batch_is(g, 60, w, 2);
  ASSERT_EQ(braid_nack_generator_stats(g)->recovered, 2);
  braid_nack_generator_free(g);
}

BRAID_TEST(delay_absorbs_reordering) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 20);
  rx(g, 1, 0);
  ASSERT_EQ(rx(g, 4, 0), 0); /* 2 and 3 missing, not due yet */
  ASSERT_EQ(braid_nack_generator_next_timeout(g), 20);
  ASSERT_EQ(rx(g, 2, 5), BRAID_NACK_GENERATOR_RECOVERED);
  batch_is(g, 19, NULL, 0);
  const uint16_t w[] = {3};
  batch_is(g, 20, w, 1);
  braid_nack_generator_free(g);
}

BRAID_TEST(wrap_around_keeps_rtp_order) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  rx(g, 65533, 0);
  ASSERT_EQ(rx(g, 2, 0), BRAID_NACK_GENERATOR_DUE);
  const uint16_t w[] = {65534, 65535, 0, 1};
  uint16_t out[8];
  size_t n = braid_nack_generator_batch(g, 0, out, 8);
  ASSERT_EQ(n, 4);
  for (size_t i = 0; i < 4; i++)
    ASSERT_EQ(out[i], w[i]);
  /* The batch is what braid_rtcp_nack_write() wants: one entry. */
  braid_rtcp_fb_t fb = {.sender_ssrc = 1, .media_ssrc = 2};
  uint8_t pkt[64];
  ssize_t len = braid_rtcp_nack_write(pkt, sizeof pkt, &fb, out, n);
  ASSERT_EQ(len, 16);
  braid_rtcp_nack_t nack;
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, pkt, (size_t)len, NULL), 0);
  uint16_t back[17];
  ASSERT_EQ(braid_rtcp_nack_expand(&nack, back, 17), 4);
  ASSERT_MEM_EQ(back, w, sizeof w);
  ASSERT_EQ(rx(g, 0, 5), BRAID_NACK_GENERATOR_RECOVERED);
  braid_nack_generator_free(g);
}

BRAID_TEST(too_old_entries_are_given_up) {
  braid_nack_generator_t *g = new_gen(1000, 100, 10, 0);
  rx(g, 0, 0);
  rx(g, 20, 0); /* 1..19 missing */
  ASSERT_EQ(braid_nack_generator_missing(g), 19);
  rx(g, 110, 0); /* 21..109 missing; 1..9 now more than 100 behind */
  ASSERT_EQ(braid_nack_generator_missing(g), 10 + 89);
  rx(g, 300, 0); /* a jump beyond max_age: only the last 100 are listed */
  ASSERT_EQ(braid_nack_generator_missing(g), 100);
  uint16_t out[128];
  size_t n = braid_nack_generator_batch(g, 0, out, 128);
  ASSERT_EQ(n, 100);
  ASSERT_EQ(out[0], 200);
  ASSERT_EQ(out[99], 299);
  braid_nack_generator_free(g);
}

BRAID_TEST(overflow_without_key_frame_asks_for_one) {
  braid_nack_generator_t *g = new_gen(10, 10000, 10, 0);
  rx(g, 0, 0);
  rx(g, 6, 0);                                            /* 5 missing */
  ASSERT_EQ(rx(g, 13, 0), BRAID_NACK_GENERATOR_KEYFRAME); /* 5 + 6 > 10 */
  ASSERT_EQ(braid_nack_generator_missing(g), 0);
  ASSERT_EQ(braid_nack_generator_next_timeout(g), INT64_MAX);
  ASSERT_EQ(braid_nack_generator_stats(g)->keyframes, 1);
  ASSERT_EQ(rx(g, 15, 0), BRAID_NACK_GENERATOR_DUE); /* goes on normally */
  braid_nack_generator_free(g);
}

BRAID_TEST(overflow_trims_up_to_a_key_frame) {
  braid_nack_generator_t *g = new_gen(10, 10000, 10, 0);
  rx(g, 0, 0);
  rx(g, 6, 0);                                                      /* 1..5 missing */
  ASSERT_NE(braid_nack_generator_receive(g, 8, true, false, 0), 0); /* key frame; 7 missing */
  ASSERT_EQ(braid_nack_generator_missing(g), 6);
  ASSERT_EQ(rx(g, 14, 0), BRAID_NACK_GENERATOR_DUE); /* 9..13: room made by the key frame */
  const uint16_t w[] = {9, 10, 11, 12, 13};
  batch_is(g, 0, w, 5);
  braid_nack_generator_free(g);
}

BRAID_TEST(newer_rtx_packet_is_ignored) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  rx(g, 1, 0);
  ASSERT_EQ(braid_nack_generator_receive(g, 3, false, true, 0), 0);
  ASSERT_EQ(braid_nack_generator_missing(g), 0);
  ASSERT_EQ(rx(g, 2, 0), 0); /* still the next in order */
  braid_nack_generator_free(g);
}

BRAID_TEST(batch_cap_leaves_the_rest_due) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  rx(g, 1, 0);
  rx(g, 7, 0);
  uint16_t out[2];
  ASSERT_EQ(braid_nack_generator_batch(g, 0, out, 2), 2);
  ASSERT_EQ(out[0], 2);
  ASSERT(braid_nack_generator_next_timeout(g) <= 0);
  ASSERT_EQ(braid_nack_generator_batch(g, 0, out, 2), 2);
  ASSERT_EQ(out[0], 4);
  ASSERT_EQ(braid_nack_generator_batch(g, 0, out, 2), 1);
  ASSERT_EQ(out[0], 6);
  ASSERT_EQ(braid_nack_generator_next_timeout(g), 100);
  braid_nack_generator_free(g);
}

BRAID_TEST(reset_and_config_checks) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  rx(g, 1, 0);
  rx(g, 9, 0);
  braid_nack_generator_reset(g);
  ASSERT_EQ(braid_nack_generator_missing(g), 0);
  ASSERT_EQ(rx(g, 30000, 0), 0); /* a new start */
  ASSERT_EQ(rx(g, 30001, 0), 0);
  braid_nack_generator_free(g);
  braid_nack_generator_config_t bad[] = {{0, 100, 10, 0},
                                         {BRAID_NACK_GENERATOR_MAX_LIST + 1, 100, 10, 0},
                                         {10, 0, 10, 0},
                                         {10, 40000, 10, 0},
                                         {10, 100, 0, 0}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ASSERT_EQ(braid_nack_generator_new(&g, &bad[i]), BRAID_EINVAL);
  braid_nack_generator_free(NULL);
}

/* Random loss and reordering: every packet that never arrives is NACKed
 * at least once; every NACKed packet that arrives is recovered. */
BRAID_TEST(randomized_loss_and_reorder) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 5, 0);
  uint32_t seed = 7;
  enum { N = 30000 };
  static uint8_t state[N]; /* 0 sent, 1 lost, 2 delayed */
  static uint8_t nacked[N];
  uint16_t base = 60000;
  int64_t now = 0;
  int delayed = -1;
  for (int i = 0; i < N; i++, now += 2) {
    seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
    state[i] = i == 0 ? 0 : seed % 100 < 3 ? 1 : (seed % 100 < 6 && delayed < 0) ? 2 : 0;
    if (state[i] == 2) delayed = i;
    if (state[i] == 0) braid_nack_generator_receive(g, (uint16_t)(base + i), false, false, now);
    if (delayed >= 0 && i - delayed == 3) {
      unsigned ev = braid_nack_generator_receive(g, (uint16_t)(base + delayed), false, false, now);
      ASSERT(ev & BRAID_NACK_GENERATOR_RECOVERED);
      delayed = -1;
    }
    uint16_t out[64];
    size_t n;
    while ((n = braid_nack_generator_batch(g, now, out, 64)) > 0)
      for (size_t k = 0; k < n; k++)
        nacked[(uint16_t)(out[k] - base)] = 1;
  }
  for (int i = 0; i < N - 3; i++)
    if (state[i] == 1) ASSERT(nacked[i]); /* a delayed one may arrive before its NACK */
  braid_nack_generator_free(g);
}

/* Without an RTT from RTCP the generator times its own repairs: a packet
 * NACKed once and repaired through RTX 6 ms later makes the retry interval
 * SRTT + 4 RTTVAR = 6 + 12, raised to the 20 ms floor; a repair after a
 * second NACK is not timed (Karn); a late original is not either; an RTT
 * given with set_rtt() wins while it is set. */
BRAID_TEST(rtt_is_measured_from_single_nack_repairs) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  ASSERT_EQ(braid_nack_generator_retry_ms(g), BRAID_NACK_GENERATOR_DEFAULT_RTT_MS);
  rx(g, 1, 0);
  ASSERT_EQ(rx(g, 3, 0), BRAID_NACK_GENERATOR_DUE);
  const uint16_t two[] = {2};
  batch_is(g, 0, two, 1);
  ASSERT_EQ(braid_nack_generator_receive(g, 2, false, true, 6), BRAID_NACK_GENERATOR_RECOVERED);
  ASSERT_EQ(braid_nack_generator_stats(g)->rtt_samples, 1);
  ASSERT_EQ(braid_nack_generator_retry_ms(g), BRAID_NACK_GENERATOR_MIN_RETRY_MS);

  /* The next gap is asked again after 20 ms, not 100. */
  rx(g, 5, 10);
  const uint16_t four[] = {4};
  batch_is(g, 10, four, 1);
  ASSERT_EQ(braid_nack_generator_next_timeout(g), 30);
  batch_is(g, 29, NULL, 0);
  batch_is(g, 30, four, 1);
  /* Repaired after the second NACK: no sample. */
  ASSERT_EQ(braid_nack_generator_receive(g, 4, false, true, 35), BRAID_NACK_GENERATOR_RECOVERED);
  ASSERT_EQ(braid_nack_generator_stats(g)->rtt_samples, 1);
  /* A late original after one NACK: no sample either. */
  rx(g, 7, 40);
  const uint16_t six[] = {6};
  batch_is(g, 40, six, 1);
  ASSERT_EQ(rx(g, 6, 41), BRAID_NACK_GENERATOR_RECOVERED);
  ASSERT_EQ(braid_nack_generator_stats(g)->rtt_samples, 1);

  /* An RTT from RTCP replaces the measure, and 0 gives it back. */
  braid_nack_generator_set_rtt(g, 50);
  ASSERT_EQ(braid_nack_generator_retry_ms(g), 50);
  braid_nack_generator_set_rtt(g, 0);
  ASSERT_EQ(braid_nack_generator_retry_ms(g), BRAID_NACK_GENERATOR_MIN_RETRY_MS);
  braid_nack_generator_free(g);
}

/* A long path: a 300 ms repair gives 300 + 4 x 150 = 900 ms between
 * NACKs, and a repair slower than the ceiling counts as the ceiling. */
BRAID_TEST(measured_rtt_is_bounded) {
  braid_nack_generator_t *g = new_gen(1000, 10000, 10, 0);
  rx(g, 1, 0);
  rx(g, 3, 0);
  const uint16_t two[] = {2};
  batch_is(g, 0, two, 1);
  braid_nack_generator_receive(g, 2, false, true, 300);
  ASSERT_EQ(braid_nack_generator_retry_ms(g), 900);
  rx(g, 5, 400);
  const uint16_t four[] = {4};
  batch_is(g, 400, four, 1);
  braid_nack_generator_receive(g, 4, false, true, 400 + 5000);
  ASSERT_EQ(braid_nack_generator_retry_ms(g), BRAID_NACK_GENERATOR_MAX_RETRY_MS);
  braid_nack_generator_free(g);
}

/* clang-format off */
BRAID_TEST_LIST(BRAID_TEST_ENTRY(in_order_stream_needs_no_nack)
                BRAID_TEST_ENTRY(gap_is_nacked_at_once_then_every_rtt)
                BRAID_TEST_ENTRY(max_retries_gives_up)
                BRAID_TEST_ENTRY(missing_packet_arrival_is_recovered)
                BRAID_TEST_ENTRY(delay_absorbs_reordering)
                BRAID_TEST_ENTRY(wrap_around_keeps_rtp_order)
                BRAID_TEST_ENTRY(too_old_entries_are_given_up)
                BRAID_TEST_ENTRY(overflow_without_key_frame_asks_for_one)
                BRAID_TEST_ENTRY(overflow_trims_up_to_a_key_frame)
                BRAID_TEST_ENTRY(newer_rtx_packet_is_ignored)
                BRAID_TEST_ENTRY(batch_cap_leaves_the_rest_due)
                BRAID_TEST_ENTRY(reset_and_config_checks)
                BRAID_TEST_ENTRY(randomized_loss_and_reorder)
                BRAID_TEST_ENTRY(rtt_is_measured_from_single_nack_repairs)
                BRAID_TEST_ENTRY(measured_rtt_is_bounded))
/* clang-format on */
