#include "common/opt.h"

#include <stdlib.h>

#include "common/err.h"
#include "tests/test.h"

typedef struct cfg {
  const char *redis;
  long port;
  bool json;
} cfg_t;

static int parse(cfg_t *c, int argc, char **argv) {
  const braid_opt_t opts[] = {
      {"redis", "BRAID_T_REDIS", BRAID_OPT_STR, &c->redis, "URL", "redis"},
      {"port", "BRAID_T_PORT", BRAID_OPT_INT, &c->port, "N", "port"},
      {"json", "BRAID_T_JSON", BRAID_OPT_BOOL, &c->json, NULL, "json"},
  };
  return braid_opt_parse(opts, 3, argc, argv, "t", "test");
}

BRAID_TEST(defaults_env_and_flags) {
  cfg_t c = {"redis://default", 1, false};
  char *argv0[] = {"t", NULL};
  ASSERT_EQ(parse(&c, 1, argv0), 0);
  ASSERT_STR_EQ(c.redis, "redis://default");
  setenv("BRAID_T_PORT", "7", 1);
  setenv("BRAID_T_REDIS", "redis://env", 1);
  ASSERT_EQ(parse(&c, 1, argv0), 0);
  ASSERT_EQ(c.port, 7);
  ASSERT_STR_EQ(c.redis, "redis://env");
  char *argv1[] = {"t", "--redis", "redis://flag", "--port=9", "--json", NULL};
  ASSERT_EQ(parse(&c, 5, argv1), 0);
  ASSERT_STR_EQ(c.redis, "redis://flag"); /* flag beats environment */
  ASSERT_EQ(c.port, 9);
  ASSERT(c.json);
  char *argv2[] = {"t", "--json=false", NULL};
  ASSERT_EQ(parse(&c, 2, argv2), 0);
  ASSERT(!c.json);
}

BRAID_TEST(errors) {
  cfg_t c = {0};
  char *unknown[] = {"t", "--nope", NULL};
  ASSERT_EQ(parse(&c, 2, unknown), BRAID_EINVAL);
  char *missing[] = {"t", "--redis", NULL};
  ASSERT_EQ(parse(&c, 2, missing), BRAID_EINVAL);
  char *notint[] = {"t", "--port", "12x", NULL};
  ASSERT_EQ(parse(&c, 3, notint), BRAID_EINVAL);
  char *stray[] = {"t", "stray", NULL};
  ASSERT_EQ(parse(&c, 2, stray), BRAID_EINVAL);
  char *help[] = {"t", "--help", NULL};
  ASSERT_EQ(parse(&c, 2, help), 1);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(defaults_env_and_flags) BRAID_TEST_ENTRY(errors))
