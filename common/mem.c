#include "common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static braid_mem_hooks_t mem_hooks = {malloc, realloc, free};

void braid_mem_set_hooks(const braid_mem_hooks_t *hooks) {
  if (hooks == NULL) {
    mem_hooks.malloc_fn = malloc;
    mem_hooks.realloc_fn = realloc;
    mem_hooks.free_fn = free;
  } else {
    mem_hooks = *hooks;
  }
}

void *braid_malloc(size_t size) { return mem_hooks.malloc_fn(size); }

void *braid_calloc(size_t n, size_t size) {
  if (size != 0 && n > (size_t)-1 / size) return NULL;
  void *p = mem_hooks.malloc_fn(n * size);
  if (p != NULL) memset(p, 0, n * size);
  return p;
}

void *braid_realloc(void *ptr, size_t size) { return mem_hooks.realloc_fn(ptr, size); }

void braid_free(void *ptr) { mem_hooks.free_fn(ptr); }

char *braid_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = braid_malloc(n);
  if (p != NULL) memcpy(p, s, n);
  return p;
}

static _Noreturn void oom(size_t size) {
  fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", size);
  abort();
}

void *braid_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (p == NULL) oom(size);
  return p;
}

void *braid_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (p == NULL) oom(n * size);
  return p;
}

void *braid_xrealloc(void *ptr, size_t size) {
  void *p = realloc(ptr, size ? size : 1);
  if (p == NULL) oom(size);
  return p;
}

char *braid_xstrdup(const char *s) {
  char *p = strdup(s);
  if (p == NULL) oom(strlen(s));
  return p;
}
