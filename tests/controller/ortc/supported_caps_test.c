/*
 * Tests of controller/ortc/supported_caps.c: the table follows mediasoup
 * 3.27.1 and normalises like mediasoup's validateAndNormalizeRtpCapabilities.
 */
#include "controller/ortc/supported_caps.h"

#include "common/err.h"
#include "tests/test.h"

static json_t *load_caps(void) {
  json_t *caps = NULL;
  ASSERT_EQ(braid_ortc_supported_caps_new(&caps), 0);
  ASSERT(caps != NULL);
  return caps;
}

static const json_t *codec_at(const json_t *caps, size_t i) {
  return json_array_get(json_object_get(caps, "codecs"), i);
}

static const char *str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

static json_int_t num(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  ASSERT(json_is_integer(v));
  return json_integer_value(v);
}

BRAID_TEST(version_is_recorded) {
  ASSERT_STR_EQ(BRAID_ORTC_SUPPORTED_CAPS_MEDIASOUP_VERSION, "3.27.1");
}

/* Every codec of mediasoup 3.27.1, in order: mimeType, clockRate, channels
 * (0 = video), static PT (-1 = none), number of rtcpFeedback entries. */
BRAID_TEST(codec_list) {
  static const struct {
    const char *mime;
    int rate, channels, pt, nfb;
  } want[] = {
      {"audio/opus", 48000, 2, -1, 2},
      {"audio/multiopus", 48000, 4, -1, 2},
      {"audio/multiopus", 48000, 6, -1, 2},
      {"audio/multiopus", 48000, 8, -1, 2},
      {"audio/PCMU", 8000, 1, 0, 1},
      {"audio/PCMA", 8000, 1, 8, 1},
      {"audio/ISAC", 32000, 1, -1, 1},
      {"audio/ISAC", 16000, 1, -1, 1},
      {"audio/G722", 8000, 1, 9, 1},
      {"audio/iLBC", 8000, 1, -1, 1},
      {"audio/SILK", 24000, 1, -1, 1},
      {"audio/SILK", 16000, 1, -1, 1},
      {"audio/SILK", 12000, 1, -1, 1},
      {"audio/SILK", 8000, 1, -1, 1},
      {"audio/CN", 32000, 1, 13, 0},
      {"audio/CN", 16000, 1, 13, 0},
      {"audio/CN", 8000, 1, 13, 0},
      {"audio/telephone-event", 48000, 1, -1, 0},
      {"audio/telephone-event", 32000, 1, -1, 0},
      {"audio/telephone-event", 16000, 1, -1, 0},
      {"audio/telephone-event", 8000, 1, -1, 0},
      {"video/VP8", 90000, 0, -1, 5},
      {"video/VP9", 90000, 0, -1, 5},
      {"video/H264", 90000, 0, -1, 5},
      {"video/AV1", 90000, 0, -1, 5},
  };
  json_t *caps = load_caps();
  const json_t *codecs = json_object_get(caps, "codecs");
  ASSERT_EQ(json_array_size(codecs), sizeof(want) / sizeof(want[0]));
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    const json_t *c = codec_at(caps, i);
    ASSERT_STR_EQ(str(c, "mimeType"), want[i].mime);
    ASSERT_STR_EQ(str(c, "kind"), want[i].channels ? "audio" : "video");
    ASSERT_EQ(num(c, "clockRate"), want[i].rate);
    if (want[i].channels)
      ASSERT_EQ(num(c, "channels"), want[i].channels);
    else
      ASSERT(json_object_get(c, "channels") == NULL);
    if (want[i].pt >= 0)
      ASSERT_EQ(num(c, "preferredPayloadType"), want[i].pt);
    else
      ASSERT(json_object_get(c, "preferredPayloadType") == NULL);
    ASSERT(json_is_object(json_object_get(c, "parameters")));
    ASSERT_EQ(json_array_size(json_object_get(c, "rtcpFeedback")), want[i].nfb);
  }
  json_decref(caps);
}

BRAID_TEST(parameter_types) {
  json_t *caps = load_caps();
  const json_t *quad = json_object_get(codec_at(caps, 1), "parameters");
  ASSERT_STR_EQ(str(quad, "channel_mapping"), "0,1,2,3");
  ASSERT_EQ(num(quad, "num_streams"), 2);
  ASSERT_EQ(num(quad, "coupled_streams"), 2);
  const json_t *surround71 = json_object_get(codec_at(caps, 3), "parameters");
  ASSERT_STR_EQ(str(surround71, "channel_mapping"), "0,6,1,2,3,4,5,7");
  ASSERT_EQ(num(surround71, "num_streams"), 5);
  ASSERT_EQ(num(surround71, "coupled_streams"), 3);
  const json_t *h264 = json_object_get(codec_at(caps, 23), "parameters");
  ASSERT_EQ(json_object_size(h264), 1);
  ASSERT_EQ(num(h264, "level-asymmetry-allowed"), 1);
  ASSERT_EQ(json_object_size(json_object_get(codec_at(caps, 24), "parameters")), 0);
  json_decref(caps);
}

BRAID_TEST(rtcp_feedback_normalised) {
  json_t *caps = load_caps();
  const json_t *vp8 = json_object_get(codec_at(caps, 21), "rtcpFeedback");
  static const char *want[][2] = {
      {"nack", ""}, {"nack", "pli"}, {"ccm", "fir"}, {"goog-remb", ""}, {"transport-cc", ""}};
  for (size_t i = 0; i < 5; i++) {
    const json_t *fb = json_array_get(vp8, i);
    ASSERT_EQ(json_object_size(fb), 2);
    ASSERT_STR_EQ(str(fb, "type"), want[i][0]);
    ASSERT_STR_EQ(str(fb, "parameter"), want[i][1]);
  }
  const json_t *opus = json_object_get(codec_at(caps, 0), "rtcpFeedback");
  ASSERT_STR_EQ(str(json_array_get(opus, 0), "type"), "nack");
  ASSERT_STR_EQ(str(json_array_get(opus, 1), "type"), "transport-cc");
  json_decref(caps);
}

BRAID_TEST(header_extensions) {
  static const struct {
    const char *kind, *uri;
    int id;
    const char *dir;
  } want[] = {
      {"audio", "urn:ietf:params:rtp-hdrext:sdes:mid", 1, "sendrecv"},
      {"video", "urn:ietf:params:rtp-hdrext:sdes:mid", 1, "sendrecv"},
      {"video", "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", 2, "recvonly"},
      {"video", "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", 3, "recvonly"},
      {"audio", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 4, "sendrecv"},
      {"video", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 4, "sendrecv"},
      {"audio", "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", 5,
       "recvonly"},
      {"video", "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", 5,
       "sendrecv"},
      {"audio", "urn:ietf:params:rtp-hdrext:ssrc-audio-level", 6, "sendrecv"},
      {"video",
       "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension", 7,
       "recvonly"},
      {"video", "urn:3gpp:video-orientation", 8, "sendrecv"},
      {"video", "urn:ietf:params:rtp-hdrext:toffset", 9, "sendrecv"},
      {"audio", "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time", 10, "sendrecv"},
      {"video", "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time", 10, "sendrecv"},
      {"audio", "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", 11, "sendrecv"},
      {"video", "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", 11, "sendrecv"},
      {"audio", "urn:mediasoup:params:rtp-hdrext:packet-id", 12, "sendrecv"},
      {"video", "urn:mediasoup:params:rtp-hdrext:packet-id", 12, "sendrecv"},
  };
  json_t *caps = load_caps();
  const json_t *exts = json_object_get(caps, "headerExtensions");
  ASSERT_EQ(json_array_size(exts), sizeof(want) / sizeof(want[0]));
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    const json_t *e = json_array_get(exts, i);
    ASSERT_EQ(json_object_size(e), 5);
    ASSERT_STR_EQ(str(e, "kind"), want[i].kind);
    ASSERT_STR_EQ(str(e, "uri"), want[i].uri);
    ASSERT_EQ(num(e, "preferredId"), want[i].id);
    ASSERT(json_is_false(json_object_get(e, "preferredEncrypt")));
    ASSERT_STR_EQ(str(e, "direction"), want[i].dir);
  }
  json_decref(caps);
}

/* Normalisation appends the keys it adds, as JS assignment does. */
BRAID_TEST(normalised_key_order) {
  json_t *caps = load_caps();
  char *pcmu = json_dumps(codec_at(caps, 4), JSON_COMPACT);
  ASSERT_STR_EQ(pcmu, "{\"kind\":\"audio\",\"mimeType\":\"audio/PCMU\",\"preferredPayloadType\":0,"
                      "\"clockRate\":8000,\"rtcpFeedback\":[{\"type\":\"transport-cc\","
                      "\"parameter\":\"\"}],\"channels\":1,\"parameters\":{}}");
  free(pcmu);
  char *cn = json_dumps(codec_at(caps, 16), JSON_COMPACT);
  ASSERT_STR_EQ(cn, "{\"kind\":\"audio\",\"mimeType\":\"audio/CN\",\"preferredPayloadType\":13,"
                    "\"clockRate\":8000,\"channels\":1,\"parameters\":{},\"rtcpFeedback\":[]}");
  free(cn);
  json_decref(caps);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(version_is_recorded)
    BRAID_TEST_ENTRY(codec_list)
    BRAID_TEST_ENTRY(parameter_types)
    BRAID_TEST_ENTRY(rtcp_feedback_normalised)
    BRAID_TEST_ENTRY(header_extensions)
    BRAID_TEST_ENTRY(normalised_key_order)
)
/* clang-format on */
