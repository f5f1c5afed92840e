#include "controller/room/scores.h"

#include "controller/signaling/protoo.h"

typedef struct score_ctx {
  const braid_event_t *ev;
  char producer_id[BRAID_ID_MAX + 1];
} score_ctx_t;

/* [{encodingIdx, ssrc, rid?, score}] as mediasoup's Producer.score. */
static json_t *producer_scores(const braid_event_t *ev) {
  json_t *a = json_array();
  for (size_t i = 0; i < ev->nscores; i++) {
    const braid_event_score_t *s = &ev->scores[i];
    json_t *o = json_pack("{sisIsi}", "encodingIdx", (int)s->encoding_idx, "ssrc",
                          (json_int_t)s->ssrc, "score", (int)s->score);
    if (s->rid.len > 0) json_object_set_new(o, "rid", json_stringn(s->rid.p, s->rid.len));
    json_array_append_new(a, o);
  }
  return a;
}

static void deliver(braid_peer_t *p, void *ud) {
  score_ctx_t *x = ud;
  const braid_event_t *ev = x->ev;
  if (braid_peer_media_producer(&p->media, x->producer_id) != NULL) {
    json_t *d = json_pack("{ssso}", "producerId", x->producer_id, "score", producer_scores(ev));
    braid_peer_send(p, braid_protoo_notification("producerScore", d));
  }
  braid_peer_consumer_t *c = braid_peer_media_consumer_of(&p->media, x->producer_id);
  if (c == NULL || !c->announced) return;
  /* producerScores by encoding index; producerScore: the best stream's
   * (the one a consumer is sent when the network allows it). */
  json_t *scores = json_array();
  int best = 0;
  for (size_t i = 0; i < ev->nscores; i++) {
    json_array_append_new(scores, json_integer(ev->scores[i].score));
    if (ev->scores[i].score > best) best = ev->scores[i].score;
  }
  json_t *d = json_pack("{sss{sisiso}}", "consumerId", c->id, "score", "score", 10, "producerScore",
                        best, "producerScores", scores);
  braid_peer_send(p, braid_protoo_notification("consumerScore", d));
}

void braid_scores_on_event(braid_ctl_t *ctl, const char *room_id, const braid_event_t *ev) {
  score_ctx_t x = {.ev = ev};
  if (braid_str_copy(x.producer_id, sizeof x.producer_id, ev->producer_id) != 0) return;
  braid_rooms_foreach_peer(ctl->rooms, room_id, deliver, &x);
}
