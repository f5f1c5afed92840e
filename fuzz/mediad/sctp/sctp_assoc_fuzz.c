/*
 * Fuzzer for one SCTP association (mediad/sctp/sctp_assoc.c) fed packets
 * as if from its peer. Input: a control byte, then records (see
 * sctp_assoc_fuzz.h): packets to the target, clock steps, sends and
 * stream resets by the target. With FZ_HANDSHAKE a real peer association
 * first completes the handshake and keeps talking with the target (its
 * packets and the target's are delivered after every record); without it
 * the target sits in COOKIE-WAIT. Packets are rewritten so that tags, TSNs
 * and checksums match the random ones of the run (unless the control byte
 * says raw).
 *
 * usrsctp is process-wide state: every run makes fresh associations, frees
 * them and advances usrsctp's clock so that it reclaims them, so runs do
 * not leak into each other beyond usrsctp's own randomness (tags, TSNs,
 * cookie secrets), which the rewriting hides.
 */
#include "fuzz/mediad/sctp/sctp_assoc_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int64_t now = 1000;
  static fz_t fz; /* large: not on the stack */
  static uint8_t pkt[BRAID_SCTP_PACKET_MAX];
  if (size < 1) return 0;
  uint8_t ctl = data[0];
  fz_start(&fz, ctl, now);
  size_t off = 1;
  while (size - off >= 3) {
    uint8_t op = data[off] & 3;
    uint16_t n = braid_get16(data + off + 1);
    off += 3;
    if (op == FZ_OP_TIME) {
      fz_advance(&fz, (int64_t)(n % 6000) * 10);
      continue;
    }
    if (op == FZ_OP_RESET) {
      if (fz.t.a != NULL) (void)braid_sctp_assoc_reset_stream(fz.t.a, n);
      fz_shuttle(&fz);
      continue;
    }
    size_t len = n < size - off ? n : size - off;
    const uint8_t *body = data + off;
    off += len;
    if (op == FZ_OP_SEND) {
      fz_send(&fz, body, len);
    } else if (fz.t.a != NULL) {
      memcpy(pkt, body, len);
      fz_rewrite(&fz, ctl, pkt, len);
      int rc = braid_sctp_assoc_receive(fz.t.a, pkt, len);
      BRAID_ASSERT(rc == 0 || braid_err_is_input(rc) || rc == BRAID_ESTATE || rc == BRAID_ECLOSED);
    }
    fz_shuttle(&fz);
  }
  /* Let timers run once (retransmissions, SACKs) before the end. */
  fz_advance(&fz, 250);
  now = fz_stop(&fz);
  return 0;
}
