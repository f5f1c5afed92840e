/* Unit tests of the APP packet parser, mediad/wire/rtcp/app.c. */
#include "mediad/wire/rtcp/app.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

static const uint8_t app[] = {
    0x81,                   /* V=2, P=0, subtype=1 */
    0xcc,                   /* PT=204 (APP) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    'B', 'R', 'A', 'D',     /* name */
    0x01, 0x02, 0x03, 0x04, /* application data */
};

static int parse_app(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_app_t a;
  int rc = braid_rtcp_app_parse(&a, data, len, why);
  if (rc == 0) ASSERT(a.data + a.data_len <= data + len && a.name + 4 <= data + len);
  return rc;
}

BRAID_TEST(parse_fields) {
  braid_rtcp_app_t a;
  ASSERT_EQ(braid_rtcp_app_parse(&a, app, sizeof app, NULL), 0);
  ASSERT_EQ(a.subtype, 1);
  ASSERT_EQ(a.ssrc, 0x11223344);
  ASSERT_MEM_EQ(a.name, "BRAD", 4);
  ASSERT_EQ(a.data_len, 4);
  ASSERT(a.data == app + 12);
  rtcp_test_seed("app", app, sizeof app);
}

BRAID_TEST(truncations_and_corruptions) { rtcp_test_robust(parse_app, app, sizeof app); }

BRAID_TEST(too_short) {
  static const uint8_t short_app[] = {
      0x80, 0xcc, 0x00, 0x01, /* APP, length=1: 8 bytes */
      0x11, 0x22, 0x33, 0x44, /* SSRC, no name */
  };
  const char *why = NULL;
  braid_rtcp_app_t a;
  ASSERT_EQ(braid_rtcp_app_parse(&a, short_app, sizeof short_app, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
}

/* Malformed APP packets, one per length check, each refused with a
 * reason. */

/* The input ends inside the common header. */
static const uint8_t app_trunc_header[] = {
    0x81, /* V=2, P=0, subtype=1 */
    0xcc, /* PT=204 (APP); no length */
};

/* The length field announces more than the input holds. */
static const uint8_t app_length_past_input[] = {
    0x81,                   /* V=2, P=0, subtype=1 */
    0xcc,                   /* PT=204 (APP) */
    0x00, 0x03,             /* length=3: 16 bytes, but the input has 12 */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    'B', 'R', 'A', 'D',     /* name; the data is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t app_bytes_after_length[] = {
    0x81,                   /* V=2, P=0, subtype=1 */
    0xcc,                   /* PT=204 (APP) */
    0x00, 0x02,             /* length=2: 12 bytes, but the input has 16 */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    'B', 'R', 'A', 'D',     /* name */
    0x01, 0x02, 0x03, 0x04, /* 4 bytes past the announced length */
};

/* A length that leaves no room for the name. */
static const uint8_t app_no_name[] = {
    0x80,                   /* V=2, P=0, subtype=0 */
    0xcc,                   /* PT=204 (APP) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC; no name */
};

/* P set, and a padding count of 0. */
static const uint8_t app_pad_count_zero[] = {
    0xa1,                   /* V=2, P=1, subtype=1 */
    0xcc,                   /* PT=204 (APP) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    'B', 'R', 'A', 'D',     /* name */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 12 bytes after the header. */
static const uint8_t app_pad_past_body[] = {
    0xa1,                   /* V=2, P=1, subtype=1 */
    0xcc,                   /* PT=204 (APP) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    'B', 'R', 'A', 'D',     /* name */
    0x00, 0x00, 0x00, 0x0d, /* padding, count=13 */
};

/* P set, and a valid padding count that covers the name. */
static const uint8_t app_pad_into_name[] = {
    0xa1,                   /* V=2, P=1, subtype=1 */
    0xcc,                   /* PT=204 (APP) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC */
    'B', 'R', 'A', 0x04,    /* padding, count=4: the name is gone */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(app_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(app_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(app_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(app_no_name, BRAID_EMALFORMED),
      RTCP_TEST_BAD(app_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(app_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(app_pad_into_name, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_app, "app", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(truncations_and_corruptions)
                    BRAID_TEST_ENTRY(too_short) BRAID_TEST_ENTRY(bad_lengths))
