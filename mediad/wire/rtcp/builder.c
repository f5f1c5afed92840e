/*
 * Compound RTCP builder (RFC 3550 §6.1): SR/RR first, then SDES CNAME, then
 * feedback. See builder.h.
 */
#include "mediad/wire/rtcp/builder.h"

#include "mediad/wire/rtcp/sdes.h"

enum { STAGE_EMPTY, STAGE_REPORT, STAGE_CNAME, STAGE_FEEDBACK };

void braid_rtcp_builder_init(braid_rtcp_builder_t *b, uint8_t *buf, size_t cap) {
  *b = (braid_rtcp_builder_t){.buf = buf, .cap = cap, .len = 0, .stage = STAGE_EMPTY};
}

/* Bytes of the report packets for n blocks. */
static size_t report_size(bool sr, size_t n) {
  size_t first = n < BRAID_RTCP_MAX_COUNT ? n : BRAID_RTCP_MAX_COUNT;
  size_t rest = n - first;
  size_t extra = (rest + BRAID_RTCP_MAX_COUNT - 1) / BRAID_RTCP_MAX_COUNT;
  return (sr ? BRAID_RTCP_SR_MIN_SIZE : BRAID_RTCP_RR_MIN_SIZE) + extra * BRAID_RTCP_RR_MIN_SIZE +
         n * BRAID_RTCP_REPORT_BLOCK_SIZE;
}

int braid_rtcp_builder_report(braid_rtcp_builder_t *b, uint32_t ssrc,
                              const braid_rtcp_sender_info_t *info,
                              const braid_rtcp_report_block_t *blocks, size_t n) {
  if (b->stage != STAGE_EMPTY) return BRAID_ESTATE;
  if (blocks == NULL && n > 0) return BRAID_EINVAL;
  /* n is bounded by the capacity check: each block takes 24 bytes. */
  if (n > b->cap / BRAID_RTCP_REPORT_BLOCK_SIZE || report_size(info != NULL, n) > b->cap - b->len)
    return BRAID_ELIMIT;
  size_t off = b->len, done = 0;
  do {
    size_t k = n - done < BRAID_RTCP_MAX_COUNT ? n - done : BRAID_RTCP_MAX_COUNT;
    const braid_rtcp_report_block_t *first = k > 0 ? blocks + done : NULL;
    ssize_t w;
    if (done == 0 && info != NULL)
      w = braid_rtcp_sr_write(b->buf + off, b->cap - off, ssrc, info, first, k, NULL, 0);
    else
      w = braid_rtcp_rr_write(b->buf + off, b->cap - off, ssrc, first, k, NULL, 0);
    if (w < 0) return (int)w; /* not reached: sized above */
    off += (size_t)w;
    done += k;
  } while (done < n);
  b->len = off;
  b->stage = STAGE_REPORT;
  return 0;
}

int braid_rtcp_builder_cname(braid_rtcp_builder_t *b, uint32_t ssrc, braid_str_t cname) {
  if (b->stage != STAGE_REPORT) return BRAID_ESTATE;
  ssize_t w = braid_rtcp_sdes_write_cname(b->buf + b->len, b->cap - b->len, ssrc, cname);
  if (w < 0) return (int)w;
  b->len += (size_t)w;
  b->stage = STAGE_CNAME;
  return 0;
}

uint8_t *braid_rtcp_builder_tail(braid_rtcp_builder_t *b, size_t *room) {
  *room = b->cap - b->len;
  return b->buf + b->len;
}

int braid_rtcp_builder_commit(braid_rtcp_builder_t *b, ssize_t written) {
  if (written < 0) return (int)written;
  if (written == 0 || written % 4 != 0 || (size_t)written > b->cap - b->len) return BRAID_EINVAL;
  b->len += (size_t)written;
  b->stage = STAGE_FEEDBACK;
  return 0;
}
