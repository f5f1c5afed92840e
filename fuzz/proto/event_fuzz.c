/*
 * Fuzzer for braid_event_decode(): decode; on success check every view and
 * limit, re-encode, decode again, compare every field, check that encoding
 * is canonical and that the encoder fails cleanly without memory.
 */
#include "proto/event.h"

#include "common/limits.h"
#include "fuzz/proto/fuzz_proto.h"

/* The string fields of ev, with their limits. */
static size_t views(const braid_event_t *ev, braid_str_t *v, size_t *max) {
  const braid_str_t s[] = {ev->room_id,      ev->peer_id,     ev->controller_id,
                           ev->display_name, ev->device_json, ev->remote_address,
                           ev->node_id,      ev->router_id};
  const size_t m[] = {BRAID_ROOM_ID_MAX,      BRAID_PEER_ID_MAX,    BRAID_ID_MAX,
                      BRAID_EVENT_NAME_MAX,   BRAID_EVENT_DEVICE_MAX, BRAID_EVENT_ADDR_MAX,
                      BRAID_ID_MAX,           BRAID_ID_MAX};
  memcpy(v, s, sizeof s);
  memcpy(max, m, sizeof m);
  return sizeof s / sizeof s[0];
}

static void check_same(const braid_event_t *a, const braid_event_t *b) {
  braid_str_t va[8], vb[8];
  size_t max[8];
  size_t n = views(a, va, max);
  (void)views(b, vb, max);
  BRAID_ASSERT(a->type == b->type && a->conn == b->conn);
  for (size_t i = 0; i < n; i++) BRAID_ASSERT(fuzz_str_same(va[i], vb[i]));
}

static int encode(const void *ev, braid_buf_t *out) { return braid_event_encode(ev, out); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_event_t ev;
  const char *why = NULL;
  int rc = braid_event_decode(&ev, data, size, &why);
  if (rc != 0) {
    fuzz_check_failure(rc, why);
    return 0;
  }
  BRAID_ASSERT(braid_event_type_name(ev.type) != NULL);
  braid_str_t v[8];
  size_t max[8];
  size_t n = views(&ev, v, max);
  for (size_t i = 0; i < n; i++) {
    fuzz_view_in(v[i], data, size);
    BRAID_ASSERT(v[i].len <= max[i]);
  }

  braid_buf_t a, b;
  braid_event_t again;
  braid_buf_init(&a, BRAID_PROTO_MAX_MSG);
  braid_buf_init(&b, BRAID_PROTO_MAX_MSG);
  BRAID_ASSERT(braid_event_encode(&ev, &a) == 0);
  BRAID_ASSERT(braid_event_decode(&again, a.data, a.len, &why) == 0);
  check_same(&ev, &again);
  BRAID_ASSERT(braid_event_encode(&again, &b) == 0);
  BRAID_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
  braid_buf_cleanup(&a);
  braid_buf_cleanup(&b);
  fuzz_check_enomem(encode, &ev);
  return 0;
}
