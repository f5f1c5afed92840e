/* Unit tests of mediad/wire/rtp_packet.c: header variants, padding,
 * truncations and corruptions, in-place setters and the rewrite. */
#include "mediad/wire/rtp_packet.h"

#include <sys/stat.h>

#include "mediad/wire/rtp_ext.h"
#include "tests/test.h"

/* With BRAID_RTP_SEED_DIR=<dir> set, valid vectors are also written to
 * <dir>/<corpus>/<name>: the fuzzers' seed corpora (fuzz/mediad/wire/rtp.cmake). */
static void seed(const char *corpus, const char *name, const uint8_t *data, size_t len) {
  const char *dir = getenv("BRAID_RTP_SEED_DIR");
  if (dir == NULL) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, corpus);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/%s/%s", dir, corpus, name);
  FILE *f = fopen(path, "wb");
  ASSERT(f != NULL);
  ASSERT_EQ(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* The smallest header and three payload bytes. */
/* clang-format off */
static const uint8_t minimal[] = {
    0x80,                   /* V=2 P=0 X=0 CC=0 */
    0xe0,                   /* M=1 PT=96 */
    0x12, 0x34,             /* sequence number 4660 */
    0x00, 0x01, 0xe2, 0x40, /* timestamp 123456 */
    0xde, 0xad, 0xbe, 0xef, /* SSRC 0xdeadbeef */
    0x01, 0x02, 0x03,       /* payload */
};
/* clang-format on */

/* Every optional part: two CSRCs, a one-byte extension block, padding. */
/* clang-format off */
static const uint8_t full[] = {
    0xb2,                   /* V=2 P=1 X=1 CC=2 */
    0x6f,                   /* M=0 PT=111 */
    0xff, 0xff,             /* sequence number 65535 */
    0xff, 0xff, 0xff, 0xff, /* timestamp 4294967295 */
    0x00, 0x00, 0x00, 0x01, /* SSRC 1 */
    0x11, 0x11, 0x11, 0x11, /* CSRC 0x11111111 */
    0x22, 0x22, 0x22, 0x22, /* CSRC 0x22222222 */
    0xbe, 0xde,             /* one-byte extensions */
    0x00, 0x01,             /* length: 1 word */
    0x10,                   /* id 1, 1 byte */
    0xaa,                   /* audio level */
    0x00, 0x00,             /* padding */
    0xf0, 0xf1, 0xf2, 0xf3, /* payload */
    0x00, 0x00,             /* padding */
    0x03,                   /* padding count: 3 bytes */
};
/* clang-format on */

static braid_rtp_packet_t parse_ok(const uint8_t *data, size_t len) {
  braid_rtp_packet_t pkt;
  ASSERT_EQ(braid_rtp_packet_parse(&pkt, data, len), 0);
  return pkt;
}

BRAID_TEST(parse_minimal) {
  braid_rtp_packet_t p = parse_ok(minimal, sizeof minimal);
  seed("rtp_packet", "minimal", minimal, sizeof minimal);
  seed("rtp_rtx", "minimal", minimal, sizeof minimal);
  ASSERT(p.data == minimal);
  ASSERT_EQ(p.len, 15);
  ASSERT_EQ(p.hdr_len, 12);
  ASSERT_EQ(p.payload_len, 3);
  ASSERT_EQ(p.pad_len, 0);
  ASSERT_EQ(p.csrc_count, 0);
  ASSERT(p.marker);
  ASSERT_EQ(p.pt, 96);
  ASSERT_EQ(p.seq, 4660);
  ASSERT_EQ(p.ts, 123456);
  ASSERT_EQ(p.ssrc, 0xdeadbeef);
  ASSERT(!p.has_ext);
  ASSERT_EQ(p.ext_profile, 0);
  ASSERT_EQ(p.ext_off, 0);
  ASSERT_EQ(p.ext_len, 0);
  ASSERT(braid_rtp_packet_payload(&p) == minimal + 12);
}

BRAID_TEST(parse_full) {
  braid_rtp_packet_t p = parse_ok(full, sizeof full);
  seed("rtp_packet", "full", full, sizeof full);
  seed("rtp_rtx", "full", full, sizeof full);
  ASSERT_EQ(p.len, sizeof full);
  ASSERT_EQ(p.csrc_count, 2);
  ASSERT_EQ(braid_rtp_packet_csrc(&p, 0), 0x11111111);
  ASSERT_EQ(braid_rtp_packet_csrc(&p, 1), 0x22222222);
  ASSERT(p.has_ext);
  ASSERT_EQ(p.ext_profile, 0xbede);
  ASSERT_EQ(p.ext_off, 24);
  ASSERT_EQ(p.ext_len, 4);
  ASSERT_EQ(p.hdr_len, 28);
  ASSERT_EQ(p.payload_len, 4);
  ASSERT_EQ(p.pad_len, 3);
  ASSERT(!p.marker);
  ASSERT_EQ(p.pt, 111);
  ASSERT_EQ(p.seq, 65535);
  ASSERT_EQ(p.ts, 4294967295u);
  ASSERT_EQ(p.ssrc, 1);
  ASSERT_MEM_EQ(braid_rtp_packet_payload(&p), "\xf0\xf1\xf2\xf3", 4);
}

BRAID_TEST(parse_csrc_only_and_empty_ext) {
  /* clang-format off */
  static const uint8_t csrc[] = {
      0x81,                   /* V=2 CC=1 */
      0x00,                   /* PT 0 (PCMU) */
      0x00, 0x00,             /* seq 0 */
      0x00, 0x00, 0x00, 0x00, /* timestamp 0 */
      0x00, 0x00, 0x00, 0x00, /* SSRC 0 */
      0xca, 0xfe, 0xba, 0xbe, /* CSRC */
  };
  /* clang-format on */
  braid_rtp_packet_t p = parse_ok(csrc, sizeof csrc);
  seed("rtp_packet", "csrc", csrc, sizeof csrc);
  ASSERT_EQ(p.hdr_len, 16);
  ASSERT_EQ(p.payload_len, 0);
  ASSERT_EQ(braid_rtp_packet_csrc(&p, 0), 0xcafebabe);

  /* clang-format off */
  static const uint8_t empty_ext[] = {
      0x90,                   /* V=2 X=1 */
      0x60,                   /* PT 96 */
      0x00, 0x01,             /* seq 1 */
      0x00, 0x00, 0x00, 0x02, /* timestamp 2 */
      0x00, 0x00, 0x00, 0x03, /* SSRC 3 */
      0x12, 0x34,             /* a profile of its own */
      0x00, 0x00,             /* length 0 */
      0x55,                   /* payload */
  };
  /* clang-format on */
  p = parse_ok(empty_ext, sizeof empty_ext);
  seed("rtp_packet", "other_profile_empty", empty_ext, sizeof empty_ext);
  ASSERT(p.has_ext);
  ASSERT_EQ(p.ext_profile, 0x1234);
  ASSERT_EQ(p.ext_off, 16);
  ASSERT_EQ(p.ext_len, 0);
  ASSERT_EQ(p.hdr_len, 16);
  ASSERT_EQ(p.payload_len, 1);
}

BRAID_TEST(parse_padding_only) {
  /* Bandwidth probes: P set and nothing but padding after the header. */
  /* clang-format off */
  static const uint8_t probe[] = {
      0xa0,                   /* V=2 P=1 */
      0x7f,                   /* PT 127 */
      0x00, 0x07,             /* seq 7 */
      0x00, 0x00, 0x00, 0x00, /* timestamp */
      0x00, 0x00, 0x04, 0xd2, /* SSRC 1234 */
      0x00, 0x00, 0x00,       /* padding */
      0x04,                   /* padding count: 4 */
  };
  /* clang-format on */
  braid_rtp_packet_t p = parse_ok(probe, sizeof probe);
  seed("rtp_packet", "padding_only", probe, sizeof probe);
  ASSERT_EQ(p.payload_len, 0);
  ASSERT_EQ(p.pad_len, 4);
  ASSERT_EQ(p.hdr_len, 12);
}

BRAID_TEST(bad_version) {
  uint8_t b[sizeof minimal];
  braid_rtp_packet_t p;
  for (unsigned v = 0; v < 4; v++) {
    if (v == 2) continue;
    memcpy(b, minimal, sizeof b);
    b[0] = (uint8_t)((v << 6) | (b[0] & 0x3f));
    ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), BRAID_EVERSION);
  }
}

BRAID_TEST(every_truncation) {
  braid_rtp_packet_t p;
  /* Short of the header (CSRCs, extension block included): ETRUNC. */
  for (size_t n = 0; n < 28; n++)
    ASSERT_EQ(braid_rtp_packet_parse(&p, full, n), BRAID_ETRUNC);
  for (size_t n = 0; n < 12; n++)
    ASSERT_EQ(braid_rtp_packet_parse(&p, minimal, n), BRAID_ETRUNC);
  /* Without padding, a shorter payload is still a packet. */
  for (size_t n = 12; n <= sizeof minimal; n++) {
    ASSERT_EQ(braid_rtp_packet_parse(&p, minimal, n), 0);
    ASSERT_EQ(p.payload_len, n - 12);
  }
  /* With P set, the last byte becomes the count: the payload bytes f0..f3
   * and zeros are all too big or zero, so every cut is malformed. */
  for (size_t n = 28; n < sizeof full; n++)
    ASSERT_EQ(braid_rtp_packet_parse(&p, full, n), BRAID_EMALFORMED);
}

BRAID_TEST(bad_padding) {
  uint8_t b[sizeof full];
  braid_rtp_packet_t p;
  memcpy(b, full, sizeof b);
  b[sizeof b - 1] = 0; /* a zero count */
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), BRAID_EMALFORMED);
  b[sizeof b - 1] = 8; /* payload 4 + padding 3 = 7 bytes after the header */
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), BRAID_EMALFORMED);
  b[sizeof b - 1] = 7; /* all of it padding */
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), 0);
  ASSERT_EQ(p.payload_len, 0);
  ASSERT_EQ(p.pad_len, 7);
  /* P set on a header-only packet: the count byte would be the SSRC's. */
  memcpy(b, minimal, 12);
  b[0] |= 0x20;
  b[11] = 1;
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, 12), BRAID_EMALFORMED);
}

BRAID_TEST(corrupt_lengths) {
  uint8_t b[sizeof full];
  braid_rtp_packet_t p;
  memcpy(b, full, sizeof b);
  b[0] = (uint8_t)((b[0] & 0xf0) | 0x0f); /* CC=15: 72 bytes of CSRCs */
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), BRAID_ETRUNC);
  memcpy(b, full, sizeof b);
  b[23] = 3; /* extension length 3 words: 12 bytes, only 11 follow */
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), BRAID_ETRUNC);
  b[22] = 0xff; /* 0xff03 words */
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), BRAID_ETRUNC);
  b[22] = 0;
  b[23] = 2; /* 8 bytes: the payload becomes extension data, 3 bytes of padding are left */
  ASSERT_EQ(braid_rtp_packet_parse(&p, b, sizeof b), 0);
  ASSERT_EQ(p.hdr_len, 32);
  ASSERT_EQ(p.payload_len, 0);
}

BRAID_TEST(too_big) {
  static uint8_t big[BRAID_RTP_MAX_LEN + 1];
  braid_rtp_packet_t p;
  memcpy(big, minimal, sizeof minimal);
  ASSERT_EQ(braid_rtp_packet_parse(&p, big, sizeof big), BRAID_ETOOBIG);
  ASSERT_EQ(braid_rtp_packet_parse(&p, big, BRAID_RTP_MAX_LEN), 0);
  ASSERT_EQ(p.payload_len, BRAID_RTP_MAX_LEN - 12);
}

BRAID_TEST(parse_does_not_write) {
  uint8_t b[sizeof full];
  memcpy(b, full, sizeof b);
  braid_rtp_packet_t p = parse_ok(b, sizeof b);
  (void)p;
  ASSERT_MEM_EQ(b, full, sizeof b);
}

BRAID_TEST(setters) {
  uint8_t b[sizeof full];
  memcpy(b, full, sizeof b);
  ASSERT_EQ(braid_rtp_packet_set_ssrc(b, sizeof b, 0x01020304), 0);
  ASSERT_EQ(braid_rtp_packet_set_ts(b, sizeof b, 0x05060708), 0);
  ASSERT_EQ(braid_rtp_packet_set_seq(b, sizeof b, 0x090a), 0);
  ASSERT_EQ(braid_rtp_packet_set_pt(b, sizeof b, 0xff), 0); /* masked to 127 */
  braid_rtp_packet_t p = parse_ok(b, sizeof b);
  ASSERT_EQ(p.ssrc, 0x01020304);
  ASSERT_EQ(p.ts, 0x05060708);
  ASSERT_EQ(p.seq, 0x090a);
  ASSERT_EQ(p.pt, 127);
  ASSERT(!p.marker); /* set_pt keeps the marker */
  ASSERT_EQ(braid_rtp_packet_set_marker(b, sizeof b, true), 0);
  p = parse_ok(b, sizeof b);
  ASSERT(p.marker);
  ASSERT_EQ(p.pt, 127); /* set_marker keeps the PT */
  /* Nothing but the fixed fields changed. */
  ASSERT_EQ(b[0], full[0]);
  ASSERT_MEM_EQ(b + 12, full + 12, sizeof full - 12);
  uint8_t s[11] = {0};
  ASSERT_EQ(braid_rtp_packet_set_ssrc(s, sizeof s, 1), BRAID_ETRUNC);
  ASSERT_EQ(braid_rtp_packet_set_ts(s, sizeof s, 1), BRAID_ETRUNC);
  ASSERT_EQ(braid_rtp_packet_set_seq(s, sizeof s, 1), BRAID_ETRUNC);
  ASSERT_EQ(braid_rtp_packet_set_pt(s, sizeof s, 1), BRAID_ETRUNC);
  ASSERT_EQ(braid_rtp_packet_set_marker(s, sizeof s, true), BRAID_ETRUNC);
  for (size_t i = 0; i < sizeof s; i++)
    ASSERT_EQ(s[i], 0);
}

/* Compares every field and the bytes after the header of two packets, but
 * the rewritten ones. */
static void check_rewritten(const braid_rtp_packet_t *src, const braid_rtp_packet_t *out,
                            const braid_rtp_rewrite_t *rw) {
  ASSERT_EQ(out->ssrc, rw->ssrc);
  ASSERT_EQ(out->ts, rw->ts);
  ASSERT_EQ(out->seq, rw->seq);
  ASSERT_EQ(out->pt, rw->pt);
  ASSERT_EQ(out->marker, src->marker);
  ASSERT_EQ(out->csrc_count, src->csrc_count);
  for (unsigned i = 0; i < src->csrc_count; i++)
    ASSERT_EQ(braid_rtp_packet_csrc(out, i), braid_rtp_packet_csrc(src, i));
  ASSERT_EQ(out->payload_len, src->payload_len);
  ASSERT_EQ(out->pad_len, src->pad_len);
  ASSERT_MEM_EQ(braid_rtp_packet_payload(out), braid_rtp_packet_payload(src),
                src->payload_len + src->pad_len);
  ASSERT_EQ(out->has_ext, rw->n_ext != 0);
}

BRAID_TEST(rewrite_exact_bytes) {
  static const uint8_t mid[] = {'1'};
  static const uint8_t abs[] = {0x12, 0x34, 0x56};
  const braid_rtp_ext_entry_t ext[] = {{mid, 4, 1}, {abs, 2, 3}};
  braid_rtp_rewrite_t rw = {
      .ssrc = 0x0a0b0c0d, .ts = 0x01020304, .seq = 0x0506, .pt = 100, .ext = ext, .n_ext = 2};
  /* clang-format off */
  static const uint8_t want[] = {
      0xb2,                   /* V=2 P=1 X=1 CC=2: P and CC copied */
      0x64,                   /* M=0 (copied) PT=100 */
      0x05, 0x06,             /* new sequence number */
      0x01, 0x02, 0x03, 0x04, /* new timestamp */
      0x0a, 0x0b, 0x0c, 0x0d, /* new SSRC */
      0x11, 0x11, 0x11, 0x11, /* CSRC copied */
      0x22, 0x22, 0x22, 0x22, /* CSRC copied */
      0xbe, 0xde,             /* one-byte form */
      0x00, 0x02,             /* length: 2 words */
      0x40,                   /* id 4, 1 byte */
      '1',                    /* mid "1" */
      0x22,                   /* id 2, 3 bytes */
      0x12, 0x34, 0x56,       /* abs-send-time */
      0x00, 0x00,             /* padding to the word */
      0xf0, 0xf1, 0xf2, 0xf3, /* payload copied */
      0x00, 0x00, 0x03,       /* RTP padding copied */
  };
  /* clang-format on */
  braid_rtp_packet_t src = parse_ok(full, sizeof full);
  uint8_t out[64];
  memset(out, 0xee, sizeof out);
  size_t n = 0;
  ASSERT_EQ(braid_rtp_packet_rewrite(out, sizeof out, 16, &src, &rw, &n), 0);
  ASSERT_EQ(n, sizeof want);
  ASSERT_MEM_EQ(out, want, sizeof want);
  ASSERT_EQ(out[n], 0xee); /* nothing written after the packet */
  seed("rtp_packet", "rewritten", want, sizeof want);
  braid_rtp_packet_t p = parse_ok(out, n);
  check_rewritten(&src, &p, &rw);
}

BRAID_TEST(rewrite_round_trips) {
  static const uint8_t v16[16] = "0123456789abcdef";
  static const uint8_t v17[17] = "0123456789abcdefg";
  const braid_rtp_ext_entry_t one[] = {{v16, 14, 16}, {v16, 1, 1}};
  const braid_rtp_ext_entry_t two_len0[] = {{NULL, 3, 0}, {v16, 4, 5}};
  const braid_rtp_ext_entry_t two_id[] = {{v16, 15, 2}};
  const braid_rtp_ext_entry_t two_len[] = {{v17, 2, 17}};
  const struct {
    const braid_rtp_ext_entry_t *e;
    size_t n;
    uint8_t form;
  } cases[] = {
      {NULL, 0, BRAID_RTP_EXT_NONE},         {one, 2, BRAID_RTP_EXT_ONE_BYTE},
      {two_len0, 2, BRAID_RTP_EXT_TWO_BYTE}, {two_id, 1, BRAID_RTP_EXT_TWO_BYTE},
      {two_len, 1, BRAID_RTP_EXT_TWO_BYTE},
  };
  const uint8_t *srcs[] = {minimal, full};
  const size_t lens[] = {sizeof minimal, sizeof full};
  for (size_t s = 0; s < 2; s++) {
    braid_rtp_packet_t src = parse_ok(srcs[s], lens[s]);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
      braid_rtp_rewrite_t rw = {.ssrc = 0x11223344 + (uint32_t)c,
                                .ts = 90000,
                                .seq = 65535,
                                .pt = 127,
                                .ext = cases[c].e,
                                .n_ext = cases[c].n};
      uint8_t out[128];
      size_t n = 0;
      ASSERT_EQ(braid_rtp_packet_rewrite(out, sizeof out, 0, &src, &rw, &n), 0);
      braid_rtp_packet_t p = parse_ok(out, n);
      char name[32];
      snprintf(name, sizeof name, "rewrite_%zu_%zu", s, c);
      seed("rtp_packet", name, out, n);
      ASSERT_EQ(p.hdr_len % 4, 0); /* the block is padded to whole words */
      check_rewritten(&src, &p, &rw);
      braid_rtp_ext_t ext;
      ASSERT_EQ(braid_rtp_ext_parse(&ext, &p), 0);
      ASSERT_EQ(ext.form, cases[c].form);
      ASSERT_EQ(ext.n, cases[c].n);
      for (size_t i = 0; i < cases[c].n; i++) {
        const braid_rtp_ext_elem_t *e = braid_rtp_ext_find(&ext, cases[c].e[i].id);
        ASSERT(e != NULL);
        ASSERT_EQ(e->len, cases[c].e[i].len);
        if (e->len) ASSERT_MEM_EQ(braid_rtp_ext_val(&ext, e), cases[c].e[i].val, e->len);
      }
    }
  }
}

BRAID_TEST(rewrite_tail_room) {
  braid_rtp_packet_t src = parse_ok(minimal, sizeof minimal);
  braid_rtp_rewrite_t rw = {.ssrc = 5};
  uint8_t out[64];
  size_t n = 99;
  /* 15 bytes + 10 of tail room fit in 25, not in 24. */
  ASSERT_EQ(braid_rtp_packet_rewrite(out, 25, 10, &src, &rw, &n), 0);
  ASSERT_EQ(n, 15);
  n = 99;
  ASSERT_EQ(braid_rtp_packet_rewrite(out, 24, 10, &src, &rw, &n), BRAID_ETOOBIG);
  ASSERT_EQ(n, 99);
  ASSERT_EQ(braid_rtp_packet_rewrite(out, 10, 20, &src, &rw, &n), BRAID_ETOOBIG);
  ASSERT_EQ(braid_rtp_packet_rewrite(out, 0, 0, &src, &rw, &n), BRAID_ETOOBIG);
  ASSERT_EQ(braid_rtp_packet_rewrite(out, 14, 0, &src, &rw, &n), BRAID_ETOOBIG);
  ASSERT_EQ(braid_rtp_packet_rewrite(out, 15, 0, &src, &rw, &n), 0);
}

BRAID_TEST(rewrite_bad_entries) {
  braid_rtp_packet_t src = parse_ok(minimal, sizeof minimal);
  const braid_rtp_ext_entry_t id0[] = {{(const uint8_t *)"x", 0, 1}};
  const braid_rtp_ext_entry_t null_val[] = {{NULL, 1, 1}};
  uint8_t out[64];
  size_t n = 0;
  braid_rtp_rewrite_t rw = {.ext = id0, .n_ext = 1};
  ASSERT_EQ(braid_rtp_packet_rewrite(out, sizeof out, 0, &src, &rw, &n), BRAID_EINVAL);
  rw.ext = null_val;
  ASSERT_EQ(braid_rtp_packet_rewrite(out, sizeof out, 0, &src, &rw, &n), BRAID_EINVAL);
}

BRAID_TEST(rewrite_max_len) {
  /* A source at the largest size grows past BRAID_RTP_MAX_LEN with an
   * extension block: refused even with room in the buffer. */
  static uint8_t big[BRAID_RTP_MAX_LEN], out[BRAID_RTP_MAX_LEN + 64];
  memcpy(big, minimal, 12);
  braid_rtp_packet_t src = parse_ok(big, sizeof big);
  const braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"1", 1, 1}};
  braid_rtp_rewrite_t rw = {.ext = e, .n_ext = 1};
  size_t n = 0;
  ASSERT_EQ(braid_rtp_packet_rewrite(out, sizeof out, 0, &src, &rw, &n), BRAID_ETOOBIG);
  rw.n_ext = 0;
  ASSERT_EQ(braid_rtp_packet_rewrite(out, sizeof out, 0, &src, &rw, &n), 0);
  ASSERT_EQ(n, BRAID_RTP_MAX_LEN);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(parse_minimal)
    BRAID_TEST_ENTRY(parse_full)
    BRAID_TEST_ENTRY(parse_csrc_only_and_empty_ext)
    BRAID_TEST_ENTRY(parse_padding_only)
    BRAID_TEST_ENTRY(bad_version)
    BRAID_TEST_ENTRY(every_truncation)
    BRAID_TEST_ENTRY(bad_padding)
    BRAID_TEST_ENTRY(corrupt_lengths)
    BRAID_TEST_ENTRY(too_big)
    BRAID_TEST_ENTRY(parse_does_not_write)
    BRAID_TEST_ENTRY(setters)
    BRAID_TEST_ENTRY(rewrite_exact_bytes)
    BRAID_TEST_ENTRY(rewrite_round_trips)
    BRAID_TEST_ENTRY(rewrite_tail_room)
    BRAID_TEST_ENTRY(rewrite_bad_entries)
    BRAID_TEST_ENTRY(rewrite_max_len)
)
/* clang-format on */
