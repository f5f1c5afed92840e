#include "controller/cluster/events.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "controller/cluster/rpc.h"
#include "controller/room/rooms.h"

void braid_events_follow_room(braid_ctl_t *ctl, const char *room_id) {
  char ch[512];
  braid_ctl_key(ctl, ch, sizeof ch, "room:%s:ev", room_id);
  braid_redis_subscribe(ctl->redis_sub, ch); /* when down, on_connect re-subscribes */
}

void braid_events_unfollow_room(braid_ctl_t *ctl, const char *room_id) {
  char ch[512];
  braid_ctl_key(ctl, ch, sizeof ch, "room:%s:ev", room_id);
  braid_redis_unsubscribe(ctl->redis_sub, ch);
}

void braid_events_publish(braid_ctl_t *ctl, const braid_event_t *ev) {
  braid_buf_t buf;
  char ch[512];
  braid_buf_init(&buf, BRAID_PROTO_MAX_MSG);
  int rc = braid_event_encode(ev, &buf);
  if (rc != 0) {
    BRAID_LOGE("events", "cannot encode %s: %s", braid_event_type_name(ev->type), braid_strerror(rc));
  } else {
    braid_ctl_key(ctl, ch, sizeof ch, "room:%.*s:ev", (int)ev->room_id.len, ev->room_id.p);
    if (braid_redis_cmd(ctl->redis, NULL, NULL, "PUBLISH %s %b", ch, buf.data, buf.len) != 0)
      BRAID_LOGW("events", "cannot publish %s: redis unavailable", braid_event_type_name(ev->type));
  }
  braid_buf_cleanup(&buf);
}

void braid_events_on_connect(braid_ctl_t *ctl) {
  char ch[512];
  braid_ctl_key(ctl, ch, sizeof ch, "ctl:%s", ctl->id);
  braid_redis_subscribe(ctl->redis_sub, ch);
  braid_rooms_resubscribe(ctl->rooms);
}

void braid_events_on_message(braid_ctl_t *ctl, const char *channel, const char *payload, size_t len) {
  char ch[512];
  braid_ctl_key(ctl, ch, sizeof ch, "ctl:%s", ctl->id);
  if (strcmp(channel, ch) == 0) braid_rpc_on_reply(ctl->rpc, (const uint8_t *)payload, len);
  else braid_rooms_on_event(ctl->rooms, (const uint8_t *)payload, len);
}
