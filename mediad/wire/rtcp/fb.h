/*
 * Common packet format of RTCP feedback messages (RFC 4585 §6.1), shared by
 * NACK, PLI, FIR, REMB and transport-wide CC:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|   FMT   |       PT      |          length               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  SSRC of packet sender                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  SSRC of media source                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :            Feedback Control Information (FCI)                 :
 *
 * PT is RTPFB (205) or PSFB (206).
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_FB_H
#define BRAID_MEDIAD_WIRE_RTCP_FB_H

#include "mediad/wire/rtcp/header.h"

#define BRAID_RTCP_FB_HEADER_SIZE 12 /* common header and the two SSRCs */

typedef struct braid_rtcp_fb {
  uint32_t sender_ssrc; /* SSRC of packet sender */
  uint32_t media_ssrc;  /* SSRC of media source */
} braid_rtcp_fb_t;

/* Opens a feedback packet, data[0..len) exactly, of type pt and FMT fmt:
 * fills *fb and leaves *fci reading the FCI (without padding). Returns 0,
 * or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_header_open()
 *   BRAID_EMALFORMED  the body is shorter than the two SSRCs */
int braid_rtcp_fb_open(braid_rtcp_fb_t *fb, braid_rd_t *fci, const uint8_t *data, size_t len,
                       uint8_t pt, uint8_t fmt, const char **why);

/* Writes the 12-byte start of a feedback packet of len bytes in all (a
 * multiple of 4, >= 12). Returns 12, BRAID_EINVAL or BRAID_ELIMIT. */
ssize_t braid_rtcp_fb_write(uint8_t *buf, size_t cap, uint8_t pt, uint8_t fmt, size_t len,
                            const braid_rtcp_fb_t *fb);

#endif
