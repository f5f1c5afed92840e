/*
 * NACKs from a producer towards its publisher (producer.c: a
 * nack_generator per stream when the producer's fb has NACK), over the
 * fake transports of fwd_harness.h: a gap in the publisher's sequence
 * numbers makes the send transport emit an RTCP generic NACK about the
 * stream's SSRC; it is repeated every RTT (100 ms until one is known) on
 * braid_transport_on_timeout() until the packet arrives or 10 tries are
 * spent; a packet that arrives through RTX is forwarded into the
 * consumer's gap and counted as repaired; getStats shows the counts. An
 * RTX packet that repairs nothing (a sender's bandwidth probe) is not
 * forwarded; opus with NACK and no RTX counts its resends as repairs; and
 * the producer's store answers consumers' NACKs even when the producer
 * itself negotiated none.
 *
 * producer.c creates its generators with delay_ms = 0, so the first NACK
 * of a gap goes out in the same call that sees the gap: a packet that is
 * only reordered has been NACKed already when it arrives (see
 * reordered_packet_is_nacked_at_once).
 */
#include "mediad/rtc/nack_generator.h"
#include "mediad/rtc/stats_json.h"
#include "mediad/wire/rtcp/nack.h"
#include "tests/mediad/rtc/fwd_harness.h"
#include "tests/test.h"

/* mediasoup's NackGenerator settings, which producer.c uses. */
#define RTT_MS      BRAID_NACK_GENERATOR_DEFAULT_RTT_MS
#define MAX_RETRIES 10

/* The consumer's SSRC in these tests (its RTX SSRC is the next one). */
#define CONSUMER_SSRC 0x66660001u

/* The NACKs about ssrc that w's send transport emitted from capture
 * number `from` on: returns how many, and checks that together they name
 * exactly want[0..n). */
static size_t nacks_since(const fwd_world_t *w, size_t from, uint32_t ssrc, const uint16_t *want,
                          size_t n) {
  uint16_t seqs[64];
  size_t got;
  size_t k = fwd_nacks(w->send, from, ssrc, seqs, 64, &got);
  ASSERT_EQ(got, n);
  for (size_t i = 0; i < n; i++)
    ASSERT_EQ(seqs[i], want[i]);
  return k;
}

/* ---- 1. a gap is NACKed at once ----------------------------------------- */

BRAID_TEST(gap_is_nacked_with_the_stream_ssrc) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  ASSERT(p->streams[0].nack != NULL);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 100, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 101, false, 1);
  ASSERT_EQ(fwd_nacks(w.send, 0, VIDEO_SSRC, NULL, 0, NULL), 0);

  /* 102 and 103 are lost: one NACK names both, as soon as 104 arrives. */
  size_t mark = w.send->n;
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 104, false, 4);
  ASSERT_EQ(w.send->n, mark + 1);
  const uint16_t lost[] = {102, 103};
  ASSERT_EQ(nacks_since(&w, mark, VIDEO_SSRC, lost, 2), 1);
  /* A generic NACK alone (reduced-size RTCP, as the producer's PLIs). */
  const fwd_captured_t *cap = &w.send->out[mark];
  ASSERT(cap->rtcp);
  braid_rtcp_nack_t nack;
  ASSERT_EQ(braid_rtcp_nack_parse(&nack, cap->data, cap->len, NULL), 0);
  ASSERT_EQ(nack.fb.media_ssrc, VIDEO_SSRC);
  ASSERT_EQ(nack.n_items, 1);
  ASSERT_EQ(p->streams[0].nack_count, 1);
  ASSERT_EQ(p->streams[0].nack_packet_count, 2);
  ASSERT_EQ(braid_nack_generator_missing(p->streams[0].nack), 2);

  /* The consumer got what arrived, with the gap kept for its receiver. */
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  ASSERT_EQ(fwd_rtp_out(w.recv, 2).pkt.seq, (uint16_t)(fwd_rtp_out(w.recv, 1).pkt.seq + 3));

  /* In-order packets after the gap add nothing. */
  mark = w.send->n;
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 105, false, 5);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 106, false, 6);
  ASSERT_EQ(w.send->n, mark);
  fwd_world_cleanup(&w);
}

/* A simulcast stream's NACK names the SSRC learned for its RID; the other
 * streams' sequence numbers are their own. */
BRAID_TEST(simulcast_nack_names_the_learned_ssrc) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  const uint32_t ssrc[3] = {0x30000001, 0x30000002, 0x30000003};
  const char *rid[3] = {"r0", "r1", "r2"};
  for (uint16_t seq = 10; seq < 13; seq++)
    for (size_t s = 0; s < 3; s++)
      fwd_send_vp8(&w, ssrc[s], rid[s], (uint16_t)(seq + 1000 * s), seq == 10, (uint8_t)s);
  size_t mark = w.send->n;
  fwd_send_vp8(&w, ssrc[1], rid[1], 1014, false, 1); /* 1013 lost */
  const uint16_t lost[] = {1013};
  ASSERT_EQ(nacks_since(&w, mark, ssrc[1], lost, 1), 1);
  ASSERT_EQ(fwd_nacks(w.send, 0, ssrc[0], NULL, 0, NULL), 0);
  ASSERT_EQ(fwd_nacks(w.send, 0, ssrc[2], NULL, 0, NULL), 0);
  ASSERT_EQ(p->streams[1].nack_count, 1);
  ASSERT_EQ(p->streams[0].nack_count + p->streams[2].nack_count, 0);
  fwd_world_cleanup(&w);
}

/* ---- 2. retries on the transport's timer -------------------------------- */

/* From the first NACK at t0, the transport is due again at t0 + RTT; each
 * retry names what is still missing; after MAX_RETRIES NACKs a packet is
 * given up. The timer is run every 50 ms whether due or not: an early
 * call must not send anything. */
BRAID_TEST(nacks_are_retried_every_rtt_until_repaired_or_given_up) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 200, true, 0);
  fwd_now_ms += 20;
  const int64_t t0 = fwd_now_ms;
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 203, false, 3); /* 201 and 202 lost */
  const uint16_t both[] = {201, 202}, first[] = {201};
  ASSERT_EQ(nacks_since(&w, 0, VIDEO_SSRC, both, 2), 1);
  ASSERT_EQ(braid_producer_next_timeout(p), t0 + RTT_MS);
  ASSERT(braid_transport_next_timeout(&w.send->media) <= t0 + RTT_MS);

  size_t sent = 1; /* NACK packets so far */
  for (int64_t dt = 50; dt <= 15 * RTT_MS; dt += 50) {
    fwd_now_ms = t0 + dt;
    if (dt == 150) fwd_send_vp8_rtx(&w, VIDEO_RTX_SSRC, NULL, 1, 202, false, 2);
    size_t mark = w.send->n;
    braid_transport_on_timeout(&w.send->media, fwd_now_ms);
    bool due = dt % RTT_MS == 0 && dt < MAX_RETRIES * RTT_MS;
    if (!due) {
      ASSERT_EQ(fwd_nacks(w.send, mark, VIDEO_SSRC, NULL, 0, NULL), 0);
      continue;
    }
    /* 202 arrived at t0 + 150: from t0 + 200 on, only 201 is asked for. */
    bool repaired = dt >= 200;
    ASSERT_EQ(nacks_since(&w, mark, VIDEO_SSRC, repaired ? first : both, repaired ? 1 : 2), 1);
    sent++;
    if (dt < (MAX_RETRIES - 1) * RTT_MS)
      ASSERT_EQ(braid_producer_next_timeout(p), fwd_now_ms + RTT_MS);
  }
  ASSERT_EQ(sent, MAX_RETRIES);
  braid_producer_stream_t *s = &p->streams[0];
  ASSERT_EQ(s->nack_count, MAX_RETRIES);
  ASSERT_EQ(s->nack_packet_count, 2 + 2 + (MAX_RETRIES - 2));
  /* 201 was given up: nothing is listed and no NACK timer is left. */
  ASSERT_EQ(braid_nack_generator_missing(s->nack), 0);
  ASSERT_EQ(braid_producer_next_timeout(p), INT64_MAX);
  const braid_nack_generator_stats_t *gs = braid_nack_generator_stats(s->nack);
  ASSERT_EQ(gs->recovered, 1);
  ASSERT_EQ(gs->given_up, 1);
  ASSERT_EQ(s->recv.repaired, 1);
  fwd_world_cleanup(&w);
}

/* ---- 3. the repair reaches the consumer --------------------------------- */

BRAID_TEST(rtx_repair_fills_the_consumer_gap) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 300, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 301, false, 1);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 303, false, 3); /* 302 lost */
  const uint16_t lost[] = {302};
  ASSERT_EQ(nacks_since(&w, 0, VIDEO_SSRC, lost, 1), 1);
  ASSERT_EQ(fwd_count(w.recv, false), 3);

  fwd_now_ms += 30; /* the publisher answers within the RTT */
  fwd_send_vp8_rtx(&w, VIDEO_RTX_SSRC, NULL, 5000, 302, false, 2);
  ASSERT_EQ(fwd_count(w.recv, false), 4);
  fwd_rtp_t before = fwd_rtp_out(w.recv, 1), repaired = fwd_rtp_out(w.recv, 3);
  ASSERT_EQ(repaired.pkt.ssrc, c->ssrc);
  ASSERT_EQ(repaired.pkt.pt, RPT_VP8);
  ASSERT_EQ(repaired.pkt.seq, (uint16_t)(before.pkt.seq + 1)); /* the hole */
  ASSERT_EQ(repaired.pkt.ts, before.pkt.ts + 90);
  uint8_t pl[32];
  size_t n;
  fwd_vp8_payload(pl, &n, false, 2);
  ASSERT_EQ(repaired.pkt.payload_len, n);
  ASSERT_MEM_EQ(repaired.payload, pl, n);

  const braid_rtp_recv_stats_t *r = &p->streams[0].recv;
  ASSERT_EQ(r->retransmitted, 1);
  ASSERT_EQ(r->repaired, 1);
  ASSERT_EQ(r->received, 3);
  ASSERT_EQ(braid_nack_generator_missing(p->streams[0].nack), 0);

  /* Nothing more is asked for, and a second copy is no second repair. */
  size_t mark = w.send->n;
  fwd_now_ms += RTT_MS;
  braid_transport_on_timeout(&w.send->media, fwd_now_ms);
  ASSERT_EQ(fwd_nacks(w.send, mark, VIDEO_SSRC, NULL, 0, NULL), 0);
  fwd_send_vp8_rtx(&w, VIDEO_RTX_SSRC, NULL, 5001, 302, false, 2);
  ASSERT_EQ(r->retransmitted, 2);
  ASSERT_EQ(r->repaired, 1);
  fwd_world_cleanup(&w);
}

/* An RTX packet newer than every media packet carries no gap information
 * (nack_generator.h, as mediasoup): it lists nothing, and the gap before
 * it is found by the next media packet, which names the RTX one too. */
BRAID_TEST(rtx_ahead_of_the_stream_lists_no_gap) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 700, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 701, false, 1);
  fwd_send_vp8_rtx(&w, VIDEO_RTX_SSRC, NULL, 1, 703, false, 3);
  ASSERT_EQ(p->streams[0].recv.retransmitted, 1);
  ASSERT_EQ(fwd_nacks(w.send, 0, VIDEO_SSRC, NULL, 0, NULL), 0);
  ASSERT_EQ(braid_nack_generator_missing(p->streams[0].nack), 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 704, false, 4);
  const uint16_t gap[] = {702, 703};
  ASSERT_EQ(nacks_since(&w, 0, VIDEO_SSRC, gap, 2), 1);
  fwd_world_cleanup(&w);
}

/* ---- 4. no NACK unless negotiated --------------------------------------- */

BRAID_TEST(no_nack_without_nack_feedback) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_cmd_producer_create_t cmd = fwd_producer_cmd("pv", true, false);
  cmd.fb &= ~(uint32_t)BRAID_FB_NACK;
  braid_producer_t *pv = fwd_add_producer_cmd(&w, &cmd);
  braid_producer_t *pa = fwd_add_producer(&w, "pa", false, false); /* opus: TWCC only */
  ASSERT(pv->streams[0].nack == NULL && pa->streams[0].nack == NULL);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 400, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 405, false, 5);
  fwd_send_opus(&w, 10, 9600, 1);
  fwd_send_opus(&w, 15, 9600 + 5 * 960, 1);
  /* The video stream's receive statistics see the loss all the same. */
  ASSERT_EQ(braid_rtp_recv_stats_lost(&pv->streams[0].recv), 4);
  ASSERT_EQ(braid_producer_next_timeout(pv), INT64_MAX);
  ASSERT_EQ(braid_producer_next_timeout(pa), INT64_MAX);
  for (int i = 1; i <= 5; i++) {
    fwd_now_ms += RTT_MS;
    braid_transport_on_timeout(&w.send->media, fwd_now_ms);
  }
  ASSERT_EQ(fwd_nacks(w.send, 0, VIDEO_SSRC, NULL, 0, NULL), 0);
  ASSERT_EQ(fwd_nacks(w.send, 0, AUDIO_SSRC, NULL, 0, NULL), 0);
  ASSERT_EQ(pv->streams[0].nack_count + pa->streams[0].nack_count, 0);
  fwd_world_cleanup(&w);
}

/* ---- 5. reordering ------------------------------------------------------- */

/* nack_generator could hold a gap's first NACK for delay_ms to let a
 * reordered packet arrive, but producer.c sets delay_ms = 0 (mediasoup's
 * behaviour): the NACK leaves with the packet that shows the gap, and
 * the late packet only stops the retries. It is forwarded into the gap
 * but not counted as repaired: only RTX arrivals repair (as mediasoup's
 * RtpStreamRecv counts them). */
BRAID_TEST(reordered_packet_is_nacked_at_once) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 500, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 502, false, 2);
  const uint16_t late[] = {501};
  ASSERT_EQ(nacks_since(&w, 0, VIDEO_SSRC, late, 1), 1);

  fwd_now_ms += 2; /* a few ms late: within any reordering delay */
  size_t mark = w.send->n;
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 501, false, 1);
  ASSERT_EQ(w.send->n, mark);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  uint16_t first = fwd_rtp_out(w.recv, 0).pkt.seq;
  ASSERT_EQ(fwd_rtp_out(w.recv, 1).pkt.seq, (uint16_t)(first + 2)); /* 502 */
  ASSERT_EQ(fwd_rtp_out(w.recv, 2).pkt.seq, (uint16_t)(first + 1)); /* 501, into the gap */

  const braid_rtp_recv_stats_t *r = &p->streams[0].recv;
  ASSERT_EQ(r->received, 3);
  ASSERT_EQ(r->retransmitted, 0);
  ASSERT_EQ(r->repaired, 0);
  ASSERT_EQ(braid_rtp_recv_stats_lost(r), 0);

  fwd_now_ms += RTT_MS;
  braid_transport_on_timeout(&w.send->media, fwd_now_ms);
  ASSERT_EQ(fwd_nacks(w.send, 0, VIDEO_SSRC, NULL, 0, NULL), 1);
  fwd_world_cleanup(&w);
}

/* ---- 6. getStats ---------------------------------------------------------- */

/* The unsigned value that follows "key": in json, or -1 when absent. */
static long long json_uint(const char *json, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *at = strstr(json, pat);
  return at == NULL ? -1 : strtoll(at + strlen(pat), NULL, 10);
}

BRAID_TEST(stats_json_counts_nacks) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  char json[2048];
  ssize_t len = braid_stats_json_producer(p, json, sizeof json);
  ASSERT_EQ(len, 2); /* nothing received yet: [] */

  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 600, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 604, false, 4); /* 601..603 lost */
  fwd_now_ms += RTT_MS;
  braid_transport_on_timeout(&w.send->media, fwd_now_ms);
  fwd_send_vp8_rtx(&w, VIDEO_RTX_SSRC, NULL, 1, 602, false, 2);

  len = braid_stats_json_producer(p, json, sizeof json);
  ASSERT(len > 0 && (size_t)len < sizeof json);
  ASSERT(strstr(json, "\"type\":\"inbound-rtp\"") != NULL);
  ASSERT_EQ(json_uint(json, "ssrc"), VIDEO_SSRC);
  ASSERT_EQ(json_uint(json, "nackCount"), 2);
  ASSERT_EQ(json_uint(json, "nackPacketCount"), 6);
  ASSERT_EQ(json_uint(json, "packetsRetransmitted"), 1);
  ASSERT_EQ(json_uint(json, "packetsRepaired"), 1);
  ASSERT_EQ(json_uint(json, "packetsLost"), 3); /* RTX does not lower it (rtp_recv_stats.h) */
  fwd_world_cleanup(&w);
}

/* ---- 7. RTX that repairs nothing; NACK without RTX (opus) ------------------ */

/* Chromium probes the path's bandwidth with retransmissions of packets it
 * sent already: an RTX packet whose original is not missing is counted as
 * retransmitted (mediasoup counts every RTX packet) but not forwarded, or
 * every consumer would get each probe as a duplicate. A real repair still
 * goes through. */
BRAID_TEST(rtx_that_repairs_nothing_is_not_forwarded) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_add_consumer(&w, "cv", p, "0", CONSUMER_SSRC, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 800, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 801, false, 1);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 802, false, 2);
  ASSERT_EQ(fwd_count(w.recv, false), 3);

  fwd_send_vp8_rtx(&w, VIDEO_RTX_SSRC, NULL, 1, 801, false, 1); /* a probe */
  const braid_rtp_recv_stats_t *r = &p->streams[0].recv;
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  ASSERT_EQ(r->retransmitted, 1);
  ASSERT_EQ(r->repaired, 0);
  ASSERT_EQ(fwd_nacks(w.send, 0, VIDEO_SSRC, NULL, 0, NULL), 0);

  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 804, false, 4); /* 803 lost */
  const uint16_t lost[] = {803};
  ASSERT_EQ(nacks_since(&w, 0, VIDEO_SSRC, lost, 1), 1);
  fwd_now_ms += 30;
  fwd_send_vp8_rtx(&w, VIDEO_RTX_SSRC, NULL, 2, 803, false, 3);
  ASSERT_EQ(fwd_count(w.recv, false), 5);
  ASSERT_EQ(fwd_rtp_out(w.recv, 4).pkt.seq, (uint16_t)(fwd_rtp_out(w.recv, 2).pkt.seq + 1));
  ASSERT_EQ(r->retransmitted, 2);
  ASSERT_EQ(r->repaired, 1);
  fwd_world_cleanup(&w);
}

/* An audio consumer of the given producer with NACK negotiated (as the
 * controller consumes with enableRtx: opus then has NACK, and no RTX). */
static braid_consumer_t *add_opus_consumer_with_nack(fwd_world_t *w, braid_producer_t *p) {
  braid_cmd_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = BRAID_STR_LIT("t-recv");
  c.consumer_id = BRAID_STR_LIT("ca");
  c.producer_id = braid_str_c(p->id);
  c.kind = BRAID_STR_LIT("audio");
  c.type = BRAID_STR_LIT("simple");
  c.mid = BRAID_STR_LIT("0");
  c.ssrc = CONSUMER_SSRC;
  c.cname = BRAID_STR_LIT("router-cname");
  c.fb = BRAID_FB_TWCC | BRAID_FB_NACK;
  c.ext = (braid_rtp_ext_ids_t){
      .mid = RX_MID, .abs_send_time = RX_ABS_SEND, .twcc = RX_TWCC, .audio_level = RX_AUDIO_LEVEL};
  c.ncodecs = 1;
  c.codecs[0] = (braid_consumer_codec_t){RPT_OPUS, 0, BRAID_STR_LIT("audio/opus"), 48000};
  braid_consumer_t *k = NULL;
  const char *why = NULL;
  if (braid_consumer_new(&k, &w->recv->media, p, &c, &why) != 0)
    BRAID_TEST_FAIL("opus consumer: %s", why ? why : "");
  return k;
}

/* Opus with NACK (mediasoup-demo's opusNack): the sender resends the lost
 * packet itself, on its own SSRC; what fills a NACKed hole then counts as
 * retransmitted and repaired (mediasoup's RtpStreamRecv without RTX), and
 * is forwarded into the consumer's gap. */
BRAID_TEST(opus_nack_resend_counts_as_repaired) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_cmd_producer_create_t cmd = fwd_producer_cmd("pa", false, false);
  cmd.fb |= BRAID_FB_NACK;
  braid_producer_t *p = fwd_add_producer_cmd(&w, &cmd);
  ASSERT(p->streams[0].nack != NULL);
  add_opus_consumer_with_nack(&w, p);
  fwd_send_opus(&w, 20, 20 * 960, 1);
  fwd_send_opus(&w, 22, 22 * 960, 1); /* 21 lost */
  const uint16_t lost[] = {21};
  ASSERT_EQ(nacks_since(&w, 0, AUDIO_SSRC, lost, 1), 1);
  fwd_now_ms += 30;
  fwd_send_opus(&w, 21, 21 * 960, 1);
  const braid_rtp_recv_stats_t *r = &p->streams[0].recv;
  ASSERT_EQ(r->received, 3);
  ASSERT_EQ(r->retransmitted, 1);
  ASSERT_EQ(r->repaired, 1);
  ASSERT_EQ(braid_rtp_recv_stats_lost(r), 0);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  ASSERT_EQ(fwd_rtp_out(w.recv, 2).pkt.seq, (uint16_t)(fwd_rtp_out(w.recv, 0).pkt.seq + 1));
  /* A reordered packet of a stream with RTX does not count (see
   * reordered_packet_is_nacked_at_once); nor does a duplicate here. */
  fwd_send_opus(&w, 21, 21 * 960, 1);
  ASSERT_EQ(r->repaired, 1);
  fwd_world_cleanup(&w);
}

/* The producer's store does not depend on its own NACK: an opus producer
 * without NACK (the demo's default, no opusNack) still keeps its packets,
 * and a consumer that negotiated NACK gets the lost one again. */
BRAID_TEST(consumer_nack_is_answered_without_producer_nack) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pa", false, false); /* TWCC only */
  ASSERT(p->streams[0].nack == NULL);
  ASSERT(p->streams[0].store != NULL);
  braid_consumer_t *c = add_opus_consumer_with_nack(&w, p);
  for (uint16_t seq = 30; seq < 33; seq++)
    fwd_send_opus(&w, seq, seq * 960u, 1);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  fwd_rtp_t lost = fwd_rtp_out(w.recv, 1);
  fwd_now_ms += 20;
  fwd_recv_feedback(&w, FB_NACK, CONSUMER_SSRC, lost.pkt.seq);
  ASSERT_EQ(fwd_count(w.recv, false), 4);
  fwd_rtp_t again = fwd_rtp_out(w.recv, 3);
  ASSERT_EQ(again.pkt.ssrc, CONSUMER_SSRC); /* no RTX for opus: the packet itself */
  ASSERT_EQ(again.pkt.seq, lost.pkt.seq);
  ASSERT_EQ(again.pkt.ts, lost.pkt.ts);
  ASSERT_EQ(again.pkt.payload_len, lost.pkt.payload_len);
  ASSERT_MEM_EQ(again.payload, lost.payload, lost.pkt.payload_len);
  ASSERT_EQ(c->resent, 1);
  fwd_world_cleanup(&w);
}

/* clang-format off */
BRAID_TEST_LIST(BRAID_TEST_ENTRY(gap_is_nacked_with_the_stream_ssrc)
                BRAID_TEST_ENTRY(simulcast_nack_names_the_learned_ssrc)
                BRAID_TEST_ENTRY(nacks_are_retried_every_rtt_until_repaired_or_given_up)
                BRAID_TEST_ENTRY(rtx_repair_fills_the_consumer_gap)
                BRAID_TEST_ENTRY(rtx_ahead_of_the_stream_lists_no_gap)
                BRAID_TEST_ENTRY(no_nack_without_nack_feedback)
                BRAID_TEST_ENTRY(reordered_packet_is_nacked_at_once)
                BRAID_TEST_ENTRY(stats_json_counts_nacks)
                BRAID_TEST_ENTRY(rtx_that_repairs_nothing_is_not_forwarded)
                BRAID_TEST_ENTRY(opus_nack_resend_counts_as_repaired)
                BRAID_TEST_ENTRY(consumer_nack_is_answered_without_producer_nack))
/* clang-format on */
