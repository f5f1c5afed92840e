#include "common/buf.h"

#include "common/err.h"
#include "common/mem.h"
#include "tests/test.h"

BRAID_TEST(append_and_terminate) {
  braid_buf_t b;
  braid_buf_init(&b, 1024);
  ASSERT_EQ(braid_buf_append(&b, "abc", 3), 0);
  ASSERT_EQ(braid_buf_append(&b, "def", 3), 0);
  ASSERT_EQ(braid_buf_terminate(&b), 0);
  ASSERT_EQ(b.len, 6);
  ASSERT_STR_EQ((char *)b.data, "abcdef");
  braid_buf_reset(&b);
  ASSERT_EQ(b.len, 0);
  braid_buf_cleanup(&b);
}

BRAID_TEST(max_is_enforced) {
  braid_buf_t b;
  char big[100] = {0};
  braid_buf_init(&b, 150);
  ASSERT_EQ(braid_buf_append(&b, big, 100), 0);
  ASSERT_EQ(braid_buf_append(&b, big, 50), 0);
  ASSERT_EQ(braid_buf_append(&b, big, 1), BRAID_ETOOBIG);
  ASSERT_EQ(b.len, 150);
  ASSERT_EQ(braid_buf_reserve(&b, (size_t)-1), BRAID_ETOOBIG);
  braid_buf_cleanup(&b);
}

BRAID_TEST(terminate_empty) {
  braid_buf_t b;
  braid_buf_init(&b, 10);
  ASSERT_EQ(braid_buf_terminate(&b), 0);
  ASSERT_STR_EQ((char *)b.data, "");
  braid_buf_cleanup(&b);
}

static int fail_after;
static void *failing_realloc(void *p, size_t n) { return fail_after-- > 0 ? realloc(p, n) : NULL; }
static void *failing_malloc(size_t n) { return fail_after-- > 0 ? malloc(n) : NULL; }

BRAID_TEST(out_of_memory_is_reported) {
  braid_mem_hooks_t hooks = {failing_malloc, failing_realloc, free};
  braid_buf_t b;
  char data[600] = {0};
  fail_after = 1;
  braid_mem_set_hooks(&hooks);
  braid_buf_init(&b, 4096);
  ASSERT_EQ(braid_buf_append(&b, data, 10), 0);           /* first allocation */
  ASSERT_EQ(braid_buf_append(&b, data, 600), BRAID_ENOMEM); /* growth fails */
  ASSERT_EQ(b.len, 10);                                    /* nothing lost */
  braid_buf_cleanup(&b);
  braid_mem_set_hooks(NULL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(append_and_terminate) BRAID_TEST_ENTRY(max_is_enforced)
                    BRAID_TEST_ENTRY(terminate_empty) BRAID_TEST_ENTRY(out_of_memory_is_reported))
