/*
 * Fuzzer for the SCTP packet check (mediad/sctp/sctp_packet.c): parse; on
 * success walk the chunks and check they tile the packet (each padded to
 * 4 bytes, the last one's padding optional) and match the parsed header;
 * check the CRC32c: set it on a copy, check it passes, that the original
 * passes exactly when its field held that value, and that it equals
 * usrsctp's own CRC32c (usrsctp is not instrumented; this host is little
 * endian, see sctp_packet.h).
 */
#include <stdlib.h>
#include <string.h>

#include <usrsctp.h>

#include "common/bytes.h"
#include "common/log.h"
#include "mediad/sctp/sctp_packet.h"

static void check_chunks(const braid_sctp_packet_t *p, const uint8_t *data, size_t size) {
  size_t pos = 0, off = BRAID_SCTP_COMMON_HDR_LEN, n = 0;
  braid_sctp_chunk_t c;
  while (braid_sctp_packet_chunk_next(p, &pos, &c)) {
    BRAID_ASSERT(c.type == data[off] && c.flags == data[off + 1]);
    BRAID_ASSERT(c.len == braid_get16(data + off + 2) && c.len >= 4 && c.len <= size - off);
    BRAID_ASSERT(c.value_len == (size_t)c.len - 4);
    BRAID_ASSERT(c.value_len == 0 ? c.value == NULL : c.value == data + off + 4);
    size_t padded = ((size_t)c.len + 3) & ~(size_t)3;
    off = size - off < padded ? size : off + padded;
    BRAID_ASSERT(pos == off);
    n++;
  }
  BRAID_ASSERT(off == size && n == p->chunk_count && n >= 1);
  BRAID_ASSERT(p->first_type == data[BRAID_SCTP_COMMON_HDR_LEN]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_sctp_packet_t p;
  const char *why = NULL;
  int rc = braid_sctp_packet_parse(&p, data, size, &why);
  if (rc != 0) {
    BRAID_ASSERT(rc == BRAID_ETRUNC || rc == BRAID_EMALFORMED || rc == BRAID_ETOOBIG);
    BRAID_ASSERT(why != NULL);
  } else {
    BRAID_ASSERT(p.data == data && p.len == size && size >= BRAID_SCTP_PACKET_MIN);
    BRAID_ASSERT(p.src_port == braid_get16(data) && p.dst_port == braid_get16(data + 2));
    BRAID_ASSERT(p.vtag == braid_get32(data + 4));
    check_chunks(&p, data, size);
  }
  if (size < BRAID_SCTP_COMMON_HDR_LEN || size > BRAID_SCTP_PACKET_MAX) return 0;

  uint8_t *copy = malloc(size);
  memcpy(copy, data, size);
  braid_sctp_packet_set_crc(copy, size);
  BRAID_ASSERT(braid_sctp_packet_check_crc(copy, size));
  uint32_t crc = braid_sctp_packet_crc32c(data, size);
  BRAID_ASSERT(braid_sctp_packet_crc32c(copy, size) == crc);
  BRAID_ASSERT(braid_sctp_packet_check_crc(data, size) == (memcmp(copy + 8, data + 8, 4) == 0));
  /* usrsctp's CRC over the packet with a zero checksum field. */
  memset(copy + 8, 0, 4);
  uint32_t theirs = usrsctp_crc32c(copy, size);
  BRAID_ASSERT(memcmp(&theirs,
                      (uint8_t[4]){(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
                                   (uint8_t)(crc >> 24)},
                      4) == 0);
  free(copy);
  return 0;
}
