/*
 * mediasoup's supported RTP capabilities: every codec a router's mediaCodecs
 * may name and every RTP header extension a router offers.
 *
 * Source of truth: mediasoup 3.27.1 (npm package mediasoup@3.27.1, newest
 * release when this was written; file node/lib/supportedRtpCapabilities.js,
 * compiled from node/src/supportedRtpCapabilities.ts). The table is kept as
 * JSON text with mediasoup's entries, fields and key order, so that values
 * keep their JSON types (num_streams is the number 2, channel_mapping the
 * string "0,1,2,3") and the router capabilities we emit serialise exactly as
 * mediasoup's do.
 *
 * Differences from mediasoup 3.14.16, the version that
 * shared/docs/mediasoup-protocol.md section 3.1 describes:
 *   - codecs: video/AV1 added (3.16.0, PR #1508); video/H265 and
 *     video/H264-SVC removed (3.16.6, PRs #1564 and #1568);
 *   - header extensions: both frame-marking URIs removed (3.16.6);
 *     dependency-descriptor added for video with AV1 (recvonly since
 *     3.19.6, PR #1632); urn:mediasoup:params:rtp-hdrext:packet-id added
 *     for both kinds (3.19.5, PR #1631); and by 3.27.1 the preferredIds were
 *     renumbered to close the gaps:
 *       1 mid, 2 rtp-stream-id, 3 repaired-rtp-stream-id, 4 abs-send-time,
 *       5 transport-wide-cc-01 (audio recvonly), 6 ssrc-audio-level,
 *       7 dependency-descriptor, 8 video-orientation, 9 toffset,
 *       10 abs-capture-time, 11 playout-delay, 12 mediasoup packet-id.
 * Opus and multiopus carry nack and transport-cc; the other audio codecs
 * transport-cc only; CN and telephone-event none; video codecs nack,
 * nack pli, ccm fir, goog-remb and transport-cc. Static payload types:
 * PCMU 0, PCMA 8, G722 9, CN 13.
 *
 * Update procedure: diff node/lib/supportedRtpCapabilities.js of the new
 * release against the text in supported_caps.c and bump the version below.
 */
#ifndef BRAID_CONTROLLER_ORTC_SUPPORTED_CAPS_H
#define BRAID_CONTROLLER_ORTC_SUPPORTED_CAPS_H

#include <jansson.h>

/* The mediasoup release the table follows. */
#define BRAID_ORTC_SUPPORTED_CAPS_MEDIASOUP_VERSION "3.27.1"

/* The table as JSON text, as mediasoup declares it (before normalisation:
 * optional fields such as parameters, channels or rtcpFeedback[].parameter
 * are absent where mediasoup leaves them out). NUL-terminated. */
extern const char braid_ortc_supported_caps_text[];

/*
 * Builds the normalised table: {codecs: [...], headerExtensions: [...]} after
 * mediasoup's validateAndNormalizeRtpCapabilities(), i.e. every audio codec
 * has channels, every codec parameters and rtcpFeedback, every feedback entry
 * a parameter ("" when none), every extension preferredEncrypt and direction.
 *
 * On success *out holds a new object the caller owns (json_decref() it).
 * Returns 0; BRAID_ENOMEM when jansson cannot allocate (any failure to parse
 * the built-in text counts as that: the unit tests prove it parses);
 * BRAID_EINTERNAL if it does not validate (a bug the unit tests guard
 * against). *out is NULL on error. Thread-safe (no shared state).
 */
int braid_ortc_supported_caps_new(json_t **out);

#endif
