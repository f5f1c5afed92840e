/*
 * Router RTP capabilities: the `rtpCapabilities` a client passes to
 * mediasoup-client's Device.load(), computed from a router's configured
 * media codecs exactly as mediasoup's generateRouterRtpCapabilities() does
 * (ortc.ts; shared/docs/mediasoup-protocol.md section 4.1). Every router of
 * a room must be built from the same media codecs, because the client only
 * consumes payload types it loaded (section 3.6); the computation is
 * deterministic, so equal inputs give equal capabilities.
 */
#ifndef BRAID_CONTROLLER_ORTC_ROUTER_CAPS_H
#define BRAID_CONTROLLER_ORTC_ROUTER_CAPS_H

#include <jansson.h>
#include <stddef.h>

/*
 * Computes router RTP capabilities from media_codecs, a JSON array of
 * RtpCodecCapability objects ({kind, mimeType, clockRate, channels?,
 * preferredPayloadType?, parameters?, rtcpFeedback?}); NULL means [].
 *
 * For each media codec, in order:
 *   1. validate and normalise a copy (validate.h; kind comes from mimeType);
 *   2. find the first supported codec (supported_caps.h) that matches
 *      loosely (match.h), else "media codec not supported [mimeType:X]";
 *   3. start from a copy of that supported codec: its mimeType casing
 *      ("video/H264" even if "video/h264" was configured) and its
 *      rtcpFeedback are kept, the configured rtcpFeedback is ignored;
 *   4. preferredPayloadType: the configured one if it is a number (removing
 *      it from the dynamic pool), else the supported static one (PCMU 0,
 *      PCMA 8, G722 9, CN 13), else the next of the dynamic pool
 *      100..127, 96..99 ("cannot allocate more dynamic codec payload
 *      types" when empty); a value already used by an earlier codec or RTX
 *      entry gives "duplicated codec.preferredPayloadType";
 *   5. parameters: the supported ones, then the configured ones (configured
 *      values win; JSON types are kept, integral reals become integers);
 *   6. append it, and after a video codec append its RTX codec
 *      {kind, mimeType:"video/rtx", preferredPayloadType:<next dynamic>,
 *      clockRate, parameters:{apt:<codec PT>}, rtcpFeedback:[]}.
 * headerExtensions is the whole supported list.
 *
 * Output key order is mediasoup's (codecs keep the supported entry's key
 * order, with preferredPayloadType appended when it had none). The one
 * difference: JS would list integer-like parameter names ("0", "42") first;
 * we keep insertion order. No key of the supported table is integer-like.
 *
 * media_codecs is borrowed and never modified. On success *caps_out is a new
 * object {codecs, headerExtensions} owned by the caller (json_decref()).
 * Returns 0; BRAID_EINVAL with mediasoup's message in err when the input is
 * rejected (mediasoup's TypeError, UnsupportedError or Error); BRAID_ENOMEM
 * when jansson cannot allocate; BRAID_EINTERNAL if the built-in table is
 * broken (a bug). *caps_out is NULL on error. err (may be NULL if errlen is
 * 0) is NUL-terminated and truncated to errlen. Thread-safe.
 */
int braid_ortc_router_caps(const json_t *media_codecs, json_t **caps_out, char *err, size_t errlen);

/*
 * The mediasoup-demo's routerOptions.mediaCodecs (server/config.example.js;
 * doc section 3.1) as JSON text: opus 48000/2; VP8 and VP9 (profile-id 2)
 * with x-google-start-bitrate 1000; two "video/h264" entries, packetization-
 * mode 1 with profile-level-id "4d0032" and "42e01f". It yields PTs 100..108.
 */
extern const char braid_ortc_default_media_codecs[];

/*
 * Loads a media codec list: the JSON file at path_or_null, or
 * braid_ortc_default_media_codecs when it is NULL. The top level must be an
 * array; its entries are not checked here (braid_ortc_router_caps() does
 * that). Duplicate keys in an object are rejected.
 *
 * On success *out is a new array owned by the caller (json_decref()).
 * Returns 0; BRAID_EINVAL with a message in err when the file cannot be read,
 * is not JSON or is not an array; BRAID_ENOMEM when jansson reports that it
 * could not allocate (it reports some allocation failures inside its lexer
 * as syntax errors, which come back as BRAID_EINVAL). *out is NULL on error.
 */
int braid_ortc_load_media_codecs(const char *path_or_null, json_t **out, char *err, size_t errlen);

#endif
