/*
 * Fuzzer for RFC 4571 framing (mediad/wire/tcp_framing.c). The first three
 * input bytes choose the largest frame and seed the chunking; the rest is
 * the TCP stream. It is decoded in one shot with braid_tcp_framing_decode()
 * and again through a reader fed in pseudo-random chunks; both must yield
 * the same frames and end the same way. The frames are re-encoded and
 * must give back the bytes they were decoded from.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "mediad/wire/tcp_framing.h"

enum { MAX_FRAMES = 4096 };

typedef struct frame {
  size_t off, len; /* where in the stream the frame's bytes are */
} frame_t;

/* One-shot decoding; returns how decoding ended (EAGAIN_MORE or an error)
 * and the frames found before. */
static int one_shot(const uint8_t *s, size_t n, size_t max_frame, frame_t *fr, size_t *count,
                    size_t *consumed) {
  size_t off = 0;
  *count = 0;
  for (;;) {
    const uint8_t *f = NULL;
    size_t len = 0;
    ssize_t used = braid_tcp_framing_decode(s + off, n - off, max_frame, &f, &len);
    if (used < 0) {
      BRAID_ASSERT(used == BRAID_EAGAIN_MORE || used == BRAID_EMALFORMED || used == BRAID_ETOOBIG);
      *consumed = off;
      return (int)used;
    }
    BRAID_ASSERT(len >= 1 && len <= max_frame && (size_t)used == 2 + len);
    BRAID_ASSERT(f == s + off + 2 && (size_t)used <= n - off);
    if (*count < MAX_FRAMES) fr[*count] = (frame_t){off + 2, len};
    (*count)++;
    off += (size_t)used;
  }
}

static uint32_t next_rand(uint32_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3) return 0;
  size_t max_frame = 1 + (((size_t)data[0] << 8 | data[1]) % BRAID_TCP_FRAMING_MAX);
  uint32_t rnd = 0x9e3779b9u ^ data[2];
  const uint8_t *s = data + 3;
  size_t n = size - 3;

  static frame_t frames[MAX_FRAMES];
  size_t count = 0, consumed = 0;
  int end = one_shot(s, n, max_frame, frames, &count, &consumed);

  /* The reader, with the smallest buffer it accepts plus a little. */
  size_t cap = 2 + max_frame + (data[2] & 0x0f);
  uint8_t *buf = malloc(cap);
  braid_tcp_framing_reader_t r;
  BRAID_ASSERT(braid_tcp_framing_reader_init(&r, buf, cap, max_frame) == 0);
  size_t in = 0, got = 0;
  int rc = BRAID_EAGAIN_MORE;
  while (rc == BRAID_EAGAIN_MORE) {
    const uint8_t *f;
    size_t len;
    while ((rc = braid_tcp_framing_reader_next(&r, &f, &len)) == 0) {
      BRAID_ASSERT(got < count);
      if (got < MAX_FRAMES) {
        BRAID_ASSERT(len == frames[got].len);
        BRAID_ASSERT(memcmp(f, s + frames[got].off, len) == 0);
      }
      got++;
    }
    if (rc != BRAID_EAGAIN_MORE || in == n) break;
    uint8_t *p;
    BRAID_ASSERT(braid_tcp_framing_reader_space(&r, &p) >= 1);
    size_t chunk = 1 + next_rand(&rnd) % (next_rand(&rnd) % 4 == 0 ? 2048 : 64);
    if (chunk > n - in) chunk = n - in;
    size_t took = braid_tcp_framing_reader_feed(&r, s + in, chunk);
    BRAID_ASSERT(took >= 1 && took <= chunk);
    in += took;
  }
  BRAID_ASSERT(got == count);
  BRAID_ASSERT(rc == end);
  if (rc != BRAID_EAGAIN_MORE) BRAID_ASSERT(braid_tcp_framing_reader_next(&r, NULL, NULL) == rc);
  free(buf);

  /* Re-encoding the frames gives back the bytes they came from. */
  uint8_t *out = malloc(consumed ? consumed : 1);
  size_t off = 0;
  for (size_t i = 0; i < count && i < MAX_FRAMES; i++) {
    ssize_t w =
        braid_tcp_framing_encode(out + off, consumed - off, s + frames[i].off, frames[i].len);
    BRAID_ASSERT(w == (ssize_t)(2 + frames[i].len));
    off += (size_t)w;
  }
  if (count <= MAX_FRAMES) BRAID_ASSERT(off == consumed && memcmp(out, s, consumed) == 0);
  free(out);
  return 0;
}
