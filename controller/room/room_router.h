/*
 * A peer's router, made sure of: the room's router on the node the peer is
 * placed on (store.h's claim: the node it had, or one chosen by load and
 * capacity), created there (router.create is idempotent: whoever placed
 * it, every user makes sure it exists). Shared by the protoo requests
 * (request.h) and the broadcaster API (api/).
 */
#ifndef BRAID_CONTROLLER_ROOM_ROOM_ROUTER_H
#define BRAID_CONTROLLER_ROOM_ROOM_ROUTER_H

#include "controller/ctl.h"

/* err 0: node_id and router_id (borrowed for the call) name the router.
 * Otherwise err is the cluster's code (BRAID_ENONODE, BRAID_ECLOSED,
 * BRAID_ETIMEDOUT, or BRAID_EINTERNAL when the node refused) and reason
 * the client-facing message. */
typedef void (*braid_room_router_cb)(int err, const char *reason, const char *node_id,
                                     const char *router_id, void *user_data);

void braid_room_router_ensure(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              braid_room_router_cb cb, void *user_data);

#endif
