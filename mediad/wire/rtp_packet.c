/*
 * RTP packet parse and rewrite (RFC 3550 §5.1; the diagram is in
 * rtp_packet.h). The fixed header is read with direct byte accessors after
 * one length check: this runs for every packet and stays branch-light.
 */
#include "mediad/wire/rtp_packet.h"

#include <string.h>

#include "common/bytes.h"
#include "mediad/wire/rtp_ext.h"

/*
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |                             SSRC                              |
 *   |                     CSRC list (CC x 4 bytes)                  |
 *   |      defined by profile       |        length (words)         |  X = 1
 *   |                extension data (length x 4 bytes)              |
 *   |                   payload ...  | padding ... | padding count  |  P = 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
int braid_rtp_packet_parse(braid_rtp_packet_t *pkt, const uint8_t *data, size_t len) {
  if (len < BRAID_RTP_FIXED_HDR_LEN) return BRAID_ETRUNC;
  if (len > BRAID_RTP_MAX_LEN) return BRAID_ETOOBIG;
  uint8_t b0 = data[0];
  if ((b0 >> 6) != BRAID_RTP_VERSION) return BRAID_EVERSION;

  size_t off = BRAID_RTP_FIXED_HDR_LEN + 4 * (size_t)(b0 & 0x0f);
  if (len < off) return BRAID_ETRUNC;
  pkt->has_ext = (b0 & 0x10) != 0;
  pkt->ext_profile = 0;
  pkt->ext_off = 0;
  pkt->ext_len = 0;
  if (pkt->has_ext) {
    if (len - off < 4) return BRAID_ETRUNC;
    size_t ext_len = 4 * (size_t)braid_get16(data + off + 2);
    pkt->ext_profile = braid_get16(data + off);
    off += 4;
    if (len - off < ext_len) return BRAID_ETRUNC;
    pkt->ext_off = off;
    pkt->ext_len = ext_len;
    off += ext_len;
  }

  /* RFC 3550 §5.1: the last octet of the padding counts the padding
   * octets, itself included; it can never reach into the header. */
  size_t pad = 0;
  if (b0 & 0x20) {
    pad = data[len - 1];
    if (pad == 0 || pad > len - off) return BRAID_EMALFORMED;
  }

  uint8_t b1 = data[1];
  pkt->data = data;
  pkt->len = len;
  pkt->hdr_len = off;
  pkt->payload_len = len - off - pad;
  pkt->pad_len = (uint8_t)pad;
  pkt->csrc_count = b0 & 0x0f;
  pkt->marker = (b1 & 0x80) != 0;
  pkt->pt = b1 & 0x7f;
  pkt->seq = braid_get16(data + 2);
  pkt->ts = braid_get32(data + 4);
  pkt->ssrc = braid_get32(data + 8);
  return 0;
}

int braid_rtp_packet_rewrite(uint8_t *out, size_t cap, size_t tail_room,
                             const braid_rtp_packet_t *src, const braid_rtp_rewrite_t *rw,
                             size_t *out_len) {
  size_t ext_size = 0;
  braid_rtp_ext_form_t form = BRAID_RTP_EXT_NONE;
  int rc = braid_rtp_ext_block_size(rw->ext, rw->n_ext, &ext_size, &form);
  if (rc != 0) return rc;

  /* Everything after the source header (payload and padding, with its
   * count byte) is copied as is, so the P bit carries over unchanged. */
  size_t csrc_len = 4 * (size_t)src->csrc_count;
  size_t body_len = src->len - src->hdr_len;
  size_t hdr_len = BRAID_RTP_FIXED_HDR_LEN + csrc_len + ext_size;
  size_t total = hdr_len + body_len;
  if (total > BRAID_RTP_MAX_LEN || cap < tail_room || cap - tail_room < total) return BRAID_ETOOBIG;

  out[0] = (uint8_t)((src->data[0] & 0xef) | (ext_size != 0 ? 0x10 : 0));
  out[1] = (uint8_t)((src->marker ? 0x80 : 0) | (rw->pt & 0x7f));
  braid_put16(out + 2, rw->seq);
  braid_put32(out + 4, rw->ts);
  braid_put32(out + 8, rw->ssrc);
  memcpy(out + BRAID_RTP_FIXED_HDR_LEN, src->data + BRAID_RTP_FIXED_HDR_LEN, csrc_len);
  if (ext_size != 0)
    braid_rtp_ext_block_write(out + BRAID_RTP_FIXED_HDR_LEN + csrc_len, rw->ext, rw->n_ext,
                              ext_size, form);
  memcpy(out + hdr_len, src->data + src->hdr_len, body_len);
  *out_len = total;
  return 0;
}
