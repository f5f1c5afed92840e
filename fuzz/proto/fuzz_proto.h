/*
 * Helpers shared by the proto/ fuzzers. A fuzzer reports a finding by
 * failing a BRAID_ASSERT (abort), which libFuzzer records as a crash.
 */
#ifndef BRAID_FUZZ_PROTO_FUZZ_PROTO_H
#define BRAID_FUZZ_PROTO_FUZZ_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/limits.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/str.h"

/* A decoded view must be empty or lie inside the input. */
static inline void fuzz_view_in(braid_str_t s, const uint8_t *data, size_t len) {
  if (s.len == 0) return;
  const char *lo = (const char *)data;
  BRAID_ASSERT(s.p >= lo && s.p <= lo + len && s.len <= (size_t)(lo + len - s.p));
}

static inline bool fuzz_str_same(braid_str_t a, braid_str_t b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* A failed decode must say why, with a code from the malformed band. */
static inline void fuzz_check_failure(int rc, const char *why) {
  BRAID_ASSERT(braid_err_is_input(rc));
  BRAID_ASSERT(why != NULL);
}

static void *fuzz_no_malloc(size_t n) {
  (void)n;
  return NULL;
}

static void *fuzz_no_realloc(void *p, size_t n) {
  (void)p;
  (void)n;
  return NULL;
}

/* Calls encode(arg, out) with an allocator that always fails, into an
 * empty buffer: it must return BRAID_ENOMEM and leave nothing behind. */
static inline void fuzz_check_enomem(int (*encode)(const void *arg, braid_buf_t *out),
                                     const void *arg) {
  static const braid_mem_hooks_t hooks = {fuzz_no_malloc, fuzz_no_realloc, free};
  braid_buf_t out;
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  braid_mem_set_hooks(&hooks);
  int rc = encode(arg, &out);
  braid_mem_set_hooks(NULL);
  BRAID_ASSERT(rc == BRAID_ENOMEM);
  BRAID_ASSERT(out.len == 0 && out.data == NULL);
  braid_buf_cleanup(&out);
}

#endif
