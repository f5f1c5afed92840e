/*
 * The forwarding path of mediad end to end (transport.c, producer.c,
 * consumer.c, media_handlers.c) over the fake transport kind of
 * fwd_harness.h, which captures every packet its media half sends, in
 * plaintext. Producers live on the "send" transport (the publisher),
 * consumers on the "recv" transport (the subscriber); the tests move the
 * harness's clock (fwd_now_ms) by hand.
 *
 * The producer's NACKs towards the publisher are tested in
 * forwarding_nack_test.c.
 */
#include "common/bytes.h"
#include "common/clock.h"
#include "common/map.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sdes.h"
#include "mediad/wire/rtcp/sr.h"
#include "tests/mediad/rtc/fwd_harness.h"
#include "tests/mediad/rtc/rtp_maker.h"
#include "mediad/wire/rtcp/twcc.h"
#include "tests/test.h"

/* ---- 1. audio ------------------------------------------------------------ */

BRAID_TEST(audio_forwarded_with_new_header) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pa", false, false);
  braid_consumer_t *c1 = fwd_add_consumer(&w, "ca1", p, "0", 0x55550001, false);
  braid_consumer_t *c2 = fwd_add_consumer(&w, "ca2", p, "1", 0x55550002, false);
  const size_t N = 5;
  for (size_t i = 0; i < N; i++) {
    fwd_now_ms += 20;
    fwd_send_opus(&w, (uint16_t)(65533 + i), (uint32_t)(4294966000u + 960 * i),
                  (uint8_t)(0x80 | i));
  }
  ASSERT_EQ(fwd_count(w.recv, false), 2 * N);
  ASSERT_EQ(w.recv->media.stats.rtp_forwarded, 2 * N);
  ASSERT_EQ(w.send->n, 0); /* nothing goes back to the publisher */

  uint16_t first_seq[2] = {0}, twcc_prev = 0;
  uint32_t ts_off[2] = {0};
  for (size_t k = 0; k < 2 * N; k++) {
    fwd_rtp_t o = fwd_rtp_out(w.recv, k);
    size_t i = k / 2; /* the input packet */
    ASSERT(o.pkt.ssrc == c1->ssrc || o.pkt.ssrc == c2->ssrc);
    int which = o.pkt.ssrc == c1->ssrc ? 0 : 1;
    ASSERT_EQ(o.pkt.pt, RPT_OPUS);
    ASSERT(o.pkt.marker);
    uint32_t in_ts = (uint32_t)(4294966000u + 960 * i);
    if (i == 0) {
      first_seq[which] = o.pkt.seq;
      ts_off[which] = o.pkt.ts - in_ts;
    }
    ASSERT_EQ(o.pkt.seq, (uint16_t)(first_seq[which] + i));
    ASSERT_EQ(o.pkt.ts, (uint32_t)(in_ts + ts_off[which]));
    ASSERT_EQ(o.pkt.payload_len, 20);
    ASSERT_EQ(o.payload[0], (uint8_t)(65533 + i));

    /* MID, abs-send-time, TWCC and the copied audio level; nothing else. */
    braid_str_t mid;
    bool voice;
    uint8_t level;
    uint32_t abs;
    uint16_t twcc;
    ASSERT_EQ(o.ext.n, 4);
    ASSERT_EQ(braid_rtp_ext_get_mid(&o.ext, RX_MID, &mid), 0);
    ASSERT(braid_str_eq(mid, which == 0 ? "0" : "1"));
    ASSERT_EQ(braid_rtp_ext_get_audio_level(&o.ext, RX_AUDIO_LEVEL, &voice, &level), 0);
    ASSERT(voice);
    ASSERT_EQ(level, i);
    ASSERT_EQ(braid_rtp_ext_get_abs_send_time(&o.ext, RX_ABS_SEND, &abs), 0);
    int64_t sent_ms = fwd_now_ms - 20 * (int64_t)(N - 1 - i);
    ASSERT_EQ(abs, braid_rtp_ext_abs_send_time_from_us((uint64_t)sent_ms * 1000));
    ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&o.ext, RX_TWCC, &twcc), 0);
    if (k > 0) ASSERT_EQ(twcc, (uint16_t)(twcc_prev + 1)); /* per transport, not per consumer */
    twcc_prev = twcc;
  }
  ASSERT_EQ(p->rx_packets, N);
  ASSERT_EQ(p->streams[0].recv.received, N);
  fwd_world_cleanup(&w);
}

/* ---- 2. paused consumer, resume, key frame ------------------------------- */

BRAID_TEST(paused_consumer_waits_for_keyframe_after_resume) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 100, true, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 101, false, 1);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", 0x66660001, true);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 102, false, 2);
  ASSERT_EQ(w.recv->n, 0);
  ASSERT_EQ(w.send->n, 0); /* a paused consumer asks for nothing */

  fwd_ref_cmd(&w, BRAID_CMD_CONSUMER_RESUME, "cv");
  ASSERT(!c->paused);
  ASSERT_EQ(fwd_count(w.send, true), 1);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 1); /* a PLI: the producer has PLI */

  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 103, false, 3);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 104, false, 4);
  ASSERT_EQ(w.recv->n, 0);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 105, true, 5);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 106, false, 6);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 107, false, 7);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  for (size_t i = 0; i < 3; i++) {
    fwd_rtp_t o = fwd_rtp_out(w.recv, i);
    ASSERT_EQ(o.pkt.ssrc, c->ssrc);
    ASSERT_EQ(o.pkt.pt, RPT_VP8);
    ASSERT_EQ(o.payload[o.pkt.payload_len - 1], 5 + i);
  }
  fwd_assert_seq_continuous(&w, 0, 3);
  fwd_world_cleanup(&w);
}

/* ---- 3. simulcast by RID ------------------------------------------------- */

BRAID_TEST(simulcast_by_rid_forwards_highest_stream) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  braid_consumer_t *c = fwd_add_consumer(&w, "cs", p, "0", 0x66660001, false);
  const uint32_t ssrc[3] = {0x30000001, 0x30000002, 0x30000003};
  const char *rid[3] = {"r0", "r1", "r2"};
  /* Delta frames first: the streams are learned, nothing is forwarded. */
  for (size_t s = 0; s < 3; s++) {
    fwd_send_vp8(&w, ssrc[s], rid[s], 1000, false, (uint8_t)s);
    ASSERT_EQ(p->streams[s].ssrc, ssrc[s]);
  }
  ASSERT_EQ(w.recv->n, 0);
  ASSERT(fwd_keyframe_requests(w.send, ssrc[2]) >= 1);

  /* Key frames of the lower streams do not switch; the highest one's does. */
  fwd_send_vp8(&w, ssrc[0], rid[0], 1001, true, 0);
  fwd_send_vp8(&w, ssrc[1], rid[1], 1001, true, 1);
  ASSERT_EQ(w.recv->n, 0);
  fwd_send_vp8(&w, ssrc[2], rid[2], 1001, true, 2);
  ASSERT_EQ(c->spatial, 2);
  for (uint16_t seq = 1002; seq < 1006; seq++)
    for (size_t s = 0; s < 3; s++)
      fwd_send_vp8(&w, ssrc[s], rid[s], seq, false, (uint8_t)s);
  /* Learned SSRCs need no extension any more. */
  uint8_t pl[32];
  size_t n;
  fwd_vp8_payload(pl, &n, false, 2);
  test_pkt_t bare;
  make_pkt(&bare, ssrc[2], PT_VP8, 1006, 90u * 1006, pl, n);
  braid_transport_receive_rtp(&w.send->media, bare.buf, bare.len);

  ASSERT_EQ(fwd_count(w.recv, false), 6);
  for (size_t i = 0; i < 6; i++) {
    fwd_rtp_t o = fwd_rtp_out(w.recv, i);
    ASSERT_EQ(o.pkt.ssrc, c->ssrc);
    ASSERT_EQ(o.payload[o.pkt.payload_len - 1], 2);
  }
  fwd_assert_seq_continuous(&w, 0, 6);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 0);
  fwd_world_cleanup(&w);
}

/* ---- 4. RTX from the publisher ------------------------------------------- */

BRAID_TEST(rtx_by_rrid_is_unwrapped_and_forwarded) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "ps", true, true);
  fwd_add_consumer(&w, "cs", p, "0", 0x66660001, false);
  const uint32_t media = 0x30000003, rtx = 0x30000004;
  fwd_send_vp8(&w, media, "r2", 200, true, 0);
  fwd_send_vp8(&w, media, "r2", 202, false, 2); /* 201 is lost */
  ASSERT_EQ(fwd_count(w.recv, false), 2);

  /* RTX of 201: RTX SSRC and PT, MID + RRID, OSN then the payload. */
  uint8_t pl[34];
  size_t n;
  braid_put16(pl, 201);
  fwd_vp8_payload(pl + 2, &n, false, 1);
  braid_rtp_ext_entry_t e[] = {{(const uint8_t *)"1", CX_MID, 1},
                               {(const uint8_t *)"r2", CX_RRID, 2}};
  test_pkt_t r;
  make_pkt_ext(&r, rtx, PT_VP8_RTX, 7, 90u * 201, true, e, 2, pl, n + 2);
  braid_transport_receive_rtp(&w.send->media, r.buf, r.len);

  ASSERT_EQ(p->streams[2].rtx_ssrc, rtx);
  ASSERT_EQ(p->streams[2].recv.retransmitted, 1);
  ASSERT_EQ(fwd_count(w.recv, false), 3);
  fwd_rtp_t first = fwd_rtp_out(w.recv, 0), repaired = fwd_rtp_out(w.recv, 2);
  ASSERT_EQ(repaired.pkt.pt, RPT_VP8);
  ASSERT_EQ(repaired.pkt.seq, (uint16_t)(first.pkt.seq + 1));
  ASSERT_EQ(repaired.pkt.ts, first.pkt.ts + 90);
  ASSERT_EQ(repaired.pkt.payload_len, n);
  ASSERT_MEM_EQ(repaired.payload, pl + 2, n);
  fwd_world_cleanup(&w);
}

/* ---- 5. NACK from the subscriber ----------------------------------------- */

BRAID_TEST(nack_is_answered_with_rtx) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", 0x66660001, false);
  for (uint16_t seq = 300; seq < 305; seq++)
    fwd_send_vp8(&w, VIDEO_SSRC, NULL, seq, seq == 300, (uint8_t)seq);
  ASSERT_EQ(fwd_count(w.recv, false), 5);
  fwd_rtp_t lost = fwd_rtp_out(w.recv, 2);

  fwd_now_ms += 30;
  fwd_recv_feedback(&w, FB_NACK, c->ssrc, lost.pkt.seq);
  ASSERT_EQ(fwd_count(w.recv, false), 6);
  fwd_rtp_t o = fwd_rtp_out(w.recv, 5);
  ASSERT_EQ(o.pkt.ssrc, c->rtx_ssrc);
  ASSERT_EQ(o.pkt.pt, RPT_VP8_RTX);
  ASSERT_EQ(o.pkt.ts, lost.pkt.ts);
  ASSERT_EQ(o.pkt.payload_len, lost.pkt.payload_len + 2);
  ASSERT_EQ(braid_get16(o.payload), lost.pkt.seq); /* OSN */
  ASSERT_MEM_EQ(o.payload + 2, lost.payload, lost.pkt.payload_len);
  fwd_rtp_t last = fwd_rtp_out(w.recv, 4);
  uint16_t twcc_last, twcc_rtx;
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&last.ext, RX_TWCC, &twcc_last), 0);
  ASSERT_EQ(braid_rtp_ext_get_twcc_seq(&o.ext, RX_TWCC, &twcc_rtx), 0);
  ASSERT_EQ(twcc_rtx, (uint16_t)(twcc_last + 1)); /* a new transport-wide seq */
  ASSERT_EQ(c->send.retransmitted, 1);
  ASSERT_EQ(c->send.repaired, 1);

  /* Asked again after an RTT (100 ms when unknown): resent, not repaired again. */
  fwd_now_ms += 150;
  fwd_recv_feedback(&w, FB_NACK, c->ssrc, lost.pkt.seq);
  ASSERT_EQ(fwd_count(w.recv, false), 7);
  ASSERT_EQ(braid_get16(fwd_rtp_out(w.recv, 6).payload), lost.pkt.seq);
  ASSERT_EQ(c->send.retransmitted, 2);
  ASSERT_EQ(c->send.repaired, 1);

  /* A NACK naming the RTX SSRC or an unknown SSRC is ignored. */
  fwd_recv_feedback(&w, FB_NACK, c->rtx_ssrc, lost.pkt.seq);
  fwd_recv_feedback(&w, FB_NACK, 0x12345678, lost.pkt.seq);
  ASSERT_EQ(fwd_count(w.recv, false), 7);
  ASSERT_EQ(w.recv->media.stats.rtcp_malformed, 0);
  fwd_world_cleanup(&w);
}

/* ---- 6. PLI / FIR from the subscriber ------------------------------------ */

BRAID_TEST(pli_and_fir_become_merged_keyframe_requests) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 400, true, 0);
  braid_consumer_t *c = fwd_add_consumer(&w, "cv", p, "0", 0x66660001, false);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 1); /* the new consumer's */
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 401, true, 1);        /* answers it */
  ASSERT_EQ(fwd_count(w.recv, false), 1);

  fwd_now_ms += 100;
  fwd_recv_feedback(&w, FB_PLI, c->ssrc, 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 2);
  fwd_now_ms += 300;
  fwd_recv_feedback(&w, FB_PLI, c->ssrc, 0); /* within 1 s: merged */
  fwd_recv_feedback(&w, FB_FIR, c->ssrc, 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 2);

  /* Feedback about an SSRC nobody sends is ignored. */
  fwd_recv_feedback(&w, FB_PLI, 0x12345678, 0);
  ASSERT_EQ(fwd_count(w.send, true), 2);

  /* After the key frame arrives, a FIR goes out at once (as a PLI). */
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 402, true, 2);
  fwd_now_ms += 100;
  fwd_recv_feedback(&w, FB_FIR, c->ssrc, 0);
  ASSERT_EQ(fwd_keyframe_requests(w.send, VIDEO_SSRC), 3);
  fwd_world_cleanup(&w);
}

/* ---- 7. producer pause and close, transport cleanup ---------------------- */

BRAID_TEST(producer_pause_and_close) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pa", false, false);
  braid_consumer_t *c1 = fwd_add_consumer(&w, "ca1", p, "0", 0x55550001, false);
  fwd_add_consumer(&w, "ca2", p, "1", 0x55550002, false);
  fwd_send_opus(&w, 10, 960 * 10, 1);
  ASSERT_EQ(fwd_count(w.recv, false), 2);

  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_PAUSE, "pa");
  ASSERT(p->paused && c1->producer_paused);
  fwd_send_opus(&w, 11, 960 * 11, 1);
  fwd_send_opus(&w, 12, 960 * 12, 1);
  ASSERT_EQ(fwd_count(w.recv, false), 2);

  /* On resume the output goes on where it stopped. */
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_RESUME, "pa");
  fwd_send_opus(&w, 13, 960 * 13, 1);
  ASSERT_EQ(fwd_count(w.recv, false), 4);
  for (size_t k = 2; k < 4; k++) {
    fwd_rtp_t now = fwd_rtp_out(w.recv, k), before = fwd_rtp_out(w.recv, k - 2);
    ASSERT_EQ(now.pkt.ssrc, before.pkt.ssrc);
    ASSERT_EQ(now.pkt.seq, (uint16_t)(before.pkt.seq + 1));
  }

  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_CLOSE, "pa");
  ASSERT_EQ(braid_map_size(w.md.producers), 0);
  ASSERT_EQ(braid_map_size(w.md.consumers), 0);
  ASSERT(w.recv->media.consumers == NULL);
  ASSERT_EQ(braid_map_size(w.recv->media.consumer_by_ssrc), 0);
  fwd_send_opus(&w, 14, 960 * 14, 1);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 1);
  ASSERT_EQ(fwd_count(w.recv, false), 4);
  fwd_ref_cmd(&w, BRAID_CMD_PRODUCER_CLOSE, "pa"); /* idempotent */

  /* A whole set again, torn down by the transports alone. */
  braid_producer_t *pa = fwd_add_producer(&w, "pa2", false, false);
  braid_producer_t *pv = fwd_add_producer(&w, "pv2", true, false);
  fwd_add_consumer(&w, "ca3", pa, "0", 0x55550003, false);
  fwd_add_consumer(&w, "cv3", pv, "1", 0x55550004, false);
  ASSERT_EQ(braid_map_size(w.md.consumers), 2);
  fwd_world_cleanup(&w);
}

/* ---- 8. periodic RTCP ---------------------------------------------------- */

BRAID_TEST(periodic_sr_and_rr) {
  fwd_world_t w;
  fwd_world_init(&w);
  int64_t start = fwd_now_ms;
  braid_producer_t *p = fwd_add_producer(&w, "pa", false, false);
  braid_consumer_t *c = fwd_add_consumer(&w, "ca", p, "0", 0x55550001, false);
  for (uint16_t i = 0; i < 5; i++) {
    fwd_now_ms += 20;
    fwd_send_opus(&w, (uint16_t)(500 + i), 960u * i, 1);
  }
  int64_t last_sent = fwd_now_ms;
  fwd_now_ms = start + BRAID_TRANSPORT_RTCP_INTERVAL_MS + 100;
  ASSERT(braid_transport_next_timeout(&w.recv->media) <= fwd_now_ms);
  braid_transport_on_timeout(&w.recv->media, fwd_now_ms);
  braid_transport_on_timeout(&w.send->media, fwd_now_ms);

  /* Towards the subscriber: SR + SDES CNAME of the consumer. */
  ASSERT_EQ(fwd_count(w.recv, true), 1);
  const fwd_captured_t *cap = fwd_nth(w.recv, true, 0);
  braid_rtcp_compound_t it;
  braid_rtcp_packet_t pk;
  braid_rtcp_compound_init(&it, cap->data, cap->len, BRAID_RTCP_COMPOUND_FULL);
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
  braid_rtcp_sr_t sr;
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, pk.data, pk.len, NULL), 0);
  ASSERT_EQ(sr.ssrc, c->ssrc);
  ASSERT_EQ(sr.info.packet_count, 5);
  ASSERT_EQ(sr.info.octet_count, 5 * 20);
  ASSERT_EQ(sr.info.ntp, braid_rtp_send_stats_ntp_from_unix_ms(braid_clock_wall_ms()));
  uint32_t last_ts = fwd_rtp_out(w.recv, 4).pkt.ts;
  ASSERT_EQ(sr.info.rtp_ts, last_ts + (uint32_t)(48 * (fwd_now_ms - last_sent)));
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
  braid_rtcp_sdes_t sdes;
  braid_str_t cname;
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, pk.data, pk.len, NULL), 0);
  ASSERT_EQ(braid_rtcp_sdes_find(&sdes, c->ssrc, BRAID_RTCP_SDES_CNAME, &cname), 0);
  ASSERT(braid_str_eq(cname, "router-cname"));
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 0);

  /* Towards the publisher: TWCC feedback about its transport-wide numbered
   * packets (every 100 ms), then an RR about the producer stream. */
  ASSERT_EQ(fwd_count(w.send, true), 2);
  cap = fwd_nth(w.send, true, 0);
  braid_rtcp_twcc_t twcc;
  ASSERT_EQ(braid_rtcp_twcc_parse(&twcc, cap->data, cap->len, NULL), 0);
  ASSERT_EQ(twcc.status_count, 5);
  cap = fwd_nth(w.send, true, 1);
  braid_rtcp_compound_init(&it, cap->data, cap->len, BRAID_RTCP_COMPOUND_FULL);
  ASSERT_EQ(braid_rtcp_compound_next(&it, &pk), 1);
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blk;
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, pk.data, pk.len, NULL), 0);
  ASSERT_EQ(rr.n_blocks, 1);
  ASSERT_EQ(braid_rtcp_rr_block(&rr, 0, &blk), 0);
  ASSERT_EQ(blk.ssrc, AUDIO_SSRC);
  ASSERT_EQ(blk.highest_seq, 504);
  ASSERT_EQ(blk.packets_lost, 0);
  ASSERT_EQ(blk.fraction_lost, 0);

  /* Not again before the next interval. */
  braid_transport_on_timeout(&w.recv->media, fwd_now_ms + 10);
  ASSERT_EQ(fwd_count(w.recv, true), 1);
  fwd_world_cleanup(&w);
}

/* ---- 9. bad input -------------------------------------------------------- */

BRAID_TEST(malformed_and_unknown_rtp_are_counted) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pa", false, false);
  fwd_add_consumer(&w, "ca", p, "0", 0x55550001, false);
  uint8_t payload[20] = {0};
  test_pkt_t t;
  make_pkt(&t, AUDIO_SSRC, PT_OPUS, 1, 960, payload, sizeof payload);
  braid_transport_receive_rtp(&w.send->media, t.buf, 8); /* truncated header */
  t.buf[0] = 0x40;                                       /* version 1 */
  braid_transport_receive_rtp(&w.send->media, t.buf, t.len);
  ASSERT_EQ(w.send->media.stats.rtp_malformed, 2);

  make_pkt(&t, 0x0BADBAD0, PT_OPUS, 1, 960, payload, sizeof payload); /* no MID, no RID */
  braid_transport_receive_rtp(&w.send->media, t.buf, t.len);
  braid_rtp_ext_entry_t e = {(const uint8_t *)"9", CX_MID, 1}; /* a MID nobody has */
  make_pkt_ext(&t, 0x0BADBAD1, PT_OPUS, 1, 960, false, &e, 1, payload, sizeof payload);
  braid_transport_receive_rtp(&w.send->media, t.buf, t.len);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 2);

  uint8_t junk[3] = {0x80, 0xc8, 0x00};
  braid_transport_receive_rtcp(&w.recv->media, junk, sizeof junk);
  ASSERT_EQ(w.recv->media.stats.rtcp_malformed, 1);
  ASSERT_EQ(w.recv->n, 0);
  ASSERT_EQ(p->rx_packets, 0);
  fwd_world_cleanup(&w);
}

/* ---- regressions found while writing this file --------------------------- */

/* Chrome's audio producer has no RID/RRID extensions; creating it after a
 * simulcast video producer must not turn off RID lookups on the transport. */
BRAID_TEST(rid_lookup_survives_a_later_audio_producer) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *pv = fwd_add_producer(&w, "ps", true, true);
  fwd_add_producer(&w, "pa", false, false);
  fwd_send_vp8(&w, 0x30000003, "r2", 10, true, 2);
  ASSERT_EQ(w.send->media.stats.rtp_unknown, 0);
  ASSERT_EQ(pv->streams[2].ssrc, 0x30000003);
  fwd_world_cleanup(&w);
}

/* A padding-only packet on the media SSRC (a bandwidth probe without RTX)
 * is not forwarded and must not leave a hole in the consumer's sequence
 * numbers: the receiver would NACK a packet that never existed. */
BRAID_TEST(padding_only_packet_leaves_no_gap) {
  fwd_world_t w;
  fwd_world_init(&w);
  braid_producer_t *p = fwd_add_producer(&w, "pv", true, false);
  fwd_add_consumer(&w, "cv", p, "0", 0x66660001, false);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 600, true, 0);
  test_pkt_t pad;
  make_pkt(&pad, VIDEO_SSRC, PT_VP8, 601, 90u * 600, NULL, 0);
  pad.buf[0] |= 0x20; /* P: 200 bytes of padding, the last one counting them */
  memset(pad.buf + pad.len, 0, 199);
  pad.buf[pad.len + 199] = 200;
  pad.len += 200;
  braid_transport_receive_rtp(&w.send->media, pad.buf, pad.len);
  fwd_send_vp8(&w, VIDEO_SSRC, NULL, 602, false, 2);
  ASSERT_EQ(fwd_count(w.recv, false), 2);
  fwd_assert_seq_continuous(&w, 0, 2);
  fwd_world_cleanup(&w);
}

/* clang-format off */
BRAID_TEST_LIST(BRAID_TEST_ENTRY(audio_forwarded_with_new_header)
                BRAID_TEST_ENTRY(paused_consumer_waits_for_keyframe_after_resume)
                BRAID_TEST_ENTRY(simulcast_by_rid_forwards_highest_stream)
                BRAID_TEST_ENTRY(rtx_by_rrid_is_unwrapped_and_forwarded)
                BRAID_TEST_ENTRY(nack_is_answered_with_rtx)
                BRAID_TEST_ENTRY(pli_and_fir_become_merged_keyframe_requests)
                BRAID_TEST_ENTRY(producer_pause_and_close)
                BRAID_TEST_ENTRY(periodic_sr_and_rr)
                BRAID_TEST_ENTRY(malformed_and_unknown_rtp_are_counted)
                BRAID_TEST_ENTRY(rid_lookup_survives_a_later_audio_producer)
                BRAID_TEST_ENTRY(padding_only_packet_leaves_no_gap))
/* clang-format on */
