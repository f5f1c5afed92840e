#include "controller/room/pipes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"
#include "controller/cluster/node_ref.h"
#include "controller/cluster/pipe_store.h"
#include "controller/cluster/rpc.h"
#include "controller/cluster/store.h"
#include "controller/ortc/srtp_params.h"
#include "controller/room/data_cmd.h"
#include "controller/room/pipe_cmd.h"
#include "controller/room/request.h"
#include "controller/room/rooms.h"
#include "proto/transport.h"

#define PIPE_SUITE "AEAD_AES_256_GCM"
/* How often a controller that found a claim taken looks again, and how
 * long it waits in all (a claim under way is taken over after
 * BRAID_PIPE_STALE_MS). */
#define RETRY_MS 100
#define WAIT_MS  (BRAID_PIPE_STALE_MS + 5000)
/* RTX SSRCs of a pipe (the first stream's; one per encoding follows). */
#define PIPE_RTX_SSRC_LO 100000000u
#define PIPE_RTX_SSRC_HI 999999990u
/* SCTP on every pipe transport, for data producers. */
#define PIPE_SCTP_STREAMS 1024

/* One side of the transport pair being made. */
typedef struct side {
  char node[BRAID_ID_MAX + 1];
  char router[BRAID_ID_MAX + 1];
  char transport[BRAID_ID_MAX + 1];
  char ip[BRAID_IP_MAX + 1];
  char key[BRAID_ORTC_SRTP_KEY_B64_MAX]; /* what this side protects with */
  uint16_t port;
} side_t;

typedef struct pipe_op {
  braid_ctl_t *ctl;
  braid_pipe_cb cb;
  void *user_data;
  char room[BRAID_ROOM_ID_MAX + 1];
  char producer[BRAID_ID_MAX + 1];
  char target[BRAID_ID_MAX + 1];
  char from[BRAID_ID_MAX + 1];
  char consumer[BRAID_UUID_STRLEN + 1];             /* the pipe (data) consumer on from */
  char token[BRAID_ID_MAX + BRAID_UUID_STRLEN + 2]; /* this operation's claim token */
  bool data;                                        /* producer names a data producer */
  uint16_t stream;                   /* data: the stream the pipe data consumer got */
  braid_data_stream_t stream_params; /* data: the data producer's */
  json_t *record;                    /* owned: the producer record */
  json_t *params;                    /* owned: the pipe's rtpParameters */
  side_t side[2];                    /* a < b */
  struct side_call {
    struct pipe_op *op;
    int i;
  } call[2];                         /* user data of the per-side commands */
  int waiting;                       /* replies still to come for this step */
  int failed;                        /* a reply of this step failed */
  void (*retry)(struct pipe_op *op); /* what the timer runs */
  uv_timer_t timer;
  bool timer_on;
  int64_t deadline_ms;
} pipe_op_t;

static void on_timer_closed(uv_handle_t *h) { braid_free(h->data); }

static void finish(pipe_op_t *op, int err, const char *reason) {
  if (err != 0)
    BRAID_LOGW("pipe", "room %s: producer %s to node %s: %s", op->room, op->producer, op->target,
               reason);
  op->cb(err, reason, op->user_data);
  json_decref(op->record);
  json_decref(op->params);
  if (op->timer_on)
    uv_close((uv_handle_t *)&op->timer, on_timer_closed);
  else
    braid_free(op);
}

static bool closing(pipe_op_t *op) {
  if (!op->ctl->shutting_down) return false;
  finish(op, BRAID_ECLOSED, "controller shutting down");
  return true;
}

static void on_timer(uv_timer_t *t) {
  pipe_op_t *op = t->data;
  if (closing(op)) return;
  op->retry(op);
}

/* Runs retry again soon, or fails when the wait is over. */
static void pair_claim(pipe_op_t *op);

static void again(pipe_op_t *op, void (*retry)(pipe_op_t *op)) {
  if (braid_clock_mono_ms() > op->deadline_ms) {
    /* Waiting on the pair, we hold the pipe's claim: let it go. */
    if (retry == pair_claim)
      braid_pipe_store_abort_pipe(op->ctl, op->room, op->producer, op->target, op->token, NULL,
                                  NULL);
    finish(op, BRAID_ETIMEDOUT, "another controller's pipe did not become ready in time");
    return;
  }
  if (!op->timer_on) {
    uv_timer_init(op->ctl->loop, &op->timer);
    op->timer.data = op;
    op->timer_on = true;
  }
  op->retry = retry;
  uv_timer_start(&op->timer, on_timer, RETRY_MS, 0);
}

static const char *jstr(const json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

static bool state_is(const json_t *j, const char *state) {
  return strcmp(jstr(j, "state"), state) == 0;
}

static void claim(pipe_op_t *op);

/* ---- 4. ready ------------------------------------------------------------- */

/* Undoing step 3. The pipe consumer is this operation's own (its id is
 * new). The copy has the producer's id, so another claim that took this
 * one over makes the same copy: it is closed only while the claim is
 * still ours (the producer closed, or this operation failed), never after
 * a takeover. */
typedef struct undo {
  braid_ctl_t *ctl;
  char node[BRAID_ID_MAX + 1];
  char producer[BRAID_ID_MAX + 1];
  bool data;
} undo_t;

static void close_copy(braid_ctl_t *ctl, const char *node, const char *producer, bool data) {
  braid_node_ref(ctl, node, data ? BRAID_CMD_DATA_PRODUCER_CLOSE : BRAID_CMD_PRODUCER_CLOSE,
                 producer);
}

static void close_own_consumer(pipe_op_t *op) {
  braid_node_ref(op->ctl, op->from,
                 op->data ? BRAID_CMD_DATA_CONSUMER_CLOSE : BRAID_CMD_CONSUMER_CLOSE, op->consumer);
}

static void on_aborted(int err, const char *reason, json_t *j, void *ud) {
  undo_t *u = ud;
  (void)reason;
  if (err == 0 && json_is_true(json_object_get(j, "removed")) && !u->ctl->shutting_down)
    close_copy(u->ctl, u->node, u->producer, u->data);
  braid_free(u);
}

/* Step 3 failed: our pipe consumer goes, and the copy if the claim was
 * still ours. */
static void undo_media(pipe_op_t *op) {
  close_own_consumer(op);
  undo_t *u = braid_xcalloc(1, sizeof *u);
  u->ctl = op->ctl;
  u->data = op->data;
  snprintf(u->node, sizeof u->node, "%s", op->target);
  snprintf(u->producer, sizeof u->producer, "%s", op->producer);
  braid_pipe_store_abort_pipe(op->ctl, op->room, op->producer, op->target, op->token, on_aborted,
                              u);
}

static void restart(pipe_op_t *op) {
  json_decref(op->record);
  json_decref(op->params);
  op->record = op->params = NULL;
  again(op, claim);
}

static void on_ready(int err, const char *reason, json_t *j, void *ud) {
  pipe_op_t *op = ud;
  if (closing(op)) return;
  if (err != 0) {
    undo_media(op);
    finish(op, err, reason);
    return;
  }
  if (state_is(j, "lost")) { /* another claim took ours over: it makes the copy */
    close_own_consumer(op);
    restart(op);
    return;
  }
  if (!state_is(j, "ready")) { /* the producer closed meanwhile (claim dropped) */
    close_own_consumer(op);
    close_copy(op->ctl, op->target, op->producer, op->data);
    finish(op, BRAID_ESTATE, "producer closed");
    return;
  }
  if (!op->data && json_is_true(json_object_get(j, "paused")))
    braid_node_ref(op->ctl, op->target, BRAID_CMD_PRODUCER_PAUSE, op->producer);
  BRAID_LOGI("pipe", "room %s: producer %s piped from node %s to node %s", op->room, op->producer,
             op->from, op->target);
  finish(op, 0, NULL);
}

/* ---- 3. pipe consumer and piped producer --------------------------------- */

static const side_t *side_of(const pipe_op_t *op, const char *node) {
  return strcmp(op->side[0].node, node) == 0 ? &op->side[0] : &op->side[1];
}

static void fail_media(pipe_op_t *op, const char *reason) {
  undo_media(op);
  finish(op, BRAID_EINTERNAL, reason);
}

/* Lets go of the pipe's claim (nothing was made on the nodes yet). */
static void abort_claim(pipe_op_t *op) {
  braid_pipe_store_abort_pipe(op->ctl, op->room, op->producer, op->target, op->token, NULL, NULL);
}

static void mark_ready(pipe_op_t *op) {
  braid_pipe_store_ready(op->ctl, op->room, op->producer, op->data, op->target, op->token,
                         side_of(op, op->target)->transport, side_of(op, op->from)->transport,
                         op->consumer, on_ready, op);
}

static void on_media(int err, const braid_reply_t *reply, void *ud) {
  pipe_op_t *op = ud;
  if (err != 0 || !reply->ok) op->failed = err ? err : BRAID_EINTERNAL;
  if (err == 0 && !reply->ok)
    BRAID_LOGW("pipe", "producer %s: node refused: %.*s", op->producer, (int)reply->reason.len,
               reply->reason.p);
  if (--op->waiting > 0) return;
  if (closing(op)) return;
  if (op->failed) {
    fail_media(op, "media node refused the pipe consumer or producer");
    return;
  }
  mark_ready(op);
}

/* Data: the copy gets the stream the pipe data consumer got, so it
 * comes after it. */
static void on_data_producer(int err, const braid_reply_t *reply, void *ud) {
  pipe_op_t *op = ud;
  if (closing(op)) return;
  if (err != 0 || !reply->ok) {
    fail_media(op, "media node refused the piped data producer");
    return;
  }
  mark_ready(op);
}

static void on_data_consumer(int err, const braid_reply_t *reply, void *ud) {
  pipe_op_t *op = ud;
  if (closing(op)) return;
  const char *why = NULL;
  if (err != 0 || !reply->ok || braid_reply_result_data_consumer(reply, &op->stream, &why) != 0) {
    fail_media(op, "media node refused the pipe data consumer");
    return;
  }
  const json_t *rec = op->record;
  braid_data_produce_t req = {
      .stream = op->stream_params, .label = jstr(rec, "label"), .protocol = jstr(rec, "protocol")};
  req.stream.stream_id = op->stream;
  braid_cmd_t cmd = {.type = BRAID_CMD_DATA_PRODUCER_CREATE};
  braid_data_cmd_producer(&cmd.u.data_producer_create, &req, side_of(op, op->target)->transport,
                          op->producer);
  braid_rpc_call(op->ctl->rpc, op->target, &cmd, on_data_producer, op);
}

static void pipe_data(pipe_op_t *op) {
  char err[256];
  braid_id_uuid(op->consumer);
  if (braid_data_cmd_parse_stream(json_object_get(op->record, "sctpStreamParameters"), "record",
                                  &op->stream_params, err, sizeof err) != 0) {
    abort_claim(op);
    finish(op, BRAID_EINTERNAL, err);
    return;
  }
  braid_cmd_t cmd = {.type = BRAID_CMD_DATA_CONSUMER_CREATE};
  braid_data_cmd_consumer(&cmd.u.data_consumer_create, &op->stream_params,
                          side_of(op, op->from)->transport, op->consumer, op->producer);
  braid_rpc_call(op->ctl->rpc, op->from, &cmd, on_data_consumer, op);
}

static void pipe_media(pipe_op_t *op) {
  if (op->data) {
    pipe_data(op);
    return;
  }
  const json_t *rec = op->record;
  const char *kind = jstr(rec, "kind"), *type = jstr(rec, "type");
  char err[256];
  json_t *mapping = NULL;
  braid_cmd_t cc = {.type = BRAID_CMD_CONSUMER_CREATE}, pc = {.type = BRAID_CMD_PRODUCER_CREATE};
  braid_id_uuid(op->consumer);
  /* RTX on the pipe, its SSRCs drawn as mediasoup draws them. */
  uint32_t rtx_ssrc = braid_id_random_u32(PIPE_RTX_SSRC_LO, PIPE_RTX_SSRC_HI);
  if (braid_pipe_cmd_params(json_object_get(rec, "consumable"), rtx_ssrc, &op->params, err,
                            sizeof err) != 0 ||
      braid_pipe_cmd_consumer(&cc.u.consumer_create, op->params, kind,
                              side_of(op, op->from)->transport, op->consumer, op->producer, err,
                              sizeof err) != 0 ||
      braid_pipe_cmd_producer(&pc.u.producer_create, op->params, kind, type,
                              side_of(op, op->target)->transport, op->producer, &mapping, err,
                              sizeof err) != 0) {
    json_decref(mapping);
    abort_claim(op);
    finish(op, BRAID_EINTERNAL, err);
    return;
  }
  op->waiting = 2;
  op->failed = 0;
  braid_rpc_call(op->ctl->rpc, op->from, &cc, on_media, op);
  braid_rpc_call(op->ctl->rpc, op->target, &pc, on_media, op);
  json_decref(mapping);
}

/* ---- 2. the transport pair ------------------------------------------------ */

static void fail_pair(pipe_op_t *op, const char *reason) {
  for (int i = 0; i < 2; i++)
    braid_node_ref(op->ctl, op->side[i].node, BRAID_CMD_TRANSPORT_CLOSE, op->side[i].transport);
  braid_pipe_store_abort_pair(op->ctl, op->room, op->side[0].node, op->side[1].node,
                              op->side[0].transport);
  abort_claim(op);
  finish(op, BRAID_EINTERNAL, reason);
}

static void on_pair_ready(int err, const char *reason, json_t *j, void *ud) {
  pipe_op_t *op = ud;
  if (closing(op)) return;
  if (err != 0 || j == NULL) { /* j NULL: the pair's claim was taken over */
    fail_pair(op, err ? reason : "pipe transport pair taken over");
    return;
  }
  pipe_media(op);
}

static void on_connected(int err, const braid_reply_t *reply, void *ud) {
  pipe_op_t *op = ud;
  if (err != 0 || !reply->ok) op->failed = err ? err : BRAID_EINTERNAL;
  if (--op->waiting > 0) return;
  if (closing(op)) return;
  if (op->failed) {
    fail_pair(op, "media node refused to connect a pipe transport");
    return;
  }
  const side_t *a = &op->side[0], *b = &op->side[1];
  json_t *extra = json_pack("{sssisssisb}", "ipA", a->ip, "portA", (int)a->port, "ipB", b->ip,
                            "portB", (int)b->port, "srtp", op->ctl->config->pipe_srtp);
  char *text = json_dumps(extra, JSON_COMPACT);
  json_decref(extra);
  braid_pipe_store_transport_ready(op->ctl, op->room, a->node, b->node, a->transport, text,
                                   on_pair_ready, op);
  free(text);
}

static void connect_pair(pipe_op_t *op) {
  op->waiting = 2;
  op->failed = 0;
  for (int i = 0; i < 2; i++) {
    const side_t *me = &op->side[i], *peer = &op->side[1 - i];
    braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CONNECT_PLAIN};
    braid_cmd_transport_connect_plain_t *c = &cmd.u.transport_connect_plain;
    c->transport_id = braid_str_c(me->transport);
    c->ip = braid_str_c(peer->ip);
    c->port = peer->port;
    c->srtp_suite = braid_str_c(op->ctl->config->pipe_srtp ? PIPE_SUITE : "");
    c->srtp_key = braid_str_c(op->ctl->config->pipe_srtp ? peer->key : "");
    c->srtp_local_key = braid_str_c(op->ctl->config->pipe_srtp ? me->key : "");
    braid_rpc_call(op->ctl->rpc, me->node, &cmd, on_connected, op);
  }
}

static void on_created(int err, const braid_reply_t *reply, void *ud) {
  struct side_call *sc = ud;
  pipe_op_t *op = sc->op;
  uint16_t port = 0, rtcp_port = 0;
  const char *why = NULL;
  if (err != 0 || !reply->ok || braid_reply_result_plain(reply, &port, &rtcp_port, &why) != 0)
    op->failed = err ? err : BRAID_EINTERNAL;
  else
    op->side[sc->i].port = port;
  if (--op->waiting > 0) return;
  if (closing(op)) return;
  if (op->failed) {
    fail_pair(op, "media node refused a pipe transport");
    return;
  }
  connect_pair(op);
}

static void create_pair(pipe_op_t *op) {
  op->waiting = 2;
  op->failed = 0;
  for (int i = 0; i < 2; i++) {
    side_t *me = &op->side[i];
    if (op->ctl->config->pipe_srtp)
      BRAID_ASSERT(braid_ortc_srtp_random_key(PIPE_SUITE, me->key) == 0);
    braid_cmd_t cmd = {.type = BRAID_CMD_TRANSPORT_CREATE_PLAIN};
    braid_cmd_transport_create_plain_t *c = &cmd.u.transport_create_plain;
    c->router_id = braid_str_c(me->router);
    c->transport_id = braid_str_c(me->transport);
    c->pipe = true;
    c->rtcp_mux = true;
    c->comedia = false;
    c->enable_srtp = op->ctl->config->pipe_srtp;
    c->enable_sctp = true;
    c->sctp_os = c->sctp_mis = PIPE_SCTP_STREAMS;
    c->sctp_max_message_size = (uint64_t)op->ctl->config->sctp_max_message_size;
    op->call[i] = (struct side_call){op, i};
    braid_rpc_call(op->ctl->rpc, me->node, &cmd, on_created, &op->call[i]);
  }
}

/* The announced addresses of both nodes, which the other side sends to. */
static void on_node_info(int err, const char *reason, json_t *j, void *ud) {
  struct side_call *sc = ud;
  pipe_op_t *op = sc->op;
  const char *ip = j ? jstr(j, "announced_ip") : "";
  if (j != NULL && ip[0] == '\0') ip = jstr(j, "ip");
  if (err != 0 || ip[0] == '\0') {
    op->failed = err ? err : BRAID_ENONODE;
    (void)reason;
  } else {
    snprintf(op->side[sc->i].ip, sizeof op->side[sc->i].ip, "%s", ip);
  }
  if (--op->waiting > 0) return;
  if (closing(op)) return;
  if (op->failed) {
    braid_pipe_store_abort_pair(op->ctl, op->room, op->side[0].node, op->side[1].node,
                                op->side[0].transport);
    abort_claim(op);
    finish(op, BRAID_ENONODE, "a media node of the pipe is gone");
    return;
  }
  create_pair(op);
}

static void on_pair_claim(int err, const char *reason, json_t *j, void *ud) {
  pipe_op_t *op = ud;
  if (closing(op)) return;
  if (err != 0) {
    abort_claim(op);
    finish(op, err, reason);
    return;
  }
  if (state_is(j, "wait")) {
    again(op, pair_claim);
    return;
  }
  snprintf(op->side[0].transport, sizeof op->side[0].transport, "%s", jstr(j, "ta"));
  snprintf(op->side[1].transport, sizeof op->side[1].transport, "%s", jstr(j, "tb"));
  if (state_is(j, "ready")) {
    pipe_media(op);
    return;
  }
  snprintf(op->side[0].router, sizeof op->side[0].router, "%s", jstr(j, "ra"));
  snprintf(op->side[1].router, sizeof op->side[1].router, "%s", jstr(j, "rb"));
  op->waiting = 2;
  op->failed = 0;
  for (int i = 0; i < 2; i++) {
    op->call[i] = (struct side_call){op, i};
    braid_store_node_info(op->ctl, op->side[i].node, on_node_info, &op->call[i]);
  }
}

static void pair_claim(pipe_op_t *op) {
  char ta[BRAID_UUID_STRLEN + 1], tb[BRAID_UUID_STRLEN + 1];
  braid_id_uuid(ta);
  braid_id_uuid(tb);
  braid_pipe_store_transport_claim(op->ctl, op->room, op->side[0].node, op->side[1].node, ta, tb,
                                   on_pair_claim, op);
}

/* ---- 1. the claim ---------------------------------------------------------- */

static void on_claim(int err, const char *reason, json_t *j, void *ud) {
  pipe_op_t *op = ud;
  if (closing(op)) return;
  if (err != 0) {
    finish(op, err, reason);
    return;
  }
  if (state_is(j, "ready")) {
    finish(op, 0, NULL);
    return;
  }
  if (state_is(j, "wait")) {
    if (!op->timer_on)
      BRAID_LOGI("pipe", "room %s: producer %s is being piped to node %s by another: waiting",
                 op->room, op->producer, op->target);
    again(op, claim);
    return;
  }
  const char *from = jstr(j, "from");
  op->record = json_incref(json_object_get(j, "producer"));
  snprintf(op->from, sizeof op->from, "%s", from);
  /* The pair's sides in node id order, so both directions share it. */
  bool from_first = strcmp(from, op->target) < 0;
  snprintf(op->side[from_first ? 0 : 1].node, sizeof op->side[0].node, "%s", from);
  snprintf(op->side[from_first ? 1 : 0].node, sizeof op->side[0].node, "%s", op->target);
  BRAID_LOGI("pipe", "room %s: piping producer %s from node %s to node %s", op->room, op->producer,
             from, op->target);
  pair_claim(op);
}

static void claim(pipe_op_t *op) {
  braid_pipe_store_claim(op->ctl, op->room, op->producer, op->data, op->target, op->token,
                         (int)op->ctl->config->pipe_fanout, on_claim, op);
}

static void ensure(braid_ctl_t *ctl, const char *room_id, const char *producer_id, bool data,
                   const char *node_id, braid_pipe_cb cb, void *user_data) {
  pipe_op_t *op = braid_xcalloc(1, sizeof *op);
  op->data = data;
  char uuid[BRAID_UUID_STRLEN + 1];
  braid_id_uuid(uuid);
  snprintf(op->token, sizeof op->token, "%s/%s", ctl->id, uuid);
  op->ctl = ctl;
  op->cb = cb;
  op->user_data = user_data;
  op->deadline_ms = braid_clock_mono_ms() + WAIT_MS;
  snprintf(op->room, sizeof op->room, "%s", room_id);
  snprintf(op->producer, sizeof op->producer, "%s", producer_id);
  snprintf(op->target, sizeof op->target, "%s", node_id);
  claim(op);
}

void braid_pipe_ensure(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                       const char *node_id, braid_pipe_cb cb, void *user_data) {
  ensure(ctl, room_id, producer_id, false, node_id, cb, user_data);
}

void braid_pipe_ensure_data(braid_ctl_t *ctl, const char *room_id, const char *data_producer_id,
                            const char *node_id, braid_pipe_cb cb, void *user_data) {
  ensure(ctl, room_id, data_producer_id, true, node_id, cb, user_data);
}

/* ---- pause, resume, close --------------------------------------------------- */

typedef struct ref_op {
  braid_ctl_t *ctl;
  braid_cmd_type_t type;
  char producer[BRAID_ID_MAX + 1];
} ref_op_t;

static void on_nodes(int err, const char *reason, json_t *nodes, void *ud) {
  ref_op_t *r = ud;
  size_t i;
  json_t *n;
  if (err != 0)
    BRAID_LOGW("pipe", "producer %s: cannot read its pipes: %s", r->producer, reason);
  else if (!r->ctl->shutting_down)
    json_array_foreach(nodes, i, n) if (json_is_string(n))
        braid_node_ref(r->ctl, json_string_value(n), r->type, r->producer);
  braid_free(r);
}

static void each_pipe(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                      braid_cmd_type_t type, bool remove) {
  ref_op_t *r = braid_xcalloc(1, sizeof *r);
  r->ctl = ctl;
  r->type = type;
  snprintf(r->producer, sizeof r->producer, "%s", producer_id);
  braid_pipe_store_nodes(ctl, room_id, producer_id, remove, on_nodes, r);
}

void braid_pipes_producer_paused(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                 bool paused) {
  each_pipe(ctl, room_id, producer_id,
            paused ? BRAID_CMD_PRODUCER_PAUSE : BRAID_CMD_PRODUCER_RESUME, false);
}

void braid_pipes_producer_closed(braid_ctl_t *ctl, const char *room_id, const char *producer_id) {
  each_pipe(ctl, room_id, producer_id, BRAID_CMD_PRODUCER_CLOSE, true);
}

void braid_pipes_data_producer_closed(braid_ctl_t *ctl, const char *room_id,
                                      const char *data_producer_id) {
  each_pipe(ctl, room_id, data_producer_id, BRAID_CMD_DATA_PRODUCER_CLOSE, true);
}

/* ---- teardown ------------------------------------------------------------------ */

static void on_gc(int err, const char *reason, json_t *res, void *ud) {
  braid_room_ref_t *g = ud;
  braid_ctl_t *ctl = g->ctl;
  size_t i;
  json_t *v;
  if (err != 0) BRAID_LOGW("pipe", "room %s: pipe teardown: %s", g->room_id, reason);
  if (err != 0 || ctl->shutting_down) {
    braid_free(g);
    return;
  }
  json_array_foreach(json_object_get(res, "pipes"), i, v) {
    const char *pid = jstr(v, "producer"), *node = jstr(v, "node"), *from = jstr(v, "from");
    const char *pc = jstr(v, "pipeConsumerId");
    bool data = strcmp(jstr(v, "kind"), "data") == 0;
    BRAID_LOGI("pipe", "room %s: %s %s no longer needed on node %s: pipe from %s closed",
               g->room_id, data ? "data producer" : "producer", pid, node, from);
    if (pid[0] && node[0])
      braid_node_ref(ctl, node, data ? BRAID_CMD_DATA_PRODUCER_CLOSE : BRAID_CMD_PRODUCER_CLOSE,
                     pid);
    if (pc[0] && from[0])
      braid_node_ref(ctl, from, data ? BRAID_CMD_DATA_CONSUMER_CLOSE : BRAID_CMD_CONSUMER_CLOSE,
                     pc);
  }
  json_array_foreach(json_object_get(res, "pairs"), i, v) {
    BRAID_LOGI("pipe", "room %s: pipe transports between %s and %s closed (unused)", g->room_id,
               jstr(v, "a"), jstr(v, "b"));
    if (jstr(v, "ta")[0])
      braid_node_ref(ctl, jstr(v, "a"), BRAID_CMD_TRANSPORT_CLOSE, jstr(v, "ta"));
    if (jstr(v, "tb")[0])
      braid_node_ref(ctl, jstr(v, "b"), BRAID_CMD_TRANSPORT_CLOSE, jstr(v, "tb"));
  }
  braid_free(g);
}

static void gc_room(const char *room_id, void *ud) {
  braid_ctl_t *ctl = ud;
  braid_pipe_store_gc(ctl, room_id, BRAID_PIPE_GRACE_MS, on_gc, braid_room_ref_new(ctl, room_id));
}

void braid_pipes_gc(braid_ctl_t *ctl) {
  if (!ctl->shutting_down) braid_rooms_foreach_room(ctl->rooms, gc_room, ctl);
}
