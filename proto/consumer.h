/*
 * Consumer command bodies (members of braid_cmd_t's union).
 *
 * "consumer.create" (mediasoup-protocol.md §4.7; the consumer always speaks
 * router payload types and router extension ids):
 *   "transport" str, "consumer" str (id), "producer" str (id, on the same
 *   router), "kind" str, "type" str ("simple"/"simulcast"/"svc"/"pipe"),
 *   "paused" bool, "mid" str (<= 16; "" for pipe consumers),
 *   "ssrc" u64, "rtx_ssrc" u64 (0: no RTX), "cname" str,
 *   "fb" u64 (bits as in producer.h, the consumer codec's rtcpFeedback),
 *   "ext" map: router extension ids to write towards the client (as in
 *            producer.h: "mid", "abs_send_time", "twcc", "audio_level",
 *            "video_orientation", "toffset", "abs_capture_time",
 *            "playout_delay"),
 *   "codecs" array of maps {"pt" u64 (router PT), "rtx_pt" u64 (0: none),
 *            "mime" str, "clock" u64}: the codecs the client accepted, in
 *            preference order,
 *   "spatial", "temporal" u64: preferred layers (simulcast/svc; the
 *            highest by default), "ignore_dtx" bool
 * "consumer.close" / ".pause" / ".resume" / ".request_key_frame":
 *   "consumer" str (idempotent).
 */
#ifndef BRAID_PROTO_CONSUMER_H
#define BRAID_PROTO_CONSUMER_H

#include "proto/producer.h"

typedef struct braid_consumer_codec {
  uint8_t pt;
  uint8_t rtx_pt; /* 0 when none */
  braid_str_t mime;
  uint32_t clock_rate;
} braid_consumer_codec_t;

typedef struct braid_cmd_consumer_create {
  braid_str_t transport_id;
  braid_str_t consumer_id;
  braid_str_t producer_id;
  braid_str_t kind;
  braid_str_t type;
  bool paused;
  braid_str_t mid;
  uint32_t ssrc;
  uint32_t rtx_ssrc;
  braid_str_t cname;
  uint32_t fb;
  braid_rtp_ext_ids_t ext;
  size_t ncodecs;
  braid_consumer_codec_t codecs[BRAID_MAX_CODECS];
  uint8_t preferred_spatial;
  uint8_t preferred_temporal;
  bool ignore_dtx;
} braid_cmd_consumer_create_t;

typedef struct braid_cmd_consumer_ref {
  braid_str_t consumer_id;
} braid_cmd_consumer_ref_t;

#endif
