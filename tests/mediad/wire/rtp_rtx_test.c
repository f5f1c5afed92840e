/* Unit tests of mediad/wire/rtp_rtx.c: RFC 4588 wrap and unwrap, in place
 * and into another buffer, round trips, padding, truncation, tail room. */
#include "mediad/wire/rtp_rtx.h"

#include <sys/stat.h>

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

/* An original VP8 packet with an extension block and padding. */
/* clang-format off */
static const uint8_t orig[] = {
    0xb0,                   /* V=2 P=1 X=1 CC=0 */
    0xe0,                   /* M=1 PT=96 */
    0x30, 0x39,             /* seq 12345 */
    0x00, 0x00, 0x10, 0x00, /* timestamp 4096 */
    0x11, 0x22, 0x33, 0x44, /* SSRC of the media stream */
    0xbe, 0xde,             /* one-byte extensions */
    0x00, 0x01,             /* 1 word */
    0x40, '0',              /* id 4 mid "0" */
    0x00, 0x00,             /* padding */
    0x90, 0x80, 0x01,       /* payload: a VP8 descriptor ... */
    0xaa, 0xbb,             /* ... and data */
    0x00, 0x02,             /* RTP padding, count 2 */
};
/* clang-format on */

/* orig wrapped: RTX SSRC, PT 97 and seq 7, the OSN before the payload,
 * no padding. */
/* clang-format off */
static const uint8_t rtx[] = {
    0x90,                   /* V=2 P=0 X=1 CC=0 */
    0xe1,                   /* M=1 (kept) PT=97 */
    0x00, 0x07,             /* RTX seq 7 */
    0x00, 0x00, 0x10, 0x00, /* timestamp 4096 (kept) */
    0x55, 0x66, 0x77, 0x88, /* RTX SSRC */
    0xbe, 0xde,             /* extensions kept */
    0x00, 0x01,             /* 1 word */
    0x40, '0',              /* id 4 mid "0" */
    0x00, 0x00,             /* padding */
    0x30, 0x39,             /* OSN 12345 */
    0x90, 0x80, 0x01,       /* original payload */
    0xaa, 0xbb,             /* */
};
/* clang-format on */

/* orig without its padding: what unwrapping rtx gives. */
/* clang-format off */
static const uint8_t unwrapped[] = {
    0x90,                   /* V=2 P=0 X=1 CC=0 */
    0xe0,                   /* M=1 PT=96 */
    0x30, 0x39,             /* seq 12345 from the OSN */
    0x00, 0x00, 0x10, 0x00, /* timestamp 4096 */
    0x11, 0x22, 0x33, 0x44, /* media SSRC */
    0xbe, 0xde,             /* extensions */
    0x00, 0x01,             /* 1 word */
    0x40, '0',              /* id 4 mid "0" */
    0x00, 0x00,             /* padding */
    0x90, 0x80, 0x01,       /* payload */
    0xaa, 0xbb,             /* */
};
/* clang-format on */

static braid_rtp_packet_t parse_ok(const uint8_t *data, size_t len) {
  braid_rtp_packet_t pkt;
  ASSERT_EQ(braid_rtp_packet_parse(&pkt, data, len), 0);
  return pkt;
}

BRAID_TEST(wrap_exact_bytes) {
  braid_rtp_packet_t p = parse_ok(orig, sizeof orig);
  uint8_t out[64];
  memset(out, 0xee, sizeof out);
  size_t n = 0;
  ASSERT_EQ(braid_rtp_rtx_wrap(out, sizeof out, 16, &p, 0x55667788, 97, 7, &n), 0);
  ASSERT_EQ(n, sizeof rtx);
  ASSERT_MEM_EQ(out, rtx, sizeof rtx);
  ASSERT_EQ(out[n], 0xee);
  seed("rtp_rtx", "orig", orig, sizeof orig);
  seed("rtp_rtx", "rtx", rtx, sizeof rtx);
  seed("rtp_rtx", "unwrapped", unwrapped, sizeof unwrapped);
  seed("rtp_packet", "rtx", rtx, sizeof rtx);
}

BRAID_TEST(unwrap_exact_bytes) {
  braid_rtp_packet_t p = parse_ok(rtx, sizeof rtx);
  uint16_t osn = 0;
  ASSERT_EQ(braid_rtp_rtx_osn(&p, &osn), 0);
  ASSERT_EQ(osn, 12345);
  uint8_t out[64];
  size_t n = 0;
  ASSERT_EQ(braid_rtp_rtx_unwrap(out, sizeof out, 16, &p, 0x11223344, 96, &n), 0);
  ASSERT_EQ(n, sizeof unwrapped);
  ASSERT_MEM_EQ(out, unwrapped, sizeof unwrapped);
}

BRAID_TEST(in_place) {
  uint8_t b[64];
  memcpy(b, orig, sizeof orig);
  braid_rtp_packet_t p = parse_ok(b, sizeof orig);
  size_t n = 0;
  ASSERT_EQ(braid_rtp_rtx_wrap(b, sizeof b, 0, &p, 0x55667788, 97, 7, &n), 0);
  ASSERT_EQ(n, sizeof rtx);
  ASSERT_MEM_EQ(b, rtx, sizeof rtx);
  p = parse_ok(b, n);
  ASSERT_EQ(braid_rtp_rtx_unwrap(b, sizeof b, 0, &p, 0x11223344, 96, &n), 0);
  ASSERT_EQ(n, sizeof unwrapped);
  ASSERT_MEM_EQ(b, unwrapped, sizeof unwrapped);
}

BRAID_TEST(round_trip_fields) {
  /* CSRCs, no extension, no padding, marker clear. */
  /* clang-format off */
  static const uint8_t plain[] = {
      0x81,                   /* V=2 CC=1 */
      0x6f,                   /* M=0 PT=111 */
      0xff, 0xff,             /* seq 65535 */
      0x12, 0x34, 0x56, 0x78, /* timestamp */
      0x00, 0x00, 0x00, 0x01, /* SSRC 1 */
      0x00, 0x00, 0x00, 0x02, /* CSRC 2 */
      0x01,                   /* one payload byte */
  };
  /* clang-format on */
  braid_rtp_packet_t p = parse_ok(plain, sizeof plain);
  seed("rtp_rtx", "plain_csrc", plain, sizeof plain);
  uint8_t w[64], u[64];
  size_t wn = 0, un = 0;
  ASSERT_EQ(braid_rtp_rtx_wrap(w, sizeof w, 0, &p, 9, 112, 0, &wn), 0);
  braid_rtp_packet_t r = parse_ok(w, wn);
  ASSERT_EQ(r.ssrc, 9);
  ASSERT_EQ(r.pt, 112);
  ASSERT_EQ(r.seq, 0);
  ASSERT_EQ(r.ts, p.ts);
  ASSERT_EQ(r.marker, p.marker);
  ASSERT_EQ(r.csrc_count, 1);
  ASSERT_EQ(braid_rtp_packet_csrc(&r, 0), 2);
  ASSERT_EQ(r.payload_len, 3);
  ASSERT_EQ(braid_rtp_rtx_unwrap(u, sizeof u, 0, &r, 1, 111, &un), 0);
  ASSERT_EQ(un, sizeof plain);
  ASSERT_MEM_EQ(u, plain, sizeof plain);
}

BRAID_TEST(padding_only_probe) {
  /* Chrome's probes: RTX packets with nothing but padding. */
  /* clang-format off */
  static const uint8_t probe[] = {
      0xa0,                   /* V=2 P=1 */
      0x61,                   /* PT 97 */
      0x00, 0x08,             /* seq 8 */
      0x00, 0x00, 0x10, 0x00, /* timestamp */
      0x55, 0x66, 0x77, 0x88, /* RTX SSRC */
      0x00, 0x00, 0x00, 0x04, /* padding, count 4 */
  };
  /* clang-format on */
  braid_rtp_packet_t p = parse_ok(probe, sizeof probe);
  seed("rtp_rtx", "probe", probe, sizeof probe);
  uint16_t osn = 77;
  ASSERT_EQ(braid_rtp_rtx_osn(&p, &osn), BRAID_ETRUNC);
  ASSERT_EQ(osn, 77);
  uint8_t out[64];
  size_t n = 99;
  ASSERT_EQ(braid_rtp_rtx_unwrap(out, sizeof out, 0, &p, 1, 96, &n), BRAID_ETRUNC);
  ASSERT_EQ(n, 99);
  /* One payload byte is still too short for the OSN. */
  static const uint8_t one[] = {0x80, 0x61, 0, 9, 0, 0, 0x10, 0, 0x55, 0x66, 0x77, 0x88, 0x30};
  p = parse_ok(one, sizeof one);
  ASSERT_EQ(braid_rtp_rtx_unwrap(out, sizeof out, 0, &p, 1, 96, &n), BRAID_ETRUNC);
  /* Exactly the OSN: an empty original payload. */
  static const uint8_t two[] = {0x80, 0x61, 0, 9, 0, 0, 0x10, 0, 0x55, 0x66, 0x77, 0x88, 0, 5};
  p = parse_ok(two, sizeof two);
  seed("rtp_rtx", "osn_only", two, sizeof two);
  ASSERT_EQ(braid_rtp_rtx_unwrap(out, sizeof out, 0, &p, 1, 96, &n), 0);
  ASSERT_EQ(n, 12);
  p = parse_ok(out, n);
  ASSERT_EQ(p.seq, 5);
  ASSERT_EQ(p.payload_len, 0);
}

BRAID_TEST(tail_room) {
  braid_rtp_packet_t p = parse_ok(orig, sizeof orig);
  uint8_t out[64];
  size_t n = 99;
  /* The RTX packet is 27 bytes. */
  ASSERT_EQ(braid_rtp_rtx_wrap(out, 27 + 10, 10, &p, 1, 97, 1, &n), 0);
  n = 99;
  ASSERT_EQ(braid_rtp_rtx_wrap(out, 27 + 9, 10, &p, 1, 97, 1, &n), BRAID_ETOOBIG);
  ASSERT_EQ(n, 99);
  ASSERT_EQ(braid_rtp_rtx_wrap(out, 5, 10, &p, 1, 97, 1, &n), BRAID_ETOOBIG);
  p = parse_ok(rtx, sizeof rtx);
  /* Unwrapped: 25 bytes. */
  ASSERT_EQ(braid_rtp_rtx_unwrap(out, 25 + 4, 4, &p, 1, 96, &n), 0);
  ASSERT_EQ(braid_rtp_rtx_unwrap(out, 25 + 3, 4, &p, 1, 96, &n), BRAID_ETOOBIG);
  ASSERT_EQ(braid_rtp_rtx_unwrap(out, 3, 4, &p, 1, 96, &n), BRAID_ETOOBIG);
}

BRAID_TEST(wrap_max_len) {
  static uint8_t big[BRAID_RTP_MAX_LEN], out[BRAID_RTP_MAX_LEN + 2];
  memcpy(big, orig + 0, 12);
  big[0] = 0x80; /* no padding, no extension */
  braid_rtp_packet_t p = parse_ok(big, sizeof big);
  size_t n = 0;
  ASSERT_EQ(braid_rtp_rtx_wrap(out, sizeof out, 0, &p, 1, 97, 1, &n), BRAID_ETOOBIG);
  p = parse_ok(big, sizeof big - 2);
  ASSERT_EQ(braid_rtp_rtx_wrap(out, sizeof out, 0, &p, 1, 97, 1, &n), 0);
  ASSERT_EQ(n, BRAID_RTP_MAX_LEN);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(wrap_exact_bytes)
    BRAID_TEST_ENTRY(unwrap_exact_bytes)
    BRAID_TEST_ENTRY(in_place)
    BRAID_TEST_ENTRY(round_trip_fields)
    BRAID_TEST_ENTRY(padding_only_probe)
    BRAID_TEST_ENTRY(tail_room)
    BRAID_TEST_ENTRY(wrap_max_len)
)
/* clang-format on */
