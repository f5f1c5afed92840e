/* Clocks. Protocol cores take `now` as an argument (STYLE.md rule 24); only
 * loop glue calls these. */
#ifndef BRAID_COMMON_CLOCK_H
#define BRAID_COMMON_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch (wall clock; used for deadlines that
 * cross processes). */
int64_t braid_clock_wall_ms(void);
/* Monotonic milliseconds (for local timers and rates). */
int64_t braid_clock_mono_ms(void);

#endif
