#include "mediad/wire/demux.h"

#include "tests/test.h"

BRAID_TEST(classifies_by_first_byte) {
  uint8_t stun[20] = {0x00, 0x01};          /* Binding request */
  uint8_t dtls[13] = {22, 0xfe, 0xfd};      /* handshake record, DTLS 1.2 */
  uint8_t rtp[12] = {0x80, 96};             /* V=2, PT 96 */
  uint8_t rtp_m[12] = {0x80, 0x80 | 96};    /* marker bit set */
  uint8_t rtcp[8] = {0x81, 200};            /* SR */
  uint8_t rtcp_psfb[8] = {0x81, 206};       /* PLI */
  ASSERT_EQ(braid_demux_classify(stun, sizeof stun), BRAID_DEMUX_STUN);
  ASSERT_EQ(braid_demux_classify(dtls, sizeof dtls), BRAID_DEMUX_DTLS);
  ASSERT_EQ(braid_demux_classify(rtp, sizeof rtp), BRAID_DEMUX_RTP);
  ASSERT_EQ(braid_demux_classify(rtp_m, sizeof rtp_m), BRAID_DEMUX_RTP);
  ASSERT_EQ(braid_demux_classify(rtcp, sizeof rtcp), BRAID_DEMUX_RTCP);
  ASSERT_EQ(braid_demux_classify(rtcp_psfb, sizeof rtcp_psfb), BRAID_DEMUX_RTCP);
}

BRAID_TEST(short_or_unknown_input) {
  uint8_t b[1] = {0x80};
  uint8_t zrtp[20] = {16};
  uint8_t turn[20] = {64};
  ASSERT_EQ(braid_demux_classify(b, 0), BRAID_DEMUX_UNKNOWN);
  ASSERT_EQ(braid_demux_classify(b, 1), BRAID_DEMUX_UNKNOWN);
  ASSERT_EQ(braid_demux_classify((uint8_t[4]){0x00, 0x01}, 4), BRAID_DEMUX_UNKNOWN); /* short STUN */
  ASSERT_EQ(braid_demux_classify((uint8_t[8]){0x80, 96}, 8), BRAID_DEMUX_UNKNOWN);   /* short RTP */
  ASSERT_EQ(braid_demux_classify(zrtp, sizeof zrtp), BRAID_DEMUX_UNKNOWN);
  ASSERT_EQ(braid_demux_classify(turn, sizeof turn), BRAID_DEMUX_UNKNOWN);
  ASSERT_EQ(braid_demux_classify((uint8_t[20]){255}, 20), BRAID_DEMUX_UNKNOWN);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(classifies_by_first_byte) BRAID_TEST_ENTRY(short_or_unknown_input))
