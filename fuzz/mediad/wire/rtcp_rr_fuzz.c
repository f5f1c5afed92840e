/*
 * Fuzzer for the receiver report, mediad/wire/rtcp/rr.c: the input is one
 * packet as a sub-parser receives it (any bytes, any length). Parse; on
 * success the header must agree, the views lie inside the input, every
 * block read, and parse -> build -> parse give the same packet
 * (fuzz_rtcp_check_rr(), rtcp_check.h).
 */
#include "fuzz/mediad/wire/rtcp_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blocks[BRAID_RTCP_MAX_COUNT];
  (void)fuzz_rtcp_check_rr(data, size, &rr, blocks);
  return 0;
}
