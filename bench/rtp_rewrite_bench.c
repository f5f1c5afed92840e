/*
 * Micro-benchmark of the RTP forwarding path's wire work, per packet: parse
 * a Chrome-like 1,200-byte VP8 packet with its extension block, read the
 * extensions an SFU reads, inspect the codec payload, and rewrite it for a
 * consumer (new SSRC/PT/seq/ts and a new MID + abs-send-time + transport-cc
 * block) into a buffer with SRTP tail room; also the in-place variant and
 * the in-place transport-cc update.
 *
 * Usage: rtp_rewrite_bench [iterations]   (default 5,000,000)
 * Prints CPU ns per packet for each step, the median of 3 runs. Build it
 * optimised (the default RelWithDebInfo) and without sanitizers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mediad/wire/rtp_codec.h"
#include "mediad/wire/rtp_ext.h"
#include "mediad/wire/rtp_packet.h"

enum { PKT_LEN = 1200, TAIL = 16, RUNS = 3 };

static uint8_t pkt[PKT_LEN];
static uint8_t out[PKT_LEN + 64];
static volatile uint32_t sink; /* keeps results alive */

/* CPU time of this thread: the cost per packet, and steadier than wall
 * time on a shared machine. */
static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* A VP8 key frame packet as Chrome sends it, padded to PKT_LEN. */
static void make_packet(void) {
  static const uint8_t hdr[] = {
      0x90, 0xe0, 0x12, 0x34, 0x00, 0x01, 0xe2, 0x40, 0xde, 0xad, 0xbe, 0xef, /* X=1 PT=96 */
      0xbe, 0xde, 0x00, 0x03,                                                 /* 3 words */
      0x22, 0x12, 0x34, 0x56,                                                 /* abs-send-time */
      0x31, 0x01, 0x02,                                                       /* transport-cc */
      0x40, '0',                                                              /* mid "0" */
      0x00, 0x00, 0x00,                                                       /* padding */
      0x90, 0xe0, 0x80, 0x2a, 0x05, 0x20,                                     /* VP8 descriptor */
      0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01,             /* key frame */
  };
  memcpy(pkt, hdr, sizeof hdr);
  for (size_t i = sizeof hdr; i < PKT_LEN; i++)
    pkt[i] = (uint8_t)(i * 31);
}

static double bench_parse(long n) {
  double t0 = now_ns();
  uint32_t acc = 0;
  for (long i = 0; i < n; i++) {
    braid_rtp_packet_t p;
    braid_rtp_ext_t ext;
    uint32_t abs = 0;
    uint16_t seq = 0;
    braid_str_t mid = {NULL, 0};
    if (braid_rtp_packet_parse(&p, pkt, PKT_LEN) != 0 || braid_rtp_ext_parse(&ext, &p) != 0)
      abort();
    braid_rtp_ext_get_abs_send_time(&ext, 2, &abs);
    braid_rtp_ext_get_twcc_seq(&ext, 3, &seq);
    braid_rtp_ext_get_mid(&ext, 4, &mid);
    acc += p.ssrc + abs + seq + (uint32_t)mid.len;
  }
  sink = acc;
  return (now_ns() - t0) / (double)n;
}

static double bench_inspect(long n) {
  braid_rtp_packet_t p;
  if (braid_rtp_packet_parse(&p, pkt, PKT_LEN) != 0) abort();
  double t0 = now_ns();
  uint32_t acc = 0;
  for (long i = 0; i < n; i++) {
    braid_rtp_codec_info_t info;
    if (braid_rtp_codec_vp8_inspect(braid_rtp_packet_payload(&p), p.payload_len, &info) != 0)
      abort();
    acc += info.keyframe + (uint32_t)info.tid;
  }
  sink = acc;
  return (now_ns() - t0) / (double)n;
}

static double bench_rewrite(long n) {
  braid_rtp_packet_t p;
  braid_rtp_ext_t ext;
  if (braid_rtp_packet_parse(&p, pkt, PKT_LEN) != 0 || braid_rtp_ext_parse(&ext, &p) != 0) abort();
  static const uint8_t mid[] = {'1', '2'};
  const braid_rtp_ext_elem_t *abs = braid_rtp_ext_find(&ext, 2), *tcc = braid_rtp_ext_find(&ext, 3);
  braid_rtp_ext_entry_t e[3] = {
      {mid, 1, sizeof mid},
      {braid_rtp_ext_val(&ext, abs), 3, abs->len},
      {braid_rtp_ext_val(&ext, tcc), 5, tcc->len},
  };
  braid_rtp_rewrite_t rw = {.ssrc = 0x11223344, .pt = 101, .ext = e, .n_ext = 3};
  double t0 = now_ns();
  uint32_t acc = 0;
  for (long i = 0; i < n; i++) {
    size_t len = 0;
    rw.seq = (uint16_t)i;
    rw.ts = (uint32_t)i * 3000;
    if (braid_rtp_packet_rewrite(out, sizeof out, TAIL, &p, &rw, &len) != 0) abort();
    acc += (uint32_t)len + out[3];
  }
  sink = acc;
  return (now_ns() - t0) / (double)n;
}

/* The copy a consumer makes anyway, then in-place header setters. */
static double bench_copy_set(long n) {
  double t0 = now_ns();
  uint32_t acc = 0;
  for (long i = 0; i < n; i++) {
    memcpy(out, pkt, PKT_LEN);
    braid_rtp_packet_set_ssrc(out, PKT_LEN, 0x11223344);
    braid_rtp_packet_set_pt(out, PKT_LEN, 101);
    braid_rtp_packet_set_seq(out, PKT_LEN, (uint16_t)i);
    braid_rtp_packet_set_ts(out, PKT_LEN, (uint32_t)i * 3000);
    acc += out[3];
  }
  sink = acc;
  return (now_ns() - t0) / (double)n;
}

static double bench_twcc_update(long n) {
  memcpy(out, pkt, PKT_LEN);
  double t0 = now_ns();
  for (long i = 0; i < n; i++)
    if (braid_rtp_ext_update_twcc_seq(out, PKT_LEN, 3, (uint16_t)i) != 0) abort();
  sink = out[21];
  return (now_ns() - t0) / (double)n;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void report(const char *what, double (*fn)(long), long n) {
  double r[RUNS];
  for (int i = 0; i < RUNS; i++)
    r[i] = fn(n);
  qsort(r, RUNS, sizeof r[0], cmp_double);
  printf("%-52s %7.1f ns/packet\n", what, r[RUNS / 2]);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 5000000;
  if (n <= 0) n = 5000000;
  make_packet();
  printf("rtp wire layer, %d-byte VP8 packet, %ld iterations, median of %d\n", PKT_LEN, n, RUNS);
  report("parse + ext parse + read abs/twcc/mid", bench_parse, n);
  report("vp8 inspect (key frame, layers)", bench_inspect, n);
  report("rewrite (SSRC/PT/seq/ts + mid/abs/twcc block)", bench_rewrite, n);
  report("memcpy + in-place SSRC/PT/seq/ts setters", bench_copy_set, n);
  report("in-place transport-cc update (parses the packet)", bench_twcc_update, n);
  return 0;
}
