#include "mediad/rtc/webrtc_server.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/wire/demux.h"

struct braid_webrtc_server {
  braid_mediad_t *md;      /* borrowed */
  braid_udp_socket_t *udp; /* owned */
  braid_tcp_server_t *tcp; /* owned */
  braid_map_t *by_ufrag;   /* local ufrag -> transport (borrowed) */
  braid_map_t *by_tuple;   /* tuple key -> transport (borrowed) */
  braid_webrtc_server_stats_t stats;
};

void braid_webrtc_server_tuple_from(braid_ice_tuple_t *t, const struct sockaddr *sa, uint8_t proto,
                                    uint64_t cookie) {
  memset(t, 0, sizeof *t);
  t->proto = proto;
  t->cookie = cookie;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
    t->remote.family = BRAID_STUN_FAMILY_IPV4;
    t->remote.port = ntohs(a->sin_port);
    memcpy(t->remote.addr, &a->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
    t->remote.family = BRAID_STUN_FAMILY_IPV6;
    t->remote.port = ntohs(a->sin6_port);
    memcpy(t->remote.addr, &a->sin6_addr, 16);
  }
}

socklen_t braid_webrtc_server_tuple_addr(const braid_ice_tuple_t *t, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  if (t->remote.family == BRAID_STUN_FAMILY_IPV4) {
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons(t->remote.port);
    memcpy(&a->sin_addr, t->remote.addr, 4);
    return sizeof *a;
  }
  struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
  a->sin6_family = AF_INET6;
  a->sin6_port = htons(t->remote.port);
  memcpy(&a->sin6_addr, t->remote.addr, 16);
  return sizeof *a;
}

size_t braid_webrtc_server_tuple_key(const braid_ice_tuple_t *t, uint8_t key[19]) {
  if (t->proto == BRAID_ICE_PROTO_TCP) {
    key[0] = 'T';
    memcpy(key + 1, &t->cookie, sizeof t->cookie);
    return 1 + sizeof t->cookie;
  }
  size_t alen = t->remote.family == BRAID_STUN_FAMILY_IPV4 ? 4 : t->remote.family == BRAID_STUN_FAMILY_IPV6 ? 16 : 0;
  if (alen == 0) return 0;
  key[0] = (uint8_t)alen;
  memcpy(key + 1, t->remote.addr, alen);
  key[1 + alen] = (uint8_t)(t->remote.port >> 8);
  key[2 + alen] = (uint8_t)(t->remote.port & 0xff);
  return 3 + alen;
}

/* One datagram or frame from a tuple: find its transport. */
static void dispatch(braid_webrtc_server_t *s, uint8_t *data, size_t len, const braid_ice_tuple_t *tuple) {
  braid_webrtc_transport_t *t;
  if (braid_demux_classify(data, len) == BRAID_DEMUX_STUN) {
    braid_str_t ufrag;
    if (braid_ice_lite_request_ufrag(data, len, &ufrag) != 0) {
      s->stats.rx_malformed++;
      return;
    }
    t = braid_map_get(s->by_ufrag, ufrag.p, ufrag.len);
    if (t == NULL) {
      s->stats.rx_unknown_ufrag++;
      return;
    }
  } else {
    uint8_t key[19];
    size_t klen = braid_webrtc_server_tuple_key(tuple, key);
    t = klen ? braid_map_get(s->by_tuple, (const char *)key, klen) : NULL;
    if (t == NULL) {
      s->stats.rx_unknown_tuple++;
      return;
    }
  }
  braid_webrtc_transport_receive(t, data, len, tuple);
}

static void on_datagram(braid_udp_socket_t *sock, uint8_t *data, size_t len,
                        const struct sockaddr *from, socklen_t fromlen, void *ud) {
  braid_ice_tuple_t tuple;
  (void)sock, (void)fromlen;
  braid_webrtc_server_tuple_from(&tuple, from, BRAID_ICE_PROTO_UDP, 0);
  dispatch(ud, data, len, &tuple);
}

static void on_frame(braid_tcp_server_t *tcp, braid_tcp_conn_t *c, uint8_t *data, size_t len, void *ud) {
  braid_ice_tuple_t tuple;
  socklen_t plen;
  (void)tcp;
  braid_webrtc_server_tuple_from(&tuple, braid_tcp_conn_peer(c, &plen), BRAID_ICE_PROTO_TCP,
                                 braid_tcp_conn_id(c));
  dispatch(ud, data, len, &tuple);
}

/* A TCP connection closed: the transport that used it loses that tuple
 * (mediasoup: a TCP close takes ICE to disconnected when it was the
 * selected one). */
static void on_tcp_close(braid_tcp_server_t *tcp, braid_tcp_conn_t *c, void *ud) {
  braid_webrtc_server_t *s = ud;
  braid_ice_tuple_t tuple;
  socklen_t plen;
  uint8_t key[19];
  (void)tcp;
  braid_webrtc_server_tuple_from(&tuple, braid_tcp_conn_peer(c, &plen), BRAID_ICE_PROTO_TCP,
                                 braid_tcp_conn_id(c));
  size_t klen = braid_webrtc_server_tuple_key(&tuple, key);
  braid_webrtc_transport_t *t = braid_map_del(s->by_tuple, (const char *)key, klen);
  if (t != NULL) braid_webrtc_transport_tuple_gone(t, &tuple);
}

static const braid_udp_callbacks_t udp_cbs = {on_datagram};
static const braid_tcp_callbacks_t tcp_cbs = {on_frame, on_tcp_close};

int braid_webrtc_server_new(braid_webrtc_server_t **out, braid_mediad_t *md, const char *ip, int port) {
  braid_webrtc_server_t *s = braid_xcalloc(1, sizeof *s);
  s->md = md;
  int rc = braid_udp_socket_new(&s->udp, md->loop, ip, port, &udp_cbs, s);
  if (rc == 0) {
    /* The same port for ICE-TCP (port 0: whatever UDP got). */
    rc = braid_tcp_server_new(&s->tcp, md->loop, ip, braid_udp_socket_port(s->udp), &tcp_cbs, s);
    if (rc != 0) braid_udp_socket_close(s->udp);
  }
  if (rc != 0) {
    braid_free(s);
    return rc;
  }
  s->by_ufrag = braid_map_new();
  s->by_tuple = braid_map_new();
  BRAID_ASSERT(s->by_ufrag && s->by_tuple);
  *out = s;
  return 0;
}

int braid_webrtc_server_new_in_range(braid_webrtc_server_t **out, braid_mediad_t *md,
                                     const char *ip, int min_port, int max_port) {
  if (min_port <= 0 || min_port > max_port || max_port > 65535) return BRAID_EINVAL;
  /* First free port, not a rotating one: a closed transport's port is
   * reused by the next (mediasoup picks at random; either is fine for ICE,
   * which demultiplexes by username first). A failed half is released on
   * the next loop turn, so it cannot make the next port fail. */
  for (int port = min_port; port <= max_port; port++) {
    int rc = braid_webrtc_server_new(out, md, ip, port);
    if (rc == 0) return 0;
    if (rc != BRAID_ERR(EADDRINUSE) && rc != BRAID_ERR(EACCES)) return rc;
  }
  return BRAID_ELIMIT;
}

void braid_webrtc_server_free(braid_webrtc_server_t *s) {
  if (s == NULL) return;
  braid_map_free(s->by_tuple); /* transports are gone: nothing to tell on TCP close */
  s->by_tuple = braid_map_new();
  braid_tcp_server_close(s->tcp);
  braid_udp_socket_close(s->udp);
  braid_map_free(s->by_ufrag);
  braid_map_free(s->by_tuple);
  braid_free(s);
}

int braid_webrtc_server_add_ufrag(braid_webrtc_server_t *s, braid_str_t ufrag,
                                  braid_webrtc_transport_t *t) {
  if (braid_map_get(s->by_ufrag, ufrag.p, ufrag.len) != NULL) return BRAID_EEXIST;
  return braid_map_put(s->by_ufrag, ufrag.p, ufrag.len, t) == 0 ? 0 : BRAID_ENOMEM;
}

void braid_webrtc_server_remove_ufrag(braid_webrtc_server_t *s, braid_str_t ufrag) {
  braid_map_del(s->by_ufrag, ufrag.p, ufrag.len);
}

void braid_webrtc_server_add_tuple(braid_webrtc_server_t *s, const braid_ice_tuple_t *tuple,
                                   braid_webrtc_transport_t *t) {
  uint8_t key[19];
  size_t klen = braid_webrtc_server_tuple_key(tuple, key);
  if (klen) BRAID_ASSERT(braid_map_put(s->by_tuple, (const char *)key, klen, t) == 0);
}

void braid_webrtc_server_remove_tuple(braid_webrtc_server_t *s, const braid_ice_tuple_t *tuple,
                                      braid_webrtc_transport_t *t) {
  uint8_t key[19];
  size_t klen = braid_webrtc_server_tuple_key(tuple, key);
  if (klen && braid_map_get(s->by_tuple, (const char *)key, klen) == t)
    braid_map_del(s->by_tuple, (const char *)key, klen);
}

static void remove_values(braid_map_t *m, const void *value) {
  braid_map_iter_t it;
  const char *k;
  size_t klen;
  void *v;
  braid_map_iter_init(&it, m);
  while (braid_map_iter_next(&it, &k, &klen, &v))
    if (v == value) braid_map_del(m, k, klen);
}

void braid_webrtc_server_remove_transport(braid_webrtc_server_t *s, braid_webrtc_transport_t *t) {
  remove_values(s->by_ufrag, t);
  remove_values(s->by_tuple, t);
}

int braid_webrtc_server_send(braid_webrtc_server_t *s, const braid_ice_tuple_t *tuple,
                             const uint8_t *data, size_t len) {
  if (tuple->proto == BRAID_ICE_PROTO_TCP) {
    braid_tcp_conn_t *c = braid_tcp_server_find(s->tcp, tuple->cookie);
    return c ? braid_tcp_conn_send(c, data, len) : BRAID_ECLOSED;
  }
  struct sockaddr_storage ss;
  socklen_t slen = braid_webrtc_server_tuple_addr(tuple, &ss);
  return braid_udp_socket_send(s->udp, data, len, (struct sockaddr *)&ss, slen);
}

braid_udp_socket_t *braid_webrtc_server_udp(braid_webrtc_server_t *s) { return s->udp; }
int braid_webrtc_server_port(const braid_webrtc_server_t *s) { return braid_udp_socket_port(s->udp); }
const braid_webrtc_server_stats_t *braid_webrtc_server_stats(const braid_webrtc_server_t *s) {
  return &s->stats;
}

const braid_udp_stats_t *braid_webrtc_server_udp_stats(const braid_webrtc_server_t *s) {
  return braid_udp_socket_stats(s->udp);
}

const braid_tcp_stats_t *braid_webrtc_server_tcp_stats(const braid_webrtc_server_t *s) {
  return braid_tcp_server_stats(s->tcp);
}

void braid_webrtc_server_add_stats(const braid_webrtc_server_t *s, braid_mediad_net_stats_t *sum) {
  const braid_udp_stats_t *us = braid_udp_socket_stats(s->udp);
  sum->udp_rx += us->rx_datagrams;
  sum->udp_tx += us->tx_datagrams;
  sum->udp_tx_dropped += us->tx_dropped;
  sum->tcp_accepted += braid_tcp_server_stats(s->tcp)->accepted;
  sum->rx_dropped += s->stats.rx_unknown_ufrag + s->stats.rx_unknown_tuple + s->stats.rx_malformed;
}
