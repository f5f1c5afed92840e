/* Unit tests of the PlainTransport commands, transport.create_plain and
 * transport.connect_plain (proto/transport.c, through cmd.c). The WebRTC
 * transport commands are tested in transport_test.c. */
#include "proto/cmd.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* "transport.create_plain" as FFmpeg's broadcaster needs it (comedia, no
 * rtcp-mux, no SRTP, no SCTP), every field annotated (STYLE.md rule 37). */
static const uint8_t create_vec[] = {
    0x8b,                                                /* fixmap, 11 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xb6, 't', 'r', 'a', 'n', 's', 'p', 'o',  /* "t": fixstr(22) "transpo */
    'r', 't', '.', 'c', 'r', 'e', 'a', 't', 'e', '_',    /*   rt.create_ */
    'p', 'l', 'a', 'i', 'n',                             /*   plain" */
    0xa2, 'i', 'd', 0x0d,                                /* "id": 13 */
    0xa2, 'r', 't', 0xa4, 'c', 't', 'l', '1',            /* "rt": "ctl1" */
    0xa2, 'd', 'l', 0xcf, 0x00, 0x00, 0x01, 0x8b, 0xcf,  /* "dl": uint64 1700000000000 */
    0xe5, 0x68, 0x00,                                    /*   (0x0000018bcfe56800) */
    0xa6, 'r', 'o', 'u', 't', 'e', 'r', 0xa2, 'r', '1',  /* "router": "r1" */
    0xa9, 't', 'r', 'a', 'n', 's', 'p', 'o', 'r', 't',   /* "transport": */
    0xa3, 't', 'p', '1',                                 /*   "tp1" */
    0xa8, 'r', 't', 'c', 'p', '_', 'm', 'u', 'x', 0xc2,  /* "rtcp_mux": false */
    0xa7, 'c', 'o', 'm', 'e', 'd', 'i', 'a', 0xc3,       /* "comedia": true */
    0xa4, 's', 'r', 't', 'p', 0xc2,                      /* "srtp": false */
    0xa4, 's', 'c', 't', 'p', 0xc2,                      /* "sctp": false */
};

/* "transport.create_plain" of a PipeTransport: rtcp-mux, SRTP, "pipe"
 * last (written only when true). */
static const uint8_t pipe_vec[] = {
    0x8c,                                                    /* fixmap, 12 pairs */
    0xa1, 'v', 0x01,                                         /* "v": 1 */
    0xa1, 't', 0xb6, 't',  'r', 'a',  'n', 's',  'p',  'o',  /* "t": fixstr(22) "transpo */
    'r',  't', '.',  'c',  'r', 'e',  'a', 't',  'e',  '_',  /*   rt.create_ */
    'p',  'l', 'a',  'i',  'n',                              /*   plain" */
    0xa2, 'i', 'd',  0x0f,                                   /* "id": 15 */
    0xa2, 'r', 't',  0xa4, 'c', 't',  'l', '1',              /* "rt": "ctl1" */
    0xa2, 'd', 'l',  0x00,                                   /* "dl": 0 */
    0xa6, 'r', 'o',  'u',  't', 'e',  'r', 0xa2, 'r',  '1',  /* "router": "r1" */
    0xa9, 't', 'r',  'a',  'n', 's',  'p', 'o',  'r',  't',  /* "transport": */
    0xa5, 'p', 'i',  'p',  'e', '1',                         /*   "pipe1" */
    0xa8, 'r', 't',  'c',  'p', '_',  'm', 'u',  'x',  0xc3, /* "rtcp_mux": true */
    0xa7, 'c', 'o',  'm',  'e', 'd',  'i', 'a',  0xc2,       /* "comedia": false */
    0xa4, 's', 'r',  't',  'p', 0xc3,                        /* "srtp": true */
    0xa4, 's', 'c',  't',  'p', 0xc2,                        /* "sctp": false */
    0xa4, 'p', 'i',  'p',  'e', 0xc3,                        /* "pipe": true */
};

/* "transport.connect_plain" of a non-comedia SRTP transport. */
static const uint8_t connect_vec[] = {
    0x8c,                                                /* fixmap, 12 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xb7, 't', 'r', 'a', 'n', 's', 'p', 'o',  /* "t": fixstr(23) "transpo */
    'r', 't', '.', 'c', 'o', 'n', 'n', 'e', 'c', 't',    /*   rt.connect */
    '_', 'p', 'l', 'a', 'i', 'n',                        /*   _plain" */
    0xa2, 'i', 'd', 0x0e,                                /* "id": 14 */
    0xa2, 'r', 't', 0xa1, 'c',                           /* "rt": "c" */
    0xa2, 'd', 'l', 0x00,                                /* "dl": 0 */
    0xa9, 't', 'r', 'a', 'n', 's', 'p', 'o', 'r', 't',   /* "transport": */
    0xa3, 't', 'p', '2',                                 /*   "tp2" */
    0xa2, 'i', 'p', 0xa9, '1', '2', '7', '.', '0', '.',  /* "ip": "127.0. */
    '0', '.', '1',                                       /*   0.1" */
    0xa4, 'p', 'o', 'r', 't', 0xcd, 0x13, 0x8c,          /* "port": uint16 5004 */
    0xa9, 'r', 't', 'c', 'p', '_', 'p', 'o', 'r', 't',   /* "rtcp_port": */
    0x00,                                                /*   0 (rtcp-mux) */
    0xaa, 's', 'r', 't', 'p', '_', 's', 'u', 'i', 't',   /* "srtp_suite": */
    'e', 0xb0, 'A', 'E', 'A', 'D', '_', 'A', 'E', 'S',   /*   fixstr(16) "AEAD_AES */
    '_', '1', '2', '8', '_', 'G', 'C', 'M',              /*   _128_GCM" */
    0xa8, 's', 'r', 't', 'p', '_', 'k', 'e', 'y',        /* "srtp_key": */
    0xa4, 'Q', 'U', 'J', 'D',                            /*   "QUJD" */
    0xae, 's', 'r', 't', 'p', '_', 'l', 'o', 'c', 'a',   /* "srtp_local_key": */
    'l', '_', 'k', 'e', 'y', 0xa4, 'R', 'E', 'V', 'G',   /*   "REVG" */
};

static braid_cmd_t make_create(void) {
  braid_cmd_t c = {.type = BRAID_CMD_TRANSPORT_CREATE_PLAIN,
                   .id = 13,
                   .reply_to = BRAID_STR_LIT("ctl1"),
                   .deadline_ms = INT64_C(1700000000000)};
  c.u.transport_create_plain = (braid_cmd_transport_create_plain_t){
      .router_id = BRAID_STR_LIT("r1"), .transport_id = BRAID_STR_LIT("tp1"), .comedia = true};
  return c;
}

static braid_cmd_t make_pipe(void) {
  braid_cmd_t c = {
      .type = BRAID_CMD_TRANSPORT_CREATE_PLAIN, .id = 15, .reply_to = BRAID_STR_LIT("ctl1")};
  c.u.transport_create_plain =
      (braid_cmd_transport_create_plain_t){.router_id = BRAID_STR_LIT("r1"),
                                           .transport_id = BRAID_STR_LIT("pipe1"),
                                           .rtcp_mux = true,
                                           .enable_srtp = true,
                                           .pipe = true};
  return c;
}

static braid_cmd_t make_connect(void) {
  braid_cmd_t c = {
      .type = BRAID_CMD_TRANSPORT_CONNECT_PLAIN, .id = 14, .reply_to = BRAID_STR_LIT("c")};
  c.u.transport_connect_plain = (braid_cmd_transport_connect_plain_t){
      .transport_id = BRAID_STR_LIT("tp2"),
      .ip = BRAID_STR_LIT("127.0.0.1"),
      .port = 5004,
      .srtp_suite = BRAID_STR_LIT("AEAD_AES_128_GCM"),
      .srtp_key = BRAID_STR_LIT("QUJD"),
      .srtp_local_key = BRAID_STR_LIT("REVG"),
  };
  return c;
}

static void assert_cmd_eq(const void *pa, const void *pb) {
  const braid_cmd_t *a = pa, *b = pb;
  proto_test_cmd_envelope_eq(a, b);
  if (a->type == BRAID_CMD_TRANSPORT_CREATE_PLAIN) {
    const braid_cmd_transport_create_plain_t *x = &a->u.transport_create_plain,
                                             *y = &b->u.transport_create_plain;
    ASSERT(str_same(x->router_id, y->router_id));
    ASSERT(str_same(x->transport_id, y->transport_id));
    ASSERT_EQ(x->rtcp_mux, y->rtcp_mux);
    ASSERT_EQ(x->comedia, y->comedia);
    ASSERT_EQ(x->enable_srtp, y->enable_srtp);
    ASSERT_EQ(x->enable_sctp, y->enable_sctp);
    ASSERT(x->sctp_os == y->sctp_os && x->sctp_mis == y->sctp_mis);
    ASSERT(x->sctp_max_message_size == y->sctp_max_message_size);
    ASSERT_EQ(x->pipe, y->pipe);
  } else {
    ASSERT_EQ(a->type, BRAID_CMD_TRANSPORT_CONNECT_PLAIN);
    const braid_cmd_transport_connect_plain_t *x = &a->u.transport_connect_plain,
                                              *y = &b->u.transport_connect_plain;
    ASSERT(str_same(x->transport_id, y->transport_id));
    ASSERT(str_same(x->ip, y->ip));
    ASSERT(x->port == y->port && x->rtcp_port == y->rtcp_port);
    ASSERT(str_same(x->srtp_suite, y->srtp_suite));
    ASSERT(str_same(x->srtp_key, y->srtp_key));
    ASSERT(str_same(x->srtp_local_key, y->srtp_local_key));
  }
}

/* Decodes; on success every view lies in the input and within its limit. */
static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_cmd_t cmd;
  int rc = braid_cmd_decode(&cmd, data, len, why);
  if (rc != 0) return rc;
  proto_test_view_in(cmd.reply_to, data, len);
  if (cmd.type == BRAID_CMD_TRANSPORT_CREATE_PLAIN) {
    const braid_cmd_transport_create_plain_t *t = &cmd.u.transport_create_plain;
    proto_test_view_in(t->router_id, data, len);
    proto_test_view_in(t->transport_id, data, len);
    ASSERT(t->router_id.len <= BRAID_ID_MAX && t->transport_id.len <= BRAID_ID_MAX);
    if (t->enable_sctp) {
      ASSERT(t->sctp_os >= 1 && t->sctp_os <= BRAID_SCTP_STREAMS_MAX);
      ASSERT(t->sctp_mis >= 1 && t->sctp_mis <= BRAID_SCTP_STREAMS_MAX);
    } else {
      ASSERT(t->sctp_os == 0 && t->sctp_mis == 0 && t->sctp_max_message_size == 0);
    }
  } else if (cmd.type == BRAID_CMD_TRANSPORT_CONNECT_PLAIN) {
    const braid_cmd_transport_connect_plain_t *t = &cmd.u.transport_connect_plain;
    const braid_str_t v[] = {t->transport_id, t->ip, t->srtp_suite, t->srtp_key,
                             t->srtp_local_key};
    for (size_t i = 0; i < 5; i++) proto_test_view_in(v[i], data, len);
    ASSERT(t->transport_id.len <= BRAID_ID_MAX && t->ip.len <= BRAID_IP_MAX);
    ASSERT(t->srtp_suite.len <= BRAID_SRTP_SUITE_MAX);
    ASSERT(t->srtp_key.len <= BRAID_SRTP_KEY_MAX && t->srtp_local_key.len <= BRAID_SRTP_KEY_MAX);
    ASSERT(t->port <= 65535 && t->rtcp_port <= 65535);
  }
  return 0;
}

/* round_trip(), patch() and string_limit() of this file's commands. */
PROTO_TEST_SHORTHANDS(braid_cmd_t, &proto_test_cmd, assert_cmd_eq, decode)

/* The vector decodes field by field, and our encoder writes it byte for
 * byte. */
static void check_vector(const uint8_t *vec, size_t len, const braid_cmd_t *mine) {
  proto_test_vector(&proto_test_cmd, vec, len, mine, assert_cmd_eq);
}

BRAID_TEST(vectors) {
  braid_cmd_t c = make_create();
  check_vector(create_vec, sizeof create_vec, &c);
  braid_cmd_t cmd;
  ASSERT_EQ(braid_cmd_decode(&cmd, create_vec, sizeof create_vec, NULL), 0);
  ASSERT(cmd.u.transport_create_plain.comedia && !cmd.u.transport_create_plain.rtcp_mux);
  ASSERT(braid_str_eq(cmd.u.transport_create_plain.transport_id, "tp1"));
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_CREATE_PLAIN), "transport.create_plain");

  c = make_connect();
  check_vector(connect_vec, sizeof connect_vec, &c);
  ASSERT_EQ(braid_cmd_decode(&cmd, connect_vec, sizeof connect_vec, NULL), 0);
  const braid_cmd_transport_connect_plain_t *t = &cmd.u.transport_connect_plain;
  ASSERT(braid_str_eq(t->ip, "127.0.0.1"));
  ASSERT_EQ(t->port, 5004);
  ASSERT_EQ(t->rtcp_port, 0);
  ASSERT(braid_str_eq(t->srtp_suite, "AEAD_AES_128_GCM"));
  ASSERT(t->srtp_key.p == (const char *)connect_vec + 127); /* a view into the input */
  ASSERT_STR_EQ(braid_cmd_type_name(BRAID_CMD_TRANSPORT_CONNECT_PLAIN), "transport.connect_plain");
}

BRAID_TEST(round_trip_both) {
  static char big[BRAID_ID_MAX];
  memset(big, 'A', sizeof big);
  braid_cmd_t c = make_create();
  round_trip(&c);
  /* Every flag, SCTP, strings at their limit. */
  braid_cmd_transport_create_plain_t *p = &c.u.transport_create_plain;
  p->router_id = p->transport_id = (braid_str_t){big, BRAID_ID_MAX};
  p->rtcp_mux = p->enable_srtp = p->enable_sctp = true;
  p->comedia = false;
  p->sctp_os = 1;
  p->sctp_mis = BRAID_SCTP_STREAMS_MAX;
  p->sctp_max_message_size = UINT64_MAX;
  round_trip(&c);
  c.u.transport_create_plain = (braid_cmd_transport_create_plain_t){0}; /* empty strings */
  round_trip(&c);

  c = make_connect();
  round_trip(&c);
  braid_cmd_transport_connect_plain_t *q = &c.u.transport_connect_plain;
  q->transport_id = (braid_str_t){big, BRAID_ID_MAX};
  q->ip = (braid_str_t){big, BRAID_IP_MAX};
  q->port = q->rtcp_port = 65535;
  q->srtp_suite = (braid_str_t){big, BRAID_SRTP_SUITE_MAX};
  q->srtp_key = q->srtp_local_key = (braid_str_t){big, BRAID_SRTP_KEY_MAX};
  round_trip(&c);
  /* Comedia without SRTP: everything empty or 0, still every key sent. */
  c.u.transport_connect_plain = (braid_cmd_transport_connect_plain_t){0};
  braid_buf_t out;
  proto_test_encode(&proto_test_cmd, &c, &out);
  ASSERT_EQ(out.data[0], 0x8c); /* 5 envelope keys + 7 body keys */
  braid_buf_cleanup(&out);
  round_trip(&c);
}

/* "pipe": optional, false when absent, written only when true; a bool. */
BRAID_TEST(pipe_key) {
  braid_cmd_t c = make_pipe();
  check_vector(pipe_vec, sizeof pipe_vec, &c);
  braid_cmd_t cmd;
  ASSERT_EQ(braid_cmd_decode(&cmd, pipe_vec, sizeof pipe_vec, NULL), 0);
  ASSERT(cmd.u.transport_create_plain.pipe);
  ASSERT(cmd.u.transport_create_plain.rtcp_mux && !cmd.u.transport_create_plain.comedia);
  round_trip(&c);
  c.u.transport_create_plain.enable_sctp = true; /* with SCTP: "pipe" after the sctp_* keys */
  c.u.transport_create_plain.sctp_os = c.u.transport_create_plain.sctp_mis = 1024;
  c.u.transport_create_plain.sctp_max_message_size = 262144;
  round_trip(&c);

  /* Absent: false (every plain command so far). */
  ASSERT_EQ(braid_cmd_decode(&cmd, create_vec, sizeof create_vec, NULL), 0);
  ASSERT(!cmd.u.transport_create_plain.pipe);
  /* Sent as false: decodes, and encodes back without the key. */
  proto_test_doc_t d;
  size_t n;
  doc_load(&d, create_vec, sizeof create_vec);
  doc_add(&d, "pipe", mo_bool(false));
  const uint8_t *p = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&cmd, p, n, NULL), 0);
  ASSERT(!cmd.u.transport_create_plain.pipe);
  doc_free(&d);
  braid_cmd_t plain = make_create();
  proto_test_encodes_to(&proto_test_cmd, &plain, create_vec, sizeof create_vec);

  c = make_pipe();
  patch(&c, PATCH_SET, "pipe", mo_u(1), BRAID_ETYPE, "key 'pipe' has wrong type");
  patch(&c, PATCH_SET, "pipe", mo_str("true"), BRAID_ETYPE, "key 'pipe' has wrong type");
  patch(&c, PATCH_ADD, "pipe", mo_bool(true), BRAID_EMALFORMED, "duplicate key 'pipe'");
  patch(&c, PATCH_DEL, "pipe", mo_nil(), 0, NULL); /* a plain transport again */
  /* The codec does not judge the combination: a comedia pipe without
   * rtcp-mux decodes, and the node refuses it. */
  patch(&c, PATCH_SET, "comedia", mo_bool(true), 0, NULL);
  patch(&c, PATCH_SET, "rtcp_mux", mo_bool(false), 0, NULL);
}

BRAID_TEST(sctp_keys_only_with_sctp) {
  braid_cmd_t c = make_create();
  c.u.transport_create_plain.sctp_os = 70000; /* out of range, but not sent */
  proto_test_encodes_to(&proto_test_cmd, &c, create_vec, sizeof create_vec);

  /* Sent without SCTP: checked, then dropped. */
  proto_test_doc_t d;
  size_t n;
  braid_cmd_t back;
  doc_load(&d, create_vec, sizeof create_vec);
  doc_set(&d, "sctp_os", mo_u(5));
  doc_set(&d, "sctp_mis", mo_u(6));
  doc_set(&d, "sctp_max_msg", mo_u(7));
  const uint8_t *p = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&back, p, n, NULL), 0);
  ASSERT(back.u.transport_create_plain.sctp_os == 0 && back.u.transport_create_plain.sctp_mis == 0);
  ASSERT_EQ(back.u.transport_create_plain.sctp_max_message_size, 0);
  doc_set(&d, "sctp_os", mo_u(0));
  p = doc_pack(&d, &n);
  proto_test_expect(decode, p, n, BRAID_EMALFORMED, "key 'sctp_os' is out of range");
  doc_free(&d);

  /* With SCTP they are required. */
  static const char *const keys[] = {"sctp_os", "sctp_mis", "sctp_max_msg"};
  c.u.transport_create_plain.enable_sctp = true;
  c.u.transport_create_plain.sctp_os = c.u.transport_create_plain.sctp_mis = 16;
  braid_buf_t enc;
  proto_test_encode(&proto_test_cmd, &c, &enc);
  for (size_t i = 0; i < 3; i++) proto_test_missing(decode, enc.data, enc.len, keys[i]);
  braid_buf_cleanup(&enc);
  patch(&c, PATCH_SET, "sctp_mis", mo_u(65536), BRAID_EMALFORMED, "key 'sctp_mis' is out of range");
}

BRAID_TEST(port_ranges) {
  braid_cmd_t c = make_connect();
  static const char *const keys[] = {"port", "rtcp_port"};
  for (size_t i = 0; i < 2; i++) {
    char why[64];
    snprintf(why, sizeof why, "key '%s' is out of range", keys[i]);
    patch(&c, PATCH_SET, keys[i], mo_u(0), 0, NULL);
    patch(&c, PATCH_SET, keys[i], mo_u(65535), 0, NULL);
    patch(&c, PATCH_SET, keys[i], mo_u(65536), BRAID_EMALFORMED, why);
    patch(&c, PATCH_SET, keys[i], mo_i(-1), BRAID_EMALFORMED, why);
    patch(&c, PATCH_SET, keys[i], mo_str("5004"), BRAID_ETYPE, NULL);
  }
}

/* Every key of both types, removed in turn: all are required but "dl". */
BRAID_TEST(missing_keys) {
  static const proto_test_cmd_keys_t types[] = {
      {make_create, {"router", "transport", "rtcp_mux", "comedia", "srtp", "sctp", "id", "rt"}},
      {make_connect,
       {"transport", "ip", "port", "rtcp_port", "srtp_suite", "srtp_key", "srtp_local_key", "id"}},
  };
  proto_test_cmd_missing_keys(decode, types, 2);
}

/* Every string one byte over its limit; at the limit it decodes. */
BRAID_TEST(over_long_strings) {
  static const proto_test_cmd_limit_t cases[] = {
      {make_create, "router", BRAID_ID_MAX},
      {make_create, "transport", BRAID_ID_MAX},
      {make_connect, "transport", BRAID_ID_MAX},
      {make_connect, "ip", BRAID_IP_MAX},
      {make_connect, "srtp_suite", BRAID_SRTP_SUITE_MAX},
      {make_connect, "srtp_key", BRAID_SRTP_KEY_MAX},
      {make_connect, "srtp_local_key", BRAID_SRTP_KEY_MAX},
  };
  proto_test_cmd_string_limits(decode, cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(wrong_types_and_duplicates) {
  braid_cmd_t c = make_create();
  patch(&c, PATCH_SET, "rtcp_mux", mo_u(1), BRAID_ETYPE, "key 'rtcp_mux' has wrong type");
  patch(&c, PATCH_SET, "comedia", mo_str("yes"), BRAID_ETYPE, "key 'comedia' has wrong type");
  patch(&c, PATCH_SET, "srtp", mo_nil(), BRAID_ETYPE, "key 'srtp' has wrong type");
  patch(&c, PATCH_ADD, "comedia", mo_bool(false), BRAID_EMALFORMED, "duplicate key 'comedia'");
  c = make_connect();
  patch(&c, PATCH_SET, "ip", mo_u(2130706433), BRAID_ETYPE, "key 'ip' has wrong type");
  patch(&c, PATCH_SET, "srtp_key", mo_array0(), BRAID_ETYPE, "key 'srtp_key' has wrong type");
  patch(&c, PATCH_SET, "port", mo_bool(true), BRAID_ETYPE, "key 'port' has wrong type");
  patch(&c, PATCH_ADD, "port", mo_u(1), BRAID_EMALFORMED, "duplicate key 'port'");
  /* The codec does not judge the values: an unknown suite, a key that is
   * not base64 and an ip that is not one all decode; the node refuses them. */
  patch(&c, PATCH_SET, "srtp_suite", mo_str("NULL_CIPHER"), 0, NULL);
  patch(&c, PATCH_SET, "srtp_key", mo_str("!!"), 0, NULL);
  patch(&c, PATCH_SET, "ip", mo_str("not an ip"), 0, NULL);
  /* Keys of other types are skipped. */
  patch(&c, PATCH_SET, "ufrag", mo_u(3), 0, NULL);
  patch(&c, PATCH_SET, "comedia", mo_str("not read here"), 0, NULL);
}

BRAID_TEST(encode_refuses_bad_commands) {
  static char big[BRAID_ID_MAX + 1];
  braid_buf_t out;
  proto_test_keep(&out);
  braid_cmd_t c = make_connect();
  c.u.transport_connect_plain.port = 65536;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_connect();
  c.u.transport_connect_plain.rtcp_port = UINT64_MAX;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_connect();
  c.u.transport_connect_plain.ip = (braid_str_t){big, BRAID_IP_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_connect();
  c.u.transport_connect_plain.srtp_suite = (braid_str_t){big, BRAID_SRTP_SUITE_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_connect();
  c.u.transport_connect_plain.srtp_local_key = (braid_str_t){NULL, 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.u.transport_create_plain.enable_sctp = true; /* with sctp_os 0 */
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.u.transport_create_plain.transport_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  proto_test_kept(&out);
  braid_buf_cleanup(&out);
}

/* The vectors and the encodings of both types, for the robustness loops. */
static void samples(proto_test_samples_t *s) {
  braid_cmd_t cmds[] = {make_create(), make_create(), make_connect(), make_connect(), make_pipe()};
  braid_cmd_transport_create_plain_t *p = &cmds[1].u.transport_create_plain;
  p->rtcp_mux = p->enable_srtp = p->enable_sctp = true;
  p->sctp_os = p->sctp_mis = 1024;
  p->sctp_max_message_size = 262144;
  cmds[3].u.transport_connect_plain = (braid_cmd_transport_connect_plain_t){
      .transport_id = BRAID_STR_LIT("tp3"), .ip = BRAID_STR_LIT("::1"), .port = 40000,
      .rtcp_port = 40001};
  proto_test_sample_bytes(s, create_vec, sizeof create_vec);
  proto_test_sample_bytes(s, pipe_vec, sizeof pipe_vec);
  proto_test_sample_bytes(s, connect_vec, sizeof connect_vec);
  proto_test_sample_each(s, &proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0]);
}

PROTO_TEST_ROBUSTNESS(decode, samples)

/* A run of 40 of each type (proto_test_run_oom()). */
BRAID_TEST(encode_out_of_memory) {
  braid_cmd_t cmds[] = {make_create(), make_connect(), make_pipe()};
  proto_test_encode_oom(&proto_test_cmd, cmds, 3, 40);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vectors) BRAID_TEST_ENTRY(round_trip_both) BRAID_TEST_ENTRY(pipe_key)
        BRAID_TEST_ENTRY(sctp_keys_only_with_sctp) BRAID_TEST_ENTRY(port_ranges)
            BRAID_TEST_ENTRY(missing_keys) BRAID_TEST_ENTRY(over_long_strings)
                BRAID_TEST_ENTRY(wrong_types_and_duplicates)
                    BRAID_TEST_ENTRY(encode_refuses_bad_commands)
                        PROTO_TEST_ROBUSTNESS_ENTRIES BRAID_TEST_ENTRY(encode_out_of_memory))
