#include "mediad/rtc/transport_bwe.h"

#include <string.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/mem.h"
#include "mediad/channel/events.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/transport.h"
#include "mediad/wire/rtcp/twcc.h"
#include "mediad/wire/rtp_ext.h"
#include "proto/event.h"

#define PROBE_DURATION_US    30000
#define PROBE_MIN_PACKETS    5
/* At least this much per probe: a token bucket lets a burst smaller than
 * its depth through at any rate, and a probe that fits in one (30 ms at
 * a low rate) would show a rate the path cannot keep. */
#define PROBE_MIN_BYTES      6000
#define PROBE_MAX_PACKETS    80
#define PROBE_PADDING        240 /* padding bytes per probe packet (at most 255) */
#define PROBE_FIRST_DELAY_MS 500
#define PROBE_MIN_WAIT_MS    1000
#define PROBE_MAX_WAIT_MS    8000
#define PROBE_GAIN           2
#define PROBE_QUIET_MS       5000 /* no probe this soon after the estimate went down */
#define ALLOC_INTERVAL_MS    1000
#define EVENT_INTERVAL_MS    2000
#define ALLOC_ROUNDS         8
#define HOLD_AFTER_FALL_MS   5000 /* no budget rises this soon after the estimate fell */

braid_transport_bwe_t *braid_transport_bwe_new(uint32_t start_bps, int64_t now_ms) {
  braid_transport_bwe_t *tb = braid_calloc(1, sizeof *tb);
  if (tb == NULL) return NULL;
  braid_twcc_history_init(&tb->history);
  braid_bwe_init(&tb->bwe, start_bps ? start_bps : BRAID_BWE_START_BPS, 0, 0);
  tb->next_probe_ms = now_ms + PROBE_FIRST_DELAY_MS;
  tb->probe_backoff_ms = PROBE_MIN_WAIT_MS;
  tb->next_alloc_ms = now_ms;
  tb->next_event_ms = now_ms + EVENT_INTERVAL_MS;
  return tb;
}

void braid_transport_bwe_free(braid_transport_bwe_t *tb) { braid_free(tb); }

/* ---- distribution ---------------------------------------------------------------- */

static bool shares_bwe(const braid_consumer_t *c) { return c->pipe == NULL; }

/* Shares est among the consumers: audio first, then video by priority
 * (water-filling: each round splits what is left in proportion to the
 * priorities of those still wanting more). */
static void allocate(braid_transport_t *t, braid_transport_bwe_t *tb, int64_t now_ms) {
  uint64_t desired = 0, audio = 0;
  uint32_t est = braid_bwe_estimate(&tb->bwe);
  for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next) {
    if (!shares_bwe(c)) continue;
    uint32_t want = braid_consumer_desired_bitrate(c);
    c->bwe_allotted = 0;
    desired += want;
    if (!c->video) {
      audio += want;
      c->bwe_allotted = want;
    }
  }
  uint64_t left = est > audio ? est - audio : 0;
  for (int round = 0; round < ALLOC_ROUNDS && left > 0; round++) {
    uint64_t prio_sum = 0, given = 0;
    for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next)
      if (shares_bwe(c) && c->video && c->bwe_allotted < braid_consumer_desired_bitrate(c))
        prio_sum += c->priority;
    if (prio_sum == 0) break;
    for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next) {
      if (!shares_bwe(c) || !c->video) continue;
      uint32_t want = braid_consumer_desired_bitrate(c);
      if (c->bwe_allotted >= want) continue;
      uint64_t give = left * c->priority / prio_sum;
      if (give > want - c->bwe_allotted) give = want - c->bwe_allotted;
      c->bwe_allotted += (uint32_t)give;
      given += give;
    }
    if (given == 0) break;
    left -= given;
  }
  /* What nobody wants is shared equally as headroom (a consumer's layers
   * grow past their measured bitrate at times: key frames, motion). */
  uint64_t effective = 0, nvideo = 0;
  for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next)
    if (shares_bwe(c) && c->video) nvideo++;
  for (braid_consumer_t *c = t->consumers; c != NULL; c = c->next) {
    if (!shares_bwe(c)) continue;
    effective += c->bwe_allotted;
    if (c->video) {
      uint64_t budget = c->bwe_allotted + left / nvideo;
      if (now_ms < tb->hold_until_ms && budget > c->available_bps) budget = c->available_bps;
      braid_consumer_set_available_bitrate(c, budget > UINT32_MAX - 1 ? UINT32_MAX - 1
                                                                      : (uint32_t)budget);
    }
  }
  tb->desired_bps = desired > UINT32_MAX ? UINT32_MAX : (uint32_t)desired;
  tb->effective_desired_bps = effective > UINT32_MAX ? UINT32_MAX : (uint32_t)effective;
  tb->allocated_bps = est;
}

void braid_transport_bwe_reallocate(braid_transport_t *t) {
  if (t->bwe != NULL) t->bwe->next_alloc_ms = 0;
}

/* ---- feedback --------------------------------------------------------------------- */

static void on_result(const braid_bwe_packet_t *pkt, void *ud) { braid_bwe_on_packet(ud, pkt); }

static void after_estimate(braid_transport_t *t, braid_transport_bwe_t *tb, int64_t now_ms) {
  uint32_t est = braid_bwe_estimate(&tb->bwe);
  /* A fall by a fifth cannot wait for the next round; and budgets then
   * stay down a while, so layers do not climb straight back into the
   * congestion (each switch costs a key frame). */
  if ((uint64_t)est * 5 < (uint64_t)tb->allocated_bps * 4) {
    tb->next_alloc_ms = now_ms;
    tb->hold_until_ms = now_ms + HOLD_AFTER_FALL_MS;
  }
  (void)t;
}

void braid_transport_bwe_on_twcc(braid_transport_t *t, const uint8_t *data, size_t len,
                                 int64_t now_ms) {
  braid_transport_bwe_t *tb = t->bwe;
  braid_rtcp_twcc_t fb;
  if (tb == NULL || braid_rtcp_twcc_parse(&fb, data, len, NULL) != 0) return;
  if (braid_twcc_history_resolve(&tb->history, &fb, on_result, &tb->bwe) == 0) return;
  braid_bwe_on_feedback(&tb->bwe, now_ms);
  after_estimate(t, tb, now_ms);
}

void braid_transport_bwe_on_remb(braid_transport_t *t, uint64_t bps, int64_t now_ms) {
  braid_transport_bwe_t *tb = t->bwe;
  if (tb == NULL) return;
  braid_bwe_on_remb(&tb->bwe, bps > UINT32_MAX ? UINT32_MAX : (uint32_t)bps, now_ms);
  after_estimate(t, tb, now_ms);
}

/* ---- probes ------------------------------------------------------------------------- */

/* The consumer whose extension ids the probator stream borrows: a video
 * consumer with a transport-wide sequence number id (mediasoup-client
 * gives the probator m-line the first video consumer's extensions). */
static const braid_consumer_t *probe_template(const braid_transport_t *t) {
  for (const braid_consumer_t *c = t->consumers; c != NULL; c = c->next)
    if (c->pipe == NULL && c->video && c->ext.twcc != 0) return c;
  return NULL;
}

/* Builds and sends one padding-only packet on the probator stream. */
static bool send_probe_packet(braid_transport_t *t, braid_transport_bwe_t *tb,
                              const braid_consumer_t *tpl, int64_t now_us) {
  braid_rtp_ext_entry_t e[3];
  uint8_t abs_send[3], twcc[2];
  size_t n = 0, block, cap;
  braid_rtp_ext_form_t form;
  if (tpl->ext.mid)
    e[n++] = (braid_rtp_ext_entry_t){.val = (const uint8_t *)BRAID_PROBATOR_MID,
                                     .id = tpl->ext.mid,
                                     .len = sizeof BRAID_PROBATOR_MID - 1};
  if (tpl->ext.abs_send_time) {
    uint32_t v = braid_rtp_ext_abs_send_time_from_us((uint64_t)now_us);
    abs_send[0] = (uint8_t)(v >> 16), abs_send[1] = (uint8_t)(v >> 8), abs_send[2] = (uint8_t)v;
    e[n++] = (braid_rtp_ext_entry_t){.val = abs_send, .id = tpl->ext.abs_send_time, .len = 3};
  }
  braid_put16(twcc, t->twcc_seq);
  e[n++] = (braid_rtp_ext_entry_t){.val = twcc, .id = tpl->ext.twcc, .len = 2};
  if (braid_rtp_ext_block_size(e, n, &block, &form) != 0) return false;
  uint8_t *buf = braid_transport_tx_buf(t, &cap);
  size_t len = 12 + block + PROBE_PADDING;
  if (buf == NULL || len > cap) return false;
  buf[0] = 0x80 | 0x20 | 0x10; /* V=2, padding, extension */
  buf[1] = BRAID_PROBATOR_PT;
  braid_put16(buf + 2, tb->probator_seq++);
  braid_put32(buf + 4, tb->probator_ts);
  braid_put32(buf + 8, BRAID_PROBATOR_SSRC);
  braid_rtp_ext_block_write(buf + 12, e, n, block, form);
  memset(buf + 12 + block, 0, PROBE_PADDING - 1);
  buf[len - 1] = PROBE_PADDING;
  braid_twcc_history_sent(&tb->history, t->twcc_seq, len, now_us, tb->probe_id);
  t->twcc_seq++;
  tb->probe_packets++;
  tb->probe_bytes += len;
  braid_transport_tx_rtp(t, len);
  return true;
}

static void probe_start(braid_transport_t *t, braid_transport_bwe_t *tb, int64_t now_ms) {
  uint32_t est = braid_bwe_estimate(&tb->bwe);
  tb->next_probe_ms = now_ms + PROBE_MIN_WAIT_MS; /* unless a probe starts */
  uint64_t target = (uint64_t)est * PROBE_GAIN;
  uint64_t want = (uint64_t)tb->desired_bps + tb->desired_bps / 5;
  if (target > want) target = want;
  if (target <= (uint64_t)est + est / 10 || probe_template(t) == NULL || !t->connected) return;
  /* Not into a path that is losing packets or just backed off: a probe
   * there only adds loss. */
  if (tb->bwe.loss_fraction > 0.02 ||
      (tb->bwe.last_decrease_ms >= 0 && now_ms - tb->bwe.last_decrease_ms < PROBE_QUIET_MS)) {
    tb->next_probe_ms = now_ms + tb->probe_backoff_ms;
    return;
  }
  size_t pkt = 12 + 20 + PROBE_PADDING;
  uint64_t n = target * PROBE_DURATION_US / 8000000 / pkt;
  if (n < PROBE_MIN_BYTES / pkt) n = PROBE_MIN_BYTES / pkt;
  if (n < PROBE_MIN_PACKETS) n = PROBE_MIN_PACKETS;
  if (n > PROBE_MAX_PACKETS) n = PROBE_MAX_PACKETS;
  int id = (tb->probe_id + 1) & 0x3fff;
  if (!braid_bwe_probe_begin(&tb->bwe, id, (uint32_t)target, (unsigned)n, now_ms)) return;
  tb->probe_id = id;
  tb->probing = true;
  tb->probe_bps = (uint32_t)target;
  tb->probe_n = (unsigned)n;
  tb->probe_span_us = (int64_t)(n * pkt * 8000000 / target);
  tb->probe_sent = 0;
  tb->probe_start_ms = now_ms;
  tb->probe_before_bps = est;
  tb->probator_ts += 90 * 100;
}

/* Sends the probe packets due by now (paced at the probe's rate). */
static void probe_pace(braid_transport_t *t, braid_transport_bwe_t *tb, int64_t now_ms) {
  const braid_consumer_t *tpl = probe_template(t);
  int64_t now_us = braid_clock_mono_us();
  size_t pkt = 12 + 20 + PROBE_PADDING;
  /* Paced on the loop's millisecond clock (the timer's); each packet's
   * send time in the history is the precise one. */
  uint64_t elapsed = (uint64_t)(now_ms - tb->probe_start_ms) * 1000;
  uint64_t due = 1 + elapsed * tb->probe_bps / 8000000 / pkt;
  if (due > tb->probe_n) due = tb->probe_n;
  while (tpl != NULL && tb->probe_sent < due) {
    if (!send_probe_packet(t, tb, tpl, now_us)) break;
    tb->probe_sent++;
  }
  tb->probe_tick_ms = now_ms + 1;
  if (tpl == NULL || tb->probe_sent >= tb->probe_n || elapsed > 2 * (uint64_t)tb->probe_span_us + 20000) {
    braid_bwe_probe_end(&tb->bwe, tb->probe_id, tb->probe_sent);
    tb->probing = false;
    tb->next_probe_ms = now_ms + tb->probe_backoff_ms;
  }
}

/* After a probe was measured: soon again if it helped, later if not. */
static void probe_judge(braid_transport_bwe_t *tb) {
  uint32_t est = braid_bwe_estimate(&tb->bwe);
  if ((uint64_t)est * 10 >= (uint64_t)tb->probe_before_bps * 12) {
    tb->probe_backoff_ms = PROBE_MIN_WAIT_MS;
  } else {
    tb->probe_backoff_ms *= 2;
    if (tb->probe_backoff_ms > PROBE_MAX_WAIT_MS) tb->probe_backoff_ms = PROBE_MAX_WAIT_MS;
  }
  tb->probe_before_bps = 0;
}

/* ---- reports -------------------------------------------------------------------------- */

static bool differs(uint32_t a, uint32_t b) {
  uint32_t hi = a > b ? a : b, lo = a > b ? b : a;
  return (uint64_t)(hi - lo) * 20 > hi; /* by more than 5 % */
}

static void publish(braid_transport_t *t, braid_transport_bwe_t *tb) {
  uint32_t avail = braid_bwe_estimate(&tb->bwe);
  if (!differs(avail, tb->event_available_bps) && !differs(tb->desired_bps, tb->event_desired_bps))
    return;
  BRAID_LOGD("bwe",
             "transport %s: available %u bps, desired %u, effective %u (acked %u, lost %llu/%llu)",
             t->id, avail, tb->desired_bps, tb->effective_desired_bps, braid_bwe_acked(&tb->bwe),
             (unsigned long long)tb->bwe.packets_lost,
             (unsigned long long)(tb->bwe.packets_lost + tb->bwe.packets_received));
  tb->event_available_bps = avail;
  tb->event_desired_bps = tb->desired_bps;
  braid_event_t ev = {.type = BRAID_EV_TRANSPORT_BWE,
                      .room_id = braid_str_c(t->room_id),
                      .transport_id = braid_str_c(t->id),
                      .desired_bitrate = tb->desired_bps,
                      .effective_desired_bitrate = tb->effective_desired_bps,
                      .available_bitrate = avail};
  braid_mediad_publish_event(t->md, &ev);
}

/* ---- timers ---------------------------------------------------------------------------- */

int64_t braid_transport_bwe_next_timeout(const braid_transport_t *t) {
  const braid_transport_bwe_t *tb = t->bwe;
  if (tb == NULL) return INT64_MAX;
  if (tb->probing) return tb->probe_tick_ms;
  int64_t next = tb->next_alloc_ms < tb->next_event_ms ? tb->next_alloc_ms : tb->next_event_ms;
  if (tb->desired_bps > braid_bwe_estimate(&tb->bwe) && tb->next_probe_ms < next)
    next = tb->next_probe_ms;
  return next;
}

void braid_transport_bwe_on_timeout(braid_transport_t *t, int64_t now_ms) {
  braid_transport_bwe_t *tb = t->bwe;
  if (tb == NULL) return;
  if (tb->probing) probe_pace(t, tb, now_ms);
  if (tb->probe_before_bps != 0 && !tb->probing && !braid_bwe_probing(&tb->bwe, now_ms))
    probe_judge(tb);
  if (now_ms >= tb->next_alloc_ms) {
    tb->next_alloc_ms = now_ms + ALLOC_INTERVAL_MS;
    allocate(t, tb, now_ms);
  }
  if (!tb->probing && now_ms >= tb->next_probe_ms && tb->desired_bps > braid_bwe_estimate(&tb->bwe))
    probe_start(t, tb, now_ms);
  if (tb->probing) probe_pace(t, tb, now_ms);
  if (now_ms >= tb->next_event_ms) {
    tb->next_event_ms = now_ms + EVENT_INTERVAL_MS;
    publish(t, tb);
  }
}
