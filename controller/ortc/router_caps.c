#include "controller/ortc/router_caps.h"

#include <stdbool.h>
#include <string.h>

#include "common/err.h"
#include "controller/ortc/jsval.h"
#include "controller/ortc/match.h"
#include "controller/ortc/supported_caps.h"
#include "controller/ortc/validate.h"

const char braid_ortc_default_media_codecs[] =
    "[\n"
    "  {\"kind\": \"audio\", \"mimeType\": \"audio/opus\", \"clockRate\": 48000, \"channels\": "
    "2},\n"
    "  {\"kind\": \"video\", \"mimeType\": \"video/VP8\", \"clockRate\": 90000,\n"
    "   \"parameters\": {\"x-google-start-bitrate\": 1000}},\n"
    "  {\"kind\": \"video\", \"mimeType\": \"video/VP9\", \"clockRate\": 90000,\n"
    "   \"parameters\": {\"profile-id\": 2, \"x-google-start-bitrate\": 1000}},\n"
    "  {\"kind\": \"video\", \"mimeType\": \"video/h264\", \"clockRate\": 90000,\n"
    "   \"parameters\": {\"packetization-mode\": 1, \"profile-level-id\": \"4d0032\",\n"
    "                  \"level-asymmetry-allowed\": 1, \"x-google-start-bitrate\": 1000}},\n"
    "  {\"kind\": \"video\", \"mimeType\": \"video/h264\", \"clockRate\": 90000,\n"
    "   \"parameters\": {\"packetization-mode\": 1, \"profile-level-id\": \"42e01f\",\n"
    "                  \"level-asymmetry-allowed\": 1, \"x-google-start-bitrate\": 1000}}\n"
    "]\n";

#define PT_POOL_MAX 32

/* mediasoup's DynamicPayloadTypes: 100..127 then 96..99, taken in order. */
typedef struct pt_pool {
  int pt[PT_POOL_MAX];
  size_t n;
} pt_pool_t;

static void pool_init(pt_pool_t *pool) {
  pool->n = 0;
  for (int pt = 100; pt <= 127; pt++)
    pool->pt[pool->n++] = pt;
  for (int pt = 96; pt <= 99; pt++)
    pool->pt[pool->n++] = pt;
}

static void pool_remove_at(pt_pool_t *pool, size_t i) {
  memmove(&pool->pt[i], &pool->pt[i + 1], (pool->n - i - 1) * sizeof(pool->pt[0]));
  pool->n--;
}

/* Removes the first entry equal to value (JS indexOf + splice). */
static void pool_remove(pt_pool_t *pool, double value) {
  for (size_t i = 0; i < pool->n; i++) {
    if ((double)pool->pt[i] == value) {
      pool_remove_at(pool, i);
      return;
    }
  }
}

/* Takes the first entry (JS shift); false when the pool is empty. */
static bool pool_shift(pt_pool_t *pool, int *pt) {
  if (pool->n == 0) return false;
  *pt = pool->pt[0];
  pool_remove_at(pool, 0);
  return true;
}

static int set_new(json_t *obj, const char *key, json_t *val) {
  return json_object_set_new(obj, key, val) == 0 ? 0 : BRAID_ENOMEM;
}

static const json_t *find_supported(const json_t *supported_codecs, const json_t *media) {
  size_t i;
  const json_t *sc;
  json_array_foreach(supported_codecs, i, sc) {
    if (braid_ortc_match_codecs_loose(media, sc)) return sc;
  }
  return NULL;
}

static int assign_pt(json_t *codec, const json_t *media, pt_pool_t *pool, char *err,
                     size_t errlen) {
  const json_t *configured = json_object_get(media, "preferredPayloadType");
  if (json_is_number(configured)) {
    pool_remove(pool, json_number_value(configured));
    return set_new(codec, "preferredPayloadType", braid_ortc_jsval_number_copy(configured));
  }
  /* A static PT of the supported entry (PCMU, PCMA, G722, CN) is kept. */
  if (json_is_number(json_object_get(codec, "preferredPayloadType"))) return 0;
  int pt;
  if (!pool_shift(pool, &pt))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL,
                            "cannot allocate more dynamic codec payload types");
  return set_new(codec, "preferredPayloadType", json_integer(pt));
}

static bool pt_taken(const json_t *codecs, const json_t *codec) {
  const json_t *pt = json_object_get(codec, "preferredPayloadType");
  size_t i;
  const json_t *c;
  json_array_foreach(codecs, i, c) {
    if (braid_ortc_jsval_strict_eq(json_object_get(c, "preferredPayloadType"), pt)) return true;
  }
  return false;
}

/* codec.parameters = {...codec.parameters, ...media.parameters}: configured
 * values replace supported ones in place, new keys are appended. */
static int merge_parameters(json_t *codec, json_t *media) {
  json_t *params = json_object_get(codec, "parameters");
  json_t *configured = json_object_get(media, "parameters");
  const char *key;
  json_t *value;
  json_object_foreach(configured, key, value) {
    int rc = set_new(params, key, braid_ortc_jsval_scalar_copy(value));
    if (rc != 0) return rc;
  }
  return 0;
}

static int append_rtx(json_t *codecs, const json_t *codec, pt_pool_t *pool, char *err,
                      size_t errlen) {
  int pt;
  if (!pool_shift(pool, &pt))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL,
                            "cannot allocate more dynamic codec payload types");

  json_t *rtx = json_object();
  json_t *params = json_object();
  int rc = BRAID_ENOMEM;
  if (rtx == NULL || params == NULL) goto out_free;
  if ((rc = set_new(rtx, "kind", json_string("video"))) != 0) goto out_free;
  if ((rc = set_new(rtx, "mimeType", json_string("video/rtx"))) != 0) goto out_free;
  if ((rc = set_new(rtx, "preferredPayloadType", json_integer(pt))) != 0) goto out_free;
  rc = set_new(rtx, "clockRate", braid_ortc_jsval_number_copy(json_object_get(codec, "clockRate")));
  if (rc != 0) goto out_free;
  rc = set_new(params, "apt",
               braid_ortc_jsval_number_copy(json_object_get(codec, "preferredPayloadType")));
  if (rc != 0) goto out_free;
  if ((rc = set_new(rtx, "parameters", json_incref(params))) != 0) goto out_free;
  if ((rc = set_new(rtx, "rtcpFeedback", json_array())) != 0) goto out_free;
  rc = json_array_append(codecs, rtx) == 0 ? 0 : BRAID_ENOMEM;
out_free:
  json_decref(params);
  json_decref(rtx);
  return rc;
}

/* Steps 1-6 of braid_ortc_router_caps() for one configured media codec. */
static int add_media_codec(json_t *codecs, const json_t *supported_codecs, pt_pool_t *pool,
                           const json_t *configured, char *err, size_t errlen) {
  json_t *codec = NULL;
  json_t *media = json_deep_copy(configured); /* mediasoup normalises in place; we copy */
  if (media == NULL) return BRAID_ENOMEM;

  int rc = braid_ortc_validate_codec_cap(media, err, errlen);
  if (rc != 0) goto out_free;

  const json_t *supported = find_supported(supported_codecs, media);
  if (supported == NULL) {
    rc = braid__ortc_fail(err, errlen, BRAID_EINVAL, "media codec not supported [mimeType:%s]",
                          json_string_value(json_object_get(media, "mimeType")));
    goto out_free;
  }
  rc = BRAID_ENOMEM;
  if ((codec = json_deep_copy(supported)) == NULL) goto out_free;
  if ((rc = assign_pt(codec, media, pool, err, errlen)) != 0) goto out_free;
  if (pt_taken(codecs, codec)) {
    rc = braid__ortc_fail(err, errlen, BRAID_EINVAL, "duplicated codec.preferredPayloadType");
    goto out_free;
  }
  if ((rc = merge_parameters(codec, media)) != 0) goto out_free;
  if (json_array_append(codecs, codec) != 0) {
    rc = BRAID_ENOMEM;
    goto out_free;
  }
  if (strcmp(json_string_value(json_object_get(codec, "kind")), "video") == 0)
    rc = append_rtx(codecs, codec, pool, err, errlen);
out_free:
  json_decref(codec);
  json_decref(media);
  return rc;
}

int braid_ortc_router_caps(const json_t *media_codecs, json_t **caps_out, char *err,
                           size_t errlen) {
  *caps_out = NULL;
  if (media_codecs != NULL && !json_is_array(media_codecs))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "mediaCodecs must be an Array");

  json_t *supported = NULL;
  int rc = braid_ortc_supported_caps_new(&supported);
  if (rc != 0)
    return braid__ortc_fail(err, errlen, rc, "cannot build the supported RTP capabilities: %s",
                            braid_strerror(rc));

  json_t *caps = json_object();
  json_t *codecs = json_array();
  rc = BRAID_ENOMEM;
  if (caps == NULL || codecs == NULL) goto out_free;
  if (json_object_set(caps, "codecs", codecs) != 0) goto out_free;
  if (json_object_set(caps, "headerExtensions", json_object_get(supported, "headerExtensions")) !=
      0)
    goto out_free;

  pt_pool_t pool;
  pool_init(&pool);
  const json_t *supported_codecs = json_object_get(supported, "codecs");
  rc = 0;
  for (size_t i = 0; media_codecs != NULL && i < json_array_size(media_codecs); i++) {
    rc = add_media_codec(codecs, supported_codecs, &pool, json_array_get(media_codecs, i), err,
                         errlen);
    if (rc != 0) goto out_free;
  }
  *caps_out = caps;
  caps = NULL;
out_free:
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  json_decref(codecs);
  json_decref(caps);
  json_decref(supported);
  return rc;
}

int braid_ortc_load_media_codecs(const char *path_or_null, json_t **out, char *err, size_t errlen) {
  *out = NULL;
  json_error_t jerr;
  const char *what = path_or_null != NULL ? path_or_null : "the default list";
  json_t *list = path_or_null != NULL
                     ? json_load_file(path_or_null, JSON_REJECT_DUPLICATES, &jerr)
                     : json_loads(braid_ortc_default_media_codecs, JSON_REJECT_DUPLICATES, &jerr);
  if (list == NULL) {
    /* A failed allocation is reported as out_of_memory or, when jansson's
     * lexer cannot even start, with no error code. */
    enum json_error_code code = json_error_code(&jerr);
    int rc = code == json_error_out_of_memory || code == json_error_unknown ? BRAID_ENOMEM
                                                                            : BRAID_EINVAL;
    if (jerr.line <= 0)
      return braid__ortc_fail(err, errlen, rc, "cannot load media codecs from %s: %s", what,
                              jerr.text);
    return braid__ortc_fail(err, errlen, rc,
                            "cannot load media codecs from %s: %s (line %d, column %d)", what,
                            jerr.text, jerr.line, jerr.column);
  }
  if (!json_is_array(list)) {
    json_decref(list);
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "media codecs in %s must be a JSON array",
                            what);
  }
  *out = list;
  return 0;
}
