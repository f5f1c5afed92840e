/*
 * Key frame requests of one producer, per media SSRC (mediasoup's
 * KeyFrameRequestManager, written from scratch):
 *
 *   - The first request for an SSRC goes out at once and opens a
 *     BRAID_KEYFRAME_REQUESTER_WAIT_MS window.
 *   - A request inside the window is not sent; it only sets a retry flag.
 *   - When the window expires without a key frame: if the flag is set, the
 *     request is sent again, the flag cleared and the window restarted;
 *     otherwise the window just closes (the next request goes out at once).
 *   - A key frame received for the SSRC closes the window.
 *   - A forced request (braid_keyframe_requester_force()) always goes out
 *     and restarts the window with the retry flag set.
 *   - With delay_ms > 0 (the producer's keyFrameRequestDelay), requests are
 *     also coalesced: the first opens a delay window and is handled as
 *     above; later requests inside the delay window are only remembered
 *     (they set no retry flag), and handled as one request when the delay
 *     window ends. A key frame does not end the delay window. When both
 *     windows of an SSRC end in one on_timeout call, they are handled in
 *     the order mediasoup's timers fire: by end time, and on a tie the one
 *     opened first.
 *
 * A request is sent as a PLI when the producer negotiated "nack pli",
 * else as a FIR ("ccm fir") with that SSRC's next command sequence number
 * (RFC 5104 §4.3.1: every new request increments it; a retry on timeout is
 * sent as a new request, since the sender may have answered the previous
 * one with a key frame that got lost). With neither negotiated, nothing is
 * ever sent.
 *
 * Sans-I/O: the owner runs a timer at braid_keyframe_requester_next_timeout()
 * and calls braid_keyframe_requester_on_timeout(). The struct is embedded
 * and holds a fixed table; no allocation, no logging.
 */
#ifndef BRAID_MEDIAD_RTC_KEYFRAME_REQUESTER_H
#define BRAID_MEDIAD_RTC_KEYFRAME_REQUESTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Media SSRCs tracked per producer (its simulcast streams). */
#define BRAID_KEYFRAME_REQUESTER_MAX_SSRCS 8
/* How long a sent request waits for its key frame (mediasoup: 1000 ms). */
#define BRAID_KEYFRAME_REQUESTER_WAIT_MS 1000

typedef enum braid_keyframe_kind {
  BRAID_KEYFRAME_PLI = 1, /* RTCP PSFB FMT 1, RFC 4585 §6.3.1 */
  BRAID_KEYFRAME_FIR = 4, /* RTCP PSFB FMT 4, RFC 5104 §4.3.1 */
} braid_keyframe_kind_t;

/* A decision: send this request to the producer now. */
typedef struct braid_keyframe_request {
  uint32_t ssrc;   /* media SSRC the request is about */
  uint8_t kind;    /* braid_keyframe_kind_t */
  uint8_t fir_seq; /* FIR command sequence number (kind FIR only) */
} braid_keyframe_request_t;

typedef struct braid_keyframe_requester_entry {
  uint32_t ssrc;
  bool used;
  bool pending;           /* a request is out: its wait window is open */
  bool retry;             /* send again when the wait window expires */
  bool delaying;          /* the coalescing window is open */
  bool delayed;           /* a request arrived inside the coalescing window */
  uint8_t fir_seq;        /* last FIR sequence number sent */
  int64_t pending_until;  /* end of the wait window (ms) */
  int64_t delay_until;    /* end of the coalescing window (ms) */
  uint64_t pending_order; /* when each window was last opened, in */
  uint64_t delay_order;   /*   braid_keyframe_requester_t.opened units */
} braid_keyframe_requester_entry_t;

typedef struct braid_keyframe_requester {
  uint32_t delay_ms;
  bool use_pli, use_fir;
  uint32_t pli_count, fir_count; /* requests sent, for producer stats */
  uint64_t opened;               /* windows opened so far: their order */
  braid_keyframe_requester_entry_t entries[BRAID_KEYFRAME_REQUESTER_MAX_SSRCS];
} braid_keyframe_requester_t;

/* Initialises kr. use_pli/use_fir: the feedback negotiated for the
 * producer's codec; delay_ms: keyFrameRequestDelay (0 = no coalescing). */
void braid_keyframe_requester_init(braid_keyframe_requester_t *kr, bool use_pli, bool use_fir,
                                   uint32_t delay_ms);

/*
 * A consumer (or a NACK overflow) needs a key frame on ssrc. Returns 1 and
 * fills *out when a request must be sent now, 0 when it is coalesced or
 * no feedback is negotiated, or BRAID_ELIMIT when
 * BRAID_KEYFRAME_REQUESTER_MAX_SSRCS other SSRCs are already tracked.
 */
int braid_keyframe_requester_need(braid_keyframe_requester_t *kr, uint32_t ssrc, int64_t now_ms,
                                  braid_keyframe_request_t *out);

/* Like braid_keyframe_requester_need() but always sends (1) unless no
 * feedback is negotiated (0), and restarts both windows. */
int braid_keyframe_requester_force(braid_keyframe_requester_t *kr, uint32_t ssrc, int64_t now_ms,
                                   braid_keyframe_request_t *out);

/* A key frame arrived on ssrc: closes its wait window. */
void braid_keyframe_requester_received(braid_keyframe_requester_t *kr, uint32_t ssrc);

/* Forgets ssrc (its stream is gone); its FIR sequence number is lost. */
void braid_keyframe_requester_remove(braid_keyframe_requester_t *kr, uint32_t ssrc);

/* The earliest time on_timeout has work, or INT64_MAX when none. */
int64_t braid_keyframe_requester_next_timeout(const braid_keyframe_requester_t *kr);

/* Handles the windows that ended at or before now_ms and writes the
 * requests to send into out[0..cap) (at most one per SSRC). Returns how
 * many were written; with cap >= BRAID_KEYFRAME_REQUESTER_MAX_SSRCS
 * nothing is left over, otherwise what did not fit stays due for the next
 * call. */
size_t braid_keyframe_requester_on_timeout(braid_keyframe_requester_t *kr, int64_t now_ms,
                                           braid_keyframe_request_t *out, size_t cap);

#endif
