/*
 * Room state in Redis (ARCHITECTURE.md §2, "Room state"). Every update that
 * can race between controllers is one Lua script, so it is atomic.
 *
 * Keys (prefix P):
 *   P rooms                set of room ids
 *   P room:<id>            hash: id, created_ms
 *   P room:<id>:peers      hash: peer id -> peer record (JSON, below)
 *   P room:<id>:routers    hash: node id -> router id (one router per node)
 *   P room:<id>:placement  hash: peer id -> node id (where its transports go)
 *   P node:<id>:reserved   consumers promised to peers just placed on the node
 *   P room:<id>:transports hash: transport id -> transport record (JSON)
 *   P room:<id>:producers  hash: producer id -> producer record (media_store.h)
 *   P room:<id>:consumers  hash: consumer id -> consumer record (media_store.h)
 *   P room:<id>:dataproducers, P room:<id>:dataconsumers  (data_store.h)
 *   P controller:<id>      hash with a TTL: a live controller
 *
 * A peer record is {"peerId","ctl","conn","joined","displayName","device",
 * "remoteAddress","ts"}; ctl and conn (a string) name the socket that holds
 * the peer, so a stale socket can never remove its successor. Records of
 * controllers whose key expired are dropped by the scripts that read them.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_STORE_H
#define BRAID_CONTROLLER_CLUSTER_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "controller/ctl.h"

/* Router claim result: node_id and router_id are borrowed for the call. */
typedef void (*braid_store_router_cb)(int err, const char *node_id, const char *router_id,
                                      void *user_data);
/* How long the consumers promised to peers placed on a node count against
 * it (P node:<id>:reserved, from the first promise of a burst) when they
 * are not created: each one created moves from the promise to the node's
 * count at once (braid_store_consumer_placed()). */
#define BRAID_STORE_RESERVE_TTL_MS "10000"

/* Places peer_id (NULL: any peer of the room) on a node and returns the
 * room's router there: the node the peer was placed on before while it
 * lives, else a live node below its consumer limit (max_consumers in its
 * hash), one that has a router of the room first, else the least loaded;
 * a new router (id new_router_id) is recorded when that node has none
 * (store_scripts.h tells the rules). err is BRAID_ENONODE when no node is
 * alive, BRAID_ELIMIT when every live node is full. */
void braid_store_claim_router(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              const char *new_router_id, braid_store_router_cb cb,
                              void *user_data);

/* A consumer was created on node_id: its placement promise is kept (see
 * braid_store_claim_router()). Fire and forget. */
void braid_store_consumer_placed(braid_ctl_t *ctl, const char *node_id);

/* Generic result: json is borrowed for the call (NULL when err != 0);
 * reason is a static or borrowed message for err. */
typedef void (*braid_store_json_cb)(int err, const char *reason, json_t *json, void *user_data);

/* Stores a new, not yet joined peer record (record is JSON text), replacing
 * any record of the same peer id. json is the replaced record, or NULL. */
void braid_store_peer_connect(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              const char *record, braid_store_json_cb cb, void *user_data);

/* Marks the peer joined with the new record, if (ctl, conn) still hold it
 * and it has not joined yet (err BRAID_ESTATE, reason "Peer already joined"
 * or "peer replaced"). json is the array of the other joined peers' records. */
void braid_store_peer_join(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                           const char *conn, const char *record, braid_store_json_cb cb,
                           void *user_data);

/* Removes the peer if (ctl, conn) still hold it, with its transports,
 * producers and consumers (those of (ctl, conn), and every consumer of its
 * producers), and likewise its data producers and data consumers
 * (data_store.h). json is
 * {"removed":bool,"joined":bool,"remaining":N,"transports":{id:node,...},
 *  "producers":[id,...],"dataProducers":[id,...],"routers":{node:router,...}}
 * where transports lists the peer's transports (the caller closes them),
 * producers and dataProducers the records removed (the caller announces
 * them closed; absent when none) and routers is present only when the room
 * became empty and was deleted (the caller closes those routers). */
void braid_store_peer_leave(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                            const char *conn, braid_store_json_cb cb, void *user_data);

/* Reads a node's hash (all values strings). json is NULL (err
 * BRAID_ENONODE) when the node is not alive. */
void braid_store_node_info(braid_ctl_t *ctl, const char *node_id, braid_store_json_cb cb,
                           void *user_data);

/* A transport record: {"transportId","peerId","ctl","conn","node","router",
 * "direction":"producer"|"consumer","room","sctp":bool,"cname"?}; cname is
 * the RTCP CNAME of its producers, once the first one set it. */
void braid_store_transport_put(braid_ctl_t *ctl, const char *room_id, const char *transport_id,
                               const char *record, braid_store_json_cb cb, void *user_data);
/* json is the record, or NULL when there is none. */
void braid_store_transport_get(braid_ctl_t *ctl, const char *room_id, const char *transport_id,
                               braid_store_json_cb cb, void *user_data);

/* Internal to controller/cluster/: runs a script with ARGV args (C strings,
 * at most 9) whose reply is JSON text, nil or an error, and calls cb like
 * the functions above. cb may be NULL (fire and forget: errors are logged). */
void braid__store_eval_json(braid_ctl_t *ctl, const char *script, const char **args, int nargs,
                            braid_store_json_cb cb, void *user_data);

#endif
