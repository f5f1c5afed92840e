/*
 * A string-keyed hash map for control-plane objects (ids -> pointers).
 * Chained buckets, doubling at load factor 1. Keys are copied; values are
 * borrowed pointers the caller owns. Not for the per-packet path.
 */
#ifndef BRAID_COMMON_MAP_H
#define BRAID_COMMON_MAP_H

#include <stddef.h>

typedef struct braid_map braid_map_t;

typedef struct braid_map_iter {
  const braid_map_t *map;
  size_t bucket;
  void *entry; /* next entry to return, or NULL to scan from bucket */
} braid_map_iter_t;

/* Returns a new empty map, or NULL when out of memory. */
braid_map_t *braid_map_new(void);
/* Frees the map and its keys (not the values). */
void braid_map_free(braid_map_t *m);

/* Value for key (len bytes), or NULL. */
void *braid_map_get(const braid_map_t *m, const char *key, size_t len);
/* Sets key to value, replacing any previous value. Returns 0 or BRAID_ENOMEM. */
int braid_map_put(braid_map_t *m, const char *key, size_t len, void *value);
/* Removes key; returns its value, or NULL when absent. */
void *braid_map_del(braid_map_t *m, const char *key, size_t len);
size_t braid_map_size(const braid_map_t *m);

/* Iteration; the map must not change while iterating, except through
 * braid_map_del of the entry just returned.
 *   braid_map_iter_t it; braid_map_iter_init(&it, m);
 *   while (braid_map_iter_next(&it, &key, &klen, &val)) ... */
void braid_map_iter_init(braid_map_iter_t *it, const braid_map_t *m);
int braid_map_iter_next(braid_map_iter_t *it, const char **key, size_t *len, void **value);

#endif
