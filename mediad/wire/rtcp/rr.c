/*
 * Receiver report (RFC 3550 §6.4.2):
 *
 *   |V=2|P|    RC   |   PT=RR=201   |             length            |
 *   |                     SSRC of packet sender                     |
 *   |                 RC report blocks of 24 bytes                  |
 *   |                  profile-specific extensions                  |
 */
#include "mediad/wire/rtcp/rr.h"

#include <string.h>

int braid_rtcp_rr_parse(braid_rtcp_rr_t *rr, const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_header_t hdr;
  braid_rd_t body;
  int rc = braid_rtcp_header_open(&hdr, &body, data, len, BRAID_RTCP_PT_RR, -1, why);
  if (rc != 0) return rc;
  size_t need = 4 + (size_t)hdr.count * BRAID_RTCP_REPORT_BLOCK_SIZE;
  if (braid_rd_left(&body) < need)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp rr: shorter than its report blocks");
  (void)braid_rd_u32(&body, &rr->ssrc);
  rr->n_blocks = hdr.count;
  (void)braid_rd_bytes(&body, (size_t)hdr.count * BRAID_RTCP_REPORT_BLOCK_SIZE, &rr->blocks);
  rr->ext_len = braid_rd_left(&body);
  rr->ext = body.p;
  return 0;
}

int braid_rtcp_rr_block(const braid_rtcp_rr_t *rr, size_t i, braid_rtcp_report_block_t *blk) {
  if (i >= rr->n_blocks) return BRAID_EINVAL;
  return braid_rtcp_report_block_parse(blk, rr->blocks + i * BRAID_RTCP_REPORT_BLOCK_SIZE,
                                       BRAID_RTCP_REPORT_BLOCK_SIZE, NULL);
}

ssize_t braid_rtcp_rr_write(uint8_t *buf, size_t cap, uint32_t ssrc,
                            const braid_rtcp_report_block_t *blocks, size_t n, const uint8_t *ext,
                            size_t ext_len) {
  if (n > BRAID_RTCP_MAX_COUNT || ext_len % 4 != 0 || ext_len > BRAID_RTCP_MAX_PACKET)
    return BRAID_EINVAL;
  size_t len = BRAID_RTCP_RR_MIN_SIZE + n * BRAID_RTCP_REPORT_BLOCK_SIZE + ext_len;
  if (len > BRAID_RTCP_MAX_PACKET) return BRAID_EINVAL;
  if (cap < len) return BRAID_ELIMIT;
  (void)braid_rtcp_header_write(buf, cap, (uint8_t)n, BRAID_RTCP_PT_RR, len);
  braid_put32(buf + 4, ssrc);
  size_t off = BRAID_RTCP_RR_MIN_SIZE;
  for (size_t i = 0; i < n; i++) {
    (void)braid_rtcp_report_block_write(&blocks[i], buf + off, cap - off);
    off += BRAID_RTCP_REPORT_BLOCK_SIZE;
  }
  if (ext_len > 0) memcpy(buf + off, ext, ext_len);
  return (ssize_t)len;
}
