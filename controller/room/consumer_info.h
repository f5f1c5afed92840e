/*
 * The JSON a client gets about a consumer, per dialect
 * (mediasoup-protocol.md §2.3, §2.7, §2.8, §3.4):
 *   current: newConsumer {peerId, transportId, consumerId, producerId, kind,
 *            rtpParameters, type, producerPaused, consumerScore, appData}
 *   legacy:  newConsumer {peerId, producerId, id, kind, rtpParameters, type,
 *            appData, producerPaused}, then consumerScore {consumerId,
 *            score} once the consumer is resumed
 * peerId is the producer's owner, appData the producer's (the client's
 * plus peerId), type the producer's.
 */
#ifndef BRAID_CONTROLLER_ROOM_CONSUMER_INFO_H
#define BRAID_CONTROLLER_ROOM_CONSUMER_INFO_H

#include <stdbool.h>

#include <jansson.h>

#include "controller/ctl.h"

typedef struct braid_consumer_info {
  const char *peer_id;      /* the producer's owner */
  const char *transport_id; /* the consumer's transport */
  const char *consumer_id;
  const char *producer_id;
  const char *kind;             /* "audio" or "video" */
  const char *type;             /* "simple", "simulcast" or "svc" */
  const json_t *rtp_parameters; /* the consumer's (ortc/consume.h) */
  const json_t *app_data;       /* the producer's; NULL for {} */
  bool producer_paused;
} braid_consumer_info_t;

/* The data of a newConsumer request. Every input is borrowed (JSON values
 * are copied); returns a new object. */
json_t *braid_consumer_info_new_consumer(braid_dialect_t dialect, const braid_consumer_info_t *ci);

/* A new consumer's score, as mediasoup reports it before any RTCP:
 * {score: 10, producerScore: 10, producerScores: []}. */
json_t *braid_consumer_info_score(void);

#endif
