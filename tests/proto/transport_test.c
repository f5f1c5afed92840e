/* Unit tests of the transport commands, proto/transport.c (through cmd.c). */
#include "proto/cmd.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* "transport.create_webrtc" with SCTP, every field annotated (STYLE.md
 * rule 37). */
static const uint8_t create_vec[] = {
    0xde, 0x00, 0x10,                                    /* map 16, 16 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xb7, 't', 'r', 'a', 'n', 's', 'p', 'o',  /* "t": fixstr(23) "transpo */
    'r', 't', '.', 'c', 'r', 'e', 'a', 't', 'e', '_',    /*   rt.create_ */
    'w', 'e', 'b', 'r', 't', 'c',                        /*   webrtc" */
    0xa2, 'i', 'd', 0x09,                                /* "id": 9 */
    0xa2, 'r', 't', 0xa4, 'c', 't', 'l', '1',            /* "rt": "ctl1" */
    0xa2, 'd', 'l', 0xcf, 0x00, 0x00, 0x01, 0x8b, 0xcf,  /* "dl": uint64 1700000000000 */
    0xe5, 0x68, 0x00,                                    /*   (0x0000018bcfe56800) */
    0xa6, 'r', 'o', 'u', 't', 'e', 'r', 0xa2, 'r', '1',  /* "router": "r1" */
    0xa9, 't', 'r', 'a', 'n', 's', 'p', 'o', 'r', 't',   /* "transport": */
    0xa2, 't', '1',                                      /*   "t1" */
    0xa5, 'u', 'f', 'r', 'a', 'g',                       /* "ufrag": */
    0xa8, '8', 'f', 'x', '2', 'k', '1', 'q', 'z',        /*   "8fx2k1qz" */
    0xa3, 'p', 'w', 'd', 0xb6, '0', '1', '2', '3', '4',  /* "pwd": fixstr(22) "01234 */
    '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e',    /*   56789abcde */
    'f', 'g', 'h', 'i', 'j', 'k', 'l',                   /*   fghijkl" */
    0xa3, 'u', 'd', 'p', 0xc3,                           /* "udp": true */
    0xa3, 't', 'c', 'p', 0xc3,                           /* "tcp": true */
    0xa7, 'c', 'o', 'n', 's', 'e', 'n', 't', 0x14,       /* "consent": 20 */
    0xa4, 's', 'c', 't', 'p', 0xc3,                      /* "sctp": true */
    0xa7, 's', 'c', 't', 'p', '_', 'o', 's',             /* "sctp_os": */
    0xcd, 0x04, 0x00,                                    /*   uint16 1024 */
    0xa8, 's', 'c', 't', 'p', '_', 'm', 'i', 's',        /* "sctp_mis": */
    0xcd, 0x04, 0x00,                                    /*   uint16 1024 */
    0xac, 's', 'c', 't', 'p', '_', 'm', 'a', 'x', '_',   /* "sctp_max_msg": */
    'm', 's', 'g', 0xce, 0x00, 0x04, 0x00, 0x00,         /*   uint32 262144 */
};

static braid_cmd_t make_create(void) {
  braid_cmd_t c = {.type = BRAID_CMD_TRANSPORT_CREATE_WEBRTC,
                   .id = 9,
                   .reply_to = BRAID_STR_LIT("ctl1"),
                   .deadline_ms = INT64_C(1700000000000)};
  c.u.transport_create = (braid_cmd_transport_create_t){
      .router_id = BRAID_STR_LIT("r1"),
      .transport_id = BRAID_STR_LIT("t1"),
      .ufrag = BRAID_STR_LIT("8fx2k1qz"),
      .pwd = BRAID_STR_LIT("0123456789abcdefghijkl"),
      .enable_udp = true,
      .enable_tcp = true,
      .consent_timeout_s = 20,
      .enable_sctp = true,
      .sctp_os = 1024,
      .sctp_mis = 1024,
      .sctp_max_message_size = 262144,
  };
  return c;
}

/* A sha-256 fingerprint as browsers send it: 32 hex pairs, 95 bytes. */
static const char fp256[] = "E7:5B:1A:0C:9D:33:8F:21:4C:76:A0:B9:12:5E:F3:07:"
                            "C8:44:69:2D:8A:1F:E0:53:B7:6E:99:04:3C:D2:7A:15";

static braid_cmd_t make_connect(void) {
  braid_cmd_t c = {.type = BRAID_CMD_TRANSPORT_CONNECT, .id = 10, .reply_to = BRAID_STR_LIT("c")};
  c.u.transport_connect = (braid_cmd_transport_connect_t){
      .transport_id = BRAID_STR_LIT("t1"),
      .remote_role = BRAID_STR_LIT("client"),
      .fp_algorithm = BRAID_STR_LIT("sha-256"),
      .fp_value = {fp256, sizeof fp256 - 1},
  };
  return c;
}

static braid_cmd_t make_restart(void) {
  braid_cmd_t c = {
      .type = BRAID_CMD_TRANSPORT_RESTART_ICE, .id = 11, .reply_to = BRAID_STR_LIT("c")};
  c.u.transport_restart_ice = (braid_cmd_transport_restart_ice_t){
      .transport_id = BRAID_STR_LIT("t1"),
      .ufrag = BRAID_STR_LIT("newufrag"),
      .pwd = BRAID_STR_LIT("a-new-password-of-22ch"),
  };
  return c;
}

static braid_cmd_t make_close(void) {
  braid_cmd_t c = {.type = BRAID_CMD_TRANSPORT_CLOSE, .id = 12, .reply_to = BRAID_STR_LIT("c")};
  c.u.transport_close.transport_id = BRAID_STR_LIT("t1");
  return c;
}

/* Compares every field of two transport commands. */
static void assert_cmd_eq(const void *pa, const void *pb) {
  const braid_cmd_t *a = pa, *b = pb;
  proto_test_cmd_envelope_eq(a, b);
  if (a->type == BRAID_CMD_TRANSPORT_CREATE_WEBRTC) {
    const braid_cmd_transport_create_t *x = &a->u.transport_create, *y = &b->u.transport_create;
    ASSERT(str_same(x->router_id, y->router_id));
    ASSERT(str_same(x->transport_id, y->transport_id));
    ASSERT(str_same(x->ufrag, y->ufrag));
    ASSERT(str_same(x->pwd, y->pwd));
    ASSERT_EQ(x->enable_udp, y->enable_udp);
    ASSERT_EQ(x->enable_tcp, y->enable_tcp);
    ASSERT(x->consent_timeout_s == y->consent_timeout_s);
    ASSERT_EQ(x->enable_sctp, y->enable_sctp);
    ASSERT(x->sctp_os == y->sctp_os && x->sctp_mis == y->sctp_mis);
    ASSERT(x->sctp_max_message_size == y->sctp_max_message_size);
  } else if (a->type == BRAID_CMD_TRANSPORT_CONNECT) {
    const braid_cmd_transport_connect_t *x = &a->u.transport_connect, *y = &b->u.transport_connect;
    ASSERT(str_same(x->transport_id, y->transport_id));
    ASSERT(str_same(x->remote_role, y->remote_role));
    ASSERT(str_same(x->fp_algorithm, y->fp_algorithm));
    ASSERT(str_same(x->fp_value, y->fp_value));
  } else if (a->type == BRAID_CMD_TRANSPORT_RESTART_ICE) {
    const braid_cmd_transport_restart_ice_t *x = &a->u.transport_restart_ice,
                                            *y = &b->u.transport_restart_ice;
    ASSERT(str_same(x->transport_id, y->transport_id));
    ASSERT(str_same(x->ufrag, y->ufrag));
    ASSERT(str_same(x->pwd, y->pwd));
  } else {
    ASSERT_EQ(a->type, BRAID_CMD_TRANSPORT_CLOSE);
    ASSERT(str_same(a->u.transport_close.transport_id, b->u.transport_close.transport_id));
  }
}

/* Decodes; on success every view lies in the input and within its limit. */
static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_cmd_t cmd;
  int rc = braid_cmd_decode(&cmd, data, len, why);
  if (rc != 0) return rc;
  proto_test_view_in(cmd.reply_to, data, len);
  if (cmd.type == BRAID_CMD_TRANSPORT_CREATE_WEBRTC) {
    const braid_cmd_transport_create_t *t = &cmd.u.transport_create;
    const braid_str_t v[] = {t->router_id, t->transport_id, t->ufrag, t->pwd};
    for (size_t i = 0; i < 4; i++) proto_test_view_in(v[i], data, len);
    ASSERT(t->router_id.len <= BRAID_ID_MAX && t->transport_id.len <= BRAID_ID_MAX);
    ASSERT(t->ufrag.len <= BRAID_ICE_CRED_MAX && t->pwd.len <= BRAID_ICE_CRED_MAX);
    if (t->enable_sctp) {
      ASSERT(t->sctp_os >= 1 && t->sctp_os <= BRAID_SCTP_STREAMS_MAX);
      ASSERT(t->sctp_mis >= 1 && t->sctp_mis <= BRAID_SCTP_STREAMS_MAX);
    } else {
      ASSERT(t->sctp_os == 0 && t->sctp_mis == 0 && t->sctp_max_message_size == 0);
    }
  } else if (cmd.type == BRAID_CMD_TRANSPORT_CONNECT) {
    const braid_cmd_transport_connect_t *t = &cmd.u.transport_connect;
    const braid_str_t v[] = {t->transport_id, t->remote_role, t->fp_algorithm, t->fp_value};
    for (size_t i = 0; i < 4; i++) proto_test_view_in(v[i], data, len);
    ASSERT(braid_str_eq(t->remote_role, "client") || braid_str_eq(t->remote_role, "server") ||
           braid_str_eq(t->remote_role, "auto"));
    ASSERT(t->fp_algorithm.len <= BRAID_DTLS_FP_ALG_MAX && t->fp_value.len <= BRAID_DTLS_FP_MAX);
  } else if (cmd.type == BRAID_CMD_TRANSPORT_RESTART_ICE) {
    const braid_cmd_transport_restart_ice_t *t = &cmd.u.transport_restart_ice;
    proto_test_view_in(t->transport_id, data, len);
    proto_test_view_in(t->ufrag, data, len);
    proto_test_view_in(t->pwd, data, len);
    ASSERT(t->ufrag.len <= BRAID_ICE_CRED_MAX && t->pwd.len <= BRAID_ICE_CRED_MAX);
  } else if (cmd.type == BRAID_CMD_TRANSPORT_CLOSE) {
    proto_test_view_in(cmd.u.transport_close.transport_id, data, len);
    ASSERT(cmd.u.transport_close.transport_id.len <= BRAID_ID_MAX);
  }
  return 0;
}

/* round_trip(), patch() and string_limit() of this file's commands. */
PROTO_TEST_SHORTHANDS(braid_cmd_t, &proto_test_cmd, assert_cmd_eq, decode)

BRAID_TEST(vector_create) {
  braid_cmd_t cmd;
  const char *why = NULL;
  ASSERT_EQ(braid_cmd_decode(&cmd, create_vec, sizeof create_vec, &why), 0);
  ASSERT_EQ(cmd.type, BRAID_CMD_TRANSPORT_CREATE_WEBRTC);
  ASSERT_EQ(cmd.id, 9);
  ASSERT(braid_str_eq(cmd.reply_to, "ctl1"));
  ASSERT_EQ(cmd.deadline_ms, INT64_C(1700000000000));
  const braid_cmd_transport_create_t *t = &cmd.u.transport_create;
  ASSERT(braid_str_eq(t->router_id, "r1"));
  ASSERT(braid_str_eq(t->transport_id, "t1"));
  ASSERT(braid_str_eq(t->ufrag, "8fx2k1qz"));
  ASSERT(braid_str_eq(t->pwd, "0123456789abcdefghijkl"));
  ASSERT(t->enable_udp && t->enable_tcp && t->enable_sctp);
  ASSERT_EQ(t->consent_timeout_s, 20);
  ASSERT_EQ(t->sctp_os, 1024);
  ASSERT_EQ(t->sctp_mis, 1024);
  ASSERT_EQ(t->sctp_max_message_size, 262144);
  ASSERT(t->pwd.p == (const char *)create_vec + 99); /* a view into the input */

  braid_cmd_t mine = make_create();
  proto_test_encodes_to(&proto_test_cmd, &mine, create_vec, sizeof create_vec);
}

BRAID_TEST(round_trip_every_type) {
  static char big[BRAID_DTLS_FP_MAX];
  memset(big, 'A', sizeof big);
  braid_cmd_t c = make_create();
  round_trip(&c);
  /* Every string at its limit, extreme integers. */
  braid_cmd_transport_create_t *t = &c.u.transport_create;
  t->router_id = t->transport_id = (braid_str_t){big, BRAID_ID_MAX};
  t->ufrag = t->pwd = (braid_str_t){big, BRAID_ICE_CRED_MAX};
  t->consent_timeout_s = UINT64_MAX;
  t->sctp_os = 1;
  t->sctp_mis = BRAID_SCTP_STREAMS_MAX;
  t->sctp_max_message_size = UINT64_MAX;
  t->enable_udp = false;
  round_trip(&c);
  /* Without SCTP. */
  c = make_create();
  c.u.transport_create.enable_sctp = false;
  c.u.transport_create.sctp_os = c.u.transport_create.sctp_mis = 0;
  c.u.transport_create.sctp_max_message_size = 0;
  round_trip(&c);
  /* Empty strings are fine. */
  c.u.transport_create = (braid_cmd_transport_create_t){.enable_tcp = true};
  round_trip(&c);

  static const char *const roles[] = {"client", "server", "auto"};
  for (size_t i = 0; i < 3; i++) {
    c = make_connect();
    c.u.transport_connect.remote_role = braid_str_c(roles[i]);
    round_trip(&c);
  }
  c = make_connect();
  c.u.transport_connect.fp_algorithm = (braid_str_t){big, BRAID_DTLS_FP_ALG_MAX};
  c.u.transport_connect.fp_value = (braid_str_t){big, BRAID_DTLS_FP_MAX};
  round_trip(&c);
  c = make_restart();
  round_trip(&c);
  c.u.transport_restart_ice.ufrag = (braid_str_t){big, BRAID_ICE_CRED_MAX};
  c.u.transport_restart_ice.pwd = (braid_str_t){big, BRAID_ICE_CRED_MAX};
  round_trip(&c);
  c = make_close();
  round_trip(&c);
  c.u.transport_close.transport_id = (braid_str_t){big, BRAID_ID_MAX};
  round_trip(&c);
}

BRAID_TEST(sctp_keys_only_with_sctp) {
  /* Not encoded without SCTP, whatever the struct holds. */
  braid_cmd_t c = make_create();
  c.u.transport_create.enable_sctp = false;
  c.u.transport_create.sctp_os = 70000; /* out of range, but not sent */
  braid_buf_t out;
  proto_test_encode(&proto_test_cmd, &c, &out);
  /* Less the three sctp_* pairs (41 bytes), and the map header is a fixmap
   * of 13 pairs (0x8d) instead of map 16 (de 00 10). */
  ASSERT_EQ(out.len, sizeof create_vec - 41 - 2);
  ASSERT_EQ(out.data[0], 0x8d);
  braid_cmd_t back;
  ASSERT_EQ(braid_cmd_decode(&back, out.data, out.len, NULL), 0);
  ASSERT(!back.u.transport_create.enable_sctp && back.u.transport_create.sctp_os == 0);
  braid_buf_cleanup(&out);

  /* Sent without SCTP: ignored, and dropped so that the decoded command
   * encodes back the same. */
  proto_test_patch(decode, create_vec, sizeof create_vec, PATCH_SET, "sctp", mo_bool(false), 0,
                   NULL);
  proto_test_doc_t d;
  size_t n;
  doc_load(&d, create_vec, sizeof create_vec);
  doc_set(&d, "sctp", mo_bool(false));
  const uint8_t *p = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&back, p, n, NULL), 0);
  ASSERT(back.u.transport_create.sctp_os == 0 && back.u.transport_create.sctp_mis == 0);
  ASSERT_EQ(back.u.transport_create.sctp_max_message_size, 0);
  /* Though ignored, a value that is there must still be valid. */
  doc_set(&d, "sctp_os", mo_u(0));
  p = doc_pack(&d, &n);
  proto_test_expect(decode, p, n, BRAID_EMALFORMED, "key 'sctp_os' is out of range");
  doc_free(&d);

  /* With SCTP they are required, and the stream counts are 1..65535. */
  static const char *const keys[] = {"sctp_os", "sctp_mis", "sctp_max_msg"};
  for (size_t i = 0; i < 3; i++) proto_test_missing(decode, create_vec, sizeof create_vec, keys[i]);
  const struct {
    const char *key;
    uint64_t v;
    int rc;
  } ranges[] = {
      {"sctp_os", 0, BRAID_EMALFORMED},      {"sctp_os", 1, 0},
      {"sctp_os", 65535, 0},                 {"sctp_os", 65536, BRAID_EMALFORMED},
      {"sctp_mis", 0, BRAID_EMALFORMED},     {"sctp_mis", 65536, BRAID_EMALFORMED},
      {"sctp_max_msg", 0, 0},                {"sctp_max_msg", UINT64_MAX, 0},
  };
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
    char why[64];
    snprintf(why, sizeof why, "key '%s' is out of range", ranges[i].key);
    proto_test_patch(decode, create_vec, sizeof create_vec, PATCH_SET, ranges[i].key,
                     mo_u(ranges[i].v), ranges[i].rc, ranges[i].rc ? why : NULL);
  }
}

BRAID_TEST(roles) {
  braid_cmd_t c = make_connect();
  patch(&c, PATCH_SET, "role", mo_str("actpass"), BRAID_EMALFORMED,
        "key 'role' has an invalid value");
  patch(&c, PATCH_SET, "role", mo_str("Client"), BRAID_EMALFORMED, NULL); /* case matters */
  patch(&c, PATCH_SET, "role", mo_str(""), BRAID_EMALFORMED, NULL);
  patch(&c, PATCH_SET, "role", mo_str("clientclientclientclientclientclientclientclientclient"),
        BRAID_EMALFORMED, "key 'role' has an invalid value");
  patch(&c, PATCH_SET, "role", mo_u(1), BRAID_ETYPE, "key 'role' has wrong type");
  patch(&c, PATCH_SET, "role", mo_str("server"), 0, NULL);
  patch(&c, PATCH_SET, "role", mo_str("auto"), 0, NULL);
}

/* Every required key of every type, removed in turn; "dl" stays optional. */
BRAID_TEST(missing_keys) {
  static const proto_test_cmd_keys_t types[] = {
      {make_create, {"router", "transport", "ufrag", "pwd", "udp", "tcp", "consent", "sctp"}},
      {make_connect, {"transport", "role", "fp_alg", "fp"}},
      {make_restart, {"transport", "ufrag", "pwd"}},
      {make_close, {"transport", "id", "rt"}},
  };
  proto_test_cmd_missing_keys(decode, types, sizeof types / sizeof types[0]);
}

/* Every string one byte over its limit; at the limit it decodes. */
BRAID_TEST(over_long_strings) {
  static const proto_test_cmd_limit_t cases[] = {
      {make_create, "router", BRAID_ID_MAX},      {make_create, "transport", BRAID_ID_MAX},
      {make_create, "ufrag", BRAID_ICE_CRED_MAX}, {make_create, "pwd", BRAID_ICE_CRED_MAX},
      {make_connect, "transport", BRAID_ID_MAX},  {make_connect, "fp_alg", BRAID_DTLS_FP_ALG_MAX},
      {make_connect, "fp", BRAID_DTLS_FP_MAX},    {make_restart, "transport", BRAID_ID_MAX},
      {make_restart, "ufrag", BRAID_ICE_CRED_MAX}, {make_restart, "pwd", BRAID_ICE_CRED_MAX},
      {make_close, "transport", BRAID_ID_MAX},    {make_close, "rt", BRAID_ID_MAX},
  };
  proto_test_cmd_string_limits(decode, cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(wrong_types) {
  braid_cmd_t c = make_create();
  patch(&c, PATCH_SET, "udp", mo_u(1), BRAID_ETYPE, "key 'udp' has wrong type");
  patch(&c, PATCH_SET, "tcp", mo_str("true"), BRAID_ETYPE, "key 'tcp' has wrong type");
  patch(&c, PATCH_SET, "sctp", mo_nil(), BRAID_ETYPE, "key 'sctp' has wrong type");
  patch(&c, PATCH_SET, "consent", mo_bool(true), BRAID_ETYPE, "key 'consent' has wrong type");
  patch(&c, PATCH_SET, "consent", mo_i(-1), BRAID_EMALFORMED, "key 'consent' is out of range");
  patch(&c, PATCH_SET, "sctp_os", mo_i(-1), BRAID_EMALFORMED, "key 'sctp_os' is out of range");
  patch(&c, PATCH_SET, "router", mo_map0(), BRAID_ETYPE, "key 'router' has wrong type");
  patch(&c, PATCH_SET, "pwd", mo_array0(), BRAID_ETYPE, "key 'pwd' has wrong type");
  c = make_connect();
  patch(&c, PATCH_SET, "fp", mo_u(0), BRAID_ETYPE, "key 'fp' has wrong type");
  c = make_close();
  patch(&c, PATCH_SET, "transport", mo_nil(), BRAID_ETYPE, "key 'transport' has wrong type");
  /* The envelope is read first. */
  patch(&c, PATCH_SET, "id", mo_str("1"), BRAID_ETYPE, "key 'id' has wrong type");
}

BRAID_TEST(duplicates_and_unknown_keys) {
  braid_cmd_t c = make_connect();
  patch(&c, PATCH_ADD, "fp", mo_str("AA"), BRAID_EMALFORMED, "duplicate key 'fp'");
  patch(&c, PATCH_ADD, "transport", mo_str("t1"), BRAID_EMALFORMED, "duplicate key 'transport'");
  /* Keys of other types and unknown keys are skipped. */
  patch(&c, PATCH_SET, "router", mo_u(5), 0, NULL);
  patch(&c, PATCH_SET, "ufrag", mo_nil(), 0, NULL);
  patch(&c, PATCH_SET, "future", mo_map0(), 0, NULL);
  c = make_close();
  patch(&c, PATCH_SET, "sctp", mo_str("not a bool, not read"), 0, NULL);
  /* A body key of the same name as an envelope key of another family is
   * still a body key: "router" of router.close is not read here. */
  braid_buf_t out;
  proto_test_doc_t d;
  size_t n;
  braid_cmd_t back;
  proto_test_encode(&proto_test_cmd, &c, &out);
  doc_load(&d, out.data, out.len);
  doc_set(&d, "router", mo_str("r9"));
  doc_set(&d, "room", mo_str("lobby"));
  const uint8_t *p = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&back, p, n, NULL), 0);
  assert_cmd_eq(&c, &back);
  doc_free(&d);
  braid_buf_cleanup(&out);
}

BRAID_TEST(encode_refuses_bad_commands) {
  static char big[BRAID_DTLS_FP_MAX + 1];
  braid_buf_t out;
  proto_test_keep(&out);
  braid_cmd_t c = make_connect();
  c.u.transport_connect.remote_role = BRAID_STR_LIT("actpass");
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_connect();
  c.u.transport_connect.fp_value = (braid_str_t){big, BRAID_DTLS_FP_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_connect();
  c.u.transport_connect.fp_algorithm = (braid_str_t){NULL, 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.u.transport_create.sctp_os = 0;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.u.transport_create.sctp_mis = BRAID_SCTP_STREAMS_MAX + 1;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_create();
  c.u.transport_create.ufrag = (braid_str_t){big, BRAID_ICE_CRED_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_restart();
  c.u.transport_restart_ice.pwd = (braid_str_t){big, BRAID_ICE_CRED_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_close();
  c.u.transport_close.transport_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_close();
  c.reply_to = (braid_str_t){big, BRAID_ID_MAX + 1}; /* the envelope too */
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  proto_test_kept(&out);
  braid_buf_cleanup(&out);
}

/* The vector and the encodings of every type, for the robustness loops. */
static void samples(proto_test_samples_t *s) {
  braid_cmd_t cmds[] = {make_create(), make_create(), make_connect(), make_restart(),
                        make_close()};
  cmds[1].u.transport_create.enable_sctp = false;
  proto_test_sample_bytes(s, create_vec, sizeof create_vec);
  proto_test_sample_each(s, &proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0]);
}

PROTO_TEST_ROBUSTNESS(decode, samples)

/* A run of 40 of each type (proto_test_run_oom()). */
BRAID_TEST(encode_out_of_memory) {
  braid_cmd_t cmds[] = {make_create(), make_connect(), make_restart(), make_close()};
  proto_test_encode_oom(&proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0], 40);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vector_create)
    BRAID_TEST_ENTRY(round_trip_every_type)
    BRAID_TEST_ENTRY(sctp_keys_only_with_sctp)
    BRAID_TEST_ENTRY(roles)
    BRAID_TEST_ENTRY(missing_keys)
    BRAID_TEST_ENTRY(over_long_strings)
    BRAID_TEST_ENTRY(wrong_types)
    BRAID_TEST_ENTRY(duplicates_and_unknown_keys)
    BRAID_TEST_ENTRY(encode_refuses_bad_commands)
    PROTO_TEST_ROBUSTNESS_ENTRIES
    BRAID_TEST_ENTRY(encode_out_of_memory))
