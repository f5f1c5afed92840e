/*
 * DataChannels, the pure part (mediasoup-protocol.md §3.3, §3.5, §4.10):
 * checking what produceData carries, the data_producer.create and
 * data_consumer.create commands (proto/data.h), the sctpStreamParameters
 * a client gets back, and mediasoup-demo's chat rule. No I/O, no
 * allocation except where a function returns a new JSON value.
 *
 * sctpStreamParameters rules (mediasoup's validateSctpStreamParameters,
 * made strict where mediasoup would pass nonsense to its worker):
 *   - an object, required;
 *   - streamId: an integer 0..BRAID_SCTP_STREAM_ID_MAX (65535 is
 *     reserved), required;
 *   - maxPacketLifeTime, maxRetransmits: absent or null (not given), or an
 *     integer 0..BRAID_DATA_PR_MAX; not both;
 *   - ordered: absent or null (default: true, false when a non-zero
 *     limit is given), or a boolean; true with a non-zero limit is an
 *     error. mediasoup's checks are on JavaScript truthiness, so a 0 limit
 *     never makes a stream unordered: with ordered true or absent it is
 *     taken as what mediasoup makes of it, an ordered, reliable stream,
 *     and the 0 limit is dropped (mediasoup-client sends ordered true with
 *     a 0 limit when asked for maxRetransmits 0).
 * label and protocol: strings of at most BRAID_DATA_LABEL_MAX /
 * BRAID_DATA_PROTOCOL_MAX bytes, '' when absent; appData: an object when
 * present.
 */
#ifndef BRAID_CONTROLLER_ROOM_DATA_CMD_H
#define BRAID_CONTROLLER_ROOM_DATA_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "proto/data.h"

/* The largest appData a data producer keeps (it is echoed in every
 * newDataConsumer). */
#define BRAID_DATA_APPDATA_MAX (16 * 1024)

/* One stream's delivery: SctpStreamParameters. */
typedef struct braid_data_stream {
  uint16_t stream_id;
  bool ordered;
  bool has_max_packet_life_time;
  uint16_t max_packet_life_time; /* ms; only if has_ */
  bool has_max_retransmits;
  uint16_t max_retransmits; /* only if has_ */
} braid_data_stream_t;

/* What a checked produceData (or the broadcaster API's produce/data)
 * carries; strings and appData are borrowed from the request's data. */
typedef struct braid_data_produce {
  braid_data_stream_t stream;
  const char *label;    /* "" when absent */
  const char *protocol; /* "" when absent */
  json_t *app_data;     /* NULL when absent */
} braid_data_produce_t;

/* Checks sctp (the sctpStreamParameters value, NULL when absent) by the
 * rules above into *out. Returns 0, or BRAID_EINVAL with the client's
 * message in err ("<method>: sctpStreamParameters.<key> ...",
 * NUL-terminated, truncated to errlen). */
int braid_data_cmd_parse_stream(const json_t *sctp, const char *method, braid_data_stream_t *out,
                                char *err, size_t errlen);

/* Checks a produceData body (sctpStreamParameters, label, protocol,
 * appData; transportId is the caller's) into *out. Same returns as
 * braid_data_cmd_parse_stream(). */
int braid_data_cmd_check_produce(json_t *data, const char *method, braid_data_produce_t *out,
                                 char *err, size_t errlen);

/* {streamId, ordered, maxPacketLifeTime?, maxRetransmits?} for s, with
 * stream_id instead of s's when stream_id >= 0 (a data consumer's stream,
 * picked by the node). A new object. */
json_t *braid_data_cmd_stream_json(const braid_data_stream_t *s, int stream_id);

/* data_producer.create from a checked request; every string is borrowed
 * (keep them alive until the command is encoded). Never paused. */
void braid_data_cmd_producer(braid_cmd_data_producer_create_t *out, const braid_data_produce_t *req,
                             const char *transport_id, const char *data_producer_id);

/* data_consumer.create with the data producer's delivery (s); strings
 * borrowed. Never paused. */
void braid_data_cmd_consumer(braid_cmd_data_consumer_create_t *out, const braid_data_stream_t *s,
                             const char *transport_id, const char *data_consumer_id,
                             const char *data_producer_id);

/* mediasoup-demo's rule of who consumes a data producer: a chat one is
 * consumed by every other peer. The legacy demo routes by label ('chat'),
 * the current one by appData.channel ('chat'); either counts, since the
 * owner's dialect may differ from the consumer's. 'bot' (label or
 * channel) never counts: the demo's bot is server-side, and Braid has
 * none. The rule is the same at join and for a new data producer, as in
 * the current demo; the legacy demo's join also consumed data producers
 * with other labels (everything but 'bot'), which its own app never
 * makes. */
bool braid_data_cmd_is_chat(const char *label, const json_t *app_data);

#endif
