/*
 * Common packet format for feedback messages (RFC 4585 §6.1):
 *
 *   |V=2|P|   FMT   |       PT      |          length               |
 *   |                  SSRC of packet sender                        |
 *   |                  SSRC of media source                         |
 *   :            Feedback Control Information (FCI)                 :
 */
#include "mediad/wire/rtcp/fb.h"

int braid_rtcp_fb_open(braid_rtcp_fb_t *fb, braid_rd_t *fci, const uint8_t *data, size_t len,
                       uint8_t pt, uint8_t fmt, const char **why) {
  braid_rtcp_header_t hdr;
  int rc = braid_rtcp_header_open(&hdr, fci, data, len, pt, fmt, why);
  if (rc != 0) return rc;
  if (braid_rd_left(fci) < 8)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp fb: shorter than the two SSRCs");
  (void)braid_rd_u32(fci, &fb->sender_ssrc);
  (void)braid_rd_u32(fci, &fb->media_ssrc);
  return 0;
}

ssize_t braid_rtcp_fb_write(uint8_t *buf, size_t cap, uint8_t pt, uint8_t fmt, size_t len,
                            const braid_rtcp_fb_t *fb) {
  if (len < BRAID_RTCP_FB_HEADER_SIZE) return BRAID_EINVAL;
  ssize_t n = braid_rtcp_header_write(buf, cap, fmt, pt, len);
  if (n < 0) return n;
  if (cap < BRAID_RTCP_FB_HEADER_SIZE) return BRAID_ELIMIT;
  braid_put32(buf + 4, fb->sender_ssrc);
  braid_put32(buf + 8, fb->media_ssrc);
  return BRAID_RTCP_FB_HEADER_SIZE;
}
