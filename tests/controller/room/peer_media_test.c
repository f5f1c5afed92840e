/*
 * Tests of controller/room/peer_media.c: a peer's transports, producers and
 * consumers, data producers and data consumers, the dedupe by producer, the limits, and that cleanup ends the
 * requests still waiting.
 */
#include "controller/room/peer_media.h"

#include "common/err.h"
#include "tests/test.h"

BRAID_TEST(transports) {
  braid_peer_media_t m;
  braid_peer_media_init(&m, uv_default_loop());
  ASSERT(braid_peer_media_consuming_transport(&m) == NULL);
  braid_peer_transport_t *send = braid_peer_media_add_transport(&m, "t1", "n1", "r1", false);
  ASSERT(send != NULL && !send->consuming && send->ortc.cname == NULL && send->ortc.next_mid == 0);
  ASSERT(braid_peer_media_consuming_transport(&m) == NULL);
  ASSERT(braid_peer_media_add_transport(&m, "t1", "n1", "r1", true) == NULL); /* taken */
  braid_peer_transport_t *recv = braid_peer_media_add_transport(&m, "t2", "n1", "r1", true);
  ASSERT(braid_peer_media_add_transport(&m, "t3", "n1", "r1", true) != NULL);
  ASSERT(braid_peer_media_consuming_transport(&m) == recv); /* the first consuming one */
  ASSERT(braid_peer_media_transport(&m, "t1") == send);
  ASSERT_STR_EQ(recv->node_id, "n1");
  ASSERT_STR_EQ(recv->router_id, "r1");
  recv->ortc.cname = json_string("kept until cleanup");
  char id[16];
  for (int i = 3; i < BRAID_PEER_MAX_TRANSPORTS; i++) {
    snprintf(id, sizeof id, "x%d", i);
    ASSERT(braid_peer_media_add_transport(&m, id, "n", "r", false) != NULL);
  }
  ASSERT(braid_peer_media_add_transport(&m, "one-too-many", "n", "r", false) == NULL);
  braid_peer_media_cleanup(&m);
}

BRAID_TEST(producers_and_consumers) {
  braid_peer_media_t m;
  braid_peer_media_init(&m, uv_default_loop());
  braid_peer_producer_t *p = braid_peer_media_add_producer(&m, "p1", "n1");
  ASSERT(p != NULL && !p->paused && braid_peer_media_producer(&m, "p1") == p);
  ASSERT(braid_peer_media_add_producer(&m, "p1", "n1") == NULL);
  braid_peer_media_remove_producer(&m, "p1");
  braid_peer_media_remove_producer(&m, "p1"); /* gone: a no-op */
  ASSERT(braid_peer_media_producer(&m, "p1") == NULL);

  braid_peer_consumer_t *c = braid_peer_media_add_consumer(&m, "c1", "pA", "t2", "n1");
  ASSERT(c != NULL && c->paused && !c->announced && !c->producer_paused);
  ASSERT(braid_peer_media_consumer(&m, "c1") == c);
  ASSERT(braid_peer_media_consumer_of(&m, "pA") == c);
  /* One consumer per producer: the join and producer.new paths race. */
  ASSERT(braid_peer_media_add_consumer(&m, "c2", "pA", "t2", "n1") == NULL);
  ASSERT(braid_peer_media_add_consumer(&m, "c1", "pB", "t2", "n1") == NULL);
  braid_peer_media_remove_consumer(&m, c);
  ASSERT(braid_peer_media_consumer(&m, "c1") == NULL &&
         braid_peer_media_consumer_of(&m, "pA") == NULL);
  ASSERT(braid_peer_media_add_consumer(&m, "c2", "pA", "t2", "n1") != NULL);
  char cid[24], pid[24];
  for (int i = 1; i < BRAID_PEER_MAX_CONSUMERS; i++) {
    snprintf(cid, sizeof cid, "c-%d", i);
    snprintf(pid, sizeof pid, "p-%d", i);
    ASSERT(braid_peer_media_add_consumer(&m, cid, pid, "t2", "n1") != NULL);
  }
  ASSERT(braid_peer_media_add_consumer(&m, "last", "p-last", "t2", "n1") == NULL);
  braid_peer_media_cleanup(&m);
}

static int ended, ended_err;

BRAID_TEST(data_producers_and_consumers) {
  braid_peer_media_t m;
  braid_peer_media_init(&m, uv_default_loop());
  braid_peer_data_producer_t *d = braid_peer_media_add_data_producer(&m, "dp1", "n1");
  ASSERT(d != NULL && braid_peer_media_data_producer(&m, "dp1") == d);
  ASSERT_STR_EQ(d->node_id, "n1");
  ASSERT(braid_peer_media_add_data_producer(&m, "dp1", "n1") == NULL);
  braid_peer_media_remove_data_producer(&m, "dp1");
  ASSERT(braid_peer_media_data_producer(&m, "dp1") == NULL);
  ASSERT(braid_peer_media_add_data_producer(&m, "dp2", "n1") != NULL); /* freed by cleanup */

  /* One data consumer per data producer: the join and data_producer.new
   * paths dedupe here. */
  braid_peer_data_consumer_t *c = braid_peer_media_add_data_consumer(&m, "dc1", "dpX", "t1", "n1");
  ASSERT(c != NULL && !c->announced);
  ASSERT(braid_peer_media_add_data_consumer(&m, "dc2", "dpX", "t1", "n1") == NULL);
  ASSERT(braid_peer_media_add_data_consumer(&m, "dc1", "dpY", "t1", "n1") == NULL);
  ASSERT(braid_peer_media_data_consumer(&m, "dc1") == c);
  ASSERT(braid_peer_media_data_consumer_of(&m, "dpX") == c);
  ASSERT_STR_EQ(c->transport_id, "t1");
  braid_peer_media_remove_data_consumer(&m, c);
  ASSERT(braid_peer_media_data_consumer(&m, "dc1") == NULL);
  ASSERT(braid_peer_media_data_consumer_of(&m, "dpX") == NULL);
  char id[16];
  for (int i = 0; i < BRAID_PEER_MAX_DATA_CONSUMERS; i++) {
    snprintf(id, sizeof id, "c%d", i);
    ASSERT(braid_peer_media_add_data_consumer(&m, id, id + 1, "t1", "n1") != NULL);
  }
  ASSERT(braid_peer_media_add_data_consumer(&m, "last", "dpZ", "t1", "n1") == NULL);
  braid_peer_media_cleanup(&m);
}

static void on_end(int err, const braid_protoo_msg_t *res, void *ud) {
  (void)res;
  ended++;
  ended_err = err;
  free(ud);
}

BRAID_TEST(cleanup_ends_waiting_requests) {
  braid_peer_media_t m;
  braid_peer_media_init(&m, uv_default_loop());
  ASSERT(braid_protoo_pending_add(m.pending, on_end, malloc(8)) >= 1);
  braid_peer_media_cleanup(&m);
  ASSERT(ended == 1 && ended_err == BRAID_ECLOSED);
  uv_run(uv_default_loop(), UV_RUN_DEFAULT); /* the timer handle closes */
  ASSERT_EQ(ended, 1);
  ASSERT_EQ(uv_loop_close(uv_default_loop()), 0);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(transports) BRAID_TEST_ENTRY(producers_and_consumers)
                    BRAID_TEST_ENTRY(data_producers_and_consumers)
                    BRAID_TEST_ENTRY(cleanup_ends_waiting_requests))
