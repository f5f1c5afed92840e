/* A borrowed string view: not NUL-terminated, lifetime stated at each use. */
#ifndef BRAID_COMMON_STR_H
#define BRAID_COMMON_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct braid_str {
  const char *p; /* borrowed */
  size_t len;
} braid_str_t;

#define BRAID_STR_LIT(s) ((braid_str_t){(s), sizeof(s) - 1})

static inline braid_str_t braid_str_c(const char *s) { return (braid_str_t){s, s ? strlen(s) : 0}; }

static inline bool braid_str_eq(braid_str_t a, const char *b) {
  size_t n = strlen(b);
  return a.len == n && (n == 0 || memcmp(a.p, b, n) == 0);
}

/* True when s is a non-empty id of [A-Za-z0-9._-] only: safe to embed in
 * Redis key and channel names. */
bool braid_str_is_id(braid_str_t s);

/* Copies s into dst (size dstsz, NUL-terminated). Returns 0, or BRAID_ETOOBIG
 * when it does not fit (dst is then left empty). */
int braid_str_copy(char *dst, size_t dstsz, braid_str_t s);

/* A peer-given string for a log line: at most cap - 1 bytes of s, control
 * characters, DEL, quotes and backslashes as '?', and never half a UTF-8
 * sequence at the cut. Returns out. */
const char *braid_str_printable(char *out, size_t cap, const char *s);

#endif
