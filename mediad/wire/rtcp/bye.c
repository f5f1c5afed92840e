/*
 * Goodbye (RFC 3550 §6.6):
 *
 *   |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *   |                     SSRC/CSRC (SC times)                      |
 *   |     length    |  reason for leaving ...  | null octets to 32 bits
 */
#include "mediad/wire/rtcp/bye.h"

#include <string.h>

int braid_rtcp_bye_parse(braid_rtcp_bye_t *bye, const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_header_t hdr;
  braid_rd_t body;
  uint8_t rlen;
  const uint8_t *text;
  int rc = braid_rtcp_header_open(&hdr, &body, data, len, BRAID_RTCP_PT_BYE, -1, why);
  if (rc != 0) return rc;
  bye->n_ssrcs = hdr.count;
  if (braid_rd_bytes(&body, (size_t)hdr.count * 4, &bye->ssrcs) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp bye: fewer SSRCs than SC");
  bye->has_reason = false;
  bye->reason = (braid_str_t){NULL, 0};
  if (braid_rd_left(&body) == 0) return 0;
  (void)braid_rd_u8(&body, &rlen);
  if (braid_rd_bytes(&body, rlen, &text) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp bye: reason runs past the packet");
  /* Only padding to the next 32-bit boundary may follow. Its content is
   * not checked: it carries no meaning. */
  if (braid_rd_left(&body) >= 4)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp bye: bytes after the reason");
  bye->has_reason = true;
  bye->reason = (braid_str_t){(const char *)text, rlen};
  return 0;
}

uint32_t braid_rtcp_bye_ssrc(const braid_rtcp_bye_t *bye, size_t i) {
  return i < bye->n_ssrcs ? braid_get32(bye->ssrcs + 4 * i) : 0;
}

ssize_t braid_rtcp_bye_write(uint8_t *buf, size_t cap, const uint32_t *ssrcs, size_t n,
                             const braid_str_t *reason) {
  if (n == 0 || n > BRAID_RTCP_MAX_COUNT) return BRAID_EINVAL;
  if (reason != NULL &&
      (reason->len > BRAID_RTCP_BYE_REASON_MAX || (reason->p == NULL && reason->len > 0)))
    return BRAID_EINVAL;
  size_t body = 4 * n + (reason != NULL ? braid__rtcp_align4(1 + reason->len) : 0);
  size_t len = BRAID_RTCP_HEADER_SIZE + body;
  if (cap < len) return BRAID_ELIMIT;
  (void)braid_rtcp_header_write(buf, cap, (uint8_t)n, BRAID_RTCP_PT_BYE, len);
  for (size_t i = 0; i < n; i++)
    braid_put32(buf + 4 + 4 * i, ssrcs[i]);
  if (reason != NULL) {
    size_t off = 4 + 4 * n;
    memset(buf + off, 0, len - off);
    buf[off] = (uint8_t)reason->len;
    if (reason->len > 0) memcpy(buf + off + 1, reason->p, reason->len);
  }
  return (ssize_t)len;
}
