/*
 * Room event channels (<prefix>room:<id>:ev) and this controller's reply
 * channel (<prefix>ctl:<id>), both on the SUBSCRIBE connection. Our own
 * publications come back to us like anyone else's, so local and remote
 * peers are served by one path.
 */
#ifndef BRAID_CONTROLLER_CLUSTER_EVENTS_H
#define BRAID_CONTROLLER_CLUSTER_EVENTS_H

#include <stddef.h>

#include "controller/ctl.h"
#include "proto/event.h"

void braid_events_follow_room(braid_ctl_t *ctl, const char *room_id);
void braid_events_unfollow_room(braid_ctl_t *ctl, const char *room_id);
/* Encodes and publishes ev on its room's channel (fire and forget). */
void braid_events_publish(braid_ctl_t *ctl, const braid_event_t *ev);
/* Subscriber hooks. */
void braid_events_on_connect(braid_ctl_t *ctl);
void braid_events_on_message(braid_ctl_t *ctl, const char *channel, const char *payload, size_t len);

#endif
