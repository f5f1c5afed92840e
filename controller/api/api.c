#include "controller/api/api.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "controller/api/api_routes.h"
#include "controller/signaling/protoo.h"

#define MAX_SEGMENTS 8

/* A path split at '/', in place: "/rooms/r/broadcasters" -> rooms, r, ... */
typedef struct path {
  char buf[BRAID_HTTP_MAX_URI + 1];
  const char *seg[MAX_SEGMENTS];
  size_t n;
  bool too_deep;
} path_t;

static void path_split(path_t *p, const char *path) {
  snprintf(p->buf, sizeof p->buf, "%s", path);
  p->n = 0;
  p->too_deep = false;
  for (char *s = p->buf; *s;) {
    while (*s == '/') *s++ = '\0';
    if (*s == '\0') break;
    if (p->n == MAX_SEGMENTS) {
      p->too_deep = true;
      return;
    }
    p->seg[p->n++] = s;
    while (*s && *s != '/') s++;
  }
}

/* Does segment i equal word? */
static bool is(const path_t *p, size_t i, const char *word) {
  return i < p->n && strcmp(p->seg[i], word) == 0;
}

/* An id from the URL: printable, at most max bytes, valid UTF-8 (it goes
 * into JSON and logs). */
static bool copy_id(char *dst, size_t size, const char *src) {
  size_t n = strlen(src);
  if (n == 0 || n >= size) return false;
  for (const unsigned char *q = (const unsigned char *)src; *q; q++)
    if (*q < 0x20 || *q == 0x7f) return false;
  json_t *j = json_string(src);
  if (j == NULL) return false;
  json_decref(j);
  memcpy(dst, src, n + 1);
  return true;
}

static bool parse_body(braid_api_req_t *rq) {
  size_t len;
  const char *text = braid_http_req_body(rq->http, &len);
  json_error_t jerr;
  if (len == 0) {
    rq->body = json_object();
    return true;
  }
  rq->body = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (rq->body != NULL && braid_json_too_deep(rq->body)) {
    braid_api_fail(rq, 400, "invalid JSON body: nested deeper than %d levels", BRAID_JSON_MAX_DEPTH);
    return false;
  }
  if (json_is_object(rq->body)) return true;
  if (rq->body == NULL)
    braid_api_fail(rq, 400, "invalid JSON body: %s (line %d)", jerr.text, jerr.line);
  else
    braid_api_fail(rq, 400, "invalid JSON body: not an object");
  return false;
}

void braid_api_on_http(braid_ctl_t *ctl, braid_http_req_t *r) {
  braid_api_req_t *rq = braid_api_req_new(ctl, r);
  braid_http_method_t m = braid_http_req_method(r);
  path_t p;
  path_split(&p, braid_http_req_path(r));
  BRAID_LOGD("api", "%s %s", m == BRAID_HTTP_GET ? "GET" : m == BRAID_HTTP_POST ? "POST" : "DELETE",
             braid_http_req_path(r));
  if (p.too_deep || !is(&p, 0, "rooms") || p.n < 2) {
    braid_api_fail(rq, 404, "no such resource");
    return;
  }
  if (!copy_id(rq->room_id, sizeof rq->room_id, p.seg[1]) ||
      (p.n >= 4 && !copy_id(rq->peer_id, sizeof rq->peer_id, p.seg[3])) ||
      (p.n >= 5 && is(&p, 4, "transports") && p.n >= 6 &&
       !copy_id(rq->transport_id, sizeof rq->transport_id, p.seg[5])) ||
      (p.n >= 6 && is(&p, 4, "consumers") &&
       !copy_id(rq->object_id, sizeof rq->object_id, p.seg[5]))) {
    braid_api_fail(rq, 400, "invalid or too long id in the path");
    return;
  }
  if (m != BRAID_HTTP_GET && m != BRAID_HTTP_POST && m != BRAID_HTTP_DELETE) {
    braid_api_fail(rq, 405, "method not allowed");
    return;
  }
  if (!parse_body(rq)) return;
  if (p.n == 2) {
    if (m == BRAID_HTTP_GET) braid_api_room_caps(rq);
    else braid_api_fail(rq, 405, "method not allowed");
    return;
  }
  if (!is(&p, 2, "broadcasters")) {
    braid_api_fail(rq, 404, "no such resource");
    return;
  }
  if (p.n == 3) {
    if (m == BRAID_HTTP_POST) braid_api_bcast_create(rq);
    else braid_api_fail(rq, 405, "method not allowed");
    return;
  }
  if (p.n == 4) {
    if (m == BRAID_HTTP_DELETE) braid_api_bcast_delete(rq);
    else braid_api_fail(rq, 405, "method not allowed");
    return;
  }
  if (m != BRAID_HTTP_POST) {
    braid_api_fail(rq, 405, "method not allowed");
    return;
  }
  /* POST /rooms/:room/broadcasters/:b/... */
  if (p.n == 5 && is(&p, 4, "join")) {
    braid_api_bcast_join(rq);
  } else if (p.n == 5 && is(&p, 4, "transports")) {
    braid_api_transport_create(rq);
  } else if (p.n == 5 && is(&p, 4, "producers")) {
    rq->current = true;
    braid_api_produce(rq);
  } else if (p.n == 5 && is(&p, 4, "consumers")) {
    rq->current = true;
    braid_api_consume(rq);
  } else if (p.n == 7 && is(&p, 4, "consumers") && is(&p, 6, "resume")) {
    braid_api_consumer_resume(rq);
  } else if (p.n == 7 && is(&p, 4, "transports") && is(&p, 6, "connect")) {
    braid_api_transport_connect(rq);
  } else if (p.n == 7 && is(&p, 4, "transports") && is(&p, 6, "producers")) {
    braid_api_produce(rq);
  } else if (p.n == 7 && is(&p, 4, "transports") && is(&p, 6, "consume")) {
    braid_api_consume(rq);
  } else if (p.n == 5 && is(&p, 4, "dataProducers")) {
    rq->current = true;
    braid_api_produce_data(rq);
  } else if (p.n == 5 && is(&p, 4, "dataConsumers")) {
    rq->current = true;
    braid_api_consume_data(rq);
  } else if (p.n == 8 && is(&p, 4, "transports") && is(&p, 6, "produce") && is(&p, 7, "data")) {
    braid_api_produce_data(rq);
  } else if (p.n == 8 && is(&p, 4, "transports") && is(&p, 6, "consume") && is(&p, 7, "data")) {
    braid_api_consume_data(rq);
  } else {
    braid_api_fail(rq, 404, "no such resource");
  }
}
