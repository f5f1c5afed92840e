/*
 * Consumer command bodies (consumer.h), read and written by cmd.c's
 * dispatch. Example, one element of "codecs" as encoded:
 *
 *   84                                  map, 4 pairs
 *   a2 70 74 65                         "pt": 101 (router PT)
 *   a6 72 74 78 5f 70 74 66             "rtx_pt": 102
 *   a4 6d 69 6d 65 a9 76 69 64 ...      "mime": "video/VP8"
 *   a5 63 6c 6f 63 6b ce 00 01 5f 90    "clock": 90000 (uint32)
 */
#include "proto/consumer.h"

#include "common/limits.h"
#include "proto/cmd_body.h"

/* ---- one element of "codecs" ---------------------------------------------- */

typedef braid_consumer_codec_t codec_t;

enum { K_PT, K_RTX_PT, K_MIME, K_CLOCK, K_COUNT };

static const braid__proto_field_t codec_fields[K_COUNT] = {
    [K_PT] = BRAID__PROTO_RANGED("pt", U8, 0, BRAID_PT_MAX, codec_t, pt),
    [K_RTX_PT] = BRAID__PROTO_RANGED("rtx_pt", U8, 0, BRAID_PT_MAX, codec_t, rtx_pt),
    [K_MIME] = BRAID__PROTO_FIELD("mime", STR, BRAID_MIME_MAX, codec_t, mime),
    [K_CLOCK] = BRAID__PROTO_FIELD("clock", U32, 0, codec_t, clock_rate),
};

#define K_ALL (BRAID__PROTO_BIT(K_COUNT) - 1)

static const braid__proto_map_t codec_map = {codec_fields, K_COUNT, K_ALL, K_ALL, NULL, NULL};

/* ---- consumer.create ------------------------------------------------------ */

typedef braid_cmd_consumer_create_t create_t;

enum {
  C_TRANSPORT,
  C_CONSUMER,
  C_PRODUCER,
  C_KIND,
  C_TYPE,
  C_PAUSED,
  C_MID,
  C_SSRC,
  C_RTX_SSRC,
  C_CNAME,
  C_FB,
  C_EXT,
  C_CODECS,
  C_SPATIAL,
  C_TEMPORAL,
  C_IGNORE_DTX,
  C_COUNT
};

static const char *const kinds[] = {"audio", "video", NULL};
static const char *const types[] = {"simple", "simulcast", "svc", "pipe", NULL};

static const braid__proto_field_t create_fields[C_COUNT] = {
    [C_TRANSPORT] = BRAID__PROTO_FIELD("transport", STR, BRAID_ID_MAX, create_t, transport_id),
    [C_CONSUMER] = BRAID__PROTO_FIELD("consumer", STR, BRAID_ID_MAX, create_t, consumer_id),
    [C_PRODUCER] = BRAID__PROTO_FIELD("producer", STR, BRAID_ID_MAX, create_t, producer_id),
    [C_KIND] = BRAID__PROTO_ENUM("kind", kinds, create_t, kind),
    [C_TYPE] = BRAID__PROTO_ENUM("type", types, create_t, type),
    [C_PAUSED] = BRAID__PROTO_FIELD("paused", BOOL, 0, create_t, paused),
    [C_MID] = BRAID__PROTO_FIELD("mid", STR, BRAID_MID_MAX, create_t, mid),
    [C_SSRC] = BRAID__PROTO_FIELD("ssrc", U32, 0, create_t, ssrc),
    [C_RTX_SSRC] = BRAID__PROTO_FIELD("rtx_ssrc", U32, 0, create_t, rtx_ssrc),
    [C_CNAME] = BRAID__PROTO_FIELD("cname", STR, BRAID_CNAME_MAX, create_t, cname),
    [C_FB] = BRAID__PROTO_FIELD("fb", U32, 0, create_t, fb),
    [C_EXT] = BRAID__PROTO_OBJ("ext", &braid__proto_ext_ids_consumer, create_t, ext),
    [C_CODECS] = BRAID__PROTO_OBJS("codecs", &codec_map, 1, create_t, codecs, ncodecs),
    [C_SPATIAL] = BRAID__PROTO_FIELD("spatial", U8, 0, create_t, preferred_spatial),
    [C_TEMPORAL] = BRAID__PROTO_FIELD("temporal", U8, 0, create_t, preferred_temporal),
    [C_IGNORE_DTX] = BRAID__PROTO_FIELD("ignore_dtx", BOOL, 0, create_t, ignore_dtx),
};

#define C_ALL (BRAID__PROTO_BIT(C_COUNT) - 1)

const braid__proto_map_t braid__proto_consumer_create = {
    create_fields, C_COUNT, C_ALL, C_ALL, NULL, NULL,
};

/* ---- consumer.set_layers ---------------------------------------------------- */

typedef braid_cmd_consumer_layers_t layers_t;

static const braid__proto_field_t layers_fields[] = {
    BRAID__PROTO_FIELD("consumer", STR, BRAID_ID_MAX, layers_t, consumer_id),
    BRAID__PROTO_FIELD("spatial", U8, 0, layers_t, spatial),
    BRAID__PROTO_FIELD("temporal", U8, 0, layers_t, temporal),
};

#define L_ALL (BRAID__PROTO_BIT(3) - 1)

const braid__proto_map_t braid__proto_consumer_layers = {layers_fields, 3, L_ALL, L_ALL, NULL, NULL};

/* ---- consumer.set_priority ---------------------------------------------------- */

typedef braid_cmd_consumer_priority_t priority_t;

static const braid__proto_field_t priority_fields[] = {
    BRAID__PROTO_FIELD("consumer", STR, BRAID_ID_MAX, priority_t, consumer_id),
    BRAID__PROTO_RANGED("priority", U8, 1, 255, priority_t, priority),
};

#define P_ALL (BRAID__PROTO_BIT(2) - 1)

const braid__proto_map_t braid__proto_consumer_priority = {priority_fields, 2, P_ALL, P_ALL, NULL,
                                                           NULL};

/* ---- consumer.close, .pause, .resume, .request_key_frame ------------------ */

static const braid__proto_field_t ref_fields[] = {
    BRAID__PROTO_FIELD("consumer", STR, BRAID_ID_MAX, braid_cmd_consumer_ref_t, consumer_id),
};

const braid__proto_map_t braid__proto_consumer_ref = {
    ref_fields, 1, BRAID__PROTO_BIT(0), BRAID__PROTO_BIT(0), NULL, NULL,
};
