#include "controller/room/request.h"

#include <stdio.h>

#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/store.h"
#include "proto/reply.h"
#include "controller/room/room_router.h"

braid_req_t *braid_req_new(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req,
                           const char *method) {
  braid_req_t *rq = braid_xcalloc(1, sizeof *rq);
  rq->ctl = ctl;
  rq->conn_id = p->conn_id;
  rq->id = json_incref(req->id);
  rq->data = json_incref(req->data);
  rq->method = method;
  snprintf(rq->room_id, sizeof rq->room_id, "%s", p->room_id);
  return rq;
}

void braid_req_free(braid_req_t *rq) {
  json_decref(rq->id);
  json_decref(rq->data);
  braid_free(rq);
}

braid_peer_t *braid_req_peer(braid_req_t *rq) { return braid_rooms_find_peer(rq->ctl->rooms, rq->conn_id); }

void braid_reply_ok(braid_peer_t *p, const json_t *id, json_t *data) {
  if (id == NULL) { /* a notification: nothing to answer */
    json_decref(data);
    return;
  }
  braid_peer_send(p, braid_protoo_response(id, data));
}

void braid_reply_error(braid_peer_t *p, const json_t *id, int code, const char *reason) {
  if (id == NULL) { /* a notification: the client cannot hear it, the log can */
    BRAID_LOGI("room", "peer %s: notification refused (%d): %s", p->peer_id, code, reason);
    return;
  }
  braid_peer_send(p, braid_protoo_error(id, code, reason));
}

void braid_req_ok(braid_req_t *rq, json_t *data) {
  braid_peer_t *p = braid_req_peer(rq);
  if (p != NULL) braid_reply_ok(p, rq->id, data);
  else json_decref(data);
  braid_req_free(rq);
}

void braid_req_fail(braid_req_t *rq, int code, const char *reason) {
  braid_peer_t *p = braid_req_peer(rq);
  if (p != NULL) {
    p->joining = false; /* a join that failed may be retried */
    braid_reply_error(p, rq->id, code, reason);
  }
  braid_req_free(rq);
}

const char *braid_req_node_reason(int err, const braid_reply_t *reply, const char *prefix,
                                  char *buf, size_t len) {
  if (err != 0) snprintf(buf, len, "%s", braid_req_cluster_reason(err));
  else snprintf(buf, len, "%s%.*s", prefix, (int)reply->reason.len, reply->reason.p);
  return buf;
}

const char *braid_req_cluster_reason(int err) {
  switch (err) {
  case BRAID_ENONODE: return "no media node available";
  case BRAID_ETIMEDOUT: return "media node did not answer in time";
  case BRAID_ELIMIT: return "all media nodes are full";
  case BRAID_ECLOSED: return "redis unavailable";
  default: return braid_strerror(err);
  }
}

static void on_router(int err, const char *reason, const char *node_id, const char *router_id,
                      void *ud) {
  braid_req_t *rq = ud;
  if (err != 0) {
    braid_req_fail(rq, 500, reason);
    return;
  }
  snprintf(rq->node_id, sizeof rq->node_id, "%s", node_id);
  snprintf(rq->router_id, sizeof rq->router_id, "%s", router_id);
  rq->then(rq);
}

void braid_req_with_router(braid_req_t *rq, void (*then)(braid_req_t *rq)) {
  braid_peer_t *p = braid_req_peer(rq);
  rq->then = then;
  braid_room_router_ensure(rq->ctl, rq->room_id, p != NULL ? p->peer_id : NULL, on_router, rq);
}
