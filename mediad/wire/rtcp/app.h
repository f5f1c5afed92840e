/*
 * Application-defined RTCP packet, APP (RFC 3550 §6.7):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P| subtype |   PT=APP=204  |             length            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           SSRC/CSRC                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                          name (ASCII)                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   application-dependent data                ...
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Braid uses no APP packet; the parser exists so that a compound carrying
 * one is recognised, validated and skipped.
 */
#ifndef BRAID_MEDIAD_WIRE_RTCP_APP_H
#define BRAID_MEDIAD_WIRE_RTCP_APP_H

#include "mediad/wire/rtcp/header.h"

typedef struct braid_rtcp_app {
  uint8_t subtype;
  uint32_t ssrc;
  const uint8_t *name; /* borrowed: 4 bytes, ASCII not checked */
  const uint8_t *data; /* borrowed: application data (may be empty) */
  size_t data_len;
} braid_rtcp_app_t;

/* Parses one APP packet, data[0..len) exactly. Views borrow from data.
 * Returns 0, or with *why set:
 *   BRAID_ETRUNC, BRAID_EVERSION, BRAID_ETYPE, BRAID_EMALFORMED
 *                     from braid_rtcp_header_open() (PT must be 204)
 *   BRAID_EMALFORMED  the body is shorter than the SSRC and name */
int braid_rtcp_app_parse(braid_rtcp_app_t *app, const uint8_t *data, size_t len, const char **why);

#endif
