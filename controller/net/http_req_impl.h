/*
 * Internal to controller/net/: the request object behind http_req.h, as
 * the server (ws_server.c) drives it from libwebsockets' callbacks.
 */
#ifndef BRAID_CONTROLLER_NET_HTTP_REQ_IMPL_H
#define BRAID_CONTROLLER_NET_HTTP_REQ_IMPL_H

#include <stdbool.h>

#include <libwebsockets.h>

#include "common/buf.h"
#include "common/limits.h"
#include "controller/net/http_req.h"

struct braid_http_req {
  struct lws *wsi; /* borrowed; NULL once the connection has closed */
  braid_http_method_t method;
  char path[BRAID_HTTP_MAX_URI + 1];
  char query[BRAID_HTTP_MAX_URI + 1]; /* "a=1\0b=2", decoded by lws */
  size_t query_len;
  char remote[64];
  braid_buf_t body;
  bool too_big;    /* the body went over BRAID_HTTP_MAX_BODY */
  bool dispatched;  /* handed to on_http (lws may still report a body's end) */
  bool close_after; /* close the connection once answered */
  bool answered; /* braid_http_respond() ran: the answer waits for WRITEABLE */
  int status;
  char content_type[64];
  unsigned char *resp; /* LWS_PRE + resp_len bytes, owned */
  size_t resp_len;
};

/* A request from the headers of wsi (LWS_CALLBACK_HTTP). */
braid_http_req_t *braid__http_req_new(struct lws *wsi);
/* LWS_CALLBACK_HTTP_BODY: appends, or marks the request too big. */
void braid__http_req_body(braid_http_req_t *r, const void *in, size_t len);
/* LWS_CALLBACK_HTTP_WRITEABLE: writes the answer. Returns what the lws
 * callback must return. Frees r. */
int braid__http_req_write(braid_http_req_t *r);
/* The connection closed: frees r when nobody else owns it (answered, or
 * never handed to on_http), or leaves it to the handler that does. */
void braid__http_req_orphan(braid_http_req_t *r);
void braid__http_req_free(braid_http_req_t *r);

#endif
