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
