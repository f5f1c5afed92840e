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
 */
#include "proto/event.h"

#include "common/err.h"
#include "common/limits.h"
#include "proto/codec.h"

enum { F_ROOM, F_PEER, F_CTL, F_NAME, F_DEVICE, F_ADDR, F_CONN, F_NODE, F_ROUTER, F_COUNT };

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
};

#define F(name) BRAID__PROTO_BIT(F_##name)
#define PEER_JOINED (F(ROOM) | F(PEER) | F(CTL) | F(NAME) | F(DEVICE) | F(ADDR))
#define PEER_CONN (F(ROOM) | F(PEER) | F(CTL) | F(CONN))
#define ROUTER_CLOSED (F(ROOM) | F(NODE) | F(ROUTER))

static const braid__proto_schema_t schemas[] = {
    {BRAID_EV_PEER_JOINED, "peer.joined", PEER_JOINED, PEER_JOINED},
    {BRAID_EV_PEER_LEFT, "peer.left", PEER_CONN, PEER_CONN},
    {BRAID_EV_PEER_EVICT, "peer.evict", PEER_CONN, PEER_CONN},
    {BRAID_EV_ROUTER_CLOSED, "router.closed", ROUTER_CLOSED, ROUTER_CLOSED},
    {BRAID_EV_ROOM_CLOSED, "room.closed", F(ROOM), F(ROOM)},
};

static const braid__proto_family_t family = {fields, F_COUNT, schemas,
                                             sizeof schemas / sizeof schemas[0]};

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
