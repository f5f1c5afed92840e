/*
 * A data producer of a media daemon (mediasoup's DataProducer of type
 * "sctp"): the messages a remote endpoint sends on one SCTP stream of its
 * transport's association, forwarded to every data consumer made from it
 * (on any transport of the router, this one included).
 *
 * Paused: messages are received (and counted) and not forwarded.
 *
 * Closing (data_producer.close, or its transport closing): its data
 * consumers close (each publishes data_consumer.closed, the node's
 * "dataproducerclose"), the stream's outgoing half is reset so that the
 * endpoint's DataChannel closes (mediasoup does the same), and it leaves
 * md->data_producers. When the close comes from the transport, the node
 * also publishes data_producer.closed (the controllers cannot know).
 *
 * Owned by its transport's data half (data_transport.h).
 */
#ifndef BRAID_MEDIAD_RTC_DATA_PRODUCER_H
#define BRAID_MEDIAD_RTC_DATA_PRODUCER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/limits.h"
#include "mediad/rtc/transport.h"
#include "proto/data.h"

typedef struct braid_data_producer braid_data_producer_t;
typedef struct braid_data_consumer braid_data_consumer_t;

struct braid_data_producer {
  char id[BRAID_ID_MAX + 1];
  braid_transport_t *transport;        /* borrowed: the owner (has SCTP) */
  braid_data_producer_t *next;         /* the data half's list */
  braid_data_consumer_t *consumers;    /* borrowed list (consumer->producer_next) */
  uint16_t stream;
  bool ordered;
  bool has_max_packet_life_time, has_max_retransmits;
  uint16_t max_packet_life_time, max_retransmits;
  bool paused;
  char label[BRAID_DATA_LABEL_MAX + 1];
  char protocol[BRAID_DATA_PROTOCOL_MAX + 1];
  uint64_t messages_received, bytes_received;
};

/*
 * Makes a data producer from a data_producer.create command on t, which
 * must have SCTP. Returns 0 (registered in md->data_producers and on its
 * stream), or with *why (static text) set: BRAID_ESTATE "SCTP is not
 * enabled on the transport", BRAID_EEXIST "stream in use", BRAID_EINVAL
 * (an id, label or protocol too long, or a label or protocol that is not
 * UTF-8).
 */
int braid_data_producer_new(braid_data_producer_t **out, braid_transport_t *t,
                            const braid_cmd_data_producer_create_t *c, const char **why);
/* Closes as the header says; by_transport: its transport is closing
 * (publishes data_producer.closed, and skips the stream reset). */
void braid_data_producer_close(braid_data_producer_t *p, bool by_transport);

/* A whole message of its stream (borrowed for the call). */
void braid_data_producer_receive(braid_data_producer_t *p, uint32_t ppid, const uint8_t *data,
                                 size_t len);

#endif
