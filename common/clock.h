/* Clocks. Protocol cores take `now` as an argument (STYLE.md rule 24); only
 * loop glue calls these. */
#ifndef BRAID_COMMON_CLOCK_H
#define BRAID_COMMON_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds since the Unix epoch (wall clock; used for deadlines that
 * cross processes). */
int64_t braid_clock_wall_ms(void);
/* Monotonic milliseconds (for local timers and rates). */
int64_t braid_clock_mono_ms(void);
/* Monotonic microseconds, on the same clock as braid_clock_mono_ms() (for
 * packet arrival times). Inline: it sits on the per-packet path. */
static inline int64_t braid_clock_mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
