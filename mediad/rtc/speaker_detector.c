#include "mediad/rtc/speaker_detector.h"

#include <stddef.h>

void braid_speaker_detector_init(braid_speaker_detector_t *d) {
  *d = (braid_speaker_detector_t){.last_round_ms = INT64_MIN};
}

void braid_speaker_detector_begin(braid_speaker_detector_t *d, int64_t now_ms) {
  int64_t dt = d->last_round_ms == INT64_MIN ? BRAID_SPEAKER_DETECTOR_DEFAULT_ROUND_MS
                                             : now_ms - d->last_round_ms;
  if (dt < 0) dt = 0;
  if (dt > BRAID_SPEAKER_DETECTOR_MAX_ROUND_MS) dt = BRAID_SPEAKER_DETECTOR_MAX_ROUND_MS;
  /* dt / (dt + tau): the discrete form of an exponential average with time
   * constant tau, without libm; rounds of any length weigh by their time. */
  d->alpha = (float)dt / (float)(dt + BRAID_SPEAKER_DETECTOR_TAU_MS);
  d->last_round_ms = now_ms;
  d->now_ms = now_ms;
  d->top = d->top_other = NULL;
}

void braid_speaker_detector_feed(braid_speaker_detector_t *d, braid_speaker_t *s, int level) {
  /* level is -dBov: the floor -80 dBov is level 80, and a level under the
   * floor (a larger number) or no packets at all is silence. */
  float raw = 0.0f;
  if (level >= 0 && level < -BRAID_SPEAKER_DETECTOR_FLOOR_DBOV)
    raw = (float)(-BRAID_SPEAKER_DETECTOR_FLOOR_DBOV - level);
  s->activity += d->alpha * (raw - s->activity);
  if (s->activity < 0.0f) s->activity = 0.0f; /* float rounding only */
  if (d->top == NULL || s->activity > d->top->activity) d->top = s;
  if (s != d->dominant && (d->top_other == NULL || s->activity > d->top_other->activity))
    d->top_other = s;
}

const braid_speaker_t *braid_speaker_detector_end(braid_speaker_detector_t *d) {
  if (d->dominant == NULL) {
    /* Nobody has spoken yet (or the dominant speaker left): the first
     * voice loud enough takes the floor at once. */
    if (d->top == NULL || d->top->activity < BRAID_SPEAKER_DETECTOR_MIN_ACTIVITY) return NULL;
    d->dominant = d->top;
    d->challenger = NULL;
    return d->dominant;
  }
  const braid_speaker_t *c = d->top_other;
  if (c == NULL || c->activity < BRAID_SPEAKER_DETECTOR_MIN_ACTIVITY ||
      c->activity <= d->dominant->activity + BRAID_SPEAKER_DETECTOR_MARGIN_DB) {
    d->challenger = NULL; /* the lead was interrupted: the clock starts again */
    return NULL;
  }
  if (c != d->challenger) {
    d->challenger = c;
    d->challenger_since_ms = d->now_ms;
    return NULL;
  }
  if (d->now_ms - d->challenger_since_ms < BRAID_SPEAKER_DETECTOR_HOLD_MS) return NULL;
  d->dominant = c;
  d->challenger = NULL;
  return c;
}

void braid_speaker_detector_forget(braid_speaker_detector_t *d, const braid_speaker_t *s) {
  if (d->dominant == s) d->dominant = NULL;
  if (d->challenger == s) d->challenger = NULL;
  if (d->top == s) d->top = NULL;
  if (d->top_other == s) d->top_other = NULL;
}
