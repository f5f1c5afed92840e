/* Unit tests of mediad/rtc/rtp_listener.c: SSRC, then MID, then RID
 * lookups on real packets; learning; uniqueness rules; removal. */
#include "mediad/rtc/rtp_listener.h"

#include "tests/mediad/rtc/rtp_maker.h"

/* Chromium's ids (field-notes.md): mid=4, rid=10, rrid=11. */
#define MID_ID 4
#define RID_ID 10
#define RRID_ID 11

static const uint8_t media_pts[] = {96, 98};
static const uint8_t rtx_pts[] = {97, 99};
static const uint8_t payload[] = {0x90, 0x80, 0x01, 0xaa};
static int prod_a, prod_b, prod_c, prod_d; /* producers are opaque pointers */

static braid_rtp_listener_t *new_listener(void) {
  braid_rtp_listener_t *l;
  ASSERT_EQ(braid_rtp_listener_new(&l, 4), 0);
  braid_rtp_listener_set_ext_ids(l, (braid_rtp_listener_ext_ids_t){MID_ID, RID_ID, RRID_ID});
  return l;
}

static braid_rtp_listener_producer_t producer(void *p, const char *mid,
                                              const braid_rtp_listener_encoding_t *enc, size_t n) {
  return (braid_rtp_listener_producer_t){p,         braid_str_c(mid), enc, n, media_pts,
                                         sizeof media_pts, rtx_pts, sizeof rtx_pts};
}

/* A packet with optional mid, rid and rrid extension elements. */
static void pkt_with(test_pkt_t *p, uint32_t ssrc, uint8_t pt, const char *mid, const char *rid,
                     const char *rrid) {
  braid_rtp_ext_entry_t e[3];
  size_t n = 0;
  if (mid) e[n++] = (braid_rtp_ext_entry_t){(const uint8_t *)mid, MID_ID, (uint8_t)strlen(mid)};
  if (rid) e[n++] = (braid_rtp_ext_entry_t){(const uint8_t *)rid, RID_ID, (uint8_t)strlen(rid)};
  if (rrid)
    e[n++] = (braid_rtp_ext_entry_t){(const uint8_t *)rrid, RRID_ID, (uint8_t)strlen(rrid)};
  make_pkt_ext(p, ssrc, pt, 1, 0, false, e, n, payload, sizeof payload);
}

static braid_rtp_listener_match_t expect(braid_rtp_listener_t *l, const test_pkt_t *p, void *prod,
                                         int enc, bool rtx, bool learned) {
  braid_rtp_listener_match_t m;
  ASSERT_EQ(braid_rtp_listener_lookup(l, &p->pkt, NULL, &m), 0);
  ASSERT(m.producer == prod);
  ASSERT_EQ(m.encoding, enc);
  ASSERT_EQ(m.rtx, rtx);
  ASSERT_EQ(m.learned, learned);
  return m;
}

static void expect_fail(braid_rtp_listener_t *l, const test_pkt_t *p, int rc) {
  braid_rtp_listener_match_t m = {0};
  ASSERT_EQ(braid_rtp_listener_lookup(l, &p->pkt, NULL, &m), rc);
  ASSERT(m.producer == NULL);
}

BRAID_TEST(signalled_ssrcs_hit_the_table) {
  braid_rtp_listener_t *l = new_listener();
  braid_rtp_listener_encoding_t enc[] = {{1111, 2222, {NULL, 0}}};
  braid_rtp_listener_producer_t p = producer(&prod_a, "", enc, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, NULL), 0);
  test_pkt_t pk;
  make_pkt(&pk, 1111, 96, 1, 0, payload, sizeof payload);
  expect(l, &pk, &prod_a, 0, false, false);
  make_pkt(&pk, 2222, 97, 1, 0, payload, sizeof payload);
  expect(l, &pk, &prod_a, 0, true, false);
  make_pkt(&pk, 3333, 96, 1, 0, payload, sizeof payload);
  expect_fail(l, &pk, BRAID_ENOTFOUND);
  braid_rtp_listener_match_t m;
  ASSERT_EQ(braid_rtp_listener_find_ssrc(l, 2222, &m), 0);
  ASSERT(m.producer == &prod_a && m.rtx);
  braid_rtp_listener_free(l);
}

BRAID_TEST(mid_learns_media_then_rtx_ssrc) {
  braid_rtp_listener_t *l = new_listener();
  braid_rtp_listener_encoding_t enc[] = {{0, 0, {NULL, 0}}};
  braid_rtp_listener_producer_t p = producer(&prod_b, "1", enc, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, NULL), 0);
  test_pkt_t pk;
  /* RTX before its media stream is refused. */
  pkt_with(&pk, 6666, 97, "1", NULL, NULL);
  expect_fail(l, &pk, BRAID_ESTATE);
  pkt_with(&pk, 5555, 96, "1", NULL, NULL);
  expect(l, &pk, &prod_b, 0, false, true);
  /* Learned: the next packet needs no extension. */
  make_pkt(&pk, 5555, 96, 2, 0, payload, sizeof payload);
  expect(l, &pk, &prod_b, 0, false, false);
  pkt_with(&pk, 6666, 97, "1", NULL, NULL);
  expect(l, &pk, &prod_b, 0, true, true);
  /* A second media SSRC for the same encoding is refused. */
  pkt_with(&pk, 7777, 96, "1", NULL, NULL);
  expect_fail(l, &pk, BRAID_ESTATE);
  /* So is an unknown payload type. */
  pkt_with(&pk, 8888, 100, "1", NULL, NULL);
  expect_fail(l, &pk, BRAID_ENOTFOUND);
  braid_rtp_listener_free(l);
}

BRAID_TEST(simulcast_mid_and_rid_pick_the_encoding) {
  braid_rtp_listener_t *l = new_listener();
  braid_rtp_listener_encoding_t enc[] = {
      {0, 0, BRAID_STR_LIT("r0")}, {0, 0, BRAID_STR_LIT("r1")}, {0, 0, BRAID_STR_LIT("r2")}};
  braid_rtp_listener_producer_t p = producer(&prod_c, "2", enc, 3);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, NULL), 0);
  test_pkt_t pk;
  pkt_with(&pk, 100, 96, "2", "r1", NULL);
  expect(l, &pk, &prod_c, 1, false, true);
  pkt_with(&pk, 101, 98, "2", "r0", NULL); /* the other media PT */
  expect(l, &pk, &prod_c, 0, false, true);
  /* RTX carries rrid: r1's media exists, r2's does not yet. */
  pkt_with(&pk, 200, 97, "2", NULL, "r1");
  expect(l, &pk, &prod_c, 1, true, true);
  pkt_with(&pk, 202, 97, "2", NULL, "r2");
  expect_fail(l, &pk, BRAID_ESTATE);
  /* Unknown rid, and no rid on a multi-encoding producer. */
  pkt_with(&pk, 300, 96, "2", "r9", NULL);
  expect_fail(l, &pk, BRAID_ENOTFOUND);
  pkt_with(&pk, 301, 96, "2", NULL, NULL);
  expect_fail(l, &pk, BRAID_ENOTFOUND);
  braid_rtp_listener_free(l);
}

BRAID_TEST(rid_without_mid_and_unknown_mid_fall_through) {
  braid_rtp_listener_t *l = new_listener();
  braid_rtp_listener_encoding_t enc[] = {{0, 0, BRAID_STR_LIT("a")}, {0, 0, BRAID_STR_LIT("b")}};
  braid_rtp_listener_producer_t p = producer(&prod_d, "", enc, 2);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, NULL), 0);
  test_pkt_t pk;
  pkt_with(&pk, 10, 96, NULL, "b", NULL);
  expect(l, &pk, &prod_d, 1, false, true);
  pkt_with(&pk, 11, 96, "zz", "a", NULL); /* unknown MID: RID decides */
  expect(l, &pk, &prod_d, 0, false, true);
  pkt_with(&pk, 12, 97, NULL, NULL, "a"); /* RTX found by RRID alone */
  expect(l, &pk, &prod_d, 0, true, true);
  braid_rtp_listener_free(l);
}

BRAID_TEST(ssrc_table_comes_before_mid) {
  braid_rtp_listener_t *l = new_listener();
  braid_rtp_listener_encoding_t ea[] = {{1111, 0, {NULL, 0}}}, eb[] = {{0, 0, {NULL, 0}}};
  braid_rtp_listener_producer_t a = producer(&prod_a, "0", ea, 1), b = producer(&prod_b, "1", eb, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &a, NULL), 0);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, NULL), 0);
  test_pkt_t pk;
  pkt_with(&pk, 1111, 96, "1", NULL, NULL);
  expect(l, &pk, &prod_a, 0, false, false);
  /* A single encoding with a signalled SSRC does not take unknown SSRCs. */
  pkt_with(&pk, 4242, 96, "0", NULL, NULL);
  expect_fail(l, &pk, BRAID_ENOTFOUND);
  braid_rtp_listener_free(l);
}

BRAID_TEST(add_refuses_duplicates_with_reasons) {
  braid_rtp_listener_t *l = new_listener();
  const char *why = NULL;
  braid_rtp_listener_encoding_t ea[] = {{1111, 2222, BRAID_STR_LIT("r0")}};
  braid_rtp_listener_producer_t a = producer(&prod_a, "0", ea, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &a, &why), 0);
  ASSERT_EQ(braid_rtp_listener_add(l, &a, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "producer already in RTP listener");

  braid_rtp_listener_encoding_t e1[] = {{1111, 0, {NULL, 0}}};
  braid_rtp_listener_producer_t b = producer(&prod_b, "1", e1, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "ssrc already exists in RTP listener");
  braid_rtp_listener_encoding_t e2[] = {{3333, 2222, {NULL, 0}}};
  b = producer(&prod_b, "1", e2, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "RTX ssrc already exists in RTP listener");
  braid_rtp_listener_encoding_t e3[] = {{3333, 3333, {NULL, 0}}};
  b = producer(&prod_b, "1", e3, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, &why), BRAID_EEXIST); /* media = RTX */
  braid_rtp_listener_encoding_t e4[] = {{3333, 0, {NULL, 0}}, {3333, 0, {NULL, 0}}};
  b = producer(&prod_b, "1", e4, 2);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, &why), BRAID_EEXIST); /* twice in the producer */
  braid_rtp_listener_encoding_t e5[] = {{0, 0, {NULL, 0}}};
  b = producer(&prod_b, "0", e5, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "MID already exists in RTP listener");
  /* A repeated rid: fine with a mid, refused without. */
  braid_rtp_listener_encoding_t e6[] = {{0, 0, BRAID_STR_LIT("r0")}};
  b = producer(&prod_b, "", e6, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, &why), BRAID_EEXIST);
  ASSERT_STR_EQ(why, "RID already exists in RTP listener and no MID is given");
  b = producer(&prod_b, "1", e6, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, &why), 0);
  ASSERT_EQ(braid_rtp_listener_count(l), 2);
  braid_rtp_listener_free(l);
}

BRAID_TEST(add_refuses_bad_parameters_and_limits) {
  braid_rtp_listener_t *l;
  ASSERT_EQ(braid_rtp_listener_new(&l, 0), BRAID_EINVAL);
  ASSERT_EQ(braid_rtp_listener_new(&l, BRAID_RTP_LISTENER_MAX_PRODUCERS + 1), BRAID_EINVAL);
  ASSERT_EQ(braid_rtp_listener_new(&l, 2), 0);
  const char *why = NULL;
  braid_rtp_listener_encoding_t e[5] = {{0, 0, {NULL, 0}}};
  braid_rtp_listener_producer_t p = producer(NULL, "", e, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_EINVAL);
  p = producer(&prod_a, "", e, 0);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_EINVAL);
  p = producer(&prod_a, "", e, 5);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_EINVAL);
  p = producer(&prod_a, "01234567890123456", e, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "mid longer than 16 bytes");
  braid_rtp_listener_encoding_t dup[] = {{0, 0, BRAID_STR_LIT("x")}, {0, 0, BRAID_STR_LIT("x")}};
  p = producer(&prod_a, "m", dup, 2);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_EINVAL);
  ASSERT_STR_EQ(why, "same rid twice in the encodings");
  static const uint8_t bad_pt[] = {128};
  p = producer(&prod_a, "m", e, 1);
  p.media_pts = bad_pt;
  p.n_media_pts = 1;
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_EINVAL);
  p = producer(&prod_a, "m", e, 1);
  p.n_media_pts = 0;
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_EINVAL);
  /* Capacity. */
  p = producer(&prod_a, "a", e, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), 0);
  p = producer(&prod_b, "b", e, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), 0);
  p = producer(&prod_c, "c", e, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &p, &why), BRAID_ELIMIT);
  braid_rtp_listener_free(l);
}

BRAID_TEST(remove_forgets_signalled_and_learned_ssrcs) {
  braid_rtp_listener_t *l = new_listener();
  braid_rtp_listener_encoding_t ea[] = {{1111, 0, {NULL, 0}}}, eb[] = {{0, 0, {NULL, 0}}};
  braid_rtp_listener_producer_t a = producer(&prod_a, "0", ea, 1), b = producer(&prod_b, "1", eb, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &a, NULL), 0);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, NULL), 0);
  test_pkt_t pk;
  pkt_with(&pk, 5555, 96, "1", NULL, NULL);
  expect(l, &pk, &prod_b, 0, false, true);
  ASSERT_EQ(braid_rtp_listener_remove(l, &prod_a), 0);
  ASSERT_EQ(braid_rtp_listener_remove(l, &prod_a), BRAID_ENOTFOUND);
  braid_rtp_listener_match_t m;
  ASSERT_EQ(braid_rtp_listener_find_ssrc(l, 1111, &m), BRAID_ENOTFOUND);
  ASSERT_EQ(braid_rtp_listener_find_ssrc(l, 5555, &m), 0); /* b's learned SSRC survives */
  ASSERT(m.producer == &prod_b);
  ASSERT_EQ(braid_rtp_listener_remove(l, &prod_b), 0);
  ASSERT_EQ(braid_rtp_listener_find_ssrc(l, 5555, &m), BRAID_ENOTFOUND);
  /* mid "0" and SSRC 1111 are free again. */
  ASSERT_EQ(braid_rtp_listener_add(l, &a, NULL), 0);
  ASSERT_EQ(braid_rtp_listener_count(l), 1);
  braid_rtp_listener_free(l);
}

BRAID_TEST(malformed_or_missing_extensions_find_nothing) {
  braid_rtp_listener_t *l = new_listener();
  braid_rtp_listener_encoding_t eb[] = {{0, 0, {NULL, 0}}};
  braid_rtp_listener_producer_t b = producer(&prod_b, "1", eb, 1);
  ASSERT_EQ(braid_rtp_listener_add(l, &b, NULL), 0);
  /* One-byte block whose element claims more bytes than the block has. */
  static const uint8_t bad[] = {
      0x90, 0x60, 0x00, 0x01, /* V=2 X=1, PT 96, seq 1 */
      0x00, 0x00, 0x00, 0x00, /* timestamp */
      0x00, 0x00, 0x00, 0x2a, /* SSRC 42 */
      0xbe, 0xde, 0x00, 0x01, /* one-byte form, 1 word */
      0x47, '1',  0x00, 0x00, /* id 4, L=7 (8 bytes): runs past the block */
      0xaa,                   /* payload */
  };
  braid_rtp_packet_t pkt;
  ASSERT_EQ(braid_rtp_packet_parse(&pkt, bad, sizeof bad), 0);
  braid_rtp_listener_match_t m;
  ASSERT_EQ(braid_rtp_listener_lookup(l, &pkt, NULL, &m), BRAID_ENOTFOUND);
  test_pkt_t pk;
  make_pkt(&pk, 42, 96, 1, 0, payload, sizeof payload);
  expect_fail(l, &pk, BRAID_ENOTFOUND);
  /* Without ids negotiated nothing is looked up either. */
  braid_rtp_listener_set_ext_ids(l, (braid_rtp_listener_ext_ids_t){0, 0, 0});
  pkt_with(&pk, 43, 96, "1", NULL, NULL);
  expect_fail(l, &pk, BRAID_ENOTFOUND);
  braid_rtp_listener_free(l);
}

BRAID_TEST(cost_per_packet) {
  braid_rtp_listener_t *l;
  ASSERT_EQ(braid_rtp_listener_new(&l, 16), 0);
  static int prods[16];
  for (int i = 0; i < 16; i++) {
    braid_rtp_listener_encoding_t e[] = {{1000u + 10u * i, 2000u + 10u * i, {NULL, 0}}};
    braid_rtp_listener_producer_t p = producer(&prods[i], "", e, 1);
    ASSERT_EQ(braid_rtp_listener_add(l, &p, NULL), 0);
  }
  test_pkt_t pk;
  make_pkt(&pk, 1070, 96, 1, 0, payload, sizeof payload);
  braid_rtp_listener_match_t m;
  int64_t t0 = test_now_ns();
  for (int i = 0; i < 1000000; i++) ASSERT(braid_rtp_listener_lookup(l, &pk.pkt, NULL, &m) == 0);
  int64_t t1 = test_now_ns();
  ASSERT(m.producer == &prods[7]);
  printf("  rtp_listener: %.1f ns per SSRC-table lookup (16 producers)\n", (double)(t1 - t0) / 1e6);
  braid_rtp_listener_free(l);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(signalled_ssrcs_hit_the_table)
                BRAID_TEST_ENTRY(mid_learns_media_then_rtx_ssrc)
                BRAID_TEST_ENTRY(simulcast_mid_and_rid_pick_the_encoding)
                BRAID_TEST_ENTRY(rid_without_mid_and_unknown_mid_fall_through)
                BRAID_TEST_ENTRY(ssrc_table_comes_before_mid)
                BRAID_TEST_ENTRY(add_refuses_duplicates_with_reasons)
                BRAID_TEST_ENTRY(add_refuses_bad_parameters_and_limits)
                BRAID_TEST_ENTRY(remove_forgets_signalled_and_learned_ssrcs)
                BRAID_TEST_ENTRY(malformed_or_missing_extensions_find_nothing)
                BRAID_TEST_ENTRY(cost_per_packet))
