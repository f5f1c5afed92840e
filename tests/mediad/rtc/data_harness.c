/*
 * The data test harness (data_harness.h): the fake clock, the fake
 * transport kind with its SCTP queue, the endpoints, and the commands.
 */
#include "tests/mediad/rtc/data_harness.h"

#include <stdlib.h>
#include <time.h>

#include "common/buf.h"
#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/map.h"
#include "mediad/channel/data_handlers.h"
#include "mediad/sctp/dcep.h"
#include "mediad/sctp/sctp_packet.h"
#include "tests/test.h"

/* ---- the clock ----------------------------------------------------------- */

#define WALL_AT_ZERO_MS 1700000000000LL

int64_t dh_now_ms = 7000000;

/* The only definitions of the clock in a test binary (see the header). */
int64_t braid_clock_mono_ms(void) { return dh_now_ms; }
int64_t braid_clock_wall_ms(void) { return WALL_AT_ZERO_MS + dh_now_ms; }

/* ---- the queue ------------------------------------------------------------- */

static void enqueue(dh_world_t *w, int idx, bool to_ep, const uint8_t *pkt, size_t len) {
  ASSERT(w->count < DH_QMAX);
  dh_pkt_t *q = &w->q[(w->head + w->count++) % DH_QMAX];
  q->data = malloc(len);
  ASSERT(q->data != NULL);
  memcpy(q->data, pkt, len);
  q->len = len;
  q->idx = idx;
  q->to_ep = to_ep;
}

/* Whether a packet carries a DATA chunk; counts them on ep by U bit. */
static bool has_data(const uint8_t *pkt, size_t len, dh_endpoint_t *ep) {
  braid_sctp_packet_t p;
  braid_sctp_chunk_t ch;
  size_t pos = 0;
  bool data = false;
  ASSERT_EQ(braid_sctp_packet_parse(&p, pkt, len, NULL), 0);
  while (braid_sctp_packet_chunk_next(&p, &pos, &ch)) {
    if (ch.type != BRAID_SCTP_CHUNK_DATA) continue;
    data = true;
    if (ep == NULL) continue;
    if (ch.flags & 0x04)
      ep->data_chunks_unordered++;
    else
      ep->data_chunks_ordered++;
  }
  return data;
}

void dh_pump(dh_world_t *w) {
  while (w->count > 0) {
    dh_pkt_t q = w->q[w->head];
    w->head = (w->head + 1) % DH_QMAX;
    w->count--;
    if (q.to_ep) {
      dh_endpoint_t *ep = &w->ep[q.idx];
      if (ep->a != NULL) {
        (void)has_data(q.data, q.len, ep);
        (void)braid_sctp_assoc_receive(ep->a, q.data, q.len);
      }
    } else if (w->t[q.idx] != NULL && w->t[q.idx]->media.data != NULL) {
      braid_data_transport_receive(w->t[q.idx]->media.data, q.data, q.len);
    }
    free(q.data);
  }
}

void dh_advance(dh_world_t *w, int64_t ms) {
  dh_pump(w);
  for (int64_t t = 0; t < ms; t += BRAID_SCTP_TICK_MS) {
    dh_now_ms += BRAID_SCTP_TICK_MS;
    braid_sctp_global_tick(dh_now_ms);
    dh_pump(w);
  }
}

static void real_sleep_ms(int ms) {
  struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)ms * 1000 * 1000};
  nanosleep(&ts, NULL);
}

void dh_wait_step(dh_world_t *w) {
  real_sleep_ms(5);
  dh_advance(w, 1000);
}

void dh_wait_msgs(dh_world_t *w, int idx, size_t n) {
  for (int i = 0; i < 60 && w->ep[idx].nmsgs < n; i++)
    dh_wait_step(w);
  dh_advance(w, 500);
}

/* ---- the fake transport kind --------------------------------------------- */

static uint8_t *fake_tx_buf(braid_transport_t *m, size_t *cap) {
  dh_transport_t *f = (dh_transport_t *)m;
  *cap = sizeof f->tx;
  return f->tx;
}

static int fake_tx_media(braid_transport_t *m, size_t len) {
  (void)m;
  (void)len;
  BRAID_TEST_FAIL("the data tests send no media");
}

/* Runs on usrsctp's stack: queue only. */
static void fake_tx_sctp(braid_transport_t *m, const uint8_t *pkt, size_t len) {
  dh_transport_t *f = (dh_transport_t *)m;
  f->sctp_tx++;
  if (f->drop_data_next > 0 && has_data(pkt, len, NULL)) {
    f->drop_data_next--;
    f->dropped++;
    return;
  }
  enqueue(f->w, f->idx, true, pkt, len);
}

static const braid_transport_ops_t fake_ops = {.kind = "fake-data",
                                               .tx_buf = fake_tx_buf,
                                               .tx_rtp = fake_tx_media,
                                               .tx_rtcp = fake_tx_media,
                                               .tx_sctp = fake_tx_sctp};

/* ---- the endpoints -------------------------------------------------------- */

static void ep_send_packet(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len, void *ud) {
  dh_endpoint_t *ep = ud;
  ASSERT(a == ep->a);
  enqueue(ep->w, ep->idx, false, pkt, len);
}

static void ep_on_message(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid,
                          const uint8_t *data, size_t len, void *ud) {
  dh_endpoint_t *ep = ud;
  ASSERT(a == ep->a);
  ASSERT(ep->nmsgs < DH_MAX_MSGS);
  dh_msg_t *m = &ep->msgs[ep->nmsgs++];
  m->stream = stream;
  m->ppid = ppid;
  m->len = len;
  m->data = malloc(len > 0 ? len : 1);
  ASSERT(m->data != NULL);
  if (len > 0) memcpy(m->data, data, len);
}

static void ep_on_stream_reset(braid_sctp_assoc_t *a, uint16_t stream, void *ud) {
  dh_endpoint_t *ep = ud;
  ASSERT(a == ep->a);
  ASSERT(ep->nresets < DH_MAX_RESETS);
  ep->resets[ep->nresets++] = stream;
}

static const braid_sctp_callbacks_t ep_cbs = {
    .send_packet = ep_send_packet,
    .on_message = ep_on_message,
    .on_stream_reset = ep_on_stream_reset,
};

void dh_ep_send(dh_world_t *w, int idx, uint16_t stream, uint32_t ppid, const void *data,
                size_t len, const braid_sctp_send_opts_t *o) {
  ASSERT(w->ep[idx].a != NULL);
  ASSERT_EQ(braid_sctp_assoc_send(w->ep[idx].a, stream, ppid, data, len, o), 0);
  dh_pump(w);
}

void dh_ep_send_dcep_open(dh_world_t *w, int idx, uint16_t stream, const char *label) {
  uint8_t buf[256];
  braid_dcep_msg_t m = {.channel_type = BRAID_DCEP_CHANNEL_RELIABLE,
                        .priority = BRAID_DCEP_PRIORITY_NORMAL,
                        .label = (const uint8_t *)label,
                        .label_len = (uint16_t)strlen(label)};
  ssize_t n = braid_dcep_write_open(buf, sizeof buf, &m);
  ASSERT(n > 0);
  dh_ep_send(w, idx, stream, BRAID_DCEP_PPID, buf, (size_t)n, NULL);
}

void dh_ep_clear(dh_world_t *w, int idx) {
  dh_endpoint_t *ep = &w->ep[idx];
  for (size_t i = 0; i < ep->nmsgs; i++)
    free(ep->msgs[i].data);
  ep->nmsgs = 0;
}

/* ---- the world ------------------------------------------------------------ */

void dh_world_init(dh_world_t *w) {
  memset(w, 0, sizeof *w);
  ASSERT_EQ(uv_loop_init(&w->loop), 0);
  w->md.loop = &w->loop;
  w->md.transports = braid_map_new();
  w->md.producers = braid_map_new();
  w->md.consumers = braid_map_new();
  w->md.data_producers = braid_map_new();
  w->md.data_consumers = braid_map_new();
  ASSERT(w->md.transports && w->md.producers && w->md.consumers && w->md.data_producers &&
         w->md.data_consumers);
  for (int i = 0; i < DH_MAX; i++) {
    w->ep[i].w = w;
    w->ep[i].idx = i;
  }
}

static dh_transport_t *transport_new(dh_world_t *w, int idx, const char *id, const char *router) {
  ASSERT(idx >= 0 && idx < DH_MAX && w->t[idx] == NULL);
  dh_transport_t *f = calloc(1, sizeof *f);
  ASSERT(f != NULL);
  f->w = w;
  f->idx = idx;
  ASSERT_EQ(braid_transport_init(&f->media, &w->md, &fake_ops, braid_str_c(id), braid_str_c(router),
                                 BRAID_STR_LIT("room")),
            0);
  ASSERT_EQ(braid_map_put(w->md.transports, f->media.id, strlen(f->media.id), &f->media), 0);
  w->t[idx] = f;
  return f;
}

dh_transport_t *dh_transport_add(dh_world_t *w, int idx, const char *id, const char *router,
                                 const dh_sctp_opts_t *opts) {
  dh_transport_t *f = transport_new(w, idx, id, router);
  dh_sctp_opts_t o = opts ? *opts : (dh_sctp_opts_t){0};
  ASSERT_EQ(braid_transport_enable_sctp(&f->media, o.os, o.mis, o.max_message, true), 0);
  ASSERT(f->media.data != NULL);
  ASSERT_EQ(braid_data_transport_state(f->media.data), BRAID_SCTP_STATE_NEW);
  braid_sctp_opts_t eo = {.mis = o.ep_mis, .is_data_channel = true};
  ASSERT(w->ep[idx].a == NULL);
  ASSERT_EQ(braid_sctp_assoc_new(&w->ep[idx].a, &eo, &ep_cbs, &w->ep[idx]), 0);
  return f;
}

dh_transport_t *dh_transport_add_plain(dh_world_t *w, int idx, const char *id, const char *router) {
  return transport_new(w, idx, id, router);
}

void dh_transport_close(dh_world_t *w, int idx) {
  dh_transport_t *f = w->t[idx];
  ASSERT(f != NULL);
  braid_transport_cleanup(&f->media);
  ASSERT(f->media.data == NULL);
  ASSERT(braid_map_del(w->md.transports, f->media.id, strlen(f->media.id)) == &f->media);
  free(f);
  w->t[idx] = NULL;
}

static bool both_connected(dh_world_t *w, int idx) {
  return braid_data_transport_state(w->t[idx]->media.data) == BRAID_SCTP_STATE_CONNECTED &&
         braid_sctp_assoc_state(w->ep[idx].a) == BRAID_SCTP_STATE_CONNECTED;
}

void dh_connect(dh_world_t *w, int idx) {
  ASSERT(w->t[idx] != NULL && w->t[idx]->media.data != NULL && w->ep[idx].a != NULL);
  braid_data_transport_connect(w->t[idx]->media.data);
  ASSERT_EQ(braid_data_transport_state(w->t[idx]->media.data), BRAID_SCTP_STATE_CONNECTING);
  ASSERT_EQ(braid_sctp_assoc_connect(w->ep[idx].a), 0);
  for (int i = 0; i < 1000 && !both_connected(w, idx); i++)
    dh_advance(w, BRAID_SCTP_TICK_MS);
  ASSERT(both_connected(w, idx));
}

void dh_world_cleanup(dh_world_t *w) {
  dh_pump(w);
  for (int i = 0; i < DH_MAX; i++)
    if (w->t[i] != NULL) dh_transport_close(w, i);
  ASSERT_EQ(braid_map_size(w->md.transports), 0);
  ASSERT_EQ(braid_map_size(w->md.data_producers), 0);
  ASSERT_EQ(braid_map_size(w->md.data_consumers), 0);
  for (int i = 0; i < DH_MAX; i++) {
    braid_sctp_assoc_free(w->ep[i].a);
    w->ep[i].a = NULL;
    dh_ep_clear(w, i);
  }
  while (w->count > 0) {
    free(w->q[w->head].data);
    w->head = (w->head + 1) % DH_QMAX;
    w->count--;
  }
  dh_advance(w, 1000); /* usrsctp reclaims closed associations on its timers */
  ASSERT_EQ(braid_sctp_global_assoc_count(), 0);
  braid_data_transport_shutdown(&w->md);
  ASSERT(!w->md.sctp_timer_ready);
  braid_data_transport_shutdown(&w->md); /* a second call does nothing */
  ASSERT_EQ(uv_run(&w->loop, UV_RUN_DEFAULT), 0);
  ASSERT_EQ(uv_loop_close(&w->loop), 0);
  braid_map_free(w->md.transports);
  braid_map_free(w->md.producers);
  braid_map_free(w->md.consumers);
  braid_map_free(w->md.data_producers);
  braid_map_free(w->md.data_consumers);
}

/* ---- commands -------------------------------------------------------------- */

braid_cmd_data_producer_create_t dh_producer_cmd(const char *transport, const char *id,
                                                 uint16_t stream) {
  braid_cmd_data_producer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(transport);
  c.data_producer_id = braid_str_c(id);
  c.stream = stream;
  c.ordered = true;
  c.label = BRAID_STR_LIT("chat");
  c.protocol = BRAID_STR_LIT("");
  return c;
}

braid_cmd_data_consumer_create_t dh_consumer_cmd(const char *transport, const char *id,
                                                 const char *data_producer) {
  braid_cmd_data_consumer_create_t c;
  memset(&c, 0, sizeof c);
  c.transport_id = braid_str_c(transport);
  c.data_consumer_id = braid_str_c(id);
  c.data_producer_id = braid_str_c(data_producer);
  c.ordered = true;
  return c;
}

typedef int (*handler_fn)(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);

static void run(dh_world_t *w, handler_fn fn, const braid_cmd_t *cmd, dh_reply_t *r) {
  braid_buf_t out;
  braid_reply_t reply;
  const char *why = NULL;
  memset(r, 0, sizeof *r);
  braid_buf_init(&out, BRAID_PROTO_MAX_MSG);
  ASSERT_EQ(fn(&w->md, cmd, &out), 0);
  if (braid_reply_decode(&reply, out.data, out.len, &why) != 0)
    BRAID_TEST_FAIL("reply does not decode: %s", why ? why : "?");
  ASSERT_EQ(reply.id, cmd->id);
  r->ok = reply.ok;
  r->code = reply.error_code;
  ASSERT(reply.reason.len <= BRAID_REASON_MAX);
  if (reply.reason.len > 0) memcpy(r->reason, reply.reason.p, reply.reason.len);
  r->reason[reply.reason.len] = '\0';
  uint16_t stream;
  if (reply.ok && reply.result != NULL &&
      braid_reply_result_data_consumer(&reply, &stream, NULL) == 0) {
    r->has_stream = true;
    r->stream = stream;
  }
  braid_str_t json;
  if (reply.ok && reply.result != NULL && braid_reply_result_stats(&reply, &json, NULL) == 0) {
    ASSERT(json.len <= BRAID_STATS_JSON_MAX);
    r->has_stats = true;
    memcpy(r->stats, json.p, json.len);
    r->stats[json.len] = '\0';
  }
  braid_buf_cleanup(&out);
}

void dh_producer_create(dh_world_t *w, const braid_cmd_data_producer_create_t *c, dh_reply_t *r) {
  braid_cmd_t cmd;
  memset(&cmd, 0, sizeof cmd);
  cmd.type = BRAID_CMD_DATA_PRODUCER_CREATE;
  cmd.id = 11;
  cmd.u.data_producer_create = *c;
  run(w, braid_data_handlers_producer_create, &cmd, r);
}

void dh_consumer_create(dh_world_t *w, const braid_cmd_data_consumer_create_t *c, dh_reply_t *r) {
  braid_cmd_t cmd;
  memset(&cmd, 0, sizeof cmd);
  cmd.type = BRAID_CMD_DATA_CONSUMER_CREATE;
  cmd.id = 12;
  cmd.u.data_consumer_create = *c;
  run(w, braid_data_handlers_consumer_create, &cmd, r);
}

void dh_ref(dh_world_t *w, braid_cmd_type_t type, const char *id, dh_reply_t *r) {
  braid_cmd_t cmd;
  memset(&cmd, 0, sizeof cmd);
  cmd.type = type;
  cmd.id = 13;
  bool producer = type == BRAID_CMD_DATA_PRODUCER_CLOSE || type == BRAID_CMD_DATA_PRODUCER_PAUSE ||
                  type == BRAID_CMD_DATA_PRODUCER_RESUME || type == BRAID_CMD_DATA_PRODUCER_STATS;
  if (producer) {
    cmd.u.data_producer_ref.data_producer_id = braid_str_c(id);
    run(w, braid_data_handlers_producer_ref, &cmd, r);
  } else {
    cmd.u.data_consumer_ref.data_consumer_id = braid_str_c(id);
    run(w, braid_data_handlers_consumer_ref, &cmd, r);
  }
}

braid_data_producer_t *dh_data_producer(dh_world_t *w, const char *id) {
  return braid_map_get(w->md.data_producers, id, strlen(id));
}

braid_data_consumer_t *dh_data_consumer(dh_world_t *w, const char *id) {
  return braid_map_get(w->md.data_consumers, id, strlen(id));
}

braid_data_producer_t *dh_add_producer_cmd(dh_world_t *w,
                                           const braid_cmd_data_producer_create_t *c) {
  dh_reply_t r;
  dh_producer_create(w, c, &r);
  if (!r.ok)
    BRAID_TEST_FAIL("data producer %.*s: %d %s", (int)c->data_producer_id.len,
                    c->data_producer_id.p, r.code, r.reason);
  ASSERT(!r.has_stream);
  braid_data_producer_t *p =
      braid_map_get(w->md.data_producers, c->data_producer_id.p, c->data_producer_id.len);
  ASSERT(p != NULL);
  ASSERT_EQ(p->stream, c->stream);
  return p;
}

braid_data_producer_t *dh_add_producer(dh_world_t *w, const char *transport, const char *id,
                                       uint16_t stream) {
  braid_cmd_data_producer_create_t c = dh_producer_cmd(transport, id, stream);
  return dh_add_producer_cmd(w, &c);
}

braid_data_consumer_t *dh_add_consumer_cmd(dh_world_t *w,
                                           const braid_cmd_data_consumer_create_t *c) {
  dh_reply_t r;
  dh_consumer_create(w, c, &r);
  if (!r.ok)
    BRAID_TEST_FAIL("data consumer %.*s: %d %s", (int)c->data_consumer_id.len,
                    c->data_consumer_id.p, r.code, r.reason);
  ASSERT(r.has_stream);
  braid_data_consumer_t *k =
      braid_map_get(w->md.data_consumers, c->data_consumer_id.p, c->data_consumer_id.len);
  ASSERT(k != NULL);
  ASSERT_EQ(k->stream, r.stream);
  return k;
}

braid_data_consumer_t *dh_add_consumer(dh_world_t *w, const char *transport, const char *id,
                                       const char *data_producer) {
  braid_cmd_data_consumer_create_t c = dh_consumer_cmd(transport, id, data_producer);
  return dh_add_consumer_cmd(w, &c);
}

void dh_ref_ok(dh_world_t *w, braid_cmd_type_t type, const char *id) {
  dh_reply_t r;
  dh_ref(w, type, id, &r);
  if (!r.ok) BRAID_TEST_FAIL("%s %s: %d %s", braid_cmd_type_name(type), id, r.code, r.reason);
}

const braid_data_transport_stats_t *dh_dstats(dh_world_t *w, int idx) {
  ASSERT(w->t[idx] != NULL && w->t[idx]->media.data != NULL);
  return braid_data_transport_stats(w->t[idx]->media.data);
}

const braid_sctp_assoc_stats_t *dh_astats(dh_world_t *w, int idx) {
  ASSERT(w->t[idx] != NULL && w->t[idx]->media.data != NULL);
  return braid_sctp_assoc_stats(braid_data_transport_assoc(w->t[idx]->media.data));
}

void dh_fill(uint8_t *buf, size_t len, uint32_t seed) {
  for (size_t i = 0; i < len; i++) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = (uint8_t)(seed >> 16);
  }
}
