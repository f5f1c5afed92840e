/*
 * Fuzzer for braid_event_decode(): decode; on success check every view and
 * limit, re-encode, decode again, compare every field (the scores and
 * volumes arrays included), check that encoding is canonical and that the
 * encoder fails cleanly without memory.
 */
#include "proto/event.h"

#include "common/limits.h"
#include "fuzz/proto/fuzz_proto.h"

/* The string fields of ev (nested ones excepted), with their limits. */
enum { NVIEWS = 16 };

static size_t views(const braid_event_t *ev, braid_str_t *v, size_t *max) {
  const braid_str_t s[NVIEWS] = {ev->room_id,      ev->peer_id,      ev->controller_id,
                                 ev->display_name, ev->device_json,  ev->remote_address,
                                 ev->node_id,      ev->router_id,    ev->transport_id,
                                 ev->ice_state,    ev->dtls_state,   ev->producer_id,
                                 ev->consumer_id,  ev->reason,       ev->data_producer_id,
                                 ev->data_consumer_id};
  const size_t m[NVIEWS] = {BRAID_ROOM_ID_MAX,    BRAID_PEER_ID_MAX,      BRAID_ID_MAX,
                            BRAID_EVENT_NAME_MAX, BRAID_EVENT_DEVICE_MAX, BRAID_EVENT_ADDR_MAX,
                            BRAID_ID_MAX,         BRAID_ID_MAX,           BRAID_ID_MAX,
                            16,                   16,                     BRAID_ID_MAX,
                            BRAID_ID_MAX,         BRAID_REASON_MAX,       BRAID_ID_MAX,
                            BRAID_ID_MAX};
  memcpy(v, s, sizeof s);
  memcpy(max, m, sizeof m);
  return NVIEWS;
}

static void check_same(const braid_event_t *a, const braid_event_t *b) {
  braid_str_t va[NVIEWS], vb[NVIEWS];
  size_t max[NVIEWS];
  size_t n = views(a, va, max);
  (void)views(b, vb, max);
  BRAID_ASSERT(a->type == b->type && a->conn == b->conn);
  for (size_t i = 0; i < n; i++) BRAID_ASSERT(fuzz_str_same(va[i], vb[i]));
  BRAID_ASSERT(a->spatial_layer == b->spatial_layer && a->temporal_layer == b->temporal_layer);
  BRAID_ASSERT(a->score == b->score && a->producer_score == b->producer_score);
  BRAID_ASSERT(a->nscores == b->nscores);
  for (size_t i = 0; i < a->nscores; i++) {
    const braid_event_score_t *x = &a->scores[i], *y = &b->scores[i];
    BRAID_ASSERT(x->ssrc == y->ssrc && fuzz_str_same(x->rid, y->rid));
    BRAID_ASSERT(x->score == y->score && x->encoding_idx == y->encoding_idx);
  }
  BRAID_ASSERT(a->nvolumes == b->nvolumes);
  for (size_t i = 0; i < a->nvolumes; i++) {
    BRAID_ASSERT(fuzz_str_same(a->volumes[i].producer_id, b->volumes[i].producer_id));
    BRAID_ASSERT(a->volumes[i].volume == b->volumes[i].volume);
  }
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
  braid_str_t v[NVIEWS];
  size_t max[NVIEWS];
  size_t n = views(&ev, v, max);
  for (size_t i = 0; i < n; i++) {
    fuzz_view_in(v[i], data, size);
    BRAID_ASSERT(v[i].len <= max[i]);
  }
  BRAID_ASSERT(ev.spatial_layer >= -1 && ev.spatial_layer <= 255);
  BRAID_ASSERT(ev.temporal_layer >= -1 && ev.temporal_layer <= 255);
  BRAID_ASSERT(ev.score <= 10 && ev.producer_score <= 10);
  BRAID_ASSERT(ev.nscores <= BRAID_MAX_ENCODINGS);
  for (size_t i = 0; i < ev.nscores; i++) {
    fuzz_view_in(ev.scores[i].rid, data, size);
    BRAID_ASSERT(ev.scores[i].rid.len <= BRAID_MID_MAX && ev.scores[i].score <= 10);
    BRAID_ASSERT(ev.scores[i].encoding_idx < BRAID_MAX_ENCODINGS);
  }
  BRAID_ASSERT(ev.nvolumes <= BRAID_EVENT_MAX_VOLUMES);
  for (size_t i = 0; i < ev.nvolumes; i++) {
    fuzz_view_in(ev.volumes[i].producer_id, data, size);
    BRAID_ASSERT(ev.volumes[i].producer_id.len <= BRAID_ID_MAX);
    BRAID_ASSERT(ev.volumes[i].volume >= -127 && ev.volumes[i].volume <= 0);
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
