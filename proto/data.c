/*
 * DataProducer and DataConsumer command bodies (data.h), read and written
 * by cmd.c's dispatch. Example, the body of an unordered
 * "data_producer.create" with maxRetransmits 0 as encoded, after the
 * envelope ("v", "t", "id", "rt", "dl"; map header counting 5 + 8, no
 * "max_life"):
 *
 *   a9 74 72 61 6e 73 ...  a2 74 31      "transport": "t1"
 *   ad 64 61 74 61 5f ...  a3 64 70 31   "data_producer": "dp1"
 *   a6 73 74 72 65 61 6d  01             "stream": 1
 *   a7 6f 72 64 65 72 65 64  c2          "ordered": false
 *   a7 6d 61 78 5f 72 74 78  00          "max_rtx": 0
 *   a5 6c 61 62 65 6c  a4 63 68 61 74    "label": "chat"
 *   a8 70 72 6f 74 6f ...  a0            "protocol": ""
 *   a6 70 61 75 73 65 64  c2             "paused": false
 */
#include "proto/data.h"

#include "common/err.h"
#include "common/limits.h"
#include "proto/cmd_body.h"

/* mediasoup's rule (node/src/ortc.ts validateSctpStreamParameters): a
 * channel is either reliable, or unordered with exactly one limit. */
static int check_reliability(bool ordered, bool has_life, bool has_rtx, const char **why) {
  if ((has_life || has_rtx) && (ordered || (has_life && has_rtx)))
    return braid__proto_fail(why,
                             "partial reliability needs ordered false and one of max_life, max_rtx",
                             BRAID_EMALFORMED);
  return 0;
}

/* ---- data_producer.create ------------------------------------------------- */

typedef braid_cmd_data_producer_create_t producer_t;

enum {
  P_TRANSPORT,
  P_DATA_PRODUCER,
  P_STREAM,
  P_ORDERED,
  P_MAX_LIFE,
  P_MAX_RTX,
  P_LABEL,
  P_PROTOCOL,
  P_PAUSED,
  P_COUNT
};

static const braid__proto_field_t producer_fields[P_COUNT] = {
    [P_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, producer_t, transport_id),
    [P_DATA_PRODUCER] =
        BRAID__PROTO_FIELD("data_producer", STR, BRAID_ID_MAX, producer_t, data_producer_id),
    [P_STREAM] =
        BRAID__PROTO_RANGED("stream", U64, 0, BRAID_SCTP_STREAM_ID_MAX, producer_t, stream),
    [P_ORDERED] = BRAID__PROTO_FIELD("ordered", BOOL, 0, producer_t, ordered),
    [P_MAX_LIFE] = BRAID__PROTO_RANGED("max_life", U64, 0, BRAID_DATA_PR_MAX, producer_t,
                                       max_packet_life_time),
    [P_MAX_RTX] =
        BRAID__PROTO_RANGED("max_rtx", U64, 0, BRAID_DATA_PR_MAX, producer_t, max_retransmits),
    [P_LABEL] = BRAID__PROTO_FIELD("label", STR, BRAID_DATA_LABEL_MAX, producer_t, label),
    [P_PROTOCOL] =
        BRAID__PROTO_FIELD("protocol", STR, BRAID_DATA_PROTOCOL_MAX, producer_t, protocol),
    [P_PAUSED] = BRAID__PROTO_FIELD("paused", BOOL, 0, producer_t, paused),
};

#define P(name)  BRAID__PROTO_BIT(P_##name)
#define P_ALL    (BRAID__PROTO_BIT(P_COUNT) - 1)
#define P_LIMITS (P(MAX_LIFE) | P(MAX_RTX))

/* "max_life" and "max_rtx" exist only when their flag is set; 0 is a
 * value, so BRAID__PROTO_OMIT0 would not do. */
static uint32_t producer_mask(const void *in) {
  const producer_t *p = in;
  uint32_t m = P_ALL;
  if (!p->has_max_packet_life_time) m &= ~P(MAX_LIFE);
  if (!p->has_max_retransmits) m &= ~P(MAX_RTX);
  return m;
}

static int producer_check(void *out, uint32_t seen, const char **why) {
  producer_t *p = out;
  p->has_max_packet_life_time = (seen & P(MAX_LIFE)) != 0;
  p->has_max_retransmits = (seen & P(MAX_RTX)) != 0;
  return check_reliability(p->ordered, p->has_max_packet_life_time, p->has_max_retransmits, why);
}

const braid__proto_map_t braid__proto_data_producer_create = {
    producer_fields, P_COUNT, P_ALL, P_ALL & ~P_LIMITS, producer_mask, producer_check,
};

/* ---- data_consumer.create ------------------------------------------------- */

typedef braid_cmd_data_consumer_create_t consumer_t;

enum {
  C_TRANSPORT,
  C_DATA_CONSUMER,
  C_DATA_PRODUCER,
  C_ORDERED,
  C_MAX_LIFE,
  C_MAX_RTX,
  C_PAUSED,
  C_COUNT
};

static const braid__proto_field_t consumer_fields[C_COUNT] = {
    [C_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, consumer_t, transport_id),
    [C_DATA_CONSUMER] =
        BRAID__PROTO_FIELD("data_consumer", STR, BRAID_ID_MAX, consumer_t, data_consumer_id),
    [C_DATA_PRODUCER] =
        BRAID__PROTO_FIELD("data_producer", STR, BRAID_ID_MAX, consumer_t, data_producer_id),
    [C_ORDERED] = BRAID__PROTO_FIELD("ordered", BOOL, 0, consumer_t, ordered),
    [C_MAX_LIFE] = BRAID__PROTO_RANGED("max_life", U64, 0, BRAID_DATA_PR_MAX, consumer_t,
                                       max_packet_life_time),
    [C_MAX_RTX] =
        BRAID__PROTO_RANGED("max_rtx", U64, 0, BRAID_DATA_PR_MAX, consumer_t, max_retransmits),
    [C_PAUSED] = BRAID__PROTO_FIELD("paused", BOOL, 0, consumer_t, paused),
};

#define C(name)  BRAID__PROTO_BIT(C_##name)
#define C_ALL    (BRAID__PROTO_BIT(C_COUNT) - 1)
#define C_LIMITS (C(MAX_LIFE) | C(MAX_RTX))

/* As producer_mask(). */
static uint32_t consumer_mask(const void *in) {
  const consumer_t *c = in;
  uint32_t m = C_ALL;
  if (!c->has_max_packet_life_time) m &= ~C(MAX_LIFE);
  if (!c->has_max_retransmits) m &= ~C(MAX_RTX);
  return m;
}

static int consumer_check(void *out, uint32_t seen, const char **why) {
  consumer_t *c = out;
  c->has_max_packet_life_time = (seen & C(MAX_LIFE)) != 0;
  c->has_max_retransmits = (seen & C(MAX_RTX)) != 0;
  return check_reliability(c->ordered, c->has_max_packet_life_time, c->has_max_retransmits, why);
}

const braid__proto_map_t braid__proto_data_consumer_create = {
    consumer_fields, C_COUNT, C_ALL, C_ALL & ~C_LIMITS, consumer_mask, consumer_check,
};

/* ---- data_producer.close, .pause, .resume, .stats ------------------------- */

static const braid__proto_field_t producer_ref_fields[] = {
    BRAID__PROTO_FIELD("data_producer", STR, BRAID_ID_MAX, braid_cmd_data_producer_ref_t,
                       data_producer_id),
};

const braid__proto_map_t braid__proto_data_producer_ref = {
    producer_ref_fields, 1, BRAID__PROTO_BIT(0), BRAID__PROTO_BIT(0), NULL, NULL,
};

/* ---- data_consumer.close, .pause, .resume, .stats ------------------------- */

static const braid__proto_field_t consumer_ref_fields[] = {
    BRAID__PROTO_FIELD("data_consumer", STR, BRAID_ID_MAX, braid_cmd_data_consumer_ref_t,
                       data_consumer_id),
};

const braid__proto_map_t braid__proto_data_consumer_ref = {
    consumer_ref_fields, 1, BRAID__PROTO_BIT(0), BRAID__PROTO_BIT(0), NULL, NULL,
};
