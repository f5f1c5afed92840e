/*
 * A broadcaster's producers and consumers: mediasoup-demo's
 * createBroadcasterProducer / createBroadcasterConsumer (and the current
 * demo's produce / consume / resumeConsumer), on its plain transports.
 *
 * A producer is announced to the room like a browser's (producer.new):
 * every controller then makes consumers of it for its own peers. A
 * consumer is made for the broadcaster's rtpCapabilities (from its
 * creation, or the request's in the current API), keeps the router's
 * payload types and extension ids, and is resumed at once unless asked
 * paused; resuming a video consumer asks its producer for a key frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/api/api_routes.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/bcast_store.h"
#include "controller/cluster/events.h"
#include "controller/cluster/media_store.h"
#include "controller/cluster/rpc.h"
#include "controller/ortc/consume.h"
#include "controller/ortc/consumer.h"
#include "controller/ortc/produce.h"
#include "controller/room/pipes.h"
#include "controller/room/media_cmd.h"
#include "controller/room/request.h"
#include "controller/signaling/fields.h"

/* mediasoup draws mapped SSRCs and consumer SSRCs from [1e8, 1e9). */
#define SSRC_LO 100000000u
#define SSRC_HI 999999999u

static const char *str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* ---- produce ---------------------------------------------------------------- */

typedef struct produce_ctx {
  braid_ortc_produce_t res; /* owned */
  char producer_id[BRAID_UUID_STRLEN + 1];
  char kind[8];
} produce_ctx_t;

static void produce_ctx_free(void *p) {
  produce_ctx_t *pc = p;
  braid_ortc_produce_cleanup(&pc->res);
  braid_free(pc);
}

static void on_producer_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  (void)json;
  if (err != 0) {
    braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_PRODUCER_CLOSE, pc->producer_id);
    braid_api_fail(rq, err == BRAID_ESTATE ? 409 : braid_api_status(err), "%s",
                   err == BRAID_ESTATE ? "broadcaster not joined, or transport closed" : reason);
    return;
  }
  BRAID_LOGI("api", "broadcaster %s: %s producer %s on transport %s", rq->peer_id, pc->kind,
             pc->producer_id, rq->transport_id);
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_NEW,
                      .room_id = braid_str_c(rq->room_id),
                      .producer_id = braid_str_c(pc->producer_id),
                      .peer_id = braid_str_c(rq->peer_id)};
  braid_events_publish(rq->ctl, &ev);
  braid_api_ok(rq, rq->current ? 201 : 200,
               json_pack("{ssss}", "id", pc->producer_id, "producerId", pc->producer_id));
}

static void on_producer_created(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    if (err == BRAID_ETIMEDOUT) braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_PRODUCER_CLOSE, pc->producer_id);
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : braid_api_status(reply->error_code), "%s",
                   reason);
    return;
  }
  braid_media_holder_t h = {.peer_id = rq->peer_id, .ctl = BRAID_BCAST_CTL, .conn = BRAID_BCAST_CONN};
  char *text = braid_media_producer_record(&h, pc->producer_id, rq->transport_id, rq->node_id,
                                           rq->router_id, pc->kind, &pc->res,
                                           json_object_get(rq->body, "appData"));
  braid_store_bcast_producer_put(rq->ctl, rq->room_id, pc->producer_id, rq->peer_id,
                                 rq->transport_id, text, on_producer_stored, rq);
  free(text);
}

static void produce_loaded(braid_api_req_t *rq) {
  braid_ctl_t *ctl = rq->ctl;
  braid_ortc_transport_t ortc;
  char err[256], cname[BRAID_UUID_STRLEN + 1];
  bool changed = false;
  const json_t *kind = json_object_get(rq->body, "kind");
  const char *known = str(rq->transport, "cname");
  braid_ortc_transport_init(&ortc, false);
  if (known) ortc.cname = json_string(known);
  produce_ctx_t *pc = braid_xcalloc(1, sizeof *pc);
  rq->extra = pc;
  rq->extra_free = produce_ctx_free;
  braid_id_uuid(cname);
  int rc = braid_ortc_produce(&ortc, kind, json_object_get(rq->body, "rtpParameters"),
                              ctl->router_caps, braid_id_random_u32(SSRC_LO, SSRC_HI), cname,
                              &pc->res, &changed, err, sizeof err);
  if (rc == 0 && changed)
    braid_store_transport_set_cname(ctl, rq->room_id, rq->transport_id, json_string_value(ortc.cname));
  braid_ortc_transport_cleanup(&ortc);
  braid_cmd_t cmd = {.type = BRAID_CMD_PRODUCER_CREATE};
  if (rc == 0) {
    snprintf(pc->kind, sizeof pc->kind, "%s", json_string_value(kind));
    braid_id_uuid(pc->producer_id);
    rc = braid_media_cmd_producer(&cmd.u.producer_create, &pc->res, pc->kind, rq->transport_id,
                                  pc->producer_id, err, sizeof err);
  }
  if (rc != 0) {
    braid_api_fail(rq, rc == BRAID_EINVAL ? 400 : 500, "%s", err);
    return;
  }
  braid_rpc_call(ctl->rpc, rq->node_id, &cmd, on_producer_created, rq);
}

void braid_api_produce(braid_api_req_t *rq) {
  braid_fields_t f = {.method = "produce"};
  const char *tid = NULL, *kind;
  json_t *params, *app;
  if ((rq->current && !braid_fields_string(&f, rq->body, "transportId", true, BRAID_ID_MAX, &tid)) ||
      !braid_fields_string(&f, rq->body, "kind", true, 16, &kind) ||
      !braid_fields_object(&f, rq->body, "rtpParameters", true, &params) ||
      !braid_fields_object(&f, rq->body, "appData", false, &app)) {
    braid_api_fail(rq, 400, "%s", f.error);
    return;
  }
  if (tid) snprintf(rq->transport_id, sizeof rq->transport_id, "%s", tid);
  braid_api_load_transport(rq, produce_loaded);
}

/* ---- consume ---------------------------------------------------------------- */

typedef struct consume_ctx {
  json_t *producer; /* owned: the producer's record */
  json_t *caps;     /* borrowed from the body or the broadcaster's record */
  json_t *params;   /* owned: the consumer's rtpParameters */
  char consumer_id[BRAID_UUID_STRLEN + 1];
  bool paused;
} consume_ctx_t;

static void consume_ctx_free(void *p) {
  consume_ctx_t *cc = p;
  json_decref(cc->producer);
  json_decref(cc->params);
  braid_free(cc);
}

static void on_consumer_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  consume_ctx_t *cc = rq->extra;
  if (err != 0 || json == NULL) { /* the producer or the broadcaster went meanwhile */
    braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_CONSUMER_CLOSE, cc->consumer_id);
    braid_api_fail(rq, err ? braid_api_status(err) : 404, "%s",
                   err ? reason : "producer closed or broadcaster not joined");
    return;
  }
  const char *pid = str(cc->producer, "producerId");
  BRAID_LOGI("api", "broadcaster %s: consumer %s of producer %s on transport %s (mid %s)", rq->peer_id,
             cc->consumer_id, pid, rq->transport_id, str(cc->params, "mid"));
  json_t *res = json_pack("{sssssssOsOsOsb}", "id", cc->consumer_id, "consumerId", cc->consumer_id,
                          "producerId", pid, "kind", json_object_get(cc->producer, "kind"),
                          "rtpParameters", cc->params, "type", json_object_get(cc->producer, "type"),
                          "producerPaused", json_is_true(json_object_get(cc->producer, "paused")));
  braid_api_ok(rq, rq->current ? 201 : 200, res);
}

static void on_consumer_created(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  consume_ctx_t *cc = rq->extra;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    if (err == BRAID_ETIMEDOUT) braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_CONSUMER_CLOSE, cc->consumer_id);
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : braid_api_status(reply->error_code), "%s",
                   reason);
    return;
  }
  json_t *rec = braid_media_record_new(cc->paused);
  json_object_set_new(rec, "consumerId", json_string(cc->consumer_id));
  json_object_set(rec, "producerId", json_object_get(cc->producer, "producerId"));
  json_object_set_new(rec, "peerId", json_string(rq->peer_id));
  json_object_set_new(rec, "ctl", json_string(BRAID_BCAST_CTL));
  json_object_set_new(rec, "conn", json_string(BRAID_BCAST_CONN));
  json_object_set_new(rec, "transportId", json_string(rq->transport_id));
  json_object_set_new(rec, "node", json_string(rq->node_id));
  json_object_set(rec, "kind", json_object_get(cc->producer, "kind"));
  json_object_set(rec, "type", json_object_get(cc->producer, "type"));
  char *text = json_dumps(rec, JSON_COMPACT);
  json_decref(rec);
  braid_store_consumer_placed(rq->ctl, rq->node_id);
  braid_store_bcast_consumer_put(rq->ctl, rq->room_id, cc->consumer_id, rq->peer_id,
                                 str(cc->producer, "producerId"), text, on_consumer_stored, rq);
  free(text);
}

static void on_mid(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  consume_ctx_t *cc = rq->extra;
  char err_text[256], mid[16];
  if (err != 0 || json == NULL) {
    braid_api_fail(rq, err ? braid_api_status(err) : 404, "%s",
                   err ? reason : "transport closed");
    return;
  }
  snprintf(mid, sizeof mid, "%lld", (long long)json_integer_value(json_object_get(json, "mid")));
  const char *pid = str(cc->producer, "producerId"), *kind = str(cc->producer, "kind");
  braid_ortc_transport_t ortc;
  braid_ortc_transport_init(&ortc, false);
  braid_ortc_consume_req_t req = {.producer_id = pid,
                                  .consumable = json_object_get(cc->producer, "consumable"),
                                  .kind = kind,
                                  .rtp_capabilities = cc->caps,
                                  .mid = mid,
                                  .enable_rtx = BRAID_ORTC_RTX_DEFAULT,
                                  .random_ssrc = braid_id_random_u32(SSRC_LO, SSRC_HI)};
  braid_cmd_t cmd = {.type = BRAID_CMD_CONSUMER_CREATE};
  braid_id_uuid(cc->consumer_id);
  int rc = braid_ortc_consume(&ortc, &req, &cc->params, NULL, err_text, sizeof err_text);
  braid_ortc_transport_cleanup(&ortc);
  if (rc == 0)
    rc = braid_media_cmd_consumer(&cmd.u.consumer_create, cc->params, kind, str(cc->producer, "type"),
                                  rq->transport_id, cc->consumer_id, pid, err_text, sizeof err_text);
  if (rc != 0) {
    braid_api_fail(rq, rc == BRAID_ENOMEM ? 500 : 400, "%s", err_text);
    return;
  }
  cmd.u.consumer_create.paused = cc->paused;
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_consumer_created, rq);
}

static void on_piped(int err, const char *reason, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "producer \"%s\" cannot reach the transport's media "
                   "node: %s", rq->object_id, reason);
    return;
  }
  braid_store_transport_next_mid(rq->ctl, rq->room_id, rq->transport_id, on_mid, rq);
}

static void on_producer(int err, const char *reason, json_t *rec, void *ud) {
  braid_api_req_t *rq = ud;
  consume_ctx_t *cc = rq->extra;
  char why[256] = "";
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  if (!json_is_object(rec) || str(rec, "producerId") == NULL || str(rec, "kind") == NULL ||
      str(rec, "type") == NULL || !json_is_object(json_object_get(rec, "consumable"))) {
    braid_api_fail(rq, 404, "producer with id \"%s\" not found", rq->object_id);
    return;
  }
  cc->producer = json_incref(rec);
  const char *node = str(rec, "node");
  if (node == NULL) {
    braid_api_fail(rq, 404, "producer with id \"%s\" not found", rq->object_id);
    return;
  }
  if (!braid_ortc_consumer_can_consume(json_object_get(rec, "consumable"), cc->caps, why, sizeof why)) {
    braid_api_fail(rq, 400, "cannot consume producer \"%s\"%s%s", rq->object_id, why[0] ? ": " : "", why);
    return;
  }
  /* A producer of another node is piped to the transport's first. */
  if (strcmp(node, rq->node_id) != 0)
    braid_pipe_ensure(rq->ctl, rq->room_id, rq->object_id, rq->node_id, on_piped, rq);
  else
    braid_store_transport_next_mid(rq->ctl, rq->room_id, rq->transport_id, on_mid, rq);
}

static void consume_loaded(braid_api_req_t *rq) {
  consume_ctx_t *cc = rq->extra;
  if (cc->caps == NULL) cc->caps = json_object_get(rq->peer, "rtpCapabilities");
  if (!json_is_object(cc->caps)) {
    braid_api_fail(rq, 400, "broadcaster does not have rtpCapabilities");
    return;
  }
  braid_store_producer_get(rq->ctl, rq->room_id, rq->object_id, on_producer, rq);
}

void braid_api_consume(braid_api_req_t *rq) {
  braid_fields_t f = {.method = "consume"};
  const char *tid = NULL, *pid = braid_http_req_query(rq->http, "producerId");
  json_t *caps = NULL;
  bool paused = false;
  if (rq->current &&
      (!braid_fields_string(&f, rq->body, "transportId", true, BRAID_ID_MAX, &tid) ||
       !braid_fields_string(&f, rq->body, "producerId", true, BRAID_ID_MAX, &pid)))
    goto bad_request;
  if (!braid_fields_bool(&f, rq->body, "paused", false, &paused) ||
      !braid_fields_object(&f, rq->body, "rtpCapabilities", false, &caps))
    goto bad_request;
  if (pid == NULL || pid[0] == '\0' || strlen(pid) > BRAID_ID_MAX) {
    braid_api_fail(rq, 400, "missing or invalid producerId");
    return;
  }
  if (tid) snprintf(rq->transport_id, sizeof rq->transport_id, "%s", tid);
  snprintf(rq->object_id, sizeof rq->object_id, "%s", pid);
  consume_ctx_t *cc = braid_xcalloc(1, sizeof *cc);
  cc->caps = caps; /* borrowed from rq->body */
  cc->paused = paused;
  rq->extra = cc;
  rq->extra_free = consume_ctx_free;
  braid_api_load_transport(rq, consume_loaded);
  return;
bad_request:
  braid_api_fail(rq, 400, "%s", f.error);
}

/* ---- resume ------------------------------------------------------------------ */

static void on_resumed(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : braid_api_status(reply->error_code), "%s",
                   reason);
    return;
  }
  braid_store_set_paused(rq->ctl, rq->room_id, BRAID_STORE_CONSUMERS, rq->object_id, false, NULL,
                         NULL);
  braid_api_ok(rq, 200, NULL);
}

static void on_consumer(int err, const char *reason, json_t *rec, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  const char *owner = str(rec, "peerId"), *node = str(rec, "node");
  if (!json_is_object(rec) || owner == NULL || strcmp(owner, rq->peer_id) != 0 || node == NULL) {
    braid_api_fail(rq, 404, "consumer with id \"%s\" not found", rq->object_id);
    return;
  }
  snprintf(rq->node_id, sizeof rq->node_id, "%s", node);
  braid_cmd_t cmd = {.type = BRAID_CMD_CONSUMER_RESUME};
  cmd.u.consumer_ref.consumer_id = braid_str_c(rq->object_id);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_resumed, rq);
}

static void resume_loaded(braid_api_req_t *rq) {
  braid_store_consumer_get(rq->ctl, rq->room_id, rq->object_id, on_consumer, rq);
}

void braid_api_consumer_resume(braid_api_req_t *rq) { braid_api_load_peer(rq, resume_loaded); }
