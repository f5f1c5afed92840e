/*
 * Retransmission buffer of one consumer stream: copies of the packets the
 * consumer sent, by output sequence number, to answer NACKs from the
 * receiver (RFC 4585 §6.2.1) with RTX packets (RFC 4588) or, without a
 * negotiated RTX stream, with the original packets again.
 *
 * This is the one copy allowed off the forwarding fast path (STYLE.md rule
 * 16): store the plain RTP packet right after it is built, before SRTP
 * protects it in place.
 *
 * Layout, allocated once by braid_rtx_buffer_new():
 *   - a slot table of max_packets entries (a power of two) indexed by
 *     seq & (max_packets - 1): lookups are O(1) and handle the 16-bit wrap;
 *     a newer packet in the same slot evicts the older one;
 *   - a byte arena of max_bytes written as a ring: packets are appended,
 *     a packet that does not fit before the end starts again at offset 0,
 *     and a packet whose bytes were overwritten is simply no longer found.
 *     Memory is bounded by max_bytes whatever the packet sizes.
 *
 * Resend policy (mediasoup's RtpStreamSend, written from scratch): a
 * packet older than max_age_ms is not resent; a packet resent less than
 * one RTT ago is not resent again (the first NACK's answer may still be on
 * its way); a packet is resent at most max_resends times.
 *
 * Sans-I/O, no allocation after creation, no logging; counters instead.
 */
#ifndef BRAID_MEDIAD_RTC_RTX_BUFFER_H
#define BRAID_MEDIAD_RTC_RTX_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* The largest packet stored (an Ethernet MTU; mediasoup stores none larger). */
#define BRAID_RTX_BUFFER_MAX_PACKET 1500
/* Bounds of the configuration. */
#define BRAID_RTX_BUFFER_MAX_SLOTS 4096
#define BRAID_RTX_BUFFER_MAX_BYTES (8 * 1024 * 1024)

typedef struct braid_rtx_buffer braid_rtx_buffer_t;

typedef struct braid_rtx_buffer_config {
  uint32_t max_packets; /* slots: a power of two, 16..BRAID_RTX_BUFFER_MAX_SLOTS (e.g. 1024) */
  uint32_t max_bytes;   /* arena: BRAID_RTX_BUFFER_MAX_PACKET..BRAID_RTX_BUFFER_MAX_BYTES
                         * (e.g. 512 KiB: ~2 s of 2 Mbit/s video) */
  uint32_t max_age_ms;  /* do not resend older packets (mediasoup: 2000 video, 1000 audio) */
  uint8_t max_resends;  /* resends per packet, >= 1 */
  bool rtx;             /* an RTX stream is negotiated: resend as RTX */
  uint8_t rtx_pt;       /* its payload type (rtx only) */
  uint32_t rtx_ssrc;    /* its SSRC (rtx only) */
  uint16_t rtx_seq;     /* the sequence number of the first RTX packet (random) */
} braid_rtx_buffer_config_t;

/* Counters (RTCP and stats: packetsRetransmitted, packetsRepaired). */
typedef struct braid_rtx_buffer_stats {
  uint64_t stored;        /* packets stored */
  uint64_t resent;        /* packets resent */
  uint64_t repaired;      /* packets resent for the first time */
  uint64_t not_found;     /* NACKed packets not in the buffer (never stored, evicted) */
  uint64_t too_old;       /* NACKed packets older than max_age_ms */
  uint64_t too_soon;      /* NACKed packets resent less than one RTT ago */
  uint64_t over_limit;    /* NACKed packets already resent max_resends times */
} braid_rtx_buffer_stats_t;

/* Creates a buffer (aborts on out of memory, as mediad does). Returns 0 or
 * BRAID_EINVAL (a configuration value out of range). */
int braid_rtx_buffer_new(braid_rtx_buffer_t **out, const braid_rtx_buffer_config_t *cfg);
/* Frees buf (NULL is fine). */
void braid_rtx_buffer_free(braid_rtx_buffer_t *buf);

/*
 * Stores a copy of the sent RTP packet data[0..len) (its sequence number
 * is read from it) at now_ms. Returns 0, or (nothing stored):
 *   BRAID_ETRUNC   len < 12;
 *   BRAID_ETOOBIG  len > BRAID_RTX_BUFFER_MAX_PACKET or > max_bytes;
 *   BRAID_ESTATE   the packet is max_packets or more behind the newest one.
 * Cost: one memcpy of the packet.
 */
int braid_rtx_buffer_store(braid_rtx_buffer_t *buf, const uint8_t *data, size_t len,
                           int64_t now_ms);

/*
 * Answers a NACK for the output sequence number seq: writes into out
 * (capacity cap, keeping tail_room bytes free after the packet for the
 * SRTP trailer) the RTX packet (the stream's RTX SSRC and payload type and
 * its next RTX sequence number, rtp_rtx.h) or, without RTX, a copy of the
 * original. rtt_ms is the current round-trip time (0 = unknown: 100 ms is
 * used).
 *
 * Returns 0 and sets *out_len, or (nothing written, a counter bumped):
 *   BRAID_ENOTFOUND  seq is not in the buffer;
 *   BRAID_ETIMEDOUT  the packet is older than max_age_ms;
 *   BRAID_ESTATE     the packet was resent less than rtt_ms ago;
 *   BRAID_ELIMIT     the packet was already resent max_resends times;
 *   BRAID_ETOOBIG    out cannot hold the packet and tail_room;
 *   a code of braid_rtp_packet_parse() if the stored bytes are not RTP.
 */
int braid_rtx_buffer_resend(braid_rtx_buffer_t *buf, uint16_t seq, int64_t now_ms,
                            uint32_t rtt_ms, uint8_t *out, size_t cap, size_t tail_room,
                            size_t *out_len);

/*
 * The stored packet seq itself, for a caller that rebuilds what it resends
 * (a producer's store shared by its consumers): *data borrows the buffer
 * until the next store. No resend policy or counters apply. Returns 0,
 * BRAID_ENOTFOUND (not stored, or overwritten) or BRAID_ETIMEDOUT (older
 * than max_age_ms).
 */
int braid_rtx_buffer_get(const braid_rtx_buffer_t *buf, uint16_t seq, int64_t now_ms,
                         const uint8_t **data, size_t *len);

/* Forgets every packet (consumer paused, or a stream reset). */
void braid_rtx_buffer_clear(braid_rtx_buffer_t *buf);

/* The counters. */
const braid_rtx_buffer_stats_t *braid_rtx_buffer_stats(const braid_rtx_buffer_t *buf);

#endif
