/* Unit tests of compound RTCP iteration, mediad/wire/rtcp/compound.c. */
#include "mediad/wire/rtcp/compound.h"

#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "mediad/wire/rtcp/remb.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sdes.h"
#include "mediad/wire/rtcp/sr.h"
#include "mediad/wire/rtcp/twcc.h"
#include "mediad/wire/rtcp/xr.h"
#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* What Chrome sends as a receiver with goog-remb: RR + SDES + REMB. */
static const uint8_t chrome_rr_sdes_remb[] = {
    /* RR, 32 bytes */
    0x81,                   /* V=2, P=0, RC=1 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* block: SSRC of the source */
    0x00,                   /* block: fraction lost 0 */
    0x00, 0x00, 0x00,       /* block: cumulative lost 0 */
    0x00, 0x00, 0x5b, 0x3e, /* block: extended highest seq 23358 */
    0x00, 0x00, 0x00, 0x1c, /* block: jitter 28 */
    0x9f, 0x4c, 0x21, 0x47, /* block: LSR */
    0x00, 0x00, 0x8c, 0x9a, /* block: DLSR */
    /* SDES, 28 bytes */
    0x81,                   /* V=2, P=0, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* chunk SSRC */
    0x01,                   /* item type CNAME */
    0x10,                   /* item length 16 */
    'p', 'z', 'O', 'M', 'V', 'R', 'v', 'j', 'Z', '7', 'b', 'D', 'm', 't', 'S', 'U',
    0x00,                   /* END */
    0x00,                   /* padding to 32 bits */
    /* REMB, 24 bytes */
    0x8f,                   /* V=2, P=0, FMT=15 (AFB) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source: 0 */
    'R', 'E', 'M', 'B',     /* identifier */
    0x01,                   /* Num SSRC 1 */
    0x0e,                   /* BR Exp 3, mantissa bits 17-16 = 2 */
    0x5a, 0xd0,             /* mantissa 0x25ad0: 154320 << 3 = 1234560 bps */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC feedback */
};

/* libwebrtc's transport feedback as it sends it alone (reduced-size), its
 * 31 bytes padded with the P bit. */
static const uint8_t chrome_twcc[] = {
    0xaf,                   /* V=2, P=1, FMT=15 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x9a, 0x3b, 0x2c, 0x1d, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x04, 0xd2,             /* base sequence number 1234 */
    0x00, 0x09,             /* packet status count 9 */
    0x00, 0x10, 0x00,       /* reference time 4096 * 64 ms */
    0x00,                   /* fb pkt count 0 */
    0x20, 0x09,             /* run length chunk: symbol 01 (small delta), run 9 */
    0x05, 0x14, 0x00, 0x28, 0x01, 0x10, 0x11, 0x0f, 0x14, /* 9 small deltas */
    0x01,                   /* padding count 1 */
};

/* A PLI padded with the P bit (4 bytes of padding). */
static const uint8_t padded_pli[] = {
    0xa1,                   /* V=2, P=1, FMT=1 */
    0xce,                   /* PT=206 */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00, 0x00, 0x00, 0x04, /* padding, count=4 */
};

/* Captured from Chromium 156 (loopback call, --disable-webrtc-encryption,
 * transport-cc removed from the SDP so that it uses REMB): the sender's
 * compound. */
static const uint8_t chrome_cap_sr_sdes_remb_xr[] = {
    /* SR, 28 bytes */
    0x80,                   /* V=2, P=0, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x30, 0x0c, 0x38, 0xd1, /* SSRC of sender */
    0xee, 0xaf, 0x9d, 0xad, /* NTP msw */
    0x53, 0x20, 0xea, 0x5b, /* NTP lsw */
    0xf2, 0x6f, 0xa8, 0x2d, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x1e, /* sender's packet count 30 */
    0x00, 0x00, 0x2a, 0x69, /* sender's octet count 10857 */
    /* SDES, 28 bytes */
    0x81,                   /* V=2, P=0, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x30, 0x0c, 0x38, 0xd1, /* chunk SSRC */
    0x01,                   /* CNAME */
    0x10,                   /* length 16 */
    'n', 'O', 'C', 'u', 'Y', '9', '3', 'x', 'H', '0', 'F', 'Q', 'D', 'p', 'n', 'f',
    0x00,                   /* END */
    0x00,                   /* padding */
    /* REMB, 28 bytes */
    0x8f,                   /* V=2, P=0, FMT=15 */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x30, 0x0c, 0x38, 0xd1, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source: 0 */
    'R', 'E', 'M', 'B',     /* identifier */
    0x02,                   /* Num SSRC 2 */
    0x0f,                   /* BR Exp 3, mantissa bits 17-16 = 3 */
    0xe5, 0xd4,             /* mantissa 0x3e5d4: 2043552 bps */
    0x47, 0x76, 0xcd, 0x69, /* SSRC feedback 1 */
    0x7d, 0xd6, 0x1d, 0x25, /* SSRC feedback 2 */
    /* XR, 24 bytes */
    0x80,                   /* V=2, P=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x05,             /* length=5: 24 bytes */
    0x30, 0x0c, 0x38, 0xd1, /* SSRC */
    0x05,                   /* BT=5 (DLRR) */
    0x00,                   /* reserved */
    0x00, 0x03,             /* block length 3 */
    0x7d, 0xd6, 0x1d, 0x25, /* SSRC_1 */
    0x9d, 0xad, 0x24, 0x29, /* last RR */
    0x00, 0x00, 0x2e, 0xbf, /* delay since last RR */
};

/* Captured as above (with transport-cc): the receiver's reduced-size
 * compound, RR + XR without SDES. */
static const uint8_t chrome_cap_rr_xr[] = {
    /* RR, 56 bytes */
    0x82,                   /* V=2, P=0, RC=2 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x0d,             /* length=13: 56 bytes */
    0x77, 0xc4, 0x3a, 0xab, /* SSRC of packet sender */
    0xdf, 0xf4, 0x4b, 0x55, /* block 1: SSRC (audio) */
    0x00,                   /* block 1: fraction lost */
    0x00, 0x00, 0x00,       /* block 1: cumulative lost */
    0x00, 0x00, 0x19, 0x1d, /* block 1: extended highest seq */
    0x00, 0x00, 0x06, 0x70, /* block 1: jitter */
    0x9d, 0x8d, 0x30, 0x4b, /* block 1: LSR */
    0x00, 0x00, 0x77, 0xaa, /* block 1: DLSR */
    0x1a, 0xf7, 0x06, 0x91, /* block 2: SSRC (video) */
    0x00,                   /* block 2: fraction lost */
    0x00, 0x00, 0x00,       /* block 2: cumulative lost */
    0x00, 0x00, 0x42, 0x25, /* block 2: extended highest seq */
    0x00, 0x00, 0x01, 0x14, /* block 2: jitter */
    0x9d, 0x8d, 0x30, 0x4b, /* block 2: LSR */
    0x00, 0x00, 0x77, 0xaa, /* block 2: DLSR */
    /* XR, 36 bytes */
    0x80,                   /* V=2, P=0 */
    0xcf,                   /* PT=207 (XR) */
    0x00, 0x08,             /* length=8: 36 bytes */
    0x77, 0xc4, 0x3a, 0xab, /* SSRC */
    0x04,                   /* BT=4 (RRTR) */
    0x00,                   /* reserved */
    0x00, 0x02,             /* block length 2 */
    0xee, 0xaf, 0x9d, 0x8d, /* NTP msw */
    0xa8, 0x28, 0xa1, 0xdf, /* NTP lsw */
    0x05,                   /* BT=5 (DLRR) */
    0x00,                   /* reserved */
    0x00, 0x03,             /* block length 3 */
    0x1a, 0xf7, 0x06, 0x91, /* SSRC_1 */
    0x9d, 0x8d, 0x3c, 0x2f, /* last RR */
    0x00, 0x00, 0x6b, 0x35, /* delay since last RR */
};

/* Parses a packet with the parser its type calls for, and walks it. */
static int parse_one(const braid_rtcp_packet_t *pkt, const char **why) {
  switch (pkt->hdr.pt) {
  case BRAID_RTCP_PT_RR: {
    braid_rtcp_rr_t rr;
    braid_rtcp_report_block_t blk;
    int rc = braid_rtcp_rr_parse(&rr, pkt->data, pkt->len, why);
    for (size_t i = 0; rc == 0 && i < rr.n_blocks; i++) ASSERT_EQ(braid_rtcp_rr_block(&rr, i, &blk), 0);
    return rc;
  }
  case BRAID_RTCP_PT_SDES: {
    braid_rtcp_sdes_t sdes;
    braid_str_t cname;
    int rc = braid_rtcp_sdes_parse(&sdes, pkt->data, pkt->len, why);
    if (rc == 0) (void)braid_rtcp_sdes_find(&sdes, 0x9a3b2c1d, BRAID_RTCP_SDES_CNAME, &cname);
    return rc;
  }
  case BRAID_RTCP_PT_PSFB: {
    if (pkt->hdr.count == BRAID_RTCP_PSFB_PLI) {
      braid_rtcp_fb_t fb;
      return braid_rtcp_pli_parse(&fb, pkt->data, pkt->len, why);
    }
    braid_rtcp_remb_t remb;
    return braid_rtcp_remb_parse(&remb, pkt->data, pkt->len, why);
  }
  case BRAID_RTCP_PT_RTPFB: {
    if (pkt->hdr.count == BRAID_RTCP_RTPFB_NACK) {
      braid_rtcp_nack_t nack;
      return braid_rtcp_nack_parse(&nack, pkt->data, pkt->len, why);
    }
    braid_rtcp_twcc_t twcc;
    braid_rtcp_twcc_iter_t it;
    braid_rtcp_twcc_status_t st;
    int rc = braid_rtcp_twcc_parse(&twcc, pkt->data, pkt->len, why);
    if (rc == 0) {
      braid_rtcp_twcc_iter_init(&it, &twcc);
      while (braid_rtcp_twcc_iter_next(&it, &st)) {
      }
    }
    return rc;
  }
  case BRAID_RTCP_PT_SR: {
    braid_rtcp_sr_t sr;
    return braid_rtcp_sr_parse(&sr, pkt->data, pkt->len, why);
  }
  case BRAID_RTCP_PT_XR: {
    braid_rtcp_xr_t xr;
    return braid_rtcp_xr_parse(&xr, pkt->data, pkt->len, why);
  }
  default: return 0; /* skipped */
  }
}

/* Iterates a compound and parses every packet; returns the iterator's
 * final code (0 at a clean end). Sub-parser failures must be in band. */
static int walk(const uint8_t *data, size_t len, unsigned flags, const char **why) {
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  int rc;
  braid_rtcp_compound_init(&c, data, len, flags);
  while ((rc = braid_rtcp_compound_next(&c, &pkt)) == 1) {
    const char *sub_why = NULL;
    int sub = parse_one(&pkt, &sub_why);
    if (sub != 0) ASSERT(braid_err_is_input(sub) && sub_why != NULL);
  }
  if (rc < 0 && why != NULL) *why = c.why;
  return rc;
}

static int walk_default(const uint8_t *data, size_t len, const char **why) {
  return walk(data, len, 0, why);
}

BRAID_TEST(chrome_rr_sdes_remb) {
  uint8_t *d = rtcp_test_dup(chrome_rr_sdes_remb, sizeof chrome_rr_sdes_remb);
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  braid_rtcp_rr_t rr;
  braid_rtcp_sdes_t sdes;
  braid_rtcp_remb_t remb;
  braid_str_t cname;
  rtcp_test_seed("compound_chrome_rr_sdes_remb", d, sizeof chrome_rr_sdes_remb);
  braid_rtcp_compound_init(&c, d, sizeof chrome_rr_sdes_remb, BRAID_RTCP_COMPOUND_FULL);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(pkt.hdr.pt, BRAID_RTCP_PT_RR);
  ASSERT(pkt.data == d && pkt.len == 32);
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(rr.ssrc, 0x9a3b2c1d);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(pkt.hdr.pt, BRAID_RTCP_PT_SDES);
  ASSERT(pkt.data == d + 32 && pkt.len == 28);
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(braid_rtcp_sdes_find(&sdes, 0x9a3b2c1d, BRAID_RTCP_SDES_CNAME, &cname), 0);
  ASSERT(braid_str_eq(cname, "pzOMVRvjZ7bDmtSU"));
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(pkt.hdr.pt, BRAID_RTCP_PT_PSFB);
  ASSERT_EQ(pkt.hdr.count, BRAID_RTCP_PSFB_AFB);
  ASSERT(pkt.data == d + 60 && pkt.len == 24);
  ASSERT_EQ(braid_rtcp_remb_parse(&remb, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(remb.bitrate, 1234560);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 0);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 0); /* stays at the end */
  ASSERT_EQ(braid_rtcp_compound_validate(d, sizeof chrome_rr_sdes_remb, 0, NULL), 3);
  free(d);
}

BRAID_TEST(chrome_captures) {
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  braid_rtcp_sr_t sr;
  braid_rtcp_sdes_t sdes;
  braid_rtcp_remb_t remb;
  braid_rtcp_xr_t xr;
  braid_rtcp_rr_t rr;
  braid_str_t cname;
  const uint8_t *d = chrome_cap_sr_sdes_remb_xr;
  braid_rtcp_compound_init(&c, d, sizeof chrome_cap_sr_sdes_remb_xr, BRAID_RTCP_COMPOUND_FULL);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(sr.ssrc, 0x300c38d1);
  ASSERT_EQ(sr.n_blocks, 0);
  ASSERT_EQ(sr.info.packet_count, 30);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_sdes_parse(&sdes, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(braid_rtcp_sdes_find(&sdes, 0x300c38d1, BRAID_RTCP_SDES_CNAME, &cname), 0);
  ASSERT(braid_str_eq(cname, "nOCuY93xH0FQDpnf"));
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_remb_parse(&remb, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(remb.bitrate, 2043552);
  ASSERT_EQ(remb.n_ssrcs, 2);
  ASSERT_EQ(braid_rtcp_remb_ssrc(&remb, 1), 0x7dd61d25);
  uint32_t ssrcs[2] = {0x4776cd69, 0x7dd61d25};
  uint8_t rebuilt[28];
  ASSERT_EQ(braid_rtcp_remb_write(rebuilt, sizeof rebuilt, 0x300c38d1, remb.bitrate, ssrcs, 2), 28);
  ASSERT_MEM_EQ(rebuilt, pkt.data, 28); /* libwebrtc rounds REMB the same way */
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_xr_parse(&xr, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(xr.n_blocks, 1);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 0);

  /* Reduced-size: no SDES after the RR. */
  d = chrome_cap_rr_xr;
  ASSERT_EQ(braid_rtcp_compound_validate(d, sizeof chrome_cap_rr_xr, BRAID_RTCP_COMPOUND_FULL, NULL),
            2);
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, d, 56, NULL), 0);
  ASSERT_EQ(rr.n_blocks, 2);
  ASSERT_EQ(braid_rtcp_xr_parse(&xr, d + 56, 36, NULL), 0);
  ASSERT_EQ(xr.n_blocks, 2);

  ASSERT(rtcp_test_corruptions(walk_default, chrome_cap_sr_sdes_remb_xr,
                               sizeof chrome_cap_sr_sdes_remb_xr) > 0);
  ASSERT(rtcp_test_corruptions(walk_default, chrome_cap_rr_xr, sizeof chrome_cap_rr_xr) > 0);
  rtcp_test_seed("compound_chrome_cap_sr_sdes_remb_xr", chrome_cap_sr_sdes_remb_xr,
                 sizeof chrome_cap_sr_sdes_remb_xr);
  rtcp_test_seed("compound_chrome_cap_rr_xr", chrome_cap_rr_xr, sizeof chrome_cap_rr_xr);
}

BRAID_TEST(every_truncation) {
  const size_t len = sizeof chrome_rr_sdes_remb;
  for (size_t n = 0; n <= len; n++) {
    uint8_t *d = rtcp_test_dup(chrome_rr_sdes_remb, n);
    const char *why = NULL;
    int rc = braid_rtcp_compound_validate(d, n, 0, &why);
    /* A prefix that ends between packets is a shorter valid compound. */
    if (n == 32) ASSERT_EQ(rc, 1);
    else if (n == 60) ASSERT_EQ(rc, 2);
    else if (n == len) ASSERT_EQ(rc, 3);
    else {
      ASSERT_EQ(rc, BRAID_ETRUNC);
      ASSERT(why != NULL);
      /* The packets before the cut are still handed out. */
      braid_rtcp_compound_t c;
      braid_rtcp_packet_t pkt;
      unsigned got = 0;
      braid_rtcp_compound_init(&c, d, n, 0);
      while (braid_rtcp_compound_next(&c, &pkt) == 1) got++;
      ASSERT_EQ(got, n < 32 ? 0 : n < 60 ? 1 : 2);
      ASSERT_EQ(c.off, n < 32 ? 0 : n < 60 ? 32 : 60);
    }
    free(d);
  }
}

BRAID_TEST(every_corruption) {
  /* Corrupting the compound never crashes the iterator or a sub-parser,
   * and failures come with a code and a reason. */
  ASSERT(rtcp_test_corruptions(walk_default, chrome_rr_sdes_remb, sizeof chrome_rr_sdes_remb) > 0);
  ASSERT(rtcp_test_corruptions(walk_default, chrome_twcc, sizeof chrome_twcc) > 0);
}

BRAID_TEST(malformed_packet_ends_iteration_at_it) {
  uint8_t d[sizeof chrome_rr_sdes_remb];
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  memcpy(d, chrome_rr_sdes_remb, sizeof d);
  d[32] = 0x41; /* SDES with version 1 */
  braid_rtcp_compound_init(&c, d, sizeof d, 0);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), BRAID_EVERSION);
  ASSERT_EQ(c.off, 32);
  ASSERT(c.why != NULL);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), BRAID_EVERSION); /* sticky */

  memcpy(d, chrome_rr_sdes_remb, sizeof d);
  d[35] = 0x07; /* SDES length 7: 32 bytes, 4 more than the datagram has */
  braid_rtcp_compound_init(&c, d, sizeof d, 0);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1); /* SDES now ends inside the REMB */
  ASSERT_EQ(pkt.len, 32);
  const char *why = NULL;
  ASSERT_EQ(braid_rtcp_sdes_parse(&(braid_rtcp_sdes_t){0}, pkt.data, pkt.len, &why),
            BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), BRAID_ETRUNC); /* 20 bytes left, 24 announced */
  ASSERT_EQ(c.off, 64);
}

BRAID_TEST(trailing_bytes) {
  /* 1..3 bytes after the last packet: too short for another header. */
  uint8_t d[sizeof chrome_rr_sdes_remb + 3];
  memcpy(d, chrome_rr_sdes_remb, sizeof chrome_rr_sdes_remb);
  memset(d + sizeof chrome_rr_sdes_remb, 0x80, 3);
  for (size_t extra = 1; extra <= 3; extra++) {
    uint8_t *c = rtcp_test_dup(d, sizeof chrome_rr_sdes_remb + extra);
    ASSERT_EQ(braid_rtcp_compound_validate(c, sizeof chrome_rr_sdes_remb + extra, 0, NULL),
              BRAID_ETRUNC);
    free(c);
  }
  /* After a padded packet, extra bytes make the padding misplaced. */
  uint8_t p[sizeof padded_pli + 1];
  memcpy(p, padded_pli, sizeof padded_pli);
  p[sizeof padded_pli] = 0x80;
  ASSERT_EQ(braid_rtcp_compound_validate(p, sizeof p, 0, NULL), BRAID_EMALFORMED);
}

BRAID_TEST(padding_only_on_the_last_packet) {
  uint8_t d[2 * sizeof padded_pli];
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  braid_rtcp_fb_t fb;
  memcpy(d, padded_pli, sizeof padded_pli);
  memcpy(d + sizeof padded_pli, padded_pli, sizeof padded_pli);
  /* Last (and only) packet padded: fine. */
  ASSERT_EQ(braid_rtcp_compound_validate(padded_pli, sizeof padded_pli, 0, NULL), 1);
  /* Padded packet followed by another: refused by default, at packet 1. */
  braid_rtcp_compound_init(&c, d, sizeof d, 0);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), BRAID_EMALFORMED);
  ASSERT_EQ(c.off, 0);
  /* Accepted with PAD_ANY, and the padding is not part of the body. */
  braid_rtcp_compound_init(&c, d, sizeof d, BRAID_RTCP_COMPOUND_PAD_ANY);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(pkt.hdr.pad_len, 4);
  ASSERT_EQ(braid_rtcp_pli_parse(&fb, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(fb.media_ssrc, 0x2c4f1107);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 0);
  rtcp_test_seed("compound_padded_pli", padded_pli, sizeof padded_pli);
}

BRAID_TEST(libwebrtc_twcc_pair_needs_pad_any) {
  /* libwebrtc may put two padded TWCC packets in one datagram. */
  uint8_t d[2 * sizeof chrome_twcc];
  memcpy(d, chrome_twcc, sizeof chrome_twcc);
  memcpy(d + sizeof chrome_twcc, chrome_twcc, sizeof chrome_twcc);
  ASSERT_EQ(braid_rtcp_compound_validate(chrome_twcc, sizeof chrome_twcc, 0, NULL), 1);
  ASSERT_EQ(braid_rtcp_compound_validate(d, sizeof d, 0, NULL), BRAID_EMALFORMED);
  ASSERT_EQ(braid_rtcp_compound_validate(d, sizeof d, BRAID_RTCP_COMPOUND_PAD_ANY, NULL), 2);
  ASSERT_EQ(walk(d, sizeof d, BRAID_RTCP_COMPOUND_PAD_ANY, NULL), 0);
  rtcp_test_seed("compound_chrome_twcc", chrome_twcc, sizeof chrome_twcc);
  rtcp_test_seed("compound_chrome_twcc_pair", d, sizeof d);
}

BRAID_TEST(full_requires_a_report_first) {
  const char *why = NULL;
  /* Reduced-size (RFC 5506): a lone feedback packet. */
  ASSERT_EQ(braid_rtcp_compound_validate(chrome_twcc, sizeof chrome_twcc, 0, NULL), 1);
  ASSERT_EQ(braid_rtcp_compound_validate(chrome_twcc, sizeof chrome_twcc, BRAID_RTCP_COMPOUND_FULL,
                                         &why),
            BRAID_ETYPE);
  ASSERT(why != NULL);
  /* The REMB alone (the tail of the Chrome compound). */
  ASSERT_EQ(braid_rtcp_compound_validate(chrome_rr_sdes_remb + 60, 24, BRAID_RTCP_COMPOUND_FULL,
                                         NULL),
            BRAID_ETYPE);
}

/* Malformed compounds, each ending the iteration with a reason. */

/* The second packet's length runs past the datagram. */
static const uint8_t compound_second_past_datagram[] = {
    0x80,                   /* RR: V=2, P=0, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x81,                   /* PLI: V=2, P=0, FMT=1 */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x02,             /* length=2: 12 bytes, but 8 are left */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender; media SSRC cut off */
};

/* Two bytes after the last packet: too few for another header. */
static const uint8_t compound_trailing_bytes[] = {
    0x80,                   /* RR: V=2, P=0, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x81, 0xce,             /* half a header */
};

/* The P bit on a packet that is not the last one. */
static const uint8_t compound_pad_not_last[] = {
    0xa0,                   /* RR: V=2, P=1, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x04, /* padding, count=4 */
    0x81,                   /* PLI: V=2, P=0, FMT=1 */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
};

/* The last packet padded, with a padding count of 0. */
static const uint8_t compound_last_pad_count_zero[] = {
    0x80,                   /* RR: V=2, P=0, RC=0 */
    0xc9,                   /* PT=201 (RR) */
    0x00, 0x01,             /* length=1: 8 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0xa1,                   /* PLI: V=2, P=1, FMT=1 */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(compound_second_past_datagram, BRAID_ETRUNC),
      RTCP_TEST_BAD(compound_trailing_bytes, BRAID_ETRUNC),
      RTCP_TEST_BAD(compound_pad_not_last, BRAID_EMALFORMED),
      RTCP_TEST_BAD(compound_last_pad_count_zero, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(walk_default, "compound", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(empty_and_tiny) {
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  braid_rtcp_compound_init(&c, NULL, 0, 0);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), BRAID_ETRUNC);
  static const uint8_t rr_empty[] = {
      0x80,                   /* V=2, P=0, RC=0 */
      0xc9,                   /* PT=201 (RR) */
      0x00, 0x01,             /* length=1: 8 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC */
  };
  ASSERT_EQ(braid_rtcp_compound_validate(rr_empty, sizeof rr_empty, BRAID_RTCP_COMPOUND_FULL, NULL),
            1);
  /* A header-only packet of an unknown type (length 0) is handed out. */
  static const uint8_t unknown[] = {0x80, 0xd0, 0x00, 0x00};
  ASSERT_EQ(braid_rtcp_compound_validate(unknown, sizeof unknown, 0, NULL), 1);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(chrome_rr_sdes_remb) BRAID_TEST_ENTRY(chrome_captures)
                    BRAID_TEST_ENTRY(every_truncation)
                    BRAID_TEST_ENTRY(every_corruption)
                        BRAID_TEST_ENTRY(malformed_packet_ends_iteration_at_it)
                            BRAID_TEST_ENTRY(trailing_bytes)
                                BRAID_TEST_ENTRY(padding_only_on_the_last_packet)
                                    BRAID_TEST_ENTRY(libwebrtc_twcc_pair_needs_pad_any)
                                        BRAID_TEST_ENTRY(full_requires_a_report_first)
                                            BRAID_TEST_ENTRY(bad_lengths)
                                                BRAID_TEST_ENTRY(empty_and_tiny))
