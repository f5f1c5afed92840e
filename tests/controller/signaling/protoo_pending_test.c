/*
 * Tests of controller/signaling/protoo_pending.c on a real libuv loop:
 * ids, response matching (ok and error), the deadline, the limit, unknown
 * and malformed ids, and freeing with requests still waiting.
 */
#include "controller/signaling/protoo_pending.h"

#include "common/err.h"
#include "common/limits.h"
#include "tests/test.h"

typedef struct result {
  int calls;
  int err;
  bool ok;
  int code;
  char reason[64];
} result_t;

static void on_end(int err, const braid_protoo_msg_t *res, void *ud) {
  result_t *r = ud;
  r->calls++;
  r->err = err;
  if (res != NULL) {
    r->ok = res->ok;
    r->code = res->error_code;
    snprintf(r->reason, sizeof r->reason, "%s", res->ok ? "" : res->error_reason);
  }
}

/* Feeds text as the client's message. */
static int respond(braid_protoo_pending_t *t, const char *text) {
  braid_protoo_msg_t msg;
  ASSERT_EQ(braid_protoo_parse(&msg, text, strlen(text), NULL), 0);
  int rc = braid_protoo_pending_on_response(t, &msg);
  braid_protoo_msg_cleanup(&msg);
  return rc;
}

static void run_and_close(uv_loop_t *loop) {
  uv_run(loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(loop), 0);
}

BRAID_TEST(responses_match_ids) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_protoo_pending_t *t = braid_protoo_pending_new(&loop, 60000);
  result_t a = {0}, b = {0};
  long long ida = braid_protoo_pending_add(t, on_end, &a);
  long long idb = braid_protoo_pending_add(t, on_end, &b);
  ASSERT(ida >= 1 && idb >= 1 && ida != idb);
  ASSERT_EQ(braid_protoo_pending_count(t), 2);
  char text[160];
  snprintf(text, sizeof text,
           "{\"response\":true,\"id\":%lld,\"ok\":false,\"errorCode\":403,"
           "\"errorReason\":\"I do not want to consume\"}",
           idb);
  ASSERT_EQ(respond(t, text), 0);
  ASSERT(b.calls == 1 && b.err == 0 && !b.ok && b.code == 403);
  ASSERT_STR_EQ(b.reason, "I do not want to consume");
  ASSERT_EQ(respond(t, text), BRAID_ENOTFOUND); /* answered already */
  ASSERT_EQ(b.calls, 1);
  snprintf(text, sizeof text, "{\"response\":true,\"id\":%lld,\"ok\":true,\"data\":{}}", ida);
  ASSERT_EQ(respond(t, text), 0);
  ASSERT(a.calls == 1 && a.err == 0 && a.ok);
  ASSERT_EQ(braid_protoo_pending_count(t), 0);
  ASSERT_EQ(respond(t, "{\"response\":true,\"id\":987654,\"ok\":true}"), BRAID_ENOTFOUND);
  ASSERT_EQ(respond(t, "{\"response\":true,\"id\":1.5,\"ok\":true}"), BRAID_ENOTFOUND);
  ASSERT_EQ(respond(t, "{\"response\":true,\"id\":-1,\"ok\":true}"), BRAID_ENOTFOUND);
  ASSERT_EQ(respond(t, "{\"response\":true,\"id\":1e300,\"ok\":true}"), BRAID_ENOTFOUND);
  braid_protoo_pending_free(t);
  run_and_close(&loop);
}

BRAID_TEST(deadline) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_protoo_pending_t *t = braid_protoo_pending_new(&loop, 20);
  result_t a = {0};
  long long id = braid_protoo_pending_add(t, on_end, &a);
  ASSERT_EQ(a.calls, 0); /* never from inside add */
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT(a.calls == 1 && a.err == BRAID_ETIMEDOUT);
  char text[96];
  snprintf(text, sizeof text, "{\"response\":true,\"id\":%lld,\"ok\":true}", id);
  ASSERT_EQ(respond(t, text), BRAID_ENOTFOUND); /* too late */
  ASSERT_EQ(a.calls, 1);
  braid_protoo_pending_free(t);
  run_and_close(&loop);
}

BRAID_TEST(limit_and_free) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_protoo_pending_t *t = braid_protoo_pending_new(&loop, 60000);
  static result_t r[BRAID_PROTOO_MAX_PENDING + 1];
  for (int i = 0; i < BRAID_PROTOO_MAX_PENDING; i++)
    ASSERT(braid_protoo_pending_add(t, on_end, &r[i]) >= 1);
  result_t *over = &r[BRAID_PROTOO_MAX_PENDING];
  ASSERT_EQ(braid_protoo_pending_add(t, on_end, over), 0);
  ASSERT_EQ(over->calls, 0);
  uv_run(&loop, UV_RUN_NOWAIT);
  ASSERT(over->calls == 1 && over->err == BRAID_ELIMIT);
  ASSERT_EQ(braid_protoo_pending_count(t), BRAID_PROTOO_MAX_PENDING);
  braid_protoo_pending_free(t);
  for (int i = 0; i < BRAID_PROTOO_MAX_PENDING; i++)
    ASSERT(r[i].calls == 1 && r[i].err == BRAID_ECLOSED);
  run_and_close(&loop);
}

BRAID_TEST(refused_then_freed) {
  /* A refused request ends on its own timer even when the table is gone. */
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_protoo_pending_t *t = braid_protoo_pending_new(&loop, 60000);
  static result_t r[BRAID_PROTOO_MAX_PENDING + 1];
  for (int i = 0; i <= BRAID_PROTOO_MAX_PENDING; i++)
    braid_protoo_pending_add(t, on_end, &r[i]);
  braid_protoo_pending_free(t);
  ASSERT_EQ(r[BRAID_PROTOO_MAX_PENDING].calls, 0);
  run_and_close(&loop);
  ASSERT(r[BRAID_PROTOO_MAX_PENDING].calls == 1 && r[BRAID_PROTOO_MAX_PENDING].err == BRAID_ELIMIT);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(responses_match_ids) BRAID_TEST_ENTRY(deadline)
                    BRAID_TEST_ENTRY(limit_and_free) BRAID_TEST_ENTRY(refused_then_freed))
