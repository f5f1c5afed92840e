/*
 * The data half of a transport (mediasoup's Transport SCTP part and its
 * SctpListener): one SCTP association (mediad/sctp/sctp_assoc.h), the data
 * producers that receive on its streams and the data consumers that send
 * on them. A transport created with SCTP owns one (braid_transport_t.data);
 * without SCTP it has none.
 *
 *   remote --SCTP packet--> kind (DTLS record or UDP datagram)
 *          --> braid_data_transport_receive() --> association
 *          --> message on stream s --> the data producer of s
 *          --> each of its data consumers (any transport of the router)
 *          --> that transport's association, on the consumer's stream
 *          --> tx_sctp of that kind --> remote
 *
 * The kind decides when the association may start (WebRTC: DTLS
 * connected; plain: a remote tuple) and calls _connect(); it carries each
 * packet the association makes with its ops->tx_sctp.
 *
 * Streams: data producers use the stream their endpoint sends on (chosen
 * by the client); data consumers get one the data half picks
 * (_alloc_stream: round robin over [0, OS), skipping streams any data
 * producer or consumer of the association uses, as mediasoup's
 * getNextSctpStreamId, so a DataChannel id never names two of ours).
 *
 * DCEP (RFC 8832): mediasoup-client opens negotiated channels (no DCEP).
 * An endpoint that opens channels in-band gets DATA_CHANNEL_ACK for a
 * valid OPEN, so its channel opens; its messages flow once a data
 * producer is made for that stream (produceData with its streamId). A
 * malformed DCEP message is dropped and counted.
 *
 * The association's timers run on one loop timer per daemon (every
 * BRAID_SCTP_TICK_MS while any association exists and for 10 s after the
 * last one goes, so that usrsctp reclaims what it still holds; started
 * and stopped here). Per message: no allocation and no logging of ours (usrsctp
 * allocates per packet, see sctp_assoc.h).
 */
#ifndef BRAID_MEDIAD_RTC_DATA_TRANSPORT_H
#define BRAID_MEDIAD_RTC_DATA_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/mediad.h"
#include "mediad/sctp/sctp_assoc.h"

typedef struct braid_transport braid_transport_t;
typedef struct braid_data_producer braid_data_producer_t;
typedef struct braid_data_consumer braid_data_consumer_t;
typedef struct braid_data_transport braid_data_transport_t;

/* Counters of the data half (its association's are in sctp_assoc.h). */
typedef struct braid_data_transport_stats {
  uint64_t rx_no_producer; /* messages on a stream no data producer takes */
  uint64_t rx_dcep_bad;    /* DCEP messages that do not parse, or an unknown type */
  uint64_t rx_dcep_open;   /* DATA_CHANNEL_OPEN answered with an ACK */
} braid_data_transport_stats_t;

/* The WebRTC options of a transport's association: stream counts and
 * message size from the create command; is_data_channel for WebRTC. */
typedef struct braid_data_transport_opts {
  uint16_t os, mis;
  size_t max_message_size;
  bool is_data_channel;
} braid_data_transport_opts_t;

/*
 * Makes the data half of t (t->data stays the caller's to set) with a new
 * association in state "new". Returns 0, BRAID_EINVAL (an option out of
 * range), BRAID_ELIMIT or BRAID_EINTERNAL (sctp_assoc.h).
 */
int braid_data_transport_new(braid_data_transport_t **out, braid_transport_t *t,
                             const braid_data_transport_opts_t *o);
/* Closes its data consumers and data producers (the latter's consumers on
 * other transports too, publishing data_producer.closed and
 * data_consumer.closed as data_producer.h says), then frees the
 * association. NULL is a no-op. */
void braid_data_transport_free(braid_data_transport_t *d);

/* The layer below is ready: starts the association (INIT). Later calls do
 * nothing. */
void braid_data_transport_connect(braid_data_transport_t *d);
/* One SCTP packet from the remote (a DTLS record's data, or a UDP
 * datagram); borrowed for the call. Bad packets are dropped and counted
 * by the association. */
void braid_data_transport_receive(braid_data_transport_t *d, const uint8_t *pkt, size_t len);

/* Whether a UDP datagram is SCTP for a plain transport: at least a common
 * header, source and destination port 5000 (mediasoup's IsSctp). */
bool braid_data_transport_is_sctp(const uint8_t *data, size_t len);

/* Closes the daemon's SCTP clock (at shutdown, after every transport
 * closed). */
void braid_data_transport_shutdown(braid_mediad_t *md);

/* ---- for data_producer.c and data_consumer.c -------------------------- */

/* Registers a data producer on its stream; BRAID_EEXIST when another
 * data producer of the association has it (a data consumer may send on
 * the same stream number: the two directions are separate, as in
 * mediasoup). */
int braid_data_transport_add_producer(braid_data_transport_t *d, braid_data_producer_t *p);
/* Unregisters p; reset: also resets the outgoing stream of p's number
 * (see data_producer.h) unless one of our data consumers sends on it. */
void braid_data_transport_remove_producer(braid_data_transport_t *d, braid_data_producer_t *p,
                                          bool reset);
/* Picks a free stream for a data consumer and registers it; BRAID_ELIMIT
 * when every stream below OS is taken. */
int braid_data_transport_add_consumer(braid_data_transport_t *d, braid_data_consumer_t *c,
                                      uint16_t *stream);
void braid_data_transport_remove_consumer(braid_data_transport_t *d, braid_data_consumer_t *c);
/* Sends one message on stream (see braid_sctp_assoc_send()). */
int braid_data_transport_send(braid_data_transport_t *d, uint16_t stream, uint32_t ppid,
                              const uint8_t *data, size_t len, const braid_sctp_send_opts_t *o);
/* Resets our outgoing stream (closes the remote's DataChannel of that id)
 * when the association is connected; otherwise nothing. */
void braid_data_transport_reset_stream(braid_data_transport_t *d, uint16_t stream);

/* ---- accessors --------------------------------------------------------- */

braid_sctp_state_t braid_data_transport_state(const braid_data_transport_t *d);
const char *braid_data_transport_state_name(const braid_data_transport_t *d);
const braid_sctp_assoc_t *braid_data_transport_assoc(const braid_data_transport_t *d);
const braid_data_transport_stats_t *braid_data_transport_stats(const braid_data_transport_t *d);
/* Messages and packets dropped as bad (the association's rx_dropped, bad
 * DCEP, no data producer), for the node's rx_dropped. */
uint64_t braid_data_transport_dropped(const braid_data_transport_t *d);

#endif
