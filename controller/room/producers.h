/*
 * Producer requests (mediasoup-protocol.md §2.2, §2.7, §4.3-4.5):
 *
 *   produce {transportId, kind, rtpParameters, appData}
 *     -> {producerId} (current) / {id} (legacy)
 *     The peer must be joined and own the transport (through this socket).
 *     ORTC runs here (ortc/produce.h, with the router capabilities, a
 *     random mapped SSRC base and CNAME); the media node gets
 *     producer.create; the producer record goes to Redis
 *     (cluster/media_store.h); after the answer, producer.new is published
 *     so that every controller creates consumers for its own peers
 *     (consumers.h).
 *   closeProducer / pauseProducer / resumeProducer {producerId} -> {}
 *     Requests in the legacy dialect, notifications in the current one
 *     (both forms are taken in both). The node, the record and the room
 *     (producer.closed / .paused / .resumed events) are told.
 */
#ifndef BRAID_CONTROLLER_ROOM_PRODUCERS_H
#define BRAID_CONTROLLER_ROOM_PRODUCERS_H

#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"

void braid_producers_produce(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req);

/* closeProducer, pauseProducer or resumeProducer (method says which); msg
 * is a request or a notification. */
void braid_producers_control(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg,
                             const char *method);

/* Publishes producer.closed for a producer whose record is gone from
 * Redis, so that its consumers' peers get consumerClosed, and closes its
 * piped copies on other nodes (pipes.h). */
void braid_producers_announce_closed(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                     const char *reason);

#endif
