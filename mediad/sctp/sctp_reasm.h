/*
 * Reassembly of SCTP messages that usrsctp hands over in pieces.
 *
 * usrsctp delivers a message through its receive callback in one piece
 * when it is complete, or in several ("partial delivery") once the part
 * it holds reaches the partial delivery point: half the receive buffer,
 * 64 KiB by default. Each piece but the last comes without MSG_EOR. This
 * module glues the pieces of one message into one buffer, up to a maximum
 * message size; a message that grows past it is dropped whole (the rest
 * of its pieces are discarded) and counted.
 *
 * Pieces of different messages never interleave here: without I-DATA
 * (RFC 8260, which usrsctp does not negotiate unless asked) partial
 * delivery blocks every other message of the association until the
 * partial one ends. A piece from another stream while a message is open
 * therefore means something went wrong (a partial delivery that usrsctp
 * aborted, see braid_sctp_reasm_abort()): the open message is dropped and
 * counted as broken, and the new piece starts afresh.
 *
 * Memory: the buffer is allocated at the first message that arrives in
 * pieces, grows by doubling up to the maximum, and is kept until
 * _cleanup(). A message that arrives whole is never copied.
 *
 * Not thread-safe; allocates with braid_xrealloc() (aborts on OOM).
 */
#ifndef BRAID_MEDIAD_SCTP_SCTP_REASM_H
#define BRAID_MEDIAD_SCTP_SCTP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct braid_sctp_reasm {
  uint8_t *buf;     /* owned: the message being assembled, or NULL */
  size_t len;       /* bytes in buf */
  size_t cap;       /* bytes allocated */
  size_t max;       /* largest message accepted */
  uint16_t sid;     /* stream of the open message */
  bool open;        /* pieces of a message are in buf */
  bool discard;     /* dropping the pieces of a message that grew too big */
  uint64_t too_big; /* messages dropped: longer than max */
  uint64_t broken;  /* open messages dropped: aborted or interrupted */
} braid_sctp_reasm_t;

/* Initialises r for messages of at most max bytes (max >= 1). */
void braid_sctp_reasm_init(braid_sctp_reasm_t *r, size_t max);

/* Frees r's buffer. r may be initialised again afterwards. */
void braid_sctp_reasm_cleanup(braid_sctp_reasm_t *r);

/*
 * Feeds one piece of len bytes (data borrowed for the call) of stream sid;
 * eor marks the last piece of a message. Returns true when
 * a whole message is ready, with *msg and *msg_len set: *msg is data
 * itself when the message came in one piece, else r's buffer, valid until
 * the next call on r. Returns false when more pieces are needed, or when
 * the piece was dropped (the counters tell which).
 */
bool braid_sctp_reasm_push(braid_sctp_reasm_t *r, uint16_t sid, const uint8_t *data, size_t len,
                           bool eor, const uint8_t **msg, size_t *msg_len);

/* Drops the open message, if any (usrsctp aborted a partial delivery, or
 * the association restarted). Counted as broken when a message was open. */
void braid_sctp_reasm_abort(braid_sctp_reasm_t *r);

/* Drops the open message, if any, and the pieces of stream sid that follow
 * until one ends a message: the caller lost a piece of that message (its
 * own queue overflowed) and the rest must not be glued to another one. */
void braid_sctp_reasm_skip(braid_sctp_reasm_t *r, uint16_t sid);

#endif
