/*
 * A zero-copy msgpack reader for untrusted input (STYLE.md rules 16, 27).
 *
 * It reads one msgpack item at a time from a buffer it does not own, on top
 * of common/rd.h, and never allocates. Strings and binaries are returned as
 * views into the input. Every length taken from the input is compared with
 * the bytes left before anything behind it is read.
 *
 * Each reader function either succeeds and moves past the item, or fails and
 * leaves the reader where it was, with one of these codes:
 *   BRAID_ETRUNC      the input ends inside the item (or, for a map or
 *                     array header, announces more elements than there are
 *                     bytes left, each element needing at least one byte)
 *   BRAID_ETYPE       the next item is of another type (floats, ext and nil
 *                     are rejected like any other unexpected type)
 *   BRAID_EMALFORMED  an integer does not fit the requested type (negative
 *                     for unsigned, or too large); or the next byte is 0xc1,
 *                     which msgpack never uses
 *   BRAID_ETOOBIG     braid_mpr_skip() only: nesting deeper than
 *                     BRAID_PROTO_MAX_DEPTH
 *
 * Integers: msgpack has several encodings per value (fixint, uint8..64,
 * int8..64); every reader accepts every encoding whose value is in range, so
 * int8 5 reads as uint 5.
 *
 * Not thread-safe per reader; readers on the same input are independent.
 */
#ifndef BRAID_PROTO_MPR_H
#define BRAID_PROTO_MPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/rd.h"
#include "common/str.h"

/* What the next item is. Integers are BRAID_MPR_UINT when >= 0 and
 * BRAID_MPR_INT when < 0, whatever their encoding. */
typedef enum braid_mpr_type {
  BRAID_MPR_NIL = 1,
  BRAID_MPR_BOOL,
  BRAID_MPR_UINT,
  BRAID_MPR_INT,
  BRAID_MPR_FLOAT,
  BRAID_MPR_STR,
  BRAID_MPR_BIN,
  BRAID_MPR_ARRAY,
  BRAID_MPR_MAP,
  BRAID_MPR_EXT,
} braid_mpr_type_t;

typedef struct braid_mpr {
  braid_rd_t rd; /* borrowed input; see braid_mpr_init() */
} braid_mpr_t;

/* Starts reading data[0..len). data is borrowed: it must outlive the reader
 * and every view the reader hands out. data may be NULL when len is 0. */
void braid_mpr_init(braid_mpr_t *m, const uint8_t *data, size_t len);

/* Bytes not read yet. */
static inline size_t braid_mpr_left(const braid_mpr_t *m) { return braid_rd_left(&m->rd); }

/* The next byte to read (one past the end when all is read). */
static inline const uint8_t *braid_mpr_pos(const braid_mpr_t *m) { return m->rd.p; }

/* Sets *type to the type of the next item without moving. Returns 0,
 * BRAID_ETRUNC (no complete header left) or BRAID_EMALFORMED (0xc1). */
int braid_mpr_peek(const braid_mpr_t *m, braid_mpr_type_t *type);

/* Reads a map header: *n gets the number of key/value pairs, which the
 * caller then reads as 2 * n items. Returns 0, BRAID_ETRUNC, BRAID_ETYPE or
 * BRAID_EMALFORMED. */
int braid_mpr_map(braid_mpr_t *m, uint32_t *n);

/* Reads an array header: *n gets the number of items that follow. Same
 * codes as braid_mpr_map(). */
int braid_mpr_array(braid_mpr_t *m, uint32_t *n);

/* Reads a string (fixstr, str8/16/32); *s borrows from the input and is not
 * NUL-terminated. No UTF-8 check. Returns 0, BRAID_ETRUNC, BRAID_ETYPE or
 * BRAID_EMALFORMED. */
int braid_mpr_str(braid_mpr_t *m, braid_str_t *s);

/* Reads a binary (bin8/16/32); *p borrows from the input. Same codes as
 * braid_mpr_str(). */
int braid_mpr_bin(braid_mpr_t *m, const uint8_t **p, size_t *len);

/* Read an integer of any encoding into the named type. Return 0,
 * BRAID_ETRUNC, BRAID_ETYPE (not an integer) or BRAID_EMALFORMED (out of
 * range for the type, or 0xc1). */
int braid_mpr_u64(braid_mpr_t *m, uint64_t *v);
int braid_mpr_i64(braid_mpr_t *m, int64_t *v);
int braid_mpr_u32(braid_mpr_t *m, uint32_t *v);
int braid_mpr_i32(braid_mpr_t *m, int32_t *v);

/* Reads true or false. Returns 0, BRAID_ETRUNC, BRAID_ETYPE or
 * BRAID_EMALFORMED. */
int braid_mpr_bool(braid_mpr_t *m, bool *v);

/* Reads nil. Returns 0, BRAID_ETRUNC, BRAID_ETYPE or BRAID_EMALFORMED. */
int braid_mpr_nil(braid_mpr_t *m);

/* Skips one complete item of any type, including everything nested in it,
 * without recursion. depth is the number of maps and arrays that enclose
 * the item (0 for a whole message, 1 for a value of its top-level map);
 * an item that would open a container at depth > BRAID_PROTO_MAX_DEPTH is
 * refused. Floats and ext items (fixext, ext8/16/32) are skipped like any
 * other. Returns 0, BRAID_ETRUNC, BRAID_EMALFORMED (0xc1 anywhere inside) or
 * BRAID_ETOOBIG (too deep). Work is linear in the bytes skipped. */
int braid_mpr_skip(braid_mpr_t *m, unsigned depth);

#endif
