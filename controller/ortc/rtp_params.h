/*
 * Validation and normalisation of what clients send: the rtpParameters of a
 * `produce` request and the rtpCapabilities of `join` (or of a consume),
 * after mediasoup 3.27.1's ortc.ts `validateAndNormalizeRtpParameters()`
 * and `validateAndNormalizeRtpCapabilities()`
 * (shared/docs/mediasoup-protocol.md sections 3.3, 3.6 and 4.3).
 *
 * Like mediasoup, both functions *modify* the object they check: defaults
 * are filled in (appended at the end of an object, as a JS assignment
 * does) and wrong-typed optional values replaced in place; keys are first
 * put into JS order (jsjson.h), as JSON.parse() would have ordered them.
 * Callers that must keep their input validate a json_deep_copy(). Values
 * keep their JSON types: 1 stays a number and "1" a string.
 *
 * Where JS would read a property of null, the error is V8's TypeError
 * message, e.g. "Cannot read properties of null (reading 'ssrc')".
 *
 * Arrays where objects are expected are JS objects too: mediasoup reads no
 * named property from them and may set some that JSON.stringify() never
 * shows. Capabilities that are an array pass unchanged (every reader then
 * sees no codecs and no extensions, as mediasoup does), and `parameters`
 * arrays are kept. One difference, on input no mediasoup client sends: an
 * encoding or `rtcp` that is an array is rejected ("encoding is not an
 * object", "params.rtcp is not an object"), where mediasoup would carry
 * defaults and the transport's CNAME as hidden properties of the array.
 *
 * Both functions return 0; BRAID_EINVAL with mediasoup's message in err
 * (NUL-terminated, truncated to errlen; err may be NULL if errlen is 0);
 * BRAID_ENOMEM when jansson cannot allocate. The object is borrowed and
 * may be partly normalised when an error is returned. No global state.
 */
#ifndef BRAID_CONTROLLER_ORTC_RTP_PARAMS_H
#define BRAID_CONTROLLER_ORTC_RTP_PARAMS_H

#include <jansson.h>
#include <stddef.h>

/*
 * validateAndNormalizeRtpParameters(params), in mediasoup's order:
 *   - params must be an object ("params is not an object");
 *   - a truthy mid must be a string ("params.mid is not a string");
 *   - codecs must be an array ("missing params.codecs"); each codec:
 *     mimeType as for capabilities ("missing codec.mimeType", "invalid
 *     codec.mimeType"), payloadType a number ("missing codec.payloadType"),
 *     clockRate a number ("missing codec.clockRate"), then channels,
 *     parameters and rtcpFeedback as validate.h describes (kind is NOT
 *     added: RtpCodecParameters have none; a parameters array is kept);
 *   - headerExtensions: a truthy non-array fails ("params.headerExtensions
 *     is not an array"), a falsy one becomes []; each entry needs a
 *     non-empty string uri ("missing ext.uri") and a number id ("missing
 *     ext.id"); a truthy encrypt must be a boolean ("invalid ext.encrypt")
 *     and a falsy one becomes false; parameters becomes {} unless it is an
 *     object or array, and its values must be strings or numbers ("invalid
 *     header extension parameter");
 *   - encodings: like headerExtensions ("params.encodings is not an
 *     array"); each entry: a truthy ssrc must be a number ("invalid
 *     encoding.ssrc"), a truthy rid a string ("invalid encoding.rid"), a
 *     truthy rtx an object ("invalid encoding.rtx") with a number ssrc
 *     ("missing encoding.rtx.ssrc"); dtx becomes false unless it is true;
 *     a truthy scalabilityMode must be a string ("invalid
 *     encoding.scalabilityMode");
 *   - rtcp: a truthy non-object fails ("params.rtcp is not an object"), a
 *     falsy one becomes {};
 *   - a truthy msid must be a string ("params.msid is not a string");
 *   - rtcp: a truthy cname must be a string ("invalid rtcp.cname");
 *     reducedSize becomes true unless it is true.
 */
int braid_ortc_rtp_params_validate(json_t *params, char *err, size_t errlen);

/*
 * validateAndNormalizeRtpCapabilities(caps): caps must be an object ("caps
 * is not an object"; an array passes unchanged, see above); codecs: a truthy non-array fails
 * ("caps.codecs is not an array"), a falsy one becomes [], and each entry is checked with
 * braid_ortc_validate_codec_cap(); headerExtensions likewise
 * ("caps.headerExtensions is not an array"), each entry checked with
 * braid_ortc_validate_hdrext_cap().
 */
int braid_ortc_rtp_params_validate_caps(json_t *caps, char *err, size_t errlen);

#endif
