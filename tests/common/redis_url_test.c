#include "common/redis_url.h"

#include "common/err.h"
#include "tests/test.h"

BRAID_TEST(parses_forms) {
  braid_redis_url_t u;
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://127.0.0.1", NULL), 0);
  ASSERT_STR_EQ(u.host, "127.0.0.1");
  ASSERT_EQ(u.port, 6379);
  ASSERT_EQ(u.db, 0);
  ASSERT_STR_EQ(u.password, "");
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://:s3cret@redis.local:7000/2", NULL), 0);
  ASSERT_STR_EQ(u.host, "redis.local");
  ASSERT_EQ(u.port, 7000);
  ASSERT_EQ(u.db, 2);
  ASSERT_STR_EQ(u.password, "s3cret");
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://user:pw@h:1/", NULL), 0);
  ASSERT_STR_EQ(u.password, "pw");
}

BRAID_TEST(rejects_bad_urls) {
  braid_redis_url_t u;
  const char *why = NULL;
  ASSERT_EQ(braid_redis_url_parse(&u, "http://x", &why), BRAID_EINVAL);
  ASSERT(why != NULL);
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://", NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://h:0", NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://h:70000", NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://h:12a", NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://h/x", NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_redis_url_parse(&u, "redis://nopass@h", NULL), BRAID_EINVAL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parses_forms) BRAID_TEST_ENTRY(rejects_bad_urls))
