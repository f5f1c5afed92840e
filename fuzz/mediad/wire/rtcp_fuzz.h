/*
 * Checks shared by the RTCP fuzzers (fuzz/mediad/wire/rtcp_*_fuzz.c). A
 * finding fails a BRAID_ASSERT (abort), which libFuzzer records as a crash.
 */
#ifndef BRAID_FUZZ_MEDIAD_WIRE_RTCP_FUZZ_H
#define BRAID_FUZZ_MEDIAD_WIRE_RTCP_FUZZ_H

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "mediad/wire/rtcp/twcc.h"

/* Scratch space for rebuilt packets: the largest RTCP packet. */
#define FUZZ_RTCP_BUF BRAID_RTCP_MAX_PACKET

/* A borrowed view must lie inside data[0..size). */
static inline void fuzz_rtcp_in(const void *p, size_t len, const uint8_t *data, size_t size) {
  if (len == 0) return;
  const uint8_t *q = p;
  BRAID_ASSERT(q >= data && q <= data + size && len <= (size_t)(data + size - q));
}

/* A failure must carry a malformed-input code and a reason. */
static inline void fuzz_rtcp_failure(int rc, const char *why) {
  BRAID_ASSERT(braid_err_is_input(rc));
  BRAID_ASSERT(why != NULL);
}

/* The arrival times of TWCC statuses agree modulo the 24-bit reference
 * time wrap, within tol microseconds. */
static inline void fuzz_twcc_same_time(int64_t a, int64_t b, int64_t tol) {
  const int64_t wrap = ((int64_t)1 << 24) * BRAID_RTCP_TWCC_REF_US;
  int64_t d = (a - b) % wrap;
  if (d > wrap / 2) d -= wrap;
  if (d < -wrap / 2) d += wrap;
  BRAID_ASSERT(d <= tol && d >= -tol);
}

/* Builds a TWCC from in into buf[0..cap) and checks it: it parses, covers
 * *used >= 1 packets from base_seq, reports exactly those as received
 * within 125 µs of their arrival, and everything between as lost. Returns
 * the builder's code. */
static inline ssize_t fuzz_twcc_build_check(const braid_rtcp_twcc_build_t *in, uint8_t *buf,
                                            size_t cap, size_t *used) {
  braid_rtcp_twcc_t t;
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  ssize_t n = braid_rtcp_twcc_write(buf, cap, in, used);
  if (n < 0) return n;
  BRAID_ASSERT((size_t)n <= cap && n % 4 == 0);
  BRAID_ASSERT(*used >= 1 && *used <= in->n);
  BRAID_ASSERT(braid_rtcp_twcc_parse(&t, buf, (size_t)n, NULL) == 0);
  BRAID_ASSERT(t.base_seq == in->base_seq && t.fb_count == in->fb_count);
  BRAID_ASSERT(t.fb.sender_ssrc == in->fb.sender_ssrc && t.fb.media_ssrc == in->fb.media_ssrc);
  BRAID_ASSERT(t.status_count == (uint16_t)(in->pkts[*used - 1].seq - in->base_seq) + 1);
  size_t k = 0;
  braid_rtcp_twcc_iter_init(&it, &t);
  while (braid_rtcp_twcc_iter_next(&it, &st)) {
    bool want = k < *used && in->pkts[k].seq == st.seq;
    BRAID_ASSERT(st.received == want);
    if (want) fuzz_twcc_same_time(st.arrival_us, in->pkts[k++].arrival_us, 125);
  }
  BRAID_ASSERT(k == *used);
  return n;
}

/* Parse -> build -> parse: rebuilding a parsed TWCC from its received
 * packets gives the same statuses (the rebuilt one may stop at the last
 * received packet) and the same arrival times. pkts holds room for 65536
 * entries, buf for FUZZ_RTCP_BUF bytes. */
static inline void fuzz_twcc_rebuild(const braid_rtcp_twcc_t *a, braid_rtcp_twcc_arrival_t *pkts,
                                     uint8_t *buf) {
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  braid_rtcp_twcc_build_t in = {
      .fb = a->fb, .base_seq = a->base_seq, .fb_count = a->fb_count, .pkts = pkts, .n = 0};
  braid_rtcp_twcc_iter_init(&it, a);
  while (braid_rtcp_twcc_iter_next(&it, &st))
    if (st.received) pkts[in.n++] = (braid_rtcp_twcc_arrival_t){st.seq, st.arrival_us};
  BRAID_ASSERT(in.n == a->n_received);
  size_t used = 0;
  if (in.n == 0) {
    BRAID_ASSERT(braid_rtcp_twcc_write(buf, FUZZ_RTCP_BUF, &in, &used) == BRAID_EINVAL);
    return;
  }
  /* Every delta of a parsed packet fits again (the first one is under
   * 64 ms after rounding the reference down), so all of it is covered;
   * arrivals are multiples of 250 µs, so they come back exactly. */
  ssize_t n = fuzz_twcc_build_check(&in, buf, FUZZ_RTCP_BUF, &used);
  BRAID_ASSERT(n > 0 && used == in.n);
  braid_rtcp_twcc_t b;
  BRAID_ASSERT(braid_rtcp_twcc_parse(&b, buf, (size_t)n, NULL) == 0);
  braid_rtcp_twcc_iter_t ib;
  braid_rtcp_twcc_status_t sb;
  size_t k = 0;
  braid_rtcp_twcc_iter_init(&it, a);
  braid_rtcp_twcc_iter_init(&ib, &b);
  while (braid_rtcp_twcc_iter_next(&it, &st)) {
    if (!braid_rtcp_twcc_iter_next(&ib, &sb)) {
      BRAID_ASSERT(!st.received); /* trailing losses are not repeated */
      continue;
    }
    BRAID_ASSERT(st.seq == sb.seq && st.received == sb.received);
    if (st.received) fuzz_twcc_same_time(st.arrival_us, sb.arrival_us, 0);
    k++;
  }
  BRAID_ASSERT(k == b.status_count);
}

#endif
