/*
 * The WebRTC Data Channel Establishment Protocol (RFC 8832): the two
 * messages a peer sends on a stream, with SCTP PPID 50, to open an
 * in-band ("not negotiated") data channel and to acknowledge it.
 *
 * DATA_CHANNEL_OPEN (RFC 8832 §5.1), 12 bytes then the two strings:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Message Type |  Channel Type |            Priority           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Reliability Parameter                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Label Length          |       Protocol Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   \                 Label (Label Length bytes)                    /
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   \              Protocol (Protocol Length bytes)                 /
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * DATA_CHANNEL_ACK (RFC 8832 §5.2) is the single byte 0x02.
 *
 * Message Type: 0x03 OPEN, 0x02 ACK. Channel Type: bit 0x80 means
 * unordered; the low bits choose the reliability: 0x00 reliable, 0x01
 * partially reliable by retransmissions (the Reliability Parameter is the
 * most retransmissions), 0x02 partially reliable by time (the parameter is
 * the lifetime in ms). For reliable channels the parameter is sent as 0
 * and ignored on receipt. Priority (RFC 8832 §6.4): 128 below normal, 256
 * normal, 512 high, 1024 extra high; any value is accepted. Label and
 * protocol are UTF-8 without a terminating NUL and without padding.
 *
 * mediasoup itself negotiates its channels out of band (negotiated:true,
 * sctpStreamParameters in produceData/consumeData) and drops PPID 50; this
 * module lets a transport answer peers that do open channels in band.
 *
 * Nothing here allocates, logs or keeps state; every function is safe to
 * call from any thread on distinct buffers.
 */
#ifndef BRAID_MEDIAD_SCTP_DCEP_H
#define BRAID_MEDIAD_SCTP_DCEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"

/* SCTP payload protocol identifier of DCEP messages (RFC 8831 §8). */
#define BRAID_DCEP_PPID 50

#define BRAID_DCEP_OPEN_HDR_LEN 12
#define BRAID_DCEP_ACK_LEN      1

/* Message types. */
enum {
  BRAID_DCEP_MSG_ACK = 0x02,
  BRAID_DCEP_MSG_OPEN = 0x03,
};

/* Channel types (RFC 8832 §5.1). */
enum {
  BRAID_DCEP_CHANNEL_RELIABLE = 0x00,
  BRAID_DCEP_CHANNEL_RELIABLE_UNORDERED = 0x80,
  BRAID_DCEP_CHANNEL_REXMIT = 0x01,
  BRAID_DCEP_CHANNEL_REXMIT_UNORDERED = 0x81,
  BRAID_DCEP_CHANNEL_TIMED = 0x02,
  BRAID_DCEP_CHANNEL_TIMED_UNORDERED = 0x82,
};

/* The unordered bit of a channel type. */
#define BRAID_DCEP_CHANNEL_UNORDERED_BIT 0x80

/* Priorities suggested by RFC 8832 §6.4. */
enum {
  BRAID_DCEP_PRIORITY_BELOW_NORMAL = 128,
  BRAID_DCEP_PRIORITY_NORMAL = 256,
  BRAID_DCEP_PRIORITY_HIGH = 512,
  BRAID_DCEP_PRIORITY_EXTRA_HIGH = 1024,
};

/* How a channel's messages are made partially reliable. */
typedef enum braid_dcep_reliability {
  BRAID_DCEP_RELIABLE = 0, /* retransmit until acknowledged */
  BRAID_DCEP_REXMIT,       /* at most `reliability` retransmissions */
  BRAID_DCEP_TIMED,        /* give up after `reliability` ms */
} braid_dcep_reliability_t;

/*
 * A parsed DCEP message: a zero-copy view of the input.
 * For an ACK only `type` is set (the other fields are zero).
 */
typedef struct braid_dcep_msg {
  uint8_t type;         /* BRAID_DCEP_MSG_OPEN or BRAID_DCEP_MSG_ACK */
  uint8_t channel_type; /* BRAID_DCEP_CHANNEL_* */
  uint16_t priority;
  uint32_t reliability;    /* retransmissions or ms; 0 for reliable types */
  const uint8_t *label;    /* borrowed: into the parsed buffer; NULL when empty */
  uint16_t label_len;      /* bytes, not NUL-terminated, not checked as UTF-8 */
  const uint8_t *protocol; /* borrowed: into the parsed buffer; NULL when empty */
  uint16_t protocol_len;
} braid_dcep_msg_t;

/*
 * Parses one DCEP message (the whole SCTP message of PPID 50; data is
 * borrowed and must outlive the view). Returns 0, or, with *why (if not
 * NULL) set to a static reason:
 *   BRAID_ETRUNC      empty, or shorter than the header or than the
 *                     lengths it announces
 *   BRAID_EUNKNOWN    a message type other than OPEN and ACK
 *   BRAID_EMALFORMED  an unknown channel type, or bytes after the
 *                     protocol (RFC 8832 has no padding, so the lengths
 *                     must add up to the message) or after an ACK's byte
 * On error *out is zeroed. The reliability parameter of reliable channel
 * types is ignored (reported as 0), as RFC 8832 §5.1 requires.
 */
int braid_dcep_parse(braid_dcep_msg_t *out, const uint8_t *data, size_t len, const char **why);

/* Bytes braid_dcep_write_open() writes for msg: 12 + label + protocol. */
size_t braid_dcep_open_len(const braid_dcep_msg_t *msg);

/*
 * Writes a DATA_CHANNEL_OPEN from msg's channel_type, priority,
 * reliability, label and protocol (msg->type is ignored) into buf.
 * Returns the length written, or BRAID_EINVAL (unknown channel type, or a
 * label/protocol pointer NULL with a non-zero length) or BRAID_ETOOBIG
 * (cap too small; nothing written). The reliability parameter is written
 * as 0 for reliable channel types.
 */
ssize_t braid_dcep_write_open(uint8_t *buf, size_t cap, const braid_dcep_msg_t *msg);

/* Writes a DATA_CHANNEL_ACK. Returns 1, or BRAID_ETOOBIG when cap is 0. */
ssize_t braid_dcep_write_ack(uint8_t *buf, size_t cap);

/* True for the six channel types of RFC 8832 §5.1. */
bool braid_dcep_channel_type_valid(uint8_t channel_type);

/* Whether messages of a channel type are delivered in order. */
static inline bool braid_dcep_channel_ordered(uint8_t channel_type) {
  return (channel_type & BRAID_DCEP_CHANNEL_UNORDERED_BIT) == 0;
}

/* The reliability of a (valid) channel type. With the message's
 * reliability parameter this maps to mediasoup's sctpStreamParameters:
 * REXMIT -> maxRetransmits, TIMED -> maxPacketLifeTime. */
braid_dcep_reliability_t braid_dcep_channel_reliability(uint8_t channel_type);

/* The channel type for ordered/unordered delivery and a reliability (the
 * inverse of the two functions above). */
uint8_t braid_dcep_channel_type(bool ordered, braid_dcep_reliability_t reliability);

#endif
