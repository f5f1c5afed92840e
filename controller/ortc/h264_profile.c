#include "controller/ortc/h264_profile.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/jsval.h"
#include "controller/ortc/validate.h"

/* For level_idc 11 with profile_idc 0x42, 0x4d or 0x58, constraint_set3 in
 * profile_iop says level 1b instead of 1.1. */
#define CONSTRAINT_SET3 0x10

/* RFC 6184 section 8.1, table 5: a profile_iop pattern has 'x' where the bit
 * is free; mask keeps the fixed bits and value is what they must be. */
typedef struct profile_pattern {
  uint8_t idc;
  const char *iop; /* eight of '0', '1', 'x', most significant bit first */
  braid_ortc_h264_profile_t profile;
} profile_pattern_t;

static const profile_pattern_t patterns[] = {
    {0x42, "x1xx0000", BRAID_ORTC_H264_CONSTRAINED_BASELINE},
    {0x4d, "1xxx0000", BRAID_ORTC_H264_CONSTRAINED_BASELINE},
    {0x58, "11xx0000", BRAID_ORTC_H264_CONSTRAINED_BASELINE},
    {0x42, "x0xx0000", BRAID_ORTC_H264_BASELINE},
    {0x58, "10xx0000", BRAID_ORTC_H264_BASELINE},
    {0x4d, "0x0x0000", BRAID_ORTC_H264_MAIN},
    {0x64, "00000000", BRAID_ORTC_H264_HIGH},
    {0x64, "00001100", BRAID_ORTC_H264_CONSTRAINED_HIGH},
    {0xf4, "00000000", BRAID_ORTC_H264_PREDICTIVE_HIGH_444},
};

static bool iop_matches(const char *pattern, unsigned iop) {
  for (int bit = 0; bit < 8; bit++) {
    char c = pattern[bit];
    unsigned v = (iop >> (7 - bit)) & 1u;
    if (c != 'x' && (unsigned)(c - '0') != v) return false;
  }
  return true;
}

static int hex_digit(uint32_t cp) {
  if (cp >= '0' && cp <= '9') return (int)(cp - '0');
  if (cp >= 'a' && cp <= 'f') return (int)(cp - 'a' + 10);
  if (cp >= 'A' && cp <= 'F') return (int)(cp - 'A' + 10);
  return -1;
}

/*
 * JS parseInt(str, 16) for a string of at most six code points. Returns
 * false for NaN; the value fits easily in 32 bits (six hex digits at most).
 */
static bool parse_int_hex(const uint32_t *cp, size_t n, int32_t *value) {
  size_t i = 0;
  while (i < n && braid_ortc_jsjson_is_space(cp[i]))
    i++;
  int sign = 1;
  if (i < n && (cp[i] == '-' || cp[i] == '+')) {
    if (cp[i] == '-') sign = -1;
    i++;
  }
  if (n - i >= 2 && cp[i] == '0' && (cp[i + 1] == 'x' || cp[i + 1] == 'X')) i += 2;
  int32_t v = 0;
  size_t start = i;
  for (; i < n && hex_digit(cp[i]) >= 0; i++)
    v = v * 16 + hex_digit(cp[i]);
  if (i == start) return false;
  *value = sign * v;
  return true;
}

/* The level of a level_idc, or -1 when the package does not know it. */
static int level_of(unsigned level_idc, unsigned profile_iop) {
  switch (level_idc) {
  case 11: return (profile_iop & CONSTRAINT_SET3) != 0 ? BRAID_ORTC_H264_LEVEL_1B : 11;
  case 10:
  case 12:
  case 13:
  case 20:
  case 21:
  case 22:
  case 30:
  case 31:
  case 32:
  case 40:
  case 41:
  case 42:
  case 50:
  case 51:
  case 52: return (int)level_idc;
  default: return -1;
  }
}

bool braid_ortc_h264_profile_parse(const json_t *str, braid_ortc_h264_plid_t *out) {
  if (!json_is_string(str)) return false;
  const char *s = json_string_value(str);
  size_t len = json_string_length(str);

  /* str.length !== 6, counted in UTF-16 code units. */
  uint32_t cp[6];
  size_t ncp = 0, units = 0, i = 0;
  while (i < len) {
    uint32_t c = braid_ortc_jsjson_utf8_next(s, len, &i);
    units += c >= 0x10000 ? 2 : 1;
    if (units > 6) return false;
    cp[ncp++] = c;
  }
  if (units != 6) return false;

  int32_t value;
  if (!parse_int_hex(cp, ncp, &value) || value == 0) return false;
  /* JS bit operators work on the 32-bit two's complement of the value. */
  uint32_t bits = (uint32_t)value;
  unsigned level_idc = bits & 0xffu;
  unsigned profile_iop = (bits >> 8) & 0xffu;
  unsigned profile_idc = (bits >> 16) & 0xffu;

  int level = level_of(level_idc, profile_iop);
  if (level < 0) return false;
  for (size_t k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
    if (profile_idc == patterns[k].idc && iop_matches(patterns[k].iop, profile_iop)) {
      out->profile = patterns[k].profile;
      out->level = level;
      return true;
    }
  }
  return false;
}

static const json_t *plid_param(const json_t *params) {
  return json_is_object(params) ? json_object_get(params, "profile-level-id") : NULL;
}

bool braid_ortc_h264_profile_parse_sdp(const json_t *params, braid_ortc_h264_plid_t *out) {
  const json_t *v = plid_param(params);
  if (!braid_ortc_jsval_truthy(v)) {
    /* libwebrtc's interim default (crbug.com/webrtc/6337), kept by the
     * package: Constrained Baseline 3.1 rather than RFC 6184's Baseline 1. */
    out->profile = BRAID_ORTC_H264_CONSTRAINED_BASELINE;
    out->level = 31;
    return true;
  }
  return braid_ortc_h264_profile_parse(v, out);
}

bool braid_ortc_h264_profile_is_same(const json_t *params1, const json_t *params2) {
  braid_ortc_h264_plid_t a, b;
  return braid_ortc_h264_profile_parse_sdp(params1, &a) &&
         braid_ortc_h264_profile_parse_sdp(params2, &b) && a.profile == b.profile;
}

bool braid_ortc_h264_profile_to_string(const braid_ortc_h264_plid_t *plid,
                                       char out[BRAID_ORTC_H264_PLID_STRLEN]) {
  const char *s = NULL;
  if (plid->level == BRAID_ORTC_H264_LEVEL_1B) {
    switch (plid->profile) {
    case BRAID_ORTC_H264_CONSTRAINED_BASELINE: s = "42f00b"; break;
    case BRAID_ORTC_H264_BASELINE: s = "42100b"; break;
    case BRAID_ORTC_H264_MAIN: s = "4d100b"; break;
    default: return false;
    }
    memcpy(out, s, BRAID_ORTC_H264_PLID_STRLEN);
    return true;
  }
  switch (plid->profile) {
  case BRAID_ORTC_H264_CONSTRAINED_BASELINE: s = "42e0"; break;
  case BRAID_ORTC_H264_BASELINE: s = "4200"; break;
  case BRAID_ORTC_H264_MAIN: s = "4d00"; break;
  case BRAID_ORTC_H264_CONSTRAINED_HIGH: s = "640c"; break;
  case BRAID_ORTC_H264_HIGH: s = "6400"; break;
  case BRAID_ORTC_H264_PREDICTIVE_HIGH_444: s = "f400"; break;
  default: return false;
  }
  snprintf(out, BRAID_ORTC_H264_PLID_STRLEN, "%s%02x", s, (unsigned)plid->level & 0xffu);
  return true;
}

/* isLevelAsymmetryAllowed(): the value must be === 1, === "1" or === true. */
static bool level_asymmetry_allowed(const json_t *params) {
  const json_t *v =
      json_is_object(params) ? json_object_get(params, "level-asymmetry-allowed") : NULL;
  if (json_is_true(v)) return true;
  if (json_is_number(v)) return json_number_value(v) == 1.0;
  return json_is_string(v) && json_string_length(v) == 1 && json_string_value(v)[0] == '1';
}

/* Level order, where 1b sits between 1 and 1.1. */
static bool level_less(int a, int b) {
  if (a == BRAID_ORTC_H264_LEVEL_1B) return b != 10 && b != BRAID_ORTC_H264_LEVEL_1B;
  if (b == BRAID_ORTC_H264_LEVEL_1B) return a != 10;
  return a < b;
}

int braid_ortc_h264_profile_answer(const json_t *local, const json_t *remote,
                                   char out[BRAID_ORTC_H264_PLID_STRLEN], bool *present, char *err,
                                   size_t errlen) {
  *present = false;
  if (!braid_ortc_jsval_truthy(plid_param(local)) && !braid_ortc_jsval_truthy(plid_param(remote)))
    return 0;

  braid_ortc_h264_plid_t lp, rp;
  if (!braid_ortc_h264_profile_parse_sdp(local, &lp))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid local_profile_level_id");
  if (!braid_ortc_h264_profile_parse_sdp(remote, &rp))
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "invalid remote_profile_level_id");
  if (lp.profile != rp.profile)
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "H264 Profile mismatch");

  bool asymmetry = level_asymmetry_allowed(local) && level_asymmetry_allowed(remote);
  int min_level = level_less(lp.level, rp.level) ? lp.level : rp.level;
  braid_ortc_h264_plid_t answer = {lp.profile, asymmetry ? lp.level : min_level};
  *present = braid_ortc_h264_profile_to_string(&answer, out);
  return 0;
}
