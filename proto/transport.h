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
 *       "transport" str (idempotent)
 *
 * A "role" other than the three gives BRAID_EMALFORMED ("key 'role' has an
 * invalid value"); a stream count out of range BRAID_EMALFORMED ("key
 * 'sctp_os' is out of range"); a string over its limit BRAID_ETOOBIG.
 * Encoding refuses the same values with BRAID_EINVAL.
 */
#ifndef BRAID_PROTO_TRANSPORT_H
#define BRAID_PROTO_TRANSPORT_H

#include "proto/proto.h"

#define BRAID_ICE_CRED_MAX 64    /* ufrag and pwd */
#define BRAID_DTLS_FP_ALG_MAX 16 /* "sha-256", "sha-512", ... */
#define BRAID_DTLS_FP_MAX 191    /* sha-512 as hex with colons: 64 bytes * 3 - 1 */
#define BRAID_SCTP_STREAMS_MAX 65535

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

#endif
