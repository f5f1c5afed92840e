/*
 * The media half of a transport, whatever carries its packets (mediasoup's
 * RTC::Transport): the producers that receive on it, the consumers that
 * send on it, and the RTCP between them and the remote endpoint.
 *
 * A transport kind (WebRTC, plain, and pipe: a plain transport between two
 * media daemons, plain_transport.h) embeds a braid_transport_t as its first
 * member, feeds it plaintext packets (after SRTP) and lends it a way out
 * (braid_transport_ops_t): a buffer to build one packet in, and a call that
 * protects and sends what was built. The
 * same table carries the calls the daemon makes on any kind (close,
 * counters, getStats), so md->transports maps ids to braid_transport_t and
 * nothing outside a kind's own file needs to know which kind it holds. On
 * the per-packet path nothing allocates and nothing logs.
 *
 *   remote --RTP--> kind (SRTP) --> braid_transport_receive_rtp()
 *                   --> rtp_listener --> producer --> its consumers
 *                   --> each consumer's transport: tx_buf(), rewrite, tx_rtp()
 *
 * RTCP: receiver feedback (PLI, FIR, NACK, RR) is routed to the consumer
 * whose media SSRC it names (a pipe consumer has one per stream, all in
 * consumer_by_ssrc), sender reports to the producer stream they describe.
 * Packets the remote numbers with the transport-wide sequence extension
 * are reported back in TWCC feedback every 100 ms (twcc_recorder.h); a
 * remote that sends abs-send-time and goog-remb without transport-cc gets
 * REMB instead (remb_server.h). What we send is estimated from the
 * remote's TWCC feedback or REMB (transport_bwe.h).
 * Every BRAID_TRANSPORT_RTCP_INTERVAL_MS the transport sends one compound
 * per consumer (SR + SDES CNAME) and one with its producers' receiver
 * reports.
 *
 * Ownership: the transport owns its producers and consumers (closing it
 * closes them, and the consumers of its producers on other transports),
 * and its data half when it has SCTP (data_transport.h), which owns the
 * data producers and data consumers the same way.
 */
#ifndef BRAID_MEDIAD_RTC_TRANSPORT_H
#define BRAID_MEDIAD_RTC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/clock.h"
#include "common/limits.h"
#include "common/str.h"
#include "mediad/mediad.h"
#include "mediad/rtc/remb_server.h"
#include "mediad/rtc/rtp_listener.h"
#include "mediad/rtc/transport_bwe.h"
#include "mediad/rtc/twcc_recorder.h"

#define BRAID_TRANSPORT_RTCP_INTERVAL_MS 1000
/* Sender SSRC of the RTCP a transport sends as a receiver (reports and
 * feedback about its producers' streams, which have no SSRC of ours). */
#define BRAID_TRANSPORT_RTCP_SSRC 1
/* Producers per transport (a browser sends a handful). */
#define BRAID_TRANSPORT_MAX_PRODUCERS 32

typedef struct braid_transport braid_transport_t;
typedef struct braid_producer braid_producer_t;
typedef struct braid_consumer braid_consumer_t;
typedef struct braid_data_transport braid_data_transport_t;

/* A transport kind: how the media half sends, and what the daemon asks of
 * every transport in md->transports. One static table per kind; its
 * address identifies the kind (see braid_webrtc_transport_of()). */
typedef struct braid_transport_ops {
  const char *kind; /* "webrtc", "plain", "pipe" (static) */
  /* Whether the remote is an endpoint whose congestion feedback drives a
   * send-side bandwidth estimate (WebRTC: yes; plain and pipe: no). */
  bool send_side_bwe;
  /* A buffer of *cap bytes to build one outgoing packet in (its tail room
   * for the SRTP trailer already deducted), or NULL when nothing can be
   * sent now (not connected, or the send ring is full). */
  uint8_t *(*tx_buf)(braid_transport_t *t, size_t *cap);
  /* Protects and sends the len bytes built in the last tx_buf(). Returns
   * 0 or an error (the packet is dropped and counted by the kind). */
  int (*tx_rtp)(braid_transport_t *t, size_t len);
  int (*tx_rtcp)(braid_transport_t *t, size_t len);
  /* Sends one SCTP packet of the data half (a DTLS record, or a UDP
   * datagram to the remote tuple); dropped when it cannot go now. Runs on
   * usrsctp's stack (sctp_assoc.h: it must not call back into SCTP).
   * Required of kinds that make a data half. */
  void (*tx_sctp)(braid_transport_t *t, const uint8_t *pkt, size_t len);
  /* The daemon's calls, required of a kind whose transports are in
   * md->transports (a test's fake kind that is not may leave them NULL).
   * close: synchronous, as transport.close, a router's close or the
   * shutdown want it: closes the producers and consumers, unregisters the
   * transport from md->transports, adds its counters to md->stats' closed
   * totals, and frees it (deferred when called from inside the kind's own
   * callbacks, STYLE.md rule 20). dropped: packets the transport dropped
   * as bad, unknown or unexpected, for the node's rx_dropped. stats_json:
   * its getStats() array (stats_json.h contract). add_net_stats (may be
   * NULL): adds the socket counters of sockets the transport owns. */
  void (*close)(braid_transport_t *t);
  uint64_t (*dropped)(const braid_transport_t *t);
  ssize_t (*stats_json)(braid_transport_t *t, char *buf, size_t cap);
  void (*add_net_stats)(const braid_transport_t *t, braid_mediad_net_stats_t *sum);
} braid_transport_ops_t;

/* Media counters of one transport. */
typedef struct braid_transport_media_stats {
  uint64_t rtp_unknown;   /* RTP no producer matched */
  uint64_t rtp_malformed; /* RTP that does not parse */
  uint64_t rtcp_malformed;
  uint64_t rtp_forwarded; /* packets sent by this transport's consumers */
  uint64_t rtcp_sent;
} braid_transport_media_stats_t;

struct braid_transport {
  braid_mediad_t *md;               /* borrowed */
  const braid_transport_ops_t *ops; /* borrowed, static */
  char id[BRAID_ID_MAX + 1];
  char router_id[BRAID_ID_MAX + 1];
  char room_id[BRAID_ROOM_ID_MAX + 1];
  braid_rtp_listener_t *listener;  /* owned */
  braid_producer_t *producers;     /* owned list (producer->next) */
  braid_consumer_t *consumers;     /* owned list (consumer->next) */
  braid_map_t *consumer_by_ssrc;   /* 4-byte SSRC -> consumer (media and RTX) */
  braid_data_transport_t *data;    /* owned: SCTP, data producers and consumers; NULL
                                    * when the transport has no SCTP */
  bool connected;                  /* media may flow (WebRTC: ICE + DTLS up; plain: a remote
                                    * tuple, and the SRTP keys when SRTP is on) */
  uint16_t twcc_seq;               /* transport-wide sequence number of the next packet sent */
  int64_t next_rtcp_ms;            /* when the next periodic reports are due */
  int64_t next_twcc_ms;            /* when the next TWCC feedback may go */
  braid_twcc_recorder_t twcc_rx;   /* arrivals of the remote's TWCC-numbered packets */
  uint8_t twcc_ext_id;             /* the remote's transport-wide-cc id, learned from its
                                    * producers and kept after they close: every numbered
                                    * packet is reported, even one no producer takes (an
                                    * RTX probe on an SSRC not learned yet) */
  braid_remb_server_t *remb;        /* owned: REMB to a sender without transport-cc
                                    * (remb_server.h); NULL otherwise */
  uint8_t remb_abs_id;             /* the abs-send-time id it reads */
  braid_transport_bwe_t *bwe;      /* owned: the send-side estimate and its distribution;
                                    * NULL until a consumer can use it (transport_bwe.h) */
  braid_transport_media_stats_t stats;
};

/* Initialises the media half of t, owned by a transport kind. Returns 0
 * or BRAID_EINVAL (an id too long). */
int braid_transport_init(braid_transport_t *t, braid_mediad_t *md, const braid_transport_ops_t *ops,
                         braid_str_t id, braid_str_t router_id, braid_str_t room_id);
/* Gives t a data half (data_transport.h) whose association announces os
 * outgoing and mis incoming streams and takes messages up to max_message
 * bytes (the create command's sctp_* values). Returns 0 or an error of
 * braid_data_transport_new(). */
int braid_transport_enable_sctp(braid_transport_t *t, uint16_t os, uint16_t mis,
                                size_t max_message, bool is_data_channel);
/* Closes every producer and consumer of t (and the consumers of its
 * producers elsewhere) and frees what t owns. */
void braid_transport_cleanup(braid_transport_t *t);

/* Timers, driven by the kind's own timer (sans-I/O): the earliest time
 * on_timeout has work (periodic RTCP, key frame request retries), and the
 * work itself. */
int64_t braid_transport_next_timeout(const braid_transport_t *t);
void braid_transport_on_timeout(braid_transport_t *t, int64_t now_ms);

/* Whether media can flow now (the kind calls it when ICE/DTLS change). */
void braid_transport_set_connected(braid_transport_t *t, bool connected);

/* A plaintext RTP packet (data is ours to modify) from the remote end. */
void braid_transport_receive_rtp(braid_transport_t *t, uint8_t *data, size_t len);
/* A plaintext RTCP compound from the remote end. */
void braid_transport_receive_rtcp(braid_transport_t *t, const uint8_t *data, size_t len);

/* Registry hooks for producers and consumers (producer.c, consumer.c). */
void braid_transport_add_consumer_ssrc(braid_transport_t *t, uint32_t ssrc, braid_consumer_t *c);
void braid_transport_remove_consumer_ssrc(braid_transport_t *t, uint32_t ssrc);
/* A consumer of t was created, or one changed what it wants (closed,
 * paused, resumed, priority or preferred layers set): a WebRTC transport
 * whose video consumer negotiated transport-cc or goog-remb gets its
 * send-side bandwidth estimate (transport_bwe.h), and the bitrate is
 * shared again. */
void braid_transport_consumers_changed(braid_transport_t *t, const braid_consumer_t *added);

/* A producer of t was created: one that negotiated abs-send-time and
 * goog-remb but not transport-cc, on a kind with a remote endpoint, gets
 * the transport a REMB server (remb_server.h). */
void braid_transport_producer_added(braid_transport_t *t, const braid_producer_t *p);

/* A consumer built a packet of len bytes carrying transport-wide number
 * t->twcc_seq: remembered for the feedback, and the number advanced. */
static inline void braid_transport_twcc_sent(braid_transport_t *t, size_t len) {
  if (t->bwe != NULL) braid_transport_bwe_sent(t->bwe, t->twcc_seq, len, braid_clock_mono_us());
  t->twcc_seq++;
}

/* Sending for producers and consumers: a buffer for one packet (NULL
 * when the transport cannot send now), then send what was built in it. */
static inline uint8_t *braid_transport_tx_buf(braid_transport_t *t, size_t *cap) {
  return t->ops->tx_buf(t, cap);
}
static inline void braid_transport_tx_rtp(braid_transport_t *t, size_t len) {
  if (t->ops->tx_rtp(t, len) == 0) t->stats.rtp_forwarded++;
}
static inline void braid_transport_tx_rtcp(braid_transport_t *t, size_t len) {
  if (t->ops->tx_rtcp(t, len) == 0) t->stats.rtcp_sent++;
}

/* The kind-level calls of braid_transport_ops_t, for the daemon. */
static inline const char *braid_transport_kind(const braid_transport_t *t) { return t->ops->kind; }
static inline void braid_transport_close(braid_transport_t *t) { t->ops->close(t); }
static inline uint64_t braid_transport_dropped(const braid_transport_t *t) {
  return t->ops->dropped(t);
}
static inline ssize_t braid_transport_stats_json(braid_transport_t *t, char *buf, size_t cap) {
  return t->ops->stats_json(t, buf, cap);
}
static inline void braid_transport_add_net_stats(const braid_transport_t *t,
                                                 braid_mediad_net_stats_t *sum) {
  if (t->ops->add_net_stats != NULL) t->ops->add_net_stats(t, sum);
}
/* The counters of both halves every kind counts as drops (RTP no
 * producer took, RTP and RTCP that do not parse, and the data half's,
 * data_transport.h). */
uint64_t braid_transport_media_dropped(const braid_transport_t *t);

#endif
