#include "mediad/rtc/twcc_history.h"

#include <string.h>

#define REF_SPAN (1 << 24)

void braid_twcc_history_init(braid_twcc_history_t *h) { memset(h, 0, sizeof *h); }

/* The feedback's reference time as a count of 64 ms ticks that does not
 * wrap: a jump back by more than half the 24-bit range is a wrap. */
static int64_t unwrap_ref(braid_twcc_history_t *h, uint32_t ref) {
  if (h->have_ref) {
    int64_t diff = (int64_t)ref - (int64_t)h->last_ref;
    if (diff < -(REF_SPAN / 2))
      h->ref_wraps++;
    else if (diff > REF_SPAN / 2 && h->ref_wraps > 0)
      h->ref_wraps--; /* a late, pre-wrap one */
  }
  h->have_ref = true;
  h->last_ref = ref;
  return h->ref_wraps * REF_SPAN;
}

size_t braid_twcc_history_resolve(braid_twcc_history_t *h, const braid_rtcp_twcc_t *fb,
                                  void (*on_packet)(const braid_bwe_packet_t *pkt, void *ud),
                                  void *ud) {
  int64_t wrap_us = unwrap_ref(h, fb->ref_time) * BRAID_RTCP_TWCC_REF_US;
  braid_rtcp_twcc_iter_t it;
  braid_rtcp_twcc_status_t st;
  size_t n = 0;
  braid_rtcp_twcc_iter_init(&it, fb);
  while (braid_rtcp_twcc_iter_next(&it, &st)) {
    braid_twcc_history_entry_t *e = &h->ring[st.seq & (BRAID_TWCC_HISTORY_SIZE - 1)];
    if (!e->valid || e->seq != st.seq) {
      h->unknown++;
      continue;
    }
    if (e->reported || (!st.received && e->lost_seen)) continue;
    bool late = st.received && e->lost_seen;
    if (st.received)
      e->reported = true;
    else
      e->lost_seen = true;
    braid_bwe_packet_t pkt = {.send_us = e->send_us,
                              .arrival_us = st.received ? wrap_us + st.arrival_us : -1,
                              .size = e->size,
                              .probe = e->probe,
                              .late = late};
    on_packet(&pkt, ud);
    n++;
  }
  return n;
}
