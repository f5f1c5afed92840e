/* Unit tests of mediad/rtc/keyframe_requester.c with a fake clock: the
 * 1 s window, the retry flag, key frames closing the window, forced
 * requests, coalescing delay, PLI vs FIR and FIR sequence numbers. */
#include "mediad/rtc/keyframe_requester.h"

#include "tests/test.h"

/* Runs the timer at now and returns how many requests it produced. */
static size_t tick(braid_keyframe_requester_t *kr, int64_t now, braid_keyframe_request_t *out) {
  return braid_keyframe_requester_on_timeout(kr, now, out, BRAID_KEYFRAME_REQUESTER_MAX_SSRCS);
}

BRAID_TEST(first_request_goes_out_and_opens_the_window) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, true, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1111, 1000, &r), 1);
  ASSERT_EQ(r.ssrc, 1111);
  ASSERT_EQ(r.kind, BRAID_KEYFRAME_PLI); /* PLI preferred */
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 2000);
  /* No other request in the window: at expiry the window just closes. */
  ASSERT_EQ(tick(&kr, 1999, out), 0);
  ASSERT_EQ(tick(&kr, 2000, out), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  /* The next request goes out at once again. */
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1111, 2500, &r), 1);
  ASSERT_EQ(kr.pli_count, 2);
}

BRAID_TEST(requests_in_the_window_retry_once_at_expiry) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 100, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 200, &r), 0);
  ASSERT_EQ(tick(&kr, 1000, out), 1); /* no key frame came: sent again */
  ASSERT_EQ(out[0].ssrc, 7);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 2000);
  ASSERT_EQ(tick(&kr, 2000, out), 0); /* best effort: no further retry */
  ASSERT_EQ(kr.pli_count, 2);
}

BRAID_TEST(key_frame_closes_the_window) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 10, &r), 0); /* retry flag */
  braid_keyframe_requester_received(&kr, 7);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  ASSERT_EQ(tick(&kr, 1000, out), 0);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 7, 20, &r), 1);
  braid_keyframe_requester_received(&kr, 99); /* unknown SSRC: nothing */
}

BRAID_TEST(ssrcs_are_independent) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r;
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 2, 0, &r), 1);
  ASSERT_EQ(r.ssrc, 2);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1, 5, &r), 0);
}

BRAID_TEST(forced_request_always_goes_out_and_restarts_the_window) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 5, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 5, 600, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 1600);
  ASSERT_EQ(tick(&kr, 1000, out), 0);
  ASSERT_EQ(tick(&kr, 1600, out), 1); /* forced into a pending window: retries once */
  ASSERT_EQ(tick(&kr, 2600, out), 0);
  /* Forced with nothing pending: sent, no retry. */
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 5, 3000, &r), 1);
  ASSERT_EQ(tick(&kr, 4000, out), 0);
}

BRAID_TEST(fir_when_no_pli_with_increasing_sequence_numbers) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, false, true, 0);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 0, &r), 1);
  ASSERT_EQ(r.kind, BRAID_KEYFRAME_FIR);
  ASSERT_EQ(r.fir_seq, 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 1, &r), 0);
  ASSERT_EQ(tick(&kr, 1000, out), 1);
  ASSERT_EQ(out[0].kind, BRAID_KEYFRAME_FIR);
  ASSERT_EQ(out[0].fir_seq, 2); /* a retry is a new command */
  braid_keyframe_requester_received(&kr, 9);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 3000, &r), 1);
  ASSERT_EQ(r.fir_seq, 3); /* kept across windows */
  ASSERT_EQ(kr.fir_count, 3);
  /* The 8-bit sequence number wraps. */
  kr.entries[0].fir_seq = 255;
  braid_keyframe_requester_received(&kr, 9);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 5000, &r), 1);
  ASSERT_EQ(r.fir_seq, 0);
}

BRAID_TEST(nothing_without_negotiated_feedback) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, false, false, 0);
  braid_keyframe_request_t r;
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 0, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 9, 0, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
}

BRAID_TEST(delay_coalesces_requests) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 300);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 0, &r), 1); /* first: at once */
  braid_keyframe_requester_received(&kr, 4);                  /* key frame came quickly */
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 50, &r), 0);  /* inside the delay: remembered */
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 100, &r), 0); /* coalesced */
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 300);
  ASSERT_EQ(tick(&kr, 300, out), 1); /* one request for both */
  ASSERT_EQ(kr.pli_count, 2);
  /* That request opened a new delay window and a wait window. */
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 600);
  ASSERT_EQ(tick(&kr, 600, out), 0);
  ASSERT_EQ(tick(&kr, 1300, out), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
}

BRAID_TEST(delay_window_without_requests_sends_nothing) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 300);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 0, &r), 1);
  ASSERT_EQ(tick(&kr, 300, out), 0);
  ASSERT_EQ(tick(&kr, 1000, out), 0);
  /* Forced: a new delay window opens and the request goes out. */
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 4, 1100, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 1200, &r), 0);
  ASSERT_EQ(tick(&kr, 1400, out), 0); /* the delayed request found the wait window open */
  ASSERT_EQ(tick(&kr, 2100, out), 1); /* ... so it is retried when that expires */
}

BRAID_TEST(table_limit_and_remove) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r;
  for (uint32_t s = 0; s < BRAID_KEYFRAME_REQUESTER_MAX_SSRCS; s++)
    ASSERT_EQ(braid_keyframe_requester_need(&kr, 100 + s, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 999, 0, &r), BRAID_ELIMIT);
  braid_keyframe_requester_remove(&kr, 100);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 999, 0, &r), 1);
}

BRAID_TEST(on_timeout_respects_cap) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 0);
  braid_keyframe_request_t r, out[1];
  for (uint32_t s = 0; s < 3; s++) {
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 0, &r), 1);
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 1, &r), 0);
  }
  ASSERT_EQ(braid_keyframe_requester_on_timeout(&kr, 1000, out, 1), 1);
  ASSERT(braid_keyframe_requester_next_timeout(&kr) <= 1000); /* the rest is still due */
  ASSERT_EQ(braid_keyframe_requester_on_timeout(&kr, 1000, out, 1), 1);
  ASSERT_EQ(braid_keyframe_requester_on_timeout(&kr, 1000, out, 1), 1);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 2000);
}


/* Found by the fuzzer: every SSRC's wait window retries and its
 * coalescing window ends in the same tick; with cap = MAX_SSRCS nothing
 * may be left due. */
BRAID_TEST(full_table_expiring_together) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 200);
  braid_keyframe_request_t r, out[BRAID_KEYFRAME_REQUESTER_MAX_SSRCS];
  for (uint32_t s = 0; s < BRAID_KEYFRAME_REQUESTER_MAX_SSRCS; s++) {
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 0, &r), 1);
    ASSERT_EQ(braid_keyframe_requester_force(&kr, s, 800, &r), 1); /* retry set, delay to 1000 */
    ASSERT_EQ(braid_keyframe_requester_need(&kr, s, 900, &r), 0);  /* delayed */
  }
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 1000);
  ASSERT_EQ(tick(&kr, 1800, out), BRAID_KEYFRAME_REQUESTER_MAX_SSRCS);
  ASSERT(braid_keyframe_requester_next_timeout(&kr) > 1800);
}

/* mediasoup-demo's value (its server has keyFrameRequestDelay: 5000 ready
 * to use): the delay outlasts the 1 s wait window. Requests inside the
 * delay only mark it; they do not set the retry flag of the wait window,
 * so it closes quietly, and they go out as one when the delay ends. */
BRAID_TEST(delay_longer_than_the_wait_window) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 5000);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 100, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 1000);
  ASSERT_EQ(tick(&kr, 1000, out), 0); /* the wait window closes without a retry */
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 2000, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 4999, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 5000);
  ASSERT_EQ(tick(&kr, 5000, out), 1); /* three requests, one sent */
  ASSERT_EQ(out[0].ssrc, 4);
  ASSERT_EQ(kr.pli_count, 2);
  /* It opened the next delay (to 10000) and a wait window (to 6000). */
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 6000);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 5500, &r), 0);
  ASSERT_EQ(tick(&kr, 6000, out), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 10000);
  ASSERT_EQ(tick(&kr, 10000, out), 1);
  /* A delay that ends with nothing asked lets the next request through. */
  ASSERT_EQ(tick(&kr, 11000, out), 0);
  ASSERT_EQ(tick(&kr, 15000, out), 0);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 4, 15001, &r), 1);
}

BRAID_TEST(delay_is_per_ssrc) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 1000);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 2, 10, &r), 1); /* not delayed by SSRC 1 */
  ASSERT_EQ(r.ssrc, 2);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 1, 20, &r), 0);
  ASSERT_EQ(tick(&kr, 1000, out), 1); /* only SSRC 1 asked again */
  ASSERT_EQ(out[0].ssrc, 1);
  ASSERT_EQ(tick(&kr, 1010, out), 0);
}

BRAID_TEST(delay_with_fir_counts_each_request_sent) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, false, true, 300);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 0, &r), 1);
  ASSERT_EQ(r.fir_seq, 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 100, &r), 0);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 9, 200, &r), 0);
  braid_keyframe_requester_received(&kr, 9);
  ASSERT_EQ(tick(&kr, 300, out), 1);
  ASSERT_EQ(out[0].kind, BRAID_KEYFRAME_FIR);
  ASSERT_EQ(out[0].fir_seq, 2); /* coalesced requests are one command */
  ASSERT_EQ(kr.fir_count, 2);
}

/* A forced request (a consumer resumed, say) goes out at once inside the
 * delay, forgets what the delay had collected and restarts it. */
BRAID_TEST(force_inside_the_delay_restarts_it) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 300);
  braid_keyframe_request_t r, out[8];
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 6, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 6, 100, &r), 0); /* collected */
  ASSERT_EQ(braid_keyframe_requester_force(&kr, 6, 200, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), 500); /* the new delay */
  ASSERT_EQ(tick(&kr, 500, out), 0);  /* forgotten: nothing collected since */
  ASSERT_EQ(tick(&kr, 1200, out), 1); /* forced into a wait window: one retry */
  ASSERT_EQ(kr.pli_count, 3);
}

BRAID_TEST(remove_forgets_the_delay) {
  braid_keyframe_requester_t kr;
  braid_keyframe_requester_init(&kr, true, false, 300);
  braid_keyframe_request_t r;
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 6, 0, &r), 1);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 6, 100, &r), 0);
  braid_keyframe_requester_remove(&kr, 6);
  ASSERT_EQ(braid_keyframe_requester_next_timeout(&kr), INT64_MAX);
  ASSERT_EQ(braid_keyframe_requester_need(&kr, 6, 150, &r), 1);
}

/* ---- A model of mediasoup's KeyFrameRequestManager ----------------------
 * Written from the behaviour of worker/src/RTC/KeyFrameRequestManager.cpp:
 * per SSRC a PendingKeyFrameInfo (a 1000 ms timer and a retry flag) and,
 * with a delay, a KeyFrameRequestDelayer (a delay timer and a "requested"
 * flag), both libuv timers, which fire in order of due time and, on a tie,
 * in the order they were started. The requester, driven at exactly its
 * next timeout, must send the same requests at the same times. */

typedef struct mtimer {
  bool on, flag;
  int64_t due;
  uint64_t order; /* when it was (re)started: libuv's tie-break */
} mtimer_t;

typedef struct mssrc {
  uint32_t ssrc;
  mtimer_t pending, delayer;
  uint8_t fir_seq;
} mssrc_t;

typedef struct model {
  uint32_t delay;
  bool pli;
  mssrc_t s[3];
  uint64_t starts;
  braid_keyframe_request_t out[16];
  size_t n_out;
} model_t;

static void m_start(model_t *m, mtimer_t *t, int64_t due) {
  t->on = true;
  t->due = due;
  t->order = ++m->starts;
}

static void m_send(model_t *m, mssrc_t *s) {
  braid_keyframe_request_t *r = &m->out[m->n_out++];
  r->ssrc = s->ssrc;
  r->kind = m->pli ? BRAID_KEYFRAME_PLI : BRAID_KEYFRAME_FIR;
  r->fir_seq = m->pli ? 0 : ++s->fir_seq;
}

/* KeyFrameNeeded() */
static void m_needed(model_t *m, mssrc_t *s, int64_t now) {
  if (m->delay > 0) {
    if (s->delayer.on) {
      s->delayer.flag = true;
      return;
    }
    s->delayer.flag = false;
    m_start(m, &s->delayer, now + m->delay);
  }
  if (s->pending.on) {
    s->pending.flag = true;
    return;
  }
  s->pending.flag = false;
  m_start(m, &s->pending, now + 1000);
  m_send(m, s);
}

/* ForceKeyFrameNeeded() */
static void m_force(model_t *m, mssrc_t *s, int64_t now) {
  if (m->delay > 0) {
    s->delayer.flag = false;
    m_start(m, &s->delayer, now + m->delay);
  }
  s->pending.flag = s->pending.on; /* SetRetryOnTimeout(true) + Restart(), or a new one */
  m_start(m, &s->pending, now + 1000);
  m_send(m, s);
}

/* Fires every timer due at or before now, in libuv's order. */
static void m_run(model_t *m, int64_t now) {
  for (;;) {
    mtimer_t *first = NULL;
    mssrc_t *owner = NULL;
    for (size_t i = 0; i < 3; i++) {
      mtimer_t *ts[2] = {&m->s[i].pending, &m->s[i].delayer};
      for (size_t k = 0; k < 2; k++) {
        mtimer_t *t = ts[k];
        if (!t->on || t->due > now) continue;
        if (first == NULL || t->due < first->due ||
            (t->due == first->due && t->order < first->order)) {
          first = t;
          owner = &m->s[i];
        }
      }
    }
    if (first == NULL) return;
    int64_t at = first->due;
    if (first == &owner->pending) { /* OnKeyFrameRequestTimeout() */
      if (!first->flag) {
        first->on = false;
      } else {
        first->flag = false;
        m_start(m, first, at + 1000);
        m_send(m, owner);
      }
    } else { /* OnKeyFrameDelayTimeout() */
      first->on = false;
      if (first->flag) m_needed(m, owner, at);
    }
  }
}

static int64_t m_next(const model_t *m) {
  int64_t t = INT64_MAX;
  for (size_t i = 0; i < 3; i++) {
    if (m->s[i].pending.on && m->s[i].pending.due < t) t = m->s[i].pending.due;
    if (m->s[i].delayer.on && m->s[i].delayer.due < t) t = m->s[i].delayer.due;
  }
  return t;
}

static int cmp_req(const void *a, const void *b) {
  const braid_keyframe_request_t *x = a, *y = b;
  if (x->ssrc != y->ssrc) return x->ssrc < y->ssrc ? -1 : 1;
  return (int)x->fir_seq - (int)y->fir_seq;
}

static void same_requests(braid_keyframe_request_t *a, size_t na, model_t *m, int64_t now) {
  braid_keyframe_request_t *b = m->out;
  size_t nb = m->n_out;
  if (na != nb)
    BRAID_TEST_FAIL("delay %u, %s, at %" PRId64 " ms: %zu requests, the model %zu", m->delay,
                    m->pli ? "PLI" : "FIR", now, na, nb);
  qsort(a, na, sizeof *a, cmp_req);
  qsort(b, nb, sizeof *b, cmp_req);
  for (size_t i = 0; i < na; i++)
    if (a[i].ssrc != b[i].ssrc || a[i].kind != b[i].kind || a[i].fir_seq != b[i].fir_seq)
      BRAID_TEST_FAIL("delay %u, at %" PRId64 " ms: request %zu for %u (kind %u, seq %u), the "
                      "model's for %u (kind %u, seq %u)",
                      m->delay, now, i, a[i].ssrc, a[i].kind, a[i].fir_seq, b[i].ssrc, b[i].kind,
                      b[i].fir_seq);
}

static uint32_t rnd(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return (uint32_t)(*x >> 32);
}

/* One random run: requests, forced requests and key frames on 3 SSRCs,
 * time moving in steps that stop at every timeout. */
static void model_run(uint32_t delay, bool pli, uint64_t seed) {
  braid_keyframe_requester_t kr;
  model_t m = {.delay = delay, .pli = pli};
  braid_keyframe_request_t got[BRAID_KEYFRAME_REQUESTER_MAX_SSRCS], r;
  int64_t now = 0;
  braid_keyframe_requester_init(&kr, pli, !pli, delay);
  for (size_t i = 0; i < 3; i++)
    m.s[i].ssrc = (uint32_t)(1000 + i);
  for (int step = 0; step < 20000; step++) {
    uint32_t op = rnd(&seed) % 100;
    mssrc_t *s = &m.s[rnd(&seed) % 3];
    m.n_out = 0;
    if (op < 30) {
      int rc = braid_keyframe_requester_need(&kr, s->ssrc, now, &r);
      m_needed(&m, s, now);
      same_requests(&r, rc == 1 ? 1 : 0, &m, now);
    } else if (op < 33) {
      int rc = braid_keyframe_requester_force(&kr, s->ssrc, now, &r);
      m_force(&m, s, now);
      same_requests(&r, rc == 1 ? 1 : 0, &m, now);
    } else if (op < 40) {
      braid_keyframe_requester_received(&kr, s->ssrc);
      s->pending.on = false; /* KeyFrameReceived() */
    } else {
      int64_t next = braid_keyframe_requester_next_timeout(&kr);
      if (next != m_next(&m))
        BRAID_TEST_FAIL("delay %u, at %" PRId64 " ms: next timeout %" PRId64
                        ", the model's %" PRId64,
                        delay, now, next, m_next(&m));
      int64_t to = now + (op < 70 ? rnd(&seed) % 50 : rnd(&seed) % 2000);
      now = to < next ? to : next;
      if (next > now) continue;
      size_t n =
          braid_keyframe_requester_on_timeout(&kr, now, got, BRAID_KEYFRAME_REQUESTER_MAX_SSRCS);
      m_run(&m, now);
      same_requests(got, n, &m, now);
    }
  }
}

BRAID_TEST(matches_a_model_of_mediasoup) {
  static const uint32_t delays[] = {0, 1, 40, 300, 999, 1000, 1001, 1500, 2000, 5000};
  for (size_t i = 0; i < sizeof delays / sizeof delays[0]; i++)
    for (uint64_t seed = 1; seed <= 4; seed++) {
      model_run(delays[i], true, seed * 0x9e3779b97f4a7c15ull);
      model_run(delays[i], false, seed * 0xc2b2ae3d27d4eb4full);
    }
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(first_request_goes_out_and_opens_the_window)
                BRAID_TEST_ENTRY(requests_in_the_window_retry_once_at_expiry)
                BRAID_TEST_ENTRY(key_frame_closes_the_window)
                BRAID_TEST_ENTRY(ssrcs_are_independent)
                BRAID_TEST_ENTRY(forced_request_always_goes_out_and_restarts_the_window)
                BRAID_TEST_ENTRY(fir_when_no_pli_with_increasing_sequence_numbers)
                BRAID_TEST_ENTRY(nothing_without_negotiated_feedback)
                BRAID_TEST_ENTRY(delay_coalesces_requests)
                BRAID_TEST_ENTRY(delay_window_without_requests_sends_nothing)
                BRAID_TEST_ENTRY(table_limit_and_remove)
                BRAID_TEST_ENTRY(on_timeout_respects_cap)
                BRAID_TEST_ENTRY(full_table_expiring_together)
                BRAID_TEST_ENTRY(delay_longer_than_the_wait_window)
                BRAID_TEST_ENTRY(delay_is_per_ssrc)
                BRAID_TEST_ENTRY(delay_with_fir_counts_each_request_sent)
                BRAID_TEST_ENTRY(force_inside_the_delay_restarts_it)
                BRAID_TEST_ENTRY(remove_forgets_the_delay)
                BRAID_TEST_ENTRY(matches_a_model_of_mediasoup))
