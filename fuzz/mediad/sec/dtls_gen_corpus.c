/*
 * Writes the seed corpora of the DTLS fuzzers from a real handshake between
 * two of our transports (and the certificate's own fingerprints). Run when
 * the input formats change:
 *
 *   mediad_sec_dtls_gen_corpus fuzz/mediad/sec/corpus
 *
 * and commit the files. Each is named after what it holds; see
 * dtls_transport_fuzz.c for the input format. One seed is not made here:
 * dtls_transport/fresh-s_client-hello holds the ClientHello of
 * `openssl s_client -dtls1_2 -use_srtp ...`, captured once from a UDP
 * socket (another implementation's bytes).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz/mediad/sec/dtls_fuzz.h"

static const char *root;

static void write_file(const char *dir, const char *name, const void *data, size_t len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s/%s", root, dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "dtls_gen_corpus: cannot write %s\n", path);
    exit(1);
  }
}

/* A fuzzer input under construction. */
typedef struct input {
  uint8_t data[16384];
  size_t len;
} input_t;

static void in_start(input_t *in, int mode) {
  in->len = 0;
  in->data[in->len++] = (uint8_t)mode;
}

static void in_datagram(input_t *in, const uint8_t *d, size_t n) {
  BRAID_ASSERT(n < 0x8000 && in->len + 2 + n <= sizeof(in->data));
  in->data[in->len++] = (uint8_t)(n >> 8);
  in->data[in->len++] = (uint8_t)n;
  memcpy(in->data + in->len, d, n);
  in->len += n;
}

static void in_op(input_t *in, unsigned op) {
  in->data[in->len++] = 0x80;
  in->data[in->len++] = (uint8_t)op;
}

static fuzz_dtls_pair_t pair;

/* Appends the client's datagrams queued for the server to in, one chunk
 * each; the queue is left for fuzz_dtls_deliver(). */
static void copy_client_output(input_t *in) {
  for (int i = 0; i < pair.to_server.n; i++)
    in_datagram(in, pair.to_server.data[i], pair.to_server.len[i]);
}

int main(int argc, char **argv) {
  static const braid_dtls_transport_callbacks_t scb = {fuzz_dtls_to_client, NULL, NULL};
  braid_dtls_cert_t *cert = NULL;
  input_t hello, flight2, in;
  if (argc != 2) {
    fprintf(stderr, "usage: %s <corpus root>\n", argv[0]);
    return 2;
  }
  root = argv[1];
  BRAID_ASSERT(braid_dtls_cert_new(&cert) == 0);

  /* A handshake step by step, capturing what the client sends. */
  BRAID_ASSERT(fuzz_dtls_pair_init(&pair, cert, FUZZ_DTLS_FRESH, &scb) == 0);
  BRAID_ASSERT(braid_dtls_transport_start(pair.client, pair.now) == 0);
  in_start(&hello, FUZZ_DTLS_FRESH);
  copy_client_output(&hello);
  write_file("dtls_transport", "fresh-client-hello", hello.data, hello.len);
  fuzz_dtls_deliver(&pair, &pair.to_server, pair.server);
  fuzz_dtls_deliver(&pair, &pair.to_client, pair.client);
  in_start(&flight2, FUZZ_DTLS_MID);
  copy_client_output(&flight2);
  write_file("dtls_transport", "mid-client-flight2", flight2.data, flight2.len);
  /* The same bytes after a fresh start: a whole client side in one input. */
  in = hello;
  memcpy(in.data + in.len, flight2.data + 1, flight2.len - 1);
  in.len += flight2.len - 1;
  write_file("dtls_transport", "fresh-hello-and-flight2", in.data, in.len);

  /* Connected: application data, a timeout, an answer, close_notify. */
  fuzz_dtls_pair_cleanup(&pair);
  BRAID_ASSERT(fuzz_dtls_pair_init(&pair, cert, FUZZ_DTLS_CONNECTED, &scb) == 0);
  BRAID_ASSERT(braid_dtls_transport_send_app(pair.client, (const uint8_t *)"hello", 5) == 0);
  in_start(&in, FUZZ_DTLS_CONNECTED);
  copy_client_output(&in);
  pair.to_server.n = 0;
  in_op(&in, 0);
  in_op(&in, 1);
  in_op(&in, 3);
  write_file("dtls_transport", "connected-app-data", in.data, in.len);
  BRAID_ASSERT(braid_dtls_transport_shutdown(pair.client) == 0);
  in_start(&in, FUZZ_DTLS_CONNECTED);
  copy_client_output(&in);
  pair.to_server.n = 0;
  write_file("dtls_transport", "connected-close-notify", in.data, in.len);
  in_start(&in, FUZZ_DTLS_CONNECTED);
  in_op(&in, 2);
  in_op(&in, 3);
  write_file("dtls_transport", "connected-shutdown", in.data, in.len);
  fuzz_dtls_pair_cleanup(&pair);

  /* The record vectors of the unit tests. */
  static const uint8_t two_records[] = {0x16, 0xfe, 0xfd, 0, 0, 0, 0,    0,    0,    0, 1,
                                        0,    4,    0x0e, 0, 0, 0, 0x14, 0xfe, 0xff, 0, 1,
                                        0,    0,    0,    0, 0, 2, 0,    1,    1};
  static const uint8_t short_record[] = {0x16, 0xfe, 0xfd, 0,  1,  0,  0,  0,  0,  0, 0x40,
                                         0,    0x13, 0,    1,  2,  3,  4,  5,  6,  7, 8,
                                         9,    10,   11,   12, 13, 14, 15, 16, 17, 18};
  in_start(&in, FUZZ_DTLS_FRESH);
  in_datagram(&in, two_records, sizeof(two_records));
  write_file("dtls_transport", "fresh-two-records", in.data, in.len);
  in_start(&in, FUZZ_DTLS_CONNECTED);
  in_datagram(&in, short_record, sizeof(short_record));
  write_file("dtls_transport", "connected-short-record", in.data, in.len);
  in_start(&in, FUZZ_DTLS_MID);
  in_op(&in, 0);
  in_op(&in, 3);
  write_file("dtls_transport", "mid-timeout", in.data, in.len);

  /* Fingerprints: every algorithm of the certificate, and a few bad ones. */
  for (int h = 0; h < BRAID_DTLS_HASH_COUNT; h++) {
    const braid_dtls_fingerprint_t *fp = &braid_dtls_cert_fingerprints(cert)[h];
    char text[256];
    int n = snprintf(text, sizeof(text), "%s %s", fp->algorithm, fp->value);
    write_file("dtls_cert", fp->algorithm, text, (size_t)n);
  }
  static const char *const bad[] = {"md5 AB:CD", "sha-256 AB:CD:", "sha-1 zz", "SHA-256 ab"};
  static const char *const bad_names[] = {"md5", "trailing-colon", "not-hex", "short-lowercase"};
  for (int i = 0; i < 4; i++)
    write_file("dtls_cert", bad_names[i], bad[i], strlen(bad[i]));
  braid_dtls_cert_free(cert);
  return 0;
}
