/*
 * braidctl: reads the cluster's state from Redis (ARCHITECTURE.md §7;
 * docs/REDIS.md lists what it reads).
 *
 *   braidctl [--redis URL] [--prefix P] [--json] nodes | rooms | room ID | pipes
 *
 * It only reads: what it prints is what every controller sees. The
 * commands live in braidctl_nodes.c (nodes, pipes) and braidctl_room.c
 * (room); braidctl.h says how bad records are handled.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/opt.h"
#include "common/redis_url.h"
#include "tools/braidctl.h"

static const char usage[] =
    "Reads a Braid cluster's state from Redis (docs/REDIS.md).\n\nCommands:\n"
    "  nodes      live media nodes and their load: consumers(+reserved)/max_consumers\n"
    "             ('-': no limit), pipe transports and their traffic\n"
    "  rooms      room ids\n"
    "  room ID    a room's peers, routers, placement, producers with the tree of\n"
    "             nodes each is piped to, consumers per node, pipe transports\n"
    "  pipes      every live node's pipe transports with their traffic\n\n"
    "Records that cannot be read are skipped with a warning on stderr (the\n"
    "status stays 0). Status 1: Redis unreachable, or no such room; 2: usage.";

static int cmd_rooms(braidctl_t *b) {
  char key[BRAIDCTL_KEY_MAX];
  json_t *out = json_array();
  if (braidctl_key(b, key, "rooms")) {
    redisReply *r = braidctl_cmd(b, "SMEMBERS %s", key);
    if (r->type != REDIS_REPLY_ARRAY) {
      braidctl_warn(b, "%s: SMEMBERS answered %s", key,
                    r->type == REDIS_REPLY_ERROR ? r->str : "no array");
    } else {
      for (size_t i = 0; i < r->elements; i++) {
        const redisReply *e = r->element[i];
        if (e->type != REDIS_REPLY_STRING) continue;
        json_t *s = json_stringn(e->str, e->len);
        if (s == NULL)
          braidctl_warn(b, "%s: a member is not UTF-8 text: skipped", key);
        else
          json_array_append_new(out, s);
      }
    }
    freeReplyObject(r);
  }
  if (b->json) return braidctl_print_json(out);
  size_t i;
  json_t *id;
  json_array_foreach(out, i, id) puts(braidctl_disp(b, json_string_value(id)));
  json_decref(out);
  return 0;
}

/* Connects and authenticates; NULL (after a message) on failure. */
static redisContext *connect_redis(const char *redis_url) {
  braid_redis_url_t url;
  const char *why;
  if (braid_redis_url_parse(&url, redis_url, &why) != 0) {
    fprintf(stderr, "error: --redis %s: %s\n", redis_url, why);
    return NULL;
  }
  struct timeval tv = {2, 0};
  redisContext *rc = redisConnectWithTimeout(url.host, url.port, tv);
  if (rc == NULL || rc->err) {
    fprintf(stderr, "error: cannot connect to redis %s:%d: %s\n", url.host, url.port,
            rc ? rc->errstr : "out of memory");
    if (rc) redisFree(rc);
    return NULL;
  }
  redisSetTimeout(rc, tv);
  const char *err = NULL;
  redisReply *r = NULL;
  if (url.password[0]) {
    r = redisCommand(rc, "AUTH %s", url.password);
    if (r == NULL || r->type == REDIS_REPLY_ERROR) err = "AUTH";
  }
  if (err == NULL && url.db) {
    freeReplyObject(r);
    r = redisCommand(rc, "SELECT %d", url.db);
    if (r == NULL || r->type == REDIS_REPLY_ERROR) err = "SELECT";
  }
  if (err != NULL) {
    fprintf(stderr, "error: redis %s: %s\n", err, r ? r->str : rc->errstr);
    freeReplyObject(r);
    redisFree(rc);
    return NULL;
  }
  freeReplyObject(r);
  return rc;
}

int main(int argc, char **argv) {
  const char *redis_url = "redis://127.0.0.1:6379";
  const char *prefix = "braid:";
  bool json = false;
  const braid_opt_t opts[] = {
      {"redis", "BRAID_REDIS", BRAID_OPT_STR, &redis_url, "URL", "Redis server"},
      {"prefix", "BRAID_PREFIX", BRAID_OPT_STR, &prefix, "P", "Redis key prefix"},
      {"json", NULL, BRAID_OPT_BOOL, &json, NULL, "print JSON"},
  };
  /* Options first, then the command and its argument. */
  int cmd_at = 1;
  while (cmd_at < argc && strncmp(argv[cmd_at], "--", 2) == 0) {
    bool takes_value = strchr(argv[cmd_at], '=') == NULL && strcmp(argv[cmd_at], "--json") != 0 &&
                       strcmp(argv[cmd_at], "--help") != 0;
    cmd_at += takes_value ? 2 : 1;
  }
  int rc = braid_opt_parse(opts, 3, cmd_at < argc ? cmd_at : argc, argv, "braidctl", usage);
  if (rc == 1) return 0;
  if (rc != 0) return 2;
  if (cmd_at >= argc) {
    fprintf(stderr, "error: missing command: nodes, rooms, room ID or pipes (see --help)\n");
    return 2;
  }
  const char *c = argv[cmd_at];
  bool room = strcmp(c, "room") == 0;
  if (strcmp(c, "nodes") != 0 && strcmp(c, "rooms") != 0 && strcmp(c, "pipes") != 0 && !room) {
    fprintf(stderr, "error: unknown command '%s' (see --help)\n", c);
    return 2;
  }
  if (room && cmd_at + 1 >= argc) {
    fprintf(stderr, "error: room: missing room ID (see --help)\n");
    return 2;
  }
  braidctl_t b = {.prefix = prefix, .json = json, .warnings = json_array()};
  b.rc = connect_redis(redis_url);
  if (b.rc == NULL) {
    json_decref(b.warnings);
    return 1;
  }
  if (strcmp(c, "nodes") == 0)
    rc = braidctl_nodes(&b);
  else if (strcmp(c, "rooms") == 0)
    rc = cmd_rooms(&b);
  else if (strcmp(c, "pipes") == 0)
    rc = braidctl_pipes(&b);
  else
    rc = braidctl_room(&b, argv[cmd_at + 1]);
  fflush(stdout);
  braidctl_warnings_print(&b);
  json_decref(b.warnings);
  redisFree(b.rc);
  return rc;
}
