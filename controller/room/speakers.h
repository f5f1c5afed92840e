/*
 * Who is speaking in a room (mediasoup-protocol.md §2.4, §2.7, §5.9): the
 * controller's half of the audio level and active speaker observers.
 *
 * Media daemons measure the audio producers they receive from endpoints
 * (mediad/rtc/router_speakers.h) and publish, per router, i.e. per daemon
 * the room spans:
 *   router.volumes           {router, volumes:[{producer, volume}]}, every
 *                            800 ms while someone speaks, an empty list once
 *                            when all went quiet;
 *   router.dominant_speaker  {router, producer}, when that router's
 *                            dominant speaker changes.
 *
 * This module turns them into what mediasoup-demo clients expect, for the
 * joined peers of this controller, per dialect:
 *   legacy   activeSpeaker {peerId, volume} (the loudest peer, at each
 *            report while someone speaks) and activeSpeaker {peerId: null}
 *            once when the room went quiet (the demo's AudioLevelObserver
 *            with maxEntries 1);
 *   current  speakingPeers {peerVolumes:[{peerId, volume}]} (loudest
 *            first, at most BRAID_SPEAKERS_CURRENT_MAX), activeSpeaker
 *            {peerId} when the room's dominant speaker changes, and
 *            speakingPeers {peerVolumes: []} + activeSpeaker {} (peerId
 *            undefined) when the room went quiet, as the TS demo's Room
 *            does; the dominant speaker is told again when it speaks again
 *            after such a silence, or after a peer joined.
 * Every peer hears them, the speaker too, as in the demo.
 *
 * Several daemons: each report replaces its router's previous one, and
 * the room's view is the union of the reports younger than
 * BRAID_SPEAKERS_FRESH_MS (two intervals), so the loudest is chosen over
 * the whole room and two daemons reporting in turn do not make it
 * flicker; the room is quiet when no fresh report names anyone. The
 * room's dominant speaker is the one its router named; another router's
 * dominant speaker takes over at once when the room has none or its
 * router has no fresh report (its speakers went quiet), else only after
 * being louder in the combined reports (by 3 dB, or with the dominant
 * one silent) for BRAID_SPEAKERS_HOLD_MS.
 *
 * Producers are mapped to peers with what this controller knows: the
 * producer.new events of the room (its owner), the producers of its own
 * peers, and, for one it has not seen (made before this controller had a
 * peer in the room), a read of the producer's record in Redis
 * (media_store.h); until it is known a producer is left out, and a report
 * naming only unknown producers is neither speech nor silence.
 *
 * The state lives as long as the room has a local socket (rooms.c).
 */
#ifndef BRAID_CONTROLLER_ROOM_SPEAKERS_H
#define BRAID_CONTROLLER_ROOM_SPEAKERS_H

#include <stdint.h>

#include "controller/ctl.h"
#include "proto/event.h"

/* mediad's report interval (BRAID_AUDIO_LEVEL_INTERVAL_MS) and how old a
 * router's report may be and still count. */
#define BRAID_SPEAKERS_INTERVAL_MS 800
#define BRAID_SPEAKERS_FRESH_MS    (2 * BRAID_SPEAKERS_INTERVAL_MS)
/* How long another router's dominant speaker must lead to take over. */
#define BRAID_SPEAKERS_HOLD_MS (2 * BRAID_SPEAKERS_INTERVAL_MS)
/* speakingPeers entries (the TS demo's AudioLevelObserver maxEntries). */
#define BRAID_SPEAKERS_CURRENT_MAX 10
/* Bounds (STYLE.md rule 19): routers (daemons) of one room whose reports
 * are kept (past it the stalest is replaced), producer owners remembered,
 * and owner lookups in Redis in flight. */
#define BRAID_SPEAKERS_MAX_ROUTERS 64
#define BRAID_SPEAKERS_MAX_OWNERS  4096
#define BRAID_SPEAKERS_MAX_LOOKUPS 8

typedef struct braid_speakers braid_speakers_t;

/* The state of room_id (copied); ctl is borrowed (NULL in unit tests:
 * then nothing is delivered and nothing is looked up). */
braid_speakers_t *braid_speakers_new(braid_ctl_t *ctl, const char *room_id);
/* Frees it (NULL: nothing); an owner lookup still in flight finds it gone
 * and frees what is left. */
void braid_speakers_free(braid_speakers_t *s);

/* A room event, at now_ms (monotonic). Uses router.volumes,
 * router.dominant_speaker, router.closed, producer.new (learns an owner),
 * producer.closed (forgets it) and peer.joined (the dominant speaker is
 * told again at the next report that names it, so that the newcomer
 * learns it); ignores the others. */
void braid_speakers_on_event(braid_speakers_t *s, const braid_event_t *ev, int64_t now_ms);

#endif
