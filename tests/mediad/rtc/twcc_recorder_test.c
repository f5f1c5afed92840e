/*
 * The TWCC recorder (mediad/rtc/twcc_recorder.h): what it records comes
 * back out of the wire layer's parser as the feedback a sender reads.
 */
#include "mediad/rtc/twcc_recorder.h"

#include "common/err.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtp_packet.h"
#include "tests/test.h"

/* Parses the feedback compound buf[0..len) and checks that it reports,
 * from base on, exactly want[0..n) as received/lost with those arrivals
 * (arrival -1: lost). */
typedef struct want {
  uint16_t seq;
  int64_t arrival_us; /* -1: not received */
} want_t;

static void expect(const uint8_t *buf, size_t len, const want_t *want, size_t n) {
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t pk;
  size_t i = 0;
  int64_t first = -1;
  braid_rtcp_compound_init(&it, buf, len, BRAID_RTCP_COMPOUND_PAD_ANY);
  while (braid_rtcp_compound_next(&it, &pk) == 1) {
    braid_rtcp_twcc_t fb;
    braid_rtcp_twcc_iter_t ti;
    braid_rtcp_twcc_status_t st;
    ASSERT_EQ(braid_rtcp_twcc_parse(&fb, pk.data, pk.len, NULL), 0);
    ASSERT_EQ(fb.fb.sender_ssrc, 7);
    ASSERT_EQ(fb.fb.media_ssrc, 0x1234);
    braid_rtcp_twcc_iter_init(&ti, &fb);
    while (braid_rtcp_twcc_iter_next(&ti, &st)) {
      ASSERT(i < n);
      ASSERT_EQ(st.seq, want[i].seq);
      ASSERT_EQ(st.received, want[i].arrival_us >= 0);
      if (st.received) {
        /* Times are relative to the 64 ms reference and rounded to 250 us. */
        if (first < 0) first = want[i].arrival_us - st.arrival_us;
        int64_t err = want[i].arrival_us - first - st.arrival_us;
        ASSERT(err > -250 && err < 250);
      }
      i++;
    }
  }
  ASSERT_EQ(i, n);
}

BRAID_TEST(reports_arrivals_and_losses) {
  braid_twcc_recorder_t r;
  uint8_t buf[1200];
  braid_twcc_recorder_init(&r);
  ASSERT(!braid_twcc_recorder_pending(&r));
  ASSERT_EQ(braid_twcc_recorder_write(&r, 7, buf, sizeof buf), 0);
  /* 100, 101, (102 lost), 104 before 103 (reordered). */
  braid_twcc_recorder_record(&r, 100, 0x1234, 1000000);
  braid_twcc_recorder_record(&r, 101, 0x1234, 1001000);
  braid_twcc_recorder_record(&r, 104, 0x1234, 1005000);
  braid_twcc_recorder_record(&r, 103, 0x1234, 1004500);
  ASSERT(braid_twcc_recorder_pending(&r));
  ssize_t n = braid_twcc_recorder_write(&r, 7, buf, sizeof buf);
  ASSERT(n > 0);
  const want_t w1[] = {{100, 1000000}, {101, 1001000}, {102, -1}, {103, 1004500}, {104, 1005000}};
  expect(buf, (size_t)n, w1, 5);
  ASSERT(!braid_twcc_recorder_pending(&r));
  /* The next window starts after 104; 102 arriving late is not reported. */
  braid_twcc_recorder_record(&r, 102, 0x1234, 1006000);
  ASSERT(!braid_twcc_recorder_pending(&r));
  braid_twcc_recorder_record(&r, 106, 0x1234, 1010000);
  n = braid_twcc_recorder_write(&r, 7, buf, sizeof buf);
  const want_t w2[] = {{105, -1}, {106, 1010000}};
  expect(buf, (size_t)n, w2, 2);
}

BRAID_TEST(wraps_and_jumps) {
  braid_twcc_recorder_t r;
  uint8_t buf[1200];
  braid_twcc_recorder_init(&r);
  braid_twcc_recorder_record(&r, 65534, 0x1234, 5000);
  braid_twcc_recorder_record(&r, 65535, 0x1234, 6000);
  braid_twcc_recorder_record(&r, 0, 0x1234, 7000);
  ssize_t n = braid_twcc_recorder_write(&r, 7, buf, sizeof buf);
  const want_t w1[] = {{65534, 5000}, {65535, 6000}, {0, 7000}};
  expect(buf, (size_t)n, w1, 3);
  /* A jump past the window starts over at the new number. */
  braid_twcc_recorder_record(&r, 5000, 0x1234, 9000);
  braid_twcc_recorder_record(&r, 5001, 0x1234, 9500);
  n = braid_twcc_recorder_write(&r, 7, buf, sizeof buf);
  const want_t w2[] = {{5000, 9000}, {5001, 9500}};
  expect(buf, (size_t)n, w2, 2);
}

BRAID_TEST(full_window_splits_over_datagrams) {
  braid_twcc_recorder_t r;
  uint8_t small[64], buf[1200];
  braid_twcc_recorder_init(&r);
  for (uint16_t i = 0; i < BRAID_TWCC_RECORDER_WINDOW; i++)
    braid_twcc_recorder_record(&r, i, 0x1234, 1000 * (int64_t)i + (i % 3) * 700);
  /* Too small for one packet's worth: nothing is consumed. */
  ASSERT_EQ(braid_twcc_recorder_write(&r, 7, small, 8), BRAID_ELIMIT);
  size_t total = 0;
  ssize_t n;
  int rounds = 0;
  while ((n = braid_twcc_recorder_write(&r, 7, small, sizeof small)) > 0) {
    braid_rtcp_compound_t it;
    braid_rtcp_packet_t pk;
    braid_rtcp_compound_init(&it, small, (size_t)n, BRAID_RTCP_COMPOUND_PAD_ANY);
    while (braid_rtcp_compound_next(&it, &pk) == 1) {
      braid_rtcp_twcc_t fb;
      ASSERT_EQ(braid_rtcp_twcc_parse(&fb, pk.data, pk.len, NULL), 0);
      ASSERT_EQ(fb.base_seq, total);
      total += fb.status_count;
    }
    ASSERT(++rounds < 2000);
  }
  ASSERT_EQ(total, BRAID_TWCC_RECORDER_WINDOW);
  ASSERT(!braid_twcc_recorder_pending(&r));
  (void)buf;
}

/* Packets that came before the transport-wide id was known are reported
 * once it is: the elements with that id, in arrival order. */
BRAID_TEST(early_packets_reported_once_the_id_is_known) {
  static braid_twcc_recorder_t r;
  braid_twcc_recorder_init(&r);
  for (uint16_t s = 0; s < 3; s++) {
    /* One-byte extensions: abs-send-time (id 2, 3 bytes), TWCC (id 3),
     * and another 2-byte element (id 9). */
    uint8_t pkt[] = {0x90, 96, 0, (uint8_t)s, 0, 0, 0, 1, 0, 0, 0x12, 0x34, 0xbe, 0xde, 0, 3,
                     0x22, 1, 2, 3, 0x31, 0x00, (uint8_t)(40 + s), 0x91, 0x77, 0x77, 0, 0};
    braid_rtp_packet_t p;
    braid_rtp_ext_t ext;
    ASSERT_EQ(braid_rtp_packet_parse(&p, pkt, sizeof pkt), 0);
    ASSERT_EQ(braid_rtp_ext_parse(&ext, &p), 0);
    braid_twcc_recorder_keep_early(&r, &ext, 0x1234, 1000 * (int64_t)s);
  }
  ASSERT(!braid_twcc_recorder_pending(&r));
  braid_twcc_recorder_learn_id(&r, 3);
  ASSERT(braid_twcc_recorder_pending(&r));
  uint8_t buf[256];
  ssize_t n = braid_twcc_recorder_write(&r, 7, buf, sizeof buf);
  ASSERT(n > 0);
  want_t want[] = {{40, 0}, {41, 1000}, {42, 2000}};
  expect(buf, (size_t)n, want, 3);
  /* Once known, nothing more is kept or replayed. */
  braid_twcc_recorder_learn_id(&r, 9);
  ASSERT(!braid_twcc_recorder_pending(&r));
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(reports_arrivals_and_losses) BRAID_TEST_ENTRY(wraps_and_jumps)
                    BRAID_TEST_ENTRY(full_window_splits_over_datagrams)
                        BRAID_TEST_ENTRY(early_packets_reported_once_the_id_is_known))
