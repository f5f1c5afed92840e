/*
 * Hand-made and patched messages for the proto/ unit tests (included by
 * proto_test.h): a msgpack builder for hand-made, often deliberately wrong,
 * messages, and a patcher that changes one value of a valid message by
 * path, so that "the same valid message with exactly one thing wrong" is a
 * one-liner.
 */
#ifndef BRAID_TESTS_PROTO_PROTO_TEST_MSGPACK_H
#define BRAID_TESTS_PROTO_PROTO_TEST_MSGPACK_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/test.h"

/* A msgpack builder for hand-made (often deliberately wrong) messages,
 * using msgpack-c's own buffer. */
typedef struct proto_test_mb {
  msgpack_sbuffer sb;
  msgpack_packer pk;
} proto_test_mb_t;

static inline void mb_init(proto_test_mb_t *b) {
  msgpack_sbuffer_init(&b->sb);
  msgpack_packer_init(&b->pk, &b->sb, msgpack_sbuffer_write);
}

static inline void mb_destroy(proto_test_mb_t *b) { msgpack_sbuffer_destroy(&b->sb); }

static inline void mb_str(proto_test_mb_t *b, const char *s) {
  size_t n = strlen(s);
  msgpack_pack_str(&b->pk, n);
  msgpack_pack_str_body(&b->pk, s, n);
}

/* A string of n copies of c. */
static inline void mb_str_n(proto_test_mb_t *b, char c, size_t n) {
  char *s = malloc(n + 1);
  memset(s, c, n);
  s[n] = '\0';
  mb_str(b, s);
  free(s);
}

static inline void mb_kv_str(proto_test_mb_t *b, const char *k, const char *v) {
  mb_str(b, k);
  mb_str(b, v);
}

static inline void mb_kv_u64(proto_test_mb_t *b, const char *k, uint64_t v) {
  mb_str(b, k);
  msgpack_pack_uint64(&b->pk, v);
}

/* n arrays nested in one another, the innermost empty. */
static inline void mb_nested(proto_test_mb_t *b, int n) {
  for (int i = 0; i < n; i++) msgpack_pack_array(&b->pk, i + 1 < n ? 1 : 0);
}

static inline const uint8_t *mb_data(const proto_test_mb_t *b) {
  return (const uint8_t *)b->sb.data;
}

/* Starts a hand-made message: its map header of pairs, "v", "t". */
static inline void mb_begin(proto_test_mb_t *b, uint32_t pairs, uint64_t v, const char *type) {
  mb_init(b);
  msgpack_pack_map(&b->pk, pairs);
  mb_kv_u64(b, "v", v);
  mb_kv_str(b, "t", type);
}

/*
 * Patching a valid message: unpack it with msgpack-c into a tree of
 * msgpack_object, change one value (or remove or add a key) by path, and
 * pack it again. Paths are dot-separated: map keys, and element indexes
 * inside arrays ("codecs.0.pt"). This makes "the same valid message with
 * exactly one thing wrong" a one-liner.
 */
typedef struct proto_test_doc {
  msgpack_unpacked u; /* owns the tree (its zone) */
  msgpack_sbuffer sb; /* the packed result */
} proto_test_doc_t;

static inline void doc_load(proto_test_doc_t *d, const uint8_t *data, size_t len) {
  size_t off = 0;
  msgpack_unpacked_init(&d->u);
  msgpack_sbuffer_init(&d->sb);
  if (msgpack_unpack_next(&d->u, (const char *)data, len, &off) != MSGPACK_UNPACK_SUCCESS ||
      off != len)
    BRAID_TEST_FAIL("doc_load: not one msgpack item");
}

static inline void doc_free(proto_test_doc_t *d) {
  msgpack_unpacked_destroy(&d->u);
  msgpack_sbuffer_destroy(&d->sb);
}

/* The element of container o named by the segment seg[0..n), or NULL. */
static inline msgpack_object *doc_child(msgpack_object *o, const char *seg, size_t n) {
  if (o->type == MSGPACK_OBJECT_MAP) {
    for (uint32_t i = 0; i < o->via.map.size; i++) {
      msgpack_object *k = &o->via.map.ptr[i].key;
      if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
          memcmp(k->via.str.ptr, seg, n) == 0)
        return &o->via.map.ptr[i].val;
    }
  } else if (o->type == MSGPACK_OBJECT_ARRAY) {
    size_t idx = (size_t)strtoul(seg, NULL, 10);
    if (idx < o->via.array.size) return &o->via.array.ptr[idx];
  }
  return NULL;
}

/* Finds the container holding path's last segment; *last is that segment. */
static inline msgpack_object *doc_parent(proto_test_doc_t *d, const char *path,
                                         const char **last) {
  msgpack_object *o = &d->u.data;
  const char *seg = path;
  for (const char *dot; (dot = strchr(seg, '.')) != NULL; seg = dot + 1) {
    o = doc_child(o, seg, (size_t)(dot - seg));
    if (o == NULL) BRAID_TEST_FAIL("doc: no '%.*s' in '%s'", (int)(dot - seg), seg, path);
  }
  *last = seg;
  return o;
}

/* The value at path, or NULL. */
static inline msgpack_object *doc_get(proto_test_doc_t *d, const char *path) {
  const char *last;
  msgpack_object *parent = doc_parent(d, path, &last);
  return doc_child(parent, last, strlen(last));
}

/* Appends key (ignored for arrays) and v to the container parent, even if
 * the key is there already. */
static inline void doc_append(proto_test_doc_t *d, msgpack_object *parent, const char *key,
                              msgpack_object v) {
  if (parent->type == MSGPACK_OBJECT_MAP) {
    uint32_t n = parent->via.map.size;
    msgpack_object_kv *kv = msgpack_zone_malloc(d->u.zone, (n + 1) * sizeof *kv);
    size_t klen = strlen(key);
    char *k = msgpack_zone_malloc(d->u.zone, klen + 1);
    if (kv == NULL || k == NULL) BRAID_TEST_FAIL("out of memory");
    memcpy(k, key, klen + 1);
    if (n > 0) memcpy(kv, parent->via.map.ptr, n * sizeof *kv);
    kv[n].key.type = MSGPACK_OBJECT_STR;
    kv[n].key.via.str.ptr = k;
    kv[n].key.via.str.size = (uint32_t)klen;
    kv[n].val = v;
    parent->via.map.ptr = kv;
    parent->via.map.size = n + 1;
  } else if (parent->type == MSGPACK_OBJECT_ARRAY) {
    uint32_t n = parent->via.array.size;
    msgpack_object *el = msgpack_zone_malloc(d->u.zone, (n + 1) * sizeof *el);
    if (el == NULL) BRAID_TEST_FAIL("out of memory");
    if (n > 0) memcpy(el, parent->via.array.ptr, n * sizeof *el);
    el[n] = v;
    parent->via.array.ptr = el;
    parent->via.array.size = n + 1;
  } else {
    BRAID_TEST_FAIL("doc: parent of '%s' is not a container", key);
  }
}

/* Sets the value at path: replaces it, or appends the key (or element). */
static inline void doc_set(proto_test_doc_t *d, const char *path, msgpack_object v) {
  const char *last;
  msgpack_object *parent = doc_parent(d, path, &last);
  msgpack_object *o = doc_child(parent, last, strlen(last));
  if (o != NULL) *o = v;
  else doc_append(d, parent, last, v);
}

/* Appends key = v at path's container even if key exists (a duplicate). */
static inline void doc_add(proto_test_doc_t *d, const char *path, msgpack_object v) {
  const char *last;
  msgpack_object *parent = doc_parent(d, path, &last);
  doc_append(d, parent, last, v);
}

/* Removes the key (or element) at path, which must exist. */
static inline void doc_del(proto_test_doc_t *d, const char *path) {
  const char *last;
  msgpack_object *parent = doc_parent(d, path, &last);
  msgpack_object *o = doc_child(parent, last, strlen(last));
  if (o == NULL) BRAID_TEST_FAIL("doc: no '%s'", path);
  if (parent->type == MSGPACK_OBJECT_MAP) {
    msgpack_object_kv *kv = (msgpack_object_kv *)((char *)o - offsetof(msgpack_object_kv, val));
    size_t after = (size_t)(parent->via.map.ptr + parent->via.map.size - kv - 1);
    memmove(kv, kv + 1, after * sizeof *kv);
    parent->via.map.size--;
  } else {
    size_t after = (size_t)(parent->via.array.ptr + parent->via.array.size - o - 1);
    memmove(o, o + 1, after * sizeof *o);
    parent->via.array.size--;
  }
}

/* Packs the tree; the bytes stay valid until the next doc_pack or doc_free. */
static inline const uint8_t *doc_pack(proto_test_doc_t *d, size_t *len) {
  msgpack_packer pk;
  msgpack_sbuffer_clear(&d->sb);
  msgpack_packer_init(&pk, &d->sb, msgpack_sbuffer_write);
  if (msgpack_pack_object(&pk, d->u.data) != 0) BRAID_TEST_FAIL("doc_pack failed");
  *len = d->sb.size;
  return (const uint8_t *)d->sb.data;
}

/* msgpack_object values for doc_set(). Strings made by mo_str_n() live in
 * the doc's zone. */
static inline msgpack_object mo_u(uint64_t v) {
  msgpack_object o = {.type = MSGPACK_OBJECT_POSITIVE_INTEGER};
  o.via.u64 = v;
  return o;
}

static inline msgpack_object mo_i(int64_t v) {
  if (v >= 0) return mo_u((uint64_t)v);
  msgpack_object o = {.type = MSGPACK_OBJECT_NEGATIVE_INTEGER};
  o.via.i64 = v;
  return o;
}

static inline msgpack_object mo_bool(bool v) {
  msgpack_object o = {.type = MSGPACK_OBJECT_BOOLEAN};
  o.via.boolean = v;
  return o;
}

static inline msgpack_object mo_nil(void) { return (msgpack_object){.type = MSGPACK_OBJECT_NIL}; }

static inline msgpack_object mo_str(const char *s) {
  msgpack_object o = {.type = MSGPACK_OBJECT_STR};
  o.via.str.ptr = s;
  o.via.str.size = (uint32_t)strlen(s);
  return o;
}

static inline msgpack_object mo_str_n(proto_test_doc_t *d, char c, size_t n) {
  char *s = msgpack_zone_malloc(d->u.zone, n + 1);
  if (s == NULL) BRAID_TEST_FAIL("out of memory");
  memset(s, c, n);
  s[n] = '\0';
  msgpack_object o = {.type = MSGPACK_OBJECT_STR};
  o.via.str.ptr = s;
  o.via.str.size = (uint32_t)n;
  return o;
}

/* An empty map or array. */
static inline msgpack_object mo_map0(void) { return (msgpack_object){.type = MSGPACK_OBJECT_MAP}; }
static inline msgpack_object mo_array0(void) {
  return (msgpack_object){.type = MSGPACK_OBJECT_ARRAY};
}

#endif
