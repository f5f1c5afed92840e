/*
 * Unit tests of DTLS retransmission, mediad/sec/dtls_transport.c: the
 * timer, recovery from the loss of every handshake datagram, and the
 * handshake timeout. These wait in real time (see dtls_test.h).
 */
#include "tests/mediad/sec/dtls_test.h"

/* --- Loss and retransmission. --------------------------------------------- */

BRAID_TEST(timer_follows_initial_timeout) {
  braid_dtls_transport_opts_t o = {.initial_timeout_ms = 250};
  net_t net;
  net_init(&net, &o, NULL, our_sha256(), our_sha256());
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(net.p[CLIENT].t), -1);
  net_start(&net);
  int64_t d = braid_dtls_transport_get_next_timeout(net.p[CLIENT].t);
  ASSERT(d > net.now + BRAID_DTLS_TIMEOUT_INITIAL_MS && d <= net.now + 250); /* not the default */
  /* The server sends nothing before a ClientHello, so runs no timer. */
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(net.p[SERVER].t), -1);
  /* Early calls do nothing. */
  ASSERT_EQ(braid_dtls_transport_on_timeout(net.p[CLIENT].t, net.now), 0);
  ASSERT_EQ(braid_dtls_transport_stats(net.p[CLIENT].t)->retransmits, 0);
  ASSERT_EQ(net.p[CLIENT].sent, 1);
  net_cleanup(&net);
}

/* Drops the datagrams of peer `from` selected by mask, then expects the
 * handshake to recover by retransmission. */
static void lose_and_recover(int from, unsigned mask) {
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  net.drop_from = from;
  net.drop_mask = mask;
  net_start(&net);
  run(&net, 10000);
  if (braid_dtls_transport_state(net.p[CLIENT].t) != BRAID_DTLS_STATE_CONNECTED ||
      braid_dtls_transport_state(net.p[SERVER].t) != BRAID_DTLS_STATE_CONNECTED)
    BRAID_TEST_FAIL("peer %d mask 0x%x: states %d %d", from, mask,
                    braid_dtls_transport_state(net.p[CLIENT].t),
                    braid_dtls_transport_state(net.p[SERVER].t));
  ASSERT(net.dropped > 0);
  assert_keys(&net, BRAID_DTLS_SRTP_AEAD_AES_256_GCM);
  uint64_t rtx = braid_dtls_transport_stats(net.p[CLIENT].t)->retransmits +
                 braid_dtls_transport_stats(net.p[SERVER].t)->retransmits;
  ASSERT(rtx >= 1);
  net_cleanup(&net);
}

BRAID_TEST(loss_of_each_handshake_datagram) {
  /* Without loss, one record per datagram, the client sends 6 datagrams
   * (ClientHello; Certificate, ClientKeyExchange, CertificateVerify,
   * ChangeCipherSpec, Finished) and the server 7 (ServerHello,
   * Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone;
   * ChangeCipherSpec, Finished). Lose each one in turn. */
  static const int sent[2] = {6, 7};
  for (int from = 0; from < 2; from++)
    for (int n = 0; n < sent[from]; n++)
      lose_and_recover(from, 1u << n);
}

BRAID_TEST(loss_of_whole_flights) {
  lose_and_recover(CLIENT, 0x3e); /* the client's second flight */
  lose_and_recover(SERVER, 0x1f); /* the server's first flight */
  lose_and_recover(SERVER, 0x60); /* the server's last flight */
}

BRAID_TEST(loss_of_retransmissions) {
  /* The ClientHello and its first two retransmissions. */
  lose_and_recover(CLIENT, 0x7);
  /* The server's first flight (5 datagrams), twice. */
  lose_and_recover(SERVER, 0x3ff);
}

BRAID_TEST(spurious_retransmissions_do_not_stall) {
  /* A stall longer than the timeout before datagram k arrives makes
   * OpenSSL retransmit while it reads and then answer in the same call.
   * The handshake must still finish without waiting for a timer.
   * (Regression: with records packed into datagrams, a retransmitted
   * ClientHello and the client's next flight shared one datagram, and the
   * server ignored the flight.) */
  for (int k = 0; k < 8; k++) {
    net_t net;
    net_init(&net, NULL, NULL, our_sha256(), our_sha256());
    net.stall_at = k;
    net.stall_ms = BRAID_DTLS_TIMEOUT_INITIAL_MS + 30;
    net_start(&net);
    run(&net, 10000);
    if (braid_dtls_transport_state(net.p[CLIENT].t) != BRAID_DTLS_STATE_CONNECTED ||
        braid_dtls_transport_state(net.p[SERVER].t) != BRAID_DTLS_STATE_CONNECTED ||
        net.timer_waits != 0)
      BRAID_TEST_FAIL("stall before datagram %d: states %d %d, %d timer waits", k,
                      braid_dtls_transport_state(net.p[CLIENT].t),
                      braid_dtls_transport_state(net.p[SERVER].t), net.timer_waits);
    assert_keys(&net, BRAID_DTLS_SRTP_AEAD_AES_256_GCM);
    net_cleanup(&net);
  }
}

BRAID_TEST(handshake_times_out) {
  /* The server never answers: the client retransmits with backoff, then
   * gives up. Short timers keep the test fast. */
  braid_dtls_transport_opts_t o = {.initial_timeout_ms = 10, .max_timeout_ms = 20};
  net_t net;
  net_init(&net, &o, NULL, our_sha256(), our_sha256());
  net.drop_from = CLIENT;
  net.drop_mask = ~0u;
  net_start(&net);
  run(&net, 5000);
  peer_t *c = &net.p[CLIENT];
  ASSERT_EQ(braid_dtls_transport_state(c->t), BRAID_DTLS_STATE_FAILED);
  ASSERT_STR_EQ(braid_dtls_transport_reason(c->t), "handshake timed out");
  ASSERT(braid_dtls_transport_stats(c->t)->retransmits >= 10);
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(c->t), -1);
  ASSERT_EQ(braid_dtls_transport_on_timeout(c->t, net.now + 100000), 0);
  net_cleanup(&net);
}

// clang-format off
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(timer_follows_initial_timeout)
    BRAID_TEST_ENTRY(loss_of_each_handshake_datagram)
    BRAID_TEST_ENTRY(loss_of_whole_flights)
    BRAID_TEST_ENTRY(loss_of_retransmissions)
    BRAID_TEST_ENTRY(spurious_retransmissions_do_not_stall)
    BRAID_TEST_ENTRY(handshake_times_out))
// clang-format on
