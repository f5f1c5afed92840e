/* Command handlers for data producers and data consumers (proto/data.h).
 * Idempotent like the media ones: creating what exists with the same
 * transport (and data producer) answers as the first time; closing what
 * is gone answers ok. */
#ifndef BRAID_MEDIAD_CHANNEL_DATA_HANDLERS_H
#define BRAID_MEDIAD_CHANNEL_DATA_HANDLERS_H

#include "common/buf.h"
#include "mediad/mediad.h"
#include "proto/cmd.h"

int braid_data_handlers_producer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
int braid_data_handlers_consumer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
/* data_producer.close/pause/resume/stats. */
int braid_data_handlers_producer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
/* data_consumer.close/pause/resume/stats. */
int braid_data_handlers_consumer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);

#endif
