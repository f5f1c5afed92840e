#include "mediad/rtc/router_speakers.h"

#include <string.h>

#include "common/log.h"
#include "mediad/channel/events.h"
#include "mediad/rtc/router.h"
#include "mediad/rtc/transport.h"

_Static_assert(BRAID_AUDIO_LEVEL_MAX_ENTRIES == BRAID_EVENT_MAX_VOLUMES,
               "a report fits one router.volumes event");

void braid_router_speakers_add(braid_producer_t *p) {
  braid_transport_t *t = p->transport;
  /* Video has no level; without the extension nothing would ever come;
   * a pipe's producer is measured by the daemon it comes from. */
  if (p->video || p->ext.audio_level == 0 || strcmp(braid_transport_kind(t), "pipe") == 0) return;
  if (t->md->routers == NULL) return; /* a test's daemon without routers */
  braid_router_t *r = braid_router_find(t->md->routers, braid_str_c(t->router_id));
  if (r == NULL) return; /* a test's transport without a router */
  if (braid_audio_level_observer_add(&r->levels, p->id, &p->level_slot) != 0)
    BRAID_LOGW("router", "router %s: producer %s not measured (%d audio producers already)", r->id,
               p->id, BRAID_AUDIO_LEVEL_MAX_PRODUCERS);
}

void braid_router_speakers_remove(braid_producer_t *p) {
  braid_audio_level_observer_remove(p->level_slot); /* clears p->level_slot */
}

static void publish_volumes(braid_mediad_t *md, const braid_router_t *r,
                            const braid_audio_level_result_t *res) {
  braid_event_t ev = {.type = BRAID_EV_ROUTER_VOLUMES,
                      .room_id = braid_str_c(r->room_id),
                      .router_id = braid_str_c(r->id),
                      .producer_id = braid_str_c(res->current ? res->current : "")};
  for (size_t i = 0; i < res->n && i < BRAID_EVENT_MAX_VOLUMES; i++)
    ev.volumes[ev.nvolumes++] = (braid_event_volume_t){
        .producer_id = braid_str_c(res->entries[i].producer_id), .volume = res->entries[i].volume};
  braid_mediad_publish_event(md, &ev);
}

static void publish_dominant(braid_mediad_t *md, const braid_router_t *r, const char *producer_id) {
  braid_event_t ev = {.type = BRAID_EV_ROUTER_DOMINANT_SPEAKER,
                      .room_id = braid_str_c(r->room_id),
                      .router_id = braid_str_c(r->id),
                      .producer_id = braid_str_c(producer_id)};
  BRAID_LOGD("router", "router %s: dominant speaker is producer %s", r->id, producer_id);
  braid_mediad_publish_event(md, &ev);
}

void braid_router_speakers_tick(braid_mediad_t *md, int64_t now_ms) {
  braid_audio_level_result_t res;
  if (md->routers == NULL) return;
  for (braid_router_t *r = braid_router_first(md->routers); r != NULL; r = r->next) {
    braid_audio_level_observer_tick(&r->levels, now_ms, &res);
    /* The dominant speaker first: a controller that hears both in one
     * tick then names the speaker its speakingPeers list starts with. */
    if (res.dominant != NULL) publish_dominant(md, r, res.dominant);
    if (res.report) publish_volumes(md, r, &res);
  }
}
