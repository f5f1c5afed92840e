/*
 * Per-codec inspection of RTP payloads, as an SFU needs it: does this
 * packet start a key frame (where a paused or switching consumer may
 * start), and which temporal/spatial layer does it belong to (for
 * simulcast and SVC layer selection). Read-only: the payload is never
 * written.
 *
 *   codec  payload format                       key frame start            layers
 *   VP8    RFC 7741 payload descriptor + VP8    S=1, PID=0, frame tag P=0  TID (T bit)
 *          frame tag (RFC 6386 §9.1)
 *   VP9    RFC 9628 payload descriptor          B=1, P=0, SID=0            TID, SID (L bit)
 *   H264   RFC 6184 (single NAL, STAP-A/B,      an IDR slice or an SPS     none
 *          MTAP16/24, FU-A/B)                   starts in this packet
 *   AV1    AV1 RTP spec §4.4 aggregation        N=1, Z=0                   TID, SID (OBU
 *          header + OBU headers                                            extension header)
 *   Opus   RFC 7587                             every packet               none
 *
 * For VP9 SVC it also tells where each layer frame begins and ends (B and
 * E bits) and whether it is predicted from an earlier picture (P bit):
 * where an SVC consumer may switch layers, and which packet ends the
 * highest layer it forwards (svc_selector.h).
 *
 * The descriptor diagrams are above each parser in rtp_codec.c. Nothing
 * here allocates, logs or keeps state.
 */
#ifndef BRAID_MEDIAD_WIRE_RTP_CODEC_H
#define BRAID_MEDIAD_WIRE_RTP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum braid_rtp_codec {
  BRAID_RTP_CODEC_OPUS = 0, /* and any other audio codec: every packet decodes on its own */
  BRAID_RTP_CODEC_VP8,
  BRAID_RTP_CODEC_VP9,
  BRAID_RTP_CODEC_H264,
  BRAID_RTP_CODEC_AV1,
} braid_rtp_codec_t;

/* What one packet's payload says. Fields a codec does not carry are -1
 * (numbers) or false/0. */
typedef struct braid_rtp_codec_info {
  bool keyframe;          /* this packet starts a key frame */
  bool frame_start;       /* this packet starts a frame (VP8: S=1 and PID=0; VP9: B; AV1: Z=0;
                           * H264: not a middle or last FU fragment; Opus: always) */
  bool frame_end;         /* VP9 E bit (end of a layer frame); false for the others */
  bool inter_pic;         /* VP9 P bit: the layer frame is predicted from an earlier picture
                           * (false: it uses at most lower layers of its own picture, as the
                           * upper layers of a K-SVC key frame do); false for the others */
  bool layer_sync;        /* VP8 Y bit; VP9 U bit (switching up point); else false */
  int8_t tid;             /* temporal layer id (VP8 0..3, VP9 0..7, AV1 0..7) or -1 */
  int8_t sid;             /* spatial layer id (VP9 0..7, AV1 0..3) or -1 */
  int32_t picture_id;     /* VP8/VP9 PictureID (7 or 15 bits) or -1 */
  int16_t tl0picidx;      /* VP8/VP9 TL0PICIDX or -1 */
  uint16_t width, height; /* from a VP8 key frame header or a VP9 SS (highest layer); else 0 */
  uint8_t spatial_layers; /* VP9: the spatial layers a scalability structure in this packet
                           * announces (N_S + 1, 1..8); 0 when it has none, and for the others */
  size_t hdr_len; /* payload descriptor bytes before the codec data (VP8, VP9, AV1); else 0 */
} braid_rtp_codec_info_t;

/*
 * Inspects the payload (len bytes, the RTP payload without padding) of a
 * packet of codec into *info. Each function below does the same for one
 * codec. Never reads past payload + len, never writes to it.
 *
 * Returns 0, or (*info is then unspecified):
 *   BRAID_ETRUNC      the payload ends inside the descriptor or a NAL unit
 *                     header it announces, or has no codec data after the
 *                     descriptor (VP8, VP9, H264 FU and aggregation units);
 *   BRAID_EMALFORMED  a field holds a value the format forbids (VP9: a 4th
 *                     P_DIFF; VP8: a key frame without the start code;
 *                     H264: a zero-sized aggregated NAL unit, an FU with
 *                     both S and E, a fragmented aggregation unit; AV1: a
 *                     bad LEB128 or an OBU element longer than the payload);
 *   BRAID_EINVAL      unknown codec (braid_rtp_codec_inspect() only).
 * Opus never fails, even on an empty payload (DTX).
 */
int braid_rtp_codec_inspect(braid_rtp_codec_t codec, const uint8_t *payload, size_t len,
                            braid_rtp_codec_info_t *info);

int braid_rtp_codec_vp8_inspect(const uint8_t *payload, size_t len, braid_rtp_codec_info_t *info);
int braid_rtp_codec_vp9_inspect(const uint8_t *payload, size_t len, braid_rtp_codec_info_t *info);
int braid_rtp_codec_h264_inspect(const uint8_t *payload, size_t len, braid_rtp_codec_info_t *info);
int braid_rtp_codec_av1_inspect(const uint8_t *payload, size_t len, braid_rtp_codec_info_t *info);
int braid_rtp_codec_opus_inspect(const uint8_t *payload, size_t len, braid_rtp_codec_info_t *info);

#endif
