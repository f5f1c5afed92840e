/* Unit tests of the full intra request, mediad/wire/rtcp/fir.c. */
#include "mediad/wire/rtcp/fir.h"

#include "tests/mediad/wire/rtcp/rtcp_test.h"

static const uint8_t fir2[] = {
    0x84,                   /* V=2, P=0, FMT=4 (FIR) */
    0xce,                   /* PT=206 (PSFB) */
    0x00, 0x06,             /* length=6: 28 bytes */
    0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
    0x00, 0x00, 0x00, 0x00, /* SSRC of media source: unused, 0 */
    0x2c, 0x4f, 0x11, 0x07, /* entry 1: SSRC */
    0x05,                   /* entry 1: seq nr 5 */
    0x00, 0x00, 0x00,       /* entry 1: reserved */
    0x55, 0x66, 0x77, 0x88, /* entry 2: SSRC */
    0xff,                   /* entry 2: seq nr 255 */
    0x00, 0x00, 0x00,       /* entry 2: reserved */
};

static int parse_fir(const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_fir_t fir;
  braid_rtcp_fir_entry_t e;
  int rc = braid_rtcp_fir_parse(&fir, data, len, why);
  for (size_t i = 0; rc == 0 && i < fir.n_entries; i++) ASSERT_EQ(braid_rtcp_fir_entry(&fir, i, &e), 0);
  return rc;
}

typedef struct rebuild {
  uint32_t sender;
  braid_rtcp_fir_entry_t entries[2];
} rebuild_t;

static ssize_t write_fir(uint8_t *buf, size_t cap, const void *arg) {
  const rebuild_t *r = arg;
  return braid_rtcp_fir_write(buf, cap, r->sender, r->entries, 2);
}

BRAID_TEST(parse_and_round_trip) {
  braid_rtcp_fir_t fir;
  rebuild_t r;
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, fir2, sizeof fir2, NULL), 0);
  ASSERT_EQ(fir.fb.sender_ssrc, 1);
  ASSERT_EQ(fir.fb.media_ssrc, 0);
  ASSERT_EQ(fir.n_entries, 2);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 0, &r.entries[0]), 0);
  ASSERT_EQ(r.entries[0].ssrc, 0x2c4f1107);
  ASSERT_EQ(r.entries[0].seq, 5);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 1, &r.entries[1]), 0);
  ASSERT_EQ(r.entries[1].ssrc, 0x55667788);
  ASSERT_EQ(r.entries[1].seq, 255);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 2, &r.entries[1]), BRAID_EINVAL);
  r.sender = fir.fb.sender_ssrc;
  rtcp_test_write_caps(write_fir, &r, fir2, sizeof fir2);
  rtcp_test_robust(parse_fir, fir2, sizeof fir2);
  rtcp_test_seed("fir", fir2, sizeof fir2);
}

BRAID_TEST(malformed) {
  braid_rtcp_fir_t fir;
  const char *why = NULL;
  static const uint8_t empty[] = {
      0x84, 0xce, 0x00, 0x02, /* FIR, length=2: 12 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x00, /* SSRC of media source; no entry */
  };
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, empty, sizeof empty, &why), BRAID_EMALFORMED);
  static const uint8_t half[] = {
      0x84, 0xce, 0x00, 0x03, /* FIR, length=3: 16 bytes */
      0x00, 0x00, 0x00, 0x01, /* SSRC of packet sender */
      0x00, 0x00, 0x00, 0x00, /* SSRC of media source */
      0x2c, 0x4f, 0x11, 0x07, /* half an entry */
  };
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, half, sizeof half, &why), BRAID_EMALFORMED);
  ASSERT(why != NULL);
  /* Reserved bits are ignored on input. */
  uint8_t p[sizeof fir2];
  braid_rtcp_fir_entry_t e;
  memcpy(p, fir2, sizeof p);
  p[17] = 0xff;
  ASSERT_EQ(braid_rtcp_fir_parse(&fir, p, sizeof p, NULL), 0);
  ASSERT_EQ(braid_rtcp_fir_entry(&fir, 0, &e), 0);
  ASSERT_EQ(e.seq, 5);
  uint8_t buf[64];
  ASSERT_EQ(braid_rtcp_fir_write(buf, sizeof buf, 1, &e, 0), BRAID_EINVAL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_and_round_trip) BRAID_TEST_ENTRY(malformed))
