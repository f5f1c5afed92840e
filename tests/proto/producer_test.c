/* Unit tests of the producer commands, proto/producer.c and proto/ext_ids.c
 * (through cmd.c and the nested maps of codec.c). */
#include "proto/cmd.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* "producer.create" for what Chromium sends for a VP8 webcam in
 * mediasoup-demo: three simulcast encodings by rid, no SSRCs, L1T3, VP8 and
 * its RTX, Chromium's extension ids, an empty cname (field-notes.md). Every
 * field annotated (STYLE.md rule 37). */
static const uint8_t simulcast_vec[] = {
    0xde, 0x00, 0x11,                                    /* map 16, 17 pairs */
    0xa1, 'v', 0x01,                                     /* "v": 1 */
    0xa1, 't', 0xaf, 'p', 'r', 'o', 'd', 'u', 'c', 'e',  /* "t": fixstr(15) "produce */
    'r', '.', 'c', 'r', 'e', 'a', 't', 'e',              /*   r.create" */
    0xa2, 'i', 'd', 0x07,                                /* "id": 7 */
    0xa2, 'r', 't', 0xa4, 'c', 't', 'l', '1',            /* "rt": "ctl1" */
    0xa2, 'd', 'l', 0xcf, 0x00, 0x00, 0x01, 0x8b, 0xcf,  /* "dl": uint64 1700000000000 */
    0xe5, 0x68, 0x00,                                    /*   (0x0000018bcfe56800) */
    0xa9, 't', 'r', 'a', 'n', 's', 'p', 'o', 'r', 't',   /* "transport": */
    0xa2, 't', '1',                                      /*   "t1" */
    0xa8, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r',        /* "producer": */
    0xa2, 'p', '1',                                      /*   "p1" */
    0xa4, 'k', 'i', 'n', 'd', 0xa5, 'v', 'i', 'd', 'e', 'o', /* "kind": "video" */
    0xa4, 't', 'y', 'p', 'e', 0xa9, 's', 'i', 'm', 'u',  /* "type": "simu */
    'l', 'c', 'a', 's', 't',                             /*   lcast" */
    0xa6, 'p', 'a', 'u', 's', 'e', 'd', 0xc2,            /* "paused": false */
    0xa8, 'k', 'f', '_', 'd', 'e', 'l', 'a', 'y',        /* "kf_delay": */
    0xcd, 0x13, 0x88,                                    /*   uint16 5000 (ms) */
    0xa3, 'm', 'i', 'd', 0xa1, '1',                      /* "mid": "1" */
    0xa5, 'c', 'n', 'a', 'm', 'e', 0xa0,                 /* "cname": "" */
    0xa2, 'f', 'b', 0x1f,                                /* "fb": nack|pli|fir|remb|twcc */
    0xa3, 'e', 'x', 't', 0x85,                           /* "ext": map, 5 pairs */
    0xa3, 'm', 'i', 'd', 0x04,                           /*   "mid": 4 */
    0xa3, 'r', 'i', 'd', 0x0a,                           /*   "rid": 10 */
    0xa4, 'r', 'r', 'i', 'd', 0x0b,                      /*   "rrid": 11 */
    0xad, 'a', 'b', 's', '_', 's', 'e', 'n', 'd', '_',   /*   "abs_send_ */
    't', 'i', 'm', 'e', 0x02,                            /*     time": 2 */
    0xa4, 't', 'w', 'c', 'c', 0x03,                      /*   "twcc": 3 */
    0xa6, 'c', 'o', 'd', 'e', 'c', 's', 0x92,            /* "codecs": array, 2 */
    0x84,                                                /*   map, 4 pairs (not RTX: no apt) */
    0xa2, 'p', 't', 0x60,                                /*     "pt": 96 */
    0xa9, 'm', 'a', 'p', 'p', 'e', 'd', '_', 'p', 't',   /*     "mapped_pt": */
    0x65,                                                /*       101 */
    0xa4, 'm', 'i', 'm', 'e', 0xa9, 'v', 'i', 'd', 'e',  /*     "mime": "vide */
    'o', '/', 'V', 'P', '8',                             /*       o/VP8" */
    0xa5, 'c', 'l', 'o', 'c', 'k',                       /*     "clock": */
    0xce, 0x00, 0x01, 0x5f, 0x90,                        /*       uint32 90000 */
    0x85,                                                /*   map, 5 pairs */
    0xa2, 'p', 't', 0x61,                                /*     "pt": 97 */
    0xa9, 'm', 'a', 'p', 'p', 'e', 'd', '_', 'p', 't',   /*     "mapped_pt": */
    0x66,                                                /*       102 */
    0xa4, 'm', 'i', 'm', 'e', 0xa9, 'v', 'i', 'd', 'e',  /*     "mime": "vide */
    'o', '/', 'r', 't', 'x',                             /*       o/rtx" */
    0xa5, 'c', 'l', 'o', 'c', 'k',                       /*     "clock": */
    0xce, 0x00, 0x01, 0x5f, 0x90,                        /*       uint32 90000 */
    0xa3, 'a', 'p', 't', 0x60,                           /*     "apt": 96 */
    0xa9, 'e', 'n', 'c', 'o', 'd', 'i', 'n', 'g', 's',   /* "encodings": */
    0x93,                                                /*   array, 3 */
    0x88,                                                /*   map, 8 pairs */
    0xa4, 's', 's', 'r', 'c', 0x00,                      /*     "ssrc": 0 (by rid) */
    0xa3, 'r', 'i', 'd', 0xa2, 'r', '0',                 /*     "rid": "r0" */
    0xa8, 'r', 't', 'x', '_', 's', 's', 'r', 'c', 0x00,  /*     "rtx_ssrc": 0 */
    0xab, 'm', 'a', 'p', 'p', 'e', 'd', '_', 's', 's',   /*     "mapped_ss */
    'r', 'c', 0xce, 0x1c, 0xbf, 0x57, 0xe3,              /*       rc": uint32 482301923 */
    0xa7, 's', 'p', 'a', 't', 'i', 'a', 'l', 0x01,       /*     "spatial": 1 */
    0xa8, 't', 'e', 'm', 'p', 'o', 'r', 'a', 'l', 0x03,  /*     "temporal": 3 (L1T3) */
    0xa4, 'k', 's', 'v', 'c', 0xc2,                      /*     "ksvc": false */
    0xab, 'm', 'a', 'x', '_', 'b', 'i', 't', 'r', 'a',   /*     "max_bitra */
    't', 'e', 0xce, 0x00, 0x07, 0xa1, 0x20,              /*       te": uint32 500000 */
    0x88,                                                /*   map, 8 pairs */
    0xa4, 's', 's', 'r', 'c', 0x00,                      /*     "ssrc": 0 */
    0xa3, 'r', 'i', 'd', 0xa2, 'r', '1',                 /*     "rid": "r1" */
    0xa8, 'r', 't', 'x', '_', 's', 's', 'r', 'c', 0x00,  /*     "rtx_ssrc": 0 */
    0xab, 'm', 'a', 'p', 'p', 'e', 'd', '_', 's', 's',   /*     "mapped_ss */
    'r', 'c', 0xce, 0x1c, 0xbf, 0x57, 0xe4,              /*       rc": 482301924 */
    0xa7, 's', 'p', 'a', 't', 'i', 'a', 'l', 0x01,       /*     "spatial": 1 */
    0xa8, 't', 'e', 'm', 'p', 'o', 'r', 'a', 'l', 0x03,  /*     "temporal": 3 */
    0xa4, 'k', 's', 'v', 'c', 0xc2,                      /*     "ksvc": false */
    0xab, 'm', 'a', 'x', '_', 'b', 'i', 't', 'r', 'a',   /*     "max_bitra */
    't', 'e', 0xce, 0x00, 0x0f, 0x42, 0x40,              /*       te": 1000000 */
    0x88,                                                /*   map, 8 pairs */
    0xa4, 's', 's', 'r', 'c', 0x00,                      /*     "ssrc": 0 */
    0xa3, 'r', 'i', 'd', 0xa2, 'r', '2',                 /*     "rid": "r2" */
    0xa8, 'r', 't', 'x', '_', 's', 's', 'r', 'c', 0x00,  /*     "rtx_ssrc": 0 */
    0xab, 'm', 'a', 'p', 'p', 'e', 'd', '_', 's', 's',   /*     "mapped_ss */
    'r', 'c', 0xce, 0x1c, 0xbf, 0x57, 0xe5,              /*       rc": 482301925 */
    0xa7, 's', 'p', 'a', 't', 'i', 'a', 'l', 0x01,       /*     "spatial": 1 */
    0xa8, 't', 'e', 'm', 'p', 'o', 'r', 'a', 'l', 0x03,  /*     "temporal": 3 */
    0xa4, 'k', 's', 'v', 'c', 0xc2,                      /*     "ksvc": false */
    0xab, 'm', 'a', 'x', '_', 'b', 'i', 't', 'r', 'a',   /*     "max_bitra */
    't', 'e', 0xce, 0x00, 0x4c, 0x4b, 0x40,              /*       te": 5000000 */
};

static braid_cmd_t make_simulcast(void) {
  braid_cmd_t c = {.type = BRAID_CMD_PRODUCER_CREATE,
                   .id = 7,
                   .reply_to = BRAID_STR_LIT("ctl1"),
                   .deadline_ms = INT64_C(1700000000000)};
  braid_cmd_producer_create_t *p = &c.u.producer_create;
  p->transport_id = BRAID_STR_LIT("t1");
  p->producer_id = BRAID_STR_LIT("p1");
  p->kind = BRAID_STR_LIT("video");
  p->type = BRAID_STR_LIT("simulcast");
  p->key_frame_request_delay_ms = 5000;
  p->mid = BRAID_STR_LIT("1");
  p->cname = BRAID_STR_LIT("");
  p->fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR | BRAID_FB_REMB | BRAID_FB_TWCC;
  p->ext = (braid_rtp_ext_ids_t){.mid = 4, .rid = 10, .rrid = 11, .abs_send_time = 2, .twcc = 3};
  p->ncodecs = 2;
  p->codecs[0] = (braid_producer_codec_t){96, 101, BRAID_STR_LIT("video/VP8"), 90000, 0};
  p->codecs[1] = (braid_producer_codec_t){97, 102, BRAID_STR_LIT("video/rtx"), 90000, 96};
  p->nencodings = 3;
  static const char *const rids[] = {"r0", "r1", "r2"};
  static const uint64_t bitrates[] = {500000, 1000000, 5000000};
  for (uint32_t i = 0; i < 3; i++)
    p->encodings[i] = (braid_producer_encoding_t){
        .rid = braid_str_c(rids[i]), .mapped_ssrc = 482301923 + i, .spatial_layers = 1,
        .temporal_layers = 3, .max_bitrate = bitrates[i]};
  return c;
}

/* Opus from a microphone: one encoding with an SSRC, no RTX. */
static braid_cmd_t make_audio(void) {
  braid_cmd_t c = {.type = BRAID_CMD_PRODUCER_CREATE, .id = 8, .reply_to = BRAID_STR_LIT("c")};
  braid_cmd_producer_create_t *p = &c.u.producer_create;
  p->transport_id = BRAID_STR_LIT("t1");
  p->producer_id = BRAID_STR_LIT("p-audio");
  p->kind = BRAID_STR_LIT("audio");
  p->type = BRAID_STR_LIT("simple");
  p->paused = true;
  p->mid = BRAID_STR_LIT("0");
  p->cname = BRAID_STR_LIT("sKzNqPq0S7fYbX1e");
  p->fb = BRAID_FB_NACK | BRAID_FB_TWCC;
  p->ext = (braid_rtp_ext_ids_t){.mid = 4, .abs_send_time = 2, .audio_level = 1,
                                 .abs_capture_time = 13, .playout_delay = 14};
  p->ncodecs = 1;
  p->codecs[0] = (braid_producer_codec_t){111, 100, BRAID_STR_LIT("audio/opus"), 48000, 0};
  p->nencodings = 1;
  p->encodings[0] = (braid_producer_encoding_t){.ssrc = 3735928559u, .mapped_ssrc = 123456789,
                                                .spatial_layers = 1, .temporal_layers = 1};
  return c;
}

/* VP9 SVC: one encoding L3T3_KEY with an SSRC and RTX. */
static braid_cmd_t make_svc(void) {
  braid_cmd_t c = make_simulcast();
  braid_cmd_producer_create_t *p = &c.u.producer_create;
  p->type = BRAID_STR_LIT("svc");
  p->ext.dd = 12;
  p->codecs[0] = (braid_producer_codec_t){98, 103, BRAID_STR_LIT("video/VP9"), 90000, 0};
  p->codecs[1] = (braid_producer_codec_t){99, 104, BRAID_STR_LIT("video/rtx"), 90000, 98};
  p->nencodings = 1;
  p->encodings[0] = (braid_producer_encoding_t){.ssrc = 1111, .rtx_ssrc = 2222,
                                                .mapped_ssrc = 333333333, .spatial_layers = 3,
                                                .temporal_layers = 3, .ksvc = true,
                                                .max_bitrate = 5000000};
  return c;
}

/* Everything at its limit: the most codecs and encodings, every extension,
 * the longest strings, the largest values. */
static braid_cmd_t make_max(void) {
  static char big[BRAID_CNAME_MAX];
  memset(big, 'z', sizeof big);
  braid_cmd_t c = {.type = BRAID_CMD_PRODUCER_CREATE, .id = UINT64_MAX,
                   .reply_to = {big, BRAID_ID_MAX}, .deadline_ms = INT64_MAX};
  braid_cmd_producer_create_t *p = &c.u.producer_create;
  p->transport_id = p->producer_id = (braid_str_t){big, BRAID_ID_MAX};
  p->kind = BRAID_STR_LIT("video");
  p->type = BRAID_STR_LIT("simulcast");
  p->key_frame_request_delay_ms = UINT32_MAX;
  p->mid = (braid_str_t){big, BRAID_MID_MAX};
  p->cname = (braid_str_t){big, BRAID_CNAME_MAX};
  p->fb = UINT32_MAX;
  p->ext = (braid_rtp_ext_ids_t){255, 254, 253, 252, 251, 250, 249, 248, 247, 246, 245};
  p->ncodecs = BRAID_MAX_CODECS;
  for (size_t i = 0; i < BRAID_MAX_CODECS; i++)
    p->codecs[i] = (braid_producer_codec_t){(uint8_t)(BRAID_PT_MAX - i), BRAID_PT_MAX,
                                            {big, BRAID_MIME_MAX}, UINT32_MAX, BRAID_PT_MAX};
  p->nencodings = BRAID_MAX_ENCODINGS;
  for (size_t i = 0; i < BRAID_MAX_ENCODINGS; i++)
    p->encodings[i] = (braid_producer_encoding_t){UINT32_MAX, {big, BRAID_MID_MAX}, UINT32_MAX,
                                                  UINT32_MAX, 255, 255, true, UINT64_MAX};
  return c;
}

static braid_cmd_t make_ref(braid_cmd_type_t type) {
  braid_cmd_t c = {.type = type, .id = 3, .reply_to = BRAID_STR_LIT("c")};
  c.u.producer_ref.producer_id = BRAID_STR_LIT("p1");
  return c;
}

static void assert_ext_eq(const braid_rtp_ext_ids_t *x, const braid_rtp_ext_ids_t *y) {
  ASSERT_EQ(x->mid, y->mid);
  ASSERT_EQ(x->rid, y->rid);
  ASSERT_EQ(x->rrid, y->rrid);
  ASSERT_EQ(x->abs_send_time, y->abs_send_time);
  ASSERT_EQ(x->twcc, y->twcc);
  ASSERT_EQ(x->audio_level, y->audio_level);
  ASSERT_EQ(x->video_orientation, y->video_orientation);
  ASSERT_EQ(x->toffset, y->toffset);
  ASSERT_EQ(x->abs_capture_time, y->abs_capture_time);
  ASSERT_EQ(x->playout_delay, y->playout_delay);
  ASSERT_EQ(x->dd, y->dd);
}

/* Compares every field of two producer commands, arrays included. */
static void assert_cmd_eq(const void *pa, const void *pb) {
  const braid_cmd_t *a = pa, *b = pb;
  proto_test_cmd_envelope_eq(a, b);
  if (a->type != BRAID_CMD_PRODUCER_CREATE) {
    ASSERT(str_same(a->u.producer_ref.producer_id, b->u.producer_ref.producer_id));
    return;
  }
  const braid_cmd_producer_create_t *x = &a->u.producer_create, *y = &b->u.producer_create;
  ASSERT(str_same(x->transport_id, y->transport_id));
  ASSERT(str_same(x->producer_id, y->producer_id));
  ASSERT(str_same(x->kind, y->kind));
  ASSERT(str_same(x->type, y->type));
  ASSERT_EQ(x->paused, y->paused);
  ASSERT(x->key_frame_request_delay_ms == y->key_frame_request_delay_ms);
  ASSERT(str_same(x->mid, y->mid));
  ASSERT(str_same(x->cname, y->cname));
  ASSERT_EQ(x->fb, y->fb);
  assert_ext_eq(&x->ext, &y->ext);
  ASSERT_EQ(x->ncodecs, y->ncodecs);
  for (size_t i = 0; i < x->ncodecs; i++) {
    const braid_producer_codec_t *k = &x->codecs[i], *l = &y->codecs[i];
    ASSERT(k->pt == l->pt && k->mapped_pt == l->mapped_pt && k->apt == l->apt);
    ASSERT(str_same(k->mime, l->mime));
    ASSERT_EQ(k->clock_rate, l->clock_rate);
  }
  ASSERT_EQ(x->nencodings, y->nencodings);
  for (size_t i = 0; i < x->nencodings; i++) {
    const braid_producer_encoding_t *e = &x->encodings[i], *f = &y->encodings[i];
    ASSERT_EQ(e->ssrc, f->ssrc);
    ASSERT(str_same(e->rid, f->rid));
    ASSERT_EQ(e->rtx_ssrc, f->rtx_ssrc);
    ASSERT_EQ(e->mapped_ssrc, f->mapped_ssrc);
    ASSERT_EQ(e->spatial_layers, f->spatial_layers);
    ASSERT_EQ(e->temporal_layers, f->temporal_layers);
    ASSERT_EQ(e->ksvc, f->ksvc);
    ASSERT(e->max_bitrate == f->max_bitrate);
  }
}

/* Decodes; on success every view lies in the input, every value within its
 * limits, and no element beyond the counts was touched. */
static int decode(const uint8_t *data, size_t len, const char **why) {
  braid_cmd_t cmd;
  int rc = braid_cmd_decode(&cmd, data, len, why);
  if (rc != 0) return rc;
  proto_test_view_in(cmd.reply_to, data, len);
  if (cmd.type != BRAID_CMD_PRODUCER_CREATE) {
    proto_test_view_in(cmd.u.producer_ref.producer_id, data, len);
    ASSERT(cmd.u.producer_ref.producer_id.len <= BRAID_ID_MAX);
    return 0;
  }
  const braid_cmd_producer_create_t *p = &cmd.u.producer_create;
  const braid_str_t v[] = {p->transport_id, p->producer_id, p->kind, p->type, p->mid, p->cname};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) proto_test_view_in(v[i], data, len);
  ASSERT(p->transport_id.len <= BRAID_ID_MAX && p->producer_id.len <= BRAID_ID_MAX);
  ASSERT(braid_str_eq(p->kind, "audio") || braid_str_eq(p->kind, "video"));
  ASSERT(braid_str_eq(p->type, "simple") || braid_str_eq(p->type, "simulcast") ||
         braid_str_eq(p->type, "svc"));
  ASSERT(p->mid.len <= BRAID_MID_MAX && p->cname.len <= BRAID_CNAME_MAX);
  ASSERT(p->ncodecs >= 1 && p->ncodecs <= BRAID_MAX_CODECS);
  ASSERT(p->nencodings >= 1 && p->nencodings <= BRAID_MAX_ENCODINGS);
  for (size_t i = 0; i < BRAID_MAX_CODECS; i++) {
    const braid_producer_codec_t *k = &p->codecs[i];
    if (i >= p->ncodecs) {
      ASSERT(k->mime.p == NULL && k->pt == 0 && k->clock_rate == 0);
      continue;
    }
    proto_test_view_in(k->mime, data, len);
    ASSERT(k->pt <= BRAID_PT_MAX && k->mapped_pt <= BRAID_PT_MAX && k->apt <= BRAID_PT_MAX);
    ASSERT(k->mime.len <= BRAID_MIME_MAX);
  }
  for (size_t i = 0; i < BRAID_MAX_ENCODINGS; i++) {
    const braid_producer_encoding_t *e = &p->encodings[i];
    if (i >= p->nencodings) {
      ASSERT(e->rid.p == NULL && e->mapped_ssrc == 0 && e->spatial_layers == 0);
      continue;
    }
    proto_test_view_in(e->rid, data, len);
    ASSERT(e->rid.len <= BRAID_MID_MAX);
    ASSERT(e->spatial_layers >= 1 && e->temporal_layers >= 1);
  }
  return 0;
}

/* round_trip(), patch() and string_limit() of this file's commands. */
PROTO_TEST_SHORTHANDS(braid_cmd_t, &proto_test_cmd, assert_cmd_eq, decode)

/* Shorthands on the simulcast vector. */
static void vset(const char *path, msgpack_object v, int rc, const char *why) {
  proto_test_patch(decode, simulcast_vec, sizeof simulcast_vec, PATCH_SET, path, v, rc, why);
}

BRAID_TEST(vector_simulcast_vp8) {
  braid_cmd_t cmd;
  const char *why = NULL;
  ASSERT_EQ(braid_cmd_decode(&cmd, simulcast_vec, sizeof simulcast_vec, &why), 0);
  ASSERT_EQ(cmd.type, BRAID_CMD_PRODUCER_CREATE);
  ASSERT_EQ(cmd.id, 7);
  ASSERT(braid_str_eq(cmd.reply_to, "ctl1"));
  ASSERT_EQ(cmd.deadline_ms, INT64_C(1700000000000));
  const braid_cmd_producer_create_t *p = &cmd.u.producer_create;
  ASSERT(braid_str_eq(p->transport_id, "t1") && braid_str_eq(p->producer_id, "p1"));
  ASSERT(braid_str_eq(p->kind, "video") && braid_str_eq(p->type, "simulcast"));
  ASSERT(!p->paused);
  ASSERT_EQ(p->key_frame_request_delay_ms, 5000);
  ASSERT(braid_str_eq(p->mid, "1") && braid_str_eq(p->cname, ""));
  ASSERT_EQ(p->fb, 0x1f);
  ASSERT(p->ext.mid == 4 && p->ext.rid == 10 && p->ext.rrid == 11);
  ASSERT(p->ext.abs_send_time == 2 && p->ext.twcc == 3);
  ASSERT(p->ext.audio_level == 0 && p->ext.video_orientation == 0 && p->ext.toffset == 0);
  ASSERT(p->ext.abs_capture_time == 0 && p->ext.playout_delay == 0 && p->ext.dd == 0);
  ASSERT_EQ(p->ncodecs, 2);
  ASSERT(p->codecs[0].pt == 96 && p->codecs[0].mapped_pt == 101 && p->codecs[0].apt == 0);
  ASSERT(braid_str_eq(p->codecs[0].mime, "video/VP8") && p->codecs[0].clock_rate == 90000);
  ASSERT(p->codecs[1].pt == 97 && p->codecs[1].mapped_pt == 102 && p->codecs[1].apt == 96);
  ASSERT(braid_str_eq(p->codecs[1].mime, "video/rtx") && p->codecs[1].clock_rate == 90000);
  ASSERT_EQ(p->nencodings, 3);
  static const char *const rids[] = {"r0", "r1", "r2"};
  static const uint64_t bitrates[] = {500000, 1000000, 5000000};
  for (size_t i = 0; i < 3; i++) {
    const braid_producer_encoding_t *e = &p->encodings[i];
    ASSERT(e->ssrc == 0 && e->rtx_ssrc == 0 && braid_str_eq(e->rid, rids[i]));
    ASSERT_EQ(e->mapped_ssrc, 482301923 + i);
    ASSERT(e->spatial_layers == 1 && e->temporal_layers == 3 && !e->ksvc);
    ASSERT_EQ(e->max_bitrate, bitrates[i]);
  }
  /* Views point into the input: "r2" is 71 bytes from the end. */
  ASSERT(p->encodings[2].rid.p == (const char *)simulcast_vec + sizeof simulcast_vec - 71);

  braid_cmd_t mine = make_simulcast();
  proto_test_encodes_to(&proto_test_cmd, &mine, simulcast_vec, sizeof simulcast_vec);
}

BRAID_TEST(round_trip_every_type) {
  braid_cmd_t c = make_simulcast();
  round_trip(&c);
  c = make_audio();
  round_trip(&c);
  c = make_svc();
  round_trip(&c);
  c = make_max();
  round_trip(&c);
  /* The least: one codec, one encoding, empty strings, no extensions. */
  c = (braid_cmd_t){.type = BRAID_CMD_PRODUCER_CREATE};
  c.u.producer_create.kind = BRAID_STR_LIT("audio");
  c.u.producer_create.type = BRAID_STR_LIT("simple");
  c.u.producer_create.ncodecs = c.u.producer_create.nencodings = 1;
  c.u.producer_create.encodings[0].spatial_layers = 1;
  c.u.producer_create.encodings[0].temporal_layers = 1;
  round_trip(&c);
  static const braid_cmd_type_t refs[] = {BRAID_CMD_PRODUCER_CLOSE, BRAID_CMD_PRODUCER_PAUSE,
                                          BRAID_CMD_PRODUCER_RESUME};
  for (size_t i = 0; i < 3; i++) {
    c = make_ref(refs[i]);
    round_trip(&c);
    c.u.producer_ref.producer_id = (braid_str_t){NULL, 0};
    round_trip(&c);
  }
}

BRAID_TEST(ext_ids) {
  static const char *const keys[] = {"mid",     "rid",          "rrid",       "abs_send_time",
                                     "twcc",    "audio_level",  "video_orientation",
                                     "toffset", "abs_capture_time", "playout_delay", "dd"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char path[64], why[64];
    snprintf(path, sizeof path, "ext.%s", keys[i]);
    snprintf(why, sizeof why, "key '%s' is out of range", keys[i]);
    vset(path, mo_u(0), BRAID_EMALFORMED, why); /* 0: don't send the key */
    vset(path, mo_u(256), BRAID_EMALFORMED, why);
    vset(path, mo_i(-1), BRAID_EMALFORMED, why);
    vset(path, mo_u(1), 0, NULL);
    vset(path, mo_u(255), 0, NULL);
    snprintf(why, sizeof why, "key '%s' has wrong type", keys[i]);
    vset(path, mo_str("4"), BRAID_ETYPE, why);
  }
  /* Absent ids decode as 0; unknown extensions are skipped. */
  braid_cmd_t cmd;
  proto_test_doc_t d;
  size_t n;
  doc_load(&d, simulcast_vec, sizeof simulcast_vec);
  doc_del(&d, "ext.rrid");
  doc_set(&d, "ext.framemarking", mo_u(7));
  doc_set(&d, "ext.later", mo_map0());
  const uint8_t *p = doc_pack(&d, &n);
  ASSERT_EQ(braid_cmd_decode(&cmd, p, n, NULL), 0);
  ASSERT(cmd.u.producer_create.ext.rrid == 0 && cmd.u.producer_create.ext.rid == 10);
  doc_free(&d);
  vset("ext", mo_map0(), 0, NULL); /* no extension at all */
  vset("ext", mo_array0(), BRAID_ETYPE, "key 'ext' has wrong type");
  vset("ext", mo_u(4), BRAID_ETYPE, "key 'ext' has wrong type");
  proto_test_patch(decode, simulcast_vec, sizeof simulcast_vec, PATCH_ADD, "ext.mid", mo_u(4),
                   BRAID_EMALFORMED, "duplicate key 'mid'");
  proto_test_missing(decode, simulcast_vec, sizeof simulcast_vec, "ext");

  /* Zeros are not encoded: one id gives a map of one pair. */
  braid_cmd_t c = make_simulcast();
  c.u.producer_create.ext = (braid_rtp_ext_ids_t){.twcc = 3};
  braid_buf_t out;
  proto_test_encode(&proto_test_cmd, &c, &out);
  doc_load(&d, out.data, out.len);
  ASSERT_EQ(doc_get(&d, "ext")->via.map.size, 1);
  ASSERT_EQ(doc_get(&d, "ext.twcc")->via.u64, 3);
  doc_free(&d);
  braid_buf_cleanup(&out);
}

BRAID_TEST(codec_limits) {
  /* One over the most the C array holds, and none. */
  braid_cmd_t c = make_max();
  braid_buf_t out;
  proto_test_doc_t src;
  proto_test_encode(&proto_test_cmd, &c, &out);
  doc_load(&src, out.data, out.len);
  proto_test_patch(decode, out.data, out.len, PATCH_ADD, "codecs.x", *doc_get(&src, "codecs.0"),
                   BRAID_ETOOBIG, "key 'codecs' has too many elements");
  proto_test_patch(decode, out.data, out.len, PATCH_ADD, "encodings.x",
                   *doc_get(&src, "encodings.0"), BRAID_ETOOBIG,
                   "key 'encodings' has too many elements");
  proto_test_patch(decode, out.data, out.len, PATCH_DEL, "codecs.7", mo_nil(), 0, NULL);
  doc_free(&src);
  braid_buf_cleanup(&out);
  vset("codecs", mo_array0(), BRAID_EMALFORMED, "key 'codecs' has too few elements");
  vset("codecs", mo_map0(), BRAID_ETYPE, "key 'codecs' has wrong type");
  vset("codecs.1", mo_u(97), BRAID_ETYPE, "key 'codecs' has wrong type");
  vset("codecs.0", mo_array0(), BRAID_ETYPE, "key 'codecs' has wrong type");
  vset("codecs.1", mo_map0(), BRAID_EMISSING, "missing key 'pt'");
  /* Payload types are 7 bits; clock rates 32. */
  static const char *const pts[] = {"pt", "mapped_pt", "apt"};
  for (size_t i = 0; i < 3; i++) {
    char path[32], why[64];
    snprintf(path, sizeof path, "codecs.1.%s", pts[i]);
    snprintf(why, sizeof why, "key '%s' is out of range", pts[i]);
    vset(path, mo_u(128), BRAID_EMALFORMED, why);
    vset(path, mo_u(256), BRAID_EMALFORMED, why);
    vset(path, mo_i(-1), BRAID_EMALFORMED, why);
    vset(path, mo_u(127), 0, NULL);
    vset(path, mo_u(0), 0, NULL);
  }
  vset("codecs.0.clock", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, "key 'clock' is out of range");
  vset("codecs.0.clock", mo_u(UINT32_MAX), 0, NULL);
  vset("codecs.0.mime", mo_u(1), BRAID_ETYPE, "key 'mime' has wrong type");
  vset("codecs.0.apt", mo_u(0), 0, NULL); /* 0 is the same as absent */
  proto_test_patch(decode, simulcast_vec, sizeof simulcast_vec, PATCH_DEL, "codecs.1.apt",
                   mo_nil(), 0, NULL);
  static const char *const required[] = {"pt", "mapped_pt", "mime", "clock"};
  for (size_t i = 0; i < 4; i++) {
    char path[32];
    snprintf(path, sizeof path, "codecs.1.%s", required[i]);
    proto_test_missing(decode, simulcast_vec, sizeof simulcast_vec, path);
  }
  /* Unknown keys inside a codec are skipped, however nested. */
  vset("codecs.0.parameters", mo_map0(), 0, NULL);
  proto_test_patch(decode, simulcast_vec, sizeof simulcast_vec, PATCH_ADD, "codecs.0.pt",
                   mo_u(96), BRAID_EMALFORMED, "duplicate key 'pt'");
}

BRAID_TEST(encoding_limits) {
  vset("encodings", mo_array0(), BRAID_EMALFORMED, "key 'encodings' has too few elements");
  vset("encodings", mo_str("r0"), BRAID_ETYPE, "key 'encodings' has wrong type");
  vset("encodings.2", mo_nil(), BRAID_ETYPE, "key 'encodings' has wrong type");
  static const char *const ssrcs[] = {"ssrc", "rtx_ssrc", "mapped_ssrc"};
  for (size_t i = 0; i < 3; i++) {
    char path[32], why[64];
    snprintf(path, sizeof path, "encodings.1.%s", ssrcs[i]);
    snprintf(why, sizeof why, "key '%s' is out of range", ssrcs[i]);
    vset(path, mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, why); /* 2^32 */
    vset(path, mo_i(-1), BRAID_EMALFORMED, why);
    vset(path, mo_u(UINT32_MAX), 0, NULL);
  }
  vset("encodings.0.spatial", mo_u(0), BRAID_EMALFORMED, "key 'spatial' is out of range");
  vset("encodings.0.spatial", mo_u(256), BRAID_EMALFORMED, "key 'spatial' is out of range");
  vset("encodings.0.temporal", mo_u(0), BRAID_EMALFORMED, "key 'temporal' is out of range");
  vset("encodings.0.temporal", mo_u(255), 0, NULL);
  vset("encodings.0.ksvc", mo_u(1), BRAID_ETYPE, "key 'ksvc' has wrong type");
  vset("encodings.0.max_bitrate", mo_i(-5), BRAID_EMALFORMED, "key 'max_bitrate' is out of range");
  vset("encodings.2.rid", mo_str("0123456789abcdef"), 0, NULL);
  vset("encodings.2.rid", mo_str("0123456789abcdefg"), BRAID_ETOOBIG, "key 'rid' is too long");
  vset("encodings.2.rid", mo_str(""), 0, NULL);
  static const char *const required[] = {"ssrc",     "rid",  "rtx_ssrc", "mapped_ssrc",
                                         "spatial", "temporal", "ksvc", "max_bitrate"};
  for (size_t i = 0; i < 8; i++) {
    char path[32];
    snprintf(path, sizeof path, "encodings.2.%s", required[i]);
    proto_test_missing(decode, simulcast_vec, sizeof simulcast_vec, path);
  }
  vset("encodings.1.scalability_mode", mo_str("L1T3"), 0, NULL);
}

BRAID_TEST(top_level_values) {
  vset("kind", mo_str("data"), BRAID_EMALFORMED, "key 'kind' has an invalid value");
  vset("kind", mo_str("Video"), BRAID_EMALFORMED, "key 'kind' has an invalid value");
  vset("kind", mo_str("audio"), 0, NULL);
  vset("type", mo_str("pipe"), BRAID_EMALFORMED, "key 'type' has an invalid value");
  vset("type", mo_str("svc"), 0, NULL);
  vset("type", mo_str("simple"), 0, NULL);
  vset("type", mo_u(0), BRAID_ETYPE, "key 'type' has wrong type");
  vset("fb", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, "key 'fb' is out of range");
  vset("fb", mo_u(UINT32_MAX), 0, NULL); /* unknown bits are kept */
  vset("paused", mo_u(0), BRAID_ETYPE, "key 'paused' has wrong type");
  vset("kf_delay", mo_i(-1), BRAID_EMALFORMED, "key 'kf_delay' is out of range");
  vset("mid", mo_str("0123456789abcdefX"), BRAID_ETOOBIG, "key 'mid' is too long");
  vset("mid", mo_str(""), 0, NULL);
  static const struct {
    const char *path;
    size_t limit;
  } strs[] = {{"cname", BRAID_CNAME_MAX},
              {"producer", BRAID_ID_MAX},
              {"transport", BRAID_ID_MAX},
              {"codecs.0.mime", BRAID_MIME_MAX}};
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
    proto_test_string_limit(decode, simulcast_vec, sizeof simulcast_vec, strs[i].path,
                            strs[i].limit);
  proto_test_patch(decode, simulcast_vec, sizeof simulcast_vec, PATCH_ADD, "codecs",
                   mo_array0(), BRAID_EMALFORMED, "duplicate key 'codecs'");
  /* Deeper than the limit inside an unknown key of a codec: refused when
   * the message is first walked. */
  proto_test_mb_t b;
  mb_init(&b);
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH - 3); /* message, codecs, codec: 3 levels above */
  proto_test_doc_t deep;
  doc_load(&deep, mb_data(&b), b.sb.size);
  vset("codecs.0.x", deep.u.data, 0, NULL);
  doc_free(&deep);
  mb_destroy(&b);
  mb_init(&b);
  mb_nested(&b, BRAID_PROTO_MAX_DEPTH - 2);
  doc_load(&deep, mb_data(&b), b.sb.size);
  vset("codecs.0.x", deep.u.data, BRAID_ETOOBIG, "nesting too deep");
  doc_free(&deep);
  mb_destroy(&b);
}

/* "kf_delay": mediasoup's keyFrameRequestDelay, a uint32 of ms. */
BRAID_TEST(key_frame_request_delay) {
  vset("kf_delay", mo_u(0), 0, NULL); /* none: sent as 0, not left out */
  vset("kf_delay", mo_u(UINT32_MAX), 0, NULL);
  vset("kf_delay", mo_u(UINT64_C(1) << 32), BRAID_EMALFORMED, "key 'kf_delay' is out of range");
  vset("kf_delay", mo_u(UINT64_MAX), BRAID_EMALFORMED, "key 'kf_delay' is out of range");
  vset("kf_delay", mo_i(-1), BRAID_EMALFORMED, "key 'kf_delay' is out of range");
  vset("kf_delay", mo_str("5000"), BRAID_ETYPE, "key 'kf_delay' has wrong type");
  vset("kf_delay", mo_nil(), BRAID_ETYPE, "key 'kf_delay' has wrong type");
  /* Every value round-trips, 0 included (the key is always there). */
  static const uint32_t delays[] = {0, 1, 5000, 65536, UINT32_MAX};
  for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++) {
    braid_cmd_t c = make_simulcast();
    c.u.producer_create.key_frame_request_delay_ms = delays[i];
    round_trip(&c);
    braid_buf_t out;
    proto_test_doc_t d;
    proto_test_encode(&proto_test_cmd, &c, &out);
    doc_load(&d, out.data, out.len);
    ASSERT(doc_get(&d, "kf_delay") != NULL);
    ASSERT_EQ(doc_get(&d, "kf_delay")->via.u64, delays[i]);
    doc_free(&d);
    braid_buf_cleanup(&out);
  }
}

BRAID_TEST(missing_keys) {
  static const char *const keys[] = {"transport", "producer", "kind", "cname", "type",
                                     "paused", "kf_delay", "mid", "fb", "ext", "codecs",
                                     "encodings", "id", "rt"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    proto_test_missing(decode, simulcast_vec, sizeof simulcast_vec, keys[i]);
  braid_cmd_t c = make_ref(BRAID_CMD_PRODUCER_PAUSE);
  patch(&c, PATCH_DEL, "producer", mo_nil(), BRAID_EMISSING, "missing key 'producer'");
  patch(&c, PATCH_SET, "producer", mo_u(1), BRAID_ETYPE, "key 'producer' has wrong type");
  patch(&c, PATCH_SET, "transport", mo_u(1), 0, NULL); /* not a key of producer.pause */
}

BRAID_TEST(encode_refuses_bad_commands) {
  static char big[BRAID_CNAME_MAX + 1];
  braid_buf_t out;
  proto_test_keep(&out);
  braid_cmd_t c;
  braid_cmd_producer_create_t *p = &c.u.producer_create;
#define REFUSED(...)                                                                               \
  do {                                                                                             \
    c = make_simulcast();                                                                          \
    __VA_ARGS__;                                                                                   \
    ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);                                           \
  } while (0)
  REFUSED(p->ncodecs = 0);
  REFUSED(p->ncodecs = BRAID_MAX_CODECS + 1);
  REFUSED(p->nencodings = 0);
  REFUSED(p->nencodings = BRAID_MAX_ENCODINGS + 1);
  REFUSED(p->codecs[1].pt = 128);
  REFUSED(p->codecs[0].mapped_pt = 200);
  REFUSED(p->codecs[1].apt = 128);
  REFUSED(p->codecs[0].mime = (braid_str_t){big, BRAID_MIME_MAX + 1});
  REFUSED(p->codecs[0].mime = (braid_str_t){NULL, 3});
  REFUSED(p->encodings[2].spatial_layers = 0);
  REFUSED(p->encodings[0].temporal_layers = 0);
  REFUSED(p->encodings[1].rid = (braid_str_t){big, BRAID_MID_MAX + 1});
  REFUSED(p->kind = BRAID_STR_LIT("data"));
  REFUSED(p->type = BRAID_STR_LIT("pipe"));
  REFUSED(p->type = (braid_str_t){NULL, 0}); /* "" is not a type */
  REFUSED(p->mid = (braid_str_t){big, BRAID_MID_MAX + 1});
  REFUSED(p->cname = (braid_str_t){big, BRAID_CNAME_MAX + 1});
  REFUSED(p->producer_id = (braid_str_t){big, BRAID_ID_MAX + 1});
#undef REFUSED
  c = make_ref(BRAID_CMD_PRODUCER_CLOSE);
  c.u.producer_ref.producer_id = (braid_str_t){big, BRAID_ID_MAX + 1};
  ASSERT_EQ(braid_cmd_encode(&c, &out), BRAID_EINVAL);
  proto_test_kept(&out);
  /* Elements past the counts are not looked at. */
  c = make_simulcast();
  p->codecs[5].pt = 200;
  p->encodings[3].spatial_layers = 0;
  ASSERT_EQ(braid_cmd_encode(&c, &out), 0);
  ASSERT_EQ(out.len, 4 + sizeof simulcast_vec);
  braid_buf_cleanup(&out);
}

/* The vector and the encodings of every type, for the robustness loops. */
static void samples(proto_test_samples_t *s) {
  braid_cmd_t cmds[] = {make_audio(), make_svc(), make_max(),
                        make_ref(BRAID_CMD_PRODUCER_CLOSE), make_ref(BRAID_CMD_PRODUCER_PAUSE),
                        make_ref(BRAID_CMD_PRODUCER_RESUME)};
  proto_test_sample_bytes(s, simulcast_vec, sizeof simulcast_vec);
  proto_test_sample_each(s, &proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0]);
  s->truncate_only[3] = true; /* make_max() */
}

PROTO_TEST_ROBUSTNESS(decode, samples)

/* A run of 30 of each type (proto_test_run_oom()). */
BRAID_TEST(encode_out_of_memory) {
  braid_cmd_t cmds[] = {make_simulcast(), make_max(), make_ref(BRAID_CMD_PRODUCER_RESUME)};
  proto_test_encode_oom(&proto_test_cmd, cmds, sizeof cmds / sizeof cmds[0], 30);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(vector_simulcast_vp8)
    BRAID_TEST_ENTRY(round_trip_every_type)
    BRAID_TEST_ENTRY(ext_ids)
    BRAID_TEST_ENTRY(codec_limits)
    BRAID_TEST_ENTRY(encoding_limits)
    BRAID_TEST_ENTRY(top_level_values)
    BRAID_TEST_ENTRY(key_frame_request_delay)
    BRAID_TEST_ENTRY(missing_keys)
    BRAID_TEST_ENTRY(encode_refuses_bad_commands)
    PROTO_TEST_ROBUSTNESS_ENTRIES
    BRAID_TEST_ENTRY(encode_out_of_memory))
