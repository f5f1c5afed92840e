/* Unit tests of the internals of mediad/sctp/sctp_assoc.c and
 * sctp_global.c that a peer cannot reach on purpose: the event queue
 * filling up (the LOST marker, and a message cut by it never glued to the
 * next one), and stale conn addresses (ids) after an association is gone.
 * The test includes sctp_assoc.c to reach its static functions (STYLE.md
 * rule 38) and links the other files of the library. */
#include "mediad/sctp/sctp_assoc.c"

#include "tests/test.h"

static int delivered;
static size_t last_len;
static uint8_t last_first;

static void count_message(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid,
                          const uint8_t *data, size_t len, void *ud) {
  (void)a, (void)stream, (void)ppid, (void)ud;
  delivered++;
  last_len = len;
  last_first = len > 0 ? data[0] : 0;
}

static void no_send(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len, void *ud) {
  (void)a, (void)pkt, (void)len, (void)ud;
}

static const braid_sctp_callbacks_t cb = {.send_packet = no_send, .on_message = count_message};

/* Queues a piece as usrsctp's receive callback would (a malloc()ed copy). */
static void piece(braid_sctp_assoc_t *a, uint16_t sid, uint8_t byte, size_t len, bool eor) {
  uint8_t *data = malloc(len);
  memset(data, byte, len);
  rx_item_t it = {.data = data, .len = len, .ppid = 53, .sid = sid, .kind = ITEM_DATA, .eor = eor};
  enqueue(a, &it);
}

BRAID_TEST(queue_overflow) {
  braid_sctp_assoc_t *a = NULL;
  ASSERT_EQ(braid_sctp_assoc_new(&a, NULL, &cb, NULL), 0);
  /* A message left open by the queue's last slot... */
  for (int i = 0; i < BRAID_SCTP_RX_QUEUE_MAX - 1; i++)
    piece(a, 1, 'w', 1, true);
  piece(a, 2, 'p', 10, false);
  ASSERT_EQ(a->rxq_len, BRAID_SCTP_RX_QUEUE_MAX);
  /* ...whose next piece and a whole message are lost: */
  piece(a, 2, 'p', 10, false);
  piece(a, 3, 'x', 3, true);
  ASSERT_EQ(a->rxq_len, BRAID_SCTP_RX_QUEUE_MAX + 1); /* + the LOST marker */
  ASSERT_EQ(a->rxq[BRAID_SCTP_RX_QUEUE_MAX].kind, ITEM_LOST);
  ASSERT_EQ(a->stats.rx_queue_full, 2);
  braid__sctp_assoc_drain(a);
  ASSERT_EQ(delivered, BRAID_SCTP_RX_QUEUE_MAX - 1);
  ASSERT_EQ(a->rxq_len, 0);
  ASSERT_EQ(a->stats.rx_broken, 1); /* the open message was dropped */
  /* The last lost item ended a message: what follows is new and whole. */
  piece(a, 4, 'n', 5, true);
  braid__sctp_assoc_drain(a);
  ASSERT_EQ(delivered, BRAID_SCTP_RX_QUEUE_MAX);
  ASSERT_EQ(last_len, 5);
  ASSERT_EQ(last_first, 'n');
  braid_sctp_assoc_free(a);
}

BRAID_TEST(queue_overflow_inside_a_message) {
  braid_sctp_assoc_t *a = NULL;
  ASSERT_EQ(braid_sctp_assoc_new(&a, NULL, &cb, NULL), 0);
  for (int i = 0; i < BRAID_SCTP_RX_QUEUE_MAX; i++)
    piece(a, 1, 'w', 1, true);
  /* The middle of a message is lost: its tail, queued later, must not be
   * glued to anything. */
  piece(a, 5, 'm', 4, false);
  braid__sctp_assoc_drain(a);
  ASSERT_EQ(delivered, BRAID_SCTP_RX_QUEUE_MAX);
  piece(a, 5, 'm', 4, false);
  piece(a, 5, 'm', 4, true); /* the end of the cut message: dropped */
  piece(a, 5, 'z', 2, true); /* the next one: delivered */
  braid__sctp_assoc_drain(a);
  ASSERT_EQ(delivered, BRAID_SCTP_RX_QUEUE_MAX + 1);
  ASSERT_EQ(last_first, 'z');
  ASSERT_EQ(last_len, 2);
  braid_sctp_assoc_free(a);
}

BRAID_TEST(stale_ids_find_nothing) {
  braid_sctp_assoc_t *a = NULL, *b = NULL;
  ASSERT_EQ(braid_sctp_assoc_new(&a, NULL, &cb, NULL), 0);
  uintptr_t id = a->id;
  ASSERT(id != 0);
  ASSERT(braid__sctp_global_lookup(id) == a);
  braid_sctp_assoc_free(a);
  ASSERT(braid__sctp_global_lookup(id) == NULL);
  /* The table slot is reused (the only free one), with another generation:
   * the old id stays dead. */
  ASSERT_EQ(braid_sctp_assoc_new(&b, NULL, &cb, NULL), 0);
  ASSERT(b->id != id);
  ASSERT(braid__sctp_global_lookup(id) == NULL);
  ASSERT(braid__sctp_global_lookup(b->id) == b);
  ASSERT(braid__sctp_global_lookup(0) == NULL);
  ASSERT(braid__sctp_global_lookup(b->id + 1000) == NULL);
  /* usrsctp's callbacks for a stale id are ignored (and free its data). */
  struct sctp_rcvinfo rcv = {0};
  union sctp_sockstore addr;
  memset(&addr, 0, sizeof addr);
  ASSERT_EQ(on_usrsctp_recv(NULL, addr, malloc(8), 8, rcv, MSG_EOR, (void *)id), 1);
  ASSERT_EQ(on_usrsctp_send(NULL, 100, (void *)id), 0);
  braid_sctp_assoc_free(b);
  ASSERT_EQ(braid_sctp_global_assoc_count(), 0);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(queue_overflow)
    BRAID_TEST_ENTRY(queue_overflow_inside_a_message)
    BRAID_TEST_ENTRY(stale_ids_find_nothing)
)
/* clang-format on */
