/*
 * Send-side bandwidth management of one transport (mediasoup's
 * TransportCongestionControlClient plus the bitrate distribution of its
 * Transport): it estimates what the path to the endpoint carries and
 * shares that among the transport's consumers, so each gets the layers it
 * can receive.
 *
 *   - Estimate (bwe.h): fed by the TWCC feedback the endpoint sends about
 *     our transport-wide numbered packets (twcc_history.h), or its REMB.
 *   - Probes: when the consumers want more than the estimate, a burst of
 *     padding at up to twice the estimate (30 ms and at least 6 KB, so a
 *     small token bucket cannot swallow it whole; paced on a 1 ms timer)
 *     shows whether the path carries more. Padding goes to mediasoup's
 *     probator stream (SSRC 1234, payload type 127, MID "probator"), which
 *     mediasoup-client declares on the receiving side with the first video
 *     consumer, so the browser counts it and drops it. After a probe that
 *     raised the estimate the next comes 1 s later; after one that did not,
 *     the wait doubles up to 8 s. None while the path loses packets or
 *     within 5 s of the estimate going down.
 *   - Distribution: audio consumers get what they use first; the rest is
 *     shared among video consumers in proportion to their priority
 *     (setConsumerPriority, 1..255), none getting more than it wants (its
 *     preferred layers' bitrate), what one leaves going to the others.
 *     Consumers then switch layers at their next key frame
 *     (braid_consumer_set_available_bitrate()). It runs every second, and
 *     at once when the estimate falls by a fifth; then for 5 s no budget
 *     rises (each layer switch costs a key frame: not back into the
 *     congestion at once).
 *   - Report: every 2 s (when it changed) a transport.bwe event with the
 *     desired, effective desired and available bitrates, which the
 *     controller turns into mediasoup-demo's downlinkBwe.
 *
 * Made by a WebRTC transport when its first video consumer that
 * negotiated transport-cc (or goog-remb) is created; plain and pipe
 * transports have none. Per packet sent: one history store.
 */
#ifndef BRAID_MEDIAD_RTC_TRANSPORT_BWE_H
#define BRAID_MEDIAD_RTC_TRANSPORT_BWE_H

#include <stdbool.h>
#include <stdint.h>

#include "mediad/rtc/bwe.h"
#include "mediad/rtc/twcc_history.h"

#define BRAID_PROBATOR_SSRC 1234
#define BRAID_PROBATOR_PT   127
#define BRAID_PROBATOR_MID  "probator"

typedef struct braid_transport braid_transport_t;

typedef struct braid_transport_bwe {
  braid_twcc_history_t history;
  braid_bwe_t bwe;
  /* The probe being sent. */
  bool probing;
  int probe_id;
  uint32_t probe_bps;
  unsigned probe_n, probe_sent;
  int64_t probe_span_us; /* how long its packets take at its rate */
  int64_t probe_start_ms;
  uint32_t probe_before_bps; /* the estimate when it started */
  int64_t probe_tick_ms;     /* the next pacing step while probing */
  int64_t next_probe_ms, probe_backoff_ms;
  uint16_t probator_seq;
  uint32_t probator_ts;
  uint64_t probe_packets, probe_bytes;
  /* Distribution. */
  uint32_t desired_bps, effective_desired_bps, allocated_bps;
  int64_t next_alloc_ms;
  int64_t hold_until_ms; /* budgets do not rise before (after a fall) */
  /* Reports. */
  int64_t next_event_ms;
  uint32_t event_available_bps, event_desired_bps;
} braid_transport_bwe_t;

/* Allocates the send-side BWE of t (start_bps: the first estimate, 0 for
 * BRAID_BWE_START_BPS), or returns NULL on allocation failure. */
braid_transport_bwe_t *braid_transport_bwe_new(uint32_t start_bps, int64_t now_ms);
void braid_transport_bwe_free(braid_transport_bwe_t *tb);

/* A packet with transport-wide number seq and size bytes left. */
static inline void braid_transport_bwe_sent(braid_transport_bwe_t *tb, uint16_t seq, size_t size,
                                            int64_t now_us) {
  braid_twcc_history_sent(&tb->history, seq, size, now_us, -1);
}

/* Feedback from the endpoint: one TWCC packet, or a REMB bitrate. */
void braid_transport_bwe_on_twcc(braid_transport_t *t, const uint8_t *data, size_t len,
                                 int64_t now_ms);
void braid_transport_bwe_on_remb(braid_transport_t *t, uint64_t bps, int64_t now_ms);

/* Timers: probes, distribution, reports. */
int64_t braid_transport_bwe_next_timeout(const braid_transport_t *t);
void braid_transport_bwe_on_timeout(braid_transport_t *t, int64_t now_ms);

/* The consumers changed (one added, closed, paused, resumed, its
 * priority or preferred layers set): distribute again soon. */
void braid_transport_bwe_reallocate(braid_transport_t *t);

#endif
