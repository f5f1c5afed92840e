/*
 * Reception report block (RFC 3550 §6.4.1): SSRC, fraction lost (8 bits),
 * cumulative lost (24 bits, signed), extended highest sequence number,
 * jitter, LSR, DLSR; 24 bytes in all. See report_block.h for the diagram.
 */
#include "mediad/wire/rtcp/report_block.h"

int braid_rtcp_report_block_parse(braid_rtcp_report_block_t *blk, const uint8_t *data, size_t len,
                                  const char **why) {
  if (len < BRAID_RTCP_REPORT_BLOCK_SIZE)
    return braid__rtcp_fail(why, BRAID_ETRUNC, "rtcp report block: truncated");
  blk->ssrc = braid_get32(data);
  blk->fraction_lost = data[4];
  /* Sign-extend the 24-bit two's complement value without shifting a
   * negative number. */
  uint32_t lost = ((uint32_t)data[5] << 16) | ((uint32_t)data[6] << 8) | data[7];
  blk->packets_lost = lost & 0x800000 ? (int32_t)lost - 0x1000000 : (int32_t)lost;
  blk->highest_seq = braid_get32(data + 8);
  blk->jitter = braid_get32(data + 12);
  blk->lsr = braid_get32(data + 16);
  blk->dlsr = braid_get32(data + 20);
  return 0;
}

ssize_t braid_rtcp_report_block_write(const braid_rtcp_report_block_t *blk, uint8_t *buf,
                                      size_t cap) {
  if (cap < BRAID_RTCP_REPORT_BLOCK_SIZE) return BRAID_ELIMIT;
  int32_t lost = blk->packets_lost;
  if (lost > BRAID_RTCP_LOST_MAX) lost = BRAID_RTCP_LOST_MAX;
  if (lost < BRAID_RTCP_LOST_MIN) lost = BRAID_RTCP_LOST_MIN;
  uint32_t raw = (uint32_t)lost & 0xffffff; /* two's complement, low 24 bits */
  braid_put32(buf, blk->ssrc);
  braid_put32(buf + 4, (uint32_t)blk->fraction_lost << 24 | raw);
  braid_put32(buf + 8, blk->highest_seq);
  braid_put32(buf + 12, blk->jitter);
  braid_put32(buf + 16, blk->lsr);
  braid_put32(buf + 20, blk->dlsr);
  return BRAID_RTCP_REPORT_BLOCK_SIZE;
}
