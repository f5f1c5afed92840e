/*
 * The process-wide part of SCTP: usrsctp's one instance, its timers, and
 * the table that maps usrsctp's "conn" addresses to our associations.
 *
 * usrsctp keeps all its state in globals (one stack per process), so this
 * is the one place of braid-mediad that holds mutable global state besides
 * configuration (STYLE.md rule 33 and its usrsctp counter-example). Every
 * braid_sctp_* function must be called from one thread: the loop thread.
 *
 * Threads: braid_sctp_global_init() uses usrsctp_init_nothreads(), so no
 * timer thread and no receive thread run. usrsctp 0.9.5 still starts one
 * thread, the "SCTP iterator", which sleeps until address-change work is
 * queued (ASCONF for endpoints bound to all addresses; our sockets are
 * bound to one conn address each, so it never sends or calls back). It is
 * woken when an association is freed (usrsctp_deregister_address() queues
 * such work) and synchronises with the loop thread through usrsctp's own
 * locks.
 *
 * Timers: usrsctp measures its timers (retransmission, delayed SACK,
 * heartbeat, shutdown, and the deferred frees of closed associations) in
 * ticks that only braid_sctp_global_tick() advances. The loop calls it
 * every BRAID_SCTP_TICK_MS with its monotonic clock, at least while
 * braid_sctp_global_assoc_count() is not zero, as mediasoup's DepUsrSCTP
 * does; when it stops, closed associations are reclaimed at the next tick.
 * usrsctp still reads the real clock for round-trip times and for the
 * lifetime of partially reliable messages (SCTP_PR_SCTP_TTL), so `now`
 * must run at real speed in production; tests may run it faster, which
 * only makes retransmissions happen earlier than real time would.
 */
#ifndef BRAID_MEDIAD_SCTP_SCTP_GLOBAL_H
#define BRAID_MEDIAD_SCTP_SCTP_GLOBAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Recommended period of braid_sctp_global_tick() (mediasoup: 10 ms). The
 * shortest usrsctp timer that matters, the delayed SACK, is 200 ms. */
#define BRAID_SCTP_TICK_MS 10

/*
 * Initialises usrsctp once per process (later calls return 0 and do
 * nothing): usrsctp_init_nothreads() without UDP encapsulation, and the
 * process-wide settings WebRTC stacks use (ECN, ASCONF and AUTH off, no
 * ABORT for out-of-the-blue packets), and CRC32c "offload": usrsctp
 * neither checks nor computes checksums, braid_sctp_assoc_receive() and
 * the output path do, once per packet). braid_sctp_assoc_new() calls it, so
 * calling it first is optional. Returns 0. There is no matching cleanup:
 * usrsctp cannot be finished and started again in one process, and its
 * remaining globals stay reachable (not leaks) until exit.
 */
int braid_sctp_global_init(void);

/*
 * Advances usrsctp's timers to now_ms (a monotonic clock in ms; the first
 * call only records it) and runs those that expired. Callbacks of any
 * association may run (see braid_sctp_assoc_t's callback contract), and an
 * association freed from one of them is freed before this returns.
 * Elapsed times below 0 count as 0, above 10 minutes as 10 minutes. A
 * no-op before braid_sctp_global_init() and inside send_packet.
 */
void braid_sctp_global_tick(int64_t now_ms);

/* Associations alive (made and not freed), for starting and stopping the
 * loop timer. */
size_t braid_sctp_global_assoc_count(void);

/* ---- Internal to mediad/sctp (STYLE.md rule 5) ---------------------- */

typedef struct braid_sctp_assoc braid_sctp_assoc_t;

/* Registers a and returns its id, the conn address given to usrsctp
 * (never 0), or 0 when the table is full. */
uintptr_t braid__sctp_global_register(braid_sctp_assoc_t *a);
/* Forgets id: from now on usrsctp's callbacks for it are ignored. */
void braid__sctp_global_unregister(uintptr_t id);
/* The association of id, or NULL (freed, or never registered). */
braid_sctp_assoc_t *braid__sctp_global_lookup(uintptr_t id);

/* Bracket every call into usrsctp. _enter() returns BRAID_ESTATE (and
 * enters nothing) when usrsctp is already on the stack, i.e. when called
 * from a send_packet callback. _leave() delivers the events queued by the
 * outermost call (braid__sctp_assoc_drain()), which may free
 * associations: after _leave() the caller must not touch any association
 * it did not check again. */
int braid__sctp_global_enter(void);
void braid__sctp_global_leave(void);
/* True while usrsctp is on the stack. */
bool braid__sctp_global_in_usrsctp(void);
/* Lists id for delivery at the end of the outermost call (or of the
 * delivery in progress). */
void braid__sctp_global_mark_pending(uintptr_t id);

/* Implemented by sctp_assoc.c, called from here: hands a packet usrsctp
 * made for a to its send_packet (on usrsctp's stack), and delivers a's
 * queued events (outside it; may free a). */
void braid__sctp_assoc_output(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len);
void braid__sctp_assoc_drain(braid_sctp_assoc_t *a);

#endif
