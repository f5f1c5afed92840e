/*
 * Fuzzer for the APP packet, mediad/wire/rtcp/app.c: the input is one
 * packet as a sub-parser receives it. Parse; on success the header must
 * agree and the name and data views cover exactly the body
 * (fuzz_rtcp_check_app(), rtcp_check.h). There is no serialiser: we never
 * send APP packets.
 */
#include "fuzz/mediad/wire/rtcp_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)fuzz_rtcp_check_app(data, size);
  return 0;
}
