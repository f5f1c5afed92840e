/*
 * Output sequence numbers and timestamps of one consumer stream.
 *
 * A consumer sends one RTP stream (its own SSRC) made from packets of a
 * producer stream that may pause, lose packets, have packets dropped on
 * purpose (temporal layers above the target, padding-only packets) or be
 * replaced by another stream (a simulcast layer switch). The receiver must
 * see one continuous stream: sequence numbers that increase by one except
 * where the source really lost packets (so it can NACK them), and
 * timestamps that keep following the wall clock.
 *
 * The mapping is out_seq = in_seq + base (mod 2^16) and out_ts = in_ts +
 * ts_offset (mod 2^32), with these rules (mediasoup's SeqManager and
 * SimulcastConsumer behaviour, written from scratch):
 *
 *   - A dropped input (braid_seq_rewriter_drop()) newer than every input
 *     seen leaves no hole: later inputs map one lower. Reordered inputs
 *     older than a dropped one keep their place. An input that was dropped
 *     stays dropped if it arrives again.
 *   - A sync (braid_seq_rewriter_sync()) re-bases both offsets so that the
 *     given input, normally the first packet of a key frame of the new
 *     source, follows the last output packet: its sequence number is the
 *     highest output + 1 (+ 1 more with BRAID_SEQ_REWRITER_MARK_GAP when the
 *     last frame sent was incomplete, which tells the receiver's jitter
 *     buffer that frame will never complete), and its timestamp is the
 *     highest output timestamp plus the wall time elapsed since that
 *     timestamp was sent, in clock units (at least 1); or, with
 *     BRAID_SEQ_REWRITER_KEEP_TS, the timestamp offset is kept (same source
 *     after a pause) unless that would not move forward.
 *   - Inputs older than the last sync are rejected, and so are inputs more
 *     than BRAID_SEQ_REWRITER_WINDOW positions behind the newest one. The
 *     rewriter does not know sources: packets of a previous source whose
 *     seq happens to read as newer must be filtered by the caller (the
 *     simulcast selector does).
 *   - The first input after init is an implicit sync that keeps the
 *     timestamp (offset 0) and maps to the first_out_seq given to init.
 *
 * Sequence numbers are unwrapped into 64-bit positions relative to the
 * newest input, so wraps of the 16-bit sequence number and of the 32-bit
 * timestamp are handled; an input more than 32767 positions ahead of the
 * newest reads as an old one (a source that restarts its sequence numbers
 * must be synced again).
 *
 * Sans-I/O: time comes in as now_ms. No allocation (the struct is
 * embedded by its owner), no logging. Per-packet cost of an in-order input:
 * a handful of integer operations and one bit cleared.
 */
#ifndef BRAID_MEDIAD_RTC_SEQ_REWRITER_H
#define BRAID_MEDIAD_RTC_SEQ_REWRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

/* Input positions remembered behind the newest one (a power of two): older
 * inputs are rejected. ~1 s of 1,000 packet/s video, enough for late
 * retransmissions from the producer. Memory: WINDOW / 8 bytes. */
#define BRAID_SEQ_REWRITER_WINDOW 1024

/* Flags of braid_seq_rewriter_sync(). */
#define BRAID_SEQ_REWRITER_KEEP_TS  0x1u /* same source: keep the timestamp offset */
#define BRAID_SEQ_REWRITER_MARK_GAP 0x2u /* skip one output seq after an incomplete frame */

typedef struct braid_seq_rewriter {
  uint32_t clock_rate; /* RTP clock of the stream (Hz) */
  bool started;        /* base, max_in and floor_in are valid */
  bool has_output;     /* max_out, max_out_ts and max_out_ms are valid */
  bool last_marker;    /* marker bit of the packet that set max_out */
  uint16_t base;       /* out_seq = in_seq + base for inputs newer than max_in */
  uint16_t max_out;    /* highest output sequence number */
  uint32_t ts_offset;  /* out_ts = in_ts + ts_offset */
  uint32_t max_out_ts; /* highest output timestamp */
  int64_t max_out_ms;  /* now_ms when max_out_ts was output */
  int64_t max_in;      /* highest input position (forwarded or dropped) */
  int64_t floor_in;    /* inputs below this position came before the last sync */
  uint64_t dropped[BRAID_SEQ_REWRITER_WINDOW / 64]; /* bit per position: dropped */
} braid_seq_rewriter_t;

/* Initialises rw for a stream of clock_rate Hz (> 0) whose first output
 * packet will carry first_out_seq (mediasoup picks it at random in
 * [1000, 32767] to stay clear of an old libsrtp rollover bug). */
void braid_seq_rewriter_init(braid_seq_rewriter_t *rw, uint32_t clock_rate,
                             uint16_t first_out_seq);

/*
 * Re-bases rw so that the input (seq, ts) is output right after the
 * highest output packet (see the rules above); call it just before
 * braid_seq_rewriter_input() of that packet. flags is a combination of
 * BRAID_SEQ_REWRITER_KEEP_TS and BRAID_SEQ_REWRITER_MARK_GAP. Forgets the
 * dropped inputs and rejects inputs older than seq from now on.
 */
void braid_seq_rewriter_sync(braid_seq_rewriter_t *rw, uint16_t seq, uint32_t ts, int64_t now_ms,
                             unsigned flags);

/*
 * Maps the input (seq, ts) to *out_seq and *out_ts. marker is the packet's
 * marker bit (used by BRAID_SEQ_REWRITER_MARK_GAP). Duplicates of a
 * forwarded input map to the same output again.
 *
 * Returns 0 (forward the packet with the new numbers), or (outputs
 * untouched; drop the packet):
 *   BRAID_ESTATE  the input is older than the last sync, or more than
 *                 BRAID_SEQ_REWRITER_WINDOW positions behind the newest;
 *   BRAID_EEXIST  the input was dropped with braid_seq_rewriter_drop().
 */
int braid_seq_rewriter_input(braid_seq_rewriter_t *rw, uint16_t seq, uint32_t ts, bool marker,
                             int64_t now_ms, uint16_t *out_seq, uint32_t *out_ts);

/* Records that the input seq of the current source is not forwarded, so
 * that it leaves no hole in the output. Only inputs newer than every input
 * seen count (as in mediasoup); older ones, and any input before the first
 * sync, are ignored. */
void braid_seq_rewriter_drop(braid_seq_rewriter_t *rw, uint16_t seq);

#endif
