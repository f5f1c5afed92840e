/*
 * This controller's view of rooms: its open peers, grouped by room, and the
 * room event channels it follows. Everything shared lives in Redis (store.h);
 * this registry holds only what is tied to our sockets.
 *
 * A peer exists from WebSocket open to close. Joining, leaving and the room's
 * router go through Redis scripts; what other peers must learn (newPeer,
 * peerClosed) travels as room events, so peers on every controller hear it.
 */
#ifndef BRAID_CONTROLLER_ROOM_ROOMS_H
#define BRAID_CONTROLLER_ROOM_ROOMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/limits.h"
#include "controller/ctl.h"
#include "controller/net/ws_server.h"
#include "controller/room/peer_media.h"

typedef struct braid_room braid_room_t;

typedef struct braid_peer {
  uint64_t conn_id;                    /* the socket's id */
  char conn_str[24];                   /* conn_id as text, as stored in Redis */
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char peer_id[BRAID_PEER_ID_MAX + 1];
  char remote_address[64];
  braid_dialect_t dialect;
  bool joined;
  bool joining;       /* a join is in flight */
  bool replaced;      /* a newer socket took this peer id: leave Redis alone */
  braid_room_t *room; /* borrowed: the local room it belongs to */
  braid_ws_conn_t *conn; /* borrowed: valid until on_close */
  braid_peer_media_t media; /* owned: caps, transports, producers, consumers */
  json_t *join_peers; /* owned: peer id -> "<ctl>/<conn>" of each peer the join answer
                       * named, whose peer.joined event may still be on its way */
} braid_peer_t;

braid_rooms_t *braid_rooms_new(braid_ctl_t *ctl);
void braid_rooms_free(braid_rooms_t *rooms);

/* WebSocket server hooks. */
void braid_rooms_on_open(braid_rooms_t *rooms, braid_ws_conn_t *c);
void braid_rooms_on_message(braid_rooms_t *rooms, braid_ws_conn_t *c, const char *text, size_t len);
void braid_rooms_on_close(braid_rooms_t *rooms, braid_ws_conn_t *c);

/* A message on one of our room channels. */
void braid_rooms_on_event(braid_rooms_t *rooms, const uint8_t *data, size_t len);
/* Re-subscribes every room channel (after the subscriber reconnected). */
void braid_rooms_resubscribe(braid_rooms_t *rooms);
size_t braid_rooms_peer_count(const braid_rooms_t *rooms);

/* Finds an open peer by socket id (NULL when it has gone). */
braid_peer_t *braid_rooms_find_peer(braid_rooms_t *rooms, uint64_t conn_id);
/* A room named for a callback that outlives the call (free with
 * braid_free()). */
typedef struct braid_room_ref {
  braid_ctl_t *ctl;
  char room_id[BRAID_ROOM_ID_MAX + 1];
} braid_room_ref_t;
braid_room_ref_t *braid_room_ref_new(braid_ctl_t *ctl, const char *room_id);

/* Calls fn for every room with a local peer (fn must not close peers). */
void braid_rooms_foreach_room(braid_rooms_t *rooms, void (*fn)(const char *room_id, void *ud),
                              void *ud);
/* Calls fn for every local peer of room_id (fn must not close peers). */
void braid_rooms_foreach_peer(braid_rooms_t *rooms, const char *room_id,
                              void (*fn)(braid_peer_t *p, void *ud), void *ud);

/* What follows a peer's removal from the store (res is the result of
 * braid_store_peer_leave(), borrowed): its producers and data producers
 * announced closed,
 * peerClosed to the room when it had joined, its transports closed on
 * their nodes, and the routers closed when the room became empty. */
void braid_rooms_after_leave(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                             const char *conn_str, json_t *res);

/* Sends a protoo message (JSON text, taken: freed here) to a peer. */
void braid_peer_send(braid_peer_t *p, char *text);

#endif
