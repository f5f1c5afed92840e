#include "controller/cluster/media_store.h"

#include <stdlib.h>

#include "controller/ortc/produce.h"

#include "controller/cluster/media_store_scripts.h"

json_t *braid_media_record_new(bool paused) {
  json_t *rec = json_object();
  json_object_set_new(rec, "paused", json_boolean(paused));
  return rec;
}

void braid_store_transport_set_cname(braid_ctl_t *ctl, const char *room_id,
                                     const char *transport_id, const char *cname) {
  const char *args[] = {ctl->config->prefix, room_id, transport_id, cname};
  braid__store_eval_json(ctl, braid_lua_transport_set_cname, args, 4, NULL, NULL);
}

void braid_store_producer_put(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                              const char *peer_id, const char *conn, const char *transport_id,
                              const char *record, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, producer_id, peer_id, ctl->id, conn,
                        transport_id,        record};
  braid__store_eval_json(ctl, braid_lua_producer_put, args, 8, cb, user_data);
}

void braid_store_producer_get(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                              braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, producer_id};
  braid__store_eval_json(ctl, braid_lua_producer_get, args, 3, cb, user_data);
}

void braid_store_producers(braid_ctl_t *ctl, const char *room_id, braid_store_json_cb cb,
                           void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id};
  braid__store_eval_json(ctl, braid_lua_producers, args, 2, cb, user_data);
}

void braid_store_producer_del(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                              braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, producer_id};
  braid__store_eval_json(ctl, braid_lua_producer_del, args, 3, cb, user_data);
}

void braid_store_set_paused(braid_ctl_t *ctl, const char *room_id, braid_store_media_t what,
                            const char *id, bool paused, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id,
                        what == BRAID_STORE_PRODUCERS ? "producers" : "consumers", id,
                        paused ? "true" : "false"};
  braid__store_eval_json(ctl, braid_lua_set_paused, args, 5, cb, user_data);
}

void braid_store_consumer_put(braid_ctl_t *ctl, const char *room_id, const char *consumer_id,
                              const char *peer_id, const char *conn, const char *producer_id,
                              const char *record) {
  const char *args[] = {ctl->config->prefix, room_id, consumer_id, peer_id, ctl->id, conn,
                        producer_id,         record};
  braid__store_eval_json(ctl, braid_lua_consumer_put, args, 8, NULL, NULL);
}

void braid_store_consumer_del(braid_ctl_t *ctl, const char *room_id, const char *consumer_id) {
  const char *args[] = {ctl->config->prefix, room_id, consumer_id};
  braid__store_eval_json(ctl, braid_lua_consumer_del, args, 3, NULL, NULL);
}

char *braid_media_producer_record(const braid_media_holder_t *h, const char *producer_id,
                                  const char *transport_id, const char *node_id,
                                  const char *router_id, const char *kind,
                                  const braid_ortc_produce_t *res, const json_t *app_data) {
  json_t *app = json_is_object(app_data) ? json_deep_copy(app_data) : json_object();
  json_object_set_new(app, "peerId", json_string(h->peer_id)); /* as the demo does */
  json_t *rec = braid_media_record_new(false);
  json_object_set_new(rec, "producerId", json_string(producer_id));
  json_object_set_new(rec, "peerId", json_string(h->peer_id));
  json_object_set_new(rec, "ctl", json_string(h->ctl));
  json_object_set_new(rec, "conn", json_string(h->conn));
  json_object_set_new(rec, "transportId", json_string(transport_id));
  json_object_set_new(rec, "node", json_string(node_id));
  json_object_set_new(rec, "router", json_string(router_id));
  json_object_set_new(rec, "kind", json_string(kind));
  json_object_set_new(rec, "type", json_string(braid_ortc_producer_type_name(res->type)));
  json_object_set_new(rec, "rtpParameters", json_incref(res->rtp_parameters));
  json_object_set_new(rec, "consumable", json_incref(res->consumable));
  json_object_set_new(rec, "appData", app);
  char *text = json_dumps(rec, JSON_COMPACT);
  json_decref(rec);
  return text;
}
