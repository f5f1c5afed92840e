/*
 * Tests of controller/room/data_cmd.c: produceData's checks (mediasoup's
 * sctpStreamParameters rules, made strict; label, protocol, appData), the
 * commands they make, encoded with proto/ so that a node would take them,
 * the sctpStreamParameters given back, and the chat rule of both dialects.
 */
#include "controller/room/data_cmd.h"

#include "common/buf.h"
#include "common/err.h"
#include "proto/cmd.h"
#include "tests/test.h"

/* Parses text as a produceData body and checks it; err gets the reason. */
static int check(const char *text, braid_data_produce_t *out, json_t **data, char *err,
                 size_t errlen) {
  json_error_t jerr;
  *data = json_loads(text, 0, &jerr);
  ASSERT(*data != NULL);
  err[0] = '\0';
  return braid_data_cmd_check_produce(*data, "produceData", out, err, errlen);
}

/* Expects text to be refused with a reason containing what. */
static void refused(const char *text, const char *what) {
  braid_data_produce_t dp;
  json_t *data;
  char err[256];
  int rc = check(text, &dp, &data, err, sizeof err);
  if (rc != BRAID_EINVAL || strstr(err, what) == NULL)
    BRAID_TEST_FAIL("%s: rc %d, reason \"%s\", expected one with \"%s\"", text, rc, err, what);
  json_decref(data);
}

/* Expects text to be taken as the given delivery. */
static void taken(const char *text, int stream, bool ordered, int life, int rtx) {
  braid_data_produce_t dp;
  json_t *data;
  char err[256];
  int rc = check(text, &dp, &data, err, sizeof err);
  if (rc != 0) BRAID_TEST_FAIL("%s: refused (%s)", text, err);
  ASSERT_EQ(dp.stream.stream_id, stream);
  ASSERT_EQ(dp.stream.ordered, ordered);
  ASSERT_EQ(dp.stream.has_max_packet_life_time, life >= 0);
  ASSERT_EQ(dp.stream.has_max_retransmits, rtx >= 0);
  if (life >= 0) ASSERT_EQ(dp.stream.max_packet_life_time, life);
  if (rtx >= 0) ASSERT_EQ(dp.stream.max_retransmits, rtx);
  json_decref(data);
}

BRAID_TEST(stream_parameters_taken) {
  /* The legacy demo's chat, and the current one's. */
  taken("{\"sctpStreamParameters\":{\"streamId\":0,\"ordered\":false,\"maxRetransmits\":1}}", 0,
        false, -1, 1);
  taken("{\"sctpStreamParameters\":{\"streamId\":1,\"ordered\":true}}", 1, true, -1, -1);
  /* ordered defaults to true, or to false when a non-zero limit is given
   * (a 0 limit is falsy in mediasoup: ordered and reliable). */
  taken("{\"sctpStreamParameters\":{\"streamId\":7}}", 7, true, -1, -1);
  taken("{\"sctpStreamParameters\":{\"streamId\":7,\"maxPacketLifeTime\":2000}}", 7, false, 2000, -1);
  taken("{\"sctpStreamParameters\":{\"streamId\":7,\"maxRetransmits\":0}}", 7, true, -1, -1);
  taken("{\"sctpStreamParameters\":{\"streamId\":7,\"ordered\":false,\"maxRetransmits\":0}}", 7,
        false, -1, 0);
  taken("{\"sctpStreamParameters\":{\"streamId\":7,\"ordered\":null,\"maxRetransmits\":null}}", 7,
        true, -1, -1);
  /* What mediasoup-client sends for produceData({maxRetransmits: 0}). */
  taken("{\"sctpStreamParameters\":{\"streamId\":3,\"ordered\":true,\"maxRetransmits\":0}}", 3, true,
        -1, -1);
  /* The bounds. */
  taken("{\"sctpStreamParameters\":{\"streamId\":65534,\"maxPacketLifeTime\":65535}}", 65534, false,
        65535, -1);
  taken("{\"sctpStreamParameters\":{\"streamId\":2.0}}", 2, true, -1, -1);
}

BRAID_TEST(stream_parameters_refused) {
  refused("{}", "\"sctpStreamParameters\" is required");
  refused("{\"sctpStreamParameters\":null}", "must be an object");
  refused("{\"sctpStreamParameters\":[1]}", "must be an object");
  refused("{\"sctpStreamParameters\":{}}", "streamId must be an integer 0..65534");
  refused("{\"sctpStreamParameters\":{\"streamId\":\"1\"}}", "streamId must be");
  refused("{\"sctpStreamParameters\":{\"streamId\":65535}}", "streamId must be");
  refused("{\"sctpStreamParameters\":{\"streamId\":-1}}", "streamId must be");
  refused("{\"sctpStreamParameters\":{\"streamId\":1.5}}", "streamId must be");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"ordered\":\"yes\"}}",
          "ordered must be a boolean");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"maxRetransmits\":65536}}",
          "maxRetransmits must be an integer 0..65535");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"maxPacketLifeTime\":-5}}",
          "maxPacketLifeTime must be");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"maxPacketLifeTime\":\"9\"}}",
          "maxPacketLifeTime must be");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"maxPacketLifeTime\":1,\"maxRetransmits\":1}}",
          "cannot have both");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"maxPacketLifeTime\":0,\"maxRetransmits\":0}}",
          "cannot have both");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"ordered\":true,\"maxRetransmits\":2}}",
          "cannot be ordered");
  refused("{\"sctpStreamParameters\":{\"streamId\":1,\"ordered\":true,\"maxPacketLifeTime\":9}}",
          "cannot be ordered");
}

/* big = head, n times 'a', tail. */
static void over_limit(char *big, const char *head, size_t n, const char *tail) {
  size_t h = strlen(head), t = strlen(tail);
  memcpy(big, head, h);
  memset(big + h, 'a', n);
  memcpy(big + h + n, tail, t + 1);
}

BRAID_TEST(label_protocol_app_data) {
  braid_data_produce_t dp;
  json_t *data;
  char err[256];
  ASSERT_EQ(check("{\"sctpStreamParameters\":{\"streamId\":0}}", &dp, &data, err, sizeof err), 0);
  ASSERT_STR_EQ(dp.label, "");
  ASSERT_STR_EQ(dp.protocol, "");
  ASSERT(dp.app_data == NULL);
  json_decref(data);
  ASSERT_EQ(check("{\"sctpStreamParameters\":{\"streamId\":0},\"label\":\"chat\",\"protocol\":\"p\","
                  "\"appData\":{\"channel\":\"chat\"}}",
                  &dp, &data, err, sizeof err),
            0);
  ASSERT_STR_EQ(dp.label, "chat");
  ASSERT_STR_EQ(dp.protocol, "p");
  ASSERT_STR_EQ(json_string_value(json_object_get(dp.app_data, "channel")), "chat");
  json_decref(data);
  refused("{\"sctpStreamParameters\":{\"streamId\":0},\"label\":5}", "\"label\" must be a string");
  refused("{\"sctpStreamParameters\":{\"streamId\":0},\"protocol\":[]}", "\"protocol\" must be a string");
  refused("{\"sctpStreamParameters\":{\"streamId\":0},\"appData\":\"x\"}", "\"appData\" must be an object");
  /* Over the limits. */
  static char big[BRAID_DATA_APPDATA_MAX + 128];
  over_limit(big, "{\"sctpStreamParameters\":{\"streamId\":0},\"label\":\"",
             BRAID_DATA_LABEL_MAX + 1, "\"}");
  refused(big, "\"label\" is too long");
  over_limit(big, "{\"sctpStreamParameters\":{\"streamId\":0},\"appData\":{\"k\":\"",
             BRAID_DATA_APPDATA_MAX, "\"}}");
  refused(big, "\"appData\" is too large");
}

/* The commands encode: what the node would get is valid by proto/data.h. */
static void encodes(const braid_cmd_t *cmd) {
  braid_buf_t buf;
  braid_buf_init(&buf, BRAID_PROTO_MAX_MSG);
  braid_cmd_t c = *cmd;
  c.id = 1;
  c.reply_to = braid_str_c("ctl");
  c.deadline_ms = 1;
  ASSERT_EQ(braid_cmd_encode(&c, &buf), 0);
  braid_cmd_t back;
  const char *why = NULL;
  int rc = braid_cmd_decode(&back, buf.data, buf.len, &why);
  if (rc != 0) BRAID_TEST_FAIL("decode: %d (%s)", rc, why ? why : "-");
  ASSERT_EQ(back.type, cmd->type);
  braid_buf_cleanup(&buf);
}

BRAID_TEST(commands) {
  braid_data_produce_t dp;
  json_t *data;
  char err[256];
  ASSERT_EQ(check("{\"sctpStreamParameters\":{\"streamId\":9,\"maxPacketLifeTime\":2000},"
                  "\"label\":\"chat\",\"protocol\":\"x\"}",
                  &dp, &data, err, sizeof err),
            0);
  braid_cmd_t cmd = {.type = BRAID_CMD_DATA_PRODUCER_CREATE};
  braid_data_cmd_producer(&cmd.u.data_producer_create, &dp, "t1", "dp1");
  const braid_cmd_data_producer_create_t *pc = &cmd.u.data_producer_create;
  ASSERT(braid_str_eq(pc->transport_id, "t1") && braid_str_eq(pc->data_producer_id, "dp1"));
  ASSERT(braid_str_eq(pc->label, "chat") && braid_str_eq(pc->protocol, "x"));
  ASSERT(pc->stream == 9 && !pc->ordered && pc->has_max_packet_life_time &&
         pc->max_packet_life_time == 2000 && !pc->has_max_retransmits && !pc->paused);
  encodes(&cmd);

  braid_cmd_t cc = {.type = BRAID_CMD_DATA_CONSUMER_CREATE};
  braid_data_cmd_consumer(&cc.u.data_consumer_create, &dp.stream, "t2", "dc1", "dp1");
  const braid_cmd_data_consumer_create_t *c = &cc.u.data_consumer_create;
  ASSERT(braid_str_eq(c->transport_id, "t2") && braid_str_eq(c->data_consumer_id, "dc1") &&
         braid_str_eq(c->data_producer_id, "dp1"));
  ASSERT(!c->ordered && c->has_max_packet_life_time && c->max_packet_life_time == 2000 &&
         !c->has_max_retransmits);
  encodes(&cc);

  /* Given back with the node's stream; the limits only when given. */
  json_t *s = braid_data_cmd_stream_json(&dp.stream, 4);
  char *text = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
  ASSERT_STR_EQ(text, "{\"maxPacketLifeTime\":2000,\"ordered\":false,\"streamId\":4}");
  free(text);
  json_decref(s);
  s = braid_data_cmd_stream_json(&dp.stream, -1);
  ASSERT_EQ(json_integer_value(json_object_get(s, "streamId")), 9);
  json_decref(s);
  json_decref(data);
}

BRAID_TEST(chat_rule) {
  json_t *chat = json_pack("{ss}", "channel", "chat"), *bot = json_pack("{ss}", "channel", "bot");
  json_t *info = json_pack("{ss}", "info", "my-chat-DataProducer");
  ASSERT(braid_data_cmd_is_chat("chat", NULL));         /* legacy: by label */
  ASSERT(braid_data_cmd_is_chat("chat", info));
  ASSERT(braid_data_cmd_is_chat("", chat));             /* current: by appData.channel */
  ASSERT(braid_data_cmd_is_chat("anything", chat));
  ASSERT(!braid_data_cmd_is_chat("bot", NULL));         /* no bot: never consumed */
  ASSERT(!braid_data_cmd_is_chat("bot", chat));
  ASSERT(!braid_data_cmd_is_chat("chat", bot));
  ASSERT(!braid_data_cmd_is_chat("", NULL));
  ASSERT(!braid_data_cmd_is_chat(NULL, info));
  ASSERT(!braid_data_cmd_is_chat("Chat", NULL));
  json_decref(chat);
  json_decref(bot);
  json_decref(info);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(stream_parameters_taken) BRAID_TEST_ENTRY(stream_parameters_refused)
                    BRAID_TEST_ENTRY(label_protocol_app_data) BRAID_TEST_ENTRY(commands)
                    BRAID_TEST_ENTRY(chat_rule))
