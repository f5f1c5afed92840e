/*
 * Routers of one media daemon. In this slice a router is a named container
 * bound to a room; transports, producers and consumers hang from it later.
 * The registry owns its routers (STYLE.md rule 18). Each router has an
 * audio level observer, which also detects the dominant speaker, over its
 * audio producers (router_speakers.h).
 */
#ifndef BRAID_MEDIAD_RTC_ROUTER_H
#define BRAID_MEDIAD_RTC_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "common/limits.h"
#include "common/str.h"
#include "mediad/rtc/audio_level_observer.h"

typedef struct braid_router {
  char id[BRAID_ID_MAX + 1];
  char room_id[BRAID_ROOM_ID_MAX + 1];
  braid_audio_level_observer_t levels; /* its audio producers' levels and dominant speaker */
  struct braid_router *next; /* registry list link */
} braid_router_t;

typedef struct braid_router_registry braid_router_registry_t;

braid_router_registry_t *braid_router_registry_new(void);
/* Frees the registry and every router in it. */
void braid_router_registry_free(braid_router_registry_t *reg);

/* Creates router id in room; creating an existing id with the same room is
 * a success (commands are idempotent) and sets *created to false. Returns 0,
 * BRAID_EEXIST (same id in another room), BRAID_ETOOBIG (id or room too
 * long) or BRAID_ELIMIT. */
int braid_router_create(braid_router_registry_t *reg, braid_str_t id, braid_str_t room_id,
                        braid_router_t **out, bool *created);
/* Looks a router up; NULL when unknown. */
braid_router_t *braid_router_find(braid_router_registry_t *reg, braid_str_t id);
/* Closes and frees a router; returns 0 or BRAID_ENOTFOUND. */
int braid_router_close(braid_router_registry_t *reg, braid_str_t id);
size_t braid_router_count(const braid_router_registry_t *reg);
/* First router, for iteration with ->next. */
braid_router_t *braid_router_first(braid_router_registry_t *reg);

#endif
