#include "controller/ortc/consumer.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/jsval.h"
#include "controller/ortc/match.h"
#include "controller/ortc/rtp_params.h"
#include "controller/ortc/scalability.h"
#include "controller/ortc/validate.h"

#define URI_MID           "urn:ietf:params:rtp-hdrext:sdes:mid"
#define URI_ABS_SEND_TIME "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
#define URI_TWCC          "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

static bool str_is(const json_t *v, const char *s) {
  return json_is_string(v) && json_string_length(v) == strlen(s) &&
         strcmp(json_string_value(v), s) == 0;
}

static const json_t *apt_of(const json_t *codec) {
  const json_t *params = json_object_get(codec, "parameters");
  return json_is_object(params) ? json_object_get(params, "apt") : NULL;
}

/* The first caps codec that matches codec strictly, the caps codec being
 * `a` as in mediasoup (so nothing of codec is rewritten). */
static const json_t *find_cap_match(const json_t *caps, const json_t *codec) {
  const json_t *list = json_object_get(caps, "codecs");
  for (size_t i = 0; i < json_array_size(list); i++) {
    json_t *cap = json_array_get(list, i);
    if (braid_ortc_match_codecs(cap, codec, BRAID_ORTC_MATCH_STRICT) == 1) return cap;
  }
  return NULL;
}

bool braid_ortc_consumer_can_consume(const json_t *consumable, const json_t *caps, char *err,
                                     size_t errlen) {
  json_t *copy = json_deep_copy(caps);
  if (copy == NULL && caps != NULL) {
    braid__ortc_fail(err, errlen, BRAID_ENOMEM, "out of memory");
    return false;
  }
  bool can = false;
  if (caps == NULL) {
    /* typeof undefined !== 'object' */
    braid__ortc_fail(err, errlen, BRAID_EINVAL, "caps is not an object");
  } else if (braid_ortc_rtp_params_validate_caps(copy, err, errlen) == 0) {
    const json_t *codecs = json_object_get(consumable, "codecs");
    for (size_t i = 0; i < json_array_size(codecs); i++) {
      const json_t *codec = json_array_get(codecs, i);
      if (find_cap_match(copy, codec) == NULL) continue;
      can = !braid_ortc_match_is_rtx(codec); /* the first matching codec decides */
      break;
    }
  }
  json_decref(copy);
  return can;
}

/* `fb => keep(fb)` filters, applied in place. */
typedef bool (*fb_keep_fn)(const json_t *fb, bool enable_rtx);

static void filter_fb(json_t *codec, fb_keep_fn keep, bool enable_rtx) {
  json_t *fbs = json_object_get(codec, "rtcpFeedback");
  for (size_t i = json_array_size(fbs); i-- > 0;) {
    if (!keep(json_array_get(fbs, i), enable_rtx)) json_array_remove(fbs, i);
  }
}

/* `enableRtx || fb.type !== 'nack' || fb.parameter` */
static bool keep_nack_if_rtx(const json_t *fb, bool enable_rtx) {
  return enable_rtx || !str_is(json_object_get(fb, "type"), "nack") ||
         braid_ortc_jsval_truthy(json_object_get(fb, "parameter"));
}

static bool keep_not_remb(const json_t *fb, bool enable_rtx) {
  (void)enable_rtx;
  return !str_is(json_object_get(fb, "type"), "goog-remb");
}

static bool keep_not_twcc(const json_t *fb, bool enable_rtx) {
  (void)enable_rtx;
  return !str_is(json_object_get(fb, "type"), "transport-cc");
}

static bool keep_no_bwe(const json_t *fb, bool enable_rtx) {
  return keep_not_remb(fb, enable_rtx) && keep_not_twcc(fb, enable_rtx);
}

/* Pipe consumers: nack pli, ccm fir, and plain nack with RTX. */
static bool keep_pipe(const json_t *fb, bool enable_rtx) {
  const json_t *type = json_object_get(fb, "type"), *param = json_object_get(fb, "parameter");
  return (str_is(type, "nack") && str_is(param, "pli")) ||
         (str_is(type, "ccm") && str_is(param, "fir")) ||
         (enable_rtx && str_is(type, "nack") && !braid_ortc_jsval_truthy(param));
}

/* The skeleton {codecs: [], headerExtensions: [], encodings: [], rtcp,
 * msid?} both consumer kinds start from. */
static json_t *new_params(const json_t *consumable) {
  json_t *p = json_object();
  if (p == NULL) return NULL;
  if (json_object_set_new(p, "codecs", json_array()) != 0 ||
      json_object_set_new(p, "headerExtensions", json_array()) != 0 ||
      json_object_set_new(p, "encodings", json_array()) != 0 ||
      json_object_set_new(p, "rtcp", json_deep_copy(json_object_get(consumable, "rtcp"))) != 0) {
    json_decref(p);
    return NULL;
  }
  const json_t *msid = json_object_get(consumable, "msid");
  if (msid != NULL && json_object_set_new(p, "msid", json_deep_copy(msid)) != 0) {
    json_decref(p);
    return NULL;
  }
  return p;
}

/* Steps 2-3 of getConsumerRtpParameters(): the kept codecs. */
static int consumer_codecs(json_t *codecs, const json_t *consumable, const json_t *caps,
                           bool enable_rtx, bool *rtx_supported) {
  const json_t *list = json_object_get(consumable, "codecs");
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *src = json_array_get(list, i);
    if (!enable_rtx && braid_ortc_match_is_rtx(src)) continue;
    const json_t *cap = find_cap_match(caps, src);
    if (cap == NULL) continue;
    json_t *codec = json_deep_copy(src);
    if (codec == NULL || json_array_append_new(codecs, codec) != 0) return BRAID_ENOMEM;
    json_t *fbs = json_deep_copy(json_object_get(cap, "rtcpFeedback"));
    if (fbs == NULL || json_object_set_new(codec, "rtcpFeedback", fbs) != 0) return BRAID_ENOMEM;
    filter_fb(codec, keep_nack_if_rtx, enable_rtx);
  }
  /* Drop RTX codecs whose media codec is gone, walking backwards. */
  *rtx_supported = false;
  for (size_t idx = json_array_size(codecs); idx-- > 0;) {
    const json_t *codec = json_array_get(codecs, idx);
    if (!braid_ortc_match_is_rtx(codec)) continue;
    bool found = false;
    for (size_t k = 0; k < json_array_size(codecs) && !found; k++)
      found = braid_ortc_jsval_strict_eq(json_object_get(json_array_get(codecs, k), "payloadType"),
                                         apt_of(codec));
    if (found)
      *rtx_supported = true;
    else
      json_array_remove(codecs, idx);
  }
  return 0;
}

static bool caps_have_ext(const json_t *caps, const json_t *ext) {
  const json_t *list = json_object_get(caps, "headerExtensions");
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *c = json_array_get(list, i);
    if (braid_ortc_jsval_strict_eq(json_object_get(c, "preferredId"), json_object_get(ext, "id")) &&
        braid_ortc_jsval_strict_eq(json_object_get(c, "uri"), json_object_get(ext, "uri")))
      return true;
  }
  return false;
}

static bool has_uri(const json_t *exts, const char *uri) {
  for (size_t i = 0; i < json_array_size(exts); i++) {
    if (str_is(json_object_get(json_array_get(exts, i), "uri"), uri)) return true;
  }
  return false;
}

/* Step 5 and the RTCP feedback reduction. */
static int consumer_exts(json_t *params, const json_t *consumable, const json_t *caps) {
  json_t *exts = json_object_get(params, "headerExtensions");
  const json_t *list = json_object_get(consumable, "headerExtensions");
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *ext = json_array_get(list, i);
    if (caps_have_ext(caps, ext) && json_array_append_new(exts, json_deep_copy(ext)) != 0)
      return BRAID_ENOMEM;
  }
  fb_keep_fn keep = has_uri(exts, URI_TWCC)            ? keep_not_remb
                    : has_uri(exts, URI_ABS_SEND_TIME) ? keep_not_twcc
                                                       : keep_no_bwe;
  json_t *codecs = json_object_get(params, "codecs");
  for (size_t i = 0; i < json_array_size(codecs); i++)
    filter_fb(json_array_get(codecs, i), keep, false);
  return 0;
}

static int set_ssrc_obj(json_t *obj, const char *key, json_int_t ssrc) {
  json_t *rtx = json_object();
  if (rtx == NULL || json_object_set_new(rtx, "ssrc", json_integer(ssrc)) != 0) {
    json_decref(rtx);
    return BRAID_ENOMEM;
  }
  return json_object_set_new(obj, key, rtx) == 0 ? 0 : BRAID_ENOMEM;
}

/* Step 7: the single encoding of a non-pipe consumer. */
static int single_encoding(json_t *params, const json_t *consumable, bool rtx_supported,
                           uint32_t ssrc) {
  json_t *enc = json_object();
  if (enc == NULL || json_array_append_new(json_object_get(params, "encodings"), enc) != 0)
    return BRAID_ENOMEM;
  if (json_object_set_new(enc, "ssrc", json_integer(ssrc)) != 0) return BRAID_ENOMEM;
  if (rtx_supported && set_ssrc_obj(enc, "rtx", (json_int_t)ssrc + 1) != 0) return BRAID_ENOMEM;

  const json_t *encs = json_object_get(consumable, "encodings");
  size_t n = json_array_size(encs);
  const json_t *mode = NULL, *max = NULL;
  for (size_t i = 0; i < n && mode == NULL; i++) {
    const json_t *m = json_object_get(json_array_get(encs, i), "scalabilityMode");
    if (braid_ortc_jsval_truthy(m)) mode = m;
  }
  json_t *mode_out = mode != NULL ? json_deep_copy(mode) : NULL;
  if (n > 1) {
    /* Simulcast: the consumer sees N spatial layers. */
    braid_ortc_scalability_t s;
    braid_ortc_scalability_parse(json_string_value(mode), json_string_length(mode), false, &s);
    char buf[32];
    snprintf(buf, sizeof(buf), "L%zuT%d", n, s.temporal_layers);
    json_decref(mode_out);
    mode_out = json_string(buf);
  }
  if ((mode != NULL || n > 1) &&
      (mode_out == NULL || json_object_set_new(enc, "scalabilityMode", mode_out) != 0))
    return BRAID_ENOMEM;

  /* reduce((max, e) => e.maxBitrate && e.maxBitrate > max ? e.maxBitrate : max, 0) */
  for (size_t i = 0; i < n; i++) {
    const json_t *b = json_object_get(json_array_get(encs, i), "maxBitrate");
    if (!braid_ortc_jsval_truthy(b)) continue;
    /* The accumulator starts as the number 0: `b > 0` is ToNumber(b) > 0. */
    bool greater =
        max == NULL ? braid_ortc_jsjson_to_number(b) > 0 : braid_ortc_jsjson_greater(b, max);
    if (greater) max = b;
  }
  if (max != NULL && json_object_set_new(enc, "maxBitrate", json_deep_copy(max)) != 0)
    return BRAID_ENOMEM;
  return 0;
}

/* Pipe encodings: every consumable encoding with consecutive ssrcs. */
static int pipe_encodings(json_t *params, const json_t *consumable, bool with_rtx,
                          uint32_t ssrc_base, uint32_t rtx_base) {
  json_t *out = json_object_get(params, "encodings");
  const json_t *encs = json_object_get(consumable, "encodings");
  for (size_t i = 0; i < json_array_size(encs); i++) {
    json_t *e = json_deep_copy(json_array_get(encs, i));
    if (e == NULL || json_array_append_new(out, e) != 0) return BRAID_ENOMEM;
    if (json_object_set_new(e, "ssrc", json_integer((json_int_t)ssrc_base + (json_int_t)i)) != 0)
      return BRAID_ENOMEM;
    if (!with_rtx)
      json_object_del(e, "rtx");
    else if (set_ssrc_obj(e, "rtx", (json_int_t)rtx_base + (json_int_t)i) != 0)
      return BRAID_ENOMEM;
  }
  return 0;
}

int braid_ortc_consumer_params(const json_t *consumable, const json_t *caps, bool pipe,
                               bool enable_rtx, uint32_t random_ssrc, uint32_t random_rtx_ssrc,
                               json_t **out, char *err, size_t errlen) {
  *out = NULL;
  json_t *params = new_params(consumable);
  int rc = BRAID_ENOMEM;
  bool rtx_supported = false;
  if (params == NULL) goto out_free;
  json_t *codecs = json_object_get(params, "codecs");
  if ((rc = consumer_codecs(codecs, consumable, caps, enable_rtx, &rtx_supported)) != 0)
    goto out_free;
  if (json_array_size(codecs) == 0 || braid_ortc_match_is_rtx(json_array_get(codecs, 0))) {
    rc = braid__ortc_fail(err, errlen, BRAID_EINVAL, "no compatible media codecs");
    goto out_free;
  }
  if ((rc = consumer_exts(params, consumable, caps)) != 0) goto out_free;
  rc = pipe ? pipe_encodings(params, consumable, rtx_supported, random_ssrc, random_rtx_ssrc)
            : single_encoding(params, consumable, rtx_supported, random_ssrc);
  if (rc != 0) goto out_free;
  *out = params;
  params = NULL;
out_free:
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  json_decref(params);
  return rc;
}

/* Inserts ext into the array sorted by numeric id, after equal ids (the
 * stable Array.prototype.sort of mediasoup). */
static int insert_sorted(json_t *exts, json_t *ext) {
  double id = braid_ortc_jsjson_to_number(json_object_get(ext, "id"));
  size_t i = json_array_size(exts);
  while (i > 0 &&
         braid_ortc_jsjson_to_number(json_object_get(json_array_get(exts, i - 1), "id")) > id)
    i--;
  return json_array_insert_new(exts, i, ext) == 0 ? 0 : BRAID_ENOMEM;
}

static json_t *dd_ext(void) {
  json_t *e = json_object();
  if (e == NULL) return NULL;
  if (json_object_set_new(e, "uri", json_string(BRAID_ORTC_DD_URI)) != 0 ||
      json_object_set_new(e, "id", json_integer(BRAID_ORTC_DD_ID)) != 0 ||
      json_object_set_new(e, "encrypt", json_false()) != 0 ||
      json_object_set_new(e, "parameters", json_object()) != 0) {
    json_decref(e);
    return NULL;
  }
  return e;
}

static int pipe_codecs_and_exts(json_t *params, const json_t *consumable, bool enable_rtx) {
  json_t *codecs = json_object_get(params, "codecs");
  const json_t *list = json_object_get(consumable, "codecs");
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *src = json_array_get(list, i);
    if (!enable_rtx && braid_ortc_match_is_rtx(src)) continue;
    json_t *codec = json_deep_copy(src);
    if (codec == NULL || json_array_append_new(codecs, codec) != 0) return BRAID_ENOMEM;
    filter_fb(codec, keep_pipe, enable_rtx);
  }
  /* No transport MID and no BWE over a pipe. */
  json_t *exts = json_object_get(params, "headerExtensions");
  list = json_object_get(consumable, "headerExtensions");
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *ext = json_array_get(list, i);
    const json_t *uri = json_object_get(ext, "uri");
    if (str_is(uri, URI_MID) || str_is(uri, URI_ABS_SEND_TIME) || str_is(uri, URI_TWCC)) continue;
    if (json_array_append_new(exts, json_deep_copy(ext)) != 0) return BRAID_ENOMEM;
  }
  json_t *dd = dd_ext();
  return dd != NULL ? insert_sorted(exts, dd) : BRAID_ENOMEM;
}

int braid_ortc_consumer_pipe_params(const json_t *consumable, bool enable_rtx, uint32_t random_ssrc,
                                    uint32_t random_rtx_ssrc, json_t **out, char *err,
                                    size_t errlen) {
  *out = NULL;
  json_t *params = new_params(consumable);
  int rc = BRAID_ENOMEM;
  if (params == NULL) goto out_free;
  if ((rc = pipe_codecs_and_exts(params, consumable, enable_rtx)) != 0) goto out_free;
  rc = pipe_encodings(params, consumable, enable_rtx, random_ssrc, random_rtx_ssrc);
  if (rc != 0) goto out_free;
  *out = params;
  params = NULL;
out_free:
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  json_decref(params);
  return rc;
}
