/*
 * Tests of controller/room/media_cmd.c: the producer.create and
 * consumer.create commands made from real ORTC results (a Chromium-like
 * VP8 simulcast and Opus producer against the demo's router
 * capabilities, consumed with those capabilities), encoded with proto/
 * so that the node would accept them, and the limits the commands put on
 * what ORTC lets through.
 */
#include "controller/room/media_cmd.h"

#include "tests/controller/room/ortc_fixture.h"

BRAID_TEST(producer_vp8_simulcast) {
  json_t *caps = router_caps();
  braid_ortc_produce_t res;
  char err[256] = "";
  produce(vp8_simulcast, "video", caps, &res);
  braid_cmd_t cmd = {.type = BRAID_CMD_PRODUCER_CREATE};
  braid_cmd_producer_create_t *p = &cmd.u.producer_create;
  ASSERT_EQ(braid_media_cmd_producer(p, &res, "video", "t1", "p1", err, sizeof err), 0);
  ASSERT(braid_str_eq(p->transport_id, "t1") && braid_str_eq(p->producer_id, "p1"));
  ASSERT(braid_str_eq(p->kind, "video") && braid_str_eq(p->type, "simulcast"));
  ASSERT(!p->paused && p->key_frame_request_delay_ms == 0);
  ASSERT(braid_str_eq(p->mid, "1") && braid_str_eq(p->cname, "Y2nLFGjA"));
  ASSERT_EQ(p->fb, BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR | BRAID_FB_REMB | BRAID_FB_TWCC);
  ASSERT(p->ext.mid == 4 && p->ext.rid == 10 && p->ext.rrid == 11 && p->ext.abs_send_time == 2);
  ASSERT(p->ext.twcc == 3 && p->ext.video_orientation == 13 && p->ext.toffset == 14);
  ASSERT(p->ext.playout_delay == 12 && p->ext.audio_level == 0 && p->ext.dd == 0);
  ASSERT_EQ(p->ncodecs, 2);
  ASSERT(p->codecs[0].pt == 96 && p->codecs[0].mapped_pt == router_pt(caps, "video/VP8"));
  ASSERT(braid_str_eq(p->codecs[0].mime, "video/VP8") && p->codecs[0].clock_rate == 90000);
  ASSERT_EQ(p->codecs[0].apt, 0);
  ASSERT(p->codecs[1].pt == 97 && p->codecs[1].apt == 96);
  ASSERT_EQ(p->codecs[1].mapped_pt, p->codecs[0].mapped_pt + 1); /* the router's RTX follows */
  ASSERT_EQ(p->nencodings, 3);
  static const char *const rids[] = {"r0", "r1", "r2"};
  for (size_t i = 0; i < 3; i++) {
    const braid_producer_encoding_t *e = &p->encodings[i];
    ASSERT(braid_str_eq(e->rid, rids[i]) && e->ssrc == 0 && e->rtx_ssrc == 0);
    ASSERT_EQ(e->mapped_ssrc, MAPPED_BASE + i);
    ASSERT(e->spatial_layers == 1 && e->temporal_layers == 3 && !e->ksvc);
  }
  ASSERT(p->encodings[0].max_bitrate == 500000 && p->encodings[2].max_bitrate == 5000000);
  encodes(&cmd);

  /* Its consumer, with the router's capabilities as the client's. */
  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  braid_ortc_consume_req_t req = {.producer_id = "p1",
                                  .consumable = res.consumable,
                                  .kind = "video",
                                  .rtp_capabilities = caps,
                                  .enable_rtx = BRAID_ORTC_RTX_ON,
                                  .random_ssrc = CONSUMER_SSRC};
  json_t *params = NULL;
  ASSERT_EQ(braid_ortc_consume(&t, &req, &params, NULL, err, sizeof err), 0);
  braid_cmd_t cc = {.type = BRAID_CMD_CONSUMER_CREATE};
  braid_cmd_consumer_create_t *c = &cc.u.consumer_create;
  ASSERT_EQ(
      braid_media_cmd_consumer(c, params, "video", "simulcast", "t2", "c1", "p1", err, sizeof err),
      0);
  ASSERT(braid_str_eq(c->transport_id, "t2") && braid_str_eq(c->consumer_id, "c1"));
  ASSERT(braid_str_eq(c->producer_id, "p1") && braid_str_eq(c->type, "simulcast"));
  ASSERT(c->paused && c->ignore_dtx && braid_str_eq(c->mid, "0"));
  ASSERT(c->ssrc == CONSUMER_SSRC && c->rtx_ssrc == CONSUMER_SSRC + 1);
  ASSERT(braid_str_eq(c->cname, "Y2nLFGjA"));
  ASSERT_EQ(c->ncodecs, 1); /* VP8, with its RTX as rtx_pt */
  ASSERT(c->codecs[0].pt == p->codecs[0].mapped_pt &&
         c->codecs[0].rtx_pt == p->codecs[1].mapped_pt);
  ASSERT(braid_str_eq(c->codecs[0].mime, "video/VP8") && c->codecs[0].clock_rate == 90000);
  /* twcc is there, so goog-remb went (§4.7 step 6). */
  ASSERT_EQ(c->fb, BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR | BRAID_FB_TWCC);
  ASSERT_EQ(c->ext.mid, router_ext_id(caps, "video", "urn:ietf:params:rtp-hdrext:sdes:mid"));
  ASSERT_EQ(
      c->ext.twcc,
      router_ext_id(caps, "video",
                    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"));
  ASSERT(c->ext.mid != 0 && c->ext.abs_send_time != 0 && c->ext.video_orientation != 0);
  ASSERT(c->ext.rid == 0 && c->ext.rrid == 0 && c->ext.dd == 0);   /* not consumer keys */
  ASSERT(c->preferred_spatial == 2 && c->preferred_temporal == 2); /* L3T3 */
  encodes(&cc);
  json_decref(params);
  braid_ortc_transport_cleanup(&t);
  braid_ortc_produce_cleanup(&res);
  json_decref(caps);
}

BRAID_TEST(producer_opus) {
  json_t *caps = router_caps();
  braid_ortc_produce_t res;
  char err[256] = "";
  produce(opus, "audio", caps, &res);
  braid_cmd_t cmd = {.type = BRAID_CMD_PRODUCER_CREATE};
  braid_cmd_producer_create_t *p = &cmd.u.producer_create;
  ASSERT_EQ(braid_media_cmd_producer(p, &res, "audio", "t1", "p2", err, sizeof err), 0);
  ASSERT(braid_str_eq(p->type, "simple") && braid_str_eq(p->mid, "0"));
  ASSERT_EQ(p->fb, BRAID_FB_NACK | BRAID_FB_TWCC);
  ASSERT(p->ext.mid == 4 && p->ext.audio_level == 1 && p->ext.abs_capture_time == 9);
  ASSERT(p->ext.abs_send_time == 0 && p->ext.twcc == 0); /* packet-id is not carried */
  ASSERT(p->ncodecs == 1 && p->codecs[0].mapped_pt == router_pt(caps, "audio/opus"));
  ASSERT(p->nencodings == 1 && p->encodings[0].ssrc == 3735928559u);
  ASSERT(p->encodings[0].mapped_ssrc == MAPPED_BASE && p->encodings[0].max_bitrate == 0);
  ASSERT(p->encodings[0].spatial_layers == 1 && p->encodings[0].temporal_layers == 1);
  encodes(&cmd);

  braid_ortc_transport_t t;
  braid_ortc_transport_init(&t, false);
  t.next_mid = 7;
  braid_ortc_consume_req_t req = {.producer_id = "p2",
                                  .consumable = res.consumable,
                                  .kind = "audio",
                                  .rtp_capabilities = caps,
                                  .enable_rtx = BRAID_ORTC_RTX_ON,
                                  .random_ssrc = CONSUMER_SSRC};
  json_t *params = NULL;
  ASSERT_EQ(braid_ortc_consume(&t, &req, &params, NULL, err, sizeof err), 0);
  braid_cmd_t cc = {.type = BRAID_CMD_CONSUMER_CREATE};
  braid_cmd_consumer_create_t *c = &cc.u.consumer_create;
  ASSERT_EQ(
      braid_media_cmd_consumer(c, params, "audio", "simple", "t2", "c2", "p2", err, sizeof err), 0);
  ASSERT(braid_str_eq(c->mid, "7") && c->rtx_ssrc == 0 && c->codecs[0].rtx_pt == 0);
  ASSERT(c->preferred_spatial == 0 && c->preferred_temporal == 0);
  ASSERT(c->ext.audio_level != 0 && c->ext.video_orientation == 0);
  ASSERT(c->fb & BRAID_FB_NACK); /* RTX on: plain nack stays (§2.5) */
  encodes(&cc);
  json_decref(params);
  braid_ortc_transport_cleanup(&t);
  braid_ortc_produce_cleanup(&res);
  json_decref(caps);
}

/* Replaces key of the first encoding (or of params when enc is false). */
static void expect_refused(const char *base, bool enc, const char *key, json_t *value,
                           const char *want) {
  json_t *caps = router_caps();
  braid_ortc_produce_t res;
  char err[256] = "";
  produce(base, "video", caps, &res);
  json_t *target = enc ? json_array_get(json_object_get(res.rtp_parameters, "encodings"), 0)
                       : res.rtp_parameters;
  json_object_set_new(target, key, value);
  braid_cmd_producer_create_t p;
  ASSERT_EQ(braid_media_cmd_producer(&p, &res, "video", "t", "p", err, sizeof err), BRAID_EINVAL);
  ASSERT_STR_EQ(err, want);
  braid_ortc_produce_cleanup(&res);
  json_decref(caps);
}

BRAID_TEST(producer_limits) {
  expect_refused(vp8_simulcast, false, "mid", json_string("0123456789abcdefg"),
                 "rtpParameters.mid is too long (max 16 bytes)");
  expect_refused(vp8_simulcast, true, "rid", json_string("0123456789abcdefg"),
                 "encoding rid is too long (max 16 bytes)");
  expect_refused(vp8_simulcast, true, "ssrc", json_integer(4294967296LL),
                 "invalid encoding ssrc (must be 0..4294967295)");
  expect_refused(vp8_simulcast, true, "ssrc", json_real(1.5),
                 "invalid encoding ssrc (must be 0..4294967295)");
  /* Five encodings: ORTC takes them, the command holds four. */
  json_t *caps = router_caps();
  json_t *params = parse(vp8_simulcast);
  json_t *encs = json_object_get(params, "encodings");
  json_array_append_new(encs, json_pack("{ss}", "rid", "r3"));
  json_array_append_new(encs, json_pack("{ss}", "rid", "r4"));
  char *text = json_dumps(params, JSON_COMPACT);
  braid_ortc_produce_t res;
  char err[256] = "";
  produce(text, "video", caps, &res);
  braid_cmd_producer_create_t p;
  ASSERT_EQ(braid_media_cmd_producer(&p, &res, "video", "t", "p", err, sizeof err), BRAID_EINVAL);
  ASSERT_STR_EQ(err, "too many encodings (max 4)");
  braid_ortc_produce_cleanup(&res);
  free(text);
  json_decref(params);
  /* An extension id the one- and two-byte forms cannot carry. */
  params = parse(vp8_simulcast);
  json_object_set_new(json_array_get(json_object_get(params, "headerExtensions"), 0), "id",
                      json_integer(300));
  text = json_dumps(params, JSON_COMPACT);
  produce(text, "video", caps, &res);
  ASSERT_EQ(braid_media_cmd_producer(&p, &res, "video", "t", "p", err, sizeof err), BRAID_EINVAL);
  ASSERT_STR_EQ(err, "invalid header extension id for urn:ietf:params:rtp-hdrext:sdes:mid");
  braid_ortc_produce_cleanup(&res);
  free(text);
  json_decref(params);
  json_decref(caps);
}

BRAID_TEST(consumer_refusals) {
  char err[256] = "";
  braid_cmd_consumer_create_t c;
  json_t *none = parse("{\"mid\":\"0\",\"codecs\":[],\"encodings\":[{\"ssrc\":1}]}");
  ASSERT_EQ(braid_media_cmd_consumer(&c, none, "audio", "simple", "t", "c", "p", err, sizeof err),
            BRAID_EINVAL);
  ASSERT_STR_EQ(err, "no media codec");
  json_t *noenc = parse("{\"mid\":\"0\",\"codecs\":[{\"mimeType\":\"audio/opus\","
                        "\"payloadType\":100,\"clockRate\":48000}],\"encodings\":[]}");
  ASSERT_EQ(braid_media_cmd_consumer(&c, noenc, "audio", "simple", "t", "c", "p", err, sizeof err),
            BRAID_EINVAL);
  ASSERT_STR_EQ(err, "no encoding");
  json_t *ok = parse("{\"mid\":\"99999999\",\"codecs\":[{\"mimeType\":\"audio/opus\","
                     "\"payloadType\":100,\"clockRate\":48000}],\"encodings\":[{\"ssrc\":1}],"
                     "\"rtcp\":{\"cname\":\"x\"}}");
  ASSERT_EQ(braid_media_cmd_consumer(&c, ok, "audio", "simple", "t", "c", "p", err, sizeof err), 0);
  ASSERT(c.ncodecs == 1 && c.ssrc == 1 && c.fb == 0);
  json_decref(none);
  json_decref(noenc);
  json_decref(ok);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(producer_vp8_simulcast) BRAID_TEST_ENTRY(producer_opus)
                    BRAID_TEST_ENTRY(producer_limits) BRAID_TEST_ENTRY(consumer_refusals))
