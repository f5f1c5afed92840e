#include "mediad/channel/data_handlers.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "mediad/rtc/data_consumer.h"
#include "mediad/rtc/data_producer.h"
#include "mediad/rtc/stats_json.h"
#include "mediad/rtc/transport.h"
#include "proto/reply.h"

static int error(uint64_t id, int code, const char *what, const char *why, braid_buf_t *out) {
  char reason[BRAID_REASON_MAX];
  snprintf(reason, sizeof reason, "%s: %s", what, why ? why : braid_strerror(code));
  return braid_reply_encode_error(id, code, reason, out);
}

static int stats(uint64_t id, const char *what, ssize_t n, const char *json, braid_buf_t *out) {
  if (n < 0) return error(id, (int)n, what, NULL, out);
  return braid_reply_encode_stats(id, (braid_str_t){json, (size_t)n}, out);
}

int braid_data_handlers_producer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  static const char what[] = "data_producer.create";
  const braid_cmd_data_producer_create_t *c = &cmd->u.data_producer_create;
  braid_transport_t *t = braid_map_get(md->transports, c->transport_id.p, c->transport_id.len);
  if (t == NULL) return error(cmd->id, BRAID_ENOTFOUND, what, "transport not found", out);
  braid_data_producer_t *p = braid_map_get(md->data_producers, c->data_producer_id.p,
                                           c->data_producer_id.len);
  if (p != NULL) {
    if (p->transport == t && p->stream == c->stream) return braid_reply_encode_ok(cmd->id, out);
    return error(cmd->id, BRAID_EEXIST, what, "data producer id taken", out);
  }
  const char *why = NULL;
  int rc = braid_data_producer_new(&p, t, c, &why);
  if (rc != 0) return error(cmd->id, rc, what, why, out);
  char label[65];
  BRAID_LOGI("data", "data producer %s (stream %u, label \"%s\") on transport %s", p->id, p->stream,
             braid_str_printable(label, sizeof label, p->label), t->id);
  return braid_reply_encode_ok(cmd->id, out);
}

int braid_data_handlers_consumer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  static const char what[] = "data_consumer.create";
  const braid_cmd_data_consumer_create_t *c = &cmd->u.data_consumer_create;
  braid_transport_t *t = braid_map_get(md->transports, c->transport_id.p, c->transport_id.len);
  if (t == NULL) return error(cmd->id, BRAID_ENOTFOUND, what, "transport not found", out);
  braid_data_producer_t *p = braid_map_get(md->data_producers, c->data_producer_id.p,
                                           c->data_producer_id.len);
  if (p == NULL) return error(cmd->id, BRAID_ENOTFOUND, what, "data producer not found", out);
  if (strcmp(p->transport->router_id, t->router_id) != 0)
    return error(cmd->id, BRAID_EINVAL, what, "data producer is on another router", out);
  braid_data_consumer_t *k = braid_map_get(md->data_consumers, c->data_consumer_id.p,
                                           c->data_consumer_id.len);
  if (k != NULL) {
    if (k->transport == t && k->producer == p)
      return braid_reply_encode_data_consumer(cmd->id, k->stream, out);
    return error(cmd->id, BRAID_EEXIST, what, "data consumer id taken", out);
  }
  const char *why = NULL;
  int rc = braid_data_consumer_new(&k, t, p, c, &why);
  if (rc != 0) return error(cmd->id, rc, what, why, out);
  BRAID_LOGI("data", "data consumer %s of data producer %s on transport %s, stream %u", k->id, p->id,
             t->id, k->stream);
  return braid_reply_encode_data_consumer(cmd->id, k->stream, out);
}

int braid_data_handlers_producer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  static char json[512 + 2 * 6 * BRAID_DATA_LABEL_MAX]; /* one command at a time on the loop */
  const char *what = braid_cmd_type_name(cmd->type);
  braid_str_t id = cmd->u.data_producer_ref.data_producer_id;
  braid_data_producer_t *p = braid_map_get(md->data_producers, id.p, id.len);
  if (cmd->type == BRAID_CMD_DATA_PRODUCER_CLOSE) {
    if (p != NULL) {
      BRAID_LOGI("data", "data producer %s closed", p->id);
      braid_data_producer_close(p, false);
    }
    return braid_reply_encode_ok(cmd->id, out);
  }
  if (p == NULL) return error(cmd->id, BRAID_ENOTFOUND, what, "data producer not found", out);
  if (cmd->type == BRAID_CMD_DATA_PRODUCER_STATS)
    return stats(cmd->id, what, braid_stats_json_data_producer(p, json, sizeof json), json, out);
  p->paused = cmd->type == BRAID_CMD_DATA_PRODUCER_PAUSE;
  return braid_reply_encode_ok(cmd->id, out);
}

int braid_data_handlers_consumer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  static char json[512 + 2 * 6 * BRAID_DATA_LABEL_MAX];
  const char *what = braid_cmd_type_name(cmd->type);
  braid_str_t id = cmd->u.data_consumer_ref.data_consumer_id;
  braid_data_consumer_t *c = braid_map_get(md->data_consumers, id.p, id.len);
  if (cmd->type == BRAID_CMD_DATA_CONSUMER_CLOSE) {
    if (c != NULL) braid_data_consumer_close(c, BRAID_DATA_CONSUMER_CLOSE_CMD);
    return braid_reply_encode_ok(cmd->id, out);
  }
  if (c == NULL) return error(cmd->id, BRAID_ENOTFOUND, what, "data consumer not found", out);
  if (cmd->type == BRAID_CMD_DATA_CONSUMER_STATS)
    return stats(cmd->id, what, braid_stats_json_data_consumer(c, json, sizeof json), json, out);
  c->paused = cmd->type == BRAID_CMD_DATA_CONSUMER_PAUSE;
  return braid_reply_encode_ok(cmd->id, out);
}
