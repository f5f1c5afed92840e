/*
 * Data producer requests (mediasoup-protocol.md §2.2, §2.7, §4.10):
 *
 *   produceData {transportId, sctpStreamParameters, label, protocol, appData}
 *     -> {dataProducerId} (current) / {id} (legacy)
 *     The peer must be joined and own the transport (through this socket),
 *     which must have SCTP. The request is checked as data_cmd.h says; the
 *     media node gets data_producer.create; the record goes to Redis
 *     (cluster/data_store.h); after the answer, data_producer.new is
 *     published so that every controller makes data consumers for its own
 *     peers when it is a chat one (data_consumers.h).
 *   closeDataProducer {dataProducerId} -> {}
 *     Not in the demo, but mediasoup apps have it; a request or a
 *     notification, as closeProducer. The record and its data consumers'
 *     go, the node closes it (and its data consumers), and the room hears
 *     data_producer.closed.
 */
#ifndef BRAID_CONTROLLER_ROOM_DATA_PRODUCERS_H
#define BRAID_CONTROLLER_ROOM_DATA_PRODUCERS_H

#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"

void braid_data_producers_produce(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req);

/* closeDataProducer; msg is a request or a notification. */
void braid_data_producers_close(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg);

/* Publishes data_producer.closed for a data producer whose record is gone
 * from Redis, so that its data consumers' peers get dataConsumerClosed. */
void braid_data_producers_announce_closed(braid_ctl_t *ctl, const char *room_id,
                                          const char *data_producer_id, const char *reason);

#endif
