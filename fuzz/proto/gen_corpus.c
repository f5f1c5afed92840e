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

static void gen_replies(braid_buf_t *b) {
  braid_str_t ids[] = {BRAID_STR_LIT("r1"), BRAID_STR_LIT("r2"), BRAID_STR_LIT("")};
  emit("reply", "ok", braid_reply_encode_ok(1, b), b);
  emit("reply", "router", braid_reply_encode_router(256, BRAID_STR_LIT("r1"), b), b);
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
  gen_replies(&b);
  gen_events(&b);
  gen_mpr();
  braid_buf_cleanup(&b);
  return 0;
}
