#include "mediad/rtc/bwe_delay.h"

#include <math.h>
#include <string.h>

#define SMOOTHING      0.9
#define THRESHOLD_GAIN 4.0
#define MAX_DELTAS     60
#define OVERUSE_MS     10.0
#define K_UP           0.0087
#define K_DOWN         0.039
#define THRESHOLD_MIN  6.0
#define THRESHOLD_MAX  600.0
#define THRESHOLD_INIT 12.5
/* A trend this far beyond the threshold is a spike (a route change, a
 * stall) the threshold should not chase. */
#define THRESHOLD_SPIKE 15.0
/* An arrival gap this large (or reordering this far back) means the
 * receiver's clock or the path changed: start over. */
#define RESET_GAP_US 3000000

void braid_bwe_delay_init(braid_bwe_delay_t *d) {
  memset(d, 0, sizeof *d);
  d->threshold = THRESHOLD_INIT;
  d->last_threshold_us = -1;
  d->usage = BRAID_BWE_NORMAL;
}

static void reset(braid_bwe_delay_t *d) {
  double threshold = d->threshold;
  braid_bwe_delay_init(d);
  d->threshold = threshold;
}

/* Least-squares slope of the points in the window; 0 when undefined. */
static double slope(const braid_bwe_delay_t *d) {
  double sx = 0, sy = 0;
  unsigned n = d->n_points;
  for (unsigned i = 0; i < n; i++) {
    sx += d->xs[i];
    sy += d->ys[i];
  }
  double mx = sx / n, my = sy / n, num = 0, den = 0;
  for (unsigned i = 0; i < n; i++) {
    num += (d->xs[i] - mx) * (d->ys[i] - my);
    den += (d->xs[i] - mx) * (d->xs[i] - mx);
  }
  return den == 0 ? 0 : num / den;
}

static void update_threshold(braid_bwe_delay_t *d, double modified, int64_t now_us) {
  if (d->last_threshold_us < 0) d->last_threshold_us = now_us;
  if (fabs(modified) > d->threshold + THRESHOLD_SPIKE) {
    d->last_threshold_us = now_us;
    return;
  }
  double k = fabs(modified) < d->threshold ? K_DOWN : K_UP;
  double dt_ms = (double)(now_us - d->last_threshold_us) / 1000.0;
  if (dt_ms > 100) dt_ms = 100;
  d->threshold += k * (fabs(modified) - d->threshold) * dt_ms;
  if (d->threshold < THRESHOLD_MIN) d->threshold = THRESHOLD_MIN;
  if (d->threshold > THRESHOLD_MAX) d->threshold = THRESHOLD_MAX;
  d->last_threshold_us = now_us;
}

static void detect(braid_bwe_delay_t *d, double trend, double send_delta_ms, int64_t now_us) {
  if (d->n_deltas < 2) return;
  unsigned n = d->n_deltas < MAX_DELTAS ? d->n_deltas : MAX_DELTAS;
  double modified = n * trend * THRESHOLD_GAIN;
  if (modified > d->threshold) {
    /* Over for long enough, and still rising: overuse. */
    d->overuse_ms += d->overuse_count == 0 ? send_delta_ms / 2 : send_delta_ms;
    d->overuse_count++;
    if (d->overuse_ms > OVERUSE_MS && d->overuse_count > 1 && trend >= d->prev_trend) {
      d->overuse_ms = 0;
      d->overuse_count = 0;
      d->usage = BRAID_BWE_OVERUSE;
    }
  } else if (modified < -d->threshold) {
    d->overuse_ms = 0;
    d->overuse_count = 0;
    d->usage = BRAID_BWE_UNDERUSE;
  } else {
    d->overuse_ms = 0;
    d->overuse_count = 0;
    d->usage = BRAID_BWE_NORMAL;
  }
  d->prev_trend = trend;
  update_threshold(d, modified, now_us);
}

/* Two consecutive complete groups: one delay variation sample. */
static void on_deltas(braid_bwe_delay_t *d, double send_delta_ms, double arrival_delta_ms,
                      int64_t arrival_us) {
  if (d->n_deltas < UINT32_MAX) d->n_deltas++;
  d->accumulated_ms += arrival_delta_ms - send_delta_ms;
  d->smoothed_ms = SMOOTHING * d->smoothed_ms + (1 - SMOOTHING) * d->accumulated_ms;
  d->xs[d->next_point] = (double)(arrival_us - d->first_arrival_us) / 1000.0;
  d->ys[d->next_point] = d->smoothed_ms;
  d->next_point = (d->next_point + 1) % BRAID_BWE_TREND_WINDOW;
  if (d->n_points < BRAID_BWE_TREND_WINDOW) d->n_points++;
  double trend = d->n_points == BRAID_BWE_TREND_WINDOW ? slope(d) : d->prev_trend;
  detect(d, trend, send_delta_ms, arrival_us);
}

bool braid_bwe_delay_on_packet(braid_bwe_delay_t *d, int64_t send_us, int64_t arrival_us) {
  if (!d->cur.valid) {
    d->cur = (braid_bwe_group_t){send_us, send_us, arrival_us, true};
    d->first_arrival_us = arrival_us;
    return false;
  }
  if (send_us < d->cur.first_send_us) return false; /* reordered behind its group: ignore */
  if (arrival_us - d->cur.last_arrival_us > RESET_GAP_US ||
      d->cur.last_arrival_us - arrival_us > RESET_GAP_US) {
    reset(d);
    d->cur = (braid_bwe_group_t){send_us, send_us, arrival_us, true};
    d->first_arrival_us = arrival_us;
    return false;
  }
  if (send_us - d->cur.first_send_us <= BRAID_BWE_GROUP_US) {
    if (send_us > d->cur.last_send_us) d->cur.last_send_us = send_us;
    if (arrival_us > d->cur.last_arrival_us) d->cur.last_arrival_us = arrival_us;
    return false;
  }
  /* A new group starts: the current one is complete. */
  bool updated = false;
  if (d->prev.valid) {
    double send_delta = (double)(d->cur.last_send_us - d->prev.last_send_us) / 1000.0;
    double arrival_delta = (double)(d->cur.last_arrival_us - d->prev.last_arrival_us) / 1000.0;
    on_deltas(d, send_delta, arrival_delta, d->cur.last_arrival_us);
    updated = true;
  }
  d->prev = d->cur;
  d->cur = (braid_bwe_group_t){send_us, send_us, arrival_us, true};
  return updated;
}
