#include "mediad/channel/events.h"

#include "common/buf.h"
#include "common/limits.h"
#include "common/log.h"

void braid_mediad_publish_event(braid_mediad_t *md, const braid_event_t *ev) {
  braid_buf_t buf;
  char room[BRAID_ROOM_ID_MAX + 1];
  /* hiredis formats %s and %b only (no "%.*s"): the room id as a C string. */
  if (md->redis == NULL || braid_str_copy(room, sizeof room, ev->room_id) != 0) return;
  braid_buf_init(&buf, BRAID_PROTO_MAX_MSG);
  if (braid_event_encode(ev, &buf) != 0) {
    BRAID_LOGW("events", "cannot encode a %s event", braid_event_type_name(ev->type));
  } else {
    braid_redis_cmd(md->redis, NULL, NULL, "PUBLISH %sroom:%s:ev %b", md->config->prefix, room,
                    buf.data, buf.len);
  }
  braid_buf_cleanup(&buf);
}
