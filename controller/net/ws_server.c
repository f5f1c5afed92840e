#include "controller/net/ws_server.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "controller/net/http_req_impl.h"

/* One queued outbound message, with LWS_PRE bytes of headroom for lws. */
typedef struct out_msg {
  struct out_msg *next;
  size_t len;
  unsigned char data[]; /* LWS_PRE + len */
} out_msg_t;

/* Internal connection state; the public part comes first so that a
 * braid_ws_conn_t pointer converts back. */
typedef struct conn {
  braid_ws_conn_t pub;
  braid_ws_server_t *server; /* borrowed */
  struct lws *wsi;           /* borrowed from lws; NULL once closed */
  braid_buf_t rx;            /* message being assembled */
  bool rx_binary;
  bool rx_overflow;
  out_msg_t *out_head, *out_tail; /* owned queue */
  size_t out_bytes;
  bool closing;
  uint16_t close_code;
  char close_reason[64];
} conn_t;

struct braid_ws_server {
  uv_loop_t *loop;
  struct lws_http_mount mount_health; /* /healthz -> our callback */
  struct lws_http_mount mount_api;    /* /rooms -> cbs->on_http */
  struct lws_http_mount mount_files;  /* everything else -> www_dir */
  struct lws_context *ctx;
  const braid_ws_callbacks_t *cbs;
  void *user_data;
  braid_map_t *conns; /* id (8 raw bytes) -> conn_t */
  uint64_t next_id;
  bool closing;
};

/* The WebSocket close opcode as lws_write() takes it. lws keeps it out of
 * its public enum ("handled by lws_close_reason()"), but 4.1 ignores that
 * reason when a WRITEABLE callback returns -1, so we send the frame. */
#define WRITE_CLOSE ((enum lws_write_protocol)4)

/* Per-session storage lws allocates for us: a WebSocket's connection. An
 * HTTP connection's request in flight hangs on the wsi itself (its opaque
 * user data), which survives lws rebinding the session per transaction. */
typedef struct session {
  conn_t *conn;
} session_t;

static const lws_retry_bo_t retry_policy = {
    .secs_since_valid_ping = 30,   /* ping an idle peer after 30 s */
    .secs_since_valid_hangup = 75, /* and give up on it after 75 s */
};

static void conn_free_queue(conn_t *c) {
  out_msg_t *m = c->out_head;
  while (m != NULL) {
    out_msg_t *next = m->next;
    braid_free(m);
    m = next;
  }
  c->out_head = c->out_tail = NULL;
  c->out_bytes = 0;
}

static void copy_urlarg(struct lws *wsi, const char *name, char *dst, size_t size, bool *too_long) {
  char tmp[512];
  dst[0] = '\0';
  if (lws_get_urlarg_by_name(wsi, name, tmp, (int)sizeof tmp) == NULL) return;
  const char *v = tmp + strlen(name);
  if (strlen(v) >= size) {
    *too_long = true;
    return;
  }
  memcpy(dst, v, strlen(v) + 1);
}

/* Checks an upgrade request before lws accepts it. Returns 0 to accept, or
 * sends an HTTP error and returns 1. */
static int confirm_upgrade(struct lws *wsi) {
  char proto[128] = "";
  char room[BRAID_ROOM_ID_MAX + 1], peer[BRAID_PEER_ID_MAX + 1];
  bool too_long = false;
  if (lws_hdr_copy(wsi, proto, sizeof proto, WSI_TOKEN_PROTOCOL) < 0 || strstr(proto, "protoo") == NULL) {
    lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, "invalid/missing Sec-WebSocket-Protocol");
    return 1;
  }
  copy_urlarg(wsi, "roomId=", room, sizeof room, &too_long);
  copy_urlarg(wsi, "peerId=", peer, sizeof peer, &too_long);
  if (too_long || room[0] == '\0' || peer[0] == '\0') {
    lws_return_http_status(wsi, HTTP_STATUS_BAD_REQUEST,
                           "Connection request without roomId and/or peerId");
    return 1;
  }
  return 0;
}

static conn_t *conn_open(braid_ws_server_t *s, struct lws *wsi) {
  conn_t *c = braid_xcalloc(1, sizeof *c);
  bool too_long = false;
  c->server = s;
  c->wsi = wsi;
  c->pub.id = ++s->next_id;
  braid_buf_init(&c->rx, BRAID_WS_MAX_MESSAGE);
  copy_urlarg(wsi, "roomId=", c->pub.room_id, sizeof c->pub.room_id, &too_long);
  copy_urlarg(wsi, "peerId=", c->pub.peer_id, sizeof c->pub.peer_id, &too_long);
  copy_urlarg(wsi, "dialect=", c->pub.dialect, sizeof c->pub.dialect, &too_long);
  lws_get_peer_simple(wsi, c->pub.remote_address, sizeof c->pub.remote_address);
  if (braid_map_put(s->conns, (const char *)&c->pub.id, sizeof c->pub.id, c) != 0)
    BRAID_ASSERT(!"out of memory");
  return c;
}

static void conn_closed(conn_t *c) {
  braid_ws_server_t *s = c->server;
  braid_map_del(s->conns, (const char *)&c->pub.id, sizeof c->pub.id);
  c->wsi = NULL;
  if (s->cbs->on_close) s->cbs->on_close(&c->pub, s->user_data);
  conn_free_queue(c);
  braid_buf_cleanup(&c->rx);
  braid_free(c);
}

/* Closes from inside an lws callback: set the reason, return -1. */
static int close_now(conn_t *c, uint16_t code, const char *reason) {
  lws_close_reason(c->wsi, (enum lws_close_status)code, (unsigned char *)reason, strlen(reason));
  return -1;
}

static int on_receive(conn_t *c, const void *in, size_t len) {
  braid_ws_server_t *s = c->server;
  if (lws_is_first_fragment(c->wsi)) {
    braid_buf_reset(&c->rx);
    c->rx_binary = lws_frame_is_binary(c->wsi);
  }
  if (c->rx_binary) return close_now(c, 1003, "binary messages are not supported");
  if (braid_buf_append(&c->rx, in, len) != 0)
    return close_now(c, 1009, "message too big");
  if (!lws_is_final_fragment(c->wsi) || lws_remaining_packet_payload(c->wsi) > 0) return 0;
  if (braid_buf_terminate(&c->rx) != 0) return close_now(c, 1009, "message too big");
  if (s->cbs->on_message) s->cbs->on_message(&c->pub, (const char *)c->rx.data, c->rx.len, s->user_data);
  braid_buf_reset(&c->rx);
  if (c->closing && c->out_head == NULL) return close_now(c, c->close_code, c->close_reason);
  return 0;
}

static int on_writeable(conn_t *c) {
  out_msg_t *m = c->out_head;
  if (m != NULL) {
    c->out_head = m->next;
    if (c->out_head == NULL) c->out_tail = NULL;
    c->out_bytes -= m->len;
    int n = lws_write(c->wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
    braid_free(m);
    if (n < 0) return -1;
    if (c->out_head != NULL || c->closing) lws_callback_on_writable(c->wsi);
    return 0;
  }
  if (c->closing) {
    /* Send the close frame ourselves (see WRITE_CLOSE), then drop the
     * socket without waiting for the peer's answer. */
    unsigned char frame[LWS_PRE + 2 + sizeof c->close_reason];
    size_t rlen = strlen(c->close_reason);
    frame[LWS_PRE] = (unsigned char)(c->close_code >> 8);
    frame[LWS_PRE + 1] = (unsigned char)(c->close_code & 0xff);
    memcpy(frame + LWS_PRE + 2, c->close_reason, rlen);
    lws_write(c->wsi, frame + LWS_PRE, 2 + rlen, WRITE_CLOSE);
    return -1;
  }
  return 0;
}

static int send_health(braid_ws_server_t *s, struct lws *wsi) {
  char body[512] = "{}";
  int status = s->cbs->on_health ? s->cbs->on_health(body, sizeof body, s->user_data) : 200;
  size_t blen = strlen(body);
  uint8_t buf[LWS_PRE + 1024], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof buf - 1];
  if (lws_add_http_common_headers(wsi, (unsigned int)status, "application/json", blen, &p, end) ||
      lws_finalize_write_http_header(wsi, start, &p, end))
    return 1;
  memcpy(start, body, blen);
  if (lws_write(wsi, start, blen, LWS_WRITE_HTTP_FINAL) < 0) return 1;
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* Hands a complete API request to its owner (or answers it ourselves). */
static void dispatch_api(braid_ws_server_t *s, braid_http_req_t *r) {
  if (r->dispatched) return; /* a POST without a body: lws still says the body ended */
  r->dispatched = true;
  if (braid_buf_terminate(&r->body) != 0) r->too_big = true; /* http_req.h: bodies end in NUL */
  static const char too_big[] = "{\"error\":\"request body too large\"}";
  static const char no_api[] = "{\"error\":\"no HTTP API here\"}";
  if (r->too_big) braid_http_respond(r, 413, "application/json", too_big, sizeof too_big - 1);
  else if (s->cbs->on_http == NULL || s->closing)
    braid_http_respond(r, 503, "application/json", no_api, sizeof no_api - 1);
  else
    s->cbs->on_http(r, s->user_data);
}

/* The request in flight on wsi, or NULL. */
static braid_http_req_t *req_of(struct lws *wsi) { return lws_get_opaque_user_data(wsi); }

/* Answers at once and closes the connection (the unread body, if any,
 * must not be taken for the next request). */
static void refuse(braid_http_req_t *r, int status, const char *json) {
  r->dispatched = true;
  r->close_after = true;
  braid_http_respond(r, status, "application/json", json, strlen(json));
}

/* LWS_CALLBACK_HTTP under /rooms: a POST with a body waits for it, the
 * rest goes at once. One request at a time per connection: a pipelined
 * one closes the connection (the one in flight is then orphaned). */
static int on_api_request(braid_ws_server_t *s, struct lws *wsi) {
  if (req_of(wsi) != NULL) return -1;
  braid_http_req_t *r = braid__http_req_new(wsi);
  lws_set_opaque_user_data(wsi, r);
  char clen[24] = "";
  if (lws_hdr_copy(wsi, clen, sizeof clen, WSI_TOKEN_HTTP_CONTENT_LENGTH) < 0) clen[0] = '\0';
  unsigned long long n = strtoull(clen, NULL, 10);
  if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0)
    refuse(r, 411, "{\"error\":\"a Content-Length is required (no chunked bodies)\"}");
  else if (n > BRAID_HTTP_MAX_BODY)
    refuse(r, 413, "{\"error\":\"request body too large\"}");
  else if (n == 0)
    dispatch_api(s, r);
  return 0;
}

/* The connection closed or is being destroyed: whoever owns the request
 * frees it (http_req_impl.h). */
static void drop_req(struct lws *wsi) {
  braid_http_req_t *r = req_of(wsi);
  if (r == NULL) return;
  lws_set_opaque_user_data(wsi, NULL);
  braid__http_req_orphan(r);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len) {
  struct lws_context *ctx = lws_get_context(wsi);
  braid_ws_server_t *s = ctx ? lws_context_user(ctx) : NULL;
  session_t *sess = user;

  switch (reason) {
  case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
    if (in != NULL && strcmp(in, "websocket") == 0) return confirm_upgrade(wsi);
    return 0;
  case LWS_CALLBACK_HTTP: {
    char *uri = NULL;
    int uri_len = 0;
    if (lws_http_get_uri_and_method(wsi, &uri, &uri_len) >= 0 && uri_len >= 6 &&
        strncmp(uri, "/rooms", 6) == 0)
      return on_api_request(s, wsi);
    /* The /healthz mount hands us the path after its mount point. */
    if (in != NULL && (strcmp(in, "/healthz") == 0 || strcmp(in, "") == 0 || strcmp(in, "/") == 0))
      return send_health(s, wsi);
    lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, "not found");
    return lws_http_transaction_completed(wsi) ? -1 : 0;
  }
  case LWS_CALLBACK_HTTP_BODY:
    if (req_of(wsi)) braid__http_req_body(req_of(wsi), in, len);
    return 0;
  case LWS_CALLBACK_HTTP_BODY_COMPLETION:
    if (req_of(wsi)) dispatch_api(s, req_of(wsi));
    return 0;
  case LWS_CALLBACK_HTTP_WRITEABLE:
    if (req_of(wsi) && req_of(wsi)->answered) {
      braid_http_req_t *r = req_of(wsi);
      lws_set_opaque_user_data(wsi, NULL);
      return braid__http_req_write(r);
    }
    return 0;
  case LWS_CALLBACK_CLOSED_HTTP:
  case LWS_CALLBACK_WSI_DESTROY:
    drop_req(wsi);
    if (reason == LWS_CALLBACK_WSI_DESTROY) break;
    return 0;
  case LWS_CALLBACK_ESTABLISHED:
    sess->conn = conn_open(s, wsi);
    if (s->cbs->on_open) s->cbs->on_open(&sess->conn->pub, s->user_data);
    return 0;
  case LWS_CALLBACK_RECEIVE:
    return sess && sess->conn ? on_receive(sess->conn, in, len) : -1;
  case LWS_CALLBACK_SERVER_WRITEABLE:
    return sess && sess->conn ? on_writeable(sess->conn) : 0;
  case LWS_CALLBACK_CLOSED:
    if (sess && sess->conn) {
      conn_t *c = sess->conn;
      sess->conn = NULL;
      conn_closed(c);
    }
    return 0;
  default:
    break;
  }
  return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    {"http", callback, sizeof(session_t), 0, 0, NULL, 0},
    {"protoo", callback, sizeof(session_t), 65536, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void lws_log(int level, const char *line) {
  size_t n = strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
  if (level & LLL_ERR) BRAID_LOGE("ws", "lws: %.*s", (int)n, line);
  else BRAID_LOGW("ws", "lws: %.*s", (int)n, line);
}

int braid_ws_server_new(braid_ws_server_t **out, uv_loop_t *loop, const char *host, int port,
                        const char *www_dir, const braid_ws_callbacks_t *cbs, void *user_data) {
  braid_ws_server_t *s = braid_xcalloc(1, sizeof *s);
  struct lws_context_creation_info info;
  void *foreign_loops[1] = {loop};

  s->loop = loop;
  s->cbs = cbs;
  s->user_data = user_data;
  s->conns = braid_map_new();
  BRAID_ASSERT(s->conns != NULL);
  lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
  memset(&info, 0, sizeof info);
  info.port = port;
  info.iface = host;
  info.protocols = protocols;
  info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_VALIDATE_UTF8 |
                 LWS_SERVER_OPTION_DISABLE_IPV6;
  info.foreign_loops = foreign_loops;
  info.user = s;
  info.pcontext = &s->ctx;
  s->mount_health.mountpoint = "/healthz";
  s->mount_health.mountpoint_len = 8;
  s->mount_health.origin = "http";
  s->mount_health.origin_protocol = LWSMPRO_CALLBACK;
  if (www_dir != NULL) {
    s->mount_files.mountpoint = "/";
    s->mount_files.mountpoint_len = 1;
    s->mount_files.origin = www_dir;
    s->mount_files.def = "index.html";
    s->mount_files.origin_protocol = LWSMPRO_FILE;
    s->mount_api.mount_next = &s->mount_files;
  }
  s->mount_api.mountpoint = "/rooms";
  s->mount_api.mountpoint_len = 6;
  s->mount_api.origin = "http";
  s->mount_api.origin_protocol = LWSMPRO_CALLBACK;
  s->mount_health.mount_next = &s->mount_api;
  info.mounts = &s->mount_health;
  info.retry_and_idle_policy = &retry_policy;
  info.max_http_header_data = BRAID_HTTP_MAX_URI + 2048;
  s->ctx = lws_create_context(&info);
  if (s->ctx == NULL) {
    braid_map_free(s->conns);
    braid_free(s);
    return BRAID_EIO;
  }
  *out = s;
  return 0;
}

void braid_ws_server_close(braid_ws_server_t *s) {
  if (s == NULL || s->closing) return;
  s->closing = true;
  lws_context_destroy(s->ctx); /* runs LWS_CALLBACK_CLOSED for every connection */
}

void braid_ws_server_free(braid_ws_server_t *s) {
  if (s == NULL) return;
  braid_ws_server_close(s);
  /* With a foreign loop the first destroy only starts the teardown; lws
   * clears s->ctx (info.pcontext) once it is complete. */
  if (s->ctx != NULL) lws_context_destroy(s->ctx);
  braid_map_free(s->conns);
  braid_free(s);
}

braid_ws_conn_t *braid_ws_server_find(braid_ws_server_t *s, uint64_t id) {
  conn_t *c = braid_map_get(s->conns, (const char *)&id, sizeof id);
  return c ? &c->pub : NULL;
}

int braid_ws_conn_send(braid_ws_conn_t *pc, const char *text, size_t len) {
  conn_t *c = (conn_t *)pc;
  if (c->closing || c->wsi == NULL) return BRAID_ECLOSED;
  if (c->out_bytes + len > BRAID_WS_MAX_PENDING_OUT) {
    BRAID_LOGW("ws", "conn %llu: peer does not read; closing", (unsigned long long)pc->id);
    braid_ws_conn_close(pc, 1008, "send queue overflow");
    return BRAID_ELIMIT;
  }
  out_msg_t *m = braid_xmalloc(sizeof *m + LWS_PRE + len);
  m->next = NULL;
  m->len = len;
  memcpy(m->data + LWS_PRE, text, len);
  if (c->out_tail) c->out_tail->next = m;
  else c->out_head = m;
  c->out_tail = m;
  c->out_bytes += len;
  lws_callback_on_writable(c->wsi);
  return 0;
}

void braid_ws_conn_close(braid_ws_conn_t *pc, uint16_t code, const char *reason) {
  conn_t *c = (conn_t *)pc;
  if (c->closing || c->wsi == NULL) return;
  c->closing = true;
  c->close_code = code;
  snprintf(c->close_reason, sizeof c->close_reason, "%s", reason);
  lws_callback_on_writable(c->wsi);
}
