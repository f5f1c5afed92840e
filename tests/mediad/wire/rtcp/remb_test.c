/* Unit tests of REMB, mediad/wire/rtcp/remb.c. */
#include "mediad/wire/rtcp/remb.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* Chrome's REMB for a camera and its RTX stream. */
static const uint8_t remb2[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source: 0 */
    'R', 'E', 'M', 'B',     /* identifier */
    0x02,                   /* Num SSRC 2 */
    0x1b,                   /* BR Exp 6, mantissa bits 17-16 = 3 */
    0x0d, 0x40,             /* mantissa 0x30d40 = 200000: 12800000 bps */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC feedback 1 */
    0x2c, 0x4f, 0x11, 0x08, /* SSRC feedback 2 */
};

static int parse_remb(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_remb_t r;
  int rc = braid_rtcp_remb_parse(&r, data, len, why);
  for (size_t i = 0; rc == 0 && i < r.n_ssrcs; i++) (void)braid_rtcp_remb_ssrc(&r, i);
  return rc;
}

typedef struct rebuild {
  braid_rtcp_remb_t r;
  uint32_t ssrcs[255];
} rebuild_t;

static ssize_t write_remb(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *b = arg;
  return braid_rtcp_remb_write(buf, cap, b->r.fb.sender_ssrc, b->r.bitrate, b->ssrcs,
                               b->r.n_ssrcs);
}

BRAID_TEST(parse_and_round_trip) {
  rebuild_t b;
  ASSERT_EQ(braid_rtcp_remb_parse(&b.r, remb2, sizeof remb2, NULL), 0);
  ASSERT_EQ(b.r.fb.sender_ssrc, 0x9a3b2c1d);
  ASSERT_EQ(b.r.fb.media_ssrc, 0);
  ASSERT_EQ(b.r.exp, 6);
  ASSERT_EQ(b.r.mantissa, 200000);
  ASSERT_EQ(b.r.bitrate, 12800000);
  ASSERT_EQ(b.r.n_ssrcs, 2);
  b.ssrcs[0] = braid_rtcp_remb_ssrc(&b.r, 0);
  b.ssrcs[1] = braid_rtcp_remb_ssrc(&b.r, 1);
  ASSERT_EQ(b.ssrcs[0], 0x2c4f1107);
  ASSERT_EQ(b.ssrcs[1], 0x2c4f1108);
  ASSERT_EQ(braid_rtcp_remb_ssrc(&b.r, 2), 0);
  rtcp_test_write_caps(write_remb, &b, remb2, sizeof remb2);
  rtcp_test_robust(parse_remb, remb2, sizeof remb2);
  rtcp_test_seed("remb", remb2, sizeof remb2);
}

BRAID_TEST(encode_rounds_down_with_the_smallest_exponent) {
  static const uint64_t rates[] = {0,
                                   1,
                                   BRAID_RTCP_REMB_MANTISSA_MAX,
                                   BRAID_RTCP_REMB_MANTISSA_MAX + 1,
                                   1234567,
                                   12800000,
                                   2500000000ull,
                                   0x7fffffffffffffffull,
                                   UINT64_MAX};
  for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
    uint8_t exp;
    uint32_t m;
    uint64_t r = rates[i];
    braid_rtcp_remb_encode(r, &exp, &m);
    ASSERT(m <= BRAID_RTCP_REMB_MANTISSA_MAX);
    ASSERT(exp <= 46);
    uint64_t back = (uint64_t)m << exp;
    ASSERT(back <= r);                        /* never more than asked */
    ASSERT(r - back < ((uint64_t)1 << exp)); /* only the dropped low bits */
    if (exp > 0) ASSERT((r >> (exp - 1)) > BRAID_RTCP_REMB_MANTISSA_MAX); /* smallest exp */
  }
  uint8_t exp;
  uint32_t m;
  braid_rtcp_remb_encode(1234567, &exp, &m);
  ASSERT_EQ(exp, 3);
  ASSERT_EQ(m, 154320); /* 1234560 bps */
  braid_rtcp_remb_encode(BRAID_RTCP_REMB_MANTISSA_MAX + 1, &exp, &m);
  ASSERT_EQ(exp, 1);
  ASSERT_EQ(m, 0x20000); /* exact: the dropped bit is 0 */
}

BRAID_TEST(malformed) {
  uint8_t p[sizeof remb2];
  braid_rtcp_remb_t r;
  const char *why = NULL;
  memcpy(p, remb2, sizeof p);
  p[15] = 'X'; /* another application layer feedback */
  ASSERT_EQ(braid_rtcp_remb_parse(&r, p, sizeof p, &why), BRAID_EUNKNOWN);
  ASSERT(why != NULL);
  memcpy(p, remb2, sizeof p);
  p[16] = 3; /* Num SSRC 3, room for 2 */
  ASSERT_EQ(braid_rtcp_remb_parse(&r, p, sizeof p, &why), BRAID_EMALFORMED);
  p[16] = 1; /* Num SSRC 1, 4 bytes left over */
  ASSERT_EQ(braid_rtcp_remb_parse(&r, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, remb2, sizeof p);
  p[17] = 0xff; /* exp 63 with a non-zero mantissa: over 64 bits */
  ASSERT_EQ(braid_rtcp_remb_parse(&r, p, sizeof p, &why), BRAID_EMALFORMED);
  p[17] = 0xb8; /* exp 46, mantissa bits 17-16 = 0: 0xd40 << 46 fits */
  ASSERT_EQ(braid_rtcp_remb_parse(&r, p, sizeof p, &why), 0);
  ASSERT(r.bitrate == (uint64_t)0xd40 << 46);
  static const uint8_t short_afb[] = {
      0x8f, 0xce, 0x00, 0x03, /* AFB, length=3: 16 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
      'R', 'E', 'M', 'B',     /* identifier, no bitrate */
  };
  ASSERT_EQ(braid_rtcp_remb_parse(&r, short_afb, sizeof short_afb, &why), BRAID_EMALFORMED);
  uint8_t buf[2048];
  uint32_t ssrcs[256] = {0};
  ASSERT_EQ(braid_rtcp_remb_write(buf, sizeof buf, 1, 1000, ssrcs, 256), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_remb_write(buf, sizeof buf, 1, 1000, ssrcs, 255), 20 + 4 * 255);
  ASSERT_EQ(braid_rtcp_remb_write(buf, sizeof buf, 1, 1000, NULL, 0), 20);
}

/* Malformed REMBs, one per length check, each refused with a reason. */

/* The input ends inside the common header. */
static const uint8_t remb_trunc_header[] = {
    0x8f, /* V=2, P=0, FMT=15 (AFB) */
    0xce, /* PT=206 (PSFB); no length */
};

/* The length field announces more than the input holds. */
static const uint8_t remb_length_past_input[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes, but the input has 24 */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    'R', 'E', 'M', 'B',     /* identifier */
    0x02, 0x1b, 0x0d, 0x40, /* Num SSRC 2, BR Exp 6, mantissa 200000 */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC feedback 1; 2 is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t remb_bytes_after_length[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x05,             /* length=5: 24 bytes, but the input has 28 */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    'R', 'E', 'M', 'B',     /* identifier */
    0x01, 0x1b, 0x0d, 0x40, /* Num SSRC 1, BR Exp 6, mantissa 200000 */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC feedback */
    0x2c, 0x4f, 0x11, 0x08, /* 4 bytes past the announced length */
};

/* Num SSRC announces three SSRCs, the length holds two. */
static const uint8_t remb_count_past_length[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    'R', 'E', 'M', 'B',     /* identifier */
    0x03,                   /* Num SSRC 3 */
    0x1b, 0x0d, 0x40,       /* BR Exp 6, mantissa 200000 */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC feedback 1 */
    0x2c, 0x4f, 0x11, 0x08, /* SSRC feedback 2; 3 is missing */
};

/* Num SSRC announces one SSRC, the length holds two. */
static const uint8_t remb_count_short_of_length[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    'R', 'E', 'M', 'B',     /* identifier */
    0x01,                   /* Num SSRC 1 */
    0x1b, 0x0d, 0x40,       /* BR Exp 6, mantissa 200000 */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC feedback 1 */
    0x2c, 0x4f, 0x11, 0x08, /* not counted */
};

/* P set, and a padding count of 0. */
static const uint8_t remb_pad_count_zero[] = {
    0xaf,                   /* V=2, P=1, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    'R', 'E', 'M', 'B',     /* identifier */
    0x00, 0x1b, 0x0d, 0x40, /* Num SSRC 0, BR Exp 6, mantissa 200000 */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 20 bytes after the header. */
static const uint8_t remb_pad_past_body[] = {
    0xaf,                   /* V=2, P=1, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    'R', 'E', 'M', 'B',     /* identifier */
    0x00, 0x1b, 0x0d, 0x40, /* Num SSRC 0, BR Exp 6, mantissa 200000 */
    0x00, 0x00, 0x00, 0x15, /* padding, count=21 */
};

/* P set, and a valid padding count that covers an SSRC Num SSRC counts. */
static const uint8_t remb_pad_into_ssrcs[] = {
    0xaf,                   /* V=2, P=1, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    'R', 'E', 'M', 'B',     /* identifier */
    0x02, 0x1b, 0x0d, 0x40, /* Num SSRC 2, BR Exp 6, mantissa 200000 */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC feedback 1 */
    0x00, 0x00, 0x00, 0x04, /* padding, count=4: SSRC 2 is gone */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(remb_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(remb_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(remb_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(remb_count_past_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(remb_count_short_of_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(remb_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(remb_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(remb_pad_into_ssrcs, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_remb, "remb", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_and_round_trip)
                    BRAID_TEST_ENTRY(encode_rounds_down_with_the_smallest_exponent)
                        BRAID_TEST_ENTRY(malformed) BRAID_TEST_ENTRY(bad_lengths))
