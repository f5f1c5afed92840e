/*
 * One SCTP association (RFC 9260) on usrsctp's AF_CONN interface,
 * sans-I/O: the owner feeds received SCTP packets with _receive(), puts
 * the packets handed to send_packet on the wire, and drives usrsctp's
 * timers with braid_sctp_global_tick() (sctp_global.h).
 *
 * How a transport uses it (mediasoup's SctpAssociation, same defaults):
 *  - WebRTC (SCTP over DTLS, RFC 8261): each DTLS application-data record
 *    is one SCTP packet: pass on_app_data's bytes to _receive(), and send
 *    each send_packet packet with braid_dtls_transport_send_app(). Call
 *    _connect() when DTLS reaches "connected". Set is_data_channel.
 *  - PlainTransport/PipeTransport with enableSctp (SCTP over UDP, RFC 6951
 *    without its encapsulation port logic): each UDP datagram is one whole
 *    SCTP packet, and send_packet's packet is one datagram to the remote
 *    tuple. Call _connect() once the remote tuple is known (connect(), or
 *    the first datagram with comedia).
 *  - Ports: SCTP port 5000 on both sides (mediasoup's sctpParameters.port
 *    is always 5000); the stream counts OS/MIS (1024/1024 in mediasoup's
 *    numSctpStreams), maxMessageSize and sendBufferSize (262144 each) come
 *    from opts and are what the transport announces in sctpParameters.
 *  - Both ends call _connect() (WebRTC's simultaneous open, RFC 8841); the
 *    association becomes "connected" once the handshake completes.
 *  - Messages: on_message gets whole messages with their stream and PPID
 *    (RFC 8831 §8: 50 DCEP, 51 string, 53 binary, 56/57 empty string and
 *    binary; deprecated 52/54 partial). A DataProducer maps to a stream;
 *    DataConsumers send on theirs with _send(), with the reliability of
 *    their sctpStreamParameters (see braid_sctp_send_opts_t).
 *  - Closing a DataChannel: _reset_stream() resets the outgoing stream
 *    (RFC 8831 §6.7); when the peer resets one of ours, on_stream_reset
 *    reports it (and with is_data_channel the association resets its own
 *    outgoing stream of the same number in return, as RFC 8831 requires).
 *
 * States (mediasoup's sctpState names):
 *
 *   new --_connect()--> connecting --handshake--> connected
 *                           |                        |
 *                           +--INIT timed out---> failed
 *                           +--ABORT, too many retransmissions,
 *                              SHUTDOWN from the peer--------> closed
 *
 * Empty messages: SCTP cannot carry an empty user message, so WebRTC sends
 * PPID 56 (empty string) or 57 (empty binary) with a one-byte payload
 * (RFC 8831 §6.6). on_message reports such messages with len 0 and the
 * PPID unchanged (mediasoup passes PPIDs through unchanged too; its
 * DataConsumer.send('') itself sends ' ' with PPID 56). _send() with PPID
 * 56 or 57 and len 0 puts the one zero byte on the wire; with len > 0 the
 * bytes are sent as given. Any other PPID with len 0 is refused.
 *
 * Threading and ownership: one thread (the loop's) calls every function
 * of this module and of sctp_global.h; usrsctp is process-wide (see
 * sctp_global.h). The owner owns the association (_new() / _free()); the
 * association owns its usrsctp socket, its receive queue and its
 * reassembly buffer. Buffers passed in are borrowed for the call; buffers
 * passed to callbacks are borrowed until the callback returns.
 *
 * Callbacks never run on usrsctp's stack, with one exception: send_packet.
 * What usrsctp reports while it runs (messages, notifications, freed send
 * buffer) is queued and delivered when the outermost call into usrsctp
 * returns: at the end of _receive(), _connect(), _send(),
 * _reset_stream() or braid_sctp_global_tick(), before they return. So:
 *  - send_packet runs inside those calls (never inside _new() or
 *    _free()). It may call only the getters and _free() (of any
 *    association); the other functions return BRAID_ESTATE (or do nothing)
 *    there. In particular it must not feed a packet back into any
 *    association's _receive(): queue it and deliver it later (usrsctp holds
 *    the sender's lock while send_packet runs).
 *  - on_message, on_state, on_stream_reset and on_buffered_low run outside
 *    usrsctp and may call any function of this module on any association,
 *    _free() included. What such a call makes usrsctp report is delivered
 *    after the current callback returns, in order.
 *  - _free() of an association inside one of its own callbacks, or inside
 *    any send_packet, only marks it: none of its callbacks runs
 *    afterwards, and it is freed before the outermost call returns. The
 *    caller of that outermost call must not touch it again.
 *
 * Per-message costs: no allocation and no logging of our own; usrsctp
 * allocates per packet (one contiguous copy for each packet it sends or
 * receives) and per message (the receive callback's buffer). The receive
 * queue and the reassembly buffer grow once and are reused.
 */
#ifndef BRAID_MEDIAD_SCTP_SCTP_ASSOC_H
#define BRAID_MEDIAD_SCTP_SCTP_ASSOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "mediad/sctp/sctp_global.h"

/* mediasoup's defaults (sctpParameters). */
#define BRAID_SCTP_PORT                5000
#define BRAID_SCTP_DEFAULT_STREAMS     1024
#define BRAID_SCTP_DEFAULT_MAX_MESSAGE 262144
#define BRAID_SCTP_DEFAULT_SEND_BUFFER 262144
/* Largest SCTP packet we make (mediasoup's SctpMtu): fits a DTLS record in
 * a 1350-byte datagram (BRAID_DTLS_MTU) and any path's UDP MTU. */
#define BRAID_SCTP_DEFAULT_MTU 1200
#define BRAID_SCTP_MTU_MIN     576
/* Hard maxima of the options (STYLE.md rule 19): what one association may
 * hold for a message being reassembled, and in its send buffer. */
#define BRAID_SCTP_MAX_MESSAGE_LIMIT (16 * 1024 * 1024)
#define BRAID_SCTP_SEND_BUFFER_LIMIT (64 * 1024 * 1024)
/* Most events (message pieces, notifications) queued during one call into
 * usrsctp. usrsctp bounds them itself (its receive window and its limit of
 * 512 chunks on a queue); beyond this they are dropped and counted. */
#define BRAID_SCTP_RX_QUEUE_MAX 16384

/* SCTP payload protocol identifiers of WebRTC (RFC 8831 §8). */
enum {
  BRAID_SCTP_PPID_DCEP = 50,
  BRAID_SCTP_PPID_STRING = 51,
  BRAID_SCTP_PPID_BINARY_PARTIAL = 52, /* deprecated */
  BRAID_SCTP_PPID_BINARY = 53,
  BRAID_SCTP_PPID_STRING_PARTIAL = 54, /* deprecated */
  BRAID_SCTP_PPID_STRING_EMPTY = 56,
  BRAID_SCTP_PPID_BINARY_EMPTY = 57,
};

typedef enum braid_sctp_state {
  BRAID_SCTP_STATE_NEW = 0,
  BRAID_SCTP_STATE_CONNECTING,
  BRAID_SCTP_STATE_CONNECTED,
  BRAID_SCTP_STATE_FAILED,
  BRAID_SCTP_STATE_CLOSED,
} braid_sctp_state_t;

/* Partial reliability of a message (RFC 3758). */
typedef enum braid_sctp_pr {
  BRAID_SCTP_PR_NONE = 0, /* reliable */
  BRAID_SCTP_PR_RTX,      /* at most pr_value retransmissions (0: sent once) */
  BRAID_SCTP_PR_TTL,      /* abandoned pr_value ms after _send() (real time) */
} braid_sctp_pr_t;

/*
 * How one message is sent. NULL means ordered and reliable. From
 * mediasoup's sctpStreamParameters: unordered = !ordered; maxRetransmits
 * -> PR_RTX with its value; maxPacketLifeTime -> PR_TTL with its value.
 * (mediasoup's own worker treats a value of 0 as absent; here 0 with
 * PR_RTX means "never retransmit".)
 */
typedef struct braid_sctp_send_opts {
  bool unordered;
  braid_sctp_pr_t pr;
  uint32_t pr_value;
} braid_sctp_send_opts_t;

/* Options; a zero field takes the default. */
typedef struct braid_sctp_opts {
  uint16_t local_port;           /* 0 = 5000 */
  uint16_t remote_port;          /* 0 = 5000 */
  uint16_t os;                   /* outgoing streams we ask for; 0 = 1024 */
  uint16_t mis;                  /* incoming streams we accept; 0 = 1024 */
  size_t max_message_size;       /* 0 = 262144; both ways; <= BRAID_SCTP_MAX_MESSAGE_LIMIT */
  size_t send_buffer_size;       /* 0 = max(262144, max_message_size); must be
                                  * >= max_message_size (usrsctp refuses a message
                                  * larger than the buffer); <= ..._SEND_BUFFER_LIMIT */
  size_t buffered_low_threshold; /* see on_buffered_low (0 is a valid threshold) */
  uint16_t mtu;                  /* largest packet sent; 0 = 1200; >= 576 */
  bool is_data_channel;          /* WebRTC: answer the peer's stream resets (RFC 8831 §6.7) */
} braid_sctp_opts_t;

/* Counters (STYLE.md rule 11: counters, not logs, for bad input). */
typedef struct braid_sctp_assoc_stats {
  uint64_t rx_packets;           /* packets handed to usrsctp */
  uint64_t rx_dropped;           /* packets dropped before usrsctp: too short or
                                  * long, broken chunks, wrong ports or checksum,
                                  * or received before _connect() / after closing */
  uint64_t tx_packets, tx_bytes; /* packets given to send_packet */
  uint64_t msgs_rx, bytes_rx;    /* whole messages delivered to on_message */
  uint64_t msgs_tx, bytes_tx;    /* messages accepted by _send() */
  uint64_t rx_too_big;           /* messages dropped: longer than max_message_size */
  uint64_t rx_broken;            /* partial messages dropped: delivery aborted */
  uint64_t rx_queue_full;        /* events dropped: BRAID_SCTP_RX_QUEUE_MAX reached */
  uint64_t tx_refused;           /* _send() calls refused: buffer full or too big */
  uint64_t tx_abandoned;         /* messages (or fragments: usrsctp reports each) given
                                  * up: partial reliability, or unsent at the end */
  uint64_t streams_reset_rx;     /* stream resets the peer initiated */
  uint64_t remote_errors;        /* ERROR chunks from the peer */
} braid_sctp_assoc_stats_t;

/*
 * Callbacks, copied at _new(); see the header comment for what each may
 * call. All get the association and the user_data given to _new().
 *
 * send_packet      Many times: one SCTP packet (at most opts.mtu bytes) to
 *                  put into a DTLS record or a UDP datagram. pkt is
 *                  borrowed until it returns. Runs on usrsctp's stack.
 *                  Required.
 * on_message       Once per whole message received: stream, PPID (host
 *                  order) and bytes (borrowed until it returns; len 0 for
 *                  PPIDs 56/57). May be NULL (messages are then dropped,
 *                  still counted in msgs_rx).
 * on_state         Once per state change, including "connecting" made by
 *                  _connect(). May be NULL.
 * on_stream_reset  Once per stream the peer reset (it closed its outgoing
 *                  stream, i.e. our incoming one of that number): the
 *                  DataProducer on it is gone. Not called for the reset
 *                  that answers our own _reset_stream(). May be NULL.
 * on_buffered_low  When the bytes waiting in the send buffer (sent but not
 *                  acknowledged, or not sent yet) fall to the threshold or
 *                  below after having been above it (W3C
 *                  bufferedamountlow; mediasoup's DataConsumer event).
 *                  May be NULL.
 */
typedef struct braid_sctp_callbacks {
  void (*send_packet)(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len, void *user_data);
  void (*on_message)(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid, const uint8_t *data,
                     size_t len, void *user_data);
  void (*on_state)(braid_sctp_assoc_t *a, braid_sctp_state_t state, void *user_data);
  void (*on_stream_reset)(braid_sctp_assoc_t *a, uint16_t stream, void *user_data);
  void (*on_buffered_low)(braid_sctp_assoc_t *a, size_t buffered, void *user_data);
} braid_sctp_callbacks_t;

/*
 * Makes an association in state "new" (calls braid_sctp_global_init()).
 * opts may be NULL for the defaults; cb is copied (cb->send_packet must
 * not be NULL); user_data is borrowed and handed to every callback. On
 * success *out owns the association (free with braid_sctp_assoc_free()).
 * Returns 0, BRAID_EINVAL (callbacks or an option out of range),
 * BRAID_ESTATE (called from send_packet), BRAID_ELIMIT (too many
 * associations), or BRAID_EINTERNAL (usrsctp refused a socket option).
 */
int braid_sctp_assoc_new(braid_sctp_assoc_t **out, const braid_sctp_opts_t *opts,
                         const braid_sctp_callbacks_t *cb, void *user_data);

/*
 * Frees a: closes its usrsctp socket (usrsctp frees its side of the
 * association now or, when it still holds references, at a later tick),
 * drops queued events without calling back, and frees the buffers. Sends
 * nothing (no ABORT reaches the peer: the transport under it is usually
 * going away too) and calls no callback. Inside a callback, or inside
 * send_packet, the free is deferred (see the header comment). NULL is a
 * no-op.
 */
void braid_sctp_assoc_free(braid_sctp_assoc_t *a);

/*
 * new -> connecting: sends INIT to the peer (send_packet runs) and
 * reports "connecting" (on_state runs before this returns, or after the
 * current callback when called from one). Returns 0, BRAID_ESTATE (not
 * "new", or called from send_packet) or BRAID_EINTERNAL (usrsctp
 * refused; the state becomes "failed").
 */
int braid_sctp_assoc_connect(braid_sctp_assoc_t *a);

/*
 * Processes one received SCTP packet (pkt borrowed for the call). Returns
 * 0 when usrsctp got it (callbacks may have run; usrsctp may still have
 * dropped it, e.g. for a wrong verification tag), or, with the packet
 * dropped and counted in rx_dropped:
 *   BRAID_ETRUNC, BRAID_EMALFORMED, BRAID_ETOOBIG  see braid_sctp_packet_parse()
 *   BRAID_EMALFORMED  wrong checksum, or ports other than ours
 *   BRAID_ESTATE      before _connect(), or called from send_packet
 *   BRAID_ECLOSED     the association failed or closed
 */
int braid_sctp_assoc_receive(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len);

/*
 * Queues one message on a stream (data borrowed for the call; o may be
 * NULL: ordered, reliable). usrsctp fragments it and may send packets
 * before this returns. Returns 0, or:
 *   BRAID_ETOOBIG  len > max_message_size
 *   BRAID_ELIMIT   the send buffer is full (mediasoup's sctpsendbufferfull;
 *                  try again after on_buffered_low)
 *   BRAID_EINVAL   len 0 with a PPID other than 56/57, data NULL with
 *                  len > 0, stream >= the outgoing streams negotiated, or
 *                  a bad o->pr
 *   BRAID_ESTATE   not connected, or called from send_packet
 *   BRAID_EIO      usrsctp refused for another reason
 * Refusals other than BRAID_ESTATE/EINVAL count in tx_refused.
 */
int braid_sctp_assoc_send(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid,
                          const uint8_t *data, size_t len, const braid_sctp_send_opts_t *o);

/*
 * Resets our outgoing stream (RFC 6525; how a DataChannel closes, RFC 8831
 * §6.7): usrsctp sends the request once the data queued on the stream is
 * out, and the peer sees the stream closed. Returns 0, BRAID_EINVAL
 * (stream >= the outgoing streams negotiated), BRAID_ESTATE (not
 * connected, the peer did not negotiate stream reconfiguration, or called
 * from send_packet) or BRAID_EIO.
 */
int braid_sctp_assoc_reset_stream(braid_sctp_assoc_t *a, uint16_t stream);

braid_sctp_state_t braid_sctp_assoc_state(const braid_sctp_assoc_t *a);
/* Why a failed or closed (static text), or NULL. */
const char *braid_sctp_assoc_reason(const braid_sctp_assoc_t *a);
const braid_sctp_assoc_stats_t *braid_sctp_assoc_stats(const braid_sctp_assoc_t *a);
/* Streams negotiated once connected (0 before): outgoing = min(our OS,
 * peer's MIS), incoming = min(peer's OS, our MIS). */
uint16_t braid_sctp_assoc_out_streams(const braid_sctp_assoc_t *a);
uint16_t braid_sctp_assoc_in_streams(const braid_sctp_assoc_t *a);
/* Bytes of messages accepted by _send() and not yet acknowledged by the
 * peer (mediasoup's sctpBufferedAmount), as of the last event. */
size_t braid_sctp_assoc_buffered_amount(const braid_sctp_assoc_t *a);
void braid_sctp_assoc_set_buffered_low_threshold(braid_sctp_assoc_t *a, size_t threshold);
/* The options in effect (defaults filled in). */
const braid_sctp_opts_t *braid_sctp_assoc_opts(const braid_sctp_assoc_t *a);

/* mediasoup's name of a state ("new", "connecting", ...), or NULL. */
const char *braid_sctp_assoc_state_name(braid_sctp_state_t state);

#endif
