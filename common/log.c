#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"

braid_log_level_t braid_log_level = BRAID_LOG_INFO;
static char log_name[32] = "braid";

void braid_log_set_name(const char *name) {
  snprintf(log_name, sizeof log_name, "%s", name);
}

int braid_log_parse_level(const char *s, braid_log_level_t *out) {
  static const char *names[] = {"error", "warn", "info", "debug"};
  for (int i = 0; i < 4; i++) {
    if (strcmp(s, names[i]) == 0) {
      *out = (braid_log_level_t)i;
      return 0;
    }
  }
  return BRAID_EINVAL;
}

void braid_log_write(braid_log_level_t level, const char *tag, const char *fmt, ...) {
  static const char *lv[] = {"error", "warn ", "info ", "debug"};
  char msg[1024];
  struct timeval tv;
  struct tm tm;
  va_list ap;

  gettimeofday(&tv, NULL);
  gmtime_r(&tv.tv_sec, &tm);
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* One fprintf per line so that lines of concurrent processes do not interleave. */
  fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %s %s[%d] %s: %s\n", tm.tm_year + 1900,
          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000),
          lv[level], log_name, (int)getpid(), tag, msg);
}

_Noreturn void braid_assert_fail(const char *expr, const char *file, int line) {
  fprintf(stderr, "assertion failed: %s (%s:%d)\n", expr, file, line);
  abort();
}
