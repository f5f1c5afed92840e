/*
 * Fuzzer for generic NACK, mediad/wire/rtcp/nack.c. Each input is used
 * twice:
 *   - as a NACK packet: parse, expand; when the expansion is sorted,
 *     rebuild it, check the result is no longer than the input and expands
 *     to the same list (parse -> expand -> build -> expand;
 *     fuzz_rtcp_check_nack(), rtcp_check.h);
 *   - as a recipe for a sorted list (start, room, then steps): build into
 *     that room and check ELIMIT against braid_rtcp_nack_size(), or parse
 *     and expand back to the list.
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

static uint16_t seqs[17 * 65536];
static uint16_t back[17 * 65536];

/* As a packet: fuzz_rtcp_check_nack() (rtcp_check.h). */
static void as_packet(const uint8_t *data, size_t size) { (void)fuzz_rtcp_check_nack(data, size); }

/* Recipe: start (2 bytes), room (2), then one step per byte (1 + b; 255
 * takes the next two bytes: 1 + value % 0x7fff). */
static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  uint16_t seq, room, big;
  uint8_t b;
  size_t n = 0;
  braid_rd_init(&r, data, size);
  if (braid_rd_u16(&r, &seq) != 0 || braid_rd_u16(&r, &room) != 0) return;
  seqs[n++] = seq;
  while (braid_rd_u8(&r, &b) == 0) {
    uint16_t step = (uint16_t)(1 + b);
    if (b == 255 && braid_rd_u16(&r, &big) == 0) step = (uint16_t)(1 + big % 0x7fff);
    seq = (uint16_t)(seq + step);
    seqs[n++] = seq;
  }
  braid_rtcp_fb_t fb = {1, 2};
  size_t cap = room % 2048;
  ssize_t need = braid_rtcp_nack_size(seqs, n);
  BRAID_ASSERT(need >= 16 && need % 4 == 0 && (size_t)need <= 12 + 4 * n);
  uint8_t *buf = fuzz_rtcp_out();
  ssize_t w = braid_rtcp_nack_write(buf, cap, &fb, seqs, n);
  if ((size_t)need > cap) {
    BRAID_ASSERT(w == BRAID_ELIMIT);
    return;
  }
  BRAID_ASSERT(w == need);
  braid_rtcp_nack_t nack;
  BRAID_ASSERT(braid_rtcp_nack_parse(&nack, buf, (size_t)w, NULL) == 0);
  BRAID_ASSERT(braid_rtcp_nack_expand(&nack, back, sizeof back / sizeof back[0]) == (ssize_t)n);
  BRAID_ASSERT(memcmp(seqs, back, n * sizeof seqs[0]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  as_packet(data, size);
  as_recipe(data, size);
  return 0;
}
