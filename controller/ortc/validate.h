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
 * Every function returns 0, or BRAID_EINVAL with mediasoup's message in err
 * (NUL-terminated, truncated to errlen; err may be NULL when errlen is 0),
 * or BRAID_ENOMEM when jansson cannot allocate. The object is borrowed and
 * may be partly normalised when an error is returned. Not thread-safe for a
 * given object; no global state.
 */
#ifndef BRAID_CONTROLLER_ORTC_VALIDATE_H
#define BRAID_CONTROLLER_ORTC_VALIDATE_H

#include <jansson.h>
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
 *     an object keyed "0", "1", ..., as JS's Object.keys() sees it); each
 *     value must be a string or a number ("invalid codec parameter [...]"),
 *     and apt must be a number ("invalid codec apt parameter");
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

/* Writes a printf-style message into err (if err != NULL and errlen > 0)
 * and returns code. Shared by the files of controller/ortc/. */
int braid__ortc_fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
