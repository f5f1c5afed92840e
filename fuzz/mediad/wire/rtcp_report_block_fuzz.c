/*
 * Fuzzer for the reception report block, mediad/wire/rtcp/report_block.c.
 * Each input is used twice:
 *   - as a block (the first 24 bytes; shorter inputs must be refused with
 *     BRAID_ETRUNC): parse, write back, compare the 24 bytes
 *     (fuzz_rtcp_check_report_block(), rtcp_check.h);
 *   - as a recipe for the writer (fields, packets_lost as any 32-bit value,
 *     then a capacity): write into a heap block of exactly that capacity
 *     (so ASan sees a write past it), and check BRAID_ELIMIT below 24
 *     bytes, or that parsing gives every field back with packets_lost
 *     clamped to 24 bits (RFC 3550 Appendix A.3).
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

/* Recipe: SSRC (4), fraction lost (1), packets lost (4, signed), highest
 * seq (4), jitter (4), LSR (4), DLSR (4), capacity (1). */
static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  braid_rtcp_report_block_t in, back;
  uint32_t lost;
  uint8_t cap;
  braid_rd_init(&r, data, size);
  if (braid_rd_u32(&r, &in.ssrc) != 0 || braid_rd_u8(&r, &in.fraction_lost) != 0 ||
      braid_rd_u32(&r, &lost) != 0 || braid_rd_u32(&r, &in.highest_seq) != 0 ||
      braid_rd_u32(&r, &in.jitter) != 0 || braid_rd_u32(&r, &in.lsr) != 0 ||
      braid_rd_u32(&r, &in.dlsr) != 0 || braid_rd_u8(&r, &cap) != 0)
    return;
  in.packets_lost = (int32_t)lost; /* implementation-defined above INT32_MAX; gcc and clang wrap */
  uint8_t *buf = malloc(cap > 0 ? cap : 1);
  BRAID_ASSERT(buf != NULL);
  ssize_t n = braid_rtcp_report_block_write(&in, buf, cap);
  if (cap < BRAID_RTCP_REPORT_BLOCK_SIZE) {
    BRAID_ASSERT(n == BRAID_ELIMIT);
    free(buf);
    return;
  }
  BRAID_ASSERT(n == BRAID_RTCP_REPORT_BLOCK_SIZE);
  BRAID_ASSERT(braid_rtcp_report_block_parse(&back, buf, (size_t)n, NULL) == 0);
  int32_t want = in.packets_lost;
  if (want > BRAID_RTCP_LOST_MAX) want = BRAID_RTCP_LOST_MAX;
  if (want < BRAID_RTCP_LOST_MIN) want = BRAID_RTCP_LOST_MIN;
  BRAID_ASSERT(back.packets_lost == want);
  BRAID_ASSERT(back.ssrc == in.ssrc && back.fraction_lost == in.fraction_lost);
  BRAID_ASSERT(back.highest_seq == in.highest_seq && back.jitter == in.jitter);
  BRAID_ASSERT(back.lsr == in.lsr && back.dlsr == in.dlsr);
  free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_rtcp_report_block_t blk;
  (void)fuzz_rtcp_check_report_block(data, size, &blk);
  as_recipe(data, size);
  return 0;
}
