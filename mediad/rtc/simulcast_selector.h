/*
 * Layer selection of one simulcast consumer (mediasoup's SimulcastConsumer
 * layer logic, written from scratch): which of the producer's N streams
 * (spatial layers, encodings 0 = lowest) and which temporal layers are
 * forwarded.
 *
 * Three pairs of layers:
 *   - preferred: what the consumer asked for (setPreferredLayers); default
 *     the highest spatial and temporal layer, clamped to what exists;
 *   - target: what should be sent now. The target spatial layer is the
 *     highest active stream (score > 0) not above the preferred one, or,
 *     when none is, the lowest active stream above it; and, when an
 *     available bitrate is set, no stream above the highest whose bitrate
 *     fits (the lowest active stream is always allowed). The target
 *     temporal layer is the preferred one when the target spatial layer is
 *     the preferred one, the highest below it, 0 above it;
 *   - current: what is being sent. A spatial switch happens only at a key
 *     frame of the target stream; until then the current stream goes on.
 *     A key frame is requested from the target stream whenever the target
 *     spatial layer differs from the current one. Temporal layers above the
 *     target are dropped at once; moving up a temporal layer waits for a
 *     packet of that layer with the layer sync flag (VP8 Y, VP9 U) or a key
 *     frame.
 *
 * braid_simulcast_selector_input() classifies each packet of the producer
 * (the temporal id comes from the wire layer's codec inspection; a stream
 * without temporal ids is treated as layer 0):
 *
 *   BRAID_SIMULCAST_FORWARD       forward through the seq rewriter;
 *   BRAID_SIMULCAST_FORWARD_SYNC  the first packet after a switch or a
 *                                 resume (a key frame): braid_seq_rewriter_sync()
 *                                 then forward;
 *   BRAID_SIMULCAST_DROP          drop a packet of the current stream
 *                                 (temporal layer above the target, padding
 *                                 only): braid_seq_rewriter_drop() it so the
 *                                 output has no hole;
 *   BRAID_SIMULCAST_IGNORE        drop a packet of another stream, or
 *                                 anything while inactive: leave the seq
 *                                 rewriter alone.
 *
 * Events go to callbacks (may be NULL): on_layers when the current layers
 * change (-1/-1: nothing is sent; mediasoup's layerschange), on_keyframe
 * when a key frame of a stream must be requested from the producer
 * (through its keyframe_requester). Callbacks run synchronously inside
 * the call that caused them and must not call back into the selector.
 *
 * Sans-I/O, embedded struct, no allocation, no logging. Per packet: a few
 * comparisons.
 */
#ifndef BRAID_MEDIAD_RTC_SIMULCAST_SELECTOR_H
#define BRAID_MEDIAD_RTC_SIMULCAST_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "mediad/wire/rtp_codec.h"

#define BRAID_SIMULCAST_MAX_STREAMS 4  /* spatial layers (= BRAID_RTP_LISTENER_MAX_ENCODINGS) */
#define BRAID_SIMULCAST_MAX_TEMPORAL 8 /* temporal layers */
#define BRAID_SIMULCAST_UNLIMITED UINT32_MAX

typedef enum braid_simulcast_action {
  BRAID_SIMULCAST_FORWARD = 0,
  BRAID_SIMULCAST_FORWARD_SYNC = 1,
  BRAID_SIMULCAST_DROP = 2,
  BRAID_SIMULCAST_IGNORE = 3,
} braid_simulcast_action_t;

struct braid_simulcast_selector;

typedef struct braid_simulcast_callbacks {
  /* The current layers changed; spatial and temporal are -1 when nothing
   * is being sent. */
  void (*on_layers)(struct braid_simulcast_selector *sel, int spatial, int temporal,
                    void *user_data);
  /* Ask the producer for a key frame on stream (an encoding index). */
  void (*on_keyframe)(struct braid_simulcast_selector *sel, unsigned stream, void *user_data);
} braid_simulcast_callbacks_t;

typedef struct braid_simulcast_selector {
  const braid_simulcast_callbacks_t *cb; /* borrowed: must outlive the selector; may be NULL */
  void *user_data;                       /* borrowed, given to the callbacks */
  uint8_t n_streams, n_temporal;
  int8_t pref_s, pref_t;     /* preferred layers */
  int8_t target_s, target_t; /* target layers; -1 = none */
  int8_t cur_s, cur_t;       /* current layers; -1 = none */
  bool active;               /* consumer and producer resumed, transport connected */
  bool sync_required;        /* the next forwarded packet must be a key frame and re-sync */
  uint8_t score[BRAID_SIMULCAST_MAX_STREAMS]; /* producer stream scores; 0 = inactive */
  uint32_t bitrate[BRAID_SIMULCAST_MAX_STREAMS]; /* stream bitrates (bps), for the budget */
  uint32_t available_bps;    /* BRAID_SIMULCAST_UNLIMITED by default */
} braid_simulcast_selector_t;

/*
 * Initialises sel for n_streams (1..BRAID_SIMULCAST_MAX_STREAMS) streams
 * of n_temporal (1..BRAID_SIMULCAST_MAX_TEMPORAL) temporal layers each.
 * The selector starts inactive, with every stream's score 0 and the
 * highest layers preferred. cb and user_data as described above. Returns
 * 0 or BRAID_EINVAL.
 */
int braid_simulcast_selector_init(braid_simulcast_selector_t *sel, unsigned n_streams,
                                  unsigned n_temporal, const braid_simulcast_callbacks_t *cb,
                                  void *user_data);

/* Sets the preferred layers (temporal < 0: the highest), clamped to what
 * exists, and re-selects. Returns 0 or BRAID_EINVAL (spatial < 0). */
int braid_simulcast_selector_set_preferred(braid_simulcast_selector_t *sel, int spatial,
                                           int temporal);

/* Starts (resume, transport connected) or stops (pause, disconnect)
 * sending. Starting requires a key frame and re-selects; stopping clears
 * the target and current layers. */
void braid_simulcast_selector_set_active(braid_simulcast_selector_t *sel, bool active);

/* The score (0..10) of a producer stream changed; 0 means inactive. */
void braid_simulcast_selector_set_stream_score(braid_simulcast_selector_t *sel, unsigned stream,
                                               uint8_t score);

/* Bitrate of a producer stream (bps), used when a budget is set. */
void braid_simulcast_selector_set_stream_bitrate(braid_simulcast_selector_t *sel,
                                                 unsigned stream, uint32_t bps);

/* The bitrate this consumer may use (bps); BRAID_SIMULCAST_UNLIMITED (the
 * default) disables the budget. Bandwidth estimation comes later. */
void braid_simulcast_selector_set_available_bitrate(braid_simulcast_selector_t *sel,
                                                    uint32_t bps);

/* The consumer's receiver asked for a key frame (PLI/FIR): requests one
 * from the current stream and from the target stream if it differs. */
void braid_simulcast_selector_request_keyframe(braid_simulcast_selector_t *sel);

/*
 * Classifies a packet of producer stream `stream` (an encoding index),
 * whose payload (payload_len bytes, padding excluded) was inspected into
 * *info by braid_rtp_codec_inspect(). Returns a braid_simulcast_action_t,
 * or BRAID_EINVAL when stream >= n_streams.
 */
int braid_simulcast_selector_input(braid_simulcast_selector_t *sel, unsigned stream,
                                   const braid_rtp_codec_info_t *info, size_t payload_len);

#endif
