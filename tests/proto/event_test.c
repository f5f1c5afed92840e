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
}

static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_event_t ev;
  int rc = braid_event_decode(&ev, data, len, why);
  if (rc == 0) {
    ASSERT(braid_event_type_name(ev.type) != NULL);
    const braid_str_t views[] = {ev.room_id,      ev.peer_id,     ev.controller_id,
                                 ev.display_name, ev.device_json, ev.remote_address,
                                 ev.node_id,      ev.router_id};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
      proto_test_view_in(views[i], data, len);
    ASSERT(ev.room_id.len <= BRAID_ROOM_ID_MAX && ev.peer_id.len <= BRAID_PEER_ID_MAX);
    ASSERT(ev.display_name.len <= BRAID_EVENT_NAME_MAX);
    ASSERT(ev.device_json.len <= BRAID_EVENT_DEVICE_MAX);
    ASSERT(ev.remote_address.len <= BRAID_EVENT_ADDR_MAX);
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
  braid_buf_t bufs[8];
  size_t n = encode_samples(bufs, 8);
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
  ASSERT(braid_event_type_name((braid_event_type_t)0) == NULL);
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
  braid_buf_t bufs[8];
  size_t n = encode_samples(bufs, 8);
  for (size_t i = 0; i < n; i++) {
    proto_test_truncations(decode, bufs[i].data, bufs[i].len);
    braid_buf_cleanup(&bufs[i]);
  }
}

BRAID_TEST(every_corruption_is_safe) {
  ASSERT(proto_test_corruptions(decode, peer_left_vec, sizeof peer_left_vec) > 0);
  braid_buf_t bufs[8];
  size_t n = encode_samples(bufs, 8);
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
    BRAID_TEST_ENTRY(encode_out_of_memory))
