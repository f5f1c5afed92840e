/*
 * Source description (RFC 3550 §6.5):
 *
 *   |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *   |                          SSRC/CSRC_1                          |
 *   | type (1..255) |     length    | text ...                      |
 *   | ...more items | END (0)       | 0 ... to a 32-bit boundary    |
 *   |                          SSRC/CSRC_2                          |
 *   ...
 *
 * Chunks start on 32-bit boundaries; since the header is 4 bytes, the
 * alignment of a position is its offset in the body modulo 4.
 */
#include "mediad/wire/rtcp/sdes.h"

#include <string.h>

/* Reads one chunk from rd, whose start is 32-bit aligned. */
static int read_chunk(braid_rd_t *rd, braid_rtcp_sdes_chunk_t *chunk, const char **why) {
  const uint8_t *start = rd->p;
  if (braid_rd_u32(rd, &chunk->ssrc) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp sdes: fewer chunks than SC");
  chunk->items = rd->p;
  for (;;) {
    uint8_t type, len;
    if (braid_rd_u8(rd, &type) != 0)
      return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp sdes: chunk without END");
    if (type == BRAID_RTCP_SDES_END) break;
    if (braid_rd_u8(rd, &len) != 0 || braid_rd_skip(rd, len) != 0)
      return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp sdes: item runs past the packet");
  }
  chunk->items_len = (size_t)(rd->p - chunk->items) - 1; /* without END */
  size_t used = (size_t)(rd->p - start);
  size_t pad = braid__rtcp_align4(used) - used;
  const uint8_t *p;
  if (braid_rd_bytes(rd, pad, &p) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp sdes: chunk not padded to 32 bits");
  for (size_t i = 0; i < pad; i++)
    if (p[i] != 0) return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp sdes: non-null padding");
  return 0;
}

int braid_rtcp_sdes_parse(braid_rtcp_sdes_t *sdes, const uint8_t *data, size_t len,
                          const char **why) {
  braid_rtcp_header_t hdr;
  braid_rd_t body;
  braid_rtcp_sdes_chunk_t chunk;
  int rc = braid_rtcp_header_open(&hdr, &body, data, len, BRAID_RTCP_PT_SDES, -1, why);
  if (rc != 0) return rc;
  sdes->n_chunks = hdr.count;
  sdes->chunks = body.p;
  for (unsigned i = 0; i < hdr.count; i++) {
    rc = read_chunk(&body, &chunk, why);
    if (rc != 0) return rc;
  }
  if (braid_rd_left(&body) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp sdes: bytes after the last chunk");
  sdes->chunks_len = (size_t)(body.p - sdes->chunks);
  return 0;
}

void braid_rtcp_sdes_chunks(braid_rtcp_sdes_iter_t *it, const braid_rtcp_sdes_t *sdes) {
  braid_rd_init(&it->rd, sdes->chunks, sdes->chunks_len);
}

bool braid_rtcp_sdes_next_chunk(braid_rtcp_sdes_iter_t *it, braid_rtcp_sdes_chunk_t *chunk) {
  /* The bytes were validated by braid_rtcp_sdes_parse(); read_chunk() still
   * checks every length, so a misuse cannot read out of bounds. */
  return braid_rd_left(&it->rd) > 0 && read_chunk(&it->rd, chunk, NULL) == 0;
}

void braid_rtcp_sdes_items(braid_rtcp_sdes_iter_t *it, const braid_rtcp_sdes_chunk_t *chunk) {
  braid_rd_init(&it->rd, chunk->items, chunk->items_len);
}

bool braid_rtcp_sdes_next_item(braid_rtcp_sdes_iter_t *it, braid_rtcp_sdes_item_t *item) {
  uint8_t len;
  const uint8_t *text;
  braid_rd_t r = it->rd;
  if (braid_rd_u8(&r, &item->type) != 0 || item->type == BRAID_RTCP_SDES_END) return false;
  if (braid_rd_u8(&r, &len) != 0 || braid_rd_bytes(&r, len, &text) != 0) return false;
  item->text = (braid_str_t){(const char *)text, len};
  it->rd = r;
  return true;
}

int braid_rtcp_sdes_find(const braid_rtcp_sdes_t *sdes, uint32_t ssrc, uint8_t type,
                         braid_str_t *text) {
  braid_rtcp_sdes_iter_t chunks, items;
  braid_rtcp_sdes_chunk_t chunk;
  braid_rtcp_sdes_item_t item;
  braid_rtcp_sdes_chunks(&chunks, sdes);
  while (braid_rtcp_sdes_next_chunk(&chunks, &chunk)) {
    if (chunk.ssrc != ssrc) continue;
    braid_rtcp_sdes_items(&items, &chunk);
    while (braid_rtcp_sdes_next_item(&items, &item)) {
      if (item.type == type) {
        *text = item.text;
        return 0;
      }
    }
  }
  return BRAID_ENOTFOUND;
}

/* True when items[0..len) is a list of complete items of non-zero type. */
static bool items_valid(const uint8_t *items, size_t len) {
  braid_rd_t r;
  braid_rd_init(&r, items, len);
  while (braid_rd_left(&r) > 0) {
    uint8_t type, n;
    if (braid_rd_u8(&r, &type) != 0 || type == BRAID_RTCP_SDES_END) return false;
    if (braid_rd_u8(&r, &n) != 0 || braid_rd_skip(&r, n) != 0) return false;
  }
  return true;
}

/* Bytes of a chunk with len bytes of items: SSRC, items, END, padding. */
static size_t chunk_size(size_t items_len) { return braid__rtcp_align4(4 + items_len + 1); }

ssize_t braid_rtcp_sdes_write(uint8_t *buf, size_t cap, const braid_rtcp_sdes_chunk_t *chunks,
                              size_t n) {
  if (n > BRAID_RTCP_MAX_COUNT) return BRAID_EINVAL;
  size_t len = BRAID_RTCP_HEADER_SIZE;
  for (size_t i = 0; i < n; i++) {
    if (chunks[i].items_len > BRAID_RTCP_MAX_PACKET ||
        (chunks[i].items_len > 0 && !items_valid(chunks[i].items, chunks[i].items_len)))
      return BRAID_EINVAL;
    len += chunk_size(chunks[i].items_len);
    if (len > BRAID_RTCP_MAX_PACKET) return BRAID_EINVAL;
  }
  if (cap < len) return BRAID_ELIMIT;
  (void)braid_rtcp_header_write(buf, cap, (uint8_t)n, BRAID_RTCP_PT_SDES, len);
  size_t off = BRAID_RTCP_HEADER_SIZE;
  for (size_t i = 0; i < n; i++) {
    size_t size = chunk_size(chunks[i].items_len);
    memset(buf + off, 0, size); /* END and padding */
    braid_put32(buf + off, chunks[i].ssrc);
    if (chunks[i].items_len > 0) memcpy(buf + off + 4, chunks[i].items, chunks[i].items_len);
    off += size;
  }
  return (ssize_t)len;
}

ssize_t braid_rtcp_sdes_write_cname(uint8_t *buf, size_t cap, uint32_t ssrc, braid_str_t cname) {
  if (cname.len > BRAID_RTCP_SDES_TEXT_MAX || (cname.p == NULL && cname.len > 0))
    return BRAID_EINVAL;
  size_t len = BRAID_RTCP_HEADER_SIZE + chunk_size(2 + cname.len);
  if (cap < len) return BRAID_ELIMIT;
  (void)braid_rtcp_header_write(buf, cap, 1, BRAID_RTCP_PT_SDES, len);
  memset(buf + BRAID_RTCP_HEADER_SIZE, 0, len - BRAID_RTCP_HEADER_SIZE);
  braid_put32(buf + 4, ssrc);
  buf[8] = BRAID_RTCP_SDES_CNAME;
  buf[9] = (uint8_t)cname.len;
  if (cname.len > 0) memcpy(buf + 10, cname.p, cname.len);
  return (ssize_t)len;
}
