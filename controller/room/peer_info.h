/*
 * The JSON shapes that describe a peer to other peers, per dialect
 * (mediasoup-protocol.md §2.4, §2.7):
 *   current: {peerId, displayName, device, remoteAddress}, newPeer {peer:{...}}
 *   legacy:  {id, displayName, device},                    newPeer {...}
 */
#ifndef BRAID_CONTROLLER_ROOM_PEER_INFO_H
#define BRAID_CONTROLLER_ROOM_PEER_INFO_H

#include <jansson.h>

#include "controller/ctl.h"

/* Builds a peer description from its parts (device is borrowed, may be NULL). */
json_t *braid_peer_info(braid_dialect_t dialect, const char *peer_id, const char *display_name,
                        json_t *device, const char *remote_address);
/* Same, from a stored peer record (store.h). */
json_t *braid_peer_info_from_record(braid_dialect_t dialect, json_t *record);
/* The data of a newPeer notification for that description (takes info). */
json_t *braid_peer_info_new_peer(braid_dialect_t dialect, json_t *info);

#endif
