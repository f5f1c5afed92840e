/*
 * Scores (mediasoup-protocol.md §2.4), told to the peers as mediasoup's
 * producer and consumer "score" events are:
 *
 *   - producer.score (a media node measured a producer's streams) ->
 *     producerScore {producerId, score:[{encodingIdx, ssrc, rid?, score}]}
 *     to the producer's owner;
 *   - consumer.score (a media node measured a consumer's send side from its
 *     receiver's reports, or its producer's scores changed) ->
 *     consumerScore {consumerId, score:{score, producerScore,
 *     producerScores}} to the consumer's owner, once newConsumer was sent
 *     for it: its own score, the score of the producer stream it sends
 *     and those of every stream of its producer, by encoding index.
 *
 * The node of each consumer publishes its consumer.score, so a consumer
 * of a piped producer reports the copy it gets, as a mediasoup consumer on
 * the far side of a pipe does.
 */
#ifndef BRAID_CONTROLLER_ROOM_SCORES_H
#define BRAID_CONTROLLER_ROOM_SCORES_H

#include "controller/room/rooms.h"
#include "proto/event.h"

/* producer.score or consumer.score in room_id: tells the local peers. */
void braid_scores_on_event(braid_ctl_t *ctl, const char *room_id, const braid_event_t *ev);

#endif
