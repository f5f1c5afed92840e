/*
 * Fuzzer for the full intra request, mediad/wire/rtcp/fir.c. Each input is
 * used twice:
 *   - as a FIR packet: parse; on success the header must agree, the entries
 *     lie inside the input, and parse -> build -> parse give the same
 *     entries, byte for byte when the sender wrote zeros where we do
 *     (fuzz_rtcp_check_fir(), rtcp_check.h);
 *   - as a recipe for the writer (sender SSRC, then entries of 5 bytes: SSRC
 *     and sequence number): write, and check BRAID_EINVAL for no entry, or
 *     that parsing gives every entry back.
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

static braid_rtcp_fir_entry_t entries[FUZZ_RTCP_BUF / 5];

static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  uint32_t sender;
  size_t n = 0;
  braid_rtcp_fir_t fir;
  braid_rtcp_fir_entry_t e;
  braid_rd_init(&r, data, size);
  if (braid_rd_u32(&r, &sender) != 0) return;
  while (n < sizeof entries / sizeof entries[0] && braid_rd_u32(&r, &entries[n].ssrc) == 0 &&
         braid_rd_u8(&r, &entries[n].seq) == 0)
    n++;
  uint8_t *out = fuzz_rtcp_out();
  ssize_t w = braid_rtcp_fir_write(out, FUZZ_RTCP_BUF, sender, entries, n);
  if (n == 0) {
    BRAID_ASSERT(w == BRAID_EINVAL);
    return;
  }
  BRAID_ASSERT(w == (ssize_t)(12 + 8 * n));
  BRAID_ASSERT(braid_rtcp_fir_parse(&fir, out, (size_t)w, NULL) == 0);
  BRAID_ASSERT(fir.fb.sender_ssrc == sender && fir.fb.media_ssrc == 0 && fir.n_entries == n);
  for (size_t i = 0; i < n; i++) {
    BRAID_ASSERT(braid_rtcp_fir_entry(&fir, i, &e) == 0);
    BRAID_ASSERT(e.ssrc == entries[i].ssrc && e.seq == entries[i].seq);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)fuzz_rtcp_check_fir(data, size);
  as_recipe(data, size);
  return 0;
}
