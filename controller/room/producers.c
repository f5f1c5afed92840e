#include "controller/room/producers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/events.h"
#include "controller/cluster/media_store.h"
#include "controller/cluster/rpc.h"
#include "controller/ortc/produce.h"
#include "controller/room/media_cmd.h"
#include "controller/room/pipes.h"
#include "controller/room/request.h"
#include "controller/room/transports.h"
#include "controller/signaling/fields.h"

/* What one producer's JSON may weigh (rule 19): the record is stored, and
 * appData is echoed in every newConsumer. A browser sends about 2 KiB. */
#define MAX_PARAMS_JSON  (64 * 1024)
#define MAX_APPDATA_JSON (16 * 1024)

/* mediasoup draws mapped SSRCs and consumer SSRCs from [1e8, 1e9). */
#define SSRC_LO 100000000u
#define SSRC_HI 999999999u

/* What a produce request carries between its steps (rq->extra). */
typedef struct produce_ctx {
  braid_ortc_produce_t res; /* owned */
  char producer_id[BRAID_UUID_STRLEN + 1];
  char kind[8];
} produce_ctx_t;

static void produce_ctx_free(produce_ctx_t *pc) {
  braid_ortc_produce_cleanup(&pc->res);
  braid_free(pc);
}

static size_t json_size(const json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  size_t n = s ? strlen(s) : 0;
  free(s);
  return n;
}

/* Sends producer.close/.pause/.resume: to cb, or when cb is NULL fire and
 * forget (a failure is logged). */
static void node_ref(braid_ctl_t *ctl, const char *node_id, braid_cmd_type_t type,
                     const char *producer_id, braid_rpc_cb cb, void *ud) {
  if (cb == NULL) {
    braid_node_ref(ctl, node_id, type, producer_id);
    return;
  }
  braid_cmd_t cmd = {.type = type};
  cmd.u.producer_ref.producer_id = braid_str_c(producer_id);
  braid_rpc_call(ctl->rpc, node_id, &cmd, cb, ud);
}

void braid_producers_announce_closed(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                     const char *reason) {
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_CLOSED,
                      .room_id = braid_str_c(room_id),
                      .producer_id = braid_str_c(producer_id),
                      .reason = braid_str_c(reason)};
  braid_events_publish(ctl, &ev);
  braid_pipes_producer_closed(ctl, room_id, producer_id);
}

/* ---- produce ------------------------------------------------------------ */

static void on_producer_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  braid_peer_t *p = braid_req_peer(rq);
  (void)json;
  if (err != 0 || p == NULL) {
    /* The peer left meanwhile (its transport is closing too). */
    node_ref(rq->ctl, rq->node_id, BRAID_CMD_PRODUCER_CLOSE, pc->producer_id, NULL, NULL);
    produce_ctx_free(pc);
    braid_req_fail(rq, 500, err ? reason : "peer closed");
    return;
  }
  BRAID_ASSERT(braid_peer_media_add_producer(&p->media, pc->producer_id, rq->node_id) != NULL);
  BRAID_LOGI("producer", "peer %s: %s producer %s (%s) on transport %s", p->peer_id, pc->kind,
             pc->producer_id, braid_ortc_producer_type_name(pc->res.type), rq->transport_id);
  json_t *res =
      json_pack("{ss}", p->dialect == BRAID_DIALECT_LEGACY ? "id" : "producerId", pc->producer_id);
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_NEW,
                      .room_id = braid_str_c(p->room_id),
                      .producer_id = braid_str_c(pc->producer_id),
                      .peer_id = braid_str_c(p->peer_id)};
  braid_ctl_t *ctl = rq->ctl;
  braid_req_ok(rq, res); /* the answer first, then the consumers (§2.5) */
  braid_events_publish(ctl, &ev);
  produce_ctx_free(pc);
}

/* The record of producer.h's media_store.h layout (text, caller frees). */
static char *producer_record(braid_req_t *rq, braid_peer_t *p, produce_ctx_t *pc) {
  braid_media_holder_t h = {.peer_id = p->peer_id, .ctl = rq->ctl->id, .conn = p->conn_str};
  return braid_media_producer_record(&h, pc->producer_id, rq->transport_id, rq->node_id,
                                     rq->router_id, pc->kind, &pc->res,
                                     json_object_get(rq->data, "appData"));
}

static void on_producer_created(int err, const braid_reply_t *reply, void *ud) {
  braid_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    /* Late, it may still be made: make sure it goes. */
    if (err == BRAID_ETIMEDOUT)
      node_ref(rq->ctl, rq->node_id, BRAID_CMD_PRODUCER_CLOSE, pc->producer_id, NULL, NULL);
    produce_ctx_free(pc);
    braid_req_fail(rq, 500, reason);
    return;
  }
  braid_peer_t *p = braid_req_peer(rq);
  if (p == NULL) {
    node_ref(rq->ctl, rq->node_id, BRAID_CMD_PRODUCER_CLOSE, pc->producer_id, NULL, NULL);
    produce_ctx_free(pc);
    braid_req_free(rq);
    return;
  }
  char *text = producer_record(rq, p, pc);
  braid_store_producer_put(rq->ctl, rq->room_id, pc->producer_id, p->peer_id, p->conn_str,
                           rq->transport_id, text, on_producer_stored, rq);
  free(text);
}

/* The transport is this peer's: run ORTC and ask the node. */
static void produce_loaded(braid_req_t *rq, json_t *rec) {
  braid_ctl_t *ctl = rq->ctl;
  braid_peer_t *p = braid_req_peer(rq);
  braid_peer_transport_t *t = braid_peer_media_transport(&p->media, rq->transport_id);
  const char *router = json_string_value(json_object_get(rec, "router"));
  char err[256], cname[BRAID_UUID_STRLEN + 1];
  if (t == NULL || router == NULL) {
    snprintf(err, sizeof err, "transport with id \"%s\" not found", rq->transport_id);
    braid_req_fail(rq, 500, err);
    return;
  }
  if (braid_map_size(p->media.producers) >= BRAID_PEER_MAX_PRODUCERS) {
    braid_req_fail(rq, 500, "too many producers");
    return;
  }
  snprintf(rq->router_id, sizeof rq->router_id, "%s", router);
  produce_ctx_t *pc = braid_xcalloc(1, sizeof *pc);
  const json_t *kind = json_object_get(rq->data, "kind");
  bool changed = false;
  braid_id_uuid(cname);
  int rc = braid_ortc_produce(&t->ortc, kind, json_object_get(rq->data, "rtpParameters"),
                              ctl->router_caps, braid_id_random_u32(SSRC_LO, SSRC_HI), cname,
                              &pc->res, &changed, err, sizeof err);
  if (rc == 0 && changed)
    braid_store_transport_set_cname(ctl, rq->room_id, rq->transport_id,
                                    json_string_value(t->ortc.cname));
  braid_cmd_t cmd = {.type = BRAID_CMD_PRODUCER_CREATE};
  if (rc == 0) {
    snprintf(pc->kind, sizeof pc->kind, "%s", json_string_value(kind));
    braid_id_uuid(pc->producer_id);
    rc = braid_media_cmd_producer(&cmd.u.producer_create, &pc->res, pc->kind, rq->transport_id,
                                  pc->producer_id, err, sizeof err);
  }
  if (rc != 0) {
    produce_ctx_free(pc);
    braid_req_fail(rq, rc == BRAID_EINVAL ? 400 : 500, err);
    return;
  }
  rq->extra = pc;
  braid_rpc_call(ctl->rpc, rq->node_id, &cmd, on_producer_created, rq);
}

void braid_producers_produce(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  braid_fields_t f = {.method = "produce"};
  const char *tid, *kind, *cname = NULL;
  json_t *params, *app, *rtcp;
  if (!p->joined) {
    braid_reply_error(p, req->id, 500, "Peer not yet joined");
    return;
  }
  if (!braid_fields_string(&f, req->data, "transportId", true, BRAID_ID_MAX, &tid) ||
      !braid_fields_string(&f, req->data, "kind", true, 16, &kind) ||
      !braid_fields_object(&f, req->data, "rtpParameters", true, &params) ||
      !braid_fields_object(&f, req->data, "appData", false, &app))
    goto bad_request;
  /* A CNAME too long for the node must not become the transport's. */
  rtcp = json_object_get(params, "rtcp");
  if (json_is_object(rtcp) && json_is_string(json_object_get(rtcp, "cname")) &&
      !braid_fields_string(&f, rtcp, "cname", false, BRAID_CNAME_MAX, &cname))
    goto bad_request;
  if (json_size(params) > MAX_PARAMS_JSON || json_size(app) > MAX_APPDATA_JSON) {
    snprintf(f.error, sizeof f.error, "produce: \"%s\" is too large",
             json_size(app) > MAX_APPDATA_JSON ? "appData" : "rtpParameters");
    goto bad_request;
  }
  braid_transports_load(braid_req_new(ctl, p, req, "produce"), tid, produce_loaded);
  return;
bad_request:
  braid_reply_error(p, req->id, 400, f.error);
}

/* ---- closeProducer, pauseProducer, resumeProducer ----------------------- */

typedef struct pause_ctx {
  char producer_id[BRAID_ID_MAX + 1];
  bool pause;
} pause_ctx_t;

static void on_node_paused(int err, const braid_reply_t *reply, void *ud) {
  braid_req_t *rq = ud;
  pause_ctx_t *pc = rq->extra;
  braid_peer_t *p = braid_req_peer(rq);
  braid_peer_producer_t *pr = p ? braid_peer_media_producer(&p->media, pc->producer_id) : NULL;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 1];
    braid_req_node_reason(err, reply, "", reason, sizeof reason);
    braid_free(pc);
    braid_req_fail(rq, 500, reason);
    return;
  }
  if (pr != NULL && pr->paused != pc->pause) { /* closed meanwhile: nothing to tell */
    pr->paused = pc->pause;
    braid_store_set_paused(rq->ctl, rq->room_id, BRAID_STORE_PRODUCERS, pc->producer_id, pc->pause,
                           NULL, NULL);
    /* After the record (same connection, so in order): a pipe made
     * meanwhile reads the new state when it becomes ready. */
    braid_pipes_producer_paused(rq->ctl, rq->room_id, pc->producer_id, pc->pause);
    braid_event_t ev = {.type = pc->pause ? BRAID_EV_PRODUCER_PAUSED : BRAID_EV_PRODUCER_RESUMED,
                        .room_id = braid_str_c(rq->room_id),
                        .producer_id = braid_str_c(pc->producer_id)};
    braid_events_publish(rq->ctl, &ev);
  }
  braid_free(pc);
  braid_req_ok(rq, json_object());
}

void braid_producers_control(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg,
                             const char *method) {
  braid_fields_t f = {.method = method};
  const char *pid;
  char reason[160];
  if (!p->joined) {
    braid_reply_error(p, msg->id, 500, "Peer not yet joined");
    return;
  }
  if (!braid_fields_string(&f, msg->data, "producerId", true, BRAID_ID_MAX, &pid)) {
    braid_reply_error(p, msg->id, 400, f.error);
    return;
  }
  braid_peer_producer_t *pr = braid_peer_media_producer(&p->media, pid);
  if (pr == NULL) {
    snprintf(reason, sizeof reason, "producer with id \"%s\" not found", pid);
    braid_reply_error(p, msg->id, 500, reason);
    return;
  }
  if (strcmp(method, "closeProducer") == 0) {
    /* The record and its consumers' go first, then the room hears it. */
    braid_store_producer_del(ctl, p->room_id, pr->id, NULL, NULL);
    node_ref(ctl, pr->node_id, BRAID_CMD_PRODUCER_CLOSE, pr->id, NULL, NULL);
    braid_producers_announce_closed(ctl, p->room_id, pr->id, "closed");
    BRAID_LOGI("producer", "peer %s closed producer %s", p->peer_id, pr->id);
    braid_peer_media_remove_producer(&p->media, pid);
    braid_reply_ok(p, msg->id, json_object());
    return;
  }
  braid_req_t *rq = braid_req_new(ctl, p, msg, method);
  pause_ctx_t *pc = braid_xcalloc(1, sizeof *pc);
  snprintf(pc->producer_id, sizeof pc->producer_id, "%s", pr->id);
  pc->pause = strcmp(method, "pauseProducer") == 0;
  rq->extra = pc;
  node_ref(ctl, pr->node_id, pc->pause ? BRAID_CMD_PRODUCER_PAUSE : BRAID_CMD_PRODUCER_RESUME,
           pr->id, on_node_paused, rq);
}
