/* Unit tests of the DTLS identity, mediad/sec/dtls_cert.c: fingerprint
 * parsing (annotated vectors, every truncation, corruptions), the generated
 * certificate, its fingerprints, and PEM loading. */
#include "mediad/sec/dtls_cert.h"

#include <ctype.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "common/err.h"
#include "tests/test.h"

/* One certificate per test binary (generation takes milliseconds); made
 * before main() so that every forked test inherits it. */
static braid_dtls_cert_t *cert;

__attribute__((constructor)) static void make_cert(void) {
  if (braid_dtls_cert_new(&cert) != 0) {
    fprintf(stderr, "cannot make the test certificate\n");
    abort();
  }
}

__attribute__((destructor)) static void free_cert(void) { braid_dtls_cert_free(cert); }

static X509 *cert_x509(const braid_dtls_cert_t *c) {
  return SSL_CTX_get0_certificate(braid__dtls_cert_ssl_ctx(c));
}

/* sha-256 fingerprint (RFC 8122 §5), one byte per line. */
static const char sha256_text[] = "00:" /* byte 0 */
                                  "01:" /* byte 1 */
                                  "23:" /* byte 2 */
                                  "45:" /* byte 3 */
                                  "67:" /* byte 4 */
                                  "89:" /* byte 5 */
                                  "AB:" /* byte 6 */
                                  "CD:" /* byte 7 */
                                  "EF:" /* byte 8 */
                                  "FE:" /* byte 9 */
                                  "DC:" /* byte 10 */
                                  "BA:" /* byte 11 */
                                  "98:" /* byte 12 */
                                  "76:" /* byte 13 */
                                  "54:" /* byte 14 */
                                  "32:" /* byte 15 */
                                  "10:" /* byte 16 */
                                  "0F:" /* byte 17 */
                                  "F0:" /* byte 18 */
                                  "11:" /* byte 19 */
                                  "22:" /* byte 20 */
                                  "33:" /* byte 21 */
                                  "44:" /* byte 22 */
                                  "55:" /* byte 23 */
                                  "66:" /* byte 24 */
                                  "77:" /* byte 25 */
                                  "88:" /* byte 26 */
                                  "99:" /* byte 27 */
                                  "AA:" /* byte 28 */
                                  "BB:" /* byte 29 */
                                  "CC:" /* byte 30 */
                                  "FF"; /* byte 31, no colon after the last */
static const uint8_t sha256_bytes[32] = {
    0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32,
    0x10, 0x0f, 0xf0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xff};

static int parse(const char *alg, const char *value, size_t len, braid_dtls_digest_t *d,
                 const char **why) {
  return braid_dtls_cert_parse_fingerprint(d, braid_str_c(alg), (braid_str_t){value, len}, why);
}

BRAID_TEST(parse_sha256) {
  braid_dtls_digest_t d;
  const char *why = NULL;
  ASSERT_EQ(parse("sha-256", sha256_text, strlen(sha256_text), &d, &why), 0);
  ASSERT_EQ(d.hash, BRAID_DTLS_HASH_SHA256);
  ASSERT_EQ(d.len, 32);
  ASSERT_MEM_EQ(d.bytes, sha256_bytes, 32);
  ASSERT(why == NULL);
}

BRAID_TEST(parse_lowercase_and_algorithm_case) {
  char lower[sizeof(sha256_text)];
  for (size_t i = 0; i < sizeof(sha256_text); i++)
    lower[i] = (char)tolower(sha256_text[i]);
  braid_dtls_digest_t d;
  ASSERT_EQ(parse("SHA-256", lower, strlen(lower), &d, NULL), 0);
  ASSERT_MEM_EQ(d.bytes, sha256_bytes, 32);
}

BRAID_TEST(parse_sha1) {
  static const char text[] = "01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14";
  braid_dtls_digest_t d;
  ASSERT_EQ(parse("sha-1", text, strlen(text), &d, NULL), 0);
  ASSERT_EQ(d.hash, BRAID_DTLS_HASH_SHA1);
  ASSERT_EQ(d.len, 20);
  for (int i = 0; i < 20; i++)
    ASSERT_EQ(d.bytes[i], i + 1);
  /* The right length for sha-1 is too short for sha-256. */
  ASSERT_EQ(parse("sha-256", text, strlen(text), &d, NULL), BRAID_ETRUNC);
}

BRAID_TEST(parse_every_truncation) {
  braid_dtls_digest_t d;
  for (size_t n = 0; n < strlen(sha256_text); n++) {
    const char *why = NULL;
    int rc = parse("sha-256", sha256_text, n, &d, &why);
    if (rc != BRAID_ETRUNC) BRAID_TEST_FAIL("prefix of %zu chars: rc %d", n, rc);
    ASSERT(why != NULL);
  }
}

BRAID_TEST(parse_too_long) {
  char text[sizeof(sha256_text) + 3];
  const char *why = NULL;
  braid_dtls_digest_t d;
  snprintf(text, sizeof(text), "%s:00", sha256_text);
  ASSERT_EQ(parse("sha-256", text, strlen(text), &d, &why), BRAID_ETOOBIG);
  ASSERT(why != NULL);
  /* A trailing colon is one more byte announced. */
  snprintf(text, sizeof(text), "%s:", sha256_text);
  ASSERT_EQ(parse("sha-256", text, strlen(text), &d, NULL), BRAID_ETOOBIG);
}

BRAID_TEST(parse_every_corruption) {
  braid_dtls_digest_t d;
  size_t n = strlen(sha256_text);
  for (size_t i = 0; i < n; i++) {
    static const char bad[] = {'G', 'g', ' ', '-', '\0', ':', 'x'};
    for (size_t b = 0; b < sizeof(bad); b++) {
      char text[sizeof(sha256_text)];
      memcpy(text, sha256_text, sizeof(text));
      if (text[i] == bad[b]) continue;
      text[i] = bad[b];
      const char *why = NULL;
      int rc = parse("sha-256", text, n, &d, &why);
      if (rc != BRAID_EMALFORMED) BRAID_TEST_FAIL("char %zu -> 0x%02x: rc %d", i, bad[b], rc);
      ASSERT(why != NULL);
    }
  }
}

BRAID_TEST(parse_unknown_algorithm) {
  braid_dtls_digest_t d;
  const char *why = NULL;
  static const char *const names[] = {"md5", "md2", "sha-257", "sha256", "", "sha-2560", "sha-"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    why = NULL;
    ASSERT_EQ(parse(names[i], sha256_text, strlen(sha256_text), &d, &why), BRAID_EUNKNOWN);
    ASSERT(why != NULL);
  }
}

BRAID_TEST(hash_names) {
  static const char *const want[] = {"sha-1", "sha-224", "sha-384", "sha-512", "sha-256"};
  for (int h = 0; h < BRAID_DTLS_HASH_COUNT; h++) {
    braid_dtls_hash_t back;
    ASSERT_STR_EQ(braid_dtls_cert_hash_name((braid_dtls_hash_t)h), want[h]);
    ASSERT_EQ(braid_dtls_cert_hash_from_name(braid_str_c(want[h]), &back), 0);
    ASSERT_EQ(back, h);
  }
  ASSERT(braid_dtls_cert_hash_name(BRAID_DTLS_HASH_COUNT) == NULL);
  ASSERT(braid_dtls_cert_hash_name((braid_dtls_hash_t)-1) == NULL);
}

/* Checks the shape of every fingerprint of c and that each is the digest of
 * c's certificate. */
static void check_fingerprints(const braid_dtls_cert_t *c) {
  static const char *const order[] = {"sha-1", "sha-224", "sha-384", "sha-512", "sha-256"};
  static const size_t lens[] = {20, 28, 48, 64, 32};
  const braid_dtls_fingerprint_t *fps = braid_dtls_cert_fingerprints(c);
  for (int h = 0; h < BRAID_DTLS_HASH_COUNT; h++) {
    const char *v = fps[h].value;
    ASSERT_STR_EQ(fps[h].algorithm, order[h]);
    ASSERT_EQ(strlen(v), lens[h] * 3 - 1);
    for (size_t i = 0; v[i] != '\0'; i++) {
      if (i % 3 == 2) {
        ASSERT_EQ(v[i], ':');
      } else {
        ASSERT(isdigit((unsigned char)v[i]) || (v[i] >= 'A' && v[i] <= 'F'));
      }
    }
    braid_dtls_digest_t parsed, direct;
    ASSERT_EQ(parse(fps[h].algorithm, v, strlen(v), &parsed, NULL), 0);
    ASSERT_EQ(braid__dtls_cert_digest(cert_x509(c), (braid_dtls_hash_t)h, &direct), 0);
    ASSERT_EQ(parsed.len, direct.len);
    ASSERT_MEM_EQ(parsed.bytes, direct.bytes, direct.len);
  }
  /* sha-256 is last: mediasoup-client uses the last one. */
  ASSERT_STR_EQ(fps[BRAID_DTLS_HASH_COUNT - 1].algorithm, "sha-256");
}

BRAID_TEST(generated_fingerprints) { check_fingerprints(cert); }

BRAID_TEST(generated_certificate) {
  X509 *x = cert_x509(cert);
  ASSERT(x != NULL);
  ASSERT_EQ(X509_get_version(x), X509_VERSION_3);
  /* ECDSA P-256, self-signed with SHA-256. */
  EVP_PKEY *pub = X509_get0_pubkey(x);
  ASSERT(pub != NULL);
  ASSERT(EVP_PKEY_is_a(pub, "EC"));
  char group[32];
  size_t glen = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(pub, group, sizeof(group), &glen), 1);
  ASSERT_STR_EQ(group, "prime256v1");
  ASSERT_EQ(X509_verify(x, pub), 1);
  ASSERT_EQ(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
  ASSERT_EQ(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);
  /* CN: 16 hex digits. */
  char cn[64];
  ASSERT_EQ(X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn)),
            16);
  for (int i = 0; i < 16; i++)
    ASSERT(isxdigit((unsigned char)cn[i]));
  /* Serial: positive, non-zero. */
  const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
  ASSERT_EQ(ASN1_STRING_type(serial), V_ASN1_INTEGER);
  ASSERT(ASN1_STRING_length(serial) >= 1 && ASN1_STRING_length(serial) <= 8);
  /* Validity: one day back, BRAID_DTLS_CERT_VALID_DAYS ahead (a minute of
   * slack for the time between generation and the test). */
  time_t now = time(NULL);
  int days = 0, secs = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x), X509_get0_notAfter(x)), 1);
  ASSERT_EQ(days, BRAID_DTLS_CERT_VALID_DAYS + 1);
  ASSERT(X509_cmp_time(X509_get0_notBefore(x), &now) < 0);
  time_t later = now + (BRAID_DTLS_CERT_VALID_DAYS - 1) * 86400L;
  ASSERT(X509_cmp_time(X509_get0_notAfter(x), &later) > 0);
}

BRAID_TEST(two_certificates_differ) {
  braid_dtls_cert_t *other = NULL;
  ASSERT_EQ(braid_dtls_cert_new(&other), 0);
  X509 *a = cert_x509(cert), *b = cert_x509(other);
  ASSERT(ASN1_INTEGER_cmp(X509_get0_serialNumber(a), X509_get0_serialNumber(b)) != 0);
  ASSERT(X509_NAME_cmp(X509_get_subject_name(a), X509_get_subject_name(b)) != 0);
  ASSERT(strcmp(braid_dtls_cert_fingerprints(cert)[BRAID_DTLS_HASH_SHA256].value,
                braid_dtls_cert_fingerprints(other)[BRAID_DTLS_HASH_SHA256].value) != 0);
  braid_dtls_cert_free(other);
}

/* Writes x and key as PEM files under dir; returns 0 or -1. */
static int write_pem(const char *dir, X509 *x, EVP_PKEY *key, char *cert_path, char *key_path) {
  snprintf(cert_path, 256, "%s/cert.pem", dir);
  snprintf(key_path, 256, "%s/key.pem", dir);
  FILE *f = fopen(cert_path, "w");
  if (f == NULL) return -1;
  int ok = PEM_write_X509(f, x);
  fclose(f);
  f = fopen(key_path, "w");
  if (f == NULL) return -1;
  ok &= PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
  fclose(f);
  return ok == 1 ? 0 : -1;
}

static void make_tmpdir(char *dir, size_t size) {
  snprintf(dir, size, "/tmp/braid-dtls-cert-XXXXXX");
  ASSERT(mkdtemp(dir) != NULL);
}

static void remove_tmpdir(const char *dir, const char *a, const char *b) {
  unlink(a);
  unlink(b);
  rmdir(dir);
}

BRAID_TEST(pem_round_trip) {
  char dir[64], cert_path[256], key_path[256];
  make_tmpdir(dir, sizeof(dir));
  EVP_PKEY *key = SSL_CTX_get0_privatekey(braid__dtls_cert_ssl_ctx(cert));
  ASSERT_EQ(write_pem(dir, cert_x509(cert), key, cert_path, key_path), 0);
  braid_dtls_cert_t *loaded = NULL;
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, cert_path, key_path), 0);
  for (int h = 0; h < BRAID_DTLS_HASH_COUNT; h++)
    ASSERT_STR_EQ(braid_dtls_cert_fingerprints(loaded)[h].value,
                  braid_dtls_cert_fingerprints(cert)[h].value);
  check_fingerprints(loaded);
  braid_dtls_cert_free(loaded);
  remove_tmpdir(dir, cert_path, key_path);
}

BRAID_TEST(pem_rsa) {
  char dir[64], cert_path[256], key_path[256];
  make_tmpdir(dir, sizeof(dir));
  EVP_PKEY *rsa = EVP_RSA_gen(2048);
  ASSERT(rsa != NULL);
  X509 *x = X509_new();
  ASSERT(x != NULL);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                             (const unsigned char *)"rsa", -1, -1, 0);
  X509_set_issuer_name(x, X509_get_subject_name(x));
  X509_set_pubkey(x, rsa);
  ASSERT(X509_sign(x, rsa, EVP_sha256()) > 0);
  ASSERT_EQ(write_pem(dir, x, rsa, cert_path, key_path), 0);
  braid_dtls_cert_t *loaded = NULL;
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, cert_path, key_path), 0);
  check_fingerprints(loaded);
  braid_dtls_cert_free(loaded);
  /* The RSA certificate with the EC key of the process: mismatch. */
  char other_cert[256], other_key[256];
  ASSERT_EQ(write_pem(dir, x, SSL_CTX_get0_privatekey(braid__dtls_cert_ssl_ctx(cert)), other_cert,
                      other_key),
            0);
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, other_cert, other_key), BRAID_EINVAL);
  X509_free(x);
  EVP_PKEY_free(rsa);
  remove_tmpdir(dir, cert_path, key_path);
}

BRAID_TEST(pem_errors) {
  char dir[64], cert_path[256], key_path[256], junk[300];
  make_tmpdir(dir, sizeof(dir));
  EVP_PKEY *key = SSL_CTX_get0_privatekey(braid__dtls_cert_ssl_ctx(cert));
  ASSERT_EQ(write_pem(dir, cert_x509(cert), key, cert_path, key_path), 0);
  braid_dtls_cert_t *loaded = NULL;
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, "/nonexistent/c.pem", key_path), BRAID_EIO);
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, cert_path, "/nonexistent/k.pem"), BRAID_EIO);
  /* A key file given as the certificate and the reverse. */
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, key_path, key_path), BRAID_EMALFORMED);
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, cert_path, cert_path), BRAID_EMALFORMED);
  snprintf(junk, sizeof(junk), "%s/junk.pem", dir);
  FILE *f = fopen(junk, "w");
  ASSERT(f != NULL);
  fputs("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n", f);
  fclose(f);
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, junk, key_path), BRAID_EMALFORMED);
  ASSERT(loaded == NULL);
  unlink(junk);
  remove_tmpdir(dir, cert_path, key_path);
}

BRAID_TEST(free_null) { braid_dtls_cert_free(NULL); }

// clang-format off
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(parse_sha256)
    BRAID_TEST_ENTRY(parse_lowercase_and_algorithm_case)
    BRAID_TEST_ENTRY(parse_sha1)
    BRAID_TEST_ENTRY(parse_every_truncation)
    BRAID_TEST_ENTRY(parse_too_long)
    BRAID_TEST_ENTRY(parse_every_corruption)
    BRAID_TEST_ENTRY(parse_unknown_algorithm)
    BRAID_TEST_ENTRY(hash_names)
    BRAID_TEST_ENTRY(generated_fingerprints)
    BRAID_TEST_ENTRY(generated_certificate)
    BRAID_TEST_ENTRY(two_certificates_differ)
    BRAID_TEST_ENTRY(pem_round_trip)
    BRAID_TEST_ENTRY(pem_rsa)
    BRAID_TEST_ENTRY(pem_errors)
    BRAID_TEST_ENTRY(free_null))
// clang-format on
