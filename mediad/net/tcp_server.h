/*
 * A passive TCP listener for ICE-TCP (RFC 6544, tcptype passive) with RFC
 * 4571 framing: each connection carries 2-byte-length-prefixed frames (STUN,
 * DTLS, RTP, RTCP), which on_frame hands over one by one.
 *
 * Memory per connection is fixed at accept: a receive buffer for one frame
 * and a bounded send buffer. Writes go out with uv_try_write() at once;
 * what the kernel does not take waits in the send buffer, and a frame that
 * does not fit there is dropped and counted (media is never queued without
 * bound behind a slow reader). The number of connections is bounded too.
 */
#ifndef BRAID_MEDIAD_NET_TCP_SERVER_H
#define BRAID_MEDIAD_NET_TCP_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <uv.h>

#define BRAID_TCP_MAX_CONNS 1024
#define BRAID_TCP_SEND_BUFFER (64 * 1024)

typedef struct braid_tcp_server braid_tcp_server_t;
typedef struct braid_tcp_conn braid_tcp_conn_t;

typedef struct braid_tcp_stats {
  uint64_t accepted, refused, closed;
  uint64_t rx_frames, rx_bad_framing;
  uint64_t tx_frames, tx_dropped;
} braid_tcp_stats_t;

typedef struct braid_tcp_callbacks {
  /* One frame of connection c; data is mutable and borrowed for the call.
   * The callback may send on c and may close it. */
  void (*on_frame)(braid_tcp_server_t *s, braid_tcp_conn_t *c, uint8_t *data, size_t len,
                   void *user_data);
  /* c is closing (either side); called once, c is freed afterwards. */
  void (*on_close)(braid_tcp_server_t *s, braid_tcp_conn_t *c, void *user_data);
} braid_tcp_callbacks_t;

/* Listens on ip:port (0: any free port). cbs is borrowed for the server's
 * life. Returns 0, BRAID_EINVAL or a negated errno. */
int braid_tcp_server_new(braid_tcp_server_t **out, uv_loop_t *loop, const char *ip, int port,
                         const braid_tcp_callbacks_t *cbs, void *user_data);
/* Closes the listener and every connection (on_close runs for each). */
void braid_tcp_server_close(braid_tcp_server_t *s);
int braid_tcp_server_port(const braid_tcp_server_t *s);
const braid_tcp_stats_t *braid_tcp_server_stats(const braid_tcp_server_t *s);
/* A connection by id, or NULL when it has closed. */
braid_tcp_conn_t *braid_tcp_server_find(braid_tcp_server_t *s, uint64_t id);

uint64_t braid_tcp_conn_id(const braid_tcp_conn_t *c);
/* The peer's address (valid while c is). */
const struct sockaddr *braid_tcp_conn_peer(const braid_tcp_conn_t *c, socklen_t *len);
/* Sends one frame. Returns 0, BRAID_ELIMIT (send buffer full: dropped) or
 * BRAID_ECLOSED. */
int braid_tcp_conn_send(braid_tcp_conn_t *c, const uint8_t *data, size_t len);
void braid_tcp_conn_close(braid_tcp_conn_t *c);

#endif
