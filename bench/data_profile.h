/*
 * The self-time profile of data_forward_bench.c: brackets around the
 * bench's calls and, through the linker's --wrap (bench/data.cmake),
 * around usrsctp's entry points and two of ours, charging the time
 * between brackets to buckets. CLOCK_MONOTONIC per bracket; an interval
 * longer than PREEMPTED_NS means the thread was preempted and is left out.
 */
#ifndef BRAID_BENCH_DATA_PROFILE_H
#define BRAID_BENCH_DATA_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

/* The longest legitimate interval, a 256 KiB usrsctp_sendv() copying the
 * message, takes some 50 us. */
#define PREEMPTED_NS 300000

typedef enum bucket {
  P_HARNESS = 0, /* the driver, pump(), the checks' bookkeeping */
  P_COPY,        /* FIFO copies (tx_sctp and the endpoints' send_packet) */
  P_D_RX,        /* daemon: braid code receiving (packet check, events, reassembly, dispatch) */
  P_D_CRC,       /* daemon: braid_sctp_packet_check_crc() */
  P_D_FWD,       /* daemon: data producer -> consumers -> data_transport_send -> assoc_send */
  P_D_US_RX,     /* daemon: usrsctp_conninput() on A (DATA in, SACKs out) */
  P_D_US_SACK,   /* daemon: usrsctp_conninput() on B_i (SACKs in, queued DATA out) */
  P_D_US_TX,     /* daemon: usrsctp_sendv() by the consumers */
  P_E_BRAID,     /* endpoints: braid_sctp_assoc_* around usrsctp, and the checks */
  P_E_CRC,       /* endpoints: braid_sctp_packet_check_crc() */
  P_E_US,        /* endpoints: usrsctp */
  P_TIMERS,      /* braid_sctp_global_tick(): every association's timers */
  NBUCKETS
} bucket_t;

extern const char *const bucket_names[NBUCKETS];

/* Whose calls are being made: decides the bucket of usrsctp's time. */
typedef enum side { SIDE_DAEMON_A, SIDE_DAEMON_B, SIDE_ENDPOINT, SIDE_TIMERS } side_t;

typedef struct prof {
  bool on;
  side_t side;
  int depth;
  bucket_t stack[16];
  int64_t last;
  int64_t acc[NBUCKETS];
  uint64_t events;
  uint64_t preempted; /* intervals left out */
  int64_t preempted_ns;
} prof_t;

extern prof_t prof;

int64_t mono_ns(void);
/* CPU time of this thread: what a message costs, even on a busy machine. */
int64_t cpu_ns(void);
void prof_push(bucket_t b);
void prof_pop(void);
void prof_start(void);
void prof_stop(void);

#endif
