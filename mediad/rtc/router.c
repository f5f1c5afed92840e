#include "mediad/rtc/router.h"

#include "common/err.h"
#include "common/mem.h"

/* A daemon hosts at most this many routers; a bound against runaway callers. */
#define MAX_ROUTERS 100000

struct braid_router_registry {
  braid_router_t *head; /* owned list */
  size_t count;
};

braid_router_registry_t *braid_router_registry_new(void) {
  return braid_xcalloc(1, sizeof(braid_router_registry_t));
}

void braid_router_registry_free(braid_router_registry_t *reg) {
  if (reg == NULL) return;
  braid_router_t *r = reg->head;
  while (r != NULL) {
    braid_router_t *next = r->next;
    braid_audio_level_observer_cleanup(&r->levels);
    braid_free(r);
    r = next;
  }
  braid_free(reg);
}

braid_router_t *braid_router_find(braid_router_registry_t *reg, braid_str_t id) {
  for (braid_router_t *r = reg->head; r != NULL; r = r->next) {
    if (braid_str_eq(id, r->id)) return r;
  }
  return NULL;
}

int braid_router_create(braid_router_registry_t *reg, braid_str_t id, braid_str_t room_id,
                        braid_router_t **out, bool *created) {
  braid_router_t *r = braid_router_find(reg, id);
  *created = false;
  if (r != NULL) {
    if (!braid_str_eq(room_id, r->room_id)) return BRAID_EEXIST;
    *out = r;
    return 0;
  }
  if (reg->count >= MAX_ROUTERS) return BRAID_ELIMIT;
  r = braid_xcalloc(1, sizeof *r);
  if (braid_str_copy(r->id, sizeof r->id, id) != 0 ||
      braid_str_copy(r->room_id, sizeof r->room_id, room_id) != 0) {
    braid_free(r);
    return BRAID_ETOOBIG;
  }
  braid_audio_level_observer_init(&r->levels);
  r->next = reg->head;
  reg->head = r;
  reg->count++;
  *out = r;
  *created = true;
  return 0;
}

int braid_router_close(braid_router_registry_t *reg, braid_str_t id) {
  for (braid_router_t **pp = &reg->head; *pp != NULL; pp = &(*pp)->next) {
    if (braid_str_eq(id, (*pp)->id)) {
      braid_router_t *r = *pp;
      *pp = r->next;
      reg->count--;
      braid_audio_level_observer_cleanup(&r->levels);
      braid_free(r);
      return 0;
    }
  }
  return BRAID_ENOTFOUND;
}

size_t braid_router_count(const braid_router_registry_t *reg) { return reg->count; }

braid_router_t *braid_router_first(braid_router_registry_t *reg) { return reg->head; }
