/*
 * The data path of mediad end to end (data_transport.c, data_producer.c,
 * data_consumer.c) over the fake transport kind of data_harness.h: each
 * transport's remote endpoint is a plain SCTP association. Endpoint A
 * sends on transport "ta", where its data producers live; endpoints B and
 * C receive from the data consumers of "tb" and "tc".
 *
 * The commands' errors, the close cascades and the stats are in
 * data_handlers_test.c.
 */
#include <time.h>

#include "common/err.h"
#include "common/map.h"
#include "mediad/sctp/dcep.h"
#include "tests/mediad/rtc/data_harness.h"
#include "tests/test.h"

enum { TA = 0, TB = 1, TC = 2 };
#define DP_STREAM 3

/* The world most tests use: ta and tb (and tc when three) on router r1,
 * all connected, and the data producer "dp" of A on stream DP_STREAM. */
static braid_data_producer_t *setup(dh_world_t *w, bool three) {
  dh_world_init(w);
  dh_transport_add(w, TA, "ta", "r1", NULL);
  dh_transport_add(w, TB, "tb", "r1", NULL);
  if (three) dh_transport_add(w, TC, "tc", "r1", NULL);
  dh_connect(w, TA);
  dh_connect(w, TB);
  if (three) dh_connect(w, TC);
  return dh_add_producer(w, "ta", "dp", DP_STREAM);
}

static void expect_msg(const dh_world_t *w, int ep, size_t i, uint16_t stream, uint32_t ppid,
                       const void *data, size_t len) {
  const dh_endpoint_t *e = &w->ep[ep];
  if (i >= e->nmsgs) BRAID_TEST_FAIL("endpoint %d has %zu messages, not #%zu", ep, e->nmsgs, i);
  const dh_msg_t *m = &e->msgs[i];
  ASSERT_EQ(m->stream, stream);
  ASSERT_EQ(m->ppid, ppid);
  ASSERT_EQ(m->len, len);
  if (len > 0) ASSERT_MEM_EQ(m->data, data, len);
}

static void send_text(dh_world_t *w, int ep, uint16_t stream, const char *text,
                      const braid_sctp_send_opts_t *o) {
  dh_ep_send(w, ep, stream, BRAID_SCTP_PPID_STRING, text, strlen(text), o);
}

/* ---- 1. messages ---------------------------------------------------------- */

BRAID_TEST(every_kind_of_message_reaches_the_consumer) {
  dh_world_t w;
  braid_data_producer_t *p = setup(&w, false);
  braid_data_consumer_t *c = dh_add_consumer(&w, "tb", "dc", "dp");
  ASSERT(c->producer == p && p->consumers == c);
  uint16_t s = c->stream;

  static const uint8_t bin[] = {0x00, 0xff, 0x10, 0x00, 0x7f};
  enum { BIG = 200 * 1024 };
  uint8_t *big = malloc(BIG);
  ASSERT(big != NULL);
  dh_fill(big, BIG, 42);

  send_text(&w, TA, DP_STREAM, "hello", NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_BINARY, bin, sizeof bin, NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_STRING_EMPTY, NULL, 0, NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_BINARY_EMPTY, NULL, 0, NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_BINARY, big, BIG, NULL);
  dh_wait_msgs(&w, TB, 5);

  ASSERT_EQ(w.ep[TB].nmsgs, 5);
  expect_msg(&w, TB, 0, s, BRAID_SCTP_PPID_STRING, "hello", 5);
  expect_msg(&w, TB, 1, s, BRAID_SCTP_PPID_BINARY, bin, sizeof bin);
  expect_msg(&w, TB, 2, s, BRAID_SCTP_PPID_STRING_EMPTY, NULL, 0);
  expect_msg(&w, TB, 3, s, BRAID_SCTP_PPID_BINARY_EMPTY, NULL, 0);
  expect_msg(&w, TB, 4, s, BRAID_SCTP_PPID_BINARY, big, BIG);
  ASSERT_EQ(w.ep[TA].nmsgs, 0); /* nothing goes back to the sender */

  ASSERT_EQ(p->messages_received, 5);
  ASSERT_EQ(p->bytes_received, 5 + sizeof bin + BIG);
  ASSERT_EQ(c->messages_sent, 5);
  ASSERT_EQ(c->bytes_sent, 5 + sizeof bin + BIG);
  ASSERT_EQ(c->messages_dropped, 0);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_no_producer, 0);
  ASSERT_EQ(braid_data_transport_dropped(w.t[TA]->media.data), 0);
  ASSERT_EQ(braid_data_transport_dropped(w.t[TB]->media.data), 0);
  ASSERT_EQ(dh_astats(&w, TB)->tx_refused, 0);
  free(big);
  dh_world_cleanup(&w);
}

BRAID_TEST(two_consumers_of_one_producer) {
  /* One on another transport, one on the producer's own transport (its
   * stream skips the producer's). Each gets every message, in order, on
   * its own stream. */
  dh_world_t w;
  braid_data_producer_t *p = setup(&w, false);
  /* Take streams 0..2 on ta so that the next pick would be DP_STREAM. */
  braid_data_producer_t *q = dh_add_producer(&w, "ta", "dq", 9);
  braid_data_consumer_t *fill[3];
  for (int i = 0; i < 3; i++) {
    char id[8] = {'f', (char)('0' + i)};
    fill[i] = dh_add_consumer(&w, "ta", id, "dq");
    ASSERT_EQ(fill[i]->stream, i);
  }
  braid_data_consumer_t *cb = dh_add_consumer(&w, "tb", "cb", "dp");
  braid_data_consumer_t *ca = dh_add_consumer(&w, "ta", "ca", "dp");
  ASSERT_EQ(ca->stream, DP_STREAM + 1); /* skips the producer's stream */
  ASSERT_EQ(cb->stream, 0);
  ASSERT(p->consumers != NULL && q->consumers != NULL);

  const char *texts[] = {"one", "two", "three", "four"};
  for (int i = 0; i < 4; i++)
    send_text(&w, TA, DP_STREAM, texts[i], NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 4);
  ASSERT_EQ(w.ep[TA].nmsgs, 4); /* the loopback consumer sends back to A */
  for (size_t i = 0; i < 4; i++) {
    expect_msg(&w, TB, i, cb->stream, BRAID_SCTP_PPID_STRING, texts[i], strlen(texts[i]));
    expect_msg(&w, TA, i, ca->stream, BRAID_SCTP_PPID_STRING, texts[i], strlen(texts[i]));
  }
  ASSERT_EQ(p->messages_received, 4);
  ASSERT_EQ(ca->messages_sent, 4);
  ASSERT_EQ(cb->messages_sent, 4);
  ASSERT_EQ(q->messages_received, 0);
  for (int i = 0; i < 3; i++)
    ASSERT_EQ(fill[i]->messages_sent, 0);
  dh_world_cleanup(&w);
}

BRAID_TEST(message_without_producer_is_counted_and_dropped) {
  dh_world_t w;
  braid_data_producer_t *p = setup(&w, false);
  braid_data_consumer_t *c = dh_add_consumer(&w, "tb", "dc", "dp");
  send_text(&w, TA, 7, "nobody", NULL);
  dh_ep_send(&w, TA, 8, BRAID_SCTP_PPID_BINARY_EMPTY, NULL, 0, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_no_producer, 2);
  ASSERT_EQ(braid_data_transport_dropped(w.t[TA]->media.data), 2);
  ASSERT_EQ(braid_transport_media_dropped(&w.t[TA]->media), 2);
  ASSERT_EQ(p->messages_received, 0);
  ASSERT_EQ(c->messages_sent + c->messages_dropped, 0);
  ASSERT_EQ(w.ep[TB].nmsgs, 0);
  /* The producer's stream still works. */
  send_text(&w, TA, DP_STREAM, "somebody", NULL);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  dh_world_cleanup(&w);
}

/* ---- 2. reliability --------------------------------------------------------- */

BRAID_TEST(ordered_and_unordered_consumers) {
  dh_world_t w;
  setup(&w, true);
  braid_data_consumer_t *ord = dh_add_consumer(&w, "tb", "ord", "dp");
  braid_cmd_data_consumer_create_t cc = dh_consumer_cmd("tc", "unord", "dp");
  cc.ordered = false;
  braid_data_consumer_t *un = dh_add_consumer_cmd(&w, &cc);
  ASSERT(ord->ordered && !ord->send_opts.unordered && ord->send_opts.pr == BRAID_SCTP_PR_NONE);
  ASSERT(!un->ordered && un->send_opts.unordered && un->send_opts.pr == BRAID_SCTP_PR_NONE);

  uint64_t ob = w.ep[TB].data_chunks_ordered, ub = w.ep[TB].data_chunks_unordered;
  uint64_t oc = w.ep[TC].data_chunks_ordered, uc = w.ep[TC].data_chunks_unordered;
  for (int i = 0; i < 3; i++)
    send_text(&w, TA, DP_STREAM, "x", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 3);
  ASSERT_EQ(w.ep[TC].nmsgs, 3);
  /* On the wire: B's DATA chunks are ordered, C's have the U bit. */
  ASSERT_EQ(w.ep[TB].data_chunks_ordered - ob, 3);
  ASSERT_EQ(w.ep[TB].data_chunks_unordered - ub, 0);
  ASSERT_EQ(w.ep[TC].data_chunks_ordered - oc, 0);
  ASSERT_EQ(w.ep[TC].data_chunks_unordered - uc, 3);
  dh_world_cleanup(&w);
}

/* Waits (dh_wait_step) until transport idx's association abandoned n
 * messages or 60 steps passed. */
static void wait_abandoned(dh_world_t *w, int idx, uint64_t n) {
  for (int i = 0; i < 60 && dh_astats(w, idx)->tx_abandoned < n; i++)
    dh_wait_step(w);
  dh_advance(w, 500);
}

static int find_text(const dh_world_t *w, int ep, const char *text) {
  const dh_endpoint_t *e = &w->ep[ep];
  for (size_t i = 0; i < e->nmsgs; i++)
    if (e->msgs[i].len == strlen(text) && memcmp(e->msgs[i].data, text, e->msgs[i].len) == 0)
      return (int)i;
  return -1;
}

BRAID_TEST(max_retransmits_consumer_abandons_a_lost_message) {
  /* maxRetransmits 0 on tb, reliable on tc; the packet of "lost" is lost
   * towards both endpoints. B never gets it (abandoned), C does. */
  dh_world_t w;
  setup(&w, true);
  braid_cmd_data_consumer_create_t cc = dh_consumer_cmd("tb", "rtx0", "dp");
  cc.ordered = false;
  cc.has_max_retransmits = true;
  cc.max_retransmits = 0;
  braid_data_consumer_t *pr = dh_add_consumer_cmd(&w, &cc);
  ASSERT(pr->send_opts.unordered);
  ASSERT_EQ(pr->send_opts.pr, BRAID_SCTP_PR_RTX);
  ASSERT_EQ(pr->send_opts.pr_value, 0);
  braid_data_consumer_t *rel = dh_add_consumer(&w, "tc", "rel", "dp");
  dh_advance(&w, 500);

  w.t[TB]->drop_data_next = 1;
  w.t[TC]->drop_data_next = 1;
  send_text(&w, TA, DP_STREAM, "lost", NULL);
  send_text(&w, TA, DP_STREAM, "kept", NULL);
  ASSERT_EQ(w.t[TB]->dropped, 1);
  ASSERT_EQ(w.t[TC]->dropped, 1);
  ASSERT_EQ(find_text(&w, TB, "kept"), 0); /* unordered: not held back */
  wait_abandoned(&w, TB, 1);
  dh_wait_msgs(&w, TC, 2);
  ASSERT_EQ(find_text(&w, TB, "lost"), -1);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  ASSERT(dh_astats(&w, TB)->tx_abandoned >= 1);
  ASSERT_EQ(w.ep[TC].nmsgs, 2);
  ASSERT_EQ(find_text(&w, TC, "lost"), 0); /* ordered and reliable */
  ASSERT_EQ(find_text(&w, TC, "kept"), 1);
  ASSERT_EQ(dh_astats(&w, TC)->tx_abandoned, 0);
  ASSERT_EQ(pr->messages_sent, 2); /* accepted by the association */
  ASSERT_EQ(rel->messages_sent, 2);
  /* The stream goes on. */
  send_text(&w, TA, DP_STREAM, "later", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(find_text(&w, TB, "later"), 1);
  dh_world_cleanup(&w);
}

BRAID_TEST(max_packet_life_time_consumer_abandons_a_stale_message) {
  /* maxPacketLifeTime 20 ms: usrsctp measures it with the real clock, so
   * the test sleeps past it before the retransmission timer runs. */
  dh_world_t w;
  setup(&w, false);
  braid_cmd_data_consumer_create_t cc = dh_consumer_cmd("tb", "ttl", "dp");
  cc.ordered = false;
  cc.has_max_packet_life_time = true;
  cc.max_packet_life_time = 20;
  braid_data_consumer_t *c = dh_add_consumer_cmd(&w, &cc);
  ASSERT(c->send_opts.unordered);
  ASSERT_EQ(c->send_opts.pr, BRAID_SCTP_PR_TTL);
  ASSERT_EQ(c->send_opts.pr_value, 20);
  ASSERT(c->has_max_packet_life_time && !c->has_max_retransmits);
  dh_advance(&w, 500);

  w.t[TB]->drop_data_next = 1;
  send_text(&w, TA, DP_STREAM, "stale", NULL);
  send_text(&w, TA, DP_STREAM, "fresh", NULL);
  ASSERT_EQ(find_text(&w, TB, "fresh"), 0);
  struct timespec ts = {.tv_sec = 0, .tv_nsec = 40 * 1000 * 1000};
  nanosleep(&ts, NULL); /* past the lifetime */
  wait_abandoned(&w, TB, 1);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  ASSERT_EQ(find_text(&w, TB, "stale"), -1);
  ASSERT(dh_astats(&w, TB)->tx_abandoned >= 1);
  dh_world_cleanup(&w);
}

/* ---- 3. limits ------------------------------------------------------------- */

BRAID_TEST(message_over_the_consumers_maximum_is_dropped) {
  /* tb takes messages up to 1000 bytes; ta up to the default. */
  dh_world_t w;
  dh_world_init(&w);
  dh_sctp_opts_t small = {.max_message = 1000};
  dh_transport_add(&w, TA, "ta", "r1", NULL);
  dh_transport_add(&w, TB, "tb", "r1", &small);
  dh_connect(&w, TA);
  dh_connect(&w, TB);
  braid_data_producer_t *p = dh_add_producer(&w, "ta", "dp", DP_STREAM);
  braid_data_consumer_t *c = dh_add_consumer(&w, "tb", "dc", "dp");
  uint8_t buf[2000];
  dh_fill(buf, sizeof buf, 7);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_BINARY, buf, 1001, NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_BINARY, buf, 1000, NULL);
  dh_ep_send(&w, TA, DP_STREAM, BRAID_SCTP_PPID_BINARY, buf, sizeof buf, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(p->messages_received, 3);
  ASSERT_EQ(c->messages_dropped, 2);
  ASSERT_EQ(c->messages_sent, 1);
  ASSERT_EQ(c->bytes_sent, 1000);
  ASSERT_EQ(dh_astats(&w, TB)->tx_refused, 2);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  expect_msg(&w, TB, 0, c->stream, BRAID_SCTP_PPID_BINARY, buf, 1000);
  dh_world_cleanup(&w);
}

BRAID_TEST(consumer_not_connected_drops_and_counts) {
  dh_world_t w;
  dh_world_init(&w);
  dh_transport_add(&w, TA, "ta", "r1", NULL);
  dh_transport_add(&w, TB, "tb", "r1", NULL);
  dh_connect(&w, TA);
  dh_add_producer(&w, "ta", "dp", DP_STREAM);
  braid_data_consumer_t *c = dh_add_consumer(&w, "tb", "dc", "dp");
  send_text(&w, TA, DP_STREAM, "early", NULL);
  ASSERT_EQ(c->messages_dropped, 1);
  ASSERT_EQ(c->messages_sent, 0);
  dh_connect(&w, TB);
  send_text(&w, TA, DP_STREAM, "late", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(c->messages_sent, 1);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  expect_msg(&w, TB, 0, c->stream, BRAID_SCTP_PPID_STRING, "late", 4);
  dh_world_cleanup(&w);
}

/* ---- 4. DCEP ---------------------------------------------------------------- */

BRAID_TEST(dcep_open_is_answered_with_an_ack) {
  dh_world_t w;
  setup(&w, false);
  braid_data_consumer_t *c = dh_add_consumer(&w, "tb", "dc", "dp");
  dh_ep_send_dcep_open(&w, TA, 5, "in-band");
  dh_advance(&w, 500);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_dcep_open, 1);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_dcep_bad, 0);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_no_producer, 0);
  static const uint8_t ack[] = {BRAID_DCEP_MSG_ACK};
  ASSERT_EQ(w.ep[TA].nmsgs, 1);
  expect_msg(&w, TA, 0, 5, BRAID_DCEP_PPID, ack, 1);
  /* DCEP is not forwarded: the producer on DP_STREAM sees none of it, even
   * on its own stream. */
  dh_ep_send_dcep_open(&w, TA, DP_STREAM, "again");
  dh_advance(&w, 500);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_dcep_open, 2);
  expect_msg(&w, TA, 1, DP_STREAM, BRAID_DCEP_PPID, ack, 1);
  ASSERT_EQ(dh_data_producer(&w, "dp")->messages_received, 0);
  ASSERT_EQ(w.ep[TB].nmsgs, 0);
  /* Once a data producer is made for the opened stream, its messages flow. */
  dh_add_producer(&w, "ta", "dp5", 5);
  dh_add_consumer(&w, "tb", "dc5", "dp5");
  send_text(&w, TA, 5, "via dcep", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  ASSERT_EQ(c->messages_sent, 0);
  dh_world_cleanup(&w);
}

BRAID_TEST(malformed_dcep_is_counted) {
  dh_world_t w;
  setup(&w, false);
  static const uint8_t truncated_open[] = {BRAID_DCEP_MSG_OPEN, 0x00, 0x01};
  static const uint8_t unknown_type[] = {0x07};
  static const uint8_t ack_with_tail[] = {BRAID_DCEP_MSG_ACK, 0x00};
  static const uint8_t ack[] = {BRAID_DCEP_MSG_ACK};
  uint8_t bad_channel[BRAID_DCEP_OPEN_HDR_LEN] = {BRAID_DCEP_MSG_OPEN, 0x33};
  dh_ep_send(&w, TA, 5, BRAID_DCEP_PPID, truncated_open, sizeof truncated_open, NULL);
  dh_ep_send(&w, TA, 5, BRAID_DCEP_PPID, unknown_type, sizeof unknown_type, NULL);
  dh_ep_send(&w, TA, 5, BRAID_DCEP_PPID, ack_with_tail, sizeof ack_with_tail, NULL);
  dh_ep_send(&w, TA, 5, BRAID_DCEP_PPID, bad_channel, sizeof bad_channel, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_dcep_bad, 4);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_dcep_open, 0);
  ASSERT_EQ(braid_data_transport_dropped(w.t[TA]->media.data), 4);
  /* An ACK is valid and needs no answer. */
  dh_ep_send(&w, TA, 5, BRAID_DCEP_PPID, ack, sizeof ack, NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(dh_dstats(&w, TA)->rx_dcep_bad, 4);
  ASSERT_EQ(w.ep[TA].nmsgs, 0); /* nothing answered any of them */
  ASSERT_EQ(dh_astats(&w, TA)->msgs_tx, 0);
  dh_world_cleanup(&w);
}

/* ---- 5. pause and resume ------------------------------------------------------ */

BRAID_TEST(pause_and_resume_producer) {
  dh_world_t w;
  braid_data_producer_t *p = setup(&w, false);
  braid_data_consumer_t *c = dh_add_consumer(&w, "tb", "dc", "dp");
  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_PAUSE, "dp");
  ASSERT(p->paused);
  send_text(&w, TA, DP_STREAM, "held", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(p->messages_received, 1); /* received and counted, not forwarded */
  ASSERT_EQ(p->bytes_received, 4);
  ASSERT_EQ(c->messages_sent, 0);
  ASSERT_EQ(w.ep[TB].nmsgs, 0);
  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_PAUSE, "dp"); /* twice is fine */
  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_RESUME, "dp");
  ASSERT(!p->paused);
  send_text(&w, TA, DP_STREAM, "go", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  expect_msg(&w, TB, 0, c->stream, BRAID_SCTP_PPID_STRING, "go", 2);
  ASSERT_EQ(p->messages_received, 2);
  ASSERT_EQ(c->messages_sent, 1);
  /* Created paused. */
  braid_cmd_data_producer_create_t pc = dh_producer_cmd("ta", "dp2", 4);
  pc.paused = true;
  braid_data_producer_t *p2 = dh_add_producer_cmd(&w, &pc);
  ASSERT(p2->paused);
  dh_add_consumer(&w, "tb", "dc2", "dp2");
  send_text(&w, TA, 4, "nope", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  dh_world_cleanup(&w);
}

BRAID_TEST(pause_and_resume_consumer) {
  dh_world_t w;
  braid_data_producer_t *p = setup(&w, true);
  braid_data_consumer_t *c = dh_add_consumer(&w, "tb", "dc", "dp");
  braid_data_consumer_t *other = dh_add_consumer(&w, "tc", "other", "dp");
  dh_ref_ok(&w, BRAID_CMD_DATA_CONSUMER_PAUSE, "dc");
  ASSERT(c->paused);
  send_text(&w, TA, DP_STREAM, "one", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 0);
  ASSERT_EQ(c->messages_dropped, 1);
  ASSERT_EQ(c->messages_sent, 0);
  ASSERT_EQ(w.ep[TC].nmsgs, 1); /* the other consumer is not paused */
  ASSERT_EQ(other->messages_sent, 1);
  dh_ref_ok(&w, BRAID_CMD_DATA_CONSUMER_RESUME, "dc");
  ASSERT(!c->paused);
  send_text(&w, TA, DP_STREAM, "two", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 1);
  expect_msg(&w, TB, 0, c->stream, BRAID_SCTP_PPID_STRING, "two", 3);
  ASSERT_EQ(c->messages_sent, 1);
  ASSERT_EQ(c->messages_dropped, 1);
  ASSERT_EQ(p->messages_received, 2);
  /* Created paused. */
  braid_cmd_data_consumer_create_t cc = dh_consumer_cmd("tb", "dc2", "dp");
  cc.paused = true;
  braid_data_consumer_t *c2 = dh_add_consumer_cmd(&w, &cc);
  ASSERT(c2->paused);
  send_text(&w, TA, DP_STREAM, "three", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(c2->messages_dropped, 1);
  ASSERT_EQ(w.ep[TB].nmsgs, 2); /* from dc only */
  ASSERT_EQ(w.ep[TB].msgs[1].stream, c->stream);
  dh_world_cleanup(&w);
}

/* ---- 6. stream allocation ------------------------------------------------------ */

static void expect_elimit(dh_world_t *w, const char *transport, const char *id, const char *dp) {
  dh_reply_t r;
  braid_cmd_data_consumer_create_t cc = dh_consumer_cmd(transport, id, dp);
  dh_consumer_create(w, &cc, &r);
  ASSERT(!r.ok);
  ASSERT_EQ(r.code, BRAID_ELIMIT);
  ASSERT(strstr(r.reason, "no free SCTP stream") != NULL);
  ASSERT(dh_data_consumer(w, id) == NULL);
}

BRAID_TEST(streams_round_robin_skip_producers_and_run_out) {
  /* tb asks for 6 outgoing streams and has a data producer on stream 2. */
  dh_world_t w;
  dh_world_init(&w);
  dh_sctp_opts_t six = {.os = 6};
  dh_transport_add(&w, TA, "ta", "r1", NULL);
  dh_transport_add(&w, TB, "tb", "r1", &six);
  dh_add_producer(&w, "ta", "dp", DP_STREAM);
  dh_add_producer(&w, "tb", "dpb", 2);
  static const char *ids[] = {"c0", "c1", "c3", "c4", "c5"};
  static const uint16_t want[] = {0, 1, 3, 4, 5};
  braid_data_consumer_t *c[5];
  for (int i = 0; i < 5; i++) {
    c[i] = dh_add_consumer(&w, "tb", ids[i], "dp");
    ASSERT_EQ(c[i]->stream, want[i]);
  }
  expect_elimit(&w, "tb", "c6", "dp");
  /* Freed on close; the search goes on round robin from the last pick. */
  dh_ref_ok(&w, BRAID_CMD_DATA_CONSUMER_CLOSE, "c1");
  dh_ref_ok(&w, BRAID_CMD_DATA_CONSUMER_CLOSE, "c4");
  braid_data_consumer_t *n1 = dh_add_consumer(&w, "tb", "n1", "dp");
  ASSERT_EQ(n1->stream, 1);
  braid_data_consumer_t *n4 = dh_add_consumer(&w, "tb", "n4", "dp");
  ASSERT_EQ(n4->stream, 4);
  expect_elimit(&w, "tb", "c6", "dp");
  /* A data producer's stream is freed on close too. */
  dh_ref_ok(&w, BRAID_CMD_DATA_PRODUCER_CLOSE, "dpb");
  braid_data_consumer_t *n2 = dh_add_consumer(&w, "tb", "n2", "dp");
  ASSERT_EQ(n2->stream, 2);
  expect_elimit(&w, "tb", "c6", "dp");
  ASSERT_EQ(braid_map_size(w.md.data_consumers), 6);
  /* The producer's transport has its own streams. */
  braid_data_consumer_t *a0 = dh_add_consumer(&w, "ta", "a0", "dp");
  ASSERT_EQ(a0->stream, 0);
  dh_world_cleanup(&w);
}

BRAID_TEST(streams_limited_by_what_the_remote_accepts) {
  /* tb asks for 1024 outgoing streams, B accepts 3: once connected, the
   * picks stay below 3. */
  dh_world_t w;
  dh_world_init(&w);
  dh_sctp_opts_t few = {.ep_mis = 3};
  dh_transport_add(&w, TA, "ta", "r1", NULL);
  dh_transport_add(&w, TB, "tb", "r1", &few);
  dh_connect(&w, TA);
  dh_connect(&w, TB);
  ASSERT_EQ(braid_sctp_assoc_out_streams(braid_data_transport_assoc(w.t[TB]->media.data)), 3);
  dh_add_producer(&w, "ta", "dp", DP_STREAM);
  for (int i = 0; i < 3; i++) {
    char id[8] = {'c', (char)('0' + i)};
    ASSERT_EQ(dh_add_consumer(&w, "tb", id, "dp")->stream, i);
  }
  expect_elimit(&w, "tb", "c3", "dp");
  send_text(&w, TA, DP_STREAM, "all three", NULL);
  dh_advance(&w, 500);
  ASSERT_EQ(w.ep[TB].nmsgs, 3);
  unsigned seen = 0;
  for (size_t i = 0; i < 3; i++)
    seen |= 1u << w.ep[TB].msgs[i].stream;
  ASSERT_EQ(seen, 7); /* streams 0, 1 and 2 */
  dh_world_cleanup(&w);
}

BRAID_TEST(is_sctp) {
  uint8_t pkt[16] = {0x13, 0x88, 0x13, 0x88};
  ASSERT(braid_data_transport_is_sctp(pkt, 12));
  ASSERT(braid_data_transport_is_sctp(pkt, sizeof pkt));
  ASSERT(!braid_data_transport_is_sctp(pkt, 11));
  pkt[3] = 0x89;
  ASSERT(!braid_data_transport_is_sctp(pkt, sizeof pkt));
  uint8_t rtp[16] = {0x80, 0x60};
  ASSERT(!braid_data_transport_is_sctp(rtp, sizeof rtp));
}

/* clang-format off */
BRAID_TEST_LIST(BRAID_TEST_ENTRY(every_kind_of_message_reaches_the_consumer)
                BRAID_TEST_ENTRY(two_consumers_of_one_producer)
                BRAID_TEST_ENTRY(message_without_producer_is_counted_and_dropped)
                BRAID_TEST_ENTRY(ordered_and_unordered_consumers)
                BRAID_TEST_ENTRY(max_retransmits_consumer_abandons_a_lost_message)
                BRAID_TEST_ENTRY(max_packet_life_time_consumer_abandons_a_stale_message)
                BRAID_TEST_ENTRY(message_over_the_consumers_maximum_is_dropped)
                BRAID_TEST_ENTRY(consumer_not_connected_drops_and_counts)
                BRAID_TEST_ENTRY(dcep_open_is_answered_with_an_ack)
                BRAID_TEST_ENTRY(malformed_dcep_is_counted)
                BRAID_TEST_ENTRY(pause_and_resume_producer)
                BRAID_TEST_ENTRY(pause_and_resume_consumer)
                BRAID_TEST_ENTRY(streams_round_robin_skip_producers_and_run_out)
                BRAID_TEST_ENTRY(streams_limited_by_what_the_remote_accepts)
                BRAID_TEST_ENTRY(is_sctp))
/* clang-format on */
