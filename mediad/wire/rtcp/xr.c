/*
 * Extended reports (RFC 3611 §2, §3):
 *
 *   |V=2|P|reserved |   PT=XR=207   |             length            |
 *   |                              SSRC                             |
 *   |      BT       | type-specific |         block length          |  (0 or more
 *   :             type-specific block contents                      :   blocks)
 */
#include "mediad/wire/rtcp/xr.h"

/* Reads one block; 0 or BRAID_EMALFORMED. */
static int read_block(braid_rd_t *rd, braid_rtcp_xr_block_t *blk) {
  uint16_t words;
  if (braid_rd_u8(rd, &blk->bt) != 0 || braid_rd_u8(rd, &blk->type_specific) != 0 ||
      braid_rd_u16(rd, &words) != 0)
    return BRAID_EMALFORMED;
  blk->len = (size_t)words * 4;
  if (braid_rd_bytes(rd, blk->len, &blk->data) != 0) return BRAID_EMALFORMED;
  return 0;
}

int braid_rtcp_xr_parse(braid_rtcp_xr_t *xr, const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_header_t hdr;
  braid_rd_t body;
  braid_rtcp_xr_block_t blk;
  int rc = braid_rtcp_header_open(&hdr, &body, data, len, BRAID_RTCP_PT_XR, -1, why);
  if (rc != 0) return rc;
  if (braid_rd_u32(&body, &xr->ssrc) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp xr: no SSRC");
  xr->blocks = body.p;
  xr->blocks_len = braid_rd_left(&body);
  xr->n_blocks = 0;
  while (braid_rd_left(&body) > 0) {
    if (read_block(&body, &blk) != 0)
      return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp xr: block runs past the packet");
    xr->n_blocks++;
  }
  return 0;
}

void braid_rtcp_xr_iter_init(braid_rtcp_xr_iter_t *it, const braid_rtcp_xr_t *xr) {
  braid_rd_init(&it->rd, xr->blocks, xr->blocks_len);
}

bool braid_rtcp_xr_iter_next(braid_rtcp_xr_iter_t *it, braid_rtcp_xr_block_t *blk) {
  return braid_rd_left(&it->rd) > 0 && read_block(&it->rd, blk) == 0;
}
