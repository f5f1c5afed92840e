#include "mediad/rtc/plain_connect.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "common/err.h"

static int fail(const char **why, const char *reason) {
  if (why != NULL) *why = reason;
  return BRAID_EINVAL;
}

/* An IPv4 or IPv6 literal of the given family and a port, as a socket
 * address. ip is not NUL-terminated: copied first (BRAID_IP_MAX bytes at
 * most, which the codec enforced; longer is not a literal anyway). */
static int to_sockaddr(braid_str_t ip, uint16_t port, int family, struct sockaddr_storage *ss,
                       socklen_t *len) {
  char text[BRAID_IP_MAX + 1];
  if (braid_str_copy(text, sizeof text, ip) != 0) return BRAID_EINVAL;
  memset(ss, 0, sizeof *ss);
  if (family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    if (inet_pton(AF_INET, text, &a->sin_addr) != 1) return BRAID_EINVAL;
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    *len = sizeof *a;
    return 0;
  }
  struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET6, text, &a->sin6_addr) != 1) return BRAID_EINVAL;
  a->sin6_family = AF_INET6;
  a->sin6_port = htons(port);
  *len = sizeof *a;
  return 0;
}

/* ip, port and rtcp_port against the rules. */
static int parse_tuples(braid_plain_connect_t *out, const braid_plain_connect_rules_t *r,
                        const braid_cmd_transport_connect_plain_t *c, const char **why) {
  if (r->comedia) {
    if (c->ip.len > 0 || c->port != 0 || c->rtcp_port != 0)
      return fail(why, "comedia transport: only srtpParameters may be given");
    return 0;
  }
  if (c->ip.len == 0) return fail(why, "missing ip/port");
  /* A socket of one family cannot reach the other: as bad as no literal. */
  if (to_sockaddr(c->ip, 0, r->family, &out->addr, &out->addr_len) != 0)
    return fail(why, "invalid ip");
  if (c->port == 0 || c->port > 65535) return fail(why, "invalid port");
  if (r->rtcp_mux && c->rtcp_port != 0) return fail(why, "rtcpPort given with rtcpMux");
  if (!r->rtcp_mux && c->rtcp_port == 0) return fail(why, "missing rtcpPort");
  if (c->rtcp_port > 65535) return fail(why, "invalid port");
  out->rtcp_addr = out->addr;
  if (r->family == AF_INET) {
    ((struct sockaddr_in *)&out->addr)->sin_port = htons((uint16_t)c->port);
    ((struct sockaddr_in *)&out->rtcp_addr)->sin_port = htons((uint16_t)c->rtcp_port);
  } else {
    ((struct sockaddr_in6 *)&out->addr)->sin6_port = htons((uint16_t)c->port);
    ((struct sockaddr_in6 *)&out->rtcp_addr)->sin6_port = htons((uint16_t)c->rtcp_port);
  }
  out->has_tuple = true;
  out->has_rtcp_tuple = !r->rtcp_mux;
  return 0;
}

/* The reason for a key of the wrong length names the suite: one static
 * string per suite, in braid_srtp_suite_t order. */
static const char *const bad_key[BRAID_SRTP_SUITE_COUNT] = {
    "invalid key length for AEAD_AES_256_GCM",
    "invalid key length for AEAD_AES_128_GCM",
    "invalid key length for AES_CM_128_HMAC_SHA1_80",
    "invalid key length for AES_CM_128_HMAC_SHA1_32",
};

/* srtp_suite, srtp_key and srtp_local_key against the rules. */
static int parse_srtp(braid_plain_connect_t *out, const braid_plain_connect_rules_t *r,
                      const braid_cmd_transport_connect_plain_t *c, const char **why) {
  bool given = c->srtp_suite.len > 0 || c->srtp_key.len > 0 || c->srtp_local_key.len > 0;
  if (!r->enable_srtp) {
    if (given) return fail(why, "srtpParameters given but SRTP is not enabled");
    return 0;
  }
  if (c->srtp_suite.len == 0 || c->srtp_key.len == 0 || c->srtp_local_key.len == 0)
    return fail(why, "missing srtpParameters");
  if (braid_srtp_session_suite_parse(c->srtp_suite, &out->suite) != 0)
    return fail(why, "invalid cryptoSuite");
  /* mediasoup's PipeTransport keys both ends with this suite only. */
  if (r->pipe && out->suite != BRAID_SRTP_SUITE_AEAD_AES_256_GCM)
    return fail(why, "a pipe transport takes only AEAD_AES_256_GCM");
  size_t n_remote = 0, n_local = 0;
  /* Not base64 (BRAID_EMALFORMED) and base64 of the wrong length
   * (BRAID_EINVAL) are one mistake to the caller: not this suite's key. */
  if (braid_srtp_session_key_from_base64(out->suite, c->srtp_key, out->remote_key, &n_remote) !=
          0 ||
      braid_srtp_session_key_from_base64(out->suite, c->srtp_local_key, out->local_key, &n_local) !=
          0)
    return fail(why, bad_key[out->suite]);
  out->key_len = braid_srtp_session_key_len(out->suite);
  out->salt_len = braid_srtp_session_salt_len(out->suite);
  out->srtp = true;
  return 0;
}

int braid_plain_connect_parse(braid_plain_connect_t *out, const braid_plain_connect_rules_t *rules,
                              const braid_cmd_transport_connect_plain_t *c, const char **why) {
  memset(out, 0, sizeof *out);
  int rc = parse_tuples(out, rules, c, why);
  if (rc == 0) rc = parse_srtp(out, rules, c, why);
  return rc;
}

void braid_plain_connect_wipe(braid_plain_connect_t *out) { explicit_bzero(out, sizeof *out); }

bool braid_plain_connect_same_addr(const struct sockaddr *a, const struct sockaddr_storage *b) {
  if (a->sa_family != b->ss_family) return false;
  if (a->sa_family == AF_INET) {
    const struct sockaddr_in *x = (const struct sockaddr_in *)a, *y = (const struct sockaddr_in *)b;
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  if (a->sa_family == AF_INET6) {
    const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a,
                              *y = (const struct sockaddr_in6 *)b;
    return x->sin6_port == y->sin6_port &&
           memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
  }
  return false;
}
