/* Unit tests of mediad/rtc/rtx_buffer.c: lookups by sequence number with
 * wrap-around, RTX packets, eviction by slot and by arena, resend limits
 * (age, RTT, count), bounds. */
#include "mediad/rtc/rtx_buffer.h"

#include "mediad/wire/rtp_rtx.h"
#include "tests/mediad/rtc/rtp_maker.h"

static braid_rtx_buffer_config_t config(bool rtx) {
  return (braid_rtx_buffer_config_t){.max_packets = 64,
                                     .max_bytes = 64 * 1024,
                                     .max_age_ms = 2000,
                                     .max_resends = 3,
                                     .rtx = rtx,
                                     .rtx_pt = 97,
                                     .rtx_ssrc = 0xabcdef01,
                                     .rtx_seq = 65535};
}

static braid_rtx_buffer_t *new_buffer(const braid_rtx_buffer_config_t *cfg) {
  braid_rtx_buffer_t *b;
  ASSERT_EQ(braid_rtx_buffer_new(&b, cfg), 0);
  return b;
}

/* Stores a packet of seq whose payload is 4 bytes derived from seq. */
static void store(braid_rtx_buffer_t *b, uint16_t seq, int64_t now, test_pkt_t *p) {
  uint8_t pl[4] = {(uint8_t)(seq >> 8), (uint8_t)seq, 0x5a, 0xa5};
  make_pkt(p, 0x11223344, 96, seq, 90u * seq, pl, sizeof pl);
  ASSERT_EQ(braid_rtx_buffer_store(b, p->buf, p->len, now), 0);
}

BRAID_TEST(resend_as_rtx) {
  braid_rtx_buffer_config_t cfg = config(true);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  store(b, 1000, 0, &p);
  uint8_t out[1600];
  size_t n;
  ASSERT_EQ(braid_rtx_buffer_resend(b, 1000, 10, 100, out, sizeof out, 16, &n), 0);
  braid_rtp_packet_t r;
  ASSERT_EQ(braid_rtp_packet_parse(&r, out, n), 0);
  ASSERT_EQ(r.ssrc, 0xabcdef01);
  ASSERT_EQ(r.pt, 97);
  ASSERT_EQ(r.seq, 65535); /* the configured first RTX seq */
  ASSERT_EQ(r.ts, p.pkt.ts);
  uint16_t osn;
  ASSERT_EQ(braid_rtp_rtx_osn(&r, &osn), 0);
  ASSERT_EQ(osn, 1000);
  ASSERT_EQ(r.payload_len, p.pkt.payload_len + 2);
  ASSERT_MEM_EQ(braid_rtp_packet_payload(&r) + 2, braid_rtp_packet_payload(&p.pkt),
                p.pkt.payload_len);
  /* The RTX seq counter moves on (and wraps). */
  store(b, 1001, 20, &p);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 1001, 30, 100, out, sizeof out, 16, &n), 0);
  ASSERT_EQ(braid_rtp_packet_parse(&r, out, n), 0);
  ASSERT_EQ(r.seq, 0);
  braid_rtx_buffer_free(b);
}

BRAID_TEST(resend_without_rtx_copies_the_original) {
  braid_rtx_buffer_config_t cfg = config(false);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  store(b, 7, 0, &p);
  uint8_t out[64];
  size_t n;
  ASSERT_EQ(braid_rtx_buffer_resend(b, 7, 1, 100, out, sizeof out, 0, &n), 0);
  ASSERT_EQ(n, p.len);
  ASSERT_MEM_EQ(out, p.buf, n);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 7, 500, 100, out, p.len + 3, 4, &n), BRAID_ETOOBIG);
  braid_rtx_buffer_free(b);
}

BRAID_TEST(lookup_wraps_around_65535) {
  braid_rtx_buffer_config_t cfg = config(false);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  for (uint16_t s = 65530; s != 6; s++) store(b, s, 0, &p);
  uint8_t out[64];
  size_t n;
  ASSERT_EQ(braid_rtx_buffer_resend(b, 65535, 1, 100, out, sizeof out, 0, &n), 0);
  ASSERT_EQ(out[2], 0xff);
  ASSERT_EQ(out[3], 0xff);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 2, 1, 100, out, sizeof out, 0, &n), 0);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 6, 1, 100, out, sizeof out, 0, &n), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 65529, 1, 100, out, sizeof out, 0, &n), BRAID_ENOTFOUND);
  braid_rtx_buffer_free(b);
}

BRAID_TEST(slot_eviction_and_too_old_store) {
  braid_rtx_buffer_config_t cfg = config(false);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  for (uint16_t s = 0; s < 100; s++) store(b, s, 0, &p);
  uint8_t out[64];
  size_t n;
  ASSERT_EQ(braid_rtx_buffer_resend(b, 35, 1, 100, out, sizeof out, 0, &n), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 36, 1, 100, out, sizeof out, 0, &n), 0);
  /* A packet max_packets or more behind the newest is not stored. */
  ASSERT_EQ(braid_rtx_buffer_store(b, p.buf, p.len, 0), 0); /* 99 again: fine */
  make_pkt(&p, 1, 96, 35, 0, NULL, 0);
  ASSERT_EQ(braid_rtx_buffer_store(b, p.buf, p.len, 0), BRAID_ESTATE);
  make_pkt(&p, 1, 96, 40, 0, NULL, 0); /* reordered but in the window */
  ASSERT_EQ(braid_rtx_buffer_store(b, p.buf, p.len, 0), 0);
  braid_rtx_buffer_free(b);
}

BRAID_TEST(arena_eviction_never_returns_overwritten_bytes) {
  braid_rtx_buffer_config_t cfg = config(false);
  cfg.max_packets = 1024;
  cfg.max_bytes = 4000; /* a few packets only */
  cfg.max_age_ms = 1000000000;
  cfg.max_resends = 255;
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  static test_pkt_t sent[600];
  uint32_t seed = 99;
  int total_found = 0;
  for (uint16_t s = 0; s < 600; s++) {
    seed = seed * 1103515245 + 12345;
    uint8_t pl[1200];
    size_t len = 1 + (seed >> 16) % 1100;
    memset(pl, (int)(s & 0xff), len);
    make_pkt(&sent[s], 5, 96, s, s, pl, len);
    ASSERT_EQ(braid_rtx_buffer_store(b, sent[s].buf, sent[s].len, 200 * s), 0);
    /* Every packet still found must be intact; the newest always is. */
    uint8_t out[1600];
    size_t n;
    int found = 0;
    for (int back = 0; back < 20 && back <= s; back++) {
      uint16_t q = (uint16_t)(s - back);
      int rc = braid_rtx_buffer_resend(b, q, 200 * s, 0, out, sizeof out, 0, &n);
      if (rc == 0) {
        found++;
        ASSERT_EQ(n, sent[q].len);
        ASSERT_MEM_EQ(out, sent[q].buf, n);
      } else {
        ASSERT_EQ(rc, BRAID_ENOTFOUND);
      }
    }
    ASSERT(found >= 1);
    total_found += found;
  }
  ASSERT(total_found > 600 * 2); /* several packets fit at a time, on average */
  braid_rtx_buffer_free(b);
}

BRAID_TEST(resend_limits_age_rtt_count) {
  braid_rtx_buffer_config_t cfg = config(true);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  store(b, 50, 1000, &p);
  store(b, 51, 1000, &p);
  uint8_t out[128];
  size_t n;
  ASSERT_EQ(braid_rtx_buffer_resend(b, 50, 1100, 80, out, sizeof out, 0, &n), 0);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 50, 1180, 80, out, sizeof out, 0, &n), BRAID_ESTATE);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 50, 1181, 80, out, sizeof out, 0, &n), 0);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 50, 1250, 0, out, sizeof out, 0, &n), BRAID_ESTATE); /* 100 ms default */
  ASSERT_EQ(braid_rtx_buffer_resend(b, 50, 1300, 0, out, sizeof out, 0, &n), 0);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 50, 1500, 0, out, sizeof out, 0, &n), BRAID_ELIMIT);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 51, 3001, 0, out, sizeof out, 0, &n), BRAID_ETIMEDOUT);
  ASSERT_EQ(braid_rtx_buffer_resend(b, 52, 1000, 0, out, sizeof out, 0, &n), BRAID_ENOTFOUND);
  const braid_rtx_buffer_stats_t *st = braid_rtx_buffer_stats(b);
  ASSERT_EQ(st->stored, 2);
  ASSERT_EQ(st->resent, 3);
  ASSERT_EQ(st->repaired, 1);
  ASSERT_EQ(st->too_soon, 2);
  ASSERT_EQ(st->over_limit, 1);
  ASSERT_EQ(st->too_old, 1);
  ASSERT_EQ(st->not_found, 1);
  braid_rtx_buffer_free(b);
}

BRAID_TEST(clear_forgets_everything) {
  braid_rtx_buffer_config_t cfg = config(true);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  store(b, 50, 0, &p);
  braid_rtx_buffer_clear(b);
  uint8_t out[128];
  size_t n;
  ASSERT_EQ(braid_rtx_buffer_resend(b, 50, 1, 0, out, sizeof out, 0, &n), BRAID_ENOTFOUND);
  store(b, 9000, 0, &p); /* any seq is fine after a clear */
  ASSERT_EQ(braid_rtx_buffer_resend(b, 9000, 1, 0, out, sizeof out, 0, &n), 0);
  braid_rtx_buffer_free(b);
}

BRAID_TEST(store_bounds_and_config_checks) {
  braid_rtx_buffer_config_t cfg = config(true);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  static uint8_t big[BRAID_RTX_BUFFER_MAX_PACKET + 1] = {0x80};
  ASSERT_EQ(braid_rtx_buffer_store(b, big, 11, 0), BRAID_ETRUNC);
  ASSERT_EQ(braid_rtx_buffer_store(b, big, sizeof big, 0), BRAID_ETOOBIG);
  braid_rtx_buffer_free(b);
  braid_rtx_buffer_t *x;
  cfg = config(true);
  cfg.max_packets = 100; /* not a power of two */
  ASSERT_EQ(braid_rtx_buffer_new(&x, &cfg), BRAID_EINVAL);
  cfg = config(true);
  cfg.max_packets = 8192;
  ASSERT_EQ(braid_rtx_buffer_new(&x, &cfg), BRAID_EINVAL);
  cfg = config(true);
  cfg.max_bytes = 100;
  ASSERT_EQ(braid_rtx_buffer_new(&x, &cfg), BRAID_EINVAL);
  cfg = config(true);
  cfg.max_resends = 0;
  ASSERT_EQ(braid_rtx_buffer_new(&x, &cfg), BRAID_EINVAL);
  cfg = config(true);
  cfg.rtx_pt = 128;
  ASSERT_EQ(braid_rtx_buffer_new(&x, &cfg), BRAID_EINVAL);
  braid_rtx_buffer_free(NULL);
}

BRAID_TEST(cost_per_packet) {
  braid_rtx_buffer_config_t cfg = config(true);
  cfg.max_packets = 1024;
  cfg.max_bytes = 512 * 1024;
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  uint8_t pl[1100] = {0};
  make_pkt(&p, 5, 96, 0, 0, pl, sizeof pl);
  int64_t t0 = test_now_ns();
  for (uint32_t i = 0; i < 1000000; i++) {
    p.buf[2] = (uint8_t)(i >> 8);
    p.buf[3] = (uint8_t)i;
    ASSERT(braid_rtx_buffer_store(b, p.buf, p.len, i) == 0);
  }
  int64_t t1 = test_now_ns();
  printf("  rtx_buffer: %.1f ns per store of a %zu-byte packet\n", (double)(t1 - t0) / 1e6, p.len);
  braid_rtx_buffer_free(b);
}

/* get() hands out the stored bytes themselves, with no resend policy. */
BRAID_TEST(get_returns_the_stored_packet) {
  braid_rtx_buffer_config_t cfg = config(false);
  braid_rtx_buffer_t *b = new_buffer(&cfg);
  test_pkt_t p;
  const uint8_t *data;
  size_t len;
  ASSERT_EQ(braid_rtx_buffer_get(b, 7, 0, &data, &len), BRAID_ENOTFOUND);
  store(b, 7, 1000, &p);
  for (int i = 0; i < 10; i++) { /* any number of times: consumers decide */
    ASSERT_EQ(braid_rtx_buffer_get(b, 7, 1000 + i, &data, &len), 0);
    ASSERT_EQ(len, p.len);
    ASSERT_MEM_EQ(data, p.buf, p.len);
  }
  ASSERT_EQ(braid_rtx_buffer_get(b, 8, 1000, &data, &len), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtx_buffer_get(b, 7, 1000 + 2001, &data, &len), BRAID_ETIMEDOUT);
  store(b, 7 + 64, 1100, &p); /* same slot: 7 is gone */
  ASSERT_EQ(braid_rtx_buffer_get(b, 7, 1100, &data, &len), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtx_buffer_stats(b)->resent, 0);
  braid_rtx_buffer_free(b);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(resend_as_rtx)
                BRAID_TEST_ENTRY(get_returns_the_stored_packet)
                BRAID_TEST_ENTRY(resend_without_rtx_copies_the_original)
                BRAID_TEST_ENTRY(lookup_wraps_around_65535)
                BRAID_TEST_ENTRY(slot_eviction_and_too_old_store)
                BRAID_TEST_ENTRY(arena_eviction_never_returns_overwritten_bytes)
                BRAID_TEST_ENTRY(resend_limits_age_rtt_count)
                BRAID_TEST_ENTRY(clear_forgets_everything)
                BRAID_TEST_ENTRY(store_bounds_and_config_checks)
                BRAID_TEST_ENTRY(cost_per_packet))
