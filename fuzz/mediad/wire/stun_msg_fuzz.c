/*
 * Fuzzer for braid_stun_msg_parse(), every accessor, the integrity and
 * fingerprint checks (under a fixed key: the unit tests' key, so that the
 * seeds built with it verify) and the writer: parse; check the view and
 * every attribute slice lie inside the input; read every known attribute;
 * rebuild the message attribute by attribute (recomputing
 * MESSAGE-INTEGRITY and FINGERPRINT) and compare; build the responses from
 * the parsed values and parse them back.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "mediad/wire/stun_msg.h"

static const char key[] = "0123456789abcdefghijklmnopqrstuv";
#define KEY ((const uint8_t *)key), (sizeof key - 1)

static void check_failure(int rc, const char *why) {
  BRAID_ASSERT(rc == BRAID_ETRUNC || rc == BRAID_EVERSION || rc == BRAID_EMALFORMED ||
               rc == BRAID_ETOOBIG);
  BRAID_ASSERT(why != NULL);
}

static void check_view(const braid_stun_msg_t *m, const uint8_t *data, size_t size) {
  BRAID_ASSERT(m->data == data && m->len == size && m->tid == data + 8);
  BRAID_ASSERT((m->type & 0xC000) == 0);
  BRAID_ASSERT(braid_stun_msg_type(m->method, m->cls) == m->type);
  BRAID_ASSERT(braid_stun_msg_is_stun(data, size));
  /* The attributes tile the body exactly. */
  size_t pos = 0, n = 0, end = BRAID_STUN_HDR_LEN;
  braid_stun_attr_t a;
  while (braid_stun_msg_attr_next(m, &pos, &a) == 0) {
    BRAID_ASSERT(a.value == data + end + 4);
    end += 4 + ((a.len + 3u) & ~3u);
    BRAID_ASSERT(end <= size && pos == end);
    n++;
  }
  BRAID_ASSERT(end == size && n == m->n_attrs);
  /* Nothing follows FINGERPRINT; only it follows the integrity attributes. */
  if (m->off_fingerprint) BRAID_ASSERT(m->off_fingerprint + 8u == size);
  if (m->off_integrity) {
    BRAID_ASSERT(m->off_integrity + 24u <= size);
    size_t rest = size - (m->off_integrity + 24u);
    BRAID_ASSERT(rest == 0 || m->off_fingerprint || m->off_integrity_sha256);
  }
}

/* Everything the accessors say, to compare two parses. */
typedef struct seen {
  int rc_user, rc_soft, rc_prio, rc_ctl, rc_ctd, rc_nom, rc_err, rc_xor;
  braid_str_t user, soft, reason;
  uint32_t prio, nom;
  uint64_t ctl, ctd;
  uint16_t code;
  braid_stun_addr_t xor_addr;
  bool use_candidate;
} seen_t;

static void read_all(const braid_stun_msg_t *m, seen_t *s) {
  memset(s, 0, sizeof *s);
  s->rc_user = braid_stun_msg_username(m, &s->user);
  if (s->rc_user == 0) BRAID_ASSERT(s->user.len <= BRAID_STUN_USERNAME_MAX);
  s->rc_soft = braid_stun_msg_software(m, &s->soft);
  if (s->rc_soft == 0) BRAID_ASSERT(s->soft.len <= BRAID_STUN_TEXT_MAX);
  s->rc_prio = braid_stun_msg_priority(m, &s->prio);
  s->rc_ctl = braid_stun_msg_ice_controlling(m, &s->ctl);
  s->rc_ctd = braid_stun_msg_ice_controlled(m, &s->ctd);
  s->rc_nom = braid_stun_msg_nomination(m, &s->nom);
  s->rc_err = braid_stun_msg_error_code(m, &s->code, &s->reason);
  if (s->rc_err == 0) BRAID_ASSERT(s->code >= 300 && s->code <= 699);
  s->rc_xor = braid_stun_msg_xor_mapped_address(m, &s->xor_addr);
  if (s->rc_xor == 0)
    BRAID_ASSERT(s->xor_addr.family == BRAID_STUN_FAMILY_IPV4 ||
                 s->xor_addr.family == BRAID_STUN_FAMILY_IPV6);
  s->use_candidate = braid_stun_msg_use_candidate(m);
  int rcs[] = {s->rc_user, s->rc_soft, s->rc_prio, s->rc_ctl,
               s->rc_ctd,  s->rc_nom,  s->rc_err,  s->rc_xor};
  for (size_t i = 0; i < sizeof rcs / sizeof rcs[0]; i++)
    BRAID_ASSERT(rcs[i] == 0 || rcs[i] == BRAID_EMISSING);
}

static bool str_same(braid_str_t a, braid_str_t b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static void compare(const seen_t *a, const seen_t *b) {
  BRAID_ASSERT(a->rc_user == b->rc_user && (a->rc_user || str_same(a->user, b->user)));
  BRAID_ASSERT(a->rc_soft == b->rc_soft && (a->rc_soft || str_same(a->soft, b->soft)));
  BRAID_ASSERT(a->rc_prio == b->rc_prio && a->prio == b->prio);
  BRAID_ASSERT(a->rc_ctl == b->rc_ctl && a->ctl == b->ctl);
  BRAID_ASSERT(a->rc_ctd == b->rc_ctd && a->ctd == b->ctd);
  BRAID_ASSERT(a->rc_nom == b->rc_nom && a->nom == b->nom);
  BRAID_ASSERT(a->rc_err == b->rc_err && a->code == b->code);
  BRAID_ASSERT(a->rc_err || str_same(a->reason, b->reason));
  BRAID_ASSERT(a->rc_xor == b->rc_xor);
  BRAID_ASSERT(a->rc_xor || memcmp(&a->xor_addr, &b->xor_addr, sizeof a->xor_addr) == 0);
  BRAID_ASSERT(a->use_candidate == b->use_candidate);
}

static bool zero_padding(const braid_stun_msg_t *m) {
  size_t pos = 0;
  braid_stun_attr_t a;
  while (braid_stun_msg_attr_next(m, &pos, &a) == 0)
    for (size_t i = a.len; i % 4 != 0; i++)
      if (a.value[i] != 0) return false;
  return true;
}

/* Rebuilds m with the writer: every attribute copied, the integrity and
 * fingerprint recomputed under the fixed key. */
static void rebuild(const braid_stun_msg_t *m, const seen_t *s, bool mi_ok, bool fp_ok) {
  static uint8_t out[BRAID_STUN_MAX_LEN];
  braid_stun_writer_t w;
  BRAID_ASSERT(braid_stun_writer_init(&w, out, sizeof out, m->method, m->cls, m->tid) == 0);
  size_t pos = 0;
  braid_stun_attr_t a;
  while (braid_stun_msg_attr_next(m, &pos, &a) == 0) {
    int rc;
    if (a.type == BRAID_STUN_ATTR_MESSAGE_INTEGRITY)
      rc = braid_stun_writer_integrity(&w, KEY);
    else if (a.type == BRAID_STUN_ATTR_FINGERPRINT)
      rc = braid_stun_writer_fingerprint(&w);
    else
      rc = braid_stun_writer_attr(&w, a.type, a.value, a.len);
    BRAID_ASSERT(rc == 0);
  }
  BRAID_ASSERT(w.len == m->len);
  braid_stun_msg_t r;
  const char *why = NULL;
  BRAID_ASSERT(braid_stun_msg_parse(&r, out, w.len, &why) == 0);
  BRAID_ASSERT(r.type == m->type && r.n_attrs == m->n_attrs);
  BRAID_ASSERT(memcmp(r.tid, m->tid, BRAID_STUN_TID_LEN) == 0);
  seen_t s2;
  read_all(&r, &s2);
  compare(s, &s2);
  if (r.off_integrity) BRAID_ASSERT(braid_stun_msg_check_integrity(&r, KEY) == 0);
  if (r.off_fingerprint) BRAID_ASSERT(braid_stun_msg_check_fingerprint(&r) == 0);
  /* Where the input's own checks held and its padding was ours (zeros),
   * the rebuild is the input, byte for byte. MESSAGE-INTEGRITY-SHA256 is
   * copied, not recomputed, so it is left out of this. */
  bool same = zero_padding(m) && !m->off_integrity_sha256 && (!m->off_integrity || mi_ok) &&
              (!m->off_fingerprint || fp_ok);
  if (same) BRAID_ASSERT(memcmp(out, m->data, m->len) == 0);
}

/* The responses built from what was parsed must parse back to it. */
static void build_responses(const braid_stun_msg_t *m, const seen_t *s) {
  uint8_t out[BRAID_STUN_RESPONSE_MAX];
  size_t n = 0;
  braid_stun_msg_t r;
  if (s->rc_xor == 0) {
    BRAID_ASSERT(
        braid_stun_msg_build_binding_success(out, sizeof out, m->tid, &s->xor_addr, KEY, &n) == 0);
    BRAID_ASSERT(braid_stun_msg_parse(&r, out, n, NULL) == 0);
    braid_stun_addr_t a;
    BRAID_ASSERT(braid_stun_msg_xor_mapped_address(&r, &a) == 0);
    BRAID_ASSERT(memcmp(&a, &s->xor_addr, sizeof a) == 0);
    BRAID_ASSERT(braid_stun_msg_check_integrity(&r, KEY) == 0);
    BRAID_ASSERT(braid_stun_msg_check_fingerprint(&r) == 0);
  }
  uint16_t code = s->rc_err == 0 ? s->code : 400;
  BRAID_ASSERT(braid_stun_msg_build_error_response(out, sizeof out, m->method, m->tid, code,
                                                   m->cls == 0 ? NULL : (const uint8_t *)key,
                                                   sizeof key - 1, &n) == 0);
  BRAID_ASSERT(braid_stun_msg_parse(&r, out, n, NULL) == 0);
  uint16_t back = 0;
  braid_str_t reason;
  BRAID_ASSERT(braid_stun_msg_error_code(&r, &back, &reason) == 0 && back == code);
  BRAID_ASSERT(r.method == m->method && r.cls == BRAID_STUN_CLASS_ERROR);
  BRAID_ASSERT(braid_stun_msg_check_fingerprint(&r) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly size bytes, so ASan sees any read past the end. */
  uint8_t *copy = malloc(size ? size : 1);
  if (size > 0) memcpy(copy, data, size);
  braid_stun_msg_t m;
  const char *why = NULL;
  int rc = braid_stun_msg_parse(&m, copy, size, &why);
  if (rc != 0) {
    check_failure(rc, why);
    free(copy);
    return 0;
  }
  check_view(&m, copy, size);
  seen_t s;
  read_all(&m, &s);
  int mi = braid_stun_msg_check_integrity(&m, KEY);
  BRAID_ASSERT(mi == 0 || mi == BRAID_EINVAL || mi == BRAID_EMISSING);
  BRAID_ASSERT((mi == BRAID_EMISSING) == (m.off_integrity == 0));
  int fp = braid_stun_msg_check_fingerprint(&m);
  BRAID_ASSERT(fp == 0 || fp == BRAID_EMALFORMED || fp == BRAID_EMISSING);
  BRAID_ASSERT((fp == BRAID_EMISSING) == (m.off_fingerprint == 0));
  rebuild(&m, &s, mi == 0, fp == 0);
  build_responses(&m, &s);
  free(copy);
  return 0;
}
