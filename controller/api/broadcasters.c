/*
 * Broadcasters themselves: the room's capabilities, create, join, delete
 * (mediasoup-demo's createBroadcaster / deleteBroadcaster, and the current
 * demo's createBroadcasterPeer + join).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/api/api_routes.h"
#include "controller/cluster/bcast_store.h"
#include "controller/cluster/events.h"
#include "controller/cluster/media_store.h"
#include "controller/ortc/consumer.h"
#include "controller/room/rooms.h"
#include "controller/signaling/fields.h"

#define MAX_DISPLAY_NAME 1024
#define MAX_DEVICE_NAME 256

void braid_api_room_caps(braid_api_req_t *rq) {
  json_t *caps = json_deep_copy(rq->ctl->router_caps);
  /* The legacy demo answers the capabilities, the current one wraps them. */
  if (rq->ctl->default_dialect == BRAID_DIALECT_CURRENT)
    caps = json_pack("{so}", "routerRtpCapabilities", caps);
  braid_api_ok(rq, 200, caps);
}

/* Tells the room a broadcaster joined (browsers get newPeer). */
static void announce_joined(braid_api_req_t *rq, const json_t *rec) {
  json_t *device = json_object_get(rec, "device");
  char *device_json = json_dumps(device, JSON_COMPACT);
  const char *name = json_string_value(json_object_get(rec, "displayName"));
  const char *addr = json_string_value(json_object_get(rec, "remoteAddress"));
  braid_event_t ev = {.type = BRAID_EV_PEER_JOINED,
                      .room_id = braid_str_c(rq->room_id),
                      .peer_id = braid_str_c(rq->peer_id),
                      .controller_id = braid_str_c(rq->ctl->id),
                      .display_name = braid_str_c(name ? name : ""),
                      .device_json = braid_str_c(device_json ? device_json : "{}"),
                      .remote_address = braid_str_c(addr ? addr : "")};
  braid_events_publish(rq->ctl, &ev);
  free(device_json);
}

/* ---- create --------------------------------------------------------------- */

/* The legacy answer: the other joined peers, each with the producers the
 * broadcaster can consume (empty unless it gave rtpCapabilities). */
typedef struct create_ctx {
  json_t *others; /* owned: the other peers' records */
} create_ctx_t;

static void create_ctx_free(void *p) {
  create_ctx_t *cc = p;
  json_decref(cc->others);
  braid_free(cc);
}

static json_t *peer_infos(braid_api_req_t *rq, json_t *producers) {
  create_ctx_t *cc = rq->extra;
  json_t *caps = json_object_get(rq->body, "rtpCapabilities");
  json_t *out = json_array();
  size_t i, j;
  json_t *rec, *prod;
  json_array_foreach(cc->others, i, rec) {
    json_t *device = json_object_get(rec, "device");
    json_t *list = json_array();
    json_array_foreach(producers, j, prod) {
      const char *owner = json_string_value(json_object_get(prod, "peerId"));
      if (owner == NULL || !json_equal(json_object_get(rec, "peerId"), json_object_get(prod, "peerId")))
        continue;
      if (!braid_ortc_consumer_can_consume(json_object_get(prod, "consumable"), caps, NULL, 0))
        continue;
      json_array_append_new(list, json_pack("{sOsO}", "id", json_object_get(prod, "producerId"),
                                            "kind", json_object_get(prod, "kind")));
    }
    json_array_append_new(
        out, json_pack("{sOsOsOso}", "id", json_object_get(rec, "peerId"), "displayName",
                       json_object_get(rec, "displayName") ? json_object_get(rec, "displayName")
                                                           : json_null(),
                       "device", json_is_object(device) ? device : json_null(), "producers", list));
  }
  return out;
}

static void on_producers(int err, const char *reason, json_t *producers, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  braid_api_ok(rq, rq->current ? 201 : 200, json_pack("{so}", "peers", peer_infos(rq, producers)));
}

static void on_created(int err, const char *reason, json_t *others, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    if (err == BRAID_ESTATE && strcmp(reason, "too many broadcasters") == 0)
      braid_api_fail(rq, 409, "too many broadcasters in room \"%s\" (at most %d)", rq->room_id,
                     BRAID_BCAST_MAX_PER_ROOM);
    else if (err == BRAID_ESTATE)
      braid_api_fail(rq, 409, "broadcaster with id \"%s\" already exists", rq->peer_id);
    else
      braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  BRAID_LOGI("api", "broadcaster %s created in room %s", rq->peer_id, rq->room_id);
  if (!rq->current) announce_joined(rq, rq->peer);
  create_ctx_t *cc = braid_xcalloc(1, sizeof *cc);
  cc->others = json_incref(others);
  rq->extra = cc;
  rq->extra_free = create_ctx_free;
  if (json_is_object(json_object_get(rq->body, "rtpCapabilities")))
    braid_store_producers(rq->ctl, rq->room_id, on_producers, rq);
  else
    on_producers(0, NULL, NULL, rq);
}

void braid_api_bcast_create(braid_api_req_t *rq) {
  braid_fields_t f = {.method = "createBroadcaster"};
  const char *id = NULL, *peer_id = NULL, *name = NULL, *dname = NULL, *version = NULL;
  json_t *device = NULL, *caps = NULL;
  if (!braid_fields_string(&f, rq->body, "id", false, BRAID_PEER_ID_MAX, &id) ||
      !braid_fields_string(&f, rq->body, "peerId", false, BRAID_PEER_ID_MAX, &peer_id) ||
      !braid_fields_string(&f, rq->body, "displayName", false, MAX_DISPLAY_NAME, &name) ||
      !braid_fields_object(&f, rq->body, "device", false, &device) ||
      !braid_fields_object(&f, rq->body, "rtpCapabilities", false, &caps)) {
    braid_api_fail(rq, 400, "%s", f.error);
    return;
  }
  braid_fields_t g = {.method = "createBroadcaster: device"};
  if (device && (!braid_fields_string(&g, device, "name", false, MAX_DEVICE_NAME, &dname) ||
                 !braid_fields_string(&g, device, "version", false, MAX_DEVICE_NAME, &version))) {
    braid_api_fail(rq, 400, "%s", g.error);
    return;
  }
  /* The legacy demo's TypeErrors; the current one names the peer peerId. */
  rq->current = id == NULL && peer_id != NULL;
  if (id == NULL) id = peer_id;
  if (id == NULL || id[0] == '\0') {
    braid_api_fail(rq, 400, "missing body.id");
    return;
  }
  if (name == NULL || name[0] == '\0') {
    braid_api_fail(rq, 400, "missing body.displayName");
    return;
  }
  if (dname == NULL || dname[0] == '\0') {
    braid_api_fail(rq, 400, "missing body.device.name");
    return;
  }
  json_t *probe = json_string(id);
  bool printable = probe != NULL;
  json_decref(probe);
  for (const unsigned char *q = (const unsigned char *)id; printable && *q; q++)
    printable = *q >= 0x20 && *q != 0x7f && *q != '/';
  if (!printable) {
    braid_api_fail(rq, 400, "invalid body.id");
    return;
  }
  snprintf(rq->peer_id, sizeof rq->peer_id, "%s", id);
  json_t *dev = json_pack("{ssss}", "flag", "broadcaster", "name", dname);
  if (version) json_object_set_new(dev, "version", json_string(version));
  json_t *rec = json_pack("{sssssssbsbssssso}", "peerId", id, "ctl", BRAID_BCAST_CTL, "conn",
                          BRAID_BCAST_CONN, "joined", !rq->current, "broadcaster", 1,
                          "displayName", name, "remoteAddress",
                          braid_http_req_remote_address(rq->http), "device", dev);
  json_object_set_new(rec, "ts", json_integer(braid_clock_wall_ms()));
  if (caps) json_object_set(rec, "rtpCapabilities", caps);
  char *text = json_dumps(rec, JSON_COMPACT);
  rq->peer = rec;
  braid_store_bcast_create(rq->ctl, rq->room_id, rq->peer_id, text, on_created, rq);
  free(text);
}

/* ---- join (current demo) -------------------------------------------------- */

static void on_joined(int err, const char *reason, json_t *others, void *ud) {
  braid_api_req_t *rq = ud;
  (void)others;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  announce_joined(rq, rq->peer);
  BRAID_LOGI("api", "broadcaster %s joined room %s", rq->peer_id, rq->room_id);
  braid_api_ok(rq, 200, NULL);
}

static void join_loaded(braid_api_req_t *rq) {
  if (json_is_true(json_object_get(rq->peer, "joined"))) {
    braid_api_ok(rq, 200, NULL); /* joined already: nothing changes */
    return;
  }
  json_object_set_new(rq->peer, "joined", json_true());
  char *text = json_dumps(rq->peer, JSON_COMPACT);
  braid_store_bcast_join(rq->ctl, rq->room_id, rq->peer_id, text, on_joined, rq);
  free(text);
}

void braid_api_bcast_join(braid_api_req_t *rq) { braid_api_load_peer(rq, join_loaded); }

/* ---- delete ---------------------------------------------------------------- */

static void on_left(int err, const char *reason, json_t *res, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  braid_rooms_after_leave(rq->ctl, rq->room_id, rq->peer_id, "0", res);
  BRAID_LOGI("api", "broadcaster %s deleted from room %s", rq->peer_id, rq->room_id);
  braid_api_ok(rq, 200, NULL);
}

static void delete_loaded(braid_api_req_t *rq) {
  braid_store_bcast_leave(rq->ctl, rq->room_id, rq->peer_id, on_left, rq);
}

void braid_api_bcast_delete(braid_api_req_t *rq) { braid_api_load_peer(rq, delete_loaded); }
