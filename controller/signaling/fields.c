#include "controller/signaling/fields.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/err.h"

static bool fail(braid_fields_t *f, const char *key, const char *what) {
  if (f->error[0] == '\0')
    snprintf(f->error, sizeof f->error, "%s: \"%s\" %s", f->method, key, what);
  return false;
}

static json_t *get(braid_fields_t *f, json_t *data, const char *key, bool required, bool *ok) {
  json_t *v = json_is_object(data) ? json_object_get(data, key) : NULL;
  *ok = true;
  if (v == NULL && required) *ok = fail(f, key, "is required");
  return v;
}

bool braid_fields_string(braid_fields_t *f, json_t *data, const char *key, bool required,
                         size_t max_len, const char **out) {
  bool ok;
  json_t *v = get(f, data, key, required, &ok);
  *out = NULL;
  if (v == NULL) return ok;
  if (!json_is_string(v)) return fail(f, key, "must be a string");
  if (json_string_length(v) > max_len) return fail(f, key, "is too long");
  *out = json_string_value(v);
  return true;
}

bool braid_fields_object(braid_fields_t *f, json_t *data, const char *key, bool required,
                         json_t **out) {
  bool ok;
  json_t *v = get(f, data, key, required, &ok);
  *out = NULL;
  if (v == NULL) return ok;
  if (!json_is_object(v)) return fail(f, key, "must be an object");
  *out = v;
  return true;
}

bool braid_fields_bool(braid_fields_t *f, json_t *data, const char *key, bool required, bool *out) {
  bool ok;
  json_t *v = get(f, data, key, required, &ok);
  if (v == NULL) return ok;
  if (!json_is_boolean(v)) return fail(f, key, "must be a boolean");
  *out = json_is_true(v);
  return true;
}

bool braid_fields_number(braid_fields_t *f, json_t *data, const char *key, bool required,
                         double min, double max, double *out) {
  bool ok;
  json_t *v = get(f, data, key, required, &ok);
  if (v == NULL) return ok;
  if (!json_is_number(v)) return fail(f, key, "must be a number");
  double d = json_number_value(v);
  if (!isfinite(d) || d < min || d > max) return fail(f, key, "is out of range");
  *out = d;
  return true;
}

bool braid_json_uint(const json_t *v, uint64_t max, uint64_t *out) {
  if (!json_is_number(v)) return false;
  double d = json_number_value(v);
  if (!isfinite(d) || d < 0 || d > (double)max || d != floor(d)) return false;
  *out = (uint64_t)d;
  return true;
}

int braid_fields_fail(char *err, size_t errlen, const char *fmt, ...) {
  if (errlen > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return BRAID_EINVAL;
}
