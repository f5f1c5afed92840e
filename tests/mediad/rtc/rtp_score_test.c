/* Unit tests of mediad/rtc/rtp_score.c: samples from loss and repair
 * counts, and the weighted history. */
#include "mediad/rtc/rtp_score.h"

#include "tests/test.h"

BRAID_TEST(samples_from_loss) {
  ASSERT_EQ(braid_rtp_score_sample(0, 0, 0, 0, 0, false), 10);      /* nothing expected */
  ASSERT_EQ(braid_rtp_score_sample(5, 0, 5, 0, 0, false), 0);       /* nothing received */
  ASSERT_EQ(braid_rtp_score_sample(100, 100, 0, 0, 0, false), 10);  /* no loss */
  ASSERT_EQ(braid_rtp_score_sample(110, 100, 10, 0, 0, false), 7);  /* 0.9^4 = 0.656 */
  ASSERT_EQ(braid_rtp_score_sample(150, 100, 50, 0, 0, false), 1);  /* 0.5^4 = 0.0625 */
  ASSERT_EQ(braid_rtp_score_sample(300, 100, 200, 0, 0, false), 0); /* lost capped at total */
  ASSERT_EQ(braid_rtp_score_sample(101, 100, 1, 0, 0, false), 10);  /* 0.99^4 = 0.96 */
}

BRAID_TEST(samples_with_repair) {
  /* 10 lost, all repaired with one retransmission each: lost' = 10 - 10 *
   * (1/1.1)^4 = 3.17 -> 3; 0.97^4 = 0.885 -> 9. */
  ASSERT_EQ(braid_rtp_score_sample(110, 100, 10, 10, 10, true), 9);
  /* The same repairs at two retransmissions each weigh half. */
  ASSERT_EQ(braid_rtp_score_sample(110, 100, 10, 10, 20, true), 8);
  /* More repaired than lost: with RTX repaired is capped, without RTX lost
   * is raised (mediasoup). */
  ASSERT_EQ(braid_rtp_score_sample(100, 100, 0, 5, 5, true), 10);
  ASSERT_EQ(braid_rtp_score_sample(100, 100, 0, 5, 5, false), 10);
  ASSERT_EQ(braid_rtp_score_sample(100, 100, 2, 5, 1, false), 10); /* retransmitted < repaired */
}

BRAID_TEST(weighted_history) {
  braid_rtp_score_t s;
  braid_rtp_score_reset(&s, 10);
  ASSERT_EQ(s.score, 10);
  ASSERT(!braid_rtp_score_add(&s, 10));
  ASSERT(!braid_rtp_score_add(&s, 10));
  ASSERT(!braid_rtp_score_add(&s, 10));
  ASSERT(braid_rtp_score_add(&s, 0)); /* (1*10 + 2*10 + 3*10 + 4*0) / 10 = 6 */
  ASSERT_EQ(s.score, 6);
  braid_rtp_score_reset(&s, 0);
  ASSERT(braid_rtp_score_add(&s, 3)); /* a single sample is the score */
  ASSERT_EQ(s.score, 3);
  braid_rtp_score_reset(&s, 0);
  ASSERT(braid_rtp_score_add(&s, 1));
  ASSERT(braid_rtp_score_add(&s, 2)); /* (1 + 4) / 3 = 1.67 -> 2 */
  ASSERT_EQ(s.score, 2);
  braid_rtp_score_reset(&s, 99);
  ASSERT_EQ(s.score, 10);
}

BRAID_TEST(history_keeps_the_last_24) {
  braid_rtp_score_t s;
  braid_rtp_score_reset(&s, 10);
  for (int i = 0; i < 100; i++) braid_rtp_score_add(&s, 0);
  ASSERT_EQ(s.n, BRAID_RTP_SCORE_HISTORY);
  ASSERT_EQ(s.score, 0);
  for (int i = 0; i < BRAID_RTP_SCORE_HISTORY; i++) braid_rtp_score_add(&s, 10);
  ASSERT_EQ(s.score, 10); /* the zeros are gone */
  braid_rtp_score_add(&s, 200);  /* clamped to 10 */
  ASSERT_EQ(s.samples[BRAID_RTP_SCORE_HISTORY - 1], 10);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(samples_from_loss) BRAID_TEST_ENTRY(samples_with_repair)
                BRAID_TEST_ENTRY(weighted_history) BRAID_TEST_ENTRY(history_keeps_the_last_24))
