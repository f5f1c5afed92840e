/*
 * Room events (event.h). Example, "peer.left" as encoded:
 *
 *   86                       map, 6 pairs
 *   a1 76 01                 "v": 1
 *   a1 74 a9 70 65 ...       "t": "peer.left"
 *   a4 72 6f 6f 6d a1 41     "room": "A"
 *   a4 70 65 65 72 a1 70     "peer": "p"
 *   a3 63 74 6c a1 63        "ctl": "c"
 *   a4 63 6f 6e 6e 07        "conn": 7
 *
 * Every key a type lists is required; keys of other types are skipped.
 * "producer.score", "consumer.score" and "router.volumes" nest an array
 * of maps, read into the fixed-size arrays of braid_event_t with the
 * small tables below.
 */
#include "proto/event.h"

#include "common/err.h"
#include "common/limits.h"
#include "proto/codec.h"

/* One element of "scores". */
typedef braid_event_score_t score_t;

enum { S_SSRC, S_RID, S_SCORE, S_IDX, S_COUNT };

static const braid__proto_field_t score_fields[S_COUNT] = {
    [S_SSRC] = BRAID__PROTO_FIELD("ssrc", U32, 0, score_t, ssrc),
    [S_RID] = BRAID__PROTO_FIELD("rid", STR, BRAID_MID_MAX, score_t, rid),
    [S_SCORE] = BRAID__PROTO_RANGED("score", U8, 0, 10, score_t, score),
    [S_IDX] = BRAID__PROTO_RANGED("idx", U8, 0, BRAID_MAX_ENCODINGS - 1, score_t, encoding_idx),
};

#define S_ALL (BRAID__PROTO_BIT(S_COUNT) - 1)

static const braid__proto_map_t score_map = {score_fields, S_COUNT, S_ALL, S_ALL, NULL, NULL};

/* One element of "volumes". */
typedef braid_event_volume_t volume_t;

enum { V_PRODUCER, V_VOLUME, V_COUNT };

static const braid__proto_field_t volume_fields[V_COUNT] = {
    [V_PRODUCER] = BRAID__PROTO_FIELD("producer", STR, BRAID_ID_MAX, volume_t, producer_id),
    [V_VOLUME] = BRAID__PROTO_RANGED("volume", I32, -127, 0, volume_t, volume),
};

#define V_ALL (BRAID__PROTO_BIT(V_COUNT) - 1)

static const braid__proto_map_t volume_map = {volume_fields, V_COUNT, V_ALL, V_ALL, NULL, NULL};

enum {
  F_ROOM,
  F_PEER,
  F_CTL,
  F_NAME,
  F_DEVICE,
  F_ADDR,
  F_CONN,
  F_NODE,
  F_ROUTER,
  F_TRANSPORT,
  F_ICE,
  F_DTLS,
  F_PRODUCER,
  F_CONSUMER,
  F_REASON,
  F_SPATIAL,
  F_TEMPORAL,
  F_SCORES,
  F_DATA_PRODUCER,
  F_DATA_CONSUMER,
  F_VOLUMES,
  F_DESIRED,
  F_EFFECTIVE,
  F_AVAILABLE,
  F_SCORE,
  F_PRODUCER_SCORE,
  F_COUNT
};

static const char *const ice_states[] = {"new", "connected", "completed", "disconnected",
                                         "closed", NULL};
static const char *const dtls_states[] = {"new", "connecting", "connected", "failed", "closed",
                                          NULL};

static const braid__proto_field_t fields[F_COUNT] = {
    [F_ROOM] = BRAID__PROTO_FIELD("room", STR, BRAID_ROOM_ID_MAX, braid_event_t, room_id),
    [F_PEER] = BRAID__PROTO_FIELD("peer", STR, BRAID_PEER_ID_MAX, braid_event_t, peer_id),
    [F_CTL] = BRAID__PROTO_FIELD("ctl", STR, BRAID_ID_MAX, braid_event_t, controller_id),
    [F_NAME] = BRAID__PROTO_FIELD("name", STR, BRAID_EVENT_NAME_MAX, braid_event_t, display_name),
    [F_DEVICE] =
        BRAID__PROTO_FIELD("device", STR, BRAID_EVENT_DEVICE_MAX, braid_event_t, device_json),
    [F_ADDR] = BRAID__PROTO_FIELD("addr", STR, BRAID_EVENT_ADDR_MAX, braid_event_t, remote_address),
    [F_CONN] = BRAID__PROTO_FIELD("conn", U64, 0, braid_event_t, conn),
    [F_NODE] = BRAID__PROTO_FIELD("node", STR, BRAID_ID_MAX, braid_event_t, node_id),
    [F_ROUTER] = BRAID__PROTO_FIELD("router", STR, BRAID_ID_MAX, braid_event_t, router_id),
    [F_TRANSPORT] =
        BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, braid_event_t, transport_id),
    [F_ICE] = BRAID__PROTO_ENUM("ice", ice_states, braid_event_t, ice_state),
    [F_DTLS] = BRAID__PROTO_ENUM("dtls", dtls_states, braid_event_t, dtls_state),
    [F_PRODUCER] = BRAID__PROTO_FIELD("producer", STR, BRAID_ID_MAX, braid_event_t, producer_id),
    [F_CONSUMER] = BRAID__PROTO_FIELD("consumer", STR, BRAID_ID_MAX, braid_event_t, consumer_id),
    [F_REASON] = BRAID__PROTO_FIELD("reason", STR, BRAID_REASON_MAX, braid_event_t, reason),
    [F_SPATIAL] = BRAID__PROTO_RANGED("spatial", I32, -1, 255, braid_event_t, spatial_layer),
    [F_TEMPORAL] = BRAID__PROTO_RANGED("temporal", I32, -1, 255, braid_event_t, temporal_layer),
    [F_SCORES] = BRAID__PROTO_OBJS("scores", &score_map, 0, braid_event_t, scores, nscores),
    [F_DATA_PRODUCER] =
        BRAID__PROTO_FIELD("data_producer", STR, BRAID_ID_MAX, braid_event_t, data_producer_id),
    [F_DATA_CONSUMER] =
        BRAID__PROTO_FIELD("data_consumer", STR, BRAID_ID_MAX, braid_event_t, data_consumer_id),
    [F_VOLUMES] = BRAID__PROTO_OBJS("volumes", &volume_map, 0, braid_event_t, volumes, nvolumes),
    [F_DESIRED] = BRAID__PROTO_FIELD("desired", U32, 0, braid_event_t, desired_bitrate),
    [F_EFFECTIVE] =
        BRAID__PROTO_FIELD("effective_desired", U32, 0, braid_event_t, effective_desired_bitrate),
    [F_AVAILABLE] = BRAID__PROTO_FIELD("available", U32, 0, braid_event_t, available_bitrate),
    [F_SCORE] = BRAID__PROTO_RANGED("score", U8, 0, 10, braid_event_t, score),
    [F_PRODUCER_SCORE] =
        BRAID__PROTO_RANGED("producer_score", U8, 0, 10, braid_event_t, producer_score),
};

#define F(name) BRAID__PROTO_BIT(F_##name)
#define PEER_JOINED (F(ROOM) | F(PEER) | F(CTL) | F(NAME) | F(DEVICE) | F(ADDR))
#define PEER_CONN (F(ROOM) | F(PEER) | F(CTL) | F(CONN))
#define ROUTER_CLOSED (F(ROOM) | F(NODE) | F(ROUTER))
#define TRANSPORT_STATE (F(ROOM) | F(TRANSPORT) | F(ICE) | F(DTLS))
#define PRODUCER_CLOSED (F(ROOM) | F(PRODUCER) | F(REASON))
#define CONSUMER_CLOSED (F(ROOM) | F(CONSUMER) | F(REASON))
#define CONSUMER_LAYERS (F(ROOM) | F(CONSUMER) | F(SPATIAL) | F(TEMPORAL))
#define PRODUCER_SCORE (F(ROOM) | F(PRODUCER) | F(SCORES))
#define PRODUCER_NEW (F(ROOM) | F(PRODUCER) | F(PEER))
#define PRODUCER_REF (F(ROOM) | F(PRODUCER))
#define DATA_PRODUCER_NEW (F(ROOM) | F(DATA_PRODUCER) | F(PEER))
#define DATA_PRODUCER_CLOSED (F(ROOM) | F(DATA_PRODUCER) | F(REASON))
#define DATA_CONSUMER_CLOSED (F(ROOM) | F(DATA_CONSUMER) | F(REASON))
#define ROUTER_VOLUMES (F(ROOM) | F(ROUTER) | F(PRODUCER) | F(VOLUMES))
#define CONSUMER_SCORE (F(ROOM) | F(CONSUMER) | F(SCORE) | F(PRODUCER_SCORE) | F(SCORES))
#define TRANSPORT_BWE (F(ROOM) | F(TRANSPORT) | F(DESIRED) | F(EFFECTIVE) | F(AVAILABLE))
#define ROUTER_DOMINANT (F(ROOM) | F(ROUTER) | F(PRODUCER))

static const braid__proto_schema_t schemas[] = {
    {BRAID_EV_PEER_JOINED, "peer.joined", PEER_JOINED, PEER_JOINED, NULL},
    {BRAID_EV_PEER_LEFT, "peer.left", PEER_CONN, PEER_CONN, NULL},
    {BRAID_EV_PEER_EVICT, "peer.evict", PEER_CONN, PEER_CONN, NULL},
    {BRAID_EV_ROUTER_CLOSED, "router.closed", ROUTER_CLOSED, ROUTER_CLOSED, NULL},
    {BRAID_EV_ROOM_CLOSED, "room.closed", F(ROOM), F(ROOM), NULL},
    {BRAID_EV_TRANSPORT_STATE, "transport.state", TRANSPORT_STATE, TRANSPORT_STATE, NULL},
    {BRAID_EV_PRODUCER_CLOSED, "producer.closed", PRODUCER_CLOSED, PRODUCER_CLOSED, NULL},
    {BRAID_EV_CONSUMER_CLOSED, "consumer.closed", CONSUMER_CLOSED, CONSUMER_CLOSED, NULL},
    {BRAID_EV_CONSUMER_LAYERS, "consumer.layers", CONSUMER_LAYERS, CONSUMER_LAYERS, NULL},
    {BRAID_EV_PRODUCER_SCORE, "producer.score", PRODUCER_SCORE, PRODUCER_SCORE, NULL},
    {BRAID_EV_PRODUCER_NEW, "producer.new", PRODUCER_NEW, PRODUCER_NEW, NULL},
    {BRAID_EV_PRODUCER_PAUSED, "producer.paused", PRODUCER_REF, PRODUCER_REF, NULL},
    {BRAID_EV_PRODUCER_RESUMED, "producer.resumed", PRODUCER_REF, PRODUCER_REF, NULL},
    {BRAID_EV_DATA_PRODUCER_NEW, "data_producer.new", DATA_PRODUCER_NEW, DATA_PRODUCER_NEW, NULL},
    {BRAID_EV_DATA_PRODUCER_CLOSED, "data_producer.closed", DATA_PRODUCER_CLOSED,
     DATA_PRODUCER_CLOSED, NULL},
    {BRAID_EV_DATA_CONSUMER_CLOSED, "data_consumer.closed", DATA_CONSUMER_CLOSED,
     DATA_CONSUMER_CLOSED, NULL},
    {BRAID_EV_ROUTER_VOLUMES, "router.volumes", ROUTER_VOLUMES, ROUTER_VOLUMES, NULL},
    {BRAID_EV_TRANSPORT_BWE, "transport.bwe", TRANSPORT_BWE, TRANSPORT_BWE, NULL},
    {BRAID_EV_CONSUMER_SCORE, "consumer.score", CONSUMER_SCORE, CONSUMER_SCORE, NULL},
    {BRAID_EV_ROUTER_DOMINANT_SPEAKER, "router.dominant_speaker", ROUTER_DOMINANT, ROUTER_DOMINANT,
     NULL},
};

static const braid__proto_family_t family = {fields, F_COUNT, schemas,
                                             sizeof schemas / sizeof schemas[0], 0};

const char *braid_event_type_name(braid_event_type_t type) {
  const braid__proto_schema_t *s = braid__proto_schema_by_type(&family, (int)type);
  return s != NULL ? s->name : NULL;
}

int braid_event_encode(const braid_event_t *ev, braid_buf_t *out) {
  const braid__proto_schema_t *s = braid__proto_schema_by_type(&family, (int)ev->type);
  if (s == NULL) return BRAID_EINVAL;
  return braid__proto_encode(&family, s, ev, out);
}

int braid_event_decode(braid_event_t *ev, const uint8_t *data, size_t len, const char **why) {
  const braid__proto_schema_t *s;
  int rc = braid__proto_decode(&family, data, len, ev, sizeof *ev, &s, NULL, why);
  if (rc != 0) return rc;
  ev->type = (braid_event_type_t)s->type;
  return 0;
}
