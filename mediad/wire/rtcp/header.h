/*
 * The RTCP common header (RFC 3550 §6.4.1), shared by every RTCP packet type:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P| RC/FMT  |      PT       |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * length is the packet size in 32-bit words minus one, header included.
 * When P is set, the last byte of the packet counts the padding bytes at the
 * end of the packet, itself included (RFC 3550 §6.4.1).
 *
 * The 5-bit count field is the report count (SR, RR), the source count
 * (SDES, BYE), the subtype (APP) or the feedback message type FMT (RTPFB,
 * PSFB, RFC 4585 §6.1). XR ignores it.
 *
 * Every RTCP parser of this directory takes exactly one packet: a slice that
 * starts at the header and is exactly as long as the header says (what
 * braid_rtcp_compound_next() hands out). Parsers never allocate, never log,
 * never modify their input, and are reentrant. Serialisers write into a
 * caller buffer of a given capacity and never write past it.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_HEADER_H
#define BRAID_MEDIAD_WIRE_RTCP_HEADER_H

#include "common/bytes.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"
#include "common/rd.h"

/* Packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2). */
#define BRAID_RTCP_PT_SR    200
#define BRAID_RTCP_PT_RR    201
#define BRAID_RTCP_PT_SDES  202
#define BRAID_RTCP_PT_BYE   203
#define BRAID_RTCP_PT_APP   204
#define BRAID_RTCP_PT_RTPFB 205 /* transport layer feedback */
#define BRAID_RTCP_PT_PSFB  206 /* payload-specific feedback */
#define BRAID_RTCP_PT_XR    207

/* Feedback message types (the FMT field). */
#define BRAID_RTCP_RTPFB_NACK 1  /* generic NACK, RFC 4585 §6.2.1 */
#define BRAID_RTCP_RTPFB_TWCC 15 /* transport-wide CC, draft-holmer-...-01 §3.1 */
#define BRAID_RTCP_PSFB_PLI   1  /* picture loss indication, RFC 4585 §6.3.1 */
#define BRAID_RTCP_PSFB_FIR   4  /* full intra request, RFC 5104 §4.3.1 */
#define BRAID_RTCP_PSFB_AFB   15 /* application layer feedback (REMB), RFC 4585 §6.4 */

#define BRAID_RTCP_VERSION     2
#define BRAID_RTCP_HEADER_SIZE 4
/* The largest packet the 16-bit length field can describe. */
#define BRAID_RTCP_MAX_PACKET ((size_t)65536 * 4)
/* The 5-bit count field. */
#define BRAID_RTCP_MAX_COUNT 31

typedef struct braid_rtcp_header {
  bool padding;   /* P bit */
  uint8_t count;  /* RC, SC, subtype or FMT (0..31) */
  uint8_t pt;     /* packet type */
  size_t len;     /* whole packet in bytes, header included: (length + 1) * 4 */
  size_t pad_len; /* padding bytes at the end, count byte included; 0 when P is clear */
} braid_rtcp_header_t;

/* Parses the header of the packet at data[0..len), where len may be larger
 * than the packet (the rest of a compound datagram). Checks that the version
 * is 2, that the packet as announced fits in len, and, when P is set, that
 * the padding count is at least 1 and no larger than the bytes after the
 * header. Returns 0, or with *why (if why is not NULL) set to a static
 * reason:
 *   BRAID_ETRUNC      len < 4, or len is shorter than the announced length
 *   BRAID_EVERSION    version is not 2
 *   BRAID_EMALFORMED  padding count 0 or larger than the packet body
 * Reads only data[0..min(len, packet length)). */
int braid_rtcp_header_parse(braid_rtcp_header_t *hdr, const uint8_t *data, size_t len,
                            const char **why);

/* What a sub-parser does first: parses the header of the one packet in
 * data[0..len) and checks that it is exactly len bytes long and of type pt
 * (and, when fmt >= 0, that the count field equals fmt). On success *body
 * reads the packet body: the bytes after the header, without the padding.
 * Returns 0 or, with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_EMALFORMED  as braid_rtcp_header_parse()
 *   BRAID_EMALFORMED  len is larger than the announced length (trailing bytes)
 *   BRAID_ETYPE       another packet type or FMT */
int braid_rtcp_header_open(braid_rtcp_header_t *hdr, braid_rd_t *body, const uint8_t *data,
                           size_t len, uint8_t pt, int fmt, const char **why);

/* Writes a header for a packet of len bytes (a multiple of 4, 4 to
 * BRAID_RTCP_MAX_PACKET) with P clear. Returns 4, BRAID_EINVAL (count > 31
 * or a bad len) or BRAID_ELIMIT (cap < 4). */
ssize_t braid_rtcp_header_write(uint8_t *buf, size_t cap, uint8_t count, uint8_t pt, size_t len);

/* Big-endian loads and stores: common/bytes.h. */
/* Rounds n up to a multiple of 4. */
static inline size_t braid__rtcp_align4(size_t n) { return (n + 3) & ~(size_t)3; }

/* Sets *why (when why is not NULL) and returns rc: the one way the RTCP
 * parsers report a failure. Internal to mediad/wire/rtcp/. */
static inline int braid__rtcp_fail(const char **why, int rc, const char *reason) {
  if (why != NULL) *why = reason;
  return rc;
}

#endif
