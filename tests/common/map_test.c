#include "common/map.h"

#include <stdio.h>

#include "tests/test.h"

BRAID_TEST(put_get_del) {
  braid_map_t *m = braid_map_new();
  int a = 1, b = 2;
  ASSERT_EQ(braid_map_put(m, "a", 1, &a), 0);
  ASSERT_EQ(braid_map_put(m, "b", 1, &b), 0);
  ASSERT(braid_map_get(m, "a", 1) == &a);
  ASSERT(braid_map_get(m, "b", 1) == &b);
  ASSERT(braid_map_get(m, "c", 1) == NULL);
  ASSERT_EQ(braid_map_put(m, "a", 1, &b), 0); /* replace */
  ASSERT(braid_map_get(m, "a", 1) == &b);
  ASSERT_EQ(braid_map_size(m), 2);
  ASSERT(braid_map_del(m, "a", 1) == &b);
  ASSERT(braid_map_del(m, "a", 1) == NULL);
  ASSERT_EQ(braid_map_size(m), 1);
  braid_map_free(m);
}

BRAID_TEST(binary_keys) {
  braid_map_t *m = braid_map_new();
  uint64_t k1 = 1, k2 = 1ull << 40;
  int v;
  ASSERT_EQ(braid_map_put(m, (const char *)&k1, sizeof k1, &v), 0);
  ASSERT(braid_map_get(m, (const char *)&k2, sizeof k2) == NULL);
  ASSERT(braid_map_get(m, (const char *)&k1, sizeof k1) == &v);
  braid_map_free(m);
}

BRAID_TEST(grow_and_iterate_with_deletion) {
  braid_map_t *m = braid_map_new();
  static int vals[1000];
  char key[16];
  for (int i = 0; i < 1000; i++) {
    snprintf(key, sizeof key, "k%d", i);
    vals[i] = i;
    ASSERT_EQ(braid_map_put(m, key, strlen(key), &vals[i]), 0);
  }
  ASSERT_EQ(braid_map_size(m), 1000);
  for (int i = 0; i < 1000; i++) {
    snprintf(key, sizeof key, "k%d", i);
    ASSERT(braid_map_get(m, key, strlen(key)) == &vals[i]);
  }
  /* Delete every entry while iterating: each is seen exactly once. */
  braid_map_iter_t it;
  const char *k;
  size_t klen;
  void *v;
  int seen = 0;
  braid_map_iter_init(&it, m);
  while (braid_map_iter_next(&it, &k, &klen, &v)) {
    ASSERT(braid_map_del(m, k, klen) == v);
    seen++;
  }
  ASSERT_EQ(seen, 1000);
  ASSERT_EQ(braid_map_size(m), 0);
  braid_map_free(m);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(put_get_del) BRAID_TEST_ENTRY(binary_keys)
                    BRAID_TEST_ENTRY(grow_and_iterate_with_deletion))
