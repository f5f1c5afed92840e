/* producerScore and consumerScore from the nodes' score events (see
 * scores.h). */
#include "controller/room/scores.h"

#include "controller/signaling/protoo.h"

typedef struct score_ctx {
  const braid_event_t *ev;
  char id[BRAID_ID_MAX + 1]; /* the producer's, or the consumer's */
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

/* mediasoup's Consumer.score: {score, producerScore, producerScores}, the
 * last by encoding index. */
static json_t *consumer_score(const braid_event_t *ev) {
  json_t *scores = json_array();
  for (size_t i = 0; i < ev->nscores; i++)
    json_array_append_new(scores, json_integer(ev->scores[i].score));
  return json_pack("{sisiso}", "score", (int)ev->score, "producerScore", (int)ev->producer_score,
                   "producerScores", scores);
}

static void deliver(braid_peer_t *p, void *ud) {
  score_ctx_t *x = ud;
  const braid_event_t *ev = x->ev;
  if (ev->type == BRAID_EV_PRODUCER_SCORE) {
    if (braid_peer_media_producer(&p->media, x->id) == NULL) return;
    json_t *d = json_pack("{ssso}", "producerId", x->id, "score", producer_scores(ev));
    braid_peer_send(p, braid_protoo_notification("producerScore", d));
    return;
  }
  braid_peer_consumer_t *c = braid_peer_media_consumer(&p->media, x->id);
  if (c == NULL || !c->announced) return;
  json_t *d = json_pack("{ssso}", "consumerId", c->id, "score", consumer_score(ev));
  braid_peer_send(p, braid_protoo_notification("consumerScore", d));
}

void braid_scores_on_event(braid_ctl_t *ctl, const char *room_id, const braid_event_t *ev) {
  score_ctx_t x = {.ev = ev};
  braid_str_t id = ev->type == BRAID_EV_PRODUCER_SCORE ? ev->producer_id : ev->consumer_id;
  if (braid_str_copy(x.id, sizeof x.id, id) != 0) return;
  braid_rooms_foreach_peer(ctl->rooms, room_id, deliver, &x);
}
