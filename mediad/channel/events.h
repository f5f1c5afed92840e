/* Node-side room events (proto/event.h): what a media daemon tells the
 * controllers of a room, published on its room channel. Never called on
 * the per-packet path: state changes and periodic scores only. */
#ifndef BRAID_MEDIAD_CHANNEL_EVENTS_H
#define BRAID_MEDIAD_CHANNEL_EVENTS_H

#include "mediad/mediad.h"
#include "proto/event.h"

/* Publishes ev on the channel of ev->room_id; a failure to encode is
 * logged and the event dropped. */
void braid_mediad_publish_event(braid_mediad_t *md, const braid_event_t *ev);

#endif
