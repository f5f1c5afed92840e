#include "controller/ortc/scalability.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* ([1-9]\d?) at s[*i]: greedy, as the regex takes a second digit when
 * there is one (what follows never makes it give that digit back). */
static bool layers(const char *s, size_t len, size_t *i, int *out) {
  if (*i >= len || s[*i] < '1' || s[*i] > '9') return false;
  int v = s[(*i)++] - '0';
  if (*i < len && is_digit(s[*i])) v = v * 10 + (s[(*i)++] - '0');
  *out = v;
  return true;
}

bool braid_ortc_scalability_parse(const char *mode, size_t len, bool worker,
                                  braid_ortc_scalability_t *out) {
  out->spatial_layers = 1;
  out->temporal_layers = 1;
  out->ksvc = false;
  if (mode == NULL) return false;

  braid_ortc_scalability_t m = {1, 1, false};
  size_t i = 0;
  if (len == 0 || (mode[0] != 'L' && mode[0] != 'S')) return false;
  i = 1;
  if (!layers(mode, len, &i, &m.spatial_layers)) return false;
  if (i >= len || mode[i] != 'T') return false;
  i++;
  if (!layers(mode, len, &i, &m.temporal_layers)) return false;
  if (len - i >= 4 && mode[i] == '_' && mode[i + 1] == 'K' && mode[i + 2] == 'E' &&
      mode[i + 3] == 'Y') {
    m.ksvc = true;
    i += 4;
  }
  if (worker) {
    for (; i < len; i++) {
      if (mode[i] == '\n' || mode[i] == '\r') return false;
    }
  }
  *out = m;
  return true;
}
