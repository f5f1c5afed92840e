#include "controller/signaling/protoo.h"

#include <stdlib.h>

#include "common/err.h"
#include "tests/test.h"

static int parse(braid_protoo_msg_t *m, const char *s) {
  const char *why = NULL;
  int rc = braid_protoo_parse(m, s, strlen(s), &why);
  if (rc != 0) ASSERT(why != NULL);
  return rc;
}

BRAID_TEST(request) {
  braid_protoo_msg_t m;
  ASSERT_EQ(parse(&m, "{\"request\":true,\"id\":12345,\"method\":\"join\",\"data\":{\"a\":1}}"), 0);
  ASSERT_EQ(m.kind, BRAID_PROTOO_REQUEST);
  ASSERT_EQ(json_integer_value(m.id), 12345);
  ASSERT_STR_EQ(m.method, "join");
  ASSERT_EQ(json_integer_value(json_object_get(m.data, "a")), 1);
  braid_protoo_msg_cleanup(&m);
}

BRAID_TEST(missing_data_becomes_empty_object) {
  braid_protoo_msg_t m;
  ASSERT_EQ(parse(&m, "{\"request\":true,\"id\":1,\"method\":\"getRouterRtpCapabilities\"}"), 0);
  ASSERT(json_is_object(m.data));
  ASSERT_EQ(json_object_size(m.data), 0);
  braid_protoo_msg_cleanup(&m);
  ASSERT_EQ(parse(&m, "{\"notification\":1,\"method\":\"x\",\"data\":null}"), 0);
  ASSERT_EQ(m.kind, BRAID_PROTOO_NOTIFICATION);
  ASSERT(json_is_object(m.data));
  braid_protoo_msg_cleanup(&m);
}

BRAID_TEST(responses) {
  braid_protoo_msg_t m;
  ASSERT_EQ(parse(&m, "{\"response\":true,\"id\":7,\"ok\":true,\"data\":{}}"), 0);
  ASSERT_EQ(m.kind, BRAID_PROTOO_RESPONSE);
  ASSERT(m.ok);
  braid_protoo_msg_cleanup(&m);
  ASSERT_EQ(parse(&m, "{\"response\":true,\"id\":7,\"ok\":false,\"errorCode\":403,\"errorReason\":\"no\"}"), 0);
  ASSERT(!m.ok);
  ASSERT_EQ(m.error_code, 403);
  ASSERT_STR_EQ(m.error_reason, "no");
  braid_protoo_msg_cleanup(&m);
}

BRAID_TEST(invalid_json_is_malformed) {
  braid_protoo_msg_t m;
  ASSERT_EQ(parse(&m, "{\"request\":true"), BRAID_EMALFORMED);
  ASSERT_EQ(parse(&m, ""), BRAID_EMALFORMED);
  ASSERT_EQ(parse(&m, "{\"a\":\"\\u0000\"}"), BRAID_EMALFORMED); /* NUL in a string */
  char deep[81];
  memset(deep, '[', 40);
  memset(deep + 40, ']', 40);
  deep[80] = '\0';
  ASSERT_EQ(parse(&m, deep), BRAID_EMALFORMED);
}

BRAID_TEST(json_but_not_protoo) {
  braid_protoo_msg_t m;
  ASSERT_EQ(parse(&m, "[1,2,3]"), BRAID_EUNKNOWN);
  ASSERT_EQ(parse(&m, "42"), BRAID_EUNKNOWN);
  ASSERT_EQ(parse(&m, "{\"hello\":\"world\"}"), BRAID_EUNKNOWN);
  ASSERT_EQ(parse(&m, "{\"request\":true,\"method\":\"join\"}"), BRAID_EUNKNOWN);       /* no id */
  ASSERT_EQ(parse(&m, "{\"request\":true,\"id\":\"1\",\"method\":\"join\"}"), BRAID_EUNKNOWN); /* id not a number */
  ASSERT_EQ(parse(&m, "{\"request\":true,\"id\":1,\"method\":5}"), BRAID_EUNKNOWN);
  ASSERT_EQ(parse(&m, "{\"request\":false,\"id\":1,\"method\":\"x\"}"), BRAID_EUNKNOWN);
  ASSERT_EQ(parse(&m, "{\"notification\":true}"), BRAID_EUNKNOWN);
}

BRAID_TEST(builders) {
  json_t *id = json_integer(99);
  char *s = braid_protoo_response(id, json_pack("{si}", "x", 1));
  ASSERT_STR_EQ(s, "{\"response\":true,\"id\":99,\"ok\":true,\"data\":{\"x\":1}}");
  free(s);
  s = braid_protoo_error(id, 500, "unknown request method \"foo\"");
  ASSERT_STR_EQ(s, "{\"response\":true,\"id\":99,\"ok\":false,\"errorCode\":500,\"errorReason\":\"unknown request method \\\"foo\\\"\"}");
  free(s);
  s = braid_protoo_notification("peerClosed", json_pack("{ss}", "peerId", "p1"));
  ASSERT_STR_EQ(s, "{\"notification\":true,\"method\":\"peerClosed\",\"data\":{\"peerId\":\"p1\"}}");
  free(s);
  s = braid_protoo_request(5, "newConsumer", NULL);
  ASSERT_STR_EQ(s, "{\"request\":true,\"id\":5,\"method\":\"newConsumer\",\"data\":{}}");
  free(s);
  json_decref(id);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(request) BRAID_TEST_ENTRY(missing_data_becomes_empty_object)
                    BRAID_TEST_ENTRY(responses) BRAID_TEST_ENTRY(invalid_json_is_malformed)
                        BRAID_TEST_ENTRY(json_but_not_protoo) BRAID_TEST_ENTRY(builders))
