/*
 * The checks mediasoup's worker makes when it creates a producer, and the
 * producer type they yield (worker/src/RTC/RtpDictionaries/RtpParameters.cpp
 * constructor, ValidateCodecs(), ValidateEncodings() and GetType();
 * RtpCodecParameters.cpp; RtpCodecMimeType.cpp; RtpEncodingParameters.cpp;
 * RtcpParameters.cpp; RtpHeaderExtensionParameters.cpp; Producer.cpp
 * constructor; worker/include/RTC/RTP/Codecs/Tools.hpp IsValidTypeForCodec;
 * mediasoup 3.27.1, shared/docs/mediasoup-protocol.md sections 4.3 and
 * 4.9). In Braid the controller makes them, so that a produce request is
 * answered with the worker's error before any media daemon is involved.
 *
 * The worker reads the parameters from Node's flatbuffers serialisation,
 * which converts JS values on the way: payload types, header extension ids
 * and codecPayloadType become uint8 (modulo 256), ssrcs uint32; an integral
 * `apt` becomes an Integer32 parameter and any other one a Double (which is
 * not "a positive integer"); a mid, rid or cname that is null or absent is
 * absent. These functions apply the same conversions to the JSON.
 *
 * Type rules: one encoding with more than one spatial or temporal layer
 * (its scalabilityMode) is SVC when its codec allows SVC (VP8, VP9, H264,
 * AV1), else simulcast when the codec allows simulcast (VP8, H264), else no
 * type ("invalid RTP parameters"); one encoding without layers is simple;
 * several encodings are simulcast. Note that 3.27.1 makes a VP8 or H264
 * single stream with temporal layers (L1T3) an SVC producer, where 3.14
 * made it simulcast.
 *
 * Pure functions on borrowed JSON; thread-safe.
 */
#ifndef BRAID_CONTROLLER_ORTC_PRODUCER_TYPE_H
#define BRAID_CONTROLLER_ORTC_PRODUCER_TYPE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum braid_ortc_rtp_type {
  BRAID_ORTC_RTP_TYPE_SIMPLE,
  BRAID_ORTC_RTP_TYPE_SIMULCAST,
  BRAID_ORTC_RTP_TYPE_SVC,
  BRAID_ORTC_RTP_TYPE_PIPE,
} braid_ortc_rtp_type_t;

/* "simple", "simulcast", "svc" or "pipe": the strings mediasoup's API and
 * the `newConsumer` request use. */
const char *braid_ortc_producer_type_name(braid_ortc_rtp_type_t type);

/*
 * IsValidTypeForCodec(type, mimeType): simple and pipe suit every codec;
 * simulcast only video/VP8 and video/H264; SVC video/VP8, VP9, H264 and
 * AV1. mime_type is read as the worker reads it (case-insensitive, type
 * and subtype split at the first '/'); an unknown one suits nothing but
 * simple and pipe.
 */
bool braid_ortc_producer_type_valid_for_codec(braid_ortc_rtp_type_t type, const char *mime_type);

/*
 * Makes the worker's checks on a producer's final rtpParameters (after
 * braid_ortc_produce() steps: validated, CNAME applied, mapped) and its
 * rtpMapping, and computes the producer type. Messages, in the worker's
 * order:
 *   - per codec: "wrong codec MIME", "unknown codec MIME type 'x'",
 *     "unknown codec MIME subtype 'x'" (lower-cased), "missing apt
 *     parameter in RTX codec";
 *   - "empty codecs", "empty encodings";
 *   - per header extension: "invalid id 0";
 *   - "missing cname", "empty cname";
 *   - "duplicated payloadType", "apt in RTX codec points to a RTX codec"
 *     (or "a ULPFEC codec", "a FLEXFEC codec"), "apt in RTX codec points to
 *     a non existing codec";
 *   - "no media codecs found", "cannot use both simulcast and encodings
 *     with multiple SVC spatial layers", "invalid codecPayloadType",
 *     "unknown codecPayloadType";
 *   - "invalid RTP parameters" (no type), "video/VP9 codec not supported
 *     for simulcast" (the worker's canonical mimeType and type name);
 *   - "wrong entry in rtpMapping.encodings (missing ssrc or rid)" (several
 *     encodings), "wrong entry in rtpMapping.encodings (missing ssrc or
 *     rid, or rtpParameters.mid)" (one encoding and no mid), "wrong entry
 *     in rtpMapping.encodings (missing mappedSsrc)", "rtpParameters.encodings
 *     size does not match rtpMapping.encodings size".
 * One difference: a truthy codecPayloadType that is not a number fails
 * with "invalid encoding.codecPayloadType" (Node would write its ToNumber()
 * as a uint8; no client sends one).
 *
 * Returns 0 with *type set; BRAID_EINVAL with the message in err
 * (NUL-terminated, truncated to errlen; err may be NULL if errlen is 0);
 * BRAID_ENOMEM.
 */
int braid_ortc_producer_type_check(const json_t *params, const json_t *mapping,
                                   braid_ortc_rtp_type_t *type, char *err, size_t errlen);

#endif
