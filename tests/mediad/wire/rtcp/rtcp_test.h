/*
 * Helpers shared by the RTCP unit tests: robustness loops every parser
 * runs (each truncation, each single-byte corruption) and the seed-corpus
 * hook.
 *
 * Inputs are copied into heap blocks of exactly their length, so that under
 * ASan a parser reading one byte too far fails the test.
 *
 * Seeds: when the environment variable BRAID_RTCP_SEED_DIR names a
 * directory, rtcp_test_seed() also writes each valid vector there as a file
 * (named <type>_<what>), and rtcp_test_bad_cases() each annotated malformed
 * one (bad_<type>_<what>), which is how the corpora
 * fuzz/mediad/wire/corpus/rtcp_* are regenerated from the unit-test vectors
 * (see fuzz/mediad/wire/rtcp.cmake).
 */
#ifndef BRAID_TESTS_MEDIAD_WIRE_RTCP_RTCP_TEST_H
#define BRAID_TESTS_MEDIAD_WIRE_RTCP_RTCP_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "common/err.h"
#include "tests/test.h"

/* A parser under test: parses data, and on success walks every accessor of
 * the result (so ASan sees every read). */
typedef int (*rtcp_test_parse_fn)(const uint8_t *data, size_t len, const char **why);

/* A copy of p[0..len) in a block of exactly len bytes (caller frees). */
static inline uint8_t *rtcp_test_dup(const uint8_t *p, size_t len) {
  uint8_t *c = calloc(len > 0 ? len : 1, 1);
  if (c == NULL) BRAID_TEST_FAIL("out of memory");
  if (len > 0) memcpy(c, p, len);
  return c;
}

/* Runs fn over an exact-size copy of data; returns its code. */
static inline int rtcp_test_run(rtcp_test_parse_fn fn, const uint8_t *data, size_t len,
                                const char **why) {
  uint8_t *c = rtcp_test_dup(data, len);
  int rc = fn(c, len, why);
  free(c);
  return rc;
}

/* Every strict prefix of a valid packet fails with BRAID_ETRUNC and a
 * reason. */
static inline void rtcp_test_truncations(rtcp_test_parse_fn fn, const uint8_t *pkt, size_t len) {
  for (size_t n = 0; n < len; n++) {
    const char *why = NULL;
    int rc = rtcp_test_run(fn, pkt, n, &why);
    if (rc != BRAID_ETRUNC) BRAID_TEST_FAIL("prefix %zu/%zu: got %d, want ETRUNC", n, len, rc);
    if (why == NULL) BRAID_TEST_FAIL("prefix %zu/%zu: no reason", n, len);
  }
}

/* Every single-byte corruption (each byte set to each of its 255 other
 * values) either parses or fails with a malformed-input code and a reason;
 * the number of failures is returned so a caller can check that corruption
 * is noticed at all. */
static inline size_t rtcp_test_corruptions(rtcp_test_parse_fn fn, const uint8_t *pkt,
                                           size_t len) {
  size_t failures = 0;
  uint8_t *c = rtcp_test_dup(pkt, len);
  for (size_t i = 0; i < len; i++) {
    for (unsigned x = 1; x < 256; x++) {
      const char *why = NULL;
      c[i] = (uint8_t)(pkt[i] ^ x);
      int rc = fn(c, len, &why);
      if (rc != 0) {
        if (!braid_err_is_input(rc))
          BRAID_TEST_FAIL("byte %zu ^ 0x%02x: code %d outside the malformed band", i, x, rc);
        if (why == NULL) BRAID_TEST_FAIL("byte %zu ^ 0x%02x: no reason", i, x);
        failures++;
      }
    }
    c[i] = pkt[i];
  }
  free(c);
  return failures;
}

/* Parses pkt, checks success, then truncations and corruptions. */
static inline void rtcp_test_robust(rtcp_test_parse_fn fn, const uint8_t *pkt, size_t len) {
  const char *why = NULL;
  int rc = rtcp_test_run(fn, pkt, len, &why);
  if (rc != 0) BRAID_TEST_FAIL("valid packet rejected: %d (%s)", rc, why ? why : "-");
  rtcp_test_truncations(fn, pkt, len);
  if (rtcp_test_corruptions(fn, pkt, len) == 0) BRAID_TEST_FAIL("no corruption was noticed");
}

/* A serialiser under test, bound to its input. */
typedef ssize_t (*rtcp_test_write_fn)(uint8_t *buf, size_t cap, const void *arg);

/* Calls write with every capacity from 0 to len, each time into a heap
 * block of exactly that size (so ASan catches a write past cap): below len
 * it must return BRAID_ELIMIT; at len it must write exactly want. */
static inline void rtcp_test_write_caps(rtcp_test_write_fn write, const void *arg,
                                        const uint8_t *want, size_t len) {
  for (size_t cap = 0; cap <= len; cap++) {
    uint8_t *buf = malloc(cap > 0 ? cap : 1);
    if (buf == NULL) BRAID_TEST_FAIL("out of memory");
    ssize_t n = write(buf, cap, arg);
    if (cap < len && n != BRAID_ELIMIT)
      BRAID_TEST_FAIL("capacity %zu/%zu: got %zd, want ELIMIT", cap, len, n);
    if (cap == len) {
      if (n != (ssize_t)len) BRAID_TEST_FAIL("wrote %zd bytes, want %zu", n, len);
      if (memcmp(buf, want, len) != 0) {
        for (size_t i = 0; i < len; i++)
          if (buf[i] != want[i]) fprintf(stderr, "  byte %zu: 0x%02x, want 0x%02x\n", i, buf[i], want[i]);
        BRAID_TEST_FAIL("written bytes differ");
      }
    }
    free(buf);
  }
}

/* Writes a valid vector to $BRAID_RTCP_SEED_DIR/<name> when that is set. */
static inline void rtcp_test_seed(const char *name, const uint8_t *data, size_t len) {
  const char *dir = getenv("BRAID_RTCP_SEED_DIR");
  if (dir == NULL || *dir == '\0') return;
  char path[512];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
    BRAID_TEST_FAIL("seed path too long");
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
    BRAID_TEST_FAIL("cannot write seed %s", path);
}

/* A malformed vector, written out and annotated in the test file, and the
 * code its parser must return. */
typedef struct rtcp_test_bad {
  const char *name; /* the array's name */
  const uint8_t *data;
  size_t len;
  int want; /* a BRAID_E* code of the malformed-input band */
} rtcp_test_bad_t;

#define RTCP_TEST_BAD(array, want) {#array, array, sizeof array, want}

/* Runs fn over an exact-size copy of each vector (so that under ASan a read
 * past the end fails): each must fail with its code and a reason. Vector
 * names start with "<type>_"; the vectors are also written as seeds named
 * bad_<name>, which the per-type fuzzers start from (one per length
 * check). */
static inline void rtcp_test_bad_cases(rtcp_test_parse_fn fn, const char *type,
                                       const rtcp_test_bad_t *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *why = NULL;
    int rc = rtcp_test_run(fn, cases[i].data, cases[i].len, &why);
    if (rc != cases[i].want)
      BRAID_TEST_FAIL("%s: got %d, want %d (%s)", cases[i].name, rc, cases[i].want,
                      why ? why : "-");
    if (!braid_err_is_input(rc) || why == NULL)
      BRAID_TEST_FAIL("%s: code %d without a reason or outside the malformed band",
                      cases[i].name, rc);
    size_t tl = strlen(type);
    if (strncmp(cases[i].name, type, tl) != 0 || cases[i].name[tl] != '_')
      BRAID_TEST_FAIL("%s: the name does not start with %s_", cases[i].name, type);
    char seed[128];
    if (snprintf(seed, sizeof seed, "bad_%s", cases[i].name) >= (int)sizeof seed)
      BRAID_TEST_FAIL("seed name too long");
    rtcp_test_seed(seed, cases[i].data, cases[i].len);
  }
}

#endif
