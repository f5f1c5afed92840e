/*
 * Transport command bodies (members of braid_cmd_t's union; cmd.h has the
 * envelope, braid_cmd_encode() and braid_cmd_decode()). The controller is
 * the ORTC brain: it makes the ICE credentials and the transport ids; the
 * node executes. A node publishes in its node hash what a controller needs
 * to describe its transports to clients (its announced address, its
 * single-port UDP/TCP port, its DTLS fingerprints).
 *
 * Every key listed is required unless marked optional. Ids are strings of
 * at most BRAID_ID_MAX bytes.
 *
 *   "transport.create_webrtc"  (u.transport_create)
 *       "router"  str (id)        the router the transport belongs to
 *       "transport" str (id)      new transport id (idempotent: same id and
 *                                 router again succeeds)
 *       "ufrag", "pwd" str (<= BRAID_ICE_CRED_MAX) local ICE credentials
 *       "udp", "tcp"  bool        enable UDP / ICE-TCP candidates
 *       "consent" u64 (s)         ICE consent timeout, 0 disables (mediasoup
 *                                 iceConsentTimeout; the demo uses 20)
 *       "sctp"     bool           SCTP over DTLS enabled
 *       "sctp_os", "sctp_mis" u64 stream counts, 1..65535
 *       "sctp_max_msg" u64        max message size
 *                                 The three sctp_* keys are required when
 *                                 "sctp" is true. When it is false they are
 *                                 not sent, and if present are checked like
 *                                 any other key but ignored (they decode as
 *                                 0, so the command encodes back the same).
 *   "transport.connect"  (u.transport_connect)
 *       "transport" str, "role" str ("client", "server" or "auto": the
 *       *remote* DTLS role), "fp_alg" str (<= BRAID_DTLS_FP_ALG_MAX, e.g.
 *       "sha-256"; not checked here: the DTLS layer knows which it
 *       supports), "fp" str (hex pairs separated by colons, as the client
 *       sent it, <= BRAID_DTLS_FP_MAX)
 *   "transport.restart_ice"  (u.transport_restart_ice)
 *       "transport" str, "ufrag" str, "pwd" str
 *   "transport.close"  (u.transport_close)
 *       "transport" str (idempotent). Also closes a PlainTransport.
 *   "transport.create_plain"  (u.transport_create_plain)
 *       "router", "transport" str (id)  as create_webrtc (idempotent)
 *       "rtcp_mux" bool           RTP and RTCP on one port; when false the
 *                                 node binds a second port for RTCP
 *       "comedia"  bool           learn the remote tuple(s) from the first
 *                                 packets instead of connect_plain's ip/port
 *       "srtp"     bool           SRTP on; the suite and the keys come with
 *                                 transport.connect_plain (the controller
 *                                 makes our key, mediasoup-style)
 *       "sctp"     bool, and when true "sctp_os", "sctp_mis",
 *                  "sctp_max_msg" exactly as create_webrtc
 *       "pipe"     bool, optional (absent: false; encoded only when true):
 *                  a PipeTransport between two media daemons instead of a
 *                  PlainTransport (kind "pipe"): it needs "rtcp_mux" true
 *                  and "comedia" false, which the node checks (BRAID_EINVAL
 *                  otherwise); its SCTP, when enabled, has no DataChannel
 *                  semantics, and with SRTP its connect_plain takes only
 *                  "AEAD_AES_256_GCM" (mediasoup's PipeTransport). It
 *                  carries pipe consumers (consumer.h) one way and piped
 *                  producers (producer.h) the other.
 *   "transport.connect_plain"  (u.transport_connect_plain)
 *       (also PipeTransport.connect({ip, port, srtpParameters}): the other
 *       daemon's pipe transport's ip and port, "rtcp_port" 0, and with SRTP
 *       "srtp_suite" "AEAD_AES_256_GCM", "srtp_key" the other side's key,
 *       "srtp_local_key" ours)
 *       "transport" str
 *       "ip"        str (<= BRAID_IP_MAX)  remote IPv4/IPv6 literal, "" = none
 *       "port"      u64 0..65535           remote RTP port, 0 = none
 *       "rtcp_port" u64 0..65535           remote RTCP port (no rtcp_mux), 0 = none
 *       "srtp_suite" str (<= BRAID_SRTP_SUITE_MAX)  mediasoup cryptoSuite, "" = none
 *       "srtp_key"   str (<= BRAID_SRTP_KEY_MAX)    the remote's keyBase64
 *                                           (what it protects with), "" = none
 *       "srtp_local_key" str (<= BRAID_SRTP_KEY_MAX) our keyBase64 for the
 *                                           same suite, "" = none
 *       Every key is always sent. What the values mean together (comedia
 *       with ip, SRTP without keys, an unknown suite, a key of the wrong
 *       length) is checked by the node, which knows the transport: the
 *       codec only checks types and limits.
 *
 * A "role" other than the three gives BRAID_EMALFORMED ("key 'role' has an
 * invalid value"); a stream count or a port out of range BRAID_EMALFORMED
 * ("key 'sctp_os' is out of range"); a string over its limit BRAID_ETOOBIG.
 * Encoding refuses the same values with BRAID_EINVAL.
 */
#ifndef BRAID_PROTO_TRANSPORT_H
#define BRAID_PROTO_TRANSPORT_H

#include "proto/proto.h"

#define BRAID_ICE_CRED_MAX 64    /* ufrag and pwd */
#define BRAID_DTLS_FP_ALG_MAX 16 /* "sha-256", "sha-512", ... */
#define BRAID_DTLS_FP_MAX 191    /* sha-512 as hex with colons: 64 bytes * 3 - 1 */
#define BRAID_SCTP_STREAMS_MAX 65535
#define BRAID_IP_MAX 45          /* longest IPv6 literal (with an IPv4 tail) */
#define BRAID_SRTP_SUITE_MAX 32  /* "AES_CM_128_HMAC_SHA1_80" and the like */
#define BRAID_SRTP_KEY_MAX 64    /* keyBase64: 60 characters for AEAD_AES_256_GCM */

typedef struct braid_cmd_transport_create {
  braid_str_t router_id;    /* borrowed, like every string of a command */
  braid_str_t transport_id;
  braid_str_t ufrag;
  braid_str_t pwd;
  bool enable_udp;
  bool enable_tcp;
  uint64_t consent_timeout_s;
  bool enable_sctp;
  uint64_t sctp_os;               /* when enable_sctp: 1..BRAID_SCTP_STREAMS_MAX */
  uint64_t sctp_mis;              /* when enable_sctp: 1..BRAID_SCTP_STREAMS_MAX */
  uint64_t sctp_max_message_size; /* when enable_sctp */
} braid_cmd_transport_create_t;

typedef struct braid_cmd_transport_connect {
  braid_str_t transport_id;
  braid_str_t remote_role; /* "client", "server" or "auto" */
  braid_str_t fp_algorithm;
  braid_str_t fp_value;
} braid_cmd_transport_connect_t;

typedef struct braid_cmd_transport_restart_ice {
  braid_str_t transport_id;
  braid_str_t ufrag;
  braid_str_t pwd;
} braid_cmd_transport_restart_ice_t;

typedef struct braid_cmd_transport_close {
  braid_str_t transport_id;
} braid_cmd_transport_close_t;

/* transport.create_plain: mediasoup's createPlainTransport(). */
typedef struct braid_cmd_transport_create_plain {
  braid_str_t router_id;    /* "router" */
  braid_str_t transport_id; /* "transport" (idempotent like create_webrtc) */
  bool rtcp_mux;            /* "rtcp_mux" */
  bool comedia;             /* "comedia" */
  bool enable_srtp;         /* "srtp": SRTP on; the keys come with transport.connect_plain */
  bool enable_sctp;         /* "sctp", and when true "sctp_os", "sctp_mis", "sctp_max_msg" */
  uint64_t sctp_os, sctp_mis, sctp_max_message_size; /* 0 without SCTP */
  bool pipe; /* "pipe" (optional, false when absent): a PipeTransport */
} braid_cmd_transport_create_plain_t;

/* transport.connect_plain: PlainTransport.connect({ip, port, rtcpPort,
 * srtpParameters}) plus the local key the controller made. */
typedef struct braid_cmd_transport_connect_plain {
  braid_str_t transport_id;   /* "transport" */
  braid_str_t ip;             /* "ip": remote IPv4/IPv6 literal, "" = none (comedia) */
  uint64_t port;              /* "port": 0..65535, 0 = none */
  uint64_t rtcp_port;         /* "rtcp_port": 0..65535, 0 = none */
  braid_str_t srtp_suite;     /* "srtp_suite": "" or a cryptoSuite (the node checks which) */
  braid_str_t srtp_key;       /* "srtp_key": the remote's keyBase64 (our inbound session) */
  braid_str_t srtp_local_key; /* "srtp_local_key": our keyBase64 (outbound session) */
} braid_cmd_transport_connect_plain_t;

#endif
