#include "controller/room/data_consumers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/data_store.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/rpc.h"
#include "controller/room/data_cmd.h"
#include "controller/room/peer_set.h"
#include "controller/room/pipes.h"
#include "controller/room/request.h"
#include "controller/signaling/protoo.h"
#include "proto/reply.h"

/* One data consumer on its way: it names its peer by socket and itself by
 * id, and looks both up again after every step. */
typedef struct create_ctx {
  braid_ctl_t *ctl;
  uint64_t conn_id;
  char data_consumer_id[BRAID_UUID_STRLEN + 1];
  char node_id[BRAID_ID_MAX + 1];     /* the data consumer's (its transport's) */
  char transport_id[BRAID_ID_MAX + 1];
  char data_producer_id[BRAID_ID_MAX + 1];
  braid_data_stream_t stream; /* the data producer's delivery */
  json_t *producer;           /* owned: the data producer's record */
} create_ctx_t;

static void create_ctx_free(create_ctx_t *cc) {
  json_decref(cc->producer);
  braid_free(cc);
}

static const char *str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* The ctx's peer and data consumer, or NULLs when either has gone. */
static braid_peer_data_consumer_t *lookup(create_ctx_t *cc, braid_peer_t **pp) {
  braid_peer_t *p = braid_rooms_find_peer(cc->ctl->rooms, cc->conn_id);
  *pp = p;
  return p ? braid_peer_media_data_consumer(&p->media, cc->data_consumer_id) : NULL;
}

/* The client's answer to newDataConsumer. */
static void on_answer(int err, const braid_protoo_msg_t *res, void *ud) {
  create_ctx_t *cc = ud;
  braid_peer_t *p;
  braid_peer_data_consumer_t *c = err == BRAID_ECLOSED ? NULL : lookup(cc, &p);
  if (c == NULL) { /* the socket closed, or the data producer went meanwhile */
    create_ctx_free(cc);
    return;
  }
  if (err == BRAID_ELIMIT) {
    /* Never announced (too many requests in flight to this peer): forget
     * it everywhere, so that a later join or data_producer.new may retry. */
    BRAID_LOGW("data", "peer %s: too many requests waiting; data consumer %s dropped", p->peer_id,
               c->id);
    braid_node_ref(cc->ctl, c->node_id, BRAID_CMD_DATA_CONSUMER_CLOSE, c->id);
    braid_store_data_consumer_del(cc->ctl, p->room_id, c->id);
    braid_peer_media_remove_data_consumer(&p->media, c);
  } else if (err != 0 || !res->ok) {
    /* The demo's rule: it stays. */
    BRAID_LOGI("data", "peer %s did not take data consumer %s: %s", p->peer_id, c->id,
               err ? braid_strerror(err) : res->error_reason);
  }
  create_ctx_free(cc);
}

/* newDataConsumer's data in p's dialect. */
static json_t *new_data_consumer(const braid_peer_t *p, const braid_peer_data_consumer_t *c,
                                 const create_ctx_t *cc, int stream_id) {
  const json_t *rec = cc->producer;
  bool legacy = p->dialect == BRAID_DIALECT_LEGACY;
  json_t *app = json_object_get(rec, "appData");
  json_t *d = json_object();
  json_object_set_new(d, "peerId", json_string(str(rec, "peerId")));
  if (!legacy) json_object_set_new(d, "transportId", json_string(c->transport_id));
  json_object_set_new(d, legacy ? "id" : "dataConsumerId", json_string(c->id));
  json_object_set_new(d, "dataProducerId", json_string(c->data_producer_id));
  json_object_set_new(d, "sctpStreamParameters", braid_data_cmd_stream_json(&cc->stream, stream_id));
  json_object_set_new(d, "label", json_string(str(rec, "label") ? str(rec, "label") : ""));
  json_object_set_new(d, "protocol", json_string(str(rec, "protocol") ? str(rec, "protocol") : ""));
  json_object_set_new(d, "appData", json_is_object(app) ? json_deep_copy(app) : json_object());
  return d;
}

static void on_created(int err, const braid_reply_t *reply, void *ud) {
  create_ctx_t *cc = ud;
  braid_peer_t *p;
  braid_peer_data_consumer_t *c = lookup(cc, &p);
  uint16_t stream = 0;
  const char *why = NULL;
  if (err == 0 && reply->ok && braid_reply_result_data_consumer(reply, &stream, &why) != 0) {
    BRAID_LOGW("data", "data_consumer.create %s: bad reply (%s)", cc->data_consumer_id,
               why ? why : "no stream");
    braid_node_ref(cc->ctl, cc->node_id, BRAID_CMD_DATA_CONSUMER_CLOSE, cc->data_consumer_id);
    if (c != NULL) braid_peer_media_remove_data_consumer(&p->media, c);
    create_ctx_free(cc);
    return;
  }
  if (err != 0 || !reply->ok) {
    BRAID_LOGW("data", "data_consumer.create %s: %.*s", cc->data_consumer_id,
               err ? (int)strlen(braid_req_cluster_reason(err)) : (int)reply->reason.len,
               err ? braid_req_cluster_reason(err) : reply->reason.p);
    if (c != NULL) braid_peer_media_remove_data_consumer(&p->media, c);
    if (err == BRAID_ETIMEDOUT) braid_node_ref(cc->ctl, cc->node_id, BRAID_CMD_DATA_CONSUMER_CLOSE, cc->data_consumer_id); /* if late */
    create_ctx_free(cc);
    return;
  }
  if (c == NULL) { /* the peer left, or the data producer closed meanwhile */
    braid_node_ref(cc->ctl, cc->node_id, BRAID_CMD_DATA_CONSUMER_CLOSE, cc->data_consumer_id);
    create_ctx_free(cc);
    return;
  }
  braid_media_holder_t h = {.peer_id = p->peer_id, .ctl = cc->ctl->id, .conn = p->conn_str};
  char *text = braid_data_consumer_record(&h, c->id, c->data_producer_id, c->transport_id,
                                          c->node_id, stream);
  braid_store_data_consumer_put(cc->ctl, p->room_id, &h, c->id, c->data_producer_id, text, NULL,
                                NULL);
  free(text);
  json_t *data = new_data_consumer(p, c, cc, stream);
  long long id = braid_protoo_pending_add(p->media.pending, on_answer, cc);
  if (id == 0) { /* too many waiting: on_answer gets BRAID_ELIMIT */
    json_decref(data);
    return;
  }
  c->announced = true;
  BRAID_LOGI("data", "peer %s: data consumer %s of data producer %s (stream %u)", p->peer_id, c->id,
             c->data_producer_id, (unsigned)stream);
  braid_peer_send(p, braid_protoo_request(id, "newDataConsumer", data));
}

/* The consuming transport p would take data consumers on, or NULL. */
static braid_peer_transport_t *data_transport(const braid_peer_t *p) {
  braid_peer_transport_t *t = braid_peer_media_consuming_transport(&p->media);
  return t != NULL && t->sctp ? t : NULL;
}

static void create_on_node(create_ctx_t *cc) {
  braid_cmd_t cmd = {.type = BRAID_CMD_DATA_CONSUMER_CREATE};
  braid_data_cmd_consumer(&cmd.u.data_consumer_create, &cc->stream, cc->transport_id,
                          cc->data_consumer_id, cc->data_producer_id);
  braid_rpc_call(cc->ctl->rpc, cc->node_id, &cmd, on_created, cc);
}

static void on_piped(int err, const char *reason, void *ud) {
  create_ctx_t *cc = ud;
  braid_peer_t *p;
  braid_peer_data_consumer_t *c = lookup(cc, &p);
  if (c == NULL) {
    create_ctx_free(cc);
    return;
  }
  if (err != 0) {
    BRAID_LOGW("data", "peer %s: data producer %s cannot reach node %s: %s", p->peer_id,
               cc->data_producer_id, cc->node_id, reason);
    braid_peer_media_remove_data_consumer(&p->media, c);
    create_ctx_free(cc);
    return;
  }
  create_on_node(cc);
}

/* Starts a data consumer of the data producer whose record is rec for p,
 * if it is a chat one and p may and does not consume it yet. */
static void consume(braid_ctl_t *ctl, braid_peer_t *p, const json_t *rec) {
  const char *dpid = str(rec, "dataProducerId"), *owner = str(rec, "peerId");
  const char *node = str(rec, "node"), *router = str(rec, "router");
  char err[256], dcid[BRAID_UUID_STRLEN + 1];
  braid_data_stream_t stream;
  if (!dpid || !owner || !node || !router || strlen(dpid) > BRAID_ID_MAX) {
    BRAID_LOGW("data", "room %s: bad data producer record", p->room_id);
    return;
  }
  if (!p->joined || strcmp(owner, p->peer_id) == 0 ||
      !braid_data_cmd_is_chat(str(rec, "label"), json_object_get(rec, "appData")) ||
      braid_peer_media_data_consumer_of(&p->media, dpid) != NULL)
    return;
  braid_peer_transport_t *t = data_transport(p);
  if (t == NULL) {
    BRAID_LOGD("data", "peer %s: no consuming SCTP transport for data producer %s", p->peer_id, dpid);
    return;
  }
  if (braid_data_cmd_parse_stream(json_object_get(rec, "sctpStreamParameters"), "record", &stream,
                                  err, sizeof err) != 0) {
    BRAID_LOGW("data", "room %s: data producer %s: %s", p->room_id, dpid, err);
    return;
  }
  braid_id_uuid(dcid);
  braid_peer_data_consumer_t *c =
      braid_peer_media_add_data_consumer(&p->media, dcid, dpid, t->id, t->node_id);
  if (c == NULL) {
    BRAID_LOGW("data", "peer %s: too many data consumers, data producer %s skipped", p->peer_id, dpid);
    return;
  }
  create_ctx_t *cc = braid_xcalloc(1, sizeof *cc);
  cc->ctl = ctl;
  cc->conn_id = p->conn_id;
  snprintf(cc->data_consumer_id, sizeof cc->data_consumer_id, "%s", dcid);
  snprintf(cc->node_id, sizeof cc->node_id, "%s", t->node_id);
  snprintf(cc->transport_id, sizeof cc->transport_id, "%s", t->id);
  snprintf(cc->data_producer_id, sizeof cc->data_producer_id, "%s", dpid);
  cc->stream = stream;
  cc->producer = json_deep_copy(rec);
  if (strcmp(t->node_id, node) == 0) create_on_node(cc);
  else braid_pipe_ensure_data(ctl, p->room_id, dpid, t->node_id, on_piped, cc);
}

/* ---- the two paths ---------------------------------------------------- */

static void on_room_data_producers(int err, const char *reason, json_t *recs, void *ud) {
  braid_peer_set_t *s = ud;
  size_t i;
  json_t *rec;
  if (err != 0) BRAID_LOGW("data", "cannot read the room's data producers: %s", reason);
  else json_array_foreach(recs, i, rec) braid_peer_set_each(s, consume, rec);
  braid_peer_set_free(s);
}

void braid_data_consumers_after_join(braid_ctl_t *ctl, braid_peer_t *p) {
  if (data_transport(p) == NULL) return;
  braid_peer_set_t *s = braid_peer_set_new(ctl);
  braid_peer_set_add(s, p);
  braid_store_data_producers(ctl, p->room_id, on_room_data_producers, s);
}

static void on_data_producer_record(int err, const char *reason, json_t *rec, void *ud) {
  braid_peer_set_t *s = ud;
  if (err != 0) BRAID_LOGW("data", "cannot read a new data producer: %s", reason);
  else if (rec != NULL) braid_peer_set_each(s, consume, rec); /* NULL: it closed meanwhile */
  braid_peer_set_free(s);
}

typedef struct collect {
  const braid_event_t *ev;
  char id[BRAID_ID_MAX + 1];
  braid_peer_set_t *set;
} collect_t;

static void collect_peer(braid_peer_t *p, void *ud) {
  collect_t *x = ud;
  if (!p->joined || braid_str_eq(x->ev->peer_id, p->peer_id) || data_transport(p) == NULL ||
      braid_peer_media_data_consumer_of(&p->media, x->id) != NULL)
    return;
  braid_peer_set_add(x->set, p);
}

void braid_data_consumers_on_new(braid_ctl_t *ctl, const char *room_id, const braid_event_t *ev) {
  collect_t x = {.ev = ev};
  if (braid_str_copy(x.id, sizeof x.id, ev->data_producer_id) != 0) return;
  x.set = braid_peer_set_new(ctl);
  braid_rooms_foreach_peer(ctl->rooms, room_id, collect_peer, &x);
  if (braid_peer_set_size(x.set) == 0) { /* nobody here may consume it */
    braid_peer_set_free(x.set);
    return;
  }
  braid_store_data_producer_get(ctl, room_id, x.id, on_data_producer_record, x.set);
}

/* ---- the end ------------------------------------------------------------ */

typedef struct closed_ctx {
  braid_ctl_t *ctl;
  const braid_event_t *ev;
  char id[BRAID_ID_MAX + 1]; /* the data producer's, or the data consumer's */
} closed_ctx_t;

static void deliver_closed(braid_peer_t *p, void *ud) {
  closed_ctx_t *x = ud;
  if (x->ev->type == BRAID_EV_DATA_PRODUCER_CLOSED) /* the owner's, when a node closed it */
    braid_peer_media_remove_data_producer(&p->media, x->id);
  braid_peer_data_consumer_t *c = x->ev->type == BRAID_EV_DATA_CONSUMER_CLOSED
                                      ? braid_peer_media_data_consumer(&p->media, x->id)
                                      : braid_peer_media_data_consumer_of(&p->media, x->id);
  if (c == NULL) return; /* not ours, or told already */
  if (c->announced)
    braid_peer_send(p, braid_protoo_notification("dataConsumerClosed",
                                                 json_pack("{ss}", "dataConsumerId", c->id)));
  BRAID_LOGI("data", "peer %s: data consumer %s closed (%.*s)", p->peer_id, c->id,
             (int)x->ev->reason.len, x->ev->reason.p);
  braid_store_data_consumer_del(x->ctl, p->room_id, c->id); /* if a node closed it */
  braid_peer_media_remove_data_consumer(&p->media, c);
  /* Its copy came through a node that died: consume it again, piped from
   * a live node. */
  if (braid_str_eq(x->ev->reason, "relay lost")) braid_data_consumers_after_join(x->ctl, p);
}

void braid_data_consumers_on_closed(braid_ctl_t *ctl, const char *room_id,
                                    const braid_event_t *ev) {
  closed_ctx_t x = {.ctl = ctl, .ev = ev};
  braid_str_t id =
      ev->type == BRAID_EV_DATA_CONSUMER_CLOSED ? ev->data_consumer_id : ev->data_producer_id;
  if (braid_str_copy(x.id, sizeof x.id, id) != 0) return;
  braid_rooms_foreach_peer(ctl->rooms, room_id, deliver_closed, &x);
}
