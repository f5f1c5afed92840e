/*
 * Replies: media daemon -> controller, on braid:ctl:<controller-id>.
 *
 * Keys (besides "v" and "t" = "reply"):
 *   "id"  uint64  the command's request id
 *   "ok"  bool
 *   "ec"  int     error code (a BRAID_E* value), required when ok is false
 *   "er"  string  error reason (<= BRAID_REASON_MAX), required when ok is false
 *   "r"   map     result, optional; its keys depend on the command:
 *                   router.create: "router" string
 *                   transport.create_webrtc: "port" uint (1..65535: the
 *                                  UDP and ICE-TCP port of the transport,
 *                                  for its ICE candidates)
 *                   transport.create_plain: "port" uint (1..65535: its RTP
 *                                  port), "rtcp_port" uint (0..65535: its
 *                                  RTCP port, 0 with rtcp_mux)
 *                   node.dump:     "routers" array of strings (router ids)
 *                   consumer.create: "producer_paused" bool (whether the
 *                                  consumer's producer is paused now)
 *                   data_consumer.create: "stream" uint (0..65534: the
 *                                  SCTP stream the node picked for it)
 *                   *.stats:       "stats" string (JSON text of a stats
 *                                  array, <= BRAID_STATS_JSON_MAX)
 *                 braid_reply_decode() keeps the raw msgpack bytes of "r";
 *                 braid_reply_result_*() read them.
 */
#ifndef BRAID_PROTO_REPLY_H
#define BRAID_PROTO_REPLY_H

#include "proto/data.h"
#include "proto/proto.h"

/* Largest stats JSON text a reply carries. */
#define BRAID_STATS_JSON_MAX 16384

typedef struct braid_reply {
  uint64_t id;
  bool ok;
  int32_t error_code;   /* 0 when ok */
  braid_str_t reason;   /* borrowed; empty when ok */
  const uint8_t *result; /* borrowed: raw msgpack of "r", or NULL */
  size_t result_len;
} braid_reply_t;

/*
 * Encoders append one reply to out and return 0, BRAID_ETOOBIG (the reply
 * would exceed BRAID_PROTO_MAX_MSG or out->max) or BRAID_ENOMEM; on failure
 * out is left as it was. Strings are borrowed for the duration of the call.
 */

/* Encodes a success reply with an empty result: no "r" key, so the decoded
 * reply has result == NULL. */
int braid_reply_encode_ok(uint64_t id, braid_buf_t *out);
/* Encodes a success reply whose result is {"router": router_id}. Also
 * returns BRAID_EINVAL when router_id is over BRAID_ID_MAX. */
int braid_reply_encode_router(uint64_t id, braid_str_t router_id, braid_buf_t *out);
/* Encodes a success reply whose result is {"port": port}. Also returns
 * BRAID_EINVAL when port is 0. */
int braid_reply_encode_transport(uint64_t id, uint16_t port, braid_buf_t *out);
/* Encodes a success reply whose result is {"port": port, "rtcp_port":
 * rtcp_port} (rtcp_port 0: RTCP is muxed on port). Also returns BRAID_EINVAL
 * when port is 0. */
int braid_reply_encode_plain(uint64_t id, uint16_t port, uint16_t rtcp_port, braid_buf_t *out);
/* Encodes a success reply whose result is {"routers": [ids...]}. Also
 * returns BRAID_EINVAL when an id is over BRAID_ID_MAX, or router_ids is
 * NULL with n > 0. */
int braid_reply_encode_dump(uint64_t id, const braid_str_t *router_ids, size_t n,
                            braid_buf_t *out);
/* Encodes a success reply whose result is {"stats": json} (JSON text).
 * Also returns BRAID_EINVAL when json is over BRAID_STATS_JSON_MAX. */
int braid_reply_encode_stats(uint64_t id, braid_str_t json, braid_buf_t *out);
/* Encodes a success reply whose result is {"producer_paused": b}. */
int braid_reply_encode_consumer(uint64_t id, bool producer_paused, braid_buf_t *out);
/* Encodes a success reply whose result is {"stream": stream}, the SCTP
 * stream of a new data consumer. Also returns BRAID_EINVAL when stream is
 * over BRAID_SCTP_STREAM_ID_MAX (65535 is not a stream id). */
int braid_reply_encode_data_consumer(uint64_t id, uint16_t stream, braid_buf_t *out);
/* Encodes an error reply. reason (NULL for none) is truncated to
 * BRAID_REASON_MAX bytes, without splitting a UTF-8 sequence. */
int braid_reply_encode_error(uint64_t id, int32_t code, const char *reason, braid_buf_t *out);

/* Decodes a reply (same error contract as braid_cmd_decode); "t" must be
 * "reply", "id" and "ok" are required, and "ec" and "er" too when ok is
 * false. When ok is true, error_code is 0 and reason empty whatever was
 * sent. "r", when present, must be a map; it is checked for structure
 * (truncation, nesting depth) but its keys are read only by the functions
 * below. reply's views borrow from data. Never allocates. */
int braid_reply_decode(braid_reply_t *reply, const uint8_t *data, size_t len, const char **why);

/* Reads "router" from a reply's result into *router_id (borrowed from the
 * reply's input). Returns 0; BRAID_EMISSING (no result, or no "router"),
 * BRAID_ETYPE, BRAID_ETOOBIG (over BRAID_ID_MAX) or another malformed-band
 * code, with *why set if why is not NULL. Never allocates. */
int braid_reply_result_router(const braid_reply_t *reply, braid_str_t *router_id,
                              const char **why);
/* Reads up to max router ids of a node.dump result into ids (borrowed from
 * the reply's input); *n gets the count. Returns 0; BRAID_EMISSING (no
 * result, or no "routers"), BRAID_ETYPE ("routers" not an array of
 * strings), BRAID_ETOOBIG (more than max ids, or an id over BRAID_ID_MAX)
 * or another malformed-band code, with *why set. On failure ids may have
 * been partly written and *n is unchanged. */
int braid_reply_result_dump(const braid_reply_t *reply, braid_str_t *ids, size_t max, size_t *n,
                            const char **why);

/* Reads "port" from a transport.create_webrtc reply's result. Returns 0;
 * BRAID_EMISSING (no result, or no "port": a node that predates it),
 * BRAID_ETYPE, BRAID_EMALFORMED (not in 1..65535) or another
 * malformed-band code, with *why set if why is not NULL. Never allocates. */
int braid_reply_result_transport(const braid_reply_t *reply, uint16_t *port, const char **why);

/* Reads "port" and "rtcp_port" from a transport.create_plain reply's
 * result (*rtcp_port 0: RTCP is muxed). Returns 0; BRAID_EMISSING (no
 * result, or either key missing), BRAID_ETYPE, BRAID_EMALFORMED ("port"
 * not in 1..65535, "rtcp_port" not in 0..65535) or another malformed-band
 * code, with *why set if why is not NULL. Never allocates. */
int braid_reply_result_plain(const braid_reply_t *reply, uint16_t *port, uint16_t *rtcp_port,
                             const char **why);

/* Reads "producer_paused" from a consumer.create reply's result. Same
 * errors as braid_reply_result_router(). */
int braid_reply_result_consumer(const braid_reply_t *reply, bool *producer_paused, const char **why);
/* Reads "stream" from a data_consumer.create reply's result. Returns 0;
 * BRAID_EMISSING (no result, or no "stream"), BRAID_ETYPE,
 * BRAID_EMALFORMED (over BRAID_SCTP_STREAM_ID_MAX) or another
 * malformed-band code, with *why set if why is not NULL; *stream is
 * unchanged on failure. Never allocates. */
int braid_reply_result_data_consumer(const braid_reply_t *reply, uint16_t *stream,
                                     const char **why);
/* Reads "stats" from a reply's result (borrowed). Same errors as
 * braid_reply_result_router(). */
int braid_reply_result_stats(const braid_reply_t *reply, braid_str_t *json, const char **why);

#endif
