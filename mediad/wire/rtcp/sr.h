/*
 * RTCP sender report, SR (RFC 3550 §6.4.1):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|    RC   |   PT=SR=200   |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         SSRC of sender                        |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |              NTP timestamp, most significant word             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             NTP timestamp, least significant word             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         RTP timestamp                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     sender's packet count                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      sender's octet count                     |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |                 report block 1 .. RC (24 bytes each)          |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |                  profile-specific extensions                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_SR_H
#define BRAID_MEDIAD_WIRE_RTCP_SR_H

#include "mediad/wire/rtcp/header.h"
#include "mediad/wire/rtcp/report_block.h"

#define BRAID_RTCP_SR_MIN_SIZE 28 /* header, SSRC and sender info */

typedef struct braid_rtcp_sender_info {
  uint64_t ntp;          /* NTP timestamp, 32.32 fixed point seconds since 1900 */
  uint32_t rtp_ts;       /* the same instant in RTP timestamp units */
  uint32_t packet_count; /* packets sent since the start */
  uint32_t octet_count;  /* payload octets sent since the start */
} braid_rtcp_sender_info_t;

typedef struct braid_rtcp_sr {
  uint32_t ssrc;
  braid_rtcp_sender_info_t info;
  uint8_t n_blocks;      /* RC */
  const uint8_t *blocks; /* borrowed: n_blocks * 24 bytes; read with braid_rtcp_sr_block() */
  const uint8_t *ext;    /* borrowed: profile-specific extensions (may be empty) */
  size_t ext_len;
} braid_rtcp_sr_t;

/* Parses one SR packet, data[0..len) exactly (see header.h). Views in *sr
 * borrow from data. Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_header_open() (PT must be 200)
 *   BRAID_EMALFORMED  the body is shorter than the sender info and the RC
 *                     report blocks it announces */
int braid_rtcp_sr_parse(braid_rtcp_sr_t *sr, const uint8_t *data, size_t len, const char **why);

/* Reads report block i (< n_blocks) of a parsed SR. Returns 0 or
 * BRAID_EINVAL (i out of range). */
int braid_rtcp_sr_block(const braid_rtcp_sr_t *sr, size_t i, braid_rtcp_report_block_t *blk);

/* Writes an SR with n (<= 31) report blocks and ext_len (a multiple of 4)
 * bytes of profile-specific extensions (ext may be NULL when ext_len is 0).
 * Returns the bytes written (28 + 24 * n + ext_len), BRAID_EINVAL (n > 31,
 * ext_len not a multiple of 4) or BRAID_ELIMIT (cap too small; nothing
 * useful is written). */
ssize_t braid_rtcp_sr_write(uint8_t *buf, size_t cap, uint32_t ssrc,
                            const braid_rtcp_sender_info_t *info,
                            const braid_rtcp_report_block_t *blocks, size_t n, const uint8_t *ext,
                            size_t ext_len);

#endif
