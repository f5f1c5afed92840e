/*
 * Unit tests of a DTLS association, mediad/sec/dtls_transport.c: the
 * handshake, SRTP keys and suites, fingerprints, application data, close,
 * and callbacks that free or re-enter. Harness: dtls_test.h.
 */
#include "tests/mediad/sec/dtls_test.h"

/* --- Handshake, keys, suites. ------------------------------------------- */

BRAID_TEST(handshake_default_suite) {
  net_t net;
  connect_pair(&net);
  assert_keys(&net, BRAID_DTLS_SRTP_AEAD_AES_256_GCM);
  ASSERT_STR_EQ(
      braid_dtls_transport_suite_name(braid_dtls_transport_srtp_keys(net.p[CLIENT].t)->suite),
      "AEAD_AES_256_GCM");
  ASSERT_EQ(braid_dtls_transport_role(net.p[CLIENT].t), BRAID_DTLS_ROLE_CLIENT);
  ASSERT_EQ(braid_dtls_transport_role(net.p[SERVER].t), BRAID_DTLS_ROLE_SERVER);
  ASSERT(braid_dtls_transport_reason(net.p[CLIENT].t) == NULL);
  /* No datagram lost, so no timer expired; both timers stopped with the
   * handshake. */
  ASSERT_EQ(braid_dtls_transport_stats(net.p[CLIENT].t)->retransmits, 0);
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(net.p[CLIENT].t), -1);
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(net.p[SERVER].t), -1);
  /* One record per datagram; the server's first flight (ServerHello,
   * Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone)
   * and its last (ChangeCipherSpec, Finished) make 7. */
  ASSERT_EQ(net.p[SERVER].max_records, 1);
  ASSERT_EQ(net.p[CLIENT].max_records, 1);
  ASSERT_EQ(net.p[SERVER].sent, 7);
  ASSERT_EQ(braid_dtls_transport_stats(net.p[SERVER].t)->rx_malformed, 0);
  ASSERT_EQ(braid_dtls_transport_stats(net.p[SERVER].t)->tx_datagrams,
            (uint64_t)net.p[SERVER].sent);
  net_cleanup(&net);
}

static const braid_dtls_srtp_suite_t all_suites[] = {
    BRAID_DTLS_SRTP_AEAD_AES_256_GCM, BRAID_DTLS_SRTP_AEAD_AES_128_GCM,
    BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_80, BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_32};

BRAID_TEST(each_suite_offered_alone) {
  static const char *const names[] = {"AEAD_AES_256_GCM", "AEAD_AES_128_GCM",
                                      "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"};
  for (int side = 0; side < 2; side++) {
    for (size_t i = 0; i < 4; i++) {
      braid_dtls_transport_opts_t only = {.srtp_suites = all_suites[i]};
      net_t net;
      net_init(&net, side == CLIENT ? &only : NULL, side == SERVER ? &only : NULL, our_sha256(),
               our_sha256());
      net_start(&net);
      run(&net, 5000);
      assert_connected(&net.p[CLIENT]);
      assert_connected(&net.p[SERVER]);
      assert_keys(&net, all_suites[i]);
      ASSERT_STR_EQ(braid_dtls_transport_suite_name(all_suites[i]), names[i]);
      net_cleanup(&net);
    }
  }
}

BRAID_TEST(server_preference_wins) {
  /* The client prefers nothing in particular (OpenSSL sends our order);
   * a server offering CM_80 and GCM_128 picks GCM_128, its first. */
  braid_dtls_transport_opts_t s = {.srtp_suites = BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_80 |
                                                  BRAID_DTLS_SRTP_AEAD_AES_128_GCM};
  net_t net;
  net_init(&net, NULL, &s, our_sha256(), our_sha256());
  net_start(&net);
  run(&net, 5000);
  assert_keys(&net, BRAID_DTLS_SRTP_AEAD_AES_128_GCM);
  net_cleanup(&net);
}

BRAID_TEST(no_common_suite_connects_without_keys) {
  braid_dtls_transport_opts_t c = {.srtp_suites = BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_32};
  braid_dtls_transport_opts_t s = {.srtp_suites = BRAID_DTLS_SRTP_AEAD_AES_256_GCM};
  net_t net;
  net_init(&net, &c, &s, our_sha256(), our_sha256());
  net_start(&net);
  run(&net, 5000);
  assert_connected(&net.p[CLIENT]);
  assert_connected(&net.p[SERVER]);
  ASSERT(braid_dtls_transport_srtp_keys(net.p[CLIENT].t) == NULL);
  ASSERT(braid_dtls_transport_srtp_keys(net.p[SERVER].t) == NULL);
  net_cleanup(&net);
}

BRAID_TEST(small_mtu_fragments_handshake) {
  /* With a 256-byte MTU, OpenSSL fragments the Certificate messages over
   * several records and datagrams, and each peer reassembles them. */
  braid_dtls_transport_opts_t small = {.mtu = BRAID_DTLS_MTU_MIN};
  net_t net;
  net_init(&net, &small, &small, our_sha256(), our_sha256());
  net_start(&net);
  run(&net, 5000);
  assert_connected(&net.p[CLIENT]);
  assert_connected(&net.p[SERVER]);
  assert_keys(&net, BRAID_DTLS_SRTP_AEAD_AES_256_GCM);
  ASSERT(net.p[SERVER].sent >= 4);
  ASSERT(braid_dtls_transport_max_app(net.p[CLIENT].t) < BRAID_DTLS_MTU_MIN);
  net_cleanup(&net);
}

BRAID_TEST(bad_options) {
  braid_dtls_transport_t *t = NULL;
  braid_dtls_transport_opts_t o;
  braid_dtls_transport_callbacks_t no_send = {NULL, on_state, on_app};
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, 0, NULL, &callbacks, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, NULL, &no_send, NULL),
            BRAID_EINVAL);
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, NULL, NULL, NULL),
            BRAID_EINVAL);
  o = (braid_dtls_transport_opts_t){.srtp_suites = 0x10};
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, &o, &callbacks, NULL),
            BRAID_EINVAL);
  o = (braid_dtls_transport_opts_t){.mtu = BRAID_DTLS_MTU_MIN - 1};
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, &o, &callbacks, NULL),
            BRAID_EINVAL);
  o = (braid_dtls_transport_opts_t){.mtu = BRAID_DTLS_MTU + 1};
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, &o, &callbacks, NULL),
            BRAID_EINVAL);
  o = (braid_dtls_transport_opts_t){.initial_timeout_ms = 500, .max_timeout_ms = 400};
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, &o, &callbacks, NULL),
            BRAID_EINVAL);
  o = (braid_dtls_transport_opts_t){.max_timeout_ms = 60001};
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, &o, &callbacks, NULL),
            BRAID_EINVAL);
  ASSERT(t == NULL);
  braid_dtls_transport_free(NULL);
}

/* --- Fingerprints. -------------------------------------------------------- */

/* our_sha256() with its first byte changed. */
static const char *wrong_sha256(char *buf, size_t size) {
  snprintf(buf, size, "%s", our_sha256());
  buf[0] = buf[0] == '0' ? '1' : '0';
  return buf;
}

BRAID_TEST(wrong_fingerprint_at_server) {
  char wrong[BRAID_DTLS_FINGERPRINT_TEXT_MAX];
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), wrong_sha256(wrong, sizeof(wrong)));
  net_start(&net);
  run(&net, 5000);
  peer_t *s = &net.p[SERVER];
  ASSERT_EQ(braid_dtls_transport_state(s->t), BRAID_DTLS_STATE_FAILED);
  ASSERT_EQ(s->nstates, 2);
  ASSERT_EQ(s->states[1], BRAID_DTLS_STATE_FAILED);
  ASSERT_STR_EQ(braid_dtls_transport_reason(s->t),
                "peer certificate does not match the fingerprint");
  ASSERT(braid_dtls_transport_srtp_keys(s->t) == NULL);
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(s->t), -1);
  /* Nothing more gets in or out. */
  ASSERT_EQ(braid_dtls_transport_send_app(s->t, (const uint8_t *)"x", 1), BRAID_ESTATE);
  ASSERT_EQ(braid_dtls_transport_receive(s->t, (const uint8_t *)"x", 1, net.now), BRAID_ECLOSED);
  net_cleanup(&net);
}

BRAID_TEST(wrong_fingerprint_at_client) {
  char wrong[BRAID_DTLS_FINGERPRINT_TEXT_MAX];
  net_t net;
  net_init(&net, NULL, NULL, wrong_sha256(wrong, sizeof(wrong)), our_sha256());
  net_start(&net);
  run(&net, 5000);
  peer_t *c = &net.p[CLIENT];
  ASSERT_EQ(braid_dtls_transport_state(c->t), BRAID_DTLS_STATE_FAILED);
  ASSERT_EQ(c->states[c->nstates - 1], BRAID_DTLS_STATE_FAILED);
  ASSERT(braid_dtls_transport_srtp_keys(c->t) == NULL);
  /* The server checked the client's certificate and connected: only the
   * side that checks fails. */
  assert_connected(&net.p[SERVER]);
  net_cleanup(&net);
}

BRAID_TEST(fingerprint_other_algorithms) {
  for (int h = 0; h < BRAID_DTLS_HASH_COUNT; h++) {
    const braid_dtls_fingerprint_t *fp = &braid_dtls_cert_fingerprints(cert)[h];
    net_t net;
    net_init(&net, NULL, NULL, NULL, NULL);
    for (int i = 0; i < 2; i++)
      ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(net.p[i].t, braid_str_c(fp->algorithm),
                                                            braid_str_c(fp->value), NULL),
                0);
    net_start(&net);
    run(&net, 5000);
    assert_connected(&net.p[CLIENT]);
    assert_connected(&net.p[SERVER]);
    net_cleanup(&net);
  }
}

BRAID_TEST(fingerprint_errors) {
  net_t net;
  const char *why = NULL;
  net_init(&net, NULL, NULL, NULL, NULL);
  braid_dtls_transport_t *t = net.p[SERVER].t;
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(t, BRAID_STR_LIT("md5"),
                                                        braid_str_c(our_sha256()), &why),
            BRAID_EUNKNOWN);
  ASSERT(why != NULL);
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(t, BRAID_STR_LIT("sha-256"),
                                                        BRAID_STR_LIT("AB:CD"), NULL),
            BRAID_ETRUNC);
  /* Failed attempts do not count: a good one is still accepted, once. */
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(t, BRAID_STR_LIT("sha-256"),
                                                        braid_str_c(our_sha256()), NULL),
            0);
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(t, BRAID_STR_LIT("sha-256"),
                                                        braid_str_c(our_sha256()), NULL),
            BRAID_ESTATE);
  net_cleanup(&net);
}

BRAID_TEST(fingerprint_after_handshake) {
  /* The ClientHello beats connect's dtlsParameters: the server finishes the
   * handshake without a fingerprint and waits for it. */
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), NULL);
  net_start(&net);
  run(&net, 5000);
  peer_t *c = &net.p[CLIENT], *s = &net.p[SERVER];
  assert_connected(c);
  ASSERT_EQ(braid_dtls_transport_state(s->t), BRAID_DTLS_STATE_CONNECTING);
  ASSERT(braid_dtls_transport_srtp_keys(s->t) == NULL);
  /* Application data is not delivered before the peer is authenticated. */
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, (const uint8_t *)"early", 5), 0);
  pump(&net);
  ASSERT_EQ(s->app_count, 0);
  ASSERT_EQ(braid_dtls_transport_stats(s->t)->rx_app_dropped, 1);
  ASSERT_EQ(braid_dtls_transport_send_app(s->t, (const uint8_t *)"x", 1), BRAID_ESTATE);
  /* connect arrives: the check runs now and connects. */
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(s->t, BRAID_STR_LIT("sha-256"),
                                                        braid_str_c(our_sha256()), NULL),
            0);
  assert_connected(s);
  assert_keys(&net, BRAID_DTLS_SRTP_AEAD_AES_256_GCM);
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, (const uint8_t *)"late", 4), 0);
  pump(&net);
  ASSERT_EQ(s->app_count, 1);
  ASSERT_MEM_EQ(s->app, "late", 4);
  net_cleanup(&net);
}

BRAID_TEST(late_wrong_fingerprint_fails) {
  char wrong[BRAID_DTLS_FINGERPRINT_TEXT_MAX];
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), NULL);
  net_start(&net);
  run(&net, 5000);
  peer_t *s = &net.p[SERVER];
  ASSERT_EQ(
      braid_dtls_transport_set_remote_fingerprint(
          s->t, BRAID_STR_LIT("sha-256"), braid_str_c(wrong_sha256(wrong, sizeof(wrong))), NULL),
      0);
  ASSERT_EQ(braid_dtls_transport_state(s->t), BRAID_DTLS_STATE_FAILED);
  ASSERT_EQ(s->states[s->nstates - 1], BRAID_DTLS_STATE_FAILED);
  net_cleanup(&net);
}

/* --- Application data. ---------------------------------------------------- */

BRAID_TEST(app_data_both_ways) {
  net_t net;
  connect_pair(&net);
  peer_t *c = &net.p[CLIENT], *s = &net.p[SERVER];
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, (const uint8_t *)"hello ", 6), 0);
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, (const uint8_t *)"server", 6), 0);
  ASSERT_EQ(braid_dtls_transport_send_app(s->t, (const uint8_t *)"hi client", 9), 0);
  pump(&net);
  ASSERT_EQ(s->app_count, 2);
  ASSERT_EQ(s->app_len, 12);
  ASSERT_MEM_EQ(s->app, "hello server", 12);
  ASSERT_EQ(c->app_count, 1);
  ASSERT_MEM_EQ(c->app, "hi client", 9);
  ASSERT_EQ(braid_dtls_transport_stats(c->t)->app_tx, 2);
  ASSERT_EQ(braid_dtls_transport_stats(s->t)->app_rx, 2);
  net_cleanup(&net);
}

BRAID_TEST(app_data_limits) {
  net_t net;
  connect_pair(&net);
  peer_t *c = &net.p[CLIENT], *s = &net.p[SERVER];
  size_t max = braid_dtls_transport_max_app(c->t);
  /* AES-GCM: 13 header + 8 explicit nonce + 16 tag. */
  ASSERT(max >= BRAID_DTLS_MTU - 64 && max < BRAID_DTLS_MTU);
  static uint8_t big[BRAID_DTLS_MTU + 1];
  for (size_t i = 0; i < sizeof(big); i++)
    big[i] = (uint8_t)(i * 7);
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, big, max), 0);
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, big, max + 1), BRAID_ETOOBIG);
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, big, 0), BRAID_EINVAL);
  pump(&net);
  ASSERT_EQ(s->app_count, 1);
  ASSERT_EQ(s->app_len, max);
  ASSERT_MEM_EQ(s->app, big, max);
  net_cleanup(&net);
}

BRAID_TEST(app_data_before_connected) {
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  ASSERT_EQ(braid_dtls_transport_send_app(net.p[CLIENT].t, (const uint8_t *)"x", 1), BRAID_ESTATE);
  ASSERT_EQ(braid_dtls_transport_max_app(net.p[CLIENT].t), 0);
  net_start(&net);
  ASSERT_EQ(braid_dtls_transport_send_app(net.p[CLIENT].t, (const uint8_t *)"x", 1), BRAID_ESTATE);
  net_cleanup(&net);
}

BRAID_TEST(app_data_echo_from_callback) {
  /* on_app_data may send: the server echoes each record. */
  net_t net;
  connect_pair(&net);
  net.p[SERVER].echo_app = true;
  for (int i = 0; i < 3; i++)
    ASSERT_EQ(braid_dtls_transport_send_app(net.p[CLIENT].t, (const uint8_t *)"ping", 4), 0);
  pump(&net);
  ASSERT_EQ(net.p[SERVER].app_count, 3);
  ASSERT_EQ(net.p[CLIENT].app_count, 3);
  ASSERT_MEM_EQ(net.p[CLIENT].app, "pingpingping", 12);
  net_cleanup(&net);
}

/* --- Close. ---------------------------------------------------------------- */

BRAID_TEST(close_notify_closes_peer) {
  net_t net;
  connect_pair(&net);
  peer_t *c = &net.p[CLIENT], *s = &net.p[SERVER];
  ASSERT_EQ(braid_dtls_transport_shutdown(c->t), 0);
  ASSERT_EQ(braid_dtls_transport_state(c->t), BRAID_DTLS_STATE_CLOSED);
  ASSERT_EQ(c->states[c->nstates - 1], BRAID_DTLS_STATE_CLOSED);
  ASSERT_STR_EQ(braid_dtls_transport_reason(c->t), "closed locally");
  ASSERT(braid_dtls_transport_srtp_keys(c->t) == NULL);
  ASSERT_EQ(pump(&net), 1); /* the close_notify alert */
  ASSERT_EQ(braid_dtls_transport_state(s->t), BRAID_DTLS_STATE_CLOSED);
  ASSERT_EQ(s->nstates, 3);
  ASSERT_EQ(s->states[2], BRAID_DTLS_STATE_CLOSED);
  ASSERT_STR_EQ(braid_dtls_transport_reason(s->t), "close_notify received");
  /* Idempotent; nothing is sent any more. */
  ASSERT_EQ(braid_dtls_transport_shutdown(c->t), 0);
  ASSERT_EQ(braid_dtls_transport_shutdown(s->t), 0);
  ASSERT_EQ(c->nstates, 3);
  ASSERT_EQ(pump(&net), 0);
  ASSERT_EQ(braid_dtls_transport_send_app(s->t, (const uint8_t *)"x", 1), BRAID_ESTATE);
  net_cleanup(&net);
}

BRAID_TEST(shutdown_before_connected) {
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  ASSERT_EQ(braid_dtls_transport_shutdown(net.p[SERVER].t), 0);
  ASSERT_EQ(braid_dtls_transport_state(net.p[SERVER].t), BRAID_DTLS_STATE_CLOSED);
  ASSERT_EQ(braid_dtls_transport_start(net.p[SERVER].t, net.now), BRAID_ESTATE);
  ASSERT_EQ(braid_dtls_transport_start(net.p[CLIENT].t, net.now), 0);
  ASSERT_EQ(braid_dtls_transport_shutdown(net.p[CLIENT].t), 0);
  ASSERT_EQ(braid_dtls_transport_state(net.p[CLIENT].t), BRAID_DTLS_STATE_CLOSED);
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(net.p[CLIENT].t), -1);
  ASSERT_EQ(braid_dtls_transport_get_next_timeout(net.p[SERVER].t), -1);
  net_cleanup(&net);
}

BRAID_TEST(records_after_close_rejected) {
  net_t net;
  connect_pair(&net);
  peer_t *c = &net.p[CLIENT], *s = &net.p[SERVER];
  /* A record sent before the close arrives after it. */
  ASSERT_EQ(braid_dtls_transport_send_app(c->t, (const uint8_t *)"late", 4), 0);
  dgram_t late = net.q[net.qhead];
  pump(&net);
  ASSERT_EQ(s->app_count, 1);
  ASSERT_EQ(braid_dtls_transport_shutdown(c->t), 0);
  pump(&net);
  ASSERT_EQ(braid_dtls_transport_state(s->t), BRAID_DTLS_STATE_CLOSED);
  ASSERT_EQ(braid_dtls_transport_receive(s->t, late.data, late.len, net.now), BRAID_ECLOSED);
  ASSERT_EQ(braid_dtls_transport_receive(c->t, late.data, late.len, net.now), BRAID_ECLOSED);
  ASSERT_EQ(s->app_count, 1);
  ASSERT_EQ(braid_dtls_transport_stats(s->t)->rx_rejected, 1);
  net_cleanup(&net);
}

/* --- Callbacks that free or re-enter. -------------------------------------- */

BRAID_TEST(free_in_on_state) {
  for (int who = 0; who < 2; who++) {
    net_t net;
    net_init(&net, NULL, NULL, our_sha256(), our_sha256());
    net.p[who].free_on_state = true;
    net.p[who].free_state = BRAID_DTLS_STATE_CONNECTED;
    net_start(&net);
    run(&net, 5000);
    ASSERT(net.p[who].t == NULL);
    ASSERT_EQ(net.p[who].nstates, 2);
    net_cleanup(&net);
  }
  /* Freed by the state change _start() makes. */
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  net.p[CLIENT].free_on_state = true;
  net.p[CLIENT].free_state = BRAID_DTLS_STATE_CONNECTING;
  ASSERT_EQ(braid_dtls_transport_start(net.p[CLIENT].t, net.now), 0);
  ASSERT(net.p[CLIENT].t == NULL);
  ASSERT_EQ(net.p[CLIENT].sent, 0); /* no ClientHello after the free */
  net_cleanup(&net);
}

BRAID_TEST(free_in_send) {
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  net.p[SERVER].free_on_send = true;
  net_start(&net);
  pump(&net);
  ASSERT(net.p[SERVER].t == NULL);
  ASSERT_EQ(net.p[SERVER].sent, 1); /* nothing after the free */
  net_cleanup(&net);
}

BRAID_TEST(free_in_on_app_data) {
  net_t net;
  connect_pair(&net);
  net.p[SERVER].free_on_app = true;
  /* Two records in flight: the second is never delivered. */
  ASSERT_EQ(braid_dtls_transport_send_app(net.p[CLIENT].t, (const uint8_t *)"a", 1), 0);
  ASSERT_EQ(braid_dtls_transport_send_app(net.p[CLIENT].t, (const uint8_t *)"b", 1), 0);
  pump(&net);
  ASSERT(net.p[SERVER].t == NULL);
  ASSERT_EQ(net.p[SERVER].app_count, 1);
  net_cleanup(&net);
}

static braid_dtls_transport_t *reenter_target;
static int reenter_rc = 1;

static void reenter_on_state(braid_dtls_transport_t *t, braid_dtls_state_t s, void *ud) {
  static const uint8_t alert[] = {
      0x15,                               /* content type: alert */
      0xfe, 0xfd,                         /* version: DTLS 1.2 */
      0x00, 0x00,                         /* epoch 0 */
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* sequence number 0 */
      0x00, 0x02,                         /* length 2 */
      0x02, 0x28,                         /* fatal handshake_failure */
  };
  (void)ud;
  (void)s;
  reenter_rc = braid_dtls_transport_receive(t, alert, sizeof(alert), 0);
  ASSERT_EQ(braid_dtls_transport_on_timeout(t, 0), BRAID_ESTATE);
  ASSERT_EQ(braid_dtls_transport_start(t, 0), BRAID_ESTATE);
  reenter_target = t;
}

static void send_nowhere(braid_dtls_transport_t *t, const uint8_t *d, size_t n, void *ud) {
  (void)d;
  (void)n;
  (void)ud;
  ASSERT_EQ(braid_dtls_transport_send_app(t, (const uint8_t *)"x", 1), BRAID_ESTATE);
  ASSERT_EQ(braid_dtls_transport_shutdown(t), BRAID_ESTATE);
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(t, BRAID_STR_LIT("sha-256"),
                                                        braid_str_c(our_sha256()), NULL),
            BRAID_ESTATE);
}

BRAID_TEST(reentry_is_refused) {
  braid_dtls_transport_callbacks_t cb = {send_nowhere, reenter_on_state, NULL};
  braid_dtls_transport_t *t = NULL;
  ASSERT_EQ(braid_dtls_transport_new(&t, cert, BRAID_DTLS_ROLE_CLIENT, NULL, &cb, NULL), 0);
  ASSERT_EQ(braid_dtls_transport_start(t, 0), 0);
  ASSERT(reenter_target == t);
  ASSERT_EQ(reenter_rc, BRAID_ESTATE);
  ASSERT_EQ(braid_dtls_transport_stats(t)->rx_rejected, 1);
  braid_dtls_transport_free(t);
}

/* --- Names. ---------------------------------------------------------------- */

BRAID_TEST(role_rule_and_names) {
  braid_dtls_role_t r;
  ASSERT_EQ(braid_dtls_transport_role_from_remote(BRAID_STR_LIT("client"), &r), 0);
  ASSERT_EQ(r, BRAID_DTLS_ROLE_SERVER);
  ASSERT_EQ(braid_dtls_transport_role_from_remote(BRAID_STR_LIT("server"), &r), 0);
  ASSERT_EQ(r, BRAID_DTLS_ROLE_CLIENT);
  ASSERT_EQ(braid_dtls_transport_role_from_remote(BRAID_STR_LIT("auto"), &r), 0);
  ASSERT_EQ(r, BRAID_DTLS_ROLE_CLIENT);
  ASSERT_EQ(braid_dtls_transport_role_from_remote(BRAID_STR_LIT("Client"), &r), BRAID_EINVAL);
  ASSERT_EQ(braid_dtls_transport_role_from_remote(BRAID_STR_LIT(""), &r), BRAID_EINVAL);
  static const char *const states[] = {"new", "connecting", "connected", "failed", "closed"};
  for (int i = 0; i < 5; i++)
    ASSERT_STR_EQ(braid_dtls_transport_state_name((braid_dtls_state_t)i), states[i]);
  ASSERT(braid_dtls_transport_state_name((braid_dtls_state_t)5) == NULL);
  ASSERT(braid_dtls_transport_suite_name(BRAID_DTLS_SRTP_NONE) == NULL);
  ASSERT(braid_dtls_transport_suite_name((braid_dtls_srtp_suite_t)3) == NULL);
}

// clang-format off
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(handshake_default_suite)
    BRAID_TEST_ENTRY(each_suite_offered_alone)
    BRAID_TEST_ENTRY(server_preference_wins)
    BRAID_TEST_ENTRY(no_common_suite_connects_without_keys)
    BRAID_TEST_ENTRY(small_mtu_fragments_handshake)
    BRAID_TEST_ENTRY(bad_options)
    BRAID_TEST_ENTRY(wrong_fingerprint_at_server)
    BRAID_TEST_ENTRY(wrong_fingerprint_at_client)
    BRAID_TEST_ENTRY(fingerprint_other_algorithms)
    BRAID_TEST_ENTRY(fingerprint_errors)
    BRAID_TEST_ENTRY(fingerprint_after_handshake)
    BRAID_TEST_ENTRY(late_wrong_fingerprint_fails)
    BRAID_TEST_ENTRY(app_data_both_ways)
    BRAID_TEST_ENTRY(app_data_limits)
    BRAID_TEST_ENTRY(app_data_before_connected)
    BRAID_TEST_ENTRY(app_data_echo_from_callback)
    BRAID_TEST_ENTRY(close_notify_closes_peer)
    BRAID_TEST_ENTRY(shutdown_before_connected)
    BRAID_TEST_ENTRY(records_after_close_rejected)
    BRAID_TEST_ENTRY(free_in_on_state)
    BRAID_TEST_ENTRY(free_in_send)
    BRAID_TEST_ENTRY(free_in_on_app_data)
    BRAID_TEST_ENTRY(reentry_is_refused)
    BRAID_TEST_ENTRY(role_rule_and_names))
// clang-format on
