/* Unit tests of replies, proto/reply.c and proto/reply_result.c. */
#include "proto/reply.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* An error reply, every field annotated (STYLE.md rule 37). */
static const uint8_t error_vec[] = {
    0x86,                                     /* map, 6 pairs */
    0xa1, 'v', 0x01,                          /* "v": 1 */
    0xa1, 't', 0xa5, 'r', 'e', 'p', 'l', 'y', /* "t": "reply" */
    0xa2, 'i', 'd', 0x07,                     /* "id": 7 */
    0xa2, 'o', 'k', 0xc2,                     /* "ok": false */
    0xa2, 'e', 'c', 0xd1, 0xfe, 0x0c,         /* "ec": int16 -500 (BRAID_ENOMEM) */
    0xa2, 'e', 'r', 0xa3, 'o', 'o', 'm',      /* "er": "oom" */
};

/* A router.create success reply. */
static const uint8_t router_vec[] = {
    0x85,                                     /* map, 5 pairs */
    0xa1, 'v', 0x01,                          /* "v": 1 */
    0xa1, 't', 0xa5, 'r', 'e', 'p', 'l', 'y', /* "t": "reply" */
    0xa2, 'i', 'd', 0xcd, 0x01, 0x00,         /* "id": uint16 256 */
    0xa2, 'o', 'k', 0xc3,                     /* "ok": true */
    0xa1, 'r', 0x81,                          /* "r": map, 1 pair */
    0xa6, 'r', 'o', 'u', 't', 'e', 'r',       /*   "router": */
    0xa2, 'r', '1',                           /*     "r1" */
};

/* A transport.create_webrtc success reply: the transport's port. */
static const uint8_t transport_vec[] = {
    0x85,                                     /* map, 5 pairs */
    0xa1, 'v', 0x01,                          /* "v": 1 */
    0xa1, 't', 0xa5, 'r', 'e', 'p', 'l', 'y', /* "t": "reply" */
    0xa2, 'i', 'd', 0x09,                     /* "id": 9 */
    0xa2, 'o', 'k', 0xc3,                     /* "ok": true */
    0xa1, 'r', 0x81,                          /* "r": map, 1 pair */
    0xa4, 'p', 'o', 'r', 't',                 /*   "port": */
    0xcd, 0xc3, 0x50,                         /*     uint16 50000 */
};

/* A transport.create_plain success reply: its RTP and RTCP ports. */
static const uint8_t plain_vec[] = {
    0x85,                                     /* map, 5 pairs */
    0xa1, 'v', 0x01,                          /* "v": 1 */
    0xa1, 't', 0xa5, 'r', 'e', 'p', 'l', 'y', /* "t": "reply" */
    0xa2, 'i', 'd', 0x0c,                     /* "id": 12 */
    0xa2, 'o', 'k', 0xc3,                     /* "ok": true */
    0xa1, 'r', 0x82,                          /* "r": map, 2 pairs */
    0xa4, 'p', 'o', 'r', 't',                 /*   "port": */
    0xcd, 0x9c, 0x40,                         /*     uint16 40000 */
    0xa9, 'r', 't', 'c', 'p', '_', 'p', 'o',  /*   "rtcp_port": */
    'r', 't', 0xcd, 0x9c, 0x41,               /*     uint16 40001 */
};

/* A data_consumer.create success reply: the SCTP stream the node picked. */
static const uint8_t data_consumer_vec[] = {
    0x85,                                     /* map, 5 pairs */
    0xa1, 'v', 0x01,                          /* "v": 1 */
    0xa1, 't', 0xa5, 'r', 'e', 'p', 'l', 'y', /* "t": "reply" */
    0xa2, 'i', 'd', 0x12,                     /* "id": 18 */
    0xa2, 'o', 'k', 0xc3,                     /* "ok": true */
    0xa1, 'r', 0x81,                          /* "r": map, 1 pair */
    0xa6, 's', 't', 'r', 'e', 'a', 'm',       /*   "stream": */
    0xcd, 0x03, 0xff,                         /*     uint16 1023 */
};

/* Decodes, then reads the result every way; nothing may escape the input. */
static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_reply_t r;
  int rc = braid_reply_decode(&r, data, len, why);
  if (rc != 0) return rc;
  proto_test_view_in(r.reason, data, len);
  ASSERT(r.reason.len <= BRAID_REASON_MAX);
  if (r.ok) ASSERT(r.error_code == 0 && r.reason.len == 0);
  if (r.result != NULL) {
    ASSERT(r.result >= data && r.result_len <= len - (size_t)(r.result - data));
    braid_str_t id, ids[4];
    size_t n = 99;
    const char *w = NULL;
    if (braid_reply_result_router(&r, &id, &w) == 0) proto_test_view_in(id, r.result, r.result_len);
    else ASSERT(w != NULL);
    if (braid_reply_result_dump(&r, ids, 4, &n, NULL) == 0) {
      ASSERT(n <= 4);
      for (size_t i = 0; i < n; i++) proto_test_view_in(ids[i], r.result, r.result_len);
    }
    uint16_t port = 0;
    w = NULL;
    if (braid_reply_result_transport(&r, &port, &w) == 0) ASSERT(port > 0);
    else ASSERT(w != NULL);
    uint16_t rtcp_port = 0;
    w = NULL;
    if (braid_reply_result_plain(&r, &port, &rtcp_port, &w) == 0) ASSERT(port > 0);
    else ASSERT(w != NULL);
    uint16_t stream = 0;
    w = NULL;
    if (braid_reply_result_data_consumer(&r, &stream, &w) == 0)
      ASSERT(stream <= BRAID_SCTP_STREAM_ID_MAX);
    else ASSERT(w != NULL);
  }
  return 0;
}

/* Starts a hand-made reply of pairs pairs: "v", "t", "id": 1, "ok". */
static void begin(proto_test_mb_t *b, uint32_t pairs, bool ok) {
  mb_begin(b, pairs, 1, "reply");
  mb_kv_u64(b, "id", 1);
  mb_str(b, "ok");
  if (ok) msgpack_pack_true(&b->pk);
  else msgpack_pack_false(&b->pk);
}

/* Starts a success reply whose "r" is a map of pairs pairs. */
static void begin_result(proto_test_mb_t *b, uint32_t pairs) {
  begin(b, 5, true);
  mb_str(b, "r");
  msgpack_pack_map(&b->pk, pairs);
}

BRAID_TEST(vector_error) {
  braid_reply_t r;
  ASSERT_EQ(braid_reply_decode(&r, error_vec, sizeof error_vec, NULL), 0);
  ASSERT_EQ(r.id, 7);
  ASSERT(!r.ok);
  ASSERT_EQ(r.error_code, BRAID_ENOMEM);
  ASSERT(braid_str_eq(r.reason, "oom"));
  ASSERT(r.result == NULL && r.result_len == 0);
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_error(7, BRAID_ENOMEM, "oom", &out), 0);
  proto_test_buf_is(&out, error_vec, sizeof error_vec);
  braid_buf_cleanup(&out);
}

BRAID_TEST(vector_router) {
  braid_reply_t r;
  ASSERT_EQ(braid_reply_decode(&r, router_vec, sizeof router_vec, NULL), 0);
  ASSERT_EQ(r.id, 256);
  ASSERT(r.ok);
  ASSERT_EQ(r.error_code, 0);
  ASSERT_EQ(r.reason.len, 0);
  ASSERT(r.result == router_vec + 24);
  ASSERT_EQ(r.result_len, sizeof router_vec - 24);
  braid_str_t id;
  ASSERT_EQ(braid_reply_result_router(&r, &id, NULL), 0);
  ASSERT(braid_str_eq(id, "r1"));
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_router(256, BRAID_STR_LIT("r1"), &out), 0);
  proto_test_buf_is(&out, router_vec, sizeof router_vec);
  braid_buf_cleanup(&out);
}

BRAID_TEST(vector_transport) {
  braid_reply_t r;
  uint16_t port = 0;
  ASSERT_EQ(braid_reply_decode(&r, transport_vec, sizeof transport_vec, NULL), 0);
  ASSERT(r.ok && r.id == 9);
  ASSERT(r.result == transport_vec + 22);
  ASSERT_EQ(braid_reply_result_transport(&r, &port, NULL), 0);
  ASSERT_EQ(port, 50000);
  braid_str_t id;
  ASSERT_EQ(braid_reply_result_router(&r, &id, NULL), BRAID_EMISSING);
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_transport(9, 50000, &out), 0);
  proto_test_buf_is(&out, transport_vec, sizeof transport_vec);
  braid_buf_cleanup(&out);
}

BRAID_TEST(round_trip_transport) {
  static const uint16_t ports[] = {1, 127, 128, 255, 256, 44444, 65535};
  for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) {
    braid_buf_t out;
    braid_reply_t r;
    uint16_t port = 0;
    braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
    ASSERT_EQ(braid_reply_encode_transport(i, ports[i], &out), 0);
    ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
    ASSERT_EQ(braid_reply_result_transport(&r, &port, NULL), 0);
    ASSERT_EQ(port, ports[i]);
    proto_test_truncations(decode, out.data, out.len);
    braid_buf_cleanup(&out);
  }
  /* Port 0 is no port: refused, and nothing is written. */
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_transport(1, 0, &out), BRAID_EINVAL);
  ASSERT_EQ(out.len, 0);
  /* A plain ok (a node that predates "port") has no port to read. */
  braid_reply_t r;
  uint16_t port = 7;
  const char *why = NULL;
  ASSERT_EQ(braid_reply_encode_ok(2, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT_EQ(braid_reply_result_transport(&r, &port, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "reply has no result");
  ASSERT_EQ(port, 7);
  braid_buf_cleanup(&out);
}

BRAID_TEST(vector_plain) {
  braid_reply_t r;
  uint16_t port = 0, rtcp_port = 0;
  ASSERT_EQ(braid_reply_decode(&r, plain_vec, sizeof plain_vec, NULL), 0);
  ASSERT(r.ok && r.id == 12);
  ASSERT(r.result == plain_vec + 22);
  ASSERT_EQ(braid_reply_result_plain(&r, &port, &rtcp_port, NULL), 0);
  ASSERT_EQ(port, 40000);
  ASSERT_EQ(rtcp_port, 40001);
  /* A reader of the WebRTC reply finds the port too. */
  ASSERT_EQ(braid_reply_result_transport(&r, &port, NULL), 0);
  ASSERT_EQ(port, 40000);
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_plain(12, 40000, 40001, &out), 0);
  proto_test_buf_is(&out, plain_vec, sizeof plain_vec);
  braid_buf_cleanup(&out);
}

BRAID_TEST(round_trip_plain) {
  static const uint16_t ports[][2] = {{1, 0}, {5004, 0}, {40000, 40001}, {65535, 65535}, {2, 1}};
  for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) {
    braid_buf_t out;
    braid_reply_t r;
    uint16_t port = 0, rtcp_port = 7;
    braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
    ASSERT_EQ(braid_reply_encode_plain(i, ports[i][0], ports[i][1], &out), 0);
    ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
    ASSERT_EQ(braid_reply_result_plain(&r, &port, &rtcp_port, NULL), 0);
    ASSERT_EQ(port, ports[i][0]);
    ASSERT_EQ(rtcp_port, ports[i][1]);
    proto_test_truncations(decode, out.data, out.len);
    braid_buf_cleanup(&out);
  }
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_plain(1, 0, 5005, &out), BRAID_EINVAL); /* no port */
  ASSERT_EQ(out.len, 0);
  /* The WebRTC reply has no "rtcp_port": not a plain result. */
  braid_reply_t r;
  uint16_t port = 7, rtcp_port = 7;
  const char *why = NULL;
  ASSERT_EQ(braid_reply_decode(&r, transport_vec, sizeof transport_vec, NULL), 0);
  ASSERT_EQ(braid_reply_result_plain(&r, &port, &rtcp_port, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "missing key 'rtcp_port'");
  ASSERT(port == 7 && rtcp_port == 7);
  /* Out of range, and of the wrong type. */
  proto_test_doc_t d;
  size_t n;
  doc_load(&d, plain_vec, sizeof plain_vec);
  doc_set(&d, "r.rtcp_port", mo_u(65536));
  const uint8_t *p = doc_pack(&d, &n);
  ASSERT_EQ(braid_reply_decode(&r, p, n, NULL), 0);
  ASSERT_EQ(braid_reply_result_plain(&r, &port, &rtcp_port, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "key 'rtcp_port' is out of range");
  doc_set(&d, "r.rtcp_port", mo_str("5005"));
  p = doc_pack(&d, &n);
  ASSERT_EQ(braid_reply_decode(&r, p, n, NULL), 0);
  ASSERT_EQ(braid_reply_result_plain(&r, &port, &rtcp_port, &why), BRAID_ETYPE);
  doc_set(&d, "r.rtcp_port", mo_u(0));
  doc_set(&d, "r.port", mo_u(0));
  p = doc_pack(&d, &n);
  ASSERT_EQ(braid_reply_decode(&r, p, n, NULL), 0);
  ASSERT_EQ(braid_reply_result_plain(&r, &port, &rtcp_port, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "key 'port' is out of range");
  doc_free(&d);
  braid_buf_cleanup(&out);
}

/* A reply whose result is {"port": <the value mk packs>}. */
static void port_result(proto_test_mb_t *b, void (*mk)(proto_test_mb_t *b)) {
  begin_result(b, 1);
  mb_str(b, "port");
  mk(b);
}

static void mk_port_0(proto_test_mb_t *b) { msgpack_pack_uint8(&b->pk, 0); }
static void mk_port_65536(proto_test_mb_t *b) { msgpack_pack_uint32(&b->pk, 65536); }
static void mk_port_negative(proto_test_mb_t *b) { msgpack_pack_int8(&b->pk, -1); }
static void mk_port_string(proto_test_mb_t *b) { mb_str(b, "443"); }

BRAID_TEST(bad_transport_results) {
  static const struct {
    void (*mk)(proto_test_mb_t *b);
    int rc;
    const char *why;
  } cases[] = {
      {mk_port_0, BRAID_EMALFORMED, "key 'port' is out of range"},
      {mk_port_65536, BRAID_EMALFORMED, "key 'port' is out of range"},
      {mk_port_negative, BRAID_EMALFORMED, "key 'port' is out of range"},
      {mk_port_string, BRAID_ETYPE, "key 'port' has wrong type"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    proto_test_mb_t b;
    braid_reply_t r;
    uint16_t port = 7;
    const char *why = NULL;
    port_result(&b, cases[i].mk);
    /* The reply itself is sound: only the reader of "port" refuses it. */
    ASSERT_EQ(braid_reply_decode(&r, mb_data(&b), b.sb.size, NULL), 0);
    ASSERT_EQ(braid_reply_result_transport(&r, &port, &why), cases[i].rc);
    ASSERT_STR_EQ(why, cases[i].why);
    ASSERT_EQ(port, 7);
    mb_destroy(&b);
  }
  /* A router reply has no port. */
  braid_reply_t r;
  uint16_t port;
  const char *why = NULL;
  ASSERT_EQ(braid_reply_decode(&r, router_vec, sizeof router_vec, NULL), 0);
  ASSERT_EQ(braid_reply_result_transport(&r, &port, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "missing key 'port'");
}

BRAID_TEST(round_trip_stats) {
  braid_buf_t out;
  braid_reply_t r;
  braid_str_t json;
  static char big[BRAID_STATS_JSON_MAX + 1];
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_stats(5, BRAID_STR_LIT("[{\"type\":\"inbound-rtp\"}]"), &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT_EQ(braid_reply_result_stats(&r, &json, NULL), 0);
  ASSERT(braid_str_eq(json, "[{\"type\":\"inbound-rtp\"}]"));
  proto_test_truncations(decode, out.data, out.len);
  braid_buf_reset(&out);
  memset(big, '1', sizeof big);
  ASSERT_EQ(braid_reply_encode_stats(5, (braid_str_t){big, sizeof big}, &out), BRAID_EINVAL);
  ASSERT_EQ(braid_reply_encode_stats(5, (braid_str_t){big, sizeof big - 1}, &out), 0);
  braid_buf_cleanup(&out);
}

BRAID_TEST(round_trip_consumer) {
  braid_buf_t out;
  braid_reply_t r;
  bool paused = false;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_consumer(6, true, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT_EQ(braid_reply_result_consumer(&r, &paused, NULL), 0);
  ASSERT(paused);
  braid_str_t json;
  ASSERT_EQ(braid_reply_result_stats(&r, &json, NULL), BRAID_EMISSING);
  proto_test_truncations(decode, out.data, out.len);
  braid_buf_cleanup(&out);
}

BRAID_TEST(vector_data_consumer) {
  braid_reply_t r;
  uint16_t stream = 0;
  ASSERT_EQ(braid_reply_decode(&r, data_consumer_vec, sizeof data_consumer_vec, NULL), 0);
  ASSERT(r.ok && r.id == 18);
  ASSERT(r.result == data_consumer_vec + 22);
  ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, NULL), 0);
  ASSERT_EQ(stream, 1023);
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_data_consumer(18, 1023, &out), 0);
  proto_test_buf_is(&out, data_consumer_vec, sizeof data_consumer_vec);
  braid_buf_cleanup(&out);
}

BRAID_TEST(round_trip_data_consumer) {
  static const uint16_t streams[] = {0, 1, 127, 128, 1023, 65534};
  for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++) {
    braid_buf_t out;
    braid_reply_t r;
    uint16_t stream = 7;
    braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
    ASSERT_EQ(braid_reply_encode_data_consumer(i, streams[i], &out), 0);
    ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
    ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, NULL), 0);
    ASSERT_EQ(stream, streams[i]);
    proto_test_truncations(decode, out.data, out.len);
    braid_buf_cleanup(&out);
  }
  /* 65535 is not a stream id: refused, nothing written. */
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_data_consumer(1, 65535, &out), BRAID_EINVAL);
  ASSERT_EQ(out.len, 0);
  braid_buf_cleanup(&out);
  /* Other replies have no "stream"; a data consumer reply no "port". */
  braid_reply_t r;
  uint16_t stream = 7, port = 7;
  const char *why = NULL;
  ASSERT_EQ(braid_reply_decode(&r, plain_vec, sizeof plain_vec, NULL), 0);
  ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "missing key 'stream'");
  ASSERT_EQ(stream, 7);
  ASSERT_EQ(braid_reply_decode(&r, error_vec, sizeof error_vec, NULL), 0);
  ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "reply has no result");
  ASSERT_EQ(braid_reply_decode(&r, data_consumer_vec, sizeof data_consumer_vec, NULL), 0);
  ASSERT_EQ(braid_reply_result_transport(&r, &port, &why), BRAID_EMISSING);
  ASSERT_EQ(port, 7);
  /* Out of range, and of the wrong type. */
  proto_test_doc_t d;
  size_t n;
  doc_load(&d, data_consumer_vec, sizeof data_consumer_vec);
  doc_set(&d, "r.stream", mo_u(65535));
  const uint8_t *p = doc_pack(&d, &n);
  ASSERT_EQ(braid_reply_decode(&r, p, n, NULL), 0);
  ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "key 'stream' is out of range");
  doc_set(&d, "r.stream", mo_i(-1));
  p = doc_pack(&d, &n);
  ASSERT_EQ(braid_reply_decode(&r, p, n, NULL), 0);
  ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, &why), BRAID_EMALFORMED);
  doc_set(&d, "r.stream", mo_str("5"));
  p = doc_pack(&d, &n);
  ASSERT_EQ(braid_reply_decode(&r, p, n, NULL), 0);
  ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, &why), BRAID_ETYPE);
  ASSERT_STR_EQ(why, "key 'stream' has wrong type");
  doc_set(&d, "r.stream", mo_u(5));
  doc_add(&d, "r.stream", mo_u(1));
  p = doc_pack(&d, &n);
  ASSERT_EQ(braid_reply_decode(&r, p, n, NULL), 0);
  ASSERT_EQ(braid_reply_result_data_consumer(&r, &stream, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "duplicate key 'stream'");
  ASSERT_EQ(stream, 7);
  doc_free(&d);
}

BRAID_TEST(round_trip_ok) {
  braid_buf_t out;
  braid_reply_t r;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_ok(UINT64_MAX, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT(r.id == UINT64_MAX && r.ok && r.result == NULL);
  const char *why = NULL;
  braid_str_t id;
  ASSERT_EQ(braid_reply_result_router(&r, &id, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "reply has no result");
  proto_test_truncations(decode, out.data, out.len);
  braid_buf_cleanup(&out);
}

/* Encodes a dump of n ids, decodes it and reads them back. */
static void round_trip_dump(const braid_str_t *ids, size_t n) {
  braid_buf_t out;
  braid_reply_t r;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_dump(99, ids, n, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT(r.ok && r.id == 99);
  braid_str_t *back = calloc(n + 1, sizeof *back);
  size_t got = 12345;
  ASSERT_EQ(braid_reply_result_dump(&r, back, n, &got, NULL), 0);
  ASSERT_EQ(got, n);
  for (size_t i = 0; i < n; i++)
    ASSERT(back[i].len == ids[i].len &&
           (ids[i].len == 0 || memcmp(back[i].p, ids[i].p, ids[i].len) == 0));
  if (n > 0) {
    const char *why = NULL;
    ASSERT_EQ(braid_reply_result_dump(&r, back, n - 1, &got, &why), BRAID_ETOOBIG);
    ASSERT_STR_EQ(why, "too many router ids");
  }
  free(back);
  braid_buf_cleanup(&out);
}

BRAID_TEST(round_trip_dump) {
  char longest[BRAID_ID_MAX];
  memset(longest, 'z', sizeof longest);
  braid_str_t ids[] = {BRAID_STR_LIT("a"), {longest, sizeof longest}, {NULL, 0},
                       BRAID_STR_LIT("router-42")};
  round_trip_dump(NULL, 0);
  round_trip_dump(ids, 1);
  round_trip_dump(ids, 4);
  /* Many ids: array 32 on the wire. */
  enum { MANY = 70000 };
  braid_str_t *many = malloc(MANY * sizeof *many);
  for (size_t i = 0; i < MANY; i++) many[i] = BRAID_STR_LIT("r");
  round_trip_dump(many, MANY);
  free(many);
}

BRAID_TEST(round_trip_error) {
  static const int32_t codes[] = {0, -1, BRAID_EINVAL, INT32_MIN, INT32_MAX, 1000};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    braid_buf_t out;
    braid_reply_t r;
    braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
    ASSERT_EQ(braid_reply_encode_error(i, codes[i], i % 2 ? "" : "reason", &out), 0);
    ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
    ASSERT(!r.ok && r.id == i);
    ASSERT_EQ(r.error_code, codes[i]);
    ASSERT(braid_str_eq(r.reason, i % 2 ? "" : "reason"));
    braid_buf_cleanup(&out);
  }
  /* A NULL reason is sent as "". */
  braid_buf_t out;
  braid_reply_t r;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_error(1, -1, NULL, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT(r.reason.len == 0 && !r.ok);
  braid_buf_cleanup(&out);
}

BRAID_TEST(long_reasons_are_cut) {
  char reason[BRAID_REASON_MAX + 50];
  braid_buf_t out;
  braid_reply_t r;
  memset(reason, 'a', sizeof reason - 1);
  reason[sizeof reason - 1] = '\0';
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_error(1, -1, reason, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT_EQ(r.reason.len, BRAID_REASON_MAX);
  /* "é" (c3 a9) straddling the limit is dropped whole. */
  reason[BRAID_REASON_MAX - 1] = (char)0xc3;
  reason[BRAID_REASON_MAX] = (char)0xa9;
  braid_buf_reset(&out);
  ASSERT_EQ(braid_reply_encode_error(1, -1, reason, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT_EQ(r.reason.len, BRAID_REASON_MAX - 1);
  ASSERT_EQ(r.reason.p[r.reason.len - 1], 'a');
  braid_buf_cleanup(&out);
}

BRAID_TEST(encode_refuses_bad_ids) {
  char big[BRAID_ID_MAX + 1];
  memset(big, 'x', sizeof big);
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_reply_encode_router(1, (braid_str_t){big, sizeof big}, &out), BRAID_EINVAL);
  ASSERT_EQ(braid_reply_encode_router(1, (braid_str_t){NULL, 1}, &out), BRAID_EINVAL);
  braid_str_t ids[] = {BRAID_STR_LIT("ok"), {big, sizeof big}};
  ASSERT_EQ(braid_reply_encode_dump(1, ids, 2, &out), BRAID_EINVAL);
  ASSERT_EQ(braid_reply_encode_dump(1, NULL, 1, &out), BRAID_EINVAL);
  ASSERT_EQ(out.len, 0);
  braid_buf_cleanup(&out);
}

BRAID_TEST(encode_too_big) {
  /* 5000 ids of 64 bytes do not fit in BRAID_PROTO_MAX_MSG. */
  enum { N = 5000 };
  char id[BRAID_ID_MAX];
  memset(id, 'i', sizeof id);
  braid_str_t *ids = malloc(N * sizeof *ids);
  for (size_t i = 0; i < N; i++) ids[i] = (braid_str_t){id, sizeof id};
  braid_buf_t out;
  braid_buf_init(&out, 2 * BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_buf_append(&out, "x", 1), 0);
  ASSERT_EQ(braid_reply_encode_dump(1, ids, N, &out), BRAID_ETOOBIG);
  ASSERT_EQ(out.len, 1);
  /* The buffer's own maximum counts too. */
  braid_buf_t small;
  braid_buf_init(&small, 10);
  ASSERT_EQ(braid_reply_encode_ok(1, &small), BRAID_ETOOBIG);
  ASSERT_EQ(small.len, 0);
  braid_buf_cleanup(&small);
  braid_buf_cleanup(&out);
  free(ids);
}

/* The vectors and a dump, for the robustness loops. */
static void samples(proto_test_samples_t *s) {
  proto_test_sample_bytes(s, error_vec, sizeof error_vec);
  proto_test_sample_bytes(s, router_vec, sizeof router_vec);
  proto_test_sample_bytes(s, transport_vec, sizeof transport_vec);
  proto_test_sample_bytes(s, plain_vec, sizeof plain_vec);
  proto_test_sample_bytes(s, data_consumer_vec, sizeof data_consumer_vec);
  braid_str_t ids[] = {BRAID_STR_LIT("a"), BRAID_STR_LIT("bb")};
  ASSERT_EQ(braid_reply_encode_dump(3, ids, 2, proto_test_sample_buf(s)), 0);
}

PROTO_TEST_ROBUSTNESS(decode, samples)

BRAID_TEST(wrong_version) {
  proto_test_mb_t b;
  mb_begin(&b, 4, 3, "reply");
  mb_kv_u64(&b, "id", 1);
  mb_str(&b, "ok");
  msgpack_pack_true(&b.pk);
  mb_expect(decode, &b, BRAID_EVERSION, "unsupported protocol version");
}

BRAID_TEST(wrong_types) {
  proto_test_mb_t b;
  mb_begin(&b, 4, 1, "reply");
  mb_kv_u64(&b, "id", 1);
  mb_kv_u64(&b, "ok", 1);
  mb_expect(decode, &b, BRAID_ETYPE, "key 'ok' has wrong type");
  begin(&b, 6, false);
  mb_kv_str(&b, "ec", "-100");
  mb_kv_str(&b, "er", "x");
  mb_expect(decode, &b, BRAID_ETYPE, "key 'ec' has wrong type");
  begin(&b, 6, false);
  mb_str(&b, "ec");
  msgpack_pack_int64(&b.pk, (int64_t)INT32_MIN - 1);
  mb_kv_str(&b, "er", "x");
  mb_expect(decode, &b, BRAID_EMALFORMED, "key 'ec' is out of range");
  begin(&b, 6, false);
  mb_kv_u64(&b, "ec", 1);
  mb_kv_u64(&b, "er", 1);
  mb_expect(decode, &b, BRAID_ETYPE, "key 'er' has wrong type");
  begin(&b, 5, true);
  mb_str(&b, "r");
  msgpack_pack_array(&b.pk, 0);
  mb_expect(decode, &b, BRAID_ETYPE, "key 'r' has wrong type");
}

BRAID_TEST(missing_keys) {
  proto_test_mb_t b;
  mb_begin(&b, 3, 1, "reply");
  mb_str(&b, "ok");
  msgpack_pack_true(&b.pk);
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'id'");
  mb_begin(&b, 3, 1, "reply");
  mb_kv_u64(&b, "id", 1);
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'ok'");
  begin(&b, 5, false);
  mb_kv_str(&b, "er", "x");
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'ec'");
  begin(&b, 5, false);
  mb_kv_u64(&b, "ec", 1);
  mb_expect(decode, &b, BRAID_EMISSING, "missing key 'er'");
  /* A success reply needs neither, and drops them if sent. */
  begin(&b, 6, true);
  mb_kv_u64(&b, "ec", 1);
  mb_kv_str(&b, "er", "ignored");
  braid_reply_t r;
  ASSERT_EQ(braid_reply_decode(&r, mb_data(&b), b.sb.size, NULL), 0);
  ASSERT(r.ok && r.error_code == 0 && r.reason.len == 0);
  mb_destroy(&b);
}

BRAID_TEST(over_long_reason) {
  proto_test_mb_t b;
  begin(&b, 6, false);
  mb_kv_u64(&b, "ec", 1);
  mb_str(&b, "er");
  mb_str_n(&b, 'e', BRAID_REASON_MAX + 1);
  mb_expect(decode, &b, BRAID_ETOOBIG, "key 'er' is too long");
}

BRAID_TEST(oversize_and_trailing) {
  uint8_t *big = calloc(1, BRAID_PROTO_MAX_MSG + 1);
  memcpy(big, router_vec, sizeof router_vec);
  proto_test_expect(decode, big, BRAID_PROTO_MAX_MSG + 1, BRAID_ETOOBIG, "message too big");
  proto_test_expect(decode, big, sizeof router_vec + 1, BRAID_EMALFORMED,
                    "trailing bytes after the message");
  free(big);
}

BRAID_TEST(deep_nesting) {
  proto_test_mb_t b;
  begin(&b, 5, true);
  mb_str(&b, "unknown");
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH);
  mb_expect(decode, &b, BRAID_ETOOBIG, "nesting too deep");
  /* Inside "r" (depth 2) 14 more levels are fine, 15 are not. */
  for (int extra = 14; extra <= 15; extra++) {
    begin_result(&b, 2);
    mb_kv_str(&b, "router", "r1");
    mb_str(&b, "deep");
    mb_nested(&b, extra);
    mb_expect(decode, &b, extra == 14 ? 0 : BRAID_ETOOBIG, NULL);
  }
}

BRAID_TEST(bad_results) {
  proto_test_mb_t b;
  braid_reply_t r;
  braid_str_t ids[2], id;
  size_t n;
  const char *why = NULL;
  /* {"routers": [1]} */
  begin_result(&b, 2);
  mb_str(&b, "routers");
  msgpack_pack_array(&b.pk, 1);
  msgpack_pack_uint8(&b.pk, 1);
  mb_kv_u64(&b, "router", 5);
  ASSERT_EQ(braid_reply_decode(&r, mb_data(&b), b.sb.size, NULL), 0);
  ASSERT_EQ(braid_reply_result_dump(&r, ids, 2, &n, &why), BRAID_ETYPE);
  ASSERT_STR_EQ(why, "router id has wrong type");
  ASSERT_EQ(braid_reply_result_router(&r, &id, &why), BRAID_ETYPE);
  ASSERT_STR_EQ(why, "key 'router' has wrong type");
  mb_destroy(&b);
  /* {"routers": "x", "router": <65 bytes>} */
  begin_result(&b, 2);
  mb_kv_str(&b, "routers", "x");
  mb_str(&b, "router");
  mb_str_n(&b, 'r', BRAID_ID_MAX + 1);
  ASSERT_EQ(braid_reply_decode(&r, mb_data(&b), b.sb.size, NULL), 0);
  ASSERT_EQ(braid_reply_result_dump(&r, ids, 2, &n, &why), BRAID_ETYPE);
  ASSERT_STR_EQ(why, "key 'routers' has wrong type");
  ASSERT_EQ(braid_reply_result_router(&r, &id, &why), BRAID_ETOOBIG);
  ASSERT_STR_EQ(why, "key 'router' is too long");
  mb_destroy(&b);
  /* {"routers": [<65 bytes>]}, and no "router". */
  begin_result(&b, 1);
  mb_str(&b, "routers");
  msgpack_pack_array(&b.pk, 1);
  mb_str_n(&b, 'r', BRAID_ID_MAX + 1);
  ASSERT_EQ(braid_reply_decode(&r, mb_data(&b), b.sb.size, NULL), 0);
  ASSERT_EQ(braid_reply_result_dump(&r, ids, 2, &n, &why), BRAID_ETOOBIG);
  ASSERT_STR_EQ(why, "router id is too long");
  ASSERT_EQ(braid_reply_result_router(&r, &id, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "missing key 'router'");
  mb_destroy(&b);
  /* The router reply has no "routers". */
  ASSERT_EQ(braid_reply_decode(&r, router_vec, sizeof router_vec, NULL), 0);
  ASSERT_EQ(braid_reply_result_dump(&r, ids, 2, &n, &why), BRAID_EMISSING);
  ASSERT_STR_EQ(why, "missing key 'routers'");
}

/* The ids of the dump in the run of every encoder. */
typedef struct dump_ids {
  const braid_str_t *ids; /* borrowed */
  size_t n;
} dump_ids_t;

/* Reply i of a run of every encoder (a proto_test_run_fn). */
static int encode_one_of_each(const void *ctx, size_t i, braid_buf_t *out) {
  const dump_ids_t *d = ctx;
  switch (i) {
  case 0: return braid_reply_encode_ok(1, out);
  case 1: return braid_reply_encode_router(2, BRAID_STR_LIT("router-2"), out);
  case 2: return braid_reply_encode_error(3, BRAID_EINVAL, "bad", out);
  case 3: return braid_reply_encode_dump(4, d->ids, d->n, out);
  case 4: return braid_reply_encode_transport(5, 44444, out);
  case 5: return braid_reply_encode_plain(6, 40000, 40001, out);
  default: return braid_reply_encode_data_consumer(7, 1023, out);
  }
}

/* Every encoder in turn, a dump of 1000 ids among them
 * (proto_test_run_oom()). */
BRAID_TEST(encode_out_of_memory) {
  enum { N = 1000 };
  braid_str_t *ids = malloc(N * sizeof *ids);
  for (size_t i = 0; i < N; i++) ids[i] = BRAID_STR_LIT("some-router-id");
  dump_ids_t d = {ids, N};
  proto_test_run_oom(encode_one_of_each, &d, 7, 4 * BRAID_PROTO_MAX_MSG, 5);
  free(ids);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vector_error)
    BRAID_TEST_ENTRY(vector_router)
    BRAID_TEST_ENTRY(vector_transport)
    BRAID_TEST_ENTRY(round_trip_transport)
    BRAID_TEST_ENTRY(bad_transport_results)
    BRAID_TEST_ENTRY(vector_plain)
    BRAID_TEST_ENTRY(round_trip_plain)
    BRAID_TEST_ENTRY(vector_data_consumer)
    BRAID_TEST_ENTRY(round_trip_data_consumer)
    BRAID_TEST_ENTRY(round_trip_ok)
    BRAID_TEST_ENTRY(round_trip_dump)
    BRAID_TEST_ENTRY(round_trip_stats)
    BRAID_TEST_ENTRY(round_trip_consumer)
    BRAID_TEST_ENTRY(round_trip_error)
    BRAID_TEST_ENTRY(long_reasons_are_cut)
    BRAID_TEST_ENTRY(encode_refuses_bad_ids)
    BRAID_TEST_ENTRY(encode_too_big)
    PROTO_TEST_ROBUSTNESS_ENTRIES
    BRAID_TEST_ENTRY(wrong_version)
    BRAID_TEST_ENTRY(wrong_types)
    BRAID_TEST_ENTRY(missing_keys)
    BRAID_TEST_ENTRY(over_long_reason)
    BRAID_TEST_ENTRY(oversize_and_trailing)
    BRAID_TEST_ENTRY(deep_nesting)
    BRAID_TEST_ENTRY(bad_results)
    BRAID_TEST_ENTRY(encode_out_of_memory))
