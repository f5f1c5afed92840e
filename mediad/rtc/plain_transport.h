/*
 * A plain transport of a media daemon (mediasoup's PlainTransport): RTP and
 * RTCP over UDP with an endpoint that does no ICE and no DTLS (FFmpeg,
 * GStreamer, a SIP gateway), optionally with SRTP keyed by the signalling
 * (mediasoup's SrtpParameters: a crypto suite and keyBase64 each way).
 *
 *   - It binds its own UDP socket on the daemon's --ip, and a second one
 *     for RTCP when rtcp_mux is off: the first free port(s) of
 *     --port-range when the daemon has one, else ports the kernel picks.
 *   - The remote: connect_plain gives its ip and port (and RTCP port
 *     without rtcp-mux); or, with comedia, the first valid packet on the
 *     RTP socket names it (and the first on the RTCP socket the RTCP
 *     tuple). After that, packets from any other address are dropped and
 *     counted.
 *   - Datagrams are told apart by their first bytes (RFC 7983; RTP and
 *     RTCP by the payload type, RFC 5761) on either socket, unprotected in
 *     place when SRTP is on, and handed to the media half (transport.h).
 *     STUN, DTLS and anything else is dropped and counted.
 *   - Sending: the media half builds each packet in a slot of the RTP
 *     socket's transmit ring; it is protected there and committed. RTCP
 *     goes to the RTCP tuple when rtcp_mux is off, and is not sent while
 *     there is none (mediasoup's rule).
 *   - Media flows (braid_transport_set_connected) once there is a remote
 *     tuple and, with SRTP, the keys.
 *   - SCTP over plain UDP (enableSctp; RFC 6951 without its encapsulation
 *     rules, as mediasoup): datagrams whose first four bytes are ports
 *     5000 and 5000 go to the data half (data_transport.h), on the RTP
 *     socket only and never through SRTP; the association starts once
 *     there is a remote tuple (connect(), or with comedia a first valid
 *     SCTP or RTP packet).
 *
 * A PipeTransport (mediasoup's, between two media daemons: create_plain
 * with "pipe") is this transport with another kind name ("pipe"): always
 * rtcp-mux, never comedia (connect() names the other daemon's transport),
 * SRTP only with AEAD_AES_256_GCM, SCTP without DataChannel semantics as
 * here. It carries pipe consumers out and piped producers in
 * (pipe_consumer.h); its getStats type is "pipe-transport".
 *
 * Lifetime: created by transport.create_plain, freed by transport.close,
 * by its router's close, or by the node's shutdown, all synchronously
 * (braid_transport_close()); a close requested from inside one of its own
 * callbacks is only marked, and done when the callback returns (STYLE.md
 * rule 20). Nothing on the per-packet path allocates or logs.
 */
#ifndef BRAID_MEDIAD_RTC_PLAIN_TRANSPORT_H
#define BRAID_MEDIAD_RTC_PLAIN_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/str.h"
#include "mediad/mediad.h"
#include "proto/transport.h"

typedef struct braid_plain_transport braid_plain_transport_t;
struct braid_transport;

/* Counters, for the node's rx_dropped and for getStats. */
typedef struct braid_plain_transport_stats {
  uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
  uint64_t tx_rtp;            /* RTP packets among tx_packets */
  uint64_t rx_rtp, rx_rtcp;   /* handed to the media half */
  uint64_t rx_sctp;           /* handed to the data half */
  uint64_t rx_dropped;        /* not RTP/RTCP/SCTP (STUN, DTLS, garbage), or on the socket
                               * that is not theirs, or SCTP without enableSctp */
  uint64_t rx_unknown_source; /* from an address other than the remote tuple's */
  uint64_t rx_not_connected;  /* before connect() gave the remote or the SRTP keys */
  uint64_t srtp_unprotect_failed;
  uint64_t srtp_protect_failed;
} braid_plain_transport_stats_t;

/* Creates a plain transport from a transport.create_plain command, in the
 * room room_id (borrowed for the call), binds its socket(s) and registers
 * its media half in md->transports. Returns 0 (in *out), BRAID_EEXIST (the
 * id is taken), BRAID_EINVAL (an id too long, a bad --ip, a pipe without
 * rtcp_mux or with comedia), BRAID_ELIMIT (no free port in --port-range) or
 * another socket error (negated errno). */
int braid_plain_transport_new(braid_plain_transport_t **out, braid_mediad_t *md,
                              const braid_cmd_transport_create_plain_t *c, braid_str_t room_id);
/* Closes its producers and consumers, unregisters it, adds its counters to
 * md->stats' closed totals, closes its sockets (datagrams already
 * committed are sent first) and frees it. NULL is a no-op. */
void braid_plain_transport_close(braid_plain_transport_t *t);

/*
 * connect({ip, port, rtcpPort, srtpParameters}) with mediasoup's rules,
 * plus our own SRTP key (c->srtp_local_key) that the controller made and
 * gave the remote. c is borrowed for the call. Returns 0, or with *why (a
 * static string) set:
 *   BRAID_ESTATE "connect() already called"
 *   BRAID_EINVAL "comedia transport: only srtpParameters may be given",
 *                "missing ip/port", "invalid ip", "invalid port",
 *                "missing rtcpPort", "rtcpPort given with rtcpMux",
 *                "missing srtpParameters", "srtpParameters given but SRTP
 *                is not enabled", "invalid cryptoSuite", "invalid key
 *                length for <suite>" (a key that is not base64, or that
 *                decodes to another length than the suite's key + salt)
 *   BRAID_ENOMEM, BRAID_EIO from libsrtp (*why NULL)
 * A failed connect changes nothing: it may be called again.
 */
int braid_plain_transport_connect(braid_plain_transport_t *t,
                                  const braid_cmd_transport_connect_plain_t *c, const char **why);

/* The media half (transport.h); it is what md->transports holds. */
struct braid_transport *braid_plain_transport_media(braid_plain_transport_t *t);
/* The plain transport whose media half t is, or NULL when t (may be NULL)
 * is of another kind. */
braid_plain_transport_t *braid_plain_transport_of(struct braid_transport *t);

/* Packets dropped so far (every rx counter above but rx_rtp/rx_rtcp, and
 * the media half's unknown or malformed ones), for the node's counters. */
uint64_t braid_plain_transport_dropped(const braid_plain_transport_t *t);
/* Adds its sockets' counters to *sum (udp_rx, udp_tx, udp_tx_dropped). */
void braid_plain_transport_add_net_stats(const braid_plain_transport_t *t,
                                         braid_mediad_net_stats_t *sum);

/* The local ports: RTP (and RTCP with rtcp_mux), and RTCP (0 with
 * rtcp_mux). */
int braid_plain_transport_port(const braid_plain_transport_t *t);
int braid_plain_transport_rtcp_port(const braid_plain_transport_t *t);
/* The remote address of the RTP tuple (rtcp false) or of the RTCP tuple
 * (rtcp true; never with rtcp_mux), or NULL while there is none. Borrowed
 * from t. */
const struct sockaddr *braid_plain_transport_remote(const braid_plain_transport_t *t, bool rtcp);

const char *braid_plain_transport_id(const braid_plain_transport_t *t);
bool braid_plain_transport_rtcp_mux(const braid_plain_transport_t *t);
bool braid_plain_transport_comedia(const braid_plain_transport_t *t);
bool braid_plain_transport_sctp(const braid_plain_transport_t *t);
bool braid_plain_transport_srtp(const braid_plain_transport_t *t);
/* Whether it is a PipeTransport (kind "pipe"). */
bool braid_plain_transport_pipe(const braid_plain_transport_t *t);
/* The receive and send rates (bits per second, whole datagrams) since the
 * previous call (0 at the first), for the node's pipes hash. */
void braid_plain_transport_rates(braid_plain_transport_t *t, int64_t now_ms, uint64_t *rx_bps,
                                 uint64_t *tx_bps);
const braid_plain_transport_stats_t *braid_plain_transport_stats(const braid_plain_transport_t *t);

#endif
