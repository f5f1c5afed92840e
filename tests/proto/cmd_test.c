/* Unit tests of commands, proto/cmd.c (and the shared decoding in codec.c). */
#include "proto/cmd.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* "router.create", every field annotated (STYLE.md rule 37). */
static const uint8_t router_create_vec[] = {
    0x87,                                                /* map, 7 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xad, 'r', 'o', 'u', 't', 'e', 'r', '.',  /* "t": fixstr(13) "router. */
    'c', 'r', 'e', 'a', 't', 'e',                        /*   create" */
    0xa2, 'i', 'd', 0x2a,                                /* "id": 42 (positive fixint) */
    0xa2, 'r', 't', 0xa4, 'c', 't', 'l', '1',            /* "rt": "ctl1" */
    0xa2, 'd', 'l', 0xcf, 0x00, 0x00, 0x01, 0x8b, 0xcf,  /* "dl": uint64 1700000000000 */
    0xe5, 0x68, 0x00,                                    /*   (0x0000018bcfe56800) */
    0xa6, 'r', 'o', 'u', 't', 'e', 'r', 0xa2, 'r', '1',  /* "router": "r1" */
    0xa4, 'r', 'o', 'o', 'm', 0xa5, 'l', 'o', 'b', 'b', 'y', /* "room": "lobby" */
};

static braid_cmd_t make_create(void) {
  braid_cmd_t c = {.type = BRAID_CMD_ROUTER_CREATE,
                   .id = 42,
                   .reply_to = BRAID_STR_LIT("ctl1"),
                   .deadline_ms = INT64_C(1700000000000)};
  c.u.router_create.router_id = BRAID_STR_LIT("r1");
  c.u.router_create.room_id = BRAID_STR_LIT("lobby");
  return c;
}

static void assert_cmd_eq(const void *pa, const void *pb) {
  const braid_cmd_t *a = pa, *b = pb;
  proto_test_cmd_envelope_eq(a, b);
  switch (a->type) {
  case BRAID_CMD_ROUTER_CREATE:
    ASSERT(str_same(a->u.router_create.router_id, b->u.router_create.router_id));
    ASSERT(str_same(a->u.router_create.room_id, b->u.router_create.room_id));
    break;
  case BRAID_CMD_ROUTER_CLOSE:
    ASSERT(str_same(a->u.router_close.router_id, b->u.router_close.router_id));
    break;
  case BRAID_CMD_NODE_DUMP: break;
  default:
    /* The transport, producer and consumer bodies are compared field by
     * field in transport_test.c, producer_test.c and consumer_test.c. */
    break;
  }
}

static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_cmd_t cmd;
  int rc = braid_cmd_decode(&cmd, data, len, why);
  if (rc == 0) {
    ASSERT(braid_cmd_type_name(cmd.type) != NULL);
    proto_test_view_in(cmd.reply_to, data, len);
    proto_test_view_in(cmd.u.router_create.router_id, data, len);
    proto_test_view_in(cmd.u.router_create.room_id, data, len);
    ASSERT(cmd.reply_to.len <= BRAID_ID_MAX);
    ASSERT(cmd.u.router_create.router_id.len <= BRAID_ID_MAX);
    ASSERT(cmd.u.router_create.room_id.len <= BRAID_ROOM_ID_MAX);
  }
  return rc;
}

/* round_trip(), patch() and string_limit() of this file's commands. */
PROTO_TEST_SHORTHANDS(braid_cmd_t, &proto_test_cmd, assert_cmd_eq, decode)

/* The vector and the other types, for the robustness loops. */
static void samples(proto_test_samples_t *s) {
  braid_cmd_t close = {
      .type = BRAID_CMD_ROUTER_CLOSE, .id = 300, .reply_to = BRAID_STR_LIT("ctl")};
  close.u.router_close.router_id = BRAID_STR_LIT("r");
  braid_cmd_t dump = {.type = BRAID_CMD_NODE_DUMP, .id = 1, .reply_to = BRAID_STR_LIT("ctl")};
  proto_test_sample_bytes(s, router_create_vec, sizeof router_create_vec);
  proto_test_sample(s, &proto_test_cmd, &close);
  proto_test_sample(s, &proto_test_cmd, &dump);
}

BRAID_TEST(vector_router_create) {
  braid_cmd_t cmd;
  const char *why = NULL;
  ASSERT_EQ(braid_cmd_decode(&cmd, router_create_vec, sizeof router_create_vec, &why), 0);
  ASSERT_EQ(cmd.type, BRAID_CMD_ROUTER_CREATE);
  ASSERT_EQ(cmd.id, 42);
  ASSERT(braid_str_eq(cmd.reply_to, "ctl1"));
  ASSERT_EQ(cmd.deadline_ms, INT64_C(1700000000000));
  ASSERT(braid_str_eq(cmd.u.router_create.router_id, "r1"));
  ASSERT(braid_str_eq(cmd.u.router_create.room_id, "lobby"));
  /* Views point into the input. */
  const char *end = (const char *)router_create_vec + sizeof router_create_vec;
  ASSERT(cmd.u.router_create.room_id.p == end - 5);

  braid_cmd_t mine = make_create();
  proto_test_encodes_to(&proto_test_cmd, &mine, router_create_vec, sizeof router_create_vec);
}

BRAID_TEST(round_trip_every_type) {
  char router[BRAID_ID_MAX], room[BRAID_ROOM_ID_MAX];
  memset(router, 'r', sizeof router);
  memset(room, 'm', sizeof room);
  braid_cmd_t c = make_create();
  round_trip(&c);
  c.id = UINT64_MAX;
  c.deadline_ms = INT64_MIN;
  c.u.router_create.router_id = (braid_str_t){router, sizeof router}; /* at the limits */
  c.u.router_create.room_id = (braid_str_t){room, sizeof room};
  c.reply_to = (braid_str_t){router, sizeof router};
  round_trip(&c);
  c.u.router_create.router_id = (braid_str_t){NULL, 0}; /* empty strings are fine */
  c.deadline_ms = -1;
  round_trip(&c);

  braid_cmd_t close = {.type = BRAID_CMD_ROUTER_CLOSE, .id = 7, .reply_to = BRAID_STR_LIT("c")};
  close.u.router_close.router_id = BRAID_STR_LIT("router-1");
  round_trip(&close);
  braid_cmd_t dump = {.type = BRAID_CMD_NODE_DUMP, .id = 0, .reply_to = BRAID_STR_LIT("c"),
                      .deadline_ms = INT64_MAX};
  round_trip(&dump);
}

BRAID_TEST(type_names) {
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_ROUTER_CREATE), "router.create");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_ROUTER_CLOSE), "router.close");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_NODE_DUMP), "node.dump");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_CREATE_WEBRTC), "transport.create_webrtc");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_CONNECT), "transport.connect");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_RESTART_ICE), "transport.restart_ice");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_CLOSE), "transport.close");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_PRODUCER_CREATE), "producer.create");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_PRODUCER_CLOSE), "producer.close");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_PRODUCER_PAUSE), "producer.pause");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_PRODUCER_RESUME), "producer.resume");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_CONSUMER_CREATE), "consumer.create");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_CONSUMER_CLOSE), "consumer.close");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_CONSUMER_PAUSE), "consumer.pause");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_CONSUMER_RESUME), "consumer.resume");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME),
                "consumer.request_key_frame");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_STATS), "transport.stats");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_PRODUCER_STATS), "producer.stats");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_CONSUMER_STATS), "consumer.stats");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_CONSUMER_SET_LAYERS), "consumer.set_layers");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_CREATE_PLAIN), "transport.create_plain");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_CONNECT_PLAIN), "transport.connect_plain");
  ASSERT(braid_cmd_type_name((braid_cmd_type_t)0) == NULL);
  /* The data_* names are checked in data_test.c. */
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_DATA_PRODUCER_CREATE), "data_producer.create");
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_DATA_CONSUMER_STATS), "data_consumer.stats");
  ASSERT(braid_cmd_type_name((braid_cmd_type_t)(BRAID_CMD_CONSUMER_SET_PRIORITY + 1)) == NULL);
  ASSERT(braid_cmd_type_name((braid_cmd_type_t)99) == NULL);
}

/* The stats commands reuse the entity reference bodies. */
BRAID_TEST(stats_commands_round_trip) {
  braid_buf_t out;
  braid_cmd_t c = {.type = BRAID_CMD_CONSUMER_STATS, .id = 9, .reply_to = BRAID_STR_LIT("ctl")};
  c.u.consumer_ref.consumer_id = BRAID_STR_LIT("c1");
  braid_cmd_t d;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_cmd_encode(&c, &out), 0);
  ASSERT_EQ(braid_cmd_decode(&d, out.data, out.len, NULL), 0);
  ASSERT_EQ(d.type, BRAID_CMD_CONSUMER_STATS);
  ASSERT(braid_str_eq(d.u.consumer_ref.consumer_id, "c1"));
  braid_buf_reset(&out);
  c = (braid_cmd_t){.type = BRAID_CMD_TRANSPORT_STATS, .id = 10, .reply_to = BRAID_STR_LIT("ctl")};
  c.u.transport_close.transport_id = BRAID_STR_LIT("t1");
  ASSERT_EQ(braid_cmd_encode(&c, &out), 0);
  ASSERT_EQ(braid_cmd_decode(&d, out.data, out.len, NULL), 0);
  ASSERT_EQ(d.type, BRAID_CMD_TRANSPORT_STATS);
  ASSERT(braid_str_eq(d.u.transport_close.transport_id, "t1"));
  braid_buf_cleanup(&out);
}

BRAID_TEST(set_layers_round_trip) {
  braid_buf_t out;
  braid_cmd_t c = {.type = BRAID_CMD_CONSUMER_SET_LAYERS, .id = 3, .reply_to = BRAID_STR_LIT("ctl")};
  c.u.consumer_layers = (braid_cmd_consumer_layers_t){BRAID_STR_LIT("c9"), 1, BRAID_LAYER_HIGHEST};
  braid_cmd_t d;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_cmd_encode(&c, &out), 0);
  ASSERT_EQ(braid_cmd_decode(&d, out.data, out.len, NULL), 0);
  ASSERT_EQ(d.type, BRAID_CMD_CONSUMER_SET_LAYERS);
  ASSERT(braid_str_eq(d.u.consumer_layers.consumer_id, "c9"));
  ASSERT_EQ(d.u.consumer_layers.spatial, 1);
  ASSERT_EQ(d.u.consumer_layers.temporal, BRAID_LAYER_HIGHEST);
  proto_test_truncations(decode, out.data, out.len);
  braid_buf_cleanup(&out);
}

BRAID_TEST(set_priority_round_trip) {
  braid_buf_t out;
  braid_cmd_t c = {.type = BRAID_CMD_CONSUMER_SET_PRIORITY, .id = 4, .reply_to = BRAID_STR_LIT("ctl")};
  c.u.consumer_priority = (braid_cmd_consumer_priority_t){BRAID_STR_LIT("c9"), 255};
  braid_cmd_t d;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_cmd_encode(&c, &out), 0);
  ASSERT_EQ(braid_cmd_decode(&d, out.data, out.len, NULL), 0);
  ASSERT_EQ(d.type, BRAID_CMD_CONSUMER_SET_PRIORITY);
  ASSERT(braid_str_eq(d.u.consumer_priority.consumer_id, "c9"));
  ASSERT_EQ(d.u.consumer_priority.priority, 255);
  proto_test_truncations(decode, out.data, out.len);
  /* Priority 0 is out of range (mediasoup: 1..255): refused both ways. */
  c.u.consumer_priority.priority = 0;
  braid_buf_reset(&out);
  ASSERT(braid_cmd_encode(&c, &out) != 0);
  braid_buf_cleanup(&out);
}

BRAID_TEST(encode_refuses_bad_commands) {
  char big[BRAID_ROOM_ID_MAX + 1];
  memset(big, 'x', sizeof big);
  braid_buf_t out;
  proto_test_keep(&out);
  braid_cmd_t c = make_create();
  c.type = (braid_cmd_type_t)42;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.u.router_create.router_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.u.router_create.room_id = (braid_str_t){big, BRAID_ROOM_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.reply_to = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.reply_to = (braid_str_t){NULL, 3};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  /* Nothing was appended, and what was there is intact. */
  proto_test_kept(&out);
  /* A good command appends after it. */
  c = make_create();
  ASSERT_EQ(braid_cmd_encode(&c, &out), 0);
  ASSERT_EQ(out.len, 4 + sizeof router_create_vec);
  ASSERT_MEM_EQ(out.data + 4, router_create_vec, sizeof router_create_vec);
  braid_buf_cleanup(&out);
}

BRAID_TEST(encode_respects_buffer_max) {
  braid_buf_t out;
  braid_buf_init(&out, 20);
  braid_cmd_t c = make_create();
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_ETOOBIG);
  ASSERT_EQ(out.len, 0);
  braid_buf_cleanup(&out);
}

PROTO_TEST_ROBUSTNESS(decode, samples)

BRAID_TEST(wrong_version) {
  proto_test_mb_t b;
  mb_begin(&b, 4, 2, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EVERSION, "unsupported protocol version");
  /* The version is checked before the body: a v2 body may differ. */
  mb_begin(&b, 4, 0, "node.dump");
  mb_kv_str(&b, "id", "not a number");
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EVERSION, NULL);
  /* No version at all. */
  mb_init(&b);
  msgpack_pack_map(&b.pk, 3);
  mb_kv_str(&b, "t", "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'v'");
  /* A version of the wrong type. */
  mb_init(&b);
  msgpack_pack_map(&b.pk, 1);
  mb_kv_str(&b, "v", "1");
  mb_expect(decode, &b, BRAID_ETYPE, "key 'v' has wrong type");
  mb_init(&b);
  msgpack_pack_map(&b.pk, 1);
  mb_str(&b, "v");
  msgpack_pack_int64(&b.pk, -1);
  mb_expect(decode, &b, BRAID_EMALFORMED, "key 'v' is out of range");
}

BRAID_TEST(wrong_types) {
  proto_test_mb_t b;
  mb_begin(&b, 4, 1, "node.dump");
  mb_kv_str(&b, "id", "1");
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_ETYPE, "key 'id' has wrong type");
  mb_begin(&b, 4, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_u64(&b, "rt", 5);
  mb_expect(decode, &b, BRAID_ETYPE, "key 'rt' has wrong type");
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "dl");
  msgpack_pack_double(&b.pk, 1.5);
  mb_expect(decode, &b, BRAID_ETYPE, "key 'dl' has wrong type");
  mb_begin(&b, 5, 1, "router.close");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "router");
  msgpack_pack_nil(&b.pk);
  mb_expect(decode, &b, BRAID_ETYPE, "key 'router' has wrong type");
  mb_begin(&b, 4, 1, "router.close");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'router'");
  /* Integers out of range. */
  mb_begin(&b, 4, 1, "node.dump");
  mb_str(&b, "id");
  msgpack_pack_int64(&b.pk, -5);
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EMALFORMED, "key 'id' is out of range");
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_kv_u64(&b, "dl", (uint64_t)INT64_MAX + 1);
  mb_expect(decode, &b, BRAID_EMALFORMED, "key 'dl' is out of range");
  /* "t" must be a string. */
  mb_init(&b);
  msgpack_pack_map(&b.pk, 2);
  mb_kv_u64(&b, "v", 1);
  mb_kv_u64(&b, "t", 1);
  mb_expect(decode, &b, BRAID_ETYPE, "key 't' has wrong type");
}

BRAID_TEST(missing_keys) {
  proto_test_mb_t b;
  mb_begin(&b, 3, 1, "node.dump");
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'id'");
  mb_begin(&b, 3, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'rt'");
  mb_begin(&b, 5, 1, "router.create");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_kv_str(&b, "router", "r");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'room'");
  mb_init(&b);
  msgpack_pack_map(&b.pk, 1);
  mb_kv_u64(&b, "v", 1);
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 't'");
  /* "dl" is optional. */
  braid_cmd_t cmd;
  mb_begin(&b, 4, 1, "node.dump");
  mb_kv_u64(&b, "id", 9);
  mb_kv_str(&b, "rt", "c");
  ASSERT_EQ(braid_cmd_decode(&cmd, mb_data(&b), b.sb.size, NULL), 0);
  ASSERT_EQ(cmd.deadline_ms, 0);
  ASSERT_EQ(cmd.id, 9);
  mb_destroy(&b);
}

BRAID_TEST(over_long_strings) {
  proto_test_mb_t b;
  mb_begin(&b, 6, 1, "router.create");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "router");
  mb_str_n(&b, 'r', BRAID_ID_MAX + 1);
  mb_kv_str(&b, "room", "m");
  mb_expect(decode, &b, BRAID_ETOOBIG, "key 'router' is too long");
  mb_begin(&b, 6, 1, "router.create");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_kv_str(&b, "router", "r");
  mb_str(&b, "room");
  mb_str_n(&b, 'm', BRAID_ROOM_ID_MAX + 1);
  mb_expect(decode, &b, BRAID_ETOOBIG, "key 'room' is too long");
  mb_begin(&b, 4, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_str(&b, "rt");
  mb_str_n(&b, 'c', BRAID_ID_MAX + 1);
  mb_expect(decode, &b, BRAID_ETOOBIG, "key 'rt' is too long");
  /* At the limits it decodes. */
  mb_begin(&b, 6, 1, "router.create");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "router");
  mb_str_n(&b, 'r', BRAID_ID_MAX);
  mb_str(&b, "room");
  mb_str_n(&b, 'm', BRAID_ROOM_ID_MAX);
  mb_expect(decode, &b, 0, NULL);
}

BRAID_TEST(oversize_input) {
  /* Refused on size alone, before a byte is read. */
  uint8_t *big = calloc(1, BRAID_PROTO_MAX_MSG + 1);
  ASSERT(big != NULL);
  memcpy(big, router_create_vec, sizeof router_create_vec);
  proto_test_expect(decode, big, BRAID_PROTO_MAX_MSG + 1, BRAID_ETOOBIG, "message too big");
  /* Exactly the maximum is allowed: a valid command padded by an unknown
   * key whose value is a long string. */
  proto_test_mb_t b;
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "pad");
  size_t head = b.sb.size + 5; /* str 32 header */
  msgpack_pack_str(&b.pk, BRAID_PROTO_MAX_MSG - head);
  msgpack_pack_str_body(&b.pk, big, BRAID_PROTO_MAX_MSG - head);
  ASSERT_EQ(b.sb.size, BRAID_PROTO_MAX_MSG);
  mb_expect(decode, &b, 0, NULL);
  free(big);
}

BRAID_TEST(trailing_bytes) {
  uint8_t in[sizeof router_create_vec + 1];
  memcpy(in, router_create_vec, sizeof router_create_vec);
  in[sizeof router_create_vec] = 0xc0;
  proto_test_expect(decode, in, sizeof in, BRAID_EMALFORMED, "trailing bytes after the message");
}

BRAID_TEST(deep_nesting_in_unknown_key) {
  proto_test_mb_t b;
  /* The top-level map is depth 1: 15 more levels are fine, 16 are not. */
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "deep");
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH - 1);
  mb_expect(decode, &b, 0, NULL);
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "deep");
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH);
  mb_expect(decode, &b, BRAID_ETOOBIG, "nesting too deep");
  /* Far deeper than the limit, and truncated: still just refused. */
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_str(&b, "deep");
  for (int i = 0; i < 10000; i++) msgpack_pack_array(&b.pk, 1);
  mb_expect(decode, &b, BRAID_ETOOBIG, "nesting too deep");
}

BRAID_TEST(unknown_keys_are_skipped) {
  proto_test_mb_t b;
  mb_begin(&b, 12, 1, "router.close");
  mb_kv_u64(&b, "id", 5);
  mb_str(&b, "f");
  msgpack_pack_double(&b.pk, 3.25);
  mb_str(&b, "x");
  msgpack_pack_ext_with_body(&b.pk, "abc", 3, 7);
  mb_str(&b, "b");
  msgpack_pack_bin_with_body(&b.pk, "\0\1", 2);
  mb_str(&b, "m");
  msgpack_pack_map(&b.pk, 1);
  mb_kv_str(&b, "router", "not this one");
  mb_str(&b, "n");
  msgpack_pack_nil(&b.pk);
  mb_kv_str(&b, "room", "a key of router.create, unused here");
  mb_kv_str(&b, "rt", "c");
  mb_kv_str(&b, "router", "r9");
  mb_kv_str(&b, "", "empty key");
  braid_cmd_t cmd;
  const char *why = NULL;
  ASSERT_EQ(braid_cmd_decode(&cmd, mb_data(&b), b.sb.size, &why), 0);
  ASSERT_EQ(cmd.type, BRAID_CMD_ROUTER_CLOSE);
  ASSERT_EQ(cmd.id, 5);
  ASSERT(braid_str_eq(cmd.u.router_close.router_id, "r9"));
  mb_destroy(&b);
}

BRAID_TEST(bad_shapes) {
  proto_test_mb_t b;
  mb_begin(&b, 4, 1, "node.frobnicate");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EUNKNOWN, "unknown message type");
  mb_begin(&b, 2, 1, "reply"); /* a reply is not a command */
  mb_expect(decode, &b, BRAID_EUNKNOWN, NULL);
  mb_init(&b);
  msgpack_pack_array(&b.pk, 0);
  mb_expect(decode, &b, BRAID_EMALFORMED, "message is not a map");
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_str(&b, "rt", "c");
  msgpack_pack_uint8(&b.pk, 1);
  msgpack_pack_uint8(&b.pk, 2);
  mb_expect(decode, &b, BRAID_EMALFORMED, "map key is not a string");
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "id", 1);
  mb_kv_u64(&b, "id", 2);
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EMALFORMED, "duplicate key 'id'");
  mb_begin(&b, 5, 1, "node.dump");
  mb_kv_u64(&b, "v", 1);
  mb_kv_u64(&b, "id", 2);
  mb_kv_str(&b, "rt", "c");
  mb_expect(decode, &b, BRAID_EMALFORMED, "duplicate key 'v'");
  static const uint8_t c1[] = {0x81, 0xa1, 'x', 0xc1};
  proto_test_expect(decode, c1, sizeof c1, BRAID_EMALFORMED, NULL);
  proto_test_expect(decode, NULL, 0, BRAID_ETRUNC, "message truncated");
  const char *why = "untouched";
  braid_cmd_t cmd;
  ASSERT_EQ(braid_cmd_decode(&cmd, c1, sizeof c1, NULL), BRAID_EMALFORMED); /* why may be NULL */
  ASSERT_STR_EQ(why, "untouched");
}

BRAID_TEST(any_integer_encoding_decodes) {
  /* Not what our encoder writes, but valid msgpack: uint64 for a small id,
   * int8 for a small positive deadline, str8 for a short string. */
  static const uint8_t in[] = {
      0x84,                                               /* map, 4 pairs */
      0xa1, 'v', 0xd0, 0x01,                              /* "v": int8 1 */
      0xa1, 't', 0xd9, 0x09, 'n', 'o', 'd', 'e', '.', 'd', 'u', 'm', 'p', /* "t": str8 */
      0xa2, 'i', 'd', 0xcf, 0, 0, 0, 0, 0, 0, 0, 0x03,    /* "id": uint64 3 */
      0xa2, 'r', 't', 0xda, 0x00, 0x01, 'c',              /* "rt": str16 "c" */
  };
  braid_cmd_t cmd;
  ASSERT_EQ(braid_cmd_decode(&cmd, in, sizeof in, NULL), 0);
  ASSERT_EQ(cmd.type, BRAID_CMD_NODE_DUMP);
  ASSERT_EQ(cmd.id, 3);
  ASSERT(braid_str_eq(cmd.reply_to, "c"));
  proto_test_truncations(decode, in, sizeof in);
}

/* Fails the N-th allocation for N = 1, 2, ... while encoding a run of
 * commands into one buffer: every failure is BRAID_ENOMEM, leaves the
 * commands encoded before it intact, and nothing leaks. */
BRAID_TEST(encode_out_of_memory) {
  braid_cmd_t cmd = make_create();
  proto_test_encodes_to(&proto_test_cmd, &cmd, router_create_vec, sizeof router_create_vec);
  proto_test_encode_oom(&proto_test_cmd, &cmd, 1, 20);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vector_router_create)
    BRAID_TEST_ENTRY(round_trip_every_type)
    BRAID_TEST_ENTRY(type_names)
    BRAID_TEST_ENTRY(stats_commands_round_trip)
    BRAID_TEST_ENTRY(set_layers_round_trip) BRAID_TEST_ENTRY(set_priority_round_trip)
    BRAID_TEST_ENTRY(encode_refuses_bad_commands)
    BRAID_TEST_ENTRY(encode_respects_buffer_max)
    PROTO_TEST_ROBUSTNESS_ENTRIES
    BRAID_TEST_ENTRY(wrong_version)
    BRAID_TEST_ENTRY(wrong_types)
    BRAID_TEST_ENTRY(missing_keys)
    BRAID_TEST_ENTRY(over_long_strings)
    BRAID_TEST_ENTRY(oversize_input)
    BRAID_TEST_ENTRY(trailing_bytes)
    BRAID_TEST_ENTRY(deep_nesting_in_unknown_key)
    BRAID_TEST_ENTRY(unknown_keys_are_skipped)
    BRAID_TEST_ENTRY(bad_shapes)
    BRAID_TEST_ENTRY(any_integer_encoding_decodes)
    BRAID_TEST_ENTRY(encode_out_of_memory))
