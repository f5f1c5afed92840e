#include "mediad/rtc/data_transport.h"

#include <string.h>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/rtc/data_consumer.h"
#include "mediad/rtc/data_producer.h"
#include "mediad/rtc/transport.h"
#include "mediad/sctp/dcep.h"

/* Stream ids 0..65534 (65535 is reserved): one bit each. */
#define STREAM_BITS 65536

struct braid_data_transport {
  braid_transport_t *t;              /* borrowed: the owner */
  braid_sctp_assoc_t *assoc;         /* owned */
  braid_map_t *by_stream;            /* 2-byte stream -> data producer (borrowed) */
  uint8_t consumer_streams[STREAM_BITS / 8]; /* streams our data consumers send on */
  uint16_t os;                       /* outgoing streams we asked for */
  uint16_t next_stream;              /* where _add_consumer starts looking */
  bool connect_called;
  braid_data_producer_t *producers;  /* owned list (producer->next) */
  braid_data_consumer_t *consumers;  /* owned list (consumer->next) */
  braid_data_transport_stats_t stats;
};

/* ---- the daemon's SCTP clock ------------------------------------------- */

/* How long the clock keeps running once the last association is freed:
 * usrsctp reclaims closed associations on its own timers. */
#define SCTP_CLOCK_LINGER_MS 10000

static void on_sctp_tick(uv_timer_t *h) {
  braid_mediad_t *md = h->data;
  int64_t now = braid_clock_mono_ms();
  braid_sctp_global_tick(now);
  if (braid_sctp_global_assoc_count() > 0) {
    md->sctp_idle_since_ms = 0;
  } else if (md->sctp_idle_since_ms == 0) {
    md->sctp_idle_since_ms = now;
  } else if (now - md->sctp_idle_since_ms >= SCTP_CLOCK_LINGER_MS) {
    uv_timer_stop(h);
  }
}

/* Runs usrsctp's timers while associations exist (sctp_global.h). */
static void clock_start(braid_mediad_t *md) {
  if (!md->sctp_timer_ready) {
    uv_timer_init(md->loop, &md->sctp_timer);
    md->sctp_timer.data = md;
    md->sctp_timer_ready = true;
  }
  md->sctp_idle_since_ms = 0;
  if (!uv_is_active((uv_handle_t *)&md->sctp_timer)) {
    braid_sctp_global_tick(braid_clock_mono_ms()); /* the first call only records the time */
    uv_timer_start(&md->sctp_timer, on_sctp_tick, BRAID_SCTP_TICK_MS, BRAID_SCTP_TICK_MS);
  }
}

void braid_data_transport_shutdown(braid_mediad_t *md) {
  if (!md->sctp_timer_ready) return;
  md->sctp_timer_ready = false;
  uv_timer_stop(&md->sctp_timer);
  uv_close((uv_handle_t *)&md->sctp_timer, NULL);
}

/* ---- association callbacks -------------------------------------------- */

static void send_packet(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len, void *ud) {
  braid_data_transport_t *d = ud;
  (void)a;
  d->t->ops->tx_sctp(d->t, pkt, len);
}

/* DCEP (RFC 8832 §5): an OPEN is answered with an ACK on its stream. */
static void on_dcep(braid_data_transport_t *d, uint16_t stream, const uint8_t *data, size_t len) {
  braid_dcep_msg_t msg;
  uint8_t ack[BRAID_DCEP_ACK_LEN];
  if (braid_dcep_parse(&msg, data, len, NULL) != 0) {
    d->stats.rx_dcep_bad++;
    return;
  }
  if (msg.type != BRAID_DCEP_MSG_OPEN) return; /* an ACK: we open nothing in-band */
  ssize_t n = braid_dcep_write_ack(ack, sizeof ack);
  if (n > 0 && braid_sctp_assoc_send(d->assoc, stream, BRAID_DCEP_PPID, ack, (size_t)n, NULL) == 0)
    d->stats.rx_dcep_open++;
}

static void on_message(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid, const uint8_t *data,
                       size_t len, void *ud) {
  braid_data_transport_t *d = ud;
  (void)a;
  if (ppid == BRAID_DCEP_PPID) {
    on_dcep(d, stream, data, len);
    return;
  }
  uint8_t key[2];
  braid_put16(key, stream);
  braid_data_producer_t *p = braid_map_get(d->by_stream, (const char *)key, 2);
  if (p == NULL) {
    d->stats.rx_no_producer++;
    return;
  }
  braid_data_producer_receive(p, ppid, data, len);
}

static void on_state(braid_sctp_assoc_t *a, braid_sctp_state_t state, void *ud) {
  braid_data_transport_t *d = ud;
  const char *reason = braid_sctp_assoc_reason(a);
  if (state == BRAID_SCTP_STATE_CONNECTED)
    BRAID_LOGI("sctp", "transport %s: SCTP connected (%u out, %u in streams)", d->t->id,
               braid_sctp_assoc_out_streams(a), braid_sctp_assoc_in_streams(a));
  else
    BRAID_LOGI("sctp", "transport %s: SCTP %s%s%s", d->t->id, braid_sctp_assoc_state_name(state),
               reason ? ": " : "", reason ? reason : "");
}

static const braid_sctp_callbacks_t assoc_cbs = {
    .send_packet = send_packet,
    .on_message = on_message,
    .on_state = on_state,
};

/* ---- life ----------------------------------------------------------------- */

int braid_data_transport_new(braid_data_transport_t **out, braid_transport_t *t,
                             const braid_data_transport_opts_t *o) {
  braid_sctp_opts_t so = {
      .os = o->os,
      .mis = o->mis,
      .max_message_size = o->max_message_size,
      .is_data_channel = o->is_data_channel,
  };
  braid_data_transport_t *d = braid_xcalloc(1, sizeof *d);
  d->t = t;
  int rc = braid_sctp_assoc_new(&d->assoc, &so, &assoc_cbs, d);
  if (rc != 0) {
    braid_free(d);
    return rc;
  }
  d->by_stream = braid_map_new();
  BRAID_ASSERT(d->by_stream != NULL);
  d->os = braid_sctp_assoc_opts(d->assoc)->os;
  clock_start(t->md);
  *out = d;
  return 0;
}

void braid_data_transport_free(braid_data_transport_t *d) {
  if (d == NULL) return;
  while (d->consumers != NULL)
    braid_data_consumer_close(d->consumers, BRAID_DATA_CONSUMER_CLOSE_TRANSPORT);
  while (d->producers != NULL) braid_data_producer_close(d->producers, true);
  braid_sctp_assoc_free(d->assoc);
  braid_map_free(d->by_stream);
  braid_free(d);
}

void braid_data_transport_connect(braid_data_transport_t *d) {
  if (d->connect_called) return;
  d->connect_called = true;
  if (braid_sctp_assoc_connect(d->assoc) != 0)
    BRAID_LOGW("sctp", "transport %s: SCTP cannot start", d->t->id);
}

void braid_data_transport_receive(braid_data_transport_t *d, const uint8_t *pkt, size_t len) {
  (void)braid_sctp_assoc_receive(d->assoc, pkt, len); /* drops are counted by the association */
}

bool braid_data_transport_is_sctp(const uint8_t *data, size_t len) {
  return len >= 12 && braid_get16(data) == BRAID_SCTP_PORT &&
         braid_get16(data + 2) == BRAID_SCTP_PORT;
}

/* ---- streams --------------------------------------------------------------- */

static bool consumer_stream_used(const braid_data_transport_t *d, uint16_t s) {
  return (d->consumer_streams[s >> 3] >> (s & 7)) & 1;
}

static void set_consumer_stream(braid_data_transport_t *d, uint16_t s, bool used) {
  if (used) d->consumer_streams[s >> 3] |= (uint8_t)(1u << (s & 7));
  else d->consumer_streams[s >> 3] &= (uint8_t)~(1u << (s & 7));
}

int braid_data_transport_add_producer(braid_data_transport_t *d, braid_data_producer_t *p) {
  uint8_t key[2];
  braid_put16(key, p->stream);
  if (braid_map_get(d->by_stream, (const char *)key, 2) != NULL) return BRAID_EEXIST;
  BRAID_ASSERT(braid_map_put(d->by_stream, (const char *)key, 2, p) == 0);
  p->next = d->producers;
  d->producers = p;
  return 0;
}

void braid_data_transport_remove_producer(braid_data_transport_t *d, braid_data_producer_t *p,
                                          bool reset) {
  uint8_t key[2];
  /* Closes the endpoint's DataChannel of that id (both halves of a WebRTC
   * stream go together, RFC 8831 §6.7), unless a data consumer of ours
   * sends on that stream number. */
  if (reset && !consumer_stream_used(d, p->stream)) braid_data_transport_reset_stream(d, p->stream);
  braid_put16(key, p->stream);
  braid_map_del(d->by_stream, (const char *)key, 2);
  for (braid_data_producer_t **pp = &d->producers; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == p) {
      *pp = p->next;
      break;
    }
  }
  p->next = NULL;
}

int braid_data_transport_add_consumer(braid_data_transport_t *d, braid_data_consumer_t *c,
                                      uint16_t *stream) {
  /* Streams the remote accepts, once known; what we asked for before. */
  uint16_t n = braid_sctp_assoc_out_streams(d->assoc);
  if (n == 0 || n > d->os) n = d->os;
  for (uint32_t i = 0; i < n; i++) {
    uint16_t s = (uint16_t)((d->next_stream + i) % n);
    uint8_t key[2];
    braid_put16(key, s);
    if (consumer_stream_used(d, s) || braid_map_get(d->by_stream, (const char *)key, 2) != NULL)
      continue;
    set_consumer_stream(d, s, true);
    d->next_stream = (uint16_t)((s + 1) % n);
    c->next = d->consumers;
    d->consumers = c;
    *stream = s;
    return 0;
  }
  return BRAID_ELIMIT;
}

void braid_data_transport_remove_consumer(braid_data_transport_t *d, braid_data_consumer_t *c) {
  set_consumer_stream(d, c->stream, false);
  for (braid_data_consumer_t **pp = &d->consumers; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == c) {
      *pp = c->next;
      break;
    }
  }
  c->next = NULL;
}

int braid_data_transport_send(braid_data_transport_t *d, uint16_t stream, uint32_t ppid,
                              const uint8_t *data, size_t len, const braid_sctp_send_opts_t *o) {
  return braid_sctp_assoc_send(d->assoc, stream, ppid, data, len, o);
}

void braid_data_transport_reset_stream(braid_data_transport_t *d, uint16_t stream) {
  if (braid_sctp_assoc_state(d->assoc) != BRAID_SCTP_STATE_CONNECTED) return;
  if (stream >= braid_sctp_assoc_out_streams(d->assoc)) return;
  (void)braid_sctp_assoc_reset_stream(d->assoc, stream); /* best effort, as mediasoup */
}

/* ---- accessors ------------------------------------------------------------- */

braid_sctp_state_t braid_data_transport_state(const braid_data_transport_t *d) {
  return braid_sctp_assoc_state(d->assoc);
}

const char *braid_data_transport_state_name(const braid_data_transport_t *d) {
  return braid_sctp_assoc_state_name(braid_sctp_assoc_state(d->assoc));
}

const braid_sctp_assoc_t *braid_data_transport_assoc(const braid_data_transport_t *d) {
  return d->assoc;
}

const braid_data_transport_stats_t *braid_data_transport_stats(const braid_data_transport_t *d) {
  return &d->stats;
}

uint64_t braid_data_transport_dropped(const braid_data_transport_t *d) {
  return braid_sctp_assoc_stats(d->assoc)->rx_dropped + d->stats.rx_dcep_bad +
         d->stats.rx_no_producer;
}
