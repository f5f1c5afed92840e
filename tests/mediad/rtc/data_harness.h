/*
 * Test harness for the data half of mediad (data_transport.c,
 * data_producer.c, data_consumer.c, data_handlers.c), shared by
 * data_transport_test.c and data_handlers_test.c.
 *
 * A "world" is one hand-made mediad context (a uv loop and the maps the
 * data path needs; md.redis is NULL, so no event is published) with up to
 * DH_MAX transports of a fake kind. Each fake transport has one remote
 * endpoint: a plain SCTP association (sctp_assoc.h) that plays the
 * browser. The transport's tx_sctp and the endpoint's send_packet only
 * queue their packets (sctp_assoc.h forbids feeding a packet back from
 * inside send_packet); dh_pump() delivers the queue, in order, after the
 * call that made them has returned:
 *
 *   endpoint i --queue--> braid_data_transport_receive(transport i)
 *   transport i --tx_sctp--> queue --> braid_sctp_assoc_receive(endpoint i)
 *
 * Time: data_transport.c reads braid_clock_mono_ms() when it starts the
 * daemon's SCTP clock, and stats_json.c for timestamps, so data_harness.c
 * defines the clock (common/clock.c is then not linked in) over dh_now_ms,
 * and dh_advance() moves it and calls braid_sctp_global_tick() itself. The
 * daemon's uv timer (md->sctp_timer) is started by data_transport.c but
 * the loop only runs in dh_world_cleanup(), after
 * braid_data_transport_shutdown() has closed it. Compile data_harness.c
 * into every test binary that includes this header, exactly once.
 *
 * Every helper fails the running test (BRAID_TEST_FAIL, exit 1) when
 * something it needs does not work, so tests call them without checks.
 */
#ifndef BRAID_TESTS_MEDIAD_RTC_DATA_HARNESS_H
#define BRAID_TESTS_MEDIAD_RTC_DATA_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "mediad/mediad.h"
#include "mediad/rtc/data_consumer.h"
#include "mediad/rtc/data_producer.h"
#include "mediad/rtc/data_transport.h"
#include "mediad/rtc/transport.h"
#include "mediad/sctp/sctp_assoc.h"
#include "proto/cmd.h"
#include "proto/reply.h"

/* Monotonic time of the fake clock in ms. */
extern int64_t dh_now_ms;

enum {
  DH_MAX = 6,         /* transports (and endpoints) of a world */
  DH_MAX_MSGS = 256,  /* messages one endpoint keeps; one more fails the test */
  DH_MAX_RESETS = 64, /* stream resets one endpoint keeps */
  DH_QMAX = 16384,    /* packets in flight */
};

/* A message an endpoint received. */
typedef struct dh_msg {
  uint16_t stream;
  uint32_t ppid;
  uint8_t *data; /* owned copy (never NULL) */
  size_t len;
} dh_msg_t;

typedef struct dh_world dh_world_t;

/* The remote end of transport idx (a browser's association). */
typedef struct dh_endpoint {
  dh_world_t *w;
  int idx;
  braid_sctp_assoc_t *a; /* owned; NULL once freed */
  dh_msg_t msgs[DH_MAX_MSGS];
  size_t nmsgs;
  uint16_t resets[DH_MAX_RESETS]; /* streams the transport reset (on_stream_reset) */
  size_t nresets;
  uint64_t data_chunks_unordered, data_chunks_ordered; /* DATA chunks it got, by U bit */
} dh_endpoint_t;

/* A transport of the fake kind. */
typedef struct dh_transport {
  braid_transport_t media; /* first: the ops cast back */
  dh_world_t *w;
  int idx;
  uint8_t tx[1500];   /* tx_buf for the media half (unused by these tests) */
  size_t sctp_tx;     /* packets tx_sctp got */
  int drop_data_next; /* lose its next n packets that carry a DATA chunk */
  size_t dropped;     /* packets lost that way */
} dh_transport_t;

/* Options of a transport's data half (0: the default of sctp_assoc.h). */
typedef struct dh_sctp_opts {
  uint16_t os, mis;
  size_t max_message;
  uint16_t ep_mis; /* the endpoint's incoming streams (0: 1024) */
} dh_sctp_opts_t;

typedef struct dh_pkt {
  uint8_t *data; /* owned */
  size_t len;
  int idx;    /* transport/endpoint pair */
  bool to_ep; /* towards the endpoint (else towards the transport) */
} dh_pkt_t;

struct dh_world {
  uv_loop_t loop;
  braid_mediad_t md;
  dh_transport_t *t[DH_MAX]; /* owned; NULL when closed or never made */
  dh_endpoint_t ep[DH_MAX];
  dh_pkt_t q[DH_QMAX];
  size_t head, count;
};

/* ---- the world ------------------------------------------------------------ */

/* A context without transports: loop, maps, md.redis NULL. */
void dh_world_init(dh_world_t *w);
/* Closes the remaining transports and endpoints, lets usrsctp reclaim
 * them, closes the SCTP clock, runs the loop, and checks that nothing is
 * left (maps empty, no association, no open handle). */
void dh_world_cleanup(dh_world_t *w);

/* Transport idx with id `id` on router `router`, registered in
 * md->transports, with a data half (opts may be NULL: the defaults;
 * WebRTC's is_data_channel) and its endpoint; nothing connected yet.
 * Returns the transport. */
dh_transport_t *dh_transport_add(dh_world_t *w, int idx, const char *id, const char *router,
                                 const dh_sctp_opts_t *opts);
/* The same without SCTP (t->data NULL, no endpoint). */
dh_transport_t *dh_transport_add_plain(dh_world_t *w, int idx, const char *id, const char *router);
/* Closes transport idx as its kind would (braid_transport_cleanup(),
 * unregistered, freed); its endpoint stays. */
void dh_transport_close(dh_world_t *w, int idx);

/* Connects transport idx and its endpoint (both sides _connect(), as
 * WebRTC does) and returns once both are connected. */
void dh_connect(dh_world_t *w, int idx);

/* Delivers queued packets (and those they cause) until none is left. */
void dh_pump(dh_world_t *w);
/* Moves the fake clock on by ms in usrsctp's tick steps, pumping in
 * between. */
void dh_advance(dh_world_t *w, int64_t ms);
/* Advances (with a few ms of real sleep each second: usrsctp retransmits
 * only what has been out for about a real round-trip time) until
 * endpoint idx has n messages, or 60 s of fake time passed; then lets
 * things settle. Not a timed assertion: the test checks the count after. */
void dh_wait_msgs(dh_world_t *w, int idx, size_t n);
/* One step of such a wait: 5 ms of real time, then 1 s of fake time.
 * Tests loop on it (at most 60 times) until what they wait for. */
void dh_wait_step(dh_world_t *w);

/* ---- the endpoints -------------------------------------------------------- */

/* Endpoint idx sends one message (copied) and the packets are delivered. */
void dh_ep_send(dh_world_t *w, int idx, uint16_t stream, uint32_t ppid, const void *data,
                size_t len, const braid_sctp_send_opts_t *o);
/* A DATA_CHANNEL_OPEN (RFC 8832) from endpoint idx on stream, label given. */
void dh_ep_send_dcep_open(dh_world_t *w, int idx, uint16_t stream, const char *label);
/* Frees the messages endpoint idx kept so far. */
void dh_ep_clear(dh_world_t *w, int idx);

/* ---- commands through data_handlers.c ------------------------------------- */

/* What a handler answered, decoded. */
typedef struct dh_reply {
  bool ok;
  int32_t code; /* 0 when ok */
  char reason[BRAID_REASON_MAX + 1];
  bool has_stream; /* data_consumer.create */
  uint16_t stream;
  bool has_stats; /* *.stats */
  char stats[BRAID_STATS_JSON_MAX + 1];
} dh_reply_t;

/* data_producer.create: ordered, reliable, label "chat", no protocol, not
 * paused. Strings are literals or borrow the arguments. */
braid_cmd_data_producer_create_t dh_producer_cmd(const char *transport, const char *id,
                                                 uint16_t stream);
/* data_consumer.create: ordered, reliable, not paused. */
braid_cmd_data_consumer_create_t dh_consumer_cmd(const char *transport, const char *id,
                                                 const char *data_producer);

/* Runs the command through its handler; the reply must decode. */
void dh_producer_create(dh_world_t *w, const braid_cmd_data_producer_create_t *c, dh_reply_t *r);
void dh_consumer_create(dh_world_t *w, const braid_cmd_data_consumer_create_t *c, dh_reply_t *r);
/* data_producer.* / data_consumer.* close, pause, resume, stats. */
void dh_ref(dh_world_t *w, braid_cmd_type_t type, const char *id, dh_reply_t *r);

/* The same, failing the test unless the command succeeds; they return the
 * object from md->data_producers / md->data_consumers. */
braid_data_producer_t *dh_add_producer_cmd(dh_world_t *w,
                                           const braid_cmd_data_producer_create_t *c);
braid_data_producer_t *dh_add_producer(dh_world_t *w, const char *transport, const char *id,
                                       uint16_t stream);
braid_data_consumer_t *dh_add_consumer_cmd(dh_world_t *w,
                                           const braid_cmd_data_consumer_create_t *c);
braid_data_consumer_t *dh_add_consumer(dh_world_t *w, const char *transport, const char *id,
                                       const char *data_producer);
void dh_ref_ok(dh_world_t *w, braid_cmd_type_t type, const char *id);

/* md->data_producers / md->data_consumers lookups (NULL when absent). */
braid_data_producer_t *dh_data_producer(dh_world_t *w, const char *id);
braid_data_consumer_t *dh_data_consumer(dh_world_t *w, const char *id);

/* The data half's counters of transport idx. */
const braid_data_transport_stats_t *dh_dstats(dh_world_t *w, int idx);
/* Its association's counters. */
const braid_sctp_assoc_stats_t *dh_astats(dh_world_t *w, int idx);

/* A byte pattern of len bytes from seed. */
void dh_fill(uint8_t *buf, size_t len, uint32_t seed);

#endif
