/*
 * Builds the compound RTCP packets our daemon sends (RFC 3550 §6.1), into
 * a caller buffer of fixed capacity:
 *
 *   [ SR or RR ][ more RR ... ][ SDES CNAME ][ feedback ... ]
 *
 * - the report comes first: an SR when we send media on that SSRC, else an
 *   RR (an RR without blocks is valid). Report blocks beyond 31 go into
 *   additional RR packets with the same SSRC (RFC 3550 §6.4.2);
 * - then the SDES with our CNAME;
 * - then any feedback (NACK, PLI, FIR, REMB, TWCC), written in place by the
 *   per-type writers through braid_rtcp_builder_tail()/_commit().
 * A reduced-size compound (RFC 5506) is feedback alone: commit feedback
 * without adding a report.
 *
 * Every call either adds whole packets or leaves the built bytes as they
 * were, so a caller that runs out of room can send what is built and start
 * a new compound. The builder never allocates.
 *
 *   uint8_t pkt[1200];
 *   braid_rtcp_builder_t b;
 *   size_t room;
 *   braid_rtcp_builder_init(&b, pkt, sizeof pkt);
 *   braid_rtcp_builder_report(&b, ssrc, &info, blocks, n);
 *   braid_rtcp_builder_cname(&b, ssrc, cname);
 *   uint8_t *p = braid_rtcp_builder_tail(&b, &room);
 *   braid_rtcp_builder_commit(&b, braid_rtcp_pli_write(p, room, &fb));
 *   send(pkt, braid_rtcp_builder_len(&b));
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_BUILDER_H
#define BRAID_MEDIAD_WIRE_RTCP_BUILDER_H

#include "common/str.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sr.h"

typedef struct braid_rtcp_builder {
  uint8_t *buf; /* borrowed: the caller's buffer */
  size_t cap;
  size_t len;     /* bytes built so far */
  unsigned stage; /* internal: what was added last */
} braid_rtcp_builder_t;

/* Starts an empty compound in buf[0..cap). */
void braid_rtcp_builder_init(braid_rtcp_builder_t *b, uint8_t *buf, size_t cap);

/* Adds the report: an SR from ssrc with *info when info is not NULL, else
 * an RR, carrying blocks[0..n) (any number: 31 per packet, the rest in RR
 * packets that follow). Returns 0, BRAID_ESTATE (not the first thing
 * added), BRAID_EINVAL (blocks NULL with n > 0) or BRAID_ELIMIT (does not
 * fit; nothing added). */
int braid_rtcp_builder_report(braid_rtcp_builder_t *b, uint32_t ssrc,
                              const braid_rtcp_sender_info_t *info,
                              const braid_rtcp_report_block_t *blocks, size_t n);

/* Adds an SDES with the CNAME of ssrc. Returns 0, BRAID_ESTATE (not right
 * after the report), BRAID_EINVAL (cname over 255 bytes) or BRAID_ELIMIT. */
int braid_rtcp_builder_cname(braid_rtcp_builder_t *b, uint32_t ssrc, braid_str_t cname);

/* The free space after the built packets, for a per-type writer: returns
 * where to write and sets *room to the bytes available. */
uint8_t *braid_rtcp_builder_tail(braid_rtcp_builder_t *b, size_t *room);

/* Adds the packet a writer just put at the tail: written is the writer's
 * return value. A negative value is returned as it is (nothing added);
 * otherwise returns 0, or BRAID_EINVAL when written is not a whole packet
 * size (0, not a multiple of 4, or more than the room). */
int braid_rtcp_builder_commit(braid_rtcp_builder_t *b, ssize_t written);

/* Bytes built so far: the datagram to protect and send. */
static inline size_t braid_rtcp_builder_len(const braid_rtcp_builder_t *b) { return b->len; }

#endif
