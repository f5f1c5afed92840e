#include "controller/cluster/store.h"

#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/store_scripts.h"

typedef struct op {
  braid_store_router_cb router_cb;
  braid_store_json_cb json_cb;
  void *user_data;
  bool json_text; /* the script returns JSON text to parse */
} op_t;

static op_t *op_new(braid_store_router_cb rcb, braid_store_json_cb jcb, void *ud, bool json_text) {
  op_t *op = braid_xcalloc(1, sizeof *op);
  op->router_cb = rcb;
  op->json_cb = jcb;
  op->user_data = ud;
  op->json_text = json_text;
  return op;
}

/* Runs a script with no KEYS and the given ARGV (C strings). */
static void eval(braid_ctl_t *ctl, const char *script, const char **args, int nargs,
                 braid_redis_reply_cb cb, op_t *op) {
  const char *argv[16];
  BRAID_ASSERT(nargs + 3 <= (int)(sizeof argv / sizeof argv[0]));
  argv[0] = "EVAL";
  argv[1] = script;
  argv[2] = "0";
  for (int i = 0; i < nargs; i++) {
    if (args[i] == NULL) { /* a bug of ours (e.g. a failed json_dumps): never send it */
      BRAID_LOGE("store", "script argument %d is missing", i);
      cb(ctl->redis, NULL, op);
      return;
    }
    argv[3 + i] = args[i];
  }
  if (braid_redis_cmd_argv(ctl->redis, cb, op, nargs + 3, argv, NULL) != 0) cb(ctl->redis, NULL, op);
}

static void on_router_reply(braid_redis_t *r, redisReply *reply, void *ud) {
  op_t *op = ud;
  (void)r;
  if (reply == NULL) {
    op->router_cb(BRAID_ECLOSED, NULL, NULL, op->user_data);
  } else if (reply->type == REDIS_REPLY_NIL) {
    op->router_cb(BRAID_ENONODE, NULL, NULL, op->user_data);
  } else if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
             reply->element[0]->type == REDIS_REPLY_STRING &&
             reply->element[1]->type == REDIS_REPLY_STRING) {
    op->router_cb(0, reply->element[0]->str, reply->element[1]->str, op->user_data);
  } else if (reply->type == REDIS_REPLY_ERROR && strstr(reply->str, "nodes full") != NULL) {
    op->router_cb(BRAID_ELIMIT, NULL, NULL, op->user_data);
  } else {
    BRAID_LOGE("store", "claim_router: unexpected reply (%s)",
               reply->type == REDIS_REPLY_ERROR ? reply->str : "type");
    op->router_cb(BRAID_EIO, NULL, NULL, op->user_data);
  }
  braid_free(op);
}

static void on_json_reply(braid_redis_t *r, redisReply *reply, void *ud) {
  op_t *op = ud;
  (void)r;
  if (op->json_cb == NULL) { /* fire and forget: only say what went wrong */
    if (reply != NULL && reply->type == REDIS_REPLY_ERROR)
      BRAID_LOGW("store", "script failed: %s", reply->str);
  } else if (reply == NULL) {
    op->json_cb(BRAID_ECLOSED, "redis unavailable", NULL, op->user_data);
  } else if (reply->type == REDIS_REPLY_ERROR) {
    /* Script errors we raise on purpose are state errors; say them as is. */
    const char *msg = reply->str;
    bool ours = strcmp(msg, "peer replaced") == 0 || strcmp(msg, "Peer already joined") == 0 ||
                strcmp(msg, "room closed") == 0 || strcmp(msg, "peer closed") == 0 ||
                strcmp(msg, "peer exists") == 0 || strncmp(msg, "too many ", 9) == 0;
    if (!ours) BRAID_LOGE("store", "script failed: %s", msg);
    op->json_cb(ours ? BRAID_ESTATE : BRAID_EIO, ours ? msg : "internal error", NULL,
                op->user_data);
  } else if (reply->type == REDIS_REPLY_NIL) {
    op->json_cb(0, NULL, NULL, op->user_data);
  } else if (reply->type == REDIS_REPLY_STRING) {
    json_error_t jerr;
    json_t *j = json_loadb(reply->str, reply->len, 0, &jerr);
    if (j == NULL) {
      BRAID_LOGE("store", "bad JSON from Redis: %s", jerr.text);
      op->json_cb(BRAID_EIO, "internal error", NULL, op->user_data);
    } else {
      op->json_cb(0, NULL, j, op->user_data);
      json_decref(j);
    }
  } else {
    op->json_cb(BRAID_EIO, "internal error", NULL, op->user_data);
  }
  braid_free(op);
}

void braid_store_claim_router(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              const char *new_router_id, braid_store_router_cb cb,
                              void *user_data) {
  char now[24];
  snprintf(now, sizeof now, "%lld", (long long)braid_clock_wall_ms());
  const char *args[] = {ctl->config->prefix,    room_id, new_router_id, now, peer_id ? peer_id : "",
                        BRAID_STORE_RESERVE_TTL_MS};
  eval(ctl, braid_lua_claim_router, args, 6, on_router_reply, op_new(cb, NULL, user_data, false));
}

void braid_store_consumer_placed(braid_ctl_t *ctl, const char *node_id) {
  const char *args[] = {ctl->config->prefix, node_id};
  eval(ctl, braid_lua_consumer_placed, args, 2, on_json_reply, op_new(NULL, NULL, NULL, true));
}

void braid_store_peer_connect(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              const char *record, braid_store_json_cb cb, void *user_data) {
  char now[24];
  snprintf(now, sizeof now, "%lld", (long long)braid_clock_wall_ms());
  const char *args[] = {ctl->config->prefix, room_id, peer_id, record, now};
  eval(ctl, braid_lua_peer_connect, args, 5, on_json_reply, op_new(NULL, cb, user_data, true));
}

void braid_store_peer_join(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                           const char *conn, const char *record, braid_store_json_cb cb,
                           void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, peer_id, ctl->id, conn, record};
  eval(ctl, braid_lua_peer_join, args, 6, on_json_reply, op_new(NULL, cb, user_data, true));
}

void braid_store_peer_leave(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                            const char *conn, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, peer_id, ctl->id, conn};
  eval(ctl, braid_lua_peer_leave, args, 5, on_json_reply, op_new(NULL, cb, user_data, true));
}

void braid_store_node_info(braid_ctl_t *ctl, const char *node_id, braid_store_json_cb cb,
                           void *user_data) {
  const char *args[] = {ctl->config->prefix, node_id};
  eval(ctl, braid_lua_node_info, args, 2, on_json_reply, op_new(NULL, cb, user_data, true));
}

void braid_store_transport_put(braid_ctl_t *ctl, const char *room_id, const char *transport_id,
                               const char *record, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, transport_id, record};
  eval(ctl, braid_lua_transport_put, args, 4, on_json_reply, op_new(NULL, cb, user_data, true));
}

void braid_store_transport_get(braid_ctl_t *ctl, const char *room_id, const char *transport_id,
                               braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, transport_id};
  eval(ctl, braid_lua_transport_get, args, 3, on_json_reply, op_new(NULL, cb, user_data, true));
}

void braid__store_eval_json(braid_ctl_t *ctl, const char *script, const char **args, int nargs,
                            braid_store_json_cb cb, void *user_data) {
  eval(ctl, script, args, nargs, on_json_reply, op_new(NULL, cb, user_data, true));
}
