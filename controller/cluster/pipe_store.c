#include "controller/cluster/pipe_store.h"

#include <stdio.h>

#include "common/clock.h"
#include "common/id.h"
#include "controller/cluster/pipe_store_scripts.h"

#define ID_MAX (2 * BRAID_ID_MAX + 2)

static void now_str(char buf[24]) { snprintf(buf, 24, "%lld", (long long)braid_clock_wall_ms()); }

static const char *records(bool data) { return data ? "dataproducers" : "producers"; }

void braid_pipe_store_claim(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                            bool data, const char *node_id, const char *token, int fanout,
                            braid_store_json_cb cb, void *user_data) {
  char now[24], fan[16], stale[16];
  now_str(now);
  snprintf(fan, sizeof fan, "%d", fanout);
  snprintf(stale, sizeof stale, "%d", BRAID_PIPE_STALE_MS);
  const char *args[] = {ctl->config->prefix, room_id, producer_id, node_id, token, now, fan, stale,
                        records(data)};
  braid__store_eval_json(ctl, braid_lua_pipe_claim, args, 9, cb, user_data);
}

void braid_pipe_store_transport_claim(braid_ctl_t *ctl, const char *room_id, const char *a,
                                      const char *b, const char *new_ta, const char *new_tb,
                                      braid_store_json_cb cb, void *user_data) {
  char now[24], stale[16];
  now_str(now);
  snprintf(stale, sizeof stale, "%d", BRAID_PIPE_STALE_MS);
  const char *args[] = {ctl->config->prefix, room_id, a, b, ctl->id, now, stale, new_ta, new_tb};
  braid__store_eval_json(ctl, braid_lua_pipe_transport_claim, args, 9, cb, user_data);
}

void braid_pipe_store_transport_ready(braid_ctl_t *ctl, const char *room_id, const char *a,
                                      const char *b, const char *ta, const char *extra,
                                      braid_store_json_cb cb, void *user_data) {
  char field[ID_MAX + 1];
  snprintf(field, sizeof field, "%s|%s", a, b);
  const char *args[] = {ctl->config->prefix, room_id, field, ta, extra};
  braid__store_eval_json(ctl, braid_lua_pipe_transport_ready, args, 5, cb, user_data);
}

void braid_pipe_store_ready(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                            bool data, const char *node_id, const char *token,
                            const char *transport_id, const char *from_transport_id,
                            const char *pipe_consumer_id, braid_store_json_cb cb, void *user_data) {
  char now[24];
  now_str(now);
  const char *args[] = {
      ctl->config->prefix, room_id,           producer_id,      node_id,       token,
      transport_id,        from_transport_id, pipe_consumer_id, records(data), now};
  braid__store_eval_json(ctl, braid_lua_pipe_ready, args, 10, cb, user_data);
}

static void abort_field(braid_ctl_t *ctl, const char *room_id, const char *hash, const char *field,
                        const char *token, const char *token_key, braid_store_json_cb cb,
                        void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, hash, field, token, token_key};
  braid__store_eval_json(ctl, braid_lua_pipe_abort, args, 6, cb, user_data);
}

void braid_pipe_store_abort_pipe(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                 const char *node_id, const char *token, braid_store_json_cb cb,
                                 void *user_data) {
  char field[ID_MAX + 1];
  snprintf(field, sizeof field, "%s@%s", producer_id, node_id);
  abort_field(ctl, room_id, "pipes", field, token, "ctl", cb, user_data);
}

void braid_pipe_store_abort_pair(braid_ctl_t *ctl, const char *room_id, const char *a,
                                 const char *b, const char *ta) {
  char field[ID_MAX + 1];
  snprintf(field, sizeof field, "%s|%s", a, b);
  abort_field(ctl, room_id, "pipetransports", field, ta, "ta", NULL, NULL);
}

void braid_pipe_store_nodes(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                            bool remove, braid_store_json_cb cb, void *user_data) {
  const char *args[] = {ctl->config->prefix, room_id, producer_id, remove ? "1" : "0"};
  braid__store_eval_json(ctl, braid_lua_pipes_of, args, 4, cb, user_data);
}

void braid_pipe_store_gc(braid_ctl_t *ctl, const char *room_id, int grace_ms,
                         braid_store_json_cb cb, void *user_data) {
  char now[24], grace[16], abandoned[16];
  now_str(now);
  snprintf(grace, sizeof grace, "%d", grace_ms);
  snprintf(abandoned, sizeof abandoned, "%d", 2 * BRAID_PIPE_STALE_MS);
  const char *args[] = {ctl->config->prefix, room_id, now, grace, abandoned};
  braid__store_eval_json(ctl, braid_lua_pipes_gc, args, 5, cb, user_data);
}
