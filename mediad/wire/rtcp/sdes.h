/*
 * RTCP source description, SDES (RFC 3550 §6.5):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |                          SSRC/CSRC_1                          |  chunk 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           SDES items                          |
 *   |                              ...                              |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |                          SSRC/CSRC_2                          |  chunk 2
 *   ...
 *
 * An item is a type octet, a length octet and that many octets of UTF-8
 * text (not NUL-terminated):
 *
 *   |    CNAME=1    |     length    | user and domain name        ...
 *
 * The item list of each chunk ends with one or more null octets: the first
 * is the END item (type 0, no length), the others pad the chunk to the next
 * 32-bit boundary. A chunk without items is its SSRC and four null octets.
 *
 * Parsing validates every chunk and item up front; the iterators then walk
 * the validated bytes and cannot fail.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_SDES_H
#define BRAID_MEDIAD_WIRE_RTCP_SDES_H

#include "common/str.h"
#include "mediad/wire/rtcp/header.h"

/* Item types (RFC 3550 §12.2). */
#define BRAID_RTCP_SDES_END   0
#define BRAID_RTCP_SDES_CNAME 1
#define BRAID_RTCP_SDES_NAME  2
#define BRAID_RTCP_SDES_EMAIL 3
#define BRAID_RTCP_SDES_PHONE 4
#define BRAID_RTCP_SDES_LOC   5
#define BRAID_RTCP_SDES_TOOL  6
#define BRAID_RTCP_SDES_NOTE  7
#define BRAID_RTCP_SDES_PRIV  8

#define BRAID_RTCP_SDES_TEXT_MAX 255

typedef struct braid_rtcp_sdes {
  uint8_t n_chunks;      /* SC */
  const uint8_t *chunks; /* borrowed: the validated chunks */
  size_t chunks_len;
} braid_rtcp_sdes_t;

typedef struct braid_rtcp_sdes_chunk {
  uint32_t ssrc;
  const uint8_t *items; /* borrowed: the items, without the END octet and padding */
  size_t items_len;
} braid_rtcp_sdes_chunk_t;

typedef struct braid_rtcp_sdes_item {
  uint8_t type;     /* 1..255; unknown types are handed out too */
  braid_str_t text; /* borrowed, 0..255 bytes, UTF-8 not checked */
} braid_rtcp_sdes_item_t;

/* Walks the chunks of a parsed SDES, or the items of one chunk. */
typedef struct braid_rtcp_sdes_iter {
  braid_rd_t rd; /* borrowed bytes of the SDES or chunk */
} braid_rtcp_sdes_iter_t;

/* Parses one SDES packet, data[0..len) exactly. Views borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_header_open() (PT must be 202)
 *   BRAID_EMALFORMED  fewer chunks than SC, bytes after the SC-th chunk, an
 *                     item running past the packet, a chunk without END, a
 *                     non-zero padding octet after END */
int braid_rtcp_sdes_parse(braid_rtcp_sdes_t *sdes, const uint8_t *data, size_t len,
                          const char **why);

/* Iterates the chunks of a parsed SDES: init, then next until it returns
 * false. */
void braid_rtcp_sdes_chunks(braid_rtcp_sdes_iter_t *it, const braid_rtcp_sdes_t *sdes);
bool braid_rtcp_sdes_next_chunk(braid_rtcp_sdes_iter_t *it, braid_rtcp_sdes_chunk_t *chunk);

/* Iterates the items of a chunk handed out by braid_rtcp_sdes_next_chunk(). */
void braid_rtcp_sdes_items(braid_rtcp_sdes_iter_t *it, const braid_rtcp_sdes_chunk_t *chunk);
bool braid_rtcp_sdes_next_item(braid_rtcp_sdes_iter_t *it, braid_rtcp_sdes_item_t *item);

/* Finds the first item of the given type in the chunk of ssrc. Returns 0
 * with *text set (borrowed from the packet), or BRAID_ENOTFOUND. */
int braid_rtcp_sdes_find(const braid_rtcp_sdes_t *sdes, uint32_t ssrc, uint8_t type,
                         braid_str_t *text);

/* Writes an SDES packet of n (<= 31) chunks. Each chunk's items must be a
 * well-formed item list without END (as a parsed chunk holds); END and the
 * padding are added. Returns the bytes written, BRAID_EINVAL (n > 31, or
 * malformed items) or BRAID_ELIMIT (cap too small). */
ssize_t braid_rtcp_sdes_write(uint8_t *buf, size_t cap, const braid_rtcp_sdes_chunk_t *chunks,
                              size_t n);

/* Writes an SDES packet with one chunk holding one CNAME item: what our
 * daemon sends in each compound (RFC 3550 §6.1). Returns the bytes written
 * (a multiple of 4), BRAID_EINVAL (cname longer than 255 bytes, or NULL
 * with a non-zero length) or BRAID_ELIMIT. */
ssize_t braid_rtcp_sdes_write_cname(uint8_t *buf, size_t cap, uint32_t ssrc, braid_str_t cname);

#endif
