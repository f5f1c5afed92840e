#include "controller/signaling/protoo.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/limits.h"

/* JavaScript truthiness, which is what protoo's own parser applies. */
static bool js_truthy(const json_t *v) {
  if (v == NULL) return false;
  switch (json_typeof(v)) {
  case JSON_TRUE: return true;
  case JSON_INTEGER: return json_integer_value(v) != 0;
  case JSON_REAL: return json_real_value(v) != 0.0;
  case JSON_STRING: return json_string_length(v) > 0;
  case JSON_OBJECT:
  case JSON_ARRAY: return true;
  default: return false;
  }
}

static int depth_of(const json_t *v, int limit) {
  int max = 0;
  if (limit < 0) return 1;
  if (json_is_object(v)) {
    const char *k;
    json_t *child;
    json_object_foreach((json_t *)v, k, child) {
      int d = depth_of(child, limit - 1);
      if (d > max) max = d;
    }
    return max + 1;
  }
  if (json_is_array(v)) {
    size_t i;
    json_t *child;
    json_array_foreach(v, i, child) {
      int d = depth_of(child, limit - 1);
      if (d > max) max = d;
    }
    return max + 1;
  }
  return 0;
}

bool braid_json_too_deep(const json_t *v) {
  return depth_of(v, BRAID_JSON_MAX_DEPTH) > BRAID_JSON_MAX_DEPTH;
}

static int fail(braid_protoo_msg_t *msg, int rc, const char **why, const char *reason) {
  json_decref(msg->root);
  memset(msg, 0, sizeof *msg);
  if (why) *why = reason;
  return rc;
}

int braid_protoo_parse(braid_protoo_msg_t *msg, const char *text, size_t len, const char **why) {
  json_error_t jerr;
  memset(msg, 0, sizeof *msg);
  msg->root = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
  if (msg->root == NULL) return fail(msg, BRAID_EMALFORMED, why, "invalid JSON");
  if (braid_json_too_deep(msg->root))
    return fail(msg, BRAID_EMALFORMED, why, "JSON nested too deeply");
  if (!json_is_object(msg->root)) return fail(msg, BRAID_EUNKNOWN, why, "not a JSON object");

  json_t *root = msg->root;
  json_t *data = json_object_get(root, "data");
  if (js_truthy(json_object_get(root, "request"))) {
    msg->kind = BRAID_PROTOO_REQUEST;
  } else if (js_truthy(json_object_get(root, "response"))) {
    msg->kind = BRAID_PROTOO_RESPONSE;
  } else if (js_truthy(json_object_get(root, "notification"))) {
    msg->kind = BRAID_PROTOO_NOTIFICATION;
  } else {
    return fail(msg, BRAID_EUNKNOWN, why, "not a protoo request, response or notification");
  }
  if (msg->kind != BRAID_PROTOO_NOTIFICATION) {
    msg->id = json_object_get(root, "id");
    if (!json_is_number(msg->id)) return fail(msg, BRAID_EUNKNOWN, why, "missing numeric id");
  }
  if (msg->kind != BRAID_PROTOO_RESPONSE) {
    msg->method = json_string_value(json_object_get(root, "method"));
    if (msg->method == NULL) return fail(msg, BRAID_EUNKNOWN, why, "missing method");
  } else {
    msg->ok = js_truthy(json_object_get(root, "ok"));
    if (!msg->ok) {
      msg->error_code = (int)json_number_value(json_object_get(root, "errorCode"));
      msg->error_reason = json_string_value(json_object_get(root, "errorReason"));
      if (msg->error_reason == NULL) msg->error_reason = "";
    }
  }
  if (!js_truthy(data)) {
    data = json_object();
    json_object_set_new(root, "data", data);
  }
  msg->data = data;
  return 0;
}

void braid_protoo_msg_cleanup(braid_protoo_msg_t *msg) {
  json_decref(msg->root);
  memset(msg, 0, sizeof *msg);
}

static char *dump(json_t *msg) {
  char *s = json_dumps(msg, JSON_COMPACT);
  json_decref(msg);
  return s;
}

char *braid_protoo_response(const json_t *id, json_t *data) {
  return dump(json_pack("{sbsOsbso}", "response", 1, "id", (json_t *)id, "ok", 1, "data",
                        data ? data : json_object()));
}

char *braid_protoo_error(const json_t *id, int code, const char *reason) {
  return dump(json_pack("{sbsOsbsiss}", "response", 1, "id", (json_t *)id, "ok", 0, "errorCode",
                        code, "errorReason", reason));
}

char *braid_protoo_notification(const char *method, json_t *data) {
  return dump(json_pack("{sbssso}", "notification", 1, "method", method, "data",
                        data ? data : json_object()));
}

char *braid_protoo_request(long long id, const char *method, json_t *data) {
  return dump(json_pack("{sbsIssso}", "request", 1, "id", (json_int_t)id, "method", method, "data",
                        data ? data : json_object()));
}
