/*
 * Logging (STYLE.md rule 34). The macros check the level before formatting;
 * every line carries a subsystem tag. Per-packet code never logs above debug
 * and relies on counters instead.
 *
 * Output: one line per message on stderr,
 *   2026-11-24T03:50:00.123Z info  mediad[1234] redis: connected to 127.0.0.1:6379
 */
#ifndef BRAID_COMMON_LOG_H
#define BRAID_COMMON_LOG_H

#include <stdarg.h>

typedef enum braid_log_level {
  BRAID_LOG_ERROR = 0,
  BRAID_LOG_WARN = 1,
  BRAID_LOG_INFO = 2,
  BRAID_LOG_DEBUG = 3,
} braid_log_level_t;

/* Configuration globals (the only mutable globals allowed, rule 33). */
extern braid_log_level_t braid_log_level;

/* Sets the process name printed in every line; name is copied. */
void braid_log_set_name(const char *name);
/* Parses "error", "warn", "info" or "debug"; returns 0 or BRAID_EINVAL. */
int braid_log_parse_level(const char *s, braid_log_level_t *out);

void braid_log_write(braid_log_level_t level, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define BRAID_LOG(level, tag, ...)                                                                 \
  do {                                                                                             \
    if ((level) <= braid_log_level) braid_log_write((level), (tag), __VA_ARGS__);                  \
  } while (0)

#define BRAID_LOGE(tag, ...) BRAID_LOG(BRAID_LOG_ERROR, tag, __VA_ARGS__)
#define BRAID_LOGW(tag, ...) BRAID_LOG(BRAID_LOG_WARN, tag, __VA_ARGS__)
#define BRAID_LOGI(tag, ...) BRAID_LOG(BRAID_LOG_INFO, tag, __VA_ARGS__)
#define BRAID_LOGD(tag, ...) BRAID_LOG(BRAID_LOG_DEBUG, tag, __VA_ARGS__)

/* Invariant check, active in every build (rule 35). Never use on input. */
#define BRAID_ASSERT(expr)                                                                         \
  do {                                                                                             \
    if (!(expr)) braid_assert_fail(#expr, __FILE__, __LINE__);                                     \
  } while (0)

_Noreturn void braid_assert_fail(const char *expr, const char *file, int line);

#endif
