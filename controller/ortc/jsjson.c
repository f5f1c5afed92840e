#include "controller/ortc/jsjson.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

/* Largest integer a double holds exactly (2^53). */
#define JS_MAX_SAFE 9007199254740992LL

/* ---- key order ---------------------------------------------------------- */

/* True when key is a canonical array index (ECMA-262 "array index"): such
 * keys are listed first, in numeric order, by every JS engine. */
static bool array_index(const char *key, uint32_t *idx) {
  if (key[0] == '0') {
    *idx = 0;
    return key[1] == '\0';
  }
  if (key[0] < '1' || key[0] > '9') return false;
  uint64_t v = 0;
  for (const char *p = key; *p != '\0'; p++) {
    if (*p < '0' || *p > '9') return false;
    v = v * 10 + (uint64_t)(*p - '0');
    if (v > 4294967294u) return false;
  }
  *idx = (uint32_t)v;
  return true;
}

typedef struct idx_key {
  uint32_t idx;
  const char *key; /* borrowed from the object */
} idx_key_t;

static int cmp_idx(const void *a, const void *b) {
  uint32_t x = ((const idx_key_t *)a)->idx, y = ((const idx_key_t *)b)->idx;
  return x < y ? -1 : x > y;
}

/* True when obj already lists its index keys first and in ascending order. */
static bool in_js_order(json_t *obj, size_t *nidx) {
  bool seen_plain = false, ordered = true;
  uint32_t last = 0, idx;
  size_t n = 0;
  const char *key;
  json_t *val;
  json_object_foreach(obj, key, val) {
    if (!array_index(key, &idx)) {
      seen_plain = true;
      continue;
    }
    if (seen_plain || (n > 0 && idx < last)) ordered = false;
    last = idx;
    n++;
  }
  *nidx = n;
  return ordered;
}

static int reorder_object(json_t *obj, size_t nidx) {
  idx_key_t *keys = malloc(nidx * sizeof(*keys));
  json_t *tmp = json_object();
  int rc = BRAID_ENOMEM;
  if (keys == NULL || tmp == NULL) goto out_free;
  size_t n = 0;
  const char *key;
  json_t *val;
  uint32_t idx;
  json_object_foreach(obj, key, val) {
    if (array_index(key, &idx)) keys[n++] = (idx_key_t){idx, key};
  }
  qsort(keys, n, sizeof(*keys), cmp_idx);
  for (size_t i = 0; i < n; i++) {
    if (json_object_set(tmp, keys[i].key, json_object_get(obj, keys[i].key)) != 0) goto out_free;
  }
  json_object_foreach(obj, key, val) {
    if (!array_index(key, &idx) && json_object_set(tmp, key, val) != 0) goto out_free;
  }
  /* tmp holds a reference to every value, so clearing obj frees nothing. */
  json_object_clear(obj);
  rc = json_object_update(obj, tmp) == 0 ? 0 : BRAID_ENOMEM;
out_free:
  json_decref(tmp);
  free(keys);
  return rc;
}

int braid_ortc_jsjson_js_order(json_t *v) {
  if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v); i++) {
      int rc = braid_ortc_jsjson_js_order(json_array_get(v, i));
      if (rc != 0) return rc;
    }
    return 0;
  }
  if (!json_is_object(v)) return 0;
  size_t nidx;
  if (!in_js_order(v, &nidx)) {
    int rc = reorder_object(v, nidx);
    if (rc != 0) return rc;
  }
  const char *key;
  json_t *val;
  json_object_foreach(v, key, val) {
    int rc = braid_ortc_jsjson_js_order(val);
    if (rc != 0) return rc;
  }
  return 0;
}

/* ---- numbers ------------------------------------------------------------ */

double braid_ortc_jsjson_number_value(const json_t *v) {
  if (json_is_integer(v)) return (double)json_integer_value(v);
  return json_real_value(v);
}

/*
 * Number::toString (ECMA-262 6.1.6.1.20): the shortest digit string s of k
 * digits and exponent n with s * 10^(n-k) == d, then one of four layouts.
 * printf's %.*e rounds correctly, so the first precision whose output reads
 * back as d gives the shortest (and closest) digits.
 */
const char *braid_ortc_jsjson_number(double d, char *out) {
  if (isnan(d)) return memcpy(out, "NaN", 4);
  if (isinf(d)) return d > 0 ? memcpy(out, "Infinity", 9) : memcpy(out, "-Infinity", 10);
  if (d == 0) return memcpy(out, "0", 2);

  char sci[40];
  double a = fabs(d);
  for (int p = 1; p <= 17; p++) {
    snprintf(sci, sizeof(sci), "%.*e", p - 1, a);
    if (strtod(sci, NULL) == a) break;
  }
  char digits[24];
  size_t k = 0;
  const char *s = sci;
  for (; *s != 'e'; s++) {
    if (*s != '.') digits[k++] = *s;
  }
  while (k > 1 && digits[k - 1] == '0')
    k--;
  digits[k] = '\0';
  int n = atoi(s + 1) + 1;

  char *o = out;
  if (d < 0) *o++ = '-';
  if ((int)k <= n && n <= 21) {
    memcpy(o, digits, k);
    o += k;
    for (int i = (int)k; i < n; i++)
      *o++ = '0';
  } else if (0 < n && n <= 21) {
    memcpy(o, digits, (size_t)n);
    o += n;
    *o++ = '.';
    memcpy(o, digits + n, k - (size_t)n);
    o += k - (size_t)n;
  } else if (-6 < n && n <= 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -n; i++)
      *o++ = '0';
    memcpy(o, digits, k);
    o += k;
  } else {
    *o++ = digits[0];
    if (k > 1) {
      *o++ = '.';
      memcpy(o, digits + 1, k - 1);
      o += k - 1;
    }
    o += snprintf(o, 8, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
  }
  *o = '\0';
  return out;
}

static const char *format_number(const json_t *v, char *out) {
  if (json_is_integer(v)) {
    json_int_t i = json_integer_value(v);
    if (i >= -JS_MAX_SAFE && i <= JS_MAX_SAFE) {
      snprintf(out, BRAID_ORTC_JSJSON_NUM_MAX, "%" JSON_INTEGER_FORMAT, i);
      return out;
    }
  }
  return braid_ortc_jsjson_number(braid_ortc_jsjson_number_value(v), out);
}

/* ---- JSON.stringify ----------------------------------------------------- */

typedef struct out_buf {
  char *data;
  size_t len, cap;
  bool failed;
} out_buf_t;

static void put(out_buf_t *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->cap - b->len <= n) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n) {
      if (cap > SIZE_MAX / 2) {
        b->failed = true;
        return;
      }
      cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (p == NULL) {
      b->failed = true;
      return;
    }
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

static void put_str(out_buf_t *b, const char *s) { put(b, s, strlen(s)); }

/* QuoteJSONString (ECMA-262 25.5.2.3) for valid UTF-8 input. */
static void put_quoted(out_buf_t *b, const char *s, size_t len) {
  put(b, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char hex[8];
    switch (c) {
    case '\b': esc = "\\b"; break;
    case '\t': esc = "\\t"; break;
    case '\n': esc = "\\n"; break;
    case '\f': esc = "\\f"; break;
    case '\r': esc = "\\r"; break;
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    default:
      if (c < 0x20) {
        snprintf(hex, sizeof(hex), "\\u%04x", c);
        esc = hex;
      }
    }
    if (esc == NULL) continue;
    put(b, s + run, i - run);
    put_str(b, esc);
    run = i + 1;
  }
  put(b, s + run, len - run);
  put(b, "\"", 1);
}

static void put_value(out_buf_t *b, const json_t *v) {
  char num[BRAID_ORTC_JSJSON_NUM_MAX];
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    put(b, "{", 1);
    bool first = true;
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)v, key, val) {
      if (!first) put(b, ",", 1);
      first = false;
      put_quoted(b, key, strlen(key));
      put(b, ":", 1);
      put_value(b, val);
    }
    put(b, "}", 1);
    break;
  }
  case JSON_ARRAY:
    put(b, "[", 1);
    for (size_t i = 0; i < json_array_size(v); i++) {
      if (i > 0) put(b, ",", 1);
      put_value(b, json_array_get(v, i));
    }
    put(b, "]", 1);
    break;
  case JSON_STRING: put_quoted(b, json_string_value(v), json_string_length(v)); break;
  case JSON_INTEGER:
  case JSON_REAL: {
    double d = braid_ortc_jsjson_number_value(v);
    put_str(b, isfinite(d) ? format_number(v, num) : "null");
    break;
  }
  case JSON_TRUE: put_str(b, "true"); break;
  case JSON_FALSE: put_str(b, "false"); break;
  case JSON_NULL: put_str(b, "null"); break;
  }
}

char *braid_ortc_jsjson_dumps(const json_t *v) {
  if (v == NULL) return NULL;
  out_buf_t b = {NULL, 0, 0, false};
  put_value(&b, v);
  put(&b, "", 1); /* the NUL */
  if (b.failed) {
    free(b.data);
    return NULL;
  }
  return b.data;
}

/* ---- String(value) ------------------------------------------------------ */

static void to_string(out_buf_t *b, const json_t *v) {
  char num[BRAID_ORTC_JSJSON_NUM_MAX];
  if (v == NULL) {
    put_str(b, "undefined");
    return;
  }
  switch (json_typeof(v)) {
  case JSON_STRING: put(b, json_string_value(v), json_string_length(v)); break;
  case JSON_INTEGER:
  case JSON_REAL: put_str(b, format_number(v, num)); break;
  case JSON_TRUE: put_str(b, "true"); break;
  case JSON_FALSE: put_str(b, "false"); break;
  case JSON_NULL: put_str(b, "null"); break;
  case JSON_OBJECT: put_str(b, "[object Object]"); break;
  case JSON_ARRAY:
    /* Array.prototype.join: null elements become "". JSON nesting is
     * bounded by the parser, and so is this recursion. */
    for (size_t i = 0; i < json_array_size(v); i++) {
      const json_t *e = json_array_get(v, i);
      if (i > 0) put(b, ",", 1);
      if (!json_is_null(e)) to_string(b, e);
    }
    break;
  }
}

const char *braid_ortc_jsjson_to_string(const json_t *v, char *out, size_t outlen) {
  out_buf_t b = {NULL, 0, 0, false};
  to_string(&b, v);
  size_t n = b.failed ? 0 : b.len;
  if (n >= outlen) n = outlen - 1;
  if (n > 0) memcpy(out, b.data, n);
  out[n] = '\0';
  free(b.data);
  return out;
}

/* ---- ToNumber and > ----------------------------------------------------- */

bool braid_ortc_jsjson_is_space(uint32_t cp) {
  switch (cp) {
  case 0x09:
  case 0x0a:
  case 0x0b:
  case 0x0c:
  case 0x0d:
  case 0x20:
  case 0xa0:
  case 0x1680:
  case 0x2028:
  case 0x2029:
  case 0x202f:
  case 0x205f:
  case 0x3000:
  case 0xfeff: return true;
  default: return cp >= 0x2000 && cp <= 0x200a;
  }
}

uint32_t braid_ortc_jsjson_utf8_next(const char *str, size_t len, size_t *i) {
  const unsigned char *s = (const unsigned char *)str;
  unsigned char c = s[*i];
  size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
  if (n > len - *i) n = len - *i; /* never for valid UTF-8 */
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1fu) : n == 3 ? (c & 0x0fu) : (c & 0x07u);
  for (size_t k = 1; k < n; k++)
    cp = (cp << 6) | (s[*i + k] & 0x3fu);
  *i += n;
  return cp;
}

static int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

/* StrDecimalLiteral without its sign and Infinity: digits, an optional
 * fraction, an optional exponent, at least one digit before the exponent. */
static bool decimal_literal(const char *p, size_t n) {
  size_t i = 0, digits = 0;
  while (i < n && p[i] >= '0' && p[i] <= '9') {
    i++;
    digits++;
  }
  if (i < n && p[i] == '.') {
    i++;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
      i++;
      digits++;
    }
  }
  if (digits == 0) return false;
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    i++;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    size_t start = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
      i++;
    if (i == start) return false;
  }
  return i == n;
}

/* StringToNumber (ECMA-262 7.1.4.1.1). */
static double string_to_number(const char *s, size_t len) {
  size_t b = 0, e = 0, i = 0;
  bool leading = true;
  while (i < len) {
    size_t at = i;
    uint32_t cp = braid_ortc_jsjson_utf8_next(s, len, &i);
    if (braid_ortc_jsjson_is_space(cp)) continue;
    if (leading) b = at;
    leading = false;
    e = i;
  }
  if (leading) return 0; /* empty or white space only */
  const char *p = s + b;
  size_t n = e - b;
  if (n > 2 && p[0] == '0') {
    int radix = (p[1] == 'x' || p[1] == 'X')   ? 16
                : (p[1] == 'o' || p[1] == 'O') ? 8
                : (p[1] == 'b' || p[1] == 'B') ? 2
                                               : 0;
    if (radix != 0) {
      double v = 0;
      for (size_t k = 2; k < n; k++) {
        int d = digit_value(p[k]);
        if (d >= radix) return NAN;
        v = v * radix + d;
      }
      return v;
    }
  }
  double sign = 1;
  const char *q = p;
  size_t m = n;
  if (m > 0 && (q[0] == '+' || q[0] == '-')) {
    sign = q[0] == '-' ? -1 : 1;
    q++;
    m--;
  }
  if (m == 8 && memcmp(q, "Infinity", 8) == 0) return sign * INFINITY;
  if (!decimal_literal(q, m)) return NAN;
  /* strtod() wants a NUL; a literal rarely needs more than the stack copy. */
  char local[128];
  char *copy = m < sizeof(local) ? local : malloc(m + 1);
  if (copy == NULL) return NAN;
  memcpy(copy, q, m);
  copy[m] = '\0';
  double v = strtod(copy, NULL);
  if (copy != local) free(copy);
  return sign * v;
}

double braid_ortc_jsjson_to_number(const json_t *v) {
  if (v == NULL) return NAN;
  switch (json_typeof(v)) {
  case JSON_INTEGER:
  case JSON_REAL: return braid_ortc_jsjson_number_value(v);
  case JSON_TRUE: return 1;
  case JSON_FALSE:
  case JSON_NULL: return 0;
  case JSON_STRING: return string_to_number(json_string_value(v), json_string_length(v));
  case JSON_ARRAY: {
    out_buf_t b = {NULL, 0, 0, false};
    to_string(&b, v);
    double d = b.failed ? NAN : string_to_number(b.data != NULL ? b.data : "", b.len);
    free(b.data);
    return d;
  }
  case JSON_OBJECT: return NAN;
  }
  return NAN;
}

/* The next UTF-16 code unit of a UTF-8 string; *low holds the pending low
 * surrogate of a supplementary character. */
static uint32_t next_unit(const char *s, size_t len, size_t *i, uint32_t *low) {
  if (*low != 0) {
    uint32_t u = *low;
    *low = 0;
    return u;
  }
  uint32_t cp = braid_ortc_jsjson_utf8_next(s, len, i);
  if (cp < 0x10000) return cp;
  cp -= 0x10000;
  *low = 0xdc00 + (cp & 0x3ff);
  return 0xd800 + (cp >> 10);
}

/* a > b on UTF-16 code units, as JS compares strings. */
static bool string_greater(const char *a, size_t alen, const char *b, size_t blen) {
  size_t i = 0, j = 0;
  uint32_t alow = 0, blow = 0;
  while ((i < alen || alow != 0) && (j < blen || blow != 0)) {
    uint32_t x = next_unit(a, alen, &i, &alow), y = next_unit(b, blen, &j, &blow);
    if (x != y) return x > y;
  }
  return i < alen || alow != 0;
}

bool braid_ortc_jsjson_greater(const json_t *a, const json_t *b) {
  bool astr = json_is_string(a) || json_is_array(a) || json_is_object(a);
  bool bstr = json_is_string(b) || json_is_array(b) || json_is_object(b);
  if (astr && bstr) {
    out_buf_t x = {NULL, 0, 0, false}, y = {NULL, 0, 0, false};
    to_string(&x, a);
    to_string(&y, b);
    bool gt =
        !x.failed && !y.failed &&
        string_greater(x.data != NULL ? x.data : "", x.len, y.data != NULL ? y.data : "", y.len);
    free(x.data);
    free(y.data);
    return gt;
  }
  double na = json_is_object(a) ? NAN : braid_ortc_jsjson_to_number(a);
  double nb = json_is_object(b) ? NAN : braid_ortc_jsjson_to_number(b);
  return na > nb; /* false when either is NaN */
}
