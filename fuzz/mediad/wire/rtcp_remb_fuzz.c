/*
 * Fuzzer for REMB, mediad/wire/rtcp/remb.c. Each input is used twice:
 *   - as a REMB packet: parse; on success the header must agree, the SSRCs
 *     lie inside the input, and parse -> build -> parse give the same
 *     bitrate and SSRCs (fuzz_rtcp_check_remb(), rtcp_check.h);
 *   - as a recipe for the writer (sender SSRC, a 64-bit bitrate, then
 *     SSRCs): write, and check BRAID_EINVAL for more than 255 SSRCs, or
 *     that the bitrate comes back rounded down by less than one step of the
 *     smallest exponent whose mantissa fits 18 bits, and the SSRCs exactly.
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

static uint32_t ssrcs[FUZZ_RTCP_BUF / 4];

static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  uint32_t sender, hi, lo;
  size_t n = 0;
  braid_rtcp_remb_t remb;
  braid_rd_init(&r, data, size);
  if (braid_rd_u32(&r, &sender) != 0 || braid_rd_u32(&r, &hi) != 0 || braid_rd_u32(&r, &lo) != 0)
    return;
  uint64_t bitrate = (uint64_t)hi << 32 | lo;
  while (n < sizeof ssrcs / sizeof ssrcs[0] && braid_rd_u32(&r, &ssrcs[n]) == 0)
    n++;
  uint8_t *out = fuzz_rtcp_out();
  ssize_t w = braid_rtcp_remb_write(out, FUZZ_RTCP_BUF, sender, bitrate, ssrcs, n);
  if (n > BRAID_RTCP_REMB_MAX_SSRCS) {
    BRAID_ASSERT(w == BRAID_EINVAL);
    return;
  }
  BRAID_ASSERT(w == (ssize_t)(20 + 4 * n));
  BRAID_ASSERT(braid_rtcp_remb_parse(&remb, out, (size_t)w, NULL) == 0);
  BRAID_ASSERT(remb.fb.sender_ssrc == sender && remb.fb.media_ssrc == 0 && remb.n_ssrcs == n);
  /* Never more than asked, and only the bits below the exponent dropped. */
  BRAID_ASSERT(remb.bitrate <= bitrate && bitrate - remb.bitrate < ((uint64_t)1 << remb.exp));
  /* The smallest exponent: one less would not fit the mantissa. */
  BRAID_ASSERT(remb.exp == 0 || (bitrate >> (remb.exp - 1)) > BRAID_RTCP_REMB_MANTISSA_MAX);
  for (size_t i = 0; i < n; i++)
    BRAID_ASSERT(braid_rtcp_remb_ssrc(&remb, i) == ssrcs[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)fuzz_rtcp_check_remb(data, size);
  as_recipe(data, size);
  return 0;
}
