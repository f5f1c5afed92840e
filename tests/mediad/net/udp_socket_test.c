#include "mediad/net/udp_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "common/err.h"
#include "tests/mediad/rtc/port_range.h"
#include "tests/test.h"

typedef struct echo {
  int received;
  size_t bytes;
  uint8_t last[64];
  size_t last_len;
} echo_t;

static void on_datagram(braid_udp_socket_t *s, uint8_t *data, size_t len, const struct sockaddr *from,
                        socklen_t fromlen, void *ud) {
  echo_t *e = ud;
  e->received++;
  e->bytes += len;
  e->last_len = len < sizeof e->last ? len : sizeof e->last;
  memcpy(e->last, data, e->last_len);
}

static const braid_udp_callbacks_t cbs = {on_datagram};

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  return a;
}

static void on_timer(uv_timer_t *t) { uv_stop(t->loop); }

/* Runs the loop until n datagrams arrived or 2 s passed. */
static void run_until(uv_loop_t *loop, echo_t *e, int n) {
  uv_timer_t t;
  uv_timer_init(loop, &t);
  uv_timer_start(&t, on_timer, 2000, 0);
  while (e->received < n && uv_run(loop, UV_RUN_ONCE) != 0 && uv_is_active((uv_handle_t *)&t)) {
  }
  uv_close((uv_handle_t *)&t, NULL);
  uv_run(loop, UV_RUN_NOWAIT);
}

BRAID_TEST(batched_send_and_receive) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  echo_t ea = {0}, eb = {0};
  braid_udp_socket_t *a, *b;
  ASSERT_EQ(braid_udp_socket_new(&a, &loop, "127.0.0.1", 0, &cbs, &ea), 0);
  ASSERT_EQ(braid_udp_socket_new(&b, &loop, "127.0.0.1", 0, &cbs, &eb), 0);
  ASSERT(braid_udp_socket_port(b) > 0);
  struct sockaddr_in to = loopback(braid_udp_socket_port(b));
  /* More than the ring holds: the ring flushes itself when full. */
  for (int i = 0; i < 600; i++) {
    size_t cap;
    uint8_t *slot = braid_udp_socket_slot(a, &cap);
    ASSERT(slot != NULL && cap >= BRAID_UDP_MAX_DATAGRAM);
    slot[0] = (uint8_t)i;
    memset(slot + 1, 0xab, 99);
    braid_udp_socket_commit(a, 100, (struct sockaddr *)&to, sizeof to);
  }
  run_until(&loop, &eb, 600);
  ASSERT_EQ(eb.received, 600);
  ASSERT_EQ(eb.bytes, 600 * 100);
  const braid_udp_stats_t *st = braid_udp_socket_stats(a);
  ASSERT_EQ(st->tx_datagrams, 600);
  ASSERT(st->tx_syscalls <= 4); /* batched: 256 + 256 + 88 */
  ASSERT_EQ(braid_udp_socket_stats(b)->rx_datagrams, 600);
  braid_udp_socket_close(a);
  braid_udp_socket_close(b);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST(oversize_and_bad_address) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  echo_t e = {0};
  braid_udp_socket_t *s;
  ASSERT_EQ(braid_udp_socket_new(&s, &loop, "not-an-ip", 0, &cbs, &e), BRAID_EINVAL);
  ASSERT_EQ(braid_udp_socket_new(&s, &loop, "127.0.0.1", 70000, &cbs, &e), BRAID_EINVAL);
  ASSERT_EQ(braid_udp_socket_new(&s, &loop, "127.0.0.1", 0, &cbs, &e), 0);
  struct sockaddr_in to = loopback(braid_udp_socket_port(s));
  static uint8_t big[BRAID_UDP_MAX_DATAGRAM + 1];
  ASSERT_EQ(braid_udp_socket_send(s, big, sizeof big, (struct sockaddr *)&to, sizeof to), BRAID_ETOOBIG);
  ASSERT_EQ(braid_udp_socket_send(s, "hi", 2, (struct sockaddr *)&to, sizeof to), 0);
  run_until(&loop, &e, 1);
  ASSERT_EQ(e.received, 1);
  ASSERT_MEM_EQ(e.last, "hi", 2);
  /* A datagram too large for our receive buffers is dropped and counted. */
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT(sendto(fd, big, sizeof big, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)sizeof big);
  ASSERT(sendto(fd, "ok", 2, 0, (struct sockaddr *)&to, sizeof to) == 2);
  run_until(&loop, &e, 2);
  ASSERT_EQ(e.received, 2);
  ASSERT_EQ(braid_udp_socket_stats(s)->rx_truncated, 1);
  close(fd);
  braid_udp_socket_close(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST(port_in_use) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_udp_socket_t *a, *b;
  ASSERT_EQ(braid_udp_socket_new(&a, &loop, "127.0.0.1", 0, &cbs, NULL), 0);
  ASSERT_EQ(braid_udp_socket_new(&b, &loop, "127.0.0.1", braid_udp_socket_port(a), &cbs, NULL),
            BRAID_ERR(EADDRINUSE));
  braid_udp_socket_close(a);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

/* A small ring sends everything too, flushing more often. */
BRAID_TEST(small_ring) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  echo_t eb = {0};
  braid_udp_socket_t *a, *b;
  ASSERT_EQ(braid_udp_socket_new_sized(&a, &loop, "127.0.0.1", 0, 0, &cbs, NULL), BRAID_EINVAL);
  ASSERT_EQ(braid_udp_socket_new_sized(&a, &loop, "127.0.0.1", 0, BRAID_UDP_TX_RING + 1, &cbs, NULL),
            BRAID_EINVAL);
  ASSERT_EQ(braid_udp_socket_new_sized(&a, &loop, "127.0.0.1", 0, BRAID_UDP_TX_RING_SMALL, &cbs,
                                       NULL),
            0);
  ASSERT_EQ(braid_udp_socket_new(&b, &loop, "127.0.0.1", 0, &cbs, &eb), 0);
  struct sockaddr_in to = loopback(braid_udp_socket_port(b));
  for (int i = 0; i < 100; i++) {
    size_t cap;
    uint8_t *slot = braid_udp_socket_slot(a, &cap);
    ASSERT(slot != NULL);
    memset(slot, i, 10);
    braid_udp_socket_commit(a, 10, (struct sockaddr *)&to, sizeof to);
  }
  run_until(&loop, &eb, 100);
  ASSERT_EQ(eb.received, 100);
  ASSERT_EQ(braid_udp_socket_stats(a)->tx_datagrams, 100);
  ASSERT_EQ(braid_udp_socket_stats(a)->tx_syscalls, 4); /* 32 + 32 + 32 + 4 */
  braid_udp_socket_close(a);
  braid_udp_socket_close(b);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

/* The first free port of a range; a taken port is skipped; a full range
 * is BRAID_ELIMIT. */
BRAID_TEST(first_free_port_in_range) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  int base = test_free_port_range(3);
  int held = test_hold_port(SOCK_DGRAM, base + 1);
  braid_udp_socket_t *a, *b, *c;
  ASSERT_EQ(braid_udp_socket_new_in_range(&a, &loop, "127.0.0.1", base, base + 2, 8, &cbs, NULL),
            0);
  ASSERT_EQ(braid_udp_socket_port(a), base);
  ASSERT_EQ(braid_udp_socket_new_in_range(&b, &loop, "127.0.0.1", base, base + 2, 8, &cbs, NULL),
            0);
  ASSERT_EQ(braid_udp_socket_port(b), base + 2);
  ASSERT_EQ(braid_udp_socket_new_in_range(&c, &loop, "127.0.0.1", base, base + 2, 8, &cbs, NULL),
            BRAID_ELIMIT);
  ASSERT_EQ(braid_udp_socket_new_in_range(&c, &loop, "127.0.0.1", base + 2, base, 8, &cbs, NULL),
            BRAID_EINVAL);
  ASSERT_EQ(braid_udp_socket_new_in_range(&c, &loop, "no-ip", base, base + 2, 8, &cbs, NULL),
            BRAID_EINVAL);
  close(held);
  braid_udp_socket_close(a);
  braid_udp_socket_close(b);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(batched_send_and_receive) BRAID_TEST_ENTRY(oversize_and_bad_address)
                    BRAID_TEST_ENTRY(port_in_use) BRAID_TEST_ENTRY(small_ring)
                    BRAID_TEST_ENTRY(first_free_port_in_range))
