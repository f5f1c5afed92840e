/*
 * RTCP common header (RFC 3550 §6.4.1):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P| RC/FMT  |      PT       |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                 body ... | padding ... | padding count        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#include "mediad/wire/rtcp/header.h"

int braid_rtcp_header_parse(braid_rtcp_header_t *hdr, const uint8_t *data, size_t len,
                            const char **why) {
  if (len < BRAID_RTCP_HEADER_SIZE)
    return braid__rtcp_fail(why, BRAID_ETRUNC, "rtcp: shorter than a header");
  if ((data[0] >> 6) != BRAID_RTCP_VERSION)
    return braid__rtcp_fail(why, BRAID_EVERSION, "rtcp: version is not 2");
  size_t plen = ((size_t)braid_get16(data + 2) + 1) * 4;
  if (len < plen) return braid__rtcp_fail(why, BRAID_ETRUNC, "rtcp: length exceeds the input");
  hdr->padding = (data[0] & 0x20) != 0;
  hdr->count = data[0] & 0x1f;
  hdr->pt = data[1];
  hdr->len = plen;
  hdr->pad_len = 0;
  if (hdr->padding) {
    /* The count byte is the last byte of the packet and counts itself, so
     * it is at least 1 and covers at most the bytes after the header. */
    uint8_t pad = data[plen - 1];
    if (pad == 0) return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp: padding count is 0");
    if (pad > plen - BRAID_RTCP_HEADER_SIZE)
      return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp: padding longer than the packet");
    hdr->pad_len = pad;
  }
  return 0;
}

int braid_rtcp_header_open(braid_rtcp_header_t *hdr, braid_rd_t *body, const uint8_t *data,
                           size_t len, uint8_t pt, int fmt, const char **why) {
  int rc = braid_rtcp_header_parse(hdr, data, len, why);
  if (rc != 0) return rc;
  if (hdr->len != len)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp: bytes after the announced length");
  if (hdr->pt != pt) return braid__rtcp_fail(why, BRAID_ETYPE, "rtcp: unexpected packet type");
  if (fmt >= 0 && hdr->count != fmt)
    return braid__rtcp_fail(why, BRAID_ETYPE, "rtcp: unexpected feedback message type");
  braid_rd_init(body, data + BRAID_RTCP_HEADER_SIZE, len - BRAID_RTCP_HEADER_SIZE - hdr->pad_len);
  return 0;
}

ssize_t braid_rtcp_header_write(uint8_t *buf, size_t cap, uint8_t count, uint8_t pt, size_t len) {
  if (count > BRAID_RTCP_MAX_COUNT || len < BRAID_RTCP_HEADER_SIZE || len % 4 != 0 ||
      len > BRAID_RTCP_MAX_PACKET)
    return BRAID_EINVAL;
  if (cap < BRAID_RTCP_HEADER_SIZE) return BRAID_ELIMIT;
  buf[0] = (uint8_t)(BRAID_RTCP_VERSION << 6 | count);
  buf[1] = pt;
  braid_put16(buf + 2, (uint16_t)(len / 4 - 1));
  return BRAID_RTCP_HEADER_SIZE;
}
