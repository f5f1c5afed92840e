/* Unit tests of the generic NACK, mediad/wire/rtcp/nack.c. */
#include "mediad/wire/rtcp/nack.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* Lost: 1000, 1001, 1003, 1016 (one entry with BLP bits 0, 2 and 15) and
 * 1017 (a second entry, 17 after the first PID). */
static const uint8_t nack2[] = {
    0x81,                   /* V=2, P=0, FMT=1 (generic NACK) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x03, 0xe8,             /* PID 1000 */
    0x80, 0x05,             /* BLP: bits 0, 2, 15 -> 1001, 1003, 1016 */
    0x03, 0xf9,             /* PID 1017 */
    0x00, 0x00,             /* BLP: none */
};

/* One entry across the 16-bit wrap: 65535, 0, 2. */
static const uint8_t nack_wrap[] = {
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0xff, 0xff,             /* PID 65535 */
    0x00, 0x05,             /* BLP: bits 0, 2 -> 0, 2 */
};

static int parse_nack(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_nack_t nack;
  uint16_t seqs[64];
  int rc = braid_rtcp_nack_parse(&nack, data, len, why);
  if (rc != 0) return rc;
  size_t n = braid_rtcp_nack_count(&nack);
  ssize_t got = braid_rtcp_nack_expand(&nack, seqs, 64);
  ASSERT(got == (ssize_t)n || (n > 64 && got == BRAID_ELIMIT));
  return 0;
}

typedef struct rebuild {
  braid_rtcp_fb_t fb;
  uint16_t seqs[64];
  size_t n;
} rebuild_t;

static ssize_t write_nack(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  return braid_rtcp_nack_write(buf, cap, &r->fb, r->seqs, r->n);
}

static void round_trip(const uint8_t *pkt, size_t len) {
  braid_rtcp_nack_t nack;
  rebuild_t r;
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, pkt, len, NULL), 0);
  r.fb = nack.fb;
  ssize_t n = braid_rtcp_nack_expand(&nack, r.seqs, 64);
  ASSERT(n > 0);
  r.n = (size_t)n;
  ASSERT_EQ(braid_rtcp_nack_size(r.seqs, r.n), len);
  rtcp_test_write_caps(write_nack, &r, pkt, len);
}

BRAID_TEST(parse_fields) {
  braid_rtcp_nack_t nack;
  braid_rtcp_nack_item_t item;
  uint16_t seqs[8];
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, nack2, sizeof nack2, NULL), 0);
  ASSERT_EQ(nack.fb.sender_ssrc, 0x9a3b2c1d);
  ASSERT_EQ(nack.fb.media_ssrc, 0x2c4f1107);
  ASSERT_EQ(nack.n_items, 2);
  ASSERT_EQ(braid_rtcp_nack_item(&nack, 0, &item), 0);
  ASSERT_EQ(item.pid, 1000);
  ASSERT_EQ(item.blp, 0x8005);
  ASSERT_EQ(braid_rtcp_nack_item(&nack, 1, &item), 0);
  ASSERT_EQ(item.pid, 1017);
  ASSERT_EQ(item.blp, 0);
  ASSERT_EQ(braid_rtcp_nack_item(&nack, 2, &item), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_nack_count(&nack), 5);
  ASSERT_EQ(braid_rtcp_nack_expand(&nack, seqs, 8), 5);
  ASSERT_EQ(seqs[0], 1000);
  ASSERT_EQ(seqs[1], 1001);
  ASSERT_EQ(seqs[2], 1003);
  ASSERT_EQ(seqs[3], 1016);
  ASSERT_EQ(seqs[4], 1017);
  ASSERT_EQ(braid_rtcp_nack_expand(&nack, seqs, 4), BRAID_ELIMIT);
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, nack_wrap, sizeof nack_wrap, NULL), 0);
  ASSERT_EQ(braid_rtcp_nack_expand(&nack, seqs, 8), 3);
  ASSERT_EQ(seqs[0], 65535);
  ASSERT_EQ(seqs[1], 0);
  ASSERT_EQ(seqs[2], 2);
  rtcp_test_seed("nack_blp", nack2, sizeof nack2);
  rtcp_test_seed("nack_wrap", nack_wrap, sizeof nack_wrap);
}

BRAID_TEST(round_trips) {
  round_trip(nack2, sizeof nack2);
  round_trip(nack_wrap, sizeof nack_wrap);
}

BRAID_TEST(truncations_and_corruptions) {
  rtcp_test_robust(parse_nack, nack2, sizeof nack2);
  rtcp_test_robust(parse_nack, nack_wrap, sizeof nack_wrap);
}

BRAID_TEST(malformed) {
  braid_rtcp_nack_t nack;
  const char *why = NULL;
  static const uint8_t empty[] = {
      0x81, 0xcd, 0x00, 0x02, /* NACK, length=2: 12 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x02, /* SSRC of media source; no entry */
  };
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, empty, sizeof empty, &why), BRAID_EMALFORMED);
  static const uint8_t partial[] = {
      0xa1, 0xcd, 0x00, 0x04, /* NACK with P, length=4: 20 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x02, /* SSRC of media source */
      0x00, 0x01, 0x00, 0x00, /* entry */
      0x00, 0x02, 0x00, 0x02, /* half an entry, then padding count 2 */
  };
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, partial, sizeof partial, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
  uint8_t p[sizeof nack2];
  memcpy(p, nack2, sizeof p);
  p[0] = 0x8f; /* FMT=15: a TWCC, not a NACK */
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, p, sizeof p, &why), BRAID_ETYPE);
}

/* Malformed NACKs, one per length check not covered above, each refused
 * with a reason. */

/* The input ends inside the common header. */
static const uint8_t nack_trunc_header[] = {
    0x81, /* V=2, P=0, FMT=1 */
    0xcd, /* PT=205 (RTPFB); no length */
};

/* The length field announces more than the input holds. */
static const uint8_t nack_length_past_input[] = {
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x04,             /* length=4: 20 bytes, but the input has 16 */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x03, 0xe8,             /* PID 1000 */
    0x80, 0x05,             /* BLP; the second entry is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t nack_bytes_after_length[] = {
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes, but the input has 20 */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0xff, 0xff,             /* PID 65535 */
    0x00, 0x05,             /* BLP */
    0x00, 0x10, 0x00, 0x00, /* 4 bytes past the announced length */
};

/* P set, and a padding count of 0. */
static const uint8_t nack_pad_count_zero[] = {
    0xa1,                   /* V=2, P=1, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x03, 0xe8,             /* PID 1000 */
    0x00, 0x00,             /* BLP */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 16 bytes after the header. */
static const uint8_t nack_pad_past_body[] = {
    0xa1,                   /* V=2, P=1, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x03, 0xe8,             /* PID 1000 */
    0x00, 0x00,             /* BLP */
    0x00, 0x00, 0x00, 0x11, /* padding, count=17 */
};

/* P set, and a valid padding count that covers the only entry. */
static const uint8_t nack_pad_into_entry[] = {
    0xa1,                   /* V=2, P=1, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x03, 0xe8, 0x00, 0x04, /* padding, count=4: no entry left */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(nack_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(nack_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(nack_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(nack_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(nack_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(nack_pad_into_entry, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_nack, "nack", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(build_from_sorted_lists) {
  uint8_t buf[256];
  uint16_t back[64];
  braid_rtcp_nack_t nack;
  braid_rtcp_fb_t fb = {1, 2};
  static const uint16_t run17[] = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                                   20, 21, 22, 23, 24, 25, 26};
  static const uint16_t wrap[] = {65530, 65535, 0, 5, 30000};
  static const struct {
    const uint16_t *seqs;
    size_t n, items;
  } cases[] = {
      {run17, 17, 1}, /* PID and all 16 BLP bits */
      {run17, 1, 1},
      {wrap, 5, 2}, /* 65530 .. 5 in one entry (d = 11), 30000 in another */
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    ssize_t len = braid_rtcp_nack_write(buf, sizeof buf, &fb, cases[c].seqs, cases[c].n);
    ASSERT_EQ(len, 12 + 4 * (ssize_t)cases[c].items);
    ASSERT_EQ(braid_rtcp_nack_parse(&nack, buf, (size_t)len, NULL), 0);
    ASSERT_EQ(nack.n_items, cases[c].items);
    ASSERT_EQ(braid_rtcp_nack_expand(&nack, back, 64), cases[c].n);
    ASSERT_MEM_EQ(back, cases[c].seqs, cases[c].n * sizeof(uint16_t));
  }
  /* Unsorted, duplicated, empty. */
  static const uint16_t unsorted[] = {5, 4};
  static const uint16_t dup[] = {5, 5};
  static const uint16_t backwards[] = {0, 0x8000};
  ASSERT_EQ(braid_rtcp_nack_write(buf, sizeof buf, &fb, unsorted, 2), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_nack_write(buf, sizeof buf, &fb, dup, 2), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_nack_write(buf, sizeof buf, &fb, backwards, 2), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_nack_write(buf, sizeof buf, &fb, dup, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_nack_size(dup, 0), BRAID_EINVAL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(round_trips)
                    BRAID_TEST_ENTRY(truncations_and_corruptions) BRAID_TEST_ENTRY(malformed)
                        BRAID_TEST_ENTRY(bad_lengths) BRAID_TEST_ENTRY(build_from_sorted_lists))
