/*
 * The data commands of mediad (data_handlers.c over data_producer.c and
 * data_consumer.c): the errors and the idempotence of create, the close
 * cascades (data producer -> its data consumers; transport -> both), the
 * stream resets the endpoints see, and the stats JSON (checked with
 * jansson). The world is data_harness.h's; messages flow as in
 * data_transport_test.c.
 */
#include <jansson.h>

#include "common/err.h"
#include "common/map.h"
#include "mediad/rtc/stats_json.h"
#include "tests/mediad/rtc/data_harness.h"
#include "tests/test.h"

enum { TA = 0, TB = 1, TC = 2, TP = 3, TR = 4 };
#define DP_STREAM 3

/* ta, tb, tc on router r1 (connected), tp on r1 without SCTP, tr with
 * SCTP on router r2; the data producer "dp" of A on DP_STREAM. */
static braid_data_producer_t *setup(dh_world_t *w) {
  dh_world_init(w);
  dh_transport_add(w, TA, "ta", "r1", NULL);
  dh_transport_add(w, TB, "tb", "r1", NULL);
  dh_transport_add(w, TC, "tc", "r1", NULL);
  dh_transport_add_plain(w, TP, "tp", "r1");
  dh_transport_add(w, TR, "tr", "r2", NULL);
  dh_connect(w, TA);
  dh_connect(w, TB);
  dh_connect(w, TC);
  return dh_add_producer(w, "ta", "dp", DP_STREAM);
}

static void expect_error(const dh_reply_t *r, int code, const char *in_reason) {
  if (r->ok) BRAID_TEST_FAIL("expected error %d (%s), got ok", code, in_reason);
  ASSERT_EQ(r->code, code);
  if (strstr(r->reason, in_reason) == NULL)
    BRAID_TEST_FAIL("reason \"%s\" lacks \"%s\"", r->reason, in_reason);
}

static bool has_reset(const dh_world_t *w, int ep, uint16_t stream) {
  for (size_t i = 0; i < w->ep[ep].nresets; i++)
    if (w->ep[ep].resets[i] == stream) return true;
  return false;
}

/* ---- 1. create ------------------------------------------------------------ */

BRAID_TEST(data_producer_create_errors) {
  dh_world_t w;
  braid_data_producer_t *p = setup(&w);
  dh_reply_t r;
  braid_cmd_data_producer_create_t c = dh_producer_cmd("nope", "x", 1);
  dh_producer_create(&w, &c, &r);
  expect_error(&r, BRAID_ENOTFOUND, "transport not found");

  c = dh_producer_cmd("tp", "x", 1); /* no SCTP */
  dh_producer_create(&w, &c, &r);
  expect_error(&r, BRAID_ESTATE, "SCTP is not enabled");

  c = dh_producer_cmd("ta", "x", DP_STREAM); /* dp's stream */
  dh_producer_create(&w, &c, &r);
  expect_error(&r, BRAID_EEXIST, "stream in use");

  c = dh_producer_cmd("ta", "x", BRAID_SCTP_STREAM_ID_MAX + 1);
  dh_producer_create(&w, &c, &r);
  expect_error(&r, BRAID_EINVAL, "invalid");

  static char long_label[BRAID_DATA_LABEL_MAX + 2];
  memset(long_label, 'l', BRAID_DATA_LABEL_MAX + 1);
  c = dh_producer_cmd("ta", "x", 1);
  c.label = braid_str_c(long_label);
  dh_producer_create(&w, &c, &r);
  expect_error(&r, BRAID_EINVAL, "invalid");
  ASSERT(dh_data_producer(&w, "x") == NULL);
  ASSERT_EQ(braid_map_size(w.md.data_producers), 1);

  /* Labels and protocols go into JSON stats: UTF-8 only (a lone
   * continuation byte, an overlong '/', a surrogate, a cut sequence). */
  static const char *const bad_utf8[] = {"a\x80", "\xc0\xaf", "\xed\xa0\x80", "ok\xe2\x82"};
  for (size_t i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
    c = dh_producer_cmd("ta", "x", 1);
    if (i % 2) c.protocol = braid_str_c(bad_utf8[i]);
    else c.label = braid_str_c(bad_utf8[i]);
    dh_producer_create(&w, &c, &r);
    expect_error(&r, BRAID_EINVAL, "UTF-8");
  }
  c = dh_producer_cmd("ta", "x", 1);
  c.label = braid_str_c("caf\xc3\xa9 \xf0\x9f\x98\x80"); /* café 😀 */
  dh_producer_create(&w, &c, &r);
  ASSERT(r.ok);
  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_CLOSE, "x");
  ASSERT_EQ(braid_map_size(w.md.data_producers), 1);

  /* The same command again answers ok and changes nothing. */
  c = dh_producer_cmd("ta", "dp", DP_STREAM);
  dh_producer_create(&w, &c, &r);
  ASSERT(r.ok);
  ASSERT(dh_data_producer(&w, "dp") == p);
  ASSERT_EQ(braid_map_size(w.md.data_producers), 1);
  /* The id with another stream or transport is taken. */
  c = dh_producer_cmd("ta", "dp", 4);
  dh_producer_create(&w, &c, &r);
  expect_error(&r, BRAID_EEXIST, "data producer id taken");
  c = dh_producer_cmd("tb", "dp", DP_STREAM);
  dh_producer_create(&w, &c, &r);
  expect_error(&r, BRAID_EEXIST, "data producer id taken");

  /* The same stream on another transport is fine; so is the longest label. */
  long_label[BRAID_DATA_LABEL_MAX] = '\0';
  c = dh_producer_cmd("tb", "dpb", DP_STREAM);
  c.label = braid_str_c(long_label);
  braid_data_producer_t *pb = dh_add_producer_cmd(&w, &c);
  ASSERT_EQ(strlen(pb->label), BRAID_DATA_LABEL_MAX);
  ASSERT_EQ(braid_map_size(w.md.data_producers), 2);
  dh_world_cleanup(&w);
}

BRAID_TEST(data_consumer_create_errors) {
  dh_world_t w;
  braid_data_producer_t *p = setup(&w);
  dh_reply_t r;
  braid_cmd_data_consumer_create_t c = dh_consumer_cmd("nope", "dc", "dp");
  dh_consumer_create(&w, &c, &r);
  expect_error(&r, BRAID_ENOTFOUND, "transport not found");

  c = dh_consumer_cmd("tb", "dc", "nope");
  dh_consumer_create(&w, &c, &r);
  expect_error(&r, BRAID_ENOTFOUND, "data producer not found");

  c = dh_consumer_cmd("tr", "dc", "dp");
  dh_consumer_create(&w, &c, &r);
  expect_error(&r, BRAID_EINVAL, "another router");

  c = dh_consumer_cmd("tp", "dc", "dp");
  dh_consumer_create(&w, &c, &r);
  expect_error(&r, BRAID_ESTATE, "SCTP is not enabled");
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 0);
  ASSERT(p->consumers == NULL);

  /* Idempotent: the same stream again, no second consumer, no stream
   * used up. */
  braid_data_consumer_t *k = dh_add_consumer(&w, "tb", "dc", "dp");
  ASSERT_EQ(k->stream, 0);
  c = dh_consumer_cmd("tb", "dc", "dp");
  dh_consumer_create(&w, &c, &r);
  ASSERT(r.ok && r.has_stream);
  ASSERT_EQ(r.stream, k->stream);
  ASSERT(dh_data_consumer(&w, "dc") == k);
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 1);
  ASSERT(p->consumers == k && k->producer_next == NULL);
  ASSERT_EQ(dh_add_consumer(&w, "tb", "dc2", "dp")->stream, 1);

  /* The id on another transport, or of another producer, is taken. */
  dh_add_producer(&w, "ta", "dq", 4);
  c = dh_consumer_cmd("tb", "dc", "dq");
  dh_consumer_create(&w, &c, &r);
  expect_error(&r, BRAID_EEXIST, "data consumer id taken");
  c = dh_consumer_cmd("tc", "dc", "dp");
  dh_consumer_create(&w, &c, &r);
  expect_error(&r, BRAID_EEXIST, "data consumer id taken");
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 2);
  dh_world_cleanup(&w);
}

BRAID_TEST(producer_may_share_a_consumers_stream_number) {
  /* As mediasoup: a data producer's stream is the endpoint's choice and
   * may be the number of one of our data consumers (the two directions of
   * a stream are separate). Closing that producer does not reset the
   * stream, which the consumer still sends on. */
  dh_world_t w;
  setup(&w);
  braid_data_consumer_t *k = dh_add_consumer(&w, "tb", "dc", "dp");
  ASSERT_EQ(k->stream, 0);
  braid_data_producer_t *pb = dh_add_producer(&w, "tb", "pb", 0);
  dh_add_consumer(&w, "tc", "cc", "pb");
  dh_ep_send(&w, TB, 0, BRAID_SCTP_PPID_STRING, "up", 2, NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_STRING, "down", 4, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(pb->messages_received, 1);
  ASSERT_EQ(w.ep[TC].nmsgs, 1);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  ASSERT_EQ(w.ep[TB].msgs[0].stream, 0);

  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_CLOSE, "pb");
  dh_advance(&w, 500);
  ASSERT(!has_reset(&w, TB, 0));
  ASSERT(dh_data_consumer(&w, "cc") == NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_STRING, "still", 5, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 2);
  ASSERT_EQ(w.ep[TB].msgs[1].stream, 0);
  dh_world_cleanup(&w);
}

/* ---- 2. close ---------------------------------------------------------------- */

BRAID_TEST(closing_a_data_producer_closes_its_consumers) {
  dh_world_t w;
  setup(&w);
  braid_data_consumer_t *cb = dh_add_consumer(&w, "tb", "cb", "dp");
  braid_data_consumer_t *cc = dh_add_consumer(&w, "tc", "cc", "dp");
  braid_data_consumer_t *ca = dh_add_consumer(&w, "ta", "ca", "dp");
  uint16_t sb = cb->stream, sc = cc->stream, sa = ca->stream;
  dh_add_producer(&w, "ta", "other", 4);
  braid_data_consumer_t *keep = dh_add_consumer(&w, "tb", "keep", "other");
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_STRING, "hi", 2, NULL);
  dh_advance(&w, 500);

  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_CLOSE, "dp");
  ASSERT(dh_data_producer(&w, "dp") == NULL);
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 1);
  ASSERT(dh_data_consumer(&w, "keep") == keep);
  dh_advance(&w, 500);
  /* Each endpoint's DataChannel closes: its consumer's stream is reset,
   * and A's channel of the producer's stream too. */
  ASSERT(has_reset(&w, TB, sb));
  ASSERT(!has_reset(&w, TB, keep->stream));
  ASSERT(has_reset(&w, TC, sc));
  ASSERT(has_reset(&w, TA, sa));
  ASSERT(has_reset(&w, TA, DP_STREAM));
  /* Gone for the commands: close is idempotent, the others are not. */
  dh_reply_t r;
  dh_ref(&w, BRAID_CMD_DATA_PRODUCER_CLOSE, "dp", &r);
  ASSERT(r.ok);
  dh_ref(&w, BRAID_CMD_DATA_CONSUMER_CLOSE, "cb", &r);
  ASSERT(r.ok);
  dh_ref(&w, BRAID_CMD_DATA_PRODUCER_PAUSE, "dp", &r);
  expect_error(&r, BRAID_ENOTFOUND, "data producer not found");
  dh_ref(&w, BRAID_CMD_DATA_CONSUMER_STATS, "cb", &r);
  expect_error(&r, BRAID_ENOTFOUND, "data consumer not found");
  /* Messages on the stream are now no producer's. */
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_STRING, "late", 4, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_no_producer, 1);
  /* The stream can be taken again. */
  dh_add_producer(&w, "ta", "dp", DP_STREAM);
  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_CLOSE, "other");
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 0);
  dh_world_cleanup(&w);
}

BRAID_TEST(closing_a_data_consumer) {
  dh_world_t w;
  braid_data_producer_t *p = setup(&w);
  braid_data_consumer_t *c1 = dh_add_consumer(&w, "tb", "c1", "dp");
  dh_add_consumer(&w, "tb", "c2", "dp");
  braid_data_consumer_t *c3 = dh_add_consumer(&w, "tb", "c3", "dp");
  uint16_t s2 = dh_data_consumer(&w, "c2")->stream;
  dh_ref_ok(&w, BRAID_CMD_DATA_CONSUMER_CLOSE, "c2"); /* the middle of p's list */
  ASSERT(dh_data_consumer(&w, "c2") == NULL);
  ASSERT(p->consumers == c3 && c3->producer_next == c1 && c1->producer_next == NULL);
  dh_advance(&w, 500);
  ASSERT(has_reset(&w, TB, s2));
  ASSERT_EQ(w.ep[TB].nresets, 1);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_STRING, "x", 1, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 2);
  for (size_t i = 0; i < 2; i++)
    ASSERT_NE(w.ep[TB].msgs[i].stream, s2);
  dh_ref_ok(&w, BRAID_CMD_DATA_CONSUMER_CLOSE, "c2");
  ASSERT(dh_data_producer(&w, "dp") == p);
  dh_world_cleanup(&w);
}

BRAID_TEST(closing_a_transport_closes_both) {
  /* ta: dp (consumed on tb, tc and ta itself) and the consumer "ca" of
   * B's producer "pb". Closing ta closes dp and every consumer of it,
   * and ca; pb stays, without consumers. */
  dh_world_t w;
  setup(&w);
  braid_data_producer_t *pb = dh_add_producer(&w, "tb", "pb", 6);
  dh_add_consumer(&w, "ta", "ca", "pb");
  uint16_t sb = dh_add_consumer(&w, "tb", "cb", "dp")->stream;
  uint16_t sc = dh_add_consumer(&w, "tc", "cc", "dp")->stream;
  dh_add_consumer(&w, "ta", "self", "dp");
  dh_add_consumer(&w, "tc", "cc2", "pb");
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 5);

  dh_transport_close(&w, TA);
  ASSERT_EQ(braid_map_size(w.md.data_producers), 1);
  ASSERT(dh_data_producer(&w, "pb") == pb);
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 1);
  ASSERT(dh_data_consumer(&w, "cc2") != NULL);
  ASSERT(pb->consumers == dh_data_consumer(&w, "cc2") && pb->consumers->producer_next == NULL);
  dh_advance(&w, 500);
  ASSERT(has_reset(&w, TB, sb)); /* dp's consumers elsewhere close their channels */
  ASSERT(has_reset(&w, TC, sc));
  dh_ep_send(&w, TB, 6, BRAID_SCTP_PPID_STRING, "pb", 2, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(pb->messages_received, 1);
  ASSERT_EQ(w.ep[TC].nmsgs, 1);

  dh_transport_close(&w, TB);
  ASSERT_EQ(braid_map_size(w.md.data_producers), 0);
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 0);
  dh_world_cleanup(&w);
}

/* ---- 3. stats ------------------------------------------------------------------ */

static json_t *parse_stats(const char *text, const char *type) {
  json_error_t err;
  json_t *j = json_loads(text, 0, &err);
  if (j == NULL) BRAID_TEST_FAIL("stats not JSON (%s at %d): %s", err.text, err.position, text);
  ASSERT(json_is_array(j) && json_array_size(j) == 1);
  json_t *o = json_array_get(j, 0);
  ASSERT(json_is_object(o));
  ASSERT_STR_EQ(json_string_value(json_object_get(o, "type")), type);
  ASSERT(json_is_integer(json_object_get(o, "timestamp")));
  return j;
}

static int64_t int_of(json_t *j, const char *key) {
  json_t *v = json_object_get(json_array_get(j, 0), key);
  if (!json_is_integer(v)) BRAID_TEST_FAIL("no integer \"%s\"", key);
  return (int64_t)json_integer_value(v);
}

static const char *str_of(json_t *j, const char *key) {
  json_t *v = json_object_get(json_array_get(j, 0), key);
  if (!json_is_string(v)) BRAID_TEST_FAIL("no string \"%s\"", key);
  return json_string_value(v);
}

BRAID_TEST(stats_escape_label_and_protocol) {
  static const char label[] = "a \"quoted\" \\label\\ with\nnew\tlines\x01\x1f and \xc3\xbc\x7f";
  static const char protocol[] = "\"}]";
  dh_world_t w;
  dh_world_init(&w);
  dh_transport_add(&w, TA, "ta", "r1", NULL);
  dh_transport_add(&w, TB, "tb", "r1", NULL);
  dh_connect(&w, TA);
  dh_connect(&w, TB);
  braid_cmd_data_producer_create_t pc = dh_producer_cmd("ta", "dp", DP_STREAM);
  pc.label = braid_str_c(label);
  pc.protocol = braid_str_c(protocol);
  dh_add_producer_cmd(&w, &pc);
  dh_add_consumer(&w, "tb", "dc", "dp");
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_STRING, "hello", 5, NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_BINARY, "abc", 3, NULL);
  dh_advance(&w, 500);

  dh_reply_t r;
  dh_ref(&w, BRAID_CMD_DATA_PRODUCER_STATS, "dp", &r);
  ASSERT(r.ok && r.has_stats);
  json_t *j = parse_stats(r.stats, "data-producer");
  ASSERT_STR_EQ(str_of(j, "label"), label);
  ASSERT_STR_EQ(str_of(j, "protocol"), protocol);
  ASSERT_EQ(int_of(j, "messagesReceived"), 2);
  ASSERT_EQ(int_of(j, "bytesReceived"), 8);
  json_decref(j);
  /* No raw control character in the text. */
  for (const char *q = r.stats; *q != '\0'; q++)
    ASSERT((unsigned char)*q >= 0x20);

  dh_ref(&w, BRAID_CMD_DATA_CONSUMER_STATS, "dc", &r);
  ASSERT(r.ok && r.has_stats);
  j = parse_stats(r.stats, "data-consumer");
  ASSERT_STR_EQ(str_of(j, "label"), label); /* the producer's */
  ASSERT_STR_EQ(str_of(j, "protocol"), protocol);
  ASSERT_EQ(int_of(j, "messagesSent"), 2);
  ASSERT_EQ(int_of(j, "bytesSent"), 8);
  ASSERT_EQ(int_of(j, "bufferedAmount"), 0); /* all acknowledged */
  json_decref(j);
  dh_world_cleanup(&w);
}

BRAID_TEST(stats_of_the_longest_escaped_strings) {
  /* Label and protocol at their maxima, every byte a control character
   * (6 bytes escaped): the stats still fit and parse. */
  static char label[BRAID_DATA_LABEL_MAX + 1], protocol[BRAID_DATA_PROTOCOL_MAX + 1];
  memset(label, 0x01, BRAID_DATA_LABEL_MAX);
  memset(protocol, 0x1f, BRAID_DATA_PROTOCOL_MAX);
  dh_world_t w;
  dh_world_init(&w);
  dh_transport_add(&w, TA, "ta", "r1", NULL);
  braid_cmd_data_producer_create_t pc = dh_producer_cmd("ta", "dp", DP_STREAM);
  pc.label = braid_str_c(label);
  pc.protocol = braid_str_c(protocol);
  dh_add_producer_cmd(&w, &pc);
  dh_add_consumer(&w, "ta", "dc", "dp");
  dh_reply_t r;
  dh_ref(&w, BRAID_CMD_DATA_PRODUCER_STATS, "dp", &r);
  ASSERT(r.ok && r.has_stats);
  json_t *j = parse_stats(r.stats, "data-producer");
  ASSERT_STR_EQ(str_of(j, "label"), label);
  ASSERT_STR_EQ(str_of(j, "protocol"), protocol);
  json_decref(j);
  dh_ref(&w, BRAID_CMD_DATA_CONSUMER_STATS, "dc", &r);
  ASSERT(r.ok && r.has_stats);
  j = parse_stats(r.stats, "data-consumer");
  ASSERT_STR_EQ(str_of(j, "protocol"), protocol);
  ASSERT_EQ(int_of(j, "messagesSent"), 0);
  json_decref(j);
  /* A buffer too small is refused, not cut. */
  char small[64];
  ASSERT(braid_stats_json_data_producer(dh_data_producer(&w, "dp"), small, sizeof small) < 0);
  dh_world_cleanup(&w);
}

/* clang-format off */
BRAID_TEST_LIST(BRAID_TEST_ENTRY(data_producer_create_errors)
                BRAID_TEST_ENTRY(data_consumer_create_errors)
                BRAID_TEST_ENTRY(producer_may_share_a_consumers_stream_number)
                BRAID_TEST_ENTRY(closing_a_data_producer_closes_its_consumers)
                BRAID_TEST_ENTRY(closing_a_data_consumer)
                BRAID_TEST_ENTRY(closing_a_transport_closes_both)
                BRAID_TEST_ENTRY(stats_escape_label_and_protocol)
                BRAID_TEST_ENTRY(stats_of_the_longest_escaped_strings))
/* clang-format on */
