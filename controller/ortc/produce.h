/*
 * A `produce` request, decided the way mediasoup 3.27.1 decides it:
 * Transport.produce() in Node (node/src/Transport.ts), the flatbuffers
 * serialisation of its request to the worker (rtpParametersFbsUtils.ts),
 * and the worker's producer checks (producer_type.h). The result is what a
 * media daemon needs to create the producer, and what consumers are made
 * from. shared/docs/mediasoup-protocol.md sections 3.3, 4.3-4.5 and 4.9.
 *
 * Not covered here (the caller's or the media daemon's job): a producer id
 * that already exists, appData, and the RTP listener's per-transport
 * uniqueness of ssrcs, MIDs and RIDs.
 */
#ifndef BRAID_CONTROLLER_ORTC_PRODUCE_H
#define BRAID_CONTROLLER_ORTC_PRODUCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "controller/ortc/producer_type.h"
#include "controller/ortc/transport.h"

typedef struct braid_ortc_produce {
  json_t *rtp_parameters;     /* owned: the producer's rtpParameters, normalised,
                                 CNAME applied, H264 profile-level-id rewritten */
  json_t *rtp_mapping;        /* owned: {codecs, encodings} (producer.h) */
  json_t *consumable;         /* owned: consumableRtpParameters (producer.h) */
  braid_ortc_rtp_type_t type; /* simple, simulcast or svc */
} braid_ortc_produce_t;

/*
 * Runs a produce request on transport t against the router capabilities
 * router_caps, in mediasoup's order:
 *   1. kind must be the string "audio" or "video" ('invalid kind "K"', K as
 *      JS's String(kind), "undefined" for NULL);
 *   2. a copy of rtp_parameters is validated (rtp_params.h; NULL is
 *      undefined: "params is not an object");
 *   3. missing or empty encodings become [{}];
 *   4. the transport's CNAME rule (transport.h), with random_cname;
 *   5. the mapping, with mapped_ssrc_base, and the consumable parameters
 *      (producer.h);
 *   6. what Node's serialisation rejects: a header extension uri it does
 *      not know ("invalid RtpHeaderExtensionUri: U"), and an encoding
 *      maxBitrate that BigInt() refuses: a non-integral number ("The number
 *      1.5 cannot be converted to a BigInt because it is not an integer"),
 *      null ("Cannot convert null to a BigInt"), a string (or an object's
 *      String()) that is not an integer literal ("Cannot convert x to a
 *      BigInt");
 *   7. the worker's checks and the producer type (producer_type.h).
 *
 * t is borrowed and updated (its CNAME; *cname_changed, which may be NULL,
 * tells whether to store it); kind, rtp_parameters and router_caps are
 * borrowed and not modified; random_cname as transport.h says.
 *
 * Returns 0 with *out filled (release it with braid_ortc_produce_cleanup());
 * BRAID_EINVAL with mediasoup's message in err (NUL-terminated, truncated
 * to errlen; err may be NULL if errlen is 0); BRAID_ENOMEM. On error *out
 * holds only NULLs and t may have taken a CNAME (as mediasoup's transport
 * does when a later step throws).
 */
int braid_ortc_produce(braid_ortc_transport_t *t, const json_t *kind, const json_t *rtp_parameters,
                       const json_t *router_caps, uint32_t mapped_ssrc_base,
                       const char *random_cname, braid_ortc_produce_t *out, bool *cname_changed,
                       char *err, size_t errlen);

/*
 * Steps 1-6 alone: what mediasoup's Node layer decides before the worker
 * sees the request. Same contract as braid_ortc_produce(), except that
 * out->type is not set (left SIMPLE) and the worker's checks are not made.
 * The parity tests compare this with mediasoup's Transport.produce().
 */
int braid_ortc_produce_node(braid_ortc_transport_t *t, const json_t *kind,
                            const json_t *rtp_parameters, const json_t *router_caps,
                            uint32_t mapped_ssrc_base, const char *random_cname,
                            braid_ortc_produce_t *out, bool *cname_changed, char *err,
                            size_t errlen);

/* Releases what braid_ortc_produce() put in p and sets the pointers to
 * NULL. Safe on a zeroed or already cleaned up struct. */
void braid_ortc_produce_cleanup(braid_ortc_produce_t *p);

/*
 * Step 6 alone: what Node's flatbuffers serialisation of rtpParameters
 * throws on (the header extension uris, then encodings' maxBitrate), with
 * the messages above. params is borrowed. Returns 0 or BRAID_EINVAL.
 */
int braid_ortc_produce_check_serializable(const json_t *params, char *err, size_t errlen);

#endif
