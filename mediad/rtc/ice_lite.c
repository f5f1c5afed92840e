/*
 * ICE-lite agent (the state machine is drawn in ice_lite.h). The request
 * checks mirror mediasoup's IceServer::ProcessStunPacket and the tuple
 * handling its HandleTuple, so browsers see the same answers from us as
 * from mediasoup.
 */
#include "mediad/rtc/ice_lite.h"

#include <netinet/in.h>
#include <string.h>

#include "common/id.h"
#include "common/log.h"
#include "common/mem.h"

typedef struct cred {
  char ufrag[BRAID_ICE_UFRAG_MAX + 1];
  char pwd[BRAID_ICE_PWD_MAX + 1];
  size_t ufrag_len, pwd_len; /* ufrag_len 0: no credentials */
} cred_t;

typedef struct slot {
  braid_ice_tuple_t tuple;
  uint64_t seq; /* when it was added: evict the oldest, list the newest first */
  bool used;
} slot_t;

struct braid_ice_lite {
  const braid_ice_lite_callbacks_t *cbs; /* borrowed: outlives the agent */
  void *user_data;
  braid_ice_state_t state;
  cred_t cur, old; /* old: the credentials before a restart, until retired */
  uint32_t remote_nomination;
  slot_t slots[BRAID_ICE_MAX_TUPLES];
  int selected; /* index into slots, or -1 */
  uint64_t next_seq;
  int64_t consent_timeout_ms; /* 0: disabled */
  int64_t consent_deadline;   /* -1: not running */
  unsigned depth;             /* > 0 while a callback runs */
  bool stop;                  /* a callback returned non-zero during this call */
  bool free_pending;          /* braid_ice_lite_free() was called from a callback */
  braid_ice_lite_stats_t stats;
};

/* ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4). */
static bool is_ice_chars(braid_str_t s) {
  for (size_t i = 0; i < s.len; i++) {
    char c = s.p[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

/* Fills c with the given credentials, or generated ones where empty. */
static int make_cred(cred_t *c, braid_str_t ufrag, braid_str_t pwd) {
  if (ufrag.len == 0) {
    braid_id_random_string(c->ufrag, BRAID_ICE_CRED_LEN);
    c->ufrag_len = BRAID_ICE_CRED_LEN;
  } else {
    if (ufrag.len < BRAID_ICE_UFRAG_MIN || ufrag.len > BRAID_ICE_UFRAG_MAX || !is_ice_chars(ufrag))
      return BRAID_EINVAL;
    memcpy(c->ufrag, ufrag.p, ufrag.len);
    c->ufrag[ufrag.len] = '\0';
    c->ufrag_len = ufrag.len;
  }
  if (pwd.len == 0) {
    braid_id_random_string(c->pwd, BRAID_ICE_CRED_LEN);
    c->pwd_len = BRAID_ICE_CRED_LEN;
  } else {
    if (pwd.len < BRAID_ICE_PWD_MIN || pwd.len > BRAID_ICE_PWD_MAX || !is_ice_chars(pwd))
      return BRAID_EINVAL;
    memcpy(c->pwd, pwd.p, pwd.len);
    c->pwd[pwd.len] = '\0';
    c->pwd_len = pwd.len;
  }
  return 0;
}

bool braid_ice_lite_tuple_eq(const braid_ice_tuple_t *a, const braid_ice_tuple_t *b) {
  if (a->remote.family != b->remote.family || a->remote.port != b->remote.port ||
      a->proto != b->proto || a->cookie != b->cookie)
    return false;
  size_t n = a->remote.family == BRAID_STUN_FAMILY_IPV4 ? 4 : 16;
  return memcmp(a->remote.addr, b->remote.addr, n) == 0;
}

static bool tuple_ok(const braid_ice_tuple_t *t) {
  return (t->remote.family == BRAID_STUN_FAMILY_IPV4 ||
          t->remote.family == BRAID_STUN_FAMILY_IPV6) &&
         (t->proto == BRAID_ICE_PROTO_UDP || t->proto == BRAID_ICE_PROTO_TCP);
}

/* --- Callbacks: each helper skips the call once a callback said stop. --- */

static void emit_state(braid_ice_lite_t *ice) {
  if (ice->stop || ice->cbs->on_state == NULL) return;
  ice->depth++;
  if (ice->cbs->on_state(ice, ice->state, ice->user_data) != 0) ice->stop = true;
  ice->depth--;
}

typedef int (*tuple_cb_t)(braid_ice_lite_t *, const braid_ice_tuple_t *, void *);

static void emit_tuple(braid_ice_lite_t *ice, tuple_cb_t cb, const braid_ice_tuple_t *t) {
  if (ice->stop || cb == NULL) return;
  ice->depth++;
  if (cb(ice, t, ice->user_data) != 0) ice->stop = true;
  ice->depth--;
}

static void emit_retired(braid_ice_lite_t *ice, const cred_t *c) {
  if (ice->stop || ice->cbs->on_ufrag_retired == NULL) return;
  ice->depth++;
  if (ice->cbs->on_ufrag_retired(ice, (braid_str_t){c->ufrag, c->ufrag_len}, ice->user_data) != 0)
    ice->stop = true;
  ice->depth--;
}

/* Every mutating entry point starts with enter() and ends with leave(),
 * which performs a free requested from a callback. */
static int enter(braid_ice_lite_t *ice) {
  if (ice->depth > 0) return BRAID_ESTATE;
  if (ice->state == BRAID_ICE_STATE_CLOSED) return BRAID_ECLOSED;
  ice->stop = false;
  return 0;
}

static void destroy(braid_ice_lite_t *ice) {
  memset(ice, 0, sizeof *ice); /* credentials are secrets */
  braid_free(ice);
}

static int leave(braid_ice_lite_t *ice, int rc) {
  if (ice->free_pending) {
    destroy(ice);
    return BRAID_ECLOSED;
  }
  return ice->stop ? BRAID_ECLOSED : rc;
}

/* --- Tuples and selection. --- */

static int find_slot(const braid_ice_lite_t *ice, const braid_ice_tuple_t *t) {
  for (int i = 0; i < BRAID_ICE_MAX_TUPLES; i++)
    if (ice->slots[i].used && braid_ice_lite_tuple_eq(&ice->slots[i].tuple, t)) return i;
  return -1;
}

static void consent_restart(braid_ice_lite_t *ice, int64_t now_ms) {
  ice->consent_deadline = ice->consent_timeout_ms > 0 ? now_ms + ice->consent_timeout_ms : -1;
}

/* Selects slot i; returns false when it already was. */
static bool select_slot(braid_ice_lite_t *ice, int i, int64_t now_ms) {
  if (ice->selected == i) return false;
  ice->selected = i;
  consent_restart(ice, now_ms);
  emit_tuple(ice, ice->cbs->on_selected_tuple, &ice->slots[i].tuple);
  return true;
}

static void drop_slot(braid_ice_lite_t *ice, int i) {
  emit_tuple(ice, ice->cbs->on_tuple_removed, &ice->slots[i].tuple);
  memset(&ice->slots[i], 0, sizeof ice->slots[i]);
  if (ice->selected == i) ice->selected = -1;
}

/* The slot of t, added (and reported) if new. When every slot is taken,
 * the oldest tuple that is not selected makes room. */
static int add_tuple(braid_ice_lite_t *ice, const braid_ice_tuple_t *t) {
  int i = find_slot(ice, t);
  if (i >= 0) return i;
  int free_i = -1, oldest = -1;
  for (int j = 0; j < BRAID_ICE_MAX_TUPLES; j++) {
    if (!ice->slots[j].used) {
      if (free_i < 0) free_i = j;
    } else if (j != ice->selected && (oldest < 0 || ice->slots[j].seq < ice->slots[oldest].seq)) {
      oldest = j;
    }
  }
  if (free_i < 0) {
    BRAID_ASSERT(oldest >= 0); /* BRAID_ICE_MAX_TUPLES >= 2 */
    ice->stats.tuples_evicted++;
    drop_slot(ice, oldest);
    free_i = oldest;
  }
  ice->slots[free_i].tuple = *t;
  ice->slots[free_i].seq = ice->next_seq++;
  ice->slots[free_i].used = true;
  emit_tuple(ice, ice->cbs->on_tuple_added, &ice->slots[free_i].tuple);
  return free_i;
}

static void set_state(braid_ice_lite_t *ice, braid_ice_state_t state) {
  ice->state = state;
  if (state != BRAID_ICE_STATE_CONNECTED && state != BRAID_ICE_STATE_COMPLETED)
    ice->consent_deadline = -1;
}

/* mediasoup's HandleTuple: learn the tuple; select it on the first check
 * (connected) or when nominated (completed). A NOMINATION value must beat
 * the highest seen; USE-CANDIDATE alone always wins. */
static void handle_tuple(braid_ice_lite_t *ice, const braid_ice_tuple_t *t, bool use_candidate,
                         bool has_nomination, uint32_t nomination, int64_t now_ms) {
  bool nominated = use_candidate || has_nomination;
  bool wins = !has_nomination || nomination > ice->remote_nomination;
  int i = add_tuple(ice, t);
  bool was_up = ice->state == BRAID_ICE_STATE_CONNECTED || ice->state == BRAID_ICE_STATE_COMPLETED;

  if (!nominated) {
    if (was_up) return;
    set_state(ice, BRAID_ICE_STATE_CONNECTED);
    select_slot(ice, i, now_ms);
    emit_state(ice);
    return;
  }
  if (!wins) return;
  if (has_nomination) ice->remote_nomination = nomination;
  if (ice->state == BRAID_ICE_STATE_COMPLETED) {
    select_slot(ice, i, now_ms);
    return;
  }
  set_state(ice, BRAID_ICE_STATE_COMPLETED);
  select_slot(ice, i, now_ms);
  emit_state(ice);
}

/* --- Requests. --- */

static bool username_matches(braid_str_t username, const cred_t *c) {
  return c->ufrag_len > 0 && username.len > c->ufrag_len &&
         memcmp(username.p, c->ufrag, c->ufrag_len) == 0 && username.p[c->ufrag_len] == ':';
}

/* The credentials that authenticate msg (USERNAME and MESSAGE-INTEGRITY):
 * the current ones, else the previous ones; NULL if neither. */
static const cred_t *authenticate(const braid_ice_lite_t *ice, const braid_stun_msg_t *msg,
                                  braid_str_t username) {
  const cred_t *creds[2] = {&ice->cur, &ice->old};
  for (int i = 0; i < 2; i++) {
    const cred_t *c = creds[i];
    if (username_matches(username, c) &&
        braid_stun_msg_check_integrity(msg, (const uint8_t *)c->pwd, c->pwd_len) == 0)
      return c;
  }
  return NULL;
}

static void reply_error(braid_ice_lite_t *ice, const braid_stun_msg_t *msg,
                        braid_ice_lite_reply_t *reply, uint16_t code, const cred_t *key,
                        const char *why) {
  size_t len = 0;
  const uint8_t *k = key != NULL ? (const uint8_t *)key->pwd : NULL;
  int rc = braid_stun_msg_build_error_response(reply->buf, reply->cap, msg->method, msg->tid, code,
                                               k, key != NULL ? key->pwd_len : 0, &len);
  reply->len = rc == 0 ? len : 0;
  reply->why = why;
  if (code == 400) {
    reply->verdict = BRAID_ICE_LITE_BAD_REQUEST;
    ice->stats.bad_request++;
  } else if (code == 401) {
    reply->verdict = BRAID_ICE_LITE_UNAUTHORIZED;
    ice->stats.unauthorized++;
  } else {
    reply->verdict = BRAID_ICE_LITE_ROLE_CONFLICT;
    ice->stats.role_conflict++;
  }
}

static void reply_ignore(braid_ice_lite_t *ice, braid_ice_lite_reply_t *reply, const char *why) {
  reply->len = 0;
  reply->verdict = BRAID_ICE_LITE_IGNORED;
  reply->why = why;
  ice->stats.ignored++;
}

/* Checks a request in mediasoup's order; returns the credentials that
 * authenticated it, or NULL after filling in the refusal. */
static const cred_t *check_request(braid_ice_lite_t *ice, const braid_stun_msg_t *msg,
                                   braid_ice_lite_reply_t *reply) {
  braid_str_t username;
  uint32_t priority = 0;
  if (msg->method != BRAID_STUN_METHOD_BINDING) {
    reply_error(ice, msg, reply, 400, NULL, "request of another method than Binding");
    return NULL;
  }
  if (!braid_stun_msg_has_fingerprint(msg)) {
    reply_error(ice, msg, reply, 400, NULL, "no FINGERPRINT");
    return NULL;
  }
  if (braid_stun_msg_check_fingerprint(msg) != 0) {
    reply_ignore(ice, reply, "FINGERPRINT mismatch");
    return NULL;
  }
  if (braid_stun_msg_priority(msg, &priority) != 0 || priority == 0) {
    reply_error(ice, msg, reply, 400, NULL, "no PRIORITY");
    return NULL;
  }
  if (braid_stun_msg_username(msg, &username) != 0 || !braid_stun_msg_has_integrity(msg)) {
    reply_error(ice, msg, reply, 400, NULL, "no USERNAME or MESSAGE-INTEGRITY");
    return NULL;
  }
  const cred_t *key = authenticate(ice, msg, username);
  if (key == NULL) {
    reply_error(ice, msg, reply, 401, NULL, "wrong USERNAME or MESSAGE-INTEGRITY");
    return NULL;
  }
  return key;
}

int braid_ice_lite_receive(braid_ice_lite_t *ice, const braid_stun_msg_t *msg,
                           const braid_ice_tuple_t *tuple, int64_t now_ms,
                           braid_ice_lite_reply_t *reply) {
  int rc = enter(ice);
  if (rc != 0) return rc;
  if (reply->buf == NULL || reply->cap < BRAID_ICE_LITE_REPLY_MAX || !tuple_ok(tuple))
    return BRAID_EINVAL;
  reply->len = 0;
  reply->why = NULL;
  if (msg->cls != BRAID_STUN_CLASS_REQUEST) {
    reply_ignore(ice, reply, "not a request");
    return 0;
  }
  ice->stats.rx_requests++;
  const cred_t *key = check_request(ice, msg, reply);
  if (key == NULL) return 0;

  /* The peer used the new credentials: the old ones are done. */
  if (key == &ice->cur && ice->old.ufrag_len > 0) {
    emit_retired(ice, &ice->old);
    memset(&ice->old, 0, sizeof ice->old);
  }
  if (msg->off_ice_controlled != 0) {
    reply_error(ice, msg, reply, 487, key, "peer claims the controlled role");
    return leave(ice, 0);
  }
  size_t len = 0;
  rc = braid_stun_msg_build_binding_success(reply->buf, reply->cap, msg->tid, &tuple->remote,
                                            (const uint8_t *)key->pwd, key->pwd_len, &len);
  if (rc != 0) {
    reply_ignore(ice, reply, "could not build the response");
    return leave(ice, 0);
  }
  reply->len = len;
  reply->verdict = BRAID_ICE_LITE_VALID;
  ice->stats.valid++;

  uint32_t nomination = 0;
  bool has_nomination = braid_stun_msg_nomination(msg, &nomination) == 0;
  handle_tuple(ice, tuple, braid_stun_msg_use_candidate(msg), has_nomination, nomination, now_ms);
  /* Consent freshness: a valid check on the selected tuple. */
  if (ice->selected >= 0 && ice->consent_deadline >= 0 &&
      braid_ice_lite_tuple_eq(&ice->slots[ice->selected].tuple, tuple))
    consent_restart(ice, now_ms);
  return leave(ice, 0);
}

/* --- Lifecycle. --- */

int braid_ice_lite_new(braid_ice_lite_t **out, const braid_ice_lite_opts_t *opts,
                       const braid_ice_lite_callbacks_t *cbs, void *user_data) {
  static const braid_ice_lite_callbacks_t no_cbs = {0};
  braid_ice_lite_t *ice = braid_xcalloc(1, sizeof *ice);
  if (make_cred(&ice->cur, opts->ufrag, opts->pwd) != 0) {
    destroy(ice);
    return BRAID_EINVAL;
  }
  uint32_t s = opts->consent_timeout_s;
  if (s != 0 && s < BRAID_ICE_CONSENT_TIMEOUT_MIN_S) s = BRAID_ICE_CONSENT_TIMEOUT_MIN_S;
  if (s > BRAID_ICE_CONSENT_TIMEOUT_MAX_S) s = BRAID_ICE_CONSENT_TIMEOUT_MAX_S;
  ice->consent_timeout_ms = (int64_t)s * 1000;
  ice->consent_deadline = -1;
  ice->cbs = cbs != NULL ? cbs : &no_cbs;
  ice->user_data = user_data;
  ice->state = BRAID_ICE_STATE_NEW;
  ice->selected = -1;
  *out = ice;
  return 0;
}

void braid_ice_lite_free(braid_ice_lite_t *ice) {
  if (ice == NULL) return;
  if (ice->depth > 0) {
    ice->free_pending = true;
    ice->stop = true;
    return;
  }
  destroy(ice);
}

void braid_ice_lite_close(braid_ice_lite_t *ice) {
  if (ice->depth > 0) return; /* the owner closes after the callback */
  memset(ice->slots, 0, sizeof ice->slots);
  ice->selected = -1;
  set_state(ice, BRAID_ICE_STATE_CLOSED);
}

int braid_ice_lite_restart(braid_ice_lite_t *ice, braid_str_t ufrag, braid_str_t pwd,
                           int64_t now_ms) {
  int rc = enter(ice);
  if (rc != 0) return rc;
  cred_t fresh;
  if (make_cred(&fresh, ufrag, pwd) != 0) return BRAID_EINVAL;
  if (ice->old.ufrag_len > 0) emit_retired(ice, &ice->old);
  ice->old = ice->cur;
  ice->cur = fresh;
  memset(&fresh, 0, sizeof fresh);
  ice->remote_nomination = 0;
  if (ice->consent_deadline >= 0) consent_restart(ice, now_ms);
  return leave(ice, 0);
}

int braid_ice_lite_remove_tuple(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple,
                                int64_t now_ms) {
  int rc = enter(ice);
  if (rc != 0) return rc;
  int i = find_slot(ice, tuple);
  if (i < 0) return BRAID_ENOTFOUND;
  bool was_selected = ice->selected == i;
  drop_slot(ice, i);
  if (!was_selected) return leave(ice, 0);
  /* Another tuple takes over (the most recent), or ICE is down. */
  int best = -1;
  for (int j = 0; j < BRAID_ICE_MAX_TUPLES; j++)
    if (ice->slots[j].used && (best < 0 || ice->slots[j].seq > ice->slots[best].seq)) best = j;
  if (best >= 0) {
    select_slot(ice, best, now_ms);
  } else {
    set_state(ice, BRAID_ICE_STATE_DISCONNECTED);
    ice->remote_nomination = 0;
    emit_state(ice);
  }
  return leave(ice, 0);
}

int braid_ice_lite_force_selected_tuple(braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple,
                                        int64_t now_ms) {
  int rc = enter(ice);
  if (rc != 0) return rc;
  if (ice->state != BRAID_ICE_STATE_CONNECTED && ice->state != BRAID_ICE_STATE_COMPLETED)
    return BRAID_ESTATE;
  int i = find_slot(ice, tuple);
  if (i < 0) return BRAID_ENOTFOUND;
  select_slot(ice, i, now_ms);
  return leave(ice, 0);
}

int64_t braid_ice_lite_get_next_timeout(const braid_ice_lite_t *ice) {
  return ice->consent_deadline;
}

int braid_ice_lite_on_timeout(braid_ice_lite_t *ice, int64_t now_ms) {
  int rc = enter(ice);
  if (rc != 0) return rc;
  if (ice->consent_deadline < 0 || now_ms < ice->consent_deadline) return 0;
  /* Consent expired (mediasoup: "ICE consent expired due to timeout"):
   * forget every tuple, as the peer must check again to come back. */
  ice->stats.consent_expired++;
  set_state(ice, BRAID_ICE_STATE_DISCONNECTED);
  ice->remote_nomination = 0;
  ice->selected = -1;
  for (int i = 0; i < BRAID_ICE_MAX_TUPLES; i++)
    if (ice->slots[i].used) drop_slot(ice, i);
  emit_state(ice);
  return leave(ice, 0);
}

/* --- Getters. --- */

braid_ice_state_t braid_ice_lite_state(const braid_ice_lite_t *ice) { return ice->state; }

const char *braid_ice_lite_state_name(braid_ice_state_t state) {
  switch (state) {
  case BRAID_ICE_STATE_NEW: return "new";
  case BRAID_ICE_STATE_CONNECTED: return "connected";
  case BRAID_ICE_STATE_COMPLETED: return "completed";
  case BRAID_ICE_STATE_DISCONNECTED: return "disconnected";
  case BRAID_ICE_STATE_CLOSED: return "closed";
  }
  return "unknown";
}

braid_str_t braid_ice_lite_ufrag(const braid_ice_lite_t *ice) {
  return (braid_str_t){ice->cur.ufrag, ice->cur.ufrag_len};
}

braid_str_t braid_ice_lite_pwd(const braid_ice_lite_t *ice) {
  return (braid_str_t){ice->cur.pwd, ice->cur.pwd_len};
}

const braid_ice_tuple_t *braid_ice_lite_selected_tuple(const braid_ice_lite_t *ice) {
  return ice->selected >= 0 ? &ice->slots[ice->selected].tuple : NULL;
}

bool braid_ice_lite_is_valid_tuple(const braid_ice_lite_t *ice, const braid_ice_tuple_t *tuple) {
  return find_slot(ice, tuple) >= 0;
}

const braid_ice_tuple_t *braid_ice_lite_tuple_at(const braid_ice_lite_t *ice, size_t i) {
  /* Rank by age: the i-th newest is the one with exactly i newer tuples. */
  for (int j = 0; j < BRAID_ICE_MAX_TUPLES; j++) {
    if (!ice->slots[j].used) continue;
    size_t newer = 0;
    for (int k = 0; k < BRAID_ICE_MAX_TUPLES; k++)
      if (ice->slots[k].used && ice->slots[k].seq > ice->slots[j].seq) newer++;
    if (newer == i) return &ice->slots[j].tuple;
  }
  return NULL;
}

const braid_ice_lite_stats_t *braid_ice_lite_stats(const braid_ice_lite_t *ice) {
  return &ice->stats;
}

int braid_ice_lite_tuple_from_sockaddr(braid_ice_tuple_t *tuple, const struct sockaddr *sa,
                                       socklen_t salen, uint8_t proto, uint64_t cookie) {
  memset(tuple, 0, sizeof *tuple);
  if (sa->sa_family == AF_INET && salen >= (socklen_t)sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    tuple->remote.family = BRAID_STUN_FAMILY_IPV4;
    tuple->remote.port = ntohs(in->sin_port);
    memcpy(tuple->remote.addr, &in->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6 && salen >= (socklen_t)sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
    tuple->remote.family = BRAID_STUN_FAMILY_IPV6;
    tuple->remote.port = ntohs(in6->sin6_port);
    memcpy(tuple->remote.addr, &in6->sin6_addr, 16);
  } else {
    return BRAID_EINVAL;
  }
  tuple->proto = proto;
  tuple->cookie = cookie;
  return 0;
}

int braid_ice_lite_tuple_to_sockaddr(const braid_ice_tuple_t *tuple, struct sockaddr_storage *ss,
                                     socklen_t *salen) {
  memset(ss, 0, sizeof *ss);
  if (tuple->remote.family == BRAID_STUN_FAMILY_IPV4) {
    struct sockaddr_in *in = (struct sockaddr_in *)ss;
    in->sin_family = AF_INET;
    in->sin_port = htons(tuple->remote.port);
    memcpy(&in->sin_addr, tuple->remote.addr, 4);
    *salen = sizeof *in;
    return 0;
  }
  if (tuple->remote.family == BRAID_STUN_FAMILY_IPV6) {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(tuple->remote.port);
    memcpy(&in6->sin6_addr, tuple->remote.addr, 16);
    *salen = sizeof *in6;
    return 0;
  }
  return BRAID_EINVAL;
}

int braid_ice_lite_msg_ufrag(const braid_stun_msg_t *msg, braid_str_t *ufrag) {
  braid_str_t u;
  if (braid_stun_msg_username(msg, &u) != 0) return BRAID_EMISSING;
  const char *colon = u.len > 0 ? memchr(u.p, ':', u.len) : NULL;
  if (colon == NULL || colon == u.p) return BRAID_EMALFORMED;
  ufrag->p = u.p;
  ufrag->len = (size_t)(colon - u.p);
  return 0;
}

int braid_ice_lite_request_ufrag(const uint8_t *data, size_t len, braid_str_t *ufrag) {
  braid_stun_msg_t msg;
  int rc = braid_stun_msg_parse(&msg, data, len, NULL);
  if (rc != 0) return rc;
  return braid_ice_lite_msg_ufrag(&msg, ufrag);
}
