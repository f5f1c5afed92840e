/* Unit tests of the msgpack reader, proto/mpr.c. */
#include "proto/mpr.h"

#include "common/limits.h"
#include "tests/proto/proto_test.h"

/* Reads one item of in with reader fn into *v and checks the code and that
 * the reader moved past exactly the whole input (or not at all on error). */
#define READ(fn, in, v, want_rc)                                                                   \
  do {                                                                                             \
    braid_mpr_t m_;                                                                                \
    braid_mpr_init(&m_, (in), sizeof(in));                                                         \
    ASSERT_EQ(fn(&m_, (v)), (want_rc));                                                            \
    ASSERT_EQ(braid_mpr_left(&m_), (want_rc) == 0 ? 0 : sizeof(in));                               \
  } while (0)

BRAID_TEST(uint_every_encoding) {
  uint64_t v = 99;
  static const uint8_t fix0[] = {0x00}, fix127[] = {0x7f};
  static const uint8_t u8[] = {0xcc, 0xff};
  static const uint8_t u16[] = {0xcd, 0x12, 0x34};
  static const uint8_t u32[] = {0xce, 0x12, 0x34, 0x56, 0x78};
  static const uint8_t u64[] = {0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  static const uint8_t i8pos[] = {0xd0, 0x05}; /* signed encoding, positive value */
  static const uint8_t i64pos[] = {0xd3, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  READ(braid_mpr_u64, fix0, &v, 0);
  ASSERT_EQ(v, 0);
  READ(braid_mpr_u64, fix127, &v, 0);
  ASSERT_EQ(v, 127);
  READ(braid_mpr_u64, u8, &v, 0);
  ASSERT_EQ(v, 255);
  READ(braid_mpr_u64, u16, &v, 0);
  ASSERT_EQ(v, 0x1234);
  READ(braid_mpr_u64, u32, &v, 0);
  ASSERT_EQ(v, 0x12345678);
  READ(braid_mpr_u64, u64, &v, 0);
  ASSERT(v == UINT64_MAX);
  READ(braid_mpr_u64, i8pos, &v, 0);
  ASSERT_EQ(v, 5);
  READ(braid_mpr_u64, i64pos, &v, 0);
  ASSERT_EQ(v, INT64_MAX);
}

BRAID_TEST(int_every_encoding) {
  int64_t v = 99;
  static const uint8_t nfix1[] = {0xff}, nfix32[] = {0xe0};
  static const uint8_t i8[] = {0xd0, 0x80};
  static const uint8_t i16[] = {0xd1, 0xfe, 0x0c};
  static const uint8_t i32[] = {0xd2, 0x80, 0x00, 0x00, 0x00};
  static const uint8_t i64[] = {0xd3, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  static const uint8_t i64m1[] = {0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  static const uint8_t u32[] = {0xce, 0xff, 0xff, 0xff, 0xff};
  READ(braid_mpr_i64, nfix1, &v, 0);
  ASSERT_EQ(v, -1);
  READ(braid_mpr_i64, nfix32, &v, 0);
  ASSERT_EQ(v, -32);
  READ(braid_mpr_i64, i8, &v, 0);
  ASSERT_EQ(v, -128);
  READ(braid_mpr_i64, i16, &v, 0);
  ASSERT_EQ(v, -500);
  READ(braid_mpr_i64, i32, &v, 0);
  ASSERT_EQ(v, INT32_MIN);
  READ(braid_mpr_i64, i64, &v, 0);
  ASSERT_EQ(v, INT64_MIN);
  READ(braid_mpr_i64, i64m1, &v, 0);
  ASSERT_EQ(v, -1);
  READ(braid_mpr_i64, u32, &v, 0);
  ASSERT_EQ(v, UINT32_MAX);
}

BRAID_TEST(int_range_checks) {
  uint64_t u64;
  int64_t i64;
  uint32_t u32;
  int32_t i32;
  static const uint8_t minus1[] = {0xff};
  static const uint8_t u64max[] = {0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  static const uint8_t two32[] = {0xcf, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00};
  static const uint8_t u32max[] = {0xce, 0xff, 0xff, 0xff, 0xff};
  static const uint8_t i32min_minus1[] = {0xd3, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff};
  static const uint8_t i32max_plus1[] = {0xce, 0x80, 0x00, 0x00, 0x00};
  static const uint8_t i32min[] = {0xd2, 0x80, 0x00, 0x00, 0x00};
  READ(braid_mpr_u64, minus1, &u64, BRAID_EMALFORMED);
  READ(braid_mpr_u32, minus1, &u32, BRAID_EMALFORMED);
  READ(braid_mpr_i64, u64max, &i64, BRAID_EMALFORMED);
  READ(braid_mpr_u32, two32, &u32, BRAID_EMALFORMED);
  READ(braid_mpr_u32, u32max, &u32, 0);
  ASSERT_EQ(u32, UINT32_MAX);
  READ(braid_mpr_i32, i32min_minus1, &i32, BRAID_EMALFORMED);
  READ(braid_mpr_i32, i32max_plus1, &i32, BRAID_EMALFORMED);
  READ(braid_mpr_i32, i32min, &i32, 0);
  ASSERT_EQ(i32, INT32_MIN);
  READ(braid_mpr_i32, minus1, &i32, 0);
  ASSERT_EQ(i32, -1);
}

BRAID_TEST(wrong_types_are_refused) {
  uint64_t u;
  bool b;
  braid_str_t s;
  uint32_t n;
  static const uint8_t f32[] = {0xca, 0x3f, 0x80, 0x00, 0x00};
  static const uint8_t f64[] = {0xcb, 0, 0, 0, 0, 0, 0, 0, 0};
  static const uint8_t ext[] = {0xd4, 0x01, 0x02};
  static const uint8_t nil[] = {0xc0};
  static const uint8_t str[] = {0xa1, 'x'};
  static const uint8_t arr[] = {0x90};
  READ(braid_mpr_u64, f32, &u, BRAID_ETYPE);
  READ(braid_mpr_u64, f64, &u, BRAID_ETYPE);
  READ(braid_mpr_u64, ext, &u, BRAID_ETYPE);
  READ(braid_mpr_u64, nil, &u, BRAID_ETYPE);
  READ(braid_mpr_u64, str, &u, BRAID_ETYPE);
  READ(braid_mpr_bool, nil, &b, BRAID_ETYPE);
  READ(braid_mpr_str, arr, &s, BRAID_ETYPE);
  READ(braid_mpr_map, arr, &n, BRAID_ETYPE);
  READ(braid_mpr_array, str, &n, BRAID_ETYPE);
  braid_mpr_t m;
  braid_mpr_init(&m, str, sizeof str);
  ASSERT_EQ(braid_mpr_nil(&m), BRAID_ETYPE);
  braid_mpr_init(&m, nil, sizeof nil);
  ASSERT_EQ(braid_mpr_nil(&m), 0);
  ASSERT_EQ(braid_mpr_left(&m), 0);
}

BRAID_TEST(truncated_scalars) {
  uint64_t u;
  int64_t i;
  braid_str_t s;
  static const uint8_t u16[] = {0xcd, 0x12};
  static const uint8_t u64[] = {0xcf, 1, 2, 3, 4, 5, 6, 7};
  static const uint8_t i32[] = {0xd2, 1, 2};
  static const uint8_t s8hdr[] = {0xd9};
  static const uint8_t s8body[] = {0xd9, 0x03, 'a', 'b'};
  static const uint8_t fixstr[] = {0xa5, 'a'};
  static const uint8_t s32[] = {0xdb, 0xff, 0xff, 0xff, 0xff, 'a'};
  READ(braid_mpr_u64, u16, &u, BRAID_ETRUNC);
  READ(braid_mpr_u64, u64, &u, BRAID_ETRUNC);
  READ(braid_mpr_i64, i32, &i, BRAID_ETRUNC);
  READ(braid_mpr_str, s8hdr, &s, BRAID_ETRUNC);
  READ(braid_mpr_str, s8body, &s, BRAID_ETRUNC);
  READ(braid_mpr_str, fixstr, &s, BRAID_ETRUNC);
  READ(braid_mpr_str, s32, &s, BRAID_ETRUNC);
  braid_mpr_t m;
  braid_mpr_init(&m, NULL, 0);
  ASSERT_EQ(braid_mpr_u64(&m, &u), BRAID_ETRUNC);
  braid_mpr_type_t t;
  ASSERT_EQ(braid_mpr_peek(&m, &t), BRAID_ETRUNC);
  ASSERT_EQ(braid_mpr_skip(&m, 0), BRAID_ETRUNC);
}

BRAID_TEST(strings_and_binaries_are_views) {
  static const uint8_t fix[] = {0xa3, 'a', 'b', 'c'};
  static const uint8_t s8[] = {0xd9, 0x02, 'h', 'i'};
  static const uint8_t s16[] = {0xda, 0x00, 0x01, 'z'};
  static const uint8_t s32[] = {0xdb, 0x00, 0x00, 0x00, 0x00};
  static const uint8_t b8[] = {0xc4, 0x02, 0x00, 0xff};
  static const uint8_t b16[] = {0xc5, 0x00, 0x01, 0x07};
  static const uint8_t b32[] = {0xc6, 0x00, 0x00, 0x00, 0x00};
  braid_str_t s;
  READ(braid_mpr_str, fix, &s, 0);
  ASSERT(s.p == (const char *)fix + 1 && s.len == 3);
  READ(braid_mpr_str, s8, &s, 0);
  ASSERT(braid_str_eq(s, "hi") && s.p == (const char *)s8 + 2);
  READ(braid_mpr_str, s16, &s, 0);
  ASSERT(braid_str_eq(s, "z"));
  READ(braid_mpr_str, s32, &s, 0);
  ASSERT_EQ(s.len, 0);
  const uint8_t *p;
  size_t len;
  braid_mpr_t m;
  braid_mpr_init(&m, b8, sizeof b8);
  ASSERT_EQ(braid_mpr_bin(&m, &p, &len), 0);
  ASSERT(p == b8 + 2 && len == 2);
  braid_mpr_init(&m, b16, sizeof b16);
  ASSERT_EQ(braid_mpr_bin(&m, &p, &len), 0);
  ASSERT(p == b16 + 3 && len == 1);
  braid_mpr_init(&m, b32, sizeof b32);
  ASSERT_EQ(braid_mpr_bin(&m, &p, &len), 0);
  ASSERT_EQ(len, 0);
  braid_mpr_init(&m, fix, sizeof fix);
  ASSERT_EQ(braid_mpr_bin(&m, &p, &len), BRAID_ETYPE);
}

BRAID_TEST(container_headers) {
  uint32_t n;
  static const uint8_t fixmap[] = {0x81, 0xa1, 'k', 0x01};
  static const uint8_t map16[] = {0xde, 0x00, 0x01, 0x01, 0x02};
  static const uint8_t map32[] = {0xdf, 0x00, 0x00, 0x00, 0x00};
  static const uint8_t fixarr[] = {0x92, 0x01, 0x02};
  static const uint8_t arr16[] = {0xdc, 0x00, 0x02, 0xc0, 0xc0};
  static const uint8_t arr32[] = {0xdd, 0x00, 0x00, 0x00, 0x01, 0xc3};
  braid_mpr_t m;
  braid_mpr_init(&m, fixmap, sizeof fixmap);
  ASSERT_EQ(braid_mpr_map(&m, &n), 0);
  ASSERT_EQ(n, 1);
  ASSERT_EQ(braid_mpr_left(&m), 3);
  braid_mpr_init(&m, map16, sizeof map16);
  ASSERT_EQ(braid_mpr_map(&m, &n), 0);
  ASSERT_EQ(n, 1);
  READ(braid_mpr_map, map32, &n, 0);
  ASSERT_EQ(n, 0);
  braid_mpr_init(&m, fixarr, sizeof fixarr);
  ASSERT_EQ(braid_mpr_array(&m, &n), 0);
  ASSERT_EQ(n, 2);
  braid_mpr_init(&m, arr16, sizeof arr16);
  ASSERT_EQ(braid_mpr_array(&m, &n), 0);
  ASSERT_EQ(n, 2);
  braid_mpr_init(&m, arr32, sizeof arr32);
  ASSERT_EQ(braid_mpr_array(&m, &n), 0);
  ASSERT_EQ(n, 1);
  bool b = false;
  ASSERT_EQ(braid_mpr_bool(&m, &b), 0);
  ASSERT(b);
}

BRAID_TEST(counts_beyond_the_input_are_truncation) {
  uint32_t n;
  /* 2^32 - 1 elements announced in a few bytes: refused before any loop. */
  static const uint8_t arr32[] = {0xdd, 0xff, 0xff, 0xff, 0xff, 0x01};
  static const uint8_t map32[] = {0xdf, 0xff, 0xff, 0xff, 0xff, 0x01, 0x01};
  static const uint8_t fixmap2[] = {0x82, 0x01, 0x01, 0x01}; /* needs >= 4 bytes */
  READ(braid_mpr_array, arr32, &n, BRAID_ETRUNC);
  READ(braid_mpr_map, map32, &n, BRAID_ETRUNC);
  READ(braid_mpr_map, fixmap2, &n, BRAID_ETRUNC);
  braid_mpr_t m;
  braid_mpr_init(&m, arr32, sizeof arr32);
  ASSERT_EQ(braid_mpr_skip(&m, 0), BRAID_ETRUNC);
  ASSERT_EQ(braid_mpr_left(&m), sizeof arr32);
}

/* The type peek reports for every possible first byte. */
static braid_mpr_type_t expected_type(unsigned b) {
  if (b <= 0x7f || (b >= 0xcc && b <= 0xcf)) return BRAID_MPR_UINT;
  if (b <= 0x8f || b == 0xde || b == 0xdf) return BRAID_MPR_MAP;
  if (b <= 0x9f || b == 0xdc || b == 0xdd) return BRAID_MPR_ARRAY;
  if (b <= 0xbf || (b >= 0xd9 && b <= 0xdb)) return BRAID_MPR_STR;
  if (b >= 0xe0) return BRAID_MPR_INT;
  if (b == 0xc0) return BRAID_MPR_NIL;
  if (b == 0xc2 || b == 0xc3) return BRAID_MPR_BOOL;
  if (b >= 0xc4 && b <= 0xc6) return BRAID_MPR_BIN;
  if (b == 0xca || b == 0xcb) return BRAID_MPR_FLOAT;
  if (b >= 0xd0 && b <= 0xd3) return BRAID_MPR_UINT; /* followed by zeros below */
  return BRAID_MPR_EXT;                              /* 0xc7-0xc9, 0xd4-0xd8 */
}

BRAID_TEST(peek_every_first_byte) {
  for (unsigned b = 0; b < 256; b++) {
    uint8_t in[9] = {(uint8_t)b};
    braid_mpr_t m;
    braid_mpr_type_t t;
    braid_mpr_init(&m, in, sizeof in);
    int rc = braid_mpr_peek(&m, &t);
    if (b == 0xc1) {
      ASSERT_EQ(rc, BRAID_EMALFORMED);
      ASSERT_EQ(braid_mpr_skip(&m, 0), BRAID_EMALFORMED);
      continue;
    }
    ASSERT_EQ(rc, 0);
    if (t != expected_type(b)) BRAID_TEST_FAIL("byte 0x%02x: type %d", b, (int)t);
    ASSERT_EQ(braid_mpr_left(&m), sizeof in); /* peek does not move */
  }
}

BRAID_TEST(skip_every_kind) {
  static const uint8_t in[] = {
      0x00,                                     /* positive fixint */
      0xe0,                                     /* negative fixint */
      0xc0, 0xc2, 0xc3,                         /* nil, false, true */
      0xcc, 0x01, 0xcd, 0, 1, 0xce, 0, 0, 0, 1, /* uint 8/16/32 */
      0xcf, 0, 0, 0, 0, 0, 0, 0, 1,             /* uint 64 */
      0xd0, 0xff, 0xd1, 0, 1, 0xd2, 0, 0, 0, 1, /* int 8/16/32 */
      0xd3, 0, 0, 0, 0, 0, 0, 0, 1,             /* int 64 */
      0xca, 0x3f, 0x80, 0, 0,                   /* float 32: 1.0 */
      0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0,       /* float 64: 1.0 */
      0xa2, 'h', 'i',                           /* fixstr */
      0xd9, 1, 'a', 0xda, 0, 1, 'b',            /* str 8/16 */
      0xdb, 0, 0, 0, 1, 'c',                    /* str 32 */
      0xc4, 1, 9, 0xc5, 0, 1, 9,                /* bin 8/16 */
      0xc6, 0, 0, 0, 1, 9,                      /* bin 32 */
      0xd4, 1, 9,                               /* fixext 1: type 1, 1 byte */
      0xd5, 1, 9, 9,                            /* fixext 2 */
      0xd6, 1, 9, 9, 9, 9,                      /* fixext 4 */
      0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 0,       /* fixext 8 (timestamp 64) */
      0xd8, 1, 0, 0, 0, 0, 0, 0, 0, 0,          /* fixext 16 ... */
      0, 0, 0, 0, 0, 0, 0, 0,                   /* ... its last 8 bytes */
      0xc7, 2, 1, 9, 9,                         /* ext 8: 2 bytes */
      0xc8, 0, 1, 1, 9,                         /* ext 16: 1 byte */
      0xc9, 0, 0, 0, 0, 1,                      /* ext 32: 0 bytes */
      0x92, 0x01, 0x81, 0xa1, 'k', 0x90,        /* [1, {"k": []}] */
      0xdc, 0, 1, 0xc0, 0xdd, 0, 0, 0, 0,       /* array 16/32 */
      0xde, 0, 1, 0x01, 0x02,                   /* map 16 */
      0xdf, 0, 0, 0, 1, 0xa0, 0x80,             /* map 32: {"": {}} */
  };
  size_t items = 0;
  braid_mpr_t m;
  braid_mpr_init(&m, in, sizeof in);
  while (braid_mpr_left(&m) > 0) {
    if (braid_mpr_skip(&m, 0) != 0)
      BRAID_TEST_FAIL("skip failed at offset %zu", (size_t)(braid_mpr_pos(&m) - in));
    items++;
  }
  ASSERT_EQ(items, 35);
}

/* Every strict prefix of a nested value fails and leaves the reader put. */
BRAID_TEST(skip_truncations) {
  static const uint8_t in[] = {0x83, 0xa1, 'a', 0x92, 0xcb, 0, 0, 0, 0, 0, 0, 0, 0, 0xd4, 1, 2,
                               0xa1, 'b', 0xc7, 3, 7, 1, 2, 3, 0xa1, 'c', 0x81, 0xa0, 0xc4, 1, 0};
  for (size_t n = 0; n < sizeof in; n++) {
    uint8_t *c = proto_test_dup(in, n);
    braid_mpr_t m;
    braid_mpr_init(&m, c, n);
    ASSERT_EQ(braid_mpr_skip(&m, 0), BRAID_ETRUNC);
    ASSERT_EQ(braid_mpr_left(&m), n);
    free(c);
  }
  braid_mpr_t m;
  braid_mpr_init(&m, in, sizeof in);
  ASSERT_EQ(braid_mpr_skip(&m, 0), 0);
  ASSERT_EQ(braid_mpr_left(&m), 0);
}

BRAID_TEST(skip_depth_limit) {
  uint8_t in[BRAID_PROTO_MAX_DEPTH + 2];
  /* BRAID_PROTO_MAX_DEPTH nested arrays: [[[...[]...]]] is allowed. */
  for (int i = 0; i < BRAID_PROTO_MAX_DEPTH - 1; i++) in[i] = 0x91;
  in[BRAID_PROTO_MAX_DEPTH - 1] = 0x90;
  braid_mpr_t m;
  braid_mpr_init(&m, in, BRAID_PROTO_MAX_DEPTH);
  ASSERT_EQ(braid_mpr_skip(&m, 0), 0);
  /* The same value inside one more container is too deep. */
  braid_mpr_init(&m, in, BRAID_PROTO_MAX_DEPTH);
  ASSERT_EQ(braid_mpr_skip(&m, 1), BRAID_ETOOBIG);
  ASSERT_EQ(braid_mpr_left(&m), BRAID_PROTO_MAX_DEPTH);
  /* One more level at the top is too deep as well. */
  for (int i = 0; i < BRAID_PROTO_MAX_DEPTH; i++) in[i] = 0x91;
  in[BRAID_PROTO_MAX_DEPTH] = 0x90;
  braid_mpr_init(&m, in, BRAID_PROTO_MAX_DEPTH + 1);
  ASSERT_EQ(braid_mpr_skip(&m, 0), BRAID_ETOOBIG);
  /* A depth at or past the limit refuses any container, not scalars. */
  static const uint8_t scalar[] = {0x01}, empty[] = {0x80};
  braid_mpr_init(&m, scalar, 1);
  ASSERT_EQ(braid_mpr_skip(&m, (unsigned)-1), 0);
  braid_mpr_init(&m, empty, 1);
  ASSERT_EQ(braid_mpr_skip(&m, BRAID_PROTO_MAX_DEPTH), BRAID_ETOOBIG);
  braid_mpr_init(&m, empty, 1);
  ASSERT_EQ(braid_mpr_skip(&m, (unsigned)-1), BRAID_ETOOBIG);
  braid_mpr_init(&m, empty, 1);
  ASSERT_EQ(braid_mpr_skip(&m, BRAID_PROTO_MAX_DEPTH - 1), 0);
}

BRAID_TEST(skip_refuses_c1_inside) {
  static const uint8_t in[] = {0x92, 0x01, 0xc1};
  braid_mpr_t m;
  braid_mpr_init(&m, in, sizeof in);
  ASSERT_EQ(braid_mpr_skip(&m, 0), BRAID_EMALFORMED);
  ASSERT_EQ(braid_mpr_left(&m), sizeof in);
}

/* Values packed by msgpack-c read back through mpr. */
BRAID_TEST(reads_what_msgpack_c_writes) {
  static const int64_t ints[] = {0, 1, 127, 128, 255, 256, 65535, 65536, -1, -32, -33, -128,
                                 -129, -32768, -32769, INT32_MIN, INT64_MIN, INT64_MAX};
  proto_test_mb_t b;
  mb_init(&b);
  msgpack_pack_array(&b.pk, 4);
  msgpack_pack_array(&b.pk, sizeof ints / sizeof ints[0]);
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) msgpack_pack_int64(&b.pk, ints[i]);
  msgpack_pack_map(&b.pk, 1);
  mb_str_n(&b, 'k', 300); /* str 16 */
  msgpack_pack_bin_with_body(&b.pk, "\x01\x02", 2);
  msgpack_pack_double(&b.pk, 2.5);
  msgpack_pack_uint64(&b.pk, UINT64_MAX);

  braid_mpr_t m;
  uint32_t n;
  braid_mpr_init(&m, mb_data(&b), b.sb.size);
  ASSERT_EQ(braid_mpr_array(&m, &n), 0);
  ASSERT_EQ(n, 4);
  ASSERT_EQ(braid_mpr_array(&m, &n), 0);
  for (uint32_t i = 0; i < n; i++) {
    int64_t v;
    ASSERT_EQ(braid_mpr_i64(&m, &v), 0);
    ASSERT_EQ(v, ints[i]);
  }
  ASSERT_EQ(braid_mpr_map(&m, &n), 0);
  braid_str_t s;
  ASSERT_EQ(braid_mpr_str(&m, &s), 0);
  ASSERT_EQ(s.len, 300);
  const uint8_t *p;
  size_t len;
  ASSERT_EQ(braid_mpr_bin(&m, &p, &len), 0);
  ASSERT(len == 2 && p[1] == 2);
  braid_mpr_type_t t;
  ASSERT_EQ(braid_mpr_peek(&m, &t), 0);
  ASSERT_EQ(t, BRAID_MPR_FLOAT);
  ASSERT_EQ(braid_mpr_skip(&m, 1), 0);
  uint64_t u;
  ASSERT_EQ(braid_mpr_u64(&m, &u), 0);
  ASSERT(u == UINT64_MAX);
  ASSERT_EQ(braid_mpr_left(&m), 0);
  mb_destroy(&b);
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(uint_every_encoding)
    BRAID_TEST_ENTRY(int_every_encoding)
    BRAID_TEST_ENTRY(int_range_checks)
    BRAID_TEST_ENTRY(wrong_types_are_refused)
    BRAID_TEST_ENTRY(truncated_scalars)
    BRAID_TEST_ENTRY(strings_and_binaries_are_views)
    BRAID_TEST_ENTRY(container_headers)
    BRAID_TEST_ENTRY(counts_beyond_the_input_are_truncation)
    BRAID_TEST_ENTRY(peek_every_first_byte)
    BRAID_TEST_ENTRY(skip_every_kind)
    BRAID_TEST_ENTRY(skip_truncations)
    BRAID_TEST_ENTRY(skip_depth_limit)
    BRAID_TEST_ENTRY(skip_refuses_c1_inside)
    BRAID_TEST_ENTRY(reads_what_msgpack_c_writes))
