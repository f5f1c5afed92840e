#include "mediad/net/tcp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>

#include "common/err.h"
#include "tests/test.h"

typedef struct seen {
  int frames, closes;
  size_t bytes;
  uint8_t last[64];
  size_t last_len;
  braid_tcp_conn_t *conn;
} seen_t;

static void on_frame(braid_tcp_server_t *s, braid_tcp_conn_t *c, uint8_t *data, size_t len, void *ud) {
  seen_t *e = ud;
  e->frames++;
  e->bytes += len;
  e->conn = c;
  e->last_len = len < sizeof e->last ? len : sizeof e->last;
  memcpy(e->last, data, e->last_len);
  if (len == 4 && memcmp(data, "echo", 4) == 0) braid_tcp_conn_send(c, data, len);
}

static void on_close(braid_tcp_server_t *s, braid_tcp_conn_t *c, void *ud) {
  seen_t *e = ud;
  e->closes++;
  e->conn = NULL;
}

static const braid_tcp_callbacks_t cbs = {on_frame, on_close};

static void on_timer(uv_timer_t *t) { uv_stop(t->loop); }

/* Runs the loop until cond holds or 2 s pass. */
#define RUN_UNTIL(loop, cond)                                                                      \
  do {                                                                                             \
    uv_timer_t t_;                                                                                 \
    uv_timer_init((loop), &t_);                                                                    \
    uv_timer_start(&t_, on_timer, 2000, 0);                                                        \
    while (!(cond) && uv_is_active((uv_handle_t *)&t_)) uv_run((loop), UV_RUN_ONCE);               \
    uv_close((uv_handle_t *)&t_, NULL);                                                            \
    uv_run((loop), UV_RUN_NOWAIT);                                                                 \
  } while (0)

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  ASSERT(connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
  fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

BRAID_TEST(frames_in_and_out) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  seen_t e = {0};
  braid_tcp_server_t *s;
  ASSERT_EQ(braid_tcp_server_new(&s, &loop, "127.0.0.1", 0, &cbs, &e), 0);
  int fd = connect_to(braid_tcp_server_port(s));
  /* Two frames in one write, the second split over two writes. */
  const uint8_t part1[] = {0x00, 0x03, 'a', 'b', 'c', 0x00, 0x04, 'e', 'c'};
  const uint8_t part2[] = {'h', 'o'};
  ASSERT(write(fd, part1, sizeof part1) == (ssize_t)sizeof part1);
  RUN_UNTIL(&loop, e.frames == 1);
  ASSERT_EQ(e.frames, 1);
  ASSERT_MEM_EQ(e.last, "abc", 3);
  ASSERT(write(fd, part2, sizeof part2) == (ssize_t)sizeof part2);
  RUN_UNTIL(&loop, e.frames == 2);
  ASSERT_EQ(e.frames, 2);
  ASSERT_MEM_EQ(e.last, "echo", 4);
  /* The echo comes back framed. */
  uint8_t back[6];
  ssize_t n = 0;
  for (int i = 0; i < 100 && n < 6; i++) {
    uv_run(&loop, UV_RUN_NOWAIT);
    ssize_t r = read(fd, back + n, sizeof back - (size_t)n);
    if (r > 0) n += r;
    else usleep(10000);
  }
  ASSERT_EQ(n, 6);
  ASSERT_MEM_EQ(back, "\x00\x04" "echo", 6);
  ASSERT_EQ(braid_tcp_server_stats(s)->tx_frames, 1);
  close(fd);
  RUN_UNTIL(&loop, e.closes == 1);
  ASSERT_EQ(e.closes, 1);
  braid_tcp_server_close(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST(bad_framing_closes_the_connection) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  seen_t e = {0};
  braid_tcp_server_t *s;
  ASSERT_EQ(braid_tcp_server_new(&s, &loop, "127.0.0.1", 0, &cbs, &e), 0);
  int fd = connect_to(braid_tcp_server_port(s));
  const uint8_t zero_len[] = {0x00, 0x00}; /* an empty frame is malformed */
  ASSERT(write(fd, zero_len, sizeof zero_len) == 2);
  RUN_UNTIL(&loop, e.closes == 1);
  ASSERT_EQ(e.closes, 1);
  ASSERT_EQ(e.frames, 0);
  ASSERT_EQ(braid_tcp_server_stats(s)->rx_bad_framing, 1);
  close(fd);
  braid_tcp_server_close(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST(server_close_closes_connections) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  seen_t e = {0};
  braid_tcp_server_t *s;
  ASSERT_EQ(braid_tcp_server_new(&s, &loop, "127.0.0.1", 0, &cbs, &e), 0);
  ASSERT_EQ(braid_tcp_server_new(&s, &loop, "nonsense", 0, &cbs, &e), BRAID_EINVAL);
  int fd = connect_to(braid_tcp_server_port(s));
  RUN_UNTIL(&loop, braid_tcp_server_stats(s)->accepted == 1);
  braid_tcp_server_close(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  ASSERT_EQ(e.closes, 1);
  close(fd);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

BRAID_TEST_LIST(BRAID_TEST_ENTRY(frames_in_and_out) BRAID_TEST_ENTRY(bad_framing_closes_the_connection)
                    BRAID_TEST_ENTRY(server_close_closes_connections))
