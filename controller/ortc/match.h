/*
 * Codec matching, after mediasoup's `matchCodecs(a, b, {strict, modify})`
 * and `isRtxCodec()` (ortc.ts; shared/docs/mediasoup-protocol.md section
 * 4.2).
 *
 * Loose matching is what generateRouterRtpCapabilities() uses to find a
 * supported codec; strict matching is what producer mapping, canConsume()
 * and consumer parameters use, and it adds the per-codec parameter rules:
 *   - video/H264: the same packetization-mode (a falsy value counts as 0,
 *     and 1 never equals "1"), the same H264 profile, and an SDP answer
 *     level must exist (h264_profile.h); with BRAID_ORTC_MATCH_MODIFY a's
 *     profile-level-id is then replaced by the answer's (or removed when the
 *     answer has none) -- this is how a producer's parameters are rewritten;
 *   - video/VP9: the same profile-id (a falsy value counts as 0).
 *
 * mimeTypes are compared after JS's toLowerCase(). We fold ASCII letters
 * and the Kelvin sign U+212A (which JS lower-cases to 'k'): the only other
 * characters JS lower-cases are non-ASCII and stay non-ASCII, and every
 * caller compares against a mimeType of the router capabilities, which is
 * ASCII, so no other folding could change an answer.
 *
 * Both codecs must have been validated (validate.h, rtp_params.h): mimeType
 * is a string and parameters an object or array. Thread-safe for distinct
 * objects.
 */
#ifndef BRAID_CONTROLLER_ORTC_MATCH_H
#define BRAID_CONTROLLER_ORTC_MATCH_H

#include <jansson.h>
#include <stdbool.h>

/* Flags of braid_ortc_match_codecs(). */
#define BRAID_ORTC_MATCH_STRICT 1u /* apply the H264 and VP9 parameter rules */
#define BRAID_ORTC_MATCH_MODIFY 2u /* with STRICT: rewrite a's H264 profile-level-id */

/*
 * True when codecs a and b match loosely: same mimeType ignoring case,
 * clockRate and channels strictly equal (absent equals only absent, 1 never
 * equals "1"), and for audio/multiopus the same num_streams and
 * coupled_streams parameters. Both are borrowed and not modified. Pure.
 */
bool braid_ortc_match_codecs_loose(const json_t *a, const json_t *b);

/*
 * matchCodecs(a, b, {strict, modify}) with flags a mask of the
 * BRAID_ORTC_MATCH_* bits. a is borrowed and modified only with
 * BRAID_ORTC_MATCH_STRICT | BRAID_ORTC_MATCH_MODIFY on an H264 match (its
 * "profile-level-id" parameter is set in place or appended, or deleted;
 * a parameters array is left alone, where JS would hang a property on it
 * that JSON never shows); b is borrowed and never modified.
 * Returns 1 when they match, 0 when not, BRAID_ENOMEM when the rewrite
 * cannot allocate (a's parameters are then unchanged).
 */
int braid_ortc_match_codecs(json_t *a, const json_t *b, unsigned flags);

/*
 * isRtxCodec(): true when mimeType matches /.+\/rtx$/i, i.e. ends with
 * "/rtx" in any ASCII case, preceded by a character that is not a JS line
 * terminator. False when codec has no string mimeType.
 */
bool braid_ortc_match_is_rtx(const json_t *codec);

/*
 * True when the codec's mimeType, lower-cased as JS does (see above), is
 * lower_mime (an ASCII lower-case literal such as "video/vp9").
 */
bool braid_ortc_match_mime_is(const json_t *codec, const char *lower_mime);

#endif
