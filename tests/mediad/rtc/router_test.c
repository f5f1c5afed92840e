#include "mediad/rtc/router.h"

#include "common/err.h"
#include "tests/test.h"

BRAID_TEST(create_is_idempotent) {
  braid_router_registry_t *reg = braid_router_registry_new();
  braid_router_t *a, *b;
  bool created;
  ASSERT_EQ(braid_router_create(reg, BRAID_STR_LIT("r1"), BRAID_STR_LIT("room"), &a, &created), 0);
  ASSERT(created);
  ASSERT_EQ(braid_router_create(reg, BRAID_STR_LIT("r1"), BRAID_STR_LIT("room"), &b, &created), 0);
  ASSERT(!created);
  ASSERT(a == b);
  ASSERT_EQ(braid_router_count(reg), 1);
  ASSERT_EQ(braid_router_create(reg, BRAID_STR_LIT("r1"), BRAID_STR_LIT("other"), &b, &created), BRAID_EEXIST);
  ASSERT_STR_EQ(a->room_id, "room");
  braid_router_registry_free(reg);
}

BRAID_TEST(close_and_limits) {
  braid_router_registry_t *reg = braid_router_registry_new();
  braid_router_t *r;
  bool created;
  char longid[200];
  memset(longid, 'x', sizeof longid);
  ASSERT_EQ(braid_router_create(reg, (braid_str_t){longid, sizeof longid}, BRAID_STR_LIT("room"), &r, &created),
            BRAID_ETOOBIG);
  ASSERT_EQ(braid_router_create(reg, BRAID_STR_LIT("r1"), BRAID_STR_LIT("room"), &r, &created), 0);
  ASSERT_EQ(braid_router_create(reg, BRAID_STR_LIT("r2"), BRAID_STR_LIT("room"), &r, &created), 0);
  ASSERT(braid_router_find(reg, BRAID_STR_LIT("r2")) == r);
  ASSERT_EQ(braid_router_close(reg, BRAID_STR_LIT("r1")), 0);
  ASSERT_EQ(braid_router_close(reg, BRAID_STR_LIT("r1")), BRAID_ENOTFOUND);
  ASSERT(braid_router_find(reg, BRAID_STR_LIT("r1")) == NULL);
  ASSERT_EQ(braid_router_count(reg), 1);
  braid_router_registry_free(reg);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(create_is_idempotent) BRAID_TEST_ENTRY(close_and_limits))
