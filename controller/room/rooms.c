#include "controller/room/rooms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "controller/cluster/events.h"
#include "controller/cluster/rpc.h"
#include "controller/cluster/store.h"
#include "controller/room/consumer_control.h"
#include "controller/room/consumers.h"
#include "controller/room/data_consumers.h"
#include "controller/room/data_producers.h"
#include "controller/room/scores.h"
#include "controller/room/speakers.h"
#include "controller/room/peer_info.h"
#include "controller/room/producers.h"
#include "controller/room/requests.h"
#include "controller/room/transports.h"
#include "controller/signaling/protoo.h"
#include "proto/event.h"

/* The mediasoup version we announce (mediasoupVersion / mediasoup-version):
 * the server API level Braid follows. */
#define BRAID_MEDIASOUP_VERSION "3.19.0"

/* A room as seen by this controller: its local peers, by peer id. */
struct braid_room {
  char id[BRAID_ROOM_ID_MAX + 1];
  braid_map_t *peers; /* peer id -> braid_peer_t (current socket of that id) */
  size_t sockets;     /* local sockets in this room, replaced ones included */
  braid_speakers_t *speakers; /* owned: who speaks (speakers.h) */
};

struct braid_rooms {
  braid_ctl_t *ctl;     /* borrowed */
  braid_map_t *rooms;   /* room id -> braid_room_t (owned) */
  braid_map_t *by_conn; /* conn id (8 bytes) -> braid_peer_t (owned) */
};

/* Context of a leave that outlives the peer. */
typedef struct leave_ctx {
  braid_ctl_t *ctl;
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char peer_id[BRAID_PEER_ID_MAX + 1];
  char conn_str[24];
} leave_ctx_t;

braid_rooms_t *braid_rooms_new(braid_ctl_t *ctl) {
  braid_rooms_t *rooms = braid_xcalloc(1, sizeof *rooms);
  rooms->ctl = ctl;
  rooms->rooms = braid_map_new();
  rooms->by_conn = braid_map_new();
  BRAID_ASSERT(rooms->rooms && rooms->by_conn);
  return rooms;
}

void braid_rooms_free(braid_rooms_t *rooms) {
  if (rooms == NULL) return;
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, rooms->by_conn);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) {
    braid_peer_t *p = v;
    p->conn = NULL;
    braid_peer_media_cleanup(&p->media);
    json_decref(p->join_peers);
    braid_free(p);
  }
  braid_map_iter_init(&it, rooms->rooms);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) {
    braid_room_t *room = v;
    braid_map_free(room->peers);
    braid_speakers_free(room->speakers);
    braid_free(room);
  }
  braid_map_free(rooms->by_conn);
  braid_map_free(rooms->rooms);
  braid_free(rooms);
}

size_t braid_rooms_peer_count(const braid_rooms_t *rooms) { return braid_map_size(rooms->by_conn); }

braid_peer_t *braid_rooms_find_peer(braid_rooms_t *rooms, uint64_t conn_id) {
  return braid_map_get(rooms->by_conn, (const char *)&conn_id, sizeof conn_id);
}

void braid_rooms_foreach_peer(braid_rooms_t *rooms, const char *room_id,
                              void (*fn)(braid_peer_t *p, void *ud), void *ud) {
  braid_room_t *room = braid_map_get(rooms->rooms, room_id, strlen(room_id));
  if (room == NULL) return;
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, room->peers);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) fn(v, ud);
}

braid_room_ref_t *braid_room_ref_new(braid_ctl_t *ctl, const char *room_id) {
  braid_room_ref_t *r = braid_xcalloc(1, sizeof *r);
  r->ctl = ctl;
  snprintf(r->room_id, sizeof r->room_id, "%s", room_id);
  return r;
}

void braid_rooms_foreach_room(braid_rooms_t *rooms, void (*fn)(const char *room_id, void *ud),
                              void *ud) {
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, rooms->rooms);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) fn(((braid_room_t *)v)->id, ud);
}

void braid_peer_send(braid_peer_t *p, char *text) {
  if (text == NULL) return;
  if (p->conn != NULL) braid_ws_conn_send(p->conn, text, strlen(text));
  free(text);
}

static braid_room_t *room_get_or_create(braid_rooms_t *rooms, const char *room_id) {
  braid_room_t *room = braid_map_get(rooms->rooms, room_id, strlen(room_id));
  if (room != NULL) return room;
  room = braid_xcalloc(1, sizeof *room);
  snprintf(room->id, sizeof room->id, "%s", room_id);
  room->peers = braid_map_new();
  BRAID_ASSERT(room->peers != NULL);
  room->speakers = braid_speakers_new(rooms->ctl, room->id);
  BRAID_ASSERT(braid_map_put(rooms->rooms, room->id, strlen(room->id), room) == 0);
  braid_events_follow_room(rooms->ctl, room->id);
  return room;
}

static void room_release_socket(braid_rooms_t *rooms, braid_room_t *room) {
  if (--room->sockets > 0) return;
  braid_events_unfollow_room(rooms->ctl, room->id);
  braid_map_del(rooms->rooms, room->id, strlen(room->id));
  braid_map_free(room->peers);
  braid_speakers_free(room->speakers);
  braid_free(room);
}

/* ---- open ------------------------------------------------------------ */

typedef struct connect_ctx {
  braid_ctl_t *ctl;
  uint64_t conn_id;
} connect_ctx_t;

/* The record is stored: tell the cluster about the peer it replaced. */
static void on_peer_connected(int err, const char *reason, json_t *old, void *ud) {
  connect_ctx_t *cc = ud;
  braid_ctl_t *ctl = cc->ctl;
  braid_peer_t *p = braid_rooms_find_peer(ctl->rooms, cc->conn_id);
  braid_free(cc);
  if (p == NULL) return;
  if (err == BRAID_ESTATE) { /* "peer exists": a broadcaster has this id */
    BRAID_LOGI("room", "peer %s: the id is a broadcaster's in room %s; closing", p->peer_id, p->room_id);
    braid_ws_conn_close(p->conn, 4000, "peerId taken by a broadcaster");
    return;
  }
  if (err != 0) {
    BRAID_LOGE("room", "peer %s: cannot store (%s); closing", p->peer_id, reason);
    braid_ws_conn_close(p->conn, 1011, "server error");
    return;
  }
  if (old == NULL) return;
  const char *old_ctl = json_string_value(json_object_get(old, "ctl"));
  const char *old_conn = json_string_value(json_object_get(old, "conn"));
  braid_event_t ev = {.type = BRAID_EV_PEER_EVICT,
                      .room_id = braid_str_c(p->room_id),
                      .peer_id = braid_str_c(p->peer_id),
                      .controller_id = braid_str_c(ctl->id),
                      .conn = p->conn_id};
  braid_events_publish(ctl, &ev);
  if (json_is_true(json_object_get(old, "joined")) && old_ctl && old_conn) {
    braid_event_t left = {.type = BRAID_EV_PEER_LEFT,
                          .room_id = braid_str_c(p->room_id),
                          .peer_id = braid_str_c(p->peer_id),
                          .controller_id = braid_str_c(old_ctl),
                          .conn = strtoull(old_conn, NULL, 10)};
    braid_events_publish(ctl, &left);
  }
}

static bool id_ok(const char *s) {
  json_t *j = json_string(s); /* NULL unless valid UTF-8 */
  bool ok = j != NULL;
  json_decref(j);
  for (const unsigned char *q = (const unsigned char *)s; ok && *q; q++) ok = *q >= 0x20 && *q != 0x7f;
  return ok;
}

void braid_rooms_on_open(braid_rooms_t *rooms, braid_ws_conn_t *c) {
  braid_ctl_t *ctl = rooms->ctl;
  if (!id_ok(c->room_id) || !id_ok(c->peer_id)) {
    braid_ws_conn_close(c, 1008, "invalid roomId or peerId");
    return;
  }
  braid_peer_t *p = braid_xcalloc(1, sizeof *p);
  p->conn_id = c->id;
  snprintf(p->conn_str, sizeof p->conn_str, "%llu", (unsigned long long)c->id);
  snprintf(p->room_id, sizeof p->room_id, "%s", c->room_id);
  snprintf(p->peer_id, sizeof p->peer_id, "%s", c->peer_id);
  snprintf(p->remote_address, sizeof p->remote_address, "%s", c->remote_address);
  p->dialect = strcmp(c->dialect, "legacy") == 0    ? BRAID_DIALECT_LEGACY
               : strcmp(c->dialect, "current") == 0 ? BRAID_DIALECT_CURRENT
                                                    : ctl->default_dialect;
  p->conn = c;
  c->data = p;
  braid_peer_media_init(&p->media, ctl->loop);
  BRAID_ASSERT(braid_map_put(rooms->by_conn, (const char *)&p->conn_id, sizeof p->conn_id, p) == 0);

  braid_room_t *room = room_get_or_create(rooms, p->room_id);
  room->sockets++;
  p->room = room;
  braid_peer_t *old = braid_map_get(room->peers, p->peer_id, strlen(p->peer_id));
  if (old != NULL) {
    /* Same peer id reconnected here (mediasoup-demo closes the stale peer). */
    old->replaced = true;
    braid_ws_conn_close(old->conn, 4000, "closed by protoo-server");
  }
  BRAID_ASSERT(braid_map_put(room->peers, p->peer_id, strlen(p->peer_id), p) == 0);
  BRAID_LOGI("room", "peer %s connected to room %s from %s (conn %s, %s dialect)", p->peer_id,
             p->room_id, p->remote_address, p->conn_str,
             p->dialect == BRAID_DIALECT_LEGACY ? "legacy" : "current");

  json_t *record = json_pack("{sssssssbssso}", "peerId", p->peer_id, "ctl", ctl->id, "conn",
                             p->conn_str, "joined", 0, "remoteAddress", p->remote_address,
                             "device", json_object());
  json_object_set_new(record, "ts", json_integer(braid_clock_wall_ms()));
  char *rec = json_dumps(record, JSON_COMPACT);
  json_decref(record);
  connect_ctx_t *cc = braid_xmalloc(sizeof *cc);
  cc->ctl = ctl;
  cc->conn_id = p->conn_id;
  braid_store_peer_connect(ctl, p->room_id, p->peer_id, rec, on_peer_connected, cc);
  free(rec);

  json_t *version = json_pack("{ss}", "version", BRAID_MEDIASOUP_VERSION);
  braid_peer_send(p, braid_protoo_notification(
                         p->dialect == BRAID_DIALECT_LEGACY ? "mediasoup-version" : "mediasoupVersion",
                         version));
}

/* ---- message --------------------------------------------------------- */

void braid_rooms_on_message(braid_rooms_t *rooms, braid_ws_conn_t *c, const char *text, size_t len) {
  braid_peer_t *p = c->data;
  braid_protoo_msg_t msg;
  const char *why = NULL;
  if (p == NULL) return;
  int rc = braid_protoo_parse(&msg, text, len, &why);
  if (rc != 0) {
    BRAID_LOGI("room", "peer %s: closing on bad message: %s", p->peer_id, why);
    braid_ws_conn_close(c, rc == BRAID_EMALFORMED ? 1007 : 1008, why);
    return;
  }
  switch (msg.kind) {
  case BRAID_PROTOO_REQUEST: braid_requests_handle(rooms->ctl, p, &msg); break;
  case BRAID_PROTOO_NOTIFICATION: braid_requests_notify(rooms->ctl, p, &msg); break;
  case BRAID_PROTOO_RESPONSE:
    /* An answer to one of our requests (newConsumer). */
    if (braid_protoo_pending_on_response(p->media.pending, &msg) != 0)
      BRAID_LOGD("room", "peer %s: response to an unknown request", p->peer_id);
    break;
  }
  braid_protoo_msg_cleanup(&msg);
}

/* ---- close ----------------------------------------------------------- */

static void on_routers_closed(int err, const braid_reply_t *reply, void *ud) {
  char *router = ud;
  if (err != 0) BRAID_LOGW("room", "router.close %s: %s", router, braid_strerror(err));
  braid_free(router);
}

void braid_rooms_after_leave(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                             const char *conn_str, json_t *res) {
  /* Its producers are gone: their consumers' peers hear consumerClosed
   * (and dataConsumerClosed for its data producers). */
  size_t i;
  json_t *pid;
  json_array_foreach(json_object_get(res, "producers"), i, pid) {
    if (json_is_string(pid))
      braid_producers_announce_closed(ctl, room_id, json_string_value(pid), "peer left");
  }
  json_array_foreach(json_object_get(res, "dataProducers"), i, pid) {
    if (json_is_string(pid))
      braid_data_producers_announce_closed(ctl, room_id, json_string_value(pid), "peer left");
  }
  if (json_is_true(json_object_get(res, "removed")) && json_is_true(json_object_get(res, "joined"))) {
    braid_event_t ev = {.type = BRAID_EV_PEER_LEFT,
                        .room_id = braid_str_c(room_id),
                        .peer_id = braid_str_c(peer_id),
                        .controller_id = braid_str_c(ctl->id),
                        .conn = strtoull(conn_str, NULL, 10)};
    braid_events_publish(ctl, &ev);
  }
  const char *tid;
  json_t *tnode;
  json_object_foreach(json_object_get(res, "transports"), tid, tnode) {
    if (json_is_string(tnode)) braid_transports_close_on_node(ctl, json_string_value(tnode), tid);
  }
  json_t *routers = json_object_get(res, "routers");
  if (json_integer_value(json_object_get(res, "remaining")) == 0) {
    const char *node;
    json_t *router;
    json_object_foreach(routers, node, router) {
      braid_cmd_t cmd = {.type = BRAID_CMD_ROUTER_CLOSE};
      cmd.u.router_close.router_id = braid_str_c(json_string_value(router));
      if (cmd.u.router_close.router_id.p == NULL) continue;
      braid_rpc_call(ctl->rpc, node, &cmd, on_routers_closed, braid_xstrdup(json_string_value(router)));
    }
    braid_event_t ev = {.type = BRAID_EV_ROOM_CLOSED, .room_id = braid_str_c(room_id)};
    braid_events_publish(ctl, &ev);
    BRAID_LOGI("room", "room %s closed: last peer left", room_id);
  }
}

static void on_peer_left(int err, const char *reason, json_t *res, void *ud) {
  leave_ctx_t *lc = ud;
  if (err != 0)
    BRAID_LOGW("room", "peer %s left room %s but the store failed: %s", lc->peer_id, lc->room_id,
               reason);
  else
    braid_rooms_after_leave(lc->ctl, lc->room_id, lc->peer_id, lc->conn_str, res);
  braid_free(lc);
}

void braid_rooms_on_close(braid_rooms_t *rooms, braid_ws_conn_t *c) {
  braid_peer_t *p = c->data;
  braid_ctl_t *ctl = rooms->ctl;
  if (p == NULL) return;
  c->data = NULL;
  p->conn = NULL;
  braid_map_del(rooms->by_conn, (const char *)&p->conn_id, sizeof p->conn_id);
  braid_room_t *room = p->room;
  if (braid_map_get(room->peers, p->peer_id, strlen(p->peer_id)) == p)
    braid_map_del(room->peers, p->peer_id, strlen(p->peer_id));
  BRAID_LOGI("room", "peer %s left room %s (conn %s)", p->peer_id, p->room_id, p->conn_str);
  if (!ctl->shutting_down) {
    /* The script removes the record only if this socket still holds it, so
     * a replaced peer leaves its successor alone. */
    leave_ctx_t *lc = braid_xmalloc(sizeof *lc);
    lc->ctl = ctl;
    snprintf(lc->room_id, sizeof lc->room_id, "%s", p->room_id);
    snprintf(lc->peer_id, sizeof lc->peer_id, "%s", p->peer_id);
    snprintf(lc->conn_str, sizeof lc->conn_str, "%s", p->conn_str);
    braid_store_peer_leave(ctl, p->room_id, p->peer_id, p->conn_str, on_peer_left, lc);
  }
  room_release_socket(rooms, room);
  braid_peer_media_cleanup(&p->media); /* after by_conn: late callbacks find no peer */
  json_decref(p->join_peers);
  braid_free(p);
}

/* ---- events ---------------------------------------------------------- */

typedef struct ev_ctx {
  braid_rooms_t *rooms;
  const braid_event_t *ev;
  json_t *record; /* peer.joined: the description, built per dialect */
} ev_ctx_t;

static void deliver_joined(braid_peer_t *p, void *ud) {
  ev_ctx_t *x = ud;
  const braid_event_t *ev = x->ev;
  if (!p->joined || braid_str_eq(ev->peer_id, p->peer_id)) return;
  /* Named in our join answer already: its event came late (pub/sub from
   * another controller is not ordered with our join). */
  char id[BRAID_PEER_ID_MAX + 1], holder[BRAID_ID_MAX + 32];
  braid_str_copy(id, sizeof id, ev->peer_id);
  snprintf(holder, sizeof holder, "%.*s/%llu", (int)ev->controller_id.len, ev->controller_id.p,
           (unsigned long long)ev->conn);
  const char *known = json_string_value(json_object_get(p->join_peers, id));
  if (known != NULL && strcmp(known, holder) == 0) return;
  json_t *info = braid_peer_info_from_record(p->dialect, x->record);
  braid_peer_send(p, braid_protoo_notification("newPeer", braid_peer_info_new_peer(p->dialect, info)));
}

static void deliver_left(braid_peer_t *p, void *ud) {
  ev_ctx_t *x = ud;
  char peer_id[BRAID_PEER_ID_MAX + 1];
  if (!p->joined || braid_str_eq(x->ev->peer_id, p->peer_id)) return;
  braid_str_copy(peer_id, sizeof peer_id, x->ev->peer_id);
  braid_peer_send(p, braid_protoo_notification("peerClosed", json_pack("{ss}", "peerId", peer_id)));
}

static void deliver_evict(braid_peer_t *p, void *ud) {
  ev_ctx_t *x = ud;
  braid_ctl_t *ctl = x->rooms->ctl;
  const braid_event_t *ev = x->ev;
  if (!braid_str_eq(ev->peer_id, p->peer_id)) return;
  if (braid_str_eq(ev->controller_id, ctl->id) && ev->conn == p->conn_id) return;
  p->replaced = true;
  BRAID_LOGI("room", "peer %s reconnected elsewhere; closing conn %s", p->peer_id, p->conn_str);
  if (p->conn) braid_ws_conn_close(p->conn, 4000, "closed by protoo-server");
}

/* The demo's rule (mediasoup-protocol.md §2.2): a transport whose ICE is
 * disconnected or closed (consent expired, its TCP connection gone), or
 * whose DTLS failed or closed, closes its whole peer. */
static void deliver_transport_state(braid_peer_t *p, void *ud) {
  ev_ctx_t *x = ud;
  const braid_event_t *ev = x->ev;
  char id[BRAID_ID_MAX + 1];
  if (braid_str_copy(id, sizeof id, ev->transport_id) != 0 ||
      braid_peer_media_transport(&p->media, id) == NULL)
    return;
  bool ice_down = braid_str_eq(ev->ice_state, "disconnected") || braid_str_eq(ev->ice_state, "closed");
  bool dtls_down = braid_str_eq(ev->dtls_state, "failed") || braid_str_eq(ev->dtls_state, "closed");
  if (!ice_down && !dtls_down) return;
  BRAID_LOGW("room", "peer %s: transport %s has ICE %.*s, DTLS %.*s: closing the peer", p->peer_id, id,
             (int)ev->ice_state.len, ev->ice_state.p, (int)ev->dtls_state.len, ev->dtls_state.p);
  if (p->conn) braid_ws_conn_close(p->conn, 4000, "closed by protoo-server");
}

/* transport.bwe: the legacy demo's downlinkBwe to the transport's owner
 * (mediasoup-protocol.md §2.4; the current dialect has no such message). */
static void deliver_bwe(braid_peer_t *p, void *ud) {
  ev_ctx_t *x = ud;
  const braid_event_t *ev = x->ev;
  char id[BRAID_ID_MAX + 1];
  if (p->dialect != BRAID_DIALECT_LEGACY || braid_str_copy(id, sizeof id, ev->transport_id) != 0 ||
      braid_peer_media_transport(&p->media, id) == NULL)
    return;
  json_t *d = json_pack("{sIsIsI}", "desiredBitrate", (json_int_t)ev->desired_bitrate,
                        "effectiveDesiredBitrate", (json_int_t)ev->effective_desired_bitrate,
                        "availableBitrate", (json_int_t)ev->available_bitrate);
  if (d != NULL) braid_peer_send(p, braid_protoo_notification("downlinkBwe", d));
}

void braid_rooms_on_event(braid_rooms_t *rooms, const uint8_t *data, size_t len) {
  braid_event_t ev;
  const char *why = NULL;
  char room_id[BRAID_ROOM_ID_MAX + 1];
  int rc = braid_event_decode(&ev, data, len, &why);
  if (rc != 0) {
    BRAID_LOGW("events", "dropped malformed room event: %s (%s)", braid_strerror(rc), why ? why : "-");
    return;
  }
  if (braid_str_copy(room_id, sizeof room_id, ev.room_id) != 0) return;
  ev_ctx_t x = {.rooms = rooms, .ev = &ev};
  /* Speakers take router.volumes / router.dominant_speaker, and learn and
   * forget producers' owners from producer.new / producer.closed. */
  braid_room_t *room = braid_map_get(rooms->rooms, room_id, strlen(room_id));
  if (room != NULL) braid_speakers_on_event(room->speakers, &ev, braid_clock_mono_ms());
  switch (ev.type) {
  case BRAID_EV_PEER_JOINED: {
    json_error_t jerr;
    json_t *device = json_loadb(ev.device_json.p, ev.device_json.len, 0, &jerr);
    x.record = json_object();
    json_object_set_new(x.record, "peerId", json_stringn(ev.peer_id.p, ev.peer_id.len));
    json_object_set_new(x.record, "displayName", json_stringn(ev.display_name.p, ev.display_name.len));
    json_object_set_new(x.record, "device", json_is_object(device) ? json_incref(device) : json_object());
    json_object_set_new(x.record, "remoteAddress", json_stringn(ev.remote_address.p, ev.remote_address.len));
    json_decref(device);
    braid_rooms_foreach_peer(rooms, room_id, deliver_joined, &x);
    json_decref(x.record);
    break;
  }
  case BRAID_EV_PEER_LEFT: braid_rooms_foreach_peer(rooms, room_id, deliver_left, &x); break;
  case BRAID_EV_PEER_EVICT:
    braid_rooms_foreach_peer(rooms, room_id, deliver_evict, &x);
    break;
  case BRAID_EV_PRODUCER_NEW:
    braid_consumers_on_producer_new(rooms->ctl, room_id, &ev);
    break;
  case BRAID_EV_PRODUCER_PAUSED:
  case BRAID_EV_PRODUCER_RESUMED:
  case BRAID_EV_PRODUCER_CLOSED:
  case BRAID_EV_CONSUMER_CLOSED:
  case BRAID_EV_CONSUMER_LAYERS:
    braid_consumer_control_on_event(rooms->ctl, room_id, &ev);
    break;
  case BRAID_EV_DATA_PRODUCER_NEW: braid_data_consumers_on_new(rooms->ctl, room_id, &ev); break;
  case BRAID_EV_DATA_PRODUCER_CLOSED:
  case BRAID_EV_DATA_CONSUMER_CLOSED:
    braid_data_consumers_on_closed(rooms->ctl, room_id, &ev);
    break;
  case BRAID_EV_PRODUCER_SCORE:
  case BRAID_EV_CONSUMER_SCORE: braid_scores_on_event(rooms->ctl, room_id, &ev); break;
  case BRAID_EV_TRANSPORT_STATE:
    braid_rooms_foreach_peer(rooms, room_id, deliver_transport_state, &x);
    break;
  case BRAID_EV_TRANSPORT_BWE: braid_rooms_foreach_peer(rooms, room_id, deliver_bwe, &x); break;
  default: break;
  }
}

void braid_rooms_resubscribe(braid_rooms_t *rooms) {
  braid_map_iter_t it;
  const char *key;
  braid_map_iter_init(&it, rooms->rooms);
  while (braid_map_iter_next(&it, &key, NULL, NULL)) braid_events_follow_room(rooms->ctl, key);
}
