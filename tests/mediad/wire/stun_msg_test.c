/* Unit tests of mediad/wire/stun_msg.c: the RFC 5769 vectors (parse,
 * integrity, fingerprint, byte-exact rebuild), a browser-like ICE request,
 * the response builders against vectors computed independently (Python's
 * hmac and zlib), every truncation, and corruptions of every kind the
 * parser must refuse. */
#include "mediad/wire/stun_msg.h"

#include <sys/stat.h>

#include "tests/test.h"

/* With BRAID_STUN_SEED_DIR=<dir> set, valid vectors are also written to
 * <dir>/<corpus>/<name>: the fuzzers' seed corpora (fuzz/mediad/wire/stun.cmake). */
static void seed(const char *corpus, const char *name, const uint8_t *data, size_t len) {
  const char *dir = getenv("BRAID_STUN_SEED_DIR");
  if (dir == NULL) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, corpus);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/%s/%s", dir, corpus, name);
  FILE *f = fopen(path, "wb");
  ASSERT(f != NULL);
  ASSERT_EQ(fwrite(data, 1, len, f), len);
  fclose(f);
}

static const char rfc5769_pwd[] = "VOkJxbRl1RmTxUk/WvJxBt";

/* RFC 5769 §2.1: sample request (short-term credentials). */
static const uint8_t rfc_request[] = {
    0x00, 0x01, 0x00, 0x58, /* Binding request, length 88 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01, /* transaction id */
    0xbc, 0x34, 0xd6, 0x86, /*   ... */
    0xfa, 0x87, 0xdf, 0xae, /*   ... */
    0x80, 0x22, 0x00, 0x10, /* SOFTWARE, 16 bytes */
    0x53, 0x54, 0x55, 0x4e, /*   "STUN" */
    0x20, 0x74, 0x65, 0x73, /*   " tes" */
    0x74, 0x20, 0x63, 0x6c, /*   "t cl" */
    0x69, 0x65, 0x6e, 0x74, /*   "ient" */
    0x00, 0x24, 0x00, 0x04, /* PRIORITY, 4 bytes */
    0x6e, 0x00, 0x01, 0xff, /*   0x6e0001ff */
    0x80, 0x29, 0x00, 0x08, /* ICE-CONTROLLED, 8 bytes */
    0x93, 0x2f, 0xf9, 0xb1, /*   tie-breaker */
    0x51, 0x26, 0x3b, 0x36, /*   ... */
    0x00, 0x06, 0x00, 0x09, /* USERNAME, 9 bytes */
    0x65, 0x76, 0x74, 0x6a, /*   "evtj" */
    0x3a, 0x68, 0x36, 0x76, /*   ":h6v" */
    0x59, 0x20, 0x20, 0x20, /*   "Y" and 3 bytes of padding (spaces) */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY, 20 bytes */
    0x9a, 0xea, 0xa7, 0x0c, /*   HMAC-SHA1 */
    0xbf, 0xd8, 0xcb, 0x56, /*   ... */
    0x78, 0x1e, 0xf2, 0xb5, /*   ... */
    0xb2, 0xd3, 0xf2, 0x49, /*   ... */
    0xc1, 0xb5, 0x71, 0xa2, /*   ... */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0xe5, 0x7a, 0x3b, 0xcf, /*   CRC-32 ^ 0x5354554e */
};

/* RFC 5769 §2.2: sample IPv4 response, mapped address 192.0.2.1:32853. */
static const uint8_t rfc_response4[] = {
    0x01, 0x01, 0x00, 0x3c, /* Binding success response, length 60 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01, /* transaction id */
    0xbc, 0x34, 0xd6, 0x86, /*   ... */
    0xfa, 0x87, 0xdf, 0xae, /*   ... */
    0x80, 0x22, 0x00, 0x0b, /* SOFTWARE, 11 bytes */
    0x74, 0x65, 0x73, 0x74, /*   "test" */
    0x20, 0x76, 0x65, 0x63, /*   " vec" */
    0x74, 0x6f, 0x72, 0x20, /*   "tor" and 1 byte of padding (space) */
    0x00, 0x20, 0x00, 0x08, /* XOR-MAPPED-ADDRESS, 8 bytes */
    0x00, 0x01, 0xa1, 0x47, /*   IPv4, port 32853 ^ 0x2112 */
    0xe1, 0x12, 0xa6, 0x43, /*   192.0.2.1 ^ magic cookie */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY, 20 bytes */
    0x2b, 0x91, 0xf5, 0x99, /*   HMAC-SHA1 */
    0xfd, 0x9e, 0x90, 0xc3, /*   ... */
    0x8c, 0x74, 0x89, 0xf9, /*   ... */
    0x2a, 0xf9, 0xba, 0x53, /*   ... */
    0xf0, 0x6b, 0xe7, 0xd7, /*   ... */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0xc0, 0x7d, 0x4c, 0x96, /*   CRC-32 ^ 0x5354554e */
};

/* RFC 5769 §2.3: sample IPv6 response, mapped address
 * [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
static const uint8_t rfc_response6[] = {
    0x01, 0x01, 0x00, 0x48, /* Binding success response, length 72 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01, /* transaction id */
    0xbc, 0x34, 0xd6, 0x86, /*   ... */
    0xfa, 0x87, 0xdf, 0xae, /*   ... */
    0x80, 0x22, 0x00, 0x0b, /* SOFTWARE, 11 bytes */
    0x74, 0x65, 0x73, 0x74, /*   "test" */
    0x20, 0x76, 0x65, 0x63, /*   " vec" */
    0x74, 0x6f, 0x72, 0x20, /*   "tor" and 1 byte of padding (space) */
    0x00, 0x20, 0x00, 0x14, /* XOR-MAPPED-ADDRESS, 20 bytes */
    0x00, 0x02, 0xa1, 0x47, /*   IPv6, port 32853 ^ 0x2112 */
    0x01, 0x13, 0xa9, 0xfa, /*   address ^ (magic cookie, transaction id) */
    0xa5, 0xd3, 0xf1, 0x79, /*   ... */
    0xbc, 0x25, 0xf4, 0xb5, /*   ... */
    0xbe, 0xd2, 0xb9, 0xd9, /*   ... */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY, 20 bytes */
    0xa3, 0x82, 0x95, 0x4e, /*   HMAC-SHA1 */
    0x4b, 0xe6, 0x7b, 0xf1, /*   ... */
    0x17, 0x84, 0xc9, 0x7c, /*   ... */
    0x82, 0x92, 0xc2, 0x75, /*   ... */
    0xbf, 0xe3, 0xed, 0x41, /*   ... */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0xc8, 0xfb, 0x0b, 0x4c, /*   CRC-32 ^ 0x5354554e */
};

/* The key and transaction id of the vectors below, which were computed
 * with Python's hmac and zlib (an implementation independent of ours). */
static const char key[] = "0123456789abcdefghijklmnopqrstuv";
static const uint8_t tid[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

/* A check as a browser sends it to an ICE-lite server with renomination. */
static const uint8_t browser_request[] = {
    0x00, 0x01, 0x00, 0x58, /* Binding request, length 88 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0x01, 0x02, 0x03, 0x04, /* transaction id */
    0x05, 0x06, 0x07, 0x08, /*   ... */
    0x09, 0x0a, 0x0b, 0x0c, /*   ... */
    0x00, 0x06, 0x00, 0x09, /* USERNAME, 9 bytes */
    0x39, 0x69, 0x76, 0x71, /*   "9ivq" (local ufrag) */
    0x3a, 0x5a, 0x70, 0x6d, /*   ":Zpm" */
    0x54, 0x00, 0x00, 0x00, /*   "T" (remote ufrag) and 3 bytes of padding */
    0xc0, 0x57, 0x00, 0x04, /* GOOG-NETWORK-INFO (unknown to us), 4 bytes */
    0x00, 0x01, 0x00, 0x0a, /*   network id 1, cost 10 */
    0x80, 0x2a, 0x00, 0x08, /* ICE-CONTROLLING, 8 bytes */
    0x11, 0x22, 0x33, 0x44, /*   tie-breaker */
    0x55, 0x66, 0x77, 0x88, /*   ... */
    0x00, 0x25, 0x00, 0x00, /* USE-CANDIDATE, empty */
    0x00, 0x24, 0x00, 0x04, /* PRIORITY, 4 bytes */
    0x6e, 0x7f, 0x1e, 0xff, /*   0x6e7f1eff */
    0xc0, 0x01, 0x00, 0x04, /* NOMINATION, 4 bytes */
    0x00, 0x00, 0x00, 0x02, /*   2 */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY, 20 bytes */
    0xb4, 0xc4, 0xd6, 0x8c, /*   HMAC-SHA1 under key */
    0xe6, 0x0f, 0xe2, 0x4b, /*   ... */
    0x7e, 0x1d, 0xc8, 0xa3, /*   ... */
    0x0a, 0x34, 0x23, 0xfb, /*   ... */
    0x58, 0xd2, 0x96, 0xa7, /*   ... */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0xdb, 0xc7, 0x20, 0x20, /*   CRC-32 ^ 0x5354554e */
};

/* Our Binding success response to 192.168.1.10:50000. */
static const uint8_t success4[] = {
    0x01, 0x01, 0x00, 0x2c, /* Binding success response, length 44 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0x01, 0x02, 0x03, 0x04, /* transaction id */
    0x05, 0x06, 0x07, 0x08, /*   ... */
    0x09, 0x0a, 0x0b, 0x0c, /*   ... */
    0x00, 0x20, 0x00, 0x08, /* XOR-MAPPED-ADDRESS, 8 bytes */
    0x00, 0x01, 0xe2, 0x42, /*   IPv4, port 50000 ^ 0x2112 */
    0xe1, 0xba, 0xa5, 0x48, /*   192.168.1.10 ^ magic cookie */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY, 20 bytes */
    0x14, 0x74, 0x8e, 0xf9, /*   HMAC-SHA1 under key */
    0x89, 0x98, 0x62, 0xd0, /*   ... */
    0x03, 0xb0, 0x3e, 0xd6, /*   ... */
    0xbf, 0xc3, 0x7c, 0xf5, /*   ... */
    0x98, 0x1a, 0x12, 0xec, /*   ... */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0x78, 0x36, 0xb2, 0x33, /*   CRC-32 ^ 0x5354554e */
};

/* Our Binding success response to [2001:db8::1]:443. */
static const uint8_t success6[] = {
    0x01, 0x01, 0x00, 0x38, /* Binding success response, length 56 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0x01, 0x02, 0x03, 0x04, /* transaction id */
    0x05, 0x06, 0x07, 0x08, /*   ... */
    0x09, 0x0a, 0x0b, 0x0c, /*   ... */
    0x00, 0x20, 0x00, 0x14, /* XOR-MAPPED-ADDRESS, 20 bytes */
    0x00, 0x02, 0x20, 0xa9, /*   IPv6, port 443 ^ 0x2112 */
    0x01, 0x13, 0xa9, 0xfa, /*   2001:0db8 ^ magic cookie */
    0x01, 0x02, 0x03, 0x04, /*   0 ^ transaction id */
    0x05, 0x06, 0x07, 0x08, /*   ... */
    0x09, 0x0a, 0x0b, 0x0d, /*   ...:0001 ^ transaction id */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY, 20 bytes */
    0xe2, 0x04, 0xa5, 0x50, /*   HMAC-SHA1 under key */
    0xff, 0xc4, 0x95, 0x1e, /*   ... */
    0x35, 0xbb, 0x35, 0xa1, /*   ... */
    0xc2, 0x35, 0x4f, 0x94, /*   ... */
    0xd4, 0x3a, 0xbe, 0xbb, /*   ... */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0x0f, 0xb1, 0x6f, 0xdf, /*   CRC-32 ^ 0x5354554e */
};

/* Our 401 (no MESSAGE-INTEGRITY: the request did not authenticate). */
static const uint8_t error401[] = {
    0x01, 0x11, 0x00, 0x20, /* Binding error response, length 32 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0x01, 0x02, 0x03, 0x04, /* transaction id */
    0x05, 0x06, 0x07, 0x08, /*   ... */
    0x09, 0x0a, 0x0b, 0x0c, /*   ... */
    0x00, 0x09, 0x00, 0x13, /* ERROR-CODE, 19 bytes */
    0x00, 0x00, 0x04, 0x01, /*   class 4, number 1 */
    0x55, 0x6e, 0x61, 0x75, /*   "Unau" */
    0x74, 0x68, 0x65, 0x6e, /*   "then" */
    0x74, 0x69, 0x63, 0x61, /*   "tica" */
    0x74, 0x65, 0x64, 0x00, /*   "ted" and 1 byte of padding */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0xb2, 0xc5, 0x04, 0x8b, /*   CRC-32 ^ 0x5354554e */
};

/* Our 487, authenticated. */
static const uint8_t error487[] = {
    0x01, 0x11, 0x00, 0x38, /* Binding error response, length 56 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0x01, 0x02, 0x03, 0x04, /* transaction id */
    0x05, 0x06, 0x07, 0x08, /*   ... */
    0x09, 0x0a, 0x0b, 0x0c, /*   ... */
    0x00, 0x09, 0x00, 0x11, /* ERROR-CODE, 17 bytes */
    0x00, 0x00, 0x04, 0x57, /*   class 4, number 87 */
    0x52, 0x6f, 0x6c, 0x65, /*   "Role" */
    0x20, 0x43, 0x6f, 0x6e, /*   " Con" */
    0x66, 0x6c, 0x69, 0x63, /*   "flic" */
    0x74, 0x00, 0x00, 0x00, /*   "t" and 3 bytes of padding */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY, 20 bytes */
    0x58, 0x30, 0xe6, 0x47, /*   HMAC-SHA1 under key */
    0x82, 0x94, 0x91, 0xe2, /*   ... */
    0xb6, 0x4b, 0xad, 0xbc, /*   ... */
    0xad, 0xdc, 0xfa, 0x04, /*   ... */
    0x0f, 0x90, 0x1f, 0xbd, /*   ... */
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT, 4 bytes */
    0x7a, 0x4b, 0x78, 0xb2, /*   CRC-32 ^ 0x5354554e */
};

static const uint8_t *kb(const char *s) { return (const uint8_t *)s; }

static braid_stun_msg_t parse_ok(const uint8_t *data, size_t len) {
  braid_stun_msg_t m;
  const char *why = NULL;
  int rc = braid_stun_msg_parse(&m, data, len, &why);
  if (rc != 0) BRAID_TEST_FAIL("parse: %d (%s)", rc, why ? why : "?");
  ASSERT(m.data == data);
  ASSERT_EQ(m.len, len);
  ASSERT(m.tid == data + 8);
  return m;
}

static int parse_rc(const uint8_t *data, size_t len) {
  braid_stun_msg_t m;
  const char *why = NULL;
  int rc = braid_stun_msg_parse(&m, data, len, &why);
  if (rc != 0) ASSERT(why != NULL);
  return rc;
}

static void assert_str(braid_str_t s, const char *want) {
  if (!braid_str_eq(s, want))
    BRAID_TEST_FAIL("\"%.*s\" != \"%s\"", (int)s.len, s.p ? s.p : "", want);
}

BRAID_TEST(rfc5769_request) {
  seed("stun_msg", "rfc5769_request", rfc_request, sizeof rfc_request);
  braid_stun_msg_t m = parse_ok(rfc_request, sizeof rfc_request);
  ASSERT_EQ(m.type, 0x0001);
  ASSERT_EQ(m.cls, BRAID_STUN_CLASS_REQUEST);
  ASSERT_EQ(m.method, BRAID_STUN_METHOD_BINDING);
  ASSERT_EQ(m.n_attrs, 6);
  ASSERT_MEM_EQ(m.tid, rfc_request + 8, 12);
  braid_str_t s;
  ASSERT_EQ(braid_stun_msg_software(&m, &s), 0);
  assert_str(s, "STUN test client");
  ASSERT_EQ(braid_stun_msg_username(&m, &s), 0);
  assert_str(s, "evtj:h6vY");
  uint32_t prio = 0;
  ASSERT_EQ(braid_stun_msg_priority(&m, &prio), 0);
  ASSERT_EQ(prio, 0x6e0001ff);
  uint64_t tie = 0;
  ASSERT_EQ(braid_stun_msg_ice_controlled(&m, &tie), 0);
  ASSERT(tie == 0x932ff9b151263b36ull);
  ASSERT_EQ(braid_stun_msg_ice_controlling(&m, &tie), BRAID_EMISSING);
  ASSERT(!braid_stun_msg_use_candidate(&m));
  uint32_t nom;
  ASSERT_EQ(braid_stun_msg_nomination(&m, &nom), BRAID_EMISSING);
  ASSERT(braid_stun_msg_has_integrity(&m));
  ASSERT(braid_stun_msg_has_fingerprint(&m));
  ASSERT_EQ(m.off_integrity, 76);
  ASSERT_EQ(m.off_fingerprint, 100);
  ASSERT_EQ(braid_stun_msg_check_integrity(&m, kb(rfc5769_pwd), strlen(rfc5769_pwd)), 0);
  ASSERT_EQ(braid_stun_msg_check_integrity(&m, kb("VOkJxbRl1RmTxUk/WvJxBT"), 22), BRAID_EINVAL);
  ASSERT_EQ(braid_stun_msg_check_fingerprint(&m), 0);

  /* Attributes in order, as slices. */
  static const uint16_t types[] = {0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028};
  size_t pos = 0, n = 0;
  braid_stun_attr_t a;
  while (braid_stun_msg_attr_next(&m, &pos, &a) == 0) {
    ASSERT(n < 6);
    ASSERT_EQ(a.type, types[n]);
    ASSERT(a.value > rfc_request && a.value + a.len <= rfc_request + sizeof rfc_request);
    n++;
  }
  ASSERT_EQ(n, 6);
  ASSERT_EQ(braid_stun_msg_attr_find(&m, BRAID_STUN_ATTR_USERNAME, &a), 0);
  ASSERT_EQ(a.len, 9);
  ASSERT(a.value == rfc_request + 64);
  ASSERT_EQ(braid_stun_msg_attr_find(&m, BRAID_STUN_ATTR_REALM, &a), BRAID_ENOTFOUND);
}

BRAID_TEST(rfc5769_request_rebuilt) {
  /* The vector pads with spaces; everything else is what we write. */
  uint8_t out[256];
  braid_stun_writer_t w;
  ASSERT_EQ(braid_stun_writer_init(&w, out, sizeof out, BRAID_STUN_METHOD_BINDING,
                                   BRAID_STUN_CLASS_REQUEST, rfc_request + 8),
            0);
  w.pad = 0x20;
  ASSERT_EQ(braid_stun_writer_attr(&w, BRAID_STUN_ATTR_SOFTWARE, "STUN test client", 16), 0);
  ASSERT_EQ(braid_stun_writer_u32(&w, BRAID_STUN_ATTR_PRIORITY, 0x6e0001ff), 0);
  ASSERT_EQ(braid_stun_writer_u64(&w, BRAID_STUN_ATTR_ICE_CONTROLLED, 0x932ff9b151263b36ull), 0);
  ASSERT_EQ(braid_stun_writer_attr(&w, BRAID_STUN_ATTR_USERNAME, "evtj:h6vY", 9), 0);
  ASSERT_EQ(braid_stun_writer_integrity(&w, kb(rfc5769_pwd), strlen(rfc5769_pwd)), 0);
  ASSERT_EQ(braid_stun_writer_fingerprint(&w), 0);
  ASSERT_EQ(w.len, sizeof rfc_request);
  ASSERT_MEM_EQ(out, rfc_request, sizeof rfc_request);
}

static void check_response(const uint8_t *vec, size_t len, const braid_stun_addr_t *want) {
  braid_stun_msg_t m = parse_ok(vec, len);
  ASSERT_EQ(m.cls, BRAID_STUN_CLASS_SUCCESS);
  ASSERT_EQ(m.method, BRAID_STUN_METHOD_BINDING);
  ASSERT_EQ(m.n_attrs, 4);
  braid_str_t s;
  ASSERT_EQ(braid_stun_msg_software(&m, &s), 0);
  assert_str(s, "test vector");
  braid_stun_addr_t a;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&m, &a), 0);
  ASSERT_EQ(a.family, want->family);
  ASSERT_EQ(a.port, want->port);
  ASSERT_MEM_EQ(a.addr, want->addr, 16);
  ASSERT_EQ(braid_stun_msg_check_integrity(&m, kb(rfc5769_pwd), strlen(rfc5769_pwd)), 0);
  ASSERT_EQ(braid_stun_msg_check_fingerprint(&m), 0);

  /* Byte-exact rebuild (with the vector's space padding). */
  uint8_t out[256];
  braid_stun_writer_t w;
  ASSERT_EQ(braid_stun_writer_init(&w, out, sizeof out, BRAID_STUN_METHOD_BINDING,
                                   BRAID_STUN_CLASS_SUCCESS, m.tid),
            0);
  w.pad = 0x20;
  ASSERT_EQ(braid_stun_writer_attr(&w, BRAID_STUN_ATTR_SOFTWARE, "test vector", 11), 0);
  ASSERT_EQ(braid_stun_writer_xor_addr(&w, BRAID_STUN_ATTR_XOR_MAPPED_ADDRESS, &a), 0);
  ASSERT_EQ(braid_stun_writer_integrity(&w, kb(rfc5769_pwd), strlen(rfc5769_pwd)), 0);
  ASSERT_EQ(braid_stun_writer_fingerprint(&w), 0);
  ASSERT_EQ(w.len, len);
  ASSERT_MEM_EQ(out, vec, len);

  /* Our builder writes no SOFTWARE, so it cannot match the vector; its
   * message must carry the same address and verify. */
  size_t n = 0;
  ASSERT_EQ(braid_stun_msg_build_binding_success(out, sizeof out, m.tid, &a, kb(rfc5769_pwd),
                                                 strlen(rfc5769_pwd), &n),
            0);
  braid_stun_msg_t r = parse_ok(out, n);
  braid_stun_addr_t b;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&r, &b), 0);
  ASSERT_MEM_EQ(&b, &a, sizeof a);
  ASSERT_EQ(braid_stun_msg_check_integrity(&r, kb(rfc5769_pwd), strlen(rfc5769_pwd)), 0);
  ASSERT_EQ(braid_stun_msg_check_fingerprint(&r), 0);
}

BRAID_TEST(rfc5769_response_ipv4) {
  seed("stun_msg", "rfc5769_response4", rfc_response4, sizeof rfc_response4);
  braid_stun_addr_t want = {BRAID_STUN_FAMILY_IPV4, 32853, {192, 0, 2, 1}};
  check_response(rfc_response4, sizeof rfc_response4, &want);
}

BRAID_TEST(rfc5769_response_ipv6) {
  seed("stun_msg", "rfc5769_response6", rfc_response6, sizeof rfc_response6);
  braid_stun_addr_t want = {BRAID_STUN_FAMILY_IPV6,
                            32853,
                            {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11, 0x22, 0x33,
                             0x44, 0x55, 0x66, 0x77}};
  check_response(rfc_response6, sizeof rfc_response6, &want);
}

BRAID_TEST(browser_request) {
  seed("stun_msg", "browser_request", browser_request, sizeof browser_request);
  braid_stun_msg_t m = parse_ok(browser_request, sizeof browser_request);
  ASSERT_EQ(m.n_attrs, 8);
  braid_str_t s;
  ASSERT_EQ(braid_stun_msg_username(&m, &s), 0);
  assert_str(s, "9ivq:ZpmT");
  uint64_t tie = 0;
  ASSERT_EQ(braid_stun_msg_ice_controlling(&m, &tie), 0);
  ASSERT(tie == 0x1122334455667788ull);
  ASSERT_EQ(braid_stun_msg_ice_controlled(&m, &tie), BRAID_EMISSING);
  ASSERT(braid_stun_msg_use_candidate(&m));
  uint32_t v = 0;
  ASSERT_EQ(braid_stun_msg_priority(&m, &v), 0);
  ASSERT_EQ(v, 0x6e7f1eff);
  ASSERT_EQ(braid_stun_msg_nomination(&m, &v), 0);
  ASSERT_EQ(v, 2);
  braid_stun_attr_t a;
  ASSERT_EQ(braid_stun_msg_attr_find(&m, 0xc057, &a), 0);
  ASSERT_EQ(a.len, 4);
  ASSERT_EQ(braid_stun_msg_check_integrity(&m, kb(key), strlen(key)), 0);
  ASSERT_EQ(braid_stun_msg_check_fingerprint(&m), 0);
  ASSERT_EQ(braid_stun_msg_software(&m, &s), BRAID_EMISSING);
  braid_stun_addr_t addr;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&m, &addr), BRAID_EMISSING);
  uint16_t code;
  ASSERT_EQ(braid_stun_msg_error_code(&m, &code, &s), BRAID_EMISSING);
}

BRAID_TEST(build_success) {
  seed("stun_msg", "success4", success4, sizeof success4);
  seed("stun_msg", "success6", success6, sizeof success6);
  uint8_t out[BRAID_STUN_RESPONSE_MAX];
  size_t n = 0;
  braid_stun_addr_t a4 = {BRAID_STUN_FAMILY_IPV4, 50000, {192, 168, 1, 10}};
  ASSERT_EQ(
      braid_stun_msg_build_binding_success(out, sizeof out, tid, &a4, kb(key), strlen(key), &n), 0);
  ASSERT_EQ(n, sizeof success4);
  ASSERT_MEM_EQ(out, success4, n);
  braid_stun_addr_t a6 = {BRAID_STUN_FAMILY_IPV6, 443, {0x20, 0x01, 0x0d, 0xb8}};
  a6.addr[15] = 1;
  ASSERT_EQ(
      braid_stun_msg_build_binding_success(out, sizeof out, tid, &a6, kb(key), strlen(key), &n), 0);
  ASSERT_EQ(n, sizeof success6);
  ASSERT_MEM_EQ(out, success6, n);
  braid_stun_msg_t m = parse_ok(success6, sizeof success6);
  braid_stun_addr_t back;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&m, &back), 0);
  ASSERT_MEM_EQ(&back, &a6, sizeof a6);

  /* Every capacity below the size fails cleanly. */
  for (size_t cap = 0; cap < sizeof success6; cap++)
    ASSERT_EQ(braid_stun_msg_build_binding_success(out, cap, tid, &a6, kb(key), strlen(key), &n),
              BRAID_ETOOBIG);
  braid_stun_addr_t bad = {7, 1, {0}};
  ASSERT_EQ(braid_stun_msg_build_binding_success(out, sizeof out, tid, &bad, kb(key), 3, &n),
            BRAID_EINVAL);
}

BRAID_TEST(build_errors) {
  seed("stun_msg", "error401", error401, sizeof error401);
  seed("stun_msg", "error487", error487, sizeof error487);
  uint8_t out[BRAID_STUN_RESPONSE_MAX];
  size_t n = 0;
  ASSERT_EQ(braid_stun_msg_build_error_response(out, sizeof out, BRAID_STUN_METHOD_BINDING, tid,
                                                401, NULL, 0, &n),
            0);
  ASSERT_EQ(n, sizeof error401);
  ASSERT_MEM_EQ(out, error401, n);
  ASSERT_EQ(braid_stun_msg_build_error_response(out, sizeof out, BRAID_STUN_METHOD_BINDING, tid,
                                                487, kb(key), strlen(key), &n),
            0);
  ASSERT_EQ(n, sizeof error487);
  ASSERT_MEM_EQ(out, error487, n);

  braid_stun_msg_t m = parse_ok(error487, sizeof error487);
  ASSERT_EQ(m.cls, BRAID_STUN_CLASS_ERROR);
  uint16_t code = 0;
  braid_str_t reason;
  ASSERT_EQ(braid_stun_msg_error_code(&m, &code, &reason), 0);
  ASSERT_EQ(code, 487);
  assert_str(reason, "Role Conflict");
  ASSERT_EQ(braid_stun_msg_check_integrity(&m, kb(key), strlen(key)), 0);
  m = parse_ok(error401, sizeof error401);
  ASSERT(!braid_stun_msg_has_integrity(&m));
  ASSERT_EQ(braid_stun_msg_check_integrity(&m, kb(key), strlen(key)), BRAID_EMISSING);
  ASSERT_EQ(braid_stun_msg_check_fingerprint(&m), 0);

  /* 400 on another method keeps the method; unknown codes have no phrase. */
  ASSERT_EQ(braid_stun_msg_build_error_response(out, sizeof out, 0x003, tid, 400, NULL, 0, &n), 0);
  m = parse_ok(out, n);
  ASSERT_EQ(m.method, 0x003);
  ASSERT_EQ(braid_stun_msg_error_code(&m, &code, &reason), 0);
  ASSERT_EQ(code, 400);
  assert_str(reason, "Bad Request");
  ASSERT_EQ(braid_stun_msg_build_error_response(out, sizeof out, 1, tid, 699, NULL, 0, &n), 0);
  m = parse_ok(out, n);
  ASSERT_EQ(braid_stun_msg_error_code(&m, &code, &reason), 0);
  ASSERT_EQ(code, 699);
  ASSERT_EQ(reason.len, 0);
  ASSERT_EQ(braid_stun_msg_build_error_response(out, sizeof out, 1, tid, 299, NULL, 0, &n),
            BRAID_EINVAL);
  ASSERT_EQ(braid_stun_msg_build_error_response(out, sizeof out, 1, tid, 700, NULL, 0, &n),
            BRAID_EINVAL);
  for (size_t cap = 0; cap < sizeof error487; cap++)
    ASSERT_EQ(braid_stun_msg_build_error_response(out, cap, 1, tid, 487, kb(key), 3, &n),
              BRAID_ETOOBIG);
}

BRAID_TEST(every_truncation) {
  const struct {
    const uint8_t *p;
    size_t n;
  } vecs[] = {{rfc_request, sizeof rfc_request},     {rfc_response4, sizeof rfc_response4},
              {rfc_response6, sizeof rfc_response6}, {browser_request, sizeof browser_request},
              {error401, sizeof error401},           {error487, sizeof error487}};
  for (size_t v = 0; v < sizeof vecs / sizeof vecs[0]; v++) {
    for (size_t n = 0; n < vecs[v].n; n++) {
      /* A copy of exactly n bytes, so ASan sees any read past the end. */
      uint8_t *cut = malloc(n ? n : 1);
      memcpy(cut, vecs[v].p, n);
      ASSERT_EQ(parse_rc(cut, n), BRAID_ETRUNC);
      free(cut);
    }
  }
}

/* Parses a copy of rfc_request with one byte changed. */
static int parse_patched(size_t off, uint8_t value) {
  uint8_t b[sizeof rfc_request];
  memcpy(b, rfc_request, sizeof b);
  b[off] = value;
  return parse_rc(b, sizeof b);
}

BRAID_TEST(header_corruptions) {
  ASSERT_EQ(parse_patched(0, 0x80), BRAID_EVERSION); /* top bit of the type */
  ASSERT_EQ(parse_patched(0, 0x40), BRAID_EVERSION);
  ASSERT_EQ(parse_patched(4, 0x22), BRAID_EVERSION); /* magic cookie */
  ASSERT_EQ(parse_patched(7, 0x43), BRAID_EVERSION);
  ASSERT_EQ(parse_patched(3, 0x57), BRAID_EMALFORMED); /* length not a multiple of 4 */
  ASSERT_EQ(parse_patched(3, 0x54), BRAID_EMALFORMED); /* length shorter than the bytes */
  ASSERT_EQ(parse_patched(3, 0x5c), BRAID_ETRUNC);     /* length longer than the bytes */
  uint8_t big[sizeof rfc_request + 4];
  memcpy(big, rfc_request, sizeof rfc_request);
  memset(big + sizeof rfc_request, 0, 4);
  ASSERT_EQ(parse_rc(big, sizeof big), BRAID_EMALFORMED); /* trailing bytes */
  /* An RFC 3489 message (no magic cookie) of the right length. */
  static const uint8_t classic[20] = {0x00, 0x01, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef};
  ASSERT_EQ(parse_rc(classic, sizeof classic), BRAID_EVERSION);
  /* The smallest message: a header. */
  static const uint8_t empty[20] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42};
  braid_stun_msg_t m = parse_ok(empty, sizeof empty);
  ASSERT_EQ(m.n_attrs, 0);
  ASSERT_EQ(braid_stun_msg_check_fingerprint(&m), BRAID_EMISSING);
  ASSERT_EQ(braid_stun_msg_check_integrity(&m, kb(key), 4), BRAID_EMISSING);
  ASSERT(braid_stun_msg_is_stun(empty, sizeof empty));
  ASSERT(!braid_stun_msg_is_stun(empty, 19));
  ASSERT(!braid_stun_msg_is_stun(classic, sizeof classic));
  /* Above the largest possible message. */
  size_t huge = BRAID_STUN_MAX_LEN + 1;
  uint8_t *h = calloc(1, huge);
  memcpy(h, empty, sizeof empty);
  ASSERT_EQ(parse_rc(h, huge), BRAID_ETOOBIG);
  /* The largest: one unknown attribute of 65528 bytes. */
  h[2] = 0xff, h[3] = 0xfc;
  h[20] = 0x7f, h[21] = 0xff, h[22] = 0xff, h[23] = 0xf8;
  m = parse_ok(h, BRAID_STUN_MAX_LEN);
  ASSERT_EQ(m.n_attrs, 1);
  free(h);
}

/* A message of the given attribute bytes after a Binding request header. */
static int parse_attrs(const uint8_t *attrs, size_t n) {
  uint8_t b[256] = {
      0x00, 0x01, 0x00, 0x00, /* Binding request, length set below */
      0x21, 0x12, 0xa4, 0x42, /* magic cookie */
      1,    2,    3,    4,    /* transaction id */
      5,    6,    7,    8,    /*   ... */
      9,    10,   11,   12,   /*   ... */
  };
  ASSERT(n <= sizeof b - 20);
  b[2] = (uint8_t)(n >> 8);
  b[3] = (uint8_t)n;
  memcpy(b + 20, attrs, n);
  return parse_rc(b, 20 + n);
}

BRAID_TEST(attribute_corruptions) {
  /* Overruns. */
  static const uint8_t over[] = {0x80, 0x22, 0x00, 0x05, 'a', 'b', 'c', 'd'}; /* 5 padded to 8 */
  ASSERT_EQ(parse_attrs(over, sizeof over), BRAID_ETRUNC);
  static const uint8_t over2[] = {0x80, 0x22, 0x00, 0x08, 'a', 'b', 'c', 'd'};
  ASSERT_EQ(parse_attrs(over2, sizeof over2), BRAID_ETRUNC);
  /* Known attributes with bad lengths or values. */
  static const uint8_t prio3[] = {0x00, 0x24, 0x00, 0x03, 1, 2, 3, 0};
  ASSERT_EQ(parse_attrs(prio3, sizeof prio3), BRAID_EMALFORMED);
  static const uint8_t usecand[] = {0x00, 0x25, 0x00, 0x04, 0, 0, 0, 0};
  ASSERT_EQ(parse_attrs(usecand, sizeof usecand), BRAID_EMALFORMED);
  static const uint8_t ctl4[] = {0x80, 0x2a, 0x00, 0x04, 0, 0, 0, 0};
  ASSERT_EQ(parse_attrs(ctl4, sizeof ctl4), BRAID_EMALFORMED);
  static const uint8_t ctd4[] = {0x80, 0x29, 0x00, 0x04, 0, 0, 0, 0};
  ASSERT_EQ(parse_attrs(ctd4, sizeof ctd4), BRAID_EMALFORMED);
  static const uint8_t nom2[] = {0xc0, 0x01, 0x00, 0x02, 0, 1, 0, 0};
  ASSERT_EQ(parse_attrs(nom2, sizeof nom2), BRAID_EMALFORMED);
  static const uint8_t mi16[20] = {0x00, 0x08, 0x00, 0x10};
  ASSERT_EQ(parse_attrs(mi16, sizeof mi16), BRAID_EMALFORMED);
  static const uint8_t fp8[12] = {0x80, 0x28, 0x00, 0x08};
  ASSERT_EQ(parse_attrs(fp8, sizeof fp8), BRAID_EMALFORMED);
  static const uint8_t sha12[16] = {0x00, 0x1c, 0x00, 0x0c};
  ASSERT_EQ(parse_attrs(sha12, sizeof sha12), BRAID_EMALFORMED);
  static const uint8_t xfam3[12] = {0x00, 0x20, 0x00, 0x08, 0x00, 0x03};
  ASSERT_EQ(parse_attrs(xfam3, sizeof xfam3), BRAID_EMALFORMED);
  static const uint8_t x4long[24] = {0x00, 0x20, 0x00, 0x14, 0x00, 0x01};
  ASSERT_EQ(parse_attrs(x4long, sizeof x4long), BRAID_EMALFORMED);
  static const uint8_t x6short[12] = {0x00, 0x20, 0x00, 0x08, 0x00, 0x02};
  ASSERT_EQ(parse_attrs(x6short, sizeof x6short), BRAID_EMALFORMED);
  static const uint8_t xtiny[4] = {0x00, 0x20, 0x00, 0x00};
  ASSERT_EQ(parse_attrs(xtiny, sizeof xtiny), BRAID_EMALFORMED);
  static const uint8_t ecls2[8] = {0x00, 0x09, 0x00, 0x04, 0, 0, 2, 0};
  ASSERT_EQ(parse_attrs(ecls2, sizeof ecls2), BRAID_EMALFORMED);
  static const uint8_t ecls7[8] = {0x00, 0x09, 0x00, 0x04, 0, 0, 7, 0};
  ASSERT_EQ(parse_attrs(ecls7, sizeof ecls7), BRAID_EMALFORMED);
  static const uint8_t enum100[8] = {0x00, 0x09, 0x00, 0x04, 0, 0, 4, 100};
  ASSERT_EQ(parse_attrs(enum100, sizeof enum100), BRAID_EMALFORMED);
  static const uint8_t eshort[4] = {0x00, 0x09, 0x00, 0x00};
  ASSERT_EQ(parse_attrs(eshort, sizeof eshort), BRAID_EMALFORMED);
  /* Reserved bits are ignored. */
  static const uint8_t eok[8] = {0x00, 0x09, 0x00, 0x04, 0xff, 0xff, 0xf6, 99};
  ASSERT_EQ(parse_attrs(eok, sizeof eok), 0);

  /* A USERNAME of 512 bytes is the most allowed. */
  uint8_t b[20 + 4 + 516] = {0x00, 0x01, 0x02, 0x04, 0x21, 0x12, 0xa4, 0x42};
  b[20] = 0x00, b[21] = 0x06, b[22] = 0x02, b[23] = 0x00; /* USERNAME, 512 bytes */
  ASSERT_EQ(parse_rc(b, 20 + 4 + 512), 0);
  b[3] = 0x08, b[23] = 0x01; /* 513 bytes, padded to 516 */
  ASSERT_EQ(parse_rc(b, sizeof b), BRAID_EMALFORMED);
}

BRAID_TEST(attribute_order) {
  /* FINGERPRINT must be last. */
  static const uint8_t after_fp[] = {0x80, 0x28, 0x00, 0x04, 0, 0, 0, 0, 0x80, 0x22, 0x00, 0x00};
  ASSERT_EQ(parse_attrs(after_fp, sizeof after_fp), BRAID_EMALFORMED);
  static const uint8_t two_fp[] = {0x80, 0x28, 0x00, 0x04, 0, 0, 0, 0,
                                   0x80, 0x28, 0x00, 0x04, 0, 0, 0, 0};
  ASSERT_EQ(parse_attrs(two_fp, sizeof two_fp), BRAID_EMALFORMED);
  /* After MESSAGE-INTEGRITY: only -SHA256 and FINGERPRINT. */
  uint8_t mi[48] = {0x00, 0x08, 0x00, 0x14};
  mi[24] = 0x00, mi[25] = 0x06, mi[26] = 0x00, mi[27] = 0x04; /* USERNAME */
  ASSERT_EQ(parse_attrs(mi, 32), BRAID_EMALFORMED);
  mi[24] = 0x00, mi[25] = 0x08, mi[26] = 0x00, mi[27] = 0x14; /* a second MESSAGE-INTEGRITY */
  ASSERT_EQ(parse_attrs(mi, 48), BRAID_EMALFORMED);
  mi[24] = 0x80, mi[25] = 0x28, mi[26] = 0x00, mi[27] = 0x04; /* FINGERPRINT */
  ASSERT_EQ(parse_attrs(mi, 32), 0);
  uint8_t sha[24 + 20 + 8 + 8] = {0x00, 0x08, 0x00, 0x14};
  sha[24] = 0x00, sha[25] = 0x1c, sha[26] = 0x00, sha[27] = 0x10; /* MI-SHA256, 16 bytes */
  ASSERT_EQ(parse_attrs(sha, 44), 0);
  sha[44] = 0x80, sha[45] = 0x28, sha[46] = 0x00, sha[47] = 0x04; /* then FINGERPRINT */
  ASSERT_EQ(parse_attrs(sha, 52), 0);
  sha[44] = 0x00, sha[45] = 0x24; /* then PRIORITY */
  ASSERT_EQ(parse_attrs(sha, 52), BRAID_EMALFORMED);
  /* Unknown attributes of both ranges are kept, duplicates too (the first
   * one counts). */
  static const uint8_t dup[] = {
      0x00, 0x24, 0x00, 0x04, /* PRIORITY, 4 bytes */
      0x00, 0x00, 0x00, 0x01, /*   1 */
      0x00, 0x24, 0x00, 0x04, /* PRIORITY again */
      0x00, 0x00, 0x00, 0x02, /*   2 (ignored) */
      0x7f, 0xff, 0x00, 0x00, /* unknown comprehension-required, empty */
      0xff, 0xff, 0x00, 0x01, /* unknown comprehension-optional, 1 byte */
      0x09, 0x00, 0x00, 0x00, /*   value and padding */
  };
  uint8_t b[20 + sizeof dup] = {0x00, 0x01, 0x00, sizeof dup, 0x21, 0x12, 0xa4, 0x42};
  memcpy(b + 20, dup, sizeof dup);
  braid_stun_msg_t m = parse_ok(b, sizeof b);
  ASSERT_EQ(m.n_attrs, 4);
  uint32_t prio;
  ASSERT_EQ(braid_stun_msg_priority(&m, &prio), 0);
  ASSERT_EQ(prio, 1);
}

BRAID_TEST(any_flip_is_caught) {
  /* A bit flipped anywhere in a message is refused by the parser or found
   * by the FINGERPRINT check; and never changes a message whose integrity
   * still verifies. */
  uint8_t b[sizeof browser_request];
  for (size_t i = 0; i < sizeof b; i++) {
    for (int bit = 0; bit < 8; bit++) {
      memcpy(b, browser_request, sizeof b);
      b[i] ^= (uint8_t)(1u << bit);
      braid_stun_msg_t m;
      if (braid_stun_msg_parse(&m, b, sizeof b, NULL) != 0) continue;
      ASSERT_NE(braid_stun_msg_check_fingerprint(&m), 0);
      if (i < m.off_integrity + 24u && braid_stun_msg_has_integrity(&m))
        ASSERT_NE(braid_stun_msg_check_integrity(&m, kb(key), strlen(key)), 0);
    }
  }
}

BRAID_TEST(writer) {
  uint8_t out[64];
  braid_stun_writer_t w;
  ASSERT_EQ(braid_stun_writer_init(&w, out, 19, 1, 0, tid), BRAID_ETOOBIG);
  ASSERT_EQ(braid_stun_writer_init(&w, out, 28, 1, BRAID_STUN_CLASS_INDICATION, tid), 0);
  ASSERT_EQ(w.len, 20);
  ASSERT_EQ(out[0], 0x00);
  ASSERT_EQ(out[1], 0x11); /* Binding indication */
  /* 12 bytes do not fit in the 8 left. */
  ASSERT_EQ(braid_stun_writer_attr(&w, 0x8022, "abcde", 5), BRAID_ETOOBIG);
  ASSERT_EQ(w.len, 20);
  ASSERT_EQ(out[3], 0);
  ASSERT_EQ(braid_stun_writer_attr(&w, 0x8022, "abc", 3), 0);
  ASSERT_EQ(w.len, 28);
  ASSERT_EQ(out[3], 8);
  ASSERT_EQ(out[27], 0); /* padding */
  ASSERT_EQ(braid_stun_writer_fingerprint(&w), BRAID_ETOOBIG);
  ASSERT_EQ(braid_stun_writer_integrity(&w, kb(key), 4), BRAID_ETOOBIG);
  ASSERT_EQ(w.len, 28);
  ASSERT_EQ(out[3], 8);
  ASSERT_EQ(braid_stun_writer_attr(&w, 0x8022, NULL, 70000), BRAID_EINVAL);
  braid_str_t long_reason = {"x", BRAID_STUN_TEXT_MAX + 1};
  ASSERT_EQ(braid_stun_writer_error_code(&w, 400, long_reason), BRAID_EINVAL);
  braid_stun_msg_t m = parse_ok(out, w.len);
  ASSERT_EQ(m.cls, BRAID_STUN_CLASS_INDICATION);
  braid_str_t s;
  ASSERT_EQ(braid_stun_msg_software(&m, &s), 0);
  assert_str(s, "abc");
}

BRAID_TEST(type_bits) {
  /* Every method and class survive the interleaving. */
  for (uint16_t method = 0; method < 0x1000; method++) {
    for (uint8_t cls = 0; cls < 4; cls++) {
      uint16_t t = braid_stun_msg_type(method, cls);
      ASSERT_EQ(t & 0xC000, 0);
      ASSERT_EQ(braid_stun_msg_type_method(t), method);
      ASSERT_EQ(braid_stun_msg_type_class(t), cls);
    }
  }
  ASSERT_EQ(braid_stun_msg_type(1, BRAID_STUN_CLASS_REQUEST), 0x0001);
  ASSERT_EQ(braid_stun_msg_type(1, BRAID_STUN_CLASS_INDICATION), 0x0011);
  ASSERT_EQ(braid_stun_msg_type(1, BRAID_STUN_CLASS_SUCCESS), 0x0101);
  ASSERT_EQ(braid_stun_msg_type(1, BRAID_STUN_CLASS_ERROR), 0x0111);
}

BRAID_TEST(crc32) {
  ASSERT_EQ(braid_stun_msg_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
  ASSERT_EQ(braid_stun_msg_crc32(0, NULL, 0), 0);
  uint32_t part = braid_stun_msg_crc32(0, (const uint8_t *)"1234", 4);
  ASSERT_EQ(braid_stun_msg_crc32(part, (const uint8_t *)"56789", 5), 0xCBF43926u);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(rfc5769_request)
    BRAID_TEST_ENTRY(rfc5769_request_rebuilt)
    BRAID_TEST_ENTRY(rfc5769_response_ipv4)
    BRAID_TEST_ENTRY(rfc5769_response_ipv6)
    BRAID_TEST_ENTRY(browser_request)
    BRAID_TEST_ENTRY(build_success)
    BRAID_TEST_ENTRY(build_errors)
    BRAID_TEST_ENTRY(every_truncation)
    BRAID_TEST_ENTRY(header_corruptions)
    BRAID_TEST_ENTRY(attribute_corruptions)
    BRAID_TEST_ENTRY(attribute_order)
    BRAID_TEST_ENTRY(any_flip_is_caught)
    BRAID_TEST_ENTRY(writer)
    BRAID_TEST_ENTRY(type_bits)
    BRAID_TEST_ENTRY(crc32)
)
/* clang-format on */
