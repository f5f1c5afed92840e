/*
 * The per-parser checks of the RTCP fuzzers: the per-type targets
 * (rtcp_<type>_fuzz.c) feed their whole input to one of these, and
 * mediad_rtcp_compound_fuzz feeds every packet of a compound to all of them.
 *
 * fuzz_rtcp_check_<type>(p, len, ...) runs the parser on p[0..len) and
 *   - on failure, checks that the code is in the malformed-input band and
 *     comes with a reason, and returns false;
 *   - on success, checks that the header agrees with what the parser took
 *     (version 2, its packet type and FMT, an announced length of exactly
 *     len), that every borrowed view lies inside p[0..len), walks every
 *     accessor and iterator, and where a serialiser exists rebuilds the
 *     packet, parses the result and compares it field by field, and byte
 *     for byte where the encoding is canonical (no padding, and nothing the
 *     writer normalises); returns true.
 *
 * A finding fails a BRAID_ASSERT (abort), which libFuzzer records as a
 * crash. The rebuilt packets go to one static scratch buffer, so the checks
 * are not reentrant (a fuzzer is one thread).
 */
#ifndef BRAID_FUZZ_MEDIAD_WIRE_RTCP_CHECK_H
#define BRAID_FUZZ_MEDIAD_WIRE_RTCP_CHECK_H

#include "fuzz/mediad/wire/rtcp_fuzz.h"
#include "mediad/wire/rtcp/app.h"
#include "mediad/wire/rtcp/bye.h"
#include "mediad/wire/rtcp/fir.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "mediad/wire/rtcp/remb.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sdes.h"
#include "mediad/wire/rtcp/sr.h"
#include "mediad/wire/rtcp/xr.h"

/* The scratch buffer rebuilt packets are written to. */
static inline uint8_t *fuzz_rtcp_out(void) {
  static uint8_t out[FUZZ_RTCP_BUF];
  return out;
}

/* What a successful sub-parser implies about the header: p[0..len) is one
 * whole packet of type pt (and FMT fmt, when fmt >= 0). */
static inline void fuzz_rtcp_accepted(const uint8_t *p, size_t len, uint8_t pt, int fmt) {
  braid_rtcp_header_t h;
  BRAID_ASSERT(braid_rtcp_header_parse(&h, p, len, NULL) == 0);
  BRAID_ASSERT(h.len == len && h.pt == pt && (fmt < 0 || h.count == fmt));
}

/* The P bit of a packet the parser accepted. */
static inline bool fuzz_rtcp_padded(const uint8_t *p) { return (p[0] & 0x20) != 0; }

/* A reception report block: 24 bytes or more (the rest is not read). Every
 * parsed value is in range, so writing it back gives the same 24 bytes. */
static inline bool fuzz_rtcp_check_report_block(const uint8_t *p, size_t len,
                                                braid_rtcp_report_block_t *blk) {
  const char *why = NULL;
  int rc = braid_rtcp_report_block_parse(blk, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    BRAID_ASSERT(rc == BRAID_ETRUNC && len < BRAID_RTCP_REPORT_BLOCK_SIZE);
    return false;
  }
  BRAID_ASSERT(len >= BRAID_RTCP_REPORT_BLOCK_SIZE);
  BRAID_ASSERT(blk->packets_lost >= BRAID_RTCP_LOST_MIN &&
               blk->packets_lost <= BRAID_RTCP_LOST_MAX);
  uint8_t *out = fuzz_rtcp_out();
  BRAID_ASSERT(braid_rtcp_report_block_write(blk, out, FUZZ_RTCP_BUF) ==
               BRAID_RTCP_REPORT_BLOCK_SIZE);
  BRAID_ASSERT(memcmp(out, p, BRAID_RTCP_REPORT_BLOCK_SIZE) == 0);
  return true;
}

/* SR; fills *sr and blocks[0..sr->n_blocks) (room for 31). */
static inline bool fuzz_rtcp_check_sr(const uint8_t *p, size_t len, braid_rtcp_sr_t *sr,
                                      braid_rtcp_report_block_t *blocks) {
  braid_rtcp_sr_t back;
  const char *why = NULL;
  int rc = braid_rtcp_sr_parse(sr, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_SR, -1);
  BRAID_ASSERT(sr->n_blocks == (p[0] & 0x1f));
  fuzz_rtcp_in(sr->blocks, (size_t)sr->n_blocks * 24, p, len);
  fuzz_rtcp_in(sr->ext, sr->ext_len, p, len);
  for (size_t i = 0; i < sr->n_blocks; i++)
    BRAID_ASSERT(braid_rtcp_sr_block(sr, i, &blocks[i]) == 0);
  braid_rtcp_report_block_t extra;
  BRAID_ASSERT(braid_rtcp_sr_block(sr, sr->n_blocks, &extra) == BRAID_EINVAL);
  size_t ext_len = sr->ext_len & ~(size_t)3; /* the writer takes whole words */
  uint8_t *out = fuzz_rtcp_out();
  ssize_t n = braid_rtcp_sr_write(out, FUZZ_RTCP_BUF, sr->ssrc, &sr->info, blocks, sr->n_blocks,
                                  sr->ext, ext_len);
  BRAID_ASSERT(n == (ssize_t)(28 + 24 * (size_t)sr->n_blocks + ext_len));
  BRAID_ASSERT(braid_rtcp_sr_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.ssrc == sr->ssrc && back.n_blocks == sr->n_blocks && back.ext_len == ext_len);
  BRAID_ASSERT(back.info.ntp == sr->info.ntp && back.info.rtp_ts == sr->info.rtp_ts);
  BRAID_ASSERT(back.info.packet_count == sr->info.packet_count);
  BRAID_ASSERT(back.info.octet_count == sr->info.octet_count);
  BRAID_ASSERT(memcmp(back.blocks, sr->blocks, 24 * (size_t)sr->n_blocks) == 0);
  BRAID_ASSERT(ext_len == 0 || memcmp(back.ext, sr->ext, ext_len) == 0);
  if (!fuzz_rtcp_padded(p)) BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
  return true;
}

/* RR; fills *rr and blocks[0..rr->n_blocks) (room for 31). */
static inline bool fuzz_rtcp_check_rr(const uint8_t *p, size_t len, braid_rtcp_rr_t *rr,
                                      braid_rtcp_report_block_t *blocks) {
  braid_rtcp_rr_t back;
  braid_rtcp_report_block_t extra;
  const char *why = NULL;
  int rc = braid_rtcp_rr_parse(rr, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_RR, -1);
  BRAID_ASSERT(rr->n_blocks == (p[0] & 0x1f));
  fuzz_rtcp_in(rr->blocks, (size_t)rr->n_blocks * 24, p, len);
  fuzz_rtcp_in(rr->ext, rr->ext_len, p, len);
  for (size_t i = 0; i < rr->n_blocks; i++)
    BRAID_ASSERT(braid_rtcp_rr_block(rr, i, &blocks[i]) == 0);
  BRAID_ASSERT(braid_rtcp_rr_block(rr, rr->n_blocks, &extra) == BRAID_EINVAL);
  size_t ext_len = rr->ext_len & ~(size_t)3;
  uint8_t *out = fuzz_rtcp_out();
  ssize_t n =
      braid_rtcp_rr_write(out, FUZZ_RTCP_BUF, rr->ssrc, blocks, rr->n_blocks, rr->ext, ext_len);
  BRAID_ASSERT(n == (ssize_t)(8 + 24 * (size_t)rr->n_blocks + ext_len));
  BRAID_ASSERT(braid_rtcp_rr_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.ssrc == rr->ssrc && back.n_blocks == rr->n_blocks && back.ext_len == ext_len);
  BRAID_ASSERT(memcmp(back.blocks, rr->blocks, 24 * (size_t)rr->n_blocks) == 0);
  BRAID_ASSERT(ext_len == 0 || memcmp(back.ext, rr->ext, ext_len) == 0);
  if (!fuzz_rtcp_padded(p)) BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
  return true;
}

/* SDES; sets *cname to the first CNAME item found (when cname is not NULL
 * and cname->p is still NULL). */
static inline bool fuzz_rtcp_check_sdes(const uint8_t *p, size_t len, braid_str_t *cname) {
  braid_rtcp_sdes_t sdes, back;
  braid_rtcp_sdes_iter_t chunks, items, bchunks;
  braid_rtcp_sdes_chunk_t list[BRAID_RTCP_MAX_COUNT], bchunk;
  braid_rtcp_sdes_item_t item;
  braid_str_t found;
  const char *why = NULL;
  int rc = braid_rtcp_sdes_parse(&sdes, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_SDES, -1);
  BRAID_ASSERT(sdes.n_chunks == (p[0] & 0x1f));
  fuzz_rtcp_in(sdes.chunks, sdes.chunks_len, p, len);
  size_t n_chunks = 0;
  braid_rtcp_sdes_chunks(&chunks, &sdes);
  while (braid_rtcp_sdes_next_chunk(&chunks, &list[n_chunks])) {
    const braid_rtcp_sdes_chunk_t *c = &list[n_chunks];
    fuzz_rtcp_in(c->items, c->items_len, p, len);
    braid_rtcp_sdes_items(&items, c);
    while (braid_rtcp_sdes_next_item(&items, &item)) {
      BRAID_ASSERT(item.type != BRAID_RTCP_SDES_END);
      fuzz_rtcp_in(item.text.p, item.text.len, p, len);
      BRAID_ASSERT(braid_rtcp_sdes_find(&sdes, c->ssrc, item.type, &found) == 0);
      if (item.type == BRAID_RTCP_SDES_CNAME && cname != NULL && cname->p == NULL)
        *cname = item.text;
    }
    BRAID_ASSERT(braid_rd_left(&items.rd) == 0); /* validated: every item is read */
    n_chunks++;
  }
  BRAID_ASSERT(n_chunks == sdes.n_chunks);
  uint8_t *out = fuzz_rtcp_out();
  ssize_t n = braid_rtcp_sdes_write(out, FUZZ_RTCP_BUF, list, n_chunks);
  BRAID_ASSERT(n > 0);
  BRAID_ASSERT(braid_rtcp_sdes_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.n_chunks == sdes.n_chunks && back.chunks_len == sdes.chunks_len);
  size_t k = 0;
  braid_rtcp_sdes_chunks(&bchunks, &back);
  while (braid_rtcp_sdes_next_chunk(&bchunks, &bchunk)) {
    BRAID_ASSERT(k < n_chunks && bchunk.ssrc == list[k].ssrc);
    BRAID_ASSERT(bchunk.items_len == list[k].items_len);
    BRAID_ASSERT(bchunk.items_len == 0 ||
                 memcmp(bchunk.items, list[k].items, bchunk.items_len) == 0);
    k++;
  }
  BRAID_ASSERT(k == n_chunks);
  if (!fuzz_rtcp_padded(p)) BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
  return true;
}

/* BYE. The null octets after a reason are not checked on input and
 * written as zeros, so the comparison is by field. */
static inline bool fuzz_rtcp_check_bye(const uint8_t *p, size_t len) {
  braid_rtcp_bye_t bye, back;
  uint32_t ssrcs[BRAID_RTCP_MAX_COUNT];
  const char *why = NULL;
  int rc = braid_rtcp_bye_parse(&bye, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_BYE, -1);
  BRAID_ASSERT(bye.n_ssrcs == (p[0] & 0x1f));
  fuzz_rtcp_in(bye.ssrcs, (size_t)bye.n_ssrcs * 4, p, len);
  fuzz_rtcp_in(bye.reason.p, bye.reason.len, p, len);
  BRAID_ASSERT(bye.has_reason || bye.reason.len == 0);
  for (size_t i = 0; i < bye.n_ssrcs; i++)
    ssrcs[i] = braid_rtcp_bye_ssrc(&bye, i);
  BRAID_ASSERT(braid_rtcp_bye_ssrc(&bye, bye.n_ssrcs) == 0);
  uint8_t *out = fuzz_rtcp_out();
  ssize_t n = braid_rtcp_bye_write(out, FUZZ_RTCP_BUF, ssrcs, bye.n_ssrcs,
                                   bye.has_reason ? &bye.reason : NULL);
  if (bye.n_ssrcs == 0) {
    BRAID_ASSERT(n == BRAID_EINVAL); /* we never send a BYE for no one */
    return true;
  }
  BRAID_ASSERT(n > 0 && (size_t)n <= len);
  BRAID_ASSERT(braid_rtcp_bye_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.n_ssrcs == bye.n_ssrcs && back.has_reason == bye.has_reason);
  BRAID_ASSERT(memcmp(back.ssrcs, bye.ssrcs, 4 * (size_t)bye.n_ssrcs) == 0);
  BRAID_ASSERT(back.reason.len == bye.reason.len &&
               (bye.reason.len == 0 || memcmp(back.reason.p, bye.reason.p, bye.reason.len) == 0));
  return true;
}

/* APP (no serialiser: we never send one). */
static inline bool fuzz_rtcp_check_app(const uint8_t *p, size_t len) {
  braid_rtcp_app_t app;
  braid_rtcp_header_t h;
  const char *why = NULL;
  int rc = braid_rtcp_app_parse(&app, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_APP, -1);
  BRAID_ASSERT(braid_rtcp_header_parse(&h, p, len, NULL) == 0);
  BRAID_ASSERT(app.subtype == h.count && app.ssrc == braid_get32(p + 4));
  BRAID_ASSERT(app.name == p + 8 && app.data == p + 12);
  BRAID_ASSERT(app.data_len == len - 12 - h.pad_len);
  fuzz_rtcp_in(app.data, app.data_len, p, len);
  return true;
}

/* XR (no serialiser: we never send one). The blocks tile the body. */
static inline bool fuzz_rtcp_check_xr(const uint8_t *p, size_t len) {
  braid_rtcp_xr_t xr;
  braid_rtcp_xr_iter_t it;
  braid_rtcp_xr_block_t blk;
  const char *why = NULL;
  int rc = braid_rtcp_xr_parse(&xr, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_XR, -1);
  BRAID_ASSERT(xr.ssrc == braid_get32(p + 4) && xr.blocks == p + 8);
  fuzz_rtcp_in(xr.blocks, xr.blocks_len, p, len);
  size_t n = 0, covered = 0;
  braid_rtcp_xr_iter_init(&it, &xr);
  while (braid_rtcp_xr_iter_next(&it, &blk)) {
    fuzz_rtcp_in(blk.data, blk.len, p, len);
    BRAID_ASSERT(blk.data == xr.blocks + covered + 4 && blk.len % 4 == 0);
    covered += 4 + blk.len;
    n++;
  }
  BRAID_ASSERT(n == xr.n_blocks && covered == xr.blocks_len);
  return true;
}

/* The common feedback format, opened as type pt and FMT fmt: rebuilt from
 * the two SSRCs and the FCI (zero-padded to whole words). */
static inline bool fuzz_rtcp_check_fb(const uint8_t *p, size_t len, uint8_t pt, uint8_t fmt) {
  braid_rtcp_fb_t fb, back;
  braid_rd_t fci, bfci;
  const char *why = NULL;
  int rc = braid_rtcp_fb_open(&fb, &fci, p, len, pt, fmt, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, pt, fmt);
  size_t fci_len = braid_rd_left(&fci);
  BRAID_ASSERT(fci.p == p + BRAID_RTCP_FB_HEADER_SIZE);
  fuzz_rtcp_in(fci.p, fci_len, p, len);
  BRAID_ASSERT(fb.sender_ssrc == braid_get32(p + 4) && fb.media_ssrc == braid_get32(p + 8));
  uint8_t *out = fuzz_rtcp_out();
  size_t n = BRAID_RTCP_FB_HEADER_SIZE + braid__rtcp_align4(fci_len);
  BRAID_ASSERT(braid_rtcp_fb_write(out, FUZZ_RTCP_BUF, pt, fmt, n, &fb) ==
               BRAID_RTCP_FB_HEADER_SIZE);
  memset(out + BRAID_RTCP_FB_HEADER_SIZE, 0, n - BRAID_RTCP_FB_HEADER_SIZE);
  if (fci_len > 0) memcpy(out + BRAID_RTCP_FB_HEADER_SIZE, fci.p, fci_len);
  BRAID_ASSERT(braid_rtcp_fb_open(&back, &bfci, out, n, pt, fmt, NULL) == 0);
  BRAID_ASSERT(back.sender_ssrc == fb.sender_ssrc && back.media_ssrc == fb.media_ssrc);
  BRAID_ASSERT(braid_rd_left(&bfci) == braid__rtcp_align4(fci_len));
  BRAID_ASSERT(fci_len == 0 || memcmp(bfci.p, fci.p, fci_len) == 0);
  if (!fuzz_rtcp_padded(p)) BRAID_ASSERT(n == len && memcmp(out, p, len) == 0);
  return true;
}

/* PLI: 12 bytes exactly, or 12 plus padding. */
static inline bool fuzz_rtcp_check_pli(const uint8_t *p, size_t len) {
  braid_rtcp_fb_t fb, back;
  const char *why = NULL;
  int rc = braid_rtcp_pli_parse(&fb, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_PLI);
  uint8_t *out = fuzz_rtcp_out();
  BRAID_ASSERT(braid_rtcp_pli_write(out, FUZZ_RTCP_BUF, &fb) == BRAID_RTCP_PLI_SIZE);
  BRAID_ASSERT(braid_rtcp_pli_parse(&back, out, BRAID_RTCP_PLI_SIZE, NULL) == 0);
  BRAID_ASSERT(back.sender_ssrc == fb.sender_ssrc && back.media_ssrc == fb.media_ssrc);
  if (!fuzz_rtcp_padded(p)) BRAID_ASSERT(len == 12 && memcmp(out, p, 12) == 0);
  return true;
}

/* FIR. Our writer sends media SSRC 0 and zero reserved bytes, so the
 * bytes match where the sender did the same. */
static inline bool fuzz_rtcp_check_fir(const uint8_t *p, size_t len) {
  static braid_rtcp_fir_entry_t entries[FUZZ_RTCP_BUF / BRAID_RTCP_FIR_ENTRY_SIZE];
  braid_rtcp_fir_t fir, back;
  braid_rtcp_fir_entry_t e;
  const char *why = NULL;
  int rc = braid_rtcp_fir_parse(&fir, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_FIR);
  BRAID_ASSERT(fir.n_entries >= 1 && fir.entries == p + BRAID_RTCP_FB_HEADER_SIZE);
  fuzz_rtcp_in(fir.entries, fir.n_entries * 8, p, len);
  for (size_t i = 0; i < fir.n_entries; i++)
    BRAID_ASSERT(braid_rtcp_fir_entry(&fir, i, &entries[i]) == 0);
  BRAID_ASSERT(braid_rtcp_fir_entry(&fir, fir.n_entries, &e) == BRAID_EINVAL);
  uint8_t *out = fuzz_rtcp_out();
  ssize_t n = braid_rtcp_fir_write(out, FUZZ_RTCP_BUF, fir.fb.sender_ssrc, entries, fir.n_entries);
  BRAID_ASSERT(n == (ssize_t)(12 + 8 * fir.n_entries));
  BRAID_ASSERT(braid_rtcp_fir_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.n_entries == fir.n_entries && back.fb.media_ssrc == 0);
  BRAID_ASSERT(back.fb.sender_ssrc == fir.fb.sender_ssrc);
  bool canonical = !fuzz_rtcp_padded(p) && fir.fb.media_ssrc == 0;
  for (size_t i = 0; i < fir.n_entries; i++) {
    BRAID_ASSERT(braid_rtcp_fir_entry(&back, i, &e) == 0);
    BRAID_ASSERT(e.ssrc == entries[i].ssrc && e.seq == entries[i].seq);
    const uint8_t *r = fir.entries + 8 * i + 5; /* reserved */
    canonical = canonical && r[0] == 0 && r[1] == 0 && r[2] == 0;
  }
  if (canonical) BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
  return true;
}

/* REMB. A parsed bitrate needs no rounding, so it comes back exactly; the
 * bytes match when the sender used the smallest exponent, as we do. */
static inline bool fuzz_rtcp_check_remb(const uint8_t *p, size_t len) {
  braid_rtcp_remb_t remb, back;
  uint32_t ssrcs[BRAID_RTCP_REMB_MAX_SSRCS];
  const char *why = NULL;
  int rc = braid_rtcp_remb_parse(&remb, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_PSFB, BRAID_RTCP_PSFB_AFB);
  fuzz_rtcp_in(remb.ssrcs, (size_t)remb.n_ssrcs * 4, p, len);
  BRAID_ASSERT(remb.mantissa <= BRAID_RTCP_REMB_MANTISSA_MAX && remb.exp <= 63);
  BRAID_ASSERT(remb.bitrate == (uint64_t)remb.mantissa << remb.exp);
  for (size_t i = 0; i < remb.n_ssrcs; i++)
    ssrcs[i] = braid_rtcp_remb_ssrc(&remb, i);
  BRAID_ASSERT(braid_rtcp_remb_ssrc(&remb, remb.n_ssrcs) == 0);
  uint8_t *out = fuzz_rtcp_out();
  ssize_t n = braid_rtcp_remb_write(out, FUZZ_RTCP_BUF, remb.fb.sender_ssrc, remb.bitrate, ssrcs,
                                    remb.n_ssrcs);
  BRAID_ASSERT(n == (ssize_t)(20 + 4 * (size_t)remb.n_ssrcs));
  BRAID_ASSERT(braid_rtcp_remb_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.bitrate == remb.bitrate && back.n_ssrcs == remb.n_ssrcs);
  BRAID_ASSERT(memcmp(back.ssrcs, remb.ssrcs, 4 * (size_t)remb.n_ssrcs) == 0);
  uint8_t exp;
  uint32_t m;
  braid_rtcp_remb_encode(remb.bitrate, &exp, &m);
  BRAID_ASSERT(exp <= remb.exp && ((uint64_t)m << exp) == remb.bitrate);
  if (!fuzz_rtcp_padded(p) && exp == remb.exp && remb.fb.media_ssrc == 0)
    BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
  return true;
}

/* True when seqs[0..n) is sorted in RTP order without duplicates. */
static inline bool fuzz_rtcp_sorted(const uint16_t *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    uint16_t step = (uint16_t)(s[i] - s[i - 1]);
    if (step == 0 || step >= 0x8000) return false;
  }
  return true;
}

/* Generic NACK: parse -> expand -> build -> expand gives the same list
 * (when it is sorted; otherwise the writer refuses it), never longer. */
static inline bool fuzz_rtcp_check_nack(const uint8_t *p, size_t len) {
  static uint16_t seqs[BRAID_RTCP_NACK_ITEM_SEQS * 65536];
  static uint16_t seqs2[BRAID_RTCP_NACK_ITEM_SEQS * 65536];
  braid_rtcp_nack_t nack, back;
  braid_rtcp_nack_item_t item;
  const char *why = NULL;
  int rc = braid_rtcp_nack_parse(&nack, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_RTPFB, BRAID_RTCP_RTPFB_NACK);
  fuzz_rtcp_in(nack.items, nack.n_items * 4, p, len);
  for (size_t i = 0; i < nack.n_items; i++)
    BRAID_ASSERT(braid_rtcp_nack_item(&nack, i, &item) == 0);
  BRAID_ASSERT(braid_rtcp_nack_item(&nack, nack.n_items, &item) == BRAID_EINVAL);
  size_t count = braid_rtcp_nack_count(&nack);
  ssize_t n = braid_rtcp_nack_expand(&nack, seqs, sizeof seqs / sizeof seqs[0]);
  BRAID_ASSERT(n == (ssize_t)count && count >= nack.n_items);
  if (count > 1) BRAID_ASSERT(braid_rtcp_nack_expand(&nack, seqs2, count - 1) == BRAID_ELIMIT);
  uint8_t *out = fuzz_rtcp_out();
  ssize_t w = braid_rtcp_nack_write(out, FUZZ_RTCP_BUF, &nack.fb, seqs, count);
  if (!fuzz_rtcp_sorted(seqs, count)) {
    BRAID_ASSERT(w == BRAID_EINVAL);
    return true;
  }
  BRAID_ASSERT(w > 0 && (size_t)w <= len); /* the greedy packing is never longer */
  BRAID_ASSERT(braid_rtcp_nack_parse(&back, out, (size_t)w, NULL) == 0);
  BRAID_ASSERT(back.fb.sender_ssrc == nack.fb.sender_ssrc);
  BRAID_ASSERT(back.fb.media_ssrc == nack.fb.media_ssrc);
  BRAID_ASSERT(braid_rtcp_nack_expand(&back, seqs2, sizeof seqs2 / sizeof seqs2[0]) == n);
  BRAID_ASSERT(memcmp(seqs, seqs2, count * sizeof seqs[0]) == 0);
  return true;
}

/* Transport-wide CC: parse -> build -> parse (fuzz_twcc_rebuild()). */
static inline bool fuzz_rtcp_check_twcc(const uint8_t *p, size_t len) {
  static braid_rtcp_twcc_arrival_t arrivals[65536];
  braid_rtcp_twcc_t twcc;
  const char *why = NULL;
  int rc = braid_rtcp_twcc_parse(&twcc, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return false;
  }
  fuzz_rtcp_accepted(p, len, BRAID_RTCP_PT_RTPFB, BRAID_RTCP_RTPFB_TWCC);
  fuzz_rtcp_in(twcc.chunks, twcc.n_chunks * 2, p, len);
  fuzz_rtcp_in(twcc.deltas, twcc.deltas_len, p, len);
  fuzz_twcc_rebuild(&twcc, arrivals, fuzz_rtcp_out());
  return true;
}

#endif
