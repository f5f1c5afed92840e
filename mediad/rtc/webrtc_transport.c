#include "mediad/rtc/webrtc_transport.h"

#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/channel/events.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/ice_lite.h"
#include "mediad/rtc/stats_json.h"
#include "mediad/rtc/transport.h"
#include "mediad/rtc/webrtc_server.h"
#include "mediad/sec/dtls_transport.h"
#include "mediad/sec/srtp_session.h"
#include "mediad/wire/demux.h"

struct braid_webrtc_transport {
  braid_transport_t media;        /* first: producers, consumers, RTCP (transport.h) */
  braid_mediad_t *md;             /* borrowed */
  braid_webrtc_server_t *server;  /* borrowed, or owned when owns_server */
  bool owns_server;               /* per-transport port mode: freed at close */
  char id[BRAID_ID_MAX + 1];
  char router_id[BRAID_ID_MAX + 1];
  char room_id[BRAID_ROOM_ID_MAX + 1];
  char ufrag[BRAID_ID_MAX + 1];   /* current local ufrag (registered with the server) */
  braid_ice_lite_t *ice;          /* owned */
  braid_dtls_transport_t *dtls;   /* owned; made at connect() or by an early ClientHello */
  braid_srtp_session_t *srtp_in;  /* owned; once DTLS is connected */
  braid_srtp_session_t *srtp_out; /* owned */
  bool connect_called;
  braid_dtls_role_t dtls_role;
  char fp_alg[16];
  char fp_value[BRAID_DTLS_FINGERPRINT_TEXT_MAX];
  bool has_tuple; /* the selected tuple below is valid */
  braid_ice_tuple_t tuple;
  struct sockaddr_storage tuple_addr; /* the tuple's remote address (UDP sends) */
  socklen_t tuple_addrlen;
  bool tx_udp;    /* the last tx buffer handed out is a UDP slot (else tx_scratch) */
  uint8_t *tx_cur; /* the last tx buffer handed out, and its whole capacity */
  size_t tx_cap;
  uint8_t tx_scratch[BRAID_UDP_MAX_DATAGRAM + BRAID_SRTP_SESSION_TRAILER_MAX]; /* ICE-TCP sends */
  uv_timer_t timer; /* the next ICE or DTLS deadline */
  int in_callback;  /* depth of our own callbacks (STYLE.md rule 20) */
  bool close_pending; /* close() was called inside one of our callbacks: run it when they unwind */
  bool closing;       /* close() is running or done: ignore input, publish nothing */
  braid_webrtc_transport_stats_t stats;
};

static void arm_timer(braid_webrtc_transport_t *t);

/* Ends a stretch in which our parts may call us back (STYLE.md rule 20):
 * a close requested meanwhile happens now. Returns false when t is gone;
 * otherwise re-arms the timer for the parts' new deadlines. */
static bool leave_callbacks(braid_webrtc_transport_t *t) {
  t->in_callback--;
  if (t->close_pending && t->in_callback == 0) {
    t->close_pending = false;
    braid_webrtc_transport_close(t);
    return false;
  }
  arm_timer(t);
  return true;
}

/* ---- sending ---------------------------------------------------------- */

/* Sends a datagram to the selected tuple (dropped when there is none). */
static void send_raw(braid_webrtc_transport_t *t, const uint8_t *data, size_t len) {
  if (!t->has_tuple) {
    t->stats.rx_dropped++;
    return;
  }
  if (braid_webrtc_server_send(t->server, &t->tuple, data, len) == 0) {
    t->stats.tx_packets++;
    t->stats.tx_bytes += len;
  }
}

/* Tells the room's controllers (transport.state). */
static void publish_state(braid_webrtc_transport_t *t) {
  braid_event_t ev = {.type = BRAID_EV_TRANSPORT_STATE, .room_id = braid_str_c(t->room_id),
                      .transport_id = braid_str_c(t->id),
                      .ice_state = braid_str_c(braid_webrtc_transport_ice_state(t)),
                      .dtls_state = braid_str_c(braid_webrtc_transport_dtls_state(t))};
  braid_mediad_publish_event(t->md, &ev);
}

/* Media flows once ICE has a tuple and DTLS gave us SRTP keys. */
static void update_connected(braid_webrtc_transport_t *t) {
  braid_transport_set_connected(&t->media, t->has_tuple && t->srtp_out != NULL);
}

/* ---- the media half's way out (transport.h) --------------------------- */

static uint8_t *tx_buf(braid_transport_t *m, size_t *cap) {
  braid_webrtc_transport_t *t = (braid_webrtc_transport_t *)m;
  if (!t->has_tuple || t->srtp_out == NULL) return NULL;
  size_t c;
  uint8_t *buf;
  if (t->tuple.proto == BRAID_ICE_PROTO_TCP) {
    buf = t->tx_scratch;
    c = sizeof t->tx_scratch;
    t->tx_udp = false;
  } else {
    buf = braid_udp_socket_slot(braid_webrtc_server_udp(t->server), &c);
    if (buf == NULL) return NULL;
    t->tx_udp = true;
  }
  t->tx_cur = buf;
  t->tx_cap = c;
  *cap = c - BRAID_SRTP_SESSION_TRAILER_MAX;
  return buf;
}

/* Protects the packet built in the last tx_buf() and sends it. */
static int tx_protected(braid_webrtc_transport_t *t, size_t len, bool rtcp) {
  uint8_t *buf = t->tx_cur;
  size_t cap = t->tx_cap;
  t->tx_cur = NULL;
  if (buf == NULL) return BRAID_ESTATE;
  int rc = rtcp ? braid_srtp_session_protect_rtcp(t->srtp_out, buf, &len, cap)
                : braid_srtp_session_protect_rtp(t->srtp_out, buf, &len, cap);
  if (rc != 0) {
    t->stats.srtp_protect_failed++;
    return rc;
  }
  if (t->tx_udp) {
    braid_udp_socket_commit(braid_webrtc_server_udp(t->server), len,
                            (const struct sockaddr *)&t->tuple_addr, t->tuple_addrlen);
  } else if ((rc = braid_webrtc_server_send(t->server, &t->tuple, buf, len)) != 0) {
    return rc;
  }
  t->stats.tx_packets++;
  t->stats.tx_bytes += len;
  return 0;
}

static int tx_rtp(braid_transport_t *m, size_t len) {
  return tx_protected((braid_webrtc_transport_t *)m, len, false);
}

static int tx_rtcp(braid_transport_t *m, size_t len) {
  return tx_protected((braid_webrtc_transport_t *)m, len, true);
}

/* SCTP over DTLS (RFC 8261): one packet per application-data record. */
static void tx_sctp(braid_transport_t *m, const uint8_t *pkt, size_t len) {
  braid_webrtc_transport_t *t = (braid_webrtc_transport_t *)m;
  if (t->dtls == NULL || braid_dtls_transport_state(t->dtls) != BRAID_DTLS_STATE_CONNECTED) return;
  (void)braid_dtls_transport_send_app(t->dtls, pkt, len); /* SCTP retransmits what is lost */
}

/* ---- the daemon's calls on any kind (transport.h) ----------------------- */

static void kind_close(braid_transport_t *m) {
  braid_webrtc_transport_close((braid_webrtc_transport_t *)m);
}

static uint64_t kind_dropped(const braid_transport_t *m) {
  return braid_webrtc_transport_dropped((const braid_webrtc_transport_t *)m);
}

static ssize_t kind_stats_json(braid_transport_t *m, char *buf, size_t cap) {
  return braid_stats_json_webrtc_transport((braid_webrtc_transport_t *)m, buf, cap);
}

/* Only a server of its own (range mode) is the transport's to count: the
 * daemon's single-port server is counted once by the node. */
static void kind_add_net_stats(const braid_transport_t *m, braid_mediad_net_stats_t *sum) {
  const braid_webrtc_transport_t *t = (const braid_webrtc_transport_t *)m;
  if (t->owns_server) braid_webrtc_server_add_stats(t->server, sum);
}

static const braid_transport_ops_t media_ops = {
    .kind = "webrtc",
    .send_side_bwe = true,
    .tx_buf = tx_buf,
    .tx_rtp = tx_rtp,
    .tx_rtcp = tx_rtcp,
    .tx_sctp = tx_sctp,
    .close = kind_close,
    .dropped = kind_dropped,
    .stats_json = kind_stats_json,
    .add_net_stats = kind_add_net_stats,
};

/* ---- DTLS --------------------------------------------------------------- */

static braid_srtp_suite_t srtp_suite_of(braid_dtls_srtp_suite_t s) {
  switch (s) {
  case BRAID_DTLS_SRTP_AEAD_AES_256_GCM: return BRAID_SRTP_SUITE_AEAD_AES_256_GCM;
  case BRAID_DTLS_SRTP_AEAD_AES_128_GCM: return BRAID_SRTP_SUITE_AEAD_AES_128_GCM;
  case BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_80: return BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80;
  default: return BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32;
  }
}

static void on_dtls_send(braid_dtls_transport_t *d, const uint8_t *data, size_t len, void *ud) {
  (void)d;
  send_raw(ud, data, len);
}

static void start_srtp(braid_webrtc_transport_t *t) {
  const braid_dtls_srtp_keys_t *k = braid_dtls_transport_srtp_keys(t->dtls);
  braid_srtp_suite_t suite = srtp_suite_of(k->suite);
  int rc = braid_srtp_session_new(&t->srtp_in, suite, BRAID_SRTP_DIR_INBOUND, k->remote, k->key_len,
                                  k->remote + k->key_len, k->salt_len);
  if (rc == 0)
    rc = braid_srtp_session_new(&t->srtp_out, suite, BRAID_SRTP_DIR_OUTBOUND, k->local, k->key_len,
                                k->local + k->key_len, k->salt_len);
  if (rc != 0) {
    BRAID_LOGE("srtp", "transport %s: cannot create SRTP sessions: %s", t->id,
               braid_srtp_session_strerror(rc));
    return;
  }
  BRAID_LOGI("dtls", "transport %s: DTLS connected, SRTP %s", t->id, braid_srtp_session_suite_name(suite));
  update_connected(t);
  if (t->media.data != NULL) braid_data_transport_connect(t->media.data);
}

static void on_dtls_state(braid_dtls_transport_t *d, braid_dtls_state_t state, void *ud) {
  braid_webrtc_transport_t *t = ud;
  if (state == BRAID_DTLS_STATE_CONNECTED) start_srtp(t);
  else if (state == BRAID_DTLS_STATE_FAILED)
    BRAID_LOGW("dtls", "transport %s: DTLS failed: %s", t->id, braid_dtls_transport_reason(d));
  else if (state == BRAID_DTLS_STATE_CLOSED && !t->closing && !t->close_pending)
    BRAID_LOGI("dtls", "transport %s: DTLS closed by the peer", t->id);
  if (!t->closing && !t->close_pending) publish_state(t);
}

/* Each record is one SCTP packet; without SCTP, application data has no
 * business here. */
static void on_dtls_app_data(braid_dtls_transport_t *d, const uint8_t *data, size_t len, void *ud) {
  braid_webrtc_transport_t *t = ud;
  (void)d;
  if (t->media.data == NULL || t->closing || t->close_pending) {
    t->stats.rx_dropped++;
    return;
  }
  braid_data_transport_receive(t->media.data, data, len);
}

static const braid_dtls_transport_callbacks_t dtls_cbs = {on_dtls_send, on_dtls_state, on_dtls_app_data};

static int make_dtls(braid_webrtc_transport_t *t, braid_dtls_role_t role) {
  int rc = braid_dtls_transport_new(&t->dtls, t->md->cert, role, NULL, &dtls_cbs, t);
  if (rc != 0) return rc;
  t->dtls_role = role;
  rc = braid_dtls_transport_start(t->dtls, braid_clock_mono_ms());
  if (rc == 0 && t->fp_alg[0] != '\0')
    rc = braid_dtls_transport_set_remote_fingerprint(t->dtls, braid_str_c(t->fp_alg),
                                                     braid_str_c(t->fp_value), NULL);
  return rc;
}

/* ---- ICE ---------------------------------------------------------------- */

static int on_ice_state(braid_ice_lite_t *ice, braid_ice_state_t state, void *ud) {
  braid_webrtc_transport_t *t = ud;
  (void)ice;
  BRAID_LOGI("ice", "transport %s: ICE %s", t->id, braid_ice_lite_state_name(state));
  if (!t->closing && !t->close_pending) publish_state(t);
  if (state == BRAID_ICE_STATE_DISCONNECTED) {
    t->has_tuple = false;
    update_connected(t);
  }
  return 0;
}

static int on_ice_selected(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple, void *ud) {
  braid_webrtc_transport_t *t = ud;
  (void)ice;
  t->tuple = *tuple;
  t->tuple_addrlen = braid_webrtc_server_tuple_addr(tuple, &t->tuple_addr);
  t->has_tuple = true;
  update_connected(t);
  return 0;
}

static int on_ice_tuple_added(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple, void *ud) {
  braid_webrtc_transport_t *t = ud;
  (void)ice;
  braid_webrtc_server_add_tuple(t->server, tuple, t);
  return 0;
}

static int on_ice_tuple_removed(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple, void *ud) {
  braid_webrtc_transport_t *t = ud;
  (void)ice;
  braid_webrtc_server_remove_tuple(t->server, tuple, t);
  return 0;
}

static int on_ice_ufrag_retired(braid_ice_lite_t *ice, braid_str_t ufrag, void *ud) {
  braid_webrtc_transport_t *t = ud;
  (void)ice;
  braid_webrtc_server_remove_ufrag(t->server, ufrag);
  return 0;
}

/* ---- receiving ----------------------------------------------------------- */

static void receive_stun(braid_webrtc_transport_t *t, uint8_t *data, size_t len,
                         const braid_ice_tuple_t *tuple) {
  uint8_t resp[BRAID_ICE_LITE_REPLY_MAX];
  braid_ice_lite_reply_t reply = {.buf = resp, .cap = sizeof resp};
  braid_stun_msg_t msg;
  t->stats.rx_stun++;
  if (braid_stun_msg_parse(&msg, data, len, NULL) != 0) {
    t->stats.rx_dropped++;
    return;
  }
  braid_ice_lite_receive(t->ice, &msg, tuple, braid_clock_mono_ms(), &reply);
  if (reply.len > 0 && braid_webrtc_server_send(t->server, tuple, resp, reply.len) == 0) {
    t->stats.tx_packets++;
    t->stats.tx_bytes += reply.len;
  }
}

static void receive_dtls(braid_webrtc_transport_t *t, const uint8_t *data, size_t len) {
  t->stats.rx_dtls++;
  if (t->dtls == NULL) {
    /* A ClientHello can beat the connect request (the browser is the DTLS
     * client): we are the server then, whatever connect will say. */
    if (make_dtls(t, BRAID_DTLS_ROLE_SERVER) != 0) return;
  }
  braid_dtls_transport_receive(t->dtls, data, len, braid_clock_mono_ms());
}

static void receive_rtp(braid_webrtc_transport_t *t, uint8_t *data, size_t len) {
  if (t->srtp_in == NULL || braid_srtp_session_unprotect_rtp(t->srtp_in, data, &len) != 0) {
    t->stats.srtp_unprotect_failed++;
    return;
  }
  t->stats.rx_rtp++;
  braid_transport_receive_rtp(&t->media, data, len);
}

static void receive_rtcp(braid_webrtc_transport_t *t, uint8_t *data, size_t len) {
  if (t->srtp_in == NULL || braid_srtp_session_unprotect_rtcp(t->srtp_in, data, &len) != 0) {
    t->stats.srtp_unprotect_failed++;
    return;
  }
  t->stats.rx_rtcp++;
  braid_transport_receive_rtcp(&t->media, data, len);
}

void braid_webrtc_transport_receive(braid_webrtc_transport_t *t, uint8_t *data, size_t len,
                                    const braid_ice_tuple_t *tuple) {
  if (t->closing || t->close_pending) return;
  t->stats.rx_packets++;
  t->stats.rx_bytes += len;
  t->in_callback++;
  switch (braid_demux_classify(data, len)) {
  case BRAID_DEMUX_STUN: receive_stun(t, data, len, tuple); break;
  case BRAID_DEMUX_DTLS: receive_dtls(t, data, len); break;
  case BRAID_DEMUX_RTP: receive_rtp(t, data, len); break;
  case BRAID_DEMUX_RTCP: receive_rtcp(t, data, len); break;
  default: t->stats.rx_dropped++; break;
  }
  leave_callbacks(t);
}

/* ---- timers ------------------------------------------------------------- */

static void on_timer(uv_timer_t *h) {
  braid_webrtc_transport_t *t = h->data;
  int64_t now = braid_clock_mono_ms();
  t->in_callback++;
  braid_ice_lite_on_timeout(t->ice, now);
  if (t->dtls) braid_dtls_transport_on_timeout(t->dtls, now);
  if (braid_transport_next_timeout(&t->media) <= now) braid_transport_on_timeout(&t->media, now);
  leave_callbacks(t);
}

/* Sets the uv timer to the earliest of the parts' deadlines. */
static void arm_timer(braid_webrtc_transport_t *t) {
  int64_t next = braid_ice_lite_get_next_timeout(t->ice);
  if (t->dtls) {
    int64_t d = braid_dtls_transport_get_next_timeout(t->dtls);
    if (d >= 0 && (next < 0 || d < next)) next = d;
  }
  int64_t m = braid_transport_next_timeout(&t->media);
  if (next < 0 || m < next) next = m;
  if (next < 0) {
    uv_timer_stop(&t->timer);
    return;
  }
  int64_t now = braid_clock_mono_ms();
  /* At least 1 ms: libuv runs a timer re-armed with 0 from its own
   * callback again in the same pass, so a deadline that stays in the past
   * would spin forever. */
  uv_timer_start(&t->timer, on_timer, next > now ? (uint64_t)(next - now) : 1, 0);
}

/* ---- life ------------------------------------------------------------- */

static const braid_ice_lite_callbacks_t ice_cbs = {
    .on_state = on_ice_state,
    .on_selected_tuple = on_ice_selected,
    .on_tuple_added = on_ice_tuple_added,
    .on_tuple_removed = on_ice_tuple_removed,
    .on_ufrag_retired = on_ice_ufrag_retired,
};

int braid_webrtc_transport_new(braid_webrtc_transport_t **out, braid_mediad_t *md,
                               braid_webrtc_server_t *server,
                               const braid_webrtc_transport_opts_t *opts) {
  if (braid_map_get(md->transports, opts->id.p, opts->id.len) != NULL) return BRAID_EEXIST;
  braid_webrtc_transport_t *t = braid_xcalloc(1, sizeof *t);
  if (braid_transport_init(&t->media, md, &media_ops, opts->id, opts->router_id, opts->room_id) != 0) {
    braid_transport_cleanup(&t->media);
    braid_free(t);
    return BRAID_EINVAL;
  }
  t->md = md;
  t->server = server;
  t->owns_server = opts->owns_server; /* the failure paths below leave it to the caller */
  if (braid_str_copy(t->id, sizeof t->id, opts->id) != 0 ||
      braid_str_copy(t->router_id, sizeof t->router_id, opts->router_id) != 0 ||
      braid_str_copy(t->room_id, sizeof t->room_id, opts->room_id) != 0 ||
      braid_str_copy(t->ufrag, sizeof t->ufrag, opts->ufrag) != 0) {
    braid_transport_cleanup(&t->media);
    braid_free(t);
    return BRAID_EINVAL;
  }
  braid_ice_lite_opts_t io = {.ufrag = opts->ufrag, .pwd = opts->pwd,
                              .consent_timeout_s = opts->consent_timeout_s};
  int rc = braid_ice_lite_new(&t->ice, &io, &ice_cbs, t);
  if (rc != 0) {
    braid_transport_cleanup(&t->media);
    braid_free(t);
    return rc;
  }
  if (opts->enable_sctp)
    rc = braid_transport_enable_sctp(&t->media, opts->sctp_os, opts->sctp_mis,
                                     opts->sctp_max_message_size, true);
  if (rc == 0) rc = braid_webrtc_server_add_ufrag(server, opts->ufrag, t);
  if (rc != 0) {
    braid_ice_lite_free(t->ice);
    braid_transport_cleanup(&t->media);
    braid_free(t);
    return rc;
  }
  uv_timer_init(md->loop, &t->timer);
  t->timer.data = t;
  BRAID_ASSERT(braid_map_put(md->transports, t->id, strlen(t->id), &t->media) == 0);
  *out = t;
  return 0;
}

static void on_timer_closed(uv_handle_t *h) { braid_free(h->data); }

void braid_webrtc_transport_close(braid_webrtc_transport_t *t) {
  if (t == NULL || t->closing) return;
  if (t->in_callback > 0) { /* finished when the callback unwinds */
    t->close_pending = true;
    return;
  }
  t->closing = true;
  /* Sending close_notify can call us back (a failed ICE-TCP write drops the
   * tuple): count that as a callback, so it cannot start the close again. */
  t->in_callback++;
  if (t->dtls && braid_dtls_transport_state(t->dtls) == BRAID_DTLS_STATE_CONNECTED)
    braid_dtls_transport_shutdown(t->dtls); /* sends close_notify */
  t->in_callback--;
  t->md->stats.rx_dropped_closed += braid_webrtc_transport_dropped(t);
  braid_transport_cleanup(&t->media); /* closes its producers and consumers */
  braid_webrtc_server_remove_transport(t->server, t);
  braid_map_del(t->md->transports, t->id, strlen(t->id));
  braid_dtls_transport_free(t->dtls);
  braid_srtp_session_free(t->srtp_in);
  braid_srtp_session_free(t->srtp_out);
  braid_ice_lite_free(t->ice);
  if (t->owns_server) {
    /* Last: the close_notify above is committed on its socket, and the
     * free sends it. Safe when the close was deferred out of our own
     * receive path (webrtc_server.h). */
    braid_webrtc_server_add_stats(t->server, &t->md->stats.net_closed);
    braid_webrtc_server_free(t->server);
  }
  t->server = NULL;
  uv_timer_stop(&t->timer);
  uv_close((uv_handle_t *)&t->timer, on_timer_closed);
}

int braid_webrtc_transport_connect(braid_webrtc_transport_t *t, braid_str_t remote_role,
                                   braid_str_t fp_algorithm, braid_str_t fp_value,
                                   const char **why) {
  braid_dtls_role_t role;
  if (t->connect_called) {
    if (why) *why = "connect() already called";
    return BRAID_ESTATE;
  }
  if (braid_dtls_transport_role_from_remote(remote_role, &role) != 0) {
    if (why) *why = "invalid remote DTLS role";
    return BRAID_EINVAL;
  }
  if (braid_str_copy(t->fp_alg, sizeof t->fp_alg, fp_algorithm) != 0 ||
      braid_str_copy(t->fp_value, sizeof t->fp_value, fp_value) != 0) {
    if (why) *why = "invalid fingerprint";
    return BRAID_EINVAL;
  }
  t->connect_called = true;
  int rc;
  t->in_callback++;
  if (t->dtls == NULL) {
    rc = make_dtls(t, role);
  } else {
    /* An early ClientHello made us the server already. */
    rc = braid_dtls_transport_set_remote_fingerprint(t->dtls, fp_algorithm, fp_value, why);
  }
  if (!leave_callbacks(t)) return rc;
  if (rc != 0 && why && *why == NULL) *why = braid_strerror(rc);
  return rc;
}

int braid_webrtc_transport_restart_ice(braid_webrtc_transport_t *t, braid_str_t ufrag,
                                       braid_str_t pwd) {
  char old[BRAID_ID_MAX + 1];
  snprintf(old, sizeof old, "%s", t->ufrag);
  if (braid_str_copy(t->ufrag, sizeof t->ufrag, ufrag) != 0) return BRAID_EINVAL;
  int rc = braid_webrtc_server_add_ufrag(t->server, ufrag, t);
  if (rc != 0) {
    snprintf(t->ufrag, sizeof t->ufrag, "%s", old);
    return rc;
  }
  /* The old ufrag stays registered until ICE retires it (on_ufrag_retired). */
  rc = braid_ice_lite_restart(t->ice, ufrag, pwd, braid_clock_mono_ms());
  arm_timer(t);
  return rc;
}

void braid_webrtc_transport_tuple_gone(braid_webrtc_transport_t *t, const braid_ice_tuple_t *tuple) {
  t->in_callback++;
  braid_ice_lite_remove_tuple(t->ice, tuple, braid_clock_mono_ms());
  leave_callbacks(t);
}

braid_transport_t *braid_webrtc_transport_media(braid_webrtc_transport_t *t) { return &t->media; }

braid_webrtc_transport_t *braid_webrtc_transport_of(braid_transport_t *m) {
  return m != NULL && m->ops == &media_ops ? (braid_webrtc_transport_t *)m : NULL;
}

uint64_t braid_webrtc_transport_dropped(const braid_webrtc_transport_t *t) {
  const braid_ice_lite_stats_t *ice = braid_ice_lite_stats(t->ice);
  return t->stats.rx_dropped + t->stats.srtp_unprotect_failed + ice->bad_request +
         ice->unauthorized + ice->ignored + braid_transport_media_dropped(&t->media);
}

int braid_webrtc_transport_port(const braid_webrtc_transport_t *t) {
  return braid_webrtc_server_port(t->server);
}

bool braid_webrtc_transport_tuple(const braid_webrtc_transport_t *t, braid_ice_tuple_t *out) {
  if (!t->has_tuple) return false;
  *out = t->tuple;
  return true;
}

const char *braid_webrtc_transport_id(const braid_webrtc_transport_t *t) { return t->id; }
const char *braid_webrtc_transport_router_id(const braid_webrtc_transport_t *t) { return t->router_id; }
const char *braid_webrtc_transport_ice_state(const braid_webrtc_transport_t *t) {
  return braid_ice_lite_state_name(braid_ice_lite_state(t->ice));
}
const char *braid_webrtc_transport_dtls_state(const braid_webrtc_transport_t *t) {
  return t->dtls ? braid_dtls_transport_state_name(braid_dtls_transport_state(t->dtls)) : "new";
}
const braid_webrtc_transport_stats_t *braid_webrtc_transport_stats(const braid_webrtc_transport_t *t) {
  return &t->stats;
}
