/*
 * RTP header extensions (RFC 8285): parse the extension block of a parsed
 * packet into a small table, find elements by id, read the values an SFU
 * needs, update a value in place, and serialise a new block (used by
 * braid_rtp_packet_rewrite()).
 *
 * One-byte form: "defined by profile" = 0xBEDE; each element is a byte
 * ID (1..14) | L (length - 1, so 1..16 value bytes), then the value. A
 * zero byte is padding; ID 15 ends the block (what follows is ignored).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |       0xBE    |    0xDE       |           length=3            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  ID   | L=0   |     data      |  ID   |  L=1  |   data...
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *         ...data   |    0 (pad)    |    0 (pad)    |  ID   | L=3   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                          data                                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Two-byte form: "defined by profile" = 0x100 << 4 | appbits (4 bits);
 * each element is ID (1..255), length (0..255 value bytes), the value; a
 * zero byte is padding.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |       0x10    |    0x00       |           length=3            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |      ID       |     L=0       |     ID        |     L=1       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |       data    |    0 (pad)    |       ID      |      L=4      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                          data                                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Ids are negotiated per producer/consumer (SDP extmap), so every reader
 * takes the id to look for. Nothing here allocates, logs or keeps state.
 */
#ifndef BRAID_MEDIAD_WIRE_RTP_EXT_H
#define BRAID_MEDIAD_WIRE_RTP_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/str.h"
#include "mediad/wire/rtp_packet.h"

#define BRAID_RTP_EXT_PROFILE_ONE_BYTE 0xBEDE
#define BRAID_RTP_EXT_PROFILE_TWO_BYTE 0x1000 /* the top 12 bits; the low 4 are appbits */
/* Elements kept per packet: browsers send fewer than 16 (one per
 * negotiated extension); a block with more is refused (BRAID_ETOOBIG). */
#define BRAID_RTP_EXT_MAX_ELEMS 32
/* sdes:mid, rtp-stream-id and repaired-rtp-stream-id values we accept. */
#define BRAID_RTP_EXT_STR_MAX 16

typedef enum braid_rtp_ext_form {
  BRAID_RTP_EXT_NONE = 0,     /* no extension block (X clear) */
  BRAID_RTP_EXT_ONE_BYTE = 1, /* 0xBEDE */
  BRAID_RTP_EXT_TWO_BYTE = 2, /* 0x100X */
  BRAID_RTP_EXT_OTHER = 3,    /* a profile RFC 8285 does not define: no elements */
} braid_rtp_ext_form_t;

/* One element found in a block: its value is data[off .. off + len). */
typedef struct braid_rtp_ext_elem {
  uint16_t off; /* from the start of the packet */
  uint8_t id;
  uint8_t len;
} braid_rtp_ext_elem_t;

/* The elements of one packet's extension block, in packet order. */
typedef struct braid_rtp_ext {
  const uint8_t *data; /* borrowed: the packet's bytes (braid_rtp_packet_t.data) */
  uint8_t form;        /* braid_rtp_ext_form_t */
  uint8_t appbits;     /* two-byte form only, else 0 */
  uint8_t n;           /* elements in elems */
  braid_rtp_ext_elem_t elems[BRAID_RTP_EXT_MAX_ELEMS];
} braid_rtp_ext_t;

/* An element of a new extension block (braid_rtp_ext_block_write(),
 * braid_rtp_packet_rewrite()). */
typedef struct braid_rtp_ext_entry {
  const uint8_t *val; /* borrowed for the call; may be NULL when len is 0 */
  uint8_t id;         /* 1..255; 1..14 allows the one-byte form */
  uint8_t len;        /* 0..255; 1..16 allows the one-byte form */
} braid_rtp_ext_entry_t;

/* Video orientation (3GPP TS 26.114 §7.4.5, "urn:3gpp:video-orientation"). */
typedef struct braid_rtp_video_orientation {
  bool camera_back;  /* C: 0 front-facing, 1 back-facing */
  bool flip;         /* F: horizontal flip */
  uint16_t rotation; /* R1 R0 as clockwise degrees: 0, 90, 180 or 270 */
} braid_rtp_video_orientation_t;

/*
 * Parses the extension block of pkt (from braid_rtp_packet_parse()) into
 * *ext, which borrows pkt->data. Padding bytes are skipped, a one-byte
 * element with ID 15 ends the block, and a block of another profile gives
 * form BRAID_RTP_EXT_OTHER and no elements. Duplicate ids are kept in
 * packet order (finders return the first). Never writes to the packet.
 *
 * Returns 0, or (ext->n is then 0 and nothing is found in it):
 *   BRAID_ETRUNC   an element's header or value runs past the block;
 *   BRAID_ETOOBIG  more than BRAID_RTP_EXT_MAX_ELEMS elements.
 */
int braid_rtp_ext_parse(braid_rtp_ext_t *ext, const braid_rtp_packet_t *pkt);

/* The value bytes of an element of ext (borrowed from ext->data). */
static inline const uint8_t *braid_rtp_ext_val(const braid_rtp_ext_t *ext,
                                               const braid_rtp_ext_elem_t *e) {
  return ext->data + e->off;
}

/* The first element with this id, or NULL. id 0 is never found. */
const braid_rtp_ext_elem_t *braid_rtp_ext_find(const braid_rtp_ext_t *ext, uint8_t id);

/*
 * Typed readers: each finds the first element with id and decodes it.
 * They return 0 and set the outputs, BRAID_ENOTFOUND (no such element),
 * or BRAID_EMALFORMED (the value has the wrong length or content), with
 * outputs untouched on failure.
 */

/* urn:ietf:params:rtp-hdrext:sdes:mid (RFC 9143): 1..16 bytes of SDP
 * token characters. *mid borrows ext->data. Also BRAID_ETOOBIG when
 * longer than BRAID_RTP_EXT_STR_MAX. */
int braid_rtp_ext_get_mid(const braid_rtp_ext_t *ext, uint8_t id, braid_str_t *mid);
/* urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id and
 * ...:repaired-rtp-stream-id (RFC 8852): 1..16 bytes of [A-Za-z0-9_-]
 * (RFC 8851 rid-id). *rid borrows ext->data. Also BRAID_ETOOBIG. */
int braid_rtp_ext_get_rid(const braid_rtp_ext_t *ext, uint8_t id, braid_str_t *rid);
/* http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time: 3 bytes,
 * seconds in 6.18 fixed point; *v gets the 24-bit value. */
int braid_rtp_ext_get_abs_send_time(const braid_rtp_ext_t *ext, uint8_t id, uint32_t *v);
/* http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01:
 * 2 bytes, the transport-wide sequence number. */
int braid_rtp_ext_get_twcc_seq(const braid_rtp_ext_t *ext, uint8_t id, uint16_t *seq);
/* urn:ietf:params:rtp-hdrext:ssrc-audio-level (RFC 6464): 1 byte, V bit
 * and the level in -dBov (0 loudest .. 127 silence). */
int braid_rtp_ext_get_audio_level(const braid_rtp_ext_t *ext, uint8_t id, bool *voice,
                                  uint8_t *level);
/* urn:3gpp:video-orientation: 1 byte, 0 0 0 0 C F R1 R0. */
int braid_rtp_ext_get_video_orientation(const braid_rtp_ext_t *ext, uint8_t id,
                                        braid_rtp_video_orientation_t *o);
/* urn:ietf:params:rtp-hdrext:toffset (RFC 5450): 3 bytes, a signed
 * 24-bit transmission offset in RTP timestamp units. */
int braid_rtp_ext_get_toffset(const braid_rtp_ext_t *ext, uint8_t id, int32_t *v);

/* abs-send-time value for a time in microseconds (any epoch): seconds in
 * 6.18 fixed point, wrapping every 64 s. */
static inline uint32_t braid_rtp_ext_abs_send_time_from_us(uint64_t us) {
  uint64_t secs = us / 1000000, frac = ((us % 1000000) << 18) / 1000000;
  return (uint32_t)(((secs << 18) | frac) & 0xffffff);
}

/*
 * Updates in place the value of the first element with id in the packet
 * buf of len bytes (our own mutable copy), when the new value has the same
 * length as the old one; the layout does not change. Parses the packet to
 * find it (a few ns for a typical block).
 *
 * Returns 0, an error of braid_rtp_packet_parse() or braid_rtp_ext_parse()
 * (buf is not a valid packet), BRAID_ENOTFOUND (no element with id), or
 * BRAID_EINVAL (val_len differs from the element's length). buf is
 * untouched on failure.
 */
int braid_rtp_ext_update(uint8_t *buf, size_t len, uint8_t id, const uint8_t *val, size_t val_len);
/* The same for a 24-bit abs-send-time value (masked) and a transport-wide
 * sequence number. */
int braid_rtp_ext_update_abs_send_time(uint8_t *buf, size_t len, uint8_t id, uint32_t v);
int braid_rtp_ext_update_twcc_seq(uint8_t *buf, size_t len, uint8_t id, uint16_t seq);

/*
 * Sizes a new extension block for n entries (e may be NULL when n is 0):
 * the one-byte form when every id is 1..14 and every length 1..16, the
 * two-byte form (appbits 0) otherwise; the block is padded with zeros to
 * a multiple of 4 bytes. *size gets the block's bytes including its 4-byte
 * header (0 when n is 0) and *form the form chosen (BRAID_RTP_EXT_NONE
 * when n is 0).
 *
 * Returns 0, BRAID_EINVAL (an id 0, or a NULL value with a non-zero
 * length), or BRAID_ETOOBIG (the block exceeds the 16-bit length field).
 */
int braid_rtp_ext_block_size(const braid_rtp_ext_entry_t *e, size_t n, size_t *size,
                             braid_rtp_ext_form_t *form);

/* Writes the block sized by a successful braid_rtp_ext_block_size() call
 * with the same entries to out, which must have room for size bytes. */
void braid_rtp_ext_block_write(uint8_t *out, const braid_rtp_ext_entry_t *e, size_t n, size_t size,
                               braid_rtp_ext_form_t form);

#endif
