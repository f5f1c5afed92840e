/*
 * Shared by the association fuzzer (sctp_assoc_fuzz.c) and its corpus
 * generator (sctp_gen_corpus.c): a target association, optionally a peer
 * association that completed the handshake with it, a packet queue
 * between them, and the rewriting that keeps fuzzed packets relevant
 * although usrsctp picks random verification tags and initial TSNs in
 * every run:
 *  - the verification tag of a packet to the target is replaced by the
 *    tag the target announced in its INIT or INIT-ACK (unless the packet
 *    starts with an INIT, whose tag is 0 by rule);
 *  - TSNs are stored relative: the TSN of DATA and I-DATA chunks and the
 *    new cumulative TSN of FORWARD-TSN and I-FORWARD-TSN chunks count from
 *    the peer's initial TSN, the cumulative TSN ack of SACK chunks from
 *    the target's;
 *  - the checksum is recomputed.
 * Each can be turned off by a bit of the input's control byte, so that the
 * raw forms are fuzzed too. Included once per binary.
 */
#ifndef BRAID_FUZZ_MEDIAD_SCTP_SCTP_ASSOC_FUZZ_H
#define BRAID_FUZZ_MEDIAD_SCTP_SCTP_ASSOC_FUZZ_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "common/log.h"
#include "mediad/sctp/sctp_assoc.h"
#include "mediad/sctp/sctp_packet.h"

/* Control byte. */
enum {
  FZ_HANDSHAKE = 1 << 0, /* a peer completes the handshake first */
  FZ_RAW_VTAG = 1 << 1,  /* keep the verification tags as given */
  FZ_RAW_TSN = 1 << 2,   /* keep TSNs as given (absolute) */
  FZ_RAW_CRC = 1 << 3,   /* keep the checksums as given */
};

/* Records after the control byte: [op][u16 be][...]. */
enum {
  FZ_OP_PACKET = 0, /* [0][len][len bytes]: a packet to the target */
  FZ_OP_TIME = 1,   /* [1][n]: the clock moves on by (n % 6000) * 10 ms */
  FZ_OP_SEND = 2,   /* [2][len][len bytes]: the target sends them (see fz_send()) */
  FZ_OP_RESET = 3,  /* [3][stream]: the target resets an outgoing stream */
};

enum { FZ_QMAX = 256, FZ_PKT_MAX = 1500, FZ_MAX_HOPS = 2000 };

typedef struct fz fz_t;

typedef struct fz_side {
  fz_t *fz;
  braid_sctp_assoc_t *a; /* NULL once freed */
  bool is_target;
  uint32_t tag, tsn; /* from its last INIT or INIT-ACK */
} fz_side_t;

typedef struct fz_pkt {
  uint8_t data[FZ_PKT_MAX];
  size_t len;
  bool to_target;
} fz_pkt_t;

struct fz {
  fz_side_t t, p;
  fz_pkt_t q[FZ_QMAX];
  size_t head, count;
  int64_t now;
  uint64_t msgs, states, resets;
  /* The generator's view of what the peer sends to the target. */
  void (*capture)(fz_t *fz, const uint8_t *pkt, size_t len);
};

/* Learns tag and initial TSN from the INIT or INIT-ACK in a packet. */
static void fz_learn(fz_side_t *s, const uint8_t *pkt, size_t len) {
  braid_sctp_packet_t p;
  if (braid_sctp_packet_parse(&p, pkt, len, NULL) != 0) return;
  size_t pos = 0;
  braid_sctp_chunk_t c;
  while (braid_sctp_packet_chunk_next(&p, &pos, &c)) {
    if ((c.type == BRAID_SCTP_CHUNK_INIT || c.type == BRAID_SCTP_CHUNK_INIT_ACK) &&
        c.value_len >= 16) {
      s->tag = braid_get32(c.value);
      s->tsn = braid_get32(c.value + 12);
    }
  }
}

/* Adds (sign 1) or subtracts (sign -1) the initial TSNs, in place. */
static void fz_shift_tsns(fz_t *fz, uint8_t *pkt, size_t len, int sign) {
  braid_sctp_packet_t p;
  if (braid_sctp_packet_parse(&p, pkt, len, NULL) != 0) return;
  size_t pos = 0;
  braid_sctp_chunk_t c;
  while (braid_sctp_packet_chunk_next(&p, &pos, &c)) {
    uint32_t base;
    switch (c.type) {
    case BRAID_SCTP_CHUNK_DATA:
    case BRAID_SCTP_CHUNK_I_DATA:
    case BRAID_SCTP_CHUNK_FORWARD_TSN:
    case BRAID_SCTP_CHUNK_I_FORWARD_TSN: base = fz->p.tsn; break;
    case BRAID_SCTP_CHUNK_SACK: base = fz->t.tsn; break;
    default: continue;
    }
    if (c.value_len < 4) continue;
    uint8_t *v = pkt + (c.value - pkt); /* c.value points into pkt */
    braid_put32(v, braid_get32(v) + (sign > 0 ? base : 0u - base));
  }
}

/* Rewrites a packet for the target as the control byte says. */
static inline void fz_rewrite(fz_t *fz, uint8_t ctl, uint8_t *pkt, size_t len) {
  if (len < BRAID_SCTP_PACKET_MIN) return;
  if (!(ctl & FZ_RAW_VTAG) && pkt[BRAID_SCTP_COMMON_HDR_LEN] != BRAID_SCTP_CHUNK_INIT)
    braid_put32(pkt + 4, fz->t.tag);
  if (!(ctl & FZ_RAW_TSN)) fz_shift_tsns(fz, pkt, len, 1);
  if (!(ctl & FZ_RAW_CRC)) braid_sctp_packet_set_crc(pkt, len);
}

static void fz_on_send(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len, void *ud) {
  fz_side_t *s = ud;
  fz_t *fz = s->fz;
  BRAID_ASSERT(a == s->a && len <= BRAID_SCTP_DEFAULT_MTU);
  fz_learn(s, pkt, len);
  if (!s->is_target && fz->capture != NULL) fz->capture(fz, pkt, len);
  if (fz->count == FZ_QMAX) return; /* a full link loses packets */
  fz_pkt_t *q = &fz->q[(fz->head + fz->count++) % FZ_QMAX];
  memcpy(q->data, pkt, len);
  q->len = len;
  q->to_target = !s->is_target;
}

static void fz_on_message(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid,
                          const uint8_t *data, size_t len, void *ud) {
  fz_side_t *s = ud;
  BRAID_ASSERT(a == s->a && data != NULL);
  s->fz->msgs++;
  if (!s->is_target || len == 0) return;
  /* Exercise the calls a callback may make. */
  if (data[0] == 'E') (void)braid_sctp_assoc_send(a, stream, ppid, data, len, NULL);
  if (data[0] == 'R') (void)braid_sctp_assoc_reset_stream(a, stream);
  if (data[0] == 'F') {
    braid_sctp_assoc_free(a);
    s->a = NULL;
  }
}

static void fz_on_state(braid_sctp_assoc_t *a, braid_sctp_state_t state, void *ud) {
  fz_side_t *s = ud;
  BRAID_ASSERT(a == s->a && braid_sctp_assoc_state(a) == state);
  s->fz->states++;
}

static void fz_on_reset(braid_sctp_assoc_t *a, uint16_t stream, void *ud) {
  fz_side_t *s = ud;
  BRAID_ASSERT(a == s->a);
  (void)stream;
  s->fz->resets++;
}

static const braid_sctp_callbacks_t fz_cb = {
    .send_packet = fz_on_send,
    .on_message = fz_on_message,
    .on_state = fz_on_state,
    .on_stream_reset = fz_on_reset,
};

/* Delivers queued packets, a bounded number (two stacks could otherwise
 * keep answering each other). */
static void fz_shuttle(fz_t *fz) {
  for (int hops = 0; fz->count > 0 && hops < FZ_MAX_HOPS; hops++) {
    fz_pkt_t *q = &fz->q[fz->head];
    fz->head = (fz->head + 1) % FZ_QMAX;
    fz->count--;
    fz_side_t *to = q->to_target ? &fz->t : &fz->p;
    if (to->a != NULL) (void)braid_sctp_assoc_receive(to->a, q->data, q->len);
  }
}

static void fz_advance(fz_t *fz, int64_t ms) {
  fz->now += ms;
  braid_sctp_global_tick(fz->now);
  fz_shuttle(fz);
}

/* Makes the target, and with FZ_HANDSHAKE a connected peer. The clock
 * (now) carries over between runs: usrsctp's is process-wide. */
static void fz_start(fz_t *fz, uint8_t ctl, int64_t now) {
  memset(fz, 0, sizeof *fz);
  fz->now = now;
  braid_sctp_global_tick(fz->now);
  braid_sctp_opts_t o = {.is_data_channel = true, .os = 16, .mis = 16};
  fz->t = (fz_side_t){.fz = fz, .is_target = true};
  fz->p = (fz_side_t){.fz = fz};
  BRAID_ASSERT(braid_sctp_assoc_new(&fz->t.a, &o, &fz_cb, &fz->t) == 0);
  if (ctl & FZ_HANDSHAKE) BRAID_ASSERT(braid_sctp_assoc_new(&fz->p.a, &o, &fz_cb, &fz->p) == 0);
  BRAID_ASSERT(braid_sctp_assoc_connect(fz->t.a) == 0);
  if (fz->p.a != NULL) BRAID_ASSERT(braid_sctp_assoc_connect(fz->p.a) == 0);
  fz_shuttle(fz);
  if (fz->p.a == NULL) fz->count = 0; /* the target's INIT goes nowhere */
}

/* Frees both sides and lets usrsctp reclaim them; returns the clock. */
static int64_t fz_stop(fz_t *fz) {
  braid_sctp_assoc_free(fz->t.a);
  braid_sctp_assoc_free(fz->p.a);
  fz->t.a = fz->p.a = NULL;
  fz->count = 0;
  fz_advance(fz, 1000);
  BRAID_ASSERT(braid_sctp_global_assoc_count() == 0);
  return fz->now;
}

/* FZ_OP_SEND: stream from the first byte, PPID from the length. */
static void fz_send(fz_t *fz, const uint8_t *data, size_t len) {
  static const uint32_t ppids[] = {51, 53, 56, 57, 50};
  if (fz->t.a == NULL) return;
  uint16_t stream = len > 0 ? data[0] % 20 : 0; /* some above the 16 streams */
  uint32_t ppid = ppids[len % 5];
  braid_sctp_send_opts_t o = {
      .unordered = len > 1 && (data[1] & 1),
      .pr = len > 1 ? (braid_sctp_pr_t)((data[1] >> 1) % 4) : BRAID_SCTP_PR_NONE,
      .pr_value = len > 2 ? data[2] : 0,
  };
  (void)braid_sctp_assoc_send(fz->t.a, stream, ppid, data, len, &o);
}

#endif
