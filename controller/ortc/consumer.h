/*
 * Consumer RTP parameters, after mediasoup 3.27.1's ortc.ts `canConsume()`,
 * `getConsumerRtpParameters()` and `getPipeConsumerRtpParameters()`
 * (shared/docs/mediasoup-protocol.md sections 3.4, 4.6-4.8).
 *
 * consumable is a producer's consumableRtpParameters (producer.h); caps
 * are a client's rtpCapabilities (mediasoup-client's device.rtpCapabilities,
 * sent in `join`). Consumers keep the router's payload types and header
 * extension ids and the producer's codec parameters; mediasoup-client
 * refuses a consumer whose first codec PT is not one it loaded, so every
 * router of a room must have the same capabilities.
 *
 * Inputs are borrowed and never modified; outputs are new objects with
 * mediasoup's key order that share nothing with the inputs. Thread-safe for
 * distinct outputs; no global state.
 */
#ifndef BRAID_CONTROLLER_ORTC_CONSUMER_H
#define BRAID_CONTROLLER_ORTC_CONSUMER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The Dependency-Descriptor header extension that pipe consumers always
 * get (it is recvonly in the router capabilities, so consumable parameters
 * never hold it): mediasoup 3.27.1 caches it from its supported
 * capabilities, with preferredId 7 (supported_caps.h). */
#define BRAID_ORTC_DD_URI                                                                          \
  "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension"
#define BRAID_ORTC_DD_ID 7

/*
 * canConsume(consumable, caps), as Router.canConsume() calls it: caps are
 * validated on a copy (rtp_params.h); invalid ones give false with the
 * validation message in err (Router logs it). Otherwise true when the
 * consumable codecs that some caps codec matches strictly (match.h, the
 * caps codec as `a`) are not empty and the first is not RTX. err
 * (NUL-terminated, truncated to errlen, may be NULL if errlen is 0) is
 * written only when false is returned for invalid caps or lack of memory.
 */
bool braid_ortc_consumer_can_consume(const json_t *consumable, const json_t *caps, char *err,
                                     size_t errlen);

/*
 * getConsumerRtpParameters({consumableRtpParameters, remoteRtpCapabilities,
 * pipe, enableRtx}). caps must have been validated
 * (braid_ortc_rtp_params_validate_caps()), as Transport.consume() does.
 *   - codecs: each consumable codec (RTX ones only with enable_rtx) that a
 *     caps codec matches strictly, with that caps codec's rtcpFeedback
 *     (without plain "nack" unless enable_rtx); then RTX codecs whose apt
 *     names no kept codec are dropped. No codec, or an RTX one first, fails
 *     with "no compatible media codecs".
 *   - headerExtensions: the consumable ones that caps hold with the same
 *     preferredId and uri. Then rtcpFeedback is reduced: with
 *     transport-wide-cc-01, goog-remb goes; else with abs-send-time,
 *     transport-cc goes; else both go.
 *   - not pipe: one encoding {ssrc: random_ssrc, rtx?: {ssrc: random_ssrc +
 *     1} (when an RTX codec was kept), scalabilityMode?, maxBitrate?}: the
 *     first truthy scalabilityMode of the consumable encodings, rewritten
 *     to "L<N>T<T>" when there are N > 1 of them (T its temporal layers, 1
 *     if it does not parse); maxBitrate the largest truthy one by JS's `>`
 *     (jsjson.h), when not 0.
 *   - pipe: every consumable encoding, ssrc = random_ssrc + i, and rtx =
 *     {ssrc: random_rtx_ssrc + i} when an RTX codec was kept (else no rtx).
 *   - rtcp and msid: the consumable ones.
 * random_ssrc and random_rtx_ssrc (pipe only) stand for mediasoup's
 * crypto.randomInt(100000000, 999999999) draws, in that order.
 *
 * Returns 0 with *out owned by the caller; BRAID_EINVAL with mediasoup's
 * message in err; BRAID_ENOMEM. *out is NULL on error.
 */
int braid_ortc_consumer_params(const json_t *consumable, const json_t *caps, bool pipe,
                               bool enable_rtx, uint32_t random_ssrc, uint32_t random_rtx_ssrc,
                               json_t **out, char *err, size_t errlen);

/*
 * getPipeConsumerRtpParameters({consumableRtpParameters, enableRtx}), for
 * PipeTransport.consume(): every consumable codec (RTX only with
 * enable_rtx) with rtcpFeedback cut to "nack pli", "ccm fir" and, with
 * enable_rtx, plain "nack"; the consumable header extensions minus mid,
 * abs-send-time and transport-wide-cc-01, plus the Dependency-Descriptor
 * one, sorted by id (stable); every encoding with ssrc = random_ssrc + i
 * and, with enable_rtx, rtx = {ssrc: random_rtx_ssrc + i}; the consumable
 * rtcp and msid. No mid.
 *
 * Returns 0 with *out owned by the caller, or BRAID_ENOMEM (message in
 * err). *out is NULL on error.
 */
int braid_ortc_consumer_pipe_params(const json_t *consumable, bool enable_rtx, uint32_t random_ssrc,
                                    uint32_t random_rtx_ssrc, json_t **out, char *err,
                                    size_t errlen);

#endif
