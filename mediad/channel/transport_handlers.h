/* Command handlers for transports (proto/transport.h): WebRTC and plain
 * ones, and what applies to every kind (close). A command meant for one
 * kind on a transport of another is refused with BRAID_EINVAL
 * ("transport is not a WebRtcTransport" / "... a PlainTransport"). */
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

/* transport.create_plain: binds the transport's port(s) (plain_transport.h:
 * the first free of --port-range, "no free port in range" BRAID_ELIMIT when
 * there is none; else any). Replies {"port", "rtcp_port"}, also to a
 * repeated create (of the same kind: a plain transport's id given again with
 * "pipe", or the reverse, is "transport id taken"). With "pipe": a
 * PipeTransport; BRAID_EINVAL "a pipe transport needs rtcp_mux" / "a pipe
 * transport cannot be comedia". */
int braid_transport_handlers_create_plain(braid_mediad_t *md, const braid_cmd_t *cmd,
                                          braid_buf_t *out);
/* transport.connect_plain, of a plain or a pipe transport:
 * braid_plain_transport_connect()'s rules, its reason in the error reply
 * ("connect: missing rtcpPort"). */
int braid_transport_handlers_connect_plain(braid_mediad_t *md, const braid_cmd_t *cmd,
                                           braid_buf_t *out);

/* transport.close, of any kind (idempotent). */
int braid_transport_handlers_close(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);

/* Closes every transport of a router (the router is closing). */
void braid_transport_handlers_close_router(braid_mediad_t *md, const char *router_id);

#endif
