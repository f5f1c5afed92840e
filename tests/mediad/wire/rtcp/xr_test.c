/* Unit tests of the XR packet parser, mediad/wire/rtcp/xr.c. */
#include "mediad/wire/rtcp/xr.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* RRTR and DLRR, as Chrome sends with a=rtcp-xr rrtr. */
static const uint8_t xr[] = {
    0x80,                   /* V=2, P=0, reserved=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x08,             /* length=8: 36 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x04,                   /* block 1: BT=4 (RRTR) */
    0x00,                   /* block 1: reserved */
    0x00, 0x02,             /* block 1: length 2 words */
    0xe6, 0x5b, 0x2d, 0x80, /* block 1: NTP timestamp, msw */
    0x40, 0x00, 0x00, 0x00, /* block 1: NTP timestamp, lsw */
    0x05,                   /* block 2: BT=5 (DLRR) */
    0x00,                   /* block 2: reserved */
    0x00, 0x03,             /* block 2: length 3 words */
    0x55, 0x66, 0x77, 0x88, /* block 2: SSRC_1 */
    0x2d, 0x80, 0x40, 0x00, /* block 2: last RR (LRR) */
    0x00, 0x01, 0x00, 0x00, /* block 2: DLRR 1 s */
};

static int parse_xr(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_xr_t x;
  braid_rtcp_xr_iter_t it;
  braid_rtcp_xr_block_t blk;
  int rc = braid_rtcp_xr_parse(&x, data, len, why);
  if (rc != 0) return rc;
  size_t n = 0;
  braid_rtcp_xr_iter_init(&it, &x);
  while (braid_rtcp_xr_iter_next(&it, &blk)) n++;
  ASSERT_EQ(n, x.n_blocks);
  return 0;
}

BRAID_TEST(parse_fields) {
  braid_rtcp_xr_t x;
  braid_rtcp_xr_iter_t it;
  braid_rtcp_xr_block_t blk;
  ASSERT_EQ(braid_rtcp_xr_parse(&x, xr, sizeof xr, NULL), 0);
  ASSERT_EQ(x.ssrc, 0x11223344);
  ASSERT_EQ(x.n_blocks, 2);
  braid_rtcp_xr_iter_init(&it, &x);
  ASSERT(braid_rtcp_xr_iter_next(&it, &blk));
  ASSERT_EQ(blk.bt, BRAID_RTCP_XR_RRTR);
  ASSERT_EQ(blk.len, 8);
  ASSERT(blk.data == xr + 12);
  ASSERT(braid_rtcp_xr_iter_next(&it, &blk));
  ASSERT_EQ(blk.bt, BRAID_RTCP_XR_DLRR);
  ASSERT_EQ(blk.len, 12);
  ASSERT(blk.data == xr + 24);
  ASSERT(!braid_rtcp_xr_iter_next(&it, &blk));
  rtcp_test_seed("xr_rrtr_dlrr", xr, sizeof xr);
}

BRAID_TEST(truncations_and_corruptions) { rtcp_test_robust(parse_xr, xr, sizeof xr); }

BRAID_TEST(malformed_blocks) {
  uint8_t p[sizeof xr];
  braid_rtcp_xr_t x;
  const char *why = NULL;
  memcpy(p, xr, sizeof p);
  p[23] = 0x04; /* DLRR block length 4 words: past the packet */
  ASSERT_EQ(braid_rtcp_xr_parse(&x, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, xr, sizeof p);
  p[11] = 0x03; /* RRTR length 3: the next "block header" is DLRR data */
  ASSERT_EQ(braid_rtcp_xr_parse(&x, p, sizeof p, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
  static const uint8_t no_ssrc[] = {0x80, 0xcf, 0x00, 0x00};
  ASSERT_EQ(braid_rtcp_xr_parse(&x, no_ssrc, sizeof no_ssrc, &why), BRAID_EMALFORMED);
  static const uint8_t no_blocks[] = {0x80, 0xcf, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01};
  ASSERT_EQ(braid_rtcp_xr_parse(&x, no_blocks, sizeof no_blocks, NULL), 0);
  ASSERT_EQ(x.n_blocks, 0);
}

/* Malformed XRs, one per length check, each refused with a reason. */

/* The input ends inside the common header. */
static const uint8_t xr_trunc_header[] = {
    0x80, /* V=2, P=0, reserved=0 */
    0xcf, /* PT=207 (XR) */
    0x00, /* length: its first byte only */
};

/* The length field announces more than the input holds. */
static const uint8_t xr_length_past_input[] = {
    0x80,                   /* V=2, P=0, reserved=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x08,             /* length=8: 36 bytes, but the input has 12 */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x04, 0x00, 0x00, 0x02, /* RRTR block header; its contents are cut off */
};

/* The input goes on after the announced length. */
static const uint8_t xr_bytes_after_length[] = {
    0x80,                   /* V=2, P=0, reserved=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x01,             /* length=1: 8 bytes, but the input has 12 */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x04, 0x00, 0x00, 0x02, /* 4 bytes past the announced length */
};

/* A length of 0: no room for the SSRC. */
static const uint8_t xr_no_ssrc[] = {
    0x80,       /* V=2, P=0, reserved=0 */
    0xcf,       /* PT=207 (XR) */
    0x00, 0x00, /* length=0: the header alone */
};

/* A block whose length runs past the packet. */
static const uint8_t xr_block_past_packet[] = {
    0x80,                   /* V=2, P=0, reserved=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x05,                   /* BT=5 (DLRR) */
    0x00,                   /* reserved */
    0x00, 0x03,             /* block length 3 words, but 2 are left */
    0x55, 0x66, 0x77, 0x88, /* SSRC_1 */
    0x2d, 0x80, 0x40, 0x00, /* last RR; DLRR missing */
};

/* P set, and a padding count that leaves half a block header. */
static const uint8_t xr_partial_block_header[] = {
    0xa0,                   /* V=2, P=1, reserved=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x04,                   /* BT=4 (RRTR) */
    0x00,                   /* reserved; no block length */
    0x00,                   /* padding */
    0x02,                   /* padding, count=2 */
};

/* P set, and a padding count of 0. */
static const uint8_t xr_pad_count_zero[] = {
    0xa0,                   /* V=2, P=1, reserved=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 8 bytes after the header. */
static const uint8_t xr_pad_past_body[] = {
    0xa0,                   /* V=2, P=1, reserved=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x00, 0x00, 0x00, 0x09, /* padding, count=9 */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(xr_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(xr_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(xr_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(xr_no_ssrc, BRAID_EMALFORMED),
      RTCP_TEST_BAD(xr_block_past_packet, BRAID_EMALFORMED),
      RTCP_TEST_BAD(xr_partial_block_header, BRAID_EMALFORMED),
      RTCP_TEST_BAD(xr_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(xr_pad_past_body, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_xr, "xr", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(truncations_and_corruptions)
                    BRAID_TEST_ENTRY(malformed_blocks) BRAID_TEST_ENTRY(bad_lengths))
