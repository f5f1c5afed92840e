/*
 * Making consumers: mediasoup-demo's _createConsumer (mediasoup-protocol.md
 * §2.5, §3.4, §4.6-4.7), run by the controller that holds the consuming
 * peer's socket.
 *
 * For a producer and a local joined peer other than its owner, that joined
 * with rtpCapabilities and has a consuming transport: canConsume (no:
 * skip, silently), then the consumer's rtpParameters (RTX on, as the demo
 * asks; the transport's next MID), consumer.create paused on the media
 * node, the records (peer_media.h, and Redis for observability), then the
 * newConsumer request to the client. When the client accepts, the consumer
 * is resumed on the node (which asks the producer for a key frame) and, in
 * the legacy dialect, consumerScore follows. When it refuses or does not
 * answer, the consumer stays paused.
 *
 * Two paths lead here and race: join (every producer already in the room)
 * and the producer.new event (a producer made since); a peer consumes a
 * producer once (peer_media.h dedupes by producer id).
 *
 * For now a room has one router on one node. A producer on another router
 * than the consuming transport's would have to be piped there first; it
 * is skipped with a warning.
 */
#ifndef BRAID_CONTROLLER_ROOM_CONSUMERS_H
#define BRAID_CONTROLLER_ROOM_CONSUMERS_H

#include "controller/room/rooms.h"
#include "proto/event.h"

/* After p's join was answered: consume every producer of the room. */
void braid_consumers_after_join(braid_ctl_t *ctl, braid_peer_t *p);

/* A producer.new event of room_id: the local peers that may consume it do. */
void braid_consumers_on_producer_new(braid_ctl_t *ctl, const char *room_id,
                                     const braid_event_t *ev);

#endif
