/*
 * Fuzzer for RFC 8832 DCEP messages (mediad/sctp/dcep.c): parse; on
 * success check that the view lies inside the input and that writing it
 * back gives the input (the reliability parameter of a reliable channel,
 * which the parser ignores, excepted); on failure check the code and the
 * reason. Then a writer round trip from values taken from the input.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "mediad/sctp/dcep.h"

static void check_roundtrip(const braid_dcep_msg_t *m, const uint8_t *data, size_t size) {
  uint8_t *out = malloc(size > 0 ? size : 1);
  ssize_t n = m->type == BRAID_DCEP_MSG_ACK ? braid_dcep_write_ack(out, size)
                                            : braid_dcep_write_open(out, size, m);
  BRAID_ASSERT(n == (ssize_t)size);
  if (m->type == BRAID_DCEP_MSG_OPEN &&
      braid_dcep_channel_reliability(m->channel_type) == BRAID_DCEP_RELIABLE) {
    /* The parser reports 0 and the writer writes 0 whatever was sent. */
    BRAID_ASSERT(memcmp(out, data, 4) == 0 && memcmp(out + 8, data + 8, size - 8) == 0);
  } else {
    BRAID_ASSERT(memcmp(out, data, size) == 0);
  }
  /* One byte less never fits. */
  if (m->type == BRAID_DCEP_MSG_OPEN)
    BRAID_ASSERT(braid_dcep_write_open(out, size - 1, m) == BRAID_ETOOBIG);
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  braid_dcep_msg_t m;
  const char *why = NULL;
  int rc = braid_dcep_parse(&m, data, size, &why);
  if (rc != 0) {
    BRAID_ASSERT(rc == BRAID_ETRUNC || rc == BRAID_EMALFORMED || rc == BRAID_EUNKNOWN);
    BRAID_ASSERT(why != NULL && m.type == 0 && m.label == NULL && m.protocol == NULL);
  } else {
    BRAID_ASSERT(m.type == BRAID_DCEP_MSG_OPEN || m.type == BRAID_DCEP_MSG_ACK);
    if (m.type == BRAID_DCEP_MSG_OPEN) {
      BRAID_ASSERT(braid_dcep_channel_type_valid(m.channel_type));
      BRAID_ASSERT(braid_dcep_open_len(&m) == size);
      BRAID_ASSERT(m.label_len == 0 || m.label == data + 12);
      BRAID_ASSERT(m.protocol_len == 0 || m.protocol == data + 12 + m.label_len);
      BRAID_ASSERT((m.label == NULL) == (m.label_len == 0));
      BRAID_ASSERT((m.protocol == NULL) == (m.protocol_len == 0));
      uint8_t t = braid_dcep_channel_type(braid_dcep_channel_ordered(m.channel_type),
                                          braid_dcep_channel_reliability(m.channel_type));
      BRAID_ASSERT(t == m.channel_type);
    } else {
      BRAID_ASSERT(size == 1);
    }
    check_roundtrip(&m, data, size);
  }

  /* Writer from fuzzed values: label and protocol taken from the input. */
  if (size >= 6) {
    braid_dcep_msg_t w = {
        .channel_type = data[0],
        .priority = (uint16_t)(data[1] << 8 | data[2]),
        .reliability = data[3],
        .label = data + 6,
        .label_len = (uint16_t)((size - 6) / 2),
        .protocol = data + 6 + (size - 6) / 2,
        .protocol_len = (uint16_t)((size - 6) - (size - 6) / 2),
    };
    if (w.label_len == 0) w.label = NULL;
    if (w.protocol_len == 0) w.protocol = NULL;
    size_t need = braid_dcep_open_len(&w);
    uint8_t *out = malloc(need);
    ssize_t n = braid_dcep_write_open(out, need, &w);
    if (!braid_dcep_channel_type_valid(w.channel_type)) {
      BRAID_ASSERT(n == BRAID_EINVAL);
    } else {
      BRAID_ASSERT(n == (ssize_t)need);
      braid_dcep_msg_t back;
      BRAID_ASSERT(braid_dcep_parse(&back, out, need, NULL) == 0);
      BRAID_ASSERT(back.channel_type == w.channel_type && back.priority == w.priority);
      BRAID_ASSERT(back.label_len == w.label_len && back.protocol_len == w.protocol_len);
      BRAID_ASSERT(w.label_len == 0 || memcmp(back.label, w.label, w.label_len) == 0);
      BRAID_ASSERT(w.protocol_len == 0 || memcmp(back.protocol, w.protocol, w.protocol_len) == 0);
    }
    free(out);
  }
  return 0;
}
