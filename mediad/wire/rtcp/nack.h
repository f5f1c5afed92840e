/*
 * Generic NACK (RFC 4585 §6.2.1): transport layer feedback (PT=RTPFB=205,
 * FMT=1) whose FCI is one or more entries of
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            PID                |             BLP               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * PID is a lost RTP sequence number; bit i of BLP (least significant = 0)
 * set means PID + i + 1 is lost too.
 *
 * "Sorted" below means in RTP order: each sequence number follows the one
 * before it by 1..32767, modulo 2^16 (so lists may wrap past 65535).
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_NACK_H
#define BRAID_MEDIAD_WIRE_RTCP_NACK_H

#include "mediad/wire/rtcp/fb.h"

#define BRAID_RTCP_NACK_ITEM_SIZE 4
/* Sequence numbers one entry can carry: PID and 16 BLP bits. */
#define BRAID_RTCP_NACK_ITEM_SEQS 17

typedef struct braid_rtcp_nack {
  braid_rtcp_fb_t fb;
  size_t n_items;       /* >= 1 */
  const uint8_t *items; /* borrowed: n_items * 4 bytes; read with braid_rtcp_nack_item() */
} braid_rtcp_nack_t;

typedef struct braid_rtcp_nack_item {
  uint16_t pid; /* packet id: a lost sequence number */
  uint16_t blp; /* bitmask of following lost packets */
} braid_rtcp_nack_item_t;

/* Parses one generic NACK packet, data[0..len) exactly. Views borrow from
 * data. Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_fb_open() (PT 205, FMT 1)
 *   BRAID_EMALFORMED  no entry, or an FCI that is not a multiple of 4 */
int braid_rtcp_nack_parse(braid_rtcp_nack_t *nack, const uint8_t *data, size_t len,
                          const char **why);

/* Reads entry i (< n_items). Returns 0 or BRAID_EINVAL (out of range). */
int braid_rtcp_nack_item(const braid_rtcp_nack_t *nack, size_t i, braid_rtcp_nack_item_t *item);

/* The number of sequence numbers the packet reports lost (PIDs plus BLP
 * bits, duplicates between entries counted twice). */
size_t braid_rtcp_nack_count(const braid_rtcp_nack_t *nack);

/* Expands the packet into out[0..cap): each PID followed by the sequence
 * numbers of its BLP bits, entry by entry, as they appear. Returns the
 * number written, or BRAID_ELIMIT when there are more than cap (out then
 * holds the first cap). Never allocates. */
ssize_t braid_rtcp_nack_expand(const braid_rtcp_nack_t *nack, uint16_t *out, size_t cap);

/* The size of the packet braid_rtcp_nack_write() makes for seqs[0..n):
 * returns bytes, or BRAID_EINVAL (n == 0, or seqs not sorted with no
 * duplicates). */
ssize_t braid_rtcp_nack_size(const uint16_t *seqs, size_t n);

/* Writes a generic NACK reporting seqs[0..n) (sorted, no duplicates), with
 * as few entries as the greedy PID/BLP packing gives: each entry starts at
 * the first sequence number not yet covered. braid_rtcp_nack_expand() of
 * the result gives seqs back. Returns the bytes written, BRAID_EINVAL (as
 * braid_rtcp_nack_size(), or a packet over BRAID_RTCP_MAX_PACKET) or
 * BRAID_ELIMIT (cap too small; nothing useful is written). */
ssize_t braid_rtcp_nack_write(uint8_t *buf, size_t cap, const braid_rtcp_fb_t *fb,
                              const uint16_t *seqs, size_t n);

#endif
