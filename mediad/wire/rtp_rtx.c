/*
 * RTX wrap and unwrap (RFC 4588 §4; the diagram is in rtp_rtx.h). Both
 * work in place or into another buffer, so memmove is used throughout.
 */
#include "mediad/wire/rtp_rtx.h"
#include "common/bytes.h"

#include <string.h>

/* Copies src's header to out (unless it is already there) and rewrites
 * the P bit (cleared), payload type, sequence number and SSRC. */
static void write_header(uint8_t *out, const braid_rtp_packet_t *src, uint32_t ssrc, uint8_t pt,
                         uint16_t seq) {
  if (out != src->data) memmove(out, src->data, src->hdr_len);
  out[0] = (uint8_t)(out[0] & ~0x20);
  out[1] = (uint8_t)((out[1] & 0x80) | (pt & 0x7f));
  braid_put16(out + 2, seq);
  braid_put32(out + 8, ssrc);
}

static inline int check_fit(size_t total, size_t cap, size_t tail_room) {
  if (total > BRAID_RTP_MAX_LEN || cap < tail_room || cap - tail_room < total) return BRAID_ETOOBIG;
  return 0;
}

int braid_rtp_rtx_osn(const braid_rtp_packet_t *rtx, uint16_t *osn) {
  if (rtx->payload_len < 2) return BRAID_ETRUNC;
  const uint8_t *p = rtx->data + rtx->hdr_len;
  *osn = (uint16_t)((p[0] << 8) | p[1]);
  return 0;
}

int braid_rtp_rtx_unwrap(uint8_t *out, size_t cap, size_t tail_room, const braid_rtp_packet_t *rtx,
                         uint32_t ssrc, uint8_t pt, size_t *out_len) {
  uint16_t osn;
  int rc = braid_rtp_rtx_osn(rtx, &osn);
  if (rc != 0) return rc;
  size_t hdr_len = rtx->hdr_len, payload_len = rtx->payload_len - 2;
  rc = check_fit(hdr_len + payload_len, cap, tail_room);
  if (rc != 0) return rc;
  /* The payload moves first: in place, the header stays where it is. */
  memmove(out + hdr_len, rtx->data + hdr_len + 2, payload_len);
  write_header(out, rtx, ssrc, pt, osn);
  *out_len = hdr_len + payload_len;
  return 0;
}

int braid_rtp_rtx_wrap(uint8_t *out, size_t cap, size_t tail_room, const braid_rtp_packet_t *orig,
                       uint32_t rtx_ssrc, uint8_t rtx_pt, uint16_t rtx_seq, size_t *out_len) {
  size_t hdr_len = orig->hdr_len, payload_len = orig->payload_len;
  uint16_t osn = orig->seq;
  int rc = check_fit(hdr_len + 2 + payload_len, cap, tail_room);
  if (rc != 0) return rc;
  memmove(out + hdr_len + 2, orig->data + hdr_len, payload_len);
  braid_put16(out + hdr_len, osn);
  write_header(out, orig, rtx_ssrc, rtx_pt, rtx_seq);
  *out_len = hdr_len + 2 + payload_len;
  return 0;
}
