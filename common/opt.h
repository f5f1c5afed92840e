/*
 * Command-line flags with environment-variable equivalents (12-factor).
 * Precedence: flag > environment > the default already stored in *dst.
 *
 *   static const braid_opt_t opts[] = {
 *     {"redis", "BRAID_REDIS", BRAID_OPT_STR, &cfg.redis, "URL", "Redis server"},
 *   };
 *   rc = braid_opt_parse(opts, n, argc, argv, "braid-mediad", "summary");
 */
#ifndef BRAID_COMMON_OPT_H
#define BRAID_COMMON_OPT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum braid_opt_type {
  BRAID_OPT_STR,  /* dst is const char **: points into argv/environ (borrowed for the process life) */
  BRAID_OPT_INT,  /* dst is long * */
  BRAID_OPT_BOOL, /* dst is bool *; a bare flag sets true, --flag=false clears; values 1/0/true/false/yes/no */
} braid_opt_type_t;

typedef struct braid_opt {
  const char *name; /* long flag without the leading "--" */
  const char *env;  /* environment variable name, or NULL */
  braid_opt_type_t type;
  void *dst;
  const char *metavar; /* shown in --help, e.g. "URL" */
  const char *help;
} braid_opt_t;

/* Parses argv and the environment into the options' destinations.
 * Returns 0 on success, 1 when --help was given (usage printed to stdout; the
 * caller exits 0), or BRAID_EINVAL after printing a clear message to stderr. */
int braid_opt_parse(const braid_opt_t *opts, size_t n, int argc, char **argv, const char *prog,
                    const char *summary);

/* Prints the usage text to stdout. */
void braid_opt_usage(const braid_opt_t *opts, size_t n, const char *prog, const char *summary);

#endif
