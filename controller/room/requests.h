/* protoo requests and notifications from peers, method by method. */
#ifndef BRAID_CONTROLLER_ROOM_REQUESTS_H
#define BRAID_CONTROLLER_ROOM_REQUESTS_H

#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"

/* Handles one request; always ends in exactly one response (maybe later). */
void braid_requests_handle(braid_ctl_t *ctl, braid_peer_t *peer, const braid_protoo_msg_t *req);
/* Handles one notification (no response). */
void braid_requests_notify(braid_ctl_t *ctl, braid_peer_t *peer, const braid_protoo_msg_t *msg);

#endif
