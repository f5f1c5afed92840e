/*
 * Full intra request (RFC 5104 §4.3.1):
 *
 *   |V=2|P|  FMT=4  |   PT=206      |          length               |
 *   |                  SSRC of packet sender                        |
 *   |                  SSRC of media source (unused, 0)             |
 *   |                              SSRC                             |  (1 or more
 *   | Seq nr.       |    Reserved                                   |   entries)
 */
#include "mediad/wire/rtcp/fir.h"

#include <string.h>

int braid_rtcp_fir_parse(braid_rtcp_fir_t *fir, const uint8_t *data, size_t len, const char **why) {
  braid_rd_t fci;
  int rc =
      braid_rtcp_fb_open(&fir->fb, &fci, data, len, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_FIR, why);
  if (rc != 0) return rc;
  size_t left = braid_rd_left(&fci);
  if (left == 0) return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp fir: no entry");
  if (left % BRAID_RTCP_FIR_ENTRY_SIZE != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp fir: partial entry");
  fir->n_entries = left / BRAID_RTCP_FIR_ENTRY_SIZE;
  fir->entries = fci.p;
  return 0;
}

int braid_rtcp_fir_entry(const braid_rtcp_fir_t *fir, size_t i, braid_rtcp_fir_entry_t *entry) {
  if (i >= fir->n_entries) return BRAID_EINVAL;
  const uint8_t *p = fir->entries + i * BRAID_RTCP_FIR_ENTRY_SIZE;
  entry->ssrc = braid_get32(p);
  entry->seq = p[4];
  return 0;
}

ssize_t braid_rtcp_fir_write(uint8_t *buf, size_t cap, uint32_t sender_ssrc,
                             const braid_rtcp_fir_entry_t *entries, size_t n) {
  if (n == 0 || n > (BRAID_RTCP_MAX_PACKET - BRAID_RTCP_FB_HEADER_SIZE) / BRAID_RTCP_FIR_ENTRY_SIZE)
    return BRAID_EINVAL;
  size_t len = BRAID_RTCP_FB_HEADER_SIZE + n * BRAID_RTCP_FIR_ENTRY_SIZE;
  if (cap < len) return BRAID_ELIMIT;
  braid_rtcp_fb_t fb = {.sender_ssrc = sender_ssrc, .media_ssrc = 0};
  (void)braid_rtcp_fb_write(buf, cap, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_FIR, len, &fb);
  for (size_t i = 0; i < n; i++) {
    uint8_t *p = buf + BRAID_RTCP_FB_HEADER_SIZE + i * BRAID_RTCP_FIR_ENTRY_SIZE;
    braid_put32(p, entries[i].ssrc);
    p[4] = entries[i].seq;
    memset(p + 5, 0, 3);
  }
  return (ssize_t)len;
}
