#include <string.h>

#include "common/base64.h"
#include "tests/test.h"

/* RFC 4648 §10 test vectors. */
static const char *const vectors[][2] = {
    {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
};

BRAID_TEST(rfc4648_vectors) {
  char enc[32];
  uint8_t dec[32];
  for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
    const char *plain = vectors[i][0], *b64 = vectors[i][1];
    ASSERT_EQ(braid_base64_encode((const uint8_t *)plain, strlen(plain), enc, sizeof enc),
              (ssize_t)strlen(b64));
    ASSERT_STR_EQ(enc, b64);
    ASSERT_EQ(braid_base64_decode(b64, strlen(b64), dec, sizeof dec), (ssize_t)strlen(plain));
    ASSERT(memcmp(dec, plain, strlen(plain)) == 0);
  }
}

BRAID_TEST(what_decodes) {
  uint8_t out[16];
  /* Node's leniency on well-formed text: no padding, unused low bits. */
  ASSERT_EQ(braid_base64_decode("Zm9", 3, out, sizeof out), 2);
  ASSERT(memcmp(out, "fo", 2) == 0);
  ASSERT_EQ(braid_base64_decode("Zh==", 4, out, sizeof out), 1);
  ASSERT_EQ(out[0], 'f');
  ASSERT_EQ(braid_base64_decoded_len("Zm9vYmE", 7), 5);
  /* Errors, and nothing written. */
  memset(out, 0xee, sizeof out);
  ASSERT_EQ(braid_base64_decode("Z", 1, out, sizeof out), -1);        /* a lone character */
  ASSERT_EQ(braid_base64_decode("Zm9v!A==", 8, out, sizeof out), -1); /* outside the alphabet */
  ASSERT_EQ(braid_base64_decode("Zm9v-_==", 8, out, sizeof out), -1); /* base64url */
  ASSERT_EQ(braid_base64_decode("Zg==Zm9v", 8, out, sizeof out), -1); /* padding in the middle */
  ASSERT_EQ(braid_base64_decode("Z===", 4, out, sizeof out), -1);     /* three pads */
  ASSERT_EQ(braid_base64_decode("Zm=v", 4, out, sizeof out), -1);     /* pad before data */
  ASSERT_EQ(braid_base64_decode("Zm9=", 4, out, sizeof out), 2);
  ASSERT_EQ(braid_base64_decode("Zm9==", 5, out, sizeof out), -1);    /* too much padding */
  ASSERT_EQ(braid_base64_decode("Zm9vYmFy", 8, out, 5), -1);          /* output too small */
  ASSERT_EQ(out[2], 0xee);
}

BRAID_TEST(round_trip_binary) {
  uint8_t raw[44], back[44];
  char enc[BRAID_BASE64_LEN(44) + 1];
  for (size_t n = 0; n <= sizeof raw; n++) {
    for (size_t i = 0; i < n; i++) raw[i] = (uint8_t)(i * 37 + n);
    ASSERT_EQ(braid_base64_encode(raw, n, enc, sizeof enc), (ssize_t)BRAID_BASE64_LEN(n));
    ASSERT_EQ(braid_base64_decode(enc, strlen(enc), back, sizeof back), (ssize_t)n);
    ASSERT(memcmp(raw, back, n) == 0);
  }
  ASSERT_EQ(braid_base64_encode(raw, 3, enc, 4), -1); /* no room for the NUL */
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(rfc4648_vectors) BRAID_TEST_ENTRY(what_decodes)
                    BRAID_TEST_ENTRY(round_trip_binary))
