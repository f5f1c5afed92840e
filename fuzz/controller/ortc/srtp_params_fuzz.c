/*
 * Fuzzer for what a broadcaster's connect() brings as SRTP parameters: the
 * input as JSON through braid_ortc_srtp_params_check(), and as raw text
 * through the base64 decoder. Invariants: an accepted key decodes to
 * exactly its suite's length; whatever decodes encodes back to the same
 * text (the decoder accepts only canonical base64); every refusal has a
 * message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/base64.h"
#include "controller/ortc/srtp_params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t raw[256];
  char back[BRAID_BASE64_LEN(sizeof raw) + 1];
  uint8_t again[256];
  ssize_t n = braid_base64_decode((const char *)data, size, raw, sizeof raw);
  if (n >= 0) {
    ssize_t m = braid_base64_encode(raw, (size_t)n, back, sizeof back);
    if (braid_base64_decoded_len((const char *)data, size) != n || m < 0 ||
        braid_base64_decode(back, (size_t)m, again, sizeof again) != n || memcmp(raw, again, (size_t)n) != 0)
      abort();
  }
  json_error_t jerr;
  json_t *params = json_loadb((const char *)data, size, 0, &jerr);
  if (params != NULL) {
    const char *suite = NULL, *key = NULL;
    char err[256] = "";
    if (braid_ortc_srtp_params_check(params, &suite, &key, err, sizeof err) == 0) {
      n = braid_base64_decode(key, strlen(key), raw, sizeof raw);
      if (n < 0 || (size_t)n != braid_ortc_srtp_master_len(suite)) abort();
    } else if (err[0] == '\0') {
      abort();
    }
    json_decref(params);
  }
  return 0;
}
