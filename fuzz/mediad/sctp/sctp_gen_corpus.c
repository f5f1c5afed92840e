/*
 * Writes the seed corpus of the association fuzzer into <dir>/sctp_assoc/
 * (and the first packet of each chunk type into <dir>/sctp_packet/):
 * real sessions between two associations, with everything the peer sends
 * to the target after the handshake recorded as the fuzzer's packet
 * records (TSNs made relative, see sctp_assoc_fuzz.h), plus hand-made
 * chunks usrsctp's peer would rarely send (ABORT, SHUTDOWN, ERROR, I-DATA,
 * a bad COOKIE-ECHO) and the handshake itself for a target in COOKIE-WAIT.
 *
 *   mediad_sctp_gen_corpus <source dir>/fuzz/mediad/sctp/corpus
 */
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "fuzz/mediad/sctp/sctp_assoc_fuzz.h"

enum { SEED_MAX = 64 * 1024 };

static uint8_t seed[SEED_MAX];
static size_t seed_len;
static bool recording;

static void seed_begin(uint8_t ctl) {
  seed[0] = ctl;
  seed_len = 1;
}

static void seed_record(uint8_t op, const uint8_t *body, size_t len) {
  BRAID_ASSERT(seed_len + 3 + len <= SEED_MAX);
  seed[seed_len] = op;
  braid_put16(seed + seed_len + 1, (uint16_t)len);
  if (len > 0) memcpy(seed + seed_len + 3, body, len);
  seed_len += 3 + len;
}

/* A record without a body: FZ_OP_TIME or FZ_OP_RESET. */
static void seed_op16(uint8_t op, uint16_t value) {
  BRAID_ASSERT(seed_len + 3 <= SEED_MAX);
  seed[seed_len] = op;
  braid_put16(seed + seed_len + 1, value);
  seed_len += 3;
}

static void seed_write(const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/sctp_assoc/%s", dir, name);
  FILE *f = fopen(path, "wb");
  BRAID_ASSERT(f != NULL);
  BRAID_ASSERT(fwrite(seed, 1, seed_len, f) == seed_len);
  fclose(f);
}

static const char *out_dir;
static int packet_seeds;

/* The peer's packets to the target, as records with relative TSNs; the
 * first of each kind of packet also goes to the packet fuzzer's corpus as
 * it was sent. */
static void capture(fz_t *fz, const uint8_t *pkt, size_t len) {
  if (!recording) return;
  static bool seen[256];
  if (len > BRAID_SCTP_COMMON_HDR_LEN && !seen[pkt[BRAID_SCTP_COMMON_HDR_LEN]]) {
    seen[pkt[BRAID_SCTP_COMMON_HDR_LEN]] = true;
    char path[1024];
    snprintf(path, sizeof path, "%s/sctp_packet/captured_%d_type%u", out_dir, packet_seeds++,
             pkt[BRAID_SCTP_COMMON_HDR_LEN]);
    FILE *f = fopen(path, "wb");
    BRAID_ASSERT(f != NULL);
    BRAID_ASSERT(fwrite(pkt, 1, len, f) == len);
    fclose(f);
  }
  uint8_t copy[FZ_PKT_MAX];
  memcpy(copy, pkt, len);
  fz_shift_tsns(fz, copy, len, -1);
  seed_record(FZ_OP_PACKET, copy, len);
}

static fz_t fz;
static int64_t now = 1000;

static void start(uint8_t ctl) {
  fz_start(&fz, ctl, now);
  fz.capture = capture;
  seed_begin(ctl);
  recording = true;
}

static void finish(const char *dir, const char *name) {
  recording = false;
  seed_write(dir, name);
  now = fz_stop(&fz);
}

static void peer_send(uint16_t stream, uint32_t ppid, const void *data, size_t len,
                      const braid_sctp_send_opts_t *o) {
  BRAID_ASSERT(braid_sctp_assoc_send(fz.p.a, stream, ppid, data, len, o) == 0);
  fz_shuttle(&fz);
}

/* A packet with one chunk, in the fuzzer's relative form. */
static void handmade(uint8_t type, uint8_t flags, const uint8_t *value, size_t vlen) {
  uint8_t pkt[64] = {0x13, 0x88, 0x13, 0x88};
  size_t clen = 4 + vlen;
  pkt[12] = type;
  pkt[13] = flags;
  braid_put16(pkt + 14, (uint16_t)clen);
  memcpy(pkt + 16, value, vlen);
  seed_record(FZ_OP_PACKET, pkt, 12 + ((clen + 3) & ~(size_t)3));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
    return 2;
  }
  char path[1024];
  snprintf(path, sizeof path, "%s/sctp_assoc", argv[1]);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/sctp_packet", argv[1]);
  mkdir(path, 0755);
  const char *dir = argv[1];
  out_dir = dir;

  /* Messages of every PPID, a fragmented one, and the target's own. */
  start(FZ_HANDSHAKE);
  peer_send(1, 51, "hello", 5, NULL);
  peer_send(2, 53, "\x00\x01\x02", 3, NULL);
  peer_send(3, 56, NULL, 0, NULL);
  peer_send(4, 57, NULL, 0, NULL);
  peer_send(5, 50, "\x03\x00\x01\x00\x00\x00\x00\x00\x00\x01\x00\x00x", 13, NULL);
  peer_send(6, 51, "Echo me", 7, NULL);
  static uint8_t big[4000];
  memset(big, 'b', sizeof big);
  peer_send(7, 53, big, sizeof big, NULL);
  seed_record(FZ_OP_SEND, (const uint8_t *)"\x01target", 7);
  fz_send(&fz, (const uint8_t *)"\x01target", 7);
  fz_shuttle(&fz);
  seed_op16(FZ_OP_TIME, 50);
  fz_advance(&fz, 500);
  finish(dir, "messages");

  /* Unordered and partially reliable messages over a lossy link: the
   * peer abandons one and sends FORWARD-TSN. */
  start(FZ_HANDSHAKE);
  braid_sctp_send_opts_t unordered = {.unordered = true};
  braid_sctp_send_opts_t rtx0 = {.pr = BRAID_SCTP_PR_RTX, .pr_value = 0};
  peer_send(1, 51, "u1", 2, &unordered);
  size_t before = fz.count;
  BRAID_ASSERT(braid_sctp_assoc_send(fz.p.a, 2, 51, (const uint8_t *)"gone", 4, &rtx0) == 0);
  fz.count = before; /* lost */
  peer_send(2, 51, "kept", 4, NULL);
  struct timespec ts = {.tv_nsec = 20 * 1000 * 1000};
  nanosleep(&ts, NULL); /* see tests/mediad/sctp/sctp_assoc_harness.h */
  for (int i = 0; i < 30; i++)
    fz_advance(&fz, 100);
  finish(dir, "forward_tsn");

  /* Stream resets both ways, and a heartbeat after 30 s of silence. */
  start(FZ_HANDSHAKE);
  BRAID_ASSERT(braid_sctp_assoc_reset_stream(fz.p.a, 3) == 0);
  fz_shuttle(&fz);
  seed_op16(FZ_OP_RESET, 5);
  BRAID_ASSERT(braid_sctp_assoc_reset_stream(fz.t.a, 5) == 0);
  fz_shuttle(&fz);
  for (int i = 0; i < 40; i++)
    fz_advance(&fz, 1000);
  finish(dir, "reset_heartbeat");

  /* Hand-made chunks after a handshake. */
  static const struct {
    const char *name;
    uint8_t type, flags;
    uint8_t value[16];
    size_t vlen;
  } chunks[] = {
      {"abort", BRAID_SCTP_CHUNK_ABORT, 0, {0}, 0},
      {"abort_t", BRAID_SCTP_CHUNK_ABORT, 1, {0x00, 0x0c, 0x00, 0x04}, 4},
      {"shutdown", BRAID_SCTP_CHUNK_SHUTDOWN, 0, {0, 0, 0, 0}, 4},
      {"error", BRAID_SCTP_CHUNK_ERROR, 0, {0x00, 0x01, 0x00, 0x08, 0x00, 0x05, 0x00, 0x00}, 8},
      {"i_data", BRAID_SCTP_CHUNK_I_DATA, 3, {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 51}, 16},
      {"heartbeat", BRAID_SCTP_CHUNK_HEARTBEAT, 0, {0x00, 0x01, 0x00, 0x08, 1, 2, 3, 4}, 8},
      {"cookie_echo", BRAID_SCTP_CHUNK_COOKIE_ECHO, 0, {1, 2, 3, 4, 5, 6, 7, 8}, 8},
      {"forward_tsn", BRAID_SCTP_CHUNK_FORWARD_TSN, 0, {0, 0, 0, 5, 0, 1, 0, 2}, 8},
      {"data_ppid56",
       BRAID_SCTP_CHUNK_DATA,
       3,
       {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 56, 0, 0, 0, 0},
       13},
  };
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    seed_begin(FZ_HANDSHAKE);
    handmade(chunks[i].type, chunks[i].flags, chunks[i].value, chunks[i].vlen);
    seed_op16(FZ_OP_TIME, 100);
    char name[64];
    snprintf(name, sizeof name, "chunk_%s", chunks[i].name);
    seed_write(dir, name);
  }

  /* The handshake as the peer sends it, for a target in COOKIE-WAIT. */
  {
    memset(&fz, 0, sizeof fz);
    seed_begin(0);
    fz.now = now;
    braid_sctp_opts_t o = {.is_data_channel = true, .os = 16, .mis = 16};
    fz.t = (fz_side_t){.fz = &fz, .is_target = true};
    fz.p = (fz_side_t){.fz = &fz};
    fz.capture = capture;
    recording = true;
    BRAID_ASSERT(braid_sctp_assoc_new(&fz.t.a, &o, &fz_cb, &fz.t) == 0);
    BRAID_ASSERT(braid_sctp_assoc_new(&fz.p.a, &o, &fz_cb, &fz.p) == 0);
    BRAID_ASSERT(braid_sctp_assoc_connect(fz.t.a) == 0);
    BRAID_ASSERT(braid_sctp_assoc_connect(fz.p.a) == 0);
    fz_shuttle(&fz);
    recording = false;
    seed_write(dir, "handshake");
    now = fz_stop(&fz);
  }
  printf("wrote %s/sctp_assoc\n", dir);
  return 0;
}
