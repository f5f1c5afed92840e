/*
 * Helpers shared by the proto/ unit tests: robustness loops every decoder
 * runs (truncation, corruption), a counting allocator that fails the N-th
 * call (STYLE.md rule 39), and a msgpack builder for hand-made messages.
 *
 * Inputs are copied into heap blocks of exactly their length, so that under
 * ASan a decoder reading one byte too far fails the test.
 */
#ifndef BRAID_TESTS_PROTO_PROTO_TEST_H
#define BRAID_TESTS_PROTO_PROTO_TEST_H

#include <msgpack.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/mem.h"
#include "common/str.h"
#include "tests/test.h"

/* A decoder under test: decodes data into a local struct, and on success
 * asserts that every view it returned lies inside data. */
typedef int (*proto_test_decode_fn)(const uint8_t *data, size_t len, const char **why);

/* A copy of p[0..len) in a block of exactly len bytes (caller frees). */
static inline uint8_t *proto_test_dup(const uint8_t *p, size_t len) {
  uint8_t *c = malloc(len);
  if (c == NULL && len > 0) BRAID_TEST_FAIL("out of memory");
  if (len > 0) memcpy(c, p, len);
  return c;
}

/* Asserts that s is empty or lies within data[0..len). */
static inline void proto_test_view_in(braid_str_t s, const uint8_t *data, size_t len) {
  if (s.len == 0) return;
  const char *lo = (const char *)data, *hi = (const char *)data + len;
  if (s.p < lo || s.p > hi || s.len > (size_t)(hi - s.p))
    BRAID_TEST_FAIL("view of %zu bytes points outside the input", s.len);
}

/* Every strict prefix of a valid message fails with BRAID_ETRUNC and a
 * reason. */
static inline void proto_test_truncations(proto_test_decode_fn fn, const uint8_t *msg,
                                          size_t len) {
  for (size_t n = 0; n < len; n++) {
    uint8_t *c = proto_test_dup(msg, n);
    const char *why = NULL;
    int rc = fn(c, n, &why);
    if (rc != BRAID_ETRUNC) BRAID_TEST_FAIL("prefix %zu/%zu: got %d, want ETRUNC", n, len, rc);
    ASSERT(why != NULL);
    free(c);
  }
  const char *why = NULL;
  uint8_t *c = proto_test_dup(msg, len);
  ASSERT_EQ(fn(c, len, &why), 0);
  free(c);
}

/* Every single-byte change at every offset either decodes or fails with a
 * malformed-band code and a reason; never crashes or reads out of bounds.
 * Returns how many of the variants decoded. */
static inline size_t proto_test_corruptions(proto_test_decode_fn fn, const uint8_t *msg,
                                            size_t len) {
  size_t decoded = 0;
  uint8_t *c = proto_test_dup(msg, len);
  for (size_t off = 0; off < len; off++) {
    for (unsigned v = 0; v < 256; v++) {
      if (v == msg[off]) continue;
      c[off] = (uint8_t)v;
      const char *why = NULL;
      int rc = fn(c, len, &why);
      if (rc == 0) {
        decoded++;
      } else {
        if (!braid_err_is_input(rc)) BRAID_TEST_FAIL("offset %zu value %u: code %d", off, v, rc);
        if (why == NULL) BRAID_TEST_FAIL("offset %zu value %u: no reason", off, v);
      }
    }
    c[off] = msg[off];
  }
  free(c);
  return decoded;
}

/* Decodes a copy and checks the code and, if want_why is not NULL, the
 * reason. */
static inline void proto_test_expect(proto_test_decode_fn fn, const uint8_t *msg, size_t len,
                                     int want_rc, const char *want_why) {
  uint8_t *c = proto_test_dup(msg, len);
  const char *why = NULL;
  int rc = fn(c, len, &why);
  free(c);
  if (rc != want_rc)
    BRAID_TEST_FAIL("got %d (%s), want %d", rc, why ? why : "-", want_rc);
  if (want_why != NULL) ASSERT_STR_EQ(why, want_why);
}

/* The counting allocator. proto_test_fail_at = N makes the N-th call fail
 * (1-based; 0 never fails); proto_test_live counts blocks not yet freed. */
static int proto_test_fail_at;
static int proto_test_calls;
static int proto_test_live;

static inline void *proto_test_malloc(size_t n) {
  if (++proto_test_calls == proto_test_fail_at) return NULL;
  void *p = malloc(n);
  if (p != NULL) proto_test_live++;
  return p;
}

static inline void *proto_test_realloc(void *p, size_t n) {
  if (++proto_test_calls == proto_test_fail_at) return NULL;
  void *q = realloc(p, n);
  if (q != NULL && p == NULL) proto_test_live++;
  return q;
}

static inline void proto_test_free(void *p) {
  if (p != NULL) proto_test_live--;
  free(p);
}

/* Installs the counting allocator, failing call n. */
static inline void proto_test_alloc_fail(int n) {
  static const braid_mem_hooks_t hooks = {proto_test_malloc, proto_test_realloc, proto_test_free};
  proto_test_fail_at = n;
  proto_test_calls = 0;
  proto_test_live = 0;
  braid_mem_set_hooks(&hooks);
}

/* A msgpack builder for hand-made (often deliberately wrong) messages,
 * using msgpack-c's own buffer. */
typedef struct proto_test_mb {
  msgpack_sbuffer sb;
  msgpack_packer pk;
} proto_test_mb_t;

static inline void mb_init(proto_test_mb_t *b) {
  msgpack_sbuffer_init(&b->sb);
  msgpack_packer_init(&b->pk, &b->sb, msgpack_sbuffer_write);
}

static inline void mb_destroy(proto_test_mb_t *b) { msgpack_sbuffer_destroy(&b->sb); }

static inline void mb_str(proto_test_mb_t *b, const char *s) {
  size_t n = strlen(s);
  msgpack_pack_str(&b->pk, n);
  msgpack_pack_str_body(&b->pk, s, n);
}

/* A string of n copies of c. */
static inline void mb_str_n(proto_test_mb_t *b, char c, size_t n) {
  char *s = malloc(n + 1);
  memset(s, c, n);
  s[n] = '\0';
  mb_str(b, s);
  free(s);
}

static inline void mb_kv_str(proto_test_mb_t *b, const char *k, const char *v) {
  mb_str(b, k);
  mb_str(b, v);
}

static inline void mb_kv_u64(proto_test_mb_t *b, const char *k, uint64_t v) {
  mb_str(b, k);
  msgpack_pack_uint64(&b->pk, v);
}

/* n arrays nested in one another, the innermost empty. */
static inline void mb_nested(proto_test_mb_t *b, int n) {
  for (int i = 0; i < n; i++) msgpack_pack_array(&b->pk, i + 1 < n ? 1 : 0);
}

static inline const uint8_t *mb_data(const proto_test_mb_t *b) {
  return (const uint8_t *)b->sb.data;
}

#endif
