#include "controller/ortc/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/jsval.h"

int braid__ortc_fail(char *err, size_t errlen, int code, const char *fmt, ...) {
  if (err != NULL && errlen > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return code;
}

/* JS `typeof v === 'object'` minus null: mediasoup reads properties of such a
 * value, and an array simply has none of the ones it looks for. */
static bool is_js_object(const json_t *v) { return json_is_object(v) || json_is_array(v); }

/* Property read that treats arrays as objects without named properties. */
static json_t *prop(json_t *v, const char *key) {
  return json_is_object(v) ? json_object_get(v, key) : NULL;
}

static bool is_truthy_string(const json_t *v) {
  return json_is_string(v) && json_string_length(v) > 0;
}

/* JS `v === lit` for a string literal (length-aware: JSON strings may hold
 * NUL bytes). */
static bool str_is(const json_t *v, const char *lit) {
  size_t n = strlen(lit);
  return json_is_string(v) && json_string_length(v) == n &&
         memcmp(json_string_value(v), lit, n) == 0;
}

/* Replaces or appends key (JS assignment); takes ownership of val, which may
 * be NULL after a failed allocation. */
static int set_new(json_t *obj, const char *key, json_t *val) {
  return json_object_set_new(obj, key, val) == 0 ? 0 : BRAID_ENOMEM;
}

/*
 * mediasoup tests mimeType with /^(audio|video)\/(.+)/i: a media part, a
 * slash and at least one character that is not a JS line terminator
 * (\n, \r, U+2028, U+2029). Writes the lower-cased media part to kind.
 */
static bool parse_mime_type(const json_t *mime, const char **kind) {
  const char *s = json_string_value(mime);
  size_t len = json_string_length(mime);
  if (len < 7 || s[5] != '/') return false;
  if (strncasecmp(s, "audio", 5) == 0)
    *kind = "audio";
  else if (strncasecmp(s, "video", 5) == 0)
    *kind = "video";
  else
    return false;
  const unsigned char *sub = (const unsigned char *)s + 6;
  if (sub[0] == '\n' || sub[0] == '\r') return false;
  if (len >= 9 && sub[0] == 0xe2 && sub[1] == 0x80 && (sub[2] == 0xa8 || sub[2] == 0xa9))
    return false;
  return true;
}

/* Turns an array into the object JS's Object.keys() would enumerate. */
static json_t *array_to_object(const json_t *arr) {
  json_t *obj = json_object();
  if (obj == NULL) return NULL;
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    char key[24];
    snprintf(key, sizeof(key), "%zu", i);
    if (json_object_set(obj, key, v) != 0) {
      json_decref(obj);
      return NULL;
    }
  }
  return obj;
}

int braid__ortc_null_read(char *err, size_t errlen, const char *prop_name) {
  return braid__ortc_fail(err, errlen, BRAID_EINVAL,
                          "Cannot read properties of null (reading '%s')", prop_name);
}

static int bad_param(const char *key, const json_t *value, const char *what, char *err,
                     size_t errlen) {
  if (what != NULL) return braid__ortc_fail(err, errlen, BRAID_EINVAL, "%s", what);
  /* mediasoup's message, typo included: `[key:${key}s, value:${value}]`. */
  char repr[128];
  braid_ortc_jsjson_to_string(value, repr, sizeof(repr));
  return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid codec parameter [key:%ss, value:%s]",
                          key, repr);
}

int braid__ortc_check_params(const json_t *params, const char *what, char *err, size_t errlen) {
  if (json_is_array(params)) {
    /* Object.keys() of an array: its indices; "apt" is never one. */
    for (size_t i = 0; i < json_array_size(params); i++) {
      const json_t *value = json_array_get(params, i);
      char key[24];
      snprintf(key, sizeof(key), "%zu", i);
      if (!json_is_string(value) && !json_is_number(value))
        return bad_param(key, value, what, err, errlen);
    }
    return 0;
  }
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)params, key, value) {
    if (!json_is_string(value) && !json_is_number(value))
      return bad_param(key, value, what, err, errlen);
    if (what == NULL && strcmp(key, "apt") == 0 && !json_is_number(value))
      return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid codec apt parameter");
  }
  return 0;
}

/*
 * `if (!codec.parameters || typeof codec.parameters !== 'object')
 * codec.parameters = {}`, then every value is checked. An array is kept, or
 * turned into an object for capabilities (see validate.h).
 */
static int validate_parameters(json_t *codec, bool keep_array, char *err, size_t errlen) {
  json_t *params = prop(codec, "parameters");
  int rc;
  if (!braid_ortc_jsval_truthy(params) || !is_js_object(params)) {
    if ((rc = set_new(codec, "parameters", json_object())) != 0) return rc;
  } else if (json_is_array(params) && !keep_array) {
    if ((rc = set_new(codec, "parameters", array_to_object(params))) != 0) return rc;
  }
  return braid__ortc_check_params(json_object_get(codec, "parameters"), NULL, err, errlen);
}

static int validate_rtcp_feedback(json_t *codec, char *err, size_t errlen) {
  json_t *fbs = prop(codec, "rtcpFeedback");
  int rc;
  if (!json_is_array(fbs)) {
    if ((rc = set_new(codec, "rtcpFeedback", json_array())) != 0) return rc;
    return 0;
  }
  size_t i;
  json_t *fb;
  json_array_foreach(fbs, i, fb) {
    if ((rc = braid_ortc_validate_rtcp_fb(fb, err, errlen)) != 0) return rc;
  }
  return 0;
}

int braid__ortc_validate_codec_tail(json_t *codec, const char *kind, bool keep_array, char *err,
                                    size_t errlen) {
  int rc;
  if (strcmp(kind, "audio") == 0) {
    if (!json_is_number(json_object_get(codec, "channels")) &&
        (rc = set_new(codec, "channels", json_integer(1))) != 0)
      return rc;
  } else {
    json_object_del(codec, "channels");
  }
  if ((rc = validate_parameters(codec, keep_array, err, errlen)) != 0) return rc;
  return validate_rtcp_feedback(codec, err, errlen);
}

int braid__ortc_validate_mime(json_t *codec, const char **kind, char *err, size_t errlen) {
  if (json_is_null(codec)) return braid__ortc_null_read(err, errlen, "mimeType");
  if (!is_js_object(codec))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "codec is not an object");
  json_t *mime = prop(codec, "mimeType");
  if (!is_truthy_string(mime))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "missing codec.mimeType");
  if (!parse_mime_type(mime, kind))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid codec.mimeType");
  return 0;
}

int braid_ortc_validate_codec_cap(json_t *codec, char *err, size_t errlen) {
  const char *kind = NULL;
  int rc = braid__ortc_validate_mime(codec, &kind, err, errlen);
  if (rc != 0) return rc;

  /* From here on codec is an object: an array has no mimeType. */
  if ((rc = set_new(codec, "kind", json_string(kind))) != 0) return rc;

  json_t *pt = json_object_get(codec, "preferredPayloadType");
  if (braid_ortc_jsval_truthy(pt) && !json_is_number(pt))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid codec.preferredPayloadType");

  if (!json_is_number(json_object_get(codec, "clockRate")))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "missing codec.clockRate");
  return braid__ortc_validate_codec_tail(codec, kind, false, err, errlen);
}

int braid_ortc_validate_rtcp_fb(json_t *fb, char *err, size_t errlen) {
  if (json_is_null(fb)) return braid__ortc_null_read(err, errlen, "type");
  if (!is_js_object(fb)) return braid__ortc_fail(err, errlen, BRAID_EINVAL, "fb is not an object");
  if (!is_truthy_string(prop(fb, "type")))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "missing fb.type");
  if (!is_truthy_string(json_object_get(fb, "parameter")))
    return set_new(fb, "parameter", json_string(""));
  return 0;
}

int braid_ortc_validate_hdrext_cap(json_t *ext, char *err, size_t errlen) {
  if (json_is_null(ext)) return braid__ortc_null_read(err, errlen, "kind");
  if (!is_js_object(ext))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "ext is not an object");
  json_t *kind = prop(ext, "kind");
  if (!str_is(kind, "audio") && !str_is(kind, "video"))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid ext.kind");
  if (!is_truthy_string(json_object_get(ext, "uri")))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "missing ext.uri");
  if (!json_is_number(json_object_get(ext, "preferredId")))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "missing ext.preferredId");

  int rc;
  json_t *enc = json_object_get(ext, "preferredEncrypt");
  if (braid_ortc_jsval_truthy(enc) && !json_is_boolean(enc))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid ext.preferredEncrypt");
  if (!braid_ortc_jsval_truthy(enc) && (rc = set_new(ext, "preferredEncrypt", json_false())) != 0)
    return rc;

  json_t *dir = json_object_get(ext, "direction");
  if (braid_ortc_jsval_truthy(dir) && !json_is_string(dir))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid ext.direction");
  if (!braid_ortc_jsval_truthy(dir) &&
      (rc = set_new(ext, "direction", json_string("sendrecv"))) != 0)
    return rc;
  return 0;
}
