/* Unit tests of the picture loss indication, mediad/wire/rtcp/pli.c. */
#include "mediad/wire/rtcp/pli.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

static const uint8_t pli[] = {
    0x81,                   /* V=2, P=0, FMT=1 (PLI) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
};

static int parse_pli(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_fb_t fb;
  return braid_rtcp_pli_parse(&fb, data, len, why);
}

static ssize_t write_pli(uint8_t *buf, size_t cap, const void *arg) {
  return braid_rtcp_pli_write(buf, cap, arg);
}

BRAID_TEST(parse_and_round_trip) {
  braid_rtcp_fb_t fb;
  ASSERT_EQ(braid_rtcp_pli_parse(&fb, pli, sizeof pli, NULL), 0);
  ASSERT_EQ(fb.sender_ssrc, 1);
  ASSERT_EQ(fb.media_ssrc, 0x2c4f1107);
  rtcp_test_write_caps(write_pli, &fb, pli, sizeof pli);
  rtcp_test_robust(parse_pli, pli, sizeof pli);
  rtcp_test_seed("pli", pli, sizeof pli);
}

BRAID_TEST(fci_is_refused) {
  static const uint8_t with_fci[] = {
      0x81, 0xce, 0x00, 0x03, /* PLI, length=3: 16 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
      0x00, 0x00, 0x00, 0x00, /* unexpected FCI */
  };
  braid_rtcp_fb_t fb;
  const char *why = NULL;
  ASSERT_EQ(braid_rtcp_pli_parse(&fb, with_fci, sizeof with_fci, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
}

/* Malformed PLIs, one per length check, each refused with a reason. */

/* The input ends inside the common header. */
static const uint8_t pli_trunc_header[] = {
    0x81, /* V=2, P=0, FMT=1 (PLI) */
    0xce, /* PT=206 (PSFB) */
    0x00, /* length: its first byte only */
};

/* The length field announces more than the input holds. */
static const uint8_t pli_length_past_input[] = {
    0x81,                   /* V=2, P=0, FMT=1 (PLI) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x02,             /* length=2: 12 bytes, but the input has 8 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender; media SSRC cut off */
};

/* The input goes on after the announced length. */
static const uint8_t pli_bytes_after_length[] = {
    0x81,                   /* V=2, P=0, FMT=1 (PLI) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x02,             /* length=2: 12 bytes, but the input has 16 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x81, 0xce, 0x00, 0x02, /* the next packet's header */
};

/* A length of 1: no room for the media source's SSRC. */
static const uint8_t pli_no_media_ssrc[] = {
    0x81,                   /* V=2, P=0, FMT=1 (PLI) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
};

/* P set, and a padding count of 0. */
static const uint8_t pli_pad_count_zero[] = {
    0xa1,                   /* V=2, P=1, FMT=1 (PLI) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 12 bytes after the header. */
static const uint8_t pli_pad_past_body[] = {
    0xa1,                   /* V=2, P=1, FMT=1 (PLI) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00, 0x00, 0x00, 0x0d, /* padding, count=13 */
};

/* P set, and a padding count short of the padding: one byte is left over
 * as FCI, which a PLI has none of. */
static const uint8_t pli_pad_short[] = {
    0xa1,                   /* V=2, P=1, FMT=1 (PLI) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00,                   /* left over */
    0x00, 0x00, 0x03,       /* padding, count=3 */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(pli_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(pli_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(pli_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(pli_no_media_ssrc, BRAID_EMALFORMED),
      RTCP_TEST_BAD(pli_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(pli_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(pli_pad_short, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_pli, "pli", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_and_round_trip) BRAID_TEST_ENTRY(fci_is_refused)
                    BRAID_TEST_ENTRY(bad_lengths))
