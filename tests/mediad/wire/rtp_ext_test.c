/* Unit tests of mediad/wire/rtp_ext.c: both RFC 8285 forms with padding,
 * ID 15 and zero lengths, typed readers, in-place updates and the block
 * writer. */
#include "mediad/wire/rtp_ext.h"

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

/* A packet as Chrome sends it (one-byte form), with padding between
 * elements (ids as in docs/field-notes.md). */
/* clang-format off */
static const uint8_t chrome[] = {
    0x90,                   /* V=2 X=1 */
    0xe0,                   /* M=1 PT=96 */
    0x00, 0x01,             /* seq 1 */
    0x00, 0x00, 0x00, 0x02, /* timestamp 2 */
    0x00, 0x00, 0x00, 0x03, /* SSRC 3 */
    0xbe, 0xde,             /* one-byte form */
    0x00, 0x05,             /* length: 5 words */
    0x10, 0xd5,             /* id 1 ssrc-audio-level, 1 byte: V=1 level 85 */
    0x00,                   /* padding between elements */
    0x22, 0x12, 0x34, 0x56, /* id 2 abs-send-time, 3 bytes: 0x123456 */
    0x00, 0x00,             /* padding */
    0x31, 0x01, 0x02,       /* id 3 transport-wide-cc, 2 bytes: seq 258 */
    0x40, '1',              /* id 4 sdes:mid, 1 byte: "1" */
    0xa1, 'r', '0',         /* id 10 rtp-stream-id, 2 bytes: "r0" */
    0x00, 0x00, 0x00,       /* padding to the word */
    0x55, 0x66,             /* payload */
};
/* clang-format on */

/* Builds a packet from an extension block: fixed header, the block's
 * 4-byte header (profile, length in words) and one payload byte. */
static size_t with_block(uint8_t *buf, uint16_t profile, const uint8_t *block, size_t len) {
  static const uint8_t hdr[12] = {0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3};
  ASSERT_EQ(len % 4, 0);
  memcpy(buf, hdr, 12);
  buf[12] = (uint8_t)(profile >> 8);
  buf[13] = (uint8_t)profile;
  buf[14] = (uint8_t)(len / 4 >> 8);
  buf[15] = (uint8_t)(len / 4);
  if (len != 0) memcpy(buf + 16, block, len);
  buf[16 + len] = 0x77;
  return 16 + len + 1;
}

/* Seeds the writer's fuzzer, whose input is id, length, value, ... */
static void seed_entries(const char *name, const braid_rtp_ext_entry_t *e, size_t n) {
  uint8_t b[1024];
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    b[len++] = e[i].id;
    b[len++] = e[i].len;
    if (e[i].len != 0) memcpy(b + len, e[i].val, e[i].len);
    len += e[i].len;
  }
  seed("rtp_ext", name, b, len);
}

static braid_rtp_ext_t parse_ext(const uint8_t *data, size_t len) {
  braid_rtp_packet_t pkt;
  braid_rtp_ext_t ext;
  ASSERT_EQ(braid_rtp_packet_parse(&pkt, data, len), 0);
  ASSERT_EQ(braid_rtp_ext_parse(&ext, &pkt), 0);
  return ext;
}

static int parse_ext_rc(const uint8_t *data, size_t len, braid_rtp_ext_t *ext) {
  braid_rtp_packet_t pkt;
  ASSERT_EQ(braid_rtp_packet_parse(&pkt, data, len), 0);
  return braid_rtp_ext_parse(ext, &pkt);
}

BRAID_TEST(one_byte_with_padding) {
  braid_rtp_ext_t ext = parse_ext(chrome, sizeof chrome);
  seed("rtp_packet", "chrome_ext", chrome, sizeof chrome);
  seed("rtp_rtx", "chrome_ext", chrome, sizeof chrome);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_ONE_BYTE);
  ASSERT_EQ(ext.appbits, 0);
  ASSERT_EQ(ext.n, 5);
  const uint8_t ids[] = {1, 2, 3, 4, 10}, lens[] = {1, 3, 2, 1, 2}, offs[] = {17, 20, 26, 29, 31};
  for (unsigned i = 0; i < 5; i++) {
    ASSERT_EQ(ext.elems[i].id, ids[i]);
    ASSERT_EQ(ext.elems[i].len, lens[i]);
    ASSERT_EQ(ext.elems[i].off, offs[i]);
    ASSERT(braid_rtp_ext_find(&ext, ids[i]) == &ext.elems[i]);
  }
  ASSERT(braid_rtp_ext_find(&ext, 0) == NULL);
  ASSERT(braid_rtp_ext_find(&ext, 5) == NULL);

  bool voice = false;
  uint8_t level = 0;
  ASSERT_EQ(braid_rtp_ext_get_audio_level(&ext, 1, &voice, &level), 0);
  ASSERT(voice);
  ASSERT_EQ(level, 85);
  uint32_t abs = 0;
  ASSERT_EQ(braid_rtp_ext_get_abs_send_time(&ext, 2, &abs), 0);
  ASSERT_EQ(abs, 0x123456);
  uint16_t seq = 0;
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&ext, 3, &seq), 0);
  ASSERT_EQ(seq, 258);
  braid_str_t s;
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 4, &s), 0);
  ASSERT(braid_str_eq(s, "1"));
  ASSERT(s.p == (const char *)chrome + 29); /* borrowed, not copied */
  ASSERT_EQ(braid_rtp_ext_get_rid(&ext, 10, &s), 0);
  ASSERT(braid_str_eq(s, "r0"));
  /* Wrong lengths for the type asked. */
  ASSERT_EQ(braid_rtp_ext_get_abs_send_time(&ext, 3, &abs), BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&ext, 2, &seq), BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtp_ext_get_audio_level(&ext, 10, &voice, &level), BRAID_EMALFORMED);
  ASSERT_EQ(abs, 0x123456); /* outputs untouched on failure */
  /* Absent ids. */
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 11, &s), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtp_ext_get_rid(&ext, 11, &s), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtp_ext_get_abs_send_time(&ext, 11, &abs), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&ext, 11, &seq), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtp_ext_get_audio_level(&ext, 11, &voice, &level), BRAID_ENOTFOUND);
  braid_rtp_video_orientation_t o;
  ASSERT_EQ(braid_rtp_ext_get_video_orientation(&ext, 11, &o), BRAID_ENOTFOUND);
  int32_t t;
  ASSERT_EQ(braid_rtp_ext_get_toffset(&ext, 11, &t), BRAID_ENOTFOUND);
}

/* Captured from Chromium 156 (loopback call, --disable-webrtc-encryption):
 * the first packet of a VP8 key frame, cut after the VP8 frame header.
 * With extmap-allow-mixed and elements over 16 bytes it uses the two-byte
 * form. */
/* clang-format off */
static const uint8_t chrome_vp8_key[] = {
    0x90,                         /* V=2 X=1 */
    0x60,                         /* M=0 PT=96 */
    0x17, 0xf0,                   /* seq 6128 */
    0x0b, 0xaa, 0x4e, 0xe5,       /* timestamp */
    0x39, 0xb4, 0x84, 0x58,       /* SSRC */
    0x10, 0x00,                   /* two-byte form, appbits 0 */
    0x00, 0x0d,                   /* length: 13 words */
    0x02, 0x03, 0x9d, 0x5f, 0xdc, /* id 2 abs-send-time, 3 bytes: 0x9d5fdc */
    0x03, 0x02, 0x00, 0x23,       /* id 3 transport-wide-cc, 2 bytes: seq 35 */
    0x04, 0x01, 0x31,             /* id 4 sdes:mid, 1 byte: "1" */
    0x0c, 0x17,                   /* id 12 dependency descriptor, 23 bytes: */
    0x80, 0x00, 0x01, 0x80, 0x02, 0x04, 0x4e, 0xaa, 0xaf, 0x28, 0x60, 0x41, /* ... */
    0x4d, 0x34, 0x53, 0x8a, 0x09, 0x40, 0x40, 0x9f, 0xc0, 0x59, 0xc0,       /* ... */
    0x09, 0x0c,                   /* id 9 video-layers-allocation, 12 bytes: */
    0x01, 0x80, 0x57, 0x82, 0x01, 0xd9, 0x01, 0x02, 0x7f, 0x01, 0x67, 0x0a, /* ... */
    0x00,                         /* padding */
    0x10,                         /* VP8 descriptor: S=1 PID=0 */
    0x50, 0x48, 0x00,             /* frame tag: key frame */
    0x9d, 0x01, 0x2a,             /* start code */
    0x80, 0x02, 0x68, 0x01,       /* 640x360 */
};
/* clang-format on */

BRAID_TEST(chrome_two_byte_capture) {
  braid_rtp_ext_t ext = parse_ext(chrome_vp8_key, sizeof chrome_vp8_key);
  seed("rtp_packet", "chrome_vp8_key_cut", chrome_vp8_key, sizeof chrome_vp8_key);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_TWO_BYTE);
  ASSERT_EQ(ext.n, 5);
  const uint8_t ids[] = {2, 3, 4, 12, 9}, lens[] = {3, 2, 1, 23, 12};
  for (unsigned i = 0; i < 5; i++) {
    ASSERT_EQ(ext.elems[i].id, ids[i]);
    ASSERT_EQ(ext.elems[i].len, lens[i]);
  }
  uint32_t abs = 0;
  uint16_t seq = 0;
  braid_str_t mid;
  ASSERT_EQ(braid_rtp_ext_get_abs_send_time(&ext, 2, &abs), 0);
  ASSERT_EQ(abs, 0x9d5fdc);
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&ext, 3, &seq), 0);
  ASSERT_EQ(seq, 35);
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 4, &mid), 0);
  ASSERT(braid_str_eq(mid, "1"));
  /* Re-written with our MID only, it fits the one-byte form. */
  braid_rtp_packet_t src, out;
  ASSERT_EQ(braid_rtp_packet_parse(&src, chrome_vp8_key, sizeof chrome_vp8_key), 0);
  const braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"v7", 4, 2}};
  braid_rtp_rewrite_t rw = {.ssrc = 1, .pt = 101, .ext = e, .n_ext = 1};
  uint8_t b[128];
  size_t n = 0;
  ASSERT_EQ(braid_rtp_packet_rewrite(b, sizeof b, 16, &src, &rw, &n), 0);
  ASSERT_EQ(n, sizeof chrome_vp8_key - 52 + 4);
  ASSERT_EQ(braid_rtp_packet_parse(&out, b, n), 0);
  ext = parse_ext(b, n);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_ONE_BYTE);
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 4, &mid), 0);
  ASSERT(braid_str_eq(mid, "v7"));
  ASSERT_MEM_EQ(braid_rtp_packet_payload(&out), chrome_vp8_key + 68, sizeof chrome_vp8_key - 68);
}

BRAID_TEST(one_byte_id15_stops) {
  /* clang-format off */
  static const uint8_t block[] = {
      0x40, '7',  /* id 4, 1 byte: mid "7" */
      0xf3,       /* id 15: stop here, whatever its length says */
      0x10, 0x01, /* id 1 after the stop: ignored */
      0x00, 0x00, /* padding */
      0x00,       /* padding */
  };
  /* clang-format on */
  uint8_t b[64];
  size_t n = with_block(b, 0xbede, block, sizeof block);
  braid_rtp_ext_t ext = parse_ext(b, n);
  seed("rtp_packet", "ext_id15", b, n);
  ASSERT_EQ(ext.n, 1);
  braid_str_t mid;
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 4, &mid), 0);
  ASSERT(braid_str_eq(mid, "7"));
  ASSERT(braid_rtp_ext_find(&ext, 1) == NULL);
  ASSERT(braid_rtp_ext_find(&ext, 15) == NULL);
}

BRAID_TEST(one_byte_id0_is_one_byte_of_padding) {
  /* clang-format off */
  static const uint8_t block[] = {
      0x05,       /* id 0 with a non-zero length nibble: one padding byte */
      0x10, 0x7f, /* id 1, 1 byte: V=0 level 127 (silence) */
      0x00,       /* padding */
  };
  /* clang-format on */
  uint8_t b[64];
  size_t n = with_block(b, 0xbede, block, sizeof block);
  braid_rtp_ext_t ext = parse_ext(b, n);
  seed("rtp_packet", "ext_id0_padding", b, n);
  ASSERT_EQ(ext.n, 1);
  bool voice = true;
  uint8_t level = 0;
  ASSERT_EQ(braid_rtp_ext_get_audio_level(&ext, 1, &voice, &level), 0);
  ASSERT(!voice);
  ASSERT_EQ(level, 127);
}

BRAID_TEST(one_byte_sixteen_bytes_and_duplicates) {
  /* clang-format off */
  static const uint8_t block[] = {
      0x2f,                                           /* id 2, 16 bytes */
      'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', /* value */
      0x20, 'z',                                      /* id 2 again, 1 byte */
      0x00,                                           /* padding */
  };
  /* clang-format on */
  uint8_t b[64];
  size_t n = with_block(b, 0xbede, block, sizeof block);
  braid_rtp_ext_t ext = parse_ext(b, n);
  seed("rtp_packet", "ext_16_bytes_dup", b, n);
  ASSERT_EQ(ext.n, 2);
  braid_str_t s;
  ASSERT_EQ(braid_rtp_ext_get_rid(&ext, 2, &s), 0); /* the first one */
  ASSERT(braid_str_eq(s, "abcdefghijklmnop"));
}

BRAID_TEST(two_byte_form) {
  /* clang-format off */
  static const uint8_t block[] = {
      0x01, 0x00,             /* id 1, length 0 */
      0x00,                   /* padding */
      0xc8, 0x03,             /* id 200, length 3 */
      0xff, 0xff, 0xfe,       /* toffset -2 */
      0x0f, 0x02, 0x00, 0x10, /* id 15 (allowed here), length 2: twcc seq 16 */
  };
  /* clang-format on */
  uint8_t b[64];
  size_t n = with_block(b, 0x1005, block, sizeof block); /* appbits 5 */
  braid_rtp_ext_t ext = parse_ext(b, n);
  seed("rtp_packet", "ext_two_byte", b, n);
  seed("rtp_rtx", "ext_two_byte", b, n);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_TWO_BYTE);
  ASSERT_EQ(ext.appbits, 5);
  ASSERT_EQ(ext.n, 3);
  const braid_rtp_ext_elem_t *e = braid_rtp_ext_find(&ext, 1);
  ASSERT(e != NULL);
  ASSERT_EQ(e->len, 0);
  int32_t t = 0;
  ASSERT_EQ(braid_rtp_ext_get_toffset(&ext, 200, &t), 0);
  ASSERT_EQ(t, -2);
  uint16_t seq = 0;
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&ext, 15, &seq), 0);
  ASSERT_EQ(seq, 16);
  /* An empty string is not a MID. */
  braid_str_t s;
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 1, &s), BRAID_EMALFORMED);
}

BRAID_TEST(other_profile_and_no_ext) {
  static const uint8_t block[] = {0x10, 0x01, 0x02, 0x03}; /* opaque to us */
  uint8_t b[64];
  size_t n = with_block(b, 0x1234, block, sizeof block);
  braid_rtp_ext_t ext = parse_ext(b, n);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_OTHER);
  ASSERT_EQ(ext.n, 0);
  ASSERT(braid_rtp_ext_find(&ext, 1) == NULL);
  /* 0x100X with X = 0..15 only: 0x1010 is another profile. */
  n = with_block(b, 0x1010, block, sizeof block);
  ext = parse_ext(b, n);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_OTHER);
  /* An empty one-byte block. */
  n = with_block(b, 0xbede, NULL, 0);
  ext = parse_ext(b, n);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_ONE_BYTE);
  ASSERT_EQ(ext.n, 0);
  /* No block at all. */
  static const uint8_t plain[] = {0x80, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3};
  ext = parse_ext(plain, sizeof plain);
  ASSERT_EQ(ext.form, BRAID_RTP_EXT_NONE);
  ASSERT_EQ(ext.n, 0);
}

BRAID_TEST(video_orientation_and_toffset) {
  /* clang-format off */
  static const uint8_t block[] = {
      0x50, 0x0b,             /* id 5, 1 byte: C=1 F=0 R=3 (270 degrees) */
      0x62, 0x00, 0x01, 0x00, /* id 6, 3 bytes: toffset 256 */
      0x70, 0xf4,             /* id 7, 1 byte: high bits set, C=0 F=1 R=0 */
  };
  /* clang-format on */
  uint8_t b[64];
  size_t n = with_block(b, 0xbede, block, sizeof block);
  braid_rtp_ext_t ext = parse_ext(b, n);
  seed("rtp_packet", "ext_orientation_toffset", b, n);
  braid_rtp_video_orientation_t o;
  ASSERT_EQ(braid_rtp_ext_get_video_orientation(&ext, 5, &o), 0);
  ASSERT(o.camera_back);
  ASSERT(!o.flip);
  ASSERT_EQ(o.rotation, 270);
  ASSERT_EQ(braid_rtp_ext_get_video_orientation(&ext, 7, &o), 0);
  ASSERT(!o.camera_back);
  ASSERT(o.flip);
  ASSERT_EQ(o.rotation, 0);
  int32_t t = 0;
  ASSERT_EQ(braid_rtp_ext_get_toffset(&ext, 6, &t), 0);
  ASSERT_EQ(t, 256);
  ASSERT_EQ(braid_rtp_ext_get_video_orientation(&ext, 6, &o), BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtp_ext_get_toffset(&ext, 5, &t), BRAID_EMALFORMED);
}

BRAID_TEST(bad_strings) {
  /* clang-format off */
  static const uint8_t block[] = {
      0x42, 'a', ' ', 'b', /* id 4, 3 bytes: a space is not a token char */
      0x51, 'r', '.',      /* id 5, 2 bytes: '.' is a token char, not a rid char */
      0x00,                /* padding */
  };
  /* clang-format on */
  uint8_t b[64];
  size_t n = with_block(b, 0xbede, block, sizeof block);
  braid_rtp_ext_t ext = parse_ext(b, n);
  seed("rtp_packet", "ext_bad_strings", b, n);
  braid_str_t s = {NULL, 0};
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 4, &s), BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtp_ext_get_rid(&ext, 4, &s), BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtp_ext_get_rid(&ext, 5, &s), BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 5, &s), 0);
  ASSERT(braid_str_eq(s, "r."));

  /* clang-format off */
  static const uint8_t long_block[] = {
      0x04, 0x11, /* two-byte: id 4, 17 bytes */
      '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', 'g',
      0x00,       /* padding */
  };
  /* clang-format on */
  n = with_block(b, 0x1000, long_block, sizeof long_block);
  ext = parse_ext(b, n);
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 4, &s), BRAID_ETOOBIG);
  ASSERT_EQ(braid_rtp_ext_get_rid(&ext, 4, &s), BRAID_ETOOBIG);
}

BRAID_TEST(truncated_elements) {
  braid_rtp_ext_t ext;
  uint8_t b[64];
  /* clang-format off */
  static const uint8_t one_over[] = {
      0x13,             /* id 1, 4 bytes */
      0x01, 0x02, 0x03, /* only 3 left in the block */
  };
  /* clang-format on */
  size_t n = with_block(b, 0xbede, one_over, sizeof one_over);
  ASSERT_EQ(parse_ext_rc(b, n, &ext), BRAID_ETRUNC);
  ASSERT_EQ(ext.n, 0);
  /* clang-format off */
  static const uint8_t two_no_len[] = {
      0x00, 0x00, 0x00, /* padding */
      0x07,             /* id 7, and no length byte before the end */
  };
  /* clang-format on */
  n = with_block(b, 0x1000, two_no_len, sizeof two_no_len);
  ASSERT_EQ(parse_ext_rc(b, n, &ext), BRAID_ETRUNC);
  /* clang-format off */
  static const uint8_t two_over[] = {
      0x01, 0x00, /* id 1, length 0: fine */
      0x02, 0x05, /* id 2, length 5: nothing left */
  };
  /* clang-format on */
  n = with_block(b, 0x1000, two_over, sizeof two_over);
  ASSERT_EQ(parse_ext_rc(b, n, &ext), BRAID_ETRUNC);
  ASSERT_EQ(ext.n, 0);
  /* Every cut of Chrome's block (by shortening its length in words and
   * moving the payload in): the last element overruns or is dropped. */
  for (unsigned words = 0; words < 5; words++) {
    memcpy(b, chrome, sizeof chrome);
    b[15] = (uint8_t)words;
    int rc = parse_ext_rc(b, sizeof chrome, &ext);
    ASSERT(rc == 0 || rc == BRAID_ETRUNC);
    if (rc == 0) ASSERT(ext.n < 5);
  }
}

BRAID_TEST(element_limit) {
  uint8_t block[2 * (BRAID_RTP_EXT_MAX_ELEMS + 1) + 2] = {0};
  for (unsigned i = 0; i <= BRAID_RTP_EXT_MAX_ELEMS; i++) {
    block[2 * i] = 0x10;           /* id 1, 1 byte */
    block[2 * i + 1] = (uint8_t)i; /* value */
  }
  uint8_t b[128];
  braid_rtp_ext_t ext;
  /* 32 elements and 4 bytes of padding: kept. */
  size_t n = with_block(b, 0xbede, block, 2 * BRAID_RTP_EXT_MAX_ELEMS);
  ASSERT_EQ(parse_ext_rc(b, n, &ext), 0);
  seed("rtp_packet", "ext_32_elements", b, n);
  ASSERT_EQ(ext.n, BRAID_RTP_EXT_MAX_ELEMS);
  /* 33: refused. */
  n = with_block(b, 0xbede, block, sizeof block);
  ASSERT_EQ(parse_ext_rc(b, n, &ext), BRAID_ETOOBIG);
  ASSERT_EQ(ext.n, 0);
}

BRAID_TEST(update_in_place) {
  uint8_t b[sizeof chrome];
  memcpy(b, chrome, sizeof b);
  ASSERT_EQ(braid_rtp_ext_update_abs_send_time(b, sizeof b, 2, 0xffabcdef), 0); /* masked */
  ASSERT_EQ(braid_rtp_ext_update_twcc_seq(b, sizeof b, 3, 0xbeef), 0);
  ASSERT_EQ(braid_rtp_ext_update(b, sizeof b, 4, (const uint8_t *)"9", 1), 0);
  braid_rtp_ext_t ext = parse_ext(b, sizeof b);
  uint32_t abs = 0;
  uint16_t seq = 0;
  braid_str_t mid;
  ASSERT_EQ(braid_rtp_ext_get_abs_send_time(&ext, 2, &abs), 0);
  ASSERT_EQ(abs, 0xabcdef);
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&ext, 3, &seq), 0);
  ASSERT_EQ(seq, 0xbeef);
  ASSERT_EQ(braid_rtp_ext_get_mid(&ext, 4, &mid), 0);
  ASSERT(braid_str_eq(mid, "9"));
  /* Only the three values changed. */
  uint8_t want[sizeof chrome];
  memcpy(want, chrome, sizeof want);
  memcpy(want + 20, "\xab\xcd\xef", 3);
  memcpy(want + 26, "\xbe\xef", 2);
  want[29] = '9';
  ASSERT_MEM_EQ(b, want, sizeof b);
  /* Failures leave the buffer alone. */
  ASSERT_EQ(braid_rtp_ext_update(b, sizeof b, 4, (const uint8_t *)"10", 2), BRAID_EINVAL);
  ASSERT_EQ(braid_rtp_ext_update_twcc_seq(b, sizeof b, 2, 1), BRAID_EINVAL);
  ASSERT_EQ(braid_rtp_ext_update_twcc_seq(b, sizeof b, 9, 1), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtp_ext_update_twcc_seq(b, 11, 3, 1), BRAID_ETRUNC);
  ASSERT_MEM_EQ(b, want, sizeof b);
  b[15] = 9; /* a block longer than the packet */
  ASSERT_EQ(braid_rtp_ext_update_twcc_seq(b, sizeof b, 3, 1), BRAID_ETRUNC);
}

BRAID_TEST(write_one_byte_block) {
  const braid_rtp_ext_entry_t e[] = {
      {(const uint8_t *)"\xd5", 1, 1},
      {(const uint8_t *)"0123456789abcdef", 14, 16},
  };
  /* clang-format off */
  static const uint8_t want[] = {
      0xbe, 0xde, /* one-byte form */
      0x00, 0x05, /* 5 words */
      0x10, 0xd5, /* id 1, 1 byte */
      0xef,       /* id 14, 16 bytes */
      '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
      0x00,       /* padding to the word */
  };
  /* clang-format on */
  size_t size = 0;
  braid_rtp_ext_form_t form = BRAID_RTP_EXT_NONE;
  ASSERT_EQ(braid_rtp_ext_block_size(e, 2, &size, &form), 0);
  ASSERT_EQ(size, sizeof want);
  ASSERT_EQ(form, BRAID_RTP_EXT_ONE_BYTE);
  uint8_t out[sizeof want + 1];
  out[sizeof want] = 0xee;
  braid_rtp_ext_block_write(out, e, 2, size, form);
  ASSERT_MEM_EQ(out, want, sizeof want);
  ASSERT_EQ(out[sizeof want], 0xee);
  seed_entries("one_byte", e, 2);
}

BRAID_TEST(write_two_byte_block) {
  const braid_rtp_ext_entry_t e[] = {
      {NULL, 3, 0},                    /* length 0 needs the two-byte form */
      {(const uint8_t *)"ab", 200, 2}, /* so does id 200 */
  };
  /* clang-format off */
  static const uint8_t want[] = {
      0x10, 0x00, /* two-byte form, appbits 0 */
      0x00, 0x02, /* 2 words */
      0x03, 0x00, /* id 3, length 0 */
      0xc8, 0x02, /* id 200, length 2 */
      'a', 'b',   /* value */
      0x00, 0x00, /* padding */
  };
  /* clang-format on */
  size_t size = 0;
  braid_rtp_ext_form_t form = BRAID_RTP_EXT_NONE;
  ASSERT_EQ(braid_rtp_ext_block_size(e, 2, &size, &form), 0);
  ASSERT_EQ(size, sizeof want);
  ASSERT_EQ(form, BRAID_RTP_EXT_TWO_BYTE);
  uint8_t out[sizeof want];
  braid_rtp_ext_block_write(out, e, 2, size, form);
  ASSERT_MEM_EQ(out, want, sizeof want);
  seed_entries("two_byte", e, 2);
  /* An exact multiple of 4 gets no padding; 17 bytes force two-byte. */
  const braid_rtp_ext_entry_t e17[] = {{(const uint8_t *)"0123456789abcdefg", 1, 17}};
  ASSERT_EQ(braid_rtp_ext_block_size(e17, 1, &size, &form), 0);
  ASSERT_EQ(size, 4 + 20);
  ASSERT_EQ(form, BRAID_RTP_EXT_TWO_BYTE);
  seed_entries("seventeen", e17, 1);
}

BRAID_TEST(block_size_errors) {
  size_t size = 7;
  braid_rtp_ext_form_t form = BRAID_RTP_EXT_OTHER;
  ASSERT_EQ(braid_rtp_ext_block_size(NULL, 0, &size, &form), 0);
  ASSERT_EQ(size, 0);
  ASSERT_EQ(form, BRAID_RTP_EXT_NONE);
  const braid_rtp_ext_entry_t id0[] = {{(const uint8_t *)"a", 0, 1}};
  ASSERT_EQ(braid_rtp_ext_block_size(id0, 1, &size, &form), BRAID_EINVAL);
  const braid_rtp_ext_entry_t null_val[] = {{NULL, 1, 2}};
  ASSERT_EQ(braid_rtp_ext_block_size(null_val, 1, &size, &form), BRAID_EINVAL);
  /* 1,100 elements of 255 bytes: 282,700 bytes, over 65,535 words. */
  static braid_rtp_ext_entry_t many[1100];
  static const uint8_t val[255];
  for (size_t i = 0; i < 1100; i++)
    many[i] = (braid_rtp_ext_entry_t){val, 1, 255};
  ASSERT_EQ(braid_rtp_ext_block_size(many, 1100, &size, &form), BRAID_ETOOBIG);
  ASSERT_EQ(braid_rtp_ext_block_size(many, 1000, &size, &form), 0); /* 257,000 bytes */
  ASSERT_EQ(size, 4 + 257000);
  ASSERT_EQ(braid_rtp_ext_block_size(many, (size_t)1 << 40, &size, &form), BRAID_ETOOBIG);
}

BRAID_TEST(abs_send_time_conversion) {
  ASSERT_EQ(braid_rtp_ext_abs_send_time_from_us(0), 0);
  ASSERT_EQ(braid_rtp_ext_abs_send_time_from_us(1000000), 1 << 18);
  ASSERT_EQ(braid_rtp_ext_abs_send_time_from_us(500000), 1 << 17);
  ASSERT_EQ(braid_rtp_ext_abs_send_time_from_us(64000000), 0); /* wraps every 64 s */
  ASSERT_EQ(braid_rtp_ext_abs_send_time_from_us(63999999), 0xffffff);
  /* A Unix time in microseconds does not overflow the conversion. */
  uint64_t us = 1790000000ull * 1000000 + 250000;
  ASSERT_EQ(braid_rtp_ext_abs_send_time_from_us(us), ((1790000000u % 64) << 18) | (1 << 16));
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(one_byte_with_padding)
    BRAID_TEST_ENTRY(chrome_two_byte_capture)
    BRAID_TEST_ENTRY(one_byte_id15_stops)
    BRAID_TEST_ENTRY(one_byte_id0_is_one_byte_of_padding)
    BRAID_TEST_ENTRY(one_byte_sixteen_bytes_and_duplicates)
    BRAID_TEST_ENTRY(two_byte_form)
    BRAID_TEST_ENTRY(other_profile_and_no_ext)
    BRAID_TEST_ENTRY(video_orientation_and_toffset)
    BRAID_TEST_ENTRY(bad_strings)
    BRAID_TEST_ENTRY(truncated_elements)
    BRAID_TEST_ENTRY(element_limit)
    BRAID_TEST_ENTRY(update_in_place)
    BRAID_TEST_ENTRY(write_one_byte_block)
    BRAID_TEST_ENTRY(write_two_byte_block)
    BRAID_TEST_ENTRY(block_size_errors)
    BRAID_TEST_ENTRY(abs_send_time_conversion)
)
/* clang-format on */
