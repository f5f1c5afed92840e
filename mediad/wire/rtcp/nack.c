/*
 * Generic NACK (RFC 4585 §6.2.1):
 *
 *   |V=2|P|  FMT=1  |   PT=205      |          length               |
 *   |                  SSRC of packet sender                        |
 *   |                  SSRC of media source                         |
 *   |            PID                |             BLP               |  (1 or more)
 */
#include "mediad/wire/rtcp/nack.h"

int braid_rtcp_nack_parse(braid_rtcp_nack_t *nack, const uint8_t *data, size_t len,
                          const char **why) {
  braid_rd_t fci;
  int rc = braid_rtcp_fb_open(&nack->fb, &fci, data, len, BRAID_RTCP_PT_RTPFB,
                              BRAID_RTCP_RTPFB_NACK, why);
  if (rc != 0) return rc;
  size_t left = braid_rd_left(&fci);
  if (left == 0) return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp nack: no entry");
  if (left % BRAID_RTCP_NACK_ITEM_SIZE != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp nack: partial entry");
  nack->n_items = left / BRAID_RTCP_NACK_ITEM_SIZE;
  nack->items = fci.p;
  return 0;
}

int braid_rtcp_nack_item(const braid_rtcp_nack_t *nack, size_t i, braid_rtcp_nack_item_t *item) {
  if (i >= nack->n_items) return BRAID_EINVAL;
  const uint8_t *p = nack->items + i * BRAID_RTCP_NACK_ITEM_SIZE;
  item->pid = braid_get16(p);
  item->blp = braid_get16(p + 2);
  return 0;
}

static unsigned popcount16(uint16_t v) {
  unsigned n = 0;
  for (; v != 0; v &= (uint16_t)(v - 1))
    n++;
  return n;
}

size_t braid_rtcp_nack_count(const braid_rtcp_nack_t *nack) {
  braid_rtcp_nack_item_t item;
  size_t n = 0;
  for (size_t i = 0; i < nack->n_items; i++) {
    (void)braid_rtcp_nack_item(nack, i, &item);
    n += 1 + popcount16(item.blp);
  }
  return n;
}

ssize_t braid_rtcp_nack_expand(const braid_rtcp_nack_t *nack, uint16_t *out, size_t cap) {
  braid_rtcp_nack_item_t item;
  size_t n = 0;
  for (size_t i = 0; i < nack->n_items; i++) {
    (void)braid_rtcp_nack_item(nack, i, &item);
    for (unsigned bit = 0; bit <= 16; bit++) {
      /* Bit "0" stands for the PID itself, bit k for BLP bit k - 1. */
      if (bit > 0 && !(item.blp & (1u << (bit - 1)))) continue;
      if (n == cap) return BRAID_ELIMIT;
      out[n++] = (uint16_t)(item.pid + bit);
    }
  }
  return (ssize_t)n;
}

/* Distance from a to b in RTP order. */
static uint16_t seq_diff(uint16_t a, uint16_t b) { return (uint16_t)(b - a); }

/* Walks seqs and counts the entries the greedy packing makes, or returns
 * BRAID_EINVAL for an unsorted list. With out != NULL, writes the entries
 * there (4 bytes each; the caller checked the room). */
static ssize_t pack(const uint16_t *seqs, size_t n, uint8_t *out) {
  size_t items = 0;
  uint16_t pid = 0, blp = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0) {
      uint16_t step = seq_diff(seqs[i - 1], seqs[i]);
      if (step == 0 || step >= 0x8000) return BRAID_EINVAL;
      uint16_t d = seq_diff(pid, seqs[i]);
      if (d <= 16) {
        blp |= (uint16_t)(1u << (d - 1));
        continue;
      }
      if (out != NULL) {
        braid_put16(out + 4 * (items - 1), pid);
        braid_put16(out + 4 * (items - 1) + 2, blp);
      }
    }
    pid = seqs[i];
    blp = 0;
    items++;
  }
  if (out != NULL && items > 0) {
    braid_put16(out + 4 * (items - 1), pid);
    braid_put16(out + 4 * (items - 1) + 2, blp);
  }
  return (ssize_t)items;
}

ssize_t braid_rtcp_nack_size(const uint16_t *seqs, size_t n) {
  if (n == 0) return BRAID_EINVAL;
  ssize_t items = pack(seqs, n, NULL);
  if (items < 0) return items;
  return BRAID_RTCP_FB_HEADER_SIZE + items * BRAID_RTCP_NACK_ITEM_SIZE;
}

ssize_t braid_rtcp_nack_write(uint8_t *buf, size_t cap, const braid_rtcp_fb_t *fb,
                              const uint16_t *seqs, size_t n) {
  ssize_t len = braid_rtcp_nack_size(seqs, n);
  if (len < 0) return len;
  if ((size_t)len > BRAID_RTCP_MAX_PACKET) return BRAID_EINVAL;
  if (cap < (size_t)len) return BRAID_ELIMIT;
  (void)braid_rtcp_fb_write(buf, cap, BRAID_RTCP_PT_RTPFB, BRAID_RTCP_RTPFB_NACK, (size_t)len, fb);
  (void)pack(seqs, n, buf + BRAID_RTCP_FB_HEADER_SIZE);
  return len;
}
