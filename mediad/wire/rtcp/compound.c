/*
 * Compound RTCP iteration (RFC 3550 §6.1 and Appendix A.2; RFC 5506 §3.1
 * for reduced-size RTCP):
 *
 *   +--------+--------+-----+--------+
 *   |  hdr 1 |  hdr 2 | ... |  hdr n |   each: V=2 | P | count | PT | length
 *   | body 1 | body 2 |     | body n |   (length + 1) * 4 bytes in all
 *   +--------+--------+-----+--------+   P only on packet n
 *
 * The lengths of the packets add up to the datagram length exactly.
 */
#include "mediad/wire/rtcp/compound.h"

void braid_rtcp_compound_init(braid_rtcp_compound_t *c, const uint8_t *data, size_t len,
                              unsigned flags) {
  *c = (braid_rtcp_compound_t){.data = data, .len = len, .flags = flags};
}

static int stop(braid_rtcp_compound_t *c, int rc, const char *why) {
  c->err = rc;
  c->why = why;
  return rc;
}

int braid_rtcp_compound_next(braid_rtcp_compound_t *c, braid_rtcp_packet_t *pkt) {
  if (c->err != 0) return c->err;
  if (c->off == c->len) {
    if (c->index > 0) return 0;
    return stop(c, BRAID_ETRUNC, "rtcp compound: empty datagram");
  }
  const uint8_t *p = c->data + c->off;
  size_t left = c->len - c->off;
  braid_rtcp_header_t hdr;
  const char *why = NULL;
  int rc = braid_rtcp_header_parse(&hdr, p, left, &why);
  if (rc != 0) return stop(c, rc, why);
  if (hdr.padding && hdr.len != left && !(c->flags & BRAID_RTCP_COMPOUND_PAD_ANY))
    return stop(c, BRAID_EMALFORMED, "rtcp compound: padding on a packet that is not the last");
  if (c->index == 0 && (c->flags & BRAID_RTCP_COMPOUND_FULL) && hdr.pt != BRAID_RTCP_PT_SR &&
      hdr.pt != BRAID_RTCP_PT_RR)
    return stop(c, BRAID_ETYPE, "rtcp compound: does not start with an SR or RR");
  pkt->hdr = hdr;
  pkt->data = p;
  pkt->len = hdr.len;
  c->off += hdr.len;
  c->index++;
  return 1;
}

int braid_rtcp_compound_validate(const uint8_t *data, size_t len, unsigned flags,
                                 const char **why) {
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  int rc;
  braid_rtcp_compound_init(&c, data, len, flags);
  while ((rc = braid_rtcp_compound_next(&c, &pkt)) == 1) {
  }
  if (rc < 0) return braid__rtcp_fail(why, rc, c.why);
  return (int)c.index;
}
