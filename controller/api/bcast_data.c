/*
 * A broadcaster's DataChannels (issue 5) over a transport made with
 * sctpCapabilities (bcast_transports.c): SCTP over DTLS for a WebRTC
 * transport, over plain UDP (port 5000 both sides) for a plain one.
 *
 *   produce/data {label, protocol, sctpStreamParameters, appData} -> {id}
 *     mediasoup-demo's createBroadcasterDataProducer; checked as a
 *     socket peer's produceData (room/data_cmd.h). data_producer.new is
 *     published: a chat one is consumed by the room's peers.
 *   consume/data {dataProducerId} -> {id, streamId}
 *     createBroadcasterDataConsumer: the node picks the stream; the answer
 *     also has what an endpoint needs to open it (sctpStreamParameters,
 *     label, protocol; dataConsumerId, dataProducerId).
 *
 * The current (TS) demo's API has no data routes; ours, in its style
 * (ids in the body, 201):
 *   POST /rooms/:room/broadcasters/:b/dataProducers {transportId, ...}
 *     -> {dataProducerId, id}
 *   POST /rooms/:room/broadcasters/:b/dataConsumers {transportId,
 *     dataProducerId} -> as consume/data
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
#include "controller/cluster/data_store.h"
#include "controller/cluster/events.h"
#include "controller/cluster/rpc.h"
#include "controller/room/data_cmd.h"
#include "controller/room/pipes.h"
#include "controller/room/request.h"
#include "controller/signaling/fields.h"
#include "proto/reply.h"

static const braid_media_holder_t *holder(const braid_api_req_t *rq, braid_media_holder_t *h) {
  *h = (braid_media_holder_t){.peer_id = rq->peer_id, .ctl = BRAID_BCAST_CTL, .conn = BRAID_BCAST_CONN};
  return h;
}

/* The transport must have SCTP; answers 400 when not. */
static bool has_sctp(braid_api_req_t *rq) {
  if (json_is_true(json_object_get(rq->transport, "sctp"))) return true;
  braid_api_fail(rq, 400, "SCTP is not enabled on transport \"%s\" (create it with sctpCapabilities)",
                 rq->transport_id);
  return false;
}

/* The body's transportId (current routes); answers 400 when missing. */
static bool body_transport(braid_api_req_t *rq, const char *method) {
  braid_fields_t f = {.method = method};
  const char *tid = NULL;
  if (!rq->current) return true;
  if (!braid_fields_string(&f, rq->body, "transportId", true, BRAID_ID_MAX, &tid)) {
    braid_api_fail(rq, 400, "%s", f.error);
    return false;
  }
  snprintf(rq->transport_id, sizeof rq->transport_id, "%s", tid);
  return true;
}

/* ---- produce/data --------------------------------------------------------- */

typedef struct produce_ctx {
  braid_data_produce_t req; /* borrows from rq->body */
  char data_producer_id[BRAID_UUID_STRLEN + 1];
} produce_ctx_t;

static void on_produced_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  (void)json;
  if (err != 0) {
    braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_PRODUCER_CLOSE, pc->data_producer_id);
    bool too_many = err == BRAID_ESTATE && strstr(reason, "too many") != NULL;
    braid_api_fail(rq, err == BRAID_ESTATE ? 409 : braid_api_status(err), "%s",
                   err == BRAID_ESTATE && !too_many ? "broadcaster not joined, or transport closed"
                                                    : reason);
    return;
  }
char label[65];
    BRAID_LOGI("api", "broadcaster %s: data producer %s (label \"%s\") on transport %s", rq->peer_id,
             pc->data_producer_id, braid_str_printable(label, sizeof label, pc->req.label), rq->transport_id);
  braid_event_t ev = {.type = BRAID_EV_DATA_PRODUCER_NEW,
                      .room_id = braid_str_c(rq->room_id),
                      .data_producer_id = braid_str_c(pc->data_producer_id),
                      .peer_id = braid_str_c(rq->peer_id)};
  braid_events_publish(rq->ctl, &ev);
  braid_api_ok(rq, rq->current ? 201 : 200,
               json_pack("{ssss}", "id", pc->data_producer_id, "dataProducerId", pc->data_producer_id));
}

static void on_produced(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  produce_ctx_t *pc = rq->extra;
  braid_media_holder_t h;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    if (err == BRAID_ETIMEDOUT) braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_PRODUCER_CLOSE, pc->data_producer_id);
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : braid_api_status(reply->error_code), "%s",
                   reason);
    return;
  }
  char *text = braid_data_producer_record(holder(rq, &h), pc->data_producer_id, rq->transport_id,
                                          rq->node_id, rq->router_id, &pc->req);
  braid_store_data_producer_put(rq->ctl, rq->room_id, &h, pc->data_producer_id, rq->transport_id,
                                text, on_produced_stored, rq);
  free(text);
}

static void produce_loaded(braid_api_req_t *rq) {
  produce_ctx_t *pc = rq->extra;
  char err[256];
  if (!has_sctp(rq)) return;
  /* Checked when the request came; the same JSON gives the same answer. */
  BRAID_ASSERT(braid_data_cmd_check_produce(rq->body, "produceData", &pc->req, err, sizeof err) == 0);
  braid_id_uuid(pc->data_producer_id);
  braid_cmd_t cmd = {.type = BRAID_CMD_DATA_PRODUCER_CREATE};
  braid_data_cmd_producer(&cmd.u.data_producer_create, &pc->req, rq->transport_id,
                          pc->data_producer_id);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_produced, rq);
}

void braid_api_produce_data(braid_api_req_t *rq) {
  braid_data_produce_t dp;
  char err[256];
  if (!body_transport(rq, "produceData")) return;
  if (braid_data_cmd_check_produce(rq->body, "produceData", &dp, err, sizeof err) != 0) {
    braid_api_fail(rq, 400, "%s", err);
    return;
  }
  rq->extra = braid_xcalloc(1, sizeof(produce_ctx_t));
  rq->extra_free = braid_free;
  braid_api_load_transport(rq, produce_loaded);
}

/* ---- consume/data --------------------------------------------------------- */

typedef struct consume_ctx {
  json_t *producer; /* owned: the data producer's record */
  braid_data_stream_t stream;
  char data_consumer_id[BRAID_UUID_STRLEN + 1];
  int stream_id; /* the node's pick */
} consume_ctx_t;

static void consume_ctx_free(void *p) {
  consume_ctx_t *cc = p;
  json_decref(cc->producer);
  braid_free(cc);
}

static void on_consumed_stored(int err, const char *reason, json_t *json, void *ud) {
  braid_api_req_t *rq = ud;
  consume_ctx_t *cc = rq->extra;
  if (err != 0 || json == NULL) { /* the data producer or the broadcaster went meanwhile */
    braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_CONSUMER_CLOSE, cc->data_consumer_id);
    braid_api_fail(rq, err ? braid_api_status(err) : 404, "%s",
                   err ? reason : "data producer closed or broadcaster not joined");
    return;
  }
  const json_t *rec = cc->producer;
  BRAID_LOGI("api", "broadcaster %s: data consumer %s of data producer %s on transport %s (stream %d)",
             rq->peer_id, cc->data_consumer_id, rq->object_id, rq->transport_id, cc->stream_id);
  json_t *res = json_pack("{sssssssisosOsO}", "id", cc->data_consumer_id, "dataConsumerId",
                          cc->data_consumer_id, "dataProducerId", rq->object_id, "streamId",
                          cc->stream_id, "sctpStreamParameters",
                          braid_data_cmd_stream_json(&cc->stream, cc->stream_id), "label",
                          json_object_get(rec, "label"), "protocol", json_object_get(rec, "protocol"));
  braid_api_ok(rq, rq->current ? 201 : 200, res);
}

static void on_consumed(int err, const braid_reply_t *reply, void *ud) {
  braid_api_req_t *rq = ud;
  consume_ctx_t *cc = rq->extra;
  braid_media_holder_t h;
  uint16_t stream = 0;
  const char *why = NULL;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 32];
    if (err == BRAID_ETIMEDOUT) braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_CONSUMER_CLOSE, cc->data_consumer_id);
    braid_req_node_reason(err, reply, "media node error: ", reason, sizeof reason);
    braid_api_fail(rq, err ? braid_api_status(err) : braid_api_status(reply->error_code), "%s",
                   reason);
    return;
  }
  if (braid_reply_result_data_consumer(reply, &stream, &why) != 0) {
    braid_node_ref(rq->ctl, rq->node_id, BRAID_CMD_DATA_CONSUMER_CLOSE, cc->data_consumer_id);
    braid_api_fail(rq, 500, "media node error: bad reply (%s)", why ? why : "no stream");
    return;
  }
  cc->stream_id = stream;
  char *text = braid_data_consumer_record(holder(rq, &h), cc->data_consumer_id, rq->object_id,
                                          rq->transport_id, rq->node_id, stream);
  braid_store_data_consumer_put(rq->ctl, rq->room_id, &h, cc->data_consumer_id, rq->object_id, text,
                                on_consumed_stored, rq);
  free(text);
}

static void consume_on_node(braid_api_req_t *rq);

static void on_piped(int err, const char *reason, void *ud) {
  braid_api_req_t *rq = ud;
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "data producer \"%s\" cannot reach the transport's "
                   "media node: %s", rq->object_id, reason);
    return;
  }
  consume_on_node(rq);
}

static void on_data_producer(int err, const char *reason, json_t *rec, void *ud) {
  braid_api_req_t *rq = ud;
  consume_ctx_t *cc = rq->extra;
  char why[256];
  if (err != 0) {
    braid_api_fail(rq, braid_api_status(err), "%s", reason);
    return;
  }
  const char *node = json_string_value(json_object_get(rec, "node"));
  if (!json_is_object(rec) || node == NULL) {
    braid_api_fail(rq, 404, "dataProducer with id \"%s\" not found", rq->object_id);
    return;
  }
  if (braid_data_cmd_parse_stream(json_object_get(rec, "sctpStreamParameters"), "record",
                                  &cc->stream, why, sizeof why) != 0) {
    braid_api_fail(rq, 500, "bad data producer record: %s", why);
    return;
  }
  cc->producer = json_incref(rec);
  /* A data producer of another node is piped to the transport's first. */
  if (strcmp(node, rq->node_id) != 0)
    braid_pipe_ensure_data(rq->ctl, rq->room_id, rq->object_id, rq->node_id, on_piped, rq);
  else
    consume_on_node(rq);
}

static void consume_on_node(braid_api_req_t *rq) {
  consume_ctx_t *cc = rq->extra;
  braid_id_uuid(cc->data_consumer_id);
  braid_cmd_t cmd = {.type = BRAID_CMD_DATA_CONSUMER_CREATE};
  braid_data_cmd_consumer(&cmd.u.data_consumer_create, &cc->stream, rq->transport_id,
                          cc->data_consumer_id, rq->object_id);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_consumed, rq);
}

static void consume_loaded(braid_api_req_t *rq) {
  if (!has_sctp(rq)) return;
  braid_store_data_producer_get(rq->ctl, rq->room_id, rq->object_id, on_data_producer, rq);
}

void braid_api_consume_data(braid_api_req_t *rq) {
  braid_fields_t f = {.method = "consumeData"};
  const char *dpid;
  if (!body_transport(rq, "consumeData")) return;
  if (!braid_fields_string(&f, rq->body, "dataProducerId", true, BRAID_ID_MAX, &dpid)) {
    braid_api_fail(rq, 400, "%s", f.error);
    return;
  }
  if (dpid[0] == '\0') {
    braid_api_fail(rq, 400, "consumeData: \"dataProducerId\" is empty");
    return;
  }
  snprintf(rq->object_id, sizeof rq->object_id, "%s", dpid);
  rq->extra = braid_xcalloc(1, sizeof(consume_ctx_t));
  rq->extra_free = consume_ctx_free;
  braid_api_load_transport(rq, consume_loaded);
}
