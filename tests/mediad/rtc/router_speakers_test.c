/* Unit tests of mediad/rtc/router_speakers.c on the forwarding harness:
 * which producers a router measures (audio with the level extension, not
 * video, not without the extension, not a pipe's), the levels the packet
 * path adds (not while paused), the events a tick publishes
 * (router.volumes, router.dominant_speaker, the silence), and the slots'
 * life with their producers and routers.
 *
 * This binary defines braid_mediad_publish_event() itself, so the one of
 * mediad/channel/events.c is not linked in: every event is encoded,
 * decoded back and kept here. */
#include "mediad/rtc/router_speakers.h"

#include "common/buf.h"
#include "common/limits.h"
#include "mediad/channel/events.h"
#include "mediad/rtc/router.h"
#include "tests/mediad/rtc/fwd_harness.h"
#include "tests/test.h"

/* ---- the events published ------------------------------------------------- */

#define MAX_EVENTS 32

typedef struct seen_event {
  braid_event_type_t type;
  char router[BRAID_ID_MAX + 1];
  char producer[BRAID_ID_MAX + 1];
  size_t n;
  char producers[BRAID_EVENT_MAX_VOLUMES][BRAID_ID_MAX + 1];
  int volumes[BRAID_EVENT_MAX_VOLUMES];
} seen_event_t;

static seen_event_t seen[MAX_EVENTS];
static size_t nseen;

void braid_mediad_publish_event(braid_mediad_t *md, const braid_event_t *ev) {
  (void)md;
  braid_buf_t buf;
  braid_event_t back;
  ASSERT(nseen < MAX_EVENTS);
  braid_buf_init(&buf, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(ev, &buf), 0);
  ASSERT_EQ(braid_event_decode(&back, buf.data, buf.len, NULL), 0);
  seen_event_t *s = &seen[nseen++];
  memset(s, 0, sizeof *s);
  s->type = back.type;
  ASSERT(braid_str_eq(back.room_id, "room"));
  braid_str_copy(s->router, sizeof s->router, back.router_id);
  braid_str_copy(s->producer, sizeof s->producer, back.producer_id);
  s->n = back.nvolumes;
  for (size_t i = 0; i < back.nvolumes; i++) {
    braid_str_copy(s->producers[i], sizeof s->producers[i], back.volumes[i].producer_id);
    s->volumes[i] = back.volumes[i].volume;
  }
  braid_buf_cleanup(&buf);
}

/* ---- a daemon with router r1 (the harness's transports' router) ----------- */

static braid_router_t *with_router(fwd_world_t *w) {
  braid_router_t *r;
  bool created;
  w->md.routers = braid_router_registry_new();
  ASSERT_EQ(
      braid_router_create(w->md.routers, BRAID_STR_LIT("r1"), BRAID_STR_LIT("room"), &r, &created),
      0);
  return r;
}

static void world_cleanup(fwd_world_t *w) {
  fwd_world_cleanup(w);
  braid_router_registry_free(w->md.routers);
}

/* 200 ms of opus (10 packets of 20 ms) at level, then a tick. */
static uint16_t seq = 100;
static void talk_and_tick(fwd_world_t *w, uint8_t level) {
  for (int i = 0; i < 10; i++, seq++)
    fwd_send_opus(w, seq, 960u * seq, level);
  fwd_now_ms += BRAID_AUDIO_LEVEL_TICK_MS;
  braid_router_speakers_tick(&w->md, fwd_now_ms);
}

/* A transport kind named "pipe", as plain_transport.c names pipes. */
static uint8_t *no_buf(braid_transport_t *t, size_t *cap) {
  (void)t;
  *cap = 0;
  return NULL;
}
static int no_tx(braid_transport_t *t, size_t len) {
  (void)t;
  (void)len;
  return 0;
}
static const braid_transport_ops_t pipe_ops = {
    .kind = "pipe", .tx_buf = no_buf, .tx_rtp = no_tx, .tx_rtcp = no_tx};

/* ---- tests ---------------------------------------------------------------- */

BRAID_TEST(which_producers_are_measured) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_router_t *r = with_router(&w);
  braid_producer_t *mic = fwd_add_producer(&w, "mic", false, false);
  braid_producer_t *cam = fwd_add_producer(&w, "cam", true, false);
  braid_cmd_producer_create_t c = fwd_producer_cmd("mute", false, false);
  c.ext.audio_level = 0; /* not negotiated */
  c.encodings[0].ssrc = AUDIO_SSRC + 1;
  c.mid = BRAID_STR_LIT("2");
  braid_producer_t *mute = fwd_add_producer_cmd(&w, &c);
  ASSERT(mic->level_slot != NULL);
  ASSERT(cam->level_slot == NULL);
  ASSERT(mute->level_slot == NULL);
  /* A pipe's copy of a producer is measured by its origin. */
  braid_transport_t pipe;
  ASSERT_EQ(braid_transport_init(&pipe, &w.md, &pipe_ops, BRAID_STR_LIT("t-pipe"),
                                 BRAID_STR_LIT("r1"), BRAID_STR_LIT("room")),
            0);
  braid_producer_t *piped = NULL;
  c = fwd_producer_cmd("piped", false, false);
  c.transport_id = BRAID_STR_LIT("t-pipe");
  ASSERT_EQ(braid_producer_new(&piped, &pipe, &c, NULL), 0);
  ASSERT(piped->level_slot == NULL);
  ASSERT_EQ(r->levels.nslots, 1);
  braid_transport_cleanup(&pipe);
  /* Without a router of its id nothing is measured either. */
  fwd_world_t w2;
  fwd_world_init(&w2);
  w2.md.routers = braid_router_registry_new();
  ASSERT(fwd_add_producer(&w2, "mic", false, false)->level_slot == NULL);
  braid_router_speakers_tick(&w2.md, fwd_now_ms);
  world_cleanup(&w2);
  world_cleanup(&w);
  ASSERT_EQ(nseen, 0);
}

BRAID_TEST(levels_become_events) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_router_t *r = with_router(&w);
  braid_producer_t *mic = fwd_add_producer(&w, "mic", false, false);
  /* The packet path adds each packet's level (V bit masked off). */
  fwd_send_opus(&w, seq, 960u * seq, 0x80 | 33);
  seq++;
  ASSERT_EQ(mic->level_slot->count, 1);
  ASSERT_EQ(mic->level_slot->sum, 33);
  /* Speaking at -33 dBov: the dominant speaker at once, volumes every
   * 800 ms. */
  braid_router_speakers_tick(&w.md, fwd_now_ms); /* starts the interval */
  ASSERT_EQ(nseen, 1);
  ASSERT_EQ(seen[0].type, BRAID_EV_ROUTER_DOMINANT_SPEAKER);
  ASSERT_STR_EQ(seen[0].router, "r1");
  ASSERT_STR_EQ(seen[0].producer, "mic");
  for (int i = 0; i < 8; i++)
    talk_and_tick(&w, 33);
  ASSERT_EQ(nseen, 3);
  for (size_t i = 1; i < 3; i++) {
    ASSERT_EQ(seen[i].type, BRAID_EV_ROUTER_VOLUMES);
    ASSERT_STR_EQ(seen[i].router, "r1");
    ASSERT_STR_EQ(seen[i].producer, "mic"); /* the dominant speaker, said again */
    ASSERT_EQ(seen[i].n, 1);
    ASSERT_STR_EQ(seen[i].producers[0], "mic");
    ASSERT_EQ(seen[i].volumes[0], -33);
  }
  /* Paused: its packets count for nothing, so the room goes quiet: one
   * empty router.volumes, then nothing. */
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_PAUSE, "mic");
  for (int i = 0; i < 12; i++)
    talk_and_tick(&w, 33);
  ASSERT_EQ(nseen, 4);
  ASSERT_EQ(seen[3].type, BRAID_EV_ROUTER_VOLUMES);
  ASSERT_EQ(seen[3].n, 0);
  ASSERT_STR_EQ(seen[3].producer, "mic"); /* silence does not clear it */
  ASSERT_EQ(mic->level_slot->count, 0);
  /* Resumed but silent (-127 dBov): still quiet. */
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_RESUME, "mic");
  for (int i = 0; i < 8; i++)
    talk_and_tick(&w, 127);
  ASSERT_EQ(nseen, 4);
  /* The producer closes: its slot goes with it. */
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_CLOSE, "mic");
  ASSERT_EQ(r->levels.nslots, 0);
  world_cleanup(&w);
}

BRAID_TEST(router_closed_before_its_producers) {
  fwd_world_t w;
  fwd_world_init(&w);
  with_router(&w);
  braid_producer_t *mic = fwd_add_producer(&w, "mic", false, false);
  ASSERT(mic->level_slot != NULL);
  /* The router goes first (a test's order; the daemon closes transports
   * first): the producer is left unmeasured, never dangling. */
  ASSERT_EQ(braid_router_close(w.md.routers, BRAID_STR_LIT("r1")), 0);
  ASSERT(mic->level_slot == NULL);
  talk_and_tick(&w, 20);
  ASSERT_EQ(nseen, 0);
  world_cleanup(&w);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(which_producers_are_measured)
                    BRAID_TEST_ENTRY(levels_become_events)
                        BRAID_TEST_ENTRY(router_closed_before_its_producers))
