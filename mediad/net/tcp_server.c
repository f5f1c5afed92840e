#include "mediad/net/tcp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/wire/tcp_framing.h"

/* Largest frame we accept: a DTLS datagram (a full ClientHello fits). */
#define MAX_FRAME 16384

struct braid_tcp_conn {
  braid_tcp_server_t *server; /* borrowed */
  uv_tcp_t handle;
  uint64_t id;
  struct sockaddr_storage peer;
  socklen_t peer_len;
  braid_tcp_framing_reader_t reader;
  uint8_t rx[BRAID_TCP_FRAMING_HDR_LEN + MAX_FRAME];
  uv_write_t write_req;
  size_t out_len;      /* bytes waiting in out */
  size_t out_inflight; /* the first bytes of out being written by write_req */
  bool closing;
  uint8_t out[BRAID_TCP_SEND_BUFFER];
};

struct braid_tcp_server {
  uv_loop_t *loop;
  uv_tcp_t listener;
  int port;
  const braid_tcp_callbacks_t *cbs;
  void *user_data;
  braid_map_t *conns; /* id -> conn */
  uint64_t next_id;
  bool closing;
  braid_tcp_stats_t stats;
};

static void on_conn_closed(uv_handle_t *h) { braid_free(h->data); }

void braid_tcp_conn_close(braid_tcp_conn_t *c) {
  if (c->closing) return;
  c->closing = true;
  braid_tcp_server_t *s = c->server;
  braid_map_del(s->conns, (const char *)&c->id, sizeof c->id);
  s->stats.closed++;
  if (s->cbs->on_close) s->cbs->on_close(s, c, s->user_data);
  uv_close((uv_handle_t *)&c->handle, on_conn_closed);
}

static void start_write(braid_tcp_conn_t *c);

static void on_written(uv_write_t *req, int status) {
  braid_tcp_conn_t *c = req->data;
  if (status < 0 || c->closing) {
    if (!c->closing) braid_tcp_conn_close(c);
    return;
  }
  memmove(c->out, c->out + c->out_inflight, c->out_len - c->out_inflight);
  c->out_len -= c->out_inflight;
  c->out_inflight = 0;
  if (c->out_len > 0) start_write(c);
}

static void start_write(braid_tcp_conn_t *c) {
  uv_buf_t b = uv_buf_init((char *)c->out, (unsigned)c->out_len);
  c->out_inflight = c->out_len;
  c->write_req.data = c;
  if (uv_write(&c->write_req, (uv_stream_t *)&c->handle, &b, 1, on_written) != 0) {
    c->out_inflight = 0;
    braid_tcp_conn_close(c);
  }
}

int braid_tcp_conn_send(braid_tcp_conn_t *c, const uint8_t *data, size_t len) {
  uint8_t hdr[BRAID_TCP_FRAMING_HDR_LEN];
  if (c->closing) return BRAID_ECLOSED;
  if (braid_tcp_framing_encode_header(hdr, len) != 0) return BRAID_ETOOBIG;
  size_t total = sizeof hdr + len, sent = 0;
  if (c->out_len == 0) {
    /* Nothing queued: try the kernel directly, no copy in the common case. */
    uv_buf_t bufs[2] = {uv_buf_init((char *)hdr, sizeof hdr), uv_buf_init((char *)data, (unsigned)len)};
    int n = uv_try_write((uv_stream_t *)&c->handle, bufs, 2);
    if (n > 0) sent = (size_t)n;
    else if (n != UV_EAGAIN) {
      braid_tcp_conn_close(c);
      return BRAID_ECLOSED;
    }
    if (sent == total) {
      c->server->stats.tx_frames++;
      return 0;
    }
  }
  if (BRAID_TCP_SEND_BUFFER - c->out_len < total - sent) {
    /* A frame half on the wire must be completed or the stream is broken. */
    if (sent > 0) {
      braid_tcp_conn_close(c);
      return BRAID_ECLOSED;
    }
    c->server->stats.tx_dropped++;
    return BRAID_ELIMIT;
  }
  for (size_t i = sent; i < total; i++)
    c->out[c->out_len++] = i < sizeof hdr ? hdr[i] : data[i - sizeof hdr];
  c->server->stats.tx_frames++;
  if (c->out_inflight == 0) start_write(c);
  return 0;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  braid_tcp_conn_t *c = h->data;
  uint8_t *p;
  size_t n = braid_tcp_framing_reader_space(&c->reader, &p);
  (void)suggested;
  *buf = uv_buf_init((char *)p, (unsigned)n);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  braid_tcp_conn_t *c = stream->data;
  braid_tcp_server_t *s = c->server;
  (void)buf;
  if (nread < 0) {
    braid_tcp_conn_close(c);
    return;
  }
  braid_tcp_framing_reader_commit(&c->reader, (size_t)nread);
  const uint8_t *frame;
  size_t flen;
  int rc;
  while (!c->closing && (rc = braid_tcp_framing_reader_next(&c->reader, &frame, &flen)) == 0) {
    s->stats.rx_frames++;
    s->cbs->on_frame(s, c, (uint8_t *)frame, flen, s->user_data);
  }
  if (!c->closing && rc != BRAID_EAGAIN_MORE) {
    s->stats.rx_bad_framing++;
    braid_tcp_conn_close(c);
  }
}

static void on_connection(uv_stream_t *listener, int status) {
  braid_tcp_server_t *s = listener->data;
  if (status < 0) return;
  braid_tcp_conn_t *c = braid_xcalloc(1, sizeof *c);
  c->server = s;
  uv_tcp_init(s->loop, &c->handle);
  c->handle.data = c;
  if (uv_accept(listener, (uv_stream_t *)&c->handle) != 0 ||
      braid_map_size(s->conns) >= BRAID_TCP_MAX_CONNS) {
    s->stats.refused++;
    uv_close((uv_handle_t *)&c->handle, on_conn_closed);
    return;
  }
  int namelen = sizeof c->peer;
  uv_tcp_getpeername(&c->handle, (struct sockaddr *)&c->peer, &namelen);
  c->peer_len = (socklen_t)namelen;
  uv_tcp_nodelay(&c->handle, 1);
  c->id = ++s->next_id;
  braid_tcp_framing_reader_init(&c->reader, c->rx, sizeof c->rx, MAX_FRAME);
  BRAID_ASSERT(braid_map_put(s->conns, (const char *)&c->id, sizeof c->id, c) == 0);
  s->stats.accepted++;
  uv_read_start((uv_stream_t *)&c->handle, on_alloc, on_read);
}

int braid_tcp_server_new(braid_tcp_server_t **out, uv_loop_t *loop, const char *ip, int port,
                         const braid_tcp_callbacks_t *cbs, void *user_data) {
  struct sockaddr_storage ss;
  if (port < 0 || port > 65535) return BRAID_EINVAL;
  if (uv_ip4_addr(ip, port, (struct sockaddr_in *)&ss) != 0 &&
      uv_ip6_addr(ip, port, (struct sockaddr_in6 *)&ss) != 0)
    return BRAID_EINVAL;
  braid_tcp_server_t *s = braid_xcalloc(1, sizeof *s);
  s->loop = loop;
  s->cbs = cbs;
  s->user_data = user_data;
  s->conns = braid_map_new();
  BRAID_ASSERT(s->conns != NULL);
  uv_tcp_init(loop, &s->listener);
  s->listener.data = s;
  int rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&ss, 0);
  if (rc == 0) rc = uv_listen((uv_stream_t *)&s->listener, 256, on_connection);
  if (rc != 0) {
    s->closing = true;
    braid_map_free(s->conns);
    s->conns = NULL;
    uv_close((uv_handle_t *)&s->listener, on_conn_closed); /* frees s */
    s->listener.data = s;
    return BRAID_ERR(-rc);
  }
  int namelen = sizeof ss;
  uv_tcp_getsockname(&s->listener, (struct sockaddr *)&ss, &namelen);
  s->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                          : ((struct sockaddr_in6 *)&ss)->sin6_port);
  *out = s;
  return 0;
}

static void on_listener_closed(uv_handle_t *h) {
  braid_tcp_server_t *s = h->data;
  braid_map_free(s->conns);
  braid_free(s);
}

void braid_tcp_server_close(braid_tcp_server_t *s) {
  if (s == NULL || s->closing) return;
  s->closing = true;
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, s->conns);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) braid_tcp_conn_close(v);
  uv_close((uv_handle_t *)&s->listener, on_listener_closed);
}

int braid_tcp_server_port(const braid_tcp_server_t *s) { return s->port; }
const braid_tcp_stats_t *braid_tcp_server_stats(const braid_tcp_server_t *s) { return &s->stats; }

braid_tcp_conn_t *braid_tcp_server_find(braid_tcp_server_t *s, uint64_t id) {
  return braid_map_get(s->conns, (const char *)&id, sizeof id);
}

uint64_t braid_tcp_conn_id(const braid_tcp_conn_t *c) { return c->id; }

const struct sockaddr *braid_tcp_conn_peer(const braid_tcp_conn_t *c, socklen_t *len) {
  *len = c->peer_len;
  return (const struct sockaddr *)&c->peer;
}
