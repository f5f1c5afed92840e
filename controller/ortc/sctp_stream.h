/*
 * Validation of the sctpStreamParameters of a `produceData` request, after
 * mediasoup 3.27.1's ortc.ts `validateAndNormalizeSctpStreamParameters()`
 * (shared/docs/mediasoup-protocol.md sections 3.3 and 4.10).
 */
#ifndef BRAID_CONTROLLER_ORTC_SCTP_STREAM_H
#define BRAID_CONTROLLER_ORTC_SCTP_STREAM_H

#include <jansson.h>
#include <stddef.h>

/*
 * Checks and normalises params in place, in mediasoup's order:
 *   - params must be an object or array ("params is not an object"; null
 *     gives "Cannot read properties of null (reading 'streamId')");
 *   - streamId must be a number ("missing params.streamId");
 *   - a truthy maxPacketLifeTime must be a number ("invalid
 *     params.maxPacketLifeTime"), likewise maxRetransmits ("invalid
 *     params.maxRetransmits"); both truthy fails ("cannot provide both
 *     maxPacketLifeTime and maxRetransmits");
 *   - ordered: when it is a boolean it was given, and true together with a
 *     truthy maxPacketLifeTime or maxRetransmits fails ("cannot be ordered
 *     with maxPacketLifeTime or maxRetransmits"); when it is not a boolean
 *     it is set to true at once (in place, or appended) and then to false
 *     if either limit is truthy.
 * Keys are first put into JS order (jsjson.h).
 *
 * params is borrowed and may be partly normalised on error. Returns 0;
 * BRAID_EINVAL with mediasoup's message in err (NUL-terminated, truncated
 * to errlen; err may be NULL if errlen is 0); BRAID_ENOMEM.
 */
int braid_ortc_sctp_stream_validate(json_t *params, char *err, size_t errlen);

#endif
