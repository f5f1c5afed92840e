#include "controller/room/peer_info.h"

json_t *braid_peer_info(braid_dialect_t dialect, const char *peer_id, const char *display_name,
                        json_t *device, const char *remote_address) {
  json_t *info = json_object();
  json_object_set_new(info, dialect == BRAID_DIALECT_LEGACY ? "id" : "peerId",
                      json_string(peer_id));
  json_object_set_new(info, "displayName", json_string(display_name ? display_name : ""));
  json_object_set_new(info, "device", device ? json_deep_copy(device) : json_object());
  if (dialect == BRAID_DIALECT_CURRENT)
    json_object_set_new(info, "remoteAddress", json_string(remote_address ? remote_address : ""));
  return info;
}

json_t *braid_peer_info_from_record(braid_dialect_t dialect, json_t *record) {
  json_t *device = json_object_get(record, "device");
  return braid_peer_info(dialect, json_string_value(json_object_get(record, "peerId")),
                         json_string_value(json_object_get(record, "displayName")),
                         json_is_object(device) ? device : NULL,
                         json_string_value(json_object_get(record, "remoteAddress")));
}

json_t *braid_peer_info_new_peer(braid_dialect_t dialect, json_t *info) {
  if (dialect == BRAID_DIALECT_LEGACY) return info;
  return json_pack("{so}", "peer", info);
}
