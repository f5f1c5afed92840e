/*
 * One DTLS 1.2 association of a WebRTC transport (RFC 6347, RFC 5764
 * DTLS-SRTP), on OpenSSL 3.0 through memory BIOs, sans-I/O (STYLE.md
 * rule 24): the caller feeds received datagrams with _receive(), sends what
 * the send callback hands it, and drives retransmission with
 * _get_next_timeout() / _on_timeout().
 *
 * Life of a transport (states as mediasoup's dtlsState names them):
 *
 *   new --_start()--> connecting --handshake, fingerprint ok--> connected
 *                         |                                        |
 *                         +--alert, bad fingerprint, timeout--> failed
 *                         +--close_notify, _shutdown()--------> closed
 *
 * Roles: the caller resolves mediasoup's role rule with
 * braid_dtls_transport_role_from_remote() and picks the role at _new().
 * The remote fingerprint comes from connect's dtlsParameters; it may arrive
 * after the handshake has finished (a ClientHello can beat the connect
 * request): the transport then stays "connecting" until
 * _set_remote_fingerprint() checks the peer's certificate.
 *
 * Once connected, the SRTP master keys exported per RFC 5764 §4.2 are
 * available from braid_dtls_transport_srtp_keys(), and application data
 * (SCTP over DTLS) flows through _send_app() and on_app_data.
 *
 * Memory stays bounded whatever a peer sends: a datagram is checked
 * (braid_dtls_transport_check()) and capped at BRAID_DTLS_MAX_DATAGRAM, the
 * read BIO is emptied after each datagram, everything OpenSSL writes is
 * handed to the send callback before the call returns, and OpenSSL's own
 * queues (reassembly, out-of-order records) are capped by OpenSSL and by
 * the certificate-list limit set in dtls_cert.c.
 *
 * Clock: the caller's now_ms is used to express OpenSSL's retransmission
 * timer as a deadline in the caller's clock. OpenSSL 3.0 itself measures
 * that timer with gettimeofday() and has no hook to replace it, so a
 * retransmission happens only when the caller's deadline has passed AND
 * the real time has: callers must use a clock that runs at real speed
 * (braid_clock_mono_ms()), and tests that lose packets must really wait.
 * OpenSSL also retransmits by itself inside _receive() when its timer has
 * expired by then; that is harmless (the peer drops duplicates).
 *
 * Not thread-safe: one transport is used by one thread (its loop).
 */
#ifndef BRAID_MEDIAD_SEC_DTLS_TRANSPORT_H
#define BRAID_MEDIAD_SEC_DTLS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/str.h"
#include "mediad/sec/dtls_cert.h"

/* Largest datagram we send (the UDP payload), as mediasoup: OpenSSL sizes
 * every record to fit, and each record is sent as a datagram of its own.
 * A transport may be given a smaller MTU, down to the smallest OpenSSL
 * accepts. */
#define BRAID_DTLS_MTU     1350
#define BRAID_DTLS_MTU_MIN 256
/* Longest fragment of a DTLS record (RFC 6347 §4.1: 2^14 + 2048 bytes),
 * and the longest datagram we accept: one such record with its 13-byte
 * header. A larger datagram is dropped unread. */
#define BRAID_DTLS_MAX_RECORD_LEN (16384 + 2048)
#define BRAID_DTLS_MAX_DATAGRAM   (13 + BRAID_DTLS_MAX_RECORD_LEN)
/* Retransmission timer: first timeout, doubled on every retransmission up
 * to the maximum. OpenSSL fails the handshake after 12 retransmissions of
 * a flight (about 24 s with these values). */
#define BRAID_DTLS_TIMEOUT_INITIAL_MS 100
#define BRAID_DTLS_TIMEOUT_MAX_MS     3000

typedef enum braid_dtls_role {
  BRAID_DTLS_ROLE_CLIENT = 1,
  BRAID_DTLS_ROLE_SERVER,
} braid_dtls_role_t;

typedef enum braid_dtls_state {
  BRAID_DTLS_STATE_NEW = 0,
  BRAID_DTLS_STATE_CONNECTING,
  BRAID_DTLS_STATE_CONNECTED,
  BRAID_DTLS_STATE_FAILED,
  BRAID_DTLS_STATE_CLOSED,
} braid_dtls_state_t;

/* DTLS-SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2), as bits
 * so that a set of them can be offered. Preference order (ours, as the
 * server, wins): the order below. */
typedef enum braid_dtls_srtp_suite {
  BRAID_DTLS_SRTP_NONE = 0,
  BRAID_DTLS_SRTP_AEAD_AES_256_GCM = 1 << 0,
  BRAID_DTLS_SRTP_AEAD_AES_128_GCM = 1 << 1,
  BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_80 = 1 << 2,
  BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_32 = 1 << 3,
} braid_dtls_srtp_suite_t;

#define BRAID_DTLS_SRTP_ALL 0x0fu

#define BRAID_DTLS_SRTP_KEY_MAX  32 /* AES-256 */
#define BRAID_DTLS_SRTP_SALT_MAX 14 /* AES-CM; the GCM suites use 12 */

/* SRTP master keys of an association, in libsrtp's layout (key then salt,
 * key_len + salt_len bytes). "local" protects what we send, "remote"
 * unprotects what we receive: the client's write key is the client's local
 * and the server's remote key. */
typedef struct braid_dtls_srtp_keys {
  braid_dtls_srtp_suite_t suite;
  size_t key_len, salt_len;
  uint8_t local[BRAID_DTLS_SRTP_KEY_MAX + BRAID_DTLS_SRTP_SALT_MAX];
  uint8_t remote[BRAID_DTLS_SRTP_KEY_MAX + BRAID_DTLS_SRTP_SALT_MAX];
} braid_dtls_srtp_keys_t;

/* Counters (STYLE.md rule 11: counters, not logs, for bad input). */
typedef struct braid_dtls_transport_stats {
  uint64_t rx_datagrams;   /* datagrams handed to OpenSSL */
  uint64_t rx_malformed;   /* dropped by braid_dtls_transport_check() */
  uint64_t rx_rejected;    /* dropped: not started, closed, failed, or re-entrant call */
  uint64_t rx_app_dropped; /* application records before the fingerprint was checked */
  uint64_t tx_datagrams;
  uint64_t app_rx, app_tx; /* application records delivered / sent */
  uint64_t retransmits;    /* timeouts that resent a flight */
} braid_dtls_transport_stats_t;

typedef struct braid_dtls_transport braid_dtls_transport_t;

/*
 * Callbacks, copied at _new(). All are called from inside the transport's
 * functions (never from OpenSSL's own stack), on the caller's thread:
 *
 * send         Many times: one datagram (one DTLS record) to send to the
 *              peer, at most the MTU (opts.mtu) long. data
 *              is borrowed until the callback returns. It may call only
 *              braid_dtls_transport_free() (deferred, below) and the
 *              getters; anything else returns BRAID_ESTATE. Required.
 * on_state     Once per state change, including the change to "connecting"
 *              made by _start() and to "closed" made by _shutdown(). May
 *              call _send_app() (when connected), _shutdown() and _free().
 *              May be NULL.
 * on_app_data  Once per application record received while connected; data
 *              is borrowed until the callback returns. May call
 *              _send_app(), _shutdown() and _free(). May be NULL (the data
 *              is then dropped).
 *
 * Callbacks return nothing: the way to stop a transport from a callback is
 * to free it (STYLE.md rule 20): braid_dtls_transport_free() called inside
 * a callback only marks the transport; no further callback is made, and
 * the memory is freed when the outermost transport function returns.
 * That function's caller must then not touch the transport again.
 */
typedef struct braid_dtls_transport_callbacks {
  void (*send)(braid_dtls_transport_t *t, const uint8_t *data, size_t len, void *user_data);
  void (*on_state)(braid_dtls_transport_t *t, braid_dtls_state_t state, void *user_data);
  void (*on_app_data)(braid_dtls_transport_t *t, const uint8_t *data, size_t len, void *user_data);
} braid_dtls_transport_callbacks_t;

/* Options; a zero field takes the default. */
typedef struct braid_dtls_transport_opts {
  unsigned srtp_suites;        /* OR of braid_dtls_srtp_suite_t; 0 = all four */
  unsigned initial_timeout_ms; /* 0 = BRAID_DTLS_TIMEOUT_INITIAL_MS */
  unsigned max_timeout_ms;     /* 0 = BRAID_DTLS_TIMEOUT_MAX_MS; initial..60000 (RFC 6347) */
  unsigned mtu;                /* 0 = BRAID_DTLS_MTU; BRAID_DTLS_MTU_MIN..BRAID_DTLS_MTU */
} braid_dtls_transport_opts_t;

/* mediasoup's role rule for connect's dtlsParameters.role: a remote
 * "client" makes us the server; "server" and "auto" make us the client.
 * remote_role is borrowed for the call. Returns 0 or BRAID_EINVAL. */
int braid_dtls_transport_role_from_remote(braid_str_t remote_role, braid_dtls_role_t *out);

/* Makes a transport in state "new". cert is borrowed and must outlive the
 * transport; cb is copied (cb->send must not be NULL); opts may be NULL
 * for the defaults. On success *out owns the transport (free with
 * braid_dtls_transport_free()). Returns 0, BRAID_EINVAL (bad role,
 * callbacks, or an option out of its range) or BRAID_EINTERNAL (OpenSSL
 * failed). */
int braid_dtls_transport_new(braid_dtls_transport_t **out, const braid_dtls_cert_t *cert,
                             braid_dtls_role_t role, const braid_dtls_transport_opts_t *opts,
                             const braid_dtls_transport_callbacks_t *cb, void *user_data);

/* Frees t without sending anything (call _shutdown() first for a
 * close_notify) and wipes its keys. Inside a callback of t the free is
 * deferred (see the callbacks). NULL is a no-op. */
void braid_dtls_transport_free(braid_dtls_transport_t *t);

/* Sets the fingerprint the peer's certificate must have (connect's
 * dtlsParameters.fingerprints[0]). Untrusted strings, borrowed for the
 * call. If the handshake has already finished, checks the peer now, so the
 * callbacks may run (and move t to connected or failed). Returns 0, the
 * codes of braid_dtls_cert_parse_fingerprint() (with *why set when why is
 * not NULL), or BRAID_ESTATE (already set, or called from send). */
int braid_dtls_transport_set_remote_fingerprint(braid_dtls_transport_t *t, braid_str_t algorithm,
                                                braid_str_t value, const char **why);

/* new -> connecting (on_state is called); a client sends its ClientHello.
 * Returns 0, or BRAID_ESTATE (not new, or re-entered from a callback). */
int braid_dtls_transport_start(braid_dtls_transport_t *t, int64_t now_ms);

/* Processes one received datagram (data borrowed for the call). Returns 0
 * when DTLS processed it, even if the association failed or closed as a
 * result (on_state tells), or, with the datagram dropped and counted:
 *   BRAID_ETRUNC, BRAID_EMALFORMED, BRAID_ETOOBIG  see braid_dtls_transport_check();
 *                  also BRAID_EMALFORMED for a protected record shorter than
 *                  the negotiated cipher's overhead (OpenSSL 3.0 would fail
 *                  the association on it, see dtls_transport.c)
 *   BRAID_ESTATE   not started yet, or called from inside a callback of t
 *   BRAID_ECLOSED  the association is closed or failed
 * Callbacks may run (send, on_state, on_app_data). */
int braid_dtls_transport_receive(braid_dtls_transport_t *t, const uint8_t *data, size_t len,
                                 int64_t now_ms);

/* When the caller should call _on_timeout(), in the clock of the now_ms
 * values given to the other calls: an absolute time, or -1 when no timer
 * runs. Changes after each call of _start(), _receive(), _on_timeout(),
 * _send_app() and _set_remote_fingerprint(). */
int64_t braid_dtls_transport_get_next_timeout(const braid_dtls_transport_t *t);

/* Retransmits the last flight if its timer has expired; fails the
 * association after too many. Harmless when called early. Returns 0 or
 * BRAID_ESTATE (called from inside a callback of t). Callbacks may run. */
int braid_dtls_transport_on_timeout(braid_dtls_transport_t *t, int64_t now_ms);

/* Sends one application record (data borrowed for the call). Returns 0,
 * BRAID_ESTATE (not connected, or called from send), BRAID_EINVAL (len 0),
 * BRAID_ETOOBIG (len > braid_dtls_transport_max_app()), or BRAID_EIO
 * (OpenSSL refused; the association may have failed). The send callback
 * runs before this returns. */
int braid_dtls_transport_send_app(braid_dtls_transport_t *t, const uint8_t *data, size_t len);

/* The largest application record that fits in one datagram with the
 * negotiated cipher suite, or 0 when not connected. */
size_t braid_dtls_transport_max_app(const braid_dtls_transport_t *t);

/* Closes the association: when connected, sends a close_notify alert; then
 * moves to closed (on_state runs). No-op when already closed or failed.
 * Returns 0 or BRAID_ESTATE (called from send). */
int braid_dtls_transport_shutdown(braid_dtls_transport_t *t);

braid_dtls_state_t braid_dtls_transport_state(const braid_dtls_transport_t *t);
braid_dtls_role_t braid_dtls_transport_role(const braid_dtls_transport_t *t);
/* Why t failed or closed (static text, e.g. "peer certificate does not
 * match the fingerprint"), or NULL. */
const char *braid_dtls_transport_reason(const braid_dtls_transport_t *t);
/* The SRTP keys once connected (borrowed: valid as long as t), or NULL
 * before, or when the peer negotiated no SRTP profile (a data-channel-only
 * peer). */
const braid_dtls_srtp_keys_t *braid_dtls_transport_srtp_keys(const braid_dtls_transport_t *t);
const braid_dtls_transport_stats_t *braid_dtls_transport_stats(const braid_dtls_transport_t *t);

/* mediasoup's name of a suite ("AEAD_AES_256_GCM", ...), or NULL. */
const char *braid_dtls_transport_suite_name(braid_dtls_srtp_suite_t suite);
/* mediasoup's name of a state ("new", "connecting", ...), or NULL. */
const char *braid_dtls_transport_state_name(braid_dtls_state_t state);

/*
 * Checks that a datagram is a sequence of whole DTLS records, before
 * OpenSSL sees it (RFC 6347 §4.1; see the diagram in dtls_transport.c).
 * Each record: content type 20..23, version 254.255 (DTLS 1.0, used in
 * hellos) or 254.253 (DTLS 1.2), a length of at most 2^14 + 2048, and its
 * fragment inside the datagram. Returns the number of records (>= 1), or
 *   BRAID_ETRUNC      empty, or ends inside a header or a fragment
 *   BRAID_EMALFORMED  an unknown content type or version
 *   BRAID_ETOOBIG     len > BRAID_DTLS_MAX_DATAGRAM, or a record too long
 * with *why (if not NULL) set to a static reason. Never reads past len,
 * never allocates; reentrant.
 */
int braid_dtls_transport_check(const uint8_t *data, size_t len, const char **why);

#endif
