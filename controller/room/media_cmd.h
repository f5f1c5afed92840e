/*
 * The producer.create and consumer.create commands (proto/producer.h,
 * proto/consumer.h) made from the ORTC results (ortc/produce.h,
 * ortc/consume.h): what a media daemon needs of a producer's or consumer's
 * rtpParameters, as flat fields.
 *
 * Header extensions are read by URI: sdes:mid, sdes:rtp-stream-id (rid),
 * sdes:repaired-rtp-stream-id (rrid), abs-send-time, transport-wide-cc-01
 * (twcc), ssrc-audio-level, urn:3gpp:video-orientation, toffset,
 * abs-capture-time, playout-delay and the dependency descriptor; "fb" is
 * the OR of the codecs' rtcpFeedback (nack, nack pli, ccm fir, goog-remb,
 * transport-cc).
 *
 * The builders check what the command can carry and ORTC let pass: at most
 * BRAID_MAX_CODECS codecs and BRAID_MAX_ENCODINGS encodings, mids and rids
 * of at most BRAID_MID_MAX bytes, payload types 0..127, extension ids
 * 1..255, SSRCs below 2^32. They return 0, or BRAID_EINVAL with a message
 * for the client in err (NUL-terminated, truncated to errlen).
 *
 * Strings of the command borrow from the JSON and strings passed in: keep
 * them alive until the command is encoded. Pure; no allocation.
 */
#ifndef BRAID_CONTROLLER_ROOM_MEDIA_CMD_H
#define BRAID_CONTROLLER_ROOM_MEDIA_CMD_H

#include <stddef.h>

#include <jansson.h>

#include "controller/ortc/produce.h"
#include "proto/consumer.h"
#include "proto/producer.h"

/* producer.create from a braid_ortc_produce() result: client payload types
 * and extension ids, router payload types and mapped SSRCs from the
 * mapping, layers from each encoding's scalabilityMode; not paused; for
 * video, the key frame request delay set below (0 for audio). kind,
 * transport_id and producer_id are borrowed. */
int braid_media_cmd_producer(braid_cmd_producer_create_t *out, const braid_ortc_produce_t *res,
                             const char *kind, const char *transport_id, const char *producer_id,
                             char *err, size_t errlen);

/* Sets the keyFrameRequestDelay (ms, mediasoup's ProducerOptions) that
 * braid_media_cmd_producer() gives every video producer from then on: the
 * controller's --key-frame-request-delay, set once at start-up before any
 * command is built (configuration, STYLE.md rule 33). 0, the default,
 * sends key frame requests as mediasoup does without the option. Piped
 * producers get it too; their requests then coalesce on the daemon that
 * consumes them before they cross the pipe. */
void braid_media_cmd_set_key_frame_request_delay(uint32_t ms);

/* consumer.create from a consumer's rtpParameters (braid_ortc_consume()):
 * router payload types and extension ids, each media codec with its RTX
 * payload type, the one encoding's SSRCs, preferred layers the highest
 * its scalabilityMode gives; created paused, ignoring DTX. kind and type
 * are the producer's; every string is borrowed. */
int braid_media_cmd_consumer(braid_cmd_consumer_create_t *out, const json_t *rtp_parameters,
                             const char *kind, const char *type, const char *transport_id,
                             const char *consumer_id, const char *producer_id, char *err,
                             size_t errlen);

#endif
