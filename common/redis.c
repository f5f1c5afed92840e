#include "common/redis.h"

#include <stdarg.h>
#include <string.h>

#include <hiredis/adapters/libuv.h>
#include <hiredis/async.h>

#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"

#define RECONNECT_MIN_MS 100
#define RECONNECT_MAX_MS 2000
/* hiredis 0.14's libuv adapter ignores poll errors, so a refused connect is
 * never reported: a connect that has not completed by then is abandoned. */
#define CONNECT_TIMEOUT_MS 1000
/* Liveness: the same adapter also swallows a socket error on an
 * established connection (epoll reports it, libuv stops polling, hiredis
 * never hears of it): the connection then looks up but is dead, e.g. after
 * Redis restarted. A probe every PROBE_INTERVAL_MS that is not answered
 * within PROBE_DEADLINE_MS (longer than any blocking read we issue) drops
 * the connection and reconnects. */
#define PROBE_INTERVAL_MS 1000
#define PROBE_DEADLINE_MS 5000
/* What a subscriber connection probes with: re-subscribing is one of the
 * few commands a subscribed connection may send, and it is answered. */
#define PROBE_CHANNEL "__braid:alive"

struct braid_redis {
  uv_loop_t *loop;               /* borrowed */
  redisAsyncContext *ac;         /* owned by hiredis once attached; NULL while down */
  braid_redis_url_t url;
  char name[32];
  const braid_redis_callbacks_t *cbs; /* borrowed */
  void *user_data;
  uv_timer_t reconnect_timer;
  uv_timer_t probe_timer;
  uint64_t probe_sent_ms;         /* loop time of the unanswered probe, 0 when none */
  uint64_t backoff_ms;
  bool connected;
  bool subscriber;                /* braid_redis_subscribe() was used: probe by SUBSCRIBE */
  bool closing;
};

/* One in-flight command: the user's callback, freed after the single reply. */
typedef struct pending {
  braid_redis_t *r;
  braid_redis_reply_cb cb;
  void *user_data;
} pending_t;

static void start_connect(braid_redis_t *r);
static void schedule_reconnect(braid_redis_t *r);

static void on_reconnect_timer(uv_timer_t *t) { start_connect(t->data); }

void braid_redis_reconnect(braid_redis_t *r) {
  if (r->closing || r->ac == NULL || !r->connected) return;
  redisAsyncContext *ac = r->ac;
  /* Frees the context; hiredis calls on_disconnect (it was connected),
   * which schedules the reconnection, and fails pending commands. */
  redisAsyncFree(ac);
}

static void on_sub_reply(redisAsyncContext *ac, void *reply, void *privdata);

static void on_probe_reply(redisAsyncContext *ac, void *reply, void *privdata) {
  braid_redis_t *r = privdata;
  (void)ac;
  if (reply != NULL && !r->closing) r->probe_sent_ms = 0;
}

static void on_probe_timer(uv_timer_t *t) {
  braid_redis_t *r = t->data;
  if (r->closing || !r->connected || r->ac == NULL) return;
  uint64_t now = uv_now(r->loop);
  if (r->probe_sent_ms != 0) {
    if (now - r->probe_sent_ms >= PROBE_DEADLINE_MS) {
      BRAID_LOGW("redis", "%s: no answer for %d ms: reconnecting", r->name, PROBE_DEADLINE_MS);
      braid_redis_reconnect(r);
    }
    return;
  }
  r->probe_sent_ms = now;
  if (r->subscriber)
    redisAsyncCommand(r->ac, on_sub_reply, r, "SUBSCRIBE %s", PROBE_CHANNEL);
  else
    redisAsyncCommand(r->ac, on_probe_reply, r, "PING");
}

static void on_connect_timeout(uv_timer_t *t) {
  braid_redis_t *r = t->data;
  redisAsyncContext *ac = r->ac;
  if (ac == NULL || r->connected) return;
  BRAID_LOGW("redis", "%s: cannot connect to %s:%d: timed out", r->name, r->url.host, r->url.port);
  r->ac = NULL;
  redisAsyncFree(ac); /* not connected: no disconnect callback */
  schedule_reconnect(r);
}

static void schedule_reconnect(braid_redis_t *r) {
  if (r->closing) return;
  uv_timer_start(&r->reconnect_timer, on_reconnect_timer, r->backoff_ms, 0);
  r->backoff_ms = r->backoff_ms * 2 > RECONNECT_MAX_MS ? RECONNECT_MAX_MS : r->backoff_ms * 2;
}

static void on_connect(const redisAsyncContext *ac, int status) {
  braid_redis_t *r = ac->data;
  uv_timer_stop(&r->reconnect_timer); /* the connect timeout */
  if (status != REDIS_OK) {
    BRAID_LOGW("redis", "%s: cannot connect to %s:%d: %s", r->name, r->url.host, r->url.port,
               ac->errstr);
    r->ac = NULL; /* hiredis frees the context after this callback */
    schedule_reconnect(r);
    return;
  }
  r->connected = true;
  r->backoff_ms = RECONNECT_MIN_MS;
  r->probe_sent_ms = 0;
  BRAID_LOGI("redis", "%s: connected to %s:%d", r->name, r->url.host, r->url.port);
  if (r->url.password[0] != '\0') redisAsyncCommand(r->ac, NULL, NULL, "AUTH %s", r->url.password);
  if (r->url.db != 0) redisAsyncCommand(r->ac, NULL, NULL, "SELECT %d", r->url.db);
  if (r->cbs->on_connect) r->cbs->on_connect(r, r->user_data);
}

static void on_disconnect(const redisAsyncContext *ac, int status) {
  braid_redis_t *r = ac->data;
  bool was_connected = r->connected;
  r->ac = NULL;
  r->connected = false;
  if (r->closing) return;
  BRAID_LOGW("redis", "%s: connection lost (%s)", r->name,
             status == REDIS_OK ? "closed" : ac->errstr);
  if (was_connected && r->cbs->on_disconnect) r->cbs->on_disconnect(r, r->user_data);
  schedule_reconnect(r);
}

static void start_connect(braid_redis_t *r) {
  if (r->closing) return;
  BRAID_LOGD("redis", "%s: connecting to %s:%d", r->name, r->url.host, r->url.port);
  redisAsyncContext *ac = redisAsyncConnect(r->url.host, r->url.port);
  if (ac == NULL || ac->err) {
    BRAID_LOGW("redis", "%s: connect to %s:%d failed: %s", r->name, r->url.host, r->url.port,
               ac ? ac->errstr : "out of memory");
    if (ac) redisAsyncFree(ac);
    schedule_reconnect(r);
    return;
  }
  ac->data = r;
  r->ac = ac;
  redisLibuvAttach(ac, r->loop);
  redisAsyncSetConnectCallback(ac, on_connect);
  redisAsyncSetDisconnectCallback(ac, on_disconnect);
  /* hiredis 0.14 learns how a non-blocking connect ended only when it polls
   * for writing, which it does once a command is queued: without this, a
   * refused connection would never be reported (nor retried). */
  redisAsyncCommand(ac, NULL, NULL, "PING");
  uv_timer_start(&r->reconnect_timer, on_connect_timeout, CONNECT_TIMEOUT_MS, 0);
}

int braid_redis_new(braid_redis_t **out, uv_loop_t *loop, const braid_redis_url_t *url,
                    const char *name, const braid_redis_callbacks_t *cbs, void *user_data) {
  braid_redis_t *r = braid_calloc(1, sizeof *r);
  if (r == NULL) return BRAID_ENOMEM;
  r->loop = loop;
  r->url = *url;
  snprintf(r->name, sizeof r->name, "%s", name);
  r->cbs = cbs;
  r->user_data = user_data;
  r->backoff_ms = RECONNECT_MIN_MS;
  uv_timer_init(loop, &r->reconnect_timer);
  r->reconnect_timer.data = r;
  uv_timer_init(loop, &r->probe_timer);
  r->probe_timer.data = r;
  uv_timer_start(&r->probe_timer, on_probe_timer, PROBE_INTERVAL_MS, PROBE_INTERVAL_MS);
  start_connect(r);
  *out = r;
  return 0;
}

/* The two timers close one after the other; the second frees r. */
static void on_timer_closed(uv_handle_t *h) { braid_free(h->data); }
static void on_probe_timer_closed(uv_handle_t *h) {
  braid_redis_t *r = h->data;
  uv_close((uv_handle_t *)&r->reconnect_timer, on_timer_closed);
}

void braid_redis_free(braid_redis_t *r) {
  if (r == NULL || r->closing) return;
  r->closing = true;
  if (r->ac != NULL) {
    redisAsyncContext *ac = r->ac;
    r->ac = NULL;
    redisAsyncFree(ac); /* deferred by hiredis when called from its callback */
  }
  uv_timer_stop(&r->reconnect_timer);
  uv_timer_stop(&r->probe_timer);
  uv_close((uv_handle_t *)&r->probe_timer, on_probe_timer_closed);
}

bool braid_redis_connected(const braid_redis_t *r) { return r->connected && !r->closing; }

static void trampoline(redisAsyncContext *ac, void *reply, void *privdata) {
  pending_t *pd = privdata;
  (void)ac;
  if (pd == NULL) return;
  /* After braid_redis_free() pending callbacks still run, with NULL, so
   * their owners can release what they passed as user_data. */
  if (pd->cb) pd->cb(pd->r, pd->r->closing ? NULL : reply, pd->user_data);
  braid_free(pd);
}

static pending_t *pending_new(braid_redis_t *r, braid_redis_reply_cb cb, void *user_data) {
  pending_t *pd = braid_xmalloc(sizeof *pd);
  pd->r = r;
  pd->cb = cb;
  pd->user_data = user_data;
  return pd;
}

int braid_redis_cmd(braid_redis_t *r, braid_redis_reply_cb cb, void *user_data, const char *fmt,
                    ...) {
  if (!braid_redis_connected(r)) return BRAID_ECLOSED;
  pending_t *pd = pending_new(r, cb, user_data);
  va_list ap;
  va_start(ap, fmt);
  int rc = redisvAsyncCommand(r->ac, trampoline, pd, fmt, ap);
  va_end(ap);
  if (rc != REDIS_OK) {
    braid_free(pd);
    return BRAID_ECLOSED;
  }
  return 0;
}

int braid_redis_cmd_argv(braid_redis_t *r, braid_redis_reply_cb cb, void *user_data, int argc,
                         const char **argv, const size_t *lens) {
  if (!braid_redis_connected(r)) return BRAID_ECLOSED;
  pending_t *pd = pending_new(r, cb, user_data);
  if (redisAsyncCommandArgv(r->ac, trampoline, pd, argc, argv, lens) != REDIS_OK) {
    braid_free(pd);
    return BRAID_ECLOSED;
  }
  return 0;
}

/* Subscription callback: privdata is the connection itself, which outlives
 * the hiredis context, so hiredis may call it any number of times. */
static void on_sub_reply(redisAsyncContext *ac, void *reply, void *privdata) {
  braid_redis_t *r = privdata;
  redisReply *rep = reply;
  (void)ac;
  if (rep == NULL || r->closing || rep->type != REDIS_REPLY_ARRAY || rep->elements != 3) return;
  if (rep->element[0]->type != REDIS_REPLY_STRING) return;
  if (strcmp(rep->element[0]->str, "subscribe") == 0) {
    r->probe_sent_ms = 0; /* any subscription answered: the connection works */
    return;
  }
  if (strcmp(rep->element[0]->str, "message") != 0) return;
  if (rep->element[1]->type != REDIS_REPLY_STRING || rep->element[2]->type != REDIS_REPLY_STRING)
    return;
  if (r->cbs->on_message)
    r->cbs->on_message(r, rep->element[1]->str, rep->element[2]->str, rep->element[2]->len,
                       r->user_data);
}

int braid_redis_subscribe(braid_redis_t *r, const char *channel) {
  if (!braid_redis_connected(r)) return BRAID_ECLOSED;
  r->subscriber = true;
  return redisAsyncCommand(r->ac, on_sub_reply, r, "SUBSCRIBE %s", channel) == REDIS_OK
             ? 0
             : BRAID_ECLOSED;
}

int braid_redis_unsubscribe(braid_redis_t *r, const char *channel) {
  if (!braid_redis_connected(r)) return BRAID_ECLOSED;
  return redisAsyncCommand(r->ac, on_sub_reply, r, "UNSUBSCRIBE %s", channel) == REDIS_OK
             ? 0
             : BRAID_ECLOSED;
}
