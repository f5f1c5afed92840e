/* Redis server addresses: redis://[[user]:password@]host[:port][/db] */
#ifndef BRAID_COMMON_REDIS_URL_H
#define BRAID_COMMON_REDIS_URL_H

typedef struct braid_redis_url {
  char host[256];
  int port;           /* default 6379 */
  char password[256]; /* empty when none */
  int db;             /* default 0 */
} braid_redis_url_t;

/* Parses url into out. Returns 0 or BRAID_EINVAL (and a static reason in
 * *why when why is not NULL). */
int braid_redis_url_parse(braid_redis_url_t *out, const char *url, const char **why);

#endif
