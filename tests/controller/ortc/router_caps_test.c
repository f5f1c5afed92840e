/*
 * Tests of controller/ortc/router_caps.c (generateRouterRtpCapabilities).
 *
 * data/router_caps_parity.json holds mediaCodecs lists with what the real
 * mediasoup (version in its "mediasoup" field) returned for each, generated
 * by gen_parity.cjs: the parity test demands byte-identical JSON and the same
 * error message. The other tests spell out the facts that matter to clients.
 */
#include "controller/ortc/router_caps.h"

#include "common/err.h"
#include "controller/ortc/supported_caps.h"
#include "tests/test.h"

#ifndef BRAID_ORTC_TEST_DATA
#error "BRAID_ORTC_TEST_DATA (the data directory) must be defined"
#endif

static json_t *parse(const char *text) {
  json_error_t jerr;
  json_t *v = json_loads(text, 0, &jerr);
  if (v == NULL) BRAID_TEST_FAIL("bad test JSON: %s", jerr.text);
  return v;
}

/* Builds caps from JSON text and expects success. */
static json_t *caps_of(const char *media_codecs) {
  json_t *list = parse(media_codecs);
  json_t *caps = NULL;
  char err[256] = "";
  int rc = braid_ortc_router_caps(list, &caps, err, sizeof(err));
  if (rc != 0) BRAID_TEST_FAIL("router caps failed (%d): %s", rc, err);
  json_decref(list);
  return caps;
}

/* Builds caps from JSON text and expects BRAID_EINVAL with message want. */
static void expect_error(const char *media_codecs, const char *want) {
  json_t *list = parse(media_codecs);
  json_t *caps = (json_t *)1;
  char err[256] = "";
  ASSERT_EQ(braid_ortc_router_caps(list, &caps, err, sizeof(err)), BRAID_EINVAL);
  ASSERT(caps == NULL);
  ASSERT_STR_EQ(err, want);
  json_decref(list);
}

static const json_t *codec(const json_t *caps, size_t i) {
  return json_array_get(json_object_get(caps, "codecs"), i);
}

static json_int_t int_of(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  if (!json_is_integer(v)) BRAID_TEST_FAIL("%s is not an integer", key);
  return json_integer_value(v);
}

static char *compact(const json_t *v) { return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY); }

static void expect_compact(const json_t *v, const char *want) {
  char *got = compact(v);
  ASSERT_STR_EQ(got, want);
  free(got);
}

BRAID_TEST(parity_with_mediasoup) {
  json_error_t jerr;
  json_t *data = json_load_file(BRAID_ORTC_TEST_DATA "/router_caps_parity.json", 0, &jerr);
  if (data == NULL) BRAID_TEST_FAIL("cannot load parity data: %s", jerr.text);
  ASSERT_STR_EQ(json_string_value(json_object_get(data, "mediasoup")),
                BRAID_ORTC_SUPPORTED_CAPS_MEDIASOUP_VERSION);
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(data, "cases"), i, c) {
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *want_caps = json_string_value(json_object_get(c, "caps"));
    const char *want_err = json_string_value(json_object_get(c, "braidError"));
    if (want_err == NULL) want_err = json_string_value(json_object_get(c, "error"));
    json_t *caps = NULL;
    char err[256] = "";
    int rc = braid_ortc_router_caps(json_object_get(c, "mediaCodecs"), &caps, err, sizeof(err));
    if (want_caps != NULL) {
      if (rc != 0) BRAID_TEST_FAIL("case %s: failed (%d): %s", name, rc, err);
      char *got = compact(caps);
      if (strcmp(got, want_caps) != 0)
        BRAID_TEST_FAIL("case %s:\n  got  %s\n  want %s", name, got, want_caps);
      free(got);
      json_decref(caps);
    } else {
      if (rc != BRAID_EINVAL || strcmp(err, want_err) != 0)
        BRAID_TEST_FAIL("case %s: got %d \"%s\", want \"%s\"", name, rc, err, want_err);
      ASSERT(caps == NULL);
    }
  }
  ASSERT(i >= 50);
  json_decref(data);
}

/* The table of shared/docs/mediasoup-protocol.md section 3.1, field by field. */
BRAID_TEST(default_list_gives_demo_table) {
  json_t *list = NULL;
  char err[256];
  ASSERT_EQ(braid_ortc_load_media_codecs(NULL, &list, err, sizeof(err)), 0);
  json_t *caps = NULL;
  ASSERT_EQ(braid_ortc_router_caps(list, &caps, err, sizeof(err)), 0);
  json_decref(list);

  static const struct {
    int pt;
    const char *mime;
    int rate, channels; /* 0: video, no channels key */
    const char *params; /* compact JSON, key order as mediasoup's */
    int nfb;
  } want[] = {
      {100, "audio/opus", 48000, 2, "{}", 2},
      {101, "video/VP8", 90000, 0, "{\"x-google-start-bitrate\":1000}", 5},
      {102, "video/rtx", 90000, 0, "{\"apt\":101}", 0},
      {103, "video/VP9", 90000, 0, "{\"profile-id\":2,\"x-google-start-bitrate\":1000}", 5},
      {104, "video/rtx", 90000, 0, "{\"apt\":103}", 0},
      {105, "video/H264", 90000, 0,
       "{\"level-asymmetry-allowed\":1,\"packetization-mode\":1,\"profile-level-id\":\"4d0032\","
       "\"x-google-start-bitrate\":1000}",
       5},
      {106, "video/rtx", 90000, 0, "{\"apt\":105}", 0},
      {107, "video/H264", 90000, 0,
       "{\"level-asymmetry-allowed\":1,\"packetization-mode\":1,\"profile-level-id\":\"42e01f\","
       "\"x-google-start-bitrate\":1000}",
       5},
      {108, "video/rtx", 90000, 0, "{\"apt\":107}", 0},
  };
  ASSERT_EQ(json_array_size(json_object_get(caps, "codecs")), 9);
  for (size_t i = 0; i < 9; i++) {
    const json_t *c = codec(caps, i);
    ASSERT_EQ(int_of(c, "preferredPayloadType"), want[i].pt);
    ASSERT_STR_EQ(json_string_value(json_object_get(c, "mimeType")), want[i].mime);
    ASSERT_STR_EQ(json_string_value(json_object_get(c, "kind")),
                  want[i].channels ? "audio" : "video");
    ASSERT_EQ(int_of(c, "clockRate"), want[i].rate);
    if (want[i].channels)
      ASSERT_EQ(int_of(c, "channels"), want[i].channels);
    else
      ASSERT(json_object_get(c, "channels") == NULL);
    expect_compact(json_object_get(c, "parameters"), want[i].params);
    ASSERT_EQ(json_array_size(json_object_get(c, "rtcpFeedback")), want[i].nfb);
  }
  /* JSON types the client compares with ===. */
  const json_t *h264 = json_object_get(codec(caps, 5), "parameters");
  ASSERT(json_is_integer(json_object_get(h264, "packetization-mode")));
  ASSERT(json_is_string(json_object_get(h264, "profile-level-id")));
  ASSERT(json_is_integer(json_object_get(json_object_get(codec(caps, 2), "parameters"), "apt")));
  ASSERT(json_is_integer(
      json_object_get(json_object_get(codec(caps, 3), "parameters"), "profile-id")));
  /* rtcpFeedback entries are {type, parameter} with "" when none. */
  expect_compact(
      json_object_get(codec(caps, 0), "rtcpFeedback"),
      "[{\"type\":\"nack\",\"parameter\":\"\"},{\"type\":\"transport-cc\",\"parameter\":\"\"}]");
  expect_compact(
      json_object_get(codec(caps, 1), "rtcpFeedback"),
      "[{\"type\":\"nack\",\"parameter\":\"\"},{\"type\":\"nack\",\"parameter\":\"pli\"},"
      "{\"type\":\"ccm\",\"parameter\":\"fir\"},{\"type\":\"goog-remb\",\"parameter\":\"\"},"
      "{\"type\":\"transport-cc\",\"parameter\":\"\"}]");
  /* Codec key order is mediasoup's: the supported entry's, then the PT. */
  expect_compact(codec(caps, 2),
                 "{\"kind\":\"video\",\"mimeType\":\"video/rtx\",\"preferredPayloadType\":102,"
                 "\"clockRate\":90000,\"parameters\":{\"apt\":101},\"rtcpFeedback\":[]}");
  /* Every supported header extension, each {kind, uri, preferredId,
   * preferredEncrypt, direction}; supported_caps_test checks each value. */
  const json_t *exts = json_object_get(caps, "headerExtensions");
  ASSERT_EQ(json_array_size(exts), 18);
  expect_compact(
      json_array_get(exts, 6),
      "{\"kind\":\"audio\",\"uri\":\"http://www.ietf.org/id/draft-holmer-rmcat-transport-"
      "wide-cc-extensions-01\",\"preferredId\":5,\"preferredEncrypt\":false,\"direction\":"
      "\"recvonly\"}");
  json_decref(caps);
}

BRAID_TEST(empty_and_null_lists) {
  json_t *caps = NULL;
  ASSERT_EQ(braid_ortc_router_caps(NULL, &caps, NULL, 0), 0);
  ASSERT_EQ(json_array_size(json_object_get(caps, "codecs")), 0);
  ASSERT_EQ(json_array_size(json_object_get(caps, "headerExtensions")), 18);
  json_decref(caps);
  caps = caps_of("[]");
  ASSERT_EQ(json_array_size(json_object_get(caps, "codecs")), 0);
  json_decref(caps);
}

BRAID_TEST(error_cases) {
  expect_error("[{\"kind\":\"video\",\"mimeType\":\"video/foo\",\"clockRate\":90000}]",
               "media codec not supported [mimeType:video/foo]");
  expect_error("[{\"mimeType\":\"audio/"
               "opus\",\"clockRate\":48000,\"channels\":2,\"preferredPayloadType\":100},"
               "{\"mimeType\":\"video/VP8\",\"clockRate\":90000,\"preferredPayloadType\":100}]",
               "duplicated codec.preferredPayloadType");
  expect_error("[{\"kind\":\"audio\",\"clockRate\":48000}]", "missing codec.mimeType");
  expect_error("[{\"mimeType\":7,\"clockRate\":48000}]", "missing codec.mimeType");
  expect_error("[{\"mimeType\":\"text/plain\",\"clockRate\":48000}]", "invalid codec.mimeType");
  expect_error("[{\"mimeType\":\"video/\\nVP8\",\"clockRate\":90000}]", "invalid codec.mimeType");
  expect_error("[{\"mimeType\":\"video/VP8\",\"clockRate\":\"90000\"}]", "missing codec.clockRate");
  expect_error("[{\"mimeType\":\"video/VP8\",\"clockRate\":90000,\"preferredPayloadType\":\"96\"}]",
               "invalid codec.preferredPayloadType");
  expect_error("[{\"mimeType\":\"video/VP8\",\"clockRate\":90000,\"parameters\":{\"apt\":\"96\"}}]",
               "invalid codec apt parameter");
  expect_error("[{\"mimeType\":\"video/VP8\",\"clockRate\":90000,\"parameters\":{\"x\":[1]}}]",
               "invalid codec parameter [key:xs, value:1]");
  expect_error(
      "[{\"mimeType\":\"video/VP8\",\"clockRate\":90000,\"rtcpFeedback\":[{\"type\":\"\"}]}]",
      "missing fb.type");
  expect_error("[42]", "codec is not an object");
  expect_error("[null]", "Cannot read properties of null (reading 'mimeType')");
  expect_error("{}", "mediaCodecs must be an Array");
}

BRAID_TEST(error_buffer_is_optional_and_truncated) {
  json_t *list = parse("[{\"mimeType\":\"video/foo\",\"clockRate\":90000}]");
  json_t *caps = NULL;
  ASSERT_EQ(braid_ortc_router_caps(list, &caps, NULL, 0), BRAID_EINVAL);
  char small[8];
  ASSERT_EQ(braid_ortc_router_caps(list, &caps, small, sizeof(small)), BRAID_EINVAL);
  ASSERT_STR_EQ(small, "media c");
  json_decref(list);
}

BRAID_TEST(preferred_payload_type_honoured) {
  json_t *caps =
      caps_of("[{\"mimeType\":\"audio/opus\",\"clockRate\":48000,\"channels\":2,"
              "\"preferredPayloadType\":111},"
              "{\"mimeType\":\"video/VP8\",\"clockRate\":90000,\"preferredPayloadType\":96},"
              "{\"mimeType\":\"audio/PCMU\",\"clockRate\":8000}]");
  ASSERT_EQ(int_of(codec(caps, 0), "preferredPayloadType"), 111);
  ASSERT_EQ(int_of(codec(caps, 1), "preferredPayloadType"), 96);
  ASSERT_EQ(int_of(codec(caps, 2), "preferredPayloadType"), 100); /* VP8's RTX */
  ASSERT_EQ(int_of(json_object_get(codec(caps, 2), "parameters"), "apt"), 96);
  ASSERT_EQ(int_of(codec(caps, 3), "preferredPayloadType"), 0); /* PCMU's static PT */
  json_decref(caps);
  /* 100.0 is the JS number 100: emitted as an integer, and taken by RTX. */
  expect_error("[{\"mimeType\":\"video/VP8\",\"clockRate\":90000},"
               "{\"mimeType\":\"audio/G722\",\"clockRate\":8000,\"preferredPayloadType\":100.0}]",
               "duplicated codec.preferredPayloadType");
  caps =
      caps_of("[{\"mimeType\":\"audio/G722\",\"clockRate\":8000,\"preferredPayloadType\":100.0}]");
  ASSERT_EQ(int_of(codec(caps, 0), "preferredPayloadType"), 100);
  json_decref(caps);
}

BRAID_TEST(multiopus_matching) {
  json_t *caps = caps_of("[{\"mimeType\":\"audio/multiopus\",\"clockRate\":48000,\"channels\":6,"
                         "\"parameters\":{\"num_streams\":4,\"coupled_streams\":2}}]");
  expect_compact(json_object_get(codec(caps, 0), "parameters"),
                 "{\"channel_mapping\":\"0,4,1,2,3,5\",\"num_streams\":4,\"coupled_streams\":2}");
  ASSERT_EQ(int_of(codec(caps, 0), "channels"), 6);
  json_decref(caps);
  /* num_streams must be the number 4, not "4"; the stream layout must be the
   * one of that channel count; missing parameters never match. */
  expect_error("[{\"mimeType\":\"audio/multiopus\",\"clockRate\":48000,\"channels\":6,"
               "\"parameters\":{\"num_streams\":\"4\",\"coupled_streams\":2}}]",
               "media codec not supported [mimeType:audio/multiopus]");
  expect_error("[{\"mimeType\":\"audio/multiopus\",\"clockRate\":48000,\"channels\":4,"
               "\"parameters\":{\"num_streams\":4,\"coupled_streams\":2}}]",
               "media codec not supported [mimeType:audio/multiopus]");
  expect_error("[{\"mimeType\":\"audio/multiopus\",\"clockRate\":48000,\"channels\":6}]",
               "media codec not supported [mimeType:audio/multiopus]");
}

BRAID_TEST(input_is_not_modified) {
  json_t *list = parse(braid_ortc_default_media_codecs);
  json_t *before = json_deep_copy(list);
  json_t *caps = NULL;
  ASSERT_EQ(braid_ortc_router_caps(list, &caps, NULL, 0), 0);
  ASSERT(json_equal(list, before));
  char *a = compact(list), *b = compact(before);
  ASSERT_STR_EQ(a, b); /* same key order too */
  free(a);
  free(b);
  json_decref(caps);
  json_decref(before);
  json_decref(list);
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ASSERT(f != NULL);
  ASSERT(fputs(text, f) >= 0);
  ASSERT_EQ(fclose(f), 0);
}

BRAID_TEST(load_media_codecs) {
  char dir[] = "/tmp/braid-ortc-XXXXXX";
  ASSERT(mkdtemp(dir) != NULL);
  char path[64];
  snprintf(path, sizeof(path), "%s/codecs.json", dir);
  json_t *list = NULL;
  char err[256];

  ASSERT_EQ(braid_ortc_load_media_codecs(NULL, &list, err, sizeof(err)), 0);
  ASSERT_EQ(json_array_size(list), 5);
  json_decref(list);

  write_file(path, "[{\"mimeType\":\"audio/opus\",\"clockRate\":48000,\"channels\":2}]");
  ASSERT_EQ(braid_ortc_load_media_codecs(path, &list, err, sizeof(err)), 0);
  ASSERT_EQ(json_array_size(list), 1);
  json_decref(list);

  write_file(path, "{\"mimeType\":\"audio/opus\"}");
  ASSERT_EQ(braid_ortc_load_media_codecs(path, &list, err, sizeof(err)), BRAID_EINVAL);
  ASSERT(list == NULL);
  ASSERT(strstr(err, "must be a JSON array") != NULL);

  write_file(path, "[{\"a\":1,\"a\":2}]");
  ASSERT_EQ(braid_ortc_load_media_codecs(path, &list, err, sizeof(err)), BRAID_EINVAL);
  ASSERT(strstr(err, "line 1") != NULL);

  write_file(path, "[");
  ASSERT_EQ(braid_ortc_load_media_codecs(path, &list, err, sizeof(err)), BRAID_EINVAL);

  ASSERT_EQ(unlink(path), 0);
  ASSERT_EQ(braid_ortc_load_media_codecs(path, &list, err, sizeof(err)), BRAID_EINVAL);
  ASSERT(strstr(err, "cannot load media codecs from /tmp/braid-ortc-") != NULL);
  ASSERT_EQ(rmdir(dir), 0);
}

/* jansson allocator that fails every allocation from the N-th on. */
static long alloc_budget;
static void *failing_malloc(size_t n) { return alloc_budget-- > 0 ? malloc(n) : NULL; }

/* Out of memory anywhere gives BRAID_ENOMEM, never a crash or a leak (ASan's
 * leak check runs when the forked test exits). */
BRAID_TEST(out_of_memory_is_reported) {
  json_t *list = parse(braid_ortc_default_media_codecs);
  bool succeeded = false;
  for (long n = 0; n < 20000 && !succeeded; n++) {
    json_t *caps = NULL;
    alloc_budget = n;
    json_set_alloc_funcs(failing_malloc, free);
    int rc = braid_ortc_router_caps(list, &caps, NULL, 0);
    json_set_alloc_funcs(malloc, free);
    if (rc == 0) {
      succeeded = true;
      json_decref(caps);
    } else {
      if (rc != BRAID_ENOMEM) BRAID_TEST_FAIL("budget %ld: rc %d", n, rc);
      ASSERT(caps == NULL);
    }
  }
  ASSERT(succeeded);
  json_decref(list);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(parity_with_mediasoup)
    BRAID_TEST_ENTRY(default_list_gives_demo_table)
    BRAID_TEST_ENTRY(empty_and_null_lists)
    BRAID_TEST_ENTRY(error_cases)
    BRAID_TEST_ENTRY(error_buffer_is_optional_and_truncated)
    BRAID_TEST_ENTRY(preferred_payload_type_honoured)
    BRAID_TEST_ENTRY(multiopus_matching)
    BRAID_TEST_ENTRY(input_is_not_modified)
    BRAID_TEST_ENTRY(load_media_codecs)
    BRAID_TEST_ENTRY(out_of_memory_is_reported)
)
/* clang-format on */
