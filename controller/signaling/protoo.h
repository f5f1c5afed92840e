/*
 * protoo messages (mediasoup-protocol.md §1.2): parsing what peers send and
 * building what we send. JSON via jansson.
 *
 *   request       {"request":true,"id":N,"method":"m","data":{...}}
 *   response      {"response":true,"id":N,"ok":true,"data":{...}}
 *   error         {"response":true,"id":N,"ok":false,"errorCode":C,"errorReason":"r"}
 *   notification  {"notification":true,"method":"m","data":{...}}
 */
#ifndef BRAID_CONTROLLER_SIGNALING_PROTOO_H
#define BRAID_CONTROLLER_SIGNALING_PROTOO_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef enum braid_protoo_kind {
  BRAID_PROTOO_REQUEST = 1,
  BRAID_PROTOO_RESPONSE,
  BRAID_PROTOO_NOTIFICATION,
} braid_protoo_kind_t;

typedef struct braid_protoo_msg {
  braid_protoo_kind_t kind;
  json_t *root;         /* owned: the parsed message */
  json_t *id;           /* borrowed from root: request/response id (a number) */
  const char *method;   /* borrowed from root: request/notification */
  json_t *data;         /* borrowed from root; an empty object when absent or falsy */
  bool ok;              /* response */
  int error_code;       /* error response */
  const char *error_reason; /* borrowed; error response */
} braid_protoo_msg_t;

/* Parses one WebSocket text message. Returns 0 (msg filled; release with
 * braid_protoo_msg_cleanup), BRAID_EMALFORMED when the text is not JSON (or
 * nests deeper than BRAID_JSON_MAX_DEPTH), or BRAID_EUNKNOWN when it is JSON
 * but not a protoo message. *why gets a static reason on failure. */
int braid_protoo_parse(braid_protoo_msg_t *msg, const char *text, size_t len, const char **why);
void braid_protoo_msg_cleanup(braid_protoo_msg_t *msg);

/* Builders return a NUL-terminated string the caller frees with free(), and
 * take ownership of data (which may be NULL for {}). id is borrowed. */
char *braid_protoo_response(const json_t *id, json_t *data);
char *braid_protoo_error(const json_t *id, int code, const char *reason);
char *braid_protoo_notification(const char *method, json_t *data);
char *braid_protoo_request(long long id, const char *method, json_t *data);

/* Whether v nests deeper than BRAID_JSON_MAX_DEPTH: what clients send is
 * refused then (Redis's cjson, which reads stored records, stops at 1000
 * levels; jansson at 2048). */
bool braid_json_too_deep(const json_t *v);

#endif
