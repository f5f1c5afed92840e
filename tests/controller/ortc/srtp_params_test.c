#include <string.h>

#include "common/base64.h"
#include "common/err.h"
#include "controller/ortc/srtp_params.h"
#include "tests/test.h"

BRAID_TEST(master_lengths) {
  ASSERT_EQ(braid_ortc_srtp_master_len("AEAD_AES_256_GCM"), 44);
  ASSERT_EQ(braid_ortc_srtp_master_len("AEAD_AES_128_GCM"), 28);
  ASSERT_EQ(braid_ortc_srtp_master_len("AES_CM_128_HMAC_SHA1_80"), 30);
  ASSERT_EQ(braid_ortc_srtp_master_len("AES_CM_128_HMAC_SHA1_32"), 30);
  ASSERT_EQ(braid_ortc_srtp_master_len("aes_cm_128_hmac_sha1_80"), 0);
  ASSERT_EQ(braid_ortc_srtp_master_len(NULL), 0);
}

BRAID_TEST(random_keys_have_the_suite_length) {
  const char *suites[] = {"AEAD_AES_256_GCM", "AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80",
                          "AES_CM_128_HMAC_SHA1_32"};
  char a[BRAID_ORTC_SRTP_KEY_B64_MAX], b[BRAID_ORTC_SRTP_KEY_B64_MAX];
  uint8_t raw[64];
  for (size_t i = 0; i < 4; i++) {
    ASSERT_EQ(braid_ortc_srtp_random_key(suites[i], a), 0);
    ASSERT_EQ(braid_ortc_srtp_random_key(suites[i], b), 0);
    ASSERT(strcmp(a, b) != 0);
    ASSERT_EQ(braid_base64_decode(a, strlen(a), raw, sizeof raw),
              (ssize_t)braid_ortc_srtp_master_len(suites[i]));
  }
  ASSERT_EQ(braid_ortc_srtp_random_key("NULL", a), BRAID_EINVAL);
}

static int check(const char *json, char *err, size_t errlen) {
  json_error_t jerr;
  json_t *params = json_loads(json, 0, &jerr);
  const char *suite = NULL, *key = NULL;
  int rc = braid_ortc_srtp_params_check(params, &suite, &key, err, errlen);
  json_decref(params);
  return rc;
}

BRAID_TEST(checks_what_a_client_sent) {
  char err[256];
  /* 30 bytes of 0x07, base64. */
  ASSERT_EQ(check("{\"cryptoSuite\":\"AES_CM_128_HMAC_SHA1_80\","
                  "\"keyBase64\":\"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\"}",
                  err, sizeof err),
            0);
  ASSERT_EQ(check("{\"cryptoSuite\":\"AEAD_AES_256_GCM\","
                  "\"keyBase64\":\"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\"}",
                  err, sizeof err),
            BRAID_EINVAL);
  ASSERT(strstr(err, "invalid key length for AEAD_AES_256_GCM: 30 bytes, 44 expected") != NULL);
  ASSERT_EQ(check("{\"cryptoSuite\":\"ROT13\",\"keyBase64\":\"AAAA\"}", err, sizeof err), BRAID_EINVAL);
  ASSERT(strstr(err, "invalid srtpParameters.cryptoSuite \"ROT13\"") != NULL);
  ASSERT_EQ(check("{\"keyBase64\":\"AAAA\"}", err, sizeof err), BRAID_EINVAL);
  ASSERT_EQ(check("{\"cryptoSuite\":\"AES_CM_128_HMAC_SHA1_32\"}", err, sizeof err), BRAID_EINVAL);
  ASSERT(strstr(err, "missing srtpParameters.keyBase64") != NULL);
  ASSERT_EQ(check("{\"cryptoSuite\":\"AES_CM_128_HMAC_SHA1_32\",\"keyBase64\":\"@@@@\"}", err,
                  sizeof err),
            BRAID_EINVAL);
  ASSERT(strstr(err, "not valid base64") != NULL);
  ASSERT_EQ(check("[1]", err, sizeof err), BRAID_EINVAL);
  ASSERT_EQ(braid_ortc_srtp_params_check(NULL, &(const char *){NULL}, &(const char *){NULL}, err,
                                         sizeof err),
            BRAID_EINVAL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(master_lengths) BRAID_TEST_ENTRY(random_keys_have_the_suite_length)
                    BRAID_TEST_ENTRY(checks_what_a_client_sent))
