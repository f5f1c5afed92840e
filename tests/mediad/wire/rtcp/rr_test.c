/* Unit tests of the receiver report, mediad/wire/rtcp/rr.c. */
#include "mediad/wire/rtcp/rr.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

static const uint8_t rr1[] = {
    0x81,                   /* V=2, P=0, RC=1 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* block: SSRC of the source */
    0x05,                   /* block: fraction lost 5/256 */
    0x00, 0x01, 0x00,       /* block: cumulative lost 256 */
    0x00, 0x02, 0x5b, 0x3e, /* block: extended highest seq, 2 cycles */
    0x00, 0x00, 0x00, 0x1c, /* block: jitter 28 */
    0x9f, 0x4c, 0x21, 0x47, /* block: LSR */
    0x00, 0x00, 0x8c, 0x9a, /* block: DLSR */
};

/* The empty RR that opens a compound of a participant with no report. */
static const uint8_t rr_empty[] = {
    0x80,                   /* V=2, P=0, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
};

/* An RR padded with the P bit: 4 bytes of padding after the body. */
static const uint8_t rr_padded[] = {
    0xa0,                   /* V=2, P=1, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x04, /* padding, count=4 */
};

static int parse_rr(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blk;
  int rc = braid_rtcp_rr_parse(&rr, data, len, why);
  for (size_t i = 0; rc == 0 && i < rr.n_blocks; i++) ASSERT_EQ(braid_rtcp_rr_block(&rr, i, &blk), 0);
  return rc;
}

typedef struct rebuild {
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blocks[31];
} rebuild_t;

static ssize_t write_rr(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  return braid_rtcp_rr_write(buf, cap, r->rr.ssrc, r->blocks, r->rr.n_blocks, r->rr.ext,
                             r->rr.ext_len);
}

static void round_trip(const uint8_t *pkt, size_t len) {
  rebuild_t r;
  ASSERT_EQ(braid_rtcp_rr_parse(&r.rr, pkt, len, NULL), 0);
  for (size_t i = 0; i < r.rr.n_blocks; i++) ASSERT_EQ(braid_rtcp_rr_block(&r.rr, i, &r.blocks[i]), 0);
  rtcp_test_write_caps(write_rr, &r, pkt, len);
}

BRAID_TEST(parse_fields) {
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blk;
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, rr1, sizeof rr1, NULL), 0);
  ASSERT_EQ(rr.ssrc, 0x9a3b2c1d);
  ASSERT_EQ(rr.n_blocks, 1);
  ASSERT_EQ(rr.ext_len, 0);
  ASSERT_EQ(braid_rtcp_rr_block(&rr, 0, &blk), 0);
  ASSERT_EQ(blk.ssrc, 0x2c4f1107);
  ASSERT_EQ(blk.fraction_lost, 5);
  ASSERT_EQ(blk.packets_lost, 256);
  ASSERT_EQ(blk.highest_seq, 0x00025b3e);
  ASSERT_EQ(blk.jitter, 28);
  ASSERT_EQ(blk.lsr, 0x9f4c2147);
  ASSERT_EQ(blk.dlsr, 0x8c9a);
  ASSERT_EQ(braid_rtcp_rr_block(&rr, 1, &blk), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, rr_empty, sizeof rr_empty, NULL), 0);
  ASSERT_EQ(rr.n_blocks, 0);
  ASSERT_EQ(rr.ssrc, 1);
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, rr_padded, sizeof rr_padded, NULL), 0);
  ASSERT_EQ(rr.ext_len, 0); /* the padding is not extension */
  rtcp_test_seed("rr_one_block", rr1, sizeof rr1);
  rtcp_test_seed("rr_empty", rr_empty, sizeof rr_empty);
  rtcp_test_seed("rr_padded", rr_padded, sizeof rr_padded);
}

BRAID_TEST(round_trips) {
  round_trip(rr1, sizeof rr1);
  round_trip(rr_empty, sizeof rr_empty);
}

BRAID_TEST(truncations_and_corruptions) {
  rtcp_test_robust(parse_rr, rr1, sizeof rr1);
  rtcp_test_robust(parse_rr, rr_empty, sizeof rr_empty);
  rtcp_test_robust(parse_rr, rr_padded, sizeof rr_padded);
}

BRAID_TEST(count_larger_than_body) {
  uint8_t p[sizeof rr1];
  const char *why = NULL;
  braid_rtcp_rr_t rr;
  memcpy(p, rr1, sizeof p);
  p[0] = 0x82; /* RC=2 */
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, p, sizeof p, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
}

/* Malformed RRs, one per length check, each refused with a reason. */

/* The input ends inside the common header. */
static const uint8_t rr_trunc_header[] = {
    0x81, /* V=2, P=0, RC=1 */
    0xc9, /* PT=201 (RR); no length */
};

/* The length field announces more than the input holds. */
static const uint8_t rr_length_past_input[] = {
    0x81,                   /* V=2, P=0, RC=1 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x07,             /* length=7: 32 bytes, but the input has 8 */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender; the block is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t rr_bytes_after_length[] = {
    0x80,                   /* V=2, P=0, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x01,             /* length=1: 8 bytes, but the input has 12 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* 4 bytes past the announced length */
};

/* A length of 0: no room for the sender's SSRC. */
static const uint8_t rr_no_ssrc[] = {
    0x80,       /* V=2, P=0, RC=0 */
    0xc9,       /* PT=201 (RR) */
    0x00, 0x00, /* length=0: 4 bytes, the header alone */
};

/* RC announces two report blocks, the length leaves room for one. */
static const uint8_t rr_count_past_length[] = {
    0x82,                   /* V=2, P=0, RC=2 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x07,             /* length=7: 32 bytes, one block */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* block 1: SSRC of the source */
    0x05,                   /* block 1: fraction lost */
    0x00, 0x01, 0x00,       /* block 1: cumulative lost */
    0x00, 0x02, 0x5b, 0x3e, /* block 1: extended highest seq */
    0x00, 0x00, 0x00, 0x1c, /* block 1: jitter */
    0x9f, 0x4c, 0x21, 0x47, /* block 1: LSR */
    0x00, 0x00, 0x8c, 0x9a, /* block 1: DLSR; block 2 is missing */
};

/* P set, and a padding count of 0. */
static const uint8_t rr_pad_count_zero[] = {
    0xa0,                   /* V=2, P=1, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 8 bytes after the header. */
static const uint8_t rr_pad_past_body[] = {
    0xa0,                   /* V=2, P=1, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x09, /* padding, count=9 */
};

/* P set, and a valid padding count that covers the SSRC too. */
static const uint8_t rr_pad_into_ssrc[] = {
    0xa0,                   /* V=2, P=1, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* padding (would be the SSRC) */
    0x00, 0x00, 0x00, 0x08, /* padding, count=8: an empty body */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(rr_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(rr_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(rr_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(rr_no_ssrc, BRAID_EMALFORMED),
      RTCP_TEST_BAD(rr_count_past_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(rr_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(rr_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(rr_pad_into_ssrc, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_rr, "rr", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(write_errors) {
  uint8_t buf[8];
  braid_rtcp_report_block_t blocks[32] = {{0}};
  ASSERT_EQ(braid_rtcp_rr_write(buf, sizeof buf, 1, blocks, 32, NULL, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_rr_write(buf, sizeof buf, 1, NULL, 0, buf, 2), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_rr_write(buf, sizeof buf, 1, blocks, 1, NULL, 0), BRAID_ELIMIT);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(round_trips)
                    BRAID_TEST_ENTRY(truncations_and_corruptions)
                        BRAID_TEST_ENTRY(count_larger_than_body) BRAID_TEST_ENTRY(bad_lengths)
                            BRAID_TEST_ENTRY(write_errors))
