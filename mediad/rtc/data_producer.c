#include "mediad/rtc/data_producer.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "common/map.h"
#include "common/mem.h"
#include "mediad/channel/events.h"
#include "mediad/rtc/data_consumer.h"
#include "mediad/rtc/data_transport.h"

/* Whether s is valid UTF-8 (labels and protocols are DOMStrings; they go
 * into JSON stats and logs). Overlong forms and surrogates are refused. */
static bool utf8_valid(const char *s) {
  const unsigned char *q = (const unsigned char *)s;
  while (*q != '\0') {
    size_t n;
    uint32_t cp;
    if (*q < 0x80) {
      q++;
      continue;
    }
    if ((*q & 0xE0) == 0xC0) n = 1, cp = *q & 0x1F;
    else if ((*q & 0xF0) == 0xE0) n = 2, cp = *q & 0x0F;
    else if ((*q & 0xF8) == 0xF0) n = 3, cp = *q & 0x07;
    else return false;
    for (size_t i = 1; i <= n; i++) {
      if ((q[i] & 0xC0) != 0x80) return false; /* also stops at the NUL */
      cp = (cp << 6) | (q[i] & 0x3F);
    }
    static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    q += n + 1;
  }
  return true;
}

int braid_data_producer_new(braid_data_producer_t **out, braid_transport_t *t,
                            const braid_cmd_data_producer_create_t *c, const char **why) {
  if (t->data == NULL) {
    *why = "SCTP is not enabled on the transport";
    return BRAID_ESTATE;
  }
  braid_data_producer_t *p = braid_xcalloc(1, sizeof *p);
  if (braid_str_copy(p->id, sizeof p->id, c->data_producer_id) != 0 ||
      braid_str_copy(p->label, sizeof p->label, c->label) != 0 ||
      braid_str_copy(p->protocol, sizeof p->protocol, c->protocol) != 0 ||
      c->stream > BRAID_SCTP_STREAM_ID_MAX) {
    braid_free(p);
    *why = "invalid id, stream, label or protocol";
    return BRAID_EINVAL;
  }
  if (!utf8_valid(p->label) || !utf8_valid(p->protocol)) {
    braid_free(p);
    *why = "label and protocol must be UTF-8";
    return BRAID_EINVAL;
  }
  p->transport = t;
  p->stream = (uint16_t)c->stream;
  p->ordered = c->ordered;
  p->has_max_packet_life_time = c->has_max_packet_life_time;
  p->max_packet_life_time = (uint16_t)c->max_packet_life_time;
  p->has_max_retransmits = c->has_max_retransmits;
  p->max_retransmits = (uint16_t)c->max_retransmits;
  p->paused = c->paused;
  if (braid_data_transport_add_producer(t->data, p) != 0) {
    braid_free(p);
    *why = "stream in use";
    return BRAID_EEXIST;
  }
  BRAID_ASSERT(braid_map_put(t->md->data_producers, p->id, strlen(p->id), p) == 0);
  *out = p;
  return 0;
}

void braid_data_producer_close(braid_data_producer_t *p, bool by_transport) {
  braid_transport_t *t = p->transport;
  while (p->consumers != NULL)
    braid_data_consumer_close(p->consumers, BRAID_DATA_CONSUMER_CLOSE_PRODUCER);
  braid_data_transport_remove_producer(t->data, p, !by_transport);
  braid_map_del(t->md->data_producers, p->id, strlen(p->id));
  if (by_transport) {
    braid_event_t ev = {.type = BRAID_EV_DATA_PRODUCER_CLOSED,
                        .room_id = braid_str_c(t->room_id),
                        .data_producer_id = braid_str_c(p->id),
                        .reason = braid_str_c("transport closed")};
    braid_mediad_publish_event(t->md, &ev);
  }
  braid_free(p);
}

void braid_data_producer_receive(braid_data_producer_t *p, uint32_t ppid, const uint8_t *data,
                                 size_t len) {
  p->messages_received++;
  p->bytes_received += len;
  if (p->paused) return;
  for (braid_data_consumer_t *c = p->consumers; c != NULL; c = c->producer_next)
    braid_data_consumer_send(c, ppid, data, len);
}
