/*
 * Broadcasters in Redis (the HTTP API's peers, controller/api/): they are
 * peers of their room like any other (P room:<id>:peers), with records
 * held by no socket: "ctl" is BRAID_BCAST_CTL ("") and "conn"
 * BRAID_BCAST_CONN. Such records are alive until the broadcaster is
 * deleted, whatever controller made them, so any controller can serve the
 * next request of a broadcaster. Their transports, producers and consumers
 * are stored with the same holder, through the scripts of store.h and
 * media_store.h.
 *
 * A broadcaster record is a peer record (store.h) plus "broadcaster": true
 * and, when given, "rtpCapabilities" (what its consumers are made for).
 *
 * Lifetime, as in mediasoup-demo: until DELETE, or until the room closes
 * (its last socket peer left: store_scripts.h's peer_leave). A socket peer
 * cannot take a broadcaster's id (peer_connect refuses it).
 */
#ifndef BRAID_CONTROLLER_CLUSTER_BCAST_STORE_H
#define BRAID_CONTROLLER_CLUSTER_BCAST_STORE_H

#include "controller/cluster/store.h"

#define BRAID_BCAST_CTL  ""
#define BRAID_BCAST_CONN "bcast"
/* Broadcasters one room may have (each holds ports and records until it
 * is deleted or the room closes). */
#define BRAID_BCAST_MAX_PER_ROOM 32
/* Data producers and data consumers one broadcaster may have (those of
 * socket peers are counted by their controller, peer_media.h); its
 * plain and WebRTC transports announce at most BRAID_BCAST_MAX_SCTP_STREAMS
 * SCTP streams each way (usrsctp keeps state per stream). */
#define BRAID_BCAST_MAX_DATA_PRODUCERS 64
#define BRAID_BCAST_MAX_DATA_CONSUMERS 2048
#define BRAID_BCAST_MAX_SCTP_STREAMS   4096

/* Stores a new broadcaster (record is JSON text); err BRAID_ESTATE, reason
 * "peer exists" when a live peer has that id, "too many broadcasters" when
 * the room has BRAID_BCAST_MAX_PER_ROOM. json is the array of the room's
 * other joined peers' records. */
void braid_store_bcast_create(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              const char *record, braid_store_json_cb cb, void *user_data);
/* json is the peer's record, or NULL when there is none. */
void braid_store_bcast_get(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                           braid_store_json_cb cb, void *user_data);
/* Marks a broadcaster joined (store.h's braid_store_peer_join rules). */
void braid_store_bcast_join(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                            const char *record, braid_store_json_cb cb, void *user_data);
/* Removes a broadcaster and everything it holds (braid_store_peer_leave). */
void braid_store_bcast_leave(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                             braid_store_json_cb cb, void *user_data);
/* Stores a broadcaster's producer or consumer record (media_store.h rules:
 * the broadcaster must be joined; for a producer its transport must exist,
 * for a consumer the producer). json is {} when stored; a consumer that
 * could not be stored gives json NULL. */
void braid_store_bcast_producer_put(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                    const char *peer_id, const char *transport_id,
                                    const char *record, braid_store_json_cb cb, void *user_data);
void braid_store_bcast_consumer_put(braid_ctl_t *ctl, const char *room_id, const char *consumer_id,
                                    const char *peer_id, const char *producer_id,
                                    const char *record, braid_store_json_cb cb, void *user_data);
/* json is the consumer's record, or NULL. */
void braid_store_consumer_get(braid_ctl_t *ctl, const char *room_id, const char *consumer_id,
                              braid_store_json_cb cb, void *user_data);
/* json is {"mid": n}: the transport's next consumer MID, taken; NULL when
 * the transport has gone. */
void braid_store_transport_next_mid(braid_ctl_t *ctl, const char *room_id,
                                    const char *transport_id, braid_store_json_cb cb,
                                    void *user_data);

/* Stores a broadcaster's transport record while the broadcaster exists
 * (err BRAID_ESTATE "peer closed" otherwise). */
void braid_store_bcast_transport_put(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                                     const char *transport_id, const char *record,
                                     braid_store_json_cb cb, void *user_data);
/* Sets some fields (a JSON object, text) of a transport record, leaving
 * the others; json is NULL when the transport has gone. */
void braid_store_transport_merge(braid_ctl_t *ctl, const char *room_id, const char *transport_id,
                                 const char *fields, braid_store_json_cb cb, void *user_data);

#endif
