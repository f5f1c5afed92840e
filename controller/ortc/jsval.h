/*
 * JavaScript value semantics over jansson values.
 *
 * mediasoup's ORTC code is JavaScript, and several of its checks depend on
 * JS rules: `typeof x === 'number'`, truthiness (`if (!codec.mimeType)`),
 * strict equality (`1 !== "1"`). These helpers give those rules one
 * definition for every file of controller/ortc/, so the C port decides the
 * same way mediasoup does. A NULL json_t stands for `undefined` (an absent
 * key) everywhere.
 *
 * All functions are pure: they never modify or take ownership of their
 * arguments, and they are safe to call from any thread.
 */
#ifndef BRAID_CONTROLLER_ORTC_JSVAL_H
#define BRAID_CONTROLLER_ORTC_JSVAL_H

#include <jansson.h>
#include <stdbool.h>

/* JS truthiness: false for undefined (NULL), null, false, 0 and "".
 * Objects and arrays are truthy even when empty. */
bool braid_ortc_jsval_truthy(const json_t *v);

/* JS `a === b` for JSON values: numbers compare by value whatever their
 * jansson type (1 === 1.0), strings by content, true/false/null by type;
 * undefined (NULL) equals only undefined. Two objects or arrays are equal
 * only when they are the same json_t, as in JS. */
bool braid_ortc_jsval_strict_eq(const json_t *a, const json_t *b);

/* Returns a new reference to a copy of the number v in the form JS would
 * serialise it: a real with an integral value that a double holds exactly
 * (|v| <= 2^53) becomes a json integer, so that a configured 100.0 is emitted
 * as 100. Any other number is copied as is. v must be a number.
 * Returns NULL only when jansson cannot allocate. Caller owns the result. */
json_t *braid_ortc_jsval_number_copy(const json_t *v);

/* Returns a new reference to a copy of a scalar parameter value (string or
 * number, numbers normalised as braid_ortc_jsval_number_copy() does).
 * Returns NULL when jansson cannot allocate or v is not a string or number.
 * Caller owns the result. */
json_t *braid_ortc_jsval_scalar_copy(const json_t *v);

#endif
