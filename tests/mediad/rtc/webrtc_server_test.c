/*
 * Tests of mediad/rtc/webrtc_server.c's per-transport port mode:
 * braid_webrtc_server_new_in_range() binds the first port of a range free
 * for both UDP and TCP, skips a port where either is taken, says
 * BRAID_ELIMIT when none is left, and a freed server's port is free again
 * once the loop has turned. Real sockets on 127.0.0.1.
 */
#include "mediad/rtc/webrtc_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "tests/mediad/rtc/port_range.h"
#include "tests/test.h"

BRAID_TEST(skips_busy_ports_and_runs_out) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_mediad_t md = {.loop = &loop};
  int base = test_free_port_range(4);
  /* base: UDP taken; base + 1: TCP taken (UDP binds, then TCP fails). */
  int udp_fd = test_hold_port(SOCK_DGRAM, base);
  int tcp_fd = test_hold_port(SOCK_STREAM, base + 1);
  braid_webrtc_server_t *a, *b, *c;
  ASSERT_EQ(braid_webrtc_server_new_in_range(&a, &md, "127.0.0.1", base, base + 3), 0);
  ASSERT_EQ(braid_webrtc_server_port(a), base + 2);
  ASSERT_EQ(braid_webrtc_server_new_in_range(&b, &md, "127.0.0.1", base, base + 3), 0);
  ASSERT_EQ(braid_webrtc_server_port(b), base + 3);
  ASSERT_EQ(braid_webrtc_server_new_in_range(&c, &md, "127.0.0.1", base, base + 3), BRAID_ELIMIT);
  /* The same port for both protocols, as the candidates say. */
  ASSERT_EQ(test_try_port(SOCK_STREAM, base + 2), -1);
  ASSERT_EQ(test_try_port(SOCK_DGRAM, base + 2), -1);

  /* Freed: the port is back once libuv has closed the UDP handles. */
  braid_webrtc_server_free(a);
  uv_run(&loop, UV_RUN_NOWAIT);
  ASSERT_EQ(braid_webrtc_server_new_in_range(&c, &md, "127.0.0.1", base, base + 3), 0);
  ASSERT_EQ(braid_webrtc_server_port(c), base + 2);

  /* A held port let go is the first free one again. */
  close(udp_fd);
  ASSERT_EQ(braid_webrtc_server_new_in_range(&a, &md, "127.0.0.1", base, base + 3), 0);
  ASSERT_EQ(braid_webrtc_server_port(a), base);

  braid_webrtc_server_free(a);
  braid_webrtc_server_free(b);
  braid_webrtc_server_free(c);
  close(tcp_fd);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0); /* every handle closed */
}

BRAID_TEST(bad_arguments) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_mediad_t md = {.loop = &loop};
  braid_webrtc_server_t *s = NULL;
  ASSERT_EQ(braid_webrtc_server_new_in_range(&s, &md, "127.0.0.1", 0, 10), BRAID_EINVAL);
  ASSERT_EQ(braid_webrtc_server_new_in_range(&s, &md, "127.0.0.1", 20, 10), BRAID_EINVAL);
  ASSERT_EQ(braid_webrtc_server_new_in_range(&s, &md, "127.0.0.1", 1, 65536), BRAID_EINVAL);
  /* A bad address is not "every port is busy". */
  ASSERT_EQ(braid_webrtc_server_new_in_range(&s, &md, "not-an-ip", 20000, 20010), BRAID_EINVAL);
  ASSERT(s == NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST(stats_add_up) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  braid_mediad_t md = {.loop = &loop};
  int base = test_free_port_range(1);
  braid_webrtc_server_t *s;
  ASSERT_EQ(braid_webrtc_server_new_in_range(&s, &md, "127.0.0.1", base, base), 0);
  /* One datagram from a tuple no transport knows: received, then dropped. */
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)base)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  uint8_t rtp[12] = {0x80, 96};
  ASSERT_EQ(sendto(fd, rtp, sizeof rtp, 0, (struct sockaddr *)&to, sizeof to), (ssize_t)sizeof rtp);
  for (int i = 0; i < 200 && braid_webrtc_server_stats(s)->rx_unknown_tuple == 0; i++) {
    uv_run(&loop, UV_RUN_NOWAIT);
    usleep(5000);
  }
  braid_mediad_net_stats_t sum = {.udp_rx = 10, .rx_dropped = 1};
  braid_webrtc_server_add_stats(s, &sum);
  ASSERT_EQ(sum.udp_rx, 11);
  ASSERT_EQ(sum.rx_dropped, 2);
  ASSERT_EQ(sum.tcp_accepted, 0);
  close(fd);
  braid_webrtc_server_free(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(skips_busy_ports_and_runs_out) BRAID_TEST_ENTRY(bad_arguments)
                    BRAID_TEST_ENTRY(stats_add_up))
