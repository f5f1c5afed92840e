/*
 * Tests of controller/ortc/transport.c (CNAME rule, consumer MIDs) and of
 * how produce.c and consume.c use that state: what must be stored back,
 * and that a failed request leaves it alone. The MID wrap at 100000000
 * cannot be reached through mediasoup in a parity run, so it is here.
 */
#include "controller/ortc/transport.h"

#include "common/err.h"
#include "controller/ortc/consume.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/produce.h"
#include "controller/ortc/router_caps.h"
#include "tests/test.h"

static json_t *parse(const char *text) {
  json_error_t jerr;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
  if (v == NULL) BRAID_TEST_FAIL("bad test JSON: %s", jerr.text);
  return v;
}

static void expect_dump(const json_t *v, const char *want) {
  char *got = braid_ortc_jsjson_dumps(v);
  ASSERT_STR_EQ(got, want);
  free(got);
}

BRAID_TEST(mids_count_and_wrap) {
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  char mid[BRAID_ORTC_MID_STRLEN];
  ASSERT_STR_EQ(braid_ortc_transport_next_mid(&t, mid), "0");
  ASSERT_STR_EQ(braid_ortc_transport_next_mid(&t, mid), "1");
  t.next_mid = BRAID_ORTC_MID_WRAP - 1;
  ASSERT_STR_EQ(braid_ortc_transport_next_mid(&t, mid), "99999999");
  ASSERT_EQ(t.next_mid, 0);
  ASSERT_STR_EQ(braid_ortc_transport_next_mid(&t, mid), "0");
  braid_ortc_transport_cleanup(&t);
}

BRAID_TEST(cname_first_producer_wins) {
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  bool changed = false;
  json_t *p = parse("{\"rtcp\":{\"cname\":\"chrome\",\"reducedSize\":true}}");
  ASSERT_EQ(braid_ortc_transport_apply_cname(&t, p, "0123456789", &changed), 0);
  ASSERT(changed);
  ASSERT_STR_EQ(json_string_value(t.cname), "chrome");
  json_decref(p);
  /* Later producers get the transport's CNAME, whatever they bring. */
  p = parse("{\"rtcp\":{\"reducedSize\":true,\"cname\":\"other\"}}");
  ASSERT_EQ(braid_ortc_transport_apply_cname(&t, p, "0123456789", &changed), 0);
  ASSERT(!changed);
  expect_dump(p, "{\"rtcp\":{\"reducedSize\":true,\"cname\":\"chrome\"}}");
  json_decref(p);
  p = parse("{\"rtcp\":{\"reducedSize\":true}}");
  ASSERT_EQ(braid_ortc_transport_apply_cname(&t, p, "0123456789", NULL), 0);
  expect_dump(p, "{\"rtcp\":{\"reducedSize\":true,\"cname\":\"chrome\"}}");
  json_decref(p);
  braid_ortc_transport_cleanup(&t);
  ASSERT(t.cname == NULL);

  /* A first producer without a CNAME (Chrome's simulcast: "") makes a
   * random one of 8 characters. */
  braid_ortc_transport_init(&t, false);
  p = parse("{\"rtcp\":{\"cname\":\"\",\"reducedSize\":true}}");
  ASSERT_EQ(braid_ortc_transport_apply_cname(&t, p, "c0000001-0000-4000", &changed), 0);
  ASSERT(changed);
  expect_dump(p, "{\"rtcp\":{\"cname\":\"c0000001\",\"reducedSize\":true}}");
  json_decref(p);
  braid_ortc_transport_cleanup(&t);
}

BRAID_TEST(cname_on_pipe_transports) {
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, true);
  bool changed = true;
  json_t *p = parse("{\"rtcp\":{\"cname\":\"remote\",\"reducedSize\":true}}");
  ASSERT_EQ(braid_ortc_transport_apply_cname(&t, p, "abcdefghij", &changed), 0);
  ASSERT(!changed);
  expect_dump(p, "{\"rtcp\":{\"cname\":\"remote\",\"reducedSize\":true}}");
  json_decref(p);
  p = parse("{\"rtcp\":{\"reducedSize\":true}}");
  ASSERT_EQ(braid_ortc_transport_apply_cname(&t, p, "abcdefghij", &changed), 0);
  expect_dump(p, "{\"rtcp\":{\"reducedSize\":true,\"cname\":\"abcdefgh\"}}");
  ASSERT(t.cname == NULL);
  json_decref(p);
  braid_ortc_transport_cleanup(&t);
}

static const char vp8_simulcast[] =
    "{\"mid\":\"1\",\"codecs\":[{\"mimeType\":\"video/VP8\",\"payloadType\":96,\"clockRate\":90000,"
    "\"rtcpFeedback\":[{\"type\":\"nack\"},{\"type\":\"nack\",\"parameter\":\"pli\"}]},"
    "{\"mimeType\":\"video/"
    "rtx\",\"payloadType\":97,\"clockRate\":90000,\"parameters\":{\"apt\":96}}],"
    "\"headerExtensions\":[{\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:mid\",\"id\":4},"
    "{\"uri\":\"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\",\"id\":10}],"
    "\"encodings\":[{\"rid\":\"r0\",\"scalabilityMode\":\"L1T3\",\"maxBitrate\":500000},"
    "{\"rid\":\"r1\",\"scalabilityMode\":\"L1T3\",\"maxBitrate\":1000000}],"
    "\"rtcp\":{\"cname\":\"\"}}";

static json_t *demo_caps(void) {
  json_t *codecs = NULL, *caps = NULL;
  ASSERT_EQ(braid_ortc_load_media_codecs(NULL, &codecs, NULL, 0), 0);
  ASSERT_EQ(braid_ortc_router_caps(codecs, &caps, NULL, 0), 0);
  json_decref(codecs);
  return caps;
}

BRAID_TEST(produce_then_consume) {
  json_t *caps = demo_caps();
  braid_ortc_transport_t send, recv;
  braid_ortc_transport_init(&send, false);
  braid_ortc_transport_init(&recv, false);
  json_t *kind = json_string("video"), *params = parse(vp8_simulcast);
  braid_ortc_produce_t p;
  bool cname_changed = false;
  char err[256] = "";
  int rc = braid_ortc_produce(&send, kind, params, caps, 500000000, "c0000001-x", &p,
                              &cname_changed, err, sizeof(err));
  if (rc != 0) BRAID_TEST_FAIL("produce: %s", err);
  ASSERT(cname_changed);
  ASSERT_STR_EQ(braid_ortc_producer_type_name(p.type), "simulcast");
  expect_dump(
      json_object_get(p.rtp_mapping, "encodings"),
      "[{\"rid\":\"r0\",\"mappedSsrc\":500000000},{\"rid\":\"r1\",\"mappedSsrc\":500000001}]");

  /* Consumers of recv get MIDs "0", "1", ...; a given mid moves nothing. */
  braid_ortc_consume_req_t req = {.producer_id = "p1",
                                  .consumable = p.consumable,
                                  .kind = "video",
                                  .rtp_capabilities = caps,
                                  .enable_rtx = BRAID_ORTC_RTX_DEFAULT,
                                  .random_ssrc = 300000000};
  json_t *out = NULL;
  bool moved = false;
  ASSERT_EQ(braid_ortc_consume(&recv, &req, &out, &moved, err, sizeof(err)), 0);
  ASSERT(moved);
  ASSERT_STR_EQ(json_string_value(json_object_get(out, "mid")), "0");
  expect_dump(json_object_get(out, "encodings"),
              "[{\"ssrc\":300000000,\"rtx\":{\"ssrc\":300000001},\"scalabilityMode\":\"L2T3\","
              "\"maxBitrate\":1000000}]");
  json_decref(out);
  req.mid = "custom";
  ASSERT_EQ(braid_ortc_consume(&recv, &req, &out, &moved, err, sizeof(err)), 0);
  ASSERT(!moved);
  ASSERT_STR_EQ(json_string_value(json_object_get(out, "mid")), "custom");
  json_decref(out);
  req.mid = NULL;
  req.pipe = true;
  ASSERT_EQ(braid_ortc_consume(&recv, &req, &out, &moved, err, sizeof(err)), 0);
  ASSERT(!moved && json_object_get(out, "mid") == NULL);
  ASSERT_EQ(json_array_size(json_object_get(out, "encodings")), 2);
  json_decref(out);
  req.pipe = false;

  /* Errors leave the counter alone and give no parameters. */
  json_t *audio_caps = parse("{\"codecs\":[{\"mimeType\":\"audio/opus\",\"clockRate\":48000,"
                             "\"channels\":2,\"preferredPayloadType\":100}]}");
  req.rtp_capabilities = audio_caps;
  out = (json_t *)1;
  ASSERT_EQ(braid_ortc_consume(&recv, &req, &out, &moved, err, sizeof(err)), BRAID_EINVAL);
  ASSERT(out == NULL && !moved);
  ASSERT_STR_EQ(err, "no compatible media codecs");
  req.consumable = NULL;
  ASSERT_EQ(braid_ortc_consume(&recv, &req, &out, &moved, err, sizeof(err)), BRAID_ENOTFOUND);
  ASSERT_STR_EQ(err, "Producer with id \"p1\" not found");
  req.rtp_capabilities = NULL;
  ASSERT_EQ(braid_ortc_consume(&recv, &req, &out, &moved, err, sizeof(err)), BRAID_EINVAL);
  ASSERT_STR_EQ(err, "caps is not an object");
  req.rtp_capabilities = caps;
  req.consumable = p.consumable;
  ASSERT_EQ(braid_ortc_consume(&recv, &req, &out, &moved, err, sizeof(err)), 0);
  ASSERT_STR_EQ(json_string_value(json_object_get(out, "mid")), "1");
  json_decref(out);

  json_decref(audio_caps);
  braid_ortc_produce_cleanup(&p);
  braid_ortc_produce_cleanup(&p); /* twice is harmless */
  json_decref(params);
  json_decref(kind);
  braid_ortc_transport_cleanup(&send);
  braid_ortc_transport_cleanup(&recv);
  json_decref(caps);
}

BRAID_TEST(produce_worker_rejection) {
  json_t *caps = demo_caps();
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  /* VP9 with two encodings passes Node's checks, not the worker's. */
  json_t *params =
      parse("{\"mid\":\"0\",\"codecs\":[{\"mimeType\":\"video/"
            "VP9\",\"payloadType\":98,\"clockRate\":90000,"
            "\"parameters\":{\"profile-id\":2}}],\"encodings\":[{\"rid\":\"a\"},{\"rid\":\"b\"}]}");
  json_t *kind = json_string("video");
  braid_ortc_produce_t p;
  char err[256] = "";
  ASSERT_EQ(braid_ortc_produce_node(&t, kind, params, caps, 100000000, "cccccccc", &p, NULL, err,
                                    sizeof(err)),
            0);
  braid_ortc_produce_cleanup(&p);
  ASSERT_EQ(
      braid_ortc_produce(&t, kind, params, caps, 100000000, "cccccccc", &p, NULL, err, sizeof(err)),
      BRAID_EINVAL);
  ASSERT_STR_EQ(err, "video/VP9 codec not supported for simulcast");
  ASSERT(p.rtp_parameters == NULL && p.rtp_mapping == NULL && p.consumable == NULL);
  json_decref(kind);
  json_decref(params);
  braid_ortc_transport_cleanup(&t);
  json_decref(caps);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(mids_count_and_wrap) BRAID_TEST_ENTRY(cname_first_producer_wins)
                    BRAID_TEST_ENTRY(cname_on_pipe_transports)
                        BRAID_TEST_ENTRY(produce_then_consume)
                            BRAID_TEST_ENTRY(produce_worker_rejection))
