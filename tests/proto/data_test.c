/* Unit tests of the DataProducer and DataConsumer commands (proto/data.c,
 * through cmd.c): data_producer.create/close/pause/resume/stats and
 * data_consumer.create/close/pause/resume/stats. The data_consumer.create
 * reply is tested in reply_test.c, the data_* events in event_test.c. */
#include "proto/cmd.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

static const char *const pr_why =
    "partial reliability needs ordered false and one of max_life, max_rtx";

/* "data_producer.create" of an unordered channel with maxRetransmits 0
 * (mediasoup-demo's "chat" is ordered; this is the partially reliable
 * kind), every field annotated (STYLE.md rule 37). No "max_life": only
 * the limit that is set is sent. */
static const uint8_t producer_vec[] = {
    0x8d,                                                /* fixmap, 13 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xb4, 'd', 'a', 't', 'a', '_', 'p', 'r',  /* "t": fixstr(20) "data_pr */
    'o', 'd', 'u', 'c', 'e', 'r', '.', 'c', 'r', 'e',    /*   oducer.cre */
    'a', 't', 'e',                                       /*   ate" */
    0xa2, 'i', 'd', 0x0f,                                /* "id": 15 */
    0xa2, 'r', 't', 0xa4, 'c', 't', 'l', '1',            /* "rt": "ctl1" */
    0xa2, 'd', 'l', 0xcf, 0x00, 0x00, 0x01, 0x8b, 0xcf,  /* "dl": uint64 1700000000000 */
    0xe5, 0x68, 0x00,                                    /*   (0x0000018bcfe56800) */
    0xa9, 't', 'r', 'a', 'n', 's', 'p', 'o', 'r', 't',   /* "transport": */
    0xa2, 't', '1',                                      /*   "t1" */
    0xad, 'd', 'a', 't', 'a', '_', 'p', 'r', 'o', 'd',   /* "data_producer": */
    'u', 'c', 'e', 'r', 0xa3, 'd', 'p', '1',             /*   "dp1" */
    0xa6, 's', 't', 'r', 'e', 'a', 'm', 0x01,            /* "stream": 1 */
    0xa7, 'o', 'r', 'd', 'e', 'r', 'e', 'd', 0xc2,       /* "ordered": false */
    0xa7, 'm', 'a', 'x', '_', 'r', 't', 'x', 0x00,       /* "max_rtx": 0 */
    0xa5, 'l', 'a', 'b', 'e', 'l',                       /* "label": */
    0xa4, 'c', 'h', 'a', 't',                            /*   "chat" */
    0xa8, 'p', 'r', 'o', 't', 'o', 'c', 'o', 'l', 0xa0,  /* "protocol": "" */
    0xa6, 'p', 'a', 'u', 's', 'e', 'd', 0xc2,            /* "paused": false */
};

/* "data_consumer.create" of that kind of channel with maxPacketLifeTime
 * 3000 ms instead, created paused. No "stream": the node picks it. */
static const uint8_t consumer_vec[] = {
    0x8b,                                                /* fixmap, 11 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xb4, 'd', 'a', 't', 'a', '_', 'c', 'o',  /* "t": fixstr(20) "data_co */
    'n', 's', 'u', 'm', 'e', 'r', '.', 'c', 'r', 'e',    /*   nsumer.cre */
    'a', 't', 'e',                                       /*   ate" */
    0xa2, 'i', 'd', 0x10,                                /* "id": 16 */
    0xa2, 'r', 't', 0xa1, 'c',                           /* "rt": "c" */
    0xa2, 'd', 'l', 0x00,                                /* "dl": 0 */
    0xa9, 't', 'r', 'a', 'n', 's', 'p', 'o', 'r', 't',   /* "transport": */
    0xa2, 't', '2',                                      /*   "t2" */
    0xad, 'd', 'a', 't', 'a', '_', 'c', 'o', 'n', 's',   /* "data_consumer": */
    'u', 'm', 'e', 'r', 0xa3, 'd', 'c', '1',             /*   "dc1" */
    0xad, 'd', 'a', 't', 'a', '_', 'p', 'r', 'o', 'd',   /* "data_producer": */
    'u', 'c', 'e', 'r', 0xa3, 'd', 'p', '1',             /*   "dp1" */
    0xa7, 'o', 'r', 'd', 'e', 'r', 'e', 'd', 0xc2,       /* "ordered": false */
    0xa8, 'm', 'a', 'x', '_', 'l', 'i', 'f', 'e',        /* "max_life": */
    0xcd, 0x0b, 0xb8,                                    /*   uint16 3000 */
    0xa6, 'p', 'a', 'u', 's', 'e', 'd', 0xc3,            /* "paused": true */
};

/* "data_producer.close": the body is the id alone. */
static const uint8_t close_vec[] = {
    0x86,                                                /* fixmap, 6 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xb3, 'd', 'a', 't', 'a', '_', 'p', 'r',  /* "t": fixstr(19) "data_pr */
    'o', 'd', 'u', 'c', 'e', 'r', '.', 'c', 'l', 'o',    /*   oducer.clo */
    's', 'e',                                            /*   se" */
    0xa2, 'i', 'd', 0x11,                                /* "id": 17 */
    0xa2, 'r', 't', 0xa1, 'c',                           /* "rt": "c" */
    0xa2, 'd', 'l', 0x00,                                /* "dl": 0 */
    0xad, 'd', 'a', 't', 'a', '_', 'p', 'r', 'o', 'd',   /* "data_producer": */
    'u', 'c', 'e', 'r', 0xa3, 'd', 'p', '1',             /*   "dp1" */
};

static braid_cmd_t make_producer(void) {
  braid_cmd_t c = {.type = BRAID_CMD_DATA_PRODUCER_CREATE,
                   .id = 15,
                   .reply_to = BRAID_STR_LIT("ctl1"),
                   .deadline_ms = INT64_C(1700000000000)};
  c.u.data_producer_create = (braid_cmd_data_producer_create_t){
      .transport_id = BRAID_STR_LIT("t1"),
      .data_producer_id = BRAID_STR_LIT("dp1"),
      .stream = 1,
      .has_max_retransmits = true,
      .label = BRAID_STR_LIT("chat"),
  };
  return c;
}

static braid_cmd_t make_consumer(void) {
  braid_cmd_t c = {.type = BRAID_CMD_DATA_CONSUMER_CREATE, .id = 16, .reply_to = BRAID_STR_LIT("c")};
  c.u.data_consumer_create = (braid_cmd_data_consumer_create_t){
      .transport_id = BRAID_STR_LIT("t2"),
      .data_consumer_id = BRAID_STR_LIT("dc1"),
      .data_producer_id = BRAID_STR_LIT("dp1"),
      .has_max_packet_life_time = true,
      .max_packet_life_time = 3000,
      .paused = true,
  };
  return c;
}

/* A command of one of the ref types, with id "dp1" or "dc1". */
static braid_cmd_t make_ref(braid_cmd_type_t type) {
  braid_cmd_t c = {.type = type, .id = 17, .reply_to = BRAID_STR_LIT("c")};
  switch (type) {
  case BRAID_CMD_DATA_PRODUCER_CLOSE:
  case BRAID_CMD_DATA_PRODUCER_PAUSE:
  case BRAID_CMD_DATA_PRODUCER_RESUME:
  case BRAID_CMD_DATA_PRODUCER_STATS:
    c.u.data_producer_ref.data_producer_id = BRAID_STR_LIT("dp1");
    break;
  default: c.u.data_consumer_ref.data_consumer_id = BRAID_STR_LIT("dc1"); break;
  }
  return c;
}

static braid_cmd_t make_close(void) { return make_ref(BRAID_CMD_DATA_PRODUCER_CLOSE); }

static const braid_cmd_type_t producer_refs[] = {
    BRAID_CMD_DATA_PRODUCER_CLOSE, BRAID_CMD_DATA_PRODUCER_PAUSE, BRAID_CMD_DATA_PRODUCER_RESUME,
    BRAID_CMD_DATA_PRODUCER_STATS};
static const braid_cmd_type_t consumer_refs[] = {
    BRAID_CMD_DATA_CONSUMER_CLOSE, BRAID_CMD_DATA_CONSUMER_PAUSE, BRAID_CMD_DATA_CONSUMER_RESUME,
    BRAID_CMD_DATA_CONSUMER_STATS};

static bool is_producer_ref(braid_cmd_type_t t) {
  for (size_t i = 0; i < 4; i++)
    if (producer_refs[i] == t) return true;
  return false;
}

static bool is_consumer_ref(braid_cmd_type_t t) {
  for (size_t i = 0; i < 4; i++)
    if (consumer_refs[i] == t) return true;
  return false;
}

static void assert_cmd_eq(const void *pa, const void *pb) {
  const braid_cmd_t *a = pa, *b = pb;
  proto_test_cmd_envelope_eq(a, b);
  if (a->type == BRAID_CMD_DATA_PRODUCER_CREATE) {
    const braid_cmd_data_producer_create_t *x = &a->u.data_producer_create,
                                           *y = &b->u.data_producer_create;
    ASSERT(str_same(x->transport_id, y->transport_id));
    ASSERT(str_same(x->data_producer_id, y->data_producer_id));
    ASSERT(x->stream == y->stream);
    ASSERT_EQ(x->ordered, y->ordered);
    ASSERT_EQ(x->has_max_packet_life_time, y->has_max_packet_life_time);
    ASSERT(x->max_packet_life_time == y->max_packet_life_time);
    ASSERT_EQ(x->has_max_retransmits, y->has_max_retransmits);
    ASSERT(x->max_retransmits == y->max_retransmits);
    ASSERT(str_same(x->label, y->label));
    ASSERT(str_same(x->protocol, y->protocol));
    ASSERT_EQ(x->paused, y->paused);
  } else if (a->type == BRAID_CMD_DATA_CONSUMER_CREATE) {
    const braid_cmd_data_consumer_create_t *x = &a->u.data_consumer_create,
                                           *y = &b->u.data_consumer_create;
    ASSERT(str_same(x->transport_id, y->transport_id));
    ASSERT(str_same(x->data_consumer_id, y->data_consumer_id));
    ASSERT(str_same(x->data_producer_id, y->data_producer_id));
    ASSERT_EQ(x->ordered, y->ordered);
    ASSERT_EQ(x->has_max_packet_life_time, y->has_max_packet_life_time);
    ASSERT(x->max_packet_life_time == y->max_packet_life_time);
    ASSERT_EQ(x->has_max_retransmits, y->has_max_retransmits);
    ASSERT(x->max_retransmits == y->max_retransmits);
    ASSERT_EQ(x->paused, y->paused);
  } else if (is_producer_ref(a->type)) {
    ASSERT(str_same(a->u.data_producer_ref.data_producer_id,
                    b->u.data_producer_ref.data_producer_id));
  } else {
    ASSERT(is_consumer_ref(a->type));
    ASSERT(str_same(a->u.data_consumer_ref.data_consumer_id,
                    b->u.data_consumer_ref.data_consumer_id));
  }
}

/* The partial reliability rule and the presence flags hold after a
 * decode: a limit is 0 unless its key came, and at most one came, and only
 * with ordered false. */
static void check_reliability(bool ordered, bool has_life, uint64_t life, bool has_rtx,
                              uint64_t rtx) {
  if (!has_life) ASSERT(life == 0);
  if (!has_rtx) ASSERT(rtx == 0);
  ASSERT(life <= BRAID_DATA_PR_MAX && rtx <= BRAID_DATA_PR_MAX);
  if (has_life || has_rtx) ASSERT(!ordered && !(has_life && has_rtx));
}

/* Decodes; on success every view lies in the input and within its limit. */
static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_cmd_t cmd;
  int rc = braid_cmd_decode(&cmd, data, len, why);
  if (rc != 0) return rc;
  proto_test_view_in(cmd.reply_to, data, len);
  if (cmd.type == BRAID_CMD_DATA_PRODUCER_CREATE) {
    const braid_cmd_data_producer_create_t *p = &cmd.u.data_producer_create;
    const braid_str_t v[] = {p->transport_id, p->data_producer_id, p->label, p->protocol};
    for (size_t i = 0; i < 4; i++) proto_test_view_in(v[i], data, len);
    ASSERT(p->transport_id.len <= BRAID_ID_MAX && p->data_producer_id.len <= BRAID_ID_MAX);
    ASSERT(p->label.len <= BRAID_DATA_LABEL_MAX && p->protocol.len <= BRAID_DATA_PROTOCOL_MAX);
    ASSERT(p->stream <= BRAID_SCTP_STREAM_ID_MAX);
    check_reliability(p->ordered, p->has_max_packet_life_time, p->max_packet_life_time,
                      p->has_max_retransmits, p->max_retransmits);
  } else if (cmd.type == BRAID_CMD_DATA_CONSUMER_CREATE) {
    const braid_cmd_data_consumer_create_t *c = &cmd.u.data_consumer_create;
    const braid_str_t v[] = {c->transport_id, c->data_consumer_id, c->data_producer_id};
    for (size_t i = 0; i < 3; i++) {
      proto_test_view_in(v[i], data, len);
      ASSERT(v[i].len <= BRAID_ID_MAX);
    }
    check_reliability(c->ordered, c->has_max_packet_life_time, c->max_packet_life_time,
                      c->has_max_retransmits, c->max_retransmits);
  } else if (is_producer_ref(cmd.type)) {
    proto_test_view_in(cmd.u.data_producer_ref.data_producer_id, data, len);
    ASSERT(cmd.u.data_producer_ref.data_producer_id.len <= BRAID_ID_MAX);
  } else if (is_consumer_ref(cmd.type)) {
    proto_test_view_in(cmd.u.data_consumer_ref.data_consumer_id, data, len);
    ASSERT(cmd.u.data_consumer_ref.data_consumer_id.len <= BRAID_ID_MAX);
  }
  return 0;
}

/* round_trip(), patch() and string_limit() of this file's commands. */
PROTO_TEST_SHORTHANDS(braid_cmd_t, &proto_test_cmd, assert_cmd_eq, decode)

static void check_vector(const uint8_t *vec, size_t len, const braid_cmd_t *mine) {
  proto_test_vector(&proto_test_cmd, vec, len, mine, assert_cmd_eq);
}

BRAID_TEST(vectors) {
  braid_cmd_t c = make_producer();
  check_vector(producer_vec, sizeof producer_vec, &c);
  braid_cmd_t cmd;
  ASSERT_EQ(braid_cmd_decode(&cmd, producer_vec, sizeof producer_vec, NULL), 0);
  const braid_cmd_data_producer_create_t *p = &cmd.u.data_producer_create;
  ASSERT(!p->ordered && !p->paused && p->stream == 1);
  ASSERT(p->has_max_retransmits && p->max_retransmits == 0); /* 0 is a value */
  ASSERT(!p->has_max_packet_life_time && p->max_packet_life_time == 0);
  ASSERT(braid_str_eq(p->label, "chat") && p->protocol.len == 0);
  ASSERT(p->label.p == (const char *)producer_vec + sizeof producer_vec - 22); /* a view */

  c = make_consumer();
  check_vector(consumer_vec, sizeof consumer_vec, &c);
  ASSERT_EQ(braid_cmd_decode(&cmd, consumer_vec, sizeof consumer_vec, NULL), 0);
  const braid_cmd_data_consumer_create_t *q = &cmd.u.data_consumer_create;
  ASSERT(braid_str_eq(q->data_consumer_id, "dc1") && braid_str_eq(q->data_producer_id, "dp1"));
  ASSERT(q->has_max_packet_life_time && q->max_packet_life_time == 3000);
  ASSERT(!q->has_max_retransmits && !q->ordered && q->paused);

  c = make_close();
  check_vector(close_vec, sizeof close_vec, &c);
  ASSERT_EQ(braid_cmd_decode(&cmd, close_vec, sizeof close_vec, NULL), 0);
  ASSERT_EQ(cmd.type, BRAID_CMD_DATA_PRODUCER_CLOSE);
  ASSERT(braid_str_eq(cmd.u.data_producer_ref.data_producer_id, "dp1"));
}

BRAID_TEST(type_names) {
  static const struct {
    braid_cmd_type_t type;
    const char *name;
  } names[] = {
      {BRAID_CMD_DATA_PRODUCER_CREATE, "data_producer.create"},
      {BRAID_CMD_DATA_PRODUCER_CLOSE, "data_producer.close"},
      {BRAID_CMD_DATA_PRODUCER_PAUSE, "data_producer.pause"},
      {BRAID_CMD_DATA_PRODUCER_RESUME, "data_producer.resume"},
      {BRAID_CMD_DATA_PRODUCER_STATS, "data_producer.stats"},
      {BRAID_CMD_DATA_CONSUMER_CREATE, "data_consumer.create"},
      {BRAID_CMD_DATA_CONSUMER_CLOSE, "data_consumer.close"},
      {BRAID_CMD_DATA_CONSUMER_PAUSE, "data_consumer.pause"},
      {BRAID_CMD_DATA_CONSUMER_RESUME, "data_consumer.resume"},
      {BRAID_CMD_DATA_CONSUMER_STATS, "data_consumer.stats"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    ASSERT_STR_EQ(braid_cmd_type_name(names[i].type), names[i].name);
    /* The name on the wire is what decoding goes by. */
    braid_cmd_t c = make_ref(names[i].type);
    if (names[i].type == BRAID_CMD_DATA_PRODUCER_CREATE) c = make_producer();
    if (names[i].type == BRAID_CMD_DATA_CONSUMER_CREATE) c = make_consumer();
    braid_buf_t out;
    braid_cmd_t back;
    proto_test_encode(&proto_test_cmd, &c, &out);
    ASSERT_EQ(braid_cmd_decode(&back, out.data, out.len, NULL), 0);
    ASSERT_EQ(back.type, names[i].type);
    braid_buf_cleanup(&out);
  }
  /* The data commands end there (cmd_test.c checks the last of all). */
  const char *next = braid_cmd_type_name((braid_cmd_type_t)(BRAID_CMD_DATA_CONSUMER_STATS + 1));
  ASSERT(next == NULL || strncmp(next, "data_", 5) != 0);
}

BRAID_TEST(round_trip_every_command) {
  static char big[BRAID_DATA_LABEL_MAX];
  memset(big, 'L', sizeof big);
  const braid_str_t id_max = {big, BRAID_ID_MAX};

  /* data_producer.create: reliable, unordered reliable, each limit at 0
   * and at its maximum, strings and stream at their limits. */
  braid_cmd_t c = make_producer();
  braid_cmd_data_producer_create_t *p = &c.u.data_producer_create;
  round_trip(&c);
  p->has_max_retransmits = false;
  p->ordered = true; /* mediasoup's default: reliable and ordered */
  round_trip(&c);
  p->ordered = false; /* unordered, still reliable */
  round_trip(&c);
  for (uint64_t v = 0; v <= BRAID_DATA_PR_MAX; v += BRAID_DATA_PR_MAX) {
    p->has_max_retransmits = false;
    p->max_retransmits = 0;
    p->has_max_packet_life_time = true;
    p->max_packet_life_time = v;
    round_trip(&c);
    p->has_max_packet_life_time = false;
    p->max_packet_life_time = 0;
    p->has_max_retransmits = true;
    p->max_retransmits = v;
    round_trip(&c);
  }
  p->transport_id = p->data_producer_id = id_max;
  p->label = (braid_str_t){big, BRAID_DATA_LABEL_MAX};
  p->protocol = (braid_str_t){big, BRAID_DATA_PROTOCOL_MAX};
  p->stream = BRAID_SCTP_STREAM_ID_MAX;
  p->paused = true;
  round_trip(&c);
  p->stream = 0;
  round_trip(&c);
  c.u.data_producer_create = (braid_cmd_data_producer_create_t){0}; /* empty strings */
  round_trip(&c);

  /* data_consumer.create, the same way. */
  c = make_consumer();
  braid_cmd_data_consumer_create_t *q = &c.u.data_consumer_create;
  round_trip(&c);
  q->max_packet_life_time = BRAID_DATA_PR_MAX;
  round_trip(&c);
  q->has_max_packet_life_time = false;
  q->max_packet_life_time = 0;
  q->has_max_retransmits = true; /* max_retransmits 0 */
  round_trip(&c);
  q->max_retransmits = BRAID_DATA_PR_MAX;
  round_trip(&c);
  q->has_max_retransmits = false;
  q->max_retransmits = 0;
  q->ordered = true;
  q->transport_id = q->data_consumer_id = q->data_producer_id = id_max;
  round_trip(&c);
  c.u.data_consumer_create = (braid_cmd_data_consumer_create_t){0};
  round_trip(&c);

  /* The ref types: an id, an id at its limit, an empty id. */
  for (size_t i = 0; i < 8; i++) {
    braid_cmd_type_t t = i < 4 ? producer_refs[i] : consumer_refs[i - 4];
    c = make_ref(t);
    round_trip(&c);
    if (i < 4) c.u.data_producer_ref.data_producer_id = id_max;
    else c.u.data_consumer_ref.data_consumer_id = id_max;
    round_trip(&c);
    memset(&c.u, 0, sizeof c.u);
    round_trip(&c);
  }
}

/* A limit is on the wire only when its flag is set; a value without its
 * flag is ignored, and decoding sets the flags from the keys. */
BRAID_TEST(presence_flags) {
  braid_cmd_t c = make_producer();
  braid_cmd_data_producer_create_t *p = &c.u.data_producer_create;
  p->max_packet_life_time = 777; /* flag off: not sent, not checked */
  proto_test_encodes_to(&proto_test_cmd, &c, producer_vec, sizeof producer_vec);
  p->has_max_retransmits = false;
  p->max_retransmits = UINT64_MAX; /* out of range, but not sent */
  braid_buf_t out;
  proto_test_encode(&proto_test_cmd, &c, &out);
  ASSERT_EQ(out.data[0], 0x8c); /* 5 envelope keys + 7 body keys */
  braid_cmd_t back;
  ASSERT_EQ(braid_cmd_decode(&back, out.data, out.len, NULL), 0);
  ASSERT(!back.u.data_producer_create.has_max_retransmits);
  ASSERT(!back.u.data_producer_create.has_max_packet_life_time);
  ASSERT(back.u.data_producer_create.max_retransmits == 0);
  ASSERT(back.u.data_producer_create.max_packet_life_time == 0);
  braid_buf_cleanup(&out);

  /* Decoding: a key present sets its flag, whatever its value. */
  proto_test_doc_t d;
  size_t n;
  doc_load(&d, producer_vec, sizeof producer_vec);
  doc_del(&d, "max_rtx");
  doc_set(&d, "max_life", mo_u(0));
  const uint8_t *m = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&back, m, n, NULL), 0);
  ASSERT(back.u.data_producer_create.has_max_packet_life_time);
  ASSERT(back.u.data_producer_create.max_packet_life_time == 0);
  ASSERT(!back.u.data_producer_create.has_max_retransmits);
  doc_free(&d);

  /* The same for data_consumer.create. */
  c = make_consumer();
  c.u.data_consumer_create.max_retransmits = 5; /* flag off */
  proto_test_encodes_to(&proto_test_cmd, &c, consumer_vec, sizeof consumer_vec);
  doc_load(&d, consumer_vec, sizeof consumer_vec);
  doc_del(&d, "max_life");
  m = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&back, m, n, NULL), 0);
  ASSERT(!back.u.data_consumer_create.has_max_packet_life_time);
  ASSERT(!back.u.data_consumer_create.has_max_retransmits);
  doc_set(&d, "max_rtx", mo_u(0));
  m = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&back, m, n, NULL), 0);
  ASSERT(back.u.data_consumer_create.has_max_retransmits);
  ASSERT(back.u.data_consumer_create.max_retransmits == 0);
  doc_free(&d);
}

/* mediasoup's rule: both limits, or either with ordered true, is refused
 * by the encoder (BRAID_EINVAL, nothing written) and by the decoder. */
BRAID_TEST(partial_reliability_rule) {
  braid_buf_t out;
  proto_test_keep(&out);
  for (int k = 0; k < 3; k++) {
    braid_cmd_t c = make_producer(); /* max_rtx, unordered: valid */
    braid_cmd_data_producer_create_t *p = &c.u.data_producer_create;
    if (k == 0) p->ordered = true;
    if (k == 1) p->has_max_packet_life_time = true;
    if (k == 2) { /* the other limit alone, but ordered */
      p->has_max_retransmits = false;
      p->has_max_packet_life_time = p->ordered = true;
    }
    ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
    braid_cmd_t d = make_consumer(); /* max_life, unordered: valid */
    braid_cmd_data_consumer_create_t *q = &d.u.data_consumer_create;
    if (k == 0) q->ordered = true;
    if (k == 1) q->has_max_retransmits = true;
    if (k == 2) {
      q->has_max_packet_life_time = false;
      q->has_max_retransmits = q->ordered = true;
    }
    ASSERT_EQ(braid_cmd_encode(&d, &out), BRAID_EINVAL);
  }
  proto_test_kept(&out);
  braid_buf_cleanup(&out);

  const braid_cmd_t cmds[] = {make_producer(), make_consumer()};
  for (size_t i = 0; i < 2; i++) {
    const char *has = i == 0 ? "max_rtx" : "max_life";
    const char *other = i == 0 ? "max_life" : "max_rtx";
    patch(&cmds[i], PATCH_SET, "ordered", mo_bool(true), BRAID_EMALFORMED, pr_why);
    patch(&cmds[i], PATCH_SET, other, mo_u(0), BRAID_EMALFORMED, pr_why);
    patch(&cmds[i], PATCH_SET, other, mo_u(BRAID_DATA_PR_MAX), BRAID_EMALFORMED, pr_why);
    /* Without the limit, either ordering is fine. */
    patch(&cmds[i], PATCH_DEL, has, mo_nil(), 0, NULL);
    braid_buf_t enc;
    proto_test_encode(&proto_test_cmd, &cmds[i], &enc);
    proto_test_doc_t d;
    size_t n;
    doc_load(&d, enc.data, enc.len);
    doc_del(&d, has);
    doc_set(&d, "ordered", mo_bool(true));
    const uint8_t *m = doc_pack(&d, &n);
    proto_test_expect(decode, m, n, 0, NULL);
    doc_set(&d, other, mo_u(1)); /* the other limit, with ordered true */
    m = doc_pack(&d, &n);
    proto_test_expect(decode, m, n, BRAID_EMALFORMED, pr_why);
    doc_set(&d, "ordered", mo_bool(false));
    m = doc_pack(&d, &n);
    proto_test_expect(decode, m, n, 0, NULL);
    doc_free(&d);
    braid_buf_cleanup(&enc);
  }
}

BRAID_TEST(ranges) {
  braid_cmd_t c = make_producer();
  const char *stream_why = "key 'stream' is out of range";
  patch(&c, PATCH_SET, "stream", mo_u(0), 0, NULL);
  patch(&c, PATCH_SET, "stream", mo_u(BRAID_SCTP_STREAM_ID_MAX), 0, NULL);
  patch(&c, PATCH_SET, "stream", mo_u(65535), BRAID_EMALFORMED, stream_why); /* reserved */
  patch(&c, PATCH_SET, "stream", mo_u(UINT64_MAX), BRAID_EMALFORMED, stream_why);
  patch(&c, PATCH_SET, "stream", mo_i(-1), BRAID_EMALFORMED, stream_why);
  patch(&c, PATCH_SET, "stream", mo_str("1"), BRAID_ETYPE, "key 'stream' has wrong type");
  patch(&c, PATCH_SET, "max_rtx", mo_u(BRAID_DATA_PR_MAX), 0, NULL);
  patch(&c, PATCH_SET, "max_rtx", mo_u(BRAID_DATA_PR_MAX + 1), BRAID_EMALFORMED,
        "key 'max_rtx' is out of range");
  patch(&c, PATCH_SET, "max_rtx", mo_i(-1), BRAID_EMALFORMED, "key 'max_rtx' is out of range");
  c = make_consumer();
  patch(&c, PATCH_SET, "max_life", mo_u(BRAID_DATA_PR_MAX + 1), BRAID_EMALFORMED,
        "key 'max_life' is out of range");
  patch(&c, PATCH_SET, "max_life", mo_u(0), 0, NULL);
  /* A consumer has no "stream": one sent is skipped. */
  patch(&c, PATCH_SET, "stream", mo_u(65535), 0, NULL);
}

/* Every required key removed in turn; the limits and "dl" are optional. */
BRAID_TEST(missing_keys) {
  static const char *const producer_keys[] = {"transport", "data_producer", "stream", "ordered",
                                              "label",     "protocol",      "paused", "id",
                                              "rt"};
  static const char *const consumer_keys[] = {"transport", "data_consumer", "data_producer",
                                              "ordered",   "paused",        "id",
                                              "rt"};
  for (size_t k = 0; k < sizeof producer_keys / sizeof producer_keys[0]; k++)
    proto_test_missing(decode, producer_vec, sizeof producer_vec, producer_keys[k]);
  braid_cmd_t c = make_producer();
  patch(&c, PATCH_DEL, "max_rtx", mo_nil(), 0, NULL);
  patch(&c, PATCH_DEL, "dl", mo_nil(), 0, NULL);
  for (size_t k = 0; k < sizeof consumer_keys / sizeof consumer_keys[0]; k++)
    proto_test_missing(decode, consumer_vec, sizeof consumer_vec, consumer_keys[k]);
  c = make_consumer();
  patch(&c, PATCH_DEL, "max_life", mo_nil(), 0, NULL);
  patch(&c, PATCH_DEL, "dl", mo_nil(), 0, NULL);
  for (size_t i = 0; i < 4; i++) {
    c = make_ref(producer_refs[i]);
    patch(&c, PATCH_DEL, "data_producer", mo_nil(), BRAID_EMISSING,
          "missing key 'data_producer'");
    /* The other entity's id is not this type's key. */
    patch(&c, PATCH_SET, "data_consumer", mo_str("dc1"), 0, NULL);
    c = make_ref(consumer_refs[i]);
    patch(&c, PATCH_DEL, "data_consumer", mo_nil(), BRAID_EMISSING,
          "missing key 'data_consumer'");
    patch(&c, PATCH_SET, "data_consumer", mo_u(1), BRAID_ETYPE,
          "key 'data_consumer' has wrong type");
  }
}

/* Every string one byte over its limit; at the limit it decodes. */
BRAID_TEST(over_long_strings) {
  static const proto_test_cmd_limit_t cases[] = {
      {make_producer, "transport", BRAID_ID_MAX},
      {make_producer, "data_producer", BRAID_ID_MAX},
      {make_producer, "label", BRAID_DATA_LABEL_MAX},
      {make_producer, "protocol", BRAID_DATA_PROTOCOL_MAX},
      {make_consumer, "transport", BRAID_ID_MAX},
      {make_consumer, "data_consumer", BRAID_ID_MAX},
      {make_consumer, "data_producer", BRAID_ID_MAX},
      {make_close, "data_producer", BRAID_ID_MAX},
  };
  proto_test_cmd_string_limits(decode, cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(wrong_types_and_duplicates) {
  braid_cmd_t c = make_producer();
  patch(&c, PATCH_SET, "ordered", mo_u(0), BRAID_ETYPE, "key 'ordered' has wrong type");
  patch(&c, PATCH_SET, "paused", mo_str("no"), BRAID_ETYPE, "key 'paused' has wrong type");
  patch(&c, PATCH_SET, "label", mo_u(1), BRAID_ETYPE, "key 'label' has wrong type");
  patch(&c, PATCH_SET, "protocol", mo_nil(), BRAID_ETYPE, "key 'protocol' has wrong type");
  /* nil is not "absent": a limit is either there with a number or not. */
  patch(&c, PATCH_SET, "max_rtx", mo_nil(), BRAID_ETYPE, "key 'max_rtx' has wrong type");
  patch(&c, PATCH_SET, "max_life", mo_bool(true), BRAID_ETYPE, "key 'max_life' has wrong type");
  patch(&c, PATCH_ADD, "max_rtx", mo_u(0), BRAID_EMALFORMED, "duplicate key 'max_rtx'");
  patch(&c, PATCH_ADD, "stream", mo_u(1), BRAID_EMALFORMED, "duplicate key 'stream'");
  c = make_consumer();
  patch(&c, PATCH_SET, "data_producer", mo_array0(), BRAID_ETYPE,
        "key 'data_producer' has wrong type");
  patch(&c, PATCH_ADD, "max_life", mo_u(1), BRAID_EMALFORMED, "duplicate key 'max_life'");
  patch(&c, PATCH_ADD, "paused", mo_bool(true), BRAID_EMALFORMED, "duplicate key 'paused'");
  /* Keys of other types are skipped, whatever they hold. */
  patch(&c, PATCH_SET, "label", mo_u(3), 0, NULL);
  patch(&c, PATCH_SET, "producer", mo_map0(), 0, NULL);
}

BRAID_TEST(encode_refuses_bad_commands) {
  static char big[BRAID_DATA_LABEL_MAX + 1];
  braid_buf_t out;
  proto_test_keep(&out);
  braid_cmd_t c = make_producer();
  c.u.data_producer_create.stream = 65535;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_producer();
  c.u.data_producer_create.max_retransmits = BRAID_DATA_PR_MAX + 1;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_producer();
  c.u.data_producer_create.label = (braid_str_t){big, BRAID_DATA_LABEL_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_producer();
  c.u.data_producer_create.protocol = (braid_str_t){big, BRAID_DATA_PROTOCOL_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_producer();
  c.u.data_producer_create.label = (braid_str_t){NULL, 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_consumer();
  c.u.data_consumer_create.max_packet_life_time = UINT64_MAX;
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  c = make_consumer();
  c.u.data_consumer_create.data_producer_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  for (size_t i = 0; i < 4; i++) {
    c = make_ref(producer_refs[i]);
    c.u.data_producer_ref.data_producer_id = (braid_str_t){big, BRAID_ID_MAX + 1};
    ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
    c = make_ref(consumer_refs[i]);
    c.u.data_consumer_ref.data_consumer_id = (braid_str_t){NULL, 3};
    ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  }
  proto_test_kept(&out);
  braid_buf_cleanup(&out);
}

/* The vectors and the encodings of every type, for the robustness loops. */
static void samples(proto_test_samples_t *s) {
  braid_cmd_t cmds[12] = {make_producer(), make_producer(), make_consumer(), make_consumer()};
  braid_cmd_data_producer_create_t *p = &cmds[1].u.data_producer_create;
  p->ordered = true;
  p->has_max_retransmits = false;
  p->protocol = BRAID_STR_LIT("json");
  p->stream = 1023;
  p->paused = true;
  braid_cmd_data_consumer_create_t *q = &cmds[3].u.data_consumer_create;
  q->has_max_packet_life_time = false;
  q->has_max_retransmits = true;
  q->max_retransmits = 5;
  for (size_t i = 0; i < 4; i++) {
    cmds[4 + i] = make_ref(producer_refs[i]);
    cmds[8 + i] = make_ref(consumer_refs[i]);
  }
  proto_test_sample_bytes(s, producer_vec, sizeof producer_vec);
  proto_test_sample_bytes(s, consumer_vec, sizeof consumer_vec);
  proto_test_sample_bytes(s, close_vec, sizeof close_vec);
  proto_test_sample_each(s, &proto_test_cmd, cmds, 12);
}

PROTO_TEST_ROBUSTNESS(decode, samples)

/* A run of 40 of each type (proto_test_run_oom()), the longest label. */
BRAID_TEST(encode_out_of_memory) {
  static char label[BRAID_DATA_LABEL_MAX];
  memset(label, 'l', sizeof label);
  braid_cmd_t cmds[] = {make_producer(), make_consumer(), make_close(),
                        make_ref(BRAID_CMD_DATA_CONSUMER_STATS)};
  cmds[0].u.data_producer_create.label = (braid_str_t){label, sizeof label};
  proto_test_encode_oom(&proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0], 40);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vectors)
    BRAID_TEST_ENTRY(type_names)
    BRAID_TEST_ENTRY(round_trip_every_command)
    BRAID_TEST_ENTRY(presence_flags)
    BRAID_TEST_ENTRY(partial_reliability_rule)
    BRAID_TEST_ENTRY(ranges)
    BRAID_TEST_ENTRY(missing_keys)
    BRAID_TEST_ENTRY(over_long_strings)
    BRAID_TEST_ENTRY(wrong_types_and_duplicates)
    BRAID_TEST_ENTRY(encode_refuses_bad_commands)
    PROTO_TEST_ROBUSTNESS_ENTRIES
    BRAID_TEST_ENTRY(encode_out_of_memory))
