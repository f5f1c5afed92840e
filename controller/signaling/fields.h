/*
 * Typed access to fields of a request's data, with the error message a
 * client gets back (protoo error 400) when a field is missing or mistyped.
 */
#ifndef BRAID_CONTROLLER_SIGNALING_FIELDS_H
#define BRAID_CONTROLLER_SIGNALING_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct braid_fields {
  const char *method; /* for messages */
  char error[256];    /* first error, "" when none */
} braid_fields_t;

/* Each getter returns true when the field is valid (or absent and optional);
 * *out is set to the value (borrowed from data) or left NULL when absent.
 * On failure it records the first error in f->error. */
bool braid_fields_string(braid_fields_t *f, json_t *data, const char *key, bool required,
                         size_t max_len, const char **out);
bool braid_fields_object(braid_fields_t *f, json_t *data, const char *key, bool required,
                         json_t **out);
bool braid_fields_bool(braid_fields_t *f, json_t *data, const char *key, bool required, bool *out);
/* A finite number in [min, max]; *out is left alone when absent. */
bool braid_fields_number(braid_fields_t *f, json_t *data, const char *key, bool required,
                         double min, double max, double *out);

/* v as an integer in 0..max: a JSON number with an integral value
 * (JavaScript sends 3.0 as 3, and may send 3.0). false for anything else. */
bool braid_json_uint(const json_t *v, uint64_t max, uint64_t *out);

/* For validators that report through a caller's buffer: formats the
 * message into err (nothing when errlen is 0) and returns BRAID_EINVAL. */
__attribute__((format(printf, 3, 4))) int braid_fields_fail(char *err, size_t errlen,
                                                            const char *fmt, ...);

#endif
