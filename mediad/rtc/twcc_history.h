/*
 * The send side of transport-wide congestion control: what a transport
 * sent with each transport-wide sequence number, so the TWCC feedback a
 * receiver sends back (mediad/wire/rtcp/twcc.h) can be turned into
 * per-packet results for the bandwidth estimator (bwe.h): when each packet
 * left, how big it was, and when it arrived or that it was lost.
 *
 * A ring of BRAID_TWCC_HISTORY_SIZE entries indexed by sequence number;
 * an entry is overwritten when the sequence number comes round again
 * (at 1,000 packets/s that is 8 s later, long after its feedback). A
 * status about an entry that is gone, or that was already reported the
 * same way, is skipped: a receiver may report a packet twice (a repeated
 * feedback, or a window moved back for a late packet), and counting it
 * twice would double the acknowledged bitrate or the loss. A packet
 * reported lost and then received is given once more, marked late.
 *
 * Arrival times are the receiver's clock (the feedback's 24-bit reference
 * time plus deltas); only their differences mean anything. The reference
 * time wraps every 12.4 days; it is unwrapped here so results stay
 * monotonic across the wrap.
 *
 * Sans-I/O, embedded, no allocation, no logging. Recording is per packet
 * sent: one store.
 */
#ifndef BRAID_MEDIAD_RTC_TWCC_HISTORY_H
#define BRAID_MEDIAD_RTC_TWCC_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/wire/rtcp/twcc.h"

#define BRAID_TWCC_HISTORY_SIZE 8192 /* a power of two */

/* One packet's fate, for the estimator. */
typedef struct braid_bwe_packet {
  int64_t send_us;    /* our monotonic clock */
  int64_t arrival_us; /* the receiver's clock; -1 when it was lost */
  uint32_t size;      /* bytes on the wire, RTP header included */
  int16_t probe;      /* probe cluster id, -1 for media */
  bool late;          /* received after a feedback had reported it lost: counted
                       * already, its arrival is news only to the delay and the
                       * acknowledged rate */
} braid_bwe_packet_t;

typedef struct braid_twcc_history_entry {
  int64_t send_us;
  uint16_t seq;
  uint16_t size;
  int16_t probe;
  bool valid;     /* something was sent with seq */
  bool reported;  /* a feedback told it arrived */
  bool lost_seen; /* a feedback told it was lost */
} braid_twcc_history_entry_t;

typedef struct braid_twcc_history {
  braid_twcc_history_entry_t ring[BRAID_TWCC_HISTORY_SIZE];
  bool have_ref;
  uint32_t last_ref; /* 24-bit reference time of the last feedback */
  int64_t ref_wraps; /* 2^24 reference ticks added per wrap */
  uint64_t unknown;  /* statuses about packets not in the history */
} braid_twcc_history_t;

void braid_twcc_history_init(braid_twcc_history_t *h);

/* A packet of size bytes left with transport-wide number seq at send_us
 * (probe: its probe cluster, or -1). */
static inline void braid_twcc_history_sent(braid_twcc_history_t *h, uint16_t seq, size_t size,
                                           int64_t send_us, int probe) {
  braid_twcc_history_entry_t *e = &h->ring[seq & (BRAID_TWCC_HISTORY_SIZE - 1)];
  e->send_us = send_us;
  e->seq = seq;
  e->size = size > UINT16_MAX ? UINT16_MAX : (uint16_t)size;
  e->probe = (int16_t)probe;
  e->valid = true;
  e->reported = false;
  e->lost_seen = false;
}

/* Walks one parsed feedback packet and calls on_packet for every status
 * about a packet in the history not reported before, in sequence order.
 * Returns how many results were given. */
size_t braid_twcc_history_resolve(braid_twcc_history_t *h, const braid_rtcp_twcc_t *fb,
                                  void (*on_packet)(const braid_bwe_packet_t *pkt, void *ud),
                                  void *ud);

#endif
