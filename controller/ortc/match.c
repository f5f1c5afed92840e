#include "controller/ortc/match.h"

#include <string.h>

#include "controller/ortc/jsval.h"

static unsigned char ascii_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/*
 * mediasoup lower-cases both mimeTypes and compares them with ===. Folding
 * ASCII only (and not by locale) gives the same answer against every
 * mimeType of the supported table: no non-ASCII character lower-cases to a
 * lone ASCII letter found there (the Kelvin sign becomes 'k', and no
 * supported mimeType has a 'k').
 */
static bool ieq(const char *a, size_t alen, const char *b, size_t blen) {
  if (alen != blen) return false;
  for (size_t i = 0; i < alen; i++) {
    if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i])) return false;
  }
  return true;
}

static bool same_param(const json_t *a, const json_t *b, const char *key) {
  return braid_ortc_jsval_strict_eq(json_object_get(json_object_get(a, "parameters"), key),
                                    json_object_get(json_object_get(b, "parameters"), key));
}

bool braid_ortc_match_codecs_loose(const json_t *a, const json_t *b) {
  const json_t *amime = json_object_get(a, "mimeType");
  const json_t *bmime = json_object_get(b, "mimeType");
  const char *as = json_string_value(amime);
  size_t alen = json_string_length(amime);
  if (!ieq(as, alen, json_string_value(bmime), json_string_length(bmime))) return false;
  if (!braid_ortc_jsval_strict_eq(json_object_get(a, "clockRate"), json_object_get(b, "clockRate")))
    return false;
  if (!braid_ortc_jsval_strict_eq(json_object_get(a, "channels"), json_object_get(b, "channels")))
    return false;

  /* Per codec checks; the H264 and VP9 ones apply in strict mode only. */
  static const char multiopus[] = "audio/multiopus";
  if (ieq(as, alen, multiopus, sizeof(multiopus) - 1)) {
    if (!same_param(a, b, "num_streams")) return false;
    if (!same_param(a, b, "coupled_streams")) return false;
  }
  return true;
}
