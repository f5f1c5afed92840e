/*
 * Validation and normalisation of RTP capability objects, after mediasoup's
 * ortc.ts (`validateAndNormalizeRtpCodecCapability`,
 * `validateAndNormalizeRtcpFeedback`, `validateAndNormalizeRtpHeaderExtension`;
 * see shared/docs/mediasoup-protocol.md sections 3.6 and 4.1).
 *
 * Like mediasoup, these functions *modify* the object they check: they fill
 * in defaults and fix fields. Keys that are added are appended at the end of
 * the object and keys that are replaced keep their place, exactly as a JS
 * assignment does, so serialised output keeps mediasoup's key order.
 * Callers that must not touch their input validate a json_deep_copy().
 *
 * A value that JS would read a property of although it is null gets V8's
 * TypeError message, "Cannot read properties of null (reading 'mimeType')",
 * as mediasoup's clients see it.
 *
 * Every function returns 0, or BRAID_EINVAL with mediasoup's message in err
 * (NUL-terminated, truncated to errlen; err may be NULL when errlen is 0),
 * or BRAID_ENOMEM when jansson cannot allocate. The object is borrowed and
 * may be partly normalised when an error is returned. Not thread-safe for a
 * given object; no global state.
 */
#ifndef BRAID_CONTROLLER_ORTC_VALIDATE_H
#define BRAID_CONTROLLER_ORTC_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Validates an RtpCodecCapability (a router media codec or a capability
 * entry) and normalises it:
 *   - mimeType must be a non-empty string matching /^(audio|video)\/(.+)/i
 *     ("missing codec.mimeType", "invalid codec.mimeType");
 *   - kind is overwritten with the lower-cased media part of mimeType;
 *   - a truthy preferredPayloadType must be a number
 *     ("invalid codec.preferredPayloadType");
 *   - clockRate must be a number ("missing codec.clockRate");
 *   - audio: channels becomes 1 unless it is a number; video: channels is
 *     removed;
 *   - parameters becomes {} unless it is an object (an array is turned into
 *     an object keyed "0", "1", ..., as JS's Object.keys() sees it, and as
 *     the `{...parameters}` spread of generateRouterRtpCapabilities() makes
 *     it; mediasoup keeps an array in other places, where only named keys
 *     are ever read, so no result differs); each value must be a string or
 *     a number ("invalid codec parameter [key:Xs, value:V]", mediasoup's
 *     wording with its stray "s" and JS's String(V)), and apt must be a
 *     number ("invalid codec apt parameter");
 *   - rtcpFeedback becomes [] unless it is an array; each entry is checked
 *     with braid_ortc_validate_rtcp_fb().
 */
int braid_ortc_validate_codec_cap(json_t *codec, char *err, size_t errlen);

/*
 * Validates an RtcpFeedback entry: type must be a non-empty string
 * ("missing fb.type"); parameter becomes "" unless it is a non-empty string.
 */
int braid_ortc_validate_rtcp_fb(json_t *fb, char *err, size_t errlen);

/*
 * Validates an RtpHeaderExtension capability: kind must be "audio" or
 * "video" ("invalid ext.kind"), uri a non-empty string ("missing ext.uri"),
 * preferredId a number ("missing ext.preferredId"); a truthy
 * preferredEncrypt must be a boolean ("invalid ext.preferredEncrypt") and a
 * falsy one becomes false; a truthy direction must be a string
 * ("invalid ext.direction") and a falsy one becomes "sendrecv".
 */
int braid_ortc_validate_hdrext_cap(json_t *ext, char *err, size_t errlen);

/* ---- shared by the files of controller/ortc/ ---- */

/* Writes a printf-style message into err (if err != NULL and errlen > 0)
 * and returns code. */
int braid__ortc_fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fails with BRAID_EINVAL and V8's message for reading prop_name of null:
 * "Cannot read properties of null (reading 'prop_name')". */
int braid__ortc_null_read(char *err, size_t errlen, const char *prop_name);

/*
 * The first checks of both codec validators: codec is an object or array
 * (null: the null-read message for 'mimeType'; else "codec is not an
 * object"), its mimeType a non-empty string ("missing codec.mimeType")
 * matching /^(audio|video)\/(.+)/i ("invalid codec.mimeType"). On success
 * *kind is the static string "audio" or "video". codec is not modified.
 */
int braid__ortc_validate_mime(json_t *codec, const char **kind, char *err, size_t errlen);

/*
 * The last steps of both codec validators, for a codec object of the given
 * kind: channels (default 1 for audio, removed for video), parameters and
 * rtcpFeedback, as braid_ortc_validate_codec_cap() describes, except that
 * with keep_array a parameters array is kept as mediasoup keeps it (its
 * elements are checked as values of keys "0", "1", ...).
 */
int braid__ortc_validate_codec_tail(json_t *codec, const char *kind, bool keep_array, char *err,
                                    size_t errlen);

/*
 * Checks that every value of the object (or array) params is a string or a
 * number.
 * what == NULL: codec parameters, failing with mediasoup's "invalid codec
 * parameter [...]" or "invalid codec apt parameter"; otherwise the message
 * to fail with (header extension parameters). params is borrowed.
 */
int braid__ortc_check_params(const json_t *params, const char *what, char *err, size_t errlen);

#endif
