/*
 * A UDP socket on the loop with batched system calls (field-notes.md: one
 * syscall costs ~1.2 µs here, so batching decides the ceiling).
 *
 * Receive: when the socket is readable, recvmmsg() fills a fixed batch of
 * buffers (no allocation); each datagram goes to on_datagram, borrowed for
 * the call. A wake-up reads at most RX_BUDGET datagrams, then yields to the
 * loop (STYLE rule 25).
 *
 * Send: the caller takes a slot of the transmit ring
 * (braid_udp_socket_slot), writes the datagram into it in place (so an RTP
 * rewrite and SRTP protect need no further copy), and commits it with its
 * destination. Committed datagrams leave in one sendmmsg() per batch at the
 * end of the loop iteration (or when the ring fills). A datagram the kernel
 * will not take (EAGAIN, ENOBUFS) is dropped and counted: real-time media
 * is never queued behind a full socket buffer.
 *
 * Not thread-safe. Nothing here logs per packet.
 */
#ifndef BRAID_MEDIAD_NET_UDP_SOCKET_H
#define BRAID_MEDIAD_NET_UDP_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <uv.h>

/* Largest datagram we receive or send; larger ones are dropped (counted). */
#define BRAID_UDP_MAX_DATAGRAM 1600

/* Transmit ring sizes: datagrams committed between two flushes. Each slot
 * costs ~1.8 KB, so the default ring is ~450 KB of the socket's ~500 KB.
 * The default suits the shared sockets that fan out to many peers in one
 * loop iteration; a socket that talks to one remote (a plain transport)
 * rarely fills a small ring, and when it does the ring is flushed early:
 * one more sendmmsg(), nothing dropped. */
#define BRAID_UDP_TX_RING 256
#define BRAID_UDP_TX_RING_SMALL 32

typedef struct braid_udp_socket braid_udp_socket_t;

typedef struct braid_udp_stats {
  uint64_t rx_datagrams, rx_bytes, rx_truncated, rx_errors;
  uint64_t tx_datagrams, tx_bytes, tx_dropped, tx_syscalls;
} braid_udp_stats_t;

typedef struct braid_udp_callbacks {
  /* One received datagram. data and from are borrowed for the call. The
   * callback may send, and may close the socket (reading then stops). */
  void (*on_datagram)(braid_udp_socket_t *s, uint8_t *data, size_t len,
                      const struct sockaddr *from, socklen_t fromlen, void *user_data);
} braid_udp_callbacks_t;

/* Binds ip:port (port 0: any free port) with a transmit ring of
 * BRAID_UDP_TX_RING slots. cbs is borrowed for the socket's life. Returns
 * 0 (socket in *out), BRAID_EINVAL (bad address) or a negated errno (e.g.
 * -EADDRINUSE). */
int braid_udp_socket_new(braid_udp_socket_t **out, uv_loop_t *loop, const char *ip, int port,
                         const braid_udp_callbacks_t *cbs, void *user_data);
/* Same with a transmit ring of tx_ring slots (1..BRAID_UDP_TX_RING, else
 * BRAID_EINVAL). */
int braid_udp_socket_new_sized(braid_udp_socket_t **out, uv_loop_t *loop, const char *ip, int port,
                               size_t tx_ring, const braid_udp_callbacks_t *cbs, void *user_data);
/* Binds the first port of [min_port, max_port] free on ip (a port whose
 * bind fails with EADDRINUSE or EACCES is skipped), with a transmit ring
 * of tx_ring slots. Returns 0, BRAID_ELIMIT (no free port in the range),
 * BRAID_EINVAL (bad address, ring size or range: 0 < min_port <= max_port
 * <= 65535) or another socket error (e.g. -EMFILE, which no other port
 * cures). */
int braid_udp_socket_new_in_range(braid_udp_socket_t **out, uv_loop_t *loop, const char *ip,
                                  int min_port, int max_port, size_t tx_ring,
                                  const braid_udp_callbacks_t *cbs, void *user_data);
/* Stops I/O now and frees the socket once libuv has closed its handles.
 * Uncommitted slots are discarded; committed datagrams are flushed first. */
void braid_udp_socket_close(braid_udp_socket_t *s);

/* The bound port (useful with port 0). */
int braid_udp_socket_port(const braid_udp_socket_t *s);

/* Returns a free transmit slot of *cap bytes (BRAID_UDP_MAX_DATAGRAM plus
 * room for an SRTP trailer), or NULL when the ring is full even after a
 * flush (the caller drops the packet). Valid until commit or the next
 * slot() call. */
uint8_t *braid_udp_socket_slot(braid_udp_socket_t *s, size_t *cap);
/* Queues the slot's first len bytes for to (copied address). */
void braid_udp_socket_commit(braid_udp_socket_t *s, size_t len, const struct sockaddr *to,
                             socklen_t tolen);
/* Convenience: copies data into a slot and commits it. Returns 0 or
 * BRAID_ELIMIT (ring full, dropped) or BRAID_ETOOBIG. */
int braid_udp_socket_send(braid_udp_socket_t *s, const void *data, size_t len,
                          const struct sockaddr *to, socklen_t tolen);
/* Sends everything committed so far (normally done at the end of each
 * loop iteration). */
void braid_udp_socket_flush(braid_udp_socket_t *s);

const braid_udp_stats_t *braid_udp_socket_stats(const braid_udp_socket_t *s);

#endif
