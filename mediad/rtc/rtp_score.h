/*
 * mediasoup's stream score (the "score" of producers and consumers, 0..10;
 * RtpStream::UpdateScore and RtpStreamRecv/RtpStreamSend::UpdateScore,
 * written from scratch).
 *
 * Each report interval (an SR received for a producer stream, an RR
 * received for a consumer stream) gives one sample from the interval's
 * packets:
 *
 *   lost' = lost - repaired * w,  w = (1 / (repaired / total + 1))^4
 *                                     * (repaired / retransmitted if any)
 *   sample = round(((total - lost') / total)^4 * 10)
 *
 * where total is the packets received (producer) or sent (consumer), lost
 * is capped at total, and repaired at lost (with RTX; without RTX lost is
 * raised to repaired). An interval with nothing expected gives 10.
 *
 * The score is the weighted average of the last BRAID_RTP_SCORE_HISTORY
 * samples, the newest weighing most (weights 1, 2, ... n), rounded.
 *
 * Pure computation: no allocation, no I/O.
 */
#ifndef BRAID_MEDIAD_RTC_RTP_SCORE_H
#define BRAID_MEDIAD_RTC_RTP_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#define BRAID_RTP_SCORE_HISTORY 24
#define BRAID_RTP_SCORE_MAX 10

typedef struct braid_rtp_score {
  uint8_t score; /* current score, 0..10 */
  uint8_t n;     /* samples held */
  uint8_t samples[BRAID_RTP_SCORE_HISTORY]; /* oldest first */
} braid_rtp_score_t;

/* Sets the score to score (0..10) and forgets the samples. */
void braid_rtp_score_reset(braid_rtp_score_t *s, uint8_t score);

/* Adds a sample (0..10). Returns true when the score changed. */
bool braid_rtp_score_add(braid_rtp_score_t *s, uint8_t sample);

/* One interval's sample from its counts (see above); has_rtx: the stream
 * has an RTX stream. */
uint8_t braid_rtp_score_sample(uint32_t expected, uint32_t total, uint32_t lost, uint32_t repaired,
                               uint32_t retransmitted, bool has_rtx);

#endif
