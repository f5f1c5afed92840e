/*
 * Test harness for mediad/rtc/ice_lite.c, shared by ice_lite_test.c
 * (credentials, Binding checks, nomination, refusals, wire helpers) and
 * ice_lite_consent_test.c (consent freshness, ICE restart, the tuple set,
 * callback contracts and close): the agent's credentials, crafted Binding
 * requests, a recording of the callbacks, and helpers that hand a request
 * to the agent and check the reply.
 *
 * Everything is static, so each test file that includes this
 * header gets its own copy and nothing needs to be linked in besides
 * mediad/rtc/ice_lite.c and the STUN wire layer.
 *
 * Every helper fails the running test (BRAID_TEST_FAIL, exit 1) when
 * something it needs does not work, so tests call them without checks.
 * Tests run in forked children (tests/test.h), so the helpers' static
 * counters start afresh in every test.
 */
#ifndef BRAID_TESTS_MEDIAD_RTC_ICE_LITE_HARNESS_H
#define BRAID_TESTS_MEDIAD_RTC_ICE_LITE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/rtc/ice_lite.h"

#include "tests/test.h"

/* The agent's own credentials, as agent() creates it. */
static const char UFRAG[] = "localufrag0123456789abcdefghijkl"; /* 32 */
static const char PWD[] = "localpassword0123456789abcdefghi";   /* 32 */

/* --- Crafted requests. --- */

typedef struct req {
  const char *username; /* NULL: none */
  const char *pwd;      /* key of MESSAGE-INTEGRITY; NULL: none */
  uint32_t priority;    /* 0: no PRIORITY attribute */
  bool zero_priority;   /* PRIORITY present with value 0 */
  bool use_candidate;
  bool has_nomination;
  uint32_t nomination;
  bool controlled; /* ICE-CONTROLLED instead of ICE-CONTROLLING */
  bool no_fingerprint;
  bool bad_fingerprint;
  uint16_t method; /* 0: Binding */
  uint8_t cls;     /* BRAID_STUN_CLASS_* (0: request) */
} req_t;

/* Serialises r into buf (cap bytes) with a fresh transaction id; returns
 * its length. */
static inline size_t build(uint8_t *buf, size_t cap, const req_t *r) {
  static uint8_t next_tid = 1;
  uint8_t tid[12];
  memset(tid, next_tid++, sizeof tid);
  braid_stun_writer_t w;
  ASSERT_EQ(braid_stun_writer_init(&w, buf, cap, r->method ? r->method : BRAID_STUN_METHOD_BINDING,
                                   r->cls, tid),
            0);
  if (r->username != NULL)
    ASSERT_EQ(
        braid_stun_writer_attr(&w, BRAID_STUN_ATTR_USERNAME, r->username, strlen(r->username)), 0);
  ASSERT_EQ(braid_stun_writer_u64(&w,
                                  r->controlled ? BRAID_STUN_ATTR_ICE_CONTROLLED
                                                : BRAID_STUN_ATTR_ICE_CONTROLLING,
                                  0x0102030405060708ull),
            0);
  if (r->use_candidate)
    ASSERT_EQ(braid_stun_writer_attr(&w, BRAID_STUN_ATTR_USE_CANDIDATE, NULL, 0), 0);
  if (r->priority != 0 || r->zero_priority)
    ASSERT_EQ(braid_stun_writer_u32(&w, BRAID_STUN_ATTR_PRIORITY, r->priority), 0);
  if (r->has_nomination)
    ASSERT_EQ(braid_stun_writer_u32(&w, BRAID_STUN_ATTR_NOMINATION, r->nomination), 0);
  if (r->pwd != NULL)
    ASSERT_EQ(braid_stun_writer_integrity(&w, (const uint8_t *)r->pwd, strlen(r->pwd)), 0);
  if (!r->no_fingerprint) {
    ASSERT_EQ(braid_stun_writer_fingerprint(&w), 0);
    if (r->bad_fingerprint) buf[w.len - 1] ^= 1;
  }
  return w.len;
}

/* A valid check for the agent's current credentials. */
static inline req_t check(const char *ufrag, const char *pwd) {
  static char usernames[8][300]; /* a few requests may be alive at once */
  static unsigned next;
  char *username = usernames[next++ % 8];
  snprintf(username, sizeof usernames[0], "%s:remote", ufrag);
  return (req_t){.username = username, .pwd = pwd, .priority = 1853824767};
}

/* A UDP tuple from 192.168.1.<last>:<port> on socket cookie 7. */
static inline braid_ice_tuple_t udp4(uint8_t last, uint16_t port) {
  braid_ice_tuple_t t = {
      {BRAID_STUN_FAMILY_IPV4, port, {192, 168, 1, last}}, BRAID_ICE_PROTO_UDP, 7};
  return t;
}

/* --- A recording of the callbacks. --- */

enum { EV_STATE = 1, EV_SELECTED, EV_ADDED, EV_REMOVED, EV_RETIRED };

typedef struct ev {
  int kind;
  braid_ice_state_t state;
  braid_ice_tuple_t tuple;
  char ufrag[BRAID_ICE_UFRAG_MAX + 1];
} ev_t;

typedef struct rec {
  ev_t ev[64];
  size_t n;
  int stop_on;  /* an event kind whose callback returns 1 */
  int free_on;  /* an event kind whose callback frees the agent */
  bool reenter; /* callbacks try a mutating call */
  int reenter_rc;
} rec_t;

/* Records e; makes the re-entrant call or frees the agent as r asks. */
static inline int record(braid_ice_lite_t *ice, rec_t *r, ev_t e) {
  ASSERT(r->n < 64);
  r->ev[r->n++] = e;
  if (r->reenter)
    r->reenter_rc = braid_ice_lite_restart(ice, (braid_str_t){0}, (braid_str_t){0}, 0);
  if (r->free_on == e.kind) braid_ice_lite_free(ice);
  return r->stop_on == e.kind;
}

static inline int on_state(braid_ice_lite_t *ice, braid_ice_state_t s, void *ud) {
  /* Getters are safe from callbacks. */
  ASSERT_EQ(braid_ice_lite_state(ice), s);
  return record(ice, ud, (ev_t){.kind = EV_STATE, .state = s});
}

static inline int on_selected(braid_ice_lite_t *ice, const braid_ice_tuple_t *t, void *ud) {
  ASSERT(braid_ice_lite_selected_tuple(ice) != NULL);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), t));
  return record(ice, ud, (ev_t){.kind = EV_SELECTED, .tuple = *t});
}

static inline int on_added(braid_ice_lite_t *ice, const braid_ice_tuple_t *t, void *ud) {
  return record(ice, ud, (ev_t){.kind = EV_ADDED, .tuple = *t});
}

static inline int on_removed(braid_ice_lite_t *ice, const braid_ice_tuple_t *t, void *ud) {
  return record(ice, ud, (ev_t){.kind = EV_REMOVED, .tuple = *t});
}

static inline int on_retired(braid_ice_lite_t *ice, braid_str_t ufrag, void *ud) {
  ev_t e = {.kind = EV_RETIRED};
  ASSERT(ufrag.len < sizeof e.ufrag);
  memcpy(e.ufrag, ufrag.p, ufrag.len);
  return record(ice, ud, e);
}

/* A new agent with UFRAG/PWD and a consent timeout of consent_s seconds
 * (0: none), whose callbacks record into r (borrowed: must outlive it). */
static inline braid_ice_lite_t *agent(rec_t *r, uint32_t consent_s) {
  static const braid_ice_lite_callbacks_t cbs = {on_state, on_selected, on_added, on_removed,
                                                 on_retired};
  braid_ice_lite_opts_t o = {BRAID_STR_LIT(UFRAG), BRAID_STR_LIT(PWD), consent_s};
  braid_ice_lite_t *ice = NULL;
  ASSERT_EQ(braid_ice_lite_new(&ice, &o, &cbs, r), 0);
  return ice;
}

/* Sends r from tuple t at now; returns the verdict, checks the reply. */
static inline braid_ice_lite_verdict_t send_req(braid_ice_lite_t *ice, const req_t *r,
                                                const braid_ice_tuple_t *t, int64_t now,
                                                braid_stun_msg_t *resp) {
  uint8_t in[512], out[BRAID_ICE_LITE_REPLY_MAX];
  static uint8_t keep[BRAID_ICE_LITE_REPLY_MAX];
  size_t n = build(in, sizeof in, r);
  braid_stun_msg_t msg;
  ASSERT_EQ(braid_stun_msg_parse(&msg, in, n, NULL), 0);
  braid_ice_lite_reply_t reply = {.buf = out, .cap = sizeof out};
  ASSERT_EQ(braid_ice_lite_receive(ice, &msg, t, now, &reply), 0);
  if (reply.verdict == BRAID_ICE_LITE_VALID)
    ASSERT(reply.why == NULL);
  else
    ASSERT(reply.why != NULL);
  if (reply.verdict == BRAID_ICE_LITE_IGNORED) {
    ASSERT_EQ(reply.len, 0);
    return reply.verdict;
  }
  ASSERT(reply.len > 0);
  memcpy(keep, out, reply.len);
  braid_stun_msg_t m;
  ASSERT_EQ(braid_stun_msg_parse(&m, keep, reply.len, NULL), 0);
  ASSERT_MEM_EQ(m.tid, msg.tid, 12);
  ASSERT_EQ(m.method, msg.method);
  ASSERT_EQ(braid_stun_msg_check_fingerprint(&m), 0);
  if (resp != NULL) *resp = m;
  return reply.verdict;
}

/* Hands r to the agent and returns what braid_ice_lite_receive() did. */
static inline int receive_rc(braid_ice_lite_t *ice, const req_t *r, const braid_ice_tuple_t *t,
                             braid_ice_lite_reply_t *reply) {
  static uint8_t in[512], out[BRAID_ICE_LITE_REPLY_MAX];
  size_t n = build(in, sizeof in, r);
  braid_stun_msg_t msg;
  ASSERT_EQ(braid_stun_msg_parse(&msg, in, n, NULL), 0);
  *reply = (braid_ice_lite_reply_t){.buf = out, .cap = sizeof out};
  return braid_ice_lite_receive(ice, &msg, t, 0, reply);
}

/* Fails the test unless event i of r is of this kind. */
static inline void expect(const rec_t *r, size_t i, int kind) {
  if (i >= r->n) BRAID_TEST_FAIL("event %zu missing (have %zu)", i, r->n);
  if (r->ev[i].kind != kind) BRAID_TEST_FAIL("event %zu is %d, want %d", i, r->ev[i].kind, kind);
}

/* The code of an error response m; fails the test if it is not one. */
static inline uint16_t error_code(const braid_stun_msg_t *m) {
  uint16_t code = 0;
  braid_str_t reason;
  ASSERT_EQ(m->cls, BRAID_STUN_CLASS_ERROR);
  ASSERT_EQ(braid_stun_msg_error_code(m, &code, &reason), 0);
  return code;
}

#endif
