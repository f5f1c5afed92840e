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
  if (type == BRAID_CMD_TRANSPORT_STATS)
    cmd.u.transport_close.transport_id = braid_str_c(id);
  else if (type == BRAID_CMD_PRODUCER_STATS)
    cmd.u.producer_ref.producer_id = braid_str_c(id);
  else
    cmd.u.consumer_ref.consumer_id = braid_str_c(id);
  braid_rpc_call(rq->ctl->rpc, rq->node_id, &cmd, on_stats, rq);
}

static void transport_loaded(braid_req_t *rq, json_t *record) {
  (void)record;
  ask(rq, BRAID_CMD_TRANSPORT_STATS, rq->transport_id);
}

void braid_stats_request(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *req,
                         const char *method) {
  braid_fields_t f = {.method = method};
  const char *key = strcmp(method, "getTransportStats") == 0  ? "transportId"
                    : strcmp(method, "getProducerStats") == 0 ? "producerId"
                                                              : "consumerId";
  const char *id, *node = NULL;
  char reason[160];
  if (!braid_fields_string(&f, req->data, key, true, BRAID_ID_MAX, &id)) {
    braid_reply_error(p, req->id, 400, f.error);
    return;
  }
  braid_req_t *rq = braid_req_new(ctl, p, req, method);
  if (key[0] == 't') {
    braid_transports_load(rq, id, transport_loaded);
    return;
  }
  braid_peer_producer_t *pr = key[0] == 'p' ? braid_peer_media_producer(&p->media, id) : NULL;
  braid_peer_consumer_t *c = key[0] == 'c' ? braid_peer_media_consumer(&p->media, id) : NULL;
  node = pr ? pr->node_id : c ? c->node_id : NULL;
  if (node == NULL) {
    snprintf(reason, sizeof reason, "%s with id \"%s\" not found",
             key[0] == 'p' ? "producer" : "consumer", id);
    braid_req_fail(rq, 500, reason);
    return;
  }
  snprintf(rq->node_id, sizeof rq->node_id, "%s", node);
  ask(rq, key[0] == 'p' ? BRAID_CMD_PRODUCER_STATS : BRAID_CMD_CONSUMER_STATS, id);
}
