/*
 * Internal to proto/: what cmd.c, reply.c and event.c share.
 *
 * Decoding is table-driven. A message family (commands, replies, events)
 * describes every body key it knows in an array of braid__proto_field_t,
 * each naming a key, the kind of value, a length limit and where the value
 * goes in the output struct. A message type then selects the fields it uses
 * with a bit mask (bit i = fields[i]) and says which of them are required.
 *
 * A message is decoded in three steps, so that the reason given for a bad
 * message is the most fundamental one:
 *   1. braid__proto_open(): size cap, top-level map, the whole message
 *      walked once with braid_mpr_skip() (truncation, depth, 0xc1), no
 *      trailing bytes, then "v" (must be BRAID_PROTO_VERSION) and "t".
 *   2. The caller looks "t" up in its own table (BRAID_EUNKNOWN if absent).
 *   3. braid__proto_read_body(): the map again, this time decoding the
 *      fields of that type and skipping every other key, then checking the
 *      required ones.
 * After step 1 the structure is known to be sound, so step 3 can only fail
 * on types, lengths, ranges, duplicates and missing keys.
 *
 * Encoding goes through msgpack-c's msgpack_packer, whose write callback
 * appends to a braid_buf_t and enforces BRAID_PROTO_MAX_MSG per message. The
 * first failure is remembered and later writes are dropped, so encoders pack
 * everything and check once, in braid__proto_enc_end(), which also removes
 * a half-written message from the buffer.
 */
#ifndef BRAID_PROTO_CODEC_H
#define BRAID_PROTO_CODEC_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/str.h"
#include "proto/mpr.h"

/* The kind of a field's value and the C type it is stored as. */
typedef enum braid__proto_kind {
  BRAID__PROTO_STR,   /* braid_str_t, at most max_len bytes */
  BRAID__PROTO_U64,   /* uint64_t */
  BRAID__PROTO_I64,   /* int64_t */
  BRAID__PROTO_I32,   /* int32_t */
  BRAID__PROTO_BOOL,  /* bool */
  BRAID__PROTO_MAP,   /* braid__proto_raw_t: the encoded bytes of a map */
  BRAID__PROTO_ARRAY, /* braid__proto_raw_t: the encoded bytes of an array */
} braid__proto_kind_t;

/* The encoded bytes of one msgpack item, borrowed from a message. */
typedef struct braid__proto_raw {
  const uint8_t *p; /* borrowed; NULL when absent */
  size_t len;
} braid__proto_raw_t;

/* One known key. The why_* strings are the static reasons handed to the
 * caller; BRAID__PROTO_FIELD() builds them from the key. */
typedef struct braid__proto_field {
  const char *key;
  braid__proto_kind_t kind;
  size_t max_len; /* BRAID__PROTO_STR only */
  size_t offset;  /* of the value in the output struct */
  const char *why_missing;
  const char *why_type;
  const char *why_long;
  const char *why_range;
  const char *why_dup;
} braid__proto_field_t;

#define BRAID__PROTO_FIELD(key, kind, max_len, type, member)                                       \
  {                                                                                                \
    key, BRAID__PROTO_##kind, max_len, offsetof(type, member), "missing key '" key "'",            \
        "key '" key "' has wrong type", "key '" key "' is too long",                               \
        "key '" key "' is out of range", "duplicate key '" key "'"                                 \
  }

/* The mask bit of fields[i]. Tables have at most 32 fields. */
#define BRAID__PROTO_BIT(i) ((uint32_t)1 << (i))

/* Sets *why (if why is not NULL) and returns rc. */
static inline int braid__proto_fail(const char **why, const char *reason, int rc) {
  if (why != NULL) *why = reason;
  return rc;
}

/* Step 1 above. On success m is positioned at the start of the message
 * (ready for braid__proto_read_body()) and *type borrows the "t" string
 * from data. Returns 0 or BRAID_ETOOBIG (over BRAID_PROTO_MAX_MSG, or too
 * deep), BRAID_ETRUNC, BRAID_EMALFORMED (not a map, 0xc1, non-string key,
 * trailing bytes, duplicate "v"/"t"), BRAID_ETYPE, BRAID_EMISSING ("v" or
 * "t") or BRAID_EVERSION, with *why set. */
int braid__proto_open(braid_mpr_t *m, const uint8_t *data, size_t len, braid_str_t *type,
                      const char **why);

/* Reads the map at m, which depth containers enclose (0 for a message),
 * storing the fields of fields[0..n) selected by active into out and
 * setting their bits in *seen; other keys are skipped. Returns 0,
 * BRAID_ETRUNC, BRAID_EMALFORMED (non-string key, duplicate key, integer out
 * of range, 0xc1), BRAID_ETYPE, BRAID_ETOOBIG (string over max_len, too
 * deep), with *why naming the key. */
int braid__proto_read_map(braid_mpr_t *m, unsigned depth, const braid__proto_field_t *fields,
                          size_t n, uint32_t active, void *out, uint32_t *seen, const char **why);

/* Returns 0 if every field in required is in seen, else BRAID_EMISSING with
 * *why naming the first missing key. */
int braid__proto_check_required(const braid__proto_field_t *fields, size_t n, uint32_t required,
                                uint32_t seen, const char **why);

/* Step 3 above: braid__proto_read_map() on a whole message, then
 * braid__proto_check_required(); *seen gets the fields present. Same codes
 * as both. */
int braid__proto_read_body(braid_mpr_t *m, const braid__proto_field_t *fields, size_t n,
                           uint32_t active, uint32_t required, void *out, uint32_t *seen,
                           const char **why);

/* One message type of a family: its "t" name and its fields. */
typedef struct braid__proto_schema {
  int type;          /* the family's enum value */
  const char *name;  /* "t" on the wire */
  uint32_t active;   /* fields the type has */
  uint32_t required; /* subset of active that must be present */
} braid__proto_schema_t;

/* A message family: its field table and its types. */
typedef struct braid__proto_family {
  const braid__proto_field_t *fields;
  size_t nfields;
  const braid__proto_schema_t *schemas;
  size_t nschemas;
} braid__proto_family_t;

/* The schema of fam named name / of enum value type, or NULL. */
const braid__proto_schema_t *braid__proto_schema_by_name(const braid__proto_family_t *fam,
                                                         braid_str_t name);
const braid__proto_schema_t *braid__proto_schema_by_type(const braid__proto_family_t *fam,
                                                         int type);

/* Decodes one whole message of fam into out (out_size bytes, zeroed
 * first): steps 1 to 3 above. On success *schema is the type found and, if
 * seen is not NULL, *seen the fields present. Returns the codes of
 * braid__proto_open() and braid__proto_read_body(), or BRAID_EUNKNOWN for a
 * "t" fam does not have. */
int braid__proto_decode(const braid__proto_family_t *fam, const uint8_t *data, size_t len,
                        void *out, size_t out_size, const braid__proto_schema_t **schema,
                        uint32_t *seen, const char **why);

/* Appends the message of type s with its fields taken from in. Returns 0,
 * BRAID_EINVAL (see braid__proto_check_fields()), BRAID_ETOOBIG or
 * BRAID_ENOMEM; on failure out is unchanged. */
int braid__proto_encode(const braid__proto_family_t *fam, const braid__proto_schema_t *s,
                        const void *in, braid_buf_t *out);

/* An encoding in progress. Lives on the caller's stack; must not move
 * between braid__proto_enc_begin() and braid__proto_enc_end(). */
typedef struct braid__proto_enc {
  msgpack_packer pk;
  braid_buf_t *out; /* borrowed */
  size_t start;     /* out->len when the message began */
  int err;          /* first failure, 0 if none */
} braid__proto_enc_t;

/* Starts a message at the end of out. */
void braid__proto_enc_begin(braid__proto_enc_t *e, braid_buf_t *out);

/* Writes the top-level map header for 2 + body_keys pairs, then "v" and
 * "t" = type. */
void braid__proto_enc_head(braid__proto_enc_t *e, const char *type, size_t body_keys);

/* Writes a C string (a key). */
void braid__proto_enc_key(braid__proto_enc_t *e, const char *key);

/* Writes a string view (p may be NULL when len is 0). */
void braid__proto_enc_str(braid__proto_enc_t *e, braid_str_t s);

/* Writes a key/value pair for every field of fields[0..n) selected by
 * active, values taken from in, in table order. */
void braid__proto_enc_fields(braid__proto_enc_t *e, const braid__proto_field_t *fields, size_t n,
                             uint32_t active, const void *in);

/* Ends the message. Returns 0, or the first failure (BRAID_ETOOBIG: over
 * BRAID_PROTO_MAX_MSG or out->max; BRAID_ENOMEM), in which case out->len is
 * back to where it was at braid__proto_enc_begin(). */
int braid__proto_enc_end(braid__proto_enc_t *e);

/* Number of fields selected by mask. */
size_t braid__proto_count(uint32_t mask);

/* Checks the string fields selected by active against their limits before
 * encoding. Returns 0 or BRAID_EINVAL (over max_len, or NULL with a
 * non-zero length). */
int braid__proto_check_fields(const braid__proto_field_t *fields, size_t n, uint32_t active,
                              const void *in);

#endif
