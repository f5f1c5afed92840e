/*
 * Encoding helpers shared by the message files (see codec.h): a
 * msgpack_packer whose output goes to a braid_buf_t, capped at
 * BRAID_PROTO_MAX_MSG per message.
 */
#include "proto/codec.h"

#include <stdbool.h>

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

/* True when the integer field f of in is 0. */
static bool int_is_zero(const braid__proto_field_t *f, const void *src) {
  switch (f->kind) {
  case BRAID__PROTO_U8: return *(const uint8_t *)src == 0;
  case BRAID__PROTO_U32: return *(const uint32_t *)src == 0;
  case BRAID__PROTO_U64: return *(const uint64_t *)src == 0;
  case BRAID__PROTO_I32: return *(const int32_t *)src == 0;
  case BRAID__PROTO_I64: return *(const int64_t *)src == 0;
  default: return false;
  }
}

uint32_t braid__proto_present(const braid__proto_field_t *fields, size_t n, uint32_t active,
                              const void *in) {
  for (size_t i = 0; i < n; i++)
    if ((active & BRAID__PROTO_BIT(i)) && (fields[i].flags & BRAID__PROTO_OMIT0) &&
        int_is_zero(&fields[i], (const char *)in + fields[i].offset))
      active &= ~BRAID__PROTO_BIT(i);
  return active;
}

uint32_t braid__proto_map_mask(const braid__proto_map_t *map, const void *in) {
  uint32_t active = map->encode_mask != NULL ? map->encode_mask(in) & map->active : map->active;
  return braid__proto_present(map->fields, map->nfields, active, in);
}

/* Writes one nested map of the table map from in. */
static void enc_obj(braid__proto_enc_t *e, const braid__proto_map_t *map, const void *in) {
  uint32_t active = braid__proto_map_mask(map, in);
  (void)msgpack_pack_map(&e->pk, braid__proto_count(active));
  braid__proto_enc_fields(e, map->fields, map->nfields, active, in);
}

/* Writes the value of f from the struct base. */
static void enc_value(braid__proto_enc_t *e, const braid__proto_field_t *f, const void *base) {
  const void *src = (const char *)base + f->offset;
  switch (f->kind) {
  case BRAID__PROTO_STR: braid__proto_enc_str(e, *(const braid_str_t *)src); break;
  case BRAID__PROTO_U8: (void)msgpack_pack_uint8(&e->pk, *(const uint8_t *)src); break;
  case BRAID__PROTO_U32: (void)msgpack_pack_uint32(&e->pk, *(const uint32_t *)src); break;
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
  case BRAID__PROTO_OBJ: enc_obj(e, f->sub, src); break;
  case BRAID__PROTO_OBJS: {
    size_t count = *(const size_t *)((const char *)base + f->count_offset);
    (void)msgpack_pack_array(&e->pk, count);
    for (size_t i = 0; i < count; i++) enc_obj(e, f->sub, (const char *)src + i * f->elem_size);
    break;
  }
  }
}

void braid__proto_enc_fields(braid__proto_enc_t *e, const braid__proto_field_t *fields, size_t n,
                             uint32_t active, const void *in) {
  for (size_t i = 0; i < n; i++) {
    if (!(active & BRAID__PROTO_BIT(i))) continue;
    braid__proto_enc_key(e, fields[i].key);
    enc_value(e, &fields[i], in);
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

static int check_str(const braid__proto_field_t *f, const braid_str_t *s) {
  if (s->len > f->max_len || (s->p == NULL && s->len != 0)) return BRAID_EINVAL;
  if (f->allowed != NULL && !braid__proto_is_allowed(f->allowed, *s)) return BRAID_EINVAL;
  return 0;
}

/* An integer against its range; the C type already bounds the rest. */
static int check_int(const braid__proto_field_t *f, const void *src) {
  if (!(f->flags & BRAID__PROTO_RANGE)) return 0;
  if ((f->flags & BRAID__PROTO_OMIT0) && int_is_zero(f, src)) return 0;
  if (f->kind == BRAID__PROTO_I32 || f->kind == BRAID__PROTO_I64) {
    int64_t v = f->kind == BRAID__PROTO_I32 ? *(const int32_t *)src : *(const int64_t *)src;
    return v < f->lo || v > f->hi ? BRAID_EINVAL : 0;
  }
  uint64_t v = f->kind == BRAID__PROTO_U8    ? *(const uint8_t *)src
               : f->kind == BRAID__PROTO_U32 ? *(const uint32_t *)src
                                             : *(const uint64_t *)src;
  return v < (uint64_t)f->lo || v > (uint64_t)f->hi ? BRAID_EINVAL : 0;
}

static int check_map(const braid__proto_map_t *map, const void *in) {
  return braid__proto_check_fields(map->fields, map->nfields, braid__proto_map_mask(map, in), in);
}

/* Checks the value of f in the struct base. */
static int check_value(const braid__proto_field_t *f, const void *base) {
  const void *src = (const char *)base + f->offset;
  switch (f->kind) {
  case BRAID__PROTO_STR: return check_str(f, src);
  case BRAID__PROTO_MAP:
  case BRAID__PROTO_ARRAY: {
    const braid__proto_raw_t *raw = src;
    return raw->p == NULL || raw->len == 0 ? BRAID_EINVAL : 0;
  }
  case BRAID__PROTO_OBJ: return check_map(f->sub, src);
  case BRAID__PROTO_OBJS: {
    size_t count = *(const size_t *)((const char *)base + f->count_offset);
    if (count > f->max_len || count < (uint64_t)f->lo) return BRAID_EINVAL;
    for (size_t i = 0; i < count; i++) {
      int rc = check_map(f->sub, (const char *)src + i * f->elem_size);
      if (rc != 0) return rc;
    }
    return 0;
  }
  case BRAID__PROTO_BOOL: return 0;
  default: return check_int(f, src);
  }
}

int braid__proto_check_fields(const braid__proto_field_t *fields, size_t n, uint32_t active,
                              const void *in) {
  for (size_t i = 0; i < n; i++) {
    if (!(active & BRAID__PROTO_BIT(i))) continue;
    int rc = check_value(&fields[i], in);
    if (rc != 0) return rc;
  }
  return 0;
}

int braid__proto_encode(const braid__proto_family_t *fam, const braid__proto_schema_t *s,
                        const void *in, braid_buf_t *out) {
  uint32_t active = braid__proto_present(fam->fields, fam->nfields, s->active, in);
  int rc = braid__proto_check_fields(fam->fields, fam->nfields, active, in);
  if (rc != 0) return rc;
  const void *body = (const char *)in + fam->body_offset;
  uint32_t body_active = 0;
  if (s->body != NULL) {
    body_active = braid__proto_map_mask(s->body, body);
    rc = braid__proto_check_fields(s->body->fields, s->body->nfields, body_active, body);
    if (rc != 0) return rc;
  }
  braid__proto_enc_t e;
  braid__proto_enc_begin(&e, out);
  braid__proto_enc_head(&e, s->name, braid__proto_count(active) + braid__proto_count(body_active));
  braid__proto_enc_fields(&e, fam->fields, fam->nfields, active, in);
  if (s->body != NULL)
    braid__proto_enc_fields(&e, s->body->fields, s->body->nfields, body_active, body);
  return braid__proto_enc_end(&e);
}
