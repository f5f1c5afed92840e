/*
 * Fuzzer for braid_cmd_decode(): decode; on success check every view,
 * re-encode, decode again, compare every field, and check that encoding is
 * canonical (encode(decode(encode(x))) == encode(x)) and that the encoder
 * fails cleanly without memory.
 */
#include "proto/cmd.h"

#include "common/limits.h"
#include "fuzz/proto/fuzz_proto.h"

static void check_same(const braid_cmd_t *a, const braid_cmd_t *b) {
  BRAID_ASSERT(a->type == b->type && a->id == b->id && a->deadline_ms == b->deadline_ms);
  BRAID_ASSERT(fuzz_str_same(a->reply_to, b->reply_to));
  switch (a->type) {
  case BRAID_CMD_ROUTER_CREATE:
    BRAID_ASSERT(fuzz_str_same(a->u.router_create.router_id, b->u.router_create.router_id));
    BRAID_ASSERT(fuzz_str_same(a->u.router_create.room_id, b->u.router_create.room_id));
    break;
  case BRAID_CMD_ROUTER_CLOSE:
    BRAID_ASSERT(fuzz_str_same(a->u.router_close.router_id, b->u.router_close.router_id));
    break;
  case BRAID_CMD_NODE_DUMP: break;
  }
}

static int encode(const void *cmd, braid_buf_t *out) { return braid_cmd_encode(cmd, out); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_cmd_t cmd;
  const char *why = NULL;
  int rc = braid_cmd_decode(&cmd, data, size, &why);
  if (rc != 0) {
    fuzz_check_failure(rc, why);
    return 0;
  }
  BRAID_ASSERT(braid_cmd_type_name(cmd.type) != NULL);
  fuzz_view_in(cmd.reply_to, data, size);
  BRAID_ASSERT(cmd.reply_to.len <= BRAID_ID_MAX);
  if (cmd.type == BRAID_CMD_ROUTER_CREATE) {
    fuzz_view_in(cmd.u.router_create.router_id, data, size);
    fuzz_view_in(cmd.u.router_create.room_id, data, size);
    BRAID_ASSERT(cmd.u.router_create.router_id.len <= BRAID_ID_MAX);
    BRAID_ASSERT(cmd.u.router_create.room_id.len <= BRAID_ROOM_ID_MAX);
  } else if (cmd.type == BRAID_CMD_ROUTER_CLOSE) {
    fuzz_view_in(cmd.u.router_close.router_id, data, size);
    BRAID_ASSERT(cmd.u.router_close.router_id.len <= BRAID_ID_MAX);
  }

  braid_buf_t a, b;
  braid_cmd_t again;
  braid_buf_init(&a, BRAID_PROTO_MAX_MSG);
  braid_buf_init(&b, BRAID_PROTO_MAX_MSG);
  BRAID_ASSERT(braid_cmd_encode(&cmd, &a) == 0);
  BRAID_ASSERT(braid_cmd_decode(&again, a.data, a.len, &why) == 0);
  check_same(&cmd, &again);
  BRAID_ASSERT(braid_cmd_encode(&again, &b) == 0);
  BRAID_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
  braid_buf_cleanup(&a);
  braid_buf_cleanup(&b);
  fuzz_check_enomem(encode, &cmd);
  return 0;
}
