/*
 * Tests of controller/ortc/producer_type.c: the worker's producer checks
 * and type rules, case by case as worker/src/RTC/RtpDictionaries/
 * RtpParameters.cpp, RtpCodecParameters.cpp, RtpCodecMimeType.cpp and
 * Producer.cpp (mediasoup 3.27.1) state them. prodcons_parity_test.c
 * checks more of them on parameters that went through mediasoup's Node
 * layer; these reach the rules Node's checks never let through.
 */
#include "controller/ortc/producer_type.h"

#include "common/err.h"
#include "tests/test.h"

/* A producer's parameters and mapping from compact JSON; codecs and
 * encodings are given, the rest is filled in. */
static int check(const char *codecs, const char *encodings, const char *mapping_encodings,
                 braid_ortc_rtp_type_t *type, char *err) {
  char text[2048];
  snprintf(text, sizeof(text),
           "{\"mid\":\"0\",\"codecs\":%s,\"headerExtensions\":[{\"uri\":\"urn:ietf:params:rtp-"
           "hdrext:sdes:mid\",\"id\":4}],\"encodings\":%s,\"rtcp\":{\"cname\":\"c\"}}",
           codecs, encodings);
  json_error_t jerr;
  json_t *params = json_loads(text, 0, &jerr);
  if (params == NULL) BRAID_TEST_FAIL("bad params: %s", jerr.text);
  snprintf(text, sizeof(text), "{\"codecs\":[],\"encodings\":%s}", mapping_encodings);
  json_t *mapping = json_loads(text, 0, &jerr);
  if (mapping == NULL) BRAID_TEST_FAIL("bad mapping: %s", jerr.text);
  err[0] = '\0';
  int rc = braid_ortc_producer_type_check(params, mapping, type, err, 256);
  json_decref(params);
  json_decref(mapping);
  return rc;
}

#define VP8  "{\"mimeType\":\"video/VP8\",\"payloadType\":96,\"clockRate\":90000}"
#define VP9  "{\"mimeType\":\"video/VP9\",\"payloadType\":96,\"clockRate\":90000}"
#define H264 "{\"mimeType\":\"video/H264\",\"payloadType\":96,\"clockRate\":90000}"
#define AV1  "{\"mimeType\":\"video/AV1\",\"payloadType\":96,\"clockRate\":90000}"
#define OPUS "{\"mimeType\":\"audio/opus\",\"payloadType\":96,\"clockRate\":48000,\"channels\":2}"
#define RTX(pt, apt)                                                                               \
  "{\"mimeType\":\"video/rtx\",\"payloadType\":" #pt                                               \
  ",\"clockRate\":90000,\"parameters\":{\"apt\":" #apt "}}"
#define ONE_MAP "[{\"ssrc\":1,\"mappedSsrc\":100000000}]"
#define TWO_MAP                                                                                    \
  "[{\"rid\":\"a\",\"mappedSsrc\":100000000},{\"rid\":\"b\",\"mappedSsrc\":100000001}]"

static void expect_type(const char *codecs, const char *encodings, const char *map,
                        const char *want) {
  braid_ortc_rtp_type_t type;
  char err[256];
  int rc = check(codecs, encodings, map, &type, err);
  if (rc != 0) BRAID_TEST_FAIL("%s %s: failed (%d): %s", codecs, encodings, rc, err);
  ASSERT_STR_EQ(braid_ortc_producer_type_name(type), want);
}

static void expect_fail(const char *codecs, const char *encodings, const char *map,
                        const char *want) {
  braid_ortc_rtp_type_t type;
  char err[256];
  ASSERT_EQ(check(codecs, encodings, map, &type, err), BRAID_EINVAL);
  ASSERT_STR_EQ(err, want);
}

BRAID_TEST(types) {
  expect_type("[" OPUS "]", "[{}]", ONE_MAP, "simple");
  expect_type("[" VP8 "," RTX(97, 96) "]", "[{\"scalabilityMode\":\"L1T1\"}]", ONE_MAP, "simple");
  /* 3.27.1: one VP8/H264 stream with temporal layers is SVC. */
  expect_type("[" VP8 "]", "[{\"scalabilityMode\":\"L1T3\"}]", ONE_MAP, "svc");
  expect_type("[" H264 "]", "[{\"scalabilityMode\":\"L1T2\"}]", ONE_MAP, "svc");
  expect_type("[" VP9 "]", "[{\"scalabilityMode\":\"L3T3_KEY\"}]", ONE_MAP, "svc");
  expect_type("[" AV1 "]", "[{\"scalabilityMode\":\"S2T1\"}]", ONE_MAP, "svc");
  expect_type("[" VP8 "]", "[{\"rid\":\"a\"},{\"rid\":\"b\"}]", TWO_MAP, "simulcast");
  expect_type("[" H264 "]", "[{\"scalabilityMode\":\"L1T3\"},{}]", TWO_MAP, "simulcast");
  /* The worker's regex_match needs the whole string: a newline spoils it. */
  expect_type("[" VP8 "]", "[{\"scalabilityMode\":\"L1T3\\n\"}]", ONE_MAP, "simple");
  expect_type("[" VP8 "]", "[{\"scalabilityMode\":\"L1T3 anything\"}]", ONE_MAP, "svc");
  expect_type("[" VP8 "]", "[{\"scalabilityMode\":\"x\"}]", ONE_MAP, "simple");
}

BRAID_TEST(type_not_valid_for_codec) {
  expect_fail("[" OPUS "]", "[{\"scalabilityMode\":\"L1T3\"}]", ONE_MAP, "invalid RTP parameters");
  expect_fail("[" VP9 "]", "[{},{}]", TWO_MAP, "video/VP9 codec not supported for simulcast");
  expect_fail("[" AV1 "]", "[{},{}]", TWO_MAP, "video/AV1 codec not supported for simulcast");
  expect_fail("[{\"mimeType\":\"AUDIO/OPUS\",\"payloadType\":96,\"clockRate\":1}]", "[{},{}]",
              TWO_MAP, "audio/opus codec not supported for simulcast");
  /* The codec is the encoding's codecPayloadType one, not the first. */
  expect_fail("[" VP8 ",{\"mimeType\":\"video/VP9\",\"payloadType\":98,\"clockRate\":90000}]",
              "[{\"codecPayloadType\":98},{}]", TWO_MAP,
              "video/VP9 codec not supported for simulcast");
  ASSERT(braid_ortc_producer_type_valid_for_codec(BRAID_ORTC_RTP_TYPE_SIMULCAST, "video/h264"));
  ASSERT(!braid_ortc_producer_type_valid_for_codec(BRAID_ORTC_RTP_TYPE_SIMULCAST, "video/VP9"));
  ASSERT(braid_ortc_producer_type_valid_for_codec(BRAID_ORTC_RTP_TYPE_SVC, "video/VP9"));
  ASSERT(!braid_ortc_producer_type_valid_for_codec(BRAID_ORTC_RTP_TYPE_SVC, "audio/opus"));
  ASSERT(braid_ortc_producer_type_valid_for_codec(BRAID_ORTC_RTP_TYPE_SIMPLE, "x"));
  ASSERT(braid_ortc_producer_type_valid_for_codec(BRAID_ORTC_RTP_TYPE_PIPE, "audio/opus"));
  ASSERT(!braid_ortc_producer_type_valid_for_codec(BRAID_ORTC_RTP_TYPE_SVC, "video/foo"));
  ASSERT_STR_EQ(braid_ortc_producer_type_name(BRAID_ORTC_RTP_TYPE_PIPE), "pipe");
}

BRAID_TEST(codec_checks) {
  expect_fail("[{\"mimeType\":\"video\",\"payloadType\":96,\"clockRate\":1}]", "[{}]", ONE_MAP,
              "wrong codec MIME");
  expect_fail("[{\"mimeType\":\"/vp8\",\"payloadType\":96,\"clockRate\":1}]", "[{}]", ONE_MAP,
              "wrong codec MIME");
  expect_fail("[{\"mimeType\":\"video/\",\"payloadType\":96,\"clockRate\":1}]", "[{}]", ONE_MAP,
              "wrong codec MIME");
  expect_fail("[{\"mimeType\":\"Text/VP8\",\"payloadType\":96,\"clockRate\":1}]", "[{}]", ONE_MAP,
              "unknown codec MIME type 'text'");
  expect_fail("[{\"mimeType\":\"video/foo/RTX\",\"payloadType\":96,\"clockRate\":1}]", "[{}]",
              ONE_MAP, "unknown codec MIME subtype 'foo/rtx'");
  expect_fail("[" VP8 ",{\"mimeType\":\"video/rtx\",\"payloadType\":97,\"clockRate\":1}]", "[{}]",
              ONE_MAP, "missing apt parameter in RTX codec");
  expect_fail("[" VP8 "," RTX(97, 96.5) "]", "[{}]", ONE_MAP, "missing apt parameter in RTX codec");
  expect_fail("[" VP8 "," RTX(97, -1) "]", "[{}]", ONE_MAP, "missing apt parameter in RTX codec");
  expect_fail("[]", "[{}]", ONE_MAP, "empty codecs");
  expect_fail("[" VP8 "]", "[]", "[]", "empty encodings");
  expect_fail("[" VP8 "," RTX(96, 96) "]", "[{}]", ONE_MAP, "duplicated payloadType");
  /* Payload types are uint8 on the way to the worker: 352 is 96. */
  expect_fail("[" VP8 "," RTX(352, 96) "]", "[{}]", ONE_MAP, "duplicated payloadType");
  expect_fail("[" VP8 "," RTX(97, 98) "," RTX(98, 97) "]", "[{}]", ONE_MAP,
              "apt in RTX codec points to a RTX codec");
  expect_fail("[" VP8 ",{\"mimeType\":\"video/ulpfec\",\"payloadType\":98,\"clockRate\":1}," RTX(
                  97, 98) "]",
              "[{}]", ONE_MAP, "apt in RTX codec points to a ULPFEC codec");
  expect_fail("[" VP8 ",{\"mimeType\":\"video/flexfec\",\"payloadType\":98,\"clockRate\":1}," RTX(
                  97, 98) "]",
              "[{}]", ONE_MAP, "apt in RTX codec points to a FLEXFEC codec");
  expect_fail("[" VP8 "," RTX(97, 95) "]", "[{}]", ONE_MAP,
              "apt in RTX codec points to a non existing codec");
  expect_fail("[{\"mimeType\":\"video/red\",\"payloadType\":96,\"clockRate\":1}]", "[{}]", ONE_MAP,
              "no media codecs found");
  expect_fail("[{\"mimeType\":\"audio/CN\",\"payloadType\":13,\"clockRate\":1}]", "[{}]", ONE_MAP,
              "no media codecs found");
}

BRAID_TEST(encoding_and_mapping_checks) {
  expect_fail("[" VP8 "]", "[{\"scalabilityMode\":\"L2T1\"},{}]", TWO_MAP,
              "cannot use both simulcast and encodings with multiple SVC spatial layers");
  expect_fail("[" VP8 "," RTX(97, 96) "]", "[{\"codecPayloadType\":97}]", ONE_MAP,
              "invalid codecPayloadType");
  expect_fail("[" VP8 "]", "[{\"codecPayloadType\":95}]", ONE_MAP, "unknown codecPayloadType");
  expect_fail("[" VP8 "]", "[{\"codecPayloadType\":\"96\"}]", ONE_MAP,
              "invalid encoding.codecPayloadType");
  expect_type("[" VP8 "]", "[{\"codecPayloadType\":352}]", ONE_MAP, "simple");
  expect_fail("[" VP8 "]", "[{},{}]", "[{\"rid\":\"a\",\"mappedSsrc\":1},{\"mappedSsrc\":2}]",
              "wrong entry in rtpMapping.encodings (missing ssrc or rid)");
  expect_type("[" VP8 "]", "[{},{}]",
              "[{\"ssrc\":0,\"mappedSsrc\":1},{\"rid\":\"\",\"mappedSsrc\":2}]", "simulcast");
}

/* Whole parameters and mapping, for the fields check() fixes. */
static void expect_fail_full(const char *params_text, const char *mapping_text, const char *want) {
  json_t *params = json_loads(params_text, 0, NULL);
  json_t *mapping = json_loads(mapping_text, 0, NULL);
  ASSERT(params != NULL && mapping != NULL);
  braid_ortc_rtp_type_t type;
  char err[256] = "";
  ASSERT_EQ(braid_ortc_producer_type_check(params, mapping, &type, err, sizeof(err)), BRAID_EINVAL);
  ASSERT_STR_EQ(err, want);
  json_decref(params);
  json_decref(mapping);
}

#define P(mid, exts, rtcp)                                                                         \
  "{" mid "\"codecs\":[" VP8 "],\"headerExtensions\":" exts ",\"encodings\":[{}],\"rtcp\":" rtcp "}"
#define NO_EXT "[]"
#define CNAME  "{\"cname\":\"c\"}"

BRAID_TEST(rtcp_mid_and_extension_checks) {
  /* No mid, one encoding: it needs an ssrc or a rid in the mapping. */
  expect_fail_full(
      P("", NO_EXT, CNAME), "{\"encodings\":[{\"ssrc\":null,\"mappedSsrc\":1}]}",
      "wrong entry in rtpMapping.encodings (missing ssrc or rid, or rtpParameters.mid)");
  expect_fail_full(
      P("\"mid\":\"\",", NO_EXT, CNAME), "{\"encodings\":[{\"mappedSsrc\":1}]}",
      "wrong entry in rtpMapping.encodings (missing ssrc or rid, or rtpParameters.mid)");
  expect_fail_full(P("\"mid\":\"0\",", NO_EXT, CNAME), "{\"encodings\":[{\"ssrc\":5}]}",
                   "wrong entry in rtpMapping.encodings (missing mappedSsrc)");
  expect_fail_full(P("\"mid\":\"0\",", NO_EXT, CNAME),
                   "{\"encodings\":[{\"ssrc\":5,\"mappedSsrc\":4294967296}]}",
                   "wrong entry in rtpMapping.encodings (missing mappedSsrc)");
  expect_fail_full(P("\"mid\":\"0\",", NO_EXT, CNAME), "{\"encodings\":[]}",
                   "rtpParameters.encodings size does not match rtpMapping.encodings size");
  expect_fail_full(P("\"mid\":\"0\",", NO_EXT, "{}"), "{\"encodings\":[{\"mappedSsrc\":1}]}",
                   "missing cname");
  expect_fail_full(P("\"mid\":\"0\",", NO_EXT, "{\"cname\":null}"),
                   "{\"encodings\":[{\"mappedSsrc\":1}]}", "missing cname");
  expect_fail_full(P("\"mid\":\"0\",", NO_EXT, "{\"cname\":\"\"}"),
                   "{\"encodings\":[{\"mappedSsrc\":1}]}", "empty cname");
  expect_fail_full(P("\"mid\":\"0\",", "[{\"uri\":\"u\",\"id\":0}]", CNAME),
                   "{\"encodings\":[{\"mappedSsrc\":1}]}", "invalid id 0");
  expect_fail_full(P("\"mid\":\"0\",", "[{\"uri\":\"u\",\"id\":512.5}]", CNAME),
                   "{\"encodings\":[{\"mappedSsrc\":1}]}", "invalid id 0");
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(types) BRAID_TEST_ENTRY(type_not_valid_for_codec)
                    BRAID_TEST_ENTRY(codec_checks) BRAID_TEST_ENTRY(encoding_and_mapping_checks)
                        BRAID_TEST_ENTRY(rtcp_mid_and_extension_checks))
