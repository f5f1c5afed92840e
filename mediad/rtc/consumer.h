/*
 * A consumer of a media daemon (mediasoup's Simple/Simulcast/SvcConsumer):
 * one producer's track sent to one remote endpoint on its transport.
 *
 * Per packet of its producer: the layer selector decides (stream or
 * spatial layer, temporal layer, wait for a key frame after a switch or a
 * resume, and for SVC whether the packet ends the picture sent), the
 * seq rewriter gives the output sequence number and timestamp (continuous
 * across switches and pauses), and the packet is rebuilt straight into the
 * transport's send buffer with the consumer's SSRC, the router payload
 * type and a new header extension block in the ids the endpoint
 * negotiated (its MID, abs-send-time and transport-wide sequence number
 * written fresh, audio level, orientation and the like copied). A NACK is
 * answered by rebuilding the packet from the producer's store (one copy
 * per packet for all consumers, STYLE.md rule 16): the consumer keeps only
 * which input packet each output sequence number was.
 *
 * Simple consumers are a simulcast selector over one stream, simulcast
 * consumers one over the producer's encodings (simulcast_selector.h); SVC
 * consumers an SVC selector over the layers of the producer's one stream
 * (svc_selector.h), which also sets the marker bit where the picture it
 * sends ends. Pipe consumers (type "pipe", towards another media daemon)
 * forward every encoding unchanged instead: their own half,
 * pipe_consumer.h, does the sending and the RTCP, consumer.c dispatches to
 * it, and everything else (lists, pause, close, counters) is shared.
 *
 * Events (proto/event.h) of a non-pipe consumer, published on its room's
 * channel, never from the per-packet path:
 *   - "consumer.layers" for every change of the current layers of a
 *     simulcast or SVC consumer (mediasoup's layerschange; -1/-1 when
 *     nothing is sent). A change its producer causes (a packet, a stream's
 *     score or bitrates) is queued (up to BRAID_CONSUMER_LAYER_EVENTS, the
 *     newest replacing the last when full) and the producer's next
 *     timeout, due at once, publishes it; a change made by a command
 *     (pause, resume, preferred layers), the transport or a budget is
 *     published before that call returns;
 *   - "consumer.score" (mediasoup's consumer score: its own, from the
 *     receiver's reports, with its producer's) at the next report interval
 *     after the first report about it, after its score changed and after
 *     its producer's scores changed.
 *
 * Owned by its transport; linked into its producer's consumer list.
 */
#ifndef BRAID_MEDIAD_RTC_CONSUMER_H
#define BRAID_MEDIAD_RTC_CONSUMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/rtc/pipe_consumer.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/rtp_send_stats.h"
#include "mediad/rtc/seq_rewriter.h"
#include "mediad/rtc/simulcast_selector.h"
#include "mediad/rtc/svc_selector.h"
#include "mediad/rtc/transport.h"
#include "proto/consumer.h"

/* One packet sent, enough to rebuild it from the producer's store. */
typedef struct braid_consumer_sent {
  uint16_t out_seq, in_seq;
  uint32_t out_ts;
  int64_t resent_ms;
  uint8_t encoding, resends;
  bool marker; /* the selector set the marker bit (svc_selector.h) */
  bool valid;
} braid_consumer_sent_t;

/* Which selector a consumer runs ("type" of consumer.create). */
typedef enum braid_consumer_kind {
  BRAID_CONSUMER_SIMPLE = 0,
  BRAID_CONSUMER_SIMULCAST,
  BRAID_CONSUMER_SVC,
  BRAID_CONSUMER_PIPE,
} braid_consumer_kind_t;

/* Layer changes queued for "consumer.layers" between two publications. */
#define BRAID_CONSUMER_LAYER_EVENTS 8

typedef struct braid_consumer_layers {
  int8_t spatial, temporal; /* -1/-1: nothing is sent */
} braid_consumer_layers_t;

struct braid_consumer {
  char id[BRAID_ID_MAX + 1];
  braid_transport_t *transport; /* borrowed: the owner */
  braid_producer_t *producer;   /* borrowed: the source */
  braid_consumer_t *next;          /* the transport's list */
  braid_consumer_t *producer_next; /* the producer's list */
  bool video;
  bool paused;          /* by its endpoint (consumer.pause) */
  bool producer_paused; /* its producer is paused */
  char mid[BRAID_MID_MAX + 1];
  char cname[BRAID_CNAME_MAX + 1];
  uint32_t ssrc, rtx_ssrc;     /* a pipe consumer: its first stream's mapped SSRC, and 0 */
  uint32_t fb;                 /* BRAID_FB_* */
  braid_rtp_ext_ids_t ext;     /* router ids to write */
  size_t ncodecs;
  struct {
    uint8_t pt, rtx_pt;
    uint32_t clock_rate;
  } codecs[BRAID_MAX_CODECS];
  uint32_t clock_rate; /* of the first codec: the output timestamp clock */
  braid_consumer_kind_t kind;
  bool active;                    /* sending: resumed, its producer resumed, transport
                                   * connected (a pipe: pipe_consumer.h's rule) */
  braid_simulcast_selector_t sel; /* simple and simulcast; inert for svc and pipe */
  braid_svc_selector_t svc;       /* svc only */
  uint32_t available_bps;         /* the budget given, UINT32_MAX when none */
  braid_seq_rewriter_t rw;
  braid_consumer_sent_t *sent; /* owned ring by output seq; NULL when NACK is not negotiated */
  size_t sent_n;               /* its size, a power of two */
  uint16_t rtx_seq;            /* next RTX sequence number */
  uint64_t resent, repaired;   /* packets resent; resent for the first time */
  uint8_t *tx_buf;             /* the transport buffer the last build() wrote, and its capacity */
  size_t tx_cap;
  braid_rtp_send_stats_t send;
  int spatial, temporal; /* current layers, as last reported */
  braid_consumer_layers_t layer_ev[BRAID_CONSUMER_LAYER_EVENTS]; /* queued consumer.layers */
  uint8_t layer_ev_n;
  uint64_t layer_events;  /* consumer.layers published */
  bool score_reported;    /* a receiver report about it arrived */
  bool score_dirty;       /* a consumer.score is due at the next report interval */
  uint64_t score_events;  /* consumer.score published */
  int synced_stream;     /* the stream of the last sync, -1 before the first */
  uint64_t keyframes_requested;
  /* Feedback from the endpoint, and the getStats bitrate state. */
  uint64_t nack_count, nack_packet_count, pli_count, fir_count;
  uint64_t stats_bytes;
  int64_t stats_ms;
  braid_pipe_consumer_t *pipe; /* owned: the pipe half of a "pipe" consumer; NULL otherwise */
  /* Its share of the transport's estimated bandwidth (transport_bwe.h). */
  uint8_t priority;      /* 1..255 (setPriority), 1 by default */
  uint32_t bwe_allotted; /* scratch of the last distribution, bps */
};

/* Creates a consumer of producer p on transport t from a consumer.create
 * command ("type" "pipe": a pipe consumer, whose "ssrc" may be 0 and whose
 * "rtx_ssrc" is 0 or its first stream's RTX SSRC, stream i having
 * rtx_ssrc + i; its streams' mapped and RTX SSRCs are what it registers).
 * Which transport may take which type is the caller's to check
 * (media_handlers.c). Returns 0, or BRAID_EEXIST / BRAID_EINVAL with *why. */
int braid_consumer_new(braid_consumer_t **out, braid_transport_t *t, braid_producer_t *p,
                       const braid_cmd_consumer_create_t *c, const char **why);
/* Unlinks (transport, producer, SSRC table, md->consumers) and frees. */
void braid_consumer_close(braid_consumer_t *c);

/* A packet of its producer. */
void braid_consumer_send(braid_consumer_t *c, const braid_rtp_fwd_t *fwd);

void braid_consumer_set_paused(braid_consumer_t *c, bool paused);
void braid_consumer_set_producer_paused(braid_consumer_t *c, bool paused);
/* The transport became (un)able to send. */
void braid_consumer_on_transport_connected(braid_consumer_t *c, bool connected);
/* The endpoint asked for a key frame (requestKeyFrame(); a pipe consumer:
 * of every stream). */
void braid_consumer_request_keyframe(braid_consumer_t *c);
/* A PLI or FIR naming media SSRC ssrc (braid_consumer_is_media_ssrc()). */
void braid_consumer_on_keyframe_request(braid_consumer_t *c, uint32_t ssrc);

/* Whether ssrc is one of the media SSRCs the consumer sends (its SSRC; a
 * pipe consumer's streams' mapped SSRCs), which RTCP feedback and reports
 * are about (its RTX SSRC is not). */
bool braid_consumer_is_media_ssrc(const braid_consumer_t *c, uint32_t ssrc);

/* setPreferredLayers (consumer.set_layers): spatial >= 0, temporal -1 for
 * the highest; clamped to what the producer declares. A simulcast or SVC
 * consumer re-selects (and may ask for a key frame); a simple one clamps
 * to its one stream; a pipe ignores it (mediasoup: a no-op). */
void braid_consumer_set_preferred_layers(braid_consumer_t *c, int spatial, int temporal);

/* Bandwidth (transport_bwe.h). The desired bitrate is what the consumer
 * would send unconstrained, in bps, from its producer's bitrates measured
 * at the last report interval (braid_producer_update_scores()): 0 while it
 * sends nothing (paused, its producer paused, transport not connected) or
 * before the first measurement; audio and simple video: their stream's
 * bitrate; simulcast: the highest bitrate of the streams up to the
 * preferred spatial layer; SVC: the sum over the layer frames the
 * preferred layers need (svc_selector.h); a pipe: its streams' sum.
 * The available bitrate is the budget it may use (UINT32_MAX: none): a
 * simulcast or SVC consumer switches to the highest layers that fit
 * (simulcast_selector.h, svc_selector.h); it changes nothing for the
 * others. Layer changes it causes are published before it returns. */
uint32_t braid_consumer_desired_bitrate(const braid_consumer_t *c);
void braid_consumer_set_available_bitrate(braid_consumer_t *c, uint32_t bps);
/* setPriority: its weight when the bandwidth is shared (1..255). */
void braid_consumer_set_priority(braid_consumer_t *c, uint8_t priority);

/* Once per report interval: a consumer still waiting for the key frame
 * of the stream it switches to asks for it again, and publishes a
 * consumer.score that is due and any queued consumer.layers. */
void braid_consumer_on_tick(braid_consumer_t *c, int64_t now_ms);

/* From its producer (producer.c): the score (0..10, 0 = inactive) of
 * producer stream `stream` changed; its streams' scores changed (a
 * consumer.score is due); its bitrates were measured again (simulcast
 * stream bitrates, SVC layer bitrates: the selectors' inputs). Layer
 * changes they cause are queued, not published (they may come from the
 * per-packet path): the producer calls braid_consumer_flush_events(). */
void braid_consumer_set_stream_score(braid_consumer_t *c, unsigned stream, uint8_t score);
void braid_consumer_on_producer_scores(braid_consumer_t *c);
void braid_consumer_on_producer_bitrates(braid_consumer_t *c);

/* Publishes the queued consumer.layers events (none for a pipe, a simple
 * consumer or while nothing is queued). Never call it on the per-packet
 * path. */
void braid_consumer_flush_events(braid_consumer_t *c);

/* The producer stream whose packets it sends now (a simulcast consumer's
 * current stream; 0 for the others, and before anything is sent). */
unsigned braid_consumer_current_stream(const braid_consumer_t *c);

/* RTCP from the endpoint about this consumer's media SSRC ssrc (a NACK),
 * or blk->ssrc (a report block). */
void braid_consumer_on_nack(braid_consumer_t *c, uint32_t ssrc, const uint16_t *seqs, size_t n,
                            int64_t now_ms);
void braid_consumer_on_report(braid_consumer_t *c, const braid_rtcp_report_block_t *blk,
                              uint64_t ntp_now);

/* Appends this consumer's SR and SDES to a compound being built; returns
 * 0, or BRAID_ESTATE when nothing was sent yet (no SR due), BRAID_ELIMIT
 * when it does not fit. */
struct braid_rtcp_builder;
int braid_consumer_add_sr(braid_consumer_t *c, struct braid_rtcp_builder *b, int64_t now_ms,
                          uint64_t ntp_now);

/* Internal to mediad/rtc (consumer.c, pipe_consumer.c): rebuilds the
 * producer packet pkt (its extensions ext in the producer's ids) into c's
 * transport's send buffer with SSRC ssrc, payload type pt, sequence number
 * seq and timestamp ts, and a new extension block in c's ids (MID,
 * abs-send-time and transport-wide number fresh when c has their ids, the
 * producer's audio level, orientation, toffset, capture time and playout
 * delay copied). Returns 0 with *len (c->tx_buf / c->tx_cap hold the
 * buffer), or an error: nothing to send (no buffer, or it does not fit). */
int braid__consumer_build(braid_consumer_t *c, const braid_rtp_packet_t *pkt,
                          const braid_rtp_ext_t *ext, uint32_t ssrc, uint8_t pt, uint16_t seq,
                          uint32_t ts, int64_t now_ms, size_t *len);

#endif
