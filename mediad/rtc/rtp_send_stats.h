/*
 * Send-side statistics of one consumer RTP stream: the sender info of an
 * RTCP sender report (RFC 3550 §6.4.1) and what the receiver's reports
 * say back (RTT, loss, and mediasoup's consumer score).
 *
 * The SR's NTP/RTP pair maps "now" to the stream's timeline: the RTP
 * timestamp is the highest timestamp sent, moved on by the wall time
 * since it was sent (in clock units), so that the receiver can line this
 * stream up with others (lip sync). The octet count is the payload octets,
 * as RFC 3550 defines it (headers and padding excluded).
 *
 * RTT from a report block (RFC 3550 §6.4.1): A - LSR - DLSR in 1/65536 s,
 * where A is the middle 32 bits of the NTP time the report arrived.
 *
 * Sans-I/O; embedded struct; no allocation, no logging.
 */
#ifndef BRAID_MEDIAD_RTC_RTP_SEND_STATS_H
#define BRAID_MEDIAD_RTC_RTP_SEND_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "mediad/rtc/rtp_score.h"
#include "mediad/wire/rtcp/report_block.h"
#include "mediad/wire/rtcp/sr.h"

/* Seconds from 1900 (NTP era 0) to 1970 (Unix epoch). */
#define BRAID_RTP_SEND_STATS_NTP_UNIX_OFFSET 2208988800u

typedef struct braid_rtp_send_stats {
  uint32_t clock_rate;
  bool started;          /* a packet was sent */
  uint32_t packets;      /* sender's packet count (wraps, as the SR field) */
  uint32_t octets;       /* sender's octet count: payload bytes (wraps) */
  uint64_t bytes;        /* whole packets, for bitrate stats */
  uint32_t max_ts;       /* highest RTP timestamp sent */
  int64_t max_ts_ms;     /* when it was sent */

  uint64_t retransmitted; /* packets resent */
  uint64_t repaired;      /* packets resent for the first time */

  bool have_rtt;
  uint32_t rtt_ms;       /* from the last usable report block */
  int32_t packets_lost;  /* cumulative, from the last report block */
  uint8_t fraction_lost; /* from the last report block */

  /* Counts at the last score update. */
  uint32_t score_sent_prior, score_repaired_prior, score_retransmitted_prior;
  int32_t score_lost_prior;
  braid_rtp_score_t score;
} braid_rtp_send_stats_t;

/* The NTP timestamp (32.32 fixed point seconds since 1900) of a Unix time
 * in ms (the wall clock, braid_clock_wall_ms()). */
static inline uint64_t braid_rtp_send_stats_ntp_from_unix_ms(int64_t unix_ms) {
  uint64_t secs = (uint64_t)(unix_ms / 1000) + BRAID_RTP_SEND_STATS_NTP_UNIX_OFFSET;
  uint64_t frac = ((uint64_t)(unix_ms % 1000) << 32) / 1000;
  return (secs << 32) | frac;
}

/* Initialises st for a stream of clock_rate Hz; the score starts at 10. */
void braid_rtp_send_stats_init(braid_rtp_send_stats_t *st, uint32_t clock_rate);

/* Accounts one packet sent at now_ms: its timestamp, payload length
 * (padding excluded) and whole length. Not for retransmissions. */
void braid_rtp_send_stats_on_packet(braid_rtp_send_stats_t *st, uint32_t ts, size_t payload_len,
                                    size_t len, int64_t now_ms);

/* A packet was resent (first: for the first time). */
void braid_rtp_send_stats_on_resend(braid_rtp_send_stats_t *st, bool first);

/* Fills the sender info of an SR at now_ms, whose NTP time is ntp_now.
 * Returns 0, or BRAID_ESTATE when nothing was sent yet (no SR is due;
 * mediasoup sends none either). */
int braid_rtp_send_stats_sender_info(const braid_rtp_send_stats_t *st, uint64_t ntp_now,
                                     int64_t now_ms, braid_rtcp_sender_info_t *info);

/* Takes a report block about this stream, received when the NTP time was
 * ntp_now: updates RTT (when LSR is set and the result is positive),
 * loss, and the score. Returns true when the score changed. */
bool braid_rtp_send_stats_on_report(braid_rtp_send_stats_t *st,
                                    const braid_rtcp_report_block_t *blk, uint64_t ntp_now,
                                    bool has_rtx);

#endif
