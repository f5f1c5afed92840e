/* Unit tests of the node's media events, proto/event.c: transport.state,
 * producer.*, consumer.*, data_*.* and router.volumes /
 * router.dominant_speaker. The envelope, the room events and
 * the robustness loops over every type are tested in event_test.c. */
#include "proto/event.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* The checking decoder of events. */
static const proto_test_decode_fn decode = proto_test_event_decode;

/* "producer.score" of a two-layer simulcast producer, every field
 * annotated. */
static const uint8_t producer_score_vec[] = {
    0x85,                                              /* map, 5 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xae, 'p', 'r', 'o', 'd', 'u', 'c', 'e', /* "t": fixstr(14) "produce */
    'r', '.', 's', 'c', 'o', 'r', 'e',                 /*   r.score" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',      /* "producer": */
    0xa2, 'p', '1',                                    /*   "p1" */
    0xa6, 's', 'c', 'o', 'r', 'e', 's', 0x92,          /* "scores": array, 2 */
    0x84,                                              /*   map, 4 pairs */
    0xa4, 's', 's', 'r', 'c',                          /*     "ssrc": */
    0xce, 0x1c, 0xbf, 0x57, 0xe3,                      /*       uint32 482301923 */
    0xa3, 'r', 'i', 'd', 0xa2, 'r', '0',               /*     "rid": "r0" */
    0xa5, 's', 'c', 'o', 'r', 'e', 0x0a,               /*     "score": 10 */
    0xa3, 'i', 'd', 'x', 0x00,                         /*     "idx": 0 */
    0x84,                                              /*   map, 4 pairs */
    0xa4, 's', 's', 'r', 'c',                          /*     "ssrc": */
    0xce, 0x1c, 0xbf, 0x57, 0xe4,                      /*       uint32 482301924 */
    0xa3, 'r', 'i', 'd', 0xa2, 'r', '1',               /*     "rid": "r1" */
    0xa5, 's', 'c', 'o', 'r', 'e', 0x07,               /*     "score": 7 */
    0xa3, 'i', 'd', 'x', 0x01,                         /*     "idx": 1 */
};

static braid_event_t make_score(void) {
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_SCORE,
                      .room_id = BRAID_STR_LIT("A"),
                      .producer_id = BRAID_STR_LIT("p1"),
                      .nscores = 2};
  ev.scores[0] = (braid_event_score_t){482301923, BRAID_STR_LIT("r0"), 10, 0};
  ev.scores[1] = (braid_event_score_t){482301924, BRAID_STR_LIT("r1"), 7, 1};
  return ev;
}

/* round_trip(), patch() and string_limit() of events. */
PROTO_TEST_SHORTHANDS(braid_event_t, &proto_test_event, proto_test_event_eq, decode)

/* The vector decodes to mine and back, and every truncation and
 * corruption of it is safe. */
static void vector_round_trip(const braid_event_t *mine, const uint8_t *vec, size_t len) {
  proto_test_vector(&proto_test_event, vec, len, mine, proto_test_event_eq);
  proto_test_truncations(decode, vec, len);
  ASSERT(proto_test_corruptions(decode, vec, len) > 0);
}

BRAID_TEST(vector_producer_score) {
  braid_event_t ev;
  ASSERT_EQ(braid_event_decode(&ev, producer_score_vec, sizeof producer_score_vec, NULL), 0);
  ASSERT_EQ(ev.type, BRAID_EV_PRODUCER_SCORE);
  ASSERT(braid_str_eq(ev.room_id, "A") && braid_str_eq(ev.producer_id, "p1"));
  ASSERT_EQ(ev.nscores, 2);
  ASSERT(ev.scores[0].ssrc == 482301923 && braid_str_eq(ev.scores[0].rid, "r0"));
  ASSERT(ev.scores[0].score == 10 && ev.scores[0].encoding_idx == 0);
  ASSERT(ev.scores[1].ssrc == 482301924 && braid_str_eq(ev.scores[1].rid, "r1"));
  ASSERT(ev.scores[1].score == 7 && ev.scores[1].encoding_idx == 1);
  ASSERT(ev.scores[1].rid.p == (const char *)producer_score_vec + sizeof producer_score_vec - 14);
  braid_event_t mine = make_score();
  vector_round_trip(&mine, producer_score_vec, sizeof producer_score_vec);
}

BRAID_TEST(round_trip_node_events_at_limits) {
  static char big[BRAID_REASON_MAX];
  memset(big, 'x', sizeof big);
  static const char *const ice[] = {"new", "connected", "completed", "disconnected", "closed"};
  static const char *const dtls[] = {"new", "connecting", "connected", "failed", "closed"};
  for (size_t i = 0; i < 5; i++) {
    braid_event_t ev = {.type = BRAID_EV_TRANSPORT_STATE,
                        .room_id = {big, BRAID_ROOM_ID_MAX},
                        .transport_id = {big, BRAID_ID_MAX},
                        .ice_state = braid_str_c(ice[i]),
                        .dtls_state = braid_str_c(dtls[4 - i])};
    round_trip(&ev);
  }
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                      .producer_id = {big, BRAID_ID_MAX}, .reason = {big, BRAID_REASON_MAX}};
  round_trip(&ev);
  ev.reason = (braid_str_t){NULL, 0};
  round_trip(&ev);
  ev = (braid_event_t){.type = BRAID_EV_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                       .consumer_id = {big, BRAID_ID_MAX}, .reason = {big, BRAID_REASON_MAX}};
  round_trip(&ev);
  const int32_t layers[][2] = {{-1, -1}, {0, 0}, {255, 255}, {2, -1}};
  for (size_t i = 0; i < 4; i++) {
    ev = (braid_event_t){.type = BRAID_EV_CONSUMER_LAYERS, .room_id = BRAID_STR_LIT("r"),
                         .consumer_id = BRAID_STR_LIT("c"), .spatial_layer = layers[i][0],
                         .temporal_layer = layers[i][1]};
    round_trip(&ev);
  }
  ev = (braid_event_t){.type = BRAID_EV_PRODUCER_SCORE, .room_id = BRAID_STR_LIT("r"),
                       .producer_id = {big, BRAID_ID_MAX}, .nscores = BRAID_MAX_ENCODINGS};
  for (size_t i = 0; i < BRAID_MAX_ENCODINGS; i++)
    ev.scores[i] = (braid_event_score_t){UINT32_MAX, {big, BRAID_MID_MAX}, 10,
                                         (uint8_t)(BRAID_MAX_ENCODINGS - 1 - i)};
  round_trip(&ev);
  /* consumer.score: the same array, its own score and the producer's. */
  ev.type = BRAID_EV_CONSUMER_SCORE;
  ev.producer_id = (braid_str_t){NULL, 0};
  ev.consumer_id = (braid_str_t){big, BRAID_ID_MAX};
  ev.score = 10;
  ev.producer_score = 0;
  round_trip(&ev);
  ev.nscores = 0;
  ev.score = 0;
  ev.producer_score = 10;
  round_trip(&ev);
}

BRAID_TEST(node_event_values) {
  braid_event_t ts = {.type = BRAID_EV_TRANSPORT_STATE, .room_id = BRAID_STR_LIT("r"),
                      .transport_id = BRAID_STR_LIT("t"), .ice_state = BRAID_STR_LIT("new"),
                      .dtls_state = BRAID_STR_LIT("new")};
  patch(&ts, PATCH_SET, "ice", mo_str("checking"), BRAID_EMALFORMED,
        "key 'ice' has an invalid value"); /* ICE-lite never checks */
  patch(&ts, PATCH_SET, "ice", mo_str("failed"), BRAID_EMALFORMED, NULL);
  patch(&ts, PATCH_SET, "dtls", mo_str("completed"), BRAID_EMALFORMED,
        "key 'dtls' has an invalid value");
  patch(&ts, PATCH_SET, "dtls", mo_u(1), BRAID_ETYPE, "key 'dtls' has wrong type");
  patch(&ts, PATCH_DEL, "ice", mo_nil(), BRAID_EMISSING, "missing key 'ice'");
  patch(&ts, PATCH_DEL, "transport", mo_nil(), BRAID_EMISSING, "missing key 'transport'");
  braid_event_t cl = {.type = BRAID_EV_CONSUMER_LAYERS, .room_id = BRAID_STR_LIT("r"),
                      .consumer_id = BRAID_STR_LIT("c"), .spatial_layer = 1};
  patch(&cl, PATCH_SET, "spatial", mo_i(-2), BRAID_EMALFORMED, "key 'spatial' is out of range");
  patch(&cl, PATCH_SET, "temporal", mo_u(256), BRAID_EMALFORMED, "key 'temporal' is out of range");
  patch(&cl, PATCH_SET, "temporal", mo_i(INT64_MIN), BRAID_EMALFORMED, NULL);
  patch(&cl, PATCH_SET, "spatial", mo_u(255), 0, NULL);
  patch(&cl, PATCH_SET, "spatial", mo_str("1"), BRAID_ETYPE, "key 'spatial' has wrong type");
  patch(&cl, PATCH_DEL, "temporal", mo_nil(), BRAID_EMISSING, "missing key 'temporal'");
  braid_event_t cs = {.type = BRAID_EV_CONSUMER_SCORE, .room_id = BRAID_STR_LIT("r"),
                      .consumer_id = BRAID_STR_LIT("c"), .score = 10, .producer_score = 9,
                      .nscores = 1, .scores = {{1, BRAID_STR_LIT(""), 9, 0}}};
  patch(&cs, PATCH_SET, "score", mo_u(11), BRAID_EMALFORMED, "key 'score' is out of range");
  patch(&cs, PATCH_SET, "producer_score", mo_u(11), BRAID_EMALFORMED,
        "key 'producer_score' is out of range");
  patch(&cs, PATCH_SET, "score", mo_i(-1), BRAID_EMALFORMED, NULL);
  patch(&cs, PATCH_SET, "score", mo_str("9"), BRAID_ETYPE, "key 'score' has wrong type");
  patch(&cs, PATCH_DEL, "producer_score", mo_nil(), BRAID_EMISSING, "missing key 'producer_score'");
  patch(&cs, PATCH_DEL, "scores", mo_nil(), BRAID_EMISSING, "missing key 'scores'");
  patch(&cs, PATCH_DEL, "consumer", mo_nil(), BRAID_EMISSING, "missing key 'consumer'");
  patch(&cs, PATCH_SET, "producer", mo_u(5), 0, NULL); /* another type's key: skipped */
  braid_event_t pc = {.type = BRAID_EV_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                      .producer_id = BRAID_STR_LIT("p"), .reason = BRAID_STR_LIT("closed")};
  patch(&pc, PATCH_DEL, "reason", mo_nil(), BRAID_EMISSING, "missing key 'reason'");
  patch(&pc, PATCH_SET, "consumer", mo_u(5), 0, NULL); /* another type's key: skipped */
  braid_event_t cc = {.type = BRAID_EV_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                      .consumer_id = BRAID_STR_LIT("c"), .reason = BRAID_STR_LIT("closed")};
  patch(&cc, PATCH_DEL, "consumer", mo_nil(), BRAID_EMISSING, "missing key 'consumer'");
  /* Strings at and one over their limits. */
  string_limit(&pc, "reason", BRAID_REASON_MAX);
  string_limit(&pc, "producer", BRAID_ID_MAX);
  string_limit(&cc, "consumer", BRAID_ID_MAX);
  string_limit(&ts, "transport", BRAID_ID_MAX);
}

/* "producer.new", every field annotated. */
static const uint8_t producer_new_vec[] = {
    0x85,                                              /* map, 5 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xac, 'p', 'r', 'o', 'd', 'u', 'c', 'e', /* "t": fixstr(12) "produce */
    'r', '.', 'n', 'e', 'w',                           /*   r.new" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa4, 'p', 'e', 'e', 'r', 0xa5, 'a', 'l', 'i', 'c', 'e', /* "peer": "alice" */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',      /* "producer": */
    0xa2, 'p', '1',                                    /*   "p1" */
};

/* "producer.paused", every field annotated. */
static const uint8_t producer_paused_vec[] = {
    0x84,                                              /* map, 4 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xaf, 'p', 'r', 'o', 'd', 'u', 'c', 'e', /* "t": fixstr(15) "produce */
    'r', '.', 'p', 'a', 'u', 's', 'e', 'd',            /*   r.paused" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',      /* "producer": */
    0xa2, 'p', '1',                                    /*   "p1" */
};

BRAID_TEST(vector_producer_new_paused_resumed) {
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_NEW, .room_id = BRAID_STR_LIT("A"),
                      .producer_id = BRAID_STR_LIT("p1"), .peer_id = BRAID_STR_LIT("alice")};
  vector_round_trip(&ev, producer_new_vec, sizeof producer_new_vec);
  ev = (braid_event_t){.type = BRAID_EV_PRODUCER_PAUSED, .room_id = BRAID_STR_LIT("A"),
                       .producer_id = BRAID_STR_LIT("p1"),
                       .peer_id = BRAID_STR_LIT("not a producer.paused key")};
  /* peer is not encoded */
  proto_test_encodes_to(&proto_test_event, &ev, producer_paused_vec, sizeof producer_paused_vec);
  ev.peer_id = (braid_str_t){NULL, 0};
  vector_round_trip(&ev, producer_paused_vec, sizeof producer_paused_vec);
  /* producer.resumed: the same body. */
  ev.type = BRAID_EV_PRODUCER_RESUMED;
  round_trip(&ev);
}

BRAID_TEST(producer_events_keys) {
  braid_event_t pn = {.type = BRAID_EV_PRODUCER_NEW, .room_id = BRAID_STR_LIT("r"),
                      .producer_id = BRAID_STR_LIT("p"), .peer_id = BRAID_STR_LIT("a")};
  patch(&pn, PATCH_DEL, "peer", mo_nil(), BRAID_EMISSING, "missing key 'peer'");
  patch(&pn, PATCH_DEL, "producer", mo_nil(), BRAID_EMISSING, "missing key 'producer'");
  patch(&pn, PATCH_DEL, "room", mo_nil(), BRAID_EMISSING, "missing key 'room'");
  patch(&pn, PATCH_SET, "peer", mo_u(1), BRAID_ETYPE, "key 'peer' has wrong type");
  patch(&pn, PATCH_SET, "reason", mo_u(1), 0, NULL); /* another type's key: skipped */
  braid_event_t pp = {.type = BRAID_EV_PRODUCER_PAUSED, .room_id = BRAID_STR_LIT("r"),
                      .producer_id = BRAID_STR_LIT("p")};
  patch(&pp, PATCH_DEL, "producer", mo_nil(), BRAID_EMISSING, "missing key 'producer'");
  patch(&pp, PATCH_SET, "producer", mo_u(7), BRAID_ETYPE, "key 'producer' has wrong type");
  pp.type = BRAID_EV_PRODUCER_RESUMED;
  patch(&pp, PATCH_DEL, "producer", mo_nil(), BRAID_EMISSING, "missing key 'producer'");
  string_limit(&pn, "peer", BRAID_PEER_ID_MAX);
  string_limit(&pp, "producer", BRAID_ID_MAX);
}

/* "data_producer.new", every field annotated. */
static const uint8_t data_producer_new_vec[] = {
    0x85,                                              /* map, 5 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xb1, 'd', 'a', 't', 'a', '_', 'p', 'r', /* "t": fixstr(17) "data_pr */
    'o', 'd', 'u', 'c', 'e', 'r', '.', 'n', 'e', 'w',  /*   oducer.new" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa4, 'p', 'e', 'e', 'r', 0xa5, 'a', 'l', 'i', 'c', 'e', /* "peer": "alice" */
    0xad, 'd', 'a', 't', 'a', '_', 'p', 'r', 'o', 'd', /* "data_producer": */
    'u', 'c', 'e', 'r', 0xa3, 'd', 'p', '1',           /*   "dp1" */
};

/* "data_consumer.closed" after the transport's SCTP association failed,
 * every field annotated. */
static const uint8_t data_consumer_closed_vec[] = {
    0x85,                                              /* map, 5 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xb4, 'd', 'a', 't', 'a', '_', 'c', 'o', /* "t": fixstr(20) "data_co */
    'n', 's', 'u', 'm', 'e', 'r', '.', 'c', 'l', 'o',  /*   nsumer.clo */
    's', 'e', 'd',                                     /*   sed" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa6, 'r', 'e', 'a', 's', 'o', 'n',                /* "reason": */
    0xab, 's', 'c', 't', 'p', ' ', 'f', 'a', 'i', 'l', /*   "sctp fail */
    'e', 'd',                                          /*   ed" */
    0xad, 'd', 'a', 't', 'a', '_', 'c', 'o', 'n', 's', /* "data_consumer": */
    'u', 'm', 'e', 'r', 0xa3, 'd', 'c', '1',           /*   "dc1" */
};

BRAID_TEST(vector_data_events) {
  braid_event_t ev = {.type = BRAID_EV_DATA_PRODUCER_NEW, .room_id = BRAID_STR_LIT("A"),
                      .data_producer_id = BRAID_STR_LIT("dp1"), .peer_id = BRAID_STR_LIT("alice")};
  vector_round_trip(&ev, data_producer_new_vec, sizeof data_producer_new_vec);
  braid_event_t back;
  ASSERT_EQ(braid_event_decode(&back, data_producer_new_vec, sizeof data_producer_new_vec, NULL),
            0);
  ASSERT(back.producer_id.len == 0); /* its own key, not "producer" */
  ASSERT(back.data_producer_id.p == (const char *)data_producer_new_vec + 57); /* a view */
  ev = (braid_event_t){.type = BRAID_EV_DATA_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("A"),
                       .data_consumer_id = BRAID_STR_LIT("dc1"),
                       .reason = BRAID_STR_LIT("sctp failed"),
                       .consumer_id = BRAID_STR_LIT("not a data_consumer.closed key")};
  /* consumer is not encoded */
  proto_test_encodes_to(&proto_test_event, &ev, data_consumer_closed_vec,
                        sizeof data_consumer_closed_vec);
  ev.consumer_id = (braid_str_t){NULL, 0};
  vector_round_trip(&ev, data_consumer_closed_vec, sizeof data_consumer_closed_vec);
}

BRAID_TEST(round_trip_data_events_at_limits) {
  static char big[BRAID_REASON_MAX];
  memset(big, 'x', sizeof big);
  braid_event_t ev = {.type = BRAID_EV_DATA_PRODUCER_NEW, .room_id = {big, BRAID_ROOM_ID_MAX},
                      .data_producer_id = {big, BRAID_ID_MAX},
                      .peer_id = {big, BRAID_PEER_ID_MAX}};
  round_trip(&ev);
  ev = (braid_event_t){.type = BRAID_EV_DATA_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                       .data_producer_id = {big, BRAID_ID_MAX},
                       .reason = {big, BRAID_REASON_MAX}};
  round_trip(&ev);
  ev.reason = (braid_str_t){NULL, 0};
  round_trip(&ev);
  ev = (braid_event_t){.type = BRAID_EV_DATA_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                       .data_consumer_id = {big, BRAID_ID_MAX},
                       .reason = {big, BRAID_REASON_MAX}};
  round_trip(&ev);
  ev = (braid_event_t){.type = BRAID_EV_DATA_CONSUMER_CLOSED}; /* every string empty */
  round_trip(&ev);
}

BRAID_TEST(data_events_keys) {
  braid_event_t dn = {.type = BRAID_EV_DATA_PRODUCER_NEW, .room_id = BRAID_STR_LIT("r"),
                      .data_producer_id = BRAID_STR_LIT("dp"), .peer_id = BRAID_STR_LIT("a")};
  braid_event_t dc = {.type = BRAID_EV_DATA_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                      .data_producer_id = BRAID_STR_LIT("dp"), .reason = BRAID_STR_LIT("gone")};
  braid_event_t cc = {.type = BRAID_EV_DATA_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                      .data_consumer_id = BRAID_STR_LIT("dc"), .reason = BRAID_STR_LIT("gone")};
  patch(&dn, PATCH_DEL, "peer", mo_nil(), BRAID_EMISSING, "missing key 'peer'");
  patch(&dn, PATCH_DEL, "data_producer", mo_nil(), BRAID_EMISSING,
        "missing key 'data_producer'");
  patch(&dn, PATCH_DEL, "room", mo_nil(), BRAID_EMISSING, "missing key 'room'");
  patch(&dn, PATCH_SET, "data_producer", mo_u(1), BRAID_ETYPE,
        "key 'data_producer' has wrong type");
  patch(&dn, PATCH_ADD, "data_producer", mo_str("dp2"), BRAID_EMALFORMED,
        "duplicate key 'data_producer'");
  patch(&dn, PATCH_SET, "producer", mo_u(1), 0, NULL); /* another type's key: skipped */
  patch(&dc, PATCH_DEL, "reason", mo_nil(), BRAID_EMISSING, "missing key 'reason'");
  patch(&dc, PATCH_DEL, "data_producer", mo_nil(), BRAID_EMISSING,
        "missing key 'data_producer'");
  patch(&dc, PATCH_SET, "peer", mo_u(1), 0, NULL);
  patch(&cc, PATCH_DEL, "data_consumer", mo_nil(), BRAID_EMISSING,
        "missing key 'data_consumer'");
  patch(&cc, PATCH_DEL, "reason", mo_nil(), BRAID_EMISSING, "missing key 'reason'");
  patch(&cc, PATCH_SET, "data_consumer", mo_array0(), BRAID_ETYPE,
        "key 'data_consumer' has wrong type");
  patch(&cc, PATCH_SET, "data_producer", mo_u(1), 0, NULL);
  string_limit(&dn, "data_producer", BRAID_ID_MAX);
  string_limit(&cc, "data_consumer", BRAID_ID_MAX);
  string_limit(&dc, "reason", BRAID_REASON_MAX);
  /* Encoding refuses what decoding would, and writes nothing. */
  static char big[BRAID_ID_MAX + 1];
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  dn.data_producer_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_event_encode(&dn, &out), BRAID_EINVAL);
  cc.data_consumer_id = (braid_str_t){NULL, 2};
  ASSERT_EQ(braid_event_encode(&cc, &out), BRAID_EINVAL);
  ASSERT_EQ(out.len, 0);
  braid_buf_cleanup(&out);
}

static void score_set(const char *path, msgpack_object v, int rc, const char *why) {
  proto_test_patch(decode, producer_score_vec, sizeof producer_score_vec, PATCH_SET, path, v, rc,
                   why);
}

BRAID_TEST(producer_score_limits) {
  /* Up to BRAID_MAX_ENCODINGS scores. */
  braid_event_t ev = make_score();
  ev.nscores = BRAID_MAX_ENCODINGS;
  ev.scores[2] = ev.scores[3] = ev.scores[0];
  braid_buf_t out;
  proto_test_encode(&proto_test_event, &ev, &out);
  proto_test_doc_t src;
  doc_load(&src, producer_score_vec, sizeof producer_score_vec);
  proto_test_patch(decode, out.data, out.len, PATCH_ADD, "scores.x", *doc_get(&src, "scores.0"),
                   BRAID_ETOOBIG, "key 'scores' has too many elements");
  doc_free(&src);
  braid_buf_cleanup(&out);
  score_set("scores", mo_array0(), 0, NULL);
  score_set("scores", mo_map0(), BRAID_ETYPE, "key 'scores' has wrong type");
  score_set("scores.1", mo_u(7), BRAID_ETYPE, "key 'scores' has wrong type");
  score_set("scores.0.score", mo_u(11), BRAID_EMALFORMED, "key 'score' is out of range");
  score_set("scores.0.score", mo_u(0), 0, NULL);
  score_set("scores.1.idx", mo_u(BRAID_MAX_ENCODINGS), BRAID_EMALFORMED,
            "key 'idx' is out of range");
  score_set("scores.1.idx", mo_u(BRAID_MAX_ENCODINGS - 1), 0, NULL);
  score_set("scores.0.ssrc", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED,
            "key 'ssrc' is out of range");
  score_set("scores.0.rid", mo_str("0123456789abcdefg"), BRAID_ETOOBIG, "key 'rid' is too long");
  score_set("scores.0.rid", mo_str(""), 0, NULL);
  score_set("scores.0.later", mo_map0(), 0, NULL); /* unknown keys are skipped */
  static const char *const keys[] = {"ssrc", "rid", "score", "idx"};
  for (size_t i = 0; i < 4; i++) {
    char path[32];
    snprintf(path, sizeof path, "scores.1.%s", keys[i]);
    proto_test_missing(decode, producer_score_vec, sizeof producer_score_vec, path);
  }
  proto_test_patch(decode, producer_score_vec, sizeof producer_score_vec, PATCH_ADD,
                   "scores.0.idx", mo_u(1), BRAID_EMALFORMED, "duplicate key 'idx'");
  proto_test_missing(decode, producer_score_vec, sizeof producer_score_vec, "scores");
}

BRAID_TEST(encode_refuses_bad_node_events) {
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  braid_event_t ev = {.type = BRAID_EV_TRANSPORT_STATE, .ice_state = BRAID_STR_LIT("checking"),
                      .dtls_state = BRAID_STR_LIT("new")};
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  ev.ice_state = BRAID_STR_LIT("new");
  ev.dtls_state = (braid_str_t){NULL, 0};
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  ev = (braid_event_t){.type = BRAID_EV_CONSUMER_LAYERS, .spatial_layer = -2};
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  ev = (braid_event_t){.type = BRAID_EV_CONSUMER_LAYERS, .temporal_layer = 256};
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  ev = make_score();
  ev.nscores = BRAID_MAX_ENCODINGS + 1;
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  ev = make_score();
  ev.scores[1].score = 11;
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  ev = make_score();
  ev.scores[0].encoding_idx = BRAID_MAX_ENCODINGS;
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  static char big[BRAID_REASON_MAX + 1];
  ev = (braid_event_t){.type = BRAID_EV_CONSUMER_CLOSED, .reason = {big, sizeof big}};
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  ASSERT_EQ(out.len, 0);
  /* Fields of other types are not checked: they are not encoded. */
  ev = (braid_event_t){.type = BRAID_EV_ROOM_CLOSED, .ice_state = BRAID_STR_LIT("bogus"),
                       .spatial_layer = -7, .nscores = 99};
  ASSERT_EQ(braid_event_encode(&ev, &out), 0);
  braid_buf_cleanup(&out);
}

/* A run of 40 (proto_test_run_oom()), each message the vector. */
BRAID_TEST(encode_out_of_memory_scores) {
  braid_event_t ev = make_score();
  proto_test_encodes_to(&proto_test_event, &ev, producer_score_vec, sizeof producer_score_vec);
  proto_test_encode_oom(&proto_test_event, &ev, 1, 40);
}

/* ---- router.volumes and router.dominant_speaker ---------------------------- */

/* "router.volumes" with two speakers, every field annotated. */
static const uint8_t router_volumes_vec[] = {
    0x86,                                              /* map, 6 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xae, 'r', 'o', 'u', 't', 'e', 'r', '.', /* "t": fixstr(14) "router. */
    'v', 'o', 'l', 'u', 'm', 'e', 's',                 /*   volumes" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa6, 'r', 'o', 'u', 't', 'e', 'r', 0xa2, 'r', '1', /* "router": "r1" */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',      /* "producer" (the dominant */
    0xa2, 'p', '2',                                    /*   speaker): "p2" */
    0xa7, 'v', 'o', 'l', 'u', 'm', 'e', 's', 0x92,     /* "volumes": array, 2 */
    0x82,                                              /*   map, 2 pairs */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',      /*     "producer": */
    0xa2, 'p', '1',                                    /*       "p1" */
    0xa6, 'v', 'o', 'l', 'u', 'm', 'e', 0xf4,          /*     "volume": -12 (negative fixint) */
    0x82,                                              /*   map, 2 pairs */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',      /*     "producer": */
    0xa2, 'p', '2',                                    /*       "p2" */
    0xa6, 'v', 'o', 'l', 'u', 'm', 'e', 0xd0, 0xb0,    /*     "volume": int8 -80 */
};

/* "router.dominant_speaker", every field annotated. */
static const uint8_t dominant_speaker_vec[] = {
    0x85,                                              /* map, 5 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xb7, 'r', 'o', 'u', 't', 'e', 'r', '.', /* "t": fixstr(23) "router. */
    'd', 'o', 'm', 'i', 'n', 'a', 'n', 't', '_',       /*   dominant_ */
    's', 'p', 'e', 'a', 'k', 'e', 'r',                 /*   speaker" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa6, 'r', 'o', 'u', 't', 'e', 'r', 0xa2, 'r', '1', /* "router": "r1" */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',      /* "producer": */
    0xa2, 'p', '1',                                    /*   "p1" */
};

static braid_event_t make_volumes(void) {
  braid_event_t ev = {.type = BRAID_EV_ROUTER_VOLUMES, .room_id = BRAID_STR_LIT("A"),
                      .router_id = BRAID_STR_LIT("r1"), .producer_id = BRAID_STR_LIT("p2"),
                      .nvolumes = 2};
  ev.volumes[0] = (braid_event_volume_t){BRAID_STR_LIT("p1"), -12};
  ev.volumes[1] = (braid_event_volume_t){BRAID_STR_LIT("p2"), -80};
  return ev;
}

BRAID_TEST(vector_router_speaker_events) {
  braid_event_t ev;
  ASSERT_EQ(braid_event_decode(&ev, router_volumes_vec, sizeof router_volumes_vec, NULL), 0);
  ASSERT_EQ(ev.type, BRAID_EV_ROUTER_VOLUMES);
  ASSERT(braid_str_eq(ev.room_id, "A") && braid_str_eq(ev.router_id, "r1"));
  ASSERT(braid_str_eq(ev.producer_id, "p2"));
  ASSERT_EQ(ev.nvolumes, 2);
  ASSERT(braid_str_eq(ev.volumes[0].producer_id, "p1") && ev.volumes[0].volume == -12);
  ASSERT(braid_str_eq(ev.volumes[1].producer_id, "p2") && ev.volumes[1].volume == -80);
  braid_event_t mine = make_volumes();
  vector_round_trip(&mine, router_volumes_vec, sizeof router_volumes_vec);
  mine = (braid_event_t){.type = BRAID_EV_ROUTER_DOMINANT_SPEAKER, .room_id = BRAID_STR_LIT("A"),
                         .router_id = BRAID_STR_LIT("r1"), .producer_id = BRAID_STR_LIT("p1"),
                         .nvolumes = 3}; /* not a key of this type: not encoded */
  proto_test_encodes_to(&proto_test_event, &mine, dominant_speaker_vec, sizeof dominant_speaker_vec);
  mine.nvolumes = 0;
  vector_round_trip(&mine, dominant_speaker_vec, sizeof dominant_speaker_vec);
  /* Silence: an empty list; no dominant speaker: "". */
  mine = make_volumes();
  mine.nvolumes = 0;
  round_trip(&mine);
  mine.producer_id = (braid_str_t){NULL, 0};
  round_trip(&mine);
}

static void volumes_set(const char *path, msgpack_object v, int rc, const char *why) {
  proto_test_patch(decode, router_volumes_vec, sizeof router_volumes_vec, PATCH_SET, path, v, rc,
                   why);
}

BRAID_TEST(router_speaker_events_limits) {
  /* Up to BRAID_EVENT_MAX_VOLUMES entries, every string at its limit. */
  static char big[BRAID_ROOM_ID_MAX + 1];
  memset(big, 'x', sizeof big);
  braid_event_t ev = {.type = BRAID_EV_ROUTER_VOLUMES, .room_id = {big, BRAID_ROOM_ID_MAX},
                      .router_id = {big, BRAID_ID_MAX}, .nvolumes = BRAID_EVENT_MAX_VOLUMES};
  for (size_t i = 0; i < BRAID_EVENT_MAX_VOLUMES; i++)
    ev.volumes[i] = (braid_event_volume_t){{big, BRAID_ID_MAX}, -(int32_t)(i * 8)};
  round_trip(&ev);
  braid_buf_t out;
  proto_test_encode(&proto_test_event, &ev, &out);
  proto_test_doc_t src;
  doc_load(&src, router_volumes_vec, sizeof router_volumes_vec);
  proto_test_patch(decode, out.data, out.len, PATCH_ADD, "volumes.x", *doc_get(&src, "volumes.0"),
                   BRAID_ETOOBIG, "key 'volumes' has too many elements");
  doc_free(&src);
  braid_buf_cleanup(&out);
  /* Values. */
  volumes_set("volumes", mo_array0(), 0, NULL);
  volumes_set("volumes", mo_map0(), BRAID_ETYPE, "key 'volumes' has wrong type");
  volumes_set("volumes.1", mo_str("p"), BRAID_ETYPE, "key 'volumes' has wrong type");
  volumes_set("volumes.0.volume", mo_u(1), BRAID_EMALFORMED, "key 'volume' is out of range");
  volumes_set("volumes.0.volume", mo_i(-128), BRAID_EMALFORMED, "key 'volume' is out of range");
  volumes_set("volumes.0.volume", mo_i(INT64_MIN), BRAID_EMALFORMED, NULL);
  volumes_set("volumes.0.volume", mo_i(-127), 0, NULL);
  volumes_set("volumes.0.volume", mo_u(0), 0, NULL);
  volumes_set("volumes.0.volume", mo_str("-1"), BRAID_ETYPE, "key 'volume' has wrong type");
  volumes_set("volumes.1.producer", mo_u(2), BRAID_ETYPE, "key 'producer' has wrong type");
  volumes_set("volumes.1.later", mo_map0(), 0, NULL); /* unknown keys are skipped */
  proto_test_missing(decode, router_volumes_vec, sizeof router_volumes_vec, "volumes.1.producer");
  proto_test_missing(decode, router_volumes_vec, sizeof router_volumes_vec, "volumes.0.volume");
  proto_test_missing(decode, router_volumes_vec, sizeof router_volumes_vec, "volumes");
  proto_test_missing(decode, router_volumes_vec, sizeof router_volumes_vec, "router");
  proto_test_missing(decode, router_volumes_vec, sizeof router_volumes_vec, "producer");
  volumes_set("producer", mo_str(""), 0, NULL);
  proto_test_patch(decode, router_volumes_vec, sizeof router_volumes_vec, PATCH_ADD,
                   "volumes.0.volume", mo_i(-3), BRAID_EMALFORMED, "duplicate key 'volume'");
  braid_event_t v = make_volumes();
  string_limit(&v, "router", BRAID_ID_MAX);
  string_limit(&v, "producer", BRAID_ID_MAX);
  braid_event_t d = {.type = BRAID_EV_ROUTER_DOMINANT_SPEAKER, .room_id = BRAID_STR_LIT("r"),
                     .router_id = BRAID_STR_LIT("rt"), .producer_id = BRAID_STR_LIT("p")};
  patch(&d, PATCH_DEL, "producer", mo_nil(), BRAID_EMISSING, "missing key 'producer'");
  patch(&d, PATCH_DEL, "router", mo_nil(), BRAID_EMISSING, "missing key 'router'");
  patch(&d, PATCH_SET, "producer", mo_u(1), BRAID_ETYPE, "key 'producer' has wrong type");
  patch(&d, PATCH_SET, "volumes", mo_u(1), 0, NULL); /* another type's key: skipped */
  string_limit(&d, "producer", BRAID_ID_MAX);
  string_limit(&d, "router", BRAID_ID_MAX);
  /* Encoding refuses what decoding would, and writes nothing. */
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  v = make_volumes();
  v.nvolumes = BRAID_EVENT_MAX_VOLUMES + 1;
  ASSERT_EQ(braid_event_encode(&v, &out), BRAID_EINVAL);
  v = make_volumes();
  v.volumes[1].volume = 1;
  ASSERT_EQ(braid_event_encode(&v, &out), BRAID_EINVAL);
  v = make_volumes();
  v.volumes[0].volume = -128;
  ASSERT_EQ(braid_event_encode(&v, &out), BRAID_EINVAL);
  v = make_volumes();
  v.volumes[0].producer_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_event_encode(&v, &out), BRAID_EINVAL);
  ASSERT_EQ(out.len, 0);
  braid_buf_cleanup(&out);
  /* A run of 40 allocation failures over the vector's encoding. */
  v = make_volumes();
  proto_test_encode_oom(&proto_test_event, &v, 1, 40);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vector_producer_score)
    BRAID_TEST_ENTRY(round_trip_node_events_at_limits)
    BRAID_TEST_ENTRY(node_event_values)
    BRAID_TEST_ENTRY(producer_score_limits)
    BRAID_TEST_ENTRY(encode_refuses_bad_node_events)
    BRAID_TEST_ENTRY(encode_out_of_memory_scores)
    BRAID_TEST_ENTRY(vector_producer_new_paused_resumed)
    BRAID_TEST_ENTRY(producer_events_keys)
    BRAID_TEST_ENTRY(vector_data_events)
    BRAID_TEST_ENTRY(round_trip_data_events_at_limits)
    BRAID_TEST_ENTRY(data_events_keys)
    BRAID_TEST_ENTRY(vector_router_speaker_events)
    BRAID_TEST_ENTRY(router_speaker_events_limits))
