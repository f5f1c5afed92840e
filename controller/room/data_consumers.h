/*
 * Data consumers: mediasoup-demo's _createDataConsumer and the data
 * consumers' end (mediasoup-protocol.md §2.3-2.5, §2.8, §3.5, §5.11), run
 * by the controller that holds the consuming peer's socket.
 *
 * For a chat data producer (data_cmd.h's rule) and a local joined peer
 * other than its owner whose consuming transport has SCTP: the node gets
 * data_consumer.create with the producer's delivery and picks the SCTP
 * stream; the record goes to Redis (for observability); the client gets
 * the request newDataConsumer, legacy {peerId, dataProducerId, id,
 * sctpStreamParameters, label, protocol, appData}, current {peerId,
 * transportId, dataConsumerId, dataProducerId, sctpStreamParameters,
 * label, protocol, appData} (appData the producer's). There is no
 * pause/resume step; a refusal is logged and the data consumer kept, as
 * the demo does.
 *
 * Two paths lead here and race: join (every data producer already in the
 * room, broadcasters' included) and the data_producer.new event; a peer
 * consumes a data producer once (peer_media.h dedupes by its id). As for
 * media, a data producer on another router than the consuming transport's
 * is skipped with a warning (no piping yet).
 *
 * The end: data_producer.closed (published by the owner's controller, or
 * by a node whose transport closed) and data_consumer.closed (a node
 * closed it itself) both name data consumers; the peer gets
 * dataConsumerClosed {dataConsumerId} on the first that names one, and
 * the data consumer is forgotten, so later ones find nothing.
 */
#ifndef BRAID_CONTROLLER_ROOM_DATA_CONSUMERS_H
#define BRAID_CONTROLLER_ROOM_DATA_CONSUMERS_H

#include "controller/room/rooms.h"
#include "proto/event.h"

/* After p's join was answered (and its media consumers started): consume
 * every chat data producer of the room. */
void braid_data_consumers_after_join(braid_ctl_t *ctl, braid_peer_t *p);

/* A data_producer.new event of room_id: the local peers that may consume
 * it do. */
void braid_data_consumers_on_new(braid_ctl_t *ctl, const char *room_id, const braid_event_t *ev);

/* data_producer.closed or data_consumer.closed in room_id: the local
 * peers' data consumers it names are forgotten, and their clients told. */
void braid_data_consumers_on_closed(braid_ctl_t *ctl, const char *room_id,
                                    const braid_event_t *ev);

#endif
