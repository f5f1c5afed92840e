#include "controller/cluster/data_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "controller/cluster/bcast_store.h"
#include "controller/cluster/data_store_scripts.h"
#include "controller/room/data_cmd.h"

static char *dump(json_t *rec) {
  char *text = json_dumps(rec, JSON_COMPACT);
  json_decref(rec);
  return text;
}

char *braid_data_producer_record(const braid_media_holder_t *h, const char *data_producer_id,
                                 const char *transport_id, const char *node_id,
                                 const char *router_id, const braid_data_produce_t *req) {
  json_t *app = json_is_object(req->app_data) ? json_deep_copy(req->app_data) : json_object();
  json_object_set_new(app, "peerId", json_string(h->peer_id)); /* as the demo does */
  json_t *rec = json_object();
  json_object_set_new(rec, "dataProducerId", json_string(data_producer_id));
  json_object_set_new(rec, "peerId", json_string(h->peer_id));
  json_object_set_new(rec, "ctl", json_string(h->ctl));
  json_object_set_new(rec, "conn", json_string(h->conn));
  json_object_set_new(rec, "transportId", json_string(transport_id));
  json_object_set_new(rec, "node", json_string(node_id));
  json_object_set_new(rec, "router", json_string(router_id));
  json_object_set_new(rec, "sctpStreamParameters", braid_data_cmd_stream_json(&req->stream, -1));
  json_object_set_new(rec, "label", json_string(req->label));
  json_object_set_new(rec, "protocol", json_string(req->protocol));
  json_object_set_new(rec, "appData", app);
  return dump(rec);
}

char *braid_data_consumer_record(const braid_media_holder_t *h, const char *data_consumer_id,
                                 const char *data_producer_id, const char *transport_id,
                                 const char *node_id, int stream_id) {
  json_t *rec = json_object();
  json_object_set_new(rec, "dataConsumerId", json_string(data_consumer_id));
  json_object_set_new(rec, "dataProducerId", json_string(data_producer_id));
  json_object_set_new(rec, "peerId", json_string(h->peer_id));
  json_object_set_new(rec, "ctl", json_string(h->ctl));
  json_object_set_new(rec, "conn", json_string(h->conn));
  json_object_set_new(rec, "transportId", json_string(transport_id));
  json_object_set_new(rec, "node", json_string(node_id));
  json_object_set_new(rec, "streamId", json_integer(stream_id));
  return dump(rec);
}

void braid_store_data_producer_put(braid_ctl_t *ctl, const char *room_id,
                                   const braid_media_holder_t *h, const char *data_producer_id,
                                   const char *transport_id, const char *record,
                                   braid_store_json_cb cb, void *user_data) {
  /* Broadcasters (no socket to count in) are counted by the script. */
  char max[16];
  snprintf(max, sizeof max, "%d", h->ctl[0] == '\0' ? BRAID_BCAST_MAX_DATA_PRODUCERS : 0);
  const char *args[] = {ctl->config->prefix, room_id, data_producer_id, h->peer_id,
                        h->ctl,              h->conn, transport_id,     record, max};
  braid__store_eval_json(ctl, braid_lua_data_producer_put, args, 9, cb, user_data);
}

void braid_store_data_producer_get(braid_ctl_t *ctl, const char *room_id,
                                   const char *data_producer_id, braid_store_json_cb cb,
                                   void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, data_producer_id};
  braid__store_eval_json(ctl, braid_lua_data_producer_get, args, 3, cb, user_data);
}

void braid_store_data_producers(braid_ctl_t *ctl, const char *room_id, braid_store_json_cb cb,
                                void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id};
  braid__store_eval_json(ctl, braid_lua_data_producers, args, 2, cb, user_data);
}

void braid_store_data_producer_del(braid_ctl_t *ctl, const char *room_id,
                                   const char *data_producer_id, braid_store_json_cb cb,
                                   void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, data_producer_id};
  braid__store_eval_json(ctl, braid_lua_data_producer_del, args, 3, cb, user_data);
}

void braid_store_data_consumer_put(braid_ctl_t *ctl, const char *room_id,
                                   const braid_media_holder_t *h, const char *data_consumer_id,
                                   const char *data_producer_id, const char *record,
                                   braid_store_json_cb cb, void *user_data) {
  char max[16];
  snprintf(max, sizeof max, "%d", h->ctl[0] == '\0' ? BRAID_BCAST_MAX_DATA_CONSUMERS : 0);
  const char *args[] = {ctl->config->prefix, room_id, data_consumer_id, h->peer_id,
                        h->ctl,              h->conn, data_producer_id, record, max};
  braid__store_eval_json(ctl, braid_lua_data_consumer_put, args, 9, cb, user_data);
}

void braid_store_data_consumer_del(braid_ctl_t *ctl, const char *room_id,
                                   const char *data_consumer_id) {
  const char *args[] = {ctl->config->prefix, room_id, data_consumer_id};
  braid__store_eval_json(ctl, braid_lua_data_consumer_del, args, 3, NULL, NULL);
}
