/*
 * RFC 4571 framing, as ICE-TCP (RFC 6544) uses it for STUN, DTLS, RTP and
 * RTCP: every packet on the TCP stream is preceded by its length.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             LENGTH            |  STUN, DTLS, RTP or RTCP ...   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * LENGTH is big-endian and counts the packet that follows, not itself.
 * Decoding tells "the stream has not delivered the whole frame yet"
 * (BRAID_EAGAIN_MORE: wait for more bytes) from "this stream is broken"
 * (a zero length, or one above the caller's maximum: close the
 * connection), STYLE.md rule 10.
 *
 * Nothing here allocates, logs or calls I/O.
 */
#ifndef BRAID_MEDIAD_WIRE_TCP_FRAMING_H
#define BRAID_MEDIAD_WIRE_TCP_FRAMING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"

#define BRAID_TCP_FRAMING_HDR_LEN 2
/* The largest frame the 16-bit length can announce. */
#define BRAID_TCP_FRAMING_MAX 65535

/*
 * Decodes the first frame of the len stream bytes at buf. On success
 * *frame points into buf (borrowed) and *frame_len is its length.
 *
 * Returns the bytes the frame takes in the stream (2 + *frame_len), or:
 *   BRAID_EAGAIN_MORE  fewer than 2 bytes, or fewer than the frame needs:
 *                      call again with more bytes (not an error);
 *   BRAID_EMALFORMED   the length is 0 (the stream is broken);
 *   BRAID_ETOOBIG      the length is above max_frame (the stream is
 *                      broken, or the peer sends what we refuse to hold).
 * The two errors are reported as soon as the 2 length bytes are there.
 */
ssize_t braid_tcp_framing_decode(const uint8_t *buf, size_t len, size_t max_frame,
                                 const uint8_t **frame, size_t *frame_len);

/* Writes the 2-byte length of a frame_len-byte frame. Returns 0,
 * BRAID_EINVAL (frame_len 0) or BRAID_ETOOBIG (above 65535). */
int braid_tcp_framing_encode_header(uint8_t hdr[BRAID_TCP_FRAMING_HDR_LEN], size_t frame_len);

/* Writes the length and a copy of the frame into out (capacity cap; must
 * not overlap frame). Returns the bytes written (2 + frame_len), or
 * BRAID_EINVAL / BRAID_ETOOBIG as above, or BRAID_ETOOBIG when cap is too
 * small. */
ssize_t braid_tcp_framing_encode(uint8_t *out, size_t cap, const uint8_t *frame, size_t frame_len);

/*
 * A reader of one TCP stream: a caller buffer that received bytes are
 * appended to, and frames taken from. The buffer holds at least one frame
 * of the largest allowed size, so a frame never has to be refused for lack
 * of room. Typical use from a libuv TCP handle:
 *
 *   alloc_cb:  n = braid_tcp_framing_reader_space(&r, &p); hand out (p, n)
 *   read_cb:   braid_tcp_framing_reader_commit(&r, nread);
 *              while ((rc = braid_tcp_framing_reader_next(&r, &f, &flen)) == 0)
 *                handle(f, flen);
 *              if (rc != BRAID_EAGAIN_MORE) close the connection;
 */
typedef struct braid_tcp_framing_reader {
  uint8_t *buf; /* borrowed: the caller's storage, cap bytes */
  size_t cap;
  size_t start;     /* first byte not yet taken by _next() */
  size_t end;       /* one past the last byte received */
  size_t max_frame; /* frames above this are BRAID_ETOOBIG */
  int err;          /* 0, or the error that broke the stream (sticky) */
} braid_tcp_framing_reader_t;

/* Returns 0, or BRAID_EINVAL when max_frame is 0 or above 65535, or cap <
 * 2 + max_frame. */
int braid_tcp_framing_reader_init(braid_tcp_framing_reader_t *r, uint8_t *buf, size_t cap,
                                  size_t max_frame);

/*
 * Where the next received bytes go: sets *p and returns how many fit. May
 * move the unread bytes to the front of the buffer, which invalidates the
 * frames _next() returned. After _next() returned BRAID_EAGAIN_MORE the
 * result is at least 1; it is 0 when complete frames are still waiting to
 * be taken, or after the stream broke.
 */
size_t braid_tcp_framing_reader_space(braid_tcp_framing_reader_t *r, uint8_t **p);
/* Counts n bytes written at the place _space() gave (n <= its result). */
void braid_tcp_framing_reader_commit(braid_tcp_framing_reader_t *r, size_t n);
/* Copies up to len bytes in (as _space() + _commit()); returns how many it
 * took, which is less than len only when frames are waiting or the stream
 * broke. */
size_t braid_tcp_framing_reader_feed(braid_tcp_framing_reader_t *r, const uint8_t *data,
                                     size_t len);

/*
 * Takes the next complete frame: *frame (borrowed from the buffer, valid
 * until the next _space() or _feed()) and *frame_len. Returns 0,
 * BRAID_EAGAIN_MORE (no complete frame yet), or BRAID_EMALFORMED /
 * BRAID_ETOOBIG as braid_tcp_framing_decode(); those errors are sticky:
 * the stream cannot be resynchronised, close the connection.
 */
int braid_tcp_framing_reader_next(braid_tcp_framing_reader_t *r, const uint8_t **frame,
                                  size_t *frame_len);

#endif
