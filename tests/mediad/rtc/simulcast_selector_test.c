/* Unit tests of mediad/rtc/simulcast_selector.c: target selection from
 * preferred layers, scores and budget; switches at key frames only; key
 * frame requests; temporal up/down switching; pause and resume. Payload
 * info comes from the wire layer's VP8 inspection. */
#include "mediad/rtc/simulcast_selector.h"

#include "tests/mediad/rtc/rtp_maker.h"

typedef struct events {
  int layers_calls, spatial, temporal;
  int kf_calls, kf_last, kf_mask;
} events_t;

static void on_layers(braid_simulcast_selector_t *sel, int spatial, int temporal, void *ud) {
  ASSERT(sel != NULL);
  events_t *e = ud;
  e->layers_calls++;
  e->spatial = spatial;
  e->temporal = temporal;
}

static void on_keyframe(braid_simulcast_selector_t *sel, unsigned stream, void *ud) {
  ASSERT(sel != NULL);
  events_t *e = ud;
  e->kf_calls++;
  e->kf_last = (int)stream;
  e->kf_mask |= 1 << stream;
}

static const braid_simulcast_callbacks_t cbs = {on_layers, on_keyframe};

/* A selector of 3 streams x 3 temporal layers, active, all streams live. */
static void setup(braid_simulcast_selector_t *sel, events_t *ev) {
  memset(ev, 0, sizeof *ev);
  ASSERT_EQ(braid_simulcast_selector_init(sel, 3, 3, &cbs, ev), 0);
  braid_simulcast_selector_set_active(sel, true);
  for (unsigned s = 0; s < 3; s++) braid_simulcast_selector_set_stream_score(sel, s, 10);
}

static int in(braid_simulcast_selector_t *sel, unsigned stream, bool key, int tid, bool sync) {
  braid_rtp_codec_info_t info = vp8_info(key, tid, sync);
  return braid_simulcast_selector_input(sel, stream, &info, 10);
}

BRAID_TEST(inactive_ignores_everything) {
  braid_simulcast_selector_t sel;
  events_t ev = {0};
  ASSERT_EQ(braid_simulcast_selector_init(&sel, 3, 3, &cbs, &ev), 0);
  braid_simulcast_selector_set_stream_score(&sel, 2, 10);
  ASSERT_EQ(in(&sel, 2, true, 0, false), BRAID_SIMULCAST_IGNORE);
  ASSERT_EQ(ev.kf_calls, 0);
  ASSERT_EQ(ev.layers_calls, 0);
  /* Active but no live stream: still nothing. */
  braid_simulcast_selector_set_stream_score(&sel, 2, 0);
  braid_simulcast_selector_set_active(&sel, true);
  ASSERT_EQ(sel.target_s, -1);
  ASSERT_EQ(in(&sel, 2, true, 0, false), BRAID_SIMULCAST_IGNORE);
  ASSERT_EQ(ev.kf_calls, 0);
}

BRAID_TEST(starts_on_a_key_frame_of_the_highest_stream) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  ASSERT_EQ(sel.target_s, 2);
  ASSERT_EQ(sel.target_t, 2);
  ASSERT_EQ(ev.kf_last, 2); /* each new target asked for a key frame */
  ASSERT_EQ(in(&sel, 0, true, 0, false), BRAID_SIMULCAST_IGNORE);
  ASSERT_EQ(in(&sel, 2, false, 0, false), BRAID_SIMULCAST_IGNORE); /* waits for a key frame */
  ASSERT_EQ(in(&sel, 2, true, 0, false), BRAID_SIMULCAST_FORWARD_SYNC);
  ASSERT_EQ(ev.layers_calls, 1);
  ASSERT_EQ(ev.spatial, 2);
  ASSERT_EQ(ev.temporal, 0);
  /* Temporal layers come up only at layer sync points. */
  ASSERT_EQ(in(&sel, 2, false, 2, false), BRAID_SIMULCAST_DROP);
  ASSERT_EQ(in(&sel, 2, false, 1, true), BRAID_SIMULCAST_FORWARD);
  ASSERT_EQ(ev.temporal, 1);
  ASSERT_EQ(in(&sel, 2, false, 0, false), BRAID_SIMULCAST_FORWARD);
  ASSERT_EQ(in(&sel, 2, false, 2, true), BRAID_SIMULCAST_FORWARD);
  ASSERT_EQ(ev.temporal, 2);
  ASSERT_EQ(in(&sel, 2, false, 1, false), BRAID_SIMULCAST_FORWARD);
  ASSERT_EQ(ev.layers_calls, 3);
  ASSERT_EQ(in(&sel, 1, true, 0, false), BRAID_SIMULCAST_IGNORE);
}

BRAID_TEST(switch_down_waits_for_the_target_key_frame) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  ASSERT_EQ(in(&sel, 2, true, 0, false), BRAID_SIMULCAST_FORWARD_SYNC);
  ev.kf_calls = 0;
  ASSERT_EQ(braid_simulcast_selector_set_preferred(&sel, 1, -1), 0);
  ASSERT_EQ(sel.target_s, 1);
  ASSERT_EQ(sel.target_t, 2);
  ASSERT_EQ(ev.kf_calls, 1);
  ASSERT_EQ(ev.kf_last, 1);
  /* The current stream goes on until stream 1's key frame. */
  ASSERT_EQ(in(&sel, 2, false, 0, false), BRAID_SIMULCAST_FORWARD);
  ASSERT_EQ(in(&sel, 1, false, 0, false), BRAID_SIMULCAST_IGNORE);
  ASSERT_EQ(in(&sel, 1, true, 0, false), BRAID_SIMULCAST_FORWARD_SYNC);
  ASSERT_EQ(ev.spatial, 1);
  ASSERT_EQ(in(&sel, 2, false, 0, false), BRAID_SIMULCAST_IGNORE);
  ASSERT_EQ(in(&sel, 1, false, 0, false), BRAID_SIMULCAST_FORWARD);
}

BRAID_TEST(temporal_down_is_immediate) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  in(&sel, 2, true, 0, false);
  in(&sel, 2, false, 2, true);
  ASSERT_EQ(sel.cur_t, 2);
  int calls = ev.kf_calls;
  ASSERT_EQ(braid_simulcast_selector_set_preferred(&sel, 2, 0), 0);
  ASSERT_EQ(ev.kf_calls, calls); /* same stream: no key frame needed */
  ASSERT_EQ(in(&sel, 2, false, 1, false), BRAID_SIMULCAST_DROP);
  ASSERT_EQ(ev.temporal, 0);
  ASSERT_EQ(in(&sel, 2, false, 0, false), BRAID_SIMULCAST_FORWARD);
  ASSERT_EQ(braid_simulcast_selector_set_preferred(&sel, 9, 9), 0); /* clamped to 2/2 */
  ASSERT_EQ(sel.pref_s, 2);
  ASSERT_EQ(sel.pref_t, 2);
  ASSERT_EQ(braid_simulcast_selector_set_preferred(&sel, -1, 0), BRAID_EINVAL);
}

BRAID_TEST(dead_stream_moves_the_target) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  in(&sel, 2, true, 0, false);
  braid_simulcast_selector_set_stream_score(&sel, 2, 0);
  ASSERT_EQ(sel.target_s, 1);
  ASSERT_EQ(sel.target_t, 2); /* below the preferred: highest temporal */
  ASSERT_EQ(ev.kf_last, 1);
  /* Preferred below every live stream: the lowest live one, temporal 0. */
  braid_simulcast_selector_set_stream_score(&sel, 0, 0);
  ASSERT_EQ(braid_simulcast_selector_set_preferred(&sel, 0, 2), 0);
  ASSERT_EQ(sel.target_s, 1);
  ASSERT_EQ(sel.target_t, 0);
  /* Nothing live: stop, layers -1/-1. */
  braid_simulcast_selector_set_stream_score(&sel, 1, 0);
  ASSERT_EQ(sel.target_s, -1);
  ASSERT_EQ(ev.spatial, -1);
  ASSERT_EQ(ev.temporal, -1);
  ASSERT_EQ(in(&sel, 2, true, 0, false), BRAID_SIMULCAST_IGNORE);
}

BRAID_TEST(pause_and_resume) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  in(&sel, 2, true, 0, false);
  braid_simulcast_selector_set_active(&sel, false);
  ASSERT_EQ(ev.spatial, -1);
  ASSERT_EQ(in(&sel, 2, true, 0, false), BRAID_SIMULCAST_IGNORE);
  ev.kf_calls = 0;
  braid_simulcast_selector_set_active(&sel, true);
  ASSERT_EQ(ev.kf_calls, 1);
  ASSERT_EQ(ev.kf_last, 2);
  ASSERT_EQ(in(&sel, 2, false, 0, false), BRAID_SIMULCAST_IGNORE);
  ASSERT_EQ(in(&sel, 2, true, 0, false), BRAID_SIMULCAST_FORWARD_SYNC);
  ASSERT_EQ(ev.spatial, 2);
}

BRAID_TEST(padding_only_packets) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  braid_rtp_codec_info_t none;
  memset(&none, 0, sizeof none);
  none.tid = -1;
  ASSERT_EQ(braid_simulcast_selector_input(&sel, 2, &none, 0), BRAID_SIMULCAST_IGNORE);
  in(&sel, 2, true, 0, false);
  ASSERT_EQ(braid_simulcast_selector_input(&sel, 2, &none, 0), BRAID_SIMULCAST_DROP);
  ASSERT_EQ(braid_simulcast_selector_input(&sel, 1, &none, 0), BRAID_SIMULCAST_IGNORE);
  ASSERT_EQ(braid_simulcast_selector_input(&sel, 3, &none, 0), BRAID_EINVAL);
}

BRAID_TEST(budget_limits_the_spatial_layer) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  braid_simulcast_selector_set_stream_bitrate(&sel, 0, 150000);
  braid_simulcast_selector_set_stream_bitrate(&sel, 1, 500000);
  braid_simulcast_selector_set_stream_bitrate(&sel, 2, 1500000);
  ASSERT_EQ(sel.target_s, 2); /* unlimited by default */
  braid_simulcast_selector_set_available_bitrate(&sel, 600000);
  ASSERT_EQ(sel.target_s, 1);
  braid_simulcast_selector_set_available_bitrate(&sel, 100000);
  ASSERT_EQ(sel.target_s, 0); /* the lowest always fits */
  braid_simulcast_selector_set_stream_bitrate(&sel, 1, 90000);
  ASSERT_EQ(sel.target_s, 1);
  braid_simulcast_selector_set_available_bitrate(&sel, BRAID_SIMULCAST_UNLIMITED);
  ASSERT_EQ(sel.target_s, 2);
}

BRAID_TEST(receiver_key_frame_request_reaches_current_and_target) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  in(&sel, 2, true, 0, false);
  braid_simulcast_selector_set_preferred(&sel, 0, -1);
  ev.kf_calls = ev.kf_mask = 0;
  braid_simulcast_selector_request_keyframe(&sel);
  ASSERT_EQ(ev.kf_calls, 2);
  ASSERT_EQ(ev.kf_mask, (1 << 0) | (1 << 2));
}

BRAID_TEST(streams_without_temporal_ids) {
  braid_simulcast_selector_t sel;
  events_t ev = {0};
  ASSERT_EQ(braid_simulcast_selector_init(&sel, 1, 1, &cbs, &ev), 0);
  braid_simulcast_selector_set_active(&sel, true);
  braid_simulcast_selector_set_stream_score(&sel, 0, 10);
  /* An H264 IDR slice: key frame, no temporal id. */
  static const uint8_t idr[] = {0x65, 0x88, 0x84};
  braid_rtp_codec_info_t info;
  ASSERT_EQ(braid_rtp_codec_h264_inspect(idr, sizeof idr, &info), 0);
  ASSERT_EQ(info.tid, -1);
  ASSERT_EQ(braid_simulcast_selector_input(&sel, 0, &info, sizeof idr), BRAID_SIMULCAST_FORWARD_SYNC);
  static const uint8_t p_slice[] = {0x41, 0x9a, 0x02};
  ASSERT_EQ(braid_rtp_codec_h264_inspect(p_slice, sizeof p_slice, &info), 0);
  ASSERT_EQ(braid_simulcast_selector_input(&sel, 0, &info, sizeof p_slice), BRAID_SIMULCAST_FORWARD);
  ASSERT_EQ(ev.spatial, 0);
  ASSERT_EQ(ev.temporal, 0);
}

BRAID_TEST(init_checks_and_null_callbacks) {
  braid_simulcast_selector_t sel;
  ASSERT_EQ(braid_simulcast_selector_init(&sel, 0, 1, NULL, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_simulcast_selector_init(&sel, 5, 1, NULL, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_simulcast_selector_init(&sel, 1, 0, NULL, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_simulcast_selector_init(&sel, 1, 9, NULL, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_simulcast_selector_init(&sel, 2, 2, NULL, NULL), 0);
  braid_simulcast_selector_set_active(&sel, true);
  braid_simulcast_selector_set_stream_score(&sel, 1, 5);
  ASSERT_EQ(in(&sel, 1, true, 0, false), BRAID_SIMULCAST_FORWARD_SYNC);
  braid_simulcast_selector_request_keyframe(&sel);
  braid_simulcast_selector_set_active(&sel, false);
}

BRAID_TEST(cost_per_packet) {
  braid_simulcast_selector_t sel;
  events_t ev;
  setup(&sel, &ev);
  in(&sel, 2, true, 0, false);
  braid_rtp_codec_info_t info[3] = {vp8_info(false, 0, false), vp8_info(false, 1, true),
                                    vp8_info(false, 2, true)};
  int acc = 0;
  int64_t t0 = test_now_ns();
  for (int i = 0; i < 1000000; i++) acc += braid_simulcast_selector_input(&sel, (unsigned)(i % 3), &info[i % 3], 10);
  int64_t t1 = test_now_ns();
  printf("  simulcast_selector: %.1f ns per packet (acc %d)\n", (double)(t1 - t0) / 1e6, acc);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(inactive_ignores_everything)
                BRAID_TEST_ENTRY(starts_on_a_key_frame_of_the_highest_stream)
                BRAID_TEST_ENTRY(switch_down_waits_for_the_target_key_frame)
                BRAID_TEST_ENTRY(temporal_down_is_immediate)
                BRAID_TEST_ENTRY(dead_stream_moves_the_target)
                BRAID_TEST_ENTRY(pause_and_resume)
                BRAID_TEST_ENTRY(padding_only_packets)
                BRAID_TEST_ENTRY(budget_limits_the_spatial_layer)
                BRAID_TEST_ENTRY(receiver_key_frame_request_reaches_current_and_target)
                BRAID_TEST_ENTRY(streams_without_temporal_ids)
                BRAID_TEST_ENTRY(init_checks_and_null_callbacks)
                BRAID_TEST_ENTRY(cost_per_packet))
