/* Unit tests of room events, proto/event.c: the envelope and decoding
 * rules, the controller's room and peer events, and the robustness loops
 * over every type. The node's media events are tested in
 * event_media_test.c. */
#include "proto/event.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* The checking decoder of events. */
static const proto_test_decode_fn decode = proto_test_event_decode;

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

static braid_event_t make_joined(void) {
  return (braid_event_t){.type = BRAID_EV_PEER_JOINED,
                         .room_id = BRAID_STR_LIT("room-1"),
                         .peer_id = BRAID_STR_LIT("alice"),
                         .controller_id = BRAID_STR_LIT("ctl-a"),
                         .display_name = BRAID_STR_LIT("Alice \xc3\xa9"),
                         .device_json = BRAID_STR_LIT("{\"flag\":\"chrome\",\"version\":\"120\"}"),
                         .remote_address = BRAID_STR_LIT("203.0.113.9")};
}

/* The vector and every type once, for the loops below. */
static void samples(proto_test_samples_t *s) {
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
      {.type = BRAID_EV_PRODUCER_SCORE, .room_id = BRAID_STR_LIT("A"),
       .producer_id = BRAID_STR_LIT("p1"), .nscores = 2,
       .scores = {{482301923, BRAID_STR_LIT("r0"), 10, 0}, {482301924, BRAID_STR_LIT("r1"), 7, 1}}},
      {.type = BRAID_EV_PRODUCER_SCORE, .room_id = BRAID_STR_LIT("r"),
       .producer_id = BRAID_STR_LIT("p1")}, /* no stream yet */
      {.type = BRAID_EV_CONSUMER_SCORE, .room_id = BRAID_STR_LIT("A"),
       .consumer_id = BRAID_STR_LIT("c1"), .score = 9, .producer_score = 7, .nscores = 2,
       .scores = {{482301923, BRAID_STR_LIT("r0"), 10, 0}, {482301924, BRAID_STR_LIT("r1"), 7, 1}}},
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
      {.type = BRAID_EV_ROUTER_VOLUMES, .room_id = BRAID_STR_LIT("r"),
       .router_id = BRAID_STR_LIT("rt1"), .producer_id = BRAID_STR_LIT("p1"), .nvolumes = 2,
       .volumes = {{BRAID_STR_LIT("p1"), -12}, {BRAID_STR_LIT("p2"), -80}}},
      {.type = BRAID_EV_ROUTER_VOLUMES, .room_id = BRAID_STR_LIT("r"),
       .router_id = BRAID_STR_LIT("rt1")}, /* silence */
      {.type = BRAID_EV_ROUTER_DOMINANT_SPEAKER, .room_id = BRAID_STR_LIT("r"),
       .router_id = BRAID_STR_LIT("rt1"), .producer_id = BRAID_STR_LIT("p1")},
  };
  proto_test_sample_bytes(s, peer_left_vec, sizeof peer_left_vec);
  for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
    proto_test_sample(s, &proto_test_event, &evs[i]);
}

/* round_trip(), patch() and string_limit() of events. */
PROTO_TEST_SHORTHANDS(braid_event_t, &proto_test_event, proto_test_event_eq, decode)

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
  proto_test_encodes_to(&proto_test_event, &mine, peer_left_vec, sizeof peer_left_vec);
}

BRAID_TEST(round_trip_every_type) {
  proto_test_samples_t s;
  proto_test_samples_load(&s, samples);
  for (size_t i = 0; i < s.n; i++) {
    braid_event_t ev;
    ASSERT_EQ(braid_event_decode(&ev, s.bufs[i].data, s.bufs[i].len, NULL), 0);
    round_trip(&ev);
  }
  proto_test_samples_cleanup(&s);
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
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_CONSUMER_SCORE), "consumer.score");
  ASSERT(braid_event_type_name((braid_event_type_t)0) == NULL);
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_NEW), "producer.new");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_PAUSED), "producer.paused");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_PRODUCER_RESUMED), "producer.resumed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_DATA_PRODUCER_NEW), "data_producer.new");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_DATA_PRODUCER_CLOSED), "data_producer.closed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_DATA_CONSUMER_CLOSED), "data_consumer.closed");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_ROUTER_VOLUMES), "router.volumes");
  ASSERT_STR_EQ(braid_event_type_name(BRAID_EV_ROUTER_DOMINANT_SPEAKER), "router.dominant_speaker");
  /* Past the last type (types are added at the end of the enum). */
  ASSERT(braid_event_type_name((braid_event_type_t)1000) == NULL);
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

PROTO_TEST_ROBUSTNESS(decode, samples)

BRAID_TEST(wrong_version) {
  proto_test_mb_t b;
  mb_begin(&b, 3, 2, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_expect(decode, &b, BRAID_EVERSION, "unsupported protocol version");
  mb_begin(&b, 3, UINT64_MAX, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_expect(decode, &b, BRAID_EVERSION, NULL);
}

BRAID_TEST(wrong_types) {
  proto_test_mb_t b;
  mb_begin(&b, 3, 1, "room.closed");
  mb_kv_u64(&b, "room", 1);
  mb_expect(decode, &b, BRAID_ETYPE, "key 'room' has wrong type");
  mb_begin(&b, 6, 1, "peer.left");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  mb_kv_str(&b, "conn", "7");
  mb_expect(decode, &b, BRAID_ETYPE, "key 'conn' has wrong type");
  mb_begin(&b, 6, 1, "peer.evict");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  mb_str(&b, "conn");
  msgpack_pack_int8(&b.pk, -7);
  mb_expect(decode, &b, BRAID_EMALFORMED, "key 'conn' is out of range");
  mb_begin(&b, 5, 1, "router.closed");
  mb_kv_str(&b, "room", "r");
  mb_str(&b, "node");
  msgpack_pack_bin_with_body(&b.pk, "n", 1);
  mb_kv_str(&b, "router", "x");
  mb_expect(decode, &b, BRAID_ETYPE, "key 'node' has wrong type");
}

BRAID_TEST(missing_keys) {
  proto_test_mb_t b;
  mb_begin(&b, 2, 1, "room.closed");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'room'");
  mb_begin(&b, 5, 1, "peer.evict");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'conn'");
  mb_begin(&b, 7, 1, "peer.joined");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "peer", "p");
  mb_kv_str(&b, "ctl", "c");
  mb_kv_str(&b, "name", "n");
  mb_kv_str(&b, "device", "{}");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'addr'");
  mb_begin(&b, 4, 1, "router.closed");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "node", "n");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'router'");
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
      mb_begin(&b, 8, 1, "peer.joined");
      for (size_t i = 0; i < 6; i++) {
        mb_str(&b, all[i]);
        if (i == k) mb_str_n(&b, 'x', keys[k].limit + extra);
        else mb_str(&b, "ok");
      }
      snprintf(why, sizeof why, "key '%s' is too long", keys[k].key);
      if (extra) mb_expect(decode, &b, BRAID_ETOOBIG, why);
      else mb_expect(decode, &b, 0, NULL);
    }
  }
}

BRAID_TEST(other_types_keys_are_ignored) {
  proto_test_mb_t b;
  braid_event_t ev;
  mb_begin(&b, 8, 1, "router.closed");
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
  mb_begin(&b, 3, 1, "peer.danced");
  mb_kv_str(&b, "room", "r");
  mb_expect(decode, &b, BRAID_EUNKNOWN, "unknown message type");
  mb_begin(&b, 4, 1, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_kv_str(&b, "room", "r");
  mb_expect(decode, &b, BRAID_EMALFORMED, "duplicate key 'room'");
  mb_begin(&b, 4, 1, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_str(&b, "deep");
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH);
  mb_expect(decode, &b, BRAID_ETOOBIG, "nesting too deep");
  mb_begin(&b, 4, 1, "room.closed");
  mb_kv_str(&b, "room", "r");
  mb_str(&b, "deep");
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH - 1);
  mb_expect(decode, &b, 0, NULL);
  static const uint8_t str[] = {0xa1, 'x'};
  proto_test_expect(decode, str, sizeof str, BRAID_EMALFORMED, "message is not a map");
  uint8_t *big = calloc(1, BRAID_PROTO_MAX_MSG + 1);
  memcpy(big, peer_left_vec, sizeof peer_left_vec);
  proto_test_expect(decode, big, BRAID_PROTO_MAX_MSG + 1, BRAID_ETOOBIG, "message too big");
  proto_test_expect(decode, big, sizeof peer_left_vec + 2, BRAID_EMALFORMED,
                    "trailing bytes after the message");
  free(big);
}

/* A run of 4 with the longest device (proto_test_run_oom()); the run's
 * message decodes to the event. */
BRAID_TEST(encode_out_of_memory) {
  static char device[BRAID_EVENT_DEVICE_MAX];
  memset(device, '{', sizeof device);
  braid_event_t ev = make_joined();
  ev.device_json = (braid_str_t){device, sizeof device};
  round_trip(&ev);
  proto_test_encode_oom(&proto_test_event, &ev, 1, 4);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vector_peer_left)
    BRAID_TEST_ENTRY(round_trip_every_type)
    BRAID_TEST_ENTRY(type_names)
    BRAID_TEST_ENTRY(encode_refuses_bad_events)
    PROTO_TEST_ROBUSTNESS_ENTRIES
    BRAID_TEST_ENTRY(wrong_version)
    BRAID_TEST_ENTRY(wrong_types)
    BRAID_TEST_ENTRY(missing_keys)
    BRAID_TEST_ENTRY(over_long_strings)
    BRAID_TEST_ENTRY(other_types_keys_are_ignored)
    BRAID_TEST_ENTRY(bad_shapes)
    BRAID_TEST_ENTRY(encode_out_of_memory))
