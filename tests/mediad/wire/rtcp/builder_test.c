/* Unit tests of the compound builder, mediad/wire/rtcp/builder.c. */
#include "mediad/wire/rtcp/builder.h"

#include "mediad/wire/rtcp/compound.h"
#include "mediad/wire/rtcp/nack.h"
#include "mediad/wire/rtcp/pli.h"
#include "mediad/wire/rtcp/rr.h"
#include "mediad/wire/rtcp/sdes.h"
#include "tests/mediad/wire/rtcp/rtcp_test.h"

/* What the daemon sends for a producer it forwards and a consumer that
 * lost packets: SR (1 block) + SDES CNAME + PLI + NACK. */
static const uint8_t sr_sdes_pli_nack[] = {
    /* SR, 52 bytes */
    0x81,                   /* V=2, P=0, RC=1 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x0c,             /* length=12: 52 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC of sender */
    0xe6, 0x5b, 0x2d, 0x80, /* NTP msw */
    0x00, 0x00, 0x00, 0x00, /* NTP lsw */
    0x00, 0x00, 0x03, 0xe8, /* RTP timestamp 1000 */
    0x00, 0x00, 0x00, 0x0a, /* packet count 10 */
    0x00, 0x00, 0x27, 0x10, /* octet count 10000 */
    0x2c, 0x4f, 0x11, 0x07, /* block: SSRC */
    0x00,                   /* block: fraction lost */
    0x00, 0x00, 0x03,       /* block: cumulative lost 3 */
    0x00, 0x00, 0x10, 0x00, /* block: extended highest seq 4096 */
    0x00, 0x00, 0x00, 0x09, /* block: jitter 9 */
    0x00, 0x00, 0x00, 0x00, /* block: LSR */
    0x00, 0x00, 0x00, 0x00, /* block: DLSR */
    /* SDES, 20 bytes */
    0x81,                   /* V=2, P=0, SC=1 */
    0xca,                   /* PT=202 (SDES) */
    0x00, 0x04,             /* length=4: 20 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC */
    0x01,                   /* CNAME */
    0x06,                   /* length 6 */
    'b', 'r', 'a', 'i', 'd', '1',
    0x00, 0x00, 0x00, 0x00, /* END and padding */
    /* PLI, 12 bytes */
    0x81,                   /* V=2, P=0, FMT=1 */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x02,             /* length=2: 12 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    /* NACK, 16 bytes */
    0x81,                   /* V=2, P=0, FMT=1 */
    0xcd,                   /* PT=205 (RTPFB) */
    0x00, 0x03,             /* length=3: 16 bytes */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC of packet sender */
    0x2c, 0x4f, 0x11, 0x07, /* SSRC of media source */
    0x00, 0x64,             /* PID 100 */
    0x00, 0x03,             /* BLP: 101, 102 */
};

static const braid_rtcp_sender_info_t info = {
    .ntp = 0xe65b2d8000000000ull, .rtp_ts = 1000, .packet_count = 10, .octet_count = 10000};
static const braid_rtcp_report_block_t block = {
    .ssrc = 0x2c4f1107, .packets_lost = 3, .highest_seq = 4096, .jitter = 9};
static const uint16_t lost[] = {100, 101, 102};

/* Builds sr_sdes_pli_nack into buf[0..cap); returns the length or the
 * first error. */
static ssize_t build(uint8_t *buf, size_t cap, const void *arg) {
  (void)arg;
  braid_rtcp_builder_t b;
  braid_rtcp_fb_t fb = {.sender_ssrc = 0xcafebabe, .media_ssrc = 0x2c4f1107};
  size_t room;
  uint8_t *p;
  int rc;
  braid_rtcp_builder_init(&b, buf, cap);
  if ((rc = braid_rtcp_builder_report(&b, 0xcafebabe, &info, &block, 1)) != 0) return rc;
  if ((rc = braid_rtcp_builder_cname(&b, 0xcafebabe, BRAID_STR_LIT("braid1"))) != 0) return rc;
  p = braid_rtcp_builder_tail(&b, &room);
  if ((rc = braid_rtcp_builder_commit(&b, braid_rtcp_pli_write(p, room, &fb))) != 0) return rc;
  p = braid_rtcp_builder_tail(&b, &room);
  if ((rc = braid_rtcp_builder_commit(&b, braid_rtcp_nack_write(p, room, &fb, lost, 3))) != 0)
    return rc;
  return (ssize_t)braid_rtcp_builder_len(&b);
}

BRAID_TEST(sr_sdes_feedback) {
  rtcp_test_write_caps(build, NULL, sr_sdes_pli_nack, sizeof sr_sdes_pli_nack);
  ASSERT_EQ(braid_rtcp_compound_validate(sr_sdes_pli_nack, sizeof sr_sdes_pli_nack,
                                         BRAID_RTCP_COMPOUND_FULL, NULL),
            4);
  rtcp_test_seed("compound_sr_sdes_pli_nack", sr_sdes_pli_nack, sizeof sr_sdes_pli_nack);
}

BRAID_TEST(failed_adds_leave_the_compound_as_it_was) {
  uint8_t buf[76];
  braid_rtcp_builder_t b;
  braid_rtcp_fb_t fb = {1, 2};
  size_t room;
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, 1, &info, &block, 1), 0); /* 52 bytes */
  ASSERT_EQ(braid_rtcp_builder_cname(&b, 1, BRAID_STR_LIT("a-rather-long-cname")), BRAID_ELIMIT);
  ASSERT_EQ(braid_rtcp_builder_len(&b), 52);
  ASSERT_EQ(braid_rtcp_builder_cname(&b, 1, BRAID_STR_LIT("short")), 0); /* 16 bytes */
  uint8_t *p = braid_rtcp_builder_tail(&b, &room);
  ASSERT_EQ(room, 8);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, braid_rtcp_pli_write(p, room, &fb)), BRAID_ELIMIT);
  ASSERT_EQ(braid_rtcp_builder_len(&b), 68);
  ASSERT_EQ(braid_rtcp_compound_validate(buf, braid_rtcp_builder_len(&b), BRAID_RTCP_COMPOUND_FULL,
                                         NULL),
            2);
}

BRAID_TEST(order_is_enforced) {
  uint8_t buf[256];
  braid_rtcp_builder_t b;
  braid_rtcp_fb_t fb = {1, 2};
  size_t room;
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_cname(&b, 1, BRAID_STR_LIT("x")), BRAID_ESTATE); /* no report */
  ASSERT_EQ(braid_rtcp_builder_report(&b, 1, NULL, NULL, 0), 0);               /* empty RR */
  ASSERT_EQ(braid_rtcp_builder_report(&b, 1, NULL, NULL, 0), BRAID_ESTATE);
  ASSERT_EQ(braid_rtcp_builder_cname(&b, 1, BRAID_STR_LIT("x")), 0);
  ASSERT_EQ(braid_rtcp_builder_cname(&b, 1, BRAID_STR_LIT("x")), BRAID_ESTATE);
  uint8_t *p = braid_rtcp_builder_tail(&b, &room);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, braid_rtcp_pli_write(p, room, &fb)), 0);
  ASSERT_EQ(braid_rtcp_builder_report(&b, 1, NULL, NULL, 0), BRAID_ESTATE);
  ASSERT_EQ(braid_rtcp_builder_cname(&b, 1, BRAID_STR_LIT("x")), BRAID_ESTATE);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, 6), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, (ssize_t)room + 4), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_builder_report(&(braid_rtcp_builder_t){0}, 1, NULL, NULL, 1), BRAID_EINVAL);
  ASSERT_EQ(braid_rtcp_compound_validate(buf, braid_rtcp_builder_len(&b), BRAID_RTCP_COMPOUND_FULL,
                                         NULL),
            3);
}

BRAID_TEST(reduced_size_feedback_only) {
  uint8_t buf[64];
  braid_rtcp_builder_t b;
  braid_rtcp_fb_t fb = {1, 2};
  size_t room;
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  uint8_t *p = braid_rtcp_builder_tail(&b, &room);
  ASSERT_EQ(braid_rtcp_builder_commit(&b, braid_rtcp_pli_write(p, room, &fb)), 0);
  ASSERT_EQ(braid_rtcp_compound_validate(buf, braid_rtcp_builder_len(&b), 0, NULL), 1);
  ASSERT_EQ(braid_rtcp_compound_validate(buf, braid_rtcp_builder_len(&b), BRAID_RTCP_COMPOUND_FULL,
                                         NULL),
            BRAID_ETYPE);
}

BRAID_TEST(more_than_31_blocks) {
  static uint8_t buf[4096];
  braid_rtcp_report_block_t blocks[70];
  braid_rtcp_builder_t b;
  braid_rtcp_compound_t c;
  braid_rtcp_packet_t pkt;
  braid_rtcp_rr_t rr;
  braid_rtcp_report_block_t got;
  for (size_t i = 0; i < 70; i++) blocks[i] = (braid_rtcp_report_block_t){.ssrc = (uint32_t)i + 1};
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, 9, &info, blocks, 70), 0);
  /* SR with 31, RR with 31, RR with 8. */
  ASSERT_EQ(braid_rtcp_builder_len(&b), 28 + 8 + 8 + 70 * 24);
  braid_rtcp_compound_init(&c, buf, braid_rtcp_builder_len(&b), BRAID_RTCP_COMPOUND_FULL);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(pkt.hdr.pt, BRAID_RTCP_PT_SR);
  ASSERT_EQ(pkt.hdr.count, 31);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(rr.ssrc, 9);
  ASSERT_EQ(rr.n_blocks, 31);
  ASSERT_EQ(braid_rtcp_rr_block(&rr, 0, &got), 0);
  ASSERT_EQ(got.ssrc, 32);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 1);
  ASSERT_EQ(braid_rtcp_rr_parse(&rr, pkt.data, pkt.len, NULL), 0);
  ASSERT_EQ(rr.n_blocks, 8);
  ASSERT_EQ(braid_rtcp_rr_block(&rr, 7, &got), 0);
  ASSERT_EQ(got.ssrc, 70);
  ASSERT_EQ(braid_rtcp_compound_next(&c, &pkt), 0);
  /* Exactly 31 blocks fit one packet; 32 need a second. */
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, 9, NULL, blocks, 31), 0);
  ASSERT_EQ(braid_rtcp_builder_len(&b), 8 + 31 * 24);
  braid_rtcp_builder_init(&b, buf, sizeof buf);
  ASSERT_EQ(braid_rtcp_builder_report(&b, 9, NULL, blocks, 32), 0);
  ASSERT_EQ(braid_rtcp_builder_len(&b), 16 + 32 * 24);
  /* Too many for the buffer: nothing is written. */
  braid_rtcp_builder_init(&b, buf, 100);
  ASSERT_EQ(braid_rtcp_builder_report(&b, 9, NULL, blocks, 70), BRAID_ELIMIT);
  ASSERT_EQ(braid_rtcp_builder_len(&b), 0);
  braid_rtcp_builder_init(&b, buf, 100);
  ASSERT_EQ(braid_rtcp_builder_report(&b, 9, NULL, blocks, SIZE_MAX), BRAID_ELIMIT);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(sr_sdes_feedback)
                    BRAID_TEST_ENTRY(failed_adds_leave_the_compound_as_it_was)
                        BRAID_TEST_ENTRY(order_is_enforced) BRAID_TEST_ENTRY(reduced_size_feedback_only)
                            BRAID_TEST_ENTRY(more_than_31_blocks))
