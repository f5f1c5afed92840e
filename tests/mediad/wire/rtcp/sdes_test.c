/* Unit tests of the source description, mediad/wire/rtcp/sdes.c. */
#include "mediad/wire/rtcp/sdes.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* Two chunks: CNAME + TOOL, then a chunk without items. */
static const uint8_t sdes2[] = {
    0x82,                   /* V=2, P=0, SC=2 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x09,             /* length=9: 40 bytes */
    0x11, 0x22, 0x33, 0x44, /* chunk 1: SSRC */
    0x01,                   /* item: CNAME */
    0x0c,                   /* length 12 */
    'u', 's', 'e', 'r', '@', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
    0x06,                   /* item: TOOL */
    0x05,                   /* length 5 */
    'b', 'r', 'a', 'i', 'd',
    0x00,                   /* END (chunk is 4 + 14 + 7 + 1 = 26 bytes) */
    0x00, 0x00,             /* padding to 28 */
    0x55, 0x66, 0x77, 0x88, /* chunk 2: SSRC */
    0x00,                   /* END */
    0x00, 0x00, 0x00,       /* padding to 32 bits */
};

/* What our daemon sends: one chunk, one CNAME whose item list ends exactly
 * on a 32-bit boundary, so END takes four more null octets. */
static const uint8_t sdes_cname[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x01,                   /* item: CNAME */
    0x06,                   /* length 6 */
    'b', 'r', 'a', 'i', 'd', '1',
    0x00,                   /* END */
    0x00, 0x00, 0x00,       /* padding to 32 bits */
};

static int parse_sdes(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_sdes_t sdes;
  braid_rtcp_sdes_iter_t chunks, items;
  braid_rtcp_sdes_chunk_t chunk;
  braid_rtcp_sdes_item_t item;
  int rc = braid_rtcp_sdes_parse(&sdes, data, len, why);
  if (rc != 0) return rc;
  size_t n = 0;
  braid_rtcp_sdes_chunks(&chunks, &sdes);
  while (braid_rtcp_sdes_next_chunk(&chunks, &chunk)) {
    n++;
    braid_rtcp_sdes_items(&items, &chunk);
    while (braid_rtcp_sdes_next_item(&items, &item)) ASSERT(item.type != 0);
    ASSERT_EQ(braid_rd_left(&items.rd), 0); /* validated: every item is read */
  }
  ASSERT_EQ(n, sdes.n_chunks);
  return 0;
}

typedef struct rebuild {
  braid_rtcp_sdes_chunk_t chunks[31];
  size_t n;
} rebuild_t;

static ssize_t write_sdes(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  return braid_rtcp_sdes_write(buf, cap, r->chunks, r->n);
}

static void round_trip(const uint8_t *pkt, size_t len) {
  braid_rtcp_sdes_t sdes;
  braid_rtcp_sdes_iter_t it;
  rebuild_t r = {.n = 0};
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, pkt, len, NULL), 0);
  braid_rtcp_sdes_chunks(&it, &sdes);
  while (braid_rtcp_sdes_next_chunk(&it, &r.chunks[r.n])) r.n++;
  rtcp_test_write_caps(write_sdes, &r, pkt, len);
}

static ssize_t write_cname(uint8_t *buf, size_t cap, const void *arg) {
  (void)arg;
  return braid_rtcp_sdes_write_cname(buf, cap, 0xcafebabe, BRAID_STR_LIT("braid1"));
}

BRAID_TEST(parse_fields) {
  braid_rtcp_sdes_t sdes;
  braid_rtcp_sdes_iter_t chunks, items;
  braid_rtcp_sdes_chunk_t chunk;
  braid_rtcp_sdes_item_t item;
  braid_str_t text;
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, sdes2, sizeof sdes2, NULL), 0);
  ASSERT_EQ(sdes.n_chunks, 2);
  braid_rtcp_sdes_chunks(&chunks, &sdes);
  ASSERT(braid_rtcp_sdes_next_chunk(&chunks, &chunk));
  ASSERT_EQ(chunk.ssrc, 0x11223344);
  ASSERT_EQ(chunk.items_len, 21);
  braid_rtcp_sdes_items(&items, &chunk);
  ASSERT(braid_rtcp_sdes_next_item(&items, &item));
  ASSERT_EQ(item.type, BRAID_RTCP_SDES_CNAME);
  ASSERT(braid_str_eq(item.text, "user@example"));
  ASSERT(braid_rtcp_sdes_next_item(&items, &item));
  ASSERT_EQ(item.type, BRAID_RTCP_SDES_TOOL);
  ASSERT(braid_str_eq(item.text, "braid"));
  ASSERT(!braid_rtcp_sdes_next_item(&items, &item));
  ASSERT(braid_rtcp_sdes_next_chunk(&chunks, &chunk));
  ASSERT_EQ(chunk.ssrc, 0x55667788);
  ASSERT_EQ(chunk.items_len, 0);
  ASSERT(!braid_rtcp_sdes_next_chunk(&chunks, &chunk));
  ASSERT_EQ(braid_rtcp_sdes_find(&sdes, 0x11223344, BRAID_RTCP_SDES_TOOL, &text), 0);
  ASSERT(braid_str_eq(text, "braid"));
  ASSERT_EQ(braid_rtcp_sdes_find(&sdes, 0x55667788, BRAID_RTCP_SDES_CNAME, &text), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtcp_sdes_find(&sdes, 0x99, BRAID_RTCP_SDES_CNAME, &text), BRAID_ENOTFOUND);
  rtcp_test_seed("sdes_two_chunks", sdes2, sizeof sdes2);
  rtcp_test_seed("sdes_cname", sdes_cname, sizeof sdes_cname);
}

BRAID_TEST(round_trips) {
  round_trip(sdes2, sizeof sdes2);
  round_trip(sdes_cname, sizeof sdes_cname);
  rtcp_test_write_caps(write_cname, NULL, sdes_cname, sizeof sdes_cname);
}

BRAID_TEST(truncations_and_corruptions) {
  rtcp_test_robust(parse_sdes, sdes2, sizeof sdes2);
  rtcp_test_robust(parse_sdes, sdes_cname, sizeof sdes_cname);
}

BRAID_TEST(malformed) {
  uint8_t p[sizeof sdes2];
  braid_rtcp_sdes_t sdes;
  const char *why = NULL;
  memcpy(p, sdes2, sizeof p);
  p[0] = 0x83; /* SC=3: a chunk missing */
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, p, sizeof p, &why), BRAID_EMALFORMED);
  p[0] = 0x81; /* SC=1: the second chunk is left over */
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, sdes2, sizeof p);
  p[30] = 0x01; /* a non-null padding octet after END */
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, sdes2, sizeof p);
  p[9] = 0xff; /* CNAME runs past the packet */
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, p, sizeof p, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
  /* The END octet missing: the chunk of sdes_cname without its nulls. */
  static const uint8_t no_end[] = {
      0x81, 0xca, 0x00, 0x03,             /* SC=1, SDES, length=3: 16 bytes */
      0xca, 0xfe, 0xba, 0xbe,             /* SSRC */
      0x01, 0x06, 'b', 'r', 'a', 'i', 'd', '1', /* CNAME, no END */
  };
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, no_end, sizeof no_end, &why), BRAID_EMALFORMED);
  /* An SDES without chunks is valid. */
  static const uint8_t empty[] = {0x80, 0xca, 0x00, 0x00};
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, empty, sizeof empty, NULL), 0);
  ASSERT_EQ(sdes.n_chunks, 0);
}

/* Malformed SDES packets, one per length check, each refused with a
 * reason. */

/* The input ends inside the common header. */
static const uint8_t sdes_trunc_header[] = {
    0x81, /* V=2, P=0, SC=1; no PT, no length */
};

/* The length field announces more than the input holds. */
static const uint8_t sdes_length_past_input[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x04,             /* length=4: 20 bytes, but the input has 12 */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x01,                   /* item: CNAME */
    0x06,                   /* length 6 */
    'b', 'r',               /* the rest is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t sdes_bytes_after_length[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x04,             /* length=4: 20 bytes, but the input has 24 */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x01,                   /* item: CNAME */
    0x06,                   /* length 6 */
    'b', 'r', 'a', 'i', 'd', '1',
    0x00,                   /* END */
    0x00, 0x00, 0x00,       /* padding to 32 bits */
    0x81, 0xca, 0x00, 0x04, /* the next packet's header */
};

/* SC announces two chunks, the length holds one. */
static const uint8_t sdes_count_past_length[] = {
    0x82,                   /* V=2, P=0, SC=2 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x04,             /* length=4: 20 bytes, one chunk */
    0xca, 0xfe, 0xba, 0xbe, /* chunk 1: SSRC */
    0x01,                   /* item: CNAME */
    0x06,                   /* length 6 */
    'b', 'r', 'a', 'i', 'd', '1',
    0x00,                   /* END */
    0x00, 0x00, 0x00,       /* padding; chunk 2 is missing */
};

/* SC says no chunk, the length holds one. */
static const uint8_t sdes_count_short_of_length[] = {
    0x80,                   /* V=2, P=0, SC=0 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x02,             /* length=2: 12 bytes, a chunk SC does not count */
    0x55, 0x66, 0x77, 0x88, /* SSRC */
    0x00,                   /* END */
    0x00, 0x00, 0x00,       /* padding */
};

/* An item's length runs past the packet. */
static const uint8_t sdes_item_past_packet[] = {
    0x81,                   /* V=2, P=0, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x01,                   /* item: CNAME */
    0x20,                   /* length 32: 22 bytes past the packet */
    'b', 'r', 'a', 'i', 'd', '1',
    0x00, 0x00, 0x00, 0x00, /* read as text */
};

/* P set, and a padding count of 0. */
static const uint8_t sdes_pad_count_zero[] = {
    0xa0,                   /* V=2, P=1, SC=0 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 4 bytes after the header. */
static const uint8_t sdes_pad_past_body[] = {
    0xa0,                   /* V=2, P=1, SC=0 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x05, /* padding, count=5 */
};

/* P set, and a valid padding count that takes the END octet away. */
static const uint8_t sdes_pad_into_chunk[] = {
    0xa1,                   /* V=2, P=1, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x01,                   /* item: CNAME */
    0x06,                   /* length 6 */
    'b', 'r', 'a', 'i', 'd', '1',
    0x00, 0x00, 0x00,       /* padding (would be END and the chunk's padding) */
    0x04,                   /* padding, count=4: the chunk has no END */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(sdes_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(sdes_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(sdes_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sdes_count_past_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sdes_count_short_of_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sdes_item_past_packet, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sdes_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sdes_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sdes_pad_into_chunk, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_sdes, "sdes", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(write_errors) {
  uint8_t buf[512];
  char big[256];
  memset(big, 'a', sizeof big);
  ASSERT_EQ(braid_rtcp_sdes_write_cname(buf, sizeof buf, 1, (braid_str_t){big, 256}), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_sdes_write_cname(buf, sizeof buf, 1, (braid_str_t){big, 255}), 4 + 264);
  ASSERT_EQ(braid_rtcp_sdes_write_cname(buf, sizeof buf, 1, (braid_str_t){NULL, 1}), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_sdes_write_cname(buf, sizeof buf, 1, (braid_str_t){NULL, 0}), 12);
  static const uint8_t bad_items[] = {0x01, 0x05, 'a'}; /* item runs past its list */
  braid_rtcp_sdes_chunk_t chunk = {.ssrc = 1, .items = bad_items, .items_len = sizeof bad_items};
  ASSERT_EQ(braid_rtcp_sdes_write(buf, sizeof buf, &chunk, 1), BRAID_EINVAL);
  static const uint8_t end_inside[] = {0x00, 0x00};
  chunk.items = end_inside;
  chunk.items_len = sizeof end_inside;
  ASSERT_EQ(braid_rtcp_sdes_write(buf, sizeof buf, &chunk, 1), BRAID_EINVAL);
  braid_rtcp_sdes_chunk_t many[32] = {{0}};
  ASSERT_EQ(braid_rtcp_sdes_write(buf, sizeof buf, many, 32), BRAID_EINVAL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(round_trips)
                    BRAID_TEST_ENTRY(truncations_and_corruptions) BRAID_TEST_ENTRY(malformed)
                        BRAID_TEST_ENTRY(bad_lengths) BRAID_TEST_ENTRY(write_errors))
