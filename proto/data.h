/*
 * DataProducer and DataConsumer command bodies: SCTP DataChannels over a
 * transport's SCTP association (members of braid_cmd_t's union; cmd.h has
 * the envelope, braid_cmd_encode() and braid_cmd_decode()). The controller
 * validates what the client sent (mediasoup-protocol.md §4.10) and picks
 * the ids; the node opens the streams.
 *
 * Every key listed is required unless marked optional. Ids are strings of
 * at most BRAID_ID_MAX bytes.
 *
 *   "data_producer.create"  (u.data_producer_create): produceData()
 *       "transport"     str (id)    the transport whose association carries it
 *       "data_producer" str (id)    new data producer id
 *       "stream"   u64 0..BRAID_SCTP_STREAM_ID_MAX  the SCTP stream the
 *                                   endpoint sends on (sctpStreamParameters
 *                                   .streamId, picked by the client)
 *       "ordered"  bool             in-order delivery
 *       "max_life" u64 0..BRAID_DATA_PR_MAX (ms), optional: maxPacketLifeTime
 *       "max_rtx"  u64 0..BRAID_DATA_PR_MAX, optional: maxRetransmits
 *       "label"    str (<= BRAID_DATA_LABEL_MAX, may be empty)
 *       "protocol" str (<= BRAID_DATA_PROTOCOL_MAX, may be empty)
 *       "paused"   bool
 *   "data_producer.close" / ".pause" / ".resume" / ".stats"
 *   (u.data_producer_ref): "data_producer" str (id; close is idempotent)
 *   "data_consumer.create"  (u.data_consumer_create): consumeData()
 *       "transport"     str (id)    the transport that sends to the endpoint
 *       "data_consumer" str (id)    new data consumer id
 *       "data_producer" str (id)    the data producer it forwards
 *       "ordered", "max_life", "max_rtx"  as above: the producer's values,
 *                                   or the ones given to consumeData()
 *       "paused"   bool
 *       The node picks the SCTP stream (unique in the association, below
 *       its outgoing stream count) and answers it:
 *       braid_reply_encode_data_consumer() / braid_reply_result_data_consumer().
 *       The label and the protocol are the data producer's.
 *   "data_consumer.close" / ".pause" / ".resume" / ".stats"
 *   (u.data_consumer_ref): "data_consumer" str (id; close is idempotent)
 *
 * Partial reliability follows mediasoup's rule (validateSctpStreamParameters):
 * at most one of "max_life" and "max_rtx", and neither with "ordered" true.
 * 0 is a meaningful value for both (maxRetransmits 0: send once), so each
 * has a presence flag rather than a reserved value: the key is encoded only
 * when the flag is set, and decoding sets the flag when the key is there
 * (the value is then 0 when absent).
 *
 * Decoding gives BRAID_EMALFORMED for a value out of range ("key 'stream'
 * is out of range") and for a broken partial reliability rule ("partial
 * reliability needs ordered false and one of max_life, max_rtx"),
 * BRAID_ETOOBIG for a string over its limit ("key 'label' is too long").
 * Encoding refuses the same values with BRAID_EINVAL.
 */
#ifndef BRAID_PROTO_DATA_H
#define BRAID_PROTO_DATA_H

#include "proto/proto.h"

#define BRAID_DATA_LABEL_MAX     1024  /* a DataChannel label, bytes */
#define BRAID_DATA_PROTOCOL_MAX  1024  /* a DataChannel subprotocol, bytes */
#define BRAID_SCTP_STREAM_ID_MAX 65534 /* SCTP stream ids (65535 is reserved) */
/* maxPacketLifeTime and maxRetransmits: unsigned short in WebRTC's
 * RTCDataChannelInit and in mediasoup's worker. */
#define BRAID_DATA_PR_MAX 65535

/* data_producer.create: Transport.produceData(). */
typedef struct braid_cmd_data_producer_create {
  braid_str_t transport_id;     /* "transport"; borrowed, like every string of a command */
  braid_str_t data_producer_id; /* "data_producer" */
  uint64_t stream;              /* "stream": 0..BRAID_SCTP_STREAM_ID_MAX */
  bool ordered;                 /* "ordered" */
  bool has_max_packet_life_time;
  uint64_t max_packet_life_time; /* "max_life", ms, 0..BRAID_DATA_PR_MAX; only if has_ */
  bool has_max_retransmits;
  uint64_t max_retransmits; /* "max_rtx", 0..BRAID_DATA_PR_MAX; only if has_ */
  braid_str_t label;        /* "label", <= BRAID_DATA_LABEL_MAX */
  braid_str_t protocol;     /* "protocol", <= BRAID_DATA_PROTOCOL_MAX */
  bool paused;              /* "paused" */
} braid_cmd_data_producer_create_t;

/* data_producer.close, .pause, .resume, .stats. */
typedef struct braid_cmd_data_producer_ref {
  braid_str_t data_producer_id; /* "data_producer" */
} braid_cmd_data_producer_ref_t;

/* data_consumer.create: Transport.consumeData(). The stream id is the
 * node's to pick: it comes back in the reply. */
typedef struct braid_cmd_data_consumer_create {
  braid_str_t transport_id;     /* "transport" */
  braid_str_t data_consumer_id; /* "data_consumer" */
  braid_str_t data_producer_id; /* "data_producer" */
  bool ordered;                 /* "ordered" */
  bool has_max_packet_life_time;
  uint64_t max_packet_life_time; /* "max_life", as in data_producer.create */
  bool has_max_retransmits;
  uint64_t max_retransmits; /* "max_rtx", as in data_producer.create */
  bool paused;              /* "paused" */
} braid_cmd_data_consumer_create_t;

/* data_consumer.close, .pause, .resume, .stats. */
typedef struct braid_cmd_data_consumer_ref {
  braid_str_t data_consumer_id; /* "data_consumer" */
} braid_cmd_data_consumer_ref_t;

#endif
