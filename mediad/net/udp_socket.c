#include "mediad/net/udp_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/mem.h"

/* Datagrams per recvmmsg() call, and per loop wake-up. */
#define RX_BATCH 32
#define RX_BUDGET 256
/* Each transmit slot keeps room past the datagram for an SRTP trailer
 * (libsrtp's SRTP_MAX_TRAILER_LEN is 16 + 128 worst case with MKI). */
#define TX_SLOT (BRAID_UDP_MAX_DATAGRAM + 160)
/* Kernel buffers: a burst of video to many consumers must not overflow. */
#define SOCK_BUF_BYTES (4 * 1024 * 1024)

struct braid_udp_socket {
  uv_loop_t *loop; /* borrowed */
  int fd;
  int port;
  uv_poll_t poll;
  uv_check_t check; /* flushes the transmit ring once per loop iteration */
  int handles_open;
  const braid_udp_callbacks_t *cbs; /* borrowed */
  void *user_data;
  bool closing;
  braid_udp_stats_t stats;

  /* Receive batch. */
  struct mmsghdr rx_msgs[RX_BATCH];
  struct iovec rx_iov[RX_BATCH];
  struct sockaddr_storage rx_addr[RX_BATCH];
  uint8_t rx_buf[RX_BATCH][BRAID_UDP_MAX_DATAGRAM];

  /* Transmit ring of tx_ring slots (owned arrays, sized at creation):
   * tx_count committed slots, in order from 0. */
  size_t tx_ring;
  size_t tx_count;
  struct mmsghdr *tx_msgs;
  struct iovec *tx_iov;
  struct sockaddr_storage *tx_addr;
  uint8_t (*tx_buf)[TX_SLOT];
};

static void on_readable(uv_poll_t *h, int status, int events);
static void on_check(uv_check_t *h);

static int parse_addr(const char *ip, int port, struct sockaddr_storage *ss, socklen_t *len) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *len = sizeof *a4;
    return 0;
  }
  if (inet_pton(AF_INET6, ip, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    *len = sizeof *a6;
    return 0;
  }
  return BRAID_EINVAL;
}

int braid_udp_socket_new(braid_udp_socket_t **out, uv_loop_t *loop, const char *ip, int port,
                         const braid_udp_callbacks_t *cbs, void *user_data) {
  return braid_udp_socket_new_sized(out, loop, ip, port, BRAID_UDP_TX_RING, cbs, user_data);
}

int braid_udp_socket_new_in_range(braid_udp_socket_t **out, uv_loop_t *loop, const char *ip,
                                  int min_port, int max_port, size_t tx_ring,
                                  const braid_udp_callbacks_t *cbs, void *user_data) {
  if (min_port <= 0 || min_port > max_port || max_port > 65535) return BRAID_EINVAL;
  /* The first free port, as braid_webrtc_server_new_in_range() does: a
   * closed transport's port goes to the next one. */
  for (int port = min_port; port <= max_port; port++) {
    int rc = braid_udp_socket_new_sized(out, loop, ip, port, tx_ring, cbs, user_data);
    if (rc == 0) return 0;
    if (rc != BRAID_ERR(EADDRINUSE) && rc != BRAID_ERR(EACCES)) return rc;
  }
  return BRAID_ELIMIT;
}

int braid_udp_socket_new_sized(braid_udp_socket_t **out, uv_loop_t *loop, const char *ip, int port,
                               size_t tx_ring, const braid_udp_callbacks_t *cbs, void *user_data) {
  struct sockaddr_storage ss;
  socklen_t slen;
  int rc, buf = SOCK_BUF_BYTES;
  if (parse_addr(ip, port, &ss, &slen) != 0 || port < 0 || port > 65535) return BRAID_EINVAL;
  if (tx_ring == 0 || tx_ring > BRAID_UDP_TX_RING) return BRAID_EINVAL;
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return BRAID_ERR(errno);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  if (bind(fd, (struct sockaddr *)&ss, slen) != 0) {
    rc = BRAID_ERR(errno);
    close(fd);
    return rc;
  }
  if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0) {
    rc = BRAID_ERR(errno);
    close(fd);
    return rc;
  }
  braid_udp_socket_t *s = braid_xcalloc(1, sizeof *s);
  s->loop = loop;
  s->fd = fd;
  s->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                          : ((struct sockaddr_in6 *)&ss)->sin6_port);
  s->cbs = cbs;
  s->user_data = user_data;
  s->tx_ring = tx_ring;
  s->tx_msgs = braid_xcalloc(tx_ring, sizeof *s->tx_msgs);
  s->tx_iov = braid_xcalloc(tx_ring, sizeof *s->tx_iov);
  s->tx_addr = braid_xcalloc(tx_ring, sizeof *s->tx_addr);
  s->tx_buf = braid_xcalloc(tx_ring, sizeof *s->tx_buf);
  for (size_t i = 0; i < RX_BATCH; i++) {
    s->rx_iov[i].iov_base = s->rx_buf[i];
    s->rx_iov[i].iov_len = sizeof s->rx_buf[i];
    s->rx_msgs[i].msg_hdr.msg_iov = &s->rx_iov[i];
    s->rx_msgs[i].msg_hdr.msg_iovlen = 1;
  }
  for (size_t i = 0; i < tx_ring; i++) {
    s->tx_iov[i].iov_base = s->tx_buf[i];
    s->tx_msgs[i].msg_hdr.msg_iov = &s->tx_iov[i];
    s->tx_msgs[i].msg_hdr.msg_iovlen = 1;
    s->tx_msgs[i].msg_hdr.msg_name = &s->tx_addr[i];
  }
  uv_poll_init(loop, &s->poll, fd);
  uv_check_init(loop, &s->check);
  s->poll.data = s->check.data = s;
  s->handles_open = 2;
  uv_poll_start(&s->poll, UV_READABLE, on_readable);
  uv_check_start(&s->check, on_check);
  *out = s;
  return 0;
}

int braid_udp_socket_port(const braid_udp_socket_t *s) { return s->port; }

const braid_udp_stats_t *braid_udp_socket_stats(const braid_udp_socket_t *s) { return &s->stats; }

static void on_readable(uv_poll_t *h, int status, int events) {
  braid_udp_socket_t *s = h->data;
  if (status < 0) {
    s->stats.rx_errors++;
    return;
  }
  for (int budget = RX_BUDGET; budget > 0 && !s->closing;) {
    for (size_t i = 0; i < RX_BATCH; i++) {
      s->rx_msgs[i].msg_hdr.msg_name = &s->rx_addr[i];
      s->rx_msgs[i].msg_hdr.msg_namelen = sizeof s->rx_addr[i];
      s->rx_msgs[i].msg_hdr.msg_flags = 0;
    }
    int n = recvmmsg(s->fd, s->rx_msgs, RX_BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) {
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) s->stats.rx_errors++;
      return;
    }
    for (int i = 0; i < n && !s->closing; i++) {
      struct msghdr *mh = &s->rx_msgs[i].msg_hdr;
      size_t len = s->rx_msgs[i].msg_len;
      if (mh->msg_flags & MSG_TRUNC) {
        s->stats.rx_truncated++;
        continue;
      }
      s->stats.rx_datagrams++;
      s->stats.rx_bytes += len;
      s->cbs->on_datagram(s, s->rx_buf[i], len, (struct sockaddr *)&s->rx_addr[i],
                          mh->msg_namelen, s->user_data);
    }
    budget -= n;
    if (n < RX_BATCH) return; /* drained */
  }
}

void braid_udp_socket_flush(braid_udp_socket_t *s) {
  size_t off = 0;
  while (off < s->tx_count) {
    int n = sendmmsg(s->fd, s->tx_msgs + off, (unsigned)(s->tx_count - off), MSG_DONTWAIT);
    s->stats.tx_syscalls++;
    if (n < 0) {
      if (errno == EINTR) continue;
      /* EAGAIN/ENOBUFS or an error of the first datagram (e.g. an
       * unreachable destination): drop that one, go on with the rest. */
      s->stats.tx_dropped++;
      off++;
      continue;
    }
    for (int i = 0; i < n; i++) {
      s->stats.tx_datagrams++;
      s->stats.tx_bytes += s->tx_msgs[off + (size_t)i].msg_len;
    }
    off += (size_t)n;
  }
  s->tx_count = 0;
}

static void on_check(uv_check_t *h) {
  braid_udp_socket_t *s = h->data;
  if (s->tx_count > 0) braid_udp_socket_flush(s);
}

uint8_t *braid_udp_socket_slot(braid_udp_socket_t *s, size_t *cap) {
  if (s->closing) return NULL;
  if (s->tx_count == s->tx_ring) braid_udp_socket_flush(s);
  *cap = TX_SLOT;
  return s->tx_buf[s->tx_count];
}

void braid_udp_socket_commit(braid_udp_socket_t *s, size_t len, const struct sockaddr *to,
                             socklen_t tolen) {
  size_t i = s->tx_count;
  if (s->closing || i == s->tx_ring || len > TX_SLOT || tolen > sizeof s->tx_addr[i]) {
    s->stats.tx_dropped++;
    return;
  }
  memcpy(&s->tx_addr[i], to, tolen);
  s->tx_msgs[i].msg_hdr.msg_namelen = tolen;
  s->tx_iov[i].iov_len = len;
  s->tx_count++;
}

int braid_udp_socket_send(braid_udp_socket_t *s, const void *data, size_t len,
                          const struct sockaddr *to, socklen_t tolen) {
  size_t cap;
  if (len > BRAID_UDP_MAX_DATAGRAM) return BRAID_ETOOBIG;
  uint8_t *slot = braid_udp_socket_slot(s, &cap);
  if (slot == NULL) {
    s->stats.tx_dropped++;
    return BRAID_ELIMIT;
  }
  memcpy(slot, data, len);
  braid_udp_socket_commit(s, len, to, tolen);
  return 0;
}

static void on_handle_closed(uv_handle_t *h) {
  braid_udp_socket_t *s = h->data;
  if (--s->handles_open == 0) {
    close(s->fd);
    braid_free(s->tx_msgs);
    braid_free(s->tx_iov);
    braid_free(s->tx_addr);
    braid_free(s->tx_buf);
    braid_free(s);
  }
}

void braid_udp_socket_close(braid_udp_socket_t *s) {
  if (s == NULL || s->closing) return;
  braid_udp_socket_flush(s);
  s->closing = true;
  uv_poll_stop(&s->poll);
  uv_check_stop(&s->check);
  uv_close((uv_handle_t *)&s->poll, on_handle_closed);
  uv_close((uv_handle_t *)&s->check, on_handle_closed);
}
