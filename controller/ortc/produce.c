#include "controller/ortc/produce.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/producer.h"
#include "controller/ortc/rtp_params.h"
#include "controller/ortc/validate.h"

/* The header extensions Node's rtpHeaderExtensionUriToFbs() knows. */
static const char *const known_uris[] = {
    "urn:ietf:params:rtp-hdrext:sdes:mid",
    "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
    "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension",
    "urn:3gpp:video-orientation",
    "urn:ietf:params:rtp-hdrext:toffset",
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
    "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
    "urn:mediasoup:params:rtp-hdrext:packet-id",
};

static bool known_uri(const json_t *uri) {
  for (size_t i = 0; i < sizeof(known_uris) / sizeof(known_uris[0]); i++) {
    if (json_string_length(uri) == strlen(known_uris[i]) &&
        strcmp(json_string_value(uri), known_uris[i]) == 0)
      return true;
  }
  return false;
}

/* StringToBigInt (ECMA-262 7.1.14): white space around an integer literal,
 * decimal with an optional sign, or 0x/0o/0b without one; "" is 0n. */
static bool bigint_literal(const char *s, size_t len) {
  size_t b = len, e = 0, i = 0;
  while (i < len) {
    size_t at = i;
    if (!braid_ortc_jsjson_is_space(braid_ortc_jsjson_utf8_next(s, len, &i))) {
      if (b == len) b = at;
      e = i;
    }
  }
  if (b == len) return true;
  const char *p = s + b;
  size_t n = e - b;
  int radix = 10;
  if (n >= 2 && p[0] == '0') {
    char x = p[1];
    radix = (x == 'x' || x == 'X')   ? 16
            : (x == 'o' || x == 'O') ? 8
            : (x == 'b' || x == 'B') ? 2
                                     : 10;
  }
  size_t k = 0;
  if (radix != 10)
    k = 2;
  else if (p[0] == '+' || p[0] == '-')
    k = 1;
  if (k == n) return false;
  for (; k < n; k++) {
    char c = p[k];
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : 99;
    if (d >= radix) return false;
  }
  return true;
}

/* BigInt(v) as Node calls it on encoding.maxBitrate. */
static int check_bigint(const json_t *v, char *err, size_t errlen) {
  char repr[256];
  if (json_is_number(v)) {
    double d = braid_ortc_jsjson_number_value(v);
    if (isfinite(d) && d == trunc(d)) return 0;
    char num[BRAID_ORTC_JSJSON_NUM_MAX];
    return braid__ortc_fail(err, errlen, BRAID_EINVAL,
                            "The number %s cannot be converted to a BigInt because it is not an "
                            "integer",
                            braid_ortc_jsjson_number(d, num));
  }
  if (json_is_boolean(v)) return 0;
  if (json_is_null(v))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "Cannot convert null to a BigInt");
  /* Strings, and objects and arrays through their String(). */
  braid_ortc_jsjson_to_string(v, repr, sizeof(repr));
  if (!json_is_object(v) && bigint_literal(repr, strlen(repr))) return 0;
  return braid__ortc_fail(err, errlen, BRAID_EINVAL, "Cannot convert %s to a BigInt", repr);
}

int braid_ortc_produce_check_serializable(const json_t *params, char *err, size_t errlen) {
  const json_t *exts = json_object_get(params, "headerExtensions");
  for (size_t i = 0; i < json_array_size(exts); i++) {
    const json_t *uri = json_object_get(json_array_get(exts, i), "uri");
    if (!known_uri(uri))
      return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid RtpHeaderExtensionUri: %s",
                              json_string_value(uri));
  }
  const json_t *encs = json_object_get(params, "encodings");
  for (size_t i = 0; i < json_array_size(encs); i++) {
    const json_t *max = json_object_get(json_array_get(encs, i), "maxBitrate");
    int rc = max != NULL ? check_bigint(max, err, errlen) : 0;
    if (rc != 0) return rc;
  }
  return 0;
}

static bool is_kind(const json_t *kind, const char *want) {
  return json_is_string(kind) && strcmp(json_string_value(kind), want) == 0 &&
         json_string_length(kind) == strlen(want);
}

/* Step 3: `if (!encodings || !Array.isArray(encodings) || !encodings.length)
 * encodings = [{}]`. */
static int default_encodings(json_t *params) {
  if (json_array_size(json_object_get(params, "encodings")) > 0) return 0;
  json_t *list = json_array();
  if (list == NULL) return BRAID_ENOMEM;
  if (json_array_append_new(list, json_object()) != 0) {
    json_decref(list);
    return BRAID_ENOMEM;
  }
  return json_object_set_new(params, "encodings", list) == 0 ? 0 : BRAID_ENOMEM;
}

void braid_ortc_produce_cleanup(braid_ortc_produce_t *p) {
  json_decref(p->rtp_parameters);
  json_decref(p->rtp_mapping);
  json_decref(p->consumable);
  p->rtp_parameters = p->rtp_mapping = p->consumable = NULL;
}

int braid_ortc_produce_node(braid_ortc_transport_t *t, const json_t *kind,
                            const json_t *rtp_parameters, const json_t *router_caps,
                            uint32_t mapped_ssrc_base, const char *random_cname,
                            braid_ortc_produce_t *out, bool *cname_changed, char *err,
                            size_t errlen) {
  memset(out, 0, sizeof(*out));
  if (cname_changed != NULL) *cname_changed = false;
  if (!is_kind(kind, "audio") && !is_kind(kind, "video")) {
    char repr[128];
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid kind \"%s\"",
                            braid_ortc_jsjson_to_string(kind, repr, sizeof(repr)));
  }
  const char *k = json_string_value(kind);
  braid_ortc_produce_t p = {NULL, NULL, NULL, BRAID_ORTC_RTP_TYPE_SIMPLE};
  int rc = BRAID_ENOMEM;
  if (rtp_parameters == NULL) {
    rc = braid__ortc_fail(err, errlen, BRAID_EINVAL, "params is not an object");
    goto out_free;
  }
  if ((p.rtp_parameters = json_deep_copy(rtp_parameters)) == NULL) goto out_free;
  if ((rc = braid_ortc_rtp_params_validate(p.rtp_parameters, err, errlen)) != 0) goto out_free;
  if ((rc = default_encodings(p.rtp_parameters)) != 0) goto out_free;
  rc = braid_ortc_transport_apply_cname(t, p.rtp_parameters, random_cname, cname_changed);
  if (rc != 0) goto out_free;
  rc = braid_ortc_producer_mapping(p.rtp_parameters, router_caps, mapped_ssrc_base, &p.rtp_mapping,
                                   err, errlen);
  if (rc != 0) goto out_free;
  rc = braid_ortc_producer_consumable(k, p.rtp_parameters, router_caps, p.rtp_mapping,
                                      &p.consumable, err, errlen);
  if (rc != 0) goto out_free;
  if ((rc = braid_ortc_produce_check_serializable(p.rtp_parameters, err, errlen)) != 0)
    goto out_free;
  *out = p;
  return 0;
out_free:
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  braid_ortc_produce_cleanup(&p);
  return rc;
}

int braid_ortc_produce(braid_ortc_transport_t *t, const json_t *kind, const json_t *rtp_parameters,
                       const json_t *router_caps, uint32_t mapped_ssrc_base,
                       const char *random_cname, braid_ortc_produce_t *out, bool *cname_changed,
                       char *err, size_t errlen) {
  int rc = braid_ortc_produce_node(t, kind, rtp_parameters, router_caps, mapped_ssrc_base,
                                   random_cname, out, cname_changed, err, errlen);
  if (rc != 0) return rc;
  rc = braid_ortc_producer_type_check(out->rtp_parameters, out->rtp_mapping, &out->type, err,
                                      errlen);
  if (rc != 0) braid_ortc_produce_cleanup(out);
  return rc;
}
