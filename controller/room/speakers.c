#include "controller/room/speakers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/limits.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "controller/cluster/media_store.h"
#include "controller/room/rooms.h"
#include "controller/signaling/protoo.h"

/* The dominant speaker of another router must be this much louder. */
#define CHALLENGE_MARGIN_DB 3
/* Peers in one combined list: the loudest entries of every fresh report. */
#define MAX_COMBINED 64
/* No volume: the producer is in no fresh report. */
#define NO_VOLUME (-1000)

typedef struct spk_volume {
  char producer[BRAID_ID_MAX + 1];
  int volume;
} spk_volume_t;

/* The last reports of one router. */
typedef struct spk_router {
  char id[BRAID_ID_MAX + 1];
  int64_t at_ms; /* when its last router.volumes came; INT64_MIN: none yet */
  size_t n;
  spk_volume_t v[BRAID_EVENT_MAX_VOLUMES];
  char dominant[BRAID_ID_MAX + 1]; /* its dominant speaker's producer, "" none */
} spk_router_t;

/* One peer of the combined list: peer borrows the owners map's value. */
typedef struct spk_peer_volume {
  const char *peer;
  int volume;
} spk_peer_volume_t;

/* What an event makes the room's clients hear. */
typedef struct spk_out {
  bool volumes;         /* v[0..n) are speaking (n > 0) */
  bool silence;         /* the room went quiet */
  const char *announce; /* the current dialect's activeSpeaker {peerId}: a peer id, or NULL */
  size_t n;
  spk_peer_volume_t v[MAX_COMBINED];
} spk_out_t;

struct braid_speakers {
  braid_ctl_t *ctl; /* borrowed; NULL in unit tests */
  char room_id[BRAID_ROOM_ID_MAX + 1];
  unsigned refs;                                     /* the room's, plus one per lookup in flight */
  bool dead;                                         /* the room let go (braid_speakers_free) */
  spk_router_t *routers[BRAID_SPEAKERS_MAX_ROUTERS]; /* owned */
  size_t nrouters;
  braid_map_t *owners; /* producer id -> its peer's id (owned C string; "" while looked up) */
  size_t lookups;      /* owner lookups in flight */
  bool speaking;       /* the last notification named speakers (not silence) */
  char dominant[BRAID_ID_MAX + 1];        /* the room's dominant speaker's producer, "" none */
  char dominant_router[BRAID_ID_MAX + 1]; /* the router that named it, "" unknown */
  char challenger[BRAID_ID_MAX + 1];      /* another router's dominant leading it, "" none */
  int64_t challenger_since_ms;
  char announced[BRAID_PEER_ID_MAX + 1]; /* the peer the current dialect was last told, "" none */
};

/* ---- life ------------------------------------------------------------- */

braid_speakers_t *braid_speakers_new(braid_ctl_t *ctl, const char *room_id) {
  braid_speakers_t *s = braid_xcalloc(1, sizeof *s);
  s->ctl = ctl;
  snprintf(s->room_id, sizeof s->room_id, "%s", room_id);
  s->refs = 1;
  s->owners = braid_map_new();
  BRAID_ASSERT(s->owners != NULL);
  return s;
}

static void destroy(braid_speakers_t *s) {
  braid_map_iter_t it;
  void *v;
  braid_map_iter_init(&it, s->owners);
  while (braid_map_iter_next(&it, NULL, NULL, &v))
    braid_free(v);
  braid_map_free(s->owners);
  for (size_t i = 0; i < s->nrouters; i++)
    braid_free(s->routers[i]);
  braid_free(s);
}

static void unref(braid_speakers_t *s) {
  if (--s->refs == 0) destroy(s);
}

void braid_speakers_free(braid_speakers_t *s) {
  if (s == NULL) return;
  s->dead = true;
  unref(s);
}

/* ---- producers' owners ------------------------------------------------- */

static void owner_set(braid_speakers_t *s, const char *producer, const char *peer) {
  size_t len = strlen(producer);
  char *old = braid_map_get(s->owners, producer, len);
  if (old == NULL && braid_map_size(s->owners) >= BRAID_SPEAKERS_MAX_OWNERS) return;
  BRAID_ASSERT(braid_map_put(s->owners, producer, len, braid_xstrdup(peer)) == 0);
  braid_free(old);
}

static void owner_forget(braid_speakers_t *s, const char *producer) {
  braid_free(braid_map_del(s->owners, producer, strlen(producer)));
}

typedef struct lookup {
  braid_speakers_t *s;
  char producer[BRAID_ID_MAX + 1];
} lookup_t;

static void on_owner(int err, const char *reason, json_t *json, void *ud) {
  lookup_t *l = ud;
  braid_speakers_t *s = l->s;
  (void)reason;
  s->lookups--;
  if (!s->dead) {
    const char *pending = braid_map_get(s->owners, l->producer, strlen(l->producer));
    const char *peer = err == 0 ? json_string_value(json_object_get(json, "peerId")) : NULL;
    /* Only a lookup still pending is answered: producer.new may have come
     * first, and producer.closed may have forgotten it. */
    if (pending != NULL && pending[0] == '\0') {
      if (peer != NULL && strlen(peer) <= BRAID_PEER_ID_MAX)
        owner_set(s, l->producer, peer);
      else
        owner_forget(s, l->producer); /* no record yet: asked again at the next report */
    }
  }
  braid_free(l);
  unref(s);
}

typedef struct find_ctx {
  const char *producer;
  const char *peer;
} find_ctx_t;

static void find_local(braid_peer_t *p, void *ud) {
  find_ctx_t *x = ud;
  if (x->peer == NULL && braid_peer_media_producer(&p->media, x->producer) != NULL)
    x->peer = p->peer_id;
}

/* Learns the owner of a producer not seen yet: one of our peers', at
 * once, or else from its record in Redis (the answer serves the next
 * report). */
static void lookup_owner(braid_speakers_t *s, const char *producer) {
  if (s->ctl == NULL || braid_map_size(s->owners) >= BRAID_SPEAKERS_MAX_OWNERS) return;
  find_ctx_t x = {.producer = producer};
  braid_rooms_foreach_peer(s->ctl->rooms, s->room_id, find_local, &x);
  if (x.peer != NULL) {
    owner_set(s, producer, x.peer);
    return;
  }
  if (s->lookups >= BRAID_SPEAKERS_MAX_LOOKUPS) return;
  owner_set(s, producer, ""); /* pending */
  lookup_t *l = braid_xcalloc(1, sizeof *l);
  l->s = s;
  snprintf(l->producer, sizeof l->producer, "%s", producer);
  s->refs++;
  s->lookups++;
  braid_store_producer_get(s->ctl, s->room_id, producer, on_owner, l);
}

/* The peer of a producer, or NULL while unknown. */
static const char *owner_of(braid_speakers_t *s, const char *producer) {
  const char *peer = braid_map_get(s->owners, producer, strlen(producer));
  if (peer == NULL) {
    lookup_owner(s, producer);
    peer = braid_map_get(s->owners, producer, strlen(producer));
  }
  return peer != NULL && peer[0] != '\0' ? peer : NULL;
}

/* ---- routers' reports -------------------------------------------------- */

static spk_router_t *router_find(braid_speakers_t *s, braid_str_t id) {
  for (size_t i = 0; i < s->nrouters; i++)
    if (braid_str_eq(id, s->routers[i]->id)) return s->routers[i];
  return NULL;
}

/* The router's record, made when new (replacing the stalest one when
 * there are BRAID_SPEAKERS_MAX_ROUTERS). NULL for an id too long. */
static spk_router_t *router_get(braid_speakers_t *s, braid_str_t id) {
  spk_router_t *r = router_find(s, id);
  if (r != NULL || id.len > BRAID_ID_MAX) return r;
  if (s->nrouters < BRAID_SPEAKERS_MAX_ROUTERS) {
    r = s->routers[s->nrouters++] = braid_xmalloc(sizeof *r);
  } else {
    r = s->routers[0];
    for (size_t i = 1; i < s->nrouters; i++)
      if (s->routers[i]->at_ms < r->at_ms) r = s->routers[i];
  }
  *r = (spk_router_t){.at_ms = INT64_MIN};
  braid_str_copy(r->id, sizeof r->id, id);
  return r;
}

static void router_remove(braid_speakers_t *s, braid_str_t id) {
  for (size_t i = 0; i < s->nrouters; i++) {
    if (!braid_str_eq(id, s->routers[i]->id)) continue;
    if (strcmp(s->dominant_router, s->routers[i]->id) == 0) s->dominant_router[0] = '\0';
    braid_free(s->routers[i]);
    s->routers[i] = s->routers[--s->nrouters];
    return;
  }
}

static bool fresh(const spk_router_t *r, int64_t now_ms) {
  return r->at_ms != INT64_MIN && now_ms - r->at_ms <= BRAID_SPEAKERS_FRESH_MS;
}

/* Someone speaks on r: its fresh report names anyone. */
static bool speaking(const spk_router_t *r, int64_t now_ms) { return fresh(r, now_ms) && r->n > 0; }

/* A producer's volume in the fresh reports, or NO_VOLUME. */
static int volume_of(const braid_speakers_t *s, const char *producer, int64_t now_ms) {
  for (size_t i = 0; i < s->nrouters; i++) {
    const spk_router_t *r = s->routers[i];
    if (!fresh(r, now_ms)) continue;
    for (size_t k = 0; k < r->n; k++)
      if (strcmp(r->v[k].producer, producer) == 0) return r->v[k].volume;
  }
  return NO_VOLUME;
}

/* The union of the fresh reports by peer (a peer's loudest producer),
 * loudest first, into out->v; returns how many entries named producers
 * whose owner is not known yet. */
static size_t combine(braid_speakers_t *s, int64_t now_ms, spk_out_t *out) {
  size_t unknown = 0;
  out->n = 0;
  for (size_t i = 0; i < s->nrouters; i++) {
    const spk_router_t *r = s->routers[i];
    if (!fresh(r, now_ms)) continue;
    for (size_t k = 0; k < r->n; k++) {
      const char *peer = owner_of(s, r->v[k].producer);
      if (peer == NULL) {
        unknown++;
        continue;
      }
      size_t j = 0;
      while (j < out->n && strcmp(out->v[j].peer, peer) != 0)
        j++;
      if (j < out->n) {
        if (r->v[k].volume > out->v[j].volume) out->v[j].volume = r->v[k].volume;
      } else if (out->n < MAX_COMBINED) {
        out->v[out->n++] = (spk_peer_volume_t){peer, r->v[k].volume};
      }
    }
  }
  /* Insertion sort, stable: a handful of entries. */
  for (size_t i = 1; i < out->n; i++) {
    spk_peer_volume_t e = out->v[i];
    size_t j = i;
    for (; j > 0 && out->v[j - 1].volume < e.volume; j--)
      out->v[j] = out->v[j - 1];
    out->v[j] = e;
  }
  return unknown;
}

/* ---- the room's dominant speaker --------------------------------------- */

static void set_dominant(braid_speakers_t *s, const char *producer, const char *router) {
  snprintf(s->dominant_router, sizeof s->dominant_router, "%s", router);
  if (strcmp(s->dominant, producer) == 0) return; /* the same: a challenge goes on */
  snprintf(s->dominant, sizeof s->dominant, "%s", producer);
  s->challenger[0] = '\0';
}

/* Weighs, at each report, the dominant speakers the routers named against
 * the room's: the loudest of them that speaks now takes over at once when
 * the room has none or nobody speaks on the router that named the room's
 * (as in on_dominant()), and otherwise once it has been the loudest of
 * them, and louder than the room's (by CHALLENGE_MARGIN_DB, or with the
 * room's silent), for BRAID_SPEAKERS_HOLD_MS. With one router the router's
 * own events decide and there is nothing to weigh. */
static void challenge(braid_speakers_t *s, int64_t now_ms) {
  const spk_router_t *best = NULL;
  int best_volume = NO_VOLUME;
  for (size_t i = 0; i < s->nrouters; i++) {
    const spk_router_t *r = s->routers[i];
    if (r->dominant[0] == '\0' || strcmp(r->dominant, s->dominant) == 0) continue;
    int v = volume_of(s, r->dominant, now_ms);
    if (v != NO_VOLUME && v > best_volume) {
      best = r;
      best_volume = v;
    }
  }
  if (best == NULL) {
    s->challenger[0] = '\0';
    return;
  }
  const spk_router_t *holder = router_find(s, braid_str_c(s->dominant_router));
  if (s->dominant[0] == '\0' || holder == NULL || !speaking(holder, now_ms)) {
    set_dominant(s, best->dominant, best->id);
    return;
  }
  int current = volume_of(s, s->dominant, now_ms);
  if (current != NO_VOLUME && best_volume < current + CHALLENGE_MARGIN_DB) {
    s->challenger[0] = '\0';
    return;
  }
  if (strcmp(s->challenger, best->dominant) != 0) {
    snprintf(s->challenger, sizeof s->challenger, "%s", best->dominant);
    s->challenger_since_ms = now_ms;
    return;
  }
  if (now_ms - s->challenger_since_ms >= BRAID_SPEAKERS_HOLD_MS)
    set_dominant(s, best->dominant, best->id);
}

/* Router r names its dominant speaker (router.dominant_speaker, and each
 * router.volumes: "" none). It becomes the room's when the room has none,
 * when r named the room's, or when nobody speaks on the router that did
 * (no fresh report, or a silence); otherwise challenge() weighs it at the
 * next reports. */
static void router_names(braid_speakers_t *s, spk_router_t *r, braid_str_t producer,
                         int64_t now_ms) {
  if (braid_str_copy(r->dominant, sizeof r->dominant, producer) != 0) r->dominant[0] = '\0';
  if (r->dominant[0] == '\0') return;
  const spk_router_t *holder = router_find(s, braid_str_c(s->dominant_router));
  if (s->dominant[0] == '\0' || holder == NULL || holder == r || !speaking(holder, now_ms))
    set_dominant(s, r->dominant, r->id);
}

static void on_dominant(braid_speakers_t *s, const braid_event_t *ev, int64_t now_ms) {
  spk_router_t *r = router_get(s, ev->router_id);
  if (r != NULL) router_names(s, r, ev->producer_id, now_ms);
}

/* The current dialect hears the dominant speaker's peer when it changed:
 * at a router's dominant speaker event (named), or at a report that names
 * that peer among the speakers (the dominant speaker speaks again after
 * a silence cleared it at the clients; one who stays quiet is not shown
 * again). */
static void announce(braid_speakers_t *s, bool named, spk_out_t *out) {
  if (out->silence) {
    s->announced[0] = '\0'; /* the silence clears it at the clients */
    return;
  }
  if (s->dominant[0] == '\0') return;
  const char *peer = owner_of(s, s->dominant);
  if (peer == NULL || strcmp(peer, s->announced) == 0) return;
  if (!named) {
    size_t i = 0;
    while (i < out->n && strcmp(out->v[i].peer, peer) != 0)
      i++;
    if (i == out->n) return;
  }
  snprintf(s->announced, sizeof s->announced, "%s", peer);
  out->announce = peer;
}

/* ---- events -------------------------------------------------------------- */

static void on_volumes(braid_speakers_t *s, const braid_event_t *ev, int64_t now_ms,
                       spk_out_t *out) {
  spk_router_t *r = router_get(s, ev->router_id);
  if (r == NULL) return;
  r->at_ms = now_ms;
  r->n = 0;
  for (size_t i = 0; i < ev->nvolumes; i++)
    if (braid_str_copy(r->v[r->n].producer, sizeof r->v[r->n].producer,
                       ev->volumes[i].producer_id) == 0)
      r->v[r->n++].volume = ev->volumes[i].volume;
  /* Each report also names the router's dominant speaker: how a
   * controller that started to follow the room after it was named (or
   * missed the event) learns it. */
  router_names(s, r, ev->producer_id, now_ms);
  size_t unknown = combine(s, now_ms, out);
  if (out->n > 0) {
    out->volumes = true;
    s->speaking = true;
  } else if (unknown == 0 && s->speaking) {
    out->silence = true;
    s->speaking = false;
  }
  challenge(s, now_ms);
}

static void on_producer_closed(braid_speakers_t *s, const braid_event_t *ev) {
  char id[BRAID_ID_MAX + 1];
  if (braid_str_copy(id, sizeof id, ev->producer_id) != 0) return;
  owner_forget(s, id);
  for (size_t i = 0; i < s->nrouters; i++)
    if (strcmp(s->routers[i]->dominant, id) == 0) s->routers[i]->dominant[0] = '\0';
  /* The next dominant speaker any router names takes over at once; the
   * clients keep showing this one until then. */
  if (strcmp(s->dominant, id) == 0) s->dominant[0] = s->dominant_router[0] = '\0';
  if (strcmp(s->challenger, id) == 0) s->challenger[0] = '\0';
}

/* The core, without I/O: updates s with ev and says what to tell. */
static void handle(braid_speakers_t *s, const braid_event_t *ev, int64_t now_ms, spk_out_t *out) {
  char producer[BRAID_ID_MAX + 1], peer[BRAID_PEER_ID_MAX + 1];
  out->volumes = out->silence = false;
  out->announce = NULL;
  out->n = 0;
  switch (ev->type) {
  case BRAID_EV_ROUTER_VOLUMES: on_volumes(s, ev, now_ms, out); break;
  case BRAID_EV_ROUTER_DOMINANT_SPEAKER: on_dominant(s, ev, now_ms); break;
  case BRAID_EV_ROUTER_CLOSED: router_remove(s, ev->router_id); return;
  case BRAID_EV_PRODUCER_NEW:
    if (braid_str_copy(producer, sizeof producer, ev->producer_id) == 0 &&
        braid_str_copy(peer, sizeof peer, ev->peer_id) == 0)
      owner_set(s, producer, peer);
    return;
  case BRAID_EV_PRODUCER_CLOSED: on_producer_closed(s, ev); return;
  case BRAID_EV_PEER_JOINED:
    /* The newcomer does not know the dominant speaker: told (again, to
     * all: harmless) at the next report that names it. */
    s->announced[0] = '\0';
    return;
  default: return;
  }
  announce(s, ev->type == BRAID_EV_ROUTER_DOMINANT_SPEAKER, out);
}

/* ---- delivery ------------------------------------------------------------ */

static void deliver(braid_peer_t *p, void *ud) {
  const spk_out_t *out = ud;
  if (!p->joined) return;
  if (p->dialect == BRAID_DIALECT_LEGACY) {
    if (out->volumes)
      braid_peer_send(p, braid_protoo_notification("activeSpeaker",
                                                   json_pack("{sssi}", "peerId", out->v[0].peer,
                                                             "volume", out->v[0].volume)));
    else if (out->silence)
      braid_peer_send(p, braid_protoo_notification("activeSpeaker", json_pack("{sn}", "peerId")));
    return;
  }
  if (out->announce != NULL)
    braid_peer_send(
        p, braid_protoo_notification("activeSpeaker", json_pack("{ss}", "peerId", out->announce)));
  if (out->volumes) {
    json_t *list = json_array();
    for (size_t i = 0; i < out->n && i < BRAID_SPEAKERS_CURRENT_MAX; i++)
      json_array_append_new(
          list, json_pack("{sssi}", "peerId", out->v[i].peer, "volume", out->v[i].volume));
    braid_peer_send(
        p, braid_protoo_notification("speakingPeers", json_pack("{so}", "peerVolumes", list)));
  } else if (out->silence) {
    braid_peer_send(p,
                    braid_protoo_notification("speakingPeers", json_pack("{s[]}", "peerVolumes")));
    braid_peer_send(p, braid_protoo_notification("activeSpeaker", json_object()));
  }
}

void braid_speakers_on_event(braid_speakers_t *s, const braid_event_t *ev, int64_t now_ms) {
  spk_out_t out;
  if (s == NULL) return;
  handle(s, ev, now_ms, &out);
  if (s->ctl == NULL || (!out.volumes && !out.silence && out.announce == NULL)) return;
  if (out.announce != NULL)
    BRAID_LOGD("room", "room %s: dominant speaker %s", s->room_id, out.announce);
  braid_rooms_foreach_peer(s->ctl->rooms, s->room_id, deliver, &out);
}
