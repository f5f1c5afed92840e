/* Unit tests of controller/room/scores.c (included, STYLE.md rule 38)
 * without a controller: which local peer is told what for producer.score
 * and consumer.score events. The room's peers and what they are sent are
 * the test's own (braid_rooms_foreach_peer() and braid_peer_send() are
 * defined here). */
#include "controller/room/scores.c"

#include <jansson.h>

#include "tests/test.h"

#define NPEERS 3

static braid_peer_t peers[NPEERS];
static json_t *sent[NPEERS]; /* the notifications each peer got, in order */

void braid_rooms_foreach_peer(braid_rooms_t *rooms, const char *room_id,
                              void (*fn)(braid_peer_t *p, void *ud), void *ud) {
  (void)rooms;
  ASSERT_STR_EQ(room_id, "room");
  for (size_t i = 0; i < NPEERS; i++)
    fn(&peers[i], ud);
}

void braid_peer_send(braid_peer_t *p, char *text) {
  json_error_t err;
  json_t *msg = json_loads(text, 0, &err);
  ASSERT(msg != NULL);
  ASSERT(json_is_true(json_object_get(msg, "notification")));
  json_array_append_new(sent[p - peers], msg);
  free(text);
}

/* alice owns producer p1; bob consumes it (c-bob, announced); carol's
 * consumer of it (c-carol) was not announced yet. */
static void setup(void) {
  for (size_t i = 0; i < NPEERS; i++) {
    memset(&peers[i], 0, sizeof peers[i]);
    braid_peer_media_init(&peers[i].media, uv_default_loop());
    sent[i] = json_array();
  }
  ASSERT(braid_peer_media_add_producer(&peers[0].media, "p1", "n1") != NULL);
  braid_peer_consumer_t *c =
      braid_peer_media_add_consumer(&peers[1].media, "c-bob", "p1", "t", "n1");
  c->announced = true;
  ASSERT(braid_peer_media_add_consumer(&peers[2].media, "c-carol", "p1", "t", "n1") != NULL);
}

static void cleanup(void) {
  for (size_t i = 0; i < NPEERS; i++) {
    braid_peer_media_cleanup(&peers[i].media);
    json_decref(sent[i]);
  }
}

/* The data of peer i's only notification, which must be `method`. */
static json_t *only(size_t i, const char *method) {
  ASSERT_EQ(json_array_size(sent[i]), 1);
  json_t *n = json_array_get(sent[i], 0);
  ASSERT_STR_EQ(json_string_value(json_object_get(n, "method")), method);
  return json_object_get(n, "data");
}

BRAID_TEST(producer_score_goes_to_the_owner_only) {
  setup();
  braid_ctl_t ctl = {0};
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_SCORE,
                      .room_id = BRAID_STR_LIT("room"),
                      .producer_id = BRAID_STR_LIT("p1"),
                      .nscores = 2};
  ev.scores[0] = (braid_event_score_t){111, BRAID_STR_LIT("r0"), 10, 0};
  ev.scores[1] = (braid_event_score_t){222, BRAID_STR_LIT(""), 6, 1};
  braid_scores_on_event(&ctl, "room", &ev);
  json_t *d = only(0, "producerScore");
  ASSERT_STR_EQ(json_string_value(json_object_get(d, "producerId")), "p1");
  json_t *s = json_object_get(d, "score");
  ASSERT_EQ(json_array_size(s), 2);
  json_t *s0 = json_array_get(s, 0), *s1 = json_array_get(s, 1);
  ASSERT_EQ(json_integer_value(json_object_get(s0, "encodingIdx")), 0);
  ASSERT_EQ(json_integer_value(json_object_get(s0, "ssrc")), 111);
  ASSERT_STR_EQ(json_string_value(json_object_get(s0, "rid")), "r0");
  ASSERT_EQ(json_integer_value(json_object_get(s0, "score")), 10);
  ASSERT(json_object_get(s1, "rid") == NULL); /* none */
  ASSERT_EQ(json_integer_value(json_object_get(s1, "score")), 6);
  /* The consumers hear of their own score from consumer.score only. */
  ASSERT_EQ(json_array_size(sent[1]), 0);
  ASSERT_EQ(json_array_size(sent[2]), 0);
  cleanup();
}

BRAID_TEST(consumer_score_goes_to_the_consumer_once_announced) {
  setup();
  braid_ctl_t ctl = {0};
  braid_event_t ev = {.type = BRAID_EV_CONSUMER_SCORE,
                      .room_id = BRAID_STR_LIT("room"),
                      .consumer_id = BRAID_STR_LIT("c-bob"),
                      .score = 9,
                      .producer_score = 7,
                      .nscores = 3};
  ev.scores[0] = (braid_event_score_t){111, BRAID_STR_LIT("r0"), 10, 0};
  ev.scores[1] = (braid_event_score_t){222, BRAID_STR_LIT("r1"), 7, 1};
  ev.scores[2] = (braid_event_score_t){0, BRAID_STR_LIT("r2"), 0, 2};
  braid_scores_on_event(&ctl, "room", &ev);
  json_t *d = only(1, "consumerScore");
  ASSERT_STR_EQ(json_string_value(json_object_get(d, "consumerId")), "c-bob");
  json_t *s = json_object_get(d, "score");
  ASSERT_EQ(json_object_size(s), 3);
  ASSERT_EQ(json_integer_value(json_object_get(s, "score")), 9);
  ASSERT_EQ(json_integer_value(json_object_get(s, "producerScore")), 7);
  json_t *ps = json_object_get(s, "producerScores");
  ASSERT_EQ(json_array_size(ps), 3);
  ASSERT_EQ(json_integer_value(json_array_get(ps, 0)), 10);
  ASSERT_EQ(json_integer_value(json_array_get(ps, 1)), 7);
  ASSERT_EQ(json_integer_value(json_array_get(ps, 2)), 0);
  ASSERT_EQ(json_array_size(sent[0]), 0);
  /* carol's consumer is not announced: nothing; an unknown one: nothing. */
  ev.consumer_id = BRAID_STR_LIT("c-carol");
  braid_scores_on_event(&ctl, "room", &ev);
  ev.consumer_id = BRAID_STR_LIT("c-nobody");
  braid_scores_on_event(&ctl, "room", &ev);
  ASSERT_EQ(json_array_size(sent[2]), 0);
  ASSERT_EQ(json_array_size(sent[1]), 1);
  cleanup();
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(producer_score_goes_to_the_owner_only)
                    BRAID_TEST_ENTRY(consumer_score_goes_to_the_consumer_once_announced))
