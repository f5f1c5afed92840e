/*
 * H264 profile-level-id rules (RFC 6184 section 8.1), as the npm package
 * h264-profile-level-id 2.3.3 applies them for mediasoup 3.27.1's strict
 * codec matching (match.h) -- the same rules libwebrtc uses to negotiate
 * H264 (media/base/h264_profile_level_id.cc).
 *
 * A profile-level-id is three bytes in hex: profile_idc, profile_iop (the
 * constraint flags) and level_idc. What matters to matching is the profile
 * the first two bytes name, and the level: Chrome offers Main "4d001f"
 * (level 3.1) against a router's "4d0032" (level 5): same profile, so the
 * codecs match, and the answer's level is negotiated.
 *
 * Values are taken from codec `parameters` objects as clients send them, so
 * JS typing rules apply: only a string of exactly six UTF-16 code units is
 * parsed (sdp-transform turns an all-digit value such as 640032 into a
 * number, which then never parses), and it is read with JS's
 * parseInt(str, 16) (leading white space, a sign and a 0x prefix are
 * accepted; parsing stops at the first non-hex character).
 *
 * Pure functions on borrowed values; thread-safe.
 */
#ifndef BRAID_CONTROLLER_ORTC_H264_PROFILE_H
#define BRAID_CONTROLLER_ORTC_H264_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum braid_ortc_h264_profile {
  BRAID_ORTC_H264_CONSTRAINED_BASELINE = 1,
  BRAID_ORTC_H264_BASELINE = 2,
  BRAID_ORTC_H264_MAIN = 3,
  BRAID_ORTC_H264_CONSTRAINED_HIGH = 4,
  BRAID_ORTC_H264_HIGH = 5,
  BRAID_ORTC_H264_PREDICTIVE_HIGH_444 = 6,
} braid_ortc_h264_profile_t;

/* Levels are level_idc values (10 = 1, 31 = 3.1, 52 = 5.2), and level 1b,
 * which has no level_idc of its own, is 0. */
#define BRAID_ORTC_H264_LEVEL_1B 0

typedef struct braid_ortc_h264_plid {
  braid_ortc_h264_profile_t profile;
  int level;
} braid_ortc_h264_plid_t;

/* Room for a profile-level-id string and its NUL. */
#define BRAID_ORTC_H264_PLID_STRLEN 7

/*
 * parseProfileLevelId(str): true and *out filled when str is a string of six
 * UTF-16 code units whose parseInt(str, 16) value is non-zero, has a known
 * level_idc (11 with constraint_set3 in profile_iop means level 1b) and a
 * profile_idc/profile_iop pair of RFC 6184's table (0x42 x1xx0000 and 0x4d
 * 1xxx0000 and 0x58 11xx0000: Constrained Baseline; 0x42 x0xx0000 and 0x58
 * 10xx0000: Baseline; 0x4d 0x0x0000: Main; 0x64 00000000: High; 0x64
 * 00001100: Constrained High; 0xf4 00000000: Predictive High 4:4:4).
 * False for anything else, NULL included.
 */
bool braid_ortc_h264_profile_parse(const json_t *str, braid_ortc_h264_plid_t *out);

/*
 * parseSdpProfileLevelId(params): the profile-level-id of a codec parameters
 * object. A missing or falsy (JS) value gives the default, Constrained
 * Baseline level 3.1; otherwise as braid_ortc_h264_profile_parse().
 * params may be NULL (treated as {}) or a non-object (no keys).
 */
bool braid_ortc_h264_profile_parse_sdp(const json_t *params, braid_ortc_h264_plid_t *out);

/* isSameProfile(params1, params2): both parse and name the same profile. */
bool braid_ortc_h264_profile_is_same(const json_t *params1, const json_t *params2);

/*
 * profileLevelIdToString(): writes the canonical six hex digits ("42e01f";
 * level 1b as "42f00b", "42100b" or "4d100b") into out. False (out
 * untouched) for level 1b with a profile other than (Constrained) Baseline
 * and Main, or an unknown profile.
 */
bool braid_ortc_h264_profile_to_string(const braid_ortc_h264_plid_t *plid,
                                       char out[BRAID_ORTC_H264_PLID_STRLEN]);

/*
 * generateProfileLevelIdStringForAnswer(local, remote): the
 * profile-level-id of an SDP answer. When neither parameters object holds a
 * truthy profile-level-id, returns 0 with *present = false. Otherwise both
 * must parse and name the same profile; the answer keeps the local profile
 * with the local level when both sides allow level asymmetry
 * (level-asymmetry-allowed === 1, "1" or true), else the lower of the two
 * levels (1b is below 1.1 and above nothing but 1). On success *present
 * tells whether out holds a string (profileLevelIdToString() may give
 * none).
 *
 * Returns 0, or BRAID_EINVAL with the package's TypeError message in err
 * ("invalid local_profile_level_id", "invalid remote_profile_level_id",
 * "H264 Profile mismatch"). err may be NULL when errlen is 0.
 */
int braid_ortc_h264_profile_answer(const json_t *local, const json_t *remote,
                                   char out[BRAID_ORTC_H264_PLID_STRLEN], bool *present, char *err,
                                   size_t errlen);

#endif
