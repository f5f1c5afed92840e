/*
 * Internal to controller/api/: one broadcaster API request on its way
 * through Redis and the media nodes. Every step either calls the next or
 * answers; answering frees the context (and answers the HTTP request
 * exactly once, http_req.h).
 *
 * Errors are JSON, {"error": "<what was wrong>"}, with the HTTP status:
 * 400 for a malformed or invalid request, 404 for an unknown room member,
 * transport, producer or consumer, 409 for a state conflict (a broadcaster
 * id taken, a transport connected twice), 500/503 for our own failures.
 */
#ifndef BRAID_CONTROLLER_API_API_REQ_H
#define BRAID_CONTROLLER_API_API_REQ_H

#include <jansson.h>

#include "common/limits.h"
#include "controller/ctl.h"
#include "controller/net/http_req.h"

typedef struct braid_api_req {
  braid_ctl_t *ctl;
  braid_http_req_t *http; /* owned until answered */
  json_t *body;           /* owned: the request's JSON object ({} when it had no body) */
  bool current;           /* a route of the current demo (TS) API rather than the legacy one */
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char peer_id[BRAID_PEER_ID_MAX + 1];
  char transport_id[BRAID_ID_MAX + 1];
  char object_id[BRAID_ID_MAX + 1]; /* a consumer or producer id from the path or query */
  json_t *peer;      /* owned: the broadcaster's record, once loaded */
  json_t *transport; /* owned: the transport's record, once loaded */
  char node_id[BRAID_ID_MAX + 1];
  char router_id[BRAID_ID_MAX + 1];
  void *extra;                    /* owned by the step that set it */
  void (*extra_free)(void *extra);
  void (*next)(struct braid_api_req *rq); /* the step after the peer's load */
  void (*then)(struct braid_api_req *rq); /* the step after the transport's load */
} braid_api_req_t;

braid_api_req_t *braid_api_req_new(braid_ctl_t *ctl, braid_http_req_t *http);
/* Answers with status and body (taken; NULL for an empty {} body), frees rq. */
void braid_api_ok(braid_api_req_t *rq, int status, json_t *body);
/* Answers {"error": msg} with status, frees rq. */
void braid_api_fail(braid_api_req_t *rq, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Loads the broadcaster rq->peer_id of rq->room_id into rq->peer, then
 * runs next; answers 404 when there is no such broadcaster. */
void braid_api_load_peer(braid_api_req_t *rq, void (*next)(braid_api_req_t *rq));
/* Loads the broadcaster, then its transport rq->transport_id into
 * rq->transport (and rq->node_id, rq->router_id), then runs next; 404 when
 * either is unknown or the transport is another peer's. */
void braid_api_load_transport(braid_api_req_t *rq, void (*next)(braid_api_req_t *rq));

/* Makes sure the room has a router on a live node (placing one when it has
 * none), sets rq->node_id and rq->router_id, then runs next. */
void braid_api_with_router(braid_api_req_t *rq, void (*next)(braid_api_req_t *rq));

/* The status for a store or node error code. */
int braid_api_status(int err);

#endif
