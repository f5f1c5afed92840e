/*
 * Fuzzer for the common feedback format, mediad/wire/rtcp/fb.c, which
 * NACK, TWCC, PLI, FIR and REMB open their packets with. Each input is:
 *   - opened as the type and FMT its own header names (so every length
 *     check is reached), and as RTPFB/NACK (so a wrong type is refused);
 *     on success the header must agree, the FCI lie inside the input, and
 *     the packet rebuilt from the SSRCs and the FCI open the same
 *     (fuzz_rtcp_check_fb(), rtcp_check.h);
 *   - a recipe for the writer (PT, FMT, length, capacity): check
 *     BRAID_EINVAL for an FMT over 31 or a length that is not whole words
 *     from 12 bytes to BRAID_RTCP_MAX_PACKET, BRAID_ELIMIT for a capacity
 *     under 12, or else exactly the 12 bytes of header and SSRCs, written
 *     into a heap block of exactly the capacity (so ASan sees more).
 */
#include "common/rd.h"
#include "fuzz/mediad/wire/rtcp_check.h"

static void as_recipe(const uint8_t *data, size_t size) {
  braid_rd_t r;
  uint8_t pt, fmt, cap;
  uint32_t len;
  braid_rtcp_fb_t fb = {0x01020304, 0x05060708}, back;
  braid_rd_init(&r, data, size);
  if (braid_rd_u8(&r, &pt) != 0 || braid_rd_u8(&r, &fmt) != 0 || braid_rd_u32(&r, &len) != 0 ||
      braid_rd_u8(&r, &cap) != 0)
    return;
  uint8_t *buf = malloc(cap > 0 ? cap : 1);
  BRAID_ASSERT(buf != NULL);
  ssize_t n = braid_rtcp_fb_write(buf, cap, pt, fmt, len, &fb);
  if (fmt > BRAID_RTCP_MAX_COUNT || len < BRAID_RTCP_FB_HEADER_SIZE || len % 4 != 0 ||
      len > BRAID_RTCP_MAX_PACKET) {
    BRAID_ASSERT(n == BRAID_EINVAL);
  } else if (cap < BRAID_RTCP_FB_HEADER_SIZE) {
    BRAID_ASSERT(n == BRAID_ELIMIT);
  } else {
    BRAID_ASSERT(n == BRAID_RTCP_FB_HEADER_SIZE);
    /* Only the 12 bytes are written; the header announces len. */
    BRAID_ASSERT(buf[0] == (0x80 | fmt) && buf[1] == pt);
    BRAID_ASSERT(((size_t)braid_get16(buf + 2) + 1) * 4 == len);
    BRAID_ASSERT(braid_get32(buf + 4) == fb.sender_ssrc && braid_get32(buf + 8) == fb.media_ssrc);
    if (len == BRAID_RTCP_FB_HEADER_SIZE) {
      braid_rd_t fci;
      BRAID_ASSERT(braid_rtcp_fb_open(&back, &fci, buf, len, pt, fmt, NULL) == 0);
      BRAID_ASSERT(back.sender_ssrc == fb.sender_ssrc && back.media_ssrc == fb.media_ssrc);
      BRAID_ASSERT(braid_rd_left(&fci) == 0);
    }
  }
  free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size >= 2) (void)fuzz_rtcp_check_fb(data, size, data[1], data[0] & 0x1f);
  (void)fuzz_rtcp_check_fb(data, size, BRAID_RTCP_PT_RTPFB, BRAID_RTCP_RTPFB_NACK);
  as_recipe(data, size);
  return 0;
}
