#include "controller/room/media_cmd.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "controller/ortc/consumer.h"
#include "controller/ortc/scalability.h"
#include "controller/signaling/fields.h"

/* The header extensions the commands carry, by URI; consumers carry only
 * those marked so (proto/consumer.h). */
static const struct {
  const char *uri;
  size_t offset;
  bool consumer;
} ext_uris[] = {
    {"urn:ietf:params:rtp-hdrext:sdes:mid", offsetof(braid_rtp_ext_ids_t, mid), true},
    {"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", offsetof(braid_rtp_ext_ids_t, rid), false},
    {"urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", offsetof(braid_rtp_ext_ids_t, rrid),
     false},
    {"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
     offsetof(braid_rtp_ext_ids_t, abs_send_time), true},
    {"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
     offsetof(braid_rtp_ext_ids_t, twcc), true},
    {"urn:ietf:params:rtp-hdrext:ssrc-audio-level", offsetof(braid_rtp_ext_ids_t, audio_level),
     true},
    {"urn:3gpp:video-orientation", offsetof(braid_rtp_ext_ids_t, video_orientation), true},
    {"urn:ietf:params:rtp-hdrext:toffset", offsetof(braid_rtp_ext_ids_t, toffset), true},
    {"http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
     offsetof(braid_rtp_ext_ids_t, abs_capture_time), true},
    {"http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
     offsetof(braid_rtp_ext_ids_t, playout_delay), true},
    {BRAID_ORTC_DD_URI, offsetof(braid_rtp_ext_ids_t, dd), false},
};

/* --key-frame-request-delay (braid_media_cmd_set_key_frame_request_delay()). */
static uint32_t key_frame_request_delay_ms;

void braid_media_cmd_set_key_frame_request_delay(uint32_t ms) { key_frame_request_delay_ms = ms; }

/* obj[key] as a string view; empty when absent or not a string. */
static braid_str_t str_of(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  return json_is_string(v) ? (braid_str_t){json_string_value(v), json_string_length(v)}
                           : (braid_str_t){"", 0};
}

static bool is_rtx(braid_str_t mime) {
  const char *slash = memchr(mime.p, '/', mime.len);
  return slash != NULL && mime.len - (size_t)(slash + 1 - mime.p) == 3 &&
         strncasecmp(slash + 1, "rtx", 3) == 0;
}

/* The OR of the codecs' rtcpFeedback, as BRAID_FB_* bits. */
static uint32_t fb_bits(const json_t *codecs) {
  uint32_t fb = 0;
  size_t i, j;
  json_t *codec, *f;
  json_array_foreach(codecs, i, codec) {
    json_array_foreach(json_object_get(codec, "rtcpFeedback"), j, f) {
      braid_str_t type = str_of(f, "type"), param = str_of(f, "parameter");
      if (braid_str_eq(type, "nack") && param.len == 0)
        fb |= BRAID_FB_NACK;
      else if (braid_str_eq(type, "nack") && braid_str_eq(param, "pli"))
        fb |= BRAID_FB_PLI;
      else if (braid_str_eq(type, "ccm") && braid_str_eq(param, "fir"))
        fb |= BRAID_FB_FIR;
      else if (braid_str_eq(type, "goog-remb"))
        fb |= BRAID_FB_REMB;
      else if (braid_str_eq(type, "transport-cc"))
        fb |= BRAID_FB_TWCC;
    }
  }
  return fb;
}

/* The extension ids of headerExtensions (the first of each URI). */
static int ext_ids(const json_t *exts, bool consumer, braid_rtp_ext_ids_t *ids, char *err,
                   size_t errlen) {
  size_t i;
  json_t *e;
  memset(ids, 0, sizeof *ids);
  json_array_foreach(exts, i, e) {
    const char *uri = json_string_value(json_object_get(e, "uri"));
    for (size_t k = 0; uri != NULL && k < sizeof ext_uris / sizeof ext_uris[0]; k++) {
      if (strcmp(uri, ext_uris[k].uri) != 0 || (consumer && !ext_uris[k].consumer)) continue;
      uint8_t *slot = (uint8_t *)ids + ext_uris[k].offset;
      uint64_t id;
      if (!braid_json_uint(json_object_get(e, "id"), 255, &id) || id == 0)
        return braid_fields_fail(err, errlen, "invalid header extension id for %s", uri);
      if (*slot == 0) *slot = (uint8_t)id;
    }
  }
  return 0;
}

static int check_len(braid_str_t s, size_t max, const char *what, char *err, size_t errlen) {
  return s.len <= max ? 0
                      : braid_fields_fail(err, errlen, "%s is too long (max %zu bytes)", what, max);
}

/* The mapped payload type of client payload type pt. */
static bool mapped_pt(const json_t *mapping, uint64_t pt, uint8_t *out) {
  size_t i;
  json_t *m;
  json_array_foreach(json_object_get(mapping, "codecs"), i, m) {
    uint64_t p, mp;
    if (braid_json_uint(json_object_get(m, "payloadType"), 255, &p) && p == pt &&
        braid_json_uint(json_object_get(m, "mappedPayloadType"), BRAID_PT_MAX, &mp)) {
      *out = (uint8_t)mp;
      return true;
    }
  }
  return false;
}

static int producer_codecs(braid_cmd_producer_create_t *out, const json_t *params,
                           const json_t *mapping, char *err, size_t errlen) {
  const json_t *codecs = json_object_get(params, "codecs");
  size_t i;
  json_t *c;
  if (json_array_size(codecs) > BRAID_MAX_CODECS)
    return braid_fields_fail(err, errlen, "too many codecs (max %d)", BRAID_MAX_CODECS);
  json_array_foreach(codecs, i, c) {
    braid_producer_codec_t *pc = &out->codecs[i];
    uint64_t pt, clock, apt = 0;
    pc->mime = str_of(c, "mimeType");
    if (!braid_json_uint(json_object_get(c, "payloadType"), BRAID_PT_MAX, &pt))
      return braid_fields_fail(err, errlen, "invalid codec payloadType (must be 0..%d)",
                               BRAID_PT_MAX);
    if (check_len(pc->mime, BRAID_MIME_MAX, "codec mimeType", err, errlen) != 0)
      return BRAID_EINVAL;
    if (!braid_json_uint(json_object_get(c, "clockRate"), UINT32_MAX, &clock))
      return braid_fields_fail(err, errlen, "invalid codec clockRate");
    if (is_rtx(pc->mime) &&
        !braid_json_uint(json_object_get(json_object_get(c, "parameters"), "apt"), BRAID_PT_MAX,
                         &apt))
      return braid_fields_fail(err, errlen, "invalid apt in RTX codec");
    if (!mapped_pt(mapping, pt, &pc->mapped_pt))
      return braid_fields_fail(err, errlen, "no mapping for codec payloadType %u", (unsigned)pt);
    pc->pt = (uint8_t)pt;
    pc->clock_rate = (uint32_t)clock;
    pc->apt = (uint8_t)apt;
  }
  out->ncodecs = i;
  return 0;
}

/* encoding.maxBitrate: ORTC accepted what BigInt() accepts; keep the
 * plain cases (a non-negative number, a decimal string), 0 otherwise. */
static uint64_t max_bitrate(const json_t *v) {
  uint64_t n = 0;
  if (braid_json_uint(v, UINT64_MAX >> 11, &n)) return n;
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    char *end;
    unsigned long long x = strtoull(s, &end, 10);
    if (end != s && *end == '\0' && isdigit((unsigned char)s[0])) return x;
  }
  return 0;
}

static int ssrc_of(const json_t *v, uint32_t *out, char *err, size_t errlen) {
  uint64_t ssrc = 0;
  if (v != NULL && !json_is_null(v) && !braid_json_uint(v, UINT32_MAX, &ssrc))
    return braid_fields_fail(err, errlen, "invalid encoding ssrc (must be 0..4294967295)");
  *out = (uint32_t)ssrc;
  return 0;
}

static int producer_encodings(braid_cmd_producer_create_t *out, const json_t *params,
                              const json_t *mapping, char *err, size_t errlen) {
  const json_t *encs = json_object_get(params, "encodings");
  const json_t *maps = json_object_get(mapping, "encodings");
  size_t i;
  json_t *e;
  if (json_array_size(encs) > BRAID_MAX_ENCODINGS)
    return braid_fields_fail(err, errlen, "too many encodings (max %d)", BRAID_MAX_ENCODINGS);
  if (json_array_size(encs) != json_array_size(maps))
    return braid_fields_fail(err, errlen, "rtpMapping.encodings size does not match");
  json_array_foreach(encs, i, e) {
    braid_producer_encoding_t *pe = &out->encodings[i];
    uint64_t mapped;
    braid_ortc_scalability_t sc;
    braid_str_t mode = str_of(e, "scalabilityMode");
    pe->rid = str_of(e, "rid");
    if (ssrc_of(json_object_get(e, "ssrc"), &pe->ssrc, err, errlen) != 0 ||
        ssrc_of(json_object_get(json_object_get(e, "rtx"), "ssrc"), &pe->rtx_ssrc, err, errlen) !=
            0 ||
        check_len(pe->rid, BRAID_MID_MAX, "encoding rid", err, errlen) != 0)
      return BRAID_EINVAL;
    if (!braid_json_uint(json_object_get(json_array_get(maps, i), "mappedSsrc"), UINT32_MAX,
                         &mapped))
      return braid_fields_fail(err, errlen, "invalid rtpMapping mappedSsrc");
    braid_ortc_scalability_parse(mode.len ? mode.p : NULL, mode.len, true, &sc);
    pe->mapped_ssrc = (uint32_t)mapped;
    pe->spatial_layers = (uint8_t)sc.spatial_layers;
    pe->temporal_layers = (uint8_t)sc.temporal_layers;
    pe->ksvc = sc.ksvc;
    pe->max_bitrate = max_bitrate(json_object_get(e, "maxBitrate"));
  }
  out->nencodings = i;
  return 0;
}

int braid_media_cmd_producer(braid_cmd_producer_create_t *out, const braid_ortc_produce_t *res,
                             const char *kind, const char *transport_id, const char *producer_id,
                             char *err, size_t errlen) {
  const json_t *params = res->rtp_parameters;
  memset(out, 0, sizeof *out);
  out->transport_id = braid_str_c(transport_id);
  out->producer_id = braid_str_c(producer_id);
  out->kind = braid_str_c(kind);
  out->type = braid_str_c(braid_ortc_producer_type_name(res->type));
  out->mid = str_of(params, "mid");
  out->cname = str_of(json_object_get(params, "rtcp"), "cname");
  if (check_len(out->mid, BRAID_MID_MAX, "rtpParameters.mid", err, errlen) != 0 ||
      check_len(out->cname, BRAID_CNAME_MAX, "rtpParameters.rtcp.cname", err, errlen) != 0 ||
      producer_codecs(out, params, res->rtp_mapping, err, errlen) != 0 ||
      producer_encodings(out, params, res->rtp_mapping, err, errlen) != 0 ||
      ext_ids(json_object_get(params, "headerExtensions"), false, &out->ext, err, errlen) != 0)
    return BRAID_EINVAL;
  out->fb = fb_bits(json_object_get(params, "codecs"));
  if (braid_str_eq(out->kind, "video"))
    out->key_frame_request_delay_ms = key_frame_request_delay_ms;
  return 0;
}

/* The consumer's media codecs, each with the RTX codec that repairs it. */
static int consumer_codecs(braid_cmd_consumer_create_t *out, const json_t *codecs, char *err,
                           size_t errlen) {
  size_t i, j, n = 0;
  json_t *c, *r;
  json_array_foreach(codecs, i, c) {
    braid_str_t mime = str_of(c, "mimeType");
    uint64_t pt, clock;
    if (is_rtx(mime)) continue;
    if (n == BRAID_MAX_CODECS)
      return braid_fields_fail(err, errlen, "too many codecs (max %d)", BRAID_MAX_CODECS);
    if (!braid_json_uint(json_object_get(c, "payloadType"), BRAID_PT_MAX, &pt) ||
        !braid_json_uint(json_object_get(c, "clockRate"), UINT32_MAX, &clock) ||
        check_len(mime, BRAID_MIME_MAX, "codec mimeType", err, errlen) != 0)
      return braid_fields_fail(err, errlen, "invalid consumer codec");
    braid_consumer_codec_t *cc = &out->codecs[n++];
    cc->pt = (uint8_t)pt;
    cc->mime = mime;
    cc->clock_rate = (uint32_t)clock;
    json_array_foreach(codecs, j, r) {
      uint64_t apt, rtx_pt;
      if (is_rtx(str_of(r, "mimeType")) &&
          braid_json_uint(json_object_get(json_object_get(r, "parameters"), "apt"), 255, &apt) &&
          apt == pt && braid_json_uint(json_object_get(r, "payloadType"), BRAID_PT_MAX, &rtx_pt)) {
        cc->rtx_pt = (uint8_t)rtx_pt;
        break;
      }
    }
  }
  if (n == 0) return braid_fields_fail(err, errlen, "no media codec");
  out->ncodecs = n;
  return 0;
}

int braid_media_cmd_consumer(braid_cmd_consumer_create_t *out, const json_t *rtp_parameters,
                             const char *kind, const char *type, const char *transport_id,
                             const char *consumer_id, const char *producer_id, char *err,
                             size_t errlen) {
  const json_t *enc = json_array_get(json_object_get(rtp_parameters, "encodings"), 0);
  braid_ortc_scalability_t sc;
  braid_str_t mode = str_of(enc, "scalabilityMode");
  memset(out, 0, sizeof *out);
  out->transport_id = braid_str_c(transport_id);
  out->consumer_id = braid_str_c(consumer_id);
  out->producer_id = braid_str_c(producer_id);
  out->kind = braid_str_c(kind);
  out->type = braid_str_c(type);
  out->paused = true;
  out->ignore_dtx = true;
  out->mid = str_of(rtp_parameters, "mid");
  out->cname = str_of(json_object_get(rtp_parameters, "rtcp"), "cname");
  if (enc == NULL) return braid_fields_fail(err, errlen, "no encoding");
  if (check_len(out->mid, BRAID_MID_MAX, "mid", err, errlen) != 0 ||
      check_len(out->cname, BRAID_CNAME_MAX, "rtcp.cname", err, errlen) != 0 ||
      ssrc_of(json_object_get(enc, "ssrc"), &out->ssrc, err, errlen) != 0 ||
      ssrc_of(json_object_get(json_object_get(enc, "rtx"), "ssrc"), &out->rtx_ssrc, err, errlen) !=
          0 ||
      consumer_codecs(out, json_object_get(rtp_parameters, "codecs"), err, errlen) != 0 ||
      ext_ids(json_object_get(rtp_parameters, "headerExtensions"), true, &out->ext, err, errlen) !=
          0)
    return BRAID_EINVAL;
  out->fb = fb_bits(json_object_get(rtp_parameters, "codecs"));
  /* The highest layers: what mediasoup's consumers prefer by default. */
  braid_ortc_scalability_parse(mode.len ? mode.p : NULL, mode.len, false, &sc);
  out->preferred_spatial = (uint8_t)(sc.spatial_layers - 1);
  out->preferred_temporal = (uint8_t)(sc.temporal_layers - 1);
  return 0;
}
