/* Unit tests of the RTCP common header, mediad/wire/rtcp/header.c. */
#include "mediad/wire/rtcp/header.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* A PLI-sized packet with padding: 4 bytes of body, 4 of padding. */
static const uint8_t padded[] = {
    0xa1,                   /* V=2, P=1, count=1 */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x01, 0x02, 0x03, 0x04, /* body */
    0x00, 0x00, 0x00, 0x00, /* padding */
    0x00, 0x00, 0x00, 0x08, /* padding, count=8 (itself included) */
};

static int parse_header(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_header_t hdr;
  return braid_rtcp_header_parse(&hdr, data, len, why);
}

BRAID_TEST(parse_fields) {
  braid_rtcp_header_t hdr;
  ASSERT_EQ(braid_rtcp_header_parse(&hdr, padded, sizeof padded, NULL), 0);
  ASSERT_EQ(hdr.padding, 1);
  ASSERT_EQ(hdr.count, 1);
  ASSERT_EQ(hdr.pt, BRAID_RTCP_PT_PSFB);
  ASSERT_EQ(hdr.len, 16);
  ASSERT_EQ(hdr.pad_len, 8);
  rtcp_test_robust(parse_header, padded, sizeof padded);
}

BRAID_TEST(longer_input_is_the_rest_of_a_compound) {
  uint8_t two[32];
  braid_rtcp_header_t hdr;
  memcpy(two, padded, 16);
  memcpy(two + 16, padded, 16);
  ASSERT_EQ(braid_rtcp_header_parse(&hdr, two, sizeof two, NULL), 0);
  ASSERT_EQ(hdr.len, 16);
}

BRAID_TEST(errors) {
  const char *why = NULL;
  braid_rtcp_header_t hdr;
  uint8_t p[16];
  memcpy(p, padded, sizeof p);
  p[0] = 0x61; /* version 1 */
  ASSERT_EQ(braid_rtcp_header_parse(&hdr, p, sizeof p, &why), BRAID_EVERSION);
  ASSERT(why != NULL);
  memcpy(p, padded, sizeof p);
  p[15] = 0; /* padding count 0 */
  ASSERT_EQ(braid_rtcp_header_parse(&hdr, p, sizeof p, &why), BRAID_EMALFORMED);
  p[15] = 13; /* more than the 12 bytes after the header */
  ASSERT_EQ(braid_rtcp_header_parse(&hdr, p, sizeof p, &why), BRAID_EMALFORMED);
  p[15] = 12; /* exactly the bytes after the header: an empty body */
  ASSERT_EQ(braid_rtcp_header_parse(&hdr, p, sizeof p, &why), 0);
  ASSERT_EQ(hdr.pad_len, 12);
  p[3] = 0xff; /* length beyond the input */
  ASSERT_EQ(braid_rtcp_header_parse(&hdr, p, sizeof p, &why), BRAID_ETRUNC);
}

BRAID_TEST(open_checks_slice_type_and_fmt) {
  braid_rtcp_header_t hdr;
  braid_rd_t body;
  const char *why = NULL;
  uint8_t more[17];
  ASSERT_EQ(braid_rtcp_header_open(&hdr, &body, padded, sizeof padded, BRAID_RTCP_PT_PSFB, 1, &why),
            0);
  ASSERT_EQ(braid_rd_left(&body), 4); /* without the padding */
  ASSERT(body.p == padded + 4);
  ASSERT_EQ(braid_rtcp_header_open(&hdr, &body, padded, sizeof padded, BRAID_RTCP_PT_PSFB, -1, &why),
            0);
  ASSERT_EQ(braid_rtcp_header_open(&hdr, &body, padded, sizeof padded, BRAID_RTCP_PT_RTPFB, 1, &why),
            BRAID_ETYPE);
  ASSERT_EQ(braid_rtcp_header_open(&hdr, &body, padded, sizeof padded, BRAID_RTCP_PT_PSFB, 4, &why),
            BRAID_ETYPE);
  memcpy(more, padded, 16);
  more[16] = 0;
  ASSERT_EQ(braid_rtcp_header_open(&hdr, &body, more, sizeof more, BRAID_RTCP_PT_PSFB, 1, &why),
            BRAID_EMALFORMED);
  ASSERT(why != NULL);
}

/* Malformed headers, each refused with a reason. */

/* Three bytes: the input ends inside the header. */
static const uint8_t header_trunc[] = {
    0x81, /* V=2, P=0, count=1 */
    0xc9, /* PT=201 (RR) */
    0x00, /* length: its first byte only */
};

/* The length field announces more than the input holds. */
static const uint8_t header_length_past_input[] = {
    0x80,                   /* V=2, P=0, count=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x02,             /* length=2: 12 bytes, but the input has 8 */
    0x00, 0x00, 0x00, 0x01, /* body */
};

/* P set on a header-only packet: the padding count would be the length's
 * low byte, and there is no room for padding anyway. */
static const uint8_t header_pad_no_body[] = {
    0xa0,       /* V=2, P=1, count=0 */
    0xc9,       /* PT=201 (RR) */
    0x00, 0x00, /* length=0: 4 bytes, no body */
};

/* P set, and a padding count of 0. */
static const uint8_t header_pad_count_zero[] = {
    0xa0,                   /* V=2, P=1, count=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 4 bytes after the header. */
static const uint8_t header_pad_past_body[] = {
    0xa0,                   /* V=2, P=1, count=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x05, /* padding, count=5 */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(header_trunc, BRAID_ETRUNC),
      RTCP_TEST_BAD(header_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(header_pad_no_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(header_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(header_pad_past_body, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_header, "header", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(write) {
  static const uint8_t want[] = {
      0x8f,       /* V=2, P=0, count=15 */
      0xcd,       /* PT=205 */
      0x00, 0x04, /* length=4: 20 bytes */
  };
  uint8_t buf[4];
  ASSERT_EQ(braid_rtcp_header_write(buf, sizeof buf, 15, BRAID_RTCP_PT_RTPFB, 20), 4);
  ASSERT_MEM_EQ(buf, want, 4);
  ASSERT_EQ(braid_rtcp_header_write(buf, 3, 15, BRAID_RTCP_PT_RTPFB, 20), BRAID_ELIMIT);
  ASSERT_EQ(braid_rtcp_header_write(buf, 4, 32, BRAID_RTCP_PT_RTPFB, 20), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_header_write(buf, 4, 1, BRAID_RTCP_PT_RTPFB, 21), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_header_write(buf, 4, 1, BRAID_RTCP_PT_RTPFB, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_header_write(buf, 4, 1, BRAID_RTCP_PT_RTPFB, BRAID_RTCP_MAX_PACKET), 4);
  ASSERT_EQ(buf[2], 0xff);
  ASSERT_EQ(buf[3], 0xff);
  ASSERT_EQ(braid_rtcp_header_write(buf, 4, 1, BRAID_RTCP_PT_RTPFB, BRAID_RTCP_MAX_PACKET + 4),
            BRAID_EINVAL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(longer_input_is_the_rest_of_a_compound)
                    BRAID_TEST_ENTRY(errors) BRAID_TEST_ENTRY(open_checks_slice_type_and_fmt)
                        BRAID_TEST_ENTRY(bad_lengths) BRAID_TEST_ENTRY(write))
