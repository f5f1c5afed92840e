/*
 * Tests of mediad/sec/srtp_session.c: round trips for every suite (SRTP and
 * SRTCP), tampering, replay, keyBase64 parsing, buffer limits, and known
 * answers: the protected bytes of AES_CM_128_HMAC_SHA1_80 and both AEAD
 * suites are recomputed here, independently of libsrtp, from RFC 3711 (§4,
 * Appendix B.2 keystream and B.3 key derivation vectors) and RFC 7714 with
 * OpenSSL's primitives.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <srtp2/cipher.h>

#include "mediad/sec/srtp_session.h"
#include "tests/test.h"

/* Room for a packet plus the SRTP trailer. */
#define CAP (1500 + BRAID_SRTP_SESSION_TRAILER_MAX)

static const braid_srtp_suite_t all_suites[] = {
    BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
    BRAID_SRTP_SUITE_AEAD_AES_128_GCM,
    BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
    BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,
};
#define N_SUITES (sizeof(all_suites) / sizeof(all_suites[0]))

/* SRTP and SRTCP tag lengths per suite (RFC 3711 §5.2, RFC 5764 §4.1.2,
 * RFC 7714 §14.2). */
static size_t rtp_tag_len(braid_srtp_suite_t s) {
  return s == BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32 ? 4
         : s == BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80 ? 10
                                                           : 16;
}
static size_t rtcp_tag_len(braid_srtp_suite_t s) {
  return s == BRAID_SRTP_SUITE_AEAD_AES_256_GCM || s == BRAID_SRTP_SUITE_AEAD_AES_128_GCM ? 16
                                                                                          : 10;
}

/* A fixed master key + salt (any bytes do). */
static const uint8_t master_a[BRAID_SRTP_SESSION_MASTER_MAX] = {
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32,
    0x10, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2,
    0xe1, 0xf0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc};

static braid_srtp_session_t *new_session(braid_srtp_suite_t suite, braid_srtp_dir_t dir,
                                         const uint8_t *master) {
  size_t kl = braid_srtp_session_key_len(suite), sl = braid_srtp_session_salt_len(suite);
  braid_srtp_session_t *s = NULL;
  ASSERT_EQ(braid_srtp_session_new(&s, suite, dir, master, kl, master + kl, sl), 0);
  ASSERT(s != NULL);
  return s;
}

/* An RTP packet (RFC 3550 §5.1) with payload_len bytes of payload. */
static size_t make_rtp(uint8_t *p, uint16_t seq, size_t payload_len) {
  static const uint8_t hdr[12] = {
      0x80,                   /* V=2, P=0, X=0, CC=0 */
      0x60,                   /* M=0, PT=96 */
      0x00, 0x00,             /* sequence number (set below) */
      0xde, 0xca, 0xfb, 0xad, /* timestamp */
      0xca, 0xfe, 0xba, 0xbe, /* SSRC 0xcafebabe */
  };
  memcpy(p, hdr, sizeof(hdr));
  p[2] = (uint8_t)(seq >> 8);
  p[3] = (uint8_t)seq;
  for (size_t i = 0; i < payload_len; i++) p[12 + i] = (uint8_t)(0xab ^ i);
  return 12 + payload_len;
}

/* An RTCP sender report without report blocks (RFC 3550 §6.4.1). */
static const uint8_t rtcp_sr[28] = {
    0x80,                   /* V=2, P=0, RC=0 */
    0xc8,                   /* PT=200 (SR) */
    0x00, 0x06,             /* length: 6 words after this one */
    0xca, 0xfe, 0xba, 0xbe, /* SSRC of sender */
    0xe9, 0x1b, 0x5c, 0x10, /* NTP timestamp, most significant word */
    0x40, 0x00, 0x00, 0x00, /* NTP timestamp, least significant word */
    0x00, 0x01, 0x5f, 0x90, /* RTP timestamp */
    0x00, 0x00, 0x00, 0x2a, /* sender's packet count: 42 */
    0x00, 0x00, 0x41, 0xa0, /* sender's octet count: 16800 */
};

/* ---- suites and keys ------------------------------------------------------------ */

BRAID_TEST(suite_names) {
  static const struct {
    const char *name;
    braid_srtp_suite_t suite;
    size_t key, salt;
  } rows[] = {
      {"AEAD_AES_256_GCM", BRAID_SRTP_SUITE_AEAD_AES_256_GCM, 32, 12},
      {"AEAD_AES_128_GCM", BRAID_SRTP_SUITE_AEAD_AES_128_GCM, 16, 12},
      {"AES_CM_128_HMAC_SHA1_80", BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, 16, 14},
      {"AES_CM_128_HMAC_SHA1_32", BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32, 16, 14},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    braid_srtp_suite_t s = BRAID_SRTP_SUITE_COUNT;
    ASSERT_EQ(braid_srtp_session_suite_parse(braid_str_c(rows[i].name), &s), 0);
    ASSERT_EQ(s, rows[i].suite);
    ASSERT_STR_EQ(braid_srtp_session_suite_name(s), rows[i].name);
    ASSERT_EQ(braid_srtp_session_key_len(s), rows[i].key);
    ASSERT_EQ(braid_srtp_session_salt_len(s), rows[i].salt);
  }
  static const char *bad[] = {"", "aead_aes_256_gcm", "AEAD_AES_256_GC", "AEAD_AES_256_GCMX",
                              "SRTP_AES128_CM_SHA1_80", "AES_CM_128_HMAC_SHA1_80 "};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    braid_srtp_suite_t s;
    ASSERT_EQ(braid_srtp_session_suite_parse(braid_str_c(bad[i]), &s), BRAID_EINVAL);
  }
  /* A view that is a prefix of a longer buffer is matched by its length. */
  braid_srtp_suite_t s;
  ASSERT_EQ(braid_srtp_session_suite_parse((braid_str_t){"AEAD_AES_128_GCM!", 16}, &s), 0);
  ASSERT_EQ(s, BRAID_SRTP_SUITE_AEAD_AES_128_GCM);
  ASSERT(braid_srtp_session_suite_name(BRAID_SRTP_SUITE_COUNT) == NULL);
  ASSERT_EQ(braid_srtp_session_key_len((braid_srtp_suite_t)-1), 0);
}

/* keyBase64 for bytes 0x00, 0x01, ... of each suite's key + salt length. */
BRAID_TEST(key_base64_good) {
  static const struct {
    braid_srtp_suite_t suite;
    const char *b64;
    size_t len;
  } rows[] = {
      /* 44 bytes: 14 full groups + 2 bytes, one "=" */
      {BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
       "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=", 44},
      /* 28 bytes: 9 full groups + 1 byte, "==" */
      {BRAID_SRTP_SUITE_AEAD_AES_128_GCM, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==", 28},
      /* 30 bytes: 10 full groups, no padding */
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd", 30},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd", 30},
      /* Padding left out is accepted. */
      {BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
       "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis", 44},
      {BRAID_SRTP_SUITE_AEAD_AES_128_GCM, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw", 28},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    uint8_t out[BRAID_SRTP_SESSION_MASTER_MAX];
    size_t n = 0;
    ASSERT_EQ(braid_srtp_session_key_from_base64(rows[i].suite, braid_str_c(rows[i].b64), out, &n),
              0);
    ASSERT_EQ(n, rows[i].len);
    for (size_t j = 0; j < n; j++) ASSERT_EQ(out[j], j);
  }
  /* The alphabet's last characters: "+/8=" is 0xfb 0xff. */
  uint8_t out[BRAID_SRTP_SESSION_MASTER_MAX];
  size_t n = 0;
  char b64[41];
  memset(b64, 'A', 40);
  memcpy(b64 + 36, "+/8=", 4);
  b64[40] = '\0';
  /* 40 characters with one "=" make 29 bytes: not a key length. */
  ASSERT_EQ(braid_srtp_session_key_from_base64(BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
                                               braid_str_c(b64), out, &n),
            BRAID_EINVAL);
  memcpy(b64 + 36, "+/+/", 4);
  ASSERT_EQ(braid_srtp_session_key_from_base64(BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
                                               braid_str_c(b64), out, &n),
            0);
  ASSERT_EQ(n, 30);
  ASSERT_EQ(out[27], 0xfb); /* 111110 111111 111110 111111 */
  ASSERT_EQ(out[28], 0xff);
  ASSERT_EQ(out[29], 0xbf);
}

BRAID_TEST(key_base64_bad) {
  static const char good30[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd";
  static const struct {
    braid_srtp_suite_t suite;
    const char *b64;
    int rc;
  } rows[] = {
      /* Wrong decoded length for the suite. */
      {BRAID_SRTP_SUITE_AEAD_AES_256_GCM, good30, BRAID_EINVAL},
      {BRAID_SRTP_SUITE_AEAD_AES_128_GCM, good30, BRAID_EINVAL},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==",
       BRAID_EINVAL},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",
       BRAID_EINVAL},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "", BRAID_EINVAL},
      /* Not base64. */
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw*",
       BRAID_EMALFORMED},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw-",
       BRAID_EMALFORMED}, /* base64url is not accepted */
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGx w",
       BRAID_EMALFORMED},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw\n",
       BRAID_EMALFORMED},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGB=aGxwd",
       BRAID_EMALFORMED}, /* "=" inside */
      /* Padding that does not complete the last group. */
      {BRAID_SRTP_SUITE_AEAD_AES_128_GCM, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw=",
       BRAID_EMALFORMED},
      {BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
       "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis==", BRAID_EMALFORMED},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd====",
       BRAID_EMALFORMED},
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "=", BRAID_EMALFORMED},
      /* A lone last character cannot carry a byte. */
      {BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH",
       BRAID_EMALFORMED},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    uint8_t out[BRAID_SRTP_SESSION_MASTER_MAX];
    size_t n = 0;
    int rc = braid_srtp_session_key_from_base64(rows[i].suite, braid_str_c(rows[i].b64), out, &n);
    if (rc != rows[i].rc) BRAID_TEST_FAIL("row %zu (%s): %d != %d", i, rows[i].b64, rc, rows[i].rc);
  }
  uint8_t out[BRAID_SRTP_SESSION_MASTER_MAX];
  size_t n = 0;
  ASSERT_EQ(braid_srtp_session_key_from_base64(BRAID_SRTP_SUITE_COUNT, braid_str_c(good30), out,
                                               &n),
            BRAID_EINVAL);
  braid_srtp_session_t *s = NULL;
  ASSERT_EQ(braid_srtp_session_new_base64(&s, BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
                                          BRAID_SRTP_DIR_INBOUND, braid_str_c(good30)),
            BRAID_EINVAL);
  ASSERT(s == NULL);
}

BRAID_TEST(new_bad_args) {
  braid_srtp_session_t *s = NULL;
  const uint8_t *k = master_a;
  ASSERT_EQ(braid_srtp_session_new(&s, BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
                                   BRAID_SRTP_DIR_INBOUND, k, 16, k + 16, 12),
            BRAID_EINVAL); /* salt 12, suite wants 14 */
  ASSERT_EQ(braid_srtp_session_new(&s, BRAID_SRTP_SUITE_AEAD_AES_256_GCM, BRAID_SRTP_DIR_INBOUND,
                                   k, 16, k + 16, 12),
            BRAID_EINVAL); /* key 16, suite wants 32 */
  ASSERT_EQ(braid_srtp_session_new(&s, BRAID_SRTP_SUITE_COUNT, BRAID_SRTP_DIR_INBOUND, k, 16,
                                   k + 16, 14),
            BRAID_EINVAL);
  ASSERT_EQ(braid_srtp_session_new(&s, BRAID_SRTP_SUITE_AEAD_AES_128_GCM, (braid_srtp_dir_t)2, k,
                                   16, k + 16, 12),
            BRAID_EINVAL);
  ASSERT_EQ(braid_srtp_session_new(&s, BRAID_SRTP_SUITE_AEAD_AES_128_GCM, BRAID_SRTP_DIR_INBOUND,
                                   NULL, 16, k + 16, 12),
            BRAID_EINVAL);
  ASSERT(s == NULL);
  braid_srtp_session_free(NULL);
}

/* ---- round trips ---------------------------------------------------------------- */

static void round_trip(braid_srtp_suite_t suite) {
  braid_srtp_session_t *tx = new_session(suite, BRAID_SRTP_DIR_OUTBOUND, master_a);
  braid_srtp_session_t *rx = new_session(suite, BRAID_SRTP_DIR_INBOUND, master_a);
  ASSERT_EQ(braid_srtp_session_suite(tx), suite);
  ASSERT_EQ(braid_srtp_session_dir(tx), BRAID_SRTP_DIR_OUTBOUND);
  ASSERT_EQ(braid_srtp_session_dir(rx), BRAID_SRTP_DIR_INBOUND);
  static const size_t payloads[] = {0, 1, 160, 1188, 1400};
  uint8_t plain[CAP], buf[CAP];
  for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
    size_t n = make_rtp(plain, (uint16_t)(1000 + i), payloads[i]);
    memcpy(buf, plain, n);
    size_t len = n;
    ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)), 0);
    ASSERT_EQ(len, n + rtp_tag_len(suite));
    ASSERT_MEM_EQ(buf, plain, 12); /* the header stays in the clear */
    if (payloads[i] >= 16) ASSERT(memcmp(buf + 12, plain + 12, payloads[i]) != 0);
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), 0);
    ASSERT_EQ(len, n);
    ASSERT_MEM_EQ(buf, plain, n);
  }
  for (int i = 0; i < 3; i++) {
    memcpy(buf, rtcp_sr, sizeof(rtcp_sr));
    size_t len = sizeof(rtcp_sr);
    ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, buf, &len, sizeof(buf)), 0);
    ASSERT_EQ(len, sizeof(rtcp_sr) + 4 + rtcp_tag_len(suite));
    ASSERT_MEM_EQ(buf, rtcp_sr, 8); /* header and sender SSRC stay in the clear */
    ASSERT(memcmp(buf + 8, rtcp_sr + 8, sizeof(rtcp_sr) - 8) != 0);
    ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len), 0);
    ASSERT_EQ(len, sizeof(rtcp_sr));
    ASSERT_MEM_EQ(buf, rtcp_sr, sizeof(rtcp_sr));
  }
  braid_srtp_session_free(tx);
  braid_srtp_session_free(rx);
}

BRAID_TEST(round_trip_aead_aes_256_gcm) { round_trip(BRAID_SRTP_SUITE_AEAD_AES_256_GCM); }
BRAID_TEST(round_trip_aead_aes_128_gcm) { round_trip(BRAID_SRTP_SUITE_AEAD_AES_128_GCM); }
BRAID_TEST(round_trip_aes_cm_sha1_80) { round_trip(BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80); }
BRAID_TEST(round_trip_aes_cm_sha1_32) { round_trip(BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32); }

/* A session keyed from keyBase64 talks to one keyed from the raw bytes. */
BRAID_TEST(base64_session_interoperates) {
  braid_srtp_session_t *tx = NULL;
  ASSERT_EQ(braid_srtp_session_new_base64(&tx, BRAID_SRTP_SUITE_AEAD_AES_256_GCM,
                                          BRAID_SRTP_DIR_OUTBOUND,
                                          braid_str_c("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"
                                                      "Hh8gISIjJCUmJygpKis=")),
            0);
  uint8_t master[44];
  for (int i = 0; i < 44; i++) master[i] = (uint8_t)i;
  braid_srtp_session_t *rx =
      new_session(BRAID_SRTP_SUITE_AEAD_AES_256_GCM, BRAID_SRTP_DIR_INBOUND, master);
  uint8_t plain[CAP], buf[CAP];
  size_t n = make_rtp(plain, 7, 100), len = n;
  memcpy(buf, plain, n);
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)), 0);
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), 0);
  ASSERT_MEM_EQ(buf, plain, n);
  braid_srtp_session_free(tx);
  braid_srtp_session_free(rx);
}

/* Sequence numbers that wrap: the rollover counter follows on both sides. */
BRAID_TEST(sequence_rollover) {
  for (size_t k = 0; k < N_SUITES; k++) {
    braid_srtp_session_t *tx = new_session(all_suites[k], BRAID_SRTP_DIR_OUTBOUND, master_a);
    braid_srtp_session_t *rx = new_session(all_suites[k], BRAID_SRTP_DIR_INBOUND, master_a);
    uint8_t plain[CAP], buf[CAP];
    for (uint32_t seq = 65530; seq < 65540; seq++) {
      size_t n = make_rtp(plain, (uint16_t)seq, 50), len = n;
      memcpy(buf, plain, n);
      ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)), 0);
      ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), 0);
      ASSERT_MEM_EQ(buf, plain, n);
    }
    braid_srtp_session_free(tx);
    braid_srtp_session_free(rx);
  }
}

/* ---- authentication and replay -------------------------------------------------- */

BRAID_TEST(tampered_packets_fail_auth) {
  for (size_t k = 0; k < N_SUITES; k++) {
    braid_srtp_suite_t suite = all_suites[k];
    braid_srtp_session_t *tx = new_session(suite, BRAID_SRTP_DIR_OUTBOUND, master_a);
    braid_srtp_session_t *rx = new_session(suite, BRAID_SRTP_DIR_INBOUND, master_a);
    uint8_t plain[CAP], prot[CAP], buf[CAP];
    size_t n = make_rtp(plain, 1, 200), plen = n;
    memcpy(prot, plain, n);
    ASSERT_EQ(braid_srtp_session_protect_rtp(tx, prot, &plen, sizeof(prot)), 0);
    /* One flipped bit in the header, the payload, or the tag. */
    size_t at[] = {1, 11, 12, 100, plen - 1};
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
      memcpy(buf, prot, plen);
      buf[at[i]] ^= 0x01;
      size_t len = plen;
      ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_SRTP_SESSION_EAUTH);
    }
    /* The untouched packet still verifies afterwards. */
    size_t len = plen;
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, prot, &len), 0);

    memcpy(prot, rtcp_sr, sizeof(rtcp_sr));
    plen = sizeof(rtcp_sr);
    ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, prot, &plen, sizeof(prot)), 0);
    size_t rat[] = {1, 9, 20, plen - 5, plen - 1};
    for (size_t i = 0; i < sizeof(rat) / sizeof(rat[0]); i++) {
      memcpy(buf, prot, plen);
      buf[rat[i]] ^= 0x80;
      len = plen;
      ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len), BRAID_SRTP_SESSION_EAUTH);
    }
    braid_srtp_session_free(tx);
    braid_srtp_session_free(rx);
  }
}

BRAID_TEST(wrong_key_fails_auth) {
  uint8_t other[BRAID_SRTP_SESSION_MASTER_MAX];
  memcpy(other, master_a, sizeof(other));
  other[0] ^= 0xff;
  for (size_t k = 0; k < N_SUITES; k++) {
    braid_srtp_session_t *tx = new_session(all_suites[k], BRAID_SRTP_DIR_OUTBOUND, master_a);
    braid_srtp_session_t *rx = new_session(all_suites[k], BRAID_SRTP_DIR_INBOUND, other);
    uint8_t buf[CAP];
    size_t len = make_rtp(buf, 1, 64);
    ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)), 0);
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_SRTP_SESSION_EAUTH);
    braid_srtp_session_free(tx);
    braid_srtp_session_free(rx);
  }
}

BRAID_TEST(replay_is_rejected) {
  for (size_t k = 0; k < N_SUITES; k++) {
    braid_srtp_suite_t suite = all_suites[k];
    braid_srtp_session_t *tx = new_session(suite, BRAID_SRTP_DIR_OUTBOUND, master_a);
    braid_srtp_session_t *rx = new_session(suite, BRAID_SRTP_DIR_INBOUND, master_a);
    uint8_t first[CAP], buf[CAP];
    size_t flen = make_rtp(first, 100, 80);
    ASSERT_EQ(braid_srtp_session_protect_rtp(tx, first, &flen, sizeof(first)), 0);
    memcpy(buf, first, flen);
    size_t len = flen;
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), 0);
    memcpy(buf, first, flen);
    len = flen;
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_SRTP_SESSION_EREPLAY);

    /* Within the window, late packets are fine once; beyond it, too old. */
    uint8_t late[CAP];
    size_t llen = make_rtp(late, 101, 80);
    ASSERT_EQ(braid_srtp_session_protect_rtp(tx, late, &llen, sizeof(late)), 0);
    for (uint32_t seq = 102; seq <= 100 + BRAID_SRTP_SESSION_REPLAY_WINDOW + 10; seq++) {
      len = make_rtp(buf, (uint16_t)seq, 10);
      ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)), 0);
      ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), 0);
    }
    len = llen;
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, late, &len), BRAID_SRTP_SESSION_EREPLAY);

    /* SRTCP has its own index and window. */
    uint8_t rtcp[CAP];
    size_t rlen = sizeof(rtcp_sr);
    memcpy(rtcp, rtcp_sr, rlen);
    ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, rtcp, &rlen, sizeof(rtcp)), 0);
    memcpy(buf, rtcp, rlen);
    len = rlen;
    ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len), 0);
    memcpy(buf, rtcp, rlen);
    len = rlen;
    ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len), BRAID_SRTP_SESSION_EREPLAY);

    /* Forgetting the SSRC forgets its window. */
    ASSERT_EQ(braid_srtp_session_remove_ssrc(rx, 0xcafebabe), 0);
    ASSERT_EQ(braid_srtp_session_remove_ssrc(rx, 0xcafebabe), BRAID_ENOTFOUND);
    ASSERT_EQ(braid_srtp_session_remove_ssrc(rx, 0x12345678), BRAID_ENOTFOUND);
    memcpy(buf, first, flen);
    len = flen;
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), 0);
    braid_srtp_session_free(tx);
    braid_srtp_session_free(rx);
  }
}

/* Outbound, the same packet may be protected again (NACK retransmission
 * without RTX); the receiver takes one copy. */
BRAID_TEST(repeat_tx_allowed) {
  braid_srtp_session_t *tx =
      new_session(BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, BRAID_SRTP_DIR_OUTBOUND, master_a);
  braid_srtp_session_t *rx =
      new_session(BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, BRAID_SRTP_DIR_INBOUND, master_a);
  uint8_t a[CAP], b[CAP];
  size_t alen = make_rtp(a, 5, 100), blen = make_rtp(b, 5, 100);
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, a, &alen, sizeof(a)), 0);
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, b, &blen, sizeof(b)), 0);
  ASSERT_EQ(alen, blen);
  ASSERT_MEM_EQ(a, b, alen);
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, a, &alen), 0);
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, b, &blen), BRAID_SRTP_SESSION_EREPLAY);
  braid_srtp_session_free(tx);
  braid_srtp_session_free(rx);
}

/* ---- limits and malformed packets ----------------------------------------------- */

BRAID_TEST(buffer_limits) {
  braid_srtp_session_t *tx =
      new_session(BRAID_SRTP_SUITE_AEAD_AES_128_GCM, BRAID_SRTP_DIR_OUTBOUND, master_a);
  braid_srtp_session_t *rx =
      new_session(BRAID_SRTP_SUITE_AEAD_AES_128_GCM, BRAID_SRTP_DIR_INBOUND, master_a);
  static uint8_t buf[70000];
  size_t n = make_rtp(buf, 1, 100), len = n;
  /* Tail room one byte short of the trailer. */
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, n + BRAID_SRTP_SESSION_TRAILER_MAX - 1),
            BRAID_ETOOBIG);
  ASSERT_EQ(len, n);
  ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, buf, &len, n + BRAID_SRTP_SESSION_TRAILER_MAX - 1),
            BRAID_ETOOBIG);
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, n - 1), BRAID_EINVAL);
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, n + BRAID_SRTP_SESSION_TRAILER_MAX), 0);
  /* Shorter than a header. */
  len = 11;
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)), BRAID_ETRUNC);
  len = 7;
  ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, buf, &len, sizeof(buf)), BRAID_ETRUNC);
  len = 11;
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_ETRUNC);
  len = 7;
  ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len), BRAID_ETRUNC);
  len = 0;
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_ETRUNC);
  /* Longer than any datagram. */
  len = BRAID_SRTP_SESSION_PACKET_MAX + 1;
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, buf, &len, sizeof(buf)), BRAID_ETOOBIG);
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_ETOOBIG);
  ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len), BRAID_ETOOBIG);
  /* Directions are not interchangeable. */
  len = n;
  ASSERT_EQ(braid_srtp_session_protect_rtp(rx, buf, &len, sizeof(buf)), BRAID_ESTATE);
  ASSERT_EQ(braid_srtp_session_unprotect_rtp(tx, buf, &len), BRAID_ESTATE);
  ASSERT_EQ(braid_srtp_session_unprotect_rtcp(tx, buf, &len), BRAID_ESTATE);
  braid_srtp_session_free(tx);
  braid_srtp_session_free(rx);
}

/* Packets whose header promises more than they hold, or that have no room
 * for a tag, are refused before any crypto; none of them crashes. */
BRAID_TEST(malformed_packets) {
  for (size_t k = 0; k < N_SUITES; k++) {
    braid_srtp_session_t *rx = new_session(all_suites[k], BRAID_SRTP_DIR_INBOUND, master_a);
    static const uint8_t csrc_overrun[20] = {
        0x8f,                   /* V=2, CC=15: 60 bytes of CSRC follow */
        0x60, 0x00, 0x01,       /* PT, seq */
        0x00, 0x00, 0x00, 0x01, /* timestamp */
        0xca, 0xfe, 0xba, 0xbe, /* SSRC */
        0x00, 0x00, 0x00, 0x01, /* only two CSRCs */
        0x00, 0x00, 0x00, 0x02,
    };
    static const uint8_t ext_overrun[24] = {
        0x90,                   /* V=2, X=1, CC=0 */
        0x60, 0x00, 0x01,       /* PT, seq */
        0x00, 0x00, 0x00, 0x01, /* timestamp */
        0xca, 0xfe, 0xba, 0xbe, /* SSRC */
        0xbe, 0xde, 0x00, 0xff, /* one-byte extensions, 255 words */
        0x10, 0xff, 0x00, 0x00, /* (4 of them here) */
        0x00, 0x00, 0x00, 0x00,
    };
    uint8_t buf[CAP];
    size_t len = sizeof(csrc_overrun);
    memcpy(buf, csrc_overrun, len);
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_EMALFORMED);
    len = sizeof(ext_overrun);
    memcpy(buf, ext_overrun, len);
    ASSERT_EQ(braid_srtp_session_unprotect_rtp(rx, buf, &len), BRAID_EMALFORMED);
    /* A bare 12-byte header (no room for a tag), an SRTCP packet with no room
     * for index + tag. */
    len = make_rtp(buf, 1, 0);
    int rc = braid_srtp_session_unprotect_rtp(rx, buf, &len);
    ASSERT_EQ(rc, BRAID_EMALFORMED);
    len = 8;
    memcpy(buf, rtcp_sr, len);
    ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len), BRAID_EMALFORMED);
    /* An SRTCP packet whose E flag says "not encrypted": refused outright
     * with AES-CM; with GCM the flag is authenticated data, so the tag fails. */
    braid_srtp_session_t *tx = new_session(all_suites[k], BRAID_SRTP_DIR_OUTBOUND, master_a);
    len = sizeof(rtcp_sr);
    memcpy(buf, rtcp_sr, len);
    ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, buf, &len, sizeof(buf)), 0);
    bool gcm = rtcp_tag_len(all_suites[k]) == 16;
    size_t e_at = gcm ? len - 4 /* GCM: E||index after the tag */
                      : len - 4 - rtcp_tag_len(all_suites[k]); /* CM: E||index, then the tag */
    ASSERT_EQ(buf[e_at] & 0x80, 0x80);
    buf[e_at] &= 0x7f;
    ASSERT_EQ(braid_srtp_session_unprotect_rtcp(rx, buf, &len),
              gcm ? BRAID_SRTP_SESSION_EAUTH : BRAID_EMALFORMED);
    braid_srtp_session_free(tx);
    braid_srtp_session_free(rx);
  }
}

/* ---- known answers --------------------------------------------------------------- */

/* AES in counter mode from OpenSSL, the 128-bit counter starting at iv. */
static void ref_ctr(const uint8_t *key, size_t key_len, const uint8_t iv[16], const uint8_t *in,
                    uint8_t *out, size_t len) {
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  ASSERT(c != NULL);
  ASSERT(EVP_EncryptInit_ex(c, key_len == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr(), NULL, key,
                            iv) == 1);
  int n = 0;
  ASSERT(EVP_EncryptUpdate(c, out, &n, in, (int)len) == 1);
  ASSERT_EQ(n, len);
  EVP_CIPHER_CTX_free(c);
}

/* RFC 3711 §4.3.1 and §4.3.3 (key derivation rate 0): the session key of a
 * label is the AES-CM keystream of the master key, with IV =
 * (master_salt XOR (label << 48)) << 16; a 12-byte AEAD salt is padded with
 * zeros to 14 (RFC 7714 §11). */
static void ref_kdf(const uint8_t *mkey, size_t mkey_len, const uint8_t *msalt, size_t msalt_len,
                    uint8_t label, uint8_t *out, size_t out_len) {
  uint8_t iv[16] = {0}, zero[64] = {0};
  memcpy(iv, msalt, msalt_len);
  iv[7] ^= label;
  ref_ctr(mkey, mkey_len, iv, zero, out, out_len);
}

static void hex(const char *s, uint8_t *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    ASSERT(sscanf(s + 2 * i, "%2x", &v) == 1);
    out[i] = (uint8_t)v;
  }
}

/* RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation): the
 * reference functions above give the RFC's bytes. */
BRAID_TEST(reference_matches_rfc3711_vectors) {
  uint8_t key[16], iv[16] = {0}, zero[48] = {0}, ks[48], want[48];
  hex("2B7E151628AED2A6ABF7158809CF4F3C", key, 16);
  hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD", iv, 14); /* salt << 16, SSRC 0, index 0 */
  ref_ctr(key, 16, iv, zero, ks, 48);
  hex("E03EAD0935C95E80E166B16DD92B4EB4" /* counter ...FCFD0000 */
      "D23513162B02D0F72A43A2FE4A5F97AB" /* counter ...FCFD0001 */
      "41E95B3BB0A2E8DD477901E4FCA894C0", /* counter ...FCFD0002 */
      want, 48);
  ASSERT_MEM_EQ(ks, want, 48);

  uint8_t mkey[16], msalt[14], out[20], exp[20];
  hex("E1F97A0D3E018BE0D64FA32C06DE4139", mkey, 16);
  hex("0EC675AD498AFEEBB6960B3AABE6", msalt, 14);
  ref_kdf(mkey, 16, msalt, 14, 0x00, out, 16); /* label 0: cipher key */
  hex("C61E7A93744F39EE10734AFE3FF7A087", exp, 16);
  ASSERT_MEM_EQ(out, exp, 16);
  ref_kdf(mkey, 16, msalt, 14, 0x02, out, 14); /* label 2: cipher salt */
  hex("30CBBC08863D8C85D49DB34A9AE1", exp, 14);
  ASSERT_MEM_EQ(out, exp, 14);
  ref_kdf(mkey, 16, msalt, 14, 0x01, out, 20); /* label 1: auth key (first 160 bits) */
  hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", exp, 20);
  ASSERT_MEM_EQ(out, exp, 20);
}

/* AES_CM_128_HMAC_SHA1_80 with RFC 3711 B.3's master key: our session's SRTP
 * and SRTCP bytes equal RFC 3711 §4.1.1 (AES-CM, IV = k_s<<16 ^ SSRC<<64 ^
 * i<<16) and §4.2 (tag = HMAC-SHA1(k_a, packet || ROC or E||index)[0..9])
 * computed here. */
BRAID_TEST(known_answer_aes_cm_sha1_80) {
  uint8_t master[30];
  hex("E1F97A0D3E018BE0D64FA32C06DE4139" "0EC675AD498AFEEBB6960B3AABE6", master, 30);
  braid_srtp_session_t *tx =
      new_session(BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, BRAID_SRTP_DIR_OUTBOUND, master);
  uint8_t plain[CAP], got[CAP], want[CAP], k[20], ks[14], ka[20], iv[16];
  size_t n = make_rtp(plain, 0x1234, 100), len = n;
  memcpy(got, plain, n);
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, got, &len, sizeof(got)), 0);

  /* SRTP, packet index 0x1234 (ROC 0), SSRC 0xcafebabe. */
  ref_kdf(master, 16, master + 16, 14, 0x00, k, 16);
  ref_kdf(master, 16, master + 16, 14, 0x02, ks, 14);
  ref_kdf(master, 16, master + 16, 14, 0x01, ka, 20);
  memset(iv, 0, sizeof(iv));
  memcpy(iv, ks, 14);
  for (int i = 0; i < 4; i++) iv[4 + i] ^= plain[8 + i]; /* SSRC << 64 */
  iv[12] ^= 0x12, iv[13] ^= 0x34;                       /* index << 16 */
  memcpy(want, plain, 12);
  ref_ctr(k, 16, iv, plain + 12, want + 12, n - 12);
  uint8_t mac_in[CAP], mac[20];
  unsigned mac_len = 0;
  memcpy(mac_in, want, n);
  memset(mac_in + n, 0, 4); /* ROC = 0 */
  ASSERT(HMAC(EVP_sha1(), ka, 20, mac_in, n + 4, mac, &mac_len) != NULL);
  memcpy(want + n, mac, 10);
  ASSERT_EQ(len, n + 10);
  ASSERT_MEM_EQ(got, want, n + 10);

  /* SRTCP, labels 3 (key), 4 (auth) and 5 (salt). libsrtp numbers SRTCP
   * packets from 1 (RFC 3711 §3.4 only asks the index to start below 2^31). */
  len = sizeof(rtcp_sr);
  memcpy(got, rtcp_sr, len);
  ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, got, &len, sizeof(got)), 0);
  ref_kdf(master, 16, master + 16, 14, 0x03, k, 16);
  ref_kdf(master, 16, master + 16, 14, 0x05, ks, 14);
  ref_kdf(master, 16, master + 16, 14, 0x04, ka, 20);
  memset(iv, 0, sizeof(iv));
  memcpy(iv, ks, 14);
  for (int i = 0; i < 4; i++) iv[4 + i] ^= rtcp_sr[4 + i]; /* SSRC << 64 */
  iv[13] ^= 0x01;                                          /* index 1 << 16 */
  n = sizeof(rtcp_sr);
  memcpy(want, rtcp_sr, 8);
  ref_ctr(k, 16, iv, rtcp_sr + 8, want + 8, n - 8);
  static const uint8_t e_index[4] = {0x80, 0x00, 0x00, 0x01}; /* E=1, SRTCP index 1 */
  memcpy(want + n, e_index, 4);
  ASSERT(HMAC(EVP_sha1(), ka, 20, want, n + 4, mac, &mac_len) != NULL);
  memcpy(want + n + 4, mac, 10);
  ASSERT_EQ(len, n + 14);
  ASSERT_MEM_EQ(got, want, n + 14);
  braid_srtp_session_free(tx);
}

/* AES-GCM encryption for the AEAD references: out = ciphertext || tag. */
static void ref_gcm(const uint8_t *key, size_t key_len, const uint8_t iv[12], const uint8_t *aad,
                    size_t aad_len, const uint8_t *in, size_t len, uint8_t *out) {
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  ASSERT(c != NULL);
  ASSERT(EVP_EncryptInit_ex(c, key_len == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm(), NULL, key,
                            iv) == 1);
  int n = 0;
  ASSERT(EVP_EncryptUpdate(c, NULL, &n, aad, (int)aad_len) == 1);
  ASSERT(EVP_EncryptUpdate(c, out, &n, in, (int)len) == 1);
  ASSERT(EVP_EncryptFinal_ex(c, out + n, &n) == 1);
  ASSERT(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + len) == 1);
  EVP_CIPHER_CTX_free(c);
}

/* The AEAD suites: RFC 7714 §8.1 (SRTP: IV = (0x0000 || SSRC || ROC || SEQ)
 * XOR salt, AAD = header) and §9.1 (SRTCP: IV = (0x0000 || SSRC || 0x0000 ||
 * index) XOR salt, AAD = header || E||index; the trailer comes after the tag),
 * with keys from the RFC 3711 KDF (AES-256-CM for the 256-bit suite). */
static void known_answer_gcm(braid_srtp_suite_t suite) {
  size_t kl = braid_srtp_session_key_len(suite);
  braid_srtp_session_t *tx = new_session(suite, BRAID_SRTP_DIR_OUTBOUND, master_a);
  const uint8_t *msalt = master_a + kl;
  uint8_t plain[CAP], got[CAP], want[CAP], k[32], ks[12], iv[12];
  size_t n = make_rtp(plain, 0x0102, 300), len = n;
  memcpy(got, plain, n);
  ASSERT_EQ(braid_srtp_session_protect_rtp(tx, got, &len, sizeof(got)), 0);
  ref_kdf(master_a, kl, msalt, 12, 0x00, k, kl);
  ref_kdf(master_a, kl, msalt, 12, 0x02, ks, 12);
  memcpy(iv, ks, 12);
  for (int i = 0; i < 4; i++) iv[2 + i] ^= plain[8 + i]; /* SSRC; ROC 0 */
  iv[10] ^= 0x01, iv[11] ^= 0x02;                       /* SEQ */
  memcpy(want, plain, 12);
  ref_gcm(k, kl, iv, plain, 12, plain + 12, n - 12, want + 12);
  ASSERT_EQ(len, n + 16);
  ASSERT_MEM_EQ(got, want, n + 16);

  n = sizeof(rtcp_sr);
  len = n;
  memcpy(got, rtcp_sr, n);
  ASSERT_EQ(braid_srtp_session_protect_rtcp(tx, got, &len, sizeof(got)), 0);
  ref_kdf(master_a, kl, msalt, 12, 0x03, k, kl);
  ref_kdf(master_a, kl, msalt, 12, 0x05, ks, 12);
  memcpy(iv, ks, 12);
  for (int i = 0; i < 4; i++) iv[2 + i] ^= rtcp_sr[4 + i]; /* SSRC */
  iv[11] ^= 0x01;                                          /* SRTCP index 1 */
  uint8_t aad[12];
  memcpy(aad, rtcp_sr, 8);
  static const uint8_t e_index[4] = {0x80, 0x00, 0x00, 0x01}; /* E=1, SRTCP index 1 */
  memcpy(aad + 8, e_index, 4);
  memcpy(want, rtcp_sr, 8);
  ref_gcm(k, kl, iv, aad, 12, rtcp_sr + 8, n - 8, want + 8);
  memcpy(want + n + 16, e_index, 4);
  ASSERT_EQ(len, n + 20);
  ASSERT_MEM_EQ(got, want, n + 20);
  braid_srtp_session_free(tx);
}

BRAID_TEST(known_answer_aead_aes_128_gcm) { known_answer_gcm(BRAID_SRTP_SUITE_AEAD_AES_128_GCM); }
BRAID_TEST(known_answer_aead_aes_256_gcm) { known_answer_gcm(BRAID_SRTP_SUITE_AEAD_AES_256_GCM); }

/* ---- the library ------------------------------------------------------------------ */

/* libsrtp2's AES-CM cipher type (exported, declared in no installed header):
 * its description names the crypto backend the library was built with. */
extern const srtp_cipher_type_t srtp_aes_icm_128;

/* braid_srtp_backend() tells the truth about the library that is linked. */
BRAID_TEST(backend_is_reported) {
  ASSERT_EQ(braid_srtp_session_global_init(), 0);
  ASSERT_EQ(braid_srtp_session_global_init(), 0);
  const char *desc = srtp_aes_icm_128.description;
  ASSERT(desc != NULL);
  if (strcmp(braid_srtp_backend(), "openssl") == 0) {
    if (strstr(desc, "openssl") == NULL) BRAID_TEST_FAIL("backend openssl, cipher \"%s\"", desc);
  } else {
    ASSERT_STR_EQ(braid_srtp_backend(), "nss (slow fallback)");
    if (strstr(desc, "NSS") == NULL) BRAID_TEST_FAIL("backend nss, cipher \"%s\"", desc);
  }
  ASSERT(strncmp(braid_srtp_session_lib_version(), "libsrtp2 2.", 11) == 0);
  ASSERT_STR_EQ(braid_srtp_session_strerror(BRAID_SRTP_SESSION_EAUTH),
                "SRTP authentication failed");
  ASSERT_STR_EQ(braid_srtp_session_strerror(BRAID_ETRUNC), braid_strerror(BRAID_ETRUNC));
  ASSERT(braid_err_is_input(BRAID_SRTP_SESSION_EAUTH));
  ASSERT(braid_err_is_input(BRAID_SRTP_SESSION_EREPLAY));
}

BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(suite_names)
    BRAID_TEST_ENTRY(key_base64_good)
    BRAID_TEST_ENTRY(key_base64_bad)
    BRAID_TEST_ENTRY(new_bad_args)
    BRAID_TEST_ENTRY(round_trip_aead_aes_256_gcm)
    BRAID_TEST_ENTRY(round_trip_aead_aes_128_gcm)
    BRAID_TEST_ENTRY(round_trip_aes_cm_sha1_80)
    BRAID_TEST_ENTRY(round_trip_aes_cm_sha1_32)
    BRAID_TEST_ENTRY(base64_session_interoperates)
    BRAID_TEST_ENTRY(sequence_rollover)
    BRAID_TEST_ENTRY(tampered_packets_fail_auth)
    BRAID_TEST_ENTRY(wrong_key_fails_auth)
    BRAID_TEST_ENTRY(replay_is_rejected)
    BRAID_TEST_ENTRY(repeat_tx_allowed)
    BRAID_TEST_ENTRY(buffer_limits)
    BRAID_TEST_ENTRY(malformed_packets)
    BRAID_TEST_ENTRY(reference_matches_rfc3711_vectors)
    BRAID_TEST_ENTRY(known_answer_aes_cm_sha1_80)
    BRAID_TEST_ENTRY(known_answer_aead_aes_128_gcm)
    BRAID_TEST_ENTRY(known_answer_aead_aes_256_gcm)
    BRAID_TEST_ENTRY(backend_is_reported))
