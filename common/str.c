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

bool braid_str_is_id(braid_str_t s) {
  if (s.len == 0) return false;
  for (size_t i = 0; i < s.len; i++) {
    char c = s.p[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}
