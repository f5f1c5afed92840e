/*
 * Plain transports (mediad/rtc/plain_transport.c) over real loopback
 * sockets, with the real forwarding path between them: a publisher sends
 * VP8 to a comedia transport, whose producer's consumer sends on a
 * connected transport to a subscriber. rtcp-mux off (RTCP on its own port,
 * both ways), comedia learning and dropping other sources, SRTP with every
 * suite (the remote endpoints protect with libsrtp through
 * mediad/sec/srtp_session), and the counters. The rules of connect itself
 * are in plain_connect_test.c.
 */
#include "mediad/node.h"
#include "tests/mediad/rtc/plain_harness.h"
#include "tests/mediad/rtc/port_range.h"

#define WAIT_MS 2000

/* The publisher's transport (comedia), the subscriber's (connected to
 * sub), the producer on the first and its consumer on the second. */
typedef struct pair {
  braid_plain_transport_t *a, *b;
  braid_producer_t *p;
  braid_consumer_t *c;
} pair_t;

/* Receives the next RTP datagram of sub, checks it is the consumer's VP8
 * with the given tag, and returns its sequence number. */
static uint16_t expect_forwarded(ph_world_t *w, const ph_peer_t *sub, uint8_t tag) {
  uint8_t buf[1600];
  braid_rtp_packet_t pkt;
  ssize_t n = ph_recv_rtp(w, sub, buf, sizeof buf, WAIT_MS);
  ASSERT(n > 0);
  ASSERT_EQ(braid_rtp_packet_parse(&pkt, buf, (size_t)n), 0);
  ASSERT_EQ(pkt.ssrc, PH_CONSUMER_SSRC);
  ASSERT_EQ(pkt.pt, PH_RPT_VP8);
  ASSERT_EQ(buf[n - 1], tag);
  return pkt.seq;
}

/* Waits for the publisher's peer p to get a PLI about the producer's
 * stream (unprotected with in first, when not NULL); other RTCP (a
 * receiver report) may come before it. */
static void expect_pli(ph_world_t *w, const ph_peer_t *p, braid_srtp_session_t *in) {
  uint8_t buf[1600];
  ssize_t n;
  int64_t end = braid_clock_mono_ms() + WAIT_MS;
  while (braid_clock_mono_ms() < end) {
    if ((n = ph_recv(w, p, buf, sizeof buf, 10)) < 0) continue;
    size_t len = (size_t)n;
    ASSERT(ph_is_rtcp(buf, len));
    if (in != NULL) ASSERT_EQ(braid_srtp_session_unprotect_rtcp(in, buf, &len), 0);
    if (ph_has_rtcp(buf, len, BRAID_RTCP_PT_PSFB, PH_VIDEO_SSRC)) return;
  }
  BRAID_TEST_FAIL("no PLI reached the publisher");
}

/* Sends the publisher's VP8 packet seq to port. */
static void send_vp8(const ph_peer_t *pub, int port, uint16_t seq, bool key, uint8_t tag) {
  test_pkt_t pkt;
  ph_vp8(&pkt, PH_VIDEO_SSRC, seq, key, tag);
  ph_send(pub, port, pkt.buf, pkt.len);
}

BRAID_TEST(comedia_producer_to_connected_consumer) {
  ph_world_t w;
  ph_world_init(&w);
  ph_peer_t pub = ph_peer_new(), sub = ph_peer_new();
  pair_t x;
  const char *why = NULL;
  x.a = ph_plain(&w, "ta", true, true, false);
  x.b = ph_plain(&w, "tb", true, false, false);
  ASSERT_EQ(braid_plain_transport_rtcp_port(x.a), 0);
  ASSERT_EQ(ph_connect(x.b, "127.0.0.1", sub.port, 0, "", "", "", &why), 0);
  ASSERT(braid_plain_transport_media(x.b)->connected);
  ASSERT(!braid_plain_transport_media(x.a)->connected); /* no remote yet */
  ASSERT(braid_plain_transport_remote(x.a, false) == NULL);
  x.p = ph_producer(&w, x.a);
  x.c = ph_consumer(&w, x.b, x.p);

  for (uint8_t i = 0; i < 5; i++)
    send_vp8(&pub, braid_plain_transport_port(x.a), 100 + i, i == 0, i);
  uint16_t first = expect_forwarded(&w, &sub, 0);
  for (uint8_t i = 1; i < 5; i++)
    ASSERT_EQ(expect_forwarded(&w, &sub, i), (uint16_t)(first + i));

  /* The first packet named the remote: the transport can send to it now. */
  ASSERT(braid_plain_transport_media(x.a)->connected);
  const struct sockaddr_in *r =
      (const struct sockaddr_in *)braid_plain_transport_remote(x.a, false);
  ASSERT(r != NULL);
  ASSERT_EQ(ntohs(r->sin_port), pub.port);
  ASSERT_EQ(braid_plain_transport_stats(x.a)->rx_rtp, 5);
  ASSERT_EQ(x.p->rx_packets, 5);
  ASSERT(braid_plain_transport_stats(x.b)->tx_packets >= 5);
  ASSERT_EQ(braid_plain_transport_dropped(x.a) + braid_plain_transport_dropped(x.b), 0);
  close(pub.fd);
  close(sub.fd);
  ph_world_cleanup(&w);
}

BRAID_TEST(rtcp_mux_off_both_directions) {
  ph_world_t w;
  ph_world_init(&w);
  ph_peer_t pub = ph_peer_new(), pub_rtcp = ph_peer_new();
  ph_peer_t sub = ph_peer_new(), sub_rtcp = ph_peer_new();
  uint8_t buf[1600];
  ssize_t n;
  const char *why = NULL;
  pair_t x;
  x.a = ph_plain(&w, "ta", false, true, false);
  x.b = ph_plain(&w, "tb", false, false, false);
  int a_port = braid_plain_transport_port(x.a), a_rtcp = braid_plain_transport_rtcp_port(x.a);
  ASSERT(a_rtcp > 0 && a_rtcp != a_port);
  ASSERT_EQ(ph_connect(x.b, "127.0.0.1", sub.port, sub_rtcp.port, "", "", "", &why), 0);
  x.p = ph_producer(&w, x.a);
  x.c = ph_consumer(&w, x.b, x.p);
  send_vp8(&pub, a_port, 1, true, 7);
  expect_forwarded(&w, &sub, 7);

  /* Publisher -> A: its SR on the RTCP port names A's RTCP tuple. */
  ASSERT(braid_plain_transport_remote(x.a, true) == NULL);
  ph_send(&pub_rtcp, a_rtcp, buf, ph_sr(buf, sizeof buf, PH_VIDEO_SSRC));
  for (int i = 0; i < WAIT_MS && braid_plain_transport_stats(x.a)->rx_rtcp == 0; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(braid_plain_transport_stats(x.a)->rx_rtcp, 1);
  const struct sockaddr_in *r = (const struct sockaddr_in *)braid_plain_transport_remote(x.a, true);
  ASSERT(r != NULL);
  ASSERT_EQ(ntohs(r->sin_port), pub_rtcp.port);
  /* RTCP on the RTP port is not where it belongs without rtcp-mux. */
  ph_send(&pub, a_port, buf, ph_sr(buf, sizeof buf, PH_VIDEO_SSRC));
  for (int i = 0; i < WAIT_MS && braid_plain_transport_stats(x.a)->rx_dropped == 0; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(braid_plain_transport_stats(x.a)->rx_dropped, 1);

  /* Subscriber -> B on B's RTCP port: a PLI; B's consumer asks the
   * producer, which asks the publisher on A's RTCP tuple. */
  ph_send(&sub_rtcp, braid_plain_transport_rtcp_port(x.b), buf,
          ph_pli(buf, sizeof buf, PH_CONSUMER_SSRC));
  expect_pli(&w, &pub_rtcp, NULL);
  ASSERT_EQ(x.c->pli_count, 1);
  ASSERT_EQ(ph_recv(&w, &pub, buf, sizeof buf, 50), -1); /* nothing on the RTP port */

  /* B -> subscriber: the periodic SR of the consumer, on the RTCP port,
   * within a report interval; and A's receiver report to the publisher. */
  bool sr = false, rr = false;
  int64_t end = braid_clock_mono_ms() + BRAID_TRANSPORT_RTCP_INTERVAL_MS + WAIT_MS;
  while ((!sr || !rr) && braid_clock_mono_ms() < end) {
    if ((n = ph_recv(&w, &sub_rtcp, buf, sizeof buf, 10)) > 0)
      sr = sr || ph_has_rtcp(buf, (size_t)n, BRAID_RTCP_PT_SR, PH_CONSUMER_SSRC);
    if ((n = ph_recv(&w, &pub_rtcp, buf, sizeof buf, 10)) > 0)
      rr = rr || (n >= 2 && buf[1] == BRAID_RTCP_PT_RR);
  }
  ASSERT(sr && rr);
  /* Nothing but RTP ever reached the subscriber's RTP port. */
  while ((n = ph_recv(&w, &sub, buf, sizeof buf, 0)) >= 0)
    ASSERT(!ph_is_rtcp(buf, (size_t)n));
  ASSERT_EQ(braid_plain_transport_stats(x.b)->rx_rtcp, 1);
  int fds[] = {pub.fd, pub_rtcp.fd, sub.fd, sub_rtcp.fd};
  for (size_t i = 0; i < 4; i++)
    close(fds[i]);
  ph_world_cleanup(&w);
}

BRAID_TEST(comedia_drops_other_sources) {
  ph_world_t w;
  ph_world_init(&w);
  ph_peer_t pub = ph_peer_new(), intruder = ph_peer_new();
  braid_plain_transport_t *a = ph_plain(&w, "ta", true, true, false);
  braid_producer_t *p = ph_producer(&w, a);
  int port = braid_plain_transport_port(a);
  const braid_plain_transport_stats_t *st = braid_plain_transport_stats(a);
  send_vp8(&pub, port, 1, true, 1);
  for (int i = 0; i < WAIT_MS && st->rx_rtp == 0; i += 10)
    ph_pump(&w, 10);
  send_vp8(&intruder, port, 2, false, 2);
  send_vp8(&pub, port, 3, false, 3);
  for (int i = 0; i < WAIT_MS && st->rx_rtp + st->rx_unknown_source < 3; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(st->rx_rtp, 2);
  ASSERT_EQ(st->rx_unknown_source, 1);
  ASSERT_EQ(p->rx_packets, 2);
  const struct sockaddr_in *r = (const struct sockaddr_in *)braid_plain_transport_remote(a, false);
  ASSERT_EQ(ntohs(r->sin_port), pub.port);
  /* Not RTP or RTCP: a STUN binding request's first bytes. */
  static const uint8_t stun[20] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42};
  ph_send(&pub, port, stun, sizeof stun);
  for (int i = 0; i < WAIT_MS && st->rx_dropped == 0; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(st->rx_dropped, 1);

  /* The node counts the drops, also once the transport is gone. */
  ASSERT_EQ(braid_plain_transport_dropped(a), 2);
  ASSERT_EQ(braid_node_rx_dropped(&w.md), 2);
  braid_mediad_net_stats_t net;
  braid_node_net_stats(&w.md, &net);
  ASSERT_EQ(net.udp_rx, 4);
  braid_transport_close(braid_plain_transport_media(a));
  ASSERT_EQ(braid_node_rx_dropped(&w.md), 2);
  braid_node_net_stats(&w.md, &net);
  ASSERT_EQ(net.udp_rx, 4);
  ASSERT(braid_map_size(w.md.producers) == 0); /* closed with its transport */
  close(pub.fd);
  close(intruder.fd);
  ph_world_cleanup(&w);
}

BRAID_TEST(unconnected_transport_drops_and_sends_nothing) {
  ph_world_t w;
  ph_world_init(&w);
  ph_peer_t pub = ph_peer_new();
  uint8_t buf[64];
  const char *why = NULL;
  /* Not comedia, not connected: everything is dropped. */
  braid_plain_transport_t *a = ph_plain(&w, "ta", true, false, false);
  ph_producer(&w, a);
  const braid_plain_transport_stats_t *st = braid_plain_transport_stats(a);
  send_vp8(&pub, braid_plain_transport_port(a), 1, true, 1);
  for (int i = 0; i < WAIT_MS && st->rx_not_connected == 0; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(st->rx_not_connected, 1);
  ASSERT_EQ(st->rx_rtp, 0);
  /* Connected to another port than the sender's: still not the remote. */
  ASSERT_EQ(
      ph_connect(a, "127.0.0.1", pub.port + 1 > 65535 ? 1 : pub.port + 1, 0, "", "", "", &why), 0);
  send_vp8(&pub, braid_plain_transport_port(a), 2, true, 2);
  for (int i = 0; i < WAIT_MS && st->rx_unknown_source == 0; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(st->rx_unknown_source, 1);
  ASSERT_EQ(ph_recv(&w, &pub, buf, sizeof buf, 20), -1);
  /* A second connect is refused. */
  ASSERT_EQ(ph_connect(a, "127.0.0.1", pub.port, 0, "", "", "", &why), BRAID_ESTATE);
  ASSERT_STR_EQ(why, "connect() already called");
  close(pub.fd);
  ph_world_cleanup(&w);
}

/* One suite end to end: the publisher protects with its key (A's
 * srtp_key) and unprotects A's RTCP with A's own key (srtp_local_key); the
 * same on B's side with the subscriber. */
static void srtp_suite(braid_srtp_suite_t suite) {
  const char *name = braid_srtp_session_suite_name(suite), *why = NULL;
  size_t klen = braid_srtp_session_key_len(suite) + braid_srtp_session_salt_len(suite);
  char k_pub[64], k_a[64], k_sub[64], k_b[64];
  ph_key_b64(k_pub, klen, 1);
  ph_key_b64(k_a, klen, 2);
  ph_key_b64(k_sub, klen, 3);
  ph_key_b64(k_b, klen, 4);
  braid_srtp_session_t *pub_out, *pub_in, *sub_out, *sub_in;
  ASSERT_EQ(
      braid_srtp_session_new_base64(&pub_out, suite, BRAID_SRTP_DIR_OUTBOUND, braid_str_c(k_pub)),
      0);
  ASSERT_EQ(braid_srtp_session_new_base64(&pub_in, suite, BRAID_SRTP_DIR_INBOUND, braid_str_c(k_a)),
            0);
  ASSERT_EQ(
      braid_srtp_session_new_base64(&sub_out, suite, BRAID_SRTP_DIR_OUTBOUND, braid_str_c(k_sub)),
      0);
  ASSERT_EQ(braid_srtp_session_new_base64(&sub_in, suite, BRAID_SRTP_DIR_INBOUND, braid_str_c(k_b)),
            0);

  ph_world_t w;
  ph_world_init(&w);
  ph_peer_t pub = ph_peer_new(), sub = ph_peer_new();
  pair_t x;
  x.a = ph_plain(&w, "ta", true, true, true);
  x.b = ph_plain(&w, "tb", true, false, true);
  int a_port = braid_plain_transport_port(x.a);
  const braid_plain_transport_stats_t *sa = braid_plain_transport_stats(x.a);
  test_pkt_t pkt;
  size_t len;
  uint8_t buf[1600];
  ssize_t n;

  /* Before A has the keys, what the publisher sends is dropped. */
  ph_vp8(&pkt, PH_VIDEO_SSRC, 1, true, 1);
  len = pkt.len;
  ASSERT_EQ(braid_srtp_session_protect_rtp(pub_out, pkt.buf, &len, sizeof pkt.buf), 0);
  ph_send(&pub, a_port, pkt.buf, len);
  for (int i = 0; i < WAIT_MS && sa->rx_not_connected == 0; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(sa->rx_not_connected, 1);
  ASSERT(braid_plain_transport_remote(x.a, false) == NULL);

  ASSERT_EQ(ph_connect(x.a, "", 0, 0, name, k_pub, k_a, &why), 0);
  ASSERT(!braid_plain_transport_media(x.a)->connected); /* keys, but no remote yet */
  ASSERT_EQ(ph_connect(x.b, "127.0.0.1", sub.port, 0, name, k_sub, k_b, &why), 0);
  ASSERT(braid_plain_transport_media(x.b)->connected);
  x.p = ph_producer(&w, x.a);
  x.c = ph_consumer(&w, x.b, x.p);

  /* Publisher -> A -> B -> subscriber. */
  ph_vp8(&pkt, PH_VIDEO_SSRC, 2, true, 0x5a);
  len = pkt.len;
  ASSERT_EQ(braid_srtp_session_protect_rtp(pub_out, pkt.buf, &len, sizeof pkt.buf), 0);
  ph_send(&pub, a_port, pkt.buf, len);
  n = ph_recv_rtp(&w, &sub, buf, sizeof buf, WAIT_MS);
  ASSERT(n > 0);
  len = (size_t)n;
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(sub_in, buf, &len), 0);
  braid_rtp_packet_t rtp;
  ASSERT_EQ(braid_rtp_packet_parse(&rtp, buf, len), 0);
  ASSERT_EQ(rtp.ssrc, PH_CONSUMER_SSRC);
  ASSERT_EQ(buf[len - 1], 0x5a);
  ASSERT(braid_plain_transport_media(x.a)->connected);

  /* Protected with a key that is not the publisher's: dropped. */
  ph_vp8(&pkt, PH_VIDEO_SSRC, 3, false, 3);
  len = pkt.len;
  ASSERT_EQ(braid_srtp_session_protect_rtp(sub_out, pkt.buf, &len, sizeof pkt.buf), 0);
  ph_send(&pub, a_port, pkt.buf, len);
  for (int i = 0; i < WAIT_MS && sa->srtp_unprotect_failed == 0; i += 10)
    ph_pump(&w, 10);
  ASSERT_EQ(sa->srtp_unprotect_failed, 1);

  /* Subscriber -> B: an SRTCP PLI; A's PLI reaches the publisher as
   * SRTCP under A's key. (The consumer asked for a key frame of its own
   * when the stream started: that one is already there, drop it.) */
  while (ph_recv(&w, &pub, buf, sizeof buf, 0) >= 0) {
  }
  len = ph_pli(buf, sizeof buf, PH_CONSUMER_SSRC);
  ASSERT_EQ(braid_srtp_session_protect_rtcp(sub_out, buf, &len, sizeof buf), 0);
  ph_send(&sub, braid_plain_transport_port(x.b), buf, len);
  expect_pli(&w, &pub, pub_in);
  ASSERT_EQ(x.c->pli_count, 1);

  close(pub.fd);
  close(sub.fd);
  ph_world_cleanup(&w);
  braid_srtp_session_free(pub_out);
  braid_srtp_session_free(pub_in);
  braid_srtp_session_free(sub_out);
  braid_srtp_session_free(sub_in);
}

BRAID_TEST(srtp_every_suite) {
  static const braid_srtp_suite_t suites[] = {
      BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,
      BRAID_SRTP_SUITE_AEAD_AES_128_GCM, BRAID_SRTP_SUITE_AEAD_AES_256_GCM};
  for (size_t i = 0; i < 4; i++)
    srtp_suite(suites[i]);
}

/* With --port-range, the first free ports of the range, RTP then RTCP. */
BRAID_TEST(ports_from_the_range) {
  ph_world_t w;
  ph_world_init(&w);
  int base = test_free_port_range(3);
  w.cfg.port_min = base;
  w.cfg.port_max = base + 2;
  braid_plain_transport_t *a = ph_plain(&w, "ta", false, true, false);
  ASSERT_EQ(braid_plain_transport_port(a), base);
  ASSERT_EQ(braid_plain_transport_rtcp_port(a), base + 1);
  braid_plain_transport_t *b = ph_plain(&w, "tb", true, true, false);
  ASSERT_EQ(braid_plain_transport_port(b), base + 2);
  braid_cmd_transport_create_plain_t c = {
      .router_id = BRAID_STR_LIT("r1"), .transport_id = BRAID_STR_LIT("tc"), .rtcp_mux = true};
  braid_plain_transport_t *t = NULL;
  ASSERT_EQ(braid_plain_transport_new(&t, &w.md, &c, BRAID_STR_LIT("room")), BRAID_ELIMIT);
  ASSERT(braid_map_get(w.md.transports, "tc", 2) == NULL);
  /* The same id twice is refused here (the handler answers a repeat). */
  c.transport_id = BRAID_STR_LIT("ta");
  ASSERT_EQ(braid_plain_transport_new(&t, &w.md, &c, BRAID_STR_LIT("room")), BRAID_EEXIST);
  ph_world_cleanup(&w);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(comedia_producer_to_connected_consumer)
                    BRAID_TEST_ENTRY(rtcp_mux_off_both_directions)
                        BRAID_TEST_ENTRY(comedia_drops_other_sources)
                            BRAID_TEST_ENTRY(unconnected_transport_drops_and_sends_nothing)
                                BRAID_TEST_ENTRY(srtp_every_suite)
                                    BRAID_TEST_ENTRY(ports_from_the_range))
