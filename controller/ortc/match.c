#include "controller/ortc/match.h"

#include <string.h>

#include "common/err.h"
#include "controller/ortc/h264_profile.h"
#include "controller/ortc/jsval.h"

/*
 * Reads one character of s folded as JS's toLowerCase() folds it onto
 * ASCII: 'A'-'Z' become 'a'-'z', the Kelvin sign (UTF-8 e2 84 aa) becomes
 * 'k', and any other byte is returned as is (see match.h for why that is
 * enough).
 */
static unsigned char fold_next(const char *s, size_t len, size_t *i) {
  unsigned char c = (unsigned char)s[*i];
  if (c >= 'A' && c <= 'Z') {
    (*i)++;
    return (unsigned char)(c - 'A' + 'a');
  }
  if (c == 0xe2 && len - *i >= 3 && (unsigned char)s[*i + 1] == 0x84 &&
      (unsigned char)s[*i + 2] == 0xaa) {
    *i += 3;
    return 'k';
  }
  (*i)++;
  return c;
}

static bool ieq(const char *a, size_t alen, const char *b, size_t blen) {
  size_t i = 0, j = 0;
  while (i < alen && j < blen) {
    if (fold_next(a, alen, &i) != fold_next(b, blen, &j)) return false;
  }
  return i == alen && j == blen;
}

bool braid_ortc_match_mime_is(const json_t *codec, const char *lower_mime) {
  const json_t *mime = json_object_get(codec, "mimeType");
  return json_is_string(mime) &&
         ieq(json_string_value(mime), json_string_length(mime), lower_mime, strlen(lower_mime));
}

static const json_t *param(const json_t *codec, const char *key) {
  const json_t *params = json_object_get(codec, "parameters");
  return json_is_object(params) ? json_object_get(params, key) : NULL;
}

static bool same_param(const json_t *a, const json_t *b, const char *key) {
  return braid_ortc_jsval_strict_eq(param(a, key), param(b, key));
}

/* `(a.parameters[key] || 0) === (b.parameters[key] || 0)`. A truthy value
 * is never === 0, so two falsy values are equal and a falsy one equals no
 * truthy one. */
static bool same_param_or_zero(const json_t *a, const json_t *b, const char *key) {
  const json_t *av = param(a, key), *bv = param(b, key);
  bool at = braid_ortc_jsval_truthy(av), bt = braid_ortc_jsval_truthy(bv);
  if (!at || !bt) return at == bt;
  return braid_ortc_jsval_strict_eq(av, bv);
}

bool braid_ortc_match_codecs_loose(const json_t *a, const json_t *b) {
  return braid_ortc_match_codecs((json_t *)a, b, 0) == 1;
}

/* The H264 part of strict matching; may rewrite a's profile-level-id. */
static int match_h264(json_t *a, const json_t *b, unsigned flags) {
  if (!same_param_or_zero(a, b, "packetization-mode")) return 0;
  const json_t *ap = json_object_get(a, "parameters");
  const json_t *bp = json_object_get(b, "parameters");
  if (!braid_ortc_h264_profile_is_same(ap, bp)) return 0;
  char answer[BRAID_ORTC_H264_PLID_STRLEN];
  bool present;
  if (braid_ortc_h264_profile_answer(ap, bp, answer, &present, NULL, 0) != 0) return 0;
  /* JS would set a property on a parameters array that JSON never shows;
   * we leave the array alone. */
  if ((flags & BRAID_ORTC_MATCH_MODIFY) == 0 || !json_is_object(ap)) return 1;
  if (!present) {
    json_object_del((json_t *)ap, "profile-level-id");
    return 1;
  }
  return json_object_set_new((json_t *)ap, "profile-level-id", json_string(answer)) == 0
             ? 1
             : BRAID_ENOMEM;
}

int braid_ortc_match_codecs(json_t *a, const json_t *b, unsigned flags) {
  const json_t *amime = json_object_get(a, "mimeType");
  const json_t *bmime = json_object_get(b, "mimeType");
  if (!json_is_string(amime) || !json_is_string(bmime)) return 0; /* not validated */
  if (!ieq(json_string_value(amime), json_string_length(amime), json_string_value(bmime),
           json_string_length(bmime)))
    return 0;
  if (!braid_ortc_jsval_strict_eq(json_object_get(a, "clockRate"), json_object_get(b, "clockRate")))
    return 0;
  if (!braid_ortc_jsval_strict_eq(json_object_get(a, "channels"), json_object_get(b, "channels")))
    return 0;

  bool strict = (flags & BRAID_ORTC_MATCH_STRICT) != 0;
  if (braid_ortc_match_mime_is(a, "audio/multiopus")) {
    if (!same_param(a, b, "num_streams") || !same_param(a, b, "coupled_streams")) return 0;
  } else if (strict && braid_ortc_match_mime_is(a, "video/h264")) {
    return match_h264(a, b, flags);
  } else if (strict && braid_ortc_match_mime_is(a, "video/vp9")) {
    if (!same_param_or_zero(a, b, "profile-id")) return 0;
  }
  return 1;
}

/* A JS line terminator ends at s[end - 1]: \n, \r, U+2028 or U+2029. */
static bool line_terminator_before(const unsigned char *s, size_t end) {
  if (end >= 1 && (s[end - 1] == '\n' || s[end - 1] == '\r')) return true;
  return end >= 3 && s[end - 3] == 0xe2 && s[end - 2] == 0x80 &&
         (s[end - 1] == 0xa8 || s[end - 1] == 0xa9);
}

bool braid_ortc_match_is_rtx(const json_t *codec) {
  const json_t *mime = json_object_get(codec, "mimeType");
  if (!json_is_string(mime)) return false;
  const unsigned char *s = (const unsigned char *)json_string_value(mime);
  size_t len = json_string_length(mime);
  /* The /i flag without /u folds ASCII letters only. */
  static const char tail[] = "/rtx";
  if (len < 5) return false;
  for (size_t i = 0; i < 4; i++) {
    unsigned char c = s[len - 4 + i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
    if (c != (unsigned char)tail[i]) return false;
  }
  return !line_terminator_before(s, len - 4);
}
