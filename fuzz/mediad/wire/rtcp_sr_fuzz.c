/*
 * Fuzzer for the sender report, mediad/wire/rtcp/sr.c: the input is one
 * packet as a sub-parser receives it (any bytes, any length). Parse; on
 * success the header must agree, the views lie inside the input, every
 * block read, and parse -> build -> parse give the same packet
 * (fuzz_rtcp_check_sr(), rtcp_check.h).
 */
#include "fuzz/mediad/wire/rtcp_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_rtcp_sr_t sr;
  braid_rtcp_report_block_t blocks[BRAID_RTCP_MAX_COUNT];
  (void)fuzz_rtcp_check_sr(data, size, &sr, blocks);
  return 0;
}
