/*
 * Fuzzer for the goodbye packet, mediad/wire/rtcp/bye.c. Each input is used
 * twice:
 *   - as a BYE packet: parse; on success the header must agree, the views
 *     lie inside the input, and parse -> build -> parse give the same SSRCs
 *     and reason (fuzz_rtcp_check_bye(), rtcp_check.h);
 *   - as a recipe for the writer (a count, that many SSRCs, then a reason:
 *     the rest of the input, or none when the count's top bit is set):
 *     write, and check BRAID_EINVAL for 0 or more than 31 SSRCs or a reason
 *     over 255 bytes, or that the packet gives everything back.
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  uint8_t b;
  uint32_t ssrcs[64];
  braid_rtcp_bye_t bye;
  braid_rd_init(&r, data, size);
  if (braid_rd_u8(&r, &b) != 0) return;
  size_t n = b & 0x3f;
  bool with_reason = !(b & 0x80);
  for (size_t i = 0; i < n; i++)
    if (braid_rd_u32(&r, &ssrcs[i]) != 0) return;
  braid_str_t reason = {(const char *)r.p, braid_rd_left(&r)};
  uint8_t *out = fuzz_rtcp_out();
  ssize_t w = braid_rtcp_bye_write(out, FUZZ_RTCP_BUF, ssrcs, n, with_reason ? &reason : NULL);
  if (n == 0 || n > BRAID_RTCP_MAX_COUNT ||
      (with_reason && reason.len > BRAID_RTCP_BYE_REASON_MAX)) {
    BRAID_ASSERT(w == BRAID_EINVAL);
    return;
  }
  BRAID_ASSERT(w == (ssize_t)(4 + 4 * n + (with_reason ? braid__rtcp_align4(1 + reason.len) : 0)));
  BRAID_ASSERT(braid_rtcp_bye_parse(&bye, out, (size_t)w, NULL) == 0);
  BRAID_ASSERT(bye.n_ssrcs == n && bye.has_reason == with_reason);
  for (size_t i = 0; i < n; i++)
    BRAID_ASSERT(braid_rtcp_bye_ssrc(&bye, i) == ssrcs[i]);
  BRAID_ASSERT(!with_reason ||
               (bye.reason.len == reason.len &&
                (reason.len == 0 || memcmp(bye.reason.p, reason.p, reason.len) == 0)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)fuzz_rtcp_check_bye(data, size);
  as_recipe(data, size);
  return 0;
}
