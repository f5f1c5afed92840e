/*
 * Fuzzer for mediad/sec/srtp_session.c: the bytes a peer controls (SRTP and
 * SRTCP packets into unprotect) and the keyBase64 text of plain transports.
 *
 * Input: one control byte, then the body.
 *   bits 0-1  suite (braid_srtp_suite_t)
 *   bit 2     0 = RTP, 1 = RTCP
 *   bits 3-4  mode:
 *     0  unprotect the body with a fresh inbound session (key FUZZ_MASTER);
 *     1  the same, after that session accepted one valid packet of SSRC
 *        0xcafebabe (the body then meets an existing stream and its window);
 *     2  round trip: protect the body as a plain packet; if that succeeds,
 *        unprotect must succeed and give the body back, byte for byte;
 *     3  keyBase64: parse the body for the suite; on success a session made
 *        from it must talk to one made from the decoded bytes.
 * Checked: no crash, no read or write outside the buffer (ASan), lengths
 * within bounds, only documented codes, and the round-trip identities.
 * Seeds (corpus/srtp_session): valid packets of each suite protected with
 * FUZZ_MASTER, truncations, and the unit tests' keyBase64 strings.
 */
#include <string.h>

#include "common/log.h"
#include "mediad/sec/srtp_session.h"

#define CAP (BRAID_SRTP_SESSION_PACKET_MAX + BRAID_SRTP_SESSION_TRAILER_MAX)

/* The master key + salt the seeds were protected with: bytes 0x00..0x2b. */
static void fuzz_master(uint8_t *m) {
  for (int i = 0; i < BRAID_SRTP_SESSION_MASTER_MAX; i++) m[i] = (uint8_t)i;
}

static braid_srtp_session_t *open_session(braid_srtp_suite_t suite, braid_srtp_dir_t dir,
                                          const uint8_t *m) {
  size_t kl = braid_srtp_session_key_len(suite);
  braid_srtp_session_t *s = NULL;
  int rc =
      braid_srtp_session_new(&s, suite, dir, m, kl, m + kl, braid_srtp_session_salt_len(suite));
  BRAID_ASSERT(rc == 0 && s != NULL);
  return s;
}

static bool documented_unprotect(int rc) {
  return rc == 0 || rc == BRAID_ETRUNC || rc == BRAID_ETOOBIG || rc == BRAID_EMALFORMED ||
         rc == BRAID_SRTP_SESSION_EAUTH || rc == BRAID_SRTP_SESSION_EREPLAY;
}

static int unprotect(braid_srtp_session_t *s, bool rtcp, uint8_t *buf, size_t *len) {
  return rtcp ? braid_srtp_session_unprotect_rtcp(s, buf, len)
              : braid_srtp_session_unprotect_rtp(s, buf, len);
}

static int protect(braid_srtp_session_t *s, bool rtcp, uint8_t *buf, size_t *len, size_t cap) {
  return rtcp ? braid_srtp_session_protect_rtcp(s, buf, len, cap)
              : braid_srtp_session_protect_rtp(s, buf, len, cap);
}

static uint8_t buf[CAP], copy[CAP];

static void fuzz_unprotect(braid_srtp_suite_t suite, bool rtcp, bool warm, const uint8_t *body,
                           size_t n) {
  uint8_t m[BRAID_SRTP_SESSION_MASTER_MAX];
  fuzz_master(m);
  braid_srtp_session_t *rx = open_session(suite, BRAID_SRTP_DIR_INBOUND, m);
  if (warm) {
    /* One valid packet first: the body then meets an existing stream. */
    braid_srtp_session_t *tx = open_session(suite, BRAID_SRTP_DIR_OUTBOUND, m);
    static const uint8_t rtp[16] = {0x80, 0x60, 0x00, 0x10, 0, 0, 0, 1, 0xca, 0xfe, 0xba, 0xbe};
    static const uint8_t rtcp_rr[8] = {0x80, 0xc9, 0x00, 0x01, 0xca, 0xfe, 0xba, 0xbe};
    size_t len = rtcp ? sizeof(rtcp_rr) : sizeof(rtp);
    memcpy(buf, rtcp ? rtcp_rr : rtp, len);
    BRAID_ASSERT(protect(tx, rtcp, buf, &len, sizeof(buf)) == 0);
    BRAID_ASSERT(unprotect(rx, rtcp, buf, &len) == 0);
    braid_srtp_session_free(tx);
  }
  if (n <= CAP) {
    memcpy(buf, body, n);
    size_t len = n;
    int rc = unprotect(rx, rtcp, buf, &len);
    BRAID_ASSERT(documented_unprotect(rc));
    if (rc == 0) BRAID_ASSERT(len <= n && len >= (rtcp ? 8u : 12u));
    else BRAID_ASSERT(len == n);
  }
  braid_srtp_session_free(rx);
}

static void fuzz_round_trip(braid_srtp_suite_t suite, bool rtcp, const uint8_t *body, size_t n) {
  if (n > BRAID_SRTP_SESSION_PACKET_MAX) return;
  uint8_t m[BRAID_SRTP_SESSION_MASTER_MAX];
  fuzz_master(m);
  braid_srtp_session_t *tx = open_session(suite, BRAID_SRTP_DIR_OUTBOUND, m);
  braid_srtp_session_t *rx = open_session(suite, BRAID_SRTP_DIR_INBOUND, m);
  memcpy(buf, body, n);
  size_t len = n;
  int rc = protect(tx, rtcp, buf, &len, sizeof(buf));
  BRAID_ASSERT(rc == 0 || rc == BRAID_ETRUNC || rc == BRAID_EMALFORMED);
  if (rc == 0) {
    BRAID_ASSERT(len > n && len - n <= BRAID_SRTP_SESSION_TRAILER_MAX);
    size_t plen = len;
    memcpy(copy, buf, plen);
    rc = unprotect(rx, rtcp, buf, &len);
    BRAID_ASSERT(rc == 0 && len == n && memcmp(buf, body, n) == 0);
    /* The same packet again is a replay. */
    len = plen;
    BRAID_ASSERT(unprotect(rx, rtcp, copy, &len) == BRAID_SRTP_SESSION_EREPLAY);
  }
  braid_srtp_session_free(tx);
  braid_srtp_session_free(rx);
}

static void fuzz_base64(braid_srtp_suite_t suite, const uint8_t *body, size_t n) {
  uint8_t key[BRAID_SRTP_SESSION_MASTER_MAX];
  size_t key_len = 0;
  braid_str_t b64 = {(const char *)body, n};
  int rc = braid_srtp_session_key_from_base64(suite, b64, key, &key_len);
  BRAID_ASSERT(rc == 0 || rc == BRAID_EMALFORMED || rc == BRAID_EINVAL);
  braid_srtp_session_t *tx = NULL;
  int rc2 = braid_srtp_session_new_base64(&tx, suite, BRAID_SRTP_DIR_OUTBOUND, b64);
  BRAID_ASSERT(rc2 == rc);
  if (rc != 0) {
    BRAID_ASSERT(tx == NULL);
    return;
  }
  size_t kl = braid_srtp_session_key_len(suite);
  BRAID_ASSERT(key_len == kl + braid_srtp_session_salt_len(suite));
  braid_srtp_session_t *rx = open_session(suite, BRAID_SRTP_DIR_INBOUND, key);
  static const uint8_t rtp[20] = {0x80, 0x60, 0x00, 0x01, 0, 0, 0, 1, 0xca, 0xfe, 0xba, 0xbe,
                                  1,    2,    3,    4,    5, 6, 7, 8};
  size_t len = sizeof(rtp);
  memcpy(buf, rtp, len);
  BRAID_ASSERT(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)) == 0);
  BRAID_ASSERT(braid_srtp_session_unprotect_rtp(rx, buf, &len) == 0);
  BRAID_ASSERT(len == sizeof(rtp) && memcmp(buf, rtp, len) == 0);
  braid_srtp_session_free(tx);
  braid_srtp_session_free(rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  braid_srtp_suite_t suite = (braid_srtp_suite_t)(data[0] & 3);
  bool rtcp = (data[0] & 4) != 0;
  const uint8_t *body = data + 1;
  size_t n = size - 1;
  switch ((data[0] >> 3) & 3) {
  case 0: fuzz_unprotect(suite, rtcp, false, body, n); break;
  case 1: fuzz_unprotect(suite, rtcp, true, body, n); break;
  case 2: fuzz_round_trip(suite, rtcp, body, n); break;
  default: fuzz_base64(suite, body, n); break;
  }
  return 0;
}
