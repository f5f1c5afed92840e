/*
 * Shared by the tests of controller/room's command builders: a
 * Chromium-like VP8 simulcast and Opus producer run through ORTC against
 * the demo's router capabilities, and a check that a command encodes as
 * the controller sends it and decodes as the node reads it.
 */
#ifndef BRAID_TESTS_CONTROLLER_ROOM_ORTC_FIXTURE_H
#define BRAID_TESTS_CONTROLLER_ROOM_ORTC_FIXTURE_H

#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/limits.h"
#include "controller/ortc/consume.h"
#include "controller/ortc/produce.h"
#include "controller/ortc/router_caps.h"
#include "proto/cmd.h"
#include "tests/test.h"

#define MAPPED_BASE   400000000u
#define CONSUMER_SSRC 500000000u

/* Chromium's VP8 simulcast (mediasoup-protocol.md §3.3). */
static const char vp8_simulcast[] =
    "{\"mid\":\"1\",\"codecs\":["
    "{\"mimeType\":\"video/VP8\",\"payloadType\":96,\"clockRate\":90000,\"parameters\":{},"
    "\"rtcpFeedback\":[{\"type\":\"goog-remb\",\"parameter\":\"\"},{\"type\":\"transport-cc\"},"
    "{\"type\":\"ccm\",\"parameter\":\"fir\"},{\"type\":\"nack\"},{\"type\":\"nack\",\"parameter\":"
    "\"pli\"}]},"
    "{\"mimeType\":\"video/"
    "rtx\",\"payloadType\":97,\"clockRate\":90000,\"parameters\":{\"apt\":96},"
    "\"rtcpFeedback\":[]}],"
    "\"headerExtensions\":["
    "{\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:mid\",\"id\":4},"
    "{\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\",\"id\":10},"
    "{\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\",\"id\":11},"
    "{\"uri\":\"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\",\"id\":2},"
    "{\"uri\":\"http://www.ietf.org/id/"
    "draft-holmer-rmcat-transport-wide-cc-extensions-01\",\"id\":3},"
    "{\"uri\":\"urn:3gpp:video-orientation\",\"id\":13},"
    "{\"uri\":\"urn:ietf:params:rtp-hdrext:toffset\",\"id\":14},"
    "{\"uri\":\"http://www.webrtc.org/experiments/rtp-hdrext/playout-delay\",\"id\":12}],"
    "\"encodings\":["
    "{\"rid\":\"r0\",\"scaleResolutionDownBy\":4,\"maxBitrate\":500000,\"scalabilityMode\":"
    "\"L1T3\"},"
    "{\"rid\":\"r1\",\"scaleResolutionDownBy\":2,\"maxBitrate\":1000000,\"scalabilityMode\":"
    "\"L1T3\"},"
    "{\"rid\":\"r2\",\"scaleResolutionDownBy\":1,\"maxBitrate\":5000000,\"scalabilityMode\":"
    "\"L1T3\"}],"
    "\"rtcp\":{\"cname\":\"Y2nLFGjA\",\"reducedSize\":true}}";

/* Chromium's Opus with an SSRC (no RTX for audio). */
static const char opus[] =
    "{\"mid\":\"0\",\"codecs\":[{\"mimeType\":\"audio/"
    "opus\",\"payloadType\":111,\"clockRate\":48000,"
    "\"channels\":2,\"parameters\":{\"minptime\":10,\"useinbandfec\":1},"
    "\"rtcpFeedback\":[{\"type\":\"transport-cc\"},{\"type\":\"nack\"}]}],"
    "\"headerExtensions\":["
    "{\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:mid\",\"id\":4},"
    "{\"uri\":\"urn:ietf:params:rtp-hdrext:ssrc-audio-level\",\"id\":1},"
    "{\"uri\":\"http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time\",\"id\":9},"
    "{\"uri\":\"urn:mediasoup:params:rtp-hdrext:packet-id\",\"id\":15}],"
    "\"encodings\":[{\"ssrc\":3735928559,\"dtx\":false}],\"rtcp\":{\"cname\":\"Y2nLFGjA\"}}";

static inline json_t *parse(const char *text) {
  json_error_t jerr;
  json_t *v = json_loads(text, 0, &jerr);
  if (v == NULL) BRAID_TEST_FAIL("bad test JSON: %s", jerr.text);
  return v;
}

static inline json_t *router_caps(void) {
  json_t *codecs = NULL, *caps = NULL;
  char err[256];
  ASSERT_EQ(braid_ortc_load_media_codecs(NULL, &codecs, err, sizeof err), 0);
  ASSERT_EQ(braid_ortc_router_caps(codecs, &caps, err, sizeof err), 0);
  json_decref(codecs);
  return caps;
}

/* The router's id of the header extension uri for kind. */
static inline int router_ext_id(json_t *caps, const char *kind, const char *uri) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(caps, "headerExtensions"), i, e) {
    if (strcmp(json_string_value(json_object_get(e, "uri")), uri) == 0 &&
        strcmp(json_string_value(json_object_get(e, "kind")), kind) == 0)
      return (int)json_integer_value(json_object_get(e, "preferredId"));
  }
  return 0;
}

static inline int router_pt(json_t *caps, const char *mime) {
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(caps, "codecs"), i, c) {
    if (strcasecmp(json_string_value(json_object_get(c, "mimeType")), mime) == 0)
      return (int)json_integer_value(json_object_get(c, "preferredPayloadType"));
  }
  return -1;
}

static inline void produce(const char *params_text, const char *kind, json_t *caps,
                           braid_ortc_produce_t *out) {
  braid_ortc_transport_t t;
  char err[256] = "";
  json_t *params = parse(params_text), *k = json_string(kind);
  braid_ortc_transport_init(&t, false);
  int rc = braid_ortc_produce(&t, k, params, caps, MAPPED_BASE, "0123456789abcdef", out, NULL, err,
                              sizeof err);
  if (rc != 0) BRAID_TEST_FAIL("produce: %s", err);
  braid_ortc_transport_cleanup(&t);
  json_decref(params);
  json_decref(k);
}

/* Encodes cmd as the controller would, and decodes it as the node would. */
static inline void encodes(braid_cmd_t *cmd) {
  braid_buf_t buf;
  braid_cmd_t back;
  braid_buf_init(&buf, BRAID_PROTO_MAX_MSG);
  cmd->id = 1;
  cmd->reply_to = braid_str_c("ctl");
  ASSERT_EQ(braid_cmd_encode(cmd, &buf), 0);
  ASSERT_EQ(braid_cmd_decode(&back, buf.data, buf.len, NULL), 0);
  ASSERT_EQ(back.type, cmd->type);
  braid_buf_cleanup(&buf);
}

#endif
