/*
 * Full intra request, FIR (RFC 5104 §4.3.1): payload-specific feedback
 * (PT=PSFB=206, FMT=4) whose FCI is one or more entries of
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                              SSRC                             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | Seq nr.       |    Reserved                                   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The "SSRC of media source" of the common header is unused and set to 0
 * (§4.3.1.2); each entry names the media sender it asks for a key frame.
 * Seq nr. increases by one per new request to the same sender, so a
 * repeated packet is recognised; Reserved is written 0 and ignored.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_FIR_H
#define BRAID_MEDIAD_WIRE_RTCP_FIR_H

#include "mediad/wire/rtcp/fb.h"

#define BRAID_RTCP_FIR_ENTRY_SIZE 8

typedef struct braid_rtcp_fir {
  braid_rtcp_fb_t fb;
  size_t n_entries;       /* >= 1 */
  const uint8_t *entries; /* borrowed: n_entries * 8 bytes; read with braid_rtcp_fir_entry() */
} braid_rtcp_fir_t;

typedef struct braid_rtcp_fir_entry {
  uint32_t ssrc; /* the media sender asked for a decoder refresh */
  uint8_t seq;   /* command sequence number */
} braid_rtcp_fir_entry_t;

/* Parses one FIR packet, data[0..len) exactly. Views borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_fb_open() (PT 206, FMT 4)
 *   BRAID_EMALFORMED  no entry, or an FCI that is not a multiple of 8 */
int braid_rtcp_fir_parse(braid_rtcp_fir_t *fir, const uint8_t *data, size_t len, const char **why);

/* Reads entry i (< n_entries). Returns 0 or BRAID_EINVAL (out of range). */
int braid_rtcp_fir_entry(const braid_rtcp_fir_t *fir, size_t i, braid_rtcp_fir_entry_t *entry);

/* Writes a FIR from sender_ssrc (media SSRC 0) with entries[0..n), n >= 1.
 * Returns the bytes written (12 + 8 * n), BRAID_EINVAL (n == 0, or a packet
 * over BRAID_RTCP_MAX_PACKET) or BRAID_ELIMIT (cap too small). */
ssize_t braid_rtcp_fir_write(uint8_t *buf, size_t cap, uint32_t sender_ssrc,
                             const braid_rtcp_fir_entry_t *entries, size_t n);

#endif
