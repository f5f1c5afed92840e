/*
 * Replies (reply.h): encoders and the decoder. Example, an error reply as
 * encoded:
 *
 *   86                       map, 6 pairs
 *   a1 76 01                 "v": 1
 *   a1 74 a5 72 65 70 6c 79  "t": "reply"
 *   a2 69 64 07              "id": 7
 *   a2 6f 6b c2              "ok": false
 *   a2 65 63 d1 fe 0c        "ec": -500 (int16)
 *   a2 65 72 a3 6f 6f 6d     "er": "oom"
 *
 * The result "r" is kept as raw msgpack; reply_result.c reads it.
 */
#include "proto/reply.h"

#include "common/err.h"
#include "common/limits.h"
#include "proto/codec.h"

/* The wire form of a reply, decoded before it is copied to braid_reply_t. */
typedef struct wire {
  uint64_t id;
  bool ok;
  int32_t ec;
  braid_str_t er;
  braid__proto_raw_t r;
} wire_t;

enum { F_ID, F_OK, F_EC, F_ER, F_R, F_COUNT };

static const braid__proto_field_t fields[F_COUNT] = {
    [F_ID] = BRAID__PROTO_FIELD("id", U64, 0, wire_t, id),
    [F_OK] = BRAID__PROTO_FIELD("ok", BOOL, 0, wire_t, ok),
    [F_EC] = BRAID__PROTO_FIELD("ec", I32, 0, wire_t, ec),
    [F_ER] = BRAID__PROTO_FIELD("er", STR, BRAID_REASON_MAX, wire_t, er),
    [F_R] = BRAID__PROTO_FIELD("r", MAP, 0, wire_t, r),
};

#define F(name) BRAID__PROTO_BIT(F_##name)

/* "ec" and "er" are required only when ok is false, which the table cannot
 * say; braid_reply_decode() checks them itself. */
static const braid__proto_schema_t schemas[] = {
    {0, "reply", F(ID) | F(OK) | F(EC) | F(ER) | F(R), F(ID) | F(OK), NULL},
};

static const braid__proto_family_t family = {fields, F_COUNT, schemas, 1, 0};

/* Starts a success reply with extra_keys keys after "id" and "ok". */
static void begin_ok(braid__proto_enc_t *e, uint64_t id, size_t extra_keys, braid_buf_t *out) {
  wire_t w = {.id = id, .ok = true};
  braid__proto_enc_begin(e, out);
  braid__proto_enc_head(e, "reply", 2 + extra_keys);
  braid__proto_enc_fields(e, fields, F_COUNT, F(ID) | F(OK), &w);
}

static bool id_ok(braid_str_t s) { return s.len <= BRAID_ID_MAX && (s.p != NULL || s.len == 0); }

int braid_reply_encode_ok(uint64_t id, braid_buf_t *out) {
  braid__proto_enc_t e;
  begin_ok(&e, id, 0, out);
  return braid__proto_enc_end(&e);
}

int braid_reply_encode_router(uint64_t id, braid_str_t router_id, braid_buf_t *out) {
  if (!id_ok(router_id)) return BRAID_EINVAL;
  braid__proto_enc_t e;
  begin_ok(&e, id, 1, out);
  braid__proto_enc_key(&e, "r");
  (void)msgpack_pack_map(&e.pk, 1);
  braid__proto_enc_key(&e, "router");
  braid__proto_enc_str(&e, router_id);
  return braid__proto_enc_end(&e);
}

int braid_reply_encode_transport(uint64_t id, uint16_t port, braid_buf_t *out) {
  if (port == 0) return BRAID_EINVAL;
  braid__proto_enc_t e;
  begin_ok(&e, id, 1, out);
  braid__proto_enc_key(&e, "r");
  (void)msgpack_pack_map(&e.pk, 1);
  braid__proto_enc_key(&e, "port");
  (void)msgpack_pack_uint16(&e.pk, port);
  return braid__proto_enc_end(&e);
}

int braid_reply_encode_plain(uint64_t id, uint16_t port, uint16_t rtcp_port, braid_buf_t *out) {
  if (port == 0) return BRAID_EINVAL;
  braid__proto_enc_t e;
  begin_ok(&e, id, 1, out);
  braid__proto_enc_key(&e, "r");
  (void)msgpack_pack_map(&e.pk, 2);
  braid__proto_enc_key(&e, "port");
  (void)msgpack_pack_uint16(&e.pk, port);
  braid__proto_enc_key(&e, "rtcp_port");
  (void)msgpack_pack_uint16(&e.pk, rtcp_port);
  return braid__proto_enc_end(&e);
}

int braid_reply_encode_consumer(uint64_t id, bool producer_paused, braid_buf_t *out) {
  braid__proto_enc_t e;
  begin_ok(&e, id, 1, out);
  braid__proto_enc_key(&e, "r");
  (void)msgpack_pack_map(&e.pk, 1);
  braid__proto_enc_key(&e, "producer_paused");
  if (producer_paused) (void)msgpack_pack_true(&e.pk);
  else (void)msgpack_pack_false(&e.pk);
  return braid__proto_enc_end(&e);
}

int braid_reply_encode_data_consumer(uint64_t id, uint16_t stream, braid_buf_t *out) {
  if (stream > BRAID_SCTP_STREAM_ID_MAX) return BRAID_EINVAL;
  braid__proto_enc_t e;
  begin_ok(&e, id, 1, out);
  braid__proto_enc_key(&e, "r");
  (void)msgpack_pack_map(&e.pk, 1);
  braid__proto_enc_key(&e, "stream");
  (void)msgpack_pack_uint16(&e.pk, stream);
  return braid__proto_enc_end(&e);
}

int braid_reply_encode_stats(uint64_t id, braid_str_t json, braid_buf_t *out) {
  if (json.len > BRAID_STATS_JSON_MAX || (json.p == NULL && json.len > 0)) return BRAID_EINVAL;
  braid__proto_enc_t e;
  begin_ok(&e, id, 1, out);
  braid__proto_enc_key(&e, "r");
  (void)msgpack_pack_map(&e.pk, 1);
  braid__proto_enc_key(&e, "stats");
  braid__proto_enc_str(&e, json);
  return braid__proto_enc_end(&e);
}

int braid_reply_encode_dump(uint64_t id, const braid_str_t *router_ids, size_t n,
                            braid_buf_t *out) {
  if (n > 0 && router_ids == NULL) return BRAID_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (!id_ok(router_ids[i])) return BRAID_EINVAL;
  /* Every id takes at least one byte: more ids than that cannot fit, and
   * msgpack arrays count in 32 bits. */
  if (n > BRAID_PROTO_MAX_MSG) return BRAID_ETOOBIG;
  braid__proto_enc_t e;
  begin_ok(&e, id, 1, out);
  braid__proto_enc_key(&e, "r");
  (void)msgpack_pack_map(&e.pk, 1);
  braid__proto_enc_key(&e, "routers");
  (void)msgpack_pack_array(&e.pk, n);
  for (size_t i = 0; i < n; i++) braid__proto_enc_str(&e, router_ids[i]);
  return braid__proto_enc_end(&e);
}

/* reason cut to BRAID_REASON_MAX bytes, backing up at most three bytes so
 * as not to split a UTF-8 sequence (continuation bytes are 10xxxxxx). */
static braid_str_t clip_reason(const char *reason) {
  braid_str_t s = braid_str_c(reason);
  if (s.len <= BRAID_REASON_MAX) return s;
  size_t n = BRAID_REASON_MAX;
  for (int k = 0; k < 3 && n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80; k++) n--;
  s.len = n;
  return s;
}

int braid_reply_encode_error(uint64_t id, int32_t code, const char *reason, braid_buf_t *out) {
  wire_t w = {.id = id, .ok = false, .ec = code, .er = clip_reason(reason)};
  braid__proto_schema_t s = schemas[0];
  s.active = F(ID) | F(OK) | F(EC) | F(ER);
  return braid__proto_encode(&family, &s, &w, out);
}

int braid_reply_decode(braid_reply_t *reply, const uint8_t *data, size_t len, const char **why) {
  wire_t w;
  const braid__proto_schema_t *s;
  uint32_t seen;
  *reply = (braid_reply_t){0};
  int rc = braid__proto_decode(&family, data, len, &w, sizeof w, &s, &seen, why);
  if (rc != 0) return rc;
  if (!w.ok) {
    rc = braid__proto_check_required(fields, F_COUNT, F(EC) | F(ER), seen, why);
    if (rc != 0) return rc;
    reply->error_code = w.ec;
    reply->reason = w.er;
  }
  reply->id = w.id;
  reply->ok = w.ok;
  reply->result = w.r.p;
  reply->result_len = w.r.len;
  return 0;
}
