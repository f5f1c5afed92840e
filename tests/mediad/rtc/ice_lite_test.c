/* Unit tests of mediad/rtc/ice_lite.c, driven by crafted Binding requests
 * and a fake clock: credentials, connection and nomination, renomination,
 * refusals (400, 401, 487, silent drops), the single-port ufrag lookup and
 * the tuple helpers. Consent, restart, the tuple set, callback contracts
 * and close are in ice_lite_consent_test.c; the shared helpers in
 * ice_lite_harness.h. */
#include "tests/mediad/rtc/ice_lite_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>

/* --- Tests. --- */

BRAID_TEST(credentials) {
  braid_ice_lite_opts_t o = {{0}, {0}, 0};
  braid_ice_lite_t *a, *b;
  ASSERT_EQ(braid_ice_lite_new(&a, &o, NULL, NULL), 0);
  ASSERT_EQ(braid_ice_lite_new(&b, &o, NULL, NULL), 0);
  braid_str_t u = braid_ice_lite_ufrag(a), p = braid_ice_lite_pwd(a);
  ASSERT_EQ(u.len, 32);
  ASSERT_EQ(p.len, 32);
  for (size_t i = 0; i < 32; i++) {
    ASSERT((u.p[i] >= '0' && u.p[i] <= '9') || (u.p[i] >= 'a' && u.p[i] <= 'z'));
    ASSERT((p.p[i] >= '0' && p.p[i] <= '9') || (p.p[i] >= 'a' && p.p[i] <= 'z'));
  }
  ASSERT(memcmp(u.p, braid_ice_lite_ufrag(b).p, 32) != 0);
  ASSERT_EQ(braid_ice_lite_state(a), BRAID_ICE_STATE_NEW);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(a), -1);
  ASSERT(braid_ice_lite_selected_tuple(a) == NULL);
  braid_ice_lite_free(a);
  braid_ice_lite_free(b);
  braid_ice_lite_free(NULL);

  braid_ice_lite_t *c = NULL;
  o = (braid_ice_lite_opts_t){BRAID_STR_LIT("abc"), {0}, 0}; /* too short */
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), BRAID_EINVAL);
  o = (braid_ice_lite_opts_t){BRAID_STR_LIT("ab:cd"), {0}, 0}; /* not an ice-char */
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), BRAID_EINVAL);
  o = (braid_ice_lite_opts_t){{0}, BRAID_STR_LIT("short+/password"), 0};
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), BRAID_EINVAL);
  o = (braid_ice_lite_opts_t){BRAID_STR_LIT("a+/B"), BRAID_STR_LIT("0123456789+/ABCDEFGHIJ"), 0};
  ASSERT_EQ(braid_ice_lite_new(&c, &o, NULL, NULL), 0);
  ASSERT(braid_str_eq(braid_ice_lite_ufrag(c), "a+/B"));
  braid_ice_lite_free(c);
}

BRAID_TEST(connect_then_nominate) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 50000);
  req_t q = check(UFRAG, PWD);
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &a, 1000, &resp), BRAID_ICE_LITE_VALID);
  /* The response: success, our address of the peer, signed with our pwd. */
  ASSERT_EQ(resp.cls, BRAID_STUN_CLASS_SUCCESS);
  braid_stun_addr_t mapped;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&resp, &mapped), 0);
  ASSERT_MEM_EQ(&mapped, &a.remote, sizeof mapped);
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)PWD, strlen(PWD)), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT_EQ(r.n, 3);
  expect(&r, 0, EV_ADDED);
  expect(&r, 1, EV_SELECTED);
  ASSERT(braid_ice_lite_tuple_eq(&r.ev[1].tuple, &a));
  expect(&r, 2, EV_STATE);
  ASSERT_EQ(r.ev[2].state, BRAID_ICE_STATE_CONNECTED);
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &a));
  braid_ice_tuple_t other = udp4(11, 50000);
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &other));

  /* The same check again changes nothing. */
  ASSERT_EQ(send_req(ice, &q, &a, 1100, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(r.n, 3);
  /* USE-CANDIDATE on the selected tuple completes. */
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &a, 1200, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT_EQ(r.n, 4);
  expect(&r, 3, EV_STATE);
  ASSERT_EQ(r.ev[3].state, BRAID_ICE_STATE_COMPLETED);
  const braid_ice_lite_stats_t *st = braid_ice_lite_stats(ice);
  ASSERT_EQ(st->rx_requests, 3);
  ASSERT_EQ(st->valid, 3);
  braid_ice_lite_free(ice);
}

BRAID_TEST(nominate_at_once_ipv6_tcp) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t t = {
      {BRAID_STUN_FAMILY_IPV6, 9, {0x20, 0x01, 0x0d, 0xb8}}, BRAID_ICE_PROTO_TCP, 42};
  t.remote.addr[15] = 5;
  req_t q = check(UFRAG, PWD);
  q.use_candidate = true;
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &t, 0, &resp), BRAID_ICE_LITE_VALID);
  braid_stun_addr_t mapped;
  ASSERT_EQ(braid_stun_msg_xor_mapped_address(&resp, &mapped), 0);
  ASSERT_MEM_EQ(&mapped, &t.remote, sizeof mapped);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT_EQ(r.n, 3);
  expect(&r, 0, EV_ADDED);
  expect(&r, 1, EV_SELECTED);
  expect(&r, 2, EV_STATE);
  ASSERT_EQ(r.ev[2].state, BRAID_ICE_STATE_COMPLETED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &t));
  braid_ice_lite_free(ice);
}

BRAID_TEST(renomination) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  req_t q = check(UFRAG, PWD);
  q.has_nomination = true;
  q.nomination = 1;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  /* Same value on another tuple: learnt, not selected. */
  ASSERT_EQ(send_req(ice, &q, &b, 10, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &b));
  /* A higher value moves the selection. */
  q.nomination = 2;
  size_t before = r.n;
  ASSERT_EQ(send_req(ice, &q, &b, 20, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  ASSERT_EQ(r.n, before + 1);
  expect(&r, before, EV_SELECTED);
  /* Not higher: ignored, even with USE-CANDIDATE. */
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &a, 30, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  /* USE-CANDIDATE without NOMINATION always wins (mediasoup). */
  q.has_nomination = false;
  ASSERT_EQ(send_req(ice, &q, &a, 40, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  /* The highest seen is still 2. */
  q.has_nomination = true;
  q.use_candidate = false;
  q.nomination = 2;
  ASSERT_EQ(send_req(ice, &q, &b, 50, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  q.nomination = 3;
  ASSERT_EQ(send_req(ice, &q, &b, 60, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  braid_ice_lite_free(ice);
}

BRAID_TEST(nomination_zero_in_new) {
  /* NOMINATION 0 does not beat the initial 0: the tuple is learnt only. */
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(11, 1000);
  req_t q = check(UFRAG, PWD);
  q.has_nomination = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_NEW);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &a));
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  /* A plain check then connects. */
  q.has_nomination = false;
  ASSERT_EQ(send_req(ice, &q, &b, 5, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  braid_ice_lite_free(ice);
}

BRAID_TEST(wrong_credentials) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  braid_stun_msg_t resp;
  req_t q = check(UFRAG, "wrongpassword0123456789abcdefghi");
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  ASSERT_EQ(error_code(&resp), 401);
  ASSERT(!braid_stun_msg_has_integrity(&resp)); /* nothing to sign with */
  q = check("otherufrag", PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  q.username = UFRAG; /* no ':' */
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  q.username = "localufrag0123456789abcdefghijk:x"; /* a prefix of ours */
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  /* mediasoup accepts an empty remote part. */
  q = check(UFRAG, PWD);
  q.username = "localufrag0123456789abcdefghijkl:";
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_stats(ice)->unauthorized, 4);
  braid_ice_lite_free(ice);
  /* Nothing was learnt from the refused checks. */
  ASSERT_EQ(r.n, 3);
}

BRAID_TEST(bad_requests) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  braid_stun_msg_t resp;
  req_t q = check(UFRAG, PWD);
  q.no_fingerprint = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  ASSERT_EQ(error_code(&resp), 400);
  q = check(UFRAG, PWD);
  q.priority = 0;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q.zero_priority = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q = check(UFRAG, PWD);
  q.username = NULL;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q = check(UFRAG, PWD);
  q.pwd = NULL;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  q = check(UFRAG, PWD);
  q.method = 0x003; /* Allocate */
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_BAD_REQUEST);
  ASSERT_EQ(resp.method, 0x003);
  ASSERT_EQ(error_code(&resp), 400);
  /* Silently dropped: a FINGERPRINT that does not match, indications and
   * responses. */
  q = check(UFRAG, PWD);
  q.bad_fingerprint = true;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  q = check(UFRAG, PWD);
  q.cls = BRAID_STUN_CLASS_INDICATION;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  q.cls = BRAID_STUN_CLASS_SUCCESS;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  q.cls = BRAID_STUN_CLASS_ERROR;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_IGNORED);
  const braid_ice_lite_stats_t *st = braid_ice_lite_stats(ice);
  ASSERT_EQ(st->bad_request, 6);
  ASSERT_EQ(st->ignored, 4);
  ASSERT_EQ(st->rx_requests, 7);
  ASSERT_EQ(r.n, 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_NEW);

  /* Usage errors. */
  uint8_t in[256], small[BRAID_ICE_LITE_REPLY_MAX - 1];
  q = check(UFRAG, PWD);
  size_t n = build(in, sizeof in, &q);
  braid_stun_msg_t msg;
  ASSERT_EQ(braid_stun_msg_parse(&msg, in, n, NULL), 0);
  braid_ice_lite_reply_t reply = {.buf = small, .cap = sizeof small};
  ASSERT_EQ(braid_ice_lite_receive(ice, &msg, &a, 0, &reply), BRAID_EINVAL);
  uint8_t out[BRAID_ICE_LITE_REPLY_MAX];
  reply = (braid_ice_lite_reply_t){.buf = out, .cap = sizeof out};
  braid_ice_tuple_t bad = a;
  bad.remote.family = 3;
  ASSERT_EQ(braid_ice_lite_receive(ice, &msg, &bad, 0, &reply), BRAID_EINVAL);
  bad = a;
  bad.proto = 9;
  ASSERT_EQ(braid_ice_lite_receive(ice, &msg, &bad, 0, &reply), BRAID_EINVAL);
  braid_ice_lite_free(ice);
}

BRAID_TEST(role_conflict) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  q.controlled = true;
  q.use_candidate = true;
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_ROLE_CONFLICT);
  ASSERT_EQ(error_code(&resp), 487);
  /* Authenticated, so the peer's stack accepts it and switches role. */
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)PWD, strlen(PWD)), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_NEW);
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &a));
  ASSERT_EQ(r.n, 0);
  /* A wrong password is refused before the role is looked at. */
  q.pwd = "wrongpassword0123456789abcdefghi";
  ASSERT_EQ(send_req(ice, &q, &a, 0, &resp), BRAID_ICE_LITE_UNAUTHORIZED);
  /* The peer switched: ICE-CONTROLLING works. */
  q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_stats(ice)->role_conflict, 1);
  braid_ice_lite_free(ice);
}

BRAID_TEST(request_ufrag) {
  uint8_t in[256];
  braid_str_t u;
  req_t q = check("9ivq", "pw");
  size_t n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), 0);
  ASSERT(braid_str_eq(u, "9ivq"));
  ASSERT(u.p == (const char *)in + 24); /* borrowed from the message */
  q.username = ":remote";
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMALFORMED);
  q.username = "nocolon";
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMALFORMED);
  q.username = "";
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMALFORMED);
  q.username = NULL;
  n = build(in, sizeof in, &q);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EMISSING);
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, 19, &u), BRAID_ETRUNC);
  in[4] ^= 1;
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), BRAID_EVERSION);
  /* The ufrag of a request that fails its integrity check is still given:
   * the transport judges the check. */
  q = check("abcd", "pw");
  n = build(in, sizeof in, &q);
  in[n - 12] ^= 0xff; /* inside MESSAGE-INTEGRITY */
  ASSERT_EQ(braid_ice_lite_request_ufrag(in, n, &u), 0);
  ASSERT(braid_str_eq(u, "abcd"));
}

BRAID_TEST(sockaddr) {
  struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(5004)};
  in.sin_addr.s_addr = htonl(0xc0a8010a); /* 192.168.1.10 */
  braid_ice_tuple_t t;
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, (struct sockaddr *)&in, sizeof in,
                                               BRAID_ICE_PROTO_UDP, 3),
            0);
  braid_ice_tuple_t want = udp4(10, 5004);
  want.cookie = 3;
  ASSERT(braid_ice_lite_tuple_eq(&t, &want));
  struct sockaddr_storage ss;
  socklen_t len = 0;
  ASSERT_EQ(braid_ice_lite_tuple_to_sockaddr(&t, &ss, &len), 0);
  ASSERT_EQ(len, sizeof in);
  ASSERT_MEM_EQ(&ss, &in, sizeof in);
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, (struct sockaddr *)&in, sizeof in - 1, 1, 0),
            BRAID_EINVAL);

  struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
  in6.sin6_addr.s6_addr[0] = 0x20, in6.sin6_addr.s6_addr[15] = 1;
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, (struct sockaddr *)&in6, sizeof in6,
                                               BRAID_ICE_PROTO_TCP, 9),
            0);
  ASSERT_EQ(t.remote.family, BRAID_STUN_FAMILY_IPV6);
  ASSERT_EQ(t.remote.port, 443);
  ASSERT_EQ(t.remote.addr[0], 0x20);
  ASSERT_EQ(t.remote.addr[15], 1);
  ASSERT_EQ(t.proto, BRAID_ICE_PROTO_TCP);
  ASSERT_EQ(braid_ice_lite_tuple_to_sockaddr(&t, &ss, &len), 0);
  ASSERT_EQ(len, sizeof in6);
  ASSERT_MEM_EQ(&ss, &in6, sizeof in6);
  struct sockaddr un = {.sa_family = AF_UNIX};
  ASSERT_EQ(braid_ice_lite_tuple_from_sockaddr(&t, &un, sizeof un, 1, 0), BRAID_EINVAL);
  t.remote.family = 9;
  ASSERT_EQ(braid_ice_lite_tuple_to_sockaddr(&t, &ss, &len), BRAID_EINVAL);
}

BRAID_TEST(tuple_eq) {
  braid_ice_tuple_t a = udp4(1, 5000), b = a;
  ASSERT(braid_ice_lite_tuple_eq(&a, &b));
  b.remote.addr[8] = 9; /* beyond an IPv4 address: ignored */
  ASSERT(braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.cookie = 1;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.proto = BRAID_ICE_PROTO_TCP;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.remote.port = 5001;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.remote.addr[3] = 2;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  b = a, b.remote.family = BRAID_STUN_FAMILY_IPV6;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
  a.remote.family = BRAID_STUN_FAMILY_IPV6;
  b = a, b.remote.addr[15] = 1;
  ASSERT(!braid_ice_lite_tuple_eq(&a, &b));
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(credentials)
    BRAID_TEST_ENTRY(connect_then_nominate)
    BRAID_TEST_ENTRY(nominate_at_once_ipv6_tcp)
    BRAID_TEST_ENTRY(renomination)
    BRAID_TEST_ENTRY(nomination_zero_in_new)
    BRAID_TEST_ENTRY(wrong_credentials)
    BRAID_TEST_ENTRY(bad_requests)
    BRAID_TEST_ENTRY(role_conflict)
    BRAID_TEST_ENTRY(request_ufrag)
    BRAID_TEST_ENTRY(sockaddr)
    BRAID_TEST_ENTRY(tuple_eq)
)
/* clang-format on */
