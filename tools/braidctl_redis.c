/*
 * braidctl's reads (braidctl.h): every reply's type is checked before use,
 * and what does not fit the layout of docs/REDIS.md becomes a warning.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/braidctl.h"

static const char *reply_type(const redisReply *r) {
  switch (r->type) {
  case REDIS_REPLY_STRING: return "a string";
  case REDIS_REPLY_ARRAY: return "an array";
  case REDIS_REPLY_INTEGER: return "an integer";
  case REDIS_REPLY_NIL: return "nil";
  case REDIS_REPLY_STATUS: return "a status";
  case REDIS_REPLY_ERROR: return "an error";
  default: return "an unknown reply";
  }
}

redisReply *braidctl_cmd(braidctl_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  redisReply *r = redisvCommand(b->rc, fmt, ap);
  va_end(ap);
  if (r == NULL) {
    fprintf(stderr, "error: redis: %s\n", b->rc->errstr[0] ? b->rc->errstr : "no reply");
    exit(1);
  }
  /* Refusals that no key explains: the rest would fail the same way. */
  if (r->type == REDIS_REPLY_ERROR &&
      (strncmp(r->str, "NOAUTH", 6) == 0 || strncmp(r->str, "NOPERM", 6) == 0 ||
       strncmp(r->str, "LOADING", 7) == 0)) {
    fprintf(stderr, "error: redis: %s\n", r->str);
    exit(1);
  }
  return r;
}

void braidctl_warn(braidctl_t *b, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
  braidctl_utf8_fix(buf, len);
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f) buf[i] = '?';
  size_t i;
  json_t *w;
  json_array_foreach(b->warnings, i, w) {
    if (json_string_length(w) == len && memcmp(json_string_value(w), buf, len) == 0)
      return; /* said */
  }
  if (json_array_size(b->warnings) >= BRAIDCTL_WARN_MAX) {
    b->warnings_dropped++;
    return;
  }
  json_t *s = json_stringn(buf, len);
  if (s != NULL) json_array_append_new(b->warnings, s);
}

void braidctl_warnings_print(braidctl_t *b) {
  size_t i;
  json_t *w;
  json_array_foreach(b->warnings, i, w) fprintf(stderr, "warning: %s\n", json_string_value(w));
  if (b->warnings_dropped > 0)
    fprintf(stderr, "warning: %zu more warnings not shown\n", b->warnings_dropped);
}

bool braidctl_key(braidctl_t *b, char *key, const char *fmt, ...) {
  size_t p = strlen(b->prefix);
  if (p >= BRAIDCTL_KEY_MAX) goto out_long;
  memcpy(key, b->prefix, p);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(key + p, BRAIDCTL_KEY_MAX - p, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= BRAIDCTL_KEY_MAX - p) goto out_long;
  return true;
out_long:
  braidctl_warn(b, "a key name longer than %d bytes (prefix %.40s...): not read", BRAIDCTL_KEY_MAX,
                b->prefix);
  key[0] = '\0';
  return false;
}

/* A copy of bytes as UTF-8 text (bad bytes '?'); *fixed counts them. */
static char *text_dup(const char *p, size_t n, size_t *fixed) {
  char *s = malloc(n + 1);
  if (s == NULL) {
    fprintf(stderr, "error: out of memory\n");
    exit(1);
  }
  memcpy(s, p, n);
  s[n] = '\0';
  *fixed += braidctl_utf8_fix(s, n);
  return s;
}

typedef struct hash_pair {
  const redisReply *k, *v; /* borrowed: elements of one HGETALL reply */
} hash_pair_t;

static int pair_cmp(const void *x, const void *y) {
  const redisReply *a = ((const hash_pair_t *)x)->k, *b = ((const hash_pair_t *)y)->k;
  int c = memcmp(a->str, b->str, a->len < b->len ? a->len : b->len);
  return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

json_t *braidctl_hash(braidctl_t *b, const char *key) {
  redisReply *r = braidctl_cmd(b, "HGETALL %s", key);
  if (r->type == REDIS_REPLY_ERROR) {
    braidctl_warn(b, "%s: %s", key, r->str);
    freeReplyObject(r);
    return NULL;
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements % 2 != 0) {
    braidctl_warn(b, "%s: HGETALL answered %s", key, reply_type(r));
    freeReplyObject(r);
    return NULL;
  }
  /* Fields in byte order (a hash has none of its own): stable output. */
  size_t n = 0, fixed = 0, odd = 0;
  hash_pair_t *pairs = malloc((r->elements / 2 + 1) * sizeof *pairs);
  if (pairs == NULL) {
    fprintf(stderr, "error: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i + 1 < r->elements; i += 2) {
    if (r->element[i]->type == REDIS_REPLY_STRING && r->element[i + 1]->type == REDIS_REPLY_STRING)
      pairs[n++] = (hash_pair_t){r->element[i], r->element[i + 1]};
    else
      odd++;
  }
  qsort(pairs, n, sizeof *pairs, pair_cmp);
  json_t *o = json_object();
  for (size_t i = 0; i < n; i++) {
    const redisReply *k = pairs[i].k, *v = pairs[i].v;
    char *ks = text_dup(k->str, k->len, &fixed);
    json_t *vs = json_stringn(v->str, v->len);
    if (vs == NULL) {
      char *t = text_dup(v->str, v->len, &fixed);
      vs = json_string(t);
      free(t);
    }
    json_object_set_new(o, ks, vs);
    free(ks);
  }
  free(pairs);
  if (fixed > 0)
    braidctl_warn(b, "%s: %zu byte(s) that are not UTF-8 text, shown as '?'", key, fixed);
  if (odd > 0) braidctl_warn(b, "%s: %zu field(s) that are not strings, skipped", key, odd);
  freeReplyObject(r);
  return o;
}

json_t *braidctl_records(braidctl_t *b, const char *key) {
  json_t *h = braidctl_hash(b, key);
  if (h == NULL) return NULL;
  json_t *out = json_object();
  const char *f;
  json_t *v;
  json_object_foreach(h, f, v) {
    json_error_t err;
    json_t *rec = json_loadb(json_string_value(v), json_string_length(v), JSON_DECODE_ANY, &err);
    if (rec == NULL) {
      braidctl_warn(b, "%s field \"%s\": not JSON (%s, at byte %d)", key, f, err.text,
                    err.position);
      rec = json_null();
    } else if (!json_is_object(rec)) {
      braidctl_warn(b, "%s field \"%s\": not a JSON object", key, f);
      json_decref(rec);
      rec = json_null();
    }
    json_object_set_new(out, f, rec);
  }
  json_decref(h);
  return out;
}

int braidctl_exists(braidctl_t *b, const char *key) {
  redisReply *r = braidctl_cmd(b, "EXISTS %s", key);
  int v = r->type == REDIS_REPLY_INTEGER ? r->integer != 0 : -1;
  if (v < 0) braidctl_warn(b, "%s: EXISTS answered %s", key, reply_type(r));
  freeReplyObject(r);
  return v;
}

json_t *braidctl_live_nodes(braidctl_t *b) {
  char set[BRAIDCTL_KEY_MAX], key[BRAIDCTL_KEY_MAX];
  json_t *out = json_object();
  if (!braidctl_key(b, set, "nodes")) return out;
  redisReply *ids = braidctl_cmd(b, "ZRANGE %s 0 -1", set);
  if (ids->type != REDIS_REPLY_ARRAY) {
    braidctl_warn(b, "%s: ZRANGE answered %s%s%s", set, reply_type(ids),
                  ids->type == REDIS_REPLY_ERROR ? ": " : "",
                  ids->type == REDIS_REPLY_ERROR ? ids->str : "");
    freeReplyObject(ids);
    return out;
  }
  for (size_t i = 0; i < ids->elements; i++) {
    const redisReply *e = ids->element[i];
    size_t fixed = 0;
    if (e->type != REDIS_REPLY_STRING) continue;
    char *id = text_dup(e->str, e->len, &fixed);
    if (fixed > 0) {
      braidctl_warn(b, "%s: member \"%s\" is not UTF-8 text: skipped", set, id);
    } else if (braidctl_key(b, key, "node:%s", id)) {
      json_t *h = braidctl_hash(b, key);
      if (h != NULL && json_object_size(h) > 0)
        json_object_set_new(out, id, h); /* else dead */
      else
        json_decref(h);
    }
    free(id);
  }
  freeReplyObject(ids);
  return out;
}

json_t *braidctl_node_pipes(braidctl_t *b, const char *node) {
  char key[BRAIDCTL_KEY_MAX];
  json_t *r = NULL;
  if (braidctl_key(b, key, "node:%s:pipes", node)) r = braidctl_records(b, key);
  return r != NULL ? r : json_object();
}
