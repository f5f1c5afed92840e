#include "controller/room/consumer_info.h"

json_t *braid_consumer_info_score(void) {
  return json_pack("{sisiso}", "score", 10, "producerScore", 10, "producerScores", json_array());
}

json_t *braid_consumer_info_new_consumer(braid_dialect_t dialect, const braid_consumer_info_t *ci) {
  json_t *d = json_object();
  json_t *params = json_deep_copy(ci->rtp_parameters);
  json_t *app = ci->app_data ? json_deep_copy(ci->app_data) : json_object();
  json_object_set_new(d, "peerId", json_string(ci->peer_id));
  if (dialect == BRAID_DIALECT_LEGACY) {
    json_object_set_new(d, "producerId", json_string(ci->producer_id));
    json_object_set_new(d, "id", json_string(ci->consumer_id));
    json_object_set_new(d, "kind", json_string(ci->kind));
    json_object_set_new(d, "rtpParameters", params);
    json_object_set_new(d, "type", json_string(ci->type));
    json_object_set_new(d, "appData", app);
    json_object_set_new(d, "producerPaused", json_boolean(ci->producer_paused));
    return d;
  }
  json_object_set_new(d, "transportId", json_string(ci->transport_id));
  json_object_set_new(d, "consumerId", json_string(ci->consumer_id));
  json_object_set_new(d, "producerId", json_string(ci->producer_id));
  json_object_set_new(d, "kind", json_string(ci->kind));
  json_object_set_new(d, "rtpParameters", params);
  json_object_set_new(d, "type", json_string(ci->type));
  json_object_set_new(d, "producerPaused", json_boolean(ci->producer_paused));
  json_object_set_new(d, "consumerScore", braid_consumer_info_score());
  json_object_set_new(d, "appData", app);
  return d;
}
