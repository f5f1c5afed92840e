#include "mediad/rtc/twcc_recorder.h"

#include <string.h>

#include "common/bytes.h"
#include "common/err.h"

#define MASK (BRAID_TWCC_RECORDER_WINDOW - 1)

void braid_twcc_recorder_init(braid_twcc_recorder_t *r) {
  memset(r, 0, sizeof *r);
  r->max_off = -1;
}

static bool is_present(const braid_twcc_recorder_t *r, uint16_t seq) {
  return (r->present[(seq & MASK) / 64] >> (seq & 63)) & 1;
}

static void forget(braid_twcc_recorder_t *r, uint16_t seq) {
  r->present[(seq & MASK) / 64] &= ~((uint64_t)1 << (seq & 63));
}

void braid_twcc_recorder_record(braid_twcc_recorder_t *r, uint16_t seq, uint32_t media_ssrc,
                                int64_t arrival_us) {
  if (!r->started) {
    r->started = true;
    r->base_seq = seq;
  }
  uint16_t off = (uint16_t)(seq - r->base_seq);
  if (off >= 0x8000) return; /* older than what was reported */
  if (off >= BRAID_TWCC_RECORDER_WINDOW) {
    /* Too far ahead: what lies between is never reported. */
    memset(r->present, 0, sizeof r->present);
    r->base_seq = seq;
    r->max_off = -1;
    off = 0;
  }
  r->present[(seq & MASK) / 64] |= (uint64_t)1 << (seq & 63);
  r->arrival_us[seq & MASK] = arrival_us;
  r->media_ssrc = media_ssrc;
  if ((int32_t)off > r->max_off) r->max_off = off;
}

ssize_t braid_twcc_recorder_write(braid_twcc_recorder_t *r, uint32_t sender_ssrc, uint8_t *buf,
                                  size_t cap) {
  braid_rtcp_twcc_arrival_t pkts[BRAID_TWCC_RECORDER_WINDOW];
  size_t n = 0, len = 0;
  if (r->max_off < 0) return 0;
  for (int32_t off = 0; off <= r->max_off; off++) {
    uint16_t seq = (uint16_t)(r->base_seq + off);
    if (is_present(r, seq)) pkts[n++] = (braid_rtcp_twcc_arrival_t){seq, r->arrival_us[seq & MASK]};
  }
  size_t done = 0;
  while (done < n) {
    braid_rtcp_twcc_build_t in = {.fb = {.sender_ssrc = sender_ssrc, .media_ssrc = r->media_ssrc},
                                  .base_seq = done == 0 ? r->base_seq : pkts[done].seq,
                                  .fb_count = r->fb_count,
                                  .pkts = pkts + done,
                                  .n = n - done};
    size_t used = 0;
    ssize_t w = braid_rtcp_twcc_write(buf + len, cap - len, &in, &used);
    if (w < 0) {
      if (len == 0) return w;
      break; /* the rest goes in the next datagram */
    }
    r->fb_count++;
    len += (size_t)w;
    done += used;
  }
  /* Forget what was reported; the window now starts after it. */
  for (size_t i = 0; i < done; i++) forget(r, pkts[i].seq);
  if (done == n) {
    r->base_seq = (uint16_t)(r->base_seq + r->max_off + 1);
    r->max_off = -1;
  } else {
    uint16_t next = pkts[done].seq;
    r->max_off -= (int32_t)(uint16_t)(next - r->base_seq);
    r->base_seq = next;
  }
  return (ssize_t)len;
}

void braid_twcc_recorder_keep_early(braid_twcc_recorder_t *r, const braid_rtp_ext_t *ext,
                                    uint32_t media_ssrc, int64_t arrival_us) {
  if (r->id_known) return;
  braid_twcc_early_t e = {.arrival_us = arrival_us, .ssrc = media_ssrc};
  for (uint8_t i = 0; i < ext->n && e.n < BRAID_TWCC_RECORDER_EARLY_ELEMS; i++) {
    const braid_rtp_ext_elem_t *el = &ext->elems[i];
    if (el->len != 2) continue;
    e.ids[e.n] = el->id;
    e.vals[e.n++] = braid_get16(braid_rtp_ext_val(ext, el));
  }
  if (e.n == 0) return;
  unsigned slot = (r->early_head + r->early_n) % BRAID_TWCC_RECORDER_EARLY;
  r->early[slot] = e;
  if (r->early_n < BRAID_TWCC_RECORDER_EARLY)
    r->early_n++;
  else
    r->early_head = (uint16_t)((r->early_head + 1) % BRAID_TWCC_RECORDER_EARLY);
}

void braid_twcc_recorder_learn_id(braid_twcc_recorder_t *r, uint8_t id) {
  if (r->id_known) return;
  r->id_known = true;
  /* The lowest number first (packets may have come out of order): it
   * starts the window, the others fall in it. */
  bool have = false;
  uint16_t low = 0;
  int64_t low_at = 0;
  uint32_t low_ssrc = 0;
  for (unsigned i = 0; i < r->early_n; i++) {
    const braid_twcc_early_t *e = &r->early[(r->early_head + i) % BRAID_TWCC_RECORDER_EARLY];
    for (uint8_t k = 0; k < e->n; k++) {
      if (e->ids[k] != id) continue;
      if (!have || (uint16_t)(e->vals[k] - low) >= 0x8000) {
        low = e->vals[k], low_at = e->arrival_us, low_ssrc = e->ssrc;
        have = true;
      }
    }
  }
  if (have) braid_twcc_recorder_record(r, low, low_ssrc, low_at);
  for (unsigned i = 0; i < r->early_n; i++) {
    const braid_twcc_early_t *e = &r->early[(r->early_head + i) % BRAID_TWCC_RECORDER_EARLY];
    for (uint8_t k = 0; k < e->n; k++)
      if (e->ids[k] == id) braid_twcc_recorder_record(r, e->vals[k], e->ssrc, e->arrival_us);
  }
  r->early_n = 0;
}
