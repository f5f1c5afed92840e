/* Consumer stream sequence number and timestamp rewriting: see
 * seq_rewriter.h for the rules. */
#include "mediad/rtc/seq_rewriter.h"

#include <string.h>

#define WINDOW_MASK ((int64_t)BRAID_SEQ_REWRITER_WINDOW - 1)

/* Positions after a sync start here, so that they stay positive for any
 * practical stream length and a wrap of the first seq is still "after". */
#define POS_ORIGIN ((int64_t)1 << 20)

/* The mask of the bits of one 64-bit word from bit `bit` for n bits
 * (1 <= n <= 64 - bit). */
static inline uint64_t word_mask(unsigned bit, unsigned n) {
  uint64_t m = n >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << n) - 1);
  return m << bit;
}

/* Clears (clear) or counts the set bits of positions lo..hi (inclusive,
 * hi - lo < WINDOW). The window is circular, so the range is walked one
 * 64-bit word at a time. */
static unsigned walk_bits(uint64_t *bm, int64_t lo, int64_t hi, bool clear) {
  unsigned n = 0;
  while (lo <= hi) {
    unsigned idx = (unsigned)(lo & WINDOW_MASK);
    unsigned bit = idx & 63, take = 64 - bit;
    if (hi - lo + 1 < (int64_t)take) take = (unsigned)(hi - lo + 1);
    uint64_t m = word_mask(bit, take);
    if (clear)
      bm[idx >> 6] &= ~m;
    else
      n += (unsigned)__builtin_popcountll(bm[idx >> 6] & m);
    lo += take;
  }
  return n;
}

static inline bool bit_get(const uint64_t *bm, int64_t pos) {
  unsigned idx = (unsigned)(pos & WINDOW_MASK);
  return (bm[idx >> 6] >> (idx & 63)) & 1;
}

static inline void bit_set(uint64_t *bm, int64_t pos) {
  unsigned idx = (unsigned)(pos & WINDOW_MASK);
  bm[idx >> 6] |= (uint64_t)1 << (idx & 63);
}

/* Makes pos the newest input position: the positions in between become
 * fresh (their bits may still hold marks from one window ago). */
static void advance(braid_seq_rewriter_t *rw, int64_t pos) {
  if (pos - rw->max_in == 1) { /* the common case: the next packet */
    unsigned idx = (unsigned)(pos & WINDOW_MASK);
    rw->dropped[idx >> 6] &= ~((uint64_t)1 << (idx & 63));
  } else if (pos - rw->max_in >= BRAID_SEQ_REWRITER_WINDOW) {
    memset(rw->dropped, 0, sizeof rw->dropped);
  } else {
    walk_bits(rw->dropped, rw->max_in + 1, pos, true);
  }
  rw->max_in = pos;
}

/* The position of seq relative to the newest input (within +-32K). */
static inline int64_t position(const braid_seq_rewriter_t *rw, uint16_t seq) {
  return rw->max_in + (int16_t)(uint16_t)(seq - (uint16_t)rw->max_in);
}

void braid_seq_rewriter_init(braid_seq_rewriter_t *rw, uint32_t clock_rate,
                             uint16_t first_out_seq) {
  memset(rw, 0, sizeof *rw);
  rw->clock_rate = clock_rate;
  rw->max_out = (uint16_t)(first_out_seq - 1);
}

/* The timestamp offset that puts ts right after the highest output
 * timestamp, moved on by the wall time since it was sent. */
static uint32_t wall_clock_offset(const braid_seq_rewriter_t *rw, uint32_t ts, int64_t now_ms) {
  int64_t elapsed = now_ms - rw->max_out_ms;
  if (elapsed < 0) elapsed = 0;
  uint64_t units = (uint64_t)elapsed * rw->clock_rate / 1000;
  if (units == 0) units = 1;
  return (uint32_t)(rw->max_out_ts + (uint32_t)units - ts);
}

void braid_seq_rewriter_sync(braid_seq_rewriter_t *rw, uint16_t seq, uint32_t ts, int64_t now_ms,
                             unsigned flags) {
  uint16_t next = (uint16_t)(rw->max_out + 1);
  if ((flags & BRAID_SEQ_REWRITER_MARK_GAP) && rw->has_output && !rw->last_marker) next++;
  rw->base = (uint16_t)(next - seq);
  rw->max_in = POS_ORIGIN + seq - 1;
  rw->floor_in = rw->max_in + 1;
  memset(rw->dropped, 0, sizeof rw->dropped);
  rw->started = true;

  if (!rw->has_output) return; /* nothing sent yet: keep the offset (0 from init) */
  /* Keep the offset only if the timestamp still moves forward. */
  if ((flags & BRAID_SEQ_REWRITER_KEEP_TS) && (int32_t)(ts + rw->ts_offset - rw->max_out_ts) > 0)
    return;
  rw->ts_offset = wall_clock_offset(rw, ts, now_ms);
}

int braid_seq_rewriter_input(braid_seq_rewriter_t *rw, uint16_t seq, uint32_t ts, bool marker,
                             int64_t now_ms, uint16_t *out_seq, uint32_t *out_ts) {
  if (!rw->started) braid_seq_rewriter_sync(rw, seq, ts, now_ms, BRAID_SEQ_REWRITER_KEEP_TS);

  int64_t pos = position(rw, seq);
  uint16_t out;
  if (pos > rw->max_in) {
    advance(rw, pos);
    out = (uint16_t)(seq + rw->base);
  } else {
    if (pos < rw->floor_in || rw->max_in - pos >= BRAID_SEQ_REWRITER_WINDOW) return BRAID_ESTATE;
    if (bit_get(rw->dropped, pos)) return BRAID_EEXIST;
    /* base already counts every drop newer than pos: add those back. */
    unsigned later_drops = pos < rw->max_in ? walk_bits(rw->dropped, pos + 1, rw->max_in, false) : 0;
    out = (uint16_t)(seq + rw->base + later_drops);
  }

  uint32_t ots = ts + rw->ts_offset;
  if (!rw->has_output || (int16_t)(uint16_t)(out - rw->max_out) > 0) {
    rw->max_out = out;
    rw->last_marker = marker;
  }
  if (!rw->has_output || (int32_t)(ots - rw->max_out_ts) > 0) {
    rw->max_out_ts = ots;
    rw->max_out_ms = now_ms;
  }
  rw->has_output = true;
  *out_seq = out;
  *out_ts = ots;
  return 0;
}

void braid_seq_rewriter_drop(braid_seq_rewriter_t *rw, uint16_t seq) {
  if (!rw->started) return;
  int64_t pos = position(rw, seq);
  if (pos <= rw->max_in) return;
  advance(rw, pos);
  bit_set(rw->dropped, pos);
  rw->base--;
}
