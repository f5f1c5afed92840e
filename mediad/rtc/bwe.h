/*
 * Send-side bandwidth estimate of one transport: how many bits per second
 * the path towards the remote endpoint carries (mediasoup's TCC client,
 * i.e. libwebrtc's GoogCC; written from draft-ietf-rmcat-gcc-02 and the
 * behaviour it describes). It decides which layers the transport's
 * consumers get (transport_bwe.h shares it out).
 *
 * Inputs: the fate of every packet sent with a transport-wide sequence
 * number (twcc_history.h turns TWCC feedback into them), and REMB values
 * from receivers that send REMB instead of TWCC feedback.
 *
 * Three bounds, the estimate is the lowest (kept in [min, max]):
 *
 *   - delay-based: an AIMD controller driven by bwe_delay.h's signal.
 *     Overuse: down to 0.85 x the acknowledged bitrate (what the receiver
 *     got over the last 500 ms), at most once per 200 ms. Normal: up, 8 %
 *     per second (multiplicative) while far from the link capacity seen
 *     at the last decreases, and by about one packet per response time
 *     (additive) near it. Underuse: hold (queues drain). It never rises
 *     above 1.5 x the acknowledged bitrate + 10 kbit/s: a sender that
 *     uses little learns nothing about more, which is what probes are for;
 *   - loss-based: loss under 2 % lets it follow the delay-based bound;
 *     2-10 % holds it where the estimate is; over 10 % cuts it by half
 *     the loss fraction, at most every 300 ms;
 *   - REMB: the latest value a receiver sent (within 5 s), if any. From a
 *     receiver that sends no TWCC feedback, REMB is the estimate itself
 *     (its own receive-side estimate, as mediasoup takes it).
 *
 * A probe is a short burst of padding at a target rate (transport_bwe.h
 * sends it). When its packets are resolved, the rate they were received
 * at (bounded by the rate they were sent at) raises the delay-based and
 * loss-based bounds if it is higher: this is how the estimate finds
 * bandwidth the media does not use yet.
 *
 * Sans-I/O, embedded, no allocation, no logging.
 */
#ifndef BRAID_MEDIAD_RTC_BWE_H
#define BRAID_MEDIAD_RTC_BWE_H

#include <stdbool.h>
#include <stdint.h>

#include "mediad/rtc/bwe_delay.h"
#include "mediad/rtc/twcc_history.h"

#define BRAID_BWE_MIN_BPS         30000
#define BRAID_BWE_START_BPS       600000 /* mediasoup's initialAvailableOutgoingBitrate */
#define BRAID_BWE_ACKED_WINDOW_US 500000
#define BRAID_BWE_ACKED_SLOTS     1024 /* received packets remembered for the acked rate */
#define BRAID_BWE_PROBE_SLOTS     4    /* probe clusters measured at once */

typedef struct braid_bwe_probe_cluster {
  int16_t id; /* -1: free */
  uint32_t target_bps;
  unsigned n_sent, n_resolved, n_received;
  int64_t first_send_us, last_send_us;
  uint32_t last_send_size;
  uint64_t sent_bytes;
  int64_t first_arrival_us, last_arrival_us;
  uint32_t first_arrival_size;
  uint64_t recv_bytes;
  int64_t started_ms;
} braid_bwe_probe_cluster_t;

typedef struct braid_bwe {
  uint32_t min_bps, max_bps;
  uint32_t estimate_bps; /* the result */
  braid_bwe_delay_t delay;
  /* Acknowledged bitrate: received packets within the window. */
  struct {
    int64_t arrival_us;
    uint32_t size;
  } acked[BRAID_BWE_ACKED_SLOTS];
  unsigned acked_head, acked_n;
  uint64_t acked_bytes;
  uint32_t acked_bps; /* 0 while unknown */
  /* Delay-based AIMD. */
  double delay_bps;
  int64_t last_update_ms, last_decrease_ms;
  double link_bps, link_var; /* acked rate at decreases: average and variance (normalised) */
  bool link_known;
  /* Loss-based. */
  uint32_t lost, resolved; /* since the last loss evaluation */
  int64_t last_loss_ms, last_loss_decrease_ms;
  double loss_bps;
  double loss_fraction; /* of the last evaluation */
  /* REMB. */
  int64_t last_feedback_ms; /* the last TWCC feedback (-1: none) */
  uint32_t remb_bps;
  int64_t remb_ms;
  braid_bwe_probe_cluster_t probes[BRAID_BWE_PROBE_SLOTS];
  uint32_t last_probe_result_bps;
  uint64_t packets_lost, packets_received; /* totals, for stats */
} braid_bwe_t;

/* Starts at start_bps, kept in [min_bps, max_bps] (max 0: unbounded). */
void braid_bwe_init(braid_bwe_t *b, uint32_t start_bps, uint32_t min_bps, uint32_t max_bps);
void braid_bwe_set_bounds(braid_bwe_t *b, uint32_t min_bps, uint32_t max_bps);

/* One packet's fate (from braid_twcc_history_resolve(), in send order). */
void braid_bwe_on_packet(braid_bwe_t *b, const braid_bwe_packet_t *pkt);
/* All packets of one feedback were given: updates the estimate. Returns
 * true when it changed. */
bool braid_bwe_on_feedback(braid_bwe_t *b, int64_t now_ms);
/* A REMB from the receiver. Returns true when the estimate changed. */
bool braid_bwe_on_remb(braid_bwe_t *b, uint32_t bps, int64_t now_ms);

/* A probe cluster `id` (>= 0) of n packets at target_bps is about to be
 * sent (its packets carry the id in the history). Returns false when all
 * slots are busy (then do not probe). */
bool braid_bwe_probe_begin(braid_bwe_t *b, int id, uint32_t target_bps, unsigned n, int64_t now_ms);
/* Probe `id` ended after `sent` packets (fewer than announced: no send
 * buffer, or a late timer): it is judged on those. */
void braid_bwe_probe_end(braid_bwe_t *b, int id, unsigned sent);
/* Whether a probe is still being measured. */
bool braid_bwe_probing(const braid_bwe_t *b, int64_t now_ms);

static inline uint32_t braid_bwe_estimate(const braid_bwe_t *b) { return b->estimate_bps; }
static inline uint32_t braid_bwe_acked(const braid_bwe_t *b) { return b->acked_bps; }

#endif
