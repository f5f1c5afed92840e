/* Unit tests of the full intra request, mediad/wire/rtcp/fir.c. */
#include "mediad/wire/rtcp/fir.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

static const uint8_t fir2[] = {
    0x84,                   /* V=2, P=0, FMT=4 (FIR) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source: unused, 0 */
    0x2c, 0x4f, 0x11, 0x07, /* entry 1: SSRC */
    0x05,                   /* entry 1: seq nr 5 */
    0x00, 0x00, 0x00,       /* entry 1: reserved */
    0x55, 0x66, 0x77, 0x88, /* entry 2: SSRC */
    0xff,                   /* entry 2: seq nr 255 */
    0x00, 0x00, 0x00,       /* entry 2: reserved */
};

static int parse_fir(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_fir_t fir;
  braid_rtcp_fir_entry_t e;
  int rc = braid_rtcp_fir_parse(&fir, data, len, why);
  for (size_t i = 0; rc == 0 && i < fir.n_entries; i++) ASSERT_EQ(braid_rtcp_fir_entry(&fir, i, &e), 0);
  return rc;
}

typedef struct rebuild {
  uint32_t sender;
  braid_rtcp_fir_entry_t entries[2];
} rebuild_t;

static ssize_t write_fir(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  return braid_rtcp_fir_write(buf, cap, r->sender, r->entries, 2);
}

BRAID_TEST(parse_and_round_trip) {
  braid_rtcp_fir_t fir;
  rebuild_t r;
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, fir2, sizeof fir2, NULL), 0);
  ASSERT_EQ(fir.fb.sender_ssrc, 1);
  ASSERT_EQ(fir.fb.media_ssrc, 0);
  ASSERT_EQ(fir.n_entries, 2);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 0, &r.entries[0]), 0);
  ASSERT_EQ(r.entries[0].ssrc, 0x2c4f1107);
  ASSERT_EQ(r.entries[0].seq, 5);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 1, &r.entries[1]), 0);
  ASSERT_EQ(r.entries[1].ssrc, 0x55667788);
  ASSERT_EQ(r.entries[1].seq, 255);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 2, &r.entries[1]), BRAID_EINVAL);
  r.sender = fir.fb.sender_ssrc;
  rtcp_test_write_caps(write_fir, &r, fir2, sizeof fir2);
  rtcp_test_robust(parse_fir, fir2, sizeof fir2);
  rtcp_test_seed("fir", fir2, sizeof fir2);
}

BRAID_TEST(malformed) {
  braid_rtcp_fir_t fir;
  const char *why = NULL;
  static const uint8_t empty[] = {
      0x84, 0xce, 0x00, 0x02, /* FIR, length=2: 12 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x00, /* SSRC of media source; no entry */
  };
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, empty, sizeof empty, &why), BRAID_EMALFORMED);
  static const uint8_t half[] = {
      0x84, 0xce, 0x00, 0x03, /* FIR, length=3: 16 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
      0x2c, 0x4f, 0x11, 0x07, /* half an entry */
  };
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, half, sizeof half, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
  /* Reserved bits are ignored on input. */
  uint8_t p[sizeof fir2];
  braid_rtcp_fir_entry_t e;
  memcpy(p, fir2, sizeof p);
  p[17] = 0xff;
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, p, sizeof p, NULL), 0);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 0, &e), 0);
  ASSERT_EQ(e.seq, 5);
  uint8_t buf[64];
  ASSERT_EQ(braid_rtcp_fir_write(buf, sizeof buf, 1, &e, 0), BRAID_EINVAL);
}

/* Malformed FIRs, one per length check not covered above, each refused
 * with a reason. */

/* The input ends inside the common header. */
static const uint8_t fir_trunc_header[] = {
    0x84, /* V=2, P=0, FMT=4 (FIR); no PT, no length */
};

/* The length field announces more than the input holds. */
static const uint8_t fir_length_past_input[] = {
    0x84,                   /* V=2, P=0, FMT=4 (FIR) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes, but the input has 20 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    0x2c, 0x4f, 0x11, 0x07, /* entry 1: SSRC */
    0x05, 0x00, 0x00, 0x00, /* entry 1: seq nr 5, reserved; entry 2 cut off */
};

/* The input goes on after the announced length. */
static const uint8_t fir_bytes_after_length[] = {
    0x84,                   /* V=2, P=0, FMT=4 (FIR) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x04,             /* length=4: 20 bytes, but the input has 24 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    0x2c, 0x4f, 0x11, 0x07, /* entry: SSRC */
    0x05, 0x00, 0x00, 0x00, /* entry: seq nr 5, reserved */
    0x55, 0x66, 0x77, 0x88, /* 4 bytes past the announced length */
};

/* P set, and a padding count of 0. */
static const uint8_t fir_pad_count_zero[] = {
    0xa4,                   /* V=2, P=1, FMT=4 (FIR) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    0x2c, 0x4f, 0x11, 0x07, /* entry: SSRC */
    0x05, 0x00, 0x00, 0x00, /* entry: seq nr 5, reserved */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 20 bytes after the header. */
static const uint8_t fir_pad_past_body[] = {
    0xa4,                   /* V=2, P=1, FMT=4 (FIR) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    0x2c, 0x4f, 0x11, 0x07, /* entry: SSRC */
    0x05, 0x00, 0x00, 0x00, /* entry: seq nr 5, reserved */
    0x00, 0x00, 0x00, 0x15, /* padding, count=21 */
};

/* P set, and a valid padding count that cuts the entry in half. */
static const uint8_t fir_pad_into_entry[] = {
    0xa4,                   /* V=2, P=1, FMT=4 (FIR) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
    0x2c, 0x4f, 0x11, 0x07, /* entry: SSRC */
    0x05, 0x00, 0x00, 0x04, /* padding, count=4: half an entry left */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(fir_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(fir_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(fir_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(fir_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(fir_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(fir_pad_into_entry, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_fir, "fir", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_and_round_trip) BRAID_TEST_ENTRY(malformed)
                    BRAID_TEST_ENTRY(bad_lengths))
