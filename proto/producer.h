/*
 * Producer command bodies (members of braid_cmd_t's union).
 *
 * "producer.create" carries what the node needs from the controller's
 * ORTC computation (mediasoup-protocol.md §4.4): the producer's RTP mapping
 * and the header extension ids the *client* uses, so the node can match
 * incoming streams (SSRC, then MID, then RID) and rewrite them into router
 * form (router payload types, mapped SSRCs).
 *   "transport" str, "producer" str (id), "kind" str ("audio"/"video"),
 *   "type" str ("simple"/"simulcast"/"svc"), "paused" bool,
 *   "kf_delay" u64 (ms, keyFrameRequestDelay), "mid" str (<= 16; "" none),
 *   "cname" str (<= 255),
 *   "fb" u64: bit 0 nack, bit 1 nack pli, bit 2 ccm fir, bit 3 goog-remb,
 *            bit 4 transport-cc (the producer codecs' rtcpFeedback, ORed),
 *   "ext" map: client extension ids, each u64 1..255, absent = not used:
 *            "mid", "rid", "rrid", "abs_send_time", "twcc", "audio_level",
 *            "video_orientation", "toffset", "abs_capture_time",
 *            "playout_delay", "dd" (dependency descriptor)
 *   "codecs" array (1..BRAID_MAX_CODECS) of maps:
 *            "pt" u64 (client PT), "mapped_pt" u64 (router PT),
 *            "mime" str (e.g. "video/VP8", "video/rtx"), "clock" u64,
 *            "apt" u64 (RTX only: the client PT it repairs; 0 otherwise)
 *   "encodings" array (1..BRAID_MAX_ENCODINGS) of maps:
 *            "ssrc" u64 (0: unknown, match by rid/mid), "rid" str (<= 16),
 *            "rtx_ssrc" u64 (0: none), "mapped_ssrc" u64,
 *            "spatial" u64, "temporal" u64 (from scalabilityMode, 1 when
 *            none), "ksvc" bool, "max_bitrate" u64 (0: none)
 * "producer.close" / ".pause" / ".resume": "producer" str (idempotent).
 */
#ifndef BRAID_PROTO_PRODUCER_H
#define BRAID_PROTO_PRODUCER_H

#include "proto/proto.h"

#define BRAID_MAX_CODECS 8     /* per producer: media codecs and their RTX */
#define BRAID_MAX_ENCODINGS 4  /* simulcast streams per producer */
#define BRAID_MID_MAX 16       /* MID and RID values (RFC 8843 keeps them short) */
#define BRAID_CNAME_MAX 255

/* Bits of "fb". */
enum {
  BRAID_FB_NACK = 1 << 0,
  BRAID_FB_PLI = 1 << 1,
  BRAID_FB_FIR = 1 << 2,
  BRAID_FB_REMB = 1 << 3,
  BRAID_FB_TWCC = 1 << 4,
};

/* Header extension ids (0 = not negotiated), in the client's numbering. */
typedef struct braid_rtp_ext_ids {
  uint8_t mid, rid, rrid, abs_send_time, twcc, audio_level, video_orientation, toffset,
      abs_capture_time, playout_delay, dd;
} braid_rtp_ext_ids_t;

typedef struct braid_producer_codec {
  uint8_t pt;
  uint8_t mapped_pt;
  braid_str_t mime; /* borrowed, <= 64 */
  uint32_t clock_rate;
  uint8_t apt; /* RTX: the repaired PT; 0 for media codecs */
} braid_producer_codec_t;

typedef struct braid_producer_encoding {
  uint32_t ssrc;     /* 0 when the client gave none (simulcast by rid) */
  braid_str_t rid;   /* borrowed, may be empty */
  uint32_t rtx_ssrc; /* 0 when none */
  uint32_t mapped_ssrc;
  uint8_t spatial_layers;
  uint8_t temporal_layers;
  bool ksvc;
  uint64_t max_bitrate;
} braid_producer_encoding_t;

typedef struct braid_cmd_producer_create {
  braid_str_t transport_id;
  braid_str_t producer_id;
  braid_str_t kind; /* "audio" / "video" */
  braid_str_t type; /* "simple" / "simulcast" / "svc" */
  bool paused;
  uint64_t key_frame_request_delay_ms;
  braid_str_t mid;   /* may be empty */
  braid_str_t cname;
  uint32_t fb;
  braid_rtp_ext_ids_t ext;
  size_t ncodecs;
  braid_producer_codec_t codecs[BRAID_MAX_CODECS];
  size_t nencodings;
  braid_producer_encoding_t encodings[BRAID_MAX_ENCODINGS];
} braid_cmd_producer_create_t;

typedef struct braid_cmd_producer_ref {
  braid_str_t producer_id;
} braid_cmd_producer_ref_t;

#endif
