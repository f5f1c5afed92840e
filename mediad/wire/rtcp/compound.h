/*
 * Iteration over a compound RTCP packet (RFC 3550 §6.1), as received in one
 * datagram after SRTCP unprotect (no SRTCP index or tag left at the end).
 *
 *   [ packet 1 ][ packet 2 ] ... [ packet n (may carry padding) ]
 *
 * Each packet's common header is validated before the packet is handed out:
 * version 2, the length field (× 4, header included) within the datagram,
 * and a sane padding count. The iterator hands out each packet as a slice of
 * exactly its own length (STYLE.md rule 29), so a sub-parser never sees its
 * neighbours. Packets before a malformed one are still handed out; the
 * malformed one ends the iteration and nothing after its header is read.
 *
 * By default the iterator accepts reduced-size RTCP (RFC 5506: any packet
 * type first, e.g. a lone PLI or transport-wide CC feedback, as Chrome sends
 * with a=rtcp-rsize) and allows the P bit only on the last packet
 * (RFC 3550 §6.4.1 and Appendix A.2). Flags change that:
 *
 *   BRAID_RTCP_COMPOUND_FULL     the first packet must be an SR or an RR
 *                                (RFC 3550 §6.1, not reduced-size)
 *   BRAID_RTCP_COMPOUND_PAD_ANY  accept the P bit on any packet. libwebrtc
 *                                pads each transport-wide CC packet with the
 *                                P bit and may put several of them in one
 *                                datagram; set this flag to accept that.
 *
 * Unknown packet types (192..199, 208..) and APP/XR are handed out like any
 * other: the caller dispatches on hdr.pt and skips what it does not handle.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_COMPOUND_H
#define BRAID_MEDIAD_WIRE_RTCP_COMPOUND_H

#include "mediad/wire/rtcp/header.h"

#define BRAID_RTCP_COMPOUND_FULL    0x1u
#define BRAID_RTCP_COMPOUND_PAD_ANY 0x2u

/* One packet of a compound. */
typedef struct braid_rtcp_packet {
  braid_rtcp_header_t hdr; /* its validated header */
  const uint8_t *data;     /* borrowed from the datagram: the packet, header included */
  size_t len;              /* == hdr.len */
} braid_rtcp_packet_t;

/* Iterator state. Embedded by the caller; no cleanup needed. */
typedef struct braid_rtcp_compound {
  const uint8_t *data; /* borrowed: the datagram, valid while iterating */
  size_t len;
  size_t off;      /* offset of the next packet (of the failing one after an error) */
  unsigned flags;  /* BRAID_RTCP_COMPOUND_* */
  unsigned index;  /* packets handed out so far */
  int err;         /* sticky: 0, or the error that ended the iteration */
  const char *why; /* static reason of err, or NULL */
} braid_rtcp_compound_t;

/* Starts iterating data[0..len). data is borrowed and must outlive the
 * iterator and every packet it hands out. */
void braid_rtcp_compound_init(braid_rtcp_compound_t *c, const uint8_t *data, size_t len,
                              unsigned flags);

/* Hands out the next packet. Returns 1 and fills *pkt, 0 at the end of the
 * datagram (after at least one packet), or a negative code that is also
 * stored in c->err (with c->why) and returned again by every later call:
 *   BRAID_ETRUNC      the datagram is empty, or ends inside a header or
 *                     before the length a header announces (also for 1..3
 *                     bytes left after the last packet)
 *   BRAID_EVERSION    a packet's version is not 2
 *   BRAID_EMALFORMED  bad padding count; the P bit on a packet that is not
 *                     the last one (without BRAID_RTCP_COMPOUND_PAD_ANY)
 *   BRAID_ETYPE       BRAID_RTCP_COMPOUND_FULL and the first packet is not
 *                     an SR or RR
 * On error c->off is the offset of the offending packet. */
int braid_rtcp_compound_next(braid_rtcp_compound_t *c, braid_rtcp_packet_t *pkt);

/* Validates the whole datagram without handing packets out: returns the
 * number of packets (>= 1), or the error braid_rtcp_compound_next() would
 * return, with *why set when why is not NULL. */
int braid_rtcp_compound_validate(const uint8_t *data, size_t len, unsigned flags, const char **why);

#endif
