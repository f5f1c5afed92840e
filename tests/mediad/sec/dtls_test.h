/*
 * The harness of the DTLS transport tests (dtls_transport*_test.c): one
 * certificate per test binary, and a client and a server transport in one
 * process, each one's send callback queued to the other's receive, driven
 * by a test clock. OpenSSL 3.0 measures its retransmission timer with the
 * real clock (see mediad/sec/dtls_transport.h), so advancing the test clock
 * also sleeps that long; only tests that lose datagrams ever wait.
 * Included once per test binary.
 */
#ifndef BRAID_TESTS_MEDIAD_SEC_DTLS_TEST_H
#define BRAID_TESTS_MEDIAD_SEC_DTLS_TEST_H

#include <stdbool.h>
#include <time.h>

#include "common/err.h"
#include "mediad/sec/dtls_transport.h"
#include "tests/test.h"

/* One certificate per test binary, made before main() so that every forked
 * test inherits it. Both peers use it; fingerprint checks still compare the
 * certificate received with the expected value, which is all they do. */

static braid_dtls_cert_t *cert;

__attribute__((constructor)) static void make_cert(void) {
  if (braid_dtls_cert_new(&cert) != 0) abort();
}

__attribute__((destructor)) static void free_cert(void) { braid_dtls_cert_free(cert); }

static inline const char *our_sha256(void) {
  return braid_dtls_cert_fingerprints(cert)[BRAID_DTLS_HASH_SHA256].value;
}

/* --- A two-peer network with a queue, loss and a clock. ----------------- */

enum { CLIENT = 0, SERVER = 1, QMAX = 512 };

typedef struct net net_t;

typedef struct peer {
  net_t *net;
  int idx;
  braid_dtls_transport_t *t;
  braid_dtls_state_t states[8];
  int nstates;
  uint8_t app[16384];
  size_t app_len;
  int app_count;
  int sent;           /* datagrams sent */
  int max_records;    /* most records seen in one datagram */
  bool free_on_state; /* free t when it reaches free_state */
  braid_dtls_state_t free_state;
  bool free_on_send;
  bool free_on_app;
  bool echo_app; /* answer every record with the same bytes */
} peer_t;

typedef struct dgram {
  int to;
  size_t len;
  uint8_t data[BRAID_DTLS_MTU];
} dgram_t;

struct net {
  peer_t p[2];
  dgram_t *q; /* QMAX slots, a ring */
  int qhead, qlen;
  int64_t now;
  int drop_from;      /* peer whose datagrams are dropped, or -1 */
  unsigned drop_mask; /* bit n: drop that peer's datagram number n */
  int dropped;
  int delivered;   /* datagrams delivered so far */
  int stall_at;    /* before delivering this one, stall (-1: never) */
  int stall_ms;    /* for this long (test clock and real time) */
  int timer_waits; /* times run() had to wait for a timer */
};

static inline void on_send(braid_dtls_transport_t *t, const uint8_t *data, size_t len, void *ud) {
  peer_t *p = ud;
  net_t *net = p->net;
  ASSERT(t == p->t);
  ASSERT(len > 0 && len <= BRAID_DTLS_MTU);
  int records = braid_dtls_transport_check(data, len, NULL);
  ASSERT(records >= 1);
  if (records > p->max_records) p->max_records = records;
  int n = p->sent++;
  if (p->free_on_send) {
    braid_dtls_transport_free(t);
    p->t = NULL;
    return;
  }
  if (net->drop_from == p->idx && n < 32 && (net->drop_mask >> n & 1u)) {
    net->dropped++;
    return;
  }
  ASSERT(net->qlen < QMAX);
  dgram_t *d = &net->q[(net->qhead + net->qlen++) % QMAX];
  d->to = 1 - p->idx;
  d->len = len;
  memcpy(d->data, data, len);
}

static inline void on_state(braid_dtls_transport_t *t, braid_dtls_state_t s, void *ud) {
  peer_t *p = ud;
  ASSERT(t == p->t);
  ASSERT(p->nstates < 8);
  ASSERT(braid_dtls_transport_state(t) == s);
  p->states[p->nstates++] = s;
  if (p->free_on_state && s == p->free_state) {
    braid_dtls_transport_free(t);
    p->t = NULL;
  }
}

static inline void on_app(braid_dtls_transport_t *t, const uint8_t *data, size_t len, void *ud) {
  peer_t *p = ud;
  ASSERT(t == p->t);
  ASSERT(p->app_len + len <= sizeof(p->app));
  memcpy(p->app + p->app_len, data, len);
  p->app_len += len;
  p->app_count++;
  if (p->echo_app) ASSERT_EQ(braid_dtls_transport_send_app(t, data, len), 0);
  if (p->free_on_app) {
    braid_dtls_transport_free(t);
    p->t = NULL;
  }
}

static const braid_dtls_transport_callbacks_t callbacks = {on_send, on_state, on_app};

/* Makes both peers; NULL opts are the defaults; NULL fingerprints are not
 * set. */
static inline void net_init(net_t *net, const braid_dtls_transport_opts_t *copts,
                            const braid_dtls_transport_opts_t *sopts, const char *client_expects,
                            const char *server_expects) {
  memset(net, 0, sizeof(*net));
  net->q = calloc(QMAX, sizeof(dgram_t));
  ASSERT(net->q != NULL);
  net->now = 1000000;
  net->drop_from = -1;
  net->stall_at = -1;
  for (int i = 0; i < 2; i++) {
    peer_t *p = &net->p[i];
    p->net = net;
    p->idx = i;
    ASSERT_EQ(braid_dtls_transport_new(
                  &p->t, cert, i == CLIENT ? BRAID_DTLS_ROLE_CLIENT : BRAID_DTLS_ROLE_SERVER,
                  i == CLIENT ? copts : sopts, &callbacks, p),
              0);
    ASSERT_EQ(braid_dtls_transport_state(p->t), BRAID_DTLS_STATE_NEW);
    const char *fp = i == CLIENT ? client_expects : server_expects;
    if (fp != NULL)
      ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(p->t, BRAID_STR_LIT("sha-256"),
                                                            braid_str_c(fp), NULL),
                0);
  }
}

static inline void net_cleanup(net_t *net) {
  for (int i = 0; i < 2; i++)
    braid_dtls_transport_free(net->p[i].t);
  free(net->q);
}

static inline void net_start(net_t *net) {
  ASSERT_EQ(braid_dtls_transport_start(net->p[SERVER].t, net->now), 0);
  ASSERT_EQ(braid_dtls_transport_start(net->p[CLIENT].t, net->now), 0);
}

static inline void sleep_ms(int64_t ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* Delivers queued datagrams until none is left; returns how many. */
static inline int pump(net_t *net) {
  int n = 0;
  while (net->qlen > 0) {
    dgram_t d = net->q[net->qhead];
    net->qhead = (net->qhead + 1) % QMAX;
    net->qlen--;
    peer_t *to = &net->p[d.to];
    if (net->delivered++ == net->stall_at) {
      sleep_ms(net->stall_ms);
      net->now += net->stall_ms;
    }
    if (to->t != NULL) (void)braid_dtls_transport_receive(to->t, d.data, d.len, net->now);
    n++;
  }
  return n;
}

static inline bool settled(const peer_t *p) {
  if (p->t == NULL) return true;
  braid_dtls_state_t s = braid_dtls_transport_state(p->t);
  return s != BRAID_DTLS_STATE_NEW && s != BRAID_DTLS_STATE_CONNECTING;
}

/* Runs the network until both peers have settled or no timer is left or
 * max_ms of test time have passed. Advances the clock to each timeout
 * (sleeping as long, for OpenSSL's real-time timer). */
static inline void run(net_t *net, int64_t max_ms) {
  int64_t end = net->now + max_ms;
  for (;;) {
    pump(net);
    if (settled(&net->p[0]) && settled(&net->p[1])) return;
    int64_t next = -1;
    for (int i = 0; i < 2; i++) {
      if (net->p[i].t == NULL) continue;
      int64_t d = braid_dtls_transport_get_next_timeout(net->p[i].t);
      if (d >= 0 && (next < 0 || d < next)) next = d;
    }
    if (next < 0 || next > end) return;
    net->timer_waits++;
    if (next > net->now) {
      sleep_ms(next - net->now);
      net->now = next;
    }
    for (int i = 0; i < 2; i++)
      if (net->p[i].t != NULL) ASSERT_EQ(braid_dtls_transport_on_timeout(net->p[i].t, net->now), 0);
  }
}

static inline void assert_connected(const peer_t *p) {
  ASSERT(p->t != NULL);
  ASSERT_STR_EQ(braid_dtls_transport_state_name(braid_dtls_transport_state(p->t)), "connected");
  ASSERT_EQ(p->nstates, 2);
  ASSERT_EQ(p->states[0], BRAID_DTLS_STATE_CONNECTING);
  ASSERT_EQ(p->states[1], BRAID_DTLS_STATE_CONNECTED);
}

/* Both connected with keys of suite; each one's local key is the other's
 * remote key. */
static inline void assert_keys(const net_t *net, braid_dtls_srtp_suite_t suite) {
  const braid_dtls_srtp_keys_t *c = braid_dtls_transport_srtp_keys(net->p[CLIENT].t);
  const braid_dtls_srtp_keys_t *s = braid_dtls_transport_srtp_keys(net->p[SERVER].t);
  ASSERT(c != NULL && s != NULL);
  ASSERT_EQ(c->suite, suite);
  ASSERT_EQ(s->suite, suite);
  size_t kl = suite == BRAID_DTLS_SRTP_AEAD_AES_256_GCM ? 32 : 16;
  size_t sl =
      suite & (BRAID_DTLS_SRTP_AEAD_AES_256_GCM | BRAID_DTLS_SRTP_AEAD_AES_128_GCM) ? 12 : 14;
  ASSERT_EQ(c->key_len, kl);
  ASSERT_EQ(c->salt_len, sl);
  ASSERT_EQ(s->key_len, kl);
  ASSERT_EQ(s->salt_len, sl);
  ASSERT_MEM_EQ(c->local, s->remote, kl + sl);
  ASSERT_MEM_EQ(c->remote, s->local, kl + sl);
  ASSERT(memcmp(c->local, c->remote, kl + sl) != 0);
  static const uint8_t zero[BRAID_DTLS_SRTP_KEY_MAX + BRAID_DTLS_SRTP_SALT_MAX];
  ASSERT(memcmp(c->local, zero, kl) != 0);
  ASSERT(memcmp(c->local + kl, zero, sl) != 0);
}

/* Handshake with the defaults; returns with both connected. */
static inline void connect_pair(net_t *net) {
  net_init(net, NULL, NULL, our_sha256(), our_sha256());
  net_start(net);
  run(net, 5000);
  assert_connected(&net->p[CLIENT]);
  assert_connected(&net->p[SERVER]);
}

/* --- Bad input helpers. --------------------------------------------------- */

static uint32_t rng_state = 12345;
static inline uint32_t rng(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return rng_state >> 8;
}

/* A record with a valid header and random contents, epoch 1: OpenSSL drops
 * it when its authentication fails. */
static inline size_t forged_record(uint8_t *d, uint8_t type, size_t body) {
  d[0] = type;
  d[1] = 0xfe;
  d[2] = 0xfd;
  d[3] = 0x00;
  d[4] = 0x01;
  for (int i = 5; i < 11; i++)
    d[i] = (uint8_t)rng();
  d[11] = (uint8_t)(body >> 8);
  d[12] = (uint8_t)body;
  for (size_t i = 0; i < body; i++)
    d[13 + i] = (uint8_t)rng();
  return 13 + body;
}

#endif
