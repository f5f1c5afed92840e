/*
 * Fuzzer for braid_rtp_listener_lookup() on untrusted packets (the MID,
 * RID and RRID header extensions drive which producer and stream a packet
 * binds to). The input is a script of records, each an op byte then:
 *
 *   op % 4 == 0: a 2-byte length and that many bytes: one RTP packet;
 *                parsed, then looked up (with the extension block parsed
 *                by the listener or, on odd ops, by the caller);
 *   op % 4 == 1: remove producer (op >> 2) % 4;
 *   op % 4 == 2: add producer (op >> 2) % 4 again (may fail: already in,
 *                or one of its SSRCs was learned by another producer);
 *   op % 4 == 3: three bytes: the mid, rid and rrid extension ids (% 16).
 *
 * Checks: a match names a producer in the listener and one of its
 * encodings; after a match the SSRC table gives the same answer; a failed
 * lookup returns one of the documented codes; producer bookkeeping agrees
 * with braid_rtp_listener_count().
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/log.h"
#include "mediad/rtc/rtp_listener.h"

static const uint8_t media_pts[] = {96, 98};
static const uint8_t rtx_pts[] = {97, 99};
static int producers[4];

static const braid_rtp_listener_encoding_t enc_a[] = {{0x11111111, 0x22222222, {"q", 1}}};
static const braid_rtp_listener_encoding_t enc_b[] = {{0, 0, {NULL, 0}}};
static const braid_rtp_listener_encoding_t enc_c[] = {
    {0, 0, {"r0", 2}}, {0, 0, {"r1", 2}}, {0, 0, {"r2", 2}}};
static const braid_rtp_listener_encoding_t enc_d[] = {{0, 0, {"a", 1}}, {0, 0, {"b", 1}}};

static braid_rtp_listener_producer_t producer(int i) {
  static const struct {
    const char *mid;
    const braid_rtp_listener_encoding_t *enc;
    size_t n;
  } p[4] = {{"0", enc_a, 1}, {"1", enc_b, 1}, {"2", enc_c, 3}, {"", enc_d, 2}};
  return (braid_rtp_listener_producer_t){&producers[i], braid_str_c(p[i].mid), p[i].enc, p[i].n,
                                         media_pts, 2, rtx_pts, 2};
}

static int index_of(const void *prod) {
  for (int i = 0; i < 4; i++)
    if (prod == &producers[i]) return i;
  return -1;
}

static void lookup(braid_rtp_listener_t *l, const bool *added, const uint8_t *data, size_t len,
                   bool caller_parses) {
  braid_rtp_packet_t pkt;
  if (braid_rtp_packet_parse(&pkt, data, len) != 0) return;
  braid_rtp_ext_t ext;
  const braid_rtp_ext_t *ext_p = NULL;
  if (caller_parses) {
    if (braid_rtp_ext_parse(&ext, &pkt) != 0) return; /* the caller drops it */
    ext_p = &ext;
  }
  braid_rtp_listener_match_t m;
  int rc = braid_rtp_listener_lookup(l, &pkt, ext_p, &m);
  if (rc != 0) {
    BRAID_ASSERT(rc == BRAID_ENOTFOUND || rc == BRAID_ESTATE);
    return;
  }
  int i = index_of(m.producer);
  BRAID_ASSERT(i >= 0 && added[i]);
  BRAID_ASSERT(m.encoding < producer(i).n_encodings);
  braid_rtp_listener_match_t again;
  BRAID_ASSERT(braid_rtp_listener_find_ssrc(l, pkt.ssrc, &again) == 0);
  BRAID_ASSERT(again.producer == m.producer && again.encoding == m.encoding &&
               again.rtx == m.rtx && !again.learned);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_rtp_listener_t *l;
  BRAID_ASSERT(braid_rtp_listener_new(&l, 4) == 0);
  braid_rtp_listener_set_ext_ids(l, (braid_rtp_listener_ext_ids_t){4, 10, 11});
  bool added[4];
  for (int i = 0; i < 4; i++) {
    braid_rtp_listener_producer_t p = producer(i);
    BRAID_ASSERT(braid_rtp_listener_add(l, &p, NULL) == 0);
    added[i] = true;
  }

  size_t off = 0;
  while (off < size) {
    uint8_t op = data[off++];
    int i = (op >> 2) & 3;
    switch (op & 3) {
    case 0: {
      if (size - off < 2) goto out;
      size_t len = (size_t)(data[off] << 8 | data[off + 1]);
      off += 2;
      if (len > size - off) len = size - off;
      lookup(l, added, data + off, len, (op & 4) != 0);
      off += len;
      break;
    }
    case 1: {
      int rc = braid_rtp_listener_remove(l, &producers[i]);
      BRAID_ASSERT(rc == (added[i] ? 0 : BRAID_ENOTFOUND));
      added[i] = false;
      break;
    }
    case 2: {
      braid_rtp_listener_producer_t p = producer(i);
      const char *why = NULL;
      int rc = braid_rtp_listener_add(l, &p, &why);
      /* Not yet added, it may still clash: another producer may have
       * learned one of its signalled SSRCs meanwhile. */
      BRAID_ASSERT(rc == 0 || rc == BRAID_EEXIST);
      BRAID_ASSERT(!added[i] || rc == BRAID_EEXIST);
      BRAID_ASSERT(rc == 0 || why != NULL);
      if (rc == 0) added[i] = true;
      break;
    }
    default:
      if (size - off < 3) goto out;
      braid_rtp_listener_set_ext_ids(
          l, (braid_rtp_listener_ext_ids_t){data[off] & 15, data[off + 1] & 15, data[off + 2] & 15});
      off += 3;
      break;
    }
  }
out:;
  size_t n = 0;
  for (int i = 0; i < 4; i++) n += added[i];
  BRAID_ASSERT(braid_rtp_listener_count(l) == n);
  braid_rtp_listener_free(l);
  return 0;
}
