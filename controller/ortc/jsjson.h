/*
 * JSON text as a JavaScript engine sees it.
 *
 * mediasoup's ORTC code runs on objects that JSON.parse() built, and its
 * results leave through JSON.stringify(). Three JS rules differ from what
 * jansson does, and they decide the exact bytes and even some error
 * messages:
 *   - key order: a JS object lists integer-like keys ("0", "17") first, in
 *     ascending numeric order, then the other keys in insertion order;
 *     jansson keeps insertion order only;
 *   - numbers: JS prints the shortest decimal that reads back as the same
 *     double (0.1, 1e+21) and has one number type; jansson prints reals with
 *     17 significant digits and keeps integers and reals apart;
 *   - String(value), used in messages such as `invalid kind "${kind}"`,
 *     turns null into "null", an object into "[object Object]" and an array
 *     into its elements joined with commas.
 *
 * braid_ortc_jsjson_js_order() is applied to client JSON when it is
 * validated (rtp_params.h), so that later steps see keys in JS order;
 * braid_ortc_jsjson_dumps() is the serialiser the parity tests compare with
 * mediasoup's JSON.stringify() output, and the one to use wherever bytes
 * identical to mediasoup's are wanted.
 *
 * No global state; thread-safe for distinct values.
 */
#ifndef BRAID_CONTROLLER_ORTC_JSJSON_H
#define BRAID_CONTROLLER_ORTC_JSJSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reorders, in place and recursively, the keys of every object in v into JS
 * order: keys that are canonical array indices ("0", or a digit 1-9
 * followed by digits, with a value below 2^32 - 1) first, ascending by
 * value, then the other keys in their current order. Values are not
 * copied. v is borrowed (NULL is allowed and does nothing).
 * Returns 0, or BRAID_ENOMEM when jansson cannot allocate; v may then have
 * lost keys and must be discarded.
 */
int braid_ortc_jsjson_js_order(json_t *v);

/*
 * JSON.stringify(v) without indentation: object keys in the order the
 * object holds them (call braid_ortc_jsjson_js_order() first for JS order),
 * numbers formatted as JS's Number.prototype.toString() does (integers
 * beyond 2^53 are first rounded to a double, as JSON.parse would have done),
 * strings escaped as JSON.stringify escapes them (", \, and control
 * characters; \u00xx in lower case; everything else verbatim).
 * v is borrowed. Returns a NUL-terminated string the caller frees with
 * free(), or NULL when memory runs out or v is NULL.
 */
char *braid_ortc_jsjson_dumps(const json_t *v);

/*
 * Writes JS's String(v) into out (NUL-terminated, truncated to outlen;
 * outlen must be > 0): strings verbatim, numbers as JSON.stringify prints
 * them, true/false/null, "[object Object]" for objects, and for arrays the
 * String() of each element joined with "," (null elements give ""). NULL
 * (undefined) gives "undefined". Returns out.
 */
const char *braid_ortc_jsjson_to_string(const json_t *v, char *out, size_t outlen);

/*
 * Formats the double d as JS's Number.prototype.toString(10) does ("NaN",
 * "Infinity", "-Infinity", "0" for -0, "1e+21", "1.5e-7"). out must hold
 * at least BRAID_ORTC_JSJSON_NUM_MAX bytes. Returns out.
 */
#define BRAID_ORTC_JSJSON_NUM_MAX 32
const char *braid_ortc_jsjson_number(double d, char *out);

/*
 * ToNumber(v) of ECMA-262 for a JSON value: numbers as they are (see
 * braid_ortc_jsjson_number_value()), null 0, false 0, true 1, strings by
 * StringToNumber (white space trimmed; "" is 0; decimal literals, Infinity
 * with a sign, and 0x/0o/0b integers without one; anything else NaN),
 * arrays through their String() (so [] is 0 and [7] is 7), objects NaN,
 * NULL (undefined) NaN.
 */
double braid_ortc_jsjson_to_number(const json_t *v);

/*
 * JS `a > b` for JSON values (IsLessThan of ECMA-262 with ToPrimitive):
 * when both are strings after ToPrimitive (arrays become their String(),
 * objects "[object Object]"), they compare by UTF-16 code units; otherwise
 * both go through ToNumber() and any NaN gives false. NULL is undefined.
 */
bool braid_ortc_jsjson_greater(const json_t *a, const json_t *b);

/* StrWhiteSpaceChar of ECMA-262 (WhiteSpace and LineTerminator): what
 * parseInt(), Number() and BigInt() trim. */
bool braid_ortc_jsjson_is_space(uint32_t cp);

/* Decodes the code point of valid UTF-8 (jansson checks every string) at
 * s[*i], i < len, and advances *i past it. */
uint32_t braid_ortc_jsjson_utf8_next(const char *s, size_t len, size_t *i);

/*
 * The double a JS engine holds for the JSON number v: integers beyond 2^53
 * are rounded, as JSON.parse rounds them. v must be a number.
 */
double braid_ortc_jsjson_number_value(const json_t *v);

#endif
