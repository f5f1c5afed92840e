/*
 * Delay-based overuse detection for the send-side bandwidth estimate
 * (the "trendline" estimator of Google congestion control,
 * draft-ietf-rmcat-gcc-02 §5, written from its description):
 *
 *   1. Packets are grouped by send time: a group is the packets sent
 *      within BRAID_BWE_GROUP_US of its first one (a video frame's
 *      packets, or a probe burst).
 *   2. For each pair of consecutive complete groups, the delay variation
 *      d = (arrival gap) - (send gap) says whether queues grew (d > 0) or
 *      drained (d < 0) between them.
 *   3. The variations are accumulated into a one-way delay curve,
 *      exponentially smoothed (0.9), and a least-squares line is fitted
 *      over the last BRAID_BWE_TREND_WINDOW points: its slope is the trend.
 *   4. The trend, scaled by the number of samples (up to 60) and a gain
 *      of 4, is compared to an adaptive threshold (initially 12.5, moving
 *      towards the observed trend, slowly upwards and faster downwards,
 *      kept in [6, 600]): above it for more than 10 ms and two samples
 *      while still rising is overuse; below minus it is underuse; else
 *      normal.
 *
 * The signal drives the rate controller in bwe.h. Sans-I/O: times come
 * with the packets (send time on our clock, arrival time on the
 * receiver's). Embedded, no allocation, no logging.
 */
#ifndef BRAID_MEDIAD_RTC_BWE_DELAY_H
#define BRAID_MEDIAD_RTC_BWE_DELAY_H

#include <stdbool.h>
#include <stdint.h>

#define BRAID_BWE_GROUP_US     5000
#define BRAID_BWE_TREND_WINDOW 20

typedef enum braid_bwe_usage {
  BRAID_BWE_NORMAL = 0,
  BRAID_BWE_OVERUSE = 1,
  BRAID_BWE_UNDERUSE = 2,
} braid_bwe_usage_t;

typedef struct braid_bwe_group {
  int64_t first_send_us, last_send_us, last_arrival_us;
  bool valid;
} braid_bwe_group_t;

typedef struct braid_bwe_delay {
  braid_bwe_group_t cur, prev;
  /* Trendline. */
  int64_t first_arrival_us;
  double accumulated_ms, smoothed_ms;
  double xs[BRAID_BWE_TREND_WINDOW], ys[BRAID_BWE_TREND_WINDOW];
  unsigned n_points, next_point; /* ring of the last points */
  unsigned n_deltas;
  double prev_trend;
  /* Detector. */
  double threshold;
  int64_t last_threshold_us;
  double overuse_ms;
  int overuse_count;
  braid_bwe_usage_t usage;
} braid_bwe_delay_t;

void braid_bwe_delay_init(braid_bwe_delay_t *d);

/* One received packet (in send order). Returns true when a new group
 * completed and the usage signal was updated. */
bool braid_bwe_delay_on_packet(braid_bwe_delay_t *d, int64_t send_us, int64_t arrival_us);

static inline braid_bwe_usage_t braid_bwe_delay_usage(const braid_bwe_delay_t *d) {
  return d->usage;
}

#endif
