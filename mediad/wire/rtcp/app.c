/*
 * APP (RFC 3550 §6.7):
 *
 *   |V=2|P| subtype |   PT=APP=204  |             length            |
 *   |                           SSRC/CSRC                           |
 *   |                          name (ASCII)                         |
 *   |                   application-dependent data                ...
 */
#include "mediad/wire/rtcp/app.h"

int braid_rtcp_app_parse(braid_rtcp_app_t *app, const uint8_t *data, size_t len, const char **why) {
  braid_rtcp_header_t hdr;
  braid_rd_t body;
  int rc = braid_rtcp_header_open(&hdr, &body, data, len, BRAID_RTCP_PT_APP, -1, why);
  if (rc != 0) return rc;
  if (braid_rd_u32(&body, &app->ssrc) != 0 || braid_rd_bytes(&body, 4, &app->name) != 0)
    return braid__rtcp_fail(why, BRAID_EMALFORMED, "rtcp app: shorter than SSRC and name");
  app->subtype = hdr.count;
  app->data = body.p;
  app->data_len = braid_rd_left(&body);
  return 0;
}
