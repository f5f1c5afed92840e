#include "controller/ortc/consume.h"

#include <string.h>

#include "common/err.h"
#include "controller/ortc/consumer.h"
#include "controller/ortc/rtp_params.h"
#include "controller/ortc/validate.h"

int braid_ortc_consume(braid_ortc_transport_t *t, const braid_ortc_consume_req_t *req,
                       json_t **rtp_parameters_out, bool *mid_advanced, char *err, size_t errlen) {
  *rtp_parameters_out = NULL;
  if (mid_advanced != NULL) *mid_advanced = false;
  if (req->rtp_capabilities == NULL)
    return braid__ortc_fail(err, errlen, BRAID_EINVAL, "caps is not an object");
  json_t *caps = json_deep_copy(req->rtp_capabilities);
  json_t *params = NULL;
  int rc = BRAID_ENOMEM;
  if (caps == NULL) goto out_free;
  if ((rc = braid_ortc_rtp_params_validate_caps(caps, err, errlen)) != 0) goto out_free;
  if (req->consumable == NULL) {
    rc = braid__ortc_fail(err, errlen, BRAID_ENOTFOUND, "Producer with id \"%s\" not found",
                          req->producer_id != NULL ? req->producer_id : "undefined");
    goto out_free;
  }
  bool enable_rtx = req->enable_rtx == BRAID_ORTC_RTX_DEFAULT
                        ? (req->kind != NULL && strcmp(req->kind, "video") == 0)
                        : req->enable_rtx != BRAID_ORTC_RTX_OFF;
  rc = braid_ortc_consumer_params(req->consumable, caps, req->pipe, enable_rtx, req->random_ssrc,
                                  req->random_rtx_ssrc, &params, err, errlen);
  if (rc != 0) goto out_free;
  if (!req->pipe) {
    char next[BRAID_ORTC_MID_STRLEN];
    bool given = req->mid != NULL && req->mid[0] != '\0';
    braid_ortc_transport_t moved = *t; /* take the MID only once nothing can fail */
    json_t *mid = json_string(given ? req->mid : braid_ortc_transport_next_mid(&moved, next));
    if (mid == NULL || json_object_set_new(params, "mid", mid) != 0) {
      rc = BRAID_ENOMEM;
      goto out_free;
    }
    if (!given) {
      t->next_mid = moved.next_mid;
      if (mid_advanced != NULL) *mid_advanced = true;
    }
  }
  *rtp_parameters_out = params;
  params = NULL;
out_free:
  if (rc == BRAID_ENOMEM) braid__ortc_fail(err, errlen, rc, "out of memory");
  json_decref(params);
  json_decref(caps);
  return rc;
}
