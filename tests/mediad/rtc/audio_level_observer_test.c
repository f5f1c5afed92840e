/* Unit tests of mediad/rtc/audio_level_observer.c with a fake clock: the
 * 800 ms cadence over 200 ms ticks, the average (rounded as mediasoup
 * does), the -80 dBov threshold and the 10-packet minimum, loudest first
 * and at most BRAID_AUDIO_LEVEL_MAX_ENTRIES, silence once per quiet
 * spell, the dominant speaker, and the slots' ownership. */
#include "mediad/rtc/audio_level_observer.h"

#include "common/err.h"
#include "tests/test.h"

/* An observer, its clock and what its last tick said. */
typedef struct obs_fixture {
  braid_audio_level_observer_t obs;
  braid_audio_level_result_t res;
  int64_t now;
} fx_t;

static void fx_init(fx_t *f) {
  braid_audio_level_observer_init(&f->obs);
  f->now = 5000;
}

/* n packets of level on slot s. */
static void packets(braid_audio_level_slot_t *s, int n, uint8_t level) {
  for (int i = 0; i < n; i++)
    braid_audio_level_slot_receive(s, level);
}

static void tick(fx_t *f) {
  braid_audio_level_observer_tick(&f->obs, f->now, &f->res);
  f->now += BRAID_AUDIO_LEVEL_TICK_MS;
}

/* Ticks until a report is due (at most two intervals); each tick slot s
 * (may be NULL) gets per_tick packets of level. Returns the ticks run. */
static int until_report(fx_t *f, braid_audio_level_slot_t *s, int per_tick, uint8_t level) {
  for (int i = 1; i <= 8; i++) {
    if (s != NULL) packets(s, per_tick, level);
    tick(f);
    if (f->res.report) return i;
  }
  return -1;
}

BRAID_TEST(reports_every_interval_while_someone_speaks) {
  fx_t f;
  braid_audio_level_slot_t *a = NULL;
  fx_init(&f);
  ASSERT_EQ(braid_audio_level_observer_add(&f.obs, "A", &a), 0);
  ASSERT(a != NULL && f.obs.nslots == 1);
  tick(&f); /* the first tick starts the first interval */
  ASSERT(!f.res.report);
  /* 10 packets a tick (20 ms opus frames over 200 ms). */
  ASSERT_EQ(until_report(&f, a, 10, 30), 4);
  ASSERT_EQ(f.res.n, 1);
  ASSERT_STR_EQ(f.res.entries[0].producer_id, "A");
  ASSERT_EQ(f.res.entries[0].volume, -30);
  ASSERT_STR_EQ(f.res.current, "A"); /* each report names the dominant speaker */
  tick(&f);
  ASSERT(!f.res.report && f.res.current == NULL);
  ASSERT_EQ(until_report(&f, a, 10, 30), 3);
  for (int k = 0; k < 5; k++)
    ASSERT_EQ(until_report(&f, a, 10, 30), 4);
  /* Ticks that read the clock a little late keep the cadence; a stalled
   * loop restarts it. */
  f.now += 3;
  ASSERT_EQ(until_report(&f, a, 10, 30), 4);
  f.now += 5000;
  ASSERT_EQ(until_report(&f, a, 10, 30), 1);
  ASSERT_EQ(until_report(&f, a, 10, 30), 4);
  braid_audio_level_observer_cleanup(&f.obs);
  ASSERT(a == NULL);
}

BRAID_TEST(average_threshold_and_minimum) {
  fx_t f;
  braid_audio_level_slot_t *s[5];
  fx_init(&f);
  const char *ids[] = {"round", "down", "quiet", "few", "edge"};
  for (int i = 0; i < 5; i++)
    ASSERT_EQ(braid_audio_level_observer_add(&f.obs, ids[i], &s[i]), 0);
  tick(&f);
  /* "round": 20 packets at 40 and 20 at 41: 40.5 rounds half up to 41.
   * "down": 30 at 40 and 10 at 41: 40.25 -> 40. "quiet": -81 dBov, under
   * the threshold. "few": 9 packets only. "edge": exactly -80 dBov. */
  packets(s[0], 20, 40);
  packets(s[0], 20, 41);
  packets(s[1], 30, 40);
  packets(s[1], 10, 41);
  packets(s[2], 40, 81);
  packets(s[3], 9, 0);
  packets(s[4], 10, 80);
  ASSERT_EQ(until_report(&f, NULL, 0, 0), 4);
  ASSERT_EQ(f.res.n, 3);
  ASSERT_STR_EQ(f.res.entries[0].producer_id, "down");
  ASSERT_EQ(f.res.entries[0].volume, -40);
  ASSERT_STR_EQ(f.res.entries[1].producer_id, "round");
  ASSERT_EQ(f.res.entries[1].volume, -41);
  ASSERT_STR_EQ(f.res.entries[2].producer_id, "edge");
  ASSERT_EQ(f.res.entries[2].volume, -80);
  /* The counts start again with each interval: 9 + 1 across two
   * intervals is still too few. */
  packets(s[3], 1, 0);
  ASSERT_EQ(until_report(&f, NULL, 0, 0), 4);
  ASSERT_EQ(f.res.n, 0); /* silence */
  braid_audio_level_observer_cleanup(&f.obs);
}

BRAID_TEST(loudest_first_and_at_most_max_entries) {
  fx_t f;
  enum { N = BRAID_AUDIO_LEVEL_MAX_ENTRIES + 8 };
  braid_audio_level_slot_t *s[N];
  char ids[N][8];
  fx_init(&f);
  for (int i = 0; i < N; i++) {
    snprintf(ids[i], sizeof ids[i], "p%d", i);
    ASSERT_EQ(braid_audio_level_observer_add(&f.obs, ids[i], &s[i]), 0);
  }
  tick(&f);
  /* Levels 20 + (i * 7) % N: a permutation of 20..20+N-1, one per
   * producer, so the order is known: -20, -21, ... */
  for (int i = 0; i < N; i++)
    packets(s[i], 12, (uint8_t)(20 + (i * 7) % N));
  ASSERT_EQ(until_report(&f, NULL, 0, 0), 4);
  ASSERT_EQ(f.res.n, BRAID_AUDIO_LEVEL_MAX_ENTRIES);
  for (size_t k = 0; k < f.res.n; k++) {
    ASSERT_EQ(f.res.entries[k].volume, -20 - (int)k);
    int i = atoi(f.res.entries[k].producer_id + 1);
    ASSERT_EQ(20 + (i * 7) % N, 20 + (int)k);
  }
  /* Equal volumes: all kept (up to the maximum), in slot order. */
  for (int i = 0; i < 3; i++)
    packets(s[i], 10, 50);
  ASSERT_EQ(until_report(&f, NULL, 0, 0), 4);
  ASSERT_EQ(f.res.n, 3);
  for (int k = 0; k < 3; k++)
    ASSERT_EQ(f.res.entries[k].volume, -50);
  braid_audio_level_observer_cleanup(&f.obs);
}

BRAID_TEST(silence_once_per_quiet_spell) {
  fx_t f;
  braid_audio_level_slot_t *a;
  fx_init(&f);
  ASSERT_EQ(braid_audio_level_observer_add(&f.obs, "A", &a), 0);
  /* Nobody spoke yet: no report at all, however long. */
  for (int i = 0; i < 37; i++) { /* ends on a report's tick (the 37th) */
    packets(a, 10, 127);
    tick(&f);
    ASSERT(!f.res.report);
  }
  ASSERT_EQ(until_report(&f, a, 10, 20), 4);
  ASSERT_EQ(f.res.n, 1);
  /* Quiet: one empty report, then nothing. */
  ASSERT_EQ(until_report(&f, a, 10, 127), 4);
  ASSERT_EQ(f.res.n, 0);
  ASSERT_EQ(until_report(&f, a, 10, 127), -1);
  ASSERT_EQ(until_report(&f, NULL, 0, 0), -1); /* no packets (DTX): quiet too */
  /* Speaking again, then quiet again: another silence. */
  ASSERT_EQ(until_report(&f, a, 10, 20), 4);
  ASSERT_EQ(f.res.n, 1);
  ASSERT_EQ(until_report(&f, a, 10, 127), 4);
  ASSERT_EQ(f.res.n, 0);
  braid_audio_level_observer_cleanup(&f.obs);
}

BRAID_TEST(dominant_speaker_is_reported_by_producer) {
  fx_t f;
  braid_audio_level_slot_t *a, *b;
  fx_init(&f);
  ASSERT_EQ(braid_audio_level_observer_add(&f.obs, "A", &a), 0);
  ASSERT_EQ(braid_audio_level_observer_add(&f.obs, "B", &b), 0);
  /* A speaks: dominant at the first tick that saw its packets. */
  packets(a, 10, 30);
  packets(b, 10, 127);
  tick(&f);
  ASSERT_STR_EQ(f.res.dominant, "A");
  int changes = 0;
  const char *last = NULL;
  /* A goes quiet and B speaks: B takes over after the hold time. */
  for (int i = 0; i < 15; i++) {
    packets(a, 10, 127);
    packets(b, 10, 25);
    tick(&f);
    if (f.res.dominant) {
      changes++;
      last = f.res.dominant;
    }
  }
  ASSERT_EQ(changes, 1);
  ASSERT_STR_EQ(last, "B");
  /* The dominant producer goes: no report, and the next voice takes over
   * at once. */
  braid_audio_level_observer_remove(b);
  ASSERT(b == NULL);
  packets(a, 10, 30);
  tick(&f);
  ASSERT_STR_EQ(f.res.dominant, "A");
  braid_audio_level_observer_cleanup(&f.obs);
}

BRAID_TEST(slots_ownership_and_limit) {
  braid_audio_level_observer_t obs;
  static braid_audio_level_slot_t *refs[BRAID_AUDIO_LEVEL_MAX_PRODUCERS + 1];
  braid_audio_level_observer_init(&obs);
  for (int i = 0; i < BRAID_AUDIO_LEVEL_MAX_PRODUCERS; i++)
    ASSERT_EQ(braid_audio_level_observer_add(&obs, "x", &refs[i]), 0);
  refs[BRAID_AUDIO_LEVEL_MAX_PRODUCERS] = (braid_audio_level_slot_t *)&obs; /* not NULL */
  ASSERT_EQ(braid_audio_level_observer_add(&obs, "x", &refs[BRAID_AUDIO_LEVEL_MAX_PRODUCERS]),
            BRAID_ELIMIT);
  ASSERT(refs[BRAID_AUDIO_LEVEL_MAX_PRODUCERS] == NULL);
  /* Removing from the middle, then NULL. */
  braid_audio_level_observer_remove(refs[100]);
  ASSERT(refs[100] == NULL);
  ASSERT_EQ(obs.nslots, BRAID_AUDIO_LEVEL_MAX_PRODUCERS - 1);
  braid_audio_level_observer_remove(NULL);
  ASSERT_EQ(braid_audio_level_observer_add(&obs, "y", &refs[100]), 0);
  /* Cleanup frees every slot and clears every owner's pointer. */
  braid_audio_level_observer_cleanup(&obs);
  ASSERT_EQ(obs.nslots, 0);
  for (int i = 0; i < BRAID_AUDIO_LEVEL_MAX_PRODUCERS; i++)
    ASSERT(refs[i] == NULL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(reports_every_interval_while_someone_speaks)
                    BRAID_TEST_ENTRY(average_threshold_and_minimum)
                        BRAID_TEST_ENTRY(loudest_first_and_at_most_max_entries)
                            BRAID_TEST_ENTRY(silence_once_per_quiet_spell)
                                BRAID_TEST_ENTRY(dominant_speaker_is_reported_by_producer)
                                    BRAID_TEST_ENTRY(slots_ownership_and_limit))
