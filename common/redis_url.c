#include "common/redis_url.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

static int fail(const char **why, const char *reason) {
  if (why) *why = reason;
  return BRAID_EINVAL;
}

int braid_redis_url_parse(braid_redis_url_t *out, const char *url, const char **why) {
  static const char scheme[] = "redis://";
  memset(out, 0, sizeof *out);
  out->port = 6379;
  if (strncmp(url, scheme, sizeof scheme - 1) != 0) return fail(why, "URL must start with redis://");
  const char *p = url + sizeof scheme - 1;
  const char *at = strrchr(p, '@');
  if (at != NULL) {
    const char *colon = memchr(p, ':', (size_t)(at - p));
    if (colon == NULL) return fail(why, "credentials must be [user]:password");
    size_t n = (size_t)(at - colon - 1);
    if (n >= sizeof out->password) return fail(why, "password too long");
    memcpy(out->password, colon + 1, n);
    out->password[n] = '\0';
    p = at + 1;
  }
  const char *slash = strchr(p, '/');
  const char *hend = slash ? slash : p + strlen(p);
  const char *colon = memchr(p, ':', (size_t)(hend - p));
  const char *host_end = colon ? colon : hend;
  size_t hn = (size_t)(host_end - p);
  if (hn == 0) return fail(why, "missing host");
  if (hn >= sizeof out->host) return fail(why, "host too long");
  memcpy(out->host, p, hn);
  out->host[hn] = '\0';
  if (colon) {
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (end != hend || port <= 0 || port > 65535) return fail(why, "bad port");
    out->port = (int)port;
  }
  if (slash && slash[1] != '\0') {
    char *end;
    long db = strtol(slash + 1, &end, 10);
    if (*end != '\0' || db < 0 || db > 1000000) return fail(why, "bad database number");
    out->db = (int)db;
  }
  return 0;
}
