#include "mediad/rtc/remb_server.h"

#include <string.h>

#define ABS_SPAN (1 << 24) /* 64 s in 6.18 fixed point */

void braid_remb_server_init(braid_remb_server_t *s, int64_t now_ms) {
  memset(s, 0, sizeof *s);
  braid_bwe_init(&s->bwe, BRAID_BWE_START_BPS, 0, 0);
  s->next_update_ms = now_ms + BRAID_REMB_SERVER_UPDATE_MS;
  s->next_send_ms = now_ms + BRAID_REMB_SERVER_INTERVAL_MS;
}

void braid_remb_server_on_packet(braid_remb_server_t *s, uint32_t abs, size_t len,
                                 int64_t arrival_us) {
  abs &= ABS_SPAN - 1;
  if (s->started) {
    int32_t diff = (int32_t)abs - (int32_t)s->last_abs;
    if (diff < -(ABS_SPAN / 2))
      s->abs_wraps++;
    else if (diff > ABS_SPAN / 2)
      return; /* reordered from before a wrap: skip it */
  }
  s->started = true;
  s->last_abs = abs;
  int64_t ticks = s->abs_wraps * ABS_SPAN + abs;
  braid_bwe_packet_t p = {.send_us = ticks * 1000000 / (1 << 18),
                          .arrival_us = arrival_us,
                          .size = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
                          .probe = -1};
  braid_bwe_on_packet(&s->bwe, &p);
  s->packets++;
}

bool braid_remb_server_poll(braid_remb_server_t *s, int64_t now_ms, uint32_t *bps) {
  bool fell = false;
  if (now_ms >= s->next_update_ms) {
    s->next_update_ms = now_ms + BRAID_REMB_SERVER_UPDATE_MS;
    if (s->packets > 0) braid_bwe_on_feedback(&s->bwe, now_ms);
    uint32_t e = braid_bwe_estimate(&s->bwe);
    fell = s->last_sent_bps != 0 && (uint64_t)e * 100 <= (uint64_t)s->last_sent_bps * 97;
  }
  if (!fell && now_ms < s->next_send_ms) return false;
  if (s->packets == 0) { /* nothing to estimate from yet */
    s->next_send_ms = now_ms + BRAID_REMB_SERVER_INTERVAL_MS;
    return false;
  }
  uint32_t e = braid_bwe_estimate(&s->bwe);
  if (s->max_bps != 0 && e > s->max_bps) e = s->max_bps;
  s->next_send_ms = now_ms + BRAID_REMB_SERVER_INTERVAL_MS;
  s->last_sent_bps = e;
  *bps = e;
  return true;
}
