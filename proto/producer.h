/*
 * Producer command bodies (members of braid_cmd_t's union; cmd.h has the
 * envelope, braid_cmd_encode() and braid_cmd_decode()).
 *
 * "producer.create" (u.producer_create) carries what the node needs from
 * the controller's ORTC computation (mediasoup-protocol.md §4.4): the
 * producer's RTP mapping and the header extension ids the *client* uses, so
 * the node can match incoming streams (SSRC, then MID, then RID) and
 * rewrite them into router form (router payload types, mapped SSRCs).
 *   "transport" str (id), "producer" str (id), "kind" str ("audio" or
 *   "video"), "type" str ("simple", "simulcast" or "svc"), "paused" bool,
 *   "kf_delay" u64 (< 2^32): keyFrameRequestDelay in ms (a uint32 in
 *            mediasoup), 0 for none; the node ignores it for audio,
 *   "mid" str (<= BRAID_MID_MAX; "" none), "cname" str (<= BRAID_CNAME_MAX),
 *   "fb" u64 (< 2^32): bit 0 nack, bit 1 nack pli, bit 2 ccm fir, bit 3
 *            goog-remb, bit 4 transport-cc (the producer codecs'
 *            rtcpFeedback, ORed); other bits are kept but mean nothing yet,
 *   "ext" map: client extension ids, each u64 1..255; a key is absent when
 *            the extension is not used (0 in braid_rtp_ext_ids_t), and 0
 *            on the wire is out of range:
 *            "mid", "rid", "rrid", "abs_send_time", "twcc", "audio_level",
 *            "video_orientation", "toffset", "abs_capture_time",
 *            "playout_delay", "dd" (dependency descriptor)
 *   "codecs" array (1..BRAID_MAX_CODECS) of maps:
 *            "pt" u64 (client PT, 0..127), "mapped_pt" u64 (router PT,
 *            0..127), "mime" str (<= BRAID_MIME_MAX, e.g. "video/VP8",
 *            "video/rtx"), "clock" u64 (< 2^32),
 *            "apt" u64 (0..127; optional, RTX only: the client PT it
 *            repairs; absent, and 0 in braid_producer_codec_t, otherwise)
 *   "encodings" array (1..BRAID_MAX_ENCODINGS) of maps:
 *            "ssrc" u64 (< 2^32; 0: unknown, match by rid/mid), "rid" str
 *            (<= BRAID_MID_MAX, may be empty), "rtx_ssrc" u64 (< 2^32; 0:
 *            none), "mapped_ssrc" u64 (< 2^32), "spatial" u64, "temporal"
 *            u64 (1..255, from scalabilityMode, 1 when none), "ksvc" bool,
 *            "max_bitrate" u64 (0: none)
 * "producer.close" / ".pause" / ".resume" (u.producer_ref): "producer" str
 * (id; idempotent).
 *
 * A piped producer (the far end of a pipe consumer, consumer.h) is an
 * ordinary producer.create on a pipe transport: the same "producer" id,
 * "kind" and "type" as the original, "mid" "", "codecs" with "pt" =
 * "mapped_pt" = the router PT (and the RTX codecs when the original had
 * them, "apt" the router PT), one encoding per original encoding with
 * "ssrc" = "mapped_ssrc" = the original's mapped SSRC, "rid" "" and
 * "rtx_ssrc" 0 (the streams are told apart by SSRC), "ext" the router ids
 * the pipe consumer writes, "fb" the nack|pli|fir bits of the consumable
 * codecs and "cname" the original's. Its NACKs and key frame requests go
 * back over the pipe to the origin's pipe consumer.
 *
 * Every key listed is required, except the "ext" ids and "apt"; unknown keys are
 * skipped at every level. Decoding fails with BRAID_EMALFORMED for a value
 * out of range or not allowed ("key 'pt' is out of range", "key 'kind' has
 * an invalid value") and for an empty array ("key 'codecs' has too few
 * elements"), BRAID_ETOOBIG for a string over its limit or an array longer
 * than the C array here ("key 'codecs' has too many elements"). Encoding
 * refuses the same values with BRAID_EINVAL.
 */
#ifndef BRAID_PROTO_PRODUCER_H
#define BRAID_PROTO_PRODUCER_H

#include "proto/proto.h"

#define BRAID_MAX_CODECS 8    /* per producer: media codecs and their RTX */
#define BRAID_MAX_ENCODINGS 4 /* simulcast streams per producer */
#define BRAID_MID_MAX 16      /* MID and RID values (RFC 8843 keeps them short) */
#define BRAID_CNAME_MAX 255
#define BRAID_MIME_MAX 64 /* "video/H264" and the like */
#define BRAID_PT_MAX 127  /* RTP payload types are 7 bits */

/* Bits of "fb". */
enum {
  BRAID_FB_NACK = 1 << 0,
  BRAID_FB_PLI = 1 << 1,
  BRAID_FB_FIR = 1 << 2,
  BRAID_FB_REMB = 1 << 3,
  BRAID_FB_TWCC = 1 << 4,
};

/* Header extension ids (0 = not negotiated), in the client's numbering for
 * producers and the router's for consumers. */
typedef struct braid_rtp_ext_ids {
  uint8_t mid, rid, rrid, abs_send_time, twcc, audio_level, video_orientation, toffset,
      abs_capture_time, playout_delay, dd;
} braid_rtp_ext_ids_t;

typedef struct braid_producer_codec {
  uint8_t pt;        /* 0..127 */
  uint8_t mapped_pt; /* 0..127 */
  braid_str_t mime;  /* borrowed, <= BRAID_MIME_MAX */
  uint32_t clock_rate;
  uint8_t apt; /* RTX: the repaired PT; 0 for media codecs */
} braid_producer_codec_t;

typedef struct braid_producer_encoding {
  uint32_t ssrc;     /* 0 when the client gave none (simulcast by rid) */
  braid_str_t rid;   /* borrowed, may be empty, <= BRAID_MID_MAX */
  uint32_t rtx_ssrc; /* 0 when none */
  uint32_t mapped_ssrc;
  uint8_t spatial_layers;  /* >= 1 */
  uint8_t temporal_layers; /* >= 1 */
  bool ksvc;
  uint64_t max_bitrate;
} braid_producer_encoding_t;

typedef struct braid_cmd_producer_create {
  braid_str_t transport_id; /* borrowed, like every string of a command */
  braid_str_t producer_id;
  braid_str_t kind; /* "audio" / "video" */
  braid_str_t type; /* "simple" / "simulcast" / "svc" */
  bool paused;
  uint32_t key_frame_request_delay_ms; /* keyFrameRequestDelay; 0: none */
  braid_str_t mid; /* may be empty */
  braid_str_t cname;
  uint32_t fb; /* BRAID_FB_* bits */
  braid_rtp_ext_ids_t ext;
  size_t ncodecs; /* 1..BRAID_MAX_CODECS */
  braid_producer_codec_t codecs[BRAID_MAX_CODECS];
  size_t nencodings; /* 1..BRAID_MAX_ENCODINGS */
  braid_producer_encoding_t encodings[BRAID_MAX_ENCODINGS];
} braid_cmd_producer_create_t;

/* producer.close, producer.pause, producer.resume. */
typedef struct braid_cmd_producer_ref {
  braid_str_t producer_id;
} braid_cmd_producer_ref_t;

#endif
