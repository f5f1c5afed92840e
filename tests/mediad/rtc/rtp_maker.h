/*
 * Test helper for the stream logic tests of mediad/rtc: builds real RTP
 * packets with the wire layer's writer (braid_rtp_packet_rewrite()) and
 * parses them back, and makes VP8 payloads with a given key frame flag,
 * temporal id and layer sync bit.
 */
#ifndef BRAID_TESTS_MEDIAD_RTC_RTP_MAKER_H
#define BRAID_TESTS_MEDIAD_RTC_RTP_MAKER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mediad/wire/rtp_codec.h"
#include "mediad/wire/rtp_ext.h"
#include "mediad/wire/rtp_packet.h"
#include "tests/test.h"

typedef struct test_pkt {
  uint8_t buf[1600];
  size_t len;
  braid_rtp_packet_t pkt; /* parsed view of buf */
} test_pkt_t;

/* Builds a packet with the given header fields, extension elements and
 * payload into *p (through a source packet and braid_rtp_packet_rewrite()). */
static inline void make_pkt_ext(test_pkt_t *p, uint32_t ssrc, uint8_t pt, uint16_t seq,
                                uint32_t ts, bool marker, const braid_rtp_ext_entry_t *ext,
                                size_t n_ext, const uint8_t *payload, size_t payload_len) {
  uint8_t src[1500];
  ASSERT(payload_len <= sizeof src - 12);
  memset(src, 0, 12);
  src[0] = 0x80;                     /* V=2 */
  src[1] = marker ? 0x80 : 0x00;     /* M, PT replaced below */
  if (payload_len > 0) memcpy(src + 12, payload, payload_len);
  braid_rtp_packet_t sp;
  ASSERT_EQ(braid_rtp_packet_parse(&sp, src, 12 + payload_len), 0);
  braid_rtp_rewrite_t rw = {.ssrc = ssrc, .ts = ts, .seq = seq, .pt = pt, .ext = ext,
                            .n_ext = n_ext};
  ASSERT_EQ(braid_rtp_packet_rewrite(p->buf, sizeof p->buf, 0, &sp, &rw, &p->len), 0);
  ASSERT_EQ(braid_rtp_packet_parse(&p->pkt, p->buf, p->len), 0);
}

static inline void make_pkt(test_pkt_t *p, uint32_t ssrc, uint8_t pt, uint16_t seq, uint32_t ts,
                            const uint8_t *payload, size_t payload_len) {
  make_pkt_ext(p, ssrc, pt, seq, ts, false, NULL, 0, payload, payload_len);
}

/* A VP8 payload (RFC 7741): descriptor with the T bit (tid, layer sync)
 * and, for a key frame, a frame tag with P=0 and the start code. Returns
 * its length. */
static inline size_t make_vp8(uint8_t *out, bool keyframe, int tid, bool layer_sync) {
  size_t n = 0;
  out[n++] = 0x90;                                           /* X=1 S=1 PID=0 */
  out[n++] = 0x20;                                           /* T=1 */
  out[n++] = (uint8_t)((tid & 3) << 6 | (layer_sync ? 0x20 : 0)); /* TID Y KEYIDX */
  if (keyframe) {
    const uint8_t kf[] = {0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
    memcpy(out + n, kf, sizeof kf); /* P=0, start code, 640x480 */
    n += sizeof kf;
  } else {
    out[n++] = 0x01; /* P=1: inter frame */
    out[n++] = 0xaa;
  }
  return n;
}

/* Inspects a VP8 payload made by make_vp8(). */
static inline braid_rtp_codec_info_t vp8_info(bool keyframe, int tid, bool layer_sync) {
  uint8_t pl[32];
  size_t n = make_vp8(pl, keyframe, tid, layer_sync);
  braid_rtp_codec_info_t info;
  ASSERT_EQ(braid_rtp_codec_vp8_inspect(pl, n, &info), 0);
  return info;
}

/* One VP9 layer frame packet (RFC 9628, non-flexible mode, as Chromium
 * sends SVC): picture pic (15-bit PictureID), spatial id sid, temporal id
 * tid, P (inter: predicted from an earlier picture), B (begin), E (end)
 * and U (up: a switching-up point). */
typedef struct vp9_desc {
  uint16_t pic;
  int sid, tid;
  bool inter, begin, end, up;
} vp9_desc_t;

/* A VP9 payload for d into out (8 bytes are enough); returns its length.
 * The last byte is `tag`, so a test can tell packets apart. */
static inline size_t make_vp9(uint8_t *out, const vp9_desc_t *d, uint8_t tag) {
  size_t n = 0;
  out[n++] = (uint8_t)(0xa0 | (d->inter ? 0x40 : 0) | (d->begin ? 0x08 : 0) | (d->end ? 0x04 : 0));
  out[n++] = (uint8_t)(0x80 | ((d->pic >> 8) & 0x7f)); /* M=1: 15-bit PictureID */
  out[n++] = (uint8_t)d->pic;
  /* TID U SID D: an upper spatial layer depends on the one below. */
  out[n++] = (uint8_t)((d->tid & 7) << 5 | (d->up ? 0x10 : 0) | (d->sid & 7) << 1 | (d->sid > 0));
  out[n++] = 0x00; /* TL0PICIDX */
  out[n++] = tag;
  return n;
}

/* Inspects a VP9 payload made by make_vp9(). */
static inline braid_rtp_codec_info_t vp9_info(const vp9_desc_t *d) {
  uint8_t pl[16];
  size_t n = make_vp9(pl, d, 0xaa);
  braid_rtp_codec_info_t info;
  ASSERT_EQ(braid_rtp_codec_vp9_inspect(pl, n, &info), 0);
  return info;
}

/* Monotonic nanoseconds, for the per-packet cost notes. */
static inline int64_t test_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

#endif
