/*
 * Encoding helpers shared by the message files (see codec.h): a
 * msgpack_packer whose output goes to a braid_buf_t, capped at
 * BRAID_PROTO_MAX_MSG per message.
 */
#include "proto/codec.h"

#include "common/err.h"
#include "common/limits.h"
#include "proto/proto.h"

/* msgpack_packer's write callback. msgpack-c only checks for non-zero, so
 * the real code is kept in e->err; after a failure every write is dropped,
 * which keeps the buffer from holding a message with a hole in it. */
static int enc_write(void *data, const char *buf, size_t len) {
  braid__proto_enc_t *e = data;
  if (e->err != 0) return -1;
  size_t used = e->out->len - e->start;
  if (len > BRAID_PROTO_MAX_MSG - used) {
    e->err = BRAID_ETOOBIG;
    return -1;
  }
  int rc = braid_buf_append(e->out, buf, len);
  if (rc != 0) {
    e->err = rc;
    return -1;
  }
  return 0;
}

void braid__proto_enc_begin(braid__proto_enc_t *e, braid_buf_t *out) {
  e->out = out;
  e->start = out->len;
  e->err = 0;
  msgpack_packer_init(&e->pk, e, enc_write);
}

void braid__proto_enc_key(braid__proto_enc_t *e, const char *key) {
  braid__proto_enc_str(e, braid_str_c(key));
}

void braid__proto_enc_str(braid__proto_enc_t *e, braid_str_t s) {
  /* msgpack-c's packer returns the callback's result, which enc_write has
   * already recorded in e->err. */
  (void)msgpack_pack_str(&e->pk, s.len);
  if (s.len > 0) (void)msgpack_pack_str_body(&e->pk, s.p, s.len);
}

void braid__proto_enc_head(braid__proto_enc_t *e, const char *type, size_t body_keys) {
  (void)msgpack_pack_map(&e->pk, 2 + body_keys);
  braid__proto_enc_key(e, "v");
  (void)msgpack_pack_uint32(&e->pk, BRAID_PROTO_VERSION);
  braid__proto_enc_key(e, "t");
  braid__proto_enc_key(e, type);
}

/* Writes one value of kind f->kind from src. */
static void enc_value(braid__proto_enc_t *e, const braid__proto_field_t *f, const void *src) {
  switch (f->kind) {
  case BRAID__PROTO_STR: braid__proto_enc_str(e, *(const braid_str_t *)src); break;
  case BRAID__PROTO_U64: (void)msgpack_pack_uint64(&e->pk, *(const uint64_t *)src); break;
  case BRAID__PROTO_I64: (void)msgpack_pack_int64(&e->pk, *(const int64_t *)src); break;
  case BRAID__PROTO_I32: (void)msgpack_pack_int32(&e->pk, *(const int32_t *)src); break;
  case BRAID__PROTO_BOOL:
    if (*(const bool *)src) (void)msgpack_pack_true(&e->pk);
    else (void)msgpack_pack_false(&e->pk);
    break;
  case BRAID__PROTO_MAP:
  case BRAID__PROTO_ARRAY: {
    /* Already encoded: copy the bytes through. */
    const braid__proto_raw_t *raw = src;
    (void)enc_write(e, (const char *)raw->p, raw->len);
    break;
  }
  }
}

void braid__proto_enc_fields(braid__proto_enc_t *e, const braid__proto_field_t *fields, size_t n,
                             uint32_t active, const void *in) {
  for (size_t i = 0; i < n; i++) {
    if (!(active & BRAID__PROTO_BIT(i))) continue;
    braid__proto_enc_key(e, fields[i].key);
    enc_value(e, &fields[i], (const char *)in + fields[i].offset);
  }
}

int braid__proto_enc_end(braid__proto_enc_t *e) {
  if (e->err != 0) e->out->len = e->start;
  return e->err;
}

size_t braid__proto_count(uint32_t mask) {
  size_t n = 0;
  for (; mask != 0; mask &= mask - 1) n++;
  return n;
}

int braid__proto_check_fields(const braid__proto_field_t *fields, size_t n, uint32_t active,
                              const void *in) {
  for (size_t i = 0; i < n; i++) {
    if (!(active & BRAID__PROTO_BIT(i))) continue;
    const void *src = (const char *)in + fields[i].offset;
    if (fields[i].kind == BRAID__PROTO_STR) {
      const braid_str_t *s = src;
      if (s->len > fields[i].max_len || (s->p == NULL && s->len != 0)) return BRAID_EINVAL;
    } else if (fields[i].kind == BRAID__PROTO_MAP || fields[i].kind == BRAID__PROTO_ARRAY) {
      const braid__proto_raw_t *raw = src;
      if (raw->p == NULL || raw->len == 0) return BRAID_EINVAL;
    }
  }
  return 0;
}

int braid__proto_encode(const braid__proto_family_t *fam, const braid__proto_schema_t *s,
                        const void *in, braid_buf_t *out) {
  int rc = braid__proto_check_fields(fam->fields, fam->nfields, s->active, in);
  if (rc != 0) return rc;
  braid__proto_enc_t e;
  braid__proto_enc_begin(&e, out);
  braid__proto_enc_head(&e, s->name, braid__proto_count(s->active));
  braid__proto_enc_fields(&e, fam->fields, fam->nfields, s->active, in);
  return braid__proto_enc_end(&e);
}
