/*
 * Dominant speaker detection for one router (what mediasoup's
 * ActiveSpeakerObserver reports as "dominantspeaker"), reduced to the
 * property a conference UI needs: the dominant speaker changes only when
 * someone else has clearly been more active for a sustained time, so
 * crosstalk, a cough or a short "yes" do not make it flicker, and silence
 * never clears it (the last dominant speaker stays until someone else
 * takes over).
 *
 * Input is the RFC 6464 audio level each audio producer sends (no audio
 * is decoded). The caller runs one round per tick (every ~200 ms): it
 * feeds every speaker the average level of its packets since the last
 * round, then asks for a decision.
 *
 *   activity    dB above BRAID_SPEAKER_DETECTOR_FLOOR_DBOV of the round's
 *               level (0 for silence, for a level under the floor, and
 *               for a round without packets), smoothed over rounds with
 *               an exponential moving average of time constant
 *               BRAID_SPEAKER_DETECTOR_TAU_MS.
 *   first       with no dominant speaker yet, the most active speaker
 *               becomes dominant as soon as its activity reaches
 *               BRAID_SPEAKER_DETECTOR_MIN_ACTIVITY.
 *   switch      the most active other speaker (the challenger) takes
 *               over once its activity has stayed above the dominant's
 *               by BRAID_SPEAKER_DETECTOR_MARGIN_DB, and at or above
 *               BRAID_SPEAKER_DETECTOR_MIN_ACTIVITY, for
 *               BRAID_SPEAKER_DETECTOR_HOLD_MS without interruption (a
 *               different challenger restarts the clock).
 *
 * The per-speaker state (braid_speaker_t) lives in the caller's record of
 * each producer (audio_level_observer.h embeds it in its slots); the
 * detector keeps only borrowed pointers to the dominant speaker and the
 * challenger, which the caller must clear with braid_speaker_detector_forget()
 * before a speaker's memory goes. Sans-I/O: time is an argument; nothing
 * allocates or logs.
 */
#ifndef BRAID_MEDIAD_RTC_SPEAKER_DETECTOR_H
#define BRAID_MEDIAD_RTC_SPEAKER_DETECTOR_H

#include <stdbool.h>
#include <stdint.h>

/* Levels at or under this (dBov) count as silence (mediasoup-demo's audio
 * level threshold). */
#define BRAID_SPEAKER_DETECTOR_FLOOR_DBOV (-80)
/* Time constant of the activity's moving average. */
#define BRAID_SPEAKER_DETECTOR_TAU_MS 500
/* Activity (dB above the floor) a speaker needs to become dominant. */
#define BRAID_SPEAKER_DETECTOR_MIN_ACTIVITY 10.0f
/* How much more active than the dominant speaker a challenger must be... */
#define BRAID_SPEAKER_DETECTOR_MARGIN_DB 3.0f
/* ... and for how long, to take over. */
#define BRAID_SPEAKER_DETECTOR_HOLD_MS 1000
/* A round's length when there was no previous round, and the most one
 * round may weigh (a stalled loop must not make one round decide alone). */
#define BRAID_SPEAKER_DETECTOR_DEFAULT_ROUND_MS 200
#define BRAID_SPEAKER_DETECTOR_MAX_ROUND_MS     1000

/* One speaker's state, embedded in the caller's record of the producer;
 * zero-initialised means silent. */
typedef struct braid_speaker {
  float activity; /* smoothed dB above the floor, >= 0 */
} braid_speaker_t;

typedef struct braid_speaker_detector {
  const braid_speaker_t *dominant;   /* borrowed; NULL until someone spoke */
  const braid_speaker_t *challenger; /* borrowed; NULL when nobody challenges */
  int64_t challenger_since_ms;       /* when the challenger started to lead */
  int64_t last_round_ms;             /* when the previous round began (INT64_MIN: none) */
  /* The round in progress (between begin and end). */
  int64_t now_ms;
  float alpha;                      /* the moving average's weight of this round */
  const braid_speaker_t *top;       /* most active speaker fed in this round */
  const braid_speaker_t *top_other; /* most active one that is not the dominant */
} braid_speaker_detector_t;

void braid_speaker_detector_init(braid_speaker_detector_t *d);

/* Starts a round at now_ms (not earlier than the previous round). */
void braid_speaker_detector_begin(braid_speaker_detector_t *d, int64_t now_ms);
/* Feeds speaker s its level over the round: the average of its packets'
 * RFC 6464 levels in -dBov (0 loudest .. 127 silence), or -1 when it sent
 * no packet with a level. Every speaker should be fed once per round: a
 * speaker not fed keeps its activity and is not a candidate. */
void braid_speaker_detector_feed(braid_speaker_detector_t *d, braid_speaker_t *s, int level);
/* Ends the round: returns the new dominant speaker when it changed in this
 * round, else NULL. */
const braid_speaker_t *braid_speaker_detector_end(braid_speaker_detector_t *d);

/* The current dominant speaker (NULL until someone spoke). */
static inline const braid_speaker_t *
braid_speaker_detector_dominant(const braid_speaker_detector_t *d) {
  return d->dominant;
}

/* Drops every reference to s (its producer is going away). When s was
 * the dominant speaker there is none until someone speaks again (the
 * "first" rule then applies), and nothing is reported for the loss. */
void braid_speaker_detector_forget(braid_speaker_detector_t *d, const braid_speaker_t *s);

#endif
