/*
 * Layer selection of one SVC consumer (mediasoup's SvcConsumer and the
 * VP9 encoding context it drives, written from scratch): which spatial and
 * temporal layers of the producer's one stream are forwarded.
 *
 * An SVC stream (VP9 with a scalabilityMode such as L3T3 or L3T3_KEY)
 * carries every layer in one RTP stream: each packet belongs to one layer
 * frame, named by its spatial id (sid) and temporal id (tid). A picture is
 * sent lowest spatial layer first; all its layer frames share the RTP
 * timestamp, and the sender sets the marker bit on the last packet of the
 * highest spatial layer. Two kinds of spatial scalability exist:
 *
 *   - full SVC (L<s>T<t>): an upper layer frame is predicted from the lower
 *     layers of its own picture on every picture. Sending spatial layer s
 *     means sending every layer frame with sid <= s;
 *   - K-SVC (L<s>T<t>_KEY): the layers depend on each other only at key
 *     frames; afterwards each spatial layer is predicted from its own past
 *     only. Sending spatial layer s means the key frame's layer frames with
 *     sid <= s (which carry no inter-picture prediction, the P bit clear)
 *     and afterwards only the layer frames of sid == s.
 *
 * Temporal layer t means the layer frames with tid <= t (of the spatial
 * layers above).
 *
 * Three pairs of layers, as in simulcast_selector.h:
 *   - preferred: what the consumer asked for (setPreferredLayers); default
 *     the highest spatial and temporal layer; clamped to the layers the
 *     producer's scalabilityMode declares;
 *   - target: what should be sent now. The target spatial layer is the
 *     lowest active layer at or above the preferred one, or, when none is,
 *     the highest active layer below it (mediasoup's walk); a layer is
 *     active while it has bitrate (braid_svc_selector_set_layer_bitrates();
 *     before the first measurement every declared layer counts as active)
 *     and the last VP9 scalability structure seen (a sender announces it
 *     at key frames and when it adds or drops layers) includes it; none is
 *     while the stream's score is 0. With an available bitrate
 *     set, no spatial layer above the highest whose cumulative bitrate (every
 *     layer frame it needs: sid <= s, tid <= its target temporal layer) fits
 *     is chosen; the lowest active layer is always allowed. The target
 *     temporal layer is the preferred one at the preferred spatial layer,
 *     the highest below it and 0 above it;
 *   - current: what is being sent, which moves towards the target only where
 *     the decoder can follow:
 *       spatial up      at a key frame (in both kinds, as mediasoup does: a
 *                       full-SVC upper layer frame is predicted from its own
 *                       past, which the receiver never got), which is
 *                       requested when the target spatial layer rises;
 *       spatial down    K-SVC: at a key frame (requested); full SVC: at the
 *                       end (E bit) of the target layer's frame of the next
 *                       picture, whose upper layers are then dropped;
 *       temporal up     at the first packet (B bit) of a layer frame of a
 *                       higher temporal layer (up to the target) that is a
 *                       switching-up point (U bit), or at a key frame;
 *       temporal down   at the end (E bit) of a layer frame of the target
 *                       temporal layer.
 *     At a key frame (a start, or a switch there) the current temporal
 *     layer starts again at 0 and climbs from there.
 *
 * braid_svc_selector_input() classifies each packet of the stream, like
 * braid_simulcast_selector_input():
 *
 *   BRAID_SVC_FORWARD       forward through the seq rewriter;
 *   BRAID_SVC_FORWARD_SYNC  the first packet after a (re)start (a key
 *                           frame): braid_seq_rewriter_sync() then forward;
 *   BRAID_SVC_DROP          a packet of a layer not sent (or padding only):
 *                           braid_seq_rewriter_drop() it, so that the output
 *                           sequence numbers stay continuous;
 *   BRAID_SVC_IGNORE        anything while inactive or before the first key
 *                           frame: leave the seq rewriter alone.
 *
 * and says whether a forwarded packet must carry the marker bit: the one
 * that ends (E bit) the layer frame of the current spatial layer, i.e. the
 * last packet of what the receiver gets of the picture. Without it a
 * receiver whose upper layers are dropped never sees a picture end
 * (Chromium then never completes the frame).
 *
 * Packets of a picture older than the newest one seen (VP9 PictureID; a
 * reordered or late packet) are filtered by the current layers but never
 * move them.
 *
 * Events go to callbacks (may be NULL): on_layers when the current layers
 * change (-1/-1: nothing is sent; mediasoup's layerschange), on_keyframe
 * when a key frame must be requested from the producer. Callbacks run
 * synchronously inside the call that caused them and must not call back
 * into the selector.
 *
 * Sans-I/O, embedded struct, no allocation, no logging. Per packet: a few
 * comparisons.
 */
#ifndef BRAID_MEDIAD_RTC_SVC_SELECTOR_H
#define BRAID_MEDIAD_RTC_SVC_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "mediad/wire/rtp_codec.h"

#define BRAID_SVC_MAX_SPATIAL  4 /* spatial layers (VP9 allows 8; WebRTC uses up to 3) */
#define BRAID_SVC_MAX_TEMPORAL 8 /* temporal layers (VP9's 3-bit TID) */
#define BRAID_SVC_UNLIMITED    UINT32_MAX

typedef enum braid_svc_action {
  BRAID_SVC_FORWARD = 0,
  BRAID_SVC_FORWARD_SYNC = 1,
  BRAID_SVC_DROP = 2,
  BRAID_SVC_IGNORE = 3,
} braid_svc_action_t;

struct braid_svc_selector;

typedef struct braid_svc_callbacks {
  /* The current layers changed; spatial and temporal are -1 when nothing
   * is being sent. */
  void (*on_layers)(struct braid_svc_selector *sel, int spatial, int temporal, void *user_data);
  /* Ask the producer for a key frame of the stream. */
  void (*on_keyframe)(struct braid_svc_selector *sel, void *user_data);
} braid_svc_callbacks_t;

typedef struct braid_svc_selector {
  const braid_svc_callbacks_t *cb; /* borrowed: must outlive the selector; may be NULL */
  void *user_data;                 /* borrowed, given to the callbacks */
  uint8_t n_spatial, n_temporal;   /* declared by the producer's scalabilityMode */
  bool ksvc;                       /* _KEY mode: spatial switches need a key frame */
  int8_t pref_s, pref_t;           /* preferred layers */
  int8_t target_s, target_t;       /* target layers; -1 = none */
  int8_t cur_s, cur_t;             /* current layers; -1 = none */
  bool active;                     /* consumer and producer resumed, transport connected */
  bool sync_required;              /* the next forwarded packet must be a key frame and re-sync */
  uint8_t score;                   /* the producer stream's score; 0 = inactive */
  bool measured;                   /* layer bitrates were given at least once */
  uint8_t ss_layers;               /* spatial layers of the last VP9 SS seen; 0: none yet */
  /* bps of the layer frames of each sid and tid (not summed over lower layers). */
  uint32_t bitrate[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL];
  uint32_t available_bps; /* BRAID_SVC_UNLIMITED by default */
  bool have_picture;      /* max_picture is valid */
  bool long_picture_id;   /* a 15-bit PictureID was seen (else 7 bits) */
  uint16_t max_picture;   /* newest VP9 PictureID seen */
} braid_svc_selector_t;

/*
 * Initialises sel for a stream of n_spatial (1..BRAID_SVC_MAX_SPATIAL)
 * spatial and n_temporal (1..BRAID_SVC_MAX_TEMPORAL) temporal layers, K-SVC
 * when ksvc. The selector starts inactive, with the stream's score 0 and
 * the highest layers preferred. cb and user_data as described above.
 * Returns 0 or BRAID_EINVAL.
 */
int braid_svc_selector_init(braid_svc_selector_t *sel, unsigned n_spatial, unsigned n_temporal,
                            bool ksvc, const braid_svc_callbacks_t *cb, void *user_data);

/* Sets the preferred layers (temporal < 0: the highest), clamped to what
 * exists, and re-selects. Returns 0 or BRAID_EINVAL (spatial < 0). */
int braid_svc_selector_set_preferred(braid_svc_selector_t *sel, int spatial, int temporal);

/* Starts (resume, transport connected) or stops (pause, disconnect)
 * sending. Starting requires a key frame and re-selects; stopping clears
 * the target and current layers. */
void braid_svc_selector_set_active(braid_svc_selector_t *sel, bool active);

/* The score (0..10) of the producer's stream changed; 0 means inactive. */
void braid_svc_selector_set_score(braid_svc_selector_t *sel, uint8_t score);

/* The measured bitrate (bps) of every layer frame kind: bps[s][t] for the
 * packets with sid s and tid t (not summed over lower layers); layers the
 * stream does not declare are ignored. Re-selects: a spatial layer without
 * bitrate is inactive from now on. */
void braid_svc_selector_set_layer_bitrates(
    braid_svc_selector_t *sel, const uint32_t bps[BRAID_SVC_MAX_SPATIAL][BRAID_SVC_MAX_TEMPORAL]);

/* The bitrate this consumer may use (bps); BRAID_SVC_UNLIMITED (the
 * default) disables the budget. */
void braid_svc_selector_set_available_bitrate(braid_svc_selector_t *sel, uint32_t bps);

/* What sending spatial layer `spatial` and temporal layer `temporal` costs
 * (bps): the sum of the measured bitrates of every layer frame with
 * sid <= spatial and tid <= temporal (0 before any measurement). */
uint32_t braid_svc_selector_layers_bitrate(const braid_svc_selector_t *sel, int spatial,
                                           int temporal);

/* The consumer's receiver asked for a key frame (PLI/FIR): requests one
 * from the producer when active. */
void braid_svc_selector_request_keyframe(braid_svc_selector_t *sel);

/* Whether the selector waits for a key frame it asked for (a start, or a
 * spatial switch that needs one): the caller asks again now and then. */
bool braid_svc_selector_waiting_keyframe(const braid_svc_selector_t *sel);

/*
 * Classifies a packet of the stream whose payload (payload_len bytes,
 * padding excluded) was inspected into *info by braid_rtp_codec_inspect();
 * *marker is set to true when the forwarded packet must carry the marker
 * bit (else false; the packet's own marker bit is kept either way).
 * Returns a braid_svc_action_t.
 */
int braid_svc_selector_input(braid_svc_selector_t *sel, const braid_rtp_codec_info_t *info,
                             size_t payload_len, bool *marker);

#endif
