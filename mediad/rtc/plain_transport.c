#include "mediad/rtc/plain_transport.h"

#include <arpa/inet.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/net/udp_socket.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/plain_connect.h"
#include "mediad/rtc/stats_json.h"
#include "mediad/rtc/transport.h"
#include "mediad/sctp/sctp_packet.h"
#include "mediad/sec/srtp_session.h"
#include "mediad/wire/demux.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtp_packet.h"

/* A remote address packets come from and go to. */
typedef struct tuple {
  bool set;
  struct sockaddr_storage addr;
  socklen_t len;
} tuple_t;

struct braid_plain_transport {
  braid_transport_t media;        /* first: producers, consumers, RTCP (transport.h) */
  braid_mediad_t *md;             /* borrowed */
  braid_udp_socket_t *rtp_sock;   /* owned: RTP, and RTCP with rtcp_mux */
  braid_udp_socket_t *rtcp_sock;  /* owned; NULL with rtcp_mux */
  int family;                     /* of the sockets: AF_INET or AF_INET6 */
  bool rtcp_mux, comedia;         /* as created */
  bool enable_srtp, enable_sctp;  /* as created */
  bool pipe;                      /* a PipeTransport (kind "pipe") */
  bool connect_called;            /* a connect() succeeded */
  tuple_t tuple;                  /* the remote RTP (and muxed RTCP) address */
  tuple_t rtcp_tuple;             /* the remote RTCP address, without rtcp_mux */
  braid_srtp_session_t *srtp_in;  /* owned; after connect, with SRTP */
  braid_srtp_session_t *srtp_out; /* owned */
  uint8_t *tx_cur;                /* the RTP socket's slot last handed out (borrowed) */
  size_t tx_cap;                  /* and its size */
  uv_timer_t timer;               /* the media half's next deadline */
  uint64_t rate_rx_bytes, rate_tx_bytes; /* at the last braid_plain_transport_rates() */
  int64_t rate_ms;
  int in_callback;                /* depth of our own callbacks (STYLE.md rule 20) */
  bool close_pending;             /* close() was called inside one of them */
  bool closing;                   /* close() is running or done: ignore input */
  braid_plain_transport_stats_t stats;
};

static void arm_timer(braid_plain_transport_t *t);

/* Ends a stretch in which the media half may call back into us: a close
 * requested meanwhile happens now. Returns false when t is gone. */
static bool leave_callbacks(braid_plain_transport_t *t) {
  t->in_callback--;
  if (t->close_pending && t->in_callback == 0) {
    t->close_pending = false;
    braid_plain_transport_close(t);
    return false;
  }
  arm_timer(t);
  return true;
}

/* Media flows once there is somewhere to send it and, with SRTP, keys. */
static void update_connected(braid_plain_transport_t *t) {
  bool up = t->tuple.set && (!t->enable_srtp || t->srtp_out != NULL);
  braid_transport_set_connected(&t->media, up);
  /* SCTP (never under SRTP, as mediasoup) needs only the remote. */
  if (t->tuple.set && t->media.data != NULL) braid_data_transport_connect(t->media.data);
}

static void learn(braid_plain_transport_t *t, tuple_t *tu, const struct sockaddr *from,
                  socklen_t fromlen, const char *what) {
  char ip[INET6_ADDRSTRLEN] = "?";
  bool v6 = from->sa_family == AF_INET6;
  const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)from;
  const struct sockaddr_in *a4 = (const struct sockaddr_in *)from;
  memcpy(&tu->addr, from, fromlen);
  tu->len = fromlen;
  tu->set = true;
  inet_ntop(from->sa_family, v6 ? (const void *)&a6->sin6_addr : (const void *)&a4->sin_addr, ip,
            sizeof ip);
  /* Once per tuple, not per packet. */
  BRAID_LOGI("transport", "transport %s: comedia %s tuple %s:%u", t->media.id, what, ip,
             ntohs(v6 ? a6->sin6_port : a4->sin_port));
  update_connected(t);
}

/* ---- sending (the media half's way out, transport.h) ------------------ */

static uint8_t *tx_buf(braid_transport_t *m, size_t *cap) {
  braid_plain_transport_t *t = (braid_plain_transport_t *)m;
  size_t c;
  if (!t->media.connected) return NULL;
  uint8_t *buf = braid_udp_socket_slot(t->rtp_sock, &c);
  if (buf == NULL) return NULL;
  t->tx_cur = buf;
  t->tx_cap = c;
  *cap = c - BRAID_SRTP_SESSION_TRAILER_MAX;
  return buf;
}

/* Protects (with SRTP) the packet built in the last tx_buf() and sends it
 * to its tuple. */
static int tx_send(braid_plain_transport_t *t, size_t len, bool rtcp) {
  uint8_t *buf = t->tx_cur;
  size_t cap = t->tx_cap;
  const tuple_t *to = &t->tuple;
  braid_udp_socket_t *sock = t->rtp_sock;
  int rc = 0;
  t->tx_cur = NULL;
  if (buf == NULL) return BRAID_ESTATE;
  if (rtcp && !t->rtcp_mux) {
    /* mediasoup: no RTCP tuple (yet), no RTCP. Checked before protecting,
     * which would spend an SRTCP index. */
    if (!t->rtcp_tuple.set) return BRAID_ESTATE;
    to = &t->rtcp_tuple;
    sock = t->rtcp_sock;
  }
  if (t->srtp_out != NULL) {
    rc = rtcp ? braid_srtp_session_protect_rtcp(t->srtp_out, buf, &len, cap)
              : braid_srtp_session_protect_rtp(t->srtp_out, buf, &len, cap);
    if (rc != 0) {
      t->stats.srtp_protect_failed++;
      return rc;
    }
  }
  if (sock == t->rtp_sock) {
    braid_udp_socket_commit(sock, len, (const struct sockaddr *)&to->addr, to->len);
  } else {
    /* The slot is the RTP socket's (tx_buf() cannot know what will be
     * built in it): RTCP without rtcp-mux, a few packets a second, is
     * copied into the RTCP socket's ring. The RTP slot was not committed
     * and is simply reused. */
    rc = braid_udp_socket_send(sock, buf, len, (const struct sockaddr *)&to->addr, to->len);
    if (rc != 0) return rc;
  }
  t->stats.tx_packets++;
  if (!rtcp) t->stats.tx_rtp++;
  t->stats.tx_bytes += len;
  return 0;
}

static int tx_rtp(braid_transport_t *m, size_t len) {
  return tx_send((braid_plain_transport_t *)m, len, false);
}

static int tx_rtcp(braid_transport_t *m, size_t len) {
  return tx_send((braid_plain_transport_t *)m, len, true);
}

/* SCTP over UDP: one packet per datagram, to the RTP tuple. */
static void tx_sctp(braid_transport_t *m, const uint8_t *pkt, size_t len) {
  braid_plain_transport_t *t = (braid_plain_transport_t *)m;
  if (!t->tuple.set || braid_udp_socket_send(t->rtp_sock, pkt, len,
                                             (const struct sockaddr *)&t->tuple.addr,
                                             t->tuple.len) != 0)
    return;
  t->stats.tx_packets++;
  t->stats.tx_bytes += len;
}

/* ---- receiving ---------------------------------------------------------- */

/* Checks a packet's source against tu before any SRTP work: a packet from
 * elsewhere must not touch the replay window of a stream. Returns false
 * (counted) when it is to be dropped; *learn_it when comedia still has to
 * learn the tuple from it, once it proved valid. */
static bool check_source(braid_plain_transport_t *t, const tuple_t *tu, const struct sockaddr *from,
                         bool *learn_it) {
  *learn_it = false;
  if (tu->set) {
    if (braid_plain_connect_same_addr(from, &tu->addr)) return true;
    t->stats.rx_unknown_source++;
    return false;
  }
  if (!t->comedia) {
    t->stats.rx_not_connected++;
    return false;
  }
  *learn_it = true;
  return true;
}

/* With SRTP on, unprotects in place; false (counted) when the packet is to
 * be dropped (no keys yet, or it does not authenticate). */
static bool unprotect(braid_plain_transport_t *t, uint8_t *data, size_t *len, bool rtcp) {
  if (!t->enable_srtp) return true;
  if (t->srtp_in == NULL) {
    t->stats.rx_not_connected++;
    return false;
  }
  int rc = rtcp ? braid_srtp_session_unprotect_rtcp(t->srtp_in, data, len)
                : braid_srtp_session_unprotect_rtp(t->srtp_in, data, len);
  if (rc != 0) {
    t->stats.srtp_unprotect_failed++;
    return false;
  }
  return true;
}

static void receive_rtp(braid_plain_transport_t *t, bool rtcp_socket, uint8_t *data, size_t len,
                        const struct sockaddr *from, socklen_t fromlen) {
  bool learn_it;
  braid_rtp_packet_t pkt;
  if (rtcp_socket) { /* RTP belongs on the RTP port */
    t->stats.rx_dropped++;
    return;
  }
  if (!check_source(t, &t->tuple, from, &learn_it) || !unprotect(t, data, &len, false)) return;
  if (learn_it) {
    /* Only a packet that parses may name the remote (mediasoup's rule). */
    if (braid_rtp_packet_parse(&pkt, data, len) != 0) {
      t->media.stats.rtp_malformed++;
      return;
    }
    learn(t, &t->tuple, from, fromlen, "RTP");
  }
  t->stats.rx_rtp++;
  braid_transport_receive_rtp(&t->media, data, len);
}

static bool rtcp_parses(const uint8_t *data, size_t len) {
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t p;
  braid_rtcp_compound_init(&it, data, len, BRAID_RTCP_COMPOUND_PAD_ANY);
  return braid_rtcp_compound_next(&it, &p) == 1;
}

static void receive_rtcp(braid_plain_transport_t *t, bool rtcp_socket, uint8_t *data, size_t len,
                         const struct sockaddr *from, socklen_t fromlen) {
  bool learn_it;
  /* With rtcp-mux, RTCP shares the RTP tuple; without, it has its own
   * port and tuple. */
  tuple_t *tu = t->rtcp_mux ? &t->tuple : &t->rtcp_tuple;
  if (rtcp_socket == t->rtcp_mux) { /* the other socket */
    t->stats.rx_dropped++;
    return;
  }
  if (!check_source(t, tu, from, &learn_it) || !unprotect(t, data, &len, true)) return;
  if (learn_it) {
    if (!rtcp_parses(data, len)) {
      t->media.stats.rtcp_malformed++;
      return;
    }
    learn(t, tu, from, fromlen, t->rtcp_mux ? "RTP/RTCP" : "RTCP");
  }
  t->stats.rx_rtcp++;
  braid_transport_receive_rtcp(&t->media, data, len);
}

/* SCTP over UDP, on the RTP socket only. With comedia, a packet that
 * passes the SCTP checks may name the remote, as RTP does. */
static void receive_sctp(braid_plain_transport_t *t, bool rtcp_socket, const uint8_t *data,
                         size_t len, const struct sockaddr *from, socklen_t fromlen) {
  bool learn_it;
  braid_sctp_packet_t pkt;
  if (rtcp_socket) {
    t->stats.rx_dropped++;
    return;
  }
  if (!check_source(t, &t->tuple, from, &learn_it)) return;
  if (learn_it) {
    if (braid_sctp_packet_parse(&pkt, data, len, NULL) != 0 ||
        !braid_sctp_packet_check_crc(data, len)) {
      t->stats.rx_dropped++;
      return;
    }
    learn(t, &t->tuple, from, fromlen, "SCTP"); /* starts the association */
  }
  t->stats.rx_sctp++;
  braid_data_transport_receive(t->media.data, data, len);
}

static void on_datagram(braid_udp_socket_t *s, uint8_t *data, size_t len,
                        const struct sockaddr *from, socklen_t fromlen, void *ud) {
  braid_plain_transport_t *t = ud;
  if (t->closing || t->close_pending) return;
  bool rtcp_socket = s == t->rtcp_sock;
  t->stats.rx_packets++;
  t->stats.rx_bytes += len;
  t->in_callback++;
  if (t->media.data != NULL && braid_data_transport_is_sctp(data, len)) {
    receive_sctp(t, rtcp_socket, data, len, from, fromlen);
    leave_callbacks(t);
    return;
  }
  switch (braid_demux_classify(data, len)) {
  case BRAID_DEMUX_RTP: receive_rtp(t, rtcp_socket, data, len, from, fromlen); break;
  case BRAID_DEMUX_RTCP: receive_rtcp(t, rtcp_socket, data, len, from, fromlen); break;
  default:
    /* STUN and DTLS have no business here, nor SCTP without enableSctp. */
    t->stats.rx_dropped++;
    break;
  }
  leave_callbacks(t);
}

static const braid_udp_callbacks_t udp_cbs = {on_datagram};

/* ---- timers ------------------------------------------------------------- */

static void on_timer(uv_timer_t *h) {
  braid_plain_transport_t *t = h->data;
  int64_t now = braid_clock_mono_ms();
  t->in_callback++;
  if (braid_transport_next_timeout(&t->media) <= now) braid_transport_on_timeout(&t->media, now);
  leave_callbacks(t);
}

/* Sets the uv timer to the media half's next deadline (periodic RTCP is
 * never more than BRAID_TRANSPORT_RTCP_INTERVAL_MS away). */
static void arm_timer(braid_plain_transport_t *t) {
  int64_t next = braid_transport_next_timeout(&t->media);
  int64_t now = braid_clock_mono_ms();
  /* At least 1 ms (webrtc_transport.c arm_timer says why). */
  uv_timer_start(&t->timer, on_timer, next > now ? (uint64_t)(next - now) : 1, 0);
}

/* ---- the daemon's calls on any kind (transport.h) ----------------------- */

static void kind_close(braid_transport_t *m) {
  braid_plain_transport_close((braid_plain_transport_t *)m);
}

static uint64_t kind_dropped(const braid_transport_t *m) {
  return braid_plain_transport_dropped((const braid_plain_transport_t *)m);
}

static ssize_t kind_stats_json(braid_transport_t *m, char *buf, size_t cap) {
  return braid_stats_json_plain_transport((braid_plain_transport_t *)m, buf, cap);
}

static void kind_add_net_stats(const braid_transport_t *m, braid_mediad_net_stats_t *sum) {
  braid_plain_transport_add_net_stats((const braid_plain_transport_t *)m, sum);
}

/* A PipeTransport is a plain transport under another name (stats_json.c
 * tells the two apart with braid_plain_transport_pipe()). */
#define PLAIN_OPS(name)                                                                            \
  {                                                                                                \
    .kind = name, .tx_buf = tx_buf, .tx_rtp = tx_rtp, .tx_rtcp = tx_rtcp, .tx_sctp = tx_sctp,      \
    .close = kind_close, .dropped = kind_dropped, .stats_json = kind_stats_json,                   \
    .add_net_stats = kind_add_net_stats,                                                           \
  }
static const braid_transport_ops_t media_ops = PLAIN_OPS("plain");
static const braid_transport_ops_t pipe_ops = PLAIN_OPS("pipe");

/* ---- life --------------------------------------------------------------- */

/* One socket on the daemon's ip: the first free port of --port-range, or
 * any port. A plain transport talks to one remote: a small transmit ring
 * (udp_socket.h) keeps it at ~110 KB a socket instead of ~500 KB. */
static int bind_one(braid_plain_transport_t *t, braid_udp_socket_t **s) {
  const braid_mediad_config_t *cfg = t->md->config;
  if (cfg->port_min > 0)
    return braid_udp_socket_new_in_range(s, t->md->loop, cfg->ip, cfg->port_min, cfg->port_max,
                                         BRAID_UDP_TX_RING_SMALL, &udp_cbs, t);
  return braid_udp_socket_new_sized(s, t->md->loop, cfg->ip, 0, BRAID_UDP_TX_RING_SMALL, &udp_cbs,
                                    t);
}

static int bind_sockets(braid_plain_transport_t *t) {
  struct in6_addr a6;
  t->family = inet_pton(AF_INET6, t->md->config->ip, &a6) == 1 ? AF_INET6 : AF_INET;
  int rc = bind_one(t, &t->rtp_sock);
  if (rc == 0 && !t->rtcp_mux) {
    rc = bind_one(t, &t->rtcp_sock);
    if (rc != 0) {
      braid_udp_socket_close(t->rtp_sock);
      t->rtp_sock = NULL;
    }
  }
  return rc;
}

int braid_plain_transport_new(braid_plain_transport_t **out, braid_mediad_t *md,
                              const braid_cmd_transport_create_plain_t *c, braid_str_t room_id) {
  if (braid_map_get(md->transports, c->transport_id.p, c->transport_id.len) != NULL)
    return BRAID_EEXIST;
  /* mediasoup's PipeTransport: RTP and RTCP muxed, the remote given. */
  if (c->pipe && (!c->rtcp_mux || c->comedia)) return BRAID_EINVAL;
  braid_plain_transport_t *t = braid_xcalloc(1, sizeof *t);
  int rc = braid_transport_init(&t->media, md, c->pipe ? &pipe_ops : &media_ops, c->transport_id,
                                c->router_id, room_id);
  if (rc == 0) {
    t->md = md;
    t->pipe = c->pipe;
    t->rtcp_mux = c->rtcp_mux;
    t->comedia = c->comedia;
    t->enable_srtp = c->enable_srtp;
    t->enable_sctp = c->enable_sctp;
    /* Plain and pipe transports carry SCTP without DataChannel semantics
     * (mediasoup's isDataChannel false). */
    if (c->enable_sctp)
      rc = braid_transport_enable_sctp(&t->media, (uint16_t)c->sctp_os, (uint16_t)c->sctp_mis,
                                       (size_t)c->sctp_max_message_size, false);
    if (rc == 0) rc = bind_sockets(t);
  }
  if (rc != 0) {
    braid_transport_cleanup(&t->media);
    braid_free(t);
    return rc;
  }
  uv_timer_init(md->loop, &t->timer);
  t->timer.data = t;
  arm_timer(t);
  BRAID_ASSERT(braid_map_put(md->transports, t->media.id, strlen(t->media.id), &t->media) == 0);
  *out = t;
  return 0;
}

static void on_timer_closed(uv_handle_t *h) { braid_free(h->data); }

void braid_plain_transport_close(braid_plain_transport_t *t) {
  if (t == NULL || t->closing) return;
  if (t->in_callback > 0) { /* finished when the callback unwinds */
    t->close_pending = true;
    return;
  }
  t->closing = true;
  t->md->stats.rx_dropped_closed += braid_plain_transport_dropped(t);
  braid_plain_transport_add_net_stats(t, &t->md->stats.net_closed);
  braid_transport_cleanup(&t->media); /* closes its producers and consumers */
  braid_map_del(t->md->transports, t->media.id, strlen(t->media.id));
  braid_srtp_session_free(t->srtp_in);
  braid_srtp_session_free(t->srtp_out);
  t->srtp_in = t->srtp_out = NULL;
  braid_udp_socket_close(t->rtp_sock); /* sends what is committed, then frees itself */
  braid_udp_socket_close(t->rtcp_sock);
  t->rtp_sock = t->rtcp_sock = NULL;
  uv_timer_stop(&t->timer);
  uv_close((uv_handle_t *)&t->timer, on_timer_closed);
}

/* Makes both SRTP sessions from a connect that passed the rules. */
static int start_srtp(braid_plain_transport_t *t, const braid_plain_connect_t *p) {
  int rc = braid_srtp_session_new(&t->srtp_in, p->suite, BRAID_SRTP_DIR_INBOUND, p->remote_key,
                                  p->key_len, p->remote_key + p->key_len, p->salt_len);
  if (rc == 0)
    rc = braid_srtp_session_new(&t->srtp_out, p->suite, BRAID_SRTP_DIR_OUTBOUND, p->local_key,
                                p->key_len, p->local_key + p->key_len, p->salt_len);
  if (rc != 0) {
    braid_srtp_session_free(t->srtp_in);
    t->srtp_in = NULL;
  }
  return rc;
}

int braid_plain_transport_connect(braid_plain_transport_t *t,
                                  const braid_cmd_transport_connect_plain_t *c, const char **why) {
  if (t->connect_called) {
    if (why != NULL) *why = "connect() already called";
    return BRAID_ESTATE;
  }
  braid_plain_connect_rules_t rules = {t->rtcp_mux, t->comedia, t->enable_srtp, t->pipe, t->family};
  braid_plain_connect_t p;
  int rc = braid_plain_connect_parse(&p, &rules, c, why);
  if (rc == 0 && p.srtp) rc = start_srtp(t, &p);
  if (rc == 0) {
    t->connect_called = true;
    if (p.has_tuple) t->tuple = (tuple_t){true, p.addr, p.addr_len};
    if (p.has_rtcp_tuple) t->rtcp_tuple = (tuple_t){true, p.rtcp_addr, p.addr_len};
    update_connected(t);
    arm_timer(t);
  }
  braid_plain_connect_wipe(&p);
  return rc;
}

/* ---- accessors ---------------------------------------------------------- */

struct braid_transport *braid_plain_transport_media(braid_plain_transport_t *t) {
  return &t->media;
}

braid_plain_transport_t *braid_plain_transport_of(struct braid_transport *m) {
  return m != NULL && (m->ops == &media_ops || m->ops == &pipe_ops) ? (braid_plain_transport_t *)m
                                                                    : NULL;
}

uint64_t braid_plain_transport_dropped(const braid_plain_transport_t *t) {
  const braid_plain_transport_stats_t *s = &t->stats;
  return s->rx_dropped + s->rx_unknown_source + s->rx_not_connected + s->srtp_unprotect_failed +
         braid_transport_media_dropped(&t->media);
}

static void add_udp(const braid_udp_socket_t *s, braid_mediad_net_stats_t *sum) {
  if (s == NULL) return;
  const braid_udp_stats_t *us = braid_udp_socket_stats(s);
  sum->udp_rx += us->rx_datagrams;
  sum->udp_tx += us->tx_datagrams;
  sum->udp_tx_dropped += us->tx_dropped;
}

void braid_plain_transport_add_net_stats(const braid_plain_transport_t *t,
                                         braid_mediad_net_stats_t *sum) {
  add_udp(t->rtp_sock, sum);
  add_udp(t->rtcp_sock, sum);
}

int braid_plain_transport_port(const braid_plain_transport_t *t) {
  return braid_udp_socket_port(t->rtp_sock);
}

int braid_plain_transport_rtcp_port(const braid_plain_transport_t *t) {
  return t->rtcp_sock != NULL ? braid_udp_socket_port(t->rtcp_sock) : 0;
}

const struct sockaddr *braid_plain_transport_remote(const braid_plain_transport_t *t, bool rtcp) {
  const tuple_t *tu = rtcp ? &t->rtcp_tuple : &t->tuple;
  return tu->set ? (const struct sockaddr *)&tu->addr : NULL;
}

const char *braid_plain_transport_id(const braid_plain_transport_t *t) { return t->media.id; }
bool braid_plain_transport_rtcp_mux(const braid_plain_transport_t *t) { return t->rtcp_mux; }
bool braid_plain_transport_comedia(const braid_plain_transport_t *t) { return t->comedia; }
bool braid_plain_transport_sctp(const braid_plain_transport_t *t) { return t->enable_sctp; }
bool braid_plain_transport_srtp(const braid_plain_transport_t *t) { return t->enable_srtp; }
bool braid_plain_transport_pipe(const braid_plain_transport_t *t) { return t->pipe; }

void braid_plain_transport_rates(braid_plain_transport_t *t, int64_t now_ms, uint64_t *rx_bps,
                                 uint64_t *tx_bps) {
  int64_t dt = now_ms - t->rate_ms;
  *rx_bps = *tx_bps = 0;
  if (t->rate_ms != 0 && dt > 0) {
    *rx_bps = (t->stats.rx_bytes - t->rate_rx_bytes) * 8000 / (uint64_t)dt;
    *tx_bps = (t->stats.tx_bytes - t->rate_tx_bytes) * 8000 / (uint64_t)dt;
  }
  t->rate_rx_bytes = t->stats.rx_bytes;
  t->rate_tx_bytes = t->stats.tx_bytes;
  t->rate_ms = now_ms;
}
const braid_plain_transport_stats_t *braid_plain_transport_stats(const braid_plain_transport_t *t) {
  return &t->stats;
}
