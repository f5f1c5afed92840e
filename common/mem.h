/*
 * Memory allocation (STYLE.md rule 13).
 *
 * Library-style code (common/, proto/) allocates with braid_malloc() and
 * friends, which may return NULL; callers return BRAID_ENOMEM. Tests swap the
 * hooks to fail the N-th allocation (rule 39).
 *
 * The daemons allocate with braid_xmalloc() and friends, which abort on
 * failure: memory is bounded by limits.h, not by hoping malloc fails well.
 */
#ifndef BRAID_COMMON_MEM_H
#define BRAID_COMMON_MEM_H

#include <stddef.h>

typedef struct braid_mem_hooks {
  void *(*malloc_fn)(size_t size);
  void *(*realloc_fn)(void *ptr, size_t size);
  void (*free_fn)(void *ptr);
} braid_mem_hooks_t;

/* Replaces the allocator (tests only); NULL restores libc's. */
void braid_mem_set_hooks(const braid_mem_hooks_t *hooks);

void *braid_malloc(size_t size);
void *braid_calloc(size_t n, size_t size);
void *braid_realloc(void *ptr, size_t size);
void braid_free(void *ptr);
/* Returns a copy of s (caller frees with braid_free), or NULL. */
char *braid_strdup(const char *s);

void *braid_xmalloc(size_t size);
void *braid_xcalloc(size_t n, size_t size);
void *braid_xrealloc(void *ptr, size_t size);
char *braid_xstrdup(const char *s);

#endif
