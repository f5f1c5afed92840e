/*
 * A data consumer of a media daemon (mediasoup's DataConsumer of type
 * "sctp"): one data producer's messages sent to a remote endpoint on a
 * stream of its transport's association that the node picks
 * (data_transport.h), with the reliability the consumer asked for
 * (ordered, maxPacketLifeTime or maxRetransmits).
 *
 * A message is dropped (and counted in messages_dropped) while the
 * consumer is paused, while the association is not connected, when it is
 * larger than the association's maximum message size, and when the send
 * buffer is full (mediasoup's "sctpsendbufferfull"). While its producer
 * is paused nothing reaches it (data_producer.h).
 *
 * Closing (data_consumer.close, its transport closing, or its data
 * producer closing) resets its stream so that the endpoint's DataChannel
 * closes, and leaves md->data_consumers. Only the close that comes from
 * the data producer publishes data_consumer.closed.
 *
 * Owned by its transport's data half; linked into its data producer's
 * list.
 */
#ifndef BRAID_MEDIAD_RTC_DATA_CONSUMER_H
#define BRAID_MEDIAD_RTC_DATA_CONSUMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/limits.h"
#include "mediad/rtc/data_producer.h"
#include "mediad/sctp/sctp_assoc.h"
#include "proto/data.h"

struct braid_data_consumer {
  char id[BRAID_ID_MAX + 1];
  braid_transport_t *transport;         /* borrowed: the owner (has SCTP) */
  braid_data_producer_t *producer;      /* borrowed: the source */
  braid_data_consumer_t *next;          /* the data half's list */
  braid_data_consumer_t *producer_next; /* the data producer's list */
  uint16_t stream;                      /* picked by the data half */
  bool ordered;
  bool has_max_packet_life_time, has_max_retransmits;
  uint16_t max_packet_life_time, max_retransmits;
  braid_sctp_send_opts_t send_opts;     /* the above, as the association wants them */
  bool paused;
  uint64_t messages_sent, bytes_sent;
  uint64_t messages_dropped; /* see the header comment */
};

/* Why a data consumer closes. */
typedef enum braid_data_consumer_close_reason {
  BRAID_DATA_CONSUMER_CLOSE_CMD,       /* data_consumer.close */
  BRAID_DATA_CONSUMER_CLOSE_TRANSPORT, /* its transport closes (no stream reset either) */
  BRAID_DATA_CONSUMER_CLOSE_PRODUCER,  /* its data producer closed: publishes data_consumer.closed */
} braid_data_consumer_close_reason_t;

/*
 * Makes a data consumer of p on t (same router; t has SCTP) from a
 * data_consumer.create command. Returns 0 (*out registered, its stream
 * picked), or with *why set: BRAID_ESTATE "SCTP is not enabled on the
 * transport", BRAID_ELIMIT "no free SCTP stream", BRAID_EINVAL.
 */
int braid_data_consumer_new(braid_data_consumer_t **out, braid_transport_t *t,
                            braid_data_producer_t *p, const braid_cmd_data_consumer_create_t *c,
                            const char **why);
void braid_data_consumer_close(braid_data_consumer_t *c, braid_data_consumer_close_reason_t why);

/* Sends one message of its producer (see the header comment). */
void braid_data_consumer_send(braid_data_consumer_t *c, uint32_t ppid, const uint8_t *data,
                              size_t len);

#endif
