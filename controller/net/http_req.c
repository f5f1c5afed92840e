#include "controller/net/http_req_impl.h"

#include <string.h>

#include "common/log.h"
#include "common/mem.h"

braid_http_req_t *braid__http_req_new(struct lws *wsi) {
  braid_http_req_t *r = braid_xcalloc(1, sizeof *r);
  char *uri = NULL;
  int uri_len = 0;
  r->wsi = wsi;
  switch (lws_http_get_uri_and_method(wsi, &uri, &uri_len)) {
  case LWSHUMETH_GET: r->method = BRAID_HTTP_GET; break;
  case LWSHUMETH_POST: r->method = BRAID_HTTP_POST; break;
  case LWSHUMETH_DELETE: r->method = BRAID_HTTP_DELETE; break;
  default: r->method = BRAID_HTTP_OTHER; break;
  }
  if (uri != NULL && uri_len > 0) {
    size_t n = (size_t)uri_len < sizeof r->path - 1 ? (size_t)uri_len : sizeof r->path - 1;
    memcpy(r->path, uri, n);
    r->path[n] = '\0';
  }
  /* lws joins the arguments with '&': split them into NUL-separated ones. */
  int qn = lws_hdr_copy(wsi, r->query, sizeof r->query, WSI_TOKEN_HTTP_URI_ARGS);
  r->query_len = qn > 0 ? (size_t)qn : 0;
  for (size_t i = 0; i < r->query_len; i++)
    if (r->query[i] == '&') r->query[i] = '\0';
  lws_get_peer_simple(wsi, r->remote, sizeof r->remote);
  braid_buf_init(&r->body, BRAID_HTTP_MAX_BODY + 1); /* + 1: the NUL */
  return r;
}

void braid__http_req_body(braid_http_req_t *r, const void *in, size_t len) {
  if (r->too_big) return;
  if (r->body.len + len > BRAID_HTTP_MAX_BODY || braid_buf_append(&r->body, in, len) != 0)
    r->too_big = true;
}

void braid__http_req_free(braid_http_req_t *r) {
  if (r == NULL) return;
  braid_buf_cleanup(&r->body);
  braid_free(r->resp);
  braid_free(r);
}

void braid__http_req_orphan(braid_http_req_t *r) {
  if (r->answered || !r->dispatched) braid__http_req_free(r);
  else r->wsi = NULL; /* the handler's respond() frees it */
}

int braid__http_req_write(braid_http_req_t *r) {
  struct lws *wsi = r->wsi;
  uint8_t hdr[LWS_PRE + 1024], *start = &hdr[LWS_PRE], *p = start, *end = &hdr[sizeof hdr - 1];
  int rc = 0;
  if (lws_add_http_common_headers(wsi, (unsigned int)r->status, r->content_type, r->resp_len, &p,
                                  end) ||
      lws_finalize_write_http_header(wsi, start, &p, end))
    rc = -1;
  else if (r->resp_len > 0 &&
           lws_write(wsi, r->resp + LWS_PRE, r->resp_len, LWS_WRITE_HTTP_FINAL) < 0)
    rc = -1;
  bool close_after = r->close_after;
  braid__http_req_free(r);
  if (rc != 0 || close_after) return -1;
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* ---- the public half --------------------------------------------------- */

braid_http_method_t braid_http_req_method(const braid_http_req_t *r) { return r->method; }

const char *braid_http_req_path(const braid_http_req_t *r) { return r->path; }

const char *braid_http_req_remote_address(const braid_http_req_t *r) { return r->remote; }

const char *braid_http_req_body(const braid_http_req_t *r, size_t *len) {
  *len = r->body.len;
  return r->body.len ? (const char *)r->body.data : ""; /* NUL-terminated at dispatch */
}

const char *braid_http_req_query(const braid_http_req_t *r, const char *name) {
  size_t n = strlen(name);
  for (size_t off = 0; off < r->query_len;) {
    const char *arg = r->query + off;
    size_t len = strlen(arg);
    if (len > n && strncmp(arg, name, n) == 0 && arg[n] == '=') return arg + n + 1;
    off += len + 1;
  }
  return NULL;
}

void braid_http_respond(braid_http_req_t *r, int status, const char *content_type, const char *body,
                        size_t len) {
  if (r->wsi == NULL) { /* the client has gone */
    braid__http_req_free(r);
    return;
  }
  r->answered = true;
  r->status = status;
  snprintf(r->content_type, sizeof r->content_type, "%s", content_type);
  r->resp = braid_xmalloc(LWS_PRE + len + 1);
  memcpy(r->resp + LWS_PRE, body, len);
  r->resp_len = len;
  lws_callback_on_writable(r->wsi);
}
