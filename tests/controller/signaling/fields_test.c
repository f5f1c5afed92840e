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

BRAID_TEST(numbers) {
  json_t *d = json_pack("{sisfsssf}", "spatialLayer", 2, "priority", 1.5, "name", "x", "big", 1e300);
  braid_fields_t f = {.method = "m"};
  double v = -1;
  ASSERT(braid_fields_number(&f, d, "spatialLayer", true, 0, 255, &v) && v == 2);
  ASSERT(braid_fields_number(&f, d, "priority", true, 1, 255, &v) && v == 1.5);
  v = -1;
  ASSERT(braid_fields_number(&f, d, "absent", false, 0, 1, &v) && v == -1);
  ASSERT_STR_EQ(f.error, "");
  ASSERT(!braid_fields_number(&f, d, "name", true, 0, 1, &v));
  ASSERT_STR_EQ(f.error, "m: \"name\" must be a number");
  braid_fields_t g = {.method = "m"};
  ASSERT(!braid_fields_number(&g, d, "big", true, 0, 255, &v));
  ASSERT_STR_EQ(g.error, "m: \"big\" is out of range");
  braid_fields_t h = {.method = "m"};
  ASSERT(!braid_fields_number(&h, d, "spatialLayer", true, 3, 255, &v));
  ASSERT_STR_EQ(h.error, "m: \"spatialLayer\" is out of range");
  braid_fields_t k = {.method = "m"};
  ASSERT(!braid_fields_number(&k, d, "absent", true, 0, 1, &v));
  ASSERT_STR_EQ(k.error, "m: \"absent\" is required");
  json_decref(d);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(valid_and_absent) BRAID_TEST_ENTRY(errors_name_the_field)
                    BRAID_TEST_ENTRY(numbers))
