/*
 * RTCP reception report block (RFC 3550 §6.4.1), carried by SR and RR:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |                 SSRC_1 (SSRC of first source)                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | fraction lost |       cumulative number of packets lost       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           extended highest sequence number received           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      interarrival jitter                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         last SR (LSR)                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   delay since last SR (DLSR)                  |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * The cumulative number of packets lost is a signed 24-bit integer (it goes
 * negative with duplicates, RFC 3550 §6.4.1).
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_REPORT_BLOCK_H
#define BRAID_MEDIAD_WIRE_RTCP_REPORT_BLOCK_H

#include "mediad/wire/rtcp/header.h"

#define BRAID_RTCP_REPORT_BLOCK_SIZE 24
#define BRAID_RTCP_LOST_MAX          0x7fffff /* cumulative lost, 24-bit signed */
#define BRAID_RTCP_LOST_MIN          (-0x800000)

typedef struct braid_rtcp_report_block {
  uint32_t ssrc;         /* source this block reports on */
  uint8_t fraction_lost; /* fixed point, /256 */
  int32_t packets_lost;  /* cumulative, BRAID_RTCP_LOST_MIN..BRAID_RTCP_LOST_MAX */
  uint32_t highest_seq;  /* extended highest sequence number received */
  uint32_t jitter;       /* interarrival jitter, RTP timestamp units */
  uint32_t lsr;          /* middle 32 bits of the last SR's NTP timestamp */
  uint32_t dlsr;         /* delay since that SR, units of 1/65536 s */
} braid_rtcp_report_block_t;

/* Parses the block at data[0..len). Returns 0, or BRAID_ETRUNC with *why set
 * when len < 24. Bytes after the first 24 are not read. */
int braid_rtcp_report_block_parse(braid_rtcp_report_block_t *blk, const uint8_t *data, size_t len,
                                  const char **why);

/* Writes blk (24 bytes). packets_lost outside the 24-bit range is clamped
 * to it, as RFC 3550 Appendix A.3 prescribes. Returns 24 or BRAID_ELIMIT
 * (cap < 24). */
ssize_t braid_rtcp_report_block_write(const braid_rtcp_report_block_t *blk, uint8_t *buf,
                                      size_t cap);

#endif
