/* Random identifiers: UUIDv4 for objects, mediasoup-style random strings. */
#ifndef BRAID_COMMON_ID_H
#define BRAID_COMMON_ID_H

#include <stddef.h>
#include <stdint.h>

#define BRAID_UUID_STRLEN 36

/* Writes a random UUIDv4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx") and a NUL
 * into out, which must hold BRAID_UUID_STRLEN + 1 bytes. */
void braid_id_uuid(char *out);
/* Writes len random characters of [0-9a-z] and a NUL into out (len + 1 bytes). */
void braid_id_random_string(char *out, size_t len);
/* Random integer in [lo, hi). */
uint32_t braid_id_random_u32(uint32_t lo, uint32_t hi);
/* Fills buf with cryptographically random bytes; aborts if the OS cannot. */
void braid_id_random_bytes(void *buf, size_t len);

#endif
