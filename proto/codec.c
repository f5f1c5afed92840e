/*
 * Table-driven decoding of control-plane messages (see codec.h). Encoding
 * helpers are in codec_enc.c.
 */
#include "proto/codec.h"

#include <stdbool.h>
#include <string.h>

#include "common/err.h"
#include "common/limits.h"
#include "proto/proto.h"

/* Reasons for structural errors, found before any key is looked at. */
static const char *why_structure(int rc) {
  switch (rc) {
  case BRAID_ETRUNC: return "message truncated";
  case BRAID_ETOOBIG: return "nesting too deep";
  default: return "invalid msgpack (byte 0xc1)";
  }
}

/* The reason for a failure to read the value of f. */
static const char *why_value(const braid__proto_field_t *f, int rc) {
  switch (rc) {
  case BRAID_ETYPE: return f->why_type;
  case BRAID_EMALFORMED: return f->why_range;
  case BRAID_ETOOBIG:
    return f->kind == BRAID__PROTO_STR || f->kind == BRAID__PROTO_OBJS ? f->why_long
                                                                       : why_structure(rc);
  default: return why_structure(rc);
  }
}

/* Borrows the encoded bytes of a map or array value, checking its type. */
static int read_raw(braid_mpr_t *m, unsigned depth, braid_mpr_type_t type,
                    braid__proto_raw_t *raw) {
  braid_mpr_type_t got;
  int rc = braid_mpr_peek(m, &got);
  if (rc != 0) return rc;
  if (got != type) return BRAID_ETYPE;
  const uint8_t *start = braid_mpr_pos(m);
  rc = braid_mpr_skip(m, depth);
  if (rc != 0) return rc;
  raw->p = start;
  raw->len = (size_t)(braid_mpr_pos(m) - start);
  return 0;
}

bool braid__proto_is_allowed(const char *const *allowed, braid_str_t s) {
  for (; *allowed != NULL; allowed++)
    if (braid_str_eq(s, *allowed)) return true;
  return false;
}

static int read_str(braid_mpr_t *m, const braid__proto_field_t *f, braid_str_t *dst) {
  braid_str_t s;
  int rc = braid_mpr_str(m, &s);
  if (rc != 0) return rc;
  if (s.len > f->max_len) return BRAID_ETOOBIG;
  if (f->allowed != NULL && !braid__proto_is_allowed(f->allowed, s)) return BRAID_EMALFORMED;
  *dst = s;
  return 0;
}

/* Signed integers: read as int64, then checked against the C type and the
 * field's range. */
static int read_signed(braid_mpr_t *m, const braid__proto_field_t *f, void *dst) {
  int64_t v;
  int rc = braid_mpr_i64(m, &v);
  if (rc != 0) return rc;
  if (f->kind == BRAID__PROTO_I32 && (v < INT32_MIN || v > INT32_MAX)) return BRAID_EMALFORMED;
  if ((f->flags & BRAID__PROTO_RANGE) && (v < f->lo || v > f->hi)) return BRAID_EMALFORMED;
  if (f->kind == BRAID__PROTO_I32) *(int32_t *)dst = (int32_t)v;
  else *(int64_t *)dst = v;
  return 0;
}

/* Unsigned integers: read as uint64, then checked the same way. Ranges of
 * unsigned fields have lo >= 0. */
static int read_unsigned(braid_mpr_t *m, const braid__proto_field_t *f, void *dst) {
  uint64_t v;
  int rc = braid_mpr_u64(m, &v);
  if (rc != 0) return rc;
  uint64_t top = f->kind == BRAID__PROTO_U8 ? UINT8_MAX
                 : f->kind == BRAID__PROTO_U32 ? UINT32_MAX
                                               : UINT64_MAX;
  if (v > top) return BRAID_EMALFORMED;
  if ((f->flags & BRAID__PROTO_RANGE) && (v < (uint64_t)f->lo || v > (uint64_t)f->hi))
    return BRAID_EMALFORMED;
  if (f->kind == BRAID__PROTO_U8) *(uint8_t *)dst = (uint8_t)v;
  else if (f->kind == BRAID__PROTO_U32) *(uint32_t *)dst = (uint32_t)v;
  else *(uint64_t *)dst = v;
  return 0;
}

/* Reads a scalar or raw value of f into dst; sets no reason. */
static int read_scalar(braid_mpr_t *m, unsigned depth, const braid__proto_field_t *f, void *dst) {
  switch (f->kind) {
  case BRAID__PROTO_STR: return read_str(m, f, dst);
  case BRAID__PROTO_U8:
  case BRAID__PROTO_U32:
  case BRAID__PROTO_U64: return read_unsigned(m, f, dst);
  case BRAID__PROTO_I32:
  case BRAID__PROTO_I64: return read_signed(m, f, dst);
  case BRAID__PROTO_BOOL: return braid_mpr_bool(m, dst);
  case BRAID__PROTO_MAP: return read_raw(m, depth, BRAID_MPR_MAP, dst);
  case BRAID__PROTO_ARRAY: return read_raw(m, depth, BRAID_MPR_ARRAY, dst);
  case BRAID__PROTO_OBJ:
  case BRAID__PROTO_OBJS: break; /* read_value() handles them */
  }
  return BRAID_ETYPE;
}

/* Reads one whole map of the table map at m (depth containers enclose it)
 * into out: its fields, its required keys, its check hook. */
static int read_obj(braid_mpr_t *m, unsigned depth, const braid__proto_map_t *map, void *out,
                    const char **why) {
  uint32_t seen = 0;
  int rc = braid__proto_read_map(m, depth, map->fields, map->nfields, map->active, out, &seen, why);
  if (rc == 0)
    rc = braid__proto_check_required(map->fields, map->nfields, map->required, seen, why);
  if (rc == 0 && map->check != NULL) rc = map->check(out, seen, why);
  return rc;
}

/* Fails with f's type reason unless the next item is of type want. */
static int expect_type(braid_mpr_t *m, const braid__proto_field_t *f, braid_mpr_type_t want,
                       const char **why) {
  braid_mpr_type_t got;
  int rc = braid_mpr_peek(m, &got);
  if (rc != 0) return braid__proto_fail(why, why_structure(rc), rc);
  if (got != want) return braid__proto_fail(why, f->why_type, BRAID_ETYPE);
  return 0;
}

/* An array of maps: the count is checked against the C array before any
 * element is read, so the loop never writes past it. */
static int read_objs(braid_mpr_t *m, unsigned depth, const braid__proto_field_t *f, void *base,
                     const char **why) {
  uint32_t count;
  int rc = expect_type(m, f, BRAID_MPR_ARRAY, why);
  if (rc != 0) return rc;
  rc = braid_mpr_array(m, &count);
  if (rc != 0) return braid__proto_fail(why, why_value(f, rc), rc);
  if (count > f->max_len) return braid__proto_fail(why, f->why_long, BRAID_ETOOBIG);
  if ((int64_t)count < f->lo) return braid__proto_fail(why, f->why_range, BRAID_EMALFORMED);
  char *elems = (char *)base + f->offset;
  for (uint32_t i = 0; i < count; i++) {
    rc = expect_type(m, f, BRAID_MPR_MAP, why);
    if (rc == 0) rc = read_obj(m, depth + 1, f->sub, elems + (size_t)i * f->elem_size, why);
    if (rc != 0) return rc;
  }
  *(size_t *)((char *)base + f->count_offset) = count;
  return 0;
}

/* Reads the value of f, which depth containers enclose, into the struct
 * base; on failure sets *why. Nested maps recurse through
 * braid__proto_read_map(); the recursion follows our static tables (two
 * levels at most today) and could not exceed BRAID_PROTO_MAX_DEPTH anyway,
 * which braid__proto_open() has checked. */
static int read_value(braid_mpr_t *m, unsigned depth, const braid__proto_field_t *f, void *base,
                      const char **why) {
  void *dst = (char *)base + f->offset;
  if (f->kind == BRAID__PROTO_OBJ) {
    int rc = expect_type(m, f, BRAID_MPR_MAP, why);
    return rc != 0 ? rc : read_obj(m, depth, f->sub, dst, why);
  }
  if (f->kind == BRAID__PROTO_OBJS) return read_objs(m, depth, f, base, why);
  int rc = read_scalar(m, depth, f, dst);
  return rc != 0 ? braid__proto_fail(why, why_value(f, rc), rc) : 0;
}

/* The index of the active field named key, or n. */
static size_t find_field(const braid__proto_field_t *fields, size_t n, uint32_t active,
                         braid_str_t key) {
  for (size_t i = 0; i < n; i++)
    if ((active & BRAID__PROTO_BIT(i)) && braid_str_eq(key, fields[i].key)) return i;
  return n;
}

int braid__proto_read_map(braid_mpr_t *m, unsigned depth, const braid__proto_field_t *fields,
                          size_t n, uint32_t active, void *out, uint32_t *seen, const char **why) {
  uint32_t pairs;
  int rc = braid_mpr_map(m, &pairs);
  if (rc == BRAID_ETYPE) return braid__proto_fail(why, "not a map", BRAID_EMALFORMED);
  if (rc != 0) return braid__proto_fail(why, why_structure(rc), rc);
  for (uint32_t k = 0; k < pairs; k++) {
    braid_str_t key;
    rc = braid_mpr_str(m, &key);
    if (rc == BRAID_ETYPE)
      return braid__proto_fail(why, "map key is not a string", BRAID_EMALFORMED);
    if (rc != 0) return braid__proto_fail(why, why_structure(rc), rc);
    size_t i = find_field(fields, n, active, key);
    if (i == n) {
      /* Unknown to this type: skip it, for forward compatibility. */
      rc = braid_mpr_skip(m, depth + 1);
      if (rc != 0) return braid__proto_fail(why, why_structure(rc), rc);
      continue;
    }
    const braid__proto_field_t *f = &fields[i];
    if (*seen & BRAID__PROTO_BIT(i)) return braid__proto_fail(why, f->why_dup, BRAID_EMALFORMED);
    rc = read_value(m, depth + 1, f, out, why);
    if (rc != 0) return rc;
    *seen |= BRAID__PROTO_BIT(i);
  }
  return 0;
}

int braid__proto_check_required(const braid__proto_field_t *fields, size_t n, uint32_t required,
                                uint32_t seen, const char **why) {
  for (size_t i = 0; i < n; i++)
    if ((required & BRAID__PROTO_BIT(i)) && !(seen & BRAID__PROTO_BIT(i)))
      return braid__proto_fail(why, fields[i].why_missing, BRAID_EMISSING);
  return 0;
}

int braid__proto_read_body(braid_mpr_t *m, const braid__proto_field_t *fields, size_t n,
                           uint32_t active, uint32_t required, void *out, uint32_t *seen,
                           const char **why) {
  *seen = 0;
  int rc = braid__proto_read_map(m, 0, fields, n, active, out, seen, why);
  if (rc != 0) return rc;
  return braid__proto_check_required(fields, n, required, *seen, why);
}

/* The keys every message has. */
typedef struct head {
  uint64_t v;
  braid_str_t t;
} head_t;

enum { HEAD_V, HEAD_T };

static const braid__proto_field_t head_fields[] = {
    [HEAD_V] = BRAID__PROTO_FIELD("v", U64, 0, head_t, v),
    [HEAD_T] = BRAID__PROTO_FIELD("t", STR, BRAID_ID_MAX, head_t, t),
};

int braid__proto_open(braid_mpr_t *m, const uint8_t *data, size_t len, braid_str_t *type,
                      const char **why) {
  if (len > BRAID_PROTO_MAX_MSG) return braid__proto_fail(why, "message too big", BRAID_ETOOBIG);
  braid_mpr_init(m, data, len);
  braid_mpr_type_t top;
  int rc = braid_mpr_peek(m, &top);
  if (rc != 0) return braid__proto_fail(why, why_structure(rc), rc);
  if (top != BRAID_MPR_MAP) return braid__proto_fail(why, "message is not a map", BRAID_EMALFORMED);

  /* Walk the whole message once: after this, nothing below can run off the
   * end, meet 0xc1 or nest too deep. */
  braid_mpr_t walk = *m;
  rc = braid_mpr_skip(&walk, 0);
  if (rc != 0) return braid__proto_fail(why, why_structure(rc), rc);
  if (braid_mpr_left(&walk) != 0)
    return braid__proto_fail(why, "trailing bytes after the message", BRAID_EMALFORMED);

  head_t head = {0};
  uint32_t seen = 0;
  walk = *m;
  uint32_t both = BRAID__PROTO_BIT(HEAD_V) | BRAID__PROTO_BIT(HEAD_T);
  rc = braid__proto_read_map(&walk, 0, head_fields, 2, both, &head, &seen, why);
  if (rc != 0) return rc;
  rc = braid__proto_check_required(head_fields, 1, BRAID__PROTO_BIT(HEAD_V), seen, why);
  if (rc != 0) return rc;
  if (head.v != BRAID_PROTO_VERSION)
    return braid__proto_fail(why, "unsupported protocol version", BRAID_EVERSION);
  rc = braid__proto_check_required(head_fields, 2, BRAID__PROTO_BIT(HEAD_T), seen, why);
  if (rc != 0) return rc;
  *type = head.t;
  return 0;
}

const braid__proto_schema_t *braid__proto_schema_by_name(const braid__proto_family_t *fam,
                                                         braid_str_t name) {
  for (size_t i = 0; i < fam->nschemas; i++)
    if (braid_str_eq(name, fam->schemas[i].name)) return &fam->schemas[i];
  return NULL;
}

const braid__proto_schema_t *braid__proto_schema_by_type(const braid__proto_family_t *fam,
                                                         int type) {
  for (size_t i = 0; i < fam->nschemas; i++)
    if (fam->schemas[i].type == type) return &fam->schemas[i];
  return NULL;
}

int braid__proto_decode(const braid__proto_family_t *fam, const uint8_t *data, size_t len,
                        void *out, size_t out_size, const braid__proto_schema_t **schema,
                        uint32_t *seen, const char **why) {
  braid_mpr_t m;
  braid_str_t type;
  uint32_t present;
  memset(out, 0, out_size);
  int rc = braid__proto_open(&m, data, len, &type, why);
  if (rc != 0) return rc;
  const braid__proto_schema_t *s = braid__proto_schema_by_name(fam, type);
  if (s == NULL) return braid__proto_fail(why, "unknown message type", BRAID_EUNKNOWN);
  braid_mpr_t body = m; /* the second pass starts from the same place */
  rc = braid__proto_read_body(&m, fam->fields, fam->nfields, s->active, s->required, out,
                              &present, why);
  if (rc != 0) return rc;
  if (s->body != NULL) {
    /* The type's own keys; the family's are skipped as unknown now, and
     * the body's were skipped in the first pass. */
    rc = read_obj(&body, 0, s->body, (char *)out + fam->body_offset, why);
    if (rc != 0) return rc;
  }
  *schema = s;
  if (seen != NULL) *seen = present;
  return 0;
}
