/*
 * Extended reports, XR (RFC 3611 §2):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|reserved |   PT=XR=207   |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                              SSRC                             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :                         report blocks                         :
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * and each report block (§3):
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |      BT       | type-specific |         block length          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :             type-specific block contents                      :
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * block length is the block's size in 32-bit words minus one (its header
 * included), so the contents are block length * 4 bytes.
 *
 * Braid does not act on XR yet; the parser validates the block structure
 * so that a compound carrying XR (Chrome sends RRTR/DLRR when negotiated)
 * is recognised and skipped, and so that RRTR/DLRR can be read later.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_XR_H
#define BRAID_MEDIAD_WIRE_RTCP_XR_H

#include "mediad/wire/rtcp/header.h"

#define BRAID_RTCP_XR_RRTR 4 /* receiver reference time, RFC 3611 §4.4 */
#define BRAID_RTCP_XR_DLRR 5 /* DLRR, RFC 3611 §4.5 */

typedef struct braid_rtcp_xr {
  uint32_t ssrc;
  size_t n_blocks;
  const uint8_t *blocks; /* borrowed: the validated report blocks */
  size_t blocks_len;
} braid_rtcp_xr_t;

typedef struct braid_rtcp_xr_block {
  uint8_t bt; /* block type */
  uint8_t type_specific;
  const uint8_t *data; /* borrowed: the contents after the 4-byte block header */
  size_t len;          /* block length * 4 */
} braid_rtcp_xr_block_t;

typedef struct braid_rtcp_xr_iter {
  braid_rd_t rd; /* borrowed: the blocks */
} braid_rtcp_xr_iter_t;

/* Parses one XR packet, data[0..len) exactly. Views borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_header_open() (PT must be 207)
 *   BRAID_EMALFORMED  no SSRC, or report blocks that do not exactly fill
 *                     the body */
int braid_rtcp_xr_parse(braid_rtcp_xr_t *xr, const uint8_t *data, size_t len, const char **why);

/* Iterates the report blocks of a parsed XR: init, then next until false. */
void braid_rtcp_xr_iter_init(braid_rtcp_xr_iter_t *it, const braid_rtcp_xr_t *xr);
bool braid_rtcp_xr_iter_next(braid_rtcp_xr_iter_t *it, braid_rtcp_xr_block_t *blk);

#endif
