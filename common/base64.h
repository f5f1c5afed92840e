/*
 * Base64 (RFC 4648 §4), as mediasoup's SrtpParameters carry their keys
 * (keyBase64). Encoding pads. Decoding takes what Node's Buffer.from(s,
 * 'base64') takes from a well-formed string, so the controller and the
 * media daemon agree with mediasoup on which keys are valid: padding may
 * be left out and the unused low bits of a final group are ignored; any
 * other character, a lone final character or misplaced padding is an
 * error, never a guess.
 */
#ifndef BRAID_COMMON_BASE64_H
#define BRAID_COMMON_BASE64_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Characters encoding n bytes takes, without the NUL. */
#define BRAID_BASE64_LEN(n) ((((n) + 2) / 3) * 4)

/* Encodes n bytes into out (cap bytes, room for BRAID_BASE64_LEN(n) + 1);
 * returns the length written (NUL-terminated), or -1 when out is too small. */
ssize_t braid_base64_encode(const uint8_t *in, size_t n, char *out, size_t cap);
/* The number of bytes len characters decode to, or -1 when they are not
 * base64 (nothing is decoded). */
ssize_t braid_base64_decoded_len(const char *in, size_t len);
/* Decodes len characters into out (cap bytes); returns the number of
 * bytes, or -1 for invalid input or when out is too small (nothing is
 * written then). */
ssize_t braid_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

#endif
