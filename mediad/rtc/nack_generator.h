/*
 * NACK generation for one producer stream (receive side; mediasoup's
 * NackGenerator, written from scratch).
 *
 * Every packet's sequence number is fed in. A jump past the newest seen
 * adds the skipped numbers to a bounded list of missing packets; a packet
 * found in that list later (reordered, or repaired through RTX) leaves it
 * and is reported as recovered. braid_nack_generator_batch() returns the
 * sequence numbers whose NACK is due, for one RTCP generic NACK:
 *
 *   - the first NACK of a missing packet is due delay_ms after the gap was
 *     seen (0: at once, as mediasoup does; a few ms absorb reordering);
 *   - it is repeated every RTT until the packet arrives, at most
 *     max_retries times in all. The RTT is the one given to
 *     braid_nack_generator_set_rtt() (from RTCP) when there is one; else
 *     the generator measures it: a packet repaired through RTX after a
 *     single NACK (Karn's rule: never after a repeat, whose answer could
 *     be to an earlier NACK) took one round trip plus the sender's
 *     reaction, and the retry interval is the smoothed time plus four
 *     times its mean deviation (as TCP's RTO, RFC 6298), within
 *     BRAID_NACK_GENERATOR_MIN_RETRY_MS..BRAID_NACK_GENERATOR_MAX_RETRY_MS;
 *     before the first measure, BRAID_NACK_GENERATOR_DEFAULT_RTT_MS (as
 *     mediasoup). On a short path a lost NACK or RTX is then asked again
 *     after tens of ms, not after 100;
 *   - a missing packet more than max_age sequence numbers behind the
 *     newest is given up.
 *
 * When the list would exceed max_list, the oldest entries up to the most
 * recent key frame that clears enough room are dropped (a key frame makes
 * them useless); if that is not enough the list is cleared and
 * BRAID_NACK_GENERATOR_KEYFRAME asks the owner to request a key frame.
 *
 * Sequence numbers are unwrapped into 64-bit positions, so the 16-bit
 * wrap is handled; reordering is told from loss by the position relative
 * to the newest packet (within +-32767).
 *
 * Sans-I/O: the owner runs a timer at braid_nack_generator_next_timeout().
 * The list is allocated once by braid_nack_generator_new(); no logging.
 */
#ifndef BRAID_MEDIAD_RTC_NACK_GENERATOR_H
#define BRAID_MEDIAD_RTC_NACK_GENERATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* The largest max_list accepted (mediasoup keeps 1000). */
#define BRAID_NACK_GENERATOR_MAX_LIST 4096
/* Key frames remembered for trimming the list. */
#define BRAID_NACK_GENERATOR_KEYFRAMES 16
/* RTT assumed until one is given or measured (mediasoup: 100 ms). */
#define BRAID_NACK_GENERATOR_DEFAULT_RTT_MS 100
/* Bounds of the measured retry interval. */
#define BRAID_NACK_GENERATOR_MIN_RETRY_MS 20
#define BRAID_NACK_GENERATOR_MAX_RETRY_MS 1000

/* Events returned by braid_nack_generator_receive() (a bit set). */
#define BRAID_NACK_GENERATOR_RECOVERED 0x1 /* the packet was in the missing list */
#define BRAID_NACK_GENERATOR_KEYFRAME  0x2 /* the list overflowed: request a key frame */
#define BRAID_NACK_GENERATOR_DUE       0x4 /* NACKs are due now: call _batch() */

typedef struct braid_nack_generator braid_nack_generator_t;

typedef struct braid_nack_generator_config {
  uint32_t max_list;   /* missing packets kept, 1..BRAID_NACK_GENERATOR_MAX_LIST (mediasoup 1000) */
  uint32_t max_age;    /* give up packets this many seq numbers behind the newest (10000) */
  uint8_t max_retries; /* NACKs per packet, >= 1 (mediasoup 10) */
  uint32_t delay_ms;   /* before the first NACK of a packet (0 = at once) */
} braid_nack_generator_config_t;

typedef struct braid_nack_generator_stats {
  uint64_t nacked;      /* sequence numbers put in NACK batches (with repeats) */
  uint64_t recovered;   /* missing packets that arrived */
  uint64_t given_up;    /* missing packets dropped: too old, too many retries, trimmed */
  uint64_t keyframes;   /* overflows that asked for a key frame */
  uint64_t rtt_samples; /* repairs after a single NACK that measured the RTT */
} braid_nack_generator_stats_t;

/* Creates a generator (aborts on out of memory, as mediad does). Returns 0
 * or BRAID_EINVAL (a configuration value out of range). */
int braid_nack_generator_new(braid_nack_generator_t **out,
                             const braid_nack_generator_config_t *cfg);
/* Frees gen (NULL is fine). */
void braid_nack_generator_free(braid_nack_generator_t *gen);

/* The RTT in ms, known from RTCP: used as the retry interval from now on
 * (0: none known any more; back to the measured one, or the default). */
void braid_nack_generator_set_rtt(braid_nack_generator_t *gen, uint32_t rtt_ms);

/* The interval between two NACKs of a packet now (ms). */
uint32_t braid_nack_generator_retry_ms(const braid_nack_generator_t *gen);

/*
 * Feeds the sequence number of a received packet. keyframe: it starts a
 * key frame; recovered: it came through RTX (a repaired packet that is
 * newer than every packet seen is ignored, as in mediasoup: it carries no
 * gap information; a listed one NACKed exactly once gives an RTT sample).
 * Returns a set of BRAID_NACK_GENERATOR_* events (0 for none); never
 * fails.
 */
unsigned braid_nack_generator_receive(braid_nack_generator_t *gen, uint16_t seq, bool keyframe,
                                      bool recovered, int64_t now_ms);

/*
 * Writes the sequence numbers whose NACK is due at now_ms into out[0..cap),
 * oldest first (sorted, as braid_rtcp_nack_write() wants), counts the
 * attempt for each and drops those that reached max_retries. Returns how
 * many were written; entries that did not fit stay due.
 */
size_t braid_nack_generator_batch(braid_nack_generator_t *gen, int64_t now_ms, uint16_t *out,
                                  size_t cap);

/* The earliest time a NACK may be due (ms), or INT64_MAX when the list is
 * empty. May be early (a packet that arrived meanwhile); never late. */
int64_t braid_nack_generator_next_timeout(const braid_nack_generator_t *gen);

/* Missing packets currently listed. */
size_t braid_nack_generator_missing(const braid_nack_generator_t *gen);

/* Forgets everything (the stream paused: the next packet starts over). */
void braid_nack_generator_reset(braid_nack_generator_t *gen);

const braid_nack_generator_stats_t *braid_nack_generator_stats(const braid_nack_generator_t *gen);

#endif
