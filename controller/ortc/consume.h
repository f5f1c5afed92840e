/*
 * A consumer's rtpParameters, decided the way mediasoup 3.27.1's
 * Transport.consume() decides them before it asks the worker
 * (node/src/Transport.ts; shared/docs/mediasoup-protocol.md section 4.7):
 * the client's rtpCapabilities are validated on a copy, enableRtx
 * defaults to `kind === 'video'`, getConsumerRtpParameters() runs
 * (consumer.h), and a non-pipe consumer gets its mid.
 *
 * The caller checks producerId and appData first, looks the producer up
 * (passing NULL when it is unknown, so that the caps error, which mediasoup
 * raises first, still wins), sets the consumer type (the producer's, or
 * "pipe") and stores the transport's MID counter when it moved.
 */
#ifndef BRAID_CONTROLLER_ORTC_CONSUME_H
#define BRAID_CONTROLLER_ORTC_CONSUME_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "controller/ortc/transport.h"

/* enable_rtx values of braid_ortc_consume(). */
#define BRAID_ORTC_RTX_DEFAULT (-1) /* video: on, audio: off (mediasoup's default) */
#define BRAID_ORTC_RTX_OFF     0
#define BRAID_ORTC_RTX_ON      1

typedef struct braid_ortc_consume_req {
  const char *producer_id;        /* borrowed: for the not-found message */
  const json_t *consumable;       /* borrowed: the producer's consumableRtpParameters, or NULL
                                     when no such producer exists */
  const char *kind;               /* borrowed: the producer's kind, "audio" or "video" */
  const json_t *rtp_capabilities; /* borrowed: the client's rtpCapabilities (NULL: undefined) */
  const char *mid;                /* borrowed: the consumer mid, or NULL/"" for the next one */
  int enable_rtx;                 /* BRAID_ORTC_RTX_* */
  bool pipe;                      /* consume({pipe: true}): every encoding, no mid */
  uint32_t random_ssrc;           /* mediasoup's first randomInt(1e8, 999999999) draw */
  uint32_t random_rtx_ssrc;       /* its second draw (pipe only) */
} braid_ortc_consume_req_t;

/*
 * Computes the consumer's rtpParameters on transport t:
 *   1. a copy of rtp_capabilities is validated (rtp_params.h);
 *   2. no consumable: BRAID_ENOTFOUND, 'Producer with id "ID" not found';
 *   3. getConsumerRtpParameters() (consumer.h), e.g. "no compatible media
 *      codecs";
 *   4. not pipe: mid = req->mid when non-empty, else the transport's next
 *      MID (transport.h; *mid_advanced, which may be NULL, then tells the
 *      caller to store t). The key is appended last, after rtcp and msid,
 *      as in mediasoup.
 *
 * Returns 0 with *rtp_parameters_out owned by the caller; BRAID_EINVAL or
 * BRAID_ENOTFOUND with mediasoup's message in err (NUL-terminated,
 * truncated to errlen; NULL if errlen is 0); BRAID_ENOMEM.
 * *rtp_parameters_out is NULL on error and t is unchanged.
 */
int braid_ortc_consume(braid_ortc_transport_t *t, const braid_ortc_consume_req_t *req,
                       json_t **rtp_parameters_out, bool *mid_advanced, char *err, size_t errlen);

#endif
