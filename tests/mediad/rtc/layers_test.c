/*
 * Layers, events and scores of consumers over the forwarding harness
 * (fwd_harness.h): SVC consumers of a VP9 L3T3_KEY / L3T3 producer
 * (forwarded layers, the marker bit, continuous sequence numbers, key
 * frame requests, setConsumerPreferredLayers through consumer.set_layers,
 * NACK resends as first sent), consumer.layers events of simulcast and SVC
 * consumers (queued on the packet path, published by the producer's next
 * timeout, never for simple consumers), consumer.score events from the
 * receiver's reports, and the producer's per-layer bitrates behind the
 * desired bitrate and the budget.
 *
 * The harness's daemon has no Redis: an event "published" is counted by
 * the consumer (layer_events, score_events) and its content checked in
 * the queue before it goes.
 */
#include "common/bytes.h"
#include "mediad/wire/rtcp/builder.h"
#include "tests/mediad/rtc/fwd_harness.h"
#include "tests/mediad/rtc/rtp_maker.h"
#include "tests/test.h"

#define CONSUMER_SSRC 0x66660001u

/* ---- an SVC publisher ------------------------------------------------------ */

/* A VP9 producer with one encoding of 3 spatial and 3 temporal layers, as
 * the controller sends it for a Chrome webcam (L3T3_KEY) or screen (L3T3).
 * VP9 takes the VP8 harness's payload types. */
static braid_producer_t *add_svc_producer(fwd_world_t *w, const char *id, bool ksvc) {
  braid_cmd_producer_create_t c = fwd_producer_cmd(id, true, false);
  c.type = BRAID_STR_LIT("svc");
  c.codecs[0].mime = BRAID_STR_LIT("video/VP9");
  c.encodings[0].spatial_layers = 3;
  c.encodings[0].temporal_layers = 3;
  c.encodings[0].ksvc = ksvc;
  return fwd_add_producer_cmd(w, &c);
}

/* One VP9 packet of layer frame d from the publisher (timestamp 3000 x
 * picture, MID "1"); its marker bit set on the last packet of the whole
 * picture (sid 2 with E), as Chrome sends it. */
static void send_vp9(fwd_world_t *w, uint16_t seq, const vp9_desc_t *d, uint8_t tag) {
  uint8_t pl[16];
  size_t n = make_vp9(pl, d, tag);
  braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"1", CX_MID, 1}};
  test_pkt_t p;
  make_pkt_ext(&p, VIDEO_SSRC, PT_VP8, seq, 3000u * d->pic, d->sid == 2 && d->end, e, 1, pl, n);
  braid_transport_receive_rtp(&w->send->media, p.buf, p.len);
}

/* A picture of three layer frames, one packet each, sequence numbers
 * *seq onwards; the tag of each packet is 10 * sid + its picture's last
 * digit. */
static void send_picture(fwd_world_t *w, uint16_t *seq, uint16_t pic, int tid, bool key, bool up) {
  for (int sid = 0; sid < 3; sid++) {
    vp9_desc_t d = {pic, sid, tid, !key, true, true, up};
    send_vp9(w, (*seq)++, &d, (uint8_t)(10 * sid + pic % 10));
  }
  fwd_now_ms += 33;
}

/* The spatial id of an output (from its tag) and its marker bit. */
static int out_sid(const fwd_world_t *w, size_t i) {
  fwd_rtp_t o = fwd_rtp_out(w->recv, i);
  return o.payload[o.pkt.payload_len - 1] / 10;
}

static bool out_marker(const fwd_world_t *w, size_t i) {
  return fwd_rtp_out(w->recv, i).pkt.marker;
}

/* consumer.set_layers through media_handlers.c, as the controller sends it. */
static void set_layers(fwd_world_t *w, const char *consumer_id, uint8_t spatial, uint8_t temporal) {
  braid_cmd_t cmd;
  braid_buf_t out;
  memset(&cmd, 0, sizeof cmd);
  cmd.type = BRAID_CMD_CONSUMER_SET_LAYERS;
  cmd.id = 7;
  cmd.u.consumer_layers =
      (braid_cmd_consumer_layers_t){braid_str_c(consumer_id), spatial, temporal};
  braid_buf_init(&out, 4096);
  ASSERT_EQ(braid_media_handlers_consumer_ref(&w->md, &cmd, &out), 0);
  ASSERT(out.len > 0);
  braid_buf_cleanup(&out);
}

/* Runs the publisher's transport's timeout when it is due now, as the
 * transport's timer does after a datagram. */
static void run_send_timer(fwd_world_t *w) {
  if (braid_transport_next_timeout(&w->send->media) <= fwd_now_ms)
    braid_transport_on_timeout(&w->send->media, fwd_now_ms);
}

/* ---- 1. SVC forwarding ------------------------------------------------------ */

BRAID_TEST(ksvc_forwards_one_spatial_layer_with_the_marker) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", true);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  ASSERT_EQ(c->kind, BRAID_CONSUMER_SVC);
  ASSERT_EQ(c->svc.n_spatial, 3);
  ASSERT_EQ(c->svc.n_temporal, 3);
  ASSERT(c->svc.ksvc);
  uint16_t seq = 40000;
  /* Before the key frame: nothing, and a key frame is asked for. */
  send_picture(&w, &seq, 1, 0, false, false);
  ASSERT_EQ(fwd_count(w.recv, false), 0);
  ASSERT(fwd_keyframe_requests(w.send, VIDEO_SSRC) >= 1);
  /* The key frame: every layer, the marker where the picture ends. */
  send_picture(&w, &seq, 2, 0, true, false);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  for (size_t i = 0; i < 3; i++) {
    ASSERT_EQ(out_sid(&w, i), (int)i);
    ASSERT_EQ(out_marker(&w, i), i == 2);
  }
  ASSERT_EQ(c->spatial, 2);
  ASSERT_EQ(c->temporal, 0);
  /* Inter pictures: spatial layer 2 only; temporal 1 and 2 join at their
   * switching-up points. */
  send_picture(&w, &seq, 3, 1, false, true);
  send_picture(&w, &seq, 4, 2, false, true);
  send_picture(&w, &seq, 5, 0, false, false);
  ASSERT_EQ(fwd_count(w.recv, false), 6);
  for (size_t i = 3; i < 6; i++) {
    ASSERT_EQ(out_sid(&w, i), 2);
    ASSERT(out_marker(&w, i));
    ASSERT_EQ(fwd_rtp_out(w.recv, i).pkt.ts, 3000u * (uint32_t)(i));
  }
  ASSERT_EQ(c->temporal, 2);
  fwd_assert_seq_continuous(&w, 0, 6);
  ASSERT_EQ(fwd_rtp_out(w.recv, 0).pkt.ts, 3000u * 2); /* timestamps untouched */
  fwd_world_cleanup(&w);
}

BRAID_TEST(preferred_layers_reach_the_svc_selector) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", true);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  uint16_t seq = 100;
  send_picture(&w, &seq, 1, 0, true, false);
  size_t kf = fwd_keyframe_requests(w.send, VIDEO_SSRC);
  /* Spatial 0: K-SVC needs a key frame, asked for at once. */
  set_layers(&w, "cv", 0, BRAID_LAYER_HIGHEST);
  ASSERT_EQ(c->svc.pref_s, 0);
  ASSERT_EQ(c->svc.pref_t, 2);
  ASSERT_EQ(c->svc.target_s, 0);
  ASSERT(fwd_keyframe_requests(w.send, VIDEO_SSRC) > kf);
  send_picture(&w, &seq, 2, 0, false, false); /* still spatial 2 */
  ASSERT_EQ(fwd_count(w.recv, false), 4);
  ASSERT_EQ(out_sid(&w, 3), 2);
  send_picture(&w, &seq, 3, 0, true, false); /* the switch */
  send_picture(&w, &seq, 4, 0, false, false);
  ASSERT_EQ(fwd_count(w.recv, false), 6);
  for (size_t i = 4; i < 6; i++) {
    ASSERT_EQ(out_sid(&w, i), 0);
    ASSERT(out_marker(&w, i)); /* sid 0 now ends the picture sent */
  }
  ASSERT_EQ(c->spatial, 0);
  fwd_assert_seq_continuous(&w, 0, 6);
  /* Clamped to what L3T3 declares. */
  set_layers(&w, "cv", 9, 9);
  ASSERT_EQ(c->svc.pref_s, 2);
  ASSERT_EQ(c->svc.pref_t, 2);
  fwd_world_cleanup(&w);
}

BRAID_TEST(full_svc_goes_down_without_a_key_frame) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", false);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  uint16_t seq = 65534; /* the input wraps */
  send_picture(&w, &seq, 1, 0, true, false);
  send_picture(&w, &seq, 2, 0, false, false);
  ASSERT_EQ(fwd_count(w.recv, false), 6); /* full SVC: every layer */
  size_t kf = fwd_keyframe_requests(w.send, VIDEO_SSRC);
  set_layers(&w, "cv", 1, BRAID_LAYER_HIGHEST);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), kf);
  send_picture(&w, &seq, 3, 0, false, false);
  ASSERT_EQ(fwd_count(w.recv, false), 8);
  ASSERT_EQ(out_sid(&w, 6), 0);
  ASSERT(!out_marker(&w, 6));
  ASSERT_EQ(out_sid(&w, 7), 1);
  ASSERT(out_marker(&w, 7));
  ASSERT_EQ(c->spatial, 1);
  fwd_assert_seq_continuous(&w, 0, 8);
  fwd_world_cleanup(&w);
}

BRAID_TEST(nack_resends_with_the_marker_it_was_sent_with) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", true);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  uint16_t seq = 7;
  send_picture(&w, &seq, 1, 0, true, false);
  set_layers(&w, "cv", 1, BRAID_LAYER_HIGHEST);
  send_picture(&w, &seq, 2, 0, true, false); /* now spatial 1: its sid 1 carries M */
  ASSERT_EQ(fwd_count(w.recv, false), 5);
  fwd_rtp_t last = fwd_rtp_out(w.recv, 4);
  ASSERT(last.pkt.marker);
  ASSERT_EQ(out_sid(&w, 4), 1);
  size_t before = fwd_count(w.recv, false);
  fwd_now_ms += 10;
  fwd_recv_feedback(&w, FB_NACK, c->ssrc, last.pkt.seq);
  ASSERT_EQ(fwd_count(w.recv, false), before + 1);
  fwd_rtp_t rtx = fwd_rtp_out(w.recv, before);
  ASSERT_EQ(rtx.pkt.ssrc, c->rtx_ssrc);
  ASSERT(rtx.pkt.marker);
  ASSERT_EQ(braid_get16(rtx.payload), last.pkt.seq); /* the OSN */
  fwd_world_cleanup(&w);
}

/* ---- 2. consumer.layers ------------------------------------------------------ */

BRAID_TEST(layer_changes_on_the_packet_path_wait_for_the_producer_timer) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", true);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  uint16_t seq = 1;
  send_picture(&w, &seq, 1, 0, true, false);
  send_picture(&w, &seq, 2, 1, false, true);
  /* Two changes (2:0, then 2:1), queued, not published. */
  ASSERT_EQ(c->layer_events, 0);
  ASSERT_EQ(c->layer_ev_n, 2);
  ASSERT_EQ(c->layer_ev[0].spatial, 2);
  ASSERT_EQ(c->layer_ev[0].temporal, 0);
  ASSERT_EQ(c->layer_ev[1].spatial, 2);
  ASSERT_EQ(c->layer_ev[1].temporal, 1);
  ASSERT(p->consumer_events);
  ASSERT_EQ(braid_producer_next_timeout(p), 0); /* due at once */
  run_send_timer(&w);
  ASSERT_EQ(c->layer_events, 2);
  ASSERT_EQ(c->layer_ev_n, 0);
  ASSERT(!p->consumer_events);
  ASSERT(braid_producer_next_timeout(p) > fwd_now_ms);
  /* A pause is published before the command returns: -1/-1. */
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_PAUSE, "cv");
  ASSERT_EQ(c->layer_events, 3);
  ASSERT_EQ(c->spatial, -1);
  ASSERT_EQ(c->temporal, -1);
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_RESUME, "cv");
  ASSERT_EQ(c->layer_events, 3); /* nothing sent yet: no change */
  fwd_world_cleanup(&w);
}

BRAID_TEST(layer_event_queue_keeps_the_newest) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", false);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  uint16_t seq = 1;
  send_picture(&w, &seq, 1, 0, true, false); /* 2:0 */
  /* Temporal up and down many times over, without the timer running. */
  for (uint16_t pic = 2; pic < 2 + 2 * BRAID_CONSUMER_LAYER_EVENTS; pic++) {
    braid_svc_selector_set_preferred(&c->svc, 2, pic % 2 ? 0 : 1);
    send_picture(&w, &seq, pic, pic % 2 ? 0 : 1, false, true);
  }
  ASSERT_EQ(c->layer_ev_n, BRAID_CONSUMER_LAYER_EVENTS);
  braid_consumer_layers_t last = c->layer_ev[BRAID_CONSUMER_LAYER_EVENTS - 1];
  ASSERT_EQ(last.spatial, c->spatial);
  ASSERT_EQ(last.temporal, c->temporal);
  run_send_timer(&w);
  ASSERT_EQ(c->layer_events, BRAID_CONSUMER_LAYER_EVENTS);
  fwd_world_cleanup(&w);
}

BRAID_TEST(simulcast_publishes_layers_and_simple_does_not) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *ps = fwd_add_producer(&w, "ps", true, true);
  braid_producer_t *pa = fwd_add_producer(&w, "pa", false, false);
  braid_consumer_t *cs = fwd_add_consumer(&w, "cs", ps, "0", CONSUMER_SSRC, false);
  braid_consumer_t *ca = fwd_add_consumer(&w, "ca", pa, "1", 0x66660010, false);
  ASSERT_EQ(cs->kind, BRAID_CONSUMER_SIMULCAST);
  ASSERT_EQ(ca->kind, BRAID_CONSUMER_SIMPLE);
  const uint32_t ssrc[3] = {0x30000001, 0x30000002, 0x30000003};
  const char *rid[3] = {"r0", "r1", "r2"};
  for (size_t s = 0; s < 3; s++)
    fwd_send_vp8(&w, ssrc[s], rid[s], 500, true, (uint8_t)s);
  fwd_send_opus(&w, 1, 960, 0x80);
  /* Each stream became live and was switched to in turn: each change is
   * published. */
  ASSERT_EQ(cs->spatial, 2);
  ASSERT_EQ(cs->layer_ev_n, 3);
  for (int i = 0; i < 3; i++) {
    ASSERT_EQ(cs->layer_ev[i].spatial, i);
    ASSERT_EQ(cs->layer_ev[i].temporal, 0);
  }
  ASSERT_EQ(ca->spatial, 0); /* current layers are kept, never published */
  ASSERT_EQ(ca->layer_ev_n, 0);
  run_send_timer(&w);
  ASSERT_EQ(cs->layer_events, 3);
  ASSERT_EQ(ca->layer_events, 0);
  /* setConsumerPreferredLayers reaches the simulcast selector too. */
  set_layers(&w, "cs", 0, BRAID_LAYER_HIGHEST);
  ASSERT_EQ(cs->sel.target_s, 0);
  fwd_send_vp8(&w, ssrc[0], rid[0], 501, true, 0);
  ASSERT_EQ(cs->spatial, 0);
  run_send_timer(&w);
  ASSERT_EQ(cs->layer_events, 4);
  set_layers(&w, "ca", 1, 1); /* a simple consumer has nothing to switch */
  ASSERT_EQ(ca->layer_events, 0);
  fwd_world_cleanup(&w);
}

/* ---- 3. consumer.score -------------------------------------------------------- */

/* A receiver report from the subscriber about ssrc. */
static void send_rr(fwd_world_t *w, uint32_t ssrc, uint32_t highest, int32_t lost) {
  uint8_t buf[128];
  braid_rtcp_builder_t b;
  braid_rtcp_report_block_t blk = {.ssrc = ssrc, .packets_lost = lost, .highest_seq = highest};
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, REMOTE_SSRC, NULL, &blk, 1), 0);
  braid_transport_receive_rtcp(&w->recv->media, buf, braid_rtcp_builder_len(&b));
}

BRAID_TEST(consumer_score_from_receiver_reports) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", true);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  uint16_t seq = 1;
  for (uint16_t pic = 1; pic <= 10; pic++)
    send_picture(&w, &seq, pic, 0, pic == 1, false);
  braid_consumer_on_tick(c, fwd_now_ms);
  ASSERT_EQ(c->score_events, 0); /* nothing known before a report */
  /* The first report: a score is known (10), published at the next tick. */
  send_rr(&w, c->ssrc, 100, 0);
  ASSERT(c->score_dirty);
  ASSERT_EQ(c->score_events, 0);
  braid_consumer_on_tick(c, fwd_now_ms);
  ASSERT_EQ(c->score_events, 1);
  ASSERT_EQ(c->send.score.score, 10);
  /* Unchanged: nothing more. */
  send_rr(&w, c->ssrc, 110, 0);
  braid_consumer_on_tick(c, fwd_now_ms);
  ASSERT_EQ(c->score_events, 1);
  /* Heavy loss: the score drops and is published again. */
  for (uint16_t pic = 11; pic <= 40; pic++)
    send_picture(&w, &seq, pic, 0, false, false);
  send_rr(&w, c->ssrc, 140, 20);
  ASSERT(c->send.score.score < 10);
  braid_consumer_on_tick(c, fwd_now_ms);
  ASSERT_EQ(c->score_events, 2);
  /* A report about another SSRC is not this consumer's. */
  send_rr(&w, 0x12345678, 150, 50);
  braid_consumer_on_tick(c, fwd_now_ms);
  ASSERT_EQ(c->score_events, 2);
  /* Its producer's scores changed: published again. */
  braid_consumer_on_producer_scores(c);
  braid_consumer_on_tick(c, fwd_now_ms);
  ASSERT_EQ(c->score_events, 3);
  fwd_world_cleanup(&w);
}

/* ---- 4. bitrates ------------------------------------------------------------- */

/* A report interval of the publisher's transport (scores and bitrates). */
static void report_interval(fwd_world_t *w) {
  w->send->media.next_rtcp_ms = fwd_now_ms;
  braid_transport_on_timeout(&w->send->media, fwd_now_ms);
}

BRAID_TEST(layer_bitrates_drive_desired_bitrate_and_budget) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = add_svc_producer(&w, "pv", false);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  report_interval(&w); /* starts counting */
  ASSERT(!p->bitrates_measured);
  ASSERT_EQ(braid_consumer_desired_bitrate(c), 0);
  uint16_t seq = 1;
  /* 30 pictures in one second (send_picture moves the clock 33 ms). */
  for (uint16_t pic = 1; pic <= 30; pic++)
    send_picture(&w, &seq, pic, pic % 3 ? 1 : 0, pic == 1, true);
  fwd_now_ms += 10;
  report_interval(&w);
  ASSERT(p->bitrates_measured);
  const braid_producer_stream_t *s = &p->streams[0];
  ASSERT(s->layer_bps[0][0] > 0 && s->layer_bps[0][1] > 0 && s->layer_bps[2][1] > 0);
  ASSERT_EQ(s->layer_bps[0][2], 0);
  ASSERT_EQ(s->layer_bps[3][0], 0);
  uint64_t sum = 0;
  for (int sid = 0; sid < BRAID_SVC_MAX_SPATIAL; sid++)
    for (int tid = 0; tid < BRAID_SVC_MAX_TEMPORAL; tid++)
      sum += s->layer_bps[sid][tid];
  ASSERT_EQ(s->bitrate, sum);
  /* Every layer frame packet is the same size here: each spatial layer is
   * a third of the stream. */
  uint32_t all = braid_consumer_desired_bitrate(c);
  ASSERT_EQ(all, braid_svc_selector_layers_bitrate(&c->svc, 2, 2));
  ASSERT(all > 0 && all <= s->bitrate);
  set_layers(&w, "cv", 0, BRAID_LAYER_HIGHEST);
  uint32_t low = braid_consumer_desired_bitrate(c);
  ASSERT(low > 0 && low * 2 < all);
  set_layers(&w, "cv", 2, BRAID_LAYER_HIGHEST);
  /* A budget between one and two layers' worth: spatial 1 is the target. */
  braid_consumer_set_available_bitrate(c, braid_svc_selector_layers_bitrate(&c->svc, 1, 2) + 1);
  ASSERT_EQ(c->svc.target_s, 1);
  ASSERT_EQ(c->available_bps, braid_svc_selector_layers_bitrate(&c->svc, 1, 2) + 1);
  braid_consumer_set_available_bitrate(c, UINT32_MAX);
  ASSERT_EQ(c->svc.target_s, 2);
  /* Paused: it wants nothing. */
  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_PAUSE, "cv");
  ASSERT_EQ(braid_consumer_desired_bitrate(c), 0);
  fwd_world_cleanup(&w);
}

BRAID_TEST(simulcast_and_audio_bitrates) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *ps = fwd_add_producer(&w, "ps", true, true);
  braid_producer_t *pa = fwd_add_producer(&w, "pa", false, false);
  braid_consumer_t *cs = fwd_add_consumer(&w, "cs", ps, "0", CONSUMER_SSRC, false);
  braid_consumer_t *ca = fwd_add_consumer(&w, "ca", pa, "1", 0x66660010, false);
  const uint32_t ssrc[3] = {0x30000001, 0x30000002, 0x30000003};
  const char *rid[3] = {"r0", "r1", "r2"};
  report_interval(&w);
  uint16_t next[3] = {1000, 2000, 3000};
  for (uint16_t round = 0; round < 20; round++) {
    /* Stream s sends s + 1 packets per round: it costs s + 1 times more. */
    for (size_t s = 0; s < 3; s++)
      for (size_t k = 0; k <= s; k++)
        fwd_send_vp8(&w, ssrc[s], rid[s], next[s]++, round == 0 && k == 0, (uint8_t)s);
    fwd_send_opus(&w, round, 960u * round, 0x80);
    fwd_now_ms += 50;
  }
  report_interval(&w);
  uint32_t b0 = ps->streams[0].bitrate, b2 = ps->streams[2].bitrate;
  ASSERT(b0 > 0 && b2 > 2 * b0);
  ASSERT_EQ(cs->sel.bitrate[2], b2); /* the selector has them */
  ASSERT_EQ(braid_consumer_desired_bitrate(cs), b2);
  ASSERT_EQ(braid_consumer_desired_bitrate(ca), pa->streams[0].bitrate);
  ASSERT(pa->streams[0].bitrate > 0);
  /* A budget under stream 1's bitrate: stream 0. */
  braid_consumer_set_available_bitrate(cs, ps->streams[1].bitrate - 1);
  ASSERT_EQ(cs->sel.target_s, 0);
  braid_consumer_set_available_bitrate(ca, 1000); /* nothing to pick: kept, no effect */
  ASSERT_EQ(ca->available_bps, 1000);
  fwd_world_cleanup(&w);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(ksvc_forwards_one_spatial_layer_with_the_marker)
        BRAID_TEST_ENTRY(preferred_layers_reach_the_svc_selector)
            BRAID_TEST_ENTRY(full_svc_goes_down_without_a_key_frame)
                BRAID_TEST_ENTRY(nack_resends_with_the_marker_it_was_sent_with)
                    BRAID_TEST_ENTRY(layer_changes_on_the_packet_path_wait_for_the_producer_timer)
                        BRAID_TEST_ENTRY(layer_event_queue_keeps_the_newest) BRAID_TEST_ENTRY(
                            simulcast_publishes_layers_and_simple_does_not)
                            BRAID_TEST_ENTRY(consumer_score_from_receiver_reports)
                                BRAID_TEST_ENTRY(layer_bitrates_drive_desired_bitrate_and_budget)
                                    BRAID_TEST_ENTRY(simulcast_and_audio_bitrates))
