#include "common/str.h"

#include "common/err.h"

int braid_str_copy(char *dst, size_t dstsz, braid_str_t s) {
  if (dstsz == 0) return BRAID_ETOOBIG;
  if (s.len >= dstsz) {
    dst[0] = '\0';
    return BRAID_ETOOBIG;
  }
  if (s.len > 0) memcpy(dst, s.p, s.len);
  dst[s.len] = '\0';
  return 0;
}
