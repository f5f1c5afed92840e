/*
 * Commands (cmd.h). Example, "router.create" as encoded:
 *
 *   87                       map, 7 pairs
 *   a1 76 01                 "v": 1
 *   a1 74 ad 72 6f ...       "t": "router.create"
 *   a2 69 64 2a              "id": 42
 *   a2 72 74 a4 63 74 6c 31  "rt": "ctl1"
 *   a2 64 6c cf ...          "dl": deadline (int64, smallest encoding)
 *   a6 72 6f ... a2 72 31    "router": "r1"
 *   a4 72 6f 6f 6d a5 ...    "room": "lobby"
 *
 * The tables below drive both directions (see codec.h). The router and node
 * types are described here in full; the transport, producer, consumer and
 * data producer/consumer types use only the envelope keys of this table
 * and bring their own body table (transport.c, producer.c, consumer.c,
 * data.c; cmd_body.h), read in a second pass over the same map.
 */
#include "proto/cmd.h"

#include <stddef.h>

#include "common/err.h"
#include "common/limits.h"
#include "proto/cmd_body.h"
#include "proto/codec.h"

enum { F_ID, F_RT, F_DL, F_CREATE_ROUTER, F_CREATE_ROOM, F_CLOSE_ROUTER, F_COUNT };

static const braid__proto_field_t fields[F_COUNT] = {
    [F_ID] = BRAID__PROTO_FIELD("id", U64, 0, braid_cmd_t, id),
    [F_RT] = BRAID__PROTO_FIELD("rt", STR, BRAID_ID_MAX, braid_cmd_t, reply_to),
    [F_DL] = BRAID__PROTO_FIELD("dl", I64, 0, braid_cmd_t, deadline_ms),
    [F_CREATE_ROUTER] = BRAID__PROTO_FIELD("router", STR, BRAID_ID_MAX, braid_cmd_t,
                                           u.router_create.router_id),
    [F_CREATE_ROOM] = BRAID__PROTO_FIELD("room", STR, BRAID_ROOM_ID_MAX, braid_cmd_t,
                                         u.router_create.room_id),
    /* Same key as F_CREATE_ROUTER; only one of the two is active per type. */
    [F_CLOSE_ROUTER] = BRAID__PROTO_FIELD("router", STR, BRAID_ID_MAX, braid_cmd_t,
                                          u.router_close.router_id),
};

#define F(name) BRAID__PROTO_BIT(F_##name)
/* "dl" is optional: 0 means no deadline. */
#define COMMON_ACTIVE (F(ID) | F(RT) | F(DL))
#define COMMON_REQUIRED (F(ID) | F(RT))

/* A type whose keys are the envelope's and those of an entity's body. */
#define BODY(type, name, body) {type, name, COMMON_ACTIVE, COMMON_REQUIRED, &body}

static const braid__proto_schema_t schemas[] = {
    {BRAID_CMD_ROUTER_CREATE, "router.create", COMMON_ACTIVE | F(CREATE_ROUTER) | F(CREATE_ROOM),
     COMMON_REQUIRED | F(CREATE_ROUTER) | F(CREATE_ROOM), NULL},
    {BRAID_CMD_ROUTER_CLOSE, "router.close", COMMON_ACTIVE | F(CLOSE_ROUTER),
     COMMON_REQUIRED | F(CLOSE_ROUTER), NULL},
    {BRAID_CMD_NODE_DUMP, "node.dump", COMMON_ACTIVE, COMMON_REQUIRED, NULL},
    BODY(BRAID_CMD_TRANSPORT_CREATE_WEBRTC, "transport.create_webrtc",
         braid__proto_transport_create),
    BODY(BRAID_CMD_TRANSPORT_CONNECT, "transport.connect", braid__proto_transport_connect),
    BODY(BRAID_CMD_TRANSPORT_RESTART_ICE, "transport.restart_ice",
         braid__proto_transport_restart_ice),
    BODY(BRAID_CMD_TRANSPORT_CLOSE, "transport.close", braid__proto_transport_close),
    BODY(BRAID_CMD_PRODUCER_CREATE, "producer.create", braid__proto_producer_create),
    BODY(BRAID_CMD_PRODUCER_CLOSE, "producer.close", braid__proto_producer_ref),
    BODY(BRAID_CMD_PRODUCER_PAUSE, "producer.pause", braid__proto_producer_ref),
    BODY(BRAID_CMD_PRODUCER_RESUME, "producer.resume", braid__proto_producer_ref),
    BODY(BRAID_CMD_CONSUMER_CREATE, "consumer.create", braid__proto_consumer_create),
    BODY(BRAID_CMD_CONSUMER_CLOSE, "consumer.close", braid__proto_consumer_ref),
    BODY(BRAID_CMD_CONSUMER_PAUSE, "consumer.pause", braid__proto_consumer_ref),
    BODY(BRAID_CMD_CONSUMER_RESUME, "consumer.resume", braid__proto_consumer_ref),
    BODY(BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME, "consumer.request_key_frame",
         braid__proto_consumer_ref),
    BODY(BRAID_CMD_TRANSPORT_STATS, "transport.stats", braid__proto_transport_close),
    BODY(BRAID_CMD_PRODUCER_STATS, "producer.stats", braid__proto_producer_ref),
    BODY(BRAID_CMD_CONSUMER_STATS, "consumer.stats", braid__proto_consumer_ref),
    BODY(BRAID_CMD_CONSUMER_SET_LAYERS, "consumer.set_layers", braid__proto_consumer_layers),
    BODY(BRAID_CMD_TRANSPORT_CREATE_PLAIN, "transport.create_plain",
         braid__proto_transport_create_plain),
    BODY(BRAID_CMD_TRANSPORT_CONNECT_PLAIN, "transport.connect_plain",
         braid__proto_transport_connect_plain),
    BODY(BRAID_CMD_DATA_PRODUCER_CREATE, "data_producer.create", braid__proto_data_producer_create),
    BODY(BRAID_CMD_DATA_PRODUCER_CLOSE, "data_producer.close", braid__proto_data_producer_ref),
    BODY(BRAID_CMD_DATA_PRODUCER_PAUSE, "data_producer.pause", braid__proto_data_producer_ref),
    BODY(BRAID_CMD_DATA_PRODUCER_RESUME, "data_producer.resume", braid__proto_data_producer_ref),
    BODY(BRAID_CMD_DATA_CONSUMER_CREATE, "data_consumer.create", braid__proto_data_consumer_create),
    BODY(BRAID_CMD_DATA_CONSUMER_CLOSE, "data_consumer.close", braid__proto_data_consumer_ref),
    BODY(BRAID_CMD_DATA_CONSUMER_PAUSE, "data_consumer.pause", braid__proto_data_consumer_ref),
    BODY(BRAID_CMD_DATA_CONSUMER_RESUME, "data_consumer.resume", braid__proto_data_consumer_ref),
    BODY(BRAID_CMD_DATA_PRODUCER_STATS, "data_producer.stats", braid__proto_data_producer_ref),
    BODY(BRAID_CMD_DATA_CONSUMER_STATS, "data_consumer.stats", braid__proto_data_consumer_ref),
    BODY(BRAID_CMD_CONSUMER_SET_PRIORITY, "consumer.set_priority", braid__proto_consumer_priority),
};

static const braid__proto_family_t family = {fields, F_COUNT, schemas,
                                             sizeof schemas / sizeof schemas[0],
                                             offsetof(braid_cmd_t, u)};

const char *braid_cmd_type_name(braid_cmd_type_t type) {
  const braid__proto_schema_t *s = braid__proto_schema_by_type(&family, (int)type);
  return s != NULL ? s->name : NULL;
}

/* What a body's check hook refuses when decoding (a rule across fields,
 * such as data.c's partial reliability), refused before encoding too, so
 * that whatever we encode decodes. The hook sees the keys that would be
 * encoded as the keys present, and runs on a copy: it may write to the
 * body (data.c sets presence flags, transport.c clears ignored values). */
static int check_body(const braid__proto_schema_t *s, const braid_cmd_t *cmd) {
  if (s->body == NULL || s->body->check == NULL) return 0;
  braid_cmd_t copy = *cmd;
  uint32_t keys = braid__proto_map_mask(s->body, &copy.u);
  return s->body->check(&copy.u, keys, NULL) == 0 ? 0 : BRAID_EINVAL;
}

int braid_cmd_encode(const braid_cmd_t *cmd, braid_buf_t *out) {
  const braid__proto_schema_t *s = braid__proto_schema_by_type(&family, (int)cmd->type);
  if (s == NULL) return BRAID_EINVAL;
  int rc = check_body(s, cmd);
  if (rc != 0) return rc;
  return braid__proto_encode(&family, s, cmd, out);
}

int braid_cmd_decode(braid_cmd_t *cmd, const uint8_t *data, size_t len, const char **why) {
  const braid__proto_schema_t *s;
  int rc = braid__proto_decode(&family, data, len, cmd, sizeof *cmd, &s, NULL, why);
  if (rc != 0) return rc;
  cmd->type = (braid_cmd_type_t)s->type;
  return 0;
}
