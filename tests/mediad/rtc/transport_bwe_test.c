/*
 * A transport's send-side bandwidth management (mediad/rtc/transport_bwe.h)
 * on the forwarding harness: when it exists, how TWCC feedback and REMB
 * reach the estimate, the probator padding it sends, and how the estimate
 * is shared among consumers by priority.
 */
#include "mediad/rtc/transport_bwe.h"

#include "common/bytes.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/remb.h"
#include "mediad/wire/rtcp/twcc.h"
#include "tests/mediad/rtc/fwd_harness.h"
#include "tests/test.h"

static braid_transport_t *recv_t(fwd_world_t *w) { return &w->recv->media; }

/* Runs the recv transport's timers for ms milliseconds, 1 ms at a time. */
static void tick(fwd_world_t *w, int64_t ms) {
  for (int64_t i = 0; i < ms; i++) {
    fwd_now_ms++;
    if (braid_transport_next_timeout(recv_t(w)) <= fwd_now_ms)
      braid_transport_on_timeout(recv_t(w), fwd_now_ms);
  }
}

/* The producer's streams measured at bps[i] (as its report interval
 * does), told to its consumers. */
static void set_bitrates(braid_producer_t *p, const uint32_t *bps) {
  for (size_t i = 0; i < p->nstreams; i++)
    p->streams[i].bitrate = bps[i];
  p->bitrates_measured = true;
  for (braid_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
    braid_consumer_on_producer_bitrates(c);
}

/* A video producer with its own MID (the harness's are all "1"). */
static braid_producer_t *add_video(fwd_world_t *w, const char *id, const char *mid,
                                   bool simulcast) {
  braid_cmd_producer_create_t c = fwd_producer_cmd(id, true, simulcast);
  c.mid = braid_str_c(mid);
  return fwd_add_producer_cmd(w, &c);
}

static void send_remb(fwd_world_t *w, uint64_t bps) {
  uint8_t buf[64];
  uint32_t ssrc = 1;
  ssize_t n = braid_rtcp_remb_write(buf, sizeof buf, REMOTE_SSRC, bps, &ssrc, 1);
  ASSERT(n > 0);
  braid_transport_receive_rtcp(recv_t(w), buf, (size_t)n);
}

BRAID_TEST(made_for_video_with_feedback_only) {
  fwd_world_t w;
  fwd_send_side_bwe = false;
  fwd_world_init(&w);
  braid_producer_t *v = fwd_add_producer(&w, "v", true, false);
  fwd_add_consumer(&w, "cv", v, "1", 5000, false);
  ASSERT(recv_t(&w)->bwe == NULL); /* a kind without an estimate (plain, pipe) */
  fwd_world_cleanup(&w);

  fwd_send_side_bwe = true;
  fwd_world_init(&w);
  braid_producer_t *a = fwd_add_producer(&w, "a", false, false);
  fwd_add_consumer(&w, "ca", a, "0", 4000, false);
  ASSERT(recv_t(&w)->bwe == NULL); /* audio alone does not */
  v = fwd_add_producer(&w, "v", true, false);
  fwd_add_consumer(&w, "cv", v, "1", 5000, false);
  ASSERT(recv_t(&w)->bwe != NULL);
  ASSERT_EQ(braid_bwe_estimate(&recv_t(&w)->bwe->bwe), BRAID_BWE_START_BPS);
  fwd_world_cleanup(&w);
}

/* Every packet a consumer sends with a transport-wide number is in the
 * history; the endpoint's feedback about them reaches the estimate. */
BRAID_TEST(feedback_reaches_the_estimate) {
  fwd_world_t w;
  fwd_send_side_bwe = true;
  fwd_world_init(&w);
  braid_producer_t *v = fwd_add_producer(&w, "v", true, false);
  fwd_add_consumer(&w, "cv", v, "1", 5000, false);
  braid_transport_bwe_t *tb = recv_t(&w)->bwe;
  ASSERT(tb != NULL);
  /* Two feedbacks a second apart (loss is judged over a second), each
   * about 40 packets of which a quarter were lost. */
  for (int round = 0; round < 2; round++) {
    braid_rtcp_twcc_arrival_t arr[40];
    size_t n = 0;
    for (uint16_t s = 0; s < 40; s++) {
      fwd_now_ms += 5;
      fwd_send_vp8(&w, VIDEO_SSRC, NULL, (uint16_t)(100 + 40 * round + s), s == 0, 1);
      fwd_rtp_t o = fwd_rtp_out(w.recv, fwd_count(w.recv, false) - 1);
      uint16_t seq;
      ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&o.ext, RX_TWCC, &seq), 0);
      const braid_twcc_history_entry_t *e = &tb->history.ring[seq & (BRAID_TWCC_HISTORY_SIZE - 1)];
      ASSERT(e->valid && e->seq == seq && e->probe == -1);
      ASSERT_EQ(e->size, fwd_nth(w.recv, false, fwd_count(w.recv, false) - 1)->len);
      if (s % 4 != 1) arr[n++] = (braid_rtcp_twcc_arrival_t){seq, (int64_t)(40 * round + s) * 5000};
    }
    uint8_t buf[256];
    size_t used;
    braid_rtcp_twcc_build_t in = {.fb = {.sender_ssrc = REMOTE_SSRC, .media_ssrc = 5000},
                                  .base_seq = arr[0].seq,
                                  .pkts = arr,
                                  .n = n};
    ssize_t len = braid_rtcp_twcc_write(buf, sizeof buf, &in, &used);
    ASSERT(len > 0);
    braid_transport_receive_rtcp(recv_t(&w), buf, (size_t)len);
    ASSERT_EQ(tb->bwe.packets_received, (round + 1) * n);
    ASSERT_EQ(tb->bwe.packets_lost, (round + 1) * 10);
    fwd_now_ms += 1000;
  }
  /* 25 % loss is heavy: the estimate falls. */
  ASSERT(braid_bwe_estimate(&tb->bwe) < BRAID_BWE_START_BPS);
  /* A REMB binds it too. */
  send_remb(&w, 100000);
  ASSERT_EQ(braid_bwe_estimate(&tb->bwe), 100000);
  fwd_world_cleanup(&w);
}

/* Consumers that want more than the estimate make the transport probe:
 * padding-only packets on mediasoup's probator stream, numbered. */
BRAID_TEST(probes_on_the_probator_stream) {
  fwd_world_t w;
  fwd_send_side_bwe = true;
  fwd_world_init(&w);
  braid_producer_t *v = fwd_add_producer(&w, "v", true, false);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", v, "1", 5000, false);
  set_bitrates(v, (uint32_t[]){2000000});
  ASSERT_EQ(braid_consumer_desired_bitrate(c), 2000000);
  size_t before = fwd_count(w.recv, false);
  tick(&w, 600);
  size_t sent = fwd_count(w.recv, false) - before;
  ASSERT(sent >= 5);
  braid_transport_bwe_t *tb = recv_t(&w)->bwe;
  ASSERT_EQ(tb->probe_packets, sent);
  ASSERT(!tb->probing);
  /* Twice the estimate (1.2 Mbit/s), at least 6 KB of ~272-byte packets
   * (30 ms at that rate would be only 4.5 KB). */
  ASSERT_EQ(sent, 6000 / 272);
  uint16_t last_twcc = 0;
  for (size_t i = before; i < before + sent; i++) {
    fwd_rtp_t o = fwd_rtp_out(w.recv, i);
    ASSERT_EQ(o.pkt.ssrc, BRAID_PROBATOR_SSRC);
    ASSERT_EQ(o.pkt.pt, BRAID_PROBATOR_PT);
    ASSERT_EQ(o.pkt.payload_len, 0); /* padding only */
    braid_str_t mid;
    ASSERT_EQ(braid_rtp_ext_get_mid(&o.ext, RX_MID, &mid), 0);
    ASSERT(braid_str_eq(mid, "probator"));
    uint16_t seq;
    ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&o.ext, RX_TWCC, &seq), 0);
    if (i > before) ASSERT_EQ(seq, (uint16_t)(last_twcc + 1));
    last_twcc = seq;
    ASSERT_EQ(tb->history.ring[seq & (BRAID_TWCC_HISTORY_SIZE - 1)].probe, tb->probe_id);
  }
  /* Nothing to find when the estimate covers what is wanted. */
  set_bitrates(v, (uint32_t[]){100000});
  braid_transport_bwe_reallocate(recv_t(&w));
  before = fwd_count(w.recv, false);
  tick(&w, 10000);
  ASSERT_EQ(fwd_count(w.recv, false), before);
  fwd_world_cleanup(&w);
}

/* The estimate is shared by priority; nobody gets more than it wants. */
BRAID_TEST(shared_by_priority) {
  fwd_world_t w;
  fwd_send_side_bwe = true;
  fwd_world_init(&w);
  braid_producer_t *v1 = add_video(&w, "v1", "1", true);
  braid_producer_t *v2 = add_video(&w, "v2", "2", true);
  braid_producer_t *v3 = add_video(&w, "v3", "3", true);
  braid_consumer_t *c1 = fwd_add_consumer(&w, "c1", v1, "1", 5000, false);
  braid_consumer_t *c2 = fwd_add_consumer(&w, "c2", v2, "2", 6000, false);
  braid_consumer_t *c3 = fwd_add_consumer(&w, "c3", v3, "3", 7000, false);
  set_bitrates(v1, (uint32_t[]){150000, 500000, 1500000});
  set_bitrates(v2, (uint32_t[]){150000, 500000, 1500000});
  set_bitrates(v3, (uint32_t[]){15000, 50000, 150000});
  braid_consumer_set_priority(c2, 3);
  send_remb(&w, 1000000);
  tick(&w, 2);
  /* c3 wants 150k and gets it; c1 and c2 share the other 850k 1:3. */
  ASSERT_EQ(c3->bwe_allotted, 150000);
  ASSERT(c1->bwe_allotted > 200000 && c1->bwe_allotted < 220000);
  ASSERT(c2->bwe_allotted > 630000 && c2->bwe_allotted < 640000);
  ASSERT_EQ(c1->sel.available_bps, c1->bwe_allotted);
  ASSERT_EQ(recv_t(&w)->bwe->desired_bps, 1500000 + 1500000 + 150000);
  /* More than everyone wants: each gets what it wants, plus an equal
   * share of the rest as headroom. */
  send_remb(&w, 5000000);
  tick(&w, 1000);
  ASSERT_EQ(c1->bwe_allotted, 1500000);
  ASSERT_EQ(c1->sel.available_bps, 1500000 + (5000000 - 3150000) / 3);
  fwd_world_cleanup(&w);
}

/* A VP8 packet of the harness's stream with MID "1" and abs-send-time
 * only (a sender without transport-wide numbers). */
static void send_abs_only(fwd_world_t *w, uint16_t seq, int64_t sent_us) {
  uint8_t pkt[128] = {0x90, PT_VP8, (uint8_t)(seq >> 8), (uint8_t)seq};
  braid_put32(pkt + 4, 90u * seq);
  braid_put32(pkt + 8, VIDEO_SSRC);
  uint32_t abs = braid_rtp_ext_abs_send_time_from_us((uint64_t)sent_us);
  const uint8_t ext[] = {0xbe, 0xde, 0, 2, (CX_MID << 4) | 0, '1', (CX_ABS_SEND << 4) | 2,
                         (uint8_t)(abs >> 16), (uint8_t)(abs >> 8), (uint8_t)abs, 0, 0};
  memcpy(pkt + 12, ext, sizeof ext);
  size_t n;
  fwd_vp8_payload(pkt + 12 + sizeof ext, &n, seq == 0, 1);
  braid_transport_receive_rtp(&w->send->media, pkt, 12 + sizeof ext + n);
}

/* A producer that negotiated goog-remb and abs-send-time but not
 * transport-cc gets REMB about its stream, about every second. */
BRAID_TEST(remb_to_a_sender_without_transport_cc) {
  fwd_world_t w;
  fwd_send_side_bwe = true;
  fwd_world_init(&w);
  braid_cmd_producer_create_t cmd = fwd_producer_cmd("v", true, false);
  cmd.fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_REMB;
  fwd_add_producer_cmd(&w, &cmd);
  braid_transport_t *t = &w.send->media;
  ASSERT(t->remb != NULL);
  for (uint16_t seq = 0; seq < 300; seq++) {
    send_abs_only(&w, seq, fwd_now_ms * 1000);
    fwd_now_ms += 10;
    if (braid_transport_next_timeout(t) <= fwd_now_ms) braid_transport_on_timeout(t, fwd_now_ms);
  }
  ASSERT_EQ(t->remb->packets, 300);
  size_t rembs = 0;
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t p;
  for (size_t i = 0; i < w.send->n; i++) {
    if (!w.send->out[i].rtcp) continue;
    braid_rtcp_compound_init(&it, w.send->out[i].data, w.send->out[i].len, 0);
    while (braid_rtcp_compound_next(&it, &p) == 1) {
      braid_rtcp_remb_t remb;
      if (p.hdr.pt != BRAID_RTCP_PT_PSFB || p.hdr.count != 15) continue;
      ASSERT_EQ(braid_rtcp_remb_parse(&remb, p.data, p.len, NULL), 0);
      ASSERT_EQ(remb.n_ssrcs, 1);
      ASSERT_EQ(braid_rtcp_remb_ssrc(&remb, 0), VIDEO_SSRC);
      ASSERT(remb.bitrate > 0);
      rembs++;
    }
  }
  ASSERT(rembs >= 2 && rembs <= 4); /* 3 s of stream */
  /* With transport-cc the sender estimates itself: no REMB server. */
  fwd_world_cleanup(&w);
  fwd_world_init(&w);
  fwd_add_producer(&w, "v", true, false);
  ASSERT(w.send->media.remb == NULL);
  fwd_world_cleanup(&w);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(remb_to_a_sender_without_transport_cc)
                    BRAID_TEST_ENTRY(made_for_video_with_feedback_only)
                    BRAID_TEST_ENTRY(feedback_reaches_the_estimate)
                        BRAID_TEST_ENTRY(probes_on_the_probator_stream)
                            BRAID_TEST_ENTRY(shared_by_priority))
