#include "common/map.h"

#include <stdint.h>
#include <string.h>

#include "common/err.h"
#include "common/mem.h"

typedef struct entry {
  struct entry *next;
  void *value;
  size_t len;
  uint64_t hash;
  char key[]; /* len bytes + NUL */
} entry_t;

struct braid_map {
  entry_t **buckets;
  size_t nbuckets; /* power of two */
  size_t size;
};

/* FNV-1a: control-plane keys are short ids; adversarial collisions only cost
 * time bounded by the per-room limits. */
static uint64_t hash_key(const char *key, size_t len) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++) {
    h ^= (uint8_t)key[i];
    h *= 1099511628211ull;
  }
  return h;
}

braid_map_t *braid_map_new(void) {
  braid_map_t *m = braid_calloc(1, sizeof *m);
  if (m == NULL) return NULL;
  m->nbuckets = 16;
  m->buckets = braid_calloc(m->nbuckets, sizeof *m->buckets);
  if (m->buckets == NULL) {
    braid_free(m);
    return NULL;
  }
  return m;
}

void braid_map_free(braid_map_t *m) {
  if (m == NULL) return;
  for (size_t b = 0; b < m->nbuckets; b++) {
    entry_t *e = m->buckets[b];
    while (e != NULL) {
      entry_t *next = e->next;
      braid_free(e);
      e = next;
    }
  }
  braid_free(m->buckets);
  braid_free(m);
}

static entry_t **find_slot(const braid_map_t *m, const char *key, size_t len, uint64_t h) {
  entry_t **pp = &m->buckets[h & (m->nbuckets - 1)];
  for (; *pp != NULL; pp = &(*pp)->next) {
    if ((*pp)->hash == h && (*pp)->len == len && memcmp((*pp)->key, key, len) == 0) return pp;
  }
  return pp;
}

void *braid_map_get(const braid_map_t *m, const char *key, size_t len) {
  entry_t **pp = find_slot(m, key, len, hash_key(key, len));
  return *pp ? (*pp)->value : NULL;
}

static int grow(braid_map_t *m) {
  size_t n = m->nbuckets * 2;
  entry_t **nb = braid_calloc(n, sizeof *nb);
  if (nb == NULL) return BRAID_ENOMEM;
  for (size_t b = 0; b < m->nbuckets; b++) {
    entry_t *e = m->buckets[b];
    while (e != NULL) {
      entry_t *next = e->next;
      e->next = nb[e->hash & (n - 1)];
      nb[e->hash & (n - 1)] = e;
      e = next;
    }
  }
  braid_free(m->buckets);
  m->buckets = nb;
  m->nbuckets = n;
  return 0;
}

int braid_map_put(braid_map_t *m, const char *key, size_t len, void *value) {
  uint64_t h = hash_key(key, len);
  entry_t **pp = find_slot(m, key, len, h);
  if (*pp != NULL) {
    (*pp)->value = value;
    return 0;
  }
  if (m->size >= m->nbuckets && grow(m) == 0) pp = find_slot(m, key, len, h);
  entry_t *e = braid_malloc(sizeof *e + len + 1);
  if (e == NULL) return BRAID_ENOMEM;
  e->next = NULL;
  e->value = value;
  e->len = len;
  e->hash = h;
  memcpy(e->key, key, len);
  e->key[len] = '\0';
  *pp = e;
  m->size++;
  return 0;
}

void *braid_map_del(braid_map_t *m, const char *key, size_t len) {
  entry_t **pp = find_slot(m, key, len, hash_key(key, len));
  entry_t *e = *pp;
  if (e == NULL) return NULL;
  void *v = e->value;
  *pp = e->next;
  braid_free(e);
  m->size--;
  return v;
}

size_t braid_map_size(const braid_map_t *m) { return m->size; }

void braid_map_iter_init(braid_map_iter_t *it, const braid_map_t *m) {
  it->map = m;
  it->bucket = 0;
  it->entry = NULL;
}

int braid_map_iter_next(braid_map_iter_t *it, const char **key, size_t *len, void **value) {
  const braid_map_t *m = it->map;
  /* it->entry holds the entry after the one returned last, saved before the
   * caller could delete that one. */
  entry_t *e = it->entry;
  while (e == NULL && it->bucket < m->nbuckets) e = m->buckets[it->bucket++];
  if (e == NULL) return 0;
  it->entry = e->next;
  if (key) *key = e->key;
  if (len) *len = e->len;
  if (value) *value = e->value;
  return 1;
}
