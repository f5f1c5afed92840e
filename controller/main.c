/*
 * braid-controller: holds the peers' WebSockets, runs the mediasoup-demo
 * room protocol, keeps room state in Redis and drives media daemons over it.
 * Stateless: any number of controllers serve the same rooms.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/opt.h"
#include "common/str.h"
#include "controller/api/api.h"
#include "controller/cluster/events.h"
#include "controller/cluster/node_watch.h"
#include "controller/cluster/rpc.h"
#include "controller/ctl.h"
#include "controller/net/ws_server.h"
#include "controller/ortc/router_caps.h"
#include "controller/room/media_cmd.h"
#include "controller/room/pipes.h"
#include "controller/room/rooms.h"

const char *braid_ctl_key(const braid_ctl_t *ctl, char *buf, size_t size, const char *fmt, ...) {
  size_t n = (size_t)snprintf(buf, size, "%s", ctl->config->prefix);
  va_list ap;
  va_start(ap, fmt);
  if (n < size) vsnprintf(buf + n, size - n, fmt, ap);
  va_end(ap);
  return buf;
}

/* ---- liveness ---------------------------------------------------------- */

static void heartbeat(uv_timer_t *t) {
  braid_ctl_t *ctl = t->data;
  char key[256], peers[24], started[24];
  if (!braid_redis_connected(ctl->redis)) return;
  braid_ctl_key(ctl, key, sizeof key, "controller:%s", ctl->id);
  snprintf(peers, sizeof peers, "%zu", braid_rooms_peer_count(ctl->rooms));
  snprintf(started, sizeof started, "%lld", (long long)ctl->started_ms);
  braid_redis_cmd(ctl->redis, NULL, NULL, "MULTI");
  braid_redis_cmd(ctl->redis, NULL, NULL, "HSET %s id %s listen %s started_ms %s peers %s", key,
                  ctl->id, ctl->config->listen, started, peers);
  braid_redis_cmd(ctl->redis, NULL, NULL, "PEXPIRE %s %d", key, BRAID_CTL_TTL_MS);
  braid_redis_cmd(ctl->redis, NULL, NULL, "EXEC");
  braid_pipes_gc(ctl);
}

static void on_redis_connect(braid_redis_t *r, void *ud) {
  braid_ctl_t *ctl = ud;
  if (r == ctl->redis) heartbeat(&ctl->heartbeat);
  else braid_events_on_connect(ctl);
}

static void on_redis_message(braid_redis_t *r, const char *channel, const char *payload, size_t len,
                             void *ud) {
  braid_events_on_message(ud, channel, payload, len);
}

/* A restarted Redis dropped both connections, even if one has not noticed
 * yet (a subscriber only hears of it by its liveness probe): reconnect the
 * other now, so replies are not published to a subscription that is gone. */
static void on_redis_disconnect(braid_redis_t *r, void *ud) {
  braid_ctl_t *ctl = ud;
  braid_redis_reconnect(r == ctl->redis ? ctl->redis_sub : ctl->redis);
}

static const braid_redis_callbacks_t redis_cbs = {on_redis_connect, on_redis_disconnect,
                                                  on_redis_message};

/* ---- WebSocket server hooks ---------------------------------------------- */

static void ws_open(braid_ws_conn_t *c, void *ud) { braid_rooms_on_open(((braid_ctl_t *)ud)->rooms, c); }

static void ws_message(braid_ws_conn_t *c, const char *text, size_t len, void *ud) {
  braid_rooms_on_message(((braid_ctl_t *)ud)->rooms, c, text, len);
}

static void ws_close(braid_ws_conn_t *c, void *ud) { braid_rooms_on_close(((braid_ctl_t *)ud)->rooms, c); }

static int ws_health(char *body, size_t size, void *ud) {
  braid_ctl_t *ctl = ud;
  bool redis_ok = braid_redis_connected(ctl->redis) && braid_redis_connected(ctl->redis_sub);
  snprintf(body, size, "{\"ok\":%s,\"id\":\"%s\",\"redis\":%s,\"peers\":%zu}",
           redis_ok ? "true" : "false", ctl->id, redis_ok ? "true" : "false",
           braid_rooms_peer_count(ctl->rooms));
  return redis_ok ? 200 : 503;
}

static void ws_http(braid_http_req_t *r, void *ud) { braid_api_on_http(ud, r); }

static const braid_ws_callbacks_t ws_cbs = {ws_open, ws_message, ws_close, ws_health, ws_http};

/* ---- start and stop ----------------------------------------------------- */

static void on_drained(uv_timer_t *t) { uv_stop(((braid_ctl_t *)t->data)->loop); }

/* Graceful stop: close every socket (each peer leaves its room through
 * Redis, so the others get peerClosed), drop our controller key, give the
 * replies a moment to come back, then stop the loop. */
static void on_signal(uv_signal_t *s, int signum) {
  braid_ctl_t *ctl = s->data;
  char key[256];
  if (ctl->shutting_down) return;
  BRAID_LOGI("ctl", "signal %d: shutting down", signum);
  braid_ws_server_close(ctl->ws);
  ctl->shutting_down = true;
  uv_timer_stop(&ctl->heartbeat);
  braid_redis_cmd(ctl->redis, NULL, NULL, "DEL %s", braid_ctl_key(ctl, key, sizeof key, "controller:%s", ctl->id));
  uv_timer_start(&ctl->heartbeat, on_drained, 300, 0);
}

static int parse_listen(const char *listen, char *host, size_t hostsz, int *port) {
  const char *colon = strrchr(listen, ':');
  char *end;
  if (colon == NULL || (size_t)(colon - listen) >= hostsz) return BRAID_EINVAL;
  long p = strtol(colon + 1, &end, 10);
  if (*end != '\0' || p < 0 || p > 65535) return BRAID_EINVAL;
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = '\0';
  *port = (int)p;
  return 0;
}

int main(int argc, char **argv) {
  braid_ctl_config_t cfg = {
      .redis_url = "redis://127.0.0.1:6379",
      .listen = "0.0.0.0:4443",
      .id = NULL,
      .prefix = "braid:",
      .dialect = "current",
      .media_codecs = NULL,
#ifdef BRAID_DEFAULT_WWW
      .www = BRAID_DEFAULT_WWW,
#else
      .www = "",
#endif
      .log_level = "info",
      .request_timeout_ms = BRAID_CMD_DEADLINE_MS,
      .sctp_max_message_size = BRAID_SCTP_MAX_MESSAGE_DEFAULT,
      .pipe_fanout = 4,
      .pipe_srtp = true,
  };
  long key_frame_request_delay_ms = 0; /* handed to media_cmd.c, see below */
  const braid_opt_t opts[] = {
      {"redis", "BRAID_REDIS", BRAID_OPT_STR, &cfg.redis_url, "URL",
       "Redis server, redis://[:password@]host[:port][/db]"},
      {"listen", "BRAID_LISTEN", BRAID_OPT_STR, &cfg.listen, "HOST:PORT",
       "WebSocket (protoo) and HTTP address"},
      {"id", "BRAID_CONTROLLER_ID", BRAID_OPT_STR, &cfg.id, "ID",
       "controller id (default: random at each start)"},
      {"prefix", "BRAID_PREFIX", BRAID_OPT_STR, &cfg.prefix, "P", "Redis key prefix"},
      {"dialect", "BRAID_DIALECT", BRAID_OPT_STR, &cfg.dialect, "D",
       "mediasoup-demo protocol dialect: current or legacy (per connection: ?dialect=)"},
      {"media-codecs", "BRAID_MEDIA_CODECS", BRAID_OPT_STR, &cfg.media_codecs, "FILE",
       "JSON array of router media codecs (default: mediasoup-demo's list)"},
      {"www", "BRAID_WWW", BRAID_OPT_STR, &cfg.www, "DIR",
       "directory of the demo page served over HTTP (\"\": none)"},
      {"request-timeout", "BRAID_REQUEST_TIMEOUT", BRAID_OPT_INT, &cfg.request_timeout_ms, "MS",
       "deadline of a command to a media daemon"},
      {"sctp-max-message-size", "BRAID_SCTP_MAX_MESSAGE_SIZE", BRAID_OPT_INT,
       &cfg.sctp_max_message_size, "N",
       "largest DataChannel message, bytes (SCTP maxMessageSize; 1024..16777216)"},
      {"pipe-fanout", "BRAID_PIPE_FANOUT", BRAID_OPT_INT, &cfg.pipe_fanout, "N",
       "pipes of one producer out of one media daemon before relays take over (1..64)"},
      {"pipe-srtp", "BRAID_PIPE_SRTP", BRAID_OPT_BOOL, &cfg.pipe_srtp, NULL,
       "protect pipes between media daemons with SRTP (AEAD_AES_256_GCM; --pipe-srtp=false: "
       "plain RTP)"},
      {"key-frame-request-delay", "BRAID_KEY_FRAME_REQUEST_DELAY", BRAID_OPT_INT,
       &key_frame_request_delay_ms, "MS",
       "mediasoup's keyFrameRequestDelay for video producers: key frame requests within MS of "
       "the last one sent are merged and sent when it has passed (0: none; 0..60000)"},
      {"log-level", "BRAID_LOG_LEVEL", BRAID_OPT_STR, &cfg.log_level, "L",
       "error, warn, info or debug"},
  };
  int rc = braid_opt_parse(opts, sizeof opts / sizeof opts[0], argc, argv, "braid-controller",
                           "Braid controller: protoo signaling over WebSocket, room state in "
                           "Redis, commands to media daemons.");
  if (rc == 1) return 0;
  if (rc != 0) return 2;

  braid_ctl_t ctl = {0};
  braid_log_level_t level;
  char host[128], err[256];
  int port;
  const char *why = NULL;
  if (braid_log_parse_level(cfg.log_level, &level) != 0) {
    fprintf(stderr, "error: --log-level must be error, warn, info or debug\n");
    return 2;
  }
  braid_log_level = level;
  braid_log_set_name("controller");
  if (strcmp(cfg.dialect, "current") != 0 && strcmp(cfg.dialect, "legacy") != 0) {
    fprintf(stderr, "error: --dialect must be current or legacy\n");
    return 2;
  }
  ctl.default_dialect = strcmp(cfg.dialect, "legacy") == 0 ? BRAID_DIALECT_LEGACY : BRAID_DIALECT_CURRENT;
  if (parse_listen(cfg.listen, host, sizeof host, &port) != 0) {
    fprintf(stderr, "error: --listen must be HOST:PORT\n");
    return 2;
  }
  if (cfg.request_timeout_ms < 100 || cfg.request_timeout_ms > 600000) {
    fprintf(stderr, "error: --request-timeout must be 100..600000 ms\n");
    return 2;
  }
  if (cfg.pipe_fanout < 1 || cfg.pipe_fanout > 64) {
    fprintf(stderr, "error: --pipe-fanout must be 1..64\n");
    return 2;
  }
  if (key_frame_request_delay_ms < 0 || key_frame_request_delay_ms > 60000) {
    fprintf(stderr, "error: --key-frame-request-delay must be 0..60000 ms\n");
    return 2;
  }
  braid_media_cmd_set_key_frame_request_delay((uint32_t)key_frame_request_delay_ms);
  if (cfg.sctp_max_message_size < BRAID_SCTP_MAX_MESSAGE_MIN ||
      cfg.sctp_max_message_size > BRAID_SCTP_MAX_MESSAGE_MAX) {
    fprintf(stderr, "error: --sctp-max-message-size must be %d..%d bytes\n",
            BRAID_SCTP_MAX_MESSAGE_MIN, BRAID_SCTP_MAX_MESSAGE_MAX);
    return 2;
  }
  if (braid_redis_url_parse(&ctl.redis_url, cfg.redis_url, &why) != 0) {
    fprintf(stderr, "error: --redis %s: %s\n", cfg.redis_url, why);
    return 2;
  }
  json_t *codecs = NULL;
  if (braid_ortc_load_media_codecs(cfg.media_codecs, &codecs, err, sizeof err) != 0 ||
      braid_ortc_router_caps(codecs, &ctl.router_caps, err, sizeof err) != 0) {
    fprintf(stderr, "error: media codecs: %s\n", err);
    json_decref(codecs);
    return 2;
  }
  json_decref(codecs);
  if (cfg.id != NULL && (strlen(cfg.id) > BRAID_ID_MAX || !braid_str_is_id(braid_str_c(cfg.id)))) {
    fprintf(stderr, "error: --id must be 1..%d characters of [A-Za-z0-9._-]\n", BRAID_ID_MAX);
    return 2;
  }
  if (cfg.id) snprintf(ctl.id, sizeof ctl.id, "%s", cfg.id);
  else braid_id_uuid(ctl.id);

  signal(SIGPIPE, SIG_IGN);
  ctl.loop = uv_default_loop();
  ctl.config = &cfg;
  ctl.started_ms = braid_clock_wall_ms();
  ctl.rooms = braid_rooms_new(&ctl);
  ctl.rpc = braid_rpc_new(&ctl);
  braid_redis_new(&ctl.redis, ctl.loop, &ctl.redis_url, "main", &redis_cbs, &ctl);
  braid_redis_new(&ctl.redis_sub, ctl.loop, &ctl.redis_url, "sub", &redis_cbs, &ctl);
  ctl.node_watch = braid_node_watch_new(&ctl);
  uv_timer_init(ctl.loop, &ctl.heartbeat);
  ctl.heartbeat.data = &ctl;
  uv_timer_start(&ctl.heartbeat, heartbeat, 2000, 2000);

  uv_signal_t sigterm, sigint;
  uv_signal_init(ctl.loop, &sigterm);
  uv_signal_init(ctl.loop, &sigint);
  sigterm.data = sigint.data = &ctl;
  uv_signal_start(&sigterm, on_signal, SIGTERM);
  uv_signal_start(&sigint, on_signal, SIGINT);
  if (braid_ws_server_new(&ctl.ws, ctl.loop, host, port, cfg.www[0] ? cfg.www : NULL, &ws_cbs, &ctl) != 0) {
    BRAID_LOGE("ctl", "cannot listen on %s", cfg.listen);
    return 1;
  }
  BRAID_LOGI("ctl", "controller %s listening on http://%s:%d (redis %s:%d, prefix %s)", ctl.id,
             host, port, ctl.redis_url.host, ctl.redis_url.port, cfg.prefix);

  uv_run(ctl.loop, UV_RUN_DEFAULT);

  braid_ws_server_close(ctl.ws);
  braid_node_watch_free(ctl.node_watch);
  braid_redis_free(ctl.redis);
  braid_redis_free(ctl.redis_sub);
  braid_rpc_free(ctl.rpc);
  uv_close((uv_handle_t *)&ctl.heartbeat, NULL);
  uv_close((uv_handle_t *)&sigterm, NULL);
  uv_close((uv_handle_t *)&sigint, NULL);
  uv_run(ctl.loop, UV_RUN_DEFAULT);
  braid_ws_server_free(ctl.ws);
  uv_run(ctl.loop, UV_RUN_DEFAULT);
  braid_rooms_free(ctl.rooms);
  json_decref(ctl.router_caps);
  uv_loop_close(ctl.loop);
  return 0;
}
