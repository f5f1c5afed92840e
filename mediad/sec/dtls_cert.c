/*
 * The process's DTLS identity (see dtls_cert.h): key, certificate,
 * fingerprints and the shared SSL_CTX.
 */
#include "mediad/sec/dtls_cert.h"

#include <strings.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "common/err.h"
#include "common/mem.h"

struct braid_dtls_cert {
  EVP_PKEY *pkey; /* owned */
  X509 *x509;     /* owned */
  SSL_CTX *ctx;   /* owned; holds its own references to pkey and x509 */
  braid_dtls_fingerprint_t fingerprints[BRAID_DTLS_HASH_COUNT];
};

static const struct {
  const char *name;
  size_t len;
} hashes[BRAID_DTLS_HASH_COUNT] = {
    [BRAID_DTLS_HASH_SHA1] = {"sha-1", 20},     [BRAID_DTLS_HASH_SHA224] = {"sha-224", 28},
    [BRAID_DTLS_HASH_SHA384] = {"sha-384", 48}, [BRAID_DTLS_HASH_SHA512] = {"sha-512", 64},
    [BRAID_DTLS_HASH_SHA256] = {"sha-256", 32},
};

/* Cipher suites for DTLS 1.2, ECDHE only (forward secrecy), AEAD first. The
 * ECDSA ones serve our own certificate; the RSA ones are there for when we
 * are the client of a peer with an RSA certificate, or were given an RSA
 * certificate in PEM files. */
static const char cipher_list[] = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                                  "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:"
                                  "ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA";

/* Key-exchange groups OpenSSL 3.0 has. Chromium lists X25519MLKEM768 first;
 * OpenSSL does not know it and picks X25519 from the rest of its list. */
static const char group_list[] = "X25519:P-256:P-384";

/* Longest certificate chain a peer may send (bytes). A browser's is one
 * self-signed certificate of well under 1 KiB; OpenSSL's default (100 KiB)
 * is also the size it lets a peer make it buffer for one handshake
 * message, so keep it small. */
#define MAX_PEER_CERT_LIST (16 * 1024)

static const EVP_MD *hash_md(braid_dtls_hash_t hash) {
  switch (hash) {
  case BRAID_DTLS_HASH_SHA1: return EVP_sha1();
  case BRAID_DTLS_HASH_SHA224: return EVP_sha224();
  case BRAID_DTLS_HASH_SHA384: return EVP_sha384();
  case BRAID_DTLS_HASH_SHA512: return EVP_sha512();
  case BRAID_DTLS_HASH_SHA256: return EVP_sha256();
  case BRAID_DTLS_HASH_COUNT: break;
  }
  return NULL;
}

const char *braid_dtls_cert_hash_name(braid_dtls_hash_t hash) {
  if ((unsigned)hash >= BRAID_DTLS_HASH_COUNT) return NULL;
  return hashes[hash].name;
}

int braid_dtls_cert_hash_from_name(braid_str_t name, braid_dtls_hash_t *out) {
  for (int h = 0; h < BRAID_DTLS_HASH_COUNT; h++) {
    size_t n = strlen(hashes[h].name);
    if (name.len == n && strncasecmp(name.p, hashes[h].name, n) == 0) {
      *out = (braid_dtls_hash_t)h;
      return 0;
    }
  }
  return BRAID_EUNKNOWN;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/*
 * RFC 8122 §5:
 *   fingerprint = 2UHEX *(":" 2UHEX)
 * Byte i (0-based) occupies characters 3i and 3i+1; characters 3i+2 are
 * colons, except after the last byte, where the value ends.
 */
int braid_dtls_cert_parse_fingerprint(braid_dtls_digest_t *out, braid_str_t algorithm,
                                      braid_str_t value, const char **why) {
  const char *reason = NULL;
  braid_dtls_hash_t hash;
  int rc = braid_dtls_cert_hash_from_name(algorithm, &hash);
  if (rc != 0) {
    reason = "unsupported fingerprint algorithm";
    goto out_fail;
  }
  size_t want = hashes[hash].len, n = 0, off = 0;
  while (off < value.len) {
    if (n == want) {
      rc = BRAID_ETOOBIG;
      reason = "fingerprint longer than its algorithm's digest";
      goto out_fail;
    }
    if (n > 0) {
      if (value.p[off] != ':') {
        rc = BRAID_EMALFORMED;
        reason = "fingerprint bytes not separated by ':'";
        goto out_fail;
      }
      off++;
    }
    if (value.len - off < 2) {
      rc = BRAID_ETRUNC;
      reason = "fingerprint ends inside a byte";
      goto out_fail;
    }
    int hi = hex_value(value.p[off]), lo = hex_value(value.p[off + 1]);
    if (hi < 0 || lo < 0) {
      rc = BRAID_EMALFORMED;
      reason = "fingerprint has a character that is not a hex digit";
      goto out_fail;
    }
    out->bytes[n++] = (uint8_t)(hi << 4 | lo);
    off += 2;
  }
  if (n < want) {
    rc = BRAID_ETRUNC;
    reason = "fingerprint shorter than its algorithm's digest";
    goto out_fail;
  }
  out->hash = hash;
  out->len = want;
  return 0;

out_fail:
  if (why != NULL) *why = reason;
  return rc;
}

int braid__dtls_cert_digest(const struct x509_st *x509, braid_dtls_hash_t hash,
                            braid_dtls_digest_t *out) {
  const EVP_MD *md = hash_md(hash);
  unsigned int n = 0;
  if (md == NULL) return BRAID_EINVAL;
  if (X509_digest(x509, md, out->bytes, &n) != 1 || n != hashes[hash].len) {
    ERR_clear_error();
    return BRAID_EINTERNAL;
  }
  out->hash = hash;
  out->len = n;
  return 0;
}

/* Writes d as "AB:CD:..." into text (BRAID_DTLS_FINGERPRINT_TEXT_MAX bytes). */
static void format_digest(const braid_dtls_digest_t *d, char *text) {
  static const char digits[] = "0123456789ABCDEF";
  size_t off = 0;
  for (size_t i = 0; i < d->len; i++) {
    if (i > 0) text[off++] = ':';
    text[off++] = digits[d->bytes[i] >> 4];
    text[off++] = digits[d->bytes[i] & 0x0f];
  }
  text[off] = '\0';
}

static int fill_fingerprints(braid_dtls_cert_t *cert) {
  for (int h = 0; h < BRAID_DTLS_HASH_COUNT; h++) {
    braid_dtls_digest_t d;
    int rc = braid__dtls_cert_digest(cert->x509, (braid_dtls_hash_t)h, &d);
    if (rc != 0) return rc;
    cert->fingerprints[h].algorithm = hashes[h].name;
    format_digest(&d, cert->fingerprints[h].value);
  }
  return 0;
}

/* Sets a random positive 64-bit serial number (RFC 5280 §4.1.2.2: positive,
 * at most 20 bytes). */
static int set_random_serial(X509 *x509) {
  uint8_t raw[8];
  int ok = 0;
  if (RAND_bytes(raw, sizeof(raw)) != 1) return 0;
  raw[0] = (uint8_t)((raw[0] & 0x7f) | 0x01); /* positive and never zero */
  BIGNUM *bn = BN_bin2bn(raw, sizeof(raw), NULL);
  if (bn != NULL && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509)) != NULL) ok = 1;
  BN_free(bn);
  return ok;
}

/* Subject and issuer: CN = 16 random hex digits, so that the certificate
 * says nothing about the software or the host. */
static int set_random_name(X509 *x509) {
  static const char digits[] = "0123456789abcdef";
  uint8_t raw[8];
  char cn[2 * sizeof(raw) + 1];
  if (RAND_bytes(raw, sizeof(raw)) != 1) return 0;
  for (size_t i = 0; i < sizeof(raw); i++) {
    cn[2 * i] = digits[raw[i] >> 4];
    cn[2 * i + 1] = digits[raw[i] & 0x0f];
  }
  cn[sizeof(cn) - 1] = '\0';
  X509_NAME *name = X509_get_subject_name(x509);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) !=
      1)
    return 0;
  return X509_set_issuer_name(x509, name) == 1;
}

static X509 *make_self_signed(EVP_PKEY *pkey) {
  X509 *x509 = X509_new();
  if (x509 == NULL) return NULL;
  if (X509_set_version(x509, X509_VERSION_3) != 1 || !set_random_serial(x509) ||
      !set_random_name(x509) || X509_gmtime_adj(X509_getm_notBefore(x509), -24L * 3600) == NULL ||
      X509_gmtime_adj(X509_getm_notAfter(x509), BRAID_DTLS_CERT_VALID_DAYS * 24L * 3600) == NULL ||
      X509_set_pubkey(x509, pkey) != 1 || X509_sign(x509, pkey, EVP_sha256()) <= 0) {
    X509_free(x509);
    return NULL;
  }
  return x509;
}

/* The verify callback accepts any chain: WebRTC peers use self-signed
 * certificates, and the transport checks the peer's certificate against
 * the fingerprint from signalling once the handshake is done. */
static int accept_any_chain(int preverify_ok, X509_STORE_CTX *store) {
  (void)preverify_ok;
  (void)store;
  return 1;
}

static SSL_CTX *make_ctx(EVP_PKEY *pkey, X509 *x509) {
  SSL_CTX *ctx = SSL_CTX_new(DTLS_method());
  if (ctx == NULL) return NULL;
  /* DTLS 1.2 only: OpenSSL 3.0 has no DTLS 1.3, and 1.0 is obsolete. */
  if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate(ctx, x509) != 1 || SSL_CTX_use_PrivateKey(ctx, pkey) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1 || SSL_CTX_set_cipher_list(ctx, cipher_list) != 1 ||
      SSL_CTX_set1_groups_list(ctx, group_list) != 1)
    goto out_free_ctx;
  /* Server preference picks the suite; no tickets or session cache (each
   * association is new); no renegotiation, which a peer could use to make
   * us redo expensive handshakes; the MTU is ours to set, never probed; no
   * encrypt-then-MAC, because OpenSSL 3.0 fails a DTLS association on the
   * first record whose MAC does not verify in that mode instead of
   * dropping the record (anyone able to spoof the peer's address could
   * then kill it; browsers negotiate AEAD suites anyway). */
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET |
                               SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_QUERY_MTU |
                               SSL_OP_NO_ENCRYPT_THEN_MAC);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  /* Both sides require a certificate: the server asks the client for one,
   * and a client without one fails the handshake. */
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_chain);
  SSL_CTX_set_verify_depth(ctx, 4);
  SSL_CTX_set_max_cert_list(ctx, MAX_PEER_CERT_LIST);
  return ctx;

out_free_ctx:
  SSL_CTX_free(ctx);
  return NULL;
}

/* Takes ownership of pkey and x509 (freed on failure too). */
static int finish_new(braid_dtls_cert_t **out, EVP_PKEY *pkey, X509 *x509) {
  braid_dtls_cert_t *cert = braid_xcalloc(1, sizeof(*cert));
  int rc;
  cert->pkey = pkey;
  cert->x509 = x509;
  rc = fill_fingerprints(cert);
  if (rc != 0) goto out_free;
  cert->ctx = make_ctx(pkey, x509);
  if (cert->ctx == NULL) {
    rc = BRAID_EINTERNAL;
    goto out_free;
  }
  *out = cert;
  return 0;

out_free:
  braid_dtls_cert_free(cert);
  ERR_clear_error();
  return rc;
}

int braid_dtls_cert_new(braid_dtls_cert_t **out) {
  EVP_PKEY *pkey = EVP_EC_gen("P-256");
  if (pkey == NULL) goto out_error;
  X509 *x509 = make_self_signed(pkey);
  if (x509 == NULL) {
    EVP_PKEY_free(pkey);
    goto out_error;
  }
  return finish_new(out, pkey, x509);

out_error:
  ERR_clear_error();
  return BRAID_EINTERNAL;
}

int braid_dtls_cert_new_from_pem(braid_dtls_cert_t **out, const char *cert_path,
                                 const char *key_path) {
  X509 *x509 = NULL;
  EVP_PKEY *pkey = NULL;
  int rc = BRAID_EIO;
  BIO *bio = BIO_new_file(cert_path, "r");
  if (bio == NULL) goto out_fail;
  x509 = PEM_read_bio_X509(bio, NULL, NULL, NULL);
  BIO_free(bio);
  rc = BRAID_EMALFORMED;
  if (x509 == NULL) goto out_fail;
  rc = BRAID_EIO;
  bio = BIO_new_file(key_path, "r");
  if (bio == NULL) goto out_fail;
  /* No passphrase callback: an encrypted key fails as malformed. */
  pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
  BIO_free(bio);
  rc = BRAID_EMALFORMED;
  if (pkey == NULL) goto out_fail;
  rc = BRAID_EINVAL;
  if (X509_check_private_key(x509, pkey) != 1) goto out_fail;
  ERR_clear_error();
  return finish_new(out, pkey, x509);

out_fail:
  EVP_PKEY_free(pkey);
  X509_free(x509);
  ERR_clear_error();
  return rc;
}

void braid_dtls_cert_free(braid_dtls_cert_t *cert) {
  if (cert == NULL) return;
  SSL_CTX_free(cert->ctx);
  X509_free(cert->x509);
  EVP_PKEY_free(cert->pkey);
  braid_free(cert);
}

const braid_dtls_fingerprint_t *braid_dtls_cert_fingerprints(const braid_dtls_cert_t *cert) {
  return cert->fingerprints;
}

struct ssl_ctx_st *braid__dtls_cert_ssl_ctx(const braid_dtls_cert_t *cert) {
  return cert->ctx;
}
