#include "mediad/rtc/producer.h"

#include <strings.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/channel/events.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/router_speakers.h"
#include "mediad/wire/rtcp/fir.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "mediad/wire/rtp_rtx.h"

/* A stream that sent nothing for this long is inactive (score 0), so
 * simulcast consumers move to another one. */
#define STREAM_INACTIVE_MS 2000
/* Report intervals between producer.score events when nothing changes. */
#define SCORE_REFRESH_TICKS 5

static bool mime_is(braid_str_t mime, const char *suffix) {
  size_t n = strlen(suffix);
  return mime.len >= n && strncasecmp(mime.p + mime.len - n, suffix, n) == 0;
}

static braid_rtp_codec_t codec_of(braid_str_t mime) {
  if (mime_is(mime, "/vp8")) return BRAID_RTP_CODEC_VP8;
  if (mime_is(mime, "/vp9")) return BRAID_RTP_CODEC_VP9;
  if (mime_is(mime, "/h264")) return BRAID_RTP_CODEC_H264;
  if (mime_is(mime, "/av1")) return BRAID_RTP_CODEC_AV1;
  return BRAID_RTP_CODEC_OPUS; /* any audio codec: every packet stands alone */
}

static int codec_index(const braid_producer_t *p, uint8_t pt) {
  for (size_t i = 0; i < p->ncodecs; i++)
    if (p->codecs[i].pt == pt) return (int)i;
  return -1;
}

int braid_producer_mapped_pt(const braid_producer_t *p, uint8_t pt) {
  int i = codec_index(p, pt);
  return i < 0 || p->codecs[i].rtx ? -1 : p->codecs[i].mapped_pt;
}

uint32_t braid_producer_clock_rate(const braid_producer_t *p, uint8_t mapped_pt) {
  for (size_t i = 0; i < p->ncodecs; i++)
    if (!p->codecs[i].rtx && p->codecs[i].mapped_pt == mapped_pt) return p->codecs[i].clock_rate;
  return 0;
}

static void free_streams(braid_producer_t *p) {
  for (size_t i = 0; i < p->nstreams; i++) {
    braid_nack_generator_free(p->streams[i].nack);
    braid_rtx_buffer_free(p->streams[i].store);
  }
}

static int fail(const char **why, const char *reason, int code) {
  if (why) *why = reason;
  return code;
}

static int add_to_listener(braid_producer_t *p, braid_str_t mid, const char **why) {
  braid_rtp_listener_encoding_t encs[BRAID_MAX_ENCODINGS];
  uint8_t media_pts[BRAID_MAX_CODECS], rtx_pts[BRAID_MAX_CODECS];
  size_t nmedia = 0, nrtx = 0;
  for (size_t i = 0; i < p->ncodecs; i++) {
    if (p->codecs[i].rtx) rtx_pts[nrtx++] = p->codecs[i].pt;
    else media_pts[nmedia++] = p->codecs[i].pt;
  }
  for (size_t i = 0; i < p->nstreams; i++)
    encs[i] = (braid_rtp_listener_encoding_t){.ssrc = p->streams[i].ssrc,
                                              .rtx_ssrc = p->streams[i].rtx_ssrc,
                                              .rid = braid_str_c(p->streams[i].rid)};
  braid_rtp_listener_producer_t lp = {.producer = p, .mid = mid, .encodings = encs,
                                      .n_encodings = p->nstreams, .media_pts = media_pts,
                                      .n_media_pts = nmedia, .rtx_pts = rtx_pts, .n_rtx_pts = nrtx};
  /* Every producer of a transport shares its BUNDLE's extension ids, but
   * not every producer uses each of them (audio has no RID/RRID): an id
   * the new producer lacks keeps the value the others gave (as mediasoup's
   * Transport does), else a later audio producer would turn RID lookups off. */
  braid_rtp_listener_ext_ids_t ids = {.mid = p->ext.mid, .rid = p->ext.rid, .rrid = p->ext.rrid};
  for (const braid_producer_t *q = p->transport->producers; q != NULL; q = q->next) {
    if (ids.mid == 0) ids.mid = q->ext.mid;
    if (ids.rid == 0) ids.rid = q->ext.rid;
    if (ids.rrid == 0) ids.rrid = q->ext.rrid;
  }
  braid_rtp_listener_set_ext_ids(p->transport->listener, ids);
  if (p->ext.twcc != 0 && p->transport->twcc_ext_id == 0) {
    p->transport->twcc_ext_id = p->ext.twcc;
    braid_twcc_recorder_learn_id(&p->transport->twcc_rx, p->ext.twcc);
  }
  return braid_rtp_listener_add(p->transport->listener, &lp, why);
}

int braid_producer_new(braid_producer_t **out, braid_transport_t *t,
                       const braid_cmd_producer_create_t *c, const char **why) {
  braid_mediad_t *md = t->md;
  if (braid_map_get(md->producers, c->producer_id.p, c->producer_id.len) != NULL)
    return fail(why, "producer id taken", BRAID_EEXIST);
  braid_producer_t *p = braid_xcalloc(1, sizeof *p);
  p->transport = t;
  p->video = braid_str_eq(c->kind, "video");
  p->paused = c->paused;
  p->fb = c->fb;
  p->ext = c->ext;
  if (braid_str_copy(p->id, sizeof p->id, c->producer_id) != 0 ||
      braid_str_copy(p->type, sizeof p->type, c->type) != 0 ||
      braid_str_copy(p->cname, sizeof p->cname, c->cname) != 0) {
    braid_free(p);
    return fail(why, "id, type or cname too long", BRAID_EINVAL);
  }
  bool have_media = false;
  p->ncodecs = c->ncodecs;
  for (size_t i = 0; i < c->ncodecs; i++) {
    const braid_producer_codec_t *pc = &c->codecs[i];
    p->codecs[i].pt = pc->pt;
    p->codecs[i].mapped_pt = pc->mapped_pt;
    p->codecs[i].apt = pc->apt;
    p->codecs[i].rtx = mime_is(pc->mime, "/rtx");
    p->codecs[i].clock_rate = pc->clock_rate;
    if (!p->codecs[i].rtx && !have_media) {
      p->codec = codec_of(pc->mime);
      braid_str_copy(p->mime, sizeof p->mime, pc->mime); /* the decoder bounded it */
      have_media = true;
    }
  }
  if (!have_media) {
    braid_free(p);
    return fail(why, "no media codec", BRAID_EINVAL);
  }
  uint32_t clock = p->codecs[0].clock_rate;
  for (size_t i = 0; i < p->ncodecs; i++)
    if (!p->codecs[i].rtx) {
      clock = p->codecs[i].clock_rate;
      break;
    }
  p->nstreams = c->nencodings;
  for (size_t i = 0; i < c->nencodings; i++) {
    const braid_producer_encoding_t *e = &c->encodings[i];
    braid_producer_stream_t *s = &p->streams[i];
    s->ssrc = e->ssrc;
    s->rtx_ssrc = e->rtx_ssrc;
    s->mapped_ssrc = e->mapped_ssrc;
    s->temporal_layers = e->temporal_layers ? e->temporal_layers : 1;
    s->spatial_layers = e->spatial_layers ? e->spatial_layers : 1;
    s->ksvc = e->ksvc;
    if (braid_str_copy(s->rid, sizeof s->rid, e->rid) != 0) {
      braid_free(p);
      return fail(why, "rid too long", BRAID_EINVAL);
    }
    braid_rtp_recv_stats_init(&s->recv, clock);
  }
  /* What consumers resend: ~2 s of video, ~1 s of audio (mediasoup). The
   * store does not depend on this producer's NACK: its consumers negotiate
   * their own (mediasoup-demo consumes with enableRtx, so an opus consumer
   * has NACK even when the opus producer has none, and mediasoup answers
   * it from the consumer's own buffer). */
  braid_rtx_buffer_config_t store = {.max_packets = p->video ? 1024 : 256,
                                     .max_bytes = p->video ? 1024 * 1024 : 128 * 1024,
                                     .max_age_ms = p->video ? 2000 : 1000,
                                     .max_resends = 1};
  for (size_t i = 0; i < p->nstreams; i++)
    BRAID_ASSERT(braid_rtx_buffer_new(&p->streams[i].store, &store) == 0);
  if (c->fb & BRAID_FB_NACK) {
    /* mediasoup's NackGenerator settings: 1,000 listed, 10 tries. */
    braid_nack_generator_config_t cfg = {.max_list = 1000, .max_age = 10000, .max_retries = 10,
                                         .delay_ms = 0};
    for (size_t i = 0; i < p->nstreams; i++)
      BRAID_ASSERT(braid_nack_generator_new(&p->streams[i].nack, &cfg) == 0);
  }
  /* keyFrameRequestDelay is a video option (mediasoup ignores it for audio). */
  braid_keyframe_requester_init(&p->kfr, (c->fb & BRAID_FB_PLI) != 0, (c->fb & BRAID_FB_FIR) != 0,
                                p->video ? c->key_frame_request_delay_ms : 0);
  int rc = add_to_listener(p, c->mid, why);
  if (rc != 0) {
    free_streams(p);
    braid_free(p);
    return rc;
  }
  p->next = t->producers;
  t->producers = p;
  BRAID_ASSERT(braid_map_put(md->producers, p->id, strlen(p->id), p) == 0);
  braid_router_speakers_add(p);
  braid_transport_producer_added(t, p);
  *out = p;
  return 0;
}

void braid_producer_close(braid_producer_t *p) {
  braid_transport_t *t = p->transport;
  braid_router_speakers_remove(p);
  while (p->consumers != NULL) braid_consumer_close(p->consumers);
  braid_rtp_listener_remove(t->listener, p);
  for (braid_producer_t **pp = &t->producers; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == p) {
      *pp = p->next;
      break;
    }
  }
  braid_map_del(t->md->producers, p->id, strlen(p->id));
  free_streams(p);
  braid_free(p);
}

/* ---- key frames --------------------------------------------------------- */

static void send_keyframe_request(braid_producer_t *p, const braid_keyframe_request_t *req) {
  size_t cap;
  uint8_t *buf = braid_transport_tx_buf(p->transport, &cap);
  ssize_t n;
  BRAID_LOGD("producer", "producer %s: %s for ssrc %u%s", p->id,
             req->kind == BRAID_KEYFRAME_PLI ? "PLI" : "FIR", req->ssrc, buf ? "" : " (cannot send)");
  if (buf == NULL) return;
  if (req->kind == BRAID_KEYFRAME_PLI) {
    braid_rtcp_fb_t fb = {.sender_ssrc = BRAID_TRANSPORT_RTCP_SSRC, .media_ssrc = req->ssrc};
    n = braid_rtcp_pli_write(buf, cap, &fb);
  } else {
    braid_rtcp_fir_entry_t e = {.ssrc = req->ssrc, .seq = req->fir_seq};
    n = braid_rtcp_fir_write(buf, cap, BRAID_TRANSPORT_RTCP_SSRC, &e, 1);
  }
  if (n > 0) braid_transport_tx_rtcp(p->transport, (size_t)n);
}

/* ---- NACK ---------------------------------------------------------------- */

static void send_nacks(braid_producer_t *p, braid_producer_stream_t *s, int64_t now_ms) {
  uint16_t seqs[128];
  size_t n;
  while ((n = braid_nack_generator_batch(s->nack, now_ms, seqs, 128)) > 0) {
    size_t cap;
    uint8_t *buf = braid_transport_tx_buf(p->transport, &cap);
    if (buf == NULL) return;
    braid_rtcp_fb_t fb = {.sender_ssrc = BRAID_TRANSPORT_RTCP_SSRC, .media_ssrc = s->ssrc};
    ssize_t len = braid_rtcp_nack_write(buf, cap, &fb, seqs, n);
    if (len <= 0) return;
    s->nack_count++;
    s->nack_packet_count += n;
    braid_transport_tx_rtcp(p->transport, (size_t)len);
    if (n < 128) return;
  }
}

void braid_producer_request_keyframe(braid_producer_t *p, unsigned encoding, int64_t now_ms) {
  braid_keyframe_request_t req;
  if (encoding >= p->nstreams || p->streams[encoding].ssrc == 0) return;
  if (braid_keyframe_requester_need(&p->kfr, p->streams[encoding].ssrc, now_ms, &req) == 1)
    send_keyframe_request(p, &req);
}

void braid_producer_on_timeout(braid_producer_t *p, int64_t now_ms) {
  braid_keyframe_request_t reqs[BRAID_KEYFRAME_REQUESTER_MAX_SSRCS];
  size_t n = braid_keyframe_requester_on_timeout(&p->kfr, now_ms, reqs, BRAID_KEYFRAME_REQUESTER_MAX_SSRCS);
  for (size_t i = 0; i < n; i++) send_keyframe_request(p, &reqs[i]);
  for (size_t i = 0; i < p->nstreams; i++) {
    braid_producer_stream_t *s = &p->streams[i];
    if (s->nack && braid_nack_generator_next_timeout(s->nack) <= now_ms) send_nacks(p, s, now_ms);
  }
  /* Streams that went quiet stop being chosen by simulcast consumers. */
  for (size_t i = 0; i < p->nstreams; i++) {
    braid_producer_stream_t *s = &p->streams[i];
    if (s->active && now_ms - s->recv.last_packet_ms > STREAM_INACTIVE_MS) {
      s->active = false;
      for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
        braid_consumer_set_stream_score(c, (unsigned)i, 0);
    }
  }
  /* Layer changes its consumers made while forwarding (consumer.h). */
  if (p->consumer_events) {
    p->consumer_events = false;
    for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
      braid_consumer_flush_events(c);
  }
}

int64_t braid_producer_next_timeout(const braid_producer_t *p) {
  if (p->consumer_events) return 0; /* publish them on the next loop turn */
  int64_t next = braid_keyframe_requester_next_timeout(&p->kfr);
  for (size_t i = 0; i < p->nstreams; i++) {
    if (p->streams[i].nack == NULL) continue;
    int64_t d = braid_nack_generator_next_timeout(p->streams[i].nack);
    if (d < next) next = d;
  }
  return next;
}

/* ---- RTP ------------------------------------------------------------------ */

static bool has_rtx_codec(const braid_producer_t *p) {
  for (size_t i = 0; i < p->ncodecs; i++)
    if (p->codecs[i].rtx) return true;
  return false;
}

/* A packet the NACK generator listed as missing arrived. With RTX only a
 * retransmission repairs (a late original was merely reordered); without
 * RTX (opus NACK) the sender resends the original itself, so the packet
 * counts as retransmitted and repaired, as in mediasoup. */
static void count_repaired(const braid_producer_t *p, braid_producer_stream_t *s, bool rtx) {
  if (rtx) {
    braid_rtp_recv_stats_repaired(&s->recv);
  } else if (!has_rtx_codec(p)) {
    s->recv.retransmitted++;
    braid_rtp_recv_stats_repaired(&s->recv);
  }
}

static void stream_activated(braid_producer_t *p, unsigned encoding) {
  p->streams[encoding].active = true;
  for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
    braid_consumer_set_stream_score(c, encoding, 10);
}

/* The bytes of a media packet, by its layer (producer.h). */
static inline void count_layer(braid_producer_stream_t *s, const braid_rtp_codec_info_t *info,
                               size_t len) {
  int sid = info->sid < 0 ? 0 : info->sid, tid = info->tid < 0 ? 0 : info->tid;
  if (sid >= BRAID_SVC_MAX_SPATIAL) sid = BRAID_SVC_MAX_SPATIAL - 1;
  if (tid >= BRAID_SVC_MAX_TEMPORAL) tid = BRAID_SVC_MAX_TEMPORAL - 1;
  s->layer_bytes[sid][tid] += len;
}

void braid_producer_receive(braid_producer_t *p, uint8_t *data, size_t len,
                            braid_rtp_packet_t *pkt, const braid_rtp_ext_t *ext,
                            const braid_rtp_listener_match_t *m, int64_t now_ms) {
  braid_producer_stream_t *s = &p->streams[m->encoding];
  int ci = codec_index(p, pkt->pt);
  if (ci < 0) return; /* the listener checked, but stay safe */
  if (m->learned) {
    if (m->rtx) s->rtx_ssrc = pkt->ssrc;
    else s->ssrc = pkt->ssrc;
  }
  if (m->rtx) {
    /* Unwrap RTX in place into the packet it repairs (RFC 4588). */
    size_t out_len;
    if (p->codecs[ci].apt == 0 || s->ssrc == 0 ||
        braid_rtp_rtx_unwrap(data, len, 0, pkt, s->ssrc, p->codecs[ci].apt, &out_len) != 0 ||
        braid_rtp_packet_parse(pkt, data, out_len) != 0)
      return;
    len = out_len;
    ci = codec_index(p, pkt->pt);
    if (ci < 0 || p->codecs[ci].rtx) return;
  }
  if (braid_rtp_recv_stats_update(&s->recv, pkt->seq, pkt->ts, len, now_ms, m->rtx) != 0) return;
  braid_router_speakers_receive(p, ext, m->rtx);
  if (!s->active) stream_activated(p, m->encoding);

  /* A padding-only packet (a bandwidth probe) still goes to the consumers:
   * their selectors drop it, and their seq rewriters must see that drop,
   * or the output would have a hole the receiver NACKs in vain. */
  braid_rtp_fwd_t fwd = {.pkt = pkt, .ext = ext, .encoding = m->encoding,
                         .mapped_pt = p->codecs[ci].mapped_pt, .now_ms = now_ms};
  if (pkt->payload_len == 0 ||
      braid_rtp_codec_inspect(p->codec, braid_rtp_packet_payload(pkt), pkt->payload_len,
                              &fwd.info) != 0) {
    fwd.info = (braid_rtp_codec_info_t){.tid = -1, .sid = -1, .picture_id = -1, .tl0picidx = -1};
  }
  if (fwd.info.keyframe) braid_keyframe_requester_received(&p->kfr, s->ssrc);
  if (!m->rtx && pkt->payload_len > 0) count_layer(s, &fwd.info, len);
  unsigned ev = 0;
  if (s->nack != NULL) {
    ev = braid_nack_generator_receive(s->nack, pkt->seq, fwd.info.keyframe, m->rtx, now_ms);
    if (ev & BRAID_NACK_GENERATOR_RECOVERED) count_repaired(p, s, m->rtx);
    if (ev & BRAID_NACK_GENERATOR_KEYFRAME) braid_producer_request_keyframe(p, m->encoding, now_ms);
    if (ev & BRAID_NACK_GENERATOR_DUE) send_nacks(p, s, now_ms);
  }
  /* An RTX packet that repairs nothing we asked for goes no further (as
   * mediasoup's RtpStreamRecv::ReceiveRtxPacket): Chromium probes the
   * path's bandwidth with retransmissions of packets already received,
   * and each one forwarded would reach every consumer as a duplicate. */
  if (m->rtx && !(ev & BRAID_NACK_GENERATOR_RECOVERED)) return;
  /* Paused: pipe consumers still forward (pipe_consumer.h), the others
   * are inactive. */
  if (p->paused && p->pipe_consumers == 0) return;
  if (s->store != NULL && pkt->payload_len > 0) braid_rtx_buffer_store(s->store, data, len, now_ms);
  if (pkt->payload_len > 0 && !p->paused) p->rx_packets++;
  for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
    if (!p->paused || c->pipe != NULL) braid_consumer_send(c, &fwd);
}

void braid_producer_set_paused(braid_producer_t *p, bool paused) {
  if (p->paused == paused) return;
  p->paused = paused;
  for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
    braid_consumer_set_producer_paused(c, paused);
}

/* ---- RTCP ----------------------------------------------------------------- */

void braid_producer_on_sr(braid_producer_t *p, uint32_t ssrc, uint64_t ntp, uint32_t rtp_ts,
                          int64_t now_ms) {
  for (size_t i = 0; i < p->nstreams; i++)
    if (p->streams[i].ssrc == ssrc) braid_rtp_recv_stats_on_sr(&p->streams[i].recv, ntp, rtp_ts, now_ms);
}

size_t braid_producer_report_blocks(braid_producer_t *p, int64_t now_ms,
                                    braid_rtcp_report_block_t *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < p->nstreams && n < cap; i++) {
    braid_producer_stream_t *s = &p->streams[i];
    if (!s->active || s->ssrc == 0) continue;
    braid_rtp_recv_stats_report(&s->recv, s->ssrc, now_ms, &out[n++]);
  }
  return n;
}

/* Bitrates of the streams and their layers over the interval since the
 * previous call (the first call only starts counting); they go to the
 * consumers' selectors. */
static void update_bitrates(braid_producer_t *p, int64_t now_ms) {
  int64_t elapsed = now_ms - p->bitrate_ms;
  bool measure = p->bitrate_ms != 0 && elapsed > 0;
  if (p->bitrate_ms != 0 && elapsed <= 0) return;
  p->bitrate_ms = now_ms;
  for (size_t i = 0; i < p->nstreams; i++) {
    braid_producer_stream_t *s = &p->streams[i];
    uint64_t sum = 0;
    for (int sid = 0; sid < BRAID_SVC_MAX_SPATIAL; sid++)
      for (int tid = 0; tid < BRAID_SVC_MAX_TEMPORAL; tid++) {
        uint64_t bytes = s->layer_bytes[sid][tid] - s->layer_bytes_prior[sid][tid];
        uint64_t bps = measure ? bytes * 8000 / (uint64_t)elapsed : 0;
        s->layer_bytes_prior[sid][tid] = s->layer_bytes[sid][tid];
        s->layer_bps[sid][tid] = bps > UINT32_MAX ? UINT32_MAX : (uint32_t)bps;
        sum += s->layer_bps[sid][tid];
      }
    s->bitrate = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
  }
  if (!measure) return;
  p->bitrates_measured = true;
  for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
    braid_consumer_on_producer_bitrates(c);
}

/* Scores of the streams after each report interval; a change goes to the
 * simulcast consumers and to the room (producerScore). A stream that
 * still sends keeps a score of at least 1 for the selectors: only a silent
 * stream (score 0, braid_producer_on_timeout()) is never chosen. */
void braid_producer_update_scores(braid_producer_t *p) {
  bool changed = false;
  for (size_t i = 0; i < p->nstreams; i++) {
    braid_producer_stream_t *s = &p->streams[i];
    if (!s->active || !braid_rtp_recv_stats_update_score(&s->recv, s->rtx_ssrc != 0)) continue;
    changed = true;
    uint8_t score = braid_rtp_recv_stats_score(&s->recv);
    for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
      braid_consumer_set_stream_score(c, (unsigned)i, score ? score : 1);
  }
  if (changed)
    for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
      braid_consumer_on_producer_scores(c);
  update_bitrates(p, braid_clock_mono_ms());
  /* Also now and then unchanged: the first RTP can beat the controller's
   * record of the producer (browsers send before `produce` is answered),
   * and an event it cannot place is lost. */
  p->score_ticks++;
  if ((changed && p->score_ticks >= 2) || p->score_ticks >= SCORE_REFRESH_TICKS)
    braid_producer_publish_score(p);
}

void braid_producer_publish_score(braid_producer_t *p) {
  braid_event_t ev = {.type = BRAID_EV_PRODUCER_SCORE, .room_id = braid_str_c(p->transport->room_id),
                      .producer_id = braid_str_c(p->id)};
  for (size_t i = 0; i < p->nstreams; i++) {
    const braid_producer_stream_t *s = &p->streams[i];
    if (!s->active) continue;
    ev.scores[ev.nscores++] = (braid_event_score_t){
        .ssrc = s->ssrc, .rid = braid_str_c(s->rid), .score = braid_rtp_recv_stats_score(&s->recv),
        .encoding_idx = (uint8_t)i};
  }
  if (ev.nscores == 0) return;
  p->score_ticks = 0;
  braid_mediad_publish_event(p->transport->md, &ev);
}
