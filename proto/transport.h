/*
 * Transport command bodies (members of braid_cmd_t's union; cmd.h has the
 * envelope). The controller is the ORTC brain: it makes the ICE credentials
 * and the transport ids; the node executes. A node publishes in its node
 * hash what a controller needs to describe its transports to clients (its
 * announced address, its single-port UDP/TCP port, its DTLS fingerprints).
 *
 *   "transport.create_webrtc"  body keys:
 *       "router"  str (id)        the router the transport belongs to
 *       "transport" str (id)      new transport id (idempotent: same id and
 *                                 router again succeeds)
 *       "ufrag", "pwd" str (<= 64) local ICE credentials
 *       "udp", "tcp"  bool        enable UDP / ICE-TCP candidates
 *       "consent" u64 (s)         ICE consent timeout, 0 disables (mediasoup
 *                                 iceConsentTimeout; the demo uses 20)
 *       "sctp"     bool           SCTP over DTLS enabled
 *       "sctp_os", "sctp_mis" u64 stream counts (<= 65535), when "sctp"
 *       "sctp_max_msg" u64        max message size, when "sctp"
 *   "transport.connect"        "transport" str, "role" str ("client", "server"
 *       or "auto": the *remote* DTLS role), "fp_alg" str ("sha-256"...),
 *       "fp" str (uppercase hex with colons, <= 160)
 *   "transport.restart_ice"    "transport" str, "ufrag" str, "pwd" str
 *   "transport.close"          "transport" str (idempotent)
 */
#ifndef BRAID_PROTO_TRANSPORT_H
#define BRAID_PROTO_TRANSPORT_H

#include "proto/proto.h"

#define BRAID_ICE_CRED_MAX 64   /* ufrag and pwd */
#define BRAID_DTLS_FP_MAX 160   /* sha-512 as hex with colons is 191: 64 bytes*3-1 */

typedef struct braid_cmd_transport_create {
  braid_str_t router_id;
  braid_str_t transport_id;
  braid_str_t ufrag;
  braid_str_t pwd;
  bool enable_udp;
  bool enable_tcp;
  uint64_t consent_timeout_s;
  bool enable_sctp;
  uint64_t sctp_os;
  uint64_t sctp_mis;
  uint64_t sctp_max_message_size;
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
