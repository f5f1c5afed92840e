/* Unit tests of mediad/rtc/ice_lite.c over time, with a fake clock:
 * consent freshness and its settings, ICE restart and the retiring of old
 * credentials, the tuple limit, tuple removal and forced selection, the
 * callback contracts (stop, free and re-entry from a callback) and close.
 * Credentials, Binding checks and nomination are in ice_lite_test.c; the
 * shared helpers in ice_lite_harness.h. */
#include "tests/mediad/rtc/ice_lite_harness.h"

/* --- Tests. --- */

BRAID_TEST(consent_timeout) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  req_t q = check(UFRAG, PWD);
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &a, 1000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 31000);
  /* A check on the selected tuple refreshes consent; on another does not. */
  q.use_candidate = false;
  ASSERT_EQ(send_req(ice, &q, &a, 21000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 51000);
  ASSERT_EQ(send_req(ice, &q, &b, 40000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 51000);
  /* Too early: nothing. */
  ASSERT_EQ(braid_ice_lite_on_timeout(ice, 50999), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  size_t before = r.n;
  ASSERT_EQ(braid_ice_lite_on_timeout(ice, 51000), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_DISCONNECTED);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &a));
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &b));
  ASSERT(braid_ice_lite_tuple_at(ice, 0) == NULL);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  ASSERT_EQ(r.n, before + 3);
  expect(&r, before, EV_REMOVED);
  expect(&r, before + 1, EV_REMOVED);
  expect(&r, before + 2, EV_STATE);
  ASSERT_EQ(r.ev[before + 2].state, BRAID_ICE_STATE_DISCONNECTED);
  ASSERT_EQ(braid_ice_lite_stats(ice)->consent_expired, 1);
  /* A new check comes back. */
  ASSERT_EQ(send_req(ice, &q, &b, 60000, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 90000);
  braid_ice_lite_free(ice);
}

BRAID_TEST(consent_settings) {
  rec_t r = {0};
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  const struct {
    uint32_t s;
    int64_t want;
  } cases[] = {{0, -1}, {1, 10000}, {10, 10000}, {20, 20000}, {60, 60000}, {3600, 60000}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    braid_ice_lite_t *ice = agent(&r, cases[i].s);
    ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
    ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), cases[i].want);
    ASSERT_EQ(braid_ice_lite_on_timeout(ice, 1000000), 0);
    ASSERT_EQ(braid_ice_lite_state(ice),
              cases[i].s ? BRAID_ICE_STATE_DISCONNECTED : BRAID_ICE_STATE_CONNECTED);
    braid_ice_lite_free(ice);
    r.n = 0;
  }
}

BRAID_TEST(restart) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  req_t q = check(UFRAG, PWD);
  q.has_nomination = true;
  q.nomination = 5;
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);

  ASSERT_EQ(braid_ice_lite_restart(ice, (braid_str_t){0}, (braid_str_t){0}, 10000), 0);
  char ufrag2[64], pwd2[64];
  braid_str_t u = braid_ice_lite_ufrag(ice), p = braid_ice_lite_pwd(ice);
  ASSERT_EQ(u.len, 32);
  ASSERT(memcmp(u.p, UFRAG, 32) != 0);
  ASSERT(memcmp(p.p, PWD, 32) != 0);
  snprintf(ufrag2, sizeof ufrag2, "%.*s", (int)u.len, u.p);
  snprintf(pwd2, sizeof pwd2, "%.*s", (int)p.len, p.p);
  /* State, tuples and selection are kept; consent restarts from now. */
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 40000);

  /* The old credentials still work, answered with the old password. */
  q.has_nomination = false;
  braid_stun_msg_t resp;
  ASSERT_EQ(send_req(ice, &q, &a, 11000, &resp), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)PWD, strlen(PWD)), 0);
  /* The first check with the new ones retires the old; the nomination
   * count restarted, so NOMINATION 1 now wins. */
  size_t before = r.n;
  req_t q2 = check(ufrag2, pwd2);
  q2.has_nomination = true;
  q2.nomination = 1;
  ASSERT_EQ(send_req(ice, &q2, &b, 12000, &resp), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(braid_stun_msg_check_integrity(&resp, (const uint8_t *)pwd2, strlen(pwd2)), 0);
  expect(&r, before, EV_RETIRED);
  ASSERT_STR_EQ(r.ev[before].ufrag, UFRAG);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &b));
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &a)); /* kept */
  /* Now the old credentials are refused. */
  q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 13000, NULL), BRAID_ICE_LITE_UNAUTHORIZED);

  /* Two restarts in a row: the first one's old credentials are retired at
   * the second. */
  before = r.n;
  ASSERT_EQ(braid_ice_lite_restart(ice, BRAID_STR_LIT("ufragthree"),
                                   BRAID_STR_LIT("passwordthree0123456789"), 14000),
            0);
  ASSERT_EQ(r.n, before);
  ASSERT_EQ(braid_ice_lite_restart(ice, BRAID_STR_LIT("ufragfour"),
                                   BRAID_STR_LIT("passwordfour01234567890"), 15000),
            0);
  ASSERT_EQ(r.n, before + 1);
  expect(&r, before, EV_RETIRED);
  ASSERT_STR_EQ(r.ev[before].ufrag, ufrag2);
  ASSERT(braid_str_eq(braid_ice_lite_ufrag(ice), "ufragfour"));
  q = check("ufragthree", "passwordthree0123456789");
  ASSERT_EQ(send_req(ice, &q, &a, 16000, NULL), BRAID_ICE_LITE_VALID);
  q = check(ufrag2, pwd2);
  ASSERT_EQ(send_req(ice, &q, &a, 16000, NULL), BRAID_ICE_LITE_UNAUTHORIZED);
  ASSERT_EQ(braid_ice_lite_restart(ice, BRAID_STR_LIT("bad ufrag"), (braid_str_t){0}, 0),
            BRAID_EINVAL);
  ASSERT(braid_str_eq(braid_ice_lite_ufrag(ice), "ufragfour"));
  braid_ice_lite_free(ice);
}

BRAID_TEST(tuple_limit) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 0);
  req_t q = check(UFRAG, PWD);
  braid_ice_tuple_t t[BRAID_ICE_MAX_TUPLES + 2];
  for (int i = 0; i < BRAID_ICE_MAX_TUPLES + 2; i++) {
    t[i] = udp4((uint8_t)(i + 1), 4000);
    ASSERT_EQ(send_req(ice, &q, &t[i], i, NULL), BRAID_ICE_LITE_VALID);
  }
  /* The first is selected and kept; the next two oldest were evicted. */
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &t[0]));
  ASSERT(braid_ice_lite_is_valid_tuple(ice, &t[0]));
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &t[1]));
  ASSERT(!braid_ice_lite_is_valid_tuple(ice, &t[2]));
  for (int i = 3; i < BRAID_ICE_MAX_TUPLES + 2; i++)
    ASSERT(braid_ice_lite_is_valid_tuple(ice, &t[i]));
  ASSERT_EQ(braid_ice_lite_stats(ice)->tuples_evicted, 2);
  /* Listed newest first. */
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_tuple_at(ice, 0), &t[BRAID_ICE_MAX_TUPLES + 1]));
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_tuple_at(ice, BRAID_ICE_MAX_TUPLES - 1), &t[0]));
  ASSERT(braid_ice_lite_tuple_at(ice, BRAID_ICE_MAX_TUPLES) == NULL);
  size_t removed = 0;
  for (size_t i = 0; i < r.n; i++) {
    if (r.ev[i].kind != EV_REMOVED) continue;
    ASSERT(braid_ice_lite_tuple_eq(&r.ev[i].tuple, &t[1 + removed]));
    removed++;
  }
  ASSERT_EQ(removed, 2);
  braid_ice_lite_free(ice);
}

BRAID_TEST(remove_tuple) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000), c = udp4(30, 3000);
  c.proto = BRAID_ICE_PROTO_TCP;
  req_t q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &b, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  q.use_candidate = true;
  ASSERT_EQ(send_req(ice, &q, &c, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &c));
  braid_ice_tuple_t unknown = udp4(99, 1);
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &unknown, 0), BRAID_ENOTFOUND);
  /* Removing a non-selected tuple changes nothing else. */
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &b, 1000), 0);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &c));
  /* The selected TCP tuple closes: the remaining one takes over. */
  size_t before = r.n;
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &c, 2000), 0);
  expect(&r, before, EV_REMOVED);
  expect(&r, before + 1, EV_SELECTED);
  ASSERT(braid_ice_lite_tuple_eq(&r.ev[before + 1].tuple, &a));
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_COMPLETED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 32000);
  /* The last one goes: disconnected. */
  before = r.n;
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &a, 3000), 0);
  expect(&r, before, EV_REMOVED);
  expect(&r, before + 1, EV_STATE);
  ASSERT_EQ(r.ev[before + 1].state, BRAID_ICE_STATE_DISCONNECTED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  braid_ice_lite_free(ice);
}

BRAID_TEST(force_selected) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000), b = udp4(20, 2000);
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &a, 0), BRAID_ESTATE);
  req_t q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT_EQ(send_req(ice, &q, &b, 0, NULL), BRAID_ICE_LITE_VALID);
  ASSERT(braid_ice_lite_tuple_eq(braid_ice_lite_selected_tuple(ice), &a));
  braid_ice_tuple_t other = b;
  other.cookie = 8; /* same address on another socket */
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &other, 0), BRAID_ENOTFOUND);
  size_t before = r.n;
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &b, 5000), 0);
  ASSERT_EQ(r.n, before + 1);
  expect(&r, before, EV_SELECTED);
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), 35000);
  ASSERT_EQ(braid_ice_lite_force_selected_tuple(ice, &b, 6000), 0); /* already */
  ASSERT_EQ(r.n, before + 1);
  braid_ice_lite_free(ice);
}

BRAID_TEST(callback_stop) {
  rec_t r = {.stop_on = EV_SELECTED};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  braid_ice_lite_reply_t reply;
  ASSERT_EQ(receive_rc(ice, &q, &a, &reply), BRAID_ECLOSED);
  /* The reply is there, the state is complete, later callbacks were not made. */
  ASSERT_EQ(reply.verdict, BRAID_ICE_LITE_VALID);
  ASSERT(reply.len > 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CONNECTED);
  ASSERT_EQ(r.n, 2); /* added, selected; no state */
  /* The next call starts afresh. */
  r.stop_on = 0;
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &a, 0), 0);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_DISCONNECTED);
  braid_ice_lite_free(ice);
}

BRAID_TEST(callback_free_and_reenter) {
  rec_t r = {.free_on = EV_SELECTED, .reenter = true};
  braid_ice_lite_t *ice = agent(&r, 0);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  /* Freed inside on_selected_tuple: the call ends cleanly (ASan would see
   * a use after free). */
  braid_ice_lite_reply_t reply;
  ASSERT_EQ(receive_rc(ice, &q, &a, &reply), BRAID_ECLOSED);
  ASSERT_EQ(r.reenter_rc, BRAID_ESTATE);
  ASSERT_EQ(r.n, 2);
}

BRAID_TEST(closed) {
  rec_t r = {0};
  braid_ice_lite_t *ice = agent(&r, 30);
  braid_ice_tuple_t a = udp4(10, 1000);
  req_t q = check(UFRAG, PWD);
  ASSERT_EQ(send_req(ice, &q, &a, 0, NULL), BRAID_ICE_LITE_VALID);
  braid_ice_lite_close(ice);
  ASSERT_EQ(braid_ice_lite_state(ice), BRAID_ICE_STATE_CLOSED);
  ASSERT_STR_EQ(braid_ice_lite_state_name(braid_ice_lite_state(ice)), "closed");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_NEW), "new");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_CONNECTED), "connected");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_COMPLETED), "completed");
  ASSERT_STR_EQ(braid_ice_lite_state_name(BRAID_ICE_STATE_DISCONNECTED), "disconnected");
  ASSERT_EQ(braid_ice_lite_get_next_timeout(ice), -1);
  ASSERT(braid_ice_lite_selected_tuple(ice) == NULL);
  braid_ice_lite_reply_t reply;
  ASSERT_EQ(receive_rc(ice, &q, &a, &reply), BRAID_ECLOSED);
  ASSERT_EQ(braid_ice_lite_restart(ice, (braid_str_t){0}, (braid_str_t){0}, 0), BRAID_ECLOSED);
  ASSERT_EQ(braid_ice_lite_on_timeout(ice, 100000), BRAID_ECLOSED);
  ASSERT_EQ(braid_ice_lite_remove_tuple(ice, &a, 0), BRAID_ECLOSED);
  ASSERT_EQ(r.n, 3); /* close makes no callback */
  braid_ice_lite_free(ice);
}

/* clang-format off */
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(consent_timeout)
    BRAID_TEST_ENTRY(consent_settings)
    BRAID_TEST_ENTRY(restart)
    BRAID_TEST_ENTRY(tuple_limit)
    BRAID_TEST_ENTRY(remove_tuple)
    BRAID_TEST_ENTRY(force_selected)
    BRAID_TEST_ENTRY(callback_stop)
    BRAID_TEST_ENTRY(callback_free_and_reenter)
    BRAID_TEST_ENTRY(closed)
)
/* clang-format on */
