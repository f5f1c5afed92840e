#include "controller/ortc/srtp_params.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/base64.h"
#include "common/err.h"
#include "common/id.h"

static const struct {
  const char *name;
  size_t master_len; /* key + salt */
} suites[] = {
    {"AEAD_AES_256_GCM", 32 + 12},
    {"AEAD_AES_128_GCM", 16 + 12},
    {"AES_CM_128_HMAC_SHA1_80", 16 + 14},
    {"AES_CM_128_HMAC_SHA1_32", 16 + 14},
};

size_t braid_ortc_srtp_master_len(const char *suite) {
  for (size_t i = 0; suite && i < sizeof suites / sizeof suites[0]; i++)
    if (strcmp(suites[i].name, suite) == 0) return suites[i].master_len;
  return 0;
}

int braid_ortc_srtp_params_check(const json_t *params, const char **suite, const char **key,
                                 char *err, size_t errlen) {
  uint8_t raw[64];
  if (!json_is_object(params)) {
    snprintf(err, errlen, "srtpParameters must be an object");
    return BRAID_EINVAL;
  }
  *suite = json_string_value(json_object_get(params, "cryptoSuite"));
  *key = json_string_value(json_object_get(params, "keyBase64"));
  size_t want = braid_ortc_srtp_master_len(*suite);
  if (want == 0) {
    snprintf(err, errlen, "invalid srtpParameters.cryptoSuite%s%s%s", *suite ? " \"" : "",
             *suite ? *suite : "", *suite ? "\"" : "");
    return BRAID_EINVAL;
  }
  if (*key == NULL) {
    snprintf(err, errlen, "missing srtpParameters.keyBase64");
    return BRAID_EINVAL;
  }
  ssize_t n = braid_base64_decode(*key, strlen(*key), raw, sizeof raw);
  if (n < 0) {
    snprintf(err, errlen, "srtpParameters.keyBase64 is not valid base64");
    return BRAID_EINVAL;
  }
  if ((size_t)n != want) {
    snprintf(err, errlen, "invalid key length for %s: %zd bytes, %zu expected", *suite, n, want);
    return BRAID_EINVAL;
  }
  return 0;
}

int braid_ortc_srtp_random_key(const char *suite, char out[BRAID_ORTC_SRTP_KEY_B64_MAX]) {
  uint8_t raw[64];
  size_t n = braid_ortc_srtp_master_len(suite);
  if (n == 0) return BRAID_EINVAL;
  braid_id_random_bytes(raw, n);
  return braid_base64_encode(raw, n, out, BRAID_ORTC_SRTP_KEY_B64_MAX) < 0 ? BRAID_EINVAL : 0;
}
