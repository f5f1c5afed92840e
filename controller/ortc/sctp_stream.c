#include "controller/ortc/sctp_stream.h"

#include <stdbool.h>

#include "common/err.h"
#include "controller/ortc/jsjson.h"
#include "controller/ortc/jsval.h"
#include "controller/ortc/validate.h"

#define FAIL(msg) braid__ortc_fail(err, errlen, BRAID_EINVAL, "%s", (msg))

static int validate(json_t *params, char *err, size_t errlen) {
  if (json_is_null(params)) return braid__ortc_null_read(err, errlen, "streamId");
  if (!json_is_object(params) && !json_is_array(params)) return FAIL("params is not an object");
  /* An array has none of the keys below: streamId is missing. */
  if (!json_is_number(json_object_get(params, "streamId"))) return FAIL("missing params.streamId");

  bool ordered_given = json_is_boolean(json_object_get(params, "ordered"));
  if (!ordered_given && json_object_set_new(params, "ordered", json_true()) != 0)
    return BRAID_ENOMEM;

  const json_t *lifetime = json_object_get(params, "maxPacketLifeTime");
  const json_t *retransmits = json_object_get(params, "maxRetransmits");
  bool has_lifetime = braid_ortc_jsval_truthy(lifetime);
  bool has_retransmits = braid_ortc_jsval_truthy(retransmits);
  if (has_lifetime && !json_is_number(lifetime)) return FAIL("invalid params.maxPacketLifeTime");
  if (has_retransmits && !json_is_number(retransmits)) return FAIL("invalid params.maxRetransmits");
  if (has_lifetime && has_retransmits)
    return FAIL("cannot provide both maxPacketLifeTime and maxRetransmits");

  bool limited = has_lifetime || has_retransmits;
  if (ordered_given && json_is_true(json_object_get(params, "ordered")) && limited)
    return FAIL("cannot be ordered with maxPacketLifeTime or maxRetransmits");
  if (!ordered_given && limited && json_object_set_new(params, "ordered", json_false()) != 0)
    return BRAID_ENOMEM;
  return 0;
}

int braid_ortc_sctp_stream_validate(json_t *params, char *err, size_t errlen) {
  int rc = braid_ortc_jsjson_js_order(params);
  if (rc == 0) rc = validate(params, err, errlen);
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  return rc;
}
