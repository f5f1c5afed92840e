#include "mediad/channel/media_handlers.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/stats_json.h"
#include "mediad/rtc/transport.h"
#include "proto/reply.h"

static int error(uint64_t id, int code, const char *what, const char *why, braid_buf_t *out) {
  char reason[BRAID_REASON_MAX];
  snprintf(reason, sizeof reason, "%s: %s", what, why ? why : braid_strerror(code));
  return braid_reply_encode_error(id, code, reason, out);
}

/* Producers and consumers live on the media half of any kind. */
static braid_transport_t *find_transport(braid_mediad_t *md, braid_str_t id) {
  return braid_map_get(md->transports, id.p, id.len);
}

int braid_media_handlers_producer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  const braid_cmd_producer_create_t *c = &cmd->u.producer_create;
  braid_transport_t *t = find_transport(md, c->transport_id);
  if (t == NULL) return error(cmd->id, BRAID_ENOTFOUND, "producer.create", "transport not found", out);
  braid_producer_t *p = braid_map_get(md->producers, c->producer_id.p, c->producer_id.len);
  if (p != NULL) {
    if (p->transport == t) return braid_reply_encode_ok(cmd->id, out);
    return error(cmd->id, BRAID_EEXIST, "producer.create", "producer id taken", out);
  }
  const char *why = NULL;
  int rc = braid_producer_new(&p, t, c, &why);
  if (rc != 0) return error(cmd->id, rc, "producer.create", why, out);
  BRAID_LOGI("producer", "producer %s (%s, %s, %zu stream%s) on transport %s", p->id,
             p->video ? "video" : "audio", p->type, p->nstreams, p->nstreams == 1 ? "" : "s", t->id);
  return braid_reply_encode_ok(cmd->id, out);
}

/* Whether the node took --max-consumers consumers already (pipe consumers
 * are not counted: they are the cluster's plumbing, not peers'). */
static bool consumer_limit_reached(const braid_mediad_t *md) {
  long max = md->config != NULL ? md->config->max_consumers : 0;
  return max > 0 && braid_map_size(md->consumers) - md->pipe_consumers >= (size_t)max;
}

/* A pipe transport carries pipe consumers only, and only it does (as
 * mediasoup's PipeTransport.consume()). Returns the reason, or NULL. */
static const char *check_consumer_type(const braid_transport_t *t,
                                       const braid_cmd_consumer_create_t *c) {
  bool pipe_transport = strcmp(braid_transport_kind(t), "pipe") == 0;
  bool pipe_consumer = braid_str_eq(c->type, "pipe");
  if (pipe_consumer && !pipe_transport) return "a pipe consumer needs a pipe transport";
  if (!pipe_consumer && pipe_transport) return "a pipe transport takes pipe consumers only";
  return NULL;
}

int braid_media_handlers_consumer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  const braid_cmd_consumer_create_t *c = &cmd->u.consumer_create;
  braid_transport_t *t = find_transport(md, c->transport_id);
  if (t == NULL) return error(cmd->id, BRAID_ENOTFOUND, "consumer.create", "transport not found", out);
  braid_producer_t *p = braid_map_get(md->producers, c->producer_id.p, c->producer_id.len);
  if (p == NULL) return error(cmd->id, BRAID_ENOTFOUND, "consumer.create", "producer not found", out);
  if (strcmp(p->transport->router_id, t->router_id) != 0)
    return error(cmd->id, BRAID_EINVAL, "consumer.create", "producer is on another router", out);
  braid_consumer_t *k = braid_map_get(md->consumers, c->consumer_id.p, c->consumer_id.len);
  if (k != NULL) {
    if (k->transport == t && k->producer == p) return braid_reply_encode_consumer(cmd->id, p->paused, out);
    return error(cmd->id, BRAID_EEXIST, "consumer.create", "consumer id taken", out);
  }
  const char *why = check_consumer_type(t, c);
  if (why != NULL) return error(cmd->id, BRAID_EINVAL, "consumer.create", why, out);
  if (!braid_str_eq(c->type, "pipe") && consumer_limit_reached(md))
    return error(cmd->id, BRAID_ELIMIT, "consumer.create", "node consumer limit reached", out);
  int rc = braid_consumer_new(&k, t, p, c, &why);
  if (rc != 0) return error(cmd->id, rc, "consumer.create", why, out);
  BRAID_LOGI("consumer", "%sconsumer %s of producer %s on transport %s%s", k->pipe ? "pipe " : "",
             k->id, p->id, t->id, k->paused ? " (paused)" : "");
  return braid_reply_encode_consumer(cmd->id, p->paused, out);
}

int braid_media_handlers_producer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  braid_str_t id = cmd->u.producer_ref.producer_id;
  braid_producer_t *p = braid_map_get(md->producers, id.p, id.len);
  if (cmd->type == BRAID_CMD_PRODUCER_CLOSE) {
    if (p != NULL) {
      BRAID_LOGI("producer", "producer %s closed", p->id);
      braid_producer_close(p);
    }
    return braid_reply_encode_ok(cmd->id, out);
  }
  if (p == NULL) return error(cmd->id, BRAID_ENOTFOUND, braid_cmd_type_name(cmd->type), "producer not found", out);
  braid_producer_set_paused(p, cmd->type == BRAID_CMD_PRODUCER_PAUSE);
  return braid_reply_encode_ok(cmd->id, out);
}

int braid_media_handlers_consumer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  braid_str_t id = cmd->type == BRAID_CMD_CONSUMER_SET_LAYERS     ? cmd->u.consumer_layers.consumer_id
                   : cmd->type == BRAID_CMD_CONSUMER_SET_PRIORITY ? cmd->u.consumer_priority.consumer_id
                                                                  : cmd->u.consumer_ref.consumer_id;
  braid_consumer_t *c = braid_map_get(md->consumers, id.p, id.len);
  if (cmd->type == BRAID_CMD_CONSUMER_CLOSE) {
    if (c != NULL) braid_consumer_close(c);
    return braid_reply_encode_ok(cmd->id, out);
  }
  if (c == NULL) return error(cmd->id, BRAID_ENOTFOUND, braid_cmd_type_name(cmd->type), "consumer not found", out);
  BRAID_LOGD("consumer", "consumer %s: %s", c->id, braid_cmd_type_name(cmd->type));
  switch (cmd->type) {
  case BRAID_CMD_CONSUMER_PAUSE: braid_consumer_set_paused(c, true); break;
  case BRAID_CMD_CONSUMER_RESUME: braid_consumer_set_paused(c, false); break;
  case BRAID_CMD_CONSUMER_SET_LAYERS: {
    const braid_cmd_consumer_layers_t *l = &cmd->u.consumer_layers;
    /* Simulcast or SVC; a pipe forwards every layer (mediasoup: a no-op). */
    braid_consumer_set_preferred_layers(c, l->spatial,
                                        l->temporal == BRAID_LAYER_HIGHEST ? -1 : l->temporal);
    break;
  }
  case BRAID_CMD_CONSUMER_SET_PRIORITY:
    braid_consumer_set_priority(c, cmd->u.consumer_priority.priority);
    break;
  default: braid_consumer_request_keyframe(c); break;
  }
  return braid_reply_encode_ok(cmd->id, out);
}

int braid_media_handlers_stats(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  static char json[BRAID_STATS_JSON_MAX]; /* one command at a time on the loop */
  ssize_t n = BRAID_ENOTFOUND;
  const char *what = braid_cmd_type_name(cmd->type);
  switch (cmd->type) {
  case BRAID_CMD_TRANSPORT_STATS: {
    braid_transport_t *t = find_transport(md, cmd->u.transport_close.transport_id);
    if (t != NULL) n = braid_transport_stats_json(t, json, sizeof json);
    break;
  }
  case BRAID_CMD_PRODUCER_STATS: {
    braid_str_t id = cmd->u.producer_ref.producer_id;
    braid_producer_t *p = braid_map_get(md->producers, id.p, id.len);
    if (p != NULL) n = braid_stats_json_producer(p, json, sizeof json);
    break;
  }
  default: {
    braid_str_t id = cmd->u.consumer_ref.consumer_id;
    braid_consumer_t *c = braid_map_get(md->consumers, id.p, id.len);
    if (c != NULL) n = braid_stats_json_consumer(c, json, sizeof json);
    break;
  }
  }
  if (n < 0) return error(cmd->id, (int)n, what, n == BRAID_ENOTFOUND ? "not found" : NULL, out);
  return braid_reply_encode_stats(cmd->id, (braid_str_t){json, (size_t)n}, out);
}
