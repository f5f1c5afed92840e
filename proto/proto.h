/*
 * Control-plane messages between controllers and media daemons.
 *
 * Every message is one msgpack map, at most BRAID_PROTO_MAX_MSG bytes, whose
 * keys are short strings. Two keys are common to all messages:
 *   "v"  unsigned int  protocol version, BRAID_PROTO_VERSION; others are
 *                      rejected with BRAID_EVERSION
 *   "t"  string        message type, e.g. "router.create", "reply",
 *                      "peer.joined"
 * Unknown keys are ignored (forward compatibility); missing required keys give
 * BRAID_EMISSING, wrong types BRAID_ETYPE, over-long strings BRAID_ETOOBIG.
 *
 * Transport over Redis (ARCHITECTURE.md §2):
 *   commands  XADD braid:node:<id>:cmd MAXLEN ~ N * m <msg>     (braid_cmd_t)
 *   replies   PUBLISH braid:ctl:<controller-id> <msg>           (braid_reply_t)
 *   events    PUBLISH braid:room:<room>:ev <msg>                (braid_event_t)
 *
 * Decoders never allocate: strings in decoded structs are braid_str_t views
 * borrowed from the input buffer, valid while that buffer is. Encoders append
 * to a braid_buf_t (max BRAID_PROTO_MAX_MSG) and return 0, BRAID_ETOOBIG or
 * BRAID_ENOMEM.
 */
#ifndef BRAID_PROTO_PROTO_H
#define BRAID_PROTO_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/str.h"

#define BRAID_PROTO_VERSION 1

#endif
