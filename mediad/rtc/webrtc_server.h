/*
 * The media daemon's single-port server (mediasoup's WebRtcServer): one UDP
 * port, and the same TCP port for ICE-TCP, shared by every WebRTC transport
 * of the daemon: the fast layout of field-notes.md (one socket, batched
 * sends). In per-transport port mode (--rtc-mode range) each transport owns
 * a server of its own instead, bound to a port of --port-range
 * (braid_webrtc_server_new_in_range); the demultiplexing below is the same,
 * over one transport.
 *
 * Demultiplexing: a STUN request names its transport by the local ICE
 * username fragment (USERNAME "local:remote"); every other datagram by its
 * source 5-tuple, learned when ICE validated that tuple for a transport.
 * Anything else is dropped and counted.
 */
#ifndef BRAID_MEDIAD_RTC_WEBRTC_SERVER_H
#define BRAID_MEDIAD_RTC_WEBRTC_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/str.h"
#include "mediad/mediad.h"
#include "mediad/net/tcp_server.h"
#include "mediad/net/udp_socket.h"
#include "mediad/rtc/ice_lite.h"
#include "mediad/rtc/webrtc_transport.h"

typedef struct braid_webrtc_server_stats {
  uint64_t rx_unknown_ufrag; /* STUN for no transport of ours */
  uint64_t rx_unknown_tuple; /* non-STUN from a tuple no transport validated */
  uint64_t rx_malformed;     /* not STUN/DTLS/RTP/RTCP, or unparsable STUN */
} braid_webrtc_server_stats_t;

/* Binds ip:port, UDP and TCP (ICE-TCP, passive). Returns 0 or the
 * sockets' error (e.g. -EADDRINUSE when either port is taken). */
int braid_webrtc_server_new(braid_webrtc_server_t **out, braid_mediad_t *md, const char *ip, int port);
/* Binds the first port of [min_port, max_port] where both UDP and TCP
 * binds succeed; a port where either fails with EADDRINUSE or EACCES is
 * skipped. Returns 0, BRAID_ELIMIT (no free port in the range),
 * BRAID_EINVAL (bad address or range, 0 < min_port <= max_port <= 65535)
 * or another sockets' error (e.g. -EMFILE, which no other port cures). */
int braid_webrtc_server_new_in_range(braid_webrtc_server_t **out, braid_mediad_t *md,
                                     const char *ip, int min_port, int max_port);
/* Closes the sockets and frees s at once: no callback of s runs after it
 * returns, and none reaches a transport while it runs (the tuples are
 * forgotten before the TCP connections close). Datagrams already committed
 * are sent first. The sockets themselves are freed by libuv's close
 * callbacks: the UDP port is released on the next loop turn. Safe from
 * inside a transport's receive path (nothing touches s after the transport
 * returns to dispatch), so a transport may free the server it owns when it
 * closes. */
void braid_webrtc_server_free(braid_webrtc_server_t *s);

/* The ICE username fragment a transport answers to. Returns 0 or
 * BRAID_EEXIST. */
int braid_webrtc_server_add_ufrag(braid_webrtc_server_t *s, braid_str_t ufrag,
                                  braid_webrtc_transport_t *t);
void braid_webrtc_server_remove_ufrag(braid_webrtc_server_t *s, braid_str_t ufrag);
/* A tuple ICE validated for t (a tuple moves to the last transport that
 * validated it). */
void braid_webrtc_server_add_tuple(braid_webrtc_server_t *s, const braid_ice_tuple_t *tuple,
                                   braid_webrtc_transport_t *t);
/* Forgets a tuple of t (ICE dropped it); a tuple that moved to another
 * transport is left alone. */
void braid_webrtc_server_remove_tuple(braid_webrtc_server_t *s, const braid_ice_tuple_t *tuple,
                                      braid_webrtc_transport_t *t);
/* Forgets every tuple and ufrag of t (it is closing). */
void braid_webrtc_server_remove_transport(braid_webrtc_server_t *s, braid_webrtc_transport_t *t);

/* The shared UDP socket, for transports to send on. */
braid_udp_socket_t *braid_webrtc_server_udp(braid_webrtc_server_t *s);
/* Sends one datagram on a tuple: UDP to its address, or one frame on its
 * TCP connection. Returns 0, BRAID_ECLOSED (the connection is gone) or
 * BRAID_ELIMIT (dropped: buffers full). */
int braid_webrtc_server_send(braid_webrtc_server_t *s, const braid_ice_tuple_t *tuple,
                             const uint8_t *data, size_t len);
int braid_webrtc_server_port(const braid_webrtc_server_t *s);
const braid_webrtc_server_stats_t *braid_webrtc_server_stats(const braid_webrtc_server_t *s);
const braid_udp_stats_t *braid_webrtc_server_udp_stats(const braid_webrtc_server_t *s);
const braid_tcp_stats_t *braid_webrtc_server_tcp_stats(const braid_webrtc_server_t *s);
/* Adds s's counters to *sum (the node hash's socket figures). */
void braid_webrtc_server_add_stats(const braid_webrtc_server_t *s, braid_mediad_net_stats_t *sum);

/* The map key of a tuple: a UDP tuple is its family, address and port; a
 * TCP tuple is its connection. Writes at most 19 bytes into key and returns
 * their number (0 for an unknown family). */
size_t braid_webrtc_server_tuple_key(const braid_ice_tuple_t *tuple, uint8_t key[19]);
/* Converts between socket addresses and ICE tuples. */
void braid_webrtc_server_tuple_from(braid_ice_tuple_t *tuple, const struct sockaddr *sa,
                                    uint8_t proto, uint64_t cookie);
socklen_t braid_webrtc_server_tuple_addr(const braid_ice_tuple_t *tuple, struct sockaddr_storage *ss);

#endif
