/*
 * RTP header extensions (RFC 8285; the diagrams of both forms are in
 * rtp_ext.h): block parse, typed readers, in-place update and the writer
 * of new blocks. The block parsers walk offsets rather than a braid_rd_t
 * because the table stores offsets; each read is still preceded by a
 * check against the end of the block (`off < end`, `end - off < len`).
 */
#include "mediad/wire/rtp_ext.h"
#include "common/bytes.h"

#include <string.h>

/* Appends an element to the table; the block's bounds are already checked. */
static inline int add_elem(braid_rtp_ext_t *ext, size_t off, uint8_t id, size_t len) {
  if (ext->n == BRAID_RTP_EXT_MAX_ELEMS) return BRAID_ETOOBIG;
  ext->elems[ext->n++] = (braid_rtp_ext_elem_t){(uint16_t)off, id, (uint8_t)len};
  return 0;
}

/*
 * One-byte form (RFC 8285 §4.2), data[off .. end):
 *    0 1 2 3 4 5 6 7
 *   +-+-+-+-+-+-+-+-+
 *   |  ID   |  len  |  then len + 1 value bytes
 *   +-+-+-+-+-+-+-+-+
 * ID 0 is a padding byte: skipped on its own whatever its low bits hold,
 * as libwebrtc and mediasoup do. ID 15 stops the parse; elements before it
 * count.
 */
static int parse_one_byte(braid_rtp_ext_t *ext, const uint8_t *data, size_t off, size_t end) {
  while (off < end) {
    uint8_t b = data[off++];
    uint8_t id = b >> 4;
    if (id == 0) continue;
    if (id == 15) break;
    size_t len = (size_t)(b & 0x0f) + 1;
    if (end - off < len) return BRAID_ETRUNC;
    int rc = add_elem(ext, off, id, len);
    if (rc != 0) return rc;
    off += len;
  }
  return 0;
}

/*
 * Two-byte form (RFC 8285 §4.3), data[off .. end):
 *    0                   1
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |       ID      |    length     |  then length (0..255) value bytes
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * A zero byte in the ID position is padding.
 */
static int parse_two_byte(braid_rtp_ext_t *ext, const uint8_t *data, size_t off, size_t end) {
  while (off < end) {
    uint8_t id = data[off++];
    if (id == 0) continue;
    if (off == end) return BRAID_ETRUNC;
    size_t len = data[off++];
    if (end - off < len) return BRAID_ETRUNC;
    int rc = add_elem(ext, off, id, len);
    if (rc != 0) return rc;
    off += len;
  }
  return 0;
}

int braid_rtp_ext_parse(braid_rtp_ext_t *ext, const braid_rtp_packet_t *pkt) {
  ext->data = pkt->data;
  ext->n = 0;
  ext->appbits = 0;
  ext->form = BRAID_RTP_EXT_NONE;
  if (!pkt->has_ext) return 0;

  size_t off = pkt->ext_off, end = pkt->ext_off + pkt->ext_len;
  int rc = 0;
  if (pkt->ext_profile == BRAID_RTP_EXT_PROFILE_ONE_BYTE) {
    ext->form = BRAID_RTP_EXT_ONE_BYTE;
    rc = parse_one_byte(ext, pkt->data, off, end);
  } else if ((pkt->ext_profile & 0xfff0) == BRAID_RTP_EXT_PROFILE_TWO_BYTE) {
    ext->form = BRAID_RTP_EXT_TWO_BYTE;
    ext->appbits = pkt->ext_profile & 0x0f;
    rc = parse_two_byte(ext, pkt->data, off, end);
  } else {
    ext->form = BRAID_RTP_EXT_OTHER;
  }
  if (rc != 0) ext->n = 0;
  return rc;
}

const braid_rtp_ext_elem_t *braid_rtp_ext_find(const braid_rtp_ext_t *ext, uint8_t id) {
  for (unsigned i = 0; i < ext->n; i++)
    if (ext->elems[i].id == id) return &ext->elems[i];
  return NULL;
}

/* Finds id and checks that its value has exactly len bytes. */
static int find_len(const braid_rtp_ext_t *ext, uint8_t id, size_t len, const uint8_t **val) {
  const braid_rtp_ext_elem_t *e = braid_rtp_ext_find(ext, id);
  if (e == NULL) return BRAID_ENOTFOUND;
  if (e->len != len) return BRAID_EMALFORMED;
  *val = braid_rtp_ext_val(ext, e);
  return 0;
}

/* SDP token-char (RFC 8866 §9): visible ASCII but for " ( ) , / : ; < = > ? @ [ \ ]. */
static bool is_token_char(uint8_t c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d ||
         c == 0x2e || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ||
         (c >= 0x5e && c <= 0x7e);
}

/* RFC 8851 rid-id: ALPHA / DIGIT / "-" / "_". */
static bool is_rid_char(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
         c == '_';
}

static int get_str(const braid_rtp_ext_t *ext, uint8_t id, bool (*ok)(uint8_t), braid_str_t *out) {
  const braid_rtp_ext_elem_t *e = braid_rtp_ext_find(ext, id);
  if (e == NULL) return BRAID_ENOTFOUND;
  if (e->len == 0) return BRAID_EMALFORMED;
  if (e->len > BRAID_RTP_EXT_STR_MAX) return BRAID_ETOOBIG;
  const uint8_t *v = braid_rtp_ext_val(ext, e);
  for (size_t i = 0; i < e->len; i++)
    if (!ok(v[i])) return BRAID_EMALFORMED;
  out->p = (const char *)v;
  out->len = e->len;
  return 0;
}

int braid_rtp_ext_get_mid(const braid_rtp_ext_t *ext, uint8_t id, braid_str_t *mid) {
  return get_str(ext, id, is_token_char, mid);
}

int braid_rtp_ext_get_rid(const braid_rtp_ext_t *ext, uint8_t id, braid_str_t *rid) {
  return get_str(ext, id, is_rid_char, rid);
}

int braid_rtp_ext_get_abs_send_time(const braid_rtp_ext_t *ext, uint8_t id, uint32_t *v) {
  const uint8_t *p;
  int rc = find_len(ext, id, 3, &p);
  if (rc != 0) return rc;
  *v = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
  return 0;
}

int braid_rtp_ext_get_twcc_seq(const braid_rtp_ext_t *ext, uint8_t id, uint16_t *seq) {
  const uint8_t *p;
  int rc = find_len(ext, id, 2, &p);
  if (rc != 0) return rc;
  *seq = (uint16_t)((p[0] << 8) | p[1]);
  return 0;
}

/*
 *    0 1 2 3 4 5 6 7
 *   +-+-+-+-+-+-+-+-+
 *   |V|   level     |   RFC 6464 §3
 *   +-+-+-+-+-+-+-+-+
 */
int braid_rtp_ext_get_audio_level(const braid_rtp_ext_t *ext, uint8_t id, bool *voice,
                                  uint8_t *level) {
  const uint8_t *p;
  int rc = find_len(ext, id, 1, &p);
  if (rc != 0) return rc;
  *voice = (p[0] & 0x80) != 0;
  *level = p[0] & 0x7f;
  return 0;
}

/*
 *    0 1 2 3 4 5 6 7
 *   +-+-+-+-+-+-+-+-+
 *   |0 0 0 0 C F R R|   3GPP TS 26.114 §7.4.5 (the high bits are ignored)
 *   +-+-+-+-+-+-+-+-+
 */
int braid_rtp_ext_get_video_orientation(const braid_rtp_ext_t *ext, uint8_t id,
                                        braid_rtp_video_orientation_t *o) {
  const uint8_t *p;
  int rc = find_len(ext, id, 1, &p);
  if (rc != 0) return rc;
  o->camera_back = (p[0] & 0x08) != 0;
  o->flip = (p[0] & 0x04) != 0;
  o->rotation = (uint16_t)(90 * (p[0] & 0x03));
  return 0;
}

int braid_rtp_ext_get_toffset(const braid_rtp_ext_t *ext, uint8_t id, int32_t *v) {
  const uint8_t *p;
  int rc = find_len(ext, id, 3, &p);
  if (rc != 0) return rc;
  uint32_t u = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
  /* Sign-extend 24 bits without shifting into the sign bit. */
  *v = (int32_t)(u & 0x7fffff) - (int32_t)(u & 0x800000);
  return 0;
}

int braid_rtp_ext_update(uint8_t *buf, size_t len, uint8_t id, const uint8_t *val, size_t val_len) {
  braid_rtp_packet_t pkt;
  braid_rtp_ext_t ext;
  int rc = braid_rtp_packet_parse(&pkt, buf, len);
  if (rc != 0) return rc;
  rc = braid_rtp_ext_parse(&ext, &pkt);
  if (rc != 0) return rc;
  const braid_rtp_ext_elem_t *e = braid_rtp_ext_find(&ext, id);
  if (e == NULL) return BRAID_ENOTFOUND;
  if (e->len != val_len) return BRAID_EINVAL;
  if (val_len != 0) memcpy(buf + e->off, val, val_len);
  return 0;
}

int braid_rtp_ext_update_abs_send_time(uint8_t *buf, size_t len, uint8_t id, uint32_t v) {
  uint8_t b[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
  return braid_rtp_ext_update(buf, len, id, b, sizeof b);
}

int braid_rtp_ext_update_twcc_seq(uint8_t *buf, size_t len, uint8_t id, uint16_t seq) {
  uint8_t b[2] = {(uint8_t)(seq >> 8), (uint8_t)seq};
  return braid_rtp_ext_update(buf, len, id, b, sizeof b);
}

int braid_rtp_ext_block_size(const braid_rtp_ext_entry_t *e, size_t n, size_t *size,
                             braid_rtp_ext_form_t *form) {
  if (n == 0) {
    *size = 0;
    *form = BRAID_RTP_EXT_NONE;
    return 0;
  }
  /* Every element takes at least one byte: more than the 16-bit word
   * count allows can never fit (and the sums below cannot overflow). */
  if (n > 4 * (size_t)0xffff) return BRAID_ETOOBIG;
  bool one_byte = true;
  size_t values = 0;
  for (size_t i = 0; i < n; i++) {
    if (e[i].id == 0 || (e[i].len != 0 && e[i].val == NULL)) return BRAID_EINVAL;
    one_byte &= e[i].id <= 14 && e[i].len >= 1 && e[i].len <= 16;
    values += e[i].len;
  }
  size_t body = values + (one_byte ? n : 2 * n);
  size_t padded = (body + 3) & ~(size_t)3;
  if (padded / 4 > 0xffff) return BRAID_ETOOBIG;
  *size = 4 + padded;
  *form = one_byte ? BRAID_RTP_EXT_ONE_BYTE : BRAID_RTP_EXT_TWO_BYTE;
  return 0;
}

void braid_rtp_ext_block_write(uint8_t *out, const braid_rtp_ext_entry_t *e, size_t n, size_t size,
                               braid_rtp_ext_form_t form) {
  bool one_byte = form == BRAID_RTP_EXT_ONE_BYTE;
  braid_put16(out, one_byte ? BRAID_RTP_EXT_PROFILE_ONE_BYTE : BRAID_RTP_EXT_PROFILE_TWO_BYTE);
  braid_put16(out + 2, (uint16_t)((size - 4) / 4));
  uint8_t *p = out + 4;
  for (size_t i = 0; i < n; i++) {
    if (one_byte) {
      *p++ = (uint8_t)((e[i].id << 4) | (e[i].len - 1));
    } else {
      *p++ = e[i].id;
      *p++ = e[i].len;
    }
    if (e[i].len != 0) memcpy(p, e[i].val, e[i].len);
    p += e[i].len;
  }
  /* Zero padding up to the 32-bit boundary (RFC 8285 §4.1). */
  memset(p, 0, (size_t)(out + size - p));
}
