/*
 * Receiver estimated maximum bitrate, REMB (draft-alvestrand-rmcat-remb-03
 * §2.2): application layer feedback (PT=PSFB=206, FMT=15) whose FCI starts
 * with the ASCII identifier "REMB":
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P| FMT=15  |   PT=206      |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  SSRC of packet sender                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  SSRC of media source (0)                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Unique identifier 'R' 'E' 'M' 'B'                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   SSRC feedback (Num SSRC times)                              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The bitrate is BR Mantissa (18 bits) * 2^BR Exp (6 bits) bits per second.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_REMB_H
#define BRAID_MEDIAD_WIRE_RTCP_REMB_H

#include "mediad/wire/rtcp/fb.h"

#define BRAID_RTCP_REMB_MANTISSA_MAX 0x3ffffu
#define BRAID_RTCP_REMB_MAX_SSRCS    255

typedef struct braid_rtcp_remb {
  braid_rtcp_fb_t fb;
  uint8_t exp;          /* BR Exp, 0..63 */
  uint32_t mantissa;    /* BR Mantissa, 0..2^18-1 */
  uint64_t bitrate;     /* mantissa << exp, bits per second */
  uint8_t n_ssrcs;      /* Num SSRC */
  const uint8_t *ssrcs; /* borrowed: n_ssrcs * 4 bytes; read with braid_rtcp_remb_ssrc() */
} braid_rtcp_remb_t;

/* Parses one REMB packet, data[0..len) exactly. Views borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_fb_open() (PT 206, FMT 15)
 *   BRAID_EUNKNOWN    an application layer feedback other than REMB
 *                     (no "REMB" identifier); skip it
 *   BRAID_EMALFORMED  the FCI is not exactly 8 + 4 * Num SSRC bytes, or
 *                     the bitrate does not fit in 64 bits */
int braid_rtcp_remb_parse(braid_rtcp_remb_t *remb, const uint8_t *data, size_t len,
                          const char **why);

/* SSRC i (< n_ssrcs) of a parsed REMB; 0 when i is out of range. */
uint32_t braid_rtcp_remb_ssrc(const braid_rtcp_remb_t *remb, size_t i);

/* Splits a bitrate into the smallest exponent whose mantissa fits 18 bits,
 * rounding the mantissa down: REMB is a maximum, and a value rounded up
 * would allow senders more than the estimate (libwebrtc also truncates).
 * Exact for bitrates below 2^18 and for any value whose dropped low bits
 * are zero. */
void braid_rtcp_remb_encode(uint64_t bitrate, uint8_t *exp, uint32_t *mantissa);

/* Writes a REMB from sender_ssrc (media SSRC 0) for bitrate bits per
 * second (encoded by braid_rtcp_remb_encode()) and ssrcs[0..n), n <= 255.
 * Returns the bytes written (20 + 4 * n), BRAID_EINVAL (n > 255) or
 * BRAID_ELIMIT (cap too small). */
ssize_t braid_rtcp_remb_write(uint8_t *buf, size_t cap, uint32_t sender_ssrc, uint64_t bitrate,
                              const uint32_t *ssrcs, size_t n);

#endif
