/*
 * getTransportStats {transportId}, getProducerStats {producerId},
 * getConsumerStats {consumerId}, getDataProducerStats {dataProducerId},
 * getDataConsumerStats {dataConsumerId} (mediasoup-protocol.md §2.2,
 * §2.7): the entity's getStats() array from its media node
 * (transport.stats, producer.stats, consumer.stats, data_producer.stats,
 * data_consumer.stats), answered as the array itself (legacy) or {stats:
 * array} (current). The entity must be the peer's own (its transport,
 * through this socket; its producer, consumer, data producer or data
 * consumer); else 500
 * '<entity> with id "X" not found'. Joining is not required, as in the
 * demo.
 */
#ifndef BRAID_CONTROLLER_ROOM_STATS_H
#define BRAID_CONTROLLER_ROOM_STATS_H

#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"

/* One of the five methods (method says which). */
void braid_stats_request(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req,
                         const char *method);

#endif
