#include "controller/signaling/protoo_pending.h"

#include <math.h>

#include "common/err.h"
#include "common/limits.h"
#include "common/map.h"
#include "common/log.h"
#include "common/mem.h"

/* One waiting request. It owns its timer; the entry is freed in the
 * timer's close callback, after the table has forgotten it. */
typedef struct entry {
  braid_protoo_pending_t *table; /* borrowed; NULL once ended */
  long long id;
  braid_protoo_pending_cb cb;
  void *user_data;
  int err; /* set when the request must end without an answer */
  uv_timer_t timer;
} entry_t;

struct braid_protoo_pending {
  uv_loop_t *loop; /* borrowed */
  uint64_t timeout_ms;
  long long next_id;
  braid_map_t *entries; /* id (long long, 8 bytes) -> entry_t; the refused ones are not here */
};

braid_protoo_pending_t *braid_protoo_pending_new(uv_loop_t *loop, uint64_t timeout_ms) {
  braid_protoo_pending_t *t = braid_xcalloc(1, sizeof *t);
  t->loop = loop;
  t->timeout_ms = timeout_ms;
  t->entries = braid_map_new();
  BRAID_ASSERT(t->entries != NULL);
  return t;
}

static void on_entry_closed(uv_handle_t *h) { braid_free(h->data); }

/* Forgets e and ends it with one callback. */
static void finish(entry_t *e, int err, const braid_protoo_msg_t *res) {
  braid_protoo_pending_t *t = e->table;
  braid_protoo_pending_cb cb = e->cb;
  if (t != NULL && e->id != 0) braid_map_del(t->entries, (const char *)&e->id, sizeof e->id);
  e->table = NULL;
  e->cb = NULL;
  uv_timer_stop(&e->timer);
  uv_close((uv_handle_t *)&e->timer, on_entry_closed);
  if (cb != NULL) cb(err, res, e->user_data);
}

static void on_timer(uv_timer_t *timer) {
  entry_t *e = timer->data;
  finish(e, e->err != 0 ? e->err : BRAID_ETIMEDOUT, NULL);
}

void braid_protoo_pending_free(braid_protoo_pending_t *t) {
  if (t == NULL) return;
  braid_map_iter_t it;
  void *v;
  /* The callbacks may not touch t, so deleting while iterating is only
   * ever the entry just returned. */
  braid_map_iter_init(&it, t->entries);
  while (braid_map_iter_next(&it, NULL, NULL, &v))
    finish(v, BRAID_ECLOSED, NULL);
  braid_map_free(t->entries);
  braid_free(t);
}

long long braid_protoo_pending_add(braid_protoo_pending_t *t, braid_protoo_pending_cb cb,
                                   void *user_data) {
  entry_t *e = braid_xcalloc(1, sizeof *e);
  e->table = t;
  e->cb = cb;
  e->user_data = user_data;
  uv_timer_init(t->loop, &e->timer);
  e->timer.data = e;
  if (braid_map_size(t->entries) >= BRAID_PROTOO_MAX_PENDING) {
    /* Refused: not in the table, ends on the next loop turn. A table freed
     * before then leaves it to its timer (the entry does not point back). */
    e->table = NULL;
    e->err = BRAID_ELIMIT;
    uv_timer_start(&e->timer, on_timer, 0, 0);
    return 0;
  }
  if (++t->next_id <= 0) t->next_id = 1; /* never 0, even after wrapping */
  e->id = t->next_id;
  BRAID_ASSERT(braid_map_put(t->entries, (const char *)&e->id, sizeof e->id, e) == 0);
  uv_timer_start(&e->timer, on_timer, t->timeout_ms, 0);
  return e->id;
}

int braid_protoo_pending_on_response(braid_protoo_pending_t *t, const braid_protoo_msg_t *res) {
  double d = json_number_value(res->id);
  if (!json_is_number(res->id) || !isfinite(d) || d < 1 || d > 9007199254740992.0 || d != floor(d))
    return BRAID_ENOTFOUND;
  long long id = (long long)d;
  entry_t *e = braid_map_get(t->entries, (const char *)&id, sizeof id);
  if (e == NULL) return BRAID_ENOTFOUND;
  finish(e, 0, res);
  return 0;
}

size_t braid_protoo_pending_count(const braid_protoo_pending_t *t) {
  return braid_map_size(t->entries);
}
