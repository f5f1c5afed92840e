/*
 * Parity of controller/ortc/ with the real mediasoup for producers and
 * consumers.
 *
 * data/prodcons_parity.json was made by gen_prodcons_parity.mjs from
 * mediasoup 3.27.1's own code (ortc.js, h264-profile-level-id, the
 * WebRtcTransport and PipeTransport classes on a fake worker channel) and
 * the real mediasoup-client (device capabilities, Chrome-like produce
 * parameters). Every output must be byte-identical
 * (braid_ortc_jsjson_dumps() against JSON.stringify()), every error message
 * the same (or the `braidError` of a documented difference), and the drawn
 * random values are passed in so both sides agree. The worker's verdict on
 * each producer (`worker`) was read from the worker's C++ sources.
 */
#include "common/err.h"
#include "controller/ortc/consume.h"
#include "controller/ortc/consumer.h"
#include "controller/ortc/h264_profile.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/match.h"
#include "controller/ortc/produce.h"
#include "controller/ortc/producer_type.h"
#include "controller/ortc/rtp_params.h"
#include "controller/ortc/scalability.h"
#include "controller/ortc/sctp_stream.h"
#include "controller/ortc/supported_caps.h"
#include "tests/test.h"

#ifndef BRAID_ORTC_TEST_DATA
#error "BRAID_ORTC_TEST_DATA (the data directory) must be defined"
#endif

static json_t *load_data(void) {
  json_error_t jerr;
  json_t *d = json_load_file(BRAID_ORTC_TEST_DATA "/prodcons_parity.json", 0, &jerr);
  if (d == NULL) BRAID_TEST_FAIL("cannot load parity data: %s", jerr.text);
  ASSERT_STR_EQ(json_string_value(json_object_get(d, "mediasoup")),
                BRAID_ORTC_SUPPORTED_CAPS_MEDIASOUP_VERSION);
  return d;
}

/* Parses JSON text as a client's message would be (NULL text: undefined). */
static json_t *parse_text(const char *text) {
  if (text == NULL) return NULL;
  json_error_t jerr;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
  if (v == NULL) BRAID_TEST_FAIL("bad JSON in data: %s: %s", jerr.text, text);
  return v;
}

static const char *str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

static void expect_dump(const char *what, const char *name, const json_t *got, const char *want) {
  char *s = braid_ortc_jsjson_dumps(got);
  if (s == NULL || strcmp(s, want) != 0)
    BRAID_TEST_FAIL("%s %s:\n  got  %s\n  want %s", what, name, s ? s : "(null)", want);
  free(s);
}

static void expect_error(const char *what, const char *name, int rc, const char *err,
                         const json_t *c) {
  const char *want = str(c, "braidError");
  if (want == NULL) want = str(c, "error");
  if (rc == 0 || strcmp(err, want) != 0)
    BRAID_TEST_FAIL("%s %s: got %d \"%s\", want \"%s\"", what, name, rc, err, want);
}

/* ---- function by function ---------------------------------------------- */

BRAID_TEST(validate_parity) {
  json_t *d = load_data();
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(d, "validate"), i, c) {
    const char *name = str(c, "name"), *what = str(c, "what");
    json_t *in = parse_text(str(c, "in"));
    char err[256] = "";
    int rc;
    if (strcmp(what, "rtpParameters") == 0)
      rc = braid_ortc_rtp_params_validate(in, err, sizeof(err));
    else if (strcmp(what, "rtpCapabilities") == 0)
      rc = braid_ortc_rtp_params_validate_caps(in, err, sizeof(err));
    else
      rc = braid_ortc_sctp_stream_validate(in, err, sizeof(err));
    if (str(c, "out") != NULL && str(c, "braidError") == NULL) {
      if (rc != 0) BRAID_TEST_FAIL("validate %s: failed (%d): %s", name, rc, err);
      expect_dump("validate", name, in, str(c, "out"));
    } else {
      expect_error("validate", name, rc, err, c);
    }
    json_decref(in);
  }
  ASSERT(i >= 55);
  json_decref(d);
}

BRAID_TEST(match_parity) {
  json_t *d = load_data();
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(d, "match"), i, c) {
    const char *name = str(c, "name");
    json_t *a = parse_text(str(c, "a")), *b = parse_text(str(c, "b"));
    unsigned flags = (json_is_true(json_object_get(c, "strict")) ? BRAID_ORTC_MATCH_STRICT : 0) |
                     (json_is_true(json_object_get(c, "modify")) ? BRAID_ORTC_MATCH_MODIFY : 0);
    int m = braid_ortc_match_codecs(a, b, flags);
    if (m != (json_is_true(json_object_get(c, "out")) ? 1 : 0))
      BRAID_TEST_FAIL("match %s: got %d", name, m);
    expect_dump("match", name, a, str(c, "aAfter"));
    json_decref(a);
    json_decref(b);
  }
  ASSERT(i >= 50);
  json_array_foreach(json_object_get(d, "isRtx"), i, c) {
    json_t *codec = json_pack("{s:O}", "mimeType", json_object_get(c, "in"));
    if (braid_ortc_match_is_rtx(codec) != json_is_true(json_object_get(c, "out")))
      BRAID_TEST_FAIL("isRtx \"%s\"", str(c, "in"));
    json_decref(codec);
  }
  json_decref(d);
}

BRAID_TEST(h264_parity) {
  json_t *d = load_data();
  json_t *h = json_object_get(d, "h264");
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(h, "parse"), i, c) {
    braid_ortc_h264_plid_t p;
    const json_t *want = json_object_get(c, "out");
    bool ok = braid_ortc_h264_profile_parse(json_object_get(c, "in"), &p);
    char *in = json_dumps(json_object_get(c, "in"), JSON_ENCODE_ANY);
    if (ok != !json_is_null(want)) BRAID_TEST_FAIL("parse %s: got %d", in, ok);
    if (ok && (p.profile != json_integer_value(json_object_get(want, "profile")) ||
               p.level != json_integer_value(json_object_get(want, "level"))))
      BRAID_TEST_FAIL("parse %s: got %d/%d", in, (int)p.profile, p.level);
    free(in);
  }
  ASSERT(i >= 30);
  json_array_foreach(json_object_get(h, "answer"), i, c) {
    json_t *local = parse_text(str(c, "local")), *remote = parse_text(str(c, "remote"));
    char out[BRAID_ORTC_H264_PLID_STRLEN], err[128] = "";
    bool present = true;
    ASSERT_EQ(braid_ortc_h264_profile_is_same(local, remote),
              json_is_true(json_object_get(c, "same")));
    int rc = braid_ortc_h264_profile_answer(local, remote, out, &present, err, sizeof(err));
    if (str(c, "error") != NULL) {
      expect_error("answer", str(c, "local"), rc, err, c);
    } else {
      ASSERT_EQ(rc, 0);
      const json_t *want = json_object_get(c, "out");
      ASSERT_EQ(present, !json_is_null(want));
      if (present) ASSERT_STR_EQ(out, json_string_value(want));
    }
    json_decref(local);
    json_decref(remote);
  }
  json_decref(d);
}

BRAID_TEST(scalability_parity) {
  json_t *d = load_data();
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(d, "scalability"), i, c) {
    const json_t *in = json_object_get(c, "in"), *want = json_object_get(c, "out");
    braid_ortc_scalability_t s;
    braid_ortc_scalability_parse(json_string_value(in), json_string_length(in), false, &s);
    if (s.spatial_layers != json_integer_value(json_object_get(want, "spatialLayers")) ||
        s.temporal_layers != json_integer_value(json_object_get(want, "temporalLayers")) ||
        s.ksvc != json_is_true(json_object_get(want, "ksvc")))
      BRAID_TEST_FAIL("scalability \"%s\": got L%dT%d%s", json_string_value(in), s.spatial_layers,
                      s.temporal_layers, s.ksvc ? "_KEY" : "");
  }
  ASSERT(i >= 20);
  json_decref(d);
}

/* ---- scenarios: transports, produce, consume ---------------------------- */

#define MAX_T 8
#define MAX_P 128

typedef struct scenario {
  json_t *caps; /* router capabilities */
  json_t *caps_table;
  struct {
    const char *id;
    braid_ortc_transport_t t;
    bool rtx;
  } tr[MAX_T];
  size_t ntr;
  braid_ortc_produce_t prod[MAX_P]; /* one per produce op; zeroed when it failed */
  const char *kind[MAX_P];
  const char *label[MAX_P];
  size_t nprod;
} scenario_t;

static size_t transport_index(scenario_t *s, const char *id) {
  for (size_t i = 0; i < s->ntr; i++) {
    if (strcmp(s->tr[i].id, id) == 0) return i;
  }
  BRAID_TEST_FAIL("unknown transport %s", id);
}

static uint32_t random_at(const json_t *op, size_t i) {
  return (uint32_t)json_integer_value(json_array_get(json_object_get(op, "random"), i));
}

static void run_produce(scenario_t *s, const char *name, size_t n, const json_t *op) {
  braid_ortc_transport_t *t = &s->tr[transport_index(s, str(op, "transport"))].t;
  json_t *kind = parse_text(str(op, "kind"));
  json_t *params = parse_text(str(op, "rtpParameters"));
  const char *uuid = json_string_value(json_array_get(json_object_get(op, "uuid"), 0));
  braid_ortc_produce_t *p = &s->prod[s->nprod];
  char err[256] = "";
  int rc = braid_ortc_produce_node(t, kind, params, s->caps, random_at(op, 0),
                                   uuid != NULL ? uuid : "--------", p, NULL, err, sizeof(err));
  char where[64];
  snprintf(where, sizeof(where), "%s#%zu", name, n);
  const json_t *result = json_object_get(op, "result");
  if (result == NULL) {
    expect_error("produce", where, rc, err, op);
  } else {
    if (rc != 0) BRAID_TEST_FAIL("produce %s: failed (%d): %s", where, rc, err);
    expect_dump("produce rtpParameters", where, p->rtp_parameters, str(result, "rtpParameters"));
    expect_dump("produce rtpMapping", where, p->rtp_mapping, str(result, "rtpMapping"));
    expect_dump("produce consumable", where, p->consumable, str(result, "consumableRtpParameters"));
    /* The worker's verdict: a type name or an error message. */
    const char *worker = str(op, "worker");
    braid_ortc_rtp_type_t type;
    rc = braid_ortc_producer_type_check(p->rtp_parameters, p->rtp_mapping, &type, err, sizeof(err));
    if (strcmp(worker, "simple") == 0 || strcmp(worker, "simulcast") == 0 ||
        strcmp(worker, "svc") == 0) {
      if (rc != 0) BRAID_TEST_FAIL("worker %s: failed (%d): %s", where, rc, err);
      ASSERT_STR_EQ(braid_ortc_producer_type_name(type), worker);
    } else if (rc != BRAID_EINVAL || strcmp(err, worker) != 0) {
      BRAID_TEST_FAIL("worker %s: got %d \"%s\", want \"%s\"", where, rc, err, worker);
    }
  }
  const char *k = json_string_value(kind);
  s->kind[s->nprod] = k == NULL ? NULL : strcmp(k, "audio") == 0 ? "audio" : "video";
  s->label[s->nprod] = str(op, "label");
  s->nprod++;
  json_decref(params);
  json_decref(kind);
}

static const braid_ortc_produce_t *producer_of(scenario_t *s, const json_t *ref,
                                               const char **kind) {
  size_t idx = SIZE_MAX;
  if (json_is_integer(ref) && json_integer_value(ref) >= 0) idx = (size_t)json_integer_value(ref);
  for (size_t i = 0; json_is_string(ref) && i < s->nprod; i++) {
    if (s->label[i] != NULL && strcmp(s->label[i], json_string_value(ref)) == 0) idx = i;
  }
  if (idx >= s->nprod || s->prod[idx].consumable == NULL) return NULL;
  *kind = s->kind[idx];
  return &s->prod[idx];
}

static json_t *caps_of(scenario_t *s, const json_t *op) {
  const char *ref = str(op, "capsRef");
  if (ref != NULL) return parse_text(json_string_value(json_object_get(s->caps_table, ref)));
  return parse_text(str(op, "rtpCapabilities"));
}

static void run_consume(scenario_t *s, const char *name, size_t n, const json_t *op) {
  size_t ti = transport_index(s, str(op, "transport"));
  const char *kind = NULL;
  const braid_ortc_produce_t *p = producer_of(s, json_object_get(op, "producer"), &kind);
  json_t *caps = caps_of(s, op);
  json_t *out = NULL;
  char err[256] = "", where[64];
  snprintf(where, sizeof(where), "%s#%zu", name, n);
  int rc;
  if (s->tr[ti].t.is_pipe) {
    /* PipeTransport.consume(): enableRtx is the transport's rtx flag. */
    ASSERT(p != NULL);
    rc = braid_ortc_consumer_pipe_params(p->consumable, s->tr[ti].rtx, random_at(op, 0),
                                         random_at(op, 1), &out, err, sizeof(err));
  } else {
    const json_t *rtx = json_object_get(op, "enableRtx");
    braid_ortc_consume_req_t req = {
        .producer_id = str(op, "producerId"),
        .consumable = p != NULL ? p->consumable : NULL,
        .kind = kind,
        .rtp_capabilities = caps,
        .mid = str(op, "mid"),
        .enable_rtx = rtx == NULL         ? BRAID_ORTC_RTX_DEFAULT
                      : json_is_true(rtx) ? BRAID_ORTC_RTX_ON
                                          : BRAID_ORTC_RTX_OFF,
        .pipe = json_is_true(json_object_get(op, "pipe")),
        .random_ssrc = random_at(op, 0),
        .random_rtx_ssrc = random_at(op, 1),
    };
    rc = braid_ortc_consume(&s->tr[ti].t, &req, &out, NULL, err, sizeof(err));
  }
  if (str(op, "result") != NULL) {
    if (rc != 0) BRAID_TEST_FAIL("consume %s: failed (%d): %s", where, rc, err);
    expect_dump("consume", where, out, str(op, "result"));
  } else {
    expect_error("consume", where, rc, err, op);
  }
  json_decref(out);
  json_decref(caps);
}

static void run_can_consume(scenario_t *s, const char *name, size_t n, const json_t *op) {
  const char *kind = NULL;
  const braid_ortc_produce_t *p = producer_of(s, json_object_get(op, "producer"), &kind);
  ASSERT(p != NULL);
  json_t *caps = caps_of(s, op);
  char err[256] = "";
  bool can = braid_ortc_consumer_can_consume(p->consumable, caps, err, sizeof(err));
  if (can != json_is_true(json_object_get(op, "result")))
    BRAID_TEST_FAIL("canConsume %s#%zu: got %d (%s)", name, n, can, err);
  if (str(op, "error") != NULL) ASSERT_STR_EQ(err, str(op, "error"));
  json_decref(caps);
}

static void run_scenario(json_t *d, const json_t *sc) {
  scenario_t s;
  memset(&s, 0, sizeof(s));
  const char *name = str(sc, "name");
  s.caps = parse_text(str(json_object_get(d, "routers"), str(sc, "router")));
  s.caps_table = json_object_get(d, "caps");
  size_t i;
  json_t *op;
  json_array_foreach(json_object_get(sc, "ops"), i, op) {
    const char *kind = str(op, "op");
    if (strcmp(kind, "transport") == 0) {
      ASSERT(s.ntr < MAX_T);
      s.tr[s.ntr].id = str(op, "id");
      s.tr[s.ntr].rtx = json_is_true(json_object_get(op, "rtx"));
      braid_ortc_transport_init(&s.tr[s.ntr].t, json_is_true(json_object_get(op, "pipe")));
      s.ntr++;
    } else if (strcmp(kind, "produce") == 0) {
      ASSERT(s.nprod < MAX_P);
      run_produce(&s, name, i, op);
    } else if (strcmp(kind, "consume") == 0) {
      run_consume(&s, name, i, op);
    } else {
      run_can_consume(&s, name, i, op);
    }
  }
  for (size_t k = 0; k < s.nprod; k++)
    braid_ortc_produce_cleanup(&s.prod[k]);
  for (size_t k = 0; k < s.ntr; k++)
    braid_ortc_transport_cleanup(&s.tr[k].t);
  json_decref(s.caps);
}

static void run_named(const char *scenario) {
  json_t *d = load_data();
  size_t i;
  json_t *sc;
  bool found = false;
  json_array_foreach(json_object_get(d, "scenarios"), i, sc) {
    if (strcmp(str(sc, "name"), scenario) != 0) continue;
    run_scenario(d, sc);
    found = true;
  }
  ASSERT(found);
  json_decref(d);
}

/* Pipe consumers add mediasoup's cached Dependency-Descriptor extension:
 * consumer.h hard-codes it, the supported table must agree. */
BRAID_TEST(dd_extension_is_the_supported_one) {
  json_t *caps = NULL;
  ASSERT_EQ(braid_ortc_supported_caps_new(&caps), 0);
  size_t i, found = 0;
  json_t *ext;
  json_array_foreach(json_object_get(caps, "headerExtensions"), i, ext) {
    if (strcmp(str(ext, "uri"), BRAID_ORTC_DD_URI) != 0) continue;
    ASSERT_EQ(json_integer_value(json_object_get(ext, "preferredId")), BRAID_ORTC_DD_ID);
    ASSERT(json_is_false(json_object_get(ext, "preferredEncrypt")));
    ASSERT(strcmp(str(ext, "direction"), "sendrecv") != 0);
    found++;
  }
  ASSERT_EQ(found, 1);
  json_decref(caps);
}

BRAID_TEST(chrome_demo_call) { run_named("chrome_demo_call"); }
BRAID_TEST(chrome_wide_router) { run_named("chrome_wide_router"); }
BRAID_TEST(cname_rule) { run_named("cname_rule"); }
BRAID_TEST(produce_errors) { run_named("produce_errors"); }

BRAID_TEST_LIST(BRAID_TEST_ENTRY(validate_parity) BRAID_TEST_ENTRY(match_parity)
                    BRAID_TEST_ENTRY(h264_parity) BRAID_TEST_ENTRY(scalability_parity)
                        BRAID_TEST_ENTRY(chrome_demo_call) BRAID_TEST_ENTRY(chrome_wide_router)
                            BRAID_TEST_ENTRY(cname_rule) BRAID_TEST_ENTRY(produce_errors)
                                BRAID_TEST_ENTRY(dd_extension_is_the_supported_one))
