/*
 * Reads the node's command stream (<prefix>node:<id>:cmd) with a blocking
 * XREAD on its own Redis connection, decodes each entry's "m" field, runs it
 * through braid_cmd_handle() and publishes the reply on the sender's channel
 * (<prefix>ctl:<reply_to>). Malformed entries are dropped and counted in
 * md->stats.cmd_bad; commands past their deadline in md->stats.cmd_expired.
 */
#ifndef BRAID_MEDIAD_CHANNEL_CMD_READER_H
#define BRAID_MEDIAD_CHANNEL_CMD_READER_H

#include "mediad/mediad.h"

braid_cmd_reader_t *braid_cmd_reader_new(braid_mediad_t *md);
/* Issues the next XREAD; called on every connection of md->redis_block. */
void braid_cmd_reader_start(braid_cmd_reader_t *rd);
void braid_cmd_reader_free(braid_cmd_reader_t *rd);

#endif
