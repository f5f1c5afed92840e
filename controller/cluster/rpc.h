/*
 * Commands to media nodes and their replies (ARCHITECTURE.md §2).
 *
 * braid_rpc_call() appends the command to <prefix>node:<id>:cmd, but only
 * while the node's key exists (a Lua script checks and appends atomically),
 * and waits for the reply published on <prefix>ctl:<controller-id>. Every
 * call ends in exactly one callback: the reply, or an error (BRAID_ENONODE:
 * the node is not alive; BRAID_ETIMEDOUT: no reply before the deadline;
 * BRAID_ECLOSED: Redis is unreachable).
 */
#ifndef BRAID_CONTROLLER_CLUSTER_RPC_H
#define BRAID_CONTROLLER_CLUSTER_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "controller/ctl.h"
#include "proto/cmd.h"
#include "proto/reply.h"

/* reply is borrowed for the call, NULL when err != 0. When reply->ok is
 * false the node refused the command (reply->error_code/reason). */
typedef void (*braid_rpc_cb)(int err, const braid_reply_t *reply, void *user_data);

braid_rpc_t *braid_rpc_new(braid_ctl_t *ctl);
/* Fails every pending call with BRAID_ECLOSED, then frees. */
void braid_rpc_free(braid_rpc_t *rpc);

/* Sends cmd (its id, reply_to and deadline are filled in here) to node_id.
 * cb is always called later, never from inside this function. */
void braid_rpc_call(braid_rpc_t *rpc, const char *node_id, braid_cmd_t *cmd, braid_rpc_cb cb,
                    void *user_data);

/* Feeds a message received on the reply channel. */
void braid_rpc_on_reply(braid_rpc_t *rpc, const uint8_t *data, size_t len);

/* Counters for /healthz and logs. */
uint64_t braid_rpc_bad_replies(const braid_rpc_t *rpc);

#endif
