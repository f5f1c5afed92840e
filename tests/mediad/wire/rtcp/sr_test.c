/* Unit tests of the sender report, mediad/wire/rtcp/sr.c. */
#include "mediad/wire/rtcp/sr.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* An SR with two report blocks, as Chrome sends when it both sends and
 * receives (one block per received stream). */
static const uint8_t sr2[] = {
    0x82,                   /* V=2, P=0, RC=2 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x12,             /* length=18: 76 bytes */
    0x11, 0x22, 0x33, 0x44, /* SSRC of sender */
    0xe6, 0x5b, 0x2d, 0x80, /* NTP timestamp, most significant word */
    0x40, 0x00, 0x00, 0x00, /* NTP timestamp, least significant word (0.25 s) */
    0x00, 0x01, 0x5f, 0x90, /* RTP timestamp 90000 */
    0x00, 0x00, 0x03, 0xe8, /* sender's packet count 1000 */
    0x00, 0x0f, 0x42, 0x40, /* sender's octet count 1000000 */
    0x55, 0x66, 0x77, 0x88, /* block 1: SSRC */
    0x19,                   /* block 1: fraction lost 25/256 */
    0xff, 0xff, 0xfe,       /* block 1: cumulative lost -2 */
    0x00, 0x01, 0x12, 0x34, /* block 1: extended highest seq */
    0x00, 0x00, 0x00, 0x2a, /* block 1: jitter 42 */
    0x2d, 0x80, 0x40, 0x00, /* block 1: LSR */
    0x00, 0x01, 0x80, 0x00, /* block 1: DLSR 1.5 s */
    0x99, 0xaa, 0xbb, 0xcc, /* block 2: SSRC */
    0x00,                   /* block 2: fraction lost 0 */
    0x00, 0x00, 0x07,       /* block 2: cumulative lost 7 */
    0x00, 0x00, 0xff, 0xff, /* block 2: extended highest seq 65535 */
    0x00, 0x00, 0x01, 0x00, /* block 2: jitter 256 */
    0x00, 0x00, 0x00, 0x00, /* block 2: LSR 0 (no SR received yet) */
    0x00, 0x00, 0x00, 0x00, /* block 2: DLSR 0 */
};

/* An SR without blocks but with 4 bytes of profile-specific extension. */
static const uint8_t sr_ext[] = {
    0x80,                   /* V=2, P=0, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count */
    0x00, 0x00, 0x00, 0x05, /* octet count */
    0xde, 0xad, 0xbe, 0xef, /* profile-specific extension */
};

static int parse_sr(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_sr_t sr;
  braid_rtcp_report_block_t blk;
  int rc = braid_rtcp_sr_parse(&sr, data, len, why);
  for (size_t i = 0; rc == 0 && i < sr.n_blocks; i++) ASSERT_EQ(braid_rtcp_sr_block(&sr, i, &blk), 0);
  if (rc == 0 && sr.ext_len > 0) ASSERT(sr.ext >= data && sr.ext + sr.ext_len <= data + len);
  return rc;
}

/* Rebuilds a parsed SR with the writer. */
typedef struct rebuild {
  braid_rtcp_sr_t sr;
  braid_rtcp_report_block_t blocks[31];
} rebuild_t;

static ssize_t write_sr(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  return braid_rtcp_sr_write(buf, cap, r->sr.ssrc, &r->sr.info, r->blocks, r->sr.n_blocks,
                             r->sr.ext, r->sr.ext_len);
}

static void round_trip(const uint8_t *pkt, size_t len) {
  rebuild_t r;
  ASSERT_EQ(braid_rtcp_sr_parse(&r.sr, pkt, len, NULL), 0);
  for (size_t i = 0; i < r.sr.n_blocks; i++) ASSERT_EQ(braid_rtcp_sr_block(&r.sr, i, &r.blocks[i]), 0);
  rtcp_test_write_caps(write_sr, &r, pkt, len);
}

BRAID_TEST(parse_fields) {
  braid_rtcp_sr_t sr;
  braid_rtcp_report_block_t blk;
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, sr2, sizeof sr2, NULL), 0);
  ASSERT_EQ(sr.ssrc, 0x11223344);
  ASSERT(sr.info.ntp == 0xe65b2d8040000000ull);
  ASSERT_EQ(sr.info.rtp_ts, 90000);
  ASSERT_EQ(sr.info.packet_count, 1000);
  ASSERT_EQ(sr.info.octet_count, 1000000);
  ASSERT_EQ(sr.n_blocks, 2);
  ASSERT_EQ(sr.ext_len, 0);
  ASSERT_EQ(braid_rtcp_sr_block(&sr, 0, &blk), 0);
  ASSERT_EQ(blk.ssrc, 0x55667788);
  ASSERT_EQ(blk.packets_lost, -2);
  ASSERT_EQ(braid_rtcp_sr_block(&sr, 1, &blk), 0);
  ASSERT_EQ(blk.ssrc, 0x99aabbcc);
  ASSERT_EQ(blk.packets_lost, 7);
  ASSERT_EQ(blk.highest_seq, 65535);
  ASSERT_EQ(braid_rtcp_sr_block(&sr, 2, &blk), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, sr_ext, sizeof sr_ext, NULL), 0);
  ASSERT_EQ(sr.n_blocks, 0);
  ASSERT_EQ(sr.ext_len, 4);
  ASSERT(sr.ext == sr_ext + 28);
  rtcp_test_seed("sr_two_blocks", sr2, sizeof sr2);
  rtcp_test_seed("sr_ext", sr_ext, sizeof sr_ext);
}

BRAID_TEST(round_trips) {
  round_trip(sr2, sizeof sr2);
  round_trip(sr_ext, sizeof sr_ext);
}

BRAID_TEST(truncations_and_corruptions) {
  rtcp_test_robust(parse_sr, sr2, sizeof sr2);
  rtcp_test_robust(parse_sr, sr_ext, sizeof sr_ext);
}

BRAID_TEST(count_larger_than_body) {
  uint8_t p[sizeof sr2];
  const char *why = NULL;
  braid_rtcp_sr_t sr;
  memcpy(p, sr2, sizeof p);
  p[0] = 0x83; /* RC=3, but room for 2 */
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, p, sizeof p, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
  p[0] = 0x81; /* RC=1: the second block reads as extension */
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, p, sizeof p, NULL), 0);
  ASSERT_EQ(sr.ext_len, 24);
  p[1] = BRAID_RTCP_PT_RR;
  ASSERT_EQ(braid_rtcp_sr_parse(&sr, p, sizeof p, &why), BRAID_ETYPE);
}

/* Malformed SRs, one per length check, each refused with a reason. */

/* The input ends inside the common header. */
static const uint8_t sr_trunc_header[] = {
    0x80, /* V=2, P=0, RC=0 */
    0xc8, /* PT=200 (SR) */
    0x00, /* length: its first byte only */
};

/* The length field announces more than the input holds. */
static const uint8_t sr_length_past_input[] = {
    0x80,                   /* V=2, P=0, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x07,             /* length=7: 32 bytes, but the input has 28 */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count */
    0x00, 0x00, 0x00, 0x05, /* octet count */
};

/* The input goes on after the announced length: a sub-parser takes one
 * packet, exactly. */
static const uint8_t sr_bytes_after_length[] = {
    0x80,                   /* V=2, P=0, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x06,             /* length=6: 28 bytes, but the input has 32 */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count */
    0x00, 0x00, 0x00, 0x05, /* octet count */
    0x80, 0xc9, 0x00, 0x01, /* the next packet's header */
};

/* A shorter length than the sender info needs. */
static const uint8_t sr_length_short_of_sender_info[] = {
    0x80,                   /* V=2, P=0, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x05,             /* length=5: 24 bytes, 4 short of the sender info */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count; no octet count */
};

/* RC announces a report block the length leaves no room for. */
static const uint8_t sr_count_past_length[] = {
    0x81,                   /* V=2, P=0, RC=1 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x06,             /* length=6: 28 bytes, sender info only */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count */
    0x00, 0x00, 0x00, 0x05, /* octet count; the block is missing */
};

/* P set, and a padding count of 0 (it counts itself, so it is >= 1). */
static const uint8_t sr_pad_count_zero[] = {
    0xa0,                   /* V=2, P=1, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count */
    0x00, 0x00, 0x00, 0x05, /* octet count */
    0x00, 0x00, 0x00, 0x00, /* padding, count=0 */
};

/* P set, and a padding count larger than the 28 bytes after the header. */
static const uint8_t sr_pad_past_body[] = {
    0xa0,                   /* V=2, P=1, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count */
    0x00, 0x00, 0x00, 0x05, /* octet count */
    0x00, 0x00, 0x00, 0x1d, /* padding, count=29 */
};

/* P set, and a valid padding count that leaves the body shorter than the
 * sender info. */
static const uint8_t sr_pad_into_sender_info[] = {
    0xa0,                   /* V=2, P=1, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x07,             /* length=7: 32 bytes */
    0x01, 0x02, 0x03, 0x04, /* SSRC of sender */
    0x00, 0x00, 0x00, 0x01, /* NTP msw */
    0x00, 0x00, 0x00, 0x02, /* NTP lsw */
    0x00, 0x00, 0x00, 0x03, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x04, /* packet count */
    0x00, 0x00, 0x00, 0x05, /* padding (was the octet count) */
    0x00, 0x00, 0x00, 0x08, /* padding, count=8: a body of 20 bytes */
};

BRAID_TEST(bad_lengths) {
  static const rtcp_test_bad_t cases[] = {
      RTCP_TEST_BAD(sr_trunc_header, BRAID_ETRUNC),
      RTCP_TEST_BAD(sr_length_past_input, BRAID_ETRUNC),
      RTCP_TEST_BAD(sr_bytes_after_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sr_length_short_of_sender_info, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sr_count_past_length, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sr_pad_count_zero, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sr_pad_past_body, BRAID_EMALFORMED),
      RTCP_TEST_BAD(sr_pad_into_sender_info, BRAID_EMALFORMED),
  };
  rtcp_test_bad_cases(parse_sr, "sr", cases, sizeof cases / sizeof cases[0]);
}

BRAID_TEST(write_errors) {
  uint8_t buf[1024];
  braid_rtcp_sender_info_t info = {0};
  braid_rtcp_report_block_t blocks[32] = {{0}};
  ASSERT_EQ(braid_rtcp_sr_write(buf, sizeof buf, 1, &info, blocks, 32, NULL, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_sr_write(buf, sizeof buf, 1, &info, blocks, 1, buf, 3), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_sr_write(buf, sizeof buf, 1, &info, blocks, 31, NULL, 0), 28 + 31 * 24);
  ASSERT_EQ(buf[0], 0x9f);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_fields) BRAID_TEST_ENTRY(round_trips)
                    BRAID_TEST_ENTRY(truncations_and_corruptions)
                        BRAID_TEST_ENTRY(count_larger_than_body) BRAID_TEST_ENTRY(bad_lengths)
                            BRAID_TEST_ENTRY(write_errors))
