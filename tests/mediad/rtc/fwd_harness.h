/*
 * Test harness for the forwarding path of mediad (transport.c, producer.c,
 * consumer.c, media_handlers.c), shared by forwarding_test.c and
 * forwarding_nack_test.c: a fake transport kind that captures every packet
 * its media half sends, in plaintext (no sockets, no SRTP); a "world" of
 * one mediad context with two such transports; producer.create and
 * consumer.create commands built by hand with Chrome's client extension
 * ids and mediasoup's router ids; the publisher's packets; and readers of
 * what was captured.
 *
 * Producers live on the "send" transport (the publisher), consumers on the
 * "recv" transport (the subscriber).
 *
 * Time: transport.c and consumer.c read the clock themselves, so
 * fwd_harness.c defines braid_clock_mono_ms() and braid_clock_wall_ms()
 * (common/clock.c is then not linked in) over fwd_now_ms, which the tests
 * move by hand. Compile fwd_harness.c into every test binary that
 * includes this header, exactly once: it is the one definition of the
 * clock in that binary.
 *
 * Every helper fails the running test (BRAID_TEST_FAIL, exit 1) when
 * something it needs does not work, so tests call them without checks.
 */
#ifndef BRAID_TESTS_MEDIAD_RTC_FWD_HARNESS_H
#define BRAID_TESTS_MEDIAD_RTC_FWD_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mediad/channel/media_handlers.h"
#include "mediad/rtc/consumer.h"
#include "mediad/rtc/producer.h"
#include "mediad/rtc/transport.h"
#include "mediad/wire/rtp_ext.h"
#include "mediad/wire/rtp_packet.h"

/* ---- the clock ----------------------------------------------------------- */

/* Monotonic time of the fake clock in ms (starts at 5,000,000); the wall
 * clock is a fixed offset from it. Tests assign or add to it. */
extern int64_t fwd_now_ms;

/* ---- constants ----------------------------------------------------------- */

#define AUDIO_SSRC     0x11110001u
#define VIDEO_SSRC     0x22220001u
#define VIDEO_RTX_SSRC 0x22220002u
#define REMOTE_SSRC    0x77770001u /* the subscriber's own RTCP sender SSRC */

/* Client payload types (Chrome) and router payload types (mapped). */
enum { PT_OPUS = 111, PT_VP8 = 96, PT_VP8_RTX = 97 };
enum { RPT_OPUS = 100, RPT_VP8 = 101, RPT_VP8_RTX = 102 };
/* Chrome's extension ids on the publishing side. */
enum { CX_AUDIO_LEVEL = 1, CX_ABS_SEND = 2, CX_TWCC = 3, CX_MID = 4, CX_RID = 10, CX_RRID = 11 };
/* mediasoup's router ids, written towards the subscriber. */
enum { RX_MID = 1, RX_ABS_SEND = 4, RX_TWCC = 5, RX_AUDIO_LEVEL = 10 };

/* The feedback both sides of a video stream negotiate. */
#define VIDEO_FB (BRAID_FB_NACK | BRAID_FB_PLI | BRAID_FB_FIR | BRAID_FB_TWCC)

/* ---- the fake transport kind --------------------------------------------- */

/* Packets one fake transport keeps; one more fails the test. */
#define FWD_MAX_CAPTURED 128

typedef struct fwd_captured {
  bool rtcp;
  size_t len;
  uint8_t data[1500];
} fwd_captured_t;

typedef struct fwd_transport {
  braid_transport_t media; /* first: the ops cast back */
  uint8_t tx[1500];        /* the one packet being built */
  size_t n;                /* packets captured, RTP and RTCP */
  fwd_captured_t out[FWD_MAX_CAPTURED];
} fwd_transport_t;

/* Captured packets of one kind (RTP or RTCP), and the idx-th of them
 * (fails the test when there is no such packet). */
size_t fwd_count(const fwd_transport_t *f, bool rtcp);
const fwd_captured_t *fwd_nth(const fwd_transport_t *f, bool rtcp, size_t idx);

/* An RTP packet the transport sent, parsed: views into f's capture. */
typedef struct fwd_rtp {
  braid_rtp_packet_t pkt;
  braid_rtp_ext_t ext;
  const uint8_t *payload;
} fwd_rtp_t;

fwd_rtp_t fwd_rtp_out(const fwd_transport_t *f, size_t idx);

/* PLIs about media_ssrc in all the RTCP the transport sent (every
 * producer here negotiates PLI, so key frame requests are PLIs). */
size_t fwd_keyframe_requests(const fwd_transport_t *f, uint32_t media_ssrc);

/*
 * Generic NACKs about media_ssrc in the RTCP the transport sent, from its
 * capture number `from` on (an index into f->out, RTP and RTCP alike, so
 * a test can look only at what came after a point). Returns how many there
 * are. The sequence numbers they name, expanded in order, go to
 * seqs[0..cap) (seqs may be NULL: then they are only counted) and their
 * number to *n_seqs (may be NULL). Fails the test if an RTCP feedback
 * packet of NACK type does not parse, or the NACKs name more than cap.
 */
size_t fwd_nacks(const fwd_transport_t *f, size_t from, uint32_t media_ssrc, uint16_t *seqs,
                 size_t cap, size_t *n_seqs);

/* ---- the daemon ---------------------------------------------------------- */

typedef struct fwd_world {
  braid_mediad_t md;
  fwd_transport_t *send; /* owned: the publisher's transport: producers */
  fwd_transport_t *recv; /* owned: the subscriber's transport: consumers */
} fwd_world_t;

/* Set before fwd_world_init(): the transports are of a kind with a
 * send-side bandwidth estimate (transport_bwe.h), as WebRTC ones. */
extern bool fwd_send_side_bwe;

/* A context with the two transports, both connected. */
void fwd_world_init(fwd_world_t *w);
/* Tears down both transports (the publisher's first, as when it leaves)
 * and checks that nothing is left registered. */
void fwd_world_cleanup(fwd_world_t *w);

/* producer.create as the controller sends it for Chrome: opus on
 * AUDIO_SSRC, or VP8 + RTX (one encoding on VIDEO_SSRC/VIDEO_RTX_SSRC,
 * or simulcast r0/r1/r2 without SSRCs). Video negotiates VIDEO_FB; tests
 * may change the command before fwd_add_producer_cmd(). The strings are
 * literals or borrow id. */
braid_cmd_producer_create_t fwd_producer_cmd(const char *id, bool video, bool simulcast);
/* Creates the producer of c (or fwd_producer_cmd()'s) on the send
 * transport; fails the test when it is refused. Owned by the transport. */
braid_producer_t *fwd_add_producer_cmd(fwd_world_t *w, const braid_cmd_producer_create_t *c);
braid_producer_t *fwd_add_producer(fwd_world_t *w, const char *id, bool video, bool simulcast);

/* consumer.create of producer p on the recv transport, with SSRC ssrc
 * (and ssrc + 1 for RTX when video). Owned by the transport. */
braid_consumer_t *fwd_add_consumer(fwd_world_t *w, const char *id, braid_producer_t *p,
                                   const char *mid, uint32_t ssrc, bool paused);

/* A producer.* / consumer.* reference command through media_handlers.c;
 * fails the test unless it succeeds with a reply. */
void fwd_ref_cmd(fwd_world_t *w, braid_cmd_type_t type, const char *id);

/* ---- the publisher's packets --------------------------------------------- */

/* Opus on AUDIO_SSRC with MID, audio level, abs-send-time and TWCC, as
 * Chrome sends it; the payload is 20 bytes of seq & 0xff. */
void fwd_send_opus(fwd_world_t *w, uint16_t seq, uint32_t ts, uint8_t level);

/* A VP8 payload (temporal layer 0) into pl (32 bytes are enough) that ends
 * with the byte tag, so the tests can tell which stream an output came
 * from; its length goes to *n. */
void fwd_vp8_payload(uint8_t *pl, size_t *n, bool key, uint8_t tag);

/* A VP8 packet (timestamp 90 * seq) with MID "1" and, when rid is not
 * NULL, that RID. */
void fwd_send_vp8(fwd_world_t *w, uint32_t ssrc, const char *rid, uint16_t seq, bool key,
                  uint8_t tag);

/* The RTX packet (RFC 4588) of what fwd_send_vp8() would send as osn: RTX
 * SSRC and payload type, sequence number rtx_seq, the original timestamp,
 * MID "1" and, when rrid is not NULL, that RRID; OSN then the payload. */
void fwd_send_vp8_rtx(fwd_world_t *w, uint32_t rtx_ssrc, const char *rrid, uint16_t rtx_seq,
                      uint16_t osn, bool key, uint8_t tag);

/* Checks that RTP outputs [from, to) of the recv transport are numbered
 * one after the other. */
void fwd_assert_seq_continuous(const fwd_world_t *w, size_t from, size_t to);

/* ---- the subscriber's feedback ------------------------------------------- */

typedef enum { FB_PLI, FB_FIR, FB_NACK } fwd_fb_kind_t;

/* An RTCP compound from the subscriber: an empty RR (its report) and one
 * feedback packet about media_ssrc (seq: the NACKed sequence number). */
void fwd_recv_feedback(fwd_world_t *w, fwd_fb_kind_t kind, uint32_t media_ssrc, uint16_t seq);

#endif
