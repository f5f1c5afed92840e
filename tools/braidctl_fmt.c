/*
 * braidctl's record fields and output helpers (braidctl.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/braidctl.h"

static const char *json_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER:
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a bool";
  case JSON_NULL: return "null";
  }
  return "?";
}

/* The member, or NULL when the record is not an object or lacks it. */
static json_t *member(const braidctl_rec_t *r, const char *name, bool required) {
  json_t *v = json_is_object(r->obj) ? json_object_get(r->obj, name) : NULL;
  if (v == NULL && required && json_is_object(r->obj))
    braidctl_warn(r->b, "%s field \"%s\": no \"%s\"", r->key, r->field, name);
  return v;
}

static void wrong_type(const braidctl_rec_t *r, const char *name, const json_t *v,
                       const char *want) {
  braidctl_warn(r->b, "%s field \"%s\": \"%s\" is %s, not %s", r->key, r->field, name,
                json_type_name(v), want);
}

const char *braidctl_rec_str(const braidctl_rec_t *r, const char *name, bool required) {
  json_t *v = member(r, name, required);
  if (v == NULL) return NULL;
  if (!json_is_string(v)) {
    wrong_type(r, name, v, "a string");
    return NULL;
  }
  return json_string_value(v);
}

bool braidctl_rec_num(const braidctl_rec_t *r, const char *name, bool required, double *out) {
  json_t *v = member(r, name, required);
  if (v == NULL) return false;
  if (json_is_number(v)) {
    *out = json_number_value(v);
    return isfinite(*out);
  }
  if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < 64) {
    char *end;
    double d = strtod(json_string_value(v), &end);
    if (*end == '\0' && isfinite(d)) {
      *out = d;
      return true;
    }
  }
  wrong_type(r, name, v, "a number");
  return false;
}

int braidctl_rec_bool(const braidctl_rec_t *r, const char *name) {
  json_t *v = member(r, name, false);
  if (v == NULL) return -1;
  if (json_is_boolean(v)) return json_is_true(v);
  wrong_type(r, name, v, "a bool");
  return -1;
}

json_t *braidctl_num_json(double v) {
  if (isfinite(v) && v == floor(v) && fabs(v) < 9e15) return json_integer((json_int_t)v);
  return json_real(isfinite(v) ? v : 0);
}

const char *braidctl_get_str(const json_t *o, const char *name) {
  return json_string_value(json_object_get(o, name));
}

double braidctl_get_num(const json_t *o, const char *name) {
  return json_number_value(json_object_get(o, name));
}

const char *braidctl_disp(braidctl_t *b, const char *s) {
  if (s == NULL) return "?";
  char *out = b->disp[b->disp_next++ % BRAIDCTL_DISP_SLOTS];
  size_t o = 0, i = 0;
  for (; s[i] != '\0' && o < BRAIDCTL_DISP_MAX - 4; i++) {
    unsigned char c = (unsigned char)s[i];
    out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
  }
  if (s[i] != '\0') {
    /* Cut: drop a partial multi-byte character at the end, then mark it. */
    while (o > 0 && ((unsigned char)out[o - 1] & 0x80) != 0)
      o--;
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
  return out;
}

/* v in unit with a decimal prefix: "%.0f u", "%.1f ku", "%.1f Mu", "%.2f Gu". */
static void fmt_si(double v, const char *unit, char *buf, size_t cap) {
  if (v < 1e3)
    snprintf(buf, cap, "%.0f %s", v, unit);
  else if (v < 1e6)
    snprintf(buf, cap, "%.1f k%s", v / 1e3, unit);
  else if (v < 1e9)
    snprintf(buf, cap, "%.1f M%s", v / 1e6, unit);
  else
    snprintf(buf, cap, "%.2f G%s", v / 1e9, unit);
}

void braidctl_fmt_bps(double bps, char *buf, size_t cap) { fmt_si(bps, "bit/s", buf, cap); }

void braidctl_fmt_bytes(double n, char *buf, size_t cap) { fmt_si(n, "B", buf, cap); }

int braidctl_print_json(json_t *j) {
  char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(j);
  if (s == NULL) {
    fprintf(stderr, "error: cannot encode the JSON output\n");
    return 1;
  }
  puts(s);
  free(s);
  return 0;
}

/* Bytes of the UTF-8 sequence at s[0..n) (as jansson accepts them: no
 * overlong forms, no surrogates, at most U+10FFFF), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0x01 && c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf)
    len = 2;
  else if (c >= 0xe0 && c <= 0xef)
    len = 3;
  else if (c >= 0xf0 && c <= 0xf4)
    len = 4;
  else
    return 0;
  if (n < len) return 0;
  if (c == 0xe0)
    lo = 0xa0;
  else if (c == 0xed)
    hi = 0x9f;
  else if (c == 0xf0)
    lo = 0x90;
  else if (c == 0xf4)
    hi = 0x8f;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xbf) return 0;
  return len;
}

size_t braidctl_utf8_fix(char *s, size_t n) {
  size_t fixed = 0;
  for (size_t i = 0; i < n;) {
    size_t k = utf8_seq((const unsigned char *)s + i, n - i);
    if (k == 0) {
      s[i++] = '?';
      fixed++;
    } else {
      i += k;
    }
  }
  return fixed;
}
