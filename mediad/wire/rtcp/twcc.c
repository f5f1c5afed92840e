/*
 * Transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
 *
 *   |V=2|P|  FMT=15 |    PT=205     |           length              |
 *   |                     SSRC of packet sender                     |
 *   |                      SSRC of media source                     |
 *   |      base sequence number     |      packet status count      |
 *   |                 reference time                | fb pkt. count |
 *   |          packet chunk         |         packet chunk    ...   |
 *   |  recv delta   |  recv delta (1 or 2 bytes each)   ...         |
 *   |                         zero padding                          |
 *
 *   run length chunk:     |0| S |  run length (13)  |
 *   one-bit vector chunk: |1|0| s0 s1 ... s13       |
 *   two-bit vector chunk: |1|1| s0 s1 ... s6        |  (2 bits each)
 *
 * Parsing walks the chunks once to validate them and to size the delta
 * area; the iterator walks chunks and deltas side by side.
 */
#include "mediad/wire/rtcp/twcc.h"

#include <string.h>

enum { SYM_NONE = 0, SYM_SMALL = 1, SYM_LARGE = 2, SYM_RESERVED = 3 };

/* Symbols a chunk holds (a run may hold 0). */
static unsigned chunk_capacity(uint16_t chunk) {
  if (!(chunk & 0x8000)) return chunk & BRAID_RTCP_TWCC_MAX_RUN;
  return chunk & 0x4000 ? 7 : 14;
}

/* Symbol k (< chunk_capacity()) of a chunk. */
static unsigned chunk_symbol(uint16_t chunk, unsigned k) {
  if (!(chunk & 0x8000)) return (chunk >> 13) & 3;
  if (!(chunk & 0x4000)) return (chunk >> (13 - k)) & 1;
  return (chunk >> (12 - 2 * k)) & 3;
}

/* Bytes of the receive delta a symbol announces. */
static size_t symbol_delta_size(unsigned sym) { return sym == SYM_LARGE ? 2 : sym; }

/* Validates one chunk covering n of its symbols; adds up deltas. */
static int check_chunk(uint16_t chunk, unsigned n, size_t *delta_bytes, uint32_t *received) {
  if (!(chunk & 0x8000)) {
    unsigned sym = chunk_symbol(chunk, 0);
    if (n > 0 && sym == SYM_RESERVED) return BRAID_EMALFORMED;
    *delta_bytes += symbol_delta_size(sym) * n;
    *received += sym != SYM_NONE ? n : 0;
    return 0;
  }
  for (unsigned k = 0; k < n; k++) {
    unsigned sym = chunk_symbol(chunk, k);
    if (sym == SYM_RESERVED) return BRAID_EMALFORMED;
    *delta_bytes += symbol_delta_size(sym);
    *received += sym != SYM_NONE;
  }
  return 0;
}

int braid_rtcp_twcc_parse(braid_rtcp_twcc_t *twcc, const uint8_t *data, size_t len,
                          const char **why) {
  braid_rd_t fci;
  uint32_t ref;
  int rc = braid_rtcp_fb_open(&twcc->fb, &fci, data, len, BRAID_RTCP_PT_RTPFB,
                              BRAID_RTCP_RTPFB_TWCC, why);
  if (rc != 0) return rc;
  if (braid_rd_u16(&fci, &twcc->base_seq) != 0 || braid_rd_u16(&fci, &twcc->status_count) != 0 ||
      braid_rd_u32(&fci, &ref) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp twcc: shorter than its fixed fields");
  twcc->ref_time = ref >> 8;
  twcc->fb_count = (uint8_t)ref;
  if (twcc->status_count == 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp twcc: status count is 0");
  twcc->chunks = fci.p;
  uint32_t covered = 0, received = 0;
  size_t delta_bytes = 0;
  while (covered < twcc->status_count) {
    uint16_t chunk;
    if (braid_rd_u16(&fci, &chunk) != 0)
      return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp twcc: chunks end before the count");
    unsigned n = chunk_capacity(chunk);
    if (n > twcc->status_count - covered) n = twcc->status_count - covered;
    if (check_chunk(chunk, n, &delta_bytes, &received) != 0)
      return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp twcc: reserved status symbol");
    covered += n;
  }
  twcc->n_chunks = (size_t)(fci.p - twcc->chunks) / 2;
  twcc->n_received = (uint16_t)received;
  if (braid_rd_bytes(&fci, delta_bytes, &twcc->deltas) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp twcc: deltas run past the packet");
  twcc->deltas_len = delta_bytes;
  if (braid_rd_left(&fci) >= 4)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp twcc: bytes after the deltas");
  return 0;
}

void braid_rtcp_twcc_iter_init(braid_rtcp_twcc_iter_t *it, const braid_rtcp_twcc_t *twcc) {
  *it = (braid_rtcp_twcc_iter_t){.fb = twcc};
  braid_rd_init(&it->chunks, twcc->chunks, twcc->n_chunks * 2);
  braid_rd_init(&it->deltas, twcc->deltas, twcc->deltas_len);
  it->arrival_us = (int64_t)twcc->ref_time * BRAID_RTCP_TWCC_REF_US;
}

bool braid_rtcp_twcc_iter_next(braid_rtcp_twcc_iter_t *it, braid_rtcp_twcc_status_t *st) {
  if (it->done >= it->fb->status_count) return false;
  while (it->left == 0) {
    /* Validated by the parser; the reader still checks the length. */
    if (braid_rd_u16(&it->chunks, &it->chunk) != 0) return false;
    it->pos = 0;
    it->left = chunk_capacity(it->chunk);
  }
  unsigned sym = chunk_symbol(it->chunk, it->pos);
  it->pos++;
  it->left--;
  st->seq = (uint16_t)(it->fb->base_seq + it->done);
  st->received = sym == SYM_SMALL || sym == SYM_LARGE;
  st->delta_us = 0;
  st->arrival_us = 0;
  if (sym == SYM_SMALL) {
    uint8_t d;
    if (braid_rd_u8(&it->deltas, &d) != 0) return false;
    st->delta_us = (int32_t)d * BRAID_RTCP_TWCC_DELTA_US;
  } else if (sym == SYM_LARGE) {
    uint16_t d;
    if (braid_rd_u16(&it->deltas, &d) != 0) return false;
    int32_t sd = d & 0x8000 ? (int32_t)d - 0x10000 : (int32_t)d; /* two's complement */
    st->delta_us = sd * BRAID_RTCP_TWCC_DELTA_US;
  } else if (sym == SYM_RESERVED) {
    return false; /* rejected by the parser */
  }
  if (st->received) {
    it->arrival_us += st->delta_us;
    st->arrival_us = it->arrival_us;
  }
  it->done++;
  return true;
}

/* ---- Builder ---------------------------------------------------------- */

#define ARRIVAL_LIMIT ((int64_t)1 << 53)

/* Produces the status symbols (and deltas) of a build input in sequence
 * order. It is a small value: copying it gives a lookahead cursor. */
typedef struct gen {
  const braid_rtcp_twcc_arrival_t *pkts; /* borrowed */
  size_t i;                              /* next received packet */
  uint16_t seq;                          /* sequence number of the next status */
  int64_t last_us;                       /* the rounded arrival time of the last delta */
} gen_t;

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

static void gen_init(gen_t *g, const braid_rtcp_twcc_build_t *in) {
  g->pkts = in->pkts;
  g->i = 0;
  g->seq = in->base_seq;
  g->last_us = floor_div(in->pkts[0].arrival_us, BRAID_RTCP_TWCC_REF_US) * BRAID_RTCP_TWCC_REF_US;
}

/* Ticks from the last rounded time to pkts[g->i], rounded to nearest. */
static int64_t gen_ticks(const gen_t *g) {
  int64_t diff = g->pkts[g->i].arrival_us - g->last_us;
  return floor_div(diff + BRAID_RTCP_TWCC_DELTA_US / 2, BRAID_RTCP_TWCC_DELTA_US);
}

/* The next status symbol; *ticks gets the delta of a received packet. The
 * caller never asks past the last packet it covers. */
static unsigned gen_next(gen_t *g, int64_t *ticks) {
  if (g->pkts[g->i].seq != g->seq) {
    g->seq++;
    return SYM_NONE;
  }
  *ticks = gen_ticks(g);
  g->last_us += *ticks * BRAID_RTCP_TWCC_DELTA_US;
  g->i++;
  g->seq++;
  return *ticks >= 0 && *ticks <= 255 ? SYM_SMALL : SYM_LARGE;
}

/* Not-received statuses before the next received packet. */
static uint32_t gen_lost(const gen_t *g) { return (uint16_t)(g->pkts[g->i].seq - g->seq); }

/* Moves past n statuses, adding up their delta bytes; runs of losses are
 * skipped in one step, so long gaps cost nothing per status. */
static void gen_advance(gen_t *g, uint32_t n, size_t *delta_bytes) {
  int64_t ticks;
  while (n > 0) {
    uint32_t lost = gen_lost(g);
    if (lost > 0) {
      uint32_t k = lost < n ? lost : n;
      g->seq = (uint16_t)(g->seq + k);
      n -= k;
    } else {
      *delta_bytes += symbol_delta_size(gen_next(g, &ticks));
      n--;
    }
  }
}

/* Position of a packet's status in the feedback. */
static uint32_t offset_of(const braid_rtcp_twcc_build_t *in, size_t i) {
  return (uint16_t)(in->pkts[i].seq - in->base_seq);
}

/* Checks the input; returns 0 or BRAID_EINVAL. */
static int check_input(const braid_rtcp_twcc_build_t *in) {
  if (in->n == 0 || in->pkts == NULL) return BRAID_EINVAL;
  if (offset_of(in, 0) >= BRAID_RTCP_TWCC_MAX_STATUS) return BRAID_EINVAL;
  for (size_t i = 0; i < in->n; i++) {
    int64_t t = in->pkts[i].arrival_us;
    if (t > ARRIVAL_LIMIT || t < -ARRIVAL_LIMIT) return BRAID_EINVAL;
    if (i > 0 && offset_of(in, i) <= offset_of(in, i - 1)) return BRAID_EINVAL;
  }
  return 0;
}

/* The most packets one feedback can cover: every delta fits 16 bits and
 * the status count fits 16 bits. At least 1: the first delta is under
 * 64 ms (plus rounding) and the first offset is checked. */
static size_t max_packets(const braid_rtcp_twcc_build_t *in) {
  gen_t g;
  gen_init(&g, in);
  for (size_t i = 0; i < in->n; i++) {
    if (offset_of(in, i) >= BRAID_RTCP_TWCC_MAX_STATUS) return i; /* would be status 65536 */
    g.i = i;
    int64_t ticks = gen_ticks(&g);
    if (ticks < INT16_MIN || ticks > INT16_MAX) return i;
    g.last_us += ticks * BRAID_RTCP_TWCC_DELTA_US;
  }
  return in->n;
}

/* Statuses of a feedback covering the first k packets. */
static uint32_t status_count(const braid_rtcp_twcc_build_t *in, size_t k) {
  return offset_of(in, k - 1) + 1;
}

static void put_chunk(uint8_t *out, size_t idx, uint16_t chunk) {
  if (out != NULL) braid_put16(out + 2 * idx, chunk);
}

/* Encodes total statuses from g as chunks, greedily: a run when 14 or more
 * equal symbols follow (or all the rest are equal), else a one-bit vector
 * when the next 14 hold no large delta, else a run of 7..13, else a
 * two-bit vector. Only the last chunk may be a partial vector. Writes the
 * chunks to out when it is not NULL; returns their number and adds the
 * delta bytes to *delta_bytes. */
static size_t encode_chunks(gen_t g, uint32_t total, uint8_t *out, size_t *delta_bytes) {
  size_t chunks = 0;
  int64_t ticks;
  for (uint32_t pos = 0; pos < total;) {
    uint32_t rest = total - pos, w = rest < 14 ? rest : 14, run = 1;
    uint32_t lost = gen_lost(&g);
    unsigned syms[14];
    if (lost >= 14) {
      /* A long gap: a run of losses, without walking it. The last status
       * is a received packet, so the gap is shorter than rest. */
      uint32_t n = lost < BRAID_RTCP_TWCC_MAX_RUN ? lost : BRAID_RTCP_TWCC_MAX_RUN;
      put_chunk(out, chunks++, (uint16_t)(SYM_NONE << 13 | n));
      g.seq = (uint16_t)(g.seq + n);
      pos += n;
      continue;
    }
    bool large = false;
    gen_t p = g;
    for (uint32_t k = 0; k < w; k++) {
      syms[k] = gen_next(&p, &ticks);
      large |= syms[k] == SYM_LARGE;
    }
    while (run < w && syms[run] == syms[0])
      run++;
    if (run == w) {
      /* The whole window is one symbol: extend the run past it. */
      while (run < rest && run < BRAID_RTCP_TWCC_MAX_RUN) {
        gen_t q = p;
        if (gen_next(&q, &ticks) != syms[0]) break;
        p = q;
        run++;
      }
    }
    uint32_t n;
    uint16_t chunk = 0;
    if (run == rest || run >= 14 || (large && run >= 7)) {
      n = run;
      chunk = (uint16_t)(syms[0] << 13 | n);
    } else if (!large) {
      n = w;
      chunk = 0x8000;
      for (uint32_t k = 0; k < n; k++)
        chunk |= (uint16_t)(syms[k] << (13 - k));
    } else {
      n = rest < 7 ? rest : 7;
      chunk = 0xc000;
      for (uint32_t k = 0; k < n; k++)
        chunk |= (uint16_t)(syms[k] << (12 - 2 * k));
    }
    put_chunk(out, chunks++, chunk);
    gen_advance(&g, n, delta_bytes);
    pos += n;
  }
  return chunks;
}

/* The packet size for the first k packets. */
static size_t packet_size(const braid_rtcp_twcc_build_t *in, size_t k) {
  gen_t g;
  size_t delta_bytes = 0;
  gen_init(&g, in);
  size_t chunks = encode_chunks(g, status_count(in, k), NULL, &delta_bytes);
  return braid__rtcp_align4(BRAID_RTCP_TWCC_HEADER_SIZE + 2 * chunks + delta_bytes);
}

/* Writes the receive deltas of the first k packets; returns their bytes. */
static size_t write_deltas(gen_t g, size_t k, uint8_t *out) {
  size_t off = 0;
  int64_t ticks;
  for (size_t i = 0; i < k; i++) {
    g.seq = g.pkts[i].seq; /* skip the losses before it */
    if (gen_next(&g, &ticks) == SYM_SMALL) {
      out[off++] = (uint8_t)ticks;
    } else {
      braid_put16(out + off, (uint16_t)(int16_t)ticks);
      off += 2;
    }
  }
  return off;
}

ssize_t braid_rtcp_twcc_write(uint8_t *buf, size_t cap, const braid_rtcp_twcc_build_t *in,
                              size_t *used) {
  int rc = check_input(in);
  if (rc != 0) return rc;
  size_t room = cap < BRAID_RTCP_MAX_PACKET ? cap : BRAID_RTCP_MAX_PACKET;
  size_t k = max_packets(in), len = packet_size(in, k);
  if (len > room) {
    /* Binary search for the longest prefix that fits: lo fits (or is 0),
     * hi does not. */
    size_t lo = 0, hi = k;
    while (hi - lo > 1) {
      size_t mid = lo + (hi - lo) / 2;
      if (packet_size(in, mid) <= room)
        lo = mid;
      else
        hi = mid;
    }
    if (lo == 0) return BRAID_ELIMIT;
    k = lo;
    len = packet_size(in, k);
  }
  gen_t g;
  size_t delta_bytes = 0;
  uint32_t total = status_count(in, k);
  gen_init(&g, in);
  int64_t ref = floor_div(in->pkts[0].arrival_us, BRAID_RTCP_TWCC_REF_US);
  uint32_t ref24 = (uint32_t)((uint64_t)ref & 0xffffff); /* two's complement, low 24 bits */
  (void)braid_rtcp_fb_write(buf, cap, BRAID_RTCP_PT_RTPFB, BRAID_RTCP_RTPFB_TWCC, len, &in->fb);
  braid_put16(buf + 12, in->base_seq);
  braid_put16(buf + 14, (uint16_t)total);
  braid_put32(buf + 16, ref24 << 8 | in->fb_count);
  size_t chunks = encode_chunks(g, total, buf + BRAID_RTCP_TWCC_HEADER_SIZE, &delta_bytes);
  size_t off = BRAID_RTCP_TWCC_HEADER_SIZE + 2 * chunks;
  off += write_deltas(g, k, buf + off);
  memset(buf + off, 0, len - off);
  *used = k;
  return (ssize_t)len;
}
