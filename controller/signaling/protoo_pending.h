/*
 * Our protoo requests to one client (server -> client, e.g. newConsumer;
 * mediasoup-protocol.md §1.2, §2.3) while they wait for the answer: the
 * request ids, matching responses to them, and a deadline each.
 *
 * The table does not send anything: braid_protoo_pending_add() hands out
 * the id to put in the request, and the caller sends it. At most
 * BRAID_PROTOO_MAX_PENDING requests wait at once (common/limits.h).
 *
 * Not thread-safe; everything happens on the loop thread.
 */
#ifndef BRAID_CONTROLLER_SIGNALING_PROTOO_PENDING_H
#define BRAID_CONTROLLER_SIGNALING_PROTOO_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "controller/signaling/protoo.h"

/* How long a client has to answer one of our requests. protoo-server
 * gives 2000 * (15 + 0.1 * in flight) ms; newConsumer makes the browser
 * renegotiate, which takes a while on a busy page. */
#define BRAID_PROTOO_REQUEST_TIMEOUT_MS 20000

typedef struct braid_protoo_pending braid_protoo_pending_t;

/*
 * The end of one request, called exactly once:
 *   err 0: res is the client's response (borrowed for the call): res->ok,
 *          res->data, or res->error_code and res->error_reason;
 *   BRAID_ETIMEDOUT: no response before the deadline (res NULL);
 *   BRAID_ELIMIT: too many requests were waiting; nothing may be sent;
 *   BRAID_ECLOSED: the table is being freed (the socket closed). The
 *          callback must then only release its user_data: it runs inside
 *          braid_protoo_pending_free().
 * The callback may add requests and feed responses to the same table, but
 * must not free it.
 */
typedef void (*braid_protoo_pending_cb)(int err, const braid_protoo_msg_t *res, void *user_data);

/* A new, empty table whose deadlines run on loop; timeout_ms per request.
 * Never NULL (memory is allocated with braid_xmalloc). */
braid_protoo_pending_t *braid_protoo_pending_new(uv_loop_t *loop, uint64_t timeout_ms);

/* Ends every waiting request with BRAID_ECLOSED, then frees the table.
 * Timer handles close on the loop afterwards. NULL is a no-op. */
void braid_protoo_pending_free(braid_protoo_pending_t *t);

/* Registers a request and returns its id (>= 1), to send as the request's
 * "id". When BRAID_PROTOO_MAX_PENDING requests are waiting, returns 0: send
 * nothing, cb gets BRAID_ELIMIT on a later loop turn. cb is never called
 * from inside this function. */
long long braid_protoo_pending_add(braid_protoo_pending_t *t, braid_protoo_pending_cb cb,
                                   void *user_data);

/* Feeds a response message from the client: calls the callback of the
 * request it answers. Returns 0, or BRAID_ENOTFOUND when no waiting request
 * has that id (an answer after the deadline, or a client bug). */
int braid_protoo_pending_on_response(braid_protoo_pending_t *t, const braid_protoo_msg_t *res);

/* Requests waiting for their answer. */
size_t braid_protoo_pending_count(const braid_protoo_pending_t *t);

#endif
