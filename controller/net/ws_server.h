/*
 * The controller's HTTP + WebSocket server: libwebsockets on the process's
 * libuv loop. One port serves the protoo WebSocket (subprotocol "protoo",
 * URL ?roomId=&peerId=[&dialect=]) and plain HTTP: /healthz, the
 * broadcaster API under /rooms (http_req.h) and the demo page's files.
 *
 * The server assembles fragmented messages up to BRAID_WS_MAX_MESSAGE and
 * hands whole text messages to on_message. It closes a connection itself,
 * with these codes, for input it cannot frame (documented in README):
 *   1003  a binary message (protoo is text only)
 *   1009  a message over BRAID_WS_MAX_MESSAGE bytes
 *   1007  a text message that is not UTF-8 (libwebsockets' own check)
 * Upgrade requests without the "protoo" subprotocol get HTTP 403, without
 * roomId or peerId (or with over-long ones) HTTP 400.
 */
#ifndef BRAID_CONTROLLER_NET_WS_SERVER_H
#define BRAID_CONTROLLER_NET_WS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "common/limits.h"
#include "controller/net/http_req.h"

typedef struct braid_ws_server braid_ws_server_t;

typedef struct braid_ws_conn {
  uint64_t id;                           /* unique in this process, never reused */
  char room_id[BRAID_ROOM_ID_MAX + 1];   /* from the URL */
  char peer_id[BRAID_PEER_ID_MAX + 1];   /* from the URL */
  char dialect[16];                      /* from the URL, "" when absent */
  char remote_address[64];
  void *data;                            /* owner's per-connection pointer */
} braid_ws_conn_t;

typedef struct braid_ws_callbacks {
  /* A WebSocket was accepted. Called once per connection. */
  void (*on_open)(braid_ws_conn_t *c, void *user_data);
  /* One whole text message; text is borrowed for the call and NUL-terminated. */
  void (*on_message)(braid_ws_conn_t *c, const char *text, size_t len, void *user_data);
  /* The connection is gone (either side closed it). Called once; c is
   * freed after it returns. */
  void (*on_close)(braid_ws_conn_t *c, void *user_data);
  /* GET /healthz: writes a JSON body into body (size bytes) and returns the
   * HTTP status. */
  int (*on_health)(char *body, size_t size, void *user_data);
  /* A request under /rooms (the broadcaster API), with its whole body: the
   * callee owns r until it calls braid_http_respond() (http_req.h). NULL:
   * every such request gets 503. */
  void (*on_http)(braid_http_req_t *r, void *user_data);
} braid_ws_callbacks_t;

/* Starts listening on host:port. GET /healthz goes to cbs->on_health;
 * other paths are files under www_dir (index.html for "/"), when www_dir
 * is not NULL. cbs and www_dir are borrowed and must outlive the server.
 * Returns 0 (server in *out) or BRAID_EIO when it cannot listen. */
int braid_ws_server_new(braid_ws_server_t **out, uv_loop_t *loop, const char *host, int port,
                        const char *www_dir, const braid_ws_callbacks_t *cbs, void *user_data);
/* Closes every connection (on_close runs for each) and the listener. The
 * loop must run afterwards for libwebsockets to release its handles; then
 * call braid_ws_server_free(). */
void braid_ws_server_close(braid_ws_server_t *s);
/* Finishes the teardown (closing first if that was not done) and frees the
 * server. Call after the loop has run past braid_ws_server_close(). */
void braid_ws_server_free(braid_ws_server_t *s);

/* Finds an open connection by id (NULL when it has closed). */
braid_ws_conn_t *braid_ws_server_find(braid_ws_server_t *s, uint64_t id);

/* Queues a text message. Returns 0, BRAID_ECLOSED (closing), or
 * BRAID_ELIMIT when the peer does not read fast enough (the connection is
 * then closed with 1008). */
int braid_ws_conn_send(braid_ws_conn_t *c, const char *text, size_t len);
/* Closes with a WebSocket close code and reason, after queued messages. */
void braid_ws_conn_close(braid_ws_conn_t *c, uint16_t code, const char *reason);

#endif
