/*
 * Reading the result map "r" of a reply (reply.h). braid_reply_decode()
 * has already checked that it is one well-formed map; it is read again here
 * with its own small table, at depth 1 (inside the reply's map).
 */
#include "proto/reply.h"

#include "common/err.h"
#include "common/limits.h"
#include "proto/codec.h"

typedef struct result {
  braid_str_t router;
  braid__proto_raw_t routers;
  braid_str_t stats;
  bool producer_paused;
  uint32_t port;
  uint32_t rtcp_port;
  uint32_t stream;
} result_t;

enum { F_ROUTER, F_ROUTERS, F_STATS, F_PRODUCER_PAUSED, F_PORT, F_RTCP_PORT, F_STREAM, F_COUNT };

static const braid__proto_field_t fields[F_COUNT] = {
    [F_ROUTER] = BRAID__PROTO_FIELD("router", STR, BRAID_ID_MAX, result_t, router),
    [F_ROUTERS] = BRAID__PROTO_FIELD("routers", ARRAY, 0, result_t, routers),
    [F_STATS] = BRAID__PROTO_FIELD("stats", STR, BRAID_STATS_JSON_MAX, result_t, stats),
    [F_PRODUCER_PAUSED] = BRAID__PROTO_FIELD("producer_paused", BOOL, 0, result_t, producer_paused),
    [F_PORT] = BRAID__PROTO_RANGED("port", U32, 1, 65535, result_t, port),
    [F_RTCP_PORT] = BRAID__PROTO_RANGED("rtcp_port", U32, 0, 65535, result_t, rtcp_port),
    [F_STREAM] = BRAID__PROTO_RANGED("stream", U32, 0, BRAID_SCTP_STREAM_ID_MAX, result_t, stream),
};

/* Reads the fields in want from reply's result; all of them are required. */
static int read_result(const braid_reply_t *reply, uint32_t want, result_t *res,
                       const char **why) {
  if (reply->result == NULL) return braid__proto_fail(why, "reply has no result", BRAID_EMISSING);
  braid_mpr_t m;
  uint32_t seen = 0;
  *res = (result_t){.router = {NULL, 0}};
  braid_mpr_init(&m, reply->result, reply->result_len);
  int rc = braid__proto_read_map(&m, 1, fields, F_COUNT, want, res, &seen, why);
  if (rc != 0) return rc;
  if (braid_mpr_left(&m) != 0)
    return braid__proto_fail(why, "trailing bytes after the result", BRAID_EMALFORMED);
  return braid__proto_check_required(fields, F_COUNT, want, seen, why);
}

int braid_reply_result_router(const braid_reply_t *reply, braid_str_t *router_id,
                              const char **why) {
  result_t res;
  int rc = read_result(reply, BRAID__PROTO_BIT(F_ROUTER), &res, why);
  if (rc != 0) return rc;
  *router_id = res.router;
  return 0;
}

int braid_reply_result_dump(const braid_reply_t *reply, braid_str_t *ids, size_t max, size_t *n,
                            const char **why) {
  result_t res;
  int rc = read_result(reply, BRAID__PROTO_BIT(F_ROUTERS), &res, why);
  if (rc != 0) return rc;
  braid_mpr_t m;
  uint32_t count;
  braid_mpr_init(&m, res.routers.p, res.routers.len);
  rc = braid_mpr_array(&m, &count);
  if (rc != 0) return braid__proto_fail(why, "key 'routers' has wrong type", rc);
  if (count > max) return braid__proto_fail(why, "too many router ids", BRAID_ETOOBIG);
  for (uint32_t i = 0; i < count; i++) {
    rc = braid_mpr_str(&m, &ids[i]);
    if (rc != 0) return braid__proto_fail(why, "router id has wrong type", rc);
    if (ids[i].len > BRAID_ID_MAX)
      return braid__proto_fail(why, "router id is too long", BRAID_ETOOBIG);
  }
  *n = count;
  return 0;
}

int braid_reply_result_stats(const braid_reply_t *reply, braid_str_t *json, const char **why) {
  result_t res;
  int rc = read_result(reply, BRAID__PROTO_BIT(F_STATS), &res, why);
  if (rc != 0) return rc;
  *json = res.stats;
  return 0;
}

int braid_reply_result_transport(const braid_reply_t *reply, uint16_t *port, const char **why) {
  result_t res;
  int rc = read_result(reply, BRAID__PROTO_BIT(F_PORT), &res, why);
  if (rc != 0) return rc;
  *port = (uint16_t)res.port;
  return 0;
}

int braid_reply_result_plain(const braid_reply_t *reply, uint16_t *port, uint16_t *rtcp_port,
                             const char **why) {
  result_t res;
  int rc = read_result(reply, BRAID__PROTO_BIT(F_PORT) | BRAID__PROTO_BIT(F_RTCP_PORT), &res, why);
  if (rc != 0) return rc;
  *port = (uint16_t)res.port;
  *rtcp_port = (uint16_t)res.rtcp_port;
  return 0;
}

int braid_reply_result_consumer(const braid_reply_t *reply, bool *producer_paused, const char **why) {
  result_t res;
  int rc = read_result(reply, BRAID__PROTO_BIT(F_PRODUCER_PAUSED), &res, why);
  if (rc != 0) return rc;
  *producer_paused = res.producer_paused;
  return 0;
}

int braid_reply_result_data_consumer(const braid_reply_t *reply, uint16_t *stream,
                                     const char **why) {
  result_t res;
  int rc = read_result(reply, BRAID__PROTO_BIT(F_STREAM), &res, why);
  if (rc != 0) return rc;
  *stream = (uint16_t)res.stream;
  return 0;
}
