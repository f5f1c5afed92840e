#include "controller/room/pipe_cmd.h"

#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "controller/ortc/consumer.h"
#include "controller/ortc/produce.h"
#include "controller/ortc/producer_type.h"
#include "controller/room/media_cmd.h"
#include "controller/signaling/fields.h"

static bool is_rtx(const json_t *codec) {
  const char *mime = json_string_value(json_object_get(codec, "mimeType"));
  const char *slash = mime ? strchr(mime, '/') : NULL;
  return slash != NULL && strcasecmp(slash + 1, "rtx") == 0;
}

int braid_pipe_cmd_params(const json_t *consumable, uint32_t rtx_ssrc, json_t **out, char *err,
                          size_t errlen) {
  json_t *params = NULL;
  /* Always with RTX for the plain "nack" feedback; without an RTX SSRC the
   * RTX codecs and streams go below. */
  int rc = braid_ortc_consumer_pipe_params(consumable, true, 1, rtx_ssrc ? rtx_ssrc : 1, &params,
                                           err, errlen);
  if (rc != 0) return rc;
  json_t *codecs = json_object_get(params, "codecs");
  for (size_t i = json_array_size(codecs); i-- > 0 && rtx_ssrc == 0;)
    if (is_rtx(json_array_get(codecs, i))) json_array_remove(codecs, i);
  const json_t *mapped = json_object_get(consumable, "encodings");
  json_t *encs = json_object_get(params, "encodings");
  size_t i;
  json_t *e;
  json_array_foreach(encs, i, e) {
    json_t *ssrc = json_object_get(json_array_get(mapped, i), "ssrc");
    if (rtx_ssrc == 0) json_object_del(e, "rtx");
    if (!json_is_integer(ssrc)) {
      json_decref(params);
      return braid_fields_fail(err, errlen, "consumable encoding %zu has no ssrc", i);
    }
    json_object_set(e, "ssrc", ssrc);
  }
  *out = params;
  return 0;
}

int braid_pipe_cmd_consumer(braid_cmd_consumer_create_t *out, const json_t *params,
                            const char *kind, const char *transport_id, const char *consumer_id,
                            const char *producer_id, char *err, size_t errlen) {
  int rc = braid_media_cmd_consumer(out, params, kind, "pipe", transport_id, consumer_id,
                                    producer_id, err, errlen);
  if (rc != 0) return rc;
  /* Every stream goes with its own SSRC (the producer's mapped ones), and
   * its RTX SSRC is rtx_ssrc + its index. */
  out->ssrc = 0;
  out->mid = braid_str_c("");
  out->paused = false;
  out->ignore_dtx = false;
  return 0;
}

static braid_ortc_rtp_type_t type_of(const char *type) {
  if (strcmp(type, "simulcast") == 0) return BRAID_ORTC_RTP_TYPE_SIMULCAST;
  if (strcmp(type, "svc") == 0) return BRAID_ORTC_RTP_TYPE_SVC;
  return BRAID_ORTC_RTP_TYPE_SIMPLE;
}

int braid_pipe_cmd_producer(braid_cmd_producer_create_t *out, const json_t *params,
                            const char *kind, const char *type, const char *transport_id,
                            const char *producer_id, json_t **mapping, char *err, size_t errlen) {
  json_t *codecs = json_array(), *encs = json_array();
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(params, "codecs"), i, c) {
    json_t *pt = json_object_get(c, "payloadType");
    json_array_append_new(codecs, json_pack("{sOsO}", "payloadType", pt, "mappedPayloadType", pt));
  }
  json_array_foreach(json_object_get(params, "encodings"), i, c) {
    json_array_append_new(encs, json_pack("{sO}", "mappedSsrc", json_object_get(c, "ssrc")));
  }
  *mapping = json_pack("{soso}", "codecs", codecs, "encodings", encs);
  braid_ortc_produce_t res = {
      .rtp_parameters = (json_t *)params, .rtp_mapping = *mapping, .type = type_of(type)};
  return braid_media_cmd_producer(out, &res, kind, transport_id, producer_id, err, errlen);
}
