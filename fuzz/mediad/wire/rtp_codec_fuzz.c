/*
 * Fuzzer for braid_rtp_codec_inspect(): the input is a payload, inspected
 * as every codec. Checks the return codes and, on success, that every
 * reported field is in its range and consistent with the others.
 */
#include "common/err.h"
#include "common/log.h"
#include "mediad/wire/rtp_codec.h"

static void check(braid_rtp_codec_t codec, const uint8_t *data, size_t size) {
  braid_rtp_codec_info_t info;
  int rc = braid_rtp_codec_inspect(codec, data, size, &info);
  if (rc != 0) {
    BRAID_ASSERT(codec != BRAID_RTP_CODEC_OPUS);
    BRAID_ASSERT(rc == BRAID_ETRUNC || rc == BRAID_EMALFORMED);
    return;
  }
  BRAID_ASSERT(!info.keyframe || info.frame_start);
  BRAID_ASSERT(codec == BRAID_RTP_CODEC_VP9 || (!info.inter_pic && info.spatial_layers == 0));
  BRAID_ASSERT(info.spatial_layers <= 8);
  BRAID_ASSERT(info.tid >= -1 && info.tid <= 7 && info.sid >= -1 && info.sid <= 7);
  BRAID_ASSERT(info.picture_id >= -1 && info.picture_id <= 0x7fff);
  BRAID_ASSERT(info.tl0picidx >= -1 && info.tl0picidx <= 255);
  switch (codec) {
  case BRAID_RTP_CODEC_VP8:
    BRAID_ASSERT(info.hdr_len >= 1 && info.hdr_len < size && info.tid <= 3 && info.sid == -1);
    BRAID_ASSERT(!info.frame_end && info.width <= 0x3fff && info.height <= 0x3fff);
    if (!info.keyframe) BRAID_ASSERT(info.width == 0 && info.height == 0);
    break;
  case BRAID_RTP_CODEC_VP9:
    BRAID_ASSERT(info.hdr_len >= 1 && info.hdr_len < size);
    if (info.keyframe) BRAID_ASSERT(info.sid <= 0 && !info.inter_pic);
    BRAID_ASSERT(info.inter_pic == ((data[0] & 0x40) != 0));
    BRAID_ASSERT((info.spatial_layers > 0) == ((data[0] & 0x02) != 0)); /* V: an SS */
    break;
  case BRAID_RTP_CODEC_H264:
    BRAID_ASSERT(info.hdr_len == 0 && info.tid == -1 && info.sid == -1 && size >= 1);
    BRAID_ASSERT(info.picture_id == -1 && info.tl0picidx == -1 && info.width == 0);
    break;
  case BRAID_RTP_CODEC_AV1:
    BRAID_ASSERT(info.hdr_len == 1 && size >= 2 && info.sid <= 3);
    BRAID_ASSERT((info.tid == -1) == (info.sid == -1));
    break;
  case BRAID_RTP_CODEC_OPUS:
    BRAID_ASSERT(info.keyframe && info.frame_start && info.tid == -1 && info.hdr_len == 0);
    break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check(BRAID_RTP_CODEC_OPUS, data, size);
  check(BRAID_RTP_CODEC_VP8, data, size);
  check(BRAID_RTP_CODEC_VP9, data, size);
  check(BRAID_RTP_CODEC_H264, data, size);
  check(BRAID_RTP_CODEC_AV1, data, size);
  braid_rtp_codec_info_t info;
  BRAID_ASSERT(braid_rtp_codec_inspect((braid_rtp_codec_t)-1, data, size, &info) == BRAID_EINVAL);
  return 0;
}
