/*
 * Commands: controller -> media daemon, on the node's command stream.
 *
 * Keys (besides "v" and "t"):
 *   "id"  uint64  request id, unique per controller
 *   "rt"  string  reply channel id (the controller id); the reply goes to
 *                 braid:ctl:<rt>
 *   "dl"  int64   deadline, Unix epoch milliseconds; a node drops a command
 *                 whose deadline has passed (the sender has given up on it).
 *                 Optional: absent decodes as 0, meaning no deadline. The
 *                 encoder always writes it.
 * "id" and "rt" are required, and so is every body key listed below.
 *   ...   body keys of the command type, below.
 *
 * Types and bodies:
 *   "router.create"  "router" string (id, required), "room" string (required)
 *                    Idempotent: creating an existing router id succeeds.
 *   "router.close"   "router" string (required)
 *                    Idempotent: closing an unknown router succeeds.
 *   "node.dump"      no body; the reply carries the node's objects.
 *   "transport.create_webrtc", "transport.connect", "transport.restart_ice",
 *   "transport.close", "transport.create_plain",
 *   "transport.connect_plain"                            see transport.h
 *   "producer.create", "producer.close", "producer.pause",
 *   "producer.resume"                                    see producer.h
 *   "consumer.create", "consumer.close", "consumer.pause",
 *   "consumer.resume", "consumer.request_key_frame",
 *   "consumer.set_layers"                                see consumer.h
 *   "consumer.set_priority"                              see consumer.h
 *   "data_producer.create", "data_producer.close", "data_producer.pause",
 *   "data_producer.resume", "data_consumer.create", "data_consumer.close",
 *   "data_consumer.pause", "data_consumer.resume"        see data.h
 *   "transport.stats" (u.transport_close), "producer.stats" (u.producer_ref),
 *   "consumer.stats" (u.consumer_ref), "data_producer.stats"
 *   (u.data_producer_ref), "data_consumer.stats" (u.data_consumer_ref):
 *                    the entity's getStats() array, in mediasoup's shape,
 *                    as JSON text in the reply (braid_reply_encode_stats())
 * The bodies of the last five groups are read from the same map in a
 * second pass, with their entity's table (transport.c, producer.c,
 * consumer.c, data.c); the envelope keys above are common to all.
 */
#ifndef BRAID_PROTO_CMD_H
#define BRAID_PROTO_CMD_H

#include "proto/consumer.h"
#include "proto/data.h"
#include "proto/producer.h"
#include "proto/proto.h"
#include "proto/transport.h"

typedef enum braid_cmd_type {
  BRAID_CMD_ROUTER_CREATE = 1,
  BRAID_CMD_ROUTER_CLOSE,
  BRAID_CMD_NODE_DUMP,
  BRAID_CMD_TRANSPORT_CREATE_WEBRTC,
  BRAID_CMD_TRANSPORT_CONNECT,
  BRAID_CMD_TRANSPORT_RESTART_ICE,
  BRAID_CMD_TRANSPORT_CLOSE,
  BRAID_CMD_PRODUCER_CREATE,
  BRAID_CMD_PRODUCER_CLOSE,
  BRAID_CMD_PRODUCER_PAUSE,
  BRAID_CMD_PRODUCER_RESUME,
  BRAID_CMD_CONSUMER_CREATE,
  BRAID_CMD_CONSUMER_CLOSE,
  BRAID_CMD_CONSUMER_PAUSE,
  BRAID_CMD_CONSUMER_RESUME,
  BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME,
  BRAID_CMD_TRANSPORT_STATS,
  BRAID_CMD_PRODUCER_STATS,
  BRAID_CMD_CONSUMER_STATS,
  BRAID_CMD_CONSUMER_SET_LAYERS,
  BRAID_CMD_TRANSPORT_CREATE_PLAIN,
  BRAID_CMD_TRANSPORT_CONNECT_PLAIN,
  BRAID_CMD_DATA_PRODUCER_CREATE,
  BRAID_CMD_DATA_PRODUCER_CLOSE,
  BRAID_CMD_DATA_PRODUCER_PAUSE,
  BRAID_CMD_DATA_PRODUCER_RESUME,
  BRAID_CMD_DATA_CONSUMER_CREATE,
  BRAID_CMD_DATA_CONSUMER_CLOSE,
  BRAID_CMD_DATA_CONSUMER_PAUSE,
  BRAID_CMD_DATA_CONSUMER_RESUME,
  BRAID_CMD_DATA_PRODUCER_STATS,
  BRAID_CMD_DATA_CONSUMER_STATS,
  BRAID_CMD_CONSUMER_SET_PRIORITY,
} braid_cmd_type_t;

typedef struct braid_cmd {
  braid_cmd_type_t type;
  uint64_t id;
  braid_str_t reply_to; /* borrowed; length <= BRAID_ID_MAX */
  int64_t deadline_ms;
  union {
    struct {
      braid_str_t router_id; /* <= BRAID_ID_MAX */
      braid_str_t room_id;   /* <= BRAID_ROOM_ID_MAX */
    } router_create;
    struct {
      braid_str_t router_id;
    } router_close;
    braid_cmd_transport_create_t transport_create;           /* transport.create_webrtc */
    braid_cmd_transport_connect_t transport_connect;         /* transport.connect */
    braid_cmd_transport_restart_ice_t transport_restart_ice; /* transport.restart_ice */
    braid_cmd_transport_close_t transport_close;             /* transport.close, .stats */
    braid_cmd_transport_create_plain_t transport_create_plain;   /* transport.create_plain */
    braid_cmd_transport_connect_plain_t transport_connect_plain; /* transport.connect_plain */
    braid_cmd_producer_create_t producer_create;             /* producer.create */
    braid_cmd_producer_ref_t producer_ref;   /* producer.close, .pause, .resume, .stats */
    braid_cmd_consumer_create_t consumer_create; /* consumer.create */
    braid_cmd_consumer_ref_t consumer_ref;       /* consumer.close, .pause, .resume,
                                                  * .request_key_frame, .stats */
    braid_cmd_consumer_layers_t consumer_layers; /* consumer.set_layers */
    braid_cmd_consumer_priority_t consumer_priority; /* consumer.set_priority */
    braid_cmd_data_producer_create_t data_producer_create; /* data_producer.create */
    braid_cmd_data_producer_ref_t data_producer_ref;       /* data_producer.close, .pause,
                                                            * .resume, .stats */
    braid_cmd_data_consumer_create_t data_consumer_create; /* data_consumer.create */
    braid_cmd_data_consumer_ref_t data_consumer_ref;       /* data_consumer.close, .pause,
                                                            * .resume, .stats */
  } u;
} braid_cmd_t;

/* The wire name of a type ("router.create"), or NULL for an invalid value. */
const char *braid_cmd_type_name(braid_cmd_type_t type);

/* Appends the encoding of cmd to out. Returns 0, BRAID_EINVAL (unknown type,
 * a string over its limit, a NULL string with a non-zero length, or any
 * other value the decoder would refuse: an integer out of range, a string
 * not allowed, an element count out of bounds, values that break a rule
 * across fields such as data.h's partial reliability), BRAID_ETOOBIG or
 * BRAID_ENOMEM; on failure out is left as it was. cmd's strings are
 * borrowed for the duration of the call. */
int braid_cmd_encode(const braid_cmd_t *cmd, braid_buf_t *out);

/* Decodes one command. On failure returns a negative code from the malformed
 * band and, if why is not NULL, sets *why to a static description naming the
 * offending key:
 *   BRAID_ETOOBIG    len > BRAID_PROTO_MAX_MSG, nesting deeper than
 *                    BRAID_PROTO_MAX_DEPTH, a string over its limit, or an
 *                    array with more elements than its C array holds
 *   BRAID_ETRUNC     the message ends early (also for len == 0)
 *   BRAID_EMALFORMED not a map, trailing bytes, a non-string key, a
 *                    duplicate known key, an integer out of range, a
 *                    string not among its allowed values, an empty array
 *                    that must not be, values that break a rule across
 *                    fields (data.h's partial reliability), 0xc1
 *   BRAID_EVERSION   "v" is not BRAID_PROTO_VERSION
 *   BRAID_EUNKNOWN   "t" is not a command type
 *   BRAID_ETYPE      a known key has a value of the wrong type
 *   BRAID_EMISSING   a required key is absent
 * Unknown keys are skipped. cmd's views borrow from data; on failure cmd's
 * contents are unspecified. Never allocates; reentrant. */
int braid_cmd_decode(braid_cmd_t *cmd, const uint8_t *data, size_t len, const char **why);

#endif
