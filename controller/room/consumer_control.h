/*
 * What happens to existing consumers (mediasoup-protocol.md §2.2, §2.4,
 * §2.7, §5.11):
 *
 *   - the client's requests (legacy dialect) or notifications (current
 *     dialect; both forms are taken in both) about its consumers:
 *       pauseConsumer / resumeConsumer / requestConsumerKeyFrame
 *         {consumerId} -> {}: consumer.pause / .resume /
 *         .request_key_frame on the media node;
 *       setConsumerPreferredLayers {consumerId, spatialLayer,
 *         temporalLayer?} -> {}: consumer.set_layers on the node;
 *       setConsumerPriority {consumerId, priority} -> {}:
 *         consumer.set_priority on the node (its weight when the
 *         transport's estimated bandwidth is shared);
 *   - room events about their producers, told to the peers as mediasoup's
 *     consumer events would be: producer.paused -> consumerPaused,
 *     producer.resumed -> consumerResumed, producer.closed ->
 *     consumerClosed; and from a node consumer.closed -> consumerClosed,
 *     consumer.layers -> consumerLayersChanged {consumerId, spatialLayer,
 *     temporalLayer} (both null when the consumer sends nothing; a node
 *     publishes it for simulcast and SVC consumers only, at every change).
 *     Only consumers announced to their client (newConsumer sent) are
 *     notified; every one is updated or forgotten.
 */
#ifndef BRAID_CONTROLLER_ROOM_CONSUMER_CONTROL_H
#define BRAID_CONTROLLER_ROOM_CONSUMER_CONTROL_H

#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"
#include "proto/event.h"

/* One of the five methods above (method says which); msg is a request or
 * a notification. */
void braid_consumer_control(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg,
                            const char *method);

/* producer.paused, producer.resumed, producer.closed, consumer.closed or
 * consumer.layers in room_id: updates the local peers' consumers and
 * tells their clients. */
void braid_consumer_control_on_event(braid_ctl_t *ctl, const char *room_id,
                                     const braid_event_t *ev);

#endif
