/*
 * Fuzzer of braid_dtls_cert_parse_fingerprint() (mediad/sec/dtls_cert.c),
 * the parser of the fingerprints in connect's dtlsParameters.
 *
 * Input: "<algorithm> <value>" (split at the first space; no space: all of
 * it is the value, for "sha-256"). On success the digest is formatted back
 * ("AB:CD:...") and must equal the value, ignoring case; on failure the
 * code is in the malformed band with a reason.
 */
#include <ctype.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "mediad/sec/dtls_cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  const char *space = memchr(text, ' ', size);
  braid_str_t alg = BRAID_STR_LIT("sha-256"), value = {text, size};
  if (space != NULL) {
    alg = (braid_str_t){text, (size_t)(space - text)};
    value = (braid_str_t){space + 1, size - alg.len - 1};
  }
  braid_dtls_digest_t d;
  const char *why = NULL;
  int rc = braid_dtls_cert_parse_fingerprint(&d, alg, value, &why);
  if (rc != 0) {
    BRAID_ASSERT(braid_err_is_input(rc));
    BRAID_ASSERT(why != NULL);
    return 0;
  }
  braid_dtls_hash_t h;
  BRAID_ASSERT(braid_dtls_cert_hash_from_name(alg, &h) == 0 && h == d.hash);
  BRAID_ASSERT(d.len >= 20 && d.len <= BRAID_DTLS_DIGEST_MAX);
  BRAID_ASSERT(value.len == d.len * 3 - 1);
  static const char digits[] = "0123456789ABCDEF";
  for (size_t i = 0; i < d.len; i++) {
    BRAID_ASSERT(toupper((unsigned char)value.p[3 * i]) == digits[d.bytes[i] >> 4]);
    BRAID_ASSERT(toupper((unsigned char)value.p[3 * i + 1]) == digits[d.bytes[i] & 15]);
    if (i + 1 < d.len) BRAID_ASSERT(value.p[3 * i + 2] == ':');
  }
  return 0;
}
