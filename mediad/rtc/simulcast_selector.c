/* Simulcast layer selection: preferred, target and current layers (see
 * simulcast_selector.h). */
#include "mediad/rtc/simulcast_selector.h"

#include <string.h>

static void emit_layers(braid_simulcast_selector_t *sel) {
  if (sel->cb != NULL && sel->cb->on_layers != NULL)
    sel->cb->on_layers(sel, sel->cur_s, sel->cur_t, sel->user_data);
}

static void emit_keyframe(braid_simulcast_selector_t *sel, int stream) {
  if (stream >= 0 && sel->cb != NULL && sel->cb->on_keyframe != NULL)
    sel->cb->on_keyframe(sel, (unsigned)stream, sel->user_data);
}

int braid_simulcast_selector_init(braid_simulcast_selector_t *sel, unsigned n_streams,
                                  unsigned n_temporal, const braid_simulcast_callbacks_t *cb,
                                  void *user_data) {
  if (n_streams == 0 || n_streams > BRAID_SIMULCAST_MAX_STREAMS || n_temporal == 0 ||
      n_temporal > BRAID_SIMULCAST_MAX_TEMPORAL)
    return BRAID_EINVAL;
  memset(sel, 0, sizeof *sel);
  sel->cb = cb;
  sel->user_data = user_data;
  sel->n_streams = (uint8_t)n_streams;
  sel->n_temporal = (uint8_t)n_temporal;
  sel->pref_s = (int8_t)(n_streams - 1);
  sel->pref_t = (int8_t)(n_temporal - 1);
  sel->target_s = sel->target_t = sel->cur_s = sel->cur_t = -1;
  sel->available_bps = BRAID_SIMULCAST_UNLIMITED;
  return 0;
}

/* The target spatial layer for the preferred one, the scores and the
 * budget; -1 when no stream is active. */
static int pick_spatial(const braid_simulcast_selector_t *sel) {
  int s_new = -1;
  for (int s = 0; s < sel->n_streams; s++) {
    if (sel->score[s] == 0) continue;
    if (s_new >= 0 && sel->available_bps != BRAID_SIMULCAST_UNLIMITED &&
        sel->bitrate[s] > sel->available_bps)
      break; /* higher streams cost more */
    s_new = s;
    if (s >= sel->pref_s) break;
  }
  return s_new;
}

/* Recomputes the target layers and acts on a change. */
static void reselect(braid_simulcast_selector_t *sel) {
  if (!sel->active) return;
  int s = pick_spatial(sel), t = -1;
  if (s == sel->pref_s)
    t = sel->pref_t;
  else if (s >= 0)
    t = s < sel->pref_s ? sel->n_temporal - 1 : 0;
  if (s == sel->target_s && t == sel->target_t) return;

  sel->target_s = (int8_t)s;
  sel->target_t = (int8_t)t;
  if (s < 0) {
    bool was_sending = sel->cur_s >= 0;
    sel->cur_s = sel->cur_t = -1;
    if (was_sending) emit_layers(sel);
    return;
  }
  if (sel->target_s != sel->cur_s) emit_keyframe(sel, sel->target_s);
}

int braid_simulcast_selector_set_preferred(braid_simulcast_selector_t *sel, int spatial,
                                           int temporal) {
  if (spatial < 0) return BRAID_EINVAL;
  if (spatial >= sel->n_streams) spatial = sel->n_streams - 1;
  if (temporal < 0 || temporal >= sel->n_temporal) temporal = sel->n_temporal - 1;
  sel->pref_s = (int8_t)spatial;
  sel->pref_t = (int8_t)temporal;
  reselect(sel);
  return 0;
}

void braid_simulcast_selector_set_active(braid_simulcast_selector_t *sel, bool active) {
  if (active == sel->active) return;
  sel->active = active;
  if (active) {
    sel->sync_required = true;
    reselect(sel);
    return;
  }
  bool was_sending = sel->cur_s >= 0;
  sel->target_s = sel->target_t = sel->cur_s = sel->cur_t = -1;
  if (was_sending) emit_layers(sel);
}

void braid_simulcast_selector_set_stream_score(braid_simulcast_selector_t *sel, unsigned stream,
                                               uint8_t score) {
  if (stream >= sel->n_streams || sel->score[stream] == score) return;
  sel->score[stream] = score;
  reselect(sel);
}

void braid_simulcast_selector_set_stream_bitrate(braid_simulcast_selector_t *sel,
                                                 unsigned stream, uint32_t bps) {
  if (stream >= sel->n_streams) return;
  sel->bitrate[stream] = bps;
  if (sel->available_bps != BRAID_SIMULCAST_UNLIMITED) reselect(sel);
}

void braid_simulcast_selector_set_available_bitrate(braid_simulcast_selector_t *sel,
                                                    uint32_t bps) {
  sel->available_bps = bps;
  reselect(sel);
}

void braid_simulcast_selector_request_keyframe(braid_simulcast_selector_t *sel) {
  if (!sel->active) return;
  emit_keyframe(sel, sel->target_s);
  if (sel->cur_s != sel->target_s) emit_keyframe(sel, sel->cur_s);
}

/* Temporal filtering of a packet of the current stream. */
static int temporal_filter(braid_simulcast_selector_t *sel, const braid_rtp_codec_info_t *info) {
  int tid = info->tid < 0 ? 0 : info->tid;
  bool changed = false;
  if (sel->cur_t > sel->target_t) { /* going down: at once */
    sel->cur_t = sel->target_t;
    changed = true;
  }
  int action = BRAID_SIMULCAST_FORWARD;
  if (tid > sel->target_t) {
    action = BRAID_SIMULCAST_DROP;
  } else if (tid > sel->cur_t) { /* going up: only where the decoder can follow */
    if (info->layer_sync || info->keyframe) {
      sel->cur_t = (int8_t)tid;
      changed = true;
    } else {
      action = BRAID_SIMULCAST_DROP;
    }
  }
  if (changed) emit_layers(sel);
  return action;
}

int braid_simulcast_selector_input(braid_simulcast_selector_t *sel, unsigned stream,
                                   const braid_rtp_codec_info_t *info, size_t payload_len) {
  if (stream >= sel->n_streams) return BRAID_EINVAL;
  int s = (int)stream;
  if (!sel->active || sel->target_s < 0) return BRAID_SIMULCAST_IGNORE;

  bool switching = false;
  if (s == sel->target_s && s != sel->cur_s) {
    if (!info->keyframe) return BRAID_SIMULCAST_IGNORE; /* wait for its key frame */
    switching = true;
  } else if (s != sel->cur_s) {
    return BRAID_SIMULCAST_IGNORE;
  }
  if (!switching && sel->sync_required && !info->keyframe) return BRAID_SIMULCAST_IGNORE;
  if (payload_len == 0) return switching ? BRAID_SIMULCAST_IGNORE : BRAID_SIMULCAST_DROP;

  if (switching) {
    sel->cur_s = (int8_t)s;
    sel->cur_t = (int8_t)(info->tid < 0 ? 0 : info->tid);
    if (sel->cur_t > sel->target_t) sel->cur_t = sel->target_t;
    sel->sync_required = false;
    emit_layers(sel);
    return BRAID_SIMULCAST_FORWARD_SYNC;
  }
  int action = temporal_filter(sel, info);
  if (action == BRAID_SIMULCAST_FORWARD && sel->sync_required) {
    sel->sync_required = false;
    return BRAID_SIMULCAST_FORWARD_SYNC;
  }
  return action;
}
