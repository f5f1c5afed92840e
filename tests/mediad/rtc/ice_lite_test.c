/* Unit tests of mediad/rtc/ice_lite.c, driven by crafted Binding requests
 * and a fake clock: connection and nomination, renomination, refusals
 * (400, 401, 487, silent drops), consent freshness, ICE restart, the tuple
 * limit, tuple removal, callback contracts and the single-port ufrag
 * lookup. */
#include "mediad/rtc/ice_lite.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "tests/test.h"

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

static uint8_t next_tid = 1;

static size_t build(uint8_t *buf, size_t cap, const req_t *r) {
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
static req_t check(const char *ufrag, const char *pwd) {
  static char usernames[8][300]; /* a few requests may be alive at once */
  static unsigned next;
  char *username = usernames[next++ % 8];
  snprintf(username, sizeof usernames[0], "%s:remote", ufrag);
  return (req_t){.username = username, .pwd = pwd, .priority = 1853824767};
}

static braid_ice_tuple_t udp4(uint8_t last, uint16_t port) {
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

static int record(braid_ice_lite_t *ice, rec_t *r, ev_t e) {
  ASSERT(r->n < 64);
  r->ev[r->n++] = e;
  if (r->reenter)
    r->reenter_rc = braid_ice_lite_restart(ice, (braid_str_t){0}, (braid_str_t){0}, 0);
  if (r->free_on == e.kind) braid_ice_lite_free(ice);
  return r->stop_on == e.kind;
}

static int on_state(braid_ice_lite_t *ice, braid_ice_state_t s, void *ud) {
  /* Getters are safe from callbacks. */
  ASSERT_EQ(braid_ice_lite_state(ice), s);
  return record(ice, ud, (ev_t){.kind = EV_STATE, .state = s});
}

static int on_selected(braid_ice_lite_t *ice, const braid_ice_tuple_t *t, void *ud) {
  ASSERT(braid_ice_lite_selected_tuple(ice) != NULL);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), t));
  return record(ice, ud, (ev_t){.kind = EV_SELECTED, .tuple = *t});
}

static int on_added(braid_ice_lite_t *ice, const braid_ice_tuple_t *t, void *ud) {
  return record(ice, ud, (ev_t){.kind = EV_ADDED, .tuple = *t});
}

static int on_removed(braid_ice_lite_t *ice, const braid_ice_tuple_t *t, void *ud) {
  return record(ice, ud, (ev_t){.kind = EV_REMOVED, .tuple = *t});
}

static int on_retired(braid_ice_lite_t *ice, braid_str_t ufrag, void *ud) {
  ev_t e = {.kind = EV_RETIRED};
  ASSERT(ufrag.len < sizeof e.ufrag);
  memcpy(e.ufrag, ufrag.p, ufrag.len);
  return record(ice, ud, e);
}

static const braid_ice_lite_callbacks_t cbs = {on_state, on_selected, on_added, on_removed,
                                               on_retired};

static braid_ice_lite_t *agent(rec_t *r, uint32_t consent_s) {
  braid_ice_lite_opts_t o = {BRAID_STR_LIT(UFRAG), BRAID_STR_LIT(PWD), consent_s};
  braid_ice_lite_t *ice = NULL;
  ASSERT_EQ(braid_ice_lite_new(&ice, &o, &cbs, r), 0);
  return ice;
}

/* Sends r from tuple t at now; returns the verdict, checks the reply. */
static braid_ice_lite_verdict_t send_req(braid_ice_lite_t *ice, const req_t *r,
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
static int receive_rc(braid_ice_lite_t *ice, const req_t *r, const braid_ice_tuple_t *t,
                      braid_ice_lite_reply_t *reply) {
  static uint8_t in[512], out[BRAID_ICE_LITE_REPLY_MAX];
  size_t n = build(in, sizeof in, r);
  braid_stun_msg_t msg;
  ASSERT_EQ(braid_stun_msg_parse(&msg, in, n, NULL), 0);
  *reply = (braid_ice_lite_reply_t){.buf = out, .cap = sizeof out};
  return braid_ice_lite_receive(ice, &msg, t, 0, reply);
}

static void expect(const rec_t *r, size_t i, int kind) {
  if (i >= r->n) BRAID_TEST_FAIL("event %zu missing (have %zu)", i, r->n);
  if (r->ev[i].kind != kind) BRAID_TEST_FAIL("event %zu is %d, want %d", i, r->ev[i].kind, kind);
}

static uint16_t error_code(const braid_stun_msg_t *m) {
  uint16_t code = 0;
  braid_str_t reason;
  ASSERT_EQ(m->cls, BRAID_STUN_CLASS_ERROR);
  ASSERT_EQ(braid_stun_msg_error_code(m, &code, &reason), 0);
  return code;
}

/* --- Tests. --- */

BRAID_TEST(credentials) {
  braid_ice_lite_opts_t o = {{0}, {0}, 0};
  braid_ice_lite_t *a, *b;
  ASSERT_EQ(braid_ice_lite_new(&a, &o, NULL, NULL), 0);
  ASSERT_EQ(braid_ice_lite_new(&b, &o, NULL, NULL), 0);
  braid_str_t u = braid_ice_lite_ufrag(a), p = braid_ice_lite_pwd(a);
  ASSERT_EQ(u.len, 32);
  ASSERT_EQ(p.len, 32);
  for (size_t i = 0; i < 32; i++) {
    ASSERT((u.p[i] >= '0' && u.p[i] <= '9') || (u.p[i] >= 'a' && u.p[i] <= 'z'));
    ASSERT((p.p[i] >= '0' && p.p[i] <= '9') || (p.p[i] >= 'a' && p.p[i] <= 'z'));
  }
  ASSERT(memcmp(u.p, braid_ice_lite_ufrag(b).p, 32) != 0);
  ASSERT_EQ(braid_ice_lite_state(a), BRAID_ICE_STATE_NEW);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(a), -1);
  ASSERT(braid_ice_lite_selected_tuple(a) == NULL);
  braid_ice_lite_free(a);
  braid_ice_lite_free(b);
  braid_ice_lite_free(NULL);

  braid_ice_lite_t *c = NULL;
  o = (braid_ice_lite_opts_t){BRAID_STR_LIT("abc"), {0}, 0}; /* too short */
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), BRAID_EINVAL);
  o = (braid_ice_lite_opts_t){BRAID_STR_LIT("ab:cd"), {0}, 0}; /* not an ice-char */
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), BRAID_EINVAL);
  o = (braid_ice_lite_opts_t){{0}, BRAID_STR_LIT("short+/password"), 0};
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), BRAID_EINVAL);
  o = (braid_ice_lite_opts_t){BRAID_STR_LIT("a+/B"), BRAID_STR_LIT("0123456789+/ABCDEFGHIJ"), 0};
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), 0);
  ASSERT(braid_str_eq(braid_ice_lite_ufrag(c), "a+/B"));
  braid_ice_lite_free(c);
}

BRAID_TEST(connect_then_nominate) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 50000);
  req_t q = check(UFRAG, PWD);
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &a, 1000, &resp), BRAID_ICE_LITE_VALID);
  /* The response: success, our address of the peer, signed with our pwd. */
  ASSERT_EQ(resp.cls, BRAID_STUN_CLASS_SUCCESS);
  braid_stun_addr_t mapped;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&resp, &mapped), 0);
  ASSERT_MEM_EQ(&mapped, &a.remote, sizeof mapped);
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)PWD, strlen(PWD)), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT_EQ(r.n, 3);
  expect(&r, 0, EV_ADDED);
  expect(&r, 1, EV_SELECTED);
  ASSERT(braid_ice_lite_tuple_eq(&r.ev[1].tuple, &a));
  expect(&r, 2, EV_STATE);
  ASSERT_EQ(r.ev[2].state, BRAID_ICE_STATE_CONNECTED);
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &a));
  braid_ice_tuple_t other = udp4(11, 50000);
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &other));

  /* The same check again changes nothing. */
  ASSERT_EQ(send_req(ice, &q, &a, 1100, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(r.n, 3);
  /* USE-CANDIDATE on the selected tuple completes. */
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &a, 1200, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT_EQ(r.n, 4);
  expect(&r, 3, EV_STATE);
  ASSERT_EQ(r.ev[3].state, BRAID_ICE_STATE_COMPLETED);
  const braid_ice_lite_stats_t *st = braid_ice_lite_stats(ice);
  ASSERT_EQ(st->rx_requests, 3);
  ASSERT_EQ(st->valid, 3);
  braid_ice_lite_free(ice);
}

BRAID_TEST(nominate_at_once_ipv6_tcp) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t t = {
      {BRAID_STUN_FAMILY_IPV6, 9, {0x20, 0x01, 0x0d, 0xb8}}, BRAID_ICE_PROTO_TCP, 42};
  t.remote.addr[15] = 5;
  req_t q = check(UFRAG, PWD);
  q.use_candidate = true;
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &t, 0, &resp), BRAID_ICE_LITE_VALID);
  braid_stun_addr_t mapped;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&resp, &mapped), 0);
  ASSERT_MEM_EQ(&mapped, &t.remote, sizeof mapped);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT_EQ(r.n, 3);
  expect(&r, 0, EV_ADDED);
  expect(&r, 1, EV_SELECTED);
  expect(&r, 2, EV_STATE);
  ASSERT_EQ(r.ev[2].state, BRAID_ICE_STATE_COMPLETED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &t));
  braid_ice_lite_free(ice);
}

BRAID_TEST(renomination) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  req_t q = check(UFRAG, PWD);
  q.has_nomination = true;
  q.nomination = 1;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  /* Same value on another tuple: learnt, not selected. */
  ASSERT_EQ(send_req(ice, &q, &b, 10, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &b));
  /* A higher value moves the selection. */
  q.nomination = 2;
  size_t before = r.n;
  ASSERT_EQ(send_req(ice, &q, &b, 20, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  ASSERT_EQ(r.n, before + 1);
  expect(&r, before, EV_SELECTED);
  /* Not higher: ignored, even with USE-CANDIDATE. */
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &a, 30, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  /* USE-CANDIDATE without NOMINATION always wins (mediasoup). */
  q.has_nomination = false;
  ASSERT_EQ(send_req(ice, &q, &a, 40, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  /* The highest seen is still 2. */
  q.has_nomination = true;
  q.use_candidate = false;
  q.nomination = 2;
  ASSERT_EQ(send_req(ice, &q, &b, 50, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  q.nomination = 3;
  ASSERT_EQ(send_req(ice, &q, &b, 60, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  braid_ice_lite_free(ice);
}

BRAID_TEST(nomination_zero_in_new) {
  /* NOMINATION 0 does not beat the initial 0: the tuple is learnt only. */
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(11, 1000);
  req_t q = check(UFRAG, PWD);
  q.has_nomination = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_NEW);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &a));
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  /* A plain check then connects. */
  q.has_nomination = false;
  ASSERT_EQ(send_req(ice, &q, &b, 5, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  braid_ice_lite_free(ice);
}

BRAID_TEST(wrong_credentials) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  braid_stun_msg_t resp;
  req_t q = check(UFRAG, "wrongpassword0123456789abcdefghi");
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  ASSERT_EQ(error_code(&resp), 401);
  ASSERT(!braid_stun_msg_has_integrity(&resp)); /* nothing to sign with */
  q = check("otherufrag", PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  q.username = UFRAG; /* no ':' */
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  q.username = "localufrag0123456789abcdefghijk:x"; /* a prefix of ours */
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  /* mediasoup accepts an empty remote part. */
  q = check(UFRAG, PWD);
  q.username = "localufrag0123456789abcdefghijkl:";
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_stats(ice)->unauthorized, 4);
  braid_ice_lite_free(ice);
  /* Nothing was learnt from the refused checks. */
  ASSERT_EQ(r.n, 3);
}

BRAID_TEST(bad_requests) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  braid_stun_msg_t resp;
  req_t q = check(UFRAG, PWD);
  q.no_fingerprint = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  ASSERT_EQ(error_code(&resp), 400);
  q = check(UFRAG, PWD);
  q.priority = 0;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q.zero_priority = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q = check(UFRAG, PWD);
  q.username = NULL;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q = check(UFRAG, PWD);
  q.pwd = NULL;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q = check(UFRAG, PWD);
  q.method = 0x003; /* Allocate */
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  ASSERT_EQ(resp.method, 0x003);
  ASSERT_EQ(error_code(&resp), 400);
  /* Silently dropped: a FINGERPRINT that does not match, indications and
   * responses. */
  q = check(UFRAG, PWD);
  q.bad_fingerprint = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  q = check(UFRAG, PWD);
  q.cls = BRAID_STUN_CLASS_INDICATION;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  q.cls = BRAID_STUN_CLASS_SUCCESS;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  q.cls = BRAID_STUN_CLASS_ERROR;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  const braid_ice_lite_stats_t *st = braid_ice_lite_stats(ice);
  ASSERT_EQ(st->bad_request, 6);
  ASSERT_EQ(st->ignored, 4);
  ASSERT_EQ(st->rx_requests, 7);
  ASSERT_EQ(r.n, 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_NEW);

  /* Usage errors. */
  uint8_t in[256], small[BRAID_ICE_LITE_REPLY_MAX - 1];
  q = check(UFRAG, PWD);
  size_t n = build(in, sizeof in, &q);
  braid_stun_msg_t msg;
  ASSERT_EQ(braid_stun_msg_parse(&msg, in, n, NULL), 0);
  braid_ice_lite_reply_t reply = {.buf = small, .cap = sizeof small};
  ASSERT_EQ(braid_ice_lite_receive(ice, &msg, &a, 0, &reply), BRAID_EINVAL);
  uint8_t out[BRAID_ICE_LITE_REPLY_MAX];
  reply = (braid_ice_lite_reply_t){.buf = out, .cap = sizeof out};
  braid_ice_tuple_t bad = a;
  bad.remote.family = 3;
  ASSERT_EQ(braid_ice_lite_receive(ice, &msg, &bad, 0, &reply), BRAID_EINVAL);
  bad = a;
  bad.proto = 9;
  ASSERT_EQ(braid_ice_lite_receive(ice, &msg, &bad, 0, &reply), BRAID_EINVAL);
  braid_ice_lite_free(ice);
}

BRAID_TEST(role_conflict) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  q.controlled = true;
  q.use_candidate = true;
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_ROLE_CONFLICT);
  ASSERT_EQ(error_code(&resp), 487);
  /* Authenticated, so the peer's stack accepts it and switches role. */
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)PWD, strlen(PWD)), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_NEW);
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &a));
  ASSERT_EQ(r.n, 0);
  /* A wrong password is refused before the role is looked at. */
  q.pwd = "wrongpassword0123456789abcdefghi";
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  /* The peer switched: ICE-CONTROLLING works. */
  q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_stats(ice)->role_conflict, 1);
  braid_ice_lite_free(ice);
}

BRAID_TEST(consent_timeout) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  req_t q = check(UFRAG, PWD);
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &a, 1000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 31000);
  /* A check on the selected tuple refreshes consent; on another does not. */
  q.use_candidate = false;
  ASSERT_EQ(send_req(ice, &q, &a, 21000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 51000);
  ASSERT_EQ(send_req(ice, &q, &b, 40000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 51000);
  /* Too early: nothing. */
  ASSERT_EQ(braid_ice_lite_on_timeout(ice, 50999), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  size_t before = r.n;
  ASSERT_EQ(braid_ice_lite_on_timeout(ice, 51000), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_DISCONNECTED);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &a));
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &b));
  ASSERT(braid_ice_lite_tuple_at(ice, 0) == NULL);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  ASSERT_EQ(r.n, before + 3);
  expect(&r, before, EV_REMOVED);
  expect(&r, before + 1, EV_REMOVED);
  expect(&r, before + 2, EV_STATE);
  ASSERT_EQ(r.ev[before + 2].state, BRAID_ICE_STATE_DISCONNECTED);
  ASSERT_EQ(braid_ice_lite_stats(ice)->consent_expired, 1);
  /* A new check comes back. */
  ASSERT_EQ(send_req(ice, &q, &b, 60000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 90000);
  braid_ice_lite_free(ice);
}

BRAID_TEST(consent_settings) {
  rec_t r = {0};
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  const struct {
    uint32_t s;
    int64_t want;
  } cases[] = {{0, -1}, {1, 10000}, {10, 10000}, {20, 20000}, {60, 60000}, {3600, 60000}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    braid_ice_lite_t *ice = agent(&r, cases[i].s);
    ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
    ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), cases[i].want);
    ASSERT_EQ(braid_ice_lite_on_timeout(ice, 1000000), 0);
    ASSERT_EQ(braid_ice_lite_state(ice),
              cases[i].s ? BRAID_ICE_STATE_DISCONNECTED : BRAID_ICE_STATE_CONNECTED);
    braid_ice_lite_free(ice);
    r.n = 0;
  }
}

BRAID_TEST(restart) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  req_t q = check(UFRAG, PWD);
  q.has_nomination = true;
  q.nomination = 5;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);

  ASSERT_EQ(braid_ice_lite_restart(ice, (braid_str_t){0}, (braid_str_t){0}, 10000), 0);
  char ufrag2[64], pwd2[64];
  braid_str_t u = braid_ice_lite_ufrag(ice), p = braid_ice_lite_pwd(ice);
  ASSERT_EQ(u.len, 32);
  ASSERT(memcmp(u.p, UFRAG, 32) != 0);
  ASSERT(memcmp(p.p, PWD, 32) != 0);
  snprintf(ufrag2, sizeof ufrag2, "%.*s", (int)u.len, u.p);
  snprintf(pwd2, sizeof pwd2, "%.*s", (int)p.len, p.p);
  /* State, tuples and selection are kept; consent restarts from now. */
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 40000);

  /* The old credentials still work, answered with the old password. */
  q.has_nomination = false;
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &a, 11000, &resp), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)PWD, strlen(PWD)), 0);
  /* The first check with the new ones retires the old; the nomination
   * count restarted, so NOMINATION 1 now wins. */
  size_t before = r.n;
  req_t q2 = check(ufrag2, pwd2);
  q2.has_nomination = true;
  q2.nomination = 1;
  ASSERT_EQ(send_req(ice, &q2, &b, 12000, &resp), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)pwd2, strlen(pwd2)), 0);
  expect(&r, before, EV_RETIRED);
  ASSERT_STR_EQ(r.ev[before].ufrag, UFRAG);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &a)); /* kept */
  /* Now the old credentials are refused. */
  q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 13000, NULL), BRAID_ICE_LITE_UNAUTHORIZED);

  /* Two restarts in a row: the first one's old credentials are retired at
   * the second. */
  before = r.n;
  ASSERT_EQ(braid_ice_lite_restart(ice, BRAID_STR_LIT("ufragthree"),
                                   BRAID_STR_LIT("passwordthree0123456789"), 14000),
            0);
  ASSERT_EQ(r.n, before);
  ASSERT_EQ(braid_ice_lite_restart(ice, BRAID_STR_LIT("ufragfour"),
                                   BRAID_STR_LIT("passwordfour01234567890"), 15000),
            0);
  ASSERT_EQ(r.n, before + 1);
  expect(&r, before, EV_RETIRED);
  ASSERT_STR_EQ(r.ev[before].ufrag, ufrag2);
  ASSERT(braid_str_eq(braid_ice_lite_ufrag(ice), "ufragfour"));
  q = check("ufragthree", "passwordthree0123456789");
  ASSERT_EQ(send_req(ice, &q, &a, 16000, NULL), BRAID_ICE_LITE_VALID);
  q = check(ufrag2, pwd2);
  ASSERT_EQ(send_req(ice, &q, &a, 16000, NULL), BRAID_ICE_LITE_UNAUTHORIZED);
  ASSERT_EQ(braid_ice_lite_restart(ice, BRAID_STR_LIT("bad ufrag"), (braid_str_t){0}, 0),
            BRAID_EINVAL);
  ASSERT(braid_str_eq(braid_ice_lite_ufrag(ice), "ufragfour"));
  braid_ice_lite_free(ice);
}

BRAID_TEST(tuple_limit) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  req_t q = check(UFRAG, PWD);
  braid_ice_tuple_t t[BRAID_ICE_MAX_TUPLES + 2];
  for (int i = 0; i < BRAID_ICE_MAX_TUPLES + 2; i++) {
    t[i] = udp4((uint8_t)(i + 1), 4000);
    ASSERT_EQ(send_req(ice, &q, &t[i], i, NULL), BRAID_ICE_LITE_VALID);
  }
  /* The first is selected and kept; the next two oldest were evicted. */
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &t[0]));
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &t[0]));
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &t[1]));
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &t[2]));
  for (int i = 3; i < BRAID_ICE_MAX_TUPLES + 2; i++)
    ASSERT(braid_ice_lite_is_valid_tuple(ice, &t[i]));
  ASSERT_EQ(braid_ice_lite_stats(ice)->tuples_evicted, 2);
  /* Listed newest first. */
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_tuple_at(ice, 0), &t[BRAID_ICE_MAX_TUPLES + 1]));
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_tuple_at(ice, BRAID_ICE_MAX_TUPLES - 1), &t[0]));
  ASSERT(braid_ice_lite_tuple_at(ice, BRAID_ICE_MAX_TUPLES) == NULL);
  size_t removed = 0;
  for (size_t i = 0; i < r.n; i++) {
    if (r.ev[i].kind != EV_REMOVED) continue;
    ASSERT(braid_ice_lite_tuple_eq(&r.ev[i].tuple, &t[1 + removed]));
    removed++;
  }
  ASSERT_EQ(removed, 2);
  braid_ice_lite_free(ice);
}

BRAID_TEST(remove_tuple) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000), c = udp4(30, 3000);
  c.proto = BRAID_ICE_PROTO_TCP;
  req_t q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &b, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &c, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &c));
  braid_ice_tuple_t unknown = udp4(99, 1);
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &unknown, 0), BRAID_ENOTFOUND);
  /* Removing a non-selected tuple changes nothing else. */
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &b, 1000), 0);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &c));
  /* The selected TCP tuple closes: the remaining one takes over. */
  size_t before = r.n;
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &c, 2000), 0);
  expect(&r, before, EV_REMOVED);
  expect(&r, before + 1, EV_SELECTED);
  ASSERT(braid_ice_lite_tuple_eq(&r.ev[before + 1].tuple, &a));
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 32000);
  /* The last one goes: disconnected. */
  before = r.n;
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &a, 3000), 0);
  expect(&r, before, EV_REMOVED);
  expect(&r, before + 1, EV_STATE);
  ASSERT_EQ(r.ev[before + 1].state, BRAID_ICE_STATE_DISCONNECTED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  braid_ice_lite_free(ice);
}

BRAID_TEST(force_selected) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &a, 0), BRAID_ESTATE);
  req_t q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(send_req(ice, &q, &b, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  braid_ice_tuple_t other = b;
  other.cookie = 8; /* same address on another socket */
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &other, 0), BRAID_ENOTFOUND);
  size_t before = r.n;
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &b, 5000), 0);
  ASSERT_EQ(r.n, before + 1);
  expect(&r, before, EV_SELECTED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 35000);
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &b, 6000), 0); /* already */
  ASSERT_EQ(r.n, before + 1);
  braid_ice_lite_free(ice);
}

BRAID_TEST(callback_stop) {
  rec_t r = {.stop_on = EV_SELECTED};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  braid_ice_lite_reply_t reply;
  ASSERT_EQ(receive_rc(ice, &q, &a, &reply), BRAID_ECLOSED);
  /* The reply is there, the state is complete, later callbacks were not made. */
  ASSERT_EQ(reply.verdict, BRAID_ICE_LITE_VALID);
  ASSERT(reply.len > 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT_EQ(r.n, 2); /* added, selected; no state */
  /* The next call starts afresh. */
  r.stop_on = 0;
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &a, 0), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_DISCONNECTED);
  braid_ice_lite_free(ice);
}

BRAID_TEST(callback_free_and_reenter) {
  rec_t r = {.free_on = EV_SELECTED, .reenter = true};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  /* Freed inside on_selected_tuple: the call ends cleanly (ASan would see
   * a use after free). */
  braid_ice_lite_reply_t reply;
  ASSERT_EQ(receive_rc(ice, &q, &a, &reply), BRAID_ECLOSED);
  ASSERT_EQ(r.reenter_rc, BRAID_ESTATE);
  ASSERT_EQ(r.n, 2);
}

BRAID_TEST(closed) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  braid_ice_lite_close(ice);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CLOSED);
  ASSERT_STR_EQ(braid_ice_lite_state_name(braid_ice_lite_state(ice)), "closed");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_NEW), "new");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_CONNECTED), "connected");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_COMPLETED), "completed");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_DISCONNECTED), "disconnected");
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  braid_ice_lite_reply_t reply;
  ASSERT_EQ(receive_rc(ice, &q, &a, &reply), BRAID_ECLOSED);
  ASSERT_EQ(braid_ice_lite_restart(ice, (braid_str_t){0}, (braid_str_t){0}, 0), BRAID_ECLOSED);
  ASSERT_EQ(braid_ice_lite_on_timeout(ice, 100000), BRAID_ECLOSED);
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &a, 0), BRAID_ECLOSED);
  ASSERT_EQ(r.n, 3); /* close makes no callback */
  braid_ice_lite_free(ice);
}

BRAID_TEST(request_ufrag) {
  uint8_t in[256];
  braid_str_t u;
  req_t q = check("9ivq", "pw");
  size_t n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), 0);
  ASSERT(braid_str_eq(u, "9ivq"));
  ASSERT(u.p == (const char *)in + 24); /* borrowed from the message */
  q.username = ":remote";
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMALFORMED);
  q.username = "nocolon";
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMALFORMED);
  q.username = "";
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMALFORMED);
  q.username = NULL;
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMISSING);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, 19, &u), BRAID_ETRUNC);
  in[4] ^= 1;
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EVERSION);
  /* The ufrag of a request that fails its integrity check is still given:
   * the transport judges the check. */
  q = check("abcd", "pw");
  n = build(in, sizeof in, &q);
  in[n - 12] ^= 0xff; /* inside MESSAGE-INTEGRITY */
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), 0);
  ASSERT(braid_str_eq(u, "abcd"));
}

BRAID_TEST(sockaddr) {
  struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(5004)};
  in.sin_addr.s_addr = htonl(0xc0a8010a); /* 192.168.1.10 */
  braid_ice_tuple_t t;
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, (struct sockaddr *)&in, sizeof in,
                                               BRAID_ICE_PROTO_UDP, 3),
            0);
  braid_ice_tuple_t want = udp4(10, 5004);
  want.cookie = 3;
  ASSERT(braid_ice_lite_tuple_eq(&t, &want));
  struct sockaddr_storage ss;
  socklen_t len = 0;
  ASSERT_EQ(braid_ice_lite_tuple_to_sockaddr(&t, &ss, &len), 0);
  ASSERT_EQ(len, sizeof in);
  ASSERT_MEM_EQ(&ss, &in, sizeof in);
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, (struct sockaddr *)&in, sizeof in - 1, 1, 0),
            BRAID_EINVAL);

  struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
  in6.sin6_addr.s6_addr[0] = 0x20, in6.sin6_addr.s6_addr[15] = 1;
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, (struct sockaddr *)&in6, sizeof in6,
                                               BRAID_ICE_PROTO_TCP, 9),
            0);
  ASSERT_EQ(t.remote.family, BRAID_STUN_FAMILY_IPV6);
  ASSERT_EQ(t.remote.port, 443);
  ASSERT_EQ(t.remote.addr[0], 0x20);
  ASSERT_EQ(t.remote.addr[15], 1);
  ASSERT_EQ(t.proto, BRAID_ICE_PROTO_TCP);
  ASSERT_EQ(braid_ice_lite_tuple_to_sockaddr(&t, &ss, &len), 0);
  ASSERT_EQ(len, sizeof in6);
  ASSERT_MEM_EQ(&ss, &in6, sizeof in6);
  struct sockaddr un = {.sa_family = AF_UNIX};
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, &un, sizeof un, 1, 0), BRAID_EINVAL);
  t.remote.family = 9;
  ASSERT_EQ(braid_ice_lite_tuple_to_sockaddr(&t, &ss, &len), BRAID_EINVAL);
}

BRAID_TEST(tuple_eq) {
  braid_ice_tuple_t a = udp4(1, 5000), b = a;
  ASSERT(braid_ice_lite_tuple_eq(&a, &b));
  b.remote.addr[8] = 9; /* beyond an IPv4 address: ignored */
  ASSERT(braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.cookie = 1;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.proto = BRAID_ICE_PROTO_TCP;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.remote.port = 5001;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.remote.addr[3] = 2;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.remote.family = BRAID_STUN_FAMILY_IPV6;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  a.remote.family = BRAID_STUN_FAMILY_IPV6;
  b = a, b.remote.addr[15] = 1;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(credentials)
    BRAID_TEST_ENTRY(connect_then_nominate)
    BRAID_TEST_ENTRY(nominate_at_once_ipv6_tcp)
    BRAID_TEST_ENTRY(renomination)
    BRAID_TEST_ENTRY(nomination_zero_in_new)
    BRAID_TEST_ENTRY(wrong_credentials)
    BRAID_TEST_ENTRY(bad_requests)
    BRAID_TEST_ENTRY(role_conflict)
    BRAID_TEST_ENTRY(consent_timeout)
    BRAID_TEST_ENTRY(consent_settings)
    BRAID_TEST_ENTRY(restart)
    BRAID_TEST_ENTRY(tuple_limit)
    BRAID_TEST_ENTRY(remove_tuple)
    BRAID_TEST_ENTRY(force_selected)
    BRAID_TEST_ENTRY(callback_stop)
    BRAID_TEST_ENTRY(callback_free_and_reenter)
    BRAID_TEST_ENTRY(closed)
    BRAID_TEST_ENTRY(request_ufrag)
    BRAID_TEST_ENTRY(sockaddr)
    BRAID_TEST_ENTRY(tuple_eq)
)
/* clang-format on */
