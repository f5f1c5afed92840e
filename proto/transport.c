/*
 * Transport command bodies (transport.h), read and written by cmd.c's
 * dispatch. Example, the body of "transport.connect" as encoded, after
 * the envelope ("v", "t", "id", "rt", "dl"; map header counting 5 + 4):
 *
 *   a9 74 72 61 6e 73 ...  a2 74 31      "transport": "t1"
 *   a4 72 6f 6c 65  a6 63 6c 69 ...      "role": "client"
 *   a6 66 70 5f 61 6c 67  a7 73 68 ...   "fp_alg": "sha-256"
 *   a2 66 70  d9 5f 41 42 3a ...         "fp": str8(95) "AB:CD:..."
 */
#include "proto/transport.h"

#include "common/limits.h"
#include "proto/cmd_body.h"

/* ---- transport.create_webrtc ---------------------------------------------- */

typedef braid_cmd_transport_create_t create_t;

enum {
  C_ROUTER,
  C_TRANSPORT,
  C_UFRAG,
  C_PWD,
  C_UDP,
  C_TCP,
  C_CONSENT,
  C_SCTP,
  C_SCTP_OS,
  C_SCTP_MIS,
  C_SCTP_MAX_MSG,
  C_COUNT
};

static const braid__proto_field_t create_fields[C_COUNT] = {
    [C_ROUTER] = BRAID__PROTO_FIELD("router", STR, BRAID_ID_MAX, create_t, router_id),
    [C_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, create_t, transport_id),
    [C_UFRAG] = BRAID__PROTO_FIELD("ufrag", STR, BRAID_ICE_CRED_MAX, create_t, ufrag),
    [C_PWD] = BRAID__PROTO_FIELD("pwd", STR, BRAID_ICE_CRED_MAX, create_t, pwd),
    [C_UDP] = BRAID__PROTO_FIELD("udp", BOOL, 0, create_t, enable_udp),
    [C_TCP] = BRAID__PROTO_FIELD("tcp", BOOL, 0, create_t, enable_tcp),
    [C_CONSENT] = BRAID__PROTO_FIELD("consent", U64, 0, create_t, consent_timeout_s),
    [C_SCTP] = BRAID__PROTO_FIELD("sctp", BOOL, 0, create_t, enable_sctp),
    [C_SCTP_OS] = BRAID__PROTO_RANGED("sctp_os", U64, 1, BRAID_SCTP_STREAMS_MAX, create_t, sctp_os),
    [C_SCTP_MIS] =
        BRAID__PROTO_RANGED("sctp_mis", U64, 1, BRAID_SCTP_STREAMS_MAX, create_t, sctp_mis),
    [C_SCTP_MAX_MSG] = BRAID__PROTO_FIELD("sctp_max_msg", U64, 0, create_t, sctp_max_message_size),
};

#define C(name)     BRAID__PROTO_BIT(C_##name)
#define C_ALL       (BRAID__PROTO_BIT(C_COUNT) - 1)
#define C_SCTP_KEYS (C(SCTP_OS) | C(SCTP_MIS) | C(SCTP_MAX_MSG))

/* The sctp_* keys exist only when "sctp" is true. */
static uint32_t create_mask(const void *in) {
  const create_t *c = in;
  return c->enable_sctp ? C_ALL : C_ALL & ~C_SCTP_KEYS;
}

static int create_check(void *out, uint32_t seen, const char **why) {
  create_t *c = out;
  if (c->enable_sctp)
    return braid__proto_check_required(create_fields, C_COUNT, C_SCTP_KEYS, seen, why);
  /* Without SCTP the stream counts mean nothing: whatever was sent is
   * dropped, so that a decoded command encodes back the same. */
  c->sctp_os = c->sctp_mis = c->sctp_max_message_size = 0;
  return 0;
}

const braid__proto_map_t braid__proto_transport_create = {
    create_fields, C_COUNT, C_ALL, C_ALL & ~C_SCTP_KEYS, create_mask, create_check,
};

/* ---- transport.connect ---------------------------------------------------- */

typedef braid_cmd_transport_connect_t connect_t;

enum { N_TRANSPORT, N_ROLE, N_FP_ALG, N_FP, N_COUNT };

static const char *const roles[] = {"client", "server", "auto", NULL};

static const braid__proto_field_t connect_fields[N_COUNT] = {
    [N_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, connect_t, transport_id),
    [N_ROLE] = BRAID__PROTO_ENUM("role", roles, connect_t, remote_role),
    [N_FP_ALG] = BRAID__PROTO_FIELD("fp_alg", STR, BRAID_DTLS_FP_ALG_MAX, connect_t, fp_algorithm),
    [N_FP] = BRAID__PROTO_FIELD("fp", STR, BRAID_DTLS_FP_MAX, connect_t, fp_value),
};

#define N_ALL (BRAID__PROTO_BIT(N_COUNT) - 1)

const braid__proto_map_t braid__proto_transport_connect = {
    connect_fields, N_COUNT, N_ALL, N_ALL, NULL, NULL,
};

/* ---- transport.restart_ice ------------------------------------------------ */

typedef braid_cmd_transport_restart_ice_t restart_t;

enum { R_TRANSPORT, R_UFRAG, R_PWD, R_COUNT };

static const braid__proto_field_t restart_fields[R_COUNT] = {
    [R_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, restart_t, transport_id),
    [R_UFRAG] = BRAID__PROTO_FIELD("ufrag", STR, BRAID_ICE_CRED_MAX, restart_t, ufrag),
    [R_PWD] = BRAID__PROTO_FIELD("pwd", STR, BRAID_ICE_CRED_MAX, restart_t, pwd),
};

#define R_ALL (BRAID__PROTO_BIT(R_COUNT) - 1)

const braid__proto_map_t braid__proto_transport_restart_ice = {
    restart_fields, R_COUNT, R_ALL, R_ALL, NULL, NULL,
};

/* ---- transport.close ------------------------------------------------------ */

static const braid__proto_field_t close_fields[] = {
    BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, braid_cmd_transport_close_t, transport_id),
};

const braid__proto_map_t braid__proto_transport_close = {
    close_fields, 1, BRAID__PROTO_BIT(0), BRAID__PROTO_BIT(0), NULL, NULL,
};

/* ---- transport.create_plain ----------------------------------------------- */

typedef braid_cmd_transport_create_plain_t plain_t;

enum {
  P_ROUTER,
  P_TRANSPORT,
  P_RTCP_MUX,
  P_COMEDIA,
  P_SRTP,
  P_SCTP,
  P_SCTP_OS,
  P_SCTP_MIS,
  P_SCTP_MAX_MSG,
  P_PIPE,
  P_COUNT
};

static const braid__proto_field_t plain_fields[P_COUNT] = {
    [P_ROUTER] = BRAID__PROTO_FIELD("router", STR, BRAID_ID_MAX, plain_t, router_id),
    [P_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, plain_t, transport_id),
    [P_RTCP_MUX] = BRAID__PROTO_FIELD("rtcp_mux", BOOL, 0, plain_t, rtcp_mux),
    [P_COMEDIA] = BRAID__PROTO_FIELD("comedia", BOOL, 0, plain_t, comedia),
    [P_SRTP] = BRAID__PROTO_FIELD("srtp", BOOL, 0, plain_t, enable_srtp),
    [P_SCTP] = BRAID__PROTO_FIELD("sctp", BOOL, 0, plain_t, enable_sctp),
    [P_SCTP_OS] = BRAID__PROTO_RANGED("sctp_os", U64, 1, BRAID_SCTP_STREAMS_MAX, plain_t, sctp_os),
    [P_SCTP_MIS] =
        BRAID__PROTO_RANGED("sctp_mis", U64, 1, BRAID_SCTP_STREAMS_MAX, plain_t, sctp_mis),
    [P_SCTP_MAX_MSG] = BRAID__PROTO_FIELD("sctp_max_msg", U64, 0, plain_t, sctp_max_message_size),
    [P_PIPE] = BRAID__PROTO_FIELD("pipe", BOOL, 0, plain_t, pipe),
};

#define P(name)     BRAID__PROTO_BIT(P_##name)
#define P_ALL       (BRAID__PROTO_BIT(P_COUNT) - 1)
#define P_SCTP_KEYS (P(SCTP_OS) | P(SCTP_MIS) | P(SCTP_MAX_MSG))

/* The sctp_* keys as in create_webrtc: only when "sctp" is true. "pipe"
 * only when true, so that a PlainTransport's command is what it was before
 * pipes existed. */
static uint32_t plain_mask(const void *in) {
  const plain_t *c = in;
  uint32_t m = c->enable_sctp ? P_ALL : P_ALL & ~P_SCTP_KEYS;
  return c->pipe ? m : m & ~P(PIPE);
}

static int plain_check(void *out, uint32_t seen, const char **why) {
  plain_t *c = out;
  if (c->enable_sctp)
    return braid__proto_check_required(plain_fields, P_COUNT, P_SCTP_KEYS, seen, why);
  c->sctp_os = c->sctp_mis = c->sctp_max_message_size = 0; /* see create_check() */
  return 0;
}

const braid__proto_map_t braid__proto_transport_create_plain = {
    plain_fields, P_COUNT, P_ALL, P_ALL & ~(P_SCTP_KEYS | P(PIPE)), plain_mask, plain_check,
};

/* ---- transport.connect_plain ---------------------------------------------- */

typedef braid_cmd_transport_connect_plain_t connect_plain_t;

enum { Q_TRANSPORT, Q_IP, Q_PORT, Q_RTCP_PORT, Q_SUITE, Q_KEY, Q_LOCAL_KEY, Q_COUNT };

/* Whether the values make sense together (comedia and an ip, a suite the
 * node's SRTP does not know, a key that does not decode) is the node's to
 * say, with the transport at hand: here only types and limits. */
static const braid__proto_field_t connect_plain_fields[Q_COUNT] = {
    [Q_TRANSPORT] =
        BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, connect_plain_t, transport_id),
    [Q_IP] = BRAID__PROTO_FIELD("ip", STR, BRAID_IP_MAX, connect_plain_t, ip),
    [Q_PORT] = BRAID__PROTO_RANGED("port", U64, 0, 65535, connect_plain_t, port),
    [Q_RTCP_PORT] = BRAID__PROTO_RANGED("rtcp_port", U64, 0, 65535, connect_plain_t, rtcp_port),
    [Q_SUITE] =
        BRAID__PROTO_FIELD("srtp_suite", STR, BRAID_SRTP_SUITE_MAX, connect_plain_t, srtp_suite),
    [Q_KEY] = BRAID__PROTO_FIELD("srtp_key", STR, BRAID_SRTP_KEY_MAX, connect_plain_t, srtp_key),
    [Q_LOCAL_KEY] = BRAID__PROTO_FIELD("srtp_local_key", STR, BRAID_SRTP_KEY_MAX, connect_plain_t,
                                       srtp_local_key),
};

#define Q_ALL (BRAID__PROTO_BIT(Q_COUNT) - 1)

const braid__proto_map_t braid__proto_transport_connect_plain = {
    connect_plain_fields, Q_COUNT, Q_ALL, Q_ALL, NULL, NULL,
};
