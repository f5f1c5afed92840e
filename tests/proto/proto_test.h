/*
 * Helpers shared by the proto/ unit tests, so that each test file keeps only
 * what is specific to its messages:
 *
 *  - robustness loops every decoder runs: every truncation, every one-byte
 *    corruption, over a file's samples (its vectors and one encoding of each
 *    type), and decoding without an allocation;
 *  - a counting allocator that fails the N-th call (STYLE.md rule 39), and
 *    the out-of-memory loop over a run of encodings;
 *  - checks of one patched value of a valid message (the builder and the
 *    patcher are in proto_test_msgpack.h);
 *  - per message family (commands, events) the encode / compare / round-trip
 *    / vector checks, and for events the checking decoder and comparison.
 *
 * Inputs are copied into heap blocks of exactly their length, so that under
 * ASan a decoder reading one byte too far fails the test.
 */
#ifndef BRAID_TESTS_PROTO_PROTO_TEST_H
#define BRAID_TESTS_PROTO_PROTO_TEST_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/limits.h"
#include "common/mem.h"
#include "common/str.h"
#include "proto/cmd.h"
#include "proto/event.h"
#include "tests/proto/proto_test_msgpack.h"
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

/* a and b hold the same bytes (an empty view's pointer does not count). */
static inline bool str_same(braid_str_t a, braid_str_t b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* out holds exactly want[0..len). */
static inline void proto_test_buf_is(const braid_buf_t *out, const uint8_t *want, size_t len) {
  ASSERT_EQ(out->len, len);
  ASSERT_MEM_EQ(out->data, want, len);
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

/*
 * Samples: the valid messages the robustness loops run over, each in a
 * buffer of its own. A test file lists its vectors and one encoding of each
 * type in a fill function; a loop loads them, runs, and cleans up.
 */
enum { PROTO_TEST_SAMPLES_MAX = 24 };

typedef struct proto_test_samples {
  size_t n;
  braid_buf_t bufs[PROTO_TEST_SAMPLES_MAX]; /* owned */
  /* Long samples with nothing the others lack but size: their truncations
   * are enough (corrupting costs 255 decodes per byte). */
  bool truncate_only[PROTO_TEST_SAMPLES_MAX];
} proto_test_samples_t;

typedef void (*proto_test_fill_fn)(proto_test_samples_t *s);

/* A new empty sample, to encode into. */
static inline braid_buf_t *proto_test_sample_buf(proto_test_samples_t *s) {
  if (s->n == PROTO_TEST_SAMPLES_MAX) BRAID_TEST_FAIL("more than %zu samples", s->n);
  s->truncate_only[s->n] = false;
  braid_buf_init(&s->bufs[s->n], BRAID_PROTO_MAX_MSG);
  return &s->bufs[s->n++];
}

/* A copy of p[0..len), a vector, as a sample. */
static inline void proto_test_sample_bytes(proto_test_samples_t *s, const uint8_t *p, size_t len) {
  ASSERT_EQ(braid_buf_append(proto_test_sample_buf(s), p, len), 0);
}

static inline void proto_test_samples_load(proto_test_samples_t *s, proto_test_fill_fn fill) {
  s->n = 0;
  fill(s);
  if (s->n == 0) BRAID_TEST_FAIL("no samples");
}

static inline void proto_test_samples_cleanup(proto_test_samples_t *s) {
  for (size_t i = 0; i < s->n; i++) braid_buf_cleanup(&s->bufs[i]);
  s->n = 0;
}

/* Every sample passes proto_test_truncations(). */
static inline void proto_test_every_truncation(proto_test_decode_fn fn, proto_test_fill_fn fill) {
  proto_test_samples_t s;
  proto_test_samples_load(&s, fill);
  for (size_t i = 0; i < s.n; i++) proto_test_truncations(fn, s.bufs[i].data, s.bufs[i].len);
  proto_test_samples_cleanup(&s);
}

/* Every sample not marked truncate_only passes proto_test_corruptions(),
 * and some of its variants (a changed letter in an id) still decode. */
static inline void proto_test_every_corruption(proto_test_decode_fn fn, proto_test_fill_fn fill) {
  proto_test_samples_t s;
  proto_test_samples_load(&s, fill);
  for (size_t i = 0; i < s.n; i++) {
    if (s.truncate_only[i]) continue;
    if (proto_test_corruptions(fn, s.bufs[i].data, s.bufs[i].len) == 0)
      BRAID_TEST_FAIL("sample %zu: no corrupted variant decodes", i);
  }
  proto_test_samples_cleanup(&s);
}

/* Every sample decodes without a single allocation (STYLE.md rule 13). */
static inline void proto_test_decode_no_alloc(proto_test_decode_fn fn, proto_test_fill_fn fill) {
  proto_test_samples_t s;
  proto_test_samples_load(&s, fill);
  proto_test_alloc_fail(1);
  for (size_t i = 0; i < s.n; i++) {
    const char *why = NULL;
    int rc = fn(s.bufs[i].data, s.bufs[i].len, &why);
    if (rc != 0) BRAID_TEST_FAIL("sample %zu: %d (%s)", i, rc, why ? why : "-");
  }
  ASSERT_EQ(proto_test_calls, 0);
  braid_mem_set_hooks(NULL);
  proto_test_samples_cleanup(&s);
}

/* Starts out, a buffer for encoders that must refuse (BRAID_EINVAL): it
 * holds "keep" for proto_test_kept() to check. */
static inline void proto_test_keep(braid_buf_t *out) {
  braid_buf_init(out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(braid_buf_append(out, "keep", 4), 0);
}

/* Nothing was appended to out, and what was there is intact. */
static inline void proto_test_kept(const braid_buf_t *out) {
  ASSERT_EQ(out->len, 4);
  ASSERT_MEM_EQ(out->data, "keep", 4);
}

/*
 * The robustness tests of a test file, over its samples (fill) with its
 * checking decoder (decode), and their entries for BRAID_TEST_LIST().
 */
#define PROTO_TEST_ROBUSTNESS(decode, fill)                                                        \
  BRAID_TEST(every_truncation_fails) { proto_test_every_truncation(decode, fill); }                \
  BRAID_TEST(every_corruption_is_safe) { proto_test_every_corruption(decode, fill); }              \
  BRAID_TEST(decode_does_not_allocate) { proto_test_decode_no_alloc(decode, fill); }
#define PROTO_TEST_ROBUSTNESS_ENTRIES                                                              \
  BRAID_TEST_ENTRY(every_truncation_fails)                                                         \
  BRAID_TEST_ENTRY(every_corruption_is_safe)                                                       \
  BRAID_TEST_ENTRY(decode_does_not_allocate)

/* Encodes message i of a run into out; returns the encoder's code. */
typedef int (*proto_test_run_fn)(const void *ctx, size_t i, braid_buf_t *out);

/*
 * Encodes a run of n messages into one buffer (of maximum max) with the
 * counting allocator failing its k-th call, for k = 1, 2, ... until a run
 * needs fewer: every failure is BRAID_ENOMEM and leaves the messages encoded
 * before it whole, the same bytes as a run without failures, and nothing
 * leaks. At least min_failures of the runs must fail.
 */
static inline void proto_test_run_oom(proto_test_run_fn fn, const void *ctx, size_t n, size_t max,
                                      int min_failures) {
  braid_buf_t ref;
  size_t *ends = calloc(n + 1, sizeof *ends); /* ends[i]: the length of the first i messages */
  if (ends == NULL) BRAID_TEST_FAIL("out of memory");
  braid_buf_init(&ref, max);
  for (size_t i = 0; i < n; i++) {
    ASSERT_EQ(fn(ctx, i, &ref), 0);
    ends[i + 1] = ref.len;
  }
  int failures = 0;
  for (int k = 1; k < 100; k++) {
    braid_buf_t out;
    int rc = 0;
    size_t done = 0;
    proto_test_alloc_fail(k);
    braid_buf_init(&out, max);
    for (; done < n; done++)
      if ((rc = fn(ctx, done, &out)) != 0) break;
    if (rc != 0) {
      ASSERT_EQ(rc, BRAID_ENOMEM);
      failures++;
    }
    ASSERT_EQ(out.len, ends[done]);
    if (out.len > 0) ASSERT_MEM_EQ(out.data, ref.data, out.len);
    braid_buf_cleanup(&out);
    braid_mem_set_hooks(NULL);
    ASSERT_EQ(proto_test_live, 0);
    if (rc == 0) break; /* no allocation left to fail */
  }
  if (failures < min_failures) BRAID_TEST_FAIL("%d runs failed, want %d", failures, min_failures);
  free(ends);
  braid_buf_cleanup(&ref);
}

/* Decodes the message built (see proto_test_expect()) and destroys b. */
static inline void mb_expect(proto_test_decode_fn fn, proto_test_mb_t *b, int want_rc,
                             const char *want_why) {
  proto_test_expect(fn, mb_data(b), b->sb.size, want_rc, want_why);
  mb_destroy(b);
}

/* One patch of a valid message and what decoding it must give. */
typedef enum { PATCH_SET, PATCH_DEL, PATCH_ADD } proto_test_patch_op_t;

/* Applies op at path (v for SET and ADD) to a copy of msg and checks that
 * decoding gives want_rc and, if want_why is not NULL, that reason. */
static inline void proto_test_patch(proto_test_decode_fn fn, const uint8_t *msg, size_t len,
                                    proto_test_patch_op_t op, const char *path, msgpack_object v,
                                    int want_rc, const char *want_why) {
  proto_test_doc_t d;
  size_t n;
  doc_load(&d, msg, len);
  if (op == PATCH_DEL) doc_del(&d, path);
  else if (op == PATCH_ADD) doc_add(&d, path, v);
  else doc_set(&d, path, v);
  const uint8_t *p = doc_pack(&d, &n);
  uint8_t *c = proto_test_dup(p, n);
  const char *why = NULL;
  int rc = fn(c, n, &why);
  free(c);
  doc_free(&d);
  const char *name = op == PATCH_DEL ? "del" : op == PATCH_ADD ? "add" : "set";
  if (rc != want_rc)
    BRAID_TEST_FAIL("%s '%s': got %d (%s), want %d", name, path, rc, why ? why : "-", want_rc);
  if (want_why != NULL && (why == NULL || strcmp(why, want_why) != 0))
    BRAID_TEST_FAIL("%s '%s': reason \"%s\", want \"%s\"", name, path, why ? why : "(null)",
                    want_why);
}

/* The last segment of a patch path: the key's own name. */
static inline const char *proto_test_key_name(const char *path) {
  const char *dot = strrchr(path, '.');
  return dot != NULL ? dot + 1 : path;
}

/* Removing the key at path fails with BRAID_EMISSING, "missing key '<it>'". */
static inline void proto_test_missing(proto_test_decode_fn fn, const uint8_t *msg, size_t len,
                                      const char *path) {
  char why[96];
  snprintf(why, sizeof why, "missing key '%s'", proto_test_key_name(path));
  proto_test_patch(fn, msg, len, PATCH_DEL, path, mo_nil(), BRAID_EMISSING, why);
}

/* The string at path, limit bytes long, decodes; one byte longer, it fails
 * with BRAID_ETOOBIG, "key '<it>' is too long". */
static inline void proto_test_string_limit(proto_test_decode_fn fn, const uint8_t *msg, size_t len,
                                           const char *path, size_t limit) {
  proto_test_doc_t zone; /* owns the long strings */
  char why[96];
  doc_load(&zone, msg, len);
  snprintf(why, sizeof why, "key '%s' is too long", proto_test_key_name(path));
  proto_test_patch(fn, msg, len, PATCH_SET, path, mo_str_n(&zone, 'x', limit + 1), BRAID_ETOOBIG,
                   why);
  proto_test_patch(fn, msg, len, PATCH_SET, path, mo_str_n(&zone, 'x', limit), 0, NULL);
  doc_free(&zone);
}

/*
 * Message families. A family (commands, events) is its encoder and decoder
 * on untyped messages and the size of one; a test file adds the comparison
 * of two messages (proto_test_eq_fn) and its checking decoder
 * (proto_test_decode_fn) for the messages it covers.
 */
typedef struct proto_test_family {
  int (*encode)(const void *msg, braid_buf_t *out);
  int (*decode)(void *msg, const uint8_t *data, size_t len, const char **why);
  size_t size;
} proto_test_family_t;

/* Asserts that a and b, two messages of one family, are equal field by
 * field. */
typedef void (*proto_test_eq_fn)(const void *a, const void *b);

static inline int proto_test_cmd_enc(const void *msg, braid_buf_t *out) {
  return braid_cmd_encode(msg, out);
}

static inline int proto_test_cmd_dec(void *msg, const uint8_t *data, size_t len, const char **why) {
  return braid_cmd_decode(msg, data, len, why);
}

static inline int proto_test_event_enc(const void *msg, braid_buf_t *out) {
  return braid_event_encode(msg, out);
}

static inline int proto_test_event_dec(void *msg, const uint8_t *data, size_t len,
                                       const char **why) {
  return braid_event_decode(msg, data, len, why);
}

static const proto_test_family_t proto_test_cmd = {proto_test_cmd_enc, proto_test_cmd_dec,
                                                   sizeof(braid_cmd_t)};
static const proto_test_family_t proto_test_event = {proto_test_event_enc, proto_test_event_dec,
                                                     sizeof(braid_event_t)};

/* The encoding of msg in out, initialised here (the caller cleans up). */
static inline void proto_test_encode(const proto_test_family_t *f, const void *msg,
                                     braid_buf_t *out) {
  braid_buf_init(out, BRAID_PROTO_MAX_MSG);
  int rc = f->encode(msg, out);
  if (rc != 0) BRAID_TEST_FAIL("encode: %d", rc);
}

/* msg encodes to exactly want[0..len). */
static inline void proto_test_encodes_to(const proto_test_family_t *f, const void *msg,
                                         const uint8_t *want, size_t len) {
  braid_buf_t out;
  proto_test_encode(f, msg, &out);
  proto_test_buf_is(&out, want, len);
  braid_buf_cleanup(&out);
}

/* A block for one decoded message of f (caller frees). */
static inline void *proto_test_msg_new(const proto_test_family_t *f) {
  void *msg = calloc(1, f->size);
  if (msg == NULL) BRAID_TEST_FAIL("out of memory");
  return msg;
}

/* Encode, decode, compare, encode again: the same bytes. */
static inline void proto_test_round_trip(const proto_test_family_t *f, const void *msg,
                                         proto_test_eq_fn eq) {
  braid_buf_t a;
  void *back = proto_test_msg_new(f);
  proto_test_encode(f, msg, &a);
  ASSERT_EQ(f->decode(back, a.data, a.len, NULL), 0);
  eq(msg, back);
  proto_test_encodes_to(f, back, a.data, a.len);
  free(back);
  braid_buf_cleanup(&a);
}

/* The vector decodes field by field to mine, and mine encodes to the
 * vector byte for byte. */
static inline void proto_test_vector(const proto_test_family_t *f, const uint8_t *vec, size_t len,
                                     const void *mine, proto_test_eq_fn eq) {
  void *msg = proto_test_msg_new(f);
  const char *why = NULL;
  int rc = f->decode(msg, vec, len, &why);
  if (rc != 0) BRAID_TEST_FAIL("vector: %d (%s)", rc, why ? why : "-");
  eq(mine, msg);
  free(msg);
  proto_test_encodes_to(f, mine, vec, len);
}

/* Patches the encoding of msg (see proto_test_patch()). */
static inline void proto_test_patch_msg(const proto_test_family_t *f, proto_test_decode_fn fn,
                                        const void *msg, proto_test_patch_op_t op,
                                        const char *path, msgpack_object v, int want_rc,
                                        const char *want_why) {
  braid_buf_t out;
  proto_test_encode(f, msg, &out);
  proto_test_patch(fn, out.data, out.len, op, path, v, want_rc, want_why);
  braid_buf_cleanup(&out);
}

/* The encoding of msg as a sample. */
static inline void proto_test_sample(proto_test_samples_t *s, const proto_test_family_t *f,
                                     const void *msg) {
  braid_buf_t *b = proto_test_sample_buf(s);
  int rc = f->encode(msg, b);
  if (rc != 0) BRAID_TEST_FAIL("sample %zu: encode: %d", s->n - 1, rc);
}

/* The encodings of msgs[0..n) as samples. */
static inline void proto_test_sample_each(proto_test_samples_t *s, const proto_test_family_t *f,
                                          const void *msgs, size_t n) {
  for (size_t i = 0; i < n; i++) proto_test_sample(s, f, (const char *)msgs + i * f->size);
}

/* One message, the same every time, for proto_test_run_oom(). */
typedef struct proto_test_repeat {
  const proto_test_family_t *f;
  const void *msg; /* borrowed */
} proto_test_repeat_t;

static inline int proto_test_repeat_run(const void *ctx, size_t i, braid_buf_t *out) {
  const proto_test_repeat_t *r = ctx;
  (void)i;
  return r->f->encode(r->msg, out);
}

/* proto_test_run_oom() over a run of n copies of each of msgs[0..nmsgs):
 * at least three of the runs of each fail. */
static inline void proto_test_encode_oom(const proto_test_family_t *f, const void *msgs,
                                         size_t nmsgs, size_t n) {
  for (size_t i = 0; i < nmsgs; i++) {
    proto_test_repeat_t r = {f, (const char *)msgs + i * f->size};
    proto_test_run_oom(proto_test_repeat_run, &r, n, BRAID_PROTO_MAX_MSG, 3);
  }
}

/* The string key of msg's encoding passes proto_test_string_limit(). */
static inline void proto_test_string_limit_msg(const proto_test_family_t *f,
                                               proto_test_decode_fn fn, const void *msg,
                                               const char *key, size_t limit) {
  braid_buf_t out;
  proto_test_encode(f, msg, &out);
  proto_test_string_limit(fn, out.data, out.len, key, limit);
  braid_buf_cleanup(&out);
}

/*
 * Defines a test file's shorthands on its messages of type type_t, family
 * f, comparison eq and checking decoder decode: round_trip(msg),
 * patch(msg, op, path, v, rc, why) and string_limit(msg, key, limit) (see
 * proto_test_round_trip(), proto_test_patch_msg() and
 * proto_test_string_limit()).
 */
/* (unused: a file may need only some of them; clang warns about unused
 * static functions of the main file, inline or not.) */
#define PROTO_TEST_SHORTHANDS(type_t, f, eq, decode)                                               \
  __attribute__((unused)) static inline void round_trip(const type_t *msg) {                      \
    proto_test_round_trip(f, msg, eq);                                                             \
  }                                                                                                \
  __attribute__((unused)) static inline void patch(const type_t *msg, proto_test_patch_op_t op,   \
                                                   const char *path, msgpack_object v, int rc,    \
                                                   const char *why) {                              \
    proto_test_patch_msg(f, decode, msg, op, path, v, rc, why);                                    \
  }                                                                                                \
  __attribute__((unused)) static inline void string_limit(const type_t *msg, const char *key,     \
                                                          size_t limit) {                          \
    proto_test_string_limit_msg(f, decode, msg, key, limit);                                       \
  }

/* The envelopes of two commands are equal: type, id, reply_to, deadline.
 * The start of each file's proto_test_eq_fn. */
static inline void proto_test_cmd_envelope_eq(const braid_cmd_t *a, const braid_cmd_t *b) {
  ASSERT_EQ(a->type, b->type);
  ASSERT(a->id == b->id);
  ASSERT(str_same(a->reply_to, b->reply_to));
  ASSERT_EQ(a->deadline_ms, b->deadline_ms);
}

/* A command type's required keys (NULL-terminated) for
 * proto_test_cmd_missing_keys(). */
typedef struct proto_test_cmd_keys {
  braid_cmd_t (*make)(void);
  const char *keys[24];
} proto_test_cmd_keys_t;

/* For each type, removing any of its keys from the encoding of make() fails
 * (proto_test_missing()), and removing "dl" does not: it is optional. */
static inline void proto_test_cmd_missing_keys(proto_test_decode_fn fn,
                                               const proto_test_cmd_keys_t *types, size_t n) {
  for (size_t i = 0; i < n; i++) {
    braid_cmd_t c = types[i].make();
    braid_buf_t out;
    proto_test_encode(&proto_test_cmd, &c, &out);
    for (size_t k = 0; types[i].keys[k] != NULL; k++)
      proto_test_missing(fn, out.data, out.len, types[i].keys[k]);
    proto_test_patch(fn, out.data, out.len, PATCH_DEL, "dl", mo_nil(), 0, NULL);
    braid_buf_cleanup(&out);
  }
}

/* A string of a command type and its limit, for
 * proto_test_cmd_string_limits(). */
typedef struct proto_test_cmd_limit {
  braid_cmd_t (*make)(void);
  const char *key;
  size_t limit;
} proto_test_cmd_limit_t;

/* Each case's string in the encoding of make() passes
 * proto_test_string_limit(). */
static inline void proto_test_cmd_string_limits(proto_test_decode_fn fn,
                                                const proto_test_cmd_limit_t *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    braid_cmd_t c = cases[i].make();
    proto_test_string_limit_msg(&proto_test_cmd, fn, &c, cases[i].key, cases[i].limit);
  }
}

/*
 * The event family's checking decoder: decodes, and on success the type
 * has a name, every view lies in the input and every value is within its
 * limit.
 */
static inline int proto_test_event_decode(const uint8_t *data, size_t len, const char **why) {
  braid_event_t ev;
  int rc = braid_event_decode(&ev, data, len, why);
  if (rc != 0) return rc;
  ASSERT(braid_event_type_name(ev.type) != NULL);
  const braid_str_t views[] = {ev.room_id,      ev.peer_id,      ev.controller_id,
                               ev.display_name, ev.device_json,  ev.remote_address,
                               ev.node_id,      ev.router_id,    ev.transport_id,
                               ev.ice_state,    ev.dtls_state,   ev.producer_id,
                               ev.consumer_id,  ev.reason,       ev.data_producer_id,
                               ev.data_consumer_id};
  for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
    proto_test_view_in(views[i], data, len);
  ASSERT(ev.room_id.len <= BRAID_ROOM_ID_MAX && ev.peer_id.len <= BRAID_PEER_ID_MAX);
  ASSERT(ev.display_name.len <= BRAID_EVENT_NAME_MAX);
  ASSERT(ev.device_json.len <= BRAID_EVENT_DEVICE_MAX);
  ASSERT(ev.remote_address.len <= BRAID_EVENT_ADDR_MAX);
  ASSERT(ev.transport_id.len <= BRAID_ID_MAX && ev.producer_id.len <= BRAID_ID_MAX);
  ASSERT(ev.consumer_id.len <= BRAID_ID_MAX && ev.reason.len <= BRAID_REASON_MAX);
  ASSERT(ev.data_producer_id.len <= BRAID_ID_MAX && ev.data_consumer_id.len <= BRAID_ID_MAX);
  ASSERT(ev.spatial_layer >= -1 && ev.spatial_layer <= 255);
  ASSERT(ev.temporal_layer >= -1 && ev.temporal_layer <= 255);
  ASSERT(ev.nscores <= BRAID_MAX_ENCODINGS);
  for (size_t i = 0; i < ev.nscores; i++) {
    proto_test_view_in(ev.scores[i].rid, data, len);
    ASSERT(ev.scores[i].rid.len <= BRAID_MID_MAX);
    ASSERT(ev.scores[i].score <= 10 && ev.scores[i].encoding_idx < BRAID_MAX_ENCODINGS);
  }
  return 0;
}

/* Compares every field of two events (a proto_test_eq_fn). */
static inline void proto_test_event_eq(const void *pa, const void *pb) {
  const braid_event_t *a = pa, *b = pb;
  ASSERT_EQ(a->type, b->type);
  ASSERT(str_same(a->room_id, b->room_id));
  ASSERT(str_same(a->peer_id, b->peer_id));
  ASSERT(str_same(a->controller_id, b->controller_id));
  ASSERT(a->conn == b->conn);
  ASSERT(str_same(a->display_name, b->display_name));
  ASSERT(str_same(a->device_json, b->device_json));
  ASSERT(str_same(a->remote_address, b->remote_address));
  ASSERT(str_same(a->node_id, b->node_id));
  ASSERT(str_same(a->router_id, b->router_id));
  ASSERT(str_same(a->transport_id, b->transport_id));
  ASSERT(str_same(a->ice_state, b->ice_state));
  ASSERT(str_same(a->dtls_state, b->dtls_state));
  ASSERT(str_same(a->producer_id, b->producer_id));
  ASSERT(str_same(a->consumer_id, b->consumer_id));
  ASSERT(str_same(a->data_producer_id, b->data_producer_id));
  ASSERT(str_same(a->data_consumer_id, b->data_consumer_id));
  ASSERT(str_same(a->reason, b->reason));
  ASSERT_EQ(a->spatial_layer, b->spatial_layer);
  ASSERT_EQ(a->temporal_layer, b->temporal_layer);
  ASSERT_EQ(a->score, b->score);
  ASSERT_EQ(a->producer_score, b->producer_score);
  ASSERT_EQ(a->nscores, b->nscores);
  for (size_t i = 0; i < a->nscores; i++) {
    ASSERT_EQ(a->scores[i].ssrc, b->scores[i].ssrc);
    ASSERT(str_same(a->scores[i].rid, b->scores[i].rid));
    ASSERT_EQ(a->scores[i].score, b->scores[i].score);
    ASSERT_EQ(a->scores[i].encoding_idx, b->scores[i].encoding_idx);
  }
  ASSERT_EQ(a->nvolumes, b->nvolumes);
  for (size_t i = 0; i < a->nvolumes; i++) {
    ASSERT(str_same(a->volumes[i].producer_id, b->volumes[i].producer_id));
    ASSERT_EQ(a->volumes[i].volume, b->volumes[i].volume);
  }
}

#endif
