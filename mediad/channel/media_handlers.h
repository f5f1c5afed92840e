/* Command handlers for producers and consumers (proto/producer.h,
 * proto/consumer.h). Every command is idempotent: creating what exists
 * on the same transport, or closing what is gone, answers ok. */
#ifndef BRAID_MEDIAD_CHANNEL_MEDIA_HANDLERS_H
#define BRAID_MEDIAD_CHANNEL_MEDIA_HANDLERS_H

#include "common/buf.h"
#include "mediad/mediad.h"
#include "proto/cmd.h"

int braid_media_handlers_producer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
int braid_media_handlers_consumer_create(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
/* producer.close/pause/resume, consumer.close/pause/resume/request_key_frame. */
int braid_media_handlers_producer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);
int braid_media_handlers_consumer_ref(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);

/* transport.stats, producer.stats, consumer.stats: mediasoup's getStats()
 * arrays as JSON text (rtc/stats_json.h). */
int braid_media_handlers_stats(braid_mediad_t *md, const braid_cmd_t *cmd, braid_buf_t *out);

#endif
