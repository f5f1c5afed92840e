/*
 * Pipes in Redis (issue 6): which producer is piped from which node to
 * which, and the pipe transport pairs that carry them.
 *
 *   P room:<id>:pipes           hash: "<producer>@<node>" -> pipe record
 *   P room:<id>:pipetransports  hash: "<node a>|<node b>" (a < b) -> pair
 *
 * A pipe record is {"producerId","node","router","from","fromRouter",
 * "state":"pending"|"ready","ctl","ts","kind"} ("kind" is "data" for a
 * data producer, whose id is in "producerId" too) and, once ready,
 * "transportId" (the pipe transport on node), "fromTransportId" and
 * "pipeConsumerId" (on from). A pair record is {"a","b","ta","tb",
 * "state","ctl","ts"} and, once ready, "portA","portB","ipA","ipB" and
 * "srtp". A claim is made by one controller at a time (the scripts are
 * atomic) and owned by a token of the operation that made it (its
 * controller's id and a random part); a pending claim older than
 * BRAID_PIPE_STALE_MS may be taken over (its controller died half way),
 * and the teardown drops one twice as old.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_PIPE_STORE_H
#define BRAID_CONTROLLER_CLUSTER_PIPE_STORE_H

#include <stdbool.h>

#include "controller/cluster/store.h"
#include "controller/ctl.h"

/* Longer than the longest a claim's maker may take (a handful of node
 * commands of --request-timeout each). */
#define BRAID_PIPE_STALE_MS 30000

/* json: {"state":"ready"|"wait"|"claimed",...} (pipe_store_scripts.h);
 * data: producer_id names a data producer. */
void braid_pipe_store_claim(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                            bool data, const char *node_id, const char *token, int fanout,
                            braid_store_json_cb cb, void *user_data);
/* a < b. json: {"state":"ready"|"wait"|"claimed","ta","tb","ra"?,"rb"?}. */
void braid_pipe_store_transport_claim(braid_ctl_t *ctl, const char *room_id, const char *a,
                                      const char *b, const char *new_ta, const char *new_tb,
                                      braid_store_json_cb cb, void *user_data);
/* Marks the pair a|b ready (if still the claim that made ta) with the
 * fields of extra (a JSON object text). */
void braid_pipe_store_transport_ready(braid_ctl_t *ctl, const char *room_id, const char *a,
                                      const char *b, const char *ta, const char *extra,
                                      braid_store_json_cb cb, void *user_data);
/* json: {"state":"ready","paused":bool}, {"state":"gone"} (the producer
 * closed) or {"state":"lost"} (another claim took this one over). */
void braid_pipe_store_ready(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                            bool data, const char *node_id, const char *token,
                            const char *transport_id,
                            const char *from_transport_id, const char *pipe_consumer_id,
                            braid_store_json_cb cb, void *user_data);
/* Drops a pending claim of a pipe made with token (json
 * {"removed":bool}; cb may be NULL), or of a transport pair a|b made with
 * transport ta (fire and forget). */
void braid_pipe_store_abort_pipe(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                                 const char *node_id, const char *token, braid_store_json_cb cb,
                                 void *user_data);
void braid_pipe_store_abort_pair(braid_ctl_t *ctl, const char *room_id, const char *a,
                                 const char *b, const char *ta);
/* json: the array of nodes the producer is piped to; with remove, their
 * records are dropped (the producer closed). */
void braid_pipe_store_nodes(braid_ctl_t *ctl, const char *room_id, const char *producer_id,
                            bool remove, braid_store_json_cb cb, void *user_data);

/* Drops the pipes and transport pairs nothing uses (ready for longer than
 * grace_ms); json says which (pipe_store_scripts.h, braid_lua_pipes_gc). */
void braid_pipe_store_gc(braid_ctl_t *ctl, const char *room_id, int grace_ms,
                         braid_store_json_cb cb, void *user_data);

#endif
