#include "controller/ortc/rtp_params.h"

#include <stdbool.h>

#include "common/err.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/jsval.h"
#include "controller/ortc/validate.h"

#define FAIL(msg) braid__ortc_fail(err, errlen, BRAID_EINVAL, "%s", (msg))

static int set_new(json_t *obj, const char *key, json_t *val) {
  return json_object_set_new(obj, key, val) == 0 ? 0 : BRAID_ENOMEM;
}

/* `typeof v === 'object'` for a value JS got from JSON.parse (null aside). */
static bool is_js_object(const json_t *v) { return json_is_object(v) || json_is_array(v); }

static bool truthy(const json_t *v) { return braid_ortc_jsval_truthy(v); }

/* Property read that treats arrays as objects without named properties. */
static json_t *prop(json_t *v, const char *key) {
  return json_is_object(v) ? json_object_get(v, key) : NULL;
}

/* `if (v && typeof v !== 'string') throw` */
static bool bad_optional_string(const json_t *v) { return truthy(v) && !json_is_string(v); }

/* validateAndNormalizeRtpCodecParameters() */
static int validate_codec(json_t *codec, char *err, size_t errlen) {
  const char *kind = NULL;
  int rc = braid__ortc_validate_mime(codec, &kind, err, errlen);
  if (rc != 0) return rc;
  if (!json_is_number(json_object_get(codec, "payloadType")))
    return FAIL("missing codec.payloadType");
  if (!json_is_number(json_object_get(codec, "clockRate"))) return FAIL("missing codec.clockRate");
  return braid__ortc_validate_codec_tail(codec, kind, true, err, errlen);
}

/* validateAndNormalizeRtpHeaderExtensionParameters() */
static int validate_ext(json_t *ext, char *err, size_t errlen) {
  if (json_is_null(ext)) return braid__ortc_null_read(err, errlen, "uri");
  if (!is_js_object(ext)) return FAIL("ext is not an object");
  json_t *uri = prop(ext, "uri");
  if (!truthy(uri) || !json_is_string(uri)) return FAIL("missing ext.uri");
  /* ext is an object from here on: an array has no uri. */
  if (!json_is_number(json_object_get(ext, "id"))) return FAIL("missing ext.id");

  int rc;
  json_t *encrypt = json_object_get(ext, "encrypt");
  if (truthy(encrypt) && !json_is_boolean(encrypt)) return FAIL("invalid ext.encrypt");
  if (!truthy(encrypt) && (rc = set_new(ext, "encrypt", json_false())) != 0) return rc;

  json_t *params = json_object_get(ext, "parameters");
  if (!truthy(params) || !is_js_object(params)) {
    if ((rc = set_new(ext, "parameters", json_object())) != 0) return rc;
    return 0;
  }
  return braid__ortc_check_params(params, "invalid header extension parameter", err, errlen);
}

/* validateAndNormalizeRtpEncodingParameters() */
static int validate_encoding(json_t *enc, char *err, size_t errlen) {
  if (json_is_null(enc)) return braid__ortc_null_read(err, errlen, "ssrc");
  /* An array would pass in JS (see rtp_params.h). */
  if (!json_is_object(enc)) return FAIL("encoding is not an object");

  json_t *ssrc = json_object_get(enc, "ssrc");
  if (truthy(ssrc) && !json_is_number(ssrc)) return FAIL("invalid encoding.ssrc");
  if (bad_optional_string(json_object_get(enc, "rid"))) return FAIL("invalid encoding.rid");
  json_t *rtx = json_object_get(enc, "rtx");
  if (truthy(rtx) && !is_js_object(rtx)) return FAIL("invalid encoding.rtx");
  if (truthy(rtx) && !json_is_number(prop(rtx, "ssrc"))) return FAIL("missing encoding.rtx.ssrc");

  int rc;
  if (!json_is_true(json_object_get(enc, "dtx")) && (rc = set_new(enc, "dtx", json_false())) != 0)
    return rc;
  if (bad_optional_string(json_object_get(enc, "scalabilityMode")))
    return FAIL("invalid encoding.scalabilityMode");
  return 0;
}

/* `params.key` is optional: a truthy non-array fails, a falsy value becomes
 * []; then check() runs on each entry. */
static int validate_list(json_t *params, const char *key, const char *not_array,
                         int (*check)(json_t *, char *, size_t), char *err, size_t errlen) {
  json_t *list = json_object_get(params, key);
  int rc;
  if (truthy(list) && !json_is_array(list)) return FAIL(not_array);
  if (!truthy(list)) return set_new(params, key, json_array());
  for (size_t i = 0; i < json_array_size(list); i++) {
    if ((rc = check(json_array_get(list, i), err, errlen)) != 0) return rc;
  }
  return 0;
}

/* validateAndNormalizeRtcpParameters() on an object. */
static int validate_rtcp(json_t *rtcp, char *err, size_t errlen) {
  if (bad_optional_string(json_object_get(rtcp, "cname"))) return FAIL("invalid rtcp.cname");
  if (!json_is_true(json_object_get(rtcp, "reducedSize")))
    return set_new(rtcp, "reducedSize", json_true());
  return 0;
}

static int validate_params(json_t *params, char *err, size_t errlen) {
  if (json_is_null(params)) return braid__ortc_null_read(err, errlen, "mid");
  if (!is_js_object(params)) return FAIL("params is not an object");
  if (bad_optional_string(prop(params, "mid"))) return FAIL("params.mid is not a string");

  json_t *codecs = prop(params, "codecs");
  if (!json_is_array(codecs)) return FAIL("missing params.codecs");
  /* params is an object from here on: an array has no codecs. */
  int rc;
  for (size_t i = 0; i < json_array_size(codecs); i++) {
    if ((rc = validate_codec(json_array_get(codecs, i), err, errlen)) != 0) return rc;
  }
  rc = validate_list(params, "headerExtensions", "params.headerExtensions is not an array",
                     validate_ext, err, errlen);
  if (rc != 0) return rc;
  rc = validate_list(params, "encodings", "params.encodings is not an array", validate_encoding,
                     err, errlen);
  if (rc != 0) return rc;

  json_t *rtcp = json_object_get(params, "rtcp");
  /* An array would pass in JS (see rtp_params.h). */
  if (truthy(rtcp) && !json_is_object(rtcp)) return FAIL("params.rtcp is not an object");
  if (!truthy(rtcp)) {
    if ((rc = set_new(params, "rtcp", json_object())) != 0) return rc;
  }
  if (bad_optional_string(json_object_get(params, "msid")))
    return FAIL("params.msid is not a string");
  return validate_rtcp(json_object_get(params, "rtcp"), err, errlen);
}

int braid_ortc_rtp_params_validate(json_t *params, char *err, size_t errlen) {
  int rc = braid_ortc_jsjson_js_order(params);
  if (rc != 0) return braid__ortc_fail(err, errlen, rc, "out of memory");
  rc = validate_params(params, err, errlen);
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  return rc;
}

static int validate_caps(json_t *caps, char *err, size_t errlen) {
  if (json_is_null(caps)) return braid__ortc_null_read(err, errlen, "codecs");
  /* JS gives an array empty codecs and headerExtensions that JSON never
   * shows; every reader of caps sees them as absent, i.e. empty. */
  if (json_is_array(caps)) return 0;
  if (!json_is_object(caps)) return FAIL("caps is not an object");
  int rc = validate_list(caps, "codecs", "caps.codecs is not an array",
                         braid_ortc_validate_codec_cap, err, errlen);
  if (rc != 0) return rc;
  return validate_list(caps, "headerExtensions", "caps.headerExtensions is not an array",
                       braid_ortc_validate_hdrext_cap, err, errlen);
}

int braid_ortc_rtp_params_validate_caps(json_t *caps, char *err, size_t errlen) {
  int rc = braid_ortc_jsjson_js_order(caps);
  if (rc != 0) return braid__ortc_fail(err, errlen, rc, "out of memory");
  rc = validate_caps(caps, err, errlen);
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  return rc;
}
