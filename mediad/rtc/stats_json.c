#include "mediad/rtc/stats_json.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/clock.h"
#include "common/err.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/ice_lite.h"

/* Appends to a fixed buffer; remembers overflow instead of failing each call. */
typedef struct jw {
  char *buf;
  size_t cap, len;
  bool overflow;
} jw_t;

__attribute__((format(printf, 2, 3))) static void put(jw_t *w, const char *fmt, ...) {
  if (w->overflow) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= w->cap - w->len) w->overflow = true;
  else w->len += (size_t)n;
}

static ssize_t done(jw_t *w) { return w->overflow ? BRAID_ETOOBIG : (ssize_t)w->len; }

/* Bits per second since the previous call for the same counter. */
static uint64_t bitrate(uint64_t bytes, uint64_t *last_bytes, int64_t *last_ms, int64_t now_ms) {
  uint64_t bps = 0;
  if (*last_ms != 0 && now_ms > *last_ms && bytes >= *last_bytes)
    bps = (bytes - *last_bytes) * 8000 / (uint64_t)(now_ms - *last_ms);
  *last_bytes = bytes;
  *last_ms = now_ms;
  return bps;
}

static void put_inbound(jw_t *w, braid_producer_t *p, size_t i, int64_t now_ms) {
  braid_producer_stream_t *s = &p->streams[i];
  const braid_rtp_recv_stats_t *r = &s->recv;
  int64_t lost = braid_rtp_recv_stats_lost(r);
  put(w, "{\"type\":\"inbound-rtp\",\"timestamp\":%lld,\"ssrc\":%u,", (long long)now_ms, s->ssrc);
  if (s->rtx_ssrc) put(w, "\"rtxSsrc\":%u,", s->rtx_ssrc);
  if (s->rid[0]) put(w, "\"rid\":\"%s\",", s->rid); /* rids are [A-Za-z0-9_-] */
  put(w,
      "\"kind\":\"%s\",\"mimeType\":\"%s\",\"packetsLost\":%lld,\"fractionLost\":%u,"
      "\"packetsDiscarded\":%llu,\"packetsRetransmitted\":%llu,\"packetsRepaired\":%llu,"
      "\"nackCount\":%llu,\"nackPacketCount\":%llu,\"pliCount\":%u,\"firCount\":%u,\"score\":%u,"
      "\"packetCount\":%llu,\"byteCount\":%llu,\"bitrate\":%llu,\"jitter\":%u}",
      p->video ? "video" : "audio", p->mime, (long long)(lost < 0 ? 0 : lost), r->fraction_lost,
      (unsigned long long)r->discarded, (unsigned long long)r->retransmitted,
      (unsigned long long)r->repaired, (unsigned long long)s->nack_count,
      (unsigned long long)s->nack_packet_count, p->kfr.pli_count, p->kfr.fir_count,
      braid_rtp_recv_stats_score(r), (unsigned long long)r->received,
      (unsigned long long)r->bytes,
      (unsigned long long)bitrate(r->bytes, &s->stats_bytes, &s->stats_ms, now_ms),
      r->jitter_q4 >> 4);
}

ssize_t braid_stats_json_producer(braid_producer_t *p, char *buf, size_t cap) {
  jw_t w = {buf, cap, 0, false};
  int64_t now = braid_clock_mono_ms();
  bool first = true;
  put(&w, "[");
  for (size_t i = 0; i < p->nstreams; i++) {
    if (p->streams[i].ssrc == 0 || p->streams[i].recv.received == 0) continue;
    if (!first) put(&w, ",");
    first = false;
    put_inbound(&w, p, i, now);
  }
  put(&w, "]");
  return done(&w);
}

/* A pipe consumer: one "outbound-rtp" per stream it forwards (mediasoup's
 * PipeConsumer lists its RTP streams), each under its mapped SSRC. */
static ssize_t pipe_consumer(braid_consumer_t *c, jw_t *w, int64_t now) {
  braid_pipe_consumer_t *pc = c->pipe;
  put(w, "[");
  for (size_t i = 0; i < pc->nstreams; i++) {
    braid_pipe_stream_t *ps = &pc->streams[i];
    const braid_rtp_send_stats_t *s = &ps->send;
    put(w,
        "%s{\"type\":\"outbound-rtp\",\"timestamp\":%lld,\"ssrc\":%u,\"kind\":\"%s\","
        "\"mimeType\":\"%s\",\"packetsLost\":%d,\"fractionLost\":%u,\"packetsDiscarded\":0,"
        "\"packetsRetransmitted\":%llu,\"packetsRepaired\":%llu,\"nackCount\":%llu,"
        "\"nackPacketCount\":%llu,\"pliCount\":%llu,\"firCount\":0,\"score\":%u,"
        "\"packetCount\":%u,\"byteCount\":%llu,\"bitrate\":%llu",
        i ? "," : "", (long long)now, ps->ssrc, c->video ? "video" : "audio", c->producer->mime,
        s->packets_lost, s->fraction_lost, (unsigned long long)ps->resent,
        (unsigned long long)ps->repaired, (unsigned long long)ps->nack_count,
        (unsigned long long)ps->nack_packet_count, (unsigned long long)ps->keyframe_requests,
        s->score.score, s->packets, (unsigned long long)s->bytes,
        (unsigned long long)bitrate(s->bytes, &ps->stats_bytes, &ps->stats_ms, now));
    if (s->have_rtt) put(w, ",\"roundTripTime\":%u", s->rtt_ms);
    put(w, "}");
  }
  put(w, "]");
  return done(w);
}

ssize_t braid_stats_json_consumer(braid_consumer_t *c, char *buf, size_t cap) {
  jw_t w = {buf, cap, 0, false};
  int64_t now = braid_clock_mono_ms();
  const braid_rtp_send_stats_t *s = &c->send;
  if (c->pipe != NULL) return pipe_consumer(c, &w, now);
  put(&w, "[{\"type\":\"outbound-rtp\",\"timestamp\":%lld,\"ssrc\":%u,", (long long)now, c->ssrc);
  if (c->rtx_ssrc) put(&w, "\"rtxSsrc\":%u,", c->rtx_ssrc);
  put(&w,
      "\"kind\":\"%s\",\"mimeType\":\"%s\",\"packetsLost\":%d,\"fractionLost\":%u,"
      "\"packetsDiscarded\":0,\"packetsRetransmitted\":%llu,\"packetsRepaired\":%llu,"
      "\"nackCount\":%llu,\"nackPacketCount\":%llu,\"pliCount\":%llu,\"firCount\":%llu,"
      "\"score\":%u,\"packetCount\":%u,\"byteCount\":%llu,\"bitrate\":%llu",
      c->video ? "video" : "audio", c->producer->mime, s->packets_lost, s->fraction_lost,
      (unsigned long long)c->resent, (unsigned long long)c->repaired,
      (unsigned long long)c->nack_count, (unsigned long long)c->nack_packet_count,
      (unsigned long long)c->pli_count, (unsigned long long)c->fir_count, s->score.score,
      s->packets, (unsigned long long)s->bytes,
      (unsigned long long)bitrate(s->bytes, &c->stats_bytes, &c->stats_ms, now));
  if (s->have_rtt) put(&w, ",\"roundTripTime\":%u", s->rtt_ms);
  put(&w, "}");
  unsigned cur = braid_consumer_current_stream(c);
  if (cur < c->producer->nstreams && c->producer->streams[cur].recv.received > 0) {
    put(&w, ",");
    put_inbound(&w, c->producer, (size_t)cur, now);
  }
  put(&w, "]");
  return done(&w);
}

/* mediasoup's BaseTransportStats, opening the transport's object: the
 * byte counters we keep, 0 for the rates and splits we do not yet. */
static void put_transport_base(jw_t *w, const char *type, const char *id, int64_t now,
                               uint64_t rx_bytes, uint64_t tx_bytes) {
  put(w,
      "[{\"type\":\"%s\",\"transportId\":\"%s\",\"timestamp\":%lld,"
      "\"bytesReceived\":%llu,\"recvBitrate\":0,\"bytesSent\":%llu,\"sendBitrate\":0,"
      "\"rtpBytesReceived\":0,\"rtpRecvBitrate\":0,\"rtpBytesSent\":0,\"rtpSendBitrate\":0,"
      "\"rtxBytesReceived\":0,\"rtxRecvBitrate\":0,\"rtxBytesSent\":0,\"rtxSendBitrate\":0,"
      "\"probationBytesSent\":0,\"probationSendBitrate\":0",
      type, id, (long long)now, (unsigned long long)rx_bytes, (unsigned long long)tx_bytes);
}

/* mediasoup's sctpState, present when the transport has SCTP. */
static void put_sctp_state(jw_t *w, const braid_transport_t *m) {
  if (m->data != NULL) put(w, ",\"sctpState\":\"%s\"", braid_data_transport_state_name(m->data));
}

ssize_t braid_stats_json_webrtc_transport(braid_webrtc_transport_t *t, char *buf, size_t cap) {
  jw_t w = {buf, cap, 0, false};
  int64_t now = braid_clock_mono_ms();
  const braid_webrtc_transport_stats_t *s = braid_webrtc_transport_stats(t);
  put_transport_base(&w, "webrtc-transport", braid_webrtc_transport_id(t), now, s->rx_bytes,
                     s->tx_bytes);
  put(&w, ",\"iceRole\":\"controlled\",\"iceState\":\"%s\",\"dtlsState\":\"%s\"",
      braid_webrtc_transport_ice_state(t), braid_webrtc_transport_dtls_state(t));
  const braid_transport_t *m = braid_webrtc_transport_media(t);
  put_sctp_state(&w, m);
  if (m->bwe != NULL) /* mediasoup's, once its TCC client exists */
    put(&w, ",\"availableOutgoingBitrate\":%u", (unsigned)braid_bwe_estimate(&m->bwe->bwe));
  braid_ice_tuple_t tuple;
  if (braid_webrtc_transport_tuple(t, &tuple)) {
    char ip[INET6_ADDRSTRLEN] = "";
    inet_ntop(tuple.remote.family == BRAID_STUN_FAMILY_IPV6 ? AF_INET6 : AF_INET, tuple.remote.addr,
              ip, sizeof ip);
    put(&w, ",\"iceSelectedTuple\":{\"remoteIp\":\"%s\",\"remotePort\":%u,\"protocol\":\"%s\"}", ip,
        tuple.remote.port, tuple.proto == BRAID_ICE_PROTO_TCP ? "tcp" : "udp");
  }
  put(&w, "}]");
  return done(&w);
}

/* mediasoup's TransportTuple: localIp is the deprecated name of
 * localAddress, both the announced address. */
static void put_tuple(jw_t *w, const char *key, const char *local, int local_port,
                      const struct sockaddr *remote) {
  put(w, ",\"%s\":{\"localAddress\":\"%s\",\"localIp\":\"%s\",\"localPort\":%d", key, local,
      local, local_port);
  if (remote != NULL) {
    char ip[INET6_ADDRSTRLEN] = "";
    bool v6 = remote->sa_family == AF_INET6;
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)remote;
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)remote;
    inet_ntop(remote->sa_family, v6 ? (const void *)&a6->sin6_addr : (const void *)&a4->sin_addr,
              ip, sizeof ip);
    put(w, ",\"remoteIp\":\"%s\",\"remotePort\":%u", ip, ntohs(v6 ? a6->sin6_port : a4->sin_port));
  }
  put(w, ",\"protocol\":\"udp\"}");
}

/* The address a plain or pipe transport's tuple names as local. */
static const char *local_address(braid_plain_transport_t *t) {
  const braid_mediad_config_t *cfg = braid_plain_transport_media(t)->md->config;
  return cfg->announced_ip != NULL && cfg->announced_ip[0] != '\0' ? cfg->announced_ip : cfg->ip;
}

ssize_t braid_stats_json_plain_transport(braid_plain_transport_t *t, char *buf, size_t cap) {
  jw_t w = {buf, cap, 0, false};
  int64_t now = braid_clock_mono_ms();
  const braid_plain_transport_stats_t *s = braid_plain_transport_stats(t);
  const char *local = local_address(t);
  bool pipe = braid_plain_transport_pipe(t);
  put_transport_base(&w, pipe ? "pipe-transport" : "plain-rtp-transport",
                     braid_plain_transport_id(t), now, s->rx_bytes, s->tx_bytes);
  put_sctp_state(&w, braid_plain_transport_media(t));
  if (pipe) { /* mediasoup's PipeTransportStats: the base and the tuple */
    put_tuple(&w, "tuple", local, braid_plain_transport_port(t),
              braid_plain_transport_remote(t, false));
    put(&w, "}]");
    return done(&w);
  }
  put(&w, ",\"rtcpMux\":%s,\"comedia\":%s", braid_plain_transport_rtcp_mux(t) ? "true" : "false",
      braid_plain_transport_comedia(t) ? "true" : "false");
  put_tuple(&w, "tuple", local, braid_plain_transport_port(t),
            braid_plain_transport_remote(t, false));
  const struct sockaddr *rtcp = braid_plain_transport_remote(t, true);
  if (!braid_plain_transport_rtcp_mux(t) && rtcp != NULL)
    put_tuple(&w, "rtcpTuple", local, braid_plain_transport_rtcp_port(t), rtcp);
  put(&w, "}]");
  return done(&w);
}

/* The characters of a string, escaped for a JSON string. */
static void put_escaped(jw_t *w, const char *v) {
  for (const unsigned char *q = (const unsigned char *)v; *q != '\0'; q++) {
    if (*q == '"' || *q == '\\') put(w, "\\%c", *q);
    else if (*q < 0x20) put(w, "\\u%04x", *q);
    else put(w, "%c", *q);
  }
}

/* A string from an endpoint (a DataChannel label or protocol), escaped. */
static void put_string(jw_t *w, const char *key, const char *v) {
  put(w, ",\"%s\":\"", key);
  put_escaped(w, v);
  put(w, "\"");
}

ssize_t braid_stats_json_pipe_summary(braid_plain_transport_t *t, int64_t now_ms, char *buf,
                                      size_t cap) {
  jw_t w = {buf, cap, 0, false};
  const braid_transport_t *m = braid_plain_transport_media(t);
  const braid_plain_transport_stats_t *s = braid_plain_transport_stats(t);
  const struct sockaddr *remote = braid_plain_transport_remote(t, false);
  char ip[INET6_ADDRSTRLEN] = "";
  unsigned port = 0;
  size_t nc = 0, np = 0;
  uint64_t rx_bps, tx_bps;
  if (remote != NULL) {
    bool v6 = remote->sa_family == AF_INET6;
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)remote;
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)remote;
    inet_ntop(remote->sa_family, v6 ? (const void *)&a6->sin6_addr : (const void *)&a4->sin_addr,
              ip, sizeof ip);
    port = ntohs(v6 ? a6->sin6_port : a4->sin_port);
  }
  for (const braid_consumer_t *c = m->consumers; c != NULL; c = c->next)
    nc++;
  for (const braid_producer_t *p = m->producers; p != NULL; p = p->next)
    np++;
  braid_plain_transport_rates(t, now_ms, &rx_bps, &tx_bps);
  put(&w, "{\"transport\":\"");
  put_escaped(&w, m->id);
  put(&w, "\"");
  put_string(&w, "router", m->router_id);
  put_string(&w, "room", m->room_id);
  put(&w,
      ",\"remoteIp\":\"%s\",\"remotePort\":%u,\"srtp\":%s,\"rtpRx\":%llu,\"rtpTx\":%llu,"
      "\"bytesRx\":%llu,\"bytesTx\":%llu,\"rxBps\":%llu,\"txBps\":%llu,\"consumers\":%zu,"
      "\"producers\":%zu}",
      ip, port, braid_plain_transport_srtp(t) ? "true" : "false", (unsigned long long)s->rx_rtp,
      (unsigned long long)s->tx_rtp, (unsigned long long)s->rx_bytes,
      (unsigned long long)s->tx_bytes, (unsigned long long)rx_bps, (unsigned long long)tx_bps, nc,
      np);
  return done(&w);
}

ssize_t braid_stats_json_data_producer(const braid_data_producer_t *p, char *buf, size_t cap) {
  jw_t w = {buf, cap, 0, false};
  put(&w, "[{\"type\":\"data-producer\",\"timestamp\":%lld", (long long)braid_clock_mono_ms());
  put_string(&w, "label", p->label);
  put_string(&w, "protocol", p->protocol);
  put(&w, ",\"messagesReceived\":%llu,\"bytesReceived\":%llu}]",
      (unsigned long long)p->messages_received, (unsigned long long)p->bytes_received);
  return done(&w);
}

ssize_t braid_stats_json_data_consumer(const braid_data_consumer_t *c, char *buf, size_t cap) {
  jw_t w = {buf, cap, 0, false};
  const braid_data_transport_t *d = c->transport->data;
  put(&w, "[{\"type\":\"data-consumer\",\"timestamp\":%lld", (long long)braid_clock_mono_ms());
  put_string(&w, "label", c->producer->label);
  put_string(&w, "protocol", c->producer->protocol);
  put(&w, ",\"messagesSent\":%llu,\"bytesSent\":%llu,\"bufferedAmount\":%zu}]",
      (unsigned long long)c->messages_sent, (unsigned long long)c->bytes_sent,
      braid_sctp_assoc_buffered_amount(braid_data_transport_assoc(d)));
  return done(&w);
}
