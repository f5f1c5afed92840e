/*
 * Every hard maximum of Braid, in one place (STYLE.md rule 19). A limit that
 * bounds memory an untrusted peer can make us hold belongs here.
 */
#ifndef BRAID_COMMON_LIMITS_H
#define BRAID_COMMON_LIMITS_H

/* Control plane (msgpack over Redis). */
#define BRAID_PROTO_MAX_MSG (256 * 1024)  /* one encoded command/reply/event */
#define BRAID_PROTO_MAX_DEPTH 16          /* nesting of maps/arrays inside a message */
#define BRAID_ID_MAX 64                   /* node, controller, router, transport ids */
#define BRAID_ROOM_ID_MAX 128             /* room ids come from clients */
#define BRAID_PEER_ID_MAX 128             /* peer ids come from clients */
#define BRAID_REASON_MAX 256              /* error reasons in replies */
#define BRAID_NODE_CMD_STREAM_MAXLEN 10000 /* XADD MAXLEN ~ for a node's command stream */
#define BRAID_EVENT_NAME_MAX 1024         /* a peer's display name in room events */
#define BRAID_EVENT_DEVICE_MAX 4096       /* a peer's device object (JSON text) in room events */
#define BRAID_EVENT_ADDR_MAX 64           /* a peer's remote address in room events */

/* Signaling (protoo over WebSocket). */
#define BRAID_WS_MAX_MESSAGE (960 * 1000) /* same as mediasoup-demo's server */
#define BRAID_WS_MAX_PENDING_OUT (4 * 1024 * 1024) /* queued outbound bytes per socket */
#define BRAID_JSON_MAX_DEPTH 32
#define BRAID_PROTOO_MAX_PENDING 256      /* server->client requests in flight per peer */
#define BRAID_HTTP_MAX_URI 2048

/* Timing. */
#define BRAID_NODE_TTL_MS 3000            /* node key TTL */
#define BRAID_NODE_HEARTBEAT_MS 1000      /* node key refresh */
#define BRAID_CMD_DEADLINE_MS 5000        /* default deadline of a command to a node */
#define BRAID_CTL_TTL_MS 10000            /* controller liveness key TTL */

#endif
