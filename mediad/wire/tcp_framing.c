/*
 * RFC 4571 framing (diagram in tcp_framing.h): a stateless decoder and
 * encoder, and a reader that reassembles frames from a TCP byte stream in
 * a caller buffer.
 */
#include "mediad/wire/tcp_framing.h"

#include <string.h>

#include "common/log.h"

ssize_t braid_tcp_framing_decode(const uint8_t *buf, size_t len, size_t max_frame,
                                 const uint8_t **frame, size_t *frame_len) {
  if (len < BRAID_TCP_FRAMING_HDR_LEN) return BRAID_EAGAIN_MORE;
  size_t n = (size_t)((buf[0] << 8) | buf[1]);
  /* Decide about the length before waiting for the body: a broken stream
   * is closed at once instead of being allowed to fill the buffer. */
  if (n == 0) return BRAID_EMALFORMED;
  if (n > max_frame) return BRAID_ETOOBIG;
  if (len - BRAID_TCP_FRAMING_HDR_LEN < n) return BRAID_EAGAIN_MORE;
  *frame = buf + BRAID_TCP_FRAMING_HDR_LEN;
  *frame_len = n;
  return (ssize_t)(BRAID_TCP_FRAMING_HDR_LEN + n);
}

int braid_tcp_framing_encode_header(uint8_t hdr[BRAID_TCP_FRAMING_HDR_LEN], size_t frame_len) {
  if (frame_len == 0) return BRAID_EINVAL;
  if (frame_len > BRAID_TCP_FRAMING_MAX) return BRAID_ETOOBIG;
  hdr[0] = (uint8_t)(frame_len >> 8);
  hdr[1] = (uint8_t)frame_len;
  return 0;
}

ssize_t braid_tcp_framing_encode(uint8_t *out, size_t cap, const uint8_t *frame, size_t frame_len) {
  uint8_t hdr[BRAID_TCP_FRAMING_HDR_LEN];
  int rc = braid_tcp_framing_encode_header(hdr, frame_len);
  if (rc != 0) return rc;
  if (cap < BRAID_TCP_FRAMING_HDR_LEN || cap - BRAID_TCP_FRAMING_HDR_LEN < frame_len)
    return BRAID_ETOOBIG;
  memcpy(out, hdr, sizeof hdr);
  memcpy(out + BRAID_TCP_FRAMING_HDR_LEN, frame, frame_len);
  return (ssize_t)(BRAID_TCP_FRAMING_HDR_LEN + frame_len);
}

int braid_tcp_framing_reader_init(braid_tcp_framing_reader_t *r, uint8_t *buf, size_t cap,
                                  size_t max_frame) {
  if (max_frame == 0 || max_frame > BRAID_TCP_FRAMING_MAX ||
      cap < BRAID_TCP_FRAMING_HDR_LEN + max_frame)
    return BRAID_EINVAL;
  r->buf = buf;
  r->cap = cap;
  r->start = 0;
  r->end = 0;
  r->max_frame = max_frame;
  r->err = 0;
  return 0;
}

size_t braid_tcp_framing_reader_space(braid_tcp_framing_reader_t *r, uint8_t **p) {
  if (r->err != 0) {
    *p = r->buf + r->end;
    return 0;
  }
  /* Move the unread tail to the front only when the free room after it
   * could be too small for the rest of a frame: most reads then append
   * without copying. Since an incomplete frame is at most 2 + max_frame
   * bytes and cap is at least that, the room after compaction is >= 1
   * whenever no complete frame is waiting. */
  if (r->start > 0 && r->cap - r->end < BRAID_TCP_FRAMING_HDR_LEN + r->max_frame) {
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->start = 0;
  }
  *p = r->buf + r->end;
  return r->cap - r->end;
}

void braid_tcp_framing_reader_commit(braid_tcp_framing_reader_t *r, size_t n) {
  BRAID_ASSERT(n <= r->cap - r->end);
  r->end += n;
}

size_t braid_tcp_framing_reader_feed(braid_tcp_framing_reader_t *r, const uint8_t *data,
                                     size_t len) {
  uint8_t *p;
  size_t room = braid_tcp_framing_reader_space(r, &p);
  size_t n = len < room ? len : room;
  if (n > 0) memcpy(p, data, n);
  braid_tcp_framing_reader_commit(r, n);
  return n;
}

int braid_tcp_framing_reader_next(braid_tcp_framing_reader_t *r, const uint8_t **frame,
                                  size_t *frame_len) {
  if (r->err != 0) return r->err;
  ssize_t n = braid_tcp_framing_decode(r->buf + r->start, r->end - r->start, r->max_frame, frame,
                                       frame_len);
  if (n == BRAID_EAGAIN_MORE) return BRAID_EAGAIN_MORE;
  if (n < 0) {
    r->err = (int)n;
    return r->err;
  }
  r->start += (size_t)n;
  if (r->start == r->end) r->start = r->end = 0; /* empty: restart at the front, no copy */
  return 0;
}
