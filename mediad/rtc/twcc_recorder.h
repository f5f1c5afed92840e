/*
 * The receive side of transport-wide congestion control
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): a transport records
 * the arrival time of every packet that carries a transport-wide sequence
 * number, and every BRAID_TWCC_RECORDER_INTERVAL_MS reports them to the
 * sender in TWCC feedback (mediad/wire/rtcp/twcc.h), which is what lets a
 * browser's send-side bandwidth estimate grow (and what keeps Chromium's
 * congestion window from throttling it).
 *
 * Arrivals are kept in a window of BRAID_TWCC_RECORDER_WINDOW sequence
 * numbers starting at the first one not yet reported. A packet older than
 * that (reordered past a report) is ignored; a packet too far ahead starts
 * a new window (the gap is never reported, as after a long outage).
 *
 * Sans-I/O: time comes in as arguments. Embedded struct, no allocation,
 * no logging; per packet a few integer operations.
 */
#ifndef BRAID_MEDIAD_RTC_TWCC_RECORDER_H
#define BRAID_MEDIAD_RTC_TWCC_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/wire/rtcp/twcc.h"

#define BRAID_TWCC_RECORDER_WINDOW 1024 /* a power of two */
#define BRAID_TWCC_RECORDER_INTERVAL_MS 100

typedef struct braid_twcc_recorder {
  bool started;
  uint16_t base_seq;  /* the first sequence number not reported yet */
  int32_t max_off;    /* highest offset from base_seq recorded; -1: none */
  uint8_t fb_count;   /* feedback packet count */
  uint32_t media_ssrc; /* SSRC of the latest recorded packet */
  int64_t arrival_us[BRAID_TWCC_RECORDER_WINDOW];
  uint64_t present[BRAID_TWCC_RECORDER_WINDOW / 64];
} braid_twcc_recorder_t;

void braid_twcc_recorder_init(braid_twcc_recorder_t *r);

/* A packet with transport-wide sequence number seq arrived. */
void braid_twcc_recorder_record(braid_twcc_recorder_t *r, uint16_t seq, uint32_t media_ssrc,
                                int64_t arrival_us);

/* Whether anything waits to be reported. */
static inline bool braid_twcc_recorder_pending(const braid_twcc_recorder_t *r) {
  return r->max_off >= 0;
}

/*
 * Writes feedback for what was recorded into buf[0..cap) (as many TWCC
 * packets as needed, back to back: a compound of feedback) and starts the
 * next window. Returns the bytes written (0 when nothing was pending), or
 * BRAID_ELIMIT when not even one packet fits (nothing is consumed).
 * Packets that did not fit stay pending for the next call.
 */
ssize_t braid_twcc_recorder_write(braid_twcc_recorder_t *r, uint32_t sender_ssrc, uint8_t *buf,
                                  size_t cap);

#endif
