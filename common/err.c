#include "common/err.h"

#include <string.h>

const char *braid_strerror(int err) {
  switch (err) {
  case BRAID_OK: return "success";
  case BRAID_ETRUNC: return "truncated input";
  case BRAID_EMALFORMED: return "malformed input";
  case BRAID_EVERSION: return "unsupported version";
  case BRAID_ETOOBIG: return "input too large";
  case BRAID_ETYPE: return "wrong field type";
  case BRAID_EMISSING: return "missing field";
  case BRAID_EUNKNOWN: return "unknown message";
  case BRAID_EAGAIN_MORE: return "need more bytes";
  case BRAID_EINVAL: return "invalid argument";
  case BRAID_ESTATE: return "invalid state";
  case BRAID_ENOTFOUND: return "not found";
  case BRAID_EEXIST: return "already exists";
  case BRAID_ETIMEDOUT: return "timed out";
  case BRAID_ENONODE: return "no media node available";
  case BRAID_ECLOSED: return "closed";
  case BRAID_ELIMIT: return "limit reached";
  case BRAID_ENOMEM: return "out of memory";
  case BRAID_EIO: return "I/O failure";
  case BRAID_EINTERNAL: return "internal error";
  default: break;
  }
  if (err < 0 && err > -100)
    return strerror(-err);
  return "unknown error";
}
