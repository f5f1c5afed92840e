/*
 * Transport-wide congestion control feedback, TWCC
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): transport
 * layer feedback (PT=RTPFB=205, FMT=15):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|  FMT=15 |    PT=205     |           length              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     SSRC of packet sender                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      SSRC of media source                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |      base sequence number     |      packet status count      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 reference time                | fb pkt. count |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          packet chunk         |         packet chunk          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   .                                                               .
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         packet chunk          |  recv delta   |  recv delta   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   .                                                               .
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           recv delta          |  recv delta   | zero padding  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Packet chunks give one status symbol per sequence number from base:
 *   run length     |0| S |       run length (13 bits)      |
 *   status vector  |1|0|  14 one-bit symbols: 0 not received, 1 received
 *                  |1|1|  7 two-bit symbols:  00 not received,
 *                         01 small delta, 10 large or negative delta,
 *                         11 reserved (malformed)
 * Each received packet has a receive delta in 250 µs units: 1 byte,
 * unsigned, for a small delta; 2 bytes, signed, for a large one. The first
 * delta is relative to the reference time (24 bits, 64 ms units), each
 * next one to the previous packet.
 *
 * The reference time is read as an unsigned 24-bit value, as libwebrtc
 * does; it wraps every 2^24 * 64 ms (about 12.4 days).
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_TWCC_H
#define BRAID_MEDIAD_WIRE_RTCP_TWCC_H

#include "mediad/wire/rtcp/fb.h"

#define BRAID_RTCP_TWCC_HEADER_SIZE 20    /* through fb pkt. count */
#define BRAID_RTCP_TWCC_DELTA_US    250   /* one receive delta tick */
#define BRAID_RTCP_TWCC_REF_US      64000 /* one reference time tick */
#define BRAID_RTCP_TWCC_MAX_RUN     0x1fff
#define BRAID_RTCP_TWCC_MAX_STATUS  0xffff

typedef struct braid_rtcp_twcc {
  braid_rtcp_fb_t fb;
  uint16_t base_seq;     /* transport-wide sequence number of the first status */
  uint16_t status_count; /* statuses reported, >= 1 */
  uint32_t ref_time;     /* 24 bits, units of 64 ms */
  uint8_t fb_count;      /* feedback packet count */
  uint16_t n_received;   /* statuses with a receive delta */
  const uint8_t *chunks; /* borrowed: n_chunks * 2 bytes */
  size_t n_chunks;
  const uint8_t *deltas; /* borrowed: the receive deltas */
  size_t deltas_len;
} braid_rtcp_twcc_t;

/* One status, as the iterator hands it out. */
typedef struct braid_rtcp_twcc_status {
  uint16_t seq;
  bool received;
  int32_t delta_us;   /* received only: the receive delta */
  int64_t arrival_us; /* received only: ref_time * 64000 + the deltas so far */
} braid_rtcp_twcc_status_t;

typedef struct braid_rtcp_twcc_iter {
  const braid_rtcp_twcc_t *fb; /* borrowed */
  braid_rd_t chunks, deltas;   /* borrowed from the packet */
  uint16_t chunk;              /* the chunk being read */
  unsigned pos, left;          /* next symbol in it, symbols left in it */
  uint32_t done;               /* statuses handed out */
  int64_t arrival_us;
} braid_rtcp_twcc_iter_t;

/* Parses one TWCC packet, data[0..len) exactly, validating every chunk,
 * symbol and delta (so iteration cannot fail). Views borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_fb_open() (PT 205, FMT 15)
 *   BRAID_EMALFORMED  no room for the fixed fields; status count 0; the
 *                     chunks end before status count statuses; a reserved
 *                     symbol (11) among the counted statuses; receive
 *                     deltas running past the packet; 4 or more bytes
 *                     after the deltas
 * Symbols of the last chunk beyond status count are ignored, as are
 * run-length chunks with a run of 0. */
int braid_rtcp_twcc_parse(braid_rtcp_twcc_t *twcc, const uint8_t *data, size_t len,
                          const char **why);

/* Iterates the status_count statuses of a parsed packet, in sequence
 * order, without allocating: init, then next until it returns false. */
void braid_rtcp_twcc_iter_init(braid_rtcp_twcc_iter_t *it, const braid_rtcp_twcc_t *twcc);
bool braid_rtcp_twcc_iter_next(braid_rtcp_twcc_iter_t *it, braid_rtcp_twcc_status_t *st);

/* A received packet, for the builder. */
typedef struct braid_rtcp_twcc_arrival {
  uint16_t seq;       /* transport-wide sequence number */
  int64_t arrival_us; /* arrival time, any epoch, |value| <= 2^53 */
} braid_rtcp_twcc_arrival_t;

typedef struct braid_rtcp_twcc_build {
  braid_rtcp_fb_t fb;
  uint16_t base_seq; /* first status: pkts[0].seq, or earlier to report leading losses */
  uint8_t fb_count;
  const braid_rtcp_twcc_arrival_t *pkts; /* borrowed: received packets, see below */
  size_t n;
} braid_rtcp_twcc_build_t;

/* Writes one TWCC packet reporting the received packets in->pkts[0..n)
 * and every sequence number between them as not received. The packets are
 * ordered by their offset from base_seq, (seq - base_seq) modulo 2^16,
 * strictly increasing (so no duplicates, and the list may wrap past 65535),
 * and the first offset is at most 65534. The reference time is the first
 * arrival rounded down to 64 ms; each delta is rounded to the nearest
 * 250 µs from the previous rounded time, so rounding errors never
 * accumulate (at most 125 µs per packet).
 *
 * The packet may cover only a prefix of the list: the longest one whose
 * deltas fit 16 bits, whose status count fits 16 bits (offsets up to
 * 65534), and whose packet fits cap. *used gets the number of packets
 * covered (>= 1); the caller reports the rest in another packet, with
 * base_seq = pkts[*used].seq.
 *
 * Returns the bytes written (a multiple of 4, zero-padded, P clear; at
 * most 40 bytes for a single packet), BRAID_EINVAL (n == 0, offsets not
 * increasing, the first offset 65535, an arrival out of range) or
 * BRAID_ELIMIT (not even the first packet fits cap). Never allocates. */
ssize_t braid_rtcp_twcc_write(uint8_t *buf, size_t cap, const braid_rtcp_twcc_build_t *in,
                              size_t *used);

#endif
