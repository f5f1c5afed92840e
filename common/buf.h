/*
 * A growable byte buffer with a hard maximum (STYLE.md rule 19).
 * Embedded by the caller: braid_buf_init() / braid_buf_cleanup().
 */
#ifndef BRAID_COMMON_BUF_H
#define BRAID_COMMON_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct braid_buf {
  uint8_t *data; /* owned; NULL until the first append */
  size_t len;
  size_t cap;
  size_t max; /* appends that would exceed this fail with BRAID_ETOOBIG */
} braid_buf_t;

void braid_buf_init(braid_buf_t *b, size_t max);
void braid_buf_cleanup(braid_buf_t *b);
/* Empties the buffer and keeps its memory. */
static inline void braid_buf_reset(braid_buf_t *b) { b->len = 0; }
/* Returns 0, BRAID_ETOOBIG (over max) or BRAID_ENOMEM. */
int braid_buf_reserve(braid_buf_t *b, size_t extra);
int braid_buf_append(braid_buf_t *b, const void *data, size_t len);
/* Appends a NUL that is not counted in len, so data can be used as a C string. */
int braid_buf_terminate(braid_buf_t *b);

#endif
