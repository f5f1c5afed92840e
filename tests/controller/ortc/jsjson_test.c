/*
 * Tests of controller/ortc/jsjson.c: the JS rules for key order, number
 * formatting, String(), ToNumber() and `>` that mediasoup's output and
 * messages depend on. Expected values are what node 20 prints.
 */
#include "controller/ortc/jsjson.h"

#include <math.h>

#include "common/err.h"
#include "tests/test.h"

static json_t *parse(const char *text) {
  json_error_t jerr;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
  if (v == NULL) BRAID_TEST_FAIL("bad test JSON: %s", jerr.text);
  return v;
}

static void expect_dumps(const char *in, const char *want) {
  json_t *v = parse(in);
  char *got = braid_ortc_jsjson_dumps(v);
  ASSERT_STR_EQ(got, want);
  free(got);
  json_decref(v);
}

BRAID_TEST(numbers_as_js_prints_them) {
  static const struct {
    double d;
    const char *js;
  } cases[] = {
      {0.1, "0.1"},
      {0.30000000000000004, "0.30000000000000004"},
      {1.5, "1.5"},
      {-2.25, "-2.25"},
      {100, "100"},
      {-0.0, "0"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {123456789012345680000.0, "123456789012345680000"},
      {1e-6, "0.000001"},
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {9007199254740993.0, "9007199254740992"},
      {0.000123, "0.000123"},
      {123.456, "123.456"},
      {NAN, "NaN"},
      {INFINITY, "Infinity"},
      {-INFINITY, "-Infinity"},
  };
  char buf[BRAID_ORTC_JSJSON_NUM_MAX];
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    ASSERT_STR_EQ(braid_ortc_jsjson_number(cases[i].d, buf), cases[i].js);
}

BRAID_TEST(dumps_is_json_stringify) {
  /* Reals that are integers print without a fraction; large integers are
   * rounded to a double first, as JSON.parse would have done. */
  expect_dumps("[1.0, -0.0, 0.1, 1e3, 9007199254740993, -9007199254740993]",
               "[1,0,0.1,1000,9007199254740992,-9007199254740992]");
  /* Escapes: ", \, the short forms, other control characters in lower-case
   * \u00xx, and nothing else (not /, not U+2028). */
  expect_dumps("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\\u2028\\u00e9\"",
               "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xe2\x80\xa8\xc3\xa9\"");
  expect_dumps("{\"a\":[],\"b\":{},\"c\":[true,false,null]}",
               "{\"a\":[],\"b\":{},\"c\":[true,false,null]}");
  ASSERT(braid_ortc_jsjson_dumps(NULL) == NULL);
}

BRAID_TEST(js_key_order) {
  json_t *v = parse("{\"b\":1,\"10\":2,\"a\":{\"z\":0,\"2\":1,\"1\":2},\"9\":3,\"01\":4,"
                    "\"4294967295\":5,\"4294967294\":6,\"0\":7,\"-1\":8,\"x\":[{\"3\":0,\"y\":1,"
                    "\"0\":2}]}");
  ASSERT_EQ(braid_ortc_jsjson_js_order(v), 0);
  char *got = braid_ortc_jsjson_dumps(v);
  ASSERT_STR_EQ(got, "{\"0\":7,\"9\":3,\"10\":2,\"4294967294\":6,\"b\":1,\"a\":{\"1\":2,\"2\":1,"
                     "\"z\":0},\"01\":4,\"4294967295\":5,\"-1\":8,\"x\":[{\"0\":2,\"3\":0,"
                     "\"y\":1}]}");
  free(got);
  json_decref(v);
  /* Already in order: nothing moves; scalars and NULL are fine. */
  v = parse("{\"1\":1,\"2\":2,\"a\":3}");
  ASSERT_EQ(braid_ortc_jsjson_js_order(v), 0);
  expect_dumps("{\"1\":1,\"2\":2,\"a\":3}", "{\"1\":1,\"2\":2,\"a\":3}");
  json_decref(v);
  ASSERT_EQ(braid_ortc_jsjson_js_order(NULL), 0);
}

static void expect_string(const char *in, const char *want) {
  json_t *v = parse(in);
  char buf[64];
  ASSERT_STR_EQ(braid_ortc_jsjson_to_string(v, buf, sizeof(buf)), want);
  json_decref(v);
}

BRAID_TEST(string_of_values) {
  expect_string("\"abc\"", "abc");
  expect_string("96.5", "96.5");
  expect_string("1e21", "1e+21");
  expect_string("null", "null");
  expect_string("true", "true");
  expect_string("{\"a\":1}", "[object Object]");
  expect_string("[1,[2,null],\"x\",{}]", "1,2,,x,[object Object]");
  expect_string("[]", "");
  char buf[4];
  ASSERT_STR_EQ(braid_ortc_jsjson_to_string(NULL, buf, sizeof(buf)), "und"); /* truncated */
}

static double num(const char *in) {
  json_t *v = parse(in);
  double d = braid_ortc_jsjson_to_number(v);
  json_decref(v);
  return d;
}

BRAID_TEST(to_number) {
  ASSERT(num("\" 12 \"") == 12);
  ASSERT(num("\"\"") == 0);
  ASSERT(num("\"\\u00a0\\n\"") == 0);
  ASSERT(num("\"0x1F\"") == 31);
  ASSERT(num("\"0b101\"") == 5);
  ASSERT(num("\"0o17\"") == 15);
  ASSERT(isnan(num("\"-0x10\"")));
  ASSERT(num("\"-1.5e3\"") == -1500);
  ASSERT(num("\".5\"") == 0.5);
  ASSERT(num("\"5.\"") == 5);
  ASSERT(isnan(num("\".\"")));
  ASSERT(isnan(num("\"1e\"")));
  ASSERT(isnan(num("\"12px\"")));
  ASSERT(isnan(num("\"inf\"")));
  ASSERT(isinf(num("\"-Infinity\"")) && num("\"-Infinity\"") < 0);
  ASSERT(num("true") == 1);
  ASSERT(num("null") == 0);
  ASSERT(num("[]") == 0);
  ASSERT(num("[\"7\"]") == 7);
  ASSERT(isnan(num("[1,2]")));
  ASSERT(isnan(num("{}")));
  ASSERT(isnan(braid_ortc_jsjson_to_number(NULL)));
}

static bool gt(const char *a, const char *b) {
  json_t *x = parse(a), *y = parse(b);
  bool r = braid_ortc_jsjson_greater(x, y);
  json_decref(x);
  json_decref(y);
  return r;
}

BRAID_TEST(greater_than) {
  ASSERT(gt("2", "1"));
  ASSERT(!gt("1", "1"));
  ASSERT(gt("\"900\"", "\"1000\"")); /* two strings compare as text */
  ASSERT(!gt("\"900\"", "1000"));    /* a string and a number as numbers */
  ASSERT(gt("[2000000]", "500000"));
  ASSERT(!gt("\"abc\"", "0")); /* NaN */
  ASSERT(gt("\"b\"", "\"abc\""));
  ASSERT(gt("\"ab\"", "\"a\""));
  ASSERT(!gt("{}", "0"));
  ASSERT(gt("true", "0"));
  /* UTF-16 order: U+FF21 is above the surrogates of U+1F600. */
  ASSERT(gt("\"\\uff21\"", "\"\\ud83d\\ude00\""));
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(numbers_as_js_prints_them)
                    BRAID_TEST_ENTRY(dumps_is_json_stringify) BRAID_TEST_ENTRY(js_key_order)
                        BRAID_TEST_ENTRY(string_of_values) BRAID_TEST_ENTRY(to_number)
                            BRAID_TEST_ENTRY(greater_than))
