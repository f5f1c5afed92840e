/*
 * Helpers shared by the DTLS fuzzer and its corpus generator: a client and
 * a server transport of our own, wired through small queues, that can be
 * brought to a fixed point of the handshake before the fuzzer's datagrams
 * are fed to the server. A fuzzer reports a finding by failing a
 * BRAID_ASSERT (abort), which libFuzzer records as a crash.
 */
#ifndef BRAID_FUZZ_MEDIAD_SEC_DTLS_FUZZ_H
#define BRAID_FUZZ_MEDIAD_SEC_DTLS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "mediad/sec/dtls_transport.h"

/* Where the server is when the fuzzer's datagrams start. */
enum {
  FUZZ_DTLS_FRESH = 0,     /* started, has seen nothing */
  FUZZ_DTLS_MID = 1,       /* has answered a real ClientHello */
  FUZZ_DTLS_CONNECTED = 2, /* has finished a real handshake */
  FUZZ_DTLS_MODES = 3,
};

#define FUZZ_DTLS_QMAX 64

typedef struct fuzz_dtls_queue {
  uint8_t data[FUZZ_DTLS_QMAX][BRAID_DTLS_MTU];
  size_t len[FUZZ_DTLS_QMAX];
  int n;
  int dropped;
} fuzz_dtls_queue_t;

typedef struct fuzz_dtls_pair {
  braid_dtls_transport_t *client, *server;
  fuzz_dtls_queue_t to_server, to_client;
  int64_t now;
} fuzz_dtls_pair_t;

static inline void fuzz_dtls_enqueue(fuzz_dtls_queue_t *q, const uint8_t *data, size_t len) {
  BRAID_ASSERT(len > 0 && len <= BRAID_DTLS_MTU);
  BRAID_ASSERT(braid_dtls_transport_check(data, len, NULL) >= 1);
  if (q->n == FUZZ_DTLS_QMAX) {
    q->dropped++; /* a flood of answers: drop, like a network */
    return;
  }
  memcpy(q->data[q->n], data, len);
  q->len[q->n++] = len;
}

static inline void fuzz_dtls_to_server(braid_dtls_transport_t *t, const uint8_t *data, size_t len,
                                       void *ud) {
  (void)t;
  fuzz_dtls_enqueue(&((fuzz_dtls_pair_t *)ud)->to_server, data, len);
}

static inline void fuzz_dtls_to_client(braid_dtls_transport_t *t, const uint8_t *data, size_t len,
                                       void *ud) {
  (void)t;
  fuzz_dtls_enqueue(&((fuzz_dtls_pair_t *)ud)->to_client, data, len);
}

/* Delivers the queued datagrams of q to t, in order, and empties q. */
static inline void fuzz_dtls_deliver(fuzz_dtls_pair_t *p, fuzz_dtls_queue_t *q,
                                     braid_dtls_transport_t *t) {
  int n = q->n;
  q->n = 0;
  for (int i = 0; i < n; i++)
    (void)braid_dtls_transport_receive(t, q->data[i], q->len[i], p->now);
}

static inline bool fuzz_dtls_connected(const fuzz_dtls_pair_t *p) {
  return braid_dtls_transport_state(p->server) == BRAID_DTLS_STATE_CONNECTED &&
         braid_dtls_transport_state(p->client) == BRAID_DTLS_STATE_CONNECTED;
}

/* Sleeps until the earlier timer of the pair and runs both. */
static inline void fuzz_dtls_wait_timers(fuzz_dtls_pair_t *p) {
  int64_t a = braid_dtls_transport_get_next_timeout(p->client);
  int64_t b = braid_dtls_transport_get_next_timeout(p->server);
  int64_t next = a < 0 ? b : b < 0 ? a : a < b ? a : b;
  if (next < 0) return;
  if (next > p->now) {
    struct timespec ts = {(time_t)((next - p->now) / 1000),
                          (long)((next - p->now) % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    p->now = next;
  }
  (void)braid_dtls_transport_on_timeout(p->client, p->now);
  (void)braid_dtls_transport_on_timeout(p->server, p->now);
}

/* Makes the pair and brings it to mode. Returns 0, or -1 if the real
 * handshake did not get there (a bug: the caller asserts). */
static inline int fuzz_dtls_pair_init(fuzz_dtls_pair_t *p, const braid_dtls_cert_t *cert, int mode,
                                      const braid_dtls_transport_callbacks_t *scb) {
  static const braid_dtls_transport_callbacks_t ccb = {fuzz_dtls_to_server, NULL, NULL};
  const char *fp = braid_dtls_cert_fingerprints(cert)[BRAID_DTLS_HASH_SHA256].value;
  memset(p, 0, sizeof(*p));
  p->now = 1000;
  if (braid_dtls_transport_new(&p->server, cert, BRAID_DTLS_ROLE_SERVER, NULL, scb, p) != 0 ||
      braid_dtls_transport_new(&p->client, cert, BRAID_DTLS_ROLE_CLIENT, NULL, &ccb, p) != 0)
    return -1;
  for (int i = 0; i < 2; i++)
    if (braid_dtls_transport_set_remote_fingerprint(
            i ? p->server : p->client, BRAID_STR_LIT("sha-256"), braid_str_c(fp), NULL) != 0)
      return -1;
  if (braid_dtls_transport_start(p->server, p->now) != 0) return -1;
  if (mode == FUZZ_DTLS_FRESH) return 0;
  if (braid_dtls_transport_start(p->client, p->now) != 0) return -1;
  fuzz_dtls_deliver(p, &p->to_server, p->server); /* ClientHello */
  if (mode == FUZZ_DTLS_MID) return 0;
  /* Normally two round trips. Under load, a timer may expire in the
   * middle (OpenSSL's clock is the real one): then wait for the next
   * deadline and let the timers retransmit, a few times at most. */
  for (int round = 0; round < 32 && !(fuzz_dtls_connected(p)); round++) {
    if (p->to_client.n == 0 && p->to_server.n == 0) fuzz_dtls_wait_timers(p);
    fuzz_dtls_deliver(p, &p->to_client, p->client);
    fuzz_dtls_deliver(p, &p->to_server, p->server);
  }
  if (fuzz_dtls_connected(p)) return 0;
  const char *cr = braid_dtls_transport_reason(p->client);
  const char *sr = braid_dtls_transport_reason(p->server);
  braid_log_write(BRAID_LOG_ERROR, "dtls",
                  "fuzz handshake failed: client %d (%s), server %d (%s), dropped %d/%d",
                  braid_dtls_transport_state(p->client), cr ? cr : "-",
                  braid_dtls_transport_state(p->server), sr ? sr : "-", p->to_server.dropped,
                  p->to_client.dropped);
  return -1;
}

static inline void fuzz_dtls_pair_cleanup(fuzz_dtls_pair_t *p) {
  braid_dtls_transport_free(p->client);
  braid_dtls_transport_free(p->server);
}

#endif
