/*
 * STUN message parse, checks and writer (RFC 5389, RFC 8489; diagrams of
 * the header and message type in stun_msg.h). Attributes are walked once
 * with the bounds-checked reader; known ones are validated and located so
 * that the accessors only decode bytes the parser already proved present.
 */
#include "mediad/wire/stun_msg.h"

#include <stddef.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "common/bytes.h"
#include "common/rd.h"

static inline size_t padded(size_t len) { return (len + 3) & ~(size_t)3; }

static int fail(const char **why, const char *reason, int rc) {
  if (why != NULL) *why = reason;
  return rc;
}

bool braid_stun_msg_is_stun(const uint8_t *data, size_t len) {
  return len >= BRAID_STUN_HDR_LEN && (data[0] & 0xC0) == 0 &&
         braid_get32(data + 4) == BRAID_STUN_MAGIC_COOKIE;
}

/* Where an attribute may appear relative to the integrity attributes. */
enum order {
  BEFORE_INTEGRITY = 0,
  AFTER_INTEGRITY,        /* MESSAGE-INTEGRITY seen */
  AFTER_INTEGRITY_SHA256, /* MESSAGE-INTEGRITY-SHA256 seen */
  AFTER_FINGERPRINT,
};

/* RFC 8489 §14: nothing but MESSAGE-INTEGRITY-SHA256 and FINGERPRINT after
 * MESSAGE-INTEGRITY, nothing but FINGERPRINT after -SHA256, nothing after
 * FINGERPRINT. The RFC lets receivers ignore such attributes; we refuse the
 * message, as mediasoup does, since no ICE agent sends them. */
static int check_order(enum order *stage, uint16_t type, const char **why) {
  switch (*stage) {
  case AFTER_FINGERPRINT: return fail(why, "attribute after FINGERPRINT", BRAID_EMALFORMED);
  case AFTER_INTEGRITY_SHA256:
    if (type != BRAID_STUN_ATTR_FINGERPRINT)
      return fail(why, "attribute after MESSAGE-INTEGRITY-SHA256", BRAID_EMALFORMED);
    break;
  case AFTER_INTEGRITY:
    if (type != BRAID_STUN_ATTR_FINGERPRINT && type != BRAID_STUN_ATTR_MESSAGE_INTEGRITY_SHA256)
      return fail(why, "attribute after MESSAGE-INTEGRITY", BRAID_EMALFORMED);
    break;
  case BEFORE_INTEGRITY: break;
  }
  if (type == BRAID_STUN_ATTR_MESSAGE_INTEGRITY)
    *stage = AFTER_INTEGRITY;
  else if (type == BRAID_STUN_ATTR_MESSAGE_INTEGRITY_SHA256)
    *stage = AFTER_INTEGRITY_SHA256;
  else if (type == BRAID_STUN_ATTR_FINGERPRINT)
    *stage = AFTER_FINGERPRINT;
  return 0;
}

static int check_xor_addr(uint16_t len, const uint8_t *v, const char **why) {
  /*  |x x x x x x x x|    Family     |         X-Port                |
   *  |                X-Address (32 or 128 bits)                     | */
  if (len >= 4 && v[1] == BRAID_STUN_FAMILY_IPV4 && len == 8) return 0;
  if (len >= 4 && v[1] == BRAID_STUN_FAMILY_IPV6 && len == 20) return 0;
  return fail(why, "bad XOR-MAPPED-ADDRESS", BRAID_EMALFORMED);
}

static int check_error_code(uint16_t len, const uint8_t *v, const char **why) {
  /*  |           Reserved, should be 0         |Class|     Number    |
   *  |      Reason Phrase (variable)                                .. */
  if (len < 4 || len - 4 > BRAID_STUN_TEXT_MAX)
    return fail(why, "bad ERROR-CODE length", BRAID_EMALFORMED);
  uint8_t cls = v[2] & 0x07;
  if (cls < 3 || cls > 6 || v[3] > 99) return fail(why, "bad ERROR-CODE value", BRAID_EMALFORMED);
  return 0;
}

/* The attributes the parser knows: the lengths their values may have
 * (RFC 8489 §14, RFC 8445 §16.1, draft-thatcher-ice-renomination) and the
 * field of braid_stun_msg_t that records the first one. */
static const struct known_attr {
  uint16_t type;
  uint16_t min_len, max_len;
  size_t field; /* offsetof the off_* member */
} known_attrs[] = {
    {BRAID_STUN_ATTR_USERNAME, 0, BRAID_STUN_USERNAME_MAX,
     offsetof(braid_stun_msg_t, off_username)},
    {BRAID_STUN_ATTR_SOFTWARE, 0, BRAID_STUN_TEXT_MAX, offsetof(braid_stun_msg_t, off_software)},
    {BRAID_STUN_ATTR_PRIORITY, 4, 4, offsetof(braid_stun_msg_t, off_priority)},
    {BRAID_STUN_ATTR_USE_CANDIDATE, 0, 0, offsetof(braid_stun_msg_t, off_use_candidate)},
    {BRAID_STUN_ATTR_ICE_CONTROLLED, 8, 8, offsetof(braid_stun_msg_t, off_ice_controlled)},
    {BRAID_STUN_ATTR_ICE_CONTROLLING, 8, 8, offsetof(braid_stun_msg_t, off_ice_controlling)},
    {BRAID_STUN_ATTR_NOMINATION, 4, 4, offsetof(braid_stun_msg_t, off_nomination)},
    {BRAID_STUN_ATTR_MESSAGE_INTEGRITY, BRAID_STUN_HMAC_SHA1_LEN, BRAID_STUN_HMAC_SHA1_LEN,
     offsetof(braid_stun_msg_t, off_integrity)},
    {BRAID_STUN_ATTR_MESSAGE_INTEGRITY_SHA256, 16, 32,
     offsetof(braid_stun_msg_t, off_integrity_sha256)},
    {BRAID_STUN_ATTR_FINGERPRINT, 4, 4, offsetof(braid_stun_msg_t, off_fingerprint)},
    {BRAID_STUN_ATTR_ERROR_CODE, 4, 4 + BRAID_STUN_TEXT_MAX,
     offsetof(braid_stun_msg_t, off_error_code)},
    {BRAID_STUN_ATTR_XOR_MAPPED_ADDRESS, 8, 20, offsetof(braid_stun_msg_t, off_xor_mapped)},
};

/* Checks of a value beyond its length. */
static int check_value(uint16_t type, uint16_t len, const uint8_t *v, const char **why) {
  switch (type) {
  case BRAID_STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
    if (len % 4 != 0) return fail(why, "bad MESSAGE-INTEGRITY-SHA256 length", BRAID_EMALFORMED);
    return 0;
  case BRAID_STUN_ATTR_ERROR_CODE: return check_error_code(len, v, why);
  case BRAID_STUN_ATTR_XOR_MAPPED_ADDRESS: return check_xor_addr(len, v, why);
  default: return 0;
  }
}

/* Validates a known attribute and records where its first occurrence is.
 * Unknown types pass unchanged. */
static int note_attr(braid_stun_msg_t *m, uint16_t type, uint16_t len, const uint8_t *v,
                     uint32_t off, const char **why) {
  for (size_t i = 0; i < sizeof known_attrs / sizeof known_attrs[0]; i++) {
    const struct known_attr *k = &known_attrs[i];
    if (k->type != type) continue;
    if (len < k->min_len || len > k->max_len)
      return fail(why, "known attribute with a bad length", BRAID_EMALFORMED);
    int rc = check_value(type, len, v, why);
    if (rc != 0) return rc;
    uint32_t *slot = (uint32_t *)((char *)m + k->field);
    if (*slot == 0) *slot = off;
    return 0;
  }
  return 0;
}

int braid_stun_msg_parse(braid_stun_msg_t *msg, const uint8_t *data, size_t len, const char **why) {
  if (len < BRAID_STUN_HDR_LEN) return fail(why, "shorter than a STUN header", BRAID_ETRUNC);
  if (len > BRAID_STUN_MAX_LEN) return fail(why, "longer than any STUN message", BRAID_ETOOBIG);
  uint16_t type = braid_get16(data);
  if ((type & 0xC000) != 0) return fail(why, "top bits of the type set", BRAID_EVERSION);
  if (braid_get32(data + 4) != BRAID_STUN_MAGIC_COOKIE)
    return fail(why, "no magic cookie", BRAID_EVERSION);
  size_t body = braid_get16(data + 2);
  if (body % 4 != 0) return fail(why, "length not a multiple of 4", BRAID_EMALFORMED);
  if (body > len - BRAID_STUN_HDR_LEN)
    return fail(why, "shorter than its length field", BRAID_ETRUNC);
  if (body < len - BRAID_STUN_HDR_LEN)
    return fail(why, "bytes after the message", BRAID_EMALFORMED);

  memset(msg, 0, sizeof *msg);
  braid_rd_t r;
  braid_rd_init(&r, data + BRAID_STUN_HDR_LEN, body);
  enum order stage = BEFORE_INTEGRITY;
  while (braid_rd_left(&r) > 0) {
    uint32_t off = (uint32_t)(r.p - data);
    uint16_t t, l;
    const uint8_t *v;
    if (braid_rd_u16(&r, &t) != 0 || braid_rd_u16(&r, &l) != 0)
      return fail(why, "truncated attribute header", BRAID_ETRUNC);
    if (braid_rd_bytes(&r, padded(l), &v) != 0)
      return fail(why, "attribute longer than the message", BRAID_ETRUNC);
    int rc = check_order(&stage, t, why);
    if (rc == 0) rc = note_attr(msg, t, l, v, off, why);
    if (rc != 0) return rc;
    msg->n_attrs++;
  }
  msg->data = data;
  msg->len = len;
  msg->tid = data + 8;
  msg->type = type;
  msg->cls = braid_stun_msg_type_class(type);
  msg->method = braid_stun_msg_type_method(type);
  return 0;
}

int braid_stun_msg_attr_next(const braid_stun_msg_t *msg, size_t *pos, braid_stun_attr_t *attr) {
  size_t off = *pos < BRAID_STUN_HDR_LEN ? BRAID_STUN_HDR_LEN : *pos;
  /* The parser proved every header and padded value lies inside len. */
  if (off >= msg->len || msg->len - off < 4) return BRAID_ENOTFOUND;
  const uint8_t *p = msg->data + off;
  attr->type = braid_get16(p);
  attr->len = braid_get16(p + 2);
  attr->value = p + 4;
  *pos = off + 4 + padded(attr->len);
  return 0;
}

int braid_stun_msg_attr_find(const braid_stun_msg_t *msg, uint16_t type, braid_stun_attr_t *attr) {
  size_t pos = 0;
  braid_stun_attr_t a;
  while (braid_stun_msg_attr_next(msg, &pos, &a) == 0) {
    if (a.type == type) {
      *attr = a;
      return 0;
    }
  }
  return BRAID_ENOTFOUND;
}

/* The value of the attribute whose header is at off (0: absent). */
static const uint8_t *value_at(const braid_stun_msg_t *m, uint32_t off, uint16_t *len) {
  if (off == 0) return NULL;
  if (len != NULL) *len = braid_get16(m->data + off + 2);
  return m->data + off + 4;
}

static int get_text(const braid_stun_msg_t *m, uint32_t off, braid_str_t *out) {
  uint16_t len;
  const uint8_t *v = value_at(m, off, &len);
  if (v == NULL) return BRAID_EMISSING;
  out->p = (const char *)v;
  out->len = len;
  return 0;
}

int braid_stun_msg_username(const braid_stun_msg_t *msg, braid_str_t *username) {
  return get_text(msg, msg->off_username, username);
}

int braid_stun_msg_software(const braid_stun_msg_t *msg, braid_str_t *software) {
  return get_text(msg, msg->off_software, software);
}

int braid_stun_msg_priority(const braid_stun_msg_t *msg, uint32_t *priority) {
  const uint8_t *v = value_at(msg, msg->off_priority, NULL);
  if (v == NULL) return BRAID_EMISSING;
  *priority = braid_get32(v);
  return 0;
}

bool braid_stun_msg_use_candidate(const braid_stun_msg_t *msg) {
  return msg->off_use_candidate != 0;
}

static int get_u64(const braid_stun_msg_t *m, uint32_t off, uint64_t *out) {
  const uint8_t *v = value_at(m, off, NULL);
  if (v == NULL) return BRAID_EMISSING;
  *out = ((uint64_t)braid_get32(v) << 32) | braid_get32(v + 4);
  return 0;
}

int braid_stun_msg_ice_controlling(const braid_stun_msg_t *msg, uint64_t *tie_breaker) {
  return get_u64(msg, msg->off_ice_controlling, tie_breaker);
}

int braid_stun_msg_ice_controlled(const braid_stun_msg_t *msg, uint64_t *tie_breaker) {
  return get_u64(msg, msg->off_ice_controlled, tie_breaker);
}

int braid_stun_msg_nomination(const braid_stun_msg_t *msg, uint32_t *nomination) {
  const uint8_t *v = value_at(msg, msg->off_nomination, NULL);
  if (v == NULL) return BRAID_EMISSING;
  *nomination = braid_get32(v);
  return 0;
}

int braid_stun_msg_error_code(const braid_stun_msg_t *msg, uint16_t *code, braid_str_t *reason) {
  uint16_t len;
  const uint8_t *v = value_at(msg, msg->off_error_code, &len);
  if (v == NULL) return BRAID_EMISSING;
  *code = (uint16_t)((v[2] & 0x07) * 100 + v[3]);
  reason->p = (const char *)v + 4;
  reason->len = (size_t)len - 4;
  return 0;
}

/* The 16 bytes an address is xored with: the magic cookie, then the
 * transaction id (RFC 8489 §14.2). */
static void xor_key(const uint8_t *tid, uint8_t key[16]) {
  braid_put32(key, BRAID_STUN_MAGIC_COOKIE);
  memcpy(key + 4, tid, BRAID_STUN_TID_LEN);
}

int braid_stun_msg_xor_mapped_address(const braid_stun_msg_t *msg, braid_stun_addr_t *addr) {
  const uint8_t *v = value_at(msg, msg->off_xor_mapped, NULL);
  if (v == NULL) return BRAID_EMISSING;
  uint8_t key[16];
  xor_key(msg->tid, key);
  memset(addr, 0, sizeof *addr);
  addr->family = v[1];
  addr->port = (uint16_t)(braid_get16(v + 2) ^ (BRAID_STUN_MAGIC_COOKIE >> 16));
  size_t n = addr->family == BRAID_STUN_FAMILY_IPV4 ? 4 : 16;
  for (size_t i = 0; i < n; i++)
    addr->addr[i] = v[4 + i] ^ key[i];
  return 0;
}

/* HMAC-SHA1 of a header (20 bytes, with its length field already set as
 * the MAC requires) followed by body_len bytes. */
static int hmac_sha1(const uint8_t *key, size_t key_len, const uint8_t *hdr, const uint8_t *body,
                     size_t body_len, uint8_t out[BRAID_STUN_HMAC_SHA1_LEN]) {
  static const uint8_t empty[1] = {0};
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0),
      OSSL_PARAM_construct_end(),
  };
  int rc = BRAID_EINTERNAL;
  size_t out_len = 0;
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
  if (ctx == NULL) goto out_free;
  /* A NULL key would mean "keep the previous key"; there is none. */
  if (!EVP_MAC_init(ctx, key != NULL ? key : empty, key_len, params)) goto out_free;
  if (!EVP_MAC_update(ctx, hdr, BRAID_STUN_HDR_LEN)) goto out_free;
  if (body_len > 0 && !EVP_MAC_update(ctx, body, body_len)) goto out_free;
  if (!EVP_MAC_final(ctx, out, &out_len, BRAID_STUN_HMAC_SHA1_LEN)) goto out_free;
  rc = out_len == BRAID_STUN_HMAC_SHA1_LEN ? 0 : BRAID_EINTERNAL;
out_free:
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return rc;
}

int braid_stun_msg_check_integrity(const braid_stun_msg_t *msg, const uint8_t *key,
                                   size_t key_len) {
  uint32_t off = msg->off_integrity;
  if (off == 0) return BRAID_EMISSING;
  /* The MAC covers the message up to the attribute, with the length field
   * counting up to the end of MESSAGE-INTEGRITY (it excludes what follows,
   * such as FINGERPRINT). The input is read-only: patch a copy of the
   * header. */
  uint8_t hdr[BRAID_STUN_HDR_LEN];
  memcpy(hdr, msg->data, sizeof hdr);
  braid_put16(hdr + 2, (uint16_t)(off + 4 + BRAID_STUN_HMAC_SHA1_LEN - BRAID_STUN_HDR_LEN));
  uint8_t mac[BRAID_STUN_HMAC_SHA1_LEN];
  int rc =
      hmac_sha1(key, key_len, hdr, msg->data + BRAID_STUN_HDR_LEN, off - BRAID_STUN_HDR_LEN, mac);
  if (rc != 0) return rc;
  return CRYPTO_memcmp(mac, msg->data + off + 4, sizeof mac) == 0 ? 0 : BRAID_EINVAL;
}

/* CRC-32 with the reflected polynomial 0xEDB88320, four bits at a time:
 * a 16-entry table is enough for the few STUN messages per second a
 * transport sees. */
static const uint32_t crc_nibble[16] = {
    0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

uint32_t braid_stun_msg_crc32(uint32_t crc, const uint8_t *data, size_t len) {
  crc = ~crc;
  for (size_t i = 0; i < len; i++) {
    crc ^= data[i];
    crc = (crc >> 4) ^ crc_nibble[crc & 0x0F];
    crc = (crc >> 4) ^ crc_nibble[crc & 0x0F];
  }
  return ~crc;
}

int braid_stun_msg_check_fingerprint(const braid_stun_msg_t *msg) {
  uint32_t off = msg->off_fingerprint;
  if (off == 0) return BRAID_EMISSING;
  /* FINGERPRINT is last (the parser checked), so the length field already
   * counts it, as the CRC requires. */
  uint32_t crc = braid_stun_msg_crc32(0, msg->data, off) ^ BRAID_STUN_FINGERPRINT_XOR;
  return crc == braid_get32(msg->data + off + 4) ? 0 : BRAID_EMALFORMED;
}

int braid_stun_writer_init(braid_stun_writer_t *w, uint8_t *buf, size_t cap, uint16_t method,
                           uint8_t cls, const uint8_t *tid) {
  if (cap < BRAID_STUN_HDR_LEN) return BRAID_ETOOBIG;
  w->buf = buf;
  w->cap = cap;
  w->len = BRAID_STUN_HDR_LEN;
  w->pad = 0;
  memmove(buf + 8, tid, BRAID_STUN_TID_LEN);
  braid_put16(buf, braid_stun_msg_type(method, cls));
  braid_put16(buf + 2, 0);
  braid_put32(buf + 4, BRAID_STUN_MAGIC_COOKIE);
  return 0;
}

/* Reserves an attribute of value length len: writes its header and
 * padding, updates the length field, returns where the value goes. */
static int reserve(braid_stun_writer_t *w, uint16_t type, size_t len, uint8_t **value) {
  if (len > 0xFFFF) return BRAID_EINVAL;
  size_t need = 4 + padded(len);
  if (w->cap - w->len < need || w->len - BRAID_STUN_HDR_LEN + need > 65532) return BRAID_ETOOBIG;
  uint8_t *p = w->buf + w->len;
  braid_put16(p, type);
  braid_put16(p + 2, (uint16_t)len);
  memset(p + 4 + len, w->pad, padded(len) - len);
  w->len += need;
  braid_put16(w->buf + 2, (uint16_t)(w->len - BRAID_STUN_HDR_LEN));
  *value = p + 4;
  return 0;
}

int braid_stun_writer_attr(braid_stun_writer_t *w, uint16_t type, const void *value, size_t len) {
  uint8_t *v;
  int rc = reserve(w, type, len, &v);
  if (rc == 0 && len > 0) memcpy(v, value, len);
  return rc;
}

int braid_stun_writer_u32(braid_stun_writer_t *w, uint16_t type, uint32_t value) {
  uint8_t *v;
  int rc = reserve(w, type, 4, &v);
  if (rc == 0) braid_put32(v, value);
  return rc;
}

int braid_stun_writer_u64(braid_stun_writer_t *w, uint16_t type, uint64_t value) {
  uint8_t *v;
  int rc = reserve(w, type, 8, &v);
  if (rc == 0) {
    braid_put32(v, (uint32_t)(value >> 32));
    braid_put32(v + 4, (uint32_t)value);
  }
  return rc;
}

int braid_stun_writer_xor_addr(braid_stun_writer_t *w, uint16_t type,
                               const braid_stun_addr_t *addr) {
  size_t n;
  if (addr->family == BRAID_STUN_FAMILY_IPV4)
    n = 4;
  else if (addr->family == BRAID_STUN_FAMILY_IPV6)
    n = 16;
  else
    return BRAID_EINVAL;
  uint8_t key[16], *v;
  xor_key(w->buf + 8, key);
  int rc = reserve(w, type, 4 + n, &v);
  if (rc != 0) return rc;
  v[0] = 0;
  v[1] = addr->family;
  braid_put16(v + 2, (uint16_t)(addr->port ^ (BRAID_STUN_MAGIC_COOKIE >> 16)));
  for (size_t i = 0; i < n; i++)
    v[4 + i] = addr->addr[i] ^ key[i];
  return 0;
}

int braid_stun_writer_error_code(braid_stun_writer_t *w, uint16_t code, braid_str_t reason) {
  if (code < 300 || code > 699 || reason.len > BRAID_STUN_TEXT_MAX) return BRAID_EINVAL;
  uint8_t *v;
  int rc = reserve(w, BRAID_STUN_ATTR_ERROR_CODE, 4 + reason.len, &v);
  if (rc != 0) return rc;
  v[0] = 0;
  v[1] = 0;
  v[2] = (uint8_t)(code / 100);
  v[3] = (uint8_t)(code % 100);
  if (reason.len > 0) memcpy(v + 4, reason.p, reason.len);
  return 0;
}

int braid_stun_writer_integrity(braid_stun_writer_t *w, const uint8_t *key, size_t key_len) {
  size_t start = w->len;
  uint8_t *v;
  /* Reserving first sets the length field to count the attribute, which is
   * what the MAC covers; the MAC itself covers only the bytes before it. */
  int rc = reserve(w, BRAID_STUN_ATTR_MESSAGE_INTEGRITY, BRAID_STUN_HMAC_SHA1_LEN, &v);
  if (rc != 0) return rc;
  rc = hmac_sha1(key, key_len, w->buf, w->buf + BRAID_STUN_HDR_LEN, start - BRAID_STUN_HDR_LEN, v);
  if (rc != 0) {
    w->len = start;
    braid_put16(w->buf + 2, (uint16_t)(w->len - BRAID_STUN_HDR_LEN));
  }
  return rc;
}

int braid_stun_writer_fingerprint(braid_stun_writer_t *w) {
  size_t start = w->len;
  uint8_t *v;
  int rc = reserve(w, BRAID_STUN_ATTR_FINGERPRINT, 4, &v);
  if (rc != 0) return rc;
  braid_put32(v, braid_stun_msg_crc32(0, w->buf, start) ^ BRAID_STUN_FINGERPRINT_XOR);
  return 0;
}

int braid_stun_msg_build_binding_success(uint8_t *out, size_t cap, const uint8_t *tid,
                                         const braid_stun_addr_t *mapped, const uint8_t *key,
                                         size_t key_len, size_t *out_len) {
  braid_stun_writer_t w;
  int rc = braid_stun_writer_init(&w, out, cap, BRAID_STUN_METHOD_BINDING, BRAID_STUN_CLASS_SUCCESS,
                                  tid);
  if (rc == 0) rc = braid_stun_writer_xor_addr(&w, BRAID_STUN_ATTR_XOR_MAPPED_ADDRESS, mapped);
  if (rc == 0) rc = braid_stun_writer_integrity(&w, key, key_len);
  if (rc == 0) rc = braid_stun_writer_fingerprint(&w);
  if (rc == 0) *out_len = w.len;
  return rc;
}

static braid_str_t reason_of(uint16_t code) {
  switch (code) {
  case 400: return BRAID_STR_LIT("Bad Request");
  case 401: return BRAID_STR_LIT("Unauthenticated");
  case 420: return BRAID_STR_LIT("Unknown Attribute");
  case 487: return BRAID_STR_LIT("Role Conflict");
  case 500: return BRAID_STR_LIT("Server Error");
  default: return (braid_str_t){"", 0};
  }
}

int braid_stun_msg_build_error_response(uint8_t *out, size_t cap, uint16_t method,
                                        const uint8_t *tid, uint16_t code, const uint8_t *key,
                                        size_t key_len, size_t *out_len) {
  braid_stun_writer_t w;
  if (code < 300 || code > 699) return BRAID_EINVAL;
  int rc = braid_stun_writer_init(&w, out, cap, method, BRAID_STUN_CLASS_ERROR, tid);
  if (rc == 0) rc = braid_stun_writer_error_code(&w, code, reason_of(code));
  if (rc == 0 && key != NULL) rc = braid_stun_writer_integrity(&w, key, key_len);
  if (rc == 0) rc = braid_stun_writer_fingerprint(&w);
  if (rc == 0) *out_len = w.len;
  return rc;
}
