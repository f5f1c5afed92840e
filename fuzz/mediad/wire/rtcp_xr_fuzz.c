/*
 * Fuzzer for extended reports, mediad/wire/rtcp/xr.c: the input is one
 * packet as a sub-parser receives it. Parse; on success the header must
 * agree and the report blocks the iterator hands out must tile the body
 * exactly (fuzz_rtcp_check_xr(), rtcp_check.h). There is no serialiser: we
 * never send XR packets.
 */
#include "fuzz/mediad/wire/rtcp_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)fuzz_rtcp_check_xr(data, size);
  return 0;
}
