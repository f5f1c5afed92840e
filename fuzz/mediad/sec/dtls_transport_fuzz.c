/*
 * Fuzzer of a server-side DTLS transport (mediad/sec/dtls_transport.c):
 * arbitrary datagrams, timeouts and API calls, fed to a server that is
 * fresh, mid-handshake (it has answered a real ClientHello from our own
 * client) or connected (after a real handshake).
 *
 * Input:
 *   byte 0         mode: FUZZ_DTLS_FRESH, _MID or _CONNECTED (mod 3)
 *   then, repeated:
 *     u16 h        if h & 0x8000, an operation (h & 3): 0 timeout,
 *                  1 send application data, 2 shutdown, 3 one round trip
 *                  with our real client; otherwise a datagram of
 *                  min(h, what is left) bytes follows
 *
 * Checks: no crash or leak (sanitizers), every datagram the server sends
 * is whole records within the MTU, states only move forward, and a
 * connected transport has keys.
 */
#include "fuzz/mediad/sec/dtls_fuzz.h"

#include <stdlib.h>

#include "common/err.h"

static braid_dtls_cert_t *cert;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  BRAID_ASSERT(braid_dtls_cert_new(&cert) == 0);
  return 0;
}

/* The server's last state, for on_state (reset for every input). */
static braid_dtls_state_t last_state;

static void on_state(braid_dtls_transport_t *t, braid_dtls_state_t s, void *ud) {
  (void)ud;
  /* new -> connecting -> connected -> failed/closed; never back. */
  static const unsigned allowed_from[] = {
      [BRAID_DTLS_STATE_CONNECTING] = 1u << BRAID_DTLS_STATE_NEW,
      [BRAID_DTLS_STATE_CONNECTED] = 1u << BRAID_DTLS_STATE_CONNECTING,
      [BRAID_DTLS_STATE_FAILED] =
          1u << BRAID_DTLS_STATE_CONNECTING | 1u << BRAID_DTLS_STATE_CONNECTED,
      [BRAID_DTLS_STATE_CLOSED] = 1u << BRAID_DTLS_STATE_NEW | 1u << BRAID_DTLS_STATE_CONNECTING |
                                  1u << BRAID_DTLS_STATE_CONNECTED,
  };
  BRAID_ASSERT(s > BRAID_DTLS_STATE_NEW && s <= BRAID_DTLS_STATE_CLOSED);
  BRAID_ASSERT((allowed_from[s] >> last_state) & 1u);
  BRAID_ASSERT(braid_dtls_transport_state(t) == s);
  if (s == BRAID_DTLS_STATE_FAILED || s == BRAID_DTLS_STATE_CLOSED)
    BRAID_ASSERT(braid_dtls_transport_reason(t) != NULL);
  last_state = s;
}

static void on_app(braid_dtls_transport_t *t, const uint8_t *data, size_t len, void *ud) {
  (void)ud;
  BRAID_ASSERT(braid_dtls_transport_state(t) == BRAID_DTLS_STATE_CONNECTED);
  BRAID_ASSERT(data != NULL && len > 0 && len <= 16384);
}

static void check_invariants(braid_dtls_transport_t *t) {
  braid_dtls_state_t s = braid_dtls_transport_state(t);
  int64_t next = braid_dtls_transport_get_next_timeout(t);
  if (s != BRAID_DTLS_STATE_CONNECTING && s != BRAID_DTLS_STATE_CONNECTED) BRAID_ASSERT(next == -1);
  const braid_dtls_srtp_keys_t *k = braid_dtls_transport_srtp_keys(t);
  if (s == BRAID_DTLS_STATE_CONNECTED) {
    BRAID_ASSERT(k != NULL); /* our client offers every suite */
    BRAID_ASSERT(braid_dtls_transport_suite_name(k->suite) != NULL);
    BRAID_ASSERT(braid_dtls_transport_max_app(t) > 0);
  } else {
    BRAID_ASSERT(k == NULL);
    BRAID_ASSERT(braid_dtls_transport_max_app(t) == 0);
  }
}

static void operate(fuzz_dtls_pair_t *p, unsigned op) {
  braid_dtls_transport_t *t = p->server;
  switch (op & 3u) {
  case 0:
    p->now += 500;
    BRAID_ASSERT(braid_dtls_transport_on_timeout(t, p->now) == 0);
    break;
  case 1: {
    int rc = braid_dtls_transport_send_app(t, (const uint8_t *)"fuzz", 4);
    BRAID_ASSERT(rc == 0 || rc == BRAID_ESTATE || rc == BRAID_EIO);
    break;
  }
  case 2: BRAID_ASSERT(braid_dtls_transport_shutdown(t) == 0); break;
  default:
    fuzz_dtls_deliver(p, &p->to_client, p->client);
    fuzz_dtls_deliver(p, &p->to_server, t);
    break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const braid_dtls_transport_callbacks_t scb = {fuzz_dtls_to_client, on_state, on_app};
  fuzz_dtls_pair_t *p = calloc(1, sizeof(*p));
  BRAID_ASSERT(p != NULL);
  if (size == 0) size = 1, data = (const uint8_t *)"";
  last_state = BRAID_DTLS_STATE_NEW;
  BRAID_ASSERT(fuzz_dtls_pair_init(p, cert, data[0] % FUZZ_DTLS_MODES, &scb) == 0);
  size_t off = 1;
  while (size - off >= 2) {
    unsigned h = (unsigned)(data[off] << 8 | data[off + 1]);
    off += 2;
    if (h & 0x8000u) {
      operate(p, h);
    } else {
      size_t len = h < size - off ? h : size - off;
      int rc = braid_dtls_transport_receive(p->server, data + off, len, p->now);
      BRAID_ASSERT(rc == 0 || braid_err_is_input(rc) || rc == BRAID_ECLOSED);
      off += len;
    }
    check_invariants(p->server);
  }
  fuzz_dtls_pair_cleanup(p);
  free(p);
  return 0;
}
