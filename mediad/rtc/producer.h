/*
 * A producer of a media daemon (mediasoup's RTC::Producer): one track a
 * remote endpoint sends on a transport, in one or more encodings
 * (simulcast streams). It turns each packet into router form and hands it
 * to its consumers:
 *
 *   - RTX packets are unwrapped in place into the packet they repair, and
 *     go on only if that packet was missing (a sender's bandwidth probes
 *     are retransmissions of packets already received);
 *   - the client's payload type becomes the router's (mapped_pt), the
 *     encoding's SSRC the mapped SSRC (what consumers' RTCP talks about);
 *   - the codec payload is inspected once (key frame, temporal layer), so
 *     N consumers do not inspect it N times.
 *
 * It also answers for its streams towards the sender: receive statistics
 * and receiver reports, sender reports' NTP/RTP pairs, NACKs for lost
 * packets (nack_generator, when negotiated), and key frame requests (PLI
 * or FIR, merged by a keyframe_requester).
 *
 * Created and closed by producer.* commands (channel/media_handlers.c);
 * owned by its transport. Nothing here allocates or logs per packet.
 */
#ifndef BRAID_MEDIAD_RTC_PRODUCER_H
#define BRAID_MEDIAD_RTC_PRODUCER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/rtc/keyframe_requester.h"
#include "mediad/rtc/nack_generator.h"
#include "mediad/rtc/rtp_recv_stats.h"
#include "mediad/rtc/rtx_buffer.h"
#include "mediad/rtc/svc_selector.h"
#include "mediad/rtc/transport.h"
#include "mediad/wire/rtcp/report_block.h"
#include "mediad/wire/rtp_codec.h"
#include "mediad/wire/rtp_ext.h"
#include "mediad/wire/rtp_packet.h"
#include "proto/producer.h"

/* One packet on its way from a producer to its consumers. */
typedef struct braid_rtp_fwd {
  const braid_rtp_packet_t *pkt;  /* the received packet (client PT and SSRC) */
  const braid_rtp_ext_t *ext;     /* its extensions, client ids (producer->ext) */
  braid_rtp_codec_info_t info;    /* the payload inspected */
  uint8_t encoding;               /* index of its stream */
  uint8_t mapped_pt;              /* router payload type */
  int64_t now_ms;
} braid_rtp_fwd_t;

typedef struct braid_producer_stream {
  uint32_t ssrc;        /* media SSRC (signalled, or learned from the first packet) */
  uint32_t rtx_ssrc;    /* 0 when unknown */
  uint32_t mapped_ssrc; /* router-side SSRC */
  char rid[BRAID_MID_MAX + 1];
  uint8_t temporal_layers;
  uint8_t spatial_layers; /* of an SVC stream (scalabilityMode L<s>), else 1 */
  bool ksvc;              /* its scalabilityMode ends in _KEY */
  bool active;          /* a packet arrived */
  braid_rtp_recv_stats_t recv;
  braid_nack_generator_t *nack; /* owned; NULL when NACK is not negotiated */
  braid_rtx_buffer_t *store;    /* owned: the stream's recent packets, which its consumers
                                   rebuild to answer NACKs (one copy per fan-out);
                                   always there: consumers negotiate NACK on
                                   their own (opus without the producer's) */
  uint64_t nack_count, nack_packet_count; /* NACKs sent to the endpoint */
  uint64_t stats_bytes;  /* byte count at the last getStats (bitrate) */
  int64_t stats_ms;
  /* Bytes of its media packets (RTX and padding-only excluded) by spatial
   * and temporal id (0 when the payload has none; the top cell takes
   * higher ids), and what they gave at the last report interval: the
   * bitrate of each layer and of the whole stream, in bps
   * (braid_producer_update_scores()). */
  uint64_t layer_bytes[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL];
  uint64_t layer_bytes_prior[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL];
  uint32_t layer_bps[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL];
  uint32_t bitrate;
} braid_producer_stream_t;

struct braid_producer {
  char id[BRAID_ID_MAX + 1];
  braid_transport_t *transport;    /* borrowed: the owner */
  braid_producer_t *next;          /* the transport's list */
  bool video;
  bool paused;
  char type[16];                   /* "simple", "simulcast", "svc" */
  braid_rtp_codec_t codec;         /* of the first media codec */
  char mime[BRAID_MIME_MAX + 1];   /* its MIME type, e.g. "video/VP8" */
  uint32_t fb;                     /* BRAID_FB_* */
  char cname[BRAID_CNAME_MAX + 1];
  braid_rtp_ext_ids_t ext;         /* client ids */
  size_t ncodecs;
  struct {
    uint8_t pt, mapped_pt, apt; /* apt != 0 (or rtx) for RTX */
    bool rtx;
    uint32_t clock_rate;
  } codecs[BRAID_MAX_CODECS];
  size_t nstreams;
  braid_producer_stream_t streams[BRAID_MAX_ENCODINGS];
  braid_keyframe_requester_t kfr;
  braid_consumer_t *consumers;     /* borrowed list (consumer->producer_next) */
  size_t pipe_consumers;           /* how many of them are pipe consumers */
  uint64_t rx_packets;             /* media packets forwarded to consumers */
  unsigned score_ticks;            /* report intervals since the last producer.score event */
  bool bitrates_measured;          /* the streams' bitrates hold a measurement */
  int64_t bitrate_ms;              /* when the layer byte counts were last read (0: never) */
  bool consumer_events;            /* a consumer queued events: the next timeout is now and
                                    * publishes them (consumer.h) */
  struct braid_audio_level_slot *level_slot; /* owned by its router's audio level observer;
                                              * NULL when not measured (router_speakers.h) */
};

/* Creates a producer on t from a producer.create command. Returns 0, or
 * BRAID_EEXIST (the id is taken), BRAID_EINVAL or BRAID_ELIMIT with *why
 * (static) saying what was wrong. */
int braid_producer_new(braid_producer_t **out, braid_transport_t *t,
                       const braid_cmd_producer_create_t *c, const char **why);
/* Closes the producer and its consumers (on any transport), unregisters it
 * and frees it. */
void braid_producer_close(braid_producer_t *p);

/* A packet the transport's listener found for stream m->encoding (RTX when
 * m->rtx). data/len are ours to modify (RTX is unwrapped in place). While
 * the producer is paused only its pipe consumers get it (and its store,
 * which they resend from, keeps it), as pipe_consumer.h says. */
void braid_producer_receive(braid_producer_t *p, uint8_t *data, size_t len,
                            braid_rtp_packet_t *pkt, const braid_rtp_ext_t *ext,
                            const braid_rtp_listener_match_t *m, int64_t now_ms);

void braid_producer_set_paused(braid_producer_t *p, bool paused);

/* A consumer needs a key frame of stream `encoding`: asks the sender
 * (merged and retried by the keyframe requester). */
void braid_producer_request_keyframe(braid_producer_t *p, unsigned encoding, int64_t now_ms);

/* A sender report about one of the streams (media SSRC). */
void braid_producer_on_sr(braid_producer_t *p, uint32_t ssrc, uint64_t ntp, uint32_t rtp_ts,
                          int64_t now_ms);

/* Receiver report blocks for the active streams, at most cap. */
size_t braid_producer_report_blocks(braid_producer_t *p, int64_t now_ms,
                                    braid_rtcp_report_block_t *out, size_t cap);

/* After a report interval: updates the streams' scores and publishes a
 * producer.score event when they changed (or were never published), and
 * measures the streams' bitrates (per layer) over the interval; both go
 * to its consumers' selectors. */
void braid_producer_update_scores(braid_producer_t *p);
void braid_producer_publish_score(braid_producer_t *p);

/* Key frame request retries that are due, and its consumers' queued
 * events; the earliest next deadline (now while events are queued). */
void braid_producer_on_timeout(braid_producer_t *p, int64_t now_ms);
int64_t braid_producer_next_timeout(const braid_producer_t *p);

/* The router payload type of the client's media payload type pt, or -1. */
int braid_producer_mapped_pt(const braid_producer_t *p, uint8_t pt);

/* The clock rate of the media codec mapped to router payload type pt
 * (0 when unknown). */
uint32_t braid_producer_clock_rate(const braid_producer_t *p, uint8_t mapped_pt);

#endif
