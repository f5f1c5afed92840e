/* Unit tests of the reception report block, mediad/wire/rtcp/report_block.c. */
#include "mediad/wire/rtcp/report_block.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

static const uint8_t block[] = {
    0x55, 0x66, 0x77, 0x88, /* SSRC of the source */
    0x19,                   /* fraction lost 25/256 */
    0xff, 0xff, 0xfe,       /* cumulative lost -2 (duplicates) */
    0x00, 0x01, 0x12, 0x34, /* extended highest seq: 1 cycle, seq 0x1234 */
    0x00, 0x00, 0x00, 0x2a, /* jitter 42 */
    0x2d, 0x80, 0x40, 0x00, /* LSR: middle 32 bits of the SR's NTP time */
    0x00, 0x01, 0x80, 0x00, /* DLSR 1.5 s (units of 1/65536 s) */
};

static int parse_block(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_report_block_t blk;
  return braid_rtcp_report_block_parse(&blk, data, len, why);
}

static ssize_t write_block(uint8_t *buf, size_t cap, const void *arg) {
  return braid_rtcp_report_block_write(arg, buf, cap);
}

BRAID_TEST(parse_fields_and_round_trip) {
  braid_rtcp_report_block_t blk;
  ASSERT_EQ(braid_rtcp_report_block_parse(&blk, block, sizeof block, NULL), 0);
  ASSERT_EQ(blk.ssrc, 0x55667788);
  ASSERT_EQ(blk.fraction_lost, 25);
  ASSERT_EQ(blk.packets_lost, -2);
  ASSERT_EQ(blk.highest_seq, 0x00011234);
  ASSERT_EQ(blk.jitter, 42);
  ASSERT_EQ(blk.lsr, 0x2d804000);
  ASSERT_EQ(blk.dlsr, 0x00018000);
  rtcp_test_write_caps(write_block, &blk, block, sizeof block);
  rtcp_test_truncations(parse_block, block, sizeof block);
  (void)rtcp_test_corruptions(parse_block, block, sizeof block); /* every value is valid */
}

BRAID_TEST(lost_range_and_clamping) {
  braid_rtcp_report_block_t blk = {0}, back;
  uint8_t buf[24];
  static const struct {
    int32_t in, out;
  } cases[] = {
      {0, 0},
      {BRAID_RTCP_LOST_MAX, BRAID_RTCP_LOST_MAX},
      {BRAID_RTCP_LOST_MIN, BRAID_RTCP_LOST_MIN},
      {-1, -1},
      {BRAID_RTCP_LOST_MAX + 1, BRAID_RTCP_LOST_MAX}, /* clamped (RFC 3550 A.3) */
      {INT32_MIN, BRAID_RTCP_LOST_MIN},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    blk.packets_lost = cases[i].in;
    ASSERT_EQ(braid_rtcp_report_block_write(&blk, buf, sizeof buf), 24);
    ASSERT_EQ(braid_rtcp_report_block_parse(&back, buf, sizeof buf, NULL), 0);
    ASSERT_EQ(back.packets_lost, cases[i].out);
  }
  blk.packets_lost = BRAID_RTCP_LOST_MIN;
  (void)braid_rtcp_report_block_write(&blk, buf, sizeof buf);
  ASSERT_EQ(buf[5], 0x80);
  ASSERT_EQ(buf[6], 0x00);
  ASSERT_EQ(buf[7], 0x00);
}

/* A block cut after its LSR, as the tail of a truncated SR or RR would be:
 * refused without reading past the input. */
static const uint8_t report_block_cut[] = {
    0x55, 0x66, 0x77, 0x88, /* SSRC of the source */
    0x19,                   /* fraction lost */
    0xff, 0xff, 0xfe,       /* cumulative lost */
    0x00, 0x01, 0x12, 0x34, /* extended highest seq */
    0x00, 0x00, 0x00, 0x2a, /* jitter */
    0x2d, 0x80, 0x40, 0x00, /* LSR; DLSR missing (20 bytes of 24) */
};

/* One byte short. */
static const uint8_t report_block_short_by_one[] = {
    0x55, 0x66, 0x77, 0x88, /* SSRC of the source */
    0x19,                   /* fraction lost */
    0xff, 0xff, 0xfe,       /* cumulative lost */
    0x00, 0x01, 0x12, 0x34, /* extended highest seq */
    0x00, 0x00, 0x00, 0x2a, /* jitter */
    0x2d, 0x80, 0x40, 0x00, /* LSR */
    0x00, 0x01, 0x80,       /* DLSR, 3 of its 4 bytes */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(report_block_cut, BRAID_ETRUNC),
      RTCP_TEST_BAD(report_block_short_by_one, BRAID_ETRUNC),
  };
  rtcp_test_bad_cases(parse_block, "report_block", cases, sizeof cases / sizeof cases[0]);
  rtcp_test_seed("report_block", block, sizeof block);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields_and_round_trip) BRAID_TEST_ENTRY(lost_range_and_clamping)
                    BRAID_TEST_ENTRY(bad_lengths))
