#include "controller/room/transports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/rpc.h"
#include "controller/cluster/store.h"
#include "controller/room/request.h"
#include "controller/signaling/fields.h"
#include "proto/reply.h"
#include "proto/transport.h"

/* mediasoup's ICE consent timeout as the demo configures it (§2.2). */
#define ICE_CONSENT_TIMEOUT_S 20
/* SCTP defaults of mediasoup's WebRtcTransport (§3.2). */
#define SCTP_STREAMS 1024
#define SCTP_PORT 5000
#define SCTP_SEND_BUFFER_MIN 262144

/* What a create request needs between its steps. */
typedef struct create_ctx {
  char ufrag[33];
  char pwd[33];
  bool udp, tcp, sctp, producing;
  bool consuming; /* consumers go there (current: direction "consumer") */
  int port;       /* the transport's port as the node replied (0: use the node hash's) */
  json_t *node; /* owned: the node hash */
} create_ctx_t;

json_t *braid_transports_candidates(json_t *node, int transport_port, bool udp, bool tcp) {
  json_t *out = json_array();
  const char *ip = json_string_value(json_object_get(node, "announced_ip"));
  const char *port_s = json_string_value(json_object_get(node, "rtc_port"));
  json_int_t port = transport_port > 0 ? transport_port : port_s ? strtoll(port_s, NULL, 10) : 0;
  int index = 0;
  if (ip == NULL || port <= 0) return out;
  /* mediasoup: priority = 2^24 * 64 + 2^8 * localPreference + (256 - 1),
   * localPreference = 10000 - 100 * index over the server's listen infos. */
  for (int proto = 0; proto < 2; proto++, index++) {
    bool is_udp = proto == 0;
    if ((is_udp && !udp) || (!is_udp && !tcp)) continue;
    json_int_t local_pref = 10000 - 100 * index;
    json_t *c = json_pack("{sssIsssssIssss}", "foundation", is_udp ? "udpcandidate" : "tcpcandidate",
                          "priority", (json_int_t)(16777216LL * 64 + 256 * local_pref + 255), "ip", ip,
                          "address", ip, "port", port, "protocol", is_udp ? "udp" : "tcp", "type", "host");
    if (!is_udp) json_object_set_new(c, "tcpType", json_string("passive"));
    json_array_append_new(out, c);
  }
  return out;
}

json_t *braid_transports_dtls_parameters(json_t *node) {
  json_error_t jerr;
  const char *fp = json_string_value(json_object_get(node, "fingerprints"));
  json_t *fps = fp ? json_loads(fp, 0, &jerr) : NULL;
  if (!json_is_array(fps)) {
    json_decref(fps);
    fps = json_array();
  }
  return json_pack("{ssso}", "role", "auto", "fingerprints", fps);
}

long braid_transports_sctp_send_buffer(const braid_ctl_t *ctl) {
  long n = ctl->config->sctp_max_message_size;
  return n > SCTP_SEND_BUFFER_MIN ? n : SCTP_SEND_BUFFER_MIN;
}

json_t *braid_transports_sctp_parameters(const braid_ctl_t *ctl, int os, int mis,
                                         bool data_channel) {
  /* Both generations of the fields (mediasoup-protocol.md §7.2). */
  json_int_t max = ctl->config->sctp_max_message_size;
  return json_pack("{sisisisIsIsIsIsisb}", "port", SCTP_PORT, "OS", os, "MIS", mis,
                   "maxMessageSize", max, "maxSendMessageSize", max, "maxReceiveMessageSize", max,
                   "sendBufferSize", (json_int_t)braid_transports_sctp_send_buffer(ctl),
                   "sctpBufferedAmount", 0, "isDataChannel", data_channel);
}

static void create_ctx_free(create_ctx_t *cc) {
  json_decref(cc->node);
  braid_free(cc);
}

static void on_transport_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_req_t *rq = ud;
  create_ctx_t *cc = rq->extra;
  braid_peer_t *p = braid_req_peer(rq);
  if (err != 0 || p == NULL) {
    /* The peer left (or the room closed) while we created: undo on the node. */
    braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    create_ctx_free(cc);
    braid_req_fail(rq, 500, err ? reason : "peer closed");
    return;
  }
  braid_peer_transport_t *t = braid_peer_media_add_transport(&p->media, rq->transport_id,
                                                             rq->node_id, rq->router_id,
                                                             cc->consuming);
  if (t == NULL) {
    /* Checked when the request came; several were in flight. */
    braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    create_ctx_free(cc);
    braid_req_fail(rq, 500, "too many transports");
    return;
  }
  t->sctp = cc->sctp;
  bool legacy = p->dialect == BRAID_DIALECT_LEGACY;
  json_t *res = json_object();
  json_object_set_new(res, legacy ? "id" : "transportId", json_string(rq->transport_id));
  json_object_set_new(res, "iceParameters", json_pack("{sssssb}", "usernameFragment", cc->ufrag,
                                                       "password", cc->pwd, "iceLite", 1));
  json_object_set_new(res, "iceCandidates", braid_transports_candidates(cc->node, cc->port, cc->udp, cc->tcp));
  json_object_set_new(res, "dtlsParameters", braid_transports_dtls_parameters(cc->node));
  if (cc->sctp)
    json_object_set_new(res, "sctpParameters",
                        braid_transports_sctp_parameters(rq->ctl, SCTP_STREAMS, SCTP_STREAMS, true));
  BRAID_LOGI("transport", "peer %s: transport %s (%s) on node %s", p->peer_id, rq->transport_id,
             cc->producing ? "producer" : "consumer", rq->node_id);
  create_ctx_free(cc);
  braid_req_ok(rq, res);
}

static void on_transport_created(int err, const braid_reply_t *reply, void *ud) {
  braid_req_t *rq = ud;
  create_ctx_t *cc = rq->extra;
  braid_peer_t *p = braid_req_peer(rq);
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    create_ctx_free(cc);
    braid_req_fail(rq, 500, reason);
    return;
  }
  if (p == NULL) {
    braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    create_ctx_free(cc);
    braid_req_free(rq);
    return;
  }
  /* The port the transport listens on: the node's shared one in single-port
   * mode, its own in range mode. A node that predates "port" sends none:
   * the node hash's rtc_port is right for it. */
  uint16_t port = 0;
  const char *why = NULL;
  int rc = braid_reply_result_transport(reply, &port, &why);
  if (rc != 0 && rc != BRAID_EMISSING)
    BRAID_LOGW("transport", "transport %s: bad port in the node's reply (%s): using the node's rtc_port",
               rq->transport_id, why ? why : braid_strerror(rc));
  cc->port = rc == 0 ? port : 0;
  json_t *rec = json_pack("{sssssssssssssssssb}", "transportId", rq->transport_id, "peerId", p->peer_id,
                          "ctl", rq->ctl->id, "conn", p->conn_str, "node", rq->node_id, "router",
                          rq->router_id, "direction", cc->producing ? "producer" : "consumer",
                          "room", rq->room_id, "sctp", cc->sctp);
  char *text = json_dumps(rec, JSON_COMPACT);
  json_decref(rec);
  braid_store_transport_put(rq->ctl, rq->room_id, rq->transport_id, text, on_transport_stored, rq);
  free(text);
}

static void on_node_info(int err, const char *reason, json_t *node, void *ud) {
  braid_req_t *rq = ud;
  create_ctx_t *cc = rq->extra;
  if (err != 0 || node == NULL) {
    create_ctx_free(cc);
    braid_req_fail(rq, 500, err ? reason : "no media node available");
    return;
  }
  cc->node = json_incref(node);
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CREATE_WEBRTC};
  braid_cmd_transport_create_t *tc = &cmd.u.transport_create;
  tc->router_id = braid_str_c(rq->router_id);
  tc->transport_id = braid_str_c(rq->transport_id);
  tc->ufrag = braid_str_c(cc->ufrag);
  tc->pwd = braid_str_c(cc->pwd);
  tc->enable_udp = cc->udp;
  tc->enable_tcp = cc->tcp;
  tc->consent_timeout_s = ICE_CONSENT_TIMEOUT_S;
  tc->enable_sctp = cc->sctp;
  tc->sctp_os = tc->sctp_mis = cc->sctp ? SCTP_STREAMS : 0;
  tc->sctp_max_message_size = cc->sctp ? (uint64_t)rq->ctl->config->sctp_max_message_size : 0;
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_transport_created, rq);
}

static void create_with_router(braid_req_t *rq) {
  braid_store_node_info(rq->ctl, rq->node_id, on_node_info, rq);
}

void braid_transports_create(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  braid_fields_t f = {.method = "createWebRtcTransport"};
  bool force_tcp = false, producing = false, consuming = false;
  json_t *app_data = NULL, *sctp = NULL;
  const char *direction = NULL;
  if (!braid_fields_bool(&f, req->data, "forceTcp", false, &force_tcp) ||
      !braid_fields_object(&f, req->data, "sctpCapabilities", false, &sctp))
    goto bad_request;
  if (p->dialect == BRAID_DIALECT_LEGACY) {
    if (!braid_fields_bool(&f, req->data, "producing", false, &producing) ||
        !braid_fields_bool(&f, req->data, "consuming", false, &consuming))
      goto bad_request;
  } else {
    if (!braid_fields_object(&f, req->data, "appData", true, &app_data)) goto bad_request;
    braid_fields_t g = {.method = "createWebRtcTransport: appData"};
    if (!braid_fields_string(&g, app_data, "direction", true, 16, &direction) ||
        (strcmp(direction, "producer") != 0 && strcmp(direction, "consumer") != 0)) {
      snprintf(f.error, sizeof f.error, "%s",
               g.error[0] ? g.error
                          : "createWebRtcTransport: appData \"direction\" must be \"producer\" or \"consumer\"");
      goto bad_request;
    }
    producing = strcmp(direction, "producer") == 0;
    consuming = !producing;
  }
  if (braid_map_size(p->media.transports) >= BRAID_PEER_MAX_TRANSPORTS) {
    braid_reply_error(p, req->id, 500, "too many transports");
    return;
  }
  braid_req_t *rq = braid_req_new(ctl, p, req, "createWebRtcTransport");
  create_ctx_t *cc = braid_xcalloc(1, sizeof *cc);
  braid_id_random_string(cc->ufrag, 32);
  braid_id_random_string(cc->pwd, 32);
  cc->udp = !force_tcp;
  cc->tcp = true;
  /* Clients since mediasoup-client 3.21 send no sctpCapabilities: enable
   * SCTP always, as the newest demo server does (§2.8). */
  cc->sctp = true;
  cc->producing = producing;
  cc->consuming = consuming;
  braid_id_uuid(rq->transport_id);
  rq->extra = cc;
  braid_req_with_router(rq, create_with_router);
  return;
bad_request:
  braid_reply_error(p, req->id, 400, f.error);
}

/* ---- connect and restartIce ------------------------------------------------ */

static void on_node_answer(int err, const braid_reply_t *reply, void *ud) {
  braid_req_t *rq = ud;
  json_t *ice = rq->extra; /* restartIce: the new parameters; NULL for connect */
  rq->extra = NULL;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 1];
    braid_req_node_reason(err, reply, "", reason, sizeof reason);
    json_decref(ice);
    braid_req_fail(rq, 500, reason);
  } else if (ice != NULL) {
    braid_peer_t *p = braid_req_peer(rq);
    braid_req_ok(rq, p && p->dialect == BRAID_DIALECT_LEGACY ? ice : json_pack("{so}", "iceParameters", ice));
  } else {
    braid_req_ok(rq, json_object());
  }
}

static void on_transport_loaded(int err, const char *reason, json_t *rec, void *ud) {
  braid_req_t *rq = ud;
  braid_peer_t *p = braid_req_peer(rq);
  braid_transports_loaded_fn next = rq->then_record;
  char msg[160];
  if (err != 0) {
    braid_req_fail(rq, 500, reason);
    return;
  }
  if (p == NULL) {
    braid_req_free(rq);
    return;
  }
  const char *owner = json_string_value(json_object_get(rec, "peerId"));
  const char *conn = json_string_value(json_object_get(rec, "conn"));
  const char *node = json_string_value(json_object_get(rec, "node"));
  if (rec == NULL || owner == NULL || strcmp(owner, p->peer_id) != 0 || conn == NULL ||
      strcmp(conn, p->conn_str) != 0 || node == NULL) {
    snprintf(msg, sizeof msg, "transport with id \"%s\" not found", rq->transport_id);
    braid_req_fail(rq, 500, msg);
    return;
  }
  snprintf(rq->node_id, sizeof rq->node_id, "%s", node);
  next(rq, rec);
}

void braid_transports_load(braid_req_t *rq, const char *transport_id,
                           braid_transports_loaded_fn next) {
  snprintf(rq->transport_id, sizeof rq->transport_id, "%s", transport_id);
  rq->then_record = next;
  braid_store_transport_get(rq->ctl, rq->room_id, rq->transport_id, on_transport_loaded, rq);
}

static bool load_transport(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req,
                           const char *method, braid_transports_loaded_fn next) {
  braid_fields_t f = {.method = method};
  const char *tid;
  if (!braid_fields_string(&f, req->data, "transportId", true, BRAID_ID_MAX, &tid)) {
    braid_reply_error(p, req->id, 400, f.error);
    return false;
  }
  braid_transports_load(braid_req_new(ctl, p, req, method), tid, next);
  return true;
}

bool braid_transports_connect_cmd(json_t *dtls, const char *transport_id,
                                  braid_cmd_transport_connect_t *tc, char *err, size_t errlen) {
  braid_fields_t f = {.method = "connectWebRtcTransport"};
  const char *role = NULL, *alg = NULL, *value = NULL;
  json_t *fps = json_object_get(dtls, "fingerprints");
  if (!json_is_object(dtls)) {
    snprintf(err, errlen, "connectWebRtcTransport: \"dtlsParameters\" must be an object");
    return false;
  }
  if (!braid_fields_string(&f, dtls, "role", false, 16, &role)) {
    snprintf(err, errlen, "%s", f.error);
    return false;
  }
  if (!json_is_array(fps) || json_array_size(fps) == 0) {
    snprintf(err, errlen, "connectWebRtcTransport: dtlsParameters \"fingerprints\" must be a non-empty array");
    return false;
  }
  braid_fields_t g = {.method = "connectWebRtcTransport: fingerprint"};
  if (!braid_fields_string(&g, json_array_get(fps, 0), "algorithm", true, 16, &alg) ||
      !braid_fields_string(&g, json_array_get(fps, 0), "value", true, BRAID_DTLS_FP_MAX, &value)) {
    snprintf(err, errlen, "%s", g.error);
    return false;
  }
  if (role && strcmp(role, "client") != 0 && strcmp(role, "server") != 0 && strcmp(role, "auto") != 0) {
    snprintf(err, errlen, "connectWebRtcTransport: invalid dtlsParameters.role \"%.32s\"", role);
    return false;
  }
  tc->transport_id = braid_str_c(transport_id);
  tc->remote_role = braid_str_c(role ? role : "auto");
  tc->fp_algorithm = braid_str_c(alg);
  tc->fp_value = braid_str_c(value);
  return true;
}

static void connect_loaded(braid_req_t *rq, json_t *rec) {
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CONNECT};
  char err[256];
  (void)rec;
  /* Checked when the request came too; the same JSON gives the same answer. */
  if (!braid_transports_connect_cmd(json_object_get(rq->data, "dtlsParameters"), rq->transport_id,
                                    &cmd.u.transport_connect, err, sizeof err)) {
    braid_req_fail(rq, 400, err);
    return;
  }
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_node_answer, rq);
}

void braid_transports_connect(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  braid_cmd_transport_connect_t tc;
  char err[256];
  if (!braid_transports_connect_cmd(json_object_get(req->data, "dtlsParameters"), "", &tc, err,
                                    sizeof err)) {
    braid_reply_error(p, req->id, 400, err);
    return;
  }
  load_transport(ctl, p, req, "connectWebRtcTransport", connect_loaded);
}

static void restart_loaded(braid_req_t *rq, json_t *rec) {
  char ufrag[33], pwd[33];
  (void)rec;
  braid_id_random_string(ufrag, 32);
  braid_id_random_string(pwd, 32);
  rq->extra = json_pack("{sssssb}", "usernameFragment", ufrag, "password", pwd, "iceLite", 1);
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_RESTART_ICE};
  cmd.u.transport_restart_ice.transport_id = braid_str_c(rq->transport_id);
  cmd.u.transport_restart_ice.ufrag = braid_str_c(ufrag);
  cmd.u.transport_restart_ice.pwd = braid_str_c(pwd);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_node_answer, rq);
}

void braid_transports_restart_ice(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  load_transport(ctl, p, req, "restartIce", restart_loaded);
}

void braid_transports_close_on_node(braid_ctl_t *ctl, const char *node_id, const char *transport_id) {
  braid_node_ref(ctl, node_id, BRAID_CMD_TRANSPORT_CLOSE, transport_id);
}
