#include "mediad/wire/demux.h"

braid_demux_kind_t braid_demux_classify(const uint8_t *data, size_t len) {
  if (len == 0) return BRAID_DEMUX_UNKNOWN;
  uint8_t b = data[0];
  if (b <= 3) return len >= 20 ? BRAID_DEMUX_STUN : BRAID_DEMUX_UNKNOWN;
  if (b >= 20 && b <= 63) return len >= 13 ? BRAID_DEMUX_DTLS : BRAID_DEMUX_UNKNOWN;
  if (b >= 128 && b <= 191) {
    if (len < 2) return BRAID_DEMUX_UNKNOWN;
    /* RTCP packet types 192..223 (FIR 192 .. PSFB 206, XR 207); RTP payload
     * types 64..95 with the marker bit set collide and are excluded by
     * RFC 5761, so the second byte decides. */
    if (data[1] >= 192 && data[1] <= 223) return len >= 8 ? BRAID_DEMUX_RTCP : BRAID_DEMUX_UNKNOWN;
    return len >= 12 ? BRAID_DEMUX_RTP : BRAID_DEMUX_UNKNOWN;
  }
  return BRAID_DEMUX_UNKNOWN;
}
