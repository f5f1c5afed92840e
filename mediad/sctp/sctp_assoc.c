/*
 * One SCTP association on usrsctp (see sctp_assoc.h for the contract).
 *
 * Data flow: _receive() checks a packet and hands it to
 * usrsctp_conninput(). usrsctp calls back into this file while it runs:
 * on_usrsctp_recv() with messages (or pieces of them) and notifications,
 * on_usrsctp_send() with the free space of the send buffer, and, through
 * sctp_global.c, braid__sctp_assoc_output() with packets to send. Only the
 * last one reaches the owner at once (send_packet); the first two only
 * queue what they got, and braid__sctp_assoc_drain() delivers the queue
 * when the outermost call into usrsctp has returned. So no owner callback
 * but send_packet runs while usrsctp holds its locks, and the owner may
 * send, reset streams or free associations from any of them.
 */
#include "mediad/sctp/sctp_assoc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <usrsctp.h>

#include "common/log.h"
#include "common/mem.h"
#include "mediad/sctp/sctp_packet.h"
#include "mediad/sctp/sctp_reasm.h"

/* usrsctp calls on_usrsctp_send() when a SACK leaves at least this many
 * bytes free in the send buffer (mediasoup's SendBufferThreshold). */
#define SEND_THRESHOLD 256

/* Notifications we subscribe to (each handled in on_notification()). */
static const uint16_t event_types[] = {
    SCTP_ASSOC_CHANGE,      SCTP_SHUTDOWN_EVENT,         SCTP_STREAM_RESET_EVENT,
    SCTP_SEND_FAILED_EVENT, SCTP_PARTIAL_DELIVERY_EVENT, SCTP_REMOTE_ERROR,
};

/* What usrsctp reported during a call, or what we queue ourselves so that
 * it reaches the owner in order with the rest. */
typedef enum item_kind {
  ITEM_DATA = 0,     /* a message or a piece of one */
  ITEM_NOTIFICATION, /* a union sctp_notification */
  ITEM_STATE,        /* a state change of ours (connecting, or failed) */
  ITEM_LOST,         /* events dropped here: the queue was full */
} item_kind_t;

typedef struct rx_item {
  void *data; /* owned: usrsctp's malloc()ed buffer (free()), or NULL */
  size_t len;
  uint32_t ppid;      /* DATA: host order */
  uint16_t sid;       /* DATA, LOST: stream of the (last dropped) piece */
  uint8_t kind;       /* item_kind_t */
  uint8_t state;      /* STATE: braid_sctp_state_t */
  bool eor;           /* DATA, NOTIFICATION: last piece; LOST: nothing left open */
  const char *reason; /* STATE: static */
} rx_item_t;

struct braid_sctp_assoc {
  struct socket *sock; /* owned */
  uintptr_t id;        /* our conn address in usrsctp (sctp_global.c) */
  braid_sctp_opts_t opts;
  braid_sctp_callbacks_t cb;
  void *user_data; /* borrowed: the owner's */
  braid_sctp_state_t state;
  const char *reason; /* static: why failed or closed */
  uint16_t out_streams, in_streams;
  bool connect_called;
  bool pending;      /* listed for delivery in sctp_global.c */
  bool delivering;   /* inside braid__sctp_assoc_drain() */
  bool free_pending; /* _free() was deferred */
  bool sb_update;    /* sb_free changed since the last delivery */
  uint32_t sb_free;  /* free send-buffer space usrsctp reported last */
  size_t buffered;
  bool above_low; /* buffered went above the threshold since on_buffered_low */
  rx_item_t *rxq; /* owned: events queued during the current call */
  size_t rxq_len, rxq_cap;
  uint8_t *reset_by_us; /* owned: bit s set while our reset of outgoing
                         * stream s waits for the peer's answer */
  braid_sctp_reasm_t reasm;
  braid_sctp_assoc_stats_t stats;
};

static const char *const state_names[] = {
    [BRAID_SCTP_STATE_NEW] = "new",
    [BRAID_SCTP_STATE_CONNECTING] = "connecting",
    [BRAID_SCTP_STATE_CONNECTED] = "connected",
    [BRAID_SCTP_STATE_FAILED] = "failed",
    [BRAID_SCTP_STATE_CLOSED] = "closed",
};

const char *braid_sctp_assoc_state_name(braid_sctp_state_t state) {
  if ((unsigned)state > BRAID_SCTP_STATE_CLOSED) return NULL;
  return state_names[state];
}

/* ---- The event queue ------------------------------------------------- */

static void mark_pending(braid_sctp_assoc_t *a) {
  if (a->pending) return;
  a->pending = true;
  braid__sctp_global_mark_pending(a->id);
}

static void enqueue(braid_sctp_assoc_t *a, const rx_item_t *it) {
  mark_pending(a);
  if (a->rxq_len > 0 && a->rxq[a->rxq_len - 1].kind == ITEM_LOST) {
    /* Full: keep dropping, and remember whether a message is left open. */
    rx_item_t *lost = &a->rxq[a->rxq_len - 1];
    if (it->kind == ITEM_DATA) {
      lost->sid = it->sid;
      lost->eor = it->eor;
    }
    free(it->data);
    a->stats.rx_queue_full++;
    return;
  }
  if (a->rxq_len == a->rxq_cap) {
    /* One slot more than the maximum, for the LOST marker. */
    size_t cap = a->rxq_cap == 0 ? 16 : a->rxq_cap * 2;
    if (cap > BRAID_SCTP_RX_QUEUE_MAX + 1) cap = BRAID_SCTP_RX_QUEUE_MAX + 1;
    a->rxq = braid_xrealloc(a->rxq, cap * sizeof *a->rxq);
    a->rxq_cap = cap;
  }
  if (a->rxq_len == BRAID_SCTP_RX_QUEUE_MAX) {
    /* The last slot holds the marker; this event and later ones are lost. */
    rx_item_t lost = {.kind = ITEM_LOST, .eor = true};
    a->rxq[a->rxq_len++] = lost;
    enqueue(a, it);
    return;
  }
  a->rxq[a->rxq_len++] = *it;
}

static void enqueue_state(braid_sctp_assoc_t *a, braid_sctp_state_t s, const char *reason) {
  rx_item_t it = {.kind = ITEM_STATE, .state = (uint8_t)s, .reason = reason};
  enqueue(a, &it);
}

/* usrsctp's receive callback: data is ours to free(). ulp_info is the id. */
static int on_usrsctp_recv(struct socket *sock, union sctp_sockstore addr, void *data, size_t len,
                           struct sctp_rcvinfo rcv, int flags, void *ulp_info) {
  (void)sock;
  (void)addr;
  braid_sctp_assoc_t *a = braid__sctp_global_lookup((uintptr_t)ulp_info);
  if (a == NULL || a->free_pending) {
    free(data);
    return 1;
  }
  rx_item_t it = {
      .data = data,
      .len = len,
      .ppid = ntohl(rcv.rcv_ppid), /* usrsctp passes the wire's byte order */
      .sid = rcv.rcv_sid,
      .kind = (flags & MSG_NOTIFICATION) ? ITEM_NOTIFICATION : ITEM_DATA,
      .eor = (flags & MSG_EOR) != 0,
  };
  enqueue(a, &it);
  return 1;
}

/* usrsctp's send callback, after a SACK freed send-buffer space. */
static int on_usrsctp_send(struct socket *sock, uint32_t sb_free, void *ulp_info) {
  (void)sock;
  braid_sctp_assoc_t *a = braid__sctp_global_lookup((uintptr_t)ulp_info);
  if (a == NULL || a->free_pending) return 0;
  a->sb_free = sb_free;
  a->sb_update = true;
  mark_pending(a);
  return 1;
}

void braid__sctp_assoc_output(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len) {
  if (a->free_pending) return;
  a->stats.tx_packets++;
  a->stats.tx_bytes += len;
  a->cb.send_packet(a, pkt, len, a->user_data);
}

/* ---- Delivery ---------------------------------------------------------- */

static void set_state(braid_sctp_assoc_t *a, braid_sctp_state_t s, const char *reason) {
  /* failed and closed are final: a late notification changes nothing. */
  if (a->state == s || a->state == BRAID_SCTP_STATE_FAILED || a->state == BRAID_SCTP_STATE_CLOSED)
    return;
  a->state = s;
  if (reason != NULL) a->reason = reason;
  if (a->cb.on_state != NULL) a->cb.on_state(a, s, a->user_data);
}

static bool reset_bit(const braid_sctp_assoc_t *a, uint16_t s) {
  return s < a->opts.os && (a->reset_by_us[s / 8] & (1u << (s % 8))) != 0;
}

static void set_reset_bit(braid_sctp_assoc_t *a, uint16_t s, bool on) {
  if (s >= a->opts.os) return;
  if (on)
    a->reset_by_us[s / 8] |= (uint8_t)(1u << (s % 8));
  else
    a->reset_by_us[s / 8] &= (uint8_t) ~(1u << (s % 8));
}

/* Asks usrsctp to reset our outgoing stream s; inside enter/leave.
 * Mirrors mediasoup's ResetSctpStream(). */
static int request_reset(braid_sctp_assoc_t *a, uint16_t s) {
  struct sctp_assoc_value av = {0};
  socklen_t avlen = sizeof av;
  if (usrsctp_getsockopt(a->sock, IPPROTO_SCTP, SCTP_RECONFIG_SUPPORTED, &av, &avlen) != 0 ||
      av.assoc_value != 1)
    return BRAID_ESTATE; /* the peer did not negotiate RE-CONFIG */
  /* A struct with a flexible array of one stream, on the stack. */
  _Alignas(struct sctp_reset_streams)
      uint8_t buf[sizeof(struct sctp_reset_streams) + sizeof(uint16_t)];
  struct sctp_reset_streams *srs = (struct sctp_reset_streams *)buf;
  memset(buf, 0, sizeof buf);
  srs->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  srs->srs_number_streams = 1;
  srs->srs_stream_list[0] = s; /* host order: usrsctp converts */
  if (usrsctp_setsockopt(a->sock, IPPROTO_SCTP, SCTP_RESET_STREAMS, srs, (socklen_t)sizeof buf) !=
      0)
    return errno == EINVAL ? BRAID_EINVAL : BRAID_EIO;
  return 0;
}

/* The peer reset its outgoing stream s (our incoming one). */
static void on_peer_reset(braid_sctp_assoc_t *a, uint16_t s) {
  if (reset_bit(a, s)) {
    /* The answer to our own reset: the close we started is complete. */
    set_reset_bit(a, s, false);
    return;
  }
  a->stats.streams_reset_rx++;
  if (a->opts.is_data_channel && s < a->out_streams && braid__sctp_global_enter() == 0) {
    /* RFC 8831 §6.7: close our side of the channel too. */
    (void)request_reset(a, s);
    braid__sctp_global_leave(); /* cannot free a: we are delivering it */
  }
  if (a->cb.on_stream_reset != NULL && !a->free_pending) a->cb.on_stream_reset(a, s, a->user_data);
}

static void on_stream_reset_event(braid_sctp_assoc_t *a, const struct sctp_stream_reset_event *e,
                                  size_t len) {
  if (e->strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) return;
  if (!(e->strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN)) return;
  size_t n = (len - sizeof *e) / sizeof(uint16_t);
  for (size_t i = 0; i < n && !a->free_pending; i++)
    on_peer_reset(a, e->strreset_stream_list[i]);
}

static void on_assoc_change(braid_sctp_assoc_t *a, const struct sctp_assoc_change *ac) {
  switch (ac->sac_state) {
  case SCTP_RESTART:
    /* The peer restarted: whatever was half delivered is gone. */
    braid_sctp_reasm_abort(&a->reasm);
    /* fall through */
  case SCTP_COMM_UP:
    a->out_streams = ac->sac_outbound_streams;
    a->in_streams = ac->sac_inbound_streams;
    set_state(a, BRAID_SCTP_STATE_CONNECTED, NULL);
    break;
  case SCTP_COMM_LOST:
    set_state(a, BRAID_SCTP_STATE_CLOSED, "association lost: ABORT or too many retransmissions");
    break;
  case SCTP_SHUTDOWN_COMP: set_state(a, BRAID_SCTP_STATE_CLOSED, "association shut down"); break;
  case SCTP_CANT_STR_ASSOC:
    set_state(a, BRAID_SCTP_STATE_FAILED, "handshake failed: INIT unanswered or aborted");
    break;
  default: break;
  }
}

/* A notification; usrsctp built it, but its length is checked anyway
 * before each structure is read. buf is malloc()ed, hence aligned. */
static void on_notification(braid_sctp_assoc_t *a, const void *buf, size_t len) {
  const union sctp_notification *n = buf;
  if (len < sizeof n->sn_header || n->sn_header.sn_length != len) return;
  switch (n->sn_header.sn_type) {
  case SCTP_ASSOC_CHANGE:
    if (len >= sizeof n->sn_assoc_change) on_assoc_change(a, &n->sn_assoc_change);
    break;
  case SCTP_SHUTDOWN_EVENT:
    set_state(a, BRAID_SCTP_STATE_CLOSED, "the peer shut the association down");
    break;
  case SCTP_STREAM_RESET_EVENT:
    if (len >= sizeof n->sn_strreset_event) on_stream_reset_event(a, &n->sn_strreset_event, len);
    break;
  case SCTP_SEND_FAILED_EVENT: a->stats.tx_abandoned++; break;
  case SCTP_PARTIAL_DELIVERY_EVENT: braid_sctp_reasm_abort(&a->reasm); break;
  case SCTP_REMOTE_ERROR: a->stats.remote_errors++; break;
  default: break;
  }
}

static void on_data(braid_sctp_assoc_t *a, const rx_item_t *it) {
  const uint8_t *msg = NULL;
  size_t len = 0;
  if (!braid_sctp_reasm_push(&a->reasm, it->sid, it->data, it->len, it->eor, &msg, &len)) return;
  /* RFC 8831 §6.6: the one byte of an empty message is not data. */
  if (it->ppid == BRAID_SCTP_PPID_STRING_EMPTY || it->ppid == BRAID_SCTP_PPID_BINARY_EMPTY) len = 0;
  a->stats.msgs_rx++;
  a->stats.bytes_rx += len;
  if (a->cb.on_message != NULL) a->cb.on_message(a, it->sid, it->ppid, msg, len, a->user_data);
}

static void deliver(braid_sctp_assoc_t *a, const rx_item_t *it) {
  switch ((item_kind_t)it->kind) {
  case ITEM_DATA: on_data(a, it); break;
  case ITEM_NOTIFICATION:
    /* Notifications are small; usrsctp never splits them in practice. */
    if (it->eor) on_notification(a, it->data, it->len);
    break;
  case ITEM_STATE: set_state(a, (braid_sctp_state_t)it->state, it->reason); break;
  case ITEM_LOST:
    braid_sctp_reasm_abort(&a->reasm);
    if (!it->eor) braid_sctp_reasm_skip(&a->reasm, it->sid);
    break;
  }
  a->stats.rx_too_big = a->reasm.too_big;
  a->stats.rx_broken = a->reasm.broken;
}

static void update_buffered(braid_sctp_assoc_t *a) {
  a->sb_update = false;
  size_t cap = a->opts.send_buffer_size;
  a->buffered = a->sb_free >= cap ? 0 : cap - a->sb_free;
  if (a->above_low && a->buffered <= a->opts.buffered_low_threshold) {
    a->above_low = false;
    if (a->cb.on_buffered_low != NULL) a->cb.on_buffered_low(a, a->buffered, a->user_data);
  }
}

static void destroy(braid_sctp_assoc_t *a);

void braid__sctp_assoc_drain(braid_sctp_assoc_t *a) {
  a->pending = false;
  a->delivering = true;
  size_t i = 0;
  /* Callbacks may queue more (a send that triggers a notification): the
   * loop rereads rxq_len, and each item is copied out before delivery
   * because the queue may move. */
  for (; i < a->rxq_len && !a->free_pending; i++) {
    rx_item_t it = a->rxq[i];
    a->rxq[i].data = NULL;
    deliver(a, &it);
    free(it.data);
  }
  for (; i < a->rxq_len; i++)
    free(a->rxq[i].data);
  a->rxq_len = 0;
  if (a->sb_update && !a->free_pending) update_buffered(a);
  a->delivering = false;
  if (a->free_pending) destroy(a);
}

/* ---- Life cycle -------------------------------------------------------- */

static int fill_opts(braid_sctp_opts_t *o, const braid_sctp_opts_t *in) {
  if (in != NULL)
    *o = *in;
  else
    memset(o, 0, sizeof *o);
  if (o->local_port == 0) o->local_port = BRAID_SCTP_PORT;
  if (o->remote_port == 0) o->remote_port = BRAID_SCTP_PORT;
  if (o->os == 0) o->os = BRAID_SCTP_DEFAULT_STREAMS;
  if (o->mis == 0) o->mis = BRAID_SCTP_DEFAULT_STREAMS;
  if (o->max_message_size == 0) o->max_message_size = BRAID_SCTP_DEFAULT_MAX_MESSAGE;
  if (o->send_buffer_size == 0)
    o->send_buffer_size = o->max_message_size > BRAID_SCTP_DEFAULT_SEND_BUFFER
                              ? o->max_message_size
                              : BRAID_SCTP_DEFAULT_SEND_BUFFER;
  if (o->mtu == 0) o->mtu = BRAID_SCTP_DEFAULT_MTU;
  if (o->max_message_size > BRAID_SCTP_MAX_MESSAGE_LIMIT) return BRAID_EINVAL;
  if (o->send_buffer_size > BRAID_SCTP_SEND_BUFFER_LIMIT) return BRAID_EINVAL;
  if (o->send_buffer_size < o->max_message_size) return BRAID_EINVAL;
  if (o->mtu < BRAID_SCTP_MTU_MIN) return BRAID_EINVAL;
  return 0;
}

static int setopt(braid_sctp_assoc_t *a, int level, int name, const void *v, size_t len) {
  return usrsctp_setsockopt(a->sock, level, name, v, (socklen_t)len) == 0 ? 0 : BRAID_EINTERNAL;
}

/* The socket options of mediasoup's SctpAssociation constructor, then the
 * bind to our conn address. Inside enter/leave. */
static int configure_socket(braid_sctp_assoc_t *a) {
  struct linger linger = {.l_onoff = 1, .l_linger = 0}; /* close() aborts and frees now */
  struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC,
                                .assoc_value = SCTP_ENABLE_RESET_STREAM_REQ |
                                               SCTP_ENABLE_RESET_ASSOC_REQ |
                                               SCTP_ENABLE_CHANGE_ASSOC_REQ};
  uint32_t nodelay = 1; /* no Nagle: a message goes out when sent */
  struct sctp_initmsg init = {.sinit_num_ostreams = a->opts.os, .sinit_max_instreams = a->opts.mis};
  int sndbuf = (int)a->opts.send_buffer_size;
  int rc = 0;
  if (usrsctp_set_non_blocking(a->sock, 1) != 0) return BRAID_EINTERNAL;
  rc = rc ? rc : setopt(a, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  rc = rc ? rc : setopt(a, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &av, sizeof av);
  rc = rc ? rc : setopt(a, IPPROTO_SCTP, SCTP_NODELAY, &nodelay, sizeof nodelay);
  for (size_t i = 0; rc == 0 && i < sizeof event_types / sizeof event_types[0]; i++) {
    struct sctp_event ev = {
        .se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = event_types[i], .se_on = 1};
    rc = setopt(a, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev);
  }
  rc = rc ? rc : setopt(a, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);
  rc = rc ? rc : setopt(a, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  if (rc != 0) return rc;
  struct sockaddr_conn sconn = {.sconn_family = AF_CONN,
                                .sconn_port = htons(a->opts.local_port),
                                .sconn_addr = (void *)a->id};
  if (usrsctp_bind(a->sock, (struct sockaddr *)&sconn, sizeof sconn) != 0) return BRAID_EINTERNAL;
  return 0;
}

int braid_sctp_assoc_new(braid_sctp_assoc_t **out, const braid_sctp_opts_t *opts,
                         const braid_sctp_callbacks_t *cb, void *user_data) {
  braid_sctp_opts_t o;
  if (cb == NULL || cb->send_packet == NULL || fill_opts(&o, opts) != 0) return BRAID_EINVAL;
  if (braid__sctp_global_in_usrsctp()) return BRAID_ESTATE;
  (void)braid_sctp_global_init();
  braid_sctp_assoc_t *a = braid_xcalloc(1, sizeof *a);
  a->opts = o;
  a->cb = *cb;
  a->user_data = user_data;
  a->state = BRAID_SCTP_STATE_NEW;
  a->reset_by_us = braid_xcalloc(((size_t)o.os + 7) / 8, 1);
  braid_sctp_reasm_init(&a->reasm, o.max_message_size);
  a->id = braid__sctp_global_register(a);
  if (a->id == 0) {
    destroy(a);
    return BRAID_ELIMIT;
  }
  int rc = braid__sctp_global_enter();
  BRAID_ASSERT(rc == 0);
  /* The address must be known to usrsctp before the bind. */
  usrsctp_register_address((void *)a->id);
  a->sock = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, on_usrsctp_recv, on_usrsctp_send,
                           SEND_THRESHOLD, (void *)a->id);
  rc = a->sock != NULL ? configure_socket(a) : BRAID_EINTERNAL;
  braid__sctp_global_leave();
  if (rc != 0) {
    destroy(a);
    return rc;
  }
  *out = a;
  return 0;
}

static void destroy(braid_sctp_assoc_t *a) {
  uintptr_t id = a->id;
  /* Unregister first: whatever usrsctp reports from now on (the ABORT
   * that close() sends, COMM_LOST) finds no association and is dropped. */
  braid__sctp_global_unregister(id);
  if (id != 0) {
    int rc = braid__sctp_global_enter();
    BRAID_ASSERT(rc == 0);
    if (a->sock != NULL) usrsctp_close(a->sock);
    usrsctp_deregister_address((void *)id);
    braid__sctp_global_leave();
  }
  for (size_t i = 0; i < a->rxq_len; i++)
    free(a->rxq[i].data);
  braid_free(a->rxq);
  braid_sctp_reasm_cleanup(&a->reasm);
  braid_free(a->reset_by_us);
  braid_free(a);
}

void braid_sctp_assoc_free(braid_sctp_assoc_t *a) {
  if (a == NULL || a->free_pending) return;
  if (braid__sctp_global_in_usrsctp() || a->delivering) {
    /* Inside usrsctp or our own delivery: see braid__sctp_assoc_drain(). */
    a->free_pending = true;
    mark_pending(a);
    return;
  }
  destroy(a);
}

/* ---- Operations -------------------------------------------------------- */

int braid_sctp_assoc_connect(braid_sctp_assoc_t *a) {
  if (a->connect_called || a->free_pending) return BRAID_ESTATE;
  if (braid__sctp_global_enter() != 0) return BRAID_ESTATE;
  a->connect_called = true;
  /* Queued first, so that "connecting" precedes whatever usrsctp reports. */
  enqueue_state(a, BRAID_SCTP_STATE_CONNECTING, NULL);
  struct sockaddr_conn rconn = {.sconn_family = AF_CONN,
                                .sconn_port = htons(a->opts.remote_port),
                                .sconn_addr = (void *)a->id};
  int rc = 0;
  if (usrsctp_connect(a->sock, (struct sockaddr *)&rconn, sizeof rconn) != 0 &&
      errno != EINPROGRESS)
    rc = BRAID_EINTERNAL;
  if (rc == 0) {
    /* No path MTU discovery: every packet fits opts.mtu. usrsctp counts
     * spp_pathmtu without the 12-byte common header. Needs the peer
     * address, hence after connect (as mediasoup). */
    struct sctp_paddrparams pp;
    memset(&pp, 0, sizeof pp);
    memcpy(&pp.spp_address, &rconn, sizeof rconn);
    pp.spp_flags = SPP_PMTUD_DISABLE;
    pp.spp_pathmtu = a->opts.mtu - BRAID_SCTP_COMMON_HDR_LEN;
    rc = setopt(a, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof pp);
  }
  if (rc != 0) enqueue_state(a, BRAID_SCTP_STATE_FAILED, "usrsctp refused to connect");
  braid__sctp_global_leave();
  return rc;
}

int braid_sctp_assoc_receive(braid_sctp_assoc_t *a, const uint8_t *pkt, size_t len) {
  braid_sctp_packet_t p;
  int rc;
  if (a->free_pending || braid__sctp_global_in_usrsctp() || !a->connect_called)
    rc = BRAID_ESTATE;
  else if (a->state == BRAID_SCTP_STATE_FAILED || a->state == BRAID_SCTP_STATE_CLOSED)
    rc = BRAID_ECLOSED;
  else if ((rc = braid_sctp_packet_parse(&p, pkt, len, NULL)) != 0)
    ;
  else if (p.src_port != a->opts.remote_port || p.dst_port != a->opts.local_port ||
           !braid_sctp_packet_check_crc(pkt, len))
    rc = BRAID_EMALFORMED;
  if (rc != 0) {
    a->stats.rx_dropped++;
    return rc;
  }
  (void)braid__sctp_global_enter(); /* cannot fail: checked above */
  a->stats.rx_packets++;
  usrsctp_conninput((void *)a->id, pkt, len, 0);
  braid__sctp_global_leave(); /* a may be freed from here on */
  return 0;
}

/* Maps usrsctp_sendv()'s errno. */
static int send_error(int err) {
  if (err == EWOULDBLOCK || err == EAGAIN) return BRAID_ELIMIT;
  if (err == EMSGSIZE) return BRAID_ETOOBIG;
  if (err == ENOTCONN || err == EPIPE || err == ECONNRESET) return BRAID_ESTATE;
  if (err == EINVAL) return BRAID_EINVAL;
  return BRAID_EIO;
}

int braid_sctp_assoc_send(braid_sctp_assoc_t *a, uint16_t stream, uint32_t ppid,
                          const uint8_t *data, size_t len, const braid_sctp_send_opts_t *o) {
  static const uint8_t empty_payload[1] = {0};
  size_t wire_len = len;
  if (a->free_pending || a->state != BRAID_SCTP_STATE_CONNECTED || braid__sctp_global_in_usrsctp())
    return BRAID_ESTATE;
  if ((data == NULL && len > 0) || stream >= a->out_streams ||
      (o != NULL && (unsigned)o->pr > BRAID_SCTP_PR_TTL))
    return BRAID_EINVAL;
  if (len == 0) {
    /* RFC 8831 §6.6: an empty message is one zero byte. */
    if (ppid != BRAID_SCTP_PPID_STRING_EMPTY && ppid != BRAID_SCTP_PPID_BINARY_EMPTY)
      return BRAID_EINVAL;
    data = empty_payload;
    wire_len = 1;
  }
  if (len > a->opts.max_message_size) {
    a->stats.tx_refused++;
    return BRAID_ETOOBIG;
  }
  struct sctp_sendv_spa spa;
  memset(&spa, 0, sizeof spa);
  spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
  spa.sendv_sndinfo.snd_sid = stream;
  spa.sendv_sndinfo.snd_ppid = htonl(ppid); /* usrsctp puts it on the wire as is */
  spa.sendv_sndinfo.snd_flags = SCTP_EOR;
  if (o != NULL && o->unordered) spa.sendv_sndinfo.snd_flags |= SCTP_UNORDERED;
  if (o != NULL && o->pr != BRAID_SCTP_PR_NONE) {
    spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
    spa.sendv_prinfo.pr_policy = o->pr == BRAID_SCTP_PR_RTX ? SCTP_PR_SCTP_RTX : SCTP_PR_SCTP_TTL;
    spa.sendv_prinfo.pr_value = o->pr_value;
  }
  (void)braid__sctp_global_enter(); /* cannot fail: checked above */
  ssize_t n = usrsctp_sendv(a->sock, data, wire_len, NULL, 0, &spa, (socklen_t)sizeof spa,
                            SCTP_SENDV_SPA, 0);
  int rc = n < 0 ? send_error(errno) : 0;
  if (rc == 0) {
    a->stats.msgs_tx++;
    a->stats.bytes_tx += len;
    a->buffered += wire_len;
    if (a->buffered > a->opts.buffered_low_threshold) a->above_low = true;
    set_reset_bit(a, stream, false); /* the stream carries a new channel */
  } else if (rc != BRAID_ESTATE && rc != BRAID_EINVAL) {
    a->stats.tx_refused++;
  }
  braid__sctp_global_leave(); /* a may be freed from here on */
  return rc;
}

int braid_sctp_assoc_reset_stream(braid_sctp_assoc_t *a, uint16_t stream) {
  if (a->free_pending || a->state != BRAID_SCTP_STATE_CONNECTED || braid__sctp_global_in_usrsctp())
    return BRAID_ESTATE;
  if (stream >= a->out_streams) return BRAID_EINVAL;
  (void)braid__sctp_global_enter(); /* cannot fail: checked above */
  int rc = request_reset(a, stream);
  if (rc == 0) set_reset_bit(a, stream, true);
  braid__sctp_global_leave(); /* a may be freed from here on */
  return rc;
}

/* ---- Getters ------------------------------------------------------------- */

braid_sctp_state_t braid_sctp_assoc_state(const braid_sctp_assoc_t *a) { return a->state; }
const char *braid_sctp_assoc_reason(const braid_sctp_assoc_t *a) { return a->reason; }
const braid_sctp_assoc_stats_t *braid_sctp_assoc_stats(const braid_sctp_assoc_t *a) {
  return &a->stats;
}
uint16_t braid_sctp_assoc_out_streams(const braid_sctp_assoc_t *a) { return a->out_streams; }
uint16_t braid_sctp_assoc_in_streams(const braid_sctp_assoc_t *a) { return a->in_streams; }
size_t braid_sctp_assoc_buffered_amount(const braid_sctp_assoc_t *a) { return a->buffered; }
const braid_sctp_opts_t *braid_sctp_assoc_opts(const braid_sctp_assoc_t *a) { return &a->opts; }

void braid_sctp_assoc_set_buffered_low_threshold(braid_sctp_assoc_t *a, size_t threshold) {
  a->opts.buffered_low_threshold = threshold;
  a->above_low = a->buffered > threshold;
}
