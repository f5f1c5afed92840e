/*
 * A router's audio level observer (mediasoup's AudioLevelObserver, with the
 * options mediasoup-demo gives it: threshold -80 dBov, interval 800 ms),
 * which also drives the router's dominant speaker detector
 * (speaker_detector.h).
 *
 * Each observed audio producer has a slot. On the packet path the producer
 * adds the RFC 6464 level of each packet (0 loudest .. 127 silence, in
 * -dBov) to its slot: two additions, nothing else. The daemon calls
 * braid_audio_level_observer_tick() every BRAID_AUDIO_LEVEL_TICK_MS; each
 * tick
 *
 *   - runs one round of the dominant speaker detector with every slot's
 *     average level over the tick (or "no packets");
 *   - once per BRAID_AUDIO_LEVEL_INTERVAL_MS, makes a report: every slot
 *     with at least BRAID_AUDIO_LEVEL_MIN_PACKETS levels in the interval
 *     whose average (rounded) is at or above
 *     BRAID_AUDIO_LEVEL_THRESHOLD_DBOV, loudest first, at most
 *     BRAID_AUDIO_LEVEL_MAX_ENTRIES ("volumes"), or, when there is none and
 *     the previous report was not already one, an empty report
 *     ("silence": sent once per quiet spell, never before anyone spoke).
 *
 * Which producers get a slot is the owner's business (router_speakers.h:
 * audio producers that receive from an endpoint, not those fed by a pipe
 * from another daemon, which their origin measures). A paused producer
 * adds nothing (mediasoup takes paused producers out of the observer).
 *
 * Ownership: the observer owns its slots. Each slot knows where its owner
 * keeps its pointer to it (ref) and clears it when the slot goes, so a
 * producer that outlives its router's observer is left with NULL, never a
 * dangling pointer. Sans-I/O: time is an argument; allocation only when a
 * slot is added.
 */
#ifndef BRAID_MEDIAD_RTC_AUDIO_LEVEL_OBSERVER_H
#define BRAID_MEDIAD_RTC_AUDIO_LEVEL_OBSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/rtc/speaker_detector.h"

/* How often the daemon calls braid_audio_level_observer_tick(). */
#define BRAID_AUDIO_LEVEL_TICK_MS 200
/* mediasoup-demo's AudioLevelObserver options (maxEntries aside). */
#define BRAID_AUDIO_LEVEL_INTERVAL_MS    800
#define BRAID_AUDIO_LEVEL_THRESHOLD_DBOV (-80)
/* A producer with fewer levels in an interval is not reported
 * (mediasoup's rule: too little to average). */
#define BRAID_AUDIO_LEVEL_MIN_PACKETS 10
/* Entries in one report (the demo's current dialect shows 10; the legacy
 * one the loudest). Equal to BRAID_EVENT_MAX_VOLUMES (proto/event.h). */
#define BRAID_AUDIO_LEVEL_MAX_ENTRIES 16
/* Observed producers per router (STYLE.md rule 19). */
#define BRAID_AUDIO_LEVEL_MAX_PRODUCERS 4096

typedef struct braid_audio_level_observer braid_audio_level_observer_t;

typedef struct braid_audio_level_slot {
  uint32_t sum, count;                   /* levels of this tick (the packet path) */
  uint64_t interval_sum, interval_count; /* of the ticks since the last report */
  braid_speaker_t speaker;               /* the dominant speaker detector's state */
  const char *producer_id;               /* borrowed: the owner's, outlives the slot */
  struct braid_audio_level_slot **ref;   /* where the owner keeps its pointer to us */
  braid_audio_level_observer_t *obs;     /* borrowed: the observer that owns us */
  struct braid_audio_level_slot *next;
} braid_audio_level_slot_t;

struct braid_audio_level_observer {
  braid_audio_level_slot_t *slots; /* owned list */
  size_t nslots;
  int64_t next_report_ms; /* INT64_MIN until the first tick */
  bool silent;            /* the last report was silence, or there was none yet */
  braid_speaker_detector_t detector;
};

/* One entry of a report. */
typedef struct braid_audio_level_entry {
  const char *producer_id; /* borrowed from the slot: valid until it is removed */
  int8_t volume;           /* average level in dBov, THRESHOLD..0 */
} braid_audio_level_entry_t;

/* What one tick produced. */
typedef struct braid_audio_level_result {
  bool report; /* a report is due: entries[0..n), or silence when n is 0 */
  size_t n;
  braid_audio_level_entry_t entries[BRAID_AUDIO_LEVEL_MAX_ENTRIES];
  const char *dominant; /* the producer that became dominant speaker in this tick, or NULL */
  const char *current;  /* with a report: the dominant speaker now (its producer), or NULL */
} braid_audio_level_result_t;

void braid_audio_level_observer_init(braid_audio_level_observer_t *obs);
/* Frees every slot (clearing the owners' pointers). */
void braid_audio_level_observer_cleanup(braid_audio_level_observer_t *obs);

/* Adds a slot for producer_id (borrowed: it must outlive the slot) and
 * stores it in *ref. Returns 0, or BRAID_ELIMIT (the observer has
 * BRAID_AUDIO_LEVEL_MAX_PRODUCERS slots; *ref is left NULL). */
int braid_audio_level_observer_add(braid_audio_level_observer_t *obs, const char *producer_id,
                                   braid_audio_level_slot_t **ref);
/* Removes and frees a slot (NULL: nothing) and clears its owner's
 * pointer; the detector forgets it. */
void braid_audio_level_observer_remove(braid_audio_level_slot_t *slot);

/* The packet path: one packet's RFC 6464 level (-dBov; the V bit must be
 * masked off by the caller's reader). */
static inline void braid_audio_level_slot_receive(braid_audio_level_slot_t *slot, uint8_t level) {
  slot->sum += level;
  slot->count++;
}

/* Runs one tick at now_ms (see the top of this file) and fills *out. */
void braid_audio_level_observer_tick(braid_audio_level_observer_t *obs, int64_t now_ms,
                                     braid_audio_level_result_t *out);

#endif
