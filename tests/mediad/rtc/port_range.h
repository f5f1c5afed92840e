/*
 * Test helpers for per-transport port mode: find a block of loopback ports
 * free for UDP and TCP, and hold a port so that a bind to it fails.
 * Header-only (static functions), for the tests that need them.
 */
#ifndef BRAID_TESTS_MEDIAD_RTC_PORT_RANGE_H
#define BRAID_TESTS_MEDIAD_RTC_PORT_RANGE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/test.h"

/* Binds (and for TCP listens on) 127.0.0.1:port. Returns the socket, held
 * until closed, or -1 when the port is taken. */
static inline int test_try_port(int type, int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  int fd = socket(AF_INET, type, 0);
  ASSERT(fd >= 0);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || (type == SOCK_STREAM && listen(fd, 1) != 0)) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Holds a port the test knows to be free. */
static inline int test_hold_port(int type, int port) {
  int fd = test_try_port(type, port);
  ASSERT(fd >= 0);
  return fd;
}

/* The first of n consecutive ports free for UDP and TCP, below the
 * kernel's ephemeral range (other tests run next to us). */
static inline int test_free_port_range(int n) {
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  for (int attempt = 0; attempt < 200; attempt++) {
    int base = 20000 + rand() % (12000 - n), ok = 1;
    for (int p = base; p < base + n && ok; p++) {
      int u = test_try_port(SOCK_DGRAM, p), t = u >= 0 ? test_try_port(SOCK_STREAM, p) : -1;
      ok = u >= 0 && t >= 0;
      if (u >= 0) close(u);
      if (t >= 0) close(t);
    }
    if (ok) return base;
  }
  BRAID_TEST_FAIL("no %d free consecutive loopback ports", n);
}

#endif
