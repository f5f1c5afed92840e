#include "common/buf.h"

#include <string.h>

#include "common/err.h"
#include "common/mem.h"

void braid_buf_init(braid_buf_t *b, size_t max) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

void braid_buf_cleanup(braid_buf_t *b) {
  braid_free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int braid_buf_reserve(braid_buf_t *b, size_t extra) {
  if (extra > b->max || b->len > b->max - extra) return BRAID_ETOOBIG;
  size_t need = b->len + extra;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap = cap > b->max / 2 ? b->max : cap * 2;
  uint8_t *p = braid_realloc(b->data, cap + 1); /* +1 keeps room for braid_buf_terminate */
  if (p == NULL) return BRAID_ENOMEM;
  b->data = p;
  b->cap = cap;
  return 0;
}

int braid_buf_append(braid_buf_t *b, const void *data, size_t len) {
  int rc = braid_buf_reserve(b, len);
  if (rc != 0) return rc;
  if (len > 0) memcpy(b->data + b->len, data, len);
  b->len += len;
  return 0;
}

int braid_buf_terminate(braid_buf_t *b) {
  int rc = braid_buf_reserve(b, 0);
  if (rc != 0) return rc;
  if (b->data == NULL) {
    rc = braid_buf_reserve(b, 1);
    if (rc != 0) return rc;
  }
  b->data[b->len] = '\0';
  return 0;
}
