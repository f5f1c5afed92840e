/*
 * Tests of transport.create_webrtc and transport.close in both port modes
 * (mediad/channel/transport_handlers.c over the real server and transport):
 * the reply names the transport's port; in range mode every transport gets
 * its own port of the range, "no free port in range" when it is used up,
 * and a closed transport's port is taken by the next one; in single mode
 * every transport names the daemon's port. Then the PlainTransport
 * commands through the dispatcher (handlers.c): create_plain's ports,
 * connect_plain's errors, transport.stats and close, commands of one kind
 * sent to the other. Real sockets on 127.0.0.1.
 */
#include "mediad/channel/transport_handlers.h"

#include <stdio.h>

#include "mediad/channel/handlers.h"

#include "common/err.h"
#include "common/map.h"
#include "mediad/node.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/router.h"
#include "mediad/rtc/webrtc_server.h"
#include "proto/reply.h"
#include "tests/mediad/rtc/port_range.h"
#include "tests/test.h"

typedef struct world {
  uv_loop_t loop;
  braid_mediad_config_t cfg;
  braid_mediad_t md;
  char range[32];
} world_t;

static void world_init(world_t *w, bool range, int min_port, int max_port) {
  memset(w, 0, sizeof *w);
  uv_loop_init(&w->loop);
  snprintf(w->range, sizeof w->range, "%d-%d", min_port, max_port);
  w->cfg = (braid_mediad_config_t){.ip = "127.0.0.1", .port_range = w->range, .prefix = "t:",
                                   .rtc_mode = range ? "range" : "single", .rtc_range = range,
                                   .port_min = min_port, .port_max = max_port};
  w->md.loop = &w->loop;
  w->md.config = &w->cfg;
  w->md.routers = braid_router_registry_new();
  w->md.transports = braid_map_new();
  w->md.producers = braid_map_new();
  w->md.consumers = braid_map_new();
  w->md.data_producers = braid_map_new();
  w->md.data_consumers = braid_map_new();
  braid_router_t *r;
  bool created;
  ASSERT_EQ(braid_router_create(w->md.routers, BRAID_STR_LIT("r1"), BRAID_STR_LIT("room"), &r, &created), 0);
  if (!range) ASSERT_EQ(braid_webrtc_server_new(&w->md.server, &w->md, "127.0.0.1", 0), 0);
}

static void world_cleanup(world_t *w) {
  braid_transport_handlers_close_router(&w->md, "r1");
  braid_webrtc_server_free(w->md.server);
  braid_data_transport_shutdown(&w->md); /* the SCTP clock of SCTP transports */
  uv_run(&w->loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&w->loop), 0); /* every socket and timer closed */
  ASSERT_EQ(braid_map_size(w->md.transports), 0);
  braid_router_registry_free(w->md.routers);
  braid_map_free(w->md.transports);
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
  braid_map_free(w->md.data_producers);
  braid_map_free(w->md.data_consumers);
}

/* transport.create_webrtc of transport `id` (its ufrag is derived from
 * it). Returns the port of the reply, or the error code of an error reply
 * (with its reason in why, when not NULL). */
static int create(world_t *w, const char *id, char *why, size_t why_len) {
  char ufrag[40];
  snprintf(ufrag, sizeof ufrag, "ufrag%s", id);
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CREATE_WEBRTC, .id = 7};
  cmd.u.transport_create = (braid_cmd_transport_create_t){
      .router_id = BRAID_STR_LIT("r1"), .transport_id = braid_str_c(id), .ufrag = braid_str_c(ufrag),
      .pwd = BRAID_STR_LIT("passwordpasswordpassword"), .enable_udp = true, .enable_tcp = true,
      .consent_timeout_s = 20};
  braid_buf_t out;
  braid_reply_t r;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_transport_handlers_create(&w->md, &cmd, &out), 0);
  ASSERT_EQ(braid_reply_decode(&r, out.data, out.len, NULL), 0);
  ASSERT_EQ(r.id, 7);
  int rc;
  if (r.ok) {
    uint16_t port = 0;
    ASSERT_EQ(braid_reply_result_transport(&r, &port, NULL), 0);
    rc = port;
  } else {
    rc = r.error_code;
    if (why) snprintf(why, why_len, "%.*s", (int)r.reason.len, r.reason.p);
  }
  braid_buf_cleanup(&out);
  return rc;
}

static void close_transport(world_t *w, const char *id) {
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CLOSE, .id = 8};
  cmd.u.transport_close.transport_id = braid_str_c(id);
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_transport_handlers_close(&w->md, &cmd, &out), 0);
  braid_buf_cleanup(&out);
}

BRAID_TEST(range_mode_one_port_per_transport) {
  world_t w;
  char why[BRAID_REASON_MAX + 1] = "";
  int base = test_free_port_range(3);
  world_init(&w, true, base, base + 2);
  ASSERT(w.md.server == NULL);
  ASSERT_EQ(create(&w, "t1", NULL, 0), base);
  ASSERT_EQ(create(&w, "t2", NULL, 0), base + 1);
  ASSERT_EQ(create(&w, "t3", NULL, 0), base + 2);
  /* A repeated create names the same port again. */
  ASSERT_EQ(create(&w, "t2", NULL, 0), base + 1);
  /* The range is used up. */
  ASSERT_EQ(create(&w, "t4", why, sizeof why), BRAID_ELIMIT);
  ASSERT_STR_EQ(why, "transport.create_webrtc: no free port in range");
  ASSERT(braid_map_get(w.md.transports, "t4", 2) == NULL);
  /* Each transport listens on its port, UDP and TCP. */
  ASSERT_EQ(test_try_port(SOCK_DGRAM, base + 1), -1);
  ASSERT_EQ(test_try_port(SOCK_STREAM, base + 1), -1);

  /* Closing t2 frees its port (on the next loop turn) for the next one. */
  close_transport(&w, "t2");
  uv_run(&w.loop, UV_RUN_NOWAIT);
  int fd = test_hold_port(SOCK_DGRAM, base + 1);
  close(fd);
  ASSERT_EQ(create(&w, "t4", NULL, 0), base + 1);
  ASSERT_EQ(braid_map_size(w.md.transports), 3);
  world_cleanup(&w);
}

BRAID_TEST(range_mode_counts_survive_close) {
  world_t w;
  int base = test_free_port_range(1);
  world_init(&w, true, base, base);
  ASSERT_EQ(create(&w, "t1", NULL, 0), base);
  /* A datagram from an unknown tuple: the transport's server counts it. */
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)base)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  uint8_t rtp[12] = {0x80, 96};
  ASSERT_EQ(sendto(fd, rtp, sizeof rtp, 0, (struct sockaddr *)&to, sizeof to), (ssize_t)sizeof rtp);
  close(fd);
  braid_mediad_net_stats_t net = {0};
  for (int i = 0; i < 200 && net.udp_rx == 0; i++) {
    uv_run(&w.loop, UV_RUN_NOWAIT);
    usleep(5000);
    braid_node_net_stats(&w.md, &net);
  }
  ASSERT_EQ(net.udp_rx, 1);
  ASSERT_EQ(net.rx_dropped, 1);
  uint64_t dropped = braid_node_rx_dropped(&w.md);
  ASSERT(dropped >= 1);
  /* Once the transport (and its server) is gone the node still counts it. */
  close_transport(&w, "t1");
  braid_node_net_stats(&w.md, &net);
  ASSERT_EQ(net.udp_rx, 1);
  ASSERT_EQ(w.md.stats.net_closed.udp_rx, 1);
  ASSERT_EQ(braid_node_rx_dropped(&w.md), dropped);
  world_cleanup(&w);
}

BRAID_TEST(single_mode_shares_the_port) {
  world_t w;
  world_init(&w, false, 0, 0);
  int port = braid_webrtc_server_port(w.md.server);
  ASSERT(port > 0);
  ASSERT_EQ(create(&w, "t1", NULL, 0), port);
  ASSERT_EQ(create(&w, "t2", NULL, 0), port);
  /* Closing a transport leaves the shared server alone. */
  close_transport(&w, "t1");
  uv_run(&w.loop, UV_RUN_NOWAIT);
  ASSERT_EQ(test_try_port(SOCK_DGRAM, port), -1);
  ASSERT_EQ(create(&w, "t3", NULL, 0), port);
  world_cleanup(&w);
}

/* ---- PlainTransport ------------------------------------------------------ */

/* Runs cmd through the dispatcher; the reply decoded in *r borrows from
 * out (initialised here, the caller cleans it up). */
static void run(world_t *w, const braid_cmd_t *cmd, braid_buf_t *out, braid_reply_t *r) {
  braid_buf_init(out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_cmd_handle(&w->md, cmd, out), 0);
  ASSERT_EQ(braid_reply_decode(r, out->data, out->len, NULL), 0);
  ASSERT_EQ(r->id, cmd->id);
}

/* Checks an error reply: its code and reason. */
static void expect_error(world_t *w, const braid_cmd_t *cmd, int code, const char *reason) {
  braid_buf_t out;
  braid_reply_t r;
  run(w, cmd, &out, &r);
  ASSERT(!r.ok);
  ASSERT_EQ(r.error_code, code);
  char got[BRAID_REASON_MAX + 1];
  snprintf(got, sizeof got, "%.*s", (int)r.reason.len, r.reason.p);
  ASSERT_STR_EQ(got, reason);
  braid_buf_cleanup(&out);
}

static braid_cmd_t create_plain_cmd(const char *id, bool rtcp_mux, bool comedia, bool srtp,
                                    bool sctp) {
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CREATE_PLAIN, .id = 20};
  cmd.u.transport_create_plain = (braid_cmd_transport_create_plain_t){
      .router_id = BRAID_STR_LIT("r1"), .transport_id = braid_str_c(id), .rtcp_mux = rtcp_mux,
      .comedia = comedia, .enable_srtp = srtp, .enable_sctp = sctp, .sctp_os = sctp ? 1024 : 0,
      .sctp_mis = sctp ? 1024 : 0, .sctp_max_message_size = sctp ? 262144 : 0};
  return cmd;
}

/* transport.create_plain; returns its port and *rtcp_port, or the error
 * code. */
static int create_plain(world_t *w, const char *id, bool rtcp_mux, bool comedia, bool srtp,
                        bool sctp, int *rtcp_port) {
  braid_cmd_t cmd = create_plain_cmd(id, rtcp_mux, comedia, srtp, sctp);
  braid_buf_t out;
  braid_reply_t r;
  uint16_t port = 0, rport = 0;
  run(w, &cmd, &out, &r);
  int rc = r.ok ? 0 : r.error_code;
  if (r.ok) {
    ASSERT_EQ(braid_reply_result_plain(&r, &port, &rport, NULL), 0);
    rc = port;
    if (rtcp_port) *rtcp_port = rport;
  }
  braid_buf_cleanup(&out);
  return rc;
}

static braid_cmd_t connect_plain_cmd(const char *id, const char *ip, int port, int rtcp_port,
                                     const char *suite, const char *key) {
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CONNECT_PLAIN, .id = 21};
  cmd.u.transport_connect_plain = (braid_cmd_transport_connect_plain_t){
      .transport_id = braid_str_c(id), .ip = braid_str_c(ip), .port = (uint64_t)port,
      .rtcp_port = (uint64_t)rtcp_port, .srtp_suite = braid_str_c(suite),
      .srtp_key = braid_str_c(key), .srtp_local_key = braid_str_c(key)};
  return cmd;
}

/* transport.stats of id into json (NUL-terminated). */
static void stats(world_t *w, const char *id, char *json, size_t cap) {
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_STATS, .id = 22};
  cmd.u.transport_close.transport_id = braid_str_c(id);
  braid_buf_t out;
  braid_reply_t r;
  braid_str_t s;
  run(w, &cmd, &out, &r);
  ASSERT(r.ok);
  ASSERT_EQ(braid_reply_result_stats(&r, &s, NULL), 0);
  snprintf(json, cap, "%.*s", (int)s.len, s.p);
  braid_buf_cleanup(&out);
}

#define KEY30 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"

BRAID_TEST(plain_commands) {
  world_t w;
  char json[4096], want[128];
  int rtcp_port = -1;
  world_init(&w, false, 0, 0);
  w.cfg.announced_ip = "203.0.113.1";
  /* A comedia transport without rtcp-mux: two ports; a repeat names them
   * again. */
  int port = create_plain(&w, "p1", false, true, false, false, &rtcp_port);
  ASSERT(port > 0 && rtcp_port > 0 && rtcp_port != port);
  int again = -1;
  ASSERT_EQ(create_plain(&w, "p1", false, true, false, false, &again), port);
  ASSERT_EQ(again, rtcp_port);
  ASSERT_EQ(test_try_port(SOCK_DGRAM, port), -1); /* bound */
  ASSERT_EQ(test_try_port(SOCK_DGRAM, rtcp_port), -1);
  /* With rtcp-mux: no RTCP port. */
  ASSERT(create_plain(&w, "p2", true, false, true, false, &rtcp_port) > 0);
  ASSERT_EQ(rtcp_port, 0);

  /* Ids are shared by every kind. */
  ASSERT(create(&w, "t1", NULL, 0) > 0);
  braid_cmd_t cmd = create_plain_cmd("t1", true, false, false, false);
  expect_error(&w, &cmd, BRAID_EEXIST, "transport.create_plain: transport id taken");
  char why[BRAID_REASON_MAX + 1];
  ASSERT_EQ(create(&w, "p1", why, sizeof why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "transport.create_webrtc: transport id taken");
  cmd = create_plain_cmd("p9", true, false, false, false);
  cmd.u.transport_create_plain.router_id = BRAID_STR_LIT("r9");
  expect_error(&w, &cmd, BRAID_ENOTFOUND, "transport.create_plain: router not found");

  /* Commands of one kind to a transport of the other. */
  cmd = connect_plain_cmd("t1", "127.0.0.1", 5004, 0, "", "");
  expect_error(&w, &cmd, BRAID_EINVAL, "connect: transport is not a PlainTransport");
  cmd = (braid_cmd_t){.type = BRAID_CMD_TRANSPORT_CONNECT, .id = 23};
  cmd.u.transport_connect = (braid_cmd_transport_connect_t){
      BRAID_STR_LIT("p1"), BRAID_STR_LIT("client"), BRAID_STR_LIT("sha-256"), BRAID_STR_LIT("AB")};
  expect_error(&w, &cmd, BRAID_EINVAL, "connect: transport is not a WebRtcTransport");
  cmd = (braid_cmd_t){.type = BRAID_CMD_TRANSPORT_RESTART_ICE, .id = 24};
  cmd.u.transport_restart_ice = (braid_cmd_transport_restart_ice_t){
      BRAID_STR_LIT("p1"), BRAID_STR_LIT("ufrag2"), BRAID_STR_LIT("pwd2pwd2pwd2pwd2pwd2pwd2")};
  expect_error(&w, &cmd, BRAID_EINVAL, "restartIce: transport is not a WebRtcTransport");
  cmd = connect_plain_cmd("nope", "127.0.0.1", 5004, 0, "", "");
  expect_error(&w, &cmd, BRAID_ENOTFOUND, "connect: transport not found");

  /* connect_plain's rules come back with their reasons. */
  cmd = connect_plain_cmd("p1", "127.0.0.1", 5004, 5005, "", "");
  expect_error(&w, &cmd, BRAID_EINVAL,
               "connect: comedia transport: only srtpParameters may be given");
  cmd = connect_plain_cmd("p2", "127.0.0.1", 5004, 0, "", "");
  expect_error(&w, &cmd, BRAID_EINVAL, "connect: missing srtpParameters");
  cmd = connect_plain_cmd("p2", "127.0.0.1", 5004, 0, "AES_CM_128_HMAC_SHA1_80", "QUJD");
  expect_error(&w, &cmd, BRAID_EINVAL, "connect: invalid key length for AES_CM_128_HMAC_SHA1_80");
  cmd = connect_plain_cmd("p2", "127.0.0.1", 5004, 0, "AES_CM_128_HMAC_SHA1_80", KEY30);
  braid_buf_t out;
  braid_reply_t r;
  run(&w, &cmd, &out, &r);
  ASSERT(r.ok && r.result == NULL);
  braid_buf_cleanup(&out);
  expect_error(&w, &cmd, BRAID_ESTATE, "connect: connect() already called");

  /* getStats(), mediasoup's PlainTransport shape. */
  stats(&w, "p1", json, sizeof json);
  ASSERT(strncmp(json, "[{\"type\":\"plain-rtp-transport\",\"transportId\":\"p1\"", 49) == 0);
  ASSERT(strstr(json, "\"rtcpMux\":false,\"comedia\":true") != NULL);
  snprintf(want, sizeof want,
           "\"tuple\":{\"localAddress\":\"203.0.113.1\",\"localIp\":\"203.0.113.1\","
           "\"localPort\":%d,\"protocol\":\"udp\"}",
           port);
  ASSERT(strstr(json, want) != NULL);
  ASSERT(strstr(json, "rtcpTuple") == NULL && strstr(json, "sctpState") == NULL);
  stats(&w, "p2", json, sizeof json);
  ASSERT(strstr(json, "\"rtcpMux\":true,\"comedia\":false") != NULL);
  ASSERT(strstr(json, "\"remoteIp\":\"127.0.0.1\",\"remotePort\":5004,\"protocol\":\"udp\"}") !=
         NULL);
  ASSERT(json[strlen(json) - 1] == ']');
  ASSERT(create_plain(&w, "p3", true, true, false, true, NULL) > 0);
  stats(&w, "p3", json, sizeof json);
  ASSERT(strstr(json, "\"sctpState\":\"new\"") != NULL);

  /* transport.close of a plain transport: gone, its ports released. */
  close_transport(&w, "p1");
  ASSERT(braid_map_get(w.md.transports, "p1", 2) == NULL);
  uv_run(&w.loop, UV_RUN_NOWAIT);
  int fd = test_hold_port(SOCK_DGRAM, port);
  close(fd);
  fd = test_hold_port(SOCK_DGRAM, again);
  close(fd);
  close_transport(&w, "p1"); /* idempotent */
  world_cleanup(&w);
}

/* A plain transport takes its ports from --port-range in single mode too. */
BRAID_TEST(plain_ports_from_range) {
  world_t w;
  char why[BRAID_REASON_MAX + 1];
  int base = test_free_port_range(3), rtcp_port = -1;
  world_init(&w, false, base, base + 2);
  ASSERT_EQ(create_plain(&w, "p1", false, true, false, false, &rtcp_port), base);
  ASSERT_EQ(rtcp_port, base + 1);
  ASSERT_EQ(create_plain(&w, "p2", true, true, false, false, &rtcp_port), base + 2);
  braid_cmd_t cmd = create_plain_cmd("p3", true, true, false, false);
  expect_error(&w, &cmd, BRAID_ELIMIT, "transport.create_plain: no free port in range");
  /* A WebRTC transport still takes the daemon's port. */
  ASSERT_EQ(create(&w, "t1", why, sizeof why), braid_webrtc_server_port(w.md.server));
  /* Closing the router closes plain transports too. */
  braid_transport_handlers_close_router(&w.md, "r1");
  ASSERT_EQ(braid_map_size(w.md.transports), 0);
  world_cleanup(&w);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(range_mode_one_port_per_transport)
                    BRAID_TEST_ENTRY(range_mode_counts_survive_close)
                    BRAID_TEST_ENTRY(single_mode_shares_the_port)
                    BRAID_TEST_ENTRY(plain_commands)
                    BRAID_TEST_ENTRY(plain_ports_from_range))
