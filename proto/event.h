/*
 * Room events, published on braid:room:<room>:ev. Every controller holding a
 * peer of the room subscribes; media daemons publish node-side events there
 * too.
 *
 * Keys (besides "v" and "t"):
 *   "room"  string  room id (<= BRAID_ROOM_ID_MAX), required for all types
 *
 * Types and bodies:
 *   "peer.joined"   "peer" string (<= BRAID_PEER_ID_MAX), "ctl" string (the
 *                   controller holding it), "name" string (display name),
 *                   "device" string (the client's device object as JSON
 *                   text, passed through untouched), "addr" string (remote
 *                   address)
 *   "peer.left"     "peer" string, "ctl" string, "conn" uint64
 *   "peer.evict"    "peer" string, "ctl" string, "conn" uint64: the peer id
 *                   reconnected through connection conn of controller ctl;
 *                   every other holder of that peer id closes its socket
 *   "router.closed" "node" string, "router" string: a node closed the room's
 *                   router (node shutdown, or router.close)
 *   "room.closed"   no body: the last peer left
 *   "producer.new"  "producer" string (id), "peer" string (its owner): a
 *                   controller stored a new producer (room:<id>:producers);
 *                   every controller creates consumers for its own peers
 *   "producer.paused", "producer.resumed"  "producer" string (id): its owner
 *                   paused or resumed it (the stored record says so
 *                   already); consumers' peers get consumerPaused/Resumed
 *   "data_producer.new"  "data_producer" string (id), "peer" string (its
 *                   owner): a controller stored a new data producer; every
 *                   controller creates data consumers for its own peers
 *   "data_producer.closed"  "data_producer" string (id), "reason" string:
 *                   as producer.closed (the node publishes it when the
 *                   transport closes, controllers when the owner closes
 *                   it or leaves); data consumers' peers get
 *                   dataConsumerClosed
 * Node-side media events (a media daemon publishes them on the room channel
 * of the transport's router):
 *   "transport.state"  "transport" string (id), "ice" string ("new",
 *                   "connected", "completed", "disconnected" or "closed"),
 *                   "dtls" string ("new", "connecting", "connected",
 *                   "failed" or "closed"): either state changed
 *   "producer.closed"  "producer" string (id), "reason" string (<=
 *                   BRAID_REASON_MAX, e.g. "transport closed"); controllers
 *                   publish it too, when a producer's owner closes it or
 *                   leaves (the record is gone from Redis by then)
 *   "consumer.closed"  "consumer" string (id), "reason" string: closed by the
 *                   node (its producer or transport closed)
 *   "consumer.layers"  "consumer" string, "spatial", "temporal" int
 *                   (-1..255; -1 for none: the consumer forwards nothing)
 *   "producer.score"   "producer" string, "scores" array (0 to
 *                   BRAID_MAX_ENCODINGS) of maps {"ssrc" uint (< 2^32),
 *                   "rid" string (<= BRAID_MID_MAX, "" when none), "score"
 *                   uint (0..10), "idx" uint (the encoding's index, <
 *                   BRAID_MAX_ENCODINGS)}
 *   "consumer.score"   "consumer" string, "score" uint (0..10: its own,
 *                   from the receiver's reports), "producer_score" uint
 *                   (0..10: the producer stream it sends, 0 when none),
 *                   "scores" (as producer.score's: every stream of its
 *                   producer, 0 for a silent one): mediasoup's consumer
 *                   score {score, producerScore, producerScores}
 *   "data_consumer.closed"  "data_consumer" string (id), "reason" string:
 *                   closed by the node because its data producer closed
 *                   (mediasoup's "dataproducerclose"; a data consumer
 *                   closed by command or with its own transport is not
 *                   announced)
 *   "router.volumes"  "router" string (id), "producer" string (the
 *                   router's dominant speaker now, "" none: so that a
 *                   controller that starts following the room learns it),
 *                   "volumes" array (0 to BRAID_EVENT_MAX_VOLUMES) of maps
 *                   {"producer" string (id), "volume" int (-127..0: the
 *                   producer's average audio level over the interval, in
 *                   dBov)}, loudest first: the router's audio level
 *                   observer (mediad/rtc/audio_level_observer.h) every
 *                   interval while someone speaks (mediasoup's
 *                   "volumes"), and an empty array once when all went
 *                   quiet ("silence")
 *   "router.dominant_speaker"  "router" string, "producer" string: the
 *                   router's dominant speaker changed to this audio
 *                   producer (mediasoup's "dominantspeaker")
 *   "transport.bwe"  "transport" string (id), "desired", "effective_desired",
 *                   "available" uint (bps, < 2^32): the transport's send-side
 *                   bandwidth estimate (mediad/rtc/transport_bwe.h), at most
 *                   every 2 s when it changed (mediasoup's "bwe" trace,
 *                   mediasoup-demo's downlinkBwe)
 * Every key a type lists is required when decoding (inside "scores" too);
 * strings longer than their limit (below, and limits.h) and arrays longer
 * than BRAID_MAX_ENCODINGS ("scores") or BRAID_EVENT_MAX_VOLUMES
 * ("volumes") give BRAID_ETOOBIG; a state not in its list and
 * an integer out of range give BRAID_EMALFORMED.
 */
#ifndef BRAID_PROTO_EVENT_H
#define BRAID_PROTO_EVENT_H

#include "proto/producer.h"
#include "proto/proto.h"

/* Limits of the peer.joined strings (the others are in common/limits.h). */

typedef enum braid_event_type {
  BRAID_EV_PEER_JOINED = 1,
  BRAID_EV_PEER_LEFT,
  BRAID_EV_PEER_EVICT,
  BRAID_EV_ROUTER_CLOSED,
  BRAID_EV_ROOM_CLOSED,
  BRAID_EV_TRANSPORT_STATE,
  BRAID_EV_PRODUCER_CLOSED,
  BRAID_EV_CONSUMER_CLOSED,
  BRAID_EV_CONSUMER_LAYERS,
  BRAID_EV_PRODUCER_SCORE,
  BRAID_EV_PRODUCER_NEW,
  BRAID_EV_PRODUCER_PAUSED,
  BRAID_EV_PRODUCER_RESUMED,
  BRAID_EV_DATA_PRODUCER_NEW,
  BRAID_EV_DATA_PRODUCER_CLOSED,
  BRAID_EV_DATA_CONSUMER_CLOSED,
  BRAID_EV_ROUTER_VOLUMES,
  BRAID_EV_ROUTER_DOMINANT_SPEAKER,
  BRAID_EV_TRANSPORT_BWE,
  BRAID_EV_CONSUMER_SCORE,
} braid_event_type_t;

/* Entries of one "router.volumes" event: the audio level observer's
 * (audio_level_observer.h); mediasoup-demo's current dialect shows 10. */
#define BRAID_EVENT_MAX_VOLUMES 16

/* One element of "router.volumes". */
typedef struct braid_event_volume {
  braid_str_t producer_id; /* borrowed, <= BRAID_ID_MAX */
  int32_t volume;          /* dBov, -127..0 */
} braid_event_volume_t;

/* One element of "producer.score": the score of one of the producer's
 * streams. */
typedef struct braid_event_score {
  uint32_t ssrc;
  braid_str_t rid;      /* borrowed, <= BRAID_MID_MAX, may be empty */
  uint8_t score;        /* 0..10 */
  uint8_t encoding_idx; /* < BRAID_MAX_ENCODINGS */
} braid_event_score_t;

/* Strings are borrowed: from the input buffer after decoding, from the
 * caller while encoding. */
typedef struct braid_event {
  braid_event_type_t type;
  braid_str_t room_id;
  braid_str_t peer_id;          /* peer.*, producer.new, data_producer.new */
  braid_str_t controller_id;    /* peer.* */
  uint64_t conn;                /* peer.left, peer.evict */
  braid_str_t display_name;     /* peer.joined, <= BRAID_EVENT_NAME_MAX */
  braid_str_t device_json;      /* peer.joined, <= BRAID_EVENT_DEVICE_MAX */
  braid_str_t remote_address;   /* peer.joined, <= BRAID_EVENT_ADDR_MAX */
  braid_str_t node_id;          /* router.closed */
  braid_str_t router_id;        /* router.closed, router.volumes, router.dominant_speaker */
  braid_str_t transport_id;     /* transport.state, transport.bwe */
  braid_str_t ice_state;        /* transport.state */
  braid_str_t dtls_state;       /* transport.state */
  braid_str_t producer_id;      /* producer.*, router.dominant_speaker, router.volumes */
  braid_str_t consumer_id;      /* consumer.closed, consumer.layers, consumer.score */
  braid_str_t data_producer_id; /* data_producer.new, data_producer.closed */
  braid_str_t data_consumer_id; /* data_consumer.closed */
  braid_str_t reason;           /* producer.closed, consumer.closed, data_*.closed */
  int32_t spatial_layer;        /* consumer.layers, -1..255 */
  int32_t temporal_layer;       /* consumer.layers, -1..255 */
  uint8_t score;                /* consumer.score, 0..10 */
  uint8_t producer_score;       /* consumer.score, 0..10 */
  size_t nscores;               /* producer.score, consumer.score */
  braid_event_score_t scores[BRAID_MAX_ENCODINGS];
  uint32_t desired_bitrate;           /* transport.bwe, bps */
  uint32_t effective_desired_bitrate; /* transport.bwe, bps */
  uint32_t available_bitrate;         /* transport.bwe, bps */
  size_t nvolumes;              /* router.volumes (0: silence) */
  braid_event_volume_t volumes[BRAID_EVENT_MAX_VOLUMES];
} braid_event_t;

/* The wire name of a type ("peer.joined"), or NULL for an invalid value. */
const char *braid_event_type_name(braid_event_type_t type);

/* Encodes ev; fields not used by its type are ignored. Same contract as
 * braid_cmd_encode. */
int braid_event_encode(const braid_event_t *ev, braid_buf_t *out);
/* Decodes an event (same error contract as braid_cmd_decode); fields not
 * used by its type are left empty. */
int braid_event_decode(braid_event_t *ev, const uint8_t *data, size_t len, const char **why);

#endif
