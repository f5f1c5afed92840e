/*
 * fwd_kit: what the forwarding benchmarks (forward_bench.c, pipe_bench.c)
 * build their worlds from, so that their numbers compare:
 *
 *   - a fake transport kind standing in for webrtc_transport.c and
 *     plain_transport.c: tx_buf() hands out the next slot of a send ring
 *     shaped like net/udp_socket.c's (256 slots of 1,760 bytes), tx_rtp() /
 *     tx_rtcp() protect the packet in place with a real outbound
 *     braid_srtp_session_t (one key per transport; none without SRTP) and
 *     then drop it (no system call), or hand it to a deliver callback (the
 *     far end of a pipe);
 *   - the publisher's stream: 1,100-1,200-byte VP8 packets as Chrome sends
 *     them (RTP header, a 12-byte extension block with abs-send-time,
 *     transport-cc and MID, a VP8 descriptor with a 15-bit PictureID), or
 *     as a pipe carries them (the router's SSRC and payload type, no
 *     extensions: 16 bytes shorter), a 40-packet key frame first, then
 *     6-packet delta frames at 30 frames/s of RTP time;
 *   - the producer and consumers, made from the producer.create /
 *     consumer.create command structs the controller sends for Chrome
 *     (VP8 + RTX, NACK and PLI);
 *   - the measuring helpers: the thread's CPU clock, medians, a protect of
 *     one packet alone (the machine's speed at the moment).
 *
 * Bench code: set-up aborts (bench_fail()) rather than returning errors.
 */
#ifndef BRAID_BENCH_FWD_KIT_H
#define BRAID_BENCH_FWD_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/mediad.h"
#include "mediad/net/udp_socket.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/transport.h"
#include "mediad/sec/srtp_session.h"

#include "bench/sanitized.h"

enum {
  RX_BATCH = 32, /* receive buffers (net/udp_socket.c RX_BATCH) */
  RX_SLOT = BRAID_UDP_MAX_DATAGRAM,
  TX_RING = 256,                          /* send ring slots (net/udp_socket.c TX_RING) */
  TX_SLOT = BRAID_UDP_MAX_DATAGRAM + 160, /* net/udp_socket.c TX_SLOT */
  KEY_FRAME_PACKETS = 40,
  DELTA_FRAME_PACKETS = 6,
  HDR_LEN = 32,      /* RTP header 12 + extensions 16 + VP8 descriptor 4 */
  PIPE_HDR_LEN = 16, /* RTP header 12 + VP8 descriptor 4 */
};

/* Chrome's publishing side and mediasoup's router side. */
#define VIDEO_SSRC     0x22220001u
#define VIDEO_RTX_SSRC 0x22220002u
#define MAPPED_SSRC    0xB0000001u
#define CONSUMER_SSRC  0x30000000u /* + 2 i, RTX + 2 i + 1 */
enum { PT_VP8 = 96, PT_VP8_RTX = 97, RPT_VP8 = 101, RPT_VP8_RTX = 102 };
enum { CX_ABS_SEND = 2, CX_TWCC = 3, CX_MID = 4 }; /* client ids */
enum { RX_MID = 1, RX_ABS_SEND = 4, RX_TWCC = 5 }; /* router ids */

/* The program's name in bench_fail()'s message (set by main). */
extern const char *bench_name;

/* A check or a set-up step failed: say what, loudly, and exit(1). */
__attribute__((format(printf, 1, 2), noreturn)) void bench_fail(const char *fmt, ...);

/* CPU ns of this thread: what a packet costs, even on a busy machine. */
int64_t bench_now_ns(void);
/* Sorts v and returns its median. */
double bench_median(double *v, int n);
/* A number in lo..hi for flag, or exit(2) with a message. */
long bench_parse_num(const char *flag, const char *s, long lo, long hi);
/* CPU ns of one braid_srtp_session_protect_rtp() of a 1,150-byte packet
 * alone (srtp_bench's measurement, median of 5 short runs). */
double bench_protect_ref_ns(braid_srtp_suite_t suite);

/* ---- the fake transport kind ------------------------------------------- */

/* A send ring: every transport of one daemon builds its packet in the
 * next slot. */
typedef struct tx_ring {
  uint8_t *slots; /* owned: TX_RING * TX_SLOT */
  unsigned head;
} tx_ring_t;

void bench_ring_init(tx_ring_t *r);
void bench_ring_cleanup(tx_ring_t *r);

typedef struct bench_transport bench_transport_t;

/* Called with each packet sent, after its protection, in its ring slot
 * (ours to modify until the ring wraps). */
typedef void (*bench_deliver_cb)(bench_transport_t *t, uint8_t *pkt, size_t len, bool rtcp,
                                 void *ud);

struct bench_transport {
  braid_transport_t media;    /* first: the ops cast back */
  tx_ring_t *ring;            /* borrowed: its daemon's */
  braid_srtp_session_t *srtp; /* owned; NULL without SRTP */
  braid_srtp_suite_t suite;
  uint8_t master[BRAID_SRTP_SESSION_MASTER_MAX];
  uint8_t *cur;        /* slot of the last tx_buf() */
  const uint8_t *last; /* the last packet sent (protected), in the ring */
  size_t last_len;
  uint64_t rtp_sent, rtcp_sent, failed;
  bench_deliver_cb deliver; /* NULL: sent packets are dropped */
  void *deliver_ud;
};

/* A connected transport of md with id (copied), sending into ring; with
 * srtp, an outbound session of suite keyed by key_idx (a transport made
 * with the same key_idx and suite has the same key). */
bench_transport_t *bench_transport_new(braid_mediad_t *md, tx_ring_t *ring, const char *id,
                                       int key_idx, braid_srtp_suite_t suite, bool srtp);
/* Closes its producers and consumers, frees it. */
void bench_transport_free(bench_transport_t *t);
/* An inbound session with t's key (the other end of t); caller frees. */
braid_srtp_session_t *bench_transport_peer_session(const bench_transport_t *t);

/* ---- the publisher's stream -------------------------------------------- */

typedef struct source {
  uint16_t seq, twcc;
  uint32_t ts;
  uint16_t picture_id; /* 15 bits */
  int frame_left;      /* packets left in the current frame; 0: start one */
  bool key_next;       /* the next frame is a key frame */
  bool first;          /* the next packet starts a frame */
  bool pipe;           /* the pipe's form: MAPPED_SSRC, RPT_VP8, no extensions */
} source_t;

/* The stream's first packet will be a key frame. */
void bench_source_init(source_t *s, bool pipe);
/* Builds the next packet in p (whose payload bytes were filled once:
 * bench_rx_new()) and returns its length: 1,100..1,200 bytes (16 fewer in
 * the pipe's form). Writes the header bytes and, on a frame's first
 * packet, the VP8 frame tag. */
size_t bench_source_next(source_t *s, uint8_t *p);
/* RX_BATCH receive buffers of RX_SLOT bytes, filled with anything but
 * zeros; free() them. */
uint8_t *bench_rx_new(void);

/* ---- producers and consumers ------------------------------------------- */

/* producer.create for Chrome's VP8 + RTX stream on t, id "p-video". */
braid_producer_t *bench_chrome_producer(bench_transport_t *t);
/* consumer.create "c-<i>" of p on t: simple, VP8 + RTX, SSRC
 * CONSUMER_SSRC + 2 i, PLI (and NACK: a store of what it sent). */
braid_consumer_t *bench_consumer(bench_transport_t *t, braid_producer_t *p, int i, bool nack);

#endif
