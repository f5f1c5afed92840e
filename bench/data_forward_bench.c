/*
 * data_forward_bench: CPU cost of forwarding DataChannel messages through
 * mediad's data path (data_transport.c, data_producer.c, data_consumer.c,
 * mediad/sctp), end to end, from one publishing endpoint to N subscribing
 * endpoints.
 *
 *   data_forward_bench [--consumers A,B,...] [--sizes A,B,...] [--runs N]
 *                      [--profile-runs N] [--bytes N] [--quick]
 *
 * The world, in one process and one thread (no sockets, no DTLS):
 *
 *   publisher endpoint (a plain braid_sctp_assoc_t, the browser)
 *     --queue--> transport A's data half --> data producer (stream 1)
 *     --> N data consumers, one on each of transports B1..BN
 *     --> B_i's association --queue--> subscriber endpoint i
 *
 * The transports are a fake kind (as tests/mediad/rtc/data_harness.c):
 * their tx_sctp, like the endpoints' send_packet, copies the packet into
 * one FIFO of fixed slots (sctp_assoc.h forbids feeding it back from inside
 * send_packet), and pump() delivers the FIFO in order until it is empty:
 * towards a transport with braid_data_transport_receive(), towards an
 * endpoint with braid_sctp_assoc_receive(). The data producer and
 * consumers are made from data_producer.create / data_consumer.create
 * command structs (ordered, reliable), as channel/data_handlers.c does;
 * every association has the defaults (1024 streams, maxMessageSize and
 * send buffer 262,144 bytes, MTU 1,200).
 *
 * Driving: the publisher sends binary messages (PPID 53) of one size, each
 * numbered in its first 4 bytes, and the FIFO is pumped after each send.
 * Windowing keeps the run steady and lossless: the publisher sends only
 * while (a) fewer than WINDOW_BYTES / size (1..MAX_WINDOW_MSGS) messages
 * are published and not yet received by every subscriber, and (b) every
 * consumer's association has room for the messages on their way to it
 * plus this one (a data consumer drops a message its send buffer cannot
 * take: mediasoup's sctpsendbufferfull). When neither the window nor the
 * FIFO moves (a delayed SACK, or congestion control waiting for one), the
 * fake clock advances by one BRAID_SCTP_TICK_MS and
 * braid_sctp_global_tick() runs usrsctp's timers; those stalls are counted.
 *
 * Timing: each run publishes --bytes / size messages (MIN_MSGS..MAX_MSGS)
 * between two reads of the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID:
 * the machine may be busy with other work; what another process runs is
 * not counted), after a warm-up of one run. What is timed is everything in
 * the process: the publisher's usrsctp, the daemon's data path (usrsctp
 * and ours), the subscribers' usrsctp, the timers and the FIFO copies. A
 * cell is the median run.
 *
 * Where the time goes: --profile-runs further runs (interleaved with the
 * timed ones) attribute it with a self-time profile: the bench brackets
 * its own calls (daemon receive, endpoint receive and send, tick) and,
 * through the linker's --wrap (bench/data.cmake), usrsctp_conninput(),
 * usrsctp_sendv(), braid_sctp_packet_check_crc() and
 * braid_data_producer_receive(), each with a read of CLOCK_MONOTONIC (vDSO;
 * the thread's CPU clock is a system call, too slow to read per packet).
 * Those runs are slower by the clock reads and count what preempted the
 * thread, so they give shares, not absolute times; the shares are the
 * median over the profiled runs.
 *
 * Checks: every subscriber gets every message, in order, on its
 * consumer's stream, with PPID 53, the size sent and the sender's bytes at
 * both ends; no consumer dropped a message; the producer and the
 * associations counted what was sent; nothing was dropped as bad. Anything
 * else fails loudly (exit status 1).
 *
 * Build without sanitizers (-DCMAKE_BUILD_TYPE=Release) for real numbers;
 * docs/BENCHMARKS.md has them and the command.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <usrsctp.h>
#include <uv.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/mediad.h"
#include "mediad/rtc/data_consumer.h"
#include "mediad/rtc/data_producer.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/transport.h"
#include "mediad/sctp/sctp_assoc.h"
#include "mediad/sctp/sctp_global.h"
#include "mediad/sctp/sctp_packet.h"
#include "bench/data_profile.h"

#include "bench/sanitized.h"

enum {
  MAX_RUNS = 99,
  MAX_LIST = 16,       /* entries of --consumers and --sizes */
  MAX_CONSUMERS = 100, /* transports B1..BN */
  MAX_SIZE = BRAID_SCTP_DEFAULT_MAX_MESSAGE,
  QCAP = 16384,          /* FIFO slots (packets in flight) */
  QSLOT = 1280,          /* > the MTU (1,200) */
  WINDOW_BYTES = 131072, /* half the send buffer */
  MAX_WINDOW_MSGS = 128, /* well under usrsctp's 512 chunks on a queue */
  MIN_MSGS = 32,
  MAX_MSGS = 20000,
  PUB_STREAM = 1,
  STALL_LIMIT_MS = 60000, /* fake time without progress: fail */
};

/* ---- the world ---------------------------------------------------------------- */

typedef struct world world_t;

/* A transport of the fake kind: the media half, whose tx_sctp queues. */
typedef struct bench_transport {
  braid_transport_t media; /* first: the ops cast back */
  world_t *w;
  int idx;
  uint8_t tx[1500]; /* tx_buf of the media half (unused) */
} bench_transport_t;

/* The remote end of transport idx: 0 publishes, 1..N subscribe. */
typedef struct endpoint {
  world_t *w;
  int idx;
  braid_sctp_assoc_t *a; /* owned */
  uint16_t stream;       /* a subscriber: its consumer's stream */
  uint64_t msgs, bytes;  /* messages received */
} endpoint_t;

typedef struct qpkt {
  uint16_t len;
  uint8_t idx;
  bool to_ep;
} qpkt_t;

struct world {
  uv_loop_t loop;
  braid_mediad_t md;
  int n;                                   /* subscribers */
  bench_transport_t *t[MAX_CONSUMERS + 1]; /* owned: 0 is A */
  endpoint_t ep[MAX_CONSUMERS + 1];
  braid_data_producer_t *producer;                /* owned by A */
  braid_data_consumer_t *consumer[MAX_CONSUMERS]; /* owned by B_i */
  qpkt_t q[QCAP];
  uint8_t *qdata; /* owned: QCAP * QSLOT */
  size_t head, count;
  uint8_t *msg;  /* owned: MAX_SIZE bytes of pattern */
  size_t size;   /* messages of the current cell */
  uint64_t sent; /* messages the publisher sent */
  uint64_t stalls;
};

/* The fake clock (ms), common to all worlds: never goes back. */
static int64_t fake_now_ms;

/* A check or a set-up step failed: say what, loudly, and stop. */
__attribute__((format(printf, 1, 2), noreturn)) static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "data_forward_bench: FAILED: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void enqueue(world_t *w, int idx, bool to_ep, const uint8_t *pkt, size_t len) {
  if (w->count == QCAP) fail("packet FIFO full (%d packets in flight)", QCAP);
  if (len > QSLOT) fail("a %zu-byte SCTP packet (MTU 1,200)", len);
  size_t slot = (w->head + w->count++) % QCAP;
  prof_push(P_COPY);
  memcpy(w->qdata + slot * QSLOT, pkt, len);
  prof_pop();
  w->q[slot] = (qpkt_t){.len = (uint16_t)len, .idx = (uint8_t)idx, .to_ep = to_ep};
}

/* Delivers the FIFO, in order, until it is empty. The slot being
 * delivered stays counted, so that what it causes cannot overwrite it. */
static void pump(world_t *w) {
  while (w->count > 0) {
    qpkt_t q = w->q[w->head];
    const uint8_t *pkt = w->qdata + w->head * QSLOT;
    if (q.to_ep) {
      prof.side = SIDE_ENDPOINT;
      prof_push(P_E_BRAID);
      int rc = braid_sctp_assoc_receive(w->ep[q.idx].a, pkt, q.len);
      prof_pop();
      if (rc != 0) fail("endpoint %d refused a packet: %s", q.idx, braid_strerror(rc));
    } else {
      prof.side = q.idx == 0 ? SIDE_DAEMON_A : SIDE_DAEMON_B;
      prof_push(P_D_RX);
      braid_data_transport_receive(w->t[q.idx]->media.data, pkt, q.len);
      prof_pop();
    }
    w->head = (w->head + 1) % QCAP;
    w->count--;
  }
  w->head = 0; /* empty: the next packets reuse the first, warm slots */
}

/* One step of the fake clock: usrsctp's timers, then what they sent. */
static void tick(world_t *w) {
  fake_now_ms += BRAID_SCTP_TICK_MS;
  prof.side = SIDE_TIMERS;
  prof_push(P_TIMERS);
  braid_sctp_global_tick(fake_now_ms);
  prof_pop();
  pump(w);
}

/* ---- the fake transport kind ---------------------------------------------------- */

static uint8_t *bt_tx_buf(braid_transport_t *m, size_t *cap) {
  bench_transport_t *t = (bench_transport_t *)m;
  *cap = sizeof t->tx;
  return t->tx;
}

static int bt_tx_media(braid_transport_t *m, size_t len) {
  (void)m;
  (void)len;
  fail("the data bench sends no media");
}

/* Runs on usrsctp's stack: queue only. */
static void bt_tx_sctp(braid_transport_t *m, const uint8_t *pkt, size_t len) {
  bench_transport_t *t = (bench_transport_t *)m;
  enqueue(t->w, t->idx, true, pkt, len);
}

static const braid_transport_ops_t bench_ops = {.kind = "bench-data",
                                                .tx_buf = bt_tx_buf,
                                                .tx_rtp = bt_tx_media,
                                                .tx_rtcp = bt_tx_media,
                                                .tx_sctp = bt_tx_sctp};

/* ---- the endpoints ------------------------------------------------------------- */

static void ep_send_packet(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len, void *ud) {
  endpoint_t *ep = ud;
  (void)a;
  enqueue(ep->w, ep->idx, false, pkt, len);
}

/* A subscriber's message: the next one, whole and intact. */
static void ep_on_message(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid,
                          const uint8_t *data, size_t len, void *ud) {
  endpoint_t *ep = ud;
  world_t *w = ep->w;
  (void)a;
  if (ep->idx == 0) fail("the publisher received a message (stream %u)", (unsigned)stream);
  if (stream != ep->stream || ppid != BRAID_SCTP_PPID_BINARY)
    fail("subscriber %d: message on stream %u PPID %" PRIu32 ", expected %u and 53", ep->idx,
         (unsigned)stream, ppid, (unsigned)ep->stream);
  if (len != w->size)
    fail("subscriber %d: a %zu-byte message, expected %zu", ep->idx, len, w->size);
  if (braid_get32(data) != (uint32_t)ep->msgs)
    fail("subscriber %d: message %" PRIu32 " where %" PRIu64 " was due", ep->idx, braid_get32(data),
         ep->msgs);
  if (memcmp(data + 4, w->msg + 4, 12) != 0 || memcmp(data + len - 16, w->msg + len - 16, 16) != 0)
    fail("subscriber %d: message %" PRIu64 " corrupted", ep->idx, ep->msgs);
  ep->msgs++;
  ep->bytes += len;
}

static const braid_sctp_callbacks_t ep_cbs = {.send_packet = ep_send_packet,
                                              .on_message = ep_on_message};

/* ---- set-up ---------------------------------------------------------------------- */

static bench_transport_t *transport_new(world_t *w, int idx) {
  char id[32];
  snprintf(id, sizeof id, idx == 0 ? "t-pub" : "t-sub-%d", idx);
  bench_transport_t *t = braid_xcalloc(1, sizeof *t);
  t->w = w;
  t->idx = idx;
  if (braid_transport_init(&t->media, &w->md, &bench_ops, braid_str_c(id), BRAID_STR_LIT("r1"),
                           BRAID_STR_LIT("room")) != 0)
    fail("transport_init %s", id);
  if (braid_map_put(w->md.transports, t->media.id, strlen(t->media.id), &t->media) != 0)
    fail("out of memory");
  int rc = braid_transport_enable_sctp(&t->media, 0, 0, 0, true); /* mediasoup's defaults */
  if (rc != 0) fail("enable_sctp %s: %s", id, braid_strerror(rc));
  braid_sctp_opts_t eo = {.is_data_channel = true};
  w->ep[idx] = (endpoint_t){.w = w, .idx = idx};
  rc = braid_sctp_assoc_new(&w->ep[idx].a, &eo, &ep_cbs, &w->ep[idx]);
  if (rc != 0) fail("endpoint %d: %s", idx, braid_strerror(rc));
  return t;
}

static bool connected(world_t *w, int idx) {
  return braid_data_transport_state(w->t[idx]->media.data) == BRAID_SCTP_STATE_CONNECTED &&
         braid_sctp_assoc_state(w->ep[idx].a) == BRAID_SCTP_STATE_CONNECTED;
}

/* Both ends _connect() (WebRTC's simultaneous open), then the handshake. */
static void connect_pair(world_t *w, int idx) {
  braid_data_transport_connect(w->t[idx]->media.data);
  if (braid_sctp_assoc_connect(w->ep[idx].a) != 0) fail("endpoint %d cannot connect", idx);
  pump(w);
  for (int i = 0; i < 1000 && !connected(w, idx); i++)
    tick(w);
  if (!connected(w, idx)) fail("association %d does not connect", idx);
}

static void world_init(world_t *w, int n) {
  memset(w, 0, sizeof *w);
  if (uv_loop_init(&w->loop) != 0) fail("uv_loop_init");
  w->md.loop = &w->loop;
  w->md.transports = braid_map_new();
  w->md.producers = braid_map_new();
  w->md.consumers = braid_map_new();
  w->md.data_producers = braid_map_new();
  w->md.data_consumers = braid_map_new();
  if (!w->md.transports || !w->md.producers || !w->md.consumers || !w->md.data_producers ||
      !w->md.data_consumers)
    fail("out of memory");
  w->qdata = braid_xmalloc((size_t)QCAP * QSLOT);
  memset(w->qdata, 0, (size_t)QCAP * QSLOT); /* no first-touch page faults in the runs */
  w->msg = braid_xmalloc(MAX_SIZE);
  uint32_t x = 0x9e3779b9u; /* payload bytes: anything but zeros */
  for (size_t i = 0; i < MAX_SIZE; i++) {
    x = x * 1664525u + 1013904223u;
    w->msg[i] = (uint8_t)(x >> 24);
  }
  w->n = n;
  for (int i = 0; i <= n; i++)
    w->t[i] = transport_new(w, i);
  /* data_transport.c started the daemon's SCTP clock at the real time. */
  int64_t real = braid_clock_mono_ms();
  if (fake_now_ms < real) fake_now_ms = real;
  braid_sctp_global_tick(fake_now_ms);
  for (int i = 0; i <= n; i++)
    connect_pair(w, i);

  braid_cmd_data_producer_create_t pc;
  memset(&pc, 0, sizeof pc);
  pc.transport_id = BRAID_STR_LIT("t-pub");
  pc.data_producer_id = BRAID_STR_LIT("dp");
  pc.stream = PUB_STREAM;
  pc.ordered = true;
  pc.label = BRAID_STR_LIT("bench");
  pc.protocol = BRAID_STR_LIT("");
  const char *why = NULL;
  int rc = braid_data_producer_new(&w->producer, &w->t[0]->media, &pc, &why);
  if (rc != 0) fail("data_producer_new: %s (%d)", why ? why : "", rc);
  for (int i = 1; i <= n; i++) {
    char id[32];
    snprintf(id, sizeof id, "dc-%d", i);
    braid_cmd_data_consumer_create_t cc;
    memset(&cc, 0, sizeof cc);
    cc.transport_id = braid_str_c(w->t[i]->media.id);
    cc.data_consumer_id = braid_str_c(id);
    cc.data_producer_id = BRAID_STR_LIT("dp");
    cc.ordered = true;
    braid_data_consumer_t *k = NULL;
    rc = braid_data_consumer_new(&k, &w->t[i]->media, w->producer, &cc, &why);
    if (rc != 0) fail("data_consumer_new: %s (%d)", why ? why : "", rc);
    w->consumer[i - 1] = k;
    w->ep[i].stream = k->stream;
  }
}

static void world_cleanup(world_t *w) {
  pump(w);
  for (int i = 0; i <= w->n; i++) {
    braid_transport_cleanup(&w->t[i]->media);
    braid_map_del(w->md.transports, w->t[i]->media.id, strlen(w->t[i]->media.id));
    braid_free(w->t[i]);
  }
  for (int i = 0; i <= w->n; i++)
    braid_sctp_assoc_free(w->ep[i].a);
  w->count = 0;                 /* packets to freed associations */
  for (int i = 0; i < 100; i++) /* usrsctp reclaims closed associations on its timers */
    tick(w);
  if (braid_sctp_global_assoc_count() != 0 || braid_map_size(w->md.data_producers) != 0 ||
      braid_map_size(w->md.data_consumers) != 0)
    fail("objects left after cleanup");
  braid_data_transport_shutdown(&w->md);
  if (uv_run(&w->loop, UV_RUN_DEFAULT) != 0 || uv_loop_close(&w->loop) != 0)
    fail("uv loop not empty");
  braid_map_free(w->md.transports);
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
  braid_map_free(w->md.data_producers);
  braid_map_free(w->md.data_consumers);
  braid_free(w->qdata);
  braid_free(w->msg);
}

/* ---- driving ----------------------------------------------------------------------- */

static uint64_t min_received(const world_t *w) {
  uint64_t m = UINT64_MAX;
  for (int i = 1; i <= w->n; i++)
    if (w->ep[i].msgs < m) m = w->ep[i].msgs;
  return m;
}

/* Whether one more message may be sent (see the header comment). */
static bool may_send(const world_t *w, uint64_t window) {
  if (w->sent - min_received(w) >= window) return false;
  for (int i = 1; i <= w->n; i++) {
    const braid_sctp_assoc_t *a = braid_data_transport_assoc(w->t[i]->media.data);
    size_t cap = braid_sctp_assoc_opts(a)->send_buffer_size;
    size_t ahead = (size_t)(w->sent - w->ep[i].msgs) * w->size; /* not yet at B_i, or unacked */
    if (braid_sctp_assoc_buffered_amount(a) + ahead + w->size > cap) return false;
  }
  return true;
}

/* Publishes msgs messages and returns once every subscriber has them. */
static void drive(world_t *w, uint64_t msgs) {
  uint64_t target = w->sent + msgs;
  uint64_t window = WINDOW_BYTES / w->size;
  if (window < 1) window = 1;
  if (window > MAX_WINDOW_MSGS) window = MAX_WINDOW_MSGS;
  int64_t stalled_ms = 0;
  while (min_received(w) < target) {
    bool progress = false;
    while (w->sent < target && may_send(w, window)) {
      braid_put32(w->msg, (uint32_t)w->sent);
      prof.side = SIDE_ENDPOINT;
      prof_push(P_E_BRAID);
      int rc = braid_sctp_assoc_send(w->ep[0].a, PUB_STREAM, BRAID_SCTP_PPID_BINARY, w->msg,
                                     w->size, NULL);
      prof_pop();
      if (rc == BRAID_ELIMIT) break; /* the publisher's own buffer is full */
      if (rc != 0) fail("publisher send: %s", braid_strerror(rc));
      w->sent++;
      progress = true;
      pump(w);
    }
    if (progress) {
      stalled_ms = 0;
      continue;
    }
    uint64_t before = min_received(w);
    w->stalls++;
    tick(w);
    if (min_received(w) != before) {
      stalled_ms = 0;
    } else if ((stalled_ms += BRAID_SCTP_TICK_MS) > STALL_LIMIT_MS) {
      fail("no progress for %d s of fake time: sent %" PRIu64 ", received %" PRIu64 " (size %zu)",
           STALL_LIMIT_MS / 1000, w->sent, min_received(w), w->size);
    }
  }
}

/* Everything sent arrived, nothing was dropped anywhere. */
static void check(const world_t *w) {
  const braid_data_transport_t *da = w->t[0]->media.data;
  if (w->producer->messages_received != w->sent)
    fail("data producer received %" PRIu64 " of %" PRIu64 " messages",
         w->producer->messages_received, w->sent);
  if (braid_data_transport_dropped(da) != 0)
    fail("transport A dropped %" PRIu64 " packets or messages", braid_data_transport_dropped(da));
  for (int i = 1; i <= w->n; i++) {
    const braid_data_consumer_t *k = w->consumer[i - 1];
    const braid_sctp_assoc_stats_t *es = braid_sctp_assoc_stats(w->ep[i].a);
    if (k->messages_dropped != 0 || k->messages_sent != w->sent)
      fail("data consumer %d sent %" PRIu64 " and dropped %" PRIu64 " of %" PRIu64 " messages", i,
           k->messages_sent, k->messages_dropped, w->sent);
    if (w->ep[i].msgs != w->sent || es->msgs_rx != w->sent)
      fail("subscriber %d received %" PRIu64 " of %" PRIu64 " messages", i, w->ep[i].msgs, w->sent);
    if (es->rx_dropped != 0 || es->rx_broken != 0 || es->rx_too_big != 0 ||
        braid_data_transport_dropped(w->t[i]->media.data) != 0)
      fail("subscriber %d or its transport dropped packets", i);
  }
}

/* ---- measuring --------------------------------------------------------------------- */

typedef struct bench_opts {
  int counts[MAX_LIST];
  int ncounts;
  size_t sizes[MAX_LIST];
  int nsizes;
  int runs, profile_runs;
  long bytes; /* published per run */
} bench_opts_t;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct cell {
  int n;
  size_t size;
  uint64_t msgs;          /* per run */
  double ns;              /* CPU ns per published message, median */
  double stalls;          /* timer steps per published message (last timed run) */
  double share[NBUCKETS]; /* median shares of the profiled runs */
  double events;          /* profile brackets per published message */
  double prof_ns;         /* CPU ns per published message of the profiled runs */
  double left_out;        /* share of their wall time left out as preempted */
} cell_t;

static void measure(world_t *w, size_t size, const bench_opts_t *o, cell_t *c) {
  uint64_t msgs = (uint64_t)o->bytes / size;
  if (msgs < MIN_MSGS) msgs = MIN_MSGS;
  if (msgs > MAX_MSGS) msgs = MAX_MSGS;
  w->size = size; /* numbering and counts go on across sizes */
  drive(w, msgs); /* warm-up */
  double ns[MAX_RUNS], pns[MAX_RUNS], left_out[MAX_RUNS], shares[NBUCKETS][MAX_RUNS];
  int r = 0, p = 0;
  while (r < o->runs || p < o->profile_runs) {
    /* Interleaved: a profiled run after every second timed one. */
    bool profiled = p < o->profile_runs && (r >= o->runs || r % 2 == 1);
    uint64_t stalls0 = w->stalls;
    if (profiled) {
      int64_t t0 = cpu_ns();
      prof_start();
      drive(w, msgs);
      prof_stop();
      pns[p] = (double)(cpu_ns() - t0) / (double)msgs;
      int64_t total = 0;
      for (int b = 0; b < NBUCKETS; b++)
        total += prof.acc[b];
      for (int b = 0; b < NBUCKETS; b++)
        shares[b][p] = total > 0 ? (double)prof.acc[b] / (double)total : 0;
      left_out[p] = (double)prof.preempted_ns / (double)(total + prof.preempted_ns);
      c->events = (double)prof.events / (double)msgs;
      p++;
    } else {
      int64_t t0 = cpu_ns();
      drive(w, msgs);
      ns[r++] = (double)(cpu_ns() - t0) / (double)msgs;
      c->stalls = (double)(w->stalls - stalls0) / (double)msgs;
    }
  }
  check(w);
  c->n = w->n;
  c->size = size;
  c->msgs = msgs;
  c->ns = median(ns, o->runs);
  if (o->profile_runs == 0) return;
  for (int b = 0; b < NBUCKETS; b++)
    c->share[b] = median(shares[b], o->profile_runs);
  c->prof_ns = median(pns, o->profile_runs);
  c->left_out = median(left_out, o->profile_runs);
}

static double daemon_share(const cell_t *c) {
  return c->share[P_D_RX] + c->share[P_D_CRC] + c->share[P_D_FWD] + c->share[P_D_US_RX] +
         c->share[P_D_US_SACK] + c->share[P_D_US_TX];
}

static void print_cell(const cell_t *c) {
  double pub_per_s = 1e9 / c->ns;
  double fwd_per_s = pub_per_s * c->n;
  printf("%4d %7zu %6" PRIu64 " %10.0f %10.0f %11.0f %9.1f %7.2f\n", c->n, c->size, c->msgs, c->ns,
         c->ns / c->n, fwd_per_s, fwd_per_s * (double)c->size / 1e6, c->stalls);
  fflush(stdout);
}

static void print_profile(const cell_t *cells, int ncells) {
  printf("\nwhere the time goes (%% of the profiled runs' time; d. = daemon, e. = endpoints):\n");
  printf("%4s %7s %7s %7s", "N", "size", "daemon", "d.ns/fw");
  for (int b = 0; b < NBUCKETS; b++)
    printf(" %9s", bucket_names[b]);
  printf(" %7s %8s %6s\n", "ev/msg", "prof.ns", "preem.");
  for (int i = 0; i < ncells; i++) {
    const cell_t *c = &cells[i];
    double d = daemon_share(c);
    printf("%4d %7zu %6.1f%% %7.0f", c->n, c->size, 100 * d, c->ns * d / c->n);
    for (int b = 0; b < NBUCKETS; b++)
      printf(" %8.1f%%", 100 * c->share[b]);
    printf(" %7.0f %8.0f %5.1f%%\n", c->events, c->prof_ns, 100 * c->left_out);
  }
  printf("daemon usrsctp vs braid (of the daemon's share):\n");
  for (int i = 0; i < ncells; i++) {
    const cell_t *c = &cells[i];
    double d = daemon_share(c);
    if (d <= 0) continue;
    double us = c->share[P_D_US_RX] + c->share[P_D_US_SACK] + c->share[P_D_US_TX];
    printf("%4d %7zu usrsctp %5.1f%% (rx %4.1f, sack %4.1f, tx %4.1f)  braid %5.1f%% (crc %4.1f, "
           "rx %4.1f, fwd %4.1f)\n",
           c->n, c->size, 100 * us / d, 100 * c->share[P_D_US_RX] / d,
           100 * c->share[P_D_US_SACK] / d, 100 * c->share[P_D_US_TX] / d, 100 * (d - us) / d,
           100 * c->share[P_D_CRC] / d, 100 * c->share[P_D_RX] / d, 100 * c->share[P_D_FWD] / d);
  }
}

/* What one bracket of the profile costs (a CLOCK_MONOTONIC read). */
static double clock_read_ns(void) {
  enum { N = 200000 };
  /* x keeps the reads from being optimised away; unsigned, since the sum
   * of N readings overflows a signed 64-bit integer after ~13 h of uptime. */
  int64_t t0 = mono_ns();
  uint64_t x = 0;
  for (int i = 0; i < N; i++)
    x += (uint64_t)mono_ns();
  return (double)(mono_ns() - t0 - (x == 0)) / N;
}

/* ---- options ------------------------------------------------------------------------ */

static void usage(void) {
  fprintf(stderr, "usage: data_forward_bench [--consumers A,B,...] [--sizes A,B,...] [--runs N] "
                  "[--profile-runs N] [--bytes N] [--quick]\n");
  exit(2);
}

static long parse_num(const char *flag, const char *s, long lo, long hi) {
  char *end = NULL;
  long v = s != NULL ? strtol(s, &end, 10) : 0;
  if (s == NULL || *s == '\0' || *end != '\0' || v < lo || v > hi) {
    fprintf(stderr, "data_forward_bench: %s takes a number in %ld..%ld\n", flag, lo, hi);
    exit(2);
  }
  return v;
}

/* A comma-separated list of numbers in lo..hi into out (at most MAX_LIST). */
static int parse_list(const char *flag, const char *s, long lo, long hi, long *out) {
  char tmp[256];
  int n = 0;
  if (s == NULL || strlen(s) >= sizeof tmp) usage();
  memcpy(tmp, s, strlen(s) + 1);
  for (char *tok = tmp, *next; tok != NULL; tok = next) {
    next = strchr(tok, ',');
    if (next != NULL) *next++ = '\0';
    if (n == MAX_LIST) usage();
    out[n++] = parse_num(flag, tok, lo, hi);
  }
  return n;
}

static void parse_opts(bench_opts_t *o, int argc, char **argv) {
  long v[MAX_LIST];
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *s = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--consumers") == 0 && s) {
      o->ncounts = parse_list(a, s, 1, MAX_CONSUMERS, v), i++;
      for (int k = 0; k < o->ncounts; k++)
        o->counts[k] = (int)v[k];
    } else if (strcmp(a, "--sizes") == 0 && s) {
      o->nsizes = parse_list(a, s, 16, MAX_SIZE, v), i++;
      for (int k = 0; k < o->nsizes; k++)
        o->sizes[k] = (size_t)v[k];
    } else if (strcmp(a, "--runs") == 0 && s) {
      o->runs = (int)parse_num(a, s, 1, MAX_RUNS), i++;
    } else if (strcmp(a, "--profile-runs") == 0 && s) {
      o->profile_runs = (int)parse_num(a, s, 0, MAX_RUNS), i++;
    } else if (strcmp(a, "--bytes") == 0 && s) {
      o->bytes = parse_num(a, s, 1, 1L << 32), i++;
    } else if (strcmp(a, "--quick") == 0) {
      o->runs = 1;
      o->profile_runs = 1;
      o->bytes = 1;
    } else {
      usage();
    }
  }
}

int main(int argc, char **argv) {
  bench_opts_t o = {.counts = {1, 10},
                    .ncounts = 2,
                    .sizes = {100, 1024, 16384, 262144},
                    .nsizes = 4,
                    .runs = 7,
                    .profile_runs = 3,
                    .bytes = 4 << 20};
  parse_opts(&o, argc, argv);
  braid_log_level = BRAID_LOG_WARN; /* no "SCTP connected" lines between the rows */
  printf("data_forward_bench: publisher endpoint -> transport A -> data producer -> N data "
         "consumers -> subscriber endpoints\n");
  printf("usrsctp in process, no DTLS; ordered, reliable, PPID 53; CPU time "
         "(CLOCK_THREAD_CPUTIME_ID), median of %d runs of ~%ld bytes published\n",
         o.runs, o.bytes);
#ifdef BENCH_SANITIZED
  printf("WARNING: built with sanitizers: these numbers are not representative\n");
#endif
  printf("%4s %7s %6s %10s %10s %11s %9s %7s\n", "N", "size", "msgs", "ns/msg", "ns/fwd",
         "fwd msg/s", "fwd MB/s", "ticks");
  cell_t cells[MAX_LIST * MAX_LIST];
  int ncells = 0;
  world_t *w = braid_xmalloc(sizeof *w);
  for (int i = 0; i < o.ncounts; i++) {
    world_init(w, o.counts[i]);
    for (int k = 0; k < o.nsizes; k++) {
      measure(w, o.sizes[k], &o, &cells[ncells]);
      print_cell(&cells[ncells++]);
    }
    world_cleanup(w);
  }
  braid_free(w);
  if (o.profile_runs > 0) {
    print_profile(cells, ncells);
    printf("one profile bracket (a CLOCK_MONOTONIC read): %.0f ns\n", clock_read_ns());
  }
  return 0;
}
