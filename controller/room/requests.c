#include "controller/room/requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/events.h"
#include "controller/cluster/rpc.h"
#include "controller/cluster/store.h"
#include "controller/room/peer_info.h"
#include "controller/signaling/fields.h"

#define MAX_DISPLAY_NAME 1024
#define MAX_DEVICE_JSON 4096

/* A request that waits on Redis or a node. It names the peer by socket id:
 * the peer may be gone when the answer comes. */
typedef struct req_ctx {
  braid_ctl_t *ctl;
  uint64_t conn_id;
  json_t *id;   /* owned reference: the protoo request id */
  json_t *data; /* owned reference: the request data */
  const char *method;
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char node_id[BRAID_ID_MAX + 1];
  char router_id[BRAID_ID_MAX + 1];
  void (*then)(struct req_ctx *rc); /* next step once the router is ready */
} req_ctx_t;

static req_ctx_t *req_new(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  req_ctx_t *rc = braid_xcalloc(1, sizeof *rc);
  rc->ctl = ctl;
  rc->conn_id = p->conn_id;
  rc->id = json_incref(req->id);
  rc->data = json_incref(req->data);
  rc->method = req->method;
  snprintf(rc->room_id, sizeof rc->room_id, "%s", p->room_id);
  return rc;
}

static void req_free(req_ctx_t *rc) {
  json_decref(rc->id);
  json_decref(rc->data);
  braid_free(rc);
}

static braid_peer_t *req_peer(req_ctx_t *rc) { return braid_rooms_find_peer(rc->ctl->rooms, rc->conn_id); }

static void reply_ok(braid_peer_t *p, const json_t *id, json_t *data) {
  braid_peer_send(p, braid_protoo_response(id, data));
}

static void reply_error(braid_peer_t *p, const json_t *id, int code, const char *reason) {
  braid_peer_send(p, braid_protoo_error(id, code, reason));
}

/* Ends a request with an error, if its peer is still there. */
static void req_fail(req_ctx_t *rc, int code, const char *reason) {
  braid_peer_t *p = req_peer(rc);
  if (p != NULL) {
    p->joining = false; /* a join that failed may be retried */
    reply_error(p, rc->id, code, reason);
  }
  req_free(rc);
}

static const char *cluster_reason(int err) {
  switch (err) {
  case BRAID_ENONODE: return "no media node available";
  case BRAID_ETIMEDOUT: return "media node did not answer in time";
  case BRAID_ECLOSED: return "redis unavailable";
  default: return braid_strerror(err);
  }
}

/* ---- the room's router ------------------------------------------------ */

static void on_router_created(int err, const braid_reply_t *reply, void *ud) {
  req_ctx_t *rc = ud;
  if (err != 0) {
    BRAID_LOGW("room", "room %s: router.create on %s: %s", rc->room_id, rc->node_id,
               braid_strerror(err));
    req_fail(rc, 500, cluster_reason(err));
    return;
  }
  if (!reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    snprintf(reason, sizeof reason, "media node error: %.*s", (int)reply->reason.len, reply->reason.p);
    req_fail(rc, 500, reason);
    return;
  }
  rc->then(rc);
}

static void on_router_claimed(int err, const char *node_id, const char *router_id, void *ud) {
  req_ctx_t *rc = ud;
  if (err != 0) {
    req_fail(rc, 500, cluster_reason(err));
    return;
  }
  snprintf(rc->node_id, sizeof rc->node_id, "%s", node_id);
  snprintf(rc->router_id, sizeof rc->router_id, "%s", router_id);
  /* router.create is idempotent: whoever claimed it, make sure it exists. */
  braid_cmd_t cmd = {.type = BRAID_CMD_ROUTER_CREATE};
  cmd.u.router_create.router_id = braid_str_c(rc->router_id);
  cmd.u.router_create.room_id = braid_str_c(rc->room_id);
  braid_rpc_call(rc->ctl->rpc, rc->node_id, &cmd, on_router_created, rc);
}

/* Makes sure the room has a router on a live node, then runs then(rc). */
static void with_router(req_ctx_t *rc, void (*then)(req_ctx_t *rc)) {
  char router_id[BRAID_UUID_STRLEN + 1];
  braid_id_uuid(router_id);
  rc->then = then;
  braid_store_claim_router(rc->ctl, rc->room_id, router_id, on_router_claimed, rc);
}

/* ---- getRouterRtpCapabilities ------------------------------------------ */

static void caps_ready(req_ctx_t *rc) {
  braid_peer_t *p = req_peer(rc);
  if (p != NULL) {
    json_t *caps = json_deep_copy(rc->ctl->router_caps);
    reply_ok(p, rc->id,
             p->dialect == BRAID_DIALECT_LEGACY ? caps : json_pack("{so}", "routerRtpCapabilities", caps));
  }
  req_free(rc);
}

static void handle_get_caps(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  with_router(req_new(ctl, p, req), caps_ready);
}

/* ---- join ------------------------------------------------------------- */

static void on_joined(int err, const char *reason, json_t *others, void *ud) {
  req_ctx_t *rc = ud;
  braid_ctl_t *ctl = rc->ctl;
  braid_peer_t *p = req_peer(rc);
  if (p == NULL) { /* gone meanwhile: its leave cleans the record */
    req_free(rc);
    return;
  }
  p->joining = false;
  if (err != 0) {
    reply_error(p, rc->id, 500, reason);
    req_free(rc);
    return;
  }
  p->joined = true;
  json_t *peers = json_array();
  size_t i;
  json_t *rec;
  json_array_foreach(others, i, rec) json_array_append_new(peers, braid_peer_info_from_record(p->dialect, rec));
  reply_ok(p, rc->id, json_pack("{so}", "peers", peers));

  const char *name = json_string_value(json_object_get(rc->data, "displayName"));
  json_t *device = json_object_get(rc->data, "device");
  char *device_json = json_is_object(device) ? json_dumps(device, JSON_COMPACT) : NULL;
  braid_event_t ev = {.type = BRAID_EV_PEER_JOINED,
                      .room_id = braid_str_c(p->room_id),
                      .peer_id = braid_str_c(p->peer_id),
                      .controller_id = braid_str_c(ctl->id),
                      .conn = p->conn_id,
                      .display_name = braid_str_c(name ? name : ""),
                      .device_json = braid_str_c(device_json ? device_json : "{}"),
                      .remote_address = braid_str_c(p->remote_address)};
  braid_events_publish(ctl, &ev);
  free(device_json);
  BRAID_LOGI("room", "peer %s joined room %s (%zu others)", p->peer_id, p->room_id,
             json_array_size(peers));
  req_free(rc);
}

static void join_with_router(req_ctx_t *rc) {
  braid_ctl_t *ctl = rc->ctl;
  braid_peer_t *p = req_peer(rc);
  if (p == NULL) {
    req_free(rc);
    return;
  }
  const char *name = json_string_value(json_object_get(rc->data, "displayName"));
  json_t *device = json_object_get(rc->data, "device");
  json_t *record = json_pack("{sssssssbssss}", "peerId", p->peer_id, "ctl", ctl->id, "conn",
                             p->conn_str, "joined", 1, "displayName", name ? name : "",
                             "remoteAddress", p->remote_address);
  json_object_set_new(record, "device", json_is_object(device) ? json_incref(device) : json_object());
  json_object_set_new(record, "ts", json_integer(braid_clock_wall_ms()));
  char *text = json_dumps(record, JSON_COMPACT);
  json_decref(record);
  braid_store_peer_join(ctl, p->room_id, p->peer_id, p->conn_str, text, on_joined, rc);
  free(text);
}

static void handle_join(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  braid_fields_t f = {.method = "join"};
  const char *name;
  json_t *device, *caps, *sctp;
  if (!braid_fields_string(&f, req->data, "displayName", false, MAX_DISPLAY_NAME, &name) ||
      !braid_fields_object(&f, req->data, "device", false, &device) ||
      !braid_fields_object(&f, req->data, "rtpCapabilities", false, &caps) ||
      !braid_fields_object(&f, req->data, "sctpCapabilities", false, &sctp)) {
    reply_error(p, req->id, 400, f.error);
    return;
  }
  if (device != NULL) {
    char *d = json_dumps(device, JSON_COMPACT);
    size_t n = d ? strlen(d) : 0;
    free(d);
    if (n > MAX_DEVICE_JSON) {
      reply_error(p, req->id, 400, "join: \"device\" is too large");
      return;
    }
  }
  if (p->joined || p->joining) {
    reply_error(p, req->id, 500, "Peer already joined");
    return;
  }
  p->joining = true;
  with_router(req_new(ctl, p, req), join_with_router);
}

/* ---- createWebRtcTransport ------------------------------------------------ */

/* Validates the request as each dialect shapes it (§2.2, §2.7). Returns
 * false with the reason in f->error. */
static bool check_create_webrtc_transport(braid_fields_t *f, braid_dialect_t dialect, json_t *data) {
  bool force_tcp = false, producing = false, consuming = false;
  json_t *app_data, *sctp;
  const char *direction;
  if (!braid_fields_bool(f, data, "forceTcp", false, &force_tcp) ||
      !braid_fields_object(f, data, "sctpCapabilities", false, &sctp))
    return false;
  if (dialect == BRAID_DIALECT_LEGACY)
    return braid_fields_bool(f, data, "producing", false, &producing) &&
           braid_fields_bool(f, data, "consuming", false, &consuming);
  if (!braid_fields_object(f, data, "appData", true, &app_data)) return false;
  braid_fields_t g = {.method = "createWebRtcTransport: appData"};
  if (!braid_fields_string(&g, app_data, "direction", true, 16, &direction) ||
      (strcmp(direction, "producer") != 0 && strcmp(direction, "consumer") != 0)) {
    snprintf(f->error, sizeof f->error, "%s",
             g.error[0] ? g.error
                        : "createWebRtcTransport: appData \"direction\" must be \"producer\" or \"consumer\"");
    return false;
  }
  return true;
}

/* ---- dispatch ----------------------------------------------------------- */

/* Methods of the mediasoup-demo protocol that later slices implement. */
static const char *const pending_methods[] = {
    "createWebRtcTransport", "connectWebRtcTransport", "restartIce", "produce", "produceData",
    "closeProducer", "pauseProducer", "resumeProducer", "pauseConsumer", "resumeConsumer",
    "setConsumerPreferredLayers", "setConsumerPriority", "requestConsumerKeyFrame",
    "changeDisplayName", "getTransportStats", "getProducerStats", "getConsumerStats",
    "getDataProducerStats", "getDataConsumerStats", "applyNetworkThrottle",
    "resetNetworkThrottle", "stopNetworkThrottle", "getRtcStatsUrl", NULL};

void braid_requests_handle(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  const char *m = req->method;
  char reason[256];
  if (!json_is_object(req->data) && strcmp(m, "getRouterRtpCapabilities") != 0) {
    snprintf(reason, sizeof reason, "%.200s: \"data\" must be an object", m);
    reply_error(p, req->id, 400, reason);
    return;
  }
  if (strcmp(m, "getRouterRtpCapabilities") == 0) {
    handle_get_caps(ctl, p, req);
    return;
  }
  if (strcmp(m, "join") == 0) {
    handle_join(ctl, p, req);
    return;
  }
  if (strcmp(m, "createWebRtcTransport") == 0) {
    braid_fields_t f = {.method = m};
    if (!check_create_webrtc_transport(&f, p->dialect, req->data)) {
      reply_error(p, req->id, 400, f.error);
      return;
    }
  }
  for (const char *const *pm = pending_methods; *pm != NULL; pm++) {
    if (strcmp(m, *pm) == 0) {
      snprintf(reason, sizeof reason, "request method \"%s\" is not implemented yet", m);
      reply_error(p, req->id, 500, reason);
      return;
    }
  }
  snprintf(reason, sizeof reason, "unknown request method \"%.200s\"", m);
  reply_error(p, req->id, 500, reason);
}

void braid_requests_notify(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg) {
  (void)ctl;
  BRAID_LOGD("room", "peer %s: notification %s ignored", p->peer_id, msg->method);
}
