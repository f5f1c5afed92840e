/*
 * A bounds-checked byte reader for parsers of untrusted input (STYLE.md
 * rule 27). Every accessor checks the remaining length before it reads and
 * returns BRAID_ETRUNC otherwise; the reader is left unchanged on failure.
 */
#ifndef BRAID_COMMON_RD_H
#define BRAID_COMMON_RD_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

typedef struct braid_rd {
  const uint8_t *p;   /* borrowed: next byte to read */
  const uint8_t *end; /* borrowed: one past the last byte */
} braid_rd_t;

static inline void braid_rd_init(braid_rd_t *r, const uint8_t *data, size_t len) {
  r->p = data;
  r->end = data != NULL ? data + len : data; /* NULL + 0 is undefined in C */
}

static inline size_t braid_rd_left(const braid_rd_t *r) { return (size_t)(r->end - r->p); }

static inline int braid_rd_u8(braid_rd_t *r, uint8_t *v) {
  if (braid_rd_left(r) < 1) return BRAID_ETRUNC;
  *v = r->p[0];
  r->p += 1;
  return 0;
}

static inline int braid_rd_u16(braid_rd_t *r, uint16_t *v) {
  if (braid_rd_left(r) < 2) return BRAID_ETRUNC;
  *v = (uint16_t)((r->p[0] << 8) | r->p[1]);
  r->p += 2;
  return 0;
}

static inline int braid_rd_u32(braid_rd_t *r, uint32_t *v) {
  if (braid_rd_left(r) < 4) return BRAID_ETRUNC;
  *v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) | r->p[3];
  r->p += 4;
  return 0;
}

/* Borrows n bytes: *out points into the input. */
static inline int braid_rd_bytes(braid_rd_t *r, size_t n, const uint8_t **out) {
  if (braid_rd_left(r) < n) return BRAID_ETRUNC;
  *out = r->p;
  r->p += n;
  return 0;
}

static inline int braid_rd_skip(braid_rd_t *r, size_t n) {
  if (braid_rd_left(r) < n) return BRAID_ETRUNC;
  r->p += n;
  return 0;
}

#endif
