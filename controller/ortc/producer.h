/*
 * What a router makes of a producer's rtpParameters, after mediasoup
 * 3.27.1's ortc.ts `getProducerRtpParametersMapping()` and
 * `getConsumableRtpParameters()` (shared/docs/mediasoup-protocol.md
 * sections 4.4 and 4.5).
 *
 * The mapping tells the media daemon how to rewrite the producer's packets
 * into router terms (payload types of the router capabilities, and one
 * router SSRC per encoding); the consumable parameters are what every
 * consumer of the producer is derived from (consumer.h).
 *
 * Inputs are a producer's rtpParameters already validated
 * (braid_ortc_rtp_params_validate()) and the router capabilities
 * (braid_ortc_router_caps()). Output objects are new, with mediasoup's key
 * order, and share no value with the inputs. Errors carry mediasoup's
 * messages. Not thread-safe for a given params object (the mapping may
 * rewrite it); no global state.
 */
#ifndef BRAID_CONTROLLER_ORTC_PRODUCER_H
#define BRAID_CONTROLLER_ORTC_PRODUCER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/*
 * getProducerRtpParametersMapping(params, caps).
 *
 * For each media (non-RTX) codec of params, in order, the first caps codec
 * that matches strictly (match.h) -- and that match rewrites the codec's
 * H264 profile-level-id in params to the answer's, as mediasoup does; else
 * "unsupported codec [mimeType:M, payloadType:P]". Then for each RTX codec:
 * the first codec of params whose payloadType === its apt ("missing media
 * codec found for RTX PT P" when none), and the caps RTX codec whose apt is
 * the router PT of that codec ("no RTX codec for capability codec PT P").
 * When apt names an RTX codec not mapped yet, mediasoup fails reading a
 * property of undefined, and so do we, with V8's message "Cannot read
 * properties of undefined (reading 'preferredPayloadType')".
 *
 * *mapping_out = {codecs: [{payloadType, mappedPayloadType}] (media codecs
 * first, then RTX, each in params order), encodings: [{ssrc?, rid?,
 * mappedSsrc}]} with one entry per encoding, ssrc and rid copied when the
 * encoding has the key, and mappedSsrc = mapped_ssrc_base + index.
 * mediasoup draws the base from crypto.randomInt(100000000, 999999999);
 * callers pass braid_id_random_u32(100000000, 999999999) (common/id.h),
 * tests a fixed value.
 *
 * params is borrowed and modified (profile-level-id rewrites); caps is
 * borrowed. Returns 0 with *mapping_out owned by the caller; BRAID_EINVAL
 * with the message in err; BRAID_ENOMEM. *mapping_out is NULL on error.
 * err is NUL-terminated and truncated to errlen (NULL if errlen is 0).
 */
int braid_ortc_producer_mapping(json_t *params, const json_t *caps, uint32_t mapped_ssrc_base,
                                json_t **mapping_out, char *err, size_t errlen);

/*
 * getConsumableRtpParameters(kind, params, caps, mapping), kind "audio" or
 * "video":
 *   - codecs: for each media codec of params, the caps codec of its mapped
 *     PT as {mimeType, payloadType, clockRate, channels?, parameters,
 *     rtcpFeedback}, with the *producer's* parameters and the *router's*
 *     rtcpFeedback, followed by the caps RTX codec whose apt is that PT, if
 *     any, as {mimeType, payloadType, clockRate, parameters, rtcpFeedback};
 *   - headerExtensions: each caps extension of that kind whose direction is
 *     sendrecv or sendonly, as {uri, id, encrypt, parameters: {}};
 *     abs-capture-time only when params negotiated it;
 *   - encodings: a copy of params.encodings without rid, rtx and
 *     codecPayloadType, and ssrc set to the mapping's mappedSsrc;
 *   - rtcp: {cname?, reducedSize: true}; msid copied when params has one.
 *
 * All inputs are borrowed. Returns 0 with *out owned by the caller;
 * BRAID_EINVAL ("invalid rtpMapping") when mapping does not come from
 * braid_ortc_producer_mapping() on these params and caps; BRAID_ENOMEM.
 * *out is NULL on error.
 */
int braid_ortc_producer_consumable(const char *kind, const json_t *params, const json_t *caps,
                                   const json_t *mapping, json_t **out, char *err, size_t errlen);

#endif
