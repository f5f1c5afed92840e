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

const char *braid_str_printable(char *out, size_t cap, const char *s) {
  size_t i = 0;
  if (cap == 0) return out;
  for (; s[i] != '\0' && i + 1 < cap; i++) {
    unsigned char c = (unsigned char)s[i];
    out[i] = c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? '?' : (char)c;
  }
  /* Cut before a UTF-8 sequence the buffer could not hold whole. */
  if (s[i] != '\0') {
    size_t j = i; /* out[j - 1]: the last byte that is not a continuation */
    while (j > 0 && ((unsigned char)out[j - 1] & 0xC0) == 0x80) j--;
    if (j > 0) {
      unsigned char lead = (unsigned char)out[j - 1];
      size_t need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
      if (i - (j - 1) < need) i = j - 1;
    }
  }
  out[i] = '\0';
  return out;
}
