#include "controller/api/api_req.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/mem.h"
#include "controller/cluster/bcast_store.h"
#include "controller/room/request.h"
#include "controller/room/room_router.h"

braid_api_req_t *braid_api_req_new(braid_ctl_t *ctl, braid_http_req_t *http) {
  braid_api_req_t *rq = braid_xcalloc(1, sizeof *rq);
  rq->ctl = ctl;
  rq->http = http;
  return rq;
}

static void req_free(braid_api_req_t *rq) {
  if (rq->extra_free) rq->extra_free(rq->extra);
  json_decref(rq->body);
  json_decref(rq->peer);
  json_decref(rq->transport);
  braid_free(rq);
}

static void respond_json(braid_http_req_t *http, int status, json_t *body) {
  char *text = json_dumps(body, JSON_COMPACT);
  if (text == NULL) {
    static const char oom[] = "{\"error\":\"internal error\"}";
    braid_http_respond(http, 500, "application/json", oom, sizeof oom - 1);
    return;
  }
  braid_http_respond(http, status, "application/json", text, strlen(text));
  free(text);
}

void braid_api_ok(braid_api_req_t *rq, int status, json_t *body) {
  if (body == NULL) body = json_object();
  respond_json(rq->http, status, body);
  json_decref(body);
  req_free(rq);
}

void braid_api_fail(braid_api_req_t *rq, int status, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_t *body = json_pack("{ss}", "error", msg);
  if (body == NULL) body = json_pack("{ss}", "error", "invalid request"); /* msg not UTF-8 */
  respond_json(rq->http, status, body);
  json_decref(body);
  req_free(rq);
}

int braid_api_status(int err) {
  switch (err) {
  case BRAID_ESTATE:
  case BRAID_EEXIST: return 409;
  case BRAID_ENOTFOUND: return 404;
  case BRAID_EINVAL:
  case BRAID_EMALFORMED:
  case BRAID_ETOOBIG: return 400;
  case BRAID_ENONODE:
  case BRAID_ECLOSED: return 503;
  case BRAID_ETIMEDOUT: return 504;
  default: return 500;
  }
}

/* ---- loading ------------------------------------------------------------ */

static void on_peer(int err, const char *reason, json_t *rec, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  if (!json_is_object(rec) || !json_is_true(json_object_get(rec, "broadcaster"))) {
    braid_api_fail(rq, 404, "broadcaster with id \"%s\" does not exist", rq->peer_id);
    return;
  }
  rq->peer = json_incref(rec);
  rq->next(rq);
}

void braid_api_load_peer(braid_api_req_t *rq, void (*next)(braid_api_req_t *rq)) {
  rq->next = next;
  braid_store_bcast_get(rq->ctl, rq->room_id, rq->peer_id, on_peer, rq);
}

static void on_transport(int err, const char *reason, json_t *rec, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  const char *owner = json_string_value(json_object_get(rec, "peerId"));
  const char *node = json_string_value(json_object_get(rec, "node"));
  const char *router = json_string_value(json_object_get(rec, "router"));
  if (!json_is_object(rec) || owner == NULL || strcmp(owner, rq->peer_id) != 0 || node == NULL ||
      router == NULL) {
    braid_api_fail(rq, 404, "transport with id \"%s\" does not exist", rq->transport_id);
    return;
  }
  rq->transport = json_incref(rec);
  snprintf(rq->node_id, sizeof rq->node_id, "%s", node);
  snprintf(rq->router_id, sizeof rq->router_id, "%s", router);
  rq->then(rq);
}

static void transport_after_peer(braid_api_req_t *rq) {
  braid_store_transport_get(rq->ctl, rq->room_id, rq->transport_id, on_transport, rq);
}

void braid_api_load_transport(braid_api_req_t *rq, void (*next)(braid_api_req_t *rq)) {
  rq->then = next;
  braid_api_load_peer(rq, transport_after_peer);
}

/* ---- the room's router ------------------------------------------------------ */

static void on_router(int err, const char *reason, const char *node_id, const char *router_id,
                      void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  snprintf(rq->node_id, sizeof rq->node_id, "%s", node_id);
  snprintf(rq->router_id, sizeof rq->router_id, "%s", router_id);
  rq->next(rq);
}

void braid_api_with_router(braid_api_req_t *rq, void (*next)(braid_api_req_t *rq)) {
  rq->next = next;
  braid_room_router_ensure(rq->ctl, rq->room_id, rq->peer_id, on_router, rq);
}
