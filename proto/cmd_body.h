/*
 * Internal to proto/: the tables of the command bodies that live in their
 * entity's file (STYLE.md rule 4), for cmd.c's dispatch. Each is the
 * braid__proto_map_t of one body struct of transport.h, producer.h,
 * consumer.h or data.h, its offsets relative to that struct (braid_cmd_t.u).
 */
#ifndef BRAID_PROTO_CMD_BODY_H
#define BRAID_PROTO_CMD_BODY_H

#include "proto/codec.h"

/* transport.c */
extern const braid__proto_map_t braid__proto_transport_create;      /* _create_t */
extern const braid__proto_map_t braid__proto_transport_connect;     /* _connect_t */
extern const braid__proto_map_t braid__proto_transport_restart_ice; /* _restart_ice_t */
extern const braid__proto_map_t braid__proto_transport_close;       /* _close_t */
extern const braid__proto_map_t braid__proto_transport_create_plain;  /* _create_plain_t */
extern const braid__proto_map_t braid__proto_transport_connect_plain; /* _connect_plain_t */

/* producer.c */
extern const braid__proto_map_t braid__proto_producer_create; /* braid_cmd_producer_create_t */
extern const braid__proto_map_t braid__proto_producer_ref;    /* braid_cmd_producer_ref_t */

/* consumer.c */
extern const braid__proto_map_t braid__proto_consumer_create; /* braid_cmd_consumer_create_t */
extern const braid__proto_map_t braid__proto_consumer_ref;    /* braid_cmd_consumer_ref_t */
extern const braid__proto_map_t braid__proto_consumer_layers; /* braid_cmd_consumer_layers_t */
extern const braid__proto_map_t braid__proto_consumer_priority; /* braid_cmd_consumer_priority_t */

/* data.c */
extern const braid__proto_map_t braid__proto_data_producer_create; /* _data_producer_create_t */
extern const braid__proto_map_t braid__proto_data_producer_ref;    /* _data_producer_ref_t */
extern const braid__proto_map_t braid__proto_data_consumer_create; /* _data_consumer_create_t */
extern const braid__proto_map_t braid__proto_data_consumer_ref;    /* _data_consumer_ref_t */

/* ext_ids.c: the "ext" map of braid_rtp_ext_ids_t, with every id (what a
 * producer's client sends) and with the ids a consumer writes. */
extern const braid__proto_map_t braid__proto_ext_ids_producer;
extern const braid__proto_map_t braid__proto_ext_ids_consumer;

#endif
