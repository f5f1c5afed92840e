/*
 * braidctl room ID: a room's topology, read from its keys (docs/REDIS.md):
 * its peers and where they are placed, its routers, its producers with
 * the tree of nodes each is piped to, its consumers per node, and its pipe
 * transport pairs with their traffic (each node's P node:<id>:pipes).
 *
 * The JSON (--json) is built first; the text form is drawn from it
 * (braidctl_room_text.c). Records that do not read are kept where their
 * field name says enough (a pipe's "<producer>@<node>", a pair's "a|b")
 * and reported as warnings.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/braidctl.h"

enum {
  K_META,
  K_PEERS,
  K_ROUTERS,
  K_PLACEMENT,
  K_TRANSPORTS,
  K_PRODUCERS,
  K_CONSUMERS,
  K_DPRODUCERS,
  K_DCONSUMERS,
  K_PIPES,
  K_PAIRS,
  K_N
};

static const struct {
  const char *suffix;
  bool records; /* values are JSON records (else plain strings) */
} room_keys[K_N] = {
    {"", false},           {":peers", true},          {":routers", false},
    {":placement", false}, {":transports", true},     {":producers", true},
    {":consumers", true},  {":dataproducers", true},  {":dataconsumers", true},
    {":pipes", true},      {":pipetransports", true},
};

typedef struct room_ctx {
  braidctl_t *b;
  const char *id; /* borrowed: argv */
  char key[K_N][BRAIDCTL_KEY_MAX];
  json_t *h[K_N];     /* owned: each key's hash (never NULL once loaded) */
  json_t *alive;      /* owned: node -> bool, as read */
  json_t *node_pipes; /* owned: node -> its P node:<id>:pipes records */
} room_ctx_t;

static bool node_alive(room_ctx_t *x, const char *node) {
  json_t *v = json_object_get(x->alive, node);
  char key[BRAIDCTL_KEY_MAX];
  if (v == NULL) {
    v = json_boolean(braidctl_key(x->b, key, "node:%s", node) && braidctl_exists(x->b, key) == 1);
    json_object_set_new(x->alive, node, v);
  }
  return json_is_true(v);
}

/* The record of transport t in the node's pipes hash (a new reference),
 * or JSON null. */
static json_t *pipe_traffic(room_ctx_t *x, const char *node, const char *t) {
  if (node == NULL || t == NULL) return json_null();
  json_t *recs = json_object_get(x->node_pipes, node);
  if (recs == NULL) {
    recs = braidctl_node_pipes(x->b, node);
    json_object_set_new(x->node_pipes, node, recs);
  }
  char key[BRAIDCTL_KEY_MAX];
  json_t *r = NULL;
  if (braidctl_key(x->b, key, "node:%s:pipes", node))
    r = braidctl_pipe_record(x->b, key, t, json_object_get(recs, t));
  return r != NULL ? r : json_null();
}

static json_t *str_or_null(const char *s) { return s != NULL ? json_string(s) : json_null(); }

/* ---- peers ------------------------------------------------------------ */

/* peer -> node: its placement, else the node of its transports. */
static json_t *peer_nodes(room_ctx_t *x) {
  json_t *out = json_deep_copy(x->h[K_PLACEMENT]);
  const char *f;
  json_t *rec;
  json_object_foreach(x->h[K_TRANSPORTS], f, rec) {
    braidctl_rec_t r = {x->b, x->key[K_TRANSPORTS], f, rec};
    const char *peer = braidctl_rec_str(&r, "peerId", true),
               *node = braidctl_rec_str(&r, "node", true);
    if (peer != NULL && node != NULL && json_object_get(out, peer) == NULL)
      json_object_set_new(out, peer, json_string(node));
  }
  return out;
}

static json_t *build_peers(room_ctx_t *x, json_t *by_node) {
  json_t *out = json_array(), *where = peer_nodes(x);
  const char *f;
  json_t *rec;
  json_object_foreach(x->h[K_PEERS], f, rec) {
    braidctl_rec_t r = {x->b, x->key[K_PEERS], f, rec};
    json_t *p = json_pack("{ss}", "id", f);
    const char *s;
    int v;
    if ((s = braidctl_rec_str(&r, "displayName", false)) != NULL)
      json_object_set_new(p, "displayName", json_string(s));
    if ((s = braidctl_rec_str(&r, "ctl", true)) != NULL)
      json_object_set_new(p, "controller", json_string(s));
    if ((v = braidctl_rec_bool(&r, "joined")) >= 0)
      json_object_set_new(p, "joined", json_boolean(v));
    if ((s = braidctl_rec_str(&r, "remoteAddress", false)) != NULL)
      json_object_set_new(p, "remoteAddress", json_string(s));
    if (braidctl_rec_bool(&r, "broadcaster") == 1)
      json_object_set_new(p, "broadcaster", json_true());
    const char *node = json_string_value(json_object_get(where, f));
    json_object_set_new(p, "node", str_or_null(node));
    if (node != NULL) {
      json_t *list = json_object_get(by_node, node);
      if (list == NULL) json_object_set_new(by_node, node, list = json_array());
      json_array_append_new(list, json_string(f));
    }
    json_array_append_new(out, p);
  }
  json_decref(where);
  return out;
}

/* ---- consumers -------------------------------------------------------- */

/* {node: {"total": n, "byProducer": {producer: n}}} from consumer (or data
 * consumer) records, whose ref field names the producer. */
static json_t *count_by_node(room_ctx_t *x, int k, const char *ref) {
  json_t *out = json_object();
  const char *f;
  json_t *rec;
  json_object_foreach(x->h[k], f, rec) {
    braidctl_rec_t r = {x->b, x->key[k], f, rec};
    const char *node = braidctl_rec_str(&r, "node", true), *pid = braidctl_rec_str(&r, ref, true);
    if (node == NULL || pid == NULL) continue;
    json_t *n = json_object_get(out, node);
    if (n == NULL)
      json_object_set_new(out, node,
                          n = json_pack("{sIs{}}", "total", (json_int_t)0, "byProducer"));
    json_t *by = json_object_get(n, "byProducer");
    json_integer_set(json_object_get(n, "total"),
                     json_integer_value(json_object_get(n, "total")) + 1);
    json_object_set_new(by, pid, json_integer(json_integer_value(json_object_get(by, pid)) + 1));
  }
  return out;
}

/* {node: n}: one producer's consumers per node. */
static json_t *consumers_of(json_t *by_node, const char *pid) {
  json_t *out = json_object();
  const char *node;
  json_t *n;
  json_object_foreach(by_node, node, n) {
    json_t *c = json_object_get(json_object_get(n, "byProducer"), pid);
    if (c != NULL) json_object_set(out, node, c);
  }
  return out;
}

/* ---- pipes ------------------------------------------------------------ */

/* One pipe record as an entry {producerId, node, from, state, ...}. A
 * record that does not read keeps what its field "<producer>@<node>" says,
 * with state "unreadable". */
static json_t *pipe_entry(room_ctx_t *x, const char *f, json_t *rec) {
  braidctl_rec_t r = {x->b, x->key[K_PIPES], f, rec};
  const char *at = strrchr(f, '@');
  json_t *e = json_object();
  if (!json_is_object(rec)) {
    json_object_set_new(e, "producerId", at ? json_stringn(f, (size_t)(at - f)) : json_string(f));
    json_object_set_new(e, "node", at ? json_string(at + 1) : json_null());
    json_object_set_new(e, "from", json_null());
    json_object_set_new(e, "state", json_string("unreadable"));
    return e;
  }
  static const char *const opt[] = {
      "kind", "router", "fromRouter", "transportId", "fromTransportId", "pipeConsumerId", "ctl"};
  const char *pid = braidctl_rec_str(&r, "producerId", true),
             *node = braidctl_rec_str(&r, "node", true);
  if (pid != NULL && node != NULL &&
      (at == NULL || strlen(pid) != (size_t)(at - f) || strncmp(f, pid, (size_t)(at - f)) != 0 ||
       strcmp(at + 1, node) != 0))
    braidctl_warn(x->b, "%s field \"%s\": the record is of %s@%s", x->key[K_PIPES], f, pid, node);
  if (pid == NULL) pid = "?";
  json_object_set_new(e, "producerId", json_string(pid));
  json_object_set_new(e, "node", str_or_null(node));
  json_object_set_new(e, "from", str_or_null(braidctl_rec_str(&r, "from", true)));
  json_object_set_new(e, "state", str_or_null(braidctl_rec_str(&r, "state", true)));
  for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++) {
    const char *s = braidctl_rec_str(&r, opt[i], false);
    if (s != NULL) json_object_set_new(e, opt[i], json_string(s));
  }
  double ts;
  if (braidctl_rec_num(&r, "ts", false, &ts)) json_object_set_new(e, "ts", braidctl_num_json(ts));
  return e;
}

/* producer id -> array of its pipe entries. */
static json_t *group_pipes(room_ctx_t *x) {
  json_t *out = json_object();
  const char *f;
  json_t *rec;
  json_object_foreach(x->h[K_PIPES], f, rec) {
    json_t *e = pipe_entry(x, f, rec);
    const char *pid = braidctl_get_str(e, "producerId");
    json_t *list = json_object_get(out, pid);
    if (list == NULL) json_object_set_new(out, pid, list = json_array());
    json_array_append_new(list, e);
  }
  return out;
}

/* Appends to out, depth first, the entries piped from parent (setting
 * their "depth"), each entry once. */
static void walk(json_t *entries, bool *placed, const char *parent, int depth, json_t *out) {
  if (depth > BRAIDCTL_TREE_MAX_DEPTH) return;
  size_t i;
  json_t *e;
  json_array_foreach(entries, i, e) {
    const char *from = braidctl_get_str(e, "from"), *node = braidctl_get_str(e, "node");
    if (placed[i] || from == NULL || node == NULL || strcmp(from, parent) != 0) continue;
    placed[i] = true;
    json_object_set_new(e, "depth", json_integer(depth));
    json_array_append(out, e);
    walk(entries, placed, node, depth + 1, out);
  }
}

/* The entries in tree order from origin, then those not reached from it
 * (depth null: their "from" holds no copy, or the records loop). */
static json_t *pipe_tree(const char *origin, json_t *entries) {
  json_t *out = json_array();
  size_t n = json_array_size(entries), i;
  json_t *e;
  if (n == 0) return out;
  bool *placed = calloc(n, sizeof *placed);
  if (placed == NULL) {
    fprintf(stderr, "error: out of memory\n");
    exit(1);
  }
  if (origin != NULL) walk(entries, placed, origin, 1, out);
  json_array_foreach(entries, i, e) {
    if (placed[i]) continue;
    json_object_set_new(e, "depth", json_null());
    json_array_append(out, e);
  }
  free(placed);
  return out;
}

/* Producers (data false) or data producers, each with its pipe tree and
 * consumers per node; takes their groups out of pipes. */
static json_t *build_producers(room_ctx_t *x, bool data, json_t *pipes, json_t *by_node) {
  int k = data ? K_DPRODUCERS : K_PRODUCERS;
  json_t *out = json_array();
  const char *f;
  json_t *rec;
  json_object_foreach(x->h[k], f, rec) {
    braidctl_rec_t r = {x->b, x->key[k], f, rec};
    const char *node = braidctl_rec_str(&r, "node", true);
    json_t *p =
        json_pack("{ssso}", "id", f, "peerId", str_or_null(braidctl_rec_str(&r, "peerId", true)));
    if (data) {
      json_object_set_new(p, "label", str_or_null(braidctl_rec_str(&r, "label", false)));
    } else {
      int paused = braidctl_rec_bool(&r, "paused");
      json_object_set_new(p, "kind", str_or_null(braidctl_rec_str(&r, "kind", true)));
      json_object_set_new(p, "type", str_or_null(braidctl_rec_str(&r, "type", false)));
      json_object_set_new(p, "paused", paused < 0 ? json_null() : json_boolean(paused));
    }
    json_object_set_new(p, "node", str_or_null(node));
    if (!json_is_object(rec)) json_object_set_new(p, "unreadable", json_true());
    json_object_set_new(p, "alive", json_boolean(node != NULL && node_alive(x, node)));
    json_object_set_new(p, "consumers", consumers_of(by_node, f));
    json_t *mine = json_object_get(pipes, f);
    json_object_set_new(p, "pipes", mine != NULL ? pipe_tree(node, mine) : json_array());
    json_object_del(pipes, f);
    json_array_append_new(out, p);
  }
  return out;
}

/* ---- pipe transports ------------------------------------------------- */

static json_t *build_pairs(room_ctx_t *x) {
  static const char *const opt[] = {"ipA", "ipB", "ctl"};
  static const char *const opt_num[] = {"portA", "portB", "ts"};
  json_t *out = json_array();
  const char *f;
  json_t *rec;
  json_object_foreach(x->h[K_PAIRS], f, rec) {
    braidctl_rec_t r = {x->b, x->key[K_PAIRS], f, rec};
    const char *bar = strchr(f, '|');
    json_t *p = json_pack("{ss}", "pair", f);
    const char *a = NULL, *b = NULL, *ta = NULL, *tb = NULL;
    if (json_is_object(rec)) {
      a = braidctl_rec_str(&r, "a", true);
      b = braidctl_rec_str(&r, "b", true);
      ta = braidctl_rec_str(&r, "ta", true);
      tb = braidctl_rec_str(&r, "tb", true);
    }
    json_object_set_new(p, "a",
                        a     ? json_string(a)
                        : bar ? json_stringn(f, (size_t)(bar - f))
                              : json_null());
    json_object_set_new(p, "b", b ? json_string(b) : bar ? json_string(bar + 1) : json_null());
    json_object_set_new(p, "ta", str_or_null(ta));
    json_object_set_new(p, "tb", str_or_null(tb));
    const char *state = json_is_object(rec) ? braidctl_rec_str(&r, "state", true) : "unreadable";
    json_object_set_new(p, "state", str_or_null(state));
    int srtp = braidctl_rec_bool(&r, "srtp");
    if (srtp >= 0) json_object_set_new(p, "srtp", json_boolean(srtp));
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++) {
      const char *s = braidctl_rec_str(&r, opt[i], false);
      if (s != NULL) json_object_set_new(p, opt[i], json_string(s));
    }
    for (size_t i = 0; i < sizeof opt_num / sizeof opt_num[0]; i++) {
      double v;
      if (braidctl_rec_num(&r, opt_num[i], false, &v))
        json_object_set_new(p, opt_num[i], braidctl_num_json(v));
    }
    json_object_set_new(
        p, "traffic",
        json_pack("{soso}", "a", pipe_traffic(x, a, ta), "b", pipe_traffic(x, b, tb)));
    json_array_append_new(out, p);
  }
  return out;
}

/* ---- the room --------------------------------------------------------- */

static json_t *build_room(room_ctx_t *x) {
  json_t *peers_by_node = json_object(), *pipes = group_pipes(x);
  json_t *cons = count_by_node(x, K_CONSUMERS, "producerId");
  json_t *dcons = count_by_node(x, K_DCONSUMERS, "dataProducerId");
  json_t *out = json_pack("{ss}", "id", x->id);
  json_t *created_ms = json_null();
  const char *created = braidctl_get_str(x->h[K_META], "created_ms");
  if (created != NULL) {
    char *end;
    double ms = strtod(created, &end);
    if (*created != '\0' && *end == '\0' && isfinite(ms)) {
      json_decref(created_ms);
      created_ms = braidctl_num_json(ms);
    } else {
      braidctl_warn(x->b, "%s: created_ms \"%s\" is not a number", x->key[K_META], created);
    }
  }
  json_object_set_new(out, "createdMs", created_ms);
  json_object_set_new(out, "peers", build_peers(x, peers_by_node));
  json_t *routers = json_array();
  const char *node;
  json_t *v;
  json_object_foreach(x->h[K_ROUTERS], node, v) json_array_append_new(
      routers, json_pack("{sssOsb}", "node", node, "router", v, "alive", node_alive(x, node)));
  json_object_set_new(out, "routers", routers);
  json_object_set(out, "placement", x->h[K_PLACEMENT]);
  json_object_set_new(out, "peersByNode", peers_by_node);
  json_object_set_new(out, "producers", build_producers(x, false, pipes, cons));
  json_object_set_new(out, "dataProducers", build_producers(x, true, pipes, dcons));
  /* Pipes of no stored producer: left behind, or the producer's record
   * went first. */
  json_t *stray = json_array();
  const char *pid;
  json_t *list;
  json_object_foreach(pipes, pid, list) json_array_extend(stray, list);
  json_decref(pipes);
  json_object_set_new(out, "strayPipes", stray);
  json_object_set_new(out, "consumersByNode", cons);
  json_object_set_new(out, "dataConsumersByNode", dcons);
  json_object_set_new(out, "pipeTransports", build_pairs(x));
  return out;
}

int braidctl_room(braidctl_t *b, const char *room) {
  room_ctx_t x = {.b = b, .id = room, .alive = json_object(), .node_pipes = json_object()};
  char rooms[BRAIDCTL_KEY_MAX];
  bool any = false;
  int rc = 1;
  for (int k = 0; k < K_N; k++) {
    x.h[k] = NULL;
    if (braidctl_key(b, x.key[k], "room:%s%s", room, room_keys[k].suffix))
      x.h[k] = room_keys[k].records ? braidctl_records(b, x.key[k]) : braidctl_hash(b, x.key[k]);
    if (x.h[k] == NULL) x.h[k] = json_object();
    any = any || json_object_size(x.h[k]) > 0;
  }
  if (!any && braidctl_key(b, rooms, "rooms")) {
    redisReply *r = braidctl_cmd(b, "SISMEMBER %s %s", rooms, room);
    any = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    if (r->type == REDIS_REPLY_ERROR) braidctl_warn(b, "%s: %s", rooms, r->str);
    freeReplyObject(r);
  }
  if (!any) {
    fprintf(stderr, "error: no room %s\n", braidctl_disp(b, room));
    goto out;
  }
  json_t *out = build_room(&x);
  json_object_set(out, "warnings", b->warnings);
  if (b->json) {
    rc = braidctl_print_json(out);
  } else {
    braidctl_room_print(b, out);
    json_decref(out);
    rc = 0;
  }
out:
  for (int k = 0; k < K_N; k++)
    json_decref(x.h[k]);
  json_decref(x.alive);
  json_decref(x.node_pipes);
  return rc;
}
