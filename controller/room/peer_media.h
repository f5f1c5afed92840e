/*
 * What a peer's socket holds of its media, on the controller that holds the
 * socket (ARCHITECTURE.md §1: only socket-tied state lives in memory):
 *
 *   - its rtpCapabilities (from join), to compute its consumers;
 *   - its transports, with the ORTC state mediasoup keeps per transport
 *     (producers' CNAME, consumers' next MID; ortc/transport.h). A
 *     transport is used only through the socket that created it, so this
 *     copy is the one that counts; the CNAME is also written to Redis;
 *   - its producers (ids and node; the shared record is in Redis,
 *     cluster/media_store.h);
 *   - its consumers, by consumer id and by producer id (one consumer per
 *     producer and peer, which dedupes the join and producer.new paths);
 *   - its data producers and data consumers, likewise (one data consumer
 *     per data producer and peer);
 *   - our protoo requests to it waiting for an answer.
 *
 * Everything dies with the socket; Redis and the media node are cleaned by
 * the peer's leave (store.h).
 */
#ifndef BRAID_CONTROLLER_ROOM_PEER_MEDIA_H
#define BRAID_CONTROLLER_ROOM_PEER_MEDIA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <uv.h>

#include "common/id.h"
#include "common/limits.h"
#include "common/map.h"
#include "controller/ortc/transport.h"
#include "controller/signaling/protoo_pending.h"

/* Per-peer maxima (STYLE.md rule 19): what one socket may make us hold. */
#define BRAID_PEER_MAX_TRANSPORTS 16
#define BRAID_PEER_MAX_PRODUCERS  64
#define BRAID_PEER_MAX_CONSUMERS  2048
#define BRAID_PEER_MAX_DATA_PRODUCERS 64
#define BRAID_PEER_MAX_DATA_CONSUMERS 2048

typedef struct braid_peer_transport {
  char id[BRAID_ID_MAX + 1];
  char node_id[BRAID_ID_MAX + 1];
  char router_id[BRAID_ID_MAX + 1];
  bool consuming;              /* direction "consumer" (legacy: consuming: true) */
  bool sctp;                   /* it has an SCTP association (set by the creator) */
  braid_ortc_transport_t ortc; /* owned: CNAME and next MID */
} braid_peer_transport_t;

typedef struct braid_peer_producer {
  char id[BRAID_UUID_STRLEN + 1];
  char node_id[BRAID_ID_MAX + 1];
  bool paused;
} braid_peer_producer_t;

typedef struct braid_peer_consumer {
  char id[BRAID_UUID_STRLEN + 1];
  char producer_id[BRAID_ID_MAX + 1];
  char transport_id[BRAID_ID_MAX + 1];
  char node_id[BRAID_ID_MAX + 1];
  bool paused;          /* on the node: created paused, resumed once the client took it */
  bool producer_paused; /* as the producer record and producer.paused/resumed say */
  bool announced;       /* newConsumer was sent: the client may know the consumer */
} braid_peer_consumer_t;

typedef struct braid_peer_data_producer {
  char id[BRAID_UUID_STRLEN + 1];
  char node_id[BRAID_ID_MAX + 1];
} braid_peer_data_producer_t;

typedef struct braid_peer_data_consumer {
  char id[BRAID_UUID_STRLEN + 1];
  char data_producer_id[BRAID_ID_MAX + 1];
  char transport_id[BRAID_ID_MAX + 1];
  char node_id[BRAID_ID_MAX + 1];
  bool announced; /* newDataConsumer was sent: the client may know it */
} braid_peer_data_consumer_t;

typedef struct braid_peer_media {
  json_t *rtp_caps;                    /* owned: join's rtpCapabilities, NULL when none */
  braid_map_t *transports;             /* id -> braid_peer_transport_t (owned) */
  char consuming_id[BRAID_ID_MAX + 1]; /* the first consuming transport, "" when none */
  braid_map_t *producers;              /* id -> braid_peer_producer_t (owned) */
  braid_map_t *consumers;              /* consumer id -> braid_peer_consumer_t (owned) */
  braid_map_t *consumed;               /* producer id -> the same consumer (borrowed) */
  braid_map_t *data_producers;         /* id -> braid_peer_data_producer_t (owned) */
  braid_map_t *data_consumers;         /* id -> braid_peer_data_consumer_t (owned) */
  braid_map_t *data_consumed;          /* data producer id -> the same (borrowed) */
  braid_protoo_pending_t *pending;     /* owned: our requests to the client */
} braid_peer_media_t;

void braid_peer_media_init(braid_peer_media_t *m, uv_loop_t *loop);
/* Frees everything; waiting requests end with BRAID_ECLOSED (their
 * callbacks run inside this call). */
void braid_peer_media_cleanup(braid_peer_media_t *m);

/* Adds a transport (ORTC state new); NULL when the peer has
 * BRAID_PEER_MAX_TRANSPORTS already or the id exists. */
braid_peer_transport_t *braid_peer_media_add_transport(braid_peer_media_t *m, const char *id,
                                                       const char *node_id, const char *router_id,
                                                       bool consuming);
/* Forgets a transport (its node died); its consumers are the caller's. */
void braid_peer_media_remove_transport(braid_peer_media_t *m, const char *id);
braid_peer_transport_t *braid_peer_media_transport(const braid_peer_media_t *m, const char *id);
/* The transport consumers go to (the first consuming one), or NULL. */
braid_peer_transport_t *braid_peer_media_consuming_transport(const braid_peer_media_t *m);

/* Adds a producer; NULL when the id exists. The caller checks the limit. */
braid_peer_producer_t *braid_peer_media_add_producer(braid_peer_media_t *m, const char *id,
                                                     const char *node_id);
braid_peer_producer_t *braid_peer_media_producer(const braid_peer_media_t *m, const char *id);
void braid_peer_media_remove_producer(braid_peer_media_t *m, const char *id);

/* Adds a consumer of producer_id; NULL when the peer consumes that producer
 * already or has BRAID_PEER_MAX_CONSUMERS. */
braid_peer_consumer_t *braid_peer_media_add_consumer(braid_peer_media_t *m, const char *id,
                                                     const char *producer_id,
                                                     const char *transport_id, const char *node_id);
braid_peer_consumer_t *braid_peer_media_consumer(const braid_peer_media_t *m, const char *id);
/* The peer's consumer of producer_id, or NULL. */
braid_peer_consumer_t *braid_peer_media_consumer_of(const braid_peer_media_t *m,
                                                    const char *producer_id);
/* Forgets and frees c. */
void braid_peer_media_remove_consumer(braid_peer_media_t *m, braid_peer_consumer_t *c);

/* Adds a data producer; NULL when the id exists. The caller checks the
 * limit. */
braid_peer_data_producer_t *braid_peer_media_add_data_producer(braid_peer_media_t *m,
                                                               const char *id,
                                                               const char *node_id);
braid_peer_data_producer_t *braid_peer_media_data_producer(const braid_peer_media_t *m,
                                                           const char *id);
void braid_peer_media_remove_data_producer(braid_peer_media_t *m, const char *id);

/* Adds a data consumer of data_producer_id; NULL when the peer consumes
 * that data producer already or has BRAID_PEER_MAX_DATA_CONSUMERS. */
braid_peer_data_consumer_t *braid_peer_media_add_data_consumer(braid_peer_media_t *m,
                                                               const char *id,
                                                               const char *data_producer_id,
                                                               const char *transport_id,
                                                               const char *node_id);
braid_peer_data_consumer_t *braid_peer_media_data_consumer(const braid_peer_media_t *m,
                                                           const char *id);
/* The peer's data consumer of data_producer_id, or NULL. */
braid_peer_data_consumer_t *braid_peer_media_data_consumer_of(const braid_peer_media_t *m,
                                                              const char *data_producer_id);
/* Forgets and frees c. */
void braid_peer_media_remove_data_consumer(braid_peer_media_t *m, braid_peer_data_consumer_t *c);

#endif
