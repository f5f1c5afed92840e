/*
 * Sender report (RFC 3550 §6.4.1):
 *
 *   |V=2|P|    RC   |   PT=SR=200   |             length            |
 *   |                         SSRC of sender                        |
 *   |              NTP timestamp, most significant word             |
 *   |             NTP timestamp, least significant word             |
 *   |                         RTP timestamp                         |
 *   |                     sender's packet count                     |
 *   |                      sender's octet count                     |
 *   |                 RC report blocks of 24 bytes                  |
 *   |                  profile-specific extensions                  |
 */
#include "mediad/wire/rtcp/sr.h"

#include <string.h>

int braid_rtcp_sr_parse(braid_rtcp_sr_t *sr, const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_header_t hdr;
  braid_rd_t body;
  uint32_t msw = 0, lsw = 0;
  int rc = braid_rtcp_header_open(&hdr, &body, data, len, BRAID_RTCP_PT_SR, -1, why);
  if (rc != 0) return rc;
  size_t need = 24 + (size_t)hdr.count * BRAID_RTCP_REPORT_BLOCK_SIZE;
  if (braid_rd_left(&body) < need)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp sr: shorter than its report blocks");
  /* The length check above covers every read below. */
  (void)braid_rd_u32(&body, &sr->ssrc);
  (void)braid_rd_u32(&body, &msw);
  (void)braid_rd_u32(&body, &lsw);
  (void)braid_rd_u32(&body, &sr->info.rtp_ts);
  (void)braid_rd_u32(&body, &sr->info.packet_count);
  (void)braid_rd_u32(&body, &sr->info.octet_count);
  sr->info.ntp = (uint64_t)msw << 32 | lsw;
  sr->n_blocks = hdr.count;
  (void)braid_rd_bytes(&body, (size_t)hdr.count * BRAID_RTCP_REPORT_BLOCK_SIZE, &sr->blocks);
  sr->ext_len = braid_rd_left(&body);
  sr->ext = body.p;
  return 0;
}

int braid_rtcp_sr_block(const braid_rtcp_sr_t *sr, size_t i, braid_rtcp_report_block_t *blk) {
  if (i >= sr->n_blocks) return BRAID_EINVAL;
  return braid_rtcp_report_block_parse(blk, sr->blocks + i * BRAID_RTCP_REPORT_BLOCK_SIZE,
                                       BRAID_RTCP_REPORT_BLOCK_SIZE, NULL);
}

ssize_t braid_rtcp_sr_write(uint8_t *buf, size_t cap, uint32_t ssrc,
                            const braid_rtcp_sender_info_t *info,
                            const braid_rtcp_report_block_t *blocks, size_t n, const uint8_t *ext,
                            size_t ext_len) {
  if (n > BRAID_RTCP_MAX_COUNT || ext_len % 4 != 0 || ext_len > BRAID_RTCP_MAX_PACKET)
    return BRAID_EINVAL;
  size_t len = BRAID_RTCP_SR_MIN_SIZE + n * BRAID_RTCP_REPORT_BLOCK_SIZE + ext_len;
  if (len > BRAID_RTCP_MAX_PACKET) return BRAID_EINVAL;
  if (cap < len) return BRAID_ELIMIT;
  (void)braid_rtcp_header_write(buf, cap, (uint8_t)n, BRAID_RTCP_PT_SR, len);
  braid_put32(buf + 4, ssrc);
  braid_put32(buf + 8, (uint32_t)(info->ntp >> 32));
  braid_put32(buf + 12, (uint32_t)info->ntp);
  braid_put32(buf + 16, info->rtp_ts);
  braid_put32(buf + 20, info->packet_count);
  braid_put32(buf + 24, info->octet_count);
  size_t off = BRAID_RTCP_SR_MIN_SIZE;
  for (size_t i = 0; i < n; i++) {
    (void)braid_rtcp_report_block_write(&blocks[i], buf + off, cap - off);
    off += BRAID_RTCP_REPORT_BLOCK_SIZE;
  }
  if (ext_len > 0) memcpy(buf + off, ext, ext_len);
  return (ssize_t)len;
}
