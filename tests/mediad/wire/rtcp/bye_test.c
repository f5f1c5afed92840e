/* Unit tests of the goodbye packet, mediad/wire/rtcp/bye.c. */
#include "mediad/wire/rtcp/bye.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* A reason followed by more null octets than the 32-bit boundary needs
 * (1 + 10 + 5 = 16 bytes where 12 would do): refused. */
static const uint8_t bye_overpadded[] = {
    0x82,                   /* V=2, P=0, SC=2 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC 1 */
    0x55, 0x66, 0x77, 0x88, /* SSRC 2 */
    0x0a,                   /* reason length 10 */
    'c', 'a', 'm', 'e', 'r', 'a', ' ', 'o', 'f', 'f',
    0x00, 0x00, 0x00, 0x00, 0x00, /* 5 null octets: 4 too many */
};

static const uint8_t bye_min[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x0a,                   /* reason length 10 */
    'c', 'a', 'm', 'e', 'r', 'a', ' ', 'o', 'f', 'f',
    0x00,                   /* null octet to the 32-bit boundary */
};

static const uint8_t bye_plain[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
};

static int parse_bye(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_bye_t bye;
  int rc = braid_rtcp_bye_parse(&bye, data, len, why);
  for (size_t i = 0; rc == 0 && i < bye.n_ssrcs; i++) (void)braid_rtcp_bye_ssrc(&bye, i);
  return rc;
}

typedef struct rebuild {
  uint32_t ssrcs[31];
  braid_rtcp_bye_t bye;
} rebuild_t;

static ssize_t write_bye(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  return braid_rtcp_bye_write(buf, cap, r->ssrcs, r->bye.n_ssrcs,
                              r->bye.has_reason ? &r->bye.reason : NULL);
}

static void round_trip(const uint8_t *pkt, size_t len) {
  rebuild_t r;
  ASSERT_EQ(braid_rtcp_bye_parse(&r.bye, pkt, len, NULL), 0);
  for (size_t i = 0; i < r.bye.n_ssrcs; i++) r.ssrcs[i] = braid_rtcp_bye_ssrc(&r.bye, i);
  rtcp_test_write_caps(write_bye, &r, pkt, len);
}

BRAID_TEST(parse_fields) {
  braid_rtcp_bye_t bye;
  ASSERT_EQ(braid_rtcp_bye_parse(&bye, bye_min, sizeof bye_min, NULL), 0);
  ASSERT_EQ(bye.n_ssrcs, 1);
  ASSERT_EQ(braid_rtcp_bye_ssrc(&bye, 0), 0x11223344);
  ASSERT_EQ(braid_rtcp_bye_ssrc(&bye, 1), 0);
  ASSERT(bye.has_reason);
  ASSERT(braid_str_eq(bye.reason, "camera off"));
  ASSERT_EQ(braid_rtcp_bye_parse(&bye, bye_plain, sizeof bye_plain, NULL), 0);
  ASSERT(!bye.has_reason);
  ASSERT_EQ(bye.reason.len, 0);
  rtcp_test_seed("bye_reason", bye_min, sizeof bye_min);
  rtcp_test_seed("bye_plain", bye_plain, sizeof bye_plain);
}

BRAID_TEST(round_trips) {
  round_trip(bye_min, sizeof bye_min);
  round_trip(bye_plain, sizeof bye_plain);
}

BRAID_TEST(truncations_and_corruptions) {
  rtcp_test_robust(parse_bye, bye_min, sizeof bye_min);
  rtcp_test_robust(parse_bye, bye_plain, sizeof bye_plain);
}

BRAID_TEST(malformed) {
  braid_rtcp_bye_t bye;
  const char *why = NULL;
  uint8_t p[sizeof bye_min];
  /* Four null octets more than the boundary needs. */
  ASSERT_EQ(braid_rtcp_bye_parse(&bye, bye_overpadded, sizeof bye_overpadded, &why), BRAID_EMALFORMED);
  memcpy(p, bye_min, sizeof p);
  p[8] = 12; /* reason runs past the packet */
  ASSERT_EQ(braid_rtcp_bye_parse(&bye, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, bye_min, sizeof p);
  p[0] = 0x85; /* SC=5 */
  ASSERT_EQ(braid_rtcp_bye_parse(&bye, p, sizeof p, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
}

/* Malformed BYEs, one per length check, each refused with a reason. */

/* The input ends inside the common header. */
static const uint8_t bye_trunc_header[] = {
    0x81, /* V=2, P=0, SC=1 */
    0xcb, /* PT=203 (BYE) */
    0x00, /* length: its first byte only */
};

/* The length field announces more than the input holds. */
static const uint8_t bye_length_past_input[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x04,             /* length=4: 20 bytes, but the input has 8 */
    0x11, 0x22, 0x33, 0x44, /* SSRC; the reason is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t bye_bytes_after_length[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x01,             /* length=1: 8 bytes, but the input has 12 */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x00, 0x00, 0x00, 0x00, /* 4 bytes past the announced length */
};

/* SC announces two SSRCs, the length holds one. */
static const uint8_t bye_count_past_length[] = {
    0x82,                   /* V=2, P=0, SC=2 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x01,             /* length=1: 8 bytes, one SSRC */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC 1; SSRC 2 is missing */
};

/* The reason's length runs past the packet. */
static const uint8_t bye_reason_past_packet[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    0x0c,                   /* reason length 12: 11 bytes are left */
    'c', 'a', 'm', 'e', 'r', 'a', ' ', 'o', 'f', 'f', 0x00,
};

/* P set, and a padding count of 0. */
static const uint8_t bye_pad_count_zero[] = {
    0xa1,                   /* V=2, P=1, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 8 bytes after the header. */
static const uint8_t bye_pad_past_body[] = {
    0xa1,                   /* V=2, P=1, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x00, 0x00, 0x00, 0x09, /* padding, count=9 */
};

/* P set, and a valid padding count that covers the SSRC SC announces. */
static const uint8_t bye_pad_into_ssrcs[] = {
    0xa1,                   /* V=2, P=1, SC=1 */
    0xcb,                   /* PT=203 (BYE) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x04, /* padding, count=4: no room for the SSRC */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(bye_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(bye_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(bye_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(bye_count_past_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(bye_reason_past_packet, BRAID_EMALFORMED),
      RTCP_TEST_BAD(bye_overpadded, BRAID_EMALFORMED),
      RTCP_TEST_BAD(bye_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(bye_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(bye_pad_into_ssrcs, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_bye, "bye", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(write_errors) {
  uint8_t buf[512];
  uint32_t ssrcs[32] = {0};
  char big[256];
  memset(big, 'x', sizeof big);
  ASSERT_EQ(braid_rtcp_bye_write(buf, sizeof buf, ssrcs, 0, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_bye_write(buf, sizeof buf, ssrcs, 32, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_bye_write(buf, sizeof buf, ssrcs, 1, &(braid_str_t){big, 256}),
            BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_bye_write(buf, sizeof buf, ssrcs, 1, &(braid_str_t){big, 255}), 8 + 256);
  /* An empty reason is a length octet and three nulls. */
  ASSERT_EQ(braid_rtcp_bye_write(buf, sizeof buf, ssrcs, 1, &(braid_str_t){NULL, 0}), 12);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(round_trips)
                    BRAID_TEST_ENTRY(truncations_and_corruptions) BRAID_TEST_ENTRY(malformed)
                        BRAID_TEST_ENTRY(bad_lengths) BRAID_TEST_ENTRY(write_errors))
