/* Unit tests of mediad/wire/tcp_framing.c: RFC 4571 frames decoded from an
 * annotated stream, every truncation, the broken-stream cases, the encoder,
 * and the reader fed in every chunking. */
#include "mediad/wire/tcp_framing.h"

#include <sys/stat.h>

#include "tests/test.h"

/* With BRAID_STUN_SEED_DIR=<dir> set, the valid streams are written to
 * <dir>/tcp_framing/<name> as seeds (fuzz/mediad/wire/stun.cmake), after
 * the fuzzer's 3 control bytes: largest frame 1 + 0x05dc = 1501, chunking
 * seed 0. */
static void seed(const char *name, const uint8_t *data, size_t len) {
  static const uint8_t control[3] = {0x05, 0xdc, 0x00};
  const char *dir = getenv("BRAID_STUN_SEED_DIR");
  if (dir == NULL) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/tcp_framing", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/tcp_framing/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ASSERT(f != NULL);
  ASSERT_EQ(fwrite(control, 1, sizeof control, f), sizeof control);
  ASSERT_EQ(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* Three frames as ICE-TCP carries them: a STUN header, an RTP packet, one
 * byte. */
static const uint8_t stream[] = {
    0x00, 0x14,             /* LENGTH 20 */
    0x00, 0x01, 0x00, 0x00, /*   STUN Binding request, no attributes */
    0x21, 0x12, 0xa4, 0x42, /*   magic cookie */
    0x01, 0x02, 0x03, 0x04, /*   transaction id */
    0x05, 0x06, 0x07, 0x08, /*   ... */
    0x09, 0x0a, 0x0b, 0x0c, /*   ... */
    0x00, 0x0d,             /* LENGTH 13 */
    0x80, 0x60, 0x00, 0x01, /*   RTP V=2 PT=96 seq 1 */
    0x00, 0x00, 0x00, 0x02, /*   timestamp 2 */
    0x00, 0x00, 0x00, 0x03, /*   SSRC 3 */
    0xaa,                   /*   payload */
    0x00, 0x01,             /* LENGTH 1 */
    0x17,                   /*   one byte */
};
static const size_t frame_off[] = {2, 24, 39};
static const size_t frame_len[] = {20, 13, 1};

BRAID_TEST(decode_stream) {
  seed("three_frames", stream, sizeof stream);
  const uint8_t *p = stream, *f = NULL;
  size_t left = sizeof stream, n = 0;
  for (int i = 0; i < 3; i++) {
    ssize_t used = braid_tcp_framing_decode(p, left, BRAID_TCP_FRAMING_MAX, &f, &n);
    ASSERT_EQ(used, 2 + (ssize_t)frame_len[i]);
    ASSERT(f == stream + frame_off[i]);
    ASSERT_EQ(n, frame_len[i]);
    p += used;
    left -= (size_t)used;
  }
  ASSERT_EQ(left, 0);
  ASSERT_EQ(braid_tcp_framing_decode(p, 0, BRAID_TCP_FRAMING_MAX, &f, &n), BRAID_EAGAIN_MORE);
}

BRAID_TEST(every_truncation_wants_more) {
  /* Every prefix of the first frame, in a buffer of exactly that size. */
  for (size_t n = 0; n < 22; n++) {
    uint8_t *cut = malloc(n ? n : 1);
    memcpy(cut, stream, n);
    const uint8_t *f = NULL;
    size_t fl = 0;
    ASSERT_EQ(braid_tcp_framing_decode(cut, n, BRAID_TCP_FRAMING_MAX, &f, &fl), BRAID_EAGAIN_MORE);
    ASSERT(f == NULL);
    free(cut);
  }
}

BRAID_TEST(broken_streams) {
  static const uint8_t zero[] = {0x00, 0x00};      /* LENGTH 0 */
  static const uint8_t big[] = {0x05, 0xdd, 0x00}; /* LENGTH 1501, 1 byte of it */
  static const uint8_t max[] = {0xff, 0xff};       /* LENGTH 65535 */
  const uint8_t *f;
  size_t n;
  seed("zero_length", zero, sizeof zero);
  seed("partial_frame", big, sizeof big);
  ASSERT_EQ(braid_tcp_framing_decode(zero, 2, 1500, &f, &n), BRAID_EMALFORMED);
  ASSERT_EQ(braid_tcp_framing_decode(big, 3, 1500, &f, &n), BRAID_ETOOBIG);
  ASSERT_EQ(braid_tcp_framing_decode(big, 2, 1500, &f, &n), BRAID_ETOOBIG); /* at once */
  ASSERT_EQ(braid_tcp_framing_decode(big, 1, 1500, &f, &n), BRAID_EAGAIN_MORE);
  ASSERT_EQ(braid_tcp_framing_decode(big, 3, 1501, &f, &n), BRAID_EAGAIN_MORE); /* at the max */
  ASSERT_EQ(braid_tcp_framing_decode(max, 2, BRAID_TCP_FRAMING_MAX, &f, &n), BRAID_EAGAIN_MORE);
}

BRAID_TEST(encode) {
  uint8_t hdr[2];
  ASSERT_EQ(braid_tcp_framing_encode_header(hdr, 1), 0);
  ASSERT_EQ(hdr[0], 0x00);
  ASSERT_EQ(hdr[1], 0x01);
  ASSERT_EQ(braid_tcp_framing_encode_header(hdr, 65535), 0);
  ASSERT_EQ(hdr[0], 0xff);
  ASSERT_EQ(hdr[1], 0xff);
  ASSERT_EQ(braid_tcp_framing_encode_header(hdr, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_tcp_framing_encode_header(hdr, 65536), BRAID_ETOOBIG);

  /* Re-encoding the three frames gives the stream back. */
  uint8_t out[sizeof stream];
  size_t off = 0;
  for (int i = 0; i < 3; i++) {
    ssize_t n =
        braid_tcp_framing_encode(out + off, sizeof out - off, stream + frame_off[i], frame_len[i]);
    ASSERT_EQ(n, 2 + (ssize_t)frame_len[i]);
    off += (size_t)n;
  }
  ASSERT_EQ(off, sizeof stream);
  ASSERT_MEM_EQ(out, stream, sizeof stream);
  for (size_t cap = 0; cap < 22; cap++)
    ASSERT_EQ(braid_tcp_framing_encode(out, cap, stream + 2, 20), BRAID_ETOOBIG);
  ASSERT_EQ(braid_tcp_framing_encode(out, sizeof out, stream, 0), BRAID_EINVAL);
}

BRAID_TEST(reader_init) {
  braid_tcp_framing_reader_t r;
  uint8_t buf[64];
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, sizeof buf, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, sizeof buf, 63), BRAID_EINVAL);
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, 70000, 65536), BRAID_EINVAL);
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, sizeof buf, 62), 0);
}

/* Feeds stream in chunks of `chunk` bytes into a reader with the smallest
 * buffer that fits its frames, and checks the frames that come out. */
static void feed_in_chunks(size_t chunk) {
  braid_tcp_framing_reader_t r;
  uint8_t buf[22];
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, sizeof buf, 20), 0);
  size_t in = 0;
  int got = 0;
  while (in < sizeof stream) {
    size_t want = sizeof stream - in < chunk ? sizeof stream - in : chunk;
    size_t took = braid_tcp_framing_reader_feed(&r, stream + in, want);
    ASSERT(took > 0);
    in += took;
    const uint8_t *f;
    size_t n;
    int rc;
    while ((rc = braid_tcp_framing_reader_next(&r, &f, &n)) == 0) {
      ASSERT(got < 3);
      ASSERT_EQ(n, frame_len[got]);
      ASSERT_MEM_EQ(f, stream + frame_off[got], n);
      got++;
    }
    ASSERT_EQ(rc, BRAID_EAGAIN_MORE);
    uint8_t *p;
    ASSERT(braid_tcp_framing_reader_space(&r, &p) >= 1);
  }
  ASSERT_EQ(got, 3);
}

BRAID_TEST(reader_every_chunking) {
  for (size_t chunk = 1; chunk <= sizeof stream; chunk++)
    feed_in_chunks(chunk);
}

BRAID_TEST(reader_frames_wait) {
  /* With frames not taken yet, the reader takes only what fits. */
  braid_tcp_framing_reader_t r;
  uint8_t buf[37]; /* the first two frames exactly */
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, sizeof buf, 20), 0);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, stream, sizeof stream), 37);
  uint8_t *p;
  ASSERT_EQ(braid_tcp_framing_reader_space(&r, &p), 0);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, stream + 37, 3), 0);
  const uint8_t *f1, *f2;
  size_t n1, n2;
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f1, &n1), 0);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f2, &n2), 0);
  /* Both frames stay valid until the next _space()/_feed(). */
  ASSERT_EQ(n1, 20);
  ASSERT_MEM_EQ(f1, stream + 2, n1);
  ASSERT_EQ(n2, 13);
  ASSERT_MEM_EQ(f2, stream + 24, n2);
  ASSERT_EQ(r.start, 0); /* empty again: back to the front */
  ASSERT_EQ(r.end, 0);
  const uint8_t *f3;
  size_t n3;
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f3, &n3), BRAID_EAGAIN_MORE);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, stream + 37, 2), 2);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f3, &n3), BRAID_EAGAIN_MORE);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, stream + 39, 1), 1);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f3, &n3), 0);
  ASSERT_EQ(n3, 1);
  ASSERT_EQ(f3[0], 0x17);
}

BRAID_TEST(reader_sticky_errors) {
  braid_tcp_framing_reader_t r;
  uint8_t buf[64];
  static const uint8_t bad[] = {0x00, 0x01, 0x55, 0x00, 0x00, 0x00, 0x01, 0x66};
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, sizeof buf, 32), 0);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, bad, sizeof bad), sizeof bad);
  const uint8_t *f;
  size_t n;
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f, &n), 0);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f, &n), BRAID_EMALFORMED);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f, &n), BRAID_EMALFORMED);
  uint8_t *p;
  ASSERT_EQ(braid_tcp_framing_reader_space(&r, &p), 0);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, bad, 2), 0);

  static const uint8_t huge[] = {0x00, 0x21}; /* 33 > 32 */
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, sizeof buf, 32), 0);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, huge, 1), 1);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f, &n), BRAID_EAGAIN_MORE);
  ASSERT_EQ(braid_tcp_framing_reader_feed(&r, huge + 1, 1), 1);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f, &n), BRAID_ETOOBIG);
  ASSERT_EQ(braid_tcp_framing_reader_next(&r, &f, &n), BRAID_ETOOBIG);
}

BRAID_TEST(reader_largest_frames) {
  /* Back-to-back frames of the largest size, fed in odd chunks through a
   * buffer of exactly one frame plus its length: compaction must make room
   * every time. */
  enum { MAXF = BRAID_TCP_FRAMING_MAX, N = 3 };
  size_t total = N * (2 + (size_t)MAXF);
  uint8_t *src = malloc(total);
  for (int i = 0; i < N; i++) {
    uint8_t *fr = src + (size_t)i * (2 + MAXF);
    fr[0] = 0xff, fr[1] = 0xff;
    memset(fr + 2, 'a' + i, MAXF);
  }
  uint8_t *buf = malloc(2 + MAXF);
  braid_tcp_framing_reader_t r;
  ASSERT_EQ(braid_tcp_framing_reader_init(&r, buf, 2 + MAXF, MAXF), 0);
  size_t in = 0;
  int got = 0;
  while (in < total) {
    size_t want = total - in < 7777 ? total - in : 7777;
    in += braid_tcp_framing_reader_feed(&r, src + in, want);
    const uint8_t *f;
    size_t n;
    while (braid_tcp_framing_reader_next(&r, &f, &n) == 0) {
      ASSERT_EQ(n, MAXF);
      ASSERT_EQ(f[0], 'a' + got);
      ASSERT_EQ(f[MAXF - 1], 'a' + got);
      got++;
    }
  }
  ASSERT_EQ(got, N);
  free(buf);
  free(src);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(decode_stream)
    BRAID_TEST_ENTRY(every_truncation_wants_more)
    BRAID_TEST_ENTRY(broken_streams)
    BRAID_TEST_ENTRY(encode)
    BRAID_TEST_ENTRY(reader_init)
    BRAID_TEST_ENTRY(reader_every_chunking)
    BRAID_TEST_ENTRY(reader_frames_wait)
    BRAID_TEST_ENTRY(reader_sticky_errors)
    BRAID_TEST_ENTRY(reader_largest_frames)
)
/* clang-format on */
