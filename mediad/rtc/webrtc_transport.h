/*
 * A WebRTC transport of a media daemon (mediasoup's WebRtcTransport): ICE-
 * lite, DTLS and SRTP, reached through a server (webrtc_server.h): the
 * daemon's single-port one, shared, or in per-transport port mode one of
 * its own, which it frees when it closes (opts.owns_server). It is made of parts that know nothing of each other:
 *   ice_lite        (mediad/rtc)  who may talk to us, on which tuple
 *   dtls_transport  (mediad/sec)  the handshake and the SRTP keys
 *   srtp_session    (mediad/sec)  one session per direction
 *   data_transport  (mediad/rtc)  SCTP over DTLS, when enabled: started once
 *                                 DTLS connects, fed its application data
 * and this file is the glue: it owns them, routes each datagram to the
 * right one (RFC 7983), sends what they produce on the selected tuple and
 * drives their timers on one uv timer.
 *
 * Lifetime: created by transport.create_webrtc, freed by transport.close,
 * by its router's close, or by the node's shutdown. Closing is synchronous;
 * a transport closed from inside one of its own callbacks is only marked,
 * and freed when the callback returns (STYLE.md rule 20).
 */
#ifndef BRAID_MEDIAD_RTC_WEBRTC_TRANSPORT_H
#define BRAID_MEDIAD_RTC_WEBRTC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/limits.h"
#include "common/str.h"
#include "mediad/mediad.h"

typedef struct braid_webrtc_transport braid_webrtc_transport_t;
typedef struct braid_webrtc_server braid_webrtc_server_t;

/* Counters, published in the node's stats and for getTransportStats. */
typedef struct braid_webrtc_transport_stats {
  uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
  uint64_t rx_rtp, rx_rtcp, rx_dtls, rx_stun;
  uint64_t rx_dropped;        /* unknown kind, or before the state allows it */
  uint64_t srtp_unprotect_failed;
  uint64_t srtp_protect_failed;
} braid_webrtc_transport_stats_t;

typedef struct braid_webrtc_transport_opts {
  braid_str_t id;        /* borrowed for the call */
  braid_str_t router_id; /* borrowed for the call */
  braid_str_t room_id;   /* borrowed for the call */
  braid_str_t ufrag, pwd;
  bool enable_udp, enable_tcp;
  uint32_t consent_timeout_s;
  bool owns_server; /* the transport takes ownership of server (when created) */
  bool enable_sctp; /* SCTP over DTLS (DataChannels), with: */
  uint16_t sctp_os, sctp_mis;
  size_t sctp_max_message_size;
} braid_webrtc_transport_opts_t;

/* Creates a transport and registers its ICE username with the server.
 * Returns 0 (in *out; its media half is registered in md->transports),
 * BRAID_EEXIST (the id or the ufrag is taken), BRAID_EINVAL or
 * BRAID_EINTERNAL. server is
 * borrowed, and must outlive the transport, unless opts->owns_server: then
 * the transport owns it once created, and frees it when it closes; on
 * failure the caller still owns it. */
int braid_webrtc_transport_new(braid_webrtc_transport_t **out, braid_mediad_t *md,
                               braid_webrtc_server_t *server,
                               const braid_webrtc_transport_opts_t *opts);
/* Closes: sends a DTLS close_notify when connected, unregisters from the
 * server, frees (the server too when the transport owns it). */
void braid_webrtc_transport_close(braid_webrtc_transport_t *t);

/* connect({dtlsParameters}): the remote DTLS role ("client", "server",
 * "auto") and fingerprint. Returns 0, BRAID_ESTATE ("connect() already
 * called"), BRAID_EINVAL (bad role or fingerprint; *why says which). */
int braid_webrtc_transport_connect(braid_webrtc_transport_t *t, braid_str_t remote_role,
                                   braid_str_t fp_algorithm, braid_str_t fp_value,
                                   const char **why);
/* restartIce(): new local credentials; the DTLS and SRTP state stay. */
int braid_webrtc_transport_restart_ice(braid_webrtc_transport_t *t, braid_str_t ufrag,
                                       braid_str_t pwd);

/* A datagram (or ICE-TCP frame) for this transport, which the server found
 * by ICE username or by tuple. data is mutable (SRTP unprotects in place)
 * and borrowed; tuple is borrowed. */
struct braid_ice_tuple;
void braid_webrtc_transport_receive(braid_webrtc_transport_t *t, uint8_t *data, size_t len,
                                    const struct braid_ice_tuple *tuple);

/* The server lost a tuple of t (its TCP connection closed). */
void braid_webrtc_transport_tuple_gone(braid_webrtc_transport_t *t, const struct braid_ice_tuple *tuple);

/* The media half: producers, consumers and RTCP (transport.h); it is what
 * md->transports holds. */
struct braid_transport *braid_webrtc_transport_media(braid_webrtc_transport_t *t);
/* The WebRTC transport whose media half t is, or NULL when t (may be NULL)
 * is of another kind. */
braid_webrtc_transport_t *braid_webrtc_transport_of(struct braid_transport *t);
/* Packets dropped so far (bad STUN, SRTP failures, unknown or malformed
 * RTP/RTCP), for the node's counters. */
uint64_t braid_webrtc_transport_dropped(const braid_webrtc_transport_t *t);

/* The port the transport's ICE candidates name (its server's UDP and TCP
 * port). */
int braid_webrtc_transport_port(const braid_webrtc_transport_t *t);

/* The selected ICE tuple, when there is one. */
bool braid_webrtc_transport_tuple(const braid_webrtc_transport_t *t, struct braid_ice_tuple *out);

const char *braid_webrtc_transport_id(const braid_webrtc_transport_t *t);
const char *braid_webrtc_transport_router_id(const braid_webrtc_transport_t *t);
const char *braid_webrtc_transport_ice_state(const braid_webrtc_transport_t *t);
const char *braid_webrtc_transport_dtls_state(const braid_webrtc_transport_t *t);
const braid_webrtc_transport_stats_t *braid_webrtc_transport_stats(const braid_webrtc_transport_t *t);

#endif
