/*
 * Receive-side statistics of one producer RTP stream: what an RTCP
 * receiver report block says about it (RFC 3550 Appendix A), and
 * mediasoup's producer score.
 *
 *   - A.1: sequence number validation and the extended highest sequence
 *     number. As in mediasoup there is no probation: the first packet
 *     starts the stream. A jump of more than BRAID_RTP_RECV_STATS_MAX_DROPOUT
 *     ahead or BRAID_RTP_RECV_STATS_MAX_MISORDER behind is discarded,
 *     unless the next packet follows it (the source restarted: the stream
 *     is re-initialised).
 *   - A.3: packets expected and lost (cumulative, clamped to the 24-bit
 *     signed field) and the fraction lost since the previous report.
 *   - A.8: interarrival jitter in RTP timestamp units, from arrival times
 *     in ms converted to clock units (retransmitted packets excluded).
 *   - LSR/DLSR from the last sender report received.
 *   - The score (rtp_score.h) from the packets received, lost, repaired and
 *     retransmitted between two calls of _update_score (mediasoup computes
 *     it at every SR received).
 *
 * Packets that arrive through RTX are given with retransmitted = true:
 * they move the sequence state but are not counted as received (they
 * count as retransmitted), as mediasoup does, so the loss reported to the
 * sender includes what had to be repaired.
 *
 * Sans-I/O; embedded struct; no allocation, no logging. Per packet: a few
 * integer operations.
 */
#ifndef BRAID_MEDIAD_RTC_RTP_RECV_STATS_H
#define BRAID_MEDIAD_RTC_RTP_RECV_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "mediad/rtc/rtp_score.h"
#include "mediad/wire/rtcp/report_block.h"

#define BRAID_RTP_RECV_STATS_MAX_DROPOUT 3000  /* as RFC 3550 A.1 and mediasoup */
#define BRAID_RTP_RECV_STATS_MAX_MISORDER 1500 /* mediasoup's (RFC 3550: 100) */

typedef struct braid_rtp_recv_stats {
  uint32_t clock_rate;
  bool started;
  uint16_t max_seq;   /* highest sequence number seen */
  uint32_t cycles;    /* wraps of the sequence number, x 65536 */
  uint32_t base_seq;  /* first sequence number */
  uint32_t bad_seq;   /* the seq that would confirm a restart; 65537 = none */

  uint64_t received;      /* packets counted (not retransmitted) */
  uint64_t bytes;         /* their bytes */
  uint64_t discarded;     /* packets refused by A.1 */
  uint64_t retransmitted; /* packets that came through RTX */
  uint64_t repaired;      /* missing packets recovered (braid_rtp_recv_stats_repaired()) */
  int64_t last_packet_ms; /* arrival of the last packet counted */

  uint32_t expected_prior, received_prior; /* at the last report (A.3) */
  uint8_t fraction_lost;                   /* in the last report */

  bool have_transit;
  uint32_t transit;   /* last arrival - timestamp, clock units (A.8) */
  uint32_t jitter_q4; /* jitter x 16 (A.8) */

  bool have_sr;
  uint64_t sr_ntp;     /* NTP time of the last SR (32.32) */
  uint32_t sr_rtp_ts;  /* its RTP timestamp */
  int64_t sr_recv_ms;  /* when it arrived */

  /* Counts at the last score update. */
  uint32_t score_expected_prior, score_received_prior, score_repaired_prior,
      score_retransmitted_prior;
  braid_rtp_score_t score;
} braid_rtp_recv_stats_t;

/* Initialises st for a stream of clock_rate Hz; the score starts at 10. */
void braid_rtp_recv_stats_init(braid_rtp_recv_stats_t *st, uint32_t clock_rate);

/*
 * Accounts one packet (seq, ts; bytes: its size) arrived at now_ms.
 * Returns 0, or BRAID_ESTATE when A.1 refuses it (counted in discarded;
 * the caller should drop the packet).
 */
int braid_rtp_recv_stats_update(braid_rtp_recv_stats_t *st, uint16_t seq, uint32_t ts,
                                size_t bytes, int64_t now_ms, bool retransmitted);

/* A missing packet was recovered (braid_nack_generator_receive() said
 * BRAID_NACK_GENERATOR_RECOVERED). */
static inline void braid_rtp_recv_stats_repaired(braid_rtp_recv_stats_t *st) { st->repaired++; }

/* Records a sender report (ntp: its 32.32 NTP timestamp) received at now_ms. */
void braid_rtp_recv_stats_on_sr(braid_rtp_recv_stats_t *st, uint64_t ntp, uint32_t rtp_ts,
                                int64_t now_ms);

/* The extended highest sequence number (A.1). */
static inline uint32_t braid_rtp_recv_stats_ext_max(const braid_rtp_recv_stats_t *st) {
  return st->cycles + st->max_seq;
}

/* Cumulative packets lost (A.3; negative with duplicates), unclamped. */
int64_t braid_rtp_recv_stats_lost(const braid_rtp_recv_stats_t *st);

/* Fills a report block about ssrc at now_ms and starts the next fraction
 * lost interval. Before the first packet the block reports nothing lost. */
void braid_rtp_recv_stats_report(braid_rtp_recv_stats_t *st, uint32_t ssrc, int64_t now_ms,
                                 braid_rtcp_report_block_t *blk);

/* Adds the score sample of the interval since the previous call. Returns
 * true when the score changed. has_rtx: the stream has an RTX stream. */
bool braid_rtp_recv_stats_update_score(braid_rtp_recv_stats_t *st, bool has_rtx);

/* The current score, 0..10. */
static inline uint8_t braid_rtp_recv_stats_score(const braid_rtp_recv_stats_t *st) {
  return st->score.score;
}

#endif
