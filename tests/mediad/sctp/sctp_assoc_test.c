/* Unit tests of mediad/sctp/sctp_assoc.c, part 1: the handshake, messages
 * of every PPID both ways, message sizes, and the usage errors. Two
 * associations talk in one process (sctp_assoc_harness.h). */
#include "tests/mediad/sctp/sctp_assoc_harness.h"

BRAID_TEST(connect) {
  net_t n;
  net_init(&n, NULL);
  ASSERT_EQ(braid_sctp_global_assoc_count(), 2);
  net_connect(&n);
  for (int i = 0; i < 2; i++) {
    peer_t *p = &n.p[i];
    ASSERT_EQ(p->nstates, 2);
    ASSERT_EQ(p->states[0], BRAID_SCTP_STATE_CONNECTING);
    ASSERT_EQ(p->states[1], BRAID_SCTP_STATE_CONNECTED);
    ASSERT_EQ(braid_sctp_assoc_out_streams(p->a), 1024);
    ASSERT_EQ(braid_sctp_assoc_in_streams(p->a), 1024);
    ASSERT(braid_sctp_assoc_reason(p->a) == NULL);
    ASSERT_STR_EQ(braid_sctp_assoc_state_name(braid_sctp_assoc_state(p->a)), "connected");
    const braid_sctp_opts_t *o = braid_sctp_assoc_opts(p->a);
    ASSERT_EQ(o->local_port, 5000);
    ASSERT_EQ(o->remote_port, 5000);
    ASSERT_EQ(o->max_message_size, 262144);
    ASSERT_EQ(o->send_buffer_size, 262144);
    ASSERT_EQ(o->mtu, 1200);
    ASSERT(p->sent > 0);
    ASSERT_EQ(braid_sctp_assoc_stats(p->a)->rx_dropped, 0);
  }
  /* connect() once only. */
  ASSERT_EQ(braid_sctp_assoc_connect(n.p[A].a), BRAID_ESTATE);
  net_free(&n);
}

BRAID_TEST(connect_late_peer) {
  /* One side connects 2 s after the other: its INIT retransmission
   * timer (3 s) or the late side's INIT completes the handshake. */
  net_t n;
  net_init(&n, NULL);
  ASSERT_EQ(braid_sctp_assoc_connect(n.p[A].a), 0);
  net_advance(&n, 2000); /* A's INITs are dropped by B: not connected yet */
  ASSERT(braid_sctp_assoc_stats(n.p[B].a)->rx_dropped > 0);
  ASSERT_EQ(braid_sctp_assoc_connect(n.p[B].a), 0);
  net_advance(&n, 5000);
  ASSERT(both_connected(&n));
  net_free(&n);
}

BRAID_TEST(stream_counts) {
  /* Each side gets min(its OS, the other's MIS). */
  net_t n;
  memset(&n, 0, sizeof n);
  n.now = 1000;
  braid_sctp_global_tick(n.now);
  braid_sctp_opts_t oa = {.os = 10, .mis = 20}, ob = {.os = 300, .mis = 5};
  const braid_sctp_opts_t *opts[2] = {&oa, &ob};
  for (int i = 0; i < 2; i++) {
    n.p[i].net = &n;
    n.p[i].idx = i;
    ASSERT_EQ(braid_sctp_assoc_new(&n.p[i].a, opts[i], &harness_cb, &n.p[i]), 0);
  }
  net_connect(&n);
  ASSERT_EQ(braid_sctp_assoc_out_streams(n.p[A].a), 5);
  ASSERT_EQ(braid_sctp_assoc_in_streams(n.p[A].a), 20);
  ASSERT_EQ(braid_sctp_assoc_out_streams(n.p[B].a), 20);
  ASSERT_EQ(braid_sctp_assoc_in_streams(n.p[B].a), 5);
  uint8_t x = 1;
  ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 5, BRAID_SCTP_PPID_BINARY, &x, 1, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 4, BRAID_SCTP_PPID_BINARY, &x, 1, NULL), 0);
  net_flush(&n);
  ASSERT_EQ(n.p[B].nmsgs, 1);
  net_free(&n);
}

/* Sends every WebRTC PPID from `from` to `to` and checks what arrives. */
static void every_ppid(net_t *n, int from, int to) {
  braid_sctp_assoc_t *a = n->p[from].a;
  static const uint8_t bin[] = {0x00, 0xff, 0x10, 0x00};
  static const uint8_t dcep_ack[] = {0x02};
  ASSERT_EQ(braid_sctp_assoc_send(a, 1, BRAID_SCTP_PPID_STRING, (const uint8_t *)"hello", 5, NULL),
            0);
  ASSERT_EQ(braid_sctp_assoc_send(a, 2, BRAID_SCTP_PPID_BINARY, bin, sizeof bin, NULL), 0);
  ASSERT_EQ(braid_sctp_assoc_send(a, 3, BRAID_SCTP_PPID_STRING_EMPTY, NULL, 0, NULL), 0);
  ASSERT_EQ(braid_sctp_assoc_send(a, 4, BRAID_SCTP_PPID_BINARY_EMPTY, NULL, 0, NULL), 0);
  /* mediasoup's DataConsumer.send('') sends ' ' with PPID 56: passed as is
   * on the wire, and still delivered as empty. */
  ASSERT_EQ(
      braid_sctp_assoc_send(a, 5, BRAID_SCTP_PPID_STRING_EMPTY, (const uint8_t *)" ", 1, NULL), 0);
  ASSERT_EQ(braid_sctp_assoc_send(a, 6, BRAID_SCTP_PPID_DCEP, dcep_ack, 1, NULL), 0);
  ASSERT_EQ(braid_sctp_assoc_send(a, 7, BRAID_SCTP_PPID_BINARY_PARTIAL, bin, 2, NULL), 0);
  ASSERT_EQ(braid_sctp_assoc_send(a, 8, 0xdeadbeefu, bin, 3, NULL), 0);
  net_settle(n);
  peer_t *p = &n->p[to];
  ASSERT_EQ(p->nmsgs, 8);
  ASSERT_EQ(p->msgs[0].stream, 1);
  ASSERT_EQ(p->msgs[0].ppid, 51);
  ASSERT_EQ(p->msgs[0].len, 5);
  ASSERT_MEM_EQ(p->msgs[0].data, "hello", 5);
  ASSERT_EQ(p->msgs[1].ppid, 53);
  ASSERT_EQ(p->msgs[1].len, sizeof bin);
  ASSERT_MEM_EQ(p->msgs[1].data, bin, sizeof bin);
  ASSERT_EQ(p->msgs[2].ppid, 56);
  ASSERT_EQ(p->msgs[2].len, 0);
  ASSERT_EQ(p->msgs[3].ppid, 57);
  ASSERT_EQ(p->msgs[3].len, 0);
  ASSERT_EQ(p->msgs[4].ppid, 56);
  ASSERT_EQ(p->msgs[4].len, 0);
  ASSERT_EQ(p->msgs[5].ppid, 50);
  ASSERT_EQ(p->msgs[5].len, 1);
  ASSERT_EQ(p->msgs[6].ppid, 52);
  ASSERT_EQ(p->msgs[7].ppid, 0xdeadbeefu); /* any PPID passes, in host order */
  ASSERT_EQ(p->msgs[7].stream, 8);
  const braid_sctp_assoc_stats_t *rx = braid_sctp_assoc_stats(p->a);
  const braid_sctp_assoc_stats_t *tx = braid_sctp_assoc_stats(a);
  ASSERT_EQ(rx->msgs_rx, 8);
  ASSERT_EQ(rx->bytes_rx, 5 + 4 + 1 + 2 + 3);
  ASSERT_EQ(tx->msgs_tx, 8);
  ASSERT_EQ(tx->bytes_tx, 5 + 4 + 1 + 1 + 2 + 3); /* the ' ' counts where it was sent */
  for (int k = 0; k < p->nmsgs; k++)
    free(p->msgs[k].data);
  p->nmsgs = 0;
}

BRAID_TEST(messages_every_ppid_both_ways) {
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  every_ppid(&n, A, B);
  every_ppid(&n, B, A);
  /* Everything was acknowledged: nothing buffered any more. */
  ASSERT_EQ(braid_sctp_assoc_buffered_amount(n.p[A].a), 0);
  net_free(&n);
}

BRAID_TEST(ordered_messages_keep_their_order) {
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  for (uint32_t i = 0; i < 200; i++) {
    uint8_t b[4] = {(uint8_t)(i >> 8), (uint8_t)i, 0, 0};
    ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 0, BRAID_SCTP_PPID_BINARY, b, 4, NULL), 0);
    if (i % 50 == 49) net_flush(&n);
  }
  net_settle(&n);
  ASSERT_EQ(n.p[B].nmsgs, 200);
  for (int i = 0; i < 200; i++)
    ASSERT_EQ(n.p[B].msgs[i].data[1], (uint8_t)i);
  net_free(&n);
}

BRAID_TEST(one_mib_message) {
  /* 1 MiB arrives intact in one on_message when the maximum allows it
   * (usrsctp hands it over in 64 KiB pieces); every packet fits the MTU. */
  braid_sctp_opts_t o = {.max_message_size = 2 * 1024 * 1024};
  net_t n;
  net_init(&n, &o);
  ASSERT_EQ(braid_sctp_assoc_opts(n.p[A].a)->send_buffer_size, 2 * 1024 * 1024);
  net_connect(&n);
  size_t len = 1024 * 1024;
  uint8_t *big = malloc(len);
  fill_pattern(big, len, 7);
  ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 9, BRAID_SCTP_PPID_BINARY, big, len, NULL), 0);
  ASSERT(braid_sctp_assoc_buffered_amount(n.p[A].a) >= len);
  for (int i = 0; i < 200 && n.p[B].nmsgs == 0; i++)
    net_advance(&n, 50);
  ASSERT_EQ(n.p[B].nmsgs, 1);
  ASSERT_EQ(n.p[B].msgs[0].stream, 9);
  ASSERT_EQ(n.p[B].msgs[0].len, len);
  ASSERT_MEM_EQ(n.p[B].msgs[0].data, big, len);
  ASSERT(n.p[A].max_pkt <= 1200);
  ASSERT(n.p[A].max_pkt > 1100); /* full packets */
  /* Over the limit: refused at once. */
  uint8_t *over = malloc(2 * 1024 * 1024 + 1);
  ASSERT_EQ(
      braid_sctp_assoc_send(n.p[A].a, 9, BRAID_SCTP_PPID_BINARY, over, 2 * 1024 * 1024 + 1, NULL),
      BRAID_ETOOBIG);
  ASSERT_EQ(braid_sctp_assoc_stats(n.p[A].a)->tx_refused, 1);
  free(over);
  free(big);
  net_free(&n);
}

BRAID_TEST(receiver_drops_messages_over_its_maximum) {
  /* A may send 1 MiB, B accepts 256 KiB: B drops the big one whole, counts
   * it, and the next message arrives. */
  net_t n;
  memset(&n, 0, sizeof n);
  n.now = 1000;
  braid_sctp_global_tick(n.now);
  braid_sctp_opts_t oa = {.max_message_size = 1024 * 1024}, ob = {0};
  const braid_sctp_opts_t *opts[2] = {&oa, &ob};
  for (int i = 0; i < 2; i++) {
    n.p[i].net = &n;
    n.p[i].idx = i;
    ASSERT_EQ(braid_sctp_assoc_new(&n.p[i].a, opts[i], &harness_cb, &n.p[i]), 0);
  }
  net_connect(&n);
  size_t len = 600 * 1000;
  uint8_t *big = malloc(len);
  fill_pattern(big, len, 3);
  ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 1, BRAID_SCTP_PPID_BINARY, big, len, NULL), 0);
  ASSERT_EQ(
      braid_sctp_assoc_send(n.p[A].a, 1, BRAID_SCTP_PPID_STRING, (const uint8_t *)"after", 5, NULL),
      0);
  for (int i = 0; i < 100 && n.p[B].nmsgs == 0; i++)
    net_advance(&n, 50);
  ASSERT_EQ(n.p[B].nmsgs, 1);
  ASSERT_MEM_EQ(n.p[B].msgs[0].data, "after", 5);
  ASSERT_EQ(braid_sctp_assoc_stats(n.p[B].a)->rx_too_big, 1);
  /* The default maximum refuses 256 KiB + 1 on the sending side too. */
  ASSERT_EQ(braid_sctp_assoc_send(n.p[B].a, 1, BRAID_SCTP_PPID_BINARY, big, 262145, NULL),
            BRAID_ETOOBIG);
  ASSERT_EQ(braid_sctp_assoc_send(n.p[B].a, 1, BRAID_SCTP_PPID_BINARY, big, 262144, NULL), 0);
  for (int i = 0; i < 100 && n.p[A].nmsgs == 0; i++)
    net_advance(&n, 50);
  ASSERT_EQ(n.p[A].nmsgs, 1);
  ASSERT_EQ(n.p[A].msgs[0].len, 262144);
  ASSERT_MEM_EQ(n.p[A].msgs[0].data, big, 262144);
  free(big);
  net_free(&n);
}

BRAID_TEST(usage_errors) {
  braid_sctp_assoc_t *a = NULL;
  braid_sctp_callbacks_t no_send = {.on_message = on_message};
  ASSERT_EQ(braid_sctp_assoc_new(&a, NULL, NULL, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_sctp_assoc_new(&a, NULL, &no_send, NULL), BRAID_EINVAL);
  braid_sctp_opts_t bad = {.max_message_size = 1000, .send_buffer_size = 999};
  ASSERT_EQ(braid_sctp_assoc_new(&a, &bad, &harness_cb, NULL), BRAID_EINVAL);
  bad = (braid_sctp_opts_t){.max_message_size = BRAID_SCTP_MAX_MESSAGE_LIMIT + 1};
  ASSERT_EQ(braid_sctp_assoc_new(&a, &bad, &harness_cb, NULL), BRAID_EINVAL);
  bad = (braid_sctp_opts_t){.mtu = 500};
  ASSERT_EQ(braid_sctp_assoc_new(&a, &bad, &harness_cb, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_sctp_global_assoc_count(), 0);

  net_t n;
  net_init(&n, NULL);
  braid_sctp_assoc_t *x = n.p[A].a;
  uint8_t b = 1;
  /* Before connect. */
  ASSERT_EQ(braid_sctp_assoc_send(x, 0, BRAID_SCTP_PPID_BINARY, &b, 1, NULL), BRAID_ESTATE);
  ASSERT_EQ(braid_sctp_assoc_reset_stream(x, 0), BRAID_ESTATE);
  ASSERT_EQ(braid_sctp_assoc_receive(x, &b, 1), BRAID_ESTATE);
  net_connect(&n);
  /* Empty with a PPID that cannot be empty; NULL data; bad policy. */
  ASSERT_EQ(braid_sctp_assoc_send(x, 0, BRAID_SCTP_PPID_STRING, NULL, 0, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_sctp_assoc_send(x, 0, BRAID_SCTP_PPID_STRING, NULL, 3, NULL), BRAID_EINVAL);
  braid_sctp_send_opts_t so = {.pr = (braid_sctp_pr_t)7};
  ASSERT_EQ(braid_sctp_assoc_send(x, 0, BRAID_SCTP_PPID_STRING, &b, 1, &so), BRAID_EINVAL);
  ASSERT_EQ(braid_sctp_assoc_send(x, 1024, BRAID_SCTP_PPID_STRING, &b, 1, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_sctp_assoc_reset_stream(x, 1024), BRAID_EINVAL);
  ASSERT_EQ(braid_sctp_assoc_stats(x)->tx_refused, 0);
  ASSERT(braid_sctp_assoc_state_name((braid_sctp_state_t)9) == NULL);
  braid_sctp_assoc_free(NULL);
  net_free(&n);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(connect)
    BRAID_TEST_ENTRY(connect_late_peer)
    BRAID_TEST_ENTRY(stream_counts)
    BRAID_TEST_ENTRY(messages_every_ppid_both_ways)
    BRAID_TEST_ENTRY(ordered_messages_keep_their_order)
    BRAID_TEST_ENTRY(one_mib_message)
    BRAID_TEST_ENTRY(receiver_drops_messages_over_its_maximum)
    BRAID_TEST_ENTRY(usage_errors)
)
/* clang-format on */
