/*
 * Fuzzer for braid_rtp_packet_parse(), braid_rtp_ext_parse() and every
 * reader, the in-place setters and updates, and braid_rtp_packet_rewrite():
 * parse; check the view lies inside the input; read every element with
 * every typed reader; rewrite the packet with its own extension elements
 * into a small and a large buffer; parse the result and compare every field,
 * element and payload byte.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "mediad/wire/rtp_ext.h"
#include "mediad/wire/rtp_packet.h"

enum { TAIL = 16 }; /* SRTP tail room asked of the rewrite */

static void check_view(const braid_rtp_packet_t *p, const uint8_t *data, size_t size) {
  BRAID_ASSERT(p->data == data && p->len == size);
  BRAID_ASSERT(p->hdr_len >= BRAID_RTP_FIXED_HDR_LEN + 4u * p->csrc_count);
  BRAID_ASSERT(p->hdr_len + p->payload_len + p->pad_len == size);
  BRAID_ASSERT(p->pt < 128 && p->csrc_count < 16);
  BRAID_ASSERT((p->pad_len != 0) == ((data[0] & 0x20) != 0));
  if (p->has_ext) {
    BRAID_ASSERT(p->ext_off == BRAID_RTP_FIXED_HDR_LEN + 4u * p->csrc_count + 4);
    BRAID_ASSERT(p->ext_off + p->ext_len == p->hdr_len && p->ext_len % 4 == 0);
  } else {
    BRAID_ASSERT(p->ext_off == 0 && p->ext_len == 0 && p->ext_profile == 0);
    BRAID_ASSERT(p->hdr_len == BRAID_RTP_FIXED_HDR_LEN + 4u * p->csrc_count);
  }
}

/* Calls every typed reader on id and checks what it may return. */
static void read_all(const braid_rtp_ext_t *ext, uint8_t id) {
  const braid_rtp_ext_elem_t *e = braid_rtp_ext_find(ext, id);
  int want_missing = e == NULL ? BRAID_ENOTFOUND : 0;
  braid_str_t s;
  bool voice;
  uint8_t level;
  uint32_t abs;
  uint16_t seq;
  int32_t toff;
  braid_rtp_video_orientation_t o;
  int rc = braid_rtp_ext_get_mid(ext, id, &s);
  BRAID_ASSERT(rc == 0 || rc == BRAID_EMALFORMED || rc == BRAID_ETOOBIG || rc == want_missing);
  if (rc == 0) BRAID_ASSERT(s.len >= 1 && s.len <= BRAID_RTP_EXT_STR_MAX && s.len == e->len);
  rc = braid_rtp_ext_get_rid(ext, id, &s);
  BRAID_ASSERT(rc == 0 || rc == BRAID_EMALFORMED || rc == BRAID_ETOOBIG || rc == want_missing);
  rc = braid_rtp_ext_get_abs_send_time(ext, id, &abs);
  if (rc == 0) BRAID_ASSERT(abs <= 0xffffff && e->len == 3);
  rc = braid_rtp_ext_get_twcc_seq(ext, id, &seq);
  if (rc == 0) BRAID_ASSERT(e->len == 2);
  rc = braid_rtp_ext_get_audio_level(ext, id, &voice, &level);
  if (rc == 0) BRAID_ASSERT(level < 128 && e->len == 1);
  rc = braid_rtp_ext_get_video_orientation(ext, id, &o);
  if (rc == 0) BRAID_ASSERT(o.rotation % 90 == 0 && o.rotation < 360);
  rc = braid_rtp_ext_get_toffset(ext, id, &toff);
  if (rc == 0) BRAID_ASSERT(toff >= -(1 << 23) && toff < (1 << 23));
  if (e == NULL)
    BRAID_ASSERT(rc == BRAID_ENOTFOUND);
  else
    BRAID_ASSERT(rc == 0 || rc == BRAID_EMALFORMED);
}

static void check_ext(const braid_rtp_packet_t *p, braid_rtp_ext_t *ext) {
  int rc = braid_rtp_ext_parse(ext, p);
  BRAID_ASSERT(rc == 0 || rc == BRAID_ETRUNC || rc == BRAID_ETOOBIG);
  if (rc != 0) {
    BRAID_ASSERT(ext->n == 0);
    return;
  }
  BRAID_ASSERT(ext->n <= BRAID_RTP_EXT_MAX_ELEMS);
  if (!p->has_ext) BRAID_ASSERT(ext->form == BRAID_RTP_EXT_NONE);
  for (unsigned i = 0; i < ext->n; i++) {
    const braid_rtp_ext_elem_t *e = &ext->elems[i];
    BRAID_ASSERT(e->id != 0 && e->off >= p->ext_off);
    BRAID_ASSERT(e->off + e->len <= p->ext_off + p->ext_len);
    if (ext->form == BRAID_RTP_EXT_ONE_BYTE)
      BRAID_ASSERT(e->id < 15 && e->len >= 1 && e->len <= 16);
  }
  /* Every id present, and ids that are absent or never found. */
  for (unsigned i = 0; i < ext->n; i++)
    read_all(ext, ext->elems[i].id);
  static const uint8_t other[] = {0, 1, 14, 15, 16, 255};
  for (unsigned i = 0; i < sizeof other; i++)
    read_all(ext, other[i]);
}

/* Rewrites src with its own elements into cap bytes and checks the result. */
static void check_rewrite(const braid_rtp_packet_t *src, const braid_rtp_ext_t *ext, size_t cap) {
  static uint8_t out[BRAID_RTP_MAX_LEN + 1024];
  braid_rtp_ext_entry_t entries[BRAID_RTP_EXT_MAX_ELEMS];
  for (unsigned i = 0; i < ext->n; i++)
    entries[i] = (braid_rtp_ext_entry_t){braid_rtp_ext_val(ext, &ext->elems[i]), ext->elems[i].id,
                                         ext->elems[i].len};
  braid_rtp_rewrite_t rw = {.ssrc = ~src->ssrc,
                            .ts = src->ts + 3000,
                            .seq = src->seq ^ 0x5a5a,
                            .pt = (uint8_t)(src->pt + 1),
                            .ext = entries,
                            .n_ext = ext->n};
  size_t block = 0;
  braid_rtp_ext_form_t form;
  BRAID_ASSERT(braid_rtp_ext_block_size(entries, ext->n, &block, &form) == 0);
  size_t want =
      BRAID_RTP_FIXED_HDR_LEN + 4u * src->csrc_count + block + src->payload_len + src->pad_len;
  size_t n = 0;
  int rc = braid_rtp_packet_rewrite(out, cap, TAIL, src, &rw, &n);
  if (want + TAIL > cap || want > BRAID_RTP_MAX_LEN) {
    BRAID_ASSERT(rc == BRAID_ETOOBIG);
    return;
  }
  BRAID_ASSERT(rc == 0 && n == want);

  braid_rtp_packet_t p;
  braid_rtp_ext_t x;
  BRAID_ASSERT(braid_rtp_packet_parse(&p, out, n) == 0);
  BRAID_ASSERT(p.ssrc == rw.ssrc && p.ts == rw.ts && p.seq == rw.seq && p.pt == (rw.pt & 0x7f));
  BRAID_ASSERT(p.marker == src->marker && p.csrc_count == src->csrc_count);
  BRAID_ASSERT(memcmp(out + 12, src->data + 12, 4u * src->csrc_count) == 0);
  BRAID_ASSERT(p.payload_len == src->payload_len && p.pad_len == src->pad_len);
  BRAID_ASSERT(memcmp(out + p.hdr_len, src->data + src->hdr_len, p.payload_len + p.pad_len) == 0);
  BRAID_ASSERT(p.has_ext == (ext->n != 0));
  BRAID_ASSERT(braid_rtp_ext_parse(&x, &p) == 0 && x.n == ext->n && x.form == form);
  for (unsigned i = 0; i < x.n; i++) {
    BRAID_ASSERT(x.elems[i].id == ext->elems[i].id && x.elems[i].len == ext->elems[i].len);
    BRAID_ASSERT(memcmp(braid_rtp_ext_val(&x, &x.elems[i]), entries[i].val, entries[i].len) == 0);
  }
}

/* Setters and updates on a copy: only the targeted bytes change. */
static void check_in_place(const braid_rtp_packet_t *src, const braid_rtp_ext_t *ext) {
  static uint8_t b[BRAID_RTP_MAX_LEN];
  size_t len = src->len;
  memcpy(b, src->data, len);
  BRAID_ASSERT(braid_rtp_packet_set_ssrc(b, len, 7) == 0 &&
               braid_rtp_packet_set_ts(b, len, 8) == 0);
  BRAID_ASSERT(braid_rtp_packet_set_seq(b, len, 9) == 0 &&
               braid_rtp_packet_set_pt(b, len, 10) == 0);
  BRAID_ASSERT(braid_rtp_packet_set_marker(b, len, !src->marker) == 0);
  braid_rtp_packet_t p;
  BRAID_ASSERT(braid_rtp_packet_parse(&p, b, len) == 0);
  BRAID_ASSERT(p.ssrc == 7 && p.ts == 8 && p.seq == 9 && p.pt == 10 && p.marker != src->marker);
  BRAID_ASSERT(b[0] == src->data[0] && memcmp(b + 12, src->data + 12, len - 12) == 0);
  if (ext->n == 0) return;
  /* Update the first element with each byte inverted. */
  const braid_rtp_ext_elem_t *e = braid_rtp_ext_find(ext, ext->elems[0].id);
  uint8_t val[256];
  for (unsigned i = 0; i < e->len; i++)
    val[i] = (uint8_t)~src->data[e->off + i];
  BRAID_ASSERT(braid_rtp_ext_update(b, len, e->id, val, e->len) == 0);
  BRAID_ASSERT(memcmp(b + e->off, val, e->len) == 0);
  BRAID_ASSERT(memcmp(b + e->off + e->len, src->data + e->off + e->len, len - e->off - e->len) ==
               0);
  BRAID_ASSERT(braid_rtp_ext_update(b, len, e->id, val, (size_t)e->len + 1) == BRAID_EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_rtp_packet_t pkt;
  int rc = braid_rtp_packet_parse(&pkt, data, size);
  if (rc != 0) {
    BRAID_ASSERT(rc == BRAID_ETRUNC || rc == BRAID_EVERSION || rc == BRAID_EMALFORMED ||
                 rc == BRAID_ETOOBIG);
    return 0;
  }
  check_view(&pkt, data, size);
  BRAID_ASSERT(braid_rtp_packet_payload(&pkt) == data + pkt.hdr_len);
  for (unsigned i = 0; i < pkt.csrc_count; i++)
    (void)braid_rtp_packet_csrc(&pkt, i);

  braid_rtp_ext_t ext;
  check_ext(&pkt, &ext);
  check_rewrite(&pkt, &ext, size / 2 + TAIL); /* usually too small */
  check_rewrite(&pkt, &ext, size + 64);       /* may be too small for a grown block */
  check_rewrite(&pkt, &ext, BRAID_RTP_MAX_LEN + 1024);
  check_in_place(&pkt, &ext);
  return 0;
}
