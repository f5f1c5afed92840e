/* Command handlers for WebRTC transports (proto/transport.h). */
#ifndef BRAID_MEDIAD_CHANNEL_TRANSPORT_HANDLERS_H
#define BRAID_MEDIAD_CHANNEL_TRANSPORT_HANDLERS_H

#include "common/buf.h"
#include "mediad/mediad.h"
#include "proto/cmd.h"

/* transport.create_webrtc: on the daemon's single-port server, or in range
 * mode (md->config->rtc_range) on a server of the transport's own, bound to
 * the first free port of the range ("no free port in range", BRAID_ELIMIT,
 * when there is none). Replies {"port": N}, the transport's port, also to
 * a repeated create. */
int braid_transport_handlers_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
int braid_transport_handlers_connect(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
int braid_transport_handlers_restart_ice(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
int braid_transport_handlers_close(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);

/* Closes every transport of a router (the router is closing). */
void braid_transport_handlers_close_router(braid_mediad_t *md, const char *router_id);

#endif
