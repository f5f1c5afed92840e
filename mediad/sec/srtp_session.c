/*
 * SRTP sessions on libsrtp2 (see srtp_session.h for the contract).
 */
#include "mediad/sec/srtp_session.h"

#include <arpa/inet.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "common/base64.h"
#include "common/log.h"
#include "common/mem.h"

_Static_assert(BRAID_SRTP_SESSION_TRAILER_MAX >= SRTP_MAX_TRAILER_LEN + 4,
               "tail room must cover srtp_protect_rtcp()'s trailer");
_Static_assert(BRAID_SRTP_SESSION_MASTER_MAX >= SRTP_AES_GCM_256_KEY_LEN_WSALT,
               "master key buffer must hold the largest key + salt");
_Static_assert(BRAID_SRTP_SESSION_PACKET_MAX + BRAID_SRTP_SESSION_TRAILER_MAX <= INT_MAX,
               "libsrtp counts lengths in int");

struct braid_srtp_session {
  srtp_t ctx; /* owned: libsrtp session (srtp_dealloc) */
  braid_srtp_suite_t suite;
  braid_srtp_dir_t dir;
};

/* One row per suite, indexed by braid_srtp_suite_t. */
typedef struct suite_info {
  const char *name;
  size_t key_len, salt_len;
  void (*set_rtp)(srtp_crypto_policy_t *p);
  void (*set_rtcp)(srtp_crypto_policy_t *p);
} suite_info_t;

static const suite_info_t suites[BRAID_SRTP_SUITE_COUNT] = {
    [BRAID_SRTP_SUITE_AEAD_AES_256_GCM] = {"AEAD_AES_256_GCM", 32, 12,
                                           srtp_crypto_policy_set_aes_gcm_256_16_auth,
                                           srtp_crypto_policy_set_aes_gcm_256_16_auth},
    [BRAID_SRTP_SUITE_AEAD_AES_128_GCM] = {"AEAD_AES_128_GCM", 16, 12,
                                           srtp_crypto_policy_set_aes_gcm_128_16_auth,
                                           srtp_crypto_policy_set_aes_gcm_128_16_auth},
    [BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80] = {"AES_CM_128_HMAC_SHA1_80", 16, 14,
                                                  srtp_crypto_policy_set_rtp_default,
                                                  srtp_crypto_policy_set_rtcp_default},
    /* RFC 5764 §4.1.2: with SRTP_AES128_CM_HMAC_SHA1_32, SRTCP still carries
     * an 80-bit tag (as RFC 4568 §6.2.1 says for the SDES suite). */
    [BRAID_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32] = {"AES_CM_128_HMAC_SHA1_32", 16, 14,
                                                  srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
                                                  srtp_crypto_policy_set_rtcp_default},
};

static const suite_info_t *suite_get(braid_srtp_suite_t suite) {
  if ((unsigned)suite >= BRAID_SRTP_SUITE_COUNT) return NULL;
  return &suites[suite];
}

/* ---- process-wide initialisation ------------------------------------------------ */

/* Written once under pthread_once, read-only afterwards. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = BRAID_EIO;

/* libsrtp reports some per-packet conditions through its log; parsers do not
 * log (STYLE.md rule 11), so its messages are dropped: the codes say it all. */
static void drop_log(srtp_log_level_t level, const char *msg, void *data) {
  (void)level;
  (void)msg;
  (void)data;
}

static void init_lib(void) {
  if (srtp_init() != srtp_err_status_ok) return;
  if (srtp_install_log_handler(drop_log, NULL) != srtp_err_status_ok) return;
  init_result = 0;
}

int braid_srtp_session_global_init(void) {
  pthread_once(&init_once, init_lib);
  return init_result;
}

const char *braid_srtp_backend(void) {
#if defined(BRAID_SRTP_FALLBACK_NSS) && BRAID_SRTP_FALLBACK_NSS
  return "nss (slow fallback)";
#else
  return "openssl";
#endif
}

const char *braid_srtp_session_lib_version(void) {
  const char *v = srtp_get_version_string();
  return v != NULL ? v : "libsrtp2 (unknown version)";
}

const char *braid_srtp_session_strerror(int err) {
  switch (err) {
  case BRAID_SRTP_SESSION_EAUTH: return "SRTP authentication failed";
  case BRAID_SRTP_SESSION_EREPLAY: return "SRTP replay or packet too old";
  default: return braid_strerror(err);
  }
}

/* ---- suites and keys ------------------------------------------------------------ */

int braid_srtp_session_suite_parse(braid_str_t name, braid_srtp_suite_t *out) {
  for (unsigned i = 0; i < BRAID_SRTP_SUITE_COUNT; i++) {
    if (name.p != NULL && braid_str_eq(name, suites[i].name)) {
      *out = (braid_srtp_suite_t)i;
      return 0;
    }
  }
  return BRAID_EINVAL;
}

const char *braid_srtp_session_suite_name(braid_srtp_suite_t suite) {
  const suite_info_t *si = suite_get(suite);
  return si != NULL ? si->name : NULL;
}

size_t braid_srtp_session_key_len(braid_srtp_suite_t suite) {
  const suite_info_t *si = suite_get(suite);
  return si != NULL ? si->key_len : 0;
}

size_t braid_srtp_session_salt_len(braid_srtp_suite_t suite) {
  const suite_info_t *si = suite_get(suite);
  return si != NULL ? si->salt_len : 0;
}

int braid_srtp_session_key_from_base64(braid_srtp_suite_t suite, braid_str_t b64,
                                       uint8_t out[BRAID_SRTP_SESSION_MASTER_MAX],
                                       size_t *out_len) {
  const suite_info_t *si = suite_get(suite);
  if (si == NULL) return BRAID_EINVAL;
  if (b64.p == NULL && b64.len > 0) return BRAID_EINVAL;
  const char *p = b64.p ? b64.p : "";
  ssize_t n = braid_base64_decoded_len(p, b64.len);
  if (n < 0) return BRAID_EMALFORMED;
  /* The length check comes before any write: out is only MASTER_MAX long. */
  if ((size_t)n != si->key_len + si->salt_len) return BRAID_EINVAL;
  BRAID_ASSERT(braid_base64_decode(p, b64.len, out, BRAID_SRTP_SESSION_MASTER_MAX) == n);
  *out_len = (size_t)n;
  return 0;
}

/* ---- sessions ------------------------------------------------------------------- */

/* libsrtp status -> our code, for the packet functions (new() maps its
 * own). Unprotecting, every status but a few is the peer's doing (libsrtp
 * also says cipher_fail when a packet has less room than its tag, and
 * cant_check when an SRTCP packet claims to be unencrypted): those are
 * malformed input, never fatal for the transport. */
static int map_status(srtp_err_status_t st, braid_srtp_dir_t dir) {
  switch (st) {
  case srtp_err_status_ok: return 0;
  case srtp_err_status_auth_fail: return BRAID_SRTP_SESSION_EAUTH;
  case srtp_err_status_replay_fail:
  case srtp_err_status_replay_old:
  case srtp_err_status_pkt_idx_old: return BRAID_SRTP_SESSION_EREPLAY;
  case srtp_err_status_key_expired:
  case srtp_err_status_pkt_idx_adv: return BRAID_ESTATE;
  case srtp_err_status_alloc_fail: return BRAID_ENOMEM;
  case srtp_err_status_bad_param:
  case srtp_err_status_parse_err:
  case srtp_err_status_bad_mki: return BRAID_EMALFORMED;
  default: return dir == BRAID_SRTP_DIR_INBOUND ? BRAID_EMALFORMED : BRAID_EIO;
  }
}

int braid_srtp_session_new(braid_srtp_session_t **out, braid_srtp_suite_t suite,
                           braid_srtp_dir_t dir, const uint8_t *key, size_t key_len,
                           const uint8_t *salt, size_t salt_len) {
  const suite_info_t *si = suite_get(suite);
  if (si == NULL || (dir != BRAID_SRTP_DIR_INBOUND && dir != BRAID_SRTP_DIR_OUTBOUND))
    return BRAID_EINVAL;
  if (key == NULL || salt == NULL || key_len != si->key_len || salt_len != si->salt_len)
    return BRAID_EINVAL;
  int rc = braid_srtp_session_global_init();
  if (rc < 0) return rc;

  /* libsrtp wants key || salt in one buffer; it copies what it needs. */
  uint8_t master[BRAID_SRTP_SESSION_MASTER_MAX];
  memcpy(master, key, key_len);
  memcpy(master + key_len, salt, salt_len);

  srtp_policy_t policy;
  memset(&policy, 0, sizeof(policy));
  si->set_rtp(&policy.rtp);
  si->set_rtcp(&policy.rtcp);
  policy.ssrc.type = dir == BRAID_SRTP_DIR_INBOUND ? ssrc_any_inbound : ssrc_any_outbound;
  policy.ssrc.value = 0;
  policy.key = master;
  policy.window_size = BRAID_SRTP_SESSION_REPLAY_WINDOW;
  /* Retransmissions without RTX resend a packet with its sequence number. */
  policy.allow_repeat_tx = dir == BRAID_SRTP_DIR_OUTBOUND;
  policy.next = NULL;

  srtp_t ctx = NULL;
  srtp_err_status_t st = srtp_create(&ctx, &policy);
  explicit_bzero(master, sizeof(master));
  if (st != srtp_err_status_ok) {
    if (st == srtp_err_status_alloc_fail) return BRAID_ENOMEM;
    if (st == srtp_err_status_bad_param) return BRAID_EINVAL;
    return BRAID_EIO;
  }

  braid_srtp_session_t *s = braid_xmalloc(sizeof(*s));
  s->ctx = ctx;
  s->suite = suite;
  s->dir = dir;
  *out = s;
  return 0;
}

int braid_srtp_session_new_base64(braid_srtp_session_t **out, braid_srtp_suite_t suite,
                                  braid_srtp_dir_t dir, braid_str_t key_base64) {
  uint8_t master[BRAID_SRTP_SESSION_MASTER_MAX];
  size_t master_len = 0;
  int rc = braid_srtp_session_key_from_base64(suite, key_base64, master, &master_len);
  if (rc == 0) {
    size_t key_len = braid_srtp_session_key_len(suite);
    rc = braid_srtp_session_new(out, suite, dir, master, key_len, master + key_len,
                                master_len - key_len);
  }
  explicit_bzero(master, sizeof(master));
  return rc;
}

void braid_srtp_session_free(braid_srtp_session_t *s) {
  if (s == NULL) return;
  /* srtp_dealloc() wipes the session keys of every stream. */
  srtp_dealloc(s->ctx);
  braid_free(s);
}

braid_srtp_suite_t braid_srtp_session_suite(const braid_srtp_session_t *s) { return s->suite; }

braid_srtp_dir_t braid_srtp_session_dir(const braid_srtp_session_t *s) { return s->dir; }

/* ---- packets -------------------------------------------------------------------- */

enum { RTP_HEADER_MIN = 12, RTCP_HEADER_MIN = 8 };

static int check_protect(const braid_srtp_session_t *s, size_t len, size_t cap, size_t min) {
  if (s->dir != BRAID_SRTP_DIR_OUTBOUND) return BRAID_ESTATE;
  if (cap < len) return BRAID_EINVAL;
  if (len < min) return BRAID_ETRUNC;
  if (len > BRAID_SRTP_SESSION_PACKET_MAX) return BRAID_ETOOBIG;
  if (cap - len < BRAID_SRTP_SESSION_TRAILER_MAX) return BRAID_ETOOBIG;
  return 0;
}

static int check_unprotect(const braid_srtp_session_t *s, size_t len, size_t min) {
  if (s->dir != BRAID_SRTP_DIR_INBOUND) return BRAID_ESTATE;
  if (len < min) return BRAID_ETRUNC;
  if (len > BRAID_SRTP_SESSION_PACKET_MAX) return BRAID_ETOOBIG;
  return 0;
}

/* Runs one libsrtp packet function on (buf, *len); the checks above keep
 * *len (and what libsrtp adds to it) inside int. */
typedef srtp_err_status_t (*packet_fn)(srtp_t ctx, void *hdr, int *len);

static int run(packet_fn fn, braid_srtp_session_t *s, uint8_t *buf, size_t *len) {
  int n = (int)*len;
  int rc = map_status(fn(s->ctx, buf, &n), s->dir);
  if (rc < 0) return rc;
  if (n < 0) return BRAID_EINTERNAL;
  *len = (size_t)n;
  return 0;
}

int braid_srtp_session_protect_rtp(braid_srtp_session_t *s, uint8_t *buf, size_t *len,
                                   size_t cap) {
  int rc = check_protect(s, *len, cap, RTP_HEADER_MIN);
  return rc < 0 ? rc : run(srtp_protect, s, buf, len);
}

int braid_srtp_session_protect_rtcp(braid_srtp_session_t *s, uint8_t *buf, size_t *len,
                                    size_t cap) {
  int rc = check_protect(s, *len, cap, RTCP_HEADER_MIN);
  return rc < 0 ? rc : run(srtp_protect_rtcp, s, buf, len);
}

int braid_srtp_session_unprotect_rtp(braid_srtp_session_t *s, uint8_t *buf, size_t *len) {
  int rc = check_unprotect(s, *len, RTP_HEADER_MIN);
  return rc < 0 ? rc : run(srtp_unprotect, s, buf, len);
}

int braid_srtp_session_unprotect_rtcp(braid_srtp_session_t *s, uint8_t *buf, size_t *len) {
  int rc = check_unprotect(s, *len, RTCP_HEADER_MIN);
  return rc < 0 ? rc : run(srtp_unprotect_rtcp, s, buf, len);
}

int braid_srtp_session_remove_ssrc(braid_srtp_session_t *s, uint32_t ssrc) {
  /* libsrtp takes the SSRC in network byte order. */
  return srtp_remove_stream(s->ctx, htonl(ssrc)) == srtp_err_status_ok ? 0 : BRAID_ENOTFOUND;
}
