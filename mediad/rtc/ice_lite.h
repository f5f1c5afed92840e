/*
 * An ICE-lite agent (RFC 8445 §2.5, controlled role) for one WebRTC
 * transport, behaving as mediasoup's IceServer: it answers the peer's
 * Binding requests, learns the tuples (5-tuples) they arrive on, selects
 * the tuple the peer nominates, watches consent freshness, and supports
 * ICE restarts. It is sans-I/O (STYLE.md rule 24): the caller hands it
 * parsed requests with their tuple and the current time, sends the reply
 * it builds, and drives its one timer with braid_ice_lite_get_next_timeout()
 * and braid_ice_lite_on_timeout().
 *
 * States (mediasoup's iceState) and what moves between them:
 *
 *   from                   event                                  to
 *   new, disconnected      a valid check                          connected
 *   new, disconnected,     a valid check that nominates (USE-     completed
 *   connected              CANDIDATE, or a NOMINATION that wins)
 *   connected, completed   consent timeout, or the selected       disconnected
 *                          tuple removed with no other left
 *   any                    braid_ice_lite_close()                 closed (final)
 *
 * Nomination: a request with USE-CANDIDATE (regular nomination) selects
 * its tuple. A request with NOMINATION (renomination, which
 * mediasoup-client asks browsers for with a=ice-options:renomination)
 * selects its tuple only when its value is higher than the highest seen
 * so far; a restart or a disconnection resets that to 0.
 *
 * Consent freshness (RFC 7675, with mediasoup's iceConsentTimeout
 * semantics): when the selected tuple sees no valid Binding request for
 * the consent timeout, the agent forgets every tuple and goes to
 * disconnected. A timeout of 0 disables the check.
 *
 * Not thread-safe; one agent belongs to one loop.
 */
#ifndef BRAID_MEDIAD_RTC_ICE_LITE_H
#define BRAID_MEDIAD_RTC_ICE_LITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/err.h"
#include "common/limits.h"
#include "common/str.h"
#include "mediad/wire/stun_msg.h"

/* Limits (STYLE.md rule 19); they belong in common/limits.h and are
 * defined here only until they move there. */
#ifndef BRAID_ICE_MAX_TUPLES
#define BRAID_ICE_MAX_TUPLES 8 /* tuples per transport (mediasoup's MaxTuples) */
#endif
#define BRAID_ICE_UFRAG_MIN                 4 /* RFC 8839 §5.4: ice-ufrag is 4..256 ice-chars */
#define BRAID_ICE_UFRAG_MAX                 256
#define BRAID_ICE_PWD_MIN                   22 /* ice-pwd is 22..256 ice-chars */
#define BRAID_ICE_PWD_MAX                   256
#define BRAID_ICE_CRED_LEN                  32 /* generated ufrag and pwd: 32 of [0-9a-z], as mediasoup */
#define BRAID_ICE_CONSENT_TIMEOUT_DEFAULT_S 30 /* mediasoup's default iceConsentTimeout */
#define BRAID_ICE_CONSENT_TIMEOUT_MIN_S     10 /* non-zero values are clamped to 10..60 */
#define BRAID_ICE_CONSENT_TIMEOUT_MAX_S     60
/* A reply buffer of this size holds any response the agent builds. */
#define BRAID_ICE_LITE_REPLY_MAX BRAID_STUN_RESPONSE_MAX

typedef struct braid_ice_lite braid_ice_lite_t;

typedef enum braid_ice_state {
  BRAID_ICE_STATE_NEW = 0,
  BRAID_ICE_STATE_CONNECTED,
  BRAID_ICE_STATE_COMPLETED,
  BRAID_ICE_STATE_DISCONNECTED,
  BRAID_ICE_STATE_CLOSED,
} braid_ice_state_t;

enum {
  BRAID_ICE_PROTO_UDP = 1,
  BRAID_ICE_PROTO_TCP = 2,
};

/*
 * A tuple: where a request came from and on what. The agent copies the
 * tuples it learns. Two tuples are the same when family, port, address
 * bytes (4 or 16), protocol and cookie are equal.
 */
typedef struct braid_ice_tuple {
  braid_stun_addr_t remote; /* the peer's address and port */
  uint8_t proto;            /* BRAID_ICE_PROTO_UDP or _TCP */
  uint64_t cookie;          /* the caller's (local socket, TCP connection...):
                               compared, never interpreted */
} braid_ice_tuple_t;

/*
 * Events (STYLE.md rule 21). Every member may be NULL. A callback returns
 * 0 to go on, non-zero to stop: the agent then makes no further callback
 * during the current call, finishes updating its own state, and the call
 * returns BRAID_ECLOSED. Callbacks may read the agent (getters) and may
 * call braid_ice_lite_free() on it, which is deferred until the call
 * returns (STYLE.md rule 20); any other braid_ice_lite_* call on the same
 * agent returns BRAID_ESTATE. Tuple pointers are valid during the callback
 * only.
 */
typedef struct braid_ice_lite_callbacks {
  /* The state changed to connected, completed or disconnected. Called
   * after on_selected_tuple when both happen in one step. */
  int (*on_state)(braid_ice_lite_t *ice, braid_ice_state_t state, void *user_data);
  /* A new tuple is selected (never NULL: losing the selected tuple without
   * a replacement is reported as the disconnected state). */
  int (*on_selected_tuple)(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple, void *user_data);
  /* A tuple was validated by a check (the single-port server maps it to
   * the transport) or forgotten (evicted over BRAID_ICE_MAX_TUPLES, removed
   * by the caller, or dropped when consent expired). */
  int (*on_tuple_added)(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple, void *user_data);
  int (*on_tuple_removed)(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple, void *user_data);
  /* After a restart, the previous username fragment is no longer accepted
   * (the peer used the new credentials, or restarted again): unregister
   * it. ufrag is borrowed for the call. */
  int (*on_ufrag_retired)(braid_ice_lite_t *ice, braid_str_t ufrag, void *user_data);
} braid_ice_lite_callbacks_t;

typedef struct braid_ice_lite_opts {
  /* Local credentials, borrowed for the call; empty: generated (32 random
   * characters of [0-9a-z]). Otherwise 4..256 (ufrag) and 22..256 (pwd)
   * characters of [A-Za-z0-9+/]. */
  braid_str_t ufrag, pwd;
  /* 0 disables the consent check; other values are clamped to 10..60 s.
   * BRAID_ICE_CONSENT_TIMEOUT_DEFAULT_S is mediasoup's default. */
  uint32_t consent_timeout_s;
} braid_ice_lite_opts_t;

typedef struct braid_ice_lite_stats {
  uint64_t rx_requests;   /* Binding and other requests handed in */
  uint64_t valid;         /* answered with a success response */
  uint64_t bad_request;   /* answered 400 */
  uint64_t unauthorized;  /* answered 401 */
  uint64_t role_conflict; /* answered 487 */
  uint64_t ignored;       /* not requests, or a bad FINGERPRINT: no answer */
  uint64_t consent_expired;
  uint64_t tuples_evicted;
} braid_ice_lite_stats_t;

/*
 * Creates an agent in state new. cbs (borrowed: must outlive the agent,
 * typically a static const) and user_data are passed to every callback.
 * Returns 0 and *out (caller frees with braid_ice_lite_free()), or
 * BRAID_EINVAL when a given credential is not valid. Aborts on OOM
 * (braid_xmalloc, STYLE.md rule 13).
 */
int braid_ice_lite_new(braid_ice_lite_t **out, const braid_ice_lite_opts_t *opts,
                       const braid_ice_lite_callbacks_t *cbs, void *user_data);
/* Frees the agent without any callback. NULL is a no-op. Called from one
 * of the agent's callbacks, the free happens when the agent's call returns. */
void braid_ice_lite_free(braid_ice_lite_t *ice);
/* Moves to closed (final) and forgets every tuple, without callbacks.
 * Ignored when called from one of the agent's callbacks (close after the
 * callback returns, or free the agent from it). */
void braid_ice_lite_close(braid_ice_lite_t *ice);

/* What braid_ice_lite_receive() decided about a request. */
typedef enum braid_ice_lite_verdict {
  BRAID_ICE_LITE_VALID = 0,     /* success response in the reply */
  BRAID_ICE_LITE_BAD_REQUEST,   /* 400 in the reply */
  BRAID_ICE_LITE_UNAUTHORIZED,  /* 401 in the reply */
  BRAID_ICE_LITE_ROLE_CONFLICT, /* 487 in the reply */
  BRAID_ICE_LITE_IGNORED,       /* nothing to send */
} braid_ice_lite_verdict_t;

typedef struct braid_ice_lite_reply {
  uint8_t *buf;                     /* borrowed: the caller's buffer for the response */
  size_t cap;                       /* >= BRAID_ICE_LITE_REPLY_MAX */
  size_t len;                       /* out: bytes to send back on the tuple, 0: none */
  braid_ice_lite_verdict_t verdict; /* out */
  const char *why;                  /* out: static reason, NULL when valid */
} braid_ice_lite_reply_t;

/*
 * Handles a STUN message that arrived on tuple at now_ms (msg from
 * braid_stun_msg_parse(), borrowed; reply->buf must not overlap it).
 * Following RFC 8445 §7.3 and mediasoup:
 *   - not a request (indication, response): ignored;
 *   - a request of another method than Binding, or without FINGERPRINT,
 *     PRIORITY (or PRIORITY 0), USERNAME or MESSAGE-INTEGRITY: 400;
 *   - a FINGERPRINT that does not match: ignored (RFC 8489 §7.3: not STUN);
 *   - USERNAME not "<local ufrag>:..." or MESSAGE-INTEGRITY not made with
 *     the local password, for the current credentials and (until the peer
 *     uses the new ones after a restart) the previous ones: 401;
 *   - ICE-CONTROLLED present: 487, authenticated (a lite agent is always
 *     controlled, RFC 8445 §6.1.1, so the peer must take the controlling
 *     role; RFC 8445 §7.2.5.1 makes it switch);
 *   - otherwise a success response with XOR-MAPPED-ADDRESS of the tuple,
 *     MESSAGE-INTEGRITY (with the password that authenticated the
 *     request) and FINGERPRINT; the tuple is learnt and maybe selected,
 *     and callbacks report what changed.
 * Unknown comprehension-required attributes are ignored, as mediasoup and
 * browsers do (no 420).
 *
 * Returns 0 (see reply), or:
 *   BRAID_EINVAL   reply->cap < BRAID_ICE_LITE_REPLY_MAX, or the tuple has
 *                  an unknown family or protocol (nothing done);
 *   BRAID_ECLOSED  the agent is closed (nothing done), or a callback asked
 *                  to stop or freed the agent (reply is still filled in);
 *   BRAID_ESTATE   called from inside one of the agent's callbacks.
 */
int braid_ice_lite_receive(braid_ice_lite_t *ice, const braid_stun_msg_t *msg,
                           const braid_ice_tuple_t *tuple, int64_t now_ms,
                           braid_ice_lite_reply_t *reply);

/*
 * restartIce(): new local credentials (empty strings: generated, as
 * mediasoup's restartIce). The previous credentials stay accepted until a
 * valid request uses the new ones (on_ufrag_retired then reports the old
 * ufrag), so media keeps flowing; tuples, the selected tuple and the state
 * are kept; the highest nomination seen is reset; a running consent timer
 * starts again from now_ms to give the peer time to check. A previous
 * restart's old credentials are retired first (on_ufrag_retired).
 * Returns 0, BRAID_EINVAL (bad credential), BRAID_ECLOSED or BRAID_ESTATE
 * (inside a callback), or BRAID_ECLOSED when a callback stopped.
 */
int braid_ice_lite_restart(braid_ice_lite_t *ice, braid_str_t ufrag, braid_str_t pwd,
                           int64_t now_ms);

/*
 * Forgets a tuple (its TCP connection closed). When it was the selected
 * one, the most recently added remaining tuple is selected instead, or
 * the state goes to disconnected. Returns 0, BRAID_ENOTFOUND (unknown
 * tuple), BRAID_ECLOSED (closed, or a callback stopped) or BRAID_ESTATE.
 */
int braid_ice_lite_remove_tuple(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple,
                                int64_t now_ms);

/*
 * Makes a known tuple the selected one because media (DTLS, RTP, RTCP)
 * arrived on it: mediasoup's answer to peers that switch paths without
 * nominating. Returns 0 (also when it already was), BRAID_ENOTFOUND (not a
 * validated tuple), BRAID_ESTATE (not connected or completed, or inside a
 * callback) or BRAID_ECLOSED.
 */
int braid_ice_lite_force_selected_tuple(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple,
                                        int64_t now_ms);

/*
 * The timer (STYLE.md rule 24): the absolute time in ms at which
 * braid_ice_lite_on_timeout() must be called, or -1 when none is needed.
 * Ask again after every other call.
 */
int64_t braid_ice_lite_get_next_timeout(const braid_ice_lite_t *ice);
/* Handles the timer when now_ms reached it (earlier calls do nothing).
 * Returns 0, BRAID_ECLOSED or BRAID_ESTATE as above. */
int braid_ice_lite_on_timeout(braid_ice_lite_t *ice, int64_t now_ms);

/* Getters; safe from callbacks. Strings and tuples are borrowed from the
 * agent until its next mutating call. */
braid_ice_state_t braid_ice_lite_state(const braid_ice_lite_t *ice);
/* "new", "connected", "completed", "disconnected" or "closed". */
const char *braid_ice_lite_state_name(braid_ice_state_t state);
braid_str_t braid_ice_lite_ufrag(const braid_ice_lite_t *ice);
braid_str_t braid_ice_lite_pwd(const braid_ice_lite_t *ice);
/* The selected tuple, or NULL. */
const braid_ice_tuple_t *braid_ice_lite_selected_tuple(const braid_ice_lite_t *ice);
/* True when tuple was validated by a check (packets from it are ours). */
bool braid_ice_lite_is_valid_tuple(const braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple);
/* The i-th known tuple, most recent first, or NULL when i >= their count. */
const braid_ice_tuple_t *braid_ice_lite_tuple_at(const braid_ice_lite_t *ice, size_t i);
const braid_ice_lite_stats_t *braid_ice_lite_stats(const braid_ice_lite_t *ice);
/* True when a and b are the same tuple (see braid_ice_tuple_t). */
bool braid_ice_lite_tuple_eq(const braid_ice_tuple_t *a, const braid_ice_tuple_t *b);

/*
 * Conversions between a socket address (AF_INET or AF_INET6) and a tuple,
 * for the socket layer. _from_sockaddr returns 0, or BRAID_EINVAL for
 * another family or a short salen. _to_sockaddr fills *ss and *salen and
 * returns 0, or BRAID_EINVAL for an unknown family.
 */
int braid_ice_lite_tuple_from_sockaddr(braid_ice_tuple_t *tuple, const struct sockaddr *sa,
                                       socklen_t salen, uint8_t proto, uint64_t cookie);
int braid_ice_lite_tuple_to_sockaddr(const braid_ice_tuple_t *tuple, struct sockaddr_storage *ss,
                                     socklen_t *salen);

/*
 * Single-port demultiplexing: the local username fragment a request names
 * (the part of USERNAME before the first ':'), without checking its
 * integrity, so the socket layer can find the transport. The result
 * borrows the message bytes. Returns 0, BRAID_EMISSING (no USERNAME),
 * BRAID_EMALFORMED (no ':' or an empty local part); the _request_ variant
 * parses data first and also returns braid_stun_msg_parse()'s errors.
 */
int braid_ice_lite_msg_ufrag(const braid_stun_msg_t *msg, braid_str_t *ufrag);
int braid_ice_lite_request_ufrag(const uint8_t *data, size_t len, braid_str_t *ufrag);

#endif
