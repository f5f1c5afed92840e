/*
 * Fuzzer for the source description, mediad/wire/rtcp/sdes.c. Each input is
 * used twice:
 *   - as an SDES packet: parse; on success the header must agree, every
 *     chunk and item lie inside the input, and parse -> build -> parse give
 *     the same chunks and items (fuzz_rtcp_check_sdes(), rtcp_check.h);
 *   - as a recipe for the CNAME writer (SSRC, then the CNAME: the rest of
 *     the input, so also over 255 bytes): write, and check BRAID_EINVAL for
 *     a CNAME too long, or that the packet is whole words, one chunk of that
 *     SSRC, and gives the CNAME back byte for byte.
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

/* Not fuzz_rtcp_out(): the packet built here is checked with
 * fuzz_rtcp_check_sdes(), which rebuilds into that. */
static uint8_t out[FUZZ_RTCP_BUF];

static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  uint32_t ssrc;
  braid_rtcp_sdes_t sdes;
  braid_str_t text;
  braid_rd_init(&r, data, size);
  if (braid_rd_u32(&r, &ssrc) != 0) return;
  braid_str_t cname = {(const char *)r.p, braid_rd_left(&r)};
  ssize_t n = braid_rtcp_sdes_write_cname(out, sizeof out, ssrc, cname);
  if (cname.len > BRAID_RTCP_SDES_TEXT_MAX) {
    BRAID_ASSERT(n == BRAID_EINVAL);
    return;
  }
  /* Header, SSRC, type, length, text, END, nulls to a word boundary. */
  BRAID_ASSERT(n == (ssize_t)(4 + braid__rtcp_align4(4 + 2 + cname.len + 1)));
  BRAID_ASSERT(braid_rtcp_sdes_parse(&sdes, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(sdes.n_chunks == 1);
  BRAID_ASSERT(braid_rtcp_sdes_find(&sdes, ssrc, BRAID_RTCP_SDES_CNAME, &text) == 0);
  BRAID_ASSERT(text.len == cname.len &&
               (cname.len == 0 || memcmp(text.p, cname.p, cname.len) == 0));
  BRAID_ASSERT(fuzz_rtcp_check_sdes(out, (size_t)n, NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_str_t cname = {NULL, 0};
  (void)fuzz_rtcp_check_sdes(data, size, &cname);
  as_recipe(data, size);
  return 0;
}
