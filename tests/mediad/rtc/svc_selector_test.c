/* Unit tests of mediad/rtc/svc_selector.c: K-SVC and full SVC streams of
 * three spatial and three temporal layers made of real VP9 payload
 * descriptors (rtp_maker.h), run through the selector and a seq rewriter
 * as consumer.c does: starts at key frames, spatial switches up and down,
 * temporal switches and drops, the marker bit on the last packet forwarded
 * of a picture, continuous output sequence numbers, key frame requests,
 * scores, layer bitrates and the budget. */
#include "mediad/rtc/svc_selector.h"

#include "mediad/rtc/seq_rewriter.h"
#include "tests/mediad/rtc/rtp_maker.h"

typedef struct world {
  braid_svc_selector_t sel;
  int layers_calls, spatial, temporal; /* on_layers */
  int kf_calls;                        /* on_keyframe */
  braid_seq_rewriter_t rw;
  uint16_t in_seq; /* next input sequence number */
  uint32_t ts;     /* timestamp of the current picture */
  bool have_out;
  uint16_t last_out; /* last output sequence number */
  int forwarded;     /* packets forwarded */
} world_t;

static void on_layers(braid_svc_selector_t *sel, int spatial, int temporal, void *ud) {
  world_t *w = ud;
  ASSERT(sel == &w->sel);
  w->layers_calls++;
  w->spatial = spatial;
  w->temporal = temporal;
}

static void on_keyframe(braid_svc_selector_t *sel, void *ud) {
  world_t *w = ud;
  ASSERT(sel == &w->sel);
  w->kf_calls++;
}

static const braid_svc_callbacks_t cbs = {on_layers, on_keyframe};

/* A selector of 3 x 3 layers (K-SVC or full), active, its stream live. */
static void setup(world_t *w, bool ksvc) {
  memset(w, 0, sizeof *w);
  ASSERT_EQ(braid_svc_selector_init(&w->sel, 3, 3, ksvc, &cbs, w), 0);
  braid_seq_rewriter_init(&w->rw, 90000, 1000);
  w->in_seq = 50000;
  w->ts = 3000;
  braid_svc_selector_set_active(&w->sel, true);
  braid_svc_selector_set_score(&w->sel, 10);
}

/* One packet through the selector and the rewriter, as consumer.c does;
 * checks that every forwarded packet follows the previous one. Returns the
 * action; *marker (may be NULL) says whether the output carries M. */
static int feed(world_t *w, const vp9_desc_t *d, bool *marker) {
  braid_rtp_codec_info_t info = vp9_info(d);
  bool m = false;
  uint16_t seq = w->in_seq++, out;
  uint32_t ots;
  int act = braid_svc_selector_input(&w->sel, &info, 6, &m);
  if (act == BRAID_SVC_DROP) braid_seq_rewriter_drop(&w->rw, seq);
  if (act == BRAID_SVC_FORWARD_SYNC)
    braid_seq_rewriter_sync(&w->rw, seq, w->ts, 0, BRAID_SEQ_REWRITER_KEEP_TS);
  if (act == BRAID_SVC_FORWARD || act == BRAID_SVC_FORWARD_SYNC) {
    ASSERT_EQ(braid_seq_rewriter_input(&w->rw, seq, w->ts, false, 0, &out, &ots), 0);
    ASSERT_EQ(ots, w->ts); /* timestamps untouched */
    if (w->have_out) ASSERT_EQ(out, (uint16_t)(w->last_out + 1));
    w->have_out = true;
    w->last_out = out;
    w->forwarded++;
  } else {
    ASSERT(!m);
  }
  if (marker) *marker = m;
  return act;
}

/* What happened to one picture: which spatial layers were forwarded (bit
 * per sid) and which one carried the marker (-1: none). */
typedef struct pic_out {
  unsigned sent;
  int marker_sid;
} pic_out_t;

/* A picture of temporal layer tid with its three spatial layers, one
 * packet each (B and E set). key: a key frame (every layer without
 * inter-picture prediction); up: the U bit on every layer frame; k_svc:
 * upper layers of inter pictures are predicted from their own past only
 * (the bits do not differ: P is set on every layer of an inter picture). */
static pic_out_t picture(world_t *w, uint16_t pic, int tid, bool key, bool up) {
  pic_out_t o = {0, -1};
  w->ts += 3000;
  for (int sid = 0; sid < 3; sid++) {
    vp9_desc_t d = {pic, sid, tid, !key, true, true, up};
    bool m;
    int act = feed(w, &d, &m);
    if (act == BRAID_SVC_FORWARD || act == BRAID_SVC_FORWARD_SYNC) o.sent |= 1u << sid;
    if (m) {
      ASSERT_EQ(o.marker_sid, -1);
      o.marker_sid = sid;
    }
  }
  return o;
}

BRAID_TEST(init_checks_and_inactive) {
  braid_svc_selector_t sel;
  ASSERT_EQ(braid_svc_selector_init(&sel, 0, 1, false, NULL, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_svc_selector_init(&sel, 1, 0, false, NULL, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_svc_selector_init(&sel, BRAID_SVC_MAX_SPATIAL + 1, 1, false, NULL, NULL),
            BRAID_EINVAL);
  ASSERT_EQ(braid_svc_selector_init(&sel, 1, BRAID_SVC_MAX_TEMPORAL + 1, false, NULL, NULL),
            BRAID_EINVAL);
  ASSERT_EQ(braid_svc_selector_init(&sel, 3, 3, true, NULL, NULL), 0);
  ASSERT_EQ(sel.pref_s, 2);
  ASSERT_EQ(sel.pref_t, 2);
  ASSERT_EQ(braid_svc_selector_set_preferred(&sel, -1, 0), BRAID_EINVAL);
  vp9_desc_t key = {1, 0, 0, false, true, true, false};
  braid_rtp_codec_info_t info = vp9_info(&key);
  bool m = true;
  ASSERT_EQ(braid_svc_selector_input(&sel, &info, 6, &m), BRAID_SVC_IGNORE);
  ASSERT(!m);
  /* Active, but the stream has no score yet: nothing either, and NULL
   * callbacks are fine. */
  braid_svc_selector_set_active(&sel, true);
  ASSERT_EQ(sel.target_s, -1);
  ASSERT_EQ(braid_svc_selector_input(&sel, &info, 6, &m), BRAID_SVC_IGNORE);
  braid_svc_selector_set_score(&sel, 10);
  ASSERT_EQ(sel.target_s, 2);
  ASSERT_EQ(braid_svc_selector_input(&sel, &info, 6, &m), BRAID_SVC_FORWARD_SYNC);
  braid_svc_selector_request_keyframe(&sel);
  braid_svc_selector_set_active(&sel, false);
  ASSERT_EQ(sel.cur_s, -1);
}

BRAID_TEST(ksvc_starts_at_a_key_frame_and_sends_one_layer) {
  world_t w;
  setup(&w, true);
  ASSERT_EQ(w.sel.target_s, 2);
  ASSERT_EQ(w.sel.target_t, 2);
  ASSERT_EQ(w.kf_calls, 1); /* the start needs a key frame */
  ASSERT(braid_svc_selector_waiting_keyframe(&w.sel));
  /* Inter pictures before the key frame: nothing, the rewriter untouched. */
  pic_out_t o = picture(&w, 1, 0, false, false);
  ASSERT_EQ(o.sent, 0);
  ASSERT_EQ(w.layers_calls, 0);
  /* The key frame: every layer up to the target, M at the end of sid 2. */
  o = picture(&w, 2, 0, true, false);
  ASSERT_EQ(o.sent, 7);
  ASSERT_EQ(o.marker_sid, 2);
  ASSERT_EQ(w.layers_calls, 1);
  ASSERT_EQ(w.spatial, 2);
  ASSERT_EQ(w.temporal, 0);
  ASSERT(!braid_svc_selector_waiting_keyframe(&w.sel));
  /* K-SVC inter pictures: only the layer sent; temporal layer 2 joins at
   * its switching-up point. */
  o = picture(&w, 3, 2, false, false); /* tid 2, no U: not yet */
  ASSERT_EQ(o.sent, 0);
  o = picture(&w, 4, 1, false, true); /* tid 1 with U: up to 1 */
  ASSERT_EQ(o.sent, 4);
  ASSERT_EQ(o.marker_sid, 2);
  ASSERT_EQ(w.temporal, 1);
  o = picture(&w, 5, 2, false, true); /* tid 2 with U: up to 2 */
  ASSERT_EQ(o.sent, 4);
  ASSERT_EQ(w.temporal, 2);
  ASSERT_EQ(w.layers_calls, 3);
  o = picture(&w, 6, 0, false, false);
  ASSERT_EQ(o.sent, 4);
  ASSERT_EQ(o.marker_sid, 2);
  ASSERT_EQ(w.kf_calls, 1);
}

BRAID_TEST(ksvc_switches_spatial_layers_at_key_frames) {
  world_t w;
  setup(&w, true);
  picture(&w, 1, 0, true, false);
  /* Down to spatial 0: a key frame is asked for, and until it comes the
   * current layer goes on. */
  braid_svc_selector_set_preferred(&w.sel, 0, -1);
  ASSERT_EQ(w.sel.target_s, 0);
  ASSERT_EQ(w.sel.target_t, 2);
  ASSERT_EQ(w.kf_calls, 2);
  ASSERT(braid_svc_selector_waiting_keyframe(&w.sel));
  pic_out_t o = picture(&w, 2, 0, false, false);
  ASSERT_EQ(o.sent, 4);
  ASSERT_EQ(w.spatial, 2);
  o = picture(&w, 3, 0, true, false);
  ASSERT_EQ(o.sent, 1);
  ASSERT_EQ(o.marker_sid, 0); /* the picture ends at sid 0 for this receiver */
  ASSERT_EQ(w.spatial, 0);
  ASSERT_EQ(w.temporal, 0);
  o = picture(&w, 4, 0, false, false);
  ASSERT_EQ(o.sent, 1);
  ASSERT_EQ(o.marker_sid, 0);
  /* Up to spatial 1: another key frame. */
  braid_svc_selector_set_preferred(&w.sel, 1, 2);
  ASSERT_EQ(w.kf_calls, 3);
  o = picture(&w, 5, 0, false, false);
  ASSERT_EQ(o.sent, 1);
  o = picture(&w, 6, 0, true, false);
  ASSERT_EQ(o.sent, 3);
  ASSERT_EQ(o.marker_sid, 1);
  ASSERT_EQ(w.spatial, 1);
  o = picture(&w, 7, 0, false, false);
  ASSERT_EQ(o.sent, 2);
  ASSERT_EQ(o.marker_sid, 1);
  /* A receiver's key frame request goes through. */
  braid_svc_selector_request_keyframe(&w.sel);
  ASSERT_EQ(w.kf_calls, 4);
}

BRAID_TEST(full_svc_switches_down_at_the_end_of_the_target_layer) {
  world_t w;
  setup(&w, false);
  pic_out_t o = picture(&w, 1, 0, true, false);
  ASSERT_EQ(o.sent, 7);
  ASSERT_EQ(o.marker_sid, 2);
  /* Full SVC inter pictures: every layer up to the current one. */
  o = picture(&w, 2, 0, false, false);
  ASSERT_EQ(o.sent, 7);
  ASSERT_EQ(o.marker_sid, 2);
  /* Down to 1: no key frame needed; the next picture ends at sid 1. */
  int kf = w.kf_calls;
  braid_svc_selector_set_preferred(&w.sel, 1, -1);
  ASSERT_EQ(w.kf_calls, kf);
  ASSERT(!braid_svc_selector_waiting_keyframe(&w.sel));
  o = picture(&w, 3, 0, false, false);
  ASSERT_EQ(o.sent, 3);
  ASSERT_EQ(o.marker_sid, 1);
  ASSERT_EQ(w.spatial, 1);
  ASSERT_EQ(w.temporal, 0); /* kept */
  /* Up to 2 again: only at a key frame (the upper layer's own past is
   * missing), which is asked for. */
  braid_svc_selector_set_preferred(&w.sel, 2, -1);
  ASSERT_EQ(w.kf_calls, kf + 1);
  ASSERT(braid_svc_selector_waiting_keyframe(&w.sel));
  o = picture(&w, 4, 0, false, false);
  ASSERT_EQ(o.sent, 3);
  ASSERT_EQ(o.marker_sid, 1);
  o = picture(&w, 5, 0, true, false);
  ASSERT_EQ(o.sent, 7);
  ASSERT_EQ(o.marker_sid, 2);
  ASSERT_EQ(w.spatial, 2);
}

BRAID_TEST(full_svc_layer_frames_of_several_packets) {
  world_t w;
  setup(&w, false);
  picture(&w, 1, 0, true, false);
  braid_svc_selector_set_preferred(&w.sel, 0, -1);
  /* Picture 2: sid 0 in two packets; the switch happens at its end (E), so
   * the first packet is no marker and the second is. */
  vp9_desc_t a = {2, 0, 0, true, true, false, false}, b = {2, 0, 0, true, false, true, false};
  vp9_desc_t c = {2, 1, 0, true, true, true, false};
  bool m;
  ASSERT_EQ(feed(&w, &a, &m), BRAID_SVC_FORWARD);
  ASSERT(!m);
  ASSERT_EQ(w.spatial, 2);
  ASSERT_EQ(feed(&w, &b, &m), BRAID_SVC_FORWARD);
  ASSERT(m);
  ASSERT_EQ(w.spatial, 0);
  ASSERT_EQ(feed(&w, &c, &m), BRAID_SVC_DROP);
}

BRAID_TEST(temporal_layers_drop_and_switch) {
  world_t w;
  setup(&w, false);
  braid_svc_selector_set_preferred(&w.sel, 2, 0);
  ASSERT_EQ(w.sel.target_t, 0);
  picture(&w, 1, 0, true, false);
  /* Only temporal layer 0: tid 1 and 2 are dropped, U or not. */
  ASSERT_EQ(picture(&w, 2, 2, false, true).sent, 0);
  ASSERT_EQ(picture(&w, 3, 1, false, true).sent, 0);
  ASSERT_EQ(picture(&w, 4, 0, false, false).sent, 7);
  /* Up to 2: tid 2 without U waits, tid 1 with U climbs to 1 only. */
  braid_svc_selector_set_preferred(&w.sel, 2, 2);
  ASSERT_EQ(picture(&w, 5, 2, false, false).sent, 0);
  ASSERT_EQ(picture(&w, 6, 1, false, true).sent, 7);
  ASSERT_EQ(w.temporal, 1);
  /* A packet in the middle of a layer frame (B clear) is no switching
   * point even with U. */
  vp9_desc_t mid = {7, 0, 2, true, false, false, true};
  ASSERT_EQ(feed(&w, &mid, NULL), BRAID_SVC_DROP);
  ASSERT_EQ(picture(&w, 8, 2, false, true).sent, 7);
  ASSERT_EQ(w.temporal, 2);
  /* Down to 0: tid 2 and 1 frames keep coming until a tid 0 layer frame
   * ends; from then on they are dropped. */
  braid_svc_selector_set_preferred(&w.sel, 2, 0);
  ASSERT_EQ(picture(&w, 9, 2, false, false).sent, 7);
  ASSERT_EQ(w.temporal, 2);
  ASSERT_EQ(picture(&w, 10, 0, false, false).sent, 7);
  ASSERT_EQ(w.temporal, 0);
  ASSERT_EQ(picture(&w, 11, 1, false, true).sent, 0);
  ASSERT_EQ(picture(&w, 12, 2, false, true).sent, 0);
  ASSERT_EQ(picture(&w, 13, 0, false, false).sent, 7);
}

BRAID_TEST(padding_and_undeclared_layers_are_dropped) {
  world_t w;
  setup(&w, false);
  vp9_desc_t key = {1, 0, 0, false, true, true, false};
  braid_rtp_codec_info_t info = vp9_info(&key);
  bool m;
  /* Padding before the start: ignored (not a key frame to start on). */
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &info, 0, &m), BRAID_SVC_IGNORE);
  picture(&w, 1, 0, true, false);
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &info, 0, &m), BRAID_SVC_DROP);
  /* sid 3 and tid 3 do not exist in L3T3: dropped, as mediasoup does. */
  vp9_desc_t sid3 = {2, 3, 0, true, true, true, false}, tid3 = {2, 0, 3, true, true, true, true};
  ASSERT_EQ(feed(&w, &sid3, NULL), BRAID_SVC_DROP);
  ASSERT_EQ(feed(&w, &tid3, NULL), BRAID_SVC_DROP);
  ASSERT_EQ(w.spatial, 2);
  ASSERT_EQ(w.temporal, 0);
}

BRAID_TEST(late_packets_do_not_move_layers) {
  world_t w;
  setup(&w, false);
  picture(&w, 100, 0, true, false);
  picture(&w, 101, 0, false, false);
  braid_svc_selector_set_preferred(&w.sel, 1, -1);
  /* A late packet of picture 100 that ends sid 1 is no switching point. */
  vp9_desc_t late = {100, 1, 0, true, false, true, false};
  bool m;
  ASSERT_EQ(feed(&w, &late, &m), BRAID_SVC_FORWARD);
  ASSERT_EQ(w.spatial, 2);
  ASSERT(!m);
  /* The next picture's is. */
  ASSERT_EQ(picture(&w, 102, 0, false, false).marker_sid, 1);
  ASSERT_EQ(w.spatial, 1);
  /* PictureIDs wrap at 15 bits. */
  picture(&w, 0x7fff, 0, false, false);
  ASSERT_EQ(picture(&w, 0, 0, false, false).sent, 3);
}

BRAID_TEST(pause_score_and_restart) {
  world_t w;
  setup(&w, true);
  picture(&w, 1, 0, true, false);
  int out = w.forwarded;
  /* The stream dies: nothing is sent (-1/-1), and the restart waits for a
   * key frame, re-synced so that the output has no hole. */
  braid_svc_selector_set_score(&w.sel, 0);
  ASSERT_EQ(w.spatial, -1);
  ASSERT_EQ(w.temporal, -1);
  ASSERT_EQ(picture(&w, 2, 0, false, false).sent, 0);
  braid_svc_selector_set_score(&w.sel, 7);
  ASSERT(braid_svc_selector_waiting_keyframe(&w.sel));
  ASSERT_EQ(picture(&w, 3, 0, false, false).sent, 0);
  ASSERT_EQ(picture(&w, 4, 0, true, false).sent, 7);
  ASSERT_EQ(w.spatial, 2);
  /* Pause: -1/-1; resume: again at a key frame. */
  braid_svc_selector_set_active(&w.sel, false);
  ASSERT_EQ(w.spatial, -1);
  ASSERT_EQ(picture(&w, 5, 0, true, false).sent, 0);
  int kf = w.kf_calls;
  braid_svc_selector_set_active(&w.sel, true);
  ASSERT_EQ(w.kf_calls, kf + 1);
  ASSERT_EQ(picture(&w, 6, 0, false, false).sent, 0);
  ASSERT_EQ(picture(&w, 7, 0, true, false).sent, 7);
  ASSERT_EQ(w.forwarded, out + 6);
}

BRAID_TEST(layer_bitrates_and_budget) {
  world_t w;
  setup(&w, false);
  uint32_t bps[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL] = {{0}};
  /* Per layer frame kind: spatial 0 costs 100k, spatial 1 adds 300k,
   * spatial 2 adds 900k (a third per temporal layer each). */
  for (int t = 0; t < 3; t++) {
    bps[0][t] = 100000 / 3;
    bps[1][t] = 300000 / 3;
    bps[2][t] = 900000 / 3;
  }
  braid_svc_selector_set_layer_bitrates(&w.sel, bps);
  ASSERT_EQ(braid_svc_selector_layers_bitrate(&w.sel, 0, 2), 99999);
  ASSERT_EQ(braid_svc_selector_layers_bitrate(&w.sel, 1, 2), 399999);
  ASSERT_EQ(braid_svc_selector_layers_bitrate(&w.sel, 2, 0), 433333);
  ASSERT_EQ(braid_svc_selector_layers_bitrate(&w.sel, 9, 9), 1299999);
  ASSERT_EQ(w.sel.target_s, 2);
  /* 500 kbps: spatial 1 (400k) fits, 2 (1.3M) does not. */
  braid_svc_selector_set_available_bitrate(&w.sel, 500000);
  ASSERT_EQ(w.sel.target_s, 1);
  ASSERT_EQ(w.sel.target_t, 2);
  /* Too little for anything: the lowest layer anyway. */
  braid_svc_selector_set_available_bitrate(&w.sel, 1000);
  ASSERT_EQ(w.sel.target_s, 0);
  braid_svc_selector_set_available_bitrate(&w.sel, BRAID_SVC_UNLIMITED);
  ASSERT_EQ(w.sel.target_s, 2);
  /* The producer stopped sending spatial 2: it is no target any more. */
  for (int t = 0; t < 3; t++)
    bps[2][t] = 0;
  braid_svc_selector_set_layer_bitrates(&w.sel, bps);
  ASSERT_EQ(w.sel.target_s, 1);
  /* Preferred 0 while spatial 0 is silent: the lowest active above it. */
  bps[2][0] = 5;
  for (int t = 0; t < 3; t++)
    bps[0][t] = 0;
  braid_svc_selector_set_layer_bitrates(&w.sel, bps);
  braid_svc_selector_set_preferred(&w.sel, 0, 0);
  ASSERT_EQ(w.sel.target_s, 1);
  ASSERT_EQ(w.sel.target_t, 0);
  /* Nothing has bitrate: nothing to send. */
  memset(bps, 0, sizeof bps);
  braid_svc_selector_set_layer_bitrates(&w.sel, bps);
  ASSERT_EQ(w.sel.target_s, -1);
}

BRAID_TEST(scalability_structure_limits_the_target) {
  /* L3T3_KEY declared, but the sender's key frame announces two spatial
   * layers (Chromium at 640x480): the key frame starts spatial 1 at once,
   * without waiting for bitrates or asking for another key frame. */
  world_t w;
  setup(&w, true);
  ASSERT_EQ(w.sel.target_s, 2);
  int kf = w.kf_calls;
  w.ts += 3000;
  vp9_desc_t d0 = {1, 0, 0, false, true, true, false}, d1 = {1, 1, 0, false, true, true, false};
  braid_rtp_codec_info_t i0 = vp9_info(&d0), i1 = vp9_info(&d1);
  i0.spatial_layers = 2; /* as an SS in the key frame's first packet says */
  bool m;
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &i0, 6, &m), BRAID_SVC_FORWARD_SYNC);
  ASSERT(!m);
  ASSERT_EQ(w.sel.target_s, 1);
  ASSERT_EQ(w.spatial, 1);
  ASSERT_EQ(w.kf_calls, kf);
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &i1, 6, &m), BRAID_SVC_FORWARD);
  ASSERT(m); /* spatial 1 ends the picture */
  /* Three layers again (on an inter frame): the target rises, a key frame
   * is asked for (the stream has no bitrates measured: all count). */
  vp9_desc_t d2 = {2, 0, 0, true, true, true, false};
  braid_rtp_codec_info_t i2 = vp9_info(&d2);
  i2.spatial_layers = 3;
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &i2, 6, &m), BRAID_SVC_DROP); /* K-SVC: sid 0 */
  ASSERT_EQ(w.sel.target_s, 2);
  ASSERT_EQ(w.kf_calls, kf + 1);
  ASSERT_EQ(w.spatial, 1);
}

BRAID_TEST(streams_without_layer_ids) {
  /* A VP9 stream without the L byte (one layer): sid and tid read as 0. */
  world_t w;
  memset(&w, 0, sizeof w);
  ASSERT_EQ(braid_svc_selector_init(&w.sel, 1, 1, false, &cbs, &w), 0);
  braid_svc_selector_set_active(&w.sel, true);
  braid_svc_selector_set_score(&w.sel, 10);
  static const uint8_t key[] = {0x0c, 0xaa}, inter[] = {0x4c, 0xbb}; /* B E, P B E */
  braid_rtp_codec_info_t ki, ii;
  ASSERT_EQ(braid_rtp_codec_vp9_inspect(key, sizeof key, &ki), 0);
  ASSERT_EQ(braid_rtp_codec_vp9_inspect(inter, sizeof inter, &ii), 0);
  bool m;
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &ii, 2, &m), BRAID_SVC_IGNORE);
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &ki, 2, &m), BRAID_SVC_FORWARD_SYNC);
  ASSERT(m);
  ASSERT_EQ(braid_svc_selector_input(&w.sel, &ii, 2, &m), BRAID_SVC_FORWARD);
  ASSERT(m);
  ASSERT_EQ(w.spatial, 0);
  ASSERT_EQ(w.temporal, 0);
}

BRAID_TEST(cost_per_packet) {
  world_t w;
  setup(&w, true);
  picture(&w, 1, 0, true, false);
  braid_rtp_codec_info_t info[3];
  for (int sid = 0; sid < 3; sid++) {
    vp9_desc_t d = {2, sid, sid, true, true, true, true};
    info[sid] = vp9_info(&d);
  }
  int acc = 0;
  bool m;
  int64_t t0 = test_now_ns();
  for (int i = 0; i < 1000000; i++)
    acc += braid_svc_selector_input(&w.sel, &info[i % 3], 10, &m);
  int64_t t1 = test_now_ns();
  printf("  svc_selector: %.1f ns per packet (acc %d)\n", (double)(t1 - t0) / 1e6, acc);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(init_checks_and_inactive)
        BRAID_TEST_ENTRY(ksvc_starts_at_a_key_frame_and_sends_one_layer)
            BRAID_TEST_ENTRY(ksvc_switches_spatial_layers_at_key_frames)
                BRAID_TEST_ENTRY(full_svc_switches_down_at_the_end_of_the_target_layer)
                    BRAID_TEST_ENTRY(full_svc_layer_frames_of_several_packets)
                        BRAID_TEST_ENTRY(temporal_layers_drop_and_switch)
                            BRAID_TEST_ENTRY(padding_and_undeclared_layers_are_dropped)
                                BRAID_TEST_ENTRY(late_packets_do_not_move_layers)
                                    BRAID_TEST_ENTRY(pause_score_and_restart) BRAID_TEST_ENTRY(
                                        layer_bitrates_and_budget)
                                        BRAID_TEST_ENTRY(scalability_structure_limits_the_target)
                                            BRAID_TEST_ENTRY(streams_without_layer_ids)
                                                BRAID_TEST_ENTRY(cost_per_packet))
