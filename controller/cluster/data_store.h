/*
 * Data producers and data consumers in Redis (DataChannels, issue 5), next
 * to the producers and consumers of media_store.h:
 *
 *   P room:<id>:dataproducers  hash: data producer id -> record
 *   P room:<id>:dataconsumers  hash: data consumer id -> record
 *
 * A data producer record is JSON text
 *   {"dataProducerId","peerId","ctl","conn","transportId","node","router",
 *    "sctpStreamParameters":{streamId,ordered,maxPacketLifeTime?,
 *    maxRetransmits?},"label","protocol","appData"}
 * where sctpStreamParameters are as checked (room/data_cmd.h) and appData
 * is the client's plus peerId. A data consumer record is
 *   {"dataConsumerId","dataProducerId","peerId","ctl","conn","transportId",
 *    "node","streamId"}
 * kept for observability: a data consumer belongs to its peer's socket,
 * whose controller keeps its state in memory. A broadcaster's records have
 * the holder ("", "bcast") (bcast_store.h).
 *
 * Records leave with their data producer (closeDataProducer), with their
 * peer (store.h, braid_store_peer_leave) and with their room.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_DATA_STORE_H
#define BRAID_CONTROLLER_CLUSTER_DATA_STORE_H

#include <jansson.h>

#include "controller/cluster/media_store.h"
#include "controller/ctl.h"

struct braid_data_produce;

/* A data producer record as above (JSON text, caller frees); every
 * argument is borrowed. */
char *braid_data_producer_record(const braid_media_holder_t *h, const char *data_producer_id,
                                 const char *transport_id, const char *node_id,
                                 const char *router_id, const struct braid_data_produce *req);
/* A data consumer record as above (JSON text, caller frees). */
char *braid_data_consumer_record(const braid_media_holder_t *h, const char *data_consumer_id,
                                 const char *data_producer_id, const char *transport_id,
                                 const char *node_id, int stream_id);

/* Stores a data producer record if (h->peer_id) is still held by h's
 * socket and joined, and transport_id still exists; else err
 * BRAID_ESTATE, reason "peer closed". json is {} on success. */
void braid_store_data_producer_put(braid_ctl_t *ctl, const char *room_id,
                                   const braid_media_holder_t *h, const char *data_producer_id,
                                   const char *transport_id, const char *record,
                                   braid_store_json_cb cb, void *user_data);
/* json is the record, or NULL when there is none. */
void braid_store_data_producer_get(braid_ctl_t *ctl, const char *room_id,
                                   const char *data_producer_id, braid_store_json_cb cb,
                                   void *user_data);
/* json is the array of the room's data producer records (held by live
 * controllers or broadcasters). */
void braid_store_data_producers(braid_ctl_t *ctl, const char *room_id, braid_store_json_cb cb,
                                void *user_data);
/* Removes a data producer record and its data consumers' records; json
 * is {} or NULL when there was none. cb may be NULL. */
void braid_store_data_producer_del(braid_ctl_t *ctl, const char *room_id,
                                   const char *data_producer_id, braid_store_json_cb cb,
                                   void *user_data);
/* Stores a data consumer record if its peer is still held by h's socket
 * and joined and the data producer still exists: json is {} when stored,
 * NULL when not. cb may be NULL. */
void braid_store_data_consumer_put(braid_ctl_t *ctl, const char *room_id,
                                   const braid_media_holder_t *h, const char *data_consumer_id,
                                   const char *data_producer_id, const char *record,
                                   braid_store_json_cb cb, void *user_data);
/* Removes a data consumer record (fire and forget). */
void braid_store_data_consumer_del(braid_ctl_t *ctl, const char *room_id,
                                   const char *data_consumer_id);

#endif
