/* Unit tests of mediad/sctp/sctp_reasm.c: whole messages pass without a
 * copy, pieces are glued, messages over the maximum are dropped whole, and
 * an aborted or interrupted message never leaks into the next one. */
#include "mediad/sctp/sctp_reasm.h"

#include "tests/test.h"

/* Pushes a piece and returns the message length when one is ready, or -1. */
static long push(braid_sctp_reasm_t *r, uint16_t sid, const void *data, size_t len, bool eor,
                 const uint8_t **msg) {
  size_t n = 0;
  if (!braid_sctp_reasm_push(r, sid, data, len, eor, msg, &n)) return -1;
  return (long)n;
}

BRAID_TEST(whole_message_is_not_copied) {
  braid_sctp_reasm_t r;
  braid_sctp_reasm_init(&r, 100);
  const uint8_t *msg = NULL;
  static const uint8_t hello[] = "hello";
  ASSERT_EQ(push(&r, 3, hello, 5, true, &msg), 5);
  ASSERT(msg == hello);
  ASSERT(r.buf == NULL); /* nothing allocated */
  /* Exactly the maximum passes too. */
  static uint8_t max[100];
  ASSERT_EQ(push(&r, 3, max, 100, true, &msg), 100);
  ASSERT(msg == max);
  braid_sctp_reasm_cleanup(&r);
}

BRAID_TEST(pieces_are_glued) {
  braid_sctp_reasm_t r;
  braid_sctp_reasm_init(&r, 1 << 20);
  /* 300 KB in pieces of 64 KiB and a tail, as usrsctp delivers them. */
  size_t total = 300000, piece = 65536;
  uint8_t *src = malloc(total);
  for (size_t i = 0; i < total; i++)
    src[i] = (uint8_t)(i * 7 + 3);
  const uint8_t *msg = NULL;
  for (size_t off = 0; off < total; off += piece) {
    size_t n = total - off < piece ? total - off : piece;
    bool eor = off + n == total;
    long got = push(&r, 9, src + off, n, eor, &msg);
    ASSERT_EQ(got, eor ? (long)total : -1);
  }
  ASSERT_MEM_EQ(msg, src, total);
  ASSERT(r.cap >= total && r.cap <= (size_t)1 << 20);
  /* The buffer is reused for the next message. */
  uint8_t *buf = r.buf;
  ASSERT_EQ(push(&r, 9, "ab", 2, false, &msg), -1);
  ASSERT_EQ(push(&r, 9, "cd", 2, true, &msg), 4);
  ASSERT_MEM_EQ(msg, "abcd", 4);
  ASSERT(r.buf == buf);
  ASSERT_EQ(r.too_big + r.broken, 0);
  free(src);
  braid_sctp_reasm_cleanup(&r);
}

BRAID_TEST(too_big_is_dropped_whole) {
  braid_sctp_reasm_t r;
  braid_sctp_reasm_init(&r, 10);
  const uint8_t *msg = NULL;
  static const uint8_t bytes[32] = {0};
  /* In one piece. */
  ASSERT_EQ(push(&r, 1, bytes, 11, true, &msg), -1);
  ASSERT_EQ(r.too_big, 1);
  /* In pieces: the first three fit, the fourth goes over; the rest of the
   * message is discarded, and the next message arrives intact. */
  ASSERT_EQ(push(&r, 1, bytes, 3, false, &msg), -1);
  ASSERT_EQ(push(&r, 1, bytes, 3, false, &msg), -1);
  ASSERT_EQ(push(&r, 1, bytes, 3, false, &msg), -1);
  ASSERT_EQ(push(&r, 1, bytes, 3, false, &msg), -1);
  ASSERT_EQ(r.too_big, 2);
  ASSERT_EQ(push(&r, 1, bytes, 1, false, &msg), -1);
  ASSERT_EQ(push(&r, 1, bytes, 1, true, &msg), -1); /* end of the dropped one */
  ASSERT_EQ(r.too_big, 2);
  ASSERT_EQ(push(&r, 1, "next", 4, true, &msg), 4);
  ASSERT_MEM_EQ(msg, "next", 4);
  /* A first piece already too big. */
  ASSERT_EQ(push(&r, 2, bytes, 20, false, &msg), -1);
  ASSERT_EQ(push(&r, 2, bytes, 1, true, &msg), -1);
  ASSERT_EQ(r.too_big, 3);
  /* The last piece makes it too big. */
  ASSERT_EQ(push(&r, 2, bytes, 8, false, &msg), -1);
  ASSERT_EQ(push(&r, 2, bytes, 3, true, &msg), -1);
  ASSERT_EQ(r.too_big, 4);
  ASSERT_EQ(push(&r, 2, "ok", 2, true, &msg), 2);
  ASSERT_EQ(r.broken, 0);
  braid_sctp_reasm_cleanup(&r);
}

BRAID_TEST(abort_and_interruptions) {
  braid_sctp_reasm_t r;
  braid_sctp_reasm_init(&r, 100);
  const uint8_t *msg = NULL;
  /* usrsctp aborted a partial delivery. */
  ASSERT_EQ(push(&r, 1, "part", 4, false, &msg), -1);
  braid_sctp_reasm_abort(&r);
  ASSERT_EQ(r.broken, 1);
  ASSERT_EQ(push(&r, 1, "new", 3, true, &msg), 3);
  ASSERT_MEM_EQ(msg, "new", 3);
  braid_sctp_reasm_abort(&r); /* nothing open: not counted */
  ASSERT_EQ(r.broken, 1);
  /* A piece of another stream while a message is open. */
  ASSERT_EQ(push(&r, 1, "part", 4, false, &msg), -1);
  ASSERT_EQ(push(&r, 2, "other", 5, true, &msg), 5);
  ASSERT_MEM_EQ(msg, "other", 5);
  ASSERT_EQ(r.broken, 2);
  /* Skipping: the rest of stream 4's message is discarded. */
  ASSERT_EQ(push(&r, 4, "aa", 2, false, &msg), -1);
  braid_sctp_reasm_skip(&r, 4);
  ASSERT_EQ(r.broken, 3);
  ASSERT_EQ(push(&r, 4, "bb", 2, false, &msg), -1);
  ASSERT_EQ(push(&r, 4, "cc", 2, true, &msg), -1);
  ASSERT_EQ(push(&r, 4, "dd", 2, true, &msg), 2);
  ASSERT_MEM_EQ(msg, "dd", 2);
  /* Skipping, then another stream: the skip ends there. */
  braid_sctp_reasm_skip(&r, 5);
  ASSERT_EQ(push(&r, 6, "ee", 2, true, &msg), 2);
  braid_sctp_reasm_cleanup(&r);
}

BRAID_TEST(empty_pieces) {
  braid_sctp_reasm_t r;
  braid_sctp_reasm_init(&r, 8);
  const uint8_t *msg = NULL;
  ASSERT_EQ(push(&r, 1, NULL, 0, false, &msg), -1);
  ASSERT_EQ(push(&r, 1, "x", 1, false, &msg), -1);
  ASSERT_EQ(push(&r, 1, NULL, 0, true, &msg), 1);
  ASSERT_EQ(msg[0], 'x');
  braid_sctp_reasm_cleanup(&r);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(whole_message_is_not_copied)
    BRAID_TEST_ENTRY(pieces_are_glued)
    BRAID_TEST_ENTRY(too_big_is_dropped_whole)
    BRAID_TEST_ENTRY(abort_and_interruptions)
    BRAID_TEST_ENTRY(empty_pieces)
)
/* clang-format on */
