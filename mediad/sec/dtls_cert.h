/*
 * The media daemon's DTLS identity: one key pair and one self-signed
 * certificate per process, made at start (or loaded from PEM files, like
 * mediasoup's dtlsCertificateFile/dtlsPrivateKeyFile), with its fingerprints
 * in the shape mediasoup's dtlsParameters carry them, and the OpenSSL
 * context every DTLS transport of the process is built on.
 *
 * Why the SSL_CTX lives here: making an SSL_CTX costs about as much as a
 * handshake on OpenSSL 3.0, and everything in it (certificate, key, cipher
 * list, groups, verification mode) is shared by all transports. What differs
 * per transport (role, SRTP profiles, MTU, timers) is set on each SSL in
 * dtls_transport.c.
 *
 * Fingerprints (RFC 8122 §5; mediasoup worker/src/RTC/DtlsTransport.cpp):
 * sha-1, sha-224, sha-384, sha-512 and sha-256, in that order, as uppercase
 * hex bytes separated by colons. sha-256 comes LAST on purpose:
 * mediasoup-client puts only the last fingerprint of the array into the
 * remote SDP, and every browser accepts sha-256.
 *
 * Thread-safety: a certificate is immutable after _new(); it may be shared
 * by transports on several threads (OpenSSL's SSL_CTX is thread-safe for
 * SSL_new()). No global state besides what OpenSSL keeps itself.
 */
#ifndef BRAID_MEDIAD_SEC_DTLS_CERT_H
#define BRAID_MEDIAD_SEC_DTLS_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "common/str.h"

/* Validity of a generated certificate: from one day in the past (peers with
 * a clock a little behind ours) to this many days ahead. Browsers do not
 * check the dates of a WebRTC certificate (only its fingerprint), so this
 * only matters for peers that do; a daemon that runs longer still works
 * with browsers. */
#define BRAID_DTLS_CERT_VALID_DAYS 30

/* Hash functions of fingerprints, in the order of the fingerprints array. */
typedef enum braid_dtls_hash {
  BRAID_DTLS_HASH_SHA1 = 0,
  BRAID_DTLS_HASH_SHA224,
  BRAID_DTLS_HASH_SHA384,
  BRAID_DTLS_HASH_SHA512,
  BRAID_DTLS_HASH_SHA256, /* last: see the header comment */
  BRAID_DTLS_HASH_COUNT,
} braid_dtls_hash_t;

#define BRAID_DTLS_DIGEST_MAX 64 /* bytes of a SHA-512 digest */
/* Text of the longest fingerprint: 64 bytes as "XX:" minus the last ':',
 * plus the NUL. */
#define BRAID_DTLS_FINGERPRINT_TEXT_MAX (BRAID_DTLS_DIGEST_MAX * 3)

/* A fingerprint as mediasoup's dtlsParameters.fingerprints[] carry it. */
typedef struct braid_dtls_fingerprint {
  const char *algorithm;                       /* static: "sha-1", ... "sha-512" */
  char value[BRAID_DTLS_FINGERPRINT_TEXT_MAX]; /* "AB:CD:...", NUL-terminated */
} braid_dtls_fingerprint_t;

/* A fingerprint in binary, e.g. a parsed remote one. */
typedef struct braid_dtls_digest {
  braid_dtls_hash_t hash;
  size_t len; /* digest length of hash */
  uint8_t bytes[BRAID_DTLS_DIGEST_MAX];
} braid_dtls_digest_t;

typedef struct braid_dtls_cert braid_dtls_cert_t;

/* Makes a new identity: an ECDSA P-256 key, a self-signed X.509 v3
 * certificate with a random 64-bit serial and a random CN, valid from one
 * day ago for BRAID_DTLS_CERT_VALID_DAYS days and signed with SHA-256, its
 * fingerprints, and the SSL_CTX. On success *out owns the result (free with
 * braid_dtls_cert_free()). Returns 0 or BRAID_EINTERNAL when OpenSSL fails
 * (its error queue is cleared). Our own allocations abort on failure (mediad
 * policy, STYLE.md rule 13). Takes a few milliseconds: make one per process
 * (and one per test binary). */
int braid_dtls_cert_new(braid_dtls_cert_t **out);

/* Loads the certificate and private key from PEM files instead (any key
 * type OpenSSL supports, typically ECDSA or RSA). Returns 0, BRAID_EIO (a
 * file cannot be opened), BRAID_EMALFORMED (no PEM certificate or key in
 * it, or an encrypted key), BRAID_EINVAL (the key does not belong to the
 * certificate) or BRAID_EINTERNAL. The paths are borrowed for the call. */
int braid_dtls_cert_new_from_pem(braid_dtls_cert_t **out, const char *cert_path,
                                 const char *key_path);

/* Frees cert. Every transport made from it must be freed first. NULL is a
 * no-op. */
void braid_dtls_cert_free(braid_dtls_cert_t *cert);

/* The fingerprints, BRAID_DTLS_HASH_COUNT of them in braid_dtls_hash_t
 * order (sha-256 last). Borrowed: valid as long as cert. */
const braid_dtls_fingerprint_t *braid_dtls_cert_fingerprints(const braid_dtls_cert_t *cert);

/* The name of a hash ("sha-256"), or NULL for an invalid value. */
const char *braid_dtls_cert_hash_name(braid_dtls_hash_t hash);

/* Looks up a hash by its RFC 8122 name, case-insensitively ("sha-256",
 * "SHA-256"). Returns 0 or BRAID_EUNKNOWN (md5, md2 and other names are not
 * accepted). */
int braid_dtls_cert_hash_from_name(braid_str_t name, braid_dtls_hash_t *out);

/*
 * Parses a fingerprint as a remote peer sends it (RFC 8122 §5):
 *
 *   fingerprint = 2UHEX *(":" 2UHEX)     e.g. "AB:0C:...:EF"
 *
 * exactly as many bytes as the algorithm's digest has. Lowercase hex digits
 * are accepted too (some implementations send them). Untrusted input: the
 * strings are borrowed for the call and never read past their length.
 * Returns 0, or
 *   BRAID_EUNKNOWN    the algorithm is not one of braid_dtls_hash_t
 *   BRAID_ETRUNC      value has fewer bytes than the digest
 *   BRAID_ETOOBIG     value has more bytes than the digest
 *   BRAID_EMALFORMED  a character is not a hex digit or a colon where the
 *                     grammar needs it
 * and sets *why (if not NULL) to a static reason on failure. Never
 * allocates; reentrant.
 */
int braid_dtls_cert_parse_fingerprint(braid_dtls_digest_t *out, braid_str_t algorithm,
                                      braid_str_t value, const char **why);

/* --- Internal to mediad/sec (STYLE.md rule 5: double underscore). ------ */

struct ssl_ctx_st;
struct x509_st;

/* The shared SSL_CTX (borrowed: valid as long as cert). dtls_transport.c
 * makes its SSL objects from it. */
struct ssl_ctx_st *braid__dtls_cert_ssl_ctx(const braid_dtls_cert_t *cert);

/* Computes the digest of a certificate's DER encoding with the given hash.
 * Returns 0, BRAID_EINVAL (bad hash) or BRAID_EINTERNAL. */
int braid__dtls_cert_digest(const struct x509_st *x509, braid_dtls_hash_t hash,
                            braid_dtls_digest_t *out);

#endif
