/*
 * One DTLS association over OpenSSL memory BIOs (see dtls_transport.h).
 *
 * Data flow: _receive() checks the datagram, writes it into the read BIO,
 * lets OpenSSL consume it (handshake or SSL_read), then empties the read
 * BIO. Whatever OpenSSL writes lands in the write BIO, which flush_out()
 * cuts into datagrams of one record each and hands to the send callback
 * before the public call returns. So no callback ever runs on OpenSSL's
 * stack, and neither BIO holds more than one call's worth of bytes.
 *
 * Why memory BIOs and not a BIO of our own: Debian's OpenSSL has kernel TLS,
 * and a BIO that answers 1 to a control command it does not know makes
 * libssl believe kernel TLS is on and crash on the first ClientHello
 * (docs/field-notes.md). BIO_s_mem() answers 0, as it must.
 */
#include "mediad/sec/dtls_transport.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "common/err.h"
#include "common/mem.h"
#include "common/rd.h"

#define RECORD_HEADER_LEN 13

/* RFC 5705 exporter label of DTLS-SRTP (RFC 5764 §4.2). */
static const char srtp_exporter_label[] = "EXTRACTOR-dtls_srtp";

struct braid_dtls_transport {
  SSL *ssl;  /* owned; owns both BIOs */
  BIO *rbio; /* borrowed from ssl: datagrams from the peer */
  BIO *wbio; /* borrowed from ssl: records OpenSSL writes */
  braid_dtls_role_t role;
  braid_dtls_state_t state;
  braid_dtls_transport_callbacks_t cb;
  void *user_data; /* borrowed: the caller's */
  unsigned initial_timeout_ms, max_timeout_ms, mtu;
  bool have_remote_fp;
  bool awaiting_fp; /* handshake done, remote fingerprint not known yet */
  bool have_keys;
  bool in_send;           /* inside the send callback */
  bool free_pending;      /* _free() was called inside a callback */
  int depth;              /* public calls in progress on the stack */
  const char *reason;     /* static: why failed or closed */
  const char *peer_alert; /* static: the last alert the peer sent */
  int64_t next_timeout_ms;
  braid_dtls_digest_t remote_fp;
  braid_dtls_srtp_keys_t keys;
  braid_dtls_transport_stats_t stats;
};

/* Our suites with OpenSSL's profile names and RFC 5764 / RFC 7714 key and
 * salt lengths, in preference order. */
static const struct {
  braid_dtls_srtp_suite_t suite;
  const char *name;    /* mediasoup's */
  const char *profile; /* OpenSSL's */
  size_t key_len, salt_len;
} suites[] = {
    {BRAID_DTLS_SRTP_AEAD_AES_256_GCM, "AEAD_AES_256_GCM", "SRTP_AEAD_AES_256_GCM", 32, 12},
    {BRAID_DTLS_SRTP_AEAD_AES_128_GCM, "AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM", 16, 12},
    {BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", "SRTP_AES128_CM_SHA1_80",
     16, 14},
    {BRAID_DTLS_SRTP_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", "SRTP_AES128_CM_SHA1_32",
     16, 14},
};
#define SUITE_COUNT (sizeof(suites) / sizeof(suites[0]))

static const char *const state_names[] = {
    [BRAID_DTLS_STATE_NEW] = "new",
    [BRAID_DTLS_STATE_CONNECTING] = "connecting",
    [BRAID_DTLS_STATE_CONNECTED] = "connected",
    [BRAID_DTLS_STATE_FAILED] = "failed",
    [BRAID_DTLS_STATE_CLOSED] = "closed",
};

const char *braid_dtls_transport_suite_name(braid_dtls_srtp_suite_t suite) {
  for (size_t i = 0; i < SUITE_COUNT; i++)
    if (suites[i].suite == suite) return suites[i].name;
  return NULL;
}

const char *braid_dtls_transport_state_name(braid_dtls_state_t state) {
  if ((unsigned)state > BRAID_DTLS_STATE_CLOSED) return NULL;
  return state_names[state];
}

int braid_dtls_transport_role_from_remote(braid_str_t remote_role, braid_dtls_role_t *out) {
  if (braid_str_eq(remote_role, "client")) {
    *out = BRAID_DTLS_ROLE_SERVER;
  } else if (braid_str_eq(remote_role, "server") || braid_str_eq(remote_role, "auto")) {
    *out = BRAID_DTLS_ROLE_CLIENT;
  } else {
    return BRAID_EINVAL;
  }
  return 0;
}

/*
 * RFC 6347 §4.1, the record header (DTLSPlaintext; DTLSCiphertext has the
 * same header), 13 bytes, then `length` bytes of fragment:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  content type |     version (major, minor)    |     epoch     :
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :     epoch     |          sequence number (48 bits)            :
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :                sequence number                |    length     :
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   :    length     |           fragment (length bytes) ...
 *   +-+-+-+-+-+-+-+-+
 *
 * content type: 20 change_cipher_spec, 21 alert, 22 handshake,
 * 23 application_data (RFC 5246 §6.2.1). version: {254, 255} DTLS 1.0,
 * {254, 253} DTLS 1.2. A datagram may carry several records (§4.1.1).
 */
int braid_dtls_transport_check(const uint8_t *data, size_t len, const char **why) {
  braid_rd_t r;
  const char *reason;
  int rc, count = 0;
  if (len > BRAID_DTLS_MAX_DATAGRAM) {
    rc = BRAID_ETOOBIG;
    reason = "datagram longer than any DTLS record";
    goto out_fail;
  }
  braid_rd_init(&r, data, len);
  do {
    uint8_t type = 0, major = 0, minor = 0; /* read below: the header fits */
    uint16_t length = 0;
    if (braid_rd_left(&r) < RECORD_HEADER_LEN) {
      rc = BRAID_ETRUNC;
      reason = "datagram ends inside a record header";
      goto out_fail;
    }
    (void)braid_rd_u8(&r, &type);
    (void)braid_rd_u8(&r, &major);
    (void)braid_rd_u8(&r, &minor);
    (void)braid_rd_skip(&r, 2 + 6); /* epoch, sequence number */
    (void)braid_rd_u16(&r, &length);
    if (type < 20 || type > 23) {
      rc = BRAID_EMALFORMED;
      reason = "unknown record content type";
      goto out_fail;
    }
    if (major != 254 || (minor != 255 && minor != 253)) {
      rc = BRAID_EMALFORMED;
      reason = "record version is not DTLS 1.0 or 1.2";
      goto out_fail;
    }
    if (length > BRAID_DTLS_MAX_RECORD_LEN) {
      rc = BRAID_ETOOBIG;
      reason = "record longer than 2^14 + 2048";
      goto out_fail;
    }
    if (braid_rd_skip(&r, length) != 0) {
      rc = BRAID_ETRUNC;
      reason = "datagram ends inside a record fragment";
      goto out_fail;
    }
    count++;
  } while (braid_rd_left(&r) > 0);
  return count;

out_fail:
  if (why != NULL) *why = reason;
  return rc;
}

/*
 * OpenSSL 3.0 turns a record that DTLS should silently drop into a fatal
 * error when the record is protected (epoch > 0) and shorter than its AEAD
 * cipher's explicit nonce and tag: the cipher refuses the record's AAD and
 * ssl3_record.c calls SSLfatal(internal_error). One short datagram from
 * the peer, or from anyone who can spoof its address, would kill the
 * association, so such records are dropped here first. (Encrypt-then-MAC,
 * whose MAC failures OpenSSL also treats as fatal, is off: dtls_cert.c.)
 * Returns the shortest fragment a protected record can have: 24 for
 * AES-GCM (8-byte explicit nonce, 16-byte tag), 16 for ChaCha20-Poly1305,
 * 48 for AES-CBC with HMAC-SHA1 (IV and two blocks), or SIZE_MAX before
 * any cipher is negotiated, when no protected record can be genuine.
 */
static size_t min_protected_len(const SSL *ssl) {
  const SSL_CIPHER *c = SSL_get_pending_cipher(ssl);
  if (c == NULL) c = SSL_get_current_cipher(ssl);
  if (c == NULL) return SIZE_MAX;
  if (!SSL_CIPHER_is_aead(c)) return 48;
  return SSL_CIPHER_get_cipher_nid(c) == NID_chacha20_poly1305 ? 16 : 24;
}

/* True when no record of a datagram that passed braid_dtls_transport_check()
 * is a protected record too short for the cipher. */
static bool screen_records(const braid_dtls_transport_t *t, const uint8_t *data, size_t len) {
  size_t min = min_protected_len(t->ssl);
  braid_rd_t r;
  braid_rd_init(&r, data, len);
  while (braid_rd_left(&r) >= RECORD_HEADER_LEN) {
    uint16_t epoch = 0, length = 0;
    (void)braid_rd_skip(&r, 3); /* type, version */
    (void)braid_rd_u16(&r, &epoch);
    (void)braid_rd_skip(&r, 6); /* sequence number */
    (void)braid_rd_u16(&r, &length);
    if (epoch != 0 && length < min) return false;
    if (braid_rd_skip(&r, length) != 0) return false;
  }
  return true;
}

/*
 * Length of the next datagram to send from out[0..len): one record, as
 * OpenSSL sends with a datagram BIO (it sizes every record for the MTU,
 * assuming it travels alone). Records are deliberately not packed: when a
 * timer expires while OpenSSL reads, it retransmits its last flight and
 * then writes the next one in the same call, and OpenSSL 3.0 as a server
 * ignores a flight that arrives in one datagram behind a retransmitted
 * ClientHello, which stalls the handshake until the next timeout. The
 * fallback (everything left) only guards against a partial record, which
 * OpenSSL never writes.
 */
static size_t next_datagram_len(const uint8_t *out, size_t len) {
  if (len < RECORD_HEADER_LEN) return len;
  size_t rec = RECORD_HEADER_LEN + (size_t)((out[11] << 8) | out[12]);
  return rec <= len ? rec : len;
}

/* Hands everything OpenSSL has written to the send callback. */
static void flush_out(braid_dtls_transport_t *t) {
  char *out = NULL;
  long n = BIO_get_mem_data(t->wbio, &out);
  if (n <= 0 || out == NULL) return;
  size_t len = (size_t)n, off = 0;
  t->in_send = true;
  while (off < len && !t->free_pending) {
    size_t dlen = next_datagram_len((const uint8_t *)out + off, len - off);
    t->stats.tx_datagrams++;
    t->cb.send(t, (const uint8_t *)out + off, dlen, t->user_data);
    off += dlen;
  }
  t->in_send = false;
  (void)BIO_reset(t->wbio);
}

/* Moves to state s and tells the owner. Returns true if t is still usable
 * (the callback did not free it). */
static bool set_state(braid_dtls_transport_t *t, braid_dtls_state_t s, const char *reason) {
  if (t->state == s) return !t->free_pending;
  t->state = s;
  if (reason != NULL) t->reason = reason;
  if (s != BRAID_DTLS_STATE_CONNECTING && s != BRAID_DTLS_STATE_CONNECTED) t->next_timeout_ms = -1;
  if (t->cb.on_state != NULL && !t->free_pending) t->cb.on_state(t, s, t->user_data);
  return !t->free_pending;
}

/* Why OpenSSL failed: the peer's fatal alert if it sent one, else the
 * library's reason (static strings in both cases). */
static const char *ssl_failure_reason(const braid_dtls_transport_t *t) {
  if (t->peer_alert != NULL) return t->peer_alert;
  unsigned long e = ERR_peek_last_error();
  const char *s = e != 0 ? ERR_reason_error_string(e) : NULL;
  return s != NULL ? s : "DTLS error";
}

/* Classifies the result r of an SSL call that did not succeed. */
static void on_ssl_error(braid_dtls_transport_t *t, int r) {
  int err = SSL_get_error(t->ssl, r);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
  if (err == SSL_ERROR_ZERO_RETURN) {
    set_state(t, BRAID_DTLS_STATE_CLOSED, "close_notify received");
  } else {
    set_state(t, BRAID_DTLS_STATE_FAILED, ssl_failure_reason(t));
  }
  ERR_clear_error();
}

/* RFC 5764 §4.2: the exporter output is
 *   client_write_SRTP_master_key[key_len] server_write_SRTP_master_key[key_len]
 *   client_write_SRTP_master_salt[salt_len] server_write_SRTP_master_salt[salt_len]
 * Returns 0, or BRAID_EINTERNAL when a profile was negotiated but the
 * export failed. No profile: have_keys stays false. */
static int export_srtp_keys(braid_dtls_transport_t *t) {
  const SRTP_PROTECTION_PROFILE *p = SSL_get_selected_srtp_profile(t->ssl);
  if (p == NULL) return 0;
  size_t i = 0;
  while (i < SUITE_COUNT && strcmp(suites[i].profile, p->name) != 0)
    i++;
  if (i == SUITE_COUNT) return BRAID_EINTERNAL; /* a profile we did not offer */
  size_t kl = suites[i].key_len, sl = suites[i].salt_len;
  uint8_t material[2 * (BRAID_DTLS_SRTP_KEY_MAX + BRAID_DTLS_SRTP_SALT_MAX)];
  if (SSL_export_keying_material(t->ssl, material, 2 * (kl + sl), srtp_exporter_label,
                                 sizeof(srtp_exporter_label) - 1, NULL, 0, 0) != 1)
    return BRAID_EINTERNAL;
  const uint8_t *client_key = material, *server_key = material + kl;
  const uint8_t *client_salt = material + 2 * kl, *server_salt = client_salt + sl;
  bool client = t->role == BRAID_DTLS_ROLE_CLIENT;
  t->keys.suite = suites[i].suite;
  t->keys.key_len = kl;
  t->keys.salt_len = sl;
  memcpy(t->keys.local, client ? client_key : server_key, kl);
  memcpy(t->keys.local + kl, client ? client_salt : server_salt, sl);
  memcpy(t->keys.remote, client ? server_key : client_key, kl);
  memcpy(t->keys.remote + kl, client ? server_salt : client_salt, sl);
  t->have_keys = true;
  OPENSSL_cleanse(material, sizeof(material));
  return 0;
}

/* The handshake is done and the remote fingerprint known: check the peer's
 * certificate, export the keys, connect. */
static void verify_and_connect(braid_dtls_transport_t *t) {
  braid_dtls_digest_t got;
  X509 *peer = SSL_get1_peer_certificate(t->ssl);
  t->awaiting_fp = false;
  if (peer == NULL) {
    set_state(t, BRAID_DTLS_STATE_FAILED, "peer sent no certificate");
    return;
  }
  int rc = braid__dtls_cert_digest(peer, t->remote_fp.hash, &got);
  X509_free(peer);
  if (rc != 0 || got.len != t->remote_fp.len ||
      CRYPTO_memcmp(got.bytes, t->remote_fp.bytes, got.len) != 0) {
    set_state(t, BRAID_DTLS_STATE_FAILED, "peer certificate does not match the fingerprint");
    return;
  }
  if (export_srtp_keys(t) != 0) {
    ERR_clear_error();
    set_state(t, BRAID_DTLS_STATE_FAILED, "SRTP key export failed");
    return;
  }
  set_state(t, BRAID_DTLS_STATE_CONNECTED, NULL);
}

/* Reads application records until OpenSSL wants more input. Also the way
 * OpenSSL answers a peer's retransmitted last flight after the handshake.
 * Bounded: one datagram's records plus what OpenSSL buffered (<= 100). */
static void read_records(braid_dtls_transport_t *t) {
  uint8_t buf[16384]; /* the largest plaintext of a record */
  for (;;) {
    ERR_clear_error();
    int r = SSL_read(t->ssl, buf, sizeof(buf));
    flush_out(t);
    if (t->free_pending) return;
    if (r <= 0) {
      on_ssl_error(t, r);
      return;
    }
    if (t->state != BRAID_DTLS_STATE_CONNECTED) {
      t->stats.rx_app_dropped++; /* not authenticated yet */
      continue;
    }
    t->stats.app_rx++;
    if (t->cb.on_app_data != NULL) t->cb.on_app_data(t, buf, (size_t)r, t->user_data);
    if (t->free_pending || t->state != BRAID_DTLS_STATE_CONNECTED) return;
  }
}

/* Runs the handshake or reads records, after new input. */
static void drive(braid_dtls_transport_t *t) {
  if (!SSL_is_init_finished(t->ssl)) {
    ERR_clear_error();
    int r = SSL_do_handshake(t->ssl);
    flush_out(t);
    if (t->free_pending) return;
    if (r != 1) {
      on_ssl_error(t, r);
      return;
    }
    if (!t->have_remote_fp) {
      t->awaiting_fp = true;
    } else {
      verify_and_connect(t);
      if (t->free_pending || t->state != BRAID_DTLS_STATE_CONNECTED) return;
    }
  }
  read_records(t);
}

static void update_timer(braid_dtls_transport_t *t, int64_t now_ms) {
  struct timeval tv;
  if ((t->state == BRAID_DTLS_STATE_CONNECTING || t->state == BRAID_DTLS_STATE_CONNECTED) &&
      DTLSv1_get_timeout(t->ssl, &tv) == 1) {
    /* Round up: firing early would find OpenSSL's timer not yet expired. */
    t->next_timeout_ms = now_ms + (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
  } else {
    t->next_timeout_ms = -1;
  }
}

static void destroy(braid_dtls_transport_t *t) {
  SSL_free(t->ssl);
  OPENSSL_cleanse(&t->keys, sizeof(t->keys));
  braid_free(t);
}

/* Every public function that may run callbacks brackets them with
 * enter()/leave(); the last leave() performs a deferred free. */
static void enter(braid_dtls_transport_t *t) { t->depth++; }

static int leave(braid_dtls_transport_t *t, int64_t now_ms, int rc) {
  if (!t->free_pending) update_timer(t, now_ms);
  if (--t->depth == 0 && t->free_pending) destroy(t);
  return rc;
}

/* OpenSSL asks for the next retransmission timeout: prev_us is 0 when a
 * flight is first sent. */
static unsigned int timer_cb(SSL *ssl, unsigned int prev_us) {
  const braid_dtls_transport_t *t = SSL_get_app_data(ssl);
  unsigned int max_us = t->max_timeout_ms * 1000u;
  if (prev_us == 0) return t->initial_timeout_ms * 1000u;
  return prev_us >= max_us / 2 ? max_us : 2 * prev_us;
}

/* Remembers the peer's alerts, to say why an association failed. */
static void info_cb(const SSL *ssl, int where, int ret) {
  if ((where & SSL_CB_READ_ALERT) != SSL_CB_READ_ALERT) return;
  braid_dtls_transport_t *t = SSL_get_app_data(ssl);
  if ((ret >> 8) == SSL3_AL_FATAL) t->peer_alert = SSL_alert_desc_string_long(ret);
}

static int build_profiles(unsigned mask, char *out, size_t outsz) {
  size_t off = 0;
  for (size_t i = 0; i < SUITE_COUNT; i++) {
    if ((mask & suites[i].suite) == 0) continue;
    size_t n = strlen(suites[i].profile);
    if (outsz - off < n + 2) return BRAID_EINTERNAL;
    if (off > 0) out[off++] = ':';
    memcpy(out + off, suites[i].profile, n);
    off += n;
  }
  out[off] = '\0';
  return 0;
}

static int setup_ssl(braid_dtls_transport_t *t, const braid_dtls_cert_t *cert, unsigned mask) {
  char profiles[128];
  if (build_profiles(mask, profiles, sizeof(profiles)) != 0) return BRAID_EINTERNAL;
  t->ssl = SSL_new(braid__dtls_cert_ssl_ctx(cert));
  if (t->ssl == NULL) return BRAID_EINTERNAL;
  t->rbio = BIO_new(BIO_s_mem());
  t->wbio = BIO_new(BIO_s_mem());
  if (t->rbio == NULL || t->wbio == NULL) {
    BIO_free(t->rbio);
    BIO_free(t->wbio);
    return BRAID_EINTERNAL;
  }
  /* An empty read BIO means "no more data yet", not end of file. */
  BIO_set_mem_eof_return(t->rbio, -1);
  BIO_set_mem_eof_return(t->wbio, -1);
  SSL_set_bio(t->ssl, t->rbio, t->wbio);
  SSL_set_app_data(t->ssl, t);
  SSL_set_info_callback(t->ssl, info_cb);
  DTLS_set_timer_cb(t->ssl, timer_cb);
  if (SSL_set_mtu(t->ssl, t->mtu) <= 0) return BRAID_EINTERNAL;
  /* Returns 0 on success (unlike most of OpenSSL). */
  if (SSL_set_tlsext_use_srtp(t->ssl, profiles) != 0) return BRAID_EINTERNAL;
  if (t->role == BRAID_DTLS_ROLE_CLIENT) {
    SSL_set_connect_state(t->ssl);
  } else {
    SSL_set_accept_state(t->ssl);
  }
  return 0;
}

int braid_dtls_transport_new(braid_dtls_transport_t **out, const braid_dtls_cert_t *cert,
                             braid_dtls_role_t role, const braid_dtls_transport_opts_t *opts,
                             const braid_dtls_transport_callbacks_t *cb, void *user_data) {
  static const braid_dtls_transport_opts_t defaults = {0};
  if (opts == NULL) opts = &defaults;
  unsigned mask = opts->srtp_suites != 0 ? opts->srtp_suites : BRAID_DTLS_SRTP_ALL;
  unsigned initial =
      opts->initial_timeout_ms != 0 ? opts->initial_timeout_ms : BRAID_DTLS_TIMEOUT_INITIAL_MS;
  unsigned max = opts->max_timeout_ms != 0 ? opts->max_timeout_ms : BRAID_DTLS_TIMEOUT_MAX_MS;
  unsigned mtu = opts->mtu != 0 ? opts->mtu : BRAID_DTLS_MTU;
  if (cert == NULL || cb == NULL || cb->send == NULL || (mask & ~BRAID_DTLS_SRTP_ALL) != 0 ||
      (role != BRAID_DTLS_ROLE_CLIENT && role != BRAID_DTLS_ROLE_SERVER) || initial > max ||
      max > 60 * 1000 || mtu < BRAID_DTLS_MTU_MIN || mtu > BRAID_DTLS_MTU)
    return BRAID_EINVAL;
  braid_dtls_transport_t *t = braid_xcalloc(1, sizeof(*t));
  t->role = role;
  t->state = BRAID_DTLS_STATE_NEW;
  t->cb = *cb;
  t->user_data = user_data;
  t->initial_timeout_ms = initial;
  t->max_timeout_ms = max;
  t->mtu = mtu;
  t->next_timeout_ms = -1;
  int rc = setup_ssl(t, cert, mask);
  if (rc != 0) {
    ERR_clear_error();
    destroy(t);
    return rc;
  }
  *out = t;
  return 0;
}

void braid_dtls_transport_free(braid_dtls_transport_t *t) {
  if (t == NULL) return;
  if (t->depth > 0) {
    t->free_pending = true;
    return;
  }
  destroy(t);
}

int braid_dtls_transport_set_remote_fingerprint(braid_dtls_transport_t *t, braid_str_t algorithm,
                                                braid_str_t value, const char **why) {
  if (t->have_remote_fp || t->in_send) {
    if (why != NULL) *why = "remote fingerprint already set";
    return BRAID_ESTATE;
  }
  int rc = braid_dtls_cert_parse_fingerprint(&t->remote_fp, algorithm, value, why);
  if (rc != 0) return rc;
  t->have_remote_fp = true;
  if (t->awaiting_fp && t->state == BRAID_DTLS_STATE_CONNECTING) {
    /* No clock here: keep the deadline the last call computed. */
    enter(t);
    verify_and_connect(t);
    if (--t->depth == 0 && t->free_pending) destroy(t);
  }
  return 0;
}

int braid_dtls_transport_start(braid_dtls_transport_t *t, int64_t now_ms) {
  if (t->state != BRAID_DTLS_STATE_NEW || t->depth > 0) return BRAID_ESTATE;
  enter(t);
  if (set_state(t, BRAID_DTLS_STATE_CONNECTING, NULL) && t->role == BRAID_DTLS_ROLE_CLIENT)
    drive(t);
  return leave(t, now_ms, 0);
}

int braid_dtls_transport_receive(braid_dtls_transport_t *t, const uint8_t *data, size_t len,
                                 int64_t now_ms) {
  if (t->depth > 0 || t->state == BRAID_DTLS_STATE_NEW) {
    t->stats.rx_rejected++;
    return BRAID_ESTATE;
  }
  if (t->state != BRAID_DTLS_STATE_CONNECTING && t->state != BRAID_DTLS_STATE_CONNECTED) {
    t->stats.rx_rejected++;
    return BRAID_ECLOSED;
  }
  int rc = braid_dtls_transport_check(data, len, NULL);
  if (rc >= 0 && !screen_records(t, data, len)) rc = BRAID_EMALFORMED;
  if (rc < 0) {
    t->stats.rx_malformed++;
    return rc;
  }
  t->stats.rx_datagrams++;
  enter(t);
  if (BIO_write(t->rbio, data, (int)len) != (int)len) {
    ERR_clear_error();
    set_state(t, BRAID_DTLS_STATE_FAILED, "out of memory in a BIO");
  } else {
    drive(t);
    /* Whatever OpenSSL did not consume (nothing, normally) is dropped, so
     * the read BIO never holds more than one datagram. */
    if (!t->free_pending) (void)BIO_reset(t->rbio);
  }
  return leave(t, now_ms, 0);
}

int64_t braid_dtls_transport_get_next_timeout(const braid_dtls_transport_t *t) {
  return t->next_timeout_ms;
}

int braid_dtls_transport_on_timeout(braid_dtls_transport_t *t, int64_t now_ms) {
  if (t->depth > 0) return BRAID_ESTATE;
  if (t->state != BRAID_DTLS_STATE_CONNECTING && t->state != BRAID_DTLS_STATE_CONNECTED) return 0;
  enter(t);
  ERR_clear_error();
  int r = (int)DTLSv1_handle_timeout(t->ssl);
  if (r > 0) t->stats.retransmits++;
  flush_out(t);
  if (r < 0 && !t->free_pending) {
    set_state(t, BRAID_DTLS_STATE_FAILED, "handshake timed out");
    ERR_clear_error();
  }
  return leave(t, now_ms, 0);
}

size_t braid_dtls_transport_max_app(const braid_dtls_transport_t *t) {
  if (t->state != BRAID_DTLS_STATE_CONNECTED) return 0;
  return DTLS_get_data_mtu(t->ssl);
}

int braid_dtls_transport_send_app(braid_dtls_transport_t *t, const uint8_t *data, size_t len) {
  if (t->in_send || t->state != BRAID_DTLS_STATE_CONNECTED) return BRAID_ESTATE;
  if (len == 0) return BRAID_EINVAL;
  if (len > braid_dtls_transport_max_app(t)) return BRAID_ETOOBIG;
  int rc = 0;
  enter(t);
  ERR_clear_error();
  int r = SSL_write(t->ssl, data, (int)len);
  flush_out(t);
  if (r == (int)len) {
    t->stats.app_tx++;
  } else {
    rc = BRAID_EIO;
    if (!t->free_pending) on_ssl_error(t, r);
  }
  /* No clock here: sending does not start a timer in DTLS 1.2. */
  if (--t->depth == 0 && t->free_pending) destroy(t);
  return rc;
}

int braid_dtls_transport_shutdown(braid_dtls_transport_t *t) {
  if (t->in_send) return BRAID_ESTATE;
  if (t->state == BRAID_DTLS_STATE_CLOSED || t->state == BRAID_DTLS_STATE_FAILED) return 0;
  enter(t);
  if (t->state == BRAID_DTLS_STATE_CONNECTED) {
    ERR_clear_error();
    (void)SSL_shutdown(t->ssl);
    ERR_clear_error();
    flush_out(t);
  }
  if (!t->free_pending) set_state(t, BRAID_DTLS_STATE_CLOSED, "closed locally");
  if (--t->depth == 0 && t->free_pending) destroy(t);
  return 0;
}

braid_dtls_state_t braid_dtls_transport_state(const braid_dtls_transport_t *t) { return t->state; }

braid_dtls_role_t braid_dtls_transport_role(const braid_dtls_transport_t *t) { return t->role; }

const char *braid_dtls_transport_reason(const braid_dtls_transport_t *t) { return t->reason; }

const braid_dtls_srtp_keys_t *braid_dtls_transport_srtp_keys(const braid_dtls_transport_t *t) {
  return t->state == BRAID_DTLS_STATE_CONNECTED && t->have_keys ? &t->keys : NULL;
}

const braid_dtls_transport_stats_t *braid_dtls_transport_stats(const braid_dtls_transport_t *t) {
  return &t->stats;
}
