/* Unit tests of the core of controller/room/speakers.c (included, STYLE.md
 * rule 38), without a controller: what each room event makes the clients
 * hear (spk_out_t) with a fake clock. Owners come from producer.new
 * events, as when the producers were made while this controller had
 * peers in the room. */
#include "controller/room/speakers.c"

#include "tests/test.h"

/* Defined by controller/main.c, which the test does not link; no key is
 * built here (there is no controller). */
const char *braid_ctl_key(const braid_ctl_t *ctl, char *buf, size_t size, const char *fmt, ...) {
  (void)ctl, (void)fmt;
  if (size > 0) buf[0] = '\0';
  return buf;
}

static int64_t now = 100000;

/* What each fake daemon's router last named its dominant speaker: its
 * reports say it again, as mediad's do. */
static struct {
  char router[16];
  char producer[16];
} named[8];

static const char *named_of(const char *router) {
  for (size_t i = 0; i < 8; i++)
    if (strcmp(named[i].router, router) == 0) return named[i].producer;
  return "";
}

static void name(const char *router, const char *producer) {
  size_t i = 0;
  while (i < 7 && named[i].router[0] != '\0' && strcmp(named[i].router, router) != 0)
    i++;
  snprintf(named[i].router, sizeof named[i].router, "%s", router);
  snprintf(named[i].producer, sizeof named[i].producer, "%s", producer);
}

static braid_event_t volumes_ev(const char *router, size_t n, const char *const *producers,
                                const int *volumes) {
  braid_event_t ev = {.type = BRAID_EV_ROUTER_VOLUMES,
                      .room_id = BRAID_STR_LIT("room"),
                      .router_id = braid_str_c(router),
                      .producer_id = braid_str_c(named_of(router)),
                      .nvolumes = n};
  for (size_t i = 0; i < n; i++)
    ev.volumes[i] = (braid_event_volume_t){braid_str_c(producers[i]), volumes[i]};
  return ev;
}

/* router.volumes from router with one (producer, volume), or silence
 * (producer NULL). */
static void report(braid_speakers_t *s, const char *router, const char *producer, int volume,
                   spk_out_t *out) {
  braid_event_t ev = volumes_ev(router, producer ? 1 : 0, &producer, &volume);
  handle(s, &ev, now, out);
}

static void dominant(braid_speakers_t *s, const char *router, const char *producer,
                     spk_out_t *out) {
  name(router, producer);
  braid_event_t ev = {.type = BRAID_EV_ROUTER_DOMINANT_SPEAKER,
                      .room_id = BRAID_STR_LIT("room"),
                      .router_id = braid_str_c(router),
                      .producer_id = braid_str_c(producer)};
  handle(s, &ev, now, out);
}

static void producer_event(braid_speakers_t *s, braid_event_type_t type, const char *producer,
                           const char *peer) {
  spk_out_t out;
  braid_event_t ev = {.type = type,
                      .room_id = BRAID_STR_LIT("room"),
                      .producer_id = braid_str_c(producer),
                      .peer_id = braid_str_c(peer),
                      .reason = BRAID_STR_LIT("closed")};
  handle(s, &ev, now, &out);
  ASSERT(!out.volumes && !out.silence && out.announce == NULL);
}

/* A room with alice (mic pa), bob (pb) and carol (pc). */
static braid_speakers_t *room3(void) {
  braid_speakers_t *s = braid_speakers_new(NULL, "room");
  producer_event(s, BRAID_EV_PRODUCER_NEW, "pa", "alice");
  producer_event(s, BRAID_EV_PRODUCER_NEW, "pb", "bob");
  producer_event(s, BRAID_EV_PRODUCER_NEW, "pc", "carol");
  return s;
}

BRAID_TEST(one_router_speech_dominant_and_silence) {
  braid_speakers_t *s = room3();
  spk_out_t out;
  /* The daemon names alice dominant, then reports her volume. */
  dominant(s, "r1", "pa", &out);
  ASSERT_STR_EQ(out.announce, "alice");
  ASSERT(!out.volumes && !out.silence);
  report(s, "r1", "pa", -20, &out);
  ASSERT(out.volumes && out.n == 1 && out.announce == NULL);
  ASSERT_STR_EQ(out.v[0].peer, "alice");
  ASSERT_EQ(out.v[0].volume, -20);
  /* Every report while she speaks. */
  now += 800;
  report(s, "r1", "pa", -25, &out);
  ASSERT(out.volumes && out.v[0].volume == -25);
  /* Silence: once; the current dialect's activeSpeaker is cleared. */
  now += 800;
  report(s, "r1", NULL, 0, &out);
  ASSERT(out.silence && !out.volumes && out.announce == NULL);
  now += 800;
  report(s, "r1", NULL, 0, &out);
  ASSERT(!out.silence && !out.volumes);
  /* She speaks again: the dominant speaker (unchanged at the daemon) is
   * told again, with the volumes. */
  now += 3000;
  report(s, "r1", "pa", -30, &out);
  ASSERT(out.volumes);
  ASSERT_STR_EQ(out.announce, "alice");
  /* A peer joins: alice is told again (to all) at the next report. */
  braid_event_t joined = {.type = BRAID_EV_PEER_JOINED,
                          .room_id = BRAID_STR_LIT("room"),
                          .peer_id = BRAID_STR_LIT("dave")};
  handle(s, &joined, now, &out);
  ASSERT(!out.volumes && !out.silence && out.announce == NULL);
  now += 800;
  report(s, "r1", "pa", -30, &out);
  ASSERT_STR_EQ(out.announce, "alice");
  now += 800;
  report(s, "r1", "pa", -30, &out);
  ASSERT(out.announce == NULL);
  /* Bob takes over at the daemon: told at once. */
  dominant(s, "r1", "pb", &out);
  ASSERT_STR_EQ(out.announce, "bob");
  /* Silence; then carol speaks while bob, still the dominant speaker at
   * the daemon, stays quiet: bob is not shown again. */
  now += 800;
  report(s, "r1", NULL, 0, &out);
  ASSERT(out.silence);
  now += 800;
  report(s, "r1", "pc", -30, &out);
  ASSERT(out.volumes && out.announce == NULL);
  /* bob speaks too: shown again. */
  static const char *const both[] = {"pc", "pb"};
  braid_event_t ev = volumes_ev("r1", 2, both, (const int[]){-30, -35});
  now += 800;
  handle(s, &ev, now, &out);
  ASSERT_STR_EQ(out.announce, "bob");
  braid_speakers_free(s);
}

BRAID_TEST(loudest_first_one_entry_per_peer) {
  braid_speakers_t *s = room3();
  producer_event(s, BRAID_EV_PRODUCER_NEW, "pa2", "alice"); /* a second microphone */
  spk_out_t out;
  static const char *const ps[] = {"pb", "pa2", "pc", "pa"};
  static const int vs[] = {-10, -15, -40, -50};
  braid_event_t ev = volumes_ev("r1", 4, ps, vs);
  handle(s, &ev, now, &out);
  ASSERT(out.volumes);
  ASSERT_EQ(out.n, 3);
  ASSERT_STR_EQ(out.v[0].peer, "bob");
  ASSERT_STR_EQ(out.v[1].peer, "alice");
  ASSERT_EQ(out.v[1].volume, -15); /* her louder producer */
  ASSERT_STR_EQ(out.v[2].peer, "carol");
  braid_speakers_free(s);
}

BRAID_TEST(unknown_producers_are_neither_speech_nor_silence) {
  braid_speakers_t *s = room3();
  spk_out_t out;
  report(s, "r1", "pa", -20, &out);
  ASSERT(out.volumes);
  /* Alice stops, and a producer nobody announced yet speaks: no silence. */
  now += 800;
  report(s, "r1", "px", -20, &out);
  ASSERT(!out.volumes && !out.silence);
  /* Its owner becomes known: it counts from the next report. */
  producer_event(s, BRAID_EV_PRODUCER_NEW, "px", "dave");
  now += 800;
  report(s, "r1", "px", -20, &out);
  ASSERT(out.volumes);
  ASSERT_STR_EQ(out.v[0].peer, "dave");
  /* Closed: forgotten. */
  producer_event(s, BRAID_EV_PRODUCER_CLOSED, "px", NULL);
  now += 800;
  report(s, "r1", "px", -20, &out);
  ASSERT(!out.volumes && !out.silence);
  braid_speakers_free(s);
}

BRAID_TEST(two_routers_combine_without_flicker) {
  braid_speakers_t *s = room3();
  spk_out_t out;
  /* alice on r1 at -20, bob on r2 at -40; reports alternate. */
  for (int i = 0; i < 6; i++) {
    report(s, "r1", "pa", -20, &out);
    ASSERT(out.volumes && out.n >= 1);
    ASSERT_STR_EQ(out.v[0].peer, "alice");
    now += 400;
    report(s, "r2", "pb", -40, &out);
    ASSERT(out.volumes);
    ASSERT_STR_EQ(out.v[0].peer, "alice"); /* r1's report is still fresh */
    if (i > 0) ASSERT_EQ(out.n, 2);
    now += 400;
  }
  /* r2 goes quiet: not silence while r1 speaks. */
  report(s, "r2", NULL, 0, &out);
  ASSERT(out.volumes && !out.silence && out.n == 1);
  /* r1 stops reporting altogether (its daemon died): its report ages out,
   * and the next report of r2 (silence again, say) makes the room quiet. */
  now += BRAID_SPEAKERS_FRESH_MS + 1;
  report(s, "r2", NULL, 0, &out);
  ASSERT(out.silence);
  braid_speakers_free(s);
}

BRAID_TEST(two_routers_dominant_speaker) {
  braid_speakers_t *s = room3();
  spk_out_t out;
  /* alice (r1) speaks first: the room's dominant speaker. */
  dominant(s, "r1", "pa", &out);
  ASSERT_STR_EQ(out.announce, "alice");
  report(s, "r1", "pa", -20, &out);
  /* bob (r2) becomes r2's dominant speaker while alice still speaks and
   * is louder: no change. */
  now += 400;
  dominant(s, "r2", "pb", &out);
  ASSERT(out.announce == NULL);
  for (int i = 0; i < 5; i++) {
    report(s, "r2", "pb", -30, &out);
    ASSERT(out.announce == NULL);
    now += 400;
    report(s, "r1", "pa", -20, &out);
    ASSERT(out.announce == NULL);
    now += 400;
  }
  /* bob gets louder by more than the margin: he takes over after the
   * hold time, not before. */
  int64_t start = now;
  const char *got = NULL;
  while (got == NULL && now - start < 5000) {
    report(s, "r2", "pb", -10, &out);
    got = out.announce;
    now += 400;
    if (got == NULL) {
      report(s, "r1", "pa", -20, &out);
      got = out.announce;
      now += 400;
    }
  }
  ASSERT_STR_EQ(got, "bob");
  ASSERT(now - start >= BRAID_SPEAKERS_HOLD_MS);
  ASSERT(now - start <= BRAID_SPEAKERS_HOLD_MS + 1600);
  braid_speakers_free(s);
}

BRAID_TEST(a_quiet_routers_dominant_yields_at_once) {
  braid_speakers_t *s = room3();
  spk_out_t out;
  dominant(s, "r1", "pa", &out);
  report(s, "r1", "pa", -20, &out);
  now += 800;
  report(s, "r1", NULL, 0, &out); /* alice went quiet */
  ASSERT(out.silence);
  /* Later carol, on r2, speaks: r1 has nothing fresh, so she takes over at
   * once, with the volumes. */
  now += 5000;
  dominant(s, "r2", "pc", &out);
  ASSERT_STR_EQ(out.announce, "carol");
  report(s, "r2", "pc", -25, &out);
  ASSERT(out.volumes && out.announce == NULL);
  /* bob, on r1, was named r1's dominant speaker earlier; carol goes quiet
   * and bob speaks: nobody speaks on r2 any more, so bob takes over at
   * r1's first report, without a new dominant speaker event. */
  dominant(s, "r1", "pb", &out);
  ASSERT(out.announce == NULL); /* carol speaks on r2 */
  now += 800;
  report(s, "r2", NULL, 0, &out);
  ASSERT(out.silence);
  now += 400;
  report(s, "r1", "pb", -25, &out);
  ASSERT(out.volumes);
  ASSERT_STR_EQ(out.announce, "bob");
  /* r1 closes (bob's daemon went away): bob stays until someone else is
   * named, here carol by r2. */
  braid_event_t closed = {.type = BRAID_EV_ROUTER_CLOSED,
                          .room_id = BRAID_STR_LIT("room"),
                          .router_id = BRAID_STR_LIT("r1"),
                          .node_id = BRAID_STR_LIT("n")};
  handle(s, &closed, now, &out);
  ASSERT(!out.volumes && !out.silence && out.announce == NULL);
  ASSERT_EQ(s->nrouters, 1);
  now += 400;
  dominant(s, "r2", "pc", &out);
  ASSERT_STR_EQ(out.announce, "carol");
  /* The dominant speaker's producer closes: the next one named takes over
   * at once, even from a router that was not the holder. */
  producer_event(s, BRAID_EV_PRODUCER_CLOSED, "pc", NULL);
  dominant(s, "r3", "pa", &out);
  ASSERT_STR_EQ(out.announce, "alice");
  braid_speakers_free(s);
}

BRAID_TEST(reports_name_the_dominant_speaker) {
  braid_speakers_t *s = room3();
  spk_out_t out;
  /* This controller started to follow the room after r1 named alice. */
  name("r1", "pa");
  report(s, "r1", "pa", -20, &out);
  ASSERT(out.volumes);
  ASSERT_STR_EQ(out.announce, "alice");
  now += 800;
  report(s, "r1", "pa", -20, &out);
  ASSERT(out.announce == NULL);
  /* A report with no dominant speaker forgets the router's. */
  name("r1", "");
  now += 800;
  report(s, "r1", "pb", -20, &out);
  ASSERT(out.volumes && out.announce == NULL);
  ASSERT_STR_EQ(s->routers[0]->dominant, "");
  braid_speakers_free(s);
}

BRAID_TEST(bounds) {
  braid_speakers_t *s = room3();
  spk_out_t out;
  /* More routers than kept: the stalest is replaced. */
  char id[16];
  for (int i = 0; i < BRAID_SPEAKERS_MAX_ROUTERS + 5; i++) {
    snprintf(id, sizeof id, "r%d", i);
    report(s, id, "pa", -20, &out);
    ASSERT(out.volumes);
    now += 1;
  }
  ASSERT_EQ(s->nrouters, BRAID_SPEAKERS_MAX_ROUTERS);
  ASSERT(router_find(s, BRAID_STR_LIT("r0")) == NULL);
  ASSERT(router_find(s, BRAID_STR_LIT("r68")) != NULL);
  /* Ids over their limits are ignored. */
  static char big[BRAID_ID_MAX + 2];
  memset(big, 'x', sizeof big - 1);
  report(s, big, "pa", -20, &out);
  ASSERT(!out.volumes && !out.silence);
  /* Owners: at most BRAID_SPEAKERS_MAX_OWNERS. */
  for (int i = 0; i < BRAID_SPEAKERS_MAX_OWNERS + 10; i++) {
    char p[16];
    snprintf(p, sizeof p, "p%d", i);
    producer_event(s, BRAID_EV_PRODUCER_NEW, p, "x");
  }
  ASSERT_EQ(braid_map_size(s->owners), BRAID_SPEAKERS_MAX_OWNERS);
  braid_speakers_free(s);
  braid_speakers_free(NULL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(one_router_speech_dominant_and_silence)
                    BRAID_TEST_ENTRY(loudest_first_one_entry_per_peer)
                        BRAID_TEST_ENTRY(unknown_producers_are_neither_speech_nor_silence)
                            BRAID_TEST_ENTRY(two_routers_combine_without_flicker)
                                BRAID_TEST_ENTRY(two_routers_dominant_speaker)
                                    BRAID_TEST_ENTRY(a_quiet_routers_dominant_yields_at_once)
                                        BRAID_TEST_ENTRY(reports_name_the_dominant_speaker)
                                            BRAID_TEST_ENTRY(bounds))
