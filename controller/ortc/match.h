/*
 * Codec matching, after mediasoup's `matchCodecs(a, b, {strict: false})`
 * (ortc.ts; shared/docs/mediasoup-protocol.md section 4.2).
 *
 * Only the non-strict mode is here: it is what generateRouterRtpCapabilities
 * uses to find a supported codec. The strict mode (H264 profile and
 * packetization-mode, VP9 profile-id) belongs with producer/consumer
 * parameter handling and will join this file when that lands.
 */
#ifndef BRAID_CONTROLLER_ORTC_MATCH_H
#define BRAID_CONTROLLER_ORTC_MATCH_H

#include <jansson.h>
#include <stdbool.h>

/*
 * True when codecs a and b match loosely: same mimeType ignoring ASCII case,
 * clockRate and channels strictly equal (absent equals only absent, 1 never
 * equals "1"), and for audio/multiopus the same num_streams and
 * coupled_streams parameters.
 *
 * Both must be codec objects already normalised by
 * braid_ortc_validate_codec_cap() (so mimeType is a string and parameters an
 * object). Both are borrowed and not modified. Pure; thread-safe.
 */
bool braid_ortc_match_codecs_loose(const json_t *a, const json_t *b);

#endif
