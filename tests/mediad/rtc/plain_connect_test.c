/*
 * The rules of PlainTransport.connect() (mediad/rtc/plain_connect.c):
 * every refusal with its reason, and what an accepted connect gives (the
 * tuples, the suite, the decoded keys of each direction).
 */
#include "mediad/rtc/plain_connect.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "common/err.h"
#include "tests/test.h"

/* Base64 of 30 bytes (AES_CM_*), 28 (AEAD_AES_128_GCM), 44
 * (AEAD_AES_256_GCM): "ABCD..." patterns that decode to known bytes. */
#define KEY30  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"
#define KEY30B "HRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgEA"
#define KEY28  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw=="
#define KEY44  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis="

static const braid_plain_connect_rules_t plain = {.rtcp_mux = true, .family = AF_INET};
static const braid_plain_connect_rules_t no_mux = {.rtcp_mux = false, .family = AF_INET};
static const braid_plain_connect_rules_t comedia = {
    .rtcp_mux = true, .comedia = true, .family = AF_INET};
static const braid_plain_connect_rules_t srtp = {
    .rtcp_mux = true, .enable_srtp = true, .family = AF_INET};
static const braid_plain_connect_rules_t comedia_srtp = {
    .rtcp_mux = true, .comedia = true, .enable_srtp = true, .family = AF_INET};
static const braid_plain_connect_rules_t pipe_plain = {
    .rtcp_mux = true, .pipe = true, .family = AF_INET};
static const braid_plain_connect_rules_t pipe_srtp = {
    .rtcp_mux = true, .enable_srtp = true, .pipe = true, .family = AF_INET};

static braid_cmd_transport_connect_plain_t cmd(const char *ip, uint64_t port, uint64_t rtcp_port,
                                               const char *suite, const char *key,
                                               const char *local_key) {
  return (braid_cmd_transport_connect_plain_t){.transport_id = BRAID_STR_LIT("t"),
                                               .ip = braid_str_c(ip),
                                               .port = port,
                                               .rtcp_port = rtcp_port,
                                               .srtp_suite = braid_str_c(suite),
                                               .srtp_key = braid_str_c(key),
                                               .srtp_local_key = braid_str_c(local_key)};
}

/* Parses and checks the code and reason. */
static void expect(const braid_plain_connect_rules_t *r, braid_cmd_transport_connect_plain_t c,
                   int want_rc, const char *want_why) {
  braid_plain_connect_t out;
  const char *why = NULL;
  int rc = braid_plain_connect_parse(&out, r, &c, &why);
  braid_plain_connect_wipe(&out);
  if (rc != want_rc) BRAID_TEST_FAIL("got %d (%s), want %d", rc, why ? why : "-", want_rc);
  if (want_why != NULL) ASSERT_STR_EQ(why, want_why);
}

BRAID_TEST(comedia_takes_only_srtp) {
  static const char why[] = "comedia transport: only srtpParameters may be given";
  expect(&comedia, cmd("", 0, 0, "", "", ""), 0, NULL); /* an empty connect is harmless */
  expect(&comedia, cmd("127.0.0.1", 5004, 0, "", "", ""), BRAID_EINVAL, why);
  expect(&comedia, cmd("", 5004, 0, "", "", ""), BRAID_EINVAL, why);
  expect(&comedia, cmd("127.0.0.1", 0, 0, "", "", ""), BRAID_EINVAL, why);
  expect(&comedia, cmd("", 0, 5005, "", "", ""), BRAID_EINVAL, why);
  expect(&comedia_srtp, cmd("", 0, 0, "AES_CM_128_HMAC_SHA1_80", KEY30, KEY30B), 0, NULL);
  expect(&comedia_srtp, cmd("10.0.0.1", 0, 0, "AES_CM_128_HMAC_SHA1_80", KEY30, KEY30B),
         BRAID_EINVAL, why);
  braid_plain_connect_t out;
  braid_cmd_transport_connect_plain_t c = cmd("", 0, 0, "", "", "");
  ASSERT_EQ(braid_plain_connect_parse(&out, &comedia, &c, NULL), 0);
  ASSERT(!out.has_tuple && !out.has_rtcp_tuple && !out.srtp);
}

BRAID_TEST(address_rules) {
  expect(&plain, cmd("", 0, 0, "", "", ""), BRAID_EINVAL, "missing ip/port");
  expect(&plain, cmd("", 5004, 0, "", "", ""), BRAID_EINVAL, "missing ip/port");
  expect(&plain, cmd("127.0.0.1", 0, 0, "", "", ""), BRAID_EINVAL, "invalid port");
  expect(&plain, cmd("localhost", 5004, 0, "", "", ""), BRAID_EINVAL, "invalid ip");
  expect(&plain, cmd("256.0.0.1", 5004, 0, "", "", ""), BRAID_EINVAL, "invalid ip");
  expect(&plain, cmd("1.2.3.4 ", 5004, 0, "", "", ""), BRAID_EINVAL, "invalid ip");
  expect(&plain, cmd("::1", 5004, 0, "", "", ""), BRAID_EINVAL, "invalid ip"); /* an IPv4 socket */
  expect(&plain, cmd("127.0.0.1", 70000, 0, "", "", ""), BRAID_EINVAL, "invalid port");
  expect(&plain, cmd("127.0.0.1", 5004, 5005, "", "", ""), BRAID_EINVAL,
         "rtcpPort given with rtcpMux");
  expect(&no_mux, cmd("127.0.0.1", 5004, 0, "", "", ""), BRAID_EINVAL, "missing rtcpPort");
  expect(&no_mux, cmd("127.0.0.1", 5004, 70000, "", "", ""), BRAID_EINVAL, "invalid port");
  expect(&plain, cmd("203.0.113.7", 65535, 0, "", "", ""), 0, NULL);
  braid_plain_connect_rules_t v6 = {.rtcp_mux = true, .family = AF_INET6};
  expect(&v6, cmd("2001:db8::7", 5004, 0, "", "", ""), 0, NULL);
  expect(&v6, cmd("127.0.0.1", 5004, 0, "", "", ""), BRAID_EINVAL, "invalid ip");
}

BRAID_TEST(tuples) {
  braid_plain_connect_t out;
  braid_cmd_transport_connect_plain_t c = cmd("203.0.113.7", 5004, 5005, "", "", "");
  ASSERT_EQ(braid_plain_connect_parse(&out, &no_mux, &c, NULL), 0);
  ASSERT(out.has_tuple && out.has_rtcp_tuple && !out.srtp);
  const struct sockaddr_in *a = (const struct sockaddr_in *)&out.addr;
  const struct sockaddr_in *r = (const struct sockaddr_in *)&out.rtcp_addr;
  ASSERT_EQ(a->sin_family, AF_INET);
  ASSERT_EQ(ntohs(a->sin_port), 5004);
  ASSERT_EQ(ntohs(r->sin_port), 5005);
  ASSERT_EQ(ntohl(a->sin_addr.s_addr), 0xcb007107u);
  ASSERT_EQ(a->sin_addr.s_addr, r->sin_addr.s_addr);
  ASSERT_EQ(out.addr_len, sizeof *a);
  /* The same address matches; another port or address does not. */
  struct sockaddr_in from = *a;
  ASSERT(braid_plain_connect_same_addr((struct sockaddr *)&from, &out.addr));
  ASSERT(!braid_plain_connect_same_addr((struct sockaddr *)&from, &out.rtcp_addr));
  from.sin_addr.s_addr ^= htonl(1);
  ASSERT(!braid_plain_connect_same_addr((struct sockaddr *)&from, &out.addr));

  braid_plain_connect_rules_t v6 = {.rtcp_mux = true, .family = AF_INET6};
  c = cmd("2001:db8::7", 40000, 0, "", "", "");
  ASSERT_EQ(braid_plain_connect_parse(&out, &v6, &c, NULL), 0);
  ASSERT(out.has_tuple && !out.has_rtcp_tuple);
  const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)&out.addr;
  ASSERT_EQ(b->sin6_family, AF_INET6);
  ASSERT_EQ(ntohs(b->sin6_port), 40000);
  ASSERT_EQ(b->sin6_addr.s6_addr[15], 7);
  struct sockaddr_in6 from6 = *b;
  ASSERT(braid_plain_connect_same_addr((struct sockaddr *)&from6, &out.addr));
  ASSERT(!braid_plain_connect_same_addr((struct sockaddr *)&from, &out.addr)); /* family */
}

BRAID_TEST(srtp_rules) {
  expect(&srtp, cmd("127.0.0.1", 5004, 0, "", "", ""), BRAID_EINVAL, "missing srtpParameters");
  expect(&srtp, cmd("127.0.0.1", 5004, 0, "AES_CM_128_HMAC_SHA1_80", "", KEY30B), BRAID_EINVAL,
         "missing srtpParameters");
  expect(&srtp, cmd("127.0.0.1", 5004, 0, "AES_CM_128_HMAC_SHA1_80", KEY30, ""), BRAID_EINVAL,
         "missing srtpParameters");
  expect(&srtp, cmd("127.0.0.1", 5004, 0, "", KEY30, KEY30B), BRAID_EINVAL,
         "missing srtpParameters");
  expect(&plain, cmd("127.0.0.1", 5004, 0, "AES_CM_128_HMAC_SHA1_80", KEY30, KEY30B), BRAID_EINVAL,
         "srtpParameters given but SRTP is not enabled");
  expect(&plain, cmd("127.0.0.1", 5004, 0, "", KEY30, ""), BRAID_EINVAL,
         "srtpParameters given but SRTP is not enabled");
  expect(&comedia, cmd("", 0, 0, "AEAD_AES_256_GCM", KEY44, KEY44), BRAID_EINVAL,
         "srtpParameters given but SRTP is not enabled");
  expect(&srtp, cmd("127.0.0.1", 5004, 0, "AES_CM_128_NULL_AUTH", KEY30, KEY30B), BRAID_EINVAL,
         "invalid cryptoSuite");
  expect(&srtp, cmd("127.0.0.1", 5004, 0, "aes_cm_128_hmac_sha1_80", KEY30, KEY30B), BRAID_EINVAL,
         "invalid cryptoSuite");
  /* The address rules come first. */
  expect(&srtp, cmd("", 5004, 0, "NOPE", KEY30, KEY30B), BRAID_EINVAL, "missing ip/port");
}

/* Each suite with keys of its own length, of the others', and not base64. */
BRAID_TEST(key_lengths) {
  static const struct {
    const char *suite;
    const char *good;
    const char *bad;
  } cases[] = {
      {"AES_CM_128_HMAC_SHA1_80", KEY30, KEY28},
      {"AES_CM_128_HMAC_SHA1_32", KEY30, KEY44},
      {"AEAD_AES_128_GCM", KEY28, KEY30},
      {"AEAD_AES_256_GCM", KEY44, KEY30},
  };
  for (size_t i = 0; i < 4; i++) {
    char why[64];
    snprintf(why, sizeof why, "invalid key length for %s", cases[i].suite);
    const char *s = cases[i].suite, *g = cases[i].good, *b = cases[i].bad;
    expect(&srtp, cmd("127.0.0.1", 5004, 0, s, g, g), 0, NULL);
    expect(&srtp, cmd("127.0.0.1", 5004, 0, s, b, g), BRAID_EINVAL, why);
    expect(&srtp, cmd("127.0.0.1", 5004, 0, s, g, b), BRAID_EINVAL, why);
    expect(&srtp, cmd("127.0.0.1", 5004, 0, s, "not*base64*at*all*!!", g), BRAID_EINVAL, why);
    expect(&srtp, cmd("127.0.0.1", 5004, 0, s, g, "QUJD"), BRAID_EINVAL, why);
  }
}

/* An accepted SRTP connect: the remote's key for the inbound session, ours
 * for the outbound one, split into key and salt. */
BRAID_TEST(srtp_keys) {
  braid_plain_connect_t out;
  braid_cmd_transport_connect_plain_t c =
      cmd("127.0.0.1", 5004, 0, "AES_CM_128_HMAC_SHA1_32", KEY30, KEY30B);
  ASSERT_EQ(braid_plain_connect_parse(&out, &srtp, &c, NULL), 0);
  ASSERT(out.srtp);
  ASSERT_EQ(out.suite, BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
  ASSERT_EQ(out.key_len, 16);
  ASSERT_EQ(out.salt_len, 14);
  for (size_t i = 0; i < 30; i++) {
    ASSERT_EQ(out.remote_key[i], i);
    ASSERT_EQ(out.local_key[i], 29 - i);
  }
  braid_plain_connect_wipe(&out);
  ASSERT(!out.srtp && out.remote_key[1] == 0 && out.local_key[0] == 0);
  c = cmd("", 0, 0, "AEAD_AES_256_GCM", KEY44, KEY44);
  ASSERT_EQ(braid_plain_connect_parse(&out, &comedia_srtp, &c, NULL), 0);
  ASSERT(out.srtp && !out.has_tuple);
  ASSERT_EQ(out.key_len + out.salt_len, 44);
  ASSERT_EQ(out.remote_key[43], 43);
  braid_plain_connect_wipe(&out);
}

/* PipeTransport.connect({ip, port, srtpParameters}): the remote is
 * required, and SRTP takes mediasoup's pipe suite only. */
BRAID_TEST(pipe_rules) {
  static const char suite[] = "a pipe transport takes only AEAD_AES_256_GCM";
  expect(&pipe_plain, cmd("127.0.0.1", 40000, 0, "", "", ""), 0, NULL);
  expect(&pipe_plain, cmd("", 0, 0, "", "", ""), BRAID_EINVAL, "missing ip/port");
  expect(&pipe_plain, cmd("127.0.0.1", 40000, 40001, "", "", ""), BRAID_EINVAL,
         "rtcpPort given with rtcpMux");
  expect(&pipe_plain, cmd("127.0.0.1", 40000, 0, "AEAD_AES_256_GCM", KEY44, KEY44), BRAID_EINVAL,
         "srtpParameters given but SRTP is not enabled");
  expect(&pipe_srtp, cmd("127.0.0.1", 40000, 0, "", "", ""), BRAID_EINVAL,
         "missing srtpParameters");
  expect(&pipe_srtp, cmd("127.0.0.1", 40000, 0, "AES_CM_128_HMAC_SHA1_80", KEY30, KEY30B),
         BRAID_EINVAL, suite);
  expect(&pipe_srtp, cmd("127.0.0.1", 40000, 0, "AEAD_AES_128_GCM", KEY28, KEY28), BRAID_EINVAL,
         suite);
  expect(&pipe_srtp, cmd("127.0.0.1", 40000, 0, "AEAD_AES_256_GCM", KEY28, KEY28), BRAID_EINVAL,
         "invalid key length for AEAD_AES_256_GCM");
  braid_plain_connect_t out;
  braid_cmd_transport_connect_plain_t c =
      cmd("127.0.0.1", 40000, 0, "AEAD_AES_256_GCM", KEY44, KEY44);
  ASSERT_EQ(braid_plain_connect_parse(&out, &pipe_srtp, &c, NULL), 0);
  ASSERT(out.srtp && out.has_tuple && !out.has_rtcp_tuple);
  ASSERT_EQ(out.suite, BRAID_SRTP_SUITE_AEAD_AES_256_GCM);
  ASSERT_EQ(out.key_len + out.salt_len, 44);
  braid_plain_connect_wipe(&out);
  /* A plain transport keeps every suite. */
  expect(&srtp, cmd("127.0.0.1", 40000, 0, "AEAD_AES_128_GCM", KEY28, KEY28), 0, NULL);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(comedia_takes_only_srtp) BRAID_TEST_ENTRY(address_rules)
                    BRAID_TEST_ENTRY(tuples) BRAID_TEST_ENTRY(srtp_rules)
                        BRAID_TEST_ENTRY(key_lengths) BRAID_TEST_ENTRY(srtp_keys)
                            BRAID_TEST_ENTRY(pipe_rules))
