/*
 * braidctl: reads the cluster's state from Redis (ARCHITECTURE.md §7).
 *
 *   braidctl [--redis URL] [--prefix P] [--json] nodes | rooms | room ID
 *
 * It only reads: what it prints is what every controller sees.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "common/opt.h"
#include "common/redis_url.h"

typedef struct braidctl {
  redisContext *rc;
  const char *prefix;
  bool json;
} braidctl_t;

static redisReply *cmd(braidctl_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static redisReply *cmd(braidctl_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  redisReply *r = redisvCommand(b->rc, fmt, ap);
  va_end(ap);
  if (r == NULL) {
    fprintf(stderr, "error: redis: %s\n", b->rc->errstr);
    exit(1);
  }
  if (r->type == REDIS_REPLY_ERROR) {
    fprintf(stderr, "error: redis: %s\n", r->str);
    exit(1);
  }
  return r;
}

static void print_json(json_t *j) {
  char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  puts(s);
  free(s);
  json_decref(j);
}

/* A live node's hash as a JSON object (numbers stay strings, as stored). */
static json_t *hash_to_json(redisReply *h) {
  json_t *o = json_object();
  for (size_t i = 0; i + 1 < h->elements; i += 2)
    json_object_set_new(o, h->element[i]->str, json_string(h->element[i + 1]->str));
  return o;
}

static int cmd_nodes(braidctl_t *b) {
  redisReply *ids = cmd(b, "ZRANGE %snodes 0 -1 WITHSCORES", b->prefix);
  json_t *out = json_array();
  for (size_t i = 0; i + 1 < ids->elements; i += 2) {
    redisReply *h = cmd(b, "HGETALL %snode:%s", b->prefix, ids->element[i]->str);
    if (h->elements > 0) json_array_append_new(out, hash_to_json(h)); /* else: dead */
    freeReplyObject(h);
  }
  freeReplyObject(ids);
  if (b->json) {
    print_json(out);
    return 0;
  }
  printf("%-36s  %-15s  %-6s  %6s  %5s  %7s  %8s\n", "NODE", "ANNOUNCED IP", "PORT", "LOAD",
         "CPU%", "ROUTERS", "UPTIME");
  size_t i;
  json_t *n;
  json_array_foreach(out, i, n) {
    const char *started = json_string_value(json_object_get(n, "started_ms"));
    const char *updated = json_string_value(json_object_get(n, "updated_ms"));
    long long up = started && updated ? (atoll(updated) - atoll(started)) / 1000 : 0;
#define F(k) (json_string_value(json_object_get(n, k)) ? json_string_value(json_object_get(n, k)) : "-")
    printf("%-36s  %-15s  %-6s  %6s  %5s  %7s  %7llds\n", F("id"), F("announced_ip"), F("rtc_port"),
           F("load"), F("cpu"), F("routers"), up);
#undef F
  }
  json_decref(out);
  return 0;
}

static int cmd_rooms(braidctl_t *b) {
  redisReply *r = cmd(b, "SMEMBERS %srooms", b->prefix);
  json_t *out = json_array();
  for (size_t i = 0; i < r->elements; i++) json_array_append_new(out, json_string(r->element[i]->str));
  freeReplyObject(r);
  if (b->json) {
    print_json(out);
    return 0;
  }
  size_t i;
  json_t *id;
  json_array_foreach(out, i, id) puts(json_string_value(id));
  json_decref(out);
  return 0;
}

static int cmd_room(braidctl_t *b, const char *room) {
  redisReply *peers = cmd(b, "HGETALL %sroom:%s:peers", b->prefix, room);
  redisReply *routers = cmd(b, "HGETALL %sroom:%s:routers", b->prefix, room);
  redisReply *exists = cmd(b, "SISMEMBER %srooms %s", b->prefix, room);
  if (exists->integer == 0 && peers->elements == 0 && routers->elements == 0) {
    fprintf(stderr, "error: no room %s\n", room);
    return 1;
  }
  json_t *jp = json_array(), *jr = json_array();
  for (size_t i = 0; i + 1 < peers->elements; i += 2) {
    json_error_t err;
    json_t *rec = json_loads(peers->element[i + 1]->str, 0, &err);
    json_t *p = json_pack("{ss}", "id", peers->element[i]->str);
    static const char *const keys[][2] = {{"displayName", "displayName"}, {"controller", "ctl"},
                                           {"joined", "joined"}, {"remoteAddress", "remoteAddress"}};
    for (size_t k = 0; rec != NULL && k < sizeof keys / sizeof keys[0]; k++) {
      json_t *v = json_object_get(rec, keys[k][1]);
      if (v != NULL) json_object_set(p, keys[k][0], v);
    }
    json_decref(rec);
    json_array_append_new(jp, p);
  }
  for (size_t i = 0; i + 1 < routers->elements; i += 2)
    json_array_append_new(jr, json_pack("{ssss}", "node", routers->element[i]->str, "router",
                                        routers->element[i + 1]->str));
  freeReplyObject(peers);
  freeReplyObject(routers);
  freeReplyObject(exists);
  json_t *out = json_pack("{sssoso}", "id", room, "peers", jp, "routers", jr);
  if (b->json) {
    print_json(out);
    return 0;
  }
  printf("room %s\n  routers:\n", room);
  size_t i;
  json_t *v;
  json_array_foreach(jr, i, v)
    printf("    %s on node %s\n", json_string_value(json_object_get(v, "router")),
           json_string_value(json_object_get(v, "node")));
  printf("  peers:\n");
  json_array_foreach(jp, i, v)
    printf("    %-20s %-8s %-24s controller %s\n", json_string_value(json_object_get(v, "id")),
           json_is_true(json_object_get(v, "joined")) ? "joined" : "waiting",
           json_string_value(json_object_get(v, "displayName")) ? json_string_value(json_object_get(v, "displayName")) : "",
           json_string_value(json_object_get(v, "controller")) ? json_string_value(json_object_get(v, "controller")) : "?");
  json_decref(out);
  return 0;
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
  int rc = braid_opt_parse(opts, 3, cmd_at < argc ? cmd_at : argc, argv, "braidctl",
                           "Reads a Braid cluster's state from Redis.\n\nCommands:\n"
                           "  nodes      live media nodes and their load\n"
                           "  rooms      room ids\n"
                           "  room ID    a room's peers and routers");
  if (rc == 1) return 0;
  if (rc != 0) return 2;
  if (cmd_at >= argc) {
    fprintf(stderr, "error: missing command: nodes, rooms or room ID (see --help)\n");
    return 2;
  }
  braid_redis_url_t url;
  const char *why;
  if (braid_redis_url_parse(&url, redis_url, &why) != 0) {
    fprintf(stderr, "error: --redis %s: %s\n", redis_url, why);
    return 2;
  }
  struct timeval tv = {2, 0};
  braidctl_t b = {.rc = redisConnectWithTimeout(url.host, url.port, tv), .prefix = prefix, .json = json};
  if (b.rc == NULL || b.rc->err) {
    fprintf(stderr, "error: cannot connect to redis %s:%d: %s\n", url.host, url.port,
            b.rc ? b.rc->errstr : "out of memory");
    return 1;
  }
  if (url.password[0]) freeReplyObject(cmd(&b, "AUTH %s", url.password));
  if (url.db) freeReplyObject(cmd(&b, "SELECT %d", url.db));
  const char *c = argv[cmd_at];
  if (strcmp(c, "nodes") == 0) rc = cmd_nodes(&b);
  else if (strcmp(c, "rooms") == 0) rc = cmd_rooms(&b);
  else if (strcmp(c, "room") == 0 && cmd_at + 1 < argc) rc = cmd_room(&b, argv[cmd_at + 1]);
  else {
    fprintf(stderr, "error: unknown command '%s' (see --help)\n", c);
    rc = 2;
  }
  redisFree(b.rc);
  return rc;
}
