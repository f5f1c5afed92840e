/*
 * The media daemon's per-loop context (STYLE.md rule 33): everything a
 * component needs is reached from here, nothing from globals.
 */
#ifndef BRAID_MEDIAD_MEDIAD_H
#define BRAID_MEDIAD_MEDIAD_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "common/limits.h"
#include "common/redis.h"

typedef struct braid_mediad_config {
  const char *redis_url;    /* borrowed: argv/environ */
  const char *ip;           /* bind address for media sockets */
  const char *announced_ip; /* address given to clients; defaults to ip */
  long rtc_port;            /* single-port mode UDP/TCP port (0: ephemeral) */
  const char *port_range;   /* "A-B": per-transport ports, when used */
  const char *rtc_mode;     /* "single" (one port for all WebRTC transports) or "range" */
  /* Derived by main.c from the strings above. */
  bool rtc_range;           /* rtc_mode is "range": each WebRTC transport binds its own
                             * port, the first free one of port_min..port_max */
  int port_min, port_max;   /* port_range; 0 when it is empty */
  const char *prefix;       /* Redis key prefix, e.g. "braid:" */
  const char *log_level;
  long max_consumers; /* --max-consumers (0: no limit; pipe consumers not counted) */
} braid_mediad_config_t;

/* Counters of WebRTC servers (webrtc_server.h), summed over the daemon's
 * single-port server or the transports' own ones (node hash udp_rx,
 * udp_tx, udp_tx_dropped, tcp_accepted; rx_dropped joins the node's). */
typedef struct braid_mediad_net_stats {
  uint64_t udp_rx, udp_tx, udp_tx_dropped, tcp_accepted;
  uint64_t rx_dropped; /* datagrams no transport of the server took */
} braid_mediad_net_stats_t;

/* Counters published in the node hash. */
typedef struct braid_mediad_stats {
  uint64_t cmd_ok;      /* commands executed (success or error reply) */
  uint64_t cmd_bad;     /* malformed commands dropped */
  uint64_t cmd_expired; /* commands dropped because their deadline passed */
  uint64_t rx_dropped_closed; /* packets dropped by transports since closed */
  braid_mediad_net_stats_t net_closed; /* of transports' own servers since closed (range mode) */
} braid_mediad_stats_t;

typedef struct braid_router_registry braid_router_registry_t;
typedef struct braid_dtls_cert braid_dtls_cert_t;
typedef struct braid_webrtc_server braid_webrtc_server_t;
typedef struct braid_map braid_map_t;
typedef struct braid_node braid_node_t;
typedef struct braid_cmd_reader braid_cmd_reader_t;

typedef struct braid_mediad {
  uv_loop_t *loop;                      /* borrowed */
  const braid_mediad_config_t *config;  /* borrowed */
  braid_redis_url_t redis_url;
  char node_id[BRAID_ID_MAX + 1];       /* new at every start */
  int64_t started_ms;
  braid_redis_t *redis;                 /* owned: commands, heartbeats, replies */
  braid_redis_t *redis_block;           /* owned: blocking XREAD only */
  braid_router_registry_t *routers;     /* owned */
  braid_map_t *transports;              /* transport id -> braid_transport_t (any kind; owned
                                         * by its kind, see rtc/transport.h) */
  braid_map_t *producers;               /* producer id -> producer (owned by its transport) */
  braid_map_t *consumers;               /* consumer id -> consumer (owned by its transport) */
  size_t pipe_consumers;                /* how many of them are pipe consumers */
  braid_map_t *data_producers;          /* id -> data producer (owned by its transport) */
  braid_map_t *data_consumers;          /* id -> data consumer (owned by its transport) */
  uv_timer_t sctp_timer;                /* usrsctp's clock while associations exist
                                         * (rtc/data_transport.h) */
  bool sctp_timer_ready;                /* sctp_timer is initialised */
  int64_t sctp_idle_since_ms;           /* when the last association went (0: some exist) */
  braid_dtls_cert_t *cert;              /* owned: the node's DTLS identity */
  char fingerprints_json[1024];         /* the cert's fingerprints as mediasoup's JSON array */
  braid_webrtc_server_t *server;        /* owned: the single-port server; NULL in range
                                         * mode, where each transport owns its own */
  braid_node_t *node;                   /* owned */
  braid_cmd_reader_t *cmd_reader;       /* owned */
  braid_mediad_stats_t stats;
  bool shutting_down;
} braid_mediad_t;

#endif
