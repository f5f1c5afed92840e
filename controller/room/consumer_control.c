#include "controller/room/consumer_control.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/media_store.h"
#include "controller/cluster/rpc.h"
#include "controller/room/consumers.h"
#include "controller/room/request.h"
#include "controller/signaling/fields.h"

/* mediasoup's bounds: layers are small indexes, priority 1..255. */
#define MAX_LAYER 255

/* ---- the client's requests ---------------------------------------------- */

typedef struct control_ctx {
  char consumer_id[BRAID_UUID_STRLEN + 1];
  braid_cmd_type_t type;
} control_ctx_t;

static void on_node_answer(int err, const braid_reply_t *reply, void *ud) {
  braid_req_t *rq = ud;
  control_ctx_t *cc = rq->extra;
  braid_peer_t *p = braid_req_peer(rq);
  braid_peer_consumer_t *c = p ? braid_peer_media_consumer(&p->media, cc->consumer_id) : NULL;
  if (err != 0 || !reply->ok) {
    char reason[BRAID_REASON_MAX + 1];
    braid_req_node_reason(err, reply, "", reason, sizeof reason);
    braid_free(cc);
    braid_req_fail(rq, 500, reason);
    return;
  }
  if (c != NULL && (cc->type == BRAID_CMD_CONSUMER_PAUSE || cc->type == BRAID_CMD_CONSUMER_RESUME)) {
    c->paused = cc->type == BRAID_CMD_CONSUMER_PAUSE; /* what the node now does */
    braid_store_set_paused(rq->ctl, rq->room_id, BRAID_STORE_CONSUMERS, c->id, c->paused, NULL,
                           NULL);
  }
  braid_free(cc);
  braid_req_ok(rq, json_object());
}

/* setConsumerPreferredLayers and setConsumerPriority: mediasoup's checks.
 * *spatial and *temporal get the layers (temporal -1 when absent), or
 * *spatial the priority. */
static bool check_hints(braid_fields_t *f, json_t *data, const char *method, double *spatial,
                        double *temporal) {
  *temporal = -1;
  if (strcmp(method, "setConsumerPriority") == 0)
    return braid_fields_number(f, data, "priority", true, 1, 255, spatial);
  return braid_fields_number(f, data, "spatialLayer", true, 0, MAX_LAYER - 1, spatial) &&
         braid_fields_number(f, data, "temporalLayer", false, 0, MAX_LAYER - 1, temporal);
}

void braid_consumer_control(braid_ctl_t *ctl, braid_peer_t *p, const braid_protoo_msg_t *msg,
                            const char *method) {
  braid_fields_t f = {.method = method};
  const char *cid;
  char reason[160];
  if (!p->joined) {
    braid_reply_error(p, msg->id, 500, "Peer not yet joined");
    return;
  }
  if (!braid_fields_string(&f, msg->data, "consumerId", true, BRAID_ID_MAX, &cid)) {
    braid_reply_error(p, msg->id, 400, f.error);
    return;
  }
  braid_peer_consumer_t *c = braid_peer_media_consumer(&p->media, cid);
  if (c == NULL) {
    snprintf(reason, sizeof reason, "consumer with id \"%s\" not found", cid);
    braid_reply_error(p, msg->id, 500, reason);
    return;
  }
  double spatial = 0, temporal = -1;
  bool layers = strcmp(method, "setConsumerPreferredLayers") == 0;
  if (layers || strcmp(method, "setConsumerPriority") == 0) {
    if (!check_hints(&f, msg->data, method, &spatial, &temporal)) {
      braid_reply_error(p, msg->id, 400, f.error);
      return;
    }
  }
  bool priority = strcmp(method, "setConsumerPriority") == 0;
  braid_cmd_type_t type = layers                                ? BRAID_CMD_CONSUMER_SET_LAYERS
                          : priority                            ? BRAID_CMD_CONSUMER_SET_PRIORITY
                          : strcmp(method, "pauseConsumer") == 0 ? BRAID_CMD_CONSUMER_PAUSE
                          : strcmp(method, "resumeConsumer") == 0
                              ? BRAID_CMD_CONSUMER_RESUME
                              : BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME;
  braid_req_t *rq = braid_req_new(ctl, p, msg, method);
  control_ctx_t *cc = braid_xcalloc(1, sizeof *cc);
  snprintf(cc->consumer_id, sizeof cc->consumer_id, "%s", c->id);
  cc->type = type;
  rq->extra = cc;
  braid_cmd_t cmd = {.type = type};
  if (layers)
    cmd.u.consumer_layers = (braid_cmd_consumer_layers_t){
        braid_str_c(c->id), (uint8_t)spatial,
        temporal < 0 ? BRAID_LAYER_HIGHEST : (uint8_t)temporal};
  else if (priority)
    cmd.u.consumer_priority = (braid_cmd_consumer_priority_t){braid_str_c(c->id), (uint8_t)spatial};
  else
    cmd.u.consumer_ref.consumer_id = braid_str_c(c->id);
  braid_rpc_call(ctl->rpc, c->node_id, &cmd, on_node_answer, rq);
}

/* ---- room events -------------------------------------------------------- */

typedef struct event_ctx {
  braid_ctl_t *ctl;
  const braid_event_t *ev;
  char id[BRAID_ID_MAX + 1]; /* the producer's, or the consumer's for consumer.closed */
} event_ctx_t;

static void notify(braid_peer_t *p, const char *method, const char *consumer_id) {
  braid_peer_send(p,
                  braid_protoo_notification(method, json_pack("{ss}", "consumerId", consumer_id)));
}

/* consumerLayersChanged {consumerId, spatialLayer, temporalLayer}, both
 * null when nothing is sent (mediasoup's layerschange with undefined). */
static void notify_layers(braid_peer_t *p, const char *consumer_id, const braid_event_t *ev) {
  bool none = ev->spatial_layer < 0 || ev->temporal_layer < 0;
  json_t *d = json_pack("{sssoso}", "consumerId", consumer_id, "spatialLayer",
                        none ? json_null() : json_integer(ev->spatial_layer), "temporalLayer",
                        none ? json_null() : json_integer(ev->temporal_layer));
  braid_peer_send(p, braid_protoo_notification("consumerLayersChanged", d));
}

static bool names_consumer(const braid_event_t *ev) {
  return ev->type == BRAID_EV_CONSUMER_CLOSED || ev->type == BRAID_EV_CONSUMER_LAYERS;
}

static void deliver(braid_peer_t *p, void *ud) {
  event_ctx_t *x = ud;
  braid_peer_consumer_t *c = names_consumer(x->ev) ? braid_peer_media_consumer(&p->media, x->id)
                                                   : braid_peer_media_consumer_of(&p->media, x->id);
  if (c == NULL) return;
  switch (x->ev->type) {
  case BRAID_EV_CONSUMER_LAYERS:
    if (c->announced) notify_layers(p, c->id, x->ev);
    return;
  case BRAID_EV_PRODUCER_PAUSED:
  case BRAID_EV_PRODUCER_RESUMED: {
    bool paused = x->ev->type == BRAID_EV_PRODUCER_PAUSED;
    if (c->producer_paused == paused) return; /* told already */
    c->producer_paused = paused;
    if (c->announced) notify(p, paused ? "consumerPaused" : "consumerResumed", c->id);
    return;
  }
  default: /* producer.closed, consumer.closed: the node closed it already */
    if (c->announced) notify(p, "consumerClosed", c->id);
    BRAID_LOGI("consumer", "peer %s: consumer %s closed (%.*s)", p->peer_id, c->id,
               (int)x->ev->reason.len, x->ev->reason.p);
    braid_store_consumer_del(x->ctl, p->room_id, c->id); /* if a node closed it */
    braid_peer_media_remove_consumer(&p->media, c);
    /* Its copy came through a node that died: consume it again, piped
     * from a live node (the record, if the producer lives, is still
     * there). */
    if (braid_str_eq(x->ev->reason, "relay lost")) braid_consumers_after_join(x->ctl, p);
    return;
  }
}

void braid_consumer_control_on_event(braid_ctl_t *ctl, const char *room_id,
                                     const braid_event_t *ev) {
  event_ctx_t x = {.ctl = ctl, .ev = ev};
  braid_str_t id = names_consumer(ev) ? ev->consumer_id : ev->producer_id;
  if (braid_str_copy(x.id, sizeof x.id, id) != 0) return;
  braid_rooms_foreach_peer(ctl->rooms, room_id, deliver, &x);
}
