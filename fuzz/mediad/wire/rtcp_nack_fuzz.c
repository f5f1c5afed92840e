/*
 * Fuzzer for generic NACK, mediad/wire/rtcp/nack.c. Each input is used
 * twice:
 *   - as a NACK packet: parse, expand; when the expansion is sorted,
 *     rebuild it, check the result is no longer than the input and expands
 *     to the same list (parse -> expand -> build -> expand);
 *   - as a recipe for a sorted list (start, room, then steps): build into
 *     that room and check ELIMIT against braid_rtcp_nack_size(), or parse
 *     and expand back to the list.
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_fuzz.h"
#include "mediad/wire/rtcp/nack.h"

static uint8_t buf[FUZZ_RTCP_BUF];
static uint16_t seqs[17 * 65536];
static uint16_t back[17 * 65536];

static bool sorted(const uint16_t *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    uint16_t step = (uint16_t)(s[i] - s[i - 1]);
    if (step == 0 || step >= 0x8000) return false;
  }
  return true;
}

static void as_packet(const uint8_t *data, size_t size) {
  braid_rtcp_nack_t nack, again;
  const char *why = NULL;
  int rc = braid_rtcp_nack_parse(&nack, data, size, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(nack.items, nack.n_items * 4, data, size);
  ssize_t n = braid_rtcp_nack_expand(&nack, seqs, sizeof seqs / sizeof seqs[0]);
  BRAID_ASSERT(n >= (ssize_t)nack.n_items && n == (ssize_t)braid_rtcp_nack_count(&nack));
  ssize_t w = braid_rtcp_nack_write(buf, sizeof buf, &nack.fb, seqs, (size_t)n);
  if (!sorted(seqs, (size_t)n)) {
    BRAID_ASSERT(w == BRAID_EINVAL);
    return;
  }
  BRAID_ASSERT(w > 0 && (size_t)w <= size);
  BRAID_ASSERT(braid_rtcp_nack_parse(&again, buf, (size_t)w, NULL) == 0);
  BRAID_ASSERT(again.fb.sender_ssrc == nack.fb.sender_ssrc);
  BRAID_ASSERT(again.fb.media_ssrc == nack.fb.media_ssrc);
  BRAID_ASSERT(braid_rtcp_nack_expand(&again, back, sizeof back / sizeof back[0]) == n);
  BRAID_ASSERT(memcmp(seqs, back, (size_t)n * sizeof seqs[0]) == 0);
}

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
