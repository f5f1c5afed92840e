/*
 * Codec payload inspection (see rtp_codec.h for what each codec reports).
 * Payload bytes are read through common/rd.h, which checks the length
 * before every read.
 */
#include "mediad/wire/rtp_codec.h"

#include "common/err.h"
#include "common/rd.h"

static void info_init(braid_rtp_codec_info_t *info) {
  *info = (braid_rtp_codec_info_t){.tid = -1, .sid = -1, .picture_id = -1, .tl0picidx = -1};
}

/* The PictureID field shared by VP8 and VP9: M bit, then 7 or 15 bits. */
static int read_picture_id(braid_rd_t *r, int32_t *picture_id) {
  uint8_t hi, lo;
  if (braid_rd_u8(r, &hi) != 0) return BRAID_ETRUNC;
  if (!(hi & 0x80)) {
    *picture_id = hi;
    return 0;
  }
  if (braid_rd_u8(r, &lo) != 0) return BRAID_ETRUNC;
  *picture_id = ((hi & 0x7f) << 8) | lo;
  return 0;
}

/*
 * VP8 payload descriptor (RFC 7741 §4.2):
 *        0 1 2 3 4 5 6 7
 *       +-+-+-+-+-+-+-+-+
 *       |X|R|N|S|R| PID | (REQUIRED)
 *       +-+-+-+-+-+-+-+-+
 *  X:   |I|L|T|K| RSV   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *  I:   |M| PictureID   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *  M:   |   PictureID   | (OPTIONAL, 15-bit PictureID)
 *       +-+-+-+-+-+-+-+-+
 *  L:   |   TL0PICIDX   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *  T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 * followed, at the start of partition 0 (S=1, PID=0), by the VP8 frame
 * tag (RFC 6386 §9.1): bit 0 of its first byte is P, 0 for a key frame,
 * which continues with the start code 9d 01 2a and 14-bit width/height.
 */
int braid_rtp_codec_vp8_inspect(const uint8_t *p, size_t len, braid_rtp_codec_info_t *info) {
  braid_rd_t r;
  uint8_t b, x, v;
  info_init(info);
  braid_rd_init(&r, p, len);
  if (braid_rd_u8(&r, &b) != 0) return BRAID_ETRUNC;
  if (b & 0x80) {
    if (braid_rd_u8(&r, &x) != 0) return BRAID_ETRUNC;
    if ((x & 0x80) && read_picture_id(&r, &info->picture_id) != 0) return BRAID_ETRUNC;
    if (x & 0x40) {
      if (braid_rd_u8(&r, &v) != 0) return BRAID_ETRUNC;
      info->tl0picidx = v;
    }
    if (x & 0x30) { /* T or K: one byte holds TID, Y and KEYIDX */
      if (braid_rd_u8(&r, &v) != 0) return BRAID_ETRUNC;
      if (x & 0x20) {
        info->tid = (int8_t)(v >> 6);
        info->layer_sync = (v & 0x20) != 0;
      }
    }
  }
  size_t left = braid_rd_left(&r);
  if (left < 1) return BRAID_ETRUNC; /* no VP8 data */
  info->hdr_len = len - left;
  info->frame_start = (b & 0x10) && (b & 0x07) == 0;
  const uint8_t *k = r.p; /* the frame tag, when frame_start */
  if (!info->frame_start || (k[0] & 0x01)) return 0;

  info->keyframe = true;
  if (left >= 10) {
    if (k[3] != 0x9d || k[4] != 0x01 || k[5] != 0x2a) return BRAID_EMALFORMED;
    info->width = (uint16_t)((k[6] | (k[7] << 8)) & 0x3fff);
    info->height = (uint16_t)((k[8] | (k[9] << 8)) & 0x3fff);
  }
  return 0;
}

/*
 * VP9 scalability structure (RFC 9628 §4.2.1), read from r:
 *       +-+-+-+-+-+-+-+-+
 *  V:   | N_S |Y|G|-|-|-|
 *       +-+-+-+-+-+-+-+-+              -\
 *  Y:   |     WIDTH     | (OPTIONAL)    .
 *       +               +               .
 *       |               | (OPTIONAL)    .
 *       +-+-+-+-+-+-+-+-+               . - N_S + 1 times
 *       |     HEIGHT    | (OPTIONAL)    .
 *       +               +               .
 *       |               | (OPTIONAL)    .
 *       +-+-+-+-+-+-+-+-+              -/
 *  G:   |      N_G      | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+                           -\
 *  N_G: |  T  |U| R |-|-| (OPTIONAL)                 .
 *       +-+-+-+-+-+-+-+-+              -\            . - N_G times
 *       |    P_DIFF     | (OPTIONAL)    . - R times  .
 *       +-+-+-+-+-+-+-+-+              -/            -/
 */
static int vp9_ss(braid_rd_t *r, braid_rtp_codec_info_t *info) {
  uint8_t v;
  if (braid_rd_u8(r, &v) != 0) return BRAID_ETRUNC;
  size_t layers = (size_t)(v >> 5) + 1;
  bool has_sizes = v & 0x10, has_groups = v & 0x08;
  info->spatial_layers = (uint8_t)layers;
  if (has_sizes) {
    const uint8_t *dims;
    if (braid_rd_bytes(r, 4 * layers, &dims) != 0) return BRAID_ETRUNC;
    const uint8_t *last = dims + 4 * (layers - 1); /* the highest layer */
    info->width = (uint16_t)((last[0] << 8) | last[1]);
    info->height = (uint16_t)((last[2] << 8) | last[3]);
  }
  if (has_groups) {
    uint8_t groups;
    if (braid_rd_u8(r, &groups) != 0) return BRAID_ETRUNC;
    for (unsigned g = 0; g < groups; g++) {
      if (braid_rd_u8(r, &v) != 0) return BRAID_ETRUNC;
      if (braid_rd_skip(r, (v >> 2) & 0x03) != 0) return BRAID_ETRUNC; /* R x P_DIFF */
    }
  }
  return 0;
}

/*
 * VP9 payload descriptor (RFC 9628 §4.2). Flexible mode (F=1):
 *        0 1 2 3 4 5 6 7
 *       +-+-+-+-+-+-+-+-+
 *       |I|P|L|F|B|E|V|Z| (REQUIRED)
 *       +-+-+-+-+-+-+-+-+
 *  I:   |M| PICTURE ID  | (REQUIRED)
 *       +-+-+-+-+-+-+-+-+
 *  M:   | EXTENDED PID  | (RECOMMENDED)
 *       +-+-+-+-+-+-+-+-+
 *  L:   | TID |U| SID |D| (CONDITIONALLY RECOMMENDED)
 *       +-+-+-+-+-+-+-+-+                             -\
 *  P,F: | P_DIFF      |N| (CONDITIONALLY REQUIRED)    - up to 3 times
 *       +-+-+-+-+-+-+-+-+                             -/
 *  V:   | SS            |
 *       | ..            |
 *       +-+-+-+-+-+-+-+-+
 * Non-flexible mode (F=0): the L byte is followed by TL0PICIDX and there
 * are no P_DIFF bytes. A key frame starts with B=1, P=0 in the lowest
 * spatial layer.
 */
int braid_rtp_codec_vp9_inspect(const uint8_t *p, size_t len, braid_rtp_codec_info_t *info) {
  braid_rd_t r;
  uint8_t b, v;
  info_init(info);
  braid_rd_init(&r, p, len);
  if (braid_rd_u8(&r, &b) != 0) return BRAID_ETRUNC;
  bool inter = b & 0x40, flexible = b & 0x10;
  if ((b & 0x80) && read_picture_id(&r, &info->picture_id) != 0) return BRAID_ETRUNC;
  if (b & 0x20) {
    if (braid_rd_u8(&r, &v) != 0) return BRAID_ETRUNC;
    info->tid = (int8_t)(v >> 5);
    info->layer_sync = (v & 0x10) != 0;
    info->sid = (int8_t)((v >> 1) & 0x07);
    if (!flexible) {
      if (braid_rd_u8(&r, &v) != 0) return BRAID_ETRUNC;
      info->tl0picidx = v;
    }
  }
  if (flexible && inter) {
    for (int i = 0;; i++) {
      if (i == 3) return BRAID_EMALFORMED; /* N set on the 3rd P_DIFF */
      if (braid_rd_u8(&r, &v) != 0) return BRAID_ETRUNC;
      if (!(v & 0x01)) break;
    }
  }
  if ((b & 0x02) && vp9_ss(&r, info) != 0) return BRAID_ETRUNC;
  size_t left = braid_rd_left(&r);
  if (left < 1) return BRAID_ETRUNC; /* no VP9 data */
  info->hdr_len = len - left;
  info->frame_start = (b & 0x08) != 0;
  info->frame_end = (b & 0x04) != 0;
  info->inter_pic = inter;
  info->keyframe = info->frame_start && !inter && info->sid <= 0;
  return 0;
}

/* H.264 NAL unit types (RFC 6184 §5.2, H.264 Table 7-1). */
enum {
  NAL_IDR = 5,
  NAL_SPS = 7,
  NAL_STAP_A = 24,
  NAL_STAP_B = 25,
  NAL_MTAP24 = 27,
  NAL_FU_A = 28,
  NAL_FU_B = 29,
};

static bool h264_is_key(uint8_t type) { return type == NAL_IDR || type == NAL_SPS; }

/*
 * STAP-A (RFC 6184 §5.7.1), after its one-byte header:
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         NALU 1 Size           | NALU 1 HDR    | NALU 1 Data   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :                               | NALU 2 Size   | NALU 2 HDR ...
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static int h264_stap_a(const uint8_t *p, size_t len, braid_rtp_codec_info_t *info) {
  braid_rd_t r;
  braid_rd_init(&r, p + 1, len - 1);
  if (braid_rd_left(&r) == 0) return BRAID_ETRUNC; /* no aggregation unit */
  while (braid_rd_left(&r) > 0) {
    uint16_t size;
    const uint8_t *nal;
    if (braid_rd_u16(&r, &size) != 0) return BRAID_ETRUNC;
    if (size == 0) return BRAID_EMALFORMED;
    if (braid_rd_bytes(&r, size, &nal) != 0) return BRAID_ETRUNC;
    if (h264_is_key(nal[0] & 0x1f)) info->keyframe = true;
  }
  return 0;
}

/*
 * FU-A (RFC 6184 §5.8):
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | FU indicator  |   FU header   |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 *   |                         FU payload                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   FU indicator: |F|NRI|Type=28|    FU header: |S|E|R|  Type   |
 */
static int h264_fu_a(const uint8_t *p, size_t len, braid_rtp_codec_info_t *info) {
  if (len < 3) return BRAID_ETRUNC; /* indicator, header, at least one byte */
  uint8_t fu = p[1], type = fu & 0x1f;
  bool start = fu & 0x80, end = fu & 0x40;
  /* A NAL unit is never sent whole in one FU, and FUs never carry
   * aggregation packets or other FUs. */
  if ((start && end) || (type >= NAL_STAP_A && type <= NAL_FU_B)) return BRAID_EMALFORMED;
  info->frame_start = start;
  info->keyframe = start && h264_is_key(type);
  return 0;
}

/*
 * H.264 (RFC 6184 §5.3): every payload starts with a NAL unit header
 *   +---------------+
 *   |0|1|2|3|4|5|6|7|
 *   +-+-+-+-+-+-+-+-+
 *   |F|NRI|  Type   |
 *   +---------------+
 * Types 1..23 are single NAL unit packets; 24 is STAP-A and 28 FU-A.
 * STAP-B, MTAP16/24 and FU-B (25, 26, 27, 29) exist only in interleaved
 * mode, which WebRTC never negotiates: they are refused. Types 0, 30 and 31
 * are undefined and ignored (no key frame), as §5.4 asks of receivers.
 */
int braid_rtp_codec_h264_inspect(const uint8_t *p, size_t len, braid_rtp_codec_info_t *info) {
  info_init(info);
  if (len < 1) return BRAID_ETRUNC;
  uint8_t type = p[0] & 0x1f;
  if (type == NAL_STAP_A) {
    info->frame_start = true;
    return h264_stap_a(p, len, info);
  }
  if (type == NAL_FU_A) return h264_fu_a(p, len, info);
  if (type >= NAL_STAP_B && type <= NAL_FU_B) return BRAID_EMALFORMED;
  info->frame_start = true;
  info->keyframe = h264_is_key(type);
  return 0;
}

/* Reads an AV1 leb128() value (AV1 spec §4.10.5, at most 8 bytes). */
static int read_leb128(braid_rd_t *r, uint64_t *v) {
  uint64_t value = 0;
  for (unsigned i = 0; i < 8; i++) {
    uint8_t b;
    if (braid_rd_u8(r, &b) != 0) return BRAID_ETRUNC;
    value |= (uint64_t)(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      *v = value;
      return 0;
    }
  }
  return BRAID_EMALFORMED;
}

/* Reads the header of an OBU starting an element of elen bytes at p:
 * |F|type(4)|X|S|R| then, when X, |TID(3)|SID(2)|reserved(3)|. */
static int av1_obu_header(const uint8_t *p, size_t elen, braid_rtp_codec_info_t *info) {
  if (elen < 1 || (p[0] & 0x80)) return BRAID_EMALFORMED; /* empty, or forbidden bit */
  if (!(p[0] & 0x04) || info->tid >= 0) return 0;
  if (elen < 2) return BRAID_EMALFORMED;
  info->tid = (int8_t)(p[1] >> 5);
  info->sid = (int8_t)((p[1] >> 3) & 0x03);
  return 0;
}

/*
 * AV1 RTP payload (AV1 RTP specification §4.4, §4.5): an aggregation
 * header, then OBU elements, each preceded by its leb128 length except the
 * last one when W (the element count, 1..3) is non-zero.
 *    0 1 2 3 4 5 6 7
 *   +-+-+-+-+-+-+-+-+
 *   |Z|Y| W |N|-|-|-|   Z: the first element continues an OBU
 *   +-+-+-+-+-+-+-+-+   N: first packet of a coded video sequence
 * The layer ids are those of the first OBU extension header found.
 */
int braid_rtp_codec_av1_inspect(const uint8_t *p, size_t len, braid_rtp_codec_info_t *info) {
  braid_rd_t r;
  uint8_t agg;
  info_init(info);
  braid_rd_init(&r, p, len);
  /* The aggregation header and at least one byte of OBU data. */
  if (braid_rd_u8(&r, &agg) != 0 || braid_rd_left(&r) == 0) return BRAID_ETRUNC;
  bool cont = agg & 0x80;
  unsigned count = (agg >> 4) & 0x03, i = 0;
  for (; braid_rd_left(&r) > 0 && (count == 0 || i < count); i++) {
    size_t elen = braid_rd_left(&r); /* the last element of a counted packet */
    if (count == 0 || i + 1 < count) {
      uint64_t v;
      int rc = read_leb128(&r, &v);
      if (rc != 0) return rc;
      if (v > braid_rd_left(&r)) return BRAID_EMALFORMED;
      elen = (size_t)v;
    }
    const uint8_t *obu;
    if (braid_rd_bytes(&r, elen, &obu) != 0) return BRAID_ETRUNC; /* never: elen <= left */
    if (i > 0 || !cont) {
      int rc = av1_obu_header(obu, elen, info);
      if (rc != 0) return rc;
    }
  }
  /* A counted packet holds exactly W elements and nothing after them. */
  if (braid_rd_left(&r) != 0 || (count != 0 && i != count)) return BRAID_EMALFORMED;
  info->hdr_len = 1;
  info->frame_start = !cont;
  info->keyframe = !cont && (agg & 0x08);
  return 0;
}

int braid_rtp_codec_opus_inspect(const uint8_t *p, size_t len, braid_rtp_codec_info_t *info) {
  (void)p;
  (void)len;
  info_init(info);
  info->keyframe = true;
  info->frame_start = true;
  return 0;
}

int braid_rtp_codec_inspect(braid_rtp_codec_t codec, const uint8_t *payload, size_t len,
                            braid_rtp_codec_info_t *info) {
  switch (codec) {
  case BRAID_RTP_CODEC_OPUS: return braid_rtp_codec_opus_inspect(payload, len, info);
  case BRAID_RTP_CODEC_VP8: return braid_rtp_codec_vp8_inspect(payload, len, info);
  case BRAID_RTP_CODEC_VP9: return braid_rtp_codec_vp9_inspect(payload, len, info);
  case BRAID_RTP_CODEC_H264: return braid_rtp_codec_h264_inspect(payload, len, info);
  case BRAID_RTP_CODEC_AV1: return braid_rtp_codec_av1_inspect(payload, len, info);
  }
  return BRAID_EINVAL;
}
