/*
 * RTCP goodbye, BYE (RFC 3550 §6.6):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           SSRC/CSRC                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :                              ...                              :
 *   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *   |     length    |               reason for leaving            ...   (opt)
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The optional reason is followed by null octets up to the next 32-bit
 * boundary.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_BYE_H
#define BRAID_MEDIAD_WIRE_RTCP_BYE_H

#include "common/str.h"
#include "mediad/wire/rtcp/header.h"

#define BRAID_RTCP_BYE_REASON_MAX 255

typedef struct braid_rtcp_bye {
  uint8_t n_ssrcs;      /* SC */
  const uint8_t *ssrcs; /* borrowed: n_ssrcs * 4 bytes; read with braid_rtcp_bye_ssrc() */
  bool has_reason;
  braid_str_t reason; /* borrowed; empty when !has_reason; UTF-8 not checked */
} braid_rtcp_bye_t;

/* Parses one BYE packet, data[0..len) exactly. Views borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_header_open() (PT must be 203)
 *   BRAID_EMALFORMED  fewer SSRCs than SC; a reason running past the
 *                     packet; 4 or more bytes after the reason */
int braid_rtcp_bye_parse(braid_rtcp_bye_t *bye, const uint8_t *data, size_t len, const char **why);

/* SSRC i (< n_ssrcs) of a parsed BYE; 0 when i is out of range. */
uint32_t braid_rtcp_bye_ssrc(const braid_rtcp_bye_t *bye, size_t i);

/* Writes a BYE for n (1..31) SSRCs, with a reason when reason is not NULL.
 * Returns the bytes written, BRAID_EINVAL (n out of range, reason longer
 * than 255 bytes) or BRAID_ELIMIT (cap too small). */
ssize_t braid_rtcp_bye_write(uint8_t *buf, size_t cap, const uint32_t *ssrcs, size_t n,
                             const braid_str_t *reason);

#endif
