/*
 * Picture loss indication, PLI (RFC 4585 §6.3.1): payload-specific feedback
 * (PT=PSFB=206, FMT=1) with no FCI, so the length field is 2:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|  FMT=1  |   PT=206      |          length=2             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  SSRC of packet sender                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  SSRC of media source                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_PLI_H
#define BRAID_MEDIAD_WIRE_RTCP_PLI_H

#include "mediad/wire/rtcp/fb.h"

#define BRAID_RTCP_PLI_SIZE 12

/* Parses one PLI packet, data[0..len) exactly, into *fb (the SSRCs).
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_fb_open() (PT 206, FMT 1)
 *   BRAID_EMALFORMED  an FCI is present ("the length field MUST be 2") */
int braid_rtcp_pli_parse(braid_rtcp_fb_t *fb, const uint8_t *data, size_t len, const char **why);

/* Writes a PLI. Returns 12 or BRAID_ELIMIT (cap < 12). */
ssize_t braid_rtcp_pli_write(uint8_t *buf, size_t cap, const braid_rtcp_fb_t *fb);

#endif
