/*
 * What a controller does when a media node dies (cluster/node_watch.h
 * notices; ARCHITECTURE.md §6). Every controller does it for itself:
 *
 *   - its own peers: consumers and data consumers on the dead node are
 *     closed for the client (consumerClosed, dataConsumerClosed), its
 *     transports there are forgotten and the client is told with the
 *     notification transportClosed {transportId} (not one of the demo's),
 *     its producers there are forgotten; then a peer that lost a transport
 *     has its socket closed with BRAID_CLOSE_MEDIA_LOST: protoo-client
 *     reconnects on any code but 4000, and mediasoup-demo apps (and ours)
 *     join again from scratch, placed on a live node;
 *   - each room it holds peers of: one script (idempotent: the first
 *     controller to run it does the work) removes every record that names
 *     the node (router, placements, transports, producers, consumers, data
 *     producers and consumers, pipes to and from it, pipe transport pairs),
 *     and returns what others must hear: the producers and data producers
 *     that died (announced closed, which closes their piped copies), the
 *     live halves of its pipe transport pairs (closed), and the pipes the
 *     node relayed (their copies downstream are closed and their consumers
 *     announced closed with reason "relay lost"; their peers consume the
 *     producer again, piped from a live node).
 */
#ifndef BRAID_CONTROLLER_ROOM_NODE_LOSS_H
#define BRAID_CONTROLLER_ROOM_NODE_LOSS_H

#include "controller/ctl.h"

/* WebSocket close code of a peer whose media node died (4000 would tell
 * protoo-client not to reconnect). */
#define BRAID_CLOSE_MEDIA_LOST 4500

void braid_node_loss(braid_ctl_t *ctl, const char *node_id);

#endif
