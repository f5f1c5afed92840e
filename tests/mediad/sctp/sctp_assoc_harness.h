/*
 * The harness of the association tests (sctp_assoc*_test.c): two
 * associations in one process, each one's send_packet queued to the
 * other's _receive(), with per-direction loss and a fake clock that drives
 * usrsctp's timers. Packets are never fed back from inside send_packet
 * (usrsctp holds the sender's lock there): they wait in the queue until
 * net_flush() delivers them. Included once per test binary.
 *
 * The fake clock drives usrsctp's timers, but usrsctp still reads the real
 * clock in places: a T3 timeout retransmits only chunks that have been out
 * for about one smoothed round-trip time of real time
 * (sctp_mark_all_for_resend()), and lifetimes are real time. Round trips
 * here take microseconds, so tests that lose packets call real_sleep()
 * for a few ms before they advance the fake clock past a timeout. (Sleeping
 * in every net_advance() would not do: the sleeps would inflate the
 * round-trip times usrsctp measures, and with them the wait needed.)
 */
#ifndef BRAID_TESTS_MEDIAD_SCTP_SCTP_ASSOC_HARNESS_H
#define BRAID_TESTS_MEDIAD_SCTP_SCTP_ASSOC_HARNESS_H

#include <stdbool.h>
#include <time.h>

#include "common/err.h"
#include "mediad/sctp/sctp_assoc.h"
#include "mediad/sctp/sctp_packet.h"
#include "tests/test.h"

enum { A = 0, B = 1, QMAX = 8192, MSGMAX = 256, STATEMAX = 16, RESETMAX = 64 };

typedef struct net net_t;

typedef struct msg {
  uint16_t stream;
  uint32_t ppid;
  uint8_t *data; /* owned copy */
  size_t len;
} msg_t;

typedef struct peer {
  net_t *net;
  int idx;
  braid_sctp_assoc_t *a;
  braid_sctp_state_t states[STATEMAX];
  int nstates;
  msg_t msgs[MSGMAX];
  int nmsgs;
  uint16_t resets[RESETMAX];
  int nresets;
  int low_events;
  size_t low_buffered;
  size_t sent;        /* packets sent */
  size_t max_pkt;     /* longest packet sent */
  uint32_t vtag_seen; /* verification tag of its last packet */
  bool drop;          /* lose every packet it sends */
  int drop_next;      /* lose its next n packets */
  /* Behaviours for the callback tests. */
  bool echo;             /* answer every message with the same bytes */
  bool flush_on_message; /* deliver queued packets from inside on_message */
  bool free_on_message, free_on_send, free_on_state_connected;
  bool receive_from_send; /* try _receive() inside send_packet */
  int rc_in_send;         /* what that returned */
  bool freed;
} peer_t;

static void net_flush(net_t *n);

typedef struct pkt {
  uint8_t *data; /* owned */
  size_t len;
  int to;
} pkt_t;

struct net {
  peer_t p[2];
  pkt_t q[QMAX];
  size_t head, count;
  int64_t now;
};

static void on_send_packet(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len, void *ud) {
  peer_t *p = ud;
  net_t *n = p->net;
  ASSERT(a == p->a);
  p->sent++;
  if (len > p->max_pkt) p->max_pkt = len;
  if (len >= 8) p->vtag_seen = (uint32_t)pkt[4] << 24 | pkt[5] << 16 | pkt[6] << 8 | pkt[7];
  if (p->receive_from_send) p->rc_in_send = braid_sctp_assoc_receive(a, pkt, len);
  if (p->free_on_send) {
    p->free_on_send = false;
    p->freed = true;
    braid_sctp_assoc_free(a);
  }
  if (p->drop) return;
  if (p->drop_next > 0) {
    p->drop_next--;
    return;
  }
  ASSERT(n->count < QMAX);
  pkt_t *q = &n->q[(n->head + n->count++) % QMAX];
  q->data = malloc(len);
  memcpy(q->data, pkt, len);
  q->len = len;
  q->to = 1 - p->idx;
}

static void on_message(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid, const uint8_t *data,
                       size_t len, void *ud) {
  peer_t *p = ud;
  ASSERT(a == p->a && !p->freed);
  ASSERT(data != NULL);
  ASSERT(p->nmsgs < MSGMAX);
  msg_t *m = &p->msgs[p->nmsgs++];
  m->stream = stream;
  m->ppid = ppid;
  m->len = len;
  m->data = malloc(len > 0 ? len : 1);
  memcpy(m->data, data, len);
  if (p->echo) {
    int rc = braid_sctp_assoc_send(a, stream, ppid, data, len, NULL);
    ASSERT_EQ(rc, 0);
  }
  if (p->flush_on_message) net_flush(p->net); /* _receive() from a callback */
  if (p->free_on_message) {
    p->freed = true;
    braid_sctp_assoc_free(a);
    braid_sctp_assoc_free(a); /* a second call is harmless while deferred */
  }
}

static void on_state(braid_sctp_assoc_t *a, braid_sctp_state_t s, void *ud) {
  peer_t *p = ud;
  ASSERT(a == p->a && !p->freed);
  ASSERT(p->nstates < STATEMAX);
  ASSERT_EQ(braid_sctp_assoc_state(a), s);
  p->states[p->nstates++] = s;
  if (p->free_on_state_connected && s == BRAID_SCTP_STATE_CONNECTED) {
    p->freed = true;
    braid_sctp_assoc_free(a);
  }
}

static void on_stream_reset(braid_sctp_assoc_t *a, uint16_t stream, void *ud) {
  peer_t *p = ud;
  ASSERT(a == p->a && !p->freed);
  ASSERT(p->nresets < RESETMAX);
  p->resets[p->nresets++] = stream;
}

static void on_buffered_low(braid_sctp_assoc_t *a, size_t buffered, void *ud) {
  peer_t *p = ud;
  ASSERT(a == p->a && !p->freed);
  p->low_events++;
  p->low_buffered = buffered;
}

static const braid_sctp_callbacks_t harness_cb = {
    .send_packet = on_send_packet,
    .on_message = on_message,
    .on_state = on_state,
    .on_stream_reset = on_stream_reset,
    .on_buffered_low = on_buffered_low,
};

/* Makes both associations with the same options (opts may be NULL). */
static inline void net_init(net_t *n, const braid_sctp_opts_t *opts) {
  memset(n, 0, sizeof *n);
  n->now = 1000000;
  braid_sctp_global_tick(n->now);
  for (int i = 0; i < 2; i++) {
    n->p[i].net = n;
    n->p[i].idx = i;
    ASSERT_EQ(braid_sctp_assoc_new(&n->p[i].a, opts, &harness_cb, &n->p[i]), 0);
    ASSERT_EQ(braid_sctp_assoc_state(n->p[i].a), BRAID_SCTP_STATE_NEW);
  }
}

/* Delivers queued packets (and those they cause) until none is left. */
static void net_flush(net_t *n) {
  while (n->count > 0) {
    pkt_t q = n->q[n->head];
    n->head = (n->head + 1) % QMAX;
    n->count--;
    peer_t *to = &n->p[q.to];
    if (!to->freed) (void)braid_sctp_assoc_receive(to->a, q.data, q.len);
    free(q.data);
  }
}

/* Moves the clock on by ms in usrsctp's tick steps, flushing in between. */
static inline void net_advance(net_t *n, int64_t ms) {
  net_flush(n);
  for (int64_t t = 0; t < ms; t += BRAID_SCTP_TICK_MS) {
    n->now += BRAID_SCTP_TICK_MS;
    braid_sctp_global_tick(n->now);
    net_flush(n);
  }
}

/* Lets real time pass (see the header comment). */
static inline void real_sleep(int ms) {
  struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000 * 1000};
  nanosleep(&ts, NULL);
}

/* Advances the clock, with real sleeps in between, until peer p has count
 * messages or 60 s of fake time have passed; then lets things settle. */
static inline void net_wait_msgs(net_t *n, int p, int count) {
  for (int i = 0; i < 60 && n->p[p].nmsgs < count; i++) {
    real_sleep(5);
    net_advance(n, 1000);
  }
  net_advance(n, 500);
}

static inline bool both_connected(const net_t *n) {
  return braid_sctp_assoc_state(n->p[A].a) == BRAID_SCTP_STATE_CONNECTED &&
         braid_sctp_assoc_state(n->p[B].a) == BRAID_SCTP_STATE_CONNECTED;
}

/* Both ends connect, as WebRTC does; returns when both are connected. */
static inline void net_connect(net_t *n) {
  ASSERT_EQ(braid_sctp_assoc_connect(n->p[A].a), 0);
  ASSERT_EQ(braid_sctp_assoc_connect(n->p[B].a), 0);
  for (int i = 0; i < 1000 && !both_connected(n); i++)
    net_advance(n, BRAID_SCTP_TICK_MS);
  ASSERT(both_connected(n));
}

/* Lets delayed SACKs and retransmissions settle. */
static inline void net_settle(net_t *n) { net_advance(n, 500); }

static inline void net_free(net_t *n) {
  net_flush(n);
  for (int i = 0; i < 2; i++) {
    peer_t *p = &n->p[i];
    if (!p->freed) braid_sctp_assoc_free(p->a);
    p->freed = true;
    for (int k = 0; k < p->nmsgs; k++)
      free(p->msgs[k].data);
    p->nmsgs = 0;
  }
  while (n->count > 0) {
    free(n->q[n->head].data);
    n->head = (n->head + 1) % QMAX;
    n->count--;
  }
  /* usrsctp reclaims closed associations on its timers. */
  net_advance(n, 1000);
  ASSERT_EQ(braid_sctp_global_assoc_count(), 0);
}

static inline void fill_pattern(uint8_t *buf, size_t len, uint32_t seed) {
  for (size_t i = 0; i < len; i++) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = (uint8_t)(seed >> 16);
  }
}

#endif
