/* Unit tests of mediad/rtc/rtp_send_stats.c: SR sender info (counts and
 * the NTP/RTP pair), RTT from report blocks, consumer score. */
#include "mediad/rtc/rtp_send_stats.h"

#include "tests/test.h"

BRAID_TEST(ntp_from_unix_ms) {
  ASSERT_EQ(braid_rtp_send_stats_ntp_from_unix_ms(0), (uint64_t)2208988800u << 32);
  uint64_t n = braid_rtp_send_stats_ntp_from_unix_ms(1500);
  ASSERT_EQ(n >> 32, 2208988801u);
  ASSERT_EQ(n & 0xffffffffu, 0x80000000u);
  n = braid_rtp_send_stats_ntp_from_unix_ms(1700000000250);
  ASSERT_EQ(n >> 32, 1700000000u + 2208988800u);
  ASSERT_EQ(n & 0xffffffffu, 0x40000000u);
}

BRAID_TEST(sender_info_counts_and_extrapolates_rtp_time) {
  braid_rtp_send_stats_t st;
  braid_rtp_send_stats_init(&st, 90000);
  braid_rtcp_sender_info_t si;
  ASSERT_EQ(braid_rtp_send_stats_sender_info(&st, 1, 0, &si), BRAID_ESTATE);
  braid_rtp_send_stats_on_packet(&st, 1000, 1100, 1200, 0);
  braid_rtp_send_stats_on_packet(&st, 4000, 900, 1000, 33);
  braid_rtp_send_stats_on_packet(&st, 3000, 500, 600, 40); /* reordered: not the max */
  ASSERT_EQ(braid_rtp_send_stats_sender_info(&st, 0xdeadbeef12345678ull, 133, &si), 0);
  ASSERT_EQ(si.ntp, 0xdeadbeef12345678ull);
  ASSERT_EQ(si.rtp_ts, 4000 + 9000); /* 100 ms after the max timestamp */
  ASSERT_EQ(si.packet_count, 3);
  ASSERT_EQ(si.octet_count, 2500); /* payload only */
  ASSERT_EQ(st.bytes, 2800);
  /* The timestamp wraps like the field. */
  braid_rtp_send_stats_init(&st, 90000);
  braid_rtp_send_stats_on_packet(&st, 0xffffff00u, 10, 22, 200);
  braid_rtp_send_stats_on_packet(&st, 0x00000200u, 10, 22, 210);
  ASSERT_EQ(braid_rtp_send_stats_sender_info(&st, 0, 220, &si), 0);
  ASSERT_EQ(si.rtp_ts, 0x200u + 900);
}

BRAID_TEST(rtt_from_report_block) {
  braid_rtp_send_stats_t st;
  braid_rtp_send_stats_init(&st, 90000);
  uint64_t now = braid_rtp_send_stats_ntp_from_unix_ms(1700000005000);
  uint32_t a = (uint32_t)(now >> 16);
  braid_rtcp_report_block_t b = {0};
  b.dlsr = 0x8000;            /* 0.5 s held by the receiver */
  b.lsr = a - b.dlsr - 6554;  /* 100 ms of network */
  braid_rtp_send_stats_on_report(&st, &b, now, true);
  ASSERT(st.have_rtt);
  ASSERT_EQ(st.rtt_ms, 100);
  /* No LSR yet, or an impossible result: the RTT is kept. */
  b.lsr = 0;
  braid_rtp_send_stats_on_report(&st, &b, now, true);
  ASSERT_EQ(st.rtt_ms, 100);
  b.lsr = a - 10;
  b.dlsr = 0x10000;
  braid_rtp_send_stats_on_report(&st, &b, now, true);
  ASSERT_EQ(st.rtt_ms, 100);
}

BRAID_TEST(score_from_receiver_reports) {
  braid_rtp_send_stats_t st;
  braid_rtp_send_stats_init(&st, 90000);
  braid_rtcp_report_block_t b = {0};
  for (uint32_t i = 0; i < 100; i++) braid_rtp_send_stats_on_packet(&st, i, 100, 112, i);
  b.packets_lost = 10;
  b.fraction_lost = 25;
  ASSERT(braid_rtp_send_stats_on_report(&st, &b, 0, false));
  ASSERT_EQ(st.score.score, 7);
  ASSERT_EQ(st.packets_lost, 10);
  ASSERT_EQ(st.fraction_lost, 25);
  /* Next interval: 100 sent, 10 lost and all repaired once. */
  for (uint32_t i = 0; i < 100; i++) braid_rtp_send_stats_on_packet(&st, i, 100, 112, i);
  for (int i = 0; i < 10; i++) braid_rtp_send_stats_on_resend(&st, true);
  b.packets_lost = 20;
  braid_rtp_send_stats_on_report(&st, &b, 0, true);
  ASSERT_EQ(st.score.samples[1], 9);
  /* Nothing sent: a 10. */
  braid_rtp_send_stats_on_report(&st, &b, 0, true);
  ASSERT_EQ(st.score.samples[2], 10);
  ASSERT_EQ(st.retransmitted, 10);
  ASSERT_EQ(st.repaired, 10);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(ntp_from_unix_ms)
                BRAID_TEST_ENTRY(sender_info_counts_and_extrapolates_rtp_time)
                BRAID_TEST_ENTRY(rtt_from_report_block)
                BRAID_TEST_ENTRY(score_from_receiver_reports))
