/* Unit tests of mediad/rtc/rtp_recv_stats.c: RFC 3550 A.1 (wrap, dropout,
 * restart), A.3 (lost, fraction lost), A.8 (jitter), LSR/DLSR, and the
 * producer score, with a fake clock. */
#include "mediad/rtc/rtp_recv_stats.h"

#include "tests/mediad/rtc/rtp_maker.h"

static void rx(braid_rtp_recv_stats_t *st, uint16_t seq, uint32_t ts, int64_t now) {
  ASSERT_EQ(braid_rtp_recv_stats_update(st, seq, ts, 1000, now, false), 0);
}

BRAID_TEST(in_order_reports_nothing_lost) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 90000);
  braid_rtcp_report_block_t b;
  braid_rtp_recv_stats_report(&st, 77, 0, &b); /* before any packet */
  ASSERT_EQ(b.ssrc, 77);
  ASSERT_EQ(b.packets_lost, 0);
  ASSERT_EQ(b.highest_seq, 0);
  for (uint16_t s = 1000; s < 1100; s++) rx(&st, s, 3000u * s, 33 * s);
  braid_rtp_recv_stats_report(&st, 77, 5000, &b);
  ASSERT_EQ(b.highest_seq, 1099);
  ASSERT_EQ(b.packets_lost, 0);
  ASSERT_EQ(b.fraction_lost, 0);
  ASSERT_EQ(b.lsr, 0);
  ASSERT_EQ(b.dlsr, 0);
  ASSERT_EQ(st.bytes, 100 * 1000);
}

BRAID_TEST(loss_and_fraction_per_interval) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 90000);
  for (uint16_t s = 0; s < 100; s++)
    if (s % 10 != 5) rx(&st, s, 0, 0); /* 10 of 100 lost */
  braid_rtcp_report_block_t b;
  braid_rtp_recv_stats_report(&st, 1, 0, &b);
  ASSERT_EQ(b.packets_lost, 10);
  ASSERT_EQ(b.fraction_lost, 25); /* 10 * 256 / 100 */
  for (uint16_t s = 100; s < 200; s++) rx(&st, s, 0, 0);
  braid_rtp_recv_stats_report(&st, 1, 0, &b);
  ASSERT_EQ(b.packets_lost, 10); /* cumulative */
  ASSERT_EQ(b.fraction_lost, 0);
  /* Late arrivals of the lost ones make the interval negative: 0. */
  rx(&st, 5, 0, 0);
  rx(&st, 15, 0, 0);
  braid_rtp_recv_stats_report(&st, 1, 0, &b);
  ASSERT_EQ(b.packets_lost, 8);
  ASSERT_EQ(b.fraction_lost, 0);
  ASSERT_EQ(braid_rtp_recv_stats_lost(&st), 8);
}

BRAID_TEST(sequence_wrap_counts_cycles) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 48000);
  for (uint16_t s = 65530; s != 11; s++) rx(&st, s, 0, 0);
  ASSERT_EQ(st.cycles, 65536);
  ASSERT_EQ(braid_rtp_recv_stats_ext_max(&st), 65536 + 10);
  braid_rtcp_report_block_t b;
  braid_rtp_recv_stats_report(&st, 1, 0, &b);
  ASSERT_EQ(b.highest_seq, 65546);
  ASSERT_EQ(b.packets_lost, 0);
  /* A reordered packet from before the wrap does not count a cycle. */
  rx(&st, 65534, 0, 0);
  ASSERT_EQ(st.cycles, 65536);
}

BRAID_TEST(big_jump_is_discarded_unless_confirmed) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 90000);
  rx(&st, 100, 0, 0);
  rx(&st, 101, 0, 0);
  ASSERT_EQ(braid_rtp_recv_stats_update(&st, 20000, 0, 10, 0, false), BRAID_ESTATE);
  ASSERT_EQ(st.discarded, 1);
  rx(&st, 102, 0, 0); /* the stream goes on */
  ASSERT_EQ(braid_rtp_recv_stats_update(&st, 30000, 0, 10, 0, false), BRAID_ESTATE);
  rx(&st, 30001, 0, 0); /* confirmed: the source restarted */
  ASSERT_EQ(st.base_seq, 30001);
  ASSERT_EQ(st.received, 1);
  ASSERT_EQ(braid_rtp_recv_stats_lost(&st), 0);
  /* Misorder within 1500 is accepted; 1500 and more behind is not. */
  rx(&st, (uint16_t)(30001 - 1499), 0, 0);
  ASSERT_EQ(braid_rtp_recv_stats_update(&st, (uint16_t)(30001 - 1500), 0, 10, 0, false),
            BRAID_ESTATE);
  /* A forward jump below 3000 is plain loss. */
  rx(&st, 30001 + 2999, 0, 0);
  ASSERT_EQ(braid_rtp_recv_stats_lost(&st), 2998 - 1);
}

BRAID_TEST(jitter_in_clock_units) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 90000);
  /* Perfectly paced: 20 ms apart, 1800 ticks apart. */
  for (int i = 0; i < 200; i++) rx(&st, (uint16_t)i, 1800u * i, 20 * i);
  braid_rtcp_report_block_t b;
  braid_rtp_recv_stats_report(&st, 1, 0, &b);
  ASSERT_EQ(b.jitter, 0);
  /* Arrivals alternate 5 ms early and on time: |D| = 450 ticks each. */
  for (int i = 200; i < 600; i++) rx(&st, (uint16_t)i, 1800u * i, 20 * i - (i % 2 ? 5 : 0));
  braid_rtp_recv_stats_report(&st, 1, 0, &b);
  ASSERT(b.jitter >= 440 && b.jitter <= 450);
  /* Retransmitted packets do not touch the jitter or the received count. */
  uint32_t j = st.jitter_q4;
  uint64_t rec = st.received;
  ASSERT_EQ(braid_rtp_recv_stats_update(&st, 300, 0, 10, 99999, true), 0);
  ASSERT_EQ(st.jitter_q4, j);
  ASSERT_EQ(st.received, rec);
  ASSERT_EQ(st.retransmitted, 1);
}

BRAID_TEST(lsr_and_dlsr) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 90000);
  rx(&st, 1, 0, 0);
  braid_rtp_recv_stats_on_sr(&st, 0x123456789abcdef0ull, 4242, 10000);
  braid_rtcp_report_block_t b;
  braid_rtp_recv_stats_report(&st, 1, 11500, &b);
  ASSERT_EQ(b.lsr, 0x56789abc);
  ASSERT_EQ(b.dlsr, 98304); /* 1.5 s in 1/65536 s */
}

BRAID_TEST(score_from_loss_and_repair) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 90000);
  ASSERT_EQ(braid_rtp_recv_stats_score(&st), 10);
  for (uint16_t s = 0; s < 110; s++)
    if (s % 11 != 3) rx(&st, s, 0, 0); /* 100 received, 10 lost */
  ASSERT(braid_rtp_recv_stats_update_score(&st, true));
  ASSERT_EQ(braid_rtp_recv_stats_score(&st), 7);
  /* Next interval: every loss repaired through RTX. */
  for (uint16_t s = 110; s < 220; s++) {
    if (s % 11 != 3) {
      rx(&st, s, 0, 0);
    } else {
      ASSERT_EQ(braid_rtp_recv_stats_update(&st, s, 0, 10, 0, true), 0);
      braid_rtp_recv_stats_repaired(&st);
    }
  }
  braid_rtp_recv_stats_update_score(&st, true);
  ASSERT_EQ(st.score.samples[1], 9);
  ASSERT_EQ(braid_rtp_recv_stats_score(&st), 8); /* (7 + 2 * 9) / 3 = 8.3 */
  /* Nothing expected: a 10. */
  braid_rtp_recv_stats_update_score(&st, true);
  ASSERT_EQ(st.score.samples[2], 10);
}

BRAID_TEST(cost_per_packet) {
  braid_rtp_recv_stats_t st;
  braid_rtp_recv_stats_init(&st, 90000);
  int64_t t0 = test_now_ns();
  for (uint32_t i = 0; i < 1000000; i++)
    ASSERT(braid_rtp_recv_stats_update(&st, (uint16_t)i, i * 3000, 1200, i, false) == 0);
  int64_t t1 = test_now_ns();
  printf("  rtp_recv_stats: %.1f ns per packet\n", (double)(t1 - t0) / 1e6);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(in_order_reports_nothing_lost)
                BRAID_TEST_ENTRY(loss_and_fraction_per_interval)
                BRAID_TEST_ENTRY(sequence_wrap_counts_cycles)
                BRAID_TEST_ENTRY(big_jump_is_discarded_unless_confirmed)
                BRAID_TEST_ENTRY(jitter_in_clock_units)
                BRAID_TEST_ENTRY(lsr_and_dlsr)
                BRAID_TEST_ENTRY(score_from_loss_and_repair)
                BRAID_TEST_ENTRY(cost_per_packet))
