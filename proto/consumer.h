/*
 * Consumer command bodies (members of braid_cmd_t's union; cmd.h has the
 * envelope, braid_cmd_encode() and braid_cmd_decode()).
 *
 * "consumer.create" (u.consumer_create; mediasoup-protocol.md §4.7; the
 * consumer always speaks router payload types and router extension ids):
 *   "transport" str (id), "consumer" str (id), "producer" str (id, on the
 *   same router), "kind" str ("audio" or "video"), "type" str ("simple",
 *   "simulcast", "svc" or "pipe"), "paused" bool, "mid" str
 *   (<= BRAID_MID_MAX; "" for pipe consumers),
 *   "ssrc" u64 (< 2^32; 0 only for pipe consumers), "rtx_ssrc" u64 (< 2^32;
 *   0: no RTX), "cname" str
 *   (<= BRAID_CNAME_MAX),
 *   "fb" u64 (< 2^32; bits as in producer.h, the consumer codec's
 *            rtcpFeedback),
 *   "ext" map: router extension ids to write towards the client, each u64
 *            1..255 and absent when not used (as in producer.h): "mid",
 *            "abs_send_time", "twcc", "audio_level", "video_orientation",
 *            "toffset", "abs_capture_time", "playout_delay"; "rid", "rrid"
 *            and "dd" are not consumer keys: skipped when decoding, not
 *            encoded,
 *   "codecs" array (1..BRAID_MAX_CODECS) of maps {"pt" u64 (router PT,
 *            0..127), "rtx_pt" u64 (0..127; 0: none), "mime" str
 *            (<= BRAID_MIME_MAX), "clock" u64 (< 2^32)}: the codecs the
 *            client accepted, in preference order,
 *   "spatial", "temporal" u64 (0..255): preferred layers, 0-based
 *            (simulcast/svc; the highest by default), "ignore_dtx" bool
 *
 * A "pipe" consumer (PipeTransport.consume(), mediasoup-protocol.md §4.8 and
 * §6) sends its producer to another media daemon over a pipe transport
 * (transport.h "pipe"), where the same producer id is created again as an
 * ordinary producer.create (producer.h, "piped producer"). Its command
 * differs from the others: "transport" must be a pipe transport (and a pipe
 * transport takes no other type), "kind" the producer's, "codecs" the
 * producer's router codecs (pt the router PT, rtx_pt 0 or the router RTX
 * PT: the clock of codecs[0] is used, rtx_pt is the RTX payload type of
 * that codec's retransmissions), "ext" the router ids to write (the
 * producer's consumable header extensions without "mid", "abs_send_time"
 * and "twcc"), "fb" nack|pli|fir bits, "cname" the producer's, "paused"
 * false, "mid" "", "ssrc" 0 (0 for pipe consumers only), "rtx_ssrc" 0 (no
 * RTX) or the first of one RTX SSRC per encoding (encoding i's is rtx_ssrc
 * + i, as mediasoup's getPipeConsumerRtpParameters with enableRtx numbers
 * them; the range must not wrap, EINVAL, nor meet a mapped SSRC or an SSRC
 * used on the transport, EEXIST), "spatial", "temporal" and "ignore_dtx"
 * as any value (unused). It forwards every encoding of its producer, each
 * with SSRC = that stream's mapped SSRC, the router payload type and the
 * original sequence number and timestamp, also while the producer is
 * paused; it answers NACKs for those SSRCs from the producer's store:
 * without RTX the packet again unchanged (same SSRC, sequence number and
 * payload type), with RTX as RFC 4588 RTX on the stream's RTX SSRC with
 * the codec's rtx_pt (unchanged when that is 0), which the far side's
 * piped producer unwraps when its encodings list rtx_ssrc + i and its
 * codecs the RTX codec (pt = mapped pt = the router RTX PT, apt the router
 * media PT). It turns PLI and FIR into key frame requests to the producer,
 * and sends a sender report per stream with the producer's NTP/RTP pair
 * (mediad/rtc/pipe_consumer.h). It does not count against the node's
 * --max-consumers.
 *
 * "consumer.close" / ".pause" / ".resume" / ".request_key_frame"
 * (u.consumer_ref): "consumer" str (id; idempotent).
 * "consumer.set_layers" (u.consumer_layers): "consumer" str, "spatial" u64
 * (0..255), "temporal" u64 (0..255; 255 = the highest).
 * "consumer.set_priority" (u.consumer_priority): "consumer" str, "priority"
 * u64 (1..255; mediasoup's setPriority, 1 = unsetPriority): its weight when
 * the transport's estimated bandwidth is shared (mediad/rtc/transport_bwe.h).
 *
 * Every key listed is required, except the "ext" ids. Errors as in
 * producer.h.
 */
#ifndef BRAID_PROTO_CONSUMER_H
#define BRAID_PROTO_CONSUMER_H

#include "proto/producer.h"

typedef struct braid_consumer_codec {
  uint8_t pt;       /* 0..127 */
  uint8_t rtx_pt;   /* 0 when none */
  braid_str_t mime; /* borrowed, <= BRAID_MIME_MAX */
  uint32_t clock_rate;
} braid_consumer_codec_t;

typedef struct braid_cmd_consumer_create {
  braid_str_t transport_id; /* borrowed, like every string of a command */
  braid_str_t consumer_id;
  braid_str_t producer_id;
  braid_str_t kind; /* "audio" / "video" */
  braid_str_t type; /* "simple" / "simulcast" / "svc" / "pipe" */
  bool paused;
  braid_str_t mid;
  uint32_t ssrc;
  uint32_t rtx_ssrc;
  braid_str_t cname;
  uint32_t fb;
  braid_rtp_ext_ids_t ext; /* rid, rrid and dd unused */
  size_t ncodecs;          /* 1..BRAID_MAX_CODECS */
  braid_consumer_codec_t codecs[BRAID_MAX_CODECS];
  uint8_t preferred_spatial;
  uint8_t preferred_temporal;
  bool ignore_dtx;
} braid_cmd_consumer_create_t;

/* consumer.set_layers (setPreferredLayers). */
typedef struct braid_cmd_consumer_layers {
  braid_str_t consumer_id;
  uint8_t spatial;  /* preferred spatial layer, clamped to what exists */
  uint8_t temporal; /* preferred temporal layer; BRAID_LAYER_HIGHEST: the highest */
} braid_cmd_consumer_layers_t;

#define BRAID_LAYER_HIGHEST 255

/* consumer.set_priority (setPriority / unsetPriority). */
typedef struct braid_cmd_consumer_priority {
  braid_str_t consumer_id;
  uint8_t priority; /* 1..255 */
} braid_cmd_consumer_priority_t;

/* consumer.close, .pause, .resume, .request_key_frame. */
typedef struct braid_cmd_consumer_ref {
  braid_str_t consumer_id;
} braid_cmd_consumer_ref_t;

#endif
