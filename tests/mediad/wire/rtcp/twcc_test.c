/* Unit tests of transport-wide CC feedback, mediad/wire/rtcp/twcc.c. */
#include "mediad/wire/rtcp/twcc.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* 42 statuses from 65534 (across the wrap), one chunk of each kind:
 *   65534 .. 11   one-bit vector: received but 65535 and 2
 *   12 .. 18      two-bit vector: large, small, small, large, -, -, small
 *   19 .. 38      run of 20 not received
 *   39            run of 1 received
 * This is exactly what braid_rtcp_twcc_write() produces for these
 * arrivals, so it also serves as the round-trip vector. */
static const uint8_t twcc_mixed[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x0b,             /* length=11: 48 bytes */
    0xfa, 0x17, 0xfa, 0x17, /* SSRC of packet sender */
    0x4d, 0x4d, 0x4d, 0x4d, /* SSRC of media source */
    0xff, 0xfe,             /* base sequence number 65534 */
    0x00, 0x2a,             /* packet status count 42 */
    0x12, 0x34, 0x56,       /* reference time 0x123456 * 64 ms */
    0x07,                   /* fb pkt count 7 */
    0xad, 0xff,             /* one-bit vector: 1 0 1 1 0 1 1 1 1 1 1 1 1 1 */
    0xe5, 0x81,             /* two-bit vector: 10 01 01 10 00 00 01 */
    0x00, 0x14,             /* run length: symbol 00 (not received), run 20 */
    0x20, 0x01,             /* run length: symbol 01 (small delta), run 1 */
    0x0a,                   /* 65534: +10 ticks (2.5 ms after the reference) */
    0x04,                   /* 0: +4 */
    0x04,                   /* 1: +4 */
    0x08,                   /* 3: +8 */
    0x01, 0x02, 0x03, 0x04, /* 4 .. 7: +1, +2, +3, +4 */
    0x05, 0x06, 0x07, 0x08, /* 8 .. 11: +5, +6, +7, +8 */
    0x01, 0x2c,             /* 12: large, +300 ticks (75 ms) */
    0x00,                   /* 13: +0 */
    0xff,                   /* 14: +255 */
    0xff, 0xf8,             /* 15: large, -8 ticks (reordered) */
    0x14,                   /* 18: +20 */
    0x64,                   /* 39: +100 */
};

/* Expected statuses of twcc_mixed: seq and delta in ticks, or -1000 for
 * not received. */
static const struct {
  uint16_t seq;
  int delta;
} mixed_expect[] = {
    {65534, 10}, {65535, -1000}, {0, 4}, {1, 4},  {2, -1000}, {3, 8},      {4, 1},
    {5, 2},      {6, 3},         {7, 4}, {8, 5},  {9, 6},     {10, 7},     {11, 8},
    {12, 300},   {13, 0},        {14, 255}, {15, -8}, {16, -1000}, {17, -1000}, {18, 20},
};

/* libwebrtc's feedback for 9 packets in a row: one run-length chunk, and
 * the 31 bytes padded to 32 with the P bit. */
static const uint8_t chrome_twcc[] = {
    0xaf,                   /* V=2, P=1, FMT=15 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x09,             /* packet status count 9 */
    0x00, 0x10, 0x00,       /* reference time 4096 * 64 ms */
    0x00,                   /* fb pkt count 0 */
    0x20, 0x09,             /* run length chunk: symbol 01, run 9 */
    0x05, 0x14, 0x00, 0x28, 0x01, 0x10, 0x11, 0x0f, 0x14, /* 9 small deltas */
    0x01,                   /* padding count 1 */
};

/* Captured from Chromium 156 (loopback call, --disable-webrtc-encryption):
 * 12 packets, 34 bytes padded to 36 with the P bit. */
static const uint8_t chrome_cap_twcc[] = {
    0xaf,                   /* V=2, P=1, FMT=15 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x08,             /* length=8: 36 bytes */
    0x1a, 0xf7, 0x06, 0x91, /* SSRC of packet sender */
    0x74, 0x85, 0x0a, 0xa7, /* SSRC of media source */
    0x00, 0x4b,             /* base sequence number 75 */
    0x00, 0x0c,             /* packet status count 12 */
    0x01, 0x58, 0x97,       /* reference time 88215 * 64 ms */
    0x0e,                   /* fb pkt count 14 */
    0x20, 0x0c,             /* run length chunk: symbol 01, run 12 */
    0x4b, 0x0d, 0x00, 0x0e, 0x0d, 0x07, /* small deltas (ticks of 250 us) */
    0x0c, 0x04, 0x10, 0x4a, 0x00, 0x09, /* small deltas */
    0x00, 0x02,             /* padding, count 2 */
};

#define MAX_PKTS 70000

/* The received packets of a parsed feedback, as builder input. */
static size_t arrivals_of(const braid_rtcp_twcc_t *t, braid_rtcp_twcc_arrival_t *out) {
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  size_t n = 0;
  braid_rtcp_twcc_iter_init(&it, t);
  while (braid_rtcp_twcc_iter_next(&it, &st))
    if (st.received) out[n++] = (braid_rtcp_twcc_arrival_t){st.seq, st.arrival_us};
  return n;
}

static int parse_twcc(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_twcc_t t;
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  int rc = braid_rtcp_twcc_parse(&t, data, len, why);
  if (rc != 0) return rc;
  uint32_t n = 0, received = 0;
  braid_rtcp_twcc_iter_init(&it, &t);
  while (braid_rtcp_twcc_iter_next(&it, &st)) {
    ASSERT_EQ(st.seq, (uint16_t)(t.base_seq + n));
    n++;
    received += st.received;
  }
  ASSERT_EQ(n, t.status_count);
  ASSERT_EQ(received, t.n_received);
  ASSERT_EQ(braid_rd_left(&it.deltas), 0); /* every delta is consumed */
  return 0;
}

BRAID_TEST(parse_mixed) {
  braid_rtcp_twcc_t t;
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, twcc_mixed, sizeof twcc_mixed, NULL), 0);
  ASSERT_EQ(t.fb.sender_ssrc, 0xfa17fa17);
  ASSERT_EQ(t.fb.media_ssrc, 0x4d4d4d4d);
  ASSERT_EQ(t.base_seq, 65534);
  ASSERT_EQ(t.status_count, 42);
  ASSERT_EQ(t.ref_time, 0x123456);
  ASSERT_EQ(t.fb_count, 7);
  ASSERT_EQ(t.n_chunks, 4);
  ASSERT_EQ(t.deltas_len, 20);
  ASSERT_EQ(t.n_received, 18);
  int64_t arrival = (int64_t)0x123456 * 64000;
  braid_rtcp_twcc_iter_init(&it, &t);
  for (size_t i = 0; i < sizeof mixed_expect / sizeof mixed_expect[0]; i++) {
    ASSERT(braid_rtcp_twcc_iter_next(&it, &st));
    ASSERT_EQ(st.seq, mixed_expect[i].seq);
    ASSERT_EQ(st.received, mixed_expect[i].delta != -1000);
    if (st.received) {
      arrival += mixed_expect[i].delta * 250;
      ASSERT_EQ(st.delta_us, mixed_expect[i].delta * 250);
      ASSERT_EQ(st.arrival_us, arrival);
    }
  }
  for (uint16_t seq = 19; seq <= 38; seq++) {
    ASSERT(braid_rtcp_twcc_iter_next(&it, &st));
    ASSERT_EQ(st.seq, seq);
    ASSERT(!st.received);
  }
  ASSERT(braid_rtcp_twcc_iter_next(&it, &st));
  ASSERT_EQ(st.seq, 39);
  ASSERT(st.received);
  ASSERT_EQ(st.arrival_us, arrival + 100 * 250);
  ASSERT(!braid_rtcp_twcc_iter_next(&it, &st));
  rtcp_test_seed("twcc_mixed", twcc_mixed, sizeof twcc_mixed);
}

typedef struct rebuild {
  braid_rtcp_twcc_build_t in;
  braid_rtcp_twcc_arrival_t pkts[64];
} rebuild_t;

static ssize_t write_twcc(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  size_t used = 0;
  ssize_t n = braid_rtcp_twcc_write(buf, cap, &r->in, &used);
  /* With less room the builder covers fewer packets rather than failing;
   * rtcp_test_write_caps() wants ELIMIT below the full size. */
  if (n > 0 && used < r->in.n) return BRAID_ELIMIT;
  return n;
}

BRAID_TEST(round_trip_mixed) {
  braid_rtcp_twcc_t t;
  rebuild_t r;
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, twcc_mixed, sizeof twcc_mixed, NULL), 0);
  r.in = (braid_rtcp_twcc_build_t){
      .fb = t.fb, .base_seq = t.base_seq, .fb_count = t.fb_count, .pkts = r.pkts};
  r.in.n = arrivals_of(&t, r.pkts);
  ASSERT_EQ(r.in.n, 18);
  rtcp_test_write_caps(write_twcc, &r, twcc_mixed, sizeof twcc_mixed);
}

/* Parses a, rebuilds it, parses the result: same statuses. */
static void equivalent_after_rebuild(const uint8_t *pkt, size_t len) {
  braid_rtcp_twcc_t a, b;
  braid_rtcp_twcc_iter_t ia, ib;
  braid_rtcp_twcc_status_t sa, sb;
  braid_rtcp_twcc_arrival_t pkts[64];
  uint8_t buf[256];
  size_t used = 0;
  ASSERT_EQ(braid_rtcp_twcc_parse(&a, pkt, len, NULL), 0);
  braid_rtcp_twcc_build_t in = {
      .fb = a.fb, .base_seq = a.base_seq, .fb_count = a.fb_count, .pkts = pkts};
  in.n = arrivals_of(&a, pkts);
  ssize_t n = braid_rtcp_twcc_write(buf, sizeof buf, &in, &used);
  ASSERT(n > 0);
  ASSERT_EQ(used, in.n);
  ASSERT_EQ(buf[0] & 0x20, 0); /* zero padding, no P bit */
  ASSERT_EQ(braid_rtcp_twcc_parse(&b, buf, (size_t)n, NULL), 0);
  ASSERT_EQ(b.base_seq, a.base_seq);
  ASSERT_EQ(b.fb_count, a.fb_count);
  braid_rtcp_twcc_iter_init(&ia, &a);
  braid_rtcp_twcc_iter_init(&ib, &b);
  while (braid_rtcp_twcc_iter_next(&ia, &sa)) {
    ASSERT(braid_rtcp_twcc_iter_next(&ib, &sb));
    ASSERT_EQ(sa.seq, sb.seq);
    ASSERT_EQ(sa.received, sb.received);
    ASSERT_EQ(sa.arrival_us, sb.arrival_us);
  }
  ASSERT(!braid_rtcp_twcc_iter_next(&ib, &sb));
}

BRAID_TEST(chrome_shape) {
  braid_rtcp_twcc_t t;
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, chrome_twcc, sizeof chrome_twcc, NULL), 0);
  ASSERT_EQ(t.base_seq, 1234);
  ASSERT_EQ(t.status_count, 9);
  ASSERT_EQ(t.ref_time, 4096);
  ASSERT_EQ(t.n_received, 9);
  ASSERT_EQ(t.deltas_len, 9);
  braid_rtcp_twcc_iter_init(&it, &t);
  ASSERT(braid_rtcp_twcc_iter_next(&it, &st));
  ASSERT_EQ(st.delta_us, 5 * 250);
  ASSERT_EQ(st.arrival_us, 4096 * 64000LL + 1250);
  equivalent_after_rebuild(chrome_twcc, sizeof chrome_twcc);
  equivalent_after_rebuild(chrome_cap_twcc, sizeof chrome_cap_twcc);
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, chrome_cap_twcc, sizeof chrome_cap_twcc, NULL), 0);
  ASSERT_EQ(t.base_seq, 75);
  ASSERT_EQ(t.n_received, 12);
  ASSERT_EQ(t.deltas_len, 12);
  rtcp_test_robust(parse_twcc, chrome_cap_twcc, sizeof chrome_cap_twcc);
  rtcp_test_seed("twcc_chrome_cap", chrome_cap_twcc, sizeof chrome_cap_twcc);
  equivalent_after_rebuild(twcc_mixed, sizeof twcc_mixed);
  rtcp_test_seed("twcc_chrome", chrome_twcc, sizeof chrome_twcc);
}

BRAID_TEST(truncations_and_corruptions) {
  rtcp_test_robust(parse_twcc, twcc_mixed, sizeof twcc_mixed);
  rtcp_test_robust(parse_twcc, chrome_twcc, sizeof chrome_twcc);
}

BRAID_TEST(malformed) {
  uint8_t p[sizeof twcc_mixed];
  braid_rtcp_twcc_t t;
  const char *why = NULL;
  memcpy(p, twcc_mixed, sizeof p);
  p[14] = p[15] = 0; /* status count 0 */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, twcc_mixed, sizeof p);
  p[22] = 0xf5; /* two-bit vector with a reserved 11 symbol first */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, twcc_mixed, sizeof p);
  p[26] = 0x60; /* last run: symbol 11 (reserved) */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, twcc_mixed, sizeof p);
  p[15] = 0xff; /* status count 255: chunks end before */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, twcc_mixed, sizeof p);
  p[27] = 0x05; /* last run of 5 received: 4 deltas more than the packet has */
  p[15] = 0x2e; /* status count 46 */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, p, sizeof p, &why), BRAID_EMALFORMED);
  memcpy(p, twcc_mixed, sizeof p);
  p[27] = 0x00; /* last run of 0: the first delta byte reads as a chunk */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, p, sizeof p, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
  /* A whole word after the deltas is more than padding. */
  uint8_t q[sizeof twcc_mixed + 4];
  memcpy(q, twcc_mixed, sizeof twcc_mixed);
  memset(q + sizeof twcc_mixed, 0, 4);
  q[3] = 0x0c; /* length=12: 52 bytes */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, q, sizeof q, &why), BRAID_EMALFORMED);
}

/* Malformed transport-wide feedback, one per length check, each refused
 * with a reason. */

/* The input ends inside the common header. */
static const uint8_t twcc_trunc_header[] = {
    0x8f, /* V=2, P=0, FMT=15 (TWCC) */
    0xcd, /* PT=205 (RTPFB) */
    0x00, /* length: its first byte only */
};

/* The length field announces more than the input holds. */
static const uint8_t twcc_length_past_input[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x07,             /* length=7: 32 bytes, but the input has 24 */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x09,             /* packet status count 9 */
    0x00, 0x10, 0x00,       /* reference time */
    0x00,                   /* fb pkt count */
    0x20, 0x09,             /* run length chunk: symbol 01, run 9 */
    0x05, 0x14,             /* 2 of the 9 deltas; the rest is cut off */
};

/* The input goes on after the announced length. */
static const uint8_t twcc_bytes_after_length[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x05,             /* length=5: 24 bytes, but the input has 28 */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x02,             /* packet status count 2 */
    0x00, 0x10, 0x00,       /* reference time */
    0x00,                   /* fb pkt count */
    0x20, 0x02,             /* run length chunk: symbol 01, run 2 */
    0x05, 0x14,             /* 2 small deltas */
    0x8f, 0xcd, 0x00, 0x05, /* the next packet's header */
};

/* A length that ends inside the fixed fields. */
static const uint8_t twcc_short_of_fixed_fields[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x09,             /* packet status count 9; no reference time */
};

/* The status count is more than the chunks cover. */
static const uint8_t twcc_count_past_chunks[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x18,             /* packet status count 24 */
    0x00, 0x10, 0x00,       /* reference time */
    0x00,                   /* fb pkt count */
    0x00, 0x09,             /* run length chunk: symbol 00 (not received), run 9 */
    0x00, 0x00,             /* run length chunk: run 0; 15 statuses uncovered */
};

/* The chunks announce more receive deltas than the packet holds. */
static const uint8_t twcc_deltas_past_packet[] = {
    0x8f,                   /* V=2, P=0, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x03,             /* packet status count 3 */
    0x00, 0x10, 0x00,       /* reference time */
    0x00,                   /* fb pkt count */
    0x20, 0x03,             /* run length chunk: symbol 01 (small delta), run 3 */
    0x05, 0x14,             /* 2 small deltas of the 3 */
};

/* P set, and a padding count of 0. */
static const uint8_t twcc_pad_count_zero[] = {
    0xaf,                   /* V=2, P=1, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x02,             /* packet status count 2 */
    0x00, 0x10, 0x00,       /* reference time */
    0x00,                   /* fb pkt count */
    0x20, 0x02,             /* run length chunk: symbol 01, run 2 */
    0x05, 0x14,             /* 2 small deltas */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 24 bytes after the header. */
static const uint8_t twcc_pad_past_body[] = {
    0xaf,                   /* V=2, P=1, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x02,             /* packet status count 2 */
    0x00, 0x10, 0x00,       /* reference time */
    0x00,                   /* fb pkt count */
    0x20, 0x02,             /* run length chunk: symbol 01, run 2 */
    0x05, 0x14,             /* 2 small deltas */
    0x00, 0x00, 0x00, 0x19, /* padding, count=25 */
};

/* P set, and a valid padding count one too large: it takes the last
 * receive delta (chrome_twcc with a count of 2 where it has 1). */
static const uint8_t twcc_pad_into_deltas[] = {
    0xaf,                   /* V=2, P=1, FMT=15 (TWCC) */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x09,             /* packet status count 9 */
    0x00, 0x10, 0x00,       /* reference time */
    0x00,                   /* fb pkt count */
    0x20, 0x09,             /* run length chunk: symbol 01, run 9 */
    0x05, 0x14, 0x00, 0x28, 0x01, 0x10, 0x11, 0x0f, /* 8 small deltas ... */
    0x14,                   /* ... and the 9th, taken as padding */
    0x02,                   /* padding, count=2 */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(twcc_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(twcc_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(twcc_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(twcc_short_of_fixed_fields, BRAID_EMALFORMED),
      RTCP_TEST_BAD(twcc_count_past_chunks, BRAID_EMALFORMED),
      RTCP_TEST_BAD(twcc_deltas_past_packet, BRAID_EMALFORMED),
      RTCP_TEST_BAD(twcc_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(twcc_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(twcc_pad_into_deltas, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_twcc, "twcc", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(ignores_symbols_past_the_count) {
  /* One-bit vector of 14, status count 3: symbols 4..14 ignored. */
  static const uint8_t p[] = {
      0x8f, 0xcd, 0x00, 0x05, /* TWCC, length=5: 24 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x02, /* SSRC of media source */
      0x00, 0x0a,             /* base 10 */
      0x00, 0x03,             /* status count 3 */
      0x00, 0x00, 0x01,       /* reference time 1 */
      0x00,                   /* fb pkt count */
      0xbf, 0xff,             /* one-bit vector: all 14 received */
      0x01, 0x02,             /* deltas of 10 and 11; 12 ... */
  };
  braid_rtcp_twcc_t t;
  const char *why = NULL;
  /* Statuses 10, 11, 12 are received: 3 deltas, but the packet has 2. */
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, p, sizeof p, &why), BRAID_EMALFORMED);
  uint8_t q[sizeof p];
  memcpy(q, p, sizeof q);
  q[15] = 2; /* status count 2: fits exactly */
  ASSERT_EQ(parse_twcc(q, sizeof q, NULL), 0);
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, q, sizeof q, NULL), 0);
  ASSERT_EQ(t.n_received, 2);
}

/* Builds from pkts and checks the result against them: every covered
 * packet is reported received within 125 µs of its arrival (modulo the
 * 24-bit reference time wrap), and every other status is not received. */
static size_t build_and_check(const braid_rtcp_twcc_build_t *in, size_t cap) {
  uint8_t *buf = malloc(cap);
  size_t used = 0;
  braid_rtcp_twcc_t t;
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  ASSERT(buf != NULL);
  ssize_t n = braid_rtcp_twcc_write(buf, cap, in, &used);
  if (n < 0) BRAID_TEST_FAIL("write failed: %zd", n);
  ASSERT(n % 4 == 0 && (size_t)n <= cap);
  ASSERT(used >= 1 && used <= in->n);
  ASSERT_EQ(braid_rtcp_twcc_parse(&t, buf, (size_t)n, NULL), 0);
  ASSERT_EQ(t.base_seq, in->base_seq);
  ASSERT_EQ(t.status_count, (uint16_t)(in->pkts[used - 1].seq - in->base_seq) + 1);
  const int64_t wrap = ((int64_t)1 << 24) * BRAID_RTCP_TWCC_REF_US;
  size_t k = 0;
  braid_rtcp_twcc_iter_init(&it, &t);
  while (braid_rtcp_twcc_iter_next(&it, &st)) {
    bool want = k < used && in->pkts[k].seq == st.seq;
    ASSERT_EQ(st.received, want);
    if (want) {
      int64_t err = (st.arrival_us - in->pkts[k].arrival_us) % wrap;
      if (err > wrap / 2) err -= wrap;
      if (err < -wrap / 2) err += wrap;
      if (err > 125 || err < -125)
        BRAID_TEST_FAIL("seq %u: arrival off by %" PRId64 " us", st.seq, err);
      k++;
    }
  }
  ASSERT_EQ(k, used);
  free(buf);
  return used;
}

BRAID_TEST(builder_rounding_and_reorder) {
  braid_rtcp_twcc_arrival_t pkts[] = {
      {100, 1000123}, {101, 1000400}, {103, 1000999}, {104, 999000}, /* 104 arrived early */
      {105, 1900000}, /* +900 ms: a large delta */
      {106, 1900001}, {107, 1900126},
  };
  braid_rtcp_twcc_build_t in = {.fb = {1, 2}, .base_seq = 98, .pkts = pkts, .n = 7};
  ASSERT_EQ(build_and_check(&in, 1200), 7);
  in.base_seq = 100;
  ASSERT_EQ(build_and_check(&in, 1200), 7);
  /* Negative times (any epoch). */
  for (size_t i = 0; i < 7; i++) pkts[i].arrival_us -= 5000000000LL;
  ASSERT_EQ(build_and_check(&in, 1200), 7);
}

BRAID_TEST(builder_splits_on_large_gaps_and_room) {
  static braid_rtcp_twcc_arrival_t pkts[MAX_PKTS];
  braid_rtcp_twcc_build_t in = {.fb = {1, 2}, .base_seq = 0, .pkts = pkts};
  /* A delta over 2^15 ticks (8.19 s) cannot be coded: the feedback ends
   * before it. */
  pkts[0] = (braid_rtcp_twcc_arrival_t){0, 0};
  pkts[1] = (braid_rtcp_twcc_arrival_t){1, 1000};
  pkts[2] = (braid_rtcp_twcc_arrival_t){2, 1000 + 32768LL * 250};
  in.n = 3;
  ASSERT_EQ(build_and_check(&in, 1200), 2);
  pkts[2].arrival_us = 1000 + 32767LL * 250; /* the largest that fits */
  ASSERT_EQ(build_and_check(&in, 1200), 3);
  pkts[2].arrival_us = 1000 - 32768LL * 250; /* the most negative */
  ASSERT_EQ(build_and_check(&in, 1200), 3);
  /* Every packet received, 1 ms apart: a long run, cut by the room. */
  for (size_t i = 0; i < 20000; i++) pkts[i] = (braid_rtcp_twcc_arrival_t){(uint16_t)(i + 7), (int64_t)i * 1000};
  in.base_seq = 7;
  in.n = 20000;
  ASSERT_EQ(build_and_check(&in, 100000), 20000); /* 3 runs of 8191 at most */
  size_t used = build_and_check(&in, 1200);
  ASSERT(used > 1000 && used < 1200 - 20); /* about one byte per packet */
  /* Sparse: one packet in 1000, so chunks dominate. */
  for (size_t i = 0; i < 65; i++) pkts[i] = (braid_rtcp_twcc_arrival_t){(uint16_t)(i * 1000), (int64_t)i * 1000};
  in.base_seq = 0;
  in.n = 65;
  ASSERT_EQ(build_and_check(&in, 1200), 65); /* statuses 0..64000 */
  in.n = 65;
  pkts[65] = (braid_rtcp_twcc_arrival_t){65000, 65000};
  pkts[66] = (braid_rtcp_twcc_arrival_t){65535, 65600};
  in.n = 67;
  ASSERT_EQ(build_and_check(&in, 1200), 66); /* status 65535 would be the 65536th */
  /* Gaps of more than 32768 between received packets are fine: order is
   * by offset from the base. */
  pkts[0] = (braid_rtcp_twcc_arrival_t){100, 0};
  pkts[1] = (braid_rtcp_twcc_arrival_t){40100, 1000};
  pkts[2] = (braid_rtcp_twcc_arrival_t){99, 2000}; /* offset 65535 */
  in.base_seq = 100;
  in.n = 3;
  ASSERT_EQ(build_and_check(&in, 1200), 2);
  /* Small rooms. */
  in.base_seq = 0;
  pkts[0] = (braid_rtcp_twcc_arrival_t){0, 0};
  pkts[1] = (braid_rtcp_twcc_arrival_t){1, 1000};
  pkts[2] = (braid_rtcp_twcc_arrival_t){2, 2000};
  in.n = 3;
  ASSERT_EQ(build_and_check(&in, 24), 2); /* 20 + one run chunk + 2 deltas */
  ASSERT_EQ(build_and_check(&in, 27), 2);
  ASSERT_EQ(build_and_check(&in, 28), 3);
  uint8_t tiny[23];
  ASSERT_EQ(braid_rtcp_twcc_write(tiny, sizeof tiny, &in, &used), BRAID_ELIMIT);
}

BRAID_TEST(builder_refuses_bad_input) {
  uint8_t buf[256];
  size_t used;
  braid_rtcp_twcc_arrival_t pkts[3] = {{10, 0}, {12, 10}, {11, 20}};
  braid_rtcp_twcc_build_t in = {.fb = {1, 2}, .base_seq = 10, .pkts = pkts, .n = 0};
  ASSERT_EQ(braid_rtcp_twcc_write(buf, sizeof buf, &in, &used), BRAID_EINVAL); /* empty */
  in.n = 3;
  ASSERT_EQ(braid_rtcp_twcc_write(buf, sizeof buf, &in, &used), BRAID_EINVAL); /* unsorted */
  pkts[2].seq = 12;
  ASSERT_EQ(braid_rtcp_twcc_write(buf, sizeof buf, &in, &used), BRAID_EINVAL); /* duplicate */
  pkts[2].seq = 13;
  in.base_seq = 11;
  ASSERT_EQ(braid_rtcp_twcc_write(buf, sizeof buf, &in, &used), BRAID_EINVAL); /* before base */
  in.base_seq = 10;
  pkts[0].seq = 9; /* offset 65535: the first status would be the 65536th */
  ASSERT_EQ(braid_rtcp_twcc_write(buf, sizeof buf, &in, &used), BRAID_EINVAL);
  pkts[0].seq = 10;
  in.base_seq = 10;
  pkts[1].arrival_us = (int64_t)1 << 60;
  ASSERT_EQ(braid_rtcp_twcc_write(buf, sizeof buf, &in, &used), BRAID_EINVAL); /* out of range */
  pkts[1].arrival_us = 10;
  ASSERT(braid_rtcp_twcc_write(buf, sizeof buf, &in, &used) > 0);
  ASSERT_EQ(used, 3);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_mixed) BRAID_TEST_ENTRY(round_trip_mixed)
                    BRAID_TEST_ENTRY(chrome_shape) BRAID_TEST_ENTRY(truncations_and_corruptions)
                        BRAID_TEST_ENTRY(malformed) BRAID_TEST_ENTRY(bad_lengths)
                            BRAID_TEST_ENTRY(ignores_symbols_past_the_count)
                            BRAID_TEST_ENTRY(builder_rounding_and_reorder)
                                BRAID_TEST_ENTRY(builder_splits_on_large_gaps_and_room)
                                    BRAID_TEST_ENTRY(builder_refuses_bad_input))
