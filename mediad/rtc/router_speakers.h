/*
 * Speakers of a router: the glue between the producers of a media daemon,
 * their router's audio level observer and dominant speaker detector
 * (audio_level_observer.h, speaker_detector.h), and the room events
 * controllers turn into mediasoup-demo's activeSpeaker and speakingPeers
 * notifications (controller/room/speakers.h).
 *
 * Which producers are measured: audio producers whose client negotiated
 * the ssrc-audio-level extension, on a transport that receives from an
 * endpoint (WebRTC or plain). A producer on a pipe transport is a copy of
 * one another daemon receives, and that daemon measures it, so every
 * producer of a room is measured exactly once however many daemons it is
 * piped to.
 *
 * Every BRAID_AUDIO_LEVEL_TICK_MS the daemon's timer (node.c) calls
 * braid_router_speakers_tick(), which ticks every router's observer and
 * publishes, on the room channel:
 *   - "router.volumes" {router, producer (its dominant speaker now, or
 *     ""), volumes:[{producer, volume}]} every
 *     BRAID_AUDIO_LEVEL_INTERVAL_MS while someone speaks, and once with an
 *     empty list when all went quiet;
 *   - "router.dominant_speaker" {router, producer} when the router's
 *     dominant speaker changes.
 * A room spread over several daemons gets one of each per daemon (one
 * router per daemon); the controllers combine them.
 */
#ifndef BRAID_MEDIAD_RTC_ROUTER_SPEAKERS_H
#define BRAID_MEDIAD_RTC_ROUTER_SPEAKERS_H

#include <stdbool.h>
#include <stdint.h>

#include "mediad/mediad.h"
#include "mediad/rtc/audio_level_observer.h"
#include "mediad/rtc/producer.h"
#include "mediad/wire/rtp_ext.h"

/* Gives p a slot in its router's observer when it is to be measured (see
 * above); called once p is registered. A router at its limit leaves p
 * unmeasured. */
void braid_router_speakers_add(braid_producer_t *p);
/* Takes p out of its router's observer (nothing when it has no slot). */
void braid_router_speakers_remove(braid_producer_t *p);

/* The packet path: a media packet of p with its parsed extensions (not a
 * retransmission: rtx is true for one, which is ignored, as its level
 * was counted with the original). No allocation, no logging. */
static inline void braid_router_speakers_receive(braid_producer_t *p, const braid_rtp_ext_t *ext,
                                                 bool rtx) {
  bool voice;
  uint8_t level;
  if (p->level_slot == NULL || rtx || p->paused) return;
  if (braid_rtp_ext_get_audio_level(ext, p->ext.audio_level, &voice, &level) == 0)
    braid_audio_level_slot_receive(p->level_slot, level);
}

/* Ticks every router's observer at now_ms and publishes what it reports. */
void braid_router_speakers_tick(braid_mediad_t *md, int64_t now_ms);

#endif
