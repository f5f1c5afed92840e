/*
 * The pipe half of a consumer of type "pipe" (mediasoup's PipeConsumer,
 * shared/docs/mediasoup-protocol.md §6): a producer carried whole over a
 * pipe transport to another media daemon, where a piped producer of the
 * same id (proto/producer.h) feeds that daemon's consumers, or the next
 * pipe of a relay tree (origin -> relay -> edge).
 *
 * The consumer (consumer.h) keeps what every consumer has (its lists,
 * md->consumers, pause, close, the feedback counters); this half does what
 * a pipe does differently from consumer.c's selector and rewriter:
 *
 *   - every encoding of the producer is forwarded, each packet with SSRC =
 *     that stream's mapped SSRC, the router payload type, and its original
 *     sequence number and timestamp: no layer selection, no key frame
 *     wait, no rewriting, padding-only packets included (a hole would be
 *     NACKed in vain); header extensions are copied under the router ids
 *     of consumer.create as consumer.c does. It forwards while the
 *     producer is paused: the controller pauses the far side's piped
 *     producer, and packets that keep flowing leave no sequence gap there
 *     to NACK when it resumes.
 *   - a NACK naming a mapped SSRC is answered from the producer stream's
 *     store (rtx_buffer.h, by the original sequence number): the packet
 *     rebuilt as it was first sent, at most BRAID_PIPE_CONSUMER_MAX_RESENDS
 *     times and not twice within an RTT. Without RTX (consumer.create's
 *     "rtx_ssrc" 0) it goes again unchanged (same SSRC, sequence number
 *     and payload type); with RTX (mediasoup's PipeConsumer with
 *     enableRtx) stream i has RTX SSRC rtx_ssrc + i, and the packet goes
 *     RFC 4588-wrapped: that SSRC, the rtx_pt of the consumer codec whose
 *     pt is the packet's router payload type, the stream's own RTX
 *     sequence number (from a random start), the original one (OSN)
 *     first. A codec without an rtx_pt is resent unchanged. The far
 *     side's piped producer lists rtx_ssrc + i as encoding i's RTX SSRC
 *     and the RTX codec (router RTX PT, apt the router media PT), and
 *     unwraps them into its stream.
 *   - a PLI or FIR naming a mapped SSRC asks the producer for a key frame
 *     of that stream (braid_producer_request_keyframe(), whose requester
 *     merges what is still outstanding), at most once per stream per
 *     BRAID_PIPE_CONSUMER_KEYFRAME_INTERVAL_MS; a request inside that
 *     interval is kept and sent when it ends (with the stream's next packet,
 *     or on the consumer's next report tick), so none is lost and the
 *     origin's sender is never asked more often than that per pipe.
 *   - receiver reports naming a mapped SSRC update that stream's send
 *     statistics (loss, score, RTT).
 *   - every report interval, an SR per stream: the producer's last sender
 *     report for that stream as it came (its NTP and RTP timestamps mean
 *     the same here, since the timestamps are unchanged), with the pipe's
 *     packet and octet counts, plus SDES CNAME; a stream whose sender sent
 *     no SR yet gets none (an SR of our clock next to the sender's ones of
 *     other streams would break their lip sync on the far side). The RTT
 *     of a report block is the time since we sent the SR it names (not
 *     the origin's clock, which the NTP value is).
 *
 * Owned by its consumer (braid_consumer_t.pipe); nothing here allocates or
 * logs per packet.
 */
#ifndef BRAID_MEDIAD_RTC_PIPE_CONSUMER_H
#define BRAID_MEDIAD_RTC_PIPE_CONSUMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/rtc/producer.h"
#include "mediad/rtc/rtp_send_stats.h"
#include "mediad/wire/rtcp/report_block.h"

/* Key frame requests forwarded to the producer per stream: at most one per
 * this many ms (mediasoup's own requester waits 1000 ms for an answer;
 * this only keeps a far side that asks often from reaching the sender
 * more than ~2.5 times a second). */
#define BRAID_PIPE_CONSUMER_KEYFRAME_INTERVAL_MS 400
/* Resends of one packet (as consumer.c). */
#define BRAID_PIPE_CONSUMER_MAX_RESENDS 5
/* Resend records per stream, by sequence number (the producer's store
 * keeps 1024 video / 256 audio packets). */
#define BRAID_PIPE_CONSUMER_RESEND_VIDEO 1024
#define BRAID_PIPE_CONSUMER_RESEND_AUDIO 256

struct braid_rtcp_builder;

/* What was resent of one sequence number. */
typedef struct braid_pipe_resend {
  uint16_t seq;
  uint8_t resends;
  bool valid;
  int64_t resent_ms;
} braid_pipe_resend_t;

/* One forwarded stream: encoding i of the producer. */
typedef struct braid_pipe_stream {
  uint32_t ssrc;                /* the producer stream's mapped SSRC */
  uint32_t rtx_ssrc;            /* its RTX SSRC; 0: resent unchanged */
  uint16_t rtx_seq;             /* next RTX sequence number */
  braid_rtp_send_stats_t send;  /* what went over the pipe on it */
  braid_pipe_resend_t *resends; /* borrowed slice of the consumer's table; NULL without NACK */
  uint64_t resent, repaired;    /* packets resent; resent for the first time */
  uint64_t nack_count, nack_packet_count, keyframe_requests; /* from the far side */
  uint64_t keyframes_forwarded; /* key frame requests made to the producer */
  int64_t keyframe_ms;          /* when the last one was made (0: never) */
  bool keyframe_deferred;       /* one arrived inside the interval: make it when it ends */
  uint32_t sr_lsr;              /* middle 32 bits of the NTP time of the last SR sent */
  int64_t sr_sent_ms;           /* when it was sent (0: none yet) */
  uint64_t stats_bytes;         /* getStats bitrate state */
  int64_t stats_ms;
} braid_pipe_stream_t;

typedef struct braid_pipe_consumer {
  bool active;                       /* not paused, and the transport can send */
  bool video;                        /* key frame requests are meaningful */
  size_t nstreams;                   /* the producer's encodings */
  size_t resend_n;                   /* records per stream, a power of two */
  braid_pipe_resend_t *resend_table; /* owned: nstreams * resend_n; NULL without NACK */
  braid_pipe_stream_t streams[BRAID_MAX_ENCODINGS];
} braid_pipe_consumer_t;

/* Makes the pipe half of a consumer of producer p whose output clock is
 * clock_rate; nack: the pipe negotiated NACK (resend records are kept only
 * then, and only when p has a store); rtx_ssrc: stream i's RTX SSRC is
 * rtx_ssrc + i (the caller checked the range is free and does not wrap),
 * 0 for none. Aborts on out of memory, as mediad does. */
braid_pipe_consumer_t *braid_pipe_consumer_new(const braid_producer_t *p, uint32_t clock_rate,
                                               bool nack, uint32_t rtx_ssrc);
/* NULL is a no-op. */
void braid_pipe_consumer_free(braid_pipe_consumer_t *pc);

/* The stream whose mapped SSRC is ssrc, or -1. */
int braid_pipe_consumer_stream_of(const braid_pipe_consumer_t *pc, uint32_t ssrc);

/* Whether it forwards now (the consumer is not paused and its transport
 * connected). Forgets the resend records when it stops. */
void braid_pipe_consumer_set_active(braid_pipe_consumer_t *pc, bool active);

/* The calls consumer.c dispatches to for a pipe consumer c (c->pipe not
 * NULL); they read the producer and send on c's transport. */

/* A packet of the producer: forwarded as it is (see above). */
void braid_pipe_consumer_send(braid_consumer_t *c, const braid_rtp_fwd_t *fwd);
/* A key frame request for stream (or every stream: -1) from the far side
 * or the controller, rate-limited as above. */
void braid_pipe_consumer_request_keyframe(braid_consumer_t *c, int stream, int64_t now_ms);
/* Makes the deferred key frame requests whose interval ended. */
void braid_pipe_consumer_on_tick(braid_consumer_t *c, int64_t now_ms);
/* A NACK about stream's SSRC: resends what the producer's store still
 * has (RTX-wrapped when the stream has an RTX SSRC, see above). */
void braid_pipe_consumer_on_nack(braid_consumer_t *c, unsigned stream, const uint16_t *seqs,
                                 size_t n, int64_t now_ms);
/* A report block about stream's SSRC, received at ntp_now / now_ms. */
void braid_pipe_consumer_on_report(braid_consumer_t *c, unsigned stream,
                                   const braid_rtcp_report_block_t *blk, uint64_t ntp_now,
                                   int64_t now_ms);
/* Appends an SR and an SDES CNAME per stream that has both something sent
 * and a sender report of the producer. Returns 0, BRAID_ESTATE (none
 * has), or BRAID_ELIMIT (nothing fits; what fitted stays). */
int braid_pipe_consumer_add_sr(braid_consumer_t *c, struct braid_rtcp_builder *b, int64_t now_ms,
                               uint64_t ntp_now);

#endif
