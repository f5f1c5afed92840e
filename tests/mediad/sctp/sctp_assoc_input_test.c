/* Unit tests of mediad/sctp/sctp_assoc.c, part 3: bad input (random
 * bytes, truncated and altered packets, the INIT that hangs usrsctp
 * 0.9.5), the end of an association (ABORT from the peer, a peer that
 * never answers), and what callbacks may do (send, free, re-enter). */
#include "tests/mediad/sctp/sctp_assoc_harness.h"

static uint32_t rnd(uint32_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

/* Takes the oldest queued packet out of the network (a copy, caller frees). */
static uint8_t *net_take(net_t *n, size_t *len) {
  ASSERT(n->count > 0);
  pkt_t q = n->q[n->head];
  n->head = (n->head + 1) % QMAX;
  n->count--;
  *len = q.len;
  return q.data;
}

static void assert_still_works(net_t *n) {
  int before = n->p[B].nmsgs;
  ASSERT_EQ(
      braid_sctp_assoc_send(n->p[A].a, 1, BRAID_SCTP_PPID_STRING, (const uint8_t *)"ok", 2, NULL),
      0);
  net_settle(n);
  ASSERT_EQ(n->p[B].nmsgs, before + 1);
  ASSERT_EQ(braid_sctp_assoc_state(n->p[B].a), BRAID_SCTP_STATE_CONNECTED);
}

BRAID_TEST(random_bytes_change_nothing) {
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  net_settle(&n);
  braid_sctp_assoc_t *b = n.p[B].a;
  uint64_t dropped = braid_sctp_assoc_stats(b)->rx_dropped;
  uint64_t handed = braid_sctp_assoc_stats(b)->rx_packets;
  uint32_t x = 0x2545f491;
  uint8_t buf[2048];
  int refused = 0, passed = 0;
  for (int i = 0; i < 3000; i++) {
    size_t len = rnd(&x) % sizeof buf;
    for (size_t k = 0; k < len; k++)
      buf[k] = (uint8_t)rnd(&x);
    if (i % 2 == 1 && len >= BRAID_SCTP_PACKET_MIN) {
      /* Our ports and a valid checksum: only usrsctp can refuse it (the
       * verification tag is random, so it does). */
      buf[0] = buf[2] = 0x13;
      buf[1] = buf[3] = 0x88;
      if (i % 4 == 1) {
        /* One chunk covering the packet, of a type without parameters. */
        buf[12] = (uint8_t)(rnd(&x) % 2 == 0 ? BRAID_SCTP_CHUNK_DATA : BRAID_SCTP_CHUNK_SACK);
        buf[14] = (uint8_t)((len - 12) >> 8);
        buf[15] = (uint8_t)(len - 12);
      }
      braid_sctp_packet_set_crc(buf, len);
    }
    int rc = braid_sctp_assoc_receive(b, buf, len);
    ASSERT(rc == 0 || braid_err_is_input(rc));
    rc == 0 ? passed++ : refused++;
  }
  ASSERT(refused > 1500 && passed > 0);
  ASSERT_EQ(braid_sctp_assoc_stats(b)->rx_dropped, dropped + (uint64_t)refused);
  ASSERT_EQ(braid_sctp_assoc_stats(b)->rx_packets, handed + (uint64_t)passed);
  ASSERT_EQ(braid_sctp_assoc_stats(b)->msgs_rx, 0);
  ASSERT_EQ(n.p[B].nstates, 2); /* connecting, connected: nothing since */
  assert_still_works(&n);
  net_free(&n);
}

BRAID_TEST(truncated_packets_change_nothing) {
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  net_settle(&n);
  /* A real DATA packet from A, taken off the wire. */
  ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 2, BRAID_SCTP_PPID_STRING,
                                  (const uint8_t *)"intact message", 14, NULL),
            0);
  size_t len = 0;
  uint8_t *pkt = net_take(&n, &len);
  braid_sctp_assoc_t *b = n.p[B].a;
  uint64_t dropped = braid_sctp_assoc_stats(b)->rx_dropped;
  for (size_t cut = 0; cut < len; cut++) {
    uint8_t *copy = malloc(cut > 0 ? cut : 1); /* exact size: ASan sees overreads */
    memcpy(copy, pkt, cut);
    ASSERT(braid_err_is_input(braid_sctp_assoc_receive(b, cut > 0 ? copy : NULL, cut)));
    free(copy);
  }
  ASSERT_EQ(braid_sctp_assoc_stats(b)->rx_dropped, dropped + len);
  ASSERT_EQ(n.p[B].nmsgs, 0);
  /* One flipped bit: the checksum catches it. */
  pkt[len - 1] ^= 1;
  ASSERT_EQ(braid_sctp_assoc_receive(b, pkt, len), BRAID_EMALFORMED);
  pkt[len - 1] ^= 1;
  /* Ports other than ours (checksum fixed): refused before usrsctp. */
  uint8_t *other = malloc(len);
  memcpy(other, pkt, len);
  other[3] = 0x89;
  braid_sctp_packet_set_crc(other, len);
  ASSERT_EQ(braid_sctp_assoc_receive(b, other, len), BRAID_EMALFORMED);
  free(other);
  /* The intact packet still gets through. */
  ASSERT_EQ(braid_sctp_assoc_receive(b, pkt, len), 0);
  ASSERT_EQ(n.p[B].nmsgs, 1);
  ASSERT_MEM_EQ(n.p[B].msgs[0].data, "intact message", 14);
  free(pkt);
  assert_still_works(&n);
  net_free(&n);
}

BRAID_TEST(init_with_zero_length_parameter) {
  /* usrsctp 0.9.5 loops forever on this INIT once an association is up
   * (sctp_are_there_new_addresses(), see sctp_packet.c; checked by hand
   * with usrsctp_conninput() and an alarm): it must be refused before
   * usrsctp sees it. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  static const uint8_t init[] = {
      0x13, 0x88, 0x13, 0x88, /* ports 5000 -> 5000 */
      0x00, 0x00, 0x00, 0x00, /* Verification Tag: 0, as INIT requires */
      0x00, 0x00, 0x00, 0x00, /* Checksum (set below) */
      0x01, 0x00, 0x00, 0x18, /* INIT, length 24 */
      0x11, 0x22, 0x33, 0x44, /*   Initiate Tag */
      0x00, 0x02, 0x00, 0x00, /*   a_rwnd */
      0x04, 0x00, 0x04, 0x00, /*   OS 1024, MIS 1024 */
      0x00, 0x00, 0x00, 0x01, /*   Initial TSN */
      0x80, 0x08, 0x00, 0x00, /*   Supported Extensions parameter of length 0 */
  };
  uint8_t pkt[sizeof init];
  memcpy(pkt, init, sizeof pkt);
  braid_sctp_packet_set_crc(pkt, sizeof pkt);
  ASSERT_EQ(braid_sctp_assoc_receive(n.p[B].a, pkt, sizeof pkt), BRAID_EMALFORMED);
  assert_still_works(&n);
  net_free(&n);
}

BRAID_TEST(abort_from_the_peer) {
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  net_settle(&n);
  /* A's packets carry B's verification tag: an ABORT with it is genuine. */
  uint8_t abort_pkt[16] = {
      0x13, 0x88, 0x13, 0x88, /* ports 5000 -> 5000 */
      0x00, 0x00, 0x00, 0x00, /* Verification Tag (set below) */
      0x00, 0x00, 0x00, 0x00, /* Checksum (set below) */
      0x06, 0x00, 0x00, 0x04, /* ABORT, no cause */
  };
  uint32_t tag = n.p[A].vtag_seen;
  for (int i = 0; i < 4; i++)
    abort_pkt[4 + i] = (uint8_t)(tag >> (24 - 8 * i));
  braid_sctp_packet_set_crc(abort_pkt, sizeof abort_pkt);
  braid_sctp_assoc_t *b = n.p[B].a;
  ASSERT_EQ(braid_sctp_assoc_receive(b, abort_pkt, sizeof abort_pkt), 0);
  ASSERT_EQ(braid_sctp_assoc_state(b), BRAID_SCTP_STATE_CLOSED);
  ASSERT_EQ(n.p[B].states[n.p[B].nstates - 1], BRAID_SCTP_STATE_CLOSED);
  ASSERT(braid_sctp_assoc_reason(b) != NULL);
  /* Closed: nothing more in or out. */
  ASSERT_EQ(braid_sctp_assoc_receive(b, abort_pkt, sizeof abort_pkt), BRAID_ECLOSED);
  ASSERT_EQ(braid_sctp_assoc_send(b, 0, BRAID_SCTP_PPID_STRING, (const uint8_t *)"x", 1, NULL),
            BRAID_ESTATE);
  ASSERT_EQ(braid_sctp_assoc_reset_stream(b, 0), BRAID_ESTATE);
  net_free(&n);
}

BRAID_TEST(peer_never_answers) {
  /* INIT retransmissions give up after 8 attempts (about 4.5 min with
   * usrsctp's 3 s initial RTO, doubling up to 60 s): "failed". */
  net_t n;
  net_init(&n, NULL);
  n.p[A].drop = true;
  ASSERT_EQ(braid_sctp_assoc_connect(n.p[A].a), 0);
  for (int i = 0; i < 600 && braid_sctp_assoc_state(n.p[A].a) != BRAID_SCTP_STATE_FAILED; i++)
    net_advance(&n, 1000);
  ASSERT_EQ(braid_sctp_assoc_state(n.p[A].a), BRAID_SCTP_STATE_FAILED);
  ASSERT(n.p[A].sent >= 8);
  ASSERT_EQ(n.p[A].nstates, 2);
  ASSERT_EQ(n.p[A].states[1], BRAID_SCTP_STATE_FAILED);
  ASSERT(braid_sctp_assoc_reason(n.p[A].a) != NULL);
  ASSERT_EQ(braid_sctp_assoc_receive(n.p[A].a, (const uint8_t *)"x", 1), BRAID_ECLOSED);
  net_free(&n);
}

BRAID_TEST(send_from_on_message) {
  /* B answers every message from inside on_message. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  n.p[B].echo = true;
  for (int i = 0; i < 20; i++) {
    uint8_t b[3] = {'e', (uint8_t)i, 0};
    ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, (uint16_t)i, BRAID_SCTP_PPID_BINARY, b, 3, NULL), 0);
  }
  net_settle(&n);
  ASSERT_EQ(n.p[A].nmsgs, 20);
  for (int i = 0; i < 20; i++) {
    ASSERT_EQ(n.p[A].msgs[i].stream, i);
    ASSERT_EQ(n.p[A].msgs[i].data[1], i);
  }
  net_free(&n);
}

BRAID_TEST(receive_from_on_message) {
  /* B feeds the packets still queued (to A and to itself) from inside
   * on_message: the calls nest, and everything arrives once, in order. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  n.p[B].flush_on_message = true;
  n.p[B].echo = true;
  for (int i = 0; i < 30; i++) {
    uint8_t b[2] = {'r', (uint8_t)i};
    ASSERT_EQ(braid_sctp_assoc_send(n.p[A].a, 3, BRAID_SCTP_PPID_BINARY, b, 2, NULL), 0);
  }
  net_settle(&n);
  ASSERT_EQ(n.p[B].nmsgs, 30);
  ASSERT_EQ(n.p[A].nmsgs, 30);
  for (int i = 0; i < 30; i++) {
    ASSERT_EQ(n.p[B].msgs[i].data[1], i);
    ASSERT_EQ(n.p[A].msgs[i].data[1], i);
  }
  net_free(&n);
}

BRAID_TEST(free_from_on_message) {
  /* B frees itself inside on_message while more messages are queued in
   * the same delivery: no callback after the free, no use after free. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  net_settle(&n);
  n.p[B].free_on_message = true;
  n.p[A].drop = true; /* hold the packets, then deliver them together */
  for (int i = 0; i < 5; i++)
    ASSERT_EQ(
        braid_sctp_assoc_send(n.p[A].a, 1, BRAID_SCTP_PPID_BINARY, (const uint8_t *)"m", 1, NULL),
        0);
  n.p[A].drop = false;
  net_wait_msgs(&n, B, 1); /* retransmitted together */
  ASSERT_EQ(n.p[B].nmsgs, 1);
  ASSERT_EQ(braid_sctp_global_assoc_count(), 1);
  net_free(&n);
}

BRAID_TEST(free_from_send_packet) {
  /* A frees itself inside send_packet, during its own _send(): the send
   * returns normally and A is gone when it does. */
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  n.p[A].free_on_send = true;
  int rc =
      braid_sctp_assoc_send(n.p[A].a, 1, BRAID_SCTP_PPID_STRING, (const uint8_t *)"last", 4, NULL);
  ASSERT_EQ(rc, 0);
  ASSERT(n.p[A].freed);
  ASSERT_EQ(braid_sctp_global_assoc_count(), 1);
  net_free(&n);
}

BRAID_TEST(free_from_on_state) {
  net_t n;
  net_init(&n, NULL);
  n.p[B].free_on_state_connected = true;
  ASSERT_EQ(braid_sctp_assoc_connect(n.p[A].a), 0);
  ASSERT_EQ(braid_sctp_assoc_connect(n.p[B].a), 0);
  net_advance(&n, 1000);
  ASSERT(n.p[B].freed);
  ASSERT_EQ(braid_sctp_global_assoc_count(), 1);
  net_free(&n);
}

BRAID_TEST(no_reentry_from_send_packet) {
  net_t n;
  net_init(&n, NULL);
  net_connect(&n);
  n.p[A].receive_from_send = true;
  ASSERT_EQ(
      braid_sctp_assoc_send(n.p[A].a, 1, BRAID_SCTP_PPID_STRING, (const uint8_t *)"x", 1, NULL), 0);
  ASSERT_EQ(n.p[A].rc_in_send, BRAID_ESTATE);
  n.p[A].receive_from_send = false;
  net_settle(&n);
  ASSERT_EQ(n.p[B].nmsgs, 1);
  net_free(&n);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(random_bytes_change_nothing)
    BRAID_TEST_ENTRY(truncated_packets_change_nothing)
    BRAID_TEST_ENTRY(init_with_zero_length_parameter)
    BRAID_TEST_ENTRY(abort_from_the_peer)
    BRAID_TEST_ENTRY(peer_never_answers)
    BRAID_TEST_ENTRY(send_from_on_message)
    BRAID_TEST_ENTRY(receive_from_on_message)
    BRAID_TEST_ENTRY(free_from_on_message)
    BRAID_TEST_ENTRY(free_from_send_packet)
    BRAID_TEST_ENTRY(free_from_on_state)
    BRAID_TEST_ENTRY(no_reentry_from_send_packet)
)
/* clang-format on */
