#include "mediad/channel/handlers.h"

#include <stdio.h>

#include "common/err.h"
#include "common/log.h"
#include "mediad/channel/data_handlers.h"
#include "mediad/channel/media_handlers.h"
#include "mediad/channel/transport_handlers.h"
#include "mediad/rtc/router.h"
#include "proto/reply.h"

static int handle_router_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  braid_router_t *router;
  bool created;
  int rc = braid_router_create(md->routers, cmd->u.router_create.router_id,
                               cmd->u.router_create.room_id, &router, &created);
  if (rc != 0) {
    char reason[128];
    snprintf(reason, sizeof reason, "router.create: %s", braid_strerror(rc));
    return braid_reply_encode_error(cmd->id, rc, reason, out);
  }
  if (created) BRAID_LOGI("router", "router %s created for room %s", router->id, router->room_id);
  return braid_reply_encode_router(cmd->id, braid_str_c(router->id), out);
}

static int handle_router_close(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  char id[BRAID_ID_MAX + 1];
  if (braid_str_copy(id, sizeof id, cmd->u.router_close.router_id) == 0)
    braid_transport_handlers_close_router(md, id);
  if (braid_router_close(md->routers, cmd->u.router_close.router_id) == 0)
    BRAID_LOGI("router", "router %.*s closed", (int)cmd->u.router_close.router_id.len,
               cmd->u.router_close.router_id.p);
  return braid_reply_encode_ok(cmd->id, out); /* idempotent */
}

static int handle_node_dump(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  enum { MAX_DUMP = 1024 };
  braid_str_t ids[MAX_DUMP];
  size_t n = 0;
  for (braid_router_t *r = braid_router_first(md->routers); r != NULL && n < MAX_DUMP; r = r->next)
    ids[n++] = braid_str_c(r->id);
  return braid_reply_encode_dump(cmd->id, ids, n, out);
}

int braid_cmd_handle(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  switch (cmd->type) {
  case BRAID_CMD_ROUTER_CREATE: return handle_router_create(md, cmd, out);
  case BRAID_CMD_ROUTER_CLOSE: return handle_router_close(md, cmd, out);
  case BRAID_CMD_NODE_DUMP: return handle_node_dump(md, cmd, out);
  case BRAID_CMD_TRANSPORT_CREATE_WEBRTC: return braid_transport_handlers_create(md, cmd, out);
  case BRAID_CMD_TRANSPORT_CONNECT: return braid_transport_handlers_connect(md, cmd, out);
  case BRAID_CMD_TRANSPORT_RESTART_ICE: return braid_transport_handlers_restart_ice(md, cmd, out);
  case BRAID_CMD_TRANSPORT_CLOSE: return braid_transport_handlers_close(md, cmd, out);
  case BRAID_CMD_TRANSPORT_CREATE_PLAIN: return braid_transport_handlers_create_plain(md, cmd, out);
  case BRAID_CMD_TRANSPORT_CONNECT_PLAIN:
    return braid_transport_handlers_connect_plain(md, cmd, out);
  case BRAID_CMD_PRODUCER_CREATE: return braid_media_handlers_producer_create(md, cmd, out);
  case BRAID_CMD_PRODUCER_CLOSE:
  case BRAID_CMD_PRODUCER_PAUSE:
  case BRAID_CMD_PRODUCER_RESUME: return braid_media_handlers_producer_ref(md, cmd, out);
  case BRAID_CMD_CONSUMER_CREATE: return braid_media_handlers_consumer_create(md, cmd, out);
  case BRAID_CMD_CONSUMER_CLOSE:
  case BRAID_CMD_CONSUMER_PAUSE:
  case BRAID_CMD_CONSUMER_RESUME:
  case BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME:
  case BRAID_CMD_CONSUMER_SET_LAYERS:
  case BRAID_CMD_CONSUMER_SET_PRIORITY: return braid_media_handlers_consumer_ref(md, cmd, out);
  case BRAID_CMD_TRANSPORT_STATS:
  case BRAID_CMD_PRODUCER_STATS:
  case BRAID_CMD_CONSUMER_STATS: return braid_media_handlers_stats(md, cmd, out);
  case BRAID_CMD_DATA_PRODUCER_CREATE: return braid_data_handlers_producer_create(md, cmd, out);
  case BRAID_CMD_DATA_PRODUCER_CLOSE:
  case BRAID_CMD_DATA_PRODUCER_PAUSE:
  case BRAID_CMD_DATA_PRODUCER_RESUME:
  case BRAID_CMD_DATA_PRODUCER_STATS: return braid_data_handlers_producer_ref(md, cmd, out);
  case BRAID_CMD_DATA_CONSUMER_CREATE: return braid_data_handlers_consumer_create(md, cmd, out);
  case BRAID_CMD_DATA_CONSUMER_CLOSE:
  case BRAID_CMD_DATA_CONSUMER_PAUSE:
  case BRAID_CMD_DATA_CONSUMER_RESUME:
  case BRAID_CMD_DATA_CONSUMER_STATS: return braid_data_handlers_consumer_ref(md, cmd, out);
  default: break;
  }
  return braid_reply_encode_error(cmd->id, BRAID_EUNKNOWN, "unknown command", out);
}
