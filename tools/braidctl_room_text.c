/*
 * The text form of `braidctl room ID`, drawn from the JSON that
 * braidctl_room.c builds (so both forms always say the same). Producers
 * are drawn as the tree of nodes they are piped to:
 *
 *     producer 1a2b... (video, peer alice) on node A, 1 consumer
 *       ├─ node B  (from A, ready)  2 consumers
 *       │   └─ node C  (from B, ready)  1 consumer
 *       └─ node D  (from A, pending)
 */
#include <stdio.h>
#include <string.h>

#include "tools/braidctl.h"

#define S(o, k) braidctl_disp(b, braidctl_get_str(o, k))

static const char *plural(json_int_t n) { return n == 1 ? "" : "s"; }

static void print_routers_peers(braidctl_t *b, const json_t *room) {
  size_t i;
  json_t *v;
  printf("  routers:\n");
  json_array_foreach(json_object_get(room, "routers"), i, v)
      printf("    %s on node %s%s\n", S(v, "router"), S(v, "node"),
             json_is_true(json_object_get(v, "alive")) ? "" : "  (node dead)");
  printf("  peers:\n");
  json_array_foreach(json_object_get(room, "peers"), i, v) {
    const char *name = braidctl_get_str(v, "displayName"), *node = braidctl_get_str(v, "node");
    printf("    %-20s %-8s %-24s controller %s  node %s%s\n", S(v, "id"),
           json_is_true(json_object_get(v, "joined")) ? "joined" : "waiting",
           name ? braidctl_disp(b, name) : "", S(v, "controller"),
           node ? braidctl_disp(b, node) : "-",
           json_is_true(json_object_get(v, "broadcaster")) ? "  (broadcaster)" : "");
  }
  const char *node;
  json_t *list;
  printf("  peers per node:\n");
  json_object_foreach(json_object_get(room, "peersByNode"), node, list) {
    printf("    node %s: %zu peer%s:", braidctl_disp(b, node), json_array_size(list),
           plural((json_int_t)json_array_size(list)));
    json_array_foreach(list, i, v) printf(" %s", braidctl_disp(b, json_string_value(v)));
    printf("\n");
  }
}

static json_int_t consumers_at(const json_t *p, const char *node) {
  return node != NULL ? json_integer_value(json_object_get(json_object_get(p, "consumers"), node))
                      : 0;
}

/* " 2 consumers" (nothing for none). */
static const char *consumers_note(const json_t *p, const char *node, char *buf, size_t cap,
                                  bool data) {
  json_int_t n = consumers_at(p, node);
  if (n == 0)
    buf[0] = '\0';
  else
    snprintf(buf, cap, "  %lld %sconsumer%s", (long long)n, data ? "data " : "", plural(n));
  return buf;
}

/* Is the entry at i the last child of its parent (preorder with depths)? */
static bool last_child(const json_t *pipes, size_t i, json_int_t d) {
  for (size_t j = i + 1; j < json_array_size(pipes); j++) {
    const json_t *dj = json_object_get(json_array_get(pipes, j), "depth");
    if (!json_is_integer(dj) || json_integer_value(dj) < d) return true;
    if (json_integer_value(dj) == d) return false;
  }
  return true;
}

static void print_tree(braidctl_t *b, const json_t *p, bool data) {
  const json_t *pipes = json_object_get(p, "pipes");
  bool last_at[BRAIDCTL_TREE_MAX_DEPTH + 2] = {false};
  char note[64], pre[BRAIDCTL_TREE_MAX_DEPTH * 8 + 16];
  size_t i;
  json_t *e;
  json_array_foreach(pipes, i, e) {
    const json_t *dj = json_object_get(e, "depth");
    consumers_note(p, braidctl_get_str(e, "node"), note, sizeof note, data);
    if (!json_is_integer(dj) || json_integer_value(dj) < 1 ||
        json_integer_value(dj) > BRAIDCTL_TREE_MAX_DEPTH) {
      printf("      ?─ node %s  (from %s, %s)%s: not reached from the origin\n", S(e, "node"),
             S(e, "from"), S(e, "state"), note);
      continue;
    }
    json_int_t d = json_integer_value(dj);
    size_t off = 0;
    last_at[d] = last_child(pipes, i, d);
    for (json_int_t l = 1; l < d; l++)
      off += (size_t)snprintf(pre + off, sizeof pre - off, "%s", last_at[l] ? "    " : "│   ");
    snprintf(pre + off, sizeof pre - off, "%s", last_at[d] ? "└─ " : "├─ ");
    printf("      %snode %s  (from %s, %s)%s\n", pre, S(e, "node"), S(e, "from"), S(e, "state"),
           note);
  }
  /* Consumers on a node the producer is neither on nor piped to. */
  const char *node;
  json_t *n;
  json_object_foreach(json_object_get(p, "consumers"), node, n) {
    const char *origin = braidctl_get_str(p, "node");
    bool known = origin != NULL && strcmp(origin, node) == 0;
    json_array_foreach(pipes, i, e) {
      const char *en = braidctl_get_str(e, "node");
      known = known || (en != NULL && strcmp(en, node) == 0);
    }
    if (!known)
      printf("      %lld %sconsumer%s on node %s, which has no pipe of it\n",
             (long long)json_integer_value(n), data ? "data " : "", plural(json_integer_value(n)),
             braidctl_disp(b, node));
  }
}

static void print_producers(braidctl_t *b, const json_t *room, bool data) {
  const json_t *list = json_object_get(room, data ? "dataProducers" : "producers");
  char note[64];
  size_t i;
  json_t *p;
  if (data && json_array_size(list) == 0) return;
  printf("  %s:\n", data ? "data producers" : "producers");
  json_array_foreach(list, i, p) {
    const char *origin = braidctl_get_str(p, "node");
    consumers_note(p, origin, note, sizeof note, data);
    if (json_is_true(json_object_get(p, "unreadable")))
      printf("    %sproducer %s: its record does not read (see the warnings)\n",
             data ? "data " : "", S(p, "id"));
    else if (data)
      printf("    data producer %s (label %s, peer %s) on node %s%s%s\n", S(p, "id"), S(p, "label"),
             S(p, "peerId"), S(p, "node"),
             json_is_true(json_object_get(p, "alive")) ? "" : " (node dead)", note);
    else
      printf("    producer %s (%s, peer %s) on node %s%s%s%s\n", S(p, "id"), S(p, "kind"),
             S(p, "peerId"), S(p, "node"),
             json_is_true(json_object_get(p, "paused")) ? " [paused]" : "",
             json_is_true(json_object_get(p, "alive")) ? "" : " (node dead)", note);
    print_tree(b, p, data);
  }
}

static void print_stray(braidctl_t *b, const json_t *room) {
  const json_t *stray = json_object_get(room, "strayPipes");
  size_t i;
  json_t *e;
  if (json_array_size(stray) == 0) return;
  printf("  pipes of no stored producer:\n");
  json_array_foreach(stray, i, e) printf("    %s to node %s  (from %s, %s)\n", S(e, "producerId"),
                                         S(e, "node"), S(e, "from"), S(e, "state"));
}

static void print_consumers(braidctl_t *b, const json_t *room, bool data) {
  const json_t *by = json_object_get(room, data ? "dataConsumersByNode" : "consumersByNode");
  const char *node, *pid;
  json_t *n, *c;
  if (data && json_object_size(by) == 0) return;
  printf("  %s per node:\n", data ? "data consumers" : "consumers");
  json_object_foreach((json_t *)by, node, n) {
    const char *sep = "";
    json_int_t total = json_integer_value(json_object_get(n, "total"));
    printf("    node %s: %lld  (", braidctl_disp(b, node), (long long)total);
    json_object_foreach(json_object_get(n, "byProducer"), pid, c) {
      printf("%s%s %lld", sep, braidctl_disp(b, pid), (long long)json_integer_value(c));
      sep = ", ";
    }
    printf(")\n");
  }
}

static void print_side(braidctl_t *b, const char *node, const char *t, const json_t *tr) {
  char rx[24], tx[24], brx[24], btx[24];
  if (!json_is_object(tr)) {
    printf("      on node %s, transport %s: no traffic record (node dead, or not reported yet)\n",
           braidctl_disp(b, node), braidctl_disp(b, t));
    return;
  }
  braidctl_fmt_bps(braidctl_get_num(tr, "rxBps"), rx, sizeof rx);
  braidctl_fmt_bps(braidctl_get_num(tr, "txBps"), tx, sizeof tx);
  braidctl_fmt_bytes(braidctl_get_num(tr, "bytesRx"), brx, sizeof brx);
  braidctl_fmt_bytes(braidctl_get_num(tr, "bytesTx"), btx, sizeof btx);
  printf("      on node %s, transport %s: rx %s (%.0f packets, %s), tx %s (%.0f packets, %s), "
         "producers %.0f, consumers %.0f\n",
         braidctl_disp(b, node), braidctl_disp(b, t), rx, braidctl_get_num(tr, "rtpRx"), brx, tx,
         braidctl_get_num(tr, "rtpTx"), btx, braidctl_get_num(tr, "producers"),
         braidctl_get_num(tr, "consumers"));
}

static void print_pairs(braidctl_t *b, const json_t *room) {
  size_t i;
  json_t *p;
  printf("  pipe transports:\n");
  json_array_foreach(json_object_get(room, "pipeTransports"), i, p) {
    const json_t *srtp = json_object_get(p, "srtp"), *tr = json_object_get(p, "traffic");
    printf("    node %s <-> node %s  %s%s\n", S(p, "a"), S(p, "b"), S(p, "state"),
           json_is_true(srtp)    ? ", srtp"
           : json_is_false(srtp) ? ", no srtp"
                                 : "");
    print_side(b, braidctl_get_str(p, "a"), braidctl_get_str(p, "ta"), json_object_get(tr, "a"));
    print_side(b, braidctl_get_str(p, "b"), braidctl_get_str(p, "tb"), json_object_get(tr, "b"));
  }
}

void braidctl_room_print(braidctl_t *b, const json_t *room) {
  printf("room %s\n", S(room, "id"));
  print_routers_peers(b, room);
  print_producers(b, room, false);
  print_producers(b, room, true);
  print_stray(b, room);
  print_consumers(b, room, false);
  print_consumers(b, room, true);
  print_pairs(b, room);
  size_t w = json_array_size(json_object_get(room, "warnings"));
  if (w > 0) printf("  %zu warning%s (on stderr)\n", w, w == 1 ? "" : "s");
}
