/*
 * Fuzzer for the msgpack reader, proto/mpr.c. For each item at the front of
 * the input:
 *   - braid_mpr_skip() and a walk with the typed readers must agree on the
 *     outcome and on where the item ends;
 *   - the typed integer readers must agree with each other on ranges;
 *   - when the item is accepted, msgpack-c's own unpacker must accept it
 *     with the same length (it has no depth limit below ours), and when
 *     skip meets 0xc1, msgpack-c must refuse it too;
 *   - the walk re-encodes the item with msgpack_packer; walking that again
 *     must give the same bytes (decode, encode, decode, compare).
 */
#include <msgpack.h>

#include "common/limits.h"
#include "fuzz/proto/fuzz_proto.h"
#include "proto/mpr.h"

static int buf_write(void *data, const char *p, size_t len) {
  return braid_buf_append(data, p, len) == 0 ? 0 : -1;
}

/* The typed integer readers agree with the value read as u64 or i64. */
static void check_ints(const braid_mpr_t *m, braid_mpr_type_t t) {
  braid_mpr_t c;
  uint64_t u;
  int64_t i;
  uint32_t u32;
  int32_t i32;
  if (t == BRAID_MPR_UINT) {
    c = *m;
    BRAID_ASSERT(braid_mpr_u64(&c, &u) == 0);
    c = *m;
    BRAID_ASSERT(braid_mpr_i64(&c, &i) == (u <= INT64_MAX ? 0 : BRAID_EMALFORMED));
    c = *m;
    BRAID_ASSERT(braid_mpr_u32(&c, &u32) == (u <= UINT32_MAX ? 0 : BRAID_EMALFORMED));
    c = *m;
    BRAID_ASSERT(braid_mpr_i32(&c, &i32) == (u <= INT32_MAX ? 0 : BRAID_EMALFORMED));
  } else {
    c = *m;
    BRAID_ASSERT(braid_mpr_i64(&c, &i) == 0 && i < 0);
    c = *m;
    BRAID_ASSERT(braid_mpr_u64(&c, &u) == BRAID_EMALFORMED);
    c = *m;
    BRAID_ASSERT(braid_mpr_u32(&c, &u32) == BRAID_EMALFORMED);
    c = *m;
    BRAID_ASSERT(braid_mpr_i32(&c, &i32) == (i >= INT32_MIN ? 0 : BRAID_EMALFORMED));
  }
  c = *m;
  BRAID_ASSERT(braid_mpr_str(&c, &(braid_str_t){0}) == BRAID_ETYPE);
}

static int walk(braid_mpr_t *m, unsigned depth, msgpack_packer *pk, braid_buf_t *out);

/* Walks the n items of a container. */
static int walk_items(braid_mpr_t *m, unsigned depth, uint64_t n, msgpack_packer *pk,
                      braid_buf_t *out) {
  for (uint64_t k = 0; k < n; k++) {
    int rc = walk(m, depth, pk, out);
    if (rc != 0) return rc;
  }
  return 0;
}

/* Reads one item (enclosed by depth containers) with the typed readers and
 * re-encodes it into out. Returns what braid_mpr_skip() would. */
static int walk(braid_mpr_t *m, unsigned depth, msgpack_packer *pk, braid_buf_t *out) {
  braid_mpr_type_t t;
  int rc = braid_mpr_peek(m, &t);
  if (rc != 0) return rc;
  switch (t) {
  case BRAID_MPR_NIL:
    BRAID_ASSERT(braid_mpr_nil(m) == 0);
    return msgpack_pack_nil(pk);
  case BRAID_MPR_BOOL: {
    bool b;
    BRAID_ASSERT(braid_mpr_bool(m, &b) == 0);
    return b ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
  }
  case BRAID_MPR_UINT:
  case BRAID_MPR_INT: {
    int64_t i;
    uint64_t u;
    check_ints(m, t);
    if (t == BRAID_MPR_INT) {
      BRAID_ASSERT(braid_mpr_i64(m, &i) == 0);
      return msgpack_pack_int64(pk, i);
    }
    BRAID_ASSERT(braid_mpr_u64(m, &u) == 0);
    return msgpack_pack_uint64(pk, u);
  }
  case BRAID_MPR_STR: {
    braid_str_t s;
    rc = braid_mpr_str(m, &s);
    if (rc != 0) return rc;
    msgpack_pack_str(pk, s.len);
    return msgpack_pack_str_body(pk, s.p, s.len);
  }
  case BRAID_MPR_BIN: {
    const uint8_t *p;
    size_t len;
    rc = braid_mpr_bin(m, &p, &len);
    if (rc != 0) return rc;
    msgpack_pack_bin(pk, len);
    return msgpack_pack_bin_body(pk, p, len);
  }
  case BRAID_MPR_FLOAT:
  case BRAID_MPR_EXT: {
    /* Copied through as they are. */
    const uint8_t *start = braid_mpr_pos(m);
    rc = braid_mpr_skip(m, depth);
    if (rc != 0) return rc;
    return braid_buf_append(out, start, (size_t)(braid_mpr_pos(m) - start));
  }
  case BRAID_MPR_ARRAY:
  case BRAID_MPR_MAP: {
    uint32_t n;
    if (depth >= BRAID_PROTO_MAX_DEPTH) return BRAID_ETOOBIG;
    if (t == BRAID_MPR_ARRAY) {
      rc = braid_mpr_array(m, &n);
      if (rc != 0) return rc;
      msgpack_pack_array(pk, n);
      return walk_items(m, depth + 1, n, pk, out);
    }
    rc = braid_mpr_map(m, &n);
    if (rc != 0) return rc;
    msgpack_pack_map(pk, n);
    return walk_items(m, depth + 1, 2 * (uint64_t)n, pk, out);
  }
  }
  BRAID_ASSERT(!"unknown type");
  return 0;
}

/* Walks the item at data into out; returns the code and sets *used. */
static int walk_all(const uint8_t *data, size_t size, braid_buf_t *out, size_t *used) {
  braid_mpr_t m;
  msgpack_packer pk;
  braid_mpr_init(&m, data, size);
  msgpack_packer_init(&pk, out, buf_write);
  int rc = walk(&m, 0, &pk, out);
  *used = (size_t)(braid_mpr_pos(&m) - data);
  return rc;
}

/* msgpack-c's verdict on the item at data. */
static void check_against_msgpack_c(const uint8_t *data, size_t size, int rc, size_t used) {
  msgpack_unpacked u;
  size_t off = 0;
  msgpack_unpacked_init(&u);
  msgpack_unpack_return ret = msgpack_unpack_next(&u, (const char *)data, size, &off);
  if (rc == 0) BRAID_ASSERT(ret == MSGPACK_UNPACK_SUCCESS && off == used);
  else BRAID_ASSERT(ret == MSGPACK_UNPACK_PARSE_ERROR); /* 0xc1 */
  msgpack_unpacked_destroy(&u);
}

static void check_item(const uint8_t *data, size_t size, size_t *used) {
  braid_mpr_t m;
  braid_mpr_init(&m, data, size);
  int rc = braid_mpr_skip(&m, 0);
  *used = rc == 0 ? (size_t)(braid_mpr_pos(&m) - data) : 0;
  if (rc != 0) BRAID_ASSERT(braid_mpr_left(&m) == size); /* reader left in place */

  braid_buf_t w1, w2;
  size_t used1, used2;
  braid_buf_init(&w1, 64 * size + 64);
  braid_buf_init(&w2, 64 * size + 64);
  int wrc = walk_all(data, size, &w1, &used1);
  BRAID_ASSERT(wrc == rc);
  if (rc == 0) BRAID_ASSERT(used1 == *used);
  /* Truncation is not checked against msgpack-c: it would allocate for
   * element counts we refuse up front. */
  if (rc == 0 || rc == BRAID_EMALFORMED) check_against_msgpack_c(data, size, rc, *used);
  if (rc == 0) {
    BRAID_ASSERT(walk_all(w1.data, w1.len, &w2, &used2) == 0);
    BRAID_ASSERT(used2 == w1.len);
    BRAID_ASSERT(w1.len == w2.len && memcmp(w1.data, w2.data, w1.len) == 0);
  }
  braid_buf_cleanup(&w1);
  braid_buf_cleanup(&w2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* Up to 16 items back to back. */
  for (int k = 0; k < 16 && size > 0; k++) {
    size_t used;
    check_item(data, size, &used);
    if (used == 0) break;
    data += used;
    size -= used;
  }
  return 0;
}
