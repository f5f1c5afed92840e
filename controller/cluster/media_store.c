#include "controller/cluster/media_store.h"

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
