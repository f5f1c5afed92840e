/*
 * Fuzzer for RFC 4588 unwrap and wrap. An input that parses as RTP is
 * taken as an RTX packet: unwrapped into another buffer and in place (same
 * bytes), checked field by field, and wrapped back (the input without its
 * padding). It is also taken as an original packet: wrapped and unwrapped
 * back, in place and not.
 */
#include <string.h>

#include "common/log.h"
#include "mediad/wire/rtp_rtx.h"

enum { TAIL = 10 };

static uint8_t a[BRAID_RTP_MAX_LEN + 64], b[BRAID_RTP_MAX_LEN + 64];

/* out holds src without padding, with the P bit cleared and the given
 * PT/seq/SSRC: compare every byte. */
static void check_same_but(const uint8_t *out, size_t n, const braid_rtp_packet_t *src) {
  BRAID_ASSERT(n == src->hdr_len + src->payload_len);
  BRAID_ASSERT(out[0] == (src->data[0] & 0xdf) && (out[1] & 0x80) == (src->data[1] & 0x80));
  BRAID_ASSERT(memcmp(out + 4, src->data + 4, 4) == 0); /* timestamp */
  BRAID_ASSERT(memcmp(out + 12, src->data + 12, n - 12) == 0);
}

static void as_rtx(const braid_rtp_packet_t *rtx) {
  size_t n = 0, m = 0;
  uint16_t osn = 0;
  int rc = braid_rtp_rtx_unwrap(a, sizeof a, TAIL, rtx, 0x1234, 96, &n);
  if (rtx->payload_len < 2) {
    BRAID_ASSERT(rc == BRAID_ETRUNC && braid_rtp_rtx_osn(rtx, &osn) == BRAID_ETRUNC);
    return;
  }
  BRAID_ASSERT(rc == 0 && braid_rtp_rtx_osn(rtx, &osn) == 0);
  braid_rtp_packet_t p;
  BRAID_ASSERT(braid_rtp_packet_parse(&p, a, n) == 0);
  BRAID_ASSERT(p.seq == osn && p.ssrc == 0x1234 && p.pt == 96 && p.ts == rtx->ts);
  BRAID_ASSERT(p.marker == rtx->marker && p.pad_len == 0 && p.hdr_len == rtx->hdr_len);
  BRAID_ASSERT(p.payload_len == rtx->payload_len - 2);
  BRAID_ASSERT(memcmp(a + p.hdr_len, rtx->data + rtx->hdr_len + 2, p.payload_len) == 0);
  BRAID_ASSERT(memcmp(a + 12, rtx->data + 12, p.hdr_len - 12) == 0);

  /* In place gives the same bytes. */
  memcpy(b, rtx->data, rtx->len);
  braid_rtp_packet_t q;
  BRAID_ASSERT(braid_rtp_packet_parse(&q, b, rtx->len) == 0);
  BRAID_ASSERT(braid_rtp_rtx_unwrap(b, rtx->len + TAIL, TAIL, &q, 0x1234, 96, &m) == 0);
  BRAID_ASSERT(m == n && memcmp(a, b, n) == 0);

  /* Wrapping back gives the RTX packet without its padding. */
  BRAID_ASSERT(braid_rtp_rtx_wrap(b, sizeof b, TAIL, &p, rtx->ssrc, rtx->pt, rtx->seq, &m) == 0);
  check_same_but(b, m, rtx);
  BRAID_ASSERT(memcmp(b + 1, rtx->data + 1, 11) == 0);
}

static void as_original(const braid_rtp_packet_t *orig) {
  size_t n = 0, m = 0;
  int rc = braid_rtp_rtx_wrap(a, sizeof a, TAIL, orig, 0xabcd, 97, 42, &n);
  size_t want = orig->hdr_len + 2 + orig->payload_len;
  if (want > BRAID_RTP_MAX_LEN) {
    BRAID_ASSERT(rc == BRAID_ETOOBIG);
    return;
  }
  BRAID_ASSERT(rc == 0 && n == want);
  /* Too little room for the tail. */
  BRAID_ASSERT(braid_rtp_rtx_wrap(b, n + TAIL - 1, TAIL, orig, 0xabcd, 97, 42, &m) ==
               BRAID_ETOOBIG);
  braid_rtp_packet_t r, u;
  BRAID_ASSERT(braid_rtp_packet_parse(&r, a, n) == 0);
  BRAID_ASSERT(r.ssrc == 0xabcd && r.pt == 97 && r.seq == 42 &&
               r.payload_len == orig->payload_len + 2);
  /* In place, after a copy with room for 2 more bytes. */
  memcpy(b, orig->data, orig->len);
  BRAID_ASSERT(braid_rtp_packet_parse(&u, b, orig->len) == 0);
  BRAID_ASSERT(braid_rtp_rtx_wrap(b, sizeof b, TAIL, &u, 0xabcd, 97, 42, &m) == 0);
  BRAID_ASSERT(m == n && memcmp(a, b, n) == 0);
  /* And back. */
  BRAID_ASSERT(braid_rtp_rtx_unwrap(b, sizeof b, 0, &r, orig->ssrc, orig->pt, &m) == 0);
  BRAID_ASSERT(braid_rtp_packet_parse(&u, b, m) == 0 && u.seq == orig->seq);
  check_same_but(b, m, orig);
  BRAID_ASSERT(memcmp(b + 1, orig->data + 1, 11) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_rtp_packet_t pkt;
  if (braid_rtp_packet_parse(&pkt, data, size) != 0) return 0;
  as_rtx(&pkt);
  as_original(&pkt);
  return 0;
}
