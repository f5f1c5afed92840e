/*
 * RTP packets (RFC 3550 §5.1): a zero-copy parse into a view, in-place
 * setters for the fixed header fields, and a rewrite that builds a new
 * packet (new SSRC, payload type, sequence number, timestamp and a new
 * header extension block) into a caller buffer.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           timestamp                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           synchronization source (SSRC) identifier            |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |            contributing source (CSRC) identifiers             |
 *   |                             ....  (CC x 4 bytes)              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |      defined by profile       |           length              |  X = 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                header extension (length x 4 bytes)            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                            payload                            |
 *   |                               +-------------------------------+
 *   |                               | padding ...   | padding count |  P = 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Nothing here allocates, logs or keeps state; every function is safe to
 * call from any thread on distinct buffers. Header extensions (RFC 8285)
 * are read and written by rtp_ext.h.
 */
#ifndef BRAID_MEDIAD_WIRE_RTP_PACKET_H
#define BRAID_MEDIAD_WIRE_RTP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define BRAID_RTP_VERSION       2
#define BRAID_RTP_FIXED_HDR_LEN 12 /* up to and including the SSRC */
/* The largest packet accepted or produced: a UDP datagram or an RFC 4571
 * frame cannot be longer, and offsets into a packet then fit in 16 bits. */
#define BRAID_RTP_MAX_LEN 65535

/* A parsed RTP packet: a view into the bytes given to the parser. */
typedef struct braid_rtp_packet {
  const uint8_t *data; /* borrowed: the parsed bytes; valid as long as they are */
  size_t len;          /* whole packet, padding included */
  size_t hdr_len;      /* fixed header + CSRCs + extension block = payload offset */
  size_t payload_len;  /* payload bytes, padding excluded */
  size_t ext_off;      /* offset of the extension data (after its 4-byte header); 0 if !has_ext */
  size_t ext_len;      /* extension data bytes (the length field x 4); 0 if !has_ext */
  uint32_t ts;         /* timestamp */
  uint32_t ssrc;
  uint16_t seq;         /* sequence number */
  uint16_t ext_profile; /* "defined by profile" (0xBEDE, 0x100X, ...); 0 if !has_ext */
  uint8_t pt;           /* payload type, 0..127 */
  uint8_t csrc_count;   /* CC, 0..15 */
  uint8_t pad_len;      /* padding bytes including the count byte; 0 when P is clear */
  bool marker;
  bool has_ext; /* X bit */
} braid_rtp_packet_t;

/*
 * Parses an RTP packet of len bytes at data into *pkt, whose pointers
 * borrow data. Checks the version, that the CSRC list and the extension
 * block fit, and the padding: when P is set the last byte counts the
 * padding bytes (itself included); it must be non-zero and at most what
 * follows the header. A packet with no payload (padding only, as used for
 * bandwidth probing) is valid. Never reads past data + len, never writes
 * to data.
 *
 * Returns 0, or (*pkt is then unspecified):
 *   BRAID_ETRUNC     shorter than 12 bytes, or than its CSRCs/extension;
 *   BRAID_EVERSION   version is not 2;
 *   BRAID_EMALFORMED padding count is 0 or more than follows the header;
 *   BRAID_ETOOBIG    len > BRAID_RTP_MAX_LEN.
 */
int braid_rtp_packet_parse(braid_rtp_packet_t *pkt, const uint8_t *data, size_t len);

/* The payload (borrowed from pkt->data); valid even when payload_len is 0. */
static inline const uint8_t *braid_rtp_packet_payload(const braid_rtp_packet_t *pkt) {
  return pkt->data + pkt->hdr_len;
}

/* The i-th CSRC; i must be < pkt->csrc_count (checked by the caller). */
static inline uint32_t braid_rtp_packet_csrc(const braid_rtp_packet_t *pkt, unsigned i) {
  const uint8_t *p = pkt->data + BRAID_RTP_FIXED_HDR_LEN + 4 * i;
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/*
 * In-place setters on a mutable packet buf of len bytes (our own copy, such
 * as a buffer made by braid_rtp_packet_rewrite(); never the view of a
 * packet still being read elsewhere). Only the named field changes; the
 * marker bit is kept by _set_pt and the payload type by _set_marker. They
 * return 0, or BRAID_ETRUNC when len < 12 (buf is then untouched).
 */
static inline int braid_rtp_packet_set_ssrc(uint8_t *buf, size_t len, uint32_t ssrc) {
  if (len < BRAID_RTP_FIXED_HDR_LEN) return BRAID_ETRUNC;
  buf[8] = (uint8_t)(ssrc >> 24);
  buf[9] = (uint8_t)(ssrc >> 16);
  buf[10] = (uint8_t)(ssrc >> 8);
  buf[11] = (uint8_t)ssrc;
  return 0;
}

static inline int braid_rtp_packet_set_ts(uint8_t *buf, size_t len, uint32_t ts) {
  if (len < BRAID_RTP_FIXED_HDR_LEN) return BRAID_ETRUNC;
  buf[4] = (uint8_t)(ts >> 24);
  buf[5] = (uint8_t)(ts >> 16);
  buf[6] = (uint8_t)(ts >> 8);
  buf[7] = (uint8_t)ts;
  return 0;
}

static inline int braid_rtp_packet_set_seq(uint8_t *buf, size_t len, uint16_t seq) {
  if (len < BRAID_RTP_FIXED_HDR_LEN) return BRAID_ETRUNC;
  buf[2] = (uint8_t)(seq >> 8);
  buf[3] = (uint8_t)seq;
  return 0;
}

/* pt is masked to 7 bits. */
static inline int braid_rtp_packet_set_pt(uint8_t *buf, size_t len, uint8_t pt) {
  if (len < BRAID_RTP_FIXED_HDR_LEN) return BRAID_ETRUNC;
  buf[1] = (uint8_t)((buf[1] & 0x80) | (pt & 0x7f));
  return 0;
}

static inline int braid_rtp_packet_set_marker(uint8_t *buf, size_t len, bool marker) {
  if (len < BRAID_RTP_FIXED_HDR_LEN) return BRAID_ETRUNC;
  buf[1] = (uint8_t)((buf[1] & 0x7f) | (marker ? 0x80 : 0));
  return 0;
}

/* An element of a new extension block: defined in rtp_ext.h. */
struct braid_rtp_ext_entry;

/* What braid_rtp_packet_rewrite() changes; everything else is copied. */
typedef struct braid_rtp_rewrite {
  uint32_t ssrc;
  uint32_t ts;
  uint16_t seq;
  uint8_t pt; /* masked to 7 bits */
  /* The new extension block replaces the source's; n_ext 0 writes none
   * (X clear). Borrowed for the call. The form is chosen by
   * braid_rtp_ext_block_size(). */
  const struct braid_rtp_ext_entry *ext;
  size_t n_ext;
} braid_rtp_rewrite_t;

/*
 * Builds into out (capacity cap) the packet src with the fields of rw: the
 * marker bit, CSRCs, payload and padding (P bit, padding bytes and count)
 * are copied from src; SSRC, PT, sequence number and timestamp come from
 * rw, and rw's extension block replaces src's. Requires that
 * *out_len + tail_room <= cap, so that tail_room bytes stay free after the
 * packet (for the SRTP auth tag and MKI, which libsrtp writes in place).
 * out must not overlap src->data. src must come from
 * braid_rtp_packet_parse().
 *
 * Returns 0 and sets *out_len, or (out is then unspecified, *out_len
 * untouched):
 *   BRAID_ETOOBIG  the packet plus tail_room does not fit in cap, or the
 *                  packet would exceed BRAID_RTP_MAX_LEN;
 *   BRAID_EINVAL   an extension entry is invalid (see
 *                  braid_rtp_ext_block_size()).
 * Cost: one pass over the entries and one memcpy of the payload.
 */
int braid_rtp_packet_rewrite(uint8_t *out, size_t cap, size_t tail_room,
                             const braid_rtp_packet_t *src, const braid_rtp_rewrite_t *rw,
                             size_t *out_len);

#endif
