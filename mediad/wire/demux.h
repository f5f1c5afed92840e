/*
 * First-byte demultiplexing of datagrams on a media socket (RFC 7983 §7,
 * as updated by RFC 9443), done once, before any parser:
 *
 *   first byte   protocol
 *   0..3         STUN
 *   16..19       ZRTP (dropped)
 *   20..63       DTLS
 *   64..79       TURN channel (dropped: we are not a TURN server)
 *   128..191     RTP or RTCP; RTCP when the second byte (payload type with
 *                the marker bit) is 192..223 (RFC 5761 §4)
 */
#ifndef BRAID_MEDIAD_WIRE_DEMUX_H
#define BRAID_MEDIAD_WIRE_DEMUX_H

#include <stddef.h>
#include <stdint.h>

typedef enum braid_demux_kind {
  BRAID_DEMUX_UNKNOWN = 0,
  BRAID_DEMUX_STUN,
  BRAID_DEMUX_DTLS,
  BRAID_DEMUX_RTP,
  BRAID_DEMUX_RTCP,
} braid_demux_kind_t;

/* Classifies a datagram by its first bytes. Never reads past len. */
braid_demux_kind_t braid_demux_classify(const uint8_t *data, size_t len);

#endif
