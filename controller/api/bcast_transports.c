/*
 * A broadcaster's transports: createPlainTransport with the demo's options
 * (rtcpMux false, comedia true by default) plus enableSrtp and
 * srtpCryptoSuite, and connect({ip, port, rtcpPort, srtpParameters}).
 *
 * The controller makes the transport's own SRTP key (as it makes ICE
 * credentials): it is in the creation answer (srtpParameters, for the
 * endpoint to decrypt what we send) and in the transport record; the node
 * gets both keys with transport.connect_plain. As mediasoup does, the
 * remote's crypto suite wins: when connect() names another suite than the
 * transport's, a new key of that suite is made and answered.
 *
 * sctpCapabilities {numStreams: {OS, MIS}} (each 1..65535, 1024 when
 * absent) give either type an SCTP association for DataChannels
 * (bcast_data.c): over DTLS for "webrtc", over the same UDP for "plain"
 * (port 5000 both sides). The answer then has mediasoup's sctpParameters
 * (transports.h), kept in the transport record too.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/api/api_routes.h"
#include "controller/cluster/bcast_store.h"
#include "controller/cluster/rpc.h"
#include "controller/ortc/srtp_params.h"
#include "controller/room/request.h"
#include "controller/room/transports.h"
#include "controller/signaling/fields.h"
#include "proto/reply.h"
#include "proto/transport.h"

/* What a create request carries between its steps. */
typedef struct plain_ctx {
  bool webrtc;          /* type "webrtc": ICE + DTLS, as a browser's */
  char ufrag[33], pwd[33];
  json_t *node;         /* owned: the node hash (webrtc: candidates, fingerprints) */
  bool rtcp_mux, comedia, srtp;
  char suite[32];
  char key[BRAID_ORTC_SRTP_KEY_B64_MAX];
  char direction[16];
  char ip[64]; /* the node's announced address */
  bool sctp;   /* sctpCapabilities given: an SCTP association (DataChannels) */
  int sctp_os, sctp_mis;
} plain_ctx_t;

static void plain_ctx_free(void *p) {
  plain_ctx_t *pc = p;
  if (pc) json_decref(pc->node);
  braid_free(pc);
}

/* ---- type "webrtc" ------------------------------------------------------------ */

/* mediasoup-demo's broadcaster WebRtcTransport: its webRtcServer, the
 * demo's consent timeout. */
#define ICE_CONSENT_TIMEOUT_S 20
/* numSctpStreams when sctpCapabilities name none: mediasoup's default. */
#define SCTP_STREAMS 1024

/* The record's SCTP fields: "sctp", and with it "sctpParameters" (what
 * the creation answers, plain or WebRTC). */
static void record_sctp(braid_api_req_t *rq, json_t *rec, bool data_channel) {
  plain_ctx_t *pc = rq->extra;
  json_object_set_new(rec, "sctp", json_boolean(pc->sctp));
  if (pc->sctp)
    json_object_set_new(rec, "sctpParameters",
                        braid_transports_sctp_parameters(rq->ctl, pc->sctp_os, pc->sctp_mis,
                                                         data_channel));
}

/* The command's SCTP fields. */
static void cmd_sctp(const braid_api_req_t *rq, bool *enable, uint64_t *os, uint64_t *mis,
                     uint64_t *max) {
  const plain_ctx_t *pc = rq->extra;
  *enable = pc->sctp;
  *os = pc->sctp ? (uint64_t)pc->sctp_os : 0;
  *mis = pc->sctp ? (uint64_t)pc->sctp_mis : 0;
  *max = pc->sctp ? (uint64_t)rq->ctl->config->sctp_max_message_size : 0;
}

static void on_webrtc_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  plain_ctx_t *pc = rq->extra;
  (void)json;
  if (err != 0) {
    braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  int port = json_integer_value(json_object_get(rq->transport, "port"));
  json_t *res = json_object();
  json_object_set_new(res, "id", json_string(rq->transport_id));
  json_object_set_new(res, "transportId", json_string(rq->transport_id));
  json_object_set_new(res, "iceParameters", json_pack("{sssssb}", "usernameFragment", pc->ufrag,
                                                       "password", pc->pwd, "iceLite", 1));
  json_object_set_new(res, "iceCandidates", braid_transports_candidates(pc->node, port, true, true));
  json_object_set_new(res, "dtlsParameters", braid_transports_dtls_parameters(pc->node));
  json_t *sctp = json_object_get(rq->transport, "sctpParameters");
  if (sctp) json_object_set(res, "sctpParameters", sctp);
  BRAID_LOGI("api", "broadcaster %s: webrtc transport %s on node %s", rq->peer_id, rq->transport_id,
             rq->node_id);
  braid_api_ok(rq, 200, res);
}

static void on_webrtc_created(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  plain_ctx_t *pc = rq->extra;
  uint16_t port = 0;
  const char *why = NULL;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    if (err == BRAID_ETIMEDOUT) braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : 500, "%s", reason);
    return;
  }
  if (braid_reply_result_transport(reply, &port, &why) != 0) port = 0; /* the node hash's rtc_port */
  json_t *rec = json_pack("{sssssssssssssssssssi}", "transportId", rq->transport_id, "peerId",
                          rq->peer_id, "ctl", BRAID_BCAST_CTL, "conn", BRAID_BCAST_CONN, "node",
                          rq->node_id, "router", rq->router_id, "direction", pc->direction, "room",
                          rq->room_id, "kind", "webrtc", "port", (int)port);
  record_sctp(rq, rec, true);
  rq->transport = rec;
  char *text = json_dumps(rec, JSON_COMPACT);
  braid_store_bcast_transport_put(rq->ctl, rq->room_id, rq->peer_id, rq->transport_id, text,
                                  on_webrtc_stored, rq);
  free(text);
}

static void create_webrtc(braid_api_req_t *rq) {
  plain_ctx_t *pc = rq->extra;
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CREATE_WEBRTC};
  braid_cmd_transport_create_t *tc = &cmd.u.transport_create;
  tc->router_id = braid_str_c(rq->router_id);
  tc->transport_id = braid_str_c(rq->transport_id);
  tc->ufrag = braid_str_c(pc->ufrag);
  tc->pwd = braid_str_c(pc->pwd);
  tc->enable_udp = tc->enable_tcp = true;
  tc->consent_timeout_s = ICE_CONSENT_TIMEOUT_S;
  cmd_sctp(rq, &tc->enable_sctp, &tc->sctp_os, &tc->sctp_mis, &tc->sctp_max_message_size);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_webrtc_created, rq);
}

/* ---- type "plain" --------------------------------------------------------------- */

/* The answer of both demo generations, and mediasoup's tuple. */
static json_t *created_answer(const braid_api_req_t *rq, const json_t *rec) {
  json_t *res = json_object();
  const char *ip = json_string_value(json_object_get(rec, "ip"));
  json_t *port = json_object_get(rec, "port"), *rtcp_port = json_object_get(rec, "rtcpPort");
  json_object_set_new(res, "id", json_string(rq->transport_id));
  json_object_set_new(res, "transportId", json_string(rq->transport_id));
  json_object_set_new(res, "ip", json_string(ip));
  json_object_set(res, "port", port);
  if (rtcp_port) json_object_set(res, "rtcpPort", rtcp_port);
  json_object_set_new(res, "tuple", json_pack("{sssssOss}", "localAddress", ip, "localIp", ip,
                                              "localPort", port, "protocol", "udp"));
  if (rtcp_port)
    json_object_set_new(res, "rtcpTuple", json_pack("{sssssOss}", "localAddress", ip, "localIp", ip,
                                                    "localPort", rtcp_port, "protocol", "udp"));
  json_t *srtp = json_object_get(rec, "srtpParameters");
  if (srtp) json_object_set(res, "srtpParameters", srtp);
  json_t *sctp = json_object_get(rec, "sctpParameters");
  if (sctp) json_object_set(res, "sctpParameters", sctp);
  return res;
}

static void on_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  (void)json;
  if (err != 0) { /* the room closed meanwhile: undo on the node */
    braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  BRAID_LOGI("api", "broadcaster %s: plain transport %s on node %s", rq->peer_id, rq->transport_id,
             rq->node_id);
  braid_api_ok(rq, 200, created_answer(rq, rq->transport));
}

static void on_plain_created(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  plain_ctx_t *pc = rq->extra;
  uint16_t port = 0, rtcp_port = 0;
  const char *why = NULL;
  char reason[BRAID_REASON_MAX + 32];
  if (err != 0 || !reply->ok) {
    if (err == BRAID_ETIMEDOUT) braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : 500, "%s", reason);
    return;
  }
  if (braid_reply_result_plain(reply, &port, &rtcp_port, &why) != 0) {
    braid_transports_close_on_node(rq->ctl, rq->node_id, rq->transport_id);
    braid_api_fail(rq, 500, "media node error: bad reply (%s)", why ? why : "no port");
    return;
  }
  json_t *rec = json_pack("{sssssssssssssssssssbsbsssi}", "transportId", rq->transport_id,
                          "peerId", rq->peer_id, "ctl", BRAID_BCAST_CTL, "conn", BRAID_BCAST_CONN,
                          "node", rq->node_id, "router", rq->router_id, "direction", pc->direction,
                          "room", rq->room_id, "kind", "plain", "rtcpMux", pc->rtcp_mux,
                          "comedia", pc->comedia, "ip", pc->ip, "port", (int)port);
  record_sctp(rq, rec, false);
  if (!pc->rtcp_mux) json_object_set_new(rec, "rtcpPort", json_integer(rtcp_port));
  if (pc->srtp)
    json_object_set_new(rec, "srtpParameters",
                        json_pack("{ssss}", "cryptoSuite", pc->suite, "keyBase64", pc->key));
  rq->transport = rec;
  char *text = json_dumps(rec, JSON_COMPACT);
  braid_store_bcast_transport_put(rq->ctl, rq->room_id, rq->peer_id, rq->transport_id, text,
                                  on_stored, rq);
  free(text);
}

static void on_node_info(int err, const char *reason, json_t *node, void *ud) {
  braid_api_req_t *rq = ud;
  plain_ctx_t *pc = rq->extra;
  const char *ip = json_string_value(json_object_get(node, "announced_ip"));
  if (err != 0 || node == NULL || ip == NULL) {
    braid_api_fail(rq, 503, "%s", err ? reason : "no media node available");
    return;
  }
  snprintf(pc->ip, sizeof pc->ip, "%s", ip);
  pc->node = json_incref(node);
  if (pc->webrtc) {
    create_webrtc(rq);
    return;
  }
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CREATE_PLAIN};
  braid_cmd_transport_create_plain_t *c = &cmd.u.transport_create_plain;
  c->router_id = braid_str_c(rq->router_id);
  c->transport_id = braid_str_c(rq->transport_id);
  c->rtcp_mux = pc->rtcp_mux;
  c->comedia = pc->comedia;
  c->enable_srtp = pc->srtp;
  cmd_sctp(rq, &c->enable_sctp, &c->sctp_os, &c->sctp_mis, &c->sctp_max_message_size);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_plain_created, rq);
}

static void create_with_router(braid_api_req_t *rq) {
  braid_store_node_info(rq->ctl, rq->node_id, on_node_info, rq);
}

static void create_after_peer(braid_api_req_t *rq) { braid_api_with_router(rq, create_with_router); }

/* sctpCapabilities {numStreams: {OS, MIS}}: each 1..65535, 1024 when
 * absent. Answers 400 and returns false when they are not. */
static bool sctp_capabilities(braid_api_req_t *rq, const json_t *caps, int *os, int *mis) {
  const json_t *n = json_object_get(caps, "numStreams");
  const char *keys[] = {"OS", "MIS"};
  int *out[] = {os, mis};
  if (n != NULL && !json_is_object(n)) {
    braid_api_fail(rq, 400, "invalid sctpCapabilities.numStreams: an object is expected");
    return false;
  }
  for (int i = 0; i < 2; i++) {
    const json_t *v = json_object_get(n, keys[i]);
    *out[i] = SCTP_STREAMS;
    if (v == NULL) continue;
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > BRAID_BCAST_MAX_SCTP_STREAMS) {
      braid_api_fail(rq, 400, "invalid sctpCapabilities.numStreams.%s: an integer 1..%d is expected",
                     keys[i], BRAID_BCAST_MAX_SCTP_STREAMS);
      return false;
    }
    *out[i] = (int)json_integer_value(v);
  }
  return true;
}

void braid_api_transport_create(braid_api_req_t *rq) {
  braid_fields_t f = {.method = "createBroadcasterTransport"};
  const char *type = NULL, *suite = NULL, *direction = NULL;
  bool rtcp_mux = false, comedia = true, srtp = false;
  json_t *sctp = NULL, *app = NULL;
  if (!braid_fields_string(&f, rq->body, "type", false, 16, &type) ||
      !braid_fields_bool(&f, rq->body, "rtcpMux", false, &rtcp_mux) ||
      !braid_fields_bool(&f, rq->body, "comedia", false, &comedia) ||
      !braid_fields_bool(&f, rq->body, "enableSrtp", false, &srtp) ||
      !braid_fields_string(&f, rq->body, "srtpCryptoSuite", false, 32, &suite) ||
      !braid_fields_string(&f, rq->body, "direction", false, 16, &direction) ||
      !braid_fields_object(&f, rq->body, "appData", false, &app) ||
      !braid_fields_object(&f, rq->body, "sctpCapabilities", false, &sctp)) {
    braid_api_fail(rq, 400, "%s", f.error);
    return;
  }
  if (type != NULL && strcmp(type, "plain") != 0 && strcmp(type, "webrtc") != 0) {
    braid_api_fail(rq, 400, "invalid type");
    return;
  }
  if (suite != NULL && braid_ortc_srtp_master_len(suite) == 0) {
    braid_api_fail(rq, 400, "invalid srtpCryptoSuite \"%s\"", suite);
    return;
  }
  if (direction == NULL && app != NULL) direction = json_string_value(json_object_get(app, "direction"));
  int os = 0, mis = 0;
  if (sctp != NULL && !sctp_capabilities(rq, sctp, &os, &mis)) return;
  plain_ctx_t *pc = braid_xcalloc(1, sizeof *pc);
  pc->sctp = sctp != NULL;
  pc->sctp_os = os;
  pc->sctp_mis = mis;
  pc->webrtc = type != NULL && strcmp(type, "webrtc") == 0;
  braid_id_random_string(pc->ufrag, 32);
  braid_id_random_string(pc->pwd, 32);
  pc->rtcp_mux = rtcp_mux;
  pc->comedia = comedia;
  pc->srtp = srtp;
  snprintf(pc->suite, sizeof pc->suite, "%s", suite ? suite : BRAID_ORTC_SRTP_DEFAULT_SUITE);
  snprintf(pc->direction, sizeof pc->direction, "%s",
           direction && strcmp(direction, "consumer") == 0 ? "consumer" : "producer");
  if (srtp) BRAID_ASSERT(braid_ortc_srtp_random_key(pc->suite, pc->key) == 0);
  rq->extra = pc;
  rq->extra_free = plain_ctx_free;
  braid_id_uuid(rq->transport_id);
  braid_api_load_peer(rq, create_after_peer);
}

/* ---- connect ---------------------------------------------------------------- */

typedef struct connect_ctx {
  char ip[64];
  int port, rtcp_port;
  char suite[32];
  char key[BRAID_ORTC_SRTP_KEY_B64_MAX];       /* the remote's */
  char local_key[BRAID_ORTC_SRTP_KEY_B64_MAX]; /* ours, for the same suite */
  json_t *srtp; /* owned: our srtpParameters after connect, NULL without SRTP */
} connect_ctx_t;

static void connect_ctx_free(void *p) {
  connect_ctx_t *cc = p;
  if (cc) json_decref(cc->srtp);
  braid_free(cc);
}

static void on_connect_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  connect_ctx_t *cc = rq->extra;
  if (err != 0) BRAID_LOGW("api", "transport %s connected, record not updated: %s", rq->transport_id, reason);
  else if (json == NULL) BRAID_LOGI("api", "transport %s closed while connecting", rq->transport_id);
  json_t *res = json_object();
  if (cc->srtp != NULL) json_object_set(res, "srtpParameters", cc->srtp);
  braid_api_ok(rq, 200, res);
}

static void on_connected(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  connect_ctx_t *cc = rq->extra;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    braid_req_node_reason(err, reply, "", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : braid_api_status(reply->error_code), "%s", reason);
    return;
  }
  BRAID_LOGI("api", "broadcaster %s: transport %s connected%s%s", rq->peer_id, rq->transport_id,
             cc->ip[0] ? " to " : "", cc->ip);
  /* Only what connect() changed: a consume or produce meanwhile (on any
   * controller) may have moved nextMid or set the CNAME. */
  json_t *fields = json_pack("{sb}", "connected", 1);
  if (cc->ip[0]) {
    json_object_set_new(fields, "remoteIp", json_string(cc->ip));
    json_object_set_new(fields, "remotePort", json_integer(cc->port));
  }
  if (cc->rtcp_port) json_object_set_new(fields, "remoteRtcpPort", json_integer(cc->rtcp_port));
  if (cc->suite[0]) {
    cc->srtp = json_pack("{ssss}", "cryptoSuite", cc->suite, "keyBase64", cc->local_key);
    json_object_set(fields, "srtpParameters", cc->srtp);
  }
  char *text = json_dumps(fields, JSON_COMPACT);
  json_decref(fields);
  braid_store_transport_merge(rq->ctl, rq->room_id, rq->transport_id, text, on_connect_stored, rq);
  free(text);
}

static void on_webrtc_connected(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    braid_req_node_reason(err, reply, "", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : braid_api_status(reply->error_code), "%s", reason);
    return;
  }
  braid_api_ok(rq, 200, NULL);
}

/* connect({dtlsParameters}) of a WebRtcTransport (the legacy demo's only
 * connect). */
static void connect_webrtc(braid_api_req_t *rq) {
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CONNECT};
  char err[256];
  if (!braid_transports_connect_cmd(json_object_get(rq->body, "dtlsParameters"), rq->transport_id,
                                    &cmd.u.transport_connect, err, sizeof err)) {
    braid_api_fail(rq, 400, "%s", err);
    return;
  }
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_webrtc_connected, rq);
}

/* A port from the body: absent (0), or an integer 1..65535. */
static bool body_port(braid_api_req_t *rq, const char *key, int *out) {
  json_t *v = json_object_get(rq->body, key);
  *out = 0;
  if (v == NULL || json_is_null(v)) return true;
  if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 65535) {
    braid_api_fail(rq, 400, "invalid %s: an integer 1..65535 is expected", key);
    return false;
  }
  *out = (int)json_integer_value(v);
  return true;
}

static void connect_loaded(braid_api_req_t *rq) {
  const json_t *rec = rq->transport;
  bool comedia = json_is_true(json_object_get(rec, "comedia"));
  bool rtcp_mux = json_is_true(json_object_get(rec, "rtcpMux"));
  const json_t *local = json_object_get(rec, "srtpParameters");
  json_t *ipv = json_object_get(rq->body, "ip"), *srtp = json_object_get(rq->body, "srtpParameters");
  char err[256];
  const char *kind = json_string_value(json_object_get(rec, "kind"));
  if (kind != NULL && strcmp(kind, "webrtc") == 0) {
    connect_webrtc(rq);
    return;
  }
  if (kind == NULL || strcmp(kind, "plain") != 0) {
    braid_api_fail(rq, 400, "transport with id \"%s\" is not a PlainTransport", rq->transport_id);
    return;
  }
  connect_ctx_t *cc = braid_xcalloc(1, sizeof *cc);
  rq->extra = cc;
  rq->extra_free = connect_ctx_free;
  if (!body_port(rq, "port", &cc->port) || !body_port(rq, "rtcpPort", &cc->rtcp_port)) return;
  if (ipv != NULL && !json_is_null(ipv)) {
    const char *ip = json_string_value(ipv);
    unsigned char addr[16];
    if (ip == NULL || strlen(ip) >= sizeof cc->ip ||
        (inet_pton(AF_INET, ip, addr) != 1 && inet_pton(AF_INET6, ip, addr) != 1)) {
      braid_api_fail(rq, 400, "invalid ip: an IPv4 or IPv6 address is expected");
      return;
    }
    snprintf(cc->ip, sizeof cc->ip, "%s", ip);
  }
  if (comedia && (cc->ip[0] || cc->port || cc->rtcp_port)) {
    braid_api_fail(rq, 400, "comedia transport: connect() takes srtpParameters only");
    return;
  }
  if (!comedia && (!cc->ip[0] || !cc->port)) {
    braid_api_fail(rq, 400, "missing ip or port");
    return;
  }
  if (!comedia && !rtcp_mux && !cc->rtcp_port) {
    braid_api_fail(rq, 400, "missing rtcpPort (the transport has no rtcpMux)");
    return;
  }
  if (rtcp_mux && cc->rtcp_port) {
    braid_api_fail(rq, 400, "rtcpPort given but the transport uses rtcpMux");
    return;
  }
  if (local == NULL && srtp != NULL && !json_is_null(srtp)) {
    braid_api_fail(rq, 400, "srtpParameters given but SRTP is not enabled on this transport");
    return;
  }
  if (local != NULL) {
    const char *suite, *key;
    if (srtp == NULL || json_is_null(srtp)) {
      braid_api_fail(rq, 400, "missing srtpParameters (SRTP is enabled on this transport)");
      return;
    }
    if (braid_ortc_srtp_params_check(srtp, &suite, &key, err, sizeof err) != 0) {
      braid_api_fail(rq, 400, "%s", err);
      return;
    }
    snprintf(cc->suite, sizeof cc->suite, "%s", suite);
    snprintf(cc->key, sizeof cc->key, "%s", key);
    const char *local_suite = json_string_value(json_object_get(local, "cryptoSuite"));
    const char *local_key = json_string_value(json_object_get(local, "keyBase64"));
    if (local_suite == NULL || local_key == NULL || strcmp(local_suite, suite) != 0) {
      BRAID_ASSERT(braid_ortc_srtp_random_key(suite, cc->local_key) == 0);
    } else {
      snprintf(cc->local_key, sizeof cc->local_key, "%s", local_key);
    }
  }
  braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CONNECT_PLAIN};
  braid_cmd_transport_connect_plain_t *c = &cmd.u.transport_connect_plain;
  c->transport_id = braid_str_c(rq->transport_id);
  c->ip = braid_str_c(cc->ip);
  c->port = (uint64_t)cc->port;
  c->rtcp_port = (uint64_t)cc->rtcp_port;
  c->srtp_suite = braid_str_c(cc->suite);
  c->srtp_key = braid_str_c(cc->key);
  c->srtp_local_key = braid_str_c(cc->local_key);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_connected, rq);
}

void braid_api_transport_connect(braid_api_req_t *rq) {
  braid_api_load_transport(rq, connect_loaded);
}
