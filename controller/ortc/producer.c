#include "controller/ortc/producer.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/jsval.h"
#include "controller/ortc/match.h"
#include "controller/ortc/validate.h"

#define ABS_CAPTURE_TIME "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time"

/* Copies src[key] into dst[key] when src has the key (JSON.stringify drops
 * the undefined ones). Returns 0 or BRAID_ENOMEM. */
static int copy_key(json_t *dst, const json_t *src, const char *key) {
  const json_t *v = json_object_get(src, key);
  if (v == NULL) return 0;
  return json_object_set_new(dst, key, json_deep_copy(v)) == 0 ? 0 : BRAID_ENOMEM;
}

static int copy_as(json_t *dst, const char *key, const json_t *v) {
  if (v == NULL) return 0;
  return json_object_set_new(dst, key, json_deep_copy(v)) == 0 ? 0 : BRAID_ENOMEM;
}

static int append_new(json_t *arr, json_t *v) {
  return json_array_append_new(arr, v) == 0 ? 0 : BRAID_ENOMEM;
}

static const json_t *apt_of(const json_t *codec) {
  const json_t *params = json_object_get(codec, "parameters");
  return json_is_object(params) ? json_object_get(params, "apt") : NULL;
}

/* ---- getProducerRtpParametersMapping ----------------------------------- */

static int mapping_entry(json_t *list, const json_t *codec, const json_t *cap) {
  json_t *e = json_object();
  if (e == NULL) return BRAID_ENOMEM;
  int rc = copy_key(e, codec, "payloadType");
  if (rc == 0) rc = copy_as(e, "mappedPayloadType", json_object_get(cap, "preferredPayloadType"));
  if (rc == 0) return append_new(list, e);
  json_decref(e);
  return rc;
}

/* Finds, for each media codec, the caps codec it maps to (cap[i]). */
static int map_media(json_t *codecs, const json_t *caps_codecs, const json_t **cap, char *err,
                     size_t errlen) {
  for (size_t i = 0; i < json_array_size(codecs); i++) {
    json_t *codec = json_array_get(codecs, i);
    if (braid_ortc_match_is_rtx(codec)) continue;
    for (size_t j = 0; j < json_array_size(caps_codecs) && cap[i] == NULL; j++) {
      const json_t *cc = json_array_get(caps_codecs, j);
      int m = braid_ortc_match_codecs(codec, cc, BRAID_ORTC_MATCH_STRICT | BRAID_ORTC_MATCH_MODIFY);
      if (m < 0) return m;
      if (m == 1) cap[i] = cc;
    }
    if (cap[i] != NULL) continue;
    char pt[BRAID_ORTC_JSJSON_NUM_MAX + 16];
    braid_ortc_jsjson_to_string(json_object_get(codec, "payloadType"), pt, sizeof(pt));
    return braid__ortc_fail(err, errlen, BRAID_EINVAL,
                            "unsupported codec [mimeType:%s, payloadType:%s]",
                            json_string_value(json_object_get(codec, "mimeType")), pt);
  }
  return 0;
}

/* Finds, for each RTX codec, the caps RTX codec it maps to (cap[i]). */
static int map_rtx(json_t *codecs, const json_t *caps_codecs, const json_t **cap, char *err,
                   size_t errlen) {
  char num[BRAID_ORTC_JSJSON_NUM_MAX + 16];
  for (size_t i = 0; i < json_array_size(codecs); i++) {
    const json_t *codec = json_array_get(codecs, i);
    if (!braid_ortc_match_is_rtx(codec)) continue;
    size_t media = SIZE_MAX;
    for (size_t k = 0; k < json_array_size(codecs) && media == SIZE_MAX; k++) {
      if (braid_ortc_jsval_strict_eq(json_object_get(json_array_get(codecs, k), "payloadType"),
                                     apt_of(codec)))
        media = k;
    }
    if (media == SIZE_MAX) {
      braid_ortc_jsjson_to_string(json_object_get(codec, "payloadType"), num, sizeof(num));
      return braid__ortc_fail(err, errlen, BRAID_EINVAL, "missing media codec found for RTX PT %s",
                              num);
    }
    /* apt may name an RTX codec whose own mapping is not known (yet). */
    const json_t *cap_media = cap[media];
    if (cap_media == NULL)
      return braid__ortc_fail(
          err, errlen, BRAID_EINVAL,
          "Cannot read properties of undefined (reading 'preferredPayloadType')");
    const json_t *cap_pt = json_object_get(cap_media, "preferredPayloadType");
    for (size_t j = 0; j < json_array_size(caps_codecs) && cap[i] == NULL; j++) {
      const json_t *cc = json_array_get(caps_codecs, j);
      if (braid_ortc_match_is_rtx(cc) && braid_ortc_jsval_strict_eq(apt_of(cc), cap_pt))
        cap[i] = cc;
    }
    if (cap[i] == NULL) {
      braid_ortc_jsjson_to_string(cap_pt, num, sizeof(num));
      return braid__ortc_fail(err, errlen, BRAID_EINVAL, "no RTX codec for capability codec PT %s",
                              num);
    }
  }
  return 0;
}

static int build_mapping(const json_t *params, const json_t **cap, uint32_t base, json_t *mapping) {
  json_t *codecs = json_array(), *encodings = json_array();
  int rc = BRAID_ENOMEM;
  if (codecs == NULL || encodings == NULL) goto out_free;
  if (json_object_set(mapping, "codecs", codecs) != 0) goto out_free;
  if (json_object_set(mapping, "encodings", encodings) != 0) goto out_free;

  /* A JS Map iterates in insertion order: media codecs, then RTX. */
  const json_t *list = json_object_get(params, "codecs");
  for (int rtx = 0; rtx <= 1; rtx++) {
    for (size_t i = 0; i < json_array_size(list); i++) {
      const json_t *codec = json_array_get(list, i);
      if (braid_ortc_match_is_rtx(codec) != (rtx == 1)) continue;
      if ((rc = mapping_entry(codecs, codec, cap[i])) != 0) goto out_free;
    }
  }
  const json_t *encs = json_object_get(params, "encodings");
  for (size_t i = 0; i < json_array_size(encs); i++) {
    const json_t *enc = json_array_get(encs, i);
    json_t *e = json_object();
    if (e == NULL || (rc = append_new(encodings, e)) != 0) {
      rc = BRAID_ENOMEM;
      goto out_free;
    }
    if ((rc = copy_key(e, enc, "ssrc")) != 0) goto out_free;
    if ((rc = copy_key(e, enc, "rid")) != 0) goto out_free;
    if (json_object_set_new(e, "mappedSsrc", json_integer((json_int_t)base + (json_int_t)i)) != 0) {
      rc = BRAID_ENOMEM;
      goto out_free;
    }
  }
  rc = 0;
out_free:
  json_decref(codecs);
  json_decref(encodings);
  return rc;
}

int braid_ortc_producer_mapping(json_t *params, const json_t *caps, uint32_t mapped_ssrc_base,
                                json_t **mapping_out, char *err, size_t errlen) {
  *mapping_out = NULL;
  json_t *codecs = json_object_get(params, "codecs");
  const json_t *caps_codecs = json_object_get(caps, "codecs");
  size_t n = json_array_size(codecs);
  const json_t **cap = calloc(n > 0 ? n : 1, sizeof(*cap));
  json_t *mapping = json_object();
  int rc = BRAID_ENOMEM;
  if (cap == NULL || mapping == NULL) goto out_free;
  if ((rc = map_media(codecs, caps_codecs, cap, err, errlen)) != 0) goto out_free;
  if ((rc = map_rtx(codecs, caps_codecs, cap, err, errlen)) != 0) goto out_free;
  if ((rc = build_mapping(params, cap, mapped_ssrc_base, mapping)) != 0) goto out_free;
  *mapping_out = mapping;
  mapping = NULL;
out_free:
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  json_decref(mapping);
  free(cap);
  return rc;
}

/* ---- getConsumableRtpParameters ---------------------------------------- */

static const json_t *find_by_pt(const json_t *list, const char *key, const json_t *pt) {
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *e = json_array_get(list, i);
    if (braid_ortc_jsval_strict_eq(json_object_get(e, key), pt)) return e;
  }
  return NULL;
}

static int consumable_rtx(json_t *out, const json_t *caps_codecs, const json_t *pt) {
  for (size_t i = 0; i < json_array_size(caps_codecs); i++) {
    const json_t *rtx = json_array_get(caps_codecs, i);
    if (!braid_ortc_match_is_rtx(rtx) || !braid_ortc_jsval_strict_eq(apt_of(rtx), pt)) continue;
    json_t *c = json_object();
    if (c == NULL || append_new(out, c) != 0) return BRAID_ENOMEM;
    int rc = copy_key(c, rtx, "mimeType");
    if (rc == 0) rc = copy_as(c, "payloadType", json_object_get(rtx, "preferredPayloadType"));
    if (rc == 0) rc = copy_key(c, rtx, "clockRate");
    if (rc == 0) rc = copy_key(c, rtx, "parameters");
    if (rc == 0) rc = copy_key(c, rtx, "rtcpFeedback");
    return rc;
  }
  return 0;
}

static int consumable_codecs(json_t *out, const json_t *params, const json_t *caps,
                             const json_t *mapping) {
  const json_t *list = json_object_get(params, "codecs");
  const json_t *caps_codecs = json_object_get(caps, "codecs");
  for (size_t i = 0; i < json_array_size(list); i++) {
    const json_t *codec = json_array_get(list, i);
    if (braid_ortc_match_is_rtx(codec)) continue;
    const json_t *entry = find_by_pt(json_object_get(mapping, "codecs"), "payloadType",
                                     json_object_get(codec, "payloadType"));
    const json_t *cap = find_by_pt(caps_codecs, "preferredPayloadType",
                                   json_object_get(entry, "mappedPayloadType"));
    if (entry == NULL || cap == NULL) return BRAID_EINVAL;
    json_t *c = json_object();
    if (c == NULL || append_new(out, c) != 0) return BRAID_ENOMEM;
    int rc = copy_key(c, cap, "mimeType");
    if (rc == 0) rc = copy_as(c, "payloadType", json_object_get(cap, "preferredPayloadType"));
    if (rc == 0) rc = copy_key(c, cap, "clockRate");
    if (rc == 0) rc = copy_key(c, cap, "channels");
    if (rc == 0) rc = copy_key(c, codec, "parameters"); /* the producer's */
    if (rc == 0) rc = copy_key(c, cap, "rtcpFeedback"); /* the router's */
    if (rc == 0)
      rc = consumable_rtx(out, caps_codecs, json_object_get(cap, "preferredPayloadType"));
    if (rc != 0) return rc;
  }
  return 0;
}

static bool str_eq(const json_t *v, const char *s) {
  return json_is_string(v) && strcmp(json_string_value(v), s) == 0 &&
         json_string_length(v) == strlen(s);
}

static bool params_have_uri(const json_t *params, const json_t *uri) {
  const json_t *exts = json_object_get(params, "headerExtensions");
  for (size_t i = 0; i < json_array_size(exts); i++) {
    if (braid_ortc_jsval_strict_eq(json_object_get(json_array_get(exts, i), "uri"), uri))
      return true;
  }
  return false;
}

static int consumable_exts(json_t *out, const char *kind, const json_t *params,
                           const json_t *caps) {
  const json_t *exts = json_object_get(caps, "headerExtensions");
  for (size_t i = 0; i < json_array_size(exts); i++) {
    const json_t *ext = json_array_get(exts, i);
    const json_t *dir = json_object_get(ext, "direction");
    if (!str_eq(json_object_get(ext, "kind"), kind)) continue;
    if (!str_eq(dir, "sendrecv") && !str_eq(dir, "sendonly")) continue;
    /* abs-capture-time is only proxied from the producer's packets: do not
     * announce what will never arrive. */
    const json_t *uri = json_object_get(ext, "uri");
    if (str_eq(uri, ABS_CAPTURE_TIME) && !params_have_uri(params, uri)) continue;
    json_t *e = json_object();
    if (e == NULL || append_new(out, e) != 0) return BRAID_ENOMEM;
    int rc = copy_as(e, "uri", uri);
    if (rc == 0) rc = copy_as(e, "id", json_object_get(ext, "preferredId"));
    if (rc == 0) rc = copy_as(e, "encrypt", json_object_get(ext, "preferredEncrypt"));
    if (rc == 0 && json_object_set_new(e, "parameters", json_object()) != 0) rc = BRAID_ENOMEM;
    if (rc != 0) return rc;
  }
  return 0;
}

static int consumable_encodings(json_t *out, const json_t *params, const json_t *mapping) {
  const json_t *encs = json_object_get(params, "encodings");
  const json_t *mapped = json_object_get(mapping, "encodings");
  for (size_t i = 0; i < json_array_size(encs); i++) {
    const json_t *ssrc = json_object_get(json_array_get(mapped, i), "mappedSsrc");
    if (ssrc == NULL) return BRAID_EINVAL;
    json_t *e = json_deep_copy(json_array_get(encs, i));
    if (e == NULL || append_new(out, e) != 0) return BRAID_ENOMEM;
    json_object_del(e, "rid");
    json_object_del(e, "rtx");
    json_object_del(e, "codecPayloadType");
    if (copy_as(e, "ssrc", ssrc) != 0) return BRAID_ENOMEM;
  }
  return 0;
}

static int consumable_rtcp(json_t *out, const json_t *params) {
  json_t *rtcp = json_object();
  if (rtcp == NULL || json_object_set_new(out, "rtcp", rtcp) != 0) return BRAID_ENOMEM;
  if (copy_key(rtcp, json_object_get(params, "rtcp"), "cname") != 0) return BRAID_ENOMEM;
  if (json_object_set_new(rtcp, "reducedSize", json_true()) != 0) return BRAID_ENOMEM;
  return copy_key(out, params, "msid");
}

int braid_ortc_producer_consumable(const char *kind, const json_t *params, const json_t *caps,
                                   const json_t *mapping, json_t **out, char *err, size_t errlen) {
  *out = NULL;
  json_t *cp = json_object();
  json_t *codecs = json_array(), *exts = json_array(), *encs = json_array();
  int rc = BRAID_ENOMEM;
  if (cp == NULL || codecs == NULL || exts == NULL || encs == NULL) goto out_free;
  if (json_object_set(cp, "codecs", codecs) != 0 ||
      json_object_set(cp, "headerExtensions", exts) != 0 ||
      json_object_set(cp, "encodings", encs) != 0)
    goto out_free;
  if ((rc = consumable_codecs(codecs, params, caps, mapping)) != 0) goto out_free;
  if ((rc = consumable_exts(exts, kind, params, caps)) != 0) goto out_free;
  if ((rc = consumable_encodings(encs, params, mapping)) != 0) goto out_free;
  if ((rc = consumable_rtcp(cp, params)) != 0) goto out_free;
  *out = cp;
  cp = NULL;
out_free:
  if (rc == BRAID_EINVAL) braid__ortc_fail(err, errlen, rc, "invalid rtpMapping");
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  json_decref(codecs);
  json_decref(exts);
  json_decref(encs);
  json_decref(cp);
  return rc;
}
