/*
 * Fuzzer for the extension block writer: the input is a list of entries
 * (id byte, length byte, value bytes; a short value takes what is left).
 * They are written into a packet with braid_rtp_packet_rewrite(), which is
 * parsed back: the form must be the one the rules pick and every element
 * must come back in order with its value.
 */
#include <string.h>

#include "common/log.h"
#include "mediad/wire/rtp_ext.h"
#include "mediad/wire/rtp_packet.h"

enum { MAX_ENTRIES = BRAID_RTP_EXT_MAX_ELEMS + 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const uint8_t src_bytes[] = {
      0xa1, 0xe0, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, /* P=1 CC=1 */
      0x00, 0x00, 0x00, 0x04,                                                 /* CSRC */
      0xde, 0xad, 0xbe, 0xef, 0x00, 0x02,                                     /* payload, padding */
  };
  braid_rtp_ext_entry_t e[MAX_ENTRIES];
  size_t n = 0, off = 0;
  bool any_id0 = false, one_byte = true;
  while (n < MAX_ENTRIES && size - off >= 2) {
    uint8_t id = data[off], len = data[off + 1];
    off += 2;
    if (len > size - off) len = (uint8_t)(size - off);
    e[n++] = (braid_rtp_ext_entry_t){data + off, id, len};
    off += len;
    any_id0 |= id == 0;
    one_byte &= id >= 1 && id <= 14 && len >= 1 && len <= 16;
  }

  braid_rtp_packet_t src, p;
  BRAID_ASSERT(braid_rtp_packet_parse(&src, src_bytes, sizeof src_bytes) == 0);
  static uint8_t out[BRAID_RTP_MAX_LEN];
  braid_rtp_rewrite_t rw = {.ssrc = 1, .ts = 2, .seq = 3, .pt = 4, .ext = e, .n_ext = n};
  size_t out_len = 0;
  int rc = braid_rtp_packet_rewrite(out, sizeof out, 0, &src, &rw, &out_len);
  if (any_id0) {
    BRAID_ASSERT(rc == BRAID_EINVAL);
    return 0;
  }
  BRAID_ASSERT(rc == 0);
  BRAID_ASSERT(braid_rtp_packet_parse(&p, out, out_len) == 0);
  BRAID_ASSERT(p.payload_len == 4 && p.pad_len == 2 && p.csrc_count == 1);
  BRAID_ASSERT(p.has_ext == (n != 0) && p.ext_len % 4 == 0);

  braid_rtp_ext_t ext;
  rc = braid_rtp_ext_parse(&ext, &p);
  if (n > BRAID_RTP_EXT_MAX_ELEMS) {
    BRAID_ASSERT(rc == BRAID_ETOOBIG);
    return 0;
  }
  BRAID_ASSERT(rc == 0 && ext.n == n);
  if (n != 0)
    BRAID_ASSERT(ext.form == (one_byte ? BRAID_RTP_EXT_ONE_BYTE : BRAID_RTP_EXT_TWO_BYTE));
  for (size_t i = 0; i < n; i++) {
    BRAID_ASSERT(ext.elems[i].id == e[i].id && ext.elems[i].len == e[i].len);
    BRAID_ASSERT(memcmp(braid_rtp_ext_val(&ext, &ext.elems[i]), e[i].val, e[i].len) == 0);
  }
  return 0;
}
