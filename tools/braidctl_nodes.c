/*
 * braidctl nodes: the live media nodes with their load; braidctl pipes:
 * every live node's pipe transports (P node:<id>:pipes) with their traffic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/braidctl.h"

#define S(o, k) braidctl_disp(b, braidctl_get_str(o, k))

/* The traffic figures of a pipe transport record, summed per node, and
 * its other numbers. */
static const char *const traffic_keys[] = {"rxBps", "txBps",   "rtpRx",
                                           "rtpTx", "bytesRx", "bytesTx"};
#define TRAFFIC_N (sizeof traffic_keys / sizeof traffic_keys[0])
static const char *const other_nums[] = {"remotePort", "consumers", "producers"};

json_t *braidctl_pipe_record(braidctl_t *b, const char *key, const char *t, json_t *rec) {
  braidctl_rec_t r = {b, key, t, rec};
  if (!json_is_object(rec)) return NULL;
  json_t *out = json_deep_copy(rec);
  for (size_t k = 0; k < TRAFFIC_N + sizeof other_nums / sizeof other_nums[0]; k++) {
    const char *name = k < TRAFFIC_N ? traffic_keys[k] : other_nums[k - TRAFFIC_N];
    double v;
    if (braidctl_rec_num(&r, name, false, &v))
      json_object_set_new(out, name, braidctl_num_json(v));
    else if (json_object_get(out, name) != NULL)
      json_object_set_new(out, name, json_null());
  }
  return out;
}

/* {"pipes": n, "rxBps", "txBps", "rtpRx", "rtpTx", "bytesRx", "bytesTx"}:
 * the sums over the node's pipe transports. */
static json_t *pipe_totals(braidctl_t *b, const char *node) {
  char key[BRAIDCTL_KEY_MAX];
  double sum[TRAFFIC_N] = {0};
  json_t *pipes = braidctl_node_pipes(b, node);
  const char *t;
  json_t *rec;
  braidctl_key(b, key, "node:%s:pipes", node);
  json_object_foreach(pipes, t, rec) {
    json_t *p = braidctl_pipe_record(b, key, t, rec);
    for (size_t k = 0; p != NULL && k < TRAFFIC_N; k++)
      sum[k] += braidctl_get_num(p, traffic_keys[k]);
    json_decref(p);
  }
  json_t *o = json_pack("{sI}", "pipes", (json_int_t)json_object_size(pipes));
  for (size_t k = 0; k < TRAFFIC_N; k++)
    json_object_set_new(o, traffic_keys[k], braidctl_num_json(sum[k]));
  json_decref(pipes);
  return o;
}

/* The consumers promised to peers just placed on the node and not yet
 * created (P node:<id>:reserved, a counter the placement script keeps). */
static json_t *reserved(braidctl_t *b, const char *node) {
  char key[BRAIDCTL_KEY_MAX];
  long long n = 0;
  if (!braidctl_key(b, key, "node:%s:reserved", node)) return json_integer(0);
  redisReply *r = braidctl_cmd(b, "GET %s", key);
  if (r->type == REDIS_REPLY_STRING) {
    char *end;
    n = strtoll(r->str, &end, 10);
    if (*end != '\0' || end == r->str) {
      braidctl_warn(b, "%s: not a number", key);
      n = 0;
    }
  } else if (r->type != REDIS_REPLY_NIL) {
    braidctl_warn(b, "%s: GET answered %s", key,
                  r->type == REDIS_REPLY_ERROR ? r->str : "no string");
  }
  freeReplyObject(r);
  return json_integer(n);
}

/* A node hash value, or "-". */
static const char *hv(braidctl_t *b, const json_t *h, const char *name) {
  const char *s = braidctl_get_str(h, name);
  return s != NULL ? braidctl_disp(b, s) : "-";
}

static bool hnum(const json_t *h, const char *name, long long *out) {
  const char *s = braidctl_get_str(h, name);
  char *end;
  if (s == NULL || *s == '\0') return false;
  *out = strtoll(s, &end, 10);
  return *end == '\0';
}

static void print_node_row(braidctl_t *b, const char *id, const json_t *n) {
  long long started, updated, max;
  char up[24] = "?", cons[80], rx[24], tx[24];
  if (hnum(n, "started_ms", &started) && hnum(n, "updated_ms", &updated) && updated >= started)
    snprintf(up, sizeof up, "%llds", (updated - started) / 1000);
  /* max_consumers 0 (or none: an older node) is no limit. */
  bool limit = hnum(n, "max_consumers", &max) && max > 0;
  json_int_t res = json_integer_value(json_object_get(n, "reserved"));
  char extra[32] = "";
  if (res > 0) snprintf(extra, sizeof extra, "(+%lld)", (long long)res);
  snprintf(cons, sizeof cons, "%s%s/%s", hv(b, n, "consumers"), extra,
           limit ? hv(b, n, "max_consumers") : "-");
  const json_t *pt = json_object_get(n, "pipeTraffic");
  braidctl_fmt_bps(braidctl_get_num(pt, "rxBps"), rx, sizeof rx);
  braidctl_fmt_bps(braidctl_get_num(pt, "txBps"), tx, sizeof tx);
  printf("%-36s  %-15s  %-6s  %6s  %5s  %7s  %11s  %5s  %12s  %12s  %8s\n", braidctl_disp(b, id),
         hv(b, n, "announced_ip"), hv(b, n, "rtc_port"), hv(b, n, "load"), hv(b, n, "cpu"),
         hv(b, n, "routers"), braidctl_disp(b, cons), hv(b, n, "pipe_transports"), rx, tx, up);
}

int braidctl_nodes(braidctl_t *b) {
  json_t *nodes = braidctl_live_nodes(b);
  json_t *out = json_array();
  const char *id;
  json_t *h;
  json_object_foreach(nodes, id, h) {
    json_object_set_new(h, "reserved", reserved(b, id));
    json_object_set_new(h, "pipeTraffic", pipe_totals(b, id));
    json_array_append(out, h);
  }
  if (b->json) {
    json_decref(nodes);
    return braidctl_print_json(out);
  }
  printf("%-36s  %-15s  %-6s  %6s  %5s  %7s  %11s  %5s  %12s  %12s  %8s\n", "NODE", "ANNOUNCED IP",
         "PORT", "LOAD", "CPU%", "ROUTERS", "CONSUMERS", "PIPES", "PIPE RX", "PIPE TX", "UPTIME");
  json_object_foreach(nodes, id, h) print_node_row(b, id, h);
  json_decref(out);
  json_decref(nodes);
  return 0;
}

/* The room's pipe transport pairs (cached in rooms: room -> records). */
static json_t *room_pairs(braidctl_t *b, json_t *rooms, const char *room) {
  json_t *pairs = json_object_get(rooms, room);
  char key[BRAIDCTL_KEY_MAX];
  if (pairs != NULL) return pairs;
  if (braidctl_key(b, key, "room:%s:pipetransports", room)) pairs = braidctl_records(b, key);
  if (pairs == NULL) pairs = json_object();
  json_object_set_new(rooms, room, pairs);
  return pairs;
}

/* Names the node at the other end of transport t (room's pairs):
 * "remoteNode" and "pair", when a pair record has it. */
static void add_remote(braidctl_t *b, json_t *e, json_t *pairs, const char *t) {
  const char *f;
  json_t *rec;
  json_object_foreach(pairs, f, rec) {
    const char *ta = braidctl_get_str(rec, "ta"), *tb = braidctl_get_str(rec, "tb");
    const char *other = ta != NULL && strcmp(ta, t) == 0   ? braidctl_get_str(rec, "b")
                        : tb != NULL && strcmp(tb, t) == 0 ? braidctl_get_str(rec, "a")
                                                           : NULL;
    if (other == NULL) continue;
    json_object_set_new(e, "remoteNode", json_string(other));
    json_object_set_new(e, "pair", json_string(f));
    return;
  }
}

static void print_pipe(braidctl_t *b, const json_t *e) {
  char rx[24], tx[24], brx[24], btx[24], addr[BRAIDCTL_DISP_MAX + 16] = "an unknown address";
  const char *ip = braidctl_get_str(e, "remoteIp");
  const json_t *port = json_object_get(e, "remotePort");
  if (json_object_get(e, "error") != NULL) {
    printf("  %s  (%s)\n", S(e, "transport"), S(e, "error"));
    return;
  }
  if (ip != NULL && *ip != '\0')
    snprintf(addr, sizeof addr, "%s:%.0f", braidctl_disp(b, ip),
             json_is_number(port) ? json_number_value(port) : 0);
  braidctl_fmt_bps(braidctl_get_num(e, "rxBps"), rx, sizeof rx);
  braidctl_fmt_bps(braidctl_get_num(e, "txBps"), tx, sizeof tx);
  braidctl_fmt_bytes(braidctl_get_num(e, "bytesRx"), brx, sizeof brx);
  braidctl_fmt_bytes(braidctl_get_num(e, "bytesTx"), btx, sizeof btx);
  printf("  %s  room %s  to node %s at %s  %s\n", S(e, "transport"), S(e, "room"),
         S(e, "remoteNode"), addr, json_is_true(json_object_get(e, "srtp")) ? "srtp" : "no srtp");
  printf(
      "      rx %s, %.0f packets, %s   tx %s, %.0f packets, %s   producers %.0f, consumers %.0f\n",
      rx, braidctl_get_num(e, "rtpRx"), brx, tx, braidctl_get_num(e, "rtpTx"), btx,
      braidctl_get_num(e, "producers"), braidctl_get_num(e, "consumers"));
}

int braidctl_pipes(braidctl_t *b) {
  json_t *nodes = braidctl_live_nodes(b), *rooms = json_object(), *out = json_array();
  const char *id;
  json_t *h;
  json_object_foreach(nodes, id, h) {
    char key[BRAIDCTL_KEY_MAX];
    json_t *pipes = braidctl_node_pipes(b, id);
    const char *t;
    json_t *rec;
    braidctl_key(b, key, "node:%s:pipes", id);
    json_object_foreach(pipes, t, rec) {
      json_t *e = json_pack("{ssss}", "node", id, "transport", t);
      json_t *p = braidctl_pipe_record(b, key, t, rec);
      if (p == NULL) {
        json_object_set_new(e, "error", json_string("unreadable record"));
      } else {
        braidctl_rec_t r = {b, key, t, p};
        json_object_update_missing(e, p);
        const char *room = braidctl_rec_str(&r, "room", true);
        if (room != NULL) add_remote(b, e, room_pairs(b, rooms, room), t);
        json_decref(p);
      }
      json_array_append_new(out, e);
    }
    json_decref(pipes);
  }
  json_decref(rooms);
  if (b->json) {
    json_decref(nodes);
    return braidctl_print_json(out);
  }
  json_object_foreach(nodes, id, h) {
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(out, i, e) n += strcmp(braidctl_get_str(e, "node"), id) == 0;
    printf("node %s  (%zu pipe transport%s)\n", braidctl_disp(b, id), n, n == 1 ? "" : "s");
    json_array_foreach(out, i, e) if (strcmp(braidctl_get_str(e, "node"), id) == 0)
        print_pipe(b, e);
  }
  if (json_object_size(nodes) == 0) printf("no live nodes\n");
  json_decref(out);
  json_decref(nodes);
  return 0;
}
