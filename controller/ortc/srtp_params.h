/*
 * mediasoup's SrtpParameters {cryptoSuite, keyBase64} (mediasoup-protocol.md
 * §5.10) for plain and pipe transports: which suites exist, how long their
 * master key + salt is, checking what a client sent and making our own.
 */
#ifndef BRAID_CONTROLLER_ORTC_SRTP_PARAMS_H
#define BRAID_CONTROLLER_ORTC_SRTP_PARAMS_H

#include <stddef.h>

#include <jansson.h>

/* The default suite of createPlainTransport({enableSrtp}). */
#define BRAID_ORTC_SRTP_DEFAULT_SUITE "AES_CM_128_HMAC_SHA1_80"
/* Room for a keyBase64 of the longest suite (44 bytes) and its NUL. */
#define BRAID_ORTC_SRTP_KEY_B64_MAX 61

/* Master key + salt length of a suite name (30, 28 or 44), 0 when the name
 * is not one of the four. */
size_t braid_ortc_srtp_master_len(const char *suite);

/* Checks params as given to connect(): an object with a known cryptoSuite
 * and a keyBase64 that decodes to that suite's length. Sets *suite and
 * *key (borrowed from params). Returns 0, or BRAID_EINVAL with the reason
 * in err. */
int braid_ortc_srtp_params_check(const json_t *params, const char **suite, const char **key,
                                 char *err, size_t errlen);

/* A new random key for suite, base64, into out (BRAID_ORTC_SRTP_KEY_B64_MAX
 * bytes). Returns 0, or BRAID_EINVAL for an unknown suite. */
int braid_ortc_srtp_random_key(const char *suite, char out[BRAID_ORTC_SRTP_KEY_B64_MAX]);

#endif
