/*
 * Tests of transport.create_webrtc and transport.close in both port modes
 * (mediad/channel/transport_handlers.c over the real server and transport):
 * the reply names the transport's port; in range mode every transport gets
 * its own port of the range, "no free port in range" when it is used up,
 * and a closed transport's port is taken by the next one; in single mode
 * every transport names the daemon's port. Real sockets on 127.0.0.1.
 */
#include "mediad/channel/transport_handlers.h"

#include <stdio.h>

#include "common/err.h"
#include "common/map.h"
#include "mediad/node.h"
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
  braid_router_t *r;
  bool created;
  ASSERT_EQ(braid_router_create(w->md.routers, BRAID_STR_LIT("r1"), BRAID_STR_LIT("room"), &r, &created), 0);
  if (!range) ASSERT_EQ(braid_webrtc_server_new(&w->md.server, &w->md, "127.0.0.1", 0), 0);
}

static void world_cleanup(world_t *w) {
  braid_transport_handlers_close_router(&w->md, "r1");
  braid_webrtc_server_free(w->md.server);
  uv_run(&w->loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&w->loop), 0); /* every socket and timer closed */
  ASSERT_EQ(braid_map_size(w->md.transports), 0);
  braid_router_registry_free(w->md.routers);
  braid_map_free(w->md.transports);
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
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

BRAID_TEST_LIST(BRAID_TEST_ENTRY(range_mode_one_port_per_transport)
                    BRAID_TEST_ENTRY(range_mode_counts_survive_close)
                    BRAID_TEST_ENTRY(single_mode_shares_the_port))
