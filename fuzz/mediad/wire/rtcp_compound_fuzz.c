/*
 * Fuzzer for the RTCP wire layer, mediad/wire/rtcp/. The input is one
 * datagram (after SRTCP unprotect). It:
 *   - iterates it as a compound, strictly and with BRAID_RTCP_COMPOUND_PAD_ANY
 *     (the strict packets must be a prefix of the lenient ones), checking
 *     that each slice lies inside the input and has its announced length;
 *   - runs every sub-parser on every slice: at most the one matching PT and
 *     FMT may accept it, failures carry a code and a reason;
 *   - walks every accessor and iterator of what parsed, checking views;
 *   - rebuilds each parsed packet with its serialiser, re-parses the result
 *     and compares (byte for byte where the encoding is canonical);
 *   - feeds the parsed reports to the compound builder and validates the
 *     compound it builds.
 */
#include "fuzz/mediad/wire/rtcp_fuzz.h"
#include "mediad/wire/rtcp/app.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/bye.h"
#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/fir.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "mediad/wire/rtcp/remb.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sdes.h"
#include "mediad/wire/rtcp/sr.h"
#include "mediad/wire/rtcp/xr.h"

static uint8_t out[FUZZ_RTCP_BUF];
static uint8_t out2[FUZZ_RTCP_BUF];
static braid_rtcp_twcc_arrival_t arrivals[65536];
static uint16_t seqs[17 * 65536];
static uint16_t seqs2[17 * 65536];

/* Reports seen, for the builder. */
typedef struct seen {
  bool have_report;
  uint32_t ssrc;
  bool is_sr;
  braid_rtcp_sender_info_t info;
  braid_rtcp_report_block_t blocks[31];
  size_t n_blocks;
  braid_str_t cname;
} seen_t;

static void check_sr(const uint8_t *p, size_t len, bool padded, seen_t *seen) {
  braid_rtcp_sr_t sr, back;
  braid_rtcp_report_block_t blocks[31];
  const char *why = NULL;
  int rc = braid_rtcp_sr_parse(&sr, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(sr.blocks, (size_t)sr.n_blocks * 24, p, len);
  fuzz_rtcp_in(sr.ext, sr.ext_len, p, len);
  for (size_t i = 0; i < sr.n_blocks; i++)
    BRAID_ASSERT(braid_rtcp_sr_block(&sr, i, &blocks[i]) == 0);
  BRAID_ASSERT(braid_rtcp_sr_block(&sr, sr.n_blocks, &blocks[0]) == BRAID_EINVAL);
  size_t ext_len = sr.ext_len & ~(size_t)3; /* the writer takes whole words */
  ssize_t n =
      braid_rtcp_sr_write(out, sizeof out, sr.ssrc, &sr.info, blocks, sr.n_blocks, sr.ext, ext_len);
  BRAID_ASSERT(n == (ssize_t)(28 + 24 * (size_t)sr.n_blocks + ext_len));
  BRAID_ASSERT(braid_rtcp_sr_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.ssrc == sr.ssrc && back.n_blocks == sr.n_blocks && back.ext_len == ext_len);
  BRAID_ASSERT(back.info.ntp == sr.info.ntp && back.info.rtp_ts == sr.info.rtp_ts);
  BRAID_ASSERT(back.info.packet_count == sr.info.packet_count);
  BRAID_ASSERT(back.info.octet_count == sr.info.octet_count);
  if (!padded) BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
  if (!seen->have_report) {
    *seen = (seen_t){.have_report = true,
                     .ssrc = sr.ssrc,
                     .is_sr = true,
                     .info = sr.info,
                     .n_blocks = sr.n_blocks};
    memcpy(seen->blocks, blocks, sizeof blocks[0] * sr.n_blocks);
  }
}

static void check_rr(const uint8_t *p, size_t len, bool padded, seen_t *seen) {
  braid_rtcp_rr_t rr, back;
  braid_rtcp_report_block_t blocks[31];
  const char *why = NULL;
  int rc = braid_rtcp_rr_parse(&rr, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(rr.blocks, (size_t)rr.n_blocks * 24, p, len);
  fuzz_rtcp_in(rr.ext, rr.ext_len, p, len);
  for (size_t i = 0; i < rr.n_blocks; i++)
    BRAID_ASSERT(braid_rtcp_rr_block(&rr, i, &blocks[i]) == 0);
  size_t ext_len = rr.ext_len & ~(size_t)3;
  ssize_t n = braid_rtcp_rr_write(out, sizeof out, rr.ssrc, blocks, rr.n_blocks, rr.ext, ext_len);
  BRAID_ASSERT(n == (ssize_t)(8 + 24 * (size_t)rr.n_blocks + ext_len));
  BRAID_ASSERT(braid_rtcp_rr_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.ssrc == rr.ssrc && back.n_blocks == rr.n_blocks);
  if (!padded) BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
  if (!seen->have_report) {
    *seen = (seen_t){.have_report = true, .ssrc = rr.ssrc, .n_blocks = rr.n_blocks};
    memcpy(seen->blocks, blocks, sizeof blocks[0] * rr.n_blocks);
  }
}

static void check_sdes(const uint8_t *p, size_t len, bool padded, seen_t *seen) {
  braid_rtcp_sdes_t sdes, back;
  braid_rtcp_sdes_iter_t chunks, items;
  braid_rtcp_sdes_chunk_t list[31];
  braid_rtcp_sdes_item_t item;
  const char *why = NULL;
  int rc = braid_rtcp_sdes_parse(&sdes, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  size_t n_chunks = 0;
  braid_rtcp_sdes_chunks(&chunks, &sdes);
  while (braid_rtcp_sdes_next_chunk(&chunks, &list[n_chunks])) {
    fuzz_rtcp_in(list[n_chunks].items, list[n_chunks].items_len, p, len);
    braid_rtcp_sdes_items(&items, &list[n_chunks]);
    while (braid_rtcp_sdes_next_item(&items, &item)) {
      BRAID_ASSERT(item.type != BRAID_RTCP_SDES_END);
      fuzz_rtcp_in(item.text.p, item.text.len, p, len);
      if (item.type == BRAID_RTCP_SDES_CNAME && seen->cname.p == NULL) seen->cname = item.text;
    }
    BRAID_ASSERT(braid_rd_left(&items.rd) == 0);
    n_chunks++;
  }
  BRAID_ASSERT(n_chunks == sdes.n_chunks);
  ssize_t n = braid_rtcp_sdes_write(out, sizeof out, list, n_chunks);
  BRAID_ASSERT(n > 0);
  BRAID_ASSERT(braid_rtcp_sdes_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.n_chunks == sdes.n_chunks && back.chunks_len == sdes.chunks_len);
  if (!padded) BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
}

static void check_bye(const uint8_t *p, size_t len) {
  braid_rtcp_bye_t bye, back;
  uint32_t ssrcs[31];
  const char *why = NULL;
  int rc = braid_rtcp_bye_parse(&bye, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(bye.ssrcs, (size_t)bye.n_ssrcs * 4, p, len);
  fuzz_rtcp_in(bye.reason.p, bye.reason.len, p, len);
  for (size_t i = 0; i < bye.n_ssrcs; i++)
    ssrcs[i] = braid_rtcp_bye_ssrc(&bye, i);
  ssize_t n = braid_rtcp_bye_write(out, sizeof out, ssrcs, bye.n_ssrcs,
                                   bye.has_reason ? &bye.reason : NULL);
  if (bye.n_ssrcs == 0) {
    BRAID_ASSERT(n == BRAID_EINVAL);
    return;
  }
  BRAID_ASSERT(n > 0);
  BRAID_ASSERT(braid_rtcp_bye_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.n_ssrcs == bye.n_ssrcs && back.has_reason == bye.has_reason);
  BRAID_ASSERT(memcmp(back.ssrcs, bye.ssrcs, 4 * (size_t)bye.n_ssrcs) == 0);
  BRAID_ASSERT(back.reason.len == bye.reason.len &&
               (bye.reason.len == 0 || memcmp(back.reason.p, bye.reason.p, bye.reason.len) == 0));
}

/* True when seqs[0..n) is sorted in RTP order without duplicates. */
static bool sorted(const uint16_t *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    uint16_t step = (uint16_t)(s[i] - s[i - 1]);
    if (step == 0 || step >= 0x8000) return false;
  }
  return true;
}

static void check_nack(const uint8_t *p, size_t len) {
  braid_rtcp_nack_t nack, back;
  braid_rtcp_nack_item_t item;
  const char *why = NULL;
  int rc = braid_rtcp_nack_parse(&nack, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(nack.items, nack.n_items * 4, p, len);
  for (size_t i = 0; i < nack.n_items; i++)
    BRAID_ASSERT(braid_rtcp_nack_item(&nack, i, &item) == 0);
  size_t count = braid_rtcp_nack_count(&nack);
  ssize_t n = braid_rtcp_nack_expand(&nack, seqs, sizeof seqs / sizeof seqs[0]);
  BRAID_ASSERT(n == (ssize_t)count);
  if (count > 1) BRAID_ASSERT(braid_rtcp_nack_expand(&nack, seqs2, count - 1) == BRAID_ELIMIT);
  ssize_t w = braid_rtcp_nack_write(out, sizeof out, &nack.fb, seqs, count);
  if (!sorted(seqs, count)) {
    BRAID_ASSERT(w == BRAID_EINVAL);
    return;
  }
  BRAID_ASSERT(w > 0 && (size_t)w <= len); /* the greedy packing is never longer */
  BRAID_ASSERT(braid_rtcp_nack_parse(&back, out, (size_t)w, NULL) == 0);
  BRAID_ASSERT(braid_rtcp_nack_expand(&back, seqs2, sizeof seqs2 / sizeof seqs2[0]) == n);
  BRAID_ASSERT(memcmp(seqs, seqs2, count * sizeof seqs[0]) == 0);
}

static void check_pli(const uint8_t *p, size_t len, bool padded) {
  braid_rtcp_fb_t fb;
  const char *why = NULL;
  int rc = braid_rtcp_pli_parse(&fb, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  BRAID_ASSERT(braid_rtcp_pli_write(out, sizeof out, &fb) == 12);
  if (!padded) BRAID_ASSERT(len == 12 && memcmp(out, p, 12) == 0);
}

static void check_fir(const uint8_t *p, size_t len) {
  braid_rtcp_fir_t fir, back;
  braid_rtcp_fir_entry_t e, eb;
  const char *why = NULL;
  static braid_rtcp_fir_entry_t entries[FUZZ_RTCP_BUF / 8];
  int rc = braid_rtcp_fir_parse(&fir, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(fir.entries, fir.n_entries * 8, p, len);
  for (size_t i = 0; i < fir.n_entries; i++)
    BRAID_ASSERT(braid_rtcp_fir_entry(&fir, i, &entries[i]) == 0);
  ssize_t n = braid_rtcp_fir_write(out, sizeof out, fir.fb.sender_ssrc, entries, fir.n_entries);
  BRAID_ASSERT(n == (ssize_t)(12 + 8 * fir.n_entries));
  BRAID_ASSERT(braid_rtcp_fir_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.n_entries == fir.n_entries && back.fb.media_ssrc == 0);
  for (size_t i = 0; i < fir.n_entries; i++) {
    BRAID_ASSERT(braid_rtcp_fir_entry(&fir, i, &e) == 0 &&
                 braid_rtcp_fir_entry(&back, i, &eb) == 0);
    BRAID_ASSERT(e.ssrc == eb.ssrc && e.seq == eb.seq);
  }
}

static void check_remb(const uint8_t *p, size_t len, bool padded) {
  braid_rtcp_remb_t remb, back;
  uint32_t ssrcs[255];
  const char *why = NULL;
  int rc = braid_rtcp_remb_parse(&remb, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(remb.ssrcs, (size_t)remb.n_ssrcs * 4, p, len);
  BRAID_ASSERT(remb.bitrate == (uint64_t)remb.mantissa << remb.exp);
  for (size_t i = 0; i < remb.n_ssrcs; i++)
    ssrcs[i] = braid_rtcp_remb_ssrc(&remb, i);
  ssize_t n = braid_rtcp_remb_write(out, sizeof out, remb.fb.sender_ssrc, remb.bitrate, ssrcs,
                                    remb.n_ssrcs);
  BRAID_ASSERT(n == (ssize_t)(20 + 4 * (size_t)remb.n_ssrcs));
  BRAID_ASSERT(braid_rtcp_remb_parse(&back, out, (size_t)n, NULL) == 0);
  BRAID_ASSERT(back.bitrate == remb.bitrate); /* exact: a parsed value needs no rounding */
  BRAID_ASSERT(back.n_ssrcs == remb.n_ssrcs);
  /* Bytes match when the sender used the smallest exponent, as we do. */
  uint8_t exp;
  uint32_t m;
  braid_rtcp_remb_encode(remb.bitrate, &exp, &m);
  if (!padded && exp == remb.exp && remb.fb.media_ssrc == 0)
    BRAID_ASSERT((size_t)n == len && memcmp(out, p, len) == 0);
}

static void check_twcc(const uint8_t *p, size_t len) {
  braid_rtcp_twcc_t twcc;
  const char *why = NULL;
  int rc = braid_rtcp_twcc_parse(&twcc, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  fuzz_rtcp_in(twcc.chunks, twcc.n_chunks * 2, p, len);
  fuzz_rtcp_in(twcc.deltas, twcc.deltas_len, p, len);
  fuzz_twcc_rebuild(&twcc, arrivals, out2);
}

static void check_app_xr(const uint8_t *p, size_t len) {
  braid_rtcp_app_t app;
  braid_rtcp_xr_t xr;
  braid_rtcp_xr_iter_t it;
  braid_rtcp_xr_block_t blk;
  const char *why = NULL;
  int rc = braid_rtcp_app_parse(&app, p, len, &why);
  if (rc == 0) {
    fuzz_rtcp_in(app.name, 4, p, len);
    fuzz_rtcp_in(app.data, app.data_len, p, len);
  } else {
    fuzz_rtcp_failure(rc, why);
  }
  rc = braid_rtcp_xr_parse(&xr, p, len, &why);
  if (rc != 0) {
    fuzz_rtcp_failure(rc, why);
    return;
  }
  size_t n = 0;
  braid_rtcp_xr_iter_init(&it, &xr);
  while (braid_rtcp_xr_iter_next(&it, &blk)) {
    fuzz_rtcp_in(blk.data, blk.len, p, len);
    n++;
  }
  BRAID_ASSERT(n == xr.n_blocks);
}

/* Runs every parser on one packet slice; each must refuse what is not its
 * type with a code and a reason, and check what is. */
static void check_packet(const braid_rtcp_packet_t *pkt, seen_t *seen) {
  const uint8_t *p = pkt->data;
  size_t len = pkt->len;
  bool padded = pkt->hdr.padding;
  check_sr(p, len, padded, seen);
  check_rr(p, len, padded, seen);
  check_sdes(p, len, padded, seen);
  check_bye(p, len);
  check_nack(p, len);
  check_pli(p, len, padded);
  check_fir(p, len);
  check_remb(p, len, padded);
  check_twcc(p, len);
  check_app_xr(p, len);
}

/* Builds SR/RR + CNAME + PLI from what was seen and validates it. */
static void check_builder(const seen_t *seen) {
  static uint8_t buf[2048];
  braid_rtcp_builder_t b;
  size_t room;
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  int rc = braid_rtcp_builder_report(&b, seen->ssrc, seen->is_sr ? &seen->info : NULL,
                                     seen->n_blocks > 0 ? seen->blocks : NULL, seen->n_blocks);
  BRAID_ASSERT(rc == 0);                                      /* 31 blocks fit 2048 bytes */
  rc = braid_rtcp_builder_cname(&b, seen->ssrc, seen->cname); /* <= 268 bytes more */
  BRAID_ASSERT(rc == 0);
  uint8_t *p = braid_rtcp_builder_tail(&b, &room);
  braid_rtcp_fb_t fb = {seen->ssrc, seen->ssrc};
  (void)braid_rtcp_builder_commit(&b, braid_rtcp_pli_write(p, room, &fb));
  int n =
      braid_rtcp_compound_validate(buf, braid_rtcp_builder_len(&b), BRAID_RTCP_COMPOUND_FULL, NULL);
  BRAID_ASSERT(n >= 1);
}

/* Iterates with flags; returns the number of packets handed out. */
static unsigned iterate(const uint8_t *data, size_t size, unsigned flags, seen_t *seen,
                        size_t *end) {
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  int rc;
  braid_rtcp_compound_init(&c, data, size, flags);
  while ((rc = braid_rtcp_compound_next(&c, &pkt)) == 1) {
    fuzz_rtcp_in(pkt.data, pkt.len, data, size);
    BRAID_ASSERT(pkt.len == pkt.hdr.len && pkt.len >= 4 && pkt.len % 4 == 0);
    BRAID_ASSERT(pkt.hdr.pad_len <= pkt.len - 4);
    if (seen != NULL) check_packet(&pkt, seen);
  }
  if (rc < 0) {
    fuzz_rtcp_failure(rc, c.why);
    BRAID_ASSERT(braid_rtcp_compound_next(&c, &pkt) == rc); /* sticky */
  } else {
    BRAID_ASSERT(c.off == size);
  }
  int v = braid_rtcp_compound_validate(data, size, flags, NULL);
  BRAID_ASSERT(rc < 0 ? v == rc : v == (int)c.index);
  *end = c.off;
  return c.index;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  seen_t seen = {0};
  size_t end_strict, end_any;
  unsigned strict = iterate(data, size, 0, NULL, &end_strict);
  unsigned any = iterate(data, size, BRAID_RTCP_COMPOUND_PAD_ANY, &seen, &end_any);
  BRAID_ASSERT(strict <= any && end_strict <= end_any);
  if (seen.have_report) check_builder(&seen);
  return 0;
}
