#include "controller/signaling/fields.h"

#include "tests/test.h"

BRAID_TEST(valid_and_absent) {
  json_t *d = json_pack("{sssos{}}", "displayName", "Ann", "flag", json_true(), "device");
  braid_fields_t f = {.method = "join"};
  const char *s;
  json_t *o;
  bool b = false;
  ASSERT(braid_fields_string(&f, d, "displayName", true, 100, &s));
  ASSERT_STR_EQ(s, "Ann");
  ASSERT(braid_fields_object(&f, d, "device", false, &o) && o != NULL);
  ASSERT(braid_fields_object(&f, d, "missing", false, &o) && o == NULL);
  ASSERT(braid_fields_bool(&f, d, "flag", true, &b) && b);
  ASSERT_STR_EQ(f.error, "");
  json_decref(d);
}

BRAID_TEST(errors_name_the_field) {
  json_t *d = json_pack("{siss}", "displayName", 5, "device", "x");
  braid_fields_t f = {.method = "join"};
  const char *s;
  json_t *o;
  ASSERT(!braid_fields_string(&f, d, "displayName", false, 100, &s));
  ASSERT_STR_EQ(f.error, "join: \"displayName\" must be a string");
  ASSERT(!braid_fields_object(&f, d, "device", false, &o));
  ASSERT_STR_EQ(f.error, "join: \"displayName\" must be a string"); /* first error kept */
  braid_fields_t g = {.method = "m"};
  ASSERT(!braid_fields_object(&g, d, "device", false, &o));
  ASSERT_STR_EQ(g.error, "m: \"device\" must be an object");
  braid_fields_t h = {.method = "m"};
  ASSERT(!braid_fields_string(&h, d, "nope", true, 10, &s));
  ASSERT_STR_EQ(h.error, "m: \"nope\" is required");
  json_decref(d);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(valid_and_absent) BRAID_TEST_ENTRY(errors_name_the_field))
