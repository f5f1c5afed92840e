#include "controller/ortc/jsval.h"

#include <math.h>
#include <string.h>

/* Largest integer a double (a JS number) represents exactly. */
#define JS_MAX_SAFE 9007199254740992.0

bool braid_ortc_jsval_truthy(const json_t *v) {
  if (v == NULL) return false;
  switch (json_typeof(v)) {
  case JSON_NULL:
  case JSON_FALSE: return false;
  case JSON_TRUE:
  case JSON_OBJECT:
  case JSON_ARRAY: return true;
  case JSON_STRING: return json_string_length(v) > 0;
  case JSON_INTEGER:
  case JSON_REAL: return json_number_value(v) != 0.0;
  }
  return false;
}

bool braid_ortc_jsval_strict_eq(const json_t *a, const json_t *b) {
  if (a == NULL || b == NULL) return a == b;
  if (json_is_number(a) || json_is_number(b)) {
    /* JS has one number type: compare by value across integer and real. */
    if (!json_is_number(a) || !json_is_number(b)) return false;
    if (json_is_integer(a) && json_is_integer(b))
      return json_integer_value(a) == json_integer_value(b);
    return json_number_value(a) == json_number_value(b);
  }
  if (json_typeof(a) != json_typeof(b)) return false;
  switch (json_typeof(a)) {
  case JSON_STRING:
    return json_string_length(a) == json_string_length(b) &&
           memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
  case JSON_NULL:
  case JSON_TRUE:
  case JSON_FALSE: return true;
  default: return a == b; /* objects and arrays compare by identity */
  }
}

json_t *braid_ortc_jsval_number_copy(const json_t *v) {
  if (json_is_integer(v)) return json_integer(json_integer_value(v));
  double d = json_real_value(v);
  if (d == floor(d) && fabs(d) <= JS_MAX_SAFE) return json_integer((json_int_t)d);
  return json_real(d);
}

json_t *braid_ortc_jsval_scalar_copy(const json_t *v) {
  if (json_is_number(v)) return braid_ortc_jsval_number_copy(v);
  if (json_is_string(v)) return json_stringn(json_string_value(v), json_string_length(v));
  return NULL;
}
