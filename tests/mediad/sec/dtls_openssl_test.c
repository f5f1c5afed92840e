/*
 * Interop tests of mediad/sec/dtls_transport.c against a real peer: the
 * openssl command-line tool (`openssl s_client -dtls1_2` and
 * `openssl s_server -dtls1_2`, Debian's OpenSSL 3.0) over loopback UDP.
 * They check the handshake, the SRTP profile chosen, that both sides
 * export the same DTLS-SRTP keying material, application data both ways,
 * and close_notify. The peer's certificate is made with `openssl req`, and
 * its sha-256 fingerprint comes from `openssl x509 -fingerprint`, which
 * also cross-checks our PEM loading and fingerprint computation.
 */
#include "mediad/sec/dtls_transport.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "common/err.h"
#include "tests/test.h"

static braid_dtls_cert_t *cert;

__attribute__((constructor)) static void make_cert(void) {
  if (braid_dtls_cert_new(&cert) != 0) abort();
}

__attribute__((destructor)) static void free_cert(void) { braid_dtls_cert_free(cert); }

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- The peer's certificate. ---------------------------------------------- */

typedef struct peer_files {
  char dir[64], cert[128], key[128];
  char fingerprint[BRAID_DTLS_FINGERPRINT_TEXT_MAX]; /* sha-256, from openssl x509 */
} peer_files_t;

static void make_peer_files(peer_files_t *f) {
  char cmd[512];
  snprintf(f->dir, sizeof(f->dir), "/tmp/braid-dtls-interop-XXXXXX");
  ASSERT(mkdtemp(f->dir) != NULL);
  snprintf(f->cert, sizeof(f->cert), "%s/cert.pem", f->dir);
  snprintf(f->key, sizeof(f->key), "%s/key.pem", f->dir);
  snprintf(cmd, sizeof(cmd),
           "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
           "-subj /CN=interop -days 1 -keyout %s -out %s 2>/dev/null",
           f->key, f->cert);
  ASSERT_EQ(system(cmd), 0);
  snprintf(cmd, sizeof(cmd), "openssl x509 -noout -fingerprint -sha256 -in %s", f->cert);
  FILE *p = popen(cmd, "r");
  ASSERT(p != NULL);
  char line[256] = "";
  ASSERT(fgets(line, sizeof(line), p) != NULL);
  ASSERT_EQ(pclose(p), 0);
  /* "sha256 Fingerprint=AB:CD:...\n" */
  char *eq = strchr(line, '=');
  ASSERT(eq != NULL);
  line[strcspn(line, "\r\n")] = '\0';
  snprintf(f->fingerprint, sizeof(f->fingerprint), "%s", eq + 1);
  ASSERT_EQ(strlen(f->fingerprint), 32 * 3 - 1);
}

static void remove_peer_files(const peer_files_t *f) {
  unlink(f->cert);
  unlink(f->key);
  rmdir(f->dir);
}

/* --- A child process with pipes. ------------------------------------------ */

typedef struct child {
  pid_t pid;
  int in;  /* its stdin, ours to write; -1 once closed */
  int out; /* its stdout, ours to read */
  char text[16384];
  size_t len;
} child_t;

static void spawn(child_t *c, char *const argv[]) {
  int in[2], out[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  c->pid = fork();
  ASSERT(c->pid >= 0);
  if (c->pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 2);
    close(in[1]);
    close(out[0]);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  c->in = in[1];
  c->out = out[0];
  c->len = 0;
  c->text[0] = '\0';
  fcntl(c->out, F_SETFL, O_NONBLOCK);
}

/* Appends what the child printed; returns false at end of file. */
static bool child_read(child_t *c) {
  if (c->len + 1 >= sizeof(c->text)) return true;
  ssize_t n = read(c->out, c->text + c->len, sizeof(c->text) - 1 - c->len);
  if (n <= 0) return n < 0;
  c->len += (size_t)n;
  c->text[c->len] = '\0';
  return true;
}

static void child_write(child_t *c, const char *s) {
  ASSERT(c->in >= 0);
  ASSERT_EQ(write(c->in, s, strlen(s)), (ssize_t)strlen(s));
}

static void child_close_stdin(child_t *c) {
  if (c->in >= 0) close(c->in);
  c->in = -1;
}

/* Waits up to 5 s for the child; kills it (our own child, by pid) if it
 * does not exit. Returns its exit status, or -1 if killed. */
static int child_reap(child_t *c) {
  child_close_stdin(c);
  for (int i = 0; i < 500; i++) {
    int status;
    if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
      close(c->out);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    usleep(10000);
  }
  kill(c->pid, SIGKILL);
  waitpid(c->pid, NULL, 0);
  close(c->out);
  return -1;
}

/* The hex after "Keying material: " in the child's output, as bytes. */
static size_t keying_material(const child_t *c, uint8_t *out, size_t max) {
  const char *p = strstr(c->text, "Keying material: ");
  if (p == NULL) return 0;
  p += strlen("Keying material: ");
  size_t n = 0;
  while (n < max && isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1])) {
    unsigned v;
    sscanf(p, "%2x", &v);
    out[n++] = (uint8_t)v;
    p += 2;
  }
  return isxdigit((unsigned char)p[0]) ? 0 : n;
}

/* --- Our side. ------------------------------------------------------------ */

typedef struct side {
  braid_dtls_transport_t *t;
  int fd;
  struct sockaddr_in peer;
  bool have_peer;
  braid_dtls_state_t state;
  char app[4096];
  size_t app_len;
} side_t;

static void on_send(braid_dtls_transport_t *t, const uint8_t *data, size_t len, void *ud) {
  side_t *s = ud;
  (void)t;
  ASSERT(s->have_peer);
  ASSERT_EQ(sendto(s->fd, data, len, 0, (const struct sockaddr *)&s->peer, sizeof(s->peer)),
            (ssize_t)len);
}

static void on_state(braid_dtls_transport_t *t, braid_dtls_state_t st, void *ud) {
  side_t *s = ud;
  (void)t;
  s->state = st;
}

static void on_app(braid_dtls_transport_t *t, const uint8_t *data, size_t len, void *ud) {
  side_t *s = ud;
  (void)t;
  ASSERT(s->app_len + len < sizeof(s->app));
  memcpy(s->app + s->app_len, data, len);
  s->app_len += len;
  s->app[s->app_len] = '\0';
}

static const braid_dtls_transport_callbacks_t callbacks = {on_send, on_state, on_app};

static int udp_socket(uint16_t *port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT(fd >= 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ASSERT_EQ(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
  socklen_t alen = sizeof(a);
  ASSERT_EQ(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
  *port = ntohs(a.sin_port);
  return fd;
}

/* One step of the loop: waits for a datagram, the child's output or our
 * timer (at most 50 ms), and processes what came. */
static void step(side_t *s, child_t *c) {
  struct pollfd fds[2] = {{s->fd, POLLIN, 0}, {c->out, POLLIN, 0}};
  int timeout = 50;
  int64_t next = braid_dtls_transport_get_next_timeout(s->t), now = now_ms();
  if (next >= 0 && next - now < timeout) timeout = next > now ? (int)(next - now) : 0;
  ASSERT(poll(fds, 2, timeout) >= 0);
  if (fds[0].revents & POLLIN) {
    uint8_t buf[65536];
    struct sockaddr_in from;
    socklen_t flen = sizeof(from);
    ssize_t n = recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
    ASSERT(n > 0);
    if (!s->have_peer) {
      s->peer = from;
      s->have_peer = true;
    }
    int rc = braid_dtls_transport_receive(s->t, buf, (size_t)n, now_ms());
    ASSERT(rc == 0 || rc == BRAID_ECLOSED);
  }
  if (fds[1].revents & (POLLIN | POLLHUP)) child_read(c);
  ASSERT_EQ(braid_dtls_transport_on_timeout(s->t, now_ms()), 0);
}

/* Steps until cond(s, c) holds or 15 s pass. */
static bool run_until(side_t *s, child_t *c, bool (*cond)(side_t *, child_t *)) {
  int64_t end = now_ms() + 15000;
  while (!cond(s, c)) {
    if (now_ms() > end) return false;
    step(s, c);
  }
  return true;
}

static bool connected_and_printed(side_t *s, child_t *c) {
  return s->state == BRAID_DTLS_STATE_CONNECTED && strstr(c->text, "Keying material: ") != NULL &&
         strstr(strstr(c->text, "Keying material: "), "\n") != NULL;
}

static bool got_peer_line(side_t *s, child_t *c) {
  (void)c;
  return strstr(s->app, "hello from openssl\n") != NULL;
}

static bool peer_printed_ours(side_t *s, child_t *c) {
  (void)s;
  return strstr(c->text, "hello from braid") != NULL;
}

static bool closed(side_t *s, child_t *c) {
  (void)c;
  return s->state == BRAID_DTLS_STATE_CLOSED;
}

/* Checks the exported keys against the peer's keying material: RFC 5764
 * §4.2 client key, server key, client salt, server salt. */
static void check_keys(const side_t *s, const child_t *c, braid_dtls_srtp_suite_t suite,
                       const char *profile) {
  const braid_dtls_srtp_keys_t *k = braid_dtls_transport_srtp_keys(s->t);
  ASSERT(k != NULL);
  ASSERT_EQ(k->suite, suite);
  char want[128];
  snprintf(want, sizeof(want), "SRTP Extension negotiated, profile=%s", profile);
  if (strstr(c->text, want) == NULL) BRAID_TEST_FAIL("no \"%s\" in:\n%s", want, c->text);
  uint8_t km[2 * (BRAID_DTLS_SRTP_KEY_MAX + BRAID_DTLS_SRTP_SALT_MAX)];
  size_t kl = k->key_len, sl = k->salt_len;
  ASSERT_EQ(keying_material(c, km, sizeof(km)), 2 * (kl + sl));
  bool client = braid_dtls_transport_role(s->t) == BRAID_DTLS_ROLE_CLIENT;
  const uint8_t *mine = client ? km : km + kl, *theirs = client ? km + kl : km;
  const uint8_t *my_salt = client ? km + 2 * kl : km + 2 * kl + sl;
  const uint8_t *their_salt = client ? km + 2 * kl + sl : km + 2 * kl;
  ASSERT_MEM_EQ(k->local, mine, kl);
  ASSERT_MEM_EQ(k->local + kl, my_salt, sl);
  ASSERT_MEM_EQ(k->remote, theirs, kl);
  ASSERT_MEM_EQ(k->remote + kl, their_salt, sl);
}

/* After the handshake: data both ways, then the peer closes (stdin EOF
 * makes s_client send close_notify) or we do. */
static void exchange_and_close(side_t *s, child_t *c, bool we_close) {
  child_write(c, "hello from openssl\n");
  if (!run_until(s, c, got_peer_line)) BRAID_TEST_FAIL("no data from the peer; got \"%s\"", s->app);
  static const char ours[] = "hello from braid\n";
  ASSERT_EQ(braid_dtls_transport_send_app(s->t, (const uint8_t *)ours, sizeof(ours) - 1), 0);
  if (!run_until(s, c, peer_printed_ours)) BRAID_TEST_FAIL("peer printed:\n%s", c->text);
  if (we_close) {
    ASSERT_EQ(braid_dtls_transport_shutdown(s->t), 0);
    ASSERT_EQ(s->state, BRAID_DTLS_STATE_CLOSED);
  } else {
    child_close_stdin(c);
    if (!run_until(s, c, closed)) BRAID_TEST_FAIL("no close_notify; state %d", s->state);
    ASSERT_STR_EQ(braid_dtls_transport_reason(s->t), "close_notify received");
  }
}

BRAID_TEST(pem_fingerprint_matches_openssl_cli) {
  peer_files_t f;
  make_peer_files(&f);
  braid_dtls_cert_t *loaded = NULL;
  ASSERT_EQ(braid_dtls_cert_new_from_pem(&loaded, f.cert, f.key), 0);
  ASSERT_STR_EQ(braid_dtls_cert_fingerprints(loaded)[BRAID_DTLS_HASH_SHA256].value, f.fingerprint);
  braid_dtls_cert_free(loaded);
  remove_peer_files(&f);
}

BRAID_TEST(server_against_s_client) {
  peer_files_t f;
  make_peer_files(&f);
  side_t s = {.state = BRAID_DTLS_STATE_NEW};
  uint16_t port;
  s.fd = udp_socket(&port);
  ASSERT_EQ(braid_dtls_transport_new(&s.t, cert, BRAID_DTLS_ROLE_SERVER, NULL, &callbacks, &s), 0);
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(s.t, BRAID_STR_LIT("sha-256"),
                                                        braid_str_c(f.fingerprint), NULL),
            0);
  ASSERT_EQ(braid_dtls_transport_start(s.t, now_ms()), 0);
  char addr[32];
  snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
  /* s_client offers CM_80 first; our preference (the server's) picks
   * AEAD_AES_256_GCM: 2 * (32 + 12) bytes of keying material. */
  char *argv[] = {"openssl",
                  "s_client",
                  "-dtls1_2",
                  "-connect",
                  addr,
                  "-cert",
                  f.cert,
                  "-key",
                  f.key,
                  "-use_srtp",
                  "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM",
                  "-keymatexport",
                  "EXTRACTOR-dtls_srtp",
                  "-keymatexportlen",
                  "88",
                  NULL};
  child_t c;
  spawn(&c, argv);
  if (!run_until(&s, &c, connected_and_printed))
    BRAID_TEST_FAIL("no handshake: state %d, reason %s, s_client printed:\n%s", s.state,
                    braid_dtls_transport_reason(s.t), c.text);
  check_keys(&s, &c, BRAID_DTLS_SRTP_AEAD_AES_256_GCM, "SRTP_AEAD_AES_256_GCM");
  exchange_and_close(&s, &c, false);
  ASSERT_EQ(child_reap(&c), 0);
  braid_dtls_transport_free(s.t);
  close(s.fd);
  remove_peer_files(&f);
}

static bool server_listening(side_t *s, child_t *c) {
  (void)s;
  child_read(c);
  return strstr(c->text, "ACCEPT") != NULL;
}

BRAID_TEST(client_against_s_server) {
  peer_files_t f;
  make_peer_files(&f);
  side_t s = {.state = BRAID_DTLS_STATE_NEW};
  uint16_t port, our_port;
  /* A free port for s_server: bind one, note it, close it. */
  int probe = udp_socket(&port);
  close(probe);
  s.fd = udp_socket(&our_port);
  char portstr[16];
  snprintf(portstr, sizeof(portstr), "%u", port);
  /* s_server asks for our certificate (-verify) and does the cookie
   * exchange (HelloVerifyRequest) on DTLS by default. */
  char *argv[] = {"openssl",
                  "s_server",
                  "-dtls1_2",
                  "-accept",
                  portstr,
                  "-naccept",
                  "1",
                  "-cert",
                  f.cert,
                  "-key",
                  f.key,
                  "-verify",
                  "1",
                  "-use_srtp",
                  "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80",
                  "-keymatexport",
                  "EXTRACTOR-dtls_srtp",
                  "-keymatexportlen",
                  "60",
                  NULL};
  child_t c;
  spawn(&c, argv);
  int64_t end = now_ms() + 10000;
  while (!server_listening(&s, &c)) {
    ASSERT(now_ms() < end);
    usleep(10000);
  }
  s.peer = (struct sockaddr_in){
      .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  s.have_peer = true;
  /* We offer all four; s_server (the server) picks its first that we
   * offer: AES_CM_128_HMAC_SHA1_32, 2 * (16 + 14) bytes. */
  ASSERT_EQ(braid_dtls_transport_new(&s.t, cert, BRAID_DTLS_ROLE_CLIENT, NULL, &callbacks, &s), 0);
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(s.t, BRAID_STR_LIT("sha-256"),
                                                        braid_str_c(f.fingerprint), NULL),
            0);
  ASSERT_EQ(braid_dtls_transport_start(s.t, now_ms()), 0);
  if (!run_until(&s, &c, connected_and_printed))
    BRAID_TEST_FAIL("no handshake: state %d, reason %s, s_server printed:\n%s", s.state,
                    braid_dtls_transport_reason(s.t), c.text);
  check_keys(&s, &c, BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_32, "SRTP_AES128_CM_SHA1_32");
  exchange_and_close(&s, &c, true);
  /* s_server reads our close_notify, ends the connection and, with
   * -naccept 1, exits. */
  ASSERT_EQ(child_reap(&c), 0);
  braid_dtls_transport_free(s.t);
  close(s.fd);
  remove_peer_files(&f);
}

BRAID_TEST(s_client_with_wrong_fingerprint_fails) {
  peer_files_t f;
  make_peer_files(&f);
  side_t s = {.state = BRAID_DTLS_STATE_NEW};
  uint16_t port;
  s.fd = udp_socket(&port);
  ASSERT_EQ(braid_dtls_transport_new(&s.t, cert, BRAID_DTLS_ROLE_SERVER, NULL, &callbacks, &s), 0);
  /* Our own fingerprint: not the one of s_client's certificate. */
  ASSERT_EQ(braid_dtls_transport_set_remote_fingerprint(
                s.t, BRAID_STR_LIT("sha-256"),
                braid_str_c(braid_dtls_cert_fingerprints(cert)[BRAID_DTLS_HASH_SHA256].value),
                NULL),
            0);
  ASSERT_EQ(braid_dtls_transport_start(s.t, now_ms()), 0);
  char addr[32];
  snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
  char *argv[] = {"openssl",
                  "s_client",
                  "-dtls1_2",
                  "-connect",
                  addr,
                  "-cert",
                  f.cert,
                  "-key",
                  f.key,
                  "-use_srtp",
                  "SRTP_AEAD_AES_128_GCM",
                  NULL};
  child_t c;
  spawn(&c, argv);
  int64_t end = now_ms() + 15000;
  while (s.state != BRAID_DTLS_STATE_FAILED) {
    ASSERT(now_ms() < end);
    step(&s, &c);
  }
  ASSERT_STR_EQ(braid_dtls_transport_reason(s.t),
                "peer certificate does not match the fingerprint");
  child_reap(&c);
  braid_dtls_transport_free(s.t);
  close(s.fd);
  remove_peer_files(&f);
}

// clang-format off
BRAID_TEST_LIST(
    BRAID_TEST_ENTRY(pem_fingerprint_matches_openssl_cli)
    BRAID_TEST_ENTRY(server_against_s_client)
    BRAID_TEST_ENTRY(client_against_s_server)
    BRAID_TEST_ENTRY(s_client_with_wrong_fingerprint_fails))
// clang-format on
