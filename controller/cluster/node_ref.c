#include "controller/cluster/node_ref.h"

#include <stdio.h>

#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/rpc.h"

static void on_done(int err, const braid_reply_t *reply, void *ud) {
  char *what = ud;
  if (err != 0)
    BRAID_LOGW("rpc", "%s: %s", what, braid_strerror(err));
  else if (!reply->ok)
    BRAID_LOGW("rpc", "%s: %.*s", what, (int)reply->reason.len, reply->reason.p);
  braid_free(what);
}

void braid_node_ref(braid_ctl_t *ctl, const char *node_id, braid_cmd_type_t type, const char *id) {
  braid_cmd_t cmd = {.type = type};
  braid_str_t s = braid_str_c(id);
  switch (type) {
  case BRAID_CMD_ROUTER_CLOSE: cmd.u.router_close.router_id = s; break;
  case BRAID_CMD_TRANSPORT_CLOSE: cmd.u.transport_close.transport_id = s; break;
  case BRAID_CMD_PRODUCER_CLOSE:
  case BRAID_CMD_PRODUCER_PAUSE:
  case BRAID_CMD_PRODUCER_RESUME: cmd.u.producer_ref.producer_id = s; break;
  case BRAID_CMD_CONSUMER_CLOSE:
  case BRAID_CMD_CONSUMER_PAUSE:
  case BRAID_CMD_CONSUMER_RESUME: cmd.u.consumer_ref.consumer_id = s; break;
  case BRAID_CMD_DATA_PRODUCER_CLOSE:
  case BRAID_CMD_DATA_PRODUCER_PAUSE:
  case BRAID_CMD_DATA_PRODUCER_RESUME: cmd.u.data_producer_ref.data_producer_id = s; break;
  case BRAID_CMD_DATA_CONSUMER_CLOSE:
  case BRAID_CMD_DATA_CONSUMER_PAUSE:
  case BRAID_CMD_DATA_CONSUMER_RESUME: cmd.u.data_consumer_ref.data_consumer_id = s; break;
  default: BRAID_ASSERT(!"braid_node_ref: not a one-id command");
  }
  char what[160];
  snprintf(what, sizeof what, "%s %s", braid_cmd_type_name(type), id);
  braid_rpc_call(ctl->rpc, node_id, &cmd, on_done, braid_xstrdup(what));
}
