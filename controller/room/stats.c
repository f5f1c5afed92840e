#include "controller/room/stats.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "controller/cluster/rpc.h"
#include "controller/room/request.h"
#include "controller/room/transports.h"
#include "controller/signaling/fields.h"

static void on_stats(int err, const braid_reply_t *reply, void *ud) {
  braid_req_t *rq = ud;
  braid_str_t text;
  const char *why = NULL;
  char reason[BRAID_REASON_MAX + 32];
  if (err != 0 || !reply->ok) {
    braid_req_node_reason(err, reply, "", reason, sizeof reason);
    braid_req_fail(rq, 500, reason);
    return;
  }
  json_error_t jerr;
  json_t *stats = braid_reply_result_stats(reply, &text, &why) == 0
                      ? json_loadb(text.p, text.len, 0, &jerr)
                      : NULL;
  if (!json_is_array(stats)) {
    json_decref(stats);
    braid_req_fail(rq, 500, "media node sent no stats");
    return;
  }
  braid_peer_t *p = braid_req_peer(rq);
  bool legacy = p != NULL && p->dialect == BRAID_DIALECT_LEGACY;
  braid_req_ok(rq, legacy ? stats : json_pack("{so}", "stats", stats));
}

static void ask(braid_req_t *rq, braid_cmd_type_t type, const char *id) {
  braid_cmd_t cmd = {.type = type};
  switch (type) {
  case BRAID_CMD_TRANSPORT_STATS: cmd.u.transport_close.transport_id = braid_str_c(id); break;
  case BRAID_CMD_PRODUCER_STATS: cmd.u.producer_ref.producer_id = braid_str_c(id); break;
  case BRAID_CMD_DATA_PRODUCER_STATS:
    cmd.u.data_producer_ref.data_producer_id = braid_str_c(id);
    break;
  case BRAID_CMD_DATA_CONSUMER_STATS:
    cmd.u.data_consumer_ref.data_consumer_id = braid_str_c(id);
    break;
  default: cmd.u.consumer_ref.consumer_id = braid_str_c(id); break;
  }
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_stats, rq);
}

static void transport_loaded(braid_req_t *rq, json_t *record) {
  (void)record;
  ask(rq, BRAID_CMD_TRANSPORT_STATS, rq->transport_id);
}

/* The methods other than getTransportStats: the id's key, the entity's
 * name in errors, its command. */
static const struct {
  const char *method, *key, *entity;
  braid_cmd_type_t type;
} kinds[] = {
    {"getProducerStats", "producerId", "producer", BRAID_CMD_PRODUCER_STATS},
    {"getConsumerStats", "consumerId", "consumer", BRAID_CMD_CONSUMER_STATS},
    {"getDataProducerStats", "dataProducerId", "dataProducer", BRAID_CMD_DATA_PRODUCER_STATS},
    {"getDataConsumerStats", "dataConsumerId", "dataConsumer", BRAID_CMD_DATA_CONSUMER_STATS},
};

/* The node of p's entity id of that command type, or NULL. */
static const char *node_of(const braid_peer_t *p, braid_cmd_type_t type, const char *id) {
  const braid_peer_producer_t *pr;
  const braid_peer_consumer_t *c;
  const braid_peer_data_producer_t *dp;
  const braid_peer_data_consumer_t *dc;
  switch (type) {
  case BRAID_CMD_PRODUCER_STATS:
    return (pr = braid_peer_media_producer(&p->media, id)) ? pr->node_id : NULL;
  case BRAID_CMD_CONSUMER_STATS:
    return (c = braid_peer_media_consumer(&p->media, id)) ? c->node_id : NULL;
  case BRAID_CMD_DATA_PRODUCER_STATS:
    return (dp = braid_peer_media_data_producer(&p->media, id)) ? dp->node_id : NULL;
  default: return (dc = braid_peer_media_data_consumer(&p->media, id)) ? dc->node_id : NULL;
  }
}

void braid_stats_request(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req,
                         const char *method) {
  braid_fields_t f = {.method = method};
  const char *id, *node;
  char reason[160];
  if (strcmp(method, "getTransportStats") == 0) {
    if (!braid_fields_string(&f, req->data, "transportId", true, BRAID_ID_MAX, &id)) {
      braid_reply_error(p, req->id, 400, f.error);
      return;
    }
    braid_transports_load(braid_req_new(ctl, p, req, method), id, transport_loaded);
    return;
  }
  size_t k = 0;
  while (k + 1 < sizeof kinds / sizeof kinds[0] && strcmp(kinds[k].method, method) != 0) k++;
  if (!braid_fields_string(&f, req->data, kinds[k].key, true, BRAID_ID_MAX, &id)) {
    braid_reply_error(p, req->id, 400, f.error);
    return;
  }
  braid_req_t *rq = braid_req_new(ctl, p, req, method);
  node = node_of(p, kinds[k].type, id);
  if (node == NULL) {
    snprintf(reason, sizeof reason, "%s with id \"%s\" not found", kinds[k].entity, id);
    braid_req_fail(rq, 500, reason);
    return;
  }
  snprintf(rq->node_id, sizeof rq->node_id, "%s", node);
  ask(rq, kinds[k].type, id);
}
