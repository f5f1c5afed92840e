/* Unit tests of mediad/rtc/speaker_detector.c with a fake clock: the first
 * speaker takes the floor at once, a challenger needs a clear and
 * sustained lead, short bursts and crosstalk do not switch, silence never
 * clears the dominant speaker, and forgetting a speaker drops every
 * reference to it. */
#include "mediad/rtc/speaker_detector.h"

#include "tests/test.h"

#define SILENT 127  /* -127 dBov */
#define NONE   (-1) /* no packets in the round */

/* A room of up to four speakers and its clock (200 ms rounds). */
typedef struct room {
  braid_speaker_detector_t d;
  braid_speaker_t s[4];
  int n;
  int64_t now;
} room_t;

static void room_init(room_t *r, int n) {
  *r = (room_t){.n = n, .now = 1000};
  braid_speaker_detector_init(&r->d);
}

/* One round: speaker i sends levels[i]. Returns the index of the new
 * dominant speaker, or -1 when it did not change. */
static int round_of(room_t *r, const int *levels) {
  braid_speaker_detector_begin(&r->d, r->now);
  for (int i = 0; i < r->n; i++)
    braid_speaker_detector_feed(&r->d, &r->s[i], levels[i]);
  const braid_speaker_t *d = braid_speaker_detector_end(&r->d);
  r->now += 200;
  return d == NULL ? -1 : (int)(d - r->s);
}

/* Runs rounds for ms with the same levels; returns the last change (-1:
 * none) and counts changes in *changes. */
static int run(room_t *r, int ms, const int *levels, int *changes) {
  int last = -1;
  for (int t = 0; t < ms; t += 200) {
    int c = round_of(r, levels);
    if (c >= 0) {
      last = c;
      if (changes) (*changes)++;
    }
  }
  return last;
}

static int dominant(const room_t *r) {
  const braid_speaker_t *d = braid_speaker_detector_dominant(&r->d);
  return d == NULL ? -1 : (int)(d - r->s);
}

BRAID_TEST(nobody_speaks_nobody_is_dominant) {
  room_t r;
  room_init(&r, 3);
  int changes = 0;
  run(&r, 5000, (int[]){SILENT, NONE, 85}, &changes); /* 85: under the -80 dBov floor */
  ASSERT_EQ(changes, 0);
  ASSERT_EQ(dominant(&r), -1);
  ASSERT(r.s[2].activity == 0.0f);
}

BRAID_TEST(first_speaker_takes_the_floor_at_once) {
  room_t r;
  room_init(&r, 3);
  /* -30 dBov: 50 dB above the floor; the average passes 10 in one round
   * (200 / 700 of 50 = 14.3). */
  ASSERT_EQ(round_of(&r, (int[]){SILENT, 30, SILENT}), 1);
  ASSERT_EQ(dominant(&r), 1);
  int changes = 0;
  run(&r, 3000, (int[]){SILENT, 30, SILENT}, &changes);
  ASSERT_EQ(changes, 0); /* announced once */
  ASSERT(r.s[1].activity > 45.0f && r.s[1].activity <= 50.0f);
}

BRAID_TEST(a_faint_voice_does_not_take_the_floor) {
  room_t r;
  room_init(&r, 2);
  /* -75 dBov: 5 dB above the floor, under the 10 dB needed. */
  int changes = 0;
  run(&r, 5000, (int[]){75, SILENT}, &changes);
  ASSERT_EQ(changes, 0);
  ASSERT_EQ(dominant(&r), -1);
}

BRAID_TEST(challenger_takes_over_after_a_sustained_lead) {
  room_t r;
  room_init(&r, 3);
  run(&r, 2000, (int[]){30, SILENT, SILENT}, NULL);
  ASSERT_EQ(dominant(&r), 0);
  /* 0 stops, 2 starts: within a round or two 2 leads by the margin, and
   * takes over once it has led for the hold time; not before. */
  int64_t start = r.now;
  int64_t switched = -1;
  for (int i = 0; i < 20 && switched < 0; i++)
    if (round_of(&r, (int[]){SILENT, SILENT, 30}) == 2) switched = r.now - 200;
  ASSERT(switched > 0);
  ASSERT(switched - start >= BRAID_SPEAKER_DETECTOR_HOLD_MS);
  ASSERT(switched - start <= BRAID_SPEAKER_DETECTOR_HOLD_MS + 600);
  ASSERT_EQ(dominant(&r), 2);
}

BRAID_TEST(short_bursts_do_not_switch) {
  room_t r;
  room_init(&r, 2);
  run(&r, 2000, (int[]){40, SILENT}, NULL); /* 0 talks at -40 dBov */
  ASSERT_EQ(dominant(&r), 0);
  /* 1 interjects loudly for 600 ms, three times, while 0 keeps talking. */
  int changes = 0;
  for (int k = 0; k < 3; k++) {
    run(&r, 600, (int[]){40, 10}, &changes);
    run(&r, 1400, (int[]){40, SILENT}, &changes);
  }
  ASSERT_EQ(changes, 0);
  ASSERT_EQ(dominant(&r), 0);
}

BRAID_TEST(equal_voices_do_not_flicker) {
  room_t r;
  room_init(&r, 2);
  run(&r, 1000, (int[]){30, SILENT}, NULL);
  ASSERT_EQ(dominant(&r), 0);
  /* Both talk at once at the same level, then alternate every 400 ms
   * (crosstalk): nobody leads for a whole second. */
  int changes = 0;
  run(&r, 3000, (int[]){30, 30}, &changes);
  for (int k = 0; k < 5; k++) {
    run(&r, 400, (int[]){SILENT, 30}, &changes);
    run(&r, 400, (int[]){30, SILENT}, &changes);
  }
  ASSERT_EQ(changes, 0);
  ASSERT_EQ(dominant(&r), 0);
}

BRAID_TEST(an_interrupted_lead_restarts_the_clock) {
  room_t r;
  room_init(&r, 3);
  run(&r, 2000, (int[]){30, SILENT, SILENT}, NULL);
  /* 1 leads for 800 ms, then 2 leads: the clock restarts for 2. */
  int changes = 0;
  run(&r, 800, (int[]){SILENT, 20, SILENT}, &changes);
  ASSERT_EQ(changes, 0);
  run(&r, 600, (int[]){SILENT, SILENT, 5}, &changes);
  ASSERT_EQ(changes, 0);
  ASSERT_EQ(dominant(&r), 0);
  ASSERT_EQ(run(&r, 2000, (int[]){SILENT, SILENT, 5}, &changes), 2);
  ASSERT_EQ(changes, 1);
}

BRAID_TEST(silence_keeps_the_dominant_speaker) {
  room_t r;
  room_init(&r, 2);
  run(&r, 1000, (int[]){30, SILENT}, NULL);
  run(&r, 400, (int[]){SILENT, 30}, NULL); /* 1 spoke last, but briefly */
  int changes = 0;
  run(&r, 20000, (int[]){NONE, SILENT}, &changes);
  ASSERT_EQ(changes, 0);
  ASSERT_EQ(dominant(&r), 0);
  ASSERT(r.s[0].activity < 0.01f && r.s[1].activity < 0.01f);
  /* After the silence, the dominant speaker talking again changes nothing;
   * the other one takes over only with a lead. */
  run(&r, 1000, (int[]){30, SILENT}, &changes);
  ASSERT_EQ(changes, 0);
  ASSERT_EQ(run(&r, 3000, (int[]){SILENT, 30}, &changes), 1);
}

BRAID_TEST(forgetting_the_dominant_speaker) {
  room_t r;
  room_init(&r, 3);
  run(&r, 1000, (int[]){30, SILENT, SILENT}, NULL);
  run(&r, 600, (int[]){SILENT, 30, SILENT}, NULL); /* 1 is challenging */
  ASSERT(r.d.challenger == &r.s[1]);
  braid_speaker_detector_forget(&r.d, &r.s[1]);
  ASSERT(r.d.challenger == NULL);
  braid_speaker_detector_forget(&r.d, &r.s[0]);
  ASSERT_EQ(dominant(&r), -1);
  /* Their memory is reused by new, silent speakers: the first voice takes
   * over. */
  r.s[0] = r.s[1] = (braid_speaker_t){0};
  ASSERT_EQ(round_of(&r, (int[]){NONE, SILENT, 20}), 2);
}

BRAID_TEST(rounds_weigh_by_their_length) {
  braid_speaker_detector_t d;
  braid_speaker_t s = {0};
  braid_speaker_detector_init(&d);
  /* A first round counts as 200 ms: 200/700 of 50. */
  braid_speaker_detector_begin(&d, 0);
  braid_speaker_detector_feed(&d, &s, 30);
  braid_speaker_detector_end(&d);
  ASSERT(s.activity > 14.2f && s.activity < 14.4f);
  /* A round after a 10 s stall weighs at most 1000 ms (1000/1500). */
  float before = s.activity;
  braid_speaker_detector_begin(&d, 10000);
  braid_speaker_detector_feed(&d, &s, SILENT);
  braid_speaker_detector_end(&d);
  ASSERT(s.activity > before / 3.0f - 0.01f && s.activity < before / 3.0f + 0.01f);
  /* A round at the same time weighs nothing. */
  before = s.activity;
  braid_speaker_detector_begin(&d, 10000);
  braid_speaker_detector_feed(&d, &s, 0);
  braid_speaker_detector_end(&d);
  ASSERT(s.activity == before);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(nobody_speaks_nobody_is_dominant)
                    BRAID_TEST_ENTRY(first_speaker_takes_the_floor_at_once)
                        BRAID_TEST_ENTRY(a_faint_voice_does_not_take_the_floor)
                            BRAID_TEST_ENTRY(challenger_takes_over_after_a_sustained_lead)
                                BRAID_TEST_ENTRY(short_bursts_do_not_switch)
                                    BRAID_TEST_ENTRY(equal_voices_do_not_flicker)
                                        BRAID_TEST_ENTRY(an_interrupted_lead_restarts_the_clock)
                                            BRAID_TEST_ENTRY(silence_keeps_the_dominant_speaker)
                                                BRAID_TEST_ENTRY(forgetting_the_dominant_speaker)
                                                    BRAID_TEST_ENTRY(rounds_weigh_by_their_length))
