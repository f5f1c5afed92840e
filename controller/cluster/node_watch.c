#include "controller/cluster/node_watch.h"

#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "controller/cluster/store.h"
#include "controller/room/node_loss.h"

/* ARGV: prefix. Returns {node: updated_ms or "" when its key is gone}
 * for every member of P nodes. */
static const char lua_beats[] =
    "local out = {} "
    "for _, n in ipairs(redis.call('ZRANGE', ARGV[1] .. 'nodes', 0, -1)) do "
    "  out[n] = redis.call('HGET', ARGV[1] .. 'node:' .. n, 'updated_ms') or '' "
    "end "
    "if next(out) == nil then return '{}' end "
    "return cjson.encode(out)";

/* ARGV: prefix, node, ttl ms. Marks a node dead for placement and pipes
 * (P node:<id>:dead; store_scripts.h, pipe_store_scripts.h) and takes it
 * out of P nodes: its key may live on for a second, and a daemon that was
 * only stalled comes back with its old routers gone from every room. */
static const char lua_bury[] =
    "redis.call('SET', ARGV[1] .. 'node:' .. ARGV[2] .. ':dead', '1', 'PX', ARGV[3]) "
    "redis.call('ZREM', ARGV[1] .. 'nodes', ARGV[2]) "
    "return '{}'";

typedef struct seen {
  char beat[24];      /* the last updated_ms read */
  int64_t changed_ms; /* when it last changed, our monotonic clock */
  bool dead;
  bool present; /* in the last reading */
} seen_t;

struct braid_node_watch {
  braid_ctl_t *ctl;
  uv_timer_t *timer;   /* owned; freed by its close callback */
  braid_map_t *nodes;  /* node id -> seen_t (owned) */
  int64_t last_ok_ms;  /* the last reading that succeeded */
  int64_t ok_since_ms; /* since when readings succeed back to back */
  bool busy;           /* a reading is under way */
  bool closed;
};

static void free_seen(braid_map_t *m) {
  braid_map_iter_t it;
  const char *key;
  size_t len;
  void *v;
  braid_map_iter_init(&it, m);
  while (braid_map_iter_next(&it, &key, &len, &v))
    braid_free(v);
  braid_map_free(m);
}

static void dead(braid_node_watch_t *w, const char *node, seen_t *s, const char *why) {
  if (s->dead) return;
  s->dead = true;
  BRAID_LOGW("nodes", "media node %s is dead (%s)", node, why);
  char ttl[16];
  snprintf(ttl, sizeof ttl, "%d", BRAID_NODE_TOMBSTONE_MS);
  const char *args[] = {w->ctl->config->prefix, node, ttl};
  braid__store_eval_json(w->ctl, lua_bury, args, 3, NULL, NULL);
  braid_node_loss(w->ctl, node);
}

/* Our own view of Redis was interrupted (a failed or late reading): what
 * we saw of the nodes says nothing about them, so their clocks restart. */
static void restart_clocks(braid_node_watch_t *w, int64_t now) {
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, w->nodes);
  while (braid_map_iter_next(&it, NULL, NULL, &v))
    ((seen_t *)v)->changed_ms = now;
  w->ok_since_ms = now;
}

static void on_beats(int err, const char *reason, json_t *j, void *ud) {
  braid_node_watch_t *w = ud;
  int64_t now = braid_clock_mono_ms();
  w->busy = false;
  if (w->closed) {
    free_seen(w->nodes);
    braid_free(w);
    return;
  }
  if (err != 0) {
    BRAID_LOGD("nodes", "cannot read the nodes' heartbeats: %s", reason);
    restart_clocks(w, now);
    return;
  }
  if (w->last_ok_ms == 0 || now - w->last_ok_ms > 2 * BRAID_NODE_WATCH_MS + 500)
    restart_clocks(w, now);
  w->last_ok_ms = now;
  /* Judge only after enough good readings in a row that a live node has
   * beaten since (after a Redis restart or failover, keys come back with
   * the nodes' next heartbeats). */
  bool judge = now - w->ok_since_ms > BRAID_NODE_DEAD_MS + 1000;
  braid_map_iter_t it;
  const char *key;
  size_t len;
  void *v;
  braid_map_iter_init(&it, w->nodes);
  while (braid_map_iter_next(&it, &key, &len, &v))
    ((seen_t *)v)->present = false;
  const char *node;
  json_t *beat;
  json_object_foreach(j, node, beat) {
    const char *b = json_string_value(beat);
    seen_t *s = braid_map_get(w->nodes, node, strlen(node));
    if (b == NULL) continue;
    if (s == NULL) {
      if (b[0] == '\0') continue; /* never seen alive: nothing of ours is on it */
      s = braid_xcalloc(1, sizeof *s);
      BRAID_ASSERT(braid_map_put(w->nodes, node, strlen(node), s) == 0);
      snprintf(s->beat, sizeof s->beat, "%s", b);
      s->changed_ms = now;
    }
    s->present = true;
    if (b[0] == '\0') {
      if (judge) dead(w, node, s, "its key expired");
    } else if (strcmp(b, s->beat) != 0) {
      snprintf(s->beat, sizeof s->beat, "%s", b);
      s->changed_ms = now;
      if (s->dead) {
        BRAID_LOGI("nodes", "media node %s beats again", node);
        s->dead = false; /* a node id is new at every start: only a stall can do this */
      }
    } else if (judge && now - s->changed_ms > BRAID_NODE_DEAD_MS) {
      dead(w, node, s, "no heartbeat for 2 s");
    }
  }
  if (!judge) return;
  braid_map_iter_init(&it, w->nodes);
  while (braid_map_iter_next(&it, &key, &len, &v)) {
    seen_t *s = v;
    if (!s->present) {
      char id[BRAID_ID_MAX + 1];
      if (len >= sizeof id) len = sizeof id - 1; /* ids are at most BRAID_ID_MAX */
      memcpy(id, key, len);
      id[len] = '\0';
      dead(w, id, s, "it left the node set");
      braid_free(braid_map_del(w->nodes, key, len));
      braid_map_iter_init(&it, w->nodes); /* the map changed under the iterator */
    }
  }
}

static void on_tick(uv_timer_t *t) {
  braid_node_watch_t *w = t->data;
  if (w->busy || w->ctl->shutting_down) return;
  w->busy = true;
  const char *args[] = {w->ctl->config->prefix};
  braid__store_eval_json(w->ctl, lua_beats, args, 1, on_beats, w);
}

braid_node_watch_t *braid_node_watch_new(braid_ctl_t *ctl) {
  braid_node_watch_t *w = braid_xcalloc(1, sizeof *w);
  w->ctl = ctl;
  w->nodes = braid_map_new();
  w->timer = braid_xcalloc(1, sizeof *w->timer);
  uv_timer_init(ctl->loop, w->timer);
  w->timer->data = w;
  uv_timer_start(w->timer, on_tick, BRAID_NODE_WATCH_MS, BRAID_NODE_WATCH_MS);
  return w;
}

static void on_timer_closed(uv_handle_t *h) { braid_free(h); }

void braid_node_watch_free(braid_node_watch_t *w) {
  if (w == NULL) return;
  uv_close((uv_handle_t *)w->timer, on_timer_closed);
  if (w->busy) { /* the reading's callback frees it */
    w->closed = true;
    return;
  }
  free_seen(w->nodes);
  braid_free(w);
}
