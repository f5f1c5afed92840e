#include "controller/ortc/transport.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "controller/ortc/jsval.h"

void braid_ortc_transport_init(braid_ortc_transport_t *t, bool is_pipe) {
  t->is_pipe = is_pipe;
  t->cname = NULL;
  t->next_mid = 0;
}

void braid_ortc_transport_cleanup(braid_ortc_transport_t *t) {
  json_decref(t->cname);
  t->cname = NULL;
}

static json_t *random_string(const char *random_cname) {
  size_t n = strlen(random_cname);
  return json_stringn(random_cname,
                      n < BRAID_ORTC_CNAME_RANDOM_LEN ? n : BRAID_ORTC_CNAME_RANDOM_LEN);
}

int braid_ortc_transport_apply_cname(braid_ortc_transport_t *t, json_t *rtp_params,
                                     const char *random_cname, bool *changed) {
  if (changed != NULL) *changed = false;
  json_t *rtcp = json_object_get(rtp_params, "rtcp");
  json_t *given = json_object_get(rtcp, "cname");
  if (t->is_pipe) {
    if (braid_ortc_jsval_truthy(given)) return 0;
    return json_object_set_new(rtcp, "cname", random_string(random_cname)) == 0 ? 0 : BRAID_ENOMEM;
  }
  if (t->cname == NULL) {
    /* A truthy cname is a string: validation rejects anything else. */
    json_t *c =
        braid_ortc_jsval_truthy(given) ? json_deep_copy(given) : random_string(random_cname);
    if (c == NULL) return BRAID_ENOMEM;
    t->cname = c;
    if (changed != NULL) *changed = true;
  }
  return json_object_set_new(rtcp, "cname", json_deep_copy(t->cname)) == 0 ? 0 : BRAID_ENOMEM;
}

const char *braid_ortc_transport_next_mid(braid_ortc_transport_t *t,
                                          char out[BRAID_ORTC_MID_STRLEN]) {
  snprintf(out, BRAID_ORTC_MID_STRLEN, "%u", (unsigned)(t->next_mid % BRAID_ORTC_MID_WRAP));
  t->next_mid = (t->next_mid + 1) % BRAID_ORTC_MID_WRAP;
  return out;
}
