/* Unit tests of mediad/sctp/sctp_assoc.c, part 2: unordered and partially
 * reliable sends over a lossy link, stream resets, and the send buffer
 * (full, then low again). */
#include "tests/mediad/sctp/sctp_assoc_harness.h"

static int find_msg(const peer_t *p, const char *text) {
  for (int i = 0; i < p->nmsgs; i++)
    if (p->msgs[i].len == strlen(text) && memcmp(p->msgs[i].data, text, p->msgs[i].len) == 0)
      return i;
  return -1;
}

static int send_text(net_t *n, int from, uint16_t stream, const char *text,
                     const braid_sctp_send_opts_t *o) {
  return braid_sctp_assoc_send(n->p[from].a, stream, BRAID_SCTP_PPID_STRING, (const uint8_t *)text,
                               strlen(text), o);
}

BRAID_TEST(unordered_overtakes_a_lost_message) {
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  net_settle(&n);
  braid_sctp_send_opts_t unordered = {.unordered = true};
  n.p[A].drop_next = 1; /* the packet of "first" is lost */
  ASSERT_EQ(send_text(&n, A, 1, "first", &unordered), 0);
  ASSERT_EQ(send_text(&n, A, 1, "second", &unordered), 0);
  net_flush(&n);
  /* "second" is delivered at once, before "first" is retransmitted. */
  ASSERT_EQ(n.p[B].nmsgs, 1);
  ASSERT_EQ(find_msg(&n.p[B], "second"), 0);
  net_wait_msgs(&n, B, 2);
  ASSERT_EQ(n.p[B].nmsgs, 2);
  ASSERT_EQ(find_msg(&n.p[B], "first"), 1);
  /* Ordered: the same loss holds "second" back until "first" is in. */
  n.p[A].drop_next = 1;
  ASSERT_EQ(send_text(&n, A, 2, "third", NULL), 0);
  ASSERT_EQ(send_text(&n, A, 2, "fourth", NULL), 0);
  net_flush(&n);
  ASSERT_EQ(n.p[B].nmsgs, 2);
  net_wait_msgs(&n, B, 4);
  ASSERT_EQ(n.p[B].nmsgs, 4);
  ASSERT_EQ(find_msg(&n.p[B], "third"), 2);
  ASSERT_EQ(find_msg(&n.p[B], "fourth"), 3);
  net_free(&n);
}

BRAID_TEST(partial_reliability_max_retransmits) {
  /* maxRetransmits 0: a lost message is abandoned (FORWARD-TSN), and the
   * ordered message behind it on the same stream is not held forever. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  net_settle(&n);
  braid_sctp_send_opts_t pr = {.pr = BRAID_SCTP_PR_RTX, .pr_value = 0};
  n.p[A].drop_next = 1;
  ASSERT_EQ(send_text(&n, A, 3, "lost", &pr), 0);
  ASSERT_EQ(send_text(&n, A, 3, "kept", NULL), 0);
  net_flush(&n);
  ASSERT_EQ(n.p[B].nmsgs, 0); /* ordered: waiting for "lost" */
  net_wait_msgs(&n, B, 1);
  ASSERT_EQ(n.p[B].nmsgs, 1);
  ASSERT_EQ(find_msg(&n.p[B], "kept"), 0);
  ASSERT_EQ(find_msg(&n.p[B], "lost"), -1);
  ASSERT_EQ(braid_sctp_assoc_stats(n.p[A].a)->tx_abandoned, 1);
  /* The stream goes on. */
  ASSERT_EQ(send_text(&n, A, 3, "later", &pr), 0);
  net_settle(&n);
  ASSERT_EQ(find_msg(&n.p[B], "later"), 1);
  /* A reliable message survives the same loss. */
  n.p[A].drop_next = 1;
  ASSERT_EQ(send_text(&n, A, 3, "reliable", NULL), 0);
  net_wait_msgs(&n, B, 3);
  ASSERT_EQ(find_msg(&n.p[B], "reliable"), 2);
  net_free(&n);
}

BRAID_TEST(partial_reliability_lifetime) {
  /* maxPacketLifeTime 20 ms, unordered (mediasoup's combination). usrsctp
   * measures lifetimes with the real clock: the test sleeps past it. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  net_settle(&n);
  braid_sctp_send_opts_t pr = {.unordered = true, .pr = BRAID_SCTP_PR_TTL, .pr_value = 20};
  n.p[A].drop_next = 1;
  ASSERT_EQ(send_text(&n, A, 4, "stale", &pr), 0);
  ASSERT_EQ(send_text(&n, A, 4, "fresh", &pr), 0);
  net_flush(&n);
  ASSERT_EQ(find_msg(&n.p[B], "fresh"), 0);
  real_sleep(40); /* past the lifetime */
  for (int i = 0; i < 60 && braid_sctp_assoc_stats(n.p[A].a)->tx_abandoned == 0; i++) {
    real_sleep(5);
    net_advance(&n, 1000);
  }
  net_settle(&n);
  ASSERT_EQ(n.p[B].nmsgs, 1);
  ASSERT_EQ(find_msg(&n.p[B], "stale"), -1);
  ASSERT_EQ(braid_sctp_assoc_stats(n.p[A].a)->tx_abandoned, 1);
  net_free(&n);
}

BRAID_TEST(stream_reset_data_channel) {
  /* RFC 8831 §6.7: A closes channel 3; B sees it and resets its own
   * stream 3 in return, which A takes as the end of its close. */
  braid_sctp_opts_t o = {.is_data_channel = true};
  net_t n;
  net_init(&n, &o);
  net_connect(&n);
  ASSERT_EQ(send_text(&n, A, 3, "bye", NULL), 0);
  ASSERT_EQ(braid_sctp_assoc_reset_stream(n.p[A].a, 3), 0);
  net_settle(&n);
  ASSERT_EQ(find_msg(&n.p[B], "bye"), 0); /* data queued before the reset arrives first */
  ASSERT_EQ(n.p[B].nresets, 1);
  ASSERT_EQ(n.p[B].resets[0], 3);
  ASSERT_EQ(n.p[A].nresets, 0);
  ASSERT_EQ(braid_sctp_assoc_stats(n.p[B].a)->streams_reset_rx, 1);
  ASSERT_EQ(braid_sctp_assoc_stats(n.p[A].a)->streams_reset_rx, 0);
  /* The stream can carry a new channel afterwards, both ways. */
  ASSERT_EQ(send_text(&n, A, 3, "again", NULL), 0);
  ASSERT_EQ(send_text(&n, B, 3, "back", NULL), 0);
  net_settle(&n);
  ASSERT_EQ(find_msg(&n.p[B], "again"), 1);
  ASSERT_EQ(find_msg(&n.p[A], "back"), 0);
  /* Now B closes 3: A is told, answers, and no reset ping-pong follows. */
  ASSERT_EQ(braid_sctp_assoc_reset_stream(n.p[B].a, 3), 0);
  net_advance(&n, 2000);
  ASSERT_EQ(n.p[A].nresets, 1);
  ASSERT_EQ(n.p[A].resets[0], 3);
  ASSERT_EQ(n.p[B].nresets, 1);
  /* Several streams at once. */
  for (uint16_t s = 10; s < 15; s++)
    ASSERT_EQ(braid_sctp_assoc_reset_stream(n.p[A].a, s), 0);
  net_advance(&n, 2000);
  ASSERT_EQ(n.p[B].nresets, 6);
  ASSERT_EQ(n.p[A].nresets, 1);
  net_free(&n);
}

BRAID_TEST(stream_reset_plain) {
  /* Without is_data_channel nothing answers: B is told, A is not. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  ASSERT_EQ(braid_sctp_assoc_reset_stream(n.p[A].a, 7), 0);
  net_settle(&n);
  ASSERT_EQ(n.p[B].nresets, 1);
  ASSERT_EQ(n.p[B].resets[0], 7);
  ASSERT_EQ(n.p[A].nresets, 0);
  net_free(&n);
}

BRAID_TEST(send_buffer_full_then_low) {
  /* A 16 KiB send buffer and a peer that does not answer: sends fill it
   * and are refused (mediasoup's sctpsendbufferfull); once the peer
   * acknowledges, on_buffered_low fires and sends work again. */
  braid_sctp_opts_t o = {
      .max_message_size = 4096, .send_buffer_size = 16384, .buffered_low_threshold = 1000};
  net_t n;
  net_init(&n, &o);
  net_connect(&n);
  net_settle(&n);
  uint8_t buf[4096];
  fill_pattern(buf, sizeof buf, 1);
  n.p[A].drop = true; /* nothing reaches B, so nothing is acknowledged */
  int accepted = 0, rc = 0;
  for (int i = 0; i < 20 && rc == 0; i++) {
    rc = braid_sctp_assoc_send(n.p[A].a, 0, BRAID_SCTP_PPID_BINARY, buf, sizeof buf, NULL);
    if (rc == 0) accepted++;
  }
  ASSERT_EQ(rc, BRAID_ELIMIT);
  ASSERT(accepted >= 3 && accepted <= 4);
  ASSERT_EQ(braid_sctp_assoc_stats(n.p[A].a)->tx_refused, 1);
  ASSERT(braid_sctp_assoc_buffered_amount(n.p[A].a) >= 3 * sizeof buf);
  ASSERT_EQ(n.p[A].low_events, 0);
  /* The link comes back: retransmissions get through and are acked. */
  n.p[A].drop = false;
  net_wait_msgs(&n, B, accepted);
  ASSERT_EQ(n.p[B].nmsgs, accepted);
  ASSERT_EQ(n.p[A].low_events, 1);
  ASSERT(n.p[A].low_buffered <= 1000);
  ASSERT(braid_sctp_assoc_buffered_amount(n.p[A].a) <= 1000);
  ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 0, BRAID_SCTP_PPID_BINARY, buf, sizeof buf, NULL), 0);
  net_settle(&n);
  ASSERT_EQ(n.p[B].nmsgs, accepted + 1);
  ASSERT_EQ(n.p[A].low_events, 2);
  /* A threshold set above the amount buffered does not fire by itself. */
  braid_sctp_assoc_set_buffered_low_threshold(n.p[A].a, 100000);
  net_settle(&n);
  ASSERT_EQ(n.p[A].low_events, 2);
  ASSERT_EQ(braid_sctp_assoc_opts(n.p[A].a)->buffered_low_threshold, 100000);
  net_free(&n);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(unordered_overtakes_a_lost_message)
    BRAID_TEST_ENTRY(partial_reliability_max_retransmits)
    BRAID_TEST_ENTRY(partial_reliability_lifetime)
    BRAID_TEST_ENTRY(stream_reset_data_channel)
    BRAID_TEST_ENTRY(stream_reset_plain)
    BRAID_TEST_ENTRY(send_buffer_full_then_low)
)
/* clang-format on */
