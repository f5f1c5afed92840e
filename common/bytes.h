/*
 * Big-endian loads and stores for bytes whose bounds the caller has
 * already checked (a parser after braid_rd_t or a length test, a writer
 * after its capacity check). Network byte order, no alignment needed.
 */
#ifndef BRAID_COMMON_BYTES_H
#define BRAID_COMMON_BYTES_H

#include <stdint.h>

static inline uint16_t braid_get16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static inline uint32_t braid_get32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void braid_put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static inline void braid_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

#endif
