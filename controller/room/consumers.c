#include "controller/room/consumers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/media_store.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/rpc.h"
#include "controller/ortc/consume.h"
#include "controller/ortc/consumer.h"
#include "controller/room/consumer_info.h"
#include "controller/room/media_cmd.h"
#include "controller/room/peer_set.h"
#include "controller/room/pipes.h"
#include "controller/room/request.h"
#include "controller/signaling/protoo.h"

/* mediasoup draws consumer SSRCs from [1e8, 1e9). */
#define SSRC_LO 100000000u
#define SSRC_HI 999999999u

/* One consumer on its way: it names its peer by socket and itself by id,
 * and looks both up again after every step. */
typedef struct create_ctx {
  braid_ctl_t *ctl;
  uint64_t conn_id;
  char consumer_id[BRAID_UUID_STRLEN + 1];
  char node_id[BRAID_ID_MAX + 1];      /* the consumer's (its transport's) */
  char producer_id[BRAID_ID_MAX + 1];
  char transport_id[BRAID_ID_MAX + 1];
  char kind[8], type[16];
  json_t *params;  /* owned: the consumer's rtpParameters, until consumer.create is sent */
  json_t *request; /* owned: newConsumer's data, producerPaused set when sent */
  char *record;    /* owned: the consumer record (media_store.h) */
} create_ctx_t;

static void create_ctx_free(create_ctx_t *cc) {
  json_decref(cc->params);
  json_decref(cc->request);
  free(cc->record);
  braid_free(cc);
}

/* The ctx's peer and consumer, or NULLs when either has gone. */
static braid_peer_consumer_t *lookup(create_ctx_t *cc, braid_peer_t **pp) {
  braid_peer_t *p = braid_rooms_find_peer(cc->ctl->rooms, cc->conn_id);
  *pp = p;
  return p ? braid_peer_media_consumer(&p->media, cc->consumer_id) : NULL;
}

static void on_resumed(int err, const braid_reply_t *reply, void *ud) {
  create_ctx_t *cc = ud;
  braid_peer_t *p;
  braid_peer_consumer_t *c = lookup(cc, &p);
  if (err != 0 || !reply->ok) {
    BRAID_LOGW("consumer", "consumer.resume %s: %.*s", cc->consumer_id,
               err ? (int)strlen(braid_req_cluster_reason(err)) : (int)reply->reason.len,
               err ? braid_req_cluster_reason(err) : reply->reason.p);
  } else if (c != NULL && p->dialect == BRAID_DIALECT_LEGACY) {
    json_t *d = json_pack("{ssso}", "consumerId", c->id, "score", braid_consumer_info_score());
    braid_peer_send(p, braid_protoo_notification("consumerScore", d));
  }
  create_ctx_free(cc);
}

/* The client's answer to newConsumer. */
static void on_answer(int err, const braid_protoo_msg_t *res, void *ud) {
  create_ctx_t *cc = ud;
  braid_peer_t *p;
  braid_peer_consumer_t *c = err == BRAID_ECLOSED ? NULL : lookup(cc, &p);
  if (c == NULL) { /* the socket closed, or the producer went meanwhile */
    create_ctx_free(cc);
    return;
  }
  if (err == BRAID_ELIMIT) {
    /* Never announced (too many requests in flight to this peer): forget
     * it everywhere, so that a later join or producer.new can try again. */
    BRAID_LOGW("consumer", "peer %s: too many requests waiting; consumer %s dropped", p->peer_id, c->id);
    braid_node_ref(cc->ctl, c->node_id, BRAID_CMD_CONSUMER_CLOSE, c->id);
    braid_store_consumer_del(cc->ctl, p->room_id, c->id);
    braid_peer_media_remove_consumer(&p->media, c);
    create_ctx_free(cc);
    return;
  }
  if (err != 0 || !res->ok) {
    /* The demo's rule: the consumer stays, paused. */
    BRAID_LOGI("consumer", "peer %s did not take consumer %s: %s", p->peer_id, c->id,
               err ? braid_strerror(err) : res->error_reason);
    create_ctx_free(cc);
    return;
  }
  /* Before the node answers: a pauseConsumer from the client comes after. */
  c->paused = false;
  braid_store_set_paused(cc->ctl, p->room_id, BRAID_STORE_CONSUMERS, c->id, false, NULL, NULL);
  braid_cmd_t cmd = {.type = BRAID_CMD_CONSUMER_RESUME};
  cmd.u.consumer_ref.consumer_id = braid_str_c(c->id);
  braid_rpc_call(cc->ctl->rpc, c->node_id, &cmd, on_resumed, cc);
}

static void on_created(int err, const braid_reply_t *reply, void *ud) {
  create_ctx_t *cc = ud;
  braid_peer_t *p;
  braid_peer_consumer_t *c = lookup(cc, &p);
  if (err != 0 || !reply->ok) {
    BRAID_LOGW("consumer", "consumer.create %s: %.*s", cc->consumer_id,
               err ? (int)strlen(braid_req_cluster_reason(err)) : (int)reply->reason.len,
               err ? braid_req_cluster_reason(err) : reply->reason.p);
    if (c != NULL) braid_peer_media_remove_consumer(&p->media, c);
    if (err == BRAID_ETIMEDOUT) braid_node_ref(cc->ctl, cc->node_id, BRAID_CMD_CONSUMER_CLOSE, cc->consumer_id); /* if late */
    create_ctx_free(cc);
    return;
  }
  if (c == NULL) {
    braid_node_ref(cc->ctl, cc->node_id, BRAID_CMD_CONSUMER_CLOSE, cc->consumer_id);
    create_ctx_free(cc);
    return;
  }
  /* The node knows whether the producer is paused now; the record read
   * before may be older than a pause event. */
  bool producer_paused;
  if (braid_reply_result_consumer(reply, &producer_paused, NULL) == 0)
    c->producer_paused = producer_paused;
  braid_store_consumer_put(cc->ctl, p->room_id, c->id, p->peer_id, p->conn_str, c->producer_id,
                           cc->record);
  braid_store_consumer_placed(cc->ctl, cc->node_id);
  json_t *data = json_incref(cc->request);
  json_object_set_new(data, "producerPaused", json_boolean(c->producer_paused));
  long long id = braid_protoo_pending_add(p->media.pending, on_answer, cc);
  if (id == 0) { /* too many waiting: on_answer gets BRAID_ELIMIT */
    json_decref(data);
    return;
  }
  c->announced = true;
  braid_peer_send(p, braid_protoo_request(id, "newConsumer", data));
}

static char *consumer_record(braid_ctl_t *ctl, braid_peer_t *p, const braid_peer_consumer_t *c,
                             const char *kind, const char *type) {
  json_t *rec = braid_media_record_new(true);
  json_object_set_new(rec, "consumerId", json_string(c->id));
  json_object_set_new(rec, "producerId", json_string(c->producer_id));
  json_object_set_new(rec, "peerId", json_string(p->peer_id));
  json_object_set_new(rec, "ctl", json_string(ctl->id));
  json_object_set_new(rec, "conn", json_string(p->conn_str));
  json_object_set_new(rec, "transportId", json_string(c->transport_id));
  json_object_set_new(rec, "node", json_string(c->node_id));
  json_object_set_new(rec, "kind", json_string(kind));
  json_object_set_new(rec, "type", json_string(type));
  char *text = json_dumps(rec, JSON_COMPACT);
  json_decref(rec);
  return text;
}

static const char *str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* Sends consumer.create for cc (its producer is on its node now). */
static void create_on_node(create_ctx_t *cc) {
  braid_cmd_t cmd = {.type = BRAID_CMD_CONSUMER_CREATE};
  char err[256];
  if (braid_media_cmd_consumer(&cmd.u.consumer_create, cc->params, cc->kind, cc->type,
                               cc->transport_id, cc->consumer_id, cc->producer_id, err,
                               sizeof err) != 0) {
    BRAID_LOGW("consumer", "consumer %s of producer %s: %s", cc->consumer_id, cc->producer_id, err);
    braid_reply_t failed = {.ok = false, .reason = braid_str_c(err)};
    on_created(0, &failed, cc);
    return;
  }
  braid_rpc_call(cc->ctl->rpc, cc->node_id, &cmd, on_created, cc); /* encoded here */
  json_decref(cc->params);
  cc->params = NULL;
}

static void on_piped(int err, const char *reason, void *ud) {
  create_ctx_t *cc = ud;
  braid_peer_t *p;
  braid_peer_consumer_t *c = lookup(cc, &p);
  if (c == NULL) {
    create_ctx_free(cc);
    return;
  }
  if (err != 0) {
    BRAID_LOGW("consumer", "peer %s: producer %s cannot reach node %s: %s", p->peer_id,
               cc->producer_id, cc->node_id, reason);
    braid_peer_media_remove_consumer(&p->media, c);
    create_ctx_free(cc);
    return;
  }
  create_on_node(cc);
}

/* Starts a consumer of the producer whose record is rec for p, if p may
 * and does not consume it yet: on p's node, where the producer is piped
 * first when it lives on another one (pipes.h). */
static void consume(braid_ctl_t *ctl, braid_peer_t *p, const json_t *rec) {
  const char *pid = str(rec, "producerId"), *owner = str(rec, "peerId"), *kind = str(rec, "kind");
  const char *type = str(rec, "type"), *node = str(rec, "node"), *router = str(rec, "router");
  const json_t *consumable = json_object_get(rec, "consumable");
  char err[256], cid[BRAID_UUID_STRLEN + 1];
  json_t *params = NULL;
  if (!pid || !owner || !kind || !type || !node || !router || !json_is_object(consumable) ||
      strlen(kind) >= sizeof ((create_ctx_t *)0)->kind ||
      strlen(type) >= sizeof ((create_ctx_t *)0)->type) {
    BRAID_LOGW("consumer", "room %s: bad producer record", p->room_id);
    return;
  }
  if (!p->joined || strcmp(owner, p->peer_id) == 0 || p->media.rtp_caps == NULL ||
      braid_peer_media_consumer_of(&p->media, pid) != NULL)
    return;
  braid_peer_transport_t *t = braid_peer_media_consuming_transport(&p->media);
  if (t == NULL) {
    BRAID_LOGD("consumer", "peer %s: no consuming transport for producer %s", p->peer_id, pid);
    return;
  }
  if (!braid_ortc_consumer_can_consume(consumable, p->media.rtp_caps, NULL, 0)) return;
  braid_ortc_consume_req_t req = {.producer_id = pid,
                                  .consumable = consumable,
                                  .kind = kind,
                                  .rtp_capabilities = p->media.rtp_caps,
                                  .enable_rtx = BRAID_ORTC_RTX_ON,
                                  .random_ssrc = braid_id_random_u32(SSRC_LO, SSRC_HI)};
  braid_id_uuid(cid);
  if (braid_ortc_consume(&t->ortc, &req, &params, NULL, err, sizeof err) != 0) {
    BRAID_LOGW("consumer", "peer %s cannot consume producer %s: %s", p->peer_id, pid, err);
    json_decref(params);
    return;
  }
  braid_peer_consumer_t *c = braid_peer_media_add_consumer(&p->media, cid, pid, t->id, t->node_id);
  if (c == NULL) {
    BRAID_LOGW("consumer", "peer %s: too many consumers, producer %s skipped", p->peer_id, pid);
    json_decref(params);
    return;
  }
  c->producer_paused = json_is_true(json_object_get(rec, "paused"));
  create_ctx_t *cc = braid_xcalloc(1, sizeof *cc);
  cc->ctl = ctl;
  cc->conn_id = p->conn_id;
  cc->params = params;
  snprintf(cc->consumer_id, sizeof cc->consumer_id, "%s", cid);
  snprintf(cc->node_id, sizeof cc->node_id, "%s", t->node_id);
  snprintf(cc->producer_id, sizeof cc->producer_id, "%s", pid);
  snprintf(cc->transport_id, sizeof cc->transport_id, "%s", t->id);
  snprintf(cc->kind, sizeof cc->kind, "%s", kind);
  snprintf(cc->type, sizeof cc->type, "%s", type);
  braid_consumer_info_t info = {.peer_id = owner,
                                .transport_id = t->id,
                                .consumer_id = cid,
                                .producer_id = pid,
                                .kind = kind,
                                .type = type,
                                .rtp_parameters = params,
                                .app_data = json_object_get(rec, "appData"),
                                .producer_paused = c->producer_paused};
  cc->request = braid_consumer_info_new_consumer(p->dialect, &info);
  cc->record = consumer_record(ctl, p, c, kind, type);
  BRAID_LOGI("consumer", "peer %s: consumer %s of producer %s (%s, mid %s) on node %s", p->peer_id,
             cid, pid, kind, str(params, "mid"), t->node_id);
  if (strcmp(t->node_id, node) == 0) create_on_node(cc);
  else braid_pipe_ensure(ctl, p->room_id, pid, t->node_id, on_piped, cc);
}

/* ---- the two paths ---------------------------------------------------- */

static void on_room_producers(int err, const char *reason, json_t *recs, void *ud) {
  braid_peer_set_t *s = ud;
  size_t i;
  json_t *rec;
  if (err != 0) BRAID_LOGW("consumer", "cannot read the room's producers: %s", reason);
  else json_array_foreach(recs, i, rec) braid_peer_set_each(s, consume, rec);
  braid_peer_set_free(s);
}

void braid_consumers_after_join(braid_ctl_t *ctl, braid_peer_t *p) {
  if (p->media.rtp_caps == NULL || braid_peer_media_consuming_transport(&p->media) == NULL) return;
  braid_peer_set_t *s = braid_peer_set_new(ctl);
  braid_peer_set_add(s, p);
  braid_store_producers(ctl, p->room_id, on_room_producers, s);
}

static void on_producer_record(int err, const char *reason, json_t *rec, void *ud) {
  braid_peer_set_t *s = ud;
  if (err != 0) BRAID_LOGW("consumer", "cannot read a new producer: %s", reason);
  else if (rec != NULL) braid_peer_set_each(s, consume, rec); /* NULL: it closed meanwhile */
  braid_peer_set_free(s);
}

typedef struct collect {
  const braid_event_t *ev;
  char producer_id[BRAID_ID_MAX + 1];
  braid_peer_set_t *set;
} collect_t;

static void collect_peer(braid_peer_t *p, void *ud) {
  collect_t *x = ud;
  if (!p->joined || p->media.rtp_caps == NULL || braid_str_eq(x->ev->peer_id, p->peer_id) ||
      braid_peer_media_consuming_transport(&p->media) == NULL ||
      braid_peer_media_consumer_of(&p->media, x->producer_id) != NULL)
    return;
  braid_peer_set_add(x->set, p);
}

void braid_consumers_on_producer_new(braid_ctl_t *ctl, const char *room_id,
                                     const braid_event_t *ev) {
  collect_t x = {.ev = ev};
  if (braid_str_copy(x.producer_id, sizeof x.producer_id, ev->producer_id) != 0) return;
  x.set = braid_peer_set_new(ctl);
  braid_rooms_foreach_peer(ctl->rooms, room_id, collect_peer, &x);
  if (braid_peer_set_size(x.set) == 0) { /* nobody here consumes it */
    braid_peer_set_free(x.set);
    return;
  }
  braid_store_producer_get(ctl, room_id, x.producer_id, on_producer_record, x.set);
}
