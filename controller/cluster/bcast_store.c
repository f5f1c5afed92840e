#include "controller/cluster/bcast_store.h"

#include <stdio.h>

#include "common/clock.h"
#include "controller/cluster/bcast_store_scripts.h"
#include "controller/cluster/media_store_scripts.h"

void braid_store_bcast_create(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              const char *record, braid_store_json_cb cb, void *user_data) {
  char now[24];
  snprintf(now, sizeof now, "%lld", (long long)braid_clock_wall_ms());
  char max[16];
  snprintf(max, sizeof max, "%d", BRAID_BCAST_MAX_PER_ROOM);
  const char *args[] = {ctl->config->prefix, room_id, peer_id, record, now, max};
  braid__store_eval_json(ctl, braid_lua_bcast_create, args, 6, cb, user_data);
}

void braid_store_bcast_get(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                           braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, peer_id};
  braid__store_eval_json(ctl, braid_lua_bcast_get, args, 3, cb, user_data);
}

void braid_store_bcast_join(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                            const char *record, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, peer_id, BRAID_BCAST_CTL, BRAID_BCAST_CONN,
                        record};
  braid__store_eval_json(ctl, braid_lua_peer_join, args, 6, cb, user_data);
}

void braid_store_bcast_leave(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                             braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, peer_id, BRAID_BCAST_CTL, BRAID_BCAST_CONN};
  braid__store_eval_json(ctl, braid_lua_peer_leave, args, 5, cb, user_data);
}

void braid_store_bcast_producer_put(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                    const char *peer_id, const char *transport_id,
                                    const char *record, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, producer_id, peer_id, BRAID_BCAST_CTL,
                        BRAID_BCAST_CONN, transport_id, record};
  braid__store_eval_json(ctl, braid_lua_producer_put, args, 8, cb, user_data);
}

void braid_store_bcast_consumer_put(braid_ctl_t *ctl, const char *room_id, const char *consumer_id,
                                    const char *peer_id, const char *producer_id,
                                    const char *record, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, consumer_id, peer_id, BRAID_BCAST_CTL,
                        BRAID_BCAST_CONN, producer_id, record};
  braid__store_eval_json(ctl, braid_lua_consumer_put, args, 8, cb, user_data);
}

void braid_store_consumer_get(braid_ctl_t *ctl, const char *room_id, const char *consumer_id,
                              braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, consumer_id};
  braid__store_eval_json(ctl, braid_lua_consumer_get, args, 3, cb, user_data);
}

void braid_store_transport_next_mid(braid_ctl_t *ctl, const char *room_id,
                                    const char *transport_id, braid_store_json_cb cb,
                                    void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, transport_id};
  braid__store_eval_json(ctl, braid_lua_transport_next_mid, args, 3, cb, user_data);
}

void braid_store_bcast_transport_put(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                                     const char *transport_id, const char *record,
                                     braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, peer_id, transport_id, record};
  braid__store_eval_json(ctl, braid_lua_bcast_transport_put, args, 5, cb, user_data);
}

void braid_store_transport_merge(braid_ctl_t *ctl, const char *room_id, const char *transport_id,
                                 const char *fields, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, transport_id, fields};
  braid__store_eval_json(ctl, braid_lua_transport_merge, args, 4, cb, user_data);
}
