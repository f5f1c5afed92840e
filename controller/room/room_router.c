#include "controller/room/room_router.h"

#include <stdio.h>

#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/rpc.h"
#include "controller/cluster/store.h"
#include "controller/room/request.h"

typedef struct ensure {
  braid_ctl_t *ctl;
  braid_room_router_cb cb;
  void *user_data;
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char node_id[BRAID_ID_MAX + 1];
  char router_id[BRAID_ID_MAX + 1];
} ensure_t;

static void on_router_created(int err, const braid_reply_t *reply, void *ud) {
  ensure_t *e = ud;
  char reason[BRAID_REASON_MAX + 32];
  if (err != 0) {
    BRAID_LOGW("room", "room %s: router.create on %s: %s", e->room_id, e->node_id,
               braid_strerror(err));
    e->cb(err, braid_req_cluster_reason(err), NULL, NULL, e->user_data);
  } else if (!reply->ok) {
    braid_req_node_reason(0, reply, "media node error: ", reason, sizeof reason);
    e->cb(BRAID_EINTERNAL, reason, NULL, NULL, e->user_data);
  } else {
    e->cb(0, NULL, e->node_id, e->router_id, e->user_data);
  }
  braid_free(e);
}

static void on_router_claimed(int err, const char *node_id, const char *router_id, void *ud) {
  ensure_t *e = ud;
  if (err != 0) {
    e->cb(err, braid_req_cluster_reason(err), NULL, NULL, e->user_data);
    braid_free(e);
    return;
  }
  snprintf(e->node_id, sizeof e->node_id, "%s", node_id);
  snprintf(e->router_id, sizeof e->router_id, "%s", router_id);
  braid_cmd_t cmd = {.type = BRAID_CMD_ROUTER_CREATE};
  cmd.u.router_create.router_id = braid_str_c(e->router_id);
  cmd.u.router_create.room_id = braid_str_c(e->room_id);
  braid_rpc_call(e->ctl->rpc, e->node_id, &cmd, on_router_created, e);
}

void braid_room_router_ensure(braid_ctl_t *ctl, const char *room_id, const char *peer_id,
                              braid_room_router_cb cb, void *user_data) {
  ensure_t *e = braid_xcalloc(1, sizeof *e);
  char new_router_id[BRAID_UUID_STRLEN + 1];
  e->ctl = ctl;
  e->cb = cb;
  e->user_data = user_data;
  snprintf(e->room_id, sizeof e->room_id, "%s", room_id);
  braid_id_uuid(new_router_id);
  braid_store_claim_router(ctl, room_id, peer_id, new_router_id, on_router_claimed, e);
}
