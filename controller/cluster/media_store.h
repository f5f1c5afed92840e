/*
 * Producers and consumers in Redis (ARCHITECTURE.md §2, "Room state"), next
 * to the rooms, peers and transports of store.h:
 *
 *   P room:<id>:producers  hash: producer id -> producer record
 *   P room:<id>:consumers  hash: consumer id -> consumer record
 *
 * A producer record is JSON text
 *   {"paused","producerId","peerId","ctl","conn","transportId","node",
 *    "router","kind","type","rtpParameters","consumable","appData"}
 * where rtpParameters are the producer's (normalised by ORTC), consumable
 * its consumableRtpParameters (what every consumer is derived from) and
 * appData the client's appData plus peerId. A consumer record is
 *   {"paused","consumerId","producerId","peerId","ctl","conn","transportId",
 *    "node","kind","type"}
 * and is kept for observability: a consumer belongs to its peer's socket,
 * and the controller holding that socket keeps its state in memory.
 * "paused" is always the first key (media_store_scripts.h tells why);
 * build records with braid_media_record_new().
 *
 * Records leave with their producer (closeProducer), with their peer
 * (store.h, braid_store_peer_leave) and with their room.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_MEDIA_STORE_H
#define BRAID_CONTROLLER_CLUSTER_MEDIA_STORE_H

#include <stdbool.h>

#include <jansson.h>

#include "controller/cluster/store.h"
#include "controller/ctl.h"

/* A new record object whose first key is "paused" (caller owns it). */
json_t *braid_media_record_new(bool paused);

/* Who holds a peer's media: the controller and socket, or ("", "bcast")
 * for a broadcaster (bcast_store.h). */
typedef struct braid_media_holder {
  const char *peer_id, *ctl, *conn;
} braid_media_holder_t;

/* A producer record as this header describes it (JSON text, caller frees):
 * appData is the client's (any non-object: {}) plus peerId, as the demo
 * makes it. Every argument is borrowed. */
struct braid_ortc_produce;
char *braid_media_producer_record(const braid_media_holder_t *h, const char *producer_id,
                                  const char *transport_id, const char *node_id,
                                  const char *router_id, const char *kind,
                                  const struct braid_ortc_produce *res, const json_t *app_data);

/* Sets the transport record's "cname" unless it has one (fire and forget). */
void braid_store_transport_set_cname(braid_ctl_t *ctl, const char *room_id,
                                     const char *transport_id, const char *cname);

/* Stores a producer record (JSON text) if peer_id is still held by this
 * controller's socket conn and joined, and transport_id still exists; else
 * err BRAID_ESTATE, reason "peer closed". json is {} on success. */
void braid_store_producer_put(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                              const char *peer_id, const char *conn, const char *transport_id,
                              const char *record, braid_store_json_cb cb, void *user_data);
/* json is the producer record, or NULL when there is none. */
void braid_store_producer_get(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                              braid_store_json_cb cb, void *user_data);
/* json is the array of the room's producer records (held by live
 * controllers; the others are dropped). */
void braid_store_producers(braid_ctl_t *ctl, const char *room_id, braid_store_json_cb cb,
                           void *user_data);
/* Removes a producer record and its consumers' records; json is {} or NULL
 * when there was none. cb may be NULL. */
void braid_store_producer_del(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                              braid_store_json_cb cb, void *user_data);

typedef enum braid_store_media {
  BRAID_STORE_PRODUCERS,
  BRAID_STORE_CONSUMERS,
} braid_store_media_t;

/* Sets a producer's or consumer's "paused"; json is {"was": bool}, or NULL
 * when there is no such record. cb may be NULL. */
void braid_store_set_paused(braid_ctl_t *ctl, const char *room_id, braid_store_media_t what,
                            const char *id, bool paused, braid_store_json_cb cb, void *user_data);

/* Stores a consumer record if peer_id is still held by (this controller,
 * conn) and producer_id still exists (fire and forget). */
void braid_store_consumer_put(braid_ctl_t *ctl, const char *room_id, const char *consumer_id,
                              const char *peer_id, const char *conn, const char *producer_id,
                              const char *record);
/* Removes a consumer record (fire and forget). */
void braid_store_consumer_del(braid_ctl_t *ctl, const char *room_id, const char *consumer_id);

#endif
