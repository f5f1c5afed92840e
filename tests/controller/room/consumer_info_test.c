/* Tests of controller/room/consumer_info.c: newConsumer per dialect. */
#include "controller/room/consumer_info.h"

#include "tests/test.h"

static char *dump(json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT);
  json_decref(v);
  return s;
}

static braid_consumer_info_t sample(json_t *params, json_t *app) {
  return (braid_consumer_info_t){.peer_id = "alice",
                                 .transport_id = "t2",
                                 .consumer_id = "c1",
                                 .producer_id = "p1",
                                 .kind = "video",
                                 .type = "simulcast",
                                 .rtp_parameters = params,
                                 .app_data = app,
                                 .producer_paused = true};
}

BRAID_TEST(current_dialect) {
  json_t *params = json_pack("{ss}", "mid", "0");
  json_t *app = json_pack("{ssss}", "source", "video", "peerId", "alice");
  braid_consumer_info_t ci = sample(params, app);
  char *s = dump(braid_consumer_info_new_consumer(BRAID_DIALECT_CURRENT, &ci));
  ASSERT_STR_EQ(s, "{\"peerId\":\"alice\",\"transportId\":\"t2\",\"consumerId\":\"c1\","
                   "\"producerId\":\"p1\",\"kind\":\"video\",\"rtpParameters\":{\"mid\":\"0\"},"
                   "\"type\":\"simulcast\",\"producerPaused\":true,\"consumerScore\":{\"score\":10,"
                   "\"producerScore\":10,\"producerScores\":[]},\"appData\":{\"source\":\"video\","
                   "\"peerId\":\"alice\"}}");
  free(s);
  /* Copies: the inputs are not shared. */
  json_object_set_new(params, "mid", json_string("9"));
  ASSERT_EQ(params->refcount, 1);
  json_decref(params);
  json_decref(app);
}

BRAID_TEST(legacy_dialect) {
  json_t *params = json_object();
  braid_consumer_info_t ci = sample(params, NULL);
  ci.producer_paused = false;
  char *s = dump(braid_consumer_info_new_consumer(BRAID_DIALECT_LEGACY, &ci));
  ASSERT_STR_EQ(s, "{\"peerId\":\"alice\",\"producerId\":\"p1\",\"id\":\"c1\",\"kind\":\"video\","
                   "\"rtpParameters\":{},\"type\":\"simulcast\",\"appData\":{},"
                   "\"producerPaused\":false}");
  free(s);
  s = dump(braid_consumer_info_score());
  ASSERT_STR_EQ(s, "{\"score\":10,\"producerScore\":10,\"producerScores\":[]}");
  free(s);
  json_decref(params);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(current_dialect) BRAID_TEST_ENTRY(legacy_dialect))
