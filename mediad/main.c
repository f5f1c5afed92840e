/*
 * braid-mediad: one media daemon, single-threaded on one libuv loop. It
 * registers itself in Redis, executes the commands on its stream, and on
 * SIGTERM/SIGINT deregisters and exits cleanly.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/opt.h"
#include "mediad/channel/cmd_reader.h"
#include "mediad/mediad.h"
#include "mediad/node.h"
#include "common/map.h"
#include "mediad/rtc/router.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/transport.h"
#include "mediad/rtc/webrtc_server.h"
#include "mediad/sec/dtls_cert.h"
#include "mediad/sec/srtp_session.h"
#include "proto/event.h"

static void on_redis_connect(braid_redis_t *r, void *ud) {
  braid_mediad_t *md = ud;
  if (r == md->redis) braid_node_beat(md->node);
  else braid_cmd_reader_start(md->cmd_reader);
}

/* A restarted Redis dropped both connections, even if one has not noticed
 * yet: reconnect the other now (its blocking read would wait in vain). */
static void on_redis_disconnect(braid_redis_t *r, void *ud) {
  braid_mediad_t *md = ud;
  braid_redis_t *other = r == md->redis ? md->redis_block : md->redis;
  if (other != NULL) braid_redis_reconnect(other);
}

static const braid_redis_callbacks_t redis_cbs = {on_redis_connect, on_redis_disconnect, NULL};

/* Tells the rooms that their routers on this node are going away. */
static void publish_router_closed(braid_mediad_t *md) {
  braid_buf_t buf;
  braid_buf_init(&buf, BRAID_PROTO_MAX_MSG);
  for (braid_router_t *r = braid_router_first(md->routers); r != NULL; r = r->next) {
    braid_event_t ev = {.type = BRAID_EV_ROUTER_CLOSED,
                        .room_id = braid_str_c(r->room_id),
                        .node_id = braid_str_c(md->node_id),
                        .router_id = braid_str_c(r->id)};
    braid_buf_reset(&buf);
    if (braid_event_encode(&ev, &buf) != 0) continue;
    braid_redis_cmd(md->redis, NULL, NULL, "PUBLISH %sroom:%s:ev %b", md->config->prefix,
                    r->room_id, buf.data, buf.len);
  }
  braid_buf_cleanup(&buf);
}

/* The certificate's fingerprints as the JSON array clients get in
 * dtlsParameters (sha-256 last: mediasoup-client uses the last one). */
static void fingerprints_json(braid_mediad_t *md) {
  const braid_dtls_fingerprint_t *fp = braid_dtls_cert_fingerprints(md->cert);
  size_t off = 0;
  off += (size_t)snprintf(md->fingerprints_json + off, sizeof md->fingerprints_json - off, "[");
  for (int i = 0; i < BRAID_DTLS_HASH_COUNT; i++)
    off += (size_t)snprintf(md->fingerprints_json + off, sizeof md->fingerprints_json - off,
                            "%s{\"algorithm\":\"%s\",\"value\":\"%s\"}", i ? "," : "",
                            fp[i].algorithm, fp[i].value);
  BRAID_ASSERT(off + 2 <= sizeof md->fingerprints_json);
  snprintf(md->fingerprints_json + off, sizeof md->fingerprints_json - off, "]");
}

/* Closes every transport, of any kind (each unregisters itself from the
 * table). */
static void close_transports(braid_mediad_t *md) {
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, md->transports);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) braid_transport_close(v);
}

static void on_deregistered(void *ud) {
  braid_mediad_t *md = ud;
  BRAID_LOGI("node", "deregistered node %s", md->node_id);
  braid_redis_free(md->redis);
  braid_redis_free(md->redis_block);
  md->redis = md->redis_block = NULL;
  braid_node_free(md->node);
  md->node = NULL;
  close_transports(md);
  braid_data_transport_shutdown(md);
  braid_webrtc_server_free(md->server);
  md->server = NULL;
  uv_stop(md->loop);
}

static void on_signal(uv_signal_t *s, int signum) {
  braid_mediad_t *md = s->data;
  if (md->shutting_down) return;
  BRAID_LOGI("node", "signal %d: shutting down", signum);
  md->shutting_down = true;
  publish_router_closed(md);
  braid_node_deregister(md->node, on_deregistered, md);
}

static int check_config(braid_mediad_config_t *cfg) {
  if (cfg->announced_ip == NULL || cfg->announced_ip[0] == '\0') cfg->announced_ip = cfg->ip;
  if (cfg->max_consumers < 0) {
    fprintf(stderr, "error: --max-consumers must be 0 (no limit) or more\n");
    return BRAID_EINVAL;
  }
  if (cfg->rtc_port < 0 || cfg->rtc_port > 65535) {
    fprintf(stderr, "error: --rtc-port must be 0..65535\n");
    return BRAID_EINVAL;
  }
  if (cfg->port_range[0] != '\0') {
    unsigned a, b;
    char extra;
    if (sscanf(cfg->port_range, "%u-%u%c", &a, &b, &extra) != 2 || a == 0 || a > b || b > 65535) {
      fprintf(stderr, "error: --port-range must be A-B with 0 < A <= B <= 65535\n");
      return BRAID_EINVAL;
    }
    cfg->port_min = (int)a;
    cfg->port_max = (int)b;
  }
  if (strcmp(cfg->rtc_mode, "range") == 0) {
    if (cfg->port_range[0] == '\0') {
      fprintf(stderr, "error: --rtc-mode range needs --port-range A-B\n");
      return BRAID_EINVAL;
    }
    cfg->rtc_range = true;
  } else if (strcmp(cfg->rtc_mode, "single") != 0) {
    fprintf(stderr, "error: --rtc-mode must be single or range\n");
    return BRAID_EINVAL;
  }
  braid_log_level_t level;
  if (braid_log_parse_level(cfg->log_level, &level) != 0) {
    fprintf(stderr, "error: --log-level must be error, warn, info or debug\n");
    return BRAID_EINVAL;
  }
  braid_log_level = level;
  return 0;
}

int main(int argc, char **argv) {
  braid_mediad_config_t cfg = {
      .redis_url = "redis://127.0.0.1:6379",
      .ip = "127.0.0.1",
      .announced_ip = NULL,
      .rtc_port = 44444,
      .port_range = "",
      .rtc_mode = "single",
      .prefix = "braid:",
      .log_level = "info",
  };
  const braid_opt_t opts[] = {
      {"redis", "BRAID_REDIS", BRAID_OPT_STR, &cfg.redis_url, "URL",
       "Redis server, redis://[:password@]host[:port][/db]"},
      {"ip", "BRAID_IP", BRAID_OPT_STR, &cfg.ip, "IP", "address to bind media sockets to"},
      {"announced-ip", "BRAID_ANNOUNCED_IP", BRAID_OPT_STR, &cfg.announced_ip, "IP",
       "address announced to clients in ICE candidates (default: --ip)"},
      {"rtc-port", "BRAID_RTC_PORT", BRAID_OPT_INT, &cfg.rtc_port, "N",
       "single UDP and TCP port shared by all WebRTC transports"},
      {"port-range", "BRAID_PORT_RANGE", BRAID_OPT_STR, &cfg.port_range, "A-B",
       "per-transport port range, for plain/pipe transports and --rtc-mode range"},
      {"rtc-mode", "BRAID_RTC_MODE", BRAID_OPT_STR, &cfg.rtc_mode, "M",
       "WebRTC transports' ports: single (all share --rtc-port) or range (each binds "
       "its own, the first free one of --port-range)"},
      {"prefix", "BRAID_PREFIX", BRAID_OPT_STR, &cfg.prefix, "P", "Redis key prefix"},
      {"max-consumers", "BRAID_MAX_CONSUMERS", BRAID_OPT_INT, &cfg.max_consumers, "N",
       "consumers the node takes (pipe consumers not counted; published as max_consumers "
       "for placement); 0: no limit"},
      {"log-level", "BRAID_LOG_LEVEL", BRAID_OPT_STR, &cfg.log_level, "L",
       "error, warn, info or debug"},
  };
  int rc = braid_opt_parse(opts, sizeof opts / sizeof opts[0], argc, argv, "braid-mediad",
                           "Braid media daemon: runs routers and transports, takes commands "
                           "from Redis.");
  if (rc == 1) return 0;
  if (rc != 0 || check_config(&cfg) != 0) return 2;
  braid_log_set_name("mediad");

  braid_mediad_t md = {0};
  const char *why = NULL;
  if (braid_redis_url_parse(&md.redis_url, cfg.redis_url, &why) != 0) {
    fprintf(stderr, "error: --redis %s: %s\n", cfg.redis_url, why);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  md.loop = uv_default_loop();
  md.config = &cfg;
  braid_id_uuid(md.node_id);
  md.started_ms = braid_clock_wall_ms();
  md.routers = braid_router_registry_new();
  md.transports = braid_map_new();
  md.producers = braid_map_new();
  md.consumers = braid_map_new();
  md.data_producers = braid_map_new();
  md.data_consumers = braid_map_new();
  BRAID_ASSERT(md.transports != NULL && md.producers != NULL && md.consumers != NULL &&
               md.data_producers != NULL && md.data_consumers != NULL);
  if (braid_srtp_session_global_init() != 0) {
    fprintf(stderr, "error: cannot initialise libsrtp\n");
    return 1;
  }
  if (braid_dtls_cert_new(&md.cert) != 0) {
    fprintf(stderr, "error: cannot make the DTLS certificate\n");
    return 1;
  }
  fingerprints_json(&md);
  /* Range mode: no shared server, each transport binds its own. */
  rc = cfg.rtc_range ? 0 : braid_webrtc_server_new(&md.server, &md, cfg.ip, (int)cfg.rtc_port);
  if (rc != 0) {
    fprintf(stderr, "error: cannot bind UDP %s:%ld: %s\n", cfg.ip, cfg.rtc_port, braid_strerror(rc));
    return 1;
  }
  md.node = braid_node_new(&md);
  md.cmd_reader = braid_cmd_reader_new(&md);

  uv_signal_t sigterm, sigint;
  uv_signal_init(md.loop, &sigterm);
  uv_signal_init(md.loop, &sigint);
  sigterm.data = sigint.data = &md;
  uv_signal_start(&sigterm, on_signal, SIGTERM);
  uv_signal_start(&sigint, on_signal, SIGINT);

  char rtc[48];
  if (cfg.rtc_range) snprintf(rtc, sizeof rtc, "rtc ports %d-%d (one per transport)", cfg.port_min, cfg.port_max);
  else snprintf(rtc, sizeof rtc, "rtc port %d", braid_webrtc_server_port(md.server));
  BRAID_LOGI("node", "node %s starting: redis %s:%d, ip %s, announced %s, %s, SRTP %s", md.node_id,
             md.redis_url.host, md.redis_url.port, cfg.ip, cfg.announced_ip, rtc, braid_srtp_backend());
  braid_redis_new(&md.redis, md.loop, &md.redis_url, "main", &redis_cbs, &md);
  braid_redis_new(&md.redis_block, md.loop, &md.redis_url, "cmd", &redis_cbs, &md);

  uv_run(md.loop, UV_RUN_DEFAULT);

  /* Let libuv finish closing handles, then release what is left. */
  uv_close((uv_handle_t *)&sigterm, NULL);
  uv_close((uv_handle_t *)&sigint, NULL);
  uv_run(md.loop, UV_RUN_DEFAULT);
  braid_cmd_reader_free(md.cmd_reader);
  braid_router_registry_free(md.routers);
  braid_map_free(md.transports);
  braid_map_free(md.producers);
  braid_map_free(md.consumers);
  braid_map_free(md.data_producers);
  braid_map_free(md.data_consumers);
  braid_dtls_cert_free(md.cert);
  uv_loop_close(md.loop);
  return 0;
}
