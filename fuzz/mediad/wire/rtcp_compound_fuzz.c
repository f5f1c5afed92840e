/*
 * Fuzzer for the RTCP wire layer, mediad/wire/rtcp/. The input is one
 * datagram (after SRTCP unprotect). It:
 *   - iterates it as a compound, strictly and with BRAID_RTCP_COMPOUND_PAD_ANY
 *     (the strict packets must be a prefix of the lenient ones), checking
 *     that each slice lies inside the input and has its announced length;
 *   - runs every sub-parser on every slice with the checks of
 *     rtcp_check.h (views inside the input, every accessor and iterator,
 *     parse -> build -> parse, failures with a code and a reason): at most
 *     the one matching PT and FMT may accept it; feedback packets are also
 *     opened with the common feedback format;
 *   - feeds the parsed reports to the compound builder and validates the
 *     compound it builds.
 */
#include "fuzz/mediad/wire/rtcp_check.h"
#include "mediad/wire/rtcp/builder.h"
#include "mediad/wire/rtcp/compound.h"

/* Reports seen, for the builder. */
typedef struct seen {
  bool have_report;
  uint32_t ssrc;
  bool is_sr;
  braid_rtcp_sender_info_t info;
  braid_rtcp_report_block_t blocks[BRAID_RTCP_MAX_COUNT];
  size_t n_blocks;
  braid_str_t cname;
} seen_t;

/* Runs every parser on one packet slice (rtcp_check.h): at most the one
 * matching PT and FMT may accept it, the others refuse it with a code and
 * a reason. The first report and CNAME are kept for the builder. */
static void check_packet(const braid_rtcp_packet_t *pkt, seen_t *seen) {
  const uint8_t *p = pkt->data;
  size_t len = pkt->len;
  braid_rtcp_sr_t sr;
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t blocks[BRAID_RTCP_MAX_COUNT];
  unsigned accepted = 0;
  if (fuzz_rtcp_check_sr(p, len, &sr, blocks)) {
    accepted++;
    if (!seen->have_report) {
      *seen = (seen_t){.have_report = true,
                       .ssrc = sr.ssrc,
                       .is_sr = true,
                       .info = sr.info,
                       .n_blocks = sr.n_blocks,
                       .cname = seen->cname};
      memcpy(seen->blocks, blocks, sizeof blocks[0] * sr.n_blocks);
    }
  }
  if (fuzz_rtcp_check_rr(p, len, &rr, blocks)) {
    accepted++;
    if (!seen->have_report) {
      *seen = (seen_t){
          .have_report = true, .ssrc = rr.ssrc, .n_blocks = rr.n_blocks, .cname = seen->cname};
      memcpy(seen->blocks, blocks, sizeof blocks[0] * rr.n_blocks);
    }
  }
  accepted += fuzz_rtcp_check_sdes(p, len, &seen->cname);
  accepted += fuzz_rtcp_check_bye(p, len);
  accepted += fuzz_rtcp_check_app(p, len);
  accepted += fuzz_rtcp_check_xr(p, len);
  accepted += fuzz_rtcp_check_nack(p, len);
  accepted += fuzz_rtcp_check_twcc(p, len);
  accepted += fuzz_rtcp_check_pli(p, len);
  accepted += fuzz_rtcp_check_fir(p, len);
  accepted += fuzz_rtcp_check_remb(p, len);
  BRAID_ASSERT(accepted <= 1);
  /* The common feedback format opens any RTPFB or PSFB packet. */
  if (pkt->hdr.pt == BRAID_RTCP_PT_RTPFB || pkt->hdr.pt == BRAID_RTCP_PT_PSFB)
    (void)fuzz_rtcp_check_fb(p, len, pkt->hdr.pt, pkt->hdr.count);
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
