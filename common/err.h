/*
 * Error codes shared by every Braid component (STYLE.md rule 9).
 *
 * Functions return 0 on success and a negative BRAID_E* code on failure;
 * functions that consume bytes return ssize_t (bytes consumed, or a negative
 * code). Codes live in bands:
 *   -1xx  malformed input: drop the message or packet, bump a counter.
 *   -2xx  state or usage error: reject the request, keep the object.
 *   -5xx  fatal: tear the object (transport, connection) down.
 * System errors are returned as -errno (BRAID_ERR(errno)), which never
 * collide with the bands above because errno values are < 100 here.
 */
#ifndef BRAID_COMMON_ERR_H
#define BRAID_COMMON_ERR_H

#include <errno.h>
#include <stdbool.h>

#define BRAID_ERR(e) (-(e))

enum {
  BRAID_OK = 0,

  /* Malformed input. */
  BRAID_ETRUNC = -100,     /* input ends before a field it announces */
  BRAID_EMALFORMED = -101, /* a field holds a value the format forbids */
  BRAID_EVERSION = -102,   /* unsupported protocol or message version */
  BRAID_ETOOBIG = -103,    /* input exceeds a hard limit (limits.h) */
  BRAID_ETYPE = -104,      /* a field has the wrong type */
  BRAID_EMISSING = -105,   /* a required field is absent */
  BRAID_EUNKNOWN = -106,   /* unknown message or method */
  BRAID_EAGAIN_MORE = -107, /* stream framing: need more bytes (not an error of the peer) */

  /* State or usage. */
  BRAID_EINVAL = -200,    /* invalid argument from our own code or a request */
  BRAID_ESTATE = -201,    /* operation not valid in the current state */
  BRAID_ENOTFOUND = -202, /* referenced object does not exist */
  BRAID_EEXIST = -203,    /* object already exists */
  BRAID_ETIMEDOUT = -204, /* a deadline passed */
  BRAID_ENONODE = -205,   /* no live media node to place work on */
  BRAID_ECLOSED = -206,   /* the object or connection is closed */
  BRAID_ELIMIT = -207,    /* a configured capacity limit is reached */

  /* Fatal. */
  BRAID_ENOMEM = -500, /* out of memory */
  BRAID_EIO = -501,    /* an I/O layer failed beyond recovery */
  BRAID_EINTERNAL = -502,
};

/* Returns a static, human readable description of err (never NULL). */
const char *braid_strerror(int err);

/* True for codes in the fatal band. */
static inline bool braid_err_is_fatal(int err) { return err <= -500 && err > -600; }
/* True for codes in the malformed-input band. */
static inline bool braid_err_is_input(int err) { return err <= -100 && err > -200; }

#endif
