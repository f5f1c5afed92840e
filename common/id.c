#include "common/id.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "common/log.h"

void braid_id_random_bytes(void *buf, size_t len) {
  uint8_t *p = buf;
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    BRAID_ASSERT(n > 0);
    p += n;
    len -= (size_t)n;
  }
}

void braid_id_uuid(char *out) {
  uint8_t b[16];
  braid_id_random_bytes(b, sizeof b);
  b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
  b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
  snprintf(out, BRAID_UUID_STRLEN + 1,
           "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
           b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void braid_id_random_string(char *out, size_t len) {
  static const char chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  uint8_t b[64];
  size_t i = 0;
  while (i < len) {
    braid_id_random_bytes(b, sizeof b);
    for (size_t j = 0; j < sizeof b && i < len; j++) {
      if (b[j] >= 252) continue; /* 252 = 7 * 36: reject to stay uniform */
      out[i++] = chars[b[j] % 36];
    }
  }
  out[len] = '\0';
}

uint32_t braid_id_random_u32(uint32_t lo, uint32_t hi) {
  uint32_t range = hi - lo, v;
  uint32_t limit = UINT32_MAX - UINT32_MAX % range;
  do {
    braid_id_random_bytes(&v, sizeof v);
  } while (v >= limit);
  return lo + v % range;
}
