#include "controller/room/data_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "controller/signaling/fields.h"

/* A partial reliability limit: absent or null is "not given". */
static int limit(const json_t *sctp, const char *key, const char *method, bool *has, uint16_t *out,
                 char *err, size_t errlen) {
  const json_t *v = json_object_get(sctp, key);
  *has = false;
  *out = 0;
  if (v == NULL || json_is_null(v)) return 0;
  uint64_t n;
  if (!braid_json_uint(v, BRAID_DATA_PR_MAX, &n))
    return braid_fields_fail(err, errlen, "%s: sctpStreamParameters.%s must be an integer 0..%d",
                             method, key, BRAID_DATA_PR_MAX);
  *out = (uint16_t)n;
  *has = true;
  return 0;
}

int braid_data_cmd_parse_stream(const json_t *sctp, const char *method, braid_data_stream_t *out,
                                char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (sctp == NULL)
    return braid_fields_fail(err, errlen, "%s: \"sctpStreamParameters\" is required", method);
  if (!json_is_object(sctp))
    return braid_fields_fail(err, errlen, "%s: \"sctpStreamParameters\" must be an object", method);
  uint64_t id;
  if (!braid_json_uint(json_object_get(sctp, "streamId"), BRAID_SCTP_STREAM_ID_MAX, &id))
    return braid_fields_fail(err, errlen,
                             "%s: sctpStreamParameters.streamId must be an integer 0..%d", method,
                             BRAID_SCTP_STREAM_ID_MAX);
  out->stream_id = (uint16_t)id;
  if (limit(sctp, "maxPacketLifeTime", method, &out->has_max_packet_life_time,
            &out->max_packet_life_time, err, errlen) != 0 ||
      limit(sctp, "maxRetransmits", method, &out->has_max_retransmits, &out->max_retransmits, err,
            errlen) != 0)
    return BRAID_EINVAL;
  if (out->has_max_packet_life_time && out->has_max_retransmits)
    return braid_fields_fail(
        err, errlen,
        "%s: sctpStreamParameters cannot have both maxPacketLifeTime and maxRetransmits", method);
  bool limited = out->has_max_packet_life_time || out->has_max_retransmits;
  const json_t *ordered = json_object_get(sctp, "ordered");
  if (ordered == NULL || json_is_null(ordered)) {
    /* mediasoup's test is JavaScript truthiness: a limit of 0 does not
     * make the stream unordered, and is then no limit at all. */
    out->ordered = out->max_packet_life_time == 0 && out->max_retransmits == 0;
    if (out->ordered) out->has_max_packet_life_time = out->has_max_retransmits = false;
    return 0;
  }
  if (!json_is_boolean(ordered))
    return braid_fields_fail(err, errlen, "%s: sctpStreamParameters.ordered must be a boolean",
                             method);
  out->ordered = json_is_true(ordered);
  if (out->ordered && limited) {
    if (out->max_packet_life_time != 0 || out->max_retransmits != 0)
      return braid_fields_fail(
          err, errlen,
          "%s: sctpStreamParameters cannot be ordered with maxPacketLifeTime or "
          "maxRetransmits",
          method);
    out->has_max_packet_life_time = out->has_max_retransmits = false; /* data_cmd.h says why */
  }
  return 0;
}

int braid_data_cmd_check_produce(json_t *data, const char *method, braid_data_produce_t *out,
                                 char *err, size_t errlen) {
  braid_fields_t f = {.method = method};
  memset(out, 0, sizeof *out);
  if (!braid_fields_string(&f, data, "label", false, BRAID_DATA_LABEL_MAX, &out->label) ||
      !braid_fields_string(&f, data, "protocol", false, BRAID_DATA_PROTOCOL_MAX, &out->protocol) ||
      !braid_fields_object(&f, data, "appData", false, &out->app_data))
    return braid_fields_fail(err, errlen, "%s", f.error);
  if (out->label == NULL) out->label = "";
  if (out->protocol == NULL) out->protocol = "";
  if (out->app_data != NULL) {
    char *text = json_dumps(out->app_data, JSON_COMPACT);
    size_t n = text ? strlen(text) : 0;
    free(text);
    if (n > BRAID_DATA_APPDATA_MAX)
      return braid_fields_fail(err, errlen, "%s: \"appData\" is too large", method);
  }
  return braid_data_cmd_parse_stream(json_object_get(data, "sctpStreamParameters"), method,
                                     &out->stream, err, errlen);
}

json_t *braid_data_cmd_stream_json(const braid_data_stream_t *s, int stream_id) {
  json_t *o = json_object();
  json_object_set_new(o, "streamId", json_integer(stream_id >= 0 ? stream_id : s->stream_id));
  json_object_set_new(o, "ordered", json_boolean(s->ordered));
  if (s->has_max_packet_life_time)
    json_object_set_new(o, "maxPacketLifeTime", json_integer(s->max_packet_life_time));
  if (s->has_max_retransmits)
    json_object_set_new(o, "maxRetransmits", json_integer(s->max_retransmits));
  return o;
}

void braid_data_cmd_producer(braid_cmd_data_producer_create_t *out, const braid_data_produce_t *req,
                             const char *transport_id, const char *data_producer_id) {
  const braid_data_stream_t *s = &req->stream;
  memset(out, 0, sizeof *out);
  out->transport_id = braid_str_c(transport_id);
  out->data_producer_id = braid_str_c(data_producer_id);
  out->stream = s->stream_id;
  out->ordered = s->ordered;
  out->has_max_packet_life_time = s->has_max_packet_life_time;
  out->max_packet_life_time = s->max_packet_life_time;
  out->has_max_retransmits = s->has_max_retransmits;
  out->max_retransmits = s->max_retransmits;
  out->label = braid_str_c(req->label);
  out->protocol = braid_str_c(req->protocol);
}

void braid_data_cmd_consumer(braid_cmd_data_consumer_create_t *out, const braid_data_stream_t *s,
                             const char *transport_id, const char *data_consumer_id,
                             const char *data_producer_id) {
  memset(out, 0, sizeof *out);
  out->transport_id = braid_str_c(transport_id);
  out->data_consumer_id = braid_str_c(data_consumer_id);
  out->data_producer_id = braid_str_c(data_producer_id);
  out->ordered = s->ordered;
  out->has_max_packet_life_time = s->has_max_packet_life_time;
  out->max_packet_life_time = s->max_packet_life_time;
  out->has_max_retransmits = s->has_max_retransmits;
  out->max_retransmits = s->max_retransmits;
}

bool braid_data_cmd_is_chat(const char *label, const json_t *app_data) {
  const char *channel = json_string_value(json_object_get(app_data, "channel"));
  bool bot = (label && strcmp(label, "bot") == 0) || (channel && strcmp(channel, "bot") == 0);
  bool chat = (label && strcmp(label, "chat") == 0) || (channel && strcmp(channel, "chat") == 0);
  return chat && !bot;
}
