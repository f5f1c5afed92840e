/*
 * Media node liveness, as each controller sees it (ARCHITECTURE.md §6: a
 * media daemon dies). Every BRAID_NODE_WATCH_MS the controller reads the
 * heartbeat ("updated_ms") of every node in P nodes; a node is dead when
 * its key is gone, or when its heartbeat has not moved for
 * BRAID_NODE_DEAD_MS of the controller's own clock (so clocks of different
 * hosts need not agree). A node that was seen and then left P nodes is
 * dead too. Each death is reported once, to braid_node_loss()
 * (room/node_loss.h).
 *
 * A daemon beats every second and its key lives 3 s: a SIGKILLed daemon
 * is noticed 2 to 2.5 s after its last beat, before its key expires.
 *
 * Only Redis tells us about nodes, so a gap in our own readings (Redis
 * down, restarted, failed over, or slow to answer) restarts every node's
 * clock, and nothing is judged until readings have succeeded back to back
 * for 3 s: media never stops for a Redis outage (ARCHITECTURE.md §6).
 *
 * A dead node is buried (P node:<id>:dead for BRAID_NODE_TOMBSTONE_MS,
 * out of P nodes): placement and pipes skip it even while its key lives
 * on, and a daemon that was only stalled is not used again before the
 * routers it lost are closed on it (node_loss.h).
 */
#ifndef BRAID_CONTROLLER_CLUSTER_NODE_WATCH_H
#define BRAID_CONTROLLER_CLUSTER_NODE_WATCH_H

#include "controller/ctl.h"

#define BRAID_NODE_WATCH_MS 250
#define BRAID_NODE_DEAD_MS 2000
/* How long a dead node stays out of placement and pipes
 * (P node:<id>:dead). */
#define BRAID_NODE_TOMBSTONE_MS 60000

typedef struct braid_node_watch braid_node_watch_t;

braid_node_watch_t *braid_node_watch_new(braid_ctl_t *ctl);
/* Stops the timer (its handle closes on the loop) and frees. */
void braid_node_watch_free(braid_node_watch_t *w);

#endif
