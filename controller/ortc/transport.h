/*
 * The per-transport state mediasoup's Node layer keeps for producers and
 * consumers (node/src/Transport.ts, 3.27.1; shared/docs/mediasoup-protocol.md
 * sections 4.3 and 4.7):
 *   - cnameForProducers: the RTCP CNAME every producer of a transport gets.
 *     The first producer that brings a CNAME sets it (or, if it brings none,
 *     a random 8-character one is made), and from then on it *replaces*
 *     the CNAME of every producer of that transport, so all of a client's
 *     streams share one CNAME and can be lip-synced. A PipeTransport keeps
 *     each producer's own CNAME, and gives a random one of its own to a
 *     producer without one (it must not share a clock with the others).
 *   - nextMidForConsumers: consumers without an explicit mid get "0", "1",
 *     ... per transport; after "99999999" the counter wraps to 0, since the
 *     MID header extension holds at most 8 bytes.
 *
 * Braid's controllers are stateless: a caller loads this state (from
 * Redis) into the struct, calls the helpers and stores it back when they
 * report a change. Not thread-safe for a given struct.
 */
#ifndef BRAID_CONTROLLER_ORTC_TRANSPORT_H
#define BRAID_CONTROLLER_ORTC_TRANSPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MIDs wrap here (mediasoup: `if (this.#nextMidForConsumers === 100000000)`). */
#define BRAID_ORTC_MID_WRAP 100000000u
/* Room for a consumer MID and its NUL ("99999999"). */
#define BRAID_ORTC_MID_STRLEN 9
/* Length of a random CNAME (mediasoup: generateUUIDv4().substr(0, 8)). */
#define BRAID_ORTC_CNAME_RANDOM_LEN 8

typedef struct braid_ortc_transport {
  bool is_pipe;      /* a PipeTransport: no CNAME override */
  json_t *cname;     /* owned: cnameForProducers (a JSON string), or NULL */
  uint32_t next_mid; /* nextMidForConsumers, < BRAID_ORTC_MID_WRAP */
} braid_ortc_transport_t;

/* Initialises t for a new transport: no CNAME yet, next MID "0". */
void braid_ortc_transport_init(braid_ortc_transport_t *t, bool is_pipe);

/* Releases the CNAME. t may be initialised again afterwards. */
void braid_ortc_transport_cleanup(braid_ortc_transport_t *t);

/*
 * Applies the CNAME rule of Transport.produce() to rtp_params, validated
 * rtpParameters (braid_ortc_rtp_params_validate(), so `rtcp` is an object):
 *   - not a pipe: if t has no CNAME yet, it takes rtcp.cname when that is
 *     truthy, else the first BRAID_ORTC_CNAME_RANDOM_LEN characters of
 *     random_cname; then rtcp.cname is set to t's CNAME (in place, or
 *     appended after reducedSize);
 *   - a pipe: a falsy rtcp.cname becomes the first
 *     BRAID_ORTC_CNAME_RANDOM_LEN characters of random_cname; t is unchanged.
 * random_cname is any string of at least that many characters (mediasoup
 * takes a UUIDv4's first 8 hex digits: pass braid_id_uuid()'s output). It
 * is borrowed and used only when needed.
 *
 * *changed (may be NULL) tells whether t->cname was set by this call, so
 * the caller must store it. rtp_params is borrowed and modified.
 * Returns 0 or BRAID_ENOMEM.
 */
int braid_ortc_transport_apply_cname(braid_ortc_transport_t *t, json_t *rtp_params,
                                     const char *random_cname, bool *changed);

/*
 * Writes the next consumer MID ("0", "1", ...) into out and advances the
 * counter, wrapping to 0 when it reaches BRAID_ORTC_MID_WRAP. Returns out.
 */
const char *braid_ortc_transport_next_mid(braid_ortc_transport_t *t,
                                          char out[BRAID_ORTC_MID_STRLEN]);

#endif
