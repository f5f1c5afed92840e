/*
 * Tests of braid_transports_candidates() (controller/room/transports.c):
 * the ICE candidates of a transport name the port the node replied with
 * (its own port in per-transport port mode), and the node hash's rtc_port
 * when the node sent none.
 */
#include "controller/room/transports.h"

#include "tests/test.h"

/* Defined by controller/main.c, which the test does not link; the request
 * paths that build keys are not run here. */
const char *braid_ctl_key(const braid_ctl_t *ctl, char *buf, size_t size, const char *fmt, ...) {
  (void)ctl, (void)fmt;
  if (size > 0) buf[0] = '\0';
  return buf;
}

static json_t *node_hash(const char *rtc_port) {
  return json_pack("{ssss}", "announced_ip", "192.0.2.7", "rtc_port", rtc_port);
}

/* The port of candidate i (0 when it has none). */
static json_int_t port_of(json_t *cands, size_t i) {
  return json_integer_value(json_object_get(json_array_get(cands, i), "port"));
}

static const char *str_of(json_t *cands, size_t i, const char *key) {
  return json_string_value(json_object_get(json_array_get(cands, i), key));
}

BRAID_TEST(the_replied_port_wins) {
  json_t *node = node_hash("44444");
  json_t *c = braid_transports_candidates(node, 20001, true, true);
  ASSERT_EQ(json_array_size(c), 2);
  ASSERT_STR_EQ(str_of(c, 0, "protocol"), "udp");
  ASSERT_STR_EQ(str_of(c, 1, "protocol"), "tcp");
  ASSERT_STR_EQ(str_of(c, 1, "tcpType"), "passive");
  ASSERT_STR_EQ(str_of(c, 0, "ip"), "192.0.2.7");
  ASSERT_EQ(port_of(c, 0), 20001);
  ASSERT_EQ(port_of(c, 1), 20001);
  json_decref(c);
  /* forceTcp: the TCP candidate only, on the same port. */
  c = braid_transports_candidates(node, 20002, false, true);
  ASSERT_EQ(json_array_size(c), 1);
  ASSERT_STR_EQ(str_of(c, 0, "protocol"), "tcp");
  ASSERT_EQ(port_of(c, 0), 20002);
  json_decref(c);
  json_decref(node);
}

BRAID_TEST(no_reply_port_falls_back_to_the_node_hash) {
  json_t *node = node_hash("44444");
  json_t *c = braid_transports_candidates(node, 0, true, true);
  ASSERT_EQ(json_array_size(c), 2);
  ASSERT_EQ(port_of(c, 0), 44444);
  ASSERT_EQ(port_of(c, 1), 44444);
  json_decref(c);
  json_decref(node);
  /* A range-mode node publishes rtc_port 0: without a replied port there
   * is nothing to announce. */
  node = node_hash("0");
  c = braid_transports_candidates(node, 0, true, true);
  ASSERT_EQ(json_array_size(c), 0);
  json_decref(c);
  json_decref(node);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(the_replied_port_wins)
                    BRAID_TEST_ENTRY(no_reply_port_falls_back_to_the_node_hash))
