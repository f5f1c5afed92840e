/*
 * Scores (mediasoup-protocol.md §2.4): a media node publishes producer.score
 * when the quality of a producer's streams changes; the controller tells
 * the producer's owner (producerScore {producerId, score:[{encodingIdx,
 * ssrc, rid?, score}]}) and every peer consuming it (consumerScore
 * {consumerId, score:{score, producerScore, producerScores}}), as mediasoup's
 * producer and consumer "score" events do. The consumer's own score (its
 * send side) is 10 until nodes report receiver-side quality.
 */
#ifndef BRAID_CONTROLLER_ROOM_SCORES_H
#define BRAID_CONTROLLER_ROOM_SCORES_H

#include "controller/room/rooms.h"
#include "proto/event.h"

void braid_scores_on_event(braid_ctl_t *ctl, const char *room_id, const braid_event_t *ev);

#endif
