/* Key frame request windows per producer SSRC: see keyframe_requester.h. */
#include "mediad/rtc/keyframe_requester.h"

#include <string.h>

void braid_keyframe_requester_init(braid_keyframe_requester_t *kr, bool use_pli, bool use_fir,
                                   uint32_t delay_ms) {
  memset(kr, 0, sizeof *kr);
  kr->use_pli = use_pli;
  kr->use_fir = use_fir;
  kr->delay_ms = delay_ms;
}

static braid_keyframe_requester_entry_t *find(braid_keyframe_requester_t *kr, uint32_t ssrc,
                                              bool create) {
  braid_keyframe_requester_entry_t *free_slot = NULL;
  for (size_t i = 0; i < BRAID_KEYFRAME_REQUESTER_MAX_SSRCS; i++) {
    braid_keyframe_requester_entry_t *e = &kr->entries[i];
    if (e->used && e->ssrc == ssrc) return e;
    if (!e->used && free_slot == NULL) free_slot = e;
  }
  if (!create || free_slot == NULL) return NULL;
  memset(free_slot, 0, sizeof *free_slot);
  free_slot->used = true;
  free_slot->ssrc = ssrc;
  return free_slot;
}

/* Fills *out with a request for e, PLI preferred. */
static void emit(braid_keyframe_requester_t *kr, braid_keyframe_requester_entry_t *e,
                 braid_keyframe_request_t *out) {
  out->ssrc = e->ssrc;
  if (kr->use_pli) {
    out->kind = BRAID_KEYFRAME_PLI;
    out->fir_seq = 0;
    kr->pli_count++;
  } else {
    out->kind = BRAID_KEYFRAME_FIR;
    out->fir_seq = ++e->fir_seq;
    kr->fir_count++;
  }
}

/* Opens (or restarts) e's wait window. */
static void open_wait(braid_keyframe_requester_t *kr, braid_keyframe_requester_entry_t *e,
                      int64_t now_ms, bool retry) {
  e->pending = true;
  e->retry = retry;
  e->pending_until = now_ms + BRAID_KEYFRAME_REQUESTER_WAIT_MS;
  e->pending_order = ++kr->opened;
}

/* Opens (or restarts) e's coalescing window, forgetting what it held. */
static void open_delay(braid_keyframe_requester_t *kr, braid_keyframe_requester_entry_t *e,
                       int64_t now_ms) {
  e->delaying = true;
  e->delayed = false;
  e->delay_until = now_ms + kr->delay_ms;
  e->delay_order = ++kr->opened;
}

/* The request logic once e exists; shared by need() and the end of a
 * coalescing window. */
static int need_entry(braid_keyframe_requester_t *kr, braid_keyframe_requester_entry_t *e,
                      int64_t now_ms, braid_keyframe_request_t *out) {
  if (kr->delay_ms > 0) {
    if (e->delaying) {
      e->delayed = true;
      return 0;
    }
    open_delay(kr, e, now_ms);
  }
  if (e->pending) {
    e->retry = true;
    return 0;
  }
  open_wait(kr, e, now_ms, false);
  emit(kr, e, out);
  return 1;
}

int braid_keyframe_requester_need(braid_keyframe_requester_t *kr, uint32_t ssrc, int64_t now_ms,
                                  braid_keyframe_request_t *out) {
  if (!kr->use_pli && !kr->use_fir) return 0;
  braid_keyframe_requester_entry_t *e = find(kr, ssrc, true);
  if (e == NULL) return BRAID_ELIMIT;
  return need_entry(kr, e, now_ms, out);
}

int braid_keyframe_requester_force(braid_keyframe_requester_t *kr, uint32_t ssrc, int64_t now_ms,
                                   braid_keyframe_request_t *out) {
  if (!kr->use_pli && !kr->use_fir) return 0;
  braid_keyframe_requester_entry_t *e = find(kr, ssrc, true);
  if (e == NULL) return BRAID_ELIMIT;
  if (kr->delay_ms > 0) open_delay(kr, e, now_ms);
  open_wait(kr, e, now_ms, e->pending); /* a pending request is retried once more */
  emit(kr, e, out);
  return 1;
}

void braid_keyframe_requester_received(braid_keyframe_requester_t *kr, uint32_t ssrc) {
  braid_keyframe_requester_entry_t *e = find(kr, ssrc, false);
  if (e == NULL) return;
  e->pending = false;
  e->retry = false;
}

void braid_keyframe_requester_remove(braid_keyframe_requester_t *kr, uint32_t ssrc) {
  braid_keyframe_requester_entry_t *e = find(kr, ssrc, false);
  if (e != NULL) memset(e, 0, sizeof *e);
}

int64_t braid_keyframe_requester_next_timeout(const braid_keyframe_requester_t *kr) {
  int64_t t = INT64_MAX;
  for (size_t i = 0; i < BRAID_KEYFRAME_REQUESTER_MAX_SSRCS; i++) {
    const braid_keyframe_requester_entry_t *e = &kr->entries[i];
    if (!e->used) continue;
    if (e->pending && e->pending_until < t) t = e->pending_until;
    if (e->delaying && e->delay_until < t) t = e->delay_until;
  }
  return t;
}

/* The end of e's wait window, due at now: a retry goes out when someone
 * asked meanwhile (if out has room; else it stays due), otherwise the
 * window closes. */
static void end_wait(braid_keyframe_requester_t *kr, braid_keyframe_requester_entry_t *e,
                     int64_t now_ms, braid_keyframe_request_t *out, size_t cap, size_t *n) {
  if (!e->retry) {
    e->pending = false;
  } else if (*n < cap) {
    /* Best effort in case the request or the key frame was lost; no
     * further retry unless someone asks again. */
    open_wait(kr, e, now_ms, false);
    emit(kr, e, &out[(*n)++]);
  }
}

/* The end of e's coalescing window, due at now: what arrived inside it is
 * handled as one request. That sends only when no request is pending
 * (need_entry() then writes out[*n]; without room the window stays due);
 * otherwise it just sets the retry flag. */
static void end_delay(braid_keyframe_requester_t *kr, braid_keyframe_requester_entry_t *e,
                      int64_t now_ms, braid_keyframe_request_t *out, size_t cap, size_t *n) {
  if (e->delayed && !e->pending && *n >= cap) return;
  e->delaying = false;
  if (e->delayed) {
    e->delayed = false;
    *n += (size_t)need_entry(kr, e, now_ms, &out[*n]);
  }
}

size_t braid_keyframe_requester_on_timeout(braid_keyframe_requester_t *kr, int64_t now_ms,
                                           braid_keyframe_request_t *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < BRAID_KEYFRAME_REQUESTER_MAX_SSRCS; i++) {
    braid_keyframe_requester_entry_t *e = &kr->entries[i];
    if (!e->used) continue;
    bool wait_due = e->pending && now_ms >= e->pending_until;
    bool delay_due = e->delaying && now_ms >= e->delay_until;
    /* The two windows end in the order mediasoup's timers fire: by time
     * and, when they end together, the one opened first. The order matters
     * when both end at once with a retry due and requests collected: with
     * the coalescing window first, the retry answers those requests too;
     * after it, they set the retry flag again. */
    bool delay_first =
        delay_due && (!wait_due || e->delay_until < e->pending_until ||
                      (e->delay_until == e->pending_until && e->delay_order < e->pending_order));
    if (delay_first) end_delay(kr, e, now_ms, out, cap, &n);
    if (e->pending && now_ms >= e->pending_until) end_wait(kr, e, now_ms, out, cap, &n);
    if (e->delaying && now_ms >= e->delay_until) end_delay(kr, e, now_ms, out, cap, &n);
  }
  return n;
}
