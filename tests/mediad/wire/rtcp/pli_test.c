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

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_and_round_trip) BRAID_TEST_ENTRY(fci_is_refused))
