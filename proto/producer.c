/*
 * Producer command bodies (producer.h), read and written by cmd.c's
 * dispatch. Example, one element of "codecs" and one of "encodings" as
 * encoded (tests/proto/producer_test.c holds a whole producer.create):
 *
 *   84                                  map, 4 pairs (no "apt": not RTX)
 *   a2 70 74 60                         "pt": 96
 *   a9 6d 61 70 70 65 64 5f 70 74 65    "mapped_pt": 101
 *   a4 6d 69 6d 65 a9 76 69 64 ...      "mime": "video/VP8"
 *   a5 63 6c 6f 63 6b ce 00 01 5f 90    "clock": 90000 (uint32)
 *
 *   88                                  map, 8 pairs
 *   a4 73 73 72 63 00                   "ssrc": 0 (unknown: match by rid)
 *   a3 72 69 64 a2 72 30                "rid": "r0"
 *   a8 72 74 78 5f ... 00               "rtx_ssrc": 0
 *   ab 6d 61 70 70 65 64 ... ce ...     "mapped_ssrc": uint32
 *   a7 73 70 61 74 69 61 6c 01          "spatial": 1
 *   a8 74 65 6d 70 6f 72 61 6c 03       "temporal": 3
 *   a4 6b 73 76 63 c2                   "ksvc": false
 *   ab 6d 61 78 5f ... ce 00 07 a1 20   "max_bitrate": 500000
 */
#include "proto/producer.h"

#include "common/limits.h"
#include "proto/cmd_body.h"

/* ---- one element of "codecs" ---------------------------------------------- */

typedef braid_producer_codec_t codec_t;

enum { K_PT, K_MAPPED_PT, K_MIME, K_CLOCK, K_APT, K_COUNT };

static const braid__proto_field_t codec_fields[K_COUNT] = {
    [K_PT] = BRAID__PROTO_RANGED("pt", U8, 0, BRAID_PT_MAX, codec_t, pt),
    [K_MAPPED_PT] = BRAID__PROTO_RANGED("mapped_pt", U8, 0, BRAID_PT_MAX, codec_t, mapped_pt),
    [K_MIME] = BRAID__PROTO_FIELD("mime", STR, BRAID_MIME_MAX, codec_t, mime),
    [K_CLOCK] = BRAID__PROTO_FIELD("clock", U32, 0, codec_t, clock_rate),
    /* Only RTX codecs have it; PT 0 (PCMU) has no RTX, so 0 can mean none. */
    [K_APT] = BRAID__PROTO_OPTIONAL("apt", U8, 0, BRAID_PT_MAX, codec_t, apt),
};

#define K_ALL (BRAID__PROTO_BIT(K_COUNT) - 1)

static const braid__proto_map_t codec_map = {
    codec_fields, K_COUNT, K_ALL, K_ALL & ~BRAID__PROTO_BIT(K_APT), NULL, NULL,
};

/* ---- one element of "encodings" ------------------------------------------- */

typedef braid_producer_encoding_t encoding_t;

enum {
  G_SSRC,
  G_RID,
  G_RTX_SSRC,
  G_MAPPED_SSRC,
  G_SPATIAL,
  G_TEMPORAL,
  G_KSVC,
  G_MAX_BITRATE,
  G_COUNT
};

static const braid__proto_field_t encoding_fields[G_COUNT] = {
    [G_SSRC] = BRAID__PROTO_FIELD("ssrc", U32, 0, encoding_t, ssrc),
    [G_RID] = BRAID__PROTO_FIELD("rid", STR, BRAID_MID_MAX, encoding_t, rid),
    [G_RTX_SSRC] = BRAID__PROTO_FIELD("rtx_ssrc", U32, 0, encoding_t, rtx_ssrc),
    [G_MAPPED_SSRC] = BRAID__PROTO_FIELD("mapped_ssrc", U32, 0, encoding_t, mapped_ssrc),
    [G_SPATIAL] = BRAID__PROTO_RANGED("spatial", U8, 1, 255, encoding_t, spatial_layers),
    [G_TEMPORAL] = BRAID__PROTO_RANGED("temporal", U8, 1, 255, encoding_t, temporal_layers),
    [G_KSVC] = BRAID__PROTO_FIELD("ksvc", BOOL, 0, encoding_t, ksvc),
    [G_MAX_BITRATE] = BRAID__PROTO_FIELD("max_bitrate", U64, 0, encoding_t, max_bitrate),
};

#define G_ALL (BRAID__PROTO_BIT(G_COUNT) - 1)

static const braid__proto_map_t encoding_map = {
    encoding_fields, G_COUNT, G_ALL, G_ALL, NULL, NULL,
};

/* ---- producer.create ------------------------------------------------------ */

typedef braid_cmd_producer_create_t create_t;

enum {
  P_TRANSPORT,
  P_PRODUCER,
  P_KIND,
  P_TYPE,
  P_PAUSED,
  P_KF_DELAY,
  P_MID,
  P_CNAME,
  P_FB,
  P_EXT,
  P_CODECS,
  P_ENCODINGS,
  P_COUNT
};

static const char *const kinds[] = {"audio", "video", NULL};
static const char *const types[] = {"simple", "simulcast", "svc", NULL};

static const braid__proto_field_t create_fields[P_COUNT] = {
    [P_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, create_t, transport_id),
    [P_PRODUCER] = BRAID__PROTO_FIELD("producer", STR, BRAID_ID_MAX, create_t, producer_id),
    [P_KIND] = BRAID__PROTO_ENUM("kind", kinds, create_t, kind),
    [P_TYPE] = BRAID__PROTO_ENUM("type", types, create_t, type),
    [P_PAUSED] = BRAID__PROTO_FIELD("paused", BOOL, 0, create_t, paused),
    [P_KF_DELAY] = BRAID__PROTO_FIELD("kf_delay", U32, 0, create_t, key_frame_request_delay_ms),
    [P_MID] = BRAID__PROTO_FIELD("mid", STR, BRAID_MID_MAX, create_t, mid),
    [P_CNAME] = BRAID__PROTO_FIELD("cname", STR, BRAID_CNAME_MAX, create_t, cname),
    [P_FB] = BRAID__PROTO_FIELD("fb", U32, 0, create_t, fb),
    [P_EXT] = BRAID__PROTO_OBJ("ext", &braid__proto_ext_ids_producer, create_t, ext),
    [P_CODECS] = BRAID__PROTO_OBJS("codecs", &codec_map, 1, create_t, codecs, ncodecs),
    [P_ENCODINGS] =
        BRAID__PROTO_OBJS("encodings", &encoding_map, 1, create_t, encodings, nencodings),
};

#define P_ALL (BRAID__PROTO_BIT(P_COUNT) - 1)

const braid__proto_map_t braid__proto_producer_create = {
    create_fields, P_COUNT, P_ALL, P_ALL, NULL, NULL,
};

/* ---- producer.close, .pause, .resume -------------------------------------- */

static const braid__proto_field_t ref_fields[] = {
    BRAID__PROTO_FIELD("producer", STR, BRAID_ID_MAX, braid_cmd_producer_ref_t, producer_id),
};

const braid__proto_map_t braid__proto_producer_ref = {
    ref_fields, 1, BRAID__PROTO_BIT(0), BRAID__PROTO_BIT(0), NULL, NULL,
};
