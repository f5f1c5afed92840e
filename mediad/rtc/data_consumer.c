#include "mediad/rtc/data_consumer.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/channel/events.h"
#include "mediad/rtc/data_transport.h"

/* The association's send options for a consumer's reliability. */
static braid_sctp_send_opts_t send_opts_of(const braid_data_consumer_t *c) {
  braid_sctp_send_opts_t o = {.unordered = !c->ordered, .pr = BRAID_SCTP_PR_NONE};
  if (c->has_max_retransmits) {
    o.pr = BRAID_SCTP_PR_RTX;
    o.pr_value = c->max_retransmits;
  } else if (c->has_max_packet_life_time) {
    o.pr = BRAID_SCTP_PR_TTL;
    o.pr_value = c->max_packet_life_time;
  }
  return o;
}

int braid_data_consumer_new(braid_data_consumer_t **out, braid_transport_t *t,
                            braid_data_producer_t *p, const braid_cmd_data_consumer_create_t *c,
                            const char **why) {
  if (t->data == NULL) {
    *why = "SCTP is not enabled on the transport";
    return BRAID_ESTATE;
  }
  braid_data_consumer_t *k = braid_xcalloc(1, sizeof *k);
  if (braid_str_copy(k->id, sizeof k->id, c->data_consumer_id) != 0) {
    braid_free(k);
    *why = "invalid id";
    return BRAID_EINVAL;
  }
  k->transport = t;
  k->producer = p;
  k->ordered = c->ordered;
  k->has_max_packet_life_time = c->has_max_packet_life_time;
  k->max_packet_life_time = (uint16_t)c->max_packet_life_time;
  k->has_max_retransmits = c->has_max_retransmits;
  k->max_retransmits = (uint16_t)c->max_retransmits;
  k->send_opts = send_opts_of(k);
  k->paused = c->paused;
  if (braid_data_transport_add_consumer(t->data, k, &k->stream) != 0) {
    braid_free(k);
    *why = "no free SCTP stream";
    return BRAID_ELIMIT;
  }
  k->producer_next = p->consumers;
  p->consumers = k;
  BRAID_ASSERT(braid_map_put(t->md->data_consumers, k->id, strlen(k->id), k) == 0);
  *out = k;
  return 0;
}

void braid_data_consumer_close(braid_data_consumer_t *c, braid_data_consumer_close_reason_t why) {
  braid_transport_t *t = c->transport;
  for (braid_data_consumer_t **pp = &c->producer->consumers; *pp != NULL; pp = &(*pp)->producer_next) {
    if (*pp == c) {
      *pp = c->producer_next;
      break;
    }
  }
  braid_data_transport_remove_consumer(t->data, c);
  braid_map_del(t->md->data_consumers, c->id, strlen(c->id));
  if (why != BRAID_DATA_CONSUMER_CLOSE_TRANSPORT)
    braid_data_transport_reset_stream(t->data, c->stream); /* closes the endpoint's DataChannel */
  if (why == BRAID_DATA_CONSUMER_CLOSE_PRODUCER) {
    braid_event_t ev = {.type = BRAID_EV_DATA_CONSUMER_CLOSED,
                        .room_id = braid_str_c(t->room_id),
                        .data_consumer_id = braid_str_c(c->id),
                        .reason = braid_str_c("data producer closed")};
    braid_mediad_publish_event(t->md, &ev);
  }
  braid_free(c);
}

void braid_data_consumer_send(braid_data_consumer_t *c, uint32_t ppid, const uint8_t *data,
                              size_t len) {
  if (c->paused ||
      braid_data_transport_send(c->transport->data, c->stream, ppid, data, len, &c->send_opts) != 0) {
    c->messages_dropped++;
    return;
  }
  c->messages_sent++;
  c->bytes_sent += len;
}
