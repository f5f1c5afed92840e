#include <ctype.h>

#include "common/err.h"
#include "common/id.h"
#include "common/str.h"
#include "tests/test.h"

BRAID_TEST(str_copy) {
  char dst[4];
  ASSERT_EQ(braid_str_copy(dst, sizeof dst, BRAID_STR_LIT("abc")), 0);
  ASSERT_STR_EQ(dst, "abc");
  ASSERT_EQ(braid_str_copy(dst, sizeof dst, BRAID_STR_LIT("abcd")), BRAID_ETOOBIG);
  ASSERT_STR_EQ(dst, "");
  ASSERT(braid_str_eq(BRAID_STR_LIT("x"), "x"));
  ASSERT(!braid_str_eq(BRAID_STR_LIT("x"), "xy"));
  ASSERT(braid_str_eq(braid_str_c(""), ""));
  ASSERT(braid_str_is_id(BRAID_STR_LIT("ctl-a.1_B")));
  ASSERT(!braid_str_is_id(BRAID_STR_LIT("")));
  ASSERT(!braid_str_is_id(BRAID_STR_LIT("a:b")));
  ASSERT(!braid_str_is_id((braid_str_t){"a\0b", 3}));
}

BRAID_TEST(uuid_shape) {
  char a[BRAID_UUID_STRLEN + 1], b[BRAID_UUID_STRLEN + 1];
  braid_id_uuid(a);
  braid_id_uuid(b);
  ASSERT_EQ(strlen(a), 36);
  ASSERT(strcmp(a, b) != 0);
  ASSERT(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
  ASSERT(a[14] == '4');
  ASSERT(strchr("89ab", a[19]) != NULL);
}

BRAID_TEST(random_string_and_range) {
  char s[33];
  braid_id_random_string(s, 32);
  ASSERT_EQ(strlen(s), 32);
  for (int i = 0; i < 32; i++) ASSERT(isdigit((unsigned char)s[i]) || islower((unsigned char)s[i]));
  for (int i = 0; i < 1000; i++) {
    uint32_t v = braid_id_random_u32(100000000, 1000000000);
    ASSERT(v >= 100000000 && v < 1000000000);
  }
}

BRAID_TEST(strerror_covers_codes) {
  ASSERT_STR_EQ(braid_strerror(BRAID_ETRUNC), "truncated input");
  ASSERT_STR_EQ(braid_strerror(BRAID_ERR(ENOENT)), "No such file or directory");
  ASSERT(braid_err_is_input(BRAID_EMALFORMED));
  ASSERT(braid_err_is_fatal(BRAID_ENOMEM));
  ASSERT(!braid_err_is_fatal(BRAID_ESTATE));
}

BRAID_TEST(str_printable) {
  char out[8];
  ASSERT_STR_EQ(braid_str_printable(out, sizeof out, "chat"), "chat");
  ASSERT_STR_EQ(braid_str_printable(out, sizeof out, "a\nb\"\\\x1b"), "a?b???");
  ASSERT_STR_EQ(braid_str_printable(out, sizeof out, "abcdefghij"), "abcdefg");
  /* "abcde" then é (2 bytes) fits whole; then € (3 bytes) does not. */
  ASSERT_STR_EQ(braid_str_printable(out, sizeof out, "abcde\xc3\xa9x"), "abcde\xc3\xa9");
  ASSERT_STR_EQ(braid_str_printable(out, sizeof out, "abcde\xe2\x82\xac"), "abcde");
  ASSERT_STR_EQ(braid_str_printable(out, 1, "abc"), "");
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(str_copy) BRAID_TEST_ENTRY(uuid_shape)
                    BRAID_TEST_ENTRY(random_string_and_range) BRAID_TEST_ENTRY(strerror_covers_codes)
                        BRAID_TEST_ENTRY(str_printable))
