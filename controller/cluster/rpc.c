#include "controller/cluster/rpc.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"

/* Appends to a node's stream only while the node is alive, so commands are
 * never queued for a dead node (and its stream is not re-created).
 * KEYS[1] node key, KEYS[2] stream; ARGV[1] max length, ARGV[2] message. */
static const char xadd_if_alive[] =
    "if redis.call('EXISTS', KEYS[1]) == 0 then return false end "
    "return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2])";

typedef struct call {
  braid_rpc_t *rpc; /* borrowed */
  uint64_t id;
  braid_rpc_cb cb;
  void *user_data;
  uv_timer_t timer;
  int err; /* set when the call failed before a reply could come */
} call_t;

struct braid_rpc {
  braid_ctl_t *ctl; /* borrowed */
  braid_map_t *calls; /* id (8 bytes) -> call_t */
  uint64_t next_id;
  uint64_t bad_replies;
  braid_buf_t enc;
};

static void on_call_closed(uv_handle_t *h) { braid_free(h->data); }

/* Removes the call from the table and ends it with one callback. */
static void finish(call_t *c, int err, const braid_reply_t *reply) {
  braid_map_del(c->rpc->calls, (const char *)&c->id, sizeof c->id);
  uv_timer_stop(&c->timer);
  braid_rpc_cb cb = c->cb;
  c->cb = NULL;
  uv_close((uv_handle_t *)&c->timer, on_call_closed);
  if (cb) cb(err, reply, c->user_data);
}

static void on_timer(uv_timer_t *t) {
  call_t *c = t->data;
  finish(c, c->err ? c->err : BRAID_ETIMEDOUT, NULL);
}

static void fail_soon(call_t *c, int err) {
  c->err = err;
  uv_timer_stop(&c->timer);
  uv_timer_start(&c->timer, on_timer, 0, 0);
}

typedef struct xadd_ctx {
  braid_rpc_t *rpc;
  uint64_t id;
} xadd_ctx_t;

static void on_xadd_reply(braid_redis_t *r, redisReply *reply, void *ud) {
  xadd_ctx_t *x = ud; /* carries the call id, not the call: it may have ended already */
  call_t *c = braid_map_get(x->rpc->calls, (const char *)&x->id, sizeof x->id);
  (void)r;
  if (c != NULL) {
    if (reply == NULL) fail_soon(c, BRAID_ECLOSED);
    else if (reply->type == REDIS_REPLY_NIL) fail_soon(c, BRAID_ENONODE);
    else if (reply->type == REDIS_REPLY_ERROR) {
      BRAID_LOGE("rpc", "XADD failed: %s", reply->str);
      fail_soon(c, BRAID_EIO);
    }
  }
  braid_free(x);
}

braid_rpc_t *braid_rpc_new(braid_ctl_t *ctl) {
  braid_rpc_t *rpc = braid_xcalloc(1, sizeof *rpc);
  rpc->ctl = ctl;
  rpc->calls = braid_map_new();
  BRAID_ASSERT(rpc->calls != NULL);
  braid_buf_init(&rpc->enc, BRAID_PROTO_MAX_MSG);
  return rpc;
}

void braid_rpc_free(braid_rpc_t *rpc) {
  if (rpc == NULL) return;
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, rpc->calls);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) finish(v, BRAID_ECLOSED, NULL);
  braid_map_free(rpc->calls);
  braid_buf_cleanup(&rpc->enc);
  braid_free(rpc);
}

void braid_rpc_call(braid_rpc_t *rpc, const char *node_id, braid_cmd_t *cmd, braid_rpc_cb cb,
                    void *user_data) {
  braid_ctl_t *ctl = rpc->ctl;
  call_t *c = braid_xcalloc(1, sizeof *c);
  c->rpc = rpc;
  c->id = ++rpc->next_id;
  c->cb = cb;
  c->user_data = user_data;
  uv_timer_init(ctl->loop, &c->timer);
  c->timer.data = c;
  BRAID_ASSERT(braid_map_put(rpc->calls, (const char *)&c->id, sizeof c->id, c) == 0);
  uv_timer_start(&c->timer, on_timer, (uint64_t)ctl->config->request_timeout_ms, 0);

  cmd->id = c->id;
  cmd->reply_to = braid_str_c(ctl->id);
  cmd->deadline_ms = braid_clock_wall_ms() + ctl->config->request_timeout_ms;
  braid_buf_reset(&rpc->enc);
  int rc = braid_cmd_encode(cmd, &rpc->enc);
  if (rc != 0) {
    BRAID_LOGE("rpc", "cannot encode %s: %s", braid_cmd_type_name(cmd->type), braid_strerror(rc));
    fail_soon(c, rc);
    return;
  }
  char node_key[256], stream[256], maxlen[16];
  braid_ctl_key(ctl, node_key, sizeof node_key, "node:%s", node_id);
  braid_ctl_key(ctl, stream, sizeof stream, "node:%s:cmd", node_id);
  snprintf(maxlen, sizeof maxlen, "%d", BRAID_NODE_CMD_STREAM_MAXLEN);
  xadd_ctx_t *x = braid_xmalloc(sizeof *x);
  x->rpc = rpc;
  x->id = c->id;
  const char *argv[] = {"EVAL", xadd_if_alive, "2", node_key, stream, maxlen, (const char *)rpc->enc.data};
  size_t lens[] = {4, sizeof xadd_if_alive - 1, 1, strlen(node_key), strlen(stream), strlen(maxlen),
                   rpc->enc.len};
  if (braid_redis_cmd_argv(ctl->redis, on_xadd_reply, x, 7, argv, lens) != 0) {
    braid_free(x);
    fail_soon(c, BRAID_ECLOSED);
  }
}

void braid_rpc_on_reply(braid_rpc_t *rpc, const uint8_t *data, size_t len) {
  braid_reply_t reply;
  const char *why = NULL;
  int rc = braid_reply_decode(&reply, data, len, &why);
  if (rc != 0) {
    rpc->bad_replies++;
    BRAID_LOGW("rpc", "dropped malformed reply: %s (%s)", braid_strerror(rc), why ? why : "-");
    return;
  }
  call_t *c = braid_map_get(rpc->calls, (const char *)&reply.id, sizeof reply.id);
  if (c == NULL) {
    BRAID_LOGD("rpc", "reply to unknown or expired call %llu", (unsigned long long)reply.id);
    return;
  }
  finish(c, 0, &reply);
}

uint64_t braid_rpc_bad_replies(const braid_rpc_t *rpc) { return rpc->bad_replies; }
