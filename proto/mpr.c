/*
 * msgpack reader. Format reference: the msgpack specification, "Formats":
 *
 *   0x00-0x7f positive fixint   0x80-0x8f fixmap   0x90-0x9f fixarray
 *   0xa0-0xbf fixstr            0xc0 nil           0xc1 (never used)
 *   0xc2/0xc3 false/true        0xc4-0xc6 bin 8/16/32
 *   0xc7-0xc9 ext 8/16/32       0xca/0xcb float 32/64
 *   0xcc-0xcf uint 8/16/32/64   0xd0-0xd3 int 8/16/32/64
 *   0xd4-0xd8 fixext 1/2/4/8/16 0xd9-0xdb str 8/16/32
 *   0xdc/0xdd array 16/32       0xde/0xdf map 16/32
 *   0xe0-0xff negative fixint
 *
 * All multi-byte lengths and values are big-endian. An ext item is a length
 * L, one type byte and L data bytes.
 */
#include "proto/mpr.h"

#include "common/err.h"
#include "common/limits.h"

/* The header of one item: its type and either its integer value or the
 * size that follows it (payload bytes for str/bin/ext/float, element count
 * for array/map). */
typedef struct head {
  braid_mpr_type_t type;
  bool neg;   /* BRAID_MPR_INT: the value is i */
  uint64_t u; /* BRAID_MPR_UINT value, BRAID_MPR_BOOL 0/1 */
  int64_t i;  /* BRAID_MPR_INT value */
  uint64_t n; /* payload bytes or element count */
} head_t;

/* Reads a big-endian unsigned of width 1, 2, 4 or 8 bytes. */
static int read_uint(braid_rd_t *r, unsigned width, uint64_t *v) {
  const uint8_t *p;
  if (braid_rd_bytes(r, width, &p) != 0) return BRAID_ETRUNC;
  uint64_t x = 0;
  for (unsigned k = 0; k < width; k++) x = (x << 8) | p[k];
  *v = x;
  return 0;
}

/* Reads a big-endian two's complement integer of width 1, 2, 4 or 8 bytes
 * and classifies it as UINT or INT. */
static int read_sint(braid_rd_t *r, unsigned width, head_t *h) {
  uint64_t raw;
  int rc = read_uint(r, width, &raw);
  if (rc != 0) return rc;
  unsigned bits = width * 8;
  bool neg = (raw >> (bits - 1)) & 1;
  if (!neg) {
    h->type = BRAID_MPR_UINT;
    h->u = raw;
    return 0;
  }
  /* Sign-extend without relying on implementation-defined conversions:
   * the magnitude of a negative value is 2^bits - raw. */
  uint64_t mag = bits == 64 ? (~raw + 1) : ((UINT64_C(1) << bits) - raw);
  h->type = BRAID_MPR_INT;
  h->neg = true;
  h->i = mag == (UINT64_C(1) << 63) ? INT64_MIN : -(int64_t)mag;
  return 0;
}

/* Sets h from a header whose size field is width bytes long. */
static int read_sized(braid_rd_t *r, braid_mpr_type_t type, unsigned width, head_t *h) {
  h->type = type;
  return read_uint(r, width, &h->n);
}

/* Reads the header of the next item (not its payload or elements). */
static int read_head(braid_rd_t *r, head_t *h) {
  uint8_t b;
  *h = (head_t){0};
  if (braid_rd_u8(r, &b) != 0) return BRAID_ETRUNC;
  if (b <= 0x7f) {
    h->type = BRAID_MPR_UINT;
    h->u = b;
    return 0;
  }
  if (b >= 0xe0) {
    h->type = BRAID_MPR_INT;
    h->neg = true;
    h->i = (int64_t)b - 256;
    return 0;
  }
  if (b <= 0xbf) {
    /* fixmap, fixarray, fixstr: the size is in the low bits. */
    h->type = b <= 0x8f ? BRAID_MPR_MAP : b <= 0x9f ? BRAID_MPR_ARRAY : BRAID_MPR_STR;
    h->n = b & (b <= 0x9f ? 0x0f : 0x1f);
    return 0;
  }
  switch (b) {
  case 0xc0:
    h->type = BRAID_MPR_NIL;
    return 0;
  case 0xc2:
  case 0xc3:
    h->type = BRAID_MPR_BOOL;
    h->u = b & 1;
    return 0;
  case 0xc4: return read_sized(r, BRAID_MPR_BIN, 1, h);
  case 0xc5: return read_sized(r, BRAID_MPR_BIN, 2, h);
  case 0xc6: return read_sized(r, BRAID_MPR_BIN, 4, h);
  case 0xc7:
  case 0xc8:
  case 0xc9: {
    /* ext 8/16/32: size field, then the type byte counted as payload. */
    int rc = read_sized(r, BRAID_MPR_EXT, 1u << (b - 0xc7), h);
    h->n += 1;
    return rc;
  }
  case 0xca:
  case 0xcb:
    h->type = BRAID_MPR_FLOAT;
    h->n = b == 0xca ? 4 : 8;
    return 0;
  case 0xcc:
  case 0xcd:
  case 0xce:
  case 0xcf:
    h->type = BRAID_MPR_UINT;
    return read_uint(r, 1u << (b - 0xcc), &h->u);
  case 0xd0:
  case 0xd1:
  case 0xd2:
  case 0xd3: return read_sint(r, 1u << (b - 0xd0), h);
  case 0xd4:
  case 0xd5:
  case 0xd6:
  case 0xd7:
  case 0xd8:
    /* fixext 1..16: one type byte and 2^k data bytes. */
    h->type = BRAID_MPR_EXT;
    h->n = 1 + (1u << (b - 0xd4));
    return 0;
  case 0xd9: return read_sized(r, BRAID_MPR_STR, 1, h);
  case 0xda: return read_sized(r, BRAID_MPR_STR, 2, h);
  case 0xdb: return read_sized(r, BRAID_MPR_STR, 4, h);
  case 0xdc: return read_sized(r, BRAID_MPR_ARRAY, 2, h);
  case 0xdd: return read_sized(r, BRAID_MPR_ARRAY, 4, h);
  case 0xde: return read_sized(r, BRAID_MPR_MAP, 2, h);
  case 0xdf: return read_sized(r, BRAID_MPR_MAP, 4, h);
  default: return BRAID_EMALFORMED; /* 0xc1 */
  }
}

/* Reads a header on a copy of the reader and checks its type. The caller
 * commits the copy on success. */
static int read_typed(const braid_mpr_t *m, braid_rd_t *r, braid_mpr_type_t type, head_t *h) {
  *r = m->rd;
  int rc = read_head(r, h);
  if (rc != 0) return rc;
  return h->type == type ? 0 : BRAID_ETYPE;
}

/* Elements of a container cannot outnumber the bytes left: each takes at
 * least one. Checking this first bounds the caller's loops by the input. */
static int check_count(const braid_rd_t *r, uint64_t items) {
  return items > braid_rd_left(r) ? BRAID_ETRUNC : 0;
}

void braid_mpr_init(braid_mpr_t *m, const uint8_t *data, size_t len) {
  /* NULL + 0 is undefined in C (and clang's UBSan says so): read from an
   * empty array instead. */
  static const uint8_t empty[1];
  braid_rd_init(&m->rd, data != NULL ? data : empty, data != NULL ? len : 0);
}

int braid_mpr_peek(const braid_mpr_t *m, braid_mpr_type_t *type) {
  braid_rd_t r = m->rd;
  head_t h;
  int rc = read_head(&r, &h);
  if (rc == 0) *type = h.type;
  return rc;
}

static int read_container(braid_mpr_t *m, braid_mpr_type_t type, uint32_t *n) {
  braid_rd_t r;
  head_t h;
  int rc = read_typed(m, &r, type, &h);
  if (rc == 0) rc = check_count(&r, type == BRAID_MPR_MAP ? 2 * h.n : h.n);
  if (rc != 0) return rc;
  *n = (uint32_t)h.n; /* size fields are at most 32 bits wide */
  m->rd = r;
  return 0;
}

int braid_mpr_map(braid_mpr_t *m, uint32_t *n) { return read_container(m, BRAID_MPR_MAP, n); }

int braid_mpr_array(braid_mpr_t *m, uint32_t *n) { return read_container(m, BRAID_MPR_ARRAY, n); }

static int read_blob(braid_mpr_t *m, braid_mpr_type_t type, const uint8_t **p, size_t *len) {
  braid_rd_t r;
  head_t h;
  int rc = read_typed(m, &r, type, &h);
  if (rc != 0) return rc;
  if (h.n > braid_rd_left(&r)) return BRAID_ETRUNC;
  (void)braid_rd_bytes(&r, (size_t)h.n, p);
  *len = (size_t)h.n;
  m->rd = r;
  return 0;
}

int braid_mpr_str(braid_mpr_t *m, braid_str_t *s) {
  const uint8_t *p;
  size_t len;
  int rc = read_blob(m, BRAID_MPR_STR, &p, &len);
  if (rc != 0) return rc;
  s->p = (const char *)p;
  s->len = len;
  return 0;
}

int braid_mpr_bin(braid_mpr_t *m, const uint8_t **p, size_t *len) {
  return read_blob(m, BRAID_MPR_BIN, p, len);
}

/* Reads any integer; the typed readers below check its range. */
static int read_int(braid_mpr_t *m, braid_rd_t *r, head_t *h) {
  *r = m->rd;
  int rc = read_head(r, h);
  if (rc != 0) return rc;
  return h->type == BRAID_MPR_UINT || h->type == BRAID_MPR_INT ? 0 : BRAID_ETYPE;
}

int braid_mpr_u64(braid_mpr_t *m, uint64_t *v) {
  braid_rd_t r;
  head_t h;
  int rc = read_int(m, &r, &h);
  if (rc != 0) return rc;
  if (h.neg) return BRAID_EMALFORMED;
  *v = h.u;
  m->rd = r;
  return 0;
}

int braid_mpr_i64(braid_mpr_t *m, int64_t *v) {
  braid_rd_t r;
  head_t h;
  int rc = read_int(m, &r, &h);
  if (rc != 0) return rc;
  if (!h.neg && h.u > (uint64_t)INT64_MAX) return BRAID_EMALFORMED;
  *v = h.neg ? h.i : (int64_t)h.u;
  m->rd = r;
  return 0;
}

int braid_mpr_u32(braid_mpr_t *m, uint32_t *v) {
  braid_mpr_t copy = *m;
  uint64_t u;
  int rc = braid_mpr_u64(&copy, &u);
  if (rc != 0) return rc;
  if (u > UINT32_MAX) return BRAID_EMALFORMED;
  *v = (uint32_t)u;
  *m = copy;
  return 0;
}

int braid_mpr_i32(braid_mpr_t *m, int32_t *v) {
  braid_mpr_t copy = *m;
  int64_t i;
  int rc = braid_mpr_i64(&copy, &i);
  if (rc != 0) return rc;
  if (i < INT32_MIN || i > INT32_MAX) return BRAID_EMALFORMED;
  *v = (int32_t)i;
  *m = copy;
  return 0;
}

int braid_mpr_bool(braid_mpr_t *m, bool *v) {
  braid_rd_t r;
  head_t h;
  int rc = read_typed(m, &r, BRAID_MPR_BOOL, &h);
  if (rc != 0) return rc;
  *v = h.u != 0;
  m->rd = r;
  return 0;
}

int braid_mpr_nil(braid_mpr_t *m) {
  braid_rd_t r;
  head_t h;
  int rc = read_typed(m, &r, BRAID_MPR_NIL, &h);
  if (rc == 0) m->rd = r;
  return rc;
}

/*
 * Iterative skip. left[k] counts the items still to skip at nesting level k
 * of the walk; level 0 holds the one item we were asked to skip. Opening a
 * container at walk level k + 1 puts it at depth (depth + k + 1) of the
 * message, which must stay <= BRAID_PROTO_MAX_DEPTH, so k + 1 <= room and
 * the stack never has more than BRAID_PROTO_MAX_DEPTH + 1 levels.
 */
int braid_mpr_skip(braid_mpr_t *m, unsigned depth) {
  uint64_t left[BRAID_PROTO_MAX_DEPTH + 1];
  /* Containers the walk may still open; written so that no sum overflows. */
  unsigned room = depth >= BRAID_PROTO_MAX_DEPTH ? 0 : BRAID_PROTO_MAX_DEPTH - depth;
  unsigned top = 0;
  braid_rd_t r = m->rd;
  left[0] = 1;
  for (;;) {
    while (left[top] == 0) {
      if (top == 0) {
        m->rd = r;
        return 0;
      }
      top--;
    }
    left[top]--;
    head_t h;
    int rc = read_head(&r, &h);
    if (rc != 0) return rc;
    switch (h.type) {
    case BRAID_MPR_ARRAY:
    case BRAID_MPR_MAP: {
      uint64_t items = h.type == BRAID_MPR_MAP ? 2 * h.n : h.n;
      if (top >= room) return BRAID_ETOOBIG;
      if (check_count(&r, items) != 0) return BRAID_ETRUNC;
      left[++top] = items;
      break;
    }
    case BRAID_MPR_STR:
    case BRAID_MPR_BIN:
    case BRAID_MPR_EXT:
    case BRAID_MPR_FLOAT:
      if (h.n > braid_rd_left(&r)) return BRAID_ETRUNC;
      (void)braid_rd_skip(&r, (size_t)h.n);
      break;
    default: /* nil, bool and integers have no payload beyond the header */
      break;
    }
  }
}
