/* NACK generation: a sorted, bounded list of missing sequence numbers (see
 * nack_generator.h). */
#include "mediad/rtc/nack_generator.h"

#include <string.h>

#include "common/mem.h"

/* Positions start here so that they stay positive (see position()). */
#define POS_ORIGIN ((int64_t)1 << 20)

/* A missing packet. */
typedef struct entry {
  int64_t pos;  /* unwrapped sequence number */
  int64_t t_ms; /* when the gap was seen (retries == 0), else when last NACKed */
  uint8_t retries;
} entry_t;

struct braid_nack_generator {
  braid_nack_generator_config_t cfg;
  braid_nack_generator_stats_t stats;
  uint32_t rtt_ms;   /* given by set_rtt(); 0: none */
  uint32_t retry_ms; /* the interval in use: rtt_ms, else measured, else the default */
  int32_t srtt_ms;   /* smoothed repair time, and its mean deviation; valid when */
  int32_t rttvar_ms; /* stats.rtt_samples > 0 */
  bool started;
  int64_t last;     /* newest position seen */
  int64_t next_due; /* lower bound of the next due time; INT64_MAX when empty */
  entry_t *list;    /* owned: cfg.max_list entries; live ones are [head, head + n), sorted */
  size_t head, n;
  int64_t kf[BRAID_NACK_GENERATOR_KEYFRAMES]; /* recent key frame positions, oldest first */
  size_t n_kf;
};

int braid_nack_generator_new(braid_nack_generator_t **out,
                             const braid_nack_generator_config_t *cfg) {
  if (cfg->max_list == 0 || cfg->max_list > BRAID_NACK_GENERATOR_MAX_LIST) return BRAID_EINVAL;
  /* Keep every listed number within half the sequence space of the newest,
   * so that batches stay sorted in RTP order. */
  if (cfg->max_age == 0 || cfg->max_age > 32767 || cfg->max_retries == 0) return BRAID_EINVAL;
  braid_nack_generator_t *gen = braid_xcalloc(1, sizeof *gen);
  gen->cfg = *cfg;
  gen->retry_ms = BRAID_NACK_GENERATOR_DEFAULT_RTT_MS;
  gen->next_due = INT64_MAX;
  gen->list = braid_xcalloc(cfg->max_list, sizeof *gen->list);
  *out = gen;
  return 0;
}

void braid_nack_generator_free(braid_nack_generator_t *gen) {
  if (gen == NULL) return;
  braid_free(gen->list);
  braid_free(gen);
}

const braid_nack_generator_stats_t *braid_nack_generator_stats(const braid_nack_generator_t *gen) {
  return &gen->stats;
}

size_t braid_nack_generator_missing(const braid_nack_generator_t *gen) { return gen->n; }

int64_t braid_nack_generator_next_timeout(const braid_nack_generator_t *gen) {
  return gen->n == 0 ? INT64_MAX : gen->next_due;
}

void braid_nack_generator_reset(braid_nack_generator_t *gen) {
  gen->started = false;
  gen->head = gen->n = gen->n_kf = 0;
  gen->next_due = INT64_MAX;
}

static inline int64_t due_at(const braid_nack_generator_t *gen, const entry_t *e) {
  return e->t_ms + (e->retries == 0 ? (int64_t)gen->cfg.delay_ms : (int64_t)gen->retry_ms);
}

/* Recomputes next_due exactly (O(n)). */
static void recompute_due(braid_nack_generator_t *gen) {
  int64_t t = INT64_MAX;
  for (size_t i = gen->head; i < gen->head + gen->n; i++) {
    int64_t d = due_at(gen, &gen->list[i]);
    if (d < t) t = d;
  }
  gen->next_due = t;
}

uint32_t braid_nack_generator_retry_ms(const braid_nack_generator_t *gen) { return gen->retry_ms; }

/* The retry interval from what is known: the given RTT, else the measured
 * one (RFC 6298's RTO: SRTT + 4 RTTVAR, bounded), else the default. */
static void update_retry(braid_nack_generator_t *gen) {
  uint32_t r = BRAID_NACK_GENERATOR_DEFAULT_RTT_MS;
  if (gen->rtt_ms != 0) {
    r = gen->rtt_ms;
  } else if (gen->stats.rtt_samples > 0) {
    int64_t rto = (int64_t)gen->srtt_ms + 4 * (int64_t)gen->rttvar_ms;
    if (rto < BRAID_NACK_GENERATOR_MIN_RETRY_MS) rto = BRAID_NACK_GENERATOR_MIN_RETRY_MS;
    if (rto > BRAID_NACK_GENERATOR_MAX_RETRY_MS) rto = BRAID_NACK_GENERATOR_MAX_RETRY_MS;
    r = (uint32_t)rto;
  }
  if (r != gen->retry_ms) {
    gen->retry_ms = r;
    recompute_due(gen);
  }
}

void braid_nack_generator_set_rtt(braid_nack_generator_t *gen, uint32_t rtt_ms) {
  gen->rtt_ms = rtt_ms;
  update_retry(gen);
}

/* A packet NACKed once arrived through RTX `sample` ms after that NACK:
 * RFC 6298 §2 smoothing (alpha 1/8, beta 1/4), in whole ms. */
static void rtt_sample(braid_nack_generator_t *gen, int64_t sample) {
  if (sample < 0) sample = 0;
  if (sample > BRAID_NACK_GENERATOR_MAX_RETRY_MS) sample = BRAID_NACK_GENERATOR_MAX_RETRY_MS;
  int32_t r = (int32_t)sample;
  if (gen->stats.rtt_samples == 0) {
    gen->srtt_ms = r;
    gen->rttvar_ms = r / 2;
  } else {
    int32_t err = r > gen->srtt_ms ? r - gen->srtt_ms : gen->srtt_ms - r;
    gen->rttvar_ms += (err - gen->rttvar_ms) / 4;
    gen->srtt_ms += (r - gen->srtt_ms) / 8;
  }
  gen->stats.rtt_samples++;
  update_retry(gen);
}

static inline int64_t position(const braid_nack_generator_t *gen, uint16_t seq) {
  return gen->last + (int16_t)(uint16_t)(seq - (uint16_t)gen->last);
}

/* Index (absolute) of the first live entry with pos >= p. */
static size_t lower_bound(const braid_nack_generator_t *gen, int64_t p) {
  size_t lo = gen->head, hi = gen->head + gen->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (gen->list[mid].pos < p)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Drops the k oldest entries. */
static void drop_front(braid_nack_generator_t *gen, size_t k) {
  gen->head += k;
  gen->n -= k;
  gen->stats.given_up += k;
  if (gen->n == 0) gen->head = 0;
}

static void kf_add(braid_nack_generator_t *gen, int64_t pos) {
  if (gen->n_kf == BRAID_NACK_GENERATOR_KEYFRAMES) {
    memmove(gen->kf, gen->kf + 1, (gen->n_kf - 1) * sizeof gen->kf[0]);
    gen->n_kf--;
  }
  gen->kf[gen->n_kf++] = pos;
}

/* Makes room for `need` more entries by dropping what the oldest useful
 * key frame makes useless. Returns false if that is not enough. */
static bool trim_to_keyframe(braid_nack_generator_t *gen, size_t need) {
  size_t k = 0;
  while (gen->n + need > gen->cfg.max_list && k < gen->n_kf) {
    size_t below = lower_bound(gen, gen->kf[k]) - gen->head;
    if (below > 0) drop_front(gen, below);
    k++;
  }
  /* Key frames older than every remaining entry are of no further use. */
  memmove(gen->kf, gen->kf + k, (gen->n_kf - k) * sizeof gen->kf[0]);
  gen->n_kf -= k;
  return gen->n + need <= gen->cfg.max_list;
}

/* Lists positions from..to (inclusive) as missing, seen at now_ms. */
static unsigned add_missing(braid_nack_generator_t *gen, int64_t from, int64_t to, int64_t now_ms) {
  if (from > to) return 0;
  uint64_t count = (uint64_t)(to - from + 1);
  if (gen->n + count > gen->cfg.max_list && !trim_to_keyframe(gen, (size_t)count)) {
    gen->stats.given_up += gen->n;
    gen->stats.keyframes++;
    gen->head = gen->n = 0;
    gen->next_due = INT64_MAX;
    return BRAID_NACK_GENERATOR_KEYFRAME;
  }
  if (gen->head + gen->n + count > gen->cfg.max_list) {
    memmove(gen->list, gen->list + gen->head, gen->n * sizeof *gen->list);
    gen->head = 0;
  }
  entry_t *e = &gen->list[gen->head + gen->n];
  for (int64_t p = from; p <= to; p++)
    *e++ = (entry_t){p, now_ms, 0};
  gen->n += (size_t)count;
  int64_t due = now_ms + (int64_t)gen->cfg.delay_ms;
  if (due < gen->next_due) gen->next_due = due;
  return 0;
}

unsigned braid_nack_generator_receive(braid_nack_generator_t *gen, uint16_t seq, bool keyframe,
                                      bool recovered, int64_t now_ms) {
  if (!gen->started) {
    gen->started = true;
    gen->last = POS_ORIGIN + seq;
    if (keyframe) kf_add(gen, gen->last);
    return 0;
  }
  int64_t pos = position(gen, seq);
  if (pos <= gen->last) {
    if (pos == gen->last || gen->n == 0) return 0;
    size_t i = lower_bound(gen, pos);
    if (i == gen->head + gen->n || gen->list[i].pos != pos) return 0; /* reordered or a dup */
    entry_t e = gen->list[i];
    memmove(&gen->list[i], &gen->list[i + 1], (gen->head + gen->n - i - 1) * sizeof *gen->list);
    gen->n--;
    gen->stats.recovered++;
    /* Karn's rule: only a repair of a packet NACKed once times a round
     * trip (a late original would time reordering, not the path). */
    if (recovered && e.retries == 1) rtt_sample(gen, now_ms - e.t_ms);
    return BRAID_NACK_GENERATOR_RECOVERED;
  }
  if (recovered) return 0;

  /* Give up what the new packet makes too old, then list the gap. */
  int64_t oldest = pos - (int64_t)gen->cfg.max_age;
  size_t old = lower_bound(gen, oldest) - gen->head;
  if (old > 0) drop_front(gen, old);
  while (gen->n_kf > 0 && gen->kf[0] < oldest) {
    memmove(gen->kf, gen->kf + 1, (gen->n_kf - 1) * sizeof gen->kf[0]);
    gen->n_kf--;
  }
  if (keyframe) kf_add(gen, pos);
  int64_t from = gen->last + 1 > oldest ? gen->last + 1 : oldest;
  unsigned ev = add_missing(gen, from, pos - 1, now_ms);
  gen->last = pos;
  if (gen->n > 0 && gen->next_due <= now_ms) ev |= BRAID_NACK_GENERATOR_DUE;
  return ev;
}

size_t braid_nack_generator_batch(braid_nack_generator_t *gen, int64_t now_ms, uint16_t *out,
                                  size_t cap) {
  size_t w = gen->head, got = 0;
  int64_t next = INT64_MAX;
  for (size_t i = gen->head; i < gen->head + gen->n; i++) {
    entry_t e = gen->list[i];
    if (got < cap && due_at(gen, &e) <= now_ms) {
      out[got++] = (uint16_t)e.pos;
      e.retries++;
      e.t_ms = now_ms;
      if (e.retries >= gen->cfg.max_retries) {
        gen->stats.given_up++;
        continue; /* last attempt: drop it */
      }
    }
    int64_t d = due_at(gen, &e);
    if (d < next) next = d;
    gen->list[w++] = e;
  }
  gen->stats.nacked += got;
  gen->n = w - gen->head;
  if (gen->n == 0) gen->head = 0;
  gen->next_due = next;
  return got;
}
