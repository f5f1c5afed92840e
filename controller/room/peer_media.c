#include "controller/room/peer_media.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/mem.h"

static braid_map_t *new_map(void) {
  braid_map_t *m = braid_map_new();
  BRAID_ASSERT(m != NULL);
  return m;
}

void braid_peer_media_init(braid_peer_media_t *m, uv_loop_t *loop) {
  memset(m, 0, sizeof *m);
  m->transports = new_map();
  m->producers = new_map();
  m->consumers = new_map();
  m->consumed = new_map();
  m->data_producers = new_map();
  m->data_consumers = new_map();
  m->data_consumed = new_map();
  m->pending = braid_protoo_pending_new(loop, BRAID_PROTOO_REQUEST_TIMEOUT_MS);
}

void braid_peer_media_cleanup(braid_peer_media_t *m) {
  braid_map_iter_t it;
  void *v;
  /* First the requests: their callbacks may still look things up. */
  braid_protoo_pending_free(m->pending);
  m->pending = NULL;
  braid_map_iter_init(&it, m->transports);
  while (braid_map_iter_next(&it, NULL, NULL, &v)) {
    braid_peer_transport_t *t = v;
    braid_ortc_transport_cleanup(&t->ortc);
    braid_free(t);
  }
  braid_map_iter_init(&it, m->producers);
  while (braid_map_iter_next(&it, NULL, NULL, &v))
    braid_free(v);
  braid_map_t *owning[] = {m->consumers, m->data_producers, m->data_consumers};
  for (size_t i = 0; i < sizeof owning / sizeof owning[0]; i++) {
    braid_map_iter_init(&it, owning[i]);
    while (braid_map_iter_next(&it, NULL, NULL, &v))
      braid_free(v);
  }
  braid_map_free(m->transports);
  braid_map_free(m->producers);
  braid_map_free(m->consumers);
  braid_map_free(m->consumed);
  braid_map_free(m->data_producers);
  braid_map_free(m->data_consumers);
  braid_map_free(m->data_consumed);
  json_decref(m->rtp_caps);
  memset(m, 0, sizeof *m);
}

braid_peer_transport_t *braid_peer_media_add_transport(braid_peer_media_t *m, const char *id,
                                                       const char *node_id, const char *router_id,
                                                       bool consuming) {
  if (braid_map_size(m->transports) >= BRAID_PEER_MAX_TRANSPORTS ||
      braid_peer_media_transport(m, id) != NULL)
    return NULL;
  braid_peer_transport_t *t = braid_xcalloc(1, sizeof *t);
  snprintf(t->id, sizeof t->id, "%s", id);
  snprintf(t->node_id, sizeof t->node_id, "%s", node_id);
  snprintf(t->router_id, sizeof t->router_id, "%s", router_id);
  t->consuming = consuming;
  braid_ortc_transport_init(&t->ortc, false);
  BRAID_ASSERT(braid_map_put(m->transports, t->id, strlen(t->id), t) == 0);
  if (consuming && m->consuming_id[0] == '\0')
    snprintf(m->consuming_id, sizeof m->consuming_id, "%s", t->id);
  return t;
}

void braid_peer_media_remove_transport(braid_peer_media_t *m, const char *id) {
  braid_peer_transport_t *t = braid_map_del(m->transports, id, strlen(id));
  if (t == NULL) return;
  if (strcmp(m->consuming_id, id) == 0) m->consuming_id[0] = '\0';
  braid_ortc_transport_cleanup(&t->ortc);
  braid_free(t);
}

braid_peer_transport_t *braid_peer_media_transport(const braid_peer_media_t *m, const char *id) {
  return braid_map_get(m->transports, id, strlen(id));
}

braid_peer_transport_t *braid_peer_media_consuming_transport(const braid_peer_media_t *m) {
  return m->consuming_id[0] ? braid_peer_media_transport(m, m->consuming_id) : NULL;
}

braid_peer_producer_t *braid_peer_media_add_producer(braid_peer_media_t *m, const char *id,
                                                     const char *node_id) {
  if (braid_peer_media_producer(m, id) != NULL) return NULL;
  braid_peer_producer_t *p = braid_xcalloc(1, sizeof *p);
  snprintf(p->id, sizeof p->id, "%s", id);
  snprintf(p->node_id, sizeof p->node_id, "%s", node_id);
  BRAID_ASSERT(braid_map_put(m->producers, p->id, strlen(p->id), p) == 0);
  return p;
}

braid_peer_producer_t *braid_peer_media_producer(const braid_peer_media_t *m, const char *id) {
  return braid_map_get(m->producers, id, strlen(id));
}

void braid_peer_media_remove_producer(braid_peer_media_t *m, const char *id) {
  braid_free(braid_map_del(m->producers, id, strlen(id)));
}

braid_peer_consumer_t *braid_peer_media_add_consumer(braid_peer_media_t *m, const char *id,
                                                     const char *producer_id,
                                                     const char *transport_id,
                                                     const char *node_id) {
  if (braid_map_size(m->consumers) >= BRAID_PEER_MAX_CONSUMERS ||
      braid_peer_media_consumer_of(m, producer_id) != NULL ||
      braid_peer_media_consumer(m, id) != NULL)
    return NULL;
  braid_peer_consumer_t *c = braid_xcalloc(1, sizeof *c);
  snprintf(c->id, sizeof c->id, "%s", id);
  snprintf(c->producer_id, sizeof c->producer_id, "%s", producer_id);
  snprintf(c->transport_id, sizeof c->transport_id, "%s", transport_id);
  snprintf(c->node_id, sizeof c->node_id, "%s", node_id);
  c->paused = true;
  BRAID_ASSERT(braid_map_put(m->consumers, c->id, strlen(c->id), c) == 0);
  BRAID_ASSERT(braid_map_put(m->consumed, c->producer_id, strlen(c->producer_id), c) == 0);
  return c;
}

braid_peer_consumer_t *braid_peer_media_consumer(const braid_peer_media_t *m, const char *id) {
  return braid_map_get(m->consumers, id, strlen(id));
}

braid_peer_consumer_t *braid_peer_media_consumer_of(const braid_peer_media_t *m,
                                                    const char *producer_id) {
  return braid_map_get(m->consumed, producer_id, strlen(producer_id));
}

void braid_peer_media_remove_consumer(braid_peer_media_t *m, braid_peer_consumer_t *c) {
  if (braid_map_get(m->consumed, c->producer_id, strlen(c->producer_id)) == c)
    braid_map_del(m->consumed, c->producer_id, strlen(c->producer_id));
  braid_map_del(m->consumers, c->id, strlen(c->id));
  braid_free(c);
}

braid_peer_data_producer_t *braid_peer_media_add_data_producer(braid_peer_media_t *m,
                                                               const char *id,
                                                               const char *node_id) {
  if (braid_peer_media_data_producer(m, id) != NULL) return NULL;
  braid_peer_data_producer_t *d = braid_xcalloc(1, sizeof *d);
  snprintf(d->id, sizeof d->id, "%s", id);
  snprintf(d->node_id, sizeof d->node_id, "%s", node_id);
  BRAID_ASSERT(braid_map_put(m->data_producers, d->id, strlen(d->id), d) == 0);
  return d;
}

braid_peer_data_producer_t *braid_peer_media_data_producer(const braid_peer_media_t *m,
                                                           const char *id) {
  return braid_map_get(m->data_producers, id, strlen(id));
}

void braid_peer_media_remove_data_producer(braid_peer_media_t *m, const char *id) {
  braid_free(braid_map_del(m->data_producers, id, strlen(id)));
}

braid_peer_data_consumer_t *braid_peer_media_add_data_consumer(braid_peer_media_t *m,
                                                               const char *id,
                                                               const char *data_producer_id,
                                                               const char *transport_id,
                                                               const char *node_id) {
  if (braid_map_size(m->data_consumers) >= BRAID_PEER_MAX_DATA_CONSUMERS ||
      braid_peer_media_data_consumer_of(m, data_producer_id) != NULL ||
      braid_peer_media_data_consumer(m, id) != NULL)
    return NULL;
  braid_peer_data_consumer_t *c = braid_xcalloc(1, sizeof *c);
  snprintf(c->id, sizeof c->id, "%s", id);
  snprintf(c->data_producer_id, sizeof c->data_producer_id, "%s", data_producer_id);
  snprintf(c->transport_id, sizeof c->transport_id, "%s", transport_id);
  snprintf(c->node_id, sizeof c->node_id, "%s", node_id);
  BRAID_ASSERT(braid_map_put(m->data_consumers, c->id, strlen(c->id), c) == 0);
  BRAID_ASSERT(braid_map_put(m->data_consumed, c->data_producer_id, strlen(c->data_producer_id),
                             c) == 0);
  return c;
}

braid_peer_data_consumer_t *braid_peer_media_data_consumer(const braid_peer_media_t *m,
                                                           const char *id) {
  return braid_map_get(m->data_consumers, id, strlen(id));
}

braid_peer_data_consumer_t *braid_peer_media_data_consumer_of(const braid_peer_media_t *m,
                                                              const char *data_producer_id) {
  return braid_map_get(m->data_consumed, data_producer_id, strlen(data_producer_id));
}

void braid_peer_media_remove_data_consumer(braid_peer_media_t *m, braid_peer_data_consumer_t *c) {
  size_t n = strlen(c->data_producer_id);
  if (braid_map_get(m->data_consumed, c->data_producer_id, n) == c)
    braid_map_del(m->data_consumed, c->data_producer_id, n);
  braid_map_del(m->data_consumers, c->id, strlen(c->id));
  braid_free(c);
}
