/*
 * The controller's per-loop context (STYLE.md rule 33). A controller keeps
 * no room state of its own beyond its open sockets: rooms, peers and routers
 * live in Redis (ARCHITECTURE.md §1).
 */
#ifndef BRAID_CONTROLLER_CTL_H
#define BRAID_CONTROLLER_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "common/limits.h"
#include "common/redis.h"

typedef enum braid_dialect {
  BRAID_DIALECT_CURRENT = 0, /* mediasoup-demo, October 2025 on (§2.7) */
  BRAID_DIALECT_LEGACY = 1,  /* mediasoup-demo before October 2025 (§2.2-2.5) */
} braid_dialect_t;

typedef struct braid_ctl_config {
  const char *redis_url;    /* borrowed: argv/environ */
  const char *listen;       /* HOST:PORT */
  const char *id;           /* controller id; random when NULL */
  const char *prefix;       /* Redis key prefix */
  const char *dialect;      /* "current" or "legacy" */
  const char *media_codecs; /* JSON file, or NULL for the demo's list */
  const char *www;          /* demo page directory, "" to serve none */
  const char *log_level;
  long request_timeout_ms;  /* deadline of commands to media nodes */
  long sctp_max_message_size; /* SCTP maxMessageSize of every transport with SCTP */
  long pipe_fanout;         /* pipes of one producer out of one node (room/pipes.h) */
  bool pipe_srtp;           /* pipes between nodes protected (AEAD_AES_256_GCM) */
} braid_ctl_config_t;

/* --sctp-max-message-size: mediasoup's default and the bounds we take. */
#define BRAID_SCTP_MAX_MESSAGE_DEFAULT 262144
#define BRAID_SCTP_MAX_MESSAGE_MIN     1024
#define BRAID_SCTP_MAX_MESSAGE_MAX     16777216

typedef struct braid_ws_server braid_ws_server_t;
typedef struct braid_rpc braid_rpc_t;
typedef struct braid_rooms braid_rooms_t;
typedef struct braid_node_watch braid_node_watch_t;

typedef struct braid_ctl {
  uv_loop_t *loop;                   /* borrowed */
  const braid_ctl_config_t *config;  /* borrowed */
  char id[BRAID_ID_MAX + 1];
  braid_dialect_t default_dialect;
  braid_redis_url_t redis_url;
  braid_redis_t *redis;              /* owned: commands and scripts */
  braid_redis_t *redis_sub;          /* owned: SUBSCRIBE only */
  braid_ws_server_t *ws;             /* owned */
  braid_rpc_t *rpc;                  /* owned */
  braid_rooms_t *rooms;              /* owned: this controller's open peers */
  braid_node_watch_t *node_watch;    /* owned: media node deaths */
  json_t *router_caps;               /* owned: router RTP capabilities (same for every router) */
  uv_timer_t heartbeat;
  int64_t started_ms;
  bool shutting_down;
} braid_ctl_t;

/* Builds "<prefix><a><b>..." into buf (size bytes); returns buf. */
const char *braid_ctl_key(const braid_ctl_t *ctl, char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
