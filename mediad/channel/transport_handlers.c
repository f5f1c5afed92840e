#include "mediad/channel/transport_handlers.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "mediad/rtc/plain_transport.h"
#include "mediad/rtc/router.h"
#include "mediad/rtc/transport.h"
#include "mediad/rtc/webrtc_server.h"
#include "mediad/rtc/webrtc_transport.h"
#include "proto/reply.h"

/* The transport of any kind (md->transports holds media halves). */
static braid_transport_t *find(braid_mediad_t *md, braid_str_t id) {
  return braid_map_get(md->transports, id.p, id.len);
}

static int error(uint64_t id, int code, const char *what, const char *why, braid_buf_t *out) {
  char reason[BRAID_REASON_MAX];
  snprintf(reason, sizeof reason, "%s: %s", what, why ? why : braid_strerror(code));
  return braid_reply_encode_error(id, code, reason, out);
}

/* ---- WebRtcTransport ---------------------------------------------------- */

/* The success reply: the port the client's ICE candidates must name. */
static int created(uint64_t id, const braid_webrtc_transport_t *t, braid_buf_t *out) {
  return braid_reply_encode_transport(id, (uint16_t)braid_webrtc_transport_port(t), out);
}

/* The server of a new transport: the daemon's single-port one (borrowed),
 * or in range mode one of its own on the first free port of the range. */
static int server_for(braid_mediad_t *md, braid_webrtc_server_t **server, bool *owned) {
  *owned = md->config->rtc_range;
  if (!*owned) {
    *server = md->server;
    return 0;
  }
  return braid_webrtc_server_new_in_range(server, md, md->config->ip, md->config->port_min,
                                          md->config->port_max);
}

int braid_transport_handlers_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  const braid_cmd_transport_create_t *c = &cmd->u.transport_create;
  braid_router_t *router = braid_router_find(md->routers, c->router_id);
  braid_transport_t *any = find(md, c->transport_id);
  braid_webrtc_transport_t *t;
  braid_webrtc_server_t *server;
  bool owned;
  if (router == NULL) return error(cmd->id, BRAID_ENOTFOUND, "transport.create_webrtc", "router not found", out);
  if (any != NULL) {
    /* Idempotent: the same transport of the same router again. */
    t = braid_webrtc_transport_of(any);
    if (t != NULL && strcmp(any->router_id, router->id) == 0) return created(cmd->id, t, out);
    return error(cmd->id, BRAID_EEXIST, "transport.create_webrtc", "transport id taken", out);
  }
  int rc = server_for(md, &server, &owned);
  if (rc != 0) {
    BRAID_LOGW("transport", "transport %.*s: cannot bind a port of %s: %s", (int)c->transport_id.len,
               c->transport_id.p, md->config->port_range, braid_strerror(rc));
    return error(cmd->id, rc, "transport.create_webrtc",
                 rc == BRAID_ELIMIT ? "no free port in range" : NULL, out);
  }
  braid_webrtc_transport_opts_t opts = {
      .id = c->transport_id, .router_id = c->router_id, .room_id = braid_str_c(router->room_id),
      .ufrag = c->ufrag, .pwd = c->pwd, .enable_udp = c->enable_udp, .enable_tcp = c->enable_tcp,
      .consent_timeout_s = (uint32_t)c->consent_timeout_s, .owns_server = owned,
      .enable_sctp = c->enable_sctp, .sctp_os = (uint16_t)c->sctp_os,
      .sctp_mis = (uint16_t)c->sctp_mis, .sctp_max_message_size = (size_t)c->sctp_max_message_size};
  rc = braid_webrtc_transport_new(&t, md, server, &opts);
  if (rc != 0) {
    if (owned) braid_webrtc_server_free(server);
    return error(cmd->id, rc, "transport.create_webrtc", NULL, out);
  }
  BRAID_LOGI("transport", "transport %s created on router %s, port %d", braid_webrtc_transport_id(t),
             router->id, braid_webrtc_transport_port(t));
  return created(cmd->id, t, out);
}

/* The WebRTC transport of a command, or an error reply in *rc. */
static braid_webrtc_transport_t *find_webrtc(braid_mediad_t *md, const braid_cmd_t *cmd,
                                             braid_str_t id, const char *what, braid_buf_t *out,
                                             int *rc) {
  braid_transport_t *any = find(md, id);
  braid_webrtc_transport_t *t = braid_webrtc_transport_of(any);
  if (any == NULL) *rc = error(cmd->id, BRAID_ENOTFOUND, what, "transport not found", out);
  else if (t == NULL)
    *rc = error(cmd->id, BRAID_EINVAL, what, "transport is not a WebRtcTransport", out);
  return t;
}

int braid_transport_handlers_connect(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  const braid_cmd_transport_connect_t *c = &cmd->u.transport_connect;
  const char *why = NULL;
  int rc = 0;
  braid_webrtc_transport_t *t = find_webrtc(md, cmd, c->transport_id, "connect", out, &rc);
  if (t == NULL) return rc;
  rc = braid_webrtc_transport_connect(t, c->remote_role, c->fp_algorithm, c->fp_value, &why);
  if (rc != 0) return error(cmd->id, rc, "connect", why, out);
  return braid_reply_encode_ok(cmd->id, out);
}

int braid_transport_handlers_restart_ice(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  const braid_cmd_transport_restart_ice_t *c = &cmd->u.transport_restart_ice;
  int rc = 0;
  braid_webrtc_transport_t *t = find_webrtc(md, cmd, c->transport_id, "restartIce", out, &rc);
  if (t == NULL) return rc;
  rc = braid_webrtc_transport_restart_ice(t, c->ufrag, c->pwd);
  if (rc != 0) return error(cmd->id, rc, "restartIce", NULL, out);
  return braid_reply_encode_ok(cmd->id, out);
}

/* ---- PlainTransport ----------------------------------------------------- */

static int plain_created(uint64_t id, const braid_plain_transport_t *t, braid_buf_t *out) {
  return braid_reply_encode_plain(id, (uint16_t)braid_plain_transport_port(t),
                                  (uint16_t)braid_plain_transport_rtcp_port(t), out);
}

int braid_transport_handlers_create_plain(braid_mediad_t *md, const braid_cmd_t *cmd,
                                          braid_buf_t *out) {
  static const char what[] = "transport.create_plain";
  const braid_cmd_transport_create_plain_t *c = &cmd->u.transport_create_plain;
  braid_router_t *router = braid_router_find(md->routers, c->router_id);
  braid_transport_t *any = find(md, c->transport_id);
  braid_plain_transport_t *t;
  if (router == NULL) return error(cmd->id, BRAID_ENOTFOUND, what, "router not found", out);
  if (any != NULL) {
    /* Idempotent, as create_webrtc: the same kind on the same router. */
    t = braid_plain_transport_of(any);
    if (t != NULL && strcmp(any->router_id, router->id) == 0 &&
        braid_plain_transport_pipe(t) == c->pipe)
      return plain_created(cmd->id, t, out);
    return error(cmd->id, BRAID_EEXIST, what, "transport id taken", out);
  }
  /* mediasoup's PipeTransport has no such options: say which is wrong. */
  if (c->pipe && !c->rtcp_mux)
    return error(cmd->id, BRAID_EINVAL, what, "a pipe transport needs rtcp_mux", out);
  if (c->pipe && c->comedia)
    return error(cmd->id, BRAID_EINVAL, what, "a pipe transport cannot be comedia", out);
  int rc = braid_plain_transport_new(&t, md, c, braid_str_c(router->room_id));
  if (rc != 0) {
    BRAID_LOGW("transport", "transport %.*s: cannot bind a plain transport on %s (range %s): %s",
               (int)c->transport_id.len, c->transport_id.p, md->config->ip,
               md->config->port_range ? md->config->port_range : "", braid_strerror(rc));
    return error(cmd->id, rc, what, rc == BRAID_ELIMIT ? "no free port in range" : NULL, out);
  }
  BRAID_LOGI("transport", "%s transport %s created on router %s, port %d, RTCP port %d%s%s%s",
             c->pipe ? "pipe" : "plain", braid_plain_transport_id(t), router->id,
             braid_plain_transport_port(t), braid_plain_transport_rtcp_port(t),
             c->comedia ? ", comedia" : "", c->enable_srtp ? ", SRTP" : "",
             c->enable_sctp ? ", SCTP" : "");
  return plain_created(cmd->id, t, out);
}

int braid_transport_handlers_connect_plain(braid_mediad_t *md, const braid_cmd_t *cmd,
                                           braid_buf_t *out) {
  const braid_cmd_transport_connect_plain_t *c = &cmd->u.transport_connect_plain;
  braid_transport_t *any = find(md, c->transport_id);
  braid_plain_transport_t *t = braid_plain_transport_of(any);
  const char *why = NULL;
  if (any == NULL) return error(cmd->id, BRAID_ENOTFOUND, "connect", "transport not found", out);
  if (t == NULL)
    return error(cmd->id, BRAID_EINVAL, "connect", "transport is not a PlainTransport", out);
  int rc = braid_plain_transport_connect(t, c, &why);
  if (rc != 0) return error(cmd->id, rc, "connect", why, out);
  return braid_reply_encode_ok(cmd->id, out);
}

/* ---- any kind ----------------------------------------------------------- */

int braid_transport_handlers_close(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out) {
  braid_transport_t *t = find(md, cmd->u.transport_close.transport_id);
  if (t != NULL) {
    BRAID_LOGI("transport", "transport %s (%s) closed", t->id, braid_transport_kind(t));
    braid_transport_close(t);
  }
  return braid_reply_encode_ok(cmd->id, out); /* idempotent */
}

void braid_transport_handlers_close_router(braid_mediad_t *md, const char *router_id) {
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, md->transports);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) {
    braid_transport_t *t = v;
    if (strcmp(t->router_id, router_id) == 0) braid_transport_close(t);
  }
}
