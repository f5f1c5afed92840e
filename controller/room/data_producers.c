#include "controller/room/data_producers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/data_store.h"
#include "controller/cluster/events.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/rpc.h"
#include "controller/room/data_cmd.h"
#include "controller/room/pipes.h"
#include "controller/room/request.h"
#include "controller/room/transports.h"
#include "controller/signaling/fields.h"

/* What a produceData request carries between its steps (rq->extra). */
typedef struct produce_ctx {
  braid_data_produce_t req; /* borrows from rq->data */
  char data_producer_id[BRAID_UUID_STRLEN + 1];
} produce_ctx_t;

void braid_data_producers_announce_closed(braid_ctl_t *ctl, const char *room_id,
                                          const char *data_producer_id, const char *reason) {
  braid_event_t ev = {.type = BRAID_EV_DATA_PRODUCER_CLOSED,
                      .room_id = braid_str_c(room_id),
                      .data_producer_id = braid_str_c(data_producer_id),
                      .reason = braid_str_c(reason)};
  braid_events_publish(ctl, &ev);
  braid_pipes_data_producer_closed(ctl, room_id, data_producer_id);
}

/* ---- produceData -------------------------------------------------------- */

static void on_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  braid_peer_t *p = braid_req_peer(rq);
  (void)json;
  if (err != 0 || p == NULL) { /* the peer left meanwhile (its transport is closing too) */
    braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_PRODUCER_CLOSE, pc->data_producer_id);
    braid_free(pc);
    braid_req_fail(rq, 500, err ? reason : "peer closed");
    return;
  }
  BRAID_ASSERT(braid_peer_media_add_data_producer(&p->media, pc->data_producer_id, rq->node_id) !=
               NULL);
char label[65];
    BRAID_LOGI("data", "peer %s: data producer %s (label \"%s\", stream %u) on transport %s",
             p->peer_id, pc->data_producer_id, braid_str_printable(label, sizeof label, pc->req.label), (unsigned)pc->req.stream.stream_id,
             rq->transport_id);
  json_t *res = json_pack("{ss}", p->dialect == BRAID_DIALECT_LEGACY ? "id" : "dataProducerId",
                          pc->data_producer_id);
  braid_event_t ev = {.type = BRAID_EV_DATA_PRODUCER_NEW,
                      .room_id = braid_str_c(p->room_id),
                      .data_producer_id = braid_str_c(pc->data_producer_id),
                      .peer_id = braid_str_c(p->peer_id)};
  braid_ctl_t *ctl = rq->ctl;
  braid_req_ok(rq, res); /* the answer first, then the data consumers (§2.5) */
  braid_events_publish(ctl, &ev);
  braid_free(pc);
}

static void on_created(int err, const braid_reply_t *reply, void *ud) {
  braid_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  braid_peer_t *p = braid_req_peer(rq);
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    if (err == BRAID_ETIMEDOUT) braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_PRODUCER_CLOSE, pc->data_producer_id); /* if late */
    braid_free(pc);
    braid_req_fail(rq, 500, reason);
    return;
  }
  if (p == NULL) {
    braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_PRODUCER_CLOSE, pc->data_producer_id);
    braid_free(pc);
    braid_req_free(rq);
    return;
  }
  braid_media_holder_t h = {.peer_id = p->peer_id, .ctl = rq->ctl->id, .conn = p->conn_str};
  char *text = braid_data_producer_record(&h, pc->data_producer_id, rq->transport_id, rq->node_id,
                                          rq->router_id, &pc->req);
  braid_store_data_producer_put(rq->ctl, rq->room_id, &h, pc->data_producer_id, rq->transport_id,
                                text, on_stored, rq);
  free(text);
}

static void produce_loaded(braid_req_t *rq, json_t *rec) {
  braid_peer_t *p = braid_req_peer(rq);
  braid_peer_transport_t *t = braid_peer_media_transport(&p->media, rq->transport_id);
  const char *router = json_string_value(json_object_get(rec, "router"));
  char err[256];
  if (t == NULL || router == NULL) {
    snprintf(err, sizeof err, "transport with id \"%s\" not found", rq->transport_id);
    braid_req_fail(rq, 500, err);
    return;
  }
  if (!t->sctp || !json_is_true(json_object_get(rec, "sctp"))) {
    braid_req_fail(rq, 500, "SCTP is not enabled on the transport");
    return;
  }
  if (braid_map_size(p->media.data_producers) >= BRAID_PEER_MAX_DATA_PRODUCERS) {
    braid_req_fail(rq, 500, "too many data producers");
    return;
  }
  snprintf(rq->router_id, sizeof rq->router_id, "%s", router);
  produce_ctx_t *pc = braid_xcalloc(1, sizeof *pc);
  /* Checked when the request came; the same JSON gives the same answer. */
  BRAID_ASSERT(braid_data_cmd_check_produce(rq->data, "produceData", &pc->req, err, sizeof err) ==
               0);
  braid_id_uuid(pc->data_producer_id);
  braid_cmd_t cmd = {.type = BRAID_CMD_DATA_PRODUCER_CREATE};
  braid_data_cmd_producer(&cmd.u.data_producer_create, &pc->req, rq->transport_id,
                          pc->data_producer_id);
  rq->extra = pc;
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_created, rq);
}

void braid_data_producers_produce(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req) {
  braid_fields_t f = {.method = "produceData"};
  braid_data_produce_t dp;
  const char *tid;
  char err[256];
  if (!p->joined) {
    braid_reply_error(p, req->id, 500, "Peer not yet joined");
    return;
  }
  if (!braid_fields_string(&f, req->data, "transportId", true, BRAID_ID_MAX, &tid)) {
    braid_reply_error(p, req->id, 400, f.error);
    return;
  }
  if (braid_data_cmd_check_produce(req->data, "produceData", &dp, err, sizeof err) != 0) {
    braid_reply_error(p, req->id, 400, err);
    return;
  }
  braid_transports_load(braid_req_new(ctl, p, req, "produceData"), tid, produce_loaded);
}

/* ---- closeDataProducer -------------------------------------------------- */

void braid_data_producers_close(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg) {
  braid_fields_t f = {.method = "closeDataProducer"};
  const char *id;
  char reason[160];
  if (!p->joined) {
    braid_reply_error(p, msg->id, 500, "Peer not yet joined");
    return;
  }
  if (!braid_fields_string(&f, msg->data, "dataProducerId", true, BRAID_ID_MAX, &id)) {
    braid_reply_error(p, msg->id, 400, f.error);
    return;
  }
  braid_peer_data_producer_t *d = braid_peer_media_data_producer(&p->media, id);
  if (d == NULL) {
    snprintf(reason, sizeof reason, "dataProducer with id \"%s\" not found", id);
    braid_reply_error(p, msg->id, 500, reason);
    return;
  }
  /* The record and its data consumers' go first, then the room hears it. */
  braid_store_data_producer_del(ctl, p->room_id, d->id, NULL, NULL);
  braid_node_ref(ctl, d->node_id, BRAID_CMD_DATA_PRODUCER_CLOSE, d->id);
  braid_data_producers_announce_closed(ctl, p->room_id, d->id, "closed");
  BRAID_LOGI("data", "peer %s closed data producer %s", p->peer_id, d->id);
  braid_peer_media_remove_data_producer(&p->media, id);
  braid_reply_ok(p, msg->id, json_object());
}
