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
#include "controller/room/consumer_control.h"
#include "controller/room/consumers.h"
#include "controller/room/data_consumers.h"
#include "controller/room/data_producers.h"
#include "controller/room/peer_info.h"
#include "controller/room/producers.h"
#include "controller/room/request.h"
#include "controller/room/stats.h"
#include "controller/room/transports.h"
#include "controller/signaling/fields.h"

#define MAX_DISPLAY_NAME 1024
#define MAX_DEVICE_JSON 4096

/* ---- getRouterRtpCapabilities ------------------------------------------ */

static void caps_ready(braid_req_t *rc) {
  braid_peer_t *p = braid_req_peer(rc);
  if (p != NULL) {
    json_t *caps = json_deep_copy(rc->ctl->router_caps);
    braid_reply_ok(p, rc->id,
             p->dialect == BRAID_DIALECT_LEGACY ? caps : json_pack("{so}", "routerRtpCapabilities", caps));
  }
  braid_req_free(rc);
}

static void handle_get_caps(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  braid_req_with_router(braid_req_new(ctl, p, req, "getRouterRtpCapabilities"), caps_ready);
}

/* ---- join ------------------------------------------------------------- */

static void on_joined(int err, const char *reason, json_t *others, void *ud) {
  braid_req_t *rc = ud;
  braid_ctl_t *ctl = rc->ctl;
  braid_peer_t *p = braid_req_peer(rc);
  if (p == NULL) { /* gone meanwhile: its leave cleans the record */
    braid_req_free(rc);
    return;
  }
  p->joining = false;
  if (err != 0) {
    braid_reply_error(p, rc->id, 500, reason);
    braid_req_free(rc);
    return;
  }
  p->joined = true;
  json_t *caps = json_object_get(rc->data, "rtpCapabilities");
  if (json_is_object(caps)) p->media.rtp_caps = json_deep_copy(caps);
  json_t *peers = json_array();
  size_t i;
  json_t *rec;
  json_decref(p->join_peers);
  p->join_peers = json_object();
  json_array_foreach(others, i, rec) {
    json_array_append_new(peers, braid_peer_info_from_record(p->dialect, rec));
    const char *id = json_string_value(json_object_get(rec, "peerId"));
    const char *ctl_id = json_string_value(json_object_get(rec, "ctl"));
    const char *conn = json_string_value(json_object_get(rec, "conn"));
    if (id && ctl_id && conn)
      json_object_set_new(p->join_peers, id, json_sprintf("%s/%s", ctl_id, conn));
  }
  braid_reply_ok(p, rc->id, json_pack("{so}", "peers", peers));

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
  braid_consumers_after_join(ctl, p); /* after the answer and newPeer (§2.8) */
  braid_data_consumers_after_join(ctl, p); /* then the chat data producers */
  braid_req_free(rc);
}

static void join_with_router(braid_req_t *rc) {
  braid_ctl_t *ctl = rc->ctl;
  braid_peer_t *p = braid_req_peer(rc);
  if (p == NULL) {
    braid_req_free(rc);
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
    braid_reply_error(p, req->id, 400, f.error);
    return;
  }
  if (device != NULL) {
    char *d = json_dumps(device, JSON_COMPACT);
    size_t n = d ? strlen(d) : 0;
    free(d);
    if (n > MAX_DEVICE_JSON) {
      braid_reply_error(p, req->id, 400, "join: \"device\" is too large");
      return;
    }
  }
  if (p->joined || p->joining) {
    braid_reply_error(p, req->id, 500, "Peer already joined");
    return;
  }
  p->joining = true;
  braid_req_with_router(braid_req_new(ctl, p, req, "join"), join_with_router);
}

/* ---- dispatch ----------------------------------------------------------- */

/* Methods of the mediasoup-demo protocol that later slices implement. */
static const char *const pending_methods[] = {
    "changeDisplayName", "applyNetworkThrottle", "resetNetworkThrottle", "stopNetworkThrottle", "getRtcStatsUrl", NULL};

static const char *const stats_methods[] = {"getTransportStats",    "getProducerStats",
                                            "getConsumerStats",     "getDataProducerStats",
                                            "getDataConsumerStats", NULL};

/* Methods that are requests in the legacy dialect and notifications in the
 * current one (§2.7); both forms are taken in both dialects. */
static const char *const producer_methods[] = {"closeProducer", "pauseProducer",
                                               "resumeProducer", NULL};
static const char *const consumer_methods[] = {"pauseConsumer", "resumeConsumer",
                                               "requestConsumerKeyFrame",
                                               "setConsumerPreferredLayers",
                                               "setConsumerPriority", NULL};

static const char *find_method(const char *const *list, const char *m) {
  for (; *list != NULL; list++)
    if (strcmp(*list, m) == 0) return *list;
  return NULL;
}

/* A producer, data producer or consumer control method, request or
 * notification: true when it was one. */
static bool handle_control(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg) {
  const char *m;
  if (strcmp(msg->method, "closeDataProducer") == 0) {
    braid_data_producers_close(ctl, p, msg);
    return true;
  }
  if ((m = find_method(producer_methods, msg->method)) != NULL)
    braid_producers_control(ctl, p, msg, m);
  else if ((m = find_method(consumer_methods, msg->method)) != NULL)
    braid_consumer_control(ctl, p, msg, m);
  return m != NULL;
}

void braid_requests_handle(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  const char *m = req->method;
  char reason[256];
  if (!json_is_object(req->data) && strcmp(m, "getRouterRtpCapabilities") != 0) {
    snprintf(reason, sizeof reason, "%.200s: \"data\" must be an object", m);
    braid_reply_error(p, req->id, 400, reason);
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
    braid_transports_create(ctl, p, req);
    return;
  }
  if (strcmp(m, "connectWebRtcTransport") == 0) {
    braid_transports_connect(ctl, p, req);
    return;
  }
  if (strcmp(m, "restartIce") == 0) {
    braid_transports_restart_ice(ctl, p, req);
    return;
  }
  if (strcmp(m, "produce") == 0) {
    braid_producers_produce(ctl, p, req);
    return;
  }
  if (strcmp(m, "produceData") == 0) {
    braid_data_producers_produce(ctl, p, req);
    return;
  }
  if (handle_control(ctl, p, req)) return;
  const char *sm = find_method(stats_methods, m);
  if (sm != NULL) {
    braid_stats_request(ctl, p, req, sm);
    return;
  }
  for (const char *const *pm = pending_methods; *pm != NULL; pm++) {
    if (strcmp(m, *pm) == 0) {
      snprintf(reason, sizeof reason, "request method \"%s\" is not implemented yet", m);
      braid_reply_error(p, req->id, 500, reason);
      return;
    }
  }
  snprintf(reason, sizeof reason, "unknown request method \"%.200s\"", m);
  braid_reply_error(p, req->id, 500, reason);
}

void braid_requests_notify(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg) {
  if (json_is_object(msg->data) && handle_control(ctl, p, msg)) return;
  BRAID_LOGD("room", "peer %s: notification %s ignored", p->peer_id, msg->method);
}
