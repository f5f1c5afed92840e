/*
 * Fuzzer for the client JSON that controller/ortc/ digests: a `produce`
 * request's data ({kind, rtpParameters}) or, when the input is anything
 * else, the input itself as rtpParameters, rtpCapabilities and
 * sctpStreamParameters.
 *
 * It runs the whole path a controller runs -- validation, the transport's
 * CNAME rule, mapping, consumable parameters, the worker's checks, then
 * consumers for a Chrome-like device, a pipe consumer and canConsume -- and
 * the input as the capabilities of a consumer of a fixed producer. Findings
 * are crashes, sanitizer reports, and these invariants: every output
 * serialises to JSON that reads back to the same text, a consumer's first
 * codec is never RTX and a non-pipe consumer has exactly one encoding with
 * the ssrc it was given, every error comes with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "controller/ortc/consume.h"
#include "controller/ortc/consumer.h"
#include "controller/ortc/h264_profile.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/match.h"
#include "controller/ortc/produce.h"
#include "controller/ortc/router_caps.h"
#include "controller/ortc/rtp_params.h"
#include "controller/ortc/sctp_stream.h"
#include "controller/ortc/validate.h"

/* What mediasoup-client (3.24.1, FakeHandler fed Chrome's capabilities)
 * reports as device.rtpCapabilities for the default router. */
static const char device_caps_text[] =
    "{\"codecs\":[{\"kind\":\"audio\",\"mimeType\":\"audio/opus\",\"preferredPayloadType\":100,"
    "\"clockRate\":48000,\"channels\":2,\"parameters\":{\"minptime\":10,\"useinbandfec\":1},"
    "\"rtcpFeedback\":[{\"type\":\"transport-cc\",\"parameter\":\"\"}]},{\"kind\":\"video\","
    "\"mimeType\":\"video/VP8\",\"preferredPayloadType\":101,\"clockRate\":90000,\"parameters\":{},"
    "\"rtcpFeedback\":[{\"type\":\"goog-remb\",\"parameter\":\"\"},{\"type\":\"transport-cc\","
    "\"parameter\":\"\"},{\"type\":\"ccm\",\"parameter\":\"fir\"},{\"type\":\"nack\",\"parameter\":"
    "\"\"},{\"type\":\"nack\",\"parameter\":\"pli\"}]},{\"kind\":\"video\",\"mimeType\":\"video/"
    "rtx\","
    "\"preferredPayloadType\":102,\"clockRate\":90000,\"parameters\":{\"apt\":101},"
    "\"rtcpFeedback\":"
    "[]},{\"kind\":\"video\",\"mimeType\":\"video/VP9\",\"preferredPayloadType\":103,\"clockRate\":"
    "90000,\"parameters\":{\"profile-id\":2},\"rtcpFeedback\":[{\"type\":\"nack\",\"parameter\":"
    "\"\"},{\"type\":\"nack\",\"parameter\":\"pli\"}]},{\"kind\":\"video\",\"mimeType\":\"video/"
    "rtx\","
    "\"preferredPayloadType\":104,\"clockRate\":90000,\"parameters\":{\"apt\":103},"
    "\"rtcpFeedback\":"
    "[]},{\"kind\":\"video\",\"mimeType\":\"video/"
    "H264\",\"preferredPayloadType\":105,\"clockRate\":"
    "90000,\"parameters\":{\"level-asymmetry-allowed\":1,\"packetization-mode\":1,"
    "\"profile-level-id\":\"4d001f\"},\"rtcpFeedback\":[{\"type\":\"nack\",\"parameter\":\"\"}]},"
    "{\"kind\":\"video\",\"mimeType\":\"video/"
    "rtx\",\"preferredPayloadType\":106,\"clockRate\":90000,"
    "\"parameters\":{\"apt\":105},\"rtcpFeedback\":[]}],\"headerExtensions\":[{\"kind\":\"audio\","
    "\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:mid\",\"preferredId\":1,\"preferredEncrypt\":false,"
    "\"direction\":\"sendrecv\"},{\"kind\":\"video\",\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:"
    "mid\","
    "\"preferredId\":1,\"preferredEncrypt\":false,\"direction\":\"sendrecv\"},{\"kind\":\"video\","
    "\"uri\":\"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\",\"preferredId\":4,"
    "\"preferredEncrypt\":false,\"direction\":\"sendrecv\"},{\"kind\":\"video\",\"uri\":"
    "\"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\","
    "\"preferredId\":5,\"preferredEncrypt\":false,\"direction\":\"sendrecv\"}]}";

/* A fixed VP8 simulcast producer, consumed with the input as capabilities. */
static const char vp8_params_text[] =
    "{\"mid\":\"1\",\"codecs\":[{\"mimeType\":\"video/VP8\",\"payloadType\":96,\"clockRate\":90000,"
    "\"rtcpFeedback\":[{\"type\":\"nack\"},{\"type\":\"nack\",\"parameter\":\"pli\"},"
    "{\"type\":\"transport-cc\"}]},{\"mimeType\":\"video/rtx\",\"payloadType\":97,\"clockRate\":"
    "90000,\"parameters\":{\"apt\":96}}],\"headerExtensions\":[{\"uri\":"
    "\"urn:ietf:params:rtp-hdrext:sdes:mid\",\"id\":4}],\"encodings\":[{\"rid\":\"r0\","
    "\"scalabilityMode\":\"L1T3\"},{\"rid\":\"r1\",\"scalabilityMode\":\"L1T3\"}],\"rtcp\":{}}";

static json_t *router_caps, *device_caps;
static braid_ortc_produce_t vp8;

static json_t *parse(const char *text) {
  json_t *v = json_loads(text, 0, NULL);
  BRAID_ASSERT(v != NULL);
  return v;
}

static void init_once(void) {
  if (router_caps != NULL) return;
  json_t *codecs = NULL;
  BRAID_ASSERT(braid_ortc_load_media_codecs(NULL, &codecs, NULL, 0) == 0);
  BRAID_ASSERT(braid_ortc_router_caps(codecs, &router_caps, NULL, 0) == 0);
  json_decref(codecs);
  device_caps = parse(device_caps_text);
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  json_t *params = parse(vp8_params_text), *kind = json_string("video");
  BRAID_ASSERT(braid_ortc_produce(&t, kind, params, router_caps, 100000000, "cccccccc", &vp8, NULL,
                                  NULL, 0) == 0);
  json_decref(kind);
  json_decref(params);
  braid_ortc_transport_cleanup(&t);
}

/* The output serialises, and reads back as JSON giving the same text. */
static void check_json(const json_t *v) {
  char *text = braid_ortc_jsjson_dumps(v);
  BRAID_ASSERT(text != NULL);
  json_t *again = json_loads(text, JSON_DECODE_ANY, NULL);
  BRAID_ASSERT(again != NULL);
  char *text2 = braid_ortc_jsjson_dumps(again);
  BRAID_ASSERT(text2 != NULL && strcmp(text, text2) == 0);
  free(text2);
  free(text);
  json_decref(again);
}

static void check_error(int rc, const char *err) {
  BRAID_ASSERT(rc == BRAID_EINVAL || rc == BRAID_ENOTFOUND);
  BRAID_ASSERT(err[0] != '\0');
}

static void check_consumer(const json_t *params, bool pipe, uint32_t ssrc) {
  check_json(params);
  const json_t *codecs = json_object_get(params, "codecs");
  BRAID_ASSERT(json_array_size(codecs) > 0 && !braid_ortc_match_is_rtx(json_array_get(codecs, 0)));
  const json_t *encs = json_object_get(params, "encodings");
  if (pipe) return;
  BRAID_ASSERT(json_array_size(encs) == 1);
  BRAID_ASSERT(json_integer_value(json_object_get(json_array_get(encs, 0), "ssrc")) == ssrc);
  BRAID_ASSERT(json_is_string(json_object_get(params, "mid")));
}

static void consume_all(const braid_ortc_produce_t *p, const char *kind, const json_t *caps) {
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  char err[256] = "";
  for (int pipe = 0; pipe <= 1; pipe++) {
    braid_ortc_consume_req_t req = {.producer_id = "p",
                                    .consumable = p->consumable,
                                    .kind = kind,
                                    .rtp_capabilities = caps,
                                    .enable_rtx = BRAID_ORTC_RTX_DEFAULT,
                                    .pipe = pipe == 1,
                                    .random_ssrc = 123456789,
                                    .random_rtx_ssrc = 987654321};
    json_t *out = NULL;
    int rc = braid_ortc_consume(&t, &req, &out, NULL, err, sizeof(err));
    if (rc == 0)
      check_consumer(out, pipe == 1, 123456789);
    else
      check_error(rc, err);
    json_decref(out);
  }
  braid_ortc_consumer_can_consume(p->consumable, caps, err, sizeof(err));
  braid_ortc_transport_cleanup(&t);
}

static void produce_and_consume(const json_t *kind, const json_t *params) {
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  braid_ortc_produce_t p;
  char err[256] = "";
  int rc = braid_ortc_produce(&t, kind, params, router_caps, 999999998, "cccccccc", &p, NULL, err,
                              sizeof(err));
  if (rc != 0) {
    check_error(rc, err);
    braid_ortc_transport_cleanup(&t);
    return;
  }
  check_json(p.rtp_parameters);
  check_json(p.rtp_mapping);
  check_json(p.consumable);
  BRAID_ASSERT(braid_ortc_producer_type_name(p.type) != NULL);
  consume_all(&p, json_string_value(kind), device_caps);
  json_t *pipe = NULL;
  if (braid_ortc_consumer_pipe_params(p.consumable, true, 1, 2, &pipe, err, sizeof(err)) == 0)
    check_json(pipe);
  json_decref(pipe);
  braid_ortc_produce_cleanup(&p);
  braid_ortc_transport_cleanup(&t);
}

static void as_other_things(const json_t *input) {
  char err[256] = "";
  json_t *copy = json_deep_copy(input);
  if (copy != NULL && braid_ortc_rtp_params_validate_caps(copy, err, sizeof(err)) == 0)
    check_json(copy);
  json_decref(copy);
  copy = json_deep_copy(input);
  if (copy != NULL && braid_ortc_sctp_stream_validate(copy, err, sizeof(err)) == 0)
    check_json(copy);
  json_decref(copy);
  consume_all(&vp8, "video", input);
  /* Strict matching, with rewrite, of the input's first codec against
   * every router codec. */
  json_t *codec = json_deep_copy(json_array_get(json_object_get(input, "codecs"), 0));
  if (codec != NULL && braid_ortc_validate_codec_cap(codec, err, sizeof(err)) == 0) {
    const json_t *list = json_object_get(router_caps, "codecs");
    for (size_t i = 0; i < json_array_size(list); i++) {
      int m = braid_ortc_match_codecs(codec, json_array_get(list, i),
                                      BRAID_ORTC_MATCH_STRICT | BRAID_ORTC_MATCH_MODIFY);
      BRAID_ASSERT(m == 0 || m == 1);
    }
    check_json(codec);
  }
  json_decref(codec);
  braid_ortc_h264_plid_t plid;
  braid_ortc_h264_profile_parse(
      json_object_get(json_object_get(input, "parameters"), "profile-level-id"), &plid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init_once();
  json_t *input = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
  if (input == NULL) return 0;
  const json_t *kind = json_object_get(input, "kind");
  const json_t *params = json_object_get(input, "rtpParameters");
  if (kind != NULL || params != NULL) {
    produce_and_consume(kind, params);
  } else {
    json_t *video = json_string("video"), *audio = json_string("audio");
    produce_and_consume(video, input);
    produce_and_consume(audio, input);
    json_decref(video);
    json_decref(audio);
    as_other_things(input);
  }
  json_decref(input);
  return 0;
}
