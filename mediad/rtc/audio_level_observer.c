#include "mediad/rtc/audio_level_observer.h"

#include "common/err.h"
#include "common/mem.h"

/* The slot that embeds a detector speaker. */
static braid_audio_level_slot_t *slot_of(const braid_speaker_t *s) {
  return (braid_audio_level_slot_t *)((const char *)s -
                                      offsetof(braid_audio_level_slot_t, speaker));
}

/* sum / count rounded half up: mediasoup rounds the average level with
 * lround(). */
static unsigned average(uint64_t sum, uint64_t count) {
  return (unsigned)((sum + count / 2) / count);
}

void braid_audio_level_observer_init(braid_audio_level_observer_t *obs) {
  *obs = (braid_audio_level_observer_t){.next_report_ms = INT64_MIN, .silent = true};
  braid_speaker_detector_init(&obs->detector);
}

void braid_audio_level_observer_cleanup(braid_audio_level_observer_t *obs) {
  while (obs->slots != NULL)
    braid_audio_level_observer_remove(obs->slots);
}

int braid_audio_level_observer_add(braid_audio_level_observer_t *obs, const char *producer_id,
                                   braid_audio_level_slot_t **ref) {
  *ref = NULL;
  if (obs->nslots >= BRAID_AUDIO_LEVEL_MAX_PRODUCERS) return BRAID_ELIMIT;
  braid_audio_level_slot_t *s = braid_xcalloc(1, sizeof *s);
  s->producer_id = producer_id;
  s->ref = ref;
  s->obs = obs;
  s->next = obs->slots;
  obs->slots = s;
  obs->nslots++;
  *ref = s;
  return 0;
}

void braid_audio_level_observer_remove(braid_audio_level_slot_t *slot) {
  if (slot == NULL) return;
  braid_audio_level_observer_t *obs = slot->obs;
  for (braid_audio_level_slot_t **pp = &obs->slots; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == slot) {
      *pp = slot->next;
      obs->nslots--;
      break;
    }
  }
  braid_speaker_detector_forget(&obs->detector, &slot->speaker);
  *slot->ref = NULL;
  braid_free(slot);
}

/* Inserts e into the first *n entries of out (loudest first), keeping at
 * most BRAID_AUDIO_LEVEL_MAX_ENTRIES: an insertion sort, as the list is
 * short and most intervals have one or two speakers. Equal volumes keep
 * their order of arrival. */
static void insert_entry(braid_audio_level_entry_t *out, size_t *n, braid_audio_level_entry_t e) {
  size_t i = *n;
  if (i == BRAID_AUDIO_LEVEL_MAX_ENTRIES) {
    if (e.volume <= out[i - 1].volume) return; /* quieter than all we keep */
    i--;                                       /* the quietest makes room */
  } else {
    (*n)++;
  }
  while (i > 0 && out[i - 1].volume < e.volume) {
    out[i] = out[i - 1];
    i--;
  }
  out[i] = e;
}

/* The interval's report (mediasoup's AudioLevelObserver::Update()). */
static void report(braid_audio_level_observer_t *obs, braid_audio_level_result_t *out) {
  for (braid_audio_level_slot_t *s = obs->slots; s != NULL; s = s->next) {
    uint64_t sum = s->interval_sum, count = s->interval_count;
    s->interval_sum = s->interval_count = 0;
    if (count < BRAID_AUDIO_LEVEL_MIN_PACKETS) continue;
    int volume = -(int)average(sum, count);
    if (volume < BRAID_AUDIO_LEVEL_THRESHOLD_DBOV) continue;
    insert_entry(
        out->entries, &out->n,
        (braid_audio_level_entry_t){.producer_id = s->producer_id, .volume = (int8_t)volume});
  }
  if (out->n > 0) {
    obs->silent = false;
    out->report = true;
  } else if (!obs->silent) {
    obs->silent = true; /* once per quiet spell */
    out->report = true;
  }
}

void braid_audio_level_observer_tick(braid_audio_level_observer_t *obs, int64_t now_ms,
                                     braid_audio_level_result_t *out) {
  out->report = false;
  out->n = 0;
  out->dominant = out->current = NULL;
  braid_speaker_detector_begin(&obs->detector, now_ms);
  for (braid_audio_level_slot_t *s = obs->slots; s != NULL; s = s->next) {
    braid_speaker_detector_feed(&obs->detector, &s->speaker,
                                s->count > 0 ? (int)average(s->sum, s->count) : -1);
    s->interval_sum += s->sum;
    s->interval_count += s->count;
    s->sum = s->count = 0;
  }
  const braid_speaker_t *dominant = braid_speaker_detector_end(&obs->detector);
  if (dominant != NULL) out->dominant = slot_of(dominant)->producer_id;

  if (obs->next_report_ms == INT64_MIN) {
    /* The first interval starts with the first tick. */
    obs->next_report_ms = now_ms + BRAID_AUDIO_LEVEL_INTERVAL_MS;
    return;
  }
  /* Half a tick early is on time: ticks come from a repeating timer whose
   * reading of the clock may lag a millisecond behind the cadence. */
  if (now_ms + BRAID_AUDIO_LEVEL_TICK_MS / 2 < obs->next_report_ms) return;
  report(obs, out);
  dominant = braid_speaker_detector_dominant(&obs->detector);
  if (out->report && dominant != NULL) out->current = slot_of(dominant)->producer_id;
  /* Keep the cadence; after a stall, start again from now. */
  obs->next_report_ms += BRAID_AUDIO_LEVEL_INTERVAL_MS;
  if (obs->next_report_ms <= now_ms) obs->next_report_ms = now_ms + BRAID_AUDIO_LEVEL_INTERVAL_MS;
}
