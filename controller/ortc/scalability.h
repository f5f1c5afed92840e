/*
 * scalabilityMode strings ("L1T3", "L3T3_KEY", "S2T1"): the number of
 * spatial and temporal layers an encoding carries, as mediasoup 3.27.1
 * reads them (node/src/scalabilityModesUtils.ts, and the worker's
 * RtpEncodingParameters.cpp; shared/docs/mediasoup-protocol.md section
 * 4.9). W3C webrtc-svc names the modes; S and L are treated alike, and a
 * "_KEY" suffix marks K-SVC (a spatial switch needs a key frame).
 */
#ifndef BRAID_CONTROLLER_ORTC_SCALABILITY_H
#define BRAID_CONTROLLER_ORTC_SCALABILITY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct braid_ortc_scalability {
  int spatial_layers;  /* 1..99 */
  int temporal_layers; /* 1..99 */
  bool ksvc;
} braid_ortc_scalability_t;

/*
 * Reads mode (len bytes, may be NULL for an absent mode) with mediasoup's
 * /^[LS]([1-9]\d?)T([1-9]\d?)(_KEY)?/ and returns true on a match. Node
 * accepts anything after the match; with worker = true the rest must hold
 * no line terminator (\n, \r), as the worker's std::regex_match of
 * "...(_KEY)?.*" demands. Without a match *out is L1T1 (1, 1, false), the
 * value both sides use then. Pure.
 */
bool braid_ortc_scalability_parse(const char *mode, size_t len, bool worker,
                                  braid_ortc_scalability_t *out);

#endif
