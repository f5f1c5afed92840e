#include "mediad/rtc/bwe.h"

#include <math.h>
#include <string.h>

#define BETA                 0.85
#define DECREASE_INTERVAL_MS 200
#define INCREASE_PER_S       1.08
#define ACKED_CAP_FACTOR     1.5
#define ACKED_CAP_EXTRA      10000.0
#define ACKED_MIN_SPAN_US    150000
/* Additive increase near the link capacity: one 1,200-byte packet per
 * response time (~300 ms). */
#define ADDITIVE_BPS_PER_S        (1200.0 * 8 / 0.3)
#define LOSS_LOW                  0.02
#define LOSS_HIGH                 0.10
#define LOSS_MIN_PACKETS          20
#define LOSS_INTERVAL_MS          1000
#define LOSS_DECREASE_INTERVAL_MS 300
#define REMB_TTL_MS               5000
#define PROBE_TIMEOUT_MS          1000
#define PROBE_MIN_RECEIVED        0.8
#define PROBE_MIN_PACKETS         4

void braid_bwe_init(braid_bwe_t *b, uint32_t start_bps, uint32_t min_bps, uint32_t max_bps) {
  memset(b, 0, sizeof *b);
  braid_bwe_delay_init(&b->delay);
  b->min_bps = min_bps ? min_bps : BRAID_BWE_MIN_BPS;
  b->max_bps = max_bps ? max_bps : UINT32_MAX;
  b->delay_bps = b->loss_bps = start_bps;
  b->last_update_ms = b->last_decrease_ms = b->last_loss_ms = b->last_loss_decrease_ms = -1;
  b->last_feedback_ms = -1;
  for (unsigned i = 0; i < BRAID_BWE_PROBE_SLOTS; i++)
    b->probes[i].id = -1;
  b->estimate_bps = start_bps < b->min_bps   ? b->min_bps
                    : start_bps > b->max_bps ? b->max_bps
                                             : start_bps;
}

void braid_bwe_set_bounds(braid_bwe_t *b, uint32_t min_bps, uint32_t max_bps) {
  b->min_bps = min_bps ? min_bps : BRAID_BWE_MIN_BPS;
  b->max_bps = max_bps ? max_bps : UINT32_MAX;
}

/* ---- acknowledged bitrate --------------------------------------------------- */

static void acked_add(braid_bwe_t *b, int64_t arrival_us, uint32_t size) {
  if (b->acked_n == BRAID_BWE_ACKED_SLOTS) { /* full: forget the oldest */
    b->acked_bytes -= b->acked[b->acked_head].size;
    b->acked_head = (b->acked_head + 1) % BRAID_BWE_ACKED_SLOTS;
    b->acked_n--;
  }
  unsigned tail = (b->acked_head + b->acked_n) % BRAID_BWE_ACKED_SLOTS;
  b->acked[tail].arrival_us = arrival_us;
  b->acked[tail].size = size;
  b->acked_n++;
  b->acked_bytes += size;
  /* Keep what arrived within the window before this packet. */
  while (b->acked_n > 1 &&
         arrival_us - b->acked[b->acked_head].arrival_us > BRAID_BWE_ACKED_WINDOW_US) {
    b->acked_bytes -= b->acked[b->acked_head].size;
    b->acked_head = (b->acked_head + 1) % BRAID_BWE_ACKED_SLOTS;
    b->acked_n--;
  }
}

static void acked_update(braid_bwe_t *b) {
  if (b->acked_n < 2) return;
  unsigned last = (b->acked_head + b->acked_n - 1) % BRAID_BWE_ACKED_SLOTS;
  int64_t span = b->acked[last].arrival_us - b->acked[b->acked_head].arrival_us;
  if (span < ACKED_MIN_SPAN_US) return;
  if (span < BRAID_BWE_ACKED_WINDOW_US && b->acked_bps != 0) span = BRAID_BWE_ACKED_WINDOW_US;
  b->acked_bps = (uint32_t)fmin((double)b->acked_bytes * 8e6 / (double)span, 4e9);
}

/* ---- probes ------------------------------------------------------------------- */

static braid_bwe_probe_cluster_t *probe_find(braid_bwe_t *b, int id) {
  for (unsigned i = 0; i < BRAID_BWE_PROBE_SLOTS; i++)
    if (b->probes[i].id == id) return &b->probes[i];
  return NULL;
}

bool braid_bwe_probe_begin(braid_bwe_t *b, int id, uint32_t target_bps, unsigned n,
                           int64_t now_ms) {
  braid_bwe_probe_cluster_t *c = probe_find(b, -1);
  if (c == NULL || id < 0 || n == 0) return false;
  memset(c, 0, sizeof *c);
  c->id = (int16_t)id;
  c->target_bps = target_bps;
  c->n_sent = n;
  c->started_ms = now_ms;
  c->first_send_us = c->first_arrival_us = INT64_MAX;
  c->last_send_us = c->last_arrival_us = INT64_MIN;
  return true;
}

bool braid_bwe_probing(const braid_bwe_t *b, int64_t now_ms) {
  for (unsigned i = 0; i < BRAID_BWE_PROBE_SLOTS; i++)
    if (b->probes[i].id >= 0 && now_ms - b->probes[i].started_ms < PROBE_TIMEOUT_MS) return true;
  return false;
}

static void probe_add(braid_bwe_probe_cluster_t *c, const braid_bwe_packet_t *p) {
  c->n_resolved++;
  c->sent_bytes += p->size;
  if (p->send_us < c->first_send_us) c->first_send_us = p->send_us;
  if (p->send_us >= c->last_send_us) {
    c->last_send_us = p->send_us;
    c->last_send_size = p->size;
  }
  if (p->arrival_us < 0) return;
  c->n_received++;
  c->recv_bytes += p->size;
  if (p->arrival_us < c->first_arrival_us) {
    c->first_arrival_us = p->arrival_us;
    c->first_arrival_size = p->size;
  }
  if (p->arrival_us > c->last_arrival_us) c->last_arrival_us = p->arrival_us;
}

/* The rate a finished cluster shows, 0 when it shows nothing: the bytes
 * after the first arrival over the arrival span, bounded by the bytes
 * before the last send over the send span (a link that delivered slower
 * than we sent is saturated: a little under what it delivered). */
static uint32_t probe_result(const braid_bwe_probe_cluster_t *c) {
  if (c->n_received < PROBE_MIN_PACKETS || c->n_received < PROBE_MIN_RECEIVED * c->n_sent) return 0;
  int64_t send_span = c->last_send_us - c->first_send_us;
  int64_t recv_span = c->last_arrival_us - c->first_arrival_us;
  if (send_span <= 0 || recv_span <= 0) return 0;
  double send_bps = (double)(c->sent_bytes - c->last_send_size) * 8e6 / (double)send_span;
  double recv_bps = (double)(c->recv_bytes - c->first_arrival_size) * 8e6 / (double)recv_span;
  double r = recv_bps < 0.9 * send_bps ? 0.95 * recv_bps : fmin(send_bps, recv_bps);
  return (uint32_t)fmin(r, 4e9);
}

static void probe_finish(braid_bwe_t *b, braid_bwe_probe_cluster_t *c) {
  uint32_t r = probe_result(c);
  c->id = -1;
  if (r == 0) return;
  b->last_probe_result_bps = r;
  if (r > b->delay_bps) b->delay_bps = r;
  if (r > b->loss_bps && b->loss_fraction < LOSS_HIGH) b->loss_bps = r;
}

void braid_bwe_probe_end(braid_bwe_t *b, int id, unsigned sent) {
  braid_bwe_probe_cluster_t *c = probe_find(b, id);
  if (c == NULL || sent >= c->n_sent) return;
  c->n_sent = sent;
  if (sent == 0)
    c->id = -1;
  else if (c->n_resolved >= c->n_sent)
    probe_finish(b, c);
}

/* ---- per packet ------------------------------------------------------------------ */

void braid_bwe_on_packet(braid_bwe_t *b, const braid_bwe_packet_t *pkt) {
  if (pkt->late) { /* counted as lost already: only its arrival is new */
    acked_add(b, pkt->arrival_us, pkt->size);
    braid_bwe_delay_on_packet(&b->delay, pkt->send_us, pkt->arrival_us);
    return;
  }
  b->resolved++;
  if (pkt->arrival_us < 0) {
    b->lost++;
    b->packets_lost++;
  } else {
    b->packets_received++;
    acked_add(b, pkt->arrival_us, pkt->size);
    braid_bwe_delay_on_packet(&b->delay, pkt->send_us, pkt->arrival_us);
  }
  if (pkt->probe >= 0) {
    braid_bwe_probe_cluster_t *c = probe_find(b, pkt->probe);
    if (c != NULL) {
      probe_add(c, pkt);
      if (c->n_resolved >= c->n_sent) probe_finish(b, c);
    }
  }
}

/* ---- rate control ------------------------------------------------------------------ */

/* The acked rate at a decrease feeds the link capacity estimate (an
 * average with a normalised variance), which tells whether an increase
 * should be careful (additive) or not. */
static void link_update(braid_bwe_t *b, double acked) {
  if (!b->link_known) {
    b->link_bps = acked;
    b->link_var = 0.4;
    b->link_known = true;
    return;
  }
  double a = 0.05;
  double norm = fmax(b->link_bps, 1.0);
  double err = b->link_bps - acked;
  b->link_bps = (1 - a) * b->link_bps + a * acked;
  b->link_var = (1 - a) * b->link_var + a * err * err / norm;
  if (b->link_var < 0.4) b->link_var = 0.4;
  if (b->link_var > 2.5) b->link_var = 2.5;
}

static void delay_control(braid_bwe_t *b, int64_t now_ms) {
  double dt = b->last_update_ms < 0 ? 0 : (double)(now_ms - b->last_update_ms) / 1000.0;
  if (dt > 1) dt = 1;
  b->last_update_ms = now_ms;
  double acked = b->acked_bps;
  switch (braid_bwe_delay_usage(&b->delay)) {
  case BRAID_BWE_OVERUSE:
    if (b->last_decrease_ms >= 0 && now_ms - b->last_decrease_ms < DECREASE_INTERVAL_MS) return;
    if (acked > 0) {
      double next = BETA * acked;
      if (next < b->delay_bps) b->delay_bps = next;
      /* A link far from what we believed: forget the old capacity. */
      if (b->link_known && acked < b->link_bps - 3 * sqrt(b->link_var * b->link_bps))
        b->link_known = false;
      link_update(b, acked);
    } else {
      b->delay_bps *= BETA;
    }
    b->last_decrease_ms = now_ms;
    return;
  case BRAID_BWE_UNDERUSE: return; /* hold while the queues drain */
  case BRAID_BWE_NORMAL: break;
  }
  if (b->link_known && acked > b->link_bps + 3 * sqrt(b->link_var * b->link_bps))
    b->link_known = false; /* more than we thought: explore again */
  double next;
  if (b->link_known && b->delay_bps > 0.9 * b->link_bps)
    next = b->delay_bps + ADDITIVE_BPS_PER_S * dt;
  else
    next = b->delay_bps * pow(INCREASE_PER_S, dt);
  if (acked > 0) {
    double cap = ACKED_CAP_FACTOR * acked + ACKED_CAP_EXTRA;
    if (next > cap) next = fmax(cap, b->delay_bps); /* no higher, and no cut either */
  }
  b->delay_bps = next;
}

/* Loss is judged over at least LOSS_INTERVAL_MS and LOSS_MIN_PACKETS (a
 * key frame that overflowed a queue is one event, not ten), or over
 * whatever came in twice that time. */
static void loss_control(braid_bwe_t *b, int64_t now_ms) {
  if (b->last_loss_ms < 0) b->last_loss_ms = now_ms;
  int64_t since = now_ms - b->last_loss_ms;
  if (b->resolved == 0 || since < LOSS_INTERVAL_MS ||
      (b->resolved < LOSS_MIN_PACKETS && since < 2 * LOSS_INTERVAL_MS))
    return;
  double frac = (double)b->lost / (double)b->resolved;
  b->loss_fraction = frac;
  b->lost = b->resolved = 0;
  b->last_loss_ms = now_ms;
  if (frac < LOSS_LOW) {
    b->loss_bps = fmax(b->loss_bps, b->delay_bps); /* loss sets no bound */
  } else if (frac <= LOSS_HIGH) {
    b->loss_bps = fmin(b->loss_bps, (double)b->estimate_bps); /* hold */
  } else if (b->last_loss_decrease_ms < 0 ||
             now_ms - b->last_loss_decrease_ms >= LOSS_DECREASE_INTERVAL_MS) {
    /* Down by half the loss, but not under half of what got through:
     * what arrives is carried, whatever was lost beside it. */
    double next = fmin(b->loss_bps, (double)b->estimate_bps) * (1 - 0.5 * frac);
    b->loss_bps = fmax(next, fmin(b->loss_bps, 0.5 * b->acked_bps));
    b->last_loss_decrease_ms = now_ms;
  }
}

static bool settle(braid_bwe_t *b, int64_t now_ms) {
  double e = fmin(b->delay_bps, b->loss_bps);
  bool remb = b->remb_bps != 0 && now_ms - b->remb_ms <= REMB_TTL_MS;
  bool twcc = b->last_feedback_ms >= 0 && now_ms - b->last_feedback_ms <= REMB_TTL_MS;
  if (remb) e = twcc ? fmin(e, b->remb_bps) : b->remb_bps; /* REMB alone: the receiver's estimate */
  if (e < b->min_bps) e = b->min_bps;
  if (e > b->max_bps) e = b->max_bps;
  /* The bounds must not run away from the result while unused. */
  if (b->delay_bps < b->min_bps) b->delay_bps = b->min_bps;
  if (b->delay_bps > b->max_bps) b->delay_bps = b->max_bps;
  if (b->loss_bps < b->min_bps) b->loss_bps = b->min_bps;
  if (b->loss_bps > b->max_bps) b->loss_bps = b->max_bps;
  uint32_t v = (uint32_t)e;
  bool changed = v != b->estimate_bps;
  b->estimate_bps = v;
  return changed;
}

bool braid_bwe_on_feedback(braid_bwe_t *b, int64_t now_ms) {
  b->last_feedback_ms = now_ms;
  acked_update(b);
  for (unsigned i = 0; i < BRAID_BWE_PROBE_SLOTS; i++) {
    braid_bwe_probe_cluster_t *c = &b->probes[i];
    if (c->id >= 0 && now_ms - c->started_ms >= PROBE_TIMEOUT_MS) probe_finish(b, c);
  }
  delay_control(b, now_ms);
  loss_control(b, now_ms);
  return settle(b, now_ms);
}

bool braid_bwe_on_remb(braid_bwe_t *b, uint32_t bps, int64_t now_ms) {
  b->remb_bps = bps;
  b->remb_ms = now_ms;
  return settle(b, now_ms);
}
