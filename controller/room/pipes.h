/*
 * Producers piped between media nodes (issue 6; mediasoup-protocol.md §6).
 *
 * A peer's transports live on the node it was placed on (store.h). When it
 * consumes a producer of another node, the producer is piped there first,
 * once per node however many controllers race for it (pipe_store.h's
 * claims), and keeps its id, so the consumer is created on the peer's node
 * from the same stored record:
 *
 *   1. claim "<producer>@<node>"; the claim names the source: the origin,
 *      or a node the producer was piped to already when the origin has
 *      --pipe-fanout pipes of it (a tree: origin -> relays -> edges);
 *   2. the room's pipe transport pair between source and target, once per
 *      node pair: transport.create_plain (pipe, rtcp-mux, SCTP, SRTP
 *      AEAD_AES_256_GCM unless --no-pipe-srtp) on both, then
 *      transport.connect_plain on both with the other's address, port and
 *      key;
 *   3. consumer.create (type pipe) on the source, producer.create (same
 *      id) on the target;
 *   4. mark it ready, and make the piped producer's pause match the
 *      producer's (it may have changed meanwhile); if the producer closed
 *      meanwhile, undo.
 * A controller that finds the claim taken waits for it (polls the claim).
 *
 * Pause, resume and close of a producer reach its piped copies through
 * braid_pipes_producer_paused() and braid_pipes_producer_closed(), which
 * the producer's owner calls with its own node's command.
 */
#ifndef BRAID_CONTROLLER_ROOM_PIPES_H
#define BRAID_CONTROLLER_ROOM_PIPES_H

#include <stdbool.h>

#include "controller/ctl.h"

/* err 0: the producer is on node_id (its own node, or piped). Otherwise a
 * cluster code with a message. */
typedef void (*braid_pipe_cb)(int err, const char *reason, void *user_data);

void braid_pipe_ensure(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                       const char *node_id, braid_pipe_cb cb, void *user_data);
/* The same for a data producer: step 3 is data_consumer.create on the
 * source (SCTP over the pipe) and data_producer.create, same id, on the
 * target with the stream the data consumer got. */
void braid_pipe_ensure_data(braid_ctl_t *ctl, const char *room_id, const char *data_producer_id,
                            const char *node_id, braid_pipe_cb cb, void *user_data);

/* The producer was paused or resumed on its node: the same on every node
 * it is piped to. */
void braid_pipes_producer_paused(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                 bool paused);
/* The producer closed: drops its pipe records and closes its piped copies
 * (each node closes their consumers; the owner's producer.closed event
 * tells the consumers' peers). */
void braid_pipes_producer_closed(braid_ctl_t *ctl, const char *room_id, const char *producer_id);
void braid_pipes_data_producer_closed(braid_ctl_t *ctl, const char *room_id,
                                      const char *data_producer_id);

/* Tears down, in each room this controller holds peers of, the pipes that
 * no consumer uses any more and the pipe transports no pipe uses, once
 * they have been ready for BRAID_PIPE_GRACE_MS (a consumer may be on its
 * way to a pipe that just became ready). Run every heartbeat. */
#define BRAID_PIPE_GRACE_MS 10000
void braid_pipes_gc(braid_ctl_t *ctl);

#endif
