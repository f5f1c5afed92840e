/*
 * SCTP packets (RFC 9260 §3) as the association layer checks them before
 * usrsctp sees them: the common header, the chunk list and the CRC32c
 * checksum. usrsctp validates everything again; this check exists so that
 * bad input is counted per association, never reaches usrsctp's larger
 * attack surface when it is plainly broken, and never makes usrsctp answer
 * (an out-of-the-blue packet to a wrong port would get an ABORT back).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Source Port Number        |     Destination Port Number   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      Verification Tag                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           Checksum                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   Chunk Type  | Chunk Flags   |        Chunk Length           |  one or more
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  chunks, each
 *   \                         Chunk Value                           /  padded to 4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  bytes
 *
 * The Chunk Length counts the 4-byte chunk header and the value, not the
 * padding. The checksum is CRC32c (RFC 9260 Appendix A) over the whole
 * packet with the checksum field zeroed, stored least significant byte
 * first (the bit-reflected CRC's natural order, as usrsctp writes it).
 *
 * Nothing here allocates, logs or keeps state; every function is safe to
 * call from any thread on distinct buffers.
 */
#ifndef BRAID_MEDIAD_SCTP_SCTP_PACKET_H
#define BRAID_MEDIAD_SCTP_SCTP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define BRAID_SCTP_COMMON_HDR_LEN 12
#define BRAID_SCTP_CHUNK_HDR_LEN  4
/* A packet carries at least one chunk. */
#define BRAID_SCTP_PACKET_MIN (BRAID_SCTP_COMMON_HDR_LEN + BRAID_SCTP_CHUNK_HDR_LEN)
/* The largest packet accepted: a UDP payload or a DTLS record never holds
 * more, and usrsctp copies every packet into one buffer of its length. */
#define BRAID_SCTP_PACKET_MAX 65535

/* Chunk types (RFC 9260 §3.2, RFC 3758, RFC 5061, RFC 6525, RFC 8260). */
enum {
  BRAID_SCTP_CHUNK_DATA = 0,
  BRAID_SCTP_CHUNK_INIT = 1,
  BRAID_SCTP_CHUNK_INIT_ACK = 2,
  BRAID_SCTP_CHUNK_SACK = 3,
  BRAID_SCTP_CHUNK_HEARTBEAT = 4,
  BRAID_SCTP_CHUNK_HEARTBEAT_ACK = 5,
  BRAID_SCTP_CHUNK_ABORT = 6,
  BRAID_SCTP_CHUNK_SHUTDOWN = 7,
  BRAID_SCTP_CHUNK_SHUTDOWN_ACK = 8,
  BRAID_SCTP_CHUNK_ERROR = 9,
  BRAID_SCTP_CHUNK_COOKIE_ECHO = 10,
  BRAID_SCTP_CHUNK_COOKIE_ACK = 11,
  BRAID_SCTP_CHUNK_SHUTDOWN_COMPLETE = 14,
  BRAID_SCTP_CHUNK_I_DATA = 64,
  BRAID_SCTP_CHUNK_ASCONF_ACK = 128,
  BRAID_SCTP_CHUNK_RE_CONFIG = 130,
  BRAID_SCTP_CHUNK_FORWARD_TSN = 192,
  BRAID_SCTP_CHUNK_ASCONF = 193,
  BRAID_SCTP_CHUNK_I_FORWARD_TSN = 194,
};

/* A checked packet: a zero-copy view of the input. */
typedef struct braid_sctp_packet {
  const uint8_t *data; /* borrowed: the input, valid as long as it */
  size_t len;
  uint16_t src_port, dst_port;
  uint32_t vtag;
  uint32_t checksum;  /* the value read LSB first (compare with _crc32c()) */
  uint8_t first_type; /* type of the first chunk */
  size_t chunk_count;
} braid_sctp_packet_t;

/* One chunk of a checked packet. */
typedef struct braid_sctp_chunk {
  uint8_t type, flags;
  uint16_t len;         /* the Chunk Length field: header + value */
  const uint8_t *value; /* borrowed: into the packet; NULL when len == 4 */
  size_t value_len;     /* len - 4 */
} braid_sctp_chunk_t;

/*
 * Checks the structure of one packet: the common header and a chunk list
 * that covers the packet (each chunk at least its 4-byte header long and
 * inside the packet; the padding of the last chunk may be missing), and
 * the parameter lists of the chunks that carry one (INIT, INIT ACK,
 * HEARTBEAT, HEARTBEAT ACK, ABORT, ERROR, RE-CONFIG, ASCONF, ASCONF ACK:
 * each parameter or error cause at least 4 bytes long and inside its
 * chunk; usrsctp 0.9.5 can loop forever on a zero length, see
 * sctp_packet.c). Does not check the checksum (see
 * braid_sctp_packet_check_crc()). Returns 0 with *pkt filled, or, with
 * *why (if not NULL) set to a static reason:
 *   BRAID_ETRUNC      shorter than the common header and one chunk
 *                     header, a chunk runs past the end, a chunk shorter
 *                     than its fixed fields, or a parameter past its chunk
 *   BRAID_EMALFORMED  a chunk or parameter length below 4
 *   BRAID_ETOOBIG     len > BRAID_SCTP_PACKET_MAX
 */
int braid_sctp_packet_parse(braid_sctp_packet_t *pkt, const uint8_t *data, size_t len,
                            const char **why);

/* Iterates the chunks of a packet parsed by braid_sctp_packet_parse():
 * start with *pos = 0; returns true and fills *chunk while chunks remain. */
bool braid_sctp_packet_chunk_next(const braid_sctp_packet_t *pkt, size_t *pos,
                                  braid_sctp_chunk_t *chunk);

/* The CRC32c of a packet of len >= 12 bytes, computed as if its checksum
 * field were zero (the packet is not modified). */
uint32_t braid_sctp_packet_crc32c(const uint8_t *data, size_t len);

/* True when the checksum field of a packet (len >= 12) is its CRC32c. */
bool braid_sctp_packet_check_crc(const uint8_t *data, size_t len);

/* Writes the CRC32c of a packet (len >= 12) into its checksum field
 * (tests, fuzzers and packet rewriting). */
void braid_sctp_packet_set_crc(uint8_t *data, size_t len);

/* CRC32c (Castagnoli, bit-reflected) of len bytes, continuing from crc:
 * start with crc = 0; braid_sctp_packet_crc32c_update(0, "123456789", 9)
 * is 0xe3069283. */
uint32_t braid_sctp_packet_crc32c_update(uint32_t crc, const uint8_t *data, size_t len);

#endif
