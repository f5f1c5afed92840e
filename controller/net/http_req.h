/*
 * One HTTP API request of the controller's server (ws_server.h routes
 * /rooms/... here): what arrived (method, path, query, body) and the one
 * answer it must get.
 *
 * Ownership: the server creates the request and hands it to on_http; from
 * then on the handler owns it until it calls braid_http_respond() exactly
 * once, which queues the answer and gives the request back to the server.
 * Handlers may answer later, after Redis or a media node replied: when the
 * client has gone meanwhile, respond() only frees the request.
 *
 * Bodies are limited to BRAID_HTTP_MAX_BODY bytes (413 otherwise, before
 * on_http); the path is percent-decoded by libwebsockets.
 */
#ifndef BRAID_CONTROLLER_NET_HTTP_REQ_H
#define BRAID_CONTROLLER_NET_HTTP_REQ_H

#include <stddef.h>

#define BRAID_HTTP_MAX_BODY (256 * 1024)

typedef enum braid_http_method {
  BRAID_HTTP_GET,
  BRAID_HTTP_POST,
  BRAID_HTTP_DELETE,
  BRAID_HTTP_OTHER,
} braid_http_method_t;

typedef struct braid_http_req braid_http_req_t;

braid_http_method_t braid_http_req_method(const braid_http_req_t *r);
/* The path without the query string, NUL-terminated. */
const char *braid_http_req_path(const braid_http_req_t *r);
/* The value of query argument name (already decoded), or NULL. */
const char *braid_http_req_query(const braid_http_req_t *r, const char *name);
/* The body (NUL-terminated; *len its length, 0 when there was none). */
const char *braid_http_req_body(const braid_http_req_t *r, size_t *len);
/* The client's address, as text. */
const char *braid_http_req_remote_address(const braid_http_req_t *r);

/* Answers with status and body (copied; content_type e.g.
 * "application/json"), and releases r. */
void braid_http_respond(braid_http_req_t *r, int status, const char *content_type, const char *body,
                        size_t len);

#endif
