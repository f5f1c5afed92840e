/*
 * Tests of controller/room/pipe_cmd.c: the commands that pipe a producer
 * to another node, made from the consumable parameters ORTC gave a
 * Chromium-like VP8 simulcast and Opus producer (ortc_fixture.h): every
 * encoding with its mapped SSRC, router payload types on both sides, no
 * RTX, no mid / abs-send-time / transport-wide-cc, and commands the node
 * decodes; with RTX, the RTX codec and SSRCs on both sides.
 */
#include "controller/room/pipe_cmd.h"

#include "tests/controller/room/ortc_fixture.h"

#define TWCC_URI "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

static bool has_uri(const json_t *params, const char *uri) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(params, "headerExtensions"), i, e) {
    if (strcmp(json_string_value(json_object_get(e, "uri")), uri) == 0) return true;
  }
  return false;
}

BRAID_TEST(pipe_vp8_simulcast) {
  json_t *caps = router_caps();
  braid_ortc_produce_t res;
  char err[256] = "";
  produce(vp8_simulcast, "video", caps, &res);
  json_t *params = NULL;
  ASSERT_EQ(braid_pipe_cmd_params(res.consumable, 0, &params, err, sizeof err), 0);

  /* The pipe's parameters without RTX: VP8 alone, its feedback cut to
   * what a pipe carries, three encodings with the mapped SSRCs. */
  json_t *codecs = json_object_get(params, "codecs");
  ASSERT_EQ(json_array_size(codecs), 1);
  ASSERT_EQ(json_integer_value(json_object_get(json_array_get(codecs, 0), "payloadType")),
            router_pt(caps, "video/VP8"));
  json_t *encs = json_object_get(params, "encodings");
  ASSERT_EQ(json_array_size(encs), 3);
  for (size_t i = 0; i < 3; i++) {
    json_t *e = json_array_get(encs, i);
    ASSERT_EQ(json_integer_value(json_object_get(e, "ssrc")), MAPPED_BASE + i);
    ASSERT(json_object_get(e, "rtx") == NULL);
  }
  ASSERT(!has_uri(params, "urn:ietf:params:rtp-hdrext:sdes:mid"));
  ASSERT(!has_uri(params, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
  ASSERT(!has_uri(params, TWCC_URI));
  ASSERT(has_uri(params, "urn:3gpp:video-orientation"));
  ASSERT(json_object_get(params, "mid") == NULL);

  /* The pipe consumer on the source node. */
  braid_cmd_t cc = {.type = BRAID_CMD_CONSUMER_CREATE};
  braid_cmd_consumer_create_t *c = &cc.u.consumer_create;
  ASSERT_EQ(braid_pipe_cmd_consumer(c, params, "video", "pt1", "pc1", "p1", err, sizeof err), 0);
  ASSERT(braid_str_eq(c->type, "pipe") && braid_str_eq(c->transport_id, "pt1"));
  ASSERT(braid_str_eq(c->consumer_id, "pc1") && braid_str_eq(c->producer_id, "p1"));
  ASSERT(!c->paused && c->ssrc == 0 && c->rtx_ssrc == 0 && c->mid.len == 0);
  ASSERT(braid_str_eq(c->cname, "Y2nLFGjA"));
  ASSERT_EQ(c->fb, BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR);
  ASSERT_EQ(c->ncodecs, 1);
  ASSERT(c->codecs[0].pt == router_pt(caps, "video/VP8") && c->codecs[0].rtx_pt == 0);
  ASSERT(c->ext.mid == 0 && c->ext.abs_send_time == 0 && c->ext.twcc == 0);
  ASSERT_EQ(c->ext.video_orientation, router_ext_id(caps, "video", "urn:3gpp:video-orientation"));
  encodes(&cc);

  /* The piped producer on the target node: an identity mapping. */
  braid_cmd_t pc = {.type = BRAID_CMD_PRODUCER_CREATE};
  braid_cmd_producer_create_t *p = &pc.u.producer_create;
  json_t *mapping = NULL;
  ASSERT_EQ(braid_pipe_cmd_producer(p, params, "video", "simulcast", "pt2", "p1", &mapping, err,
                                    sizeof err),
            0);
  ASSERT(braid_str_eq(p->type, "simulcast") && braid_str_eq(p->producer_id, "p1"));
  ASSERT(braid_str_eq(p->transport_id, "pt2") && !p->paused && p->mid.len == 0);
  ASSERT(braid_str_eq(p->cname, "Y2nLFGjA"));
  ASSERT_EQ(p->fb, BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR);
  ASSERT_EQ(p->ncodecs, 1);
  ASSERT(p->codecs[0].pt == p->codecs[0].mapped_pt && p->codecs[0].pt == c->codecs[0].pt);
  ASSERT_EQ(p->nencodings, 3);
  for (size_t i = 0; i < 3; i++) {
    const braid_producer_encoding_t *e = &p->encodings[i];
    ASSERT(e->ssrc == MAPPED_BASE + i && e->mapped_ssrc == MAPPED_BASE + i);
    ASSERT(e->rid.len == 0 && e->rtx_ssrc == 0 && e->temporal_layers == 3);
  }
  ASSERT(p->ext.mid == 0 && p->ext.rid == 0 && p->ext.twcc == 0);
  ASSERT_EQ(p->ext.video_orientation, c->ext.video_orientation);
  encodes(&pc);
  json_decref(mapping);
  json_decref(params);
  braid_ortc_produce_cleanup(&res);
  json_decref(caps);
}

BRAID_TEST(pipe_opus) {
  json_t *caps = router_caps();
  braid_ortc_produce_t res;
  char err[256] = "";
  produce(opus, "audio", caps, &res);
  json_t *params = NULL, *mapping = NULL;
  ASSERT_EQ(braid_pipe_cmd_params(res.consumable, 0, &params, err, sizeof err), 0);
  braid_cmd_t cc = {.type = BRAID_CMD_CONSUMER_CREATE}, pc = {.type = BRAID_CMD_PRODUCER_CREATE};
  ASSERT_EQ(braid_pipe_cmd_consumer(&cc.u.consumer_create, params, "audio", "pt1", "pc1", "p2", err,
                                    sizeof err),
            0);
  ASSERT_EQ(braid_pipe_cmd_producer(&pc.u.producer_create, params, "audio", "simple", "pt2", "p2",
                                    &mapping, err, sizeof err),
            0);
  const braid_cmd_producer_create_t *p = &pc.u.producer_create;
  ASSERT(braid_str_eq(p->type, "simple") && p->nencodings == 1);
  ASSERT(p->encodings[0].ssrc == MAPPED_BASE && p->encodings[0].mapped_ssrc == MAPPED_BASE);
  ASSERT(p->codecs[0].pt == router_pt(caps, "audio/opus") &&
         p->codecs[0].mapped_pt == p->codecs[0].pt);
  ASSERT(p->ext.audio_level != 0 && p->ext.audio_level == cc.u.consumer_create.ext.audio_level);
  ASSERT_EQ(cc.u.consumer_create.fb, BRAID_FB_NACK);
  encodes(&cc);
  encodes(&pc);
  json_decref(mapping);
  json_decref(params);
  braid_ortc_produce_cleanup(&res);
  json_decref(caps);
}

#define RTX_BASE 700000000u

/* With RTX, as the controller pipes: VP8 and its RTX on both sides, and
 * stream i's RTX SSRC RTX_BASE + i. */
BRAID_TEST(pipe_vp8_simulcast_rtx) {
  json_t *caps = router_caps();
  braid_ortc_produce_t res;
  char err[256] = "";
  produce(vp8_simulcast, "video", caps, &res);
  json_t *params = NULL, *mapping = NULL;
  ASSERT_EQ(braid_pipe_cmd_params(res.consumable, RTX_BASE, &params, err, sizeof err), 0);
  ASSERT_EQ(json_array_size(json_object_get(params, "codecs")), 2);
  for (size_t i = 0; i < 3; i++) {
    json_t *e = json_array_get(json_object_get(params, "encodings"), i);
    ASSERT_EQ(json_integer_value(json_object_get(e, "ssrc")), MAPPED_BASE + i);
    ASSERT_EQ(json_integer_value(json_object_get(json_object_get(e, "rtx"), "ssrc")), RTX_BASE + i);
  }
  braid_cmd_t cc = {.type = BRAID_CMD_CONSUMER_CREATE}, pc = {.type = BRAID_CMD_PRODUCER_CREATE};
  braid_cmd_consumer_create_t *c = &cc.u.consumer_create;
  ASSERT_EQ(braid_pipe_cmd_consumer(c, params, "video", "pt1", "pc1", "p1", err, sizeof err), 0);
  ASSERT(c->ssrc == 0 && c->rtx_ssrc == RTX_BASE);
  ASSERT_EQ(c->ncodecs, 1);
  ASSERT(c->codecs[0].pt == router_pt(caps, "video/VP8") &&
         c->codecs[0].rtx_pt == c->codecs[0].pt + 1);
  encodes(&cc);
  ASSERT_EQ(braid_pipe_cmd_producer(&pc.u.producer_create, params, "video", "simulcast", "pt2",
                                    "p1", &mapping, err, sizeof err),
            0);
  const braid_cmd_producer_create_t *p = &pc.u.producer_create;
  ASSERT_EQ(p->ncodecs, 2);
  ASSERT(p->codecs[1].pt == c->codecs[0].rtx_pt && p->codecs[1].mapped_pt == p->codecs[1].pt);
  ASSERT_EQ(p->codecs[1].apt, c->codecs[0].pt);
  for (size_t i = 0; i < 3; i++)
    ASSERT_EQ(p->encodings[i].rtx_ssrc, RTX_BASE + i);
  encodes(&pc);
  json_decref(mapping);
  json_decref(params);
  braid_ortc_produce_cleanup(&res);
  json_decref(caps);
}

BRAID_TEST(pipe_params_without_ssrc) {
  json_t *consumable =
      parse("{\"codecs\":[{\"mimeType\":\"audio/opus\",\"payloadType\":100,"
            "\"clockRate\":48000,\"channels\":2,\"rtcpFeedback\":[]}],"
            "\"headerExtensions\":[],\"encodings\":[{}],\"rtcp\":{\"cname\":\"x\"}}");
  json_t *params = NULL;
  char err[256] = "";
  ASSERT_EQ(braid_pipe_cmd_params(consumable, 0, &params, err, sizeof err), BRAID_EINVAL);
  ASSERT(params == NULL && strstr(err, "no ssrc") != NULL);
  json_decref(consumable);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(pipe_vp8_simulcast) BRAID_TEST_ENTRY(pipe_opus)
                    BRAID_TEST_ENTRY(pipe_vp8_simulcast_rtx)
                        BRAID_TEST_ENTRY(pipe_params_without_ssrc))
