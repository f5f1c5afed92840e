/*
 * Receive-side bandwidth estimate of one transport, sent to the remote
 * sender as REMB (draft-alvestrand-rmcat-remb-03): what mediasoup's REMB
 * server does for producers that negotiated abs-send-time and goog-remb
 * but not transport-cc (mediasoup-protocol.md §4.11). A sender with
 * transport-cc estimates for itself from our TWCC feedback instead.
 *
 * The estimate is bwe.h's, fed from this side: each packet's send time is
 * its abs-send-time (6.18 fixed-point seconds, 24 bits, unwrapped here
 * across its 64 s wrap), its arrival our clock, and nothing is known lost
 * (the acknowledged rate is simply the incoming rate). It is updated
 * every BRAID_REMB_SERVER_UPDATE_MS; a REMB is due every
 * BRAID_REMB_SERVER_INTERVAL_MS, or at once when the estimate fell by 3 %
 * or more since the last one (libwebrtc's rule), and never above
 * max_bps when set (setMaxIncomingBitrate).
 *
 * Sans-I/O, embedded, no allocation, no logging; per packet the estimate's
 * per-packet work.
 */
#ifndef BRAID_MEDIAD_RTC_REMB_SERVER_H
#define BRAID_MEDIAD_RTC_REMB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/rtc/bwe.h"

#define BRAID_REMB_SERVER_UPDATE_MS   200
#define BRAID_REMB_SERVER_INTERVAL_MS 1000

typedef struct braid_remb_server {
  braid_bwe_t bwe;
  bool started;
  uint32_t last_abs; /* the last abs-send-time seen (24 bits) */
  int64_t abs_wraps; /* 64 s wraps so far */
  int64_t next_update_ms, next_send_ms;
  uint32_t last_sent_bps; /* 0: none sent yet */
  uint32_t max_bps;       /* 0: no cap */
  uint64_t packets;
} braid_remb_server_t;

void braid_remb_server_init(braid_remb_server_t *s, int64_t now_ms);

/* A packet of len bytes with abs-send-time abs (24 bits) arrived. */
void braid_remb_server_on_packet(braid_remb_server_t *s, uint32_t abs, size_t len,
                                 int64_t arrival_us);

/* Updates the estimate when due; returns true with *bps when a REMB
 * should go now. */
bool braid_remb_server_poll(braid_remb_server_t *s, int64_t now_ms, uint32_t *bps);

/* The earliest time poll has work. */
static inline int64_t braid_remb_server_next_timeout(const braid_remb_server_t *s) {
  return s->next_update_ms < s->next_send_ms ? s->next_update_ms : s->next_send_ms;
}

#endif
