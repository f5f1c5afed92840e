/*
 * Fire-and-forget commands that name one object on a media node: closing
 * (or pausing, resuming) a transport, producer, consumer, data producer or
 * data consumer whose answer nobody waits for, e.g. to undo what a failed
 * request left on the node or to close what a peer left behind. Every such
 * command is idempotent on the node. A failure is logged, nothing more.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_NODE_REF_H
#define BRAID_CONTROLLER_CLUSTER_NODE_REF_H

#include "controller/ctl.h"
#include "proto/cmd.h"

/* Sends type (router.close, transport.close; producer., consumer.,
 * data_producer. or data_consumer. close/pause/resume) for id to node_id. Both strings are
 * borrowed for the call. */
void braid_node_ref(braid_ctl_t *ctl, const char *node_id, braid_cmd_type_t type, const char *id);

#endif
