/*
 * The RTP listener of one transport: which producer, and which of its
 * encodings (simulcast streams), an incoming RTP packet belongs to.
 *
 * Lookup order (mediasoup's RtpListener::GetProducer, then
 * Producer::GetRtpStream, written from scratch):
 *
 *   1. the SSRC table: signalled SSRCs (encodings[i].ssrc and .rtx_ssrc)
 *      and SSRCs learned from earlier packets. This is the per-packet path:
 *      one hash probe, no header extension parsing.
 *   2. the MID header extension (urn:ietf:params:rtp-hdrext:sdes:mid),
 *      matched against each producer's mid; a known MID decides the
 *      producer, an unknown one falls through to step 3;
 *   3. the RID header extension (rtp-stream-id), or for RTX packets the
 *      RRID (repaired-rtp-stream-id), matched against the encodings' rids
 *      of every producer (the first producer added wins).
 *
 * A MID or RID hit then picks the encoding inside the producer: by the
 * packet's RID (RRID for RTX, RID as fallback), or, for a producer with a
 * single encoding that has neither a signalled SSRC nor a rid, that
 * encoding. The payload type says whether the packet is media or RTX (it
 * must be one of the producer's media or RTX payload types). A media
 * stream binds to an encoding once: a second SSRC for the same encoding is
 * refused; an RTX stream binds only after its media stream and only once.
 * On success the SSRC is learned, so the next packets take path 1.
 *
 * Uniqueness when adding a producer (per transport): signalled SSRCs and
 * RTX SSRCs, and the mid. A rid may repeat across producers when the new
 * producer has a mid (browsers name every simulcast producer's streams
 * "r0", "r1", "r2", and the MID tells them apart); without a mid a
 * repeated rid is refused, as in mediasoup.
 *
 * Producers are opaque pointers, never dereferenced. Sans-I/O, no logging;
 * memory is allocated once by braid_rtp_listener_new().
 */
#ifndef BRAID_MEDIAD_RTC_RTP_LISTENER_H
#define BRAID_MEDIAD_RTC_RTP_LISTENER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/str.h"
#include "mediad/wire/rtp_ext.h"
#include "mediad/wire/rtp_packet.h"

/* Encodings (simulcast streams) per producer. Browsers send at most 3-4. */
#define BRAID_RTP_LISTENER_MAX_ENCODINGS 4
/* The largest max_producers braid_rtp_listener_new() accepts. */
#define BRAID_RTP_LISTENER_MAX_PRODUCERS 256

typedef struct braid_rtp_listener braid_rtp_listener_t;

/* One encoding of a producer, as signalled in its rtpParameters. */
typedef struct braid_rtp_listener_encoding {
  uint32_t ssrc;     /* media SSRC; 0 = not signalled (learned from packets) */
  uint32_t rtx_ssrc; /* RTX SSRC; 0 = not signalled */
  braid_str_t rid;   /* borrowed for the call; empty = none; at most 16 bytes */
} braid_rtp_listener_encoding_t;

typedef struct braid_rtp_listener_producer {
  void *producer; /* opaque, not NULL; borrowed until braid_rtp_listener_remove() */
  braid_str_t mid; /* borrowed for the call; empty = none; at most 16 bytes */
  const braid_rtp_listener_encoding_t *encodings; /* borrowed for the call */
  size_t n_encodings;                             /* 1..BRAID_RTP_LISTENER_MAX_ENCODINGS */
  const uint8_t *media_pts; /* the producer's media payload types (0..127), borrowed */
  size_t n_media_pts;
  const uint8_t *rtx_pts; /* its RTX payload types, borrowed; may be NULL when n is 0 */
  size_t n_rtx_pts;
} braid_rtp_listener_producer_t;

/* Header extension ids negotiated on the transport's receive side; 0 =
 * not negotiated (that lookup step is skipped). */
typedef struct braid_rtp_listener_ext_ids {
  uint8_t mid;
  uint8_t rid;
  uint8_t rrid;
} braid_rtp_listener_ext_ids_t;

/* Where a packet belongs. */
typedef struct braid_rtp_listener_match {
  void *producer;   /* borrowed: as given to braid_rtp_listener_add() */
  uint8_t encoding; /* index into the producer's encodings */
  bool rtx;         /* the packet is on the encoding's RTX stream */
  bool learned;     /* this packet bound its SSRC (the first packet of the stream) */
} braid_rtp_listener_match_t;

/* Creates a listener for up to max_producers (1..256) producers; the
 * tables are allocated here, once (aborts on out of memory, as mediad
 * does). Returns 0, or BRAID_EINVAL (max_producers out of range). */
int braid_rtp_listener_new(braid_rtp_listener_t **out, size_t max_producers);
/* Frees l (NULL is fine). */
void braid_rtp_listener_free(braid_rtp_listener_t *l);

/* Sets the extension ids used by MID/RID lookups (initially all 0). */
void braid_rtp_listener_set_ext_ids(braid_rtp_listener_t *l, braid_rtp_listener_ext_ids_t ids);

/*
 * Adds a producer. Nothing changes on failure. Returns 0, or with *why
 * (may be NULL) set to a static reason:
 *   BRAID_EINVAL  producer NULL, no or too many encodings, no media payload
 *                 type, a payload type > 127, a mid or rid longer than 16
 *                 bytes, or the same rid twice in the producer;
 *   BRAID_EEXIST  the producer is already added, or an SSRC, RTX SSRC or
 *                 mid is already used on this transport (or twice in this
 *                 producer), or a rid is used by another producer and this
 *                 one has no mid;
 *   BRAID_ELIMIT  max_producers are already added.
 */
int braid_rtp_listener_add(braid_rtp_listener_t *l, const braid_rtp_listener_producer_t *p,
                           const char **why);

/* Removes a producer and every SSRC signalled or learned for it. Returns 0
 * or BRAID_ENOTFOUND. Cost: a rebuild of the SSRC table. */
int braid_rtp_listener_remove(braid_rtp_listener_t *l, const void *producer);

/*
 * Finds where pkt belongs and fills *m. ext is pkt's parsed extension
 * block, or NULL to let the function parse it itself when it needs it (it
 * does not on the SSRC path). May learn pkt's SSRC (m->learned).
 *
 * Returns 0, or (*m untouched):
 *   BRAID_ENOTFOUND  no producer matches (unknown SSRC with no usable MID
 *                    or RID, an unknown payload type, an unknown rid);
 *   BRAID_ESTATE     a producer matches but the stream cannot be bound:
 *                    its encoding is already bound to another SSRC, or an
 *                    RTX packet arrived before its media stream.
 */
int braid_rtp_listener_lookup(braid_rtp_listener_t *l, const braid_rtp_packet_t *pkt,
                              const braid_rtp_ext_t *ext, braid_rtp_listener_match_t *m);

/* SSRC table lookup only (for RTCP about a producer stream). Returns 0 or
 * BRAID_ENOTFOUND; m->learned is false. */
int braid_rtp_listener_find_ssrc(const braid_rtp_listener_t *l, uint32_t ssrc,
                                 braid_rtp_listener_match_t *m);

/* Producers added. */
size_t braid_rtp_listener_count(const braid_rtp_listener_t *l);

#endif
