/*
 * Picture loss indication (RFC 4585 §6.3.1):
 *
 *   |V=2|P|  FMT=1  |   PT=206      |          length=2             |
 *   |                  SSRC of packet sender                        |
 *   |                  SSRC of media source                         |
 */
#include "mediad/wire/rtcp/pli.h"

int braid_rtcp_pli_parse(braid_rtcp_fb_t *fb, const uint8_t *data, size_t len, const char **why) {
  braid_rd_t fci;
  int rc = braid_rtcp_fb_open(fb, &fci, data, len, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_PLI, why);
  if (rc != 0) return rc;
  if (braid_rd_left(&fci) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp pli: unexpected FCI");
  return 0;
}

ssize_t braid_rtcp_pli_write(uint8_t *buf, size_t cap, const braid_rtcp_fb_t *fb) {
  return braid_rtcp_fb_write(buf, cap, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_PLI, BRAID_RTCP_PLI_SIZE,
                             fb);
}
