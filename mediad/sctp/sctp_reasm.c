/*
 * Reassembly of partially delivered SCTP messages (see sctp_reasm.h).
 */
#include "mediad/sctp/sctp_reasm.h"

#include <string.h>

#include "common/log.h"
#include "common/mem.h"

/* First allocation: large enough for most pieced messages of a small
 * maximum, small enough not to matter per association. */
#define REASM_MIN_CAP (16 * 1024)

void braid_sctp_reasm_init(braid_sctp_reasm_t *r, size_t max) {
  BRAID_ASSERT(max >= 1);
  memset(r, 0, sizeof *r);
  r->max = max;
}

void braid_sctp_reasm_cleanup(braid_sctp_reasm_t *r) {
  braid_free(r->buf);
  r->buf = NULL;
  r->cap = r->len = 0;
  r->open = r->discard = false;
}

void braid_sctp_reasm_abort(braid_sctp_reasm_t *r) {
  if (r->open) r->broken++;
  r->open = false;
  r->discard = false;
  r->len = 0;
}

void braid_sctp_reasm_skip(braid_sctp_reasm_t *r, uint16_t sid) {
  braid_sctp_reasm_abort(r);
  r->discard = true;
  r->sid = sid;
}

/* Makes room for need bytes (need <= r->max). */
static void reserve(braid_sctp_reasm_t *r, size_t need) {
  if (need <= r->cap) return;
  size_t cap = r->cap > 0 ? r->cap : REASM_MIN_CAP;
  while (cap < need && cap <= r->max / 2)
    cap *= 2;
  if (cap < need || cap > r->max) cap = r->max;
  r->buf = braid_xrealloc(r->buf, cap);
  r->cap = cap;
}

/* Starts dropping the message of sid: it has grown past the maximum. */
static bool drop_too_big(braid_sctp_reasm_t *r, uint16_t sid, bool eor) {
  r->too_big++;
  r->open = false;
  r->len = 0;
  r->discard = !eor;
  r->sid = sid;
  return false;
}

bool braid_sctp_reasm_push(braid_sctp_reasm_t *r, uint16_t sid, const uint8_t *data, size_t len,
                           bool eor, const uint8_t **msg, size_t *msg_len) {
  if ((r->open || r->discard) && sid != r->sid) {
    /* Another stream while a message was open: see the header. */
    braid_sctp_reasm_abort(r);
  }
  if (r->discard) {
    /* The rest of a message that was too big. */
    if (eor) r->discard = false;
    return false;
  }
  if (!r->open) {
    if (len > r->max) return drop_too_big(r, sid, eor);
    if (eor) {
      /* The common case: a whole message, delivered without a copy. */
      *msg = data;
      *msg_len = len;
      return true;
    }
    r->open = true;
    r->sid = sid;
    r->len = 0;
  }
  if (len > r->max - r->len) return drop_too_big(r, sid, eor);
  if (len > 0) {
    reserve(r, r->len + len);
    memcpy(r->buf + r->len, data, len);
    r->len += len;
  }
  if (!eor) return false;
  *msg = r->buf;
  *msg_len = r->len;
  r->open = false;
  r->len = 0;
  return true;
}
