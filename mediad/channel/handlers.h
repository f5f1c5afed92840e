/* Executes one decoded command and encodes its reply. */
#ifndef BRAID_MEDIAD_CHANNEL_HANDLERS_H
#define BRAID_MEDIAD_CHANNEL_HANDLERS_H

#include "common/buf.h"
#include "mediad/mediad.h"
#include "proto/cmd.h"

/* Runs cmd against md and appends the encoded reply to out. Returns 0, or
 * a negative code if the reply itself could not be encoded. */
int braid_cmd_handle(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);

#endif
