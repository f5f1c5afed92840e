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

BRAID_TEST_LIST(BRAID_TEST_ENTRY(open_fields) BRAID_TEST_ENTRY(too_short_for_ssrcs)
                    BRAID_TEST_ENTRY(write))
