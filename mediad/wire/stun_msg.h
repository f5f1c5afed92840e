/*
 * STUN messages (RFC 5389, RFC 8489) as ICE (RFC 8445) uses them: a
 * zero-copy parse into a view, accessors for the attributes ICE-lite needs,
 * the MESSAGE-INTEGRITY (HMAC-SHA1, short-term credentials) and FINGERPRINT
 * (CRC-32) checks, and a writer that builds messages into a caller buffer.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |0 0|     STUN Message Type     |         Message Length        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  Magic Cookie (0x2112A442)                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   |                     Transaction ID (96 bits)                  |
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Type                  |            Length             |  attributes,
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  each padded
 *   |                         Value (variable)                ....     to 4 bytes
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The message type interleaves a 12-bit method (M) and a 2-bit class (C):
 *
 *     0                 1
 *     2  3  4 5 6 7 8 9 0 1 2 3 4 5
 *    +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
 *    |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
 *    +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Nothing here logs or keeps state, and only the integrity functions
 * allocate (inside OpenSSL); every function is safe to call from any thread
 * on distinct buffers.
 */
#ifndef BRAID_MEDIAD_WIRE_STUN_MSG_H
#define BRAID_MEDIAD_WIRE_STUN_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/str.h"

#define BRAID_STUN_HDR_LEN      20
#define BRAID_STUN_TID_LEN      12
#define BRAID_STUN_MAGIC_COOKIE 0x2112A442u
/* The length field is 16 bits and a multiple of 4. */
#define BRAID_STUN_MAX_LEN         (BRAID_STUN_HDR_LEN + 65532)
#define BRAID_STUN_FINGERPRINT_XOR 0x5354554Eu
#define BRAID_STUN_HMAC_SHA1_LEN   20
/* RFC 8489 §14.3 and §14.8: USERNAME < 513 bytes, reason phrase and
 * SOFTWARE < 128 characters (at most 763 bytes of UTF-8). */
#define BRAID_STUN_USERNAME_MAX 512
#define BRAID_STUN_TEXT_MAX     763

/* Classes (the two C bits). */
enum {
  BRAID_STUN_CLASS_REQUEST = 0,
  BRAID_STUN_CLASS_INDICATION = 1,
  BRAID_STUN_CLASS_SUCCESS = 2,
  BRAID_STUN_CLASS_ERROR = 3,
};

#define BRAID_STUN_METHOD_BINDING 0x001

/* Attribute types. 0x0000-0x7FFF are comprehension-required, the rest
 * comprehension-optional. */
enum {
  BRAID_STUN_ATTR_MAPPED_ADDRESS = 0x0001,
  BRAID_STUN_ATTR_USERNAME = 0x0006,
  BRAID_STUN_ATTR_MESSAGE_INTEGRITY = 0x0008,
  BRAID_STUN_ATTR_ERROR_CODE = 0x0009,
  BRAID_STUN_ATTR_UNKNOWN_ATTRIBUTES = 0x000A,
  BRAID_STUN_ATTR_REALM = 0x0014,
  BRAID_STUN_ATTR_NONCE = 0x0015,
  BRAID_STUN_ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001C,
  BRAID_STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
  BRAID_STUN_ATTR_PRIORITY = 0x0024, /* RFC 8445 §16.1 */
  BRAID_STUN_ATTR_USE_CANDIDATE = 0x0025,
  BRAID_STUN_ATTR_SOFTWARE = 0x8022,
  BRAID_STUN_ATTR_FINGERPRINT = 0x8028,
  BRAID_STUN_ATTR_ICE_CONTROLLED = 0x8029,
  BRAID_STUN_ATTR_ICE_CONTROLLING = 0x802A,
  BRAID_STUN_ATTR_NOMINATION = 0xC001, /* draft-thatcher-ice-renomination */
};

/* Address families of (XOR-)MAPPED-ADDRESS, as on the wire. */
enum {
  BRAID_STUN_FAMILY_IPV4 = 0x01,
  BRAID_STUN_FAMILY_IPV6 = 0x02,
};

/* A transport address: network byte order in addr, host order in port. */
typedef struct braid_stun_addr {
  uint8_t family; /* BRAID_STUN_FAMILY_IPV4 or _IPV6 */
  uint16_t port;
  uint8_t addr[16]; /* the first 4 bytes for IPv4 */
} braid_stun_addr_t;

/* One attribute: a slice of the parsed message. */
typedef struct braid_stun_attr {
  uint16_t type;
  uint16_t len;         /* value bytes, padding excluded */
  const uint8_t *value; /* borrowed: inside the parsed message */
} braid_stun_attr_t;

/*
 * A parsed STUN message: a view into the bytes given to the parser. Known
 * attributes are located (first occurrence, RFC 8489 §14) and their lengths
 * validated by the parser; the accessors below decode them. Offsets are of
 * the attribute header from the start of the message, 0 when absent (no
 * attribute can start inside the header).
 */
typedef struct braid_stun_msg {
  const uint8_t *data; /* borrowed: the parsed bytes; valid as long as they are */
  size_t len;          /* BRAID_STUN_HDR_LEN + the length field */
  const uint8_t *tid;  /* borrowed: data + 8, BRAID_STUN_TID_LEN bytes */
  uint16_t type;       /* 14-bit message type */
  uint16_t method;     /* 12-bit method */
  uint8_t cls;         /* BRAID_STUN_CLASS_* */
  uint16_t n_attrs;
  uint32_t off_username, off_priority, off_use_candidate, off_ice_controlled, off_ice_controlling,
      off_nomination, off_error_code, off_xor_mapped, off_software, off_integrity,
      off_integrity_sha256, off_fingerprint;
} braid_stun_msg_t;

/* The class and method of a message type (no checks). */
static inline uint8_t braid_stun_msg_type_class(uint16_t type) {
  return (uint8_t)(((type >> 7) & 0x2) | ((type >> 4) & 0x1));
}
static inline uint16_t braid_stun_msg_type_method(uint16_t type) {
  return (uint16_t)((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));
}
/* The message type of a method (masked to 12 bits) and a class (2 bits). */
static inline uint16_t braid_stun_msg_type(uint16_t method, uint8_t cls) {
  method &= 0x0FFF;
  return (uint16_t)((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) |
                    ((cls & 0x1) << 4) | ((cls & 0x2) << 7));
}

/*
 * True when data looks like a STUN message: at least a header, the two top
 * bits zero and the magic cookie. Cheap; used to tell STUN from other
 * traffic before a full parse.
 */
bool braid_stun_msg_is_stun(const uint8_t *data, size_t len);

/*
 * Parses the STUN message of exactly len bytes at data into *msg, whose
 * pointers borrow data (STYLE.md rules 27 and 29). Checks: the top two bits
 * of the type are zero; the magic cookie (RFC 3489 messages are refused);
 * the length field equals len - 20 and is a multiple of 4; every attribute
 * header and padded value fits; known attributes have their defined lengths
 * and values (USERNAME <= 512 bytes; PRIORITY and NOMINATION 4 bytes;
 * USE-CANDIDATE empty; ICE-CONTROLLED/-CONTROLLING 8 bytes; ERROR-CODE class
 * 3..6, number < 100 and a reason <= 763 bytes; XOR-MAPPED-ADDRESS of family
 * IPv4 (8 bytes) or IPv6 (20 bytes); MESSAGE-INTEGRITY 20 bytes;
 * MESSAGE-INTEGRITY-SHA256 16..32 bytes, a multiple of 4; FINGERPRINT 4
 * bytes); only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT follow
 * MESSAGE-INTEGRITY, only FINGERPRINT follows MESSAGE-INTEGRITY-SHA256, and
 * nothing follows FINGERPRINT. Padding bytes may hold any value. Unknown
 * attributes, comprehension-required or not, are kept as slices for the
 * caller to judge. Neither the integrity nor the fingerprint is verified:
 * see braid_stun_msg_check_*(). Never reads past data + len, never writes
 * to data, never allocates.
 *
 * Returns 0, or (*msg is then unspecified; *why, when why is not NULL, is
 * set to a static description):
 *   BRAID_ETRUNC     shorter than a header, or than an attribute announces;
 *   BRAID_EVERSION   the top bits are not zero or the magic cookie is wrong;
 *   BRAID_EMALFORMED the length field disagrees with len or is not a
 *                    multiple of 4, a known attribute has a bad length or
 *                    value, or an attribute follows the integrity or
 *                    fingerprint attributes;
 *   BRAID_ETOOBIG    len > BRAID_STUN_MAX_LEN.
 */
int braid_stun_msg_parse(braid_stun_msg_t *msg, const uint8_t *data, size_t len, const char **why);

/*
 * Attribute iteration, in message order. *pos starts at 0; each call
 * stores the next attribute in *attr and advances *pos. Returns 0, or
 * BRAID_ENOTFOUND after the last attribute. msg must come from
 * braid_stun_msg_parse().
 */
int braid_stun_msg_attr_next(const braid_stun_msg_t *msg, size_t *pos, braid_stun_attr_t *attr);
/* The first attribute of the given type. Returns 0 or BRAID_ENOTFOUND. */
int braid_stun_msg_attr_find(const braid_stun_msg_t *msg, uint16_t type, braid_stun_attr_t *attr);

/*
 * Accessors of the known attributes (first occurrence). Each returns 0 and
 * the decoded value, or BRAID_EMISSING when the attribute is absent (the
 * output is then untouched). Strings borrow the message and are not
 * NUL-terminated.
 */
int braid_stun_msg_username(const braid_stun_msg_t *msg, braid_str_t *username);
int braid_stun_msg_software(const braid_stun_msg_t *msg, braid_str_t *software);
int braid_stun_msg_priority(const braid_stun_msg_t *msg, uint32_t *priority);
/* USE-CANDIDATE has no value: present or not. */
bool braid_stun_msg_use_candidate(const braid_stun_msg_t *msg);
/* The tie-breaker of ICE-CONTROLLING / ICE-CONTROLLED. */
int braid_stun_msg_ice_controlling(const braid_stun_msg_t *msg, uint64_t *tie_breaker);
int braid_stun_msg_ice_controlled(const braid_stun_msg_t *msg, uint64_t *tie_breaker);
/* NOMINATION (renomination): a 32-bit value, as libwebrtc writes it. */
int braid_stun_msg_nomination(const braid_stun_msg_t *msg, uint32_t *nomination);
/* ERROR-CODE as class * 100 + number (300..699) and its reason phrase. */
int braid_stun_msg_error_code(const braid_stun_msg_t *msg, uint16_t *code, braid_str_t *reason);
/* XOR-MAPPED-ADDRESS, un-xored with the magic cookie and transaction id. */
int braid_stun_msg_xor_mapped_address(const braid_stun_msg_t *msg, braid_stun_addr_t *addr);
static inline bool braid_stun_msg_has_integrity(const braid_stun_msg_t *msg) {
  return msg->off_integrity != 0;
}
static inline bool braid_stun_msg_has_fingerprint(const braid_stun_msg_t *msg) {
  return msg->off_fingerprint != 0;
}

/*
 * Verifies MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 keyed with key
 * (for ICE's short-term credentials, the password as is) over the message
 * up to the attribute, with the length field counting up to the end of the
 * attribute. The comparison is constant-time.
 *
 * Returns 0 (the message is authentic under key), or:
 *   BRAID_EMISSING   there is no MESSAGE-INTEGRITY;
 *   BRAID_EINVAL     the HMAC does not match (wrong key or altered bytes);
 *   BRAID_EINTERNAL  OpenSSL failed.
 */
int braid_stun_msg_check_integrity(const braid_stun_msg_t *msg, const uint8_t *key, size_t key_len);
/*
 * Verifies FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to the
 * attribute, xored with 0x5354554E. Returns 0, BRAID_EMISSING (absent) or
 * BRAID_EMALFORMED (mismatch: not STUN, or corrupted).
 */
int braid_stun_msg_check_fingerprint(const braid_stun_msg_t *msg);

/* CRC-32 (ISO-HDLC, as zlib's crc32()) of len bytes; crc is 0 to start or
 * the previous result to continue. */
uint32_t braid_stun_msg_crc32(uint32_t crc, const uint8_t *data, size_t len);

/*
 * A writer of one STUN message into a caller buffer. The length field is
 * kept current after each call, so buf[0..len) is always a complete
 * message. Every function returns 0, or BRAID_ETOOBIG when the attribute
 * does not fit in cap or would make the message longer than
 * BRAID_STUN_MAX_LEN (the writer is then unchanged), BRAID_EINVAL for a
 * value the format cannot carry, or BRAID_EINTERNAL when OpenSSL fails.
 */
typedef struct braid_stun_writer {
  uint8_t *buf; /* borrowed: the caller's buffer */
  size_t cap;
  size_t len;  /* bytes written so far, header included */
  uint8_t pad; /* value of padding bytes: 0 unless told (RFC 5769 uses 0x20) */
} braid_stun_writer_t;

/* Starts a message: writes the header. tid must hold 12 bytes and may
 * overlap buf only at the same offset (copying a request's header). */
int braid_stun_writer_init(braid_stun_writer_t *w, uint8_t *buf, size_t cap, uint16_t method,
                           uint8_t cls, const uint8_t *tid);
/* Any attribute, value copied and padded (len <= 65535). */
int braid_stun_writer_attr(braid_stun_writer_t *w, uint16_t type, const void *value, size_t len);
int braid_stun_writer_u32(braid_stun_writer_t *w, uint16_t type, uint32_t value);
int braid_stun_writer_u64(braid_stun_writer_t *w, uint16_t type, uint64_t value);
/* XOR-MAPPED-ADDRESS (or any XOR'd address attribute of the given type);
 * BRAID_EINVAL for an unknown family. */
int braid_stun_writer_xor_addr(braid_stun_writer_t *w, uint16_t type,
                               const braid_stun_addr_t *addr);
/* ERROR-CODE: code must be 300..699; BRAID_EINVAL otherwise or when the
 * reason is longer than BRAID_STUN_TEXT_MAX. */
int braid_stun_writer_error_code(braid_stun_writer_t *w, uint16_t code, braid_str_t reason);
/* MESSAGE-INTEGRITY over what was written so far (HMAC-SHA1 under key). */
int braid_stun_writer_integrity(braid_stun_writer_t *w, const uint8_t *key, size_t key_len);
/* FINGERPRINT over what was written so far; call it last. */
int braid_stun_writer_fingerprint(braid_stun_writer_t *w);

/* The largest response the builders below produce (an IPv6 success
 * response is 96 bytes; an error response with a standard reason, 88). */
#define BRAID_STUN_RESPONSE_MAX 128

/*
 * The Binding success response to a request with transaction id tid (12
 * bytes): XOR-MAPPED-ADDRESS of mapped (the request's source),
 * MESSAGE-INTEGRITY under key, FINGERPRINT. out (capacity cap) must not
 * overlap tid. Returns 0 and sets *out_len, or BRAID_ETOOBIG (cap too
 * small), BRAID_EINVAL (unknown family) or BRAID_EINTERNAL (OpenSSL).
 */
int braid_stun_msg_build_binding_success(uint8_t *out, size_t cap, const uint8_t *tid,
                                         const braid_stun_addr_t *mapped, const uint8_t *key,
                                         size_t key_len, size_t *out_len);
/*
 * An error response of the given method to a request with transaction id
 * tid: ERROR-CODE code with its standard reason phrase (400 Bad Request,
 * 401 Unauthenticated, 420 Unknown Attribute, 487 Role Conflict, 500
 * Server Error; other codes get an empty phrase), MESSAGE-INTEGRITY when
 * key is not NULL (RFC 8489 §9.1.4: only once the request authenticated),
 * FINGERPRINT. Returns as braid_stun_msg_build_binding_success(); code
 * outside 300..699 is BRAID_EINVAL.
 */
int braid_stun_msg_build_error_response(uint8_t *out, size_t cap, uint16_t method,
                                        const uint8_t *tid, uint16_t code, const uint8_t *key,
                                        size_t key_len, size_t *out_len);

#endif
