/*
 * RTCP receiver report, RR (RFC 3550 §6.4.2):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|    RC   |   PT=RR=201   |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     SSRC of packet sender                     |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |                 report block 1 .. RC (24 bytes each)          |
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |                  profile-specific extensions                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * An RR with RC = 0 (8 bytes) is valid: it opens a compound packet of a
 * participant that neither sends nor receives yet.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_RR_H
#define BRAID_MEDIAD_WIRE_RTCP_RR_H

#include "mediad/wire/rtcp/header.h"
#include "mediad/wire/rtcp/report_block.h"

#define BRAID_RTCP_RR_MIN_SIZE 8 /* header and SSRC */

typedef struct braid_rtcp_rr {
  uint32_t ssrc;         /* SSRC of the packet sender */
  uint8_t n_blocks;      /* RC */
  const uint8_t *blocks; /* borrowed: n_blocks * 24 bytes; read with braid_rtcp_rr_block() */
  const uint8_t *ext;    /* borrowed: profile-specific extensions (may be empty) */
  size_t ext_len;
} braid_rtcp_rr_t;

/* Parses one RR packet, data[0..len) exactly. Views in *rr borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_header_open() (PT must be 201)
 *   BRAID_EMALFORMED  the body is shorter than the SSRC and the RC report
 *                     blocks it announces */
int braid_rtcp_rr_parse(braid_rtcp_rr_t *rr, const uint8_t *data, size_t len, const char **why);

/* Reads report block i (< n_blocks) of a parsed RR. Returns 0 or
 * BRAID_EINVAL (i out of range). */
int braid_rtcp_rr_block(const braid_rtcp_rr_t *rr, size_t i, braid_rtcp_report_block_t *blk);

/* Writes an RR with n (<= 31) report blocks and ext_len (a multiple of 4)
 * bytes of extensions. Returns the bytes written (8 + 24 * n + ext_len),
 * BRAID_EINVAL or BRAID_ELIMIT (cap too small). */
ssize_t braid_rtcp_rr_write(uint8_t *buf, size_t cap, uint32_t ssrc,
                            const braid_rtcp_report_block_t *blocks, size_t n, const uint8_t *ext,
                            size_t ext_len);

#endif
