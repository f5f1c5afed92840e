/*
 * The commands that pipe a producer from one media node to another
 * (mediasoup-protocol.md §6.4), made from its stored record's consumable
 * parameters:
 *
 *   - the pipe's rtpParameters: mediasoup's getPipeConsumerRtpParameters
 *     with RTX (router payload types and their RTX; header extensions
 *     without mid, abs-send-time and transport-wide-cc; "nack", "nack pli"
 *     and "ccm fir"; encoding i's RTX SSRC rtx_ssrc + i), except that every
 *     encoding keeps its consumable (mapped) SSRC: the pipe consumer
 *     forwards the producer's packets with their sequence numbers, and the
 *     piped producer has the origin's mapped SSRCs, so consumers computed
 *     from the one stored record fit every node. With rtx_ssrc 0 there is
 *     no RTX, and a NACK is answered with the packet itself;
 *   - consumer.create of type "pipe" on the source node's pipe transport;
 *   - producer.create on the target node's pipe transport, with the same
 *     producer id, type and kind, whose "client" payload types and SSRCs
 *     are the router's (an identity mapping).
 *
 * Pure: strings of the commands borrow from params and the arguments.
 */
#ifndef BRAID_CONTROLLER_ROOM_PIPE_CMD_H
#define BRAID_CONTROLLER_ROOM_PIPE_CMD_H

#include <stddef.h>

#include <jansson.h>

#include "proto/consumer.h"
#include "proto/producer.h"

/* *out (caller owns) from the record's "consumable", RTX SSRCs from
 * rtx_ssrc (0: no RTX). 0 or BRAID_EINVAL / BRAID_ENOMEM with err. */
int braid_pipe_cmd_params(const json_t *consumable, uint32_t rtx_ssrc, json_t **out, char *err,
                          size_t errlen);

int braid_pipe_cmd_consumer(braid_cmd_consumer_create_t *out, const json_t *params,
                            const char *kind, const char *transport_id, const char *consumer_id,
                            const char *producer_id, char *err, size_t errlen);

/* *mapping (caller owns, keep it until the command is encoded) is the
 * identity rtpMapping the command was built with; type is the stored
 * record's ("simple", "simulcast" or "svc"). */
int braid_pipe_cmd_producer(braid_cmd_producer_create_t *out, const json_t *params,
                            const char *kind, const char *type, const char *transport_id,
                            const char *producer_id, json_t **mapping, char *err, size_t errlen);

#endif
