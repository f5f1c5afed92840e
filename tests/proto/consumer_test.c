/* Unit tests of the consumer commands, proto/consumer.c and proto/ext_ids.c
 * (through cmd.c and the nested maps of codec.c). */
#include "proto/cmd.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* "consumer.create" of the 3-layer VP8 simulcast producer for Chromium, as
 * in mediasoup-protocol.md §3.4: router PTs and extension ids, one SSRC and
 * its RTX, created paused, preferring the highest layers. Every field
 * annotated (STYLE.md rule 37). */
static const uint8_t simulcast_vec[] = {
    0xde, 0x00, 0x15,                                    /* map 16, 21 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xaf, 'c', 'o', 'n', 's', 'u', 'm', 'e',  /* "t": fixstr(15) "consume */
    'r', '.', 'c', 'r', 'e', 'a', 't', 'e',              /*   r.create" */
    0xa2, 'i', 'd', 0x0b,                                /* "id": 11 */
    0xa2, 'r', 't', 0xa4, 'c', 't', 'l', '1',            /* "rt": "ctl1" */
    0xa2, 'd', 'l', 0xcf, 0x00, 0x00, 0x01, 0x8b, 0xcf,  /* "dl": uint64 1700000000000 */
    0xe5, 0x68, 0x00,                                    /*   (0x0000018bcfe56800) */
    0xa9, 't', 'r', 'a', 'n', 's', 'p', 'o', 'r', 't',   /* "transport": */
    0xa2, 't', '2',                                      /*   "t2" */
    0xa8, 'c', 'o', 'n', 's', 'u', 'm', 'e', 'r',        /* "consumer": */
    0xa2, 'c', '1',                                      /*   "c1" */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',        /* "producer": */
    0xa2, 'p', '1',                                      /*   "p1" */
    0xa4, 'k', 'i', 'n', 'd', 0xa5, 'v', 'i', 'd', 'e', 'o', /* "kind": "video" */
    0xa4, 't', 'y', 'p', 'e', 0xa9, 's', 'i', 'm', 'u',  /* "type": "simu */
    'l', 'c', 'a', 's', 't',                             /*   lcast" */
    0xa6, 'p', 'a', 'u', 's', 'e', 'd', 0xc3,            /* "paused": true */
    0xa3, 'm', 'i', 'd', 0xa1, '1',                      /* "mid": "1" */
    0xa4, 's', 's', 'r', 'c',                            /* "ssrc": */
    0xce, 0x1c, 0xbf, 0x57, 0xe3,                        /*   uint32 482301923 */
    0xa8, 'r', 't', 'x', '_', 's', 's', 'r', 'c',        /* "rtx_ssrc": */
    0xce, 0x1c, 0xbf, 0x57, 0xe4,                        /*   uint32 482301924 */
    0xa5, 'c', 'n', 'a', 'm', 'e', 0xb0, 'T', '1', 'v',  /* "cname": fixstr(16) "T1v */
    'A', 'F', 'H', 'x', 'l', 'q', 'W', 'm', 'j', 'Y',    /*   AFHxlqWmjY */
    'b', 'V', 'x',                                       /*   bVx" */
    0xa2, 'f', 'b', 0x17,                                /* "fb": nack|pli|fir|twcc */
    0xa3, 'e', 'x', 't', 0x85,                           /* "ext": map, 5 pairs */
    0xa3, 'm', 'i', 'd', 0x01,                           /*   "mid": 1 */
    0xad, 'a', 'b', 's', '_', 's', 'e', 'n', 'd', '_',   /*   "abs_send_ */
    't', 'i', 'm', 'e', 0x04,                            /*     time": 4 */
    0xa4, 't', 'w', 'c', 'c', 0x05,                      /*   "twcc": 5 */
    0xb1, 'v', 'i', 'd', 'e', 'o', '_', 'o', 'r', 'i',   /*   "video_ori */
    'e', 'n', 't', 'a', 't', 'i', 'o', 'n', 0x0b,        /*     entation": 11 */
    0xa7, 't', 'o', 'f', 'f', 's', 'e', 't', 0x0c,       /*   "toffset": 12 */
    0xa6, 'c', 'o', 'd', 'e', 'c', 's', 0x91,            /* "codecs": array, 1 */
    0x84,                                                /*   map, 4 pairs */
    0xa2, 'p', 't', 0x65,                                /*     "pt": 101 */
    0xa6, 'r', 't', 'x', '_', 'p', 't', 0x66,            /*     "rtx_pt": 102 */
    0xa4, 'm', 'i', 'm', 'e', 0xa9, 'v', 'i', 'd', 'e',  /*     "mime": "vide */
    'o', '/', 'V', 'P', '8',                             /*       o/VP8" */
    0xa5, 'c', 'l', 'o', 'c', 'k',                       /*     "clock": */
    0xce, 0x00, 0x01, 0x5f, 0x90,                        /*       uint32 90000 */
    0xa7, 's', 'p', 'a', 't', 'i', 'a', 'l', 0x02,       /* "spatial": 2 */
    0xa8, 't', 'e', 'm', 'p', 'o', 'r', 'a', 'l', 0x02,  /* "temporal": 2 */
    0xaa, 'i', 'g', 'n', 'o', 'r', 'e', '_', 'd', 't',   /* "ignore_dt */
    'x', 0xc2,                                           /*   x": false */
};

static braid_cmd_t make_simulcast(void) {
  braid_cmd_t c = {.type = BRAID_CMD_CONSUMER_CREATE,
                   .id = 11,
                   .reply_to = BRAID_STR_LIT("ctl1"),
                   .deadline_ms = INT64_C(1700000000000)};
  braid_cmd_consumer_create_t *q = &c.u.consumer_create;
  q->transport_id = BRAID_STR_LIT("t2");
  q->consumer_id = BRAID_STR_LIT("c1");
  q->producer_id = BRAID_STR_LIT("p1");
  q->kind = BRAID_STR_LIT("video");
  q->type = BRAID_STR_LIT("simulcast");
  q->paused = true;
  q->mid = BRAID_STR_LIT("1");
  q->ssrc = 482301923;
  q->rtx_ssrc = 482301924;
  q->cname = BRAID_STR_LIT("T1vAFHxlqWmjYbVx");
  q->fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR | BRAID_FB_TWCC;
  q->ext = (braid_rtp_ext_ids_t){.mid = 1, .abs_send_time = 4, .twcc = 5,
                                 .video_orientation = 11, .toffset = 12};
  q->ncodecs = 1;
  q->codecs[0] = (braid_consumer_codec_t){101, 102, BRAID_STR_LIT("video/VP8"), 90000};
  q->preferred_spatial = 2;
  q->preferred_temporal = 2;
  return c;
}

/* An opus consumer: no RTX, audio extensions, DTX ignored. */
static braid_cmd_t make_audio(void) {
  braid_cmd_t c = {.type = BRAID_CMD_CONSUMER_CREATE, .id = 12, .reply_to = BRAID_STR_LIT("c")};
  braid_cmd_consumer_create_t *q = &c.u.consumer_create;
  q->transport_id = BRAID_STR_LIT("t2");
  q->consumer_id = BRAID_STR_LIT("c-audio");
  q->producer_id = BRAID_STR_LIT("p-audio");
  q->kind = BRAID_STR_LIT("audio");
  q->type = BRAID_STR_LIT("simple");
  q->mid = BRAID_STR_LIT("0");
  q->ssrc = 100000007;
  q->cname = BRAID_STR_LIT("cname");
  q->fb = BRAID_FB_NACK;
  q->ext = (braid_rtp_ext_ids_t){.mid = 1, .abs_send_time = 4, .audio_level = 10,
                                 .abs_capture_time = 13, .playout_delay = 14};
  q->ncodecs = 1;
  q->codecs[0] = (braid_consumer_codec_t){100, 0, BRAID_STR_LIT("audio/opus"), 48000};
  q->ignore_dtx = true;
  return c;
}

/* Everything at its limit. */
static braid_cmd_t make_max(void) {
  static char big[BRAID_CNAME_MAX];
  memset(big, 'q', sizeof big);
  braid_cmd_t c = {.type = BRAID_CMD_CONSUMER_CREATE, .id = UINT64_MAX,
                   .reply_to = {big, BRAID_ID_MAX}, .deadline_ms = INT64_MIN};
  braid_cmd_consumer_create_t *q = &c.u.consumer_create;
  q->transport_id = q->consumer_id = q->producer_id = (braid_str_t){big, BRAID_ID_MAX};
  q->kind = BRAID_STR_LIT("video");
  q->type = BRAID_STR_LIT("pipe");
  q->mid = (braid_str_t){big, BRAID_MID_MAX};
  q->ssrc = q->rtx_ssrc = UINT32_MAX;
  q->cname = (braid_str_t){big, BRAID_CNAME_MAX};
  q->fb = UINT32_MAX;
  q->ext = (braid_rtp_ext_ids_t){.mid = 255, .abs_send_time = 254, .twcc = 253,
                                 .audio_level = 252, .video_orientation = 251, .toffset = 250,
                                 .abs_capture_time = 249, .playout_delay = 248};
  q->ncodecs = BRAID_MAX_CODECS;
  for (size_t i = 0; i < BRAID_MAX_CODECS; i++)
    q->codecs[i] = (braid_consumer_codec_t){(uint8_t)i, BRAID_PT_MAX, {big, BRAID_MIME_MAX},
                                            UINT32_MAX};
  q->preferred_spatial = q->preferred_temporal = 255;
  q->paused = q->ignore_dtx = true;
  return c;
}

static braid_cmd_t make_ref(braid_cmd_type_t type) {
  braid_cmd_t c = {.type = type, .id = 4, .reply_to = BRAID_STR_LIT("c")};
  c.u.consumer_ref.consumer_id = BRAID_STR_LIT("c1");
  return c;
}

static const braid_cmd_type_t ref_types[] = {BRAID_CMD_CONSUMER_CLOSE, BRAID_CMD_CONSUMER_PAUSE,
                                             BRAID_CMD_CONSUMER_RESUME,
                                             BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME};

/* Compares every field of two consumer commands, arrays included; of the
 * extension ids only those a consumer has. */
static void assert_cmd_eq(const void *pa, const void *pb) {
  const braid_cmd_t *a = pa, *b = pb;
  proto_test_cmd_envelope_eq(a, b);
  if (a->type != BRAID_CMD_CONSUMER_CREATE) {
    ASSERT(str_same(a->u.consumer_ref.consumer_id, b->u.consumer_ref.consumer_id));
    return;
  }
  const braid_cmd_consumer_create_t *x = &a->u.consumer_create, *y = &b->u.consumer_create;
  ASSERT(str_same(x->transport_id, y->transport_id));
  ASSERT(str_same(x->consumer_id, y->consumer_id));
  ASSERT(str_same(x->producer_id, y->producer_id));
  ASSERT(str_same(x->kind, y->kind));
  ASSERT(str_same(x->type, y->type));
  ASSERT_EQ(x->paused, y->paused);
  ASSERT(str_same(x->mid, y->mid));
  ASSERT_EQ(x->ssrc, y->ssrc);
  ASSERT_EQ(x->rtx_ssrc, y->rtx_ssrc);
  ASSERT(str_same(x->cname, y->cname));
  ASSERT_EQ(x->fb, y->fb);
  ASSERT_EQ(x->ext.mid, y->ext.mid);
  ASSERT_EQ(x->ext.abs_send_time, y->ext.abs_send_time);
  ASSERT_EQ(x->ext.twcc, y->ext.twcc);
  ASSERT_EQ(x->ext.audio_level, y->ext.audio_level);
  ASSERT_EQ(x->ext.video_orientation, y->ext.video_orientation);
  ASSERT_EQ(x->ext.toffset, y->ext.toffset);
  ASSERT_EQ(x->ext.abs_capture_time, y->ext.abs_capture_time);
  ASSERT_EQ(x->ext.playout_delay, y->ext.playout_delay);
  ASSERT_EQ(x->ncodecs, y->ncodecs);
  for (size_t i = 0; i < x->ncodecs; i++) {
    ASSERT(x->codecs[i].pt == y->codecs[i].pt && x->codecs[i].rtx_pt == y->codecs[i].rtx_pt);
    ASSERT(str_same(x->codecs[i].mime, y->codecs[i].mime));
    ASSERT_EQ(x->codecs[i].clock_rate, y->codecs[i].clock_rate);
  }
  ASSERT_EQ(x->preferred_spatial, y->preferred_spatial);
  ASSERT_EQ(x->preferred_temporal, y->preferred_temporal);
  ASSERT_EQ(x->ignore_dtx, y->ignore_dtx);
}

static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_cmd_t cmd;
  int rc = braid_cmd_decode(&cmd, data, len, why);
  if (rc != 0) return rc;
  proto_test_view_in(cmd.reply_to, data, len);
  if (cmd.type != BRAID_CMD_CONSUMER_CREATE) {
    proto_test_view_in(cmd.u.consumer_ref.consumer_id, data, len);
    ASSERT(cmd.u.consumer_ref.consumer_id.len <= BRAID_ID_MAX);
    return 0;
  }
  const braid_cmd_consumer_create_t *q = &cmd.u.consumer_create;
  const braid_str_t v[] = {q->transport_id, q->consumer_id, q->producer_id,
                           q->kind,         q->type,        q->mid,
                           q->cname};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) proto_test_view_in(v[i], data, len);
  ASSERT(q->transport_id.len <= BRAID_ID_MAX && q->consumer_id.len <= BRAID_ID_MAX);
  ASSERT(q->producer_id.len <= BRAID_ID_MAX);
  ASSERT(braid_str_eq(q->kind, "audio") || braid_str_eq(q->kind, "video"));
  ASSERT(braid_str_eq(q->type, "simple") || braid_str_eq(q->type, "simulcast") ||
         braid_str_eq(q->type, "svc") || braid_str_eq(q->type, "pipe"));
  ASSERT(q->mid.len <= BRAID_MID_MAX && q->cname.len <= BRAID_CNAME_MAX);
  /* Not consumer keys: never set. */
  ASSERT(q->ext.rid == 0 && q->ext.rrid == 0 && q->ext.dd == 0);
  ASSERT(q->ncodecs >= 1 && q->ncodecs <= BRAID_MAX_CODECS);
  for (size_t i = 0; i < q->ncodecs; i++) {
    proto_test_view_in(q->codecs[i].mime, data, len);
    ASSERT(q->codecs[i].pt <= BRAID_PT_MAX && q->codecs[i].rtx_pt <= BRAID_PT_MAX);
    ASSERT(q->codecs[i].mime.len <= BRAID_MIME_MAX);
  }
  return 0;
}

/* round_trip(), patch() and string_limit() of this file's commands. */
PROTO_TEST_SHORTHANDS(braid_cmd_t, &proto_test_cmd, assert_cmd_eq, decode)

static void vset(const char *path, msgpack_object v, int rc, const char *why) {
  proto_test_patch(decode, simulcast_vec, sizeof simulcast_vec, PATCH_SET, path, v, rc, why);
}

BRAID_TEST(vector_simulcast_vp8) {
  braid_cmd_t cmd;
  ASSERT_EQ(braid_cmd_decode(&cmd, simulcast_vec, sizeof simulcast_vec, NULL), 0);
  ASSERT_EQ(cmd.type, BRAID_CMD_CONSUMER_CREATE);
  ASSERT_EQ(cmd.id, 11);
  ASSERT(braid_str_eq(cmd.reply_to, "ctl1"));
  ASSERT_EQ(cmd.deadline_ms, INT64_C(1700000000000));
  const braid_cmd_consumer_create_t *q = &cmd.u.consumer_create;
  ASSERT(braid_str_eq(q->transport_id, "t2") && braid_str_eq(q->consumer_id, "c1"));
  ASSERT(braid_str_eq(q->producer_id, "p1"));
  ASSERT(braid_str_eq(q->kind, "video") && braid_str_eq(q->type, "simulcast"));
  ASSERT(q->paused && braid_str_eq(q->mid, "1"));
  ASSERT(q->ssrc == 482301923 && q->rtx_ssrc == 482301924);
  ASSERT(braid_str_eq(q->cname, "T1vAFHxlqWmjYbVx"));
  ASSERT_EQ(q->fb, 0x17);
  ASSERT(q->ext.mid == 1 && q->ext.abs_send_time == 4 && q->ext.twcc == 5);
  ASSERT(q->ext.video_orientation == 11 && q->ext.toffset == 12);
  ASSERT(q->ext.audio_level == 0 && q->ext.abs_capture_time == 0 && q->ext.playout_delay == 0);
  ASSERT_EQ(q->ncodecs, 1);
  ASSERT(q->codecs[0].pt == 101 && q->codecs[0].rtx_pt == 102);
  ASSERT(braid_str_eq(q->codecs[0].mime, "video/VP8") && q->codecs[0].clock_rate == 90000);
  ASSERT(q->preferred_spatial == 2 && q->preferred_temporal == 2 && !q->ignore_dtx);
  ASSERT(q->cname.p == (const char *)simulcast_vec + 156); /* a view into the input */

  braid_cmd_t mine = make_simulcast();
  proto_test_encodes_to(&proto_test_cmd, &mine, simulcast_vec, sizeof simulcast_vec);
}

BRAID_TEST(round_trip_every_type) {
  braid_cmd_t c = make_simulcast();
  round_trip(&c);
  c = make_audio();
  round_trip(&c);
  c = make_max();
  round_trip(&c);
  static const char *const types[] = {"simple", "simulcast", "svc", "pipe"};
  for (size_t i = 0; i < 4; i++) {
    c = make_simulcast();
    c.u.consumer_create.type = braid_str_c(types[i]);
    round_trip(&c);
  }
  c = (braid_cmd_t){.type = BRAID_CMD_CONSUMER_CREATE};
  c.u.consumer_create.kind = BRAID_STR_LIT("audio");
  c.u.consumer_create.type = BRAID_STR_LIT("simple");
  c.u.consumer_create.ncodecs = 1;
  round_trip(&c);
  for (size_t i = 0; i < 4; i++) {
    c = make_ref(ref_types[i]);
    round_trip(&c);
  }
}

/* A pipe consumer as the controller sends it (consumer.h): not paused, no
 * MID, SSRC and RTX SSRC 0, the producer's router codecs with their RTX,
 * the pipe's extension ids (no MID, abs-send-time or TWCC). */
BRAID_TEST(pipe_consumer_command) {
  braid_cmd_t c = make_simulcast();
  braid_cmd_consumer_create_t *q = &c.u.consumer_create;
  q->type = BRAID_STR_LIT("pipe");
  q->paused = false;
  q->mid = BRAID_STR_LIT("");
  q->ssrc = q->rtx_ssrc = 0;
  q->fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR;
  q->ext = (braid_rtp_ext_ids_t){.video_orientation = 11, .toffset = 12, .abs_capture_time = 7};
  round_trip(&c);
  braid_buf_t out;
  braid_cmd_t back;
  proto_test_encode(&proto_test_cmd, &c, &out);
  ASSERT_EQ(braid_cmd_decode(&back, out.data, out.len, NULL), 0);
  const braid_cmd_consumer_create_t *b = &back.u.consumer_create;
  ASSERT(braid_str_eq(b->type, "pipe") && b->mid.len == 0 && !b->paused);
  ASSERT(b->ssrc == 0 && b->rtx_ssrc == 0);
  ASSERT(b->ext.mid == 0 && b->ext.abs_send_time == 0 && b->ext.twcc == 0);
  ASSERT(b->ext.abs_capture_time == 7 && b->ext.toffset == 12);
  braid_buf_cleanup(&out);
}

BRAID_TEST(ext_ids_of_a_consumer) {
  /* RID, RRID and the dependency descriptor are not consumer keys: not
   * encoded, and skipped when decoding. */
  braid_cmd_t c = make_simulcast();
  c.u.consumer_create.ext.rid = 2;
  c.u.consumer_create.ext.rrid = 3;
  c.u.consumer_create.ext.dd = 9;
  proto_test_encodes_to(&proto_test_cmd, &c, simulcast_vec, sizeof simulcast_vec);
  vset("ext.rid", mo_u(2), 0, NULL);
  vset("ext.rrid", mo_str("not even an integer"), 0, NULL);
  vset("ext.dd", mo_u(0), 0, NULL);
  /* The others as for producers. */
  static const char *const keys[] = {"mid",     "abs_send_time",    "twcc",
                                     "audio_level", "video_orientation", "toffset",
                                     "abs_capture_time", "playout_delay"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char path[64], why[64];
    snprintf(path, sizeof path, "ext.%s", keys[i]);
    snprintf(why, sizeof why, "key '%s' is out of range", keys[i]);
    vset(path, mo_u(0), BRAID_EMALFORMED, why);
    vset(path, mo_u(256), BRAID_EMALFORMED, why);
    vset(path, mo_u(255), 0, NULL);
  }
  proto_test_patch(decode, simulcast_vec, sizeof simulcast_vec, PATCH_DEL, "ext.mid", mo_nil(), 0,
                   NULL);
  vset("ext", mo_array0(), BRAID_ETYPE, "key 'ext' has wrong type");
}

BRAID_TEST(limits) {
  braid_cmd_t c = make_max();
  braid_buf_t out;
  proto_test_doc_t src;
  proto_test_encode(&proto_test_cmd, &c, &out);
  doc_load(&src, out.data, out.len);
  proto_test_patch(decode, out.data, out.len, PATCH_ADD, "codecs.x", *doc_get(&src, "codecs.0"),
                   BRAID_ETOOBIG, "key 'codecs' has too many elements");
  doc_free(&src);
  braid_buf_cleanup(&out);
  vset("codecs", mo_array0(), BRAID_EMALFORMED, "key 'codecs' has too few elements");
  vset("codecs.0", mo_str("VP8"), BRAID_ETYPE, "key 'codecs' has wrong type");
  vset("codecs.0.pt", mo_u(128), BRAID_EMALFORMED, "key 'pt' is out of range");
  vset("codecs.0.rtx_pt", mo_u(128), BRAID_EMALFORMED, "key 'rtx_pt' is out of range");
  vset("codecs.0.rtx_pt", mo_u(0), 0, NULL);
  vset("codecs.0.clock", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, "key 'clock' is out of range");
  vset("ssrc", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, "key 'ssrc' is out of range");
  vset("rtx_ssrc", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, "key 'rtx_ssrc' is out of range");
  vset("ssrc", mo_u(UINT32_MAX), 0, NULL);
  vset("spatial", mo_u(256), BRAID_EMALFORMED, "key 'spatial' is out of range");
  vset("temporal", mo_i(-1), BRAID_EMALFORMED, "key 'temporal' is out of range");
  vset("spatial", mo_u(0), 0, NULL);
  vset("fb", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, "key 'fb' is out of range");
  vset("kind", mo_str("data"), BRAID_EMALFORMED, "key 'kind' has an invalid value");
  vset("type", mo_str("router"), BRAID_EMALFORMED, "key 'type' has an invalid value");
  vset("type", mo_str("pipe"), 0, NULL);
  vset("ignore_dtx", mo_nil(), BRAID_ETYPE, "key 'ignore_dtx' has wrong type");
  vset("mid", mo_str("12345678901234567"), BRAID_ETOOBIG, "key 'mid' is too long");
  static const struct {
    const char *path;
    size_t limit;
  } strs[] = {{"transport", BRAID_ID_MAX}, {"consumer", BRAID_ID_MAX},
              {"producer", BRAID_ID_MAX},  {"cname", BRAID_CNAME_MAX},
              {"codecs.0.mime", BRAID_MIME_MAX}};
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
    proto_test_string_limit(decode, simulcast_vec, sizeof simulcast_vec, strs[i].path,
                            strs[i].limit);
}

BRAID_TEST(missing_keys) {
  static const char *const keys[] = {"transport", "consumer", "producer",   "kind",
                                     "type",      "paused",   "mid",        "ssrc",
                                     "rtx_ssrc",  "cname",    "fb",         "ext",
                                     "codecs",    "spatial",  "temporal",   "ignore_dtx",
                                     "codecs.0.pt", "codecs.0.rtx_pt", "codecs.0.mime",
                                     "codecs.0.clock"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    proto_test_missing(decode, simulcast_vec, sizeof simulcast_vec, keys[i]);
  for (size_t i = 0; i < 4; i++) {
    braid_cmd_t c = make_ref(ref_types[i]);
    braid_buf_t out;
    proto_test_encode(&proto_test_cmd, &c, &out);
    proto_test_patch(decode, out.data, out.len, PATCH_DEL, "consumer", mo_nil(), BRAID_EMISSING,
                     "missing key 'consumer'");
    proto_test_patch(decode, out.data, out.len, PATCH_ADD, "consumer", mo_str("c2"),
                     BRAID_EMALFORMED, "duplicate key 'consumer'");
    proto_test_patch(decode, out.data, out.len, PATCH_SET, "producer", mo_u(1), 0, NULL);
    braid_buf_cleanup(&out);
  }
}

BRAID_TEST(encode_refuses_bad_commands) {
  static char big[BRAID_CNAME_MAX + 1];
  braid_buf_t out;
  proto_test_keep(&out);
  braid_cmd_t c;
  braid_cmd_consumer_create_t *q = &c.u.consumer_create;
#define REFUSED(...)                                                                               \
  do {                                                                                             \
    c = make_simulcast();                                                                          \
    __VA_ARGS__;                                                                                   \
    ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);                                           \
  } while (0)
  REFUSED(q->ncodecs = 0);
  REFUSED(q->ncodecs = BRAID_MAX_CODECS + 1);
  REFUSED(q->codecs[0].pt = 128);
  REFUSED(q->codecs[0].rtx_pt = 255);
  REFUSED(q->codecs[0].mime = (braid_str_t){big, BRAID_MIME_MAX + 1});
  REFUSED(q->kind = BRAID_STR_LIT("text"));
  REFUSED(q->type = BRAID_STR_LIT("simulcast "));
  REFUSED(q->cname = (braid_str_t){big, BRAID_CNAME_MAX + 1});
  REFUSED(q->mid = (braid_str_t){NULL, 1});
  REFUSED(q->consumer_id = (braid_str_t){big, BRAID_ID_MAX + 1});
#undef REFUSED
  c = make_ref(BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME);
  c.u.consumer_ref.consumer_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  proto_test_kept(&out);
  braid_buf_cleanup(&out);
}

/* The vector and the encodings of every type, for the robustness loops. */
static void samples(proto_test_samples_t *s) {
  braid_cmd_t cmds[] = {make_audio(), make_max(), make_ref(ref_types[0]), make_ref(ref_types[1]),
                        make_ref(ref_types[2]), make_ref(ref_types[3])};
  proto_test_sample_bytes(s, simulcast_vec, sizeof simulcast_vec);
  proto_test_sample_each(s, &proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0]);
  s->truncate_only[2] = true; /* make_max() */
}

PROTO_TEST_ROBUSTNESS(decode, samples)

/* A run of 30 of each type (proto_test_run_oom()). */
BRAID_TEST(encode_out_of_memory) {
  braid_cmd_t cmds[] = {make_simulcast(), make_max(), make_ref(BRAID_CMD_CONSUMER_PAUSE)};
  proto_test_encode_oom(&proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0], 30);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(vector_simulcast_vp8) BRAID_TEST_ENTRY(round_trip_every_type)
                    BRAID_TEST_ENTRY(pipe_consumer_command) BRAID_TEST_ENTRY(ext_ids_of_a_consumer)
                        BRAID_TEST_ENTRY(limits) BRAID_TEST_ENTRY(missing_keys) BRAID_TEST_ENTRY(
                            encode_refuses_bad_commands)
                            PROTO_TEST_ROBUSTNESS_ENTRIES BRAID_TEST_ENTRY(encode_out_of_memory))
