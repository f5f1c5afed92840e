/*
 * Internal to controller/room/: a protoo request that waits on Redis or a
 * media node. It names its peer by socket id, because the peer may have gone
 * when the answer comes; every step looks the peer up again.
 */
#ifndef BRAID_CONTROLLER_ROOM_REQUEST_H
#define BRAID_CONTROLLER_ROOM_REQUEST_H

#include <jansson.h>

#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"

typedef struct braid_req {
  braid_ctl_t *ctl;
  uint64_t conn_id;
  json_t *id;         /* owned reference: the protoo request id; NULL for a notification */
  json_t *data;       /* owned reference: the request data */
  const char *method; /* static: the method name as we dispatched it */
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char node_id[BRAID_ID_MAX + 1];   /* the room's router: node */
  char router_id[BRAID_ID_MAX + 1]; /* the room's router: id */
  char transport_id[BRAID_ID_MAX + 1];
  void (*then)(struct braid_req *rq); /* next step once the router is ready */
  /* next step once a stored record (e.g. the transport's) is loaded */
  void (*then_record)(struct braid_req *rq, json_t *record);
  void *extra;                        /* owned by the step that set it */
} braid_req_t;

/* Starts a request context for req from peer p. */
braid_req_t *braid_req_new(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req,
                           const char *method);
void braid_req_free(braid_req_t *rq);
/* The request's peer, or NULL when its socket has closed. */
braid_peer_t *braid_req_peer(braid_req_t *rq);

/* Answer and free the request (nothing is sent when the peer has gone). */
void braid_req_ok(braid_req_t *rq, json_t *data /* taken */);
void braid_req_fail(braid_req_t *rq, int code, const char *reason);

/* The client-facing reason for a cluster error code. */
const char *braid_req_cluster_reason(int err);

/* The client-facing reason of a failed node command (err from the rpc, or
 * reply not ok): the cluster's reason, or prefix and the node's own. Writes
 * into buf (truncated to len) and returns it. */
struct braid_reply;
const char *braid_req_node_reason(int err, const struct braid_reply *reply, const char *prefix,
                                  char *buf, size_t len);

/* Makes sure the room has a router on a live node (placing one when it has
 * none), sets rq->node_id and rq->router_id, then runs then(rq); fails the
 * request on error. */
void braid_req_with_router(braid_req_t *rq, void (*then)(braid_req_t *rq));

/* Immediate answers for a request that needs no context. id NULL stands for
 * a notification (the current dialect sends some methods that way, §2.7):
 * nothing is sent, and an error is logged instead. */
void braid_reply_ok(braid_peer_t *p, const json_t *id, json_t *data /* taken */);
void braid_reply_error(braid_peer_t *p, const json_t *id, int code, const char *reason);

#endif
