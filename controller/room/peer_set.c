#include "controller/room/peer_set.h"

#include "common/mem.h"

struct braid_peer_set {
  braid_ctl_t *ctl;
  size_t n, cap;
  uint64_t *conn_ids; /* owned */
};

braid_peer_set_t *braid_peer_set_new(braid_ctl_t *ctl) {
  braid_peer_set_t *s = braid_xcalloc(1, sizeof *s);
  s->ctl = ctl;
  return s;
}

void braid_peer_set_free(braid_peer_set_t *s) {
  if (s == NULL) return;
  braid_free(s->conn_ids);
  braid_free(s);
}

void braid_peer_set_add(braid_peer_set_t *s, const braid_peer_t *p) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    s->conn_ids = braid_xrealloc(s->conn_ids, s->cap * sizeof s->conn_ids[0]);
  }
  s->conn_ids[s->n++] = p->conn_id;
}

size_t braid_peer_set_size(const braid_peer_set_t *s) { return s->n; }

void braid_peer_set_each(braid_peer_set_t *s, braid_peer_set_fn fn, const json_t *rec) {
  for (size_t i = 0; i < s->n; i++) {
    braid_peer_t *p = braid_rooms_find_peer(s->ctl->rooms, s->conn_ids[i]);
    if (p != NULL) fn(s->ctl, p, rec);
  }
}
