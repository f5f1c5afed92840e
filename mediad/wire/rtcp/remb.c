/*
 * REMB (draft-alvestrand-rmcat-remb-03 §2.2):
 *
 *   |V=2|P| FMT=15  |   PT=206      |             length            |
 *   |                  SSRC of packet sender                        |
 *   |                  SSRC of media source (0)                     |
 *   |  'R'          |  'E'          |  'M'          |  'B'          |
 *   |  Num SSRC     | BR Exp    |  BR Mantissa (18 bits)            |
 *   |   SSRC feedback (Num SSRC times)                              |
 */
#include "mediad/wire/rtcp/remb.h"

#include <string.h>

static const uint8_t remb_id[4] = {'R', 'E', 'M', 'B'};

int braid_rtcp_remb_parse(braid_rtcp_remb_t *remb, const uint8_t *data, size_t len,
                          const char **why) {
  braid_rd_t fci;
  const uint8_t *id;
  uint32_t word;
  int rc =
      braid_rtcp_fb_open(&remb->fb, &fci, data, len, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_AFB, why);
  if (rc != 0) return rc;
  if (braid_rd_bytes(&fci, 4, &id) != 0 || memcmp(id, remb_id, 4) != 0)
    return braid__rtcp_fail(why, BRAID_EUNKNOWN, "rtcp afb: not a REMB");
  if (braid_rd_u32(&fci, &word) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp remb: no bitrate");
  remb->n_ssrcs = (uint8_t)(word >> 24);
  remb->exp = (uint8_t)((word >> 18) & 0x3f);
  remb->mantissa = word & BRAID_RTCP_REMB_MANTISSA_MAX;
  if (braid_rd_left(&fci) != (size_t)remb->n_ssrcs * 4)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp remb: length does not match Num SSRC");
  /* exp <= 63 keeps the shifts defined; shifting back detects lost bits. */
  uint64_t bitrate = (uint64_t)remb->mantissa << remb->exp;
  if (bitrate >> remb->exp != remb->mantissa)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp remb: bitrate overflows 64 bits");
  remb->bitrate = bitrate;
  remb->ssrcs = fci.p;
  return 0;
}

uint32_t braid_rtcp_remb_ssrc(const braid_rtcp_remb_t *remb, size_t i) {
  return i < remb->n_ssrcs ? braid_get32(remb->ssrcs + 4 * i) : 0;
}

void braid_rtcp_remb_encode(uint64_t bitrate, uint8_t *exp, uint32_t *mantissa) {
  uint8_t e = 0;
  while ((bitrate >> e) > BRAID_RTCP_REMB_MANTISSA_MAX)
    e++; /* at most 46 */
  *exp = e;
  *mantissa = (uint32_t)(bitrate >> e);
}

ssize_t braid_rtcp_remb_write(uint8_t *buf, size_t cap, uint32_t sender_ssrc, uint64_t bitrate,
                              const uint32_t *ssrcs, size_t n) {
  if (n > BRAID_RTCP_REMB_MAX_SSRCS) return BRAID_EINVAL;
  size_t len = BRAID_RTCP_FB_HEADER_SIZE + 8 + 4 * n;
  if (cap < len) return BRAID_ELIMIT;
  uint8_t exp;
  uint32_t mantissa;
  braid_rtcp_remb_encode(bitrate, &exp, &mantissa);
  braid_rtcp_fb_t fb = {.sender_ssrc = sender_ssrc, .media_ssrc = 0};
  (void)braid_rtcp_fb_write(buf, cap, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_AFB, len, &fb);
  memcpy(buf + 12, remb_id, 4);
  braid_put32(buf + 16, (uint32_t)n << 24 | (uint32_t)exp << 18 | mantissa);
  for (size_t i = 0; i < n; i++)
    braid_put32(buf + 20 + 4 * i, ssrcs[i]);
  return (ssize_t)len;
}
