#include "mediad/node.h"

#include <stdio.h>
#include <sys/resource.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/map.h"
#include "mediad/rtc/plain_transport.h"
#include "mediad/rtc/router.h"
#include "mediad/rtc/router_speakers.h"
#include "mediad/rtc/stats_json.h"
#include "mediad/rtc/transport.h"
#include "mediad/rtc/webrtc_server.h"
#include "mediad/sctp/sctp_global.h"

#define BRAID_VERSION_STRING "0.1.0"
/* A dead node's command stream disappears this long after its last beat. */
#define CMD_STREAM_TTL_S 60
/* One pipe transport's JSON in the pipes hash: its numbers and, escaped at
 * worst 6 bytes a byte, its ids. */
#define PIPE_JSON_MAX (512 + 6 * (2 * BRAID_ID_MAX + BRAID_ROOM_ID_MAX))

/* Removes members of the node set whose key has expired (dead nodes), so
 * the set lists live nodes only. Every node runs it with its heartbeat; it
 * costs one EXISTS per node. ARGV[1] is the key prefix. */
static const char prune_dead_nodes[] =
    "local set = ARGV[1] .. 'nodes' "
    "for _, n in ipairs(redis.call('ZRANGE', set, 0, -1)) do "
    "  if redis.call('EXISTS', ARGV[1] .. 'node:' .. n) == 0 then redis.call('ZREM', set, n) end "
    "end "
    "return 0";

struct braid_node {
  braid_mediad_t *md; /* borrowed: owner */
  uv_timer_t timer;
  uv_timer_t levels_timer; /* routers' audio level observers (router_speakers.h) */
  int open_handles;        /* timers not closed yet: the node is freed at 0 */
  bool registered_logged;
  /* CPU accounting between two beats. */
  int64_t last_cpu_us;
  int64_t last_mono_ms;
  double cpu_percent;
};

typedef struct dereg_ctx {
  void (*done_cb)(void *ud);
  void *ud;
} dereg_ctx_t;

double braid_node_load(const braid_mediad_t *md) {
  /* Object counts only, for now: deterministic placement. CPU joins the
   * score once transports carry media (issue 3). */
  return (double)braid_router_count(md->routers);
}

void braid_node_net_stats(const braid_mediad_t *md, braid_mediad_net_stats_t *out) {
  braid_map_iter_t it;
  void *v;
  *out = md->stats.net_closed;
  if (md->server) braid_webrtc_server_add_stats(md->server, out);
  braid_map_iter_init(&it, md->transports);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) braid_transport_add_net_stats(v, out);
}

uint64_t braid_node_rx_dropped(const braid_mediad_t *md) {
  braid_mediad_net_stats_t net;
  uint64_t n = md->stats.rx_dropped_closed;
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, md->transports);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) n += braid_transport_dropped(v);
  braid_node_net_stats(md, &net);
  return n + net.rx_dropped;
}

/* The pipe transport whose media half t is, or NULL. */
static braid_plain_transport_t *pipe_of(braid_transport_t *t) {
  braid_plain_transport_t *p = braid_plain_transport_of(t);
  return p != NULL && braid_plain_transport_pipe(p) ? p : NULL;
}

static size_t count_pipes(const braid_mediad_t *md) {
  braid_map_iter_t it;
  void *v;
  size_t n = 0;
  braid_map_iter_init(&it, md->transports);
  while (braid_map_iter_next(&it, NULL, NULL, &v))
    n += pipe_of(v) != NULL;
  return n;
}

/* Queues (inside the beat's MULTI) the rewrite of the pipes hash key: one
 * field per pipe transport, its id -> braid_stats_json_pipe_summary(). The
 * hash is deleted and written again whole, with the node key's TTL, so a
 * closed pipe's field goes with the next beat and a dead node's hash with
 * its key. Once a second, never per packet: the allocations are fine. */
static void write_pipes(braid_mediad_t *md, const char *key, const char *ttl) {
  size_t n = count_pipes(md), k = 0;
  braid_redis_cmd(md->redis, NULL, NULL, "DEL %s", key);
  if (n == 0) return;
  const char **argv = braid_xmalloc((2 + 2 * n) * sizeof *argv);
  char *json = braid_xmalloc(n * PIPE_JSON_MAX);
  int64_t now = braid_clock_mono_ms();
  braid_map_iter_t it;
  void *v;
  argv[0] = "HSET";
  argv[1] = key;
  braid_map_iter_init(&it, md->transports);
  while (k < n && braid_map_iter_next(&it, NULL, NULL, &v)) {
    braid_plain_transport_t *p = pipe_of(v);
    char *text = json + k * PIPE_JSON_MAX;
    if (p == NULL || braid_stats_json_pipe_summary(p, now, text, PIPE_JSON_MAX) < 0) continue;
    argv[2 + 2 * k] = braid_plain_transport_id(p);
    argv[3 + 2 * k] = text;
    k++;
  }
  if (k > 0) {
    braid_redis_cmd_argv(md->redis, NULL, NULL, (int)(2 + 2 * k), argv, NULL);
    braid_redis_cmd(md->redis, NULL, NULL, "PEXPIRE %s %s", key, ttl);
  }
  braid_free(json);
  braid_free(argv);
}

static void update_cpu(braid_node_t *node) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  int64_t cpu_us = (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
                   ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
  int64_t now = braid_clock_mono_ms();
  if (node->last_mono_ms != 0 && now > node->last_mono_ms)
    node->cpu_percent = (double)(cpu_us - node->last_cpu_us) / 10.0 / (double)(now - node->last_mono_ms);
  node->last_cpu_us = cpu_us;
  node->last_mono_ms = now;
}

static void on_beat_reply(braid_redis_t *r, redisReply *reply, void *ud) {
  braid_node_t *node = ud;
  if (reply == NULL && node->md->shutting_down) return;
  if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
    BRAID_LOGW("node", "heartbeat failed: %s", reply ? reply->str : "disconnected");
    return;
  }
  if (!node->registered_logged) {
    node->registered_logged = true;
    BRAID_LOGI("node", "registered node %s", node->md->node_id);
  }
}

void braid_node_beat(braid_node_t *node) {
  braid_mediad_t *md = node->md;
  const char *p = md->config->prefix;
  char key[256], nodes[256], stream[256], pipes[256];
  char f_transports[24], f_producers[24], f_consumers[24], f_dropped[24], f_max[24], f_pipes[24];
  char f_data_producers[24], f_data_consumers[24], f_sctp[24];
  char f_port[16], f_started[24], f_load[32], f_cpu[32], f_routers[24], f_ok[24], f_bad[24],
      f_exp[24], f_now[24], ttl[16];

  if (md->shutting_down || !braid_redis_connected(md->redis)) return;
  update_cpu(node);
  snprintf(key, sizeof key, "%snode:%s", p, md->node_id);
  snprintf(nodes, sizeof nodes, "%snodes", p);
  snprintf(stream, sizeof stream, "%snode:%s:cmd", p, md->node_id);
  snprintf(pipes, sizeof pipes, "%snode:%s:pipes", p, md->node_id);
  /* The bound port: --rtc-port 0 picks a free one. In range mode there is
   * no shared port (0): each transport's reply names its own. */
  snprintf(f_port, sizeof f_port, "%d",
           md->server ? braid_webrtc_server_port(md->server)
                      : md->config->rtc_range ? 0 : (int)md->config->rtc_port);
  snprintf(f_started, sizeof f_started, "%lld", (long long)md->started_ms);
  snprintf(f_load, sizeof f_load, "%.3f", braid_node_load(md));
  snprintf(f_cpu, sizeof f_cpu, "%.1f", node->cpu_percent);
  snprintf(f_routers, sizeof f_routers, "%zu", braid_router_count(md->routers));
  snprintf(f_transports, sizeof f_transports, "%zu", braid_map_size(md->transports));
  snprintf(f_producers, sizeof f_producers, "%zu", braid_map_size(md->producers));
  snprintf(f_consumers, sizeof f_consumers, "%zu", braid_map_size(md->consumers));
  snprintf(f_max, sizeof f_max, "%ld", md->config->max_consumers);
  snprintf(f_pipes, sizeof f_pipes, "%zu", count_pipes(md));
  snprintf(f_data_producers, sizeof f_data_producers, "%zu", braid_map_size(md->data_producers));
  snprintf(f_data_consumers, sizeof f_data_consumers, "%zu", braid_map_size(md->data_consumers));
  snprintf(f_sctp, sizeof f_sctp, "%zu", braid_sctp_global_assoc_count());
  snprintf(f_dropped, sizeof f_dropped, "%llu", (unsigned long long)braid_node_rx_dropped(md));
  char f_udp_rx[24], f_udp_tx[24], f_udp_drop[24], f_tcp[24];
  braid_mediad_net_stats_t net;
  braid_node_net_stats(md, &net);
  snprintf(f_udp_rx, sizeof f_udp_rx, "%llu", (unsigned long long)net.udp_rx);
  snprintf(f_udp_tx, sizeof f_udp_tx, "%llu", (unsigned long long)net.udp_tx);
  snprintf(f_udp_drop, sizeof f_udp_drop, "%llu", (unsigned long long)net.udp_tx_dropped);
  snprintf(f_tcp, sizeof f_tcp, "%llu", (unsigned long long)net.tcp_accepted);
  snprintf(f_ok, sizeof f_ok, "%llu", (unsigned long long)md->stats.cmd_ok);
  snprintf(f_bad, sizeof f_bad, "%llu", (unsigned long long)md->stats.cmd_bad);
  snprintf(f_exp, sizeof f_exp, "%llu", (unsigned long long)md->stats.cmd_expired);
  snprintf(f_now, sizeof f_now, "%lld", (long long)braid_clock_wall_ms());
  snprintf(ttl, sizeof ttl, "%d", BRAID_NODE_TTL_MS);

  const char *hset[] = {"HSET", key, "id", md->node_id, "ip", md->config->ip,
                        "announced_ip", md->config->announced_ip, "rtc_port", f_port,
                        "rtc_mode", md->config->rtc_range ? "range" : "single",
                        "port_range", md->config->port_range, "version", BRAID_VERSION_STRING,
                        "started_ms", f_started, "updated_ms", f_now, "load", f_load, "cpu", f_cpu,
                        "routers", f_routers, "transports", f_transports, "producers", f_producers, "consumers", f_consumers,
                        "max_consumers", f_max, "pipe_transports", f_pipes,
                        "data_producers", f_data_producers, "data_consumers", f_data_consumers,
                        "sctp_associations", f_sctp,
                        "cmd_ok", f_ok, "cmd_bad", f_bad, "cmd_expired", f_exp,
                        "fingerprints", md->fingerprints_json, "udp_rx", f_udp_rx,
                        "udp_tx", f_udp_tx, "udp_tx_dropped", f_udp_drop, "tcp_accepted", f_tcp,
                        "rx_dropped", f_dropped};
  /* MULTI/EXEC: the hash, its expiry and the set entry appear together. */
  braid_redis_cmd(md->redis, NULL, NULL, "MULTI");
  braid_redis_cmd_argv(md->redis, NULL, NULL, (int)(sizeof hset / sizeof hset[0]), hset, NULL);
  braid_redis_cmd(md->redis, NULL, NULL, "PEXPIRE %s %s", key, ttl);
  braid_redis_cmd(md->redis, NULL, NULL, "ZADD %s %s %s", nodes, f_load, md->node_id);
  braid_redis_cmd(md->redis, NULL, NULL, "EXPIRE %s %d", stream, CMD_STREAM_TTL_S);
  braid_redis_cmd(md->redis, NULL, NULL, "EVAL %s 0 %s", prune_dead_nodes, p);
  write_pipes(md, pipes, ttl);
  braid_redis_cmd(md->redis, on_beat_reply, node, "EXEC");
}

static void on_timer(uv_timer_t *t) { braid_node_beat(t->data); }

static void on_levels_timer(uv_timer_t *t) {
  braid_node_t *node = t->data;
  braid_router_speakers_tick(node->md, braid_clock_mono_ms());
}

braid_node_t *braid_node_new(braid_mediad_t *md) {
  braid_node_t *node = braid_xcalloc(1, sizeof *node);
  node->md = md;
  uv_timer_init(md->loop, &node->timer);
  node->timer.data = node;
  uv_timer_start(&node->timer, on_timer, BRAID_NODE_HEARTBEAT_MS, BRAID_NODE_HEARTBEAT_MS);
  uv_timer_init(md->loop, &node->levels_timer);
  node->levels_timer.data = node;
  uv_timer_start(&node->levels_timer, on_levels_timer, BRAID_AUDIO_LEVEL_TICK_MS,
                 BRAID_AUDIO_LEVEL_TICK_MS);
  node->open_handles = 2;
  return node;
}

static void on_dereg_reply(braid_redis_t *r, redisReply *reply, void *ud) {
  dereg_ctx_t *ctx = ud;
  ctx->done_cb(ctx->ud);
  braid_free(ctx);
}

void braid_node_deregister(braid_node_t *node, void (*done_cb)(void *ud), void *ud) {
  braid_mediad_t *md = node->md;
  char key[256], nodes[256], stream[256], pipes[256];
  snprintf(key, sizeof key, "%snode:%s", md->config->prefix, md->node_id);
  snprintf(nodes, sizeof nodes, "%snodes", md->config->prefix);
  snprintf(stream, sizeof stream, "%snode:%s:cmd", md->config->prefix, md->node_id);
  snprintf(pipes, sizeof pipes, "%snode:%s:pipes", md->config->prefix, md->node_id);
  uv_timer_stop(&node->timer);
  uv_timer_stop(&node->levels_timer);
  dereg_ctx_t *ctx = braid_xmalloc(sizeof *ctx);
  ctx->done_cb = done_cb;
  ctx->ud = ud;
  if (braid_redis_cmd(md->redis, NULL, NULL, "MULTI") != 0) goto out_now;
  braid_redis_cmd(md->redis, NULL, NULL, "DEL %s %s %s", key, stream, pipes);
  braid_redis_cmd(md->redis, NULL, NULL, "ZREM %s %s", nodes, md->node_id);
  if (braid_redis_cmd(md->redis, on_dereg_reply, ctx, "EXEC") != 0) goto out_now;
  return;
out_now:
  braid_free(ctx);
  done_cb(ud);
}

static void on_closed(uv_handle_t *h) {
  braid_node_t *node = h->data;
  if (--node->open_handles == 0) braid_free(node);
}

void braid_node_free(braid_node_t *node) {
  if (node == NULL) return;
  uv_timer_stop(&node->timer);
  uv_timer_stop(&node->levels_timer);
  uv_close((uv_handle_t *)&node->timer, on_closed);
  uv_close((uv_handle_t *)&node->levels_timer, on_closed);
}
