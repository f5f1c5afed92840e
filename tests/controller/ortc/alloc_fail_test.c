/*
 * Allocation failures (STYLE.md rule 39) in the producer and consumer
 * paths of controller/ortc/: for each step (router capabilities,
 * validation, produce, consume), jansson's allocator fails its N-th call,
 * for every N until the step runs without reaching the failure. Each run
 * must return 0 or BRAID_ENOMEM (never another error, never a crash), and
 * LeakSanitizer checks that error paths free what they built.
 */
#include "common/err.h"
#include "controller/ortc/consume.h"
#include "controller/ortc/consumer.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/produce.h"
#include "controller/ortc/router_caps.h"
#include "controller/ortc/rtp_params.h"
#include "controller/ortc/sctp_stream.h"
#include "tests/test.h"

static long fail_at = -1; /* the allocation that fails; -1: none */
static long allocs;

static void *failing_malloc(size_t n) {
  if (fail_at >= 0 && allocs++ == fail_at) return NULL;
  return malloc(n);
}

static json_t *parse(const char *text) {
  json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
  if (v == NULL) BRAID_TEST_FAIL("bad test JSON");
  return v;
}

static const char opus_params[] =
    "{\"mid\":\"0\",\"codecs\":[{\"mimeType\":\"audio/"
    "opus\",\"payloadType\":111,\"clockRate\":48000,"
    "\"channels\":2,\"parameters\":{\"minptime\":10,\"useinbandfec\":1},\"rtcpFeedback\":"
    "[{\"type\":\"transport-cc\"}]}],\"headerExtensions\":[{\"uri\":"
    "\"urn:ietf:params:rtp-hdrext:sdes:mid\",\"id\":4},{\"uri\":"
    "\"urn:ietf:params:rtp-hdrext:ssrc-audio-level\",\"id\":1}],\"encodings\":[{\"ssrc\":1234}],"
    "\"rtcp\":{\"cname\":\"abc\"},\"msid\":\"s t\",\"9\":{\"b\":1,\"1\":2}}";

static const char h264_params[] =
    "{\"mid\":\"1\",\"codecs\":[{\"mimeType\":\"video/"
    "H264\",\"payloadType\":106,\"clockRate\":90000,"
    "\"parameters\":{\"packetization-mode\":1,\"profile-level-id\":\"4d001f\","
    "\"level-asymmetry-allowed\":1},\"rtcpFeedback\":[{\"type\":\"nack\"},{\"type\":\"goog-remb\"},"
    "{\"type\":\"transport-cc\"}]},{\"mimeType\":\"video/rtx\",\"payloadType\":107,"
    "\"clockRate\":90000,\"parameters\":{\"apt\":106}}],\"headerExtensions\":[{\"uri\":"
    "\"urn:ietf:params:rtp-hdrext:sdes:mid\",\"id\":4},{\"uri\":"
    "\"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\",\"id\":2}],"
    "\"encodings\":[{\"rid\":\"r0\",\"scalabilityMode\":\"L1T3\",\"maxBitrate\":\"900\"},"
    "{\"rid\":\"r1\",\"scalabilityMode\":\"L1T3\",\"maxBitrate\":[1000]}],\"rtcp\":{}}";

typedef struct ctx {
  json_t *media_codecs, *router; /* built before failures start */
  json_t *opus, *h264, *sctp;    /* inputs, parsed before failures start */
  braid_ortc_produce_t pa, pv;   /* producers made without failures */
} ctx_t;

typedef int (*step_fn)(ctx_t *c);

/* What a step produced, as text (libc memory, out of the failing
 * allocator's reach): a run that succeeds despite a failed allocation must
 * have produced exactly what a run without failures did. */
static char transcript[1 << 16];
static size_t transcript_len;

static void record(const json_t *v) {
  char *text = braid_ortc_jsjson_dumps(v);
  ASSERT(text != NULL);
  size_t n = strlen(text);
  ASSERT(n < sizeof(transcript) - transcript_len);
  memcpy(transcript + transcript_len, text, n + 1);
  transcript_len += n;
  free(text);
}

static int step_router_caps(ctx_t *c) {
  json_t *caps = NULL;
  int rc = braid_ortc_router_caps(c->media_codecs, &caps, NULL, 0);
  if (rc == 0) record(caps);
  json_decref(caps);
  return rc;
}

static int step_validate(ctx_t *c) {
  json_t *caps = json_deep_copy(c->router), *sctp = json_deep_copy(c->sctp);
  json_t *params = json_deep_copy(c->h264);
  int rc = caps == NULL || sctp == NULL || params == NULL ? BRAID_ENOMEM : 0;
  if (rc == 0) rc = braid_ortc_rtp_params_validate_caps(caps, NULL, 0);
  if (rc == 0) rc = braid_ortc_sctp_stream_validate(sctp, NULL, 0);
  if (rc == 0) rc = braid_ortc_rtp_params_validate(params, NULL, 0);
  if (rc == 0) {
    record(caps);
    record(sctp);
    record(params);
  }
  json_decref(caps);
  json_decref(sctp);
  json_decref(params);
  return rc;
}

static int produce_one(ctx_t *c, const char *kind_name, const json_t *params,
                       braid_ortc_produce_t *out) {
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  json_t *kind = json_string(kind_name);
  int rc = kind == NULL ? BRAID_ENOMEM
                        : braid_ortc_produce(&t, kind, params, c->router, 100000000, "cccccccc",
                                             out, NULL, NULL, 0);
  json_decref(kind);
  braid_ortc_transport_cleanup(&t);
  return rc;
}

static int step_produce(ctx_t *c) {
  braid_ortc_produce_t pa, pv;
  int rc = produce_one(c, "audio", c->opus, &pa);
  if (rc != 0) return rc;
  rc = produce_one(c, "video", c->h264, &pv);
  if (rc == 0) {
    braid_ortc_produce_t *p[] = {&pa, &pv};
    for (size_t i = 0; i < 2; i++) {
      record(p[i]->rtp_parameters);
      record(p[i]->rtp_mapping);
      record(p[i]->consumable);
    }
    braid_ortc_produce_cleanup(&pv);
  }
  braid_ortc_produce_cleanup(&pa);
  return rc;
}

static int step_consume(ctx_t *c) {
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  braid_ortc_consume_req_t req = {.producer_id = "p",
                                  .consumable = c->pv.consumable,
                                  .kind = "video",
                                  .rtp_capabilities = c->router,
                                  .enable_rtx = BRAID_ORTC_RTX_DEFAULT,
                                  .random_ssrc = 300000000};
  json_t *out = NULL;
  int rc = braid_ortc_consume(&t, &req, &out, NULL, NULL, 0);
  if (rc == 0) record(out);
  json_decref(out);
  out = NULL;
  req.consumable = c->pa.consumable;
  req.kind = "audio";
  req.pipe = true;
  if (rc == 0) rc = braid_ortc_consume(&t, &req, &out, NULL, NULL, 0);
  if (rc == 0) record(out);
  json_decref(out);
  out = NULL;
  if (rc == 0) rc = braid_ortc_consumer_pipe_params(c->pv.consumable, true, 1, 2, &out, NULL, 0);
  if (rc == 0) record(out);
  json_decref(out);
  /* canConsume() turns a failure into false, which is all it can say. */
  if (rc == 0 && !braid_ortc_consumer_can_consume(c->pv.consumable, c->router, NULL, 0))
    rc = BRAID_ENOMEM;
  braid_ortc_transport_cleanup(&t);
  return rc;
}

/* Fails each allocation of step in turn; returns how many there were. */
static long fail_each(ctx_t *c, step_fn step, const char *name, bool exact) {
  static char want[sizeof(transcript)];
  fail_at = -1;
  transcript_len = 0;
  if (step(c) != 0) BRAID_TEST_FAIL("%s fails without failures", name);
  memcpy(want, transcript, transcript_len + 1);
  long n = 0;
  for (;; n++) {
    fail_at = n;
    allocs = 0;
    transcript_len = 0;
    transcript[0] = '\0';
    int rc = step(c);
    if (rc != 0 && rc != BRAID_ENOMEM) BRAID_TEST_FAIL("%s, allocation %ld: rc %d", name, n, rc);
    if (exact && rc == 0 && strcmp(transcript, want) != 0)
      BRAID_TEST_FAIL("%s, allocation %ld: succeeded with different output:\n%s\n%s", name, n,
                      transcript, want);
    if (allocs <= n) break; /* the failure was never reached: all done */
  }
  fail_at = -1;
  return n;
}

BRAID_TEST(every_allocation_may_fail) {
  ctx_t c = {.opus = parse(opus_params),
             .h264 = parse(h264_params),
             .sctp = parse("{\"streamId\":3,\"maxRetransmits\":2}")};
  ASSERT_EQ(braid_ortc_load_media_codecs(NULL, &c.media_codecs, NULL, 0), 0);
  ASSERT_EQ(braid_ortc_router_caps(c.media_codecs, &c.router, NULL, 0), 0);
  ASSERT_EQ(produce_one(&c, "audio", c.opus, &c.pa), 0);
  ASSERT_EQ(produce_one(&c, "video", c.h264, &c.pv), 0);

  json_set_alloc_funcs(failing_malloc, free);
  /* Router capabilities parse the built-in table with json_loads(), and
   * jansson's lexer drops a byte when it cannot grow a string (lex_save()
   * ignores strbuffer_append_byte()'s failure): only the codes count. */
  ASSERT(fail_each(&c, step_router_caps, "router caps", false) > 100);
  ASSERT(fail_each(&c, step_validate, "validation", true) > 50);
  ASSERT(fail_each(&c, step_produce, "produce", true) > 200);
  ASSERT(fail_each(&c, step_consume, "consume", true) > 200);
  json_set_alloc_funcs(malloc, free);

  braid_ortc_produce_cleanup(&c.pa);
  braid_ortc_produce_cleanup(&c.pv);
  json_decref(c.router);
  json_decref(c.media_codecs);
  json_decref(c.opus);
  json_decref(c.h264);
  json_decref(c.sctp);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(every_allocation_may_fail))
