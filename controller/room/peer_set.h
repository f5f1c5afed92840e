/*
 * Local peers gathered before an asynchronous step (a Redis read) and
 * acted on when it answers: held by socket (conn id), not by pointer, and
 * looked up again then, so peers whose socket closed meanwhile are simply
 * skipped. consumers.c and data_consumers.c fan a new producer out to the
 * peers that may consume it this way.
 */
#ifndef BRAID_CONTROLLER_ROOM_PEER_SET_H
#define BRAID_CONTROLLER_ROOM_PEER_SET_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "controller/room/rooms.h"

typedef struct braid_peer_set braid_peer_set_t;

/* An empty set (never NULL: allocation failures abort). */
braid_peer_set_t *braid_peer_set_new(braid_ctl_t *ctl);
void braid_peer_set_free(braid_peer_set_t *s);
void braid_peer_set_add(braid_peer_set_t *s, const braid_peer_t *p);
size_t braid_peer_set_size(const braid_peer_set_t *s);

/* Calls fn(ctl, p, rec) for every peer of s still connected, in the order
 * they were added. rec is passed through (borrowed). */
typedef void (*braid_peer_set_fn)(braid_ctl_t *ctl, braid_peer_t *p, const json_t *rec);
void braid_peer_set_each(braid_peer_set_t *s, braid_peer_set_fn fn, const json_t *rec);

#endif
