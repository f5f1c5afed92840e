/*
 * RTP retransmission payload format (RFC 4588 §4): an RTX packet carries
 * the original sequence number (OSN) in its first two payload bytes,
 * followed by the original payload. Its header is the original's with the
 * RTX stream's SSRC, payload type and sequence number; the timestamp,
 * marker bit, CSRCs and header extensions are the original's.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         RTP Header                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            OSN                |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 *   |                  Original RTP Packet Payload                  |
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Padding is never carried over: it belongs to the packet it was sent in
 * (browsers send padding-only RTX packets to probe bandwidth), so both
 * directions write the P bit clear. Nothing here allocates or logs.
 */
#ifndef BRAID_MEDIAD_WIRE_RTP_RTX_H
#define BRAID_MEDIAD_WIRE_RTP_RTX_H

#include <stddef.h>
#include <stdint.h>

#include "mediad/wire/rtp_packet.h"

/* Reads the OSN of an RTX packet. Returns 0, or BRAID_ETRUNC when the
 * payload has fewer than 2 bytes (such as a padding-only probe). */
int braid_rtp_rtx_osn(const braid_rtp_packet_t *rtx, uint16_t *osn);

/*
 * Unwraps the RTX packet rtx into its original form in out (capacity cap):
 * SSRC and payload type become ssrc and pt (the original stream's), the
 * sequence number becomes the OSN, the OSN is removed from the payload and
 * the padding dropped; the rest of the header is copied. out may be
 * rtx->data itself (in place, when the buffer is ours to modify; rtx is
 * stale afterwards) or must not overlap it. Requires
 * *out_len + tail_room <= cap (room for the SRTP trailer).
 *
 * Returns 0 and sets *out_len, or (out untouched):
 *   BRAID_ETRUNC   the payload has fewer than 2 bytes (no OSN);
 *   BRAID_ETOOBIG  the result plus tail_room does not fit in cap.
 */
int braid_rtp_rtx_unwrap(uint8_t *out, size_t cap, size_t tail_room, const braid_rtp_packet_t *rtx,
                         uint32_t ssrc, uint8_t pt, size_t *out_len);

/*
 * Wraps the original packet orig into an RTX packet in out (capacity cap):
 * SSRC, payload type and sequence number become the RTX stream's (rtx_ssrc,
 * rtx_pt, rtx_seq), the payload is the original sequence number followed
 * by the original payload, and the padding is dropped; the rest of the
 * header is copied. out may be orig->data itself (in place: the buffer
 * then needs 2 more bytes of capacity; orig is stale afterwards) or must
 * not overlap it. Requires *out_len + tail_room <= cap.
 *
 * Returns 0 and sets *out_len, or (out untouched):
 *   BRAID_ETOOBIG  the result plus tail_room does not fit in cap, or
 *                  would exceed BRAID_RTP_MAX_LEN.
 */
int braid_rtp_rtx_wrap(uint8_t *out, size_t cap, size_t tail_room, const braid_rtp_packet_t *orig,
                       uint32_t rtx_ssrc, uint8_t rtx_pt, uint16_t rtx_seq, size_t *out_len);

#endif
