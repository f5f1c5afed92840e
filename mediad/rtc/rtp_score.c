/* Stream score, 0..10, from loss and repair counts (see rtp_score.h). */
#include "mediad/rtc/rtp_score.h"

#include <string.h>

void braid_rtp_score_reset(braid_rtp_score_t *s, uint8_t score) {
  memset(s, 0, sizeof *s);
  s->score = score > BRAID_RTP_SCORE_MAX ? BRAID_RTP_SCORE_MAX : score;
}

bool braid_rtp_score_add(braid_rtp_score_t *s, uint8_t sample) {
  if (sample > BRAID_RTP_SCORE_MAX) sample = BRAID_RTP_SCORE_MAX;
  if (s->n == BRAID_RTP_SCORE_HISTORY) {
    memmove(s->samples, s->samples + 1, BRAID_RTP_SCORE_HISTORY - 1);
    s->n--;
  }
  s->samples[s->n++] = sample;

  uint32_t weights = 0, sum = 0;
  for (uint32_t i = 0; i < s->n; i++) {
    weights += i + 1;
    sum += (i + 1) * s->samples[i];
  }
  uint8_t prev = s->score;
  s->score = (uint8_t)((2 * sum + weights) / (2 * weights)); /* round half up */
  return s->score != prev;
}

uint8_t braid_rtp_score_sample(uint32_t expected, uint32_t total, uint32_t lost, uint32_t repaired,
                               uint32_t retransmitted, bool has_rtx) {
  if (expected == 0) return BRAID_RTP_SCORE_MAX;
  if (total == 0) return 0;
  if (lost > total) lost = total;
  if (repaired > lost) {
    if (has_rtx)
      repaired = lost;
    else
      lost = repaired > total ? total : repaired;
  }
  if (repaired > lost) repaired = lost;
  if (retransmitted < repaired) retransmitted = repaired;

  double ratio = (double)repaired / total;
  double w = 1.0 / (ratio + 1.0);
  w = w * w;
  w = w * w;
  if (retransmitted > 0) w *= (double)repaired / retransmitted;
  /* mediasoup subtracts in floating point and truncates to an integer. */
  uint32_t net_lost = (uint32_t)((double)lost - repaired * w);
  double delivered = (double)(total - net_lost) / total;
  delivered = delivered * delivered;
  delivered = delivered * delivered;
  return (uint8_t)(delivered * BRAID_RTP_SCORE_MAX + 0.5);
}
