/* Unit tests of room events, proto/event.c. */
#include "proto/event.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* "peer.left", every field annotated (STYLE.md rule 37). */
static const uint8_t peer_left_vec[] = {
    0x86,                                              /* map, 6 pairs */
    0xa1, 'v', 0x01,                                   /* "v": 1 */
    0xa1, 't', 0xa9, 'p', 'e', 'e', 'r', '.', 'l', 'e', 'f', 't', /* "t": "peer.left" */
    0xa4, 'r', 'o', 'o', 'm', 0xa1, 'A',               /* "room": "A" */
    0xa4, 'p', 'e', 'e', 'r', 0xa1, 'p',               /* "peer": "p" */
    0xa3, 'c', 't', 'l', 0xa1, 'c',                    /* "ctl": "c" */
    0xa4, 'c', 'o', 'n', 'n', 0x07,                    /* "conn": 7 */
};

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

static bool str_same(braid_str_t a, braid_str_t b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static void assert_event_eq(const braid_event_t *a, const braid_event_t *b) {
  ASSERT_EQ(a->type, b->type);
  ASSERT(str_same(a->room_id, b->room_id));
  ASSERT(str_same(a->peer_id, b->peer_id));
  ASSERT(str_same(a->controller_id, b->controller_id));
  ASSERT(a->conn == b->conn);
  ASSERT(str_same(a->display_name, b->display_name));
  ASSERT(str_same(a->device_json, b->device_json));
  ASSERT(str_same(a->remote_address, b->remote_address));
  ASSERT(str_same(a->node_id, b->node_id));
  ASSERT(str_same(a->router_id, b->router_id));
  ASSERT(str_same(a->transport_id, b->transport_id));
  ASSERT(str_same(a->ice_state, b->ice_state));
  ASSERT(str_same(a->dtls_state, b->dtls_state));
  ASSERT(str_same(a->producer_id, b->producer_id));
  ASSERT(str_same(a->consumer_id, b->consumer_id));
  ASSERT(str_same(a->data_producer_id, b->data_producer_id));
  ASSERT(str_same(a->data_consumer_id, b->data_consumer_id));
  ASSERT(str_same(a->reason, b->reason));
  ASSERT_EQ(a->spatial_layer, b->spatial_layer);
  ASSERT_EQ(a->temporal_layer, b->temporal_layer);
  ASSERT_EQ(a->nscores, b->nscores);
  for (size_t i = 0; i < a->nscores; i++) {
    ASSERT_EQ(a->scores[i].ssrc, b->scores[i].ssrc);
    ASSERT(str_same(a->scores[i].rid, b->scores[i].rid));
    ASSERT_EQ(a->scores[i].score, b->scores[i].score);
    ASSERT_EQ(a->scores[i].encoding_idx, b->scores[i].encoding_idx);
  }
}

static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_event_t ev;
  int rc = braid_event_decode(&ev, data, len, why);
  if (rc == 0) {
    ASSERT(braid_event_type_name(ev.type) != NULL);
    const braid_str_t views[] = {ev.room_id,      ev.peer_id,      ev.controller_id,
                                 ev.display_name, ev.device_json,  ev.remote_address,
                                 ev.node_id,      ev.router_id,    ev.transport_id,
                                 ev.ice_state,    ev.dtls_state,   ev.producer_id,
                                 ev.consumer_id,  ev.reason,       ev.data_producer_id,
                                 ev.data_consumer_id};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
      proto_test_view_in(views[i], data, len);
    ASSERT(ev.room_id.len <= BRAID_ROOM_ID_MAX && ev.peer_id.len <= BRAID_PEER_ID_MAX);
    ASSERT(ev.display_name.len <= BRAID_EVENT_NAME_MAX);
    ASSERT(ev.device_json.len <= BRAID_EVENT_DEVICE_MAX);
    ASSERT(ev.remote_address.len <= BRAID_EVENT_ADDR_MAX);
    ASSERT(ev.transport_id.len <= BRAID_ID_MAX && ev.producer_id.len <= BRAID_ID_MAX);
    ASSERT(ev.consumer_id.len <= BRAID_ID_MAX && ev.reason.len <= BRAID_REASON_MAX);
    ASSERT(ev.data_producer_id.len <= BRAID_ID_MAX && ev.data_consumer_id.len <= BRAID_ID_MAX);
    ASSERT(ev.spatial_layer >= -1 && ev.spatial_layer <= 255);
    ASSERT(ev.temporal_layer >= -1 && ev.temporal_layer <= 255);
    ASSERT(ev.nscores <= BRAID_MAX_ENCODINGS);
    for (size_t i = 0; i < ev.nscores; i++) {
      proto_test_view_in(ev.scores[i].rid, data, len);
      ASSERT(ev.scores[i].rid.len <= BRAID_MID_MAX);
      ASSERT(ev.scores[i].score <= 10 && ev.scores[i].encoding_idx < BRAID_MAX_ENCODINGS);
    }
  }
  return rc;
}

static braid_event_t make_joined(void) {
  return (braid_event_t){.type = BRAID_EV_PEER_JOINED,
                         .room_id = BRAID_STR_LIT("room-1"),
                         .peer_id = BRAID_STR_LIT("alice"),
                         .controller_id = BRAID_STR_LIT("ctl-a"),
                         .display_name = BRAID_STR_LIT("Alice \xc3\xa9"),
                         .device_json = BRAID_STR_LIT("{\"flag\":\"chrome\",\"version\":\"120\"}"),
                         .remote_address = BRAID_STR_LIT("203.0.113.9")};
}

/* Encodes every type once, for the loops below. */
static size_t encode_samples(braid_buf_t *bufs, size_t max) {
  braid_event_t evs[] = {
      make_joined(),
      {.type = BRAID_EV_PEER_LEFT, .room_id = BRAID_STR_LIT("r"), .peer_id = BRAID_STR_LIT("p"),
       .controller_id = BRAID_STR_LIT("c"), .conn = 1000},
      {.type = BRAID_EV_PEER_EVICT, .room_id = BRAID_STR_LIT("r"), .peer_id = BRAID_STR_LIT("p"),
       .controller_id = BRAID_STR_LIT("c"), .conn = UINT64_MAX},
      {.type = BRAID_EV_ROUTER_CLOSED, .room_id = BRAID_STR_LIT("r"),
       .node_id = BRAID_STR_LIT("n1"), .router_id = BRAID_STR_LIT("rt1")},
      {.type = BRAID_EV_ROOM_CLOSED, .room_id = BRAID_STR_LIT("r")},
      {.type = BRAID_EV_TRANSPORT_STATE, .room_id = BRAID_STR_LIT("r"),
       .transport_id = BRAID_STR_LIT("t1"), .ice_state = BRAID_STR_LIT("completed"),
       .dtls_state = BRAID_STR_LIT("connected")},
      {.type = BRAID_EV_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("r"),
       .producer_id = BRAID_STR_LIT("p1"), .reason = BRAID_STR_LIT("transport closed")},
      {.type = BRAID_EV_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("r"),
       .consumer_id = BRAID_STR_LIT("c1"), .reason = BRAID_STR_LIT("producer closed")},
      {.type = BRAID_EV_CONSUMER_LAYERS, .room_id = BRAID_STR_LIT("r"),
       .consumer_id = BRAID_STR_LIT("c1"), .spatial_layer = 2, .temporal_layer = 1},
      {.type = BRAID_EV_CONSUMER_LAYERS, .room_id = BRAID_STR_LIT("r"),
       .consumer_id = BRAID_STR_LIT("c1"), .spatial_layer = -1, .temporal_layer = -1},
      make_score(),
      {.type = BRAID_EV_PRODUCER_SCORE, .room_id = BRAID_STR_LIT("r"),
       .producer_id = BRAID_STR_LIT("p1")}, /* no stream yet */
      {.type = BRAID_EV_PRODUCER_NEW, .room_id = BRAID_STR_LIT("r"),
       .producer_id = BRAID_STR_LIT("p1"), .peer_id = BRAID_STR_LIT("alice")},
      {.type = BRAID_EV_PRODUCER_PAUSED, .room_id = BRAID_STR_LIT("r"),
       .producer_id = BRAID_STR_LIT("p1")},
      {.type = BRAID_EV_PRODUCER_RESUMED, .room_id = BRAID_STR_LIT("r"),
       .producer_id = BRAID_STR_LIT("p1")},
      {.type = BRAID_EV_DATA_PRODUCER_NEW, .room_id = BRAID_STR_LIT("r"),
       .data_producer_id = BRAID_STR_LIT("dp1"), .peer_id = BRAID_STR_LIT("alice")},
      {.type = BRAID_EV_DATA_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("r"),
       .data_producer_id = BRAID_STR_LIT("dp1"), .reason = BRAID_STR_LIT("transport closed")},
      {.type = BRAID_EV_DATA_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("r"),
       .data_consumer_id = BRAID_STR_LIT("dc1"), .reason = BRAID_STR_LIT("sctp failed")},
  };
  size_t n = sizeof evs / sizeof evs[0];
  ASSERT(n <= max);
  for (size_t i = 0; i < n; i++) {
    braid_buf_init(&bufs[i], BRAID_PROTO_MAX_MSG);
    ASSERT_EQ(braid_event_encode(&evs[i], &bufs[i]), 0);
  }
  return n;
}

static void begin(proto_test_mb_t *b, uint32_t pairs, uint64_t v, const char *type) {
  mb_init(b);
  msgpack_pack_map(&b->pk, pairs);
  mb_kv_u64(b, "v", v);
  mb_kv_str(b, "t", type);
}

static void expect(proto_test_mb_t *b, int rc, const char *why) {
  proto_test_expect(decode, mb_data(b), b->sb.size, rc, why);
  mb_destroy(b);
}

BRAID_TEST(vector_peer_left) {
  braid_event_t ev;
  ASSERT_EQ(braid_event_decode(&ev, peer_left_vec, sizeof peer_left_vec, NULL), 0);
  ASSERT_EQ(ev.type, BRAID_EV_PEER_LEFT);
  ASSERT(braid_str_eq(ev.room_id, "A"));
  ASSERT(braid_str_eq(ev.peer_id, "p"));
  ASSERT(braid_str_eq(ev.controller_id, "c"));
  ASSERT_EQ(ev.conn, 7);
  ASSERT(ev.display_name.len == 0 && ev.node_id.len == 0 && ev.router_id.len == 0);
  braid_event_t mine = {.type = BRAID_EV_PEER_LEFT,
                        .room_id = BRAID_STR_LIT("A"),
                        .peer_id = BRAID_STR_LIT("p"),
                        .controller_id = BRAID_STR_LIT("c"),
                        .conn = 7,
                        .node_id = BRAID_STR_LIT("not a peer.left key: not encoded")};
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(&mine, &out), 0);
  ASSERT_EQ(out.len, sizeof peer_left_vec);
  ASSERT_MEM_EQ(out.data, peer_left_vec, sizeof peer_left_vec);
  braid_buf_cleanup(&out);
}

static void round_trip(const braid_event_t *ev) {
  braid_buf_t a, b;
  braid_event_t back;
  braid_buf_init(&a, BRAID_PROTO_MAX_MSG);
  braid_buf_init(&b, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(ev, &a), 0);
  ASSERT_EQ(braid_event_decode(&back, a.data, a.len, NULL), 0);
  assert_event_eq(ev, &back);
  ASSERT_EQ(braid_event_encode(&back, &b), 0);
  ASSERT_EQ(a.len, b.len);
  ASSERT_MEM_EQ(a.data, b.data, a.len);
  braid_buf_cleanup(&a);
  braid_buf_cleanup(&b);
}

BRAID_TEST(round_trip_every_type) {
  braid_buf_t bufs[20];
  size_t n = encode_samples(bufs, 20);
  for (size_t i = 0; i < n; i++) {
    braid_event_t ev;
    ASSERT_EQ(braid_event_decode(&ev, bufs[i].data, bufs[i].len, NULL), 0);
    round_trip(&ev);
    braid_buf_cleanup(&bufs[i]);
  }
  /* Every string at its limit. */
  static char big[BRAID_EVENT_DEVICE_MAX];
  memset(big, 'x', sizeof big);
  braid_event_t ev = {.type = BRAID_EV_PEER_JOINED,
                      .room_id = {big, BRAID_ROOM_ID_MAX},
                      .peer_id = {big, BRAID_PEER_ID_MAX},
                      .controller_id = {big, BRAID_ID_MAX},
                      .display_name = {big, BRAID_EVENT_NAME_MAX},
                      .device_json = {big, BRAID_EVENT_DEVICE_MAX},
                      .remote_address = {big, BRAID_EVENT_ADDR_MAX}};
  round_trip(&ev);
  braid_event_t closed = {.type = BRAID_EV_ROUTER_CLOSED,
                          .room_id = {big, 1},
                          .node_id = {big, BRAID_ID_MAX},
                          .router_id = {big, BRAID_ID_MAX}};
  round_trip(&closed);
  braid_event_t empty = {.type = BRAID_EV_PEER_JOINED}; /* all strings empty */
  round_trip(&empty);
}

BRAID_TEST(type_names) {
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PEER_JOINED), "peer.joined");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PEER_LEFT), "peer.left");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PEER_EVICT), "peer.evict");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_ROUTER_CLOSED), "router.closed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_ROOM_CLOSED), "room.closed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_TRANSPORT_STATE), "transport.state");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_CLOSED), "producer.closed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_CONSUMER_CLOSED), "consumer.closed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_CONSUMER_LAYERS), "consumer.layers");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_SCORE), "producer.score");
  ASSERT(braid_event_type_name((braid_event_type_t)0) == NULL);
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_NEW), "producer.new");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_PAUSED), "producer.paused");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_RESUMED), "producer.resumed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_DATA_PRODUCER_NEW), "data_producer.new");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_DATA_PRODUCER_CLOSED), "data_producer.closed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_DATA_CONSUMER_CLOSED), "data_consumer.closed");
  ASSERT(braid_event_type_name((braid_event_type_t)(BRAID_EV_DATA_CONSUMER_CLOSED + 1)) == NULL);
}

BRAID_TEST(encode_refuses_bad_events) {
  static char big[BRAID_EVENT_DEVICE_MAX + 1];
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  braid_event_t ev = make_joined();
  ev.type = (braid_event_type_t)77;
  ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
  struct {
    braid_str_t *field;
    size_t limit;
  } cases[] = {
      {&ev.room_id, BRAID_ROOM_ID_MAX},         {&ev.peer_id, BRAID_PEER_ID_MAX},
      {&ev.controller_id, BRAID_ID_MAX},        {&ev.display_name, BRAID_EVENT_NAME_MAX},
      {&ev.device_json, BRAID_EVENT_DEVICE_MAX}, {&ev.remote_address, BRAID_EVENT_ADDR_MAX},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ev = make_joined();
    *cases[i].field = (braid_str_t){big, cases[i].limit + 1};
    ASSERT_EQ(braid_event_encode(&ev, &out), BRAID_EINVAL);
    *cases[i].field = (braid_str_t){big, cases[i].limit};
    ASSERT_EQ(braid_event_encode(&ev, &out), 0);
  }
  braid_event_t closed = {.type = BRAID_EV_ROUTER_CLOSED, .node_id = {big, BRAID_ID_MAX + 1}};
  size_t before = out.len;
  ASSERT_EQ(braid_event_encode(&closed, &out), BRAID_EINVAL);
  closed = (braid_event_t){.type = BRAID_EV_ROUTER_CLOSED, .router_id = {NULL, 2}};
  ASSERT_EQ(braid_event_encode(&closed, &out), BRAID_EINVAL);
  ASSERT_EQ(out.len, before);
  /* A field of another type is not checked: it is not encoded. */
  closed = (braid_event_t){.type = BRAID_EV_ROOM_CLOSED, .peer_id = {big, sizeof big}};
  ASSERT_EQ(braid_event_encode(&closed, &out), 0);
  braid_buf_cleanup(&out);
}

BRAID_TEST(every_truncation_fails) {
  proto_test_truncations(decode, peer_left_vec, sizeof peer_left_vec);
  braid_buf_t bufs[20];
  size_t n = encode_samples(bufs, 20);
  for (size_t i = 0; i < n; i++) {
    proto_test_truncations(decode, bufs[i].data, bufs[i].len);
    braid_buf_cleanup(&bufs[i]);
  }
}

BRAID_TEST(every_corruption_is_safe) {
  ASSERT(proto_test_corruptions(decode, peer_left_vec, sizeof peer_left_vec) > 0);
  braid_buf_t bufs[20];
  size_t n = encode_samples(bufs, 20);
  for (size_t i = 0; i < n; i++) {
    ASSERT(proto_test_corruptions(decode, bufs[i].data, bufs[i].len) > 0);
    braid_buf_cleanup(&bufs[i]);
  }
}

BRAID_TEST(wrong_version) {
  proto_test_mb_t b;
  begin(&b, 3, 2, "room.closed");
  mb_kv_str(&b, "room", "r");
  expect(&b, BRAID_EVERSION, "unsupported protocol version");
  begin(&b, 3, UINT64_MAX, "room.closed");
  mb_kv_str(&b, "room", "r");
  expect(&b, BRAID_EVERSION, NULL);
}

BRAID_TEST(wrong_types) {
  proto_test_mb_t b;
  begin(&b, 3, 1, "room.closed");
  mb_kv_u64(&b, "room", 1);
  expect(&b, BRAID_ETYPE, "key 'room' has wrong type");
  begin(&b, 6, 1, "peer.left");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  mb_kv_str(&b, "conn", "7");
  expect(&b, BRAID_ETYPE, "key 'conn' has wrong type");
  begin(&b, 6, 1, "peer.evict");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  mb_str(&b, "conn");
  msgpack_pack_int8(&b.pk, -7);
  expect(&b, BRAID_EMALFORMED, "key 'conn' is out of range");
  begin(&b, 5, 1, "router.closed");
  mb_kv_str(&b, "room", "r");
  mb_str(&b, "node");
  msgpack_pack_bin_with_body(&b.pk, "n", 1);
  mb_kv_str(&b, "router", "x");
  expect(&b, BRAID_ETYPE, "key 'node' has wrong type");
}

BRAID_TEST(missing_keys) {
  proto_test_mb_t b;
  begin(&b, 2, 1, "room.closed");
  expect(&b, BRAID_EMISSING, "missing key 'room'");
  begin(&b, 5, 1, "peer.evict");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  expect(&b, BRAID_EMISSING, "missing key 'conn'");
  begin(&b, 7, 1, "peer.joined");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  mb_kv_str(&b, "name", "n");
  mb_kv_str(&b, "device", "{}");
  expect(&b, BRAID_EMISSING, "missing key 'addr'");
  begin(&b, 4, 1, "router.closed");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "node", "n");
  expect(&b, BRAID_EMISSING, "missing key 'router'");
}

BRAID_TEST(over_long_strings) {
  static const struct {
    const char *key;
    size_t limit;
  } keys[] = {{"room", BRAID_ROOM_ID_MAX}, {"peer", BRAID_PEER_ID_MAX},
              {"ctl", BRAID_ID_MAX},       {"name", BRAID_EVENT_NAME_MAX},
              {"device", BRAID_EVENT_DEVICE_MAX}, {"addr", BRAID_EVENT_ADDR_MAX}};
  static const char *all[] = {"room", "peer", "ctl", "name", "device", "addr"};
  for (size_t k = 0; k < 6; k++) {
    for (size_t extra = 0; extra <= 1; extra++) {
      proto_test_mb_t b;
      char why[64];
      begin(&b, 8, 1, "peer.joined");
      for (size_t i = 0; i < 6; i++) {
        mb_str(&b, all[i]);
        if (i == k) mb_str_n(&b, 'x', keys[k].limit + extra);
        else mb_str(&b, "ok");
      }
      snprintf(why, sizeof why, "key '%s' is too long", keys[k].key);
      if (extra) expect(&b, BRAID_ETOOBIG, why);
      else expect(&b, 0, NULL);
    }
  }
}

BRAID_TEST(other_types_keys_are_ignored) {
  proto_test_mb_t b;
  braid_event_t ev;
  begin(&b, 8, 1, "router.closed");
  mb_kv_str(&b, "peer", "not a router.closed key");
  mb_kv_u64(&b, "conn", 5);
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "node", "n");
  mb_kv_str(&b, "router", "x");
  mb_str(&b, "future");
  msgpack_pack_map(&b.pk, 1);
  mb_kv_str(&b, "k", "v");
  ASSERT_EQ(braid_event_decode(&ev, mb_data(&b), b.sb.size, NULL), 0);
  ASSERT_EQ(ev.type, BRAID_EV_ROUTER_CLOSED);
  ASSERT(ev.peer_id.len == 0 && ev.peer_id.p == NULL && ev.conn == 0);
  ASSERT(braid_str_eq(ev.node_id, "n") && braid_str_eq(ev.router_id, "x"));
  mb_destroy(&b);
}

BRAID_TEST(bad_shapes) {
  proto_test_mb_t b;
  begin(&b, 3, 1, "peer.danced");
  mb_kv_str(&b, "room", "r");
  expect(&b, BRAID_EUNKNOWN, "unknown message type");
  begin(&b, 4, 1, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "room", "r");
  expect(&b, BRAID_EMALFORMED, "duplicate key 'room'");
  begin(&b, 4, 1, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_str(&b, "deep");
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH);
  expect(&b, BRAID_ETOOBIG, "nesting too deep");
  begin(&b, 4, 1, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_str(&b, "deep");
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH - 1);
  expect(&b, 0, NULL);
  static const uint8_t str[] = {0xa1, 'x'};
  proto_test_expect(decode, str, sizeof str, BRAID_EMALFORMED, "message is not a map");
  uint8_t *big = calloc(1, BRAID_PROTO_MAX_MSG + 1);
  memcpy(big, peer_left_vec, sizeof peer_left_vec);
  proto_test_expect(decode, big, BRAID_PROTO_MAX_MSG + 1, BRAID_ETOOBIG, "message too big");
  proto_test_expect(decode, big, sizeof peer_left_vec + 2, BRAID_EMALFORMED,
                    "trailing bytes after the message");
  free(big);
}

BRAID_TEST(encode_out_of_memory) {
  static char device[BRAID_EVENT_DEVICE_MAX];
  memset(device, '{', sizeof device);
  braid_event_t ev = make_joined();
  ev.device_json = (braid_str_t){device, sizeof device};
  int failures = 0;
  for (int k = 1; k < 100; k++) {
    braid_buf_t out;
    int rc = 0;
    size_t done = 0;
    proto_test_alloc_fail(k);
    braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
    for (; done < 4 && rc == 0; done++) rc = braid_event_encode(&ev, &out);
    if (rc != 0) {
      ASSERT_EQ(rc, BRAID_ENOMEM);
      failures++;
      done--;
    }
    /* Whole messages only; each decodes. */
    size_t one = done > 0 ? out.len / done : 0;
    ASSERT_EQ(out.len, one * done);
    for (size_t i = 0; i < done; i++) {
      braid_event_t back;
      ASSERT_EQ(braid_event_decode(&back, out.data + i * one, one, NULL), 0);
      assert_event_eq(&ev, &back);
    }
    braid_buf_cleanup(&out);
    braid_mem_set_hooks(NULL);
    ASSERT_EQ(proto_test_live, 0);
    if (rc == 0) break;
  }
  ASSERT(failures >= 3);
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
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(&mine, &out), 0);
  ASSERT_EQ(out.len, sizeof producer_score_vec);
  ASSERT_MEM_EQ(out.data, producer_score_vec, sizeof producer_score_vec);
  braid_buf_cleanup(&out);
  proto_test_truncations(decode, producer_score_vec, sizeof producer_score_vec);
  ASSERT(proto_test_corruptions(decode, producer_score_vec, sizeof producer_score_vec) > 0);
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
}

/* Patches the encoding of ev (see proto_test_patch()). */
static void patch(const braid_event_t *ev, proto_test_patch_op_t op, const char *path,
                  msgpack_object v, int rc, const char *why) {
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(ev, &out), 0);
  proto_test_patch(decode, out.data, out.len, op, path, v, rc, why);
  braid_buf_cleanup(&out);
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
  braid_event_t pc = {.type = BRAID_EV_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                      .producer_id = BRAID_STR_LIT("p"), .reason = BRAID_STR_LIT("closed")};
  patch(&pc, PATCH_DEL, "reason", mo_nil(), BRAID_EMISSING, "missing key 'reason'");
  patch(&pc, PATCH_SET, "consumer", mo_u(5), 0, NULL); /* another type's key: skipped */
  braid_event_t cc = {.type = BRAID_EV_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("r"),
                      .consumer_id = BRAID_STR_LIT("c"), .reason = BRAID_STR_LIT("closed")};
  patch(&cc, PATCH_DEL, "consumer", mo_nil(), BRAID_EMISSING, "missing key 'consumer'");
  /* Strings one over their limits. */
  proto_test_doc_t d;
  doc_load(&d, producer_score_vec, sizeof producer_score_vec);
  patch(&pc, PATCH_SET, "reason", mo_str_n(&d, 'x', BRAID_REASON_MAX + 1), BRAID_ETOOBIG,
        "key 'reason' is too long");
  patch(&pc, PATCH_SET, "reason", mo_str_n(&d, 'x', BRAID_REASON_MAX), 0, NULL);
  patch(&pc, PATCH_SET, "producer", mo_str_n(&d, 'x', BRAID_ID_MAX + 1), BRAID_ETOOBIG,
        "key 'producer' is too long");
  patch(&cc, PATCH_SET, "consumer", mo_str_n(&d, 'x', BRAID_ID_MAX + 1), BRAID_ETOOBIG,
        "key 'consumer' is too long");
  patch(&ts, PATCH_SET, "transport", mo_str_n(&d, 'x', BRAID_ID_MAX + 1), BRAID_ETOOBIG,
        "key 'transport' is too long");
  doc_free(&d);
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

static void vector_round_trip(const braid_event_t *mine, const uint8_t *vec, size_t len) {
  braid_event_t ev;
  ASSERT_EQ(braid_event_decode(&ev, vec, len, NULL), 0);
  assert_event_eq(&ev, mine);
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(mine, &out), 0);
  ASSERT_EQ(out.len, len);
  ASSERT_MEM_EQ(out.data, vec, len);
  braid_buf_cleanup(&out);
  proto_test_truncations(decode, vec, len);
  ASSERT(proto_test_corruptions(decode, vec, len) > 0);
}

BRAID_TEST(vector_producer_new_paused_resumed) {
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_NEW, .room_id = BRAID_STR_LIT("A"),
                      .producer_id = BRAID_STR_LIT("p1"), .peer_id = BRAID_STR_LIT("alice")};
  vector_round_trip(&ev, producer_new_vec, sizeof producer_new_vec);
  ev = (braid_event_t){.type = BRAID_EV_PRODUCER_PAUSED, .room_id = BRAID_STR_LIT("A"),
                       .producer_id = BRAID_STR_LIT("p1"),
                       .peer_id = BRAID_STR_LIT("not a producer.paused key")};
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(&ev, &out), 0); /* peer is not encoded */
  ASSERT_EQ(out.len, sizeof producer_paused_vec);
  ASSERT_MEM_EQ(out.data, producer_paused_vec, sizeof producer_paused_vec);
  braid_buf_cleanup(&out);
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
  proto_test_doc_t d;
  doc_load(&d, producer_new_vec, sizeof producer_new_vec);
  patch(&pn, PATCH_SET, "peer", mo_str_n(&d, 'x', BRAID_PEER_ID_MAX + 1), BRAID_ETOOBIG,
        "key 'peer' is too long");
  patch(&pn, PATCH_SET, "peer", mo_str_n(&d, 'x', BRAID_PEER_ID_MAX), 0, NULL);
  patch(&pp, PATCH_SET, "producer", mo_str_n(&d, 'x', BRAID_ID_MAX + 1), BRAID_ETOOBIG,
        "key 'producer' is too long");
  doc_free(&d);
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
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(&ev, &out), 0); /* consumer is not encoded */
  ASSERT_EQ(out.len, sizeof data_consumer_closed_vec);
  ASSERT_MEM_EQ(out.data, data_consumer_closed_vec, sizeof data_consumer_closed_vec);
  braid_buf_cleanup(&out);
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
  proto_test_doc_t d;
  doc_load(&d, data_producer_new_vec, sizeof data_producer_new_vec);
  patch(&dn, PATCH_SET, "data_producer", mo_str_n(&d, 'x', BRAID_ID_MAX + 1), BRAID_ETOOBIG,
        "key 'data_producer' is too long");
  patch(&dn, PATCH_SET, "data_producer", mo_str_n(&d, 'x', BRAID_ID_MAX), 0, NULL);
  patch(&cc, PATCH_SET, "data_consumer", mo_str_n(&d, 'x', BRAID_ID_MAX + 1), BRAID_ETOOBIG,
        "key 'data_consumer' is too long");
  patch(&dc, PATCH_SET, "reason", mo_str_n(&d, 'x', BRAID_REASON_MAX + 1), BRAID_ETOOBIG,
        "key 'reason' is too long");
  doc_free(&d);
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
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_event_encode(&ev, &out), 0);
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
    char path[32], why[64];
    snprintf(path, sizeof path, "scores.1.%s", keys[i]);
    snprintf(why, sizeof why, "missing key '%s'", keys[i]);
    proto_test_patch(decode, producer_score_vec, sizeof producer_score_vec, PATCH_DEL, path,
                     mo_nil(), BRAID_EMISSING, why);
  }
  proto_test_patch(decode, producer_score_vec, sizeof producer_score_vec, PATCH_ADD,
                   "scores.0.idx", mo_u(1), BRAID_EMALFORMED, "duplicate key 'idx'");
  proto_test_patch(decode, producer_score_vec, sizeof producer_score_vec, PATCH_DEL, "scores",
                   mo_nil(), BRAID_EMISSING, "missing key 'scores'");
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

BRAID_TEST(encode_out_of_memory_scores) {
  braid_event_t ev = make_score();
  int failures = 0;
  for (int k = 1; k < 100; k++) {
    braid_buf_t out;
    int rc = 0;
    size_t done = 0;
    proto_test_alloc_fail(k);
    braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
    for (; done < 40 && rc == 0; done++) rc = braid_event_encode(&ev, &out);
    if (rc != 0) {
      ASSERT_EQ(rc, BRAID_ENOMEM);
      failures++;
      done--;
    }
    ASSERT_EQ(out.len, done * sizeof producer_score_vec);
    for (size_t i = 0; i < done; i++)
      ASSERT_MEM_EQ(out.data + i * sizeof producer_score_vec, producer_score_vec,
                    sizeof producer_score_vec);
    braid_buf_cleanup(&out);
    braid_mem_set_hooks(NULL);
    ASSERT_EQ(proto_test_live, 0);
    if (rc == 0) break;
  }
  ASSERT(failures >= 3);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vector_peer_left)
    BRAID_TEST_ENTRY(round_trip_every_type)
    BRAID_TEST_ENTRY(type_names)
    BRAID_TEST_ENTRY(encode_refuses_bad_events)
    BRAID_TEST_ENTRY(every_truncation_fails)
    BRAID_TEST_ENTRY(every_corruption_is_safe)
    BRAID_TEST_ENTRY(wrong_version)
    BRAID_TEST_ENTRY(wrong_types)
    BRAID_TEST_ENTRY(missing_keys)
    BRAID_TEST_ENTRY(over_long_strings)
    BRAID_TEST_ENTRY(other_types_keys_are_ignored)
    BRAID_TEST_ENTRY(bad_shapes)
    BRAID_TEST_ENTRY(encode_out_of_memory)
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
    BRAID_TEST_ENTRY(data_events_keys))
