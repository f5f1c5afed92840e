/* SVC layer selection: preferred, target and current spatial and temporal
 * layers of one stream (see svc_selector.h). */
#include "mediad/rtc/svc_selector.h"

#include <string.h>

static void emit_layers(braid_svc_selector_t *sel) {
  if (sel->cb != NULL && sel->cb->on_layers != NULL)
    sel->cb->on_layers(sel, sel->cur_s, sel->cur_t, sel->user_data);
}

static void emit_keyframe(braid_svc_selector_t *sel) {
  if (sel->cb != NULL && sel->cb->on_keyframe != NULL) sel->cb->on_keyframe(sel, sel->user_data);
}

int braid_svc_selector_init(braid_svc_selector_t *sel, unsigned n_spatial, unsigned n_temporal,
                            bool ksvc, const braid_svc_callbacks_t *cb, void *user_data) {
  if (n_spatial == 0 || n_spatial > BRAID_SVC_MAX_SPATIAL || n_temporal == 0 ||
      n_temporal > BRAID_SVC_MAX_TEMPORAL)
    return BRAID_EINVAL;
  memset(sel, 0, sizeof *sel);
  sel->cb = cb;
  sel->user_data = user_data;
  sel->n_spatial = (uint8_t)n_spatial;
  sel->n_temporal = (uint8_t)n_temporal;
  sel->ksvc = ksvc;
  sel->pref_s = (int8_t)(n_spatial - 1);
  sel->pref_t = (int8_t)(n_temporal - 1);
  sel->target_s = sel->target_t = sel->cur_s = sel->cur_t = -1;
  sel->available_bps = BRAID_SVC_UNLIMITED;
  return 0;
}

/* ---- targets ---------------------------------------------------------------- */

uint32_t braid_svc_selector_layers_bitrate(const braid_svc_selector_t *sel, int spatial,
                                           int temporal) {
  uint64_t sum = 0;
  for (int s = 0; s <= spatial && s < sel->n_spatial; s++)
    for (int t = 0; t <= temporal && t < sel->n_temporal; t++)
      sum += sel->bitrate[s][t];
  return sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
}

/* A spatial layer is sent by the producer: the last scalability structure
 * seen (if any) has it, and it had bitrate at the last measurement (or
 * none was made yet). */
static bool layer_active(const braid_svc_selector_t *sel, int s) {
  if (sel->ss_layers > 0 && s >= sel->ss_layers) return false;
  if (!sel->measured) return true;
  for (int t = 0; t < sel->n_temporal; t++)
    if (sel->bitrate[s][t] > 0) return true;
  return false;
}

/* The target temporal layer that goes with target spatial layer s. */
static int temporal_for(const braid_svc_selector_t *sel, int s) {
  if (s == sel->pref_s) return sel->pref_t;
  return s < sel->pref_s ? sel->n_temporal - 1 : 0;
}

/* The target spatial layer for the preferred one, the stream's score, the
 * active layers and the budget; -1 when nothing can be sent. */
static int pick_spatial(const braid_svc_selector_t *sel) {
  if (sel->score == 0) return -1;
  int s_new = -1;
  for (int s = 0; s < sel->n_spatial; s++) {
    if (!layer_active(sel, s)) continue;
    if (s_new >= 0 && sel->available_bps != BRAID_SVC_UNLIMITED &&
        braid_svc_selector_layers_bitrate(sel, s, temporal_for(sel, s)) > sel->available_bps)
      break; /* higher layers cost more */
    s_new = s;
    if (s >= sel->pref_s) break;
  }
  return s_new;
}

/* A spatial move from the current layer to the target one that has to
 * wait for a key frame: any start, any K-SVC switch, a full-SVC rise. */
static bool needs_keyframe(const braid_svc_selector_t *sel) {
  if (sel->target_s < 0) return false;
  if (sel->sync_required || sel->cur_s < 0) return true;
  return sel->target_s != sel->cur_s && (sel->ksvc || sel->target_s > sel->cur_s);
}

/* Recomputes the target layers and acts on a change; at_keyframe: the
 * packet being classified is a key frame, which will serve a switch (no
 * need to ask for one). */
static void retarget(braid_svc_selector_t *sel, bool at_keyframe) {
  if (!sel->active) return;
  int s = pick_spatial(sel);
  int t = s < 0 ? -1 : temporal_for(sel, s);
  if (s == sel->target_s && t == sel->target_t) return;
  sel->target_s = (int8_t)s;
  sel->target_t = (int8_t)t;
  if (s < 0) {
    /* Nothing to send: stop, and restart later at a key frame with the
     * sequence numbers re-synced (no hole for what was skipped). */
    bool was_sending = sel->cur_s >= 0;
    sel->cur_s = sel->cur_t = -1;
    sel->sync_required = true;
    if (was_sending) emit_layers(sel);
    return;
  }
  if (needs_keyframe(sel) && !at_keyframe) emit_keyframe(sel);
}

static void reselect(braid_svc_selector_t *sel) { retarget(sel, false); }

int braid_svc_selector_set_preferred(braid_svc_selector_t *sel, int spatial, int temporal) {
  if (spatial < 0) return BRAID_EINVAL;
  if (spatial >= sel->n_spatial) spatial = sel->n_spatial - 1;
  if (temporal < 0 || temporal >= sel->n_temporal) temporal = sel->n_temporal - 1;
  sel->pref_s = (int8_t)spatial;
  sel->pref_t = (int8_t)temporal;
  reselect(sel);
  return 0;
}

void braid_svc_selector_set_active(braid_svc_selector_t *sel, bool active) {
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

void braid_svc_selector_set_score(braid_svc_selector_t *sel, uint8_t score) {
  if (sel->score == score) return;
  sel->score = score;
  reselect(sel);
}

void braid_svc_selector_set_layer_bitrates(
    braid_svc_selector_t *sel, const uint32_t bps[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL]) {
  for (int s = 0; s < sel->n_spatial; s++)
    for (int t = 0; t < sel->n_temporal; t++)
      sel->bitrate[s][t] = bps[s][t];
  sel->measured = true;
  reselect(sel);
}

void braid_svc_selector_set_available_bitrate(braid_svc_selector_t *sel, uint32_t bps) {
  sel->available_bps = bps;
  reselect(sel);
}

void braid_svc_selector_request_keyframe(braid_svc_selector_t *sel) {
  if (sel->active) emit_keyframe(sel);
}

bool braid_svc_selector_waiting_keyframe(const braid_svc_selector_t *sel) {
  return sel->active && needs_keyframe(sel);
}

/* ---- packets ------------------------------------------------------------------ */

/* Whether the packet belongs to a picture older than the newest seen. VP9
 * PictureIDs are 7 or 15 bits; a stream that ever used an id above 127
 * uses 15. */
static bool picture_is_old(const braid_svc_selector_t *sel, const braid_rtp_codec_info_t *info) {
  if (info->picture_id < 0 || !sel->have_picture) return false;
  uint16_t mask = sel->long_picture_id ? 0x7fff : 0x7f;
  uint16_t d = (uint16_t)(((uint16_t)info->picture_id - sel->max_picture) & mask);
  return d > mask / 2; /* behind by up to half the range */
}

static void note_picture(braid_svc_selector_t *sel, const braid_rtp_codec_info_t *info) {
  if (info->picture_id < 0) return;
  if (info->picture_id > 0x7f) sel->long_picture_id = true;
  sel->max_picture = (uint16_t)info->picture_id;
  sel->have_picture = true;
}

/* Where the current spatial layer may move to the target one: returns the
 * new current spatial layer (and resets *t at a key frame). */
static int spatial_step(const braid_svc_selector_t *sel, const braid_rtp_codec_info_t *info,
                        int sid, int *t) {
  if (sel->target_s == sel->cur_s) return sel->cur_s;
  if (info->keyframe) { /* a key frame allows every move */
    *t = 0;
    return sel->target_s;
  }
  /* Full SVC goes down where the target layer's frame of a picture ends:
   * the upper layers of that picture are then dropped. */
  if (!sel->ksvc && sel->target_s < sel->cur_s && sid == sel->target_s && info->frame_end)
    return sel->target_s;
  return sel->cur_s;
}

/* Where the current temporal layer may move to the target one. */
static int temporal_step(const braid_svc_selector_t *sel, const braid_rtp_codec_info_t *info,
                         int tid, int t) {
  if (sel->target_t > t) {
    if (tid > t && tid <= sel->target_t && info->frame_start &&
        (info->layer_sync || info->keyframe))
      return tid;
  } else if (sel->target_t < t) {
    if (tid == sel->target_t && info->frame_end) return sel->target_t;
  }
  return t;
}

int braid_svc_selector_input(braid_svc_selector_t *sel, const braid_rtp_codec_info_t *info,
                             size_t payload_len, bool *marker) {
  *marker = false;
  if (!sel->active) return BRAID_SVC_IGNORE;
  /* The sender announces its spatial layers: one it stopped sending is no
   * target (before the bitrates show it), and this key frame may serve. */
  if (info->spatial_layers > 0 && info->spatial_layers != sel->ss_layers) {
    sel->ss_layers = info->spatial_layers;
    retarget(sel, info->keyframe);
  }
  if (sel->target_s < 0) return BRAID_SVC_IGNORE;
  bool sync = sel->sync_required;
  if (sync && (!info->keyframe || payload_len == 0)) return BRAID_SVC_IGNORE;
  int sid = info->sid < 0 ? 0 : info->sid, tid = info->tid < 0 ? 0 : info->tid;
  int drop = sync ? BRAID_SVC_IGNORE : BRAID_SVC_DROP;
  if (payload_len == 0 || sid >= sel->n_spatial || tid >= sel->n_temporal) return drop;

  int s = sel->cur_s, t = sel->cur_t;
  bool old = false;
  if (sync) { /* (re)start at this key frame at the target layers */
    s = sel->target_s;
    t = 0;
    sel->have_picture = false;
  } else {
    old = picture_is_old(sel, info);
    if (!old) s = spatial_step(sel, info, sid, &t);
  }
  /* Layers above the current one, and in K-SVC the other layers' frames
   * that only a receiver of those layers can decode. */
  if (sid > s || (sel->ksvc && info->inter_pic && sid != s)) return drop;
  if (!old) t = temporal_step(sel, info, tid, t);
  if (tid > t) return drop;

  *marker = sid == s && info->frame_end;
  if (!old) note_picture(sel, info);
  if (s != sel->cur_s || t != sel->cur_t) {
    sel->cur_s = (int8_t)s;
    sel->cur_t = (int8_t)t;
    emit_layers(sel);
  }
  if (!sync) return BRAID_SVC_FORWARD;
  sel->sync_required = false;
  return BRAID_SVC_FORWARD_SYNC;
}
