/*
 * The "ext" map of producer.create and consumer.create: RTP header
 * extension ids (RFC 8285) by name. Ids are 1..255 (two-byte headers reach
 * 255; the one-byte form's 1..14 is a subset); an extension not negotiated
 * has no key, which braid_rtp_ext_ids_t holds as 0. Example, what Chromium
 * sends for simulcast video:
 *
 *   85                                 map, 5 pairs
 *   a3 6d 69 64 04                     "mid": 4
 *   a3 72 69 64 0a                     "rid": 10
 *   a4 72 72 69 64 0b                  "rrid": 11
 *   ad 61 62 73 5f ... 02              "abs_send_time": 2
 *   a4 74 77 63 63 03                  "twcc": 3
 */
#include "proto/producer.h"

#include "proto/cmd_body.h"

typedef braid_rtp_ext_ids_t ext_t;

enum {
  E_MID,
  E_RID,
  E_RRID,
  E_ABS_SEND_TIME,
  E_TWCC,
  E_AUDIO_LEVEL,
  E_VIDEO_ORIENTATION,
  E_TOFFSET,
  E_ABS_CAPTURE_TIME,
  E_PLAYOUT_DELAY,
  E_DD,
  E_COUNT
};

#define EXT_ID(key, member) BRAID__PROTO_OPTIONAL(key, U8, 1, 255, ext_t, member)

static const braid__proto_field_t fields[E_COUNT] = {
    [E_MID] = EXT_ID("mid", mid),
    [E_RID] = EXT_ID("rid", rid),
    [E_RRID] = EXT_ID("rrid", rrid),
    [E_ABS_SEND_TIME] = EXT_ID("abs_send_time", abs_send_time),
    [E_TWCC] = EXT_ID("twcc", twcc),
    [E_AUDIO_LEVEL] = EXT_ID("audio_level", audio_level),
    [E_VIDEO_ORIENTATION] = EXT_ID("video_orientation", video_orientation),
    [E_TOFFSET] = EXT_ID("toffset", toffset),
    [E_ABS_CAPTURE_TIME] = EXT_ID("abs_capture_time", abs_capture_time),
    [E_PLAYOUT_DELAY] = EXT_ID("playout_delay", playout_delay),
    [E_DD] = EXT_ID("dd", dd),
};

#define E(name) BRAID__PROTO_BIT(E_##name)
#define E_ALL   (BRAID__PROTO_BIT(E_COUNT) - 1)

/* Every id is optional. */
const braid__proto_map_t braid__proto_ext_ids_producer = {fields, E_COUNT, E_ALL, 0, NULL, NULL};

/* A consumer writes only extensions a router sends: RID, RRID and the
 * dependency descriptor are recvonly in the router's capabilities
 * (mediasoup-protocol.md §3.1), so they are not consumer keys. */
const braid__proto_map_t braid__proto_ext_ids_consumer = {
    fields, E_COUNT, E_ALL & ~(E(RID) | E(RRID) | E(DD)), 0, NULL, NULL,
};
