/*
 * Fuzzer for transport-wide CC feedback, mediad/wire/rtcp/twcc.c. Each
 * input is used twice:
 *   - as a TWCC packet: parse, iterate, rebuild from the received packets,
 *     parse again and compare every status and arrival time (parse ->
 *     build -> parse equivalence);
 *   - as a recipe for builder input (base sequence number, room, and a
 *     list of (sequence step, arrival delta) pairs): build, parse the
 *     result and check that it reports exactly the covered packets within
 *     125 µs, that it fits the room, and that one packet more would not
 *     have fitted (or would have broken a 16-bit limit).
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

static uint8_t buf[FUZZ_RTCP_BUF];
static braid_rtcp_twcc_arrival_t pkts[FUZZ_RTCP_BUF];

/* As a packet: fuzz_rtcp_check_twcc() (rtcp_check.h). */
static void as_packet(const uint8_t *data, size_t size) { (void)fuzz_rtcp_check_twcc(data, size); }

/* Recipe: base (2 bytes), fb count (1), room (2), first arrival (4), then
 * 4 bytes per packet [a b c d]:
 *   step  = 1 + a when a < 0xf0, else a gap of 1 + ((a & 15) << 8 | b) * 16
 *   delta = (int16)(c << 8 | d) µs, times 300 when b & 0x80 (up to ~9.8 s)
 */
static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  uint16_t base, room, cd;
  uint8_t fb_count, a, b;
  uint32_t first;
  braid_rd_init(&r, data, size);
  if (braid_rd_u16(&r, &base) != 0 || braid_rd_u8(&r, &fb_count) != 0 ||
      braid_rd_u16(&r, &room) != 0 || braid_rd_u32(&r, &first) != 0)
    return;
  braid_rtcp_twcc_build_t in = {
      .fb = {0x11, 0x22}, .base_seq = base, .fb_count = fb_count, .pkts = pkts, .n = 0};
  uint32_t offset = UINT32_MAX; /* of the last packet from base; -1 before the first */
  int64_t t = (int64_t)(int32_t)first;
  while (braid_rd_u8(&r, &a) == 0 && braid_rd_u8(&r, &b) == 0 && braid_rd_u16(&r, &cd) == 0) {
    uint32_t step = a < 0xf0 ? 1u + a : 1u + (((uint32_t)(a & 15) << 8 | b) * 16);
    int64_t delta = (int16_t)cd;
    if (b & 0x80) delta *= 300;
    offset += step; /* wraps from UINT32_MAX to step - 1 for the first */
    if (offset > 0xffff) break; /* keep offsets increasing: a valid list */
    t += delta;
    pkts[in.n++] = (braid_rtcp_twcc_arrival_t){(uint16_t)(base + offset), t};
  }
  if (in.n == 0) return;
  size_t cap = room % 4096, used = 0;
  ssize_t n = fuzz_twcc_build_check(&in, buf, cap, &used);
  if (n == BRAID_ELIMIT) {
    /* Not even the first packet fits (up to 40 bytes, with a long leading
     * gap of losses). */
    braid_rtcp_twcc_build_t one = in;
    one.n = 1;
    ssize_t n1 = braid_rtcp_twcc_write(buf, sizeof buf, &one, &used);
    BRAID_ASSERT(n1 > 0 && (size_t)n1 > cap && n1 <= 40);
    return;
  }
  BRAID_ASSERT(n > 0);
  if (used < in.n) {
    /* One more packet: over the room, or over a 16-bit limit. */
    braid_rtcp_twcc_build_t more = in;
    size_t used2 = 0;
    more.n = used + 1;
    ssize_t n2 = braid_rtcp_twcc_write(buf, sizeof buf, &more, &used2);
    BRAID_ASSERT(n2 > 0);
    BRAID_ASSERT(used2 == used || (size_t)n2 > cap);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  as_packet(data, size);
  as_recipe(data, size);
  return 0;
}
