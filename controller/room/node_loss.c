#include "controller/room/node_loss.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "controller/cluster/events.h"
#include "controller/cluster/node_gone_script.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/store.h"
#include "controller/room/data_producers.h"
#include "controller/room/producers.h"
#include "controller/room/rooms.h"
#include "controller/net/ws_server.h"
#include "controller/signaling/protoo.h"

/* ---- this controller's peers -------------------------------------------------- */

typedef struct loss {
  braid_ctl_t *ctl;
  const char *node;
} loss_t;

/* Collects the ids of a map's values whose node_id is the dead node (the
 * map cannot change while it is walked). */
#define COLLECT(map, type, out, n, cap)                                                            \
  do {                                                                                             \
    braid_map_iter_t it_;                                                                          \
    void *v_;                                                                                      \
    braid_map_iter_init(&it_, (map));                                                              \
    while (braid_map_iter_next(&it_, NULL, NULL, &v_) && (n) < (cap))                              \
      if (strcmp(((type *)v_)->node_id, x->node) == 0)                                             \
        snprintf((out)[(n)++], sizeof(out)[0], "%s", ((type *)v_)->id);                            \
  } while (0)

enum { MAX_IDS = 256 };

static void peer_loss(braid_peer_t *p, void *ud) {
  loss_t *x = ud;
  char ids[MAX_IDS][BRAID_ID_MAX + 1];
  size_t n = 0;
  COLLECT(p->media.consumers, braid_peer_consumer_t, ids, n, MAX_IDS);
  for (size_t i = 0; i < n; i++) {
    braid_peer_consumer_t *c = braid_peer_media_consumer(&p->media, ids[i]);
    if (c == NULL) continue;
    if (c->announced)
      braid_peer_send(
          p, braid_protoo_notification("consumerClosed", json_pack("{ss}", "consumerId", c->id)));
    braid_peer_media_remove_consumer(&p->media, c);
  }
  n = 0;
  COLLECT(p->media.data_consumers, braid_peer_data_consumer_t, ids, n, MAX_IDS);
  for (size_t i = 0; i < n; i++) {
    braid_peer_data_consumer_t *c = braid_peer_media_data_consumer(&p->media, ids[i]);
    if (c == NULL) continue;
    if (c->announced)
      braid_peer_send(p, braid_protoo_notification("dataConsumerClosed",
                                                   json_pack("{ss}", "dataConsumerId", c->id)));
    braid_peer_media_remove_data_consumer(&p->media, c);
  }
  n = 0;
  COLLECT(p->media.producers, braid_peer_producer_t, ids, n, MAX_IDS);
  for (size_t i = 0; i < n; i++)
    braid_peer_media_remove_producer(&p->media, ids[i]);
  n = 0;
  COLLECT(p->media.data_producers, braid_peer_data_producer_t, ids, n, MAX_IDS);
  for (size_t i = 0; i < n; i++)
    braid_peer_media_remove_data_producer(&p->media, ids[i]);
  n = 0;
  COLLECT(p->media.transports, braid_peer_transport_t, ids, n, MAX_IDS);
  for (size_t i = 0; i < n; i++) {
    braid_peer_media_remove_transport(&p->media, ids[i]);
    braid_peer_send(
        p, braid_protoo_notification("transportClosed", json_pack("{ss}", "transportId", ids[i])));
  }
  if (n > 0 && p->conn != NULL) {
    /* mediasoup-demo apps know no transportClosed: closing the socket with
     * a code other than 4000 makes protoo-client reconnect, and the app
     * joins again from scratch, placed on a live node (the notifications
     * above go first: the socket closes once its queue is sent). */
    BRAID_LOGW("room", "peer %s: %zu transport(s) lost with node %s: closing its socket to rejoin",
               p->peer_id, n, x->node);
    braid_ws_conn_close(p->conn, BRAID_CLOSE_MEDIA_LOST, "media node lost");
  }
}

/* ---- the room's records --------------------------------------------------------- */

typedef struct room_loss {
  braid_ctl_t *ctl;
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char node[BRAID_ID_MAX + 1];
} room_loss_t;

static void on_room_cleaned(int err, const char *reason, json_t *res, void *ud) {
  room_loss_t *r = ud;
  size_t i;
  json_t *v;
  if (err != 0) {
    BRAID_LOGW("room", "room %s: cannot drop a dead node's records: %s", r->room_id, reason);
    braid_free(r);
    return;
  }
  json_array_foreach(json_object_get(res, "producers"), i, v) if (json_is_string(v))
      braid_producers_announce_closed(r->ctl, r->room_id, json_string_value(v), "media node lost");
  json_array_foreach(json_object_get(res, "dataProducers"), i, v) if (json_is_string(v))
      braid_data_producers_announce_closed(r->ctl, r->room_id, json_string_value(v),
                                           "media node lost");
  json_array_foreach(json_object_get(res, "transports"), i, v) {
    const char *node = json_string_value(json_object_get(v, "node"));
    const char *tid = json_string_value(json_object_get(v, "transport"));
    if (node && tid) braid_node_ref(r->ctl, node, BRAID_CMD_TRANSPORT_CLOSE, tid);
  }
  json_array_foreach(json_object_get(res, "orphans"), i, v) {
    const char *node = json_string_value(json_object_get(v, "node"));
    const char *pid = json_string_value(json_object_get(v, "producer"));
    bool data = json_is_string(json_object_get(v, "kind")) &&
                strcmp(json_string_value(json_object_get(v, "kind")), "data") == 0;
    if (node && pid)
      braid_node_ref(r->ctl, node, data ? BRAID_CMD_DATA_PRODUCER_CLOSE : BRAID_CMD_PRODUCER_CLOSE,
                     pid);
  }
  json_array_foreach(json_object_get(res, "consumers"), i, v) {
    if (!json_is_string(v)) continue;
    braid_event_t ev = {.type = BRAID_EV_CONSUMER_CLOSED,
                        .room_id = braid_str_c(r->room_id),
                        .consumer_id = braid_str_c(json_string_value(v)),
                        .reason = braid_str_c("relay lost")};
    braid_events_publish(r->ctl, &ev);
  }
  json_array_foreach(json_object_get(res, "dataConsumers"), i, v) {
    if (!json_is_string(v)) continue;
    braid_event_t ev = {.type = BRAID_EV_DATA_CONSUMER_CLOSED,
                        .room_id = braid_str_c(r->room_id),
                        .data_consumer_id = braid_str_c(json_string_value(v)),
                        .reason = braid_str_c("relay lost")};
    braid_events_publish(r->ctl, &ev);
  }
  braid_free(r);
}

static void room_loss(const char *room_id, void *ud) {
  loss_t *x = ud;
  room_loss_t *r = braid_xcalloc(1, sizeof *r);
  r->ctl = x->ctl;
  snprintf(r->room_id, sizeof r->room_id, "%s", room_id);
  snprintf(r->node, sizeof r->node, "%s", x->node);
  const char *args[] = {x->ctl->config->prefix, room_id, x->node};
  braid__store_eval_json(x->ctl, braid_lua_node_gone, args, 3, on_room_cleaned, r);
}

static void room_peers(const char *room_id, void *ud) {
  loss_t *x = ud;
  braid_rooms_foreach_peer(x->ctl->rooms, room_id, peer_loss, x);
}

void braid_node_loss(braid_ctl_t *ctl, const char *node_id) {
  loss_t x = {.ctl = ctl, .node = node_id};
  braid_rooms_foreach_room(ctl->rooms, room_peers, &x);
  braid_rooms_foreach_room(ctl->rooms, room_loss, &x);
}
