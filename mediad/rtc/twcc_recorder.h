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
#include "mediad/wire/rtp_ext.h"

#define BRAID_TWCC_RECORDER_WINDOW 1024 /* a power of two */
#define BRAID_TWCC_RECORDER_INTERVAL_MS 100
/* Packets kept while the transport-wide extension id is not known yet. */
#define BRAID_TWCC_RECORDER_EARLY 128
#define BRAID_TWCC_RECORDER_EARLY_ELEMS 4

/* A packet that arrived before the id of the transport-wide number was
 * known: its 2-byte extension elements, one of which may be it. */
typedef struct braid_twcc_early {
  int64_t arrival_us;
  uint32_t ssrc;
  uint8_t n;
  uint8_t ids[BRAID_TWCC_RECORDER_EARLY_ELEMS];
  uint16_t vals[BRAID_TWCC_RECORDER_EARLY_ELEMS];
} braid_twcc_early_t;

typedef struct braid_twcc_recorder {
  bool started;
  uint16_t base_seq;  /* the first sequence number not reported yet */
  int32_t max_off;    /* highest offset from base_seq recorded; -1: none */
  uint8_t fb_count;   /* feedback packet count */
  uint32_t media_ssrc; /* SSRC of the latest recorded packet */
  int64_t arrival_us[BRAID_TWCC_RECORDER_WINDOW];
  uint64_t present[BRAID_TWCC_RECORDER_WINDOW / 64];
  bool id_known; /* braid_twcc_recorder_learn_id() was called */
  uint16_t early_head, early_n;
  braid_twcc_early_t early[BRAID_TWCC_RECORDER_EARLY];
} braid_twcc_recorder_t;

void braid_twcc_recorder_init(braid_twcc_recorder_t *r);

/* A packet with transport-wide sequence number seq arrived. */
void braid_twcc_recorder_record(braid_twcc_recorder_t *r, uint16_t seq, uint32_t media_ssrc,
                                int64_t arrival_us);

/*
 * The sender numbers its packets from the first one, but the id of the
 * number is learned only with its first producer, which may come after a
 * few packets (Chromium probes the path as soon as DTLS is up). Until
 * then the recorder keeps the last BRAID_TWCC_RECORDER_EARLY such packets'
 * 2-byte extension elements; learning the id records those that carry it,
 * so the sender hears about its first packets too. Later calls of either
 * do nothing.
 */
void braid_twcc_recorder_keep_early(braid_twcc_recorder_t *r, const braid_rtp_ext_t *ext,
                                    uint32_t media_ssrc, int64_t arrival_us);
void braid_twcc_recorder_learn_id(braid_twcc_recorder_t *r, uint8_t id);

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
