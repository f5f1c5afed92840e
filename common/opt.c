#include "common/opt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

static int set_value(const braid_opt_t *o, const char *val, const char *origin) {
  char *end;
  switch (o->type) {
  case BRAID_OPT_STR:
    *(const char **)o->dst = val;
    return 0;
  case BRAID_OPT_INT:
    errno = 0;
    long v = strtol(val, &end, 10);
    if (errno != 0 || end == val || *end != '\0') {
      fprintf(stderr, "error: %s %s: '%s' is not an integer\n", origin, o->name, val);
      return BRAID_EINVAL;
    }
    *(long *)o->dst = v;
    return 0;
  case BRAID_OPT_BOOL:
    if (strcmp(val, "1") == 0 || strcmp(val, "true") == 0 || strcmp(val, "yes") == 0) {
      *(bool *)o->dst = true;
    } else if (strcmp(val, "0") == 0 || strcmp(val, "false") == 0 || strcmp(val, "no") == 0) {
      *(bool *)o->dst = false;
    } else {
      fprintf(stderr, "error: %s %s: '%s' is not a boolean\n", origin, o->name, val);
      return BRAID_EINVAL;
    }
    return 0;
  }
  return BRAID_EINVAL;
}

void braid_opt_usage(const braid_opt_t *opts, size_t n, const char *prog, const char *summary) {
  printf("Usage: %s [options]\n\n%s\n\nOptions (each also read from the environment variable shown):\n",
         prog, summary);
  for (size_t i = 0; i < n; i++) {
    char flag[64];
    snprintf(flag, sizeof flag, "--%s%s%s", opts[i].name, opts[i].metavar ? " " : "",
             opts[i].metavar ? opts[i].metavar : "");
    printf("  %-30s %s", flag, opts[i].help);
    if (opts[i].env) printf(" [env %s]", opts[i].env);
    switch (opts[i].type) {
    case BRAID_OPT_STR:
      if (*(const char **)opts[i].dst) printf(" (default: %s)", *(const char **)opts[i].dst);
      break;
    case BRAID_OPT_INT:
      printf(" (default: %ld)", *(long *)opts[i].dst);
      break;
    case BRAID_OPT_BOOL:
      printf(" (default: %s)", *(bool *)opts[i].dst ? "true" : "false");
      break;
    }
    printf("\n");
  }
  printf("  %-30s %s\n", "--help", "print this help and exit");
}

int braid_opt_parse(const braid_opt_t *opts, size_t n, int argc, char **argv, const char *prog,
                    const char *summary) {
  int rc;
  for (size_t i = 0; i < n; i++) {
    const char *v = opts[i].env ? getenv(opts[i].env) : NULL;
    if (v != NULL && *v != '\0' && (rc = set_value(&opts[i], v, "environment")) != 0) return rc;
  }
  for (int a = 1; a < argc; a++) {
    const char *arg = argv[a];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      braid_opt_usage(opts, n, prog, summary);
      return 1;
    }
    if (strncmp(arg, "--", 2) != 0) {
      fprintf(stderr, "error: unexpected argument '%s' (see --help)\n", arg);
      return BRAID_EINVAL;
    }
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    const braid_opt_t *o = NULL;
    for (size_t i = 0; i < n; i++) {
      if (strlen(opts[i].name) == nlen && strncmp(opts[i].name, name, nlen) == 0) o = &opts[i];
    }
    if (o == NULL) {
      fprintf(stderr, "error: unknown option '%s' (see --help)\n", arg);
      return BRAID_EINVAL;
    }
    const char *val = eq ? eq + 1 : NULL;
    if (val == NULL) {
      if (o->type == BRAID_OPT_BOOL) { /* a bare boolean flag sets true; use --flag=false to clear */
        *(bool *)o->dst = true;
        continue;
      }
      if (a + 1 >= argc) {
        fprintf(stderr, "error: option --%s needs a value\n", o->name);
        return BRAID_EINVAL;
      }
      val = argv[++a];
    }
    if ((rc = set_value(o, val, "flag")) != 0) return rc;
  }
  return 0;
}
