/*
 * The node's presence in Redis (ARCHITECTURE.md §2, "Liveness and load"):
 * every BRAID_NODE_HEARTBEAT_MS it writes <prefix>node:<id> (a hash with a
 * BRAID_NODE_TTL_MS expiry) and its score in <prefix>nodes (sorted by load).
 * A node whose key expired is dead; braid_node_deregister() removes both at
 * once on a clean shutdown. The hash also advertises max_consumers
 * (--max-consumers, 0: no limit) and counts pipe_transports.
 *
 * With the node key, in the same MULTI, it rewrites <prefix>node:<id>:pipes
 * whole (DEL, HSET, PEXPIRE BRAID_NODE_TTL_MS): one field per pipe
 * transport, its id -> JSON {"transport", "router", "room", "remoteIp",
 * "remotePort", "srtp", "rtpRx", "rtpTx", "bytesRx", "bytesTx", "rxBps",
 * "txBps", "consumers", "producers"} (stats_json.h); no key when the node
 * has no pipe.
 *
 * A second timer ticks the routers' audio level observers every
 * BRAID_AUDIO_LEVEL_TICK_MS (rtc/router_speakers.h).
 */
#ifndef BRAID_MEDIAD_NODE_H
#define BRAID_MEDIAD_NODE_H

#include "mediad/mediad.h"

/* Creates the heartbeat timer; the first beat happens when Redis connects.
 * Returns the new object (caller frees with braid_node_free). */
braid_node_t *braid_node_new(braid_mediad_t *md);
/* Writes the node key now (called on every Redis (re)connection too). */
void braid_node_beat(braid_node_t *node);
/* Removes the node key, its set entry and its command stream; done_cb runs
 * when Redis has answered (or at once when Redis is down). */
void braid_node_deregister(braid_node_t *node, void (*done_cb)(void *ud), void *ud);
/* Stops the timer; memory is released once libuv has closed it. */
void braid_node_free(braid_node_t *node);

/* The load score published in <prefix>nodes (lower is better). */
double braid_node_load(const braid_mediad_t *md);

/* Packets the daemon dropped as bad or unknown (server and transports,
 * live and closed): the node hash's rx_dropped. */
uint64_t braid_node_rx_dropped(const braid_mediad_t *md);
/* The socket counters of every socket the daemon has had: the single-port
 * WebRTC server, the transports' own (WebRTC servers in range mode, plain
 * transports' sockets), live and closed. */
void braid_node_net_stats(const braid_mediad_t *md, braid_mediad_net_stats_t *out);

#endif
