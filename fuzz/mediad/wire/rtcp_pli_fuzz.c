/*
 * Fuzzer for the picture loss indication, mediad/wire/rtcp/pli.c: the
 * input is one packet as a sub-parser receives it. Parse; on success the
 * header must agree and parse -> build -> parse give the same SSRCs, byte
 * for byte when the input carries no padding (fuzz_rtcp_check_pli(),
 * rtcp_check.h).
 */
#include "fuzz/mediad/wire/rtcp_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)fuzz_rtcp_check_pli(data, size);
  return 0;
}
