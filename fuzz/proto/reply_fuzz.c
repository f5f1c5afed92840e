/*
 * Fuzzer for braid_reply_decode() and the result readers: decode; on
 * success read the result every way (router, dump, transport, plain,
 * consumer, data consumer, stats), re-encode with the matching encoder,
 * decode again and compare, check that encoding is canonical and that the
 * encoder fails cleanly without memory.
 */
#include "proto/reply.h"

#include "common/limits.h"
#include "fuzz/proto/fuzz_proto.h"

enum { MAX_IDS = 64 };

/* A decoded reply and what its result held. */
typedef struct decoded {
  braid_reply_t r;
  bool has_router, has_dump, has_port, has_plain, has_consumer, has_data_consumer, has_stats;
  braid_str_t router;
  uint16_t port;
  uint16_t plain_port, plain_rtcp_port;
  bool producer_paused;
  uint16_t stream;
  braid_str_t stats;
  braid_str_t ids[MAX_IDS];
  size_t n;
  char reason[BRAID_REASON_MAX + 1]; /* NUL-terminated copy of r.reason */
} decoded_t;

static int decode(decoded_t *d, const uint8_t *data, size_t size) {
  const char *why = NULL;
  int rc = braid_reply_decode(&d->r, data, size, &why);
  if (rc != 0) {
    fuzz_check_failure(rc, why);
    return rc;
  }
  const braid_reply_t *r = &d->r;
  fuzz_view_in(r->reason, data, size);
  BRAID_ASSERT(r->reason.len <= BRAID_REASON_MAX);
  if (r->ok) BRAID_ASSERT(r->error_code == 0 && r->reason.len == 0);
  if (r->reason.len > 0) memcpy(d->reason, r->reason.p, r->reason.len);
  d->reason[r->reason.len] = '\0';
  d->has_router = d->has_dump = d->has_port = d->has_plain = d->has_consumer = false;
  d->has_data_consumer = d->has_stats = false;
  if (r->result == NULL) return 0;
  BRAID_ASSERT(r->result >= data && r->result_len <= size - (size_t)(r->result - data));

  why = NULL;
  rc = braid_reply_result_router(r, &d->router, &why);
  if (rc == 0) {
    d->has_router = true;
    fuzz_view_in(d->router, data, size);
    BRAID_ASSERT(d->router.len <= BRAID_ID_MAX);
  } else {
    fuzz_check_failure(rc, why);
  }
  why = NULL;
  rc = braid_reply_result_dump(r, d->ids, MAX_IDS, &d->n, &why);
  if (rc == 0) {
    d->has_dump = true;
    BRAID_ASSERT(d->n <= MAX_IDS);
    for (size_t i = 0; i < d->n; i++) {
      fuzz_view_in(d->ids[i], data, size);
      BRAID_ASSERT(d->ids[i].len <= BRAID_ID_MAX);
    }
  } else {
    fuzz_check_failure(rc, why);
  }
  why = NULL;
  rc = braid_reply_result_transport(r, &d->port, &why);
  if (rc == 0) {
    d->has_port = true;
    BRAID_ASSERT(d->port > 0);
  } else {
    fuzz_check_failure(rc, why);
  }
  why = NULL;
  rc = braid_reply_result_plain(r, &d->plain_port, &d->plain_rtcp_port, &why);
  if (rc == 0) {
    d->has_plain = true;
    BRAID_ASSERT(d->plain_port > 0);
  } else {
    fuzz_check_failure(rc, why);
  }
  why = NULL;
  rc = braid_reply_result_consumer(r, &d->producer_paused, &why);
  if (rc == 0) d->has_consumer = true;
  else fuzz_check_failure(rc, why);
  why = NULL;
  rc = braid_reply_result_data_consumer(r, &d->stream, &why);
  if (rc == 0) {
    d->has_data_consumer = true;
    BRAID_ASSERT(d->stream <= BRAID_SCTP_STREAM_ID_MAX);
  } else {
    fuzz_check_failure(rc, why);
  }
  why = NULL;
  rc = braid_reply_result_stats(r, &d->stats, &why);
  if (rc == 0) {
    d->has_stats = true;
    fuzz_view_in(d->stats, data, size);
    BRAID_ASSERT(d->stats.len <= BRAID_STATS_JSON_MAX);
  } else {
    fuzz_check_failure(rc, why);
  }
  return 0;
}

/* Encodes d again with the encoder that produces what it holds. */
static int reencode(const decoded_t *d, braid_buf_t *out) {
  if (!d->r.ok) return braid_reply_encode_error(d->r.id, d->r.error_code, d->reason, out);
  if (d->has_router) return braid_reply_encode_router(d->r.id, d->router, out);
  if (d->has_dump) return braid_reply_encode_dump(d->r.id, d->ids, d->n, out);
  /* A plain result has a "port" too: it goes first. */
  if (d->has_plain)
    return braid_reply_encode_plain(d->r.id, d->plain_port, d->plain_rtcp_port, out);
  if (d->has_port) return braid_reply_encode_transport(d->r.id, d->port, out);
  if (d->has_consumer) return braid_reply_encode_consumer(d->r.id, d->producer_paused, out);
  if (d->has_data_consumer) return braid_reply_encode_data_consumer(d->r.id, d->stream, out);
  if (d->has_stats) return braid_reply_encode_stats(d->r.id, d->stats, out);
  return braid_reply_encode_ok(d->r.id, out);
}

static int reencode_cb(const void *d, braid_buf_t *out) { return reencode(d, out); }

/* b was decoded from reencode(a). */
static void check_same(const decoded_t *a, const decoded_t *b) {
  BRAID_ASSERT(a->r.id == b->r.id && a->r.ok == b->r.ok);
  if (!a->r.ok) {
    /* The encoder takes a C string: the reason up to its first NUL. */
    BRAID_ASSERT(a->r.error_code == b->r.error_code);
    BRAID_ASSERT(strcmp(a->reason, b->reason) == 0 && b->r.reason.len == strlen(a->reason));
    BRAID_ASSERT(b->r.result == NULL);
  } else if (a->has_router) {
    BRAID_ASSERT(b->has_router && fuzz_str_same(a->router, b->router));
  } else if (a->has_dump) {
    BRAID_ASSERT(b->has_dump && a->n == b->n);
    for (size_t i = 0; i < a->n; i++) BRAID_ASSERT(fuzz_str_same(a->ids[i], b->ids[i]));
  } else if (a->has_plain) {
    BRAID_ASSERT(b->has_plain && a->plain_port == b->plain_port);
    BRAID_ASSERT(a->plain_rtcp_port == b->plain_rtcp_port);
  } else if (a->has_port) {
    BRAID_ASSERT(b->has_port && a->port == b->port);
  } else if (a->has_consumer) {
    BRAID_ASSERT(b->has_consumer && a->producer_paused == b->producer_paused);
  } else if (a->has_data_consumer) {
    BRAID_ASSERT(b->has_data_consumer && a->stream == b->stream);
  } else if (a->has_stats) {
    BRAID_ASSERT(b->has_stats && fuzz_str_same(a->stats, b->stats));
  } else {
    BRAID_ASSERT(b->r.result == NULL);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static decoded_t first, second;
  if (decode(&first, data, size) != 0) return 0;

  braid_buf_t a, b;
  braid_buf_init(&a, BRAID_PROTO_MAX_MSG);
  braid_buf_init(&b, BRAID_PROTO_MAX_MSG);
  BRAID_ASSERT(reencode(&first, &a) == 0);
  BRAID_ASSERT(decode(&second, a.data, a.len) == 0);
  check_same(&first, &second);
  BRAID_ASSERT(reencode(&second, &b) == 0);
  BRAID_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
  braid_buf_cleanup(&a);
  braid_buf_cleanup(&b);
  fuzz_check_enomem(reencode_cb, &first);
  return 0;
}
