/* Unit tests of the feedback common format, mediad/wire/rtcp/fb.c. */
#include "mediad/wire/rtcp/fb.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

static const uint8_t fb_pkt[] = {
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x03, 0xe8, 0x00, 0x00, /* FCI (a NACK entry) */
};

static int open_fb(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_fb_t fb;
  braid_rd_t fci;
  return braid_rtcp_fb_open(&fb, &fci, data, len, BRAID_RTCP_PT_RTPFB, 1, why);
}

BRAID_TEST(open_fields) {
  braid_rtcp_fb_t fb;
  braid_rd_t fci;
  ASSERT_EQ(braid_rtcp_fb_open(&fb, &fci, fb_pkt, sizeof fb_pkt, BRAID_RTCP_PT_RTPFB, 1, NULL), 0);
  ASSERT_EQ(fb.sender_ssrc, 1);
  ASSERT_EQ(fb.media_ssrc, 0x2c4f1107);
  ASSERT_EQ(braid_rd_left(&fci), 4);
  ASSERT(fci.p == fb_pkt + 12);
  ASSERT_EQ(braid_rtcp_fb_open(&fb, &fci, fb_pkt, sizeof fb_pkt, BRAID_RTCP_PT_PSFB, 1, NULL),
            BRAID_ETYPE);
  ASSERT_EQ(braid_rtcp_fb_open(&fb, &fci, fb_pkt, sizeof fb_pkt, BRAID_RTCP_PT_RTPFB, 15, NULL),
            BRAID_ETYPE);
  rtcp_test_robust(open_fb, fb_pkt, sizeof fb_pkt);
}

BRAID_TEST(too_short_for_ssrcs) {
  static const uint8_t p[] = {0x81, 0xcd, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01};
  braid_rtcp_fb_t fb;
  braid_rd_t fci;
  const char *why = NULL;
  ASSERT_EQ(braid_rtcp_fb_open(&fb, &fci, p, sizeof p, BRAID_RTCP_PT_RTPFB, 1, &why),
            BRAID_EMALFORMED);
  ASSERT(why != NULL);
}

BRAID_TEST(write) {
  uint8_t buf[12];
  braid_rtcp_fb_t fb = {.sender_ssrc = 1, .media_ssrc = 0x2c4f1107};
  ASSERT_EQ(braid_rtcp_fb_write(buf, sizeof buf, BRAID_RTCP_PT_RTPFB, 1, 16, &fb), 12);
  ASSERT_MEM_EQ(buf, fb_pkt, 12);
  ASSERT_EQ(braid_rtcp_fb_write(buf, 11, BRAID_RTCP_PT_RTPFB, 1, 16, &fb), BRAID_ELIMIT);
  ASSERT_EQ(braid_rtcp_fb_write(buf, sizeof buf, BRAID_RTCP_PT_RTPFB, 1, 8, &fb), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_fb_write(buf, sizeof buf, BRAID_RTCP_PT_RTPFB, 32, 16, &fb), BRAID_EINVAL);
}

/* Malformed feedback packets (opened as RTPFB FMT 1), one per length
 * check, each refused with a reason. */

/* The input ends inside the common header. */
static const uint8_t fb_trunc_header[] = {
    0x81, /* V=2, P=0, FMT=1 */
    0xcd, /* PT=205 (RTPFB) */
    0x00, /* length: its first byte only */
};

/* The length field announces more than the input holds. */
static const uint8_t fb_length_past_input[] = {
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes, but the input has 12 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source; the FCI is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t fb_bytes_after_length[] = {
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x02,             /* length=2: 12 bytes, but the input has 16 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x03, 0xe8, 0x00, 0x00, /* 4 bytes past the announced length */
};

/* A length that leaves no room for the media source's SSRC. */
static const uint8_t fb_no_media_ssrc[] = {
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender; no media SSRC */
};

/* P set, and a padding count of 0. */
static const uint8_t fb_pad_count_zero[] = {
    0xa1,                   /* V=2, P=1, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 12 bytes after the header. */
static const uint8_t fb_pad_past_body[] = {
    0xa1,                   /* V=2, P=1, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00, 0x00, 0x00, 0x0d, /* padding, count=13 */
};

/* P set, and a valid padding count that covers the media SSRC. */
static const uint8_t fb_pad_into_ssrcs[] = {
    0xa1,                   /* V=2, P=1, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x04, /* padding, count=4: no media SSRC */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(fb_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(fb_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(fb_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(fb_no_media_ssrc, BRAID_EMALFORMED),
      RTCP_TEST_BAD(fb_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(fb_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(fb_pad_into_ssrcs, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(open_fb, "fb", cases, sizeof cases / sizeof cases[0]);
  rtcp_test_seed("fb_nack_fci", fb_pkt, sizeof fb_pkt);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(open_fields) BRAID_TEST_ENTRY(too_short_for_ssrcs)
                    BRAID_TEST_ENTRY(write) BRAID_TEST_ENTRY(bad_lengths))
