/*
 * Unit tests of bad input to a DTLS association, mediad/sec/dtls_transport.c:
 * braid_dtls_transport_check() on annotated record vectors, every
 * truncation and corruptions; garbage, forged and short protected records,
 * floods of handshake fragments, and records split over datagrams.
 * Harness: dtls_test.h.
 */
#include "tests/mediad/sec/dtls_test.h"

/* --- Bad input. ------------------------------------------------------------ */

/* Annotated record vectors for braid_dtls_transport_check(). */
static const uint8_t two_records[] = {
    /* record 1 */
    0x16,                               /* content type: handshake (22) */
    0xfe, 0xfd,                         /* version: DTLS 1.2 */
    0x00, 0x00,                         /* epoch 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* sequence number 1 */
    0x00, 0x04,                         /* length 4 */
    0x0e, 0x00, 0x00, 0x00,             /* fragment (ServerHelloDone header stub) */
    /* record 2 */
    0x14,                               /* content type: change_cipher_spec (20) */
    0xfe, 0xff,                         /* version: DTLS 1.0 */
    0x00, 0x01,                         /* epoch 1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /* sequence number 2 */
    0x00, 0x01,                         /* length 1 */
    0x01,                               /* fragment: change_cipher_spec */
};

static const uint8_t empty_app_record[] = {
    0x17,                               /* content type: application_data (23) */
    0xfe, 0xfd,                         /* version: DTLS 1.2 */
    0x00, 0x01,                         /* epoch 1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x09, /* sequence number 9 */
    0x00, 0x00,                         /* length 0 */
};

BRAID_TEST(check_vectors) {
  const char *why = NULL;
  ASSERT_EQ(braid_dtls_transport_check(two_records, sizeof(two_records), &why), 2);
  ASSERT(why == NULL);
  ASSERT_EQ(braid_dtls_transport_check(two_records, 17, NULL), 1);
  ASSERT_EQ(braid_dtls_transport_check(empty_app_record, sizeof(empty_app_record), NULL), 1);
  ASSERT_EQ(braid_dtls_transport_check(NULL, 0, &why), BRAID_ETRUNC);
  ASSERT(why != NULL);
}

BRAID_TEST(check_every_truncation) {
  for (size_t n = 0; n < sizeof(two_records); n++) {
    if (n == 17) continue; /* the end of record 1: a whole datagram */
    const char *why = NULL;
    int rc = braid_dtls_transport_check(two_records, n, &why);
    if (rc != BRAID_ETRUNC) BRAID_TEST_FAIL("prefix of %zu bytes: rc %d", n, rc);
    ASSERT(why != NULL);
  }
}

BRAID_TEST(check_corruptions) {
  uint8_t d[sizeof(two_records)];
  static const uint8_t bad_types[] = {0, 19, 24, 25, 63, 255};
  for (size_t i = 0; i < sizeof(bad_types); i++) {
    memcpy(d, two_records, sizeof(d));
    d[17] = bad_types[i]; /* record 2's type */
    ASSERT_EQ(braid_dtls_transport_check(d, sizeof(d), NULL), BRAID_EMALFORMED);
  }
  static const uint8_t bad_versions[][2] = {
      {0x03, 0x03}, {0xfe, 0xfc}, {0xfe, 0xfe}, {0xff, 0xfd}, {0x00, 0x00}};
  for (size_t i = 0; i < sizeof(bad_versions) / 2; i++) {
    memcpy(d, two_records, sizeof(d));
    d[1] = bad_versions[i][0];
    d[2] = bad_versions[i][1];
    ASSERT_EQ(braid_dtls_transport_check(d, sizeof(d), NULL), BRAID_EMALFORMED);
  }
  /* A length past the end, and lengths over the RFC 6347 limit. */
  memcpy(d, two_records, sizeof(d));
  d[11] = 0x01; /* record 1: 0x0104 bytes, 17 left */
  ASSERT_EQ(braid_dtls_transport_check(d, sizeof(d), NULL), BRAID_ETRUNC);
  uint8_t *big = calloc(1, BRAID_DTLS_MAX_DATAGRAM + 1);
  ASSERT(big != NULL);
  memcpy(big, two_records, 13);
  big[11] = 0x48; /* 0x4801 = 2^14 + 2048 + 1 */
  big[12] = 0x01;
  ASSERT_EQ(braid_dtls_transport_check(big, BRAID_DTLS_MAX_DATAGRAM, NULL), BRAID_ETOOBIG);
  big[12] = 0x00; /* exactly the limit: fine */
  ASSERT_EQ(braid_dtls_transport_check(big, BRAID_DTLS_MAX_DATAGRAM, NULL), 1);
  ASSERT_EQ(braid_dtls_transport_check(big, BRAID_DTLS_MAX_DATAGRAM + 1, NULL), BRAID_ETOOBIG);
  free(big);
}

BRAID_TEST(garbage_rejected_during_handshake) {
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  peer_t *s = &net.p[SERVER];
  /* Before _start(): rejected. */
  ASSERT_EQ(braid_dtls_transport_receive(s->t, two_records, sizeof(two_records), net.now),
            BRAID_ESTATE);
  net_start(&net);
  /* The real ClientHello, truncated at every length first. */
  ASSERT_EQ(net.qlen, 1);
  dgram_t hello = net.q[net.qhead];
  for (size_t n = 0; n < hello.len; n++)
    ASSERT_EQ(braid_dtls_transport_receive(s->t, hello.data, n, net.now), BRAID_ETRUNC);
  /* Random bytes. */
  uint8_t junk[600];
  for (int i = 0; i < 2000; i++) {
    size_t len = 1 + rng() % sizeof(junk);
    for (size_t k = 0; k < len; k++)
      junk[k] = (uint8_t)rng();
    int rc = braid_dtls_transport_receive(s->t, junk, len, net.now);
    ASSERT(rc == BRAID_ETRUNC || rc == BRAID_EMALFORMED || rc == 0);
  }
  ASSERT_EQ(braid_dtls_transport_stats(s->t)->rx_malformed,
            hello.len + 2000 - braid_dtls_transport_stats(s->t)->rx_datagrams);
  ASSERT_EQ(s->sent, 0);
  /* The handshake still completes. */
  run(&net, 5000);
  assert_connected(&net.p[CLIENT]);
  assert_connected(s);
  net_cleanup(&net);
}

BRAID_TEST(forged_records_when_connected) {
  net_t net;
  connect_pair(&net);
  peer_t *s = &net.p[SERVER];
  static uint8_t d[BRAID_DTLS_MAX_DATAGRAM];
  for (int i = 0; i < 3000; i++) {
    uint8_t type = (uint8_t)(20 + rng() % 4);
    /* Mostly short records, some up to the limit. */
    size_t body = i % 10 == 9 ? rng() % (BRAID_DTLS_MAX_RECORD_LEN + 1) : rng() % 1200;
    size_t len = forged_record(d, type, body);
    int rc = braid_dtls_transport_receive(s->t, d, len, net.now);
    /* Shorter than AES-GCM's nonce and tag: screened out (OpenSSL 3.0
     * would fail the association on it). */
    ASSERT_EQ(rc, body < 24 ? BRAID_EMALFORMED : 0);
    if (braid_dtls_transport_state(s->t) != BRAID_DTLS_STATE_CONNECTED)
      BRAID_TEST_FAIL("record %d (type %u, %zu bytes): %s", i, type, len,
                      braid_dtls_transport_reason(s->t));
  }
  ASSERT_EQ(s->app_count, 0);
  /* The association still works. */
  ASSERT_EQ(braid_dtls_transport_send_app(net.p[CLIENT].t, (const uint8_t *)"ok", 2), 0);
  pump(&net);
  ASSERT_EQ(s->app_count, 1);
  net_cleanup(&net);
}

BRAID_TEST(short_protected_records_screened) {
  /* Regression: one 19-byte handshake record in epoch 1 made OpenSSL 3.0
   * fail the association with internal_error. */
  net_t net;
  connect_pair(&net);
  peer_t *s = &net.p[SERVER];
  static const uint8_t short_record[] = {
      0x16,                               /* content type: handshake */
      0xfe, 0xfd,                         /* version: DTLS 1.2 */
      0x00, 0x01,                         /* epoch 1 (protected) */
      0x00, 0x00, 0x00, 0x00, 0x00, 0x40, /* sequence number 64 */
      0x00, 0x13,                         /* length 19: < 8 nonce + 16 tag */
      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, /* fragment, 19 bytes: */
      0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, /*   fewer than the 24 */
      0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, /*   of an AES-GCM */
      0x12,                               /*   nonce and tag */
  };
  for (uint16_t len = 0; len < 24; len++) {
    uint8_t d[sizeof(short_record) + 5];
    memcpy(d, short_record, 13);
    memset(d + 13, 0xab, len);
    d[11] = 0;
    d[12] = (uint8_t)len;
    ASSERT_EQ(braid_dtls_transport_receive(s->t, d, 13u + len, net.now), BRAID_EMALFORMED);
  }
  ASSERT_EQ(braid_dtls_transport_receive(s->t, short_record, sizeof(short_record), net.now),
            BRAID_EMALFORMED);
  ASSERT_EQ(braid_dtls_transport_state(s->t), BRAID_DTLS_STATE_CONNECTED);
  ASSERT_EQ(braid_dtls_transport_stats(s->t)->rx_malformed, 25);
  /* Before a cipher is negotiated, no protected record is genuine. */
  net_t fresh;
  net_init(&fresh, NULL, NULL, our_sha256(), our_sha256());
  net_start(&fresh);
  uint8_t d[13 + 40];
  size_t len = forged_record(d, 22, 40);
  ASSERT_EQ(braid_dtls_transport_receive(fresh.p[SERVER].t, d, len, fresh.now), BRAID_EMALFORMED);
  net_cleanup(&fresh);
  net_cleanup(&net);
}

BRAID_TEST(flood_of_handshake_fragments) {
  /* Epoch-0 handshake fragments announcing messages of every size, at
   * every offset: OpenSSL caps what it reassembles; the server either
   * ignores them or fails, never grows without bound or crashes. */
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  net_start(&net);
  peer_t *s = &net.p[SERVER];
  uint8_t d[13 + 12 + 1000];
  for (int i = 0; i < 20000 && braid_dtls_transport_state(s->t) == BRAID_DTLS_STATE_CONNECTING;
       i++) {
    size_t frag = rng() % 1000;
    uint32_t msg_len = rng() % 70000, off = rng() % 70000;
    size_t len = forged_record(d, 22, 12 + frag);
    d[3] = d[4] = 0;                   /* epoch 0 */
    d[13] = (uint8_t)(1 + rng() % 20); /* handshake type */
    d[14] = (uint8_t)(msg_len >> 16), d[15] = (uint8_t)(msg_len >> 8), d[16] = (uint8_t)msg_len;
    d[17] = 0, d[18] = (uint8_t)(rng() % 8); /* message_seq */
    d[19] = (uint8_t)(off >> 16), d[20] = (uint8_t)(off >> 8), d[21] = (uint8_t)off;
    d[22] = 0, d[23] = (uint8_t)(frag >> 8), d[24] = (uint8_t)frag;
    int rc = braid_dtls_transport_receive(s->t, d, len, net.now);
    ASSERT(rc == 0);
  }
  braid_dtls_state_t st = braid_dtls_transport_state(s->t);
  ASSERT(st == BRAID_DTLS_STATE_CONNECTING || st == BRAID_DTLS_STATE_FAILED);
  net_cleanup(&net);
}

BRAID_TEST(records_split_and_joined) {
  /* The server's first flight, one record per datagram; then the client's
   * second flight with every record in its own datagram too. */
  net_t net;
  net_init(&net, NULL, NULL, our_sha256(), our_sha256());
  net_start(&net);
  for (int round = 0; round < 8 && net.qlen > 0; round++) {
    dgram_t d = net.q[net.qhead];
    net.qhead = (net.qhead + 1) % QMAX;
    net.qlen--;
    size_t off = 0;
    while (off < d.len) {
      size_t rec = 13 + (size_t)(d.data[off + 11] << 8 | d.data[off + 12]);
      ASSERT_EQ(braid_dtls_transport_receive(net.p[d.to].t, d.data + off, rec, net.now), 0);
      off += rec;
    }
  }
  run(&net, 5000);
  assert_connected(&net.p[CLIENT]);
  assert_connected(&net.p[SERVER]);
  net_cleanup(&net);
}

// clang-format off
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(check_vectors)
    BRAID_TEST_ENTRY(check_every_truncation)
    BRAID_TEST_ENTRY(check_corruptions)
    BRAID_TEST_ENTRY(garbage_rejected_during_handshake)
    BRAID_TEST_ENTRY(forged_records_when_connected)
    BRAID_TEST_ENTRY(short_protected_records_screened)
    BRAID_TEST_ENTRY(flood_of_handshake_fragments)
    BRAID_TEST_ENTRY(records_split_and_joined))
// clang-format on
