#include "controller/ortc/producer_type.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "controller/ortc/jsval.h"
#include "controller/ortc/scalability.h"
#include "controller/ortc/validate.h"

#define FAIL(msg) braid__ortc_fail(err, errlen, BRAID_EINVAL, "%s", (msg))

/* The worker's RtpCodecMimeType::Subtype values: 1xx audio, 2xx video,
 * 3xx complementary, 4xx feature codecs. */
enum {
  SUB_OPUS = 100,
  SUB_MULTIOPUS,
  SUB_PCMA,
  SUB_PCMU,
  SUB_ISAC,
  SUB_G722,
  SUB_ILBC,
  SUB_SILK,
  SUB_VP8 = 200,
  SUB_VP9,
  SUB_H264,
  SUB_AV1,
  SUB_CN = 300,
  SUB_TELEPHONE_EVENT,
  SUB_RTX = 400,
  SUB_ULPFEC,
  SUB_X_ULPFECUC,
  SUB_FLEXFEC,
  SUB_RED,
};

static const struct {
  const char *lower, *canonical;
  int subtype;
} subtypes[] = {
    {"opus", "opus", SUB_OPUS},
    {"multiopus", "multiopus", SUB_MULTIOPUS},
    {"pcma", "PCMA", SUB_PCMA},
    {"pcmu", "PCMU", SUB_PCMU},
    {"isac", "ISAC", SUB_ISAC},
    {"g722", "G722", SUB_G722},
    {"ilbc", "iLBC", SUB_ILBC},
    {"silk", "SILK", SUB_SILK},
    {"vp8", "VP8", SUB_VP8},
    {"vp9", "VP9", SUB_VP9},
    {"h264", "H264", SUB_H264},
    {"av1", "AV1", SUB_AV1},
    {"cn", "CN", SUB_CN},
    {"telephone-event", "telephone-event", SUB_TELEPHONE_EVENT},
    {"rtx", "rtx", SUB_RTX},
    {"ulpfec", "ulpfec", SUB_ULPFEC},
    {"flexfec", "flexfec", SUB_FLEXFEC},
    {"x-ulpfecuc", "x-ulpfecuc", SUB_X_ULPFECUC},
    {"red", "red", SUB_RED},
};

typedef struct mime {
  bool video;
  int subtype; /* index into subtypes[] is found again by value */
} mime_t;

#define MIME_PART_MAX 64

static void lower_copy(char *dst, const char *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = src[i];
    dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  dst[n] = '\0';
}

/* RtpCodecMimeType::SetMimeType(). */
static int parse_mime(const char *s, size_t len, mime_t *out, char *err, size_t errlen) {
  const char *slash = s != NULL ? memchr(s, '/', len) : NULL;
  if (slash == NULL || slash == s || (size_t)(slash - s) == len - 1)
    return FAIL("wrong codec MIME");
  size_t tlen = (size_t)(slash - s), slen = len - tlen - 1;
  char type[MIME_PART_MAX], sub[MIME_PART_MAX];
  /* Longer parts match no known name; the message shows them truncated. */
  lower_copy(type, s, tlen < MIME_PART_MAX ? tlen : MIME_PART_MAX - 1);
  lower_copy(sub, slash + 1, slen < MIME_PART_MAX ? slen : MIME_PART_MAX - 1);
  if (tlen < MIME_PART_MAX && strcmp(type, "audio") == 0)
    out->video = false;
  else if (tlen < MIME_PART_MAX && strcmp(type, "video") == 0)
    out->video = true;
  else
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "unknown codec MIME type '%s'", type);
  for (size_t i = 0; slen < MIME_PART_MAX && i < sizeof(subtypes) / sizeof(subtypes[0]); i++) {
    if (strcmp(sub, subtypes[i].lower) == 0) {
      out->subtype = subtypes[i].subtype;
      return 0;
    }
  }
  return braid__ortc_fail(err, errlen, BRAID_EINVAL, "unknown codec MIME subtype '%s'", sub);
}

static const char *canonical_subtype(int subtype) {
  for (size_t i = 0; i < sizeof(subtypes) / sizeof(subtypes[0]); i++) {
    if (subtypes[i].subtype == subtype) return subtypes[i].canonical;
  }
  return "?";
}

static bool is_media(int subtype) { return subtype >= 100 && subtype < 300; }

static bool valid_for(braid_ortc_rtp_type_t type, const mime_t *m) {
  switch (type) {
  case BRAID_ORTC_RTP_TYPE_SIMPLE:
  case BRAID_ORTC_RTP_TYPE_PIPE: return true;
  case BRAID_ORTC_RTP_TYPE_SIMULCAST:
    return m->video && (m->subtype == SUB_VP8 || m->subtype == SUB_H264);
  case BRAID_ORTC_RTP_TYPE_SVC:
    return m->video && (m->subtype == SUB_VP8 || m->subtype == SUB_VP9 || m->subtype == SUB_H264 ||
                        m->subtype == SUB_AV1);
  }
  return false;
}

const char *braid_ortc_producer_type_name(braid_ortc_rtp_type_t type) {
  switch (type) {
  case BRAID_ORTC_RTP_TYPE_SIMPLE: return "simple";
  case BRAID_ORTC_RTP_TYPE_SIMULCAST: return "simulcast";
  case BRAID_ORTC_RTP_TYPE_SVC: return "svc";
  case BRAID_ORTC_RTP_TYPE_PIPE: return "pipe";
  }
  return "?";
}

bool braid_ortc_producer_type_valid_for_codec(braid_ortc_rtp_type_t type, const char *mime_type) {
  mime_t m;
  if (parse_mime(mime_type, strlen(mime_type), &m, NULL, 0) != 0)
    return type == BRAID_ORTC_RTP_TYPE_SIMPLE || type == BRAID_ORTC_RTP_TYPE_PIPE;
  return valid_for(type, &m);
}

/* ---- JS number to flatbuffers integer conversions ---------------------- */

/* ToUint32 of ECMA-262: truncate, then modulo 2^32 (NaN and infinities: 0). */
static uint32_t to_uint32(const json_t *v) {
  if (json_is_integer(v)) return (uint32_t)(uint64_t)json_integer_value(v);
  double d = json_number_value(v);
  if (!isfinite(d)) return 0;
  double m = fmod(trunc(d), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return (uint32_t)m;
}

static uint8_t to_uint8(const json_t *v) { return (uint8_t)(to_uint32(v) & 0xffu); }

static int32_t to_int32(const json_t *v) {
  uint32_t u = to_uint32(v);
  return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 2147483648u) - INT32_MAX - 1;
}

/* A string field Node writes with builder.createString(): absent for
 * undefined and null, else present (String() of non-strings). */
static bool fbs_present(const json_t *v) { return v != NULL && !json_is_null(v); }

static bool fbs_string_empty(const json_t *v) {
  return !fbs_present(v) || (json_is_string(v) && json_string_length(v) == 0);
}

/* ---- the checks --------------------------------------------------------- */

typedef struct codec_info {
  mime_t mime;
  uint8_t pt;
  int32_t apt; /* RTX only */
} codec_info_t;

typedef struct enc_info {
  int spatial, temporal;
  bool has_pt;
  uint8_t pt;
} enc_info_t;

static int check_codecs(const json_t *codecs, codec_info_t *ci, char *err, size_t errlen) {
  for (size_t i = 0; i < json_array_size(codecs); i++) {
    const json_t *c = json_array_get(codecs, i);
    const json_t *mime = json_object_get(c, "mimeType");
    int rc =
        parse_mime(json_string_value(mime), json_string_length(mime), &ci[i].mime, err, errlen);
    if (rc != 0) return rc;
    ci[i].pt = to_uint8(json_object_get(c, "payloadType"));
    if (ci[i].mime.subtype != SUB_RTX) continue;
    /* Node writes an integral number as Integer32, anything else as a
     * Double or String, which HasPositiveInteger() rejects. */
    const json_t *params = json_object_get(c, "parameters");
    const json_t *apt = json_is_object(params) ? json_object_get(params, "apt") : NULL;
    bool integral = json_is_number(apt) && isfinite(json_number_value(apt)) &&
                    json_number_value(apt) == trunc(json_number_value(apt));
    if (!integral || to_int32(apt) < 0) return FAIL("missing apt parameter in RTX codec");
    ci[i].apt = to_int32(apt);
  }
  if (json_array_size(codecs) == 0) return FAIL("empty codecs");
  return 0;
}

static int check_encodings(const json_t *encs, enc_info_t *ei, char *err, size_t errlen) {
  for (size_t i = 0; i < json_array_size(encs); i++) {
    const json_t *e = json_array_get(encs, i);
    const json_t *mode = json_object_get(e, "scalabilityMode");
    braid_ortc_scalability_t s = {1, 1, false};
    if (braid_ortc_jsval_truthy(mode))
      braid_ortc_scalability_parse(json_string_value(mode), json_string_length(mode), true, &s);
    ei[i].spatial = s.spatial_layers;
    ei[i].temporal = s.temporal_layers;
    const json_t *pt = json_object_get(e, "codecPayloadType");
    ei[i].has_pt = braid_ortc_jsval_truthy(pt);
    if (ei[i].has_pt && !json_is_number(pt)) return FAIL("invalid encoding.codecPayloadType");
    if (ei[i].has_pt) ei[i].pt = to_uint8(pt);
  }
  if (json_array_size(encs) == 0) return FAIL("empty encodings");
  return 0;
}

static int check_exts_and_rtcp(const json_t *params, char *err, size_t errlen) {
  const json_t *exts = json_object_get(params, "headerExtensions");
  for (size_t i = 0; i < json_array_size(exts); i++) {
    if (to_uint8(json_object_get(json_array_get(exts, i), "id")) == 0) return FAIL("invalid id 0");
  }
  const json_t *cname = json_object_get(json_object_get(params, "rtcp"), "cname");
  if (!fbs_present(cname)) return FAIL("missing cname");
  if (fbs_string_empty(cname)) return FAIL("empty cname");
  return 0;
}

/* RtpParameters::ValidateCodecs(). */
static int validate_codecs(const codec_info_t *ci, size_t n, char *err, size_t errlen) {
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < i; k++) {
      if (ci[k].pt == ci[i].pt) return FAIL("duplicated payloadType");
    }
    if (ci[i].mime.subtype != SUB_RTX) continue;
    size_t k = 0;
    for (; k < n && (int32_t)ci[k].pt != ci[i].apt; k++)
      ;
    if (k == n) return FAIL("apt in RTX codec points to a non existing codec");
    if (ci[k].mime.subtype == SUB_RTX) return FAIL("apt in RTX codec points to a RTX codec");
    if (ci[k].mime.subtype == SUB_ULPFEC) return FAIL("apt in RTX codec points to a ULPFEC codec");
    if (ci[k].mime.subtype == SUB_FLEXFEC)
      return FAIL("apt in RTX codec points to a FLEXFEC codec");
  }
  return 0;
}

/* RtpParameters::ValidateEncodings(); fills in each codecPayloadType. */
static int validate_encodings(const codec_info_t *ci, size_t nc, enc_info_t *ei, size_t ne,
                              char *err, size_t errlen) {
  size_t first = 0;
  for (; first < nc && !is_media(ci[first].mime.subtype); first++)
    ;
  if (first == nc) return FAIL("no media codecs found");
  for (size_t i = 0; i < ne; i++) {
    if (ei[i].spatial > 1 && ne > 1)
      return FAIL("cannot use both simulcast and encodings with multiple SVC spatial layers");
    if (!ei[i].has_pt) {
      ei[i].pt = ci[first].pt;
      ei[i].has_pt = true;
      continue;
    }
    size_t k = 0;
    for (; k < nc && ci[k].pt != ei[i].pt; k++)
      ;
    if (k == nc) return FAIL("unknown codecPayloadType");
    if (!is_media(ci[k].mime.subtype)) return FAIL("invalid codecPayloadType");
  }
  return 0;
}

/* RtpParameters::GetType() and IsValidTypeForCodec() for encodings[0]. */
static int resolve_type(const codec_info_t *ci, size_t nc, const enc_info_t *ei, size_t ne,
                        braid_ortc_rtp_type_t *type, char *err, size_t errlen) {
  size_t k = 0;
  for (; k < nc && ci[k].pt != ei[0].pt; k++)
    ;
  const mime_t *m = &ci[k].mime; /* ValidateEncodings() proved it exists */
  if (ne > 1) {
    *type = BRAID_ORTC_RTP_TYPE_SIMULCAST;
  } else if (ei[0].spatial > 1 || ei[0].temporal > 1) {
    if (valid_for(BRAID_ORTC_RTP_TYPE_SVC, m))
      *type = BRAID_ORTC_RTP_TYPE_SVC;
    else if (valid_for(BRAID_ORTC_RTP_TYPE_SIMULCAST, m))
      *type = BRAID_ORTC_RTP_TYPE_SIMULCAST;
    else
      return FAIL("invalid RTP parameters");
  } else {
    *type = BRAID_ORTC_RTP_TYPE_SIMPLE;
  }
  if (!valid_for(*type, m))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "%s/%s codec not supported for %s",
                            m->video ? "video" : "audio", canonical_subtype(m->subtype),
                            braid_ortc_producer_type_name(*type));
  return 0;
}

static int check_mapping(const json_t *params, const json_t *mapping, size_t ne, char *err,
                         size_t errlen) {
  const json_t *entries = json_object_get(mapping, "encodings");
  size_t n = json_array_size(entries);
  bool no_mid = fbs_string_empty(json_object_get(params, "mid"));
  for (size_t i = 0; i < n; i++) {
    const json_t *e = json_array_get(entries, i);
    bool has_ssrc = fbs_present(json_object_get(e, "ssrc"));
    bool has_rid = fbs_present(json_object_get(e, "rid"));
    if (n > 1 && !has_ssrc && !has_rid)
      return FAIL("wrong entry in rtpMapping.encodings (missing ssrc or rid)");
    if (no_mid && n == 1 && !has_ssrc && !has_rid)
      return FAIL(
          "wrong entry in rtpMapping.encodings (missing ssrc or rid, or rtpParameters.mid)");
    const json_t *mapped = json_object_get(e, "mappedSsrc");
    if (!json_is_number(mapped) || to_uint32(mapped) == 0)
      return FAIL("wrong entry in rtpMapping.encodings (missing mappedSsrc)");
  }
  if (n != ne) return FAIL("rtpParameters.encodings size does not match rtpMapping.encodings size");
  return 0;
}

int braid_ortc_producer_type_check(const json_t *params, const json_t *mapping,
                                   braid_ortc_rtp_type_t *type, char *err, size_t errlen) {
  const json_t *codecs = json_object_get(params, "codecs");
  const json_t *encs = json_object_get(params, "encodings");
  size_t nc = json_array_size(codecs), ne = json_array_size(encs);
  codec_info_t *ci = calloc(nc > 0 ? nc : 1, sizeof(*ci));
  enc_info_t *ei = calloc(ne > 0 ? ne : 1, sizeof(*ei));
  int rc = BRAID_ENOMEM;
  if (ci == NULL || ei == NULL) {
    braid__ortc_fail(err, errlen, rc, "out of memory");
    goto out_free;
  }
  if ((rc = check_codecs(codecs, ci, err, errlen)) != 0) goto out_free;
  if ((rc = check_encodings(encs, ei, err, errlen)) != 0) goto out_free;
  if ((rc = check_exts_and_rtcp(params, err, errlen)) != 0) goto out_free;
  if ((rc = validate_codecs(ci, nc, err, errlen)) != 0) goto out_free;
  if ((rc = validate_encodings(ci, nc, ei, ne, err, errlen)) != 0) goto out_free;
  if ((rc = resolve_type(ci, nc, ei, ne, type, err, errlen)) != 0) goto out_free;
  rc = check_mapping(params, mapping, ne, err, errlen);
out_free:
  free(ci);
  free(ei);
  return rc;
}
