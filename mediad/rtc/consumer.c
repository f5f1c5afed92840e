#include "mediad/rtc/consumer.h"

#include <string.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/id.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/channel/events.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtp_rtx.h"

/* Sent packets remembered for NACKs (the producer's store keeps ~2 s of
 * video, ~1 s of audio), and resends per packet. */
#define SENT_VIDEO 1024
#define SENT_AUDIO 256
#define RTX_MAX_RESENDS 5

/* Extension entries a consumer may write: MID, abs-send-time, TWCC and
 * the values copied from the producer's packet. */
#define MAX_EXT 9

static uint16_t random_u16(uint16_t lo, uint16_t hi) {
  uint16_t r;
  braid_id_random_bytes(&r, sizeof r);
  return (uint16_t)(lo + r % (uint16_t)(hi - lo + 1));
}

/* The two selectors classify packets alike (consumer.h). */
_Static_assert(BRAID_SIMULCAST_FORWARD == (int)BRAID_SVC_FORWARD &&
                   BRAID_SIMULCAST_FORWARD_SYNC == (int)BRAID_SVC_FORWARD_SYNC &&
                   BRAID_SIMULCAST_DROP == (int)BRAID_SVC_DROP &&
                   BRAID_SIMULCAST_IGNORE == (int)BRAID_SVC_IGNORE,
               "selector actions differ");
_Static_assert(BRAID_SIMULCAST_UNLIMITED == BRAID_SVC_UNLIMITED, "budget sentinels differ");

/* ---- events ----------------------------------------------------------------- */

/* A change of the current layers, maybe on the per-packet path: queued
 * for consumer.layers (consumer.h), which the producer's next timeout
 * publishes. */
static void queue_layers(braid_consumer_t *c, int spatial, int temporal) {
  c->spatial = spatial;
  c->temporal = temporal;
  if (c->kind != BRAID_CONSUMER_SIMULCAST && c->kind != BRAID_CONSUMER_SVC) return;
  size_t n = c->layer_ev_n;
  if (n == BRAID_CONSUMER_LAYER_EVENTS) n--; /* full: the newest replaces the last */
  c->layer_ev[n] = (braid_consumer_layers_t){(int8_t)spatial, (int8_t)temporal};
  c->layer_ev_n = (uint8_t)(n + 1);
  c->producer->consumer_events = true;
}

void braid_consumer_flush_events(braid_consumer_t *c) {
  braid_event_t ev = {.type = BRAID_EV_CONSUMER_LAYERS,
                      .room_id = braid_str_c(c->transport->room_id),
                      .consumer_id = braid_str_c(c->id)};
  for (size_t i = 0; i < c->layer_ev_n; i++) {
    ev.spatial_layer = c->layer_ev[i].spatial;
    ev.temporal_layer = c->layer_ev[i].temporal;
    BRAID_LOGD("consumer", "consumer %s: now sending layers %d:%d", c->id, ev.spatial_layer,
               ev.temporal_layer);
    braid_mediad_publish_event(c->transport->md, &ev);
    c->layer_events++;
  }
  c->layer_ev_n = 0;
}

/* mediasoup's consumer score: {score, producerScore, producerScores}, the
 * producer's score being that of the stream sent (a simulcast consumer's
 * current one; none while it sends nothing). */
static void publish_score(braid_consumer_t *c) {
  const braid_producer_t *p = c->producer;
  braid_event_t ev = {.type = BRAID_EV_CONSUMER_SCORE,
                      .room_id = braid_str_c(c->transport->room_id),
                      .consumer_id = braid_str_c(c->id),
                      .score = c->send.score.score};
  for (size_t i = 0; i < p->nstreams; i++) {
    const braid_producer_stream_t *s = &p->streams[i];
    uint8_t score = s->active ? braid_rtp_recv_stats_score(&s->recv) : 0;
    ev.scores[ev.nscores++] = (braid_event_score_t){
        .ssrc = s->ssrc, .rid = braid_str_c(s->rid), .score = score, .encoding_idx = (uint8_t)i};
  }
  bool sending = c->kind != BRAID_CONSUMER_SIMULCAST || c->sel.cur_s >= 0;
  ev.producer_score = sending ? ev.scores[braid_consumer_current_stream(c)].score : 0;
  c->score_dirty = false;
  c->score_events++;
  braid_mediad_publish_event(c->transport->md, &ev);
}

/* ---- layer selection callbacks -------------------------------------------- */

static void on_layers(braid_simulcast_selector_t *sel, int spatial, int temporal, void *ud) {
  (void)sel;
  queue_layers(ud, spatial, temporal);
}

static void on_keyframe(braid_simulcast_selector_t *sel, unsigned stream, void *ud) {
  braid_consumer_t *c = ud;
  (void)sel;
  c->keyframes_requested++; /* not logged: receivers can send PLIs at any rate */
  braid_producer_request_keyframe(c->producer, stream, braid_clock_mono_ms());
}

static const braid_simulcast_callbacks_t selector_cbs = {on_layers, on_keyframe};

static void on_svc_layers(braid_svc_selector_t *sel, int spatial, int temporal, void *ud) {
  (void)sel;
  queue_layers(ud, spatial, temporal);
}

static void on_svc_keyframe(braid_svc_selector_t *sel, void *ud) {
  on_keyframe(NULL, 0, ud); /* the one stream */
  (void)sel;
}

static const braid_svc_callbacks_t svc_cbs = {on_svc_layers, on_svc_keyframe};

static void update_active(braid_consumer_t *c) {
  if (c->pipe != NULL) { /* a pipe forwards a paused producer too (pipe_consumer.h) */
    c->active = !c->paused && c->transport->connected;
    braid_pipe_consumer_set_active(c->pipe, c->active);
    return;
  }
  bool active = !c->paused && !c->producer_paused && c->transport->connected;
  if (active == c->active) return;
  c->active = active;
  if (!active && c->sent) memset(c->sent, 0, c->sent_n * sizeof *c->sent);
  if (c->kind == BRAID_CONSUMER_SVC)
    braid_svc_selector_set_active(&c->svc, active);
  else
    braid_simulcast_selector_set_active(&c->sel, active);
}

/* ---- life ------------------------------------------------------------------- */

static int fail(const char **why, const char *reason, int code) {
  if (why) *why = reason;
  return code;
}

static bool ssrc_used(braid_transport_t *t, uint32_t ssrc) {
  uint8_t key[4];
  braid_put32(key, ssrc);
  return braid_map_get(t->consumer_by_ssrc, (const char *)key, 4) != NULL;
}

/* A pipe consumer's command: SSRCs (its streams' mapped ones) that are
 * free on the transport, and with RTX (rtx_ssrc != 0) RTX SSRCs rtx_ssrc +
 * i, one per stream, that neither wrap nor meet a mapped SSRC or one used
 * on the transport. */
static int check_pipe(braid_transport_t *t, braid_producer_t *p,
                      const braid_cmd_consumer_create_t *cmd, const char **why) {
  for (size_t i = 0; i < p->nstreams; i++) {
    uint32_t ssrc = p->streams[i].mapped_ssrc;
    if (ssrc == 0) return fail(why, "producer stream without a mapped ssrc", BRAID_EINVAL);
    if (ssrc_used(t, ssrc)) return fail(why, "ssrc already used on this transport", BRAID_EEXIST);
    for (size_t j = 0; j < i; j++)
      if (p->streams[j].mapped_ssrc == ssrc)
        return fail(why, "producer streams share a mapped ssrc", BRAID_EINVAL);
  }
  if (cmd->rtx_ssrc == 0) return 0;
  if (cmd->rtx_ssrc > UINT32_MAX - (p->nstreams - 1))
    return fail(why, "rtx ssrc range wraps", BRAID_EINVAL);
  for (size_t i = 0; i < p->nstreams; i++) {
    uint32_t rtx = cmd->rtx_ssrc + (uint32_t)i;
    for (size_t j = 0; j < p->nstreams; j++)
      if (p->streams[j].mapped_ssrc == rtx)
        return fail(why, "rtx ssrc range meets a mapped ssrc", BRAID_EEXIST);
    if (ssrc_used(t, rtx))
      return fail(why, "rtx ssrc already used on this transport", BRAID_EEXIST);
  }
  return 0;
}

/* The SSRCs RTCP names the consumer by, in and out of the transport's table. */
static void register_ssrcs(braid_consumer_t *c, bool add) {
  braid_transport_t *t = c->transport;
  uint32_t ssrcs[2 * BRAID_MAX_ENCODINGS];
  size_t n = 0;
  if (c->pipe != NULL) {
    for (size_t i = 0; i < c->pipe->nstreams; i++) {
      ssrcs[n++] = c->pipe->streams[i].ssrc;
      if (c->pipe->streams[i].rtx_ssrc != 0) ssrcs[n++] = c->pipe->streams[i].rtx_ssrc;
    }
  } else {
    ssrcs[n++] = c->ssrc;
    if (c->rtx_ssrc != 0) ssrcs[n++] = c->rtx_ssrc;
  }
  for (size_t i = 0; i < n; i++) {
    if (add)
      braid_transport_add_consumer_ssrc(t, ssrcs[i], c);
    else
      braid_transport_remove_consumer_ssrc(t, ssrcs[i]);
  }
}

/* The producer's score of stream i as the selectors take it: 0 while it
 * is silent, at least 1 while it sends (producer.c). */
static uint8_t stream_score(const braid_producer_t *p, size_t i) {
  if (!p->streams[i].active) return 0;
  uint8_t score = braid_rtp_recv_stats_score(&p->streams[i].recv);
  return score ? score : 1;
}

/* The consumer's kind and its selector, from its producer: streams and
 * layers it declares, their scores and bitrates so far, and the preferred
 * layers of the command. */
static void init_selectors(braid_consumer_t *c, bool pipe, const braid_cmd_consumer_create_t *cmd) {
  const braid_producer_t *p = c->producer;
  const braid_producer_stream_t *s0 = &p->streams[0];
  if (pipe)
    c->kind = BRAID_CONSUMER_PIPE;
  else if (strcmp(p->type, "simulcast") == 0)
    c->kind = BRAID_CONSUMER_SIMULCAST;
  else if (strcmp(p->type, "svc") == 0 && c->video)
    c->kind = BRAID_CONSUMER_SVC;
  else
    c->kind = BRAID_CONSUMER_SIMPLE;
  bool multi = c->kind == BRAID_CONSUMER_SIMULCAST || pipe;
  unsigned n_streams = multi ? (unsigned)p->nstreams : 1;
  unsigned n_temporal = 1;
  for (size_t i = 0; i < p->nstreams; i++)
    if (p->streams[i].temporal_layers > n_temporal) n_temporal = p->streams[i].temporal_layers;
  if (n_temporal > BRAID_SIMULCAST_MAX_TEMPORAL) n_temporal = BRAID_SIMULCAST_MAX_TEMPORAL;
  /* A pipe's or an SVC consumer's simulcast selector has no callbacks and
   * is never activated: inert. */
  bool inert = pipe || c->kind == BRAID_CONSUMER_SVC;
  BRAID_ASSERT(braid_simulcast_selector_init(&c->sel, n_streams, n_temporal,
                                             inert ? NULL : &selector_cbs, c) == 0);
  braid_simulcast_selector_set_preferred(&c->sel, multi ? cmd->preferred_spatial : 0,
                                         cmd->preferred_temporal);
  if (c->kind == BRAID_CONSUMER_SVC) {
    /* The layers its scalabilityMode declares (L<s>T<t>[_KEY]). */
    unsigned n_spatial = s0->spatial_layers ? s0->spatial_layers : 1;
    if (n_spatial > BRAID_SVC_MAX_SPATIAL) n_spatial = BRAID_SVC_MAX_SPATIAL;
    if (n_temporal > BRAID_SVC_MAX_TEMPORAL) n_temporal = BRAID_SVC_MAX_TEMPORAL;
    BRAID_ASSERT(braid_svc_selector_init(&c->svc, n_spatial, n_temporal, s0->ksvc, &svc_cbs, c) ==
                 0);
    braid_svc_selector_set_preferred(&c->svc, cmd->preferred_spatial, cmd->preferred_temporal);
  }
  for (unsigned i = 0; i < n_streams; i++)
    braid_consumer_set_stream_score(c, i, stream_score(p, i));
  c->available_bps = UINT32_MAX;
  braid_consumer_on_producer_bitrates(c);
}

int braid_consumer_new(braid_consumer_t **out, braid_transport_t *t, braid_producer_t *p,
                       const braid_cmd_consumer_create_t *cmd, const char **why) {
  braid_mediad_t *md = t->md;
  bool pipe = braid_str_eq(cmd->type, "pipe");
  if (braid_map_get(md->consumers, cmd->consumer_id.p, cmd->consumer_id.len) != NULL)
    return fail(why, "consumer id taken", BRAID_EEXIST);
  int rc = pipe ? check_pipe(t, p, cmd, why) : 0;
  if (rc != 0) return rc;
  if (cmd->ssrc == 0 && !pipe) return fail(why, "ssrc 0", BRAID_EINVAL);
  if (!pipe) {
    if (cmd->rtx_ssrc == cmd->ssrc) return fail(why, "rtx ssrc equals ssrc", BRAID_EINVAL);
    if (ssrc_used(t, cmd->ssrc))
      return fail(why, "ssrc already used on this transport", BRAID_EEXIST);
    if (cmd->rtx_ssrc != 0 && ssrc_used(t, cmd->rtx_ssrc))
      return fail(why, "rtx ssrc already used on this transport", BRAID_EEXIST);
  }
  braid_consumer_t *c = braid_xcalloc(1, sizeof *c);
  c->transport = t;
  c->producer = p;
  /* A pipe carries the producer's kind whatever the command says. */
  c->video = pipe ? p->video : braid_str_eq(cmd->kind, "video");
  c->paused = cmd->paused;
  c->producer_paused = p->paused;
  c->ssrc = pipe ? p->streams[0].mapped_ssrc : cmd->ssrc;
  c->rtx_ssrc = pipe ? 0 : cmd->rtx_ssrc; /* a pipe's are its streams' */
  c->fb = cmd->fb;
  c->ext = cmd->ext;
  c->spatial = c->temporal = -1;
  c->synced_stream = -1;
  if (braid_str_copy(c->id, sizeof c->id, cmd->consumer_id) != 0 ||
      braid_str_copy(c->mid, sizeof c->mid, cmd->mid) != 0 ||
      braid_str_copy(c->cname, sizeof c->cname, cmd->cname) != 0) {
    braid_free(c);
    return fail(why, "id, mid or cname too long", BRAID_EINVAL);
  }
  c->ncodecs = cmd->ncodecs;
  for (size_t i = 0; i < cmd->ncodecs; i++) {
    c->codecs[i].pt = cmd->codecs[i].pt;
    c->codecs[i].rtx_pt = cmd->codecs[i].rtx_pt;
    c->codecs[i].clock_rate = cmd->codecs[i].clock_rate;
  }
  c->clock_rate = c->codecs[0].clock_rate ? c->codecs[0].clock_rate : 90000;

  init_selectors(c, pipe, cmd);
  braid_seq_rewriter_init(&c->rw, c->clock_rate, random_u16(1000, 32767));
  braid_rtp_send_stats_init(&c->send, c->clock_rate);
  if (pipe) {
    c->pipe =
        braid_pipe_consumer_new(p, c->clock_rate, (c->fb & BRAID_FB_NACK) != 0, cmd->rtx_ssrc);
    md->pipe_consumers++;
  } else if ((c->fb & BRAID_FB_NACK) && p->streams[0].store != NULL) {
    /* What was sent, to rebuild it from the producer's store on a NACK. */
    c->sent_n = c->video ? SENT_VIDEO : SENT_AUDIO;
    c->sent = braid_xcalloc(c->sent_n, sizeof *c->sent);
    c->rtx_seq = random_u16(1000, 32767);
  }

  c->next = t->consumers;
  t->consumers = c;
  c->producer_next = p->consumers;
  p->consumers = c;
  if (pipe) p->pipe_consumers++;
  register_ssrcs(c, true);
  BRAID_ASSERT(braid_map_put(md->consumers, c->id, strlen(c->id), c) == 0);
  update_active(c);
  c->priority = 1;
  braid_transport_consumers_changed(t, c);
  *out = c;
  return 0;
}

void braid_consumer_close(braid_consumer_t *c) {
  braid_transport_t *t = c->transport;
  for (braid_consumer_t **pp = &t->consumers; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == c) {
      *pp = c->next;
      break;
    }
  }
  for (braid_consumer_t **pp = &c->producer->consumers; *pp != NULL; pp = &(*pp)->producer_next) {
    if (*pp == c) {
      *pp = c->producer_next;
      break;
    }
  }
  register_ssrcs(c, false);
  braid_map_del(t->md->consumers, c->id, strlen(c->id));
  if (c->pipe != NULL) {
    c->producer->pipe_consumers--;
    t->md->pipe_consumers--;
    braid_pipe_consumer_free(c->pipe);
  }
  braid_free(c->sent);
  braid_free(c);
  braid_transport_consumers_changed(t, NULL);
}

/* ---- RTP -------------------------------------------------------------------- */

/* Copies the producer packet's value of one extension (client id src_id)
 * under the consumer's id dst_id. */
static size_t copy_ext(braid_rtp_ext_entry_t *e, size_t n, const braid_rtp_ext_t *ext,
                       uint8_t src_id, uint8_t dst_id) {
  if (dst_id == 0 || src_id == 0 || ext == NULL) return n;
  const braid_rtp_ext_elem_t *el = braid_rtp_ext_find(ext, src_id);
  if (el == NULL || el->len == 0) return n;
  e[n] = (braid_rtp_ext_entry_t){.val = braid_rtp_ext_val(ext, el), .id = dst_id, .len = el->len};
  return n + 1;
}

/* The producer packet pkt (client form; ext its parsed extensions, client
 * ids) as this consumer's packet (consumer.h): a fresh MID, abs-send-time
 * and transport-wide number, the producer's other extension values under
 * our ids. */
int braid__consumer_build(braid_consumer_t *c, const braid_rtp_packet_t *pkt,
                          const braid_rtp_ext_t *ext, uint32_t ssrc, uint8_t mapped_pt,
                          uint16_t seq, uint32_t ts, int64_t now_ms, size_t *len) {
  braid_transport_t *t = c->transport;
  const braid_rtp_ext_ids_t *src = &c->producer->ext;
  braid_rtp_ext_entry_t e[MAX_EXT];
  uint8_t abs_send[3], twcc[2];
  size_t n = 0, cap;
  if (c->ext.mid && c->mid[0] != '\0')
    e[n++] = (braid_rtp_ext_entry_t){.val = (const uint8_t *)c->mid, .id = c->ext.mid,
                                     .len = (uint8_t)strlen(c->mid)};
  if (c->ext.abs_send_time) {
    uint32_t v = braid_rtp_ext_abs_send_time_from_us((uint64_t)now_ms * 1000);
    abs_send[0] = (uint8_t)(v >> 16), abs_send[1] = (uint8_t)(v >> 8), abs_send[2] = (uint8_t)v;
    e[n++] = (braid_rtp_ext_entry_t){.val = abs_send, .id = c->ext.abs_send_time, .len = 3};
  }
  if (c->ext.twcc) {
    braid_put16(twcc, t->twcc_seq);
    e[n++] = (braid_rtp_ext_entry_t){.val = twcc, .id = c->ext.twcc, .len = 2};
  }
  n = copy_ext(e, n, ext, src->audio_level, c->ext.audio_level);
  n = copy_ext(e, n, ext, src->video_orientation, c->ext.video_orientation);
  n = copy_ext(e, n, ext, src->toffset, c->ext.toffset);
  n = copy_ext(e, n, ext, src->abs_capture_time, c->ext.abs_capture_time);
  n = copy_ext(e, n, ext, src->playout_delay, c->ext.playout_delay);

  uint8_t *buf = braid_transport_tx_buf(t, &cap);
  if (buf == NULL) return BRAID_ELIMIT;
  braid_rtp_rewrite_t rw = {
      .ssrc = ssrc, .ts = ts, .seq = seq, .pt = mapped_pt, .ext = e, .n_ext = n};
  int rc = braid_rtp_packet_rewrite(buf, cap, 0, pkt, &rw, len);
  if (rc != 0) return rc;
  if (c->ext.twcc) braid_transport_twcc_sent(t, *len);
  c->tx_buf = buf;
  c->tx_cap = cap;
  return 0;
}

void braid_consumer_send(braid_consumer_t *c, const braid_rtp_fwd_t *fwd) {
  if (c->pipe != NULL) {
    braid_pipe_consumer_send(c, fwd);
    return;
  }
  if (!c->active) return;
  const braid_rtp_packet_t *pkt = fwd->pkt;
  bool marker = false; /* the SVC selector ends the picture sent here */
  int act = c->kind == BRAID_CONSUMER_SVC
                ? braid_svc_selector_input(&c->svc, &fwd->info, pkt->payload_len, &marker)
                : braid_simulcast_selector_input(&c->sel, fwd->encoding, &fwd->info,
                                                 pkt->payload_len);
  uint16_t seq;
  uint32_t ts;
  switch (act) {
  case BRAID_SIMULCAST_FORWARD: break;
  case BRAID_SIMULCAST_FORWARD_SYNC: {
    /* After a pause on the same stream the timestamps keep their offset;
     * a switch to another stream re-bases them on the wall clock. A video
     * frame cut short is marked by a gap, so the receiver drops it. */
    unsigned flags = c->video ? BRAID_SEQ_REWRITER_MARK_GAP : 0;
    if (fwd->encoding == c->synced_stream) flags |= BRAID_SEQ_REWRITER_KEEP_TS;
    c->synced_stream = fwd->encoding;
    braid_seq_rewriter_sync(&c->rw, pkt->seq, pkt->ts, fwd->now_ms, flags);
    break;
  }
  case BRAID_SIMULCAST_DROP: braid_seq_rewriter_drop(&c->rw, pkt->seq); return;
  default: return;
  }
  marker = marker && !pkt->marker; /* only where the packet has none */
  if (braid_seq_rewriter_input(&c->rw, pkt->seq, pkt->ts, pkt->marker || marker, fwd->now_ms, &seq,
                               &ts) != 0)
    return;

  size_t len;
  if (braid__consumer_build(c, pkt, fwd->ext, c->ssrc, fwd->mapped_pt, seq, ts, fwd->now_ms,
                            &len) != 0)
    return;
  if (marker) c->tx_buf[1] |= 0x80; /* M: the rebuilt header starts the buffer */
  if (c->sent != NULL) {
    braid_consumer_sent_t *e = &c->sent[seq & (c->sent_n - 1)];
    *e = (braid_consumer_sent_t){.out_seq = seq, .in_seq = pkt->seq, .out_ts = ts,
                                 .encoding = fwd->encoding, .marker = marker, .valid = true};
  }
  braid_rtp_send_stats_on_packet(&c->send, ts, pkt->payload_len, len, fwd->now_ms);
  braid_transport_tx_rtp(c->transport, len);
}

/* ---- state -------------------------------------------------------------------- */

void braid_consumer_set_paused(braid_consumer_t *c, bool paused) {
  c->paused = paused;
  update_active(c);
  braid_transport_consumers_changed(c->transport, NULL);
  braid_consumer_flush_events(c);
}

void braid_consumer_set_producer_paused(braid_consumer_t *c, bool paused) {
  c->producer_paused = paused;
  update_active(c);
  braid_transport_consumers_changed(c->transport, NULL);
  braid_consumer_flush_events(c);
}

void braid_consumer_set_preferred_layers(braid_consumer_t *c, int spatial, int temporal) {
  if (c->pipe != NULL || spatial < 0) return; /* a pipe forwards every layer */
  if (c->kind == BRAID_CONSUMER_SVC)
    braid_svc_selector_set_preferred(&c->svc, spatial, temporal);
  else
    braid_simulcast_selector_set_preferred(&c->sel, spatial, temporal);
  braid_transport_consumers_changed(c->transport, NULL);
  braid_consumer_flush_events(c);
}

/* ---- the producer's news ----------------------------------------------------- */

void braid_consumer_set_stream_score(braid_consumer_t *c, unsigned stream, uint8_t score) {
  if (c->kind == BRAID_CONSUMER_SVC) {
    if (stream == 0) braid_svc_selector_set_score(&c->svc, score);
  } else {
    braid_simulcast_selector_set_stream_score(&c->sel, stream, score);
  }
}

void braid_consumer_on_producer_scores(braid_consumer_t *c) {
  if (c->pipe == NULL) c->score_dirty = true;
}

void braid_consumer_on_producer_bitrates(braid_consumer_t *c) {
  const braid_producer_t *p = c->producer;
  if (!p->bitrates_measured) return;
  if (c->kind == BRAID_CONSUMER_SVC) {
    braid_svc_selector_set_layer_bitrates(&c->svc, p->streams[0].layer_bps);
    return;
  }
  for (unsigned i = 0; i < c->sel.n_streams && i < p->nstreams; i++)
    braid_simulcast_selector_set_stream_bitrate(&c->sel, i, p->streams[i].bitrate);
}

unsigned braid_consumer_current_stream(const braid_consumer_t *c) {
  if (c->kind != BRAID_CONSUMER_SIMULCAST || c->sel.cur_s < 0) return 0;
  return (unsigned)c->sel.cur_s;
}

/* ---- bandwidth ------------------------------------------------------------------ */

uint32_t braid_consumer_desired_bitrate(const braid_consumer_t *c) {
  const braid_producer_t *p = c->producer;
  if (!c->active) return 0;
  switch (c->kind) {
  case BRAID_CONSUMER_SVC:
    return braid_svc_selector_layers_bitrate(&c->svc, c->svc.pref_s, c->svc.pref_t);
  case BRAID_CONSUMER_SIMULCAST: {
    /* A stream just turned on may still read lower than one below it. */
    uint32_t best = 0;
    for (int s = 0; s <= c->sel.pref_s && s < c->sel.n_streams; s++)
      if (c->sel.bitrate[s] > best) best = c->sel.bitrate[s];
    return best;
  }
  case BRAID_CONSUMER_PIPE: {
    uint64_t sum = 0;
    for (size_t i = 0; i < p->nstreams; i++) sum += p->streams[i].bitrate;
    return sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
  }
  default: return p->streams[0].bitrate;
  }
}

void braid_consumer_set_available_bitrate(braid_consumer_t *c, uint32_t bps) {
  c->available_bps = bps;
  if (c->kind == BRAID_CONSUMER_SVC)
    braid_svc_selector_set_available_bitrate(&c->svc, bps);
  else if (c->kind == BRAID_CONSUMER_SIMULCAST)
    braid_simulcast_selector_set_available_bitrate(&c->sel, bps);
  braid_consumer_flush_events(c);
}

void braid_consumer_set_priority(braid_consumer_t *c, uint8_t priority) {
  c->priority = priority ? priority : 1;
  braid_transport_consumers_changed(c->transport, NULL);
}

void braid_consumer_on_transport_connected(braid_consumer_t *c, bool connected) {
  (void)connected; /* read from the transport */
  update_active(c);
  braid_consumer_flush_events(c);
}

void braid_consumer_request_keyframe(braid_consumer_t *c) {
  if (c->pipe != NULL) {
    braid_pipe_consumer_request_keyframe(c, -1, braid_clock_mono_ms());
    return;
  }
  if (!c->video || !c->active) return;
  if (c->kind == BRAID_CONSUMER_SVC)
    braid_svc_selector_request_keyframe(&c->svc);
  else
    braid_simulcast_selector_request_keyframe(&c->sel);
}

void braid_consumer_on_keyframe_request(braid_consumer_t *c, uint32_t ssrc) {
  if (c->pipe == NULL) {
    braid_consumer_request_keyframe(c);
    return;
  }
  int stream = braid_pipe_consumer_stream_of(c->pipe, ssrc);
  if (stream >= 0) braid_pipe_consumer_request_keyframe(c, stream, braid_clock_mono_ms());
}

bool braid_consumer_is_media_ssrc(const braid_consumer_t *c, uint32_t ssrc) {
  if (c->pipe != NULL) return braid_pipe_consumer_stream_of(c->pipe, ssrc) >= 0;
  return ssrc == c->ssrc;
}

void braid_consumer_on_tick(braid_consumer_t *c, int64_t now_ms) {
  if (c->pipe != NULL) {
    braid_pipe_consumer_on_tick(c, now_ms);
    return;
  }
  const braid_simulcast_selector_t *sel = &c->sel;
  (void)now_ms;
  /* A request can go unanswered (lost, or the stream paused meanwhile), and
   * a receiver that got nothing never asks itself: ask again. */
  if (c->kind == BRAID_CONSUMER_SVC) {
    if (c->video && braid_svc_selector_waiting_keyframe(&c->svc)) on_svc_keyframe(&c->svc, c);
  } else if (sel->active && sel->target_s >= 0 &&
             (sel->cur_s != sel->target_s || sel->sync_required) && c->video) {
    on_keyframe(&c->sel, (unsigned)sel->target_s, c);
  }
  if (c->score_dirty) publish_score(c);
  braid_consumer_flush_events(c);
}

/* ---- RTCP --------------------------------------------------------------------- */

/* Answers a NACK for output seq: rebuilds the packet from the producer's
 * store (as it was first sent) and resends it, RTX-wrapped when an RTX
 * stream is negotiated. Returns 0 or why not. */
static int resend(braid_consumer_t *c, uint16_t seq, int64_t now_ms, uint32_t rtt_ms) {
  braid_consumer_sent_t *e = &c->sent[seq & (c->sent_n - 1)];
  if (!e->valid || e->out_seq != seq) return BRAID_ENOTFOUND;
  if (e->resends >= RTX_MAX_RESENDS) return BRAID_ELIMIT;
  if (e->resends > 0 && now_ms - e->resent_ms <= (int64_t)(rtt_ms ? rtt_ms : 100)) return BRAID_ESTATE;
  braid_rtx_buffer_t *store = c->producer->streams[e->encoding].store;
  const uint8_t *data;
  size_t dlen, len;
  braid_rtp_packet_t orig, out;
  braid_rtp_ext_t ext;
  int rc;
  if (store == NULL) return BRAID_ENOTFOUND;
  if ((rc = braid_rtx_buffer_get(store, e->in_seq, now_ms, &data, &dlen)) != 0) return rc;
  if ((rc = braid_rtp_packet_parse(&orig, data, dlen)) != 0) return rc;
  if (braid_rtp_ext_parse(&ext, &orig) != 0) ext.n = 0;
  int mapped_pt = braid_producer_mapped_pt(c->producer, orig.pt);
  if (mapped_pt < 0) return BRAID_ENOTFOUND;
  rc = braid__consumer_build(c, &orig, &ext, c->ssrc, (uint8_t)mapped_pt, seq, e->out_ts, now_ms,
                             &len);
  if (rc != 0) return rc;
  if (e->marker) c->tx_buf[1] |= 0x80; /* as first sent (svc_selector.h) */
  uint8_t rtx_pt = 0; /* the RTX payload type paired with this packet's codec */
  for (size_t i = 0; i < c->ncodecs; i++)
    if (c->codecs[i].pt == (uint8_t)mapped_pt) rtx_pt = c->codecs[i].rtx_pt;
  if (c->rtx_ssrc != 0 && rtx_pt != 0) {
    /* RFC 4588: the RTX stream's SSRC, PT and sequence, the OSN first. */
    if ((rc = braid_rtp_packet_parse(&out, c->tx_buf, len)) != 0 ||
        (rc = braid_rtp_rtx_wrap(c->tx_buf, c->tx_cap, 0, &out, c->rtx_ssrc, rtx_pt, c->rtx_seq,
                                 &len)) != 0)
      return rc;
    c->rtx_seq++;
  }
  if (e->resends == 0) c->repaired++;
  e->resends++;
  e->resent_ms = now_ms;
  c->resent++;
  braid_rtp_send_stats_on_resend(&c->send, e->resends == 1);
  braid_transport_tx_rtp(c->transport, len);
  return 0;
}

void braid_consumer_on_nack(braid_consumer_t *c, uint32_t ssrc, const uint16_t *seqs, size_t n,
                            int64_t now_ms) {
  if (c->pipe != NULL) {
    int stream = braid_pipe_consumer_stream_of(c->pipe, ssrc);
    if (stream >= 0) braid_pipe_consumer_on_nack(c, (unsigned)stream, seqs, n, now_ms);
    return;
  }
  if (c->sent == NULL || !c->active || ssrc != c->ssrc) return;
  uint32_t rtt = c->send.have_rtt ? c->send.rtt_ms : 0;
  for (size_t i = 0; i < n; i++) resend(c, seqs[i], now_ms, rtt);
}

void braid_consumer_on_report(braid_consumer_t *c, const braid_rtcp_report_block_t *blk,
                              uint64_t ntp_now) {
  if (c->pipe != NULL) {
    int stream = braid_pipe_consumer_stream_of(c->pipe, blk->ssrc);
    if (stream >= 0)
      braid_pipe_consumer_on_report(c, (unsigned)stream, blk, ntp_now, braid_clock_mono_ms());
    return;
  }
  if (blk->ssrc != c->ssrc) return;
  /* The score is known from the first report on, and published at the
   * next report interval (braid_consumer_on_tick()), not here. */
  if (braid_rtp_send_stats_on_report(&c->send, blk, ntp_now, c->rtx_ssrc != 0) ||
      !c->score_reported)
    c->score_dirty = true;
  c->score_reported = true;
}

int braid_consumer_add_sr(braid_consumer_t *c, braid_rtcp_builder_t *b, int64_t now_ms,
                          uint64_t ntp_now) {
  if (c->pipe != NULL) return braid_pipe_consumer_add_sr(c, b, now_ms, ntp_now);
  braid_rtcp_sender_info_t info;
  int rc = braid_rtp_send_stats_sender_info(&c->send, ntp_now, now_ms, &info);
  if (rc != 0) return rc;
  rc = braid_rtcp_builder_report(b, c->ssrc, &info, NULL, 0);
  if (rc == 0) rc = braid_rtcp_builder_cname(b, c->ssrc, braid_str_c(c->cname));
  return rc;
}
