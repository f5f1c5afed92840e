/*
 * Internal to proto/: what cmd.c, reply.c, event.c and the entity files
 * (transport.c, producer.c, consumer.c) share.
 *
 * Decoding is table-driven. A message family (commands, replies, events)
 * describes every body key it knows in an array of braid__proto_field_t,
 * each naming a key, the kind of value, its limits (string length, integer
 * range, allowed strings, element count) and where the value goes in the
 * output struct. A message type then selects the fields it uses with a bit
 * mask (bit i = fields[i]) and says which of them are required. A table
 * holds at most 32 fields; a type whose keys do not fit in its family's
 * table (a command body of an entity file) brings its own table, a
 * braid__proto_map_t, read in a second pass over the same map.
 *
 * Values may be nested maps (BRAID__PROTO_OBJ) or arrays of maps
 * (BRAID__PROTO_OBJS), each decoded with its own braid__proto_map_t into a
 * struct or a fixed-size C array of structs: nothing is allocated, and an
 * array with more elements than the C array holds is refused.
 *
 * A message is decoded in three steps, so that the reason given for a bad
 * message is the most fundamental one:
 *   1. braid__proto_open(): size cap, top-level map, the whole message
 *      walked once with braid_mpr_skip() (truncation, depth, 0xc1), no
 *      trailing bytes, then "v" (must be BRAID_PROTO_VERSION) and "t".
 *   2. The caller looks "t" up in its own table (BRAID_EUNKNOWN if absent).
 *   3. braid__proto_read_body(): the map again, this time decoding the
 *      fields of that type and skipping every other key, then checking the
 *      required ones; then, for a type with a body table, the same again
 *      with that table.
 * After step 1 the structure is known to be sound, so step 3 can only fail
 * on types, lengths, ranges, counts, duplicates and missing keys.
 *
 * Encoding goes through msgpack-c's msgpack_packer, whose write callback
 * appends to a braid_buf_t and enforces BRAID_PROTO_MAX_MSG per message. The
 * first failure is remembered and later writes are dropped, so encoders pack
 * everything and check once, in braid__proto_enc_end(), which also removes
 * a half-written message from the buffer. Before writing anything, encoders
 * check the values against the same limits the decoder applies
 * (braid__proto_check_fields()), so that whatever we encode decodes.
 */
#ifndef BRAID_PROTO_CODEC_H
#define BRAID_PROTO_CODEC_H

#include <msgpack.h>
#include <stdbool.h>
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
  BRAID__PROTO_U8,    /* uint8_t */
  BRAID__PROTO_U32,   /* uint32_t */
  BRAID__PROTO_OBJ,   /* a map, decoded with the table sub into the struct at offset */
  BRAID__PROTO_OBJS,  /* an array of maps, each decoded with the table sub into
                       * the next element of the C array at offset; the number
                       * of elements (a size_t) goes to count_offset */
} braid__proto_kind_t;

/* The encoded bytes of one msgpack item, borrowed from a message. */
typedef struct braid__proto_raw {
  const uint8_t *p; /* borrowed; NULL when absent */
  size_t len;
} braid__proto_raw_t;

/* Flags of a field. */
enum {
  /* Integers: the value must lie in [lo, hi], besides fitting its C type. */
  BRAID__PROTO_RANGE = 1 << 0,
  /* Integers: 0 means absent. A 0 is not encoded and an absent key decodes
   * as 0; with BRAID__PROTO_RANGE and lo > 0, a 0 on the wire is out of
   * range (not sending the key is the only way to say "none"). */
  BRAID__PROTO_OMIT0 = 1 << 1,
};

struct braid__proto_map;

/* One known key. The why_* strings are the static reasons handed to the
 * caller; the macros below build them from the key. Members a kind does
 * not use are zero. */
typedef struct braid__proto_field {
  const char *key;
  braid__proto_kind_t kind;
  size_t max_len;             /* STR: bytes; OBJS: elements (the C array's capacity) */
  size_t offset;              /* of the value in the output struct */
  unsigned flags;             /* BRAID__PROTO_RANGE, BRAID__PROTO_OMIT0 */
  int64_t lo, hi;             /* RANGE: inclusive bounds; OBJS: lo = fewest elements */
  const char *const *allowed; /* STR: NULL-terminated list of the only values allowed */
  const struct braid__proto_map *sub; /* OBJ, OBJS: the keys of the nested maps */
  size_t elem_size;                   /* OBJS: bytes per element */
  size_t count_offset;                /* OBJS: of the size_t element count */
  const char *why_missing;
  const char *why_type;
  const char *why_long;  /* STR: over max_len; OBJS: more than max_len elements */
  const char *why_range; /* integers: out of range; STR with allowed: not one of
                          * them; OBJS: fewer than lo elements */
  const char *why_dup;
} braid__proto_field_t;

/* The reasons every field has. Macro parameters end in '_' so that they do
 * not replace the member names of the designated initializers. */
#define BRAID__PROTO_WHY_(key_)                                                                    \
  .why_missing = "missing key '" key_ "'", .why_type = "key '" key_ "' has wrong type",           \
  .why_dup = "duplicate key '" key_ "'"

/* A plain field: any value of kind_'s C type; strings up to max_len_ bytes. */
#define BRAID__PROTO_FIELD(key_, kind_, max_len_, type_, member_)                                  \
  {                                                                                                \
    .key = key_, .kind = BRAID__PROTO_##kind_, .max_len = max_len_,                                \
    .offset = offsetof(type_, member_), BRAID__PROTO_WHY_(key_),                                   \
    .why_long = "key '" key_ "' is too long", .why_range = "key '" key_ "' is out of range"        \
  }

/* An integer field whose value must lie in [lo_, hi_]. */
#define BRAID__PROTO_RANGED(key_, kind_, lo_, hi_, type_, member_)                                 \
  {                                                                                                \
    .key = key_, .kind = BRAID__PROTO_##kind_, .offset = offsetof(type_, member_),                 \
    .flags = BRAID__PROTO_RANGE, .lo = lo_, .hi = hi_, BRAID__PROTO_WHY_(key_),                    \
    .why_range = "key '" key_ "' is out of range"                                                  \
  }

/* An optional integer field in [lo_, hi_], absent when 0 (BRAID__PROTO_OMIT0). */
#define BRAID__PROTO_OPTIONAL(key_, kind_, lo_, hi_, type_, member_)                               \
  {                                                                                                \
    .key = key_, .kind = BRAID__PROTO_##kind_, .offset = offsetof(type_, member_),                 \
    .flags = BRAID__PROTO_RANGE | BRAID__PROTO_OMIT0, .lo = lo_, .hi = hi_,                        \
    BRAID__PROTO_WHY_(key_), .why_range = "key '" key_ "' is out of range"                         \
  }

/* A string field that must be one of allowed_ (a NULL-terminated array of
 * C strings); any other string, whatever its length, is an invalid value. */
#define BRAID__PROTO_ENUM(key_, allowed_, type_, member_)                                          \
  {                                                                                                \
    .key = key_, .kind = BRAID__PROTO_STR, .max_len = SIZE_MAX,                                    \
    .offset = offsetof(type_, member_), .allowed = allowed_, BRAID__PROTO_WHY_(key_),              \
    .why_long = "key '" key_ "' is too long", .why_range = "key '" key_ "' has an invalid value"   \
  }

/* A nested map, decoded with the table sub_ (a braid__proto_map_t *) into
 * the struct member_. */
#define BRAID__PROTO_OBJ(key_, sub_, type_, member_)                                               \
  {                                                                                                \
    .key = key_, .kind = BRAID__PROTO_OBJ, .offset = offsetof(type_, member_), .sub = sub_,        \
    BRAID__PROTO_WHY_(key_)                                                                        \
  }

/* An array of at least min_ nested maps, decoded with the table sub_ into
 * the C array member_, whose capacity is the most accepted; the count goes
 * to the size_t member count_. */
#define BRAID__PROTO_OBJS(key_, sub_, min_, type_, member_, count_)                                \
  {                                                                                                \
    .key = key_, .kind = BRAID__PROTO_OBJS,                                                        \
    .max_len = sizeof(((type_ *)0)->member_) / sizeof(((type_ *)0)->member_[0]),                   \
    .offset = offsetof(type_, member_), .lo = min_, .sub = sub_,                                   \
    .elem_size = sizeof(((type_ *)0)->member_[0]), .count_offset = offsetof(type_, count_),        \
    BRAID__PROTO_WHY_(key_), .why_long = "key '" key_ "' has too many elements",                   \
    .why_range = "key '" key_ "' has too few elements"                                             \
  }

/* The mask bit of fields[i]. Tables have at most 32 fields. */
#define BRAID__PROTO_BIT(i) ((uint32_t)1 << (i))

/* The keys of one map: a field table, the fields in use, the required ones
 * among them, and two optional hooks for what a table cannot say. Used for
 * nested maps (OBJ, OBJS) and for the bodies of command types whose keys
 * live in their entity's file (braid__proto_schema_t.body). */
typedef struct braid__proto_map {
  const braid__proto_field_t *fields;
  size_t nfields; /* <= 32 */
  uint32_t active;
  uint32_t required; /* subset of active */
  /* If not NULL: the fields to encode for in, a subset of active (keys that
   * exist only when a flag is set); BRAID__PROTO_OMIT0 then drops zeros.
   * NULL means active. */
  uint32_t (*encode_mask)(const void *in);
  /* If not NULL: called after the map was decoded into out, with the
   * fields seen; checks what spans several fields (a key required only
   * when a flag is set) and may clear values that are to be ignored.
   * Returns 0 or a malformed-band code with *why set. */
  int (*check)(void *out, uint32_t seen, const char **why);
} braid__proto_map_t;

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
 * setting their bits in *seen; other keys are skipped, at every level of
 * nesting. Nested maps (OBJ, OBJS) are read whole, including their required
 * keys and check hooks. Returns 0, BRAID_ETRUNC, BRAID_EMALFORMED (non-string
 * key, duplicate key, integer out of range, string not allowed, too few
 * elements, a nested check failing, 0xc1), BRAID_ETYPE, BRAID_ETOOBIG
 * (string over max_len, too many elements, too deep) or BRAID_EMISSING (a
 * required key of a nested map), with *why naming the key. */
int braid__proto_read_map(braid_mpr_t *m, unsigned depth, const braid__proto_field_t *fields,
                          size_t n, uint32_t active, void *out, uint32_t *seen, const char **why);

/* True when s is one of allowed (a NULL-terminated list). */
bool braid__proto_is_allowed(const char *const *allowed, braid_str_t s);

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
  uint32_t active;   /* fields of the family's table the type has */
  uint32_t required; /* subset of active that must be present */
  /* NULL, or the type's own keys, read into the output struct at the
   * family's body_offset after the family's fields. */
  const braid__proto_map_t *body;
} braid__proto_schema_t;

/* A message family: its field table and its types. */
typedef struct braid__proto_family {
  const braid__proto_field_t *fields;
  size_t nfields;
  const braid__proto_schema_t *schemas;
  size_t nschemas;
  size_t body_offset; /* where schemas' body structs start in the output struct */
} braid__proto_family_t;

/* The schema of fam named name / of enum value type, or NULL. */
const braid__proto_schema_t *braid__proto_schema_by_name(const braid__proto_family_t *fam,
                                                         braid_str_t name);
const braid__proto_schema_t *braid__proto_schema_by_type(const braid__proto_family_t *fam,
                                                         int type);

/* Decodes one whole message of fam into out (out_size bytes, zeroed
 * first): steps 1 to 3 above. On success *schema is the type found and, if
 * seen is not NULL, *seen the fields of fam's table present. Returns the
 * codes of braid__proto_open() and braid__proto_read_body() (also for the
 * body table, and whatever its check hook returns), or BRAID_EUNKNOWN for a
 * "t" fam does not have. */
int braid__proto_decode(const braid__proto_family_t *fam, const uint8_t *data, size_t len,
                        void *out, size_t out_size, const braid__proto_schema_t **schema,
                        uint32_t *seen, const char **why);

/* Appends the message of type s with its fields (and its body's) taken
 * from in. Returns 0, BRAID_EINVAL (see braid__proto_check_fields()),
 * BRAID_ETOOBIG or BRAID_ENOMEM; on failure out is unchanged. */
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
 * active, values taken from in, in table order. active is written as is:
 * callers drop absent optional fields first (braid__proto_present()).
 * Nested maps write their own present fields. */
void braid__proto_enc_fields(braid__proto_enc_t *e, const braid__proto_field_t *fields, size_t n,
                             uint32_t active, const void *in);

/* Ends the message. Returns 0, or the first failure (BRAID_ETOOBIG: over
 * BRAID_PROTO_MAX_MSG or out->max; BRAID_ENOMEM), in which case out->len is
 * back to where it was at braid__proto_enc_begin(). */
int braid__proto_enc_end(braid__proto_enc_t *e);

/* Number of fields selected by mask. */
size_t braid__proto_count(uint32_t mask);

/* active without the BRAID__PROTO_OMIT0 fields whose value in in is 0:
 * the fields to encode. */
uint32_t braid__proto_present(const braid__proto_field_t *fields, size_t n, uint32_t active,
                              const void *in);

/* The fields of map to encode for in: its encode_mask (or active), then
 * braid__proto_present(). */
uint32_t braid__proto_map_mask(const braid__proto_map_t *map, const void *in);

/* Checks the fields selected by active against the limits the decoder
 * applies, before encoding: strings (length, NULL with a non-zero length,
 * allowed values), integer ranges (a 0 passes for BRAID__PROTO_OMIT0),
 * element counts, and nested maps recursively. Returns 0 or BRAID_EINVAL. */
int braid__proto_check_fields(const braid__proto_field_t *fields, size_t n, uint32_t active,
                              const void *in);

#endif
