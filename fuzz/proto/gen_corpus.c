/*
 * Writes the seed corpora of the proto/ fuzzers: a few valid messages of
 * every type, made by our own encoders, plus assorted msgpack for the
 * reader. Run from the source tree when the message formats change:
 *
 *   proto_gen_corpus fuzz/proto/corpus
 *
 * and commit the files. Each file is named after what it holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "proto/cmd.h"
#include "proto/event.h"
#include "proto/reply.h"

static const char *root;

static void write_file(const char *dir, const char *name, const void *data, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s/%s", root, dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "gen_corpus: cannot write %s\n", path);
    exit(1);
  }
}

/* Writes the message in b and resets b; aborts if encoding failed. */
static void emit(const char *dir, const char *name, int rc, braid_buf_t *b) {
  if (rc != 0) {
    fprintf(stderr, "gen_corpus: encoding %s failed: %d\n", name, rc);
    exit(1);
  }
  write_file(dir, name, b->data, b->len);
  /* Every message is also a valid msgpack item for the reader. */
  char mpr_name[128];
  snprintf(mpr_name, sizeof mpr_name, "%s-%s", dir, name);
  write_file("mpr", mpr_name, b->data, b->len);
  braid_buf_reset(b);
}

static void gen_cmds(braid_buf_t *b) {
  braid_cmd_t c = {.type = BRAID_CMD_ROUTER_CREATE, .id = 42, .reply_to = BRAID_STR_LIT("ctl1"),
                   .deadline_ms = 1700000000000};
  c.u.router_create.router_id = BRAID_STR_LIT("r1");
  c.u.router_create.room_id = BRAID_STR_LIT("lobby");
  emit("cmd", "router-create", braid_cmd_encode(&c, b), b);
  c = (braid_cmd_t){.type = BRAID_CMD_ROUTER_CLOSE, .id = 70000, .reply_to = BRAID_STR_LIT("c")};
  c.u.router_close.router_id = BRAID_STR_LIT("router-0123456789abcdef");
  emit("cmd", "router-close", braid_cmd_encode(&c, b), b);
  c = (braid_cmd_t){.type = BRAID_CMD_NODE_DUMP, .id = UINT64_MAX, .reply_to = BRAID_STR_LIT("c"),
                    .deadline_ms = -1};
  emit("cmd", "node-dump", braid_cmd_encode(&c, b), b);
}

/* A command of type t with envelope id and "ctl1"; the body is set after. */
static braid_cmd_t cmd_of(braid_cmd_type_t t, uint64_t id) {
  return (braid_cmd_t){.type = t, .id = id, .reply_to = BRAID_STR_LIT("ctl1"),
                       .deadline_ms = 1700000000000};
}

/* PlainTransport: FFmpeg's broadcaster (comedia, no rtcp-mux), a connected
 * SRTP one with SCTP, a PipeTransport, and their connects. */
static void gen_plain_cmds(braid_buf_t *b) {
  braid_cmd_t c = cmd_of(BRAID_CMD_TRANSPORT_CREATE_PLAIN, 13);
  c.u.transport_create_plain = (braid_cmd_transport_create_plain_t){
      .router_id = BRAID_STR_LIT("r1"), .transport_id = BRAID_STR_LIT("tp1"), .comedia = true};
  emit("cmd", "transport-create-plain-comedia", braid_cmd_encode(&c, b), b);
  c.u.transport_create_plain = (braid_cmd_transport_create_plain_t){
      .router_id = BRAID_STR_LIT("r1"), .transport_id = BRAID_STR_LIT("tp2"), .rtcp_mux = true,
      .enable_srtp = true, .enable_sctp = true, .sctp_os = 1024, .sctp_mis = 1024,
      .sctp_max_message_size = 262144};
  emit("cmd", "transport-create-plain-srtp-sctp", braid_cmd_encode(&c, b), b);
  c.u.transport_create_plain =
      (braid_cmd_transport_create_plain_t){.router_id = BRAID_STR_LIT("r1"),
                                           .transport_id = BRAID_STR_LIT("pipe1"),
                                           .rtcp_mux = true,
                                           .enable_srtp = true,
                                           .enable_sctp = true,
                                           .sctp_os = 1024,
                                           .sctp_mis = 1024,
                                           .sctp_max_message_size = 262144,
                                           .pipe = true};
  emit("cmd", "transport-create-pipe-srtp-sctp", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_TRANSPORT_CONNECT_PLAIN, 14);
  c.u.transport_connect_plain = (braid_cmd_transport_connect_plain_t){
      .transport_id = BRAID_STR_LIT("tp2"), .ip = BRAID_STR_LIT("203.0.113.7"), .port = 5004,
      .srtp_suite = BRAID_STR_LIT("AES_CM_128_HMAC_SHA1_80"),
      .srtp_key = BRAID_STR_LIT("ZnQ3eWJraDhXSGZsbWx0bkhSMlljWTRlcFpkMlJN"),
      .srtp_local_key = BRAID_STR_LIT("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0")};
  emit("cmd", "transport-connect-plain-srtp", braid_cmd_encode(&c, b), b);
  c.u.transport_connect_plain = (braid_cmd_transport_connect_plain_t){
      .transport_id = BRAID_STR_LIT("tp3"), .ip = BRAID_STR_LIT("2001:db8::1"), .port = 40000,
      .rtcp_port = 40001};
  emit("cmd", "transport-connect-plain-ipv6", braid_cmd_encode(&c, b), b);
}

static void gen_transport_cmds(braid_buf_t *b) {
  braid_cmd_t c = cmd_of(BRAID_CMD_TRANSPORT_CREATE_WEBRTC, 9);
  c.u.transport_create = (braid_cmd_transport_create_t){
      .router_id = BRAID_STR_LIT("r1"), .transport_id = BRAID_STR_LIT("t1"),
      .ufrag = BRAID_STR_LIT("8fx2k1qz"), .pwd = BRAID_STR_LIT("0123456789abcdefghijkl"),
      .enable_udp = true, .enable_tcp = true, .consent_timeout_s = 20, .enable_sctp = true,
      .sctp_os = 1024, .sctp_mis = 1024, .sctp_max_message_size = 262144};
  emit("cmd", "transport-create", braid_cmd_encode(&c, b), b);
  c.u.transport_create.enable_sctp = false;
  c.u.transport_create.enable_udp = false;
  emit("cmd", "transport-create-tcp", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_TRANSPORT_CONNECT, 10);
  c.u.transport_connect = (braid_cmd_transport_connect_t){
      .transport_id = BRAID_STR_LIT("t1"), .remote_role = BRAID_STR_LIT("client"),
      .fp_algorithm = BRAID_STR_LIT("sha-256"),
      .fp_value = BRAID_STR_LIT("E7:5B:1A:0C:9D:33:8F:21:4C:76:A0:B9:12:5E:F3:07:"
                                "C8:44:69:2D:8A:1F:E0:53:B7:6E:99:04:3C:D2:7A:15")};
  emit("cmd", "transport-connect", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_TRANSPORT_RESTART_ICE, 11);
  c.u.transport_restart_ice = (braid_cmd_transport_restart_ice_t){
      BRAID_STR_LIT("t1"), BRAID_STR_LIT("newufrag"), BRAID_STR_LIT("a-new-password-of-22ch")};
  emit("cmd", "transport-restart-ice", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_TRANSPORT_CLOSE, 12);
  c.u.transport_close.transport_id = BRAID_STR_LIT("t1");
  emit("cmd", "transport-close", braid_cmd_encode(&c, b), b);
  gen_plain_cmds(b);
}

static void gen_producer_cmds(braid_buf_t *b) {
  /* Chromium's VP8 simulcast, as in tests/proto/producer_test.c. */
  braid_cmd_t c = cmd_of(BRAID_CMD_PRODUCER_CREATE, 7);
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
  for (uint32_t i = 0; i < 3; i++)
    p->encodings[i] = (braid_producer_encoding_t){.rid = braid_str_c(rids[i]),
                                                  .mapped_ssrc = 482301923 + i,
                                                  .spatial_layers = 1, .temporal_layers = 3,
                                                  .max_bitrate = 500000u << i};
  emit("cmd", "producer-create-simulcast", braid_cmd_encode(&c, b), b);
  /* VP9 SVC with SSRCs, RTX and the dependency descriptor. */
  p->type = BRAID_STR_LIT("svc");
  p->ext.dd = 12;
  p->codecs[0] = (braid_producer_codec_t){98, 103, BRAID_STR_LIT("video/VP9"), 90000, 0};
  p->codecs[1] = (braid_producer_codec_t){99, 104, BRAID_STR_LIT("video/rtx"), 90000, 98};
  p->nencodings = 1;
  p->encodings[0] = (braid_producer_encoding_t){1111, BRAID_STR_LIT(""), 2222, 333333333, 3, 3,
                                                true, 5000000};
  emit("cmd", "producer-create-svc", braid_cmd_encode(&c, b), b);
  /* Opus. */
  *p = (braid_cmd_producer_create_t){
      .transport_id = BRAID_STR_LIT("t1"), .producer_id = BRAID_STR_LIT("p-audio"),
      .kind = BRAID_STR_LIT("audio"), .type = BRAID_STR_LIT("simple"), .paused = true,
      .mid = BRAID_STR_LIT("0"), .cname = BRAID_STR_LIT("sKzNqPq0S7fYbX1e"),
      .fb = BRAID_FB_NACK | BRAID_FB_TWCC,
      .ext = {.mid = 4, .abs_send_time = 2, .audio_level = 1, .abs_capture_time = 13,
              .playout_delay = 14},
      .ncodecs = 1, .nencodings = 1};
  p->codecs[0] = (braid_producer_codec_t){111, 100, BRAID_STR_LIT("audio/opus"), 48000, 0};
  p->encodings[0] = (braid_producer_encoding_t){.ssrc = 3735928559u, .mapped_ssrc = 123456789,
                                                .spatial_layers = 1, .temporal_layers = 1};
  emit("cmd", "producer-create-audio", braid_cmd_encode(&c, b), b);
  static const struct {
    braid_cmd_type_t type;
    const char *name;
  } refs[] = {{BRAID_CMD_PRODUCER_CLOSE, "producer-close"},
              {BRAID_CMD_PRODUCER_PAUSE, "producer-pause"},
              {BRAID_CMD_PRODUCER_RESUME, "producer-resume"}};
  for (size_t i = 0; i < 3; i++) {
    c = cmd_of(refs[i].type, 20 + i);
    c.u.producer_ref.producer_id = BRAID_STR_LIT("p1");
    emit("cmd", refs[i].name, braid_cmd_encode(&c, b), b);
  }
}

static void gen_consumer_cmds(braid_buf_t *b) {
  braid_cmd_t c = cmd_of(BRAID_CMD_CONSUMER_CREATE, 11);
  braid_cmd_consumer_create_t *q = &c.u.consumer_create;
  *q = (braid_cmd_consumer_create_t){
      .transport_id = BRAID_STR_LIT("t2"), .consumer_id = BRAID_STR_LIT("c1"),
      .producer_id = BRAID_STR_LIT("p1"), .kind = BRAID_STR_LIT("video"),
      .type = BRAID_STR_LIT("simulcast"), .paused = true, .mid = BRAID_STR_LIT("1"),
      .ssrc = 482301923, .rtx_ssrc = 482301924, .cname = BRAID_STR_LIT("T1vAFHxlqWmjYbVx"),
      .fb = BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR | BRAID_FB_TWCC,
      .ext = {.mid = 1, .abs_send_time = 4, .twcc = 5, .video_orientation = 11, .toffset = 12},
      .ncodecs = 1, .preferred_spatial = 2, .preferred_temporal = 2};
  q->codecs[0] = (braid_consumer_codec_t){101, 102, BRAID_STR_LIT("video/VP8"), 90000};
  emit("cmd", "consumer-create", braid_cmd_encode(&c, b), b);
  *q = (braid_cmd_consumer_create_t){
      .transport_id = BRAID_STR_LIT("t2"), .consumer_id = BRAID_STR_LIT("c-audio"),
      .producer_id = BRAID_STR_LIT("p-audio"), .kind = BRAID_STR_LIT("audio"),
      .type = BRAID_STR_LIT("simple"), .mid = BRAID_STR_LIT("0"), .ssrc = 100000007,
      .cname = BRAID_STR_LIT("cname"), .fb = BRAID_FB_NACK,
      .ext = {.mid = 1, .abs_send_time = 4, .audio_level = 10}, .ncodecs = 1,
      .ignore_dtx = true};
  q->codecs[0] = (braid_consumer_codec_t){100, 0, BRAID_STR_LIT("audio/opus"), 48000};
  emit("cmd", "consumer-create-audio", braid_cmd_encode(&c, b), b);
  static const struct {
    braid_cmd_type_t type;
    const char *name;
  } refs[] = {{BRAID_CMD_CONSUMER_CLOSE, "consumer-close"},
              {BRAID_CMD_CONSUMER_PAUSE, "consumer-pause"},
              {BRAID_CMD_CONSUMER_RESUME, "consumer-resume"},
              {BRAID_CMD_CONSUMER_REQUEST_KEY_FRAME, "consumer-request-key-frame"},
              {BRAID_CMD_CONSUMER_STATS, "consumer-stats"}};
  for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
    c = cmd_of(refs[i].type, 30 + i);
    c.u.consumer_ref.consumer_id = BRAID_STR_LIT("c1");
    emit("cmd", refs[i].name, braid_cmd_encode(&c, b), b);
  }
  c = cmd_of(BRAID_CMD_CONSUMER_SET_LAYERS, 40);
  c.u.consumer_layers = (braid_cmd_consumer_layers_t){BRAID_STR_LIT("c1"), 1, BRAID_LAYER_HIGHEST};
  emit("cmd", "consumer-set-layers", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_CONSUMER_SET_PRIORITY, 43);
  c.u.consumer_priority = (braid_cmd_consumer_priority_t){BRAID_STR_LIT("c1"), 200};
  emit("cmd", "consumer-set-priority", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_TRANSPORT_STATS, 41);
  c.u.transport_close.transport_id = BRAID_STR_LIT("t1");
  emit("cmd", "transport-stats", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_PRODUCER_STATS, 42);
  c.u.producer_ref.producer_id = BRAID_STR_LIT("p1");
  emit("cmd", "producer-stats", braid_cmd_encode(&c, b), b);
}

/* DataChannels: mediasoup-demo's reliable "chat" channel, an unordered
 * one with each partial reliability limit, their consumers, and every
 * reference type. */
static void gen_data_cmds(braid_buf_t *b) {
  braid_cmd_t c = cmd_of(BRAID_CMD_DATA_PRODUCER_CREATE, 50);
  c.u.data_producer_create = (braid_cmd_data_producer_create_t){
      .transport_id = BRAID_STR_LIT("t1"), .data_producer_id = BRAID_STR_LIT("dp1"),
      .stream = 0, .ordered = true, .label = BRAID_STR_LIT("chat"),
      .protocol = BRAID_STR_LIT("")};
  emit("cmd", "data-producer-create", braid_cmd_encode(&c, b), b);
  c.u.data_producer_create = (braid_cmd_data_producer_create_t){
      .transport_id = BRAID_STR_LIT("t1"), .data_producer_id = BRAID_STR_LIT("dp2"),
      .stream = 1023, .has_max_retransmits = true, .max_retransmits = 0,
      .label = BRAID_STR_LIT("bot"), .protocol = BRAID_STR_LIT("json"), .paused = true};
  emit("cmd", "data-producer-create-max-rtx", braid_cmd_encode(&c, b), b);
  c.u.data_producer_create = (braid_cmd_data_producer_create_t){
      .transport_id = BRAID_STR_LIT("t1"), .data_producer_id = BRAID_STR_LIT("dp3"),
      .stream = 65534, .has_max_packet_life_time = true, .max_packet_life_time = 65535};
  emit("cmd", "data-producer-create-max-life", braid_cmd_encode(&c, b), b);
  c = cmd_of(BRAID_CMD_DATA_CONSUMER_CREATE, 51);
  c.u.data_consumer_create = (braid_cmd_data_consumer_create_t){
      .transport_id = BRAID_STR_LIT("t2"), .data_consumer_id = BRAID_STR_LIT("dc1"),
      .data_producer_id = BRAID_STR_LIT("dp1"), .ordered = true};
  emit("cmd", "data-consumer-create", braid_cmd_encode(&c, b), b);
  c.u.data_consumer_create = (braid_cmd_data_consumer_create_t){
      .transport_id = BRAID_STR_LIT("t2"), .data_consumer_id = BRAID_STR_LIT("dc2"),
      .data_producer_id = BRAID_STR_LIT("dp3"), .has_max_packet_life_time = true,
      .max_packet_life_time = 3000, .paused = true};
  emit("cmd", "data-consumer-create-max-life", braid_cmd_encode(&c, b), b);
  static const struct {
    braid_cmd_type_t type;
    const char *name;
  } refs[] = {{BRAID_CMD_DATA_PRODUCER_CLOSE, "data-producer-close"},
              {BRAID_CMD_DATA_PRODUCER_PAUSE, "data-producer-pause"},
              {BRAID_CMD_DATA_PRODUCER_RESUME, "data-producer-resume"},
              {BRAID_CMD_DATA_PRODUCER_STATS, "data-producer-stats"},
              {BRAID_CMD_DATA_CONSUMER_CLOSE, "data-consumer-close"},
              {BRAID_CMD_DATA_CONSUMER_PAUSE, "data-consumer-pause"},
              {BRAID_CMD_DATA_CONSUMER_RESUME, "data-consumer-resume"},
              {BRAID_CMD_DATA_CONSUMER_STATS, "data-consumer-stats"}};
  for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
    c = cmd_of(refs[i].type, 52 + i);
    if (i < 4) c.u.data_producer_ref.data_producer_id = BRAID_STR_LIT("dp1");
    else c.u.data_consumer_ref.data_consumer_id = BRAID_STR_LIT("dc1");
    emit("cmd", refs[i].name, braid_cmd_encode(&c, b), b);
  }
}

static void gen_replies(braid_buf_t *b) {
  braid_str_t ids[] = {BRAID_STR_LIT("r1"), BRAID_STR_LIT("r2"), BRAID_STR_LIT("")};
  emit("reply", "ok", braid_reply_encode_ok(1, b), b);
  emit("reply", "router", braid_reply_encode_router(256, BRAID_STR_LIT("r1"), b), b);
  emit("reply", "transport", braid_reply_encode_transport(9, 50000, b), b);
  emit("reply", "plain", braid_reply_encode_plain(12, 40000, 40001, b), b);
  emit("reply", "plain-mux", braid_reply_encode_plain(13, 40002, 0, b), b);
  emit("reply", "consumer", braid_reply_encode_consumer(10, true, b), b);
  emit("reply", "data-consumer", braid_reply_encode_data_consumer(51, 1023, b), b);
  emit("reply", "data-consumer-0", braid_reply_encode_data_consumer(52, 0, b), b);
  emit("reply", "stats", braid_reply_encode_stats(11, BRAID_STR_LIT("[{\"type\":\"inbound-rtp\"}]"), b), b);
  emit("reply", "dump", braid_reply_encode_dump(3, ids, 3, b), b);
  emit("reply", "dump-empty", braid_reply_encode_dump(4, NULL, 0, b), b);
  emit("reply", "error", braid_reply_encode_error(7, -500, "oom", b), b);
}

static void gen_events(braid_buf_t *b) {
  braid_event_t ev = {.type = BRAID_EV_PEER_JOINED,
                      .room_id = BRAID_STR_LIT("room-1"),
                      .peer_id = BRAID_STR_LIT("alice"),
                      .controller_id = BRAID_STR_LIT("ctl-a"),
                      .display_name = BRAID_STR_LIT("Alice"),
                      .device_json = BRAID_STR_LIT("{\"flag\":\"chrome\",\"version\":\"120\"}"),
                      .remote_address = BRAID_STR_LIT("203.0.113.9")};
  emit("event", "peer-joined", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_PEER_LEFT, .room_id = BRAID_STR_LIT("A"),
                       .peer_id = BRAID_STR_LIT("p"), .controller_id = BRAID_STR_LIT("c"),
                       .conn = 7};
  emit("event", "peer-left", braid_event_encode(&ev, b), b);
  ev.type = BRAID_EV_PEER_EVICT;
  ev.conn = 1ull << 40;
  emit("event", "peer-evict", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_ROUTER_CLOSED, .room_id = BRAID_STR_LIT("A"),
                       .node_id = BRAID_STR_LIT("n1"), .router_id = BRAID_STR_LIT("r1")};
  emit("event", "router-closed", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_ROOM_CLOSED, .room_id = BRAID_STR_LIT("A")};
  emit("event", "room-closed", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_TRANSPORT_STATE, .room_id = BRAID_STR_LIT("A"),
                       .transport_id = BRAID_STR_LIT("t1"),
                       .ice_state = BRAID_STR_LIT("completed"),
                       .dtls_state = BRAID_STR_LIT("connected")};
  emit("event", "transport-state", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("A"),
                       .producer_id = BRAID_STR_LIT("p1"),
                       .reason = BRAID_STR_LIT("transport closed")};
  emit("event", "producer-closed", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("A"),
                       .consumer_id = BRAID_STR_LIT("c1"),
                       .reason = BRAID_STR_LIT("producer closed")};
  emit("event", "consumer-closed", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_CONSUMER_LAYERS, .room_id = BRAID_STR_LIT("A"),
                       .consumer_id = BRAID_STR_LIT("c1"), .spatial_layer = 2,
                       .temporal_layer = 1};
  emit("event", "consumer-layers", braid_event_encode(&ev, b), b);
  ev.spatial_layer = ev.temporal_layer = -1;
  emit("event", "consumer-layers-none", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_PRODUCER_SCORE, .room_id = BRAID_STR_LIT("A"),
                       .producer_id = BRAID_STR_LIT("p1"), .nscores = 3};
  ev.scores[0] = (braid_event_score_t){482301923, BRAID_STR_LIT("r0"), 10, 0};
  ev.scores[1] = (braid_event_score_t){482301924, BRAID_STR_LIT("r1"), 7, 1};
  ev.scores[2] = (braid_event_score_t){482301925, BRAID_STR_LIT("r2"), 0, 2};
  emit("event", "producer-score", braid_event_encode(&ev, b), b);
  ev.type = BRAID_EV_CONSUMER_SCORE;
  ev.producer_id = (braid_str_t){NULL, 0};
  ev.consumer_id = BRAID_STR_LIT("c1");
  ev.score = 9;
  ev.producer_score = 7;
  emit("event", "consumer-score", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_PRODUCER_NEW, .room_id = BRAID_STR_LIT("A"),
                       .producer_id = BRAID_STR_LIT("5f0c8a9e-3d1b-4c2a-9e7f-0a1b2c3d4e5f"),
                       .peer_id = BRAID_STR_LIT("alice")};
  emit("event", "producer-new", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_PRODUCER_PAUSED, .room_id = BRAID_STR_LIT("A"),
                       .producer_id = BRAID_STR_LIT("p1")};
  emit("event", "producer-paused", braid_event_encode(&ev, b), b);
  ev.type = BRAID_EV_PRODUCER_RESUMED;
  emit("event", "producer-resumed", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_DATA_PRODUCER_NEW, .room_id = BRAID_STR_LIT("A"),
                       .data_producer_id = BRAID_STR_LIT("dp1"),
                       .peer_id = BRAID_STR_LIT("alice")};
  emit("event", "data-producer-new", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_DATA_PRODUCER_CLOSED, .room_id = BRAID_STR_LIT("A"),
                       .data_producer_id = BRAID_STR_LIT("dp1"),
                       .reason = BRAID_STR_LIT("transport closed")};
  emit("event", "data-producer-closed", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_DATA_CONSUMER_CLOSED, .room_id = BRAID_STR_LIT("A"),
                       .data_consumer_id = BRAID_STR_LIT("dc1"),
                       .reason = BRAID_STR_LIT("sctp failed")};
  emit("event", "data-consumer-closed", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_ROUTER_VOLUMES, .room_id = BRAID_STR_LIT("A"),
                       .router_id = BRAID_STR_LIT("r1"), .producer_id = BRAID_STR_LIT("p2"),
                       .nvolumes = 3};
  ev.volumes[0] = (braid_event_volume_t){BRAID_STR_LIT("p1"), -12};
  ev.volumes[1] = (braid_event_volume_t){BRAID_STR_LIT("p2"), -45};
  ev.volumes[2] = (braid_event_volume_t){BRAID_STR_LIT("p3"), -80};
  emit("event", "router-volumes", braid_event_encode(&ev, b), b);
  ev.nvolumes = 0; /* silence */
  emit("event", "router-volumes-silence", braid_event_encode(&ev, b), b);
  ev = (braid_event_t){.type = BRAID_EV_ROUTER_DOMINANT_SPEAKER, .room_id = BRAID_STR_LIT("A"),
                       .router_id = BRAID_STR_LIT("r1"), .producer_id = BRAID_STR_LIT("p1")};
  emit("event", "router-dominant-speaker", braid_event_encode(&ev, b), b);
}

/* msgpack the messages never contain: every other format, for the reader. */
static void gen_mpr(void) {
  static const uint8_t kinds[] = {
      0x9f,                                     /* array of 15: */
      0x00, 0xe0, 0xc0, 0xc2, 0xc3,             /* fixints, nil, bools */
      0xcf, 0, 0, 0, 0, 0, 0, 0, 1,             /* uint 64 */
      0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0,          /* int 64 min */
      0xca, 0x3f, 0x80, 0, 0,                   /* float 32 */
      0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0,       /* float 64 */
      0xc4, 1, 9,                               /* bin 8 */
      0xd4, 1, 9,                               /* fixext 1 */
      0xc7, 2, 1, 9, 9,                         /* ext 8 */
      0xdc, 0, 1, 0xd9, 1, 'a',                 /* array 16 of str 8 */
      0xde, 0, 1, 0xa0, 0xdf, 0, 0, 0, 0,       /* map 16 {"": map 32 {}} */
      0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 0,       /* timestamp 64 */
  };
  write_file("mpr", "kinds", kinds, sizeof kinds);
  uint8_t deep[BRAID_PROTO_MAX_DEPTH];
  memset(deep, 0x91, sizeof deep);
  deep[sizeof deep - 1] = 0x90;
  write_file("mpr", "deepest", deep, sizeof deep);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <corpus root>\n", argv[0]);
    return 2;
  }
  root = argv[1];
  braid_buf_t b;
  braid_buf_init(&b, BRAID_PROTO_MAX_MSG);
  gen_cmds(&b);
  gen_transport_cmds(&b);
  gen_producer_cmds(&b);
  gen_consumer_cmds(&b);
  gen_data_cmds(&b);
  gen_replies(&b);
  gen_events(&b);
  gen_mpr();
  braid_buf_cleanup(&b);
  return 0;
}
