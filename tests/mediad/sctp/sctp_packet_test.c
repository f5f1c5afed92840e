/* Unit tests of mediad/sctp/sctp_packet.c: CRC32c against RFC 3720's
 * vectors and usrsctp's own implementation, annotated packets, every
 * truncation and the malformed chunk lists. With BRAID_SCTP_SEED_DIR set,
 * the valid packets are written as seeds of the packet fuzzer. */
#include "mediad/sctp/sctp_packet.h"

#include <sys/stat.h>

#include <usrsctp.h>

#include "tests/test.h"

static void seed(const char *name, const uint8_t *data, size_t len) {
  const char *dir = getenv("BRAID_SCTP_SEED_DIR");
  if (dir == NULL) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/sctp_packet", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/sctp_packet/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ASSERT(f != NULL);
  ASSERT_EQ(fwrite(data, 1, len, f), len);
  fclose(f);
}

/* A DATA chunk and a SACK bundled, as usrsctp sends them. The checksum is
 * filled in by the tests. */
static const uint8_t data_sack[] = {
    0x13, 0x88,             /* Source Port: 5000 */
    0x13, 0x88,             /* Destination Port: 5000 */
    0x12, 0x34, 0x56, 0x78, /* Verification Tag */
    0x00, 0x00, 0x00, 0x00, /* Checksum (CRC32c, set below) */
    0x03, 0x00, 0x00, 0x10, /* SACK, flags 0, length 16 */
    0x00, 0x00, 0x00, 0x07, /*   Cumulative TSN Ack */
    0x00, 0x02, 0x00, 0x00, /*   a_rwnd 131072 */
    0x00, 0x00, 0x00, 0x00, /*   0 gap blocks, 0 duplicate TSNs */
    0x00, 0x03, 0x00, 0x13, /* DATA, flags B|E, length 19 */
    0x00, 0x00, 0x00, 0x2a, /*   TSN 42 */
    0x00, 0x01, 0x00, 0x00, /*   Stream 1, SSN 0 */
    0x00, 0x00, 0x00, 0x33, /*   PPID 51 (string) */
    'a',  'b',  'c',  0x00, /*   "abc" and one byte of padding */
};

/* COOKIE-ACK alone: the smallest packet (common header + chunk header). */
static const uint8_t cookie_ack[] = {
    0x13, 0x88, 0x13, 0x88, /* ports 5000 -> 5000 */
    0xca, 0xfe, 0xba, 0xbe, /* Verification Tag */
    0x00, 0x00, 0x00, 0x00, /* Checksum */
    0x0b, 0x00, 0x00, 0x04, /* COOKIE ACK, length 4 */
};

BRAID_TEST(crc32c_vectors) {
  /* RFC 3720 B.4 and the classic check value. */
  uint8_t buf[32];
  memset(buf, 0, sizeof buf);
  ASSERT_EQ(braid_sctp_packet_crc32c_update(0, buf, 32), 0x8a9136aau);
  memset(buf, 0xff, sizeof buf);
  ASSERT_EQ(braid_sctp_packet_crc32c_update(0, buf, 32), 0x62a8ab43u);
  for (int i = 0; i < 32; i++)
    buf[i] = (uint8_t)i;
  ASSERT_EQ(braid_sctp_packet_crc32c_update(0, buf, 32), 0x46dd794eu);
  for (int i = 0; i < 32; i++)
    buf[i] = (uint8_t)(31 - i);
  ASSERT_EQ(braid_sctp_packet_crc32c_update(0, buf, 32), 0x113fdb5cu);
  ASSERT_EQ(braid_sctp_packet_crc32c_update(0, (const uint8_t *)"123456789", 9), 0xe3069283u);
  /* Incremental == one shot. */
  uint32_t c = braid_sctp_packet_crc32c_update(0, (const uint8_t *)"1234", 4);
  ASSERT_EQ(braid_sctp_packet_crc32c_update(c, (const uint8_t *)"56789", 5), 0xe3069283u);
}

/* Bit at a time, straight from the definition: what both the table and
 * the CPU instruction (SSE4.2, picked at run time) must agree with. */
static uint32_t crc32c_bitwise(const uint8_t *p, size_t n) {
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
  }
  return ~crc;
}

BRAID_TEST(crc32c_any_length_and_alignment) {
  uint8_t buf[1500 + 8];
  uint32_t x = 12345;
  for (size_t i = 0; i < sizeof buf; i++) {
    x = x * 1103515245u + 12345u;
    buf[i] = (uint8_t)(x >> 16);
  }
  for (size_t off = 0; off < 8; off++)
    for (size_t n = 0; n + off <= sizeof buf; n += n < 40 ? 1 : 97) {
      ASSERT_EQ(braid_sctp_packet_crc32c_update(0, buf + off, n), crc32c_bitwise(buf + off, n));
      /* Split anywhere: the same. */
      uint32_t c = braid_sctp_packet_crc32c_update(0, buf + off, n / 3);
      ASSERT_EQ(braid_sctp_packet_crc32c_update(c, buf + off + n / 3, n - n / 3),
                crc32c_bitwise(buf + off, n));
    }
}

BRAID_TEST(crc_matches_usrsctp) {
  /* usrsctp_crc32c() returns the value to store as is in host order; on
   * this little-endian host its bytes are least significant first, which
   * is what the wire carries. */
  uint8_t pkt[sizeof data_sack];
  memcpy(pkt, data_sack, sizeof pkt);
  uint32_t theirs = usrsctp_crc32c(pkt, sizeof pkt);
  memcpy(pkt + 8, &theirs, 4);
  ASSERT(braid_sctp_packet_check_crc(pkt, sizeof pkt));
  uint8_t ours[sizeof data_sack];
  memcpy(ours, data_sack, sizeof ours);
  braid_sctp_packet_set_crc(ours, sizeof ours);
  ASSERT_MEM_EQ(ours, pkt, sizeof pkt);
  seed("data_sack", pkt, sizeof pkt);
  /* One flipped bit anywhere breaks it (the checksum field included). */
  for (size_t i = 0; i < sizeof pkt * 8; i++) {
    pkt[i / 8] ^= (uint8_t)(1u << (i % 8));
    ASSERT(!braid_sctp_packet_check_crc(pkt, sizeof pkt));
    pkt[i / 8] ^= (uint8_t)(1u << (i % 8));
  }
}

BRAID_TEST(parse_packet) {
  uint8_t pkt[sizeof data_sack];
  memcpy(pkt, data_sack, sizeof pkt);
  braid_sctp_packet_set_crc(pkt, sizeof pkt);
  braid_sctp_packet_t p;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt, NULL), 0);
  ASSERT_EQ(p.src_port, 5000);
  ASSERT_EQ(p.dst_port, 5000);
  ASSERT_EQ(p.vtag, 0x12345678u);
  ASSERT_EQ(p.checksum, braid_sctp_packet_crc32c(pkt, sizeof pkt));
  ASSERT_EQ(p.first_type, BRAID_SCTP_CHUNK_SACK);
  ASSERT_EQ(p.chunk_count, 2);
  size_t pos = 0;
  braid_sctp_chunk_t c;
  ASSERT(braid_sctp_packet_chunk_next(&p, &pos, &c));
  ASSERT_EQ(c.type, BRAID_SCTP_CHUNK_SACK);
  ASSERT_EQ(c.len, 16);
  ASSERT(c.value == pkt + 16);
  ASSERT_EQ(c.value_len, 12);
  ASSERT(braid_sctp_packet_chunk_next(&p, &pos, &c));
  ASSERT_EQ(c.type, BRAID_SCTP_CHUNK_DATA);
  ASSERT_EQ(c.flags, 0x03);
  ASSERT_EQ(c.len, 19);
  ASSERT_EQ(c.value_len, 15);
  ASSERT_MEM_EQ(c.value + 12, "abc", 3);
  ASSERT(!braid_sctp_packet_chunk_next(&p, &pos, &c));

  /* Without the last chunk's padding: still accepted. */
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt - 1, NULL), 0);
  ASSERT_EQ(p.chunk_count, 2);

  uint8_t small[sizeof cookie_ack];
  memcpy(small, cookie_ack, sizeof small);
  braid_sctp_packet_set_crc(small, sizeof small);
  seed("cookie_ack", small, sizeof small);
  ASSERT_EQ(braid_sctp_packet_parse(&p, small, sizeof small, NULL), 0);
  ASSERT_EQ(p.chunk_count, 1);
  pos = 0;
  ASSERT(braid_sctp_packet_chunk_next(&p, &pos, &c));
  ASSERT_EQ(c.type, BRAID_SCTP_CHUNK_COOKIE_ACK);
  ASSERT(c.value == NULL && c.value_len == 0);
}

BRAID_TEST(every_truncation) {
  /* Cutting the packet anywhere inside a chunk is refused; a cut in the
   * last chunk's padding is not (see the header). ASan checks that no
   * byte past the cut is read. */
  for (size_t n = 0; n < sizeof data_sack - 1; n++) {
    uint8_t *copy = malloc(n > 0 ? n : 1);
    memcpy(copy, data_sack, n);
    braid_sctp_packet_t p;
    const char *why = NULL;
    int rc = braid_sctp_packet_parse(&p, copy, n, &why);
    ASSERT_EQ(rc, n == 28 ? 0 : BRAID_ETRUNC); /* 28: exactly the SACK */
    ASSERT(rc == 0 || why != NULL);
    free(copy);
  }
}

BRAID_TEST(malformed) {
  uint8_t pkt[sizeof data_sack];
  braid_sctp_packet_t p;
  const char *why = NULL;
  /* A chunk length below 4 (which would never advance). */
  memcpy(pkt, data_sack, sizeof pkt);
  pkt[14] = 0x00;
  pkt[15] = 0x03;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "chunk length below 4");
  /* A chunk longer than the packet. */
  memcpy(pkt, data_sack, sizeof pkt);
  pkt[30] = 0x01;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt, &why), BRAID_ETRUNC);
  ASSERT_STR_EQ(why, "chunk runs past the end of the packet");
  /* Too long. */
  static uint8_t big[BRAID_SCTP_PACKET_MAX + 1];
  ASSERT_EQ(braid_sctp_packet_parse(&p, big, sizeof big, &why), BRAID_ETOOBIG);
  /* Three stray bytes after a chunk: a truncated chunk header. */
  uint8_t stray[sizeof cookie_ack + 3];
  memcpy(stray, cookie_ack, sizeof cookie_ack);
  memset(stray + sizeof cookie_ack, 0, 3);
  ASSERT_EQ(braid_sctp_packet_parse(&p, stray, sizeof stray, &why), BRAID_ETRUNC);
  ASSERT_STR_EQ(why, "packet ends inside a chunk header");
}

/* An INIT whose only parameter claims length 0: usrsctp 0.9.5 loops
 * forever on it when an association is established (sctp_packet.c). */
static const uint8_t init_zero_param[] = {
    0x13, 0x88, 0x13, 0x88, /* ports 5000 -> 5000 */
    0x00, 0x00, 0x00, 0x00, /* Verification Tag: 0, as INIT requires */
    0x00, 0x00, 0x00, 0x00, /* Checksum */
    0x01, 0x00, 0x00, 0x18, /* INIT, length 24 */
    0x11, 0x22, 0x33, 0x44, /*   Initiate Tag */
    0x00, 0x02, 0x00, 0x00, /*   a_rwnd */
    0x04, 0x00, 0x04, 0x00, /*   OS 1024, MIS 1024 */
    0x00, 0x00, 0x00, 0x01, /*   Initial TSN */
    0x80, 0x08, 0x00, 0x00, /*   Supported Extensions parameter, length 0 */
};

BRAID_TEST(parameter_lists) {
  uint8_t pkt[sizeof init_zero_param];
  braid_sctp_packet_t p;
  const char *why = NULL;
  memcpy(pkt, init_zero_param, sizeof pkt);
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt, &why), BRAID_EMALFORMED);
  ASSERT_STR_EQ(why, "parameter length below 4");
  /* Length 8: four more bytes than the chunk holds. */
  pkt[35] = 0x08;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt, &why), BRAID_ETRUNC);
  ASSERT_STR_EQ(why, "parameter runs past the end of its chunk");
  /* Length 4: a parameter with an empty value is well formed. */
  pkt[35] = 0x04;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt, &why), 0);
  /* Without the parameter: an INIT needs its 16 bytes of fixed fields. */
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt - 4, NULL), BRAID_ETRUNC);
  pkt[15] = 0x14;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt - 4, NULL), 0);
  pkt[15] = 0x13;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, sizeof pkt - 5, &why), BRAID_ETRUNC);
  ASSERT_STR_EQ(why, "chunk shorter than its fixed fields");
  /* An ABORT's error causes follow the same rule; three stray bytes after
   * the last one are tolerated. */
  static const uint8_t abort_causes[] = {
      0x13, 0x88, 0x13, 0x88, /* ports 5000 -> 5000 */
      0x00, 0x00, 0x00, 0x01, /* Verification Tag */
      0x00, 0x00, 0x00, 0x00, /* Checksum (not checked by parse) */
      0x06, 0x00, 0x00, 0x0f, /* ABORT, length 15 */
      0x00, 0x0c, 0x00, 0x04, /*   cause 12 (user initiated abort), length 4 */
      0x00, 0x0d, 0x00, 0x04, /*   cause 13 (protocol violation), length 4 */
      0x00, 0x00, 0x00, 0x00, /*   3 stray bytes and one of padding */
  };
  ASSERT_EQ(braid_sctp_packet_parse(&p, abort_causes, sizeof abort_causes, NULL), 0);
  uint8_t bad[sizeof abort_causes];
  memcpy(bad, abort_causes, sizeof bad);
  bad[23] = 0x00; /* the second cause claims length 0 */
  ASSERT_EQ(braid_sctp_packet_parse(&p, bad, sizeof bad, &why), BRAID_EMALFORMED);
  /* DATA carries no parameter list: its payload is not checked. */
  ASSERT_EQ(braid_sctp_packet_parse(&p, data_sack, sizeof data_sack, NULL), 0);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(crc32c_vectors)
    BRAID_TEST_ENTRY(crc32c_any_length_and_alignment)
    BRAID_TEST_ENTRY(crc_matches_usrsctp)
    BRAID_TEST_ENTRY(parse_packet)
    BRAID_TEST_ENTRY(every_truncation)
    BRAID_TEST_ENTRY(malformed)
    BRAID_TEST_ENTRY(parameter_lists)
)
/* clang-format on */
