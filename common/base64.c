#include "common/base64.h"


static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

ssize_t braid_base64_encode(const uint8_t *in, size_t n, char *out, size_t cap) {
  size_t need = BRAID_BASE64_LEN(n);
  if (cap < need + 1) return -1;
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
    if (i + 2 < n) v |= in[i + 2];
    out[o++] = alphabet[(v >> 18) & 63];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
  }
  out[o] = '\0';
  return (ssize_t)o;
}

static int value_of(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/*
 * Every 4 characters carry 3 bytes, 6 bits each, most significant first; a
 * final group of 2 or 3 characters carries 1 or 2 bytes and is padded with
 * "==" or "=" to 4 characters:
 *
 *   "TWFu"  -> 'M' 'a' 'n'          010011 010110 000101 101110
 *   "TWE="  -> 'M' 'a'              010011 010110 000100 (pad)
 *   "TQ=="  -> 'M'                  010011 010000 (pad) (pad)
 *
 * The whole text is checked before anything is written: alphabet
 * characters only, then at most the padding that completes the last group
 * (or none), and no lone final character (6 bits cannot make a byte).
 */
ssize_t braid_base64_decoded_len(const char *in, size_t len) {
  size_t n = 0;
  while (n < len && value_of((unsigned char)in[n]) >= 0) n++;
  size_t pad = len - n;
  for (size_t i = n; i < len; i++)
    if (in[i] != '=') return -1; /* not base64, or data after "=" */
  if (n % 4 == 1) return -1;
  if (pad != 0 && (len % 4 != 0 || pad != (4 - n % 4) % 4)) return -1;
  return (ssize_t)(n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1));
}

ssize_t braid_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap) {
  ssize_t n_out = braid_base64_decoded_len(in, len);
  if (n_out < 0 || (size_t)n_out > cap) return -1;
  uint32_t acc = 0;
  unsigned bits = 0;
  size_t o = 0;
  for (size_t i = 0; i < len && in[i] != '='; i++) {
    acc = (acc << 6) | (uint32_t)value_of((unsigned char)in[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (uint8_t)(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  /* Leftover bits (2 or 4) are ignored, as Node's decoder does. */
  return (ssize_t)o;
}
